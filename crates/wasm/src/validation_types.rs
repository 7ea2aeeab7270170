//! TypeScript declarations of request validation, always emitted so the package's types stay
//! stable whether or not the `validation` feature is built in.

use wasm_bindgen::prelude::*;

/// The declarations, kept in a constant of their own so tests can read them.
// Read by the custom section below, a use the dead-code lint does not see, and by tests.
#[allow(dead_code)]
pub(crate) const VALIDATION_TYPES_TS: &str = r#"
/** One problem with a request. */
export interface ValidationProblem {
  /** JSON path from the body's root: "transaction.paymentMethod.expiryMonth"; "" for the whole input. */
  path: string;
  /** Stable machine code: "required", "invalid_luhn", "expired", "unknown_field", ... */
  code: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/**
 * The outcome of validating one request: data, never an exception. `ok` is true when there
 * are no errors (warnings allowed: they never make a request invalid). `ok` and `errors`
 * agree, so checking `ok` narrows the list: once `!result.ok`, `errors` holds at least one
 * problem and `result.errors[0]` is a `ValidationProblem` (no `!` or `?.` needed, also under
 * `noUncheckedIndexedAccess`); when `ok` is true, `errors` is empty.
 */
export type ValidationResult =
  | { ok: true; errors: []; warnings: ValidationProblem[] }
  | { ok: false; errors: [ValidationProblem, ...ValidationProblem[]]; warnings: ValidationProblem[] };

/** The request types flexkit validates; `FlexPayRequests[kind]` is the body of each. */
export type RequestKind =
  | "charge" | "authorize" | "capture" | "void" | "refund" | "refundedPayment"
  | "createPaymentMethod" | "listQuery" | "gateway" | "company" | "apiKeyRequest"
  | "autoRetryConfig" | "updatePaymentMethod" | "recachePaymentMethod";

/**
 * A key other than these two is misuse: it throws `invalid_argument` naming it, with the one
 * it likely stands for (`enviroment`: did you mean `environment`?), rather than being ignored.
 */
export interface ValidationOptions {
  /** The current time, for card expiry and dateFirstAttempt; default: now. */
  now?: Date | string | number;
  /** "sandbox" accepts the FlexPay test cards' past expiry dates; default "production". */
  environment?: "sandbox" | "production";
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const VALIDATION_TYPES: &'static str = VALIDATION_TYPES_TS;
