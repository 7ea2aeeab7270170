//! Why the chain refused a call, as data: a stable machine code and a message that says what
//! to do next.

use core::fmt;

use serde::Serialize;

use super::chain::{ChainEvent, ChainOrigin, ChainStatus};
use crate::time::{TimeError, UtcTimestamp};

/// Why [`RetryChain::next_attempt`](super::RetryChain::next_attempt) has nothing to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum NotReady {
    /// The next attempt is scheduled later, or `now` is before the latest response the chain
    /// recorded. Code `not_yet`.
    NotYet { allowed_at: UtcTimestamp },
    /// An attempt was handed out and its answer has not been recorded. Code
    /// `awaiting_response`.
    AwaitingResponse {
        retry_count: u32,
        sent_at: UtcTimestamp,
    },
    /// The chain has ended; `status` says how. Code `chain_ended`.
    ChainEnded { status: ChainStatus },
}

impl NotReady {
    /// Stable machine code: `not_yet`, `awaiting_response` or `chain_ended`.
    pub const fn code(&self) -> &'static str {
        match self {
            NotReady::NotYet { .. } => "not_yet",
            NotReady::AwaitingResponse { .. } => "awaiting_response",
            NotReady::ChainEnded { .. } => "chain_ended",
        }
    }
}

impl fmt::Display for NotReady {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotReady::NotYet { allowed_at } => write!(
                f,
                "the next attempt may not be sent before {allowed_at} (its scheduled instant, \
                 which FlexPay requires it to wait for, or the latest response recorded); try \
                 again at or after that instant"
            ),
            NotReady::AwaitingResponse {
                retry_count,
                sent_at,
            } => write!(
                f,
                "the attempt with retryCount {retry_count} handed out at {sent_at} has no \
                 recorded answer; record FlexPay's response (look the transaction up by its \
                 merchantTransactionId if it was lost), or abandon the attempt if the request \
                 never reached FlexPay"
            ),
            NotReady::ChainEnded { status } => write!(
                f,
                "the recovery of this payment has ended ({}); nothing more may be sent for it, \
                 and a new payment starts a new chain",
                status.code()
            ),
        }
    }
}

impl std::error::Error for NotReady {}

/// Why the chain refused to record a response, a stop or a refund. The chain is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum ChainError {
    /// A response arrived but no attempt is outstanding, and the chain goes on (after it
    /// ended: [`ChainError::ChainEnded`]). Code `no_attempt_in_flight`.
    NoAttemptInFlight { status: ChainStatus },
    /// A stop was asked for while an attempt is outstanding. Code `attempt_in_flight`.
    AttemptInFlight { retry_count: u32 },
    /// The chain has ended: a response, an abandoned attempt or a stop came after the
    /// recovery ended. Code `chain_ended`.
    ChainEnded { status: ChainStatus },
    /// The response echoes another `retryCount` than the attempt sent. Code
    /// `retry_count_mismatch`.
    RetryCountMismatch { expected: u32, received: u32 },
    /// The response echoes another `merchantTransactionId` than the attempt sent. Code
    /// `merchant_transaction_id_mismatch`.
    MerchantTransactionIdMismatch { expected: String, received: String },
    /// The response echoes another amount or currency than the payment the chain recovers
    /// (both as written, `20.08 USD`): another payment's answer. Code `amount_mismatch`.
    AmountMismatch { expected: String, received: String },
    /// The response of a FlexPay transaction already recorded on this chain, with the same
    /// code: one answer recorded twice. Code `response_already_recorded`.
    ResponseAlreadyRecorded { transaction_id: String },
    /// FlexPay's `retryDate` is not an ISO 8601 date-time. Code `invalid_retry_date`.
    InvalidRetryDate {
        retry_date: String,
        #[serde(serialize_with = "serialize_time_error")]
        problem: TimeError,
    },
    /// A refund was recorded on a chain that did not recover the payment. Code
    /// `not_recovered`.
    NotRecovered { status: ChainStatus },
    /// The recovered payment is already refunded in full. Code `already_fully_refunded`.
    AlreadyFullyRefunded,
    /// A refund whose FlexPay transaction id is already recorded: one refund counted twice.
    /// Code `duplicate_refund`.
    DuplicateRefund { transaction_id: String },
    /// A refund amount of zero or less. Code `invalid_refund_amount`.
    InvalidRefundAmount { amount: i64 },
    /// Refunds would add up to more than the recovered amount. Code
    /// `refund_exceeds_amount`.
    RefundExceedsAmount {
        recovered: i64,
        already_refunded: i64,
        requested: i64,
    },
    /// A required text is empty. Code `required`.
    Required { field: &'static str },
    /// The amount to recover is zero or negative. Code `non_positive_amount`.
    NonPositiveAmount { amount: i64 },
    /// A response schedules a retry but carries no `referenceData` (or an empty one), which
    /// that retry would have to echo. Code `missing_reference_data`.
    MissingReferenceData { retry_date: UtcTimestamp },
    /// A response recorded at an instant before its attempt was handed out. Code
    /// `answered_before_sent`.
    AnsweredBeforeSent {
        answered_at: UtcTimestamp,
        sent_at: UtcTimestamp,
    },
    /// The first attempt would be due before the chain began: the gateway decline, or the
    /// chain's creation. Code `due_before_start`.
    DueBeforeStart {
        due_at: UtcTimestamp,
        origin: ChainOrigin,
    },
    /// The first attempt would be due after the age limit, so it could never be sent. Code
    /// `due_after_deadline`.
    DueAfterDeadline {
        due_at: UtcTimestamp,
        deadline: UtcTimestamp,
    },
    /// A refund dated before the payment was recovered. Code `refund_before_recovery`.
    RefundBeforeRecovery {
        refunded_at: UtcTimestamp,
        recovered_at: UtcTimestamp,
    },
    /// A stop dated before the chain's latest event: its start, or the latest answer
    /// recorded. Code `stop_before_latest_event`.
    StopBeforeLatestEvent {
        stopped_at: UtcTimestamp,
        latest: ChainEvent,
    },
    /// A [`RetryPolicy`](super::RetryPolicy) figure outside FlexPay's own limits (1 to 15
    /// retries, 1 to 30 days). `value` is the figure as given. Code `policy_out_of_range`.
    PolicyOutOfRange {
        field: &'static str,
        value: String,
        max: u32,
    },
}

fn serialize_time_error<S: serde::Serializer>(
    error: &TimeError,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(error)
}

impl ChainError {
    /// Why a response or an abandoned attempt finds nothing outstanding: the chain ended
    /// (`chain_ended`: a late or repeated answer to a finished recovery), or the attempt is
    /// yet to be taken (`no_attempt_in_flight`).
    pub(crate) fn nothing_outstanding(status: ChainStatus) -> ChainError {
        if status.is_terminal() {
            ChainError::ChainEnded { status }
        } else {
            ChainError::NoAttemptInFlight { status }
        }
    }

    /// Stable machine code, one per variant.
    pub const fn code(&self) -> &'static str {
        match self {
            ChainError::NoAttemptInFlight { .. } => "no_attempt_in_flight",
            ChainError::AttemptInFlight { .. } => "attempt_in_flight",
            ChainError::ChainEnded { .. } => "chain_ended",
            ChainError::RetryCountMismatch { .. } => "retry_count_mismatch",
            ChainError::MerchantTransactionIdMismatch { .. } => "merchant_transaction_id_mismatch",
            ChainError::AmountMismatch { .. } => "amount_mismatch",
            ChainError::ResponseAlreadyRecorded { .. } => "response_already_recorded",
            ChainError::InvalidRetryDate { .. } => "invalid_retry_date",
            ChainError::NotRecovered { .. } => "not_recovered",
            ChainError::AlreadyFullyRefunded => "already_fully_refunded",
            ChainError::DuplicateRefund { .. } => "duplicate_refund",
            ChainError::InvalidRefundAmount { .. } => "invalid_refund_amount",
            ChainError::RefundExceedsAmount { .. } => "refund_exceeds_amount",
            ChainError::Required { .. } => "required",
            ChainError::NonPositiveAmount { .. } => "non_positive_amount",
            ChainError::MissingReferenceData { .. } => "missing_reference_data",
            ChainError::AnsweredBeforeSent { .. } => "answered_before_sent",
            ChainError::DueBeforeStart { .. } => "due_before_start",
            ChainError::DueAfterDeadline { .. } => "due_after_deadline",
            ChainError::RefundBeforeRecovery { .. } => "refund_before_recovery",
            ChainError::StopBeforeLatestEvent { .. } => "stop_before_latest_event",
            ChainError::PolicyOutOfRange { .. } => "policy_out_of_range",
        }
    }
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainError::NoAttemptInFlight { status } => write!(
                f,
                "no attempt is outstanding (the chain is {}); take the next attempt from the \
                 chain before sending a request, and record each response once",
                status.code()
            ),
            ChainError::AttemptInFlight { retry_count } => write!(
                f,
                "the attempt with retryCount {retry_count} is outstanding; record its response \
                 first (if it is approved, refund it instead of stopping)"
            ),
            ChainError::ChainEnded { status } => write!(
                f,
                "the recovery of this payment has already ended ({})",
                status.code()
            ),
            ChainError::RetryCountMismatch { expected, received } => write!(
                f,
                "the response echoes retryCount {received} but the outstanding attempt has \
                 retryCount {expected}; it belongs to another attempt or another payment, so \
                 record the response of the attempt this chain handed out"
            ),
            ChainError::MerchantTransactionIdMismatch { expected, received } => write!(
                f,
                "the response echoes merchantTransactionId {received:?} but the outstanding \
                 attempt was sent as {expected:?}; record the response that belongs to it"
            ),
            ChainError::AmountMismatch { expected, received } => write!(
                f,
                "the response is for {received} but this chain recovers {expected}; it is \
                 another payment's answer, so record each payment's responses on its own chain"
            ),
            ChainError::ResponseAlreadyRecorded { transaction_id } => write!(
                f,
                "the response of transaction {transaction_id} is already recorded; record each \
                 response once, and the response of the attempt this chain handed out"
            ),
            ChainError::InvalidRetryDate {
                retry_date,
                problem,
            } => write!(
                f,
                "FlexPay's retryDate {retry_date:?} cannot be read ({problem}); record the \
                 response again with the date corrected, or without a date to end the recovery"
            ),
            ChainError::NotRecovered { status } => write!(
                f,
                "only a recovered payment can be refunded, and this chain is {}; a recovery \
                 still in progress is stopped instead",
                status.code()
            ),
            ChainError::AlreadyFullyRefunded => f.write_str(
                "the recovered payment is already refunded in full; nothing is left to refund",
            ),
            ChainError::DuplicateRefund { transaction_id } => write!(
                f,
                "the refund {transaction_id} is already recorded; each refund is recorded once, \
                 by the transactionId FlexPay answered it with"
            ),
            ChainError::InvalidRefundAmount { amount } => write!(
                f,
                "refund amount {amount} is not positive; give the amount in minor units, or no \
                 amount for a full refund"
            ),
            ChainError::RefundExceedsAmount {
                recovered,
                already_refunded,
                requested,
            } => write!(
                f,
                "refunding {requested} on top of {already_refunded} already refunded exceeds the \
                 recovered {recovered} (minor units); refund at most {}",
                recovered.saturating_sub(*already_refunded)
            ),
            ChainError::Required { field } => {
                write!(f, "{field} is empty; give a non-empty value")
            }
            ChainError::NonPositiveAmount { amount } => write!(
                f,
                "the amount to recover is {amount} minor units; give the declined payment's \
                 positive amount, or none"
            ),
            ChainError::MissingReferenceData { retry_date } => write!(
                f,
                "the response schedules a retry at {retry_date} but has no referenceData; the \
                 retry must send FlexPay's referenceData back unchanged, or FlexPay cannot link \
                 it to this payment and refuses it (50132). Record the response again with its \
                 referenceData exactly as received, or without its retryDate to end the recovery"
            ),
            ChainError::AnsweredBeforeSent {
                answered_at,
                sent_at,
            } => write!(
                f,
                "the response is recorded at {answered_at}, before its attempt was handed out at \
                 {sent_at}; record it with the instant it was received"
            ),
            ChainError::DueBeforeStart { due_at, origin } => {
                let (what, at) = match origin {
                    ChainOrigin::GatewayDecline { declined_at } => {
                        ("the gateway decline", declined_at)
                    }
                    ChainOrigin::InitialAttemptThroughFlexPay { created_at } => {
                        ("the chain's creation", created_at)
                    }
                };
                write!(
                    f,
                    "firstAttemptDueAt {due_at} is before {what} at {at}; give an instant at or \
                     after it, or none for the default"
                )
            }
            ChainError::DueAfterDeadline { due_at, deadline } => write!(
                f,
                "firstAttemptDueAt {due_at} is after {deadline}, the last instant the policy's \
                 maxAgeDays allows a retry, so the attempt could never be sent; give an earlier \
                 instant or a longer maxAgeDays"
            ),
            ChainError::RefundBeforeRecovery {
                refunded_at,
                recovered_at,
            } => write!(
                f,
                "the refund is dated {refunded_at}, before the payment was recovered at \
                 {recovered_at}; record it with the instant FlexPay approved it"
            ),
            ChainError::StopBeforeLatestEvent { stopped_at, latest } => {
                let what = match latest {
                    ChainEvent::GatewayDecline { .. } => "the gateway decline",
                    ChainEvent::Creation { .. } => "the chain's creation",
                    ChainEvent::Answer { .. } => "the latest answer recorded",
                };
                write!(
                    f,
                    "the stop is dated {stopped_at}, before {what} at {}; record it with the \
                     instant the recovery was stopped",
                    latest.at()
                )
            }
            ChainError::PolicyOutOfRange { field, value, max } => {
                write!(f, "policy.{field} is {value}; FlexPay ")?;
                if *field == "maxAgeDays" {
                    write!(
                        f,
                        "retries a payment for at most {} days after its first attempt, and \
                         Engaged Recovery's hand-off retry date is about 40 days out",
                        super::RetryPolicy::FLEXPAY_MAX_AGE_DAYS
                    )?;
                } else {
                    write!(f, "makes at most {max} retries of a payment")?;
                }
                write!(f, ", so give a whole number from 1 to {max}")
            }
        }
    }
}

impl std::error::Error for ChainError {}

/// Why a stored chain could not be loaded. The codes are the ones the sandboxes' snapshots
/// are refused with, so one vocabulary names a damaged or foreign stored document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum LoadError {
    /// The text is not JSON. Code `snapshot_malformed`.
    #[serde(rename = "snapshot_malformed")]
    MalformedJson {
        message: String,
        /// The JSON reader's own description, with its line and column, for bindings that
        /// word the cause in their API's terms; `Display` never shows it.
        #[serde(skip)]
        detail: String,
    },
    /// The document has no numeric `schemaVersion`. Code `snapshot_unknown_version`.
    #[serde(rename = "snapshot_unknown_version")]
    MissingSchemaVersion,
    /// Written by a newer flexkit. Code `snapshot_newer_version`.
    #[serde(rename = "snapshot_newer_version")]
    NewerSchemaVersion { found: u64, supported: u32 },
    /// A version this flexkit never wrote (0). Code `snapshot_unknown_version`.
    #[serde(rename = "snapshot_unknown_version")]
    UnsupportedSchemaVersion { found: u64 },
    /// The shape is not that of a chain this flexkit writes. Code `snapshot_malformed`.
    #[serde(rename = "snapshot_malformed")]
    Corrupt {
        message: String,
        /// The JSON reader's own description of a shape error (a field missing, a value of
        /// another type), with its line and column when read by [`RetryChain::from_json`],
        /// for bindings that name the value at fault in their API's terms (the npm package);
        /// `None` when the reader did not refuse it. `Display` never shows it.
        ///
        /// [`RetryChain::from_json`]: super::RetryChain::from_json
        #[serde(skip)]
        detail: Option<String>,
    },
    /// The shape is right but its parts contradict each other (a hand edit, or damage).
    /// Code `snapshot_inconsistent`.
    #[serde(rename = "snapshot_inconsistent")]
    Inconsistent { message: String },
}

impl LoadError {
    /// Stable machine code; shared with the sandboxes' snapshot errors.
    pub const fn code(&self) -> &'static str {
        match self {
            LoadError::MalformedJson { .. } | LoadError::Corrupt { .. } => "snapshot_malformed",
            LoadError::MissingSchemaVersion | LoadError::UnsupportedSchemaVersion { .. } => {
                "snapshot_unknown_version"
            }
            LoadError::NewerSchemaVersion { .. } => "snapshot_newer_version",
            LoadError::Inconsistent { .. } => "snapshot_inconsistent",
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::MalformedJson { message, .. } => write!(
                f,
                "the stored retry chain cannot be read: {message}; load the text exactly as the \
                 chain was saved"
            ),
            LoadError::MissingSchemaVersion => f.write_str(
                "the stored retry chain has no numeric schemaVersion; it was not written by \
                 flexkit, or was truncated",
            ),
            LoadError::NewerSchemaVersion { found, supported } => write!(
                f,
                "the stored retry chain has schemaVersion {found}, written by a newer flexkit \
                 (this one reads up to {supported}); upgrade flexkit to load it, and do not \
                 overwrite it with this version"
            ),
            LoadError::UnsupportedSchemaVersion { found } => write!(
                f,
                "schemaVersion {found} was never written by flexkit; the document is corrupt"
            ),
            LoadError::Corrupt { message, .. } => write!(
                f,
                "the stored retry chain is corrupt: {message}; restore it from a backup or \
                 rebuild it from the FlexPay transaction history"
            ),
            LoadError::Inconsistent { message } => write!(
                f,
                "the stored retry chain contradicts itself: {message}; restore it from a \
                 backup or rebuild it from the FlexPay transaction history"
            ),
        }
    }
}

impl std::error::Error for LoadError {}
