// The packed tarball, installed like a user installs it, loaded with require().
const { test } = require("node:test");
const assert = require("node:assert/strict");

const flexkit = require("flexkit");

test("require() gives the same API as import", () => {
  for (const name of ["checkCardNumber", "detectBrand", "luhnValid", "cardBrandInfo", "checkCvv", "checkExpiry", "parseAmount", "formatAmount", "currencyInfo", "currencies", "describeResponseCode", "responseCategory", "retryGuidance", "version", "init", "initSync"]) {
    assert.equal(typeof flexkit[name], "function", name);
  }
});

test("checks a sandbox card and a broken one", () => {
  assert.equal(flexkit.checkCardNumber("341674949684898").brand, "americanExpress");
  assert.equal(flexkit.checkCardNumber("341674949684898").isValid, true);
  const broken = flexkit.checkCardNumber("341674949684899");
  assert.equal(broken.isValid, false);
  assert.equal(broken.isPotentiallyValid, false);
});

test("misuse throws an Error with a code", () => {
  assert.throws(() => flexkit.luhnValid(123), (e) => e instanceof Error && e.code === "invalid_argument");
});

test("the ES module and CommonJS entries share one instance", async () => {
  const esm = await import("flexkit");
  assert.equal(esm.checkCardNumber, flexkit.checkCardNumber);
});

test("the ES module and CommonJS entries export the same names", async () => {
  for (const entry of ["flexkit", "flexkit/sandbox"]) {
    const esm = await import(entry);
    const cjs = require(entry);
    assert.deepEqual(Object.keys(esm).sort(), Object.keys(cjs).sort(), entry);
  }
});
