export {
  version,
  checkCardNumber, luhnValid, detectBrand, cardBrandInfo, checkCvv, checkExpiry,
  parseAmount, formatAmount, currencyInfo, currencies,
  describeResponseCode, responseCategory, retryGuidance,
} from "./types/flexkit_wasm.js";
export type {
  CardBrand, CardNumberCheck, CardBrandInfo, CvvCheck, ExpiryCheck, Instant,
  CurrencyInfo, AmountErrorCode, AmountParse,
  ResponseCategory, ResponseCodeDescription,
} from "./types/flexkit_wasm.js";

/** A URL, a `Response`, bytes or a compiled module to instantiate the WebAssembly module from. */
export type InitInput =
  | RequestInfo
  | URL
  | Response
  | BufferSource
  | WebAssembly.Module;

/**
 * Loads and instantiates the WebAssembly module; call it once before any other export in a
 * browser. Idempotent. In Node.js the module is ready on import and this resolves at once.
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/**
 * Instantiates the module synchronously from its bytes or a compiled module (browsers allow
 * this for small modules or in workers). A no-op in Node.js and once initialised.
 */
export function initSync(module?: BufferSource | WebAssembly.Module): void;
