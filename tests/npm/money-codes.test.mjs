// Money, currencies, response codes and the card field helpers of the `flexkit` entry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

import {
  parseAmount, formatAmount, currencyInfo, currencies, describeResponseCode, responseCategory,
  retryGuidance, checkCvv, checkExpiry, validateCharge,
} from "flexkit";

test("amounts parse to integer minor units and format back", () => {
  assert.deepEqual(parseAmount("10.50", "USD"), { ok: true, minorUnits: 1050, currency: "USD", formatted: "10.50" });
  assert.deepEqual(parseAmount("1000", "JPY").minorUnits, 1000);
  assert.equal(parseAmount("10.505", "USD").error.code, "not_minor_units");
  assert.equal(parseAmount("1e3", "USD").error.code, "invalid_decimal");
  assert.equal(parseAmount("1", "usd").error.code, "unknown_currency");
  assert.equal(parseAmount("90071992547409.92", "USD").error.code, "amount_out_of_range");
  assert.equal(parseAmount("90071992547409.91", "USD").minorUnits, Number.MAX_SAFE_INTEGER);
  // Out of range either way, the message names the limits in the units the amount was written in.
  for (const [amount, code] of [["90071992547409.92", "amount_out_of_range"], ["-99999999999999999999", "amount_overflow"]]) {
    const { error } = parseAmount(amount, "USD");
    assert.equal(error.code, code, amount);
    assert.match(error.message, /between -90071992547409\.91 and 90071992547409\.91 \(2\^53 - 1 minor units/, amount);
  }
  assert.match(parseAmount("9007199254740992", "JPY").error.message, /between -9007199254740991 and 9007199254740991/);
  // A character out of place is named, never by its byte offset.
  assert.match(parseAmount("１０", "USD").error.message, /has "１", which is not a digit 0-9/);
  assert.doesNotMatch(parseAmount("12€", "USD").error.message, /byte/);
  assert.equal(formatAmount(1050, "USD"), "10.50");
  assert.equal(formatAmount(-5, "KWD"), "-0.005");
  assert.throws(() => formatAmount(2 ** 53, "USD"), (e) => e instanceof Error && e.code === "amount_out_of_range");
  // A fraction is not_minor_units, as everywhere else, worded as the validators word it.
  assert.throws(() => formatAmount(1.5, "USD"), (e) => e instanceof Error && e.code === "not_minor_units" &&
    e.message === '"minorUnits" is 1.5, which has a fraction: amounts are integers in the currency\'s minor unit (USD 1.5 is 150).');
  assert.throws(() => formatAmount(-0.25, "KWD"), (e) => e.code === "not_minor_units" && /KWD -0\.25 is -250/.test(e.message));
  assert.throws(() => formatAmount(2 ** 60 + 0.5, "USD"), (e) => e.code === "amount_out_of_range");
  assert.throws(() => formatAmount(NaN, "USD"), (e) => e.code === "amount_out_of_range");
  assert.throws(() => formatAmount(10n, "USD"), (e) => e.code === "invalid_argument");
  assert.throws(() => formatAmount(1, "XXX1"), (e) => e.code === "unknown_currency");
});

test("currencies are plain objects with their exponent", () => {
  assert.deepEqual(currencyInfo("JPY"), { code: "JPY", numeric: 392, exponent: 0, name: currencyInfo("JPY").name });
  assert.equal(currencyInfo("KWD").exponent, 3);
  assert.equal(currencyInfo("nope"), null);
  // The codes ISO gives no minor unit are listed without one, and take no amount anywhere:
  // what currencyInfo says, parseAmount, formatAmount and the validators all agree on.
  for (const code of ["XAU", "XDR", "XTS", "XXX", "XBA"]) {
    assert.equal(currencyInfo(code).exponent, null, code);
    const parsed = parseAmount("10", code);
    assert.equal(parsed.ok, false, code);
    assert.equal(parsed.error.code, "unknown_currency", code);
    assert.match(parsed.error.message, /without a minor unit, not a currency payments are made in/);
    assert.throws(() => formatAmount(10, code), (e) => e.code === "unknown_currency" && e.message === parsed.error.message);
  }
  const all = currencies();
  assert.equal(all.find((c) => c.code === "XAU").exponent, null);
  assert.equal(all.find((c) => c.code === "USD").exponent, 2);
  assert.ok(all.length > 100);
  assert.equal(Object.getPrototypeOf(all[0]), Object.prototype);
});

test("a currency's name is the runtime's English name, or its code where the runtime has none", () => {
  assert.equal(currencyInfo("USD").name, "US Dollar");
  assert.equal(currencyInfo("EUR").name, "Euro");
  assert.equal(currencyInfo("CAD").name, "Canadian Dollar");
  for (const info of currencies()) {
    assert.equal(typeof info.name, "string", info.code);
    assert.ok(info.name.length > 0, info.code);
    assert.deepEqual(Object.keys(info), ["code", "numeric", "exponent", "name"]);
  }
  // Without Intl.DisplayNames (a runtime built without it) the code stands in for the name,
  // and nothing throws.
  const script = 'delete Intl.DisplayNames; const { currencyInfo, currencies } = await import("flexkit");'
    + ' console.log(JSON.stringify([currencyInfo("GBP"), currencies().filter((c) => c.name !== c.code).length]));';
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: import.meta.dirname });
  assert.deepEqual(JSON.parse(out), [{ code: "GBP", numeric: 826, exponent: 2, name: "GBP" }, 0]);
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

test("FlexPay's response codes are five digits: a short or overlong code is answered as given, never padded into another", () => {
  // Five digits, as a string or a number, are described from the table (or by category).
  assert.equal(describeResponseCode(" 20023 ").code, "20023");
  assert.deepEqual(describeResponseCode(20023), describeResponseCode("20023"));
  assert.equal(describeResponseCode("20999").category, "softDecline");
  assert.equal(describeResponseCode("20999").known, false);
  // "02005" has five digits: a code outside FlexPay's ranges, as "99999" is.
  assert.equal(describeResponseCode("02005").code, "02005");
  assert.equal(describeResponseCode("02005").category, "unknown");
  // Digits of another count: category unknown, not known, the digits as given, and guidance
  // that says why, for a string and a number alike.
  const unknown = describeResponseCode("99999");
  for (const [given, code] of [["2005", "2005"], [2005, "2005"], ["020003", "020003"], [200030, "200030"],
    [0, "0"], ["7", "7"], ["300051", "300051"], [" 2005\n", "2005"], ["123456789", "123456789"]]) {
    const d = describeResponseCode(given);
    const label = JSON.stringify(given);
    assert.deepEqual(Object.keys(d), Object.keys(unknown), label);
    assert.equal(d.code, code, label);
    assert.equal(d.category, "unknown", label);
    assert.equal(d.categoryName, unknown.categoryName, label);
    assert.equal(d.known, false, label);
    assert.equal(d.meaning, null, label);
    assert.equal(d.field, null, label);
    assert.equal(d.source, null, label);
    assert.equal(d.retryable, false, label);
    assert.equal(d.noRetry, false, label);
    assert.match(d.retryGuidance, /^Treat as non-retryable and investigate: FlexPay writes every responseCode as five digits/, label);
    assert.equal(responseCategory(given), "unknown", label);
  }
  // "020003" is not 20003 (a soft decline), nor 2005 the 02005 it would pad to.
  assert.notEqual(describeResponseCode("020003").category, describeResponseCode("20003").category);
  // No digits at all, a fraction, a negative number or more than nine digits: null.
  for (const given of ["", " ", "abc", "2O023", "+20023", "-1", "20023.0", "1e4", "1000000000", 20023.5, -1, 1e9, NaN, Infinity]) {
    assert.equal(describeResponseCode(given), null, String(given));
    assert.equal(responseCategory(given), null, String(given));
  }
});

test("a decimal comma and digit grouping are answered with the amount typed, corrected", () => {
  const message = (amount, currency) => {
    const result = parseAmount(amount, currency);
    assert.equal(result.ok, false, amount);
    assert.equal(result.error.code, "invalid_decimal", amount);
    return result.error.message;
  };
  assert.match(message("10,50", "EUR"), /^invalid amount: the amount has a decimal comma; write "10\.50", not "10,50"\./);
  assert.match(message("-3,5", "EUR"), /the amount has a decimal comma; write "-3\.5", not "-3,5"/);
  assert.match(message("1,000", "KWD"), /decimal comma; write "1\.000"/, "three decimals where the currency has three");
  assert.match(message("1,000", "USD"), /digit-grouping separator; write "1000", not "1,000"/);
  assert.match(message("1_000", "USD"), /digit-grouping separator; write "1000", not "1_000"/);
  assert.match(message("1,234,567.89", "USD"), /digit-grouping separator; write "1234567\.89", not "1,234,567\.89"/);
  assert.match(message("1'000.50", "CHF"), /write "1000\.50", not "1'000\.50"/);
  // Never a canned example, nor a corrected form the currency refuses.
  for (const [amount, currency] of [["10,50", "EUR"], ["1_000", "USD"], ["2,500.75", "USD"], ["10,50", "JPY"], ["1,000.005", "USD"]]) {
    assert.doesNotMatch(message(amount, currency), /1,000\.00/, amount);
  }
  assert.doesNotMatch(message("10,50", "JPY"), /write "10\.50"/);
  assert.doesNotMatch(message("1,000.005", "USD"), /write "1000\.005"/);
});

test("CVV and expiry as typed", () => {
  assert.deepEqual(checkCvv("123", "visa"), { expectedLength: 3, isValid: true, isPotentiallyValid: true });
  assert.equal(checkCvv("123", "americanExpress").isValid, false);
  assert.equal(checkCvv("12", null).isPotentiallyValid, true);
  assert.throws(() => checkCvv("123", "nope"), (e) => e.code === "invalid_argument");
  const now = new Date("2026-11-21T00:00:00Z");
  assert.deepEqual(checkExpiry("12", "26", now), { month: 12, year: 2026, expired: false, isValid: true, isPotentiallyValid: true, warnings: [] });
  assert.equal(checkExpiry("10", "2026", now).expired, true);
  assert.equal(checkExpiry("1", "", "2026-11-21T00:00:00Z").isPotentiallyValid, true);
  assert.equal(checkExpiry("12", "2030").isValid, true);
  assert.throws(() => checkExpiry("12", "2030", "yesterday"), (e) => e.code === "invalid_date");
});

test("checkExpiry gives the checkout the verdict validateCharge gives the back office", () => {
  const now = "2026-11-21T10:00:00Z";
  const far = checkExpiry("12", "2047", now);
  assert.deepEqual(far, {
    month: 12, year: 2047, expired: false, isValid: true, isPotentiallyValid: true,
    warnings: [{
      path: "year", code: "invalid_value",
      message: "expiryYear 2047 is more than 20 years away; cards are issued for about ten years, so check it.",
    }],
  });
  assert.equal(checkExpiry("12", "47", now).isValid, true, "two digits read as 2047");
  assert.equal(checkExpiry("12", "209", now).isPotentiallyValid, true, "on the way to 2099");
  // "20" is where every four-digit year of the century begins: on the way to 2031, not 2020.
  assert.deepEqual(checkExpiry("03", "20", now), { month: 3, year: null, expired: false, isValid: false, isPotentiallyValid: true, warnings: [] });
  assert.equal(checkExpiry("03", "19", now).isPotentiallyValid, false, "2019 has passed");
  const charge = (month, year) => ({
    transaction: {
      merchantTransactionId: "m", orderId: "o", customerId: "c", currencyCode: "USD", amount: 1000,
      retryCount: 1, referenceData: null,
      paymentMethod: {
        creditCardNumber: "4111111111111111", expiryMonth: month, expiryYear: year,
        firstName: "A", lastName: "B", postalCode: "10001", city: "NYC", state: "NY",
      },
    },
  });
  const atExpiry = (p) => /expiry(Month|Year)$/.test(p.path);
  for (const year of ["2025", "2026", "2036", "2046", "2047", "2060", "2099", "3000"]) {
    for (const month of ["01", "10", "11", "12"]) {
      const check = checkExpiry(month, year, now);
      const result = validateCharge(charge(month, year), { now, environment: "production" });
      const errors = result.errors.filter(atExpiry);
      const warnings = result.warnings.filter(atExpiry);
      assert.equal(check.isValid, errors.length === 0, `${month}/${year}: ${JSON.stringify(errors)}`);
      assert.deepEqual(check.warnings.map((w) => [w.code, w.message]), warnings.map((w) => [w.code, w.message]), `${month}/${year}`);
    }
  }
});

test("README: money and response codes", () => {
  assert.deepEqual(parseAmount("20.08", "USD"), { ok: true, minorUnits: 2008, currency: "USD", formatted: "20.08" });
  assert.equal(parseAmount("20.08", "JPY").error.code, "not_minor_units");
  assert.equal(formatAmount(2008, "KWD"), "2.008");
  assert.deepEqual(currencyInfo("JPY"), { code: "JPY", numeric: 392, exponent: 0, name: "Japanese Yen" });
  const answer = describeResponseCode("20023");
  assert.equal(answer.category, "softDecline");
  assert.equal(answer.meaning, "insufficient funds");
  assert.equal(answer.retryable, true);
  assert.match(answer.retryGuidance, /^Retry at the retryDate FlexPay returned, never earlier, /);
  assert.equal(describeResponseCode("30011").retryable, false);
});

test("an amount grouped with points and a decimal comma is told so and written corrected", () => {
  // Following the message must give the amount meant, never a thousandth of it.
  for (const [typed, currency, corrected] of [
    ["1.000,00", "EUR", "1000.00"],
    ["1.234,56", "EUR", "1234.56"],
    ["2.500,00", "USD", "2500.00"],
    ["12.345.678,90", "EUR", "12345678.90"],
    ["1.234.567", "USD", "1234567"],
    ["1.234,567", "KWD", "1234.567"],
  ]) {
    const parsed = parseAmount(typed, currency);
    assert.equal(parsed.ok, false, typed);
    assert.equal(parsed.error.code, "invalid_decimal", typed);
    assert.ok(parsed.error.message.includes(`write "${corrected}", not "${typed}"`), parsed.error.message);
    assert.ok(parseAmount(corrected, currency).minorUnits >= 100_000, typed);
  }
  // One point is still a decimal point.
  assert.equal(parseAmount("1.234", "USD").error.code, "not_minor_units");
});
