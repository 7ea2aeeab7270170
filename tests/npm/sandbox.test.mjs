// `flexkit/sandbox`: RetryChain and the in-process FlexPay sandbox, from the packed tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

import { RetryChain, Sandbox, init, version } from "flexkit/sandbox";

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
  assert.match(run.appendixA.csv, /^Scenario,Description,Transaction ID\r\n/);
  assert.ok(JSON.parse(run.appendixA.json).length > 0);
  assert.equal(sandbox.runScenario(1, key, T0).reports[0].step, 1);
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
  const soft = chain.recordResponse({ responseCode: "20023", retryDate: "2026-01-05T00:00:00Z" }, "2026-01-02T00:00:01Z");
  assert.deepEqual(keys(soft), declared("from", "to", "decision", "countedAsAttempt", "reset", "next", "notes"));
  assert.deepEqual(soft.decision, { kind: "retryAt", at: "2026-01-05T00:00:00Z" });
  assert.deepEqual(soft.notes, [{ note: "missingReferenceData" }]);
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
  const rebill = (id, amount, paymentMethod) => ({
    transaction: {
      merchantTransactionId: id, orderId: "order-" + id, customerId: "cust-1", currencyCode: "USD",
      amount, retryCount: 1, referenceData: null, ...paymentMethod,
    },
  });
  const visa = {
    paymentMethod: {
      creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030",
      firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY",
    },
    retainOnSuccess: true,
  };
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
