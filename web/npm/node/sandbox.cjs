// Node.js CommonJS entry of `flexkit/sandbox` (instantiated synchronously on require).
"use strict";
const raw = require("./flexkit_sandbox.js");
const { createSandboxApi } = require("./lib/sandbox-api.cjs");

module.exports = {
  ...createSandboxApi(raw),
  init: () => Promise.resolve(),
  initSync: () => {},
};
