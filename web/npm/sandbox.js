// Browser and bundler entry of `flexkit/sandbox`: RetryChain and the in-process FlexPay
// sandbox, a WebAssembly module of its own. Call `await init()` once before use.
import * as glue from "./web/flexkit_sandbox.js";
import { createSandboxApi } from "./lib/sandbox-api.js";
import { makeInit } from "./lib/init.js";

const { init, initSync, raw } = makeInit(glue, "flexkit/sandbox");
const api = createSandboxApi(raw);

export { init, initSync };
export const { RetryChain, Sandbox, accessLevels, accessRights, version } = api;
