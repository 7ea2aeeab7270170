// The `flexkit/sandbox` API over the raw wasm-bindgen exports of flexkit-wasm-sandbox.
// Objects cross as JSON text; instants as a Date, an ISO 8601 string or epoch milliseconds.
// Each class keeps its raw handle private, so use after `free()` is a coded Error
// (`freed_object`) rather than wasm-bindgen's uncoded "null pointer passed to rust".

import { callCoded, flexkitError, parseCoded, toJsonText } from "./errors.js";

export function createSandboxApi(raw) {
  const call = callCoded;
  const json = parseCoded;
  const optionalJson = (value, name) =>
    value === undefined || value === null ? undefined : toJsonText(value, name);
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

  class RetryChain {
    constructor() {
      throw flexkitError(
        "invalid_argument",
        "create a RetryChain with RetryChain.afterGatewayDecline(), " +
          "RetryChain.initialAttemptThroughFlexPay() or RetryChain.fromJson()",
      );
    }
    static afterGatewayDecline(merchantReference, declinedAt, options) {
      const text = optionalJson(options, "options");
      return wrap(RetryChain, call(() => raw.RawRetryChain.afterGatewayDecline(merchantReference, declinedAt, text)));
    }
    static initialAttemptThroughFlexPay(merchantReference, createdAt, options) {
      const text = optionalJson(options, "options");
      return wrap(RetryChain, call(() => raw.RawRetryChain.initialAttemptThroughFlexPay(merchantReference, createdAt, text)));
    }
    static fromJson(text) {
      return wrap(RetryChain, call(() => raw.RawRetryChain.fromJson(text)));
    }
    toJson() {
      const r = use(this, "RetryChain");
      return call(() => r.toJson());
    }
    nextAttempt(now) {
      const r = use(this, "RetryChain");
      return json(() => r.nextAttempt(now));
    }
    recordResponse(response, now) {
      const r = use(this, "RetryChain");
      let body;
      try {
        body = response !== null && typeof response === "object" && "transaction" in response ? response.transaction : response;
      } catch (cause) {
        throw flexkitError("invalid_argument", `response cannot be read: ${cause?.message ?? "unreadable value"}`);
      }
      const text = toJsonText(body, "response");
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
    createCompany(name, code, now) {
      const r = use(this, "Sandbox");
      return json(() => r.createCompany(name, code, now));
    }
    generateApiKey(name, options) {
      const r = use(this, "Sandbox");
      const o = options === undefined || options === null ? {} : options;
      if (typeof o !== "object") throw flexkitError("invalid_argument", "options must be an object");
      let company, mode, now;
      try {
        ({ company = "DEFAULT", mode = "sandbox", now = Date.now() } = o);
      } catch (cause) {
        throw flexkitError("invalid_argument", `options cannot be read: ${cause?.message ?? "unreadable value"}`);
      }
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
      const text = optionalJson(query, "query");
      return json(() => r.listTransactions(apiKey, text));
    }
    createPaymentMethod(apiKey, request, now) {
      const r = use(this, "Sandbox");
      return vault(r, "create", apiKey, "", toJsonText(request, "request"), now);
    }
    listPaymentMethods(apiKey, query) {
      const r = use(this, "Sandbox");
      return vault(r, "list", apiKey, "", optionalJson(query, "query") ?? "null");
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
    runDueRetries(now) {
      const r = use(this, "Sandbox");
      return json(() => r.runDueRetries(now));
    }
    nextScheduledRetry() {
      const r = use(this, "Sandbox");
      return call(() => r.nextScheduledRetry()) ?? null;
    }
    get transactionCount() {
      return call(() => use(this, "Sandbox").transactionCount());
    }
    runScenario(step, apiKey, now) {
      const r = use(this, "Sandbox");
      return json(() => r.runScenario(step, apiKey, now));
    }
    runAllScenarios(apiKey, now) {
      const r = use(this, "Sandbox");
      return json(() => r.runAllScenarios(apiKey, now));
    }
    free() {
      free(this);
    }
    [dispose]() {
      this.free();
    }
  }

  return { RetryChain, Sandbox, version: () => call(() => raw.version()) };
}
