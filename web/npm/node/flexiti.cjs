// Node.js CommonJS entry of `flexkit/flexiti` (instantiated synchronously on require).
"use strict";
const raw = require("./flexkit_flexiti.js");
const { createFlexitiApi } = require("./lib/flexiti-api.cjs");

module.exports = {
  ...createFlexitiApi(raw),
  init: () => Promise.resolve(),
  initSync: () => {},
};
