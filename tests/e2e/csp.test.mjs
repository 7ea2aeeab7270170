// The built portal under a strict Content-Security-Policy: no inline script or style, wasm
// allowed through 'wasm-unsafe-eval' only. It must boot and work with no violation reported.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { serveDist } from "./support/server.mjs";
import { launch, screenshotPath } from "./support/browser.mjs";
import { ready } from "./support/portal.mjs";

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

let server;
let browser;

before(async () => {
  server = await serveDist({ headers: { "Content-Security-Policy": CSP } });
  browser = await launch();
  // Runs before the page's own scripts, outside the page's CSP: records every violation.
  await browser.context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const violations = (page) => page.evaluate(() => window.__csp);

test("the server sends the policy", async () => {
  const response = await fetch(`${server.url}/dashboard`);
  assert.equal(response.headers.get("content-security-policy"), CSP);
});

test("the portal boots and works under the policy, with no violation", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/dashboard`);
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  // The stylesheet applied (not blocked): the side navigation has its background.
  assert.equal(
    await page.locator(".sidenav").evaluate((el) => getComputedStyle(el).backgroundColor),
    "rgb(255, 255, 255)",
  );

  // Work a little in several sections: card check, integrations, certification, data.
  await page.getByRole("link", { name: "Card check" }).click();
  await page.getByLabel("Card number").fill("4920 2019 9644 9560");
  await page.locator('#card-verdict [data-field="verdict"]').getByText("Valid", { exact: true }).waitFor();

  await page.getByRole("link", { name: "Integrations" }).click();
  await ready(page);
  await page.locator("main").getByLabel("Name").fill("CSP key");
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("button", { name: "Copy the key" }).click();
  await page.getByRole("button", { name: "I saved the key, close" }).click();

  await page.getByRole("link", { name: "Certification" }).click();
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByTestId("run-status").getByText("Last run: 7 of 7 steps passed.").waitFor({ timeout: 30_000 });
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  assert.match(file.suggestedFilename(), /\.csv$/);

  await page.getByRole("link", { name: "Dashboard" }).click();
  await page.locator(".chart svg").waitFor();
  await page.reload();
  await ready(page);
  await page.screenshot({ path: screenshotPath("csp-dashboard"), fullPage: true });

  assert.deepEqual(await violations(page), []);
  assert.deepEqual(browser.errors, []);
});

test("the built index.html has no inline script or style left", async () => {
  const html = await (await fetch(`${server.url}/`)).text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "every script has a src");
  assert.doesNotMatch(html, /<style|\sstyle=/, "no inline style");
});

test("the violation detector itself works (an inline style attribute is reported)", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/cards`);
  await ready(page);
  await page.evaluate(() => document.body.setAttribute("style", "outline: 1px solid red"));
  await page.waitForFunction(() => window.__csp.length > 0);
  assert.match((await violations(page))[0], /^style-src/);
  await page.close();
});
