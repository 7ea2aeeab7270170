// The `flexkit` API over the raw wasm-bindgen exports of flexkit-wasm.
//
// Request validation takes a JS object or JSON text and answers with data:
// `{ ok, errors: [{ path, code, message }], warnings }`. An object is read as JSON would read
// it (undefined fields are absent); a value JSON cannot hold (a bigint, a symbol, a function)
// is passed on as a placeholder the validator reports as a wrong type, and an object that
// cannot be read at all (a cycle, a throwing getter or Proxy) is answered with the code
// `unreadable_input`, never an exception.

const KINDS = {
  Charge: "charge",
  Authorize: "authorize",
  Capture: "capture",
  Void: "void",
  Refund: "refund",
  RefundedPayment: "refundedPayment",
  CreatePaymentMethod: "createPaymentMethod",
  ListQuery: "listQuery",
  Gateway: "gateway",
  Company: "company",
  ApiKeyRequest: "apiKeyRequest",
  AutoRetryConfig: "autoRetryConfig",
};

const replacer = (_key, value) => {
  switch (typeof value) {
    case "bigint":
    case "symbol":
    case "function":
      return [typeof value];
    default:
      return value;
  }
};

function unreadable(cause) {
  let message;
  try {
    message = cause instanceof Error ? cause.message : String(cause);
  } catch {
    message = "unreadable value";
  }
  return {
    ok: false,
    errors: [{ path: "", code: "unreadable_input", message: `the request cannot be read: ${message}` }],
    warnings: [],
  };
}

/** JSON text of a request object, or null when it cannot be read. */
function stringify(value) {
  try {
    const text = JSON.stringify(value, replacer);
    return typeof text === "string" ? text : "null";
  } catch (cause) {
    return unreadable(cause);
  }
}

function notBuilt() {
  const error = new Error(
    "request validation is not in this build of flexkit (cargo feature `validation` of flexkit-wasm)",
  );
  error.name = "FlexkitError";
  error.code = "validation_not_built";
  throw error;
}

export function createValidationApi(raw) {
  const validateJson = typeof raw.validateJson === "function" ? raw.validateJson : notBuilt;
  const validateJsonBatch = typeof raw.validateJsonBatch === "function" ? raw.validateJsonBatch : notBuilt;
  const api = {
    version: raw.version,
    checkCardNumber: raw.checkCardNumber,
    luhnValid: raw.luhnValid,
    detectBrand: raw.detectBrand,
    cardBrandInfo: raw.cardBrandInfo,
    checkCvv: raw.checkCvv,
    checkExpiry: raw.checkExpiry,
    parseAmount: raw.parseAmount,
    formatAmount: raw.formatAmount,
    currencyInfo: raw.currencyInfo,
    currencies: raw.currencies,
    describeResponseCode: raw.describeResponseCode,
    responseCategory: raw.responseCategory,
    retryGuidance: raw.retryGuidance,
    validateJson,
    /** Validates a request of `kind` given as an object. */
    validate(kind, request, options) {
      const text = stringify(request);
      return typeof text === "string" ? validateJson(kind, text, options) : text;
    },
    /** Validates many requests of one kind in one call; one result per item. */
    validateBatch(kind, requests, options) {
      if (!Array.isArray(requests)) {
        const error = new Error("requests must be an array");
        error.name = "FlexkitError";
        error.code = "invalid_argument";
        throw error;
      }
      const text = stringify(requests);
      if (typeof text !== "string") return requests.map(() => text);
      return validateJsonBatch(kind, text, options);
    },
  };
  for (const [name, kind] of Object.entries(KINDS)) {
    api[`validate${name}`] = (request, options) => api.validate(kind, request, options);
    api[`validate${name}Json`] = (text, options) => validateJson(kind, text, options);
  }
  return api;
}
