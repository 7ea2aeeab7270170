// `require("flexkit/sandbox")`: the account calls from CommonJS, the same instance as import.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");

const { Sandbox, accessLevels, accessRights } = require("flexkit/sandbox");

test("CommonJS: a user added, updated, disabled and deleted; a configuration set and refused", () => {
  const now = "2026-01-01T00:00:00Z";
  const sandbox = new Sandbox(4);
  assert.equal(accessLevels().length, 4);
  assert.equal(accessRights().length, 8);
  const password = sandbox.suggestTemporaryPassword();
  const added = sandbox.addUser({ name: "Ada", username: "ada@example.com", accessLevel: "accountAdministrator", temporaryPassword: password }, now);
  assert.equal(added.ok, true);
  assert.equal(sandbox.checkTemporaryPassword("ada@example.com", password), true);
  assert.equal(sandbox.updateUser("ada@example.com", { name: "Ada L" }, now).user.name, "Ada L");
  sandbox.setUserEnabled("owner@example.com", false, now);
  assert.throws(() => sandbox.setUserEnabled("ada@example.com", false, now), { code: "last_administrator" });
  sandbox.deleteUser("owner@example.com", now);
  assert.deepEqual(sandbox.users().map((u) => u.username), ["ada@example.com"]);
  assert.deepEqual(sandbox.setPlatformConfig("production", { gatewayRouting: "routingEnabled" }).config.gatewayRouting, "RoutingEnabled");
  assert.deepEqual(sandbox.setPlatformConfig("production", { accountCurrencies: ["EUR", "EUR"] }).errors,
    [{ path: "accountCurrencies[1]", code: "duplicate_currency", message: "EUR is listed twice" }]);
  assert.throws(() => sandbox.platformConfig("staging"), { code: "invalid_argument" });
  const restored = Sandbox.fromSnapshot(sandbox.snapshot());
  assert.equal(restored.snapshot(), sandbox.snapshot());
  restored.free();
  sandbox.free();
  assert.throws(() => sandbox.users(), { code: "freed_object" });
});
