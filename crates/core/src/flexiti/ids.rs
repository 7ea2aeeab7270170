//! Identifiers and credentials with their documented formats (reference §3.3). Each one is
//! checked when built, so a value of these types is always sendable; the parse errors carry
//! the validation code and a message saying how to fix the value.

use core::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::environment::Environment;
use crate::validation::code;

/// Why a field value does not have its documented format: a [`code`] and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(code: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for FieldError {}

/// Checks an `ASCII string (max)` field: not empty, printable ASCII (space allowed), at most
/// `max` characters. `what` names the field in messages.
pub fn check_ascii(value: &str, max: usize, what: &str) -> Result<(), FieldError> {
    if value.is_empty() {
        return Err(FieldError::new(
            code::REQUIRED,
            format!("{what} is empty; send a value of 1 to {max} characters"),
        ));
    }
    if let Some(bad) = value.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(FieldError::new(
            code::INVALID_FORMAT,
            format!(
                "{what} contains {bad:?}; Flexiti accepts printable ASCII only, so \
                 transliterate or drop the character"
            ),
        ));
    }
    let length = value.len();
    if length > max {
        return Err(FieldError::new(
            code::TOO_LONG,
            format!("{what} has {length} characters; shorten it to at most {max}"),
        ));
    }
    Ok(())
}

fn check_digits(value: &str, min: usize, max: usize, what: &str) -> Result<(), FieldError> {
    if value.is_empty() {
        return Err(FieldError::new(
            code::REQUIRED,
            format!("{what} is empty; send its digits"),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            code::INVALID_FORMAT,
            format!("{what} must be digits only; remove spaces, dashes and other characters"),
        ));
    }
    if value.len() > max {
        return Err(FieldError::new(
            code::TOO_LONG,
            format!("{what} has {} digits; it has at most {max}", value.len()),
        ));
    }
    if value.len() < min {
        return Err(FieldError::new(
            code::TOO_SHORT,
            format!("{what} has {} digits; it has exactly {min}", value.len()),
        ));
    }
    Ok(())
}

/// Accepts a JSON string or a non-negative JSON integer and yields its text, for fields the
/// documentation types as a number on one page and a string on another.
struct DigitsOrString;

impl Visitor<'_> for DigitsOrString {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a non-negative integer")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        if value < 0 {
            Err(E::custom("a negative number is not an identifier"))
        } else {
            Ok(value.to_string())
        }
    }
}

pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    deserializer.deserialize_any(DigitsOrString)
}

/// `client_id`: the merchant's API client, ASCII (100); it also appears in every path.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(transparent)]
pub struct ClientId(String);

impl ClientId {
    pub const MAX_LEN: usize = 100;

    pub fn parse(value: &str) -> Result<ClientId, FieldError> {
        check_ascii(value, Self::MAX_LEN, "client_id")?;
        Ok(ClientId(value.to_owned()))
    }

    /// For values checked earlier (the sandbox's own state).
    pub(crate) fn trusted(value: &str) -> ClientId {
        ClientId(value.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `client_secret`, ASCII (100). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub const MAX_LEN: usize = 100;

    pub fn parse(value: &str) -> Result<ClientSecret, FieldError> {
        check_ascii(value, Self::MAX_LEN, "client_secret")?;
        Ok(ClientSecret(value.to_owned()))
    }

    /// For values checked earlier (the sandbox's own state).
    pub(crate) fn trusted(value: &str) -> ClientSecret {
        ClientSecret(value.to_owned())
    }

    /// The secret itself, for the token request body only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(***)")
    }
}

/// `account_number`, number (14): the Flexiti account (not the card, not the customer). On
/// the wire it is a JSON number; strings of digits are accepted on input.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct AccountNumber(u64);

impl AccountNumber {
    pub const MAX_DIGITS: usize = 14;

    pub fn parse(value: &str) -> Result<AccountNumber, FieldError> {
        check_digits(value, 1, Self::MAX_DIGITS, "account_number")?;
        let number: u64 = value
            .parse()
            .map_err(|_| FieldError::new(code::INVALID_FORMAT, "account_number is not a number"))?;
        AccountNumber::new(number)
    }

    pub fn new(number: u64) -> Result<AccountNumber, FieldError> {
        if number == 0 {
            return Err(FieldError::new(
                code::INVALID_VALUE,
                "account_number 0 does not exist; send the 1 to 14 digit Flexiti account number",
            ));
        }
        if number > 99_999_999_999_999 {
            return Err(FieldError::new(
                code::TOO_LONG,
                "account_number has more than 14 digits; send the Flexiti account number, not \
                 the 16-digit FlexitiCard number (that goes in vcc_number)",
            ));
        }
        Ok(AccountNumber(number))
    }

    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for AccountNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for AccountNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = string_or_number(deserializer)?;
        AccountNumber::parse(&text).map_err(de::Error::custom)
    }
}

/// `vcc_number`: the 16-digit FlexitiCard (virtual credit card) number. Sent as a string
/// (most pages type it ASCII (16)); a JSON number is accepted on input. `Debug` shows only the
/// last four digits.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct VccNumber(String);

impl VccNumber {
    pub const LEN: usize = 16;

    pub fn parse(value: &str) -> Result<VccNumber, FieldError> {
        check_digits(value, Self::LEN, Self::LEN, "vcc_number")?;
        Ok(VccNumber(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits, as `card_ending_in` shows them.
    pub fn last_four(&self) -> &str {
        self.0.get(12..).unwrap_or("")
    }
}

impl fmt::Debug for VccNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VccNumber(************{})", self.last_four())
    }
}

impl<'de> Deserialize<'de> for VccNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = string_or_number(deserializer)?;
        VccNumber::parse(&text).map_err(de::Error::custom)
    }
}

/// `customer_id`: digits, or `master-authorizeduser` digits for a business account's
/// authorized user (`1234567-12345`), at most 20 characters. Older pages typed it number (12);
/// it is sent as a string and a JSON number is accepted on input.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(transparent)]
pub struct CustomerId(String);

impl CustomerId {
    pub const MAX_LEN: usize = 20;

    pub fn parse(value: &str) -> Result<CustomerId, FieldError> {
        check_ascii(value, Self::MAX_LEN, "customer_id")?;
        let mut parts = value.split('-');
        let well_formed = parts.next().is_some_and(is_digits)
            && parts.next().is_none_or(is_digits)
            && parts.next().is_none();
        if !well_formed {
            return Err(FieldError::new(
                code::INVALID_FORMAT,
                "customer_id must be digits, or two groups of digits joined by \"-\" for a \
                 business account's authorized user (as in 1234567-12345)",
            ));
        }
        Ok(CustomerId(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_digits(part: &str) -> bool {
    !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())
}

impl<'de> Deserialize<'de> for CustomerId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = string_or_number(deserializer)?;
        CustomerId::parse(&text).map_err(de::Error::custom)
    }
}

macro_rules! issued_id {
    ($(#[$meta:meta])* $name:ident, $int:ty, $max:expr, $wire:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub struct $name {
            environment: Environment,
            number: $int,
        }

        impl $name {
            /// The largest number the documented width allows.
            pub const MAX: $int = $max;

            /// An id Flexiti issued in `environment`, as stored by the merchant.
            pub const fn new(environment: Environment, number: $int) -> $name {
                $name { environment, number }
            }

            /// Reads the digits of a stored id; `environment` is where it was issued.
            pub fn parse(environment: Environment, value: &str) -> Result<$name, FieldError> {
                let digits = Self::MAX.to_string().len();
                check_digits(value, 1, digits, $wire)?;
                let number: $int = value.parse().map_err(|_| {
                    FieldError::new(code::INVALID_FORMAT, concat!($wire, " is not a number"))
                })?;
                Ok($name::new(environment, number))
            }

            pub const fn environment(self) -> Environment {
                self.environment
            }

            pub const fn number(self) -> $int {
                self.number
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.number)
            }
        }
    };
}

issued_id!(
    /// `authorization_id`, number (16), with the environment that issued it.
    AuthorizationId,
    u64,
    9_999_999_999_999_999,
    "authorization_id"
);
issued_id!(
    /// `capture_id`, number (9), with the environment that issued it.
    CaptureId,
    u32,
    999_999_999,
    "capture_id"
);
issued_id!(
    /// `return_id`, number (16), with the environment that issued it.
    ReturnId,
    u64,
    9_999_999_999_999_999,
    "return_id"
);

/// Free-text ids the merchant chooses (`request_id`, `external_location_id`,
/// `external_employee_id`, `plan_id`). Flexiti documents no length; flexkit caps them at
/// [`MerchantText::MAX_LEN`] printable ASCII characters so that oversized values are caught
/// before the call.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(transparent)]
pub struct MerchantText(String);

impl MerchantText {
    pub const MAX_LEN: usize = 50;

    pub fn parse(value: &str, what: &str) -> Result<MerchantText, FieldError> {
        check_ascii(value, Self::MAX_LEN, what)?;
        Ok(MerchantText(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for MerchantText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = string_or_number(deserializer)?;
        MerchantText::parse(&text, "value").map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_numbers_are_one_to_fourteen_digits() {
        assert_eq!(
            AccountNumber::parse("12345678901234").unwrap().get(),
            12345678901234
        );
        assert_eq!(
            AccountNumber::parse("123456789012345").unwrap_err().code,
            code::TOO_LONG
        );
        assert_eq!(
            AccountNumber::parse("12a").unwrap_err().code,
            code::INVALID_FORMAT
        );
        assert_eq!(AccountNumber::parse("").unwrap_err().code, code::REQUIRED);
        assert_eq!(
            AccountNumber::parse("0").unwrap_err().code,
            code::INVALID_VALUE
        );
        let from_number: AccountNumber = serde_json::from_str("42").unwrap();
        let from_string: AccountNumber = serde_json::from_str("\"42\"").unwrap();
        assert_eq!(from_number, from_string);
        assert_eq!(serde_json::to_string(&from_number).unwrap(), "42");
        assert!(serde_json::from_str::<AccountNumber>("-1").is_err());
    }

    #[test]
    fn vcc_numbers_are_sixteen_digits_and_masked_in_debug() {
        let vcc = VccNumber::parse("6011000000001234").unwrap();
        assert_eq!(format!("{vcc:?}"), "VccNumber(************1234)");
        assert_eq!(
            VccNumber::parse("601100000000123").unwrap_err().code,
            code::TOO_SHORT
        );
        assert_eq!(
            serde_json::from_str::<VccNumber>("6011000000001234").unwrap(),
            vcc
        );
        assert_eq!(serde_json::to_string(&vcc).unwrap(), "\"6011000000001234\"");
    }

    #[test]
    fn customer_ids_allow_the_authorized_user_form() {
        assert!(CustomerId::parse("1234567-12345").is_ok());
        assert!(CustomerId::parse("123456789012").is_ok());
        for bad in ["12-", "-1", "1-2-3", "abc", "123456789012345678901"] {
            assert!(CustomerId::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            serde_json::from_str::<CustomerId>("123").unwrap().as_str(),
            "123"
        );
    }

    #[test]
    fn secrets_and_ascii_limits() {
        let secret = ClientSecret::parse("s3cr3t").unwrap();
        assert_eq!(format!("{secret:?}"), "ClientSecret(***)");
        assert_eq!(
            ClientId::parse(&"a".repeat(101)).unwrap_err().code,
            code::TOO_LONG
        );
        assert_eq!(
            ClientId::parse("caf\u{e9}").unwrap_err().code,
            code::INVALID_FORMAT
        );
        assert!(ClientId::parse(&"a".repeat(100)).is_ok());
    }

    #[test]
    fn issued_ids_respect_their_widths() {
        assert!(CaptureId::parse(Environment::Training, "999999999").is_ok());
        assert_eq!(
            CaptureId::parse(Environment::Training, "1000000000")
                .unwrap_err()
                .code,
            code::TOO_LONG
        );
        let id = AuthorizationId::parse(Environment::Production, "9999999999999999").unwrap();
        assert_eq!(id.environment(), Environment::Production);
        assert_eq!(id.to_string(), "9999999999999999");
    }
}
