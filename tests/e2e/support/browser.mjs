// Headless Debian Chromium driven by playwright-core, with the flags this machine needs.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** A fresh browser profile; `close()` removes it. Page errors and console errors are collected. */
export async function launch() {
  const profile = await mkdtemp(join(tmpdir(), "flexkit-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 860 },
  });
  const errors = [];
  context.on("page", (page) => watch(page, errors));
  for (const page of context.pages()) watch(page, errors);
  return {
    context,
    errors,
    async newPage() {
      const page = context.pages()[0] ?? (await context.newPage());
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Waits while the portal's header says "Saving…" (at once on a page without the portal). */
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector(".topbar .save:not(.save-ok):not(.save-failed)"));
}

function watch(page, errors) {
  // A page load while a save is in flight would abort its IndexedDB write (the portal asks
  // before leaving then): every navigation first waits for the save, as a person would.
  for (const name of ["goto", "reload", "goBack"]) {
    const navigate = page[name].bind(page);
    page[name] = async (...args) => {
      await settled(page);
      return navigate(...args);
    };
  }
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") errors.push(`console ${msg.type()}: ${msg.text()}`);
  });
}

export function screenshotPath(name) {
  const dir = process.env.FLEXKIT_SCREENSHOTS ?? "target/screenshots";
  return join(dir, `${name}.png`);
}
