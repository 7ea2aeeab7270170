//! Reading the option objects of the JS API field by field, from the JSON text the JS layer
//! wrote: values named as JavaScript writes them, and unknown keys refused by name, with the
//! field most likely meant.

use flexkit_core::validation::json::suggest;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use crate::js::{error, error_code, number_text, quoted};

pub(crate) fn invalid(message: &str) -> JsValue {
    error(error_code::INVALID_ARGUMENT, message)
}

/// A JSON value as a message names it: strings quoted, numbers as JavaScript writes them.
pub(crate) fn shown(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_i64().map_or_else(
            || number_text(n.as_f64().unwrap_or(f64::NAN)),
            |i| i.to_string(),
        ),
        Value::String(s) => quoted(s),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Refuses keys of `object` other than `known` with `invalid_argument`, naming each (with
/// the field it most likely stands for) and the ones it takes:
/// `options.policy has no field "maxRetrys" (did you mean "maxRetries"?); it takes ...`.
pub(crate) fn known_keys(
    object: &Map<String, Value>,
    name: &str,
    known: &[&str],
) -> Result<(), JsValue> {
    let mut unknown = object
        .keys()
        .filter(|key| !known.contains(&key.as_str()))
        .peekable();
    if unknown.peek().is_none() {
        return Ok(());
    }
    let named: Vec<String> = unknown
        .map(
            |key| match suggest(key, known).or_else(|| same_start(key, known)) {
                Some(meant) => format!("{} (did you mean {}?)", quoted(key), quoted(meant)),
                None => quoted(key),
            },
        )
        .collect();
    let fields = if named.len() == 1 { "field" } else { "fields" };
    Err(invalid(&format!(
        "{name} has no {fields} {}; it takes {}",
        named.join(", "),
        known.join(", ")
    )))
}

/// The field `key` most likely shortens or inflects when [`suggest`] finds none: the one
/// that starts with the same letters for most of `key` (`maxRetry` for `maxRetries`).
fn same_start<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let shared = |field: &str| {
        key.chars()
            .zip(field.chars())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
    };
    let length = key.chars().count();
    known
        .iter()
        .map(|&field| (shared(field), field))
        .filter(|&(n, _)| n >= 5 && 4 * n >= 3 * length)
        .max_by_key(|&(n, _)| n)
        .map(|(_, field)| field)
}
