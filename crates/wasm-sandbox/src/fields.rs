//! Reading the option objects of the JS API field by field, from the JSON text the JS layer
//! wrote: values named as JavaScript writes them, and unknown keys refused by name, with the
//! field most likely meant.

use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use crate::js::{error, error_code, number_text, quoted, unknown_keys};

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
/// the field it most likely stands for) and the ones it takes (worded by
/// [`crate::js::unknown_keys`], as every options object of the npm package is).
pub(crate) fn known_keys(
    object: &Map<String, Value>,
    name: &str,
    known: &[&str],
) -> Result<(), JsValue> {
    let unknown: Vec<String> = object
        .keys()
        .filter(|key| !known.contains(&key.as_str()))
        .cloned()
        .collect();
    unknown_keys(&unknown, name, known)
}
