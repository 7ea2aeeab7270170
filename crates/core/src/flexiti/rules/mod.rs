//! Business rules that need state: the account's standing and credit, what remains of an
//! authorization or capture, when a capture was made, and what was paid in the last 24 hours.
//! The caller passes those facts in (and `now`); the sandbox uses the same functions, so a
//! request judged here is judged the same way there.
//!
//! Each rule breach is a [`Violation`]: a validation problem (path, stable code, message)
//! together with the Flexiti error code the API answers for it.

use serde::{Deserialize, Serialize};

use super::amount::cad;
use super::error::{ApiError, ErrorCode};
use super::purchase::{
    AuthorizationBody, CaptureBody, PurchaseType, RefundBody, ReleaseBody, ReturnBody,
};
use crate::money::Money;
use crate::time::UtcTimestamp;
use crate::validation::{code, Validation};

/// Returns are accepted up to this many days (of 24 hours) after the capture, inclusive.
pub const RETURN_WINDOW_DAYS: i64 = 100;
/// Payments to one account in any 24 hours may total at most this.
pub const DAILY_PAYMENT_LIMIT: Money = cad(1_000_000);
/// The window of the payment cap. Flexiti names the error `limit_payment_amount_24`, so
/// flexkit reads "per day" as a rolling 24 hours rather than a calendar day.
pub const PAYMENT_WINDOW_SECONDS: i64 = 24 * 60 * 60;

/// The regular-purchase PIN bypass applies to amounts up to this.
pub const BYPASS_MAX_AMOUNT: Money = cad(20_000);
/// ... and while the account made at most this many regular purchases in the past 24 hours
/// (the purchase about to be made not among them).
pub const BYPASS_MAX_REGULAR_PURCHASES: u32 = 3;
/// Wrong security answers allowed in [`SECURITY_LOCKOUT_SECONDS`]; the next try is refused
/// with `tries_exceed`.
pub const SECURITY_MAX_WRONG_ANSWERS: usize = 3;
pub const SECURITY_LOCKOUT_SECONDS: i64 = 48 * 60 * 60;

/// `account_status` (reference §8). Only `N` allows purchases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccountStatus {
    /// Normal: the only status that allows purchases.
    #[serde(rename = "N")]
    Normal,
    /// Authorizations prohibited for non-payment (lifted automatically once paid).
    #[serde(rename = "A")]
    AuthProhibited,
    /// Frozen; unfrozen manually by Flexiti.
    #[serde(rename = "F")]
    Frozen,
    /// Charged off after six months or more unpaid.
    #[serde(rename = "Z")]
    ChargedOff,
    /// Closed for good.
    #[serde(rename = "C")]
    Closed,
}

impl AccountStatus {
    pub const fn letter(self) -> &'static str {
        match self {
            AccountStatus::Normal => "N",
            AccountStatus::AuthProhibited => "A",
            AccountStatus::Frozen => "F",
            AccountStatus::ChargedOff => "Z",
            AccountStatus::Closed => "C",
        }
    }

    pub const fn allows_purchases(self) -> bool {
        matches!(self, AccountStatus::Normal)
    }
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub path: &'static str,
    /// A [`code`] constant.
    pub code: &'static str,
    /// What Flexiti answers.
    pub error: ErrorCode,
    pub message: String,
}

impl Violation {
    fn new(path: &'static str, code: &'static str, error: ErrorCode, message: String) -> Self {
        Violation {
            path,
            code,
            error,
            message,
        }
    }

    /// The answer Flexiti gives for it.
    pub fn to_api_error(&self) -> ApiError {
        ApiError::with_message(self.error.clone(), self.message.clone())
    }
}

/// All violations as validation problems.
pub fn to_validation(violations: &[Violation]) -> Validation {
    let mut validation = Validation::new();
    for violation in violations {
        validation.error(violation.path, violation.code, violation.message.clone());
    }
    validation
}

/// What is known about the account a purchase is made on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountFacts {
    pub status: AccountStatus,
    /// Whether the customer activated the account.
    pub active: bool,
    /// Open to buy: credit limit minus balance minus open authorizations. Negative when over
    /// the limit.
    pub available_credit: Money,
}

pub(crate) fn exceeds(amount: Money, limit: Money) -> bool {
    amount.minor_units() > limit.minor_units()
}

/// A purchase needs an activated account in good standing and enough available credit.
/// Promotional plans in flexkit's model charge no interest during the term, so "amount plus
/// interest" is the amount.
pub fn check_authorization(body: &AuthorizationBody, account: &AccountFacts) -> Vec<Violation> {
    let mut violations = Vec::new();
    if !account.active {
        violations.push(Violation::new(
            "account_number",
            code::ACCOUNT_NOT_IN_GOOD_STANDING,
            ErrorCode::UserNotActive,
            "the account is not activated; send the customer to my.flexiti.com to activate it, \
             then retry"
                .into(),
        ));
    }
    if !account.status.allows_purchases() {
        violations.push(Violation::new(
            "account_number",
            code::ACCOUNT_NOT_IN_GOOD_STANDING,
            ErrorCode::UserNotAbleToPurchase,
            format!(
                "the account status is {} ({:?}); purchases need status N, so offer another \
                 tender",
                account.status.letter(),
                account.status
            ),
        ));
    }
    if exceeds(body.amount, account.available_credit) {
        violations.push(Violation::new(
            "amount",
            code::INSUFFICIENT_CREDIT,
            ErrorCode::CreditExceeded,
            format!(
                "the amount {} is above the available credit {}; lower it or split the tender",
                body.amount.format(),
                account.available_credit.format()
            ),
        ));
    }
    violations
}

/// What is known about an authorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthorizationFacts {
    /// `opened` (not fully captured, released or ended).
    pub open: bool,
    /// Authorized amount not yet captured or released.
    pub remaining: Money,
}

fn check_open_remaining(
    amount: Option<Money>,
    authorization: &AuthorizationFacts,
    verb: &str,
) -> Vec<Violation> {
    if !authorization.open || authorization.remaining.is_zero() {
        return vec![Violation::new(
            "",
            code::AUTHORIZATION_CLOSED,
            ErrorCode::AuthorizationEnded,
            format!("the authorization is closed; nothing remains to {verb}"),
        )];
    }
    match amount {
        Some(amount) if exceeds(amount, authorization.remaining) => vec![Violation::new(
            "amount",
            code::EXCEEDS_REMAINING,
            ErrorCode::AuthAmountExceeded,
            format!(
                "{} is more than the {} that remains authorized; {verb} at most that",
                amount.format(),
                authorization.remaining.format()
            ),
        )],
        _ => Vec::new(),
    }
}

pub fn check_capture(body: &CaptureBody, authorization: &AuthorizationFacts) -> Vec<Violation> {
    check_open_remaining(Some(body.amount), authorization, "capture")
}

pub fn check_release(body: &ReleaseBody, authorization: &AuthorizationFacts) -> Vec<Violation> {
    check_open_remaining(body.amount, authorization, "release")
}

/// What is known about a capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaptureFacts {
    pub purchase_type: PurchaseType,
    pub captured_at: UtcTimestamp,
    /// Captured amount not yet returned.
    pub remaining: Money,
}

/// Whether `now` is still inside the return window of a capture made at `captured_at`.
pub fn within_return_window(captured_at: UtcTimestamp, now: UtcTimestamp) -> bool {
    now.seconds_since(captured_at) <= RETURN_WINDOW_DAYS * 24 * 60 * 60
}

/// Returns: promotional captures only, within 100 days, never more than remains, and a full
/// return returns exactly what remains.
pub fn check_return(
    body: &ReturnBody,
    capture: &CaptureFacts,
    now: UtcTimestamp,
) -> Vec<Violation> {
    let mut violations = Vec::new();
    if capture.purchase_type != PurchaseType::PromotionalPurchase {
        violations.push(Violation::new(
            "",
            code::NOT_PROMOTIONAL_PURCHASE,
            ErrorCode::WrongTransactionType,
            "returns apply only to captures of promotional purchases; refund a regular \
             purchase to the account instead"
                .into(),
        ));
    }
    if !within_return_window(capture.captured_at, now) {
        violations.push(Violation::new(
            "",
            code::RETURN_WINDOW_EXPIRED,
            ErrorCode::ReturnDateExceeded,
            format!(
                "the capture of {} is more than {RETURN_WINDOW_DAYS} days old; refund to the \
                 account instead",
                capture.captured_at
            ),
        ));
    }
    let remaining = capture.remaining;
    if remaining.is_zero() {
        violations.push(Violation::new(
            "amount",
            code::EXCEEDS_REMAINING,
            ErrorCode::CaptureAmountExceeded,
            "the capture has been returned in full; nothing remains to return".into(),
        ));
    } else if let Some(amount) = body.amount {
        if exceeds(amount, remaining) {
            violations.push(Violation::new(
                "amount",
                code::EXCEEDS_REMAINING,
                ErrorCode::CaptureAmountExceeded,
                format!(
                    "{} is more than the {} that remains of the capture; return at most that",
                    amount.format(),
                    remaining.format()
                ),
            ));
        } else if body.full_return && amount != remaining {
            violations.push(Violation::new(
                "amount",
                code::CONFLICT,
                ErrorCode::WrongInputs,
                format!(
                    "a full return returns the {} that remains; send that amount, leave the \
                     amount out, or set full_return to false",
                    remaining.format()
                ),
            ));
        }
    }
    violations
}

/// The $10,000 cap on payments to an account in 24 hours; `paid_in_window` is the total of
/// payments in the 24 hours before `now`.
pub fn check_payment(amount: Money, paid_in_window: Money) -> Vec<Violation> {
    let total = paid_in_window
        .checked_add(amount)
        .unwrap_or(Money::new(i64::MAX, amount.currency()));
    if exceeds(total, DAILY_PAYMENT_LIMIT) {
        let left = DAILY_PAYMENT_LIMIT
            .checked_sub(paid_in_window)
            .unwrap_or(Money::zero(amount.currency()));
        return vec![Violation::new(
            "amount",
            code::DAILY_PAYMENT_LIMIT,
            ErrorCode::LimitPaymentAmount24,
            format!(
                "payments to this account may total at most {} in 24 hours and {} has been \
                 paid; accept at most {} now",
                DAILY_PAYMENT_LIMIT.format(),
                paid_in_window.format(),
                if left.is_negative() {
                    "0.00".to_owned()
                } else {
                    left.format()
                }
            ),
        )];
    }
    Vec::new()
}

#[cfg(test)]
mod tests;

/// Whether `verify` with `regular_purchase_bypass` is allowed (what `calculate-interest`
/// answers in `regular_purchase.verify`): an amount of at most $200, and at most three
/// regular purchases on the account in the past 24 hours. Flexiti documents it as "≤ 3
/// regular purchases on the account in the past 24 h and amount ≤ $200" (reference §6.9,
/// current page): purchases already on the account, which the one about to be made is not
/// yet, so the bypass serves a fourth regular purchase in 24 hours and not a fifth — the
/// error index's `regular_purchase_bypass_is_not_allowed` reads "more than 3 regular
/// purchases in 24 h" the same way.
pub fn regular_purchase_bypass_allowed(amount: Money, regular_purchases_in_24h: u32) -> bool {
    !exceeds(amount, BYPASS_MAX_AMOUNT) && regular_purchases_in_24h <= BYPASS_MAX_REGULAR_PURCHASES
}

/// What is known when money goes back to an account by `refund`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefundFacts {
    /// What the customer owes; a refund may not take it below zero.
    pub balance: Money,
    /// When the refund names a capture: what of it has been neither returned nor refunded.
    pub capture_remaining: Option<Money>,
}

/// Refunds: never more than the account owes (`refunds_limit_exceeded_amount`, "exceeds the
/// account balance limit"), and never more than remains of the capture it names.
pub fn check_refund(body: &RefundBody, facts: &RefundFacts) -> Vec<Violation> {
    let mut violations = Vec::new();
    if exceeds(body.amount, facts.balance) {
        let owed = if facts.balance.is_negative() {
            cad(0)
        } else {
            facts.balance
        };
        violations.push(Violation::new(
            "amount",
            code::EXCEEDS_REMAINING,
            ErrorCode::RefundsLimitExceededAmount,
            format!(
                "{} is more than the {} the account owes; refund at most that",
                body.amount.format(),
                owed.format()
            ),
        ));
    }
    if let Some(remaining) = facts.capture_remaining {
        if exceeds(body.amount, remaining) {
            // The capture is named only when the request names it.
            let capture = body
                .capture_id
                .map_or_else(|| "the capture".to_owned(), |id| format!("capture {id}"));
            violations.push(Violation::new(
                "amount",
                code::EXCEEDS_REMAINING,
                ErrorCode::RefundsLimitExceededAmount,
                format!(
                    "{} is more than the {} that remains of {capture} after returns and \
                     refunds; refund at most that",
                    body.amount.format(),
                    remaining.format(),
                ),
            ));
        }
    }
    violations
}
