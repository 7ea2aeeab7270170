// Request validation from objects and JSON text: data, never exceptions, for invalid input.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  validateCharge, validateChargeJson, validateBatch, validateCapture, validateRefundJson, validate,
  validateUpdatePaymentMethod, validateUpdatePaymentMethodJson, validateRecachePaymentMethod,
  validateRecachePaymentMethodJson, validateListQuery, validateListQueryJson,
  validateGateway, validateGatewayJson,
} from "flexkit";
import { Sandbox } from "flexkit/sandbox";

const OPTIONS = { now: new Date("2026-11-21T10:00:00Z"), environment: "production" };
const valid = {
  transaction: {
    merchantTransactionId: "mt-1", orderId: "o-1", customerId: "c-1", currencyCode: "USD", amount: 2999,
    retryCount: 1, referenceData: null,
    paymentMethod: {
      creditCardNumber: "4111111111111111", expiryMonth: "09", expiryYear: "2029", cvv: "123",
      firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY", country: "US",
    },
    retainOnSuccess: false,
  },
};

test("a valid charge is ok, from an object and from JSON text", () => {
  const r = validateCharge(valid, OPTIONS);
  assert.deepEqual(r.errors, []);
  assert.equal(r.ok, true);
  assert.deepEqual(validateChargeJson(JSON.stringify(valid), OPTIONS), r);
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
});

test("an invalid charge lists every problem with path, code and message", () => {
  const bad = structuredClone(valid);
  bad.transaction.paymentMethod.creditCardNumber = "4111111111111112";
  bad.transaction.paymentMethod.expiryMonth = "13";
  bad.transaction.currencyCode = "usd";
  bad.transaction.amount = -5;
  delete bad.transaction.orderId;
  const r = validateCharge(bad, OPTIONS);
  assert.equal(r.ok, false);
  const codes = Object.fromEntries(r.errors.map((e) => [e.path, e.code]));
  assert.equal(codes["transaction.paymentMethod.creditCardNumber"], "invalid_luhn");
  assert.equal(codes["transaction.orderId"], "required");
  assert.ok(r.errors.length >= 5, JSON.stringify(r.errors));
  for (const e of r.errors) {
    assert.deepEqual(Object.keys(e).sort(), ["code", "message", "path"]);
  }
});

test("unreadable and wrong-typed input is answered with data", () => {
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal(validateCharge(cyclic).errors[0].code, "unreadable_input");
  assert.equal(validateCharge(undefined).ok, false);
  // No request at all is said as such, not as a null one; a null one is null.
  for (const missing of [validateCharge(undefined), validateCharge(), validate("capture"), validateBatch("refund", [, {}], OPTIONS)[0]]) {
    assert.deepEqual(missing.errors.map((e) => [e.path, e.code]), [["", "wrong_type"]]);
    assert.match(missing.errors[0].message, /^The body must be a JSON object, not undefined \(no request was given\): send \{"transaction": \{\.\.\.\}\}\.$/);
  }
  assert.match(validateCharge(null).errors[0].message, /^The body must be a JSON object, not null: /);
  assert.equal(validateCharge({ transaction: { amount: 10n } }).ok, false);
  assert.equal(validateChargeJson("{ not json").errors[0].code, "malformed_json");
  assert.equal(validateCapture({ transaction: { merchantTransactionId: "m" } }, OPTIONS).ok, true);
  assert.equal(validateRefundJson("{}", OPTIONS).ok, false);
  assert.throws(() => validateChargeJson(42), (e) => e.code === "invalid_argument");
  assert.throws(() => validate("nope", {}), (e) => e.code === "invalid_argument");
  assert.throws(() => validateCharge(valid, { now: "yesterday" }), (e) => e.code === "invalid_date");
  // An invalid Date takes the quick path into wasm and is thrown from there, every time.
  for (let i = 0; i < 2; i++) {
    assert.throws(
      () => validateCharge(valid, { now: new Date(Number.NaN) }),
      (e) => e instanceof Error && e.code === "invalid_date",
    );
    assert.equal(validateCharge(valid, OPTIONS).ok, true);
  }
});

test("not-JSON text is answered with where and why, never with the text around the fault", () => {
  // The engines' own JSON.parse messages quote about ten characters on each side of the fault:
  // card digits, a CVV or a key would reach the result, and the logs that keep it.
  const cases = [
    ['{"transaction":{"paymentMethod":{"creditCardNumber":\'4920201996449560\'}}}', "expected a value at line 1, column 53"],
    ['{"transaction":{"paymentMethod":{"creditCardNumber":"4920201996449560","cvv":879x}}}', "expected ',' or '}' at line 1, column 81"],
    ['{"settings":{"apiKey":sk_live_4eC39HqLyjWDarjtT1zdp7dc}}', "expected a value at line 1, column 23"],
    ['{\n  "transaction": {\n    "amount": 1000,\n  }\n}', "expected a key in double quotes at line 4, column 3"],
    ['{"transaction": {"orderId": "4920201996449560', "a string is not closed at line 1, column 29"],
    // Inside a string or a number: the character at fault, not the token's start.
    ['{"orderId": "4920\\q201996449560"}', "a string holds an escape JSON does not have at line 1, column 18"],
    ['{"orderId": "49\\u20x1"}', "a \\u escape needs four hexadecimal digits at line 1, column 16"],
    ['{"orderId": "4920\n2019"}', "a string holds a raw control character (write it as an escape) at line 1, column 18"],
    ['{"amount": 10.}', "a number is not written as JSON writes one (digits after '.' and 'e', no leading zero) at line 1, column 14"],
    ['{"amount": 1e}', "a number is not written as JSON writes one (digits after '.' and 'e', no leading zero) at line 1, column 13"],
    ['{"amount": 0100}', "a number is not written as JSON writes one (digits after '.' and 'e', no leading zero) at line 1, column 13"],
    ['{"amount": -}', "a number is not written as JSON writes one (digits after '.' and 'e', no leading zero) at line 1, column 12"],
    // A quote or '-' where neither a value nor a key may come is the fault itself, whatever
    // follows it; so is a second fraction or exponent.
    ['{\n  "amount": 1000",\n  "currency": "USD"\n}', "expected ',' or '}' at line 2, column 17"],
    ['{"a" "b\\q"}', "expected ':' at line 1, column 6"],
    ['[1 "abc', "expected ',' or ']' at line 1, column 4"],
    ['{"a":1} "x\\q"', "expected the end of the text at line 1, column 9"],
    ["[1 -]", "expected ',' or ']' at line 1, column 4"],
    ['{"a":1}-', "expected the end of the text at line 1, column 8"],
    ["[1.5.3]", "expected ',' or ']' at line 1, column 5"],
    ["[1e5e3]", "expected ',' or ']' at line 1, column 5"],
    // Cut off inside an escape: the text ends too early.
    ['{"a": "abc\\', "the text ends too early at line 1, column 12"],
    ['{"a": "abc\\u12', "the text ends too early at line 1, column 15"],
    // A lone \r ends a line as \n and \r\n do; columns count characters, not UTF-16 units.
    ['{\r  "amount": 1000,\r\n}', "expected a key in double quotes at line 3, column 1"],
    ['{"\u{1F600}\u{1F600}": x}', "expected a value at line 1, column 8"],
    ['{"transaction" {}}', "expected ':' at line 1, column 16"],
    ["[1 2]", "expected ',' or ']' at line 1, column 4"],
    ['{"transaction": {}} 4920', "expected the end of the text at line 1, column 21"],
    ['{"transaction": {"amount": 1000', "the text ends too early at line 1, column 32"],
    ["", "the text ends too early at line 1, column 1"],
  ];
  for (const [text, where] of cases) {
    const result = validateChargeJson(text, OPTIONS);
    assert.deepEqual(result.errors, [{ path: "", code: "malformed_json", message: `The text is not valid JSON: ${where}.` }], text);
  }
  // Every text JSON.parse refuses gets such a message: single characters of JSON's alphabet
  // dropped, doubled or replaced in a valid request, so the faults fall everywhere.
  const request = JSON.stringify({ transaction: { ...valid.transaction, items: [1, -2.5e3, true, null, "\u00e9\"x\\"] } }, null, 1);
  const alphabet = ['"', "{", "}", "[", "]", ":", ",", "1", "-", ".", "e", "\\", " ", "\n", "\r", "x", "\u0001"];
  let refused = 0;
  for (let i = 0; i < request.length; i++) {
    for (const mutated of [request.slice(0, i) + request.slice(i + 1), request.slice(0, i) + request[i] + request.slice(i), ...alphabet.map((c) => request.slice(0, i) + c + request.slice(i + 1))]) {
      let parses = true;
      try {
        JSON.parse(mutated);
      } catch {
        parses = false;
      }
      const [first] = validateChargeJson(mutated, OPTIONS).errors;
      if (parses) {
        assert.notEqual(first?.code, "malformed_json", mutated);
        continue;
      }
      refused++;
      assert.equal(first.code, "malformed_json", mutated);
      assert.match(first.message, /^The text is not valid JSON: [a-zA-Z ,:'{}[\]().\\]+ at line \d+, column \d+\.$/, mutated);
      const [, line, column] = /line (\d+), column (\d+)/.exec(first.message).map(Number);
      // The place named lies in the text: lines end at \n, \r\n or \r; columns count code points.
      const lines = mutated.split(/\r\n?|\n/);
      assert.ok(line <= lines.length && column - 1 <= [...lines[line - 1]].length, `${mutated}: ${first.message}`);
    }
  }
  assert.ok(refused > 2000, `${refused} refused texts`);
});

test("NaN and Infinity are numbers JSON cannot hold, reported where they are, not as missing", () => {
  const at = (amount) => {
    const request = structuredClone(valid);
    request.transaction.amount = amount;
    request.transaction.paymentMethod.expiryMonth = amount;
    return validateCharge(request, OPTIONS).errors.filter((e) => e.path.endsWith("amount") || e.path.endsWith("expiryMonth"));
  };
  for (const [value, words] of [[Number("29,99"), /NaN, a number JSON cannot hold/], [Infinity, /too large for JSON to hold/], [-Infinity, /too large for JSON to hold/]]) {
    const problems = at(value);
    assert.deepEqual(problems.map((p) => [p.path, p.code]), [
      ["transaction.amount", "wrong_type"],
      ["transaction.paymentMethod.expiryMonth", "wrong_type"],
    ], String(value));
    for (const p of problems) assert.match(p.message, words);
    assert.doesNotMatch(problems[0].message, /required|must not be null/);
    assert.match(problems[0].message, /integer amount in minor units/);
  }
  // JSON.parse reads 1e400 as Infinity: the text says where.
  const text = JSON.stringify(valid).replace('"amount":2999', '"amount":1e400');
  const r = validateChargeJson(text, OPTIONS);
  assert.deepEqual(r.errors.map((e) => [e.path, e.code]), [["transaction.amount", "wrong_type"]]);
  // What JSON.stringify writes for it, null, is still a missing amount.
  assert.equal(validateChargeJson(JSON.stringify({ transaction: { ...valid.transaction, amount: NaN } }), OPTIONS).errors[0].code, "required");
});

test("a payment method with neither a card number nor a gateway token names both kinds", () => {
  const request = structuredClone(valid);
  delete request.transaction.paymentMethod.creditCardNumber;
  for (const r of [validateCharge(request, OPTIONS), validateChargeJson(JSON.stringify(request), OPTIONS)]) {
    const problem = r.errors.find((e) => e.path === "transaction.paymentMethod.creditCardNumber");
    assert.equal(problem.code, "required");
    assert.equal(problem.message, 'Add "creditCardNumber", or "gatewayPaymentMethodId" for another kind of payment method: one of them is required.');
  }
});

test("a country code of the right shape that ISO 3166-1 does not assign is a warning naming the right one", () => {
  const request = structuredClone(valid);
  request.transaction.paymentMethod.country = "UK";
  const r = validateCharge(request, OPTIONS);
  assert.equal(r.ok, true);
  assert.deepEqual(r.warnings.map((w) => [w.path, w.code, w.message]), [
    ["transaction.paymentMethod.country", "invalid_value", '"UK" is no ISO 3166-1 country code; the United Kingdom\'s is "GB".'],
  ]);
  request.transaction.paymentMethod.country = "GB";
  assert.deepEqual(validateCharge(request, OPTIONS).warnings, []);
});

/** `valid` with another merchantTransactionId. */
function withId(id) {
  const r = structuredClone(valid);
  r.transaction.merchantTransactionId = id;
  return r;
}

test("a batch validates many requests in one call", () => {
  const results = validateBatch("charge", [valid, {}, withId("mt-2")], OPTIONS);
  assert.deepEqual(results.map((r) => r.ok), [true, false, true]);
  // An empty batch answers an empty list, and still judges its options.
  assert.deepEqual(validateBatch("charge", [], OPTIONS), []);
  assert.throws(() => validateBatch("charge", [], { ...OPTIONS, bogus: 1 }), (e) => e.code === "invalid_argument" && /bogus/.test(e.message));
});

test("a batch refuses every later request repeating an earlier one's merchantTransactionId, as FlexPay does (50129)", () => {
  const batch = ["mt-1", "mt-2", "mt-1", "mt-3", "mt-2", "mt-1", "MT-1"].map(withId);
  const results = validateBatch("charge", batch, OPTIONS);
  assert.deepEqual(results.map((r) => r.ok), [true, true, false, true, false, false, true]);
  for (const [item, first] of [[2, 0], [4, 1], [5, 0]]) {
    const { errors, warnings } = results[item];
    assert.deepEqual(errors.map((e) => [e.path, e.code]), [["transaction.merchantTransactionId", "duplicate_merchant_transaction_id"]]);
    assert.equal(
      errors[0].message,
      `"${batch[item].transaction.merchantTransactionId}" is already the merchantTransactionId of requests[${first}] in this batch: ` +
        "FlexPay refuses a reused one with 50129 (merchant transaction reference id not unique); send a new unique id with every request.",
    );
    assert.deepEqual(warnings, []);
  }
  // Each request on its own is valid: the single-request validators are unchanged.
  for (const r of batch) assert.deepEqual(validateCharge(r, OPTIONS), { ok: true, errors: [], warnings: [] });
  // Each batch starts afresh.
  assert.deepEqual(validateBatch("charge", [withId("mt-1")], OPTIONS).map((r) => r.ok), [true]);

  // An earlier request with errors is refused before it is processed, so its id is not used
  // up: the next request sending it is the first, as the sandbox answers them. A repeat of a
  // request that is sent is refused, its own problems first.
  const bad = withId("mt-4");
  bad.transaction.amount = -5;
  const fixed = withId("mt-4");
  const again = withId("mt-4");
  again.transaction.currencyCode = "usd";
  const mixed = validateBatch("charge", [bad, fixed, again], OPTIONS);
  assert.deepEqual(mixed.map((r) => r.errors.map((e) => e.code)), [["negative_amount"], [], ["unknown_currency", "duplicate_merchant_transaction_id"]]);
  assert.match(mixed[2].errors[1].message, /of requests\[1\] in this batch/);
  const sandbox = new Sandbox(4);
  const { key } = sandbox.generateApiKey("ci", { now: OPTIONS.now });
  const sent = [bad, fixed].map((body) => sandbox.charge(key, body, OPTIONS.now).transaction.responseCode);
  assert.equal(sent[0][0], "5", "the invalid one is refused");
  assert.notEqual(sent[1], "50129", "and its id was not used up");
  sandbox.free();
  // A missing or blank id is `required`, never a repeat; the id is compared as JSON would send it.
  const blank = validateBatch("charge", [withId(""), withId(" "), withId(new String("mt-5")), { toJSON: () => withId("mt-5") }], OPTIONS);
  assert.deepEqual(blank.map((r) => r.errors.map((e) => e.code)), [["required"], ["required"], [], ["duplicate_merchant_transaction_id"]]);
  assert.match(blank[3].errors[0].message, /of requests\[2\] in this batch/);

  // Every kind that sends the id, with options read in WebAssembly too (a `now` given as text).
  const follow = (id, amount) => ({ transaction: { merchantTransactionId: id, amount } });
  for (const kind of ["capture", "void", "refund", "refundedPayment"]) {
    const body = kind === "void" ? (id) => ({ transaction: { merchantTransactionId: id } }) : (id) => follow(id, 100);
    const answers = validateBatch(kind, [body("f-1"), body("f-2"), body("f-1")], { now: "2026-11-21T10:00:00Z" });
    assert.deepEqual(answers.map((r) => r.errors.map((e) => e.code)), [[], [], ["duplicate_merchant_transaction_id"]], kind);
    assert.match(answers[2].errors[0].message, /^"f-1" is already the merchantTransactionId of requests\[0\]/, kind);
  }
  const authorized = validateBatch("authorize", [withId("a-1"), withId("a-1")], OPTIONS);
  assert.deepEqual(authorized.map((r) => r.ok), [true, false]);
  // Kinds without the id have nothing to compare.
  const company = { name: "Acme", code: "ACME1" };
  assert.deepEqual(validateBatch("company", [company, company], OPTIONS).map((r) => r.errors), [[], []]);
});

test("a batch started from inside a request being read does not disturb the batch reading it", () => {
  let inner;
  const sneaky = {
    toJSON() {
      inner = validateBatch("charge", [withId("mt-1")], OPTIONS);
      return withId("mt-2");
    },
  };
  const results = validateBatch("charge", [withId("mt-1"), sneaky, withId("mt-1"), withId("mt-2")], OPTIONS);
  assert.deepEqual(inner.map((r) => r.errors[0].code), ["unreadable_input"]);
  assert.deepEqual(results.map((r) => r.errors.map((e) => e.code)), [
    [], [], ["duplicate_merchant_transaction_id"], ["duplicate_merchant_transaction_id"],
  ]);
});

test("text outside ASCII crosses whole, wherever it starts: lengths count characters", () => {
  const withCity = (city) => {
    const r = structuredClone(valid);
    r.transaction.paymentMethod.city = city;
    return validateCharge(r, OPTIONS);
  };
  // City names of every length around the four-character steps, with the first character
  // outside ASCII at every position.
  for (let length = 1; length <= 13; length++) {
    for (let at = 0; at < length; at++) {
      for (const odd of ["é", "日", "😀"]) {
        const city = "a".repeat(at) + odd + "b".repeat(length - at - 1);
        assert.deepEqual(withCity(city).errors, [], JSON.stringify(city));
      }
    }
  }
  // flexkit expects a city of at most 50 characters: 50 with two-byte ones pass, 51 are
  // warned about (FlexPay publishes no limit, so the request stays valid).
  assert.deepEqual(withCity("abc" + "é".repeat(47)).warnings, []);
  const long = withCity("abc" + "é".repeat(48));
  assert.equal(long.ok, true);
  assert.deepEqual(long.warnings.map((e) => [e.path, e.code]), [["transaction.paymentMethod.city", "too_long"]]);
  // A lone surrogate has no UTF-8 form: it is an error, wherever it is in the string.
  for (const city of ["abcd\uD800efgh", "\uD800", "é\uDFFF", "abc\uD83D"]) {
    assert.deepEqual(withCity(city).errors.map((e) => [e.path, e.code]), [["transaction.paymentMethod.city", "lone_surrogate"]], JSON.stringify(city));
  }
});

test("a lone UTF-16 surrogate is an error at its path, as the sandbox refuses the request: objects and JSON text", () => {
  const sandbox = new Sandbox(3);
  const { key } = sandbox.generateApiKey("ci", { now: "2026-11-01T00:00:00Z" });
  const sent = (r) => {
    try {
      return sandbox.charge(key, r, "2026-11-21T10:00:00Z").transaction.responseCode;
    } catch (error) {
      return error.code;
    }
  };
  const lone = ["\uD800", "abcd\uD800efgh", "x\uDFFF", "\uDC00\uD83D", "Zoë \uD83D", "😀\uDE00"];
  const fields = [
    ["transaction.paymentMethod.city", "city", (r, v) => { r.transaction.paymentMethod.city = v; }],
    ["transaction.merchantTransactionId", "merchantTransactionId", (r, v) => { r.transaction.merchantTransactionId = v; }],
    ["transaction.description", "description", (r, v) => { r.transaction.description = v; }],
    ["transaction.paymentMethod.firstName", "firstName", (r, v) => { r.transaction.paymentMethod.firstName = v; }],
  ];
  for (const text of lone) {
    for (const [path, name, set] of fields) {
      const r = structuredClone(valid);
      set(r, text);
      const fromObject = validateCharge(r, OPTIONS);
      const label = `${path} = ${JSON.stringify(text)}`;
      assert.deepEqual(fromObject.errors.map((e) => [e.path, e.code]), [[path, "lone_surrogate"]], label);
      assert.equal(
        fromObject.errors[0].message,
        `"${name}" holds a lone UTF-16 surrogate (half of a character outside the BMP), which UTF-8 cannot encode: ` +
          "the request cannot be sent as JSON; check how the text was cut.",
        label,
      );
      // JSON text: JSON.stringify writes the surrogate as a \u escape, JSON.parse reads it back.
      const text_ = JSON.stringify(r);
      assert.ok(/\\ud[89a-f][0-9a-f]{2}/.test(text_), text_);
      assert.deepEqual(validateChargeJson(text_, OPTIONS), fromObject, label);
      assert.equal(sent(r), "malformed_request", label);
    }
  }
  // Whole pairs are characters like any other: valid, and the sandbox takes them.
  const paired = structuredClone(valid);
  paired.transaction.paymentMethod.city = "Zoë 😀 \uD83D\uDE00";
  paired.transaction.merchantTransactionId = "mt-😀";
  assert.deepEqual(validateCharge(paired, OPTIONS), { ok: true, errors: [], warnings: [] });
  assert.deepEqual(validateChargeJson(JSON.stringify(paired), OPTIONS).errors, []);
  assert.match(sent(paired), /^\d{5}$/);

  // Keys, and values the validators do not otherwise read (unknown fields, gateway settings).
  const keyed = structuredClone(valid);
  keyed.transaction["note\uD800"] = "x";
  keyed.transaction.extra = { list: ["fine", "\uDC00"] };
  for (const result of [validateCharge(keyed, OPTIONS), validateChargeJson(JSON.stringify(keyed), OPTIONS)]) {
    assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [
      ['transaction["note\uFFFD"]', "lone_surrogate"],
      ["transaction.extra.list[1]", "lone_surrogate"],
    ]);
    assert.match(result.errors[0].message, /^"note\uFFFD" holds a lone UTF-16 surrogate/);
  }
  assert.equal(sent(keyed), "malformed_request");
  // Without its envelope, a charge is checked as if it had one: the surrogate's path too.
  for (const result of [validateCharge(keyed.transaction, OPTIONS), validateChargeJson(JSON.stringify(keyed.transaction), OPTIONS)]) {
    assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [
      ["", "missing_envelope"],
      ['transaction["note\uFFFD"]', "lone_surrogate"],
      ["transaction.extra.list[1]", "lone_surrogate"],
    ]);
  }
  const gateway = {
    name: "Stripe EU", gatewayType: "stripe", currencyCode: "EUR", status: "Available", settings: { apiKey: "sk_\uD800" },
  };
  for (const result of [validateGateway(gateway, OPTIONS), validateGatewayJson(JSON.stringify(gateway), OPTIONS)]) {
    assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [["settings.apiKey", "lone_surrogate"]]);
  }
  // In a batch the id with a lone surrogate is refused for that, not compared.
  const twice = withId("mt-\uD800");
  const batch = validateBatch("charge", [twice, twice], OPTIONS);
  assert.deepEqual(batch.map((r) => r.errors.map((e) => e.code)), [["lone_surrogate"], ["lone_surrogate"]]);
  sandbox.free();
});

test("a field's singular for its plural in \"ies\" is named as the slip it is, so its value is not lost", () => {
  const gateway = { name: "Stripe EU", gatewayType: "stripe", currencyCode: "EUR", status: "Available", acceptRetry: false };
  for (const result of [validateGateway(gateway, OPTIONS), validateGatewayJson(JSON.stringify(gateway), OPTIONS)]) {
    assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [["acceptRetry", "unknown_field"]]);
    assert.match(result.errors[0].message, /^Unknown field "acceptRetry": did you mean "acceptRetries"\? /);
  }
});

test("problems about keys outside the BMP are cut whole, and so are the problems after them", () => {
  const r = structuredClone(valid);
  r.transaction["naïve😀key"] = 1;
  r.transaction.amount = -5;
  r.transaction.paymentMethod.expiryMonth = "13";
  const { ok, errors, warnings } = validateCharge(r, OPTIONS);
  assert.equal(ok, false);
  // An unknown field is a warning; the errors and the warning come cut from one text.
  assert.deepEqual(warnings, [
    {
      path: 'transaction["naïve😀key"]',
      code: "unknown_field",
      message: 'Unknown field "naïve😀key"; it is ignored, so remove it or check its name.',
    },
  ]);
  assert.deepEqual(
    errors.map((e) => [e.path, e.code]),
    [
      ["transaction.amount", "negative_amount"],
      ["transaction.paymentMethod.expiryMonth", "invalid_format"],
    ],
  );
  assert.match(errors[1].message, /^expiryMonth must be two digits/);
});

test("vault update and recache bodies are validated like every other request", () => {
  const update = { paymentMethod: { expiryMonth: "02", expiryYear: "2031", city: "Portland" } };
  assert.deepEqual(validateUpdatePaymentMethod(update, OPTIONS), { ok: true, errors: [], warnings: [] });
  assert.deepEqual(validateUpdatePaymentMethodJson(JSON.stringify(update), OPTIONS).ok, true);
  // Nothing editable: FlexPay refuses it, so does flexkit.
  const empty = validateUpdatePaymentMethod({ paymentMethod: { city: "" } }, OPTIONS);
  assert.deepEqual(empty.errors.map((e) => [e.path, e.code]), [["paymentMethod", "required"]]);
  const bad = validateUpdatePaymentMethod({ paymentMethod: { expiryMonth: "13", email: "nope", cvv: "123" } }, OPTIONS);
  assert.deepEqual(bad.errors.map((e) => [e.path, e.code]).sort(), [
    ["paymentMethod.email", "invalid_format"],
    ["paymentMethod.expiryMonth", "invalid_format"],
  ]);
  assert.deepEqual(bad.warnings.map((e) => [e.path, e.code]), [["paymentMethod.cvv", "unknown_field"]]);

  const recache = { paymentMethod: { creditCard: { cvv: "123" } } };
  assert.equal(validateRecachePaymentMethod(recache, OPTIONS).ok, true);
  assert.equal(validate("recachePaymentMethod", recache, OPTIONS).ok, true);
  const noCvv = validateRecachePaymentMethodJson('{"paymentMethod":{"creditCard":{}}}', OPTIONS);
  assert.deepEqual(noCvv.errors.map((e) => [e.path, e.code]), [["paymentMethod.creditCard.cvv", "required"]]);
  // The CVV is never repeated in a message.
  const wrong = validateRecachePaymentMethod({ paymentMethod: { creditCard: { cvv: "98a" } } }, OPTIONS);
  assert.equal(wrong.ok, false);
  for (const e of wrong.errors) assert.ok(!e.message.includes("98a"), e.message);
});

test("boxed primitives are read as their primitive, as JSON.stringify reads them", () => {
  const boxed = structuredClone(valid);
  boxed.transaction.currencyCode = new String("USD");
  boxed.transaction.amount = new Number(2999);
  boxed.transaction.retainOnSuccess = new Boolean(false);
  const r = validateCharge(boxed, OPTIONS);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r, validateChargeJson(JSON.stringify(boxed), OPTIONS));
  // A boxed value of the wrong type is still the wrong type, worded as for the primitive.
  boxed.transaction.amount = new String("29.99");
  const wrong = validateCharge(boxed, OPTIONS);
  assert.deepEqual(wrong.errors, validateChargeJson(JSON.stringify(boxed), OPTIONS).errors);
  assert.equal(wrong.errors[0].path, "transaction.amount");
  // A boxed request is not an object with keys "0", "1"…: it is a string where an object belongs.
  const top = validateCharge(new String("{}"), OPTIONS);
  assert.deepEqual(top.errors, validateChargeJson(JSON.stringify(new String("{}")), OPTIONS).errors);
});

test("field lengths FlexPay does not publish are warnings: a 64-character SHA-256 id is a valid request", () => {
  const sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  const request = structuredClone(valid);
  request.transaction.merchantTransactionId = sha;
  const r = validateCharge(request, OPTIONS);
  assert.equal(r.ok, true);
  assert.deepEqual(r.warnings.map((w) => [w.path, w.code]), [["transaction.merchantTransactionId", "too_long"]]);
  assert.match(r.warnings[0].message, /FlexPay checks its length but does not publish the limit/);
  // A field FlexPay has no length code for: the limit is flexkit's alone, and said so.
  const query = validateListQuery({ sinceTransactionId: "T".repeat(65) }, OPTIONS);
  assert.equal(query.warnings[0].code, "too_long");
  assert.match(query.warnings[0].message, /FlexPay publishes no limit for it/);
  assert.doesNotMatch(query.warnings[0].message, /FlexPay checks its length/);
});

test("a list query's count outside 1 to 100 is an error in the words of a count that is no number", () => {
  const takes = "count must be a whole number of items per page, 1 to 100 (20 when left out)";
  const only = (result) => {
    assert.equal(result.ok, false, JSON.stringify(result));
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.equal(result.errors[0].path, "count");
    assert.doesNotMatch(result.errors[0].message, /4294967295/);
    return result.errors[0];
  };
  for (const count of [0, 101, 1000, 2 ** 40]) {
    const problem = only(validateListQuery({ count }, OPTIONS));
    assert.deepEqual(problem, { path: "count", code: "invalid_value", message: `${takes}, not ${count}.` });
    assert.deepEqual(only(validateListQueryJson(JSON.stringify({ count }), OPTIONS)), problem);
  }
  assert.deepEqual(only(validateListQuery({ count: 1.5 }, OPTIONS)), { path: "count", code: "wrong_type", message: `${takes}, not 1.5.` });
  assert.deepEqual(only(validateListQuery({ count: -1 }, OPTIONS)), { path: "count", code: "invalid_value", message: `${takes}, not -1.` });
  assert.deepEqual(only(validateListQuery({ count: "abc" }, OPTIONS)), { path: "count", code: "wrong_type", message: `${takes}, not a string.` });
  for (const count of [1, 20, 100]) assert.deepEqual(validateListQuery({ count }, OPTIONS), { ok: true, errors: [], warnings: [] });
});

test("a list query's startDate given as an instant passes with a warning naming the date, as the sandbox reads it", () => {
  const r = validateListQuery({ startDate: "2026-11-08T12:30:00Z", count: 50 }, OPTIONS);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.deepEqual(r.warnings.map((w) => [w.path, w.code]), [["startDate", "invalid_format"]]);
  assert.match(r.warnings[0].message, /FlexPay documents a date, YYYY-M-D, such as 2026-11-08,/);
  // Neither a date nor an instant: an error, worded as the date it should be.
  const bad = validateListQuery({ startDate: "2026-13-08" }, OPTIONS);
  assert.deepEqual(bad.errors.map((e) => [e.path, e.code]), [["startDate", "invalid_format"]]);
  assert.match(bad.errors[0].message, /^startDate is not a date/);
});

test("a toJSON or getter that calls flexkit while the request is read changes nothing", async () => {
  const { checkCardNumber } = await import("flexkit");
  const expected = validateCharge(valid, OPTIONS);
  assert.equal(expected.ok, true);

  // Validation called again from inside the request: the inner call is answered on its own,
  // the outer one still reads the whole request.
  let inner;
  const reentrant = structuredClone(valid);
  reentrant.transaction.paymentMethod = {
    ...valid.transaction.paymentMethod,
    toJSON() {
      inner = validateCharge(valid, OPTIONS);
      return valid.transaction.paymentMethod;
    },
  };
  assert.deepEqual(validateCharge(reentrant, OPTIONS), expected);
  assert.equal(inner.ok, false);
  assert.equal(inner.errors[0].code, "unreadable_input");
  assert.match(inner.errors[0].message, /called again/);

  // A getter that makes WebAssembly memory grow (a 4 MB card number to check) while the
  // request is being written: the request is read again into the grown memory.
  let calls = 0;
  const growing = structuredClone(valid);
  Object.defineProperty(growing.transaction, "description", {
    enumerable: true,
    get() {
      calls++;
      if (calls === 1) checkCardNumber("4".repeat(4_000_000));
      return "Monthly plan";
    },
  });
  const r = validateCharge(growing, OPTIONS);
  assert.deepEqual(r, expected);
  assert.equal(calls, 2);
  // One that makes it grow at every read is refused rather than read from lost bytes.
  let size = 4_000_000;
  const alwaysGrowing = structuredClone(valid);
  Object.defineProperty(alwaysGrowing.transaction, "description", {
    enumerable: true,
    get() {
      size *= 2;
      checkCardNumber("4".repeat(size));
      return "Monthly plan";
    },
  });
  const refused = validateCharge(alwaysGrowing, OPTIONS);
  assert.equal(refused.ok, false);
  assert.equal(refused.errors[0].code, "unreadable_input");
  assert.match(refused.errors[0].message, /memory grow every time/);
  const broken = structuredClone(valid);
  broken.transaction.amount = -1;
  assert.equal(validateCharge(broken, OPTIONS).errors[0].path, "transaction.amount");
});
