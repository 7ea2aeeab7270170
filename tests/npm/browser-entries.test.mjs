// The browser entries (`index.js`, `sandbox.js`, `flexiti.js` at the package's root: the
// `--target web` glue, nothing loaded on import), imported by path, since Node's own condition
// picks the CommonJS build. Node runs them as a browser would, except that `init()` is given
// the module's bytes (Node's fetch does not read file: URLs).
// tests/bundlers runs the same entries in Chromium, bundled and unbundled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const root = new URL("./", import.meta.resolve("flexkit/package.json"));
const load = (file) => import(new URL(file, root).href);
const wasm = (name) => readFile(new URL(`web/${name}_bg.wasm`, root));

/** Asserts that `f` throws the coded Error of an entry used before `init()`. */
function notInitialized(f, entry, what) {
  assert.throws(f, (error) => {
    assert.ok(error instanceof Error, `${what}: not an Error`);
    assert.equal(error.name, "FlexkitError", what);
    assert.equal(error.code, "not_initialized", `${what}: ${error.message}`);
    assert.ok(error.message.includes("await init()"), `${what}: ${error.message}`);
    assert.ok(error.message.includes(`"${entry}"`), `${what}: ${error.message}`);
    return true;
  });
}

test("flexkit: every kind of export throws not_initialized before init(), and works after", async () => {
  const flexkit = await load("index.js");
  const calls = {
    version: () => flexkit.version(),
    checkCardNumber: () => flexkit.checkCardNumber("4111111111111111"),
    checkExpiry: () => flexkit.checkExpiry("12", "2030"),
    parseAmount: () => flexkit.parseAmount("1.00", "USD"),
    describeResponseCode: () => flexkit.describeResponseCode(20023),
    validateCharge: () => flexkit.validateCharge({ transaction: {} }),
    validateChargeJson: () => flexkit.validateChargeJson("{}"),
    validateBatch: () => flexkit.validateBatch("capture", [{}]),
  };
  for (const [name, call] of Object.entries(calls)) notInitialized(call, "flexkit", name);

  // A failed load leaves the entry as it was: still not initialised, and init() may be retried.
  await assert.rejects(flexkit.init(new Uint8Array([0, 1, 2, 3])));
  notInitialized(calls.checkCardNumber, "flexkit", "after a failed init()");

  await flexkit.init(await wasm("flexkit_wasm"));
  assert.equal(flexkit.checkCardNumber("4111111111111111").isValid, true);
  assert.equal(flexkit.checkExpiry("12", "2030", "2026-11-21T00:00:00Z").isValid, true);
  assert.equal(flexkit.validateCharge({ transaction: {} }).ok, false);
  assert.equal(flexkit.validateChargeJson("{}").ok, false);
  assert.equal(flexkit.parseAmount("1.00", "USD").minorUnits, 100);
  assert.equal(typeof flexkit.version(), "string");
  // Misuse after init() keeps its own code.
  assert.throws(() => flexkit.checkCardNumber(4111), (error) => error.code === "invalid_argument");
});

test("flexkit/sandbox: constructors, static methods and functions throw not_initialized before init()", async () => {
  const { init, initSync, RetryChain, Sandbox, version } = await load("sandbox.js");
  notInitialized(() => new Sandbox(1), "flexkit/sandbox", "new Sandbox");
  notInitialized(() => Sandbox.fromSnapshot("{}"), "flexkit/sandbox", "Sandbox.fromSnapshot");
  notInitialized(() => RetryChain.afterGatewayDecline("inv-1", "2026-01-01T00:00:00Z"), "flexkit/sandbox", "RetryChain.afterGatewayDecline");
  notInitialized(() => version(), "flexkit/sandbox", "version");

  // initSync without the module's bytes is misuse, coded like any other, and changes nothing.
  for (const wrong of [undefined, "x", null, 5, {}]) {
    assert.throws(() => initSync(wrong), (error) => error.name === "FlexkitError" && error.code === "invalid_argument" && /ArrayBuffer/.test(error.message));
  }
  notInitialized(() => new Sandbox(1), "flexkit/sandbox", "new Sandbox after a refused initSync");
  initSync(await wasm("flexkit_sandbox"));
  const sandbox = new Sandbox(1);
  assert.equal(typeof sandbox.snapshot(), "string");
  sandbox.free();
  const chain = RetryChain.afterGatewayDecline("inv-1", "2026-01-01T00:00:00Z");
  assert.equal(chain.status, "scheduled");
  chain.free();
  await init(); // resolves at once once initialised
});

test("flexkit/flexiti: constructors, static methods and functions throw not_initialized before init()", async () => {
  const flexiti = await load("flexiti.js");
  const { FlexitiSandbox } = flexiti;
  notInitialized(() => new FlexitiSandbox(1), "flexkit/flexiti", "new FlexitiSandbox");
  notInitialized(() => FlexitiSandbox.testData(), "flexkit/flexiti", "FlexitiSandbox.testData");
  notInitialized(() => flexiti.environments(), "flexkit/flexiti", "environments");
  notInitialized(() => flexiti.validateCapture({ amount: "1.00" }), "flexkit/flexiti", "validateCapture");
  notInitialized(
    () => flexiti.tokenRequest({ clientId: "a", clientSecret: "b" }, "TRAINING"),
    "flexkit/flexiti",
    "tokenRequest",
  );

  await flexiti.init(await wasm("flexkit_flexiti"));
  assert.equal(flexiti.environments().length, 3);
  assert.equal(flexiti.validateCapture({ amount: "1.00" }).ok, true);
  const sandbox = new FlexitiSandbox(1);
  assert.equal(typeof sandbox.issueToken("2026-11-21T10:00:00Z").accessToken, "string");
  sandbox.free();
});
