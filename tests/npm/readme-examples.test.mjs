// The examples of web/npm/README.md ("Validating FlexPay requests", "Typed request bodies",
// "Flexiti", "Bundlers and plain pages"), run as written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, rm, writeFile } from "node:fs/promises";

import { validateCharge, validateChargeJson, validateBatch } from "flexkit";
import {
  tokenRequest, accessToken, tokenNeedsRefresh, prepare, validateAuthorization, FlexitiSandbox,
  parseError,
} from "flexkit/flexiti";

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

test("README: a batch refuses a merchantTransactionId an earlier request sent", () => {
  const [first, second] = validateBatch("capture", [
    { transaction: { merchantTransactionId: "cap-1", amount: 1000 } },
    { transaction: { merchantTransactionId: "cap-1", amount: 500 } },
  ]);
  assert.equal(first.ok, true);
  assert.deepEqual(second.errors.map((e) => [e.path, e.code]), [["transaction.merchantTransactionId", "duplicate_merchant_transaction_id"]]);
  assert.match(second.errors[0].message, /^"cap-1" is already the merchantTransactionId of requests\[0\] in this batch: /);
});

test("README: every claim of the money example is what the code answers, the JPY one in the code's words", async () => {
  const flexkit = await import("flexkit");
  const readme = await readFile(new URL("./README.md", import.meta.resolve("flexkit/package.json")), "utf8");
  const section = readme.slice(readme.indexOf("## Money and response codes"));
  const block = section.slice(section.indexOf("```js\n") + 6, section.indexOf("```\n", section.indexOf("```js\n") + 6));
  const names = ["parseAmount", "formatAmount", "currencyInfo", "describeResponseCode"];
  const run = (source) => new Function(...names, `return (${source});`)(...names.map((n) => flexkit[n]));
  // `call; // literal, then words`: the literal (a string, a number or an object) is the answer.
  const claims = block.split("\n").map((line) => /^([a-zA-Z]+\(.*?\)[\w.]*);\s*\/\/\s*("(?:[^"\\]|\\.)*"|-?\d[\d.]*|\{.*\}|true|false)(.*)$/.exec(line)).filter(Boolean);
  assert.ok(claims.length >= 6, `${claims.length} claims found`);
  for (const [, call, literal] of claims) assert.deepEqual(run(call), run(literal), call);
  // The words after the JPY refusal's code say what its message says: JPY is counted in whole
  // units (its minor unit is the yen itself; minorUnits of JPY are yen), not that it has none.
  const [jpy] = claims.filter(([, call]) => call === 'parseAmount("20.08", "JPY").error.code');
  assert.ok(jpy, "the README shows how a fractional JPY amount is refused");
  assert.match(flexkit.parseAmount("20.08", "JPY").error.message, /has a fraction, but JPY is counted in whole units/);
  assert.match(jpy[3], /JPY is counted in whole yen, 20\.08 has a fraction/);
  assert.doesNotMatch(jpy[3], /no minor unit/);
  assert.equal(flexkit.parseAmount("2008", "JPY").minorUnits, 2008);
});

// The README's typed FlexPay request is kept verbatim in readme-flexpay.mts (which tsc checks):
// it must be in the packed README as it is, and it runs once its types are taken out (its
// `import type` line and the `: ChargeRequest` annotation: nothing else there is TypeScript).
test("README: a typed FlexPay request, run without its types", async () => {
  const source = await readFile(new URL("./readme-flexpay.mts", import.meta.url), "utf8");
  const example = source.slice(source.indexOf("// ---- README ----\n") + "// ---- README ----\n".length);
  assert.ok(example.startsWith("import "), "readme-flexpay.mts has no marker line");
  const readme = await readFile(new URL("./README.md", import.meta.resolve("flexkit/package.json")), "utf8");
  assert.ok(readme.includes("```ts\n" + example + "```"), "the README's typed FlexPay example differs from readme-flexpay.mts");

  const script = example.replace(/^import type .*\n/m, "").replace("const retry: ChargeRequest =", "const retry =");
  assert.ok(!script.includes("ChargeRequest ") && !script.includes("import type"), script);
  const file = new URL("./readme-flexpay.run.mjs", import.meta.url);
  await writeFile(file, script + "export { retry, lost };\n");
  let run;
  try {
    run = await import(file.href);
  } finally {
    await rm(file);
  }
  const result = validateCharge(run.retry, { now: new Date("2026-11-21T10:00:00Z") });
  assert.deepEqual(result, { ok: true, errors: [], warnings: [] });
  assert.equal(run.lost.ok, false);
  assert.deepEqual(run.lost.errors.map((e) => [e.path, e.code]), [["transaction.referenceData", "retry_count_without_reference_data"]]);
});

// The README's Flexiti example is kept verbatim in readme-flexiti.mts (which tsc checks too):
// it must be in the packed README as it is, and it runs as written.
test("README: Flexiti token, refresh rule and prepare, run as written", async () => {
  const source = await readFile(new URL("./readme-flexiti.mts", import.meta.url), "utf8");
  const example = source.slice(source.indexOf("// ---- README ----\n") + "// ---- README ----\n".length);
  assert.ok(example.startsWith("import "), "readme-flexiti.mts has no marker line");
  const readme = await readFile(new URL("./README.md", import.meta.resolve("flexkit/package.json")), "utf8");
  assert.ok(readme.includes("```js\n" + example + "```"), "the README's Flexiti example differs from readme-flexiti.mts");

  const file = new URL("./readme-flexiti.run.mjs", import.meta.url);
  await writeFile(file, example + "export { call, answer, token, ready };\n");
  let run;
  try {
    run = await import(file.href);
  } finally {
    await rm(file);
  }
  const { call, answer, token, ready } = run;
  assert.equal(call.method, "POST");
  assert.equal(call.url, "https://posapi-training.flexiti.fi/flexiti/pos-api/v2.5/oauth/token");
  assert.equal(call.headers["content-type"], "application/x-www-form-urlencoded");
  assert.match(call.headers["x-reference-id"], /^[0-9a-f]{32}$/);
  assert.equal(call.body, "client_id=flexitidemo&client_secret=my-training-secret&grant_type=client_credentials");

  assert.equal(tokenNeedsRefresh(token, new Date("2026-11-21T10:18:59Z")), false);
  assert.equal(tokenNeedsRefresh(token, new Date("2026-11-21T10:19:00Z")), true);

  assert.equal(ready.ok, true, `prepare answered ${JSON.stringify(ready)}`);
  assert.equal(ready.request.method, "POST");
  assert.equal(ready.request.url, "https://posapi-training.flexiti.fi/flexiti/pos-api/v2.5/client-id/flexitidemo/authorization/7620877612482005/capture");
  assert.equal(ready.request.headers.authorization, `Bearer ${answer.access_token}`);
  assert.match(readme, new RegExp(`authorization: "Bearer ${answer.access_token}"`));
  assert.equal(ready.request.headers["content-type"], "application/json");
  assert.equal(ready.request.body, '{"amount":"600.00"}');

  // The failures the example's last comment lists.
  const at = (now) => ({ environment: "TRAINING", clientId: "flexitidemo", token, now: new Date(now) });
  const capture = { kind: "capture", authorizationId: "7620877612482005" };
  const due = prepare(capture, { amount: "600.00" }, at("2026-11-21T10:19:30Z"));
  assert.equal(due.code, "token_refresh_due");
  assert.equal(due.refreshAt, "2026-11-21T10:19:00Z");
  assert.equal(due.expiresAt, "2026-11-21T10:20:00Z");
  assert.equal(prepare(capture, { amount: "600.00" }, at("2026-11-21T10:25:00Z")).code, "token_expired");
  assert.equal(
    prepare(capture, { amount: "600.00" }, { ...at("2026-11-21T10:05:00Z"), environment: "PRODUCTION" }).code,
    "token_environment_mismatch",
  );
  assert.equal(
    prepare({ ...capture, issuedIn: "PRODUCTION" }, { amount: "600.00" }, at("2026-11-21T10:05:00Z")).code,
    "environment_mismatch",
  );
  const customer = accessToken({ ...answer, scope: "customer" }, "TRAINING", new Date("2026-11-21T10:00:00Z"));
  assert.equal(
    prepare(capture, { amount: "600.00" }, { ...at("2026-11-21T10:05:00Z"), token: customer }).code,
    "insufficient_scope",
  );
  const invalid = prepare(capture, { amount: "6.001" }, at("2026-11-21T10:05:00Z"));
  assert.equal(invalid.code, "invalid_request");
  assert.deepEqual(invalid.errors.map((e) => e.path), ["amount"]);
});

test("README: Flexiti validation lists every problem", () => {
  const result = validateAuthorization({
    account_number: "12-34", amount: "10.001", auto_capture: "yes",
    financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL" },
  });
  assert.equal(result.ok, false);
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.errors.map((e) => [e.path, e.code]), [
    ["account_number", "invalid_format"],
    ["financing_option.term", "required"],
    ["amount", "not_minor_units"],
    ["auto_capture", "wrong_type"],
  ]);
  assert.match(result.errors[0].message, /^account_number must be digits only; /);
  assert.equal(result.errors[1].message, "financing_option.term is required; add it");
  assert.match(result.errors[2].message, /^amount has more than 2 decimal places, but CAD has 2: /);
  assert.equal(result.errors[3].message, "auto_capture must be true or false, not a string");
});

test("README: the Flexiti TRAINING sandbox", () => {
  const sandbox = new FlexitiSandbox(42);
  const now = new Date("2026-11-21T10:00:00Z");
  const token = sandbox.issueToken(now);
  const call = { token, now, idempotency: { key: "order-1001-auth" } };
  const purchase = {
    account_number: 10000000000001, amount: "1000.00", auto_capture: false, verification_code: "2222",
    financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
    request_id: "till-7-0001", external_location_id: "00-12345", external_employee_id: "12345-SMITH",
  };
  // The comment's claim: before the verify, the purchase is refused (and not remembered under the key).
  assert.throws(() => sandbox.authorize(purchase, call), (error) => error.code === "not_verified" && error.status === 409);

  const verified = sandbox.verify(10000000000001, { format: "sms", request_id: "till-7-0001" }, { token, now });
  assert.equal(verified.verification_code, "verification_sent_to_sms");

  const auth = sandbox.authorize({
    account_number: 10000000000001, amount: "1000.00", auto_capture: false, verification_code: "2222",
    financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
    request_id: "till-7-0001", external_location_id: "00-12345", external_employee_id: "12345-SMITH",
  }, call);
  assert.equal(auth.remaining_authorization_amount, "1000.00");
  // And its second claim: the verify served that one call (under another key, not a replay).
  assert.throws(() => sandbox.authorize(purchase, { token, now }), (error) => error.code === "not_verified" && /already used/.test(error.message));

  const capture = sandbox.capture(auth.authorization_id, { amount: "600.00" }, { token, now });
  const partial = sandbox.returnCapture(auth.authorization_id, capture.capture_id,
    { amount: "100.00", full_return: false }, { token, now });
  assert.equal(partial.remaining_capture_amount, "500.00");

  assert.throws(
    () => sandbox.returnCapture(auth.authorization_id, capture.capture_id, { amount: "900.00", full_return: false }, { token, now }),
    (error) => error.code === "capture_amount_exceeded" && error.status === 409,
  );

  const saved = sandbox.snapshot();
  const again = FlexitiSandbox.fromSnapshot(saved);
  assert.equal(JSON.stringify(sandbox), JSON.stringify(saved));
  assert.equal(again.snapshot(), saved);
  sandbox.free();
  again.free();
});

test("README: a Flexiti client against the sandbox over fetch", async () => {
  const sandbox = new FlexitiSandbox(42);
  const now = "2026-11-21T10:00:00Z";
  const fetch = sandbox.createFetch({ now: () => now });
  const send = (r) => fetch(r.url, { method: r.method, headers: r.headers, body: r.body ?? undefined });

  const { clientId, clientSecret } = sandbox.credentials();
  const answer = await (await send(tokenRequest({ clientId, clientSecret }, "TRAINING"))).json();
  const token = accessToken(answer, "TRAINING", now);
  const setup = { environment: "TRAINING", clientId, token, now };

  const lookup = prepare("customerLookup", { account_number: 10000000000001 }, setup);
  assert.equal((await (await send(lookup.request)).json()).available_credit, "5000.00");

  const purchase = prepare("authorization", {
    account_number: 10000000000001, amount: "10.00", auto_capture: false, verification_code: "2222",
    financing_option: { transaction_type: "promotional_purchase", plan_id: "EMP-EQUAL", term: 12 },
    request_id: "till-7-0002", external_location_id: "00-12345", external_employee_id: "12345-SMITH",
  }, setup);
  const refused = await send(purchase.request);
  assert.equal(refused.status, 409);
  assert.equal(parseError(refused.status, await refused.text()).code, "not_verified");
  sandbox.free();
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

// The README's account example is kept verbatim in readme-account.mts (which tsc checks, with
// `rebill` and `visa` declared above its marker): it must be in the packed README as it is, and
// it runs with the README's `rebill` and `visa` (readme-requests.mjs); each claim of its
// comments is what the code answers.
test("README: users and platform configuration, run as written", async () => {
  const source = await readFile(new URL("./readme-account.mts", import.meta.url), "utf8");
  const example = source.slice(source.indexOf("// ---- README ----\n") + "// ---- README ----\n".length);
  assert.ok(example.startsWith("import "), "readme-account.mts has no marker line");
  const readme = await readFile(new URL("./README.md", import.meta.resolve("flexkit/package.json")), "utf8");
  assert.ok(readme.includes("```js\n" + example + "```"), "the README's account example differs from readme-account.mts");

  const file = new URL("./readme-account.run.mjs", import.meta.url);
  await writeFile(file, 'import { rebill, visa } from "./readme-requests.mjs";\n' + example +
    "export { sandbox, password, added, refused, demoted, set, below, wrong, saved };\n");
  let run;
  try {
    run = await import(file.href);
  } finally {
    await rm(file);
  }
  const { Sandbox, accessLevels } = await import("flexkit/sandbox");
  const { password, added, refused, demoted, set, below, wrong, saved } = run;
  // The first claims, on a sandbox of the same seed.
  const fresh = new Sandbox(12);
  assert.deepEqual(fresh.users(), [{
    name: "Account Owner", username: "owner@example.com", accessLevel: "accountAdministrator",
    enabled: true, locked: false, createdAt: null,
  }]);
  // Suggestions are secrets of their own sandbox: another gives another.
  assert.notEqual(fresh.suggestTemporaryPassword(), password);
  fresh.free();
  assert.match(password, /^[\x21-\x7e]{12}$/);
  assert.deepEqual(added, {
    ok: true,
    invitation: { name: "Ada Lovelace", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: password },
    errors: [],
    warnings: [],
  });
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.errors.map((p) => [p.path, p.code]), [
    ["temporaryPassword", "password_too_short"], ["temporaryPassword", "password_needs_capital"],
    ["temporaryPassword", "password_needs_digit"], ["temporaryPassword", "password_needs_symbol"],
  ]);
  assert.equal(refused.errors[0].message, "Temporary password needs at least 8 characters; it has 6.");
  assert.deepEqual(demoted.errors.map((p) => [p.path, p.code]), [["accessLevel", "last_administrator"]]);
  assert.match(demoted.errors[0].message,
    /^Account Owner is the account's last enabled Account Administrator and cannot be given another access level: /);
  assert.deepEqual(accessLevels().find((level) => level.accessLevel === "gatewayAdministrator")?.rights,
    ["viewTransactions", "viewReports", "addGateways"]);
  assert.deepEqual(set.config, {
    recoveryMinimums: [{ currency: "USD", initialSale: 2500, rebill: 1000 }], accountCurrencies: [], gatewayRouting: "RoutingEnabled",
  });
  assert.equal(below.responseCode, "20003");
  assert.equal(below.retryDate, null);
  assert.match(below.message, /not recovered: 20\.08 USD is below the recovery minimum of 25\.00 USD for initial sales/);
  assert.equal(wrong.ok, false);
  assert.deepEqual(wrong.errors.map((p) => [p.path, p.code]), [
    ["recoveryMinimums[0].initialSale", "invalid_recovery_minimum"], ["accountCurrencies[1]", "unknown_currency"],
  ]);
  assert.equal(wrong.errors[0].message, "-1.00 USD is not a minimum: use 0 (none) or more, up to 90071992547409.91 USD");
  assert.match(wrong.errors[1].message, /^unknown currency code "usd": /);
  // What the rest of the example did: Ada was disabled, then deleted; the owner stays, and
  // deleting the owner is refused as its last comment says; Production was left as it was.
  const restored = Sandbox.fromSnapshot(saved);
  assert.equal(restored.snapshot(), saved);
  assert.deepEqual(restored.users().map((u) => u.username), ["owner@example.com"]);
  assert.throws(() => restored.deleteUser("owner@example.com", "2026-07-01T00:00:00Z"), (e) => e.code === "last_administrator");
  assert.deepEqual(restored.platformConfig("production"), { recoveryMinimums: [], accountCurrencies: [], gatewayRouting: "NoRouting" });
  assert.equal(restored.platformConfig("sandbox").gatewayRouting, "RoutingEnabled");
  restored.free();
});

// The README's RetryChain example is kept verbatim in readme-retry-chain.mts (which tsc checks,
// with `rebill` and `visa` declared above its marker, so the example narrows what it reads):
// it must be in the packed README as it is, and it runs with the README's `rebill` and `visa`;
// each claim of its comments is what the code answers.
test("README: recovering a declined payment with RetryChain, run as written and type-checked", async () => {
  const source = await readFile(new URL("./readme-retry-chain.mts", import.meta.url), "utf8");
  const example = source.slice(source.indexOf("// ---- README ----\n") + "// ---- README ----\n".length);
  assert.ok(example.startsWith("import "), "readme-retry-chain.mts has no marker line");
  const readme = await readFile(new URL("./README.md", import.meta.resolve("flexkit/package.json")), "utf8");
  assert.ok(readme.includes("```js\n" + example + "```"), "the README's RetryChain example differs from readme-retry-chain.mts");

  const file = new URL("./readme-retry-chain.run.mjs", import.meta.url);
  await writeFile(file, 'import { rebill, visa } from "./readme-requests.mjs";\n' + example +
    "export { sandbox, chain, next, attempt, id, declined, step, retry, referenceData, row, restored };\n" +
    "export const finalNow = now;\n");
  let run;
  try {
    run = await import(file.href);
  } finally {
    await rm(file);
  }
  const { sandbox, chain, next, attempt, id, declined, step, retry, referenceData, row, restored, finalNow } = run;
  assert.equal(next.ok, true);
  assert.equal(attempt.retryCount, 1);
  assert.equal(attempt.referenceData, null);
  assert.deepEqual(id, { kind: "derived", id: "INV-1001-r1" });
  assert.equal(declined.transaction.responseCode, "20003");
  assert.equal(typeof declined.transaction.retryDate, "string");
  assert.equal(typeof declined.transaction.referenceData, "string");
  assert.deepEqual(step.next, { action: "sendAttempt", retryCount: 2, at: "2026-06-03T00:00:00Z" });
  assert.equal(finalNow, "2026-06-03T00:00:00Z");
  assert.equal(retry.ok, true);
  assert.equal(referenceData, declined.transaction.referenceData);
  assert.deepEqual(JSON.parse(row).chain, JSON.parse(chain.toJson()));
  assert.equal(restored.toJson(), chain.toJson());
  assert.equal(restored.status, chain.status);
  restored.free();
  chain.free();
  sandbox.free();
});
