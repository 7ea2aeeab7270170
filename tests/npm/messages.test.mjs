// Every message the validators and the Flexiti sandbox word reads as one line of text: no run
// of spaces (a string continued in Rust without its `\`) and no line break. The requests are
// a valid one of each kind and every one-value change of it to a value of each wrong kind,
// a dropped field and an unknown one, as validators, as JSON text and through the TRAINING
// sandbox; for FlexPay, the parity corpus of `validation-corpus.json`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as flexiti from "flexkit/flexiti";
import { validateJson as validateFlexPayJson } from "flexkit";

const NOW = "2026-11-21T10:00:00Z";
const STORE = { request_id: "till-1", external_location_id: "00-12345", external_employee_id: "12345-SMITH" };
const SKU = {
  purchase_order: "PO-1", register_id: "R1", transaction_discount_total: "0.00", transaction_subtotal: "10.00",
  transaction_total: "10.00", gst_hst: "0.00", pst: "0.00", shipping_total: "0.00",
  products: [{ sku_id: "S1", category: "C", description: "D", quantity: 1, unit_price: "10.00", extended_price: "10.00" }],
};
const HISTORY = {
  lang: "fr", account_number: 10000000000001, external_location_id: "00-12345", creation_date_from: "2026-11-01",
  creation_date_to: "2026-11-20", page_number: 1, page_size: 10,
};
const VALID = {
  authorization: {
    account_number: 10000000000001, vcc_number: "6011000000000001", reference: "order-1", amount: "10.00", auto_capture: false,
    verification_code: "2222", financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
    sku_data: SKU, ...STORE,
  },
  capture: { amount: "10.00", reference: "r", external_location_id: "00-12345", external_employee_id: "E1", sku_data: SKU },
  release: { amount: "1.00", reference: "r", external_location_id: "00-12345", external_employee_id: "E1" },
  return: { amount: "1.00", full_return: false, reference: "r", vcc_number: "6011000000000001", sku_data: SKU },
  refund: { amount: "5.00", reference: "r", vcc_number: "6011000000000001", capture_id: 12345, external_location_id: "00-1", external_employee_id: "E1", sku_data: SKU },
  transaction: { account_number: 10000000000001, transaction_type: "deposit", amount: "10.00", verification_code: "2222", ...STORE },
  customerSearch: { first_name: "Jean", last_name: "Tremblay", dob: "1980-01-31", postal_code: "M1M1M1" },
  customerLookup: { account_number: 10000000000001, lang: "en" },
  accountVerify: { request_id: "r", vcc_number: "6011000000000001", format: "security_question", security_qid: "4", security_answer: "x" },
  calculateInterest: { amount: "100.00" },
  authorizationList: { ...HISTORY, transaction_type: "regular_purchase", authorization_status: "opened" },
  captureList: HISTORY,
  authorizationDetail: { lang: "en" },
  skuData: SKU,
};
const WRONG = [
  null, true, 0, -1, 1.005, 0.1 + 0.2, 1e21, 70368744177664, "", " ", "x", "é", "10,50", "2030-01-01", "1980-02-30",
  "x".repeat(300), "12-34", [], [1], {}, { a: 1 },
];

/** The value with `path` (keys and indexes) set to `to`, or dropped when `to` is `DROP`. */
const DROP = Symbol("drop");
function changed(value, path, to) {
  if (path.length === 0) return to;
  const copy = Array.isArray(value) ? [...value] : { ...value };
  const [key, ...rest] = path;
  if (rest.length === 0 && to === DROP) delete copy[key];
  else copy[key] = changed(value[key], rest, to);
  return copy;
}

/** Every path of a leaf or object in `value`. */
function paths(value, prefix = []) {
  if (value === null || typeof value !== "object") return [prefix];
  const inner = Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]));
  return prefix.length === 0 ? inner : [prefix, ...inner];
}

/** Each request of `kind` the sweep sends. */
function* variants(kind) {
  const valid = VALID[kind];
  yield valid;
  yield { ...valid, unknown_field: 1, amout: "1.00" };
  for (const path of paths(valid)) {
    yield changed(valid, path, DROP);
    for (const wrong of WRONG) yield changed(valid, path, wrong);
  }
}

function texts(value, into) {
  if (typeof value === "string") into.push(value);
  else if (value !== null && typeof value === "object") for (const item of Object.values(value)) texts(item, into);
  return into;
}

/** The words of an answer or thrown error: its messages, descriptions and field messages. */
function wording(answer) {
  const out = [];
  const visit = (value) => {
    if (value === null || typeof value !== "object") return;
    for (const key of ["message", "msg", "description"]) if (typeof value[key] === "string") out.push(value[key]);
    for (const item of Object.values(value)) visit(item);
  };
  visit(answer);
  if (typeof answer?.body === "string") visit(JSON.parse(answer.body));
  return out;
}

function assertOneLine(messages, label) {
  for (const message of messages) {
    assert.doesNotMatch(message, / {2}|\n|\r/, `${label}: ${JSON.stringify(message)}`);
  }
}

test("no Flexiti validator message has a run of spaces or a line break", () => {
  let count = 0;
  for (const kind of Object.keys(VALID)) {
    assert.equal(flexiti.validate(kind, VALID[kind], { now: NOW }).ok, true, `${kind} sample is valid`);
    for (const request of variants(kind)) {
      for (const result of [flexiti.validate(kind, request, { now: NOW }), flexiti.validateJson(kind, JSON.stringify(request), { now: NOW })]) {
        const messages = [...result.errors, ...result.warnings].map((p) => p.message);
        count += messages.length;
        assertOneLine(messages, `${kind} ${JSON.stringify(request).slice(0, 200)}`);
      }
    }
  }
  assert.ok(count > 5000, `${count} messages`);
});

test("no answer of the Flexiti sandbox has a run of spaces or a line break", () => {
  const sandbox = new flexiti.FlexitiSandbox(3);
  const token = sandbox.issueToken(NOW);
  const call = { token, now: NOW };
  const calls = {
    authorization: (r) => sandbox.authorize(r, call),
    capture: (r) => sandbox.capture("7620877612482005", r, call),
    release: (r) => sandbox.release("7620877612482005", r, call),
    return: (r) => sandbox.returnCapture("7620877612482005", 1, r, call),
    refund: (r) => sandbox.refund(10000000000001, r, call),
    transaction: (r) => sandbox.transaction(r, call),
    customerSearch: (r) => sandbox.search(r, call),
    customerLookup: (r) => sandbox.lookup(r, call),
    accountVerify: (r) => sandbox.verify(10000000000001, r, call),
    calculateInterest: (r) => sandbox.calculateInterest(10000000000001, r, call),
    authorizationList: (r) => sandbox.authorizations(r, call),
    captureList: (r) => sandbox.captures(r, call),
    authorizationDetail: (r) => sandbox.authorizationDetail("7620877612482005", r, call),
  };
  let count = 0;
  for (const [kind, send] of Object.entries(calls)) {
    for (const request of variants(kind)) {
      let messages;
      try {
        messages = wording(send(request));
      } catch (error) {
        assert.equal(typeof error.code, "string");
        messages = [error.message, ...wording(error)];
      }
      count += messages.length;
      assertOneLine(messages, `${kind} ${JSON.stringify(request).slice(0, 200)}`);
    }
  }
  for (const body of ["", "client_id=a", "grant_type=x&scope=y&z=1", '{"client_id":"a"}', "client_id=%", "client_id=a&client_secret=b&grant_type=refresh_token"]) {
    try {
      sandbox.token(body, NOW);
    } catch (error) {
      assertOneLine([error.message, ...wording(error)], `token ${body}`);
    }
    assertOneLine(texts(flexiti.validateTokenForm(body), []), `validateTokenForm ${body}`);
  }
  for (const [status, body] of [[502, "<html>Bad gateway</html>"], [409, "{}"], [0, '{"error":404}'], [401, ""]]) {
    assertOneLine(wording(flexiti.parseError(status, body)), `parseError ${status}`);
  }
  assertOneLine(flexiti.errorCodes().map((c) => c.description), "errorCodes");
  assert.ok(count > 2000, `${count} messages`);
  sandbox.free();
});

test("no FlexPay validator message of the parity corpus has a run of spaces or a line break", () => {
  const corpus = JSON.parse(readFileSync(new URL("./validation-corpus.json", import.meta.url), "utf8"));
  const options = { now: new Date(corpus.now), environment: corpus.environment };
  let count = 0;
  for (const { kind, text } of corpus.items) {
    const result = validateFlexPayJson(kind, text, options);
    const messages = [...result.errors, ...result.warnings].map((p) => p.message);
    count += messages.length;
    assertOneLine(messages, `${kind} ${text.slice(0, 200)}`);
  }
  assert.ok(count > 50, `${count} messages`);
});
