// Money, currencies, response codes and the card field helpers of the `flexkit` entry.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  parseAmount, formatAmount, currencyInfo, currencies, describeResponseCode, responseCategory,
  retryGuidance, checkCvv, checkExpiry,
} from "flexkit";

test("amounts parse to integer minor units and format back", () => {
  assert.deepEqual(parseAmount("10.50", "USD"), { ok: true, minorUnits: 1050, currency: "USD", formatted: "10.50" });
  assert.deepEqual(parseAmount("1000", "JPY").minorUnits, 1000);
  assert.equal(parseAmount("10.505", "USD").error.code, "not_minor_units");
  assert.equal(parseAmount("1e3", "USD").error.code, "invalid_decimal");
  assert.equal(parseAmount("1", "usd").error.code, "unknown_currency");
  assert.equal(parseAmount("90071992547409.92", "USD").error.code, "amount_out_of_range");
  assert.equal(parseAmount("90071992547409.91", "USD").minorUnits, Number.MAX_SAFE_INTEGER);
  assert.equal(formatAmount(1050, "USD"), "10.50");
  assert.equal(formatAmount(-5, "KWD"), "-0.005");
  assert.throws(() => formatAmount(2 ** 53, "USD"), (e) => e instanceof Error && e.code === "amount_out_of_range");
  assert.throws(() => formatAmount(1.5, "USD"), (e) => e.code === "amount_out_of_range");
  assert.throws(() => formatAmount(10n, "USD"), (e) => e.code === "invalid_argument");
  assert.throws(() => formatAmount(1, "XXX1"), (e) => e.code === "unknown_currency");
});

test("currencies are plain objects with their exponent", () => {
  assert.deepEqual(currencyInfo("JPY"), { code: "JPY", numeric: 392, exponent: 0, name: currencyInfo("JPY").name });
  assert.equal(currencyInfo("KWD").exponent, 3);
  assert.equal(currencyInfo("nope"), null);
  const all = currencies();
  assert.ok(all.length > 100);
  assert.equal(Object.getPrototypeOf(all[0]), Object.prototype);
});

test("retryable is the flag a scheduler asks: never after an approval, a hard decline or a refusal", () => {
  for (const [code, retryable, noRetry] of [
    ["10000", false, false], ["20023", true, false], ["40000", true, false], ["30011", false, false],
    ["30087", false, true], ["30100", false, true], ["50103", false, false], ["60000", false, false],
  ]) {
    const d = describeResponseCode(code);
    assert.equal(d.retryable, retryable, code);
    assert.equal(d.noRetry, noRetry, code);
  }
  // 30100 is FlexPay's own limit, not something the cardholder or issuer can change.
  assert.match(describeResponseCode("30100").retryGuidance, /limit/);
  assert.doesNotMatch(describeResponseCode("30100").retryGuidance, /issuer acts/);
});

test("response codes: category, meaning, retry guidance", () => {
  const d = describeResponseCode(20023);
  assert.equal(d.category, "softDecline");
  assert.equal(d.meaning, "insufficient funds");
  assert.equal(d.known, true);
  assert.match(d.retryGuidance, /retryDate/);
  assert.equal(describeResponseCode("99999").category, "unknown");
  assert.equal(describeResponseCode("99999").known, false);
  assert.equal(describeResponseCode("abc"), null);
  assert.equal(describeResponseCode(-1), null);
  assert.equal(responseCategory("30026"), "hardDecline");
  assert.equal(typeof retryGuidance("risk"), "string");
  assert.equal(retryGuidance("nope"), null);
  assert.throws(() => describeResponseCode({}), (e) => e.code === "invalid_argument");
});

test("CVV and expiry as typed", () => {
  assert.deepEqual(checkCvv("123", "visa"), { expectedLength: 3, isValid: true, isPotentiallyValid: true });
  assert.equal(checkCvv("123", "americanExpress").isValid, false);
  assert.equal(checkCvv("12", null).isPotentiallyValid, true);
  assert.throws(() => checkCvv("123", "nope"), (e) => e.code === "invalid_argument");
  const now = new Date("2026-11-21T00:00:00Z");
  assert.deepEqual(checkExpiry("12", "26", now), { month: 12, year: 2026, expired: false, isValid: true, isPotentiallyValid: true });
  assert.equal(checkExpiry("10", "2026", now).expired, true);
  assert.equal(checkExpiry("1", "", "2026-11-21T00:00:00Z").isPotentiallyValid, true);
  assert.equal(checkExpiry("12", "2030").isValid, true);
  assert.throws(() => checkExpiry("12", "2030", "yesterday"), (e) => e.code === "invalid_date");
});

test("README: money and response codes", () => {
  assert.deepEqual(parseAmount("20.08", "USD"), { ok: true, minorUnits: 2008, currency: "USD", formatted: "20.08" });
  assert.equal(parseAmount("20.08", "JPY").error.code, "not_minor_units");
  assert.equal(formatAmount(2008, "KWD"), "2.008");
  assert.deepEqual(currencyInfo("JPY"), { code: "JPY", numeric: 392, exponent: 0, name: "Yen" });
  const answer = describeResponseCode("20023");
  assert.equal(answer.category, "softDecline");
  assert.equal(answer.meaning, "insufficient funds");
  assert.equal(answer.retryable, true);
  assert.match(answer.retryGuidance, /^Retry at the retryDate FlexPay returned, never earlier, /);
  assert.equal(describeResponseCode("30011").retryable, false);
});
