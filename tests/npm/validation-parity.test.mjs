// The npm package reports the same problems (path and code) as the Rust core's
// `validate_*_json` for every request of `validation-corpus.json`, which the core's test
// `the_npm_parity_corpus_is_current` writes from the core itself (`FLEXKIT_UPDATE_CORPUS=1
// cargo test -p flexkit-core corpus`). Each request is checked twice: as JSON text
// (`validateJson`) and as the object `JSON.parse` gives (`validate`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

import { validate, validateJson } from "flexkit";

const corpus = JSON.parse(readFileSync(new URL("./validation-corpus.json", import.meta.url), "utf8"));
const OPTIONS = { now: new Date(corpus.now), environment: corpus.environment };

const problems = (result) =>
  [...result.errors, ...result.warnings]
    .map((p) => [p.path, p.code])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));

test(`the ${corpus.items.length} corpus requests get the core's problems, as text and as objects`, () => {
  assert.ok(corpus.items.length > 80);
  for (const { kind, text, problems: expected } of corpus.items) {
    assert.deepEqual(problems(validateJson(kind, text, OPTIONS)), expected, `${kind} text: ${text}`);
    assert.deepEqual(problems(validate(kind, JSON.parse(text), OPTIONS)), expected, `${kind} object: ${text}`);
  }
});

test("deliberate differences from the core's text validators are only the documented ones", () => {
  // JSON.parse keeps the last of repeated keys silently, and reads 1050.0 as 1050.
  const duplicate = '{"transaction": {"merchantTransactionId": "a", "merchantTransactionId": "b"}}';
  assert.equal(validateJson("void", duplicate, OPTIONS).ok, true);
  const decimalPoint = '{"transaction": {"merchantTransactionId": "c", "amount": 1050.0}}';
  assert.equal(validateJson("capture", decimalPoint, OPTIONS).ok, true);
  // Malformed JSON is reported with the parser's position.
  const broken = validateJson("charge", '{"transaction": {', OPTIONS);
  assert.equal(broken.errors[0].code, "malformed_json");
  assert.match(broken.errors[0].message, /position|JSON/);
  // The size cap applies before parsing.
  const huge = validateJson("charge", `{"transaction": {"orderId": "${"x".repeat(70_000)}"}}`, OPTIONS);
  assert.equal(huge.errors[0].code, "input_too_large");
  let deep = {};
  for (let i = 0; i < 40; i++) deep = { a: deep };
  assert.equal(validate("charge", { transaction: deep }, OPTIONS).errors[0].code, "too_deeply_nested");
});

test("JSON text is held to 64 KiB of text only, however its numbers grow once encoded", () => {
  // `1,` is 2 characters of text and 9 bytes encoded: text just under 64 KiB made of numbers
  // encodes to about 4.5 times its size, and is still read and judged as FlexPay would.
  const charge = (count) =>
    JSON.stringify({ transaction: { merchantTransactionId: "t", orderId: "o", currencyCode: "USD", amount: 1000, retryCount: 0, referenceData: null, paymentMethodId: "pm", items: Array(count).fill(1) } });
  let count = 7_000;
  while (charge(count + 1).length <= 64 * 1024) count++;
  const text = charge(count);
  assert.ok(text.length <= 64 * 1024 && text.length > 64 * 1024 - 2);
  const asText = validateJson("charge", text, OPTIONS);
  assert.ok(!asText.errors.some((e) => e.code === "input_too_large"), JSON.stringify(asText.errors[0]));
  assert.equal(asText.ok, true);
  assert.deepEqual(asText.warnings.map((e) => [e.path, e.code]), [["transaction.items", "unknown_field"]]);
  assert.equal(validateJson("charge", charge(count + 1), OPTIONS).errors[0].code, "input_too_large");
  // As an object the encoding is what is counted (README): 9 bytes a number.
  assert.equal(validate("charge", JSON.parse(text), OPTIONS).errors[0].code, "input_too_large");
  // And the module goes on answering as before.
  assert.equal(validate("charge", JSON.parse(charge(3)), OPTIONS).warnings.length, 1);
});

test("the 64 KiB limit is the input's size alone: the same verdict in any order, from a fresh module too", () => {
  // A charge whose description makes the text `n` characters longer; every character ASCII.
  const script = `
    const { validateChargeJson, validateCharge } = require("flexkit");
    const text = (n) => JSON.stringify({ transaction: { merchantTransactionId: "t", orderId: "o", customerId: "c",
      currencyCode: "USD", amount: 1000, retryCount: 1, referenceData: null, paymentMethodId: "pm", description: "x".repeat(n) } });
    const verdict = (n) => {
      const t = text(n);
      const big = (r) => r.errors.some((e) => e.code === "input_too_large");
      return [t.length, big(validateChargeJson(t)), big(validateCharge(JSON.parse(t)))];
    };
    const sizes = JSON.parse(process.argv[1]);
    process.stdout.write(JSON.stringify(sizes.map(verdict)));
  `;
  const run = (sizes) => JSON.parse(execFileSync(process.execPath, ["-e", script, JSON.stringify(sizes)], { encoding: "utf8" }));
  const sizes = [21_000, 21_500, 21_800, 30_000, 60_000, 65_000, 66_000, 200_000];
  const ascending = run(sizes);
  const descending = run([...sizes].reverse()).reverse();
  const alone = sizes.map((n) => run([n])[0]);
  assert.deepEqual(descending, ascending);
  assert.deepEqual(alone, ascending);
  for (const [length, asText, asObject] of ascending) {
    const over = length > 64 * 1024;
    assert.equal(asText, over, `text of ${length} characters`);
    // The object's encoding is smaller than its JSON text here (field names are indexes).
    assert.equal(asObject, over, `object of ${length} characters as JSON`);
  }
});
