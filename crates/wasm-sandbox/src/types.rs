//! TypeScript declarations of the `flexkit/sandbox` entry: the classes users see (the JS layer
//! in `web/npm/lib/sandbox-api.js` over `RawRetryChain` and `RawSandbox`) and the shapes the
//! core serializes. Kept next to the bindings so the two change together; the npm tests
//! compare them with the runtime values.

use wasm_bindgen::prelude::*;

/// The declarations of the classes and of the shapes the core serializes, kept in a constant
/// of their own so tests can read them.
// Read by the custom section below, a use the dead-code lint does not see, and by tests.
#[allow(dead_code)]
pub(crate) const SANDBOX_TYPES_TS: &str = r#"
import type {
  ResponseCategory, JsonValue, ValidationProblem, ChargeRequest, AuthorizeRequest, CaptureRequest, VoidRequest, RefundRequest,
  RefundedPaymentRequest, CreatePaymentMethodRequest, UpdatePaymentMethodRequest, RecachePaymentMethodRequest,
  ListTransactionsQuery, Gateway, GatewayStatus,
} from "./flexkit_wasm.js";
// The request bodies are the `flexkit` entry's (crates/wasm/src/request_types.rs); this entry
// names them too.
export type {
  JsonValue, ShippingAddressInput, PaymentPlan, PreviousTransaction, References, PaymentModel, CardHolder,
  VaultCreditCard, CreditCardPaymentMethod, GatewayPaymentMethod, VaultGatewayPaymentMethod, ChargeFields,
  CardCharge, VaultedCharge, GatewayCharge, ChargeTransaction, ChargeRequest, AuthorizeRequest,
  CaptureTransaction, CaptureRequest, VoidTransaction, VoidRequest, RefundTransaction, RefundRequest,
  RefundedPaymentTransaction, RefundedPaymentRequest, PaymentMethodToVault, CreatePaymentMethodRequest,
  VaultHolder, PaymentMethodUpdate, UpdatePaymentMethodRequest, RecachePaymentMethodRequest,
  ListTransactionsQuery, FlexPayRequests, Gateway, GatewayStatus, AcceptedCards,
} from "./flexkit_wasm.js";

/**
 * A gateway as the sandbox answers it: `id` is its gateway token (send it as a charge's
 * `gatewayToken`), and each of its `settings` (credentials) reads `"********"`.
 */
export interface SavedGateway extends Gateway {
  id: string;
}

/**
 * A value of one of FlexPay's open lists: one of the names flexkit knows, or a newer name
 * FlexPay has added since (kept as sent).
 */
export type OpenEnum<Known extends string> = Known | (string & {});
/** An instant: a `Date`, an ISO 8601 string in UTC, or milliseconds since the epoch. */
export type Instant = Date | string | number;

/** ISO 8601 in UTC, as the core writes it: "2026-11-21T10:00:00Z". */
export type IsoTimestamp = string;

export type ChainStatus =
  | "scheduled" | "awaitingResponse" | "recovered" | "recoveredThenRefunded"
  | "unrecoverable" | "riskBlocked" | "needsInvestigation" | "exhausted" | "stopped";

export interface RetryChainOptions {
  /** The amount being recovered, in integer minor units (at most 2^53 - 1). */
  amount?: { minorUnits: number; currency: string };
  /**
   * Derive a fresh merchantTransactionId per attempt from this base: `{base}-r{retryCount}`,
   * within FlexPay's 50 characters (a longer base keeps its beginning and a hash of itself).
   */
  merchantTransactionIdBase?: string;
  /** 1 to 15 retries (FlexPay's own limit; default 15), 1 to 90 days (default 30, FlexPay's own
   * window; more lets the chain follow Engaged Recovery's hand-off retry date, about 40 days out). */
  policy?: { maxRetries?: number; maxAgeDays?: number };
  /**
   * When the first FlexPay attempt may be sent (default: 24 h after the decline); not before
   * the decline (or creation), nor past the policy's maxAgeDays.
   */
  firstAttemptDueAt?: Instant;
}

/** The attempt to send now: copy these into the charge request. */
export interface Attempt {
  retryCount: number;
  referenceData: string | null;
  dateFirstAttempt: IsoTimestamp;
  merchantTransactionId: { kind: "derived"; id: string } | { kind: "supplyNew" };
  dueAt: IsoTimestamp;
  sentAt: IsoTimestamp;
  previousRejection: string | null;
}

/** Why no attempt may be sent now: data, not an exception. */
export type NotReady =
  | { code: "not_yet"; allowedAt: IsoTimestamp; message: string }
  | { code: "awaiting_response"; retryCount: number; sentAt: IsoTimestamp; message: string }
  | { code: "chain_ended"; status: ChainStatus; message: string };

export type NextAttempt = { ok: true; attempt: Attempt } | { ok: false; notReady: NotReady };

/** What to do after a response. */
export type NextStep =
  | { action: "sendAttempt"; retryCount: number; at: IsoTimestamp }
  | { action: "fixAndResend"; code: string; field: string | null }
  | { action: "lookUpByMerchantTransactionId"; merchantTransactionId: string | null }
  | { action: "investigate"; code: string }
  /** After `stop()`, or when the chain's own policy (`maxRetries`, `maxAgeDays`) ends a
   * recovery FlexPay had scheduled a retry of: a FlexPay that schedules the retries itself
   * (Enterprise with Scheduler) is sent a refunded-payment request for this transaction. */
  | { action: "notifyFlexPayOfStop"; transactionId: string }
  | { action: "nothing" };

/** Why a chain ended without recovering the payment and without reaching a limit. */
export type UnrecoverableReason =
  | "softDeclineWithoutRetryDate" | "hardDecline" | "noRetryCode"
  /** Only a chain stored by an earlier flexkit, which scheduled a retry without referenceData. */
  | "missingReferenceData";

/** Which limit ended a chain: the retry policy's, or FlexPay's own (its 30100 answer). */
export type RetryLimit = "maxRetries" | "retryDateBeyondMaxAge" | "maxAge" | "flexPayLimit";

/** Why the merchant stopped a recovery (`RetryChain.stop`). */
export type StopReason = "subscriptionCancelled" | "paidElsewhere" | "merchantDecision";

/** What one FlexPay answer means for the payment being recovered. */
export type Decision =
  | { kind: "recovered" }
  | { kind: "retryAt"; at: IsoTimestamp }
  | { kind: "fixRequest" }
  | { kind: "unrecoverable"; reason: UnrecoverableReason }
  | { kind: "riskBlocked" }
  | { kind: "needsInvestigation" }
  | { kind: "exhausted"; limit: RetryLimit };

/** Something about a response worth showing, though it was recorded. */
export type ResponseNote =
  | { note: "retryDateIgnored"; retryDate: IsoTimestamp }
  | { note: "retryDateAlreadyPassed"; retryDate: IsoTimestamp };

export interface Transition {
  from: ChainStatus;
  to: ChainStatus;
  /** The decision a response led to; null for stops and refunds. */
  decision: Decision | null;
  countedAsAttempt: boolean;
  reset: boolean;
  next: NextStep;
  notes: ResponseNote[];
}

/** FlexPay's answer to an attempt: a transaction response (or its envelope) will do. */
export interface AttemptResponseInput {
  responseCode: string | number;
  retryDate?: string | null;
  referenceData?: string | null;
  retryCount?: number | null;
  transactionId?: string | null;
  /**
   * Checked against the attempt's derived id. `null` or `""` counts as none: the answer to a
   * request sent without one (50103) echoes `null` in the sandbox.
   */
  merchantTransactionId?: string | null;
  /** The echoed amount (minor units) and currency, checked against the chain's `amount`:
   * another payment's answer is refused with `amount_mismatch`. */
  amount?: number | null;
  currencyCode?: string | null;
}

/**
 * A chain's stored document as an object (`RetryChain.toJSON()`, or `toJson()` parsed):
 * versioned, to be kept as it is and read back with `RetryChain.fromJson`.
 */
export interface StoredRetryChain {
  schemaVersion: number;
  [field: string]: JsonValue;
}

export interface RetryChainSnapshot {
  status: ChainStatus;
  isTerminal: boolean;
  retryCount: number;
  referenceData: string | null;
  dueAt: IsoTimestamp | null;
  deadline: IsoTimestamp | null;
  dateFirstAttempt: IsoTimestamp | null;
  retriesMade: number;
  merchantReference: string;
  latestTransactionId: string | null;
  recoveredTransactionId: string | null;
  state: ChainState;
  history: AttemptRecord[];
}

/** A refund recorded against a recovered payment. */
export interface RecordedRefund {
  transactionId: string;
  /** Minor units; null when the refund's amount was not given. */
  amount: number | null;
  refundedAt: IsoTimestamp;
}

/** Where a chain stands, with what each status needs. */
export type ChainState =
  | { status: "scheduled"; dueAt: IsoTimestamp }
  | { status: "awaitingResponse"; dueAt: IsoTimestamp; sentAt: IsoTimestamp; merchantTransactionId: string | null }
  | { status: "recovered"; at: IsoTimestamp; transactionId: string | null }
  | { status: "recoveredThenRefunded"; at: IsoTimestamp; transactionId: string | null; refunds: RecordedRefund[] }
  | { status: "unrecoverable"; at: IsoTimestamp; code: string; reason: UnrecoverableReason }
  | { status: "riskBlocked"; at: IsoTimestamp; code: string }
  | { status: "needsInvestigation"; at: IsoTimestamp; code: string }
  | { status: "exhausted"; at: IsoTimestamp; limit: RetryLimit; code: string | null }
  | { status: "stopped"; at: IsoTimestamp; reason: StopReason };

/** One request sent through FlexPay and its answer (5xxxx rejections included). */
export interface AttemptRecord {
  retryCount: number;
  sentAt: IsoTimestamp;
  answeredAt: IsoTimestamp;
  merchantTransactionId: string | null;
  referenceDataSent: string | null;
  /** Five digits, as FlexPay sends it: "20023". */
  responseCode: string;
  category: ResponseCategory;
  retryDate: IsoTimestamp | null;
  /** `referenceData` of the response. */
  referenceData: string | null;
  transactionId: string | null;
  decision: Decision;
}

/**
 * One declined payment's recovery through FlexPay. Create it with a static method; store it
 * with `toJson()` (a JSON string with `schemaVersion`) and restore it with `fromJson()`.
 * Methods throw an `Error` with a `code` on misuse (e.g. `freed_object` after `free()`).
 */
export declare class RetryChain {
  private constructor();
  /**
   * A payment whose initial attempt (`retryCount` 0) was declined on the merchant's own gateway
   * at `declinedAt`: the first attempt through FlexPay is `retryCount` 1, due a day later.
   */
  static afterGatewayDecline(merchantReference: string, declinedAt: Instant, options?: RetryChainOptions): RetryChain;
  /**
   * A payment whose initial attempt goes through FlexPay (Integration Guide, Step 4): it is sent
   * with `retryCount` 0 and `referenceData` null, and the retries count 1, 2, … from there.
   */
  static initialAttemptThroughFlexPay(merchantReference: string, createdAt: Instant, options?: RetryChainOptions): RetryChain;
  /**
   * Restores a chain stored with `toJson()`. Throws the codes every stored document of flexkit
   * is refused with: `snapshot_malformed` (not JSON, cut short, or not a chain's shape; the
   * message names the value at fault by its path from `json`, as `json.policy.maxRetries`,
   * and what it takes), `snapshot_unknown_version`, `snapshot_newer_version` or
   * `snapshot_inconsistent`. Also takes the object `toJSON()` answers, as `JSON.parse` gives
   * it back from a document that embedded the chain.
   */
  static fromJson(json: string | StoredRetryChain): RetryChain;
  toJson(): string;
  /** The stored document as an object, so `JSON.stringify` embeds the chain: `toJson()` parsed. */
  toJSON(): StoredRetryChain;
  /** Hands out the next attempt to send: the chain then awaits its response. */
  nextAttempt(now: Instant): NextAttempt;
  /**
   * What `nextAttempt(now)` would answer, the chain left as it is: for a view of the next
   * retry, which must not hand out (and so block) the attempt the scheduler sends.
   */
  peekAttempt(now: Instant): NextAttempt;
  /**
   * Records FlexPay's answer to the attempt `nextAttempt` handed out. Throws
   * `no_attempt_in_flight` when none is outstanding while the recovery goes on (take the
   * attempt first; record each answer once) and `chain_ended` after the recovery ended (a
   * late or repeated answer to a finished payment), besides the mismatches listed in the
   * README.
   */
  recordResponse(response: AttemptResponseInput | { transaction: AttemptResponseInput }, now: Instant): Transition;
  /**
   * Puts the outstanding attempt back on the schedule, for a request that certainly never
   * reached FlexPay. Throws `no_attempt_in_flight` when none is outstanding, `chain_ended`
   * after the recovery ended.
   */
  abandonAttempt(): void;
  /**
   * Ends the recovery at the merchant's request. Throws `attempt_in_flight` while an attempt
   * awaits its answer, and `stop_before_latest_event` for a `now` before the chain's decline
   * (or creation) or its latest answer recorded.
   */
  stop(reason: StopReason, now: Instant): Transition;
  recordRefund(refundTransactionId: string, amount: number | null, now: Instant): Transition;
  snapshot(): RetryChainSnapshot;
  /**
   * Where the chain stands as of the last call that took a `now`. The getters take no clock,
   * so a recovery window (`maxAgeDays`, FlexPay's 30 days) that closes later is seen by the
   * next call with a `now`: ask `peekAttempt(now)` to know without changing the chain, or
   * compare `snapshot().deadline` with the time.
   */
  readonly status: ChainStatus;
  readonly retryCount: number;
  readonly referenceData: string | null;
  /** When the next attempt may be sent, as of the last call that took a `now` (see `status`). */
  readonly dueAt: IsoTimestamp | null;
  free(): void;
  [Symbol.dispose](): void;
}

/** FlexPay's own limits are 15 retries within 30 days of a payment's first attempt. */
export interface RecoveryLimits {
  /** 1 to 15. */
  maxRetries: number;
  /** 1 to 30, counted from the payment's first attempt. */
  windowDays: number;
}

export interface GeneratedApiKey {
  name: string;
  company: string;
  mode: "Sandbox" | "Production";
  /** The only copy of the key. */
  key: string;
}

/** `transactionStatus`: 1 approved, 2 declined, 3 error. */
export type TransactionStatus = 1 | 2 | 3;

export type TransactionType = OpenEnum<
  | "Authorize" | "Charge" | "Capture" | "Void" | "Refund" | "RefundedPayment" | "UpdatePaymentMethod" | "CreateGatewayPaymentMethod"
  | "CreateCreditCard" | "RedactPaymentMethod" | "RecachePaymentMethod"
>;

/** A gateway type code, e.g. "flexpay_sandbox", "stripe", "braintree". */
export type GatewayType = string;

export type StorageState = OpenEnum<"Cached" | "Stored" | "Redacted">;

/** AVS and CVV results of a transaction. */
export interface VerificationResult {
  avsCode: string | null;
  avsMessage: string | null;
  cvvCode: string | null;
  cvvMessage: string | null;
  errorCode: string | null;
  errorDetail: string | null;
}

/** The payment method of a transaction record (card numbers masked). */
export interface PaymentMethodRecord {
  paymentMethodId: string | null;
  creditCardNumber: string | null;
  expiryMonth: string | null;
  expiryYear: string | null;
  cvv: string | null;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  customerId: string | null;
  address1: string | null;
  address2: string | null;
  postalCode: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  email: string | null;
  phoneNumber: string | null;
  paymentMethodType: OpenEnum<"CreditCard" | "GatewayPaymentMethodId"> | null;
  fingerprint: string | null;
  lastFourDigits: string | null;
  firstSixDigits: string | null;
  cardType: OpenEnum<"VISA" | "MASTERCARD" | "AMERICAN EXPRESS" | "DISCOVER" | "DINERS CLUB" | "JCB"> | null;
  dateCreated: string | null;
  storageState: StorageState | null;
  gatewayPaymentMethodId?: string;
  merchantAccountReferenceId?: string;
}

/** `shippingAddress` of a transaction record: every key, null when unset (a request's is `ShippingAddressInput`). */
export interface ShippingAddress {
  address1: string | null;
  address2: string | null;
  postalCode: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
}

/** A FlexPay transaction record, as every transaction call answers it. */
export interface TransactionResponse {
  response: VerificationResult | null;
  paymentMethod: PaymentMethodRecord | null;
  transactionId: string;
  transactionDate: string | null;
  transactionStatus: TransactionStatus;
  message: string | null;
  /** Five digits: "10000" approved, "20023" a soft decline, ... */
  responseCode: string;
  transactionType: TransactionType | null;
  merchantTransactionId: string | null;
  customerId: string | null;
  currencyCode: string | null;
  /** Minor units. */
  amount: number | null;
  gatewayToken: string | null;
  gatewayType: GatewayType | null;
  gatewayTransactionId: string | null;
  merchantAccountReferenceId: string | null;
  assignedGatewayToken: string | null;
  orderId: string | null;
  /** When FlexPay recommends the next attempt; null means do not retry. */
  retryDate: string | null;
  retryCount: number | null;
  dateFirstAttempt: string | null;
  description: string | null;
  productSku: string | null;
  subscriptionId: string | null;
  customerIp: string | null;
  shippingAddress: ShippingAddress | null;
  referenceData: string | null;
  disableCustomerRecovery: boolean | null;
  engagedRecoveryState?: number;
  customVariable1: string | null;
  customVariable2: string | null;
  customVariable3: string | null;
  customVariable4: string | null;
  customVariable5: string | null;
  paymentModel?: OpenEnum<"onetime" | "subscription" | "installment">;
  gatewaySpecificFields?: { [key: string]: JsonValue };
  gatewaySpecificResponseFields?: { [key: string]: JsonValue };
}

/** The gateway of a full list item: `token` is the gateway token, `referenceId` the MID. */
export interface ListGateway {
  token: string | null;
  gatewayType: GatewayType | null;
  name: string | null;
  referenceId: string | null;
}

/** An item of the default (full) transaction list. */
export interface FullTransactionListItem {
  transactionId: string;
  transactionDate: string | null;
  transactionStatus: TransactionStatus;
  transactionType: TransactionType | null;
  message: string | null;
  gateway?: ListGateway;
  gatewaySpecificFields?: { [key: string]: JsonValue };
  gatewaySpecificResponseFields?: { [key: string]: JsonValue };
}

/** An item of the `responseType: "simplified"` transaction list. */
export interface SimplifiedTransactionListItem {
  transactionId: string;
  transactionDate: string | null;
  transactionStatus: TransactionStatus;
  message: string | null;
  transactionType: TransactionType | null;
  retryDate: string | null;
  /** Minor units. */
  amount: number | null;
  initialMerchantTransactionId: string | null;
  paymentMethodStorageState: StorageState | null;
  /** Undocumented by FlexPay (null in its only example); passed through as sent. */
  completionStatus: JsonValue;
}

/** What the vault calls that change something answer inside `{"transaction": ...}`. */
export interface PaymentMethodTransaction {
  transactionId: string;
  transactionDate: string | null;
  transactionStatus: TransactionStatus;
  /** Every problem of an invalid body, as `path: message (code)`, one per line. */
  message: string | null;
  /** "10000" approved; a 5xxxx code when refused (50134: not in this vault; 50136: redacted). */
  responseCode: string;
  transactionType: TransactionType | null;
  customerId: string | null;
  /** The vaulted method as it now is; null when nothing was stored. */
  paymentMethod: PaymentMethodRecord | null;
}

/** The query of `listPaymentMethods` (`GET /v1/paymentmethods`): the transaction list's paging. */
export interface ListPaymentMethodsQuery {
  /** Oldest first (default) or newest first, by `dateCreated`. */
  order?: "asc" | "desc";
  /** Page size: 20 by default, at most 100. */
  count?: number;
  /** The `paymentMethodId` of the last item of the previous page. */
  sinceTransactionId?: string;
  /** A date (`2023-11-8`), on the first call of a time frame. */
  startDate?: string;
}

/** One retry the sandbox's scheduler fired. */
export type AutoRetryStatus = "enabled" | "disabled";

/** A FlexPay Retries configuration. */
export interface AutoRetryListing {
  id: number;
  name: string;
  /** Company code. */
  company: string;
  environment: "Sandbox" | "Production";
  status: "Enabled" | "Disabled";
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
}

export interface ScheduledRetryRun {
  /** The sandbox's id of the recovery chain the retry belongs to. */
  chain: number;
  /** When it was due, and so when it ran. */
  due: IsoTimestamp;
  response: TransactionResponse;
}

export interface ScenarioReport {
  step: number;
  title: string;
  passed: boolean;
  checks: Array<{ description: string; passed: boolean; detail: string }>;
  transactions: Array<{ scenario: string; description: string; transactionId: string }>;
}

/** How a scenario run sends its payments. */
export interface ScenarioOptions {
  /**
   * The currencies of the payments, one to four ISO 4217 codes with a minor unit, each once
   * (default `["USD"]`). The Integration Guide asks a client that takes more than one currency
   * to test at least two: with several, steps 1–5 run whole in each, steps 6 and 7 charge
   * through their gateways in each (created in the first, accepting them all; step 6's check
   * of Refund Only, a refused charge and a refund, is made once, in the first), and each
   * check of a payment and each Appendix A description starts with the payment's currency
   * (`"EUR: …"`). Charges without a Gateway Token in another currency are then refused with
   * 50147 until a gateway takes it. Another value throws `invalid_argument`, saying what is
   * wrong.
   */
  currencies?: readonly string[];
}

export interface ScenarioRun {
  reports: ScenarioReport[];
  passed: boolean;
  /**
   * The Integration Guide's Appendix A: the transaction ids to hand to FlexPay, each with the
   * instant it was sent (ISO 8601, UTC, to the millisecond), its amount (a decimal string in
   * the currency's major unit) and currency, its company's name and code and its environment.
   * `json` is an array of `{ scenario, description, transactionId, sentAt, amount, currency,
   * company, companyCode, environment }`.
   */
  appendixA: { csv: string; json: string };
}

/**
 * An in-process, deterministic FlexPay v1 sandbox for test suites. Errors a real server
 * answers with an HTTP status throw an `Error` with `code` and `status`.
 */
export declare class Sandbox {
  /** One seed and one sequence of calls always give the same sandbox. */
  constructor(seed?: number);
  /**
   * Throws `snapshot_malformed` (not JSON, cut short, or not a snapshot's shape; the message
   * names the value at fault by its path from `snapshot`, as `snapshot.transactions[0].amount`),
   * `snapshot_unknown_version`, `snapshot_newer_version` or `snapshot_inconsistent`.
   */
  static fromSnapshot(snapshot: string): Sandbox;
  snapshot(): string;
  /** The snapshot text, so `JSON.stringify` embeds it as a string. */
  toJSON(): string;
  createCompany(name: string, code: string, now: Instant): { name: string; code: string };
  /** How far FlexPay recovers a payment of this company (both environments). */
  recoveryLimits(company: string): RecoveryLimits;
  /**
   * Lowers (or restores) a company's recovery limits; a field left out keeps its value. Later
   * soft declines past them are answered with 30100. Throws `invalid_recovery_limits` for a
   * figure that is not a whole number within 1–15 retries and 1–30 days, `invalid_argument`
   * for a key that is not one of the two (naming it, with the one likely meant),
   * `company_not_found` for an unknown company.
   */
  setRecoveryLimits(company: string, limits: Partial<RecoveryLimits>): RecoveryLimits;
  /**
   * A new API key of a company and mode (defaults "DEFAULT", "sandbox"), created at `now`:
   * required, as every sandbox call takes its instant (nothing reads the clock). Another key
   * in `options` throws `invalid_argument` naming it, with the one it likely stands for.
   */
  generateApiKey(name: string, options: { company?: string; mode?: "sandbox" | "production"; now: Instant }): GeneratedApiKey;
  /**
   * `POST /v1/gateways/charge`. A body FlexPay would refuse is answered, not thrown: status 2
   * and the 5xxxx code of its first problem, also for a body of the wrong JSON shape (reach
   * one past the types with a cast); only one that is not a JSON object throws
   * `malformed_request` (status 400).
   */
  charge(apiKey: string, request: ChargeRequest, now: Instant): { transaction: TransactionResponse };
  /** `POST /v1/gateways/authorize`: the charge's body; invalid bodies are answered as by `charge`. */
  authorize(apiKey: string, request: AuthorizeRequest, now: Instant): { transaction: TransactionResponse };
  /** `POST /v1/transactions/{transactionId}/capture` of an authorization; invalid bodies are answered as by `charge`. */
  capture(apiKey: string, transactionId: string, request: CaptureRequest, now: Instant): { transaction: TransactionResponse };
  /** `POST /v1/transactions/{transactionId}/void`; invalid bodies are answered as by `charge`. */
  void(apiKey: string, transactionId: string, request: VoidRequest, now: Instant): { transaction: TransactionResponse };
  /** `POST /v1/transactions/{transactionId}/refund`; invalid bodies are answered as by `charge`. */
  refund(apiKey: string, transactionId: string, request: RefundRequest, now: Instant): { transaction: TransactionResponse };
  /**
   * `POST /v1/transactions/{transactionId}/refundedpayment`: a payment refunded outside
   * FlexPay; invalid bodies are answered as by `charge`.
   */
  refundedPayment(apiKey: string, transactionId: string, request: RefundedPaymentRequest, now: Instant): { transaction: TransactionResponse };
  getTransaction(apiKey: string, transactionId: string): { transaction: TransactionResponse };
  getTransactionByMerchantId(apiKey: string, merchantTransactionId: string): { transaction: TransactionResponse };
  /** A page of transactions, oldest first unless `order` says otherwise. */
  listTransactions(apiKey: string, query: ListTransactionsQuery & { responseType: "simplified" }): { transactions: SimplifiedTransactionListItem[] };
  listTransactions(apiKey: string, query?: ListTransactionsQuery & { responseType?: null | undefined }): { transactions: FullTransactionListItem[] };
  listTransactions(apiKey: string, query?: ListTransactionsQuery): { transactions: FullTransactionListItem[] } | { transactions: SimplifiedTransactionListItem[] };
  /**
   * Fires every retry the sandbox scheduled itself and that is due at or before `now`,
   * earliest first. Only companies with FlexPay Retries enabled (`addAutoRetry`) have their
   * soft-declined charges scheduled; every other retry is the CRM's to send.
   */
  runDueRetries(now: Instant): ScheduledRetryRun[];
  /** When the earliest retry the sandbox scheduled itself is due; null when none is. */
  nextScheduledRetry(): IsoTimestamp | null;
  /**
   * Turns on FlexPay Retries ("auto-retry") for a company and mode (defaults: "DEFAULT",
   * "sandbox", "enabled"): from then on a soft-declined charge of that company is scheduled
   * and retried by the sandbox (`runDueRetries`), and the CRM must not retry it too. One per
   * company and mode: a second throws `auto_retry_exists`. Another key in `options` throws
   * `invalid_argument` naming it, with the one it likely stands for.
   */
  addAutoRetry(name: string, options: { company?: string; mode?: "sandbox" | "production"; status?: AutoRetryStatus | AutoRetryListing["status"]; now: Instant }): AutoRetryListing;
  /** Every FlexPay Retries configuration, oldest first. */
  autoRetries(): AutoRetryListing[];
  /** Turns a configuration on or off; `auto_retry_not_found` for an unknown id. */
  setAutoRetryStatus(id: number, status: AutoRetryStatus | AutoRetryListing["status"], now: Instant): AutoRetryListing;
  deleteAutoRetry(id: number, now: Instant): void;
  readonly transactionCount: number;
  /**
   * Runs one of the Integration Guide's seven scenarios (1–7). FlexPay Retries' retries due
   * before each instant the scenario moves its clock to are sent first, at their dates; a
   * step that sent any says how many in a check.
   */
  runScenario(step: number, apiKey: string, now: Instant, options?: ScenarioOptions): ScenarioRun;
  /** Runs the seven, each at `now` or at the latest transaction's date, if later. */
  runAllScenarios(apiKey: string, now: Instant, options?: ScenarioOptions): ScenarioRun;
  /**
   * Stores a payment method in the vault (`POST /v1/paymentmethods`); charge it with its
   * `paymentMethodId`. An invalid body is answered, not thrown: status 2, the FlexPay code of
   * its first problem, every problem in `message`, also for a body of the wrong JSON shape;
   * only one that is not a JSON object throws `malformed_request` (status 400), as for charges.
   */
  createPaymentMethod(apiKey: string, request: CreatePaymentMethodRequest, now: Instant): { transaction: PaymentMethodTransaction };
  /** The vault of the key's company and environment (`GET /v1/paymentmethods`), redacted methods included. */
  listPaymentMethods(apiKey: string, query?: ListPaymentMethodsQuery): { paymentMethods: Array<{ paymentMethod: PaymentMethodRecord }> };
  /** One vaulted method (`GET /v1/paymentmethods/{id}`); throws `payment_method_not_found` (status 404). */
  getPaymentMethod(apiKey: string, paymentMethodId: string): { paymentMethod: PaymentMethodRecord };
  /** Changes editable fields (`PUT /v1/paymentmethods/{id}`); nothing editable throws `no_editable_field` (status 400). */
  updatePaymentMethod(apiKey: string, paymentMethodId: string, request: UpdatePaymentMethodRequest, now: Instant): { transaction: PaymentMethodTransaction };
  /** `PUT /v1/paymentmethods/{id}/redact`: storageState "Redacted"; charges on it are refused (50136, 50134 on authorize). */
  redactPaymentMethod(apiKey: string, paymentMethodId: string, now: Instant): { transaction: PaymentMethodTransaction };
  /** `PUT /v1/paymentmethods/{id}/recache`: a CVV on file for the next payment; the CVV itself is never kept. */
  recachePaymentMethod(apiKey: string, paymentMethodId: string, request: RecachePaymentMethodRequest, now: Instant): { transaction: PaymentMethodTransaction };
  /**
   * Adds a gateway to the key's company and environment (a Sandbox key adds Sandbox
   * gateways). It is read by the `validateGateway` rules: one with errors throws
   * `invalid_gateway` (status 400), every error in the message and on the error's `errors`
   * (`{ path, code, message }`); a type the sandbox cannot route to (a code flexkit does not
   * know, `flexpay_declined`) throws `invalid_gateway_type`. Once a company has a gateway of
   * its own, charges without `gatewayToken` are routed among its `Available` ones by
   * `weight`, instead of to the built-in FlexPay Sandbox gateway.
   */
  createGateway(apiKey: string, gateway: Gateway, now: Instant): SavedGateway;
  /** The gateways of the key's company and environment, oldest first, credentials masked. */
  listGateways(apiKey: string): SavedGateway[];
  /** One gateway by its token; throws `gateway_not_found` (status 404). */
  getGateway(apiKey: string, gatewayToken: string): SavedGateway;
  /**
   * Replaces a gateway's fields with `gateway` (a whole object, as `getGateway` gives it).
   * The name cannot change (`gateway_name_not_updatable`); a setting left out or sent as
   * `"********"` keeps its credential, one sent as `null` removes it.
   */
  updateGateway(apiKey: string, gatewayToken: string, gateway: Gateway, now: Instant): SavedGateway;
  /** `"RefundOnly"` stops new charges and keeps refunds; `"Disabled"` stops both. */
  setGatewayStatus(apiKey: string, gatewayToken: string, status: GatewayStatus, now: Instant): SavedGateway;
  /** Removes a gateway; its past transactions keep naming it. */
  deleteGateway(apiKey: string, gatewayToken: string, now: Instant): void;
  /**
   * A `fetch`-compatible function that answers FlexPay's HTTP API from this sandbox, so a
   * client written against `https://api.flexpay.io` runs unchanged in a test suite: the
   * transaction calls (`POST /v1/gateways/charge`, `/v1/gateways/authorize`,
   * `/v1/transactions/{id}/capture|void|refund|refundedpayment`, `GET /v1/transactions`
   * with its query, `/v1/transactions/{id}`, `/v1/transactions/byMerchantTransactionId/{id}`),
   * the vault (`/v1/paymentmethods`, `/{id}`, `/{id}/redact`, `/{id}/recache`) and
   * `GET /api/test`. The key comes from `Authorization: Basic <API key>`; a bare path is
   * read against `https://api.flexpay.io`, and another host or scheme rejects with
   * `unknown_host`, as an aborted `init.signal` rejects with its reason. Declines and most invalid requests
   * are 200 answers, as FlexPay gives them; 400, 401, 404 and 405 answer
   * `{ code, message }`. `now` is the sandbox's clock (default `Date.now`), read once per
   * call; another key in `options` throws `invalid_argument` naming it.
   */
  createFetch(options?: { now?: () => Instant }): (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /**
   * The account's users (account-wide: one list for both environments), the owner first,
   * then in the order they were added. A fresh sandbox has one, its owner
   * `owner@example.com`, an Account Administrator; passwords are never listed.
   */
  users(): UserListing[];
  /**
   * A temporary password that keeps the rule (12 characters: capitals, small letters, digits
   * and symbols), drawn from the sandbox's seeded random stream, so one seed and one sequence
   * of calls give the same passwords. Give it to `addUser`.
   */
  suggestTemporaryPassword(): string;
  /**
   * Adds a user, enabled and not locked. Answered, not thrown: `{ ok: false, errors }` with
   * every problem the core finds at once, each at its field (an empty name, a username that is
   * not an email address or is another user's, every rule the temporary password breaks),
   * and nothing added; else the invitation, the only copy of the password (a salted hash is
   * kept). Misuse (a field left out or of another type, an access level that is none of
   * `AccessLevel`, a key `NewUser` does not have) throws `invalid_argument`.
   */
  addUser(user: NewUser, now: Instant): AddUserResult;
  /** Whether `password` is the user's temporary password (its salted hash is compared); false for an unknown user and for the owner, whose password the sandbox never had. */
  checkTemporaryPassword(username: string, password: string): boolean;
  /**
   * Changes a user's name and access level; a field left out keeps its value. Answered, not
   * thrown: an empty name, an unknown username (`user_not_found` at `username`) and taking
   * the Account Administrator level from the last enabled one (`last_administrator` at
   * `accessLevel`) come back in `errors`, and nothing changes.
   */
  updateUser(username: string, changes: UserChanges, now: Instant): UpdateUserResult;
  /**
   * Disables (`false`) or enables (`true`) a user. Throws `last_administrator` for the last
   * enabled Account Administrator (the account always keeps one) and `user_not_found`.
   */
  setUserEnabled(username: string, enabled: boolean, now: Instant): void;
  /** Clears a user's Locked flag (nothing to do when it is not locked); throws `user_not_found`. */
  unlockUser(username: string, now: Instant): void;
  /** Deletes a user. Throws `last_administrator` for the last enabled Account Administrator and `user_not_found`. */
  deleteUser(username: string, now: Instant): void;
  /** The platform configuration of one environment (each has its own; a fresh one changes nothing). */
  platformConfig(environment: "sandbox" | "production"): PlatformConfig;
  /**
   * Sets the platform configuration of one environment; a field left out (or null) keeps its
   * value, the other environment is untouched. Answered, not thrown: `{ ok: false, errors }`
   * with every problem at its path (`recoveryMinimums[0].initialSale`, `accountCurrencies[1]`)
   * and nothing changed; else the configuration now in force, which applies from the next
   * request on. Misuse (a value of another type, a routing that is none of `GatewayRouting`,
   * an unknown key) throws `invalid_argument`.
   */
  setPlatformConfig(environment: "sandbox" | "production", config: PlatformConfigInput): SetPlatformConfigResult;
  free(): void;
  [Symbol.dispose](): void;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const SANDBOX_TYPES: &'static str = SANDBOX_TYPES_TS;

/// The account's users and platform configuration: the shapes `Sandbox`'s account calls take
/// and answer (`src/account.rs`), held to the core's by the tests of `types/tests.rs`.
#[allow(dead_code)]
pub(crate) const ACCOUNT_TYPES_TS: &str = r#"
/** An access level of the account's users (the FlexPay portal's Access level), by its code. */
export type AccessLevel = "accountAdministrator" | "accountReader" | "gatewayAccountManager" | "gatewayAdministrator";

/** A right of the portal's roles table. */
export type AccessRight =
  | "viewTransactions" | "viewReports" | "addGateways" | "manageGateways" | "manageApiKeys" | "manageUsers"
  | "export" | "changeConfiguration";

/** An access level as `accessLevels()` lists it. */
export interface AccessLevelInfo {
  accessLevel: AccessLevel;
  /** The name the portal shows: "Account Administrator". */
  label: string;
  /** What the level may do, in a sentence. */
  summary: string;
  /** Its rights, in the order of `accessRights()`. */
  rights: AccessRight[];
}

/** A right as `accessRights()` lists it. */
export interface AccessRightInfo {
  right: AccessRight;
  /** The portal's words: "View transactions". */
  label: string;
}

/** Every access level, in the portal's order, with its rights. */
export function accessLevels(): AccessLevelInfo[];
/** Every right, in the order of the portal's roles table. */
export function accessRights(): AccessRightInfo[];

/** A user of the account as listed: never with a password. */
export interface UserListing {
  name: string;
  /** An email address, unique without regard to ASCII case; it never changes. */
  username: string;
  accessLevel: AccessLevel;
  /** false once disabled (`setUserEnabled`). */
  enabled: boolean;
  /** Set only by a restored snapshot (the sandbox has no sign-in); cleared by `unlockUser`. */
  locked: boolean;
  /** null for the account owner, there from the start. */
  createdAt: IsoTimestamp | null;
}

/** A user to add. */
export interface NewUser {
  /** 1 to 100 characters (spaces around it are dropped). */
  name: string;
  /** An email address (at most 254 characters), unique without regard to ASCII case. */
  username: string;
  accessLevel: AccessLevel;
  /**
   * 8 to 128 characters with a capital letter A–Z, a digit and an ASCII symbol (`! # $ % @`
   * ...): `suggestTemporaryPassword()` gives one.
   */
  temporaryPassword: string;
}

/** What `updateUser` changes; a field left out keeps its value. */
export interface UserChanges {
  name?: string;
  accessLevel?: AccessLevel;
}

/** What the email to a new user carries: the only copy of the temporary password. */
export interface Invitation {
  name: string;
  username: string;
  accessLevel: AccessLevel;
  temporaryPassword: string;
}

/** The field of the user given (`NewUser`, or `username` and `UserChanges`) a problem is at. */
export type UserField = "name" | "username" | "accessLevel" | "temporaryPassword";

/** The codes of the problems of a user to add or update. */
export type UserProblemCode =
  | "invalid_name" | "invalid_username" | "username_taken" | "user_not_found" | "last_administrator"
  | "password_too_short" | "password_too_long" | "password_needs_capital" | "password_needs_digit"
  | "password_needs_symbol" | "password_spaces_at_ends";

/** A problem of a user to add or update, worded with the portal's labels. */
export interface UserProblem extends ValidationProblem {
  path: UserField;
  code: UserProblemCode;
}

/** `addUser`'s answer: the invitation, or every problem (and no user added). */
export type AddUserResult =
  | { ok: true; invitation: Invitation; errors: []; warnings: [] }
  | { ok: false; errors: [UserProblem, ...UserProblem[]]; warnings: [] };

/** `updateUser`'s answer: the user as it now is, or every problem (and nothing changed). */
export type UpdateUserResult =
  | { ok: true; user: UserListing; errors: []; warnings: [] }
  | { ok: false; errors: [UserProblem, ...UserProblem[]]; warnings: [] };

/**
 * Where a retry sent without `gatewayToken` goes: `NoRouting` (FlexPay's default) by the
 * gateways' weights; `RoutingEnabled` to another eligible gateway than the previous
 * attempt's; `OriginalGatewayRouting` to the first attempt's while it takes the payment.
 * `setPlatformConfig` also takes each with a small first letter ("routingEnabled").
 */
export type GatewayRouting = "NoRouting" | "RoutingEnabled" | "OriginalGatewayRouting";

/**
 * The least amount of a payment in `currency` that FlexPay Retries recovers, in integer minor
 * units (0: no minimum): a soft decline below it keeps its code without `retryDate` or
 * `referenceData`, and its message says why. A rebill is a payment whose first attempt sent
 * `paymentPlan.billingCycle` 2 or more; any other is an initial sale.
 */
export interface RecoveryMinimum {
  /** ISO 4217: "USD". */
  currency: string;
  initialSale: number;
  rebill: number;
}

/** The platform configuration of one environment. */
export interface PlatformConfig {
  /** At most one per currency. */
  recoveryMinimums: RecoveryMinimum[];
  /** The currencies the dashboard and reports show (empty: all); processing is unchanged. */
  accountCurrencies: string[];
  gatewayRouting: GatewayRouting;
}

/** A recovery minimum to set: an amount left out is 0, no minimum. */
export interface RecoveryMinimumInput {
  currency: string;
  initialSale?: number;
  rebill?: number;
}

/** What `setPlatformConfig` sets: a field left out (or null) keeps its value. */
export interface PlatformConfigInput {
  recoveryMinimums?: RecoveryMinimumInput[] | null;
  accountCurrencies?: string[] | null;
  gatewayRouting?: GatewayRouting | "noRouting" | "routingEnabled" | "originalGatewayRouting" | null;
}

/**
 * The codes of a platform configuration's problems: a minimum below 0 or above 2^53 - 1
 * minor units, a currency listed twice, a code that is not an active ISO 4217 currency.
 */
export type PlatformProblemCode = "invalid_recovery_minimum" | "duplicate_currency" | "unknown_currency";

/** A problem of a platform configuration, at its path from the configuration's root. */
export interface PlatformProblem extends ValidationProblem {
  code: PlatformProblemCode;
}

/** `setPlatformConfig`'s answer: the configuration now in force, or every problem (and nothing changed). */
export type SetPlatformConfigResult =
  | { ok: true; config: PlatformConfig; errors: []; warnings: [] }
  | { ok: false; errors: [PlatformProblem, ...PlatformProblem[]]; warnings: [] };
"#;

#[wasm_bindgen(typescript_custom_section)]
const ACCOUNT_TYPES: &'static str = ACCOUNT_TYPES_TS;

#[cfg(test)]
mod tests;
