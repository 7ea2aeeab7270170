// Start-up time in headless Chromium: from navigation to the first interactive control (the
// header's company <select>, enabled and visible) and to the first rendered section, median of
// five cold loads (the server sends no-store, so every load downloads the wasm again).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { serveDist } from "./support/server.mjs";
import { launch } from "./support/browser.mjs";

/** The target; the test fails only far above it, as a shared CI machine can be slow. */
const TARGET_MS = 1000;
const HARD_LIMIT_MS = 5000;
const RUNS = 5;

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launch();
  await browser.context.addInitScript(() => {
    const seen = () => {
      const select = document.querySelector("header select");
      if (window.__firstControl === undefined && select && !select.disabled && select.options.length > 0 && select.offsetParent !== null) {
        window.__firstControl = performance.now();
      }
      if (window.__firstSection === undefined && document.querySelector("main h1")) {
        window.__firstSection = performance.now();
      }
      return window.__firstControl !== undefined && window.__firstSection !== undefined;
    };
    new MutationObserver((_, observer) => {
      if (seen()) observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test(`first interactive control, median of ${RUNS} loads`, async () => {
  const control = [];
  const section = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/dashboard`);
    await page.waitForFunction(() => window.__firstControl !== undefined && window.__firstSection !== undefined);
    const [c, s] = await page.evaluate(() => [window.__firstControl, window.__firstSection]);
    control.push(c);
    section.push(s);
    await page.close();
  }
  const round = (xs) => xs.map((x) => Math.round(x));
  console.log(
    `first interactive control (company select): median ${Math.round(median(control))} ms (runs ${round(control).join(", ")} ms; target ≤ ${TARGET_MS} ms)`,
  );
  console.log(`first section rendered (main h1): median ${Math.round(median(section))} ms (runs ${round(section).join(", ")} ms)`);
  if (median(control) > TARGET_MS) console.log(`WARNING: over the ${TARGET_MS} ms target`);
  assert.ok(median(control) <= HARD_LIMIT_MS, `median ${median(control)} ms is over ${HARD_LIMIT_MS} ms`);
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
