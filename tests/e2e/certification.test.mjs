// Certification: the Integration Guide's steps 1–7 run one by one with visible progress, every
// check listed with its verdict in words, Appendix A filled with linked transaction tokens,
// exported as CSV and JSON, and kept after a reload.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { download, openPortal, ready, saved } from "./support/portal.mjs";

const { server, browser } = await openPortal();

test("the page explains the sandbox environment and the dedicated key; nothing run yet", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  const text = await page.locator("main").textContent();
  assert.match(text, /Runs always use the Sandbox environment of the company selected in the header/);
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
  assert.match(await page.getByRole("status").filter({ hasText: "Run finished" }).textContent(), /Certification run/);

  const table = page.getByRole("table", { name: "Appendix A: transaction tokens" });
  const rows = table.locator("tbody tr");
  assert.equal(await rows.count(), 16);
  assert.match(await rows.first().textContent(), /Step 1: Schedule a Soft Decline/);
  await page.screenshot({ path: screenshotPath("certification-passed"), fullPage: true });

  const csv = await download(page, () => page.getByRole("button", { name: "Export CSV" }).click());
  assert.match(csv.name, /^flexpay-appendix-a-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.text.trimEnd().split("\r\n");
  assert.equal(lines[0], "Scenario,Description,Transaction ID");
  assert.equal(lines.length, 17);
  const json = await download(page, () => page.getByRole("button", { name: "Export JSON" }).click());
  const parsed = JSON.parse(json.text);
  assert.equal(parsed.length, 16);
  assert.deepEqual(Object.keys(parsed[0]), ["scenario", "description", "transactionId"]);
  const firstId = parsed[0].transactionId;
  assert.ok(lines[1].endsWith(firstId));

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
});

test("with the header on Production the run still uses the sandbox, and says so", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/certification`);
  await ready(page);
  await page.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Production" }).click();
  const note = page.getByText(/The header shows Production/);
  await note.waitFor();
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByTestId("run-status").getByText("Last run: 7 of 7 steps passed.").waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Switch to Sandbox" }).click();
  await note.waitFor({ state: "detached" });
  assert.equal(
    await page.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Sandbox" }).getAttribute("aria-pressed"),
    "true",
  );
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
