// Payment gateways in a real Chromium: create with write-only credentials, token and copy,
// credential update (never shown again, not even after a reload), Refund Only routing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { serveDist } from "./support/server.mjs";
import { launch, screenshotPath } from "./support/browser.mjs";
import { expectNoSeriousAxeViolations, readSavedState, writeSavedState } from "./support/portal.mjs";

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

/** Sends the new-gateway form; returns the token it shows once. */
async function saveGateway(page) {
  await page.getByRole("button", { name: "Save gateway" }).click();
  return (await page.getByTestId("new-gateway-token").textContent()).trim();
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

// What the user reads at a field, found through the control's aria-describedby as a screen
// reader finds it.
async function describedBy(page, control) {
  const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  const texts = [];
  for (const id of ids) texts.push(await page.locator(`[id="${id}"]`).textContent());
  return texts.join(" ");
}

test("the gateway form words its problems by the fields' labels, never by the API's field names", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  const form = page.getByRole("form", { name: "Add a payment gateway" });
  const mid = page.getByLabel("Merchant account reference ID");
  const accepted = page.getByLabel("Accepted currencies");
  const weight = page.getByLabel("Distribution");
  await mid.fill("M".repeat(120));
  await accepted.fill("EUR, EURO");
  await weight.fill("-2");
  await page.getByRole("button", { name: "Save gateway" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Nothing was sent" });
  await summary.waitFor();

  // At each field, by its label's words, with what the core said: the limit, the code at fault.
  assert.match(await describedBy(page, page.getByLabel("Name", { exact: true })), /Enter the gateway's name; it cannot be changed later\./);
  assert.match(
    await describedBy(page, mid),
    /Warning: Merchant account reference ID is 120 characters long, more than the 100 flexkit expects/,
  );
  assert.match(await describedBy(page, accepted), /Error: "EURO" must be exactly three upper-case letters \(ISO 4217\)/);
  assert.match(await describedBy(page, weight), /Error: Distribution must not be negative; it is the gateway's share of routed traffic \(default 1\)\./);
  assert.equal(await weight.getAttribute("aria-invalid"), "true");
  await summary.getByText(/^Distribution: Distribution must not be negative/).waitFor();
  await page.screenshot({ path: screenshotPath("gateways-form-problems"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the gateway form with problems");

  // Warnings in the same words: the own currency left out of the list, a Distribution of 0.
  await accepted.fill("EUR");
  await weight.fill("0");
  assert.match(
    await describedBy(page, accepted),
    /Warning: The list leaves out USD, the gateway's own currency: list it too. FlexPay does not say whether a gateway still takes it then \(this sandbox does\)./,
  );
  assert.match(await describedBy(page, weight), /Warning: Distribution 0 means FlexPay's routing never picks this gateway; the default is 1\./);
  await page.screenshot({ path: screenshotPath("gateways-form-warnings"), fullPage: true });

  const shown = await form.textContent();
  for (const wire of ["currencyCode", "acceptedCurrencyCodes", "merchantAccountReferenceId", "weight", "gatewayType", "missing or empty"]) {
    assert.ok(!shown.includes(wire), `the form shows the API's "${wire}": ${shown}`);
  }
  // A name with a text-direction character, and a merchant account reference ID the browser
  // could not read in full (half of a surrogate pair), are refused at their fields.
  const name = page.getByLabel("Name", { exact: true });
  await name.fill("NMI\u202Egpj");
  assert.match(await describedBy(page, name), /Error: This name has U\+202E, a control, zero-width or text-direction character, at character 4;/);
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  await mid.evaluate((input) => {
    input.value = "MID-\uD800";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  assert.match(await describedBy(page, mid), /Error: This text holds \uFFFD, where a character could not be read/);
  for (const control of [name, mid, accepted, weight]) await control.fill("");
  await weight.fill("1");
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
  const token = await saveGateway(page);
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
  assert.equal(await page.getByTestId("new-gateway-token").count(), 1, "a copy keeps the banner of the new token");

  // A charge through it while it is Enabled, to refund later.
  const paid = await terminalSend(page, { gateway: "Stripe US — Enabled (stripe)", amount: "30.00" });
  assert.equal(paid.code, "10000");

  // Credentials: replaced, never displayed again, not stored.
  await openGateways(page);
  await page.getByRole("button", { name: "Update credentials: Stripe US" }).click();
  const editor = page.getByRole("region", { name: "Update credentials of Stripe US" });
  await editor.waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, "credentials-editor");
  // The mask reads show is not a credential: refused at Save, named and linked to the field.
  await editor.getByLabel("New value of secretKey").fill("********");
  // Said at the field as it is typed, and again in the summary at Save.
  await page.locator('#cred-existing-1-problems [data-code="masked_setting_value"]').getByText(/is how a stored value is shown/).waitFor();
  assert.equal(await editor.getByLabel("New value of secretKey").getAttribute("aria-invalid"), "true");
  assert.match(await editor.getByLabel("New value of secretKey").getAttribute("aria-describedby"), /\bcred-existing-1-problems\b/);
  // A value the browser could not read in full (half of a surrogate pair) is refused there too.
  await editor.getByLabel("New value of account").evaluate((input) => {
    input.value = "acct\uDC00";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.locator('#cred-existing-0-problems [data-code="lone_surrogate"]').getByText(/type that character again/).waitFor();
  await page.screenshot({ path: screenshotPath("gateways-credentials-refused"), fullPage: true });
  await editor.getByLabel("New value of account").fill("");
  await editor.getByRole("button", { name: "Save credentials" }).click();
  const maskRefused = editor.getByRole("alert").getByRole("listitem").filter({ hasText: '"********" is how a stored value is shown, not a value' });
  await maskRefused.waitFor();
  await maskRefused.getByRole("link", { name: "New value" }).click();
  await page.waitForFunction(() => document.activeElement?.labels?.[0]?.textContent === "New value of secretKey");
  assert.equal(await page.getByText(/Credentials of Stripe US updated/).count(), 0);
  await editor.getByLabel("New value of secretKey").fill(ROTATED);
  await page.screenshot({ path: screenshotPath("gateways-credentials"), fullPage: true });
  await editor.getByRole("button", { name: "Save credentials" }).click();
  await page.getByText("Credentials of Stripe US updated (secretKey replaced)").waitFor();
  await editor.waitFor({ state: "detached" });
  await waitSaved(page);
  for (const secret of [SECRET, ROTATED]) {
    assert.ok(!(await page.content()).includes(secret));
    assert.ok(!String(await readSavedState(page)).includes(secret), "the saved state holds no credential");
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
  const refund = await terminalSend(page, { kind: "refund", original: paid.id, amount: "1.00" });
  assert.equal(refund.code, "10000");

  // Disabled processes nothing (FlexPay: "no processing"): refunds are refused too.
  await page.goto(`${server.url}/gateways`);
  await page.getByRole("row").filter({ hasText: "Stripe US" }).getByRole("button", { name: "Disable: Stripe US" }).click();
  await page.getByRole("status").getByText(/It processes nothing: charges, captures, refunds and voids are refused \(50130\)/).waitFor();
  const disabled = await terminalSend(page, { kind: "refund", original: paid.id, amount: "1.00" });
  assert.equal(disabled.code, "50130");
  await page.getByText(/is Disabled: it processes nothing, refunds and voids included/).first().waitFor();
});

test("the banner of a new gateway's token gives way to the next change on the page", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  for (const [name, act, said] of [
    ["Banner A", "Set Refund Only: Banner A", /refunds and voids still go through/],
    ["Banner B", "Update credentials: Banner B", null],
  ]) {
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Gateway type").selectOption("nmi");
    await page.getByRole("button", { name: "Save gateway" }).click();
    await page.getByTestId("new-gateway-token").waitFor();
    await page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: act }).click();
    if (said) await page.getByRole("status").getByText(said).waitFor();
    await page.getByTestId("new-gateway-token").waitFor({ state: "detached" });
  }
});

test("a gateway is deleted only after a confirmation, and its past payment keeps naming it", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  await page.getByLabel("Name", { exact: true }).fill("Old NMI");
  await page.getByLabel("Gateway type").selectOption("nmi");
  const token = await saveGateway(page);
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
  // The focus goes back to the Delete… button that asked; Escape cancels the same way.
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Delete: Old NMI");
  await page.keyboard.press("Enter");
  await dialog.waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('[role="alertdialog"]') !== null);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Delete: Old NMI");

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

test("a merchant account reference ID kept from before with U+FFFD in it does not keep the gateway from being edited; a new one is refused", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  await page.getByLabel("Name", { exact: true }).fill("Kept MID");
  await page.getByLabel("Merchant account reference ID").fill("MID-KEPT");
  const token = await saveGateway(page);
  await waitSaved(page);
  // As a state saved before U+FFFD was refused would hold it.
  const state = String(await readSavedState(page));
  assert.ok(state.includes('"MID-KEPT"'));
  await writeSavedState(page, state.replace('"MID-KEPT"', '"MID-\\ufffd"'));
  await page.reload();
  await page.getByRole("heading", { name: "Payment gateways", level: 1 }).waitFor();
  const row = page.locator(`tr[data-token="${token}"]`);
  await row.getByRole("button", { name: "Edit: Kept MID" }).click();
  const mid = page.getByLabel("Merchant account reference ID");
  assert.equal(await mid.inputValue(), "MID-\uFFFD");
  await page.getByRole("textbox", { name: "Distribution" }).fill("2");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("status").getByText("Kept MID was saved; its Gateway Token and credentials are unchanged.").waitFor();
  // Typed anew, it is refused.
  await row.getByRole("button", { name: "Edit: Kept MID" }).click();
  await mid.fill("MID-\uFFFD2");
  await page.locator("#gw-mid-problems").getByText(/This text holds \uFFFD/).waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
});

test("a gateway's fields are edited in place: its token and credentials stay, its name cannot change", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  await page.getByLabel("Name", { exact: true }).fill("Edit NMI");
  await page.getByLabel("Gateway type").selectOption("nmi");
  await page.getByLabel("Setting 1 name").fill("apiKey");
  await page.getByLabel("Setting 1 value").fill(SECRET);
  await page.getByLabel("Merchant account reference ID").fill("MID-TYPO");
  const token = await saveGateway(page);
  const row = () => page.locator(`tr[data-token="${token}"]`);
  await row().waitFor();

  await row().getByRole("button", { name: "Edit: Edit NMI" }).click();
  await page.getByRole("heading", { name: "Edit the gateway Edit NMI" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "gw-type");
  assert.equal(await page.getByLabel("Merchant account reference ID").inputValue(), "MID-TYPO");
  assert.equal(await page.getByLabel("Name", { exact: true }).count(), 0, "the name is not editable");
  assert.equal(await page.getByLabel("Setting 1 name").count(), 0, "credentials have their own editor");
  await page.screenshot({ path: screenshotPath("gateways-edit"), fullPage: true });
  await page.getByLabel("Merchant account reference ID").fill("MID-0042");
  await page.getByRole("textbox", { name: "Distribution" }).fill("3");
  await page.getByRole("textbox", { name: "Accepted currencies" }).fill("USD, EUR");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("status").getByText("Edit NMI was saved; its Gateway Token and credentials are unchanged.").waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, `edit-btn-${token}`);
  await page.getByRole("heading", { name: "Add a payment gateway" }).waitFor();
  assert.match(await row().textContent(), /Edit NMI/);
  assert.equal((await row().locator("td.num").textContent()).trim(), "3");
  assert.match(await row().textContent(), /also accepts EUR|EUR/);
  await row().getByText("•••• set: apiKey").waitFor();
  assert.ok(!(await page.content()).includes(SECRET));
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "", "the form is empty again");

  // A second gateway of the same name (in any case) is refused at the field.
  await page.getByLabel("Name", { exact: true }).fill("edit nmi");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.locator("#gw-name-problems").getByText("This company already has a gateway named edit nmi: give this one another name, so lists and reports tell them apart.").waitFor();
  assert.equal(await page.locator("tr[data-token]").filter({ hasText: /edit nmi/i }).count(), 1);
  await page.getByLabel("Name", { exact: true }).fill("");

  // Cancel leaves it as it was and gives the focus back; so does Escape.
  await row().getByRole("button", { name: "Edit: Edit NMI" }).click();
  await page.getByRole("textbox", { name: "Distribution" }).fill("7");
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.waitForFunction((id) => document.activeElement?.id === id, `edit-btn-${token}`);
  assert.equal((await row().locator("td.num").textContent()).trim(), "3");
  await row().getByRole("button", { name: "Edit: Edit NMI" }).click();
  await page.getByRole("textbox", { name: "Distribution" }).fill("8");
  await page.keyboard.press("Escape");
  await page.getByRole("heading", { name: "Add a payment gateway" }).waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, `edit-btn-${token}`);
  assert.equal((await row().locator("td.num").textContent()).trim(), "3");

  // A status set from the keyboard leaves the focus on the row's name, not on the button
  // that took the pressed one's place: a second Enter changes nothing.
  await row().getByRole("button", { name: "Set Refund Only: Edit NMI" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("status").getByText(/^Edit NMI is now Refund Only\./).waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, `gw-${token}`);
  await page.keyboard.press("Enter");
  await row().getByText("Refund Only", { exact: true }).waitFor();
  // What was said of this company's gateways goes when the header shows other ones.
  const modes = page.getByRole("banner").getByRole("group", { name: "Environment" });
  await modes.getByRole("button", { name: "Production" }).click();
  await page.getByRole("status").getByText(/is now Refund Only/).waitFor({ state: "detached" });
  await modes.getByRole("button", { name: "Sandbox" }).click();
  await row().getByRole("button", { name: "Enable: Edit NMI" }).click();
  await row().getByText("Enabled", { exact: true }).waitFor();
  await expectNoSeriousAxeViolations(page);
  await page.close();
});

test("after an edit is cancelled the form still works across a mode switch, and an edit open at a switch closes", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  await page.getByLabel("Name", { exact: true }).fill("Northwind GW");
  const token = await saveGateway(page);
  const row = () => page.locator(`tr[data-token="${token}"]`);
  await row().getByRole("button", { name: "Edit: Northwind GW" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("heading", { name: "Add a payment gateway" }).waitFor();
  const modes = page.getByRole("banner").getByRole("group", { name: "Environment" });
  await modes.getByRole("button", { name: "Production" }).click();
  // A new gateway's type follows the mode while it is the default: none in Production.
  await page.waitForFunction(() => document.getElementById("gw-type").value === "");
  await modes.getByRole("button", { name: "Sandbox" }).click();
  await page.waitForFunction(() => document.getElementById("gw-type").value === "flexpay_sandbox");
  // The form's setting rows outlived the Cancel button that made them: a new gateway saves.
  await page.getByLabel("Name", { exact: true }).fill("Second GW");
  await page.getByLabel("Setting 1 name").fill("apiKey");
  await page.getByLabel("Setting 1 value").fill(SECRET);
  const second = await saveGateway(page);
  await page.locator(`tr[data-token="${second}"]`).getByText("Second GW").waitFor();
  await waitSaved(page);

  // An edit open when the header switches mode closes: its Save would change a gateway the
  // page no longer shows.
  await row().getByRole("button", { name: "Edit: Northwind GW" }).click();
  await page.getByRole("heading", { name: "Edit the gateway Northwind GW" }).waitFor();
  await page.getByRole("textbox", { name: "Distribution" }).fill("7");
  await modes.getByRole("button", { name: "Production" }).click();
  await page.getByRole("heading", { name: "Add a payment gateway" }).waitFor();
  // What was typed is dropped, and the page says so.
  await page.getByText("Your changes to Northwind GW were not saved: the header now shows other gateways than Northwind GW's. Switch back to edit it again.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Save changes" }).count(), 0);
  assert.equal(await page.getByRole("textbox", { name: "Distribution" }).inputValue(), "1", "the form is empty again");
  await page.screenshot({ path: screenshotPath("gateways-edit-closed-at-mode-switch"), fullPage: true });
  // The FlexPay Sandbox gateway takes test payments only: no Production gateway is one, so
  // there the form starts with no type, and the merchant picks one.
  assert.equal(await page.getByLabel("Gateway type").inputValue(), "");
  await page.getByLabel("Name", { exact: true }).fill("Live test");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.locator("#gw-type-problems").getByText(/Gateway type is missing or empty/).waitFor();
  assert.equal(await page.locator("tr[data-token]").count(), 0, "nothing was created");
  await page.getByLabel("Gateway type").selectOption("flexpay_sandbox");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.locator("#gw-type-problems").getByText(/takes Sandbox payments only: in Production, choose the type of the gateway that processes the live payments/).waitFor();
  assert.equal(await page.locator("tr[data-token]").count(), 0, "nothing was created");
  await page.getByLabel("Name", { exact: true }).fill("");
  await modes.getByRole("button", { name: "Sandbox" }).click();
  await row().waitFor();
  assert.equal((await row().locator("td.num").textContent()).trim(), "1", "nothing was saved");
  // So does the credentials editor.
  await row().getByRole("button", { name: "Update credentials: Northwind GW" }).click();
  await page.getByRole("heading", { name: "Update credentials of Northwind GW" }).waitFor();
  await modes.getByRole("button", { name: "Production" }).click();
  await page.getByRole("heading", { name: /^Update credentials of/ }).waitFor({ state: "detached" });
  await modes.getByRole("button", { name: "Sandbox" }).click();
  await row().waitFor();
  await waitSaved(page);
  await page.close();
});

test("the Currency column lists only the other currencies a gateway accepts", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  const currencyOf = async (name, accepted) => {
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Gateway type").selectOption("nmi");
    await page.getByLabel("Accepted currencies").fill(accepted);
    await page.getByRole("button", { name: "Save gateway" }).click();
    const row = page.getByRole("row").filter({ hasText: name });
    await row.waitFor();
    return (await row.locator("td").nth(2).textContent()).trim();
  };
  assert.equal(await currencyOf("Two currencies", "USD, EUR"), "USD (also accepts EUR)");
  await page.getByLabel("Processing status").selectOption("RefundOnly");
  assert.equal(await currencyOf("Own currency only", "USD"), "USD");
  // The next gateway starts from the defaults, not Refund Only NMI like the last.
  assert.equal(await page.getByLabel("Gateway type").inputValue(), "flexpay_sandbox");
  assert.equal(await page.getByLabel("Processing status").inputValue(), "Available");
  await page.close();
});

test("a gateway takes only the card brands ticked, and retries only when it accepts them", async () => {
  const page = await browser.newPage();
  await openGateways(page);
  const cards = page.getByRole("group", { name: "Accepted cards" });
  // Every brand is ticked at first; a gateway that takes none is refused at the field.
  for (const brand of ["Visa", "Mastercard", "American Express", "Discover", "Diners Club", "JCB", "Maestro"]) {
    assert.ok(await cards.getByLabel(brand, { exact: true }).isChecked(), brand);
    await cards.getByLabel(brand, { exact: true }).uncheck();
  }
  await page.getByLabel("Name", { exact: true }).fill("Visa only");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.locator("#gw-cards-problems").getByText("Tick at least one brand: a gateway that takes no card refuses every card payment (50130).").waitFor();
  assert.equal(await page.locator("tr[data-token]").filter({ hasText: "Visa only" }).count(), 0);
  await cards.getByLabel("Visa", { exact: true }).check();
  await page.locator("#gw-cards-problems").waitFor({ state: "detached" });
  assert.ok(await page.getByLabel("Accepts retries").isChecked());
  await page.getByLabel("Accepts retries").uncheck();
  await page.screenshot({ path: screenshotPath("gateways-cards"), fullPage: true });
  const token = await saveGateway(page);
  const row = () => page.locator(`tr[data-token="${token}"]`);
  await row().getByText("Cards: Visa", { exact: true }).waitFor();
  await row().getByText("Takes no retries", { exact: true }).waitFor();
  assert.ok(await cards.getByLabel("Maestro", { exact: true }).isChecked(), "the form is reset");
  await expectNoSeriousAxeViolations(page);

  // The terminal: an American Express card is refused at this gateway, a Visa is taken.
  const amexThrough = async (gateway, warned) => {
    await page.goto(`${server.url}/terminal`);
    await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
    await page.getByRole("button", { name: /^American Express/ }).click();
    await page.getByLabel("Payment gateway").selectOption({ label: gateway });
    await page.getByRole("textbox", { name: /^Amount/ }).fill("10.00");
    // The terminal says ahead, at the gateway, what the sandbox will answer.
    const warning = page.locator("#vt-gateway-problems");
    if (warned) await warning.getByText(warned).waitFor();
    else assert.equal(await warning.count(), 0);
    await page.getByRole("button", { name: "Send charge" }).click();
    await page.getByTestId("response-code").waitFor();
    return page.getByTestId("response-code").textContent();
  };
  assert.equal(await amexThrough("Visa only — Enabled (flexpay_sandbox)", `The sandbox will refuse this request with 50130: gateway ${token} does not take American Express cards`), "50130");
  await page.getByText(`gateway ${token} does not take American Express cards`).first().waitFor();
  const visa = await terminalSend(page, { gateway: "Visa only — Enabled (flexpay_sandbox)", amount: "10.00" });
  assert.equal(visa.code, "10000");

  // After a reload, editing shows what was saved; ticking every brand again takes them all.
  await openGateways(page);
  await row().getByRole("button", { name: "Edit: Visa only" }).click();
  await page.getByRole("heading", { name: "Edit the gateway Visa only" }).waitFor();
  assert.ok(await cards.getByLabel("Visa", { exact: true }).isChecked());
  assert.ok(!(await cards.getByLabel("American Express", { exact: true }).isChecked()));
  assert.ok(!(await page.getByLabel("Accepts retries").isChecked()));
  for (const brand of ["Mastercard", "American Express", "Discover", "Diners Club", "JCB", "Maestro"]) {
    await cards.getByLabel(brand, { exact: true }).check();
  }
  await page.getByLabel("Accepts retries").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("status").getByText("Visa only was saved; its Gateway Token and credentials are unchanged.").waitFor();
  await row().getByText("Takes every card", { exact: true }).waitFor();
  assert.equal(await row().getByText("Takes no retries").count(), 0);
  assert.equal(await amexThrough("Visa only — Enabled (flexpay_sandbox)"), "10000");
  await page.close();
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
