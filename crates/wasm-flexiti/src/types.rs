//! TypeScript declarations of the public `flexkit/flexiti` API (the JS layer's functions and
//! the `FlexitiSandbox` class over `RawFlexitiSandbox`) and of the shapes the core serializes.
//! Kept next to the bindings so the two change together; the npm tests compare them with the
//! runtime values and `tsc --strict` compiles a typical use.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const FLEXITI_TYPES: &'static str = r#"
/** An instant: a `Date`, an ISO 8601 string in UTC, or milliseconds since the epoch. */
export type Instant = Date | string | number;

/** ISO 8601 in UTC, as the core writes it: "2026-11-21T10:00:00Z". */
export type IsoTimestamp = string;

/**
 * A CAD amount as Flexiti's `number (18,2)`: an exact decimal string of dollars ("10.50").
 * A number is read through its shortest decimal text, never by float arithmetic, so `10.5`
 * is 10.50; prefer strings. Answers always carry strings.
 */
export type Amount = string | number;

/** A Flexiti-issued id (16 digits for authorizations): a string, or a number up to 2^53 - 1. */
export type FlexitiId = string | number;

export type FlexitiEnvironment = "TRAINING" | "MERCHANT_INTEGRATION" | "PRODUCTION";

export interface EnvironmentInfo {
  id: FlexitiEnvironment;
  /** As the documentation writes it: "MERCHANT INTEGRATION". */
  name: string;
  /** POS API base URL; the version segment follows it ("v2.5/...", "v2.5.1/..."). */
  baseUrl: string;
  developerPortal: string | null;
  isTest: boolean;
}

/** Every request type, by the name `validate`, `prepare` and the sandbox use. */
export type FlexitiRequestKind =
  | "authorization" | "capture" | "release" | "return" | "refund" | "transaction"
  | "customerSearch" | "customerLookup" | "accountVerify" | "calculateInterest"
  | "authorizationList" | "captureList" | "authorizationDetail" | "skuData";

/** The kinds that are API calls (all but `skuData`). */
export type FlexitiCallKind = Exclude<FlexitiRequestKind, "skuData">;

export interface EndpointInfo {
  kind: FlexitiCallKind | "token";
  method: "GET" | "POST";
  /** The path's version segment. */
  version: "v2.5" | "v2.5.1";
  pathParams: Array<"authorizationId" | "captureId" | "accountNumber">;
  /** Whether a `customer`-scope token may call it. */
  customerScope: boolean;
  /** Whether it documents the `lang` query parameter (`en`, the default, or `fr`): in its
   * query type for GET calls, next to the JSON body for POST calls. */
  lang: boolean;
  /** The path below the base URL for client id "client" and sample ids. */
  example: string;
}

/** The ids each call's path needs (`pathParams` in `endpoints()`); `{}` for none. */
export interface EndpointPathIds {
  authorization: {};
  transaction: {};
  customerSearch: {};
  customerLookup: {};
  authorizationList: {};
  captureList: {};
  capture: { authorizationId: FlexitiId };
  release: { authorizationId: FlexitiId };
  authorizationDetail: { authorizationId: FlexitiId };
  return: { authorizationId: FlexitiId; captureId: FlexitiId };
  refund: { accountNumber: FlexitiId };
  accountVerify: { accountNumber: FlexitiId };
  calculateInterest: { accountNumber: FlexitiId };
}

/** A call of kind `K` and the ids its path needs; `issuedIn` is the environment that issued
 * the ids (default: the one called; ids never cross environments). */
export type EndpointOf<K extends FlexitiCallKind> = { kind: K; issuedIn?: FlexitiEnvironment } & EndpointPathIds[K];

/** Any call and the ids its path needs: one member per kind, told apart by `kind`. */
export type EndpointRef = { [K in FlexitiCallKind]: EndpointOf<K> }[FlexitiCallKind];

/** The calls whose path needs no id, which may also be named by their kind alone. */
export type PathlessCallKind = { [K in FlexitiCallKind]: {} extends EndpointPathIds[K] ? K : never }[FlexitiCallKind];

export interface FlexitiLimits {
  tokenLifetimeSeconds: number;
  refreshMarginSeconds: number;
  returnWindowDays: number;
  dailyPaymentLimit: string;
  regularPurchaseBypassMaxAmount: string;
  regularPurchaseBypassMaxPurchases: number;
  securityQuestionMaxWrongAnswers: number;
  maxPageSize: number;
  defaultPageSize: number;
  maxPageNumber: number;
  maxDateRangeDays: number;
  currency: "CAD";
}

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

/** A request ready for `fetch`: headers as a plain object with lower-case names. */
export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: { [name: string]: string };
  body: string | null;
  contentType: string | null;
  /** The request's warnings (a long date range, an undocumented question id). */
  warnings: FlexitiProblem[];
}

export interface TokenRequestOptions {
  scope?: "merchant" | "customer";
  /** Renew with `grant_type=refresh_token` (the previous answer's `refresh_token`). */
  refreshToken?: string;
  /** `x-reference-id`, 32 ASCII characters (default: a fresh random GUID without hyphens). */
  referenceId?: string;
}

/** The token call's 200 answer, as Flexiti sends it. */
export interface TokenAnswer {
  token_type: string;
  access_token: string;
  expires_in: number;
  refresh_token: string;
  scope?: string;
}

/** A token as the merchant keeps it (store it as JSON; it is plain data). */
export interface AccessToken {
  environment: FlexitiEnvironment;
  accessToken: string;
  refreshToken: string;
  scope: "merchant" | "customer";
  /** When the answer was received, to the whole second (rounded down). */
  issuedAt: IsoTimestamp;
  expiresIn: number;
}

export type TokenState = "fresh" | "refreshDue" | "expired";

export interface TokenStatus {
  /** `refreshDue` in the last 60 s (refresh it); `expired` after (request a new one). */
  state: TokenState;
  refreshAt: IsoTimestamp;
  expiresAt: IsoTimestamp;
}

export interface FlexitiProblem {
  /** Path from the request's root, in Flexiti's field names: "financing_option.term". */
  path: string;
  code: string;
  message: string;
}

/** A union on `ok`: refused means at least one error, accepted means none (warnings either way). */
export type FlexitiValidation =
  | { ok: true; errors: []; warnings: FlexitiProblem[] }
  | { ok: false; errors: [FlexitiProblem, ...FlexitiProblem[]]; warnings: FlexitiProblem[] };

export interface ValidateOptions {
  /** Decides "date of birth in the past" (customerSearch); default: the current time. */
  now?: Instant;
}

export interface CallSetup {
  environment: FlexitiEnvironment;
  clientId: string;
  token: AccessToken;
  /** The flow's `x-reference-id` (default: a fresh one). */
  referenceId?: string;
  idempotency?: { key: string; contextHash?: string };
  /** `?lang=` for the calls that document it (`lang` in `endpoints()`): transactions,
   * authorization and calculate-interest, and GET queries without their own `lang`. */
  lang?: "en" | "fr";
  now: Instant;
}

export type PrepareResult =
  | { ok: true; request: HttpRequest }
  | { ok: false; code: "invalid_request"; message: string; errors: [FlexitiProblem, ...FlexitiProblem[]]; warnings: FlexitiProblem[] }
  | { ok: false; code: "token_expired"; message: string; errors: []; warnings: []; expiresAt: IsoTimestamp }
  | { ok: false; code: "token_refresh_due"; message: string; errors: []; warnings: []; refreshAt: IsoTimestamp; expiresAt: IsoTimestamp }
  | { ok: false; code: "token_environment_mismatch"; message: string; errors: []; warnings: []; tokenEnvironment: FlexitiEnvironment; environment: FlexitiEnvironment }
  | { ok: false; code: "environment_mismatch"; message: string; errors: []; warnings: []; objectEnvironment: FlexitiEnvironment; environment: FlexitiEnvironment }
  | { ok: false; code: "insufficient_scope" | "wrong_request_type"; message: string; errors: []; warnings: [] };

export type AccountStatus = "N" | "A" | "F" | "Z" | "C";
export type PurchaseType = "promotional_purchase" | "regular_purchase";

/** What the rules need to know, per kind. Amounts as decimal strings. */
export interface RuleFacts {
  authorization: { accountStatus: AccountStatus; active: boolean; availableCredit: Amount };
  capture: { open: boolean; remaining: Amount };
  release: { open: boolean; remaining: Amount };
  return: { purchaseType: PurchaseType; capturedAt: Instant; remaining: Amount };
  refund: { balance: Amount; captureRemaining?: Amount };
  transaction: { paidInWindow: Amount };
}

export interface RuleViolation extends FlexitiProblem {
  /** The error code Flexiti answers for it, and that answer's HTTP status. */
  flexitiCode: string;
  status: number;
}

/** A union on `ok`, as `FlexitiValidation`. The errors are the rules' violations, or the
 * request's own problems when it is not valid. */
export type RulesResult =
  | { ok: true; errors: []; warnings: FlexitiProblem[] }
  | {
      ok: false;
      errors: [RuleViolation | FlexitiProblem, ...Array<RuleViolation | FlexitiProblem>];
      warnings: FlexitiProblem[];
    };

/** An error answer of any documented shape, read. */
export interface FlexitiApiError {
  status: number;
  /** Flexiti's code, alternative spellings unified (`wrong_input` reads as `wrong_inputs`). */
  code: string;
  message: string;
  /** Whether flexkit knows the code (`errorCodes()`). */
  known: boolean;
  /** What the code means and what to do. */
  description: string;
  fieldErrors: Array<{ param: string; msg: string; value: string | null }>;
  url: string | null;
  /** The POS-shaped body: `{"message", "error", "field_errors"?}`. */
  body: string;
}

export interface ErrorCodeInfo {
  code: string;
  status: number;
  description: string;
}

// Requests, in Flexiti's wire names.

export interface InStoreFields {
  request_id?: string;
  external_location_id?: string;
  external_employee_id?: string;
}

export interface SkuData {
  purchase_order?: string;
  register_id?: string;
  transaction_discount_total?: Amount;
  transaction_subtotal?: Amount;
  transaction_total?: Amount;
  gst_hst?: Amount;
  pst?: Amount;
  shipping_total?: Amount;
  products?: Array<{
    sku_id?: string; category?: string; description?: string; quantity?: number;
    unit_price?: Amount; extended_price?: Amount;
  }>;
}

export type FinancingOption =
  | { transaction_type: "promotional_purchase"; plan_id: string; term: number }
  | { transaction_type: "regular_purchase" };

export interface AuthorizationRequest extends InStoreFields {
  account_number: FlexitiId;
  vcc_number?: string;
  reference?: string;
  financing_option: FinancingOption;
  amount: Amount;
  auto_capture: boolean;
  verification_code?: string | number;
  sku_data?: SkuData;
}

export interface CaptureRequest {
  amount: Amount;
  reference?: string;
  external_location_id?: string;
  external_employee_id?: string;
  sku_data?: SkuData;
}

/** Without `amount`, releases everything that remains. */
export interface ReleaseRequest {
  amount?: Amount;
  reference?: string;
  external_location_id?: string;
  external_employee_id?: string;
}

/** `full_return: true` returns what remains (amount optional); a partial return,
 * `full_return: false`, needs its `amount`. */
export type ReturnRequest = {
  reference?: string;
  vcc_number?: string;
  sku_data?: SkuData;
} & ({ full_return: true; amount?: Amount } | { full_return: false; amount: Amount });

export interface RefundRequest {
  amount: Amount;
  reference?: string;
  vcc_number?: string;
  capture_id?: FlexitiId;
  external_location_id?: string;
  external_employee_id?: string;
  sku_data?: SkuData;
}

/** Exactly one of `vcc_number`, `account_number` or `customer_id` names the account: a
 * request with two of them is refused (`conflict`), so the types refuse it too. */
export type AccountKey =
  | { vcc_number: string; account_number?: never; customer_id?: never }
  | { account_number: FlexitiId; vcc_number?: never; customer_id?: never }
  | { customer_id: string; vcc_number?: never; account_number?: never };

export type TransactionRequest = AccountKey & InStoreFields & {
  transaction_type: "deposit" | "instore_payment" | "tradein";
  amount: Amount;
  verification_code: string | number;
};

export interface CustomerSearchQuery {
  first_name: string;
  last_name: string;
  /** YYYY-MM-DD, before today. */
  dob: string;
  postal_code?: string;
}

export type CustomerLookupQuery = AccountKey & { lang?: "en" | "fr" };

export type AccountVerifyRequest = { request_id: string; vcc_number?: string } & (
  | { format: "email" | "sms" | "regular_purchase_bypass" | "merchant_override" }
  | { format: "security_question"; security_qid: string; security_answer: string }
);

export interface CalculateInterestRequest {
  amount: Amount;
}

export interface HistoryFilter {
  lang?: "en" | "fr";
  account_number?: FlexitiId;
  external_location_id?: string;
  /** YYYY-MM-DD, inclusive. */
  creation_date_from?: string;
  creation_date_to?: string;
  page_number?: number;
  page_size?: number;
}

export interface AuthorizationListQuery extends HistoryFilter {
  transaction_type?: PurchaseType;
  authorization_status?: "opened" | "closed" | "unauthorized";
}

export type CaptureListQuery = HistoryFilter;

export interface AuthorizationDetailQuery {
  lang?: "en" | "fr";
}

export interface FlexitiRequests {
  authorization: AuthorizationRequest;
  capture: CaptureRequest;
  release: ReleaseRequest;
  return: ReturnRequest;
  refund: RefundRequest;
  transaction: TransactionRequest;
  customerSearch: CustomerSearchQuery;
  customerLookup: CustomerLookupQuery;
  accountVerify: AccountVerifyRequest;
  calculateInterest: CalculateInterestRequest;
  authorizationList: AuthorizationListQuery;
  captureList: CaptureListQuery;
  authorizationDetail: AuthorizationDetailQuery;
  skuData: SkuData;
}

// Sandbox answers, in Flexiti's wire names; amounts as decimal strings, wide ids as strings.

export interface CaptureAnswer {
  capture_id: number;
  authorization_id: string;
  reference?: string;
  date: IsoTimestamp;
  amount: string;
  remaining_authorization_amount: string;
}

export interface AuthorizationAnswer {
  authorization_id: string;
  account_number: number;
  reference?: string;
  transaction_type: PurchaseType;
  amount: string;
  remaining_authorization_amount: string;
  authorization_status: "opened" | "closed";
  /** Present when `auto_capture` captured the whole amount. */
  capture?: CaptureAnswer;
}

export interface ReleaseAnswer {
  authorization_id: string;
  amount: string;
  remaining_authorization_amount: string;
  authorization_status: "opened" | "closed";
}

export interface ReturnAnswer {
  return_id: string;
  reference?: string;
  capture_id: number;
  date: IsoTimestamp;
  amount: string;
  remaining_capture_amount: string;
  remaining_authorization_amount: string;
}

export interface TransactionAnswer {
  transaction_id: number;
  account_number: number;
  transaction_type: "deposit" | "instore_payment" | "tradein";
  amount: string;
  date: IsoTimestamp;
}

export interface LookupAnswer {
  account_number: number;
  customer_id: string;
  first_name: string;
  last_name: string;
  account_status: AccountStatus;
  account_type: string;
  credit_limit: string;
  available_credit: string;
  card_ending_in?: string;
  /**
   * The account's security question: the id an in-store verify with format
   * `security_question` sends as `security_qid` (its localized text is not simulated).
   */
  security_qid?: { id: string };
}

export interface SearchMatch {
  customer_id: string;
  account_number: number;
  account_status: AccountStatus;
  account_status_reason_code?: string;
  tos_agreement: boolean;
  /** `L`, `M` (preferred), `H`, `X` (premium), `Y`, `Z` (standard), … */
  risk_rating: string;
  customer_account_type: string;
  credit_limit: string;
  available_credit: string;
  /** The merchant the account was opened with. */
  originating_merchant_id: number;
  originating_merchant_name: string;
  /** When the account was opened, `YYYY-MM-DD`. */
  creation_date: string;
  first_name: string;
  last_name: string;
  card_ending_in: string;
  preferred_language: string;
}

export interface VerifyAnswer {
  /** The PIN (a number, as documented) or a notice that it went to the customer. */
  verification_code: number | string;
}

export interface CalculateInterestAnswer {
  account_number: number;
  account_type: string;
  amount: string;
  customer: { available_credit: string; air: string; first_name: string; last_name: string; category_type: string; [field: string]: unknown };
  regular_purchase: { term_amount: string; air: string; verify: boolean; fees: unknown[]; [field: string]: unknown };
  promotional_purchase: Array<{ plan_id: string; plan_name?: string; terms: Array<{ term: number; term_amount: string; [field: string]: unknown }> }>;
}

export interface ListPage<T> {
  page_number: number;
  page_size: number;
  total_count: number;
  total_pages: number;
  items: T[];
}

export interface AuthorizationDetail {
  authorization_id: string;
  account_number: number;
  reference?: string;
  transaction_type: PurchaseType;
  plan_id?: string;
  term?: number;
  amount: string;
  captured_amount: string;
  released_amount: string;
  remaining_authorization_amount: string;
  authorization_status: "opened" | "closed" | "unauthorized";
  creation_date: IsoTimestamp;
  external_location_id?: string;
  capture_ids: number[];
}

export interface CaptureDetail {
  capture_id: number;
  authorization_id: string;
  account_number: number;
  reference?: string;
  date: IsoTimestamp;
  amount: string;
  returned_amount: string;
  refunded_amount: string;
  remaining_capture_amount: string;
  external_location_id?: string;
}

/** The transport facts of one sandbox call. */
export interface SandboxCall {
  /** The access token (or the whole `AccessToken`, or an `authorization` header value). */
  token: string | AccessToken;
  now: Instant;
  /** `x-idempotency-key` (and `x-context-hash`): the same key and body replay the first answer. */
  idempotency?: { key: string; contextHash?: string };
}

export interface SandboxTestAccount {
  purpose: string;
  accountNumber: number;
  customerId: string;
  firstName: string;
  lastName: string;
  accountStatus: AccountStatus;
  active: boolean;
  creditLimit: string;
  balance: string;
  vccNumbers: string[];
  accountType: "consumer" | "business";
  dob: string;
  postalCode: string;
  securityQid: string;
  securityAnswer: string;
  mobileOnFile: boolean;
}

export interface SandboxTestData {
  environment: "TRAINING";
  clientId: string;
  /** Every verification code of the test environments. */
  pin: string;
  plans: Array<{ planId: string; terms: number[] }>;
  accounts: SandboxTestAccount[];
  /** The snapshot schema version this build writes. */
  snapshotVersion: number;
}

/**
 * The Flexiti TRAINING environment in-process: deterministic from its seed and the `now` of
 * each call. Errors the API answers with an HTTP status throw an `Error` whose `code` is
 * Flexiti's (`invalid_client`, `auth_amount_exceeded`, ...) with `status`, `fieldErrors`,
 * `description` and the error `body`.
 */
export declare class FlexitiSandbox {
  constructor(seed?: number);
  /** Throws `snapshot_malformed`, `snapshot_newer_version`, `snapshot_unknown_version` or `snapshot_inconsistent`. */
  static fromSnapshot(snapshot: string): FlexitiSandbox;
  static testData(): SandboxTestData;
  /** Versioned JSON text (`{"schemaVersion": 4, "state": ...}`). */
  snapshot(): string;
  /** The snapshot text, so `JSON.stringify` embeds it as a string. */
  toJSON(): string;
  /** Replaces the state with a snapshot's; on error throws and keeps the current state. */
  restore(snapshot: string): void;
  credentials(): Credentials & { environment: "TRAINING" };
  /** `POST oauth/token` with the form body of `tokenRequest(...)`. */
  token(body: string, now: Instant): TokenAnswer;
  /** A token for this sandbox's own credentials, as `accessToken()` keeps it. */
  issueToken(now: Instant, options?: { scope?: "merchant" | "customer" }): AccessToken;
  lookup(query: CustomerLookupQuery, call: SandboxCall): LookupAnswer;
  search(query: CustomerSearchQuery, call: SandboxCall): SearchMatch[];
  /** A successful call verifies its `request_id` for this account, for the in-store purchase or transaction that reuses it
   * (with format `regular_purchase_bypass`, for a regular purchase only). */
  verify(accountNumber: FlexitiId, request: AccountVerifyRequest, call: SandboxCall): VerifyAnswer;
  calculateInterest(accountNumber: FlexitiId, request: CalculateInterestRequest, call: SandboxCall): CalculateInterestAnswer;
  /**
   * An in-store purchase (`request_id`, `verification_code`, store and employee) throws
   * `not_verified` (409) unless `verify` succeeded for the same account with that `request_id`,
   * and in a format other than `regular_purchase_bypass` unless it is a regular purchase;
   * a wrong PIN is `wrong_verification_code` first.
   */
  authorize(request: AuthorizationRequest, call: SandboxCall): AuthorizationAnswer;
  capture(authorizationId: FlexitiId, request: CaptureRequest, call: SandboxCall): CaptureAnswer;
  release(authorizationId: FlexitiId, request: ReleaseRequest, call: SandboxCall): ReleaseAnswer;
  returnCapture(authorizationId: FlexitiId, captureId: FlexitiId, request: ReturnRequest, call: SandboxCall): ReturnAnswer;
  refund(accountNumber: FlexitiId, request: RefundRequest, call: SandboxCall): Record<string, never>;
  /** With the in-store fields, `not_verified` (409) unless `verify` succeeded for the account with that `request_id`
   * in a format other than `regular_purchase_bypass` (whose PIN serves regular purchases only). */
  transaction(request: TransactionRequest, call: SandboxCall): TransactionAnswer;
  authorizations(query: AuthorizationListQuery, call: SandboxCall): ListPage<AuthorizationDetail>;
  captures(query: CaptureListQuery, call: SandboxCall): ListPage<CaptureDetail>;
  authorizationDetail(authorizationId: FlexitiId, query: AuthorizationDetailQuery, call: SandboxCall): AuthorizationDetail;
  /**
   * A `fetch`-compatible function that answers Flexiti's POS API as the TRAINING host
   * (`https://posapi-training.flexiti.fi/flexiti/pos-api/`) would, so a client written against
   * it runs unchanged in a test suite: `POST v2.5/oauth/token` with its form body and every
   * endpoint of `endpoints()` with its method and version, the path's client id this sandbox's.
   * Every call, the token call included, needs `x-reference-id` (1 to 32 printable ASCII
   * characters; missing or wrong is 409 `wrong_inputs`, the header in `field_errors`).
   * The token comes from `Authorization: Bearer <token>`, the idempotency from
   * `x-idempotency-key` and `x-context-hash`; GET queries are read as the query types
   * (`page_number` and `page_size` as numbers, `lang` included), and the POST calls that
   * document `lang` (transactions, authorization, calculate-interest) read `?lang=` the same
   * way (`en` or `fr`; anything else 409 `wrong_inputs`). Answers are JSON, 200 on
   * success; errors carry Flexiti's status and POS body (`{ message, error, field_errors }`,
   * which `parseError` reads back), an unknown path 404 and a wrong method 405 with `Allow`.
   * A URL of another host (PRODUCTION's too) or scheme, or a path without scheme and host,
   * rejects with `unknown_host`, as an aborted `init.signal` rejects with its reason. `now` is the
   * sandbox's clock (default `Date.now`), read once per call; another key in `options`
   * throws `invalid_argument` naming it.
   */
  createFetch(options?: { now?: () => Instant }): (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  free(): void;
  [Symbol.dispose](): void;
}

export declare function environments(): EnvironmentInfo[];
export declare function endpoints(): EndpointInfo[];
/** The URL of a call (no query); throws `environment_mismatch` for an id of another environment. */
export declare function endpointUrl(endpoint: EndpointRef | PathlessCallKind, environment: FlexitiEnvironment, clientId: string): string;
export declare function limits(): FlexitiLimits;
export declare function errorCodes(): ErrorCodeInfo[];
/** A fresh `x-reference-id`: 32 lower-case hex digits from the platform's random source. */
export declare function newReferenceId(): string;
/**
 * The form-encoded OAuth call. Throws an `InvalidCredentialsError` (`invalid_credentials`,
 * every problem in `errors`) for bad credentials.
 */
export declare function tokenRequest(credentials: Credentials, environment: FlexitiEnvironment, options?: TokenRequestOptions): HttpRequest;
export declare function accessToken(answer: TokenAnswer, environment: FlexitiEnvironment, receivedAt: Instant): AccessToken;
export declare function tokenState(token: AccessToken, now: Instant): TokenStatus;
/** True from 60 s before expiry on (refresh it; once expired, request a new one). */
export declare function tokenNeedsRefresh(token: AccessToken, now: Instant): boolean;
/**
 * The token call to make before calling at `now`: refresh_token while still valid,
 * client_credentials once expired, `null` while fresh. Throws an `InvalidCredentialsError`
 * for bad credentials, as `tokenRequest` does.
 */
export declare function renewTokenRequest(credentials: Credentials, token: AccessToken, now: Instant, options?: { referenceId?: string }): HttpRequest | null;
/** Every problem at once; never throws for the request, whatever its type. */
export declare function validate(kind: FlexitiRequestKind, request: unknown, options?: ValidateOptions): FlexitiValidation;
/** The same for JSON text. */
export declare function validateJson(kind: FlexitiRequestKind, text: string, options?: ValidateOptions): FlexitiValidation;
/** The form body of the token call. */
export declare function validateTokenForm(body: string): FlexitiValidation;
export declare function validateAuthorization(request: unknown): FlexitiValidation;
export declare function validateCapture(request: unknown): FlexitiValidation;
export declare function validateRelease(request: unknown): FlexitiValidation;
export declare function validateReturn(request: unknown): FlexitiValidation;
export declare function validateRefund(request: unknown): FlexitiValidation;
export declare function validateTransaction(request: unknown): FlexitiValidation;
export declare function validateCustomerSearch(request: unknown, options?: ValidateOptions): FlexitiValidation;
export declare function validateCustomerLookup(request: unknown): FlexitiValidation;
export declare function validateAccountVerify(request: unknown): FlexitiValidation;
export declare function validateCalculateInterest(request: unknown): FlexitiValidation;
export declare function validateAuthorizationList(request: unknown): FlexitiValidation;
export declare function validateCaptureList(request: unknown): FlexitiValidation;
export declare function validateAuthorizationDetail(request: unknown): FlexitiValidation;
export declare function validateSkuData(skuData: unknown): FlexitiValidation;
/**
 * Endpoint + request + headers + token checks, joined into a request ready to send. The
 * endpoint is `{ kind, ...the ids its path needs }`, or the kind alone for a call whose path
 * needs none; the request is that kind's.
 */
export declare function prepare<K extends FlexitiCallKind>(endpoint: EndpointOf<K> | (K & PathlessCallKind), request: FlexitiRequests[K], setup: CallSetup): PrepareResult;
/** The business rules of a call against what is known of the account, authorization or capture. */
export declare function checkRules<K extends keyof RuleFacts>(kind: K, request: FlexitiRequests[K], facts: RuleFacts[K], options?: { now?: Instant }): RulesResult;
/** Whether a regular purchase may skip verification: at most $200, and at most 3 regular purchases on the account in the past 24 h before it. */
export declare function regularPurchaseBypassAllowed(amount: string, regularPurchasesIn24h: number): boolean;
/**
 * Reads an answer's JSON text (Flexiti's, or `createFetch`'s) with `authorization_id` and
 * `return_id` as strings of all their digits. Flexiti sends them as 16-digit JSON numbers,
 * which `JSON.parse` and `Response.json()` round above 2^53 − 1 (`9493311852077417` reads
 * as `9493311852077416`), so a capture or return would name another authorization. Throws
 * `invalid_argument` for text that is not JSON.
 */
export declare function readAnswer<T = any>(text: string): T;
/** Reads an error answer of any documented shape; never throws for the body. */
export declare function parseError(status: number, body: string | object): FlexitiApiError;
"#;
