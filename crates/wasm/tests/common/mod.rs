//! Assertions shared by the Node and browser runs: the same exports must give the same answers
//! in both runtimes.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).expect("property read")
}

pub fn sandbox_cards_are_valid() {
    for (number, brand) in [
        ("4920201996449560", "visa"),
        ("5244209084665514", "mastercard"),
        ("341674949684898", "americanExpress"),
        ("30349475125576", "dinersClub"),
        ("3530111333300000", "jcb"),
        ("6011885753412897", "discover"),
    ] {
        let check = flexkit_wasm::check_card_number(number.into()).expect("a string is accepted");
        assert_eq!(get(&check, "brand").as_string().as_deref(), Some(brand));
        assert_eq!(get(&check, "isValid").as_bool(), Some(true), "{number}");
    }
}

pub fn broken_number_is_invalid() {
    let check = flexkit_wasm::check_card_number("4920201996449561".into()).expect("ok");
    assert_eq!(get(&check, "luhnValid").as_bool(), Some(false));
    assert_eq!(get(&check, "isValid").as_bool(), Some(false));
    assert_eq!(get(&check, "digitCount").as_f64(), Some(16.0));
}

pub fn wrong_argument_type_is_a_typed_error() {
    for junk in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(42),
        js_sys::Object::new().into(),
    ] {
        let err = flexkit_wasm::check_card_number(junk).expect_err("not a string");
        assert!(err.is_instance_of::<js_sys::Error>());
        assert_eq!(
            get(&err, "code").as_string().as_deref(),
            Some("invalid_argument")
        );
    }
}
