// The section navigation at a phone's width (390×844): collapsed behind the header's Menu
// button (a disclosure: `aria-expanded`, `aria-controls` naming the navigation), so a page's
// heading starts right under the header. The button opens and closes the list; choosing a
// section, by pointer or keyboard, navigates, closes the list and puts the focus on the new
// page; Escape closes it and gives the focus back to the button. Deep links and reloads still
// land on their section, axe-core finds nothing serious in either state, the page never
// scrolls sideways, and the strict Content-Security-Policy of csp.test.mjs reports nothing.
// At 1280 px the navigation is always shown and there is no Menu button.
import { after, test } from "node:test";
import assert from "node:assert/strict";

import { screenshotPath } from "./support/browser.mjs";
import { expectNoSeriousAxeViolations, openPortal, ready } from "./support/portal.mjs";
import { serveDist } from "./support/server.mjs";

const { server, browser, page } = await openPortal();

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };
const SECTIONS = 15;

const menu = (p = page) => p.getByRole("button", { name: "Menu" });
/** The navigation whatever its state (a role query finds it only while it is shown). */
const nav = (p = page) => p.locator("nav.sidenav");
const expanded = (p = page) => menu(p).getAttribute("aria-expanded");

/** What has the keyboard focus, in words: `tag:name`. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "body";
    const name = el.getAttribute("aria-label") || el.textContent.trim().replace(/\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}:${name}`;
  });

const focusOnMain = () => page.waitForFunction(() => document.activeElement?.id === "main");

/** How far the page scrolls sideways (0: not at all). */
const sideways = (p = page) => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** The links of the navigation a person can see now. */
const visibleLinks = (p = page) =>
  nav(p)
    .locator("a")
    .evaluateAll((as) => as.filter((a) => a.getClientRects().length > 0).map((a) => a.textContent));

/** The header's bottom and the main heading's top, in px from the top of the page. */
const headingTop = () =>
  page.evaluate(() => ({
    header: document.querySelector(".topbar").getBoundingClientRect().bottom,
    h1: document.querySelector("main h1").getBoundingClientRect().top,
  }));

async function openAt(size, path) {
  await page.setViewportSize(size);
  await page.goto(`${server.url}${path}`);
  await ready(page);
}

test("at 390×844 the sections are collapsed behind the header's Menu button and the page starts under the header", async () => {
  await openAt(PHONE, "/dashboard");
  const button = menu();
  await button.waitFor();
  assert.equal(await button.evaluate((b) => `${b.tagName}:${b.type}`), "BUTTON:button");
  assert.ok(await button.evaluate((b) => b.closest("header.topbar") !== null), "the button is in the header");
  assert.equal(await expanded(), "false");
  const controls = await button.getAttribute("aria-controls");
  assert.equal(await page.locator(`#${controls}`).evaluate((el) => `${el.tagName}:${el.getAttribute("aria-label")}`), "NAV:Sections");
  assert.equal(await nav().isVisible(), false);
  assert.deepEqual(await visibleLinks(), []);
  assert.equal(await page.getByRole("navigation", { name: "Sections" }).count(), 0, "hidden from assistive technology too");

  // With the list always shown (header 166 px, list 223 px) the heading began at 410 px. Now
  // only the header's four lines (brand; company; environment and Menu; clock and save
  // state: 166 px, as before) and the main region's 20 px padding come first: measured
  // 186 px, allowed 24 px more for another system font's line heights.
  const box = await headingTop();
  assert.ok(box.h1 <= 210, `the heading starts ${box.h1} px down a 844 px screen`);
  assert.ok(box.h1 - box.header <= 24, `nothing stands between the header and the page (${box.header} → ${box.h1})`);
  const menuBox = await button.boundingBox();
  assert.ok(menuBox.x + menuBox.width <= PHONE.width && menuBox.y + menuBox.height <= box.header, "the button is inside the header and the viewport");
  assert.ok(menuBox.height >= 24 && menuBox.width >= 24, "a target a finger can hit");
  assert.equal(await sideways(), 0);
  await expectNoSeriousAxeViolations(page, "phone, navigation closed");
  await page.screenshot({ path: screenshotPath("phone-nav-390-closed") });
});

test("with the sandbox clock moved on, its longer text still leaves the header four lines", async () => {
  await openAt(PHONE, "/schedule");
  await page.getByRole("button", { name: "Advance 1 day" }).click();
  await page.locator(".topbar .clock", { hasText: /\(simulated\)$/ }).waitFor();
  const box = await headingTop();
  assert.ok(box.h1 <= 210, `the heading starts ${box.h1} px down`);
  const menuBox = await menu().boundingBox();
  const clock = await page.locator(".topbar .clock").boundingBox();
  assert.ok(menuBox.y + menuBox.height <= clock.y, "the Menu button stays on the Environment switch's line, above the clock");
  assert.equal(await sideways(), 0);
  await page.screenshot({ path: screenshotPath("phone-nav-390-simulated-clock") });
});

test("the Menu button opens the list under the header and closes it again", async () => {
  await openAt(PHONE, "/dashboard");
  await menu().click();
  assert.equal(await expanded(), "true");
  await page.getByRole("navigation", { name: "Sections" }).waitFor();
  const links = await visibleLinks();
  assert.equal(links.length, SECTIONS, `every section is listed: ${links}`);
  assert.equal(await nav().getByRole("link", { name: "Dashboard" }).getAttribute("aria-current"), "page");
  const fit = await page.evaluate(() => {
    const header = document.querySelector(".topbar").getBoundingClientRect();
    const list = document.querySelector("nav.sidenav").getBoundingClientRect();
    const rights = [...document.querySelectorAll("nav.sidenav a")].map((a) => a.getBoundingClientRect().right);
    return { gap: list.top - header.bottom, right: Math.max(...rights) };
  });
  assert.ok(Math.abs(fit.gap) < 1, `the list opens right under the header (${fit.gap} px)`);
  assert.ok(fit.right <= PHONE.width, `every link is within the screen's width (${fit.right} px)`);
  assert.equal(await sideways(), 0);
  await expectNoSeriousAxeViolations(page, "phone, navigation open");
  await page.screenshot({ path: screenshotPath("phone-nav-390-open") });

  await menu().click();
  assert.equal(await expanded(), "false");
  assert.equal(await nav().isVisible(), false);
  assert.equal(page.url(), `${server.url}/dashboard`);
});

test("keyboard only: Tab to Menu, Enter opens, Tab goes into the links, Escape closes and gives the focus back", async () => {
  await openAt(PHONE, "/dashboard");
  const order = [];
  for (let i = 0; i < 12 && order.at(-1) !== "button:Menu"; i++) {
    await page.keyboard.press("Tab");
    order.push(await focused());
  }
  assert.deepEqual(order, ["a:Skip to content", "a:fkflexkit", "select:All companiesDefault Company", "button:Sandbox", "button:Production", "button:Menu"]);
  // A visible focus ring.
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).boxShadow), "none");

  await page.keyboard.press("Enter");
  assert.equal(await expanded(), "true");
  // The list follows the button: the next Tab is its first link.
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "a:Dashboard");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "a:Transactions");
  await page.keyboard.press("Escape");
  assert.equal(await expanded(), "false");
  assert.equal(await focused(), "button:Menu");
  assert.equal(await nav().isVisible(), false);
  await page.screenshot({ path: screenshotPath("phone-nav-390-escape-focus") });

  // Space opens it as well; Escape on the button itself closes it.
  await page.keyboard.press("Space");
  assert.equal(await expanded(), "true");
  await page.keyboard.press("Escape");
  assert.equal(await expanded(), "false");
  assert.equal(await focused(), "button:Menu");

  // Enter on a link: the section opens, the list closes, the focus is on the new page.
  await page.keyboard.press("Enter");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
  assert.equal(await focused(), "a:Reports");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/reports$/);
  await page.getByRole("heading", { level: 1, name: "Reports" }).waitFor();
  await focusOnMain();
  assert.equal(await expanded(), "false");
  assert.equal(await nav().isVisible(), false);
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.querySelector("main").contains(document.activeElement)), await focused());
  await page.screenshot({ path: screenshotPath("phone-nav-390-keyboard-reports") });
});

test("a section chosen by pointer opens and the list closes, the current section's too", async () => {
  await openAt(PHONE, "/dashboard");
  await menu().click();
  await nav().getByRole("link", { name: "Customers" }).click();
  await page.waitForURL(/\/customers$/);
  await page.getByRole("heading", { level: 1, name: "Customers" }).waitFor();
  await focusOnMain();
  assert.equal(await expanded(), "false");
  assert.equal(await nav().isVisible(), false);

  // The section already shown: no move, yet the list closes and the focus goes to the page.
  await menu().click();
  await nav().getByRole("link", { name: "Customers" }).click();
  assert.equal(await expanded(), "false");
  await focusOnMain();
  assert.equal(page.url(), `${server.url}/customers`);
});

test("a deep link, a reload and Back still land on their section at a phone's width", async () => {
  await openAt(PHONE, "/integrations/api-keys");
  await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
  await page.reload();
  await ready(page);
  await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
  assert.equal(await expanded(), "false");
  await menu().click();
  assert.equal(await nav().getByRole("link", { name: "Integrations" }).getAttribute("aria-current"), "page");
  await nav().getByRole("link", { name: "Card check" }).click();
  await page.getByRole("heading", { level: 1, name: "Card check" }).waitFor();
  await page.goBack();
  await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
  assert.equal(await expanded(), "false");
  assert.equal(await nav().isVisible(), false);
  assert.equal(await sideways(), 0);
});

test("at 1280 the sections are always shown and there is no Menu button", async () => {
  await openAt(LAPTOP, "/dashboard");
  assert.equal(await menu().count(), 0, "no Menu button, for assistive technology either");
  assert.equal(await page.locator(".menu-button").isVisible(), false);
  await page.getByRole("navigation", { name: "Sections" }).waitFor();
  assert.equal((await visibleLinks()).length, SECTIONS);
  const side = await page.evaluate(() => ({
    nav: document.querySelector("nav.sidenav").getBoundingClientRect().toJSON(),
    main: document.querySelector("main").getBoundingClientRect().toJSON(),
  }));
  assert.ok(side.nav.right <= side.main.left && side.nav.width >= 200, `the navigation is a column beside the page: ${JSON.stringify(side)}`);
  // A section chosen there moves the focus as before and leaves the navigation in place.
  await nav().getByRole("link", { name: "Reports" }).click();
  await page.getByRole("heading", { level: 1, name: "Reports" }).waitFor();
  await focusOnMain();
  assert.ok(await nav().isVisible());
  await page.screenshot({ path: screenshotPath("phone-nav-1280") });

  // Opened at a phone's width, then widened and narrowed: still one list, shown when wide.
  await page.setViewportSize(PHONE);
  await menu().click();
  await page.setViewportSize(LAPTOP);
  assert.ok(await nav().isVisible());
  assert.equal(await page.locator("nav").filter({ has: page.getByRole("link", { name: "Reports" }) }).count(), 1);
  await page.setViewportSize(PHONE);
  assert.equal(await expanded(), "true");
  await menu().click();
  assert.equal(await nav().isVisible(), false);
});

test("under a strict Content-Security-Policy the Menu works with no violation", async () => {
  const CSP =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'";
  const strict = await serveDist({ headers: { "Content-Security-Policy": CSP } });
  after(() => strict.close());
  const phone = await browser.context.newPage();
  await phone.setViewportSize(PHONE);
  await phone.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
  });
  await phone.goto(`${strict.url}/dashboard`);
  await ready(phone);
  assert.equal(await nav(phone).isVisible(), false);
  await menu(phone).click();
  await nav(phone).getByRole("link", { name: "Retry schedule" }).click();
  await phone.getByRole("heading", { level: 1, name: "Retry schedule" }).waitFor();
  assert.equal(await expanded(phone), "false");
  assert.equal(await nav(phone).isVisible(), false);
  await menu(phone).click();
  await phone.keyboard.press("Escape");
  assert.equal(await expanded(phone), "false");
  assert.equal(await sideways(phone), 0);
  assert.deepEqual(await phone.evaluate(() => window.__csp), []);
  await phone.close();
  assert.deepEqual(browser.errors, []);
});
