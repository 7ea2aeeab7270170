// Users in a real Chromium: add a user (every password rule at the field at once, spaces at
// the password's ends refused), the invitation shown once, without a link to a sign-in page
// the portal does not have, and gone after a reload, update, disable/enable, the last
// administrator kept, delete after a confirmation (Escape cancels), reload persistence,
// keyboard-only use, names with markup as text, Unlock and Disable keeping the focus in their
// row, axe.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { download, expectNoSeriousAxeViolations, openPortal, readSavedState, saved } from "./support/portal.mjs";

const { server, browser } = await openPortal();
await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });

async function openUsers(page) {
  await page.goto(`${server.url}/users`);
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
}

const usersTable = (page) => page.getByRole("table", { name: "Users" });
const row = (page, text) => usersTable(page).getByRole("row").filter({ hasText: text });
const addForm = (page) => page.getByRole("form", { name: "Add user" });

test("a user is added; the password rules show at the field all at once; the invitation is shown once", async () => {
  const page = await browser.newPage();
  await openUsers(page);
  assert.ok(await page.getByRole("link", { name: "Users" }).getAttribute("aria-current"));
  assert.match(await row(page, "owner@example.com").textContent(), /Account Owner.*Enabled.*No.*Account Administrator/);
  await expectNoSeriousAxeViolations(page, "the users page");

  const form = addForm(page);
  await form.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
  await form.getByLabel("Username").fill("ada@example");
  const password = form.getByLabel("Temporary password");
  await password.fill("abc");
  assert.equal(await password.getAttribute("aria-invalid"), "true");
  const problems = page.locator("#user-password-problems li");
  assert.deepEqual(
    await problems.evaluateAll((items) => items.map((li) => li.dataset.code)),
    ["password_too_short", "password_needs_capital", "password_needs_digit", "password_needs_symbol"],
  );
  assert.match(await problems.first().textContent(), /Temporary password needs at least 8 characters/);
  await form.getByRole("button", { name: "Add user" }).click();
  const summary = page.locator(".problem-summary");
  await summary.waitFor();
  assert.match(await summary.textContent(), /Username: Username must be an email address/);
  assert.match(await summary.textContent(), /Temporary password: Temporary password needs a/);
  await page.screenshot({ path: screenshotPath("users-password-rules"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the add form with problems");

  // A name that would show reversed (a bidi override) is refused at its field, as the core refuses it.
  await form.getByLabel("Name", { exact: true }).fill("Ada \u202Eecalevol");
  await page.locator('#user-name-problems [data-code="invalid_name"]').getByText(/Name has U\+202E, a control, zero-width or text-direction character, at character 5;/).waitFor();
  await form.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
  assert.equal(await page.locator("#user-name-problems li").count(), 0);

  await form.getByLabel("Username").fill("OWNER@example.com");
  assert.match(await page.locator("#user-username-problems").textContent(), /Another user already has/);
  await form.getByLabel("Username").fill("ada@example.com");
  await form.getByLabel("Access level").selectOption("Account Reader");
  await form.getByRole("button", { name: "Generate a temporary password" }).click();
  const generated = await password.inputValue();
  assert.match(generated, /^.{12}$/);
  assert.equal(await password.getAttribute("aria-invalid"), "false");
  // Spaces at the ends are refused, never trimmed: what is kept is what was typed and shown.
  await password.fill(" Lovelace#1815 ");
  assert.deepEqual(await problems.evaluateAll((items) => items.map((li) => li.dataset.code)), ["password_spaces_at_ends"]);
  await form.getByRole("button", { name: "Add user" }).click();
  await summary.waitFor();
  assert.match(await summary.textContent(), /Temporary password: Temporary password has white space at both ends; remove it/);
  assert.equal(await row(page, "ada@example.com").count(), 0, "nothing was added");
  await page.screenshot({ path: screenshotPath("users-password-spaces"), fullPage: true });
  // Half of a surrogate pair (a character cut in two when copied) reaches the page as U+FFFD:
  // the invitation would show another password than the one typed, so it is refused.
  await password.evaluate((input) => {
    input.value = "Lovelace#1815\uD83D";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  assert.deepEqual(await problems.evaluateAll((items) => items.map((li) => li.dataset.code)), ["lone_surrogate"]);
  assert.match(await problems.first().textContent(), /This text holds \uFFFD, where a character could not be read/);
  await form.getByRole("button", { name: "Add user" }).click();
  await summary.getByText(/Temporary password: This text holds \uFFFD/).waitFor();
  assert.equal(await row(page, "ada@example.com").count(), 0, "nothing was added");
  await page.screenshot({ path: screenshotPath("users-password-unreadable"), fullPage: true });
  await password.fill("Lovelace#1815");
  await form.getByRole("button", { name: "Add user" }).click();

  const panel = page.getByRole("region", { name: "Ada Lovelace was added" });
  await panel.waitFor();
  const invitation = await panel.locator("#invitation-text").textContent();
  assert.match(invitation, /To: ada@example\.com/);
  // The sandbox has no sign-in page: no link to one (it would answer "Page not found"), and
  // the invitation says how to sign in instead.
  assert.match(invitation, /\nUsername: ada@example\.com\n/);
  assert.match(invitation, /\nTemporary password: Lovelace#1815\n/);
  assert.match(invitation, /Sign in to the FlexPay portal with them; you will choose your own password when you first sign in\.$/);
  assert.doesNotMatch(invitation, /https?:|sign-in|127\.0\.0\.1/);
  assert.equal(await panel.getByRole("link").count(), 0);
  assert.match(await panel.textContent(), /This sandbox has no sign-in page, so the invitation carries no link/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "invitation-h");
  await panel.getByRole("button", { name: "Copy the invitation" }).click();
  await panel.getByText("Copied to the clipboard.").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), invitation);
  assert.match(await row(page, "ada@example.com").textContent(), /Ada Lovelace.*Enabled.*No.*Account Reader/);
  await page.screenshot({ path: screenshotPath("users-invitation-shown-once"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the invitation panel");

  await saved(page);
  const stored = await readSavedState(page);
  assert.ok(stored.includes("ada@example.com") && !stored.includes("Lovelace#1815"), "only a hash is saved");
  await page.reload();
  await row(page, "ada@example.com").waitFor();
  assert.equal(await page.getByRole("region", { name: "Ada Lovelace was added" }).count(), 0);
  assert.ok(!(await page.content()).includes("Lovelace#1815"), "the password is gone after a reload");
  await page.close();
});

test("leaving while the invitation was not copied asks first, as a new API key does", async () => {
  const page = await browser.newPage();
  await openUsers(page);
  const form = addForm(page);
  await form.getByLabel("Name", { exact: true }).fill("Lee Leaving");
  await form.getByLabel("Username").fill("lee.leaving@example.com");
  await form.getByLabel("Temporary password").fill("Cobol#1959x");
  await form.getByRole("button", { name: "Add user" }).click();
  const panel = page.getByRole("region", { name: "Lee Leaving was added" });
  await panel.waitFor();
  await page.getByRole("navigation").getByRole("link", { name: "Dashboard", exact: true }).click();
  const dialog = page.getByRole("alertdialog", { name: "Leave without the invitation?" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(new URL(page.url()).pathname, "/users");
  assert.match(await panel.locator("#invitation-text").textContent(), /Temporary password: Cobol#1959x/);
  // Closed (or copied), it lets the link go.
  await panel.getByRole("button", { name: "I sent it, close" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Dashboard", exact: true }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  // Closed, so no tab of an earlier test follows the saves of the tests below.
  await page.close();
});

test("update, disable and enable a user; the last administrator is kept", async () => {
  const page = await browser.newPage();
  await openUsers(page);
  await page.getByRole("button", { name: "Disable: Account Owner" }).click();
  const banner = page.locator(".status-slot .banner-error");
  await banner.waitFor();
  assert.match(await banner.textContent(), /last enabled Account Administrator/);
  assert.match(await row(page, "owner@example.com").textContent(), /Enabled/);

  await page.getByRole("button", { name: "Update: Account Owner" }).click();
  const edit = page.getByRole("form", { name: "Update owner@example.com" });
  await edit.getByLabel("Access level").selectOption("Account Reader");
  await edit.getByRole("button", { name: "Save user" }).click();
  const refusal = page.locator("#edit-access-problems");
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /last enabled Account Administrator/);
  assert.equal(await edit.getByLabel("Access level").getAttribute("aria-invalid"), "true");
  await page.screenshot({ path: screenshotPath("users-last-administrator"), fullPage: true });
  // Escape closes the form, as it cancels the delete confirmation, and the focus goes back
  // to the Update button that opened it.
  await edit.getByLabel("Access level").focus();
  await page.keyboard.press("Escape");
  await edit.waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Update: Account Owner");

  // Delete is refused at once, as Disable is: no confirmation that could only be refused.
  await page.getByRole("button", { name: "Delete: Account Owner" }).click();
  await banner.waitFor();
  assert.match(await banner.textContent(), /^Nothing changed: .*last enabled Account Administrator and cannot be deleted/);
  assert.equal(await page.getByRole("alertdialog").count(), 0);

  await page.getByRole("button", { name: "Update: Ada Lovelace" }).click();
  const ada = page.getByRole("form", { name: "Update ada@example.com" });
  // A new name is judged as it is typed, as in the add form.
  await ada.getByLabel("Name", { exact: true }).fill("Ada \u202Egnik");
  await page.locator('#edit-name-problems [data-code="invalid_name"]').getByText(/Name has U\+202E/).waitFor();
  assert.equal(await ada.getByLabel("Name", { exact: true }).getAttribute("aria-invalid"), "true");
  await ada.getByLabel("Name", { exact: true }).fill("Ada King");
  assert.equal(await page.locator("#edit-name-problems li").count(), 0);
  await ada.getByLabel("Access level").selectOption("Gateway Administrator");
  await ada.getByRole("button", { name: "Save user" }).click();
  await row(page, "Ada King").waitFor();
  assert.match(await row(page, "ada@example.com").textContent(), /Ada King.*Gateway Administrator/);

  await page.getByRole("button", { name: "Disable: Ada King" }).click();
  await page.getByRole("button", { name: "Enable: Ada King" }).waitFor();
  assert.match(await row(page, "ada@example.com").textContent(), /Disabled/);
  await saved(page);
  await page.reload();
  await row(page, "ada@example.com").waitFor();
  assert.match(await row(page, "ada@example.com").textContent(), /Ada King.*Disabled.*Gateway Administrator/);
  await page.getByRole("button", { name: "Enable: Ada King" }).click();
  await page.getByRole("button", { name: "Disable: Ada King" }).waitFor();
  await page.close();
});

test("delete asks first: Escape and Cancel keep the user, the dialog's button deletes", async () => {
  const page = await browser.newPage();
  await openUsers(page);
  await page.getByRole("button", { name: "Delete: Ada King" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Delete the user Ada King \(ada@example\.com\)\?/);
  await page.locator("#confirm-delete-user-cancel").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "confirm-delete-user-cancel");
  await expectNoSeriousAxeViolations(page, "the delete confirmation");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await row(page, "ada@example.com").waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Delete: Ada King");

  // Deleting the user whose Update form is open closes the form: nothing is left to update.
  await page.getByRole("button", { name: "Update: Ada King" }).click();
  await page.getByRole("heading", { name: "Update ada@example.com" }).waitFor();
  await page.getByRole("button", { name: "Delete: Ada King" }).click();
  await page.getByRole("button", { name: "Delete Ada King" }).click();
  await row(page, "ada@example.com").waitFor({ state: "detached" });
  assert.equal(await page.getByRole("heading", { name: "Update ada@example.com" }).count(), 0);
  // The last administrator: refused at once, with no confirmation.
  await page.getByRole("button", { name: "Delete: Account Owner" }).click();
  await page.locator(".status-slot .banner-error").waitFor();
  assert.equal(await page.getByRole("alertdialog").count(), 0);
  assert.equal(await row(page, "owner@example.com").count(), 1);
  await saved(page);
  await page.reload();
  await row(page, "owner@example.com").waitFor();
  assert.equal(await row(page, "ada@example.com").count(), 0);
  await page.close();
});

test("keyboard only: add a user with markup in the name, shown as text, then delete it", async () => {
  const page = await browser.newPage();
  await openUsers(page);
  await page.locator("#user-name").focus();
  await page.keyboard.type("<b>Bold</b> Grace");
  await page.keyboard.press("Tab");
  await page.keyboard.type("grace@example.com");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "user-access");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "user-password");
  await page.keyboard.type("Hopper#1906");
  await page.keyboard.press("Enter");
  const panel = page.getByRole("region", { name: "<b>Bold</b> Grace was added" });
  await panel.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "invitation-h");
  assert.equal(await page.locator("main b").count(), 0, "markup in a name is text");
  assert.match(await row(page, "grace@example.com").textContent(), /<b>Bold<\/b> Grace/);
  await page.screenshot({ path: screenshotPath("users-markup-as-text"), fullPage: true });
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "I sent it, close");
  await page.keyboard.press("Enter");
  await panel.waitFor({ state: "detached" });
  // Closing the invitation puts the focus on the heading on the next frame: wait for it, or
  // it can land after the focus given below on a loaded machine.
  await page.waitForFunction(() => document.activeElement?.id === "users-h");

  await page.getByRole("button", { name: "Delete: <b>Bold</b> Grace" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "confirm-delete-user-cancel");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await row(page, "grace@example.com").waitFor({ state: "detached" });
  await page.screenshot({ path: screenshotPath("users-after-delete"), fullPage: true });
  await page.close();
});

test("the messages say only what changed, and what to do about the last administrator", async () => {
  const page = await browser.newPage();
  await openUsers(page);
  const slot = page.locator(".status-slot");
  // Saved once refused as the last administrator, then with only the name changed.
  await page.getByRole("button", { name: "Update: Account Owner" }).click();
  const edit = page.getByRole("form", { name: "Update owner@example.com" });
  await edit.getByLabel("Access level").selectOption("Account Reader");
  await edit.getByRole("button", { name: "Save user" }).click();
  await page.locator("#edit-access-problems").waitFor();
  await edit.getByLabel("Access level").selectOption("Account Administrator");
  await edit.getByLabel("Name", { exact: true }).fill("Olivia Owner");
  await edit.getByRole("button", { name: "Save user" }).click();
  await slot.getByText("Account Owner's name is now Olivia Owner.", { exact: true }).waitFor();
  assert.doesNotMatch(await slot.textContent(), /is now Account Administrator/);

  // A disabled administrator: the refusal says to enable them.
  const form = addForm(page);
  await form.getByLabel("Name", { exact: true }).fill("Bob Admin");
  await form.getByLabel("Username").fill("bob@example.com");
  await form.getByLabel("Access level").selectOption("Account Administrator");
  await form.getByLabel("Temporary password").fill("Builder#42");
  await form.getByRole("button", { name: "Add user" }).click();
  await page.getByRole("button", { name: "I sent it, close" }).click();
  await page.getByRole("button", { name: "Disable: Olivia Owner" }).click();
  await page.getByRole("button", { name: "Enable: Olivia Owner" }).waitFor();
  await page.getByRole("button", { name: "Disable: Bob Admin" }).click();
  const refusal = slot.locator(".banner-error");
  await refusal.waitFor();
  assert.equal(
    await refusal.textContent(),
    "Nothing changed: Bob Admin is the account's last enabled Account Administrator and cannot be disabled: the account always keeps one. " +
      "Enable Olivia Owner (owner@example.com), a disabled Account Administrator, or make another user an Account Administrator first.",
  );
  // Only the access level changed: said so. A new action clears the earlier refusal first.
  await page.getByRole("button", { name: "Update: Olivia Owner" }).click();
  assert.equal(await slot.locator(".banner").count(), 0, "the refusal is gone once another action starts");
  await page.getByRole("form", { name: "Update owner@example.com" }).getByLabel("Access level").selectOption("Gateway Administrator");
  await page.getByRole("button", { name: "Save user" }).click();
  await slot.getByText("Olivia Owner is now Gateway Administrator.", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Enable: Olivia Owner" }).click();
  await page.getByRole("button", { name: "Disable: Olivia Owner" }).waitFor();
  await page.close();
});

/** Replaces the portal's data by the Data page's import with what it holds now plus `users`. */
async function importWithUsers(page, users) {
  await page.goto(`${server.url}/data`);
  await page.getByRole("heading", { name: "Data & storage", level: 1 }).waitFor();
  const { text } = await download(page, () => page.getByRole("button", { name: "Export to a file" }).click());
  const held = JSON.parse(text);
  const owner = { name: "Account Owner", username: "owner@example.com", accessLevel: "accountAdministrator" };
  held.flexpaySandbox.users = [...(held.flexpaySandbox.users ?? [owner]), ...users];
  await page.locator('input[type="file"]').setInputFiles({
    name: "users.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(held)),
  });
  const question = page.getByRole("alertdialog");
  await question.waitFor();
  const asked = await question.textContent();
  await page.waitForFunction(() => document.activeElement?.id === "import-cancel");
  await question.getByRole("button", { name: "Replace with the file" }).click();
  await page.getByRole("status").filter({ hasText: "Imported users.json" }).waitFor();
  await saved(page);
  return asked;
}

test("Unlock and Disable by keyboard keep the focus in the user's row", async () => {
  const page = await browser.newPage();
  const asked = await importWithUsers(page, [
    { name: "Lena Locked", username: "lena@example.com", accessLevel: "accountReader", locked: true },
    { name: "Mo Moved", username: "mo@example.com", accessLevel: "accountReader" },
  ]);
  // The import's question counts the users the file holds: the three of the tests above, and these.
  assert.match(asked, /It holds 0 transactions, 5 users and the platform configuration/);
  await openUsers(page);
  assert.match(await row(page, "lena@example.com").textContent(), /Lena Locked.*Enabled.*Yes.*Account Reader/);
  await page.getByRole("button", { name: "Unlock: Lena Locked" }).focus();
  await page.keyboard.press("Enter");
  await page.locator(".status-slot").getByText("Lena Locked is unlocked and may sign in again.").waitFor();
  // The Unlock button is gone: the focus is on the control before it, not on the page's body
  // nor on Delete after it, where a second Enter would start a deletion.
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Disable: Lena Locked");
  assert.match(await row(page, "lena@example.com").textContent(), /Lena Locked.*Enabled.*No.*Account Reader/);
  await page.screenshot({ path: screenshotPath("users-unlocked-focus"), fullPage: true });

  // Disable is replaced by Enable: the focus stays at that place in the row, also when refused.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Disable: Lena Locked");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Enable: Lena Locked");
  assert.match(await row(page, "lena@example.com").textContent(), /Disabled/);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Disable: Lena Locked");
  await page.locator(".status-slot").getByText(/^Lena Locked is enabled/).waitFor();
  // The row keeps its focus a frame after it is drawn: the next key waits for that frame.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  // Bob Admin, added above, is the last enabled Account Administrator.
  await page.getByRole("button", { name: "Disable: Bob Admin" }).focus();
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Disable: Bob Admin");
  await page.keyboard.press("Enter");
  const refused = page.locator(".status-slot .banner-error");
  await refused.waitFor({ timeout: 10_000 }).catch(async (error) => {
    // Say where the Enter went, so a failure here tells what happened.
    const focus = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.tagName);
    const status = await page.locator(".status-slot").allTextContents();
    throw new Error(`no refusal shown; the focus is on ${focus}; status: ${JSON.stringify(status)}`, { cause: error });
  });
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Disable: Bob Admin");
  await expectNoSeriousAxeViolations(page, "the users page after Unlock");
  await page.close();
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
