// Persistence: the state survives a reload, round-trips through an exported file, a damaged
// saved state is offered for export before anything is reset, two tabs share one saved state
// without saving over each other, and deep links reload from a static host that answers
// unknown paths with its 404 page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { serveDist } from "./support/server.mjs";
import { launch, screenshotPath } from "./support/browser.mjs";
import { download, expectNoSeriousAxeViolations, generateKey, readSavedState, ready, saved, writeSavedState } from "./support/portal.mjs";

let server;
let browser;
let scratch;

before(async () => {
  server = await serveDist();
  browser = await launch();
  scratch = await mkdtemp(join(tmpdir(), "flexkit-persistence-"));
});

after(async () => {
  await browser?.close();
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function exportState(page) {
  await page.goto(`${server.url}/data`);
  await ready(page);
  return download(page, () => page.getByRole("button", { name: "Export to a file" }).click());
}

async function importFile(page, path) {
  await page.goto(`${server.url}/data`);
  await ready(page);
  await page.locator('input[type="file"]').setInputFiles(path);
  // Read and understood first, then it asks before replacing anything.
  await page.getByRole("alertdialog").getByRole("button", { name: "Replace with the file" }).click();
  await page.getByRole("status").getByText(/^Imported /).waitFor();
  await page.waitForFunction((id) => document.activeElement?.id === id, "data-message");
  await saved(page);
}

/**
 * Adds a company. The portal has no company form yet, so it goes the way a merchant moves data
 * between browsers: export, add the company to the file, import.
 */
async function addCompany(page, name, code) {
  const { text } = await exportState(page);
  const doc = JSON.parse(text);
  doc.flexpaySandbox.companies.push({ name, code, createdAt: "2026-01-05T09:00:00Z" });
  const path = join(scratch, `with-${code}.json`);
  await writeFile(path, JSON.stringify(doc));
  await importFile(page, path);
}

test("a new company and a key are still there after a reload", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  await addCompany(page, "Northwind Stores", "NWS01");
  await generateKey(page, server.url, { name: "Northwind CRM", company: "NWS01" });
  await saved(page);

  await page.reload();
  await ready(page);
  const header = page.locator(".topbar select");
  assert.ok((await header.locator("option").allTextContents()).includes("Northwind Stores"));
  const row = page.getByRole("table", { name: "API keys" }).getByRole("row", { name: /Northwind CRM/ });
  // Listed under its company, once the header shows it; the header's choice is saved too.
  await header.selectOption("NWS01");
  await row.waitFor();
  assert.match(await row.textContent(), /Northwind Stores/);
  assert.match(await row.textContent(), /NWS01/);
  await saved(page);
  await page.reload();
  await ready(page);
  assert.equal(await header.inputValue(), "NWS01");
  await header.selectOption("DEFAULT");
  await saved(page);
});

test("leaving the page while a save is in flight is asked about first", async () => {
  const own = await launch();
  try {
    const page = await own.newPage();
    // Holds back the end of every storage write while `__holdSaves` is set, as a slow disk would.
    await page.addInitScript(() => {
      window.__held = [];
      const transaction = IDBDatabase.prototype.transaction;
      IDBDatabase.prototype.transaction = function (...args) {
        const tx = transaction.apply(this, args);
        if (args[1] === "readwrite" && window.__holdSaves) {
          let complete = null;
          Object.defineProperty(tx, "oncomplete", { get: () => complete, set: (f) => { complete = f; } });
          tx.addEventListener("complete", (event) => window.__held.push(() => complete?.(event)));
        }
        return tx;
      };
    });
    await page.goto(`${server.url}/companies`);
    await ready(page);
    const asks = () => page.evaluate(() => {
      const event = new Event("beforeunload", { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
    assert.equal(await asks(), false, "nothing unsaved");

    await page.evaluate(() => { window.__holdSaves = true; });
    await page.getByLabel("Name", { exact: true }).fill("Held Back");
    await page.getByLabel("Company code").fill("HELD1");
    await page.getByRole("button", { name: "Add company" }).click();
    await page.locator(".topbar .save").getByText("Saving…").waitFor();
    assert.equal(await asks(), true, "a save in flight: the browser asks before leaving");

    await page.evaluate(() => {
      window.__holdSaves = false;
      for (const finish of window.__held) finish();
    });
    await saved(page);
    assert.equal(await asks(), false, "saved: nothing to ask");
    await page.reload();
    await page.getByRole("row").filter({ hasText: "HELD1" }).waitFor();
    assert.deepEqual(own.errors, []);
  } finally {
    await own.close();
  }
});

test("export, reset, import: the data comes back", async () => {
  const page = await browser.newPage();
  await generateKey(page, server.url, { name: "Round trip key" });
  await saved(page);
  const exported = await exportState(page);
  assert.match(exported.name, /^flexkit-portal-\d{4}-\d{2}-\d{2}\.json$/);
  assert.ok(exported.text.includes("Round trip key"));

  // The page says the file holds the Flexiti secret and tokens, and both questions name Flexiti.
  assert.match(await page.getByTestId("export-secrets").textContent(), /Flexiti client secret and tokens .* in plain text/);

  // Escape is Cancel.
  await page.getByRole("button", { name: "Reset the sandbox…" }).click();
  await page.getByRole("alertdialog").waitFor();
  assert.match(await page.getByRole("alertdialog").textContent(), /and the Flexiti credentials and sales\?/);
  // The dialog puts the focus on Cancel, where the key lands.
  await page.waitForFunction((id) => document.activeElement?.id === id, "reset-cancel");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Reset the sandbox…" }).waitFor();
  assert.equal(await page.getByRole("alertdialog").count(), 0);
  // Focus goes back to the button that opened it, never to the page's body.
  await page.waitForFunction((id) => document.activeElement?.id === id, "reset-open");
  await page.getByRole("button", { name: "Reset the sandbox…" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete everything" }).click();
  await page.getByRole("status").getByText("The sandbox was reset.").waitFor();
  // The confirmation's button is gone: focus is on the message that says what happened.
  await page.waitForFunction((id) => document.activeElement?.id === id, "data-message");
  await saved(page);
  await page.goto(`${server.url}/integrations/api-keys`);
  await page.getByText("No API key yet.").waitFor();

  // An import asks first, naming the file and what it holds; Cancel changes nothing.
  await page.goto(`${server.url}/data`);
  await ready(page);
  // Every text the page's message shows, however briefly.
  await page.evaluate(() => {
    window.said = [];
    new MutationObserver(() => {
      const text = document.getElementById("data-message")?.textContent;
      if (text && text !== window.said.at(-1)) window.said.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.locator('input[type="file"]').setInputFiles(exported.path);
  const question = page.getByRole("alertdialog");
  const file = exported.path.split(/[\\/]/).pop();
  await question.waitFor();
  // Reading a file says so first (a large one takes seconds), with its size.
  const said = await page.evaluate(() => window.said);
  assert.ok(said.some((text) => new RegExp(`^Reading ${file.replace(/[.]/g, "[.]")} \\(\\d+[.]\\d KB\\)…$`).test(text)), JSON.stringify(said));
  assert.equal(await page.locator("#data-message").count(), 0, "the question replaces it");
  // What it holds: transactions, users and the platform configuration of each environment.
  assert.match(
    await question.textContent(),
    new RegExp(
      `Replace everything in this sandbox with ${file}\\? It holds \\d+ transactions, 1 user and the platform configuration ` +
        "\\(Sandbox: 0 recovery minimums, every currency shown, No routing; Production: 0 recovery minimums, every currency shown, No routing\\)\\.",
    ),
  );
  await question.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("status").getByText("Nothing was changed.").waitFor();
  await page.goto(`${server.url}/integrations/api-keys`);
  await page.getByText("No API key yet.").waitFor();

  // A file that cannot be read, chosen while the question about a good one is open, ends
  // that question: its Replace would have imported the earlier file.
  await page.goto(`${server.url}/data`);
  await ready(page);
  await page.locator('input[type="file"]').setInputFiles(exported.path);
  await question.waitFor();
  await page.locator('input[type="file"]').setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a sandbox") });
  await page.getByRole("status").getByText(/^Nothing was changed: notes\.txt cannot be imported: /).waitFor();
  assert.equal(await question.count(), 0);
  // An export edited to hold what the forms refuse is refused as a whole, saying what.
  const edited = JSON.parse(exported.text);
  edited.flexpaySandbox.companies[0].code = "AC-ME!";
  await page.locator('input[type="file"]').setInputFiles({ name: "edited.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(edited)) });
  await page.getByRole("status").getByText(/^Nothing was changed: edited\.json cannot be imported: .*"AC-ME!"; a company code is letters and digits only/).waitFor();
  assert.equal(await question.count(), 0);
  // A value of another kind than the sandbox keeps there is named by its path in the file.
  const retyped = JSON.parse(exported.text);
  retyped.flexpaySandbox.companies[0].name = 5;
  await page.locator('input[type="file"]').setInputFiles({ name: "retyped.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(retyped)) });
  await page
    .getByRole("status")
    .getByText(/^Nothing was changed: retyped\.json cannot be imported: the data is damaged: its flexpaySandbox\.companies\[0\]\.name cannot be read: invalid type: integer 5, expected a string \(line 1, column \d+\)/)
    .waitFor();
  await page.goto(`${server.url}/integrations/api-keys`);
  await page.getByText("No API key yet.").waitFor();

  await importFile(page, exported.path);
  await page.goto(`${server.url}/integrations/api-keys`);
  await page.getByRole("table", { name: "API keys" }).getByRole("row", { name: /Round trip key/ }).waitFor();
  const back = await exportState(page);
  assert.equal(JSON.parse(back.text).flexpaySandbox.apiKeys.length, JSON.parse(exported.text).flexpaySandbox.apiKeys.length);
});

const environment = (page, name) => page.getByRole("banner").getByRole("group", { name: "Environment" }).getByRole("button", { name });

test("a damaged saved state is offered for export before anything is reset", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  const garbage = '{"schemaVersion": 1, "settings": garbage \u0000 not json';
  await writeSavedState(page, garbage);
  await page.reload();
  await page.getByRole("heading", { name: "The saved portal data cannot be read" }).waitFor();
  assert.match(await page.getByRole("alert").textContent(), /not valid JSON/);
  await page.screenshot({ path: screenshotPath("persistence-recovery"), fullPage: true });
  await expectNoSeriousAxeViolations(page, "the recovery panel");
  // Nothing was overwritten while the user decides, and the header does not say otherwise:
  // nothing is saved, and its switches (which would change nothing saved) are off.
  assert.equal(await readSavedState(page), garbage);
  const header = page.getByRole("banner");
  assert.equal((await header.getByRole("status").textContent()).trim(), "Not saved");
  assert.equal(await environment(page, "Sandbox").isDisabled(), true);
  assert.equal(await environment(page, "Production").isDisabled(), true);
  assert.equal(await header.getByRole("combobox", { name: "Company" }).isDisabled(), true);

  const raw = await download(page, () => page.getByRole("button", { name: "Export the raw data" }).click());
  assert.equal(raw.text, garbage);

  // Starting fresh deletes the data that cannot be read: it is asked first, and Cancel (where
  // the focus lands) keeps it.
  await page.getByRole("button", { name: "Start with a fresh sandbox" }).click();
  const question = page.getByRole("alertdialog");
  await question.waitFor();
  assert.match(await question.textContent(), /export it first/);
  await page.waitForFunction(() => document.activeElement?.id === "fresh-cancel");
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Start with a fresh sandbox" }).waitFor();
  assert.equal(await readSavedState(page), garbage, "Cancel kept the saved data");
  await page.getByRole("button", { name: "Start with a fresh sandbox" }).click();
  // From the keyboard: the focus ends on what says what happened, not on the body. The
  // question first puts the focus on its Cancel; only then is the action's button focused.
  await page.waitForFunction(() => document.activeElement?.textContent === "Cancel");
  await page.getByRole("button", { name: "Delete it and start fresh" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  const message = page.getByRole("status").filter({ hasText: "The data that could not be read was deleted: this is a fresh sandbox." });
  await message.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "fresh-message");
  await saved(page);
  const fresh = JSON.parse(await readSavedState(page));
  assert.equal(fresh.schemaVersion, 4);
  // It is said once: another section no longer shows it.
  await page.getByRole("link", { name: "Transactions", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Transactions" }).waitFor();
  assert.equal(await message.count(), 0);
});

test("a saved record that is not text (a Blob, binary data) is offered for export as the text it holds", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  const held = '{"schemaVersion": 4, "settings": "cut short';
  for (const kind of ["blob", "bytes"]) {
    await page.evaluate(
      ([text, kind]) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("flexkit-portal", 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction("state", "readwrite");
            const value = kind === "blob" ? new Blob([text], { type: "application/json" }) : new TextEncoder().encode(text).buffer;
            tx.objectStore("state").put(value, "portal-state");
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      [held, kind],
    );
    await page.reload();
    await page.getByRole("heading", { name: "The saved portal data cannot be read" }).waitFor();
    const raw = await download(page, () => page.getByRole("button", { name: "Export the raw data" }).click());
    assert.equal(raw.text, held, kind);
  }
  await page.getByRole("button", { name: "Start with a fresh sandbox" }).click();
  await page.getByRole("button", { name: "Delete it and start fresh" }).click();
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  await saved(page);
  await page.close();
});

/** The revision saved beside the state: one more for every save. */
const savedRevision = (page) => readSavedState(page, "portal-state:revision");

/**
 * Saves `edit(state)` and a revision one higher, as another tab of the portal does when its
 * message to this tab is lost or still on its way.
 */
function saveAsAnotherTab(page, edit) {
  return page.evaluate(
    (source) =>
      new Promise((resolve, reject) => {
        const change = (0, eval)(source);
        const open = indexedDB.open("flexkit-portal", 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction("state", "readwrite");
          const store = tx.objectStore("state");
          const text = store.get("portal-state");
          const revision = store.get("portal-state:revision");
          revision.onsuccess = () => {
            store.put(JSON.stringify(change(JSON.parse(text.result))), "portal-state");
            store.put(revision.result + 1, "portal-state:revision");
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    edit.toString(),
  );
}

test("two tabs: each shows what the other saved, and neither saves over it", async () => {
  const own = await launch();
  try {
    // Two tabs: `newPage()` gives the profile's one page.
    const users = await own.newPage();
    const dashboard = await own.context.newPage();
    await users.goto(`${server.url}/users`);
    await ready(users);
    await dashboard.goto(`${server.url}/dashboard`);
    await ready(dashboard);

    // A user added in one tab, then a change saved in the other: both are kept.
    const form = users.getByRole("form", { name: "Add user" });
    await form.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
    await form.getByLabel("Username").fill("ada@example.com");
    await form.getByLabel("Temporary password").fill("Lovelace#1815");
    await form.getByRole("button", { name: "Add user" }).click();
    await saved(users);
    await environment(dashboard, "Production").click();
    await saved(dashboard);
    let state = JSON.parse(await readSavedState(dashboard));
    assert.equal(state.settings.mode, "Production");
    assert.ok(
      state.flexpaySandbox.users.some((u) => u.username === "ada@example.com"),
      "the user added in the other tab is still saved",
    );
    // The users tab shows the other tab's change without a reload, and its next change keeps it.
    await users.waitForFunction(
      () => document.querySelector('[role=group][aria-label="Environment"] [aria-pressed="true"]')?.textContent.includes("Production"),
    );
    await users.getByRole("link", { name: "Dashboard" }).click();
    await environment(users, "Sandbox").click();
    await saved(users);
    await environment(dashboard, "Sandbox").and(dashboard.locator('[aria-pressed="true"]')).waitFor();
    state = JSON.parse(await readSavedState(users));
    assert.equal(state.settings.mode, "Sandbox");
    assert.ok(state.flexpaySandbox.users.some((u) => u.username === "ada@example.com"));
    // A tab that reads what another saved does not save it back: the tabs stay quiet.
    const revision = await savedRevision(users);
    await users.waitForTimeout(500);
    assert.equal(await savedRevision(dashboard), revision);
    assert.equal(revision, 3, "three changes, three saves");
    assert.deepEqual(own.errors, []);
  } finally {
    await own.close();
  }
});

/** The dashboard in a profile of its own, with a first change saved: Production chosen. */
async function productionSaved(own) {
  const page = await own.newPage();
  await page.goto(`${server.url}/dashboard`);
  await ready(page);
  await environment(page, "Production").click();
  await saved(page);
  return page;
}

test("a save at the same moment as another tab's is not written; the tab then shows the other's data", async () => {
  const own = await launch();
  try {
    const page = await productionSaved(own);
    await saveAsAnotherTab(page, (state) => {
      state.flexpaySandbox.companies.push({ name: "Northwind Stores", code: "NWS01", createdAt: "2026-01-05T09:00:00Z" });
      return state;
    });
    await environment(page, "Sandbox").click();
    const banner = page.getByRole("alert").filter({ hasText: "Your last change was not saved" });
    await banner.waitFor();
    assert.match(await banner.textContent(), /another tab of the portal saved changes at the same moment\. This tab now shows what that tab saved/);
    let state = JSON.parse(await readSavedState(page));
    assert.equal(state.settings.mode, "Production", "the refused change was not written");
    assert.ok(state.flexpaySandbox.companies.some((c) => c.code === "NWS01"), "the other tab's save stands");
    // The tab shows the other tab's data, so making the change again keeps both.
    await environment(page, "Production").and(page.locator('[aria-pressed="true"]')).waitFor();
    await page.locator(".topbar select option", { hasText: "Northwind Stores" }).waitFor({ state: "attached" });
    await page.screenshot({ path: screenshotPath("persistence-conflict"), fullPage: true });
    await environment(page, "Sandbox").click();
    await saved(page);
    state = JSON.parse(await readSavedState(page));
    assert.equal(state.settings.mode, "Sandbox");
    assert.ok(state.flexpaySandbox.companies.some((c) => c.code === "NWS01"));
    assert.deepEqual(own.errors, []);
  } finally {
    await own.close();
  }
});

test("a change another tab's save refused leaves no message saying it was made", async () => {
  const own = await launch();
  try {
    const page = await productionSaved(own);
    await page.goto(`${server.url}/companies`);
    await ready(page);
    await saveAsAnotherTab(page, (state) => {
      state.flexpaySandbox.companies.push({ name: "Contoso Retail", code: "CTS01", createdAt: "2026-01-05T09:00:00Z" });
      return state;
    });
    await page.getByLabel("Name", { exact: true }).fill("Fabrikam Outlet");
    await page.getByLabel("Company code").fill("FAB01");
    await page.getByRole("button", { name: "Add company" }).click();
    await page.getByRole("alert").filter({ hasText: "Your last change was not saved" }).waitFor();
    // The page shows what the other tab saved, and nothing of the change that was refused.
    await page.getByRole("row", { name: /CTS01/ }).waitFor();
    assert.equal(await page.getByRole("row", { name: /FAB01/ }).count(), 0);
    assert.equal(await page.getByText("Fabrikam Outlet (FAB01) was added").count(), 0);
    const state = JSON.parse(await readSavedState(page));
    assert.ok(!state.flexpaySandbox.companies.some((c) => c.code === "FAB01"), "the refused change was not written");
    assert.deepEqual(own.errors, []);
  } finally {
    await own.close();
  }
});

test("a tab that cannot read what another tab saved stops saving", async () => {
  const own = await launch();
  try {
    const page = await productionSaved(own);
    // Another tab (a newer portal, say) saves a state this one cannot read, and says so.
    const newer = JSON.stringify({ schemaVersion: 99, settings: {} });
    await saveAsAnotherTab(page, () => ({ schemaVersion: 99, settings: {} }));
    await page.evaluate(() => new BroadcastChannel("flexkit-portal").postMessage({ key: "portal-state", revision: -1 }));
    const banner = page.getByRole("alert").filter({ hasText: "Another tab saved data this tab cannot read" });
    await banner.waitFor();
    assert.match(await banner.textContent(), /this tab saves nothing and what is stored stays as it was/);
    await environment(page, "Sandbox").click();
    await banner.waitFor();
    assert.equal(await readSavedState(page), newer, "nothing was saved over it");
  } finally {
    await own.close();
  }
});

test("a tab whose storage refused its change keeps it when another tab saves, and saves nothing more", async () => {
  const own = await launch();
  try {
    const full = await own.newPage();
    const other = await own.context.newPage();
    await full.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        if (globalThis.__failWrites) throw new DOMException("quota exceeded in test", "QuotaExceededError");
        return put.apply(this, args);
      };
    });
    await full.goto(`${server.url}/companies`);
    await ready(full);
    await full.evaluate(() => {
      globalThis.__failWrites = true;
    });
    await full.getByLabel("Name", { exact: true }).fill("Kept Here");
    await full.getByLabel("Company code").fill("KEPT1");
    await full.getByRole("button", { name: "Add company" }).click();
    await full.getByRole("alert").filter({ hasText: "storage is full" }).waitFor();

    // The other tab saves a change of its own.
    await other.goto(`${server.url}/companies`);
    await ready(other);
    assert.equal(await other.getByRole("row", { name: /KEPT1/ }).count(), 0, "never saved");
    await other.getByLabel("Name", { exact: true }).fill("Saved There");
    await other.getByLabel("Company code").fill("THERE1");
    await other.getByRole("button", { name: "Add company" }).click();
    await saved(other);

    // The first tab keeps its change, says so, and its export holds it.
    const banner = full.getByRole("alert").filter({ hasText: "Another tab saved" });
    await banner.waitFor();
    assert.match(await banner.textContent(), /keeps them and saves nothing more/);
    await full.getByRole("row", { name: /KEPT1/ }).waitFor();
    assert.equal(await full.getByRole("row", { name: /THERE1/ }).count(), 0);
    const file = await download(full, () => banner.getByRole("button", { name: "Export the state to a file" }).click());
    assert.match(file.text, /"KEPT1"/);
    // Writes work again, yet a later change is not saved over the other tab's.
    await full.evaluate(() => {
      globalThis.__failWrites = false;
    });
    await full.getByRole("group", { name: "Environment" }).getByRole("button", { name: "Production" }).click();
    await banner.waitFor();
    const stored = await readSavedState(other);
    assert.match(stored, /"THERE1"/);
    assert.doesNotMatch(stored, /"KEPT1"/);
    await other.reload();
    await ready(other);
    await other.getByRole("row", { name: /THERE1/ }).waitFor();
  } finally {
    await own.close();
  }
});

test("a deep link to /transactions reloads from a host that answers with 404.html", async () => {
  const host = await serveDist({ mode: "static-404" });
  const own = await launch();
  try {
    const page = await own.newPage();
    const response = await page.goto(`${host.url}/transactions`);
    assert.equal(response.status(), 404, "the host itself says 404");
    await page.getByRole("heading", { level: 1, name: "Transactions" }).waitFor();
    const again = await page.reload();
    assert.equal(again.status(), 404);
    await page.getByRole("heading", { level: 1, name: "Transactions" }).waitFor();
    await page.getByTestId("transaction-count").waitFor();
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
