// Companies in a real Chromium: add, rename, delete with confirmation; the Default Company
// stays; names with markup are text.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { expectNoSeriousAxeViolations, openPortal, readSavedState } from "./support/portal.mjs";

const { server, browser } = await openPortal();

async function openCompanies(page) {
  await page.goto(`${server.url}/companies`);
  await page.getByRole("heading", { name: "Companies", level: 1 }).waitFor();
}

async function addCompany(page, name, code) {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Company code").fill(code);
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("row").filter({ hasText: code }).waitFor();
}

// The header's company switcher (its label wraps it, so its name includes the selected option).
const switcher = (page) => page.getByRole("banner").locator("select");

test("a company is added, renamed and deleted after a confirmation", async () => {
  const page = await browser.newPage();
  await openCompanies(page);

  // The code is checked as it is typed.
  const code = page.getByLabel("Company code");
  await code.fill("NW S");
  assert.equal(await code.getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#company-code-problems").textContent(), /letters and digits/);
  await code.fill("DEFAULT");
  assert.match(await page.locator("#company-code-problems").textContent(), /already uses/);

  await addCompany(page, "Northwind Shop", "NWS01");
  assert.ok((await switcher(page).locator("option").allTextContents()).includes("Northwind Shop"));

  await page.getByRole("button", { name: "Rename: Northwind Shop" }).click();
  const rename = page.getByLabel("New name for NWS01");
  await page.waitForFunction((id) => document.activeElement?.id === id, "rename-NWS01");
  await rename.fill("Northwind Outlet");
  await page.getByRole("button", { name: "Save name" }).click();
  await page.getByRole("row").filter({ hasText: "Northwind Outlet" }).waitFor();
  assert.ok((await switcher(page).locator("option").allTextContents()).includes("Northwind Outlet"));

  // A gateway of its own, which goes with it.
  await switcher(page).selectOption("NWS01");
  await page.goto(`${server.url}/gateways`);
  await page.getByRole("heading", { name: "Payment gateways", level: 1 }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("Northwind NMI");
  await page.getByLabel("Gateway type").selectOption("nmi");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.getByTestId("new-gateway-token").waitFor();
  await switcher(page).selectOption("DEFAULT");
  await openCompanies(page);

  await page.getByRole("button", { name: "Delete: Northwind Outlet" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Delete the company Northwind Outlet \(NWS01\)\?/);
  assert.match(
    await dialog.textContent(),
    /Its gateways, API keys, FlexPay Retries settings and certification run are deleted.*export the run's Appendix A from Certification first/,
  );
  await page.waitForFunction((id) => document.activeElement?.id === id, "confirm-delete-cancel");
  // Until it is answered, Tab and Shift+Tab go between its two buttons only.
  await page.keyboard.press("Tab");
  await page.waitForFunction((id) => document.activeElement?.id === id, "confirm-delete-ok");
  await page.keyboard.press("Tab");
  await page.waitForFunction((id) => document.activeElement?.id === id, "confirm-delete-cancel");
  await page.keyboard.press("Shift+Tab");
  await page.waitForFunction((id) => document.activeElement?.id === id, "confirm-delete-ok");
  await page.keyboard.press("Shift+Tab");
  await page.waitForFunction((id) => document.activeElement?.id === id, "confirm-delete-cancel");
  await page.screenshot({ path: screenshotPath("companies-confirm-delete"), fullPage: true });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.getByRole("row").filter({ hasText: "NWS01" }).count(), 1);
  // The focus goes back to the Delete… button that opened the question.
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Delete: Northwind Outlet (NWS01)");

  await page.getByRole("button", { name: "Delete: Northwind Outlet" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete Northwind Outlet" }).click();
  await page.getByRole("row").filter({ hasText: "NWS01" }).waitFor({ state: "detached" });
  await page.getByRole("status").getByText(/Northwind Outlet \(NWS01\) was deleted, with its gateways/).waitFor();
  assert.ok(!(await switcher(page).locator("option").allTextContents()).includes("Northwind Outlet"));
  // Deleted, as a gateway deleted on its own is, not left Available out of reach.
  await page.locator(".save-ok").waitFor();
  const saved = JSON.parse(await readSavedState(page));
  const gateway = saved.flexpaySandbox.gateways.find((g) => g.gateway.name === "Northwind NMI");
  assert.equal(gateway.deleted, true);
});

test("the company forms word their problems by the fields' labels and refuse a name over 100 characters", async () => {
  const page = await browser.newPage();
  await openCompanies(page);
  await page.getByRole("button", { name: "Add company" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Nothing was sent" });
  await summary.waitFor();
  assert.equal(await page.locator("#company-name-problems").textContent(), "Error: Enter the company's name.");
  assert.equal(await page.locator("#company-code-problems").textContent(), "Error: Enter a code of letters and digits, e.g. NWS01.");
  assert.doesNotMatch(await summary.textContent(), /missing or empty|send the company|name the company/);

  // Over the limit: refused at the field, naming it; nothing added.
  const name = page.getByLabel("Name", { exact: true });
  await name.fill("N".repeat(300));
  await page.getByLabel("Company code").fill("LONG1");
  await page.locator("#company-name-problems").getByText("Enter at most 100 characters; this has 300.").waitFor();
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  await page.getByRole("button", { name: "Add company" }).click();
  await summary.getByText(/Name: Enter at most 100 characters/).waitFor();
  assert.equal(await page.getByRole("row").filter({ hasText: "LONG1" }).count(), 0);

  // A character that reverses the text around it, or one the browser could not read (half of
  // a surrogate pair, handed over as U+FFFD), is refused at the field while it is typed, as
  // the sandbox refuses it; nothing is added.
  await name.fill("Invoice\u202Efdp.exe");
  await page.locator('#company-name-problems [data-code="invalid_name"]').getByText("This name has U+202E, a control, zero-width or text-direction character, at character 8; such a character hides or reorders the text around it where the name is shown, so remove it.").waitFor();
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  await name.evaluate((input) => {
    input.value = "Caf\uD800 Ltd";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.locator('#company-name-problems [data-code="invalid_name"]').getByText(/This name has U\+FFFD at character 4, where a character could not be read .* type that character again\./).waitFor();
  await page.getByRole("button", { name: "Add company" }).click();
  await summary.getByText(/Name: This name has U\+FFFD/).waitFor();
  await page.screenshot({ path: screenshotPath("companies-name-refused"), fullPage: true });
  assert.equal(await page.getByRole("row").filter({ hasText: "LONG1" }).count(), 0);
  await name.fill("N".repeat(300));

  // 100 are taken; a rename is held to the same limit.
  const hundred = "M".repeat(100);
  await addCompany(page, hundred, "LONG1");
  await page.getByRole("button", { name: `Rename: ${hundred}` }).click();
  await page.getByLabel("New name for LONG1").fill("M".repeat(101));
  await page.getByRole("button", { name: "Save name" }).click();
  await page.locator("#rename-LONG1-problems").getByText("Enter at most 100 characters; this has 101.").waitFor();
  await page.getByLabel("New name for LONG1").fill("M\u2067M");
  await page.locator("#rename-LONG1-problems").getByText(/This name has U\+2067/).waitFor();
  await page.getByLabel("New name for LONG1").fill("");
  await page.locator("#rename-LONG1-problems").getByText("Enter the company's name.").waitFor();
  // Its own name in another case is its own.
  await page.getByLabel("New name for LONG1").fill(hundred.toLowerCase());
  await page.locator("#rename-LONG1-problems").waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await page.getByRole("row").filter({ hasText: "LONG1" }).locator(".company-name").textContent(), hundred);

  // The answer of the last add is not left beside the refusal of the next.
  await page.getByRole("status").getByText(/was added/).waitFor();
  await page.getByRole("button", { name: "Add company" }).click();
  await summary.waitFor();
  assert.equal(await page.getByText(/was added/).count(), 0);
});

test("the Default Company cannot be deleted, and the page says why", async () => {
  const page = await browser.newPage();
  await openCompanies(page);
  const row = page.getByRole("row").filter({ hasText: "DEFAULT" });
  await row.getByText("Cannot be deleted: every account keeps its Default Company").waitFor();
  assert.equal(await row.getByRole("button", { name: /Delete/ }).count(), 0);
  assert.equal(await row.getByRole("button", { name: "Rename: Default Company" }).count(), 1);
});

test("a company name with markup is shown as text everywhere", async () => {
  const page = await browser.newPage();
  let dialogs = 0;
  page.on("dialog", async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  const evil = "<img src=x onerror=alert(1)>";
  await openCompanies(page);
  await addCompany(page, evil, "XSS1");
  const row = page.getByRole("row").filter({ hasText: "XSS1" });
  assert.equal(await row.locator(".company-name").textContent(), evil);
  await switcher(page).selectOption({ label: evil });
  await page.screenshot({ path: screenshotPath("companies-markup"), fullPage: true });
  for (const path of ["/gateways", "/terminal", "/transactions"]) {
    await page.goto(`${server.url}${path}`);
    await page.locator("main h1").waitFor();
  }
  await page.goto(`${server.url}/gateways`);
  await page.getByText(`Gateways of ${evil} in Sandbox mode`).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator("img").count(), 0);
  assert.equal(dialogs, 0);
  await switcher(page).selectOption("DEFAULT");
});

test("lowered recovery limits end a chain at once with 30100, are kept, and are refused in the fields' words", async () => {
  const page = await browser.newPage();
  await openCompanies(page);
  const retries = page.getByLabel("Most retries (1–15)");
  const window = page.getByLabel("Recovery window in days (1–30)");
  const status = page.locator("section").filter({ has: page.getByRole("heading", { name: "Recovery limits of the selected company" }) }).getByRole("status");
  assert.equal(await retries.inputValue(), "15");
  assert.equal(await window.inputValue(), "30");

  // Outside FlexPay's own limits: refused at the field, saying what to enter, in the summary by
  // the fields' labels, with the focus on the first field at fault; nothing saved.
  const problemsOf = async (control) => {
    const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
    const texts = [];
    for (const id of ids) texts.push(await page.locator(`[id="${id}"]`).textContent());
    return texts.join(" ");
  };
  const summary = page.getByRole("alert").filter({ hasText: "Nothing was sent" });
  for (const typed of ["16", "", "-1", "0", "2.5"]) {
    await retries.fill(typed);
    await page.getByRole("button", { name: "Save limits" }).click();
    await summary.getByText("Most retries: Enter a number from 1 to 15.").waitFor();
    assert.equal(await problemsOf(retries), "Error: Enter a number from 1 to 15.", typed);
    assert.equal(await retries.getAttribute("aria-invalid"), "true", typed);
    assert.equal(await window.getAttribute("aria-invalid"), "false", typed);
    await page.waitForFunction(() => document.activeElement?.id === "limits-retries");
    assert.equal(await status.count(), 0, "nothing was saved");
  }
  await window.fill("31");
  await page.getByRole("button", { name: "Save limits" }).click();
  await summary.getByText("Recovery window in days: Enter a number from 1 to 30.").waitFor();
  assert.equal(await problemsOf(window), "Error: Enter a number from 1 to 30.");
  await page.waitForFunction(() => document.activeElement?.id === "limits-retries");
  await page.screenshot({ path: screenshotPath("companies-recovery-limits-problems"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the recovery limits with problems");
  await retries.fill("3");
  assert.equal(await problemsOf(retries), "");
  await page.getByRole("button", { name: "Save limits" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "limits-window");
  assert.doesNotMatch(await page.locator("main").textContent(), /maxRetries|windowDays|whole number/);
  await window.fill("30");

  await retries.fill("1");
  await page.getByRole("button", { name: "Save limits" }).click();
  await status.getByText("Saved: a payment is retried at most 1 time within 30 days of its first attempt.").waitFor();
  await page.screenshot({ path: screenshotPath("companies-recovery-limits"), fullPage: true });

  // A soft decline (20.08, retryCount 1) is now past the limit.
  const send = async () => {
    await page.goto(`${server.url}/terminal`);
    await page.getByRole("button", { name: /^Visa/ }).click();
    await page.getByRole("button", { name: /^20\.08 USD 20003/ }).click();
    const before = await page.getByTestId("response-transaction-id").count();
    await page.getByRole("button", { name: "Send charge" }).click();
    if (before) await page.waitForTimeout(100);
    await page.getByTestId("response-code").waitFor();
    return page.getByTestId("response-code").textContent();
  };
  assert.equal(await send(), "30100");
  // The transaction's page says why, as the terminal's answer does: for the transaction and for
  // its attempt in the recovery chain.
  const why = /retry limit reached \(1 retry or 30 days\)/;
  assert.match(await page.locator(".response").textContent(), why);
  const id = await page.getByTestId("response-transaction-id").textContent();
  await page.getByRole("link", { name: id }).click();
  await page.getByRole("heading", { name: `Charge ${id}` }).waitFor();
  assert.match(await page.getByTestId("detail-message").textContent(), why);
  assert.match(await page.getByRole("list", { name: "Recovery chain" }).textContent(), why);
  await page.screenshot({ path: screenshotPath("transaction-detail-message"), fullPage: true });

  // Kept after a reload; back to FlexPay's own, the same decline gets a retry date again.
  await openCompanies(page);
  await page.reload();
  await page.getByRole("heading", { name: "Companies", level: 1 }).waitFor();
  assert.equal(await retries.inputValue(), "1");
  await retries.fill("15");
  await page.getByRole("button", { name: "Save limits" }).click();
  await status.getByText(/^Saved: a payment is retried at most 15 times within 30 days/).waitFor();
  assert.equal(await send(), "20003");

  // Lowered again to that payment's one attempt: the schedule offers no retry of it, and says why.
  const limitTo = async (n, saved) => {
    await openCompanies(page);
    await retries.fill(n);
    await page.getByRole("button", { name: "Save limits" }).click();
    await status.getByText(saved).waitFor();
  };
  await limitTo("1", /^Saved: a payment is retried at most 1 time/);
  await page.goto(`${server.url}/schedule`);
  const row = page.getByRole("row").filter({ hasText: "None: the most retries were reached" }).first();
  await row.waitFor();
  assert.match(await row.textContent(), /Its company's most retries, lowered since, were reached: not recovered, no retry is sent/);
  assert.equal(await row.getByRole("button").count(), 0);
  await page.screenshot({ path: screenshotPath("schedule-limit-reached"), fullPage: true });
  await limitTo("15", /^Saved: a payment is retried at most 15 times/);
});

test("only the latest action's answer stays: the limits' save clears an add's, and an add clears the limits'", async () => {
  const page = await browser.newPage();
  await openCompanies(page);
  const limits = page.locator("section").filter({ has: page.getByRole("heading", { name: "Recovery limits of the selected company" }) }).getByRole("status");
  await addCompany(page, "Answer Shop", "ANS01");
  const added = page.getByRole("status").getByText("Answer Shop (ANS01) was added", { exact: false });
  await added.waitFor();
  await page.getByRole("button", { name: "Save limits" }).click();
  await limits.getByText(/^Saved: a payment is retried at most 15 times within 30 days/).waitFor();
  assert.equal(await added.count(), 0, "the add's answer is gone once the limits are saved");
  await page.screenshot({ path: screenshotPath("companies-latest-answer"), fullPage: true });
  await addCompany(page, "Answer Two", "ANS02");
  await page.getByRole("status").getByText("Answer Two (ANS02) was added", { exact: false }).waitFor();
  assert.equal(await limits.getByText(/^Saved:/).count(), 0, "the limits' answer is gone once a company is added");
});

test("a second company of one name is refused as it is typed, added or renamed to, in any case", async () => {
  const page = await browser.newPage();
  await openCompanies(page);
  await addCompany(page, "Twin Subs", "TWIN1");
  await page.getByLabel("Name", { exact: true }).fill(" twin SUBS ");
  await page.getByLabel("Company code").fill("TWIN2");
  const problem = page.locator('#company-name-problems [data-code="company_name_taken"]');
  await problem.getByText(/Another company is already named twin SUBS: give this one another name/).waitFor();
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("alert").filter({ hasText: "Nothing was sent" }).getByText(/Name: Another company is already named/).waitFor();
  assert.equal(await page.getByRole("row").filter({ hasText: "TWIN2" }).count(), 0);
  // Renamed to it: refused at the field too.
  await addCompany(page, "Other Subs", "TWIN2");
  await page.getByRole("button", { name: "Rename: Other Subs" }).click();
  await page.getByLabel("New name for TWIN2").fill("TWIN SUBS");
  await page.locator('#rename-TWIN2-problems [data-code="company_name_taken"]').waitFor();
  await page.getByRole("button", { name: "Save name" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await page.getByRole("row").filter({ hasText: "TWIN2" }).locator(".company-name").textContent(), "Other Subs");
  await page.close();
});

test("deep link /companies survives a reload", async () => {
  const page = await browser.newPage();
  await openCompanies(page);
  await page.reload();
  await page.getByRole("heading", { name: "Companies", level: 1 }).waitFor();
  await page.screenshot({ path: screenshotPath("companies"), fullPage: true });
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
