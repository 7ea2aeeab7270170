// The README's account example ("Users and platform configuration" in web/npm/README.md), as
// it is written there: readme-examples.test.mjs checks that the packed README holds the text
// below the marker exactly and runs it with `rebill` and `visa` of the README's first sandbox
// example (readme-requests.mjs); tsc --strict type-checks it (tsconfig.json,
// tsconfig.node.json, tsconfig.ts5.2.json) with the two declared as below. Change both together.
import type { ChargeRequest } from "flexkit/sandbox";
declare const rebill: (id: string, amount: number, paymentMethod: object) => ChargeRequest;
declare const visa: object;
// ---- README ----
import { Sandbox, accessLevels } from "flexkit/sandbox";

const sandbox = new Sandbox(12);
const now = "2026-07-01T00:00:00Z";
sandbox.users();
// [{ name: "Account Owner", username: "owner@example.com", accessLevel: "accountAdministrator",
//    enabled: true, locked: false, createdAt: null }]

const password = sandbox.suggestTemporaryPassword();    // 12 characters that keep the rule
const added = sandbox.addUser({
  name: "Ada Lovelace", username: "ada@example.com", accessLevel: "accountReader", temporaryPassword: password,
}, now);
// { ok: true, invitation: { name: "Ada Lovelace", username: "ada@example.com",
//   accessLevel: "accountReader", temporaryPassword: password }, errors: [], warnings: [] }
sandbox.checkTemporaryPassword("ADA@example.com", password); // true: usernames ignore ASCII case

// What the core refuses comes back as data, every problem at once, and nothing is added:
const refused = sandbox.addUser({
  name: "Bo", username: "bo@example.com", accessLevel: "accountReader", temporaryPassword: "secret",
}, now);
// refused.ok false; refused.errors, all at path "temporaryPassword":
//   password_too_short "Temporary password needs at least 8 characters; it has 6.",
//   password_needs_capital, password_needs_digit, password_needs_symbol

sandbox.updateUser("ada@example.com", { accessLevel: "gatewayAdministrator" }, now).ok; // true
const demoted = sandbox.updateUser("owner@example.com", { accessLevel: "accountReader" }, now);
// demoted.errors: [{ path: "accessLevel", code: "last_administrator", message: "Account Owner is
//   the account's last enabled Account Administrator and cannot be given another access level: …" }]
sandbox.setUserEnabled("ada@example.com", false, now);
sandbox.deleteUser("ada@example.com", now);
// sandbox.deleteUser("owner@example.com", now) throws last_administrator: the account keeps one

accessLevels().find((level) => level.accessLevel === "gatewayAdministrator")?.rights;
// ["viewTransactions", "viewReports", "addGateways"]

// Each environment's platform configuration; a field left out keeps its value.
const set = sandbox.setPlatformConfig("sandbox", {
  recoveryMinimums: [{ currency: "USD", initialSale: 2500, rebill: 1000 }],  // minor units
  gatewayRouting: "RoutingEnabled",
});
// set.config: { recoveryMinimums: [{ currency: "USD", initialSale: 2500, rebill: 1000 }],
//   accountCurrencies: [], gatewayRouting: "RoutingEnabled" }

const { key } = sandbox.generateApiKey("ci", { now });
const below = sandbox.charge(key, rebill("m-1", 2008, visa), now).transaction;
// below.responseCode "20003", below.retryDate null: 20.08 USD is under the 25.00 minimum of an
// initial sale, so it is not recovered, and below.message says so

const wrong = sandbox.setPlatformConfig("production", {
  recoveryMinimums: [{ currency: "USD", initialSale: -100 }],
  accountCurrencies: ["USD", "usd"],
});
// wrong.ok false, nothing changed; wrong.errors:
//   { path: "recoveryMinimums[0].initialSale", code: "invalid_recovery_minimum",
//     message: "-1.00 USD is not a minimum: use 0 (none) or more, up to 90071992547409.91 USD" }
//   { path: "accountCurrencies[1]", code: "unknown_currency", message: 'unknown currency code "usd": …' }

const saved = sandbox.snapshot();                       // users and configurations included
Sandbox.fromSnapshot(saved).snapshot() === saved;       // true
