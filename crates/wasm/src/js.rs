//! Small helpers to build plain JavaScript objects and typed errors without serde.

use flexkit_core::validation::json::suggest;
use flexkit_core::UtcTimestamp;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// Stable codes of the errors thrown for misuse.
pub mod error_code {
    /// An argument has the wrong JavaScript type.
    pub const INVALID_ARGUMENT: &str = "invalid_argument";
    /// A number that is not a whole number within ±(2^53 − 1).
    pub const AMOUNT_OUT_OF_RANGE: &str = "amount_out_of_range";
    /// A date that is not a valid instant (an invalid `Date`, an unreadable string).
    pub const INVALID_DATE: &str = "invalid_date";
    /// A currency code that is not an active ISO 4217 code.
    pub const UNKNOWN_CURRENCY: &str = "unknown_currency";
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
/// `text` in double quotes as JSON writes it (by `JSON.stringify`, so no escaping code is
/// compiled in), cut to its first 60 characters.
pub fn quoted(text: &str) -> String {
    let cut = text.char_indices().nth(60).map_or(text.len(), |(at, _)| at);
    let quoted = js_sys::JSON::stringify(&JsValue::from_str(text.get(..cut).unwrap_or(text)))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    if cut < text.len() {
        format!("{quoted}…")
    } else {
        quoted
    }
}

pub fn type_name(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_undefined() {
        "undefined"
    } else if is_array(value) {
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

/// The largest integer a JavaScript number holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// A number as JavaScript writes it; Rust's float formatting would add kilobytes to the
/// module for two error messages.
pub fn number_text(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// Reads an integer argument within ±(2^53 − 1).
pub fn expect_safe_integer(value: &JsValue, name: &str) -> Result<i64, JsValue> {
    let Some(n) = value.as_f64() else {
        return Err(error(
            error_code::INVALID_ARGUMENT,
            &format!("{name} must be a number, got {}", type_name(value)),
        ));
    };
    if n.fract() != 0.0 || !n.is_finite() || n.abs() > MAX_SAFE_INTEGER as f64 {
        return Err(error(
            error_code::AMOUNT_OUT_OF_RANGE,
            &format!(
                "{name} must be a whole number between -(2^53 - 1) and 2^53 - 1 \
                 (Number.MAX_SAFE_INTEGER), got {}; amounts are integer minor units",
                number_text(n)
            ),
        ));
    }
    Ok(n as i64)
}

/// Reads an instant: a `Date`, an ISO 8601 string in UTC, or milliseconds since the epoch.
pub fn expect_instant(value: &JsValue, name: &str) -> Result<UtcTimestamp, JsValue> {
    let millis = if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        date.unchecked_ref::<Dated>()
            .get_time()
            .ok()
            .and_then(|time| time.as_f64())
            .ok_or_else(|| {
                error(
                    error_code::INVALID_ARGUMENT,
                    &format!("{name} is a Date whose getTime() threw or gave no number; give a working Date, an ISO 8601 string or epoch milliseconds"),
                )
            })?
    } else if let Some(n) = value.as_f64() {
        n
    } else if let Some(text) = value.as_string() {
        return UtcTimestamp::parse_iso8601(&text).map_err(|e| {
            error(
                error_code::INVALID_DATE,
                &format!("{name}: {e}; give a Date, an ISO 8601 string or epoch milliseconds"),
            )
        });
    } else {
        return Err(error(
            error_code::INVALID_ARGUMENT,
            &format!(
                "{name} must be a Date, an ISO 8601 string or epoch milliseconds, got {}",
                type_name(value)
            ),
        ));
    };
    instant_from_millis(millis, name)
}

/// An instant from milliseconds since the epoch, as a `Date` holds it.
pub fn instant_from_millis(millis: f64, name: &str) -> Result<UtcTimestamp, JsValue> {
    if !millis.is_finite() || millis.fract() != 0.0 || millis.abs() > 8.64e15 {
        return Err(error(
            error_code::INVALID_DATE,
            &format!(
                "{name} is not a valid date (got {} ms since the epoch)",
                number_text(millis)
            ),
        ));
    }
    UtcTimestamp::from_unix_millis(millis as i64).ok_or_else(|| {
        error(
            error_code::INVALID_DATE,
            &format!("{name} is outside the supported range of dates"),
        )
    })
}

/// `Some(string)` for a string, `None` for null or undefined, an error otherwise.
#[allow(dead_code)] // used by flexkit-wasm-sandbox, which shares this file (see its lib.rs)
pub fn optional_string(value: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    if value.is_null() || value.is_undefined() {
        Ok(None)
    } else {
        expect_string(value, name).map(Some)
    }
}

/// A string or a null.
pub fn nullable_str(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// Refuses `unknown`, the keys an options object named `name` was given besides `known`, with
/// `invalid_argument`, naming each (with the field it most likely stands for) and the ones
/// it takes: `options.policy has no field "maxRetrys" (did you mean "maxRetries"?); it takes
/// ...`. Every options object of the npm package that refuses unknown keys words them here.
#[inline(never)]
pub fn unknown_keys(unknown: &[String], name: &str, known: &[&str]) -> Result<(), JsValue> {
    if unknown.is_empty() {
        return Ok(());
    }
    let mut message = String::from(name);
    message.push_str(if unknown.len() == 1 {
        " has no field "
    } else {
        " has no fields "
    });
    for (i, key) in unknown.iter().enumerate() {
        if i > 0 {
            message.push_str(", ");
        }
        message.push_str(&quoted(key));
        if let Some(meant) = suggest(key, known).or_else(|| same_start(key, known)) {
            message.push_str(" (did you mean ");
            message.push_str(&quoted(meant));
            message.push_str("?)");
        }
    }
    message.push_str("; it takes ");
    for (i, field) in known.iter().enumerate() {
        if i > 0 {
            message.push_str(", ");
        }
        message.push_str(field);
    }
    Err(error(error_code::INVALID_ARGUMENT, &message))
}

/// The field `key` most likely stands for when [`suggest`] finds none: the one that starts
/// with the same letters for most of `key`, whatever its end (`merchantTransactionIdBase` for
/// `merchantTransactionIdPrefix`, six edits and neither name inside the other).
fn same_start<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let mut best = None;
    let mut most = 0;
    for &field in known {
        let shared = key
            .bytes()
            .zip(field.bytes())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count();
        if shared >= 5 && 4 * shared >= 3 * key.len() && shared >= most {
            best = Some(field);
            most = shared;
        }
    }
    best
}

// Every JavaScript call made on a value the caller gave is imported with `catch`: a Proxy's
// trap, a getter or an overridden method may throw, and an exception that unwound through a
// wasm method would leave its object borrowed for good (every later call, `snapshot()` and
// `free()` refused). js-sys declares these without `catch`.
#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, whose Proxy trap may throw.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// `Array.from`, which reads `length` and the elements through any getter or trap.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(value: &JsValue) -> Result<Array, JsValue>;
    /// A `Date`, or an object posing as one: its `getTime` is looked up on it, as a
    /// subclass or a clock mock may override it.
    type Dated;
    /// Taken as any value: one that is not a number is refused in Rust, since converting
    /// it at the boundary would throw outside the `catch`.
    #[wasm_bindgen(catch, method, js_name = getTime)]
    fn get_time(this: &Dated) -> Result<JsValue, JsValue>;
}

/// `Array.isArray(value)`; false for a value it cannot tell (a revoked Proxy).
pub fn is_array(value: &JsValue) -> bool {
    array_is_array(value).unwrap_or(false)
}

/// The elements of an array the caller gave, copied into one of ours; `None` when they
/// cannot be read (a getter or a Proxy trap threw).
#[allow(dead_code)] // used by flexkit-wasm-sandbox, which shares this file (see its lib.rs)
pub fn array_items(value: &JsValue) -> Option<Array> {
    array_from(value).ok()
}

/// Refuses the keys of the options object `value` other than `known`, as [`unknown_keys`]
/// words them. The object is read as `JSON.stringify` reads it: its own enumerable string
/// keys, a key whose value is `undefined` left out. A Date or an array is refused; anything
/// else but an object passes (the reader of its fields answers it).
pub fn option_keys(value: &JsValue, name: &str, known: &[&str]) -> Result<(), JsValue> {
    if !value.is_object() {
        return Ok(());
    }
    // A Date or an array has no keys of its own, so it would pass as `{}` and be ignored: a
    // `now` given where the options go (`validateCharge(request, new Date())`) is refused.
    let kind = if is_array(value) {
        "an array"
    } else if value.is_instance_of::<js_sys::Date>() {
        "a Date"
    } else {
        ""
    };
    if !kind.is_empty() {
        let mut message = format!("{name} must be an object such as {{ ");
        for (i, field) in known.iter().enumerate() {
            if i > 0 {
                message.push_str(", ");
            }
            message.push_str(field);
        }
        message.push_str(" }, not ");
        message.push_str(kind);
        return Err(error(error_code::INVALID_ARGUMENT, &message));
    }
    let unreadable = || {
        error(
            error_code::INVALID_ARGUMENT,
            &format!("{name} cannot be read"),
        )
    };
    let keys = object_keys(value).map_err(|_| unreadable())?;
    let mut unknown = Vec::new();
    for i in 0..keys.length() {
        let key = keys.get(i);
        let Some(text) = key.as_string() else {
            continue;
        };
        if !known.contains(&text.as_str())
            && !Reflect::get(value, &key)
                .map_err(|_| unreadable())?
                .is_undefined()
        {
            unknown.push(text);
        }
    }
    unknown_keys(&unknown, name, known)
}
