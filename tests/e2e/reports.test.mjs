// Reports in a real Chromium: empty before any payment; after the certification run, recovery
// by week received, invoice reconciliation and the transaction breakdowns agree with each
// other and with the Transactions page (its list and the figures above it); each exports as
// CSV with the cells shown; the period, the company and the mode scope them; a period that
// ends before it starts is refused in words.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { download, expectNoSeriousAxeViolations, openPortal, ready, runCertification } from "./support/portal.mjs";

const { server, browser, page } = await openPortal();

const REPORTS = ["recovery", "reconciliation", "types", "gateways", "codes", "currencies"];

const report = (id) => page.locator(`section[data-report="${id}"]`);

/** The cells of a report's body rows, as text. */
async function rows(id) {
  return report(id)
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
}

/** The column of `name` in a report, as numbers (`20.00` → 20, `33.33 %` → 33.33). */
async function column(id, name) {
  const names = await report(id).locator("thead th").allTextContents();
  const at = names.indexOf(name);
  assert.notEqual(at, -1, `${id} has a column ${name}`);
  return (await rows(id)).map((cells) => Number.parseFloat(cells[at]));
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const cents = (x) => Math.round(x * 100);

async function setDate(label, value) {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.dispatchEvent("change");
}

test("before any payment every report says so, and nothing can be exported", async () => {
  await page.goto(`${server.url}/reports`);
  await ready(page);
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
  for (const id of REPORTS) {
    await report(id).getByText("Nothing in this period.").waitFor();
    assert.ok(await report(id).getByRole("button", { name: /^Export CSV of / }).isDisabled(), id);
  }
  await expectNoSeriousAxeViolations(page, "/reports (empty)");
});

test("after the certification run the reports agree with each other and with the transactions", async () => {
  await runCertification(page, server.url);
  await page.getByRole("link", { name: "Reports" }).click();
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
  // The scenarios move the sandbox's clock forward: take every day up to the end of 2099.
  await setDate("To (UTC)", "2099-12-31");
  await report("types").locator("tbody tr").first().waitFor();

  // Every breakdown counts the same transactions.
  const total = sum(await column("types", "Transactions"));
  assert.ok(total > 0);
  assert.equal(sum(await column("gateways", "Transactions")), total);
  assert.equal(sum(await column("codes", "Transactions")), total);
  assert.equal(sum(await column("currencies", "Transactions")), total);
  for (const id of ["types", "gateways"]) {
    const [all, approved, declined] = await Promise.all(
      ["Transactions", "Approved", "Declined"].map((name) => column(id, name)),
    );
    all.forEach((n, i) => assert.equal(approved[i] + declined[i], n, `${id} row ${i}`));
  }
  const types = (await rows("types")).map((cells) => cells[0]);
  assert.ok(types.includes("Charge") && types.includes("Refund"), types.join());

  // Every recovery is billed once; the net is the gross less the refunds.
  const recovered = sum(await column("recovery", "Recovered"));
  assert.ok(recovered > 0, "the scenarios recover declines");
  assert.equal(sum(await column("reconciliation", "Recovered payments")), recovered);
  assert.equal(
    cents(sum(await column("reconciliation", "Gross recovery"))),
    cents(sum(await column("recovery", "Recovered amount"))),
  );
  const [gross, refunded, net] = await Promise.all(
    ["Gross recovery", "Refunded amount", "Net recovery"].map((name) => column("reconciliation", name)),
  );
  net.forEach((n, i) => assert.equal(cents(n), cents(gross[i]) - cents(refunded[i]), `week ${i}`));
  // The forecast adds to what was recovered and is empty only while declines are in recovery.
  const [recoveredAmount, forecast, inRecovery] = await Promise.all(
    ["Recovered amount", "Forecast amount", "In recovery"].map((name) => column("recovery", name)),
  );
  forecast.forEach((f, i) => {
    if (Number.isNaN(f)) assert.ok(inRecovery[i] > 0, `week ${i}: no forecast with nothing in recovery`);
    else assert.ok(cents(f) >= cents(recoveredAmount[i]), `week ${i}: forecast ${f} < recovered ${recoveredAmount[i]}`);
    if (inRecovery[i] === 0) assert.equal(cents(f), cents(recoveredAmount[i]), `week ${i}: nothing left to forecast`);
  });
  for (const week of (await rows("recovery")).map((cells) => cells[0])) {
    assert.equal(new Date(`${week}T00:00:00Z`).getUTCDay(), 0, `${week} is a Sunday`);
  }

  await page.screenshot({ path: screenshotPath("reports"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "/reports (certification run)");

  // A gateway's transactions are the ones the Transactions page lists for it.
  const [name, token, count] = (await rows("gateways")).find((cells) => cells[1] && !cells[1].startsWith("FLEXPAY"));
  await page.getByRole("link", { name: "Transactions", exact: true }).click();
  await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
  await page.getByLabel("Gateway").selectOption(token);
  await page.getByTestId("transaction-count").getByText(new RegExp(`(^| of )${count} transactions?$`)).waitFor();
  assert.ok(name);
});

test("the Transactions page sums up the list it shows per currency, as the reports count it", async () => {
  await page.goto(`${server.url}/reports`);
  await ready(page);
  await setDate("From (UTC)", "2000-01-01");
  await setDate("To (UTC)", "2099-12-31");
  await report("currencies").locator("tbody tr").first().waitFor();
  const [, listedUsd, approved, , reversed] = (await rows("currencies")).find((cells) => cells[0] === "USD");
  // Every transaction of the run is in USD: the types report's declines are all of them.
  const declined = sum((await rows("types")).map((cells) => Number(cells[3])));
  const weeks = (await rows("recovery")).filter((cells) => cells[1] === "USD");
  const total = (at) => sum(weeks.map((cells) => Number.parseFloat(cells[at])));
  const money = (x) => `${(cents(x) / 100).toFixed(2)} USD`;
  // Columns: Recovered 4, Recovered amount 5, In recovery 9; the amount in recovery is not
  // a column, so only the count is compared.
  const [recovered, recoveredAmount, inRecovery] = [total(4), total(5), total(9)];
  assert.ok(recovered > 0 && inRecovery > 0, "the run recovers declines and leaves one in recovery");

  await page.goto(`${server.url}/transactions`);
  await ready(page);
  const card = page.getByRole("article", { name: "Transactions in USD" });
  const figure = (kpi) => card.locator(`[data-kpi="${kpi}"]`).textContent();
  assert.equal(await figure("approved"), `${approved} USD`);
  // Money given back and the declined share, as the currency and type reports count them.
  assert.match(await figure("refunded"), new RegExp(`^\\d+ \\(${reversed} USD\\)$`));
  assert.notEqual(reversed, "0.00", "the run refunds a recovered payment");
  const share = ((declined / Number(listedUsd)) * 100).toFixed(2);
  assert.equal(await figure("declined"), `${declined} (${share} %)`);
  assert.equal(await figure("recovered"), `${recovered} (${money(recoveredAmount)})`);
  assert.match(await figure("in-recovery"), new RegExp(`^${inRecovery} \\(\\d+\\.\\d{2} USD\\)$`));
  // The count is the list's; a filter changes the figures with the list.
  const count = page.getByTestId("transaction-count");
  const listed = async () => Number((await count.textContent()).match(/(\d+) transactions?$/)[1]);
  await page.getByLabel("Currency").selectOption("USD");
  assert.equal(Number(await figure("transactions")), await listed());
  await page.getByLabel("Status").selectOption("Declined");
  await count.getByText(/\d+ transactions?$/).waitFor();
  await page.waitForFunction(
    (n) => document.querySelector('[data-kpi="transactions"]')?.textContent === String(n),
    await listed(),
  );
  assert.equal(await figure("approved"), "0.00 USD", "declined payments took nothing");
  await page.screenshot({ path: screenshotPath("transactions-kpis"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "/transactions (declined, with figures)");
});

/** The rows of a CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const lines = [];
  let cells = [];
  let cell = "";
  for (let i = 0, quoted = false; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") cells.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") cells.push(cell), lines.push(cells), (cells = []), (cell = ""), i++;
    else cell += c;
  }
  return lines;
}

test("the Transactions list filters by type as the report counts them, and finds a payment by its order or customer ID", async () => {
  await page.goto(`${server.url}/reports`);
  await ready(page);
  await setDate("From (UTC)", "2000-01-01");
  await setDate("To (UTC)", "2099-12-31");
  await report("types").locator("tbody tr").first().waitFor();
  const types = await rows("types");
  assert.ok(types.length >= 2, types.join(" | "));

  await page.goto(`${server.url}/transactions`);
  await ready(page);
  const count = page.getByTestId("transaction-count");
  const listed = async () => {
    const text = await count.textContent();
    return text === "No transactions match." ? 0 : Number(text.match(/(\d+) transactions?$/)[1]);
  };
  const countText = (n) =>
    n === 0 ? "No transactions match." : n <= 25 ? `${n} transaction${n === 1 ? "" : "s"}` : `1–25 of ${n} transactions`;
  // Sets a filter and waits for the list to count `n`.
  const expectAfter = async (label, value, n, what) => {
    await page.getByLabel(label, { exact: true }).selectOption(value);
    await count.getByText(countText(n), { exact: true }).waitFor({ timeout: 5_000 }).catch(async () => {
      assert.fail(`${what}: ${await count.textContent()}, not ${countText(n)}`);
    });
  };
  for (const [type, all, approved, declined] of types) {
    await expectAfter("Type", type, Number(all), type);
    const shown = await page.locator("main table.data tbody tr td:nth-child(3)").allTextContents();
    assert.ok(shown.length > 0 && shown.every((t) => t === type), `${type}: ${shown.join()}`);
    await expectAfter("Status", "approved", Number(approved), `${type} approved`);
    // The report counts every answer but approval as declined, as the list's Declined does.
    await expectAfter("Status", "declined", Number(declined), `${type} declined`);
    await page.getByLabel("Status", { exact: true }).selectOption("");
  }
  assert.equal(new URL(page.url()).search, `?type=${types.at(-1)[0]}`);
  await page.reload();
  await ready(page);
  assert.equal(await page.getByLabel("Type", { exact: true }).inputValue(), types.at(-1)[0]);
  await page.getByLabel("Type", { exact: true }).selectOption("");

  // The CSV names each transaction's order, customer, card holder and email; the search finds
  // them by any (and by the transaction's IDs).
  await count.getByText(/\d+ transactions?$/).waitFor();
  const file = await download(page, () => page.getByRole("button", { name: /^Export CSV/ }).click());
  const [head, ...lines] = parseCsv(file.text);
  assert.equal(lines.length, await listed());
  const column = (name) => head.indexOf(name);
  const ids = ["Transaction ID", "Merchant transaction ID", "Order ID", "Customer ID", "Card holder", "Email"].map(column);
  assert.ok(ids.every((at) => at >= 0), head.join());
  const search = page.getByRole("searchbox", { name: "Search IDs, card holder or email" });
  for (const name of ["Order ID", "Customer ID", "Card holder", "Email"]) {
    const value = lines.map((cells) => cells[column(name)]).find(Boolean);
    assert.ok(value, `some transaction has an ${name}`);
    const q = value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase();
    await search.fill(q);
    const expected = lines.filter((cells) => ids.some((at) => cells[at].toLowerCase().includes(value.toLowerCase()))).length;
    await page.waitForFunction((v) => new URLSearchParams(location.search).get("q") === v, q);
    assert.equal(await listed(), expected, `${name} ${q}`);
    assert.ok(expected >= 1);
    if (name === "Card holder" || name === "Email") {
      // Each row shows its card holder and email under its card.
      const shown = await page.getByRole("table", { name: "Transactions" }).locator("tbody .who").allTextContents();
      assert.ok(shown.includes(value), `${value} in ${shown}`);
    }
  }
  await search.fill("");
});

test("each report exports the cells it shows as CSV", async () => {
  await page.goto(`${server.url}/reports`);
  await ready(page);
  await setDate("From (UTC)", "2000-01-01");
  await setDate("To (UTC)", "2099-12-31");
  await report("gateways").locator("tbody tr").first().waitFor();
  for (const id of ["reconciliation", "gateways", "codes"]) {
    const file = await download(page, () =>
      report(id).getByRole("button", { name: /^Export CSV of / }).click(),
    );
    assert.equal(file.name, `flexpay-${id}-default-company-sandbox-2000-01-01-2099-12-31.csv`);
    const head = await report(id).locator("thead th").allTextContents();
    const lines = file.text.split("\r\n");
    assert.equal(lines.pop(), "", "CRLF after the last line");
    const quote = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
    // A rate shown "66.67 %" is the number 66.67 in the file, under "Approval rate (%)".
    const rate = head.map((name) => / rate$/.test(name));
    const csvHead = head.map((name, i) => (rate[i] ? `${name} (%)` : name));
    const csvRows = (await rows(id)).map((cells) =>
      cells.map((cell, i) => (rate[i] ? cell.replace(/ %$/, "") : cell)),
    );
    assert.deepEqual(lines, [csvHead, ...csvRows].map((cells) => cells.map(quote).join(",")));
    if (id === "gateways") {
      assert.ok(csvHead.includes("Approval rate (%)"), csvHead.join());
      const at = csvHead.indexOf("Approval rate (%)");
      assert.ok(csvRows.every((cells) => /^\d+\.\d\d$/.test(cells[at])), lines.join("\n"));
    }
  }
});

test("a week or a gateway opens the Transactions page filtered to it, and the filter survives a reload", async () => {
  await page.goto(`${server.url}/reports`);
  await ready(page);
  // A date field reached by Tab shows the focus ring, as every other control does.
  await page.getByLabel("From (UTC)", { exact: true }).focus();
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).boxShadow), "none");
  await setDate("To (UTC)", "2099-12-31");
  const week = report("reconciliation").locator("tbody tr").first();
  await week.waitFor();
  const [start, currency, recovered] = await week.locator("td").allTextContents();
  await week.getByRole("link", { name: start }).click();
  await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
  const end = new Date(Date.parse(`${start}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
  assert.equal(new URL(page.url()).search, `?from=${start}&to=${end}&currency=${currency}`);
  assert.equal(await page.getByLabel("From (UTC)").inputValue(), start);
  assert.equal(await page.getByLabel("To (UTC)").inputValue(), end);
  assert.equal(await page.getByLabel("Currency").inputValue(), currency);
  const count = page.getByTestId("transaction-count");
  await count.getByText(/\d+ transactions?$/).waitFor();
  const listed = Number((await count.textContent()).match(/(\d+) transactions?$/)[1]);
  assert.ok(listed >= Number(recovered), `${listed} transactions in the week, ${recovered} of them recoveries`);
  const dates = await page.locator("table.data tbody tr td:nth-child(2)").allTextContents();
  for (const date of dates) assert.ok(date.slice(0, 10) >= start && date.slice(0, 10) <= end, date);
  await page.reload();
  await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
  assert.equal(await page.getByLabel("Currency").inputValue(), currency);
  await count.getByText(new RegExp(`(^| of )${listed} transactions?$`)).waitFor();

  await page.goBack();
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
  await setDate("To (UTC)", "2099-12-31");
  const gateway = report("gateways").locator("tbody tr").filter({ hasText: "Integration Point" });
  const [name, token, total] = await gateway.locator("td").allTextContents();
  const from = await page.getByLabel("From (UTC)").inputValue();
  await gateway.getByRole("link", { name }).click();
  await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
  assert.equal(await page.getByLabel("Gateway").inputValue(), token);
  // The report's period goes along: the list counts what the row counted.
  assert.equal(new URL(page.url()).search, `?gateway=${token}&from=${from}&to=2099-12-31`);
  await count.getByText(new RegExp(`(^| of )${total} transactions?$`)).waitFor();

  // A week the period cuts (it starts on the day of the week's latest payment) opens only
  // the days the row counts.
  await page.goBack();
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
  const day = dates.map((d) => d.slice(0, 10)).sort().at(-1);
  await setDate("From (UTC)", day);
  await setDate("To (UTC)", "2099-12-31");
  const cut = report("reconciliation").locator("tbody tr").filter({ hasText: start }).first();
  await cut.getByRole("link", { name: start }).click();
  await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get("from"), day);
  assert.equal(new URL(page.url()).searchParams.get("to"), end);
});

test("the period, the company and the mode scope the reports", async () => {
  await page.goto(`${server.url}/reports`);
  await ready(page);
  await setDate("From (UTC)", "2000-01-01");
  await setDate("To (UTC)", "2000-12-31");
  for (const id of REPORTS) await report(id).getByText("Nothing in this period.").waitFor();

  await setDate("From (UTC)", "2001-01-01");
  await page.getByRole("alert").getByText(/starts on 2001-01-01, after it ends on 2000-12-31; swap the dates/).waitFor();
  assert.equal(await page.locator("section[data-report]").count(), 0);
  // Both fields are marked, and name the message as their description.
  for (const label of ["From (UTC)", "To (UTC)"]) {
    const field = page.getByLabel(label, { exact: true });
    assert.equal(await field.getAttribute("aria-invalid"), "true");
    assert.equal(await field.getAttribute("aria-describedby"), "period-problem");
  }
  // Past and present dates only, as FlexPay's pickers: a period starting after today is refused.
  await setDate("From (UTC)", "2099-01-01");
  await page.getByRole("alert").getByText(/^No report: the period starts on 2099-01-01, after today \(\d{4}-\d\d-\d\d, the simulated clock's date\)/).waitFor();
  assert.match(await page.getByLabel("To (UTC)").getAttribute("max"), /^\d{4}-\d\d-\d\d$/);
  await setDate("From (UTC)", "2001-01-01");

  await setDate("To (UTC)", "2099-12-31");
  await report("types").locator("tbody tr").first().waitFor();
  const environment = page.getByRole("group", { name: "Environment" });
  await environment.getByRole("button", { name: "Production" }).click();
  await report("types").getByText("Nothing in this period.").waitFor();
  await environment.getByRole("button", { name: "Sandbox" }).click();
  await report("types").locator("tbody tr").first().waitFor();

  // Another company has no payments; its reports are empty until the header switches back.
  await page.getByRole("link", { name: "Companies" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Northwind Shop");
  await page.getByLabel("Company code").fill("NWS01");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("row").filter({ hasText: "NWS01" }).waitFor();
  const switcher = page.getByRole("banner").locator("select");
  await switcher.selectOption("NWS01");
  await page.getByRole("link", { name: "Reports" }).click();
  await setDate("To (UTC)", "2099-12-31");
  for (const id of REPORTS) await report(id).getByText("Nothing in this period.").waitFor();
  await switcher.selectOption("DEFAULT");
  await report("types").locator("tbody tr").first().waitFor();
});

test("the period is kept in the address: a reload and a link open the same reports", async () => {
  await page.goto(`${server.url}/reports`);
  await ready(page);
  await setDate("From (UTC)", "2000-01-02");
  await setDate("To (UTC)", "2099-12-31");
  await page.waitForURL(/\/reports\?from=2000-01-02&to=2099-12-31$/);
  const rows = await report("gateways").locator("tbody tr").allTextContents();
  await page.reload();
  await ready(page);
  assert.equal(await page.getByLabel("From (UTC)", { exact: true }).inputValue(), "2000-01-02");
  assert.equal(await page.getByLabel("To (UTC)", { exact: true }).inputValue(), "2099-12-31");
  assert.deepEqual(await report("gateways").locator("tbody tr").allTextContents(), rows);
  // A date the address holds that is not one is said, and the default is used instead.
  await page.goto(`${server.url}/reports?from=2026-13-45`);
  await ready(page);
  await page.getByTestId("period-dropped").getByText("Not applied from the address, as it is not a date: From “2026-13-45”.").waitFor();
  assert.match(await page.getByLabel("From (UTC)", { exact: true }).inputValue(), /^\d{4}-\d\d-\d\d$/);
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
