//! Recovering one declined payment through FlexPay: [`RetryChain`], the state machine every
//! CRM integration needs, and [`decide`], the pure rule behind it.
//!
//! Placeholder docs; see below.

mod chain;
mod decision;
mod error;
mod stored;

pub use chain::{
    Attempt, AttemptRecord, AttemptResponse, ChainOptions, ChainOrigin, ChainState, ChainStatus,
    MerchantTransactionId, NextStep, Refund, ResponseNote, RetryChain, StopReason, Transition,
};
pub use decision::{decide, Decision, RetryLimit, RetryPolicy, UnrecoverableReason};
pub use error::{ChainError, LoadError, NotReady};
pub use stored::SCHEMA_VERSION;
