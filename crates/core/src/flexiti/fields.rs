//! Reading request JSON field by field, collecting every problem with its path instead of
//! stopping at the first one. Every request validator reads through this, whether the input
//! is a caller's JSON text or a typed request serialized back to JSON, so both paths apply
//! exactly the same rules.

use serde_json::{Map, Value};

use super::amount;
use super::ids::FieldError;
use crate::money::Money;
use crate::validation::{code, Validation};

/// Inputs larger than this are refused before parsing: no Flexiti request comes close.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;

/// Parses request text into its top-level object, or records why it cannot.
pub(crate) fn parse_object(text: &str, validation: &mut Validation) -> Option<Map<String, Value>> {
    if text.len() > MAX_INPUT_BYTES {
        validation.error(
            "",
            code::INPUT_TOO_LARGE,
            format!(
                "the request is {} bytes; Flexiti requests are far smaller than the {} byte cap, \
                 so check that the right text was passed",
                text.len(),
                MAX_INPUT_BYTES
            ),
        );
        return None;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Some(map),
        Ok(_) => {
            validation.error(
                "",
                code::WRONG_TYPE,
                "the request body must be a JSON object ({...})",
            );
            None
        }
        Err(error) if error.to_string().contains("recursion limit") => {
            validation.error(
                "",
                code::TOO_DEEPLY_NESTED,
                "the request nests objects or arrays too deeply; Flexiti requests are at most \
                 three levels deep",
            );
            None
        }
        Err(error) => {
            // In the caller's words, not serde's: where the text stops being JSON.
            let message = if error.is_eof() {
                "the request is not valid JSON: it ends before its last value does; send the \
                 whole text"
                    .to_owned()
            } else {
                let before: usize = text
                    .split_inclusive('\n')
                    .take(error.line().saturating_sub(1))
                    .map(|line| line.chars().count())
                    .sum();
                format!(
                    "the request is not valid JSON: it stops making sense at character {}; fix \
                     the syntax there",
                    before + error.column().max(1)
                )
            };
            validation.error("", code::MALFORMED_JSON, message);
            None
        }
    }
}

/// An amount's message with the field it is about named: the amount rules word their
/// messages for a field called `amount` ("amount has more than 2 decimal places", "the
/// amount is 0.00"), so another field (`sku_data.transaction_total`) takes its own path there.
fn named_amount(path: &str, message: String) -> String {
    if path == "amount" {
        return message;
    }
    for prefix in ["the amount ", "amount "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return format!("{path} {rest}");
        }
    }
    message
}

/// One JSON object being read, with the path of the object from the body's root.
pub(crate) struct Input<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Input<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>, prefix: impl Into<String>) -> Input<'a> {
        Input {
            map,
            prefix: prefix.into(),
        }
    }

    pub(crate) fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// The value of `key`; `null` counts as absent, as Flexiti treats it.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Reports every key not in `known`.
    pub(crate) fn unknown(&self, known: &[&str], validation: &mut Validation) {
        for key in self.map.keys() {
            if !known.contains(&key.as_str()) {
                validation.error(
                    self.path(key),
                    code::UNKNOWN_FIELD,
                    format!(
                        "{key:?} is not a field of this request; remove it or check its \
                         spelling (fields: {})",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn missing(&self, key: &str, required: bool, validation: &mut Validation) {
        if required {
            validation.error(
                self.path(key),
                code::REQUIRED,
                format!("{} is required; add it", self.path(key)),
            );
        }
    }

    fn wrong_type(&self, key: &str, expected: &str, value: &Value, validation: &mut Validation) {
        validation.error(
            self.path(key),
            code::WRONG_TYPE,
            format!(
                "{} must be {expected}, not {}",
                self.path(key),
                type_name(value)
            ),
        );
    }

    /// A field whose text form is checked by `parse`. Strings are taken as they are;
    /// non-negative integers are taken by their digits (ids typed as numbers on some pages).
    pub(crate) fn parse<T>(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        let value = match self.get(key) {
            None => {
                self.missing(key, required, validation);
                return None;
            }
            Some(value) => value,
        };
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(number) if number.is_u64() => number.to_string(),
            other => {
                self.wrong_type(key, "a string", other, validation);
                return None;
            }
        };
        match parse(&text) {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                validation.error(self.path(key), error.code, error.message);
                None
            }
        }
    }

    /// A string field only (numbers refused).
    pub(crate) fn text<T>(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        match self.get(key) {
            Some(Value::String(_)) | None => self.parse(key, required, validation, parse),
            Some(other) => {
                self.wrong_type(key, "a string", other, validation);
                None
            }
        }
    }

    /// An amount: a decimal string or a JSON number; `check` applies the field's rule.
    pub(crate) fn amount(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
        check: fn(Money) -> Result<(), FieldError>,
    ) -> Option<Money> {
        let value = match self.get(key) {
            None => {
                self.missing(key, required, validation);
                return None;
            }
            Some(value) => value,
        };
        let parsed = match value {
            Value::String(text) => amount::parse_decimal(text),
            // One rule for every JSON number (`amount` module docs).
            Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
                (Some(whole), _, _) => amount::from_whole(i128::from(whole)),
                (None, Some(whole), _) => amount::from_whole(i128::from(whole)),
                (None, None, Some(float)) => amount::from_f64(float),
                _ => amount::from_f64(f64::NAN),
            },
            other => {
                self.wrong_type(
                    key,
                    "an amount (a decimal string such as \"10.50\")",
                    other,
                    validation,
                );
                return None;
            }
        };
        match parsed.and_then(|money| check(money).map(|()| money)) {
            Ok(money) => Some(money),
            Err(error) => {
                let path = self.path(key);
                let message = named_amount(&path, error.message);
                validation.error(path, error.code, message);
                None
            }
        }
    }

    pub(crate) fn boolean(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
    ) -> Option<bool> {
        match self.get(key) {
            None => {
                self.missing(key, required, validation);
                None
            }
            Some(Value::Bool(flag)) => Some(*flag),
            Some(Value::String(text)) if text == "true" || text == "false" => Some(text == "true"),
            Some(other) => {
                self.wrong_type(key, "true or false", other, validation);
                None
            }
        }
    }

    /// An integer in `min..=max`; digit strings are accepted (query strings carry text).
    pub(crate) fn integer(
        &self,
        key: &str,
        required: bool,
        range: (i64, i64),
        validation: &mut Validation,
    ) -> Option<i64> {
        let value = match self.get(key) {
            None => {
                self.missing(key, required, validation);
                return None;
            }
            Some(value) => value,
        };
        let number = match value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) if !text.is_empty() && text.len() <= 18 => text.parse().ok(),
            _ => None,
        };
        match number {
            Some(number) if (range.0..=range.1).contains(&number) => Some(number),
            Some(_) | None if matches!(value, Value::Number(_) | Value::String(_)) => {
                validation.error(
                    self.path(key),
                    code::INVALID_VALUE,
                    format!(
                        "{} must be a whole number from {} to {}",
                        self.path(key),
                        range.0,
                        range.1
                    ),
                );
                None
            }
            _ => {
                self.wrong_type(key, "a whole number", value, validation);
                None
            }
        }
    }

    pub(crate) fn object(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
    ) -> Option<Input<'a>> {
        match self.get(key) {
            None => {
                self.missing(key, required, validation);
                None
            }
            Some(Value::Object(map)) => Some(Input::new(map, self.path(key))),
            Some(other) => {
                self.wrong_type(key, "an object", other, validation);
                None
            }
        }
    }

    pub(crate) fn array(&self, key: &str, validation: &mut Validation) -> Option<&'a Vec<Value>> {
        match self.get(key) {
            None => None,
            Some(Value::Array(items)) => Some(items),
            Some(other) => {
                self.wrong_type(key, "an array", other, validation);
                None
            }
        }
    }

    /// Calls `each` with every element of an array of objects, in order, each with its
    /// `key[i]` path; elements that are not objects are reported in their place.
    pub(crate) fn each_object(
        &self,
        key: &str,
        validation: &mut Validation,
        mut each: impl FnMut(Input<'a>, &mut Validation),
    ) {
        let items = self
            .array(key, validation)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (index, item) in items.iter().enumerate() {
            let path = format!("{}[{index}]", self.path(key));
            match item {
                Value::Object(map) => each(Input::new(map, path), validation),
                other => validation.error(
                    path,
                    code::WRONG_TYPE,
                    format!("each element must be an object, not {}", type_name(other)),
                ),
            }
        }
    }
}
