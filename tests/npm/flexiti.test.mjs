// `flexkit/flexiti`: the Flexiti client and the in-process TRAINING sandbox, from the packed
// tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

import {
  FlexitiSandbox, init, version, environments, endpoints, endpointUrl, limits, errorCodes,
  tokenRequest, accessToken, tokenState, tokenNeedsRefresh, renewTokenRequest, validate,
  validateJson, validateAuthorization, validateReturn, validateCustomerLookup, validateSkuData, validateCapture,
  validateTokenForm, validateCustomerSearch, prepare, checkRules, regularPurchaseBypassAllowed,
  parseError, newReferenceId, readAnswer,
} from "flexkit/flexiti";

import { SERDE_WORDS, refusalsInPlainWords } from "./damaged-documents.mjs";

const T0 = "2026-11-21T10:00:00Z";
const at = (seconds) => new Date(Date.parse(T0) + seconds * 1000);
const DATA = FlexitiSandbox.testData();
const account = (lastName) => DATA.accounts.find((a) => a.lastName === lastName);
const GOOD = account("Goodstanding");

const inStore = { request_id: "req-1", external_location_id: "00-12345", external_employee_id: "12345-SMITH" };

/** `verify` by e-mail for an account with a request id, as the till does before an in-store call. */
function verifyCustomer(sandbox, call, accountNumber = GOOD.accountNumber, requestId = inStore.request_id) {
  assert.deepEqual(sandbox.verify(accountNumber, { format: "email", request_id: requestId }, call), { verification_code: "verification_sent_to_email" });
}

/** A sandbox with a merchant token issued at T0, where Test Goodstanding was verified for the
 * request id of the in-store purchases below: for one call, as a verification serves one. */
function open(seed = 7) {
  const sandbox = new FlexitiSandbox(seed);
  const token = sandbox.issueToken(T0);
  const call = { token, now: T0 };
  verifyCustomer(sandbox, call);
  return { sandbox, token, call };
}

const promotional = (amount, extra = {}) => ({
  account_number: GOOD.accountNumber,
  financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
  amount, auto_capture: false, verification_code: DATA.pin, ...inStore, ...extra,
});

test("init is idempotent; the CommonJS entry is the same instance", async () => {
  await init();
  await init();
  const cjs = createRequire(import.meta.url)("flexkit/flexiti");
  assert.equal(cjs.FlexitiSandbox, FlexitiSandbox);
  assert.equal(version(), cjs.version());
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test("environments, endpoints and limits come from the core", () => {
  assert.deepEqual(environments().map((e) => [e.id, e.baseUrl, e.isTest]), [
    ["TRAINING", "https://posapi-training.flexiti.fi/flexiti/pos-api/", true],
    ["MERCHANT_INTEGRATION", "https://posapi-mi.flexiti.fi/flexiti/pos-api/", true],
    ["PRODUCTION", "https://posapi.flexiti.fi/flexiti/pos-api/", false],
  ]);
  const byKind = Object.fromEntries(endpoints().map((e) => [e.kind, e]));
  assert.equal(byKind.authorization.version, "v2.5.1");
  assert.equal(byKind.capture.version, "v2.5");
  assert.deepEqual(byKind.return.pathParams, ["authorizationId", "captureId"]);
  assert.equal(byKind.captureList.method, "GET");
  assert.equal(byKind.capture.customerScope, false);
  // The calls that document `?lang=`: POST ones next to their body, GET ones in their query.
  assert.deepEqual(endpoints().filter((e) => e.lang).map((e) => e.kind).sort(), [
    "authorization", "authorizationDetail", "authorizationList", "calculateInterest", "captureList", "customerLookup", "transaction",
  ]);
  assert.equal(
    endpointUrl({ kind: "return", authorizationId: "9007199254740993", captureId: 123456789 }, "PRODUCTION", "flexitidemo"),
    "https://posapi.flexiti.fi/flexiti/pos-api/v2.5/client-id/flexitidemo/authorization/9007199254740993/capture/123456789/return",
  );
  assert.throws(
    () => endpointUrl({ kind: "capture", authorizationId: "1", issuedIn: "TRAINING" }, "PRODUCTION", "flexitidemo"),
    { code: "environment_mismatch" },
  );
  const l = limits();
  assert.equal(l.tokenLifetimeSeconds, 1200);
  assert.equal(l.dailyPaymentLimit, "10000.00");
  assert.ok(errorCodes().some((c) => c.code === "capture_amount_exceeded" && c.status === 409));
});

test("the token call is form-encoded; its life is driven by the now passed in", () => {
  const request = tokenRequest({ clientId: "flexitidemo", clientSecret: "s3cr3t/+ &=" }, "MERCHANT_INTEGRATION", { referenceId: "a".repeat(32) });
  assert.deepEqual(request, {
    method: "POST",
    url: "https://posapi-mi.flexiti.fi/flexiti/pos-api/v2.5/oauth/token",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-reference-id": "a".repeat(32) },
    body: "client_id=flexitidemo&client_secret=s3cr3t%2F%2B+%26%3D&grant_type=client_credentials",
    contentType: "application/x-www-form-urlencoded",
    warnings: [],
  });
  assert.match(newReferenceId(), /^[0-9a-f]{32}$/);
  assert.deepEqual(validateTokenForm(request.body), { ok: true, errors: [], warnings: [] });
  assert.throws(() => tokenRequest({ clientId: "", clientSecret: "x" }, "TRAINING"), (e) => e.code === "invalid_credentials" && e.errors[0].path === "clientId");

  const token = accessToken({ token_type: "bearer", access_token: "abc", expires_in: 1200, refresh_token: "r1", scope: "merchant" }, "TRAINING", T0);
  assert.deepEqual(token, { environment: "TRAINING", accessToken: "abc", refreshToken: "r1", scope: "merchant", issuedAt: T0, expiresIn: 1200 });
  assert.equal(tokenState(token, at(1139)).state, "fresh");
  assert.equal(tokenNeedsRefresh(token, at(1139)), false);
  assert.equal(tokenState(token, at(1140)).state, "refreshDue");
  assert.equal(tokenNeedsRefresh(token, at(1140)), true);
  assert.deepEqual(tokenState(token, Date.parse(T0) + 1_200_000), { state: "expired", refreshAt: "2026-11-21T10:19:00Z", expiresAt: "2026-11-21T10:20:00Z" });
  const credentials = { clientId: "flexitidemo", clientSecret: "s" };
  assert.equal(renewTokenRequest(credentials, token, at(10)), null);
  assert.match(renewTokenRequest(credentials, token, at(1150)).body, /grant_type=refresh_token&refresh_token=r1/);
  assert.match(renewTokenRequest(credentials, token, at(1200)).body, /grant_type=client_credentials/);
});

test("the sandbox refuses wrong credentials and expired tokens with Flexiti's errors", () => {
  const sandbox = new FlexitiSandbox(3);
  const { clientId } = sandbox.credentials();
  const wrong = tokenRequest({ clientId, clientSecret: "not-the-secret" }, "TRAINING");
  assert.throws(() => sandbox.token(wrong.body, T0), (e) => e instanceof Error && e.code === "invalid_client" && e.status === 400 && JSON.parse(e.body).error === "invalid_client");
  const token = sandbox.issueToken(T0);
  const lookup = { account_number: GOOD.accountNumber };
  assert.equal(sandbox.lookup(lookup, { token, now: at(1199) }).available_credit, "5000.00");
  assert.throws(() => sandbox.lookup(lookup, { token, now: at(1200) }), { code: "invalid_token", status: 401 });
  // A refresh is accepted only while the token is valid; it retires the old one.
  const refresh = tokenRequest({ clientId, clientSecret: sandbox.credentials().clientSecret }, "TRAINING", { refreshToken: token.refreshToken });
  const renewed = accessToken(sandbox.token(refresh.body, at(1150)), "TRAINING", at(1150));
  assert.throws(() => sandbox.lookup(lookup, { token, now: at(1151) }), { code: "invalid_token" });
  assert.equal(sandbox.lookup(lookup, { token: renewed.accessToken, now: at(2000) }).customer_id, GOOD.customerId);
  assert.throws(() => sandbox.token(refresh.body, at(1160)), { code: "invalid_token" });
  // A customer-scope token may not call merchant-only endpoints.
  const customer = sandbox.issueToken(T0, { scope: "customer" });
  assert.throws(() => sandbox.lookup(lookup, { token: customer, now: T0 }), { code: "insufficient_scope", status: 403 });
});

test("every look-up of a business account's holder answers that holder's customer id and card", () => {
  const sandbox = new FlexitiSandbox(3);
  const call = { token: sandbox.issueToken(T0), now: T0 };
  const business = account("Business");
  const [primaryCard, userCard] = business.vccNumbers;
  const seen = (query) => {
    const found = sandbox.lookup(query, call);
    assert.equal(found.account_number, business.accountNumber);
    return [found.customer_id, found.card_ending_in];
  };
  const primary = ["1000008", primaryCard.slice(12)];
  const user = ["1000008-00001", userCard.slice(12)];
  assert.deepEqual(user, ["1000008-00001", "0018"]);
  // The test data names the primary holder, whose look-up answers the first card.
  assert.equal(business.customerId, "1000008");
  assert.deepEqual(seen({ customer_id: business.customerId }), primary);
  // Each look-up gives the account's security question, which a security_question verify sends.
  assert.deepEqual(sandbox.lookup({ customer_id: "1000008" }, call).security_qid, { id: business.securityQid });
  assert.deepEqual(seen({ account_number: business.accountNumber }), primary);
  assert.deepEqual(seen({ vcc_number: primaryCard }), primary);
  assert.deepEqual(seen({ customer_id: "1000008" }), primary);
  assert.deepEqual(seen({ vcc_number: userCard }), user);
  assert.deepEqual(seen({ customer_id: "1000008-00001" }), user);
  assert.throws(() => sandbox.lookup({ customer_id: "1000008-00002" }, call), { code: "not_found", status: 404 });
  const [match] = sandbox.search({ first_name: "Test", last_name: "Business", dob: business.dob }, call);
  assert.deepEqual([match.customer_id, match.card_ending_in], primary);
  sandbox.free();
});

test("a customer search item carries every field the documentation lists", () => {
  const sandbox = new FlexitiSandbox(3);
  const call = { token: sandbox.issueToken(T0), now: T0 };
  const [match] = sandbox.search({ first_name: "Test", last_name: "Goodstanding", dob: GOOD.dob, postal_code: GOOD.postalCode }, call);
  // Reference §6.4: "Each item: customer_id, account_status, account_status_reason_code,
  // tos_agreement, risk_rating, account_number, customer_account_type, credit_limit,
  // available_credit, originating_merchant_id, originating_merchant_name, creation_date,
  // first_name, last_name, card_ending_in, preferred_language".
  assert.deepEqual(Object.keys(match).sort(), [
    "account_number", "account_status", "account_status_reason_code", "available_credit", "card_ending_in",
    "creation_date", "credit_limit", "customer_account_type", "customer_id", "first_name", "last_name",
    "originating_merchant_id", "originating_merchant_name", "preferred_language", "risk_rating", "tos_agreement",
  ]);
  assert.equal(match.risk_rating, "L");
  assert.equal(match.originating_merchant_id, 1000004242);
  assert.equal(match.originating_merchant_name, "flexkit Demo Store");
  assert.match(match.creation_date, /^\d{4}-\d{2}-\d{2}$/);
  sandbox.free();
});

test("purchase → capture → partial return → full return, remaining amounts at each step", () => {
  const { sandbox, call } = open();
  const before = sandbox.lookup({ vcc_number: GOOD.vccNumbers[0] }, call);
  assert.equal(before.available_credit, "5000.00");
  assert.equal(before.card_ending_in, "0001");
  const auth = sandbox.authorize(promotional("1000.00", { reference: "order-1" }), call);
  assert.equal(typeof auth.authorization_id, "string");
  assert.match(auth.authorization_id, /^\d{16}$/);
  assert.deepEqual([auth.amount, auth.remaining_authorization_amount, auth.authorization_status], ["1000.00", "1000.00", "opened"]);
  assert.equal(sandbox.lookup({ account_number: GOOD.accountNumber }, call).available_credit, "4000.00");

  const capture = sandbox.capture(auth.authorization_id, { amount: "600.00", reference: "order-1" }, call);
  assert.equal(capture.authorization_id, auth.authorization_id);
  assert.equal(capture.remaining_authorization_amount, "400.00");
  const released = sandbox.release(auth.authorization_id, {}, call);
  assert.deepEqual([released.amount, released.remaining_authorization_amount, released.authorization_status], ["400.00", "0.00", "closed"]);
  assert.throws(() => sandbox.capture(auth.authorization_id, { amount: "1.00" }, call), { code: "authorization_ended", status: 409 });

  const partial = sandbox.returnCapture(auth.authorization_id, capture.capture_id, { amount: "150.25", full_return: false }, call);
  assert.match(partial.return_id, /^\d{16}$/);
  assert.deepEqual([partial.amount, partial.remaining_capture_amount], ["150.25", "449.75"]);
  const full = sandbox.returnCapture(auth.authorization_id, String(capture.capture_id), { full_return: true }, call);
  assert.deepEqual([full.amount, full.remaining_capture_amount], ["449.75", "0.00"]);
  assert.throws(() => sandbox.returnCapture(auth.authorization_id, capture.capture_id, { amount: "0.01", full_return: false }, call), { code: "capture_amount_exceeded" });

  const detail = sandbox.authorizationDetail(auth.authorization_id, {}, call);
  assert.deepEqual([detail.captured_amount, detail.released_amount, detail.remaining_authorization_amount, detail.capture_ids], ["600.00", "400.00", "0.00", [capture.capture_id]]);
  const captures = sandbox.captures({ account_number: GOOD.accountNumber }, call);
  assert.equal(captures.total_count, 1);
  assert.deepEqual([captures.items[0].returned_amount, captures.items[0].remaining_capture_amount], ["600.00", "0.00"]);
  assert.equal(sandbox.authorizations({ authorization_status: "closed" }, call).items[0].authorization_id, auth.authorization_id);
  assert.equal(sandbox.lookup({ account_number: GOOD.accountNumber }, call).available_credit, "5000.00");
});

test("broken business rules give the documented errors", () => {
  const { sandbox, call } = open();
  const auth = sandbox.authorize(promotional("100.00"), call);
  const capture = sandbox.capture(auth.authorization_id, { amount: "100.00" }, call);
  assert.throws(
    () => sandbox.returnCapture(auth.authorization_id, capture.capture_id, { amount: "100.01", full_return: false }, call),
    (e) => e.code === "capture_amount_exceeded" && e.status === 409 && /remains of the capture/.test(e.message),
  );
  for (const lastName of ["Frozen", "Inactive"]) verifyCustomer(sandbox, call, account(lastName).accountNumber);
  assert.throws(() => sandbox.authorize(promotional("10.00", { account_number: account("Frozen").accountNumber }), call), { code: "user_not_able_to_purchase" });
  assert.throws(() => sandbox.authorize(promotional("10.00", { account_number: account("Inactive").accountNumber }), call), { code: "user_not_active" });
  verifyCustomer(sandbox, call);
  assert.throws(() => sandbox.authorize(promotional("4900.01"), call), { code: "credit_exceeded" });
  assert.throws(() => sandbox.authorize(promotional("10.00", { verification_code: "1111" }), call), { code: "wrong_verification_code" });
  // An invalid body is Flexiti's wrong_inputs with every problem in fieldErrors.
  assert.throws(
    () => sandbox.lookup({ account_number: GOOD.accountNumber, lang: "de" }, call),
    (e) => e.code === "wrong_inputs" && e.status === 409 && e.fieldErrors.length === 1 && e.fieldErrors[0].param === "lang",
  );
  // The same rules, run by the merchant before calling.
  const rules = checkRules("authorization", promotional("10.00"), { accountStatus: "F", active: true, availableCredit: "5.00" });
  assert.deepEqual(rules.errors.map((e) => [e.path, e.code, e.flexitiCode]), [
    ["account_number", "account_not_in_good_standing", "user_not_able_to_purchase"],
    ["amount", "insufficient_credit", "credit_exceeded"],
  ]);
  const window = checkRules("return", { full_return: true }, { purchaseType: "promotional_purchase", capturedAt: Date.parse(T0), remaining: "1.00" }, { now: at(101 * 86400) });
  assert.deepEqual(window.errors.map((e) => e.flexitiCode), ["return_date_exceeded"]);
  assert.equal(checkRules("capture", { amount: "1.00" }, { open: true, remaining: "1.00" }).ok, true);
  assert.equal(regularPurchaseBypassAllowed("200.00", 2), true);
  assert.equal(regularPurchaseBypassAllowed("200.01", 0), false);
  // An amount no purchase has is refused, as the validators refuse it, not answered as allowed.
  for (const amount of ["0.00", "-1", "0"]) {
    assert.throws(() => regularPurchaseBypassAllowed(amount, 0), (e) => e.code === "invalid_argument" && /^amount: the amount is (0.00|negative)/.test(e.message), amount);
  }
});

test("the regular-purchase bypass allows up to 3 regular purchases already made in 24 h: at 2 and 3, not at 4", () => {
  // The fact sheet: "≤ 3 regular purchases on the account in the past 24 h and amount ≤ $200".
  assert.equal(regularPurchaseBypassAllowed("200.00", 2), true);
  assert.equal(regularPurchaseBypassAllowed("200.00", 3), true);
  assert.equal(regularPurchaseBypassAllowed("1.00", 4), false);
  assert.equal(limits().regularPurchaseBypassMaxPurchases, 3);
  const sandbox = new FlexitiSandbox(12);
  const token = sandbox.issueToken(T0);
  const call = { token, now: T0 };
  const regular = { account_number: GOOD.accountNumber, amount: "5.00", auto_capture: false, financing_option: { transaction_type: "regular_purchase" } };
  for (let made = 1; made <= 4; made += 1) {
    sandbox.authorize(regular, call);
    const quote = sandbox.calculateInterest(GOOD.accountNumber, { amount: "5.00" }, call);
    assert.equal(quote.regular_purchase.verify, made <= 3, `after ${made}`);
    const verify = () => sandbox.verify(GOOD.accountNumber, { format: "regular_purchase_bypass", request_id: `bypass-${made}` }, call);
    if (made <= 3) {
      assert.equal(String(verify().verification_code), DATA.pin);
    } else {
      assert.throws(verify, (e) => {
        assert.equal(e.code, "regular_purchase_bypass_is_not_allowed");
        assert.equal(e.status, 409);
        assert.match(e.message, /more than 3 regular purchases in 24 h/);
        return true;
      });
    }
  }
  assert.match(errorCodes().find((c) => c.code === "regular_purchase_bypass_is_not_allowed").description, /more than 3 regular purchases in 24 h/);
  sandbox.free();
});

test("a refund rule names the capture only when the request names one", () => {
  const unnamed = checkRules("refund", { amount: "5" }, { balance: "40", captureRemaining: "4" });
  assert.equal(unnamed.ok, false);
  assert.deepEqual(unnamed.errors.map((e) => [e.path, e.flexitiCode]), [["amount", "refunds_limit_exceeded_amount"]]);
  assert.equal(unnamed.errors[0].message, "5.00 is more than the 4.00 that remains of the capture after returns and refunds; refund at most that");
  const named = checkRules("refund", { amount: "5", capture_id: 123456789 }, { balance: "40", captureRemaining: "4" });
  assert.match(named.errors[0].message, /remains of capture 123456789 after/);
});

test("an in-store purchase or payment needs a verify of the same account with its request_id", () => {
  const sandbox = new FlexitiSandbox(8);
  const token = sandbox.issueToken(T0);
  const call = { token, now: T0 };
  const payment = { transaction_type: "instore_payment", amount: "25.00", account_number: GOOD.accountNumber, verification_code: DATA.pin, ...inStore };
  const notVerified = (e) => e instanceof Error && e.code === "not_verified" && e.status === 409
    && JSON.parse(e.body).error === "not_verified" && /req-1/.test(e.message);
  // Never verified.
  assert.throws(() => sandbox.authorize(promotional("10.00"), call), notVerified);
  assert.throws(() => sandbox.transaction(payment, call), notVerified);
  // A wrong PIN is answered as such first.
  assert.throws(() => sandbox.authorize(promotional("10.00", { verification_code: "1111" }), call), { code: "wrong_verification_code" });
  assert.throws(() => sandbox.transaction({ ...payment, verification_code: "1111" }, call), { code: "wrong_verification_code" });
  // A failed verify does not count, nor does a verify of another account.
  assert.throws(() => sandbox.verify(GOOD.accountNumber, { format: "merchant_override", request_id: "req-1" }, call), { code: "merchant_override_is_not_allowed" });
  verifyCustomer(sandbox, call, account("Overlimit").accountNumber);
  assert.throws(() => sandbox.authorize(promotional("10.00"), call), notVerified);
  assert.equal(sandbox.authorizations({}, call).total_count, 0);
  // An online purchase sends no request id.
  const online = {
    account_number: GOOD.accountNumber, amount: "10.00", auto_capture: false,
    financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
  };
  assert.equal(sandbox.authorize(online, call).authorization_status, "opened");

  // Verified for this account: the purchase goes through. A verification serves one call, so
  // the payment needs its own; a refused call does not spend one.
  verifyCustomer(sandbox, call);
  assert.throws(() => sandbox.authorize(promotional("4990.01"), call), { code: "credit_exceeded" });
  assert.equal(sandbox.authorize(promotional("10.00"), call).authorization_status, "opened");
  assert.throws(() => sandbox.transaction(payment, call), (e) => notVerified(e) && /already used by an earlier purchase/.test(e.message));
  verifyCustomer(sandbox, call);
  assert.equal(sandbox.transaction(payment, call).amount, "25.00");
  assert.throws(() => sandbox.authorize(promotional("10.00", { request_id: "req-2" }), call), { code: "not_verified" });
  // What was verified, and what was used, is in the snapshot.
  verifyCustomer(sandbox, call);
  const restored = FlexitiSandbox.fromSnapshot(sandbox.snapshot());
  assert.equal(restored.authorize(promotional("10.00"), call).authorization_status, "opened");
  assert.throws(() => restored.authorize(promotional("10.00"), call), notVerified);
});

test("a PIN from verify with regular_purchase_bypass serves a regular purchase only", () => {
  const sandbox = new FlexitiSandbox(9);
  const call = { token: sandbox.issueToken(T0), now: T0 };
  const bypass = sandbox.verify(GOOD.accountNumber, { format: "regular_purchase_bypass", request_id: "req-1" }, call);
  assert.equal(String(bypass.verification_code), DATA.pin);
  const bypassOnly = (e) => e instanceof Error && e.code === "not_verified" && e.status === 409
    && JSON.parse(e.body).error === "not_verified" && /regular_purchase_bypass/.test(e.message);
  // A promotional purchase, and every transaction, is refused; a wrong PIN is still that first.
  assert.throws(() => sandbox.authorize(promotional("10.00"), call), bypassOnly);
  assert.throws(() => sandbox.authorize(promotional("10.00", { verification_code: "1111" }), call), { code: "wrong_verification_code" });
  for (const transaction_type of ["instore_payment", "deposit", "tradein"]) {
    const body = { transaction_type, amount: "5.00", account_number: GOOD.accountNumber, verification_code: DATA.pin, ...inStore };
    assert.throws(() => sandbox.transaction(body, call), bypassOnly, transaction_type);
  }
  assert.equal(sandbox.authorizations({}, call).total_count, 0);
  // A regular purchase above $200 is past the bypass; one within it goes through, also after a snapshot.
  const above = promotional("200.01", { financing_option: { transaction_type: "regular_purchase" } });
  assert.throws(() => sandbox.authorize(above, call), (e) => bypassOnly(e) && /at most \$200/.test(e.message));
  const regular = promotional("50.00", { financing_option: { transaction_type: "regular_purchase" } });
  assert.equal(sandbox.authorize(regular, call).transaction_type, "regular_purchase");
  // That spent it; verified again with the bypass, the restriction survives a snapshot.
  sandbox.verify(GOOD.accountNumber, { format: "regular_purchase_bypass", request_id: "req-1" }, call);
  const restored = FlexitiSandbox.fromSnapshot(sandbox.snapshot());
  assert.throws(() => restored.authorize(promotional("10.00"), call), bypassOnly);
  assert.equal(restored.authorize(regular, call).authorization_status, "opened");
  // Verified in another format too, the request serves any one call.
  verifyCustomer(sandbox, call);
  assert.equal(sandbox.authorize(promotional("10.00"), call).authorization_status, "opened");
});

test("validation reports every problem at once, with paths and codes; junk never throws", () => {
  const result = validateAuthorization({
    account_number: "12-34", financing_option: { transaction_type: "promotional_purchase", term: 0 },
    amount: "10.001", auto_capture: "yes", verification_code: "22a2", colour: "red",
  });
  assert.equal(result.ok, false);
  assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [
    ["colour", "unknown_field"],
    ["account_number", "invalid_format"],
    ["financing_option.plan_id", "required"],
    ["financing_option.term", "invalid_value"],
    ["amount", "not_minor_units"],
    ["auto_capture", "wrong_type"],
    ["verification_code", "invalid_format"],
    ["request_id", "required"],
    ["external_location_id", "required"],
    ["external_employee_id", "required"],
  ]);
  for (const path of ["colour", "account_number", "financing_option.plan_id", "amount", "auto_capture"]) {
    assert.ok(result.errors.some((e) => e.path === path && e.message.length > 10), path);
  }
  assert.deepEqual(validateAuthorization(promotional("10.00")), { ok: true, errors: [], warnings: [] });
  assert.equal(validateReturn({ full_return: false }).errors[0].path, "amount");
  assert.deepEqual(validateCustomerLookup({ account_number: GOOD.accountNumber, lang: "de" }).errors.map((e) => [e.path, e.code]), [["lang", "invalid_value"]]);
  assert.deepEqual(validateCustomerLookup({ account_number: GOOD.accountNumber, lang: "fr-CA" }).ok, true);
  assert.equal(validateCustomerSearch({ first_name: "A", last_name: "B", dob: "2030-01-01" }, { now: T0 }).errors[0].code, "not_in_past");
  assert.deepEqual(validateSkuData({ purchase_order: "PO-123456789" }).errors.map((e) => [e.path, e.code]), [["purchase_order", "too_long"]]);
  assert.equal(validateJson("capture", '{"amount": "1.00"').errors[0].code, "malformed_json");
  const cyclic = {};
  cyclic.self = cyclic;
  for (const junk of [undefined, null, 5, "x", true, 10n, Symbol("s"), () => 1, [], new Date(0), cyclic]) {
    const r = validate("capture", junk);
    assert.equal(r.ok, false, String(typeof junk));
    assert.ok(r.errors.length > 0);
  }
  assert.throws(() => validate("nope", {}), { code: "invalid_argument" });
});

test("ids given as numbers above 2^53 - 1 are refused at their field, never taken rounded", () => {
  const sandbox = new FlexitiSandbox(3);
  const setup = { environment: "TRAINING", clientId: "flexitidemo", token: sandbox.issueToken(T0), now: T0 };
  sandbox.free();
  const beyond = (result, path) => {
    assert.equal(result.ok, false, JSON.stringify(result));
    const problem = result.errors.find((e) => e.path === path);
    assert.ok(problem, JSON.stringify(result.errors));
    assert.equal(problem.code, "invalid_value");
    assert.match(problem.message, new RegExp(`^${path.replace(".", "\\.")} is \\d+, above 2\\^53 - 1 \\(9007199254740991\\): .*send it as a string of digits$`));
  };
  // 9876543210987655 is 9876543210987656 as a JavaScript number: not the card typed.
  const card = 9876543210987655;
  beyond(validateAuthorization({ ...promotional("10.00"), vcc_number: card }), "vcc_number");
  const tradein = { transaction_type: "tradein", amount: "1.00", verification_code: "2222" };
  for (const field of ["vcc_number", "account_number", "customer_id"]) {
    beyond(validate("transaction", { ...tradein, [field]: card }), field);
    beyond(validateCustomerLookup({ [field]: card }), field);
  }
  beyond(validateAuthorization({ ...promotional("10.00"), account_number: 2 ** 53 }), "account_number");
  beyond(validateAuthorization({ ...promotional("10.00"), request_id: 12345678901234567890 }), "request_id");
  beyond(validate("refund", { amount: "1.00", vcc_number: card }), "vcc_number");
  beyond(validateReturn({ full_return: true, vcc_number: card }), "vcc_number");
  beyond(validate("accountVerify", { format: "sms", request_id: "r-1", vcc_number: card }), "vcc_number");
  // prepare refuses them as it refuses such an authorizationId.
  const prepared = prepare("customerLookup", { vcc_number: 9007199254740992 }, setup);
  assert.equal(prepared.ok, false);
  assert.equal(prepared.code, "invalid_request");
  beyond(prepared, "vcc_number");
  // Up to 2^53 - 1 a number is read by its digits, and as a string every digit is kept.
  assert.equal(validateCustomerLookup({ account_number: 10000000000001 }).ok, true);
  assert.equal(validateCustomerLookup({ vcc_number: "9876543210987655" }).ok, true);
});

test("a number that is no id is refused for what is wrong with it, not for being a number", () => {
  for (const [value, words] of [
    [-5, "account_number is -5, a negative number"],
    [1.5, "account_number is 1.5, which has a fraction"],
    [1e20, "account_number is a number above 2^53 - 1"],
  ]) {
    const result = validateCustomerLookup({ account_number: value });
    assert.equal(result.ok, false);
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.equal(result.errors[0].path, "account_number");
    assert.equal(result.errors[0].code, "invalid_value");
    assert.ok(result.errors[0].message.startsWith(words), result.errors[0].message);
    assert.doesNotMatch(result.errors[0].message, /must be a string/);
  }
});

test("an amount from float arithmetic (0.1 + 0.2) is not_minor_units, worded as 10.001 is", () => {
  const [tenPointOhOne] = validateCapture({ amount: 10.001 }).errors;
  assert.equal(tenPointOhOne.code, "not_minor_units");
  assert.match(tenPointOhOne.message, /round it to 2 decimal places/);
  for (const amount of [0.1 + 0.2, 1.1 * 3, -(0.1 + 0.2), 1e-7, 1234567890123.4567]) {
    assert.deepEqual(validateCapture({ amount }).errors, [{ ...tenPointOhOne }], String(amount));
  }
  assert.deepEqual(validateCapture({ amount: 0.3 }).errors, []);
  assert.deepEqual(validateCapture({ amount: Math.round((0.1 + 0.2) * 100) / 100 }).errors, []);
  assert.deepEqual(validateCapture({ amount: "12345678901234.56" }).errors, []);
});

test("a number amount is read exactly below 2^46 and refused from there on, whole or not", () => {
  // Below 2^46 (70368744177664) every cent has a number of its own, read as written.
  for (const amount of [12345678901234.56, 70368744177663.99, 70368744177663, 10000000000000.01]) {
    assert.deepEqual(validateCapture({ amount }).errors, [], String(amount));
  }
  for (let cents = 7036874417766399; cents > 7036874417766399 - 2000; cents -= 7) {
    const amount = Number(`${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`);
    assert.deepEqual(validateCapture({ amount }).errors, [], String(amount));
  }
  assert.equal(validateCapture({ amount: 12345678901234.567 }).errors[0].code, "not_minor_units");
  // From 2^46 on, a number may not be what was written (9007199254740993 is already
  // 9007199254740992 in JavaScript): refused, whole or not, with the limit named.
  for (const amount of [70368744177664, 70368744177664.02, 80000000000000.01, 90071992547409.91, 9007199254740993, 1e21, -70368744177664]) {
    const [problem, ...rest] = validateCapture({ amount }).errors;
    assert.deepEqual(rest, [], String(amount));
    assert.equal(problem.code, "amount_out_of_range", String(amount));
    assert.match(problem.message, /below 70368744177664 \(2\^46\).*decimal string/, String(amount));
  }
  // Strings carry all of number (18,2), and the sandbox applies the same rule.
  assert.deepEqual(validateCapture({ amount: "9007199254740993.00" }).errors, []);
  // Past it, each string is refused by Flexiti's limit, also where 64-bit cents end.
  for (const amount of ["90000000000000000.00", "92233720368547758.07", "92233720368547758.08", "99999999999999999.99"]) {
    const [problem, ...rest] = validateCapture({ amount }).errors;
    assert.deepEqual(rest, [], amount);
    assert.equal(problem.code, "amount_out_of_range", amount);
    assert.match(problem.message, /more than 16 digits before the decimal point/, amount);
    assert.doesNotMatch(problem.message, /9223372036854775/, amount);
  }
  const { sandbox, token } = open(41);
  assert.throws(() => sandbox.calculateInterest(GOOD.accountNumber, { amount: 9007199254740993 }, { token, now: T0 }),
    (e) => e.code === "wrong_inputs" && e.fieldErrors[0].param === "amount" && /2\^46/.test(e.fieldErrors[0].msg));
  sandbox.free();
});

test("an amount problem inside sku_data names its own field", () => {
  const result = validateSkuData({ transaction_total: "10.001", products: [{ unit_price: 1.005, quantity: 1 }], gst_hst: -1e15 });
  const byPath = Object.fromEntries(result.errors.map((e) => [e.path, e]));
  assert.match(byPath.transaction_total.message, /^transaction_total has more than 2 decimal places/);
  assert.match(byPath["products[0].unit_price"].message, /^products\[0\]\.unit_price has more than 2 decimal places/);
  const inRequest = validateAuthorization({
    account_number: 10000000000001, amount: "10.001", auto_capture: true, financing_option: { transaction_type: "regular_purchase" },
    sku_data: { transaction_total: "10.001", products: [{ unit_price: "1.005" }] },
  });
  const messages = Object.fromEntries(inRequest.errors.filter((e) => e.code === "not_minor_units").map((e) => [e.path, e.message]));
  assert.match(messages.amount, /^amount has more than 2 decimal places/);
  assert.match(messages["sku_data.transaction_total"], /^sku_data\.transaction_total has more than 2 decimal places/);
  assert.match(messages["sku_data.products[0].unit_price"], /^sku_data\.products\[0\]\.unit_price has more than 2 decimal places/);
});

test("prepare joins endpoint, body, headers and token checks", () => {
  const token = accessToken({ token_type: "bearer", access_token: "tok", expires_in: 1200, refresh_token: "r" }, "TRAINING", T0);
  const setup = { environment: "TRAINING", clientId: "flexitidemo", token, referenceId: "b".repeat(32), lang: "fr", now: T0 };
  const ready = prepare("authorization", promotional("10.00"), { ...setup, idempotency: { key: "k-1", contextHash: "h" } });
  assert.equal(ready.ok, true);
  assert.equal(ready.request.url, "https://posapi-training.flexiti.fi/flexiti/pos-api/v2.5.1/client-id/flexitidemo/authorization?lang=fr");
  assert.deepEqual(ready.request.headers, {
    authorization: "Bearer tok", "x-reference-id": "b".repeat(32), "x-idempotency-key": "k-1", "x-context-hash": "h", "content-type": "application/json",
  });
  assert.equal(JSON.parse(ready.request.body).amount, "10.00");
  const lookup = prepare("customerLookup", { vcc_number: "6011000000000001" }, setup);
  assert.equal(lookup.request.method, "GET");
  assert.equal(lookup.request.body, null);
  assert.match(lookup.request.url, /customers\/lookup\?vcc_number=6011000000000001&lang=fr$/);

  const due = prepare({ kind: "capture", authorizationId: "1234567890123456" }, { amount: "1.00" }, { ...setup, now: at(1150) });
  assert.deepEqual([due.ok, due.code, due.refreshAt], [false, "token_refresh_due", "2026-11-21T10:19:00Z"]);
  assert.equal(prepare("authorization", promotional("1.00"), { ...setup, now: at(1200) }).code, "token_expired");
  assert.equal(prepare("authorization", promotional("1.00"), { ...setup, environment: "PRODUCTION" }).code, "token_environment_mismatch");
  const invalid = prepare({ kind: "capture", authorizationId: 1 }, { amount: "-1.00", x: 1 }, setup);
  assert.equal(invalid.code, "invalid_request");
  assert.deepEqual(invalid.errors.map((e) => [e.path, e.code]), [["x", "unknown_field"], ["amount", "negative_amount"]]);
  assert.throws(() => prepare("capture", { amount: "1.00" }, setup), { code: "invalid_argument" });
});

test("idempotency keys replay the first answer or refuse a changed body", () => {
  const { sandbox, token } = open();
  const first = { token, now: T0, idempotency: { key: "order-9-auth" } };
  const a = sandbox.authorize(promotional("50.00"), first);
  const again = sandbox.authorize(promotional("50.00"), { ...first, now: at(60) });
  assert.deepEqual(again, a);
  assert.equal(sandbox.authorizations({}, { token, now: T0 }).total_count, 1);
  assert.throws(
    () => sandbox.authorize(promotional("51.00"), first),
    (e) => e.code === "idempotency_body_mismatch" && e.status === 409,
  );
  // Another key is another call, which needs a verification of its own.
  verifyCustomer(sandbox, { token, now: T0 });
  assert.notEqual(sandbox.authorize(promotional("50.00"), { token, now: T0, idempotency: { key: "order-10-auth" } }).authorization_id, a.authorization_id);
});

test("snapshots round-trip; a corrupt or newer snapshot is a typed error and the state is kept", () => {
  const { sandbox, call } = open();
  const auth = sandbox.authorize(promotional("70.00"), call);
  const text = sandbox.snapshot();
  assert.equal(JSON.parse(text).schemaVersion, DATA.snapshotVersion);
  assert.equal(JSON.stringify({ saved: sandbox }), JSON.stringify({ saved: text }));
  const restored = FlexitiSandbox.fromSnapshot(text);
  assert.equal(restored.snapshot(), text);
  assert.equal(restored.capture(auth.authorization_id, { amount: "70.00" }, call).remaining_authorization_amount, "0.00");

  assert.throws(() => FlexitiSandbox.fromSnapshot("{not json"), { code: "snapshot_malformed" });
  assert.throws(() => FlexitiSandbox.fromSnapshot(JSON.stringify({ ...JSON.parse(text), schemaVersion: 99 })), (e) => e.code === "snapshot_newer_version" && /upgrade flexkit/.test(e.message));
  const broken = JSON.parse(text);
  broken.state.authorizations[0].capturedCents = 1_000_000;
  assert.throws(() => sandbox.restore(JSON.stringify(broken)), { code: "snapshot_inconsistent" });
  // Account figures the sandbox never records: a balance its captures, returns, refunds and
  // payments do not make, a credit limit it never set.
  const figures = [
    ["balanceCents", -99999999999, /account 10000000000001 has balanceCents -99999999999, but .* make it 0\b/],
    ["creditLimitCents", 0, /account 10000000000001 has creditLimitCents 0; .* this test account's is 500000/],
    ["creditLimitCents", 1e15, /account 10000000000001 has creditLimitCents 1000000000000000;/],
  ];
  for (const [field, value, says] of figures) {
    const edited = JSON.parse(text);
    edited.state.accounts[0][field] = value;
    assert.throws(() => sandbox.restore(JSON.stringify(edited)), (e) => e.code === "snapshot_inconsistent" && says.test(e.message), `${field} ${value}`);
    assert.throws(() => FlexitiSandbox.fromSnapshot(JSON.stringify(edited)), { code: "snapshot_inconsistent" });
  }
  assert.throws(() => sandbox.restore(42), { code: "invalid_argument" });
  assert.equal(sandbox.snapshot(), text, "a failed restore keeps the state");
  sandbox.restore(new FlexitiSandbox(1).snapshot());
  assert.notEqual(sandbox.snapshot(), text);
});

test("a snapshot passed through JSON.parse and JSON.stringify continues exactly like the original", () => {
  const { sandbox, call } = open(11);
  // An authorization whose 16-digit id a double cannot hold (odd, above 2^53).
  let auth;
  for (let n = 0; n < 200 && auth === undefined; n++) {
    if (n > 0) verifyCustomer(sandbox, call);
    const made = sandbox.authorize(promotional("1.00"), call);
    if (BigInt(made.authorization_id) > 2n ** 53n && BigInt(made.authorization_id) % 2n === 1n) auth = made;
  }
  assert.ok(auth, "an authorization id beyond 2^53");
  const capture = sandbox.capture(auth.authorization_id, { amount: "1.00" }, call);
  const returned = sandbox.returnCapture(auth.authorization_id, capture.capture_id, { amount: "0.40", full_return: false }, call);
  const text = sandbox.snapshot();
  const parsed = JSON.parse(text);
  assert.equal(typeof parsed.state.rngState, "string");
  assert.ok(parsed.state.authorizations.some((a) => a.id === auth.authorization_id));
  assert.ok(parsed.state.returns.some((r) => r.id === returned.return_id));
  const next = (restored) => {
    const later = { ...call, now: at(60) };
    const again = restored.authorizationDetail(auth.authorization_id, {}, later);
    verifyCustomer(restored, later);
    const fresh = restored.authorize(promotional("2.00"), later);
    return [again, fresh.authorization_id, restored.issueToken(at(60))];
  };
  const expected = next(FlexitiSandbox.fromSnapshot(text));
  for (const copy of [JSON.stringify(parsed), JSON.stringify(parsed, null, 2)]) {
    const restored = FlexitiSandbox.fromSnapshot(copy);
    assert.equal(restored.snapshot(), text);
    assert.deepEqual(next(restored), expected);
    restored.free();
  }
  // Written with numbers, as schema version 3 did, the same snapshot loads exactly, but not
  // after JSON.parse has rounded it.
  const v3 = text.replace('"schemaVersion":4', '"schemaVersion":3').replace(/"(rngState|id|authorizationId)":"(\d+)"/g, '"$1":$2');
  assert.ok(v3.includes(`"id":${auth.authorization_id},`));
  assert.deepEqual(next(FlexitiSandbox.fromSnapshot(v3)), expected);
  let rounded;
  try {
    rounded = next(FlexitiSandbox.fromSnapshot(JSON.stringify(JSON.parse(v3))));
  } catch (error) {
    rounded = error.code;
  }
  assert.notDeepEqual(rounded, expected);
  sandbox.free();
});

test("a snapshot with an id wider than Flexiti's or a replay that is not JSON is snapshot_inconsistent, naming the record", () => {
  const { sandbox, call } = open(46);
  const auth = sandbox.authorize(promotional("10.00"), { ...call, idempotency: { key: "order-9" } });
  const capture = sandbox.capture(auth.authorization_id, { amount: "10.00" }, call);
  const document = JSON.parse(sandbox.snapshot());
  sandbox.free();
  const refused = (edit, words) => {
    const changed = structuredClone(document);
    edit(changed.state);
    assert.throws(() => FlexitiSandbox.fromSnapshot(JSON.stringify(changed)), (e) => {
      assert.equal(e.code, "snapshot_inconsistent");
      assert.ok(e.message.includes(words), e.message);
      return true;
    });
  };
  refused((state) => {
    state.authorizations[0].id = "12345678901234567";
    state.captures[0].authorizationId = "12345678901234567";
  }, "authorization 12345678901234567 has more than 16 digits");
  refused((state) => { state.captures[0].id = 1234567890; }, "capture 1234567890 has more than 9 digits");
  for (const response of ["not json", "[]", "{\"authorization_id\":"]) {
    refused((state) => { state.idempotency[0].response = response; }, 'idempotency key "order-9" holds an answer that is not a JSON object');
  }
  // Untouched, it loads and replays.
  const again = FlexitiSandbox.fromSnapshot(JSON.stringify(document));
  assert.equal(again.authorize(promotional("10.00"), { ...call, idempotency: { key: "order-9" } }).authorization_id, auth.authorization_id);
  assert.equal(capture.capture_id <= 999999999, true);
  again.free();
});

test("misuse throws an Error with a code, never a trap", () => {
  const { sandbox, call } = open();
  const cases = [
    ["new FlexitiSandbox(-1)", () => new FlexitiSandbox(-1), "invalid_argument"],
    ["new FlexitiSandbox(1.5)", () => new FlexitiSandbox(1.5), "invalid_argument"],
    ["lookup without call", () => sandbox.lookup({ account_number: GOOD.accountNumber }), "invalid_argument"],
    ["token of the wrong type", () => sandbox.lookup({}, { token: 5, now: T0 }), "invalid_argument"],
    ["now of the wrong type", () => sandbox.lookup({}, { token: call.token, now: {} }), "invalid_argument"],
    ["invalid date", () => sandbox.lookup({}, { token: call.token, now: new Date(NaN) }), "invalid_date"],
    ["id above 2^53", () => sandbox.capture(2 ** 60, { amount: "1.00" }, call), "invalid_argument"],
    ["unknown environment", () => tokenRequest({ clientId: "a", clientSecret: "b" }, "STAGING"), "invalid_argument"],
    ["credentials not an object", () => tokenRequest(null, "TRAINING"), "invalid_argument"],
    ["cyclic body", () => { const c = {}; c.c = c; sandbox.authorize(c, call); }, "invalid_argument"],
    ["parseError status", () => parseError("409", "{}"), "invalid_argument"],
    ["tokenState of junk", () => tokenState({}, T0), "invalid_argument"],
    ["contextHash without key", () => sandbox.authorize(promotional("1.00"), { ...call, idempotency: { contextHash: "h" } }), "invalid_argument"],
  ];
  for (const [name, f, code] of cases) {
    assert.throws(f, (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && e.code === code, name);
  }
  sandbox.free();
  sandbox.free();
  for (const f of [() => sandbox.snapshot(), () => sandbox.lookup({}, call), () => sandbox.issueToken(T0), () => JSON.stringify(sandbox)]) {
    assert.throws(f, (e) => e instanceof Error && e.code === "freed_object");
  }
  const scoped = new FlexitiSandbox(1);
  scoped[Symbol.dispose ?? Symbol.for("Symbol.dispose")]();
  assert.throws(() => scoped.snapshot(), { code: "freed_object" });
});

test("a JSON token body is refused without echoing it or its secret; field names only when they look like names", async () => {
  const sandbox = new FlexitiSandbox(8);
  const { clientId, clientSecret } = sandbox.credentials();
  const json = JSON.stringify({ client_id: clientId, client_secret: clientSecret, grant_type: "client_credentials" });
  const leaks = (text) => text.includes(clientSecret) || text.includes(json) || text.includes("client_credentials\\\"");
  // The typed call.
  assert.throws(() => sandbox.token(json, T0), (e) => {
    assert.equal(e.code, "invalid_request");
    assert.equal(e.status, 400);
    assert.match(e.message, /must be application\/x-www-form-urlencoded/);
    for (const text of [e.message, e.body, JSON.stringify(e.fieldErrors)]) assert.ok(!leaks(text), text);
    assert.deepEqual(e.fieldErrors.map((f) => [f.param, f.value]), [["", null]]);
    return true;
  });
  // Over fetch, as a client that posts JSON would.
  const fetch = sandbox.createFetch({ now: () => T0 });
  const response = await fetch(`${BASE}v2.5/oauth/token`, {
    method: "POST", headers: { "x-reference-id": newReferenceId(), "content-type": "application/json" }, body: json,
  });
  assert.equal(response.status, 400);
  const text = await response.text();
  assert.ok(!leaks(text), text);
  const answer = parseError(response.status, text);
  assert.match(answer.message, /application\/x-www-form-urlencoded/);
  assert.deepEqual(answer.fieldErrors, [{ param: "", msg: answer.fieldErrors[0].msg, value: null }]);
  // validateTokenForm says the same, quoting nothing of the body.
  for (const body of [json, `client_id=${clientId}&${clientSecret}`, `{"client_secret":"${clientSecret}"}&client_id=x`]) {
    const result = validateTokenForm(body);
    assert.equal(result.ok, false);
    const all = JSON.stringify(result);
    assert.ok(!all.includes(clientSecret), all);
    assert.ok(result.errors.some((e) => e.path === "" && /application\/x-www-form-urlencoded/.test(e.message)), all);
  }
  // A misspelt field with a name's shape is named; its value never.
  const misspelt = validateTokenForm(`client_id=${clientId}&clientsecret=${clientSecret}`);
  assert.deepEqual(misspelt.errors.map((e) => [e.path, e.code]), [["clientsecret", "unknown_field"], ["client_secret", "required"]]);
  assert.ok(!JSON.stringify(misspelt).includes(clientSecret));
  // A refused form field carries the value sent, but never the secret or the refresh token.
  assert.throws(() => sandbox.token(`client_id=${clientId}&client_secret=${clientSecret}&grant_type=pasword`, T0), (e) => {
    assert.deepEqual(e.fieldErrors.map((f) => [f.param, f.value]), [["grant_type", "pasword"]]);
    return true;
  });
  assert.throws(() => sandbox.token(`client_id=${clientId}&client_secret=x%0A&grant_type=refresh_token`, T0), (e) => {
    assert.equal(e.code, "invalid_client");
    for (const f of e.fieldErrors) assert.equal(f.value, null, f.param);
    return true;
  });
  sandbox.free();
});

test("a token form never echoes the value of a key it does not have: a misspelt secret or refresh token", async () => {
  const sandbox = new FlexitiSandbox(9);
  const { clientId, clientSecret } = sandbox.credentials();
  const refresh = sandbox.issueToken(T0).refreshToken;
  const fetch = sandbox.createFetch({ now: () => T0 });
  const bodies = [
    `client_id=${clientId}&clientSecret=${clientSecret}`,
    `client_id=${clientId}&secret=${clientSecret}`,
    `client_id=${clientId}&client_secrett=${clientSecret}`,
    `client_id=${clientId}&Client_Secret=${clientSecret}`,
    `client_id=${clientId}&client-secret=${clientSecret}`,
    `client_id=${clientId}&clientsecret=${clientSecret}&grant_type=client_credentials`,
    `client_id=${clientId}&client_secret=${clientSecret}&grant_type=refresh_token&refreshToken=${refresh}`,
    `client_id=${clientId}&client_secret=${clientSecret}&grant_type=refresh_token&refresh=${refresh}`,
    `client_id=${clientId}&client_secret=${clientSecret}&grant_type=refresh_token&refresh_tokens=${refresh}`,
    `client_id=${clientId}&client_secret=${clientSecret}&token=${refresh}&scope=merchant`,
  ];
  const leaks = (text) => text.includes(clientSecret) || text.includes(refresh);
  for (const body of bodies) {
    assert.throws(() => sandbox.token(body, T0), (e) => {
      assert.equal(e.status, 400, body);
      for (const text of [e.message, e.body, JSON.stringify(e.fieldErrors)]) assert.ok(!leaks(text), `${body}: ${text}`);
      assert.ok(e.fieldErrors.length > 0, body);
      for (const f of e.fieldErrors) assert.equal(f.value, null, `${body}: ${f.param}`);
      return true;
    });
    const response = await fetch(`${BASE}v2.5/oauth/token`, {
      method: "POST", headers: { "x-reference-id": newReferenceId(), "content-type": "application/x-www-form-urlencoded" }, body,
    });
    assert.equal(response.status, 400, body);
    const text = await response.text();
    assert.ok(!leaks(text), `${body}: ${text}`);
    for (const f of JSON.parse(text).field_errors) assert.equal(f.value, null, `${body}: ${f.param}`);
  }
  // The form's own fields that hold no secret are still quoted.
  assert.throws(() => sandbox.token(`client_id=${clientId}&client_secret=${clientSecret}&scope=shop`, T0), (e) => {
    assert.deepEqual(e.fieldErrors.map((f) => [f.param, f.value]), [["scope", "shop"]]);
    return true;
  });
  sandbox.free();
});

test("field_errors always carry value: the value sent, or null when none", async () => {
  const { sandbox, token, call } = open(44);
  const fields = (f) => { try { f(); } catch (e) { return e.fieldErrors; } assert.fail("no error"); };
  // Thrown errors carry what was sent, as text.
  assert.deepEqual(fields(() => sandbox.capture("7620877612482005", { amount: "0.00" }, call)).map((f) => [f.param, f.value]), [["amount", "0.00"]]);
  assert.deepEqual(fields(() => sandbox.calculateInterest(GOOD.accountNumber, { amount: -5 }, call)).map((f) => [f.param, f.value]), [["amount", "-5"]]);
  const sku = fields(() => sandbox.authorize({ ...promotional("10.00"), ...inStore, sku_data: { products: [{ unit_price: "1.001" }] } }, call));
  assert.deepEqual(sku.map((f) => [f.param, f.value]), [["sku_data.products[0].unit_price", "1.001"]]);
  const missing = fields(() => sandbox.capture("7620877612482005", {}, call));
  assert.deepEqual(missing.map((f) => [f.param, f.value]), [["amount", null]]);
  // Over fetch: every entry has the key, null where nothing (or the body as a whole) was sent.
  const fetch = sandbox.createFetch({ now: () => T0 });
  const { clientId } = sandbox.credentials();
  const setup = { environment: "TRAINING", clientId, token, now: T0 };
  const entries = async (response) => JSON.parse(await response.text()).field_errors;
  const ready = prepare({ kind: "capture", authorizationId: "7620877612482005" }, { amount: "1.00" }, setup).request;
  const malformed = await entries(await fetch(ready.url, { method: "POST", headers: ready.headers, body: "{\"amount\":" }));
  assert.deepEqual(malformed.map((f) => [f.param, f.value]), [["", null]]);
  const purchase = prepare("authorization", { ...promotional("10.00"), ...inStore }, setup).request;
  const lang = await entries(await fetch(`${purchase.url}?lang=de`, { method: "POST", headers: purchase.headers, body: purchase.body }));
  assert.deepEqual(lang.map((f) => [f.param, f.value]), [["lang", "de"]]);
  const twice = await entries(await fetch(`${purchase.url}?lang=en&lang=fr`, { method: "POST", headers: purchase.headers, body: purchase.body }));
  assert.deepEqual(twice.map((f) => [f.param, f.value]), [["lang", "en,fr"]]);
  // The form must be sent as one: without the header `fetch` labels a string body text/plain.
  const unlabelled = await fetch(`${BASE}v2.5/oauth/token`, {
    method: "POST", headers: { "x-reference-id": newReferenceId() }, body: `client_id=${clientId}&client_secret=x&grant_type=client_credentials`,
  });
  assert.equal(unlabelled.status, 400);
  const notForm = parseError(400, await unlabelled.text());
  assert.equal(notForm.code, "invalid_request");
  assert.match(notForm.message, /^the token call takes content-type application\/x-www-form-urlencoded, not text\/plain/);
  // A JSON call's body must be labelled JSON too; a GET has no body to label.
  const { "content-type": _, ...unlabelledHeaders } = purchase.headers;
  for (const [headers, named] of [[unlabelledHeaders, "text/plain"], [{ ...unlabelledHeaders, "content-type": "application/x-www-form-urlencoded" }, "application/x-www-form-urlencoded"]]) {
    const plain = await fetch(purchase.url, { method: "POST", headers, body: purchase.body });
    assert.equal(plain.status, 400, named);
    const refusedPlain = parseError(400, await plain.text());
    assert.equal(refusedPlain.code, "invalid_request");
    assert.equal(refusedPlain.message, `this call takes a JSON body with content-type application/json, not ${named}: send the headers prepare() writes`);
  }
  const charset = await fetch(purchase.url, { method: "POST", headers: { ...unlabelledHeaders, "Content-Type": "application/json; charset=UTF-8" }, body: purchase.body });
  assert.notEqual(charset.status, 400, "a charset parameter is fine");
  const grant = await entries(await fetch(`${BASE}v2.5/oauth/token`, {
    method: "POST", headers: { "x-reference-id": newReferenceId(), "content-type": "application/x-www-form-urlencoded; charset=UTF-8" },
    body: `client_id=${clientId}&client_secret=x&grant_type=password`,
  }));
  assert.ok(grant.length > 0);
  for (const f of grant) assert.ok("value" in f, JSON.stringify(f));
  assert.deepEqual(grant.find((f) => f.param === "grant_type").value, "password");
  sandbox.free();
});

test("error answers of every documented shape are read", () => {
  const pos = parseError(409, JSON.stringify({ url: "/x", message: "bad", error: "wrong_input", error_fields: [{ param: "amount", msg: "too big", value: 12 }] }));
  assert.deepEqual(
    { code: pos.code, status: pos.status, known: pos.known, fieldErrors: pos.fieldErrors, url: pos.url },
    { code: "wrong_inputs", status: 409, known: true, fieldErrors: [{ param: "amount", msg: "too big", value: "12" }], url: "/x" },
  );
  const online = parseError(400, { code: "400", error: "invalid_client", error_description: "Bad client credentials" });
  assert.deepEqual([online.code, online.message], ["invalid_client", "Bad client credentials"]);
  const widget = parseError(0, '{"error": 404, "message": "gone"}');
  assert.deepEqual([widget.status, widget.code, widget.message], [404, "not_found", "gone"]);
  const unknown = parseError(409, '{"error": "brand_new_code", "message": "m"}');
  assert.deepEqual([unknown.code, unknown.known], ["brand_new_code", false]);
  const html = parseError(503, "<html>down</html>");
  assert.deepEqual([html.code, html.message], ["server_error", "<html>down</html>"]);
});

test("a 5xx without a code is a fault on Flexiti's side; a body without a code is no documented error", () => {
  for (const [status, body] of [[502, "<html>Bad gateway</html>"], [503, { message: "Service Unavailable" }], [500, ""], [504, "upstream timed out"]]) {
    const error = parseError(status, body);
    assert.equal(error.status, status);
    assert.equal(error.code, "server_error", String(status));
    assert.equal(error.known, false, String(status));
    assert.match(error.description, /failed on its side/);
    assert.doesNotMatch(error.description, /set-up/);
  }
  assert.equal(parseError(503, { message: "Service Unavailable" }).message, "Service Unavailable");
  // A non-JSON body at another status keeps the status's code, but is not described as one of
  // Flexiti's documented answers.
  const proxy = parseError(409, "<html>Conflict</html>");
  assert.deepEqual([proxy.code, proxy.known], ["wrong_inputs", false]);
  assert.match(proxy.description, /names no Flexiti error code/);
  // A 5xx body that names its code keeps it, documented.
  const named = parseError(500, { error: "general_error", message: "m" });
  assert.deepEqual([named.code, named.known], ["general_error", true]);
  assert.equal(named.description, errorCodes().find((c) => c.code === "general_error").description);
  assert.ok(errorCodes().some((c) => c.code === "server_error"));
});

// ---- createFetch: the sandbox behind Flexiti's POS API over fetch ------------------------

const BASE = "https://posapi-training.flexiti.fi/flexiti/pos-api/";

/** Sends a request as `prepare()` / `tokenRequest()` describe it. */
const send = (fetch, request) =>
  fetch(request.url, { method: request.method, headers: request.headers, body: request.body ?? undefined });

/** A sandbox with its fetch, a token obtained over fetch and the `prepare` setup of that token. */
async function overFetch(seed = 21) {
  const sandbox = new FlexitiSandbox(seed);
  let clock = Date.parse(T0);
  const fetch = sandbox.createFetch({ now: () => clock });
  const { environment: _, ...credentials } = sandbox.credentials();
  const response = await send(fetch, tokenRequest(credentials, "TRAINING", { referenceId: "c".repeat(32) }));
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type"), /^application\/json/);
  const token = accessToken(await response.json(), "TRAINING", clock);
  const setup = { environment: "TRAINING", clientId: credentials.clientId, token, referenceId: "c".repeat(32), now: T0 };
  const ready = (endpoint, request, extra = {}) => {
    const prepared = prepare(endpoint, request, { ...setup, ...extra });
    assert.equal(prepared.ok, true, prepared.message);
    return prepared.request;
  };
  /** The answer over fetch as [status, body]. */
  const http = async (endpoint, request, extra) => {
    const r = await send(fetch, ready(endpoint, request, extra));
    return [r.status, readAnswer(await r.text())];
  };
  return { sandbox, fetch, token, setup, ready, http, credentials, tick: (s) => { clock += s * 1000; } };
}

test("a sandbox call refuses values JSON cannot carry at their paths, as validate does, and makes no call with them dropped", () => {
  const { sandbox, call } = open(31);
  const base = { account_number: GOOD.accountNumber, amount: "10.00", auto_capture: false, financing_option: { transaction_type: "regular_purchase" } };
  const cases = [
    [{ amount: NaN }, "amount", /NaN/],
    [{ reference: Symbol("s") }, "reference", /a symbol/],
    [{ reference: () => "INV-1" }, "reference", /a function/],
    [{ reference: "INV\uD83D" }, "reference", /lone UTF-16 surrogate/],
  ];
  for (const [bad, path, words] of cases) {
    const request = { ...base, ...bad };
    const expected = validateAuthorization(request).errors.find((e) => e.path === path);
    assert.ok(expected, path);
    assert.throws(() => sandbox.authorize(request, call), (e) => {
      assert.equal(e.code, "wrong_inputs");
      assert.equal(e.status, 409);
      assert.equal(e.flexiti, true);
      assert.equal(e.message, expected.message);
      assert.match(e.message, words);
      assert.deepEqual(e.fieldErrors.map((f) => f.param), [path]);
      assert.equal(parseError(e.status, e.body).code, "wrong_inputs");
      return true;
    }, path);
  }
  // A bigint is misuse, as everywhere in the package: JSON has no such value.
  assert.throws(() => sandbox.authorize({ ...base, amount: 10n }, call), { code: "invalid_argument" });
  assert.equal(sandbox.authorizations({}, call).total_count, 0);
  sandbox.free();
});

test("a body with a key given twice is refused at that key, by validateJson and over createFetch", async () => {
  const text = '{"amount":"10.00","amount":"4000.00"}';
  const checked = validateJson("capture", text);
  assert.equal(checked.ok, false);
  assert.deepEqual(checked.errors.map((e) => [e.path, e.code]), [["amount", "duplicate_field"]]);
  const { fetch, ready, http } = await overFetch(23);
  await http({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, { format: "email", request_id: inStore.request_id });
  const [status, auth] = await http("authorization", promotional("5000.00"));
  assert.equal(status, 200, JSON.stringify(auth));
  const request = ready({ kind: "capture", authorizationId: auth.authorization_id }, { amount: "10.00" });
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: text });
  assert.equal(response.status, 409);
  const body = await response.json();
  assert.equal(body.error, "wrong_inputs");
  assert.deepEqual(body.field_errors.map((f) => f.param), ["amount"]);
  // Nothing was captured: the whole authorization is still there to capture once.
  const [captured, capture] = await http({ kind: "capture", authorizationId: auth.authorization_id }, { amount: "5000.00" });
  assert.equal(captured, 200, JSON.stringify(capture));
});

test("createFetch: token call, then a full in-store flow over fetch, each answer the sandbox's own", async () => {
  const { sandbox, token, http, credentials } = await overFetch();
  // A second sandbox with the same seed and the same calls made directly gives the same answers.
  const twin = new FlexitiSandbox(21);
  const twinToken = accessToken(twin.token(tokenRequest(credentials, "TRAINING").body, T0), "TRAINING", T0);
  assert.equal(twinToken.accessToken, token.accessToken);
  const call = { token: twinToken, now: T0 };
  const same = async (endpoint, request, direct) => {
    const [status, body] = await http(endpoint, request);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, direct());
    return body;
  };

  const search = { first_name: GOOD.firstName, last_name: GOOD.lastName, dob: GOOD.dob };
  const matches = await same("customerSearch", search, () => twin.search(search, call));
  assert.equal(matches[0].account_number, GOOD.accountNumber);
  const lookup = { account_number: GOOD.accountNumber, lang: "fr" };
  assert.equal((await same("customerLookup", lookup, () => twin.lookup(lookup, call))).available_credit, "5000.00");
  const verify = { format: "email", request_id: inStore.request_id };
  await same({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, verify, () => twin.verify(GOOD.accountNumber, verify, call));
  const interest = { amount: "1200.00" };
  await same({ kind: "calculateInterest", accountNumber: GOOD.accountNumber }, interest, () => twin.calculateInterest(GOOD.accountNumber, interest, call));
  const auth = await same("authorization", promotional("1000.00"), () => twin.authorize(promotional("1000.00"), call));
  assert.match(auth.authorization_id, /^\d{16}$/);
  const authorizationId = auth.authorization_id;
  const capture = await same({ kind: "capture", authorizationId }, { amount: "600.00" }, () => twin.capture(authorizationId, { amount: "600.00" }, call));
  const back = { amount: "100.00", full_return: false };
  const captureId = capture.capture_id;
  await same({ kind: "return", authorizationId, captureId }, back, () => twin.returnCapture(authorizationId, captureId, back, call));
  await same({ kind: "release", authorizationId }, {}, () => twin.release(authorizationId, {}, call));
  await same({ kind: "refund", accountNumber: GOOD.accountNumber }, { amount: "5.00" }, () => twin.refund(GOOD.accountNumber, { amount: "5.00" }, call));
  const payment = { transaction_type: "instore_payment", amount: "25.00", account_number: GOOD.accountNumber, verification_code: DATA.pin, ...inStore };
  // The purchase spent the verification: the payment is verified anew.
  await same({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, verify, () => twin.verify(GOOD.accountNumber, verify, call));
  await same("transaction", payment, () => twin.transaction(payment, call));
  const list = { authorization_status: "closed", page_number: 1, page_size: 10 };
  const page = await same("authorizationList", list, () => twin.authorizations(list, call));
  assert.deepEqual([page.page_number, page.page_size, page.items[0].authorization_id], [1, 10, authorizationId]);
  const captures = await same("captureList", { account_number: GOOD.accountNumber }, () => twin.captures({ account_number: GOOD.accountNumber }, call));
  assert.equal(captures.items[0].returned_amount, "100.00");
  const detail = await same({ kind: "authorizationDetail", authorizationId }, { lang: "en" }, () => twin.authorizationDetail(authorizationId, { lang: "en" }, call));
  assert.deepEqual([detail.captured_amount, detail.released_amount], ["600.00", "400.00"]);
  assert.equal(sandbox.snapshot(), twin.snapshot());
});

test("answers carry 20-character timestamps (whole seconds) under the default clock too", async () => {
  const WHOLE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
  const sandbox = new FlexitiSandbox(31);
  // issueToken with the current instant, and with one that has milliseconds.
  assert.match(sandbox.issueToken(new Date()).issuedAt, WHOLE);
  assert.equal(sandbox.issueToken("2026-11-21T10:00:00.500Z").issuedAt, "2026-11-21T10:00:00Z");
  assert.equal(sandbox.issueToken(Date.parse(T0) + 999).issuedAt, T0);
  // createFetch without `now` answers at Date.now(), which has milliseconds.
  const fetch = sandbox.createFetch();
  const { environment: _, ...credentials } = sandbox.credentials();
  const response = await send(fetch, tokenRequest(credentials, "TRAINING"));
  assert.equal(response.status, 200);
  const token = accessToken(await response.json(), "TRAINING", new Date());
  assert.match(token.issuedAt, WHOLE);
  const setup = () => ({ environment: "TRAINING", clientId: credentials.clientId, token, now: new Date() });
  const http = async (endpoint, request) => {
    const prepared = prepare(endpoint, request, setup());
    assert.equal(prepared.ok, true, prepared.message);
    const r = await send(fetch, prepared.request);
    assert.equal(r.status, 200, endpoint.kind ?? endpoint);
    return readAnswer(await r.text());
  };
  // An online purchase: no PIN, no in-store fields.
  const online = { account_number: GOOD.accountNumber, amount: "10.00", auto_capture: true, financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 } };
  const auth = await http("authorization", online);
  const capture = auth.capture;
  const returned = await http({ kind: "return", authorizationId: auth.authorization_id, captureId: capture.capture_id }, { amount: "1.00", full_return: false });
  const posted = await http("transaction", { transaction_type: "tradein", amount: "1.00", account_number: GOOD.accountNumber, verification_code: "2222" });
  const list = await http("authorizationList", {});
  const captures = await http("captureList", {});
  const detail = await http({ kind: "authorizationDetail", authorizationId: auth.authorization_id }, {});
  const stamps = [capture.date, returned.date, posted.date, detail.creation_date, ...list.items.map((a) => a.creation_date), ...captures.items.map((c) => c.date)];
  assert.equal(stamps.length, 6);
  for (const stamp of stamps) assert.match(stamp, WHOLE);
  // The typed calls answer the same way at an instant with milliseconds.
  const typed = sandbox.issueToken(T0);
  const again = sandbox.authorize(online, { token: typed, now: "2026-11-21T10:00:00.250Z" });
  assert.equal(again.capture.date, T0);
  sandbox.free();
});

test("createFetch: every endpoint of endpoints() is routed with its method and version", async () => {
  const { fetch, token, credentials } = await overFetch();
  const ids = { authorizationId: "1234567890123456", captureId: "123456789", accountNumber: "99999999999999" };
  for (const endpoint of endpoints()) {
    const descriptor = { kind: endpoint.kind };
    for (const name of endpoint.pathParams) descriptor[name] = ids[name];
    const url = endpoint.kind === "token" ? BASE + endpoint.example : endpointUrl(descriptor, "TRAINING", credentials.clientId);
    const headers = { authorization: `Bearer ${token.accessToken}`, "x-reference-id": "c".repeat(32) };
    const right = await fetch(url, { method: endpoint.method, headers, body: endpoint.method === "POST" ? "{}" : undefined });
    // Answered by the sandbox (an unknown id, an empty body), not by the router.
    assert.doesNotMatch(String((await right.json()).message ?? ""), /POS API has no|takes (GET|POST)/, endpoint.kind);
    const other = endpoint.method === "GET" ? "POST" : "GET";
    const wrong = await fetch(url, { method: other, headers });
    assert.equal(wrong.status, 405, endpoint.kind);
    assert.equal(wrong.headers.get("allow"), endpoint.method);
    const otherVersion = endpoint.version === "v2.5" ? "v2.5.1" : "v2.5";
    const moved = await fetch(url.replace(`/${endpoint.version}/`, `/${otherVersion}/`), { method: endpoint.method, headers, body: endpoint.method === "POST" ? "{}" : undefined });
    assert.equal(moved.status, 404, endpoint.kind);
    assert.equal(parseError(404, await moved.text()).code, "not_found");
  }
  // Unknown ids answer as the sandbox does: 404 not_found.
  const missing = await fetch(endpointUrl({ kind: "authorizationDetail", authorizationId: ids.authorizationId }, "TRAINING", credentials.clientId), { headers: { authorization: `Bearer ${token.accessToken}`, "x-reference-id": "c".repeat(32) } });
  assert.equal(missing.status, 404);
  assert.equal(parseError(404, await missing.text()).code, "not_found");
});

test("createFetch: Flexiti's errors are HTTP answers that parseError reads back", async () => {
  const { fetch, ready, http, setup, credentials } = await overFetch();
  const headers = { authorization: `Bearer ${setup.token.accessToken}`, "x-reference-id": setup.referenceId };
  const readBack = async (response, code, status) => {
    assert.equal(response.status, status);
    const text = await response.text();
    const body = JSON.parse(text);
    assert.equal(body.error, code);
    assert.equal(typeof body.message, "string");
    const parsed = parseError(response.status, text);
    assert.deepEqual([parsed.code, parsed.status, parsed.known], [code, status, true]);
    return parsed;
  };
  // Not verified yet, then a wrong PIN.
  await readBack(await send(fetch, ready("authorization", promotional("10.00"))), "not_verified", 409);
  const [status] = await http({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, { format: "email", request_id: inStore.request_id });
  assert.equal(status, 200);
  await readBack(await send(fetch, ready("authorization", promotional("10.00", { verification_code: "1111" }))), "wrong_verification_code", 409);
  // Invalid input is wrong_inputs with its field errors.
  const badLookup = await fetch(`${BASE}v2.5/client-id/${credentials.clientId}/customers/lookup?account_number=${GOOD.accountNumber}&lang=de`, { headers });
  const parsed = await readBack(badLookup, "wrong_inputs", 409);
  assert.deepEqual(parsed.fieldErrors.map((f) => f.param), ["lang"]);
  // A page number that is not a number is reported by the query's validation.
  const badPage = await fetch(`${BASE}v2.5.1/client-id/${credentials.clientId}/captures?page_number=two&page_size=0`, { headers });
  assert.deepEqual((await readBack(badPage, "wrong_inputs", 409)).fieldErrors.map((f) => f.param), ["page_number", "page_size"]);
  const twice = await fetch(`${BASE}v2.5.1/client-id/${credentials.clientId}/captures?page_size=1&page_size=2`, { headers });
  assert.deepEqual((await readBack(twice, "wrong_inputs", 409)).fieldErrors.map((f) => f.param), ["page_size"]);
  const notJson = await fetch(`${BASE}v2.5.1/client-id/${credentials.clientId}/authorization`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: "{" });
  await readBack(notJson, "wrong_inputs", 409);
  // Wrong credentials on the token call; another merchant's client id in the path.
  const wrong = tokenRequest({ clientId: credentials.clientId, clientSecret: "nope" }, "TRAINING");
  await readBack(await send(fetch, wrong), "invalid_client", 400);
  const elsewhere = ready("customerLookup", { account_number: GOOD.accountNumber });
  await readBack(await fetch(elsewhere.url.replace(`/client-id/${credentials.clientId}/`, "/client-id/someone-else/"), { headers: elsewhere.headers }), "invalid_client", 400);
});

test("createFetch: 401 without a token, 403 for a customer token, 404 and 405", async () => {
  const { sandbox, fetch, credentials, ready, tick } = await overFetch();
  const lookup = ready("customerLookup", { account_number: GOOD.accountNumber });
  const { authorization, ...noToken } = lookup.headers;
  assert.match(authorization, /^Bearer /);
  for (const headers of [noToken, { ...noToken, authorization: "Bearer wrong" }, { ...noToken, authorization: "Basic abc" }]) {
    const response = await fetch(lookup.url, { headers });
    assert.equal(response.status, 401);
    assert.equal(parseError(401, await response.text()).code, "invalid_token");
  }
  // The scheme is read case-insensitively; the token expires with the sandbox's clock.
  assert.equal((await fetch(lookup.url, { headers: { ...noToken, authorization: authorization.replace("Bearer", "bearer") } })).status, 200);
  tick(1200);
  assert.equal((await fetch(lookup.url, { headers: lookup.headers })).status, 401);
  const customer = sandbox.issueToken(new Date(Date.parse(T0) + 1200_000), { scope: "customer" });
  const denied = await fetch(lookup.url, { headers: { ...noToken, authorization: `Bearer ${customer.accessToken}` } });
  assert.equal(denied.status, 403);
  assert.equal(parseError(403, await denied.text()).code, "insufficient_scope");

  const client = credentials.clientId;
  for (const path of ["v2.5/client-id/" + client + "/nothing", "v3/oauth/token", "", "v2.5/client-id/" + client + "/authorization/12ab/capture", "v2.5/client-id/" + client + "/accounts/0/refund"]) {
    const response = await fetch(BASE + path, { method: "POST", body: "{}" });
    assert.equal(response.status, 404, path);
    assert.equal(parseError(404, await response.text()).code, "not_found");
  }
  assert.equal((await fetch("https://posapi-training.flexiti.fi/elsewhere")).status, 404);
  const get = await fetch(`${BASE}v2.5/oauth/token`);
  assert.deepEqual([get.status, get.headers.get("allow")], [405, "POST"]);
  const refused = parseError(405, await get.text());
  assert.equal(refused.code, "method_not_allowed");
  assert.equal(refused.known, true, "parseError knows what the sandbox answers");
  assert.ok(errorCodes().some((c) => c.code === "method_not_allowed" && c.status === 405));
  const del = await fetch(`${BASE}v2.5.1/client-id/${client}/captures`, { method: "DELETE" });
  assert.deepEqual([del.status, del.headers.get("allow")], [405, "GET"]);
});

test("createFetch answers 16-digit ids as Flexiti does, JSON numbers; readAnswer reads them whole, JSON.parse does not", async () => {
  const { fetch, ready, http } = await overFetch(9);
  await http({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, { format: "email", request_id: inStore.request_id });
  const sent = await send(fetch, ready("authorization", promotional("100.00")));
  assert.equal(sent.status, 200);
  const text = await sent.text();
  const digits = /"authorization_id":(\d{16})[,}]/.exec(text)?.[1];
  assert.ok(digits, `no authorization_id number in ${text}`);
  const id = readAnswer(text).authorization_id;
  assert.equal(id, digits);
  // This seed's id is above 2^53 − 1: what JSON.parse reads is another authorization.
  assert.ok(BigInt(digits) > BigInt(Number.MAX_SAFE_INTEGER), digits);
  const rounded = JSON.parse(text).authorization_id;
  assert.notEqual(String(rounded), digits);
  const [lost] = await http({ kind: "capture", authorizationId: String(rounded) }, { amount: "10.00" });
  assert.equal(lost, 404);
  const [status, capture] = await http({ kind: "capture", authorizationId: id }, { amount: "10.00" });
  assert.equal(status, 200, JSON.stringify(capture));
  // Return ids too, at any depth; every other value as JSON.parse reads it.
  assert.deepEqual(readAnswer('{"items":[{"return_id":9493311852077417,"amount":"1.00","n":1.5}]}'), { items: [{ return_id: "9493311852077417", amount: "1.00", n: 1.5 }] });
  assert.throws(() => readAnswer("{\"authorization_id\": "), { code: "invalid_argument", message: /^text is not JSON: it ends before its last value does at line 1, column \d+/ });
  assert.throws(() => readAnswer(42), { code: "invalid_argument" });
});

test("createFetch: idempotency over x-idempotency-key and x-context-hash", async () => {
  const { sandbox, fetch, ready, http } = await overFetch();
  await http({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, { format: "email", request_id: inStore.request_id });
  const idempotency = { key: "order-9-auth", contextHash: "h1" };
  const first = ready("authorization", promotional("50.00"), { idempotency });
  assert.equal(first.headers["x-idempotency-key"], "order-9-auth");
  const a = await (await send(fetch, first)).json();
  const b = await (await send(fetch, ready("authorization", promotional("50.00"), { idempotency }))).json();
  assert.deepEqual(b, a);
  const [, page] = await http("authorizationList", {});
  assert.equal(page.total_count, 1);
  const changed = await send(fetch, ready("authorization", promotional("51.00"), { idempotency: { key: "order-9-auth", contextHash: "h2" } }));
  assert.equal(changed.status, 409);
  assert.equal(parseError(409, await changed.text()).code, "idempotency_body_mismatch");
  // x-context-hash alone is ignored, as Flexiti reads it only with a key; a bad key is wrong_inputs.
  const { "x-idempotency-key": _, ...hashOnly } = first.headers;
  await http({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, { format: "email", request_id: inStore.request_id });
  assert.equal((await fetch(first.url, { method: "POST", headers: hashOnly, body: first.body })).status, 200);
  const badKey = await fetch(first.url, { method: "POST", headers: { ...first.headers, "x-idempotency-key": "k".repeat(101) }, body: first.body });
  assert.equal(badKey.status, 409);
  assert.deepEqual(parseError(409, await badKey.text()).fieldErrors.map((f) => f.param), ["x-idempotency-key"]);
  assert.equal(sandbox.authorizations({}, { token: ready("authorizationList", {}).headers.authorization, now: T0 }).total_count, 2);
});

test("createFetch: every call needs x-reference-id, the token call too; prepare() and tokenRequest() send it", async () => {
  const { fetch, ready, credentials } = await overFetch();
  /** A 409 wrong_inputs naming the header, with the value sent, read back by parseError: the
   * status errorCodes() lists for wrong_inputs, the token call included. */
  const wrongInputs = errorCodes().find((c) => c.code === "wrong_inputs");
  assert.equal(wrongInputs.status, 409);
  const refused = async (response, value) => {
    assert.equal(response.status, wrongInputs.status);
    const text = await response.text();
    const parsed = parseError(response.status, text);
    assert.deepEqual([parsed.code, parsed.status, parsed.known], ["wrong_inputs", 409, true]);
    assert.deepEqual(parsed.fieldErrors.map((f) => [f.param, f.value ?? null]), [["x-reference-id", value]]);
    assert.match(parsed.message, /^x-reference-id: /);
    return parsed;
  };
  const lookup = ready("customerLookup", { account_number: GOOD.accountNumber });
  assert.match(lookup.headers["x-reference-id"], /^c{32}$/);
  const { "x-reference-id": _, ...without } = lookup.headers;
  const missing = await refused(await fetch(lookup.url, { headers: without }), null);
  assert.match(missing.fieldErrors[0].msg, /is missing.*\(required\)$/);
  await refused(await fetch(lookup.url, { headers: { ...without, "x-reference-id": "c".repeat(33) } }), "c".repeat(33));
  await refused(await fetch(lookup.url, { headers: { ...without, "x-reference-id": "caf\u00e9" } }), "caf\u00e9");
  // Any id of 1 to 32 printable ASCII characters is accepted; prepare() draws 32 hex digits.
  assert.equal((await fetch(lookup.url, { headers: { ...without, "x-reference-id": "flow-1" } })).status, 200);
  const drawn = ready("customerLookup", { account_number: GOOD.accountNumber }, { referenceId: undefined });
  assert.match(drawn.headers["x-reference-id"], /^[0-9a-f]{32}$/);
  assert.equal((await send(fetch, drawn)).status, 200);
  // The token call, and a POST call with a body: the header is checked before the form, the
  // token and the body.
  const token = tokenRequest(credentials, "TRAINING");
  assert.match(token.headers["x-reference-id"], /^[0-9a-f]{32}$/);
  const { "x-reference-id": __, ...tokenWithout } = token.headers;
  await refused(await fetch(token.url, { method: "POST", headers: tokenWithout, body: token.body }), null);
  await refused(await fetch(token.url, { method: "POST", headers: tokenWithout, body: "client_id=&grant_type=x" }), null);
  const purchase = ready("authorization", promotional("10.00"));
  const { "x-reference-id": ___, ...purchaseWithout } = purchase.headers;
  await refused(await fetch(purchase.url, { method: "POST", headers: { ...purchaseWithout, authorization: "Bearer wrong" }, body: purchase.body }), null);
  // The path is read first: an unknown path or a malformed id in it is 404, a wrong method 405,
  // another merchant's client id 400 invalid_client.
  assert.equal((await fetch(`${BASE}v2.5/client-id/${credentials.clientId}/nothing`, { headers: without })).status, 404);
  assert.equal((await fetch(`${BASE}v2.5/client-id/${credentials.clientId}/authorization/12ab/capture`, { method: "POST", headers: without, body: "{}" })).status, 404);
  const elsewhere = await fetch(lookup.url.replace(`/client-id/${credentials.clientId}/`, "/client-id/someone-else/"), { headers: without });
  assert.equal(parseError(400, await elsewhere.text()).code, "invalid_client");
  assert.equal((await fetch(lookup.url, { method: "POST", headers: without, body: "{}" })).status, 405);
});

test("createFetch: POST calls that document lang read ?lang= as GET queries do", async () => {
  const { fetch, ready, http, setup, credentials } = await overFetch();
  const quote = { kind: "calculateInterest", accountNumber: GOOD.accountNumber };
  const [status, english] = await http(quote, { amount: "150.00" });
  assert.equal(status, 200);
  // prepare() puts the setup's lang on the URL; en, fr and their locale forms are accepted.
  const french = ready(quote, { amount: "150.00" }, { lang: "fr" });
  assert.match(french.url, /calculate-interest\?lang=fr$/);
  for (const lang of ["fr", "en", "fr-CA", "EN"]) {
    const response = await fetch(french.url.replace("lang=fr", `lang=${lang}`), { method: "POST", headers: french.headers, body: french.body });
    assert.equal(response.status, 200, lang);
    assert.deepEqual(await response.json(), english, lang);
  }
  // Another lang is the answer a GET query with it gets: 409 wrong_inputs naming lang.
  const get = await fetch(`${BASE}v2.5/client-id/${credentials.clientId}/customers/lookup?account_number=${GOOD.accountNumber}&lang=de`, { headers: french.headers });
  const getText = await get.text();
  assert.equal(get.status, 409);
  await http({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, { format: "email", request_id: inStore.request_id });
  const payment = { transaction_type: "instore_payment", amount: "5.00", account_number: GOOD.accountNumber, verification_code: DATA.pin, ...inStore };
  for (const [endpoint, body] of [[quote, { amount: "150.00" }], ["authorization", promotional("10.00")], ["transaction", payment]]) {
    const request = ready(endpoint, body, { lang: "fr" });
    const response = await fetch(request.url.replace("lang=fr", "lang=de"), { method: "POST", headers: request.headers, body: request.body });
    assert.equal(response.status, 409, JSON.stringify(endpoint));
    const text = await response.text();
    assert.equal(text, getText);
    assert.deepEqual(parseError(409, text).fieldErrors.map((f) => f.param), ["lang"]);
    const twice = await fetch(`${request.url}&lang=en`, { method: "POST", headers: request.headers, body: request.body });
    assert.equal(twice.status, 409);
    assert.deepEqual(parseError(409, await twice.text()).fieldErrors.map((f) => f.param), ["lang"]);
  }
  // Nothing was authorized or paid by the refused calls.
  const [, page] = await http("authorizationList", {});
  assert.equal(page.total_count, 0);
  // A call that documents no lang ignores it, as before.
  const verify = ready({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, { format: "email", request_id: "req-2" });
  assert.equal((await fetch(`${verify.url}?lang=de`, { method: "POST", headers: verify.headers, body: verify.body })).status, 200);
  // customers/search documents none either: prepare() leaves the setup's lang off it.
  const search = ready("customerSearch", { first_name: GOOD.firstName, last_name: GOOD.lastName, dob: GOOD.dob }, { lang: "fr" });
  assert.doesNotMatch(search.url, /lang=/);
  assert.equal((await send(fetch, search)).status, 200);
  assert.equal(setup.lang, undefined);
});

test("createFetch: a bypass PIN serves a regular purchase only", async () => {
  const { fetch, ready, http } = await overFetch();
  const [status, bypass] = await http({ kind: "accountVerify", accountNumber: GOOD.accountNumber }, { format: "regular_purchase_bypass", request_id: inStore.request_id });
  assert.equal(status, 200);
  assert.equal(String(bypass.verification_code), DATA.pin);
  const refused = await send(fetch, ready("authorization", promotional("10.00")));
  assert.equal(refused.status, 409);
  const parsed = parseError(409, await refused.text());
  assert.deepEqual([parsed.code, parsed.known], ["not_verified", true]);
  assert.match(parsed.message, /regular_purchase_bypass/);
  const regular = promotional("10.00", { financing_option: { transaction_type: "regular_purchase" } });
  const [ok, auth] = await http("authorization", regular);
  assert.deepEqual([ok, auth.transaction_type], [200, "regular_purchase"]);
});

test("createFetch answers the TRAINING host only; an aborted signal rejects as fetch does", async () => {
  const { sandbox, fetch, credentials } = await overFetch(23);
  const path = `v2.5/client-id/${credentials.clientId}/customers/lookup?account_number=${GOOD.accountNumber}`;
  for (const base of ["https://posapi.flexiti.fi/flexiti/pos-api/", "http://posapi-training.flexiti.fi/flexiti/pos-api/",
    "https://posapi-training.flexiti.fi.example/flexiti/pos-api/"]) {
    await assert.rejects(fetch(base + path, { headers: { "x-reference-id": newReferenceId() } }),
      (e) => e instanceof Error && e.code === "unknown_host" && /TRAINING/.test(e.message) && e.message.includes(new URL(base).origin), base);
  }
  // The production token URL is refused before anything is answered.
  const production = tokenRequest(credentials, "PRODUCTION");
  await assert.rejects(send(fetch, production), (e) => e.code === "unknown_host" && /PRODUCTION host/.test(e.message));
  // The message says what is wrong: the scheme, another Flexiti environment's host, the
  // PRODUCTION host, another Flexiti host or an unrelated one; PRODUCTION only for PRODUCTION.
  const wording = [
    ["http://posapi-training.flexiti.fi/x", /the scheme is http, but Flexiti's POS API is HTTPS only/],
    ["https://posapi-training.flexiti.fi:8443/x", /port 8443 is not Flexiti's/],
    ["https://posapi-mi.flexiti.fi/x", /posapi-mi\.flexiti\.fi is Flexiti's MERCHANT INTEGRATION host; this sandbox answers as TRAINING/],
    ["https://posapi.flexiti.fi/x", /posapi\.flexiti\.fi is Flexiti's PRODUCTION host, which a test must never call/],
    ["http://posapi.flexiti.fi/x", /PRODUCTION host/],
    ["https://onlineapi.flexiti.fi/x", /onlineapi\.flexiti\.fi is a Flexiti host but not its POS API's/],
    ["https://posapi-training.flexiti.fi.example/x", /posapi-training\.flexiti\.fi\.example is not a Flexiti host/],
    ["https://example.com/x", /example\.com is not a Flexiti host/],
  ];
  for (const [url, expected] of wording) {
    await assert.rejects(fetch(url), (e) => {
      assert.equal(e.code, "unknown_host");
      assert.match(e.message, expected, url);
      if (!/^https?:\/\/posapi\.flexiti\.fi\//.test(url)) assert.doesNotMatch(e.message, /PRODUCTION/, url);
      return true;
    });
  }
  // The same host in another spelling is the TRAINING host.
  const upper = await fetch("HTTPS://POSAPI-TRAINING.FLEXITI.FI:443/flexiti/pos-api/" + path, { headers: { "x-reference-id": newReferenceId() } });
  assert.equal(upper.status, 401);
  const reason = new Error("the till gave up");
  await assert.rejects(fetch(BASE + path, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  await assert.rejects(fetch(BASE + path, { signal: AbortSignal.abort() }), (e) => e.name === "AbortError");
  sandbox.free();
});

test("prepare names the calls it takes when the endpoint is none", () => {
  const token = accessToken({ token_type: "bearer", access_token: "a", expires_in: 1200, refresh_token: "r" }, "TRAINING", T0);
  const setup = { environment: "TRAINING", clientId: "flexitidemo", token, now: T0 };
  for (const kind of ["bogus", "skuData"]) {
    assert.throws(() => prepare(kind, {}, setup), (e) => {
      assert.equal(e.code, "invalid_argument");
      assert.match(e.message, /is not a Flexiti call; use one of authorization, capture, .*authorizationDetail \(the token call has tokenRequest\)/);
      assert.doesNotMatch(e.message, /except|skuData,|, skuData/);
      return true;
    });
  }
});

test("a misspelt key of a call, prepare's setup or an options object throws instead of being dropped", () => {
  const { sandbox, token, call } = open(31);
  const sale = { ...promotional("10.00"), ...inStore };
  const refusedKey = (key, name) => (e) => e instanceof Error && e.code === "invalid_argument" && e.message.includes(key) && e.message.includes(name);
  assert.throws(() => sandbox.authorize(sale, { ...call, idempotencyKey: "K1" }), refusedKey("idempotencyKey", "idempotency"));
  assert.throws(() => sandbox.authorize(sale, { ...call, idempotency: { kee: "K1" } }), refusedKey("kee", "key"));
  // Nothing was authorized by the refused calls; the right spelling is idempotent.
  const first = sandbox.authorize(sale, { ...call, idempotency: { key: "K1" } });
  assert.equal(sandbox.authorize(sale, { ...call, idempotency: { key: "K1" } }).authorization_id, first.authorization_id);
  const { clientId } = sandbox.credentials();
  const setup = { environment: "TRAINING", clientId, token, now: T0 };
  assert.throws(() => prepare("authorization", sale, { ...setup, idempotencyKey: "K" }), refusedKey("idempotencyKey", "idempotency"));
  assert.throws(() => prepare("authorization", sale, { ...setup, langue: "fr" }), refusedKey("langue", "lang"));
  assert.equal(prepare("authorization", sale, { ...setup, lang: "fr" }).ok, true);
  assert.throws(() => validateAuthorization(sale, { now: T0, nwo: T0 }), refusedKey("nwo", "now"));
  assert.throws(() => tokenRequest(sandbox.credentials(), "TRAINING", { refrenceId: "x" }), refusedKey("refrenceId", "referenceId"));
  sandbox.free();
});

test("createFetch: misuse rejects with a coded Error", async () => {
  const sandbox = new FlexitiSandbox(5);
  for (const options of [5, "x", { now: 5 }, { get now() { throw new Error("getter"); } }]) {
    assert.throws(() => sandbox.createFetch(options), (e) => e instanceof Error && e.code === "invalid_argument", String(options));
  }
  const token = sandbox.issueToken(T0);
  const url = `${BASE}v2.5/client-id/${sandbox.credentials().clientId}/customers/lookup?account_number=${GOOD.accountNumber}`;
  const headers = { authorization: `Bearer ${token.accessToken}`, "x-reference-id": newReferenceId() };
  for (const [now, code] of [[() => "yesterday", "invalid_date"], [() => ({}), "invalid_argument"], [() => { throw new Error("clock"); }, "invalid_argument"], [() => NaN, "invalid_date"]]) {
    await assert.rejects(sandbox.createFetch({ now })(url, { headers }), (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && e.code === code);
  }
  const fetch = sandbox.createFetch({ now: () => T0 });
  await assert.rejects(fetch("not a url"), { code: "unknown_host" });
  await assert.rejects(fetch(new URL(url), { method: "GET", body: "{}" }), { code: "invalid_argument" });
  await assert.rejects(fetch(url, { method: "GET", body: "{}" }), { code: "invalid_argument" });
  sandbox.free();
  await assert.rejects(fetch(url, { headers }), { code: "freed_object" });
  assert.throws(() => sandbox.createFetch(), { code: "freed_object" });
});

test("createFetch: junk of every kind resolves to an answer or rejects with a coded Error", async () => {
  const sandbox = new FlexitiSandbox(13);
  const token = sandbox.issueToken(T0);
  const client = sandbox.credentials().clientId;
  const fetch = sandbox.createFetch({ now: () => T0 });
  const auth = `Bearer ${token.accessToken}`;
  const inputs = [undefined, null, 5, "", "not a url", "/", "//", "/flexiti/pos-api/", "/flexiti/pos-api/v2.5/oauth/token/extra",
    `/flexiti/pos-api/v2.5/client-id/${client}/account/%E0%A4%A/verify`, `${BASE}v2.5.1/client-id/${client}/authorization/%00`,
    `${BASE}v2.5/client-id/%2F/customers/search?first_name=%FF`, `${BASE}v2.5.1/client-id/${client}/captures?__proto__=1&constructor=x`,
    `${BASE}v2.5/client-id/${client}/customers/lookup?account_number=${"9".repeat(30)}&page_number=1e9`,
    `${BASE}v2.5/client-id/${client}/authorization/${"9".repeat(17)}/capture`,
    new URL(`https://elsewhere.example/flexiti/pos-api/v2.5.1/client-id/${client}/authorizations`), {}, [], Symbol.iterator]
    // Each path alone (refused: no scheme and host) and on the TRAINING host (answered).
    .flatMap((input) => typeof input === "string" && input.startsWith("/") ? [input, `https://posapi-training.flexiti.fi${input}`] : [input]);
  const inits = [undefined, null, 7, {}, { method: "DELETE" }, { method: "POST", body: "\uD800" }, { method: "GET", body: "{}" },
    { method: "POST", headers: { authorization: auth }, body: "[1,2" }, { headers: { authorization: "Bearer" } },
    { method: "POST", headers: { authorization: auth, "x-idempotency-key": "" }, body: "null" },
    { method: "POST", headers: { authorization: auth, "x-idempotency-key": "k", "x-context-hash": "\u00ff" }, body: "{}" },
    { method: "POST", headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" }, body: "client_id=&grant_type=x" },
    { method: "POST", headers: { authorization: auth }, body: new Uint8Array([255, 0, 1]) },
    { headers: { authorization: auth } },
    { get method() { throw new Error("getter"); } }];
  let answered = 0;
  for (const input of inputs) {
    for (const init of inits) {
      try {
        const response = await fetch(input, init);
        assert.ok(response instanceof Response);
        const text = await response.text();
        assert.equal(typeof JSON.parse(text), "object");
        if (response.status !== 200) assert.equal(typeof parseError(response.status, text).code, "string");
        answered++;
      } catch (error) {
        assert.ok(error instanceof Error && !(error instanceof WebAssembly.RuntimeError), String(error));
        assert.equal(typeof error.code, "string", error.stack);
      }
    }
  }
  assert.ok(answered > 100, `${answered} answers`);
  // The sandbox still answers correctly afterwards.
  const ok = await fetch(`${BASE}v2.5/client-id/${client}/customers/lookup?account_number=${GOOD.accountNumber}`, { headers: { authorization: auth, "x-reference-id": "j" } });
  assert.equal((await ok.json()).available_credit, "5000.00");
});

// ---- extra keys, messages in the API's words, validators that never throw -------------


test("credentials() and endpoint objects with extra keys are taken as they are typed", () => {
  const sandbox = new FlexitiSandbox(3);
  const credentials = sandbox.credentials();
  assert.equal(credentials.environment, "TRAINING");
  const call = tokenRequest(credentials, "TRAINING");
  assert.match(call.body, new RegExp(`^client_id=${credentials.clientId}&client_secret=`));
  const token = accessToken(sandbox.token(call.body, T0), "TRAINING", T0);
  assert.equal(renewTokenRequest({ ...credentials, label: "till 7" }, token, at(1170)).body.includes("grant_type=refresh_token"), true);
  const endpoint = { kind: "capture", authorizationId: "7620877612482005", note: "order 1001" };
  const ready = prepare(endpoint, { amount: "1.00" }, { environment: "TRAINING", clientId: credentials.clientId, token, now: T0 });
  assert.equal(ready.ok, true);
  assert.match(endpointUrl(endpoint, "TRAINING", credentials.clientId), /\/authorization\/7620877612482005\/capture$/);
  // What the credentials lack is named in the API's words.
  assert.throws(() => tokenRequest({ clientId: "flexitidemo" }, "TRAINING"), (e) =>
    e.code === "invalid_argument" && e.message === "credentials.clientSecret is missing; it takes the client secret the Developer Portal issued (a string)");
  sandbox.free();
});

test("objects that cannot be read are named by field in the API's words, never in serde's", () => {
  const throwsWith = (f, code, message) => assert.throws(f, (e) => {
    assert.equal(e.code, code);
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, SERDE_WORDS);
    return true;
  });
  throwsWith(() => accessToken({ access_token: "a" }, "TRAINING", T0), "invalid_token_answer",
    /^answer\.token_type is missing; it takes the token type of Flexiti's token answer/);
  throwsWith(() => accessToken({ token_type: "bearer", access_token: "a", refresh_token: "r", expires_in: "1200" }, "TRAINING", T0),
    "invalid_token_answer", /^answer\.expires_in must be the token's lifetime in seconds \(a whole number, 1200\), not a string$/);
  const sandbox = new FlexitiSandbox(3);
  const token = sandbox.issueToken(T0);
  throwsWith(() => prepare({ kind: "capture", authorizationId: "7620877612482005" }, { amount: "1.00" }, { clientId: "flexitidemo", token, now: T0 }),
    "invalid_argument", /^setup\.environment is missing; it takes "TRAINING", "MERCHANT_INTEGRATION" or "PRODUCTION"$/);
  throwsWith(() => tokenState({ ...token, scope: "x" }, T0), "invalid_argument", /^token\.scope must be "merchant" or "customer", not "x"$/);
  throwsWith(() => checkRules("capture", { amount: "1.00" }, {}), "invalid_argument", /^facts\.open is missing; it takes true or false$/);
  throwsWith(() => checkRules("capture", { amount: "1.00" }, { open: "yes", remaining: "5.00" }), "invalid_argument", /^facts\.open must be true or false, not a string$/);
  throwsWith(() => checkRules("authorization", { amount: "1.00" }, { accountStatus: "Q", active: true, availableCredit: "5.00" }),
    "invalid_argument", /^facts\.accountStatus must be the account's status letter/);
  throwsWith(() => checkRules("capture", { amount: "1.00" }, { open: true, remaining: "5.00", extra: 1 }), "invalid_argument", /^facts takes no extra; leave it out \(facts takes open, remaining\)$/);
  // A corrupt snapshot: its code as before, its cause in words.
  const parsed = JSON.parse(sandbox.snapshot());
  delete parsed.state.accounts;
  throwsWith(() => FlexitiSandbox.fromSnapshot(JSON.stringify(parsed)), "snapshot_malformed", /\(snapshot\.state\.accounts is missing; add it\)/);
  throwsWith(() => FlexitiSandbox.fromSnapshot("{"), "snapshot_malformed", /\(snapshot is cut short/);
  throwsWith(() => sandbox.restore("{\"schemaVersion\":4,\"state\":[]}"), "snapshot_malformed", /snapshot\.state must be an object, not an array/);
  assert.equal(sandbox.credentials().clientId, DATA.clientId ?? sandbox.credentials().clientId);
  sandbox.free();
  // validateJson's malformed text: where it stops being JSON, not serde's position.
  const result = validateJson("capture", "{\"amount\": ");
  assert.equal(result.errors[0].code, "malformed_json");
  assert.doesNotMatch(result.errors[0].message, SERDE_WORDS);
});

test("no message of a battery of bad inputs to every function shows serde's wording", async () => {
  const messages = [];
  const collect = (value) => {
    if (value === null || typeof value !== "object") return;
    for (const key of ["message", "msg", "description"]) if (typeof value[key] === "string") messages.push(value[key]);
    for (const item of Object.values(value)) if (typeof item === "object") collect(item);
  };
  const attempt = async (label, f) => {
    try {
      const answer = await f();
      if (answer instanceof Response) collect(JSON.parse(await answer.text()));
      else collect(answer);
    } catch (e) {
      collect(e);
      if (typeof e.body === "string") collect(JSON.parse(e.body));
      assert.equal(typeof e.code, "string", `${label}: ${e.message}`);
    }
    for (const m of messages.splice(0)) {
      assert.doesNotMatch(m, SERDE_WORDS, `${label}: ${m}`);
      assert.doesNotMatch(m, / {2}|\n/, `${label}: ${JSON.stringify(m)}`);
    }
  };
  const sandbox = new FlexitiSandbox(5);
  const token = sandbox.issueToken(T0);
  const { clientId, clientSecret } = sandbox.credentials();
  const setup = { environment: "TRAINING", clientId, token, now: T0 };
  const answer = { token_type: "bearer", access_token: "a", refresh_token: "r", expires_in: 1200 };
  const odd = [undefined, null, 5, "x", [], {}, { a: 1 }, [1, { b: 2 }], { amount: {} }, { amount: [1] }, { amount: "1.00", extra: true }];
  const texts = ["", "{", "[", "{\"a\":", "nope", "{\"amount\":\"1.00\"}x", "[1,2", "{\"amount\":1e999}", "\"x\"", "null"];
  for (const credentials of odd.concat([{ clientId: 1, clientSecret: "s" }, { clientId, clientSecret: ["s"] }])) {
    await attempt(`tokenRequest ${JSON.stringify(credentials)}`, () => tokenRequest(credentials, "TRAINING"));
    await attempt(`renewTokenRequest ${JSON.stringify(credentials)}`, () => renewTokenRequest(credentials, token, at(1190)));
  }
  for (const options of [{ scope: 5 }, { scope: "x" }, { refreshToken: 5 }, { referenceId: 5 }, { referenceId: "" }]) {
    await attempt(`tokenRequest options ${JSON.stringify(options)}`, () => tokenRequest({ clientId, clientSecret }, "TRAINING", options));
  }
  const answers = odd.concat([
    { ...answer, token_type: 1 }, { ...answer, expires_in: -1 }, { ...answer, expires_in: 1.5 }, { ...answer, expires_in: "x" },
    { ...answer, access_token: null }, { ...answer, scope: 5 },
  ]);
  for (const a of answers) await attempt(`accessToken ${JSON.stringify(a)}`, () => accessToken(a, "TRAINING", T0));
  const tokens = odd.concat([
    { ...token, scope: "x" }, { ...token, environment: "X" }, { ...token, issuedAt: "yesterday" }, { ...token, expiresIn: "x" },
    { ...token, accessToken: 5 }, { ...token, issuedAt: 5 },
  ]);
  for (const t of tokens) {
    await attempt(`tokenState ${JSON.stringify(t)}`, () => tokenState(t, T0));
    await attempt(`tokenNeedsRefresh ${JSON.stringify(t)}`, () => tokenNeedsRefresh(t, T0));
    await attempt(`renewTokenRequest token ${JSON.stringify(t)}`, () => renewTokenRequest({ clientId, clientSecret }, t, T0));
    await attempt(`prepare token ${JSON.stringify(t)}`, () => prepare("customerLookup", { account_number: 1 }, { ...setup, token: t }));
  }
  const endpointsToTry = odd.concat([
    { kind: "capture" }, { authorizationId: "1" }, { kind: 5 }, { kind: "capture", authorizationId: true },
    { kind: "capture", authorizationId: "1", issuedIn: 5 }, { kind: "return", authorizationId: "1", captureId: {} },
    { kind: "refund", accountNumber: [1] }, "nope", { kind: "skuData" },
  ]);
  for (const e of endpointsToTry) {
    await attempt(`prepare endpoint ${JSON.stringify(e)}`, () => prepare(e, { amount: "1.00" }, setup));
    await attempt(`endpointUrl ${JSON.stringify(e)}`, () => endpointUrl(e, "TRAINING", clientId));
  }
  const setups = [
    {}, { ...setup, environment: undefined }, { ...setup, environment: 5 }, { ...setup, clientId: 5 }, { ...setup, token: undefined },
    { ...setup, referenceId: 5 }, { ...setup, idempotency: { contextHash: "x" } }, { ...setup, idempotency: { key: 5 } },
    { ...setup, idempotency: "k" }, { ...setup, lang: 5 }, { ...setup, lang: "de" }, { ...setup, now: "yesterday" },
  ];
  for (const s of setups) await attempt(`prepare setup ${JSON.stringify(s)}`, () => prepare({ kind: "capture", authorizationId: "7620877612482005" }, { amount: "1.00" }, s));
  const kinds = ["authorization", "capture", "release", "return", "refund", "transaction", "customerSearch", "customerLookup",
    "accountVerify", "calculateInterest", "authorizationList", "captureList", "authorizationDetail", "skuData"];
  const facts = odd.concat([
    { open: "yes", remaining: 5 }, { open: true, remaining: "x" }, { accountStatus: "Q", active: 1, availableCredit: "x" },
    { purchaseType: "x", capturedAt: "yesterday", remaining: "1.00" }, { balance: [], captureRemaining: {} }, { paidInWindow: true },
    { open: true, remaining: "1.00", extra: 1 },
  ]);
  for (const kind of kinds) {
    for (const request of odd.concat([{ amount: "10.001", account_number: "12-34" }])) {
      await attempt(`validate ${kind} ${JSON.stringify(request)}`, () => validate(kind, request));
      await attempt(`checkRules ${kind} ${JSON.stringify(request)}`, () => checkRules(kind, request, { open: true, remaining: "5.00" }));
    }
    for (const text of texts) await attempt(`validateJson ${kind} ${text}`, () => validateJson(kind, text));
    for (const f of facts) await attempt(`checkRules ${kind} facts ${JSON.stringify(f)}`, () => checkRules(kind, { amount: "1.00" }, f));
  }
  for (const text of texts) {
    await attempt(`parseError ${text}`, () => parseError(409, text));
    await attempt(`validateTokenForm ${text}`, () => validateTokenForm(text));
    await attempt(`sandbox.token ${text}`, () => sandbox.token(text, T0));
    await attempt(`fromSnapshot ${text}`, () => FlexitiSandbox.fromSnapshot(text));
    await attempt(`restore ${text}`, () => sandbox.restore(text));
  }
  // Snapshots cut short, with any value dropped or of another type, at any depth (as the
  // FlexPay sandbox's snapshots and stored RetryChains are, in their tests).
  const snapshot = sandbox.snapshot();
  assert.ok(refusalsInPlainWords(assert, snapshot, (text) => FlexitiSandbox.fromSnapshot(text).free()) > 100);
  assert.ok(refusalsInPlainWords(assert, snapshot, (text) => {
    sandbox.restore(text);
    sandbox.restore(snapshot);
  }) > 100);
  assert.equal(sandbox.snapshot(), snapshot, "a refused restore keeps the state");
  await attempt("regularPurchaseBypassAllowed", () => regularPurchaseBypassAllowed("x", 1));
  await attempt("regularPurchaseBypassAllowed count", () => regularPurchaseBypassAllowed("1.00", -1));
  // The sandbox's calls and its fetch, with bodies that are not JSON or not the request's shape.
  const call = { token, now: T0 };
  for (const request of odd) {
    await attempt(`capture ${JSON.stringify(request)}`, () => sandbox.capture("7620877612482005", request, call));
    await attempt(`authorize ${JSON.stringify(request)}`, () => sandbox.authorize(request, call));
    await attempt(`lookup ${JSON.stringify(request)}`, () => sandbox.lookup(request, call));
  }
  await attempt("capture by an id that is not one", () => sandbox.capture({}, { amount: "1.00" }, call));
  const fetch = sandbox.createFetch({ now: () => T0 });
  for (const text of texts) {
    const ready = prepare({ kind: "capture", authorizationId: "7620877612482005" }, { amount: "1.00" }, { ...setup, token: sandbox.issueToken(T0) });
    await attempt(`fetch body ${text}`, () => fetch(ready.request.url, { method: "POST", headers: ready.request.headers, body: text }));
  }
  sandbox.free();
});

test("validators answer unreadable requests with data: throwing getters, cycles, bigints, Proxies", () => {
  const throwing = { account_number: 1, get amount() { throw new Error("boom"); } };
  const nested = { account_number: 1, amount: "1.00", financing_option: { get term() { throw "no term"; } } };
  const cycle = { amount: "1.00" };
  cycle.self = cycle;
  const proxy = new Proxy({}, { ownKeys() { throw new TypeError("no keys"); } });
  const hostile = { get amount() { throw { get message() { throw new Error("worse"); } }; } };
  const validators = [validateAuthorization, validateReturn, validateCustomerLookup, validateSkuData, validateCustomerSearch,
    (r) => validate("capture", r), (r) => checkRules("capture", r, { open: true, remaining: "5.00" })];
  for (const validator of validators) {
    for (const request of [throwing, nested, cycle, proxy, hostile]) {
      const result = validator(request);
      assert.equal(result.ok, false);
      assert.equal(result.errors[0].code, "unreadable_input");
      assert.doesNotMatch(result.errors[0].message, /-->|closes the circle/);
    }
    assert.match(validator(cycle).errors[0].message, /circular reference/);
    const big = validator({ amount: 10n, account_number: 1n });
    assert.equal(big.ok, false);
    assert.ok(big.errors.some((p) => p.code === "wrong_type" && /bigint/.test(p.message)));
  }
  const ready = prepare({ kind: "capture", authorizationId: "7620877612482005" }, throwing, { environment: "TRAINING", clientId: "flexitidemo", token: {}, now: T0 });
  assert.equal(ready.ok, false);
  assert.equal(ready.code, "invalid_request");
  assert.equal(ready.errors[0].code, "unreadable_input");
});

test("NaN and ±Infinity are refused as numbers that are not finite, not as if the field were missing", () => {
  for (const value of [NaN, Infinity, -Infinity]) {
    const text = String(value);
    const result = validateCapture({ amount: value });
    assert.equal(result.ok, false);
    assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [["amount", "wrong_type"]]);
    assert.equal(result.errors[0].message, `amount must be an amount (a decimal string such as "10.50"), not ${text}, which is not a finite number`);
    assert.doesNotMatch(result.errors[0].message, /required/);
    // Anywhere in a request, and in prepare and checkRules too.
    const nested = validateAuthorization({ ...promotional("10.00"), sku_data: { products: [{ unit_price: value }] } });
    assert.ok(nested.errors.some((e) => e.path === "sku_data.products[0].unit_price" && e.message.endsWith(`not ${text}, which is not a finite number`)), JSON.stringify(nested.errors));
    const rules = checkRules("capture", { amount: value }, { open: true, remaining: "5.00" });
    assert.equal(rules.ok, false);
    assert.match(rules.errors[0].message, /not (-?Infinity|NaN), which is not a finite number$/);
    const sandbox = new FlexitiSandbox(4);
    const setup = { environment: "TRAINING", clientId: "flexitidemo", token: sandbox.issueToken(T0), now: T0 };
    sandbox.free();
    const ready = prepare({ kind: "capture", authorizationId: "7620877612482005" }, { amount: value }, setup);
    assert.equal(ready.ok, false);
    assert.equal(ready.code, "invalid_request");
    assert.match(ready.message, /which is not a finite number$/);
  }
});

test("createFetch: each response's url is the request's, as fetch sets it, whatever its status", async () => {
  const sandbox = new FlexitiSandbox(22);
  const fetch = sandbox.createFetch({ now: () => Date.parse(T0) });
  const { environment: _, ...credentials } = sandbox.credentials();
  const token = tokenRequest(credentials, "TRAINING", { referenceId: "c".repeat(32) });
  const answered = await fetch(token.url + "#fragment", { method: token.method, headers: token.headers, body: token.body });
  assert.equal(answered.status, 200);
  assert.equal(answered.url, token.url, "the fragment is not part of it, as with fetch");
  // A refusal carries the url too.
  const missing = await fetch(`${BASE}v9/nothing?lang=fr`);
  assert.equal(missing.status, 404);
  assert.equal(missing.url, `${BASE}v9/nothing?lang=fr`);
  // A path alone, what a client with an empty base URL asks for, is no TRAINING request.
  await assert.rejects(fetch("/flexiti/pos-api/v2.5/oauth/token", { method: "POST" }),
    (e) => e.code === "unknown_host" && /without scheme and host/.test(e.message) && /base URL/.test(e.message));
  const request = new Request(`${BASE}v2/oauth/token`, { method: "GET" });
  const refused = await fetch(request);
  assert.equal(refused.url, request.url);
  assert.equal(Object.keys(refused).length, 0, "url is not an own enumerable key");
  sandbox.free();
});
