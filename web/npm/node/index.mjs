// Node.js ES module entry: the CommonJS build, re-exported by name.
import { createRequire } from "node:module";

const flexkit = createRequire(import.meta.url)("./index.cjs");

export const {
  init, initSync, version,
  checkCardNumber, luhnValid, detectBrand, cardBrandInfo, checkCvv, checkExpiry,
  parseAmount, formatAmount, currencyInfo, currencies,
  describeResponseCode, responseCategory, retryGuidance,
} = flexkit;
