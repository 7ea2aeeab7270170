// Certification: the Integration Guide's steps 1–7 run one by one with visible progress, every
// check listed with its verdict in words (no Rust debug text), Appendix A filled with linked
// transaction tokens, exported as CSV and JSON (files named after the company and the mode),
// and kept after a reload. A run belongs to the company it ran for, in its Sandbox: another
// company and Production show none. The run's message names the gateways steps 6 and 7 added
// and where automatic charges now go. One run goes at a time in all the portal's tabs.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { createCompany, download, openPortal, ready, saved } from "./support/portal.mjs";

const { server, browser } = await openPortal();

// Rust's debug formatting, which no text of the page may show.
const DEBUG_TEXT = /Some\(|None|ChainId/;

// The header's company switcher and environment buttons.
const switcher = (page) => page.getByRole("banner").locator("select");
const modeButton = (page, name) => page.getByRole("group", { name: "Environment" }).getByRole("button", { name });
const runStatus = (page) => page.getByTestId("run-status");
const appendixRows = (page) => page.getByRole("table", { name: "Appendix A: transaction tokens" }).locator("tbody tr");

// Adds a company, turns the header to it and opens this page.
async function openForNewCompany(page, name, code) {
  await createCompany(page, server.url, { name, code });
  await switcher(page).selectOption(code);
  await page.goto(`${server.url}/certification`);
  await ready(page);
}

// Adds an NMI gateway to the header's company, with a Distribution when one is given.
async function addGateway(page, name, distribution, { retries = true } = {}) {
  await page.goto(`${server.url}/gateways`);
  await ready(page);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Gateway type").selectOption("nmi");
  if (distribution !== undefined) await page.getByRole("textbox", { name: "Distribution" }).fill(distribution);
  if (!retries) await page.getByLabel("Accepts retries").uncheck();
  await page.getByRole("button", { name: "Save gateway" }).click();
  await page.getByRole("row").filter({ hasText: name }).waitFor();
}

test("the page explains the sandbox environment and the dedicated key; nothing run yet", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  const text = await page.locator("main").textContent();
  assert.match(text, /Runs always use the Sandbox environment of Default Company, whatever the Sandbox \/ Production switch shows/);
  assert.match(text, /Certification run \d{4}-\d{2}-\d{2}/);
  assert.equal(await page.getByTestId("run-status").textContent(), "Not run yet.");
  assert.equal(await page.locator(".step .verdict-label").filter({ hasText: "Not run" }).count(), 7);
  assert.ok(await page.getByRole("button", { name: "Export CSV" }).isDisabled());
});

test("steps 1–7 run one by one, pass, and fill Appendix A", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  // Record every progress sentence the page shows while it runs.
  await page.evaluate(() => {
    window.__progress = [];
    const status = document.querySelector('[data-testid="run-status"]');
    new MutationObserver(() => window.__progress.push(status.textContent)).observe(status, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByTestId("run-status").getByText("Last run: 7 of 7 steps passed.").waitFor({ timeout: 30_000 });
  const progress = await page.evaluate(() => window.__progress);
  for (let n = 1; n <= 7; n++) {
    assert.ok(
      progress.some((p) => p.startsWith(`Running step ${n} of 7`)),
      `step ${n} was shown running; saw ${JSON.stringify(progress)}`,
    );
  }

  assert.equal(await page.locator(".step .verdict-label").filter({ hasText: "Passed" }).count(), 7);
  const checks = page.locator(".checks .check");
  assert.ok((await checks.count()) > 20);
  assert.equal(await page.locator(".check-verdict").filter({ hasText: "Fail" }).count(), 0);
  assert.equal(await page.locator(".check-verdict").filter({ hasText: "Pass" }).count(), await checks.count());
  // Every check reads as words: absent fields are named, no Rust debug text.
  const details = await page.locator(".checks").allTextContents();
  for (const text of details) assert.doesNotMatch(text, DEBUG_TEXT);
  assert.doesNotMatch(await page.locator("main").textContent(), DEBUG_TEXT);
  assert.ok(await page.locator(".check-detail").filter({ hasText: /^no retryDate$/ }).count() > 0);
  assert.ok(await page.locator(".check-detail").filter({ hasText: /^recovery chain \d+$/ }).count() > 0);
  // Step 6 says what the guide and the reference say: RefundOnly at FlexPay, not Disabled.
  assert.match(
    await page.locator('[data-step="6"]').textContent(),
    /disabled at the Integration Point, the gateway is set to RefundOnly at FlexPay \(no new charges, refunds allowed\)\s*status RefundOnly/,
  );
  const finished = await page.getByRole("status").filter({ hasText: "Run finished" }).textContent();
  assert.match(finished, /Run finished in the Sandbox environment of Default Company: 7 of 7 steps passed/);
  assert.match(finished, /Certification run/);
  // The run's gateways are the company's only Enabled ones: taking them out of routing would
  // leave charges refused, so it is not offered.
  assert.equal(await page.getByRole("button", { name: /to Refund Only$/ }).count(), 0);
  // The run waits for retry dates on the shared clock; the page says so before and after.
  await page.getByText(/a run moves the simulated clock on by about three days for each of its currencies, for every company/).waitFor();
  // What the run leaves in the company's Sandbox is said before it is run, and after.
  assert.match(await page.getByTestId("cert-before-run").textContent(), /steps 6 and 7 add three gateways to this Sandbox\. Step 7's two stay Enabled, so the company's charges sent without a Gateway Token are shared with them afterwards/);
  const [, from, to] = finished.match(/the simulated clock moved on from (\S+ \S+) UTC to (\S+ \S+) UTC\./);
  assert.ok(Date.parse(`${to.replace(" ", "T")}Z`) > Date.parse(`${from.replace(" ", "T")}Z`), `${from} → ${to}`);
  // The gateways steps 6 and 7 added stay, and the message says so and what it means.
  const added = finished.match(
    /added the gateways "(Integration Point IG6-\d+)" \(Refund Only\), "(Gateway #1 IG7-\d+)" \(Enabled\), "(Gateway #2 IG7-\d+)" \(Enabled\) to this Sandbox/,
  );
  assert.ok(added, finished);
  assert.match(finished, /charges sent without a Gateway Token are shared among the Enabled ones by their Distribution \(higher is favoured\)/);
  // They replace the built-in gateway, which took every currency: the message says which remain.
  assert.match(finished, /They take USD only: a payment in another currency is refused with 50147 until a gateway takes it\./);
  assert.match(await page.getByTestId("run-owner").textContent(), /The last run of Default Company, in its Sandbox environment/);
  // Step 5's checks show the refund's money in the currency's units, never in minor units.
  await page.getByText("responseCode 10000, amount 10.00 USD").first().waitFor();
  await page.getByText("10.00 USD refunded against the recovery").first().waitFor();

  const table = page.getByRole("table", { name: "Appendix A: transaction tokens" });
  const rows = table.locator("tbody tr");
  assert.equal(await rows.count(), 16);
  assert.match(await rows.first().textContent(), /Step 1: Schedule a Soft Decline/);
  await page.screenshot({ path: screenshotPath("certification-passed"), fullPage: true });

  const csv = await download(page, () => page.getByRole("button", { name: "Export CSV" }).click());
  // The file names the company and the mode the run belongs to.
  assert.match(csv.name, /^flexpay-appendix-a-default-company-sandbox-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.text.trimEnd().split("\r\n");
  assert.equal(lines[0], "Scenario,Description,Transaction ID,Sent at,Amount,Currency,Company,Company code,Environment");
  assert.equal(lines.length, 17);
  // Each token with when it was sent, for how much, by whom and where: what FlexPay looks it up by.
  assert.match(lines[1], /,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,20\.08,USD,Default Company,DEFAULT,Sandbox$/);
  const json = await download(page, () => page.getByRole("button", { name: "Export JSON" }).click());
  assert.equal(json.name, csv.name.replace(/\.csv$/, ".json"));
  const parsed = JSON.parse(json.text);
  assert.equal(parsed.length, 16);
  assert.deepEqual(Object.keys(parsed[0]), ["scenario", "description", "transactionId", "sentAt", "amount", "currency", "company", "companyCode", "environment"]);
  assert.deepEqual([parsed[0].amount, parsed[0].currency], ["20.08", "USD"]);
  assert.deepEqual([parsed[0].company, parsed[0].companyCode, parsed[0].environment], ["Default Company", "DEFAULT", "Sandbox"]);
  const sent = parsed.map((row) => Date.parse(row.sentAt));
  assert.ok(sent.every((at) => at >= sent[0]), "none before the run's first transaction");
  assert.ok(sent.at(-1) > sent[0], "later steps waited for their retry dates");
  const firstId = parsed[0].transactionId;
  // Both files write every instant alike, to the millisecond, row for row.
  parsed.forEach((row, i) => {
    assert.match(row.sentAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(lines[i + 1].includes(`,${row.transactionId},${row.sentAt},`), `row ${i + 1}: ${lines[i + 1]}`);
  });

  // Kept after a reload.
  await saved(page);
  await page.reload();
  await page.getByTestId("run-status").getByText("Last run: 7 of 7 steps passed.").waitFor();
  assert.equal(await rows.count(), 16);

  // Each token opens its transaction.
  await table.getByRole("link", { name: firstId }).click();
  await page.waitForURL(new RegExp(`/transactions/${firstId}$`));
  await page.getByRole("heading", { name: new RegExp(firstId) }).waitFor();

  // The run used a dedicated Sandbox key, listed under Integrations.
  await page.goto(`${server.url}/integrations/api-keys`);
  const keyRow = page.getByRole("table", { name: "API keys" }).getByRole("row", { name: /Certification run/ });
  await keyRow.waitFor();
  assert.match(await keyRow.textContent(), /Sandbox/);

  // The gateways the message named are listed with the statuses it gave.
  await page.goto(`${server.url}/gateways`);
  await ready(page);
  for (const [name, status] of [[added[1], "Refund Only"], [added[2], "Enabled"], [added[3], "Enabled"]]) {
    const row = page.getByRole("row").filter({ hasText: name });
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(status));
  }
});

test("a run belongs to its company's Sandbox: another company and Production show none", async () => {
  const page = await browser.newPage();
  // The run of the test before belongs to the Default Company.
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor();
  const defaultIds = await appendixRows(page).locator("td code").allTextContents();
  assert.equal(defaultIds.length, 16);

  await openForNewCompany(page, "Acme Widgets", "ACME");
  assert.match(await page.locator(".banner-info").first().textContent(), /Sandbox environment of Acme Widgets, whatever/);
  // Nothing of the Default Company's run shows.
  assert.equal(await runStatus(page).textContent(), "Not run yet.");
  assert.equal(await page.locator(".step .verdict-label").filter({ hasText: "Not run" }).count(), 7);
  assert.equal(await page.locator(".checks").count(), 0);
  assert.equal(await page.getByTestId("run-owner").count(), 0);
  await page.getByText("No run yet: the table fills as the steps run.").waitFor();
  assert.ok(await page.getByRole("button", { name: "Export CSV" }).isDisabled());
  await page.screenshot({ path: screenshotPath("certification-other-company"), fullPage: true });

  // Acme Widgets' own run, with its own transactions, which open in its Sandbox.
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor({ timeout: 30_000 });
  assert.match(
    await page.getByRole("status").filter({ hasText: "Run finished" }).textContent(),
    /Run finished in the Sandbox environment of Acme Widgets: 7 of 7 steps passed/,
  );
  assert.match(await page.getByTestId("run-owner").textContent(), /The last run of Acme Widgets, in its Sandbox environment/);
  const acmeIds = await appendixRows(page).locator("td code").allTextContents();
  assert.equal(acmeIds.length, 16);
  assert.ok(acmeIds.every((id) => !defaultIds.includes(id)));
  const acmeCsv = await download(page, () => page.getByRole("button", { name: "Export CSV" }).click());
  assert.match(acmeCsv.name, /^flexpay-appendix-a-acme-widgets-sandbox-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.ok(acmeCsv.text.trimEnd().split("\r\n").slice(1).every((line) => /,Acme Widgets,ACME,Sandbox$/.test(line)), acmeCsv.text);
  await saved(page);
  await page.getByRole("link", { name: acmeIds[0] }).click();
  await page.waitForURL(new RegExp(`/transactions/${acmeIds[0]}$`));
  await page.getByRole("heading", { name: new RegExp(acmeIds[0]) }).waitFor();
  // Opened while the header shows another company, the page says whose it is.
  await switcher(page).selectOption("DEFAULT");
  const other = page.getByTestId("other-company");
  await other.getByText(/This transaction belongs to Acme Widgets; the header shows Default Company, whose pages do not list it/).waitFor();
  await other.getByRole("button", { name: "Switch the header to its company" }).click();
  await other.waitFor({ state: "detached" });
  assert.equal(await switcher(page).inputValue(), "ACME");

  // Production: runs are in the Sandbox, so none is listed, whichever company.
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await modeButton(page, "Production").click();
  await page.getByText(/The header shows Production: runs and their transactions are in the Sandbox/).waitFor();
  assert.equal(await runStatus(page).textContent(), "No run is listed in Production: runs are in the Sandbox.");
  assert.equal(await page.locator(".checks").count(), 0);
  assert.equal(await page.getByTestId("run-owner").count(), 0);
  assert.equal(await appendixRows(page).count(), 0);
  await page.getByText("No run yet: the table fills as the steps run.").waitFor();

  // Back to the Default Company's Sandbox: its own run, unchanged.
  await modeButton(page, "Sandbox").click();
  await switcher(page).selectOption("DEFAULT");
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor();
  assert.match(await page.getByTestId("run-owner").textContent(), /The last run of Default Company/);
  assert.deepEqual(await appendixRows(page).locator("td code").allTextContents(), defaultIds);
  assert.doesNotMatch(await page.locator("main").textContent(), DEBUG_TEXT);

  // A deleted company's run goes with it; its code stays with its records, so a new company
  // takes another code and starts without a run.
  await page.goto(`${server.url}/companies`);
  await ready(page);
  await page.getByRole("button", { name: "Delete: Acme Widgets" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete Acme Widgets" }).click();
  await page.getByRole("status").getByText(/Acme Widgets \(ACME\) was deleted/).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("Acme Again");
  await page.getByLabel("Company code").fill("ACME");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByText(/belonged to a deleted company/).first().waitFor();
  await page.getByLabel("Company code").fill("ACME2");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("row").filter({ hasText: "Acme Again" }).waitFor();
  await switcher(page).selectOption("ACME2");
  await page.goto(`${server.url}/certification`);
  await ready(page);
  assert.equal(await runStatus(page).textContent(), "Not run yet.");
  assert.equal(await appendixRows(page).count(), 0);
  await switcher(page).selectOption("DEFAULT");
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor();
  await saved(page);
});

test("with the header on Production a run uses the Sandbox and turns the header to it", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await modeButton(page, "Production").click();
  const note = page.getByText(/The header shows Production/);
  await note.waitFor();
  // The note's button switches without running.
  await page.getByRole("button", { name: "Switch to Sandbox" }).click();
  await note.waitFor({ state: "detached" });
  assert.equal(await modeButton(page, "Sandbox").getAttribute("aria-pressed"), "true");

  await modeButton(page, "Production").click();
  await note.waitFor();
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await note.waitFor({ state: "detached" });
  assert.equal(await modeButton(page, "Sandbox").getAttribute("aria-pressed"), "true");
  await page.getByRole("status").filter({ hasText: "Run finished in the Sandbox environment of Default Company" }).waitFor({ timeout: 30_000 });
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor();
  assert.equal(await appendixRows(page).count(), 16);
  await saved(page);
});

test("a run does not start while every gateway of the company is off, and says why", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/gateways`);
  await ready(page);
  await switcher(page).selectOption("ACME2");
  await addGateway(page, "Off NMI");
  const row = page.getByRole("row").filter({ hasText: "Off NMI" });
  await row.getByRole("button", { name: "Disable: Off NMI" }).click();
  await row.getByText("Disabled", { exact: true }).waitFor();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  // The core's routing says why, in the words FlexPay's answer would carry.
  await page.getByRole("status").getByText(/^The run did not start: FlexPay would refuse the steps' charges or retries of Acme Again in the Sandbox \(50130\): no gateway of this company is Available.*See Payment gateways\.$/).waitFor();
  assert.equal(await runStatus(page).textContent(), "Not run yet.");
  assert.equal(await appendixRows(page).count(), 0);
  assert.ok(await page.getByRole("button", { name: "Export CSV" }).isDisabled());
  // What was said of Acme Again is not said of the next company the header shows.
  await switcher(page).selectOption("DEFAULT");
  await page.getByRole("status").getByText(/^The run did not start/).waitFor({ state: "detached" });
  await switcher(page).selectOption("ACME2");

  // An Enabled gateway of Distribution 0 is never routed to: the run does not start either.
  await addGateway(page, "Zero NMI", "0");
  // The form's warning outlives the cleared form.
  await page.getByRole("status").getByText(/^Note: Distribution 0 means/).waitFor();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByRole("status").getByText(/^The run did not start: .*\(50130\): every Available gateway of this company has weight \(Distribution\) 0/).waitFor();
  assert.equal(await runStatus(page).textContent(), "Not run yet.");

  // The only gateway routing picks takes no retries: steps 3 and 4 could not retry.
  await addGateway(page, "First-try NMI", undefined, { retries: false });
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByRole("status").getByText(/^The run did not start: .*charges or retries .*\(50130\): no Available gateway of this company that takes the payment accepts retries/).waitFor();
  assert.equal(await runStatus(page).textContent(), "Not run yet.");

  // A run the company's own limits break goes, its steps fail, and a failed run's Appendix A
  // is not exported.
  await addGateway(page, "Live NMI");
  await page.goto(`${server.url}/companies`);
  await ready(page);
  await page.getByLabel("Most retries (1–15)").fill("1");
  await page.getByRole("button", { name: "Save limits" }).click();
  await page.getByText(/^Saved: a payment is retried at most 1 time/).waitFor();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await runStatus(page).getByText(/^Last run: [0-6] of 7 steps passed\.$/).waitFor({ timeout: 30_000 });
  await page.getByTestId("export-off").getByText(/Export is off: not every step of this run passed/).waitFor();
  assert.ok(await page.getByRole("button", { name: "Export CSV" }).isDisabled());
  assert.ok(await page.getByRole("button", { name: "Export JSON" }).isDisabled());
  assert.ok((await appendixRows(page).filter({ hasText: "(step failed)" }).count()) > 0);
  assert.match(await page.locator('[data-step="1"]').textContent(), /responseCode 30100/);
  await page.screenshot({ path: screenshotPath("certification-failed-run"), fullPage: true });
  // The company had Enabled gateways of its own before the run: the page offers to take
  // step 7's out of routing, which leaves routing as the run found it. The offer is read
  // from the sandbox, so it outlives a reload.
  await page.reload();
  await ready(page);
  await page.getByTestId("cert-tidy").getByText(/^Still Enabled from the run: "Gateway #1 IG7-\d+" and "Gateway #2 IG7-\d+"\. Charges sent without a Gateway Token are shared/).waitFor();
  const tidy = page.getByRole("button", { name: "Set the run's Enabled gateways to Refund Only" });
  await tidy.click();
  await page
    .getByRole("status")
    .getByText(/^The run's gateways "Gateway #1 IG7-\d+" and "Gateway #2 IG7-\d+" are Refund Only now: charges sent without a Gateway Token go to the company's other Enabled gateways, as before the run\./)
    .waitFor();
  assert.equal(await tidy.count(), 0);
  await page.waitForFunction(() => document.activeElement?.id === "cert-message");
  await page.goto(`${server.url}/gateways`);
  await ready(page);
  for (const [name, status] of [[/Gateway #1 IG7/, "Refund Only"], [/Gateway #2 IG7/, "Refund Only"], [/Integration Point IG6/, "Refund Only"], ["Live NMI", "Enabled"]]) {
    await page.getByRole("row").filter({ hasText: name }).getByText(status, { exact: true }).waitFor();
  }
  await switcher(page).selectOption("DEFAULT");
  await saved(page);
});

test("a client of two currencies runs every step in both, and Appendix A says each token's currency", async () => {
  const page = await browser.newPage();
  await openForNewCompany(page, "Globex Travel", "GLBX");
  await page.getByText(/A client that takes more than one currency tests at least two of them/).waitFor();
  const first = page.getByLabel("Currency", { exact: true });
  const second = page.getByLabel("Second currency");
  assert.equal(await first.inputValue(), "USD");
  assert.equal(await second.inputValue(), "");
  // A company without a run starts from USD alone.
  assert.equal(await first.inputValue(), "USD");
  // Payment currencies only: no gold, no test code.
  assert.equal(await first.locator('option[value="XAU"]').count(), 0);
  assert.equal(await second.locator('option[value="XTS"]').count(), 0);

  // One currency twice is said in the core's words; nothing runs.
  await first.selectOption("EUR");
  await second.selectOption("EUR");
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByRole("status").getByText("The run did not start: EUR is given twice: give each currency once.").waitFor();
  assert.equal(await runStatus(page).textContent(), "Not run yet.");

  await second.selectOption("JPY");
  // Every message the page says while the run goes is recorded: the first one, which names
  // the currencies, may give way to the last before a busy test process looks.
  await page.evaluate(() => {
    window.__said = [];
    const record = () => document.querySelectorAll('main [role="status"]').forEach((s) => window.__said.push(s.textContent.trim()));
    new MutationObserver(record).observe(document.querySelector("main"), { childList: true, subtree: true, characterData: true });
  });
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor({ timeout: 60_000 });
  const said = await page.evaluate(() => window.__said);
  assert.ok(said.some((text) => /its payments in EUR and JPY\.$/.test(text)), said.join("\n"));
  const finished = await page.getByRole("status").filter({ hasText: "Run finished" }).textContent();
  assert.match(finished, /They take EUR, JPY only/);
  // Every amount in its currency's own unit: 2008 yen, not 20.08.
  const step1 = await page.locator('[data-step="1"]').textContent();
  assert.match(step1, /EUR: charge of 20\.08 \(trigger 2008\): soft decline/);
  assert.match(step1, /JPY: charge of 2008 \(trigger 2008\): soft decline/);
  const descriptions = await appendixRows(page).locator("td:nth-child(2)").allTextContents();
  assert.equal(descriptions.length, 30);
  assert.equal(descriptions.filter((d) => d.startsWith("EUR: ")).length, 16);
  assert.equal(descriptions.filter((d) => d.startsWith("JPY: ")).length, 14);
  await page.screenshot({ path: screenshotPath("certification-two-currencies"), fullPage: true });

  const csv = await download(page, () => page.getByRole("button", { name: "Export CSV" }).click());
  const lines = csv.text.trimEnd().split("\r\n").slice(1);
  assert.equal(lines.length, 30);
  for (const line of lines) {
    const currency = line.match(/,"?(EUR|JPY): /)?.[1];
    assert.ok(currency, line);
    assert.ok(line.endsWith(`,${currency},Globex Travel,GLBX,Sandbox`), line);
  }
  assert.ok(lines.some((line) => line.includes(",20.08,EUR,")));
  assert.ok(lines.some((line) => line.includes(",2008,JPY,")));
  const json = JSON.parse((await download(page, () => page.getByRole("button", { name: "Export JSON" }).click())).text);
  assert.deepEqual(new Set(json.map((row) => row.currency)), new Set(["EUR", "JPY"]));

  // The gateways the run added take EUR and JPY: a currency none takes is refused before
  // anything is sent, and the last run stays.
  await second.selectOption("GBP");
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByRole("status").getByText(/^The run did not start: FlexPay would refuse the steps' GBP charges or retries of Globex Travel in the Sandbox \(50147\): no Available gateway of this company with a weight above 0 accepts GBP/).waitFor();
  assert.equal(await runStatus(page).textContent(), "Last run: 7 of 7 steps passed.");
  assert.equal(await appendixRows(page).count(), 30);

  // After a reload the next run starts from the last one's currencies; each company its own.
  await saved(page);
  await page.reload();
  await ready(page);
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor();
  assert.deepEqual([await first.inputValue(), await second.inputValue()], ["EUR", "JPY"]);
  await switcher(page).selectOption("DEFAULT");
  await page.getByTestId("run-owner").getByText("Default Company").waitFor();
  assert.deepEqual([await first.inputValue(), await second.inputValue()], ["USD", ""]);
  await saved(page);
});

// A slow device: the run's steps take long enough to leave the page and come back meanwhile.
async function throttle(page, rate) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  return cdp;
}

test("a run goes on when the page is left: coming back shows its progress, and no second run starts", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor();
  const cdp = await throttle(page, 8);
  // Run, then straight to the Dashboard and back by the section links (client-side
  // navigation: the page's component goes, the run goes on), all within the page so that
  // the run is still going when the page is back.
  const back = await page.evaluate(async () => {
    const status = () => document.querySelector('[data-testid="run-status"]');
    const link = (name) => [...document.querySelectorAll('nav[aria-label="Sections"] a')].find((a) => a.textContent.trim() === name);
    const runButton = () => document.querySelector("main .actions button");
    const until = async (done) => {
      const end = Date.now() + 20_000;
      while (!done()) {
        if (Date.now() > end) throw new Error(`timed out: ${done}; the status says "${status()?.textContent}"`);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    };
    const company = (code) => {
      const select = document.querySelector('header select');
      select.value = code;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    };
    runButton().click();
    link("Dashboard").click();
    await until(() => !status());
    link("Certification").click();
    await until(() => status());
    const seen = {
      status: status().textContent,
      button: runButton().textContent,
      disabled: runButton().disabled,
      // What a run sends is fixed while it goes: the currencies wait for it to end.
      currencies: [...document.querySelectorAll("#cert-currency, #cert-second-currency")].map((select) => select.disabled),
    };
    if (!/^(Preparing the run…|Running step)/.test(seen.status)) return seen;
    // A second click starts nothing.
    runButton().click();
    // Another company shows no progress of it, and no run of its own starts meanwhile.
    company("ACME2");
    await until(() => document.querySelector('[data-testid="cert-busy"]'));
    seen.busy = document.querySelector('[data-testid="cert-busy"]').textContent;
    seen.busyDisabled = runButton().disabled;
    company("DEFAULT");
    await until(() => !document.querySelector('[data-testid="cert-busy"]'));
    return seen;
  });
  // Still running: the progress shows, and the button refuses a second run.
  assert.match(back.status, /^(Preparing the run…|Running step [1-7] of 7: )/);
  assert.equal(back.button, "Running…");
  assert.ok(back.disabled);
  assert.deepEqual(back.currencies, [true, true]);
  assert.match(back.busy, /^A run of Default Company goes on in its Sandbox environment: a second run can start when it ends\.$/);
  assert.ok(back.busyDisabled);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });

  // One run, written once: seven steps, sixteen rows, and its message when it ends.
  await runStatus(page).getByText("Last run: 7 of 7 steps passed.").waitFor({ timeout: 60_000 });
  await page.getByRole("status").filter({ hasText: /^Run finished in the Sandbox environment of Default Company: 7 of 7 steps passed/ }).waitFor();
  assert.equal(await page.locator(".step .verdict-label").filter({ hasText: "Passed" }).count(), 7);
  assert.equal(await appendixRows(page).count(), 16);
  assert.ok(await page.getByRole("button", { name: "Run steps 1–7" }).isEnabled());
  assert.ok(await page.getByRole("button", { name: "Export CSV" }).isEnabled());
  await saved(page);
});

test("a run cut short by a reload says it was interrupted, not that a check failed", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await runStatus(page).getByText(/^Last run: \d+ of 7 steps passed\.$/).waitFor();
  // The page reloads as step 4 starts. The steps give the browser a turn (a zero-delay
  // timeout) before each one: made longer here, the saves of steps 1–3 finish meanwhile, as on
  // a slow device.
  await page.evaluate(() => {
    const setTimeout = window.setTimeout;
    window.setTimeout = (run, delay, ...rest) => setTimeout(run, delay || 300, ...rest);
    const status = document.querySelector('[data-testid="run-status"]');
    new MutationObserver(() => {
      if (status.textContent.startsWith("Running step 4 of 7")) location.reload();
    }).observe(status, { childList: true, subtree: true, characterData: true });
  });
  await Promise.all([
    page.waitForEvent("framenavigated"),
    page.getByRole("button", { name: "Run steps 1–7" }).click(),
  ]);
  await ready(page);
  const status = runStatus(page).getByText(/^The last run stopped after [1-6] of 7 steps; [0-6] passed\.$/);
  await status.waitFor();
  const [, ran, passed] = (await status.textContent()).match(/after (\d) of 7 steps; (\d) passed/);
  assert.equal(passed, ran, "every step that ran passed");
  assert.equal(await page.locator(".check-verdict").filter({ hasText: "Fail" }).count(), 0);
  const off = page.getByTestId("export-off");
  await off.waitFor();
  const text = await off.textContent();
  assert.match(text, new RegExp(`^Export is off: this run was interrupted, only ${ran} of 7 steps ran`));
  assert.match(text, /Run steps 1–7 again\.$/);
  assert.doesNotMatch(text, /fail/i);
  assert.ok(await page.getByRole("button", { name: "Export CSV" }).isDisabled());
  // Nothing runs after the reload: a new run may start.
  assert.ok(await page.getByRole("button", { name: "Run steps 1–7" }).isEnabled());
  await page.screenshot({ path: screenshotPath("certification-interrupted-run"), fullPage: true });
});

test("a run in another tab is said as it goes, never called interrupted, and no second run starts beside it", async () => {
  const page = await browser.newPage();
  // A second tab of the same browser profile: the same saved state.
  const other = await browser.context.newPage();
  for (const tab of [page, other]) {
    await tab.goto(`${server.url}/certification`);
    await ready(tab);
  }
  await runStatus(other).waitFor();
  // Each step's turn to the browser made 300 ms long: the run lasts a few seconds.
  await page.evaluate(() => {
    const setTimeout = window.setTimeout;
    window.setTimeout = (run, delay, ...rest) => setTimeout(run, delay || 300, ...rest);
  });
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  const busy = other.getByTestId("cert-busy");
  await busy.getByText("A run goes on in another tab of the portal: its steps show here as that tab saves them, and a second run can start when it ends.").waitFor();
  assert.ok(await other.getByRole("button", { name: "Run steps 1–7" }).isDisabled());
  // The steps come in as the running tab saves them, and the run is not called interrupted.
  await appendixRows(other).first().waitFor();
  assert.match(await runStatus(other).textContent(), /^Running in another tab: [0-7] of 7 steps done; [0-7] passed\.$/);
  assert.equal(await other.getByTestId("export-off").count(), 0);
  await other.screenshot({ path: screenshotPath("certification-run-in-another-tab"), fullPage: true });

  await page.getByRole("status").filter({ hasText: /^Run finished in the Sandbox environment of Default Company: 7 of 7 steps passed/ }).waitFor({ timeout: 60_000 });
  await busy.waitFor({ state: "detached" });
  await runStatus(other).getByText("Last run: 7 of 7 steps passed.").waitFor();
  assert.ok(await other.getByRole("button", { name: "Run steps 1–7" }).isEnabled());
  assert.ok(await other.getByRole("button", { name: "Export CSV" }).isEnabled());
  await saved(page);

  // Both tabs idle, then one starts a run at the moment the other clicks Run: the second is
  // refused, said why, and may start once the first ends. (The first tab's run is its lock,
  // held here by hand.)
  await page.evaluate(() => {
    navigator.locks.request("flexkit-certification-run", () => new Promise((release) => (window.releaseHeldRun = release)));
  });
  await other.getByRole("button", { name: "Run steps 1–7" }).click();
  await other.getByRole("status").filter({ hasText: "The run did not start: another tab of the portal runs the steps. A second run can start when it ends." }).waitFor();
  await busy.waitFor();
  assert.ok(await other.getByRole("button", { name: "Run steps 1–7" }).isDisabled());
  assert.equal(await appendixRows(other).count(), 16, "the last run's table is kept");
  await page.evaluate(() => window.releaseHeldRun());
  await busy.waitFor({ state: "detached" });
  assert.ok(await other.getByRole("button", { name: "Run steps 1–7" }).isEnabled());
  await other.close();
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
