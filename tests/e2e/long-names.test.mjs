// Long names are data a merchant types: a company named with 100 characters and no space to
// break at, chosen in the header, must not widen any page at a phone's or a laptop's width,
// and the header's company select stays within its own width.
import { before, test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { declaredRoutes, openPortal, ready } from "./support/portal.mjs";

const { server, page } = await openPortal();

const LONG_NAME = `Northwind${"W".repeat(91)}`;

before(async () => {
  await page.goto(`${server.url}/companies`);
  await page.getByRole("heading", { name: "Companies", level: 1 }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill(LONG_NAME);
  await page.getByLabel("Company code").fill("LONG1");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("row").filter({ hasText: "LONG1" }).waitFor();
  await page.getByRole("banner").locator("select").selectOption({ label: LONG_NAME });
});

for (const viewport of [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
]) {
  test(`at ${viewport.width} px no page scrolls sideways with a 100-character company name`, async () => {
    await page.setViewportSize(viewport);
    const routes = (await declaredRoutes()).filter((r) => r !== "/" && !r.includes(":"));
    assert.ok(routes.length >= 13, routes.join(" "));
    for (const route of routes) {
      await page.goto(`${server.url}${route}`);
      await ready(page);
      const { page: width, viewport: inner, select } = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        select: document.querySelector(".topbar select").getBoundingClientRect().width,
      }));
      assert.ok(width <= inner, `${route}: the page is ${width} px wide in a ${inner} px viewport`);
      assert.ok(select <= 14 * 16 + 1, `${route}: the company select is ${select} px wide`);
    }
    await page.goto(`${server.url}/companies`);
    await ready(page);
    // The companies table keeps the long name's Code and Actions in view: the name breaks.
    const table = page.getByRole("table").first();
    const tableBox = await table.boundingBox();
    for (const name of ["Rename: Default Company (DEFAULT)", `Delete: ${LONG_NAME} (LONG1)`]) {
      const box = await page.getByRole("button", { name, exact: true }).boundingBox();
      assert.ok(box.x + box.width <= tableBox.x + tableBox.width + 1, `${name} is within the table (${box.x + box.width} > ${tableBox.x + tableBox.width})`);
    }
    await page.screenshot({ path: screenshotPath(`long-names-${viewport.width}-companies`), fullPage: true });
  });
}
