//! FlexPay (failed-payment recovery) v1: request and response types, validation, response
//! codes, retry rules and the sandbox.

pub mod account;
pub mod gateway;
pub mod list;
pub mod payment_method;
pub mod response_code;
pub mod retry;
pub mod sandbox;
pub mod test_cards;
pub mod transaction;
pub mod transaction_status;
pub mod validate;
pub mod verification;
mod wire;
