// The npm package's `flexkit/sandbox` entry, as built under `CARGO_TARGET_DIR` (xtask builds
// it before the portal's tests), for tests that fill a portal with more payments than a test
// could send through its pages.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { TARGET_DIR } from "./portal.mjs";

export const { Sandbox } = await import(pathToFileURL(join(TARGET_DIR, "npm/package/node/sandbox.mjs")).href);

/** A saved portal document holding `sandbox` (which it frees) on the Default Company's Sandbox. */
export function portalDocument(sandbox) {
  const snapshot = sandbox.snapshot();
  sandbox.free();
  return (
    '{"schemaVersion":1,"settings":{"company":"DEFAULT","mode":"Sandbox","clockOffsetMs":0,"certification":[]},"flexpaySandbox":' +
    snapshot +
    "}"
  );
}
