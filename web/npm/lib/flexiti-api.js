// The `flexkit/flexiti` API over the raw wasm-bindgen exports of flexkit-wasm-flexiti.
//
// Requests are plain objects in Flexiti's own field names (`account_number`,
// `financing_option`), amounts exact decimal strings of CAD dollars ("10.50"). Objects cross
// into WebAssembly as JSON text and come back parsed; Flexiti's 16-digit authorization and
// return ids come back as strings, since a JavaScript number cannot hold them exactly.
//
// Invalid *requests* are answered with data (`{ ok, errors, warnings }`), whatever the
// value given; *misuse* (an argument of the wrong type, a freed sandbox) throws an `Error`
// with a `code`. The sandbox throws Flexiti's own error answers as coded Errors too, as a
// fetch wrapper would.

import { callCoded, describe, flexkitError, parseCoded, toJsonText } from "./errors.js";
import { bodyText, fetchClock, readOptions, sandboxFetch, segments } from "./fetch.js";

const KINDS = [
  "authorization", "capture", "release", "return", "refund", "transaction",
  "customerSearch", "customerLookup", "accountVerify", "calculateInterest",
  "authorizationList", "captureList", "authorizationDetail", "skuData",
];

/** The keys of an endpoint descriptor: its kind, the path ids and the ids' environment. */
const ENDPOINT_FIELDS = ["kind", "authorizationId", "captureId", "accountNumber", "issuedIn"];

// A UTF-16 surrogate that is not half of a pair (with the `u` flag a pair is one character),
// for engines without `String.prototype.isWellFormed` (ES2024). Such text has no UTF-8 form:
// a request holding it cannot be sent as JSON.
const lone = typeof "".isWellFormed === "function" ? (s) => !s.isWellFormed() : (s) => /\p{Cs}/u.test(s);

function failure(code, message) {
  return { ok: false, errors: [{ path: "", code, message }], warnings: [] };
}

/**
 * JSON text of a request, or the validation result saying why it cannot be read (a cycle, a
 * throwing getter: `unreadable_input`). A value JSON cannot hold (a bigint, a symbol, a
 * function, and NaN or ±Infinity, which `JSON.stringify` would send as null, as if the field
 * were left out) is not dropped or nulled: it is written as `[]`, which no scalar or object
 * field takes, and listed in `unsupported` with its path and type (the number's own text for
 * NaN and ±Infinity), so that `withUnsupported` reports it as a wrong type at its path, as
 * the `flexkit` entry does. A string with a lone surrogate is written as "" and a key with one
 * left out (either would make the text one the core cannot read, `malformed_json` at the
 * root), each listed as `lone_surrogate` at its path, the key's half shown as U+FFFD.
 */
function requestText(request) {
  const unsupported = [];
  const paths = new Map();
  function replacer(key, value) {
    // `this` is the object holding `value`; the root's holder is a wrapper not in `paths`.
    const parent = paths.get(this);
    const path = parent === undefined ? "" : Array.isArray(this) ? `${parent}[${key}]` : parent === "" ? key : `${parent}.${key}`;
    const type = typeof value;
    if (lone(key)) {
      unsupported.push({ path: path.replace(/\p{Cs}/gu, "\uFFFD"), type: "lone_surrogate" });
      return undefined;
    }
    if (type === "string" && lone(value)) {
      unsupported.push({ path, type: "lone_surrogate" });
      return "";
    }
    if (type === "bigint" || type === "symbol" || type === "function") {
      unsupported.push({ path, type });
      return [];
    }
    if (type === "number" && !Number.isFinite(value)) {
      unsupported.push({ path, type: String(value) });
      return [];
    }
    if (value !== null && type === "object") paths.set(value, path);
    return value;
  }
  let text;
  try {
    text = JSON.stringify(request, replacer);
  } catch (cause) {
    // A cycle is named as the `flexkit` entry names it, not in the engine's words.
    const circular = cause instanceof TypeError && /circular/i.test(describe(cause));
    const why = circular ? "it contains a circular reference" : describe(cause);
    return { result: failure("unreadable_input", `the request cannot be read as JSON: ${why}`) };
  }
  // undefined: JSON has no such value; the core reports the type.
  return { text: typeof text === "string" ? text : "null", unsupported };
}

const within = (path, root) => root === "" || path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);

/**
 * `result` (`{ ok, errors, warnings }`) with each value JSON cannot hold reported where it
 * was: the problems the core found at its path (it saw `[]` there) give way to one
 * `wrong_type`, worded as the core words a wrong type when it did (`… must be a string, not
 * a bigint`), in their place; text with a lone surrogate (the core saw `""`, or no key) to
 * one `lone_surrogate`, as the `flexkit` entry reports it.
 */
function withUnsupported(result, unsupported) {
  if (unsupported.length === 0) return result;
  let errors = Array.isArray(result.errors) ? result.errors.slice() : [];
  let warnings = Array.isArray(result.warnings) ? result.warnings : [];
  for (const { path, type } of unsupported) {
    const at = errors.findIndex((p) => within(p.path, path));
    const replaced = at < 0 ? undefined : errors[at];
    let problem;
    if (type === "lone_surrogate") {
      problem = {
        path, code: "lone_surrogate",
        message: `${path === "" ? "the request" : path} holds a lone UTF-16 surrogate (half of a character outside the BMP), which UTF-8 cannot encode: the request cannot be sent as JSON; check how the text was cut`,
      };
    } else {
      const what = type === "bigint" ? "a bigint" : type === "symbol" ? "a symbol" : type === "function" ? "a function" : `${type}, which is not a finite number`;
      let message;
      if (path === "") {
        message = `the request body must be a JSON object ({...}), not ${what}`;
      } else if (replaced !== undefined && replaced.path === path && replaced.code === "wrong_type" && replaced.message.endsWith(" not an array")) {
        message = `${replaced.message.slice(0, -"an array".length)}${what}`;
      } else {
        message = `${path} must be a value JSON can carry, not ${what}: give it as the field takes it`;
      }
      problem = { path, code: "wrong_type", message };
    }
    errors = errors.filter((p) => !within(p.path, path));
    errors.splice(at < 0 ? errors.length : Math.min(at, errors.length), 0, problem);
    warnings = warnings.filter((p) => !within(p.path, path));
  }
  return { ...result, ok: false, errors, warnings };
}

function isObject(value) {
  return value !== null && typeof value === "object";
}


function randomHex(count) {
  const crypto = globalThis.crypto;
  if (!crypto || typeof crypto.getRandomValues !== "function") {
    throw flexkitError(
      "invalid_argument",
      "this platform has no crypto.getRandomValues; pass referenceId (32 hex digits) yourself",
    );
  }
  const bytes = crypto.getRandomValues(new Uint8Array(count / 2));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** An instant as the raw layer reads it inside JSON: ISO text (Dates and epoch ms converted). */
function isoInstant(value, name) {
  let date;
  try {
    // `instanceof` throws for a revoked Proxy, `getTime` may be a mock's that throws.
    if (value instanceof Date || typeof value === "number") date = new Date(value instanceof Date ? value.getTime() : value);
  } catch (cause) {
    throw flexkitError("invalid_argument", `${name} cannot be read: ${describe(cause)}`);
  }
  if (date !== undefined) {
    if (Number.isNaN(date.getTime())) {
      throw flexkitError("invalid_date", `${name} is not a valid date`);
    }
    return date.toISOString();
  }
  return value;
}

export function createFlexitiApi(raw) {
  const call = callCoded;
  const json = parseCoded;
  const environments = () => json(() => raw.rawEnvironments());
  const now = (value) => (value === undefined || value === null ? Date.now() : value);
  const dispose = Symbol.dispose ?? Symbol.for("Symbol.dispose");
  // Refuses a key other than `fields`, named with the one it likely stands for, as every
  // options object of the package does (credentials and endpoints keep other keys: see below).
  const checkKeys = (value, name, fields) => raw.checkKeys(value, name, fields);
  const readChecked = (value, name, fields) => readOptions(value, name, fields, undefined, checkKeys);

  const checkKind = (kind) => {
    if (typeof kind !== "string" || !KINDS.includes(kind)) {
      throw flexkitError(
        "invalid_argument",
        `kind must be one of ${KINDS.join(", ")}, got ${typeof kind === "string" ? JSON.stringify(kind) : typeof kind}`,
      );
    }
  };

  function validateText(kind, text, options) {
    const { now: at } = readChecked(options, "options", ["now"]);
    return json(() => raw.rawValidate(kind, text, now(at)));
  }

  function validate(kind, request, options) {
    checkKind(kind);
    const read = requestText(request);
    if (read.result) return read.result;
    return withUnsupported(validateText(kind, read.text, options), read.unsupported);
  }

  function validateJson(kind, text, options) {
    checkKind(kind);
    if (typeof text !== "string") {
      throw flexkitError("invalid_argument", `text must be a string of JSON, got ${typeof text}`);
    }
    return validateText(kind, text, options);
  }

  const named = (kind) => (request, options) => validate(kind, request, options);

  function referenceIdOf(value) {
    return value === undefined || value === null ? randomHex(32) : value;
  }

  /**
   * The credentials' own two fields as JSON text: other keys (`credentials()` adds
   * `environment`) are left behind, as the `Credentials` type lets any object carry them.
   */
  function credentialsText(credentials) {
    if (!isObject(credentials)) return toJsonText(credentials, "credentials");
    return toJsonText(readOptions(credentials, "credentials", ["clientId", "clientSecret"]), "credentials");
  }

  function tokenRequest(credentials, environment, options) {
    const o = readChecked(options, "options", ["scope", "refreshToken", "referenceId"]);
    o.referenceId = referenceIdOf(o.referenceId);
    const creds = credentialsText(credentials);
    const text = toJsonText(o, "options");
    return json(() => raw.rawTokenRequest(creds, environment, text));
  }

  function accessToken(answer, environment, receivedAt) {
    const text = toJsonText(answer, "answer");
    return json(() => raw.rawAccessToken(text, environment, receivedAt));
  }

  function tokenState(token, at) {
    const text = toJsonText(token, "token");
    return json(() => raw.rawTokenState(text, at));
  }

  function renewTokenRequest(credentials, token, at, options) {
    const { referenceId } = readChecked(options, "options", ["referenceId"]);
    const creds = credentialsText(credentials);
    const text = toJsonText(token, "token");
    const answer = call(() => raw.rawRenewTokenRequest(creds, text, at, referenceIdOf(referenceId)));
    return answer === undefined || answer === null ? null : JSON.parse(answer);
  }

  function endpointText(endpoint) {
    const descriptor = typeof endpoint === "string" ? { kind: endpoint } : endpoint;
    if (!isObject(descriptor)) {
      throw flexkitError("invalid_argument", "endpoint must be a kind or an object { kind, ...path ids }");
    }
    // Only the descriptor's own keys: any other key an endpoint object carries is left behind.
    return toJsonText(readOptions(descriptor, "endpoint", ENDPOINT_FIELDS), "endpoint");
  }

  function prepare(endpoint, request, setup) {
    const target = endpointText(endpoint);
    if (setup === undefined || setup === null) {
      throw flexkitError("invalid_argument", "setup must be an object { environment, clientId, token, now, ... }");
    }
    const s = readChecked(setup, "setup", ["environment", "clientId", "token", "referenceId", "idempotency", "lang", "now"]);
    const at = s.now;
    s.now = undefined;
    s.referenceId = referenceIdOf(s.referenceId);
    const setupText = toJsonText(s, "setup");
    const read = requestText(request);
    if (read.result) {
      return { ok: false, code: "invalid_request", message: read.result.errors[0].message, ...read.result };
    }
    const answer = json(() => raw.rawPrepare(target, read.text, setupText, at));
    if (read.unsupported.length === 0 || (!answer.ok && answer.code !== "invalid_request")) return answer;
    // A value JSON cannot hold makes the request invalid, whatever else the core found.
    const result = withUnsupported(answer.ok ? { ok: false, errors: [], warnings: [] } : answer, read.unsupported);
    return { ok: false, code: "invalid_request", message: result.errors[0].message, errors: result.errors, warnings: result.warnings };
  }

  function checkRules(kind, request, facts, options) {
    checkKind(kind);
    const { now: at } = readChecked(options, "options", ["now"]);
    const read = requestText(request);
    if (read.result) return read.result;
    let f = facts;
    try {
      if (isObject(facts) && "capturedAt" in facts) {
        f = { ...facts, capturedAt: isoInstant(facts.capturedAt, "facts.capturedAt") };
      }
    } catch (cause) {
      if (typeof cause?.code === "string") throw cause;
      throw flexkitError("invalid_argument", `facts cannot be read: ${describe(cause)}`);
    }
    const factsText = toJsonText(f, "facts");
    const answer = json(() => raw.rawCheckRules(kind, read.text, factsText, now(at)));
    if (read.unsupported.length === 0) return answer;
    // As for any invalid request: its problems, and no rules judged (violations name a code).
    const problems = (answer.errors ?? []).filter((p) => p.flexitiCode === undefined);
    return withUnsupported({ ok: false, errors: problems, warnings: answer.warnings ?? [] }, read.unsupported);
  }

  function parseError(status, body) {
    const text = typeof body === "string" ? body : toJsonText(body, "body");
    return json(() => raw.rawParseError(status, text));
  }

  // Raw handles live here, not on the objects: nothing outside this closure can reach them.
  const handles = new WeakMap();
  const use = (object) => {
    const handle = handles.get(object);
    if (handle === undefined) {
      throw flexkitError("freed_object", "this FlexitiSandbox was freed with free(); create a new one");
    }
    return handle;
  };
  const wrap = (handle) => {
    const object = Object.create(FlexitiSandbox.prototype);
    handles.set(object, handle);
    return object;
  };

  /** The `authorization` header of a call from a token, an AccessToken or a header value. */
  function bearer(token) {
    if (typeof token === "string") return token.startsWith("Bearer ") ? token : `Bearer ${token}`;
    let access;
    try {
      access = isObject(token) ? token.accessToken : undefined;
    } catch (cause) {
      throw flexkitError("invalid_argument", `call.token cannot be read: ${describe(cause)}`);
    }
    if (typeof access === "string") return `Bearer ${access}`;
    throw flexkitError("invalid_argument", "call.token must be the access token (a string) or an AccessToken");
  }

  function sandboxCall(sandbox, endpoint, request, callContext) {
    const r = use(sandbox);
    if (!isObject(callContext)) {
      throw flexkitError("invalid_argument", "call must be an object { token, now, idempotency? }");
    }
    const c = readChecked(callContext, "call", ["token", "now", "idempotency"]);
    const i = readChecked(c.idempotency, "call.idempotency", ["key", "contextHash"]);
    const header = bearer(c.token);
    const target = toJsonText(endpoint, "endpoint");
    const body = request === undefined ? {} : request;
    const read = requestText(body);
    // A bigint, a cycle or a throwing getter: the misuse error `toJsonText` words.
    const misuse = read.result !== undefined || read.unsupported.some((u) => u.type === "bigint");
    if (!misuse && read.unsupported.length > 0) refuseUnsupported(endpoint.kind, read);
    const text = misuse ? toJsonText(body, "request") : read.text;
    const answer = call(() => r.call(target, text, header, c.now, i.key, i.contextHash, false));
    return JSON.parse(answer);
  }

  /**
   * A sandbox call's answer to a request holding values JSON cannot carry (a bigint, a symbol,
   * a function, NaN or ±Infinity, a lone surrogate): 409 `wrong_inputs` at their paths, worded
   * as `validate` reports them, never the call made with them dropped or nulled.
   */
  function refuseUnsupported(kind, read) {
    const { errors } = withUnsupported(validateText(kind, read.text), read.unsupported);
    const fields = errors.map((p) => ({ param: p.path, msg: `${p.message} (${p.code})`, value: null }));
    const answer = parseError(409, errorBody("wrong_inputs", errors[0].message, fields));
    const refused = flexkitError("wrong_inputs", errors[0].message);
    for (const key of ["status", "fieldErrors", "description", "body", "known"]) refused[key] = answer[key];
    refused.flexiti = true;
    throw refused;
  }

  // ---- fetch: the sandbox behind Flexiti's POS API -------------------------------------

  const TRAINING_ORIGIN = "https://posapi-training.flexiti.fi";
  const TRAINING_BASE = `${TRAINING_ORIGIN}/flexiti/pos-api/`;
  const BASE_PATH = "/flexiti/pos-api/";
  // Path ids that cannot be mistaken for any other segment, to turn URLs into templates.
  const SAMPLE_IDS = { authorizationId: "1111111111111111", captureId: "222222222", accountNumber: "33333333333333" };
  // The digits each path id takes (`number (16)`, `number (9)`, `number (14)`, not 0).
  const PATH_IDS = {
    authorizationId: /^[0-9]{1,16}$/,
    captureId: /^[0-9]{1,9}$/,
    accountNumber: /^(?!0+$)[0-9]{1,14}$/,
  };
  const PAGE_FIELDS = ["page_number", "page_size"];
  let routeTable = null;

  /** Every endpoint of `endpoints()` as { kind, method, version, segments }, from the core's paths. */
  function routes() {
    if (routeTable !== null) return routeTable;
    routeTable = json(() => raw.rawEndpoints()).map((endpoint) => {
      const descriptor = { kind: endpoint.kind };
      for (const name of endpoint.pathParams) descriptor[name] = SAMPLE_IDS[name];
      const path = endpoint.kind === "token"
        ? endpoint.example
        : call(() => raw.rawEndpointUrl(JSON.stringify(descriptor), "TRAINING", "client")).slice(TRAINING_BASE.length);
      const [version, ...rest] = path.split("/");
      const segments = rest.map((segment, i) => {
        if (i === 1 && rest[0] === "client-id") return { param: "clientId" };
        const name = endpoint.pathParams.find((p) => SAMPLE_IDS[p] === segment);
        return name === undefined ? segment : { param: name };
      });
      return { kind: endpoint.kind, method: endpoint.method, version, segments, lang: endpoint.lang };
    });
    return routeTable;
  }

  /** The routes a path's segments (below the version) fit, with the path parameters read. */
  function matches(parts) {
    const found = [];
    for (const route of routes()) {
      if (route.segments.length !== parts.length) continue;
      const params = {};
      const fits = route.segments.every((segment, i) => {
        if (typeof segment === "string") return segment === parts[i];
        params[segment.param] = parts[i];
        return true;
      });
      if (fits) found.push({ route, params });
    }
    return found;
  }

  const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };
  const respond = (status, text, headers) => new Response(text, { status, headers: { ...JSON_TYPE, ...headers } });
  /** Flexiti's POS error body (`{ message, error, field_errors }`), as the sandbox's errors carry it. */
  const errorBody = (error, message, fieldErrors) =>
    JSON.stringify(fieldErrors === undefined ? { message, error } : { message, error, field_errors: fieldErrors });
  const wrongInputs = (param, msg, value) =>
    respond(409, errorBody("wrong_inputs", msg, [{ param, msg, value: value ?? null }]));

  /** A GET query as the query types take it: page numbers as numbers, everything else as sent. */
  function queryObject(params) {
    const query = Object.create(null);
    for (const [name, value] of params) {
      if (name in query) return { conflict: name };
      query[name] = PAGE_FIELDS.includes(name) && /^[0-9]{1,9}$/.test(value) ? Number(value) : value;
    }
    return { query };
  }

  const printable = (text) => /^[\x20-\x7e]{1,100}$/.test(text);

  /** What is wrong with a request for `url` that is not for the TRAINING host, in words for
   * `unknown_host`: the host of another Flexiti environment (PRODUCTION above all), the
   * TRAINING host with another scheme or port, another Flexiti host, or an unrelated one. */
  function wrongHost(url) {
    const host = url.hostname;
    const environment = environments().find((e) => new URL(e.baseUrl).hostname === host);
    if (environment !== undefined && environment.id === "PRODUCTION") {
      return ` (${host} is Flexiti's PRODUCTION host, which a test must never call)`;
    }
    if (environment !== undefined && environment.id !== "TRAINING") {
      return ` (${host} is Flexiti's ${environment.name} host; this sandbox answers as TRAINING, so use TRAINING's base URL)`;
    }
    if (environment !== undefined) {
      if (url.protocol !== "https:") {
        return ` (the scheme is ${url.protocol.slice(0, -1)}, but Flexiti's POS API is HTTPS only)`;
      }
      return ` (port ${url.port} is not Flexiti's: its POS API answers on HTTPS's own port)`;
    }
    if (host === "flexiti.fi" || host.endsWith(".flexiti.fi")) {
      return ` (${host} is a Flexiti host but not its POS API's)`;
    }
    return ` (${host} is not a Flexiti host)`;
  }

  function createFetch(sandbox, options) {
    // Refuses a key other than `now`, as the FlexPay sandbox's `createFetch` does.
    const clock = fetchClock(options, checkKeys);
    routes();
    return sandboxFetch(TRAINING_ORIGIN, "Flexiti's TRAINING POS API", wrongHost, async (request) => {
      const r = use(sandbox);
      const url = new URL(request.url);
      const notFound = () => respond(404, errorBody("not_found", `the Flexiti POS API has no ${url.pathname}`));
      if (!url.pathname.startsWith(BASE_PATH)) return notFound();
      const parts = segments(url.pathname.slice(BASE_PATH.length).replace(/\/+$/, ""));
      const [version, ...rest] = parts;
      const found = matches(rest);
      if (found.length === 0) return notFound();
      const right = found.filter((f) => f.route.version === version);
      if (right.length === 0) {
        const versions = [...new Set(found.map((f) => f.route.version))].join(" or ");
        return respond(404, errorBody("not_found", `the Flexiti POS API has no ${url.pathname}; this call is on ${versions}`));
      }
      const match = right.find((f) => f.route.method === request.method);
      if (match === undefined) {
        const allowed = [...new Set(right.map((f) => f.route.method))].join(", ");
        return respond(
          405,
          errorBody("method_not_allowed", `${url.pathname} takes ${allowed}, not ${request.method}`),
          { allow: allowed },
        );
      }
      const { route, params } = match;
      let text = request.method === "GET" ? "" : await bodyText(request);
      // Once the path names a call: every call carries its flow's x-reference-id, and a POST
      // call that documents `lang` reads `?lang=` as a GET query reads its own (GET queries
      // go to the query types). Flexiti's answer is thrown, or a Response returned.
      const transport = () => {
        const langs = route.method === "POST" && route.lang ? url.searchParams.getAll("lang") : [];
        if (langs.length > 1) return wrongInputs("lang", "lang appears more than once in the query; send it once", langs.join(","));
        call(() => raw.rawCheckHttp(request.headers.get("x-reference-id") ?? undefined, langs[0]));
        return undefined;
      };
      const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
      try {
        if (route.kind === "token") {
          // The form must say it is one (reference §4.1): `fetch` labels a string body
          // text/plain, so a client that forgot the header fails here, as at Flexiti.
          if (type !== "application/x-www-form-urlencoded") {
            const msg = `the token call takes content-type application/x-www-form-urlencoded, not ${type === "" ? "none" : type}: send the form tokenRequest() writes with the headers it names`;
            return respond(400, errorBody("invalid_request", msg, [{ param: "", msg, value: null }]));
          }
          return transport() ?? respond(200, r.token(text, clock()));
        }
        const { clientId } = JSON.parse(call(() => r.credentials()));
        if (params.clientId !== clientId) {
          return respond(400, errorBody("invalid_client", `client id ${JSON.stringify(params.clientId)} is not this merchant's; use the client id the token was issued for`));
        }
        const endpoint = { kind: route.kind };
        for (const [name, pattern] of Object.entries(PATH_IDS)) {
          if (params[name] === undefined) continue;
          if (!pattern.test(params[name])) {
            return respond(404, errorBody("not_found", `${url.pathname}: ${params[name]} is not a Flexiti ${name}, so nothing is found there`));
          }
          endpoint[name] = params[name];
        }
        const refused = transport();
        if (refused !== undefined) return refused;
        if (route.method === "GET") {
          const { query, conflict } = queryObject(url.searchParams);
          if (conflict !== undefined) {
            return wrongInputs(conflict, `${conflict} appears more than once in the query; send it once`, url.searchParams.getAll(conflict).join(","));
          }
          text = JSON.stringify(query);
        }
        const header = request.headers.get("authorization") ?? "";
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
        const authorization = bearer === null ? header : `Bearer ${bearer[1]}`;
        let key = request.headers.get("x-idempotency-key") ?? undefined;
        // Flexiti reads x-context-hash only with x-idempotency-key.
        let hash = key === undefined ? undefined : request.headers.get("x-context-hash") ?? undefined;
        for (const [name, value] of [["x-idempotency-key", key], ["x-context-hash", hash]]) {
          if (value !== undefined && !printable(value)) {
            return wrongInputs(name, `${name} must be 1 to 100 printable ASCII characters`, value);
          }
        }
        // The other calls' bodies are JSON (reference §3, inferred): one labelled otherwise —
        // `fetch` labels a string body text/plain when the header is forgotten — is refused,
        // so a client that would send Flexiti an unparsed body fails its tests here.
        if (route.method !== "GET" && text !== "" && type !== "application/json") {
          const msg = `this call takes a JSON body with content-type application/json, not ${type === "" ? "none" : type}: send the headers prepare() writes`;
          return respond(400, errorBody("invalid_request", msg, [{ param: "", msg, value: null }]));
        }
        // Flexiti's wire: 16-digit ids as JSON numbers, which `readAnswer` reads back whole.
        return respond(200, r.call(JSON.stringify(endpoint), text, authorization, clock(), key, hash, true));
      } catch (cause) {
        // Flexiti's own answers carry their HTTP status and POS body; anything else is misuse.
        if (cause instanceof Error && cause.flexiti === true && typeof cause.status === "number") {
          const body = typeof cause.body === "string" ? cause.body : errorBody(cause.code, cause.message);
          return respond(cause.status, body);
        }
        throw cause;
      }
    });
  }

  class FlexitiSandbox {
    constructor(seed) {
      handles.set(this, call(() => new raw.RawFlexitiSandbox(seed)));
    }
    static fromSnapshot(text) {
      return wrap(call(() => raw.RawFlexitiSandbox.fromSnapshot(text)));
    }
    static testData() {
      return json(() => raw.RawFlexitiSandbox.testData());
    }
    snapshot() {
      const r = use(this);
      return call(() => r.snapshot());
    }
    toJSON() {
      return this.snapshot();
    }
    restore(text) {
      const r = use(this);
      call(() => r.restore(text));
    }
    credentials() {
      const r = use(this);
      return json(() => r.credentials());
    }
    token(body, at) {
      const r = use(this);
      return json(() => r.token(body, at));
    }
    issueToken(at, options) {
      const { scope } = readChecked(options, "options", ["scope"]);
      const { clientId, clientSecret } = this.credentials();
      const request = tokenRequest({ clientId, clientSecret }, "TRAINING", scope === undefined ? {} : { scope });
      return accessToken(this.token(request.body, at), "TRAINING", at);
    }
    lookup(query, c) {
      return sandboxCall(this, { kind: "customerLookup" }, query, c);
    }
    search(query, c) {
      return sandboxCall(this, { kind: "customerSearch" }, query, c);
    }
    verify(accountNumber, request, c) {
      return sandboxCall(this, { kind: "accountVerify", accountNumber }, request, c);
    }
    calculateInterest(accountNumber, request, c) {
      return sandboxCall(this, { kind: "calculateInterest", accountNumber }, request, c);
    }
    authorize(request, c) {
      return sandboxCall(this, { kind: "authorization" }, request, c);
    }
    capture(authorizationId, request, c) {
      return sandboxCall(this, { kind: "capture", authorizationId }, request, c);
    }
    release(authorizationId, request, c) {
      return sandboxCall(this, { kind: "release", authorizationId }, request, c);
    }
    returnCapture(authorizationId, captureId, request, c) {
      return sandboxCall(this, { kind: "return", authorizationId, captureId }, request, c);
    }
    refund(accountNumber, request, c) {
      return sandboxCall(this, { kind: "refund", accountNumber }, request, c);
    }
    transaction(request, c) {
      return sandboxCall(this, { kind: "transaction" }, request, c);
    }
    authorizations(query, c) {
      return sandboxCall(this, { kind: "authorizationList" }, query, c);
    }
    captures(query, c) {
      return sandboxCall(this, { kind: "captureList" }, query, c);
    }
    authorizationDetail(authorizationId, query, c) {
      return sandboxCall(this, { kind: "authorizationDetail", authorizationId }, query, c);
    }
    createFetch(options) {
      use(this);
      return createFetch(this, options);
    }
    free() {
      const handle = handles.get(this);
      if (handle !== undefined) {
        handles.delete(this);
        handle.free();
      }
    }
    [dispose]() {
      this.free();
    }
  }

  return {
    version: () => call(() => raw.version()),
    environments,
    endpoints: () => json(() => raw.rawEndpoints()),
    endpointUrl: (endpoint, environment, clientId) => {
      const text = endpointText(endpoint);
      return call(() => raw.rawEndpointUrl(text, environment, clientId));
    },
    limits: () => json(() => raw.rawLimits()),
    errorCodes: () => json(() => raw.rawErrorCodes()),
    newReferenceId: () => randomHex(32),
    tokenRequest,
    accessToken,
    tokenState,
    tokenNeedsRefresh: (token, at) => tokenState(token, at).state !== "fresh",
    renewTokenRequest,
    validate,
    validateJson,
    validateTokenForm: (body) => json(() => raw.rawValidateTokenForm(body)),
    validateAuthorization: named("authorization"),
    validateCapture: named("capture"),
    validateRelease: named("release"),
    validateReturn: named("return"),
    validateRefund: named("refund"),
    validateTransaction: named("transaction"),
    validateCustomerSearch: named("customerSearch"),
    validateCustomerLookup: named("customerLookup"),
    validateAccountVerify: named("accountVerify"),
    validateCalculateInterest: named("calculateInterest"),
    validateAuthorizationList: named("authorizationList"),
    validateCaptureList: named("captureList"),
    validateAuthorizationDetail: named("authorizationDetail"),
    validateSkuData: named("skuData"),
    prepare,
    checkRules,
    regularPurchaseBypassAllowed: (amount, count) => call(() => raw.rawRegularPurchaseBypassAllowed(amount, count)),
    parseError,
    readAnswer: (text) => json(() => raw.rawReadAnswer(text)),
    FlexitiSandbox,
  };
}
