// The Transactions page keeps its filters and page number in the address, in a real Chromium:
// each filter written when changed (defaults left out) and restored on reload, a deep link
// opened fresh, Back/Forward across filter changes, pages and a transaction's page, a filter
// set back to Any gone from the address, and values from the address the controls cannot
// show: a currency or gateway without transactions offered as such, anything else left out
// and said so, never filtered by unseen. A sandbox of 60 charges over 15 days, filled by the
// npm package's `flexkit/sandbox` entry (`support/sandbox.mjs`), is imported through the Data
// page.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { expectNoSeriousAxeViolations, openPortal } from "./support/portal.mjs";
import { portalDocument, Sandbox } from "./support/sandbox.mjs";

const { server, browser, page } = await openPortal();

const START = Date.parse("2026-11-01T00:00:00Z");
// One charge every 6 hours: 2026-11-01 to 2026-11-15. Amounts 1000 and 1250 are approved,
// 2008 a soft decline, 3016 a hard decline; USD and CAD by turns of four. No EUR.
const CHARGES = Array.from({ length: 60 }, (_, i) => {
  const amount = [1000, 2008, 3016, 1250][i % 4];
  return {
    amount,
    currency: Math.floor(i / 4) % 2 ? "CAD" : "USD",
    day: new Date(START + i * 6 * 3_600_000).toISOString().slice(0, 10),
    status: amount === 2008 || amount === 3016 ? "declined" : "approved",
    category: amount === 2008 ? "softDecline" : amount === 3016 ? "hardDecline" : "approved",
  };
});

/** How many charges these filters keep (`{ status, category, currency, from, to }`). */
function matching(f = {}) {
  return CHARGES.filter(
    (c) =>
      (!f.status || c.status === f.status) &&
      (!f.category || c.category === f.category) &&
      (!f.currency || c.currency === f.currency) &&
      (!f.from || c.day >= f.from) &&
      (!f.to || c.day <= f.to),
  ).length;
}

/** The list's count line for `n` transactions on page `p`. */
function counted(n, p = 1) {
  if (n === 0) return "No transactions match.";
  const all = `${n} transaction${n === 1 ? "" : "s"}`;
  if (n <= 25) return all;
  const first = (p - 1) * 25 + 1;
  return `${first}–${Math.min(first + 24, n)} of ${all}`;
}

function bigDocument() {
  const sandbox = new Sandbox(7);
  const { key } = sandbox.generateApiKey("url", { company: "DEFAULT", mode: "sandbox", now: START });
  CHARGES.forEach((c, i) => {
    const transaction = {
      merchantTransactionId: `url-${i}`,
      orderId: `order-${i}`,
      customerId: `customer-${i}`,
      currencyCode: c.currency,
      amount: c.amount,
      retryCount: 1,
      referenceData: null,
      retainOnSuccess: false,
      paymentMethod: { creditCardNumber: "4920201996449560", expiryMonth: "07", expiryYear: "2024", cvv: "879", fullName: "Ada Lovelace", postalCode: "10001", city: "New York", state: "NY", country: "US" },
    };
    sandbox.charge(key, { transaction }, START + i * 6 * 3_600_000);
  });
  return portalDocument(sandbox);
}

const heading = (p = page) => p.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
const count = (p = page) => p.getByTestId("transaction-count");
const control = (label, p = page) => p.locator("main form.filters").getByLabel(label);
const dropped = (p = page) => p.getByTestId("filters-dropped");
const search = (p = page) => new URL(p.url()).search;

/** Waits for the count line to read `text` exactly. */
async function expectCount(text, p = page) {
  await count(p).getByText(text, { exact: true }).waitFor({ timeout: 10_000 });
}

/** Waits for the address's query to be `query` (Back and Forward are not awaited by the page). */
async function at(query) {
  await page.waitForFunction((q) => location.search === q, query);
}

async function go(path) {
  await page.goto(`${server.url}${path}`);
  await heading();
}

/** The value of each control named (by label), as `{ label: value }`. */
async function controls(labels, p = page) {
  const values = {};
  for (const label of labels) values[label] = await control(label, p).inputValue();
  return values;
}

/** Waits until each control named reads its value in `values` (`{ label: value }`). */
async function expectControls(values) {
  for (let tries = 0; ; tries++) {
    const now = await controls(Object.keys(values));
    if (JSON.stringify(now) === JSON.stringify(values) || tries === 50) return assert.deepEqual(now, values);
    await page.waitForTimeout(100);
  }
}

/** Reloads and requires the same address, control values and count. */
async function reloadKeeps(values, text) {
  const before = page.url();
  await page.reload();
  await heading();
  assert.equal(page.url(), before);
  await expectCount(text);
  assert.deepEqual(await controls(Object.keys(values)), values);
}

test("import 60 charges", async () => {
  await page.goto(`${server.url}/data`);
  await page.getByRole("heading", { name: "Data & storage", level: 1 }).waitFor();
  await page.locator('input[type="file"]').setInputFiles({ name: "url.json", mimeType: "application/json", buffer: Buffer.from(bigDocument()) });
  await page.getByRole("alertdialog").getByRole("button", { name: "Replace with the file" }).click();
  await page.getByRole("status").filter({ hasText: "Imported url.json" }).waitFor();
  await go("/transactions");
  await expectCount(counted(60));
});

test("every filter is written to the address when changed, defaults left out, and restored on reload", async () => {
  await go("/transactions");
  assert.equal(search(), "", "a plain list has a plain address");

  await control("Status").selectOption("Declined");
  await expectCount(counted(matching({ status: "declined" })));
  assert.equal(search(), "?status=declined");
  await reloadKeeps({ Status: "declined" }, counted(30));

  await control("Category").selectOption("softDecline");
  assert.equal(search(), "?status=declined&category=softDecline");
  await reloadKeeps({ Status: "declined", Category: "softDecline" }, counted(15));

  await control("Company").selectOption({ label: "All companies" });
  assert.equal(search(), "?status=declined&category=softDecline&company=all-companies");
  await reloadKeeps({ Company: "all-companies" }, counted(15));
  await control("Company").selectOption("DEFAULT");
  assert.equal(search(), "?status=declined&category=softDecline&company=DEFAULT");
  await reloadKeeps({ Company: "DEFAULT" }, counted(15));

  const gateways = await control("Gateway").locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.equal(gateways.length, 1, "the charges went through one gateway");
  const [token] = gateways;
  await control("Gateway").selectOption(token);
  assert.equal(search(), `?status=declined&category=softDecline&company=DEFAULT&gateway=${encodeURIComponent(token)}`);
  await reloadKeeps({ Gateway: token }, counted(15));

  await control("Currency").selectOption("CAD");
  const cad = matching({ status: "declined", category: "softDecline", currency: "CAD" });
  await expectCount(counted(cad));
  assert.match(search(), /&currency=CAD$/);
  await reloadKeeps({ Currency: "CAD" }, counted(cad));

  await control("From (UTC)").fill("2026-11-05");
  const from = matching({ status: "declined", category: "softDecline", currency: "CAD", from: "2026-11-05" });
  await expectCount(counted(from));
  assert.match(search(), /&currency=CAD&from=2026-11-05$/);
  await control("To (UTC)").fill("2026-11-12");
  const both = matching({ status: "declined", category: "softDecline", currency: "CAD", from: "2026-11-05", to: "2026-11-12" });
  assert.ok(both > 0 && both < from);
  await expectCount(counted(both));
  assert.equal(search(), `?status=declined&category=softDecline&company=DEFAULT&gateway=${encodeURIComponent(token)}&currency=CAD&from=2026-11-05&to=2026-11-12`);
  const all = { Status: "declined", Category: "softDecline", Company: "DEFAULT", Gateway: token, Currency: "CAD", "From (UTC)": "2026-11-05", "To (UTC)": "2026-11-12" };
  await reloadKeeps(all, counted(both));
  await page.screenshot({ path: screenshotPath("transactions-url-every-filter"), fullPage: true });

  // Back to the defaults, one by one: each leaves the address.
  await control("Status").selectOption("");
  assert.doesNotMatch(search(), /status=/);
  await control("Category").selectOption("");
  await control("Company").selectOption({ label: "As in the header" });
  await control("Gateway").selectOption("");
  await control("Currency").selectOption("");
  await control("From (UTC)").fill("");
  await control("To (UTC)").fill("");
  await expectCount(counted(60));
  assert.equal(search(), "");
  assert.equal(new URL(page.url()).pathname, "/transactions");
});

test("a deep link with filters and a page opens as it reads, in a fresh page", async () => {
  const fresh = await browser.context.newPage();
  try {
    await fresh.goto(`${server.url}/transactions?status=declined&from=2026-11-03&page=2`);
    await heading(fresh);
    const n = matching({ status: "declined", from: "2026-11-03" });
    assert.ok(n > 25 && n <= 50);
    await expectCount(counted(n, 2), fresh);
    assert.deepEqual(await controls(["Status", "Category", "Currency", "From (UTC)", "To (UTC)"], fresh), {
      Status: "declined",
      Category: "",
      Currency: "",
      "From (UTC)": "2026-11-03",
      "To (UTC)": "",
    });
    assert.equal(await fresh.locator("nav.pager span").textContent(), "Page 2 of 2");
    assert.equal(await dropped(fresh).count(), 0);
    await fresh.screenshot({ path: screenshotPath("transactions-url-deep-link"), fullPage: true });
    await expectNoSeriousAxeViolations(fresh, "/transactions (deep link, page 2)");
  } finally {
    await fresh.close();
  }
});

test("a transaction opened from a filtered page links back to that page of the list, filters and search kept", async () => {
  await go("/transactions?status=declined&page=2");
  const n = matching({ status: "declined" });
  await expectCount(counted(n, 2));
  const opened = page.locator("main table.data tbody tr").nth(3).getByRole("link").first();
  const id = (await opened.textContent()).trim();
  await opened.click();
  const back = page.getByRole("link", { name: "← Back to the list" });
  await back.waitFor();
  await back.click();
  await at("?status=declined&page=2");
  await expectCount(counted(n, 2));
  // The focus is back on the row's link to the transaction left, as it is after the browser's Back.
  const focusedOn = () => page.evaluate(() => document.activeElement?.textContent.trim());
  await page.waitForFunction((t) => document.activeElement?.textContent.trim() === t, id);
  await page.getByRole("link", { name: id }).click();
  await back.waitFor();
  await page.goBack();
  await at("?status=declined&page=2");
  await page.waitForFunction((t) => document.activeElement?.textContent.trim() === t, id);
  assert.equal(await focusedOn(), id);
  // From the plain list, or from a link elsewhere, it is the plain list.
  await go("/transactions");
  await page.locator("main table.data tbody tr").first().getByRole("link").first().click();
  await page.getByRole("link", { name: "← All transactions" }).waitFor();
});

test("Back and Forward go through filter changes", async () => {
  await go("/transactions");
  await control("Status").selectOption("Declined");
  await expectCount(counted(30));
  await control("Currency").selectOption("USD");
  const usd = matching({ status: "declined", currency: "USD" });
  await expectCount(counted(usd));
  await control("Status").selectOption("Approved");
  const approvedUsd = matching({ status: "approved", currency: "USD" });
  await expectCount(counted(approvedUsd));
  assert.equal(search(), "?status=approved&currency=USD");

  await page.goBack();
  await at("?status=declined&currency=USD");
  await expectCount(counted(usd));
  await expectControls({ Status: "declined", Currency: "USD" });
  await page.goBack();
  await at("?status=declined");
  await expectCount(counted(30));
  await expectControls({ Status: "declined", Currency: "" });
  await page.goBack();
  await at("");
  await expectCount(counted(60));
  await expectControls({ Status: "", Currency: "" });
  await page.goForward();
  await at("?status=declined");
  await expectCount(counted(30));
  await expectControls({ Status: "declined", Currency: "" });
  await page.goForward();
  await page.goForward();
  await at("?status=approved&currency=USD");
  await expectCount(counted(approvedUsd));
  await expectControls({ Status: "approved", Currency: "USD" });
});

test("a date typed digit by digit is one history entry; a later change is another", async () => {
  await go("/transactions");
  const from = control("From (UTC)");
  await from.fill("2026-11-05");
  await expectCount(counted(matching({ from: "2026-11-05" })));
  // Its year typed over, a change per digit (each a valid date): 2, 20, 202, 2026 → 2026.
  await from.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.type("2026");
  // Then the day, quickly (it reads as no date while half typed): still the same edit.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.type("08");
  await expectCount(counted(matching({ from: "2026-11-08" })));
  assert.equal(search(), "?from=2026-11-08");
  await page.goBack();
  await at("");
  await expectCount(counted(60));
  assert.equal(await from.inputValue(), "");
  await page.goForward();
  await at("?from=2026-11-08");
  await expectCount(counted(matching({ from: "2026-11-08" })));
  assert.equal(await from.inputValue(), "2026-11-08");

  // A change made a while later is its own entry.
  await page.waitForTimeout(1_600);
  await from.fill("2026-11-10");
  await expectCount(counted(matching({ from: "2026-11-10" })));
  await page.goBack();
  await at("?from=2026-11-08");
  await expectCount(counted(matching({ from: "2026-11-08" })));
  assert.equal(await from.inputValue(), "2026-11-08");
});

test("a search typed with spaces in it is one history entry: Back goes to the list before it", async () => {
  await go("/transactions");
  await expectCount(counted(60));
  const field = page.getByRole("searchbox");
  await field.pressSequentially("holder a-c");
  await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "holder a-c");
  assert.equal(await field.inputValue(), "holder a-c");
  await page.goBack();
  await at("");
  await expectCount(counted(60));
  assert.equal(await field.inputValue(), "");
  // Forward again: the search, and no entry left ahead for the next test's history count.
  await page.goForward();
  await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "holder a-c");
});

test("arrow keys over a closed select's options make one history entry, as a date typed does", async () => {
  await go("/transactions");
  const entries = await page.evaluate(() => history.length);
  const status = control("Status");
  await status.focus();
  // Chromium applies each option an arrow key reaches: Approved, Declined. Error, FlexPay's
  // status 3, is not among them: the sandbox answers every refusal with 2, Declined.
  assert.deepEqual(await status.locator("option").allTextContents(), ["Any", "Approved", "Declined"]);
  for (let i = 0; i < 2; i++) await page.keyboard.press("ArrowDown");
  await at("?status=declined");
  await expectCount(counted(30));
  await page.keyboard.press("ArrowUp");
  await at("?status=approved");
  await expectCount(counted(30));
  await page.keyboard.press("ArrowDown");
  await at("?status=declined");
  assert.equal(await page.evaluate(() => history.length), entries + 1);
  await page.goBack();
  await at("");
  await expectCount(counted(60));
  assert.equal(await status.inputValue(), "");
  // Another select is another entry.
  await page.goForward();
  await at("?status=declined");
  await control("Currency").selectOption("CAD");
  await at("?status=declined&currency=CAD");
  await page.goBack();
  await at("?status=declined");
});

test("the page number is in the address: reload, Back from a transaction, Back after Next page", async () => {
  await page.goto(`${server.url}/dashboard`);
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  await page.getByRole("navigation").getByRole("link", { name: "Transactions", exact: true }).first().click();
  await heading();
  await expectCount(counted(60));
  const next = page.getByRole("button", { name: "Next page" });
  await next.click();
  await expectCount(counted(60, 2));
  assert.equal(search(), "?page=2");
  // Back after Next page: page 1 of the list, not the page before the list.
  await page.goBack();
  await at("");
  await expectCount(counted(60));
  assert.equal(new URL(page.url()).pathname, "/transactions");
  await page.goForward();
  await at("?page=2");
  await expectCount(counted(60, 2));
  await page.reload();
  await heading();
  await expectCount(counted(60, 2));
  assert.equal(await page.locator("nav.pager span").textContent(), "Page 2 of 3");

  // Page 2 → a transaction → Back: page 2 again.
  const link = page.locator("table.data tbody tr").first().getByRole("link");
  const id = (await link.textContent()).trim();
  await link.click();
  await page.getByRole("heading", { name: new RegExp(id), level: 1 }).waitFor();
  await page.goBack();
  await heading();
  await at("?page=2");
  await expectCount(counted(60, 2));
  assert.equal((await page.locator("table.data tbody tr").first().getByRole("link").textContent()).trim(), id);

  // From the keyboard: Next page onto the last page disables it, and the focus goes to
  // Previous page, never to the page's body; Previous onto the first page the other way.
  await next.focus();
  await page.keyboard.press("Enter");
  await expectCount(counted(60, 3));
  assert.equal(search(), "?page=3");
  await page.waitForFunction(() => document.activeElement?.id === "page-previous");
  await page.keyboard.press("Enter");
  await expectCount(counted(60, 2));
  await page.waitForFunction(() => document.activeElement?.id === "page-previous");
  await page.keyboard.press("Enter");
  await expectCount(counted(60));
  assert.equal(search(), "", "page 1 is the default, left out");
  await page.waitForFunction(() => document.activeElement?.id === "page-next");

  // A filter changed on page 2 shows the first page of the new list.
  await page.goto(`${server.url}/transactions?page=2`);
  await expectCount(counted(60, 2));
  await control("Status").selectOption("Approved");
  await expectCount(counted(30));
  assert.equal(search(), "?status=approved");

  // The header switched on page 2: the other list from its first page, no warning about the
  // address; switched back, the first page too.
  await page.goto(`${server.url}/transactions?page=2`);
  await expectCount(counted(60, 2));
  const modes = page.getByRole("banner").getByRole("group", { name: "Environment" });
  await modes.getByRole("button", { name: "Production" }).click();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("page"));
  assert.equal(await dropped().count(), 0);
  await modes.getByRole("button", { name: "Sandbox" }).click();
  await expectCount(counted(60));
  assert.equal(search(), "");
});

test("a filter set back to Any leaves the address, so a reload does not bring it back", async () => {
  await go("/transactions?currency=USD");
  const usd = matching({ currency: "USD" });
  await expectCount(counted(usd));
  assert.equal(await control("Currency").inputValue(), "USD");
  await control("Currency").selectOption({ label: "Any" });
  await expectCount(counted(60));
  assert.equal(search(), "");
  await reloadKeeps({ Currency: "" }, counted(60));
});

test("a currency or gateway without transactions in the address is shown as such, not filtered by unseen", async () => {
  await go("/transactions?currency=EUR");
  await expectCount("No transactions match.");
  const currency = control("Currency");
  assert.equal(await currency.inputValue(), "EUR");
  assert.equal(await currency.evaluate((s) => s.selectedOptions[0].textContent), "EUR (no transactions)");
  assert.equal(await dropped().count(), 0);
  await page.screenshot({ path: screenshotPath("transactions-url-no-eur"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "/transactions?currency=EUR");
  // Any lists them all; the option of the address is gone with it.
  await currency.selectOption("");
  await expectCount(counted(60));
  assert.equal(search(), "");
  assert.deepEqual(await currency.locator("option").allTextContents(), ["Any", "CAD", "USD"]);

  await go("/transactions?gateway=gw_none");
  await expectCount("No transactions match.");
  assert.equal(await control("Gateway").inputValue(), "gw_none");
  assert.equal(await control("Gateway").evaluate((s) => s.selectedOptions[0].textContent), "gw_none (no transactions)");
});

test("values no control offers are left out and named; the list is not filtered by them", async () => {
  await go("/transactions?status=pending&category=nope&company=NOPE&currency=XYZ&from=2026-02-30&page=9");
  await expectCount(counted(60));
  const note = dropped();
  assert.equal(
    await note.textContent(),
    "Not applied from the address, as the list offers no such choice: Status “pending”, Category “nope”, Company “NOPE”, Currency “XYZ”, From (UTC) “2026-02-30”, Page “9”.",
  );
  assert.deepEqual(await controls(["Status", "Category", "Company", "Currency", "From (UTC)"]), {
    Status: "",
    Category: "",
    Company: "",
    Currency: "",
    "From (UTC)": "",
  });
  await page.screenshot({ path: screenshotPath("transactions-url-dropped"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "/transactions with values no control offers");
  // Any change writes what the page shows: the rest is gone from the address, and the note.
  await control("Status").selectOption("Declined");
  await expectCount(counted(30));
  assert.equal(search(), "?status=declined");
  assert.equal(await note.count(), 0);

  // Read without regard to case, shown as the controls write them.
  await go("/transactions?status=DECLINED&currency=cad&company=default");
  await expectCount(counted(matching({ status: "declined", currency: "CAD" })));
  assert.deepEqual(await controls(["Status", "Currency", "Company"]), { Status: "declined", Currency: "CAD", Company: "DEFAULT" });
  assert.equal(await note.count(), 0);

  // A page the list does not have: the first, and said so.
  await go("/transactions?status=declined&page=3");
  await expectCount(counted(30));
  assert.equal(await note.textContent(), "Not applied from the address, as the list offers no such choice: Page “3”.");
  await go("/transactions?status=declined&page=2");
  await expectCount(counted(30, 2));
  assert.equal(await note.count(), 0);
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
