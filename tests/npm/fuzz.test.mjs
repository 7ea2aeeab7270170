// Fuzz-style safety test: random JS values of every awkward kind thrown at every exported
// function and method. Each call must return, or throw a real Error with a string `code`;
// a WebAssembly.RuntimeError (a trap) or an uncoded error fails the test. Afterwards the
// modules must still answer correctly.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as flexkit from "flexkit";
import * as sandboxEntry from "flexkit/sandbox";
import * as flexiti from "flexkit/flexiti";

const { FlexitiSandbox } = flexiti;
const { RetryChain, Sandbox } = sandboxEntry;

const CALLS = Number(process.env.FLEXKIT_FUZZ_CALLS ?? 100_000);

// Deterministic PRNG (mulberry32), so a failure can be replayed: `FLEXKIT_FUZZ_SEED` picks
// another stream (a longer campaign: `FLEXKIT_FUZZ_CALLS=1000000 FLEXKIT_FUZZ_SEED=7`).
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(Number(process.env.FLEXKIT_FUZZ_SEED ?? 0x5eed));
const pick = (xs) => xs[Math.floor(random() * xs.length)];

const throwingGetter = Object.defineProperty({}, "transaction", { enumerable: true, get() { throw new Error("getter"); } });
const throwingProxy = new Proxy({}, { get() { throw new Error("proxy"); }, ownKeys() { throw new Error("proxy keys"); }, has() { throw new Error("proxy has"); } });
const cyclic = { transaction: {} };
cyclic.transaction.self = cyclic;
let deep = {};
for (let i = 0; i < 5000; i++) deep = { transaction: deep };
const huge = { transaction: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, "x".repeat(i % 50)])) };
const revokedProxy = Proxy.revocable({}, {});
revokedProxy.revoke();
const brokenClock = Object.assign(new Date(0), { getTime() { throw new Error("clock"); } });
const unreadableArray = new Proxy([1, 2], { get(t, k) { if (k === "length") throw new Error("length"); return Reflect.get(t, k); } });
const frozen = Object.freeze({ transaction: Object.freeze({ amount: 1, currencyCode: "USD" }) });

const atoms = [
  undefined, null, NaN, Infinity, -Infinity, -0, 0, 1, -1, 1.5, 2 ** 53, -(2 ** 53), Number.MAX_VALUE,
  Number.MIN_VALUE, 4294967296, 20023, 7, "", " ", "0", "12", "2030", "20023", "1e3", "NaN", "-1",
  "4920201996449560", "USD", "usd", "visa", "americanExpress", "charge", "sandbox", "production",
  "owner@example.com", "ada@example.com", "Secret#12", "accountAdministrator", "accountReader", "RoutingEnabled",
  "noRouting",
  "2026-11-21T10:00:00Z", "not a date", "\ud800", "a\udfffb", "é€😀", "x".repeat(100_000), "{}", "[]",
  "{\"transaction\":{}}", "{\"transaction\":" + "[".repeat(10_000), true, false, Symbol("s"), 10n, -(2n ** 70n),
  () => 1, function named() {}, class K {}, new Date(NaN), new Date(0), new Date("2026-01-01"),
  [], [1, 2], {}, Object.create(null), frozen, cyclic, throwingGetter, throwingProxy, deep, huge,
  revokedProxy.proxy, brokenClock, unreadableArray,
  new Uint8Array(4), new Map([[1, 2]]), new Set([1]), /re/, new Error("e"), Promise.resolve(1),
];
function value(depth = 0) {
  const r = random();
  if (r < 0.55 || depth > 3) return pick(atoms);
  if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
  if (r < 0.8) {
    try {
      return String(pick(atoms));
    } catch {
      return "[unprintable]";
    }
  }
  const keys = ["transaction", "amount", "currencyCode", "paymentMethod", "creditCardNumber", "now", "environment",
    "responseCode", "retryDate", "policy", "merchantTransactionId", "orderId", "retryCount", "x", "__proto__", "constructor",
    "account_number", "financing_option", "auto_capture", "full_return", "sku_data", "lang", "kind", "authorizationId",
    "token", "idempotency", "clientId", "clientSecret", "accessToken", "issuedAt",
    "name", "username", "accessLevel", "temporaryPassword", "recoveryMinimums", "accountCurrencies", "gatewayRouting",
    "currency", "initialSale", "rebill"];
  const o = {};
  for (let i = Math.floor(random() * 5); i > 0; i--) {
    Object.defineProperty(o, pick(keys), { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return random() < 0.5 ? { transaction: o } : o;
}
const args = () => Array.from({ length: Math.floor(random() * 5) }, () => value());

const T0 = "2026-01-01T00:00:00Z";
function freshTargets() {
  const sandbox = new Sandbox(1);
  const { key } = sandbox.generateApiKey("fuzz", { now: T0 });
  sandbox.addUser({ name: "Ada", username: "ada@example.com", accessLevel: "accountAdministrator", temporaryPassword: "Secret#12" }, T0);
  const chain = RetryChain.afterGatewayDecline("inv", T0);
  const freedChain = RetryChain.afterGatewayDecline("inv", T0);
  freedChain.free();
  const freedSandbox = new Sandbox(2);
  freedSandbox.free();
  const flexitiSandbox = new FlexitiSandbox(1);
  const token = flexitiSandbox.issueToken(T0);
  const freedFlexiti = new FlexitiSandbox(2);
  freedFlexiti.free();
  return { sandbox, key, chain, freedChain, freedSandbox, flexitiSandbox, token, freedFlexiti };
}

// Every exported function of both entries; classes are exercised through their methods.
const isClass = (f) => /^class\b/.test(Function.prototype.toString.call(f));
const functions = [
  ...Object.entries(flexkit),
  ...Object.entries(sandboxEntry).map(([n, f]) => [`sandbox.${n}`, f]),
  ...Object.entries(flexiti).map(([n, f]) => [`flexiti.${n}`, f]),
].filter(([, f]) => typeof f === "function" && !isClass(f));
const flexitiMethods = ["snapshot", "toJSON", "restore", "credentials", "token", "issueToken", "lookup", "search",
  "verify", "calculateInterest", "authorize", "capture", "release", "returnCapture", "refund", "transaction",
  "authorizations", "captures", "authorizationDetail", "createFetch", "free"];
const chainMethods = ["toJson", "nextAttempt", "peekAttempt", "recordResponse", "abandonAttempt", "stop", "recordRefund", "snapshot", "free"];
const sandboxMethods = ["snapshot", "toJSON", "createCompany", "recoveryLimits", "setRecoveryLimits", "generateApiKey", "charge", "authorize", "capture", "void", "refund",
  "refundedPayment", "getTransaction", "getTransactionByMerchantId", "listTransactions", "runDueRetries",
  "nextScheduledRetry", "addAutoRetry", "autoRetries", "setAutoRetryStatus", "deleteAutoRetry", "runScenario", "createPaymentMethod", "listPaymentMethods", "getPaymentMethod",
  "updatePaymentMethod", "redactPaymentMethod", "recachePaymentMethod", "createFetch", "users", "suggestTemporaryPassword",
  "addUser", "checkTemporaryPassword", "updateUser", "setUserEnabled", "unlockUser", "deleteUser", "platformConfig",
  "setPlatformConfig", "createGateway", "listGateways", "getGateway", "updateGateway", "setGatewayStatus", "deleteGateway", "free"];
const ACCOUNT_CALLS = new Set(["addUser", "checkTemporaryPassword", "updateUser", "setUserEnabled", "unlockUser", "deleteUser",
  "platformConfig", "setPlatformConfig"]);
const USERNAMES = ["owner@example.com", "ada@example.com", "OWNER@EXAMPLE.COM"];
// Objects of the account calls' shapes with random values in them, so the core's own rules
// are reached too (not only the readers' refusals of the wrong shapes).
const sometimes = (known) => (random() < 0.7 ? pick(known) : value(2));
const LEVELS = ["accountAdministrator", "accountReader", "gatewayAccountManager", "gatewayAdministrator"];
const SHAPED = {
  addUser: (a) => {
    a[0] = { name: sometimes(["Ada", " ", "x".repeat(101)]), username: sometimes([...USERNAMES, `u${Math.floor(random() * 1e6)}@example.com`, "bad"]),
      accessLevel: sometimes(LEVELS), temporaryPassword: sometimes(["Secret#12", "short", "Abcdefgh1 "]) };
    a[1] = T0;
  },
  updateUser: (a) => {
    a[0] = pick(USERNAMES);
    a[1] = random() < 0.5 ? { accessLevel: sometimes(LEVELS) } : { name: sometimes(["Ada", ""]) };
    a[2] = T0;
  },
  setUserEnabled: (a) => { a[0] = pick(USERNAMES); a[1] = sometimes([true, false]); a[2] = T0; },
  setPlatformConfig: (a) => {
    a[0] = pick(["sandbox", "production"]);
    const minimum = () => ({ currency: sometimes(["USD", "EUR", "usd"]), initialSale: sometimes([0, 2500, -1, 2 ** 53]), rebill: sometimes([0, 100]) });
    a[1] = { recoveryMinimums: Array.from({ length: Math.floor(random() * 3) }, minimum),
      accountCurrencies: sometimes([["USD"], ["USD", "USD"], [], ["XXY"]]), gatewayRouting: sometimes(["NoRouting", "routingEnabled", "OriginalGatewayRouting"]) };
  },
};
const statics = [
  ["RetryChain.afterGatewayDecline", (a) => RetryChain.afterGatewayDecline(...a)],
  ["RetryChain.initialAttemptThroughFlexPay", (a) => RetryChain.initialAttemptThroughFlexPay(...a)],
  ["RetryChain.fromJson", (a) => RetryChain.fromJson(...a)],
  ["new Sandbox", (a) => new Sandbox(...a)],
  ["Sandbox.fromSnapshot", (a) => Sandbox.fromSnapshot(...a)],
  ["new FlexitiSandbox", (a) => new FlexitiSandbox(...a)],
  ["FlexitiSandbox.fromSnapshot", (a) => FlexitiSandbox.fromSnapshot(...a)],
  ["FlexitiSandbox.testData", (a) => FlexitiSandbox.testData(...a)],
];

const reached = new Set();
/** The sandbox the last round of fuzzing went through, for the checks after it. */
let fuzzed;
function check(name, f) {
  reached.add(name);
  try {
    const result = f();
    // A validation result: the request reached the validators (or was refused as data).
    if (/^(flexiti\.)?(validate|checkRules)/.test(name) && result !== null && typeof result === "object") {
      const results = Array.isArray(result) ? result : [result];
      for (const r of results) {
        assert.equal(typeof r.ok, "boolean", `${name}: not a ValidationResult`);
        // The types declare a union on `ok`: refused with a first error, or accepted with none.
        assert.equal(r.ok, r.errors.length === 0, `${name}: ok is ${r.ok} with ${r.errors.length} errors`);
      }
      return results.some((r) => r.errors.length > 0 && !r.errors.some((e) => e.code === "unreadable_input"))
        ? "validated"
        : "validation_result";
    }
    if (name === "flexiti.prepare" && result?.code === "invalid_request") {
      assert.ok(result.errors.length > 0, "prepare: an invalid request names at least one error");
    }
    if (result && typeof result.free === "function" && (result instanceof RetryChain || result instanceof Sandbox || result instanceof FlexitiSandbox)) result.free();
    return "returned";
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) assert.fail(`${name}: wasm trap ${error.message}`);
    assert.ok(error instanceof Error, `${name}: threw a non-Error ${String(error)}`);
    assert.equal(typeof error.code, "string", `${name}: Error without a code: ${error.stack}`);
    // An exception that escaped from a JS call inside a wasm method: the method's object
    // would be left borrowed.
    assert.notEqual(error.code, "internal_error", `${name}: ${error.message}`);
    return error.code;
  }
}

test(`${CALLS} random values at every export and method`, { timeout: 120_000 }, () => {
  let targets = freshTargets();
  const outcomes = new Map();
  const count = (k) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  const started = Date.now();
  for (let i = 0; i < CALLS; i++) {
    if (i % 5000 === 0) {
      targets.sandbox.free();
      targets.chain.free();
      targets.flexitiSandbox.free();
      targets = freshTargets();
    }
    const a = args();
    const kind = random();
    if (kind < 0.5) {
      const [name, f] = pick(functions);
      count(check(name, () => f(...a)));
    } else if (kind < 0.62) {
      const m = pick(chainMethods);
      const target = random() < 0.2 ? targets.freedChain : targets.chain;
      if (m === "free" && target === targets.chain) continue;
      count(check(`RetryChain#${m}`, () => target[m](...a)));
    } else if (kind < 0.76) {
      const m = pick(sandboxMethods);
      const target = random() < 0.2 ? targets.freedSandbox : targets.sandbox;
      if (m === "free" && target === targets.sandbox) continue;
      if (random() < 0.5 && a.length > 0) a[0] = targets.key;
      // The account calls: often a real username or environment first, so they reach the core.
      if (ACCOUNT_CALLS.has(m) && random() < 0.6) a[0] = pick(m.includes("latform") ? ["sandbox", "production"] : USERNAMES);
      if (SHAPED[m] !== undefined && random() < 0.5) SHAPED[m](a);
      count(check(`Sandbox#${m}`, () => target[m](...a)));
    } else if (kind < 0.93) {
      const m = pick(flexitiMethods);
      const target = random() < 0.2 ? targets.freedFlexiti : targets.flexitiSandbox;
      if (m === "free" && target === targets.flexitiSandbox) continue;
      // Often a well-formed call context, so the requests reach the sandbox's rules.
      if (random() < 0.5 && a.length > 0) a[a.length - 1] = { token: targets.token, now: T0 };
      count(check(`FlexitiSandbox#${m}`, () => target[m](...a)));
    } else {
      const [name, f] = pick(statics);
      count(check(name, () => f(a)));
    }
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`fuzz: ${CALLS} calls in ${seconds.toFixed(1)} s; outcomes:`, Object.fromEntries([...outcomes].sort((x, y) => y[1] - x[1]).slice(0, 12)));
  assert.ok(outcomes.get("freed_object") > 0, "freed objects were exercised");
  for (const m of ACCOUNT_CALLS) assert.ok(reached.has(`Sandbox#${m}`), `Sandbox#${m} was called`);
  fuzzed = targets.sandbox;
  assert.ok(outcomes.get("validated") > CALLS / 100, "the validators were reached");
});

test("every module still answers correctly after the fuzzing", () => {
  assert.equal(flexkit.checkCardNumber("4920201996449560").isValid, true);
  assert.equal(flexkit.parseAmount("10.50", "USD").minorUnits, 1050);
  assert.equal(flexkit.validateChargeJson("{}", { now: T0 }).ok, false);
  const capture = { transaction: { merchantTransactionId: "cap-1", amount: 2500 } };
  assert.deepEqual(flexkit.validateCapture(capture, { now: T0 }), { ok: true, errors: [], warnings: [] });
  const sandbox = new Sandbox(9);
  const { key } = sandbox.generateApiKey("after", { now: T0 });
  assert.equal(sandbox.runScenario(1, key, T0).passed, true);
  const chain = RetryChain.afterGatewayDecline("inv", T0);
  assert.equal(chain.nextAttempt(T0).notReady.code, "not_yet");
  const f = new FlexitiSandbox(9);
  const token = f.issueToken(T0);
  const [account] = FlexitiSandbox.testData().accounts;
  assert.equal(f.lookup({ account_number: account.accountNumber }, { token, now: T0 }).available_credit, "5000.00");
  assert.deepEqual(flexiti.validateCapture({ amount: "1.00" }), { ok: true, errors: [], warnings: [] });
  // The account calls: on a fresh sandbox, and on the one the fuzzing went through (its users
  // and configurations are whatever the random calls made of them) and its restored copy.
  const fresh = new Sandbox(9);
  assert.equal(fresh.addUser({ name: "Ada", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: "Secret#12" }, T0).ok, true);
  assert.deepEqual(fresh.users().map((u) => u.username), ["owner@example.com", "ada@example.com"]);
  assert.throws(() => fresh.deleteUser("owner@example.com", T0), (e) => e.code === "last_administrator");
  fresh.free();
  assert.ok(fuzzed, "the fuzzing ran");
  for (const box of [fuzzed, Sandbox.fromSnapshot(fuzzed.snapshot())]) {
    const before = box.users().length;
    assert.equal(box.addUser({ name: "After", username: "after@example.com", accessLevel: "accountReader", temporaryPassword: "Secret#12" }, T0).ok, true);
    assert.equal(box.checkTemporaryPassword("AFTER@example.com", "Secret#12"), true);
    assert.equal(box.users().length, before + 1);
    assert.ok(box.users().some((u) => u.accessLevel === "accountAdministrator" && u.enabled), "an enabled Account Administrator stays");
    assert.deepEqual(box.setPlatformConfig("production", { accountCurrencies: ["USD"] }).config.accountCurrencies, ["USD"]);
    assert.equal(box.setPlatformConfig("sandbox", { recoveryMinimums: [{ currency: "USD", rebill: -1 }] }).errors[0].code, "invalid_recovery_minimum");
    assert.equal(Sandbox.fromSnapshot(box.snapshot()).snapshot(), box.snapshot());
    box.free();
  }
  assert.equal(sandboxEntry.accessLevels().length, 4);
});
