export {
  FlexitiSandbox, version, environments, endpoints, endpointUrl, limits, errorCodes, newReferenceId,
  tokenRequest, accessToken, tokenState, tokenNeedsRefresh, renewTokenRequest,
  validate, validateJson, validateTokenForm,
  validateAuthorization, validateCapture, validateRelease, validateReturn, validateRefund, validateTransaction,
  validateCustomerSearch, validateCustomerLookup, validateAccountVerify, validateCalculateInterest,
  validateAuthorizationList, validateCaptureList, validateAuthorizationDetail, validateSkuData,
  prepare, checkRules, regularPurchaseBypassAllowed, parseError, readAnswer,
} from "./types/flexkit_flexiti.js";
export type {
  Instant, IsoTimestamp, Amount, FlexitiId, FlexitiEnvironment, EnvironmentInfo, FlexitiRequestKind,
  FlexitiCallKind, EndpointInfo, EndpointPathIds, EndpointOf, EndpointRef, PathlessCallKind, FlexitiLimits, Credentials, HttpRequest,
  TokenRequestOptions, TokenAnswer, AccessToken, TokenState, TokenStatus, FlexitiProblem,
  FlexitiValidation, ValidateOptions, CallSetup, PrepareResult, AccountStatus, PurchaseType,
  RuleFacts, RuleViolation, RulesResult, FlexitiApiError, ErrorCodeInfo, InStoreFields, SkuData,
  FinancingOption, AuthorizationRequest, CaptureRequest, ReleaseRequest, ReturnRequest,
  RefundRequest, AccountKey, TransactionRequest, CustomerSearchQuery, CustomerLookupQuery,
  AccountVerifyRequest, CalculateInterestRequest, HistoryFilter, AuthorizationListQuery,
  CaptureListQuery, AuthorizationDetailQuery, FlexitiRequests, CaptureAnswer, AuthorizationAnswer,
  ReleaseAnswer, ReturnAnswer, TransactionAnswer, LookupAnswer, SearchMatch, VerifyAnswer,
  CalculateInterestAnswer, ListPage, AuthorizationDetail, CaptureDetail, SandboxCall,
  SandboxTestAccount, SandboxTestData,
} from "./types/flexkit_flexiti.js";
import type { FlexkitError } from "./index.js";
export type { InitInput, WasmBytes, WasmModule, FlexkitError } from "./index.js";

/**
 * An error answer of the TRAINING sandbox, thrown as an `Error` whose `code` is Flexiti's
 * (`not_verified`, `auth_amount_exceeded`, ...), with the answer's `status`, `fieldErrors`,
 * `description`, `known` and POS-shaped `body` (`parseError` reads the same answer into a
 * `FlexitiApiError`). `flexiti` tells it from flexkit's own errors for misuse.
 */
export interface FlexitiError
  extends FlexkitError,
    Omit<import("./types/flexkit_flexiti.js").FlexitiApiError, "url" | "code" | "message"> {
  flexiti: true;
}

/**
 * What `tokenRequest` and `renewTokenRequest` throw for credentials that cannot be sent:
 * `code` `invalid_credentials`, with every problem in `errors` (`path` `clientId` or
 * `clientSecret`), as `validate` words them.
 */
export interface InvalidCredentialsError extends FlexkitError {
  code: "invalid_credentials";
  errors: import("./types/flexkit_flexiti.js").FlexitiProblem[];
}

/** Loads and instantiates the Flexiti WebAssembly module (browsers); idempotent. */
export function init(input?: import("./index.js").InitInput | Promise<import("./index.js").InitInput>): Promise<void>;
/** Instantiates the module synchronously from its bytes or a compiled module. */
export function initSync(module?: import("./index.js").WasmBytes | import("./index.js").WasmModule): void;
