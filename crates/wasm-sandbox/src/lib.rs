//! WebAssembly bindings of the FlexPay sandbox and of `RetryChain`, shipped as the
//! `flexkit/sandbox` entry of the npm package: a module of its own, so a checkout that only
//! validates never downloads it.
//!
//! The exports here are the *raw* layer: objects cross as JSON text (the JS layer in
//! `web/npm/sandbox-api.js` stringifies and parses), instants as `Date`, ISO 8601 strings or
//! epoch milliseconds. As in `flexkit-wasm`, misuse throws an `Error` with a `code`, and no
//! panic may reach JavaScript.

// Shared with flexkit-wasm; not every helper is used here.
#[allow(dead_code)]
#[path = "../../wasm/src/js.rs"]
mod js;
mod retry;
mod sandbox;
mod types;

pub use retry::*;
pub use sandbox::*;

use wasm_bindgen::prelude::*;

/// The flexkit version, identical for the crate and the npm package.
#[wasm_bindgen]
pub fn version() -> String {
    flexkit_core::VERSION.to_owned()
}

/// Serializes a value the core built; the core's types always serialize.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value)
        .map_err(|e| js::error("internal_error", &format!("cannot serialize: {e}")))
}

/// Parses JSON text the JS layer produced into `T`, or throws `code` with serde's message.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    text: &JsValue,
    name: &str,
    code: &str,
) -> Result<T, JsValue> {
    let text = js::expect_string(text, name)?;
    serde_json::from_str(&text).map_err(|e| js::error(code, &format!("{name}: {e}")))
}
