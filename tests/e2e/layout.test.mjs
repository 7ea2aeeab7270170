// Layout at a phone's width (390×844) and a laptop's (1280×800), with data on every page (a
// certification run): on every route of crates/portal/src/app.rs the page never scrolls
// sideways (wide tables scroll inside their own box), and the header's company select and
// Environment switch are visible, inside the viewport and not covered, as are the clock and
// the save indicator. At 1280 the transaction list shows every column with amounts on one
// line, its filters take one line, the reports and the dashboard's figures fit, and the
// buttons share one style. The controls of a row of form fields share one line. At 390 the
// dashboard's upcoming retries keep dates and amounts on one line, the rows of the retry
// schedule, the gateways, the transactions, Appendix A and the dashboard's upcoming retries are
// cards that fit the screen, actions included, and axe-core finds no
// scrolling box a keyboard cannot reach (the empty vault is a sentence, not an empty table).
import { before, test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { axeViolations, declaredRoutes, openPortal, ready, runCertification } from "./support/portal.mjs";

const { server, page } = await openPortal();

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

/** Every path to visit: the routes of app.rs with their parameters filled in from the data. */
let paths;

before(async () => {
  await runCertification(page, server.url);
  const transactionId = (await page.locator("table[aria-labelledby='appendix-a'] tbody tr code").first().textContent()).trim();
  await page.goto(`${server.url}/customers`);
  await ready(page);
  const customerPath = await page.getByRole("table", { name: "Customers" }).getByRole("link").first().getAttribute("href");
  paths = [];
  for (const route of await declaredRoutes()) {
    const optional = route.match(/^(.*)\/:[a-z_]+\?$/);
    if (route === "/") continue; // a redirect to /dashboard
    if (optional) {
      // `/integrations/:tab?`: the bare path and every tab it links to.
      await page.goto(`${server.url}${optional[1]}`);
      await ready(page);
      const tabs = await page.locator(`main a[href^="${optional[1]}/"]`).evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      paths.push(...new Set(tabs));
    } else if (route.endsWith("/:key")) {
      paths.push(customerPath);
    } else {
      paths.push(route.replace(":id", transactionId));
    }
  }
  assert.ok(paths.includes(`/transactions/${transactionId}`) && paths.includes(customerPath));
  assert.ok(paths.length >= 19, `every route is visited: ${paths.join(" ")}`);
});

/** A file name for a path: `/integrations/api-keys` → `integrations-api-keys`. */
const shotName = (path) =>
  path.startsWith("/transactions/") ? "transaction-detail" : path.startsWith("/customers/") ? "customer-detail" : path.slice(1).replaceAll("/", "-");

/**
 * What is wrong with the page as it is now, scrolled to the top, in words: sideways scroll of
 * the page, and the header's controls hidden, outside the viewport or covered by something.
 */
function shellProblems() {
  const problems = [];
  const width = window.innerWidth;
  const height = window.innerHeight;
  const page = document.documentElement.scrollWidth;
  if (page > width) {
    // Name the widest elements that stick out, to say where the overflow comes from.
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !(el.parentElement.getBoundingClientRect().right > width + 0.5))
      .slice(0, 4)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${[...el.classList].join(".")}` : ""}`);
    problems.push(`the page is ${page} px wide in a ${width} px viewport (${wide.join(", ")})`);
  }
  const controls = {
    "company select": document.querySelector(".topbar select"),
    "Environment group": document.querySelector('.topbar [role="group"][aria-label="Environment"]'),
    clock: document.querySelector(".topbar .clock"),
    "save indicator": document.querySelector(".topbar .save"),
  };
  for (const [name, el] of Object.entries(controls)) {
    if (!el) {
      problems.push(`no ${name}`);
      continue;
    }
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility !== "visible") {
      problems.push(`the ${name} is not shown`);
    } else if (box.left < 0 || box.top < 0 || box.right > width || box.bottom > height) {
      problems.push(`the ${name} is outside the viewport (${Math.round(box.left)}, ${Math.round(box.top)}, ${Math.round(box.right)}, ${Math.round(box.bottom)})`);
    } else {
      // Nothing lies over it: a click at its middle reaches it.
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (!el.contains(hit)) problems.push(`the ${name} is covered by ${hit?.tagName.toLowerCase()}.${hit?.className}`);
    }
  }
  const header = document.querySelector(".topbar").getBoundingClientRect();
  // At a phone's width the navigation is collapsed behind the Menu button (phone-navigation.test.mjs).
  const sidenav = document.querySelector(".sidenav");
  const nav = sidenav.getBoundingClientRect();
  if (sidenav.getClientRects().length && nav.top < header.bottom - 0.5) problems.push(`the navigation starts ${Math.round(header.bottom - nav.top)} px inside the header`);
  return problems;
}

/**
 * Visits every path at `size`, collects the problems of each, saves a screenshot of each. With
 * `axe`, also the serious and critical axe-core violations (the boxes tables scroll in appear
 * at a phone's width only, and a scrolling box must be reachable by keyboard).
 */
async function visitAll(size, { axe = false } = {}) {
  await page.setViewportSize(size);
  const problems = [];
  for (const path of paths) {
    await page.goto(`${server.url}${path}`);
    await ready(page);
    for (const problem of await page.evaluate(shellProblems)) problems.push(`${path}: ${problem}`);
    if (axe) {
      const { violations } = await axeViolations(page);
      for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        problems.push(`${path}: axe ${v.id}: ${v.targets.join("; ")}`);
      }
    }
    await page.screenshot({ path: screenshotPath(`layout-${size.width}-${shotName(path)}`), fullPage: true });
  }
  return problems;
}

test("at 390×844 no page scrolls sideways and the header's controls are all within reach", async () => {
  assert.deepEqual(await visitAll(PHONE, { axe: true }), []);
  // The wide tables are still whole: they scroll inside their own box (the transactions'
  // rows are cards there, tested below).
  await page.goto(`${server.url}/reports`);
  await ready(page);
  const list = await page.locator("main .table-scroll").first().evaluate((box) => ({ scroll: box.scrollWidth, box: box.clientWidth, overflow: getComputedStyle(box).overflowX }));
  assert.ok(list.scroll > list.box, `the weekly recovery report is wider than a phone (${list.scroll} px in ${list.box} px)`);
  assert.equal(list.overflow, "auto");
});

test("at 390 the rows of the retry schedule, the gateways, the transactions, Appendix A and the dashboard's upcoming retries fit the screen, their actions without sideways scroll", async () => {
  await page.setViewportSize(PHONE);
  for (const [path, name, action, column] of [
    ["/schedule", "Scheduled retries", /Send retry|FlexPay Retries sends it/, /"Actions?"/],
    ["/gateways", "Payment gateways", /Edit.*Delete…/s, /"Actions?"/],
    // The last column of the list: status, response and amount are on the screen too.
    ["/transactions", "Transactions", /\S/, /"Merchant transaction ID"/],
    // Appendix A's transaction IDs, the one value handed to FlexPay, and the dashboard's amounts.
    ["/certification", "Appendix A: transaction tokens", /^[0-9A-Z]{20,}$/, /"Transaction ID"/],
    ["/dashboard", "Upcoming retries", /\S/, /"Last attempt"/],
  ]) {
    await page.goto(`${server.url}${path}`);
    await ready(page);
    const table = page.getByRole("table", { name });
    await table.locator("tbody tr").first().waitFor();
    // Neither the table nor the box it may sit in scrolls sideways.
    const boxes = await table.evaluate((t) => [t, t.parentElement].map((el) => [el.scrollWidth, el.clientWidth]));
    for (const [scroll, box] of boxes) assert.ok(scroll <= box, `${name}: ${scroll} px in a ${box} px box`);
    // Every cell, the actions' buttons too, lies inside the screen.
    const outside = await table.locator("td, th, button").evaluateAll((els) => els.filter((el) => el.getBoundingClientRect().right > window.innerWidth).map((el) => el.textContent));
    assert.deepEqual(outside, [], name);
    // Each cell is still named by its column: the header row stays in the table for screen readers.
    assert.ok((await table.getByRole("columnheader").count()) >= 3);
    const last = table.locator("tbody tr").first().locator("td").last();
    assert.match(await last.evaluate((td) => getComputedStyle(td, "::before").content), column);
    assert.match(await last.innerText(), action);
    await table.screenshot({ path: screenshotPath(`layout-390-${path.slice(1)}-cards`) });
    // At 375 too, each cell is as tall as the name drawn beside its value, which may take two
    // lines ("Next retry count"), so no name runs into the next one.
    await page.setViewportSize({ width: 375, height: 812 });
    const names = await table.locator("tbody td").evaluateAll((tds) => tds
      .map((td) => [getComputedStyle(td, "::before").content, parseFloat(getComputedStyle(td, "::before").height), td.clientHeight])
      .filter(([content]) => content !== "none"));
    assert.ok(names.length > 0 && names.every(([, height]) => height > 0), JSON.stringify(names));
    assert.deepEqual(names.filter(([, height, cell]) => height > cell - 2), [], `${name} at 375`);
    await page.setViewportSize(PHONE);
  }
});

test("at 1280×800 no page scrolls sideways and the header keeps one line", async () => {
  assert.deepEqual(await visitAll(LAPTOP), []);
  const header = await page.locator(".topbar").boundingBox();
  assert.ok(header.height <= 57, `the header is one line (${header.height} px)`);
});

/** The number of lines the text of `el` takes. */
const lines = (el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
};

test("at 1280 the transaction list shows every column, an amount and its currency on one line", async () => {
  await page.setViewportSize(LAPTOP);
  await page.goto(`${server.url}/transactions`);
  await ready(page);
  const table = page.locator("main table.data");
  await table.locator("tbody tr").first().waitFor();
  const fit = await table.evaluate((t) => {
    const box = t.parentElement.getBoundingClientRect();
    const last = [...t.tHead.rows[0].cells].at(-1);
    return { scroll: t.parentElement.scrollWidth, width: t.parentElement.clientWidth, last: last.textContent, right: last.getBoundingClientRect().right, boxRight: box.right };
  });
  assert.equal(fit.last, "Merchant transaction ID");
  assert.ok(fit.scroll <= fit.width, `the list needs no sideways scroll (${fit.scroll} px in ${fit.width} px)`);
  assert.ok(fit.right <= fit.boxRight + 0.5, "the Merchant transaction ID column is in view");
  const amounts = await table.locator("tbody td.num").evaluateAll((tds, linesSource) => {
    const count = new Function(`return (${linesSource})`)();
    return tds.filter((td) => /[A-Z]{3}$/.test(td.textContent)).map((td) => [td.textContent, count(td)]);
  }, lines.toString());
  assert.ok(amounts.length >= 10, "the amounts are found");
  assert.deepEqual(amounts.filter(([, n]) => n !== 1), [], "every amount is on one line");

  // The six selects take one line: every label ends at the same height; the period and the
  // search share the line below.
  const labels = await page.locator("main form.filters > label").evaluateAll((ls) => ls.map((l) => Math.round(l.getBoundingClientRect().bottom)));
  assert.equal(labels.length, 9);
  const [selects, below] = [labels.slice(0, 6), labels.slice(6)];
  assert.equal(new Set(selects).size, 1, `the selects are on one line: ${selects}`);
  assert.equal(new Set(below).size, 1, `the period and the search are on one line: ${below}`);
  assert.ok(below[0] > selects[0], "the period and the search are under the selects");
  // The gateway filter has options (the run made gateways), yet stays narrow.
  const gateway = page.locator("main form.filters").getByLabel("Gateway");
  assert.ok((await gateway.locator("option").count()) > 2);
  assert.ok((await gateway.boundingBox()).width <= 200);
});

test("at 1280 every report fits without sideways scroll", async () => {
  await page.setViewportSize(LAPTOP);
  await page.goto(`${server.url}/reports`);
  await ready(page);
  await page.getByLabel("To (UTC)", { exact: true }).fill("2099-12-31");
  await page.getByLabel("To (UTC)", { exact: true }).dispatchEvent("change");
  const recovery = page.locator('section[data-report="recovery"] table');
  await recovery.locator("tbody tr").first().waitFor();
  assert.equal(await recovery.locator("thead th").count(), 13, "the recovery report has its thirteen columns");
  const boxes = await page.locator("main .report .table-scroll").evaluateAll((ds) => ds.map((d) => [d.closest("[data-report]").dataset.report, d.scrollWidth, d.clientWidth]));
  assert.equal(boxes.length, 6);
  assert.deepEqual(boxes.filter(([, scroll, width]) => scroll > width), [], "no report scrolls sideways");
});

test("at 1280 the dashboard's figures and their names each take one line", async () => {
  await page.setViewportSize(LAPTOP);
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  const card = page.locator("main .kpi-card").first();
  await card.waitFor();
  const wrapped = await card.locator("dt, dd").evaluateAll((els, linesSource) => {
    const count = new Function(`return (${linesSource})`)();
    return els.map((el) => [el.textContent, count(el)]);
  }, lines.toString());
  assert.ok(wrapped.some(([text]) => /^\d+ \(\d+\.\d{2} USD\)$/.test(text)), `the declines received are shown: ${JSON.stringify(wrapped)}`);
  assert.ok(wrapped.some(([text]) => text === "Forecast recovery"));
  assert.deepEqual(wrapped.filter(([, n]) => n !== 1), []);
});

test("Export CSV and the other secondary buttons have the portal's button shape", async () => {
  await page.setViewportSize(LAPTOP);
  const shape = (locator) =>
    locator.evaluate((b) => {
      const s = getComputedStyle(b);
      return { radius: s.borderTopLeftRadius, width: s.borderTopWidth, style: s.borderTopStyle, color: s.borderTopColor };
    });
  await page.goto(`${server.url}/transactions`);
  await ready(page);
  const primary = await shape(page.getByRole("button", { name: "Previous page" }));
  assert.equal(primary.radius, "8px");
  assert.deepEqual(await shape(page.getByRole("button", { name: /^Export CSV/ })), primary);
  await page.goto(`${server.url}/reports`);
  await ready(page);
  assert.deepEqual(await shape(page.getByRole("button", { name: /^Export CSV/ }).first()), primary);
  await page.goto(`${server.url}/schedule`);
  await ready(page);
  assert.deepEqual(await shape(page.getByRole("button", { name: "Undo the advances" })), primary);
});

test("the controls of a row of form fields share one line whatever stands above or under them", async () => {
  await page.setViewportSize(LAPTOP);
  await page.goto(`${server.url}/companies`);
  await ready(page);
  const name = page.getByLabel("Name", { exact: true });
  const code = page.getByLabel("Company code");
  await name.fill("Acme Widgets");
  await code.fill("ACME-01");
  await page.getByRole("button", { name: "Add company" }).click();
  await page.locator("#company-code-problems").getByText(/letters and digits/).waitFor();
  const [nameBox, codeBox] = [await name.boundingBox(), await code.boundingBox()];
  assert.ok(Math.abs(nameBox.y - codeBox.y) <= 1, `the two inputs are on one line (${nameBox.y} and ${codeBox.y})`);
  await page.locator("main form").first().screenshot({ path: screenshotPath("layout-1280-companies-problem") });

  // The virtual terminal in void mode: the amount's label takes two lines, and the
  // transaction type beside it stays level with it.
  await page.goto(`${server.url}/terminal`);
  await ready(page);
  const type = page.getByLabel("Transaction type");
  await type.selectOption("void");
  const amount = page.getByLabel("Amount (not sent: a void is whole)");
  const amountLabel = await page.locator("main label[for='vt-amount']").evaluate((l, linesSource) => new Function(`return (${linesSource})`)()(l), lines.toString());
  assert.equal(amountLabel, 2, "the amount's label wraps at this width");
  const [typeBox, amountBox] = [await type.boundingBox(), await amount.boundingBox()];
  assert.ok(Math.abs(typeBox.y - amountBox.y) <= 1, `the two controls are on one line (${typeBox.y} and ${amountBox.y})`);
  await page.locator("main fieldset").first().screenshot({ path: screenshotPath("layout-1280-terminal-void") });
});

test("at 390 the dashboard's upcoming retries keep each due date, count and amount on one line", async () => {
  await page.setViewportSize(PHONE);
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  const table = page.getByRole("table", { name: "Upcoming retries" });
  await table.locator("tbody tr").first().waitFor();
  // The date itself: a retry due is marked "Due now" below it.
  const cells = await table.locator("tbody td.when > span, tbody td.num").evaluateAll((tds, linesSource) => {
    const count = new Function(`return (${linesSource})`)();
    return tds.map((td) => [td.textContent, count(td)]);
  }, lines.toString());
  assert.ok(cells.some(([text]) => / UTC$/.test(text)) && cells.some(([text]) => /\d\.\d{2} USD$/.test(text)), `dates and amounts are marked: ${JSON.stringify(cells)}`);
  assert.deepEqual(cells.filter(([, n]) => n !== 1), [], "every date, count and amount is on one line");
  await table.screenshot({ path: screenshotPath("layout-390-dashboard-upcoming") });
});
