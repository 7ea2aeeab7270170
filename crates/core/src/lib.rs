//! # flexkit-core
//!
//! The pure-Rust heart of flexkit: card checks, money, the FlexPay and Flexiti request types,
//! their validation, the retry rules and the sandbox engine. It never reads a clock or touches
//! a browser API: time comes in as a parameter, so every rule is deterministic and testable.
//! The npm package (`crates/wasm`) and the portal (`crates/portal`) are thin layers over it.

pub mod card;
pub mod card_input;
pub mod flexiti;
pub mod flexpay;
#[cfg(any(test, feature = "test-support"))]
pub mod json_edits;
pub mod json_objects;
pub mod json_path;
pub mod json_reader;
pub mod json_writer;
pub mod money;
pub mod sorting;
pub mod time;
mod u64_text;
pub mod validation;

pub use card::{check_card_number, detect_brand, luhn_valid, CardBrand, CardNumberCheck};
pub use money::{Currency, Money, MoneyError, UnknownCurrency};
pub use time::{CivilDate, TimeError, UtcTimestamp, ZoneDesignator};
pub use validation::{Problem, Severity, Validation};

/// The version of flexkit, shared by the crate, the npm package and the portal.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
