// `flexkit/sandbox`: the account's users and each environment's platform configuration, from
// the packed tarball. Every call, its answers as data, its refusals and its misuse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";

import { Sandbox, accessLevels, accessRights } from "flexkit/sandbox";
import { validateCharge } from "flexkit";

import { rebill, visa } from "./readme-requests.mjs";

const T0 = "2026-01-01T00:00:00Z";
const OWNER = {
  name: "Account Owner", username: "owner@example.com", accessLevel: "accountAdministrator",
  enabled: true, locked: false, createdAt: null,
};
const ada = (overrides = {}) => ({
  name: "Ada Lovelace", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: "Secret#12",
  ...overrides,
});
const EMPTY_CONFIG = { recoveryMinimums: [], accountCurrencies: [], gatewayRouting: "NoRouting" };

/** Asserts that `f` throws a real Error with `code` (and a message matching `message`). */
function throwsCode(label, f, code, message) {
  assert.throws(f, (error) => {
    assert.ok(error instanceof Error, `${label}: ${String(error)}`);
    assert.equal(error.code, code, `${label}: ${error.message}`);
    if (message !== undefined) assert.match(error.message, message, label);
    assert.doesNotMatch(error.message, /invalid type: |, expected |line \d+ column|`/, `${label}: serde's words`);
    return true;
  }, label);
}

/** A refused answer: `{ ok: false, errors, warnings: [] }`, the errors as `[path, code]`. */
function refusedWith(answer, expected, label) {
  assert.equal(answer.ok, false, label);
  assert.deepEqual(answer.warnings, [], label);
  assert.deepEqual(Object.keys(answer).sort(), ["errors", "ok", "warnings"], label);
  for (const problem of answer.errors) assert.deepEqual(Object.keys(problem).sort(), ["code", "message", "path"], label);
  assert.deepEqual(answer.errors.map((p) => [p.path, p.code]), expected, label);
}

test("the access levels and their rights are the portal's roles table, as data", () => {
  assert.deepEqual(accessRights(), [
    { right: "viewTransactions", label: "View transactions" },
    { right: "viewReports", label: "View reports" },
    { right: "addGateways", label: "Add payment gateways" },
    { right: "manageGateways", label: "Update payment gateways" },
    { right: "manageApiKeys", label: "Generate and delete API keys" },
    { right: "manageUsers", label: "Manage users" },
    { right: "export", label: "Export reports and transactions" },
    { right: "changeConfiguration", label: "Change companies and configuration" },
  ]);
  const levels = accessLevels();
  assert.deepEqual(levels.map((l) => [l.accessLevel, l.label, l.rights]), [
    ["accountAdministrator", "Account Administrator", accessRights().map((r) => r.right)],
    ["accountReader", "Account Reader", ["viewTransactions", "viewReports"]],
    ["gatewayAccountManager", "Gateway Account Manager", ["viewTransactions"]],
    ["gatewayAdministrator", "Gateway Administrator", ["viewTransactions", "viewReports", "addGateways"]],
  ]);
  assert.equal(levels[1].summary, "Read-only.");
  for (const level of levels) assert.deepEqual(Object.keys(level).sort(), ["accessLevel", "label", "rights", "summary"]);
  // A fresh copy each call: changing one changes nothing else.
  levels[0].rights.length = 0;
  assert.equal(accessLevels()[0].rights.length, 8);
});

test("a fresh account has its owner; a user is added with a typed password and listed", () => {
  const sandbox = new Sandbox(1);
  assert.deepEqual(sandbox.users(), [OWNER]);
  const added = sandbox.addUser(ada({ name: "  Ada Lovelace  ", username: " ada@example.com " }), T0);
  assert.deepEqual(added, {
    ok: true,
    invitation: { name: "Ada Lovelace", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: "Secret#12" },
    errors: [],
    warnings: [],
  });
  assert.deepEqual(sandbox.users(), [OWNER, {
    name: "Ada Lovelace", username: "ada@example.com", accessLevel: "accountReader",
    enabled: true, locked: false, createdAt: T0,
  }]);
  // The hash is compared: the username without regard to ASCII case, the password exactly.
  assert.equal(sandbox.checkTemporaryPassword("ADA@Example.com", "Secret#12"), true);
  assert.equal(sandbox.checkTemporaryPassword("ada@example.com", "secret#12"), false);
  assert.equal(sandbox.checkTemporaryPassword("nobody@example.com", "Secret#12"), false);
  assert.equal(sandbox.checkTemporaryPassword("owner@example.com", ""), false, "the owner's password was never given");
  // The password is kept nowhere but in the invitation.
  assert.ok(!sandbox.snapshot().includes("Secret#12"));
  sandbox.free();
});

test("the sandbox suggests passwords that keep the rule, never the same from the same seed", () => {
  const suggestions = (seed) => {
    const sandbox = new Sandbox(seed);
    const list = Array.from({ length: 50 }, () => sandbox.suggestTemporaryPassword());
    sandbox.free();
    return list;
  };
  const first = suggestions(3);
  // Masked by randomness no snapshot holds: a snapshot and its seed cannot give them back.
  assert.notDeepEqual(suggestions(3), first);
  assert.notDeepEqual(suggestions(4), first);
  assert.equal(new Set(first).size, first.length);
  for (const password of first) {
    assert.match(password, /^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[!#$%&*+\-=?@])[A-Za-z0-9!#$%&*+\-=?@]{12}$/, password);
  }
  const sandbox = new Sandbox(3);
  const password = sandbox.suggestTemporaryPassword();
  const added = sandbox.addUser(ada({ temporaryPassword: password }), T0);
  assert.equal(added.ok, true);
  assert.equal(added.invitation.temporaryPassword, password);
  assert.equal(sandbox.checkTemporaryPassword("ada@example.com", password), true);
  sandbox.free();
});

test("a user the core refuses is answered with every problem at once, in its words, and not added", () => {
  const sandbox = new Sandbox(1);
  const before = sandbox.snapshot();
  const all = sandbox.addUser({ name: " ", username: "not-an-email", accessLevel: "accountReader", temporaryPassword: "abc" }, T0);
  refusedWith(all, [
    ["name", "invalid_name"],
    ["username", "invalid_username"],
    ["temporaryPassword", "password_too_short"],
    ["temporaryPassword", "password_needs_capital"],
    ["temporaryPassword", "password_needs_digit"],
    ["temporaryPassword", "password_needs_symbol"],
  ]);
  assert.deepEqual(all.errors.map((p) => p.message), [
    "Enter the user's name.",
    "Username must be an email address, such as name@example.com.",
    "Temporary password needs at least 8 characters; it has 3.",
    "Temporary password needs at least one capital letter (A–Z).",
    "Temporary password needs at least one digit (0–9).",
    "Temporary password needs at least one symbol, such as ! # $ % or @.",
  ]);
  // Each rule on its own.
  const only = (user, expected, message) => {
    const answer = sandbox.addUser(user, T0);
    refusedWith(answer, [expected], inspect(user));
    if (message !== undefined) assert.equal(answer.errors[0].message, message);
  };
  only(ada({ temporaryPassword: "abcdefgh1!" }), ["temporaryPassword", "password_needs_capital"]);
  only(ada({ temporaryPassword: "Abcdefgh!" }), ["temporaryPassword", "password_needs_digit"]);
  only(ada({ temporaryPassword: "Abcdefgh 1" }), ["temporaryPassword", "password_needs_symbol"]);
  only(ada({ temporaryPassword: "Secret#12 " }), ["temporaryPassword", "password_spaces_at_ends"],
    "Temporary password has white space at its end; remove it, as it is easily lost when the password is copied.");
  only(ada({ temporaryPassword: "Ab1!" }), ["temporaryPassword", "password_too_short"]);
  only(ada({ temporaryPassword: "Aa1!" + "x".repeat(125) }), ["temporaryPassword", "password_too_long"],
    "Temporary password has 129 characters; use at most 128.");
  only(ada({ name: "n".repeat(101) }), ["name", "invalid_name"], "Name has 101 characters; use at most 100.");
  only(ada({ name: "Ada\u202Eecalevol" }), ["name", "invalid_name"],
    "Name has U+202E, a control, zero-width or text-direction character, at character 4; such a character hides or reorders the text around it where the name is shown, so remove it.");
  // Half of a surrogate pair cannot cross as JSON text: refused as an argument, at its path.
  assert.throws(() => sandbox.addUser(ada({ name: "Ada \uDC00" }), T0), (e) => e.code === "invalid_argument" && /^user\.name: /.test(e.message));
  only(ada({ username: "" }), ["username", "invalid_username"], "Enter the user's email address as Username.");
  only(ada({ username: "ada\u202E@example.com" }), ["username", "invalid_username"],
    "Username has U+202E, a control, zero-width or text-direction character, at character 4; such a character hides or reorders the text around it where the name is shown, so remove it.");
  only(ada({ username: "OWNER@example.com" }), ["username", "username_taken"],
    "Another user already has the username OWNER@example.com.");
  assert.equal(sandbox.snapshot(), before, "nothing refused was kept");
  // Characters outside ASCII are allowed but count as none of the classes.
  assert.equal(sandbox.addUser(ada({ temporaryPassword: "Abcdéf1!" }), T0).ok, true);
  refusedWith(sandbox.addUser(ada({ username: "b@example.com", temporaryPassword: "Ébcdef1!" }), T0),
    [["temporaryPassword", "password_needs_capital"]]);
  sandbox.free();
});

test("updateUser changes the name and access level; a field left out keeps its value", () => {
  const sandbox = new Sandbox(1);
  sandbox.addUser(ada(), T0);
  const renamed = sandbox.updateUser("ADA@example.com", { name: " Ada King " }, T0);
  assert.deepEqual(renamed, {
    ok: true,
    user: { name: "Ada King", username: "ada@example.com", accessLevel: "accountReader", enabled: true, locked: false, createdAt: T0 },
    errors: [],
    warnings: [],
  });
  assert.equal(sandbox.updateUser("ada@example.com", { accessLevel: "gatewayAccountManager" }, T0).user.name, "Ada King");
  assert.equal(sandbox.updateUser("ada@example.com", {}, T0).user.accessLevel, "gatewayAccountManager");
  // Undefined and null are left out, as JSON leaves them.
  assert.equal(sandbox.updateUser("ada@example.com", { name: undefined, accessLevel: null }, T0).user.name, "Ada King");

  const before = sandbox.snapshot();
  refusedWith(sandbox.updateUser("ada@example.com", { name: "" }, T0), [["name", "invalid_name"]]);
  const missing = sandbox.updateUser("nobody@example.com", { name: "X" }, T0);
  refusedWith(missing, [["username", "user_not_found"]]);
  assert.equal(missing.errors[0].message, 'no user has the username "nobody@example.com"; list the users to see them');
  const demoted = sandbox.updateUser("owner@example.com", { name: "", accessLevel: "accountReader" }, T0);
  refusedWith(demoted, [["name", "invalid_name"], ["accessLevel", "last_administrator"]]);
  assert.equal(demoted.errors[1].message,
    "Account Owner is the account's last enabled Account Administrator and cannot be given another access " +
    "level: the account always keeps one. Make another user an Account Administrator first.");
  assert.equal(sandbox.snapshot(), before, "nothing refused was kept");
  // Staying an administrator is always fine.
  assert.equal(sandbox.updateUser("owner@example.com", { name: "Owner", accessLevel: "accountAdministrator" }, T0).ok, true);
  sandbox.free();
});

test("disable, enable, unlock and delete; the last enabled Account Administrator stays", () => {
  const sandbox = new Sandbox(1);
  sandbox.addUser(ada(), T0);
  const lastAdministrator = (what) =>
    new RegExp(`^Account Owner is the account's last enabled Account Administrator and cannot be ${what}: the account always keeps one\\. Make another user an Account Administrator first\\.$`);
  throwsCode("disable the owner", () => sandbox.setUserEnabled("owner@example.com", false, T0), "last_administrator", lastAdministrator("disabled"));
  throwsCode("delete the owner", () => sandbox.deleteUser("owner@example.com", T0), "last_administrator", lastAdministrator("deleted"));
  // Other users may always be disabled and enabled; each answers nothing.
  assert.equal(sandbox.setUserEnabled("ada@example.com", false, T0), undefined);
  assert.equal(sandbox.users()[1].enabled, false);
  assert.equal(sandbox.setUserEnabled("ada@example.com", true, T0), undefined);
  assert.equal(sandbox.users()[1].enabled, true);
  // A second administrator lets the first go; a disabled one does not count.
  sandbox.updateUser("ada@example.com", { accessLevel: "accountAdministrator" }, T0);
  sandbox.setUserEnabled("ada@example.com", false, T0);
  // The refusal names the disabled administrator to enable.
  throwsCode("delete the owner, the other disabled", () => sandbox.deleteUser("owner@example.com", T0), "last_administrator",
    /^Account Owner is the account's last enabled Account Administrator and cannot be deleted: the account always keeps one\. Enable Ada Lovelace \(ada@example\.com\), a disabled Account Administrator, or make another user an Account Administrator first\.$/);
  sandbox.setUserEnabled("ada@example.com", true, T0);
  sandbox.setUserEnabled("owner@example.com", false, T0);
  assert.equal(sandbox.deleteUser("OWNER@example.com", T0), undefined);
  assert.deepEqual(sandbox.users().map((u) => u.username), ["ada@example.com"]);
  for (const [label, f] of [
    ["setUserEnabled", () => sandbox.setUserEnabled("owner@example.com", true, T0)],
    ["unlockUser", () => sandbox.unlockUser("owner@example.com", T0)],
    ["deleteUser", () => sandbox.deleteUser("owner@example.com", T0)],
  ]) {
    throwsCode(label, f, "user_not_found", /^no user has the username "owner@example\.com"; list the users to see them$/);
  }
  sandbox.free();
});

test("a user locked in a restored snapshot is unlocked by unlockUser", () => {
  const sandbox = new Sandbox(1);
  sandbox.addUser(ada(), T0);
  const document = JSON.parse(sandbox.snapshot());
  document.users[1].locked = true;
  const restored = Sandbox.fromSnapshot(JSON.stringify(document));
  assert.equal(restored.users()[1].locked, true);
  assert.equal(restored.unlockUser("ada@example.com", T0), undefined);
  assert.equal(restored.users()[1].locked, false);
  restored.unlockUser("ada@example.com", T0); // nothing to do
  assert.equal(restored.snapshot(), sandbox.snapshot(), "unlocked, it is the sandbox it came from");
  sandbox.free();
  restored.free();
});

test("a name kept from a snapshot taken before a rule refused it does not hold back an access level change", () => {
  const sandbox = new Sandbox(1);
  sandbox.addUser(ada(), T0);
  const document = JSON.parse(sandbox.snapshot());
  document.users[1].name = "Ada\u200B";
  const restored = Sandbox.fromSnapshot(JSON.stringify(document));
  const promoted = restored.updateUser("ada@example.com", { accessLevel: "gatewayAdministrator" }, T0);
  assert.equal(promoted.ok, true, JSON.stringify(promoted.errors));
  assert.equal(restored.users()[1].name, "Ada\u200B");
  // A name given anew is held to the rule.
  const renamed = restored.updateUser("ada@example.com", { name: "Ada\u202E" }, T0);
  assert.deepEqual(renamed.errors.map((p) => [p.path, p.code]), [["name", "invalid_name"]]);
  sandbox.free();
  restored.free();
});

test("platformConfig and setPlatformConfig: each environment its own, a field left out kept", () => {
  const sandbox = new Sandbox(1);
  assert.deepEqual(sandbox.platformConfig("sandbox"), EMPTY_CONFIG);
  assert.deepEqual(sandbox.platformConfig("production"), EMPTY_CONFIG);
  const fresh = sandbox.snapshot();
  const minimums = [{ currency: "USD", initialSale: 2500, rebill: 1000 }, { currency: "JPY", initialSale: 300, rebill: 0 }];
  const set = sandbox.setPlatformConfig("sandbox", { recoveryMinimums: minimums, accountCurrencies: ["USD", "EUR"] });
  const expected = { recoveryMinimums: minimums, accountCurrencies: ["USD", "EUR"], gatewayRouting: "NoRouting" };
  assert.deepEqual(set, { ok: true, config: expected, errors: [], warnings: [] });
  assert.deepEqual(sandbox.platformConfig("sandbox"), expected);
  assert.deepEqual(sandbox.platformConfig("production"), EMPTY_CONFIG, "the other environment is untouched");
  // A field left out (or null, or undefined) keeps its value; routing by either spelling.
  assert.deepEqual(sandbox.setPlatformConfig("Sandbox", { gatewayRouting: "originalGatewayRouting", accountCurrencies: null }).config,
    { ...expected, gatewayRouting: "OriginalGatewayRouting" });
  assert.deepEqual(sandbox.setPlatformConfig("sandbox", { gatewayRouting: "RoutingEnabled", recoveryMinimums: undefined }).config,
    { ...expected, gatewayRouting: "RoutingEnabled" });
  // An amount left out is 0, no minimum.
  assert.deepEqual(sandbox.setPlatformConfig("production", { recoveryMinimums: [{ currency: "EUR", rebill: 500 }] }).config.recoveryMinimums,
    [{ currency: "EUR", initialSale: 0, rebill: 500 }]);
  // What platformConfig answers is taken back as it is; the empty configuration restores a fresh sandbox.
  assert.equal(sandbox.setPlatformConfig("sandbox", sandbox.platformConfig("sandbox")).ok, true);
  sandbox.setPlatformConfig("sandbox", EMPTY_CONFIG);
  sandbox.setPlatformConfig("production", EMPTY_CONFIG);
  assert.equal(sandbox.snapshot(), fresh);
  sandbox.free();
});

test("a configuration the core refuses is answered with every problem at its path, and nothing changes", () => {
  const sandbox = new Sandbox(1);
  sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [{ currency: "USD", initialSale: 100 }] });
  const before = sandbox.snapshot();
  const answer = sandbox.setPlatformConfig("sandbox", {
    recoveryMinimums: [
      { currency: "usd", initialSale: -5 },
      { currency: "EUR", initialSale: 0, rebill: -1 },
      { currency: "EUR", initialSale: 2 ** 53, rebill: 0 },
    ],
    accountCurrencies: ["USD", "XXY", "USD"],
    gatewayRouting: "RoutingEnabled",
  });
  refusedWith(answer, [
    ["recoveryMinimums[0].currency", "unknown_currency"],
    ["recoveryMinimums[1].rebill", "invalid_recovery_minimum"],
    ["recoveryMinimums[2].currency", "duplicate_currency"],
    ["recoveryMinimums[2].initialSale", "invalid_recovery_minimum"],
    ["accountCurrencies[1]", "unknown_currency"],
    ["accountCurrencies[2]", "duplicate_currency"],
  ]);
  assert.deepEqual(answer.errors.map((p) => p.message), [
    'unknown currency code "usd": currency codes are three upper-case letters with nothing around them; use "USD"',
    "-0.01 EUR is not a minimum: use 0 (none) or more, up to 90071992547409.91 EUR",
    "EUR has minimums already",
    "90071992547409.92 EUR is not a minimum: use 0 (none) or more, up to 90071992547409.91 EUR",
    'unknown currency code "XXY": use the three-letter ISO 4217 code of an active currency, in upper case, such as "USD", "EUR" or "CAD"',
    "USD is listed twice",
  ]);
  assert.equal(sandbox.snapshot(), before, "nothing refused was kept");
  // The largest minimum JavaScript holds exactly is taken.
  assert.equal(sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [{ currency: "USD", initialSale: 2 ** 53 - 1 }] }).ok, true);
  sandbox.free();
});

test("codes without a minor unit (gold, XXX) are refused as the validators refuse them, and nothing changes", () => {
  const sandbox = new Sandbox(1);
  const before = sandbox.snapshot();
  const answer = sandbox.setPlatformConfig("sandbox", {
    recoveryMinimums: [{ currency: "XXX", initialSale: 100 }],
    accountCurrencies: ["USD", "XAU"],
  });
  refusedWith(answer, [
    ["recoveryMinimums[0].currency", "unknown_currency"],
    ["accountCurrencies[1]", "unknown_currency"],
  ]);
  assert.match(answer.errors[0].message, /^"XXX" is an ISO 4217 code without a minor unit, not a currency payments are made in/);
  assert.equal(validateCharge({ transaction: { currencyCode: "XXX" } }).errors.find((e) => e.path === "transaction.currencyCode").code, "unknown_currency");
  assert.equal(sandbox.snapshot(), before, "nothing refused was kept");
  sandbox.free();
});

test("a recovery minimum: a soft decline below it is not recovered, and its message says why; the other environment recovers", () => {
  const sandbox = new Sandbox(2);
  const { key } = sandbox.generateApiKey("ci", { now: T0 });
  sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [{ currency: "USD", initialSale: 2500, rebill: 1000 }] });
  const below = sandbox.charge(key, rebill("m-1", 2008, visa), T0).transaction;
  assert.equal(below.responseCode, "20003");
  assert.equal(below.retryDate ?? null, null);
  assert.equal(below.referenceData ?? null, null);
  assert.match(below.message, /not recovered: 20\.08 USD is below the recovery minimum of 25\.00 USD for initial sales/);
  // A rebill (billingCycle 2 or more) has its own minimum.
  const second = rebill("m-2", 2008, visa);
  second.transaction.paymentPlan = { billingCycle: 2 };
  const recovered = sandbox.charge(key, second, T0).transaction;
  assert.equal(recovered.responseCode, "20003");
  assert.equal(typeof recovered.retryDate, "string");
  // Production is configured apart: a minimum there leaves the sandbox's recovery as it was.
  sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [] });
  sandbox.setPlatformConfig("production", { recoveryMinimums: [{ currency: "USD", initialSale: 100000 }] });
  assert.equal(typeof sandbox.charge(key, rebill("m-3", 2008, visa), T0).transaction.retryDate, "string");
  sandbox.free();
});

test("users and configurations survive snapshot and fromSnapshot byte for byte, through JSON.parse too", () => {
  const sandbox = new Sandbox(6);
  sandbox.addUser(ada(), T0);
  sandbox.addUser(ada({ name: "Grace Hopper", username: "grace@example.com", accessLevel: "accountAdministrator",
    temporaryPassword: sandbox.suggestTemporaryPassword() }), T0);
  sandbox.setUserEnabled("ada@example.com", false, T0);
  sandbox.setPlatformConfig("sandbox", { recoveryMinimums: [{ currency: "USD", initialSale: 2500, rebill: 0 }], gatewayRouting: "RoutingEnabled" });
  sandbox.setPlatformConfig("production", { accountCurrencies: ["CAD"], gatewayRouting: "OriginalGatewayRouting" });
  const saved = sandbox.snapshot();
  const restored = Sandbox.fromSnapshot(saved);
  assert.equal(restored.snapshot(), saved);
  assert.equal(Sandbox.fromSnapshot(JSON.stringify(JSON.parse(saved), null, 2)).snapshot(), saved);
  assert.deepEqual(restored.users(), sandbox.users());
  for (const environment of ["sandbox", "production"]) {
    assert.deepEqual(restored.platformConfig(environment), sandbox.platformConfig(environment));
  }
  assert.equal(restored.checkTemporaryPassword("ada@example.com", "Secret#12"), true);
  // The restored sandbox goes on as the original, the same next snapshot, but for the
  // secrets it suggests: those no snapshot can give back.
  assert.notEqual(restored.suggestTemporaryPassword(), sandbox.suggestTemporaryPassword());
  assert.equal(restored.snapshot(), sandbox.snapshot());
  // An impossible account in a snapshot is refused, naming it.
  const document = JSON.parse(saved);
  document.users[0].accessLevel = "accountReader";
  document.users[2].accessLevel = "accountReader";
  throwsCode("no enabled administrator", () => Sandbox.fromSnapshot(JSON.stringify(document)), "snapshot_inconsistent",
    /no user is an enabled Account Administrator/);
  document.users[2].accessLevel = "owner";
  throwsCode("unknown access level", () => Sandbox.fromSnapshot(JSON.stringify(document)), "snapshot_inconsistent", /unknown access level "owner"/);
  sandbox.free();
  restored.free();
});

test("misuse of every account call is a coded Error naming the value, and changes nothing", () => {
  const sandbox = new Sandbox(1);
  sandbox.addUser(ada(), T0);
  const before = sandbox.snapshot();
  const invalid = (label, f, message) => throwsCode(label, f, "invalid_argument", message);
  // addUser: the object, each field, the keys.
  invalid("addUser()", () => sandbox.addUser(), /^user must be an object, got undefined$/);
  invalid("addUser(null)", () => sandbox.addUser(null, T0), /^user must be an object \{ name, username, accessLevel, temporaryPassword \}, got null$/);
  invalid("addUser([])", () => sandbox.addUser([], T0), /got an array$/);
  invalid("addUser(string)", () => sandbox.addUser("ada@example.com", T0), /got "ada@example\.com"$/);
  invalid("name number", () => sandbox.addUser(ada({ name: 7 }), T0), /^user\.name must be a string, got 7$/);
  invalid("name left out", () => sandbox.addUser(ada({ name: undefined }), T0), /^user\.name must be a string, got none$/);
  invalid("username null", () => sandbox.addUser(ada({ username: null }), T0), /^user\.username must be a string, got null$/);
  invalid("password left out", () => sandbox.addUser(ada({ temporaryPassword: undefined }), T0), /^user\.temporaryPassword must be a string, got none$/);
  invalid("access level unknown", () => sandbox.addUser(ada({ accessLevel: "Account Reader" }), T0),
    /^user\.accessLevel must be one of "accountAdministrator", "accountReader", "gatewayAccountManager", "gatewayAdministrator", got "Account Reader"$/);
  invalid("access level left out", () => sandbox.addUser(ada({ accessLevel: undefined }), T0), /got none$/);
  invalid("unknown key", () => sandbox.addUser({ ...ada(), password: "Secret#12" }, T0),
    /^user has no field "password" \(did you mean "temporaryPassword"\?\); it takes name, username, accessLevel, temporaryPassword$/);
  invalid("bigint", () => sandbox.addUser(ada({ name: 1n }), T0), /^user cannot be read as JSON/);
  throwsCode("addUser now", () => sandbox.addUser(ada({ username: "x@example.com" }), "yesterday"), "invalid_date");
  invalid("addUser no now", () => sandbox.addUser(ada({ username: "x@example.com" })), /^now must be a Date/);
  // updateUser.
  invalid("updateUser(number)", () => sandbox.updateUser(7, {}, T0), /^username must be a string, got number$/);
  invalid("updateUser no changes", () => sandbox.updateUser("ada@example.com", undefined, T0), /^changes must be an object/);
  invalid("updateUser changes key", () => sandbox.updateUser("ada@example.com", { nme: "A" }, T0),
    /^changes has no field "nme" \(did you mean "name"\?\); it takes name, accessLevel$/);
  invalid("updateUser username key", () => sandbox.updateUser("ada@example.com", { username: "b@example.com" }, T0), /^changes has no field "username"/);
  invalid("updateUser level", () => sandbox.updateUser("ada@example.com", { accessLevel: 1 }, T0), /^changes\.accessLevel must be one of .*, got 1$/);
  throwsCode("updateUser now", () => sandbox.updateUser("ada@example.com", {}, new Date(NaN)), "invalid_date");
  // The user actions.
  invalid("setUserEnabled string", () => sandbox.setUserEnabled("ada@example.com", "false", T0), /^enabled must be true or false, got string$/);
  invalid("setUserEnabled 0", () => sandbox.setUserEnabled("ada@example.com", 0, T0), /got number$/);
  invalid("setUserEnabled left out", () => sandbox.setUserEnabled("ada@example.com"), /got undefined$/);
  invalid("unlockUser()", () => sandbox.unlockUser(), /^username must be a string, got undefined$/);
  invalid("deleteUser(object)", () => sandbox.deleteUser({ username: "ada@example.com" }, T0), /^username must be a string/);
  throwsCode("deleteUser now", () => sandbox.deleteUser("ada@example.com", "soon"), "invalid_date");
  invalid("checkTemporaryPassword()", () => sandbox.checkTemporaryPassword(), /^username must be a string, got undefined$/);
  invalid("checkTemporaryPassword(number password)", () => sandbox.checkTemporaryPassword("ada@example.com", 12), /^password must be a string, got number$/);
  // The platform configuration.
  for (const environment of [undefined, null, "live", "SANDBOX", 1, {}]) {
    invalid(`platformConfig(${inspect(environment)})`, () => sandbox.platformConfig(environment), /^environment must be "sandbox" or "production", got /);
    invalid(`setPlatformConfig(${inspect(environment)})`, () => sandbox.setPlatformConfig(environment, {}), /^environment must be "sandbox" or "production", got /);
  }
  const config = (value, message) => invalid(inspect(value, { depth: 4 }), () => sandbox.setPlatformConfig("sandbox", value), message);
  config(undefined, /^config must be an object, got undefined$/);
  config(null, /^config must be an object \{ recoveryMinimums, accountCurrencies, gatewayRouting \}, got null$/);
  config(5, /got 5$/);
  config({ recoveryMinimum: [] },
    /^config has no field "recoveryMinimum" \(did you mean "recoveryMinimums"\?\); it takes recoveryMinimums, accountCurrencies, gatewayRouting$/);
  config({ recoveryMinimums: {} }, /^config\.recoveryMinimums must be an array of \{ currency, initialSale, rebill \}, got an object$/);
  config({ recoveryMinimums: ["USD"] }, /^config\.recoveryMinimums\[0\] must be an object \{ currency, initialSale, rebill \}, got "USD"$/);
  config({ recoveryMinimums: [{ currency: "USD", initial: 5 }] },
    /^config\.recoveryMinimums\[0\] has no field "initial" \(did you mean "initialSale"\?\); it takes currency, initialSale, rebill$/);
  config({ recoveryMinimums: [{ initialSale: 5 }] }, /^config\.recoveryMinimums\[0\]\.currency must be an ISO 4217 code such as "USD", got none$/);
  config({ recoveryMinimums: [{ currency: 840 }] }, /got 840$/);
  config({ recoveryMinimums: [{ currency: "USD", initialSale: 25.5 }] },
    /^config\.recoveryMinimums\[0\]\.initialSale must be a whole number of minor units \(2500 for USD 25\.00\), got 25\.5$/);
  config({ recoveryMinimums: [{ currency: "USD", rebill: "2500" }] }, /rebill must be a whole number of minor units .*, got "2500"$/);
  config({ recoveryMinimums: [{ currency: "USD", rebill: 1e30 }] }, /rebill must be a whole number of minor units .*, got 1e\+30$/);
  // JSON.stringify writes NaN and Infinity as null: refused, never read as "no minimum".
  config({ recoveryMinimums: [{ currency: "USD", rebill: Infinity }] }, /rebill must be a whole number of minor units .*, got null$/);
  config({ recoveryMinimums: [{ currency: "USD", initialSale: NaN }] }, /initialSale must be a whole number of minor units .*, got null$/);
  config({ recoveryMinimums: [{ currency: "USD", initialSale: null }] }, /got null$/);
  config({ accountCurrencies: "USD" }, /^config\.accountCurrencies must be an array of ISO 4217 codes, got "USD"$/);
  config({ accountCurrencies: ["USD", 840] }, /^config\.accountCurrencies\[1\] must be an ISO 4217 code such as "USD", got 840$/);
  config({ gatewayRouting: "Routing Enabled" },
    /^config\.gatewayRouting must be "NoRouting", "RoutingEnabled" or "OriginalGatewayRouting", got "Routing Enabled"$/);
  config({ gatewayRouting: "routingenabled" }, /got "routingenabled"$/);
  config({ gatewayRouting: true }, /got true$/);
  config({ recoveryMinimums: [{ currency: "USD", initialSale: 10n }] }, /^config cannot be read as JSON/);
  assert.equal(sandbox.snapshot(), before, "nothing was done");
  sandbox.free();
});

test("every account call of a freed sandbox is freed_object", () => {
  const sandbox = new Sandbox(1);
  sandbox.free();
  for (const [name, f] of Object.entries({
    users: () => sandbox.users(),
    suggestTemporaryPassword: () => sandbox.suggestTemporaryPassword(),
    addUser: () => sandbox.addUser(ada(), T0),
    checkTemporaryPassword: () => sandbox.checkTemporaryPassword("owner@example.com", "x"),
    updateUser: () => sandbox.updateUser("owner@example.com", {}, T0),
    setUserEnabled: () => sandbox.setUserEnabled("owner@example.com", true, T0),
    unlockUser: () => sandbox.unlockUser("owner@example.com", T0),
    deleteUser: () => sandbox.deleteUser("owner@example.com", T0),
    platformConfig: () => sandbox.platformConfig("sandbox"),
    setPlatformConfig: () => sandbox.setPlatformConfig("sandbox", {}),
  })) {
    throwsCode(name, f, "freed_object", /^this Sandbox was freed with free\(\); create a new one$/);
  }
});

test("one seed and one sequence of account calls give one snapshot", () => {
  const run = () => {
    const sandbox = new Sandbox(8);
    // A suggestion is a secret of its own sandbox; the password given is the caller's.
    sandbox.suggestTemporaryPassword();
    sandbox.addUser(ada({ temporaryPassword: "Secret#12" }), T0);
    sandbox.addUser(ada({ username: "bad" }), T0);
    sandbox.updateUser("ada@example.com", { accessLevel: "gatewayAdministrator" }, T0);
    sandbox.setPlatformConfig("production", { recoveryMinimums: [{ currency: "GBP", rebill: 99 }] });
    const text = sandbox.snapshot();
    sandbox.free();
    return text;
  };
  assert.equal(run(), run());
});
