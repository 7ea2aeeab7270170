// The card-check page in a real Chromium: typing shows brand and validity computed by the core.
import { test } from "node:test";
import assert from "node:assert/strict";

import { serveDist } from "./support/server.mjs";
import { launch, screenshotPath } from "./support/browser.mjs";
import { openPortal } from "./support/portal.mjs";

const { server, browser } = await openPortal();

const field = (page, name) => page.locator(`#card-verdict [data-field="${name}"]`);

test("typing a sandbox test card shows Visa, valid", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/cards`);
  const input = page.getByLabel("Card number");
  await input.fill("4920 2019 9644 9560");
  await assert.doesNotReject(field(page, "verdict").getByText("Valid", { exact: true }).waitFor());
  assert.equal(await field(page, "brand").textContent(), "Visa");
  assert.equal(await field(page, "digits").textContent(), "16");
  assert.equal(await field(page, "luhn").textContent(), "Passes");
  await page.screenshot({ path: screenshotPath("cards-valid"), fullPage: true });
});

test("a broken number is shown as invalid, live, key by key", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/cards`);
  const input = page.getByLabel("Card number");
  await input.fill("");
  await input.pressSequentially("34167494968489");
  assert.equal(await field(page, "brand").textContent(), "American Express");
  assert.equal(await field(page, "verdict").textContent(), "Incomplete");
  await input.press("9"); // 341674949684899: Luhn fails and Amex has no longer numbers
  await field(page, "verdict").getByText("Invalid", { exact: true }).waitFor();
  assert.equal(await field(page, "luhn").textContent(), "Fails");
  await page.screenshot({ path: screenshotPath("cards-invalid"), fullPage: true });
});

test("a number too long for any brand counts every digit; a full-length number failing Luhn asks to check the digits", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/cards`);
  const input = page.getByLabel("Card number");
  await input.fill("41111111111111111111");
  await field(page, "verdict").getByText("Invalid", { exact: true }).waitFor();
  assert.equal(await field(page, "digits").textContent(), "20");
  assert.equal(await field(page, "length").textContent(), "Too long");
  await input.fill("4111111111111112");
  await field(page, "verdict").getByText("Check the digits", { exact: true }).waitFor();
  assert.equal(
    await field(page, "length").textContent(),
    "Valid for brand, but the Luhn checksum fails: a digit may be mistyped",
  );
  await page.screenshot({ path: screenshotPath("cards-mistyped"), fullPage: true });
});

test("a letter in the number and a number no brand issues say why they are not judged", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/cards`);
  const input = page.getByLabel("Card number");
  await input.fill("4111 1111 1111 111O");
  await field(page, "verdict").getByText("Invalid", { exact: true }).waitFor();
  assert.equal(
    await field(page, "length").textContent(),
    "Not judged: “O” is not a digit (spaces and dashes may separate the digits)",
  );
  // Sixteen digits whose checksum passes, but no brand starts with 99: not "incomplete".
  await input.fill("9999 9999 9999 9995");
  await field(page, "length")
    .getByText("Not judged: no brand issues numbers that start this way", { exact: true })
    .waitFor();
  assert.equal(await field(page, "brand").textContent(), "Unknown");
  assert.equal(await field(page, "luhn").textContent(), "Passes");
  assert.equal(await field(page, "verdict").textContent(), "Invalid");
  // Separators are not stray characters.
  await input.fill("4111-1111 1111\u00a01111");
  await field(page, "verdict").getByText("Valid", { exact: true }).waitFor();
  assert.equal(await field(page, "length").textContent(), "Valid for brand");
});

test("sandbox presets fill the field", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/cards`);
  await page.getByRole("button", { name: /JCB/ }).click();
  assert.equal(await page.getByLabel("Card number").inputValue(), "3530111333300000");
  assert.equal(await field(page, "brand").textContent(), "JCB");
  assert.equal(await field(page, "verdict").textContent(), "Valid");
});

test("deep link /cards survives a reload; / leads to the dashboard; unknown paths get a 404 page", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/cards`);
  await page.reload();
  await page.getByRole("heading", { name: "Card check" }).waitFor();
  await page.goto(`${server.url}/`);
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  assert.match(page.url(), /\/dashboard$/);
  await page.goto(`${server.url}/no/such/page`);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
});

test("deep link from a static host that answers unknown paths with 404.html", async () => {
  const host = await serveDist({ mode: "static-404" });
  // Its own browser: the host's 404 status is logged by Chromium, as intended here.
  const own = await launch();
  try {
    const page = await own.newPage();
    const response = await page.goto(`${host.url}/cards`);
    assert.equal(response.status(), 404, "the host itself says 404");
    await page.getByRole("heading", { name: "Card check" }).waitFor();
    await page.getByLabel("Card number").fill("6011885753412897");
    assert.equal(await field(page, "brand").textContent(), "Discover");
    assert.deepEqual(
      own.errors.filter((e) => !e.includes("status of 404")),
      [],
    );
  } finally {
    await own.close();
    await host.close();
  }
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
