// Gateway Management on the npm Sandbox: the README's "Gateways" example as written, routing
// after the Integration Guide's gateway steps, credentials kept write-only, and each refusal.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Sandbox } from "flexkit/sandbox";

import { rebill, visa } from "./readme-requests.mjs";

const T = "2026-05-01T00:00:00Z";
const stripeEu = {
  name: "Stripe EU", gatewayType: "stripe", currencyCode: "EUR", status: "Available",
  acceptedCurrencyCodes: ["EUR", "USD"], settings: { apiKey: "sk_test_123" },
};
const inCurrency = (id, currencyCode) => {
  const body = rebill(id, 1000, visa);
  body.transaction.currencyCode = currencyCode;
  return body;
};
const refusedWith = (code, status, extra = () => true) => (e) =>
  e instanceof Error && e.code === code && e.status === status && extra(e);

test("README: a gateway is added, charged through, set to Refund Only, listed and deleted", () => {
  const routed = new Sandbox(17);
  const { key: shopKey } = routed.generateApiKey("ci", { now: T });
  const eu = routed.createGateway(shopKey, stripeEu, T);
  assert.match(eu.id, /^[0-9A-Z]{26}$/);
  assert.deepEqual(eu.settings, { apiKey: "********" });
  assert.equal(eu.name, "Stripe EU");
  const euro = rebill("m-17", 1000, visa);
  euro.transaction.currencyCode = "EUR";
  const charged = routed.charge(shopKey, euro, "2026-05-01T00:00:01Z").transaction;
  assert.equal(charged.responseCode, "10000");
  assert.equal(charged.gatewayToken, eu.id);
  assert.equal(routed.setGatewayStatus(shopKey, eu.id, "RefundOnly", "2026-05-02T00:00:00Z").status, "RefundOnly");
  assert.equal(routed.listGateways(shopKey).length, 1);
  routed.deleteGateway(shopKey, eu.id, "2026-05-03T00:00:00Z");
  assert.deepEqual(routed.listGateways(shopKey), []);
  assert.throws(() => routed.getGateway(shopKey, eu.id), refusedWith("gateway_not_found", 404));
  routed.free();
});

test("after the Integration Guide's gateway steps, a suite routes its other currency again by adding a gateway", () => {
  const sandbox = new Sandbox(30);
  const { key } = sandbox.generateApiKey("ci", { now: T });
  assert.equal(sandbox.charge(key, inCurrency("e0", "EUR"), T).transaction.responseCode, "10000");
  assert.equal(sandbox.runAllScenarios(key, T).passed, true);
  const later = "2026-06-10T00:00:00Z"; // after the scenarios' own retries
  // Steps 6 and 7 left USD gateways: EUR has none now.
  assert.equal(sandbox.charge(key, inCurrency("e1", "EUR"), later).transaction.responseCode, "50147");
  const created = sandbox.listGateways(key);
  assert.ok(created.length >= 3, JSON.stringify(created.map((g) => g.name)));
  assert.ok(created.every((g) => Object.values(g.settings ?? {}).every((v) => v === "********")));
  const eu = sandbox.createGateway(key, { ...stripeEu, acceptedCurrencyCodes: ["EUR"] }, later);
  const euro = sandbox.charge(key, inCurrency("e2", "EUR"), later).transaction;
  assert.equal(euro.responseCode, "10000");
  assert.equal(euro.gatewayToken, eu.id);
  // Or the suite clears the gateways away: the built-in gateway takes every currency again.
  for (const g of sandbox.listGateways(key)) sandbox.deleteGateway(key, g.id, later);
  assert.equal(sandbox.charge(key, inCurrency("e3", "JPY"), later).transaction.responseCode, "10000");
  sandbox.free();
});

test("credentials are write-only: an update that sends the mask back keeps them, null removes one", () => {
  const sandbox = new Sandbox(4);
  const { key } = sandbox.generateApiKey("ci", { now: T });
  const gateway = sandbox.createGateway(key, { ...stripeEu, settings: { apiKey: "sk_1", webhook: "wh_1" } }, T);
  const read = sandbox.getGateway(key, gateway.id);
  assert.deepEqual(read.settings, { apiKey: "********", webhook: "********" });
  const updated = sandbox.updateGateway(key, gateway.id, { ...read, weight: 3, settings: { apiKey: "********", webhook: null } }, T);
  assert.equal(updated.weight, 3);
  assert.deepEqual(updated.settings, { apiKey: "********" });
  assert.throws(() => sandbox.updateGateway(key, gateway.id, { ...read, name: "Stripe EU 2" }, T),
    refusedWith("gateway_name_not_updatable", 400));
  assert.throws(() => sandbox.createGateway(key, { ...stripeEu, name: "Copy", settings: { apiKey: "********" } }, T),
    refusedWith("masked_setting_value", 400));
  sandbox.free();
});

test("a gateway with errors is refused whole, every error named and listed", () => {
  const sandbox = new Sandbox(4);
  const { key } = sandbox.generateApiKey("ci", { now: T });
  const bad = { name: "", gatewayType: "stripe", currencyCode: "EURO", status: "Available", acceptedCurrencyCodes: ["XAU"], weight: -1 };
  assert.throws(() => sandbox.createGateway(key, bad, T), refusedWith("invalid_gateway", 400, (e) => {
    const paths = e.errors.map((p) => p.path);
    assert.deepEqual(paths, ["name", "currencyCode", "acceptedCurrencyCodes[0]", "weight"]);
    assert.ok(e.errors.every((p) => typeof p.code === "string" && typeof p.message === "string"));
    assert.match(e.message, /^the gateway cannot be saved: name: .+; currencyCode: .+; acceptedCurrencyCodes\[0\]: .+; weight: /);
    return true;
  }));
  // A misspelt field is an error too, with its likely meaning; nothing was added.
  assert.throws(() => sandbox.createGateway(key, { ...stripeEu, acceptRetry: false }, T),
    refusedWith("invalid_gateway", 400, (e) => /did you mean "acceptRetries"/.test(e.errors[0].message)));
  // A type the sandbox cannot route to (flexkit warns of an unknown one; the sandbox refuses it),
  // and a name with a character that hides the text around it.
  assert.throws(() => sandbox.createGateway(key, { ...stripeEu, gatewayType: "acme_pay" }, T),
    refusedWith("invalid_gateway_type", 400));
  assert.throws(() => sandbox.createGateway(key, { ...stripeEu, name: "Stripe\u200bEU" }, T),
    refusedWith("invalid_gateway_name", 400, (e) => /U\+200B/.test(e.message)));
  assert.deepEqual(sandbox.listGateways(key), []);
  // Misuse: not an object, a status FlexPay does not have, an unknown token.
  for (const value of [null, "gateway", [stripeEu], new Date()]) {
    assert.throws(() => sandbox.createGateway(key, value, T), (e) => e.code === "invalid_argument");
  }
  const gateway = sandbox.createGateway(key, stripeEu, T);
  assert.throws(() => sandbox.setGatewayStatus(key, gateway.id, "Enabled", T),
    (e) => e.code === "invalid_argument" && /status must be "Available", "Disabled" or "RefundOnly", got "Enabled"/.test(e.message));
  assert.throws(() => sandbox.deleteGateway(key, "NOSUCHGATEWAY0000000000000", T), refusedWith("gateway_not_found", 404));
  assert.throws(() => sandbox.listGateways("not-a-key"), refusedWith("invalid_api_key", 401));
  // The key is judged before the gateway, as FlexPay answers 401 before it reads a body.
  assert.throws(() => sandbox.createGateway("not-a-key", bad, T), refusedWith("invalid_api_key", 401));
  assert.throws(() => sandbox.updateGateway("", gateway.id, bad, T), refusedWith("missing_api_key", 401));
  // A Production key's company keeps its own gateways apart.
  const { key: live } = sandbox.generateApiKey("live", { mode: "production", now: T });
  assert.throws(() => sandbox.listGateways(live), refusedWith("production_key_refused", 403));
  sandbox.free();
  assert.throws(() => sandbox.listGateways(key), (e) => e.code === "freed_object");
});
