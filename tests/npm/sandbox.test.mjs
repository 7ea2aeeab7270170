// `flexkit/sandbox`: RetryChain and the in-process FlexPay sandbox, from the packed tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { inspect } from "node:util";

import { RetryChain, Sandbox, init, version } from "flexkit/sandbox";

import { refusalsInPlainWords } from "./damaged-documents.mjs";
import { rebill, visa } from "./readme-requests.mjs";

const T0 = "2026-01-01T00:00:00Z";
const card = (amount, id) => ({
  transaction: {
    merchantTransactionId: id, orderId: "o-" + id, customerId: "c1", currencyCode: "USD", amount,
    retryCount: 1, referenceData: null,
    paymentMethod: {
      creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030",
      firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY",
    },
    retainOnSuccess: false,
  },
});

test("init is idempotent; the CommonJS entry is the same instance", async () => {
  await init();
  await init();
  const cjs = createRequire(import.meta.url)("flexkit/sandbox");
  assert.equal(cjs.Sandbox, Sandbox);
  assert.equal(version(), cjs.version());
});

test("a CRM test suite charges the sandbox and follows a soft decline", () => {
  const sandbox = new Sandbox(7);
  const { key, mode } = sandbox.generateApiKey("ci", { now: T0 });
  assert.equal(mode, "Sandbox");
  const { transaction } = sandbox.charge(key, card(2012, "m1"), T0);
  assert.equal(transaction.responseCode, "20023");
  assert.equal(typeof transaction.amount, "number");
  assert.equal(sandbox.getTransaction(key, transaction.transactionId).transaction.transactionId, transaction.transactionId);
  assert.equal(sandbox.getTransactionByMerchantId(key, "m1").transaction.orderId, "o-m1");
  assert.equal(sandbox.transactionCount, 1);
  const approved = sandbox.charge(key, card(1000, "m2"), T0).transaction;
  assert.equal(approved.responseCode, "10000");
  const refund = sandbox.refund(key, approved.transactionId, { merchantTransactionId: "m3" }, T0);
  assert.equal(refund.transaction.transactionType, "Refund");
  assert.ok(Array.isArray(sandbox.runDueRetries("2026-03-01T00:00:00Z")));
  const restored = Sandbox.fromSnapshot(sandbox.snapshot());
  assert.equal(restored.snapshot(), sandbox.snapshot());
});

test("a snapshot cannot give an API key back: keys differ from one sandbox to the next, whatever the seed", () => {
  const make = () => {
    const sandbox = new Sandbox(7);
    const { key } = sandbox.generateApiKey("ci", { now: T0 });
    return { sandbox, key, id: sandbox.charge(key, card(2012, "k1"), T0).transaction.transactionId };
  };
  const [a, b] = [make(), make()];
  assert.notEqual(a.key, b.key);
  // Everything else follows from the seed and the calls: the same transaction, and snapshots
  // that differ only in the key's hash.
  assert.equal(a.id, b.id);
  const hashes = (text) => text.replace(/"sha256":"[0-9a-f]{64}"/g, '"sha256":""');
  assert.notEqual(a.sandbox.snapshot(), b.sandbox.snapshot());
  assert.equal(hashes(a.sandbox.snapshot()), hashes(b.sandbox.snapshot()));
  // The key goes on working in its restored sandbox, and only there.
  const restored = Sandbox.fromSnapshot(a.sandbox.snapshot());
  assert.equal(restored.getTransaction(a.key, a.id).transaction.transactionId, a.id);
  assert.throws(() => restored.getTransaction(b.key, a.id), (e) => e.code !== undefined && e.code !== "transaction_not_found");
  for (const s of [a.sandbox, b.sandbox, restored]) s.free();
});

test("a company's lowered recovery limits end a chain sooner, with 30100", () => {
  const sandbox = new Sandbox(3);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  assert.deepEqual(sandbox.recoveryLimits("DEFAULT"), { maxRetries: 15, windowDays: 30 });
  // A field left out keeps its value.
  assert.deepEqual(sandbox.setRecoveryLimits("DEFAULT", { maxRetries: 2 }), { maxRetries: 2, windowDays: 30 });
  const first = sandbox.charge(key, card(2008, "low-1"), T0).transaction;
  assert.equal(first.responseCode, "20003");
  const retry = card(2008, "low-2");
  retry.transaction.retryCount = 2;
  retry.transaction.referenceData = first.referenceData;
  const last = sandbox.charge(key, retry, first.retryDate).transaction;
  assert.equal(last.responseCode, "30100");
  assert.equal(last.retryDate ?? null, null);
  assert.match(last.message, /2 retries or 30 days/);
  // Kept in the snapshot.
  assert.deepEqual(Sandbox.fromSnapshot(sandbox.snapshot()).recoveryLimits("default"), { maxRetries: 2, windowDays: 30 });

  const refused = (limits, code) =>
    assert.throws(() => sandbox.setRecoveryLimits("DEFAULT", limits), (e) => e instanceof Error && e.code === code, code);
  for (const limits of [{ maxRetries: 0 }, { maxRetries: 16 }, { windowDays: 31 }, { windowDays: 0 }, { maxRetries: 1.5 },
    { maxRetries: "3" }, { maxRetries: -1 }, { windowDays: null }, { maxRetries: 2 ** 40 }]) {
    refused(limits, "invalid_recovery_limits");
  }
  refused(null, "invalid_argument");
  refused(7, "invalid_argument");
  refused({ get maxRetries() { throw new Error("no"); } }, "invalid_argument");
  assert.throws(() => sandbox.setRecoveryLimits("NOPE", { maxRetries: 3 }), (e) => e.code === "company_not_found");
  assert.throws(() => sandbox.recoveryLimits("NOPE"), (e) => e.code === "company_not_found");
  assert.deepEqual(sandbox.recoveryLimits("DEFAULT"), { maxRetries: 2, windowDays: 30 }, "nothing refused was kept");
  assert.deepEqual(sandbox.setRecoveryLimits("DEFAULT", { maxRetries: 15 }), { maxRetries: 15, windowDays: 30 });
});

test("setRecoveryLimits names misuse in the JS API's words: a figure of the wrong type, an unknown key", () => {
  const sandbox = new Sandbox(4);
  const refused = (limits, code, message) =>
    assert.throws(() => sandbox.setRecoveryLimits("DEFAULT", limits), (e) => {
      assert.ok(e instanceof Error, String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, message);
      // No serde or parser text.
      assert.doesNotMatch(e.message, /invalid type|expected u32|line \d+ column|unknown field `/);
      return true;
    }, inspect(limits));
  refused({ maxRetries: "3" }, "invalid_recovery_limits",
    /^limits\.maxRetries is "3"; FlexPay makes at most 15 retries of a payment, so give a whole number from 1 to 15$/);
  refused({ windowDays: true }, "invalid_recovery_limits",
    /^limits\.windowDays is true; FlexPay recovers a payment within 30 days of its first attempt, so give a whole number from 1 to 30$/);
  refused({ windowDays: null }, "invalid_recovery_limits", /^limits\.windowDays is null;/);
  refused({ maxRetries: 2.5 }, "invalid_recovery_limits", /^limits\.maxRetries is 2\.5;/);
  refused({ maxRetries: [3] }, "invalid_recovery_limits", /^limits\.maxRetries is an array;/);
  refused({ maxRetries: 16 }, "invalid_recovery_limits", /^limits\.maxRetries is 16;/);
  // A misspelt key is refused, not ignored, naming it and the key it most likely stands for.
  refused({ maxRetry: 3 }, "invalid_argument",
    /^limits has no field "maxRetry" \(did you mean "maxRetries"\?\); it takes maxRetries, windowDays$/);
  refused({ maxRetries: 3, windowdays: 10, extra: 1 }, "invalid_argument",
    /^limits has no fields "extra", "windowdays" \(did you mean "windowDays"\?\); it takes maxRetries, windowDays$/);
  refused([], "invalid_argument", /^limits must be an object/);
  refused({ maxRetries: 3n }, "invalid_argument", /^limits cannot be read as JSON/);
  assert.deepEqual(sandbox.recoveryLimits("DEFAULT"), { maxRetries: 15, windowDays: 30 }, "nothing refused was kept");
  // An undefined figure is left out, as JSON leaves it out.
  assert.deepEqual(sandbox.setRecoveryLimits("DEFAULT", { maxRetries: 4, windowDays: undefined }), { maxRetries: 4, windowDays: 30 });
  sandbox.free();
});

test("README: recovery limits", () => {
  const limited = new Sandbox(9);
  const { key: crmKey } = limited.generateApiKey("ci", { now: "2026-05-01T00:00:00Z" });
  limited.setRecoveryLimits("DEFAULT", { maxRetries: 1 });
  const stopped = limited.charge(crmKey, rebill("m-9", 2008, visa), "2026-05-01T00:00:00Z").transaction;
  assert.equal(stopped.responseCode, "30100");
  assert.equal(stopped.retryDate ?? null, null);
  assert.equal(stopped.referenceData ?? null, null);
  assert.deepEqual(limited.recoveryLimits("DEFAULT"), { maxRetries: 1, windowDays: 30 });
});

test("nothing reads the clock: generateApiKey needs its now, and one seed and one sequence of calls give one snapshot", () => {
  const box = new Sandbox(5);
  for (const options of [undefined, {}, { company: "DEFAULT" }]) {
    assert.throws(() => box.generateApiKey("ci", options), (e) => e.code === "invalid_argument" && /now/.test(e.message));
  }
  const run = () => {
    const s = new Sandbox(5);
    const { key } = s.generateApiKey("ci", { now: T0 });
    s.charge(key, card(2008, "det-1"), T0);
    const text = s.snapshot();
    s.free();
    return text;
  };
  // The same but for the key's hash: a key is a secret of its own sandbox.
  const [one, two] = [run(), run()];
  const hashes = (text) => text.replace(/"sha256":"[0-9a-f]{64}"/g, '"sha256":""');
  assert.notEqual(one, two);
  assert.equal(hashes(one), hashes(two));
  box.free();
});

test("README: FlexPay Retries (auto-retry)", () => {
  const auto = new Sandbox(11);
  const { key: autoKey } = auto.generateApiKey("ci", { now: "2026-05-01T00:00:00Z" });
  // Without FlexPay Retries nothing is scheduled by the sandbox: the retry is the CRM's.
  assert.equal(auto.charge(autoKey, rebill("m-10", 2008, visa), "2026-05-01T00:00:00Z").transaction.responseCode, "20003");
  assert.equal(auto.nextScheduledRetry(), null);
  const config = auto.addAutoRetry("Nightly retries", { company: "DEFAULT", mode: "sandbox", now: "2026-05-01T00:00:00Z" });
  assert.deepEqual(config, {
    id: 1, name: "Nightly retries", company: "DEFAULT", environment: "Sandbox", status: "Enabled",
    createdAt: "2026-05-01T00:00:00Z", updatedAt: "2026-05-01T00:00:00Z",
  });
  const declined = auto.charge(autoKey, rebill("m-11", 2008, visa), "2026-05-01T00:00:00Z").transaction;
  assert.deepEqual([declined.responseCode, declined.retryDate], ["20003", "2026-05-02T00:00:00Z"]);
  assert.equal(auto.nextScheduledRetry(), "2026-05-02T00:00:00Z");
  assert.deepEqual(auto.runDueRetries("2026-05-01T23:59:59Z"), [], "never before its retryDate");
  const [run, ...more] = auto.runDueRetries("2026-05-02T00:00:00Z");
  assert.deepEqual(more, []);
  assert.equal(run.due, "2026-05-02T00:00:00Z");
  assert.equal(run.response.retryCount, 2);
  assert.ok(["10000", "20003", "30100"].includes(run.response.responseCode), run.response.responseCode);
  assert.throws(() => auto.addAutoRetry("again", { now: "2026-05-02T00:00:00Z" }), (e) => e.code === "auto_retry_exists");
  assert.equal(auto.setAutoRetryStatus(config.id, "disabled", "2026-05-03T00:00:00Z").status, "Disabled");
  auto.deleteAutoRetry(config.id, "2026-05-03T00:00:00Z");
  assert.deepEqual(auto.autoRetries(), []);
  assert.throws(() => auto.deleteAutoRetry(config.id, "2026-05-03T00:00:00Z"), (e) => e.code === "auto_retry_not_found");
  assert.throws(() => auto.addAutoRetry("x", { now: "2026-05-03T00:00:00Z", status: "on" }), (e) => e.code === "invalid_argument");
  assert.throws(() => auto.addAutoRetry("x", {}), (e) => e.code === "invalid_argument" && /now/.test(e.message));
  assert.throws(() => auto.setAutoRetryStatus(-1, "enabled", "2026-05-03T00:00:00Z"), (e) => e.code === "invalid_argument");
  auto.free();
});

test("errors a server answers with a status throw coded Errors", () => {
  const sandbox = new Sandbox(1);
  assert.throws(() => sandbox.charge("nope", card(1000, "x"), T0), (e) => e instanceof Error && e.code === "invalid_api_key" && e.status === 401);
  assert.throws(() => sandbox.charge("", card(1000, "x"), T0), (e) => e instanceof Error && typeof e.code === "string");
});

test("the Integration Guide scenarios run and export Appendix A", () => {
  const sandbox = new Sandbox(3);
  const { key } = sandbox.generateApiKey("ig", { now: T0 });
  const run = sandbox.runAllScenarios(key, T0);
  assert.equal(run.reports.length, 7);
  assert.equal(run.passed, true, JSON.stringify(run.reports.filter((r) => !r.passed)));
  assert.match(run.appendixA.csv, /^Scenario,Description,Transaction ID,Sent at,Amount,Currency,Company,Company code,Environment\r\n/);
  // Each token says when it was sent, by which company and in which environment.
  const rows = JSON.parse(run.appendixA.json);
  assert.equal(rows.length, run.reports.reduce((n, r) => n + r.transactions.length, 0));
  assert.deepEqual(Object.keys(rows[0]), ["scenario", "description", "transactionId", "sentAt", "amount", "currency", "company", "companyCode", "environment"]);
  assert.deepEqual([rows[0].amount, rows[0].currency], ["20.08", "USD"]);
  assert.equal(rows[0].transactionId, run.reports[0].transactions[0].transactionId);
  // To the millisecond, as the CSV writes it, in every row.
  assert.equal(rows[0].sentAt, new Date(T0).toISOString());
  const csvLines = run.appendixA.csv.trimEnd().split("\r\n").slice(1);
  rows.forEach((row, i) => {
    assert.match(row.sentAt, /\.\d{3}Z$/);
    assert.ok(csvLines[i].includes(`,${row.transactionId},${row.sentAt},`), csvLines[i]);
  });
  assert.deepEqual([rows[0].company, rows[0].companyCode, rows[0].environment], ["Default Company", "DEFAULT", "Sandbox"]);
  assert.ok(Date.parse(rows.at(-1).sentAt) > Date.parse(T0), "later steps waited for their retry dates");
  assert.equal(sandbox.runScenario(1, key, T0).reports[0].step, 1);
  // Every check is worded for people: absent fields are named, no Rust debug text.
  const texts = run.reports.flatMap((r) => r.checks.flatMap((c) => [c.description, c.detail]));
  for (const text of texts) assert.doesNotMatch(text, /Some\(|None|ChainId/, text);
  assert.ok(texts.includes("no retryDate"));
  assert.ok(texts.includes("status RefundOnly"));
  assert.ok(texts.some((t) => /^recovery chain \d+$/.test(t)));
});

test("a client of two currencies runs the scenarios in both; other currency lists are refused in words", () => {
  const sandbox = new Sandbox(4);
  const { key } = sandbox.generateApiKey("ig", { now: T0 });
  const run = sandbox.runAllScenarios(key, T0, { currencies: ["EUR", "JPY"] });
  assert.equal(run.passed, true, JSON.stringify(run.reports.filter((r) => !r.passed)));
  const rows = JSON.parse(run.appendixA.json);
  assert.equal(rows.length, 30);
  for (const row of rows) {
    // Each description starts with the currency its transaction was sent in.
    assert.equal(row.description.slice(0, 5), `${row.currency}: `, JSON.stringify(row));
  }
  assert.equal(rows.filter((row) => row.currency === "JPY").length, 14);
  assert.ok(rows.some((row) => row.currency === "JPY" && row.amount === "2008"));
  assert.ok(rows.some((row) => row.currency === "EUR" && row.amount === "20.08"));
  assert.ok(run.reports[0].checks.some((c) => c.description === "JPY: charge of 2008 (trigger 2008): soft decline (20K range)"));
  // The gateways steps 6 and 7 created take both; a USD charge without a token is now refused.
  const usd = sandbox.runScenario(1, key, T0);
  assert.equal(usd.passed, false);
  assert.match(usd.reports[0].checks[0].detail, /50147/);

  const fresh = new Sandbox(5);
  const other = fresh.generateApiKey("ig", { now: T0 }).key;
  for (const [options, words] of [
    [{ currencies: "EUR" }, /^options\.currencies must be an array of currency codes/],
    [{ currencies: ["EUR", 978] }, /^options\.currencies must be an array of currency codes/],
    [{ currencies: [] }, /^options\.currencies: give at least one currency/],
    [{ currencies: ["EUR", "EUR"] }, /^options\.currencies: EUR is given twice/],
    [{ currencies: ["eur"] }, /"EUR"/],
    [{ currencies: ["XAU"] }, /without a minor unit/],
    [{ currencies: ["USD", "EUR", "GBP", "CAD", "JPY"] }, /at most 4/],
    [{ currency: "EUR" }, /currency/],
  ]) {
    assert.throws(() => fresh.runAllScenarios(other, T0, options), (e) => e instanceof Error && e.code === "invalid_argument" && words.test(e.message), JSON.stringify(options));
  }
  // Nothing was sent by a refused call.
  assert.equal(fresh.transactionCount, 0);
  sandbox.free();
  fresh.free();
});

test("RetryChain: NotYet is data, responses move the chain, JSON round-trips", () => {
  const chain = RetryChain.afterGatewayDecline("inv-1", new Date(T0), { merchantTransactionIdBase: "inv-1" });
  const early = chain.nextAttempt(Date.parse("2026-01-01T01:00:00Z"));
  assert.deepEqual(early.ok, false);
  assert.equal(early.notReady.code, "not_yet");
  assert.equal(early.notReady.allowedAt, "2026-01-02T00:00:00Z");
  const next = chain.nextAttempt("2026-01-02T00:00:00Z");
  assert.equal(next.ok, true);
  assert.equal(next.attempt.retryCount, 1);
  assert.deepEqual(next.attempt.merchantTransactionId, { kind: "derived", id: "inv-1-r1" });
  const t = chain.recordResponse(
    { responseCode: "20023", retryDate: "2026-01-05T00:00:00Z", referenceData: "ref-1", retryCount: 1, merchantTransactionId: "inv-1-r1" },
    "2026-01-02T00:00:05Z",
  );
  assert.equal(t.to, "scheduled");
  assert.deepEqual(t.next, { action: "sendAttempt", retryCount: 2, at: "2026-01-05T00:00:00Z" });
  assert.equal(chain.retryCount, 2);
  assert.equal(chain.referenceData, "ref-1");
  const json = chain.toJson();
  assert.equal(JSON.parse(json).schemaVersion, 1);
  const back = RetryChain.fromJson(json);
  assert.equal(back.toJson(), json);
  assert.throws(() => RetryChain.fromJson("{}"), (e) => e instanceof Error && typeof e.code === "string");
});

test("misuse and freed objects throw coded Errors, never wasm traps", () => {
  const chain = RetryChain.afterGatewayDecline("inv-2", T0);
  chain.free();
  chain.free();
  for (const f of [() => chain.toJson(), () => chain.nextAttempt(T0), () => chain.status]) {
    assert.throws(f, (e) => e instanceof Error && e.code === "freed_object");
  }
  const sandbox = new Sandbox();
  sandbox.free();
  assert.throws(() => sandbox.snapshot(), (e) => e.code === "freed_object");
  assert.throws(() => new RetryChain(), (e) => e.code === "invalid_argument");
  assert.throws(() => RetryChain.afterGatewayDecline(), (e) => e.code === "invalid_argument");
  assert.throws(() => RetryChain.afterGatewayDecline("x", new Date(NaN)), (e) => e.code === "invalid_date");
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => RetryChain.afterGatewayDecline("x", T0, cyclic), (e) => e.code === "invalid_argument");
  assert.throws(() => new Sandbox(-1), (e) => e.code === "invalid_argument");
  assert.throws(() => new Sandbox(2 ** 60), (e) => e.code === "invalid_argument");
});

// The runtime values have exactly the fields sandbox.d.ts declares for them (types.rs in
// crates/wasm-sandbox); optional fields are listed apart.
const keys = (value) => Object.keys(value).sort();
const declared = (...names) => names.sort();

test("transitions, snapshots and listings have the declared shapes", () => {
  const chain = RetryChain.afterGatewayDecline("inv-3", T0, { merchantTransactionIdBase: "inv-3" });
  chain.nextAttempt("2026-01-02T00:00:00Z");
  const soft = chain.recordResponse({ responseCode: "20023", retryDate: "2026-01-01T00:00:00Z", referenceData: "UkVG" }, "2026-01-02T00:00:01Z");
  assert.deepEqual(keys(soft), declared("from", "to", "decision", "countedAsAttempt", "reset", "next", "notes"));
  assert.deepEqual(soft.decision, { kind: "retryAt", at: "2026-01-01T00:00:00Z" });
  assert.deepEqual(soft.notes, [{ note: "retryDateAlreadyPassed", retryDate: "2026-01-01T00:00:00Z" }]);
  chain.nextAttempt("2026-01-05T00:00:00Z");
  const hard = chain.recordResponse({ responseCode: "30016" }, "2026-01-05T00:00:01Z");
  assert.deepEqual(hard.decision, { kind: "unrecoverable", reason: "hardDecline" });
  const snapshot = chain.snapshot();
  assert.deepEqual(snapshot.state, { status: "unrecoverable", at: "2026-01-05T00:00:01Z", code: "30016", reason: "hardDecline" });
  assert.equal(snapshot.history.length, 2);
  for (const record of snapshot.history) {
    assert.deepEqual(keys(record), declared(
      "retryCount", "sentAt", "answeredAt", "merchantTransactionId", "referenceDataSent", "responseCode",
      "category", "retryDate", "referenceData", "transactionId", "decision",
    ));
  }
  assert.deepEqual(snapshot.history.map((r) => r.category), ["softDecline", "hardDecline"]);
  const stopped = RetryChain.afterGatewayDecline("inv-4", T0).stop("paidElsewhere", "2026-01-01T01:00:00Z");
  assert.equal(stopped.decision, null);

  const sandbox = new Sandbox(5);
  const { key } = sandbox.generateApiKey("shapes", { now: T0 });
  const { transaction } = sandbox.charge(key, card(2012, "s1"), T0);
  assert.deepEqual(keys(transaction), declared(
    "response", "paymentMethod", "transactionId", "transactionDate", "transactionStatus", "message",
    "responseCode", "transactionType", "merchantTransactionId", "customerId", "currencyCode", "amount",
    "gatewayToken", "gatewayType", "gatewayTransactionId", "merchantAccountReferenceId",
    "assignedGatewayToken", "orderId", "retryDate", "retryCount", "dateFirstAttempt", "description",
    "productSku", "subscriptionId", "customerIp", "shippingAddress", "referenceData",
    "disableCustomerRecovery", "customVariable1", "customVariable2", "customVariable3",
    "customVariable4", "customVariable5",
    // optional: present on this answer
    ...["engagedRecoveryState", "paymentModel", "gatewaySpecificFields", "gatewaySpecificResponseFields"]
      .filter((name) => name in transaction),
  ));
  assert.ok([1, 2, 3].includes(transaction.transactionStatus));

  const full = sandbox.listTransactions(key, { count: 5 });
  assert.deepEqual(keys(full), ["transactions"]);
  assert.equal(full.transactions.length, 1);
  const [item] = full.transactions;
  assert.deepEqual(keys(item), declared(
    "transactionId", "transactionDate", "transactionStatus", "transactionType", "message",
    ...["gateway", "gatewaySpecificFields", "gatewaySpecificResponseFields"].filter((name) => name in item),
  ));
  assert.deepEqual(keys(item.gateway), declared("token", "gatewayType", "name", "referenceId"));
  const simple = sandbox.listTransactions(key, { responseType: "simplified" }).transactions[0];
  assert.deepEqual(keys(simple), declared(
    "transactionId", "transactionDate", "transactionStatus", "message", "transactionType", "retryDate",
    "amount", "initialMerchantTransactionId", "paymentMethodStorageState", "completionStatus",
  ));
  assert.equal(simple.amount, 2012);
  assert.deepEqual(sandbox.runDueRetries("2027-01-01T00:00:00Z"), []);
  sandbox.free();
});

test("README: a vaulted card is rebilled by its paymentMethodId and recovers like a card", () => {
  const sandbox = new Sandbox(7);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-01-01T00:00:00Z" });
  const first = sandbox.charge(key, rebill("m-1", 1000, visa), "2026-01-01T00:00:00Z").transaction;
  assert.equal(first.responseCode, "10000");
  assert.equal(first.paymentMethod.storageState, "Stored");
  const { paymentMethodId } = first.paymentMethod;
  assert.match(paymentMethodId, /^[0-9A-Z]{26}$/);

  const declined = sandbox.charge(key, rebill("m-2", 2008, { paymentMethodId }), "2026-02-01T00:00:00Z").transaction;
  assert.equal(declined.responseCode, "20003");
  assert.equal(declined.retryDate, "2026-02-02T00:00:00Z");
  assert.equal(declined.paymentMethod.paymentMethodId, paymentMethodId);
  assert.equal(declined.paymentMethod.firstName, "Ada");
  assert.equal(declined.paymentMethod.cvv ?? null, null);

  const retry = rebill("m-2-R2", 2008, { paymentMethodId });
  retry.transaction.retryCount = 2;
  retry.transaction.referenceData = declined.referenceData;
  const second = sandbox.charge(key, retry, declined.retryDate).transaction;
  assert.equal(second.retryCount, 2);
  assert.equal(second.paymentMethod.paymentMethodId, paymentMethodId);

  // Only retained cards are in the vault: a cached one, or any other id, is refused as FlexPay does.
  const cached = sandbox.charge(key, rebill("m-3", 1000, { ...visa, retainOnSuccess: false }), "2026-02-03T00:00:00Z").transaction;
  assert.equal(cached.paymentMethod.storageState, "Cached");
  const notVaulted = { paymentMethodId: cached.paymentMethod.paymentMethodId };
  assert.equal(sandbox.charge(key, rebill("m-4", 1000, notVaulted), "2026-02-03T00:00:00Z").transaction.responseCode, "50136");
  assert.equal(sandbox.authorize(key, rebill("m-5", 1000, notVaulted), "2026-02-03T00:00:00Z").transaction.responseCode, "50134");

  const saved = sandbox.snapshot();
  const restored = Sandbox.fromSnapshot(saved);
  assert.equal(restored.snapshot(), saved);
  sandbox.free();
  restored.free();
});

// The vault calls: POST/GET/PUT /v1/paymentmethods.
const visaToVault = (customerId = "cust-1") => ({
  paymentMethod: {
    customerId,
    creditCard: {
      creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030", cvv: "879",
      firstName: "Ada", lastName: "Lovelace", address1: "12 St James's Square", postalCode: "10001",
      city: "New York", state: "NY", country: "US", email: "ada@example.com",
    },
  },
});
const byId = (id, amount, paymentMethodId) => ({
  transaction: {
    merchantTransactionId: id, orderId: "o-" + id, customerId: "cust-1", currencyCode: "USD", amount,
    retryCount: 1, referenceData: null, paymentMethodId,
  },
});
const vaultSandbox = (seed = 11) => {
  const sandbox = new Sandbox(seed);
  const { key } = sandbox.generateApiKey("vault", { now: T0 });
  return { sandbox, key };
};

test("vault: create, charge by id, update, get, redact, and the charge is refused", () => {
  const { sandbox, key } = vaultSandbox();
  const created = sandbox.createPaymentMethod(key, visaToVault(), T0).transaction;
  assert.deepEqual(keys(created), declared(
    "transactionId", "transactionDate", "transactionStatus", "message", "responseCode", "transactionType",
    "customerId", "paymentMethod",
  ));
  assert.equal(created.responseCode, "10000");
  assert.equal(created.transactionType, "CreateCreditCard");
  assert.equal(created.customerId, "cust-1");
  const method = created.paymentMethod;
  assert.equal(method.storageState, "Stored");
  assert.equal(method.creditCardNumber, "492020******9560");
  assert.equal(method.cvv, "***");
  assert.equal(method.paymentMethodType, "CreditCard");
  assert.equal(method.cardType, "VISA");
  const { paymentMethodId } = method;
  assert.match(paymentMethodId, /^[0-9A-Z]{26}$/);
  assert.ok(!sandbox.snapshot().includes("4920201996449560"), "the full number is never stored");

  const charged = sandbox.charge(key, byId("m-1", 1500, paymentMethodId), "2026-01-02T00:00:00Z").transaction;
  assert.equal(charged.responseCode, "10000");
  assert.equal(charged.paymentMethod.paymentMethodId, paymentMethodId);
  assert.equal(charged.paymentMethod.cvv, "***", "the CVV on file went with the payment");

  const updated = sandbox.updatePaymentMethod(key, paymentMethodId,
    { paymentMethod: { expiryMonth: "09", expiryYear: "2031", city: "Boston", state: "MA", address2: "" } },
    "2026-01-03T00:00:00Z").transaction;
  assert.equal(updated.responseCode, "10000");
  assert.equal(updated.transactionType, "UpdatePaymentMethod");
  assert.equal(updated.paymentMethod.city, "Boston");

  const read = sandbox.getPaymentMethod(key, paymentMethodId);
  assert.deepEqual(Object.keys(read), ["paymentMethod"]);
  assert.equal(read.paymentMethod.expiryYear, "2031");
  assert.equal(read.paymentMethod.city, "Boston");
  assert.equal(read.paymentMethod.address1, "12 St James's Square");
  assert.equal(read.paymentMethod.cvv, null, "used by the charge");
  assert.equal(sandbox.charge(key, byId("m-2", 1500, paymentMethodId), "2026-01-04T00:00:00Z").transaction.paymentMethod.city, "Boston");

  const redacted = sandbox.redactPaymentMethod(key, paymentMethodId, "2026-01-05T00:00:00Z").transaction;
  assert.equal(redacted.responseCode, "10000");
  assert.equal(redacted.transactionType, "RedactPaymentMethod");
  assert.equal(redacted.paymentMethod.storageState, "Redacted");
  assert.equal(sandbox.getPaymentMethod(key, paymentMethodId).paymentMethod.storageState, "Redacted");
  const refused = sandbox.charge(key, byId("m-3", 1500, paymentMethodId), "2026-01-06T00:00:00Z").transaction;
  assert.equal(refused.responseCode, "50136");
  assert.equal(refused.transactionStatus, 2);
  assert.match(refused.message, /redacted/);
  assert.equal(sandbox.authorize(key, byId("m-4", 1500, paymentMethodId), "2026-01-06T00:00:00Z").transaction.responseCode, "50134");
  assert.equal(sandbox.updatePaymentMethod(key, paymentMethodId, { paymentMethod: { city: "Salem" } }, "2026-01-07T00:00:00Z").transaction.responseCode, "50136");
  assert.equal(sandbox.redactPaymentMethod(key, paymentMethodId, "2026-01-07T00:00:00Z").transaction.responseCode, "10000");

  const saved = sandbox.snapshot();
  assert.equal(JSON.parse(saved).schemaVersion, 4);
  const restored = Sandbox.fromSnapshot(saved);
  assert.equal(restored.snapshot(), saved);
  assert.equal(restored.getPaymentMethod(key, paymentMethodId).paymentMethod.storageState, "Redacted");
  sandbox.free();
  restored.free();
});

test("vault: the list pages like the transaction list", () => {
  const { sandbox, key } = vaultSandbox(12);
  const ids = [];
  for (let day = 1; day <= 25; day++) {
    const now = `2026-01-${String(day).padStart(2, "0")}T00:00:00Z`;
    ids.push(sandbox.createPaymentMethod(key, visaToVault(`cust-${day}`), now).transaction.paymentMethod.paymentMethodId);
    // Cached cards are not in the vault.
    if (day % 5 === 0) sandbox.charge(key, card(1000, `cached-${day}`), now);
  }
  const first = sandbox.listPaymentMethods(key);
  assert.deepEqual(Object.keys(first), ["paymentMethods"]);
  assert.equal(first.paymentMethods.length, 20);
  assert.deepEqual(Object.keys(first.paymentMethods[0]), ["paymentMethod"]);
  const seen = [];
  let query = { count: 10 };
  for (;;) {
    const page = sandbox.listPaymentMethods(key, query).paymentMethods;
    if (page.length === 0) break;
    seen.push(...page.map((item) => item.paymentMethod.paymentMethodId));
    query = { count: 10, sinceTransactionId: page.at(-1).paymentMethod.paymentMethodId };
  }
  assert.deepEqual(seen, ids);
  const newest = sandbox.listPaymentMethods(key, { order: "desc", count: 2 }).paymentMethods;
  assert.deepEqual(newest.map((item) => item.paymentMethod.customerId), ["cust-25", "cust-24"]);
  assert.equal(sandbox.listPaymentMethods(key, { startDate: "2026-1-21", count: 100 }).paymentMethods.length, 5);
  assert.throws(() => sandbox.listPaymentMethods(key, { sinceTransactionId: "00000000000000000000000000" }),
    (e) => e.code === "invalid_list_query" && e.status === 400);
  assert.throws(() => sandbox.listPaymentMethods(key, 7), (e) => e.code === "invalid_argument");
  sandbox.free();
});

test("vault: each company and environment sees only its own methods", () => {
  const { sandbox, key } = vaultSandbox(13);
  const { paymentMethodId } = sandbox.createPaymentMethod(key, visaToVault(), T0).transaction.paymentMethod;
  sandbox.createCompany("Northwind", "NWS01", T0);
  const other = sandbox.generateApiKey("other", { company: "NWS01", now: T0 }).key;
  const unknown = "KQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ";
  const notFound = (id) => (e) => e.code === "payment_method_not_found" && e.status === 404 && e.message.includes(id);
  assert.throws(() => sandbox.getPaymentMethod(other, paymentMethodId), notFound(paymentMethodId));
  assert.throws(() => sandbox.getPaymentMethod(other, unknown), notFound(unknown));
  const foreign = sandbox.updatePaymentMethod(other, paymentMethodId, { paymentMethod: { city: "Salem" } }, T0).transaction;
  const missing = sandbox.updatePaymentMethod(other, unknown, { paymentMethod: { city: "Salem" } }, T0).transaction;
  assert.equal(foreign.responseCode, "50134");
  assert.equal(foreign.message, missing.message);
  assert.equal(foreign.paymentMethod, null);
  assert.equal(sandbox.redactPaymentMethod(other, paymentMethodId, T0).transaction.responseCode, "50134");
  assert.equal(sandbox.recachePaymentMethod(other, paymentMethodId, { paymentMethod: { creditCard: { cvv: "879" } } }, T0).transaction.responseCode, "50134");
  assert.equal(sandbox.charge(other, byId("x-1", 100, paymentMethodId), T0).transaction.responseCode, "50136");
  assert.deepEqual(sandbox.listPaymentMethods(other).paymentMethods, []);
  const mine = sandbox.getPaymentMethod(key, paymentMethodId).paymentMethod;
  assert.equal(mine.city, "New York");
  assert.equal(mine.storageState, "Stored");
  assert.throws(() => sandbox.getPaymentMethod("nope", paymentMethodId), (e) => e.code === "invalid_api_key" && e.status === 401);
  sandbox.free();
});

test("vault: recache puts a CVV on file for the next payment; the CVV is never kept", () => {
  const { sandbox, key } = vaultSandbox(14);
  const retained = sandbox.charge(key, { transaction: { ...card(1000, "keep").transaction, retainOnSuccess: true } }, T0).transaction;
  const { paymentMethodId } = retained.paymentMethod;
  assert.equal(sandbox.getPaymentMethod(key, paymentMethodId).paymentMethod.cvv, null);
  const recached = sandbox.recachePaymentMethod(key, paymentMethodId, { paymentMethod: { creditCard: { cvv: "879" } } }, T0).transaction;
  assert.equal(recached.responseCode, "10000");
  assert.equal(recached.transactionType, "RecachePaymentMethod");
  assert.equal(recached.paymentMethod.cvv, "***");
  assert.equal(sandbox.getPaymentMethod(key, paymentMethodId).paymentMethod.cvv, "***");
  assert.ok(!sandbox.snapshot().includes('"879"'));
  const next = sandbox.charge(key, byId("r-1", 100, paymentMethodId), T0).transaction;
  assert.equal(next.paymentMethod.cvv, "***");
  assert.equal(sandbox.getPaymentMethod(key, paymentMethodId).paymentMethod.cvv, null);
  const wrong = sandbox.recachePaymentMethod(key, paymentMethodId, { paymentMethod: { creditCard: { cvv: "8790" } } }, T0).transaction;
  assert.equal(wrong.transactionStatus, 2);
  assert.match(wrong.message, /^paymentMethod\.creditCard\.cvv: .*\(invalid_cvv\)$/);
  assert.ok(!wrong.message.includes("8790"));
  assert.throws(() => sandbox.recachePaymentMethod(key, paymentMethodId, undefined, T0), (e) => e.code === "invalid_argument");
  sandbox.free();
});

test("vault: bad bodies are answered with every problem, each with its path and code", () => {
  const { sandbox, key } = vaultSandbox(15);
  const bad = visaToVault();
  Object.assign(bad.paymentMethod.creditCard, {
    creditCardNumber: "4920201996449561", expiryMonth: "7", cvv: "12", country: "usa", lastName: undefined,
  });
  const refused = sandbox.createPaymentMethod(key, bad, T0).transaction;
  assert.equal(refused.transactionStatus, 2);
  assert.equal(refused.responseCode, "50000", "the first problem's code: a Luhn failure");
  assert.equal(refused.paymentMethod, null, "nothing was stored");
  const found = refused.message.split("\n").map((p) => [p.slice(0, p.indexOf(": ")), p.slice(p.lastIndexOf("(") + 1, -1)]);
  assert.deepEqual(found.sort(), [
    ["paymentMethod.creditCard.country", "invalid_format"],
    ["paymentMethod.creditCard.creditCardNumber", "invalid_luhn"],
    ["paymentMethod.creditCard.cvv", "invalid_cvv"],
    ["paymentMethod.creditCard.expiryMonth", "invalid_format"],
    ["paymentMethod.creditCard.lastName", "required"],
  ]);
  assert.ok(!refused.message.includes("4920201996449561"));
  assert.deepEqual(sandbox.listPaymentMethods(key).paymentMethods, []);
  const expiry = visaToVault();
  expiry.paymentMethod.creditCard.expiryMonth = "13";
  assert.equal(sandbox.createPaymentMethod(key, expiry, T0).transaction.responseCode, "50056");
  // A body that is not the request's JSON shape is answered the same way, with FlexPay's code.
  const wrongType = visaToVault();
  wrongType.paymentMethod.creditCard.expiryMonth = 12;
  const shape = sandbox.createPaymentMethod(key, wrongType, T0).transaction;
  assert.deepEqual([shape.transactionStatus, shape.responseCode, shape.paymentMethod], [2, "50056", null]);
  assert.match(shape.message, /^paymentMethod\.creditCard\.expiryMonth: .*"12".*\(wrong_type\)$/);
  const noCard = sandbox.createPaymentMethod(key, { paymentMethod: { customerId: "c" } }, T0).transaction;
  assert.match(noCard.message, /^paymentMethod\.creditCard: .*"creditCard" or "gatewayPaymentMethod".*\(required\)$/);
  // Only a body that is not a JSON object is refused as a whole.
  assert.throws(() => sandbox.createPaymentMethod(key, [wrongType], T0), (e) => e.code === "malformed_request" && e.status === 400);
  // Without its envelope a body holds no request: FlexPay's 50003, "no parameters".
  const bare = sandbox.createPaymentMethod(key, visaToVault().paymentMethod, T0).transaction;
  assert.deepEqual([bare.transactionStatus, bare.responseCode, bare.paymentMethod], [2, "50003", null]);
  assert.match(bare.message, /\{"paymentMethod": \{\.\.\.\}\}/);

  const { paymentMethodId } = sandbox.createPaymentMethod(key, visaToVault(), T0).transaction.paymentMethod;
  for (const empty of [undefined, null, { paymentMethod: {} }, { paymentMethod: { city: "", email: "" } }]) {
    assert.throws(() => sandbox.updatePaymentMethod(key, paymentMethodId, empty, T0),
      (e) => e.code === "no_editable_field" && e.status === 400 && /^No editable field was supplied/.test(e.message));
  }
  // `{}` has no envelope, like `{ city: "Boston" }`: no request, 50003, and nothing changes.
  for (const bare of [{}, { city: "Boston" }]) {
    assert.equal(sandbox.updatePaymentMethod(key, paymentMethodId, bare, T0).transaction.responseCode, "50003");
  }
  const update = sandbox.updatePaymentMethod(key, paymentMethodId,
    { paymentMethod: { expiryMonth: "9", expiryYear: "31", country: "usa", city: " " } }, T0).transaction;
  assert.equal(update.transactionStatus, 2);
  assert.deepEqual(update.message.split("\n").map((p) => p.slice(0, p.indexOf(": "))).sort(), [
    "paymentMethod.city", "paymentMethod.country", "paymentMethod.expiryMonth", "paymentMethod.expiryYear",
  ]);
  assert.equal(sandbox.getPaymentMethod(key, paymentMethodId).paymentMethod.country, "US", "nothing changed");
  const recache = sandbox.recachePaymentMethod(key, paymentMethodId, { paymentMethod: { creditCard: { cvv: "" } } }, T0).transaction;
  assert.match(recache.message, /^paymentMethod\.creditCard\.cvv: .*\(required\)$/);
  const noCvv = sandbox.recachePaymentMethod(key, paymentMethodId, { paymentMethod: { creditCard: {} } }, T0).transaction;
  assert.deepEqual([noCvv.transactionStatus, noCvv.responseCode], [2, "50000"]);
  assert.match(noCvv.message, /^paymentMethod\.creditCard\.cvv: .*\(required\)$/);
  sandbox.free();
});

test("vault: a create without creditCard or gatewayPaymentMethod is 50135, FlexPay's payment method required", async () => {
  const { sandbox, key } = vaultSandbox(16);
  const noMethod = sandbox.createPaymentMethod(key, { paymentMethod: { customerId: "c" } }, T0).transaction;
  assert.deepEqual([noMethod.transactionStatus, noMethod.responseCode, noMethod.paymentMethod], [2, "50135", null]);
  assert.match(noMethod.message, /"creditCard" or "gatewayPaymentMethod"/);
  const empty = sandbox.createPaymentMethod(key, { paymentMethod: {} }, T0).transaction;
  assert.equal(empty.responseCode, "50135");
  // Both at once is the same mistake FlexPay answers a charge's two payment methods with.
  const both = visaToVault();
  both.paymentMethod.gatewayPaymentMethod = { gatewayToken: "AAAAAAAAAAAAAAAAAAAAAAAAAA", gatewayPaymentMethodId: "tok-1" };
  assert.equal(sandbox.createPaymentMethod(key, both, T0).transaction.responseCode, "50135");
  // A payment method of the wrong type is an invalid one.
  assert.equal(sandbox.createPaymentMethod(key, { paymentMethod: { customerId: "c", creditCard: "4920201996449560" } }, T0).transaction.responseCode, "50136");
  // The same answer over createFetch.
  const fetch = sandbox.createFetch({ now: () => T0 });
  const response = await fetch("https://api.flexpay.io/v1/paymentmethods", {
    method: "POST",
    headers: { Authorization: `Basic ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ paymentMethod: { customerId: "c" } }),
  });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).transaction.responseCode, "50135");
  assert.deepEqual(sandbox.listPaymentMethods(key).paymentMethods, []);
  sandbox.free();
});

test("README: an invalid body is answered, not thrown", () => {
  const strict = new Sandbox(10);
  const { key: ciKey } = strict.generateApiKey("ci", { now: "2026-03-01T00:00:00Z" });
  const refused = strict.charge(ciKey, rebill("m-3", 29.99, visa), "2026-03-01T00:00:00Z").transaction;
  assert.equal(refused.transactionStatus, 2);
  assert.equal(refused.responseCode, "50137");
  assert.equal(refused.message, 'transaction.amount: "amount" is 29.99, which has a fraction: amounts are integers in the ' +
    "currency's minor unit (USD 29.99 is 2999).");
  strict.free();
});

test("README: the vault calls of /v1/paymentmethods", () => {
  const vault = new Sandbox(8);
  const { key: apiKey } = vault.generateApiKey("ci", { now: "2026-03-01T00:00:00Z" });
  const stored = vault.createPaymentMethod(apiKey, {
    paymentMethod: {
      customerId: "cust-1",
      creditCard: {
        creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030", cvv: "879",
        firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY",
      },
    },
  }, "2026-03-01T00:00:00Z").transaction;
  assert.equal(stored.transactionType, "CreateCreditCard");
  assert.equal(stored.paymentMethod.storageState, "Stored");
  const id = stored.paymentMethod.paymentMethodId;
  assert.equal(stored.paymentMethod.creditCardNumber, "492020******9560");

  vault.updatePaymentMethod(apiKey, id, { paymentMethod: { expiryYear: "2031", city: "Boston", state: "MA" } },
    "2026-03-02T00:00:00Z");
  assert.equal(vault.getPaymentMethod(apiKey, id).paymentMethod.city, "Boston");

  vault.redactPaymentMethod(apiKey, id, "2026-03-03T00:00:00Z");
  const refused = vault.charge(apiKey, {
    transaction: {
      merchantTransactionId: "m-9", orderId: "order-9", customerId: "cust-1", currencyCode: "USD",
      amount: 1000, retryCount: 1, referenceData: null, paymentMethodId: id,
    },
  }, "2026-03-04T00:00:00Z").transaction;
  assert.equal(refused.responseCode, "50136");
  vault.free();
});

// A small FlexPay client as a CRM writes it: plain fetch against api.flexpay.io.
function flexpayClient(fetch, key) {
  const call = async (method, path, body) => {
    const response = await fetch(`https://api.flexpay.io${path}`, {
      method,
      headers: { Authorization: `Basic ${key}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
  };
  return {
    charge: (request) => call("POST", "/v1/gateways/charge", request),
    authorize: (request) => call("POST", "/v1/gateways/authorize", request),
    capture: (id, request) => call("POST", `/v1/transactions/${id}/capture`, request),
    refund: (id, request) => call("POST", `/v1/transactions/${id}/refund`, request),
    get: (id) => call("GET", `/v1/transactions/${id}`),
    byMerchantId: (id) => call("GET", `/v1/transactions/byMerchantTransactionId/${encodeURIComponent(id)}`),
    list: (query) => call("GET", `/v1/transactions?${new URLSearchParams(query)}`),
    vault: (request) => call("POST", "/v1/paymentmethods", request),
    method: (id) => call("GET", `/v1/paymentmethods/${id}`),
    update: (id, request) => call("PUT", `/v1/paymentmethods/${id}`, request),
    redact: (id) => call("PUT", `/v1/paymentmethods/${id}/redact`),
    call,
  };
}

test("another customer's referenceData is refused (50132): it would charge one customer as another's recovery", () => {
  const sandbox = new Sandbox(3);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const payment = (id, customerId, amount = 2005) => {
    const request = rebill(id, amount, visa);
    request.transaction.customerId = customerId;
    return request;
  };
  const retry = (request, retryCount, referenceData) => {
    Object.assign(request.transaction, { retryCount, referenceData });
    return request;
  };
  const a = sandbox.charge(key, payment("A-1", "cust-A"), T0).transaction;
  const b = sandbox.charge(key, payment("B-1", "cust-B"), T0).transaction;
  assert.deepEqual([a.responseCode, b.responseCode], ["20000", "20000"]);
  // B's retry with A's referenceData: same amount and currency, another customer. Refused
  // first for that, whatever the count (not "send 2 with this referenceData").
  for (const count of [2, 3]) {
    const crossed = sandbox.charge(key, retry(payment(`B-2x${count}`, "cust-B"), count, a.referenceData), a.retryDate).transaction;
    assert.equal(crossed.responseCode, "50132");
    assert.match(crossed.message, /^referenceData belongs to another customer's payment: its attempts sent customerId "cust-A", this request sends "cust-B"/);
  }
  // Each payment's own retry goes through, and each is recovered once.
  const aRetry = sandbox.charge(key, retry(payment("A-2", "cust-A"), 2, a.referenceData), a.retryDate).transaction;
  const bRetry = sandbox.charge(key, retry(payment("B-2", "cust-B"), 2, b.referenceData), b.retryDate).transaction;
  assert.deepEqual([aRetry.responseCode, bRetry.responseCode], ["10000", "10000"]);
  sandbox.free();
});

test("createFetch: a fetch-based FlexPay client runs unchanged against the sandbox", async () => {
  const sandbox = new Sandbox(11);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  let clock = new Date(T0);
  const flexpay = flexpayClient(sandbox.createFetch({ now: () => clock }), key);

  // A soft decline, then the retry FlexPay allows, at its retryDate, with its referenceData:
  // the same payment, amount included (20.05 is recovered by its first retry).
  const first = await flexpay.charge(card(2005, "f1"));
  assert.equal(first.status, 200);
  assert.match(first.type, /^application\/json/);
  assert.equal(first.body.transaction.responseCode, "20000");
  const { retryDate, referenceData, retryCount } = first.body.transaction;
  clock = new Date(retryDate);
  // Another amount under this referenceData is another payment: refused, and not an attempt.
  const other = card(1000, "f1-r0");
  Object.assign(other.transaction, { retryCount: retryCount + 1, referenceData });
  const refused = (await flexpay.charge(other)).body.transaction;
  assert.equal(refused.responseCode, "50132");
  assert.match(refused.message, /amount 1000 \(10\.00 USD\) is not this payment's amount 2005 \(20\.05 USD\)/);
  const retry = card(2005, "f1-r1");
  Object.assign(retry.transaction, { retryCount: retryCount + 1, referenceData });
  const second = await flexpay.charge(retry);
  assert.equal(second.body.transaction.responseCode, "10000");
  assert.equal(second.body.transaction.retryCount, retryCount + 1);

  // Follow-ups and reads by path.
  const auth = (await flexpay.authorize(card(1500, "f2"))).body.transaction;
  const captured = await flexpay.capture(auth.transactionId, { transaction: { merchantTransactionId: "f2-cap", amount: 1500 } });
  assert.equal(captured.body.transaction.transactionType, "Capture");
  const refunded = await flexpay.refund(captured.body.transaction.transactionId, { transaction: { merchantTransactionId: "f2-ref", amount: 500 } });
  assert.equal(refunded.body.transaction.transactionStatus, 1);
  assert.equal((await flexpay.get(auth.transactionId)).body.transaction.transactionId, auth.transactionId);
  assert.equal((await flexpay.byMerchantId("f1-r1")).body.transaction.orderId, "o-f1-r1");
  // An unknown id on a follow-up is a 200 with 50131, as FlexPay answers it.
  const unknown = await flexpay.refund("NOSUCHTRANSACTION00000000", { transaction: { merchantTransactionId: "x", amount: 1 } });
  assert.equal(unknown.status, 200);
  assert.equal(unknown.body.transaction.responseCode, "50131");

  // The list takes its query string; count is a number there.
  const page = await flexpay.list({ order: "desc", count: "2" });
  assert.equal(page.status, 200);
  assert.equal(page.body.transactions.length, 2);
  assert.deepEqual(page.body, sandbox.listTransactions(key, { order: "desc", count: 2 }));

  // The vault over HTTP: create, read, update, redact; the redacted card is refused.
  const stored = await flexpay.vault({ paymentMethod: { customerId: "c9", creditCard: {
    creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030", cvv: "123",
    firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY", country: "US" } } });
  const id = stored.body.transaction.paymentMethod.paymentMethodId;
  assert.equal((await flexpay.method(id)).body.paymentMethod.storageState, "Stored");
  assert.equal((await flexpay.update(id, { paymentMethod: { city: "Boston" } })).body.transaction.transactionType, "UpdatePaymentMethod");
  assert.equal((await flexpay.redact(id)).body.transaction.paymentMethod.storageState, "Redacted");
  const byId = card(1000, "f3");
  delete byId.transaction.paymentMethod;
  byId.transaction.paymentMethodId = id;
  assert.equal((await flexpay.charge(byId)).body.transaction.responseCode, "50136");
  sandbox.free();
});

test("createFetch: HTTP errors come as FlexPay gives them; misuse is thrown", async () => {
  const sandbox = new Sandbox(12);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const fetch = sandbox.createFetch({ now: () => T0 });
  const flexpay = flexpayClient(fetch, key);

  // No key, a wrong key.
  const anonymous = await fetch("https://api.flexpay.io/v1/gateways/charge", { method: "POST", body: "{}" });
  assert.equal(anonymous.status, 401);
  assert.equal((await anonymous.json()).code, "unauthorized");
  assert.equal((await flexpayClient(fetch, "bm9zdWNoa2V5").charge(card(1000, "e0"))).status, 401);
  // Not JSON, no body, nothing editable.
  const broken = await fetch("https://api.flexpay.io/v1/gateways/charge", { method: "POST", headers: { authorization: `basic ${key}` }, body: "{not json" });
  assert.equal(broken.status, 400);
  assert.deepEqual(await broken.json(), { code: "malformed_request", message: "the body is not JSON: expected a key in double quotes or '}' at line 1, column 2" });
  // The answer says where, never what: a CRM logs these bodies, card data and all.
  const leaky = await fetch("https://api.flexpay.io/v1/gateways/charge", {
    method: "POST", headers: { authorization: `basic ${key}` },
    body: '{"transaction":{"paymentMethod":{"creditCardNumber":"4920201996449560","cvv":\'879\'}}}',
  });
  assert.equal(leaky.status, 400);
  const leakyText = await leaky.text();
  for (const secret of ["879", "9560", "4920"]) assert.ok(!leakyText.includes(secret), leakyText);
  assert.match(leakyText, /line 1, column 78/);
  // A body of megabytes is refused for its size, not read token by token.
  const huge = await fetch("https://api.flexpay.io/v1/gateways/charge", {
    method: "POST", headers: { authorization: `basic ${key}` }, body: `{"transaction":{"orderId":"${"x".repeat(9_000_000)}`,
  });
  assert.deepEqual([huge.status, (await huge.json()).message], [400, "the body is not JSON: the text is over 64 KiB, more than any request body"]);
  assert.equal((await flexpay.call("POST", "/v1/gateways/charge")).status, 400);
  const created = await flexpay.vault({ paymentMethod: { creditCard: {
    creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030",
    fullName: "Ada Lovelace", postalCode: "10001", city: "New York", state: "NY" } } });
  const id = created.body.transaction.paymentMethod.paymentMethodId;
  const nothing = await flexpay.call("PUT", `/v1/paymentmethods/${id}`);
  assert.deepEqual([nothing.status, nothing.body.code], [400, "no_editable_field"]);
  // Unknown paths and methods.
  const missing = await flexpay.call("GET", "/v1/customers");
  assert.deepEqual([missing.status, missing.body.code], [404, "not_found"]);
  assert.equal((await flexpay.method("NOSUCHMETHOD")).status, 404);
  const wrongMethod = await fetch("https://api.flexpay.io/v1/gateways/charge", { headers: { Authorization: `Basic ${key}` } });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get("allow"), "POST");
  // The connectivity check needs no key.
  const health = await fetch("https://api.flexpay.io/api/test");
  assert.equal(health.status, 200);
  assert.equal(typeof (await health.json()).message, "string");
  // A Request object works as well as a URL and init.
  const request = new Request("https://api.flexpay.io/v1/gateways/charge", {
    method: "POST", headers: { Authorization: `Basic ${key}` }, body: JSON.stringify(card(1000, "e1")),
  });
  assert.equal((await (await fetch(request)).json()).transaction.responseCode, "10000");

  // Misuse is a coded Error, not an HTTP answer.
  assert.throws(() => sandbox.createFetch({ now: 5 }), (e) => e.code === "invalid_argument");
  assert.throws(() => sandbox.createFetch(7), (e) => e.code === "invalid_argument");
  const badClock = sandbox.createFetch({ now: () => "yesterday" });
  await assert.rejects(flexpayClient(badClock, key).charge(card(1000, "e2")), (e) => e.code === "invalid_date" && e.status === undefined);
  // Whether or not the call needs the time: the reads, the lists and the health check fail too,
  // so a broken clock fails a client's first request, as the Flexiti sandbox's does.
  for (const broken of [() => "yesterday", () => new Date(Number.NaN), () => undefined, () => null]) {
    const brokenFetch = sandbox.createFetch({ now: broken });
    for (const path of ["/api/test", "/v1/transactions", "/v1/paymentmethods", "/v1/transactions/nothing"]) {
      await assert.rejects(brokenFetch(`https://api.flexpay.io${path}`, { headers: { Authorization: `Basic ${key}` } }),
        (e) => (e.code === "invalid_date" || e.code === "invalid_argument") && /\bnow\b/.test(e.message), path);
    }
  }
  sandbox.free();
  await assert.rejects(flexpay.charge(card(1000, "e3")), (e) => e.code === "freed_object");
  // Every request through a freed sandbox's fetch: the health check and paths it has no
  // route for too, so a test suite that tore it down does not find it half working.
  for (const [url, init] of [["https://api.flexpay.io/api/test", {}], ["https://api.flexpay.io/v1/nothing", {}],
    ["https://api.flexpay.io/v1/transactions", { method: "DELETE" }]]) {
    await assert.rejects(fetch(url, init), (e) => e.code === "freed_object", url);
  }
  assert.throws(() => sandbox.createFetch(), (e) => e.code === "freed_object");
});

test("createFetch answers api.flexpay.io only; an aborted signal rejects as fetch does", async () => {
  const sandbox = new Sandbox(14);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const fetch = sandbox.createFetch({ now: () => T0 });
  const headers = { Authorization: `Basic ${key}` };
  for (const url of ["https://sandbox-api.flexpay.io/v1/transactions", "https://evil.example/v1/transactions",
    "http://api.flexpay.io/v1/transactions", "https://api.flexpay.io.example/v1/transactions"]) {
    await assert.rejects(fetch(url, { headers }),
      (e) => e instanceof Error && e.code === "unknown_host" && e.message.includes(new URL(url).origin) && /base URL/.test(e.message), url);
  }
  for (const relative of ["/v1/transactions", "v1/transactions", "//api.flexpay.io/v1/transactions", ""]) {
    await assert.rejects(fetch(relative, { headers }), (e) => e.code === "unknown_host" && /without scheme and host/.test(e.message), relative);
  }
  assert.equal((await fetch("https://API.FLEXPAY.IO:443/v1/transactions", { headers })).status, 200);
  assert.equal((await fetch("https://api.flexpay.io/v1/transactions", { headers })).status, 200);
  const reason = new Error("timed out");
  const charge = { method: "POST", headers, body: JSON.stringify(card(1000, "ab1")) };
  await assert.rejects(fetch("https://api.flexpay.io/v1/gateways/charge", { ...charge, signal: AbortSignal.abort(reason) }), (e) => e === reason);
  // Nothing was charged by the aborted request.
  assert.equal(sandbox.listTransactions(key).transactions.length, 0);
  sandbox.free();
});

test("createFetch: junk of every kind resolves to an answer or rejects with a coded Error", async () => {
  const sandbox = new Sandbox(13);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const fetch = sandbox.createFetch({ now: () => T0 });
  // Each path alone (refused: no scheme and host) and on FlexPay's host (answered).
  const inputs = [undefined, null, 5, "", "not a url", "/", "//", "/v1", "/v1/gateways/charge/extra", "/v1/%E0%A4%A",
    "https://api.flexpay.io/v1/transactions/%00", new URL("https://elsewhere.example/v1/transactions"), {}, [], Symbol.iterator]
    .flatMap((input) => typeof input === "string" && input.startsWith("/") ? [input, `https://api.flexpay.io${input}`] : [input]);
  const inits = [undefined, null, 7, {}, { method: "DELETE" }, { method: "POST", body: "\uD800" }, { method: "GET", body: "{}" },
    { method: "POST", headers: { Authorization: `Basic ${key}` }, body: "[1,2" }, { headers: { Authorization: "Basic" } },
    { method: "PUT", headers: { Authorization: `Basic ${key}` }, body: new Uint8Array([255, 0, 1]) },
    { get method() { throw new Error("getter"); } }];
  let answered = 0;
  for (const input of inputs) {
    for (const init of inits) {
      try {
        const response = await fetch(input, init);
        assert.ok(response instanceof Response);
        assert.equal(typeof (await response.json()), "object");
        answered++;
      } catch (error) {
        assert.ok(error instanceof Error, String(error));
        assert.equal(typeof error.code, "string", error.stack);
      }
    }
  }
  assert.ok(answered > 20, `${answered} answers`);
  // The sandbox still answers correctly afterwards.
  const ok = await fetch("https://api.flexpay.io/v1/gateways/charge", { method: "POST", headers: { Authorization: `Basic ${key}` }, body: JSON.stringify(card(1000, "j1")) });
  assert.equal((await ok.json()).transaction.responseCode, "10000");
});

test("README: a fetch-based client against the sandbox", async () => {
  const sandbox = new Sandbox(21);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-04-01T00:00:00Z" });
  let clock = "2026-04-01T00:00:00Z";
  const fetch = sandbox.createFetch({ now: () => clock });
  const response = await fetch("https://api.flexpay.io/v1/gateways/charge", {
    method: "POST",
    headers: { Authorization: `Basic ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify(rebill("m-21", 2008, visa)),
  });
  assert.equal(response.status, 200);
  const { transaction } = await response.json();
  assert.equal(transaction.responseCode, "20003");
  assert.equal(typeof transaction.retryDate, "string");
  clock = transaction.retryDate;
  const page = await fetch(`https://api.flexpay.io/v1/transactions?order=desc&count=10`, {
    headers: { Authorization: `Basic ${key}` },
  });
  assert.equal((await page.json()).transactions.length, 1);
  sandbox.free();
});

// A charge body with one change: a field removed (`undefined`) or given another value.
const edited = (changes, paymentMethodChanges = {}) => {
  const body = card(1000, "bad-1");
  const apply = (target, edits) => {
    for (const [name, value] of Object.entries(edits)) {
      if (value === undefined) delete target[name];
      else target[name] = value;
    }
  };
  apply(body.transaction, changes);
  apply(body.transaction.paymentMethod ?? {}, paymentMethodChanges);
  return body;
};
// What FlexPay answers for each (reference §10.5), and where the problem is.
const INVALID_CHARGES = [
  ["no merchantTransactionId", edited({ merchantTransactionId: undefined }), "50103", "transaction.merchantTransactionId"],
  ["no orderId", edited({ orderId: undefined }), "50126", "transaction.orderId"],
  ["no currencyCode", edited({ currencyCode: undefined }), "50045", "transaction.currencyCode"],
  ["no paymentMethod", edited({ paymentMethod: undefined }), "50135", "transaction.paymentMethod"],
  ["no creditCardNumber", edited({}, { creditCardNumber: undefined }), "50059", "transaction.paymentMethod.creditCardNumber"],
  ["no expiryMonth", edited({}, { expiryMonth: undefined }), "50055", "transaction.paymentMethod.expiryMonth"],
  ["amount 29.99", edited({ amount: 29.99 }), "50137", "transaction.amount"],
  ["retryCount -1", edited({ retryCount: -1 }), "50000", "transaction.retryCount"],
  ["expiryMonth 7", edited({}, { expiryMonth: 7 }), "50056", "transaction.paymentMethod.expiryMonth"],
];
/** A refusal as FlexPay words it: declined, the code, the path first, no parser internals. */
function assertRefused(transaction, code, path, label) {
  assert.equal(transaction.transactionStatus, 2, label);
  assert.equal(transaction.responseCode, code, label);
  assert.ok(transaction.message.startsWith(`${path}: `), `${label}: ${transaction.message}`);
  assert.doesNotMatch(transaction.message, /expected (i64|u32|a string)|line \d+ column|invalid type|missing field/, label);
}

test("an invalid charge body is answered as FlexPay answers it, through the typed call and createFetch", async () => {
  const sandbox = new Sandbox(31);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const flexpay = flexpayClient(sandbox.createFetch({ now: () => T0 }), key);
  for (const [label, body, code, path] of INVALID_CHARGES) {
    const typed = sandbox.charge(key, body, T0).transaction;
    assertRefused(typed, code, path, label);
    assert.equal(sandbox.getTransaction(key, typed.transactionId).transaction.responseCode, code, "stored");
    assertRefused(sandbox.authorize(key, body, T0).transaction, code, path, `${label}, authorize`);
    const fetched = await flexpay.charge(body);
    assert.equal(fetched.status, 200, label);
    assertRefused(fetched.body.transaction, code, path, `${label}, fetch`);
    assertRefused((await flexpay.authorize(body)).body.transaction, code, path, `${label}, fetch authorize`);
  }
  // The hint about a misspelt field is kept, but FlexPay answers for the field it misses.
  const misspelt = edited({ merchantTransactionId: undefined, merchantTransactionID: "bad-2" });
  const answer = sandbox.charge(key, misspelt, T0).transaction;
  assertRefused(answer, "50103", "transaction.merchantTransactionId", "misspelt");
  assert.match(answer.message, /\(and 1 more problem\)$/);
  // A body without its envelope holds no request, through either door: 50003.
  const bare = card(1000, "bare-1").transaction;
  for (const answer of [sandbox.charge(key, bare, T0).transaction, (await flexpay.charge(bare)).body.transaction]) {
    assert.deepEqual([answer.transactionStatus, answer.responseCode], [2, "50003"]);
    assert.match(answer.message, /^the body has no "transaction" object/);
  }
  // A refused request does not use up its merchantTransactionId.
  assert.equal(sandbox.charge(key, card(1000, "bad-1"), T0).transaction.responseCode, "10000");
  sandbox.free();
});

test("a body refused for an amount it could not read shows no amount, never an invented 0", async () => {
  const sandbox = new Sandbox(33);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const unread = [["a string", "10.00"], ["a fraction", 29.99], ["a boolean", true], ["an object", { value: 1000 }], ["missing", undefined]];
  for (const [label, amount] of unread) {
    const refused = sandbox.charge(key, edited({ merchantTransactionId: `amt-${label}`, amount }), T0).transaction;
    assert.deepEqual([refused.transactionStatus, refused.responseCode, refused.amount], [2, "50137", null], label);
    assert.equal(sandbox.getTransaction(key, refused.transactionId).transaction.amount, null, label);
  }
  const listed = sandbox.listTransactions(key, { count: 100 }).transactions;
  assert.equal(listed.length, unread.length);
  // The list leaves out what a transaction does not have.
  const amounts = (list) => list.map((t) => ("amount" in t ? t.amount : "absent"));
  assert.deepEqual(amounts(listed), listed.map(() => "absent"));
  // Kept so in the snapshot, also after JSON.parse and JSON.stringify.
  const restored = Sandbox.fromSnapshot(JSON.stringify(JSON.parse(sandbox.snapshot())));
  assert.deepEqual(amounts(restored.listTransactions(key, { count: 100 }).transactions), listed.map(() => "absent"));
  // An amount that was read is shown as sent, even when another field refuses the body.
  const zero = sandbox.charge(key, edited({ merchantTransactionId: "amt-zero", amount: 0, retryCount: -1 }), T0).transaction;
  assert.deepEqual([zero.transactionStatus, zero.amount], [2, 0]);
  // The same over createFetch, and for a follow-up's amount.
  const flexpay = flexpayClient(sandbox.createFetch({ now: () => T0 }), key);
  const fetched = await flexpay.charge(edited({ merchantTransactionId: "amt-fetch", amount: "10.00" }));
  assert.deepEqual([fetched.status, fetched.body.transaction.responseCode, fetched.body.transaction.amount], [200, "50137", null]);
  const charged = sandbox.charge(key, card(1000, "amt-paid"), T0).transaction;
  const refund = sandbox.refund(key, charged.transactionId, { transaction: { merchantTransactionId: "amt-refund", amount: "5" } }, T0).transaction;
  assert.deepEqual([refund.transactionStatus, refund.responseCode, refund.amount], [2, "50137", null]);
  // A body without its envelope holds no request, and so no amount.
  const bare = sandbox.charge(key, card(1000, "amt-bare").transaction, T0).transaction;
  assert.deepEqual([bare.transactionStatus, bare.responseCode, bare.amount], [2, "50003", null]);
  restored.free();
  sandbox.free();
});

test("invalid follow-up and vault bodies are answered too; only a body that is no object is a 400", async () => {
  const sandbox = new Sandbox(32);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const flexpay = flexpayClient(sandbox.createFetch({ now: () => T0 }), key);
  const charged = sandbox.charge(key, card(1000, "f-1"), T0).transaction.transactionId;
  const authorized = sandbox.authorize(key, card(1000, "f-2"), T0).transaction.transactionId;
  const followUps = [
    ["capture", authorized, { transaction: { amount: 100 } }, "50103", "transaction.merchantTransactionId"],
    ["void", charged, { transaction: { merchantTransactionId: 7 } }, "50000", "transaction.merchantTransactionId"],
    ["refund", charged, { transaction: { merchantTransactionId: "r-1", amount: "5.00" } }, "50137", "transaction.amount"],
    ["refundedPayment", charged, { transaction: { merchantTransactionId: "r-2", amount: 1.5 } }, "50137", "transaction.amount"],
  ];
  for (const [kind, id, body, code, path] of followUps) {
    assertRefused(sandbox[kind](key, id, body, T0).transaction, code, path, kind);
    const fetched = await flexpay.call("POST", `/v1/transactions/${id}/${kind.toLowerCase()}`, body);
    assert.equal(fetched.status, 200, kind);
    assertRefused(fetched.body.transaction, code, path, `${kind}, fetch`);
  }
  // Nothing was captured, voided or refunded by them.
  assert.equal(sandbox.capture(key, authorized, { transaction: { merchantTransactionId: "c-1" } }, T0).transaction.responseCode, "10000");
  assert.equal(sandbox.refund(key, charged, { transaction: { merchantTransactionId: "r-3" } }, T0).transaction.amount, 1000);

  const wrongMonth = visaToVault();
  wrongMonth.paymentMethod.creditCard.expiryMonth = 7;
  assertRefused(sandbox.createPaymentMethod(key, wrongMonth, T0).transaction, "50056", "paymentMethod.creditCard.expiryMonth", "create");
  assertRefused((await flexpay.vault(wrongMonth)).body.transaction, "50056", "paymentMethod.creditCard.expiryMonth", "create, fetch");
  const { paymentMethodId } = sandbox.createPaymentMethod(key, visaToVault(), T0).transaction.paymentMethod;
  const update = { paymentMethod: { expiryYear: 2031, city: "Boston" } };
  assertRefused(sandbox.updatePaymentMethod(key, paymentMethodId, update, T0).transaction, "50058", "paymentMethod.expiryYear", "update");
  assertRefused((await flexpay.update(paymentMethodId, update)).body.transaction, "50058", "paymentMethod.expiryYear", "update, fetch");
  assert.equal(sandbox.getPaymentMethod(key, paymentMethodId).paymentMethod.city, "New York", "nothing changed");
  const recache = { paymentMethod: { creditCard: { cvv: 879 } } };
  const recached = sandbox.recachePaymentMethod(key, paymentMethodId, recache, T0).transaction;
  assertRefused(recached, "50000", "paymentMethod.creditCard.cvv", "recache");
  assert.ok(!recached.message.includes("879"), "no CVV in a message");
  const fetchedRecache = await flexpay.call("PUT", `/v1/paymentmethods/${paymentMethodId}/recache`, recache);
  assertRefused(fetchedRecache.body.transaction, "50000", "paymentMethod.creditCard.cvv", "recache, fetch");

  // No request at all: not JSON, or JSON that is not an object.
  const fetch = sandbox.createFetch({ now: () => T0 });
  for (const body of ["[1,2]", '"charge"', "7", '{"transaction":5}', "{not json"]) {
    const response = await fetch("https://api.flexpay.io/v1/gateways/charge", { method: "POST", headers: { Authorization: `Basic ${key}` }, body });
    assert.equal(response.status, 400, body);
    const answer = await response.json();
    assert.equal(answer.code, "malformed_request", body);
    assert.match(answer.message, /JSON/, body);
  }
  for (const body of [[1, 2], "charge", 7, { transaction: 5 }, null]) {
    assert.throws(() => sandbox.charge(key, body, T0), (e) => e.code === "malformed_request" && e.status === 400 && /JSON object/.test(e.message), JSON.stringify(body));
  }
  sandbox.free();
});

test("createFetch answers a bad list query with HTTP 400 naming the parameter", async () => {
  const sandbox = new Sandbox(33);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const flexpay = flexpayClient(sandbox.createFetch({ now: () => T0 }), key);
  const charged = sandbox.charge(key, card(1000, "q-1"), T0).transaction.transactionId;
  const cases = [
    ["count=abc", /^count must be a whole number of items per page, 1 to 100 \(20 when left out\), not "abc"$/],
    ["count=-1", /^count must be a whole number/],
    ["count=2.5", /^count must be a whole number/],
    // Out of range: refused in the same words, never served clamped (FlexPay documents 1 to 100).
    ["count=0", /^count must be a whole number of items per page, 1 to 100 \(20 when left out\), not 0$/],
    ["count=101", /^count must be a whole number of items per page, 1 to 100 \(20 when left out\), not 101$/],
    ["count=1000", /^count must be a whole number of items per page, 1 to 100 \(20 when left out\), not 1000$/],
    ["count=99999999999", /^count must be a whole number of items per page, 1 to 100 \(20 when left out\), not 99999999999\.?$/],
    ["order=DESC", /"DESC" is not a value of "order": did you mean "desc"\?/],
    ["order=newest", /"newest" is not a value of "order"; use one of "asc", "desc"\./],
    ["responseType=full", /"full" is not a value of "responseType"; use one of "simplified"\./],
  ];
  for (const path of ["/v1/transactions", "/v1/paymentmethods"]) {
    for (const [query, message] of cases) {
      const answer = await flexpay.call("GET", `${path}?${query}`);
      assert.equal(answer.status, 400, `${path}?${query}`);
      assert.equal(answer.body.code, "invalid_list_query", query);
      assert.match(answer.body.message, message, query);
      assert.doesNotMatch(answer.body.message, /expected u32|line \d+ column|invalid type|4294967295/, query);
    }
  }
  // Good values still page; a query on a call that takes none is ignored, as FlexPay does.
  assert.equal((await flexpay.call("GET", "/v1/transactions?order=desc&count=1&unknown=x")).body.transactions.length, 1);
  assert.equal((await flexpay.call("GET", "/v1/transactions?count=100")).body.transactions.length, 1);
  assert.equal((await flexpay.call("GET", `/v1/transactions/${charged}?count=abc`)).status, 200);
  // The typed calls answer a value of the wrong type the same way; a query that is no object is misuse.
  assert.throws(() => sandbox.listTransactions(key, { count: "abc" }),
    (e) => e.code === "invalid_list_query" && e.status === 400 &&
      e.message === "count must be a whole number of items per page, 1 to 100 (20 when left out), not a string.");
  for (const count of [0, 101, 1.5]) {
    assert.throws(() => sandbox.listTransactions(key, { count }),
      (e) => e.code === "invalid_list_query" && e.status === 400 &&
        e.message.startsWith(`count must be a whole number of items per page, 1 to 100 (20 when left out), not ${count}`), String(count));
  }
  assert.throws(() => sandbox.listPaymentMethods(key, { order: "DESC" }),
    (e) => e.code === "invalid_list_query" && e.status === 400 && /did you mean "desc"/.test(e.message));
  assert.throws(() => sandbox.listTransactions(key, "count=5"), (e) => e.code === "invalid_argument");
  sandbox.free();
});

test("a snapshot whose id counters are at their last value gives that id once, then refuses, and always reads back", () => {
  const sandbox = new Sandbox(5);
  sandbox.generateApiKey("a", { now: T0 });
  const edited = JSON.parse(sandbox.snapshot());
  edited.nextApiKeyId = 4294967294;
  edited.nextAutoRetryId = 4294967294;
  const last = Sandbox.fromSnapshot(JSON.stringify(edited));
  const { key } = last.generateApiKey("last", { now: T0 });
  last.addAutoRetry("last", { now: T0 });
  const written = last.snapshot();
  assert.throws(() => last.generateApiKey("one more", { now: T0 }), (e) => e.code === "ids_exhausted" && /nextApiKeyId is 4294967295/.test(e.message));
  assert.throws(() => last.addAutoRetry("one more", { mode: "production", now: T0 }), (e) => e.code === "ids_exhausted" && /nextAutoRetryId/.test(e.message));
  assert.equal(last.snapshot(), written);
  // Two keys could never share the id, so the state written is one the sandbox reads back.
  const reread = Sandbox.fromSnapshot(written);
  assert.deepEqual(JSON.parse(reread.snapshot()).apiKeys.map((k) => k.id), [1, 4294967294]);
  // The last key still opens the sandbox: a lookup is refused for the id, not for the key.
  assert.throws(() => reread.getTransaction(key, "nope"), (e) => e.code === "transaction_not_found");
  sandbox.free();
  last.free();
  reread.free();
});

test("a snapshot passed through JSON.parse and JSON.stringify continues exactly like the original", () => {
  const sandbox = new Sandbox(34);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  sandbox.charge(key, card(2008, "s-1"), T0);
  sandbox.createPaymentMethod(key, visaToVault(), T0);
  const text = sandbox.snapshot();
  const parsed = JSON.parse(text);
  // The 64-bit values are strings: as numbers they would exceed 2^53 and be rounded.
  assert.equal(typeof parsed.rng, "string");
  assert.ok(BigInt(parsed.rng) > 2n ** 53n, "this seed's stream state is beyond 2^53");
  assert.equal(parsed.seed, "34");
  const next = (restored) => [1, 2, 3].map((n) => restored.charge(key, card(1000 + n, `s-next-${n}`), T0).transaction.transactionId);
  const expected = next(Sandbox.fromSnapshot(text));
  for (const copy of [JSON.stringify(parsed), JSON.stringify(parsed, null, 2), JSON.stringify(JSON.parse(JSON.stringify(parsed, null, "\t")))]) {
    const restored = Sandbox.fromSnapshot(copy);
    assert.equal(restored.snapshot(), text);
    assert.deepEqual(next(restored), expected);
    restored.free();
  }
  // A version 3 snapshot (the stream state as a number) still loads, exactly when not rounded.
  const v3 = text.replace('"schemaVersion":4', '"schemaVersion":3').replace(/"(seed|rng)":"(\d+)"/g, '"$1":$2');
  assert.match(v3, /"rng":\d+,/);
  assert.deepEqual(next(Sandbox.fromSnapshot(v3)), expected);
  sandbox.free();
});

test("a snapshot that cannot be read is named by the path of the value at fault, never in serde's words", () => {
  const sandbox = new Sandbox(36);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  sandbox.addAutoRetry("nightly", { now: T0 });
  sandbox.setRecoveryLimits("DEFAULT", { maxRetries: 3 });
  const approved = sandbox.charge(key, rebill("w-1", 1000, visa), T0).transaction;
  sandbox.charge(key, rebill("w-2", 2008, { paymentMethodId: approved.paymentMethod.paymentMethodId }), T0);
  sandbox.charge(key, card(2008, "w-3"), T0);
  sandbox.createPaymentMethod(key, visaToVault(), T0);
  const text = sandbox.snapshot();
  const document = JSON.parse(text);
  const load = (edit) => {
    const copy = structuredClone(document);
    edit(copy);
    return () => Sandbox.fromSnapshot(JSON.stringify(copy, null, 2));
  };
  const malformed = (message) => (e) => {
    assert.equal(e.code, "snapshot_malformed", e.message);
    assert.match(e.message, message);
    return true;
  };
  const unreadable = (cause) => malformed(new RegExp(`^the sandbox snapshot is not readable \\(${cause}\\); load an earlier copy or start a new sandbox$`));
  assert.throws(load((d) => delete d.companies), unreadable("snapshot\\.companies is missing; add it"));
  assert.throws(load((d) => { d.transactions[0].amount = "10.00"; }), unreadable("snapshot\\.transactions\\[0\\]\\.amount must be a whole number, not a string"));
  assert.throws(load((d) => { d.apiKeys[0].mode = "Live"; }), unreadable('snapshot\\.apiKeys\\[0\\]\\.mode must be one of "Sandbox", "Production", not "Live"'));
  assert.throws(load((d) => { d.rng = "many"; }), unreadable('snapshot\\.rng must be a whole number from 0 to 18446744073709551615, as a string of digits, not "many"'));
  assert.throws(load((d) => { d.transactions = {}; }), unreadable("snapshot\\.transactions must be an array, not an object"));
  assert.throws(() => Sandbox.fromSnapshot("nope"), unreadable("snapshot is not JSON text \\(it stops making sense at character 2\\)"));
  assert.throws(() => Sandbox.fromSnapshot(text.slice(0, 100)),
    malformed(/^the sandbox snapshot is cut short \(its JSON text ends before its last value does\); the save was interrupted: /));
  // Every damaged form of it is refused in the API's words.
  const refused = refusalsInPlainWords(assert, text, (damagedText) => Sandbox.fromSnapshot(damagedText).free());
  assert.ok(refused > 1000, `${refused} refusals`);
  sandbox.free();
});

test("JSON.stringify(sandbox) embeds its snapshot, as for FlexitiSandbox", () => {
  const sandbox = new Sandbox(35);
  sandbox.generateApiKey("ci", { now: T0 });
  const text = sandbox.snapshot();
  assert.equal(sandbox.toJSON(), text);
  assert.equal(JSON.stringify(sandbox), JSON.stringify(text));
  const saved = JSON.parse(JSON.stringify({ saved: sandbox }));
  assert.equal(saved.saved, text);
  assert.equal(Sandbox.fromSnapshot(saved.saved).snapshot(), text);
  sandbox.free();
  assert.throws(() => JSON.stringify(sandbox), (e) => e.code === "freed_object");
});

test("createFetch: each response's url is the request's, as fetch sets it, whatever its status", async () => {
  const sandbox = new Sandbox(36);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const fetch = sandbox.createFetch({ now: () => T0 });
  const headers = { authorization: `Basic ${key}` };
  const charged = await fetch("https://api.flexpay.io/v1/gateways/charge#top", {
    method: "POST", headers, body: JSON.stringify(card(1000, "url-1")),
  });
  assert.equal(charged.status, 200);
  assert.equal(charged.url, "https://api.flexpay.io/v1/gateways/charge", "without the fragment, as fetch");
  // Refusals carry the url too.
  for (const [path, init, status] of [
    ["/v1/transactions?order=desc&count=5", { headers }, 200],
    ["/v1/transactions?count=abc", { headers }, 400],
    ["/v1/transactions", {}, 401],
    ["/v1/nothing", { headers }, 404],
    ["/v1/transactions", { method: "DELETE", headers }, 405],
  ]) {
    const response = await fetch(`https://api.flexpay.io${path}`, init);
    assert.equal(response.status, status, path);
    assert.equal(response.url, `https://api.flexpay.io${path}`, path);
    // A path alone, what a client with an empty base URL asks for: Node's fetch cannot send
    // it and a browser's sends it to the page's host, so it is no FlexPay request here either.
    await assert.rejects(fetch(path, init), (e) => e instanceof Error && e.code === "unknown_host"
      && e.message.includes(JSON.stringify(path)) && /without scheme and host/.test(e.message) && /base URL/.test(e.message), path);
  }
  const request = new Request("https://api.flexpay.io/api/test");
  const test = await fetch(request);
  assert.equal(test.url, request.url);
  assert.equal(Object.keys(test).length, 0, "url is not an own enumerable key");
  sandbox.free();
});

test("snapshot hand edits the calls never make are refused: two companies with one code, a chain's amount or currency not its payment's", () => {
  const sandbox = new Sandbox(37);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  sandbox.createCompany("Northwind", "NWS01", T0);
  const declined = sandbox.charge(key, card(2008, "edit-1"), T0).transaction;
  assert.equal(declined.responseCode, "20003");
  const saved = sandbox.snapshot();
  const edited = (edit) => {
    const document = JSON.parse(saved);
    edit(document);
    return () => Sandbox.fromSnapshot(JSON.stringify(document));
  };
  const refused = (message) => (e) => e.code === "snapshot_inconsistent" && message.test(e.message);
  for (const code of ["DEFAULT", "default"]) {
    assert.throws(edited((d) => { d.companies[1].code = code; }),
      refused(new RegExp(`company 1 has the code "${code}" of company 0; no two companies share a code`)));
  }
  assert.throws(edited((d) => { d.chains[0].amount = 2009; }),
    refused(new RegExp(`chain 0 has amount 2009, but its first attempt, transaction ${declined.transactionId}, has 2008`)));
  assert.throws(edited((d) => { d.chains[0].currency = "EUR"; }),
    refused(/chain 0 has currency EUR, but its first attempt, transaction \w+, has USD/));
  // Still accepted: the document as written, and rng as a number (versions 1 to 3 wrote one).
  assert.equal(Sandbox.fromSnapshot(saved).snapshot(), saved);
  const rng = JSON.parse(saved);
  rng.rng = 12345;
  assert.doesNotThrow(() => Sandbox.fromSnapshot(JSON.stringify(rng)).free());
  sandbox.free();
});

test("two charges with one merchantTransactionId: the second is refused with 50129 and both are kept, so such a snapshot loads", async () => {
  const sandbox = new Sandbox(38);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const first = sandbox.charge(key, card(1000, "same-1"), T0).transaction;
  assert.equal(first.responseCode, "10000");
  const fetch = sandbox.createFetch({ now: () => "2026-01-01T01:00:00Z" });
  const response = await fetch("https://api.flexpay.io/v1/gateways/charge", {
    method: "POST", headers: { authorization: `Basic ${key}` }, body: JSON.stringify(card(1500, "same-1")),
  });
  const second = (await response.json()).transaction;
  assert.equal(second.responseCode, "50129");
  assert.equal(second.merchantTransactionId, "same-1");
  assert.equal(sandbox.transactionCount, 2);
  const listed = sandbox.listTransactions(key).transactions.map((t) => t.transactionId);
  assert.deepEqual(listed, [first.transactionId, second.transactionId]);
  assert.equal(sandbox.getTransactionByMerchantId(key, "same-1").transaction.transactionId, first.transactionId);
  const saved = sandbox.snapshot();
  const restored = Sandbox.fromSnapshot(saved);
  assert.equal(restored.snapshot(), saved);
  assert.equal(restored.getTransactionByMerchantId(key, "same-1").transaction.transactionId, first.transactionId);
  restored.free();
  sandbox.free();
});

test("the simplified list shows initialMerchantTransactionId null for a charge sent without one, as the transaction echoes it", () => {
  const sandbox = new Sandbox(39);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const unsent = card(1000, "x");
  delete unsent.transaction.merchantTransactionId;
  const refused = sandbox.charge(key, unsent, T0).transaction;
  assert.equal(refused.responseCode, "50103");
  assert.equal(refused.merchantTransactionId, null);
  assert.equal(sandbox.getTransaction(key, refused.transactionId).transaction.merchantTransactionId, null);
  const sent = sandbox.charge(key, card(1000, "sent-1"), "2026-01-01T01:00:00Z").transaction;
  const { transactions } = sandbox.listTransactions(key, { responseType: "simplified" });
  assert.deepEqual(transactions.map((t) => [t.transactionId, t.initialMerchantTransactionId]),
    [[refused.transactionId, null], [sent.transactionId, "sent-1"]]);
  sandbox.free();
});

test("refundedPayment answers transactionType RefundedPayment, one of the declared TransactionType values", () => {
  const sandbox = new Sandbox(40);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const declined = sandbox.charge(key, card(2008, "rp-1"), T0).transaction;
  const notice = sandbox.refundedPayment(key, declined.transactionId, { transaction: { merchantTransactionId: "rp-2" } }, T0).transaction;
  assert.equal(notice.transactionStatus, 1, notice.message);
  assert.equal(notice.transactionType, "RefundedPayment");
  sandbox.free();
});

test("README: companies, API keys and a Production key refused", () => {
  const crm = new Sandbox(13);
  const now = "2026-06-01T00:00:00Z";
  assert.deepEqual(crm.createCompany("Northwind", "NWS01", now), { name: "Northwind", code: "NWS01" });
  const { key: northwind } = crm.generateApiKey("ci", { company: "NWS01", now });
  const { key: live } = crm.generateApiKey("live", { company: "NWS01", mode: "production", now });
  assert.equal(crm.charge(northwind, rebill("m-13", 1000, visa), now).transaction.responseCode, "10000");
  assert.throws(() => crm.charge(live, rebill("m-14", 1000, visa), now),
    (e) => e.code === "production_key_refused" && e.status === 403);
  assert.throws(() => crm.createCompany("Northwind again", "nws01", now), (e) => e.code === "company_code_taken");
  assert.throws(() => crm.createCompany("northwind", "NWS02", now), (e) => e instanceof Error && e.code === "company_name_taken" && /already named "northwind"/.test(e.message));
  crm.free();
});

test("the sandbox's three-digit CVV triggers reach the American Express test card", () => {
  const sandbox = new Sandbox(21);
  const now = "2026-06-01T00:00:00Z";
  const { key } = sandbox.generateApiKey("ci", { now });
  const amex = (id, cvv) => rebill(id, 1000, {
    paymentMethod: { ...visa.paymentMethod, creditCardNumber: "341674949684898", expiryMonth: "07", expiryYear: "2024", cvv },
  });
  const triggered = sandbox.charge(key, amex("amex-201", "201"), now).transaction;
  assert.equal(triggered.responseCode, "30049");
  assert.equal(triggered.response.cvvCode, "U");
  const matched = sandbox.charge(key, amex("amex-1000", "1000"), now).transaction;
  assert.equal(matched.responseCode, "10000");
  assert.equal(matched.response.cvvCode, "M");
  sandbox.free();
});
