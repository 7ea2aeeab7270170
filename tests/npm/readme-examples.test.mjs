// The examples of web/npm/README.md ("Validating FlexPay requests", "Bundlers and plain
// pages"), run as written.
import { test } from "node:test";
import assert from "node:assert/strict";

import { validateCharge, validateChargeJson } from "flexkit";

const request = {
  transaction: {
    merchantTransactionId: "mt-2026-000123",
    orderId: "order-98765",
    customerId: "cust-4411",
    currencyCode: "USD",
    amount: 2999,
    retryCount: 1,
    referenceData: null,
    paymentMethod: {
      creditCardNumber: "4111111111111111",
      expiryMonth: "09",
      expiryYear: "2029",
      cvv: "123",
      firstName: "Ada",
      lastName: "Lovelace",
      postalCode: "10001",
      city: "New York",
      state: "NY",
    },
    retainOnSuccess: false,
  },
};
const options = { now: new Date("2026-11-21T10:00:00Z"), environment: "production" };

test("README: validateCharge on a valid request", () => {
  assert.deepEqual(validateCharge(request, options), { ok: true, errors: [], warnings: [] });
});

test("README: validateChargeJson lists every problem", () => {
  const result = validateChargeJson(
    '{"transaction": {"merchantTransactionId": "mt-1", "orderID": "o-1", ' +
      '"currencyCode": "usd", "amount": 10.5, "retryCount": 0, "paymentMethodId": "pm-1"}}',
    options,
  );
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.errors.map((e) => [e.path, e.code]),
    [
      ["transaction.orderID", "unknown_field"],
      ["transaction.amount", "not_minor_units"],
      ["transaction.orderId", "required"],
      ["transaction.currencyCode", "unknown_currency"],
    ],
  );
  assert.match(result.errors[0].message, /^Unknown field "orderID": did you mean "orderId"\? Names are case-sensitive, /);
  assert.match(result.errors[1].message, /^"amount" is 10\.5, which has a fraction: amounts are integers in the currency's minor unit /);
  assert.equal(result.errors[3].message, '"usd" is not an ISO 4217 currency code; codes are upper case: use "USD".');
  assert.equal(result.errors[2].message, 'Add "orderId": it is required.');
  assert.deepEqual(result.warnings, []);
});

// "Bundlers and plain pages": the bundler snippet also runs as written in Node (tests/bundlers
// runs it under Vite, webpack and a plain page in Chromium).
test("README: the bundler snippet", async () => {
  const { init, checkCardNumber } = await import("flexkit");
  await init();
  assert.equal(checkCardNumber("4111111111111111").isValid, true);
  const { init: initSandbox, Sandbox } = await import("flexkit/sandbox");
  await initSandbox();
  assert.equal(typeof new Sandbox(1).snapshot(), "string");
});
