//! WebAssembly bindings of the FlexPay sandbox and of `RetryChain`, shipped as the
//! `flexkit/sandbox` entry of the npm package: a module of its own, so a checkout that only
//! validates never downloads it.
//!
//! The exports here are the *raw* layer: objects cross as JSON text (the JS layer in
//! `web/npm/sandbox-api.js` stringifies and parses), instants as `Date`, ISO 8601 strings or
//! epoch milliseconds. As in `flexkit-wasm`, misuse throws an `Error` with a `code`, and no
//! panic may reach JavaScript.

// Shared with flexkit-wasm; not every helper is used here.
mod account;
mod bridge;
mod fields;
#[allow(dead_code)]
#[path = "../../wasm/src/js.rs"]
mod js;
mod retry;
mod sandbox;
mod types;

pub use retry::*;
pub use sandbox::*;

pub(crate) use bridge::{from_json, to_json};

use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: flexkit_wasm_alloc::Allocator = flexkit_wasm_alloc::Allocator::new();

/// The flexkit version, identical for the crate and the npm package.
#[wasm_bindgen]
pub fn version() -> String {
    flexkit_core::VERSION.to_owned()
}

/// Reads `value` as every call of the sandbox reads its `now` (a `Date`, epoch milliseconds or
/// ISO 8601 text) and throws what such a call throws. `createFetch` checks its clock with it
/// on every request, the calls that take no instant (reads, lists, the health check) too, so
/// a broken clock fails a client's first request, whichever it is.
#[wasm_bindgen(js_name = checkInstant)]
pub fn check_instant(value: JsValue) -> Result<(), JsValue> {
    js::expect_instant(&value, "now").map(|_| ())
}
