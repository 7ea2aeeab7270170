// The clock moves on its own while a page is open: a retry whose date passes is shown due
// (and may be sent) without the user doing anything, on the Retry schedule, the Dashboard and
// the virtual terminal, and the header clock keeps time; a payment whose recovery window
// closes is counted not recovered on the Dashboard and in the Transactions list's figures. The browser's clock is Playwright's,
// started at a fixed instant and moved forward by the test.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { openPortal, ready } from "./support/portal.mjs";

const { server, page } = await openPortal();
await page.clock.install({ time: new Date("2026-11-23T09:00:00Z") });

/** Sends a charge of the soft-decline trigger amount; returns its reference data and retry date (ms). */
async function softDecline() {
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("20.08");
  await page.getByRole("textbox", { name: "Merchant transaction ID" }).fill(`clock-${Math.random().toString(36).slice(2)}`);
  const before = await page.getByTestId("response-transaction-id").count();
  await page.getByRole("button", { name: "Send charge" }).click();
  if (before) {
    await page.getByTestId("response-reference-data").filter({ hasNotText: await page.getByTestId("response-reference-data").textContent() }).waitFor();
  }
  const reference = (await page.getByTestId("response-reference-data").textContent()).trim();
  const shown = (await page.getByTestId("response-retry-date").textContent()).trim();
  // Shown to the second, rounded down: the retry is allowed within the second after.
  const due = Date.parse(shown.replace(" UTC", "Z").replace(" ", "T"));
  assert.ok(Number.isFinite(due), shown);
  return { reference, due };
}

/** Follows the navigation's link to a section and waits for its heading. */
async function go(section) {
  await page.getByRole("navigation").getByRole("link", { name: section, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: section }).waitFor();
}

/** How long until `at` by the page's clock, in ms. */
async function until(at) {
  return at - (await page.evaluate(() => Date.now()));
}

test("a retry becomes due on the Retry schedule and the Dashboard while the page is open", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  const { due } = await softDecline();

  await go("Retry schedule");
  const table = page.getByRole("table", { name: "Scheduled retries" });
  const send = page.getByRole("button", { name: /^Send retry 2 of clock-/ });
  await send.waitFor();
  assert.equal(await send.isDisabled(), true, "not before the retryDate");
  assert.match(await table.textContent(), /Allowed in/);
  const header = page.locator("header .clock");
  const clockBefore = await header.textContent();

  // A minute short of the date: the countdown moved, the retry is still not allowed.
  await page.clock.fastForward(Math.max(0, (await until(due)) - 60_000));
  await table.getByText(/Allowed in (1 min|under 1 min)/).waitFor();
  assert.equal(await send.isDisabled(), true);
  assert.notEqual(await header.textContent(), clockBefore, "the header clock keeps time");

  // Past the date: due now, and it may be sent, with nothing done on the page.
  await page.clock.fastForward((await until(due)) + 1_000);
  await table.getByText("Due now", { exact: true }).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll("button")].some((b) => /^Send retry 2 of clock-/.test(b.getAttribute("aria-label") ?? "") && !b.disabled));
  await page.screenshot({ path: screenshotPath("schedule-due-while-open"), fullPage: true });
  // As the row goes on to say how late the retry is, a focused Send retry keeps the focus.
  await send.focus();
  await page.clock.fastForward(120_000);
  await table.getByText(/^Due now, \d+ min late$/).waitFor();
  assert.equal(await send.evaluate((button) => button === document.activeElement), true, "Send retry keeps the focus");

  await go("Dashboard");
  const upcoming = page.getByRole("table").filter({ hasText: "Retry count" });
  // Said beside the date it is about, in the Due column, late by as much as the schedule says.
  assert.match(await upcoming.locator("tbody tr").first().locator("td").first().textContent(), /UTC\s*Due now, \d+ min late$/);

  await go("Retry schedule");
  await send.click();
  await page.getByRole("status").filter({ hasText: "Retry sent: 20003" }).waitFor();
});

test("the Dashboard marks an upcoming retry due when its date passes", async () => {
  await go("Virtual terminal");
  const { due } = await softDecline();
  await go("Dashboard");
  const upcoming = page.getByRole("table").filter({ hasText: "Retry count" });
  const row = upcoming.locator("tbody tr").filter({ hasNotText: "Due now" }).first();
  await row.waitFor();
  const pending = await upcoming.locator("tbody tr").filter({ hasNotText: "Due now" }).count();
  await page.clock.fastForward((await until(due)) + 1_000);
  await page.waitForFunction(
    (n) => [...document.querySelectorAll("table tbody tr")].filter((tr) => /Merchant CRM/.test(tr.textContent) && !/Due now/.test(tr.textContent)).length < n,
    pending,
  );
});

test("the virtual terminal's early-retry warning goes when the retry date passes", async () => {
  await go("Virtual terminal");
  const { reference, due } = await softDecline();
  await page.getByRole("textbox", { name: "Retry count" }).fill("2");
  await page.getByRole("textbox", { name: "Reference data" }).fill(reference);
  const warning = page.getByTestId("early-retry");
  await warning.waitFor();
  assert.match(await page.locator("#vt-submit-state").textContent(), /^Early:/);

  await page.clock.fastForward((await until(due)) + 1_000);
  await warning.waitFor({ state: "detached" });
  assert.equal((await page.locator("#vt-submit-state").textContent()).trim(), "Ready to send.");
});

test("a recovery window closing while the page is open ends the payment's recovery on the Dashboard and in Transactions", async () => {
  await go("Companies");
  await page.getByLabel("Recovery window in days (1–30)").fill("1");
  await page.getByRole("button", { name: "Save limits" }).click();
  await page.getByText(/^Saved: a payment is retried at most 15 times within 1 day/).waitFor();
  await go("Virtual terminal");
  await softDecline();

  await go("Dashboard");
  const inRecovery = page.locator('[data-kpi="in-recovery"]').first();
  await inRecovery.waitFor();
  assert.ok(Number(await inRecovery.textContent()) >= 1, await inRecovery.textContent());
  const upcoming = page.getByRole("table").filter({ hasText: "Retry count" });
  assert.ok((await upcoming.locator("tbody tr").count()) >= 1);
  // A day and a minute on, with nothing done on the page: every window of the company closed.
  await page.clock.fastForward(86_400_000 + 60_000);
  await page.waitForFunction(() => document.querySelector('[data-kpi="in-recovery"]')?.textContent === "0");
  assert.equal(await upcoming.count(), 0, "no retry is upcoming any more");
  assert.doesNotMatch(await page.locator("main").textContent(), /Due now/);

  await go("Virtual terminal");
  await softDecline();
  await go("Transactions");
  const listed = page.locator('[data-kpi="in-recovery"]').first();
  await listed.waitFor();
  assert.equal(await listed.textContent(), "1 (20.08 USD)");
  await page.clock.fastForward(86_400_000 + 60_000);
  await page.waitForFunction(() => document.querySelector('[data-kpi="in-recovery"]')?.textContent === "0 (0.00 USD)");
});

test("FlexPay Retries sends a scheduled retry at its date while the page is open, with nothing done on it", async () => {
  await page.goto(`${server.url}/integrations/flexpay-retries`);
  await ready(page);
  const main = page.locator("main");
  await main.getByLabel("Name").fill("Clock scheduler");
  await main.getByLabel("Environment").selectOption("Sandbox");
  await main.getByLabel("Status").selectOption("Enabled");
  await page.getByRole("button", { name: "Add auto-retry" }).click();
  await page.getByRole("status").getByText(/"Clock scheduler" added/).waitFor();

  await go("Virtual terminal");
  const { due } = await softDecline();
  await go("Transactions");
  const count = page.getByTestId("transaction-count");
  await count.waitFor();
  const listed = async () => Number((await count.textContent()).match(/(\d+) transactions?$/)[1]);
  const before = await listed();
  const top = page.locator("main table.data tbody tr").first();
  const cells = async () => (await top.locator("td").allTextContents()).map((t) => t.trim());
  const [, declinedAt] = await cells();

  // A second past its date, the focused tab sends it, dated at its retryDate.
  await page.clock.fastForward((await until(due)) + 1_000);
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="transaction-count"]')?.textContent.match(/(\d+) transactions?$/)?.[1]) === n + 1,
    before,
  );
  const [, at, type, , , amount, retryCount] = await cells();
  assert.equal(at, `${new Date(due).toISOString().slice(0, 19).replace("T", " ")} UTC`, `sent at its retryDate, not at ${declinedAt}`);
  assert.deepEqual([type, amount, retryCount], ["Charge", "20.08 USD", "2"]);
  // Nothing more is sent in the seconds after.
  await page.clock.fastForward(5_000);
  assert.equal(await listed(), before + 1);
});
