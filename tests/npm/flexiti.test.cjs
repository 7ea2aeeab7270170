// `require("flexkit/flexiti")`: the CommonJS entry runs a whole sandbox purchase.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");

const { FlexitiSandbox, validateCapture, prepare, tokenNeedsRefresh } = require("flexkit/flexiti");

test("CommonJS: token, authorize with auto-capture, return, and validation", () => {
  const now = "2026-11-21T10:00:00Z";
  const sandbox = new FlexitiSandbox(11);
  const token = sandbox.issueToken(now);
  assert.equal(tokenNeedsRefresh(token, "2026-11-21T10:19:00Z"), true);
  const [account] = FlexitiSandbox.testData().accounts;
  const auth = sandbox.authorize({
    account_number: account.accountNumber, amount: "250.00", auto_capture: true,
    financing_option: { transaction_type: "promotional_purchase", plan_id: "DEF-NOINT", term: 6 },
  }, { token, now });
  assert.equal(auth.capture.amount, "250.00");
  assert.equal(auth.authorization_status, "closed");
  const returned = sandbox.returnCapture(auth.authorization_id, auth.capture.capture_id, { full_return: true }, { token, now });
  assert.equal(returned.remaining_capture_amount, "0.00");
  assert.deepEqual(validateCapture({ amount: "0.00" }).errors.map((e) => e.code), ["zero_amount"]);
  const setup = { environment: "TRAINING", clientId: "flexitidemo", token, now };
  assert.equal(prepare({ kind: "release", authorizationId: auth.authorization_id }, {}, setup).ok, true);
  sandbox.free();
  assert.throws(() => sandbox.snapshot(), { code: "freed_object" });
});
