// The virtual terminal warns before a retry goes out ahead of its payment's retryDate (the
// classic scheduler bug): FlexPay documents no refusal, so the warning is the only guard,
// and it goes once the reference data is not the latest of a payment in recovery.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { openPortal, ready } from "./support/portal.mjs";

const { server, page } = await openPortal();

test("a retry typed before its retryDate is warned about, naming the date", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("20.08");
  await page.getByRole("button", { name: "Send charge" }).click();
  const reference = (await page.getByTestId("response-reference-data").textContent()).trim();
  const retryDate = (await page.getByTestId("response-retry-date").textContent()).trim();
  assert.match(retryDate, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);

  const warning = page.getByTestId("early-retry");
  assert.equal(await warning.count(), 0, "no warning on a first attempt");
  await page.getByRole("textbox", { name: "Retry count" }).fill("2");
  await page.getByRole("textbox", { name: "Reference data" }).fill(reference);
  await warning.waitFor();
  assert.match(await warning.textContent(), new RegExp(`not due until ${retryDate}`));
  // The line beside Send says so too, where the eye goes before sending.
  assert.match(await page.locator("#vt-submit-state").textContent(), new RegExp(`^Early: this retry is not due until ${retryDate}`));
  await page.screenshot({ path: screenshotPath("terminal-early-retry"), fullPage: true });

  // Anything that is not the latest reference data of a payment in recovery: no warning.
  await page.getByRole("textbox", { name: "Reference data" }).fill("AAAAAAAAAAAAAAAAAAAAAA==");
  await warning.waitFor({ state: "detached" });
});

test("a retry sent early anyway is marked on its payment's recovery chain", async () => {
  const retryDate = (await page.getByTestId("response-retry-date").textContent()).trim();
  const reference = (await page.getByTestId("response-reference-data").textContent()).trim();
  await page.getByRole("textbox", { name: "Reference data" }).fill(reference);
  await page.getByRole("textbox", { name: "Merchant transaction ID" }).fill(`early-${Date.now()}`);
  const first = (await page.getByTestId("response-transaction-id").textContent()).trim();
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByTestId("response-transaction-id").filter({ hasNotText: first }).waitFor();
  await page.locator("#vt-result a[href^='/transactions/']").first().click();
  const timeline = page.getByRole("list", { name: "Recovery chain" });
  await timeline.waitFor();
  const attempts = timeline.getByRole("listitem");
  assert.equal(await attempts.count(), 2);
  assert.doesNotMatch(await attempts.nth(0).textContent(), /sent early/);
  assert.match(await attempts.nth(1).textContent(), new RegExp(`sent early: its retry date was ${retryDate}`));
  await page.screenshot({ path: screenshotPath("transaction-early-retry"), fullPage: true });
});
