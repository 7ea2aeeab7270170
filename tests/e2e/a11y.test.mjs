// Accessibility: axe-core on every route the app declares (crates/portal/src/app.rs), with data
// present, failing on serious or critical violations; a screenshot of every section; and a
// keyboard-only walk through the header and the navigation.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { serveDist } from "./support/server.mjs";
import { launch, screenshotPath } from "./support/browser.mjs";
import { axeViolations, declaredRoutes, generateKey, ready, runCertification } from "./support/portal.mjs";

let server;
let browser;
let transactionId;
let customerPath;

before(async () => {
  server = await serveDist();
  browser = await launch();
  // Data on every page: a certification run (transactions, chains, gateways, a key), one more
  // key and a FlexPay Retries configuration.
  const page = await browser.newPage();
  await runCertification(page, server.url);
  transactionId = (await page.locator("table[aria-labelledby='appendix-a'] tbody tr code").first().textContent()).trim();
  await page.goto(`${server.url}/customers`);
  await ready(page);
  customerPath = await page.getByRole("table", { name: "Customers" }).getByRole("link").first().getAttribute("href");
  await generateKey(page, server.url, { name: "CRM sandbox" });
  await page.goto(`${server.url}/integrations/flexpay-retries`);
  await ready(page);
  // In the header's mode, so that the list shows it.
  await page.locator("main").getByLabel("Name").fill("Scheduler sandbox");
  await page.locator("main").getByLabel("Environment").selectOption("Sandbox");
  await page.getByRole("button", { name: "Add auto-retry" }).click();
  await page.getByRole("table", { name: "Auto-retries" }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const BLOCKING = new Set(["serious", "critical"]);
// Moderate rules that are fixed and must stay so: two landmarks of one name cannot be told
// apart when a screen reader lists them.
const ALWAYS_BLOCKING = new Set(["landmark-unique"]);

test("axe finds no serious or critical violation on any route", async () => {
  const routes = await declaredRoutes();
  const page = await browser.newPage();
  const paths = [];
  for (const route of routes) {
    const optional = route.match(/^(.*)\/:[a-z_]+\?$/);
    if (optional) {
      // `/integrations/:tab?`: the bare path and every value the page links to (its tabs).
      const bare = optional[1];
      await page.goto(`${server.url}${bare}`);
      await ready(page);
      const links = await page.locator(`main a[href^="${bare}/"]`).evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      paths.push(bare, ...new Set(links));
    } else if (route.endsWith("/:key")) {
      paths.push(customerPath);
    } else {
      paths.push(route.replace(":id", transactionId));
    }
  }
  paths.push("/no/such/page");
  assert.match(customerPath, /^\/customers\/[^/]+$/, "a customer's page is checked");
  for (const expected of ["/dashboard", "/transactions", "/customers", "/schedule", "/cards", "/data", "/integrations/api-keys", "/integrations/flexpay-retries", "/certification", "/flexiti/customers", "/flexiti/terminal", "/flexiti/refund", "/flexiti/history"]) {
    assert.ok(paths.includes(expected), `${expected} is a declared route`);
  }
  const seen = new Set();
  const blocking = [];
  const titles = new Map();
  for (const path of paths) {
    await page.goto(`${server.url}${path}`);
    await ready(page);
    const landed = new URL(page.url()).pathname;
    if (seen.has(landed)) continue; // a redirect to a page already checked
    seen.add(landed);
    titles.set(landed, await page.title());
    const { violations, passed } = await axeViolations(page);
    assert.ok(passed > 10, `axe ran on ${landed}`);
    console.log(`axe ${landed}: ${passed} rules passed, ${violations.length} violated`);
    for (const v of violations) {
      console.log(`axe ${landed}: [${v.impact}] ${v.id}: ${v.help}\n    ${v.targets.join("\n    ")}`);
      if (BLOCKING.has(v.impact) || ALWAYS_BLOCKING.has(v.id)) blocking.push(`${landed}: ${v.id} (${v.impact})`);
    }
    const name = landed === "/" ? "root" : landed.slice(1).replaceAll("/", "-");
    const shot = name.startsWith("transactions-") ? "transaction-detail" : name.startsWith("customers-") ? "customer-detail" : name;
    await page.screenshot({ path: screenshotPath(`section-${shot}`), fullPage: true });
  }
  console.log(`axe checked ${seen.size} pages: ${[...seen].join(", ")}`);
  assert.deepEqual(blocking, []);

  // Each section has its own browser title, its name first; a page under a section has the
  // section's, and an unknown address says so.
  const title = (section) => `${section} · flexkit portal`;
  assert.equal(titles.get("/dashboard"), title("Dashboard"));
  assert.equal(titles.get("/schedule"), title("Retry schedule"));
  assert.equal(titles.get(`/transactions/${transactionId}`), title("Transactions"));
  assert.equal(titles.get("/integrations/flexpay-retries"), title("Integrations"));
  assert.equal(titles.get("/flexiti/history"), title("Flexiti"));
  assert.equal(titles.get("/no/such/page"), title("Page not found"));
  // An unknown page under a section is not found either.
  for (const path of ["/flexiti/nope", "/transactions/a/b", "/integrations/zzz", "/transactionsé", "/customersx"]) {
    await page.goto(`${server.url}${path}`);
    await ready(page);
    assert.equal(await page.title(), title("Page not found"), path);
  }
  const sections = [...titles].filter(([path]) => path.split("/").length === 2).map(([, t]) => t);
  assert.equal(new Set(sections).size, sections.length, `one title per section: ${sections.join(", ")}`);
});

/** What has the keyboard focus, in words. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "body";
    const name = el.getAttribute("aria-label") || el.textContent.trim().replace(/\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}:${name}`;
  });

test("keyboard only: Tab walks the header and the navigation, Enter opens a section", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  const order = [];
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    order.push(now);
    if (now === "a:Integrations") break;
  }
  console.log(`Tab order: ${order.join(" → ")}`);
  assert.equal(order[0], "a:Skip to content");
  const at = (what) => order.findIndex((o) => o.startsWith(what));
  const expected = ["a:Skip to content", "a:fk", "select:", "button:Sandbox", "button:Production", "a:Dashboard", "a:Transactions", "a:Retry schedule", "a:Integrations"];
  const positions = expected.map(at);
  assert.ok(positions.every((p) => p >= 0), `every control is reachable: ${JSON.stringify(positions)}`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, "in reading order");
  // The focused link shows a visible focus ring.
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).boxShadow);
  assert.notEqual(ring, "none");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/integrations\/api-keys$/);
  await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
  // The new section has the focus, so the next Tab goes into it, not along the navigation.
  await page.waitForFunction(() => document.activeElement?.id === "main");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.querySelector("main").contains(document.activeElement)), await focused(page));
  await page.screenshot({ path: screenshotPath("keyboard-integrations") });
});

test("keyboard only: the skip link moves the focus to the main region", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/schedule`);
  await ready(page);
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "a:Skip to content");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "main");
  assert.match(page.url(), /\/schedule(#main)?$/);
});

test("no page errors were logged", () => {
  assert.deepEqual(browser.errors, []);
});
