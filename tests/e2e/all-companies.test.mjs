// "All companies" in the header's company selector, in a real Chromium: a second company and a
// soft decline under each (the same customer ID in both), then All companies is chosen and
// kept after a reload (saved as no company); the dashboard, transactions, a transaction's
// page, customers, reports (and their CSV's name), the retry schedule, gateways and
// integrations show both companies' data, each row naming its company; the virtual terminal,
// a new gateway and a certification run ask for a company instead of picking one; no page
// scrolls sideways at a phone's width; Production shows none of it; axe finds nothing serious
// on the changed pages.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { download, expectNoSeriousAxeViolations, openPortal, readSavedState, ready, saved, sendFromTerminal } from "./support/portal.mjs";

const { server, browser, page } = await openPortal();

const CUSTOMER = "cust-77";
// The header's company select.
const switcher = () => page.getByRole("banner").locator("select");

async function go(path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

/** A Visa soft decline (trigger 2008) of `CUSTOMER` from the terminal; returns its id. */
async function softDecline() {
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("button", { name: /^20\.08 USD 20003/ }).click();
  await page.getByLabel("Customer ID").fill(CUSTOMER);
  await sendFromTerminal(page);
  assert.equal(await page.getByTestId("response-code").textContent(), "20003");
  return (await page.getByTestId("response-transaction-id").textContent()).trim();
}

const ids = {};

test("a soft decline under each of two companies, then All companies, kept after a reload", async () => {
  await go("/companies", "Companies");
  await page.getByLabel("Name", { exact: true }).fill("Acme Widgets");
  await page.getByLabel("Company code").fill("ACME");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("row").filter({ hasText: "ACME" }).waitFor();

  // The header offers All companies first.
  const options = await switcher().locator("option").allTextContents();
  assert.deepEqual(options, ["All companies", "Default Company", "Acme Widgets"]);

  await go("/terminal", "Virtual terminal");
  ids.DEFAULT = await softDecline();
  await switcher().selectOption("ACME");
  await page.getByText("for Acme Widgets, in Sandbox mode").waitFor();
  ids.ACME = await softDecline();

  await switcher().selectOption({ label: "All companies" });
  await saved(page);
  const saved1 = JSON.parse(await readSavedState(page));
  assert.equal(saved1.schemaVersion, 4);
  assert.equal(saved1.settings.company, null, "All companies is saved as no company");
  await page.reload();
  await ready(page);
  assert.equal(await switcher().inputValue(), "");
  assert.equal(await switcher().locator("option:checked").textContent(), "All companies");
});

test("the dashboard adds up both companies' figures and names the company of each upcoming retry", async () => {
  await go("/dashboard", "Dashboard");
  const usd = page.getByRole("article", { name: "Recovery in USD" });
  await usd.waitFor();
  assert.equal(await usd.locator('[data-kpi="in-recovery"]').textContent(), "2");
  assert.match(await usd.textContent(), /Declines received2 \(40\.16 USD\)/);
  // Each upcoming retry names its company under its last attempt.
  const upcoming = page.getByRole("table", { name: "Upcoming retries" });
  const companies = await upcoming.locator("tbody tr td:last-child .muted").allTextContents();
  assert.deepEqual([...companies].sort(), ["Acme Widgets", "Default Company"]);
  assert.match(await page.getByRole("img", { name: /^Attempts and recoveries per day/ }).getAttribute("aria-label"), /: 2 attempts, 0 recoveries$/);
  await expectNoSeriousAxeViolations(page, "/dashboard (all companies)");
  await page.screenshot({ path: screenshotPath("all-companies-dashboard"), fullPage: true });
});

test("transactions list both companies with a Company column; the page's own filter narrows it", async () => {
  await go("/transactions", "Transactions");
  const count = page.getByTestId("transaction-count");
  assert.equal(await count.textContent(), "2 transactions");
  // Each row names its company under its ID.
  const table = page.locator("table.data");
  const rows = await table.locator("tbody tr td:first-child").evaluateAll((tds) => tds.map((td) => [td.querySelector("code").textContent, td.querySelector(".muted").textContent]));
  assert.deepEqual(Object.fromEntries(rows), { [ids.DEFAULT]: "Default Company", [ids.ACME]: "Acme Widgets" });
  await expectNoSeriousAxeViolations(page, "/transactions (all companies)");
  await page.screenshot({ path: screenshotPath("all-companies-transactions"), fullPage: true });

  // The export names each row's company.
  const file = await download(page, () => page.getByRole("button", { name: "Export CSV of every transaction that matches" }).click());
  const [csvHead, ...lines] = file.text.trimEnd().split("\r\n");
  assert.ok(csvHead.endsWith(",Company"));
  assert.deepEqual(lines.map((l) => l.split(",").at(-1)).sort(), ["ACME", "DEFAULT"]);
  assert.match(file.name, /^flexpay-transactions-all-companies-sandbox-\d{4}-\d{2}-\d{2}\.csv$/);

  const companyFilter = page.locator("main form.filters label").filter({ hasText: /^Company/ }).locator("select");
  // Each company by name and code, as two may share a name.
  assert.deepEqual((await companyFilter.locator("option").allTextContents()).slice(2), ["Default Company (DEFAULT)", "Acme Widgets (ACME)"]);
  assert.equal(await page.getByTestId("company-filter-note").count(), 0, "the filter follows the header");
  await companyFilter.selectOption("ACME");
  await count.getByText("1 transaction", { exact: true }).waitFor();
  // The filter lists another scope than the header's, and says so.
  assert.equal(
    await page.getByTestId("company-filter-note").textContent(),
    "Listing the transactions of Acme Widgets, as the Company filter asks; the header shows all companies.",
  );
  assert.equal((await table.locator("tbody tr td:first-child").textContent()).trim(), ids.ACME, "one company: no name under the ID");
  // Its file is named for what it holds, the filter's company, not the header's all companies.
  const filtered = await download(page, () => page.getByRole("button", { name: "Export CSV of every transaction that matches" }).click());
  assert.match(filtered.name, /^flexpay-transactions-acme-widgets-sandbox-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.equal(filtered.text.trimEnd().split("\r\n").length, 2);

  // A transaction's page names its company.
  await go(`/transactions/${ids.ACME}`, `Charge ${ids.ACME}`);
  assert.match(await page.locator("dl.facts").textContent(), /CompanyAcme Widgets/);
  await expectNoSeriousAxeViolations(page, "/transactions/:id (all companies)");
});

test("customers: one customer ID of two companies is two customers, each naming its company", async () => {
  await go("/customers", "Customers");
  assert.equal(await page.locator('[data-kpi="customers"]').textContent(), "2");
  const rows = page.getByRole("table", { name: "Customers" }).locator("tbody tr");
  assert.equal(await rows.count(), 2);
  const cells = await rows.locator("td:first-child").allTextContents();
  assert.ok(cells.every((c) => c.startsWith(CUSTOMER)), cells.join(" | "));
  assert.deepEqual(cells.map((c) => c.match(/(Default Company|Acme Widgets)$/)?.[1]).sort(), ["Acme Widgets", "Default Company"]);
  await expectNoSeriousAxeViolations(page, "/customers (all companies)");
  await page.screenshot({ path: screenshotPath("all-companies-customers"), fullPage: true });

  // Each link opens its company's customer.
  const acme = rows.filter({ hasText: "Acme Widgets" }).getByRole("link");
  assert.equal(await acme.getAttribute("href"), `/customers/${CUSTOMER}?company=ACME`);
  await acme.click();
  await page.getByRole("heading", { name: `Customer ${CUSTOMER}`, level: 1 }).waitFor();
  assert.match(await page.locator("dl.facts").textContent(), /CompanyAcme Widgets/);
  const listed = await page.getByRole("table", { name: "Transactions of the customer" }).locator("tbody tr td:first-child").allTextContents();
  assert.deepEqual(listed.map((t) => t.trim()), [ids.ACME]);
  await expectNoSeriousAxeViolations(page, "/customers/:key (all companies)");
});

test("reports count both companies, and their files say all companies", async () => {
  await go("/reports", "Reports");
  const field = page.getByLabel("To (UTC)", { exact: true });
  await field.fill("2099-12-31");
  await field.dispatchEvent("change");
  const types = page.locator('section[data-report="types"]');
  const charge = types.locator("tbody tr").filter({ hasText: "Charge" });
  await charge.waitFor();
  assert.deepEqual((await charge.locator("td").allTextContents()).slice(0, 4), ["Charge", "2", "0", "2"]);
  const recovery = page.locator('section[data-report="recovery"]').locator("tbody tr").first();
  assert.equal((await recovery.locator("td").allTextContents())[2], "2", "two declines received");
  const file = await download(page, () => types.getByRole("button", { name: /^Export CSV of / }).click());
  assert.match(file.name, /^flexpay-types-all-companies-sandbox-\d{4}-\d{2}-\d{2}-2099-12-31\.csv$/);
  await expectNoSeriousAxeViolations(page, "/reports (all companies)");
  await page.screenshot({ path: screenshotPath("all-companies-reports"), fullPage: true });
});

test("the retry schedule lists both companies' retries, each naming its company", async () => {
  await go("/schedule", "Retry schedule");
  const table = page.getByRole("table", { name: "Scheduled retries" });
  assert.equal(await table.locator("tbody tr").count(), 2);
  // Under each payment, its company.
  const companies = await table.locator("tbody tr td:nth-child(5) .muted").allTextContents();
  assert.deepEqual(companies.sort(), ["Acme Widgets", "Default Company"]);
  // The two retries' buttons are told apart by their company.
  await page.getByRole("button", { name: /^Send retry 2 of .* \(Acme Widgets\)$/ }).waitFor();
  await expectNoSeriousAxeViolations(page, "/schedule (all companies)");
  await page.screenshot({ path: screenshotPath("all-companies-schedule"), fullPage: true });
});

test("the virtual terminal asks for the company first and sends nothing without one", async () => {
  await go("/terminal", "Virtual terminal");
  const company = page.locator("main").getByLabel("Company", { exact: true });
  assert.equal(await company.inputValue(), "", "no company is picked for the user");
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("10.00");
  await page.getByRole("button", { name: "Send charge" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Nothing was sent" });
  await summary.waitFor();
  assert.match(await summary.textContent(), /Company: Choose a company: the header shows All companies\./);
  assert.equal(await company.getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByTestId("response-code").count(), 0);
  await expectNoSeriousAxeViolations(page, "/terminal (all companies, no company chosen)");
  await page.screenshot({ path: screenshotPath("all-companies-terminal"), fullPage: true });

  await company.selectOption("ACME");
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByTestId("response-code").waitFor();
  assert.equal(await page.getByTestId("response-code").textContent(), "10000");
  const id = (await page.getByTestId("response-transaction-id").textContent()).trim();
  await go(`/transactions/${id}`, `Charge ${id}`);
  assert.match(await page.locator("dl.facts").textContent(), /CompanyAcme Widgets/);
});

test("a new gateway and a certification run ask for a company; the forms of Integrations start with none", async () => {
  await go("/gateways", "Payment gateways");
  await page.getByText("Gateways of all companies in Sandbox mode").waitFor();
  const company = page.locator("main").getByLabel("Company", { exact: true });
  assert.equal(await company.inputValue(), "");
  await page.getByLabel("Name", { exact: true }).fill("Acme Stripe");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.getByRole("alert").filter({ hasText: "Nothing was sent" }).getByRole("link", { name: "Company" }).waitFor();
  assert.equal(await page.locator("table.gateways-table").count(), 0, "nothing was created");
  await company.selectOption("ACME");
  await page.getByRole("button", { name: "Save gateway" }).click();
  const row = page.locator("table.gateways-table tbody tr").filter({ hasText: "Acme Stripe" });
  await row.waitFor();
  assert.match(await row.locator("th").textContent(), /Acme StripeAcme Widgets/);
  await expectNoSeriousAxeViolations(page, "/gateways (all companies)");
  await page.screenshot({ path: screenshotPath("all-companies-gateways"), fullPage: true });

  await go("/certification", "Certification");
  assert.match(await page.locator("main").textContent(), /Runs always use the Sandbox environment of the company chosen below, as the header shows All companies, whatever/);
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByRole("status").getByText("Choose the company to run for: the header shows All companies.").waitFor();
  assert.equal(await page.getByTestId("run-status").textContent(), "Not run yet.");
  await page.waitForFunction(() => document.activeElement?.id === "cert-company");
  // The select says so itself, as every form field does.
  const select = page.locator("#cert-company");
  assert.equal(await select.getAttribute("aria-invalid"), "true");
  const described = await select.getAttribute("aria-describedby");
  assert.ok(described, "the select names its problem");
  assert.match(await page.locator(`#${described.split(" ")[0]}`).textContent(), /Choose the company to run for: the header shows All companies\./);
  await expectNoSeriousAxeViolations(page, "/certification (all companies)");
  await select.selectOption("ACME");
  assert.equal(await select.getAttribute("aria-invalid"), "false", "a company chosen, the problem is gone");
  await select.selectOption("");

  await go("/integrations/api-keys", "Integrations");
  assert.equal(await page.locator('main select[name="key-company"]').inputValue(), "");
  await page.getByLabel("Name").fill("No company");
  await page.getByRole("button", { name: "Generate API key" }).click();
  // The browser refuses the form: a company is required.
  assert.equal(await page.locator('main select[name="key-company"]').evaluate((s) => s.validity.valueMissing), true);
  assert.equal(await page.getByLabel("The new API key").count(), 0);
  await expectNoSeriousAxeViolations(page, "/integrations/api-keys (all companies)");

  await go("/companies", "Companies");
  const limitsCompany = page.locator("main").getByLabel("Company", { exact: true });
  assert.equal(await limitsCompany.inputValue(), "");
  assert.equal(await page.getByLabel("Most retries (1–15)").count(), 0, "no limits until a company is chosen");
  await limitsCompany.selectOption("ACME");
  assert.equal(await page.getByLabel("Most retries (1–15)").inputValue(), "15");
  await expectNoSeriousAxeViolations(page, "/companies (all companies)");
});

test("at a phone's width no page with all companies scrolls sideways", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    for (const path of ["/dashboard", "/transactions", "/customers", "/reports", "/schedule", "/gateways", "/terminal", "/certification", "/companies"]) {
      await page.goto(`${server.url}${path}`);
      await ready(page);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `${path} is ${wide} px too wide`);
      await page.screenshot({ path: screenshotPath(`all-companies-390${path.replaceAll("/", "-")}`), fullPage: true });
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test("Production shows none of the Sandbox's data, for all companies too", async () => {
  await go("/transactions", "Transactions");
  await page.getByRole("banner").getByRole("button", { name: "Production" }).click();
  await page.getByTestId("transaction-count").getByText("No transactions in Production mode yet.").waitFor();
  await go("/dashboard", "Dashboard");
  await page.getByText("No declined payments in this period yet.").waitFor();
  await go("/customers", "Customers");
  assert.equal(await page.locator('[data-kpi="customers"]').textContent(), "0");
  await go("/schedule", "Retry schedule");
  await page.getByText("No payment is waiting for a retry.").waitFor();
  await page.getByRole("banner").getByRole("button", { name: "Sandbox" }).click();
  await go("/transactions", "Transactions");
  await page.getByTestId("transaction-count").getByText("3 transactions", { exact: true }).waitFor();
});

test("a deleted company's transactions stay under All companies, its declines still counted", async () => {
  await go("/dashboard", "Dashboard");
  const usd = page.getByRole("article", { name: "Recovery in USD" });
  const declines = async () => (await usd.textContent()).match(/Declines received\d+ \([\d.]+ USD\)/)[0];
  const before = await declines();
  await go("/transactions", "Transactions");
  const total = await page.getByTestId("transaction-count").textContent();

  // A second live company of the same name is refused: the header and the lists name
  // companies by their names.
  await go("/companies", "Companies");
  await page.getByLabel("Name", { exact: true }).fill("acme widgets");
  await page.getByLabel("Company code").fill("ACME3");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.locator('#company-name-problems [data-code="company_name_taken"]').waitFor();
  assert.equal(await page.getByRole("row").filter({ hasText: "ACME3" }).count(), 0);

  await page.getByRole("row").filter({ has: page.getByRole("cell", { name: "ACME", exact: true }) }).getByRole("button", { name: "Delete: Acme Widgets" }).click();
  const dialog = page.getByRole("alertdialog");
  assert.match(await dialog.textContent(), /stay on record and show under All companies/);
  await dialog.getByRole("button", { name: "Delete Acme Widgets" }).click();
  await page.getByRole("status").getByText(/Acme Widgets \(ACME\) was deleted/).waitFor();
  // A deleted company's name may be taken again (its code may not).
  await page.getByLabel("Name", { exact: true }).fill("Acme Widgets");
  await page.getByLabel("Company code").fill("ACME3");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("row").filter({ hasText: "ACME3" }).waitFor();
  assert.deepEqual(await switcher().locator("option").allTextContents(), ["All companies", "Default Company", "Acme Widgets"]);

  await go("/transactions", "Transactions");
  assert.equal(await page.getByTestId("transaction-count").textContent(), total);
  const row = page.locator("table.data tbody tr").filter({ hasText: ids.ACME });
  assert.equal(await row.locator("td:first-child .muted").textContent(), "ACME (deleted)");
  await go(`/transactions/${ids.ACME}`, `Charge ${ids.ACME}`);
  assert.match(await page.locator("dl.facts").textContent(), /CompanyACME \(deleted\)/);
  await go("/dashboard", "Dashboard");
  assert.equal(await declines(), before);
  await page.screenshot({ path: screenshotPath("all-companies-deleted-company"), fullPage: true });
});

test("a company with nothing finished is left out of the forecast over all companies, and said so", async () => {
  await switcher().selectOption({ label: "All companies" });
  await go("/dashboard", "Dashboard");
  const card = () => page.getByRole("article", { name: "Recovery in USD" }).locator('[data-kpi="forecast"]');
  // "<forecast> USD (<rate>)", then " + <amount> USD not forecast" while a company has
  // nothing finished to forecast from (the deleted Acme Widgets' payment in recovery).
  const read = (text) => {
    const m = text.match(/^(\d+\.\d{2}) USD \([^)]*\)(?: \+ (\d+\.\d{2}) USD not forecast)?$/);
    assert.ok(m, text);
    return { forecast: m[1], left: Math.round(Number(m[2] ?? 0) * 100) };
  };
  const before = read(await card().textContent());

  // A new company whose only payment is in recovery: nothing finished to forecast from.
  await go("/companies", "Companies");
  await page.getByLabel("Name", { exact: true }).fill("Beta Books");
  await page.getByLabel("Company code").fill("BETA");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("row").filter({ hasText: "BETA" }).waitFor();
  await switcher().selectOption("BETA");
  await go("/terminal", "Virtual terminal");
  await softDecline();
  await go("/dashboard", "Dashboard");
  assert.equal(await card().textContent(), "not yet");

  // Over all companies the others' forecast stands and Beta's 20.08 is named as left out.
  await switcher().selectOption({ label: "All companies" });
  await card().getByText(/not forecast$/).waitFor();
  assert.deepEqual(read(await card().textContent()), { forecast: before.forecast, left: before.left + 2008 });
  await page.screenshot({ path: screenshotPath("all-companies-forecast"), fullPage: true });
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
