export { RetryChain, Sandbox, accessLevels, accessRights, version } from "./types/flexkit_sandbox.js";
export type {
  Instant, IsoTimestamp, ChainStatus, RetryChainOptions, Attempt, NotReady, NextAttempt,
  NextStep, Transition, AttemptResponseInput, RetryChainSnapshot, StoredRetryChain, GeneratedApiKey, RecoveryLimits,
  TransactionResponse, ScenarioReport, ScenarioRun, ScenarioOptions,
  JsonValue, OpenEnum, UnrecoverableReason, RetryLimit, StopReason, Decision, ResponseNote,
  RecordedRefund, ChainState, AttemptRecord, TransactionStatus, TransactionType, GatewayType,
  StorageState, VerificationResult, PaymentMethodRecord, ShippingAddress, ListTransactionsQuery,
  ListGateway, FullTransactionListItem, SimplifiedTransactionListItem, ScheduledRetryRun,
  VaultHolder, VaultCreditCard, VaultGatewayPaymentMethod, CreatePaymentMethodRequest,
  UpdatePaymentMethodRequest, RecachePaymentMethodRequest, PaymentMethodTransaction,
  ListPaymentMethodsQuery, AutoRetryStatus, AutoRetryListing, ShippingAddressInput, PaymentPlan, PreviousTransaction, References, PaymentModel,
  CardHolder, CreditCardPaymentMethod, GatewayPaymentMethod, ChargeFields, CardCharge, VaultedCharge,
  GatewayCharge, ChargeTransaction, ChargeRequest, AuthorizeRequest, CaptureTransaction, CaptureRequest,
  VoidTransaction, VoidRequest, RefundTransaction, RefundRequest, RefundedPaymentTransaction,
  RefundedPaymentRequest, PaymentMethodToVault, PaymentMethodUpdate, FlexPayRequests,
  AccessLevel, AccessRight, AccessLevelInfo, AccessRightInfo, UserListing, NewUser, UserChanges, Invitation,
  UserField, UserProblemCode, UserProblem, AddUserResult, UpdateUserResult, GatewayRouting, RecoveryMinimum,
  PlatformConfig, RecoveryMinimumInput, PlatformConfigInput, PlatformProblemCode, PlatformProblem,
  SetPlatformConfigResult, Gateway, GatewayStatus, AcceptedCards, SavedGateway,
} from "./types/flexkit_sandbox.js";
import type { FlexkitError } from "./index.js";
export type { InitInput, WasmBytes, WasmModule, FlexkitError } from "./index.js";

/**
 * A sandbox call refused as FlexPay refuses it with an HTTP error (an unreadable body is
 * `malformed_request`, 400; `no_editable_field`, 400; `payment_method_not_found`, 404; ...):
 * `status` is that answer's status. Misuse (a wrong argument, a freed object) carries none.
 */
export interface SandboxApiError extends FlexkitError {
  status: number;
}

/** Loads and instantiates the sandbox's WebAssembly module (browsers); idempotent. */
export function init(input?: import("./index.js").InitInput | Promise<import("./index.js").InitInput>): Promise<void>;
/** Instantiates the module synchronously from its bytes or a compiled module. */
export function initSync(module?: import("./index.js").WasmBytes | import("./index.js").WasmModule): void;
