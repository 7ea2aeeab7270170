//! The bindings, run in Node.js.
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn sandbox_cards_are_valid() {
    common::sandbox_cards_are_valid();
}

#[wasm_bindgen_test]
fn broken_number_is_invalid() {
    common::broken_number_is_invalid();
}

#[wasm_bindgen_test]
fn wrong_argument_type_is_a_typed_error() {
    common::wrong_argument_type_is_a_typed_error();
}

#[wasm_bindgen_test]
fn version_matches_the_crate() {
    assert_eq!(flexkit_wasm::version(), env!("CARGO_PKG_VERSION"));
}
