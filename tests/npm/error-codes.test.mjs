// One vocabulary of error codes across the three entries of the packed package: the same
// mistake answers the same code from `flexkit`, `flexkit/sandbox` and `flexkit/flexiti`
// (README, "Errors").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

import * as flexkit from "flexkit";
import { RetryChain, Sandbox } from "flexkit/sandbox";
import * as flexiti from "flexkit/flexiti";

const T0 = "2026-01-01T00:00:00Z";
const NOW = "2026-11-21T10:00:00Z";
const ACCOUNT = 10000000000001;
const AUTHORIZATION_ID = "7620877612482005";

/** Asserts that `f` throws a real Error with `code` and a message. */
function throwsCode(label, f, code) {
  assert.throws(f, (error) => {
    assert.ok(error instanceof Error, `${label}: ${String(error)}`);
    assert.equal(error.code, code, `${label}: ${error.message}`);
    assert.ok(typeof error.message === "string" && error.message.length > 0, label);
    return true;
  }, label);
}

/** The single problem of a validation answer: data, never an exception. */
function onlyProblem(label, result, path, code, message) {
  assert.equal(result.ok, false, label);
  const found = result.errors.filter((p) => p.path === path);
  assert.equal(found.length, 1, `${label}: ${JSON.stringify(result.errors)}`);
  assert.equal(found[0].code, code, `${label}: ${JSON.stringify(found[0])}`);
  if (message !== undefined) assert.match(found[0].message, message, label);
}

/** A FlexPay sandbox with a key and one charge, a chain, a Flexiti sandbox with a token. */
function fixtures() {
  const sandbox = new Sandbox(5);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const charge = {
    transaction: {
      merchantTransactionId: "m-1", orderId: "o-1", customerId: "c-1", currencyCode: "USD", amount: 1000,
      retryCount: 1, referenceData: null,
      paymentMethod: {
        creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030",
        firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY",
      },
    },
  };
  sandbox.charge(key, charge, T0);
  const chain = RetryChain.afterGatewayDecline("INV-1", T0, { merchantTransactionIdBase: "INV-1" });
  const training = new flexiti.FlexitiSandbox(42);
  const token = training.issueToken(NOW);
  const { clientId } = training.credentials();
  const setup = { environment: "TRAINING", clientId, token, now: NOW };
  return { sandbox, key, charge, chain, training, token, setup };
}

test("an argument of the wrong type is invalid_argument in every entry", () => {
  const { sandbox, key, chain, training, token } = fixtures();
  const cases = [
    ["flexkit checkCardNumber(number)", () => flexkit.checkCardNumber(4111111111111111)],
    ["flexkit formatAmount(string)", () => flexkit.formatAmount("10", "USD")],
    ["flexkit validate(kind of the wrong type)", () => flexkit.validate(7, {})],
    ["flexkit validateChargeJson(object)", () => flexkit.validateChargeJson({})],
    ["sandbox new Sandbox(string)", () => new Sandbox("seven")],
    ["sandbox charge(number key)", () => sandbox.charge(7, {}, T0)],
    ["sandbox charge(request undefined)", () => sandbox.charge(key, undefined, T0)],
    ["sandbox listTransactions(query string)", () => sandbox.listTransactions(key, "count=5")],
    ["sandbox setRecoveryLimits(number)", () => sandbox.setRecoveryLimits("DEFAULT", 7)],
    ["sandbox addUser(string)", () => sandbox.addUser("ada@example.com", T0)],
    ["sandbox updateUser(changes number)", () => sandbox.updateUser("owner@example.com", 7, T0)],
    ["sandbox setUserEnabled(enabled string)", () => sandbox.setUserEnabled("owner@example.com", "true", T0)],
    ["sandbox deleteUser(number)", () => sandbox.deleteUser(7, T0)],
    ["sandbox platformConfig(environment number)", () => sandbox.platformConfig(1)],
    ["sandbox setPlatformConfig(config string)", () => sandbox.setPlatformConfig("sandbox", "USD")],
    ["sandbox Sandbox.fromSnapshot(object)", () => Sandbox.fromSnapshot({})],
    // A plain object is a stored chain (`toJSON()`'s); an array or any other value is not.
    ["sandbox RetryChain.fromJson(array)", () => RetryChain.fromJson([])],
    ["sandbox RetryChain.fromJson(Map)", () => RetryChain.fromJson(new Map())],
    ["sandbox chain.stop(reason number)", () => chain.stop(1, T0)],
    ["flexiti new FlexitiSandbox(string)", () => new flexiti.FlexitiSandbox("seven")],
    ["flexiti validate(kind of the wrong type)", () => flexiti.validate(7, {})],
    ["flexiti validateJson(object)", () => flexiti.validateJson("capture", {})],
    ["flexiti tokenRequest(credentials number)", () => flexiti.tokenRequest(7, "TRAINING")],
    ["flexiti FlexitiSandbox.fromSnapshot(object)", () => flexiti.FlexitiSandbox.fromSnapshot({})],
    ["flexiti restore(number)", () => training.restore(42)],
    ["flexiti lookup(call.token number)", () => training.lookup({ account_number: ACCOUNT }, { token: 5, now: NOW })],
  ];
  for (const [label, f] of cases) throwsCode(label, f, "invalid_argument");
  // An instant that is no date is invalid_date, whichever entry reads it.
  for (const [label, f] of [
    ["flexkit checkExpiry", () => flexkit.checkExpiry("12", "30", "yesterday")],
    ["flexkit validateCharge options.now", () => flexkit.validateCharge({}, { now: new Date(NaN) })],
    ["sandbox charge now", () => sandbox.charge(key, {}, "yesterday")],
    ["sandbox unlockUser now", () => sandbox.unlockUser("owner@example.com", "yesterday")],
    ["sandbox chain.nextAttempt", () => chain.nextAttempt(new Date(NaN))],
    ["flexiti tokenState", () => flexiti.tokenState(token, "yesterday")],
    ["flexiti sandbox call", () => training.lookup({ account_number: ACCOUNT }, { token, now: new Date(NaN) })],
  ]) {
    throwsCode(label, f, "invalid_date");
  }
  for (const object of [sandbox, chain, training]) object.free();
});

test("too few arguments are invalid_argument in every entry; extra ones are ignored; a validator answers a missing request as data", () => {
  const { sandbox, key, charge, chain, training, token } = fixtures();
  const cases = [
    ["flexkit checkCardNumber()", () => flexkit.checkCardNumber()],
    ["flexkit formatAmount()", () => flexkit.formatAmount()],
    ["flexkit currencyInfo()", () => flexkit.currencyInfo()],
    ["flexkit validateBatch()", () => flexkit.validateBatch()],
    ["sandbox charge()", () => sandbox.charge()],
    ["sandbox charge(key, request)", () => sandbox.charge(key, charge)],
    ["sandbox createCompany()", () => sandbox.createCompany()],
    ["sandbox addUser()", () => sandbox.addUser()],
    ["sandbox updateUser()", () => sandbox.updateUser()],
    ["sandbox setUserEnabled(username)", () => sandbox.setUserEnabled("owner@example.com")],
    ["sandbox platformConfig()", () => sandbox.platformConfig()],
    ["sandbox setPlatformConfig(environment)", () => sandbox.setPlatformConfig("sandbox")],
    ["sandbox checkTemporaryPassword(username)", () => sandbox.checkTemporaryPassword("owner@example.com")],
    ["sandbox Sandbox.fromSnapshot()", () => Sandbox.fromSnapshot()],
    ["sandbox RetryChain.afterGatewayDecline()", () => RetryChain.afterGatewayDecline()],
    ["sandbox RetryChain.fromJson()", () => RetryChain.fromJson()],
    ["sandbox chain.nextAttempt()", () => chain.nextAttempt()],
    ["sandbox chain.stop()", () => chain.stop()],
    ["flexiti validate()", () => flexiti.validate()],
    ["flexiti tokenRequest()", () => flexiti.tokenRequest()],
    ["flexiti parseError()", () => flexiti.parseError()],
    ["flexiti prepare()", () => flexiti.prepare()],
    ["flexiti FlexitiSandbox.fromSnapshot()", () => flexiti.FlexitiSandbox.fromSnapshot()],
    ["flexiti restore()", () => training.restore()],
    ["flexiti issueToken()", () => training.issueToken()],
    ["flexiti lookup(query)", () => training.lookup({ account_number: ACCOUNT })],
  ];
  for (const [label, f] of cases) throwsCode(label, f, "invalid_argument");

  assert.equal(flexkit.checkCardNumber("4111111111111111", "extra", 3).isValid, true);
  assert.equal(typeof sandbox.snapshot("extra"), "string");
  assert.equal(chain.toJson("extra"), chain.toJson());
  assert.equal(flexiti.tokenState(token, NOW, "extra").state, "fresh");

  // A validator answers any value with data: no request at all is a wrong type at the root.
  onlyProblem("flexkit validateCharge()", flexkit.validateCharge(), "", "wrong_type");
  onlyProblem("flexiti validateCapture()", flexiti.validateCapture(), "", "wrong_type");
  for (const object of [sandbox, chain, training]) object.free();
});

test("a bigint: invalid_argument as an argument or in a body a sandbox sends, a wrong_type problem where a validator reads it", () => {
  const { sandbox, key, charge, chain, training, token, setup } = fixtures();
  // As an argument, or inside an object a call sends on: JSON cannot carry it.
  const thrown = [
    ["flexkit formatAmount(10n)", () => flexkit.formatAmount(10n, "USD")],
    ["flexkit checkCardNumber(10n)", () => flexkit.checkCardNumber(10n)],
    ["sandbox new Sandbox(10n)", () => new Sandbox(10n)],
    ["sandbox charge(now 10n)", () => sandbox.charge(key, charge, 10n)],
    ["sandbox charge(body with 10n)", () => sandbox.charge(key, { transaction: { ...charge.transaction, amount: 1000n } }, T0)],
    ["sandbox setRecoveryLimits(3n)", () => sandbox.setRecoveryLimits("DEFAULT", { maxRetries: 3n })],
    ["sandbox setPlatformConfig(minimum 3n)", () => sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [{ currency: "USD", rebill: 3n }] })],
    ["sandbox addUser(name 3n)", () => sandbox.addUser({ name: 3n, username: "a@example.com", accessLevel: "accountReader", temporaryPassword: "Secret#12" }, T0)],
    ["sandbox RetryChain options 3n", () => RetryChain.afterGatewayDecline("INV-2", T0, { policy: { maxRetries: 3n } })],
    ["sandbox chain.recordRefund(amount 10n)", () => chain.recordRefund("RF-1", 10n, T0)],
    ["flexiti new FlexitiSandbox(10n)", () => new flexiti.FlexitiSandbox(10n)],
    ["flexiti tokenState(now 10n)", () => flexiti.tokenState(token, 10n)],
    ["flexiti sandbox body with 10n", () => training.capture(AUTHORIZATION_ID, { amount: 10n }, { token, now: NOW })],
    ["flexiti accessToken(answer with 10n)", () => flexiti.accessToken({ token_type: "bearer", access_token: "a", expires_in: 1200n }, "TRAINING", NOW)],
  ];
  for (const [label, f] of thrown) throwsCode(label, f, "invalid_argument");

  // Inside a request given to a validator: a wrong type at its path, with the rest checked.
  onlyProblem("flexkit validateCharge", flexkit.validateCharge({ transaction: { ...charge.transaction, amount: 1000n } }, { now: new Date(T0) }),
    "transaction.amount", "wrong_type", /not a bigint/);
  onlyProblem("flexiti validateCapture", flexiti.validateCapture({ amount: 10n }), "amount", "wrong_type",
    /^amount must be an amount \(a decimal string such as "10\.50"\), not a bigint$/);
  const deep = flexiti.validateAuthorization({
    account_number: ACCOUNT, amount: "10.00", auto_capture: false,
    financing_option: { transaction_type: "promotional_purchase", plan_id: 7n, term: 12 },
  });
  onlyProblem("flexiti nested bigint", deep, "financing_option.plan_id", "wrong_type", /not a bigint$/);
  assert.ok(deep.errors.every((p) => p.code !== "unreadable_input"), JSON.stringify(deep.errors));
  onlyProblem("flexkit bigint request", flexkit.validateCharge(10n), "", "wrong_type", /not a bigint/);
  onlyProblem("flexiti bigint request", flexiti.validateCapture(10n), "", "wrong_type", /not a bigint$/);
  // A symbol or a function is no more JSON than a bigint.
  onlyProblem("flexiti function", flexiti.validateCapture({ amount: () => "1.00" }), "amount", "wrong_type", /not a function$/);
  onlyProblem("flexiti symbol", flexiti.validate("capture", { amount: Symbol("1.00") }), "amount", "wrong_type", /not a symbol$/);
  // prepare() and checkRules() answer it as the invalid request it is.
  const prepared = flexiti.prepare({ kind: "capture", authorizationId: AUTHORIZATION_ID }, { amount: 10n }, setup);
  assert.equal(prepared.ok, false);
  assert.equal(prepared.code, "invalid_request");
  onlyProblem("flexiti prepare", prepared, "amount", "wrong_type", /not a bigint$/);
  assert.match(prepared.message, /not a bigint$/);
  const rules = flexiti.checkRules("capture", { amount: 10n }, { open: true, remaining: "100.00" }, { now: NOW });
  onlyProblem("flexiti checkRules", rules, "amount", "wrong_type", /not a bigint$/);
  // A request that cannot be read at all is unreadable_input in both validating entries.
  const cyclic = { amount: "1.00" };
  cyclic.self = cyclic;
  assert.equal(flexkit.validateCharge({ transaction: cyclic }).errors[0].code, "unreadable_input");
  assert.equal(flexiti.validateCapture(cyclic).errors[0].code, "unreadable_input");
  for (const object of [sandbox, chain, training]) object.free();
});

/** Every call that reads a stored document, with a good document of its kind: `[label, load, good]`. */
function storedDocuments({ sandbox, chain, training }) {
  return [
    ["sandbox Sandbox.fromSnapshot", (text) => Sandbox.fromSnapshot(text), sandbox.snapshot()],
    ["sandbox RetryChain.fromJson", (text) => RetryChain.fromJson(text), chain.toJson()],
    ["flexiti FlexitiSandbox.fromSnapshot", (text) => flexiti.FlexitiSandbox.fromSnapshot(text), training.snapshot()],
    ["flexiti restore", (text) => training.restore(text), training.snapshot()],
  ];
}

test("an unreadable snapshot is snapshot_malformed in every entry, and nothing is half-restored", () => {
  const { sandbox, chain, training } = fixtures();
  const stores = storedDocuments({ sandbox, chain, training });
  const before = training.snapshot();
  for (const [label, load, good] of stores) {
    for (const text of ["{not json", good.slice(0, good.length / 2), "[1, 2]", "", '{"schemaVersion": 1}']) {
      throwsCode(`${label}(${JSON.stringify(text.slice(0, 30))})`, () => load(text), "snapshot_malformed");
    }
  }
  assert.equal(training.snapshot(), before, "a refused restore keeps the state");
  for (const object of [sandbox, chain, training]) object.free();
});

test("a snapshot of a version this flexkit does not read: snapshot_newer_version or snapshot_unknown_version in every entry", () => {
  const { sandbox, chain, training } = fixtures();
  const stores = storedDocuments({ sandbox, chain, training });
  for (const [label, load, good] of stores) {
    const document = JSON.parse(good);
    const withVersion = (version) => {
      const copy = { ...document };
      if (version === undefined) delete copy.schemaVersion;
      else copy.schemaVersion = version;
      return JSON.stringify(copy);
    };
    throwsCode(`${label} newer`, () => load(withVersion(99)), "snapshot_newer_version");
    throwsCode(`${label} newer, other shape`, () => load('{"schemaVersion": 99, "everything": "different"}'), "snapshot_newer_version");
    for (const version of [0, undefined, "1", 1.5, -1, null]) {
      throwsCode(`${label} version ${JSON.stringify(version)}`, () => load(withVersion(version)), "snapshot_unknown_version");
    }
    // The snapshot as written loads.
    load(good);
  }
  for (const object of [sandbox, chain, training]) object.free();
});

test("a snapshot whose parts contradict each other is snapshot_inconsistent in every entry", () => {
  const { sandbox, chain, training, token } = fixtures();
  const flexpay = JSON.parse(sandbox.snapshot());
  flexpay.transactions.push(flexpay.transactions[0]);
  throwsCode("sandbox Sandbox.fromSnapshot", () => Sandbox.fromSnapshot(JSON.stringify(flexpay)), "snapshot_inconsistent");
  const stored = JSON.parse(chain.toJson());
  stored.retryCount = 5;
  throwsCode("sandbox RetryChain.fromJson", () => RetryChain.fromJson(JSON.stringify(stored)), "snapshot_inconsistent");
  training.verify(ACCOUNT, { format: "sms", request_id: "till-1" }, { token, now: NOW });
  training.authorize({
    account_number: ACCOUNT, amount: "1000.00", auto_capture: false, verification_code: "2222",
    financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
    request_id: "till-1", external_location_id: "00-12345", external_employee_id: "12345-SMITH",
  }, { token, now: NOW });
  const training2 = JSON.parse(training.snapshot());
  training2.state.authorizations.push(training2.state.authorizations[0]);
  throwsCode("flexiti FlexitiSandbox.fromSnapshot", () => flexiti.FlexitiSandbox.fromSnapshot(JSON.stringify(training2)), "snapshot_inconsistent");
  throwsCode("flexiti restore", () => training.restore(JSON.stringify(training2)), "snapshot_inconsistent");
  for (const object of [sandbox, chain, training]) object.free();
});

test("an object used after free() is freed_object in every entry; free() twice is harmless", () => {
  const { sandbox, key, chain, training, token } = fixtures();
  for (const object of [sandbox, chain, training]) {
    object.free();
    object.free();
  }
  const cases = [
    ["sandbox Sandbox.snapshot", () => sandbox.snapshot()],
    ["sandbox Sandbox.charge", () => sandbox.charge(key, {}, T0)],
    ["sandbox Sandbox.transactionCount", () => sandbox.transactionCount],
    ["sandbox Sandbox.createFetch", () => sandbox.createFetch()],
    ["sandbox Sandbox.users", () => sandbox.users()],
    ["sandbox Sandbox.setPlatformConfig", () => sandbox.setPlatformConfig("sandbox", {})],
    ["sandbox RetryChain.toJson", () => chain.toJson()],
    ["sandbox RetryChain.status", () => chain.status],
    ["flexiti FlexitiSandbox.snapshot", () => training.snapshot()],
    ["flexiti FlexitiSandbox.lookup", () => training.lookup({ account_number: ACCOUNT }, { token, now: NOW })],
    ["flexiti FlexitiSandbox.createFetch", () => training.createFetch()],
  ];
  for (const [label, f] of cases) throwsCode(label, f, "freed_object");
});

test("a key an options object does not take is invalid_argument in every entry, named with the field it likely stands for", async () => {
  const { sandbox, key, charge, chain, training } = fixtures();
  const refused = (label, f, message) => {
    throwsCode(label, f, "invalid_argument");
    assert.throws(f, (e) => e.message === message, label);
  };
  const now = new Date(NOW);
  // The validators of `flexkit`: whether `now` is a Date (read in JS) or not (read in wasm).
  const validation = 'options has no field "enviroment" (did you mean "environment"?); it takes now, environment';
  refused("flexkit validateCharge", () => flexkit.validateCharge(charge, { now, enviroment: "sandbox" }), validation);
  refused("flexkit validateCharge, now as text", () => flexkit.validateCharge(charge, { now: NOW, enviroment: "sandbox" }), validation);
  refused("flexkit validateChargeJson", () => flexkit.validateChargeJson(JSON.stringify(charge), { now, enviroment: "sandbox" }), validation);
  refused("flexkit validate", () => flexkit.validate("capture", {}, { now, enviroment: "sandbox" }), validation);
  refused("flexkit validateBatch", () => flexkit.validateBatch("charge", [charge], { now, enviroment: "sandbox" }), validation);
  refused("flexkit validateCharge, a key of its own", () => flexkit.validateCharge(charge, { now, nw: 1 }),
    'options has no field "nw" (did you mean "now"?); it takes now, environment');
  // Two neighbours swapped are one slip.
  refused("flexkit validateCharge, letters swapped", () => flexkit.validateCharge(charge, { now, nwo: 1 }),
    'options has no field "nwo" (did you mean "now"?); it takes now, environment');
  refused("flexkit validateCharge, two keys", () => flexkit.validateCharge(charge, { now, strict: true, locale: "fr" }),
    'options has no fields "strict", "locale"; it takes now, environment');
  // Even an invalid request: the misspelt option is misuse, not a problem of the request.
  refused("flexkit validateCharge, invalid request", () => flexkit.validateCharge({}, { now, enviroment: "sandbox" }), validation);
  // The sandbox's options objects, in the words of RetryChain's and setRecoveryLimits' refusals.
  refused("sandbox generateApiKey", () => sandbox.generateApiKey("ci", { now: T0, compnay: "DEFAULT" }),
    'options has no field "compnay" (did you mean "company"?); it takes company, mode, now');
  refused("sandbox addAutoRetry", () => sandbox.addAutoRetry("nightly", { now: T0, stat: "enabled" }),
    'options has no field "stat" (did you mean "status"?); it takes company, mode, status, now');
  refused("sandbox createFetch", () => sandbox.createFetch({ clock: () => NOW }),
    'options has no field "clock"; it takes now');
  refused("flexiti createFetch", () => training.createFetch({ nw: () => NOW }),
    'options has no field "nw" (did you mean "now"?); it takes now');
  refused("sandbox RetryChain options", () => RetryChain.afterGatewayDecline("INV-3", T0, { polcy: {} }),
    'options has no field "polcy" (did you mean "policy"?); it takes amount, merchantTransactionIdBase, policy, firstAttemptDueAt');
  // A name that starts as a field does, its end another word.
  refused("sandbox RetryChain options, another ending", () => RetryChain.afterGatewayDecline("INV-3", T0, { merchantTransactionIdPrefix: "INV-3" }),
    'options has no field "merchantTransactionIdPrefix" (did you mean "merchantTransactionIdBase"?); it takes amount, merchantTransactionIdBase, policy, firstAttemptDueAt');
  // A plural for a singular in "y" is one slip too.
  refused("sandbox RetryChain options, a plural", () => RetryChain.afterGatewayDecline("INV-3", T0, { policies: {} }),
    'options has no field "policies" (did you mean "policy"?); it takes amount, merchantTransactionIdBase, policy, firstAttemptDueAt');
  refused("sandbox setRecoveryLimits", () => sandbox.setRecoveryLimits("DEFAULT", { maxRetry: 3 }),
    'limits has no field "maxRetry" (did you mean "maxRetries"?); it takes maxRetries, windowDays');
  refused("sandbox addUser", () => sandbox.addUser({ name: "Ada", username: "ada@example.com", accesLevel: "accountReader", temporaryPassword: "Secret#12" }, T0),
    'user has no field "accesLevel" (did you mean "accessLevel"?); it takes name, username, accessLevel, temporaryPassword');
  refused("sandbox updateUser", () => sandbox.updateUser("owner@example.com", { nam: "Owner" }, T0),
    'changes has no field "nam" (did you mean "name"?); it takes name, accessLevel');
  refused("sandbox setPlatformConfig", () => sandbox.setPlatformConfig("sandbox", { gatewayRoutng: "NoRouting" }),
    'config has no field "gatewayRoutng" (did you mean "gatewayRouting"?); it takes recoveryMinimums, accountCurrencies, gatewayRouting');
  refused("sandbox setPlatformConfig minimum", () => sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [{ currency: "USD", rebil: 5 }] }),
    'config.recoveryMinimums[0] has no field "rebil" (did you mean "rebill"?); it takes currency, initialSale, rebill');
  assert.equal(sandbox.users().length, 1, "no user was added");
  assert.deepEqual(sandbox.platformConfig("sandbox"), { recoveryMinimums: [], accountCurrencies: [], gatewayRouting: "NoRouting" });
  // As JSON.stringify reads them: a key whose value is undefined is absent.
  assert.equal(sandbox.updateUser("owner@example.com", { name: "Owner", nickname: undefined }, T0).ok, true);
  assert.equal(sandbox.transactionCount, 1, "nothing was done");
  assert.deepEqual(sandbox.autoRetries(), []);
  // Keys that cannot be listed are misuse too, coded.
  const unlistable = () => new Proxy({}, { ownKeys() { throw new Error("no keys"); } });
  throwsCode("flexkit validateCharge, unlistable options", () => flexkit.validateCharge(charge, unlistable()), "invalid_argument");
  throwsCode("sandbox generateApiKey, unlistable options", () => sandbox.generateApiKey("ci", unlistable()), "invalid_argument");

  // Read as JSON.stringify reads it: a key whose value is undefined is absent; a Date is an
  // object with no keys of its own; the keys taken pass.
  assert.equal(flexkit.validateCharge(charge, { now, environment: "production", extra: undefined }).ok, true);
  assert.equal(flexkit.validateCharge(charge, { now: NOW, environment: undefined, extra: undefined }).ok, true);
  assert.equal(sandbox.generateApiKey("ci-2", { now: T0, company: "DEFAULT", mode: "sandbox", label: undefined }).company, "DEFAULT");
  const fetch = sandbox.createFetch({ now: () => NOW, clock: undefined });
  assert.equal((await fetch("https://api.flexpay.io/v1/transactions", { headers: { authorization: `Basic ${key}` } })).status, 200);
  for (const object of [sandbox, chain, training]) object.free();
});

test("an empty or blank text argument or option of RetryChain is invalid_argument, named with what it takes", () => {
  const cases = [
    ["afterGatewayDecline, options.merchantTransactionIdBase \"\"", () => RetryChain.afterGatewayDecline("R", T0, { merchantTransactionIdBase: "" }), /^options\.merchantTransactionIdBase is empty or blank; it takes text that is not blank/],
    ["initialAttemptThroughFlexPay, options.merchantTransactionIdBase \" \"", () => RetryChain.initialAttemptThroughFlexPay("R", T0, { merchantTransactionIdBase: "  " }), /^options\.merchantTransactionIdBase is empty or blank/],
    ["afterGatewayDecline, merchantReference \"\"", () => RetryChain.afterGatewayDecline("", T0), /^merchantReference is empty or blank; it takes text that is not blank/],
  ];
  for (const [label, f, message] of cases) {
    throwsCode(label, f, "invalid_argument");
    assert.throws(f, (e) => message.test(e.message), label);
  }
  // A recovered chain's refund without its FlexPay id.
  const chain = RetryChain.afterGatewayDecline("R", T0, { merchantTransactionIdBase: "R" });
  const due = chain.dueAt;
  chain.nextAttempt(due);
  chain.recordResponse({ responseCode: "10000", transactionId: "T-1" }, due);
  throwsCode("recordRefund, refundTransactionId \"\"", () => chain.recordRefund("", null, due), "invalid_argument");
  assert.equal(chain.status, "recovered", "nothing was recorded");
  chain.free();
});

/** The README's table of what each FlexPay sandbox call throws: call name → codes listed. */
async function documentedRefusals() {
  const readme = await readFile(new URL("./README.md", import.meta.resolve("flexkit/package.json")), "utf8");
  const start = readme.indexOf("### Companies, API keys and what each call throws");
  assert.ok(start >= 0, "the README has the section of each call's refusals");
  const section = readme.slice(start, readme.indexOf("\n#", start + 4));
  const listed = new Map();
  for (const row of section.split("\n").filter((line) => line.startsWith("| `"))) {
    const [calls, codes] = row.split(" | ");
    const names = (text) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    for (const call of names(calls)) listed.set(call, new Set([...(listed.get(call) ?? []), ...names(codes)]));
  }
  return { readme, section, listed };
}

test("every refusal a flexkit/sandbox call throws is listed with it in the README, with its status", async () => {
  const { readme, listed } = await documentedRefusals();
  const sandbox = new Sandbox(5);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const { key: live } = sandbox.generateApiKey("live", { mode: "production", now: T0 });
  // A copy whose id counter `field` is at its last value, as an edited snapshot may set it.
  const exhausted = (field) => {
    const document = JSON.parse(sandbox.snapshot());
    document[field] = 4294967295;
    return Sandbox.fromSnapshot(JSON.stringify(document));
  };
  const charge = (id, amount = 1000) => ({
    transaction: {
      merchantTransactionId: id, orderId: "o-" + id, customerId: "c-1", currencyCode: "USD", amount,
      retryCount: 1, referenceData: null, retainOnSuccess: true,
      paymentMethod: {
        creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030",
        firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY",
      },
    },
  });
  const approved = sandbox.charge(key, charge("m-1"), T0).transaction;
  const method = approved.paymentMethod.paymentMethodId;
  const auto = sandbox.addAutoRetry("nightly", { now: T0 });
  const gateway = { name: "Stripe EU", gatewayType: "stripe", currencyCode: "EUR", status: "Available", settings: { apiKey: "sk_1" } };
  const saved = sandbox.createGateway(key, gateway, T0);
  const unknownGateway = "2R706YWETGKVDKZ64RH1F2W3JB";
  const withKey = (k) => [
    ["charge", () => sandbox.charge(k, charge("k-1"), T0)],
    ["authorize", () => sandbox.authorize(k, charge("k-2"), T0)],
    ["capture", () => sandbox.capture(k, approved.transactionId, { merchantTransactionId: "k-3" }, T0)],
    ["void", () => sandbox.void(k, approved.transactionId, { merchantTransactionId: "k-4" }, T0)],
    ["refund", () => sandbox.refund(k, approved.transactionId, { merchantTransactionId: "k-5" }, T0)],
    ["refundedPayment", () => sandbox.refundedPayment(k, approved.transactionId, { merchantTransactionId: "k-6" }, T0)],
    ["getTransaction", () => sandbox.getTransaction(k, approved.transactionId)],
    ["getTransactionByMerchantId", () => sandbox.getTransactionByMerchantId(k, "m-1")],
    ["listTransactions", () => sandbox.listTransactions(k)],
    ["createPaymentMethod", () => sandbox.createPaymentMethod(k, { paymentMethod: { creditCard: charge("x").transaction.paymentMethod } }, T0)],
    ["listPaymentMethods", () => sandbox.listPaymentMethods(k)],
    ["getPaymentMethod", () => sandbox.getPaymentMethod(k, method)],
    ["updatePaymentMethod", () => sandbox.updatePaymentMethod(k, method, { paymentMethod: { city: "Boston" } }, T0)],
    ["redactPaymentMethod", () => sandbox.redactPaymentMethod(k, method, T0)],
    ["recachePaymentMethod", () => sandbox.recachePaymentMethod(k, method, { paymentMethod: { cvv: "879" } }, T0)],
    ["createGateway", () => sandbox.createGateway(k, gateway, T0)],
    ["listGateways", () => sandbox.listGateways(k)],
    ["getGateway", () => sandbox.getGateway(k, saved.id)],
    ["updateGateway", () => sandbox.updateGateway(k, saved.id, gateway, T0)],
    ["setGatewayStatus", () => sandbox.setGatewayStatus(k, saved.id, "Disabled", T0)],
    ["deleteGateway", () => sandbox.deleteGateway(k, saved.id, T0)],
  ];
  // [call, f, code, HTTP status or undefined]
  const cases = [
    ...withKey("").map(([call, f]) => [call, f, "missing_api_key", 401]),
    ...withKey("  ").map(([call, f]) => [call, f, "missing_api_key", 401]),
    ...withKey("not-a-key").map(([call, f]) => [call, f, "invalid_api_key", 401]),
    ...withKey(live).map(([call, f]) => [call, f, "production_key_refused", 403]),
    ["charge", () => sandbox.charge(key, [], T0), "malformed_request", 400],
    ["authorize", () => sandbox.authorize(key, "text", T0), "malformed_request", 400],
    ["capture", () => sandbox.capture(key, approved.transactionId, [], T0), "malformed_request", 400],
    ["void", () => sandbox.void(key, approved.transactionId, [], T0), "malformed_request", 400],
    ["refund", () => sandbox.refund(key, approved.transactionId, [], T0), "malformed_request", 400],
    ["refundedPayment", () => sandbox.refundedPayment(key, approved.transactionId, [], T0), "malformed_request", 400],
    ["createPaymentMethod", () => sandbox.createPaymentMethod(key, [], T0), "malformed_request", 400],
    ["updatePaymentMethod", () => sandbox.updatePaymentMethod(key, method, [], T0), "malformed_request", 400],
    ["recachePaymentMethod", () => sandbox.recachePaymentMethod(key, method, [], T0), "malformed_request", 400],
    ["getTransaction", () => sandbox.getTransaction(key, "2R706YWETGKVDKZ64RH1F2W3JB"), "transaction_not_found", 404],
    ["getTransactionByMerchantId", () => sandbox.getTransactionByMerchantId(key, "never-sent"), "transaction_not_found", 404],
    ["listTransactions", () => sandbox.listTransactions(key, { order: "DESC" }), "invalid_list_query", 400],
    ["listPaymentMethods", () => sandbox.listPaymentMethods(key, { count: 0 }), "invalid_list_query", 400],
    ["getPaymentMethod", () => sandbox.getPaymentMethod(key, "2R706YWETGKVDKZ64RH1F2W3JB"), "payment_method_not_found", 404],
    ["updatePaymentMethod", () => sandbox.updatePaymentMethod(key, method, { paymentMethod: {} }, T0), "no_editable_field", 400],
    ["createCompany", () => sandbox.createCompany(" ", "NWS01", T0), "invalid_name"],
    ["createCompany", () => sandbox.createCompany("Northwind", "NWS-01", T0), "invalid_company_code"],
    ["createCompany", () => sandbox.createCompany("Northwind", "", T0), "invalid_company_code"],
    ["createCompany", () => sandbox.createCompany("Default again", "default", T0), "company_code_taken"],
    ["createCompany", () => sandbox.createCompany("default company", "DEF2", T0), "company_name_taken"],
    ["generateApiKey", () => sandbox.generateApiKey("", { now: T0 }), "invalid_name"],
    ["generateApiKey", () => sandbox.generateApiKey("ci", { company: "NOPE", now: T0 }), "company_not_found"],
    ["recoveryLimits", () => sandbox.recoveryLimits("NOPE"), "company_not_found"],
    ["setRecoveryLimits", () => sandbox.setRecoveryLimits("NOPE", { maxRetries: 3 }), "company_not_found"],
    ["setRecoveryLimits", () => sandbox.setRecoveryLimits("DEFAULT", { maxRetries: 16 }), "invalid_recovery_limits"],
    ["addAutoRetry", () => sandbox.addAutoRetry(" ", { mode: "production", now: T0 }), "invalid_name"],
    ["addAutoRetry", () => sandbox.addAutoRetry("nightly", { company: "NOPE", now: T0 }), "company_not_found"],
    ["addAutoRetry", () => sandbox.addAutoRetry("again", { now: T0 }), "auto_retry_exists"],
    ["addAutoRetry", () => exhausted("nextAutoRetryId").addAutoRetry("one more", { mode: "production", now: T0 }), "ids_exhausted"],
    ["generateApiKey", () => exhausted("nextApiKeyId").generateApiKey("one more", { now: T0 }), "ids_exhausted"],
    ["setAutoRetryStatus", () => sandbox.setAutoRetryStatus(auto.id + 1, "disabled", T0), "auto_retry_not_found"],
    ["deleteAutoRetry", () => sandbox.deleteAutoRetry(auto.id + 1, T0), "auto_retry_not_found"],
    ["createGateway", () => sandbox.createGateway(key, { ...gateway, currencyCode: "EURO" }, T0), "invalid_gateway", 400],
    ["updateGateway", () => sandbox.updateGateway(key, saved.id, { ...gateway, weight: -1 }, T0), "invalid_gateway", 400],
    ["createGateway", () => sandbox.createGateway(key, { ...gateway, gatewayType: "acme_pay" }, T0), "invalid_gateway_type", 400],
    ["updateGateway", () => sandbox.updateGateway(key, saved.id, { ...gateway, gatewayType: "acme_pay" }, T0), "invalid_gateway_type", 400],
    ["createGateway", () => sandbox.createGateway(key, { ...gateway, name: "Stripe\u202eEU" }, T0), "invalid_gateway_name", 400],
    ["createGateway", () => sandbox.createGateway(key, { ...gateway, name: "Copy", settings: { apiKey: "********" } }, T0), "masked_setting_value", 400],
    ["updateGateway", () => sandbox.updateGateway(key, saved.id, { ...gateway, name: "Renamed" }, T0), "gateway_name_not_updatable", 400],
    ["getGateway", () => sandbox.getGateway(key, unknownGateway), "gateway_not_found", 404],
    ["updateGateway", () => sandbox.updateGateway(key, unknownGateway, gateway, T0), "gateway_not_found", 404],
    ["setGatewayStatus", () => sandbox.setGatewayStatus(key, unknownGateway, "Disabled", T0), "gateway_not_found", 404],
    ["deleteGateway", () => sandbox.deleteGateway(key, unknownGateway, T0), "gateway_not_found", 404],
    ["setUserEnabled", () => sandbox.setUserEnabled("nobody@example.com", false, T0), "user_not_found"],
    ["setUserEnabled", () => sandbox.setUserEnabled("owner@example.com", false, T0), "last_administrator"],
    ["deleteUser", () => sandbox.deleteUser("nobody@example.com", T0), "user_not_found"],
    ["deleteUser", () => sandbox.deleteUser("owner@example.com", T0), "last_administrator"],
    ["unlockUser", () => sandbox.unlockUser("nobody@example.com", T0), "user_not_found"],
    ["Sandbox.fromSnapshot", () => Sandbox.fromSnapshot("{"), "snapshot_malformed"],
    ["Sandbox.fromSnapshot", () => Sandbox.fromSnapshot('{"schemaVersion": 0}'), "snapshot_unknown_version"],
    ["Sandbox.fromSnapshot", () => Sandbox.fromSnapshot('{"schemaVersion": 99}'), "snapshot_newer_version"],
    ["Sandbox.fromSnapshot", () => {
      const document = JSON.parse(sandbox.snapshot());
      document.transactions.push(document.transactions[0]);
      return Sandbox.fromSnapshot(JSON.stringify(document));
    }, "snapshot_inconsistent"],
  ];
  const before = sandbox.snapshot();
  const provoked = new Map();
  for (const [call, f, code, status] of cases) {
    const label = `${call} → ${code}`;
    throwsCode(label, f, code);
    assert.throws(f, (e) => e.status === status, `${label}: status ${status}`);
    assert.ok(listed.get(call)?.has(code), `the README does not list ${code} with ${call}`);
    if (status !== undefined) assert.ok(readme.includes(`\`${code}\` (${status}`), `the README gives ${code} its status ${status}`);
    provoked.set(call, new Set([...(provoked.get(call) ?? []), code]));
  }
  assert.equal(sandbox.snapshot(), before, "nothing refused changed the sandbox");
  // And the table lists nothing a call does not throw.
  assert.deepEqual([...listed.keys()].sort(), [...provoked.keys()].sort());
  for (const [call, codes] of listed) assert.deepEqual([...codes].sort(), [...provoked.get(call)].sort(), call);
  sandbox.free();
});

test("createFetch answers each refusal with its status and code, as its README paragraph lists them", async () => {
  const { readme } = await documentedRefusals();
  const start = readme.indexOf("### Your FlexPay client against the sandbox");
  const paragraph = readme.slice(start, readme.indexOf("```", start));
  const sandbox = new Sandbox(6);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const { key: live } = sandbox.generateApiKey("live", { mode: "production", now: T0 });
  const fetch = sandbox.createFetch({ now: () => T0 });
  const basic = (k) => ({ authorization: `Basic ${k}` });
  const stored = await fetch("https://api.flexpay.io/v1/paymentmethods", {
    method: "POST", headers: basic(key),
    body: JSON.stringify({ paymentMethod: { creditCard: {
      creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030",
      firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY",
    } } }),
  });
  const method = (await stored.json()).transaction.paymentMethod.paymentMethodId;
  const cases = [
    [400, "malformed_request", "/v1/gateways/charge", { method: "POST", headers: basic(key), body: "[]" }],
    [400, "invalid_list_query", "/v1/transactions?count=abc", { headers: basic(key) }],
    [400, "no_editable_field", `/v1/paymentmethods/${method}`, { method: "PUT", headers: basic(key), body: '{"paymentMethod": {}}' }],
    [401, "unauthorized", "/v1/transactions", {}],
    [401, "invalid_api_key", "/v1/transactions", { headers: basic("not-a-key") }],
    [403, "production_key_refused", "/v1/transactions", { headers: basic(live) }],
    [403, "production_key_refused", "/v1/gateways/charge", { method: "POST", headers: basic(live), body: "{}" }],
    [404, "not_found", "/v2/transactions", { headers: basic(key) }],
    [404, "transaction_not_found", "/v1/transactions/byMerchantTransactionId/never-sent", { headers: basic(key) }],
    [404, "payment_method_not_found", "/v1/paymentmethods/2R706YWETGKVDKZ64RH1F2W3JB", { headers: basic(key) }],
    [405, "method_not_allowed", "/v1/transactions", { method: "DELETE", headers: basic(key) }],
  ];
  for (const [status, code, path, init] of cases) {
    const response = await fetch(`https://api.flexpay.io${path}`, init);
    assert.equal(response.status, status, `${path}: ${await response.clone().text()}`);
    assert.equal((await response.json()).code, code, path);
    assert.ok(paragraph.includes(`\`${code}\``), `createFetch's paragraph does not name ${code}`);
  }
  const statuses = [...new Set(cases.map(([status]) => status))];
  const listed = statuses.slice(0, -1).join(", ") + " and " + statuses.at(-1);
  assert.ok(paragraph.includes(`${listed} answer`), `createFetch's paragraph lists ${listed}`);
  sandbox.free();
});
