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

import type { ValidationResult, ValidationOptions, RequestKind } from "./types/flexkit_wasm.js";
export type { ValidationResult, ValidationOptions, ValidationProblem, RequestKind } from "./types/flexkit_wasm.js";
/** Validates a request body of `kind` given as JSON text. Never throws for invalid input. */
export function validateJson(kind: RequestKind, text: string, options?: ValidationOptions): ValidationResult;

export type {
  FlexPayRequests, ChargeRequest, AuthorizeRequest, ChargeTransaction, ChargeFields, CardCharge, VaultedCharge,
  GatewayCharge, CreditCardPaymentMethod, GatewayPaymentMethod, CardHolder, ShippingAddressInput, PaymentPlan,
  PaymentModel, References, PreviousTransaction, CaptureRequest, CaptureTransaction, VoidRequest, VoidTransaction,
  RefundRequest, RefundTransaction, RefundedPaymentRequest, RefundedPaymentTransaction,
  CreatePaymentMethodRequest, PaymentMethodToVault, VaultCreditCard, VaultGatewayPaymentMethod,
  UpdatePaymentMethodRequest, PaymentMethodUpdate, VaultHolder, RecachePaymentMethodRequest,
  ListTransactionsQuery, Gateway, GatewayStatus, AcceptedCards, CardAcceptance, Company, ApiKeyRequest,
  AutoRetryConfig, FlexPayEnvironment, JsonValue,
} from "./types/flexkit_wasm.js";

/**
 * What the validators take: any value, since they exist to check what comes from outside.
 * The body a request of `kind` should be is `FlexPayRequests[kind]` (`ChargeRequest`, ...),
 * in its envelope (`{ transaction }`, `{ paymentMethod }`) where FlexPay has one.
 */
export type RequestInput = unknown;

/** Validates a request of `kind` given as an object. Never throws for invalid input. */
export function validate(kind: RequestKind, request: RequestInput, options?: ValidationOptions): ValidationResult;
/**
 * Validates many requests of one kind in one call; one result per item, in order. Each is
 * judged as on its own, and since FlexPay refuses a `merchantTransactionId` it has already
 * seen (50129), an item repeating the id of an earlier one is refused too:
 * `duplicate_merchant_transaction_id` at `transaction.merchantTransactionId`, whose message
 * names the earlier item (`requests[0]`). An earlier item with errors does not count: it is
 * refused before it is processed, so its id is not used up.
 */
export function validateBatch(kind: RequestKind, requests: readonly RequestInput[], options?: ValidationOptions): ValidationResult[];
/** Validates a charge body given as an object. */
export function validateCharge(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a charge body given as JSON text. */
export function validateChargeJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a authorize body given as an object. */
export function validateAuthorize(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a authorize body given as JSON text. */
export function validateAuthorizeJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a capture body given as an object. */
export function validateCapture(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a capture body given as JSON text. */
export function validateCaptureJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a void body given as an object. */
export function validateVoid(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a void body given as JSON text. */
export function validateVoidJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a refund body given as an object. */
export function validateRefund(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a refund body given as JSON text. */
export function validateRefundJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a refundedPayment body given as an object. */
export function validateRefundedPayment(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a refundedPayment body given as JSON text. */
export function validateRefundedPaymentJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a createPaymentMethod body given as an object. */
export function validateCreatePaymentMethod(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a createPaymentMethod body given as JSON text. */
export function validateCreatePaymentMethodJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates the body of a vault update (`PUT /v1/paymentmethods/{id}`) given as an object. */
export function validateUpdatePaymentMethod(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates the body of a vault update given as JSON text. */
export function validateUpdatePaymentMethodJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates the body of a vault recache (`PUT /v1/paymentmethods/{id}/recache`) given as an object. */
export function validateRecachePaymentMethod(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates the body of a vault recache given as JSON text. */
export function validateRecachePaymentMethodJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a listQuery body given as an object. */
export function validateListQuery(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a listQuery body given as JSON text. */
export function validateListQueryJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a gateway body given as an object. */
export function validateGateway(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a gateway body given as JSON text. */
export function validateGatewayJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a company body given as an object. */
export function validateCompany(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a company body given as JSON text. */
export function validateCompanyJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a apiKeyRequest body given as an object. */
export function validateApiKeyRequest(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a apiKeyRequest body given as JSON text. */
export function validateApiKeyRequestJson(text: string, options?: ValidationOptions): ValidationResult;
/** Validates a autoRetryConfig body given as an object. */
export function validateAutoRetryConfig(request: RequestInput, options?: ValidationOptions): ValidationResult;
/** Validates a autoRetryConfig body given as JSON text. */
export function validateAutoRetryConfigJson(text: string, options?: ValidationOptions): ValidationResult;

/**
 * What `init()` instantiates the WebAssembly module from: its URL (a string, a `URL` or a
 * `Request`), a `Response`, its bytes or the compiled module. Written without the DOM lib's
 * `RequestInfo`, `BufferSource` and `WebAssembly`, so these types also compile in a Node.js
 * project whose `lib` has no "dom" (`URL`, `Request` and `Response` are Node's too).
 */
export type InitInput = string | URL | Request | Response | WasmBytes | WasmModule;

/** The module's bytes (the DOM lib's `BufferSource`). */
export type WasmBytes = ArrayBuffer | ArrayBufferView;

/**
 * A compiled `WebAssembly.Module`. The DOM lib declares it as an empty interface, so to
 * TypeScript any object is one; `object` says as much without needing that lib.
 */
export type WasmModule = object;

/**
 * What flexkit throws for misuse — an argument of the wrong type, an invalid date, a freed
 * object, a call before `init()` in a browser: a real `Error` (named "FlexkitError") whose
 * `code` says what went wrong ("invalid_argument", "invalid_date", "not_initialized", ...).
 * Invalid data is answered with data, never thrown. `catch` gives `unknown`: narrow it, for
 * instance with `error instanceof Error && "code" in error`, or cast.
 */
export interface FlexkitError extends Error {
  code: string;
}

/**
 * Loads and instantiates the WebAssembly module; call it once before any other export in a
 * browser. Idempotent. In Node.js the module is ready on import and this resolves at once.
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/**
 * Instantiates the module synchronously from its bytes or a compiled module (browsers allow
 * this for small modules or in workers). A no-op in Node.js and once initialised.
 */
export function initSync(module?: WasmBytes | WasmModule): void;
