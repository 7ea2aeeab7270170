//! TypeScript declarations of the `flexkit/sandbox` entry: the classes users see (the JS layer
//! in `web/npm/lib/sandbox-api.js` over `RawRetryChain` and `RawSandbox`) and the shapes the
//! core serializes. Kept next to the bindings so the two change together; the npm tests
//! compare them with the runtime values.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SANDBOX_TYPES: &'static str = r#"
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
  /** Derive a fresh merchantTransactionId per attempt from this base. */
  merchantTransactionIdBase?: string;
  /** Defaults: 15 retries, 30 days. */
  policy?: { maxRetries?: number; maxAgeDays?: number };
  /** When the first FlexPay attempt may be sent (default: 24 h after the decline). */
  firstAttemptDueAt?: string | number;
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
  | { action: "notifyFlexPayOfStop"; transactionId: string }
  | { action: "nothing" };

export interface Transition {
  from: ChainStatus;
  to: ChainStatus;
  decision: { [key: string]: unknown } | null;
  countedAsAttempt: boolean;
  reset: boolean;
  next: NextStep;
  notes: Array<{ note: string; retryDate?: IsoTimestamp }>;
}

/** FlexPay's answer to an attempt: a transaction response (or its envelope) will do. */
export interface AttemptResponseInput {
  responseCode: string | number;
  retryDate?: string | null;
  referenceData?: string | null;
  retryCount?: number | null;
  transactionId?: string | null;
  merchantTransactionId?: string | null;
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
  state: { status: ChainStatus; [key: string]: unknown };
  history: Array<{ retryCount: number; responseCode: string; category: string; [key: string]: unknown }>;
}

/**
 * One declined payment's recovery through FlexPay. Create it with a static method; store it
 * with `toJson()` (a JSON string with `schemaVersion`) and restore it with `fromJson()`.
 * Methods throw an `Error` with a `code` on misuse (e.g. `freed_object` after `free()`).
 */
export declare class RetryChain {
  private constructor();
  static afterGatewayDecline(merchantReference: string, declinedAt: Instant, options?: RetryChainOptions): RetryChain;
  static initialAttemptThroughFlexPay(merchantReference: string, createdAt: Instant, options?: RetryChainOptions): RetryChain;
  static fromJson(json: string): RetryChain;
  toJson(): string;
  nextAttempt(now: Instant): NextAttempt;
  recordResponse(response: AttemptResponseInput | { transaction: AttemptResponseInput }, now: Instant): Transition;
  abandonAttempt(): void;
  stop(reason: "subscriptionCancelled" | "paidElsewhere" | "merchantDecision", now: Instant): Transition;
  recordRefund(refundTransactionId: string, amount: number | null, now: Instant): Transition;
  snapshot(): RetryChainSnapshot;
  readonly status: ChainStatus;
  readonly retryCount: number;
  readonly referenceData: string | null;
  readonly dueAt: IsoTimestamp | null;
  free(): void;
  [Symbol.dispose](): void;
}

export interface GeneratedApiKey {
  name: string;
  company: string;
  mode: "Sandbox" | "Production";
  /** The only copy of the key. */
  key: string;
}

/** A FlexPay transaction record (the fields every response carries; more may follow). */
export interface TransactionResponse {
  transactionId: string;
  transactionStatus: number;
  responseCode: string;
  message: string | null;
  transactionType: string | null;
  merchantTransactionId: string | null;
  orderId: string | null;
  customerId: string | null;
  currencyCode: string | null;
  amount: number | null;
  retryDate: string | null;
  retryCount: number | null;
  referenceData: string | null;
  dateFirstAttempt: string | null;
  gatewayToken: string | null;
  [field: string]: unknown;
}

export interface ScenarioReport {
  step: number;
  title: string;
  passed: boolean;
  checks: Array<{ description: string; passed: boolean; detail: string }>;
  transactions: Array<{ scenario: string; description: string; transactionId: string }>;
}

export interface ScenarioRun {
  reports: ScenarioReport[];
  passed: boolean;
  /** The Integration Guide's Appendix A: the transaction ids to hand to FlexPay. */
  appendixA: { csv: string; json: string };
}

/**
 * An in-process, deterministic FlexPay v1 sandbox for test suites. Errors a real server
 * answers with an HTTP status throw an `Error` with `code` and `status`.
 */
export declare class Sandbox {
  /** One seed and one sequence of calls always give the same sandbox. */
  constructor(seed?: number);
  static fromSnapshot(snapshot: string): Sandbox;
  snapshot(): string;
  createCompany(name: string, code: string, now: Instant): { name: string; code: string };
  generateApiKey(name: string, options?: { company?: string; mode?: "sandbox" | "production"; now?: Instant }): GeneratedApiKey;
  charge(apiKey: string, request: object, now: Instant): { transaction: TransactionResponse };
  authorize(apiKey: string, request: object, now: Instant): { transaction: TransactionResponse };
  capture(apiKey: string, transactionId: string, request: object, now: Instant): { transaction: TransactionResponse };
  void(apiKey: string, transactionId: string, request: object, now: Instant): { transaction: TransactionResponse };
  refund(apiKey: string, transactionId: string, request: object, now: Instant): { transaction: TransactionResponse };
  refundedPayment(apiKey: string, transactionId: string, request: object, now: Instant): { transaction: TransactionResponse };
  getTransaction(apiKey: string, transactionId: string): { transaction: TransactionResponse };
  getTransactionByMerchantId(apiKey: string, merchantTransactionId: string): { transaction: TransactionResponse };
  listTransactions(apiKey: string, query?: { order?: "asc" | "desc"; count?: number; sinceTransactionId?: string; startDate?: string }): unknown;
  /** Fires every scheduled retry due at or before `now`. */
  runDueRetries(now: Instant): Array<{ chain: unknown; due: IsoTimestamp; response: TransactionResponse }>;
  nextScheduledRetry(): IsoTimestamp | null;
  readonly transactionCount: number;
  /** Runs one of the Integration Guide's seven scenarios (1–7). */
  runScenario(step: number, apiKey: string, now: Instant): ScenarioRun;
  runAllScenarios(apiKey: string, now: Instant): ScenarioRun;
  free(): void;
  [Symbol.dispose](): void;
}
"#;
