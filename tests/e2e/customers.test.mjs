// Customers in a real Chromium: payments sent through the virtual terminal make customers (by
// customer ID, else email); the figures, the search, a customer's page with its transactions and
// vaulted card, redacting the card through the confirmation (gone from the terminal's vault
// picker, kept after a reload), deep links, the vault list, and axe on every state shown.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { download, expectNoSeriousAxeViolations, openPortal, ready, saved, sendFromTerminal } from "./support/portal.mjs";

// Markup, an ampersand, a slash, a space and letters beyond ASCII: shown as text, and one
// path segment in links.
const ADA = "<b>Ada</b> & co/7 José-Ω";
const BO = "Bo.Lindqvist@Example.org";

let methodId;
let keptId;

const { server, browser, page } = await openPortal();

/** Sends the terminal's form and returns the response code and transaction id. */
async function send(kind = "charge") {
  await sendFromTerminal(page, kind);
  return {
    code: await page.getByTestId("response-code").textContent(),
    id: await page.getByTestId("response-transaction-id").textContent(),
  };
}

/** A Visa payment from the terminal's preset, with the given customer ID, amount and currency. */
async function pay({ customer = "", email, amount, currency = "USD", keep = false }) {
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.locator("#vt-currency").selectOption(currency);
  await page.getByRole("textbox", { name: /^Amount/ }).fill(amount);
  await page.getByLabel("Customer ID").fill(customer);
  if (email) await page.getByLabel("Customer email").fill(email);
  const retain = page.getByLabel("Keep the card in the vault if approved (retainOnSuccess)");
  if (keep) await retain.check();
  else await retain.uncheck();
  return send();
}

const kpi = (name, card = page.locator("main")) => card.locator(`[data-kpi="${name}"]`).textContent();
const count = () => page.getByTestId("customer-count").textContent();

test("payments from the virtual terminal make customers with their figures", async () => {
  await page.goto(`${server.url}/terminal`);
  await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
  const kept = await pay({ customer: ADA, amount: "10.00", keep: true });
  assert.equal(kept.code, "10000");
  methodId = await page.getByTestId("response-payment-method-id").textContent();
  keptId = kept.id;
  assert.equal((await pay({ customer: ADA, amount: "20.00" })).code, "10000");
  assert.equal((await pay({ customer: ADA, amount: "20.08" })).code, "20003", "a soft decline is not a payment");
  assert.equal((await pay({ email: BO, amount: "5.00", currency: "EUR" })).code, "10000");
  await saved(page);

  // The section is in the navigation, after Transactions.
  const nav = page.getByRole("navigation", { name: "Sections" });
  const labels = await nav.getByRole("link").allTextContents();
  assert.equal(labels.indexOf("Customers"), labels.indexOf("Transactions") + 1);
  await nav.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
  assert.equal(await nav.getByRole("link", { name: "Customers" }).getAttribute("aria-current"), "page");

  assert.equal(await kpi("customers"), "2");
  assert.equal(await kpi("returning"), "1 (50.00 %)");
  const usd = page.getByRole("article", { name: "Spent in USD" });
  assert.equal(await kpi("spent", usd), "30.00 USD");
  assert.equal(await kpi("average", usd), "30.00 USD");
  const eur = page.getByRole("article", { name: "Spent in EUR" });
  assert.equal(await kpi("spent", eur), "5.00 EUR");
  assert.equal(await count(), "2 customers");

  // Latest seen first: the email-only customer, keyed by the email in lower case.
  const table = page.getByRole("table", { name: "Customers" });
  const rows = table.locator("tbody tr");
  assert.equal(await rows.count(), 2);
  const bo = rows.nth(0);
  assert.equal(await bo.getByRole("link").textContent(), BO);
  assert.equal(await bo.getByRole("link").getAttribute("href"), `/customers/${encodeURIComponent(BO.toLowerCase())}`);
  assert.match(await bo.textContent(), /5\.00 EUR/);
  const ada = rows.nth(1);
  // The markup is text: no <b> element was made from it.
  assert.equal(await ada.getByRole("link").textContent(), ADA);
  assert.equal(await table.locator("b").count(), 0);
  const cells = await ada.locator("td").allTextContents();
  assert.match(cells[0], /Avery Quinn · avery\.quinn@example\.com/);
  assert.match(cells[1], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  assert.equal(cells[2], "2", "two approved payments; the soft decline is not one");
  assert.equal(cells[3], "20.00 USD");
  assert.equal(cells[4], "Visa 492020******9560");
  await expectNoSeriousAxeViolations(page, "/customers");
  await page.screenshot({ path: screenshotPath("customers"), fullPage: true });
});

test("the search finds customers by customer ID, order ID or email, ignoring case, and says what it searched", async () => {
  const search = page.getByRole("searchbox", { name: "Customer ID, order ID or email" });
  const rows = page.getByRole("table", { name: "Customers" }).locator("tbody tr");
  await search.fill("<B>ADA");
  await page.getByTestId("customer-count").getByText("1 of 2 customers match “<B>ADA”").waitFor();
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().getByRole("link").textContent(), ADA);
  // The export holds the customers that match, markup and all, as text.
  const exportCsv = page.getByRole("button", { name: "Export CSV of every customer that matches" });
  const file = await download(page, () => exportCsv.click());
  // Named after whose and which mode's customers it holds, as the reports are.
  assert.match(file.name, /^flexpay-customers-default-company-sandbox-\d{4}-\d{2}-\d{2}\.csv$/);
  const [head, ...lines] = file.text.trimEnd().split("\r\n");
  assert.match(head, /^Customer ID,Email,Card holder,Transactions,Approved payments,/);
  // What a customer spent is one column per currency, each a plain amount a sheet can add up.
  assert.match(head, /,Card brand,(Spent \([A-Z]{3}\),)+Last seen,Company$/);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].split(",")[0], ADA);
  // Every terminal preset sends order-1001.
  await search.fill("ORDER-1001");
  await page.getByTestId("customer-count").getByText("2 of 2 customers match “ORDER-1001”").waitFor();
  await search.fill("lindqvist@EXAMPLE");
  await page.getByTestId("customer-count").getByText(/^1 of 2 customers match/).waitFor();
  assert.equal(await rows.first().getByRole("link").textContent(), BO);
  await search.fill("<i>nobody</i>");
  await page.getByTestId("customer-count").getByText("No customer matches “<i>nobody</i>”.").waitFor();
  assert.equal(await rows.count(), 0);
  assert.equal(await page.locator("main i").count(), 0);
  assert.ok(await exportCsv.isDisabled(), "nothing to export");
  await page.screenshot({ path: screenshotPath("customers-search"), fullPage: true });
  // The figures stay those of every customer.
  assert.equal(await kpi("customers"), "2");
  await search.fill("");
  await page.getByTestId("customer-count").getByText("2 customers").waitFor();
});

test("the search is kept in the address: a reload and a shared link show it, and Back goes to the list before it", async () => {
  await page.goto(`${server.url}/customers`);
  const search = page.getByRole("searchbox", { name: "Customer ID, order ID or email" });
  const count = page.getByTestId("customer-count");
  await count.getByText("2 customers", { exact: true }).waitFor();
  const before = await page.evaluate(() => history.length);
  await search.pressSequentially("  lindqvist ");
  await count.getByText("1 of 2 customers match “lindqvist”").waitFor();
  assert.equal(new URL(page.url()).search, "?q=lindqvist");
  assert.equal(await search.inputValue(), "  lindqvist ", "the spaces typed stay in the field");
  assert.equal(await page.evaluate(() => history.length), before + 1, "one history entry for the whole word");
  await page.reload();
  await count.getByText("1 of 2 customers match “lindqvist”").waitFor();
  assert.equal(await search.inputValue(), "lindqvist");
  await page.goBack();
  await count.getByText("2 customers", { exact: true }).waitFor();
  assert.equal(await search.inputValue(), "");
  await page.goForward();
  await count.getByText("1 of 2 customers match “lindqvist”").waitFor();
  assert.equal(await search.inputValue(), "lindqvist");
  // A customer opened from the search, then Back: the search is there, the focus on its row's link.
  const link = page.getByRole("table", { name: "Customers" }).getByRole("link", { name: BO });
  await link.click();
  await page.getByRole("heading", { level: 1 }).filter({ hasText: BO }).waitFor();
  await page.goBack();
  await count.getByText("1 of 2 customers match “lindqvist”").waitFor();
  await page.waitForFunction((name) => document.activeElement?.textContent === name, BO);
  // A link with a search opens with it, written in any way the address may hold it.
  await page.goto(`${server.url}/customers?q=${encodeURIComponent("<B>ada")}`);
  await count.getByText("1 of 2 customers match “<B>ada”").waitFor();
  assert.equal(await search.inputValue(), "<B>ada");
  await search.fill("");
  await count.getByText("2 customers", { exact: true }).waitFor();
  assert.equal(new URL(page.url()).search, "");
});

test("a customer's page lists its transactions and vaulted card; redacting asks first and takes the card out of the terminal's picker", async () => {
  await page.getByRole("table", { name: "Customers" }).getByRole("link", { name: ADA }).click();
  await page.waitForURL(`${server.url}/customers/${encodeURIComponent(ADA)}`);
  await page.getByRole("heading", { name: `Customer ${ADA}`, level: 1 }).waitFor();
  assert.match(await page.locator("dl.facts").textContent(), /Approved payments\s*2/);
  assert.match(await page.locator("dl.facts").textContent(), /Spent\s*30\.00 USD/);
  const transactions = page.getByRole("table", { name: "Transactions of the customer" }).locator("tbody tr");
  assert.equal(await transactions.count(), 3);
  // Newest first, as on the transaction list: the soft decline was sent last.
  assert.match(await transactions.first().textContent(), /20003/);

  const methods = page.getByRole("table", { name: "Payment methods" });
  const row = methods.locator("tbody tr");
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), new RegExp(`Visa 492020\\*{6}9560\\s*ID\\s${methodId}`));
  assert.match(await row.textContent(), /Avery Quinn/);
  assert.match(await row.textContent(), /07\/2024/);
  assert.equal(await row.locator("td").nth(3).textContent(), "Stored");
  assert.equal(await row.locator("td").nth(4).textContent(), "No", "the charge used its CVV");
  // Created by the kept charge, one of the customer's transactions.
  const keptBy = row.locator('a[href^="/transactions/"]');
  assert.equal(await keptBy.getAttribute("href"), `/transactions/${keptId}`);
  assert.equal(await transactions.locator(`a[href="/transactions/${keptId}"]`).count(), 1);
  await expectNoSeriousAxeViolations(page, "/customers/:key");
  await page.screenshot({ path: screenshotPath("customer-detail"), fullPage: true });

  // Redact: the confirmation explains, and the focus waits on Cancel.
  await row.getByRole("button", { name: "Redact Visa 492020******9560" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Redact Visa 492020******9560?" });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /can no longer be charged: a charge naming it answers 50136 and an authorization 50134/);
  await page.waitForFunction(() => document.activeElement?.id === "redact-cancel");
  await expectNoSeriousAxeViolations(page, "/customers/:key with the confirmation");
  await page.screenshot({ path: screenshotPath("customer-redact-confirm"), fullPage: true });
  // Cancel keeps it, and gives the focus back to its Redact button.
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await row.locator("td").nth(3).textContent(), "Stored");
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Redact Visa 492020******9560");
  await row.getByRole("button", { name: "Redact Visa 492020******9560" }).click();
  await dialog.getByRole("button", { name: "Redact" }).click();
  await page.getByRole("status").getByText(/Visa 492020\*{6}9560 was redacted\./).waitFor();
  // The way back to the list is not "the current page".
  assert.equal(await page.getByRole("link", { name: "← All customers" }).getAttribute("aria-current"), null);
  assert.equal(await row.locator("td").nth(3).textContent(), "Redacted");
  assert.equal(await row.getByRole("button").count(), 0, "a redacted method has nothing left to redact");
  assert.equal(await transactions.count(), 4, "the redact call is one of the customer's transactions");
  assert.match(await transactions.first().textContent(), /RedactPaymentMethod/);
  await saved(page);
  await page.screenshot({ path: screenshotPath("customer-redacted"), fullPage: true });

  // The terminal's vault picker no longer offers it.
  await page.goto(`${server.url}/terminal`);
  await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
  await page.getByLabel("Pay with").selectOption("vault");
  const picker = page.getByLabel("Cards in the vault");
  const offered = await picker.locator("option").evaluateAll((os) => os.map((o) => o.value));
  assert.ok(!offered.includes(methodId), `${methodId} is not offered: ${offered}`);
  assert.equal(await picker.locator("option").first().textContent(), "None yet");

  // A deep link to the customer loads on reload, with the card still redacted.
  await page.goto(`${server.url}/customers/${encodeURIComponent(ADA)}`);
  await ready(page);
  await page.reload();
  await page.getByRole("heading", { name: `Customer ${ADA}`, level: 1 }).waitFor();
  assert.equal(await page.getByRole("table", { name: "Payment methods" }).locator("tbody tr td").nth(3).textContent(), "Redacted");
});

test("the vault list shows every stored method of the company and mode", async () => {
  await page.goto(`${server.url}/customers`);
  await ready(page);
  const vault = page.getByRole("table", { name: "Vault" });
  const rows = vault.locator("tbody tr");
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), new RegExp(methodId));
  assert.equal(await rows.first().locator("td").nth(3).textContent(), "Redacted");
  assert.equal(await rows.first().getByRole("link", { name: ADA }).getAttribute("href"), `/customers/${encodeURIComponent(ADA)}`);
  // The other mode has none of this.
  await page.getByRole("button", { name: "Production" }).click();
  await page.getByTestId("customer-count").getByText(/^No customer yet/).waitFor();
  assert.equal(await rows.count(), 0);
  await page.getByRole("button", { name: "Sandbox" }).click();
  await page.getByTestId("customer-count").getByText("2 customers").waitFor();
  // The next page load reads the saved mode.
  await saved(page);
});

test("a customer key no transaction names is answered on its page, also after a reload", async () => {
  await page.goto(`${server.url}/customers/nobody%40example.com`);
  await page.getByRole("heading", { name: "Customer not found", level: 1 }).waitFor();
  assert.match(await page.locator("main").textContent(), /names the customer nobody@example\.com/);
  await page.reload();
  await page.getByRole("heading", { name: "Customer not found", level: 1 }).waitFor();
  // The email-only customer is found by its key in any case.
  await page.goto(`${server.url}/customers/${encodeURIComponent(BO)}`);
  await page.getByRole("heading", { name: `Customer ${BO}`, level: 1 }).waitFor();
  assert.match(await page.locator("dl.facts").textContent(), /Customer IDnone: known by email/);
});

test("a customer of another company than the header's says whose it is and offers to switch the header", async () => {
  await page.goto(`${server.url}/companies`);
  await ready(page);
  await page.getByLabel("Name", { exact: true }).fill("Other Shop");
  await page.getByLabel("Company code").fill("OTH1");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("status").getByText(/Other Shop \(OTH1\) was added/).waitFor();
  await page.getByRole("banner").locator("select").selectOption("OTH1");
  await saved(page);
  await page.goto(`${server.url}/customers/${encodeURIComponent(BO)}`);
  await page.getByRole("heading", { name: "Customer not found", level: 1 }).waitFor();
  const other = page.getByTestId("other-company");
  await other.getByText("Default Company has a customer by this key; the header shows Other Shop.").waitFor();
  // Pressed with the keyboard: the button goes with its banner, the focus to the page's heading.
  await other.getByRole("button", { name: "Switch the header to its company" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: `Customer ${BO}`, level: 1 }).waitFor();
  await page.waitForFunction(() => document.activeElement === document.querySelector("main h1"));
  assert.equal(await page.getByRole("banner").locator("select").inputValue(), "DEFAULT");
  // A key no company's transaction names offers nothing.
  await page.goto(`${server.url}/customers/nobody%40example.com`);
  await page.getByRole("heading", { name: "Customer not found", level: 1 }).waitFor();
  assert.equal(await page.getByTestId("other-company").count(), 0);
});

test("a customer of the other mode is said to be there, with a switch to it, from the search and from its page", async () => {
  const modes = page.getByRole("banner").getByRole("group", { name: "Environment" });
  await page.goto(`${server.url}/customers`);
  await ready(page);
  await modes.getByRole("button", { name: "Production" }).click();
  await page.getByLabel("Customer ID, order ID or email").fill("bo.lindqvist");
  await page.getByTestId("customer-count").getByText("No customer matches “bo.lindqvist”.").waitFor();
  const other = page.getByTestId("other-mode");
  await other.getByText("Customers matching “bo.lindqvist” are found in Sandbox; the header shows Production.").waitFor();
  await page.screenshot({ path: screenshotPath("customers-other-mode"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the search's other-mode offer");
  await other.getByRole("button", { name: "Switch to Sandbox" }).click();
  await page.getByRole("table", { name: "Customers" }).getByRole("link", { name: BO }).waitFor();
  assert.equal(await modes.getByRole("button", { name: "Sandbox" }).getAttribute("aria-pressed"), "true");
  assert.equal(await other.count(), 0);
  // A search nothing matches in either mode offers nothing.
  await page.getByLabel("Customer ID, order ID or email").fill("nobody-anywhere");
  await page.getByTestId("customer-count").getByText("No customer matches “nobody-anywhere”.").waitFor();
  assert.equal(await other.count(), 0);

  // A customer's page, reached in the other mode.
  await modes.getByRole("button", { name: "Production" }).click();
  await saved(page);
  await page.goto(`${server.url}/customers/${encodeURIComponent(BO)}`);
  await page.getByRole("heading", { name: "Customer not found", level: 1 }).waitFor();
  await other.getByText("This customer is found in Sandbox; the header shows Production.").waitFor();
  assert.equal(await page.getByTestId("other-company").count(), 0);
  await other.getByRole("button", { name: "Switch to Sandbox" }).click();
  await page.getByRole("heading", { name: `Customer ${BO}`, level: 1 }).waitFor();
  assert.equal(await modes.getByRole("button", { name: "Sandbox" }).getAttribute("aria-pressed"), "true");
  await page.goto(`${server.url}/customers/nobody%40example.com`);
  await page.getByRole("heading", { name: "Customer not found", level: 1 }).waitFor();
  assert.equal(await other.count(), 0);

  // A transaction's deep link, opened in the other mode: the same offer.
  await modes.getByRole("button", { name: "Production" }).click();
  await saved(page);
  await page.goto(`${server.url}/transactions/${keptId}`);
  await page.getByRole("heading", { name: "Transaction not found", level: 1 }).waitFor();
  await other.getByText("This transaction is in Sandbox; the header shows Production.").waitFor();
  await other.getByRole("button", { name: "Switch to Sandbox" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: `Charge ${keptId}`, level: 1 }).waitFor();
  await page.waitForFunction(() => document.activeElement === document.querySelector("main h1"));
  await page.goto(`${server.url}/transactions/ZZZZZZZZZZZZZZZZZZZZZZZZZZ`);
  await page.getByRole("heading", { name: "Transaction not found", level: 1 }).waitFor();
  assert.equal(await other.count(), 0);
});

test("what a customer spent is net of the money given back to it", async () => {
  await page.goto(`${server.url}/terminal`);
  await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
  assert.equal((await pay({ customer: "refunded-1", amount: "50.00" })).code, "10000");
  await page.getByRole("button", { name: "Refund it" }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("20.00");
  assert.equal((await send("refund")).code, "10000");
  await page.goto(`${server.url}/customers/refunded-1`);
  await page.getByRole("heading", { name: "Customer refunded-1", level: 1 }).waitFor();
  assert.match(await page.locator("dl.facts").textContent(), /Approved payments\s*1/);
  assert.match(await page.locator("dl.facts").textContent(), /Spent\s*30\.00 USD/);

  // The figures over every customer are net too, and say so; the transaction list's approved
  // amount stays gross: one label, one meaning.
  await page.goto(`${server.url}/customers`);
  await ready(page);
  const usd = page.getByRole("article", { name: "Spent in USD" });
  assert.equal(await kpi("spent", usd), "60.00 USD", "30.00 of Ada's, 50.00 less 20.00 refunded");
  assert.match(await usd.textContent(), /Spent, net of refunds/);
  assert.doesNotMatch(await page.locator("main").textContent(), /Approved amount/);
  assert.match(await page.locator("main .lede").first().textContent(), /spent is net of refunds/);
  await page.goto(`${server.url}/transactions`);
  await ready(page);
  const listed = page.getByRole("article", { name: "Transactions in USD" });
  assert.match(await listed.textContent(), /Approved amount/);
  assert.equal(await kpi("approved", listed), "80.00 USD", "the charges, before the refund");
});

test("a customer ID with %, / or # in it opens its own page from the list, also after a reload", async () => {
  for (const customer of ["promo%41x", "a/b?c#d%20e f"]) {
    await page.goto(`${server.url}/terminal`);
    await page.getByRole("heading", { name: "Virtual terminal", level: 1 }).waitFor();
    assert.equal((await pay({ customer, amount: "5.00" })).code, "10000");
    await page.goto(`${server.url}/customers`);
    await ready(page);
    await page.getByRole("table", { name: "Customers" }).getByRole("link", { name: customer, exact: true }).click();
    const heading = page.getByRole("heading", { name: `Customer ${customer}`, level: 1 });
    await heading.waitFor();
    // The address holds the ID encoded once, as the link wrote it.
    assert.equal(new URL(page.url()).pathname, `/customers/${encodeURIComponent(customer)}`);
    await page.reload();
    await heading.waitFor();
    assert.match(await page.locator("dl.facts").textContent(), /Approved payments\s*1/);
  }
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
