// Shared by the sandboxes' `createFetch`: its options and clock, and reading a request as
// `fetch` would send it. Only the sandbox and Flexiti entries load this file.

import { describe, flexkitError } from "./errors.js";

/** `options.now` of `createFetch(options)` (default `Date.now`), checked once, as a clock
 * whose failures are coded Errors. */
export function fetchClock(options) {
  if (typeof Response !== "function" || typeof Request !== "function") {
    throw flexkitError("unsupported", "createFetch needs the fetch API's Request and Response (Node 18 or later, or a browser)");
  }
  const o = options === undefined || options === null ? {} : options;
  if (typeof o !== "object") throw flexkitError("invalid_argument", "options must be an object such as { now }");
  let now;
  try {
    ({ now = () => Date.now() } = o);
  } catch (cause) {
    throw flexkitError("invalid_argument", `options cannot be read: ${describe(cause)}`);
  }
  if (typeof now !== "function") {
    throw flexkitError("invalid_argument", "options.now must be a function answering the sandbox's current instant");
  }
  return () => {
    try {
      return now();
    } catch (cause) {
      if (typeof cause?.code === "string") throw cause;
      throw flexkitError("invalid_argument", `options.now threw: ${describe(cause)}`);
    }
  };
}

/** `fetch(input, init)`'s request, a bare path read against `base`; what `Request` refuses
 * is a coded Error. */
export function readRequest(input, init, base) {
  try {
    const target = typeof input === "string" && input.startsWith("/") ? new URL(input, base).href : input;
    return new Request(target, init);
  } catch (cause) {
    throw flexkitError("invalid_argument", `not a request fetch could send: ${describe(cause)}`);
  }
}

/** The body of `request` as text; one that cannot be read is a coded Error. */
export function bodyText(request) {
  return request.text().then(undefined, (cause) => {
    throw flexkitError("invalid_argument", `the request body cannot be read: ${describe(cause)}`);
  });
}

/** The path segments of `path`, percent-decoded where they decode. */
export function segments(path) {
  return path.split("/").map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
}
