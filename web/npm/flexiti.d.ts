export {
  FlexitiSandbox, version, environments, endpoints, endpointUrl, limits, errorCodes, newReferenceId,
  tokenRequest, accessToken, tokenState, tokenNeedsRefresh, renewTokenRequest,
  validate, validateJson, validateTokenForm,
  validateAuthorization, validateCapture, validateRelease, validateReturn, validateRefund, validateTransaction,
  validateCustomerSearch, validateCustomerLookup, validateAccountVerify, validateCalculateInterest,
  validateAuthorizationList, validateCaptureList, validateAuthorizationDetail, validateSkuData,
  prepare, checkRules, regularPurchaseBypassAllowed, parseError,
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
export type { InitInput, WasmBytes, WasmModule } from "./index.js";

/** Loads and instantiates the Flexiti WebAssembly module (browsers); idempotent. */
export function init(input?: import("./index.js").InitInput | Promise<import("./index.js").InitInput>): Promise<void>;
/** Instantiates the module synchronously from its bytes or a compiled module. */
export function initSync(module?: import("./index.js").WasmBytes | import("./index.js").WasmModule): void;
