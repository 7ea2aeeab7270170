// Account settings → Platform configuration, in a real Chromium: a recovery minimum refused
// at its field when negative, then saved with the keyboard; a soft decline below it from the
// virtual terminal comes back without a retry date and says why; a hidden currency leaves the
// dashboard and the reports (which say so); Routing Enabled sends a retry to the other of two
// gateways; everything survives a reload of the deep link; Production keeps its own
// configuration; the recovery editor opens with what is saved and gives the focus back to its
// button; a refused save's status says only that; axe finds nothing serious.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { download, expectNoSeriousAxeViolations, openPortal, readSavedState, ready, saved } from "./support/portal.mjs";

const { server, browser, page } = await openPortal();

async function go(path, heading) {
  await page.goto(`${server.url}${path}`);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

/** A Visa charge from the terminal with a preset trigger amount (and currency); the response. */
async function charge(trigger, currency) {
  await go("/terminal", "Virtual terminal");
  await page.getByRole("button", { name: /^Visa/ }).click();
  if (currency) await page.getByLabel("Currency").selectOption(currency);
  // The preset is named in the currency chosen: 2008 is 20.08 USD.
  const shown = `${(Number(trigger) / 100).toFixed(2)} ${currency ?? "USD"}`.replace(".", "\\.");
  await page.getByRole("button", { name: new RegExp(`^${shown} `) }).click();
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByTestId("response-code").waitFor();
  const text = async (id) => (await page.getByTestId(id).textContent()).trim();
  return {
    code: await text("response-code"),
    id: await text("response-transaction-id"),
    retryDate: await text("response-retry-date"),
    facts: await page.locator("section.response dl.facts").textContent(),
  };
}

test("the page is a deep link in the navigation, scoped by the header's environment", async () => {
  await go("/dashboard", "Dashboard");
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Platform configuration" }).click();
  await page.getByRole("heading", { name: "Platform configuration", level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/platform");
  assert.match(await page.locator("main .lede").first().textContent(), /Settings of the Sandbox environment for every company/);
  assert.match(await page.locator("main").textContent(), /flexkit's choice/);
  // The most retries are the companies' own: a link, no second field.
  await page.getByRole("region", { name: "Recovery engine" }).getByRole("link", { name: "Companies" }).waitFor();
  await expectNoSeriousAxeViolations(page, "/platform");
});

test("a negative minimum is refused at its field; a minimum saved with the keyboard", async () => {
  const engine = page.getByRole("region", { name: "Recovery engine" });
  await engine.getByRole("button", { name: "Edit recovery config" }).click();
  // The form opens with the focus on its first field.
  await page.waitForFunction(() => document.activeElement?.id === "minimum-currency");
  await page.keyboard.press("Tab");
  await page.keyboard.type("-1");
  await page.keyboard.press("Enter");
  const initial = engine.getByLabel("Minimum for initial sales");
  assert.equal(await initial.getAttribute("aria-invalid"), "true");
  const problem = engine.locator("#minimum-initial-problems");
  assert.match(await problem.textContent(), /Minimum for initial sales: -1\.00 USD is not a minimum/);
  assert.equal(await problem.locator("li").getAttribute("data-code"), "invalid_recovery_minimum");
  await expectNoSeriousAxeViolations(page, "/platform (a refused minimum)");
  await page.screenshot({ path: screenshotPath("platform-refused-minimum"), fullPage: true });

  await initial.fill("");
  await initial.focus();
  await page.keyboard.type("25");
  await page.keyboard.press("Enter");
  await engine.getByRole("status").getByText("Saved the recovery minimums of USD.").waitFor();
  // The editor is closed: the focus is back on the button that opened it, not on the body.
  await page.waitForFunction(() => document.activeElement?.id === "minimum-edit");
  const row = engine.getByRole("table", { name: "Recovery minimums" }).locator("tbody tr");
  assert.deepEqual(await row.locator("th, td").allTextContents(), ["USD", "25.00 USD", "0.00 USD"]);
  await saved(page);
});

test("the recovery editor opens with what is saved; Cancel gives the focus back; a refused save says only that", async () => {
  const engine = page.getByRole("region", { name: "Recovery engine" });
  const status = engine.locator(".status-slot");
  const fields = async () => [
    await engine.getByLabel("Currency").inputValue(),
    await engine.getByLabel("Minimum for initial sales").inputValue(),
    await engine.getByLabel("Minimum for rebills").inputValue(),
  ];
  await engine.getByRole("button", { name: "Edit recovery config" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "minimum-currency");
  assert.deepEqual(await fields(), ["USD", "25.00", "0.00"], "the saved minimums, in the currency's units");
  // Opening the editor starts a new outcome: the earlier save's line is gone.
  assert.equal(await status.textContent(), "");
  await engine.getByLabel("Minimum for initial sales").fill("30");
  await engine.getByRole("button", { name: "Cancel" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "minimum-edit");
  // What was typed and cancelled is not shown again: the saved values are.
  await engine.getByRole("button", { name: "Edit recovery config" }).click();
  assert.deepEqual(await fields(), ["USD", "25.00", "0.00"]);

  // Saved once, then refused: the status says only that it was not saved.
  await engine.getByRole("button", { name: "Save config" }).click();
  await status.getByText("Saved the recovery minimums of USD.").waitFor();
  await engine.getByRole("button", { name: "Edit recovery config" }).click();
  // The editor puts the focus on its first field one frame after it opens; a fill before that
  // could have its text typed into the Currency field, which the focus moved to in between.
  await page.waitForFunction(() => document.activeElement?.id === "minimum-currency");
  await engine.getByLabel("Minimum for rebills").fill("-2");
  await engine.getByRole("button", { name: "Save config" }).click();
  await status.getByText("Not saved: correct the fields marked above.").waitFor();
  assert.doesNotMatch(await status.textContent(), /Saved/);
  assert.match(await engine.locator("#minimum-rebill-problems").textContent(), /Minimum for rebills: -2\.00 USD is not a minimum/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "minimum-rebill");
  await page.screenshot({ path: screenshotPath("platform-refused-after-saved"), fullPage: true });
  // A code without a minor unit (no currency, gold, the testing code) takes no minimum.
  await engine.getByLabel("Currency").fill("XXX");
  await engine.getByLabel("Minimum for rebills").fill("5");
  await engine.getByRole("button", { name: "Save config" }).click();
  await engine.locator("#minimum-currency-problems").getByText(/Currency: "XXX" is an ISO 4217 code without a minor unit, not a currency payments are made in/).waitFor();
  await engine.getByRole("button", { name: "Cancel" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "minimum-edit");
  // What the closed form said goes with it.
  assert.equal(await status.textContent(), "");
  const row = engine.getByRole("table", { name: "Recovery minimums" }).locator("tbody tr");
  assert.deepEqual(await row.locator("th, td").allTextContents(), ["USD", "25.00 USD", "0.00 USD"]);
});

test("a soft decline below the minimum keeps its code, has no retry date and says why", async () => {
  const below = await charge("2008");
  assert.equal(below.code, "20003");
  assert.equal(below.retryDate, "none: do not retry");
  assert.match(below.facts, /not recovered: 20\.08 USD is below the recovery minimum of 25\.00 USD for initial sales \(Platform configuration\)/);
  assert.equal(await page.getByTestId("response-reference-data").count(), 0);
  await page.screenshot({ path: screenshotPath("platform-below-minimum"), fullPage: true });
  // Not in the retry schedule.
  await go("/schedule", "Retry schedule");
  await page.getByText("No payment is waiting for a retry.").waitFor();
});

test("a hidden currency leaves the dashboard and the reports, which say so", async () => {
  // A EUR soft decline, recovered as usual (no EUR minimum).
  const euro = await charge("2008", "EUR");
  assert.equal(euro.code, "20003");
  assert.notEqual(euro.retryDate, "none: do not retry");
  await go("/dashboard", "Dashboard");
  await page.getByRole("article", { name: "Recovery in EUR" }).waitFor();
  await page.getByRole("article", { name: "Recovery in USD" }).waitFor();

  await go("/platform", "Platform configuration");
  const currencies = page.getByRole("region", { name: "Account currencies" });
  await currencies.getByLabel("Shown currencies").fill("USD, XXY");
  await currencies.getByRole("button", { name: "Save currencies" }).click();
  assert.match(await currencies.locator("#currencies-list-problems").textContent(), /Shown currencies: unknown currency code "XXY"/);
  // Gold is an ISO 4217 code, but no payment is made in it: refused as the terminal refuses it.
  await currencies.getByLabel("Shown currencies").fill("USD, XAU");
  await currencies.getByRole("button", { name: "Save currencies" }).click();
  assert.match(await currencies.locator("#currencies-list-problems").textContent(), /Shown currencies: "XAU" is an ISO 4217 code without a minor unit, not a currency payments are made in/);
  // A setting typed in lower case is read as the code, and shown as saved.
  await currencies.getByLabel("Shown currencies").fill("usd");
  await currencies.getByRole("button", { name: "Save currencies" }).click();
  await currencies.getByRole("status").getByText("Saved: the dashboard and reports show USD only.").waitFor();
  assert.equal(await currencies.getByLabel("Shown currencies").inputValue(), "USD");
  await saved(page);
  // A refused save after it: the status says only that, not the earlier "Saved".
  await currencies.getByLabel("Shown currencies").fill("USD, USD");
  await currencies.getByRole("button", { name: "Save currencies" }).click();
  await currencies.getByRole("status").getByText("Not saved: correct the fields marked above.").waitFor();
  assert.doesNotMatch(await currencies.getByRole("status").textContent(), /Saved/);
  await currencies.getByLabel("Shown currencies").fill("USD");

  await go("/dashboard", "Dashboard");
  await page.getByRole("article", { name: "Recovery in USD" }).waitFor();
  assert.equal(await page.getByRole("article", { name: "Recovery in EUR" }).count(), 0);
  assert.match(await page.locator(".hidden-currencies").textContent(), /Only USD shown: other currencies are hidden by the Platform configuration/);
  await expectNoSeriousAxeViolations(page, "/dashboard (a hidden currency)");
  await page.screenshot({ path: screenshotPath("platform-dashboard-hidden"), fullPage: true });

  await go("/reports", "Reports");
  const byCurrency = page.locator('[data-report="currencies"]');
  await byCurrency.waitFor();
  const text = await page.locator("main").textContent();
  assert.doesNotMatch(await byCurrency.textContent(), /EUR/);
  assert.match(await byCurrency.textContent(), /USD/);
  assert.match(text, /Only USD shown/);
  // The transaction list still lists the EUR payment: processing is unchanged.
  await go("/transactions", "Transactions");
  await page.locator("main").getByText(euro.id).waitFor();
});

test("Routing Enabled sends a retry to the other of two gateways", async () => {
  await go("/gateways", "Payment gateways");
  for (const name of ["Alpha", "Beta"]) {
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Gateway type").selectOption("nmi");
    // Each takes the EUR charged below besides its own currency.
    await page.getByLabel("Accepted currencies").fill("EUR");
    await page.getByRole("button", { name: "Save gateway" }).click();
    await page.getByRole("row").filter({ hasText: name }).waitFor();
  }
  await go("/platform", "Platform configuration");
  const routing = page.getByRole("region", { name: "Gateway routing stickiness" });
  assert.equal(await routing.getByRole("radio", { name: /^No routing/ }).isChecked(), true, "off by default");
  // Keyboard: arrow keys move through the radio group.
  await routing.getByRole("radio", { name: /^No routing/ }).focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await routing.getByRole("radio", { name: /^Routing Enabled/ }).isChecked(), true);
  await routing.getByRole("button", { name: "Save routing" }).click();
  await routing.getByRole("status").getByText("Saved: Routing Enabled.").waitFor();
  await saved(page);

  // 20.05 (refer to card issuer; its first retry is approved) in EUR, which has no minimum.
  const first = await charge("2005", "EUR");
  assert.equal(first.code, "20000");
  const merchantId = first.facts.match(/Merchant transaction ID(.+?)Gateway token/)[1];
  const gatewayOf = async (id) => {
    await go(`/transactions/${id}`, new RegExp(id));
    return (await page.locator("dl.facts div").filter({ hasText: /^Gateway/ }).locator("dd").first().textContent()).trim();
  };
  const firstGateway = await gatewayOf(first.id);
  assert.ok(["Alpha", "Beta"].includes(firstGateway), firstGateway);
  await go("/schedule", "Retry schedule");
  await page.getByRole("button", { name: "Advance 1 day" }).click();
  await page.getByRole("button", { name: new RegExp(`^Send retry \\d+ of ${merchantId}`) }).click();
  const sent = await page.locator("main p.banner").filter({ hasText: "Retry sent" }).textContent();
  assert.match(sent, /^Retry sent: 10000/);
  const retryId = sent.match(/\((\w+)\)\.$/)[1];
  const retryGateway = await gatewayOf(retryId);
  assert.ok(["Alpha", "Beta"].includes(retryGateway), retryGateway);
  assert.notEqual(retryGateway, firstGateway, "the retry went to the other gateway");
  await page.screenshot({ path: screenshotPath("platform-routed-retry"), fullPage: true });
});

test("the configuration survives a reload of the deep link and is saved in the document", async () => {
  await go("/platform", "Platform configuration");
  await page.reload();
  await ready(page);
  await page.getByRole("heading", { name: "Platform configuration", level: 1 }).waitFor();
  const rows = page.getByRole("table", { name: "Recovery minimums" }).locator("tbody tr");
  assert.deepEqual(await rows.locator("th, td").allTextContents(), ["USD", "25.00 USD", "0.00 USD"]);
  assert.equal(await page.getByLabel("Shown currencies").inputValue(), "USD");
  assert.equal(await page.getByRole("radio", { name: /^Routing Enabled/ }).isChecked(), true);
  // The editor, opened after a reload, shows what is saved.
  await page.getByRole("button", { name: "Edit recovery config" }).click();
  assert.equal(await page.getByLabel("Minimum for initial sales").inputValue(), "25.00");
  await page.getByRole("button", { name: "Cancel" }).click();
  // The embedded sandbox snapshot holds it (quoted or not, as the document embeds it).
  const raw = String(await readSavedState(page)).replaceAll('\\"', '"');
  const platform = raw.match(/"platform":\{"sandbox":\{.*?"gatewayRouting":"RoutingEnabled"\}/);
  assert.ok(platform, "the sandbox snapshot holds the configuration");
  await page.screenshot({ path: screenshotPath("platform-sandbox"), fullPage: true });
});

test("Production keeps its own configuration", async () => {
  await page.getByRole("banner").getByRole("button", { name: "Production" }).click();
  await page.getByText(/Settings of the Live environment|Settings of the Production environment/).waitFor();
  await page.getByText("No minimums: a soft decline is retried whatever its amount.").waitFor();
  assert.equal(await page.getByLabel("Shown currencies").inputValue(), "");
  assert.equal(await page.getByRole("radio", { name: /^No routing/ }).isChecked(), true);
  await go("/platform", "Platform configuration");
  await expectNoSeriousAxeViolations(page, "/platform (Production)");
  await page.screenshot({ path: screenshotPath("platform-production"), fullPage: true });
  await page.getByRole("banner").getByRole("button", { name: "Sandbox" }).click();
  await page.getByRole("table", { name: "Recovery minimums" }).waitFor();
});

test("an import's question counts the file's platform configuration of each environment", async () => {
  await go("/data", "Data & storage");
  const file = await download(page, () => page.getByRole("button", { name: "Export to a file" }).click());
  await page.locator('input[type="file"]').setInputFiles(file.path);
  const question = page.getByRole("alertdialog");
  await question.waitFor();
  assert.match(
    await question.textContent(),
    /It holds \d+ transactions, 1 user and the platform configuration \(Sandbox: 1 recovery minimum, 1 shown currency, Routing Enabled; Production: 0 recovery minimums, every currency shown, No routing\)\./,
  );
  assert.match(await question.textContent(), /users and platform configuration here now/);
  await page.screenshot({ path: screenshotPath("data-import-question"), fullPage: true });
  await page.waitForFunction(() => document.activeElement?.id === "import-cancel");
  await page.keyboard.press("Enter");
  await page.getByRole("status").getByText("Nothing was changed.").waitFor();
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
