// Keyboard focus after actions that redraw or remove the control they were started from, in a
// real Chromium: each is started from the keyboard (the control focused, Enter) and the focus
// must land on what says what happened or on the control that opened the closed part, never
// on the page's body. Escape closes the inline editors the way Cancel does, and the leave
// confirmation, whose Cancel gives the focus back to the link followed.
import { test } from "node:test";
import assert from "node:assert/strict";

import { openPortal } from "./support/portal.mjs";

const { server, browser, page } = await openPortal();

async function go(path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

const focusedId = () => page.evaluate(() => document.activeElement?.id);

/** Waits until the element with this id has the focus (it may move on the next frame). */
async function focusReaches(id, what) {
  try {
    await page.waitForFunction((id) => document.activeElement?.id === id, id, { timeout: 5_000 });
  } catch {
    const at = await page.evaluate(() => {
      const e = document.activeElement;
      return e === document.body ? "the body" : `${e?.tagName} #${e?.id} "${e?.textContent?.slice(0, 40)}"`;
    });
    assert.fail(`${what}: the focus should be on #${id}, it is on ${at}`);
  }
}

/** Focuses a control and presses Enter on it, as a keyboard user does. */
async function enterOn(locator) {
  await locator.focus();
  await page.keyboard.press("Enter");
}

test("schedule: with nothing scheduled, Advance to the next retry says so plainly", async () => {
  await go("/schedule", "Retry schedule");
  await page.getByRole("button", { name: "Advance to the next retry" }).click();
  await page.getByRole("status").filter({ hasText: "No retry is scheduled: no payment is waiting for one." }).waitFor();
});

test("schedule: Send retry with Enter moves the focus on down the table, to the next retry due, then to the table", async () => {
  await go("/terminal", "Virtual terminal");
  for (let sent = 0; sent < 2; sent += 1) {
    await page.getByRole("button", { name: /^Visa/ }).click();
    await page.getByRole("button", { name: /^20\.08 USD 20003/ }).click();
    const before = sent === 0 ? null : await page.getByTestId("response-transaction-id").textContent();
    await page.getByRole("button", { name: "Send charge" }).click();
    await page.waitForFunction((before) => {
      const id = document.querySelector('[data-testid="response-transaction-id"]')?.textContent;
      return id && id !== before;
    }, before);
  }

  await go("/schedule", "Retry schedule");
  await page.getByRole("button", { name: "Advance to the next retry" }).click();
  await page.getByRole("status").filter({ hasText: "Clock advanced" }).waitFor();
  // The second payment's retry date is a moment after the first's.
  await page.getByRole("button", { name: "Advance 1 hour" }).click();
  await page.getByRole("status").filter({ hasText: "Clock advanced" }).waitFor();
  const sends = page.getByRole("button", { name: /^Send retry 2 of / });
  assert.equal(await sends.count(), 2);
  const second = await sends.nth(1).getAttribute("aria-label");
  await enterOn(sends.first());
  await page.getByRole("status").filter({ hasText: "Retry sent: 20003" }).waitFor();
  // The first row's retry now waits for its next date: the focus is on the next one due.
  await page.waitForFunction((label) => document.activeElement?.getAttribute("aria-label") === label, second);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#schedule-message").length === 1 && /^Retry sent: 20003/.test(document.querySelector("#schedule-message").textContent));
  // None is due any more: the focus is on the table, never on the page's body.
  await focusReaches("schedule-table", "after the last due Send retry");
});

test("certification: the focus follows the run's progress while its button is disabled", async () => {
  await go("/certification", "Certification");
  await enterOn(page.getByRole("button", { name: "Run steps 1–7" }));
  await focusReaches("cert-status", "while the run goes");
  await page.getByTestId("run-status").getByText(/^Last run: \d of 7 steps passed\.$/).waitFor({ timeout: 30_000 });
  assert.equal(await focusedId(), "cert-status", "the focus stays on the run's status when it ends");
});

test("users: closing the invitation with Enter puts the focus on the page's heading", async () => {
  await go("/users", "Users");
  const form = page.getByRole("form", { name: "Add user" });
  await form.getByLabel("Name", { exact: true }).fill("Kim Keys");
  await form.getByLabel("Username").fill("kim@example.com");
  await form.getByLabel("Temporary password").fill("Keyboard#1");
  await form.getByRole("button", { name: "Add user" }).click();
  await focusReaches("invitation-h", "after adding");
  await enterOn(page.getByRole("button", { name: "I sent it, close" }));
  await page.getByRole("region", { name: "Kim Keys was added" }).waitFor({ state: "detached" });
  await focusReaches("users-h", "after closing the invitation");
});

test("integrations: closing the new key with Enter puts the focus on the list of keys", async () => {
  await go("/integrations/api-keys", "Integrations");
  await page.locator("main").getByLabel("Name").fill("Focus key");
  await page.getByRole("button", { name: "Generate API key" }).click();
  await enterOn(page.getByRole("button", { name: "I saved the key, close" }));
  await page.getByLabel("The new API key").waitFor({ state: "detached" });
  await focusReaches("keys-heading", "after closing the new key");
});

test("integrations: Cancel or Escape on \"Leave without the new API key?\" gives the focus back to the link followed", async () => {
  await go("/integrations/api-keys", "Integrations");
  await page.locator("main").getByLabel("Name").fill("Unsaved key");
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.getByLabel("The new API key").waitFor();
  const sections = page.getByRole("navigation", { name: "Sections" });
  const dialog = page.getByRole("alertdialog", { name: "Leave without the new API key?" });
  const focusedLink = () =>
    page.evaluate(() => {
      const e = document.activeElement;
      return e?.closest("nav")?.getAttribute("aria-label") === "Sections" ? e.getAttribute("href") : null;
    });
  // Tab to the Transactions link (from the one before it) and follow it with Enter.
  await sections.getByRole("link", { name: "Dashboard" }).focus();
  await page.keyboard.press("Tab");
  assert.equal(await focusedLink(), "/transactions");
  for (const answer of ["Enter", "Escape"]) {
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await focusReaches("leave-cancel", "when the question opens");
    // Enter on the focused Cancel, or Escape.
    await page.keyboard.press(answer);
    await dialog.waitFor({ state: "detached" });
    await page.waitForFunction(() => document.activeElement !== document.body);
    assert.equal(await focusedLink(), "/transactions", `after ${answer === "Enter" ? "Cancel" : "Escape"}`);
    assert.equal(new URL(page.url()).pathname, "/integrations/api-keys");
  }
  await page.getByRole("button", { name: "I saved the key, close" }).click();
});

test("integrations, below 720 px: Cancel on \"Leave without the new API key?\" opens the menu again with the focus on the link followed", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await go("/integrations/api-keys", "Integrations");
    await page.locator("main").getByLabel("Name").fill("Narrow key");
    await page.getByRole("button", { name: "Generate API key" }).click();
    await page.getByLabel("The new API key").waitFor();
    const menu = page.getByRole("button", { name: "Menu" });
    const sections = page.getByRole("navigation", { name: "Sections" });
    const dialog = page.getByRole("alertdialog", { name: "Leave without the new API key?" });
    for (const answer of ["Enter", "Escape"]) {
      await menu.click();
      await sections.getByRole("link", { name: "Transactions" }).focus();
      await page.keyboard.press("Enter");
      await dialog.waitFor();
      await focusReaches("leave-cancel", "when the question opens");
      await page.keyboard.press(answer);
      await dialog.waitFor({ state: "detached" });
      await page.waitForFunction(() => document.activeElement?.getAttribute("href") === "/transactions");
      assert.equal(await menu.getAttribute("aria-expanded"), "true", "the menu is open again");
      assert.equal(await sections.getByRole("link", { name: "Transactions" }).isVisible(), true);
      assert.equal(new URL(page.url()).pathname, "/integrations/api-keys");
      // Escape closes the menu, as it always does, before the next round.
      await page.keyboard.press("Escape");
      assert.equal(await menu.getAttribute("aria-expanded"), "false");
    }
    await page.getByRole("button", { name: "I saved the key, close" }).click();
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test("companies: Rename by keyboard, saved with Enter or left with Escape, gives the focus back to its button", async () => {
  await go("/companies", "Companies");
  const rename = page.getByRole("button", { name: "Rename: Default Company" });
  await enterOn(rename);
  await focusReaches("rename-DEFAULT", "after Rename");
  await page.keyboard.type(" X");
  await page.keyboard.press("Escape");
  await page.locator("#rename-DEFAULT").waitFor({ state: "detached" });
  await focusReaches("rename-btn-DEFAULT", "after Escape");
  assert.equal(await page.getByRole("row").filter({ hasText: "Default Company X" }).count(), 0, "Escape keeps the name");

  await page.keyboard.press("Enter");
  await focusReaches("rename-DEFAULT", "after Rename again");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("Keyboard Company");
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Default Company is now called Keyboard Company." }).waitFor();
  await focusReaches("rename-btn-DEFAULT", "after saving the name");
  assert.equal(await page.getByRole("button", { name: "Rename: Keyboard Company" }).count(), 1);
});

test("gateways: Escape closes Update credentials, the focus back on its button", async () => {
  await go("/gateways", "Payment gateways");
  await page.getByLabel("Name", { exact: true }).fill("Escape NMI");
  await page.getByLabel("Gateway type").selectOption("nmi");
  await page.getByRole("button", { name: "Save gateway" }).click();
  const token = (await page.getByTestId("new-gateway-token").textContent()).trim();
  await enterOn(page.getByRole("button", { name: "Update credentials: Escape NMI" }));
  const editor = page.getByRole("region", { name: "Update credentials of Escape NMI" });
  await focusReaches("credentials-editor", "after Update credentials");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Escape");
  await editor.waitFor({ state: "detached" });
  await focusReaches(`cred-btn-${token}`, "after Escape");
  // Cancel does the same.
  await page.keyboard.press("Enter");
  await editor.getByRole("button", { name: "Cancel" }).click();
  await editor.waitFor({ state: "detached" });
  await focusReaches(`cred-btn-${token}`, "after Cancel");
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
