// The packed `flexkit` tarball in the ways browsers get it: bundled by Vite and by webpack 5
// (production builds, default settings), and served as-is to a plain <script type="module">
// page. Each page is driven in headless Chromium and must give exactly what the Node entry
// gives for the same calls (tests/bundlers/app/checks.js), without console errors, and must not
// fetch any WebAssembly before `init()`; an export called before it throws `not_initialized`.
//
// `cargo xtask test` installs the tarball into FLEXKIT_BUNDLERS_PROJECT (a scratch project under
// target/); the app sources are copied there, so the bundlers resolve `flexkit` from the tarball.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { build as viteBuild, createLogger, createServer as viteServer } from "vite";
import webpack from "webpack";

import { launch } from "../e2e/support/browser.mjs";
import { serveDist } from "../e2e/support/server.mjs";
import { runChecks } from "./app/checks.js";

const here = dirname(fileURLToPath(import.meta.url));
const project = process.env.FLEXKIT_BUNDLERS_PROJECT;
if (!project) throw new Error("FLEXKIT_BUNDLERS_PROJECT is not set: run through `cargo xtask test`");
const app = join(project, "app");
const packageDir = join(project, "node_modules/flexkit");
// The entries the app imports, by the wasm module each one loads.
const WASM_OF_ENTRY = { flexkit: "flexkit_wasm_bg.wasm", "flexkit/sandbox": "flexkit_sandbox_bg.wasm" };

let browser;
let expected;
// Closed after the browser: a server's close() waits for the browser's keep-alive connections.
const servers = [];

before(async () => {
  await rm(app, { recursive: true, force: true });
  await cp(join(here, "app"), app, { recursive: true });
  // The Node entry is the reference every browser build is compared with.
  const require = createRequire(join(project, "package.json"));
  expected = await runChecks(require("flexkit"), async () => require("flexkit/sandbox"));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
});

test("Node reference: the checks give the documented answers", () => {
  checkKnownAnswers(expected);
});

test("Vite: production build emits each wasm module as a file and runs in Chromium", async () => {
  const out = join(project, "dist-vite");
  const log = viteLog();
  await viteBuild({
    root: app,
    configFile: false,
    logLevel: "warn",
    customLogger: log.logger,
    build: { outDir: out, emptyOutDir: true },
  });
  assert.deepEqual(log.warnings, [], "Vite warnings");
  await checkBuild("Vite", out);
  await checkPage("Vite", await serve(out));
});

test("Vite dev server: the package through Vite's dependency pre-bundling", async () => {
  const cacheDir = join(project, "vite-dev-cache");
  await rm(cacheDir, { recursive: true, force: true });
  const log = viteLog();
  const server = await viteServer({
    root: app,
    configFile: false,
    logLevel: "warn",
    customLogger: log.logger,
    cacheDir,
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  try {
    await checkPage("Vite dev", server.resolvedUrls.local[0]);
    // The page above ran the pre-bundled copy, not the package's own files.
    assert.ok((await readdir(join(cacheDir, "deps"))).includes("flexkit.js"), "Vite did not pre-bundle flexkit");
    assert.deepEqual(log.warnings, [], "Vite warnings");
  } finally {
    await server.close();
  }
});

test("webpack 5: production build emits each wasm module as a file and runs in Chromium", async () => {
  const out = join(project, "dist-webpack");
  await rm(out, { recursive: true, force: true });
  const stats = await new Promise((resolve, reject) => {
    webpack(
      {
        mode: "production",
        context: app,
        entry: "./main.js",
        output: { path: out },
        // The sandbox module is over webpack's 244 KB hint by design (it is loaded lazily);
        // any other warning fails the test below.
        performance: { hints: false },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  assert.deepEqual(info.errors.map((e) => e.message), [], "webpack errors");
  assert.deepEqual(info.warnings.map((w) => w.message), [], "webpack warnings");
  // webpack's default output is a classic script, not a module.
  const html = await readFile(join(app, "index.html"), "utf8");
  const page = html.replace('<script type="module" src="./main.js"></script>', '<script defer src="./main.js"></script>');
  assert.notEqual(page, html, "the page's script tag was not found");
  await writeFile(join(out, "index.html"), page);
  await checkBuild("webpack", out);
  await checkPage("webpack", await serve(out));
});

test("plain <script type=module> page: the unpacked package served as files", async () => {
  const out = join(project, "plain");
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await cp(join(here, "plain/index.html"), join(out, "index.html"));
  await cp(join(here, "app/checks.js"), join(out, "checks.js"));
  await cp(packageDir, join(out, "flexkit"), { recursive: true });
  await checkPage("plain page", await serve(out));
});

/** Vite's warnings and errors, collected (and still printed) so that a test can fail on them. */
function viteLog() {
  const logger = createLogger("warn");
  const warnings = [];
  const keep = (print) => (message, options) => {
    warnings.push(message);
    print(message, options);
  };
  return {
    warnings,
    logger: { ...logger, warn: keep(logger.warn), warnOnce: keep(logger.warnOnce), error: keep(logger.error) },
  };
}

/** Answers that do not depend on the reference: the Node run itself must give them. */
function checkKnownAnswers(r) {
  assert.deepEqual(r.beforeInit, { flexkit: null, sandbox: null });
  assert.equal(r.card.brand, "visa");
  assert.equal(r.card.isValid, true);
  assert.equal(r.card.luhnValid, true);
  assert.deepEqual(r.valid, { ok: true, errors: [], warnings: [] });
  assert.equal(r.invalid.ok, false);
  assert.deepEqual(
    r.invalid.errors.map((e) => [e.path, e.code]).sort(),
    [
      ["transaction.amount", "not_minor_units"],
      ["transaction.currencyCode", "unknown_currency"],
      ["transaction.orderId", "required"],
    ],
  );
  assert.equal(r.retryChain.early.ok, false);
  assert.equal(r.retryChain.early.notReady.code, "not_yet");
  assert.equal(r.retryChain.early.notReady.allowedAt, "2026-01-02T00:00:00Z");
  assert.deepEqual(r.retryChain.due.attempt.merchantTransactionId, { kind: "derived", id: "inv-1-r1" });
  assert.equal(r.retryChain.transition.to, "scheduled");
  assert.deepEqual(r.retryChain.transition.next, { action: "sendAttempt", retryCount: 2, at: "2026-01-05T00:00:00Z" });
  assert.equal(r.retryChain.status, "scheduled");
  assert.equal(r.sandbox.approved.responseCode, "10000");
  assert.equal(r.sandbox.softDecline.responseCode, "20023");
  assert.equal(r.sandbox.transactionCount, 2);
  assert.equal(r.versions.flexkit, r.versions.sandbox);
}

/** Lists a build's files with their sizes, and checks every wasm module is a file of its own. */
async function checkBuild(bundler, out) {
  const files = await filesUnder(out);
  const rows = [];
  for (const file of files) {
    const bytes = await readFile(file);
    rows.push({ file: relative(out, file), bytes: bytes.length, gzip: gzipSync(bytes).length, data: bytes });
  }
  console.log(`${bundler} build (${relative(project, out)}):`);
  for (const { file, bytes, gzip } of rows) {
    console.log(`  ${file.padEnd(48)} ${String(bytes).padStart(9)} B  ${String(gzip).padStart(8)} B gzip`);
  }
  const builtWasm = new Set(rows.filter((r) => r.file.endsWith(".wasm")).map((r) => sha256(r.data)));
  for (const [entry, name] of Object.entries(WASM_OF_ENTRY)) {
    const original = await readFile(join(packageDir, "web", name));
    assert.ok(builtWasm.has(sha256(original)), `${bundler}: the wasm of ${entry} (${name}) is not emitted unchanged as a file`);
  }
  for (const { file, data } of rows.filter((r) => /\.(js|mjs|html)$/.test(r.file))) {
    const text = data.toString("utf8");
    // "AGFzbQ" is the base64 of the wasm magic number "\0asm".
    assert.ok(!text.includes("AGFzbQ") && !text.includes("application/wasm;base64"), `${bundler}: ${file} inlines a wasm module`);
  }
}

/** Serves `dir` like a static host; returns the page's URL. */
async function serve(dir) {
  const server = await serveDist({ dist: dir });
  servers.push(server);
  return server.url + "/";
}

/** Opens `url`, runs the checks by clicking, and compares the page's results with Node's. */
async function checkPage(label, url) {
  const page = await browser.context.newPage();
  browser.errors.length = 0;
  const wasmRequests = [];
  const wasmResponses = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith(".wasm")) wasmRequests.push(request.url());
  });
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.endsWith(".wasm")) {
      wasmResponses.push({ status: response.status(), type: response.headers()["content-type"] });
    }
  });
  try {
    await page.goto(url);
    await page.locator("#run:enabled").waitFor({ timeout: 15_000 });
    assert.deepEqual(wasmRequests, [], `${label}: WebAssembly was fetched on import, before init()`);
    await page.click("#run");
    await page.locator('#results[data-state="done"], #results[data-state="failed"]').waitFor({ timeout: 30_000 });
    const state = await page.getAttribute("#results", "data-state");
    assert.equal(state, "done", `${label}: ${await page.textContent("#results")}`);

    const rendered = Object.fromEntries(
      await page.$$eval("#results section[data-check]", (sections) =>
        sections.map((s) => [s.dataset.check, JSON.parse(s.querySelector("pre").textContent)]),
      ),
    );
    // Only the browser entries need init(); everything after it must equal Node's results.
    assert.deepEqual(
      rendered.beforeInit,
      { flexkit: "not_initialized", sandbox: "not_initialized" },
      `${label}: an export called before init()`,
    );
    assert.deepEqual(
      { ...rendered, beforeInit: null },
      { ...expected, beforeInit: null },
      `${label}: the page's results differ from Node's`,
    );
    const items = await page.$$eval("#invalid-errors li", (lis) =>
      lis.map((li) => ({ path: li.dataset.path, code: li.dataset.code, message: li.textContent })),
    );
    assert.deepEqual(
      items,
      expected.invalid.errors.map(({ path, code, message }) => ({ path, code, message })),
    );

    assert.equal(wasmResponses.length, Object.keys(WASM_OF_ENTRY).length, `${label}: wasm fetches ${JSON.stringify(wasmRequests)}`);
    for (const response of wasmResponses) {
      assert.deepEqual(response, { status: 200, type: "application/wasm" }, `${label}: a wasm module was not served as a file`);
    }
    assert.deepEqual(browser.errors, [], `${label}: errors in the browser console`);
  } finally {
    await page.close();
  }
}

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if ((await stat(path)).isFile()) out.push(path);
  }
  return out.sort();
}

function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}
