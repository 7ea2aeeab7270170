// `RetryChain` of `flexkit/sandbox` from the packed tarball: what it refuses, how it ends, and
// that every attempt it hands out is one the `flexkit` validator and the sandbox accept.
import { test } from "node:test";
import assert from "node:assert/strict";

import { validateCharge } from "flexkit";
import { RetryChain, Sandbox } from "flexkit/sandbox";

import { refusalsInPlainWords } from "./damaged-documents.mjs";
import { rebill, visa } from "./readme-requests.mjs";

const T0 = "2026-01-01T00:00:00Z";
const DAY = 86_400_000;
const at = (ms) => new Date(ms).toISOString().replace(".000Z", "Z");
const later = (instant, days) => at(Date.parse(instant) + days * DAY);

/** A coded Error with `code` whose message matches `message`. */
const coded = (code, message) => (error) => {
  assert.ok(error instanceof Error, String(error));
  assert.equal(error.code, code, error.message);
  if (message !== undefined) assert.match(error.message, message);
  return true;
};


/** The charge a CRM sends for `attempt`: the chain's recovery fields on a rebill. */
const chargeFor = (attempt, amount = 2008) => {
  const id = attempt.merchantTransactionId.kind === "derived" ? attempt.merchantTransactionId.id : `m-${attempt.retryCount}`;
  const request = rebill(id, amount, visa);
  Object.assign(request.transaction, {
    retryCount: attempt.retryCount,
    referenceData: attempt.referenceData,
    dateFirstAttempt: attempt.dateFirstAttempt,
  });
  return request;
};

const accepted = (attempt) => {
  const result = validateCharge(chargeFor(attempt), { now: new Date(attempt.sentAt), environment: "sandbox" });
  assert.deepEqual(result.errors, [], JSON.stringify(attempt));
};

test("a soft decline without referenceData is refused, so nextAttempt never hands out one the validator refuses", () => {
  const chain = RetryChain.afterGatewayDecline("inv-1", T0);
  const first = chain.nextAttempt("2026-01-02T00:00:00Z");
  assert.equal(first.ok, true);
  accepted(first.attempt);

  // The QA case: the answer as the CRM kept it, without FlexPay's referenceData.
  const noReference = { responseCode: "20003", retryDate: "2026-01-03T00:00:00Z" };
  for (const referenceData of [undefined, null, ""]) {
    assert.throws(
      () => chain.recordResponse({ ...noReference, referenceData }, "2026-01-02T00:00:01Z"),
      coded("missing_reference_data", /retry at 2026-01-03T00:00:00Z but has no referenceData.*50132.*exactly as received.*without its retryDate/),
    );
  }
  // Nothing was recorded: the attempt still awaits its answer, and no retry is handed out.
  assert.equal(chain.status, "awaitingResponse");
  assert.equal(chain.snapshot().history.length, 0);
  assert.equal(chain.nextAttempt("2026-01-03T00:00:00Z").notReady.code, "awaiting_response");

  // Recorded as FlexPay sent it, the next attempt echoes the value and passes the validator.
  const t = chain.recordResponse({ ...noReference, referenceData: "UkVGLTE=" }, "2026-01-02T00:00:01Z");
  assert.deepEqual(t.next, { action: "sendAttempt", retryCount: 2, at: "2026-01-03T00:00:00Z" });
  assert.deepEqual(t.notes, []);
  const second = chain.nextAttempt("2026-01-03T00:00:00Z");
  assert.equal(second.attempt.retryCount, 2);
  assert.equal(second.attempt.referenceData, "UkVGLTE=");
  accepted(second.attempt);

  // A risk answer with a retryDate is retried too, so it needs one as well; without its
  // retryDate the same answer ends the recovery instead.
  assert.throws(
    () => chain.recordResponse({ responseCode: "40000", retryDate: "2026-01-04T00:00:00Z" }, "2026-01-03T00:00:01Z"),
    coded("missing_reference_data"),
  );
  const end = chain.recordResponse({ responseCode: "20003" }, "2026-01-03T00:00:01Z");
  assert.deepEqual(end.decision, { kind: "unrecoverable", reason: "softDeclineWithoutRetryDate" });
  chain.free();
});

test("a chain driven against the sandbox: every attempt passes the validator and the sandbox", () => {
  const sandbox = new Sandbox(11);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const chain = RetryChain.afterGatewayDecline("INV-7", T0, { merchantTransactionIdBase: "INV-7" });
  let now = "2026-01-02T00:00:00Z";
  const codes = [];
  for (let i = 0; i < 20 && !chain.snapshot().isTerminal; i++) {
    const next = chain.nextAttempt(now);
    assert.equal(next.ok, true, JSON.stringify(next));
    accepted(next.attempt);
    const answer = sandbox.charge(key, chargeFor(next.attempt), now);
    codes.push(answer.transaction.responseCode);
    assert.notEqual(answer.transaction.responseCode, "50132", "the sandbox linked the retry");
    const t = chain.recordResponse(answer, now);
    if (t.next.action === "sendAttempt") now = t.next.at;
  }
  assert.ok(codes.length >= 2, codes.join());
  assert.deepEqual(codes.slice(0, 2), ["20003", "20003"]);
  sandbox.free();
  chain.free();
});

test("derived merchantTransactionIds stay within FlexPay's 50 characters and unique per attempt", () => {
  const sandbox = new Sandbox(13);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  // The original payment's id, at FlexPay's limit, is the base of its retries' ids.
  const original = "SUB-2026-01-0000000000000000000000000000000000-042";
  assert.equal(original.length, 50);
  const chain = RetryChain.afterGatewayDecline("INV-50", T0, { merchantTransactionIdBase: original });
  let now = "2026-01-02T00:00:00Z";
  const ids = [];
  for (let i = 0; i < 30 && !chain.snapshot().isTerminal; i++) {
    const next = chain.nextAttempt(now);
    assert.equal(next.ok, true, JSON.stringify(next));
    const { id } = next.attempt.merchantTransactionId;
    ids.push(id);
    assert.ok(id.length <= 50, `${id} has ${id.length} characters`);
    const request = chargeFor(next.attempt);
    request.transaction.orderId = "order-50";
    const result = validateCharge(request, { now: new Date(next.attempt.sentAt), environment: "sandbox" });
    assert.deepEqual(result.errors, [], id);
    // The first send of the first retry is rejected as a bad request: its resend needs a new id.
    if (i === 0) request.transaction.currencyCode = "usd";
    const answer = sandbox.charge(key, request, now).transaction;
    assert.notEqual(answer.responseCode, "50104", `${id}: too long for FlexPay`);
    assert.notEqual(answer.responseCode, "50129", `${id}: used before`);
    const t = chain.recordResponse(answer, now);
    if (t.next.action === "sendAttempt") now = t.next.at;
  }
  assert.ok(ids.length >= 3, ids.join());
  assert.equal(new Set(ids).size, ids.length, ids.join());
  assert.ok(ids[0].startsWith("SUB-2026-01-") && ids[0].endsWith("-r1"), ids[0]);
  assert.ok(ids[1].endsWith("-r1-2"), ids[1]);
  // Two such bases that differ only at their end still derive different ids.
  const other = RetryChain.afterGatewayDecline("INV-51", T0, { merchantTransactionIdBase: original.replace(/042$/, "043") });
  assert.notEqual(other.nextAttempt("2026-01-02T00:00:00Z").attempt.merchantTransactionId.id, ids[0]);
  // A short base is kept as it is.
  const short = RetryChain.afterGatewayDecline("INV-52", T0, { merchantTransactionIdBase: "INV-52" });
  assert.equal(short.nextAttempt("2026-01-02T00:00:00Z").attempt.merchantTransactionId.id, "INV-52-r1");
  for (const c of [chain, other, short]) c.free();
  sandbox.free();
});

test("30100 (FlexPay's retry limit reached) ends the chain as exhausted", () => {
  const sandbox = new Sandbox(12);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  sandbox.setRecoveryLimits("DEFAULT", { maxRetries: 2 });
  const chain = RetryChain.afterGatewayDecline("INV-8", T0, { merchantTransactionIdBase: "INV-8" });
  let now = "2026-01-02T00:00:00Z";
  const first = chain.recordResponse(sandbox.charge(key, chargeFor(chain.nextAttempt(now).attempt), now), now);
  assert.equal(first.to, "scheduled");
  now = first.next.at;
  const answer = sandbox.charge(key, chargeFor(chain.nextAttempt(now).attempt), now);
  assert.equal(answer.transaction.responseCode, "30100");
  const t = chain.recordResponse(answer, now);
  assert.deepEqual(t.decision, { kind: "exhausted", limit: "flexPayLimit" });
  assert.equal(t.to, "exhausted");
  assert.deepEqual(t.next, { action: "nothing" });
  const { state } = chain.snapshot();
  assert.deepEqual(state, { status: "exhausted", at: now, limit: "flexPayLimit", code: "30100" });
  assert.equal(chain.nextAttempt(now).notReady.code, "chain_ended");
  // A late or repeated answer to the ended recovery is `chain_ended` too, not a misuse.
  assert.throws(() => chain.recordResponse(answer, now), { code: "chain_ended" });
  assert.throws(() => chain.abandonAttempt(), { code: "chain_ended" });
  // The stored chain says the same after a round trip.
  const back = RetryChain.fromJson(chain.toJson());
  assert.deepEqual(back.snapshot().state, state);
  back.free();
  sandbox.free();
  chain.free();
});

test("time runs forwards: answers, refunds and the first due date before their start are refused", () => {
  const chain = RetryChain.afterGatewayDecline("inv-2", T0, { amount: { minorUnits: 2008, currency: "USD" } });
  const sentAt = "2026-01-02T00:00:00Z";
  chain.nextAttempt(sentAt);
  assert.throws(
    () => chain.recordResponse({ responseCode: "10000", transactionId: "TXN-1" }, "2026-01-01T23:59:59Z"),
    coded("answered_before_sent", /recorded at 2026-01-01T23:59:59Z, before its attempt was handed out at 2026-01-02T00:00:00Z/),
  );
  assert.equal(chain.status, "awaitingResponse");
  const recoveredAt = "2026-01-02T00:00:05Z";
  chain.recordResponse({ responseCode: "10000", transactionId: "TXN-1" }, recoveredAt);
  assert.throws(
    () => chain.recordRefund("RF-1", 100, "2026-01-02T00:00:04Z"),
    coded("refund_before_recovery", /dated 2026-01-02T00:00:04Z, before the payment was recovered at 2026-01-02T00:00:05Z/),
  );
  assert.equal(chain.status, "recovered");
  // Minor units with a fraction are refused as formatAmount refuses them.
  for (const amount of [5.5, -0.25]) {
    assert.throws(() => chain.recordRefund("RF-0", amount, recoveredAt), coded("not_minor_units", /"amount" is .*, which has a fraction/));
  }
  assert.equal(chain.recordRefund("RF-1", 100, recoveredAt).to, "recoveredThenRefunded");
  // One refund is recorded once: again, or again as a full refund, is refused.
  for (const amount of [100, null]) {
    assert.throws(() => chain.recordRefund("RF-1", amount, recoveredAt), coded("duplicate_refund", /RF-1 is already recorded/));
  }
  assert.equal(chain.snapshot().state.refunds.length, 1);
  chain.free();

  assert.throws(
    () => RetryChain.afterGatewayDecline("inv-3", T0, { firstAttemptDueAt: "2025-12-31T23:59:59Z" }),
    coded("due_before_start", /^options\.firstAttemptDueAt 2025-12-31T23:59:59Z is before the gateway decline at 2026-01-01T00:00:00Z/),
  );
  assert.throws(
    () => RetryChain.initialAttemptThroughFlexPay("inv-3", T0, { firstAttemptDueAt: "2025-12-31T23:59:59Z" }),
    coded("due_before_start", /before the chain's creation/),
  );
  // Past the age limit the attempt could never be sent.
  assert.throws(
    () => RetryChain.afterGatewayDecline("inv-3", T0, { firstAttemptDueAt: "2026-01-11T00:00:01Z", policy: { maxAgeDays: 10 } }),
    coded("due_after_deadline", /^options\.firstAttemptDueAt 2026-01-11T00:00:01Z is after 2026-01-11T00:00:00Z/),
  );
  const atLimit = RetryChain.afterGatewayDecline("inv-3", T0, { firstAttemptDueAt: "2026-01-11T00:00:00Z", policy: { maxAgeDays: 10 } });
  assert.equal(atLimit.nextAttempt("2026-01-11T00:00:00Z").ok, true);
  atLimit.free();

  // Nor is an attempt handed out before the latest answer, whatever the clock says.
  const rejected = RetryChain.afterGatewayDecline("inv-4", T0);
  rejected.nextAttempt(sentAt);
  rejected.recordResponse({ responseCode: "50000" }, "2026-01-02T00:00:09Z");
  assert.deepEqual(
    { code: rejected.nextAttempt(sentAt).notReady.code, allowedAt: rejected.nextAttempt(sentAt).notReady.allowedAt },
    { code: "not_yet", allowedAt: "2026-01-02T00:00:09Z" },
  );
  rejected.free();
});

test("time runs forwards for stop too: a stop dated before the chain's latest event is refused", () => {
  const chain = RetryChain.afterGatewayDecline("inv-stop", T0);
  assert.throws(
    () => chain.stop("merchantDecision", "2025-12-31T23:59:59Z"),
    coded("stop_before_latest_event", /^the stop is dated 2025-12-31T23:59:59Z, before the gateway decline at 2026-01-01T00:00:00Z; /),
  );
  const sentAt = "2026-01-02T00:00:00Z";
  chain.nextAttempt(sentAt);
  const answeredAt = "2026-01-02T00:00:05Z";
  chain.recordResponse({ responseCode: "20003", retryCount: 1, retryDate: "2026-01-03T00:00:00Z", referenceData: "REF-1" }, answeredAt);
  const before = chain.toJson();
  assert.throws(
    () => chain.stop("paidElsewhere", "2026-01-02T00:00:04Z"),
    coded("stop_before_latest_event", /before the latest answer recorded at 2026-01-02T00:00:05Z/),
  );
  assert.equal(chain.toJson(), before, "the chain stays as it was");
  assert.equal(chain.status, "scheduled");
  assert.equal(chain.stop("paidElsewhere", answeredAt).to, "stopped");
  chain.free();
  const created = RetryChain.initialAttemptThroughFlexPay("inv-stop-2", T0);
  assert.throws(() => created.stop("subscriptionCancelled", Date.parse(T0) - 1), coded("stop_before_latest_event", /before the chain's creation/));
  assert.equal(created.stop("subscriptionCancelled", T0).to, "stopped");
  created.free();
});

test("policies stay within FlexPay's limits: 1 to 15 retries, 1 to 90 days (Engaged Recovery's hand-off)", () => {
  const refused = [
    [{ maxRetries: 0 }, /^options\.policy\.maxRetries is 0; FlexPay makes at most 15 retries of a payment, so give a whole number from 1 to 15$/],
    [{ maxRetries: 16 }, /maxRetries is 16;.* from 1 to 15$/],
    [{ maxRetries: 20 }, /maxRetries is 20;.* from 1 to 15$/],
    [{ maxRetries: -1 }, /maxRetries is -1;/],
    [{ maxRetries: 1.5 }, /maxRetries is 1\.5;/],
    [{ maxRetries: "3" }, /maxRetries is "3";/],
    [{ maxRetries: 2 ** 40 }, /maxRetries is 1099511627776;/],
    [{ maxAgeDays: 0 }, /^options\.policy\.maxAgeDays is 0; FlexPay retries a payment for at most 30 days after its first attempt, and Engaged Recovery's hand-off retry date is about 40 days out, so give a whole number from 1 to 90$/],
    [{ maxAgeDays: 91 }, /maxAgeDays is 91;.* from 1 to 90$/],
    [{ maxAgeDays: 1e6 }, /maxAgeDays is 1000000;.* from 1 to 90$/],
  ];
  for (const [policy, message] of refused) {
    for (const create of [RetryChain.afterGatewayDecline, RetryChain.initialAttemptThroughFlexPay]) {
      assert.throws(() => create("inv", T0, { policy }), coded("policy_out_of_range", message), JSON.stringify(policy));
    }
  }
  assert.throws(() => RetryChain.afterGatewayDecline("inv", T0, { policy: 3 }), coded("invalid_argument", /options\.policy must be an object/));
  assert.throws(
    () => RetryChain.afterGatewayDecline("inv", T0, { policy: { maxRetrys: 3 } }),
    coded("invalid_argument", /^options\.policy has no field "maxRetrys" \(did you mean "maxRetries"\?\); it takes maxRetries, maxAgeDays$/),
  );
  const edges = RetryChain.afterGatewayDecline("inv", T0, { policy: { maxRetries: 15, maxAgeDays: 30 } });
  assert.equal(edges.snapshot().deadline, "2026-01-31T00:00:00Z");
  edges.free();
});

test("Engaged Recovery's hand-off retry date, about 40 days out, is followed by a policy whose days reach it", () => {
  const handOff = { responseCode: "20003", retryCount: 1, retryDate: "2026-02-11T00:00:00Z", referenceData: "REF-ER", transactionId: "T-ER" };
  const run = (policy) => {
    const chain = RetryChain.afterGatewayDecline("INV-ER", T0, policy === undefined ? undefined : { policy });
    chain.nextAttempt("2026-01-02T00:00:00Z");
    const step = chain.recordResponse(handOff, "2026-01-02T00:00:05Z");
    return [chain, step];
  };
  // FlexPay's 30 days, the default: the chain ends, says which limit, and that a FlexPay
  // scheduling the retries itself is to be told, as after stop().
  const [plain, ended] = run(undefined);
  assert.deepEqual([ended.to, ended.decision.limit], ["exhausted", "retryDateBeyondMaxAge"]);
  assert.deepEqual(ended.next, { action: "notifyFlexPayOfStop", transactionId: "T-ER" });
  // 45 days: the retry is due at FlexPay's date, echoing its referenceData.
  const [engaged, step] = run({ maxAgeDays: 45 });
  assert.deepEqual([step.to, step.next.action, step.next.at], ["scheduled", "sendAttempt", "2026-02-11T00:00:00Z"]);
  assert.equal(engaged.nextAttempt("2026-02-10T23:59:59Z").ok, false, "never before the retryDate");
  const { attempt } = engaged.nextAttempt("2026-02-11T00:00:00Z");
  assert.deepEqual([attempt.retryCount, attempt.referenceData], [2, "REF-ER"]);
  accepted(attempt);
  for (const c of [plain, engaged]) c.free();
});

test("with a policy in range, a scheduled chain always has an attempt to hand out", () => {
  for (let maxRetries = 1; maxRetries <= 15; maxRetries++) {
    const chain = RetryChain.afterGatewayDecline("inv", T0, { policy: { maxRetries } });
    let sent = 0;
    let now = later(T0, 1);
    while (chain.status === "scheduled") {
      const { dueAt } = chain.snapshot();
      const next = chain.nextAttempt(dueAt);
      assert.equal(next.ok, true, `maxRetries ${maxRetries}: scheduled, yet ${JSON.stringify(next)}`);
      accepted(next.attempt);
      sent++;
      now = dueAt;
      chain.recordResponse({ responseCode: "20023", retryDate: later(now, 1), referenceData: `REF-${sent}` }, now);
    }
    assert.equal(sent, maxRetries);
    assert.deepEqual(chain.snapshot().state, { status: "exhausted", at: now, limit: "maxRetries", code: "20023" });
    chain.free();
  }
});

test("a stored chain cannot move its schedule, and a stored policy above the limits still stops at them", () => {
  const chain = RetryChain.afterGatewayDecline("INV-1", "2026-06-01T00:00:00Z", { merchantTransactionIdBase: "INV-1" });
  chain.nextAttempt("2026-06-02T00:00:00Z");
  chain.recordResponse({ responseCode: "20003", retryCount: 1, retryDate: "2026-06-03T00:00:00Z", referenceData: "R1" }, "2026-06-02T00:00:05Z");
  const edited = (edit) => {
    const document = JSON.parse(chain.toJson());
    edit(document);
    return () => RetryChain.fromJson(JSON.stringify(document));
  };
  assert.throws(
    edited((d) => { d.state.dueAt = "2026-05-01T00:00:00Z"; }),
    coded("snapshot_inconsistent", /state\.dueAt is 2026-05-01T00:00:00Z but the latest response's retryDate is 2026-06-03T00:00:00Z/),
  );
  assert.throws(
    edited((d) => { d.state.dueAt = "2026-09-01T00:00:00Z"; }),
    coded("snapshot_inconsistent", /retryDate is 2026-06-03T00:00:00Z/),
  );

  // maxRetries 99 was accepted before policies were checked: such a chain loads, and ends at 15.
  const loose = edited((d) => { d.policy.maxRetries = 99; })();
  let now = Date.parse("2026-06-03T00:00:00Z");
  let last;
  for (;;) {
    const next = loose.nextAttempt(now);
    if (!next.ok) break;
    last = next.attempt.retryCount;
    loose.recordResponse({ responseCode: "20003", retryDate: at(now + 3_600_000), referenceData: `R${last}` }, now);
    now += 3_600_000;
  }
  assert.equal(last, 15);
  assert.equal(loose.status, "exhausted");
  for (const c of [chain, loose]) c.free();
});

test("invalid recordResponse inputs name the field and what it takes, in the JS API's terms", () => {
  const chain = RetryChain.afterGatewayDecline("inv-5", T0);
  chain.nextAttempt("2026-01-02T00:00:00Z");
  const now = "2026-01-02T00:00:01Z";
  const cases = [
    [{}, /^response\.responseCode must be FlexPay's response code, its five digits as a string \("20023"\) or a number; it has none$/],
    [{ responseCode: "20O3" }, /^response\.responseCode must be .*; got "20O3"$/],
    [{ responseCode: "020003" }, /^response\.responseCode must be .*; got "020003"$/],
    [{ responseCode: "2003" }, /^response\.responseCode must be .*; got "2003"$/],
    [{ responseCode: 2003 }, /^response\.responseCode must be .*; got 2003$/],
    [{ responseCode: 20003.5 }, /^response\.responseCode must be .*; got 20003\.5$/],
    [{ responseCode: true }, /^response\.responseCode must be .*; got true$/],
    [{ responseCode: "20003", retryCount: "1" }, /^response\.retryCount must be the whole number FlexPay echoed \(0 or more\), or null, got "1"$/],
    [{ responseCode: "20003", retryCount: -1 }, /^response\.retryCount .* got -1$/],
    [{ responseCode: "20003", referenceData: 5 }, /^response\.referenceData must be a string or null, got 5$/],
    [{ responseCode: "20003", retryDate: 1767312000000 }, /^response\.retryDate must be a string or null, got 1767312000000$/],
    [{ responseCode: "20003", transactionId: {} }, /^response\.transactionId must be a string or null, got an object$/],
    [{ responseCode: "20003", merchantTransactionId: [] }, /^response\.merchantTransactionId must be a string or null, got an array$/],
    ["20003", /^response must be FlexPay's transaction response .* got "20003"$/],
    [[], /^response must be .* got an array$/],
    [null, /^response must be .* got null$/],
    [{ transaction: 7 }, /^response must be .* got 7$/],
  ];
  for (const [response, message] of cases) {
    assert.throws(() => chain.recordResponse(response, now), coded("invalid_argument", message), JSON.stringify(response));
  }
  assert.equal(chain.status, "awaitingResponse", "nothing was recorded");
  // A full transaction response (or its envelope) is read for the fields the chain needs.
  const t = chain.recordResponse({ transaction: { responseCode: 10000, retryCount: 1, amount: 2008, extra: { any: "thing" } } }, now);
  assert.equal(t.to, "recovered");
  chain.free();
});

test("messages speak the JS API's terms: no Rust names, serde text or parser vocabulary", () => {
  const rust = /next_attempt|to_json|from_json|record_response|record_refund|abandon_attempt|ResponseInput|OptionsInput|\bstruct\b|\benum\b|`|\bu32\b|\bi64\b|line \d+ column \d+|expected ident|\bmap\b|sequence/;
  const messages = [];
  const collect = (f) => {
    try {
      const result = f();
      if (result?.notReady) messages.push(result.notReady.message);
    } catch (error) {
      assert.equal(typeof error.code, "string", error.message);
      messages.push(error.message);
    }
  };
  const chain = RetryChain.afterGatewayDecline("inv-6", T0);
  collect(() => chain.recordResponse({ responseCode: "20003" }, T0)); // no attempt in flight
  collect(() => chain.abandonAttempt());
  collect(() => chain.recordRefund("RF", null, T0));
  collect(() => chain.nextAttempt(T0));
  collect(() => RetryChain.fromJson("nope"));
  collect(() => RetryChain.fromJson('{"schemaVersion": 1'));
  collect(() => RetryChain.fromJson('{"schemaVersion": 1, "state": 5}'));
  collect(() => RetryChain.fromJson(JSON.stringify({ ...JSON.parse(chain.toJson()), history: {} })));
  collect(() => RetryChain.fromJson(JSON.stringify({ ...JSON.parse(chain.toJson()), policy: { maxRetries: 1.5, maxAgeDays: 30 } })));
  collect(() => RetryChain.afterGatewayDecline("inv", T0, { polcy: {} }));
  collect(() => RetryChain.afterGatewayDecline("inv", T0, { amount: 5 }));
  collect(() => RetryChain.afterGatewayDecline("inv", T0, { amount: { minorUnits: 1 } }));
  collect(() => RetryChain.afterGatewayDecline("inv", T0, { amount: { minorUnits: "10.50", currency: "USD" } }));
  collect(() => RetryChain.afterGatewayDecline("inv", T0, { merchantTransactionIdBase: 5 }));
  collect(() => RetryChain.afterGatewayDecline("inv", T0, { firstAttemptDueAt: true }));
  collect(() => chain.recordResponse({ responseCode: {} }, T0));
  assert.equal(messages.length, 16);
  for (const message of messages) assert.doesNotMatch(message, rust);

  assert.match(messages[0], /^no attempt is outstanding \(the chain is scheduled\); take the next attempt from the chain before sending a request/);
  assert.match(messages[4], /^the stored retry chain cannot be read: json is not JSON text \(it stops making sense at character 2\); load the text exactly as the chain was saved$/);
  assert.match(messages[5], /^the stored retry chain cannot be read: json is cut short: its JSON text ends before its last value does; load /);
  assert.match(messages[6], /^the stored retry chain is corrupt: json\.state must be an object, not a number; restore it /);
  assert.match(messages[7], /^the stored retry chain is corrupt: json\.history must be an array, not an object; restore it /);
  assert.match(messages[8], /^the stored retry chain is corrupt: json\.policy\.maxRetries must be a whole number from 0, not 1\.5; restore it /);
  assert.match(messages[9], /^options has no field "polcy" \(did you mean "policy"\?\); it takes amount, merchantTransactionIdBase, policy, firstAttemptDueAt$/);
  assert.match(messages[11], /^options\.amount\.currency must be an ISO 4217 code such as "USD", got none$/);
  assert.match(messages[12], /^options\.amount\.minorUnits must be an integer number of minor units \(1050 for USD 10\.50\), got "10\.50"$/);
  chain.free();
});

test("a stored chain of the wrong shape is named by the path of the field at fault and what it takes, never in serde's words", () => {
  const chain = RetryChain.afterGatewayDecline("INV-9", T0, { merchantTransactionIdBase: "INV-9", amount: { minorUnits: 2008, currency: "USD" } });
  const { attempt } = chain.nextAttempt(later(T0, 1));
  chain.recordResponse({ responseCode: "20003", retryDate: later(T0, 2), referenceData: "REF-1", retryCount: attempt.retryCount, transactionId: "T-1" }, later(T0, 1));
  const document = JSON.parse(chain.toJson());
  const load = (edit) => {
    const copy = structuredClone(document);
    edit(copy);
    return () => RetryChain.fromJson(JSON.stringify(copy, null, 2));
  };
  const malformed = (message) => coded("snapshot_malformed", message);
  const corrupt = (cause) => malformed(new RegExp(`^the stored retry chain is corrupt: ${cause}; restore it from a backup or rebuild it from the FlexPay transaction history$`));
  assert.throws(load((d) => delete d.history), corrupt("json\\.history is missing; add it"));
  assert.throws(load((d) => delete d.amount.currency), corrupt('json\\.amount\\.currency is missing; it takes an ISO 4217 currency code such as "USD"'));
  assert.throws(load((d) => delete d.history[0].sentAt), corrupt("json\\.history\\[0\\]\\.sentAt is missing; it takes an instant in UTC as ISO 8601 text \\(\"2026-01-01T00:00:00Z\"\\)"));
  assert.throws(load((d) => { d.retryCount = "2"; }), corrupt("json\\.retryCount must be a whole number from 0, not a string"));
  assert.throws(load((d) => { d.policy.maxRetries = -1; }), corrupt("json\\.policy\\.maxRetries must be a whole number from 0, not -1"));
  assert.throws(load((d) => { d.amount.minorUnits = 20.08; }), corrupt("json\\.amount\\.minorUnits must be a whole number, not 20\\.08"));
  assert.throws(load((d) => { d.state.dueAt = 5; }), corrupt('json\\.state\\.dueAt must be an instant in UTC as ISO 8601 text \\("2026-01-01T00:00:00Z"\\), not a number'));
  assert.throws(load((d) => { d.history[0].responseCode = {}; }), corrupt('json\\.history\\[0\\]\\.responseCode must be a FlexPay response code, its five digits as a string \\("20003"\\), not an object'));
  assert.throws(load((d) => { d.state.status = "paused"; }), corrupt('json\\.state\\.status must be one of "scheduled", .*, "stopped", not "paused"'));
  assert.throws(load((d) => { d.history[0].decision = { kind: "later" }; }), corrupt('json\\.history\\[0\\]\\.decision\\.kind must be one of "recovered", .*, not "later"'));
  assert.throws(load((d) => { d.origin = { kind: "gatewayDecline" }; }), corrupt("json\\.origin\\.declinedAt is missing; it takes an instant .*"));
  assert.throws(load((d) => { d.note = "kept by the CRM"; }), corrupt("json takes no note; leave it out \\(json takes schemaVersion, merchantReference, .*, history\\)"));
  // A reader's own refusal keeps its words, at its path.
  assert.throws(load((d) => { d.amount.currency = "XYZ"; }), corrupt('json\\.amount\\.currency: unknown currency code "XYZ": .*'));
  // Every damaged form of it is refused in the API's words.
  const refused = refusalsInPlainWords(assert, chain.toJson(), (text) => RetryChain.fromJson(text));
  assert.ok(refused > 300, `${refused} refusals`);
  chain.free();
});

test("a fractional amount.minorUnits is not_minor_units, worded as the validation entry words it", () => {
  assert.throws(
    () => RetryChain.afterGatewayDecline("inv", T0, { amount: { minorUnits: 29.99, currency: "USD" } }),
    coded("not_minor_units", /^"options\.amount\.minorUnits" is 29\.99, which has a fraction: amounts are integers in the currency's minor unit \(USD 29\.99 is 2999\)\.$/),
  );
  assert.throws(
    () => RetryChain.afterGatewayDecline("inv", T0, { amount: { minorUnits: 2 ** 60, currency: "USD" } }),
    coded("amount_out_of_range"),
  );
  assert.throws(
    () => RetryChain.afterGatewayDecline("inv", T0, { amount: { minorUnits: 2999, currency: "usd" } }),
    coded("unknown_currency"),
  );
  // A code without a minor unit is no payment currency, here as in parseAmount.
  assert.throws(
    () => RetryChain.afterGatewayDecline("inv", T0, { amount: { minorUnits: 2999, currency: "XAU" } }),
    coded("unknown_currency", /^"XAU" is an ISO 4217 code without a minor unit, not a currency payments are made in/),
  );
  const chain = RetryChain.afterGatewayDecline("inv", T0, { amount: { minorUnits: 2999, currency: "USD" } });
  assert.equal(chain.status, "scheduled");
  chain.free();
});

test("README: recovering a declined payment with RetryChain", () => {
  const sandbox = new Sandbox(11);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-06-01T00:00:00Z" });
  const chain = RetryChain.afterGatewayDecline("INV-1001", "2026-06-01T00:00:00Z", {
    merchantTransactionIdBase: "INV-1001",
    policy: { maxRetries: 15, maxAgeDays: 30 },
  });
  let now = "2026-06-02T00:00:00Z";
  const { attempt } = chain.nextAttempt(now);
  assert.equal(attempt.retryCount, 1);
  assert.equal(attempt.referenceData, null);
  assert.deepEqual(attempt.merchantTransactionId, { kind: "derived", id: "INV-1001-r1" });
  const request = rebill(attempt.merchantTransactionId.id, 2008, visa);
  Object.assign(request.transaction, {
    retryCount: attempt.retryCount, referenceData: attempt.referenceData, dateFirstAttempt: attempt.dateFirstAttempt,
  });
  const declined = sandbox.charge(key, request, now);
  assert.equal(declined.transaction.responseCode, "20003");
  const step = chain.recordResponse(declined, now);
  assert.deepEqual(step.next, { action: "sendAttempt", retryCount: 2, at: "2026-06-03T00:00:00Z" });
  now = step.next.at;
  assert.equal(chain.nextAttempt(now).attempt.referenceData, declined.transaction.referenceData);

  const kept = { responseCode: "20003", retryDate: "2026-06-04T00:00:00Z" };
  assert.throws(() => chain.recordResponse(kept, now), coded("missing_reference_data"));
  assert.throws(() => RetryChain.afterGatewayDecline("INV-1002", now, { policy: { maxRetries: 20 } }), coded("policy_out_of_range"));
  chain.free();
  sandbox.free();
});

test("peekAttempt shows the next attempt without handing it out", () => {
  const chain = RetryChain.afterGatewayDecline("inv-peek", T0);
  const due = chain.dueAt;
  assert.equal(chain.peekAttempt(T0).notReady.code, "not_yet");
  const peeked = chain.peekAttempt(due);
  assert.equal(peeked.ok, true);
  assert.deepEqual(chain.peekAttempt(due), peeked, "peeking twice is the same");
  assert.equal(chain.status, "scheduled");
  assert.deepEqual(chain.nextAttempt(due), peeked, "the sender still gets it");
  assert.equal(chain.peekAttempt(due).notReady.code, "awaiting_response");
  chain.free();
});

test("a 50103 answer echoing merchantTransactionId \"\" (the request sent none) is recorded: fix and resend", () => {
  const sandbox = new Sandbox(1);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-06-01T00:00:00Z" });
  const chain = RetryChain.afterGatewayDecline("P", "2026-06-01T00:00:00Z", { merchantTransactionIdBase: "P" });
  const now = "2026-06-02T00:00:00Z";
  const { attempt } = chain.nextAttempt(now);
  const request = chargeFor(attempt);
  delete request.transaction.merchantTransactionId;   // the CRM's bug
  const answer = sandbox.charge(key, request, now);
  assert.equal(answer.transaction.responseCode, "50103");
  assert.equal(answer.transaction.merchantTransactionId, null, "the sandbox echoes none, as its type says");

  // FlexPay's own answer may carry "" for the id it did not get: that is no other id either.
  const step = chain.recordResponse({ ...answer.transaction, merchantTransactionId: "" }, now);
  assert.equal(step.from, "awaitingResponse");
  assert.equal(step.to, "scheduled");
  assert.equal(step.countedAsAttempt, false);
  assert.deepEqual(step.next, { action: "fixAndResend", code: "50103", field: "transaction.merchantTransactionId" });
  assert.equal(chain.status, "scheduled");
  const resend = chain.nextAttempt(now);
  assert.equal(resend.ok, true, JSON.stringify(resend));
  assert.equal(resend.attempt.retryCount, 1);
  assert.deepEqual(resend.attempt.merchantTransactionId, { kind: "derived", id: "P-r1-2" });
  assert.equal(resend.attempt.previousRejection, "50103");
  const fixed = sandbox.charge(key, chargeFor(resend.attempt), now);
  assert.equal(fixed.transaction.responseCode, "20003");
  assert.equal(chain.recordResponse(fixed, now).next.action, "sendAttempt");
  // A non-empty id of another attempt is still refused.
  const other = RetryChain.afterGatewayDecline("Q", "2026-06-01T00:00:00Z", { merchantTransactionIdBase: "Q" });
  other.nextAttempt(now);
  assert.throws(
    () => other.recordResponse({ responseCode: "50103", merchantTransactionId: "Q-r9" }, now),
    coded("merchant_transaction_id_mismatch"),
  );
  other.free();
  chain.free();
  sandbox.free();
});

test("a stored responseCode that contradicts its category is quoted as stored, not padded", () => {
  const chain = RetryChain.afterGatewayDecline("INV-2003", "2026-06-01T00:00:00Z", { merchantTransactionIdBase: "INV-2003" });
  chain.nextAttempt("2026-06-02T00:00:00Z");
  chain.recordResponse({ responseCode: "20003", retryCount: 1, retryDate: "2026-06-03T00:00:00Z", referenceData: "R1", transactionId: "T1" }, "2026-06-02T00:00:05Z");
  const document = JSON.parse(chain.toJson());
  chain.free();
  for (const stored of ["2003", 2003]) {
    document.history[0].responseCode = stored;
    assert.throws(() => RetryChain.fromJson(JSON.stringify(document)), (e) => {
      assert.equal(e.code, "snapshot_inconsistent");
      assert.match(e.message, /responseCode 2003 is unknown/);
      assert.doesNotMatch(e.message, /02003/);
      return true;
    });
  }
});

test("a retryCount the sandbox could not read is echoed as null, so the chain records the refusal: fix and resend", () => {
  const sandbox = new Sandbox(3);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-06-01T00:00:00Z" });
  const now = "2026-06-01T00:00:00Z";
  for (const [n, sent] of [["1", "text"], [null, "null"], [1.5, "fraction"], [undefined, "missing"]].entries()) {
    const chain = RetryChain.afterGatewayDecline(`RC${n}`, "2026-05-31T00:00:00Z", { merchantTransactionIdBase: `RC${n}` });
    const { attempt } = chain.nextAttempt(now);
    const request = chargeFor(attempt);
    request.transaction.retryCount = sent[0];   // the CRM's bug
    const answer = sandbox.charge(key, request, now);
    assert.equal(answer.transaction.responseCode, "50000", sent[1]);
    assert.equal(answer.transaction.retryCount, null, `${sent[1]}: the count sent was not read`);
    const step = chain.recordResponse(answer, now);
    assert.equal(step.next.action, "fixAndResend", sent[1]);
    const resend = chain.nextAttempt(now);
    assert.equal(resend.attempt.retryCount, 1);
    assert.equal(chain.recordResponse(sandbox.charge(key, chargeFor(resend.attempt), now), now).next.action, "sendAttempt");
    chain.free();
  }
  sandbox.free();
});

test("the same refusal a third time for one attempt ends the chain as needsInvestigation: resending never ends otherwise", () => {
  const sandbox = new Sandbox(5);
  const now = "2026-06-01T00:00:00Z";
  const { key } = sandbox.generateApiKey("ci", { now });
  // The sandbox's 50000 trigger: FlexPay refuses the request whatever the caller fixes.
  const chain = RetryChain.afterGatewayDecline("INV-5023", "2026-05-31T00:00:00Z", { merchantTransactionIdBase: "INV-5023" });
  const steps = [];
  for (let sent = 0; sent < 10 && chain.status !== "needsInvestigation"; sent++) {
    const { attempt } = chain.nextAttempt(now);
    const answer = sandbox.charge(key, chargeFor(attempt, 5023), now);
    assert.equal(answer.transaction.responseCode, "50000");
    steps.push(chain.recordResponse(answer, now));
  }
  assert.deepEqual(steps.map((s) => s.next.action), ["fixAndResend", "fixAndResend", "investigate"]);
  assert.deepEqual(steps[2].next, { action: "investigate", code: "50000" });
  assert.equal(steps[2].countedAsAttempt, false);
  assert.equal(chain.snapshot().retriesMade, 0);
  assert.equal(chain.nextAttempt(now).ok, false);
  // It survives a restart as it is.
  assert.equal(RetryChain.fromJson(chain.toJson()).status, "needsInvestigation");
  chain.free();
  sandbox.free();
});

test("JSON.stringify embeds a chain as its stored document, and fromJson takes that object back", () => {
  const sandbox = new Sandbox(41);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const chain = RetryChain.afterGatewayDecline("INV-41", T0, { merchantTransactionIdBase: "INV-41" });
  const due = chain.dueAt;
  const next = chain.nextAttempt(due);
  assert.equal(next.ok, true);
  chain.recordResponse(sandbox.charge(key, chargeFor(next.attempt), due), due);
  // A CRM's row with the chain in a JSON column: not "{}".
  assert.deepEqual(chain.toJSON(), JSON.parse(chain.toJson()));
  const row = JSON.parse(JSON.stringify({ invoice: "INV-41", chain, attempts: [chain] }));
  assert.deepEqual(row.chain, JSON.parse(chain.toJson()));
  const restored = RetryChain.fromJson(row.chain);
  assert.equal(restored.toJson(), chain.toJson());
  assert.deepEqual(restored.snapshot(), chain.snapshot());
  // An object made without JSON.parse, with no prototype, reads the same.
  const bare = RetryChain.fromJson(Object.assign(Object.create(null), row.chain));
  assert.equal(bare.toJson(), chain.toJson());
  bare.free();
  // The restored chain goes on as the original does.
  assert.deepEqual(restored.nextAttempt(restored.dueAt), chain.nextAttempt(chain.dueAt));
  // The object is read as its text is: a damaged one is refused with the same codes.
  assert.throws(() => RetryChain.fromJson({ ...row.chain, schemaVersion: 99 }), coded("snapshot_newer_version"));
  assert.throws(() => RetryChain.fromJson({ ...row.chain, retryCount: 5 }), coded("snapshot_inconsistent"));
  assert.throws(() => RetryChain.fromJson({ ...row.chain, policy: { maxRetries: "3" } }), coded("snapshot_malformed", /json\.policy\.maxRetries must be a whole number/));
  const cyclic = { ...row.chain };
  cyclic.self = cyclic;
  assert.throws(() => RetryChain.fromJson(cyclic), coded("invalid_argument"));
  assert.throws(() => RetryChain.fromJson([row.chain]), coded("invalid_argument"));
  assert.throws(() => RetryChain.fromJson(new Date()), coded("invalid_argument", /got an object of a class$/));
  // What it takes is said whatever was given: the text or the stored object.
  for (const [given, named] of [[42, "number"], [null, "null"], [undefined, "undefined"], [[], "an array"]]) {
    assert.throws(() => RetryChain.fromJson(given), coded("invalid_argument",
      new RegExp(`^json must be the text toJson\\(\\) wrote or the object toJSON\\(\\) answers .*, got ${named}$`)));
  }
  for (const object of [restored, chain, sandbox]) object.free();
  assert.throws(() => JSON.stringify({ chain }), coded("freed_object"));
});

test("a retryDate with seven fraction digits is allowed at the millisecond a Date holds", () => {
  const chain = RetryChain.afterGatewayDecline("INV-7", "2026-06-01T00:00:00Z");
  chain.nextAttempt("2026-06-02T00:00:00Z");
  const step = chain.recordResponse(
    { responseCode: "20003", retryCount: 1, referenceData: "R1", retryDate: "2026-06-03T00:00:00.1234567" },
    "2026-06-02T00:00:01Z",
  );
  // Rounded up to the millisecond: never before FlexPay's instant, and a Date of it is enough.
  assert.equal(step.next.at, "2026-06-03T00:00:00.124Z");
  assert.equal(chain.peekAttempt(Date.parse(step.next.at) - 1).ok, false);
  assert.equal(chain.peekAttempt(Date.parse(step.next.at)).ok, true);
  const next = chain.nextAttempt(new Date(step.next.at));
  assert.equal(next.attempt.retryCount, 2);
  chain.free();
});

test("a retryDate already past when its answer is recorded: next.at, dueAt and nextAttempt name one instant", () => {
  // The sandbox dates a decline's retry at the next midnight UTC: one second after a charge
  // sent at 23:59:59, so an answer recorded 3 s later finds it past.
  const sandbox = new Sandbox(4);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-06-01T00:00:00Z" });
  const chain = RetryChain.initialAttemptThroughFlexPay("late-1", "2026-06-01T23:59:58Z", { merchantTransactionIdBase: "late-1" });
  const sent = "2026-06-01T23:59:59Z";
  const first = chain.nextAttempt(sent);
  const answer = sandbox.charge(key, chargeFor(first.attempt), sent);
  assert.equal(answer.transaction.retryDate, "2026-06-02T00:00:00Z");
  const recordedAt = "2026-06-02T00:00:02Z";
  const step = chain.recordResponse(answer, recordedAt);
  assert.deepEqual(step.notes, [{ note: "retryDateAlreadyPassed", retryDate: "2026-06-02T00:00:00Z" }]);
  // Due at once: when the answer was recorded, not at the retryDate before it.
  assert.deepEqual(step.next, { action: "sendAttempt", retryCount: 1, at: recordedAt });
  assert.equal(chain.dueAt, recordedAt);
  const early = chain.nextAttempt(answer.transaction.retryDate);
  assert.equal(early.ok, false);
  assert.equal(early.notReady.allowedAt, recordedAt);
  // The README's loop: wait until step.next.at, then send.
  const retry = chain.nextAttempt(step.next.at);
  assert.equal(retry.ok, true);
  assert.equal(retry.attempt.sentAt, recordedAt);
  accepted(retry.attempt);
  chain.free();
  sandbox.free();
});

test("another payment's answer is refused by its amount or currency, so its referenceData is never echoed", () => {
  const sandbox = new Sandbox(12);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  const chain = RetryChain.afterGatewayDecline("INV-A", T0, { amount: { minorUnits: 2008, currency: "USD" } });
  const now = "2026-01-02T00:00:00Z";
  const { attempt } = chain.nextAttempt(now);
  const before = chain.toJson();
  // Payment B (20.12 USD) answered with the same retryCount: the chain's attempt it is not.
  const other = sandbox.charge(key, rebill("B-1", 2012, visa), now);
  assert.throws(() => chain.recordResponse(other, now),
    coded("amount_mismatch", /^the response is for 20\.12 USD but this chain recovers 20\.08 USD; it is another payment's answer/));
  assert.throws(() => chain.recordResponse({ ...other.transaction, amount: 2008, currencyCode: "EUR" }, now), coded("amount_mismatch", /20\.08 EUR/));
  assert.throws(() => chain.recordResponse({ ...other.transaction, amount: "2008" }, now), coded("invalid_argument", /^response\.amount must be the amount FlexPay echoed/));
  assert.equal(chain.toJson(), before, "nothing changed");
  // Its own answer is recorded.
  const own = sandbox.charge(key, chargeFor(attempt), now);
  assert.equal(chain.recordResponse(own, now).next.action, "sendAttempt");
  sandbox.free();
  chain.free();
});

test("one answer recorded twice is refused by its transactionId, and NaN or an Invalid Date is never read as absent", () => {
  const chain = RetryChain.afterGatewayDecline("INV-D", T0);
  let now = "2026-01-02T00:00:00Z";
  chain.nextAttempt(now);
  const soft = { responseCode: "20003", retryDate: "2026-01-05T00:00:00Z", referenceData: "REF1", transactionId: "T1" };
  chain.recordResponse(soft, now);
  now = "2026-01-05T00:00:00Z";
  chain.nextAttempt(now);
  const before = chain.toJson();
  assert.throws(() => chain.recordResponse(soft, now), coded("response_already_recorded", /^the response of transaction T1 is already recorded/));
  for (const [response, code, message] of [
    [{ ...soft, transactionId: "T2", retryDate: new Date(NaN) }, "invalid_date", /^response: retryDate is an Invalid Date/],
    [{ transaction: { ...soft, transactionId: "T2", retryDate: new Date("junk") } }, "invalid_date", /retryDate is an Invalid Date/],
    [{ ...soft, transactionId: "T2", retryCount: NaN }, "invalid_argument", /^response: retryCount is NaN, which is no number JSON can hold/],
    [{ ...soft, transactionId: "T2", amount: Infinity }, "invalid_argument", /amount is Infinity/],
  ]) {
    assert.throws(() => chain.recordResponse(response, now), coded(code, message));
  }
  assert.equal(chain.toJson(), before, "nothing changed");
  // Options too: an Invalid Date or NaN is not the default.
  assert.throws(() => RetryChain.afterGatewayDecline("INV-E", T0, { firstAttemptDueAt: new Date(NaN) }), coded("invalid_date", /^options: firstAttemptDueAt is an Invalid Date/));
  assert.throws(() => RetryChain.afterGatewayDecline("INV-E", T0, { policy: { maxRetries: NaN } }), coded("invalid_argument", /maxRetries is NaN/));
  assert.throws(() => RetryChain.initialAttemptThroughFlexPay("INV-E", T0, { amount: { minorUnits: NaN, currency: "USD" } }), coded("invalid_argument", /minorUnits is NaN/));
  chain.free();
});
