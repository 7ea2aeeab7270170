//! A `u64` written to JSON as a decimal string (`"14727398570297897940"`), read from either a
//! string or a number.
//!
//! JavaScript reads every JSON number as a double, exact only up to 2^53; a snapshot that
//! passes through `JSON.parse` and `JSON.stringify` (a pretty-printed fixture, a JSON column)
//! would silently change a larger number, and with it a sandbox's random stream or an id. As
//! a string it survives unchanged. Numbers are still read, for documents written before;
//! a number JavaScript already rounded cannot be told from an exact one, so only the string
//! form is safe.
//!
//! Use with `#[serde(with = "crate::u64_text")]`.

#[cfg(test)]
use core::fmt;

#[cfg(test)]
use serde::de::{self, Visitor};
#[cfg(test)]
use serde::Deserializer;
use serde::Serializer;

pub(crate) fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// serde's reader, for the tests' comparison with [`read`].
#[cfg(test)]
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    deserializer.deserialize_any(DecimalU64)
}

/// The same, for [`crate::json_reader`]: accepts and refuses what [`deserialize`] does.
pub(crate) fn read(r: &mut crate::json_reader::Reader<'_>) -> crate::json_reader::Read<u64> {
    use crate::json_reader::Number;
    const EXPECTED: &str = "a whole number from 0 to 18446744073709551615, as a string of digits";
    match r.ws() {
        Some(b'"') => {
            let text = r.string(EXPECTED)?;
            let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| text.parse().ok()).flatten().ok_or_else(|| {
                r.fail(format!(
                    "invalid value: string {text:?}, expected {EXPECTED}"
                ))
            })
        }
        Some(b'-' | b'0'..=b'9') => match r.number_value(EXPECTED)? {
            Number::Unsigned(value) => Ok(value),
            Number::Negative(value) => Err(r.fail(format!(
                "invalid value: integer `{value}`, expected {EXPECTED}"
            ))),
            Number::Float(value) => Err(r.float_refused(value, EXPECTED)),
        },
        _ => Err(r.invalid_type_any(EXPECTED)),
    }
}

#[cfg(test)]
struct DecimalU64;

#[cfg(test)]
impl Visitor<'_> for DecimalU64 {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number from 0 to 18446744073709551615, as a string of digits")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<u64, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<u64, E> {
        u64::try_from(value).map_err(|_| E::invalid_value(de::Unexpected::Signed(value), &self))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<u64, E> {
        // Digits only: no sign, no spaces, no exponent (`u64::from_str` would take a `+`).
        let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        digits
            .then(|| text.parse().ok())
            .flatten()
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
    }
}

/// Helpers for the snapshot tests.
#[cfg(test)]
pub(crate) mod testing {
    /// `text` after JavaScript's `JSON.parse` and `JSON.stringify(value, null, 1)`: keys
    /// kept in their order, every number read as a double, so integers above 2^53 come back
    /// rounded, and whitespace added.
    pub(crate) fn through_javascript(text: &str) -> String {
        let mut out = String::with_capacity(text.len() * 2);
        let mut chars = text.chars().peekable();
        let mut in_string = false;
        let mut escaped = false;
        while let Some(c) = chars.next() {
            if in_string {
                out.push(c);
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                '-' | '0'..='9' => {
                    let mut token = String::from(c);
                    while let Some(&next) = chars.peek() {
                        if !matches!(next, '0'..='9' | '.' | 'e' | 'E' | '+' | '-') {
                            break;
                        }
                        token.push(next);
                        chars.next();
                    }
                    let double: f64 = token.parse().expect("a JSON number");
                    // JSON.stringify writes an integral double in full, without a fraction.
                    if double.fract() == 0.0 && (0.0..1.8e19).contains(&double) {
                        out.push_str(&(double as u64).to_string());
                    } else if double.fract() == 0.0 && double > -9.2e18 {
                        out.push_str(&(double as i64).to_string());
                    } else {
                        out.push_str(&double.to_string());
                    }
                }
                ',' | '{' | '[' => {
                    out.push(c);
                    out.push_str("\n ");
                }
                ':' => out.push_str(": "),
                _ => out.push(c),
            }
        }
        out
    }

    /// `text` with every `"key":"<digits>"` of the given keys written as a number, as
    /// documents were before these values became strings.
    pub(crate) fn as_numbers(text: &str, keys: &[&str]) -> String {
        let mut document = text.to_owned();
        for key in keys {
            let pattern = format!("\"{key}\":\"");
            let mut from = 0;
            while let Some(found) = document[from..].find(&pattern) {
                let open = from + found + pattern.len() - 1;
                let close = open + 1 + document[open + 1..].find('"').expect("a string");
                let digits = document[open + 1..close].to_owned();
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    document.replace_range(open..=close, &digits);
                }
                from = open + 1;
            }
        }
        document
    }

    #[test]
    fn javascript_rounds_what_a_double_cannot_hold() {
        let text = r#"{"a":14727398570297897940,"b":"14727398570297897940","c":[7,-3,1.5]}"#;
        let value: serde_json::Value = serde_json::from_str(&through_javascript(text)).unwrap();
        let rounded = 14_727_398_570_297_897_940_u64 as f64 as u64;
        assert_ne!(rounded, 14_727_398_570_297_897_940);
        assert_eq!(value["a"], rounded);
        assert_eq!(value["b"], "14727398570297897940");
        assert_eq!(value["c"], serde_json::json!([7, -3, 1.5]));
        assert_eq!(
            as_numbers(r#"{"id":"12","id":"x","rng":"3","n":"4"}"#, &["id", "rng"]),
            r#"{"id":12,"id":"x","rng":3,"n":"4"}"#
        );
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(with = "super")]
        value: u64,
    }

    fn read(text: &str) -> Result<u64, serde_json::Error> {
        serde_json::from_str::<Holder>(text).map(|h| h.value)
    }

    #[test]
    fn written_as_a_string_of_digits_and_read_back_exactly() {
        for value in [0, 1, (1 << 53) + 1, 14_727_398_570_297_897_940, u64::MAX] {
            let text = serde_json::to_string(&Holder { value }).unwrap();
            assert_eq!(text, format!("{{\"value\":\"{value}\"}}"));
            assert_eq!(read(&text).unwrap(), value);
        }
    }

    #[test]
    fn numbers_of_older_documents_are_read_too() {
        assert_eq!(
            read(r#"{"value":14727398570297897940}"#).unwrap(),
            14_727_398_570_297_897_940
        );
        assert_eq!(read(r#"{"value":7}"#).unwrap(), 7);
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            r#"{"value":-1}"#,
            r#"{"value":1.5}"#,
            r#"{"value":1e3}"#,
            r#"{"value":""}"#,
            r#"{"value":"+1"}"#,
            r#"{"value":"-1"}"#,
            r#"{"value":" 1"}"#,
            r#"{"value":"0x10"}"#,
            r#"{"value":"18446744073709551616"}"#,
            r#"{"value":null}"#,
            r#"{"value":true}"#,
        ] {
            assert!(read(text).is_err(), "{text}");
        }
    }
}
