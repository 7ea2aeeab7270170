//! The bindings, run in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

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
