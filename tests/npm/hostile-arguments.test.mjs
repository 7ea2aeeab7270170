// Hostile arguments. First those whose every read throws: a revoked Proxy (even
// `Array.isArray` and `instanceof` throw for it), a Date whose `getTime` throws (a broken
// clock mock) and an array whose elements cannot be read. Given at every argument position
// of every method of the three classes, each call must throw a coded `invalid_argument` (or
// answer), and the object must stay as it was: still usable, its snapshot unchanged, `free()`
// working. An exception that unwound through a wasm method would leave its object borrowed
// for good. Then values of megabytes: refused in messages of a few hundred characters.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as flexkit from "flexkit";
import { RetryChain, Sandbox } from "flexkit/sandbox";
import { FlexitiSandbox } from "flexkit/flexiti";

const NOW = "2026-01-01T00:00:00Z";
const LATER = "2026-01-05T00:00:00Z";

function revoked() {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}
function brokenClock() {
  const date = new Date(0);
  date.getTime = () => {
    throw new Error("the clock mock is broken");
  };
  return date;
}
function unreadableArray() {
  return new Proxy(["USD"], {
    get(target, key) {
      if (key === "length" || key === "0") throw new Error("no elements for you");
      return Reflect.get(target, key);
    },
  });
}
function bigintClock() {
  const date = new Date(0);
  date.getTime = () => 10n;
  return date;
}
const HOSTILE = {
  "a revoked Proxy": revoked,
  "a Date whose getTime throws": brokenClock,
  "a Date whose getTime gives a BigInt": bigintClock,
  "an array that cannot be read": unreadableArray,
};

/** Runs `call`; true when it threw, and then with a code that is not `internal_error`. */
function refusedCleanly(call, label) {
  let error;
  try {
    call();
    return false;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error, `${label}: threw ${String(error)}`);
  assert.equal(typeof error.code, "string", `${label}: an Error without a code: ${error.message}`);
  assert.notEqual(error.code, "internal_error", `${label}: ${error.message}`);
  return true;
}

const CHARGE = {
  transaction: {
    merchantTransactionId: "m-1", orderId: "o-1", customerId: "c-1", currencyCode: "USD", amount: 1000, retryCount: 0,
    paymentMethod: { creditCardNumber: "4111111111111111", expiryMonth: "12", expiryYear: "2030", firstName: "A", lastName: "B" },
  },
};

// Arguments that work, "K" the API key, "T" the transaction id, "P" the payment method id, "G"
// the gateway token.
const SANDBOX_CALLS = {
  createCompany: ["Acme", "ACME1", NOW], recoveryLimits: ["DEFAULT"], setRecoveryLimits: ["DEFAULT", { maxRetries: 3 }],
  generateApiKey: ["k2", { now: NOW }], charge: ["K", CHARGE, NOW], authorize: ["K", CHARGE, NOW],
  capture: ["K", "T", {}, NOW], void: ["K", "T", {}, NOW], refund: ["K", "T", {}, NOW], refundedPayment: ["K", "T", {}, NOW],
  getTransaction: ["K", "T"], getTransactionByMerchantId: ["K", "m-0"], listTransactions: ["K", {}],
  createPaymentMethod: ["K", {}, NOW], listPaymentMethods: ["K", {}], getPaymentMethod: ["K", "P"],
  updatePaymentMethod: ["K", "P", {}, NOW], redactPaymentMethod: ["K", "P", NOW], recachePaymentMethod: ["K", "P", {}, NOW],
  runDueRetries: [LATER], addAutoRetry: ["n", { now: NOW }], setAutoRetryStatus: [1, "disabled", NOW], deleteAutoRetry: [1, NOW],
  addUser: [{ name: "Ada", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: "Secret#12" }, NOW],
  checkTemporaryPassword: ["owner@example.com", "p"], updateUser: ["owner@example.com", { name: "O" }, NOW],
  setUserEnabled: ["owner@example.com", true, NOW], unlockUser: ["owner@example.com", NOW], deleteUser: ["x@example.com", NOW],
  platformConfig: ["sandbox"], setPlatformConfig: ["sandbox", {}], runScenario: [1, "K", NOW, { currencies: ["USD"] }],
  runAllScenarios: ["K", NOW, { currencies: ["USD"] }],
  createGateway: ["K", { name: "G", gatewayType: "stripe", currencyCode: "USD", status: "Available" }, NOW],
  listGateways: ["K"], getGateway: ["K", "G"],
  updateGateway: ["K", "G", { name: "Stripe US", gatewayType: "stripe", currencyCode: "USD", status: "Available", weight: 2 }, NOW],
  setGatewayStatus: ["K", "G", "RefundOnly", NOW], deleteGateway: ["K", "G", NOW],
};

function sandboxWithData() {
  const sandbox = new Sandbox(1);
  const { key } = sandbox.generateApiKey("k", { now: NOW });
  const first = sandbox.charge(key, { transaction: { ...CHARGE.transaction, merchantTransactionId: "m-0" } }, NOW);
  const gateway = sandbox.createGateway(key, { name: "Stripe US", gatewayType: "stripe", currencyCode: "USD", status: "Available" }, NOW);
  return {
    sandbox, key, transactionId: first.transaction.transactionId, method: first.transaction.paymentMethod?.paymentMethodId ?? "pm",
    gateway: gateway.id,
  };
}

test("Sandbox: a hostile value at any argument position is refused with a code and the sandbox stays as it was", () => {
  let calls = 0;
  for (const [method, args] of Object.entries(SANDBOX_CALLS)) {
    for (let i = 0; i < args.length; i++) {
      for (const [what, make] of Object.entries(HOSTILE)) {
        const { sandbox, key, transactionId, method: pm, gateway } = sandboxWithData();
        const before = sandbox.snapshot();
        const a = args.map((x) => (x === "K" ? key : x === "T" ? transactionId : x === "P" ? pm : x === "G" ? gateway : x));
        a[i] = make();
        const label = `Sandbox#${method} argument ${i} as ${what}`;
        // Refused before anything changed, or answered: either way the object still works.
        if (refusedCleanly(() => sandbox[method](...a), label)) assert.equal(sandbox.snapshot(), before, label);
        calls++;
        assert.equal(sandbox.getTransaction(key, transactionId).transaction.transactionId, transactionId, label);
        assert.equal(typeof sandbox.generateApiKey("after", { now: NOW }).key, "string", label);
        sandbox.free();
        assert.throws(() => sandbox.snapshot(), (e) => e.code === "freed_object", label);
      }
    }
  }
  assert.ok(calls > 250, `${calls} calls`);
});

test("Sandbox: a revoked Proxy as the key leaves the state and every transaction in place", () => {
  const { sandbox, key, transactionId } = sandboxWithData();
  const before = sandbox.snapshot();
  assert.throws(() => sandbox.charge(revoked(), CHARGE, NOW), (e) => e.code === "invalid_argument" && /apiKey|key/.test(e.message));
  assert.throws(() => sandbox.generateApiKey("x", { now: brokenClock() }), (e) => e.code === "invalid_argument" && /getTime/.test(e.message));
  assert.equal(sandbox.snapshot(), before);
  assert.equal(sandbox.transactionCount, 1);
  assert.equal(JSON.stringify(sandbox), JSON.stringify(before));
  assert.equal(sandbox.getTransaction(key, transactionId).transaction.transactionId, transactionId);
  sandbox.free();
});

test("FlexitiSandbox: a hostile value at any argument position is refused with a code and the sandbox stays usable", () => {
  const CALLS = {
    token: ["b", NOW], issueToken: [NOW], lookup: [{}, "C"], search: [{}, "C"], verify: [1, {}, "C"],
    calculateInterest: [{}, "C"], authorize: [{}, "C"], capture: ["1", {}, "C"], release: ["1", {}, "C"],
    returnCapture: ["1", 1, {}, "C"], refund: [{}, "C"], transaction: [{}, "C"], authorizations: [{}, "C"],
    captures: [{}, "C"], authorizationDetail: ["1", "C"], restore: ["x"],
  };
  for (const [method, args] of Object.entries(CALLS)) {
    for (let i = 0; i < args.length; i++) {
      for (const [what, make] of Object.entries(HOSTILE)) {
        for (const inContext of [false, true]) {
          const s = new FlexitiSandbox(1);
          const token = s.issueToken(NOW);
          const a = args.map((x) => (x === "C" ? { token, now: NOW } : x));
          if (inContext && args[i] !== "C") continue;
          a[i] = inContext ? { token, now: make() } : make();
          const label = `FlexitiSandbox#${method} argument ${i}${inContext ? ".now" : ""} as ${what}`;
          refusedCleanly(() => s[method](...a), label);
          const snapshot = s.snapshot();
          assert.equal(typeof s.issueToken(NOW).accessToken, "string", label);
          assert.equal(FlexitiSandbox.fromSnapshot(snapshot).snapshot(), snapshot, label);
          s.free();
        }
      }
    }
  }
});

test("RetryChain: a hostile value at any argument position is refused with a code and the chain stays as it was", () => {
  const CALLS = { nextAttempt: [LATER], peekAttempt: [LATER], recordResponse: [{}, NOW], stop: ["r", NOW], recordRefund: ["t", 1, NOW] };
  for (const [method, args] of Object.entries(CALLS)) {
    for (let i = 0; i < args.length; i++) {
      for (const [what, make] of Object.entries(HOSTILE)) {
        const chain = RetryChain.afterGatewayDecline("inv-1", NOW);
        const before = chain.toJson();
        const a = [...args];
        a[i] = make();
        const label = `RetryChain#${method} argument ${i} as ${what}`;
        if (refusedCleanly(() => chain[method](...a), label)) assert.equal(chain.toJson(), before, label);
        assert.equal(typeof chain.peekAttempt(LATER), "object", label);
        chain.free();
      }
    }
  }
});

test("stateless functions refuse hostile arguments with a code, not a TypeError", () => {
  const calls = {
    checkCardNumber: (x) => flexkit.checkCardNumber(x),
    checkCvv: (x) => flexkit.checkCvv(x),
    checkExpiry: (x) => flexkit.checkExpiry("12", "2030", x),
    parseAmount: (x) => flexkit.parseAmount(x, "USD"),
    formatAmount: (x) => flexkit.formatAmount(x, "USD"),
    currencyInfo: (x) => flexkit.currencyInfo(x),
    describeResponseCode: (x) => flexkit.describeResponseCode(x),
    validateCharge: (x) => flexkit.validateCharge(CHARGE, { now: x }),
    validateBatch: (x) => flexkit.validateBatch("charge", x),
  };
  for (const [name, call] of Object.entries(calls)) {
    for (const [what, make] of Object.entries(HOSTILE)) {
      let result;
      refusedCleanly(() => {
        result = call(make());
      }, `${name}(${what})`);
      // A validation answers data instead: its input cannot be read, or the value was taken.
      if (result !== undefined && result !== null && typeof result === "object" && "ok" in result) {
        assert.equal(typeof result.ok, "boolean");
      }
    }
  }
  assert.equal(flexkit.checkCardNumber("4920201996449560").isValid, true);
});

test("a huge value is refused in a message of a few hundred characters, and a huge name is not kept", () => {
  const { sandbox, key } = sandboxWithData();
  const huge = "9".repeat(5_000_000);
  const calls = {
    getTransaction: () => sandbox.getTransaction(key, huge),
    getTransactionByMerchantId: () => sandbox.getTransactionByMerchantId(key, huge),
    getPaymentMethod: () => sandbox.getPaymentMethod(key, huge),
    "generateApiKey({ company })": () => sandbox.generateApiKey("k", { company: huge, now: NOW }),
    unlockUser: () => sandbox.unlockUser(huge, NOW),
  };
  for (const [name, call] of Object.entries(calls)) {
    assert.throws(call, (e) => typeof e.code === "string" && e.message.length < 400 && e.message.includes(`"${"9".repeat(60)}"…`), name);
  }
  const before = sandbox.snapshot();
  assert.throws(() => sandbox.createCompany("n".repeat(5_000_000), "BIG1", NOW), (e) => e.code === "invalid_name" && /has 5000000 characters; use at most 200/.test(e.message));
  assert.throws(() => sandbox.createCompany("Big", huge, NOW), (e) => e.code === "invalid_company_code" && e.message.length < 400);
  assert.throws(() => sandbox.createCompany("Invoice\u202Efdp.exe", "BIG2", NOW), (e) => e.code === "invalid_name" && /U\+202E/.test(e.message));
  // Half of a surrogate pair reaches WebAssembly as U+FFFD: the name kept would not be the one
  // given, so it is refused, naming the place.
  assert.throws(() => sandbox.createCompany("Caf\uD800 Ltd", "BIG3", NOW), (e) => e.code === "invalid_name" && /has U\+FFFD at character 4, where a character could not be read/.test(e.message));
  assert.equal(sandbox.snapshot(), before);
  sandbox.free();
});
