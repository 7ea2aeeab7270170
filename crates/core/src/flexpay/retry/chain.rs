//! [`RetryChain`]: the recovery of one payment, attempt by attempt.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::decision::{decide, Decision, RetryLimit, RetryPolicy, UnrecoverableReason};
use super::error::{ChainError, NotReady};
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::flexpay::transaction::{ChargeRequest, TransactionResponse};
use crate::flexpay::validate::limits;
use crate::money::{Currency, Money};
use crate::time::UtcTimestamp;

/// The Integration Guide sends the first retry "the next day" after the gateway decline.
const FIRST_RETRY_DELAY_SECONDS: i64 = 86_400;

/// How many times in a row one attempt may be refused with the same 5xxxx code before the
/// chain stops resending it ([`ChainStatus::NeedsInvestigation`]).
pub const SAME_REFUSALS: usize = 3;

/// Whether the attempt with `retry_count` was refused with `code` [`SAME_REFUSALS`] − 1 times
/// in a row at the end of `earlier`: the next such refusal ends the chain. The calls decide by
/// it, and a stored chain is checked by it.
pub(super) fn refused_as_often(
    earlier: &[AttemptRecord],
    code: ResponseCode,
    retry_count: u32,
) -> bool {
    let before = SAME_REFUSALS - 1;
    earlier.len() >= before
        && earlier.iter().rev().take(before).all(|record| {
            record.decision == Decision::FixRequest
                && record.response_code == code
                && record.retry_count == retry_count
        })
}

/// How the chain began.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum ChainOrigin {
    /// The initial attempt (`retryCount` 0) was declined on the merchant's own gateway,
    /// outside FlexPay; the first attempt through FlexPay is retry 1. The usual case.
    GatewayDecline { declined_at: UtcTimestamp },
    /// The initial attempt itself goes through FlexPay with `retryCount` 0, as in the
    /// Integration Guide's Step 4; retries then count 1, 2, ….
    InitialAttemptThroughFlexPay { created_at: UtcTimestamp },
}

impl ChainOrigin {
    /// `retryCount` of the first attempt sent through FlexPay: 1, or 0 when the initial attempt
    /// goes through FlexPay.
    pub const fn first_retry_count(self) -> u32 {
        match self {
            ChainOrigin::GatewayDecline { .. } => 1,
            ChainOrigin::InitialAttemptThroughFlexPay { .. } => 0,
        }
    }
}

/// An event that dates a chain, as a refusal of a call dated before it names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ChainEvent {
    /// The gateway decline the chain began with.
    GatewayDecline { at: UtcTimestamp },
    /// The creation of a chain whose initial attempt goes through FlexPay.
    Creation { at: UtcTimestamp },
    /// The latest answer recorded.
    Answer { at: UtcTimestamp },
}

impl ChainEvent {
    /// When it happened.
    pub const fn at(self) -> UtcTimestamp {
        match self {
            ChainEvent::GatewayDecline { at }
            | ChainEvent::Creation { at }
            | ChainEvent::Answer { at } => at,
        }
    }
}

/// Why the merchant stopped a recovery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StopReason {
    /// The subscription the payment was for was cancelled.
    SubscriptionCancelled,
    /// The customer paid by other means (a new card, another channel).
    PaidElsewhere,
    /// Any other decision of the merchant.
    MerchantDecision,
}

/// A refund of the recovered payment, sent through FlexPay and approved.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Refund {
    /// FlexPay's `transactionId` of the refund (not of the refunded charge).
    pub transaction_id: String,
    /// Minor units; `None` for a full refund (or the rest after partial ones).
    pub amount: Option<i64>,
    pub refunded_at: UtcTimestamp,
}

/// Where the chain stands, with what each state needs. Serialized with a `status` tag whose
/// values are the [`ChainStatus`] codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "status",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum ChainState {
    /// The next attempt may be sent from `due_at` on.
    Scheduled { due_at: UtcTimestamp },
    /// An attempt was handed out at `sent_at` and its answer is awaited. `due_at` is kept so
    /// that abandoning the attempt restores the schedule.
    AwaitingResponse {
        due_at: UtcTimestamp,
        sent_at: UtcTimestamp,
        /// The derived id the attempt was sent with, when the chain derives ids.
        merchant_transaction_id: Option<String>,
    },
    /// FlexPay approved an attempt.
    Recovered {
        at: UtcTimestamp,
        /// FlexPay's id of the approved charge: the one to refund.
        transaction_id: Option<String>,
    },
    /// A recovered payment was then refunded, in full or in part.
    RecoveredThenRefunded {
        at: UtcTimestamp,
        transaction_id: Option<String>,
        /// In the order they were recorded; never empty.
        refunds: Vec<Refund>,
    },
    /// A hard decline, or a soft decline without `retryDate`.
    Unrecoverable {
        at: UtcTimestamp,
        code: ResponseCode,
        reason: UnrecoverableReason,
    },
    /// A 4xxxx without `retryDate`.
    RiskBlocked {
        at: UtcTimestamp,
        code: ResponseCode,
    },
    /// A code outside FlexPay's documented ranges, or one 5xxxx refusal [`SAME_REFUSALS`]
    /// times in a row for one attempt.
    NeedsInvestigation {
        at: UtcTimestamp,
        code: ResponseCode,
    },
    /// A [`RetryPolicy`] limit was reached; `code` is the answer that reached it, absent when
    /// the age limit passed with no attempt sent.
    Exhausted {
        at: UtcTimestamp,
        limit: RetryLimit,
        code: Option<ResponseCode>,
    },
    /// The merchant stopped the recovery.
    Stopped {
        at: UtcTimestamp,
        reason: StopReason,
    },
}

impl ChainState {
    /// The state's name.
    pub const fn status(&self) -> ChainStatus {
        match self {
            ChainState::Scheduled { .. } => ChainStatus::Scheduled,
            ChainState::AwaitingResponse { .. } => ChainStatus::AwaitingResponse,
            ChainState::Recovered { .. } => ChainStatus::Recovered,
            ChainState::RecoveredThenRefunded { .. } => ChainStatus::RecoveredThenRefunded,
            ChainState::Unrecoverable { .. } => ChainStatus::Unrecoverable,
            ChainState::RiskBlocked { .. } => ChainStatus::RiskBlocked,
            ChainState::NeedsInvestigation { .. } => ChainStatus::NeedsInvestigation,
            ChainState::Exhausted { .. } => ChainStatus::Exhausted,
            ChainState::Stopped { .. } => ChainStatus::Stopped,
        }
    }
}

/// The name of a [`ChainState`], for badges, filters and errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChainStatus {
    Scheduled,
    AwaitingResponse,
    Recovered,
    RecoveredThenRefunded,
    Unrecoverable,
    RiskBlocked,
    NeedsInvestigation,
    Exhausted,
    Stopped,
}

impl ChainStatus {
    /// Whether the recovery is over: no further attempt will ever be sent.
    pub const fn is_terminal(self) -> bool {
        !matches!(self, ChainStatus::Scheduled | ChainStatus::AwaitingResponse)
    }

    /// Stable machine name (`"awaitingResponse"`), the same string serde writes.
    pub const fn code(self) -> &'static str {
        match self {
            ChainStatus::Scheduled => "scheduled",
            ChainStatus::AwaitingResponse => "awaitingResponse",
            ChainStatus::Recovered => "recovered",
            ChainStatus::RecoveredThenRefunded => "recoveredThenRefunded",
            ChainStatus::Unrecoverable => "unrecoverable",
            ChainStatus::RiskBlocked => "riskBlocked",
            ChainStatus::NeedsInvestigation => "needsInvestigation",
            ChainStatus::Exhausted => "exhausted",
            ChainStatus::Stopped => "stopped",
        }
    }
}

impl fmt::Display for ChainStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One request sent through FlexPay and its answer: a row of the portal's timeline. Rejected
/// requests (5xxxx) are kept too; [`AttemptRecord::counts_as_attempt`] tells them apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttemptRecord {
    pub retry_count: u32,
    pub sent_at: UtcTimestamp,
    pub answered_at: UtcTimestamp,
    /// As derived by the chain, or else as FlexPay echoed it.
    pub merchant_transaction_id: Option<String>,
    pub reference_data_sent: Option<String>,
    pub response_code: ResponseCode,
    pub category: ResponseCategory,
    pub retry_date: Option<UtcTimestamp>,
    /// `referenceData` of the response.
    pub reference_data: Option<String>,
    /// FlexPay's `transactionId` of this request.
    pub transaction_id: Option<String>,
    pub decision: Decision,
}

impl AttemptRecord {
    /// False for a request FlexPay rejected (5xxxx), which is not an attempt.
    pub fn counts_as_attempt(&self) -> bool {
        // A refusal is never an attempt, also the one that ended the chain.
        self.decision.counts_as_attempt() && self.category != ResponseCategory::ApiValidation
    }
}

/// The `merchantTransactionId` an attempt is to be sent with. FlexPay rejects a reused one
/// (50129), so every request needs a new one, retries included.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum MerchantTransactionId {
    /// Derived from the chain's base: `{base}-r{retryCount}`, with `-{n}` appended for the
    /// n-th send of the same retry after FlexPay rejected earlier ones (`INV-1001-r3-2`).
    /// Sending the same attempt twice therefore reuses the id, and FlexPay's duplicate check
    /// stops a double charge. Never longer than FlexPay's 50 characters: a base too long for
    /// its suffix keeps its beginning, followed by `-` and 8 hex digits of a hash of the whole
    /// base, and the suffix that names the attempt.
    Derived { id: String },
    /// The chain has no base: the caller must supply a new unique id.
    SupplyNew,
}

impl MerchantTransactionId {
    /// What a caller must do about the id, in one sentence.
    pub const REMINDER: &'static str = "Every request needs a merchantTransactionId never sent \
         before, retries included; FlexPay rejects a reused one with 50129.";

    /// The derived id, if any.
    pub fn derived(&self) -> Option<&str> {
        match self {
            MerchantTransactionId::Derived { id } => Some(id),
            MerchantTransactionId::SupplyNew => None,
        }
    }
}

/// What to send for the next attempt: the recovery fields of the charge request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub retry_count: u32,
    /// FlexPay's `referenceData` from the previous attempt, echoed unchanged; `None` on the
    /// first attempt through FlexPay.
    pub reference_data: Option<String>,
    pub date_first_attempt: UtcTimestamp,
    pub merchant_transaction_id: MerchantTransactionId,
    /// When the attempt became allowed: [`RetryChain::due_at`] before it was handed out.
    pub due_at: UtcTimestamp,
    /// When it was handed out.
    pub sent_at: UtcTimestamp,
    /// The code FlexPay rejected the previous send of this attempt with, if any: the request
    /// must be fixed before it goes out again.
    pub previous_rejection: Option<ResponseCode>,
}

impl Attempt {
    /// Sets `retryCount`, `referenceData` and `dateFirstAttempt` on a charge or authorize
    /// request, and `merchantTransactionId` when the chain derives it.
    pub fn apply_to(&self, request: &mut ChargeRequest) {
        request.retry_count = self.retry_count;
        request.reference_data.clone_from(&self.reference_data);
        request.date_first_attempt = Some(self.date_first_attempt.to_iso8601());
        if let Some(id) = self.merchant_transaction_id.derived() {
            id.clone_into(&mut request.merchant_transaction_id);
        }
    }
}

/// The parts of a FlexPay answer the chain reads. Build it from a [`TransactionResponse`] with
/// `From`, or from the fields of a response stored elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptResponse<'a> {
    pub response_code: ResponseCode,
    /// As received: ISO 8601, a missing zone meaning UTC. Empty counts as absent.
    pub retry_date: Option<&'a str>,
    pub reference_data: Option<&'a str>,
    /// The echoed `retryCount`, checked against the attempt when present.
    pub retry_count: Option<u32>,
    pub transaction_id: Option<&'a str>,
    /// The echoed `merchantTransactionId`, checked against a derived one when present. Empty
    /// counts as absent: FlexPay's answer to a request sent without one (50103) echoes none.
    pub merchant_transaction_id: Option<&'a str>,
    /// The echoed `amount` in minor units and `currencyCode`, checked against the chain's
    /// `amount` when it has one.
    pub amount: Option<i64>,
    pub currency_code: Option<&'a str>,
}

impl<'a> AttemptResponse<'a> {
    /// A response with only its code.
    pub const fn new(response_code: ResponseCode) -> Self {
        AttemptResponse {
            response_code,
            retry_date: None,
            reference_data: None,
            retry_count: None,
            transaction_id: None,
            merchant_transaction_id: None,
            amount: None,
            currency_code: None,
        }
    }

    pub const fn amount(mut self, amount: i64, currency_code: &'a str) -> Self {
        self.amount = Some(amount);
        self.currency_code = Some(currency_code);
        self
    }

    pub const fn retry_date(mut self, retry_date: &'a str) -> Self {
        self.retry_date = Some(retry_date);
        self
    }

    pub const fn reference_data(mut self, reference_data: &'a str) -> Self {
        self.reference_data = Some(reference_data);
        self
    }

    pub const fn retry_count(mut self, retry_count: u32) -> Self {
        self.retry_count = Some(retry_count);
        self
    }

    pub const fn transaction_id(mut self, transaction_id: &'a str) -> Self {
        self.transaction_id = Some(transaction_id);
        self
    }

    pub const fn merchant_transaction_id(mut self, merchant_transaction_id: &'a str) -> Self {
        self.merchant_transaction_id = Some(merchant_transaction_id);
        self
    }
}

impl<'a> From<&'a TransactionResponse> for AttemptResponse<'a> {
    fn from(response: &'a TransactionResponse) -> Self {
        AttemptResponse {
            response_code: response.response_code,
            retry_date: response.retry_date.as_deref(),
            reference_data: response.reference_data.as_deref(),
            retry_count: response.retry_count,
            transaction_id: Some(response.transaction_id.as_str()).filter(|id| !id.is_empty()),
            merchant_transaction_id: response.merchant_transaction_id.as_deref(),
            amount: response.amount,
            currency_code: response.currency_code.as_deref(),
        }
    }
}

/// What the caller should do after a transition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum NextStep {
    /// Call [`RetryChain::next_attempt`] at `at` (not earlier) and send the attempt: FlexPay's
    /// `retryDate`, or the instant the response was recorded if that was later.
    SendAttempt { retry_count: u32, at: UtcTimestamp },
    /// Fix the request FlexPay rejected and send it again now; `field` is the request field
    /// the code names, where known.
    FixAndResend {
        code: ResponseCode,
        field: Option<&'static str>,
    },
    /// FlexPay already has a transaction with this `merchantTransactionId` (50129): an
    /// earlier send of this attempt most likely reached it. Fetch that transaction and record
    /// its response; only if it belongs to another payment, abandon the attempt and send it
    /// again (it then gets a new derived id).
    LookUpByMerchantTransactionId {
        merchant_transaction_id: Option<String>,
    },
    /// Find out what the code means before doing anything more with this payment.
    Investigate { code: ResponseCode },
    /// When FlexPay schedules the retries itself (Enterprise with Scheduler), send it a
    /// refunded-payment ("Refund-Payment") request for this transaction so it stops too.
    NotifyFlexPayOfStop { transaction_id: String },
    /// Nothing: the recovery is over.
    Nothing,
}

impl fmt::Display for NextStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NextStep::SendAttempt { retry_count, at } => write!(
                f,
                "send the attempt with retryCount {retry_count} at {at}, not earlier"
            ),
            NextStep::FixAndResend { code, field } => match field {
                Some(field) => write!(
                    f,
                    "fix {field} (FlexPay rejected the request with {code}) and send it again; \
                     it did not count as an attempt"
                ),
                None => write!(
                    f,
                    "fix the request FlexPay rejected with {code} and send it again; it did not \
                     count as an attempt"
                ),
            },
            NextStep::LookUpByMerchantTransactionId {
                merchant_transaction_id,
            } => match merchant_transaction_id {
                Some(id) => write!(
                    f,
                    "look up the transaction with merchantTransactionId {id:?} and record its \
                     response; an earlier send of this attempt reached FlexPay"
                ),
                None => f.write_str(
                    "look up the transaction by the merchantTransactionId just sent and record \
                     its response; an earlier send of this attempt reached FlexPay",
                ),
            },
            NextStep::Investigate { code } => write!(
                f,
                "find out what response code {code} means before doing anything more with this \
                 payment; it is outside FlexPay's documented ranges"
            ),
            NextStep::NotifyFlexPayOfStop { transaction_id } => write!(
                f,
                "if FlexPay schedules the retries itself, send it a refunded-payment request \
                 for transaction {transaction_id} so it stops too"
            ),
            NextStep::Nothing => f.write_str("nothing: the recovery of this payment is over"),
        }
    }
}

/// Something about a response worth showing, though it was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(
    tag = "note",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ResponseNote {
    /// The response carried a `retryDate` that its code does not allow following.
    RetryDateIgnored { retry_date: UtcTimestamp },
    /// FlexPay's `retryDate` had already passed when the response was recorded: the next
    /// attempt is due at once.
    RetryDateAlreadyPassed { retry_date: UtcTimestamp },
}

/// What a call did to the chain and what to do next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub from: ChainStatus,
    pub to: ChainStatus,
    /// The decision a response led to; `None` for stops and refunds.
    pub decision: Option<Decision>,
    /// Whether `retryCount` advanced past this attempt (false for 5xxxx, stops, refunds).
    pub counted_as_attempt: bool,
    /// Whether the chain ended here, resetting `retryCount` to 0 and `referenceData` to null.
    pub reset: bool,
    pub next: NextStep,
    pub notes: Vec<ResponseNote>,
}

/// Optional settings of a new chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainOptions {
    /// The amount being recovered; enables the refund checks.
    pub amount: Option<Money>,
    /// Base for derived `merchantTransactionId`s (see [`MerchantTransactionId::Derived`]);
    /// without it the caller supplies a new id for every request.
    pub merchant_transaction_id_base: Option<String>,
    /// Within FlexPay's own limits (1 to 15 retries, 1 to 30 days; [`RetryPolicy::check`]).
    pub policy: RetryPolicy,
    /// When the first attempt through FlexPay becomes allowed. Defaults to 24 hours after a
    /// gateway decline (the Integration Guide's "next day"), or to the creation instant when
    /// the initial attempt goes through FlexPay. Not before either, nor, after a gateway
    /// decline, past the policy's age limit.
    pub first_attempt_due_at: Option<UtcTimestamp>,
}

/// The recovery of ONE payment (an invoice or order) through FlexPay, from its first decline
/// to its end.
///
/// `retryCount` and `referenceData` belong to the payment, never to the customer: a customer
/// with two failed invoices has two chains, each with its own count and its own
/// `referenceData`. See the [module docs](super) for the state diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryChain {
    pub(super) merchant_reference: String,
    pub(super) merchant_transaction_id_base: Option<String>,
    pub(super) amount: Option<Money>,
    pub(super) origin: ChainOrigin,
    pub(super) policy: RetryPolicy,
    pub(super) date_first_attempt: Option<UtcTimestamp>,
    /// `retryCount` of the next or outstanding attempt while the chain is active; 0 once it
    /// ended.
    pub(super) retry_count: u32,
    /// The `referenceData` of the latest counted response while active; `None` once ended.
    pub(super) reference_data: Option<String>,
    pub(super) state: ChainState,
    pub(super) history: Vec<AttemptRecord>,
}

impl RetryChain {
    /// A chain for a payment whose initial attempt was declined on the merchant's own gateway
    /// at `declined_at` (which becomes `dateFirstAttempt`). `merchant_reference` names the
    /// payment: the invoice or order id.
    pub fn after_gateway_decline(
        merchant_reference: impl Into<String>,
        declined_at: UtcTimestamp,
        options: ChainOptions,
    ) -> Result<RetryChain, ChainError> {
        let due_at = options.first_attempt_due_at.unwrap_or(
            declined_at
                .checked_add_seconds(FIRST_RETRY_DELAY_SECONDS)
                .unwrap_or(UtcTimestamp::MAX),
        );
        RetryChain::start(
            merchant_reference.into(),
            ChainOrigin::GatewayDecline { declined_at },
            Some(declined_at),
            due_at,
            options,
        )
    }

    /// A chain whose initial attempt (`retryCount` 0, `referenceData` null) is itself sent
    /// through FlexPay, as in the Integration Guide's Step 4. `dateFirstAttempt` becomes the
    /// instant that attempt is handed out.
    pub fn initial_attempt_through_flexpay(
        merchant_reference: impl Into<String>,
        created_at: UtcTimestamp,
        options: ChainOptions,
    ) -> Result<RetryChain, ChainError> {
        let due_at = options.first_attempt_due_at.unwrap_or(created_at);
        RetryChain::start(
            merchant_reference.into(),
            ChainOrigin::InitialAttemptThroughFlexPay { created_at },
            None,
            due_at,
            options,
        )
    }

    fn start(
        merchant_reference: String,
        origin: ChainOrigin,
        date_first_attempt: Option<UtcTimestamp>,
        due_at: UtcTimestamp,
        options: ChainOptions,
    ) -> Result<RetryChain, ChainError> {
        if merchant_reference.trim().is_empty() {
            return Err(ChainError::Required {
                field: "merchantReference",
            });
        }
        if options
            .merchant_transaction_id_base
            .as_deref()
            .is_some_and(|base| base.trim().is_empty())
        {
            return Err(ChainError::Required {
                field: "merchantTransactionIdBase",
            });
        }
        if let Some(amount) = options.amount.filter(|amount| !amount.is_positive()) {
            return Err(ChainError::NonPositiveAmount {
                amount: amount.minor_units(),
            });
        }
        options.policy.check()?;
        let start = match origin {
            ChainOrigin::GatewayDecline { declined_at } => declined_at,
            ChainOrigin::InitialAttemptThroughFlexPay { created_at } => created_at,
        };
        if due_at < start {
            return Err(ChainError::DueBeforeStart { due_at, origin });
        }
        if let Some(deadline) = date_first_attempt
            .and_then(|first| options.policy.deadline(first))
            .filter(|&deadline| due_at > deadline)
        {
            return Err(ChainError::DueAfterDeadline { due_at, deadline });
        }
        Ok(RetryChain {
            merchant_reference,
            merchant_transaction_id_base: options.merchant_transaction_id_base,
            amount: options.amount,
            origin,
            policy: options.policy,
            date_first_attempt,
            retry_count: origin.first_retry_count(),
            reference_data: None,
            state: ChainState::Scheduled { due_at },
            history: Vec::new(),
        })
    }

    /// The next attempt to send, handed out: the chain now awaits its response.
    ///
    /// Refuses, leaving the chain as it was, while the attempt is not yet due
    /// ([`NotReady::NotYet`] with the instant it becomes allowed: when it is due, or when the
    /// latest response was recorded if `now` is earlier) and while an attempt is
    /// outstanding. Refuses after the chain ended, saying how. When the age limit has passed
    /// without the attempt being sent, the chain ends here as [`ChainStatus::Exhausted`] (so
    /// does a stored chain whose policy, from before [`RetryPolicy::check`], allows no retry).
    /// A stored chain that scheduled a retry without the `referenceData` it must echo ends
    /// here as [`ChainStatus::Unrecoverable`] ([`UnrecoverableReason::MissingReferenceData`]):
    /// an attempt handed out never lacks it.
    pub fn next_attempt(&mut self, now: UtcTimestamp) -> Result<Attempt, NotReady> {
        let due_at = match &self.state {
            ChainState::Scheduled { due_at } => *due_at,
            ChainState::AwaitingResponse { sent_at, .. } => {
                return Err(NotReady::AwaitingResponse {
                    retry_count: self.retry_count,
                    sent_at: *sent_at,
                })
            }
            ended => {
                return Err(NotReady::ChainEnded {
                    status: ended.status(),
                })
            }
        };
        let limit = if self.retry_count > self.policy.max_retries {
            Some(RetryLimit::MaxRetries)
        } else if self.deadline().is_some_and(|deadline| now > deadline) {
            Some(RetryLimit::MaxAge)
        } else {
            None
        };
        if let Some(limit) = limit {
            self.end(ChainState::Exhausted {
                at: now,
                limit,
                code: None,
            });
            return Err(NotReady::ChainEnded {
                status: ChainStatus::Exhausted,
            });
        }
        if let Some(code) = self.retry_without_reference_data() {
            self.end(ChainState::Unrecoverable {
                at: now,
                code,
                reason: UnrecoverableReason::MissingReferenceData,
            });
            return Err(NotReady::ChainEnded {
                status: ChainStatus::Unrecoverable,
            });
        }
        let allowed_at = self.allowed_from(due_at);
        if now < allowed_at {
            return Err(NotReady::NotYet { allowed_at });
        }
        let derived = self.derived_merchant_transaction_id();
        let previous_rejection = self
            .history
            .iter()
            .rev()
            .take_while(|record| !record.counts_as_attempt())
            .find(|record| record.retry_count == self.retry_count)
            .map(|record| record.response_code);
        let attempt = Attempt {
            retry_count: self.retry_count,
            reference_data: self.reference_data.clone(),
            date_first_attempt: self.date_first_attempt.unwrap_or(now),
            merchant_transaction_id: match &derived {
                Some(id) => MerchantTransactionId::Derived { id: id.clone() },
                None => MerchantTransactionId::SupplyNew,
            },
            // The instant `due_at()` named: a retryDate already past when its answer was
            // recorded is not named for the attempt, which was not allowed before then.
            due_at: allowed_at,
            sent_at: now,
            previous_rejection,
        };
        self.state = ChainState::AwaitingResponse {
            due_at,
            sent_at: now,
            merchant_transaction_id: derived,
        };
        Ok(attempt)
    }

    /// What [`RetryChain::next_attempt`] would answer at `now`, without handing anything out
    /// or ending the chain: for a dashboard or a "next retry" view, which must not block the
    /// scheduler that really sends. A limit that `next_attempt` would end the chain on is
    /// reported as the end it would be.
    pub fn peek_attempt(&self, now: UtcTimestamp) -> Result<Attempt, NotReady> {
        self.clone().next_attempt(now)
    }

    /// Records FlexPay's answer to the outstanding attempt, received at `now`.
    ///
    /// Rejected, leaving the chain as it was, when no attempt is outstanding, when the
    /// response echoes another `retryCount` or (derived ids only) another
    /// `merchantTransactionId` than the attempt sent (an empty one counts as none echoed), when `now` is before the attempt was
    /// handed out, when its `retryDate` cannot be read, and when it schedules a retry without
    /// the `referenceData` that retry must echo ([`ChainError::MissingReferenceData`]; FlexPay
    /// sends one with every response, so it was most likely lost on the way).
    ///
    /// A 5xxxx is not an attempt: `retryCount` and `referenceData` stay, and the chain is due
    /// again at once so the fixed request can be sent. 50129 (duplicate
    /// `merchantTransactionId`) is the exception: the attempt stays outstanding, since an
    /// earlier send of it most likely reached FlexPay and its real answer should be recorded.
    pub fn record_response(
        &mut self,
        response: AttemptResponse<'_>,
        now: UtcTimestamp,
    ) -> Result<Transition, ChainError> {
        let (due_at, sent_at, sent_id) = match &self.state {
            ChainState::AwaitingResponse {
                due_at,
                sent_at,
                merchant_transaction_id,
            } => (*due_at, *sent_at, merchant_transaction_id.clone()),
            other => return Err(ChainError::nothing_outstanding(other.status())),
        };
        if let Some(received) = response.retry_count.filter(|&r| r != self.retry_count) {
            return Err(ChainError::RetryCountMismatch {
                expected: self.retry_count,
                received,
            });
        }
        // An empty echo is no id: the answer to a request sent without one (50103).
        let echoed_id = response.merchant_transaction_id.filter(|id| !id.is_empty());
        if let (Some(expected), Some(received)) = (&sent_id, echoed_id) {
            if expected != received {
                return Err(ChainError::MerchantTransactionIdMismatch {
                    expected: expected.clone(),
                    received: received.to_owned(),
                });
            }
        }
        // A 5xxxx refusal echoes what was sent, and a request sent with another amount is
        // refused so (50132, 50137): it is this chain's answer, to fix and resend.
        let refusal = response.response_code.category() == ResponseCategory::ApiValidation;
        if let Some(expected) = self.amount.filter(|_| !refusal) {
            let currency = response.currency_code.filter(|c| !c.is_empty());
            let amount = response.amount.unwrap_or(expected.minor_units());
            if amount != expected.minor_units()
                || currency.is_some_and(|c| c != expected.currency().code())
            {
                let received = match currency.map_or(Ok(expected.currency()), Currency::from_code) {
                    Ok(currency) => Money::new(amount, currency).to_string(),
                    Err(_) => format!("{amount} {}", currency.unwrap_or_default()),
                };
                return Err(ChainError::AmountMismatch {
                    expected: expected.to_string(),
                    received,
                });
            }
        }
        // FlexPay gives every attempt its own transactionId: an answer whose id and code a
        // recorded one has is that answer again (a 50129 may name the original transaction,
        // with its own code).
        if let Some(id) = response.transaction_id.filter(|id| !id.is_empty()) {
            if self.history.iter().any(|record| {
                record.transaction_id.as_deref() == Some(id)
                    && record.response_code == response.response_code
            }) {
                return Err(ChainError::ResponseAlreadyRecorded {
                    transaction_id: id.to_owned(),
                });
            }
        }
        if now < sent_at {
            return Err(ChainError::AnsweredBeforeSent {
                answered_at: now,
                sent_at,
            });
        }
        let retry_date = parse_retry_date(response.retry_date)?;

        let from = self.status();
        let code = response.response_code;
        let date_first_attempt = self.date_first_attempt.unwrap_or(sent_at);
        let decision = decide(
            code,
            retry_date,
            self.retry_count,
            date_first_attempt,
            self.policy,
        );
        // The same refusal the third time in a row for one attempt: resending it unchanged
        // is not fixing it, and what the chain sends itself (its referenceData, retryCount
        // and amount) the caller cannot fix. Resending on would never end.
        let decision = if decision == Decision::FixRequest
            && refused_as_often(&self.history, code, self.retry_count)
        {
            Decision::NeedsInvestigation
        } else {
            decision
        };
        if let Decision::RetryAt { at } = decision {
            if response.reference_data.is_none_or(str::is_empty) {
                return Err(ChainError::MissingReferenceData { retry_date: at });
            }
        }
        let notes = notes_on(decision, retry_date, now);
        let merchant_transaction_id = sent_id.or_else(|| echoed_id.map(str::to_owned));
        let transaction_id = response.transaction_id.map(str::to_owned);
        self.history.push(AttemptRecord {
            retry_count: self.retry_count,
            sent_at,
            answered_at: now,
            merchant_transaction_id: merchant_transaction_id.clone(),
            reference_data_sent: self.reference_data.clone(),
            response_code: code,
            category: code.category(),
            retry_date,
            reference_data: response.reference_data.map(str::to_owned),
            transaction_id: transaction_id.clone(),
            decision,
        });
        let counted = self
            .history
            .last()
            .is_some_and(AttemptRecord::counts_as_attempt);
        if counted {
            self.date_first_attempt = Some(date_first_attempt);
        }

        let next = match decision {
            Decision::FixRequest if code == ResponseCode::MERCHANT_TRANSACTION_ID_NOT_UNIQUE => {
                NextStep::LookUpByMerchantTransactionId {
                    merchant_transaction_id,
                }
            }
            Decision::FixRequest => {
                self.state = ChainState::Scheduled { due_at };
                NextStep::FixAndResend {
                    code,
                    field: code.field(),
                }
            }
            Decision::RetryAt { at } => {
                // decide() allows a retry only below max_retries, so this cannot overflow.
                self.retry_count = self.retry_count.saturating_add(1);
                self.reference_data = response.reference_data.map(str::to_owned);
                self.state = ChainState::Scheduled { due_at: at };
                NextStep::SendAttempt {
                    retry_count: self.retry_count,
                    // A retryDate already past when recorded: at once, when it was recorded.
                    at: self.allowed_from(at),
                }
            }
            Decision::Recovered => {
                self.end(ChainState::Recovered {
                    at: now,
                    transaction_id,
                });
                NextStep::Nothing
            }
            Decision::Unrecoverable { reason } => {
                self.end(ChainState::Unrecoverable {
                    at: now,
                    code,
                    reason,
                });
                NextStep::Nothing
            }
            Decision::RiskBlocked => {
                self.end(ChainState::RiskBlocked { at: now, code });
                NextStep::Nothing
            }
            Decision::NeedsInvestigation => {
                self.end(ChainState::NeedsInvestigation { at: now, code });
                NextStep::Investigate { code }
            }
            Decision::Exhausted { limit } => {
                self.end(ChainState::Exhausted {
                    at: now,
                    limit,
                    code: Some(code),
                });
                // The chain's own limit ended a recovery FlexPay had scheduled a retry of: as
                // after `stop`, a FlexPay that schedules the retries itself is told. After
                // 30100 FlexPay has stopped already.
                match transaction_id.filter(|id| !id.is_empty()) {
                    Some(transaction_id) if limit != RetryLimit::FlexPayLimit => {
                        NextStep::NotifyFlexPayOfStop { transaction_id }
                    }
                    _ => NextStep::Nothing,
                }
            }
        };
        Ok(Transition {
            from,
            to: self.status(),
            decision: Some(decision),
            counted_as_attempt: counted,
            reset: decision.ends_chain(),
            next,
            notes,
        })
    }

    /// [`RetryChain::record_response`] for a whole FlexPay transaction record.
    pub fn record_transaction_response(
        &mut self,
        response: &TransactionResponse,
        now: UtcTimestamp,
    ) -> Result<Transition, ChainError> {
        self.record_response(AttemptResponse::from(response), now)
    }

    /// Returns the outstanding attempt to the schedule, for a request that certainly never
    /// reached FlexPay (the connection was refused, the process stopped before sending). When
    /// unsure, look the transaction up by its `merchantTransactionId` and record that
    /// response instead: a derived id is reused on the next send, so FlexPay refuses a
    /// duplicate rather than charging twice.
    pub fn abandon_attempt(&mut self) -> Result<(), ChainError> {
        match self.state {
            ChainState::AwaitingResponse { due_at, .. } => {
                self.state = ChainState::Scheduled { due_at };
                Ok(())
            }
            ref other => Err(ChainError::nothing_outstanding(other.status())),
        }
    }

    /// Ends the recovery at the merchant's request (for example, the subscription was
    /// cancelled). Not while an attempt is outstanding: its answer might be an approval,
    /// which needs a refund instead. Not at an instant before the chain's latest event (its
    /// start, or the latest answer recorded), as answers and refunds are not.
    pub fn stop(
        &mut self,
        reason: StopReason,
        now: UtcTimestamp,
    ) -> Result<Transition, ChainError> {
        match &self.state {
            ChainState::Scheduled { .. } => {}
            ChainState::AwaitingResponse { .. } => {
                return Err(ChainError::AttemptInFlight {
                    retry_count: self.retry_count,
                })
            }
            ended => {
                return Err(ChainError::ChainEnded {
                    status: ended.status(),
                })
            }
        }
        let latest = self.latest_event();
        if now < latest.at() {
            return Err(ChainError::StopBeforeLatestEvent {
                stopped_at: now,
                latest,
            });
        }
        let from = self.status();
        let next = match self.latest_transaction_id() {
            Some(transaction_id) => NextStep::NotifyFlexPayOfStop {
                transaction_id: transaction_id.to_owned(),
            },
            None => NextStep::Nothing,
        };
        self.end(ChainState::Stopped { at: now, reason });
        Ok(Transition {
            from,
            to: ChainStatus::Stopped,
            decision: None,
            counted_as_attempt: false,
            reset: true,
            next,
            notes: Vec::new(),
        })
    }

    /// Records an approved refund of the recovered payment: `refund_transaction_id` is
    /// FlexPay's id of the refund, `amount` its minor units (`None`: in full, or the rest after
    /// partial refunds), `now` not before the recovery. Refunds go through FlexPay so that it
    /// credits the recovery fee.
    pub fn record_refund(
        &mut self,
        refund_transaction_id: &str,
        amount: Option<i64>,
        now: UtcTimestamp,
    ) -> Result<Transition, ChainError> {
        if refund_transaction_id.trim().is_empty() {
            return Err(ChainError::Required {
                field: "refundTransactionId",
            });
        }
        if let Some(amount) = amount.filter(|&amount| amount <= 0) {
            return Err(ChainError::InvalidRefundAmount { amount });
        }
        let from = self.status();
        let (recovered_at, refunds): (UtcTimestamp, &[Refund]) = match &self.state {
            ChainState::Recovered { at, .. } => (*at, &[]),
            ChainState::RecoveredThenRefunded { at, refunds, .. } => (*at, refunds),
            other => {
                return Err(ChainError::NotRecovered {
                    status: other.status(),
                })
            }
        };
        if now < recovered_at {
            return Err(ChainError::RefundBeforeRecovery {
                refunded_at: now,
                recovered_at,
            });
        }
        if refunds
            .iter()
            .any(|r| r.transaction_id == refund_transaction_id)
        {
            return Err(ChainError::DuplicateRefund {
                transaction_id: refund_transaction_id.to_owned(),
            });
        }
        if refunds_are_full(refunds, self.amount) {
            return Err(ChainError::AlreadyFullyRefunded);
        }
        if let (Some(recovered), Some(requested)) = (self.amount, amount) {
            let already_refunded = partial_refund_total(refunds);
            if already_refunded.saturating_add(requested) > recovered.minor_units() {
                return Err(ChainError::RefundExceedsAmount {
                    recovered: recovered.minor_units(),
                    already_refunded,
                    requested,
                });
            }
        }
        let refund = Refund {
            transaction_id: refund_transaction_id.to_owned(),
            amount,
            refunded_at: now,
        };
        match &mut self.state {
            ChainState::RecoveredThenRefunded { refunds, .. } => refunds.push(refund),
            ChainState::Recovered { at, transaction_id } => {
                let refunded = ChainState::RecoveredThenRefunded {
                    at: *at,
                    transaction_id: transaction_id.take(),
                    refunds: vec![refund],
                };
                self.state = refunded;
            }
            // Ruled out above.
            _ => {}
        }
        Ok(Transition {
            from,
            to: self.status(),
            decision: None,
            counted_as_attempt: false,
            reset: false,
            next: NextStep::Nothing,
            notes: Vec::new(),
        })
    }

    /// The invoice or order id the chain recovers.
    pub fn merchant_reference(&self) -> &str {
        &self.merchant_reference
    }

    pub fn merchant_transaction_id_base(&self) -> Option<&str> {
        self.merchant_transaction_id_base.as_deref()
    }

    pub fn amount(&self) -> Option<Money> {
        self.amount
    }

    pub fn origin(&self) -> ChainOrigin {
        self.origin
    }

    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    pub fn state(&self) -> &ChainState {
        &self.state
    }

    pub fn status(&self) -> ChainStatus {
        self.state.status()
    }

    /// `retryCount` of the next or outstanding attempt; 0 once the chain ended, which is
    /// FlexPay's reset: the customer's next payment starts again at 0.
    pub fn retry_count(&self) -> u32 {
        self.retry_count
    }

    /// The `referenceData` the next attempt echoes; `None` before the first FlexPay answer and
    /// once the chain ended (emptied, as the Integration Guide requires).
    pub fn reference_data(&self) -> Option<&str> {
        self.reference_data.as_deref()
    }

    /// `dateFirstAttempt`: the gateway decline, or the initial attempt through FlexPay once
    /// answered.
    pub fn date_first_attempt(&self) -> Option<UtcTimestamp> {
        self.date_first_attempt
    }

    /// The last instant a retry may be sent under the age limit.
    pub fn deadline(&self) -> Option<UtcTimestamp> {
        self.date_first_attempt
            .and_then(|first| self.policy.deadline(first))
    }

    /// When the next attempt is allowed, while one is scheduled: the instant
    /// [`RetryChain::next_attempt`] first hands it out.
    pub fn due_at(&self) -> Option<UtcTimestamp> {
        match self.state {
            ChainState::Scheduled { due_at } => Some(self.allowed_from(due_at)),
            _ => None,
        }
    }

    /// When an attempt due at `due_at` may be sent: not before the latest recorded answer
    /// either (a `retryDate` already past when its response was recorded, or a clock that
    /// reads earlier), so the attempt's sending and its `dateFirstAttempt` never precede what
    /// the chain holds. [`RetryChain::due_at`], [`NextStep::SendAttempt`] and
    /// [`NotReady::NotYet`] all name this instant.
    fn allowed_from(&self, due_at: UtcTimestamp) -> UtcTimestamp {
        self.history
            .last()
            .map_or(due_at, |record| due_at.max(record.answered_at))
    }

    /// Every request sent through FlexPay for this payment, oldest first.
    pub fn history(&self) -> &[AttemptRecord] {
        &self.history
    }

    /// Attempts FlexPay counted with `retryCount` 1 or more.
    pub fn retries_made(&self) -> u32 {
        let counted = self
            .history
            .iter()
            .filter(|record| record.counts_as_attempt() && record.retry_count >= 1)
            .count();
        u32::try_from(counted).unwrap_or(u32::MAX)
    }

    /// FlexPay's id of the approved charge, once recovered: the transaction to refund.
    pub fn recovered_transaction_id(&self) -> Option<&str> {
        match &self.state {
            ChainState::Recovered { transaction_id, .. }
            | ChainState::RecoveredThenRefunded { transaction_id, .. } => transaction_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the recovered payment has been refunded in full.
    pub fn is_fully_refunded(&self) -> bool {
        match &self.state {
            ChainState::RecoveredThenRefunded { refunds, .. } => {
                refunds_are_full(refunds, self.amount)
            }
            _ => false,
        }
    }

    /// FlexPay's id of the latest counted attempt.
    pub fn latest_transaction_id(&self) -> Option<&str> {
        self.history
            .iter()
            .rev()
            .filter(|record| record.counts_as_attempt())
            .find_map(|record| record.transaction_id.as_deref())
    }

    /// The code of the response that scheduled the next attempt, when that response carried no
    /// `referenceData` for it to echo. Only a chain stored by an earlier flexkit, which
    /// accepted such responses, can be in that state.
    pub(super) fn retry_without_reference_data(&self) -> Option<ResponseCode> {
        if self.retry_count <= self.origin.first_retry_count()
            || self
                .reference_data
                .as_deref()
                .is_some_and(|data| !data.is_empty())
        {
            return None;
        }
        self.history
            .iter()
            .rev()
            .find(|record| record.counts_as_attempt())
            .map(|record| record.response_code)
    }

    fn end(&mut self, state: ChainState) {
        self.state = state;
        self.retry_count = 0;
        self.reference_data = None;
    }

    /// The latest event of the chain: the latest answer recorded, else its start.
    fn latest_event(&self) -> ChainEvent {
        match (self.history.last(), self.origin) {
            (Some(record), _) => ChainEvent::Answer {
                at: record.answered_at,
            },
            (None, ChainOrigin::GatewayDecline { declined_at }) => {
                ChainEvent::GatewayDecline { at: declined_at }
            }
            (None, ChainOrigin::InitialAttemptThroughFlexPay { created_at }) => {
                ChainEvent::Creation { at: created_at }
            }
        }
    }

    fn derived_merchant_transaction_id(&self) -> Option<String> {
        let base = self.merchant_transaction_id_base.as_deref()?;
        let rejected = self
            .history
            .iter()
            .filter(|record| !record.counts_as_attempt() && record.retry_count == self.retry_count)
            .count();
        let suffix = if rejected == 0 {
            format!("-r{}", self.retry_count)
        } else {
            format!("-r{}-{}", self.retry_count, rejected + 1)
        };
        Some(derived_id(base, &suffix))
    }
}

/// `{base}{suffix}` within FlexPay's limit of [`limits::MERCHANT_TRANSACTION_ID`]
/// characters. When that is too long, the base keeps as many of its first characters as fit
/// before `-`, 8 hex digits of its hash and the suffix: ids derived from two long bases that
/// differ only at the end still differ, and the suffix, which names the attempt, is whole, so
/// the ids of one chain's attempts differ from each other (no suffix ends another).
fn derived_id(base: &str, suffix: &str) -> String {
    const MAX: usize = limits::MERCHANT_TRANSACTION_ID;
    /// `-` and 8 hex digits.
    const HASH: usize = 9;
    if base.chars().count() + suffix.len() <= MAX {
        return format!("{base}{suffix}");
    }
    let keep = MAX.saturating_sub(suffix.len() + HASH);
    let head = base
        .char_indices()
        .nth(keep)
        .map_or(base, |(end, _)| base.get(..end).unwrap_or(base));
    // FNV-1a: stable across builds and platforms, as ids kept by a merchant need.
    let hash = base.bytes().fold(0x811C_9DC5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    format!("{head}-{hash:08x}{suffix}")
}

/// A response's `retryDate`, kept to the millisecond, rounded up: FlexPay writes up to seven
/// fraction digits, and a scheduler that keeps the instant as a JavaScript `Date` or epoch
/// milliseconds must find the retry allowed at that instant, never a fraction before it.
fn parse_retry_date(retry_date: Option<&str>) -> Result<Option<UtcTimestamp>, ChainError> {
    match retry_date.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => UtcTimestamp::parse_iso8601(text)
            .map(|at| {
                let below = at.subsec_nanos() % 1_000_000;
                Some(if below == 0 {
                    at
                } else {
                    UtcTimestamp::from_unix_parts(at.unix_seconds(), at.subsec_nanos() - below)
                        .and_then(|floor| floor.checked_add_millis(1))
                        .unwrap_or(at)
                })
            })
            .map_err(|problem| ChainError::InvalidRetryDate {
                retry_date: text.to_owned(),
                problem,
            }),
    }
}

fn notes_on(
    decision: Decision,
    retry_date: Option<UtcTimestamp>,
    now: UtcTimestamp,
) -> Vec<ResponseNote> {
    let mut notes = Vec::new();
    match (decision, retry_date) {
        (Decision::RetryAt { at }, _) if at < now => {
            notes.push(ResponseNote::RetryDateAlreadyPassed { retry_date: at });
        }
        (
            Decision::Recovered
            | Decision::FixRequest
            | Decision::Unrecoverable { .. }
            | Decision::NeedsInvestigation
            | Decision::Exhausted {
                limit: RetryLimit::FlexPayLimit,
            },
            Some(retry_date),
        ) => notes.push(ResponseNote::RetryDateIgnored { retry_date }),
        _ => {}
    }
    notes
}

pub(super) fn partial_refund_total(refunds: &[Refund]) -> i64 {
    refunds
        .iter()
        .filter_map(|refund| refund.amount)
        .fold(0i64, i64::saturating_add)
}

fn refunds_are_full(refunds: &[Refund], recovered: Option<Money>) -> bool {
    refunds.iter().any(|refund| refund.amount.is_none())
        || recovered.is_some_and(|recovered| {
            !refunds.is_empty() && partial_refund_total(refunds) >= recovered.minor_units()
        })
}
