//! Validation results as data: every problem with a JSON path, a stable machine code and a
//! message that says how to fix it, all problems at once. Shared by the FlexPay and Flexiti
//! request validators, the sandbox, the npm package and the portal.

pub mod json;
pub mod tagged;

use core::fmt;

use serde::Serialize;

/// Stable machine codes. They are part of the public API (the npm package's TypeScript types
/// and users' error handling match on them): add codes, never rename or reuse one.
pub mod code {
    /// A required field is missing, null or empty.
    pub const REQUIRED: &str = "required";
    /// A string is longer than the documented (or, where undocumented, flexkit's) limit.
    pub const TOO_LONG: &str = "too_long";
    /// A string is shorter than allowed.
    pub const TOO_SHORT: &str = "too_short";
    /// A value does not have the documented format (digits only, `MM`, `YYYY`, ...).
    pub const INVALID_FORMAT: &str = "invalid_format";
    /// A value is not one of the allowed values.
    pub const INVALID_VALUE: &str = "invalid_value";
    /// A JSON value has the wrong type (a number where a string is expected, ...).
    pub const WRONG_TYPE: &str = "wrong_type";
    /// A field the request type does not have.
    pub const UNKNOWN_FIELD: &str = "unknown_field";
    /// Two fields that must not be sent together, or conflicting values.
    pub const CONFLICT: &str = "conflict";
    /// The text is not JSON.
    pub const MALFORMED_JSON: &str = "malformed_json";
    /// The input exceeds the size cap.
    pub const INPUT_TOO_LARGE: &str = "input_too_large";
    /// The input nests deeper than the cap.
    pub const TOO_DEEPLY_NESTED: &str = "too_deeply_nested";
    /// A card number fails the Luhn checksum.
    pub const INVALID_LUHN: &str = "invalid_luhn";
    /// A card number's length is not one its brand issues, or no brand matches it.
    pub const INVALID_CARD_NUMBER: &str = "invalid_card_number";
    /// A CVV of the wrong length for the card brand.
    pub const INVALID_CVV: &str = "invalid_cvv";
    /// A card expiry date in the past.
    pub const EXPIRED: &str = "expired";
    /// A currency code that is not an active ISO 4217 code.
    pub const UNKNOWN_CURRENCY: &str = "unknown_currency";
    /// An amount with more decimals than the currency's minor unit.
    pub const NOT_MINOR_UNITS: &str = "not_minor_units";
    /// An amount below zero.
    pub const NEGATIVE_AMOUNT: &str = "negative_amount";
    /// An amount of zero where a positive one is required.
    pub const ZERO_AMOUNT: &str = "zero_amount";
    /// An amount outside the representable or allowed range.
    pub const AMOUNT_OUT_OF_RANGE: &str = "amount_out_of_range";
    /// A date-time that is not ISO 8601.
    pub const INVALID_TIMESTAMP: &str = "invalid_timestamp";
    /// A date-time with an offset other than UTC.
    pub const NOT_UTC: &str = "not_utc";
    /// `retryCount` above 0 with no `referenceData` (the chain's token was lost).
    pub const RETRY_COUNT_WITHOUT_REFERENCE_DATA: &str = "retry_count_without_reference_data";
    /// `referenceData` sent on an attempt that is not a retry (`retryCount` 0).
    pub const REFERENCE_DATA_WITHOUT_RETRY: &str = "reference_data_without_retry";
    /// A negative `retryCount`.
    pub const NEGATIVE_RETRY_COUNT: &str = "negative_retry_count";
    /// A name that is deprecated or disputed; the request works but should change.
    pub const DEPRECATED_FIELD: &str = "deprecated_field";
    /// Flexiti: the account is not activated or not in good standing (status other than `N`).
    pub const ACCOUNT_NOT_IN_GOOD_STANDING: &str = "account_not_in_good_standing";
    /// Flexiti: the amount is above the account's available credit.
    pub const INSUFFICIENT_CREDIT: &str = "insufficient_credit";
    /// Flexiti: the amount is above what remains of the authorization or capture.
    pub const EXCEEDS_REMAINING: &str = "exceeds_remaining";
    /// Flexiti: the authorization is closed.
    pub const AUTHORIZATION_CLOSED: &str = "authorization_closed";
    /// Flexiti: the capture is older than the 100-day return window.
    pub const RETURN_WINDOW_EXPIRED: &str = "return_window_expired";
    /// Flexiti: returns apply only to captures of promotional purchases.
    pub const NOT_PROMOTIONAL_PURCHASE: &str = "not_promotional_purchase";
    /// Flexiti: payments to the account would exceed $10,000 in 24 hours.
    pub const DAILY_PAYMENT_LIMIT: &str = "daily_payment_limit";
    /// A date that must lie before today (UTC) does not, such as a date of birth.
    pub const NOT_IN_PAST: &str = "not_in_past";
    /// A date range whose start is after its end.
    pub const RANGE_REVERSED: &str = "range_reversed";
    /// A date range longer than the endpoint allows.
    pub const RANGE_TOO_LONG: &str = "range_too_long";
    /// The body is not wrapped in the object its call requires (`{"transaction": {...}}`).
    pub const MISSING_ENVELOPE: &str = "missing_envelope";
    /// The same key twice in one JSON object; parsers disagree on which value wins.
    pub const DUPLICATE_FIELD: &str = "duplicate_field";
    /// Text (a value or a key) with a lone UTF-16 surrogate, which has no UTF-8 form: such a
    /// request cannot be sent as JSON (the npm package's validators; JSON text holding one as
    /// a `\u` escape is `malformed_json` for the core's own parser).
    pub const LONE_SURROGATE: &str = "lone_surrogate";
    /// A `merchantTransactionId` an earlier request of the same batch already sent (FlexPay
    /// refuses a reused one with 50129).
    pub const DUPLICATE_MERCHANT_TRANSACTION_ID: &str = "duplicate_merchant_transaction_id";
    /// A warning: a card number other than FlexPay's sandbox test cards, validated for the
    /// Sandbox environment, where FlexPay declines every other number with 30016.
    pub const NOT_A_TEST_CARD: &str = "not_a_test_card";
}

/// Whether a problem makes the request invalid or only deserves attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong with a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// JSON path of the field, from the request body's root:
    /// `transaction.paymentMethod.expiryMonth`, `items[2].sku`; empty for the whole input.
    pub path: String,
    /// Stable machine code, one of [`code`].
    pub code: &'static str,
    /// What is wrong and how to fix it, for people.
    pub message: String,
    pub severity: Severity,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(input)"
        } else {
            &self.path
        };
        write!(f, "{path}: {} ({})", self.message, self.code)
    }
}

/// The outcome of validating one request: every problem found, errors and warnings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Validation {
    problems: Vec<Problem>,
}

impl Validation {
    pub const fn new() -> Self {
        Validation {
            problems: Vec::new(),
        }
    }

    /// No errors (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.problems.iter().all(|p| p.severity != Severity::Error)
    }

    /// Records an error.
    pub fn error(
        &mut self,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.push(path, code, message, Severity::Error);
    }

    /// Records a warning.
    pub fn warn(
        &mut self,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.push(path, code, message, Severity::Warning);
    }

    fn push(
        &mut self,
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
        severity: Severity,
    ) {
        self.problems.push(Problem {
            path: path.into(),
            code,
            message: message.into(),
            severity,
        });
    }

    /// Appends another validation's problems.
    pub fn extend(&mut self, other: Validation) {
        self.problems.extend(other.problems);
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    /// The first problem at exactly this path.
    pub fn at(&self, path: &str) -> Option<&Problem> {
        self.problems.iter().find(|p| p.path == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_do_not_make_a_request_invalid() {
        let mut v = Validation::new();
        assert!(v.is_ok());
        v.warn(
            "transaction.assignedGatewayToken",
            code::DEPRECATED_FIELD,
            "send gatewayToken",
        );
        assert!(v.is_ok());
        v.error("transaction.amount", code::REQUIRED, "add the amount");
        assert!(!v.is_ok());
        assert_eq!(v.errors().count(), 1);
        assert_eq!(v.warnings().count(), 1);
        assert_eq!(v.at("transaction.amount").map(|p| p.code), Some("required"));
        assert_eq!(
            v.problems()[1].to_string(),
            "transaction.amount: add the amount (required)"
        );
    }

    #[test]
    fn serializes_for_javascript() {
        let mut v = Validation::new();
        v.error("", code::MALFORMED_JSON, "not JSON");
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            serde_json::json!({"problems": [
                {"path": "", "code": "malformed_json", "message": "not JSON", "severity": "error"}
            ]})
        );
    }
}
