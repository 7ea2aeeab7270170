// Shared by the sandbox and Flexiti entries (only they load this file): reading an options
// object, `createFetch`'s options and clock, and reading a request as `fetch` would send it.

import { callCoded, describe, flexkitError } from "./errors.js";

/** Reads the named fields of an options object into a plain one, or throws
 * `invalid_argument`. Left out (undefined or null) it reads as `{}`, unless `shape` names
 * the object it must be (`"{ now, company, mode }"`). With `checkKeys` (the module's raw
 * export of that name) a key other than `fields` is refused too, named with the field it
 * likely stands for, in the words of `RetryChain`'s options (`crates/wasm/src/js.rs`). */
export function readOptions(value, name, fields, shape, checkKeys) {
  if (value === undefined || value === null) {
    if (shape === undefined) return {};
    throw flexkitError("invalid_argument", `${name} must be an object: ${shape}`);
  }
  if (typeof value !== "object") {
    throw flexkitError("invalid_argument", `${name} must be an object, got ${typeof value}`);
  }
  if (checkKeys !== undefined) callCoded(() => checkKeys(value, name, fields));
  const out = {};
  try {
    for (const field of fields) out[field] = value[field];
  } catch (cause) {
    throw flexkitError("invalid_argument", `${name} cannot be read: ${describe(cause)}`);
  }
  return out;
}

/** `options.now` of `createFetch(options)` (default `Date.now`), checked once, as a clock
 * whose failures are coded Errors; another key is refused (`checkKeys`, as `readOptions`). */
export function fetchClock(options, checkKeys) {
  if (typeof Response !== "function" || typeof Request !== "function") {
    throw flexkitError("unsupported", "createFetch needs the fetch API's Request and Response (Node.js 20 or later, or a browser)");
  }
  const { now = () => Date.now() } = readOptions(options, "options", ["now"], undefined, checkKeys);
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

/** `fetch(input, init)`'s request; what `Request` refuses is a coded Error, and so is another
 * host than `origin` (`unknown_host`, worded with `others`, what sending there would mean: a
 * text, or a function of the request's `URL` answering one): a client with a wrong base URL
 * must not pass its tests. A URL without scheme and host (`/v1/transactions`, what a client
 * with an empty base URL asks for) is `unknown_host` too: Node's `fetch` cannot send it and a
 * browser's sends it to the page's own host, never to `origin`. An aborted `init.signal`
 * rejects as `fetch` does, with the signal's reason. */
export function readRequest(input, init, origin, service, others = "") {
  if (typeof input === "string" && !absolute(input)) {
    throw flexkitError(
      "unknown_host",
      `this fetch answers ${service} at ${origin} only, not ${JSON.stringify(input.slice(0, 200))}, a URL without scheme and host: Node's fetch cannot send it, and a browser's sends it to the page's own host; check the client's base URL`,
    );
  }
  let request;
  try {
    request = new Request(input, init);
  } catch (cause) {
    throw flexkitError("invalid_argument", `not a request fetch could send: ${describe(cause)}`);
  }
  const url = new URL(request.url);
  if (url.origin !== origin) {
    throw flexkitError(
      "unknown_host",
      `this fetch answers ${service} at ${origin} only, not ${url.origin}${typeof others === "function" ? others(url) : others}; check the client's base URL`,
    );
  }
  stopIfAborted(request);
  return request;
}

/** The `fetch` function of a sandbox: each request read by `readRequest` (with `origin`,
 * `service` and `others`), answered by `serve(request)`, and its `Response` given the
 * request's URL as `url`, as `fetch` gives it (without a fragment), where a `Response` built
 * by hand has "". */
export function sandboxFetch(origin, service, others, serve) {
  return async function fetch(input, init) {
    const request = readRequest(input, init, origin, service, others);
    const response = await serve(request);
    const url = new URL(request.url);
    url.hash = "";
    Object.defineProperty(response, "url", { value: url.href, configurable: true });
    return response;
  };
}

/** Whether `text` is a URL with a scheme, which `fetch` reads without a base. */
function absolute(text) {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** Rejects as `fetch` does once the request's signal is aborted: with the signal's reason. */
export function stopIfAborted(request) {
  if (request.signal?.aborted) throw request.signal.reason;
}

/** The body of `request` as text; one that cannot be read is a coded Error. */
export function bodyText(request) {
  return request.text().then(
    (text) => {
      stopIfAborted(request);
      return text;
    },
    (cause) => {
      stopIfAborted(request);
      throw flexkitError("invalid_argument", `the request body cannot be read: ${describe(cause)}`);
    },
  );
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
