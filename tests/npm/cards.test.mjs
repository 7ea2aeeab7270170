// The packed tarball, installed like a user installs it, imported as an ES module.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as flexkit from "flexkit";
import { checkCardNumber, checkExpiry, detectBrand, luhnValid, cardBrandInfo, init, initSync, version } from "flexkit";

const SANDBOX_CARDS = [
  ["4920201996449560", "visa"],
  ["5244209084665514", "mastercard"],
  ["341674949684898", "americanExpress"],
  ["30349475125576", "dinersClub"],
  ["3530111333300000", "jcb"],
  ["6011885753412897", "discover"],
];

test("init is a resolved, idempotent promise in Node", async () => {
  await init();
  await init();
  initSync();
});

test("FlexPay sandbox test cards are valid and branded", () => {
  for (const [number, brand] of SANDBOX_CARDS) {
    const check = checkCardNumber(number);
    assert.equal(check.brand, brand, number);
    assert.equal(check.isValid, true, number);
    assert.equal(check.luhnValid, true, number);
  }
});

test("a broken number is reported, not thrown", () => {
  const check = checkCardNumber("4920 2019 9644 9561");
  assert.deepEqual(check, {
    brand: "visa",
    candidates: ["visa"],
    digitCount: 16,
    digits: "4920201996449561",
    luhnValid: false,
    lengthValid: true,
    isValid: false,
    isPotentiallyValid: true,
  });
  assert.equal(Object.getPrototypeOf(check), Object.prototype, "a plain object, not a Map or class");
});

test("README: a pasted number is checked and handed over as the digits to send", () => {
  assert.deepEqual(checkCardNumber("4920 2019 9644 9560"), {
    brand: "visa", candidates: ["visa"], digitCount: 16, digits: "4920201996449560",
    luhnValid: true, lengthValid: true, isValid: true, isPotentiallyValid: true,
  });
});

test("partial input narrows the brand down as the user types", () => {
  assert.deepEqual(checkCardNumber("3").candidates, ["americanExpress", "dinersClub", "jcb"]);
  assert.equal(checkCardNumber("3").brand, null);
  assert.equal(detectBrand("34"), "americanExpress");
  assert.equal(detectBrand("2221"), "mastercard");
  assert.equal(checkCardNumber("1").isPotentiallyValid, false);
  assert.equal(checkCardNumber("").isPotentiallyValid, true);
});

test("a brand is reported only once it is certain, and is then the only candidate", () => {
  // Maestro's catch-all 6 loses to Discover's 6011: after "6011" only Discover is possible.
  const discover = checkCardNumber("6011");
  assert.equal(discover.brand, "discover");
  assert.deepEqual(discover.candidates, ["discover"]);
  assert.deepEqual(checkCardNumber("6").candidates, ["discover", "unionPay", "maestro"]);
  assert.equal(checkCardNumber("6").brand, null);
  // UnionPay's 62 outranks Maestro's 6, and Discover's 622126–622925 may still follow.
  assert.deepEqual(checkCardNumber("62").candidates, ["discover", "unionPay"]);
  assert.equal(checkCardNumber("62").brand, null);
  // 6222xx lies wholly in Discover's range: certain.
  assert.equal(checkCardNumber("6222").brand, "discover");
  // "4" may still be Maestro's 493698.
  assert.deepEqual(checkCardNumber("4").candidates, ["visa", "maestro"]);
  assert.equal(detectBrand("4"), null);
  // The contract, over every prefix of up to four digits: a brand exactly when one candidate.
  for (let length = 1; length <= 4; length++) {
    for (let n = 0; n < 10 ** length; n++) {
      const check = checkCardNumber(String(n).padStart(length, "0"));
      if (check.brand === null) assert.notEqual(check.candidates.length, 1, JSON.stringify(check));
      else assert.deepEqual(check.candidates, [check.brand], JSON.stringify(check));
      assert.equal(detectBrand(String(n).padStart(length, "0")), check.brand);
    }
  }
});

test("luhn and brand facts", () => {
  assert.equal(luhnValid("79927398713"), true);
  assert.equal(luhnValid("79927398710"), false);
  assert.equal(luhnValid("not digits"), false);
  assert.deepEqual(cardBrandInfo("americanExpress"), {
    brand: "americanExpress",
    displayName: "American Express",
    lengths: [15],
    cvvLength: 4,
    flexpayCardType: "AMERICAN EXPRESS",
  });
  assert.equal(cardBrandInfo("nope"), null);
});

test("misuse throws a real Error with a code, and the module keeps working", () => {
  for (const junk of [undefined, null, 42, {}, [], Symbol("s"), 10n, () => 1]) {
    assert.throws(
      () => checkCardNumber(junk),
      (error) => error instanceof Error && error.code === "invalid_argument" && /input must be a string/.test(error.message),
    );
  }
  assert.throws(() => checkCardNumber(), (e) => e instanceof Error && e.code === "invalid_argument");
  assert.equal(checkCardNumber("4920201996449560").isValid, true);
});

test("version matches package.json", async () => {
  const { createRequire } = await import("node:module");
  const pkg = createRequire(import.meta.url)("flexkit/package.json");
  assert.equal(version(), pkg.version);
  assert.equal(typeof flexkit.default, "undefined", "no default export: named imports only");
});

test("a number pasted with non-breaking spaces, typographic dashes or a line break is read", () => {
  for (const pasted of ["4111\u00a01111\u00a01111\u00a01111", "4111\u20131111\u20131111\u20131111", "4111 1111 1111 1111\n", "4111\u20091111\u202f1111 1111"]) {
    const check = checkCardNumber(pasted);
    assert.equal(check.isValid, true, JSON.stringify(pasted));
    assert.equal(check.digitCount, 16);
    assert.equal(check.digits, "4111111111111111", "the number to send, separators left out");
  }
});

test("an expiry month still being typed is judged by the months it may become", () => {
  const now = "2026-11-21T10:00:00Z";
  // "1" may become 11 or 12, still to come in 2026; "0" only 01-09, all past.
  assert.equal(checkExpiry("1", "26", now).isPotentiallyValid, true);
  assert.equal(checkExpiry("0", "26", now).isPotentiallyValid, false);
  assert.equal(checkExpiry("0", "27", now).isPotentiallyValid, true);
  assert.equal(checkExpiry("11", "26", now).isValid, true);
});
