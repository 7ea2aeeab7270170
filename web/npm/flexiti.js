// Browser and bundler entry of `flexkit/flexiti`: Flexiti environments, the token call and
// its refresh rule, validation of every request type, prepare(), business rules, error
// answers and the in-process TRAINING sandbox, a WebAssembly module of its own. Call
// `await init()` once before use.
import * as glue from "./web/flexkit_flexiti.js";
import { createFlexitiApi } from "./lib/flexiti-api.js";
import { makeInit } from "./lib/init.js";

const { init, initSync, raw } = makeInit(glue, "flexkit/flexiti");
const api = createFlexitiApi(raw);

export { init, initSync };
export const {
  version, environments, endpoints, endpointUrl, limits, errorCodes, newReferenceId,
  tokenRequest, accessToken, tokenState, tokenNeedsRefresh, renewTokenRequest,
  validate, validateJson, validateTokenForm,
  validateAuthorization, validateCapture, validateRelease, validateReturn, validateRefund, validateTransaction, validateCustomerSearch, validateCustomerLookup, validateAccountVerify, validateCalculateInterest, validateAuthorizationList, validateCaptureList, validateAuthorizationDetail, validateSkuData,
  prepare, checkRules, regularPurchaseBypassAllowed, parseError, readAnswer, FlexitiSandbox,
} = api;
