// CSV exports opened in a spreadsheet: a merchant transaction ID or customer ID sent to the
// sandbox that a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`) is written as
// text (a leading `'`), in the Transactions and Customers exports alike; amounts keep their
// plain numbers.
import { test } from "node:test";
import assert from "node:assert/strict";

import { download, openPortal, ready } from "./support/portal.mjs";

const { server, browser, page } = await openPortal();

const MTID = '=HYPERLINK("http://evil.test","open")';
const CUSTOMER = "@SUM(1+1)";

test("a charge whose IDs look like formulas is sent as typed", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("12.34");
  await page.getByLabel("Merchant transaction ID").fill(MTID);
  await page.getByLabel("Customer ID").fill(CUSTOMER);
  await page.getByRole("button", { name: "Send charge" }).click();
  await page.getByTestId("response-transaction-id").waitFor();
});

test("the Transactions export writes them as text", async () => {
  await page.goto(`${server.url}/transactions`);
  await ready(page);
  const file = await download(page, () => page.getByRole("button", { name: "Export CSV of every transaction that matches" }).click());
  const [, row] = file.text.trimEnd().split("\r\n");
  assert.ok(row.includes(`"'=HYPERLINK(""http://evil.test"",""open"")"`), row);
  assert.ok(row.includes(",12.34,USD,"), row);
  assert.doesNotMatch(row, /,=|,@|,\+/);
});

test("the Customers export writes them as text", async () => {
  await page.goto(`${server.url}/customers`);
  await ready(page);
  const file = await download(page, () => page.getByRole("button", { name: "Export CSV of every customer that matches" }).click());
  const [, row] = file.text.trimEnd().split("\r\n");
  assert.ok(row.startsWith(`'${CUSTOMER},`), row);
  assert.doesNotMatch(row, /,=|,@|,\+/);
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
