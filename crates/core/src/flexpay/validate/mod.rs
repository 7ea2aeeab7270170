//! Validation of FlexPay v1 requests: every problem at once, each with a JSON path from the
//! body's root (`transaction.paymentMethod.expiryMonth`, `paymentMethod.creditCard.cvv`), a
//! stable code from [`crate::validation::code`] and a message that says how to fix it.
//!
//! Two entry points per request: `validate_*` takes the typed request, and
//! `validate_*_json` takes the JSON text, reports what only the text shows (wrong JSON types,
//! unknown or misspelt fields, a missing envelope, the deprecated `assignedGatewayToken`) and
//! then runs the typed validation too (see [`crate::validation::json`]).
//! [`flexpay_response_code`] tells which 5xxxx code FlexPay answers for a problem.
//!
//! Validating a correct request allocates nothing: paths and messages are built only for
//! problems.
//!
//! # Rules, and where they come from
//!
//! - Required: `merchantTransactionId` (every transaction call), `orderId`, `currencyCode`,
//!   `amount`, `retryCount` (charge and authorize); for a raw card `creditCardNumber`,
//!   `expiryMonth`, `expiryYear`, `postalCode`, `city` and `state`; for a gateway payment
//!   method `gatewayPaymentMethodId`, `postalCode`, `city` and `state`; for a vaulted card
//!   `paymentMethodId`. The card holder's name as `fullName`, or as `firstName` and
//!   `lastName` (50090). `customerId` or `paymentMethod.email` (50048), except on a vaulted
//!   card, which carries its customer. Blank strings count as missing.
//! - Card: digits only, a length its brand issues (`invalid_card_number`), the Luhn checksum
//!   (`invalid_luhn`); `expiryMonth` two digits 01–12 and `expiryYear` four digits
//!   (`invalid_format`); the CVV as many digits as the brand prints (4 for American
//!   Express, else 3: `invalid_cvv`). A card is valid through the last day of its expiry
//!   month, in UTC; after that it is `expired` — except the six FlexPay sandbox test cards in
//!   the [`Environment::Sandbox`] environment, whose printed expiry dates are long past
//!   (reference §15.2, §19), and whose CVV may be one of the sandbox's three-digit triggers
//!   (§15.4) whatever the brand prints (the American Express test card's is four digits). An expired card stored at the gateway is only a warning: the
//!   gateway may hold its renewal under the same token.
//! - Money: `currencyCode` an active ISO 4217 code, case-sensitive (`unknown_currency`,
//!   suggesting the upper-case code), with a minor unit: the codes ISO gives none (gold, SDR,
//!   XTS, XXX, …) are units of account, not payment currencies (`unknown_currency` too); amounts above zero and at most 2^53 − 1 minor units,
//!   so that JavaScript holds them exactly (`amount_out_of_range`).
//! - Times: `dateFirstAttempt` ISO 8601 in UTC (`Z` or a zero offset); another offset is
//!   `not_utc`, no zone at all is read as UTC with a `not_utc` warning, and a time more than
//!   five minutes after `now` is an error.
//! - Lengths: FlexPay publishes none; flexkit's limits are in [`limits`].
//! - Format: country codes two upper-case letters (one ISO 3166-1 does not assign, such as
//!   `UK` for `GB`, is an `invalid_value` warning), emails of the usual shape, `customerIp` an
//!   IPv4 or IPv6 address.
//! - Company codes: letters and digits, as FlexPay's portal asks. FlexPay's own batch-file
//!   example uses `FP_01`, so an underscore is a warning rather than an error; anything else
//!   is an error, since the code also starts batch file names.
//! - Gateways: a `gatewayType` flexkit does not know, or one missing from FlexPay's
//!   documented list, is a warning (FlexPay adds gateways); a known code in the wrong case
//!   and the `flexpay_declined` placeholder are errors.
//!
//! # `retryCount` and `referenceData`
//!
//! The Integration Guide describes two ways a chain of attempts starts. Usually the
//! merchant's own gateway makes the first attempt (`retryCount` 0, not sent to FlexPay) and
//! FlexPay gets the payment from `retryCount` 1, with no `referenceData` yet. In its Step 4
//! the chain instead starts at FlexPay with `retryCount` 0 and empty `referenceData`, so the
//! attempt at `retryCount` 1 already echoes a `referenceData`. Both are valid, hence:
//!
//! | `retryCount` | `referenceData` | Outcome |
//! |---|---|---|
//! | 0 | none | valid: a chain starting at FlexPay |
//! | 0 | sent | warning `reference_data_without_retry`: 0 starts a chain, so the value belongs to an earlier one |
//! | 1 | none | valid: the first FlexPay attempt after the gateway's own |
//! | 1 | sent | valid: the second attempt of a chain that started at FlexPay |
//! | 2 or more | none | error `retry_count_without_reference_data`: the chain's token was lost |
//! | 2 or more | sent | valid |
//!
//! An empty or blank string counts as none (the guide speaks of the field as "emptied"). A
//! `referenceData` with characters FlexPay's values never have (whitespace, quotes) is a
//! warning: it has probably been altered in storage.

mod account;
mod batch;
mod build;
mod checks;
#[cfg(test)]
mod corpus;
#[cfg(test)]
mod fixtures;
mod json;
pub mod limits;
mod list;
mod response_code;
mod transaction;
mod vault;

pub use account::{
    validate_api_key_request, validate_auto_retry_config, validate_company, validate_gateway,
};
pub use batch::BatchIds;
pub(crate) use checks::looks_like_email;
pub(crate) use json::JsonBody;
pub use json::{
    tagged_schemas_json, validate_api_key_request_json, validate_auto_retry_config_json,
    validate_capture_json, validate_charge_json, validate_company_json,
    validate_create_payment_method_json, validate_gateway_json, validate_list_query_json,
    validate_refund_json, validate_tagged, validate_tagged_in_batch, validate_void_json,
    REQUEST_KINDS,
};
pub use list::validate_list_query;
pub use response_code::flexpay_response_code;
pub use transaction::{validate_capture, validate_charge, validate_refund, validate_void};
pub(crate) use vault::validate_recache_for;
pub use vault::{
    validate_create_payment_method, validate_recache_payment_method,
    validate_recache_payment_method_json, validate_update_payment_method,
    validate_update_payment_method_json, NO_EDITABLE_FIELD,
};

pub use crate::validation::json::JsonValidation;

use crate::flexpay::account::Environment;
use crate::time::UtcTimestamp;

/// What validation needs to know about the world: the time, since the core never reads a
/// clock, and the environment the request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidationContext {
    /// The current time, in UTC (card expiry, `dateFirstAttempt`).
    pub now: UtcTimestamp,
    /// Sandbox accepts its test cards' expired dates; production does not.
    pub environment: Environment,
}

impl ValidationContext {
    pub fn new(now: UtcTimestamp, environment: Environment) -> Self {
        ValidationContext { now, environment }
    }
}
