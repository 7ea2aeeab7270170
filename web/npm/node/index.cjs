// Node.js CommonJS entry: the module is instantiated synchronously when first required, so
// `init()` and `initSync()` only exist to keep code portable between Node and browsers.
"use strict";
const wasm = require("./flexkit_wasm.js");

module.exports = {
  ...wasm,
  init: () => Promise.resolve(),
  initSync: () => {},
};
