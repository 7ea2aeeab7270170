// Integrations: API keys shown once (copy button, warning, never again: not after closing, not
// after a reload, not in the saved state nor the export), deleted after a confirmation; FlexPay
// Retries limited to one per company × environment, toggled and deleted.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { serveDist } from "./support/server.mjs";
import { launch, screenshotPath } from "./support/browser.mjs";
import { createCompany, download, expectNoSeriousAxeViolations, generateKey, readSavedState, ready, saved } from "./support/portal.mjs";

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

test("a key cannot be worked out from the saved state: a reset sandbox of the same seed hands out another first key", async () => {
  const page = await browser.newPage();
  const firstKey = async () => {
    await page.goto(`${server.url}/data`);
    await ready(page);
    await page.getByRole("button", { name: "Reset the sandbox…" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete everything" }).click();
    await page.getByRole("status").getByText("The sandbox was reset.").waitFor();
    await saved(page);
    const key = await generateKey(page, server.url, { name: "First" });
    await saved(page);
    return key;
  };
  const [one, two] = [await firstKey(), await firstKey()];
  assert.match(one, /^[A-Za-z0-9+/]{43}=$/);
  assert.notEqual(one, two);
  // Only the key's hash is saved, and no key made from the saved seed and stream matches it.
  const state = await readSavedState(page);
  assert.ok(!state.includes(two));
});

test("/integrations opens the API keys tab; both tabs are deep links", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/integrations`);
  await page.waitForURL(/\/integrations\/api-keys$/);
  const tabs = page.getByRole("navigation", { name: "Integrations" });
  assert.equal(await tabs.getByRole("link", { name: "API keys" }).getAttribute("aria-current"), "page");
  assert.equal(await tabs.getByRole("link", { name: "FlexPay Retries" }).getAttribute("aria-current"), null);
  assert.equal(
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Integrations" }).getAttribute("aria-current"),
    "page",
  );
  await tabs.getByRole("link", { name: "FlexPay Retries" }).click();
  await page.waitForURL(/\/integrations\/flexpay-retries$/);
  await page.reload();
  await page.getByRole("heading", { name: "Add an auto-retry" }).waitFor();
  assert.equal(await tabs.getByRole("link", { name: "FlexPay Retries" }).getAttribute("aria-current"), "page");
});

test("a generated API key is shown once, with a warning and a copy button, and never again", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  const main = page.locator("main");
  await main.getByLabel("Name").fill("CRM sandbox");
  await main.getByLabel("Environment mode").selectOption("Sandbox");
  await page.getByRole("button", { name: "Generate API key" }).click();

  const panel = page.getByRole("region", { name: 'API key "CRM sandbox" generated' });
  await panel.waitFor();
  assert.match(await panel.textContent(), /you will not see it again/);
  const key = await panel.getByLabel("The new API key").inputValue();
  assert.match(key, /^[A-Za-z0-9+/]{43}=$/);
  assert.equal(
    await page.evaluate(() => document.activeElement?.id),
    "new-key-heading",
    "focus moves to the new key",
  );
  await panel.getByRole("button", { name: "Copy the key" }).click();
  await panel.getByText("Copied to the clipboard.").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
  await page.screenshot({ path: screenshotPath("integrations-key-shown-once"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the new key panel");

  await panel.getByRole("button", { name: "I saved the key, close" }).click();
  await panel.waitFor({ state: "detached" });
  const row = page.getByRole("table", { name: "API keys" }).getByRole("row", { name: /CRM sandbox/ });
  await row.waitFor();
  assert.match(await row.textContent(), /Default Company/);
  assert.match(await row.textContent(), /Sandbox/);
  assert.ok(!(await page.content()).includes(key), "the key is gone from the page after closing");

  await saved(page);
  const stored = await readSavedState(page);
  assert.ok(stored.includes("CRM sandbox") && !stored.includes(key), "only a hash is saved");

  await page.reload();
  await row.waitFor();
  assert.ok(!(await page.content()).includes(key), "the key is not shown after a reload");

  await page.goto(`${server.url}/data`);
  await ready(page);
  const exported = await download(page, () => page.getByRole("button", { name: "Export to a file" }).click());
  assert.ok(exported.text.includes("CRM sandbox"));
  assert.ok(!exported.text.includes(key), "the export does not contain the key");
});

test("leaving the page by a link while a new key was not copied asks first; once copied or closed it does not", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  const generate = async (name) => {
    await page.locator("main").getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Generate API key" }).click();
    await page.getByRole("region", { name: `API key "${name}" generated` }).waitFor();
  };
  await generate("Leave test");
  const sections = page.getByRole("navigation", { name: "Sections" });
  const dialog = page.getByRole("alertdialog", { name: "Leave without the new API key?" });

  // Another section: the page stays until the answer, the focus on Cancel.
  await sections.getByRole("link", { name: "Transactions" }).click();
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /It was not copied, and it is shown only here: once you leave, it cannot be shown again\./);
  await page.waitForFunction(() => document.activeElement?.id === "leave-cancel");
  assert.equal(new URL(page.url()).pathname, "/integrations/api-keys");
  await page.screenshot({ path: screenshotPath("integrations-leave-unsaved-key"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the leave confirmation");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(new URL(page.url()).pathname, "/integrations/api-keys");
  const focusedHref = () => page.evaluate(() => document.activeElement?.getAttribute("href"));
  assert.equal(await focusedHref(), "/transactions", "Cancel gives the focus back to the link followed");
  const key = await page.getByLabel("The new API key").inputValue();
  assert.match(key, /^[A-Za-z0-9+/]{43}=$/, "the key is still shown");

  // The brand link and the page's own tabs ask too; Leave goes where the link led.
  await page.getByRole("banner").getByRole("link", { name: /flexkit/ }).click();
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await focusedHref(), "/", "and to the brand link");
  await page.getByRole("navigation", { name: "Integrations" }).getByRole("link", { name: "FlexPay Retries" }).click();
  await dialog.getByRole("button", { name: "Leave" }).click();
  await page.waitForURL(/\/integrations\/flexpay-retries$/);
  await page.getByRole("heading", { name: "Add an auto-retry" }).waitFor();
  assert.equal(await dialog.count(), 0);
  assert.ok(!(await page.content()).includes(key), "the key is gone");
  // Elsewhere nothing asks.
  await sections.getByRole("link", { name: "Transactions" }).click();
  await page.waitForURL(/\/transactions$/);

  // Copied, the key may be left without a question; so may a closed panel.
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  await generate("Copied key");
  await page.getByRole("button", { name: "Copy the key" }).click();
  await page.getByText("Copied to the clipboard.").waitFor();
  await sections.getByRole("link", { name: "Transactions" }).click();
  await page.waitForURL(/\/transactions$/);
  assert.equal(await dialog.count(), 0);
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  await generate("Closed key");
  await page.getByRole("button", { name: "I saved the key, close" }).click();
  await sections.getByRole("link", { name: "Transactions" }).click();
  await page.waitForURL(/\/transactions$/);
  assert.equal(await dialog.count(), 0);
});

test("a blank name, or one over the core's limit, is refused at its field; deleting a key asks first", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  const main = page.locator("main");
  const name = main.getByLabel("Name");
  await name.fill("   ");
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.locator("#key-name-problems").getByText("Enter a name people will recognise, e.g. CRM sandbox.").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "key-name");
  // Over the core's limit of 100 characters: refused, naming the limit; no key is made.
  await name.fill("K".repeat(300));
  await page.locator("#key-name-problems").getByText("Enter at most 100 characters; this has 300.").waitFor();
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  assert.match(await name.getAttribute("aria-describedby"), /\bkey-name-problems\b/);
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "key-name");
  assert.equal(await page.getByRole("region", { name: /generated/ }).count(), 0);
  assert.equal(await page.getByRole("table", { name: "API keys" }).getByRole("row", { name: /KKKK/ }).count(), 0);

  // A bidi override, which would show the name reversed in the list, is refused at the field.
  await name.fill("crm\u202Etset");
  await page.locator('#key-name-problems [data-code="invalid_name"]').getByText(/This name has U\+202E, a control, zero-width or text-direction character, at character 4;/).waitFor();
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "key-name");
  assert.equal(await page.getByRole("region", { name: /generated/ }).count(), 0);

  await main.getByLabel("Name").fill("Old key");
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("button", { name: "I saved the key, close" }).click();
  const table = page.getByRole("table", { name: "API keys" });
  await table.getByRole("row", { name: /Old key/ }).waitFor();

  await page.getByRole("button", { name: "Delete the API key Old key" }).click();
  const confirm = page.getByRole("alertdialog");
  assert.match(await confirm.textContent(), /Delete the API key "Old key"\?/);
  await expectNoSeriousAxeViolations(page, "the delete confirmation");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await confirm.waitFor({ state: "detached" });
  assert.equal(await table.getByRole("row", { name: /Old key/ }).count(), 1, "cancel keeps the key");
  // The dialog's buttons are gone: the focus goes back to the key's Delete… button, not to the
  // page's body.
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Delete the API key Old key");

  await page.getByRole("button", { name: "Delete the API key Old key" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete the key" }).click();
  await page.getByRole("status").getByText(/"Old key" was deleted/).waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, "integrations-message");
  assert.equal(await table.getByRole("row", { name: /Old key/ }).count(), 0);
});

test("FlexPay Retries: the CRM warning, one per company × environment, toggle and delete", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/integrations/flexpay-retries`);
  await ready(page);
  const main = page.locator("main");
  assert.match(
    await page.getByRole("note").textContent(),
    /Do not enable it if your CRM is also scheduling and processing retries/,
  );
  const add = async (name, environment, status) => {
    await main.getByLabel("Name").fill(name);
    await main.getByLabel("Environment").selectOption(environment);
    await main.getByLabel("Status").selectOption(status);
    await page.getByRole("button", { name: "Add auto-retry" }).click();
  };
  await add("Scheduler sandbox", "Sandbox", "Enabled");
  await page.getByRole("status").getByText(/"Scheduler sandbox" added/).waitFor();
  await add("Second sandbox", "Sandbox", "Disabled");
  const refusal = page.getByRole("alert");
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /can only be enabled once per Company\/Environment combination/);
  await add("Scheduler live", "Production", "Disabled");
  await page.getByRole("status").getByText(/"Scheduler live" added/).waitFor();

  const table = page.getByRole("table", { name: "Auto-retries" });
  const sandboxRow = table.getByRole("row", { name: /Scheduler sandbox/ });
  assert.match(await sandboxRow.textContent(), /Enabled/);
  // The header shows the Sandbox: the Production one is listed in Production.
  assert.equal(await table.getByRole("row").count(), 2, "header + the Sandbox configuration");
  await page.screenshot({ path: screenshotPath("integrations-flexpay-retries"), fullPage: true });

  await page.getByRole("button", { name: "Disable the auto-retry Scheduler sandbox" }).click();
  await sandboxRow.getByText("Disabled").waitFor();
  await page.getByRole("button", { name: "Enable the auto-retry Scheduler sandbox" }).click();
  await sandboxRow.getByText("Enabled").waitFor();

  // Escape keeps it, the focus back on its Delete… button; then it is deleted.
  const modes = page.getByRole("banner").getByRole("group", { name: "Environment" });
  await modes.getByRole("button", { name: "Production" }).click();
  await table.getByRole("row", { name: /Scheduler live/ }).waitFor();
  await page.getByRole("button", { name: "Delete the auto-retry Scheduler live" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "delete-retry-cancel");
  await page.keyboard.press("Escape");
  await page.getByRole("alertdialog").waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Delete the auto-retry Scheduler live");
  await page.getByRole("button", { name: "Delete the auto-retry Scheduler live" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete the auto-retry" }).click();
  await page.getByRole("status").getByText(`Auto-retry "Scheduler live" was deleted. The payments it was retrying are your CRM's to retry now.`).waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, "integrations-message");
  await page.getByText("No auto-retry: your CRM schedules and sends every retry.").waitFor();
  await modes.getByRole("button", { name: "Sandbox" }).click();
  assert.equal(await table.getByRole("row").count(), 2);

  await page.reload();
  await table.getByRole("row", { name: /Scheduler sandbox/ }).getByText("Enabled").waitFor();
});

test("with FlexPay Retries on, the terminal says FlexPay sends the next attempt, not the CRM", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("20.08");
  await page.getByRole("button", { name: "Send charge" }).click();
  const hint = page.locator(".schedule-hint");
  await hint.waitFor();
  assert.match(await hint.textContent(), /^Soft decline: FlexPay Retries sends the next attempt at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, with retry count 2 and this reference data; do not send it from your CRM too\./);
  // Typed as a retry anyway, the terminal says so before it is sent, beside the field and Send.
  await page.getByRole("textbox", { name: "Retry count" }).fill("2");
  await page.getByRole("textbox", { name: "Reference data" }).fill((await page.getByTestId("response-reference-data").textContent()).trim());
  await page.getByTestId("early-retry").getByText(/FlexPay Retries sends it then: do not send it from here too\.$/).waitFor();
  assert.doesNotMatch(await page.getByTestId("early-retry").textContent(), /Send it then, from here/);
  assert.match(await page.locator("#vt-submit-state").textContent(), /^Early: .* FlexPay Retries sends it then: do not send it from here too\.$/);
  // Sent anyway, it is asked about first; Cancel sends nothing.
  const sent = (await page.getByTestId("response-transaction-id").textContent()).trim();
  await page.getByRole("button", { name: "Send charge" }).click();
  const question = page.getByRole("alertdialog", { name: "Send this charge anyway?" });
  await question.waitFor();
  assert.match(await question.textContent(), /FlexPay Retries sends this payment's retry at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: a CRM must not send it too\./);
  await question.getByRole("button", { name: "Cancel" }).click();
  await question.waitFor({ state: "detached" });
  assert.equal((await page.getByTestId("response-transaction-id").textContent()).trim(), sent);
  // The transaction's page says who sends its next retry, as the Retry schedule does.
  await page.getByTestId("response-transaction-id").click();
  await page.getByRole("heading", { name: /^Charge / }).waitFor();
  assert.match(await retryDate(page).textContent(), / UTC · FlexPay Retries sends it$/);
});

/** The Retry date of a transaction's page. */
const retryDate = (page) => page.locator("dl.facts div").filter({ has: page.locator("dt", { hasText: /^Retry date$/ }) }).locator("dd");

test("FlexPay Retries switched off hands its payments back: the Retry schedule offers Send retry, and switched on again it sends nothing late", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/schedule`);
  await ready(page);
  const table = page.getByRole("table", { name: "Scheduled retries" });
  const row = table.getByRole("row").filter({ hasText: "FlexPay Retries sends it" });
  await row.first().waitFor();
  const scheduled = await row.count();
  assert.ok(scheduled >= 1, "the terminal's soft decline is FlexPay's to retry");
  assert.equal(await table.getByRole("button", { name: /^Send retry/ }).count(), 0);

  await page.goto(`${server.url}/integrations/flexpay-retries`);
  await ready(page);
  await page.getByRole("button", { name: "Disable the auto-retry Scheduler sandbox" }).click();
  await page.getByRole("status").getByText(`Auto-retry "Scheduler sandbox" is now disabled. The payments it was retrying are your CRM's to retry now.`).waitFor();

  await page.goto(`${server.url}/schedule`);
  await ready(page);
  await table.waitFor();
  assert.equal(await row.count(), 0, "nothing is FlexPay's to send any more");
  assert.equal(await table.getByRole("button", { name: /^Send retry/ }).count(), scheduled);
  // Its transaction's page says so too.
  await table.getByRole("row").nth(1).getByRole("link").click();
  await page.getByRole("heading", { name: /^Charge / }).waitFor();
  assert.match(await retryDate(page).textContent(), / UTC · the merchant's CRM sends it$/);
  await page.goto(`${server.url}/schedule`);
  await ready(page);
  // Advanced past the retry date, nothing is sent by FlexPay Retries: the retry is due, the merchant's.
  await page.getByRole("button", { name: "Advance 1 day" }).click();
  await page.getByText(/No FlexPay Retries retry of any company was due/).waitFor();
  await page.getByRole("button", { name: "Advance 1 day" }).click();

  await page.goto(`${server.url}/integrations/flexpay-retries`);
  await ready(page);
  await page.getByRole("button", { name: "Enable the auto-retry Scheduler sandbox" }).click();
  await page.getByRole("status").getByText(`Auto-retry "Scheduler sandbox" is now enabled. It takes the soft declines from now on.`).waitFor();
  await page.goto(`${server.url}/schedule`);
  await ready(page);
  await page.getByRole("button", { name: "Advance 1 day" }).click();
  await page.getByText(/No FlexPay Retries retry of any company was due/).waitFor();
  assert.equal(await table.getByRole("button", { name: /^Send retry/ }).count(), scheduled, "still the merchant's");
  // Past its date, the row says by how much it is late.
  assert.match(await table.getByRole("row").nth(1).textContent(), /Due now, [23] d \d+ h late/);
  await page.screenshot({ path: screenshotPath("schedule-after-flexpay-retries-off"), fullPage: true });

  // Certification sends retries as a CRM does: with FlexPay Retries on, the page says not to do both.
  await page.goto(`${server.url}/certification`);
  await ready(page);
  const warning = page.getByTestId("cert-auto-retry");
  await warning.getByText(/^FlexPay Retries is enabled for this company's Sandbox: it retries the run's soft declines itself/).waitFor();
  assert.equal(await warning.getByRole("link", { name: "Integrations → FlexPay Retries" }).getAttribute("href"), "/integrations/flexpay-retries");
});

test("FlexPay Retries: a name over the core's limit of 100 characters, or a blank one, is refused at its field", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/integrations/flexpay-retries`);
  await ready(page);
  const name = page.locator("main").getByLabel("Name");
  const problems = async () => {
    const ids = ((await name.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
    const texts = [];
    for (const id of ids) texts.push(await page.locator(`[id="${id}"]`).textContent());
    return texts.join(" ");
  };
  const table = page.getByRole("table", { name: "Auto-retries" });
  const rows = await table.getByRole("row").count();

  // Shown as it is typed, naming the limit.
  await name.fill("R".repeat(101));
  await page.locator("#retry-name-problems").getByText("Enter at most 100 characters; this has 101.").waitFor();
  assert.equal(await problems(), "Error: Enter at most 100 characters; this has 101.");
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  // Refused on submit: nothing added, the focus on the field.
  await page.locator("main").getByLabel("Environment").selectOption("Production");
  await page.getByRole("button", { name: "Add auto-retry" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "retry-name");
  await page.screenshot({ path: screenshotPath("integrations-flexpay-retries-long-name"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the auto-retry form with a name too long");
  assert.equal(await table.getByRole("row").count(), rows, "nothing was added");
  assert.equal(await table.getByRole("row", { name: /RRRR/ }).count(), 0);
  assert.equal(await page.getByRole("status").filter({ hasText: "added" }).count(), 0);

  await name.fill("R".repeat(100));
  assert.equal(await problems(), "");
  assert.equal(await name.getAttribute("aria-invalid"), "false");
  await name.fill("  ");
  await page.getByRole("button", { name: "Add auto-retry" }).click();
  assert.equal(await problems(), "Error: Enter a name people will recognise, e.g. Scheduler sandbox.");
  assert.equal(await table.getByRole("row").count(), rows, "nothing was added");
  await name.fill("");
});

test("the forms follow the company and mode chosen in the header", async () => {
  const page = await browser.newPage();
  await createCompany(page, server.url, { name: "Acme Widgets", code: "ACME1" });
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  const main = page.locator("main");
  const header = page.getByRole("banner");
  assert.equal(await main.getByLabel("Company").inputValue(), "DEFAULT");
  // Changed in the header while the form is open: the form follows.
  await header.getByLabel("Company").selectOption("ACME1");
  await header.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Production" }).click();
  await page.waitForFunction(() => document.querySelector('main select[name="key-company"]')?.value === "ACME1");
  assert.equal(await main.getByLabel("Environment mode").inputValue(), "Production");
  await main.getByLabel("Name").fill("Acme live");
  await page.getByRole("button", { name: "Generate API key" }).click();
  const panel = page.getByRole("region", { name: 'API key "Acme live" generated' });
  await panel.waitFor();
  assert.match(await panel.textContent(), /Company ACME1, Production mode/);
  // The FlexPay Retries form too.
  await page.goto(`${server.url}/integrations/flexpay-retries`);
  await ready(page);
  assert.equal(await main.getByLabel("Company").inputValue(), "ACME1");
  assert.equal(await main.getByLabel("Environment").inputValue(), "Production");
  await header.getByLabel("Company").selectOption("DEFAULT");
  await page.waitForFunction(() => document.querySelector('main select[name="retry-company"]')?.value === "DEFAULT");
  await header.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Sandbox" }).click();
});

test("keys and auto-retries are listed under the header's company and mode only; one made for another says where it is", async () => {
  const page = await browser.newPage();
  await createCompany(page, server.url, { name: "Scoped Co", code: "SCOPE1" });
  const header = page.getByRole("banner");
  await header.getByLabel("Company").selectOption("DEFAULT");
  await header.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Sandbox" }).click();
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  const main = page.locator("main");
  await main.getByLabel("Name").fill("Scoped live key");
  await main.getByLabel("Company").selectOption("SCOPE1");
  await main.getByLabel("Environment mode").selectOption("Production");
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("region", { name: 'API key "Scoped live key" generated' }).waitFor();
  await main.getByText("It is listed under Scoped Co in Production mode: choose them in the header to see it.").waitFor();
  await page.getByRole("button", { name: "I saved the key, close" }).click();
  const keys = page.getByRole("table", { name: "API keys" });
  const row = page.getByRole("row", { name: /Scoped live key/ });
  // Default Company in the Sandbox: not listed. Its company in Production, or All companies
  // in Production: listed. All companies in the Sandbox: not listed.
  assert.equal(await row.count(), 0);
  await header.getByLabel("Company").selectOption("SCOPE1");
  await header.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Production" }).click();
  await row.waitFor();
  assert.equal(await keys.getByRole("row").count(), 2, "only that key, under its header row");
  // Listed now: the note saying where it is listed goes.
  await main.getByText(/It is listed under Scoped Co/).waitFor({ state: "detached" });
  await header.getByLabel("Company").selectOption("");
  await row.waitFor();
  await header.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Sandbox" }).click();
  await row.waitFor({ state: "detached" });

  // The same for an auto-retry.
  await page.goto(`${server.url}/integrations/flexpay-retries`);
  await ready(page);
  await main.getByLabel("Name").fill("Scoped live retries");
  await main.getByLabel("Company").selectOption("SCOPE1");
  await main.getByLabel("Environment").selectOption("Production");
  await page.getByRole("button", { name: "Add auto-retry" }).click();
  await main.getByText(/Auto-retry "Scoped live retries" added for SCOPE1 \(Production\), enabled\. It is listed under Scoped Co in Production mode/).waitFor();
  const retry = page.getByRole("row", { name: /Scoped live retries/ });
  assert.equal(await retry.count(), 0);
  await header.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Production" }).click();
  await retry.waitFor();
  await main.getByText('Auto-retry "Scoped live retries" added for SCOPE1 (Production), enabled.', { exact: true }).waitFor();
  await header.getByLabel("Company").selectOption("DEFAULT");
  await retry.waitFor({ state: "detached" });
  await main.getByText(/enabled\. It is listed under Scoped Co in Production mode/).waitFor();
  await header.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Sandbox" }).click();
});

test("a second key is not generated while the first is shown, and a reload asks before it loses the key", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  const main = page.locator("main");
  await main.getByLabel("Name").fill("First uncopied");
  await page.getByRole("button", { name: "Generate API key" }).click();
  const first = page.getByRole("region", { name: 'API key "First uncopied" generated' });
  await first.waitFor();
  const key = await first.getByLabel("The new API key").inputValue();
  await main.getByLabel("Name").fill("Second");
  await page.getByRole("button", { name: "Generate API key" }).click();
  await main.getByText(/^Not generated: the new key above is shown only until its panel is closed\./).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "new-key-heading");
  assert.equal(await first.getByLabel("The new API key").inputValue(), key, "the first key is still shown");
  assert.equal(await page.getByRole("row", { name: /Second/ }).count(), 0, "no second key was made");

  // A reload (or a closed tab, a typed address) gets the browser's own question.
  const asked = new Promise((resolve) => page.once("dialog", async (dialog) => {
    resolve(dialog.type());
    await dialog.dismiss();
  }));
  await page.evaluate(() => location.reload()).catch(() => {});
  assert.equal(await asked, "beforeunload");
  assert.equal(await first.getByLabel("The new API key").inputValue(), key, "staying keeps the key");
  await page.getByRole("button", { name: "I saved the key, close" }).click();
  await first.waitFor({ state: "detached" });
  // The refusal pointed at the panel: it goes with it, and the name typed is still there.
  assert.equal(await main.getByText(/^Not generated: the new key above/).count(), 0);
  assert.equal(await main.getByLabel("Name").inputValue(), "Second");
  await page.reload();
  await ready(page);
});

test("under All companies a form with neither name nor company says so at both fields", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/integrations/api-keys`);
  await ready(page);
  const header = page.getByRole("banner");
  await header.getByLabel("Company").selectOption("");
  const main = page.locator("main");
  for (const [path, button, prefix] of [["api-keys", "Generate API key", "key"], ["flexpay-retries", "Add auto-retry", "retry"]]) {
    await page.goto(`${server.url}/integrations/${path}`);
    await ready(page);
    assert.equal(await main.getByLabel("Company").inputValue(), "");
    await page.getByRole("button", { name: button }).click();
    await page.locator(`#${prefix}-company-problems`).getByText("Choose a company.").waitFor();
    await page.locator(`#${prefix}-name-problems`).getByText(/Enter a name people will recognise/).waitFor();
    assert.equal(await main.getByLabel("Company").getAttribute("aria-invalid"), "true");
    assert.match(await main.getByLabel("Company").getAttribute("aria-describedby"), new RegExp(`${prefix}-company-problems`));
  }
  await header.getByLabel("Company").selectOption("DEFAULT");
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
