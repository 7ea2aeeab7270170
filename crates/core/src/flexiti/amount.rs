//! Amounts on the Flexiti wire: `number (18,2)` in CAD.
//!
//! flexkit writes them as exact decimal strings (`"10.50"`), a form Flexiti's own examples
//! use and the only one serde_json can write without a float. It reads strings and JSON
//! numbers. serde_json (without `arbitrary_precision`) hands a JSON number with a fraction
//! over as an `f64`; its shortest round-trip text is exactly the decimal that was written
//! whenever that has at most 15 significant digits, so such numbers are converted through
//! that text with [`Money::parse`]; the text is worked out by integer arithmetic
//! (`decimal::short_decimal`), not by float formatting. Longer text is a number
//! with more decimals than cents, such as `0.1 + 0.2` (0.30000000000000004), when the float
//! still tells its cents apart (below 10^13: at most 13 integer digits and 2 decimals fit in
//! 15 significant digits), and is refused as such, as `10.001` is; above that the cents
//! cannot be told apart and it is refused with a request to send a string.

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
    let money = Money::parse(text, CURRENCY).map_err(|error| {
        let code = match error.code() {
            "not_minor_units" => code::NOT_MINOR_UNITS,
            "amount_overflow" => code::AMOUNT_OUT_OF_RANGE,
            _ => code::INVALID_FORMAT,
        };
        FieldError::new(code, error.to_string())
    })?;
    check_range(money)?;
    Ok(money)
}

/// Converts a JSON number with a fraction, see the module docs.
pub fn from_f64(value: f64) -> Result<Money, FieldError> {
    if !value.is_finite() {
        return Err(FieldError::new(
            code::INVALID_FORMAT,
            "the amount is not a finite number; send a decimal string such as \"10.50\"",
        ));
    }
    /// The significant digits an `f64` carries exactly.
    const EXACT_DIGITS: usize = 15;
    /// Below 10^13 (13 integer digits and 2 decimals within [`EXACT_DIGITS`]) a float still
    /// tells its cents apart.
    const CENTS_TELL_APART: f64 = 1e13;
    // The shortest text of the float when it has at most 2 places, by integer arithmetic
    // (`super::decimal`), so no float formatting is linked.
    match super::decimal::short_decimal(value, 2) {
        Some(text) => {
            let significant = text
                .bytes()
                .filter(u8::is_ascii_digit)
                .skip_while(|&b| b == b'0')
                .count();
            if significant > EXACT_DIGITS {
                return Err(out_of_range());
            }
            parse_decimal(&text)
        }
        // Whatever was written, it had more decimals than cents (`0.1 + 0.2`): worded as
        // `10.001` is, by a decimal with three places (the message names no value).
        None if value.abs() < CENTS_TELL_APART => parse_decimal("0.001"),
        None => Err(out_of_range()),
    }
}

fn out_of_range() -> FieldError {
    FieldError::new(
        code::AMOUNT_OUT_OF_RANGE,
        "the amount has more digits than a JSON number carries exactly; send it as a decimal \
         string such as \"1234567890123456.78\"",
    )
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
        return Err(FieldError::new(
            code::AMOUNT_OUT_OF_RANGE,
            "the amount has more than 16 digits before the decimal point, the most Flexiti's \
             number (18,2) allows; check it for extra digits",
        ));
    }
    Ok(())
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
        parse_decimal(&value.to_string()).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Money, E> {
        parse_decimal(&value.to_string()).map_err(E::custom)
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
    fn float_arithmetic_with_more_decimals_than_cents_is_not_minor_units() {
        let ten_point_001 = from_f64(10.001).unwrap_err();
        assert_eq!(ten_point_001.code, code::NOT_MINOR_UNITS);
        for value in [0.1 + 0.2, 1.1 * 3.0, -(0.1 + 0.2), 1e-7, 1234567890123.4567] {
            let error = from_f64(value).unwrap_err();
            assert_eq!(error.code, code::NOT_MINOR_UNITS, "{value}");
            assert_eq!(error.message, ten_point_001.message, "{value}");
        }
        // Past 10^13 a float no longer tells the cents apart: send a string.
        for value in [12345678901234.567, 99999999999999.99, 1e21] {
            let error = from_f64(value).unwrap_err();
            assert_eq!(error.code, code::AMOUNT_OUT_OF_RANGE, "{value}");
            assert!(error.message.contains("decimal string"), "{value}");
        }
        assert_eq!(from_f64(0.3), Ok(cad(30)));
        assert_eq!(from_f64(1234567890123.45), Ok(cad(123456789012345)));
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
