// Browser and bundler entry (Vite, webpack, esbuild, <script type="module">): card checks,
// money, response codes and request validation. Nothing runs on import: call `await init()`
// once before using any other export (until then they throw `not_initialized`).
import * as glue from "./web/flexkit_wasm.js";
import { createValidationApi } from "./lib/validation-api.js";
import { makeInit } from "./lib/init.js";

const { init, initSync, raw } = makeInit(glue, "flexkit");
const api = createValidationApi(raw);

export { init, initSync };
export const {
  version,
  checkCardNumber, luhnValid, detectBrand, cardBrandInfo, checkCvv, checkExpiry,
  parseAmount, formatAmount, currencyInfo, currencies,
  describeResponseCode, responseCategory, retryGuidance,
  validate, validateJson, validateBatch, validateCharge, validateChargeJson,
  validateAuthorize, validateAuthorizeJson, validateCapture, validateCaptureJson, validateVoid, validateVoidJson, validateRefund, validateRefundJson, validateRefundedPayment, validateRefundedPaymentJson, validateCreatePaymentMethod, validateCreatePaymentMethodJson, validateListQuery, validateListQueryJson, validateGateway, validateGatewayJson, validateCompany, validateCompanyJson, validateApiKeyRequest, validateApiKeyRequestJson, validateAutoRetryConfig, validateAutoRetryConfigJson,
  validateUpdatePaymentMethod, validateUpdatePaymentMethodJson, validateRecachePaymentMethod, validateRecachePaymentMethodJson,
} = api;
