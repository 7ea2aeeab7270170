//! The pure decision: what one FlexPay answer means for the payment being recovered.

use serde::{Deserialize, Serialize};

use super::error::ChainError;
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::time::UtcTimestamp;

const SECONDS_PER_DAY: i64 = 86_400;

/// Limits on one recovery, whichever is reached first ends it as
/// [`Decision::Exhausted`].
///
/// The defaults are the Enterprise-with-Scheduler guide's: at most 15 retries or 30 days.
/// Those are also FlexPay's own limits, so a chain takes no more retries, nor 0
/// ([`RetryPolicy::check`]). Days may go up to [`RetryPolicy::MAX_AGE_DAYS_LIMIT`]: with
/// Engaged Recovery, FlexPay hands a payment its invisible recovery gave up on to a customer
/// campaign and answers with a `retryDate` about 40 days out (reference §11, §13.5), which
/// the CRM retries on. FlexPay does not document the code that carries it. On a soft
/// decline — the sandbox's customer-recovery trigger answers 20000 — a chain follows the
/// date when its policy's days reach that far; on a hard decline the chain ends and notes the
/// date as ignored (rule 4 of [`decide`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryPolicy {
    /// Highest `retryCount` the chain will send. The initial attempt (`retryCount` 0) is not a
    /// retry and does not count against it.
    pub max_retries: u32,
    /// Days after `dateFirstAttempt` during which a retry may be sent. A retry due exactly at
    /// the limit is still allowed; one due a nanosecond later is not.
    pub max_age_days: u32,
}

impl RetryPolicy {
    /// FlexPay's own limit on the retries of one payment.
    pub const FLEXPAY_MAX_RETRIES: u32 = 15;
    /// FlexPay's own limit on the days a payment is retried after its first attempt.
    pub const FLEXPAY_MAX_AGE_DAYS: u32 = 30;
    /// The most days a policy takes: room for Engaged Recovery's hand-off retry date (about
    /// 40 days out, and configurable), never an open-ended recovery.
    pub const MAX_AGE_DAYS_LIMIT: u32 = 90;

    /// 15 retries or 30 days (Enterprise with Scheduler).
    pub const ENTERPRISE_WITH_SCHEDULER: RetryPolicy = RetryPolicy {
        max_retries: RetryPolicy::FLEXPAY_MAX_RETRIES,
        max_age_days: RetryPolicy::FLEXPAY_MAX_AGE_DAYS,
    };

    /// Refuses limits outside FlexPay's own: 1 to 15 retries (above, a chain would schedule
    /// retries FlexPay answers with 30100), 1 to 90 days (see [`RetryPolicy`]); at 0 it could
    /// never send one. A chain never invents a retry date, so days past FlexPay's 30 only
    /// let it follow a `retryDate` FlexPay gave.
    pub fn check(self) -> Result<(), ChainError> {
        let checks = [
            (
                "maxRetries",
                self.max_retries,
                RetryPolicy::FLEXPAY_MAX_RETRIES,
            ),
            (
                "maxAgeDays",
                self.max_age_days,
                RetryPolicy::MAX_AGE_DAYS_LIMIT,
            ),
        ];
        for (field, value, max) in checks {
            if !(1..=max).contains(&value) {
                return Err(ChainError::PolicyOutOfRange {
                    field,
                    value: value.to_string(),
                    max,
                });
            }
        }
        Ok(())
    }

    /// The last instant a retry may be sent for a payment first attempted at
    /// `date_first_attempt`, or `None` when that lies past year 9999 (no limit in practice).
    pub const fn deadline(self, date_first_attempt: UtcTimestamp) -> Option<UtcTimestamp> {
        // u32 days in seconds cannot overflow i64.
        // A stored policy from before `check` may allow more: the limit still holds.
        let days = if self.max_age_days < RetryPolicy::MAX_AGE_DAYS_LIMIT {
            self.max_age_days
        } else {
            RetryPolicy::MAX_AGE_DAYS_LIMIT
        };
        date_first_attempt.checked_add_seconds(days as i64 * SECONDS_PER_DAY)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::ENTERPRISE_WITH_SCHEDULER
    }
}

/// Why a chain ended without recovering the payment and without a limit being reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UnrecoverableReason {
    /// A 2xxxx without `retryDate`: FlexPay judged the payment unrecoverable.
    SoftDeclineWithoutRetryDate,
    /// A 3xxxx: the cardholder or issuer must act first.
    HardDecline,
    /// A 3xxxx from the no-retry family ([`ResponseCode::is_no_retry`]): FlexPay stopped the
    /// recovery, even if the reason sounds temporary. 30100 (retry limit reached) ends a chain
    /// as [`Decision::Exhausted`] instead.
    NoRetryCode,
    /// Never decided by [`decide`]: a chain stored by an earlier flexkit had scheduled a retry
    /// after a soft or risk decline without `referenceData`. That retry cannot be linked to
    /// the payment (FlexPay refuses it with 50132), so the chain ends when it is asked for it.
    /// Responses like that are now refused ([`ChainError::MissingReferenceData`]).
    MissingReferenceData,
}

impl UnrecoverableReason {
    /// Stable machine name, the same string serde writes.
    pub const fn code(self) -> &'static str {
        match self {
            UnrecoverableReason::SoftDeclineWithoutRetryDate => "softDeclineWithoutRetryDate",
            UnrecoverableReason::HardDecline => "hardDecline",
            UnrecoverableReason::NoRetryCode => "noRetryCode",
            UnrecoverableReason::MissingReferenceData => "missingReferenceData",
        }
    }
}

/// Which limit of the [`RetryPolicy`] ended a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RetryLimit {
    /// The next retry would exceed `max_retries`.
    MaxRetries,
    /// FlexPay's `retryDate` lies after `dateFirstAttempt + max_age_days`.
    RetryDateBeyondMaxAge,
    /// The scheduled retry was not sent before `dateFirstAttempt + max_age_days` passed.
    MaxAge,
    /// FlexPay answered 30100, "retry limit reached": its own limit for the payment (15
    /// retries or 30 days, or lower ones its company set) was reached, whatever this chain's
    /// policy allowed.
    FlexPayLimit,
}

impl RetryLimit {
    /// Stable machine name, the same string serde writes.
    pub const fn code(self) -> &'static str {
        match self {
            RetryLimit::MaxRetries => "maxRetries",
            RetryLimit::RetryDateBeyondMaxAge => "retryDateBeyondMaxAge",
            RetryLimit::MaxAge => "maxAge",
            RetryLimit::FlexPayLimit => "flexPayLimit",
        }
    }
}

/// What one FlexPay answer means for the payment (reference §10 and §11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Decision {
    /// 1xxxx: the payment is recovered; reset `retryCount` and drop `referenceData`.
    Recovered,
    /// Send the next attempt at `at`, never earlier.
    RetryAt { at: UtcTimestamp },
    /// 5xxxx: FlexPay rejected the request itself. Not an attempt: fix the request and send
    /// it again with the same `retryCount` and `referenceData`.
    FixRequest,
    /// The payment cannot be recovered by retrying.
    Unrecoverable { reason: UnrecoverableReason },
    /// 4xxxx without `retryDate`: a gateway risk rule blocked the payment.
    RiskBlocked,
    /// A code outside FlexPay's documented ranges: stop and find out what it means before
    /// touching this payment again. Also what a chain makes of a 5xxxx refusal the third time
    /// in a row for one attempt (`RetryChain::record_response`): [`decide`] alone never
    /// answers it for a 5xxxx.
    NeedsInvestigation,
    /// A [`RetryPolicy`] limit was reached.
    Exhausted { limit: RetryLimit },
}

impl Decision {
    /// Whether the answer counts as an attempt (everything but [`Decision::FixRequest`]).
    pub const fn counts_as_attempt(self) -> bool {
        !matches!(self, Decision::FixRequest)
    }

    /// Whether the chain ends here.
    pub const fn ends_chain(self) -> bool {
        !matches!(self, Decision::RetryAt { .. } | Decision::FixRequest)
    }
}

/// Decides what a FlexPay answer means, without allocating: usable in hot loops and by the
/// sandbox.
///
/// - `code`: the `responseCode`. The code rather than its category is taken so the no-retry
///   family of hard declines can be told apart.
/// - `retry_date`: FlexPay's `retryDate`, parsed (a zone-less string is UTC).
/// - `retry_count`: the `retryCount` of the attempt this answer is for.
/// - `date_first_attempt`: start of the age limit.
///
/// Rules, in order:
/// 1. 1xxxx → [`Decision::Recovered`], whatever else the answer carries.
/// 2. 5xxxx → [`Decision::FixRequest`].
/// 3. Outside 10000–59999 → [`Decision::NeedsInvestigation`], even with a `retryDate`: the
///    meaning of the code is unknown, so following its date could mean retrying a payment
///    FlexPay told the merchant to stop.
/// 4. 3xxxx → [`Decision::Unrecoverable`], even with a `retryDate`. The Integration Guide and
///    reference §10 reset the chain on any hard decline. A date on a hard decline is how
///    Engaged Recovery hands over to customer outreach (about 40 days out), which is a new
///    engagement rather than a retry of this chain. 30100 ("retry limit reached") is the one
///    hard decline that names its reason: FlexPay's limit of retries or days was reached
///    (reference §10.3 and §11; the sandbox answers it exactly then), so it is
///    [`Decision::Exhausted`] with [`RetryLimit::FlexPayLimit`].
/// 5. 2xxxx and 4xxxx with a `retryDate` → [`Decision::RetryAt`] that instant, unless a limit
///    is reached (below); without one → [`Decision::Unrecoverable`] (2xxxx) or
///    [`Decision::RiskBlocked`] (4xxxx). A risk block is final unless FlexPay itself dates a
///    retry (reference §10), and then it is honoured like a soft decline.
/// 6. Limits: when `retry_count` is already `max_retries` the next retry would exceed it →
///    [`RetryLimit::MaxRetries`]; a `retryDate` after the age limit →
///    [`RetryLimit::RetryDateBeyondMaxAge`]. A date the merchant may not use is no reason to
///    retry earlier, so the chain ends instead.
pub fn decide(
    code: ResponseCode,
    retry_date: Option<UtcTimestamp>,
    retry_count: u32,
    date_first_attempt: UtcTimestamp,
    policy: RetryPolicy,
) -> Decision {
    match code.category() {
        ResponseCategory::Approved => Decision::Recovered,
        ResponseCategory::ApiValidation => Decision::FixRequest,
        ResponseCategory::Unknown => Decision::NeedsInvestigation,
        ResponseCategory::HardDecline if code == ResponseCode::RETRY_LIMIT_REACHED => {
            Decision::Exhausted {
                limit: RetryLimit::FlexPayLimit,
            }
        }
        ResponseCategory::HardDecline => Decision::Unrecoverable {
            reason: if code.is_no_retry() {
                UnrecoverableReason::NoRetryCode
            } else {
                UnrecoverableReason::HardDecline
            },
        },
        ResponseCategory::SoftDecline => match retry_date {
            Some(at) => within_limits(at, retry_count, date_first_attempt, policy),
            None => Decision::Unrecoverable {
                reason: UnrecoverableReason::SoftDeclineWithoutRetryDate,
            },
        },
        ResponseCategory::Risk => match retry_date {
            Some(at) => within_limits(at, retry_count, date_first_attempt, policy),
            None => Decision::RiskBlocked,
        },
    }
}

fn within_limits(
    at: UtcTimestamp,
    retry_count: u32,
    date_first_attempt: UtcTimestamp,
    policy: RetryPolicy,
) -> Decision {
    // A stored policy from before `RetryPolicy::check` may allow more: FlexPay's limit holds.
    if retry_count >= policy.max_retries.min(RetryPolicy::FLEXPAY_MAX_RETRIES) {
        return Decision::Exhausted {
            limit: RetryLimit::MaxRetries,
        };
    }
    match policy.deadline(date_first_attempt) {
        Some(deadline) if at > deadline => Decision::Exhausted {
            limit: RetryLimit::RetryDateBeyondMaxAge,
        },
        _ => Decision::RetryAt { at },
    }
}
