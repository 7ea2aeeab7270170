// The `flexkit/sandbox` API over the raw wasm-bindgen exports of flexkit-wasm-sandbox.
// Objects cross as JSON text; instants as a Date, an ISO 8601 string or epoch milliseconds.
// Each class keeps its raw handle private, so use after `free()` is a coded Error
// (`freed_object`) rather than wasm-bindgen's uncoded "null pointer passed to rust".

import { callCoded, flexkitError, jsonFault, parseCoded, toJsonText } from "./errors.js";
import { bodyText, fetchClock, readOptions, sandboxFetch, segments } from "./fetch.js";

export function createSandboxApi(raw) {
  const call = callCoded;
  const json = parseCoded;
  // Options objects refuse keys they do not take (readOptions in lib/fetch.js).
  const checkKeys = (value, name, fields) => raw.checkKeys(value, name, fields);
  const optionalJson = (value, name) =>
    value === undefined || value === null ? undefined : toJsonText(value, name);
  // A chain's inputs are the caller's own values, not a body on its way to FlexPay: a number
  // or a Date JSON cannot hold (NaN, Infinity, an Invalid Date), which JSON.stringify writes
  // as null, is refused rather than read as absent (a NaN retryDate would end a recovery).
  const unheldIn = (name) =>
    function unheld(key, v) {
      const at = key === "" ? name : `${name}: ${key}`;
      // An Invalid Date's toJSON gives null: only then is the value itself read again (a
      // Date of another realm too).
      if (v === null) {
        let date = false;
        try {
          const original = this[key];
          date = Object.prototype.toString.call(original) === "[object Date]"
            && Number.isNaN(Date.prototype.getTime.call(original));
        } catch {
          throw flexkitError("invalid_argument", `${at} cannot be read`);
        }
        if (date) throw flexkitError("invalid_date", `${at} is an Invalid Date; give a valid Date, an ISO 8601 string or null`);
      }
      if (typeof v === "number" && !Number.isFinite(v)) {
        throw flexkitError("invalid_argument", `${at} is ${v}, which is no number JSON can hold; give a finite number`);
      }
      return v;
    };
  const chainText = (value, name) =>
    value === undefined || value === null ? undefined : toJsonText(value, name, unheldIn(name));
  // A list call's query object; a value of the wrong type in it is answered by the core
  // (HTTP 400 `invalid_list_query`), anything but an object is misuse.
  // Read first: `Array.isArray` throws for a revoked Proxy, which the reading words.
  const queryText = (query) => {
    const text = optionalJson(query, "query");
    if (text !== undefined && (typeof query !== "object" || Array.isArray(query))) {
      throw flexkitError("invalid_argument", 'query must be an object such as { order: "desc", count: 50 }');
    }
    return text;
  };
  // An object literal or what `JSON.parse` made: not an array, a Date, a Map or a class's.
  const isPlainObject = (value) => {
    if (value === null || typeof value !== "object") return false;
    try {
      const prototype = Object.getPrototypeOf(value);
      return prototype === Object.prototype || prototype === null;
    } catch {
      return false; // a revoked Proxy
    }
  };
  // A gateway object, as `validateGateway` takes it: anything but a plain object is misuse.
  const gatewayText = (gateway) => {
    const text = toJsonText(gateway, "gateway");
    if (!isPlainObject(gateway)) {
      throw flexkitError("invalid_argument", 'gateway must be an object such as { name, gatewayType, currencyCode, status }');
    }
    return text;
  };
  const freed = (what) =>
    flexkitError("freed_object", `this ${what} was freed with free(); create a new one`);
  const dispose = Symbol.dispose ?? Symbol.for("Symbol.dispose");
  // Raw handles live here, not on the objects: nothing outside this closure can reach them.
  const handles = new WeakMap();
  const wrap = (Class, handle) => {
    const object = Object.create(Class.prototype);
    handles.set(object, handle);
    return object;
  };
  const use = (object, what) => {
    const handle = handles.get(object);
    if (handle === undefined) throw freed(what);
    return handle;
  };
  const free = (object) => {
    const handle = handles.get(object);
    if (handle !== undefined) {
      handles.delete(object);
      handle.free();
    }
  };

  const followUp = (sandbox, kind, apiKey, transactionId, request, now) => {
    const r = use(sandbox, "Sandbox");
    const text = toJsonText(request, "request");
    return json(() => r.followUp(kind, apiKey, transactionId, text, now));
  };

  // The vault calls share one raw export; `op` names the call, "null" stands for no body.
  const vault = (r, op, apiKey, paymentMethodId, text, now) =>
    json(() => r.paymentMethods(op, apiKey, paymentMethodId, text, now));

  // ---- fetch: the sandbox behind FlexPay's HTTP API -------------------------------------

  const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };
  const answer = (status, body, headers) =>
    new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
  const FOLLOW_UPS = { capture: "capture", void: "void", refund: "refund", refundedpayment: "refundedPayment" };

  /**
   * `?order=desc&count=50` as the list calls take it, read when a list call asks for it.
   * `count` must be digits; the other parameters go on as text, and the core answers a bad
   * value with HTTP 400 `invalid_list_query` naming the parameter and what it takes (a count
   * outside 1 to 100 in the words below, the core's `COUNT_TAKES`).
   */
  const listQuery = (params) => () => {
    const query = {};
    for (const [name, value] of params) {
      if (name === "count" && !/^[0-9]+$/.test(value)) {
        const message = `count must be a whole number of items per page, 1 to 100 (20 when left out), not ${JSON.stringify(value)}`;
        throw Object.assign(flexkitError("invalid_list_query", message), { status: 400 });
      }
      query[name] = name === "count" ? Number(value) : value;
    }
    return query;
  };

  /**
   * The call a method and path name, as [allowed methods, run]; `run(key, body, query, now)`,
   * where `body(optional)` and `query()` read the request's. `null` for a path FlexPay does
   * not have.
   */
  function routeOf(sandbox, path) {
    const parts = segments(path).slice(1);
    const [v1, resource, id, action, extra] = parts;
    if (parts.length === 2 && v1 === "api" && resource === "test") {
      return [{ GET: () => [200, { message: "flexkit FlexPay sandbox: connected" }] }, false];
    }
    if (v1 !== "v1" || extra !== undefined) return null;
    const ok = (value) => [200, value];
    if (resource === "gateways" && action === undefined && (id === "charge" || id === "authorize")) {
      return [{ POST: (key, body, _, now) => ok(sandbox[id](key, body(), now)) }, true];
    }
    if (resource === "transactions") {
      if (id === undefined) return [{ GET: (key, _, query) => ok(sandbox.listTransactions(key, query())) }, true];
      if (id === "byMerchantTransactionId" && action !== undefined) {
        return [{ GET: (key) => ok(sandbox.getTransactionByMerchantId(key, action)) }, true];
      }
      if (action === undefined) return [{ GET: (key) => ok(sandbox.getTransaction(key, id)) }, true];
      const kind = FOLLOW_UPS[action];
      if (kind !== undefined) return [{ POST: (key, body, _, now) => ok(sandbox[kind](key, id, body(), now)) }, true];
      return null;
    }
    if (resource === "paymentmethods") {
      if (id === undefined) {
        return [{
          GET: (key, _, query) => ok(sandbox.listPaymentMethods(key, query())),
          POST: (key, body, _, now) => ok(sandbox.createPaymentMethod(key, body(), now)),
        }, true];
      }
      if (action === undefined) {
        return [{
          GET: (key) => ok(sandbox.getPaymentMethod(key, id)),
          PUT: (key, body, _, now) => ok(sandbox.updatePaymentMethod(key, id, body(true), now)),
        }, true];
      }
      if (action === "redact") return [{ PUT: (key, _, __, now) => ok(sandbox.redactPaymentMethod(key, id, now)) }, true];
      if (action === "recache") return [{ PUT: (key, body, _, now) => ok(sandbox.recachePaymentMethod(key, id, body(), now)) }, true];
    }
    return null;
  }

  function createFetch(sandbox, options) {
    const now = fetchClock(options, checkKeys);
    return sandboxFetch("https://api.flexpay.io", "FlexPay's API",
      " (sandbox and production keys share api.flexpay.io; sandbox-api.flexpay.io is another product's)", async (request) => {
      // A freed sandbox answers nothing, not even the health check; nor does a broken clock,
      // whether or not the call needs the time.
      use(sandbox, "Sandbox");
      const instant = now();
      call(() => raw.checkInstant(instant));
      const url = new URL(request.url);
      const route = routeOf(sandbox, url.pathname.replace(/\/+$/, ""));
      if (route === null) return answer(404, { code: "not_found", message: `FlexPay has no ${url.pathname}` });
      const [methods, needsKey] = route;
      const run = methods[request.method];
      if (run === undefined) {
        const allowed = Object.keys(methods).join(", ");
        return answer(405, { code: "method_not_allowed", message: `${url.pathname} takes ${allowed}, not ${request.method}` }, { allow: allowed });
      }
      let key = "";
      if (needsKey) {
        const match = /^Basic\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
        if (match === null) {
          return answer(401, { code: "unauthorized", message: "send the API key as the Authorization header: Basic <API key>" });
        }
        key = match[1];
      }
      const text = await bodyText(request);
      let parsed;
      let malformed = null;
      if (text.trim() !== "") {
        try {
          parsed = JSON.parse(text);
        } catch {
          malformed = jsonFault(text);
        }
      }
      const body = (optional) => {
        if (malformed !== null) throw Object.assign(flexkitError("malformed_request", `the body is not JSON: ${malformed}`), { status: 400 });
        if (parsed === undefined && !optional) throw Object.assign(flexkitError("malformed_request", "the call needs a JSON body"), { status: 400 });
        return parsed;
      };
      try {
        const [status, value] = run(key, body, listQuery(url.searchParams), instant);
        return answer(status, value);
      } catch (cause) {
        // Answers FlexPay gives with an HTTP status; anything else is misuse and is thrown.
        if (cause instanceof Error && typeof cause.status === "number") {
          return answer(cause.status, { code: cause.code, message: cause.message });
        }
        throw cause;
      }
    });
  }

  class RetryChain {
    constructor() {
      throw flexkitError(
        "invalid_argument",
        "create a RetryChain with RetryChain.afterGatewayDecline(), " +
          "RetryChain.initialAttemptThroughFlexPay() or RetryChain.fromJson()",
      );
    }
    static afterGatewayDecline(merchantReference, declinedAt, options) {
      const text = chainText(options, "options");
      return wrap(RetryChain, call(() => raw.RawRetryChain.afterGatewayDecline(merchantReference, declinedAt, text)));
    }
    static initialAttemptThroughFlexPay(merchantReference, createdAt, options) {
      const text = chainText(options, "options");
      return wrap(RetryChain, call(() => raw.RawRetryChain.initialAttemptThroughFlexPay(merchantReference, createdAt, text)));
    }
    /** The text `toJson()` wrote, or the object `toJSON()` answers (a plain object, as
     * `JSON.parse` gives it back from a document that embedded the chain). */
    static fromJson(json) {
      if (typeof json !== "string" && !isPlainObject(json)) {
        let given = typeof json;
        try {
          given = json === null ? "null" : Array.isArray(json) ? "an array" : given === "object" ? "an object of a class" : given;
        } catch {
          given = "an object that cannot be read"; // a revoked Proxy
        }
        throw flexkitError("invalid_argument", `json must be the text toJson() wrote or the object toJSON() answers (a plain object, as JSON.parse gives it), got ${given}`);
      }
      const text = typeof json === "string" ? json : toJsonText(json, "json");
      return wrap(RetryChain, call(() => raw.RawRetryChain.fromJson(text)));
    }
    toJson() {
      const r = use(this, "RetryChain");
      return call(() => r.toJson());
    }
    /** The stored document as an object, so `JSON.stringify` embeds the chain (a CRM's JSON
     * column); `RetryChain.fromJson` reads it back. */
    toJSON() {
      return JSON.parse(this.toJson());
    }
    nextAttempt(now) {
      const r = use(this, "RetryChain");
      return json(() => r.nextAttempt(now));
    }
    peekAttempt(now) {
      const r = use(this, "RetryChain");
      return json(() => r.peekAttempt(now));
    }
    recordResponse(response, now) {
      const r = use(this, "RetryChain");
      let body;
      try {
        body = response !== null && typeof response === "object" && "transaction" in response ? response.transaction : response;
      } catch (cause) {
        throw flexkitError("invalid_argument", `response cannot be read: ${cause?.message ?? "unreadable value"}`);
      }
      const text = toJsonText(body, "response", unheldIn("response"));
      return json(() => r.recordResponse(text, now));
    }
    abandonAttempt() {
      const r = use(this, "RetryChain");
      call(() => r.abandonAttempt());
    }
    stop(reason, now) {
      const r = use(this, "RetryChain");
      return json(() => r.stop(reason, now));
    }
    recordRefund(refundTransactionId, amount, now) {
      const r = use(this, "RetryChain");
      return json(() => r.recordRefund(refundTransactionId, amount, now));
    }
    snapshot() {
      const r = use(this, "RetryChain");
      return json(() => r.snapshot());
    }
    get status() {
      return this.snapshot().status;
    }
    get retryCount() {
      return this.snapshot().retryCount;
    }
    get referenceData() {
      return this.snapshot().referenceData;
    }
    get dueAt() {
      return this.snapshot().dueAt;
    }
    free() {
      free(this);
    }
    [dispose]() {
      this.free();
    }
  }

  class Sandbox {
    constructor(seed) {
      handles.set(this, call(() => new raw.RawSandbox(seed)));
    }
    static fromSnapshot(text) {
      return wrap(Sandbox, call(() => raw.RawSandbox.fromSnapshot(text)));
    }
    snapshot() {
      const r = use(this, "Sandbox");
      return call(() => r.snapshot());
    }
    /** The snapshot text, so `JSON.stringify` embeds it as a string (as `FlexitiSandbox`'s). */
    toJSON() {
      return this.snapshot();
    }
    createCompany(name, code, now) {
      const r = use(this, "Sandbox");
      return json(() => r.createCompany(name, code, now));
    }
    recoveryLimits(company) {
      const r = use(this, "Sandbox");
      return json(() => r.recoveryLimits(company));
    }
    /** The object as given: wasm reads it field by field, refusing unknown keys by name. */
    setRecoveryLimits(company, limits) {
      const r = use(this, "Sandbox");
      const text = limits === null || typeof limits !== "object" ? "" : toJsonText(limits, "limits");
      if (text === "" || Array.isArray(limits)) {
        throw flexkitError("invalid_argument", "limits must be an object { maxRetries, windowDays }");
      }
      return json(() => r.setRecoveryLimits(company, text));
    }
    generateApiKey(name, options) {
      const r = use(this, "Sandbox");
      // No default `now`: the sandbox never reads the clock, so one seed and one sequence of
      // calls always give the same keys and snapshots.
      const { company = "DEFAULT", mode = "sandbox", now } =
        readOptions(options, "options", ["company", "mode", "now"], "{ now, company, mode }", checkKeys);
      return json(() => r.generateApiKey(name, company, mode, now));
    }
    charge(apiKey, request, now) {
      const r = use(this, "Sandbox");
      const text = toJsonText(request, "request");
      return json(() => r.charge(apiKey, text, now));
    }
    authorize(apiKey, request, now) {
      const r = use(this, "Sandbox");
      const text = toJsonText(request, "request");
      return json(() => r.authorize(apiKey, text, now));
    }
    capture(apiKey, transactionId, request, now) {
      return followUp(this, "capture", apiKey, transactionId, request, now);
    }
    void(apiKey, transactionId, request, now) {
      return followUp(this, "void", apiKey, transactionId, request, now);
    }
    refund(apiKey, transactionId, request, now) {
      return followUp(this, "refund", apiKey, transactionId, request, now);
    }
    refundedPayment(apiKey, transactionId, request, now) {
      return followUp(this, "refundedPayment", apiKey, transactionId, request, now);
    }
    getTransaction(apiKey, transactionId) {
      const r = use(this, "Sandbox");
      return json(() => r.getTransaction(apiKey, transactionId));
    }
    getTransactionByMerchantId(apiKey, merchantTransactionId) {
      const r = use(this, "Sandbox");
      return json(() => r.getTransactionByMerchantId(apiKey, merchantTransactionId));
    }
    listTransactions(apiKey, query) {
      const r = use(this, "Sandbox");
      const text = queryText(query);
      return json(() => r.listTransactions(apiKey, text));
    }
    createPaymentMethod(apiKey, request, now) {
      const r = use(this, "Sandbox");
      return vault(r, "create", apiKey, "", toJsonText(request, "request"), now);
    }
    listPaymentMethods(apiKey, query) {
      const r = use(this, "Sandbox");
      return vault(r, "list", apiKey, "", queryText(query) ?? "null");
    }
    getPaymentMethod(apiKey, paymentMethodId) {
      const r = use(this, "Sandbox");
      return vault(r, "get", apiKey, paymentMethodId, "null");
    }
    updatePaymentMethod(apiKey, paymentMethodId, request, now) {
      const r = use(this, "Sandbox");
      return vault(r, "update", apiKey, paymentMethodId, optionalJson(request, "request") ?? "null", now);
    }
    redactPaymentMethod(apiKey, paymentMethodId, now) {
      const r = use(this, "Sandbox");
      return vault(r, "redact", apiKey, paymentMethodId, "null", now);
    }
    recachePaymentMethod(apiKey, paymentMethodId, request, now) {
      const r = use(this, "Sandbox");
      return vault(r, "recache", apiKey, paymentMethodId, toJsonText(request, "request"), now);
    }
    // ---- Gateway Management: the gateways of the key's company and environment ---------
    // A gateway crosses as JSON text and is read by the `validateGateway` rules; one with
    // errors is refused as a whole (`invalid_gateway`, 400, every error on `errors`).
    createGateway(apiKey, gateway, now) {
      const r = use(this, "Sandbox");
      return json(() => r.gateways("create", apiKey, "", gatewayText(gateway), now));
    }
    listGateways(apiKey) {
      const r = use(this, "Sandbox");
      return json(() => r.gateways("list", apiKey, "", null));
    }
    getGateway(apiKey, gatewayToken) {
      const r = use(this, "Sandbox");
      return json(() => r.gateways("get", apiKey, gatewayToken, null));
    }
    updateGateway(apiKey, gatewayToken, gateway, now) {
      const r = use(this, "Sandbox");
      return json(() => r.gateways("update", apiKey, gatewayToken, gatewayText(gateway), now));
    }
    setGatewayStatus(apiKey, gatewayToken, status, now) {
      const r = use(this, "Sandbox");
      return json(() => r.gateways("status", apiKey, gatewayToken, status, now));
    }
    deleteGateway(apiKey, gatewayToken, now) {
      const r = use(this, "Sandbox");
      call(() => r.gateways("delete", apiKey, gatewayToken, null, now));
    }
    runDueRetries(now) {
      const r = use(this, "Sandbox");
      return json(() => r.runDueRetries(now));
    }
    nextScheduledRetry() {
      const r = use(this, "Sandbox");
      return call(() => r.nextScheduledRetry()) ?? null;
    }
    /** FlexPay Retries for a company and mode: the sandbox then schedules and fires the
     * retries of its declined charges itself (`runDueRetries`). */
    addAutoRetry(name, options) {
      const r = use(this, "Sandbox");
      const { company = "DEFAULT", mode = "sandbox", status = "enabled", now } =
        readOptions(options, "options", ["company", "mode", "status", "now"], "{ now, company, mode, status }", checkKeys);
      return json(() => r.addAutoRetry(name, company, mode, status, now));
    }
    autoRetries() {
      const r = use(this, "Sandbox");
      return json(() => r.autoRetries());
    }
    setAutoRetryStatus(id, status, now) {
      const r = use(this, "Sandbox");
      return json(() => r.setAutoRetryStatus(id, status, now));
    }
    deleteAutoRetry(id, now) {
      const r = use(this, "Sandbox");
      call(() => r.deleteAutoRetry(id, now));
    }
    // ---- Account settings: users and the platform configuration ----------------------
    // Objects cross as JSON text, read by wasm field by field (unknown keys refused by name);
    // what the core finds wrong comes back as `{ ok: false, errors, warnings }`.
    users() {
      const r = use(this, "Sandbox");
      return json(() => r.users());
    }
    suggestTemporaryPassword() {
      const r = use(this, "Sandbox");
      return call(() => r.suggestTemporaryPassword());
    }
    addUser(user, now) {
      const r = use(this, "Sandbox");
      const text = toJsonText(user, "user");
      return json(() => r.addUser(text, now));
    }
    checkTemporaryPassword(username, password) {
      const r = use(this, "Sandbox");
      return call(() => r.checkTemporaryPassword(username, password));
    }
    updateUser(username, changes, now) {
      const r = use(this, "Sandbox");
      const text = toJsonText(changes, "changes");
      return json(() => r.updateUser(username, text, now));
    }
    // The three share one raw export; `op` names the call.
    setUserEnabled(username, enabled, now) {
      const r = use(this, "Sandbox");
      call(() => r.changeUser("enabled", username, enabled, now));
    }
    unlockUser(username, now) {
      const r = use(this, "Sandbox");
      call(() => r.changeUser("unlock", username, undefined, now));
    }
    deleteUser(username, now) {
      const r = use(this, "Sandbox");
      call(() => r.changeUser("delete", username, undefined, now));
    }
    platformConfig(environment) {
      const r = use(this, "Sandbox");
      return json(() => r.platformConfig(environment));
    }
    setPlatformConfig(environment, config) {
      const r = use(this, "Sandbox");
      const text = toJsonText(config, "config");
      return json(() => r.setPlatformConfig(environment, text));
    }
    get transactionCount() {
      return call(() => use(this, "Sandbox").transactionCount());
    }
    runScenario(step, apiKey, now, options) {
      const r = use(this, "Sandbox");
      const { currencies } = readOptions(options, "options", ["currencies"], undefined, checkKeys);
      return json(() => r.runScenario(step, apiKey, now, currencies));
    }
    runAllScenarios(apiKey, now, options) {
      const r = use(this, "Sandbox");
      const { currencies } = readOptions(options, "options", ["currencies"], undefined, checkKeys);
      return json(() => r.runAllScenarios(apiKey, now, currencies));
    }
    createFetch(options) {
      use(this, "Sandbox");
      return createFetch(this, options);
    }
    free() {
      free(this);
    }
    [dispose]() {
      this.free();
    }
  }

  return {
    RetryChain,
    Sandbox,
    // One raw export answers both lists (static data: a fresh copy each call).
    accessLevels: () => json(() => raw.RawSandbox.accessLevels()).levels,
    accessRights: () => json(() => raw.RawSandbox.accessLevels()).rights,
    version: () => call(() => raw.version()),
  };
}
