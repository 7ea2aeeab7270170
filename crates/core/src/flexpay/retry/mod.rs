//! Recovering one declined payment through FlexPay: [`RetryChain`], the state machine every
//! CRM integration needs, and [`decide`], the pure rule behind it (reference §10, §11, §13.1–
//! 13.2 and the Integration Guide).
//!
//! # One chain per payment
//!
//! A chain follows ONE payment — an invoice, an order, a subscription period — from its decline
//! to the end of its recovery. `retryCount` and `referenceData` are stored at the transaction
//! level, never per customer: a customer with two declined invoices has two chains.
//!
//! # The rules the chain enforces
//!
//! - The initial attempt at the merchant's own gateway has `retryCount` 0; the first attempt
//!   through FlexPay is retry 1, each later one counts one more
//!   ([`RetryChain::after_gateway_decline`]). When the initial attempt itself goes through
//!   FlexPay, as in the Integration Guide's Step 4, it is sent with `retryCount` 0 and the
//!   retries count 1, 2, … ([`RetryChain::initial_attempt_through_flexpay`]).
//! - Each attempt echoes the `referenceData` of the previous FlexPay response; the first one
//!   through FlexPay sends null.
//! - A retry is sent at FlexPay's `retryDate`, never earlier; a zone-less `retryDate` is UTC.
//!   Without a `retryDate` there is no retry.
//! - Approval, any hard decline and every other end reset the chain: [`RetryChain::retry_count`]
//!   reports 0 and [`RetryChain::reference_data`] `None` from then on, so whatever stores them
//!   starts the customer's next payment at 0 with null.
//! - A 5xxxx is FlexPay rejecting the request, not an attempt: count and `referenceData` stay
//!   and the chain is due again at once, for the fixed request.
//! - Each request needs a new `merchantTransactionId`; the chain derives them from a base
//!   when given one ([`MerchantTransactionId`]).
//! - At most [`RetryPolicy::max_retries`] retries, none after [`RetryPolicy::max_age_days`]
//!   from `dateFirstAttempt` (15 and 30 by default, from the Enterprise-with-Scheduler guide).
//!   Those are FlexPay's own limits: a policy takes 1 to 15 retries and 1 to 30 days
//!   ([`RetryPolicy::check`], the same ranges as the sandbox's recovery limits).
//!
//! # States
//!
//! ```text
//!  new chain ─► Scheduled ── next_attempt, now ≥ dueAt ──► AwaitingResponse
//!                 ▲ │ │                                       │ │
//!                 │ │ └─ next_attempt, now < dueAt: NotYet    │ └─ abandon_attempt ─► Scheduled
//!                 │ │    (unchanged)                          │    (same dueAt)
//!                 │ ├─ stop ─► Stopped                        │
//!                 │ └─ next_attempt past the age limit, or    │ record_response:
//!                 │    no retry allowed ─► Exhausted          │
//!                 ├── 2xxxx or 4xxxx with retryDate ◄─────────┤ (retryCount + 1, dueAt = retryDate)
//!                 └── 5xxxx but 50129 (not an attempt) ◄──────┤ (dueAt unchanged)
//!                                                             ├─ 50129 ─► AwaitingResponse
//!                                                             ├─ 1xxxx ─► Recovered
//!                                                             │            └─ record_refund ─►
//!                                                             │               RecoveredThenRefunded
//!                                                             │               (record_refund again
//!                                                             │               until refunded in full)
//!                                                             ├─ 3xxxx but 30100; 2xxxx without
//!                                                             │  retryDate ─► Unrecoverable
//!                                                             ├─ 4xxxx without retryDate ─► RiskBlocked
//!                                                             ├─ code outside 10000–59999
//!                                                             │  ─► NeedsInvestigation
//!                                                             └─ 30100, retry limit or retryDate
//!                                                                past the age limit ─► Exhausted
//! ```
//!
//! Every state but `Scheduled` and `AwaitingResponse` is terminal ([`ChainStatus::is_terminal`]):
//! [`RetryChain::next_attempt`] refuses with the status, and the count and `referenceData` are
//! reset.
//!
//! # Decisions where the documentation is silent
//!
//! - **The attempt in flight is tracked.** [`RetryChain::next_attempt`] hands the attempt out
//!   and the chain awaits its response; a response arriving when none is awaited, or echoing
//!   another `retryCount` (or derived `merchantTransactionId`), is rejected. The portal can
//!   show "awaiting response since …", and a crash between sending and recording is visible
//!   rather than silently retried.
//! - **Risk with a `retryDate` is retried** at that date, like a soft decline: reference §10
//!   makes 4xxxx final only "unless FlexPay returns a retryDate". It counts as an attempt.
//! - **A hard decline ends the chain even with a `retryDate`.** The Integration Guide resets on
//!   any hard decline; a date there is Engaged Recovery's hand-off to customer outreach (about
//!   40 days out), not a retry of this chain. The date stays in the history and the transition
//!   notes it as ignored.
//! - **An unknown code ends the chain as `NeedsInvestigation`**, dated or not: following the
//!   date of a code whose meaning is unknown could retry a payment FlexPay said to stop.
//! - **So does one 5xxxx refusal the third time in a row for one attempt**
//!   ([`chain::SAME_REFUSALS`]): a refusal is fixed by the caller and resent at once, so one
//!   answered again and again is not being fixed — or is of what the chain sends itself, its
//!   `referenceData`, `retryCount` or amount, which the caller cannot fix — and resending
//!   would never end.
//! - **A `retryDate` past the age limit ends the chain as `Exhausted`**, since using it would
//!   break the limit and retrying earlier would break FlexPay's rule. A date exactly at the
//!   limit is allowed.
//! - **A scheduled attempt not sent before the age limit** ends the chain as `Exhausted` on the
//!   next call to [`RetryChain::next_attempt`] (FlexPay's portal counts such attempts as "miss
//!   schedule").
//! - **50129 (`merchantTransactionId` not unique)** keeps the attempt outstanding: an earlier
//!   send of it most likely reached FlexPay, so its real answer must be fetched and recorded
//!   before anything is sent again, or a payment could be charged twice.
//! - **An unreadable `retryDate` is an error**, not a missing date: ending a recoverable payment
//!   over a formatting problem would lose it, and guessing a time could retry too early. An
//!   empty string counts as no date.
//! - **The first retry defaults to 24 hours after the gateway decline**, the Integration Guide's
//!   "next day"; [`ChainOptions::first_attempt_due_at`] overrides it.
//! - **A stop is refused while an attempt is outstanding**: its answer could be an approval,
//!   which needs a refund rather than a stop. Stopping names the latest FlexPay transaction so
//!   that, where FlexPay schedules the retries itself, the merchant can send the refunded-payment
//!   ("Refund-Payment") request that stops it there too.
//! - **`referenceData` is echoed exactly as last received.** Only the first attempt through
//!   FlexPay sends null. A response that schedules a retry without `referenceData` (or with an
//!   empty one) is refused ([`ChainError::MissingReferenceData`]): FlexPay sends one with every
//!   response and refuses a retry that does not echo it (50132), so it was most likely lost
//!   before it reached the chain. Recorded again with it, the chain goes on; recorded without
//!   its `retryDate`, the recovery ends. [`RetryChain::next_attempt`] therefore never hands out
//!   an attempt that `validate_charge` refuses for its `retryCount` and `referenceData`.
//! - **30100 ("retry limit reached") ends the chain as `Exhausted`**
//!   ([`RetryLimit::FlexPayLimit`]), not as a no-retry code: it is FlexPay saying its own
//!   limit of retries or days for the payment was reached (reference §10.3, §11), which can
//!   come before this chain's policy when the company lowered its limits.
//! - **Time never runs backwards within a chain**: a response recorded before its attempt was
//!   handed out, a first attempt due before the decline (or creation) or past the age limit,
//!   and a refund dated before the recovery are refused with their own codes.
//!
//! # Stored form
//!
//! [`RetryChain::to_json`] writes a camelCase document with `"schemaVersion": 1`;
//! [`RetryChain::from_json`] reads it back, refusing a newer version or a document whose
//! counts, `referenceData` chain or state contradict its history ([`LoadError`]).

mod chain;
mod decision;
mod error;
mod stored;

pub use chain::{
    Attempt, AttemptRecord, AttemptResponse, ChainEvent, ChainOptions, ChainOrigin, ChainState,
    ChainStatus, MerchantTransactionId, NextStep, Refund, ResponseNote, RetryChain, StopReason,
    Transition,
};
pub use decision::{decide, Decision, RetryLimit, RetryPolicy, UnrecoverableReason};
pub use error::{ChainError, LoadError, NotReady};
pub use stored::SCHEMA_VERSION;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
