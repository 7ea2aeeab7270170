// Node.js ES module entry: the CommonJS build, re-exported by name.
import { createRequire } from "node:module";

const flexkit = createRequire(import.meta.url)("./index.cjs");

export const {
  init, initSync, version,
  checkCardNumber, luhnValid, detectBrand, cardBrandInfo, checkCvv, checkExpiry,
  parseAmount, formatAmount, currencyInfo, currencies,
  describeResponseCode, responseCategory, retryGuidance,
  validate, validateJson, validateBatch, validateCharge, validateChargeJson,
  validateAuthorize, validateAuthorizeJson, validateCapture, validateCaptureJson, validateVoid, validateVoidJson, validateRefund, validateRefundJson, validateRefundedPayment, validateRefundedPaymentJson, validateCreatePaymentMethod, validateCreatePaymentMethodJson, validateListQuery, validateListQueryJson, validateGateway, validateGatewayJson, validateCompany, validateCompanyJson, validateApiKeyRequest, validateApiKeyRequestJson, validateAutoRetryConfig, validateAutoRetryConfigJson,
  validateUpdatePaymentMethod, validateUpdatePaymentMethodJson, validateRecachePaymentMethod, validateRecachePaymentMethodJson,
} = flexkit;
