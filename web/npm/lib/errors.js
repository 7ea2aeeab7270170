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
