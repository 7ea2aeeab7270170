// @ts-check
// Node tests that tsc --strict checks too (tsconfig.node.json: checkJs, no DOM lib): each value
// below is typed by the package's declarations and then run, so a declaration that the
// runtime contradicts fails one side or the other.
import { test } from "node:test";
import assert from "node:assert/strict";

import { checkCardNumber, checkCvv, checkExpiry, validate } from "flexkit";
import { Sandbox, accessLevels } from "flexkit/sandbox";
import { FlexitiSandbox, endpoints, endpointUrl, parseError, prepare } from "flexkit/flexiti";

/** @typedef {import("flexkit/flexiti").FlexitiCallKind} FlexitiCallKind */
/** @typedef {import("flexkit/flexiti").PathlessCallKind} PathlessCallKind */

const AUTHORIZATION_ID = "7620877612482005";
const ACCOUNT = 10000000000001;

/**
 * Every call in its object form with exactly the ids its type requires (tsc refuses a missing
 * or an extra one), and a valid request of its kind.
 * @type {{ [K in FlexitiCallKind]: [import("flexkit/flexiti").EndpointOf<K>, import("flexkit/flexiti").FlexitiRequests[K]] }}
 */
const CALLS = {
  authorization: [
    { kind: "authorization" },
    {
      account_number: ACCOUNT, amount: "10.00", auto_capture: false,
      financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
    },
  ],
  capture: [{ kind: "capture", authorizationId: AUTHORIZATION_ID }, { amount: "10.00" }],
  release: [{ kind: "release", authorizationId: AUTHORIZATION_ID }, {}],
  authorizationDetail: [{ kind: "authorizationDetail", authorizationId: AUTHORIZATION_ID }, {}],
  return: [{ kind: "return", authorizationId: AUTHORIZATION_ID, captureId: 4711 }, { full_return: true }],
  refund: [{ kind: "refund", accountNumber: ACCOUNT }, { amount: "10.00" }],
  accountVerify: [{ kind: "accountVerify", accountNumber: String(ACCOUNT) }, { request_id: "till-1", format: "sms" }],
  calculateInterest: [{ kind: "calculateInterest", accountNumber: ACCOUNT, issuedIn: "TRAINING" }, { amount: "100.00" }],
  transaction: [
    { kind: "transaction" },
    { account_number: ACCOUNT, transaction_type: "deposit", amount: "10.00", verification_code: "2222" },
  ],
  customerSearch: [{ kind: "customerSearch" }, { first_name: "Test", last_name: "Goodstanding", dob: "1980-01-01" }],
  customerLookup: [{ kind: "customerLookup" }, { account_number: ACCOUNT }],
  authorizationList: [{ kind: "authorizationList" }, {}],
  captureList: [{ kind: "captureList" }, { page_size: 10 }],
};

/** The kinds whose path needs no id, as the type `PathlessCallKind` names them. @type {PathlessCallKind[]} */
const PATHLESS = ["authorization", "transaction", "customerSearch", "customerLookup", "authorizationList", "captureList"];

const callKinds = () => /** @type {FlexitiCallKind[]} */ (Object.keys(CALLS));

function setup() {
  const sandbox = new FlexitiSandbox(3);
  const now = "2026-11-21T10:00:00Z";
  const token = sandbox.issueToken(now);
  sandbox.free();
  return { environment: /** @type {const} */ ("TRAINING"), clientId: "flexitidemo", token, now };
}

test("the endpoint types name every call with the ids endpoints() lists for its path", () => {
  const listed = endpoints().filter((e) => e.kind !== "token");
  assert.deepEqual(listed.map((e) => e.kind).sort(), callKinds().sort());
  for (const { kind, pathParams } of listed) {
    if (kind === "token") continue;
    const [endpoint] = CALLS[kind];
    const ids = Object.keys(endpoint).filter((key) => key !== "kind" && key !== "issuedIn");
    assert.deepEqual(ids.sort(), [...pathParams].sort(), kind);
    assert.equal(PATHLESS.includes(/** @type {PathlessCallKind} */ (kind)), pathParams.length === 0, kind);
  }
});

test("prepare and endpointUrl take every call in the forms the types allow", () => {
  const s = setup();
  for (const kind of callKinds()) {
    const [endpoint, request] = CALLS[kind];
    // A loop over the kinds pairs each endpoint with its request, which TypeScript cannot
    // follow through a union; CALLS is typed kind by kind, and so are the calls of types-check.ts.
    const ready = prepare(/** @type {any} */ (endpoint), request, s);
    assert.equal(ready.ok, true, `${kind}: ${JSON.stringify(ready)}`);
    assert.ok(endpointUrl(endpoint, "TRAINING", "flexitidemo").startsWith("https://"), kind);
  }
  for (const kind of PATHLESS) {
    const ready = prepare(kind, CALLS[kind][1], s);
    assert.equal(ready.ok, true, `${kind} by its kind alone: ${JSON.stringify(ready)}`);
    assert.equal(endpointUrl(kind, "TRAINING", "flexitidemo"), endpointUrl(CALLS[kind][0], "TRAINING", "flexitidemo"));
  }
});

test("the forms the types refuse are refused at run time too", () => {
  const s = setup();
  /** Bypasses the types, to reach what they refuse. @param {unknown} value @returns {any} */
  const untyped = (value) => value;
  for (const kind of callKinds()) {
    const [endpoint, request] = CALLS[kind];
    const ids = Object.keys(endpoint).filter((key) => key !== "kind" && key !== "issuedIn");
    if (ids.length > 0) {
      // A kind alone, or one id missing.
      assertCode(() => prepare(untyped(kind), request, s), "invalid_argument");
      const short = { ...endpoint };
      delete untyped(short)[ids[0] ?? ""];
      assertCode(() => prepare(untyped(short), request, s), "invalid_argument");
    } else {
      assertCode(() => prepare(untyped({ kind, authorizationId: AUTHORIZATION_ID }), request, s), "invalid_argument");
    }
  }
});

test("FlexitiError: a TRAINING sandbox refusal carries the fields its type names", () => {
  const sandbox = new FlexitiSandbox(5);
  const now = "2026-11-21T10:00:00Z";
  const token = sandbox.issueToken(now);
  const error = /** @type {import("flexkit/flexiti").FlexitiError} */ (
    thrown(() => sandbox.capture(AUTHORIZATION_ID, { amount: "10.00" }, { token, now }))
  );
  sandbox.free();
  assert.ok(error instanceof Error);
  assert.equal(error.name, "FlexkitError");
  assert.equal(error.flexiti, true);
  assert.equal(typeof error.code, "string");
  assert.equal(typeof error.message, "string");
  assert.equal(typeof error.status, "number");
  assert.ok(error.status >= 400, String(error.status));
  assert.equal(typeof error.description, "string");
  assert.equal(typeof error.known, "boolean");
  assert.ok(Array.isArray(error.fieldErrors));
  assert.equal(typeof error.body, "string");
  assert.equal(parseError(error.status, error.body).code, error.code);
});

test("SandboxApiError and FlexkitError: the FlexPay sandbox's refusals and misuse", () => {
  const sandbox = new Sandbox(5);
  const { key } = sandbox.generateApiKey("typed", { now: "2026-01-01T00:00:00Z" });
  const refused = /** @type {import("flexkit/sandbox").SandboxApiError} */ (
    thrown(() => sandbox.getPaymentMethod(key, "no-such-method"))
  );
  assert.ok(refused instanceof Error);
  assert.equal(refused.code, "payment_method_not_found");
  assert.equal(refused.status, 404);
  sandbox.free();

  const misuse = /** @type {import("flexkit").FlexkitError} */ (thrown(() => checkCardNumber(/** @type {any} */ (4111))));
  assert.ok(misuse instanceof Error);
  assert.equal(misuse.name, "FlexkitError");
  assert.equal(misuse.code, "invalid_argument");
  assert.equal("status" in misuse, false);
});

test("checkExpiry's now and checkCvv's brand may be left out, as their types say", () => {
  const future = String(new Date().getUTCFullYear() + 2);
  assert.equal(checkExpiry("12", future).isValid, true);
  assert.equal(checkExpiry("01", "2001").expired, true);
  assert.deepEqual(checkCvv("123"), checkCvv("123", null));
  assert.equal(checkCvv("123").isValid, true);
});

// FlexPay request bodies: a value of each request type (so tsc checks it against the
// declarations), which the validators and the sandbox must take as valid.

const NOW = "2026-03-01T00:00:00Z";
/** @type {import("flexkit").CreditCardPaymentMethod} */
const VISA = {
  creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030", cvv: "879",
  firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY", country: "US",
};
/** @type {import("flexkit").GatewayPaymentMethod} */
const AT_GATEWAY = {
  gatewayPaymentMethodId: "tok_visa_9560", merchantAccountReferenceId: "MID-1", firstSixDigits: "492020",
  lastFourDigits: "9560", expiryMonth: "12", expiryYear: "2030", fullName: "Ada Lovelace",
  postalCode: "10001", city: "New York", state: "NY", email: "ada@example.com",
};
/** @param {string} id */
const fields = (id) => ({
  merchantTransactionId: id, orderId: `order-${id}`, customerId: "cust-1", currencyCode: "USD", amount: 1000,
  retryCount: 1, referenceData: null,
});

/** @type {{ [K in import("flexkit").RequestKind]: import("flexkit").FlexPayRequests[K] }} */
const FLEXPAY = {
  charge: { transaction: { ...fields("m-1"), paymentMethod: VISA, retainOnSuccess: true, paymentMethodId: null } },
  authorize: {
    transaction: {
      ...fields("m-2"), paymentMethod: AT_GATEWAY, description: "Plan renewal", customerIp: "203.0.113.7",
      dateFirstAttempt: "2026-02-28T09:30:00Z", disableCustomerRecovery: false, paymentModel: "subscription",
      shippingAddress: { address1: "1 Main St", address2: null, postalCode: "10001", city: "New York", state: "NY", country: "US" },
      paymentPlan: { sku: "PLAN-1", category: "software", billingPlan: "monthly", billingCycle: 3 },
      customVariable1: "crm-42", customVariable2: null,
      References: { PreviousTransaction: { gatewayCode: "05", gatewayMesage: "Do not honor", transactionDate: "2026-02-28T09:30:00Z" } },
    },
  },
  capture: { transaction: { merchantTransactionId: "m-3", amount: 600, disableCustomerRecovery: null } },
  void: { transaction: { merchantTransactionId: "m-4" } },
  refund: { transaction: { merchantTransactionId: "m-5", amount: 100 } },
  refundedPayment: { transaction: { merchantTransactionId: "m-6", amount: null } },
  createPaymentMethod: { paymentMethod: { customerId: "cust-1", gatewayPaymentMethod: AT_GATEWAY, creditCard: null } },
  listQuery: { order: "desc", count: 50, sinceTransactionId: null, startDate: "2026-1-8", responseType: "simplified" },
  gateway: {
    name: "Stripe EU", gatewayType: "stripe", currencyCode: "EUR", status: "Available", acceptedCurrencyCodes: ["EUR", "USD"],
    acceptedCards: { visa: { acceptCreditCard: true, acceptDebitCard: false }, amex: null }, weight: 1, acceptRetries: true,
    cvvRequired: false, approvedChargeOrCaptureRateFee: 2.9, approvedChargeOrCaptureFlatFee: 30, settings: { apiKey: "sk_test_1" },
  },
  company: { name: "Acme Inc", code: "ACME" },
  apiKeyRequest: { name: "ci", company: "ACME", mode: "Sandbox" },
  autoRetryConfig: { name: "nightly", company: "ACME", environment: "Production", status: "Enabled" },
  updatePaymentMethod: { paymentMethod: { expiryYear: "2031", city: "Boston", state: "MA", address2: null } },
  recachePaymentMethod: { paymentMethod: { creditCard: { cvv: "879" } } },
};

test("a value of each FlexPay request type is valid, as its type says", () => {
  const kinds = /** @type {import("flexkit").RequestKind[]} */ (Object.keys(FLEXPAY));
  assert.equal(kinds.length, 14);
  for (const kind of kinds) {
    const result = validate(kind, FLEXPAY[kind], { now: new Date(NOW), environment: "sandbox" });
    assert.deepEqual(result.errors, [], kind);
  }
  // The vaulted variant and the deprecated aliases, typed too.
  /** @type {import("flexkit").ChargeRequest} */
  const vaulted = { transaction: { ...fields("m-7"), retryCount: 2, referenceData: "UkVGMQ==", paymentMethodId: "PM-1", paymentMethod: null } };
  assert.deepEqual(validate("charge", vaulted, { now: new Date(NOW) }).errors, []);
  /** @type {import("flexkit").ChargeRequest} */
  const aliased = { transaction: { ...fields("m-8"), paymentMethod: VISA, assignedGatewayToken: "GW-1" } };
  assert.deepEqual(validate("charge", aliased, { now: new Date(NOW) }).warnings.map((w) => w.path), ["transaction.assignedGatewayToken"]);
  assert.deepEqual(validate("listQuery", { sinceToken: "T-1" }).warnings.map((w) => w.path), ["sinceToken"]);
});

test("the sandbox approves a charge in each payment-method variant and every follow-up, typed", () => {
  const sandbox = new Sandbox(12);
  const { key } = sandbox.generateApiKey("typed", { now: NOW });
  const approved = (/** @type {{ transaction: import("flexkit/sandbox").TransactionResponse }} */ answer) => {
    assert.equal(answer.transaction.responseCode, "10000", JSON.stringify(answer.transaction));
    return answer.transaction;
  };
  const card = approved(sandbox.charge(key, FLEXPAY.charge, NOW));
  const paymentMethodId = card.paymentMethod?.paymentMethodId ?? "";
  /** @type {import("flexkit/sandbox").ChargeRequest} */
  const vaulted = { transaction: { ...fields("m-10"), paymentMethodId } };
  approved(sandbox.charge(key, vaulted, NOW));
  const authorization = approved(sandbox.authorize(key, FLEXPAY.authorize, NOW));
  approved(sandbox.capture(key, authorization.transactionId, FLEXPAY.capture, NOW));
  approved(sandbox.refund(key, card.transactionId, FLEXPAY.refund, NOW));
  approved(sandbox.refundedPayment(key, card.transactionId, FLEXPAY.refundedPayment, NOW));
  /** @type {import("flexkit/sandbox").AuthorizeRequest} */
  const second = { transaction: { ...fields("m-11"), paymentMethod: VISA } };
  approved(sandbox.void(key, approved(sandbox.authorize(key, second, NOW)).transactionId, FLEXPAY.void, NOW));
  const listed = sandbox.listTransactions(key, { ...FLEXPAY.listQuery, responseType: null });
  assert.ok(listed.transactions.length >= 8, String(listed.transactions.length));
  sandbox.free();
});

test("the account calls answer what their types say: every key, each union's values", () => {
  const sandbox = new Sandbox(13);
  /** @type {import("flexkit/sandbox").AccessLevel[]} */
  const levels = ["accountAdministrator", "accountReader", "gatewayAccountManager", "gatewayAdministrator"];
  assert.deepEqual(accessLevels().map((l) => l.accessLevel), levels);
  /** @type {import("flexkit/sandbox").NewUser} */
  const user = { name: "Ada", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: sandbox.suggestTemporaryPassword() };
  const added = sandbox.addUser(user, NOW);
  assert.ok(added.ok);
  /** @type {(keyof import("flexkit/sandbox").Invitation)[]} */
  const invitationKeys = ["name", "username", "accessLevel", "temporaryPassword"];
  assert.deepEqual(Object.keys(added.invitation).sort(), [...invitationKeys].sort());
  /** @type {(keyof import("flexkit/sandbox").UserListing)[]} */
  const listingKeys = ["name", "username", "accessLevel", "enabled", "locked", "createdAt"];
  for (const listed of sandbox.users()) assert.deepEqual(Object.keys(listed).sort(), [...listingKeys].sort());
  const refused = sandbox.addUser({ ...user, temporaryPassword: "" }, NOW);
  assert.ok(!refused.ok);
  /** @type {import("flexkit/sandbox").UserField[]} */
  const paths = refused.errors.map((p) => p.path);
  assert.deepEqual([...new Set(paths)], ["username", "temporaryPassword"]);

  /** @type {import("flexkit/sandbox").PlatformConfigInput} */
  const input = { recoveryMinimums: [{ currency: "USD", initialSale: 2500 }], gatewayRouting: "originalGatewayRouting" };
  const set = sandbox.setPlatformConfig("sandbox", input);
  assert.ok(set.ok);
  /** @type {import("flexkit/sandbox").GatewayRouting} */
  const routing = "OriginalGatewayRouting";
  assert.deepEqual(set.config, { recoveryMinimums: [{ currency: "USD", initialSale: 2500, rebill: 0 }], accountCurrencies: [], gatewayRouting: routing });
  const wrong = sandbox.setPlatformConfig("sandbox", { accountCurrencies: ["EUR", "EUR"] });
  assert.ok(!wrong.ok);
  /** @type {import("flexkit/sandbox").PlatformProblemCode[]} */
  const codes = wrong.errors.map((p) => p.code);
  assert.deepEqual(codes, ["duplicate_currency"]);
  sandbox.free();
});

/** What `f` throws (it must throw). @param {() => unknown} f @returns {unknown} */
function thrown(f) {
  try {
    f();
  } catch (error) {
    return error;
  }
  assert.fail("it did not throw");
}

/** @param {() => unknown} f @param {string} code */
function assertCode(f, code) {
  assert.throws(f, (/** @type {any} */ error) => error?.code === code);
}
