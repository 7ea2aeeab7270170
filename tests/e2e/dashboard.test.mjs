// The Dashboard read by the people it is hard on: a chart with nothing in it says so instead
// of naming a maximum, the chart's legend still tells its two series apart in forced colours
// (high contrast), at a phone's width the heading keeps its word whole and the chart's labels
// stay readable, and the header's Environment switch shows the focus ring of the segment that
// has the focus, not clipped by the switch's frame.
import { test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { openPortal, ready, sendFromTerminal } from "./support/portal.mjs";

const { server, page } = await openPortal();

test("an empty chart says there was no attempt, not a maximum of 1", async () => {
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  const chart = page.locator("figure.chart svg");
  await chart.waitFor();
  const labels = await chart.locator("text.axis-label").allTextContents();
  assert.equal(labels[0], "no attempt", labels.join(" | "));
  assert.ok(!labels.some((l) => /max/.test(l)), labels.join(" | "));
  await page.locator("figure.chart").getByText("0 attempts, 0 recoveries in the period").waitFor();
});

test("with attempts, the chart names the busiest day's count", async () => {
  // A soft decline (trigger amount 20.08) starts a recovery chain: one attempt today.
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("20.08");
  await sendFromTerminal(page);
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  const top = page.locator("figure.chart svg text.axis-label").first();
  await top.getByText("max 1 per day", { exact: true }).waitFor();
  await page.locator("figure.chart").getByText("1 attempt, 0 recoveries in the period").waitFor();
});

test("a first attempt approved at once (retry count 0) is an attempt, not a recovery", async () => {
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  await page.getByRole("button", { name: /^Visa/ }).click();
  await page.getByRole("textbox", { name: /^Amount/ }).fill("12.00");
  await page.getByRole("textbox", { name: "Retry count" }).fill("0");
  await sendFromTerminal(page);
  assert.equal(await page.getByTestId("response-code").textContent(), "10000");
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  // The soft decline of the test before, and this approval: two attempts, nothing recovered.
  await page.locator("figure.chart").getByText("2 attempts, 0 recoveries in the period").waitFor();
});

test("in forced colours the legend's swatches still differ: hatched attempts, solid recoveries", async () => {
  await page.emulateMedia({ forcedColors: "active" });
  try {
    await page.goto(`${server.url}/dashboard`);
    await ready(page);
    const look = (selector) =>
      page.locator(selector).evaluate((el) => {
        const style = getComputedStyle(el);
        return { image: style.backgroundImage, color: style.backgroundColor };
      });
    const attempts = await look(".swatch-attempts");
    const recoveries = await look(".swatch-recoveries");
    assert.match(attempts.image, /repeating-linear-gradient/, JSON.stringify(attempts));
    assert.equal(recoveries.image, "none");
    assert.notEqual(recoveries.color, "rgba(0, 0, 0, 0)", "the recoveries' swatch is filled");
    await page.locator("figure.chart").screenshot({ path: screenshotPath("dashboard-chart-forced-colors") });
  } finally {
    await page.emulateMedia({ forcedColors: "none" });
  }
});

test("at 375 px the heading keeps its word whole and the chart's labels read at 10 px or more", async () => {
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    await page.goto(`${server.url}/dashboard`);
    await ready(page);
    const heading = page.getByRole("heading", { name: "Dashboard", level: 1 });
    const lines = await heading.evaluate((h) => {
      const range = document.createRange();
      range.selectNodeContents(h);
      return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    });
    assert.equal(lines, 1, "Dashboard on one line");
    const heights = await page.locator("figure.chart svg text.axis-label").evaluateAll((texts) =>
      texts.map((t) => t.getBoundingClientRect().height),
    );
    assert.ok(heights.length === 3 && heights.every((h) => h >= 10), JSON.stringify(heights));
    await page.screenshot({ path: screenshotPath("dashboard-375"), fullPage: true });
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test("the Environment switch shows the focus ring of the segment reached by Tab", async () => {
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  const group = page.getByRole("group", { name: "Environment" });
  for (const name of ["Sandbox", "Production"]) {
    const segment = group.getByRole("button", { name, exact: true });
    // Reached by the keyboard, as :focus-visible needs.
    await segment.focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    assert.equal(await segment.evaluate((b) => b === document.activeElement), true, name);
    const ring = await segment.evaluate((b) => {
      const shadow = getComputedStyle(b).boxShadow;
      // Nothing around the segment cuts off what is drawn outside its box.
      let clipped = false;
      for (let el = b.parentElement; el && el !== document.body; el = el.parentElement) {
        if (getComputedStyle(el).overflow !== "visible") clipped = true;
      }
      return { shadow, clipped };
    });
    assert.match(ring.shadow, /\d+px/, `${name}: ${ring.shadow}`);
    assert.equal(ring.clipped, false, `${name}: the ring is not clipped`);
  }
  const box = await group.boundingBox();
  await page.screenshot({
    path: screenshotPath("environment-switch-focus"),
    clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: box.height + 16 },
  });
});
