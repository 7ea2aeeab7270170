// What a payment comes to, said alike on every page: one left past its recovery window is no
// longer due and counts as not recovered on the Retry schedule, the Dashboard, Transactions
// and Reports, and a late retry is answered 30100; an approved authorization voided recovered
// nothing anywhere; Send retry says why FlexPay refused it; a gateway left without accepted
// currencies takes its own only. Each test runs in a browser context of its own (its own
// saved state).
import { after, test } from "node:test";
import assert from "node:assert/strict";

import { launch, screenshotPath } from "./support/browser.mjs";
import { createCompany, openPortal, sendFromTerminal } from "./support/portal.mjs";

const { server } = await openPortal();
const browsers = [];
after(() => Promise.all(browsers.map((b) => b.close())));

/** A page of a browser of its own: a fresh profile, so a saved state of its own. */
async function fresh() {
  const browser = await launch();
  browsers.push(browser);
  return browser.newPage();
}

async function go(page, path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

/** Sends the terminal's form and waits for the new response. */
async function send(page, kind, early) {
  await sendFromTerminal(page, kind, { early });
  return {
    code: await page.getByTestId("response-code").textContent(),
    id: await page.getByTestId("response-transaction-id").textContent(),
    text: await page.locator(".response").textContent(),
  };
}

async function terminal(page, { kind = "charge", amount, currency, retryCount, referenceData, gateway, early = false }) {
  await go(page, "/terminal", "Virtual terminal");
  await page.getByLabel("Transaction type").selectOption(kind);
  await page.getByRole("button", { name: /^Visa/ }).click();
  if (currency) await page.getByLabel("Currency", { exact: true }).selectOption(currency);
  if (gateway) await page.getByLabel("Payment gateway").selectOption({ label: gateway });
  await page.getByRole("textbox", { name: /^Amount/ }).fill(amount);
  if (retryCount) await page.getByLabel("Retry count").fill(retryCount);
  if (referenceData) await page.getByLabel("Reference data").fill(referenceData);
  return send(page, kind, early);
}

const kpi = (page, name) => page.locator(`[data-kpi="${name}"]`).first();

/** A report's rows as arrays of cell texts. */
async function reportRows(page, title) {
  const table = page.getByRole("table", { name: title, exact: true });
  if (!(await table.count())) return [];
  return table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
}

async function reportsFrom(page, from) {
  await go(page, "/reports", "Reports");
  await page.getByLabel("From (UTC)").fill(from);
  await page.getByRole("table", { name: "Transactions by currency", exact: true }).waitFor();
}

test("a payment left past its recovery window is no longer due, not recovered on every page, and a late retry gets 30100", async () => {
  const page = await fresh();
  const declined = await terminal(page, { amount: "20.05" });
  assert.equal(declined.code, "20000");
  const reference = await page.getByTestId("response-reference-data").textContent();
  const firstDay = (await page.locator(".clock").textContent()).slice(0, 10);

  await go(page, "/schedule", "Retry schedule");
  const clock = page.getByTestId("sandbox-clock");
  for (let day = 0; day < 35; day++) {
    const before = await clock.textContent();
    await page.getByRole("button", { name: "Advance 1 day" }).click();
    await page.waitForFunction((prev) => document.querySelector('[data-testid="sandbox-clock"]').textContent !== prev, before);
  }
  const schedule = page.getByRole("table", { name: "Scheduled retries" });
  const row = await schedule.locator("tbody tr").first().textContent();
  assert.match(row, /Recovery window closed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: not recovered, no retry is sent/);
  assert.match(row, /None: the window closed/);
  assert.doesNotMatch(row, /Due now/);
  assert.equal(await page.getByRole("button", { name: /^Send retry/ }).count(), 0);
  await page.screenshot({ path: screenshotPath("schedule-window-closed"), fullPage: true });

  // The dashboard's period reaches back 90 days: the payment is there, not in recovery.
  await go(page, "/dashboard", "Dashboard");
  await page.getByLabel("Period").selectOption("90");
  await kpi(page, "in-recovery").waitFor();
  assert.equal(await kpi(page, "in-recovery").textContent(), "0");
  assert.equal(await kpi(page, "recovered-count").textContent(), "0");
  assert.doesNotMatch(await page.locator("main").textContent(), /Due now/);
  await page.screenshot({ path: screenshotPath("dashboard-window-closed"), fullPage: true });

  await go(page, "/transactions", "Transactions");
  await kpi(page, "in-recovery").waitFor();
  assert.equal(await kpi(page, "in-recovery").textContent(), "0 (0.00 USD)");
  assert.equal(await kpi(page, "recovered").textContent(), "0 (0.00 USD)");

  await reportsFrom(page, firstDay);
  const [week] = await reportRows(page, "Recovery by week received");
  const columns = await page
    .getByRole("table", { name: "Recovery by week received", exact: true })
    .locator("thead th")
    .evaluateAll((ths) => ths.map((th) => th.textContent));
  const cell = (name) => week[columns.indexOf(name)];
  assert.equal(cell("In recovery"), "0");
  assert.equal(cell("Unrecoverable"), "1");
  assert.equal(cell("Retried late"), "0", "nothing was sent after its retryDate yet");

  // A retry sent anyway, from the terminal: FlexPay's limit, and the payment's chain ends.
  const late = await terminal(page, { amount: "20.05", retryCount: "2", referenceData: reference });
  assert.equal(late.code, "30100");
  assert.match(late.text, /retry limit reached \(15 retries or 30 days\): the recovery window closed at/);
  await go(page, "/schedule", "Retry schedule");
  await page.getByText("No payment is waiting for a retry.").waitFor();
  await go(page, "/transactions", "Transactions");
  assert.equal(await kpi(page, "recovered").textContent(), "0 (0.00 USD)");
  // Sent weeks after its retryDate: the recovery report counts it as retried late.
  await reportsFrom(page, firstDay);
  const [after] = await reportRows(page, "Recovery by week received");
  assert.equal(after[columns.indexOf("Retried late")], "1");
  assert.equal(after[columns.indexOf("Retried early")], "0");
});

test("an approved authorization voided recovered nothing, on the dashboard, Transactions and every report", async () => {
  const page = await fresh();
  const authorized = await terminal(page, { kind: "authorize", amount: "50.00", currency: "GBP", retryCount: "1" });
  assert.equal(authorized.code, "10000");
  const today = (await page.locator(".clock").textContent()).slice(0, 10);
  await page.getByRole("button", { name: "Void it" }).click();
  const voided = await send(page, "void");
  assert.equal(voided.code, "10000");

  await go(page, "/dashboard", "Dashboard");
  await kpi(page, "recovered-amount").waitFor();
  assert.equal(await kpi(page, "recovered-amount").textContent(), "0.00 GBP");
  assert.equal(await kpi(page, "recovered-count").textContent(), "0");
  assert.equal(await kpi(page, "recovery-rate").textContent(), "0.00 %");
  assert.equal(await kpi(page, "refunded-after").textContent(), "0.00 GBP");
  await page.screenshot({ path: screenshotPath("dashboard-voided-authorization"), fullPage: true });

  await go(page, "/transactions", "Transactions");
  await kpi(page, "recovered").waitFor();
  assert.equal(await kpi(page, "recovered").textContent(), "0 (0.00 GBP)");

  await reportsFrom(page, today);
  const [week] = await reportRows(page, "Recovery by week received");
  assert.ok(week.includes("GBP"), week.join(" | "));
  assert.deepEqual(await reportRows(page, "Invoice reconciliation"), [], "no recovery, no refund of one");
  const [currency] = await reportRows(page, "Transactions by currency");
  assert.equal(currency[0], "GBP");
  assert.equal(currency.at(-1), "0.00", "the void of an authorization gave no money back");
  await page.screenshot({ path: screenshotPath("reports-voided-authorization"), fullPage: true });
});

test("Send retry says why FlexPay refused it, and a gateway without accepted currencies takes its own only", async () => {
  const page = await fresh();
  const declined = await terminal(page, { amount: "20.05" });
  assert.equal(declined.code, "20000");

  // The company's only gateway is Refund Only: the retry has nowhere to go.
  await go(page, "/gateways", "Payment gateways");
  await page.getByLabel("Name", { exact: true }).fill("Refunds");
  await page.getByLabel("Gateway type").selectOption("stripe");
  await page.getByLabel("Processing status").selectOption({ label: "Refund Only" });
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.getByTestId("new-gateway-token").waitFor();

  await go(page, "/schedule", "Retry schedule");
  await page.getByRole("button", { name: "Advance to the next retry" }).click();
  await page.getByRole("status").filter({ hasText: "Clock advanced" }).waitFor();
  await page.getByRole("button", { name: /^Send retry 2 of / }).click();
  const message = page.getByRole("status").filter({ hasText: "Retry sent: 50130" });
  await message.waitFor();
  assert.match(await message.textContent(), /no gateway of this company is Available \(all are RefundOnly or Disabled\)/);
  assert.doesNotMatch(await message.textContent(), /no gateway for this card type/);
  await page.screenshot({ path: screenshotPath("schedule-retry-refused"), fullPage: true });

  // An Enabled USD gateway with the accepted currencies left empty: USD only, as its hint says.
  await go(page, "/gateways", "Payment gateways");
  await page.getByLabel("Name", { exact: true }).fill("Dollars");
  await page.getByLabel("Gateway type").selectOption("stripe");
  await page.getByLabel("Accepted currencies").fill("");
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.getByTestId("new-gateway-token").waitFor();
  const yen = await terminal(page, { amount: "2000", currency: "JPY", gateway: "Dollars — Enabled (stripe)" });
  assert.equal(yen.code, "50147");
  const dollars = await terminal(page, { amount: "20.00", gateway: "Dollars — Enabled (stripe)" });
  assert.equal(dollars.code, "10000");
});

test("the dashboard lists a retry still to send whatever its period, though its payment was first declined before it", async () => {
  const page = await fresh();
  const declined = await terminal(page, { amount: "20.05" });
  assert.equal(declined.code, "20000");
  await go(page, "/schedule", "Retry schedule");
  const clock = page.getByTestId("sandbox-clock");
  for (let day = 0; day < 8; day++) {
    const before = await clock.textContent();
    await page.getByRole("button", { name: "Advance 1 day" }).click();
    await page.waitForFunction((prev) => document.querySelector('[data-testid="sandbox-clock"]').textContent !== prev, before);
  }
  await go(page, "/dashboard", "Dashboard");
  await page.getByLabel("Period").selectOption("7");
  // No figures for the last 7 days: the payment was declined 8 days ago.
  // Said so, with where the payment declined before it counts and its retry to send.
  await page.getByTestId("no-first-decline").getByText("No payment was first declined in this period. The figures count each payment in the period of its first decline: those declined earlier count in a longer period, and their retries still to send are listed below.", { exact: true }).waitFor();
  const upcoming = page.getByRole("table", { name: "Upcoming retries" });
  await upcoming.waitFor();
  const row = await upcoming.locator("tbody tr").first().textContent();
  assert.match(row, /20\.05 USD/);
  assert.match(row, /Due now/);
  assert.match(row, new RegExp(declined.id));
  await page.screenshot({ path: screenshotPath("dashboard-due-before-period"), fullPage: true });
});

test("a deleted company's payment keeps its recovery chain's facts, and says no retry follows", async () => {
  const page = await fresh();
  await createCompany(page, server.url, { name: "Gone Co", code: "GONE1" });
  await page.getByRole("banner").locator("select").selectOption("GONE1");
  // Trigger 2008: declined softly again when retried.
  const first = await terminal(page, { amount: "20.08" });
  assert.equal(first.code, "20003");
  const reference = await page.getByTestId("response-reference-data").textContent();
  // Sent before its retry date: asked about, and sent anyway.
  const retry = await terminal(page, { amount: "20.08", retryCount: "2", referenceData: reference, early: true });
  assert.equal(retry.code, "20003");
  const chained = await page.getByTestId("response-reference-data").textContent();

  await go(page, "/companies", "Companies");
  await page.getByRole("button", { name: "Delete: Gone Co" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete Gone Co" }).click();
  await page.getByRole("status").getByText(/Gone Co \(GONE1\) was deleted/).waitFor();

  await page.goto(`${server.url}/transactions/${retry.id}`);
  const timeline = page.getByRole("list", { name: "Recovery chain" });
  await timeline.waitFor();
  assert.match(await page.locator(".lede").last().textContent(), /^2 attempts; stopped\.$/);
  const attempt = timeline.locator("li").nth(1);
  assert.match(await attempt.textContent(), new RegExp(`Reference data${chained.replace(/[+/=]/g, "\\$&")}`));
  assert.doesNotMatch(await timeline.textContent(), /Reference data—/);
  const retryDate = page.locator("dl.facts div").filter({ has: page.locator("dt", { hasText: /^Retry date$/ }) });
  assert.match(await retryDate.textContent(), / · no retry follows: the payment's recovery ended$/);
});
