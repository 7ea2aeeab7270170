// Browser and bundler entry of `flexkit/sandbox`: RetryChain and the in-process FlexPay
// sandbox, a WebAssembly module of its own. Call `await init()` once before use.
import initWasm, * as raw from "./web/flexkit_sandbox.js";
import { createSandboxApi } from "./lib/sandbox-api.js";
import { makeInit } from "./lib/init.js";

const api = createSandboxApi(raw);

export const { init, initSync } = makeInit(initWasm, raw.initSync);
export const { RetryChain, Sandbox, version } = api;
