// Shared by the JS layers: typed errors for misuse, never a wasm trap.

/** A real `Error` carrying a stable machine-readable `code`. */
export function flexkitError(code, message) {
  const error = new Error(message);
  error.name = "FlexkitError";
  error.code = code;
  return error;
}

/** JSON text of a user value, or a coded error (cycles, BigInt, throwing getters, Proxies). */
export function toJsonText(value, name) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
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
 * token along JSON's grammar up to the first one that cannot come there.
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
  }
  const at = token.lastIndex - (t?.length ?? 0);
  const close = open[open.length - 1];
  const lines = text.slice(0, at).split("\n");
  const what =
    at === text.length
      ? "the text ends too early"
      : t === undefined && text[at] === '"'
        ? "a string is not closed or holds a raw control character or an unknown escape"
        : `expected ${{ v: "a value", k: "a key in double quotes", ":": "':'", ",": `',' or '${close}'`, e: "the end of the text" }[want]}${first ? ` or '${close}'` : ""}`;
  return `${what} at line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
}
