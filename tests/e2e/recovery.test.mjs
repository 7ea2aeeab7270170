// A payment's recovery across the portal's sections, in a real Chromium: a soft decline sent
// from the virtual terminal shows on the dashboard, waits on the retry schedule until its
// retryDate (never earlier), is retried, and its chain reads as a timeline. Data of the
// Sandbox never shows in Production. A full storage quota is reported and nothing is lost.
import { test } from "node:test";
import assert from "node:assert/strict";

import { launch, screenshotPath } from "./support/browser.mjs";
import { download, expectNoSeriousAxeViolations, openPortal } from "./support/portal.mjs";

const { server, browser, page } = await openPortal();

async function go(path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

const kpi = (name) => page.locator(`[data-kpi="${name}"]`).first();

test("a soft decline from the virtual terminal", async () => {
  await go("/terminal", "Virtual terminal");
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("button", { name: /^20\.08 USD 20003/ }).click();
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByTestId("response-code").waitFor();
  assert.equal(await page.getByTestId("response-code").textContent(), "20003");
});

test("the dashboard counts it in recovery and lists its upcoming retry", async () => {
  await go("/dashboard", "Dashboard");
  await kpi("in-recovery").waitFor();
  assert.equal(await kpi("in-recovery").textContent(), "1");
  assert.equal(await kpi("recovered-count").textContent(), "0");
  assert.equal(await kpi("recovery-rate").textContent(), "0.00 %");
  // In recovery and no recovery finished yet: nothing to base a forecast on.
  assert.equal(await kpi("forecast").textContent(), "not yet");
  const upcoming = page.getByRole("table").filter({ hasText: "Retry count" });
  assert.equal(await upcoming.locator("tbody tr").count(), 1);
  assert.match(await upcoming.locator("tbody tr").first().textContent(), /Merchant CRM/);
  assert.doesNotMatch(await upcoming.textContent(), /Due now/, "not due before its retryDate");
  const chart = page.getByRole("img", { name: /Attempts and recoveries per day/ });
  assert.match(await chart.getAttribute("aria-label"), /1 attempt, 0 recoveries/);
  // The period ends today (the sandbox clock's date), and the axis names that last day.
  const today = (await page.locator(".clock").textContent()).slice(0, 10);
  assert.match(await chart.getAttribute("aria-label"), new RegExp(` to ${today}: `));
  assert.equal(await chart.locator("text.axis-label").last().textContent(), today);
  // The days' figures are a table too, reached by the keyboard: the bars' tooltips are not.
  const days = page.getByRole("table", { name: "Attempts and recoveries per day" });
  assert.equal(await days.isVisible(), false, "folded until asked for");
  await page.getByText("The figures per day").focus();
  await page.keyboard.press("Enter");
  await days.waitFor();
  const rows = await days.locator("tbody tr").allTextContents();
  assert.equal(rows.length, 1, "only the days with attempts");
  assert.match(rows[0], /^\d{4}-\d{2}-\d{2}10$/);
  await page.screenshot({ path: screenshotPath("dashboard"), fullPage: true });
});

test("the dashboard's period is kept in the address: a reload, Back and Forward and a link open the same period", async () => {
  await go("/dashboard", "Dashboard");
  const period = page.getByLabel("Period");
  const today = (await page.locator(".clock").textContent()).slice(0, 10);
  const daysBefore = (n) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  // The period chosen and the days the chart counts: the last `days` days up to today.
  const shows = async (days) => {
    const label = `Attempts and recoveries per day from ${daysBefore(days - 1)} to ${today}: `;
    await page.getByRole("img", { name: label }).waitFor();
    assert.equal(await period.inputValue(), String(days));
  };
  await shows(30);
  await period.selectOption("7");
  await page.waitForURL(/\/dashboard\?days=7$/);
  await shows(7);
  await page.reload();
  await shows(7);
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Transactions" }).click();
  await page.waitForURL(/\/transactions$/);
  await page.goBack();
  await page.waitForURL(/\/dashboard\?days=7$/);
  await shows(7);
  await page.goForward();
  await page.waitForURL(/\/transactions$/);
  // A link opens its period; the Dashboard's own link, the default, which the address leaves out.
  await page.goto(`${server.url}/dashboard?days=90`);
  await shows(90);
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Dashboard" }).click();
  await page.waitForURL(/\/dashboard$/);
  await shows(30);
  await period.selectOption("90");
  await page.waitForURL(/\/dashboard\?days=90$/);
  await period.selectOption("30");
  await page.waitForURL(/\/dashboard$/);
  await shows(30);
  // A period the address holds that is not one offered is said, and the default is used instead.
  await page.goto(`${server.url}/dashboard?days=45`);
  await page.getByTestId("period-dropped").getByText("Not applied from the address, as it is not one of the periods offered: Period “45”.").waitFor();
  await shows(30);
  await page.screenshot({ path: screenshotPath("dashboard-period-dropped"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "/dashboard with a period not applied");
  await period.selectOption("7");
  await page.waitForURL(/\/dashboard\?days=7$/);
  await page.getByTestId("period-dropped").waitFor({ state: "detached" });
  await shows(7);
});

test("the retry schedule refuses the retry before its date and sends it at the date", async () => {
  await go("/schedule", "Retry schedule");
  const send = page.getByRole("button", { name: /^Send retry 2 of / });
  await send.waitFor();
  assert.equal(await send.isDisabled(), true, "not before the retryDate");
  assert.match(await page.getByRole("table", { name: "Scheduled retries" }).textContent(), /Allowed in/);
  const clockBefore = await page.getByTestId("sandbox-clock").textContent();

  await page.getByRole("button", { name: "Advance to the next retry" }).click();
  await page.getByRole("status").filter({ hasText: "Clock advanced" }).waitFor();
  assert.notEqual(await page.getByTestId("sandbox-clock").textContent(), clockBefore);
  // The message names the time reached: each advance is news to a screen reader.
  const reached = (await page.getByRole("status").filter({ hasText: "Clock advanced" }).textContent()).match(/Clock advanced to (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC)\./);
  assert.ok(reached, "the time reached is in the message");
  assert.match(await page.getByTestId("sandbox-clock").textContent(), new RegExp(reached[1].slice(0, 16)));
  assert.match(await page.getByRole("table", { name: "Scheduled retries" }).textContent(), /Due now/);
  assert.equal(await send.isEnabled(), true);
  await page.screenshot({ path: screenshotPath("schedule"), fullPage: true });
  // The dashboard says the same of it.
  await go("/dashboard", "Dashboard");
  const upcoming = page.getByRole("table").filter({ hasText: "Retry count" });
  // Beside its date: the Due column, then the retry count, amount and who sends it.
  assert.match(await upcoming.locator("tbody tr").first().textContent(), /UTCDue now2[\d.]+ USDMerchant CRM/);
  await go("/schedule", "Retry schedule");

  await send.click();
  await page.getByRole("status").filter({ hasText: "Retry sent: 20003" }).waitFor();
  // Trigger amount 2008 declines softly again: a new retry is scheduled, with retry count 3 next.
  await page.getByRole("button", { name: /^Send retry 3 of / }).waitFor();
});

test("the simulated clock survives a reload", async () => {
  await page.reload();
  await page.getByRole("heading", { name: "Retry schedule", level: 1 }).waitFor();
  assert.match(await page.locator(".clock").textContent(), /\(simulated\)/);
});

test("undoing the advances never dates new transactions before the latest one", async () => {
  await go("/schedule", "Retry schedule");
  // The retry was sent a day ahead of real time: the clock cannot go back before it.
  await page.getByRole("button", { name: "Undo the advances" }).click();
  const banner = page.getByRole("status").filter({ hasText: "The advances are undone, but the clock runs on from" });
  await banner.waitFor();
  const clock = await page.getByTestId("sandbox-clock").textContent();
  assert.ok(clock > new Date().toISOString().replace("T", " ").slice(0, 19), `${clock} is ahead of real time`);
  assert.match(await page.locator(".clock").textContent(), /\(simulated\)/);
  // The next retry is a day after the latest attempt: the clock advances to it.
  await page.getByRole("button", { name: "Advance to the next retry" }).click();
  await page.getByRole("status").filter({ hasText: "Clock advanced" }).waitFor();
  assert.equal(await page.getByRole("button", { name: /^Send retry 3 of / }).isEnabled(), true);
});

test("transactions are listed, filtered and open on the chain's timeline", async () => {
  await go("/transactions", "Transactions");
  const count = page.getByTestId("transaction-count");
  assert.equal(await count.textContent(), "2 transactions");
  const exportCsv = page.getByRole("button", { name: "Export CSV of every transaction that matches" });
  await page.getByLabel("Category").selectOption("approved");
  assert.equal(await count.textContent(), "No transactions match.");
  assert.ok(await exportCsv.isDisabled(), "nothing to export");
  await page.getByLabel("Category").selectOption("softDecline");
  assert.equal(await count.textContent(), "2 transactions");
  await page.screenshot({ path: screenshotPath("transactions"), fullPage: true });

  // The export holds the listed transactions, newest first, with what chains a retry.
  const file = await download(page, () => exportCsv.click());
  // Named after whose and which mode's transactions it holds, as the reports are.
  assert.match(file.name, /^flexpay-transactions-default-company-sandbox-\d{4}-\d{2}-\d{2}\.csv$/);
  const [head, ...lines] = file.text.trimEnd().split("\r\n");
  assert.match(head, /^Transaction ID,Date,Type,Status,Response code,Category,Amount,Currency,Retry count,Retry date,Reference data,/);
  assert.equal(lines.length, 2);
  const ids = await page.locator("table.data tbody tr td:first-child").allTextContents();
  assert.deepEqual(lines.map((l) => l.split(",")[0]), ids.map((id) => id.trim()));
  for (const [i, retryCount] of [[0, "2"], [1, "1"]]) {
    const cells = lines[i].split(",");
    assert.deepEqual(cells.slice(2, 9), ["Charge", "Declined", "20003", "Soft decline", "20.08", "USD", retryCount]);
    assert.match(cells[10], /\S/, "reference data to chain the next attempt");
  }

  // Newest first: the retry.
  await page.locator("table.data tbody tr").first().getByRole("link").click();
  await page.getByRole("heading", { name: "Recovery chain" }).waitFor();
  const timeline = page.getByRole("list", { name: "Recovery chain" });
  const items = timeline.locator("li");
  assert.equal(await items.count(), 2);
  assert.match(await items.nth(0).textContent(), /Attempt 1.*Retry count1/s);
  assert.match(await items.nth(1).textContent(), /Attempt 2.*Retry count2/s);
  assert.match(await items.nth(1).textContent(), /20003 Soft decline/);
  // The retry it waits for is the merchant's to send, as the schedule and the dashboard say.
  const retryDate = page.locator("dl.facts div").filter({ has: page.locator("dt", { hasText: /^Retry date$/ }) }).locator("dd");
  assert.match(await retryDate.textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · the merchant's CRM sends it$/);
  await page.screenshot({ path: screenshotPath("transaction-detail"), fullPage: true });
  // An earlier attempt's retry date was used: nobody is named.
  await items.nth(0).getByRole("link").click();
  await page.getByRole("heading", { name: /^Charge / }).waitFor();
  assert.match(await retryDate.textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
});

test("a period that starts after it ends says so", async () => {
  await go("/transactions?from=2026-12-01&to=2026-11-01", "Transactions");
  await page.getByTestId("transaction-count").filter({ hasText: "the period starts after it ends; swap the dates" }).waitFor();
  // Both date fields are marked, and name the count as their description.
  for (const label of ["From (UTC)", "To (UTC)"]) {
    const field = page.getByLabel(label, { exact: true });
    assert.equal(await field.getAttribute("aria-invalid"), "true");
    assert.equal(await field.getAttribute("aria-describedby"), "transaction-count");
  }
});

test("Production shows none of the Sandbox's data, and switching back brings it back", async () => {
  await go("/transactions", "Transactions");
  await page.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Production" }).click();
  await page.getByTestId("transaction-count").filter({ hasText: "No transactions of Default Company in Production mode yet." }).waitFor();
  await go("/dashboard", "Dashboard");
  await page.getByText("No declined payments in this period yet").waitFor();
  await page.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Sandbox" }).click();
  await kpi("in-recovery").waitFor();
});

test("a full storage quota is reported and the change is kept in memory", async () => {
  const own = await launch();
  try {
    const p = await own.newPage();
    await p.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        if (globalThis.__failWrites) throw new DOMException("quota exceeded in test", "QuotaExceededError");
        return put.apply(this, args);
      };
    });
    await p.goto(`${server.url}/dashboard`);
    await p.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await p.evaluate(() => {
      globalThis.__failWrites = true;
    });
    await p.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Production" }).click();
    const banner = p.getByRole("alert").filter({ hasText: "storage is full" });
    await banner.waitFor();
    assert.match(await banner.textContent(), /kept in this tab only/);
    await banner.getByRole("button", { name: "Export the state to a file" }).waitFor();
    assert.equal(
      await p.getByRole("button", { name: "Production" }).getAttribute("aria-pressed"),
      "true",
      "the change stays in memory",
    );
  } finally {
    await own.close();
  }
});

test("a saved state that cannot be read at start-up is never saved over", async () => {
  const own = await launch();
  try {
    const p = await own.newPage();
    await p.addInitScript(() => {
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (...args) {
        if (sessionStorage.getItem("failOpen") === "1") {
          throw new DOMException("Internal error opening backing store", "UnknownError");
        }
        return open.apply(this, args);
      };
    });
    const production = () => p.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Production" });
    const sandbox = () => p.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Sandbox" });
    await p.goto(`${server.url}/dashboard`);
    await p.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await production().click();
    await p.locator(".save-ok").waitFor();

    // The storage fails once, at start-up: the tab runs, says so, and saves nothing.
    await p.evaluate(() => sessionStorage.setItem("failOpen", "1"));
    await p.reload();
    const banner = p.getByRole("alert").filter({ hasText: "could not be read" });
    await banner.waitFor();
    assert.match(await banner.textContent(), /saves nothing and what is stored stays as it was/);
    await p.evaluate(() => sessionStorage.removeItem("failOpen"));
    await sandbox().click();
    assert.equal(await sandbox().getAttribute("aria-pressed"), "true");
    await banner.waitFor();

    // Read again, the stored state is the one saved before: Production.
    await p.reload();
    await p.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await p.locator(".save-ok").waitFor();
    assert.equal(await production().getAttribute("aria-pressed"), "true", "nothing was saved over it");
  } finally {
    await own.close();
  }
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
