// Shared by the JS layers: typed errors for misuse, never a wasm trap.

/** A real `Error` carrying a stable machine-readable `code`. */
export function flexkitError(code, message) {
  const error = new Error(message);
  error.name = "FlexkitError";
  error.code = code;
  return error;
}

/** JSON text of a user value, or a coded error (cycles, BigInt, throwing getters, Proxies).
 * A `replacer` may refuse a value with a coded error of its own, which is thrown as it is. */
export function toJsonText(value, name, replacer) {
  let text;
  try {
    text = JSON.stringify(value, replacer);
  } catch (cause) {
    if (replacer && typeof cause?.code === "string") throw cause;
    throw flexkitError("invalid_argument", `${name} cannot be read as JSON: ${describe(cause)}`);
  }
  if (typeof text !== "string") {
    throw flexkitError("invalid_argument", `${name} must be an object, got ${typeof value}`);
  }
  return text;
}

/** The message of a thrown value, whatever it is. */
export function describe(cause) {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return "unreadable value";
  }
}

/** Re-throws anything that is not already a coded Error as one (a trap must never leak). */
export function coded(cause) {
  if (cause instanceof Error && typeof cause.code === "string") return cause;
  return flexkitError("internal_error", `flexkit failed unexpectedly: ${describe(cause)}`);
}

/** Runs `f` (a call into wasm); anything it throws comes out as a coded Error. */
export function callCoded(f) {
  try {
    return f();
  } catch (cause) {
    throw coded(cause);
  }
}

/** Runs `f`, which answers JSON text, and parses the answer. */
export function parseCoded(f) {
  return JSON.parse(callCoded(f));
}

/** The most bytes of JSON a request body may have, as the core's readers hold it (64 KiB). */
export const MAX_INPUT_BYTES = 64 * 1024;

/**
 * Where and why `JSON.parse` refused `text`, in flexkit's words: "expected ':' at line 1,
 * column 9". The engines' own messages quote the text around the fault, which can be card
 * digits, a CVV or a key. Called only once `JSON.parse` has thrown: reads the text token by
 * token along JSON's grammar up to the first one that cannot come there, and inside a string
 * or number that cannot be read, to the character at fault. Lines end at \n, \r\n or \r;
 * columns count characters (code points), as editors do.
 */
export function jsonFault(text) {
  // A text over the 64 KiB any request body is held to is not read (the engine's regular
  // expressions give up on a string token of millions of characters).
  if (text.length > MAX_INPUT_BYTES) return "the text is over 64 KiB, more than any request body";
  // Whitespace, then a token if one starts there (a string only if closed and valid).
  const token = /[ \t\n\r]*("(?:[^"\\\0-\x1f]|\\(?:["\\/bfnrt]|u[\da-fA-F]{4}))*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[[\]{}:,])?/y;
  // The closing brackets still owed; what may come next: a value (v), a key (k), ":", ","
  // (or the closing bracket), the end (e); `first`: a bracket has just opened and may close.
  const open = [];
  let want = "v";
  let first = false;
  let t;
  // Where the last token ended, if it was a number, and its text.
  let number = -1;
  let digits = "";
  while ((t = token.exec(text)[1]) !== undefined) {
    const c = t[0];
    const close = open[open.length - 1];
    let value = c === close && (want === "," || first);
    if (value) open.pop();
    else if (want === "v") {
      if ("]}:,".includes(c)) break;
      value = c !== "{" && c !== "[";
      if (!value) open.push(c === "{" ? "}" : "]");
      want = c === "{" ? "k" : "v";
      first = !value;
      if (!value) continue;
    } else if (want !== (c === '"' ? "k" : c)) break;
    else want = want === "k" ? ":" : want === ":" || close === "]" ? "v" : "k";
    first = false;
    if (value) want = open.length ? "," : "e";
    number = c === "-" || (c >= "0" && c <= "9") ? token.lastIndex : -1;
    digits = t;
  }
  let at = token.lastIndex - (t?.length ?? 0);
  const close = open[open.length - 1];
  let what;
  if (at === text.length) what = "the text ends too early";
  else if (t === undefined && text[at] === '"' && (want === "v" || want === "k")) {
    // A string where one may come did not match: find its first character JSON refuses.
    what = "a string is not closed";
    for (let i = at + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) {
        [at, what] = [i, "a string holds a raw control character (write it as an escape)"];
        break;
      }
      if (c === 92) {
        const u = text[i + 1] === "u";
        const hex = text.slice(i + 2, i + 6);
        if (i + 1 === text.length || (u && hex.length < 4 && /^[\da-fA-F]*$/.test(hex))) {
          [at, what] = [text.length, "the text ends too early"];
          break;
        }
        if (!(u ? /^[\da-fA-F]{4}$/.test(hex) : '"\\/bfnrt'.includes(text[i + 1]))) {
          [at, what] = [i, u ? "a \\u escape needs four hexadecimal digits" : "a string holds an escape JSON does not have"];
          break;
        }
        i++;
      }
    }
  } else if (
    number === at
      ? // A fraction or exponent without digits, or digits after a leading zero; a second
        // fraction or exponent is a token that cannot come there.
        (text[at] === "." && !/[.eE]/.test(digits)) || (/[eE]/.test(text[at]) && !/[eE]/.test(digits)) || (/\d/.test(text[at]) && /^-?0$/.test(digits))
      : t === undefined && text[at] === "-" && want === "v"
  ) {
    what = "a number is not written as JSON writes one (digits after '.' and 'e', no leading zero)";
  } else {
    what = `expected ${{ v: "a value", k: "a key in double quotes", ":": "':'", ",": `',' or '${close}'`, e: "the end of the text" }[want]}${first ? ` or '${close}'` : ""}`;
  }
  const lines = text.slice(0, at).split(/\r\n?|\n/);
  return `${what} at line ${lines.length}, column ${[...lines[lines.length - 1]].length + 1}`;
}
