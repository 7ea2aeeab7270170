// Engines without `String.prototype.isWellFormed` (ES2024: Node.js 18, browsers before 2023)
// find lone UTF-16 surrogates with a regular expression instead: the same answers.
import { test } from "node:test";
import assert from "node:assert/strict";

delete String.prototype.isWellFormed;
const { validateCharge, validateChargeJson } = await import("flexkit");

const OPTIONS = { now: new Date("2026-11-21T10:00:00Z") };
const charge = (city) => ({
  transaction: {
    merchantTransactionId: "mt-1", orderId: "o-1", customerId: "c-1", currencyCode: "USD", amount: 2999,
    retryCount: 1, referenceData: null,
    paymentMethod: {
      creditCardNumber: "4111111111111111", expiryMonth: "09", expiryYear: "2029", cvv: "123",
      firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city, state: "NY", country: "US",
    },
  },
});

test("without isWellFormed, a lone surrogate is still an error at its path and a whole pair is not", () => {
  assert.equal(typeof "".isWellFormed, "undefined");
  for (const city of ["\uD800", "Zoë \uDFFF", "\uDC00\uD83D", "abc\uD83D"]) {
    for (const result of [validateCharge(charge(city), OPTIONS), validateChargeJson(JSON.stringify(charge(city)), OPTIONS)]) {
      assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [["transaction.paymentMethod.city", "lone_surrogate"]], JSON.stringify(city));
    }
  }
  for (const city of ["Zoë 😀", "Montréal", "\uD83D\uDE00"]) {
    assert.deepEqual(validateCharge(charge(city), OPTIONS).errors, [], JSON.stringify(city));
  }
});
