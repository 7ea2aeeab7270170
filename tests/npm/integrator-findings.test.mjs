// What checkout and CRM developers ran into, held in the layer they met it: amounts in
// currencies without a minor unit, the options argument, `dateFirstAttempt`, the wording of
// approvals and retry counts, and the sandbox's clock and list paging.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  parseAmount, formatAmount, describeResponseCode, validateCharge, validateChargeJson, validateBatch, validateGateway,
  checkCardNumber,
} from "flexkit";
import { Sandbox } from "flexkit/sandbox";
import { validate as validateFlexiti, prepare, checkRules, accessToken } from "flexkit/flexiti";

import { rebill, visa } from "./readme-requests.mjs";

const NOW = new Date("2026-11-21T10:00:00Z");
const OPTIONS = { now: NOW, environment: "production" };
const charge = (fields = {}) => {
  const body = rebill("mt-1", 2999, visa);
  Object.assign(body.transaction, fields);
  return body;
};
const problemAt = (result, path) => result.errors.find((e) => e.path === path);

test("an amount with a fraction in a currency without a minor unit is explained in whole units, never as ×100", () => {
  for (const currencyCode of ["JPY", "KRW"]) {
    const error = problemAt(validateCharge(charge({ currencyCode, amount: 2999.5 }), OPTIONS), "transaction.amount");
    assert.equal(error.code, "not_minor_units");
    assert.match(error.message, new RegExp(`${currencyCode} has no minor unit: amounts are whole ${currencyCode}, so ${currencyCode} 1050 is 1050`));
    assert.doesNotMatch(error.message, /10\.50/);
  }
  // Two and three decimals keep their example.
  assert.match(problemAt(validateCharge(charge({ amount: 10.505 }), OPTIONS), "transaction.amount").message, /USD 10\.505|10\.50/);
  assert.throws(() => formatAmount(1.5, "JPY"), (e) => e.code === "not_minor_units" && /JPY has no minor unit/.test(e.message));
});

test("a point before three digits groups thousands where the currency has no minor unit", () => {
  for (const [amount, currency, written] of [["100.000", "VND", "100000"], ["10.000", "CLP", "10000"], ["1.500", "JPY", "1500"]]) {
    const { ok, error } = parseAmount(amount, currency);
    assert.equal(ok, false, `${amount} ${currency}`);
    assert.equal(error.code, "invalid_decimal");
    assert.match(error.message, new RegExp(`digit-grouping separator; write "${written}", not "${amount.replace(".", "\\.")}"`));
  }
  // Elsewhere the point is the decimal point, and a zero fraction is still no fraction.
  assert.equal(parseAmount("1.000", "USD").minorUnits, 100);
  assert.equal(parseAmount("1.000", "KWD").minorUnits, 1000);
  assert.equal(parseAmount("100.0", "VND").minorUnits, 100);
  assert.equal(parseAmount("1.5", "JPY").error.code, "not_minor_units");
});

test("a Date or an array where the options go is refused, not read as no options", () => {
  const request = charge();
  for (const [options, kind] of [[new Date("2020-01-01T00:00:00Z"), "a Date"], [[], "an array"], [[NOW], "an array"]]) {
    for (const run of [() => validateCharge(request, options), () => validateChargeJson(JSON.stringify(request), options), () => validateBatch("charge", [request], options)]) {
      assert.throws(run, (e) => e instanceof Error && e.code === "invalid_argument"
        && e.message === `options must be an object such as { now, environment }, not ${kind}`);
    }
  }
  // The object it stands for is read.
  assert.equal(validateCharge(request, { now: NOW }).ok, true);
});

test("an empty dateFirstAttempt is no date: the validator refuses it as the sandbox does", () => {
  for (const dateFirstAttempt of ["", " "]) {
    const result = validateCharge(charge({ dateFirstAttempt }), OPTIONS);
    assert.equal(result.ok, false);
    assert.equal(problemAt(result, "transaction.dateFirstAttempt").code, "invalid_timestamp");
    const sandbox = new Sandbox(3);
    const { key } = sandbox.generateApiKey("ci", { now: "2026-03-01T00:00:00Z" });
    const body = rebill("dfa-1", 1000, visa);
    body.transaction.dateFirstAttempt = dateFirstAttempt;
    assert.throws(() => sandbox.charge(key, body, "2026-03-01T00:00:00Z"), (e) => e.code === "malformed_request" && e.status === 400);
  }
  // Left out or null, it is not asked for.
  assert.equal(validateCharge(charge({ dateFirstAttempt: null }), OPTIONS).ok, true);
});

test("retryCount is worded the same way wherever it is explained", () => {
  const negative = problemAt(validateCharge(charge({ retryCount: 1.5 }), OPTIONS), "transaction.retryCount");
  assert.match(negative.message, /1 for the first attempt sent to FlexPay after your gateway's decline \(0 when FlexPay makes the very first attempt\)/);
  const lost = problemAt(validateCharge(charge({ retryCount: 2 }), OPTIONS), "transaction.referenceData");
  assert.match(lost.message, /A new payment starts at retryCount 1 \(or 0 when FlexPay makes the very first attempt\)/);
});

test("an approved reversal is not called a recovered payment", () => {
  const reversal = describeResponseCode("10001");
  assert.equal(reversal.category, "approved");
  assert.match(reversal.retryGuidance, /^Stop: approved \(a payment recovered, or a reversal done\)/);
});

test("the sandbox finds no transaction for a follow-up sent with a clock behind it", () => {
  const sandbox = new Sandbox(5);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-04-01T00:00:00Z" });
  const paid = sandbox.charge(key, rebill("y1", 5000, visa), "2026-05-01T00:00:00Z").transaction;
  assert.equal(paid.responseCode, "10000");
  const early = sandbox.refund(key, paid.transactionId, { transaction: { merchantTransactionId: "y2" } }, "2026-04-30T23:59:59Z").transaction;
  assert.equal(early.responseCode, "50131");
  const onTime = sandbox.refund(key, paid.transactionId, { transaction: { merchantTransactionId: "y3" } }, "2026-05-01T00:00:00Z").transaction;
  assert.equal(onTime.responseCode, "10000");
});

test("a page start that is not in the listing is named by both of its names", async () => {
  const sandbox = new Sandbox(9);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-03-01T00:00:00Z" });
  const fetch = sandbox.createFetch({ now: () => "2026-03-01T00:00:00Z" });
  for (const name of ["sinceToken", "sinceTransactionId"]) {
    const response = await fetch(`https://api.flexpay.io/v1/transactions?${name}=abc`, { headers: { Authorization: `Basic ${key}` } });
    assert.equal(response.status, 400);
    const body = await response.json();
    assert.match(JSON.stringify(body), /sinceTransactionId \(or sinceToken, its older name\) \\"abc\\" is not in this listing/);
  }
});

test("a gateway's accepted currencies refuse a code without a minor unit, as its own currency does", () => {
  const gateway = { name: "Stripe EU", gatewayType: "stripe", currencyCode: "EUR", status: "Available", acceptedCurrencyCodes: ["EUR", "XAU"] };
  const result = validateGateway(gateway, OPTIONS);
  assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [["acceptedCurrencyCodes[1]", "unknown_currency"]]);
  assert.deepEqual(validateGateway({ ...gateway, currencyCode: "XAU", acceptedCurrencyCodes: undefined }, OPTIONS).errors.map((e) => e.code), ["unknown_currency"]);
});

test("a card number with a character out of place counts the digits typed before it, as its type says", () => {
  for (const [typed, digits] of [["4111.1111.1111.1111", 4], ["4111 1111a111", 8]]) {
    const check = checkCardNumber(typed);
    assert.equal(check.digitCount, digits, typed);
    assert.equal(check.digits, "", "no number to send");
    assert.equal(check.isValid, false);
    assert.equal(check.isPotentiallyValid, false);
  }
});

test("Flexiti: a lone surrogate is reported at its field, as the flexkit entry reports it, not as broken JSON", () => {
  const half = validateFlexiti("capture", { amount: "1.00", reference: "ab\uD800cd" });
  assert.deepEqual(half.errors.map((e) => [e.path, e.code]), [["reference", "lone_surrogate"]]);
  assert.match(half.errors[0].message, /^reference holds a lone UTF-16 surrogate/);
  // In a key, shown as U+FFFD; other problems are still reported with it.
  const key = validateFlexiti("capture", { amount: "-1.00", ["ref\uDC00"]: "x" });
  assert.ok(key.errors.some((e) => e.path === "ref\uFFFD" && e.code === "lone_surrogate"), JSON.stringify(key.errors));
  assert.ok(key.errors.some((e) => e.path === "amount"), JSON.stringify(key.errors));
  // A whole pair is one character: nothing to say about it.
  assert.ok(!validateFlexiti("capture", { amount: "1.00", reference: "ab\uD83D\uDE00" }).errors.some((e) => e.code === "lone_surrogate"));
  const answer = { token_type: "bearer", access_token: "4f3c9a1e0b7d42c6", expires_in: 1200, refresh_token: "9a1e5b2c7d3f4e60" };
  const token = accessToken(answer, "TRAINING", new Date("2026-11-21T10:00:00Z"));
  const ready = prepare({ kind: "capture", authorizationId: "7620877612482005" }, { amount: "1.00", reference: "\uDFFF" },
    { environment: "TRAINING", clientId: "flexitidemo", token, now: new Date("2026-11-21T10:05:00Z") });
  assert.equal(ready.ok, false);
  assert.equal(ready.code, "invalid_request");
  assert.deepEqual(ready.errors.map((e) => [e.path, e.code]), [["reference", "lone_surrogate"]]);
  const rules = checkRules("capture", { amount: "1.00", reference: "\uD800" }, { open: true, remaining: "5.00" }, { now: "2026-11-21T10:00:00Z" });
  assert.deepEqual(rules.errors.map((e) => [e.path, e.code]), [["reference", "lone_surrogate"]]);
});

// A card and its holder as a checkout form gives them: the fields named as other payment
// APIs name them, the number as typed, an e-mail with the spaces a paste brings.
const formCharge = (paymentMethod) =>
  rebill("mt-form", 2999, { ...visa, paymentMethod: { ...visa.paymentMethod, ...paymentMethod } });

test("a field named as other payment APIs name it is told FlexPay's name for it", () => {
  const body = formCharge({ zip: "10001", exp_month: "09" });
  delete body.transaction.paymentMethod.postalCode;
  delete body.transaction.paymentMethod.expiryMonth;
  const { errors } = validateCharge(body, OPTIONS);
  for (const [key, meant] of [["zip", "postalCode"], ["exp_month", "expiryMonth"]]) {
    const error = problemAt({ errors }, `transaction.paymentMethod.${key}`);
    assert.equal(error?.code, "unknown_field", key);
    assert.match(error.message, new RegExp(`^Unknown field "${key}": did you mean "${meant}"\\?`));
  }
  // The JSON text gets the same words.
  assert.deepEqual(validateChargeJson(JSON.stringify(body), OPTIONS).errors, errors);
});

test("an e-mail with spaces around it is told to drop them", () => {
  const error = problemAt(validateCharge(formCharge({ email: " ada@example.com\t" }), OPTIONS), "transaction.paymentMethod.email");
  assert.equal(error.code, "invalid_format");
  assert.equal(error.message, 'email has spaces around the address; send "ada@example.com" without them.');
});

test("a card number typed with spaces still holds the CVV to its brand's length", () => {
  const result = validateCharge(formCharge({ creditCardNumber: "4920 2019 9644 9560", cvv: "1234" }), OPTIONS);
  assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [
    ["transaction.paymentMethod.creditCardNumber", "invalid_format"],
    ["transaction.paymentMethod.cvv", "invalid_cvv"],
  ]);
  assert.match(result.errors[1].message, /Visa cards have 3/);
  // checkCardNumber hands over the number to send.
  const check = checkCardNumber("4920 2019 9644 9560");
  assert.equal(check.digits, "4920201996449560");
  assert.equal(validateCharge(formCharge({ creditCardNumber: check.digits, cvv: "123" }), OPTIONS).ok, true);
});

test("in the Sandbox environment a card other than the test cards is warned about, as FlexPay declines it with 30016", () => {
  const sandbox = { ...OPTIONS, environment: "sandbox" };
  const real = validateCharge(formCharge({ creditCardNumber: "4111111111111111" }), sandbox);
  assert.equal(real.ok, true, "a warning, not an error");
  assert.deepEqual(real.warnings.map((w) => [w.path, w.code]), [["transaction.paymentMethod.creditCardNumber", "not_a_test_card"]]);
  assert.match(real.warnings[0].message, /declines payments with it \(30016\)/);
  // A test card is not warned about, and neither is a real card in Production.
  const test = validateCharge(formCharge({ creditCardNumber: "4920201996449560", expiryMonth: "07", expiryYear: "2024", cvv: "879" }), sandbox);
  assert.deepEqual([test.ok, test.warnings], [true, []]);
  assert.deepEqual(validateCharge(formCharge({ creditCardNumber: "4111111111111111" }), OPTIONS).warnings, []);
  // The sandbox answers that card as the warning says.
  const crm = new Sandbox(7);
  const { key } = crm.generateApiKey("ci", { now: NOW });
  assert.equal(crm.charge(key, formCharge({ creditCardNumber: "4111111111111111" }), NOW).transaction.responseCode, "30016");
});
