// @ts-check
// Node tests that tsc --strict checks too (tsconfig.node.json: checkJs, no DOM lib): each value
// below is typed by the package's declarations and then run, so a declaration that the
// runtime contradicts fails one side or the other.
import { test } from "node:test";
import assert from "node:assert/strict";

import { checkCardNumber, checkCvv, checkExpiry } from "flexkit";
import { Sandbox } from "flexkit/sandbox";
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
