// Node.js ES module entry of `flexkit/flexiti`: the CommonJS build, re-exported by name.
import { createRequire } from "node:module";

const flexiti = createRequire(import.meta.url)("./flexiti.cjs");

export const {
  init, initSync, version, environments, endpoints, endpointUrl, limits, errorCodes, newReferenceId,
  tokenRequest, accessToken, tokenState, tokenNeedsRefresh, renewTokenRequest,
  validate, validateJson, validateTokenForm,
  validateAuthorization, validateCapture, validateRelease, validateReturn, validateRefund, validateTransaction, validateCustomerSearch, validateCustomerLookup, validateAccountVerify, validateCalculateInterest, validateAuthorizationList, validateCaptureList, validateAuthorizationDetail, validateSkuData,
  prepare, checkRules, regularPurchaseBypassAllowed, parseError, readAnswer, FlexitiSandbox,
} = flexiti;
