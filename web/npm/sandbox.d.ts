export { RetryChain, Sandbox, version } from "./types/flexkit_sandbox.js";
export type {
  Instant, IsoTimestamp, ChainStatus, RetryChainOptions, Attempt, NotReady, NextAttempt,
  NextStep, Transition, AttemptResponseInput, RetryChainSnapshot, GeneratedApiKey, RecoveryLimits,
  TransactionResponse, ScenarioReport, ScenarioRun,
  JsonValue, OpenEnum, UnrecoverableReason, RetryLimit, StopReason, Decision, ResponseNote,
  RecordedRefund, ChainState, AttemptRecord, TransactionStatus, TransactionType, GatewayType,
  StorageState, VerificationResult, PaymentMethodRecord, ShippingAddress, ListTransactionsQuery,
  ListGateway, FullTransactionListItem, SimplifiedTransactionListItem, ScheduledRetryRun,
  VaultHolder, VaultCreditCard, VaultGatewayPaymentMethod, CreatePaymentMethodRequest,
  UpdatePaymentMethodRequest, RecachePaymentMethodRequest, PaymentMethodTransaction,
  ListPaymentMethodsQuery,
} from "./types/flexkit_sandbox.js";
export type { InitInput, WasmBytes, WasmModule } from "./index.js";

/** Loads and instantiates the sandbox's WebAssembly module (browsers); idempotent. */
export function init(input?: import("./index.js").InitInput | Promise<import("./index.js").InitInput>): Promise<void>;
/** Instantiates the module synchronously from its bytes or a compiled module. */
export function initSync(module?: import("./index.js").WasmBytes | import("./index.js").WasmModule): void;
