// Node.js CommonJS entry: the module is instantiated synchronously when first required, so
// `init()` and `initSync()` only exist to keep code portable between Node and browsers.
"use strict";
const raw = require("./flexkit_wasm.js");
const { createValidationApi } = require("./lib/validation-api.cjs");

module.exports = {
  ...createValidationApi(raw),
  init: () => Promise.resolve(),
  initSync: () => {},
};
