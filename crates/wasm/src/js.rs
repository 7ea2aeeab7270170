//! Small helpers to build plain JavaScript objects and typed errors without serde.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Stable codes of the errors thrown for misuse.
pub mod error_code {
    /// An argument has the wrong JavaScript type.
    pub const INVALID_ARGUMENT: &str = "invalid_argument";
}

/// A real `Error` (instanceof Error, with a stack) carrying a machine-readable `code`.
pub fn error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("FlexkitError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&err, &"code".into(), &code.into());
    err.into()
}

/// Reads a string argument or explains which argument was wrong.
pub fn expect_string(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        error(
            error_code::INVALID_ARGUMENT,
            &format!("{name} must be a string, got {}", type_name(value)),
        )
    })
}

/// `typeof` as JavaScript reports it, with `null` and arrays told apart.
pub fn type_name(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_undefined() {
        "undefined"
    } else if Array::is_array(value) {
        "array"
    } else if value.is_string() {
        "string"
    } else if value.as_f64().is_some() {
        "number"
    } else if value.as_bool().is_some() {
        "boolean"
    } else if value.is_bigint() {
        "bigint"
    } else if value.is_function() {
        "function"
    } else if value.is_symbol() {
        "symbol"
    } else {
        "object"
    }
}

/// Builder for a plain object: `{ key: value, ... }`.
pub struct ObjectBuilder(Object);

impl ObjectBuilder {
    pub fn new() -> Self {
        ObjectBuilder(Object::new())
    }

    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        // Defining a data property on a plain object we just created cannot fail.
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }

    pub fn build(self) -> JsValue {
        self.0.unchecked_into()
    }
}

/// Array of strings.
pub fn string_array<'a>(items: impl IntoIterator<Item = &'a str>) -> JsValue {
    items
        .into_iter()
        .map(JsValue::from_str)
        .collect::<Array>()
        .into()
}
