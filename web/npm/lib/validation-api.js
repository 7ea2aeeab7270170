// The `flexkit` API over the raw wasm-bindgen exports of flexkit-wasm.

export function createValidationApi(raw) {
  return {
    version: raw.version,
    checkCardNumber: raw.checkCardNumber,
    luhnValid: raw.luhnValid,
    detectBrand: raw.detectBrand,
    cardBrandInfo: raw.cardBrandInfo,
    checkCvv: raw.checkCvv,
    checkExpiry: raw.checkExpiry,
    parseAmount: raw.parseAmount,
    formatAmount: raw.formatAmount,
    currencyInfo: raw.currencyInfo,
    currencies: raw.currencies,
    describeResponseCode: raw.describeResponseCode,
    responseCategory: raw.responseCategory,
    retryGuidance: raw.retryGuidance,
  };
}
