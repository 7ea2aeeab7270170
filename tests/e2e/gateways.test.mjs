// Payment gateways in a real Chromium: create with write-only credentials, token and copy,
// credential update (never shown again, not even after a reload), Refund Only routing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { serveDist } from "./support/server.mjs";
import { launch, screenshotPath } from "./support/browser.mjs";

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launch();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const SECRET = "sk_test_FIRST_SECRET_123";
const ROTATED = "sk_test_ROTATED_SECRET_456";

async function openGateways(page) {
  await page.goto(`${server.url}/gateways`);
  await page.getByRole("heading", { name: "Payment gateways", level: 1 }).waitFor();
}

/** The saved state's text, straight from IndexedDB. */
function savedState(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("flexkit-portal", 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("state").objectStore("state").get("portal-state");
          get.onsuccess = () => {
            resolve(String(get.result ?? ""));
            open.result.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

async function waitSaved(page) {
  await page.waitForTimeout(250);
  await page.locator(".save-ok").waitFor();
}

async function terminalSend(page, { gateway, amount, kind = "charge", original }) {
  await page.goto(`${server.url}/terminal${original ? `?type=${kind}&original=${original}` : ""}`);
  await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
  if (!original) {
    await page.getByRole("button", { name: /^Visa/ }).click();
    await page.getByLabel("Payment gateway").selectOption({ label: gateway });
  }
  if (amount) await page.getByRole("textbox", { name: /^Amount/ }).fill(amount);
  await page.getByRole("button", { name: `Send ${kind}` }).click();
  await page.getByTestId("response-code").waitFor();
  return {
    code: await page.getByTestId("response-code").textContent(),
    id: await page.getByTestId("response-transaction-id").textContent(),
  };
}

test("invalid gateway fields are shown at the field", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  await page.getByLabel("Accepted currencies").fill("usd");
  const accepted = page.getByLabel("Accepted currencies");
  assert.equal(await accepted.getAttribute("aria-invalid"), "true");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.getByRole("alert").filter({ hasText: "Nothing was sent" }).waitFor();
  assert.equal(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid"), "true");
  await page.getByLabel("Accepted currencies").fill("");
  assert.equal(await accepted.getAttribute("aria-invalid"), "false");

  // A name over the core's limit of 100 characters is refused, naming the limit.
  const name = page.getByLabel("Name", { exact: true });
  await name.fill("G".repeat(101));
  await page.locator("#gw-name-problems").getByText("Enter at most 100 characters; this has 101.").waitFor();
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  await name.fill("G".repeat(100));
  assert.equal(await name.getAttribute("aria-invalid"), "false");
  await name.fill("");
});

test("create, copy the token, update credentials, Refund Only refuses charges but allows refunds", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  await page.getByLabel("Name", { exact: true }).fill("Stripe US");
  await page.getByLabel("Gateway type").selectOption("stripe");
  await page.getByLabel("Setting 1 name").fill("secretKey");
  await page.getByLabel("Setting 1 value").fill(SECRET);
  await page.getByRole("button", { name: "Add a setting" }).click();
  await page.waitForFunction((id) => document.activeElement?.id === id, "gw-setting-1-name");
  await page.getByLabel("Setting 2 name").fill("account");
  await page.getByLabel("Setting 2 value").fill("acct_42");
  await page.getByLabel("CVV required").check();
  await page.getByRole("button", { name: "Save gateway" }).click();

  const token = (await page.getByTestId("new-gateway-token").textContent()).trim();
  assert.match(token, /^[A-Z0-9]{26}$/);
  const row = page.getByRole("row").filter({ hasText: "Stripe US" });
  await row.getByText("•••• set: account, secretKey").waitFor();
  assert.match(await row.textContent(), /Enabled/);
  assert.match(await row.textContent(), new RegExp(token));
  assert.equal(await page.getByLabel("Setting 1 value").inputValue(), "", "the form forgets the secret");
  assert.ok(!(await page.content()).includes(SECRET));

  await row.getByRole("button", { name: "Copy the Gateway Token of Stripe US" }).click();
  await page.getByRole("status").getByText("The Gateway Token of Stripe US was copied.").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
  await page.screenshot({ path: screenshotPath("gateways-created"), fullPage: true });

  // A charge through it while it is Enabled, to refund later.
  const paid = await terminalSend(page, { gateway: "Stripe US — Enabled (stripe)", amount: "30.00" });
  assert.equal(paid.code, "10000");

  // Credentials: replaced, never displayed again, not stored.
  await openGateways(page);
  await page.getByRole("button", { name: "Update credentials: Stripe US" }).click();
  const editor = page.getByRole("region", { name: "Update credentials of Stripe US" });
  await editor.waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, "credentials-editor");
  await editor.getByLabel("New value of secretKey").fill(ROTATED);
  await page.screenshot({ path: screenshotPath("gateways-credentials"), fullPage: true });
  await editor.getByRole("button", { name: "Save credentials" }).click();
  await page.getByText("Credentials of Stripe US updated (secretKey replaced)").waitFor();
  await editor.waitFor({ state: "detached" });
  await waitSaved(page);
  for (const secret of [SECRET, ROTATED]) {
    assert.ok(!(await page.content()).includes(secret));
    assert.ok(!(await savedState(page)).includes(secret), "the saved state holds no credential");
  }
  await page.reload();
  await page.getByRole("heading", { name: "Payment gateways", level: 1 }).waitFor();
  const reloaded = page.getByRole("row").filter({ hasText: "Stripe US" });
  await reloaded.getByText("•••• set: account, secretKey").waitFor();
  assert.ok(!(await page.content()).includes(ROTATED));

  // Refund Only.
  await reloaded.getByRole("button", { name: "Set Refund Only: Stripe US" }).click();
  await reloaded.getByText("Refund Only", { exact: true }).waitFor();
  await page.getByRole("status").getByText(/refunds and voids still go through/).waitFor();
  await page.screenshot({ path: screenshotPath("gateways-refund-only"), fullPage: true });

  const refused = await terminalSend(page, { gateway: "Stripe US — Refund Only (stripe)", amount: "12.00" });
  assert.equal(refused.code, "50130");
  const refund = await terminalSend(page, { kind: "refund", original: paid.id });
  assert.equal(refund.code, "10000");
});

test("a gateway is deleted only after a confirmation, and its past payment keeps naming it", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  await page.getByLabel("Name", { exact: true }).fill("Old NMI");
  await page.getByLabel("Gateway type").selectOption("nmi");
  await page.getByRole("button", { name: "Save gateway" }).click();
  const token = (await page.getByTestId("new-gateway-token").textContent()).trim();
  await waitSaved(page);
  const charged = await terminalSend(page, { gateway: "Old NMI — Enabled (nmi)", amount: "12.00" });
  assert.equal(charged.code, "10000");

  await openGateways(page);
  const row = page.getByRole("row").filter({ hasText: "Old NMI" });
  await row.getByRole("button", { name: "Delete: Old NMI" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.waitFor();
  // Focus goes to Cancel (on the frame after the dialog shows), so Enter on an unintended
  // dialog deletes nothing.
  await page.waitForFunction(() => {
    const focused = document.activeElement;
    return focused?.closest('[role="alertdialog"]') !== null && focused?.textContent.trim() === "Cancel";
  });
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await row.count(), 1, "cancel keeps the gateway");

  await row.getByRole("button", { name: "Delete: Old NMI" }).click();
  await page.screenshot({ path: screenshotPath("gateways-confirm-delete"), fullPage: true });
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete Old NMI" }).click();
  await page.getByRole("status").getByText(/Old NMI was deleted/).waitFor();
  assert.equal(await row.count(), 0);
  await waitSaved(page);
  await page.reload();
  await page.getByRole("heading", { name: "Payment gateways", level: 1 }).waitFor();
  assert.equal(await page.getByRole("row").filter({ hasText: "Old NMI" }).count(), 0, "deleted for good");

  // The terminal no longer offers it; the transaction still names it.
  await page.goto(`${server.url}/terminal`);
  await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
  assert.equal(await page.getByLabel("Payment gateway").locator("option", { hasText: "Old NMI" }).count(), 0);
  await page.goto(`${server.url}/transactions/${charged.id}`);
  await page.getByRole("heading", { name: `Charge ${charged.id}` }).waitFor();
  assert.match(await page.locator("dl.facts").textContent(), /Old NMI/);
  assert.ok(token.length === 26);
});

test("deep link /gateways survives a reload", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  await page.reload();
  await page.getByRole("heading", { name: "Payment gateways", level: 1 }).waitFor();
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
