//! What the two JSON-crossing modules (`flexkit/sandbox` and `flexkit/flexiti`) share: values
//! the core built leave as JSON text, JSON text the JS layer wrote comes in, and the seed of a
//! deterministic sandbox is read the same way. `crates/wasm-flexiti` includes this file by
//! path, as both include `crates/wasm/src/js.rs`.

use wasm_bindgen::prelude::*;

use crate::js::{error, error_code, expect_safe_integer, expect_string};

/// Serializes a value the core built; the core's types always serialize.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value)
        .map_err(|e| error("internal_error", &format!("cannot serialize: {e}")))
}

/// Parses JSON text the JS layer produced into `T`, or throws `code` with serde's message.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    text: &JsValue,
    name: &str,
    code: &str,
) -> Result<T, JsValue> {
    let text = expect_string(text, name)?;
    serde_json::from_str(&text).map_err(|e| error(code, &format!("{name}: {e}")))
}

/// A sandbox seed: absent (`undefined` or `null`) is 0, otherwise a whole number from 0 to
/// 2^53 - 1.
pub(crate) fn seed(value: &JsValue) -> Result<u64, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(0);
    }
    expect_safe_integer(value, "seed")
        .ok()
        .filter(|&s| s >= 0)
        .map(i64::unsigned_abs)
        .ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                "seed must be a whole number from 0 to 2^53 - 1",
            )
        })
}
