// Helpers shared by the portal's end-to-end tests: serving the built site to a browser for a
// test file, waiting for start-up, reading downloads, filling the sandbox with data through
// the UI, and the list of routes the app declares.
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";

import { launch } from "./browser.mjs";
import { serveDist } from "./server.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Serves `dist/` (with `serveDist`'s options) and launches Chromium for one test file, and
 * closes both once its tests are done. `page` is the browser's first page.
 */
export async function openPortal(options) {
  let browser;
  const server = await serveDist(options);
  after(async () => {
    await browser?.close();
    await server.close();
  });
  browser = await launch();
  return { server, browser, page: await browser.newPage() };
}

/** Waits until the saved state is loaded and a section is rendered (its h1 is visible). */
export async function ready(page) {
  await page.locator("main h1").first().waitFor();
}

/** Clicks `trigger` (a function) and returns the text of the file the page offers. */
export async function download(page, trigger) {
  const [file] = await Promise.all([page.waitForEvent("download"), trigger()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, "utf8"), path };
}

/** Runs the certification scenarios from the Certification page and waits for the end. */
export async function runCertification(page, base) {
  await page.goto(`${base}/certification`);
  await ready(page);
  await page.getByRole("button", { name: "Run steps 1–7" }).click();
  await page.getByTestId("run-status").getByText(/^Last run: \d of 7 steps passed\.$/).waitFor({ timeout: 30_000 });
}

/** Adds a company from the Companies page and waits for its row. */
export async function createCompany(page, base, { name, code }) {
  await page.goto(`${base}/companies`);
  await ready(page);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Company code").fill(code);
  await page.getByRole("button", { name: "Add company" }).click();
  await page.getByRole("row", { name: new RegExp(code) }).waitFor();
}

/** Generates an API key from the Integrations page; returns the key shown once. */
export async function generateKey(page, base, { name, company, mode = "Sandbox" }) {
  await page.goto(`${base}/integrations/api-keys`);
  await ready(page);
  const main = page.locator("main");
  await main.getByLabel("Name").fill(name);
  if (company) await main.getByLabel("Company").selectOption(company);
  await main.getByLabel("Environment mode").selectOption(mode);
  await page.getByRole("button", { name: "Generate API key" }).click();
  const key = await page.getByLabel("The new API key").inputValue();
  await page.getByRole("button", { name: "I saved the key, close" }).click();
  return key;
}

/**
 * A stopwatch for the scale tests: `timed(label, action, done)` runs `action`, waits for
 * `done`, prints the milliseconds it took "at" the scale named (e.g. "10000 transactions")
 * and returns them.
 */
export function timer(scale) {
  return async (label, action, done) => {
    const start = Date.now();
    await action();
    await done();
    const ms = Date.now() - start;
    console.log(`# ${label}: ${ms} ms at ${scale}`);
    return ms;
  };
}

/**
 * Clicks the virtual terminal's "Send <kind>" button and waits for the new response: its
 * transaction id changes. `early`: a retry sent before its retryDate, which the terminal asks
 * about first; it is sent anyway.
 */
export async function sendFromTerminal(page, kind = "charge", { early = false } = {}) {
  const current = page.getByTestId("response-transaction-id");
  const before = (await current.count()) ? await current.textContent() : null;
  await page.getByRole("button", { name: `Send ${kind}` }).click();
  if (early) {
    await page.getByRole("alertdialog", { name: `Send this ${kind} anyway?` }).getByRole("button", { name: "Send it anyway" }).click();
  }
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="response-transaction-id"]');
      return el && el.textContent !== prev;
    },
    before,
  );
}

/**
 * Reads the raw saved state from IndexedDB `flexkit-portal` / `state` / `portal-state` (or the
 * record under `key`, such as the state's revision `portal-state:revision`).
 */
export function readSavedState(page, key = "portal-state") {
  return page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("flexkit-portal", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("state");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction("state", "readonly").objectStore("state").get(key);
          get.onsuccess = () => {
            db.close();
            resolve(get.result ?? null);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

/** Writes `text` as the saved state, as a damaged or hand-edited save would be. */
export function writeSavedState(page, text) {
  return page.evaluate(
    (value) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("flexkit-portal", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("state");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction("state", "readwrite");
          tx.objectStore("state").put(value, "portal-state");
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    text,
  );
}

/** Waits until the header says every change is saved. */
export async function saved(page) {
  await page.locator(".topbar .save-ok").waitFor();
}

/** Every path declared in `crates/portal/src/app.rs`, in order (`:id` style parameters kept). */
export async function declaredRoutes() {
  const source = await readFile(join(ROOT, "crates/portal/src/app.rs"), "utf8");
  return [...source.matchAll(/path!\("([^"]*)"\)/g)].map((m) => m[1]);
}

export const ROOT_DIR = ROOT;

/**
 * The cargo target directory, found as cargo and `cargo xtask` find it: `CARGO_TARGET_DIR`
 * (relative to the working directory), else `target/` of the repository. A checkout may build
 * elsewhere, so the npm package built by `cargo xtask npm` is looked for here.
 */
export const TARGET_DIR = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, "target");

/**
 * Runs axe-core on the page (injected from node_modules; needs a page without a CSP that
 * blocks inline scripts) and returns `{ violations, passed }`: each violation with impact, id,
 * help and targets, and the number of rules that passed (proof that axe ran).
 */
export async function axeViolations(page) {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  }
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    const violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`),
    }));
    return { violations, passed: result.passes.length };
  });
}

/** Fails on serious or critical axe violations of the page as it is now (printing them). */
export async function expectNoSeriousAxeViolations(page, what) {
  const { violations } = await axeViolations(page);
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of violations) console.log(`axe ${what}: [${v.impact}] ${v.id}: ${v.help}\n    ${v.targets.join("\n    ")}`);
  if (blocking.length) throw new Error(`${what}: ${blocking.map((v) => `${v.id} (${v.impact})`).join(", ")}`);
}
