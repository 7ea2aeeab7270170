//! Amounts on the Flexiti wire: `number (18,2)` in CAD.
//!
//! flexkit writes them as exact decimal strings (`"10.50"`), a form Flexiti's own examples
//! use and the only one serde_json can write without a float. It reads strings and JSON
//! numbers.
//!
//! A JSON number is read by one rule ([`from_whole`], [`from_f64`]): its magnitude must be
//! below [`NUMBER_LIMIT`] (2^46, 70 368 744 177 664), else it is `amount_out_of_range` with a
//! request to send a string. Below 2^46 a float (what JavaScript holds, and what serde_json
//! without `arbitrary_precision` hands over for a number with a fraction) is less than a cent
//! from its neighbours, so every amount in cents has a float of its own, and the shortest text
//! of that float — what `JSON.stringify` writes — is exactly the amount written. Such a float
//! is converted through that text with [`Money::parse`]; the text is worked out by integer
//! arithmetic (`decimal::short_decimal`), not by float formatting. A float below the limit
//! with no such text had more decimals than cents, such as `0.1 + 0.2`
//! (0.30000000000000004), and is refused as such, as `10.001` is. From 2^46 on two amounts a
//! cent apart can share one float (`80000000000000.01` is held as `80000000000000.015625`
//! and written back as `80000000000000.02`), and above 2^53 whole numbers are rounded too
//! (`9007199254740993` arrives as `9007199254740992`), so no number is taken there, whole
//! ones included: one rule, whatever the number's form. Strings carry every amount of
//! `number (18,2)` exactly.

use core::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

use super::ids::FieldError;
use crate::money::{Currency, Money};
use crate::validation::code;

/// The currency of every Flexiti amount.
pub const CURRENCY: Currency = Currency::CAD;

/// The largest amount `number (18,2)` can carry: 16 integer digits, 2 fraction digits.
pub const MAX_MINOR_UNITS: i64 = 999_999_999_999_999_999;

/// CAD from cents.
pub const fn cad(cents: i64) -> Money {
    Money::new(cents, CURRENCY)
}

/// Reads a decimal dollar amount as CAD, with a message saying how to fix it.
pub fn parse_decimal(text: &str) -> Result<Money, FieldError> {
    if let Some((_, suffix)) = text.rsplit_once(' ') {
        if let Ok(currency) = Currency::from_code(suffix) {
            // Written by `serialize` for a non-CAD amount, so validation can name it.
            check_range(Money::new(0, currency))?;
        }
    }
    let money = Money::parse(text, CURRENCY).map_err(|error| match error.code() {
        // Past what a 64-bit count of cents holds, so past number (18,2) too: worded by
        // Flexiti's limit, never by the count's.
        "amount_overflow" => too_many_digits(),
        "not_minor_units" => FieldError::new(code::NOT_MINOR_UNITS, error.to_string()),
        _ => FieldError::new(code::INVALID_FORMAT, error.to_string()),
    })?;
    check_range(money)?;
    Ok(money)
}

/// The magnitude a JSON number amount must stay below: 2^46 dollars (see the module docs).
pub const NUMBER_LIMIT: u64 = 1 << 46;

fn number_too_large() -> FieldError {
    FieldError::new(
        code::AMOUNT_OUT_OF_RANGE,
        "a number amount must be below 70368744177664 (2^46): from there on a JavaScript \
         number no longer holds every cent exactly, so it may not be the amount written; send \
         the amount as a decimal string such as \"123456789012345.67\"",
    )
}

/// Converts a whole JSON number, see the module docs.
pub fn from_whole(value: i128) -> Result<Money, FieldError> {
    if value.unsigned_abs() >= u128::from(NUMBER_LIMIT) {
        return Err(number_too_large());
    }
    parse_decimal(&value.to_string())
}

/// Converts a JSON number with a fraction, see the module docs.
pub fn from_f64(value: f64) -> Result<Money, FieldError> {
    if !value.is_finite() {
        return Err(FieldError::new(
            code::INVALID_FORMAT,
            "the amount is not a finite number; send a decimal string such as \"10.50\"",
        ));
    }
    // Exact: 2^46 is a float.
    if value.abs() >= NUMBER_LIMIT as f64 {
        return Err(number_too_large());
    }
    // The shortest text of the float when it has at most 2 places, by integer arithmetic
    // (`super::decimal`), so no float formatting is linked.
    match super::decimal::short_decimal(value, 2) {
        Some(text) => parse_decimal(&text),
        // Whatever was written, it had more decimals than cents (`0.1 + 0.2`): worded as
        // `10.001` is, by a decimal with three places (the message names no value).
        None => parse_decimal("0.001"),
    }
}

/// Within `number (18,2)`.
pub fn check_range(money: Money) -> Result<(), FieldError> {
    if money.currency() != CURRENCY {
        return Err(FieldError::new(
            code::INVALID_VALUE,
            format!(
                "Flexiti amounts are in CAD, not {}; convert the amount to Canadian dollars",
                money.currency()
            ),
        ));
    }
    if money.minor_units().unsigned_abs() > MAX_MINOR_UNITS.unsigned_abs() {
        return Err(too_many_digits());
    }
    Ok(())
}

fn too_many_digits() -> FieldError {
    FieldError::new(
        code::AMOUNT_OUT_OF_RANGE,
        "the amount has more than 16 digits before the decimal point, the most Flexiti's \
         number (18,2) allows; check it for extra digits",
    )
}

/// A CAD amount above zero within `number (18,2)`.
pub fn check_positive(money: Money) -> Result<(), FieldError> {
    check_range(money)?;
    if money.is_zero() {
        return Err(FieldError::new(
            code::ZERO_AMOUNT,
            "the amount is 0.00; send an amount of at least 0.01",
        ));
    }
    if money.is_negative() {
        return Err(FieldError::new(
            code::NEGATIVE_AMOUNT,
            "the amount is negative; send the positive amount (the endpoint says which \
             direction the money moves)",
        ));
    }
    Ok(())
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CAD amount as a decimal string or a JSON number")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Money, E> {
        parse_decimal(value).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Money, E> {
        from_whole(i128::from(value)).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Money, E> {
        from_whole(i128::from(value)).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Money, E> {
        from_f64(value).map_err(E::custom)
    }
}

/// `#[serde(with = "amount")]` for a required amount.
/// An amount in another currency is written with its code (`"1.00 USD"`) so that
/// validating the typed request reports the currency instead of silently reading CAD.
pub fn serialize<S: Serializer>(money: &Money, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&wire_text(*money))
}

fn wire_text(money: Money) -> String {
    if money.currency() == CURRENCY {
        money.format()
    } else {
        money.to_string()
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
    deserializer.deserialize_any(AmountVisitor)
}

/// `#[serde(with = "amount::option")]` for an optional amount (omitted when `None`).
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(
        money: &Option<Money>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match money {
            Some(money) => serializer.serialize_str(&wire_text(*money)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Money>, D::Error> {
        struct OptionVisitor;
        impl<'de> Visitor<'de> for OptionVisitor {
            type Value = Option<Money>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CAD amount or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                super::deserialize(d).map(Some)
            }
        }
        deserializer.deserialize_option(OptionVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Holder {
        #[serde(with = "super")]
        amount: Money,
        #[serde(
            with = "super::option",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        other: Option<Money>,
    }

    fn read(json: &str) -> Result<Money, String> {
        serde_json::from_str::<Holder>(json)
            .map(|h| h.amount)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn strings_and_numbers_are_read_exactly() {
        assert_eq!(read(r#"{"amount":"10.50"}"#), Ok(cad(1050)));
        assert_eq!(read(r#"{"amount":10.5}"#), Ok(cad(1050)));
        assert_eq!(read(r#"{"amount":0.07}"#), Ok(cad(7)));
        assert_eq!(read(r#"{"amount":1000}"#), Ok(cad(100000)));
        assert_eq!(
            read(r#"{"amount":123456789012.34}"#),
            Ok(cad(12345678901234))
        );
        assert!(read(r#"{"amount":10.505}"#)
            .unwrap_err()
            .contains("decimal places"));
        assert!(read(r#"{"amount":"1,000.00"}"#).is_err());
        assert!(read(r#"{"amount":12345678901234.567}"#).is_err());
        assert_eq!(
            read(r#"{"amount":12345678901234.56}"#),
            Ok(cad(1234567890123456))
        );
        assert_eq!(
            read(r#"{"amount":12345678901234.5}"#),
            Ok(cad(1234567890123450))
        );
        assert!(read(r#"{"amount":true}"#).is_err());
        assert!(read(r#"{"amount":"99999999999999999.00"}"#).is_err());
        assert_eq!(
            read(r#"{"amount":"9999999999999999.99"}"#),
            Ok(cad(MAX_MINOR_UNITS))
        );
    }

    #[test]
    fn every_amount_past_number_18_2_is_worded_by_flexitis_limit() {
        let past = parse_decimal("90000000000000000.00").unwrap_err();
        assert_eq!(past.code, code::AMOUNT_OUT_OF_RANGE);
        assert!(
            past.message.contains("more than 16 digits"),
            "{}",
            past.message
        );
        // Past a 64-bit count of cents too (above 92233720368547758.07): the same words,
        // never that count's range, which would pass values Flexiti refuses.
        for text in [
            "99999999999999999.99",
            "-99999999999999999.99",
            "92233720368547758.08",
            "123456789012345678901234567890",
        ] {
            assert_eq!(parse_decimal(text).unwrap_err(), past, "{text}");
        }
    }

    #[test]
    fn float_arithmetic_with_more_decimals_than_cents_is_not_minor_units() {
        let ten_point_001 = from_f64(10.001).unwrap_err();
        assert_eq!(ten_point_001.code, code::NOT_MINOR_UNITS);
        for value in [0.1 + 0.2, 1.1 * 3.0, -(0.1 + 0.2), 1e-7, 1234567890123.4567] {
            let error = from_f64(value).unwrap_err();
            assert_eq!(error.code, code::NOT_MINOR_UNITS, "{value}");
            assert_eq!(error.message, ten_point_001.message, "{value}");
        }
        assert_eq!(from_f64(0.3), Ok(cad(30)));
        assert_eq!(from_f64(1234567890123.45), Ok(cad(123456789012345)));
        // Below 2^46 more decimals than cents stay not_minor_units, however large.
        for value in [12_345_678_901_234.567, 70_368_744_177_663.016] {
            assert_eq!(
                from_f64(value).unwrap_err().code,
                code::NOT_MINOR_UNITS,
                "{value}"
            );
        }
    }

    #[test]
    fn a_number_is_taken_below_two_to_the_46_and_refused_from_there_whatever_its_form() {
        // Just below the limit every cent is exact, as a fraction or whole.
        assert_eq!(
            read(r#"{"amount":70368744177663.99}"#),
            Ok(cad(7036874417766399))
        );
        assert_eq!(
            read(r#"{"amount":-70368744177663.99}"#),
            Ok(cad(-7036874417766399))
        );
        assert_eq!(
            read(r#"{"amount":70368744177663}"#),
            Ok(cad(7036874417766300))
        );
        assert_eq!(
            read(r#"{"amount":12345678901234.56}"#),
            Ok(cad(1234567890123456))
        );
        // Every cent near the limit reads back as written.
        for cents in (7_036_874_417_766_400_i64 - 100_000..7_036_874_417_766_400).step_by(7) {
            let text = format!("{}.{:02}", cents / 100, cents % 100);
            let value: f64 = text.parse().unwrap();
            assert_eq!(from_f64(value), Ok(cad(cents)), "{text}");
        }
        // From the limit on: refused, with a request to send a string, whole or not.
        for json in [
            "70368744177664",
            "70368744177664.01",
            "-70368744177664",
            "80000000000000.01",
            "90071992547409.91",
            "9007199254740993",
            "18446744073709551616",
            "1e21",
        ] {
            let error = read(&format!(r#"{{"amount":{json}}}"#)).unwrap_err();
            assert!(error.contains("below 70368744177664"), "{json}: {error}");
            assert!(error.contains("decimal string"), "{json}: {error}");
        }
        for whole in [1_i128 << 46, -(1_i128 << 46), 9_007_199_254_740_993] {
            assert_eq!(
                from_whole(whole).unwrap_err().code,
                code::AMOUNT_OUT_OF_RANGE
            );
        }
        assert_eq!(from_whole((1 << 46) - 1), Ok(cad(((1 << 46) - 1) * 100)));
        // A string carries every amount of number (18,2).
        assert_eq!(
            read(r#"{"amount":"9007199254740993.00"}"#),
            Ok(cad(900719925474099300))
        );
    }

    #[test]
    fn written_as_exact_strings() {
        let holder = Holder {
            amount: cad(100),
            other: Some(cad(-5)),
        };
        assert_eq!(
            serde_json::to_string(&holder).unwrap(),
            r#"{"amount":"1.00","other":"-0.05"}"#
        );
        let back: Holder = serde_json::from_str(r#"{"amount":"1.00","other":null}"#).unwrap();
        assert_eq!(back.other, None);
    }

    #[test]
    fn positive_amounts_in_cad_only() {
        assert_eq!(check_positive(cad(0)).unwrap_err().code, code::ZERO_AMOUNT);
        assert_eq!(
            check_positive(cad(-1)).unwrap_err().code,
            code::NEGATIVE_AMOUNT
        );
        assert_eq!(
            check_positive(Money::new(1, Currency::USD))
                .unwrap_err()
                .code,
            code::INVALID_VALUE
        );
        assert!(check_positive(cad(1)).is_ok());
    }
}
