// Node.js ES module entry of `flexkit/sandbox`: the CommonJS build, re-exported by name.
import { createRequire } from "node:module";

const sandbox = createRequire(import.meta.url)("./sandbox.cjs");

export const { RetryChain, Sandbox, accessLevels, accessRights, version, init, initSync } = sandbox;
