//! What the two JSON-crossing modules (`flexkit/sandbox` and `flexkit/flexiti`) share: values
//! the core built leave as JSON text, JSON text the JS layer wrote comes in, and the seed of a
//! deterministic sandbox is read the same way. `crates/wasm-flexiti` includes this file by
//! path, as both include `crates/wasm/src/js.rs`.

use wasm_bindgen::prelude::*;

use flexkit_core::json_path::{offset_of, Levels};

use crate::js::{error, error_code, expect_safe_integer, expect_string, option_keys};

/// Refuses the keys of an options object other than `known` (`invalid_argument`, naming each
/// with the field it likely stands for), for the JS layer's `readOptions` (`web/npm/lib/fetch.js`),
/// so every options object of the package is refused in the same words.
#[wasm_bindgen(js_name = checkKeys)]
pub fn check_keys(value: JsValue, name: &str, known: Vec<String>) -> Result<(), JsValue> {
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    option_keys(&value, name, &known)
}

/// Serializes a value the core built; the core's types always serialize.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value)
        .map_err(|e| error("internal_error", &format!("cannot serialize: {e}")))
}

/// Parses JSON text the JS layer produced into `T`, or throws `code` with a message naming
/// the value at fault (see [`reading_message`]).
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    text: &JsValue,
    name: &str,
    code: &str,
) -> Result<T, JsValue> {
    from_json_as(text, name, code, &|_| None)
}

/// [`from_json`] with `takes`, which says what a field (by its name) takes, for the messages.
pub(crate) fn from_json_as<T: serde::de::DeserializeOwned>(
    text: &JsValue,
    name: &str,
    code: &str,
    takes: &dyn Fn(&str) -> Option<&'static str>,
) -> Result<T, JsValue> {
    let text = expect_string(text, name)?;
    flexkit_core::json_objects::from_str(&text)
        .map_err(|e| error(code, &reading_message(&text, name, &e.to_string(), takes)))
}

/// Why `text` could not be read, in the JavaScript API's words, from serde's `detail`
/// (`"missing field `x` at line 1 column 20"`): the path of the value at fault from `name`
/// (`answer.token_type`, `setup.token.scope`, `items[2]`) and what it takes. Serde's own
/// wording (positions, "expected …", "invalid type:", backticks) never reaches the caller.
pub(crate) fn reading_message(
    text: &str,
    name: &str,
    detail: &str,
    takes: &dyn Fn(&str) -> Option<&'static str>,
) -> String {
    let (message, offset) = match detail.rsplit_once(" at line ") {
        Some((message, position)) => (message, offset_of(text, position)),
        None => (detail, text.len()),
    };
    if message.starts_with("EOF while parsing") {
        return format!("{name} is cut short: its JSON text ends before its last value does");
    }
    let levels = Levels::at(text, offset);
    let object = levels.path(name, false);
    let value = levels.path(name, true);
    let field = value.rsplit(['.', '[']).next().unwrap_or_default();
    if let Some(rest) = message.strip_prefix("missing field ") {
        let missing = ticked(rest).into_iter().next().unwrap_or_default();
        return match takes(missing) {
            Some(what) => format!("{object}.{missing} is missing; it takes {what}"),
            None => format!("{object}.{missing} is missing; add it"),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = ticked(rest);
        let unknown = names.first().copied().unwrap_or_default();
        return match names.get(1..).filter(|known| !known.is_empty()) {
            Some(known) => format!(
                "{object} takes no {unknown}; leave it out ({object} takes {})",
                known.join(", ")
            ),
            None => format!("{object} takes no {unknown}; leave it out"),
        };
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let twice = ticked(rest).into_iter().next().unwrap_or_default();
        return format!("{object}.{twice} is given twice; give it once");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let names = ticked(rest);
        let given = names.first().copied().unwrap_or_default();
        let what =
            takes(field).map_or_else(|| one_of(names.get(1..).unwrap_or_default()), str::to_owned);
        return format!("{value} must be {what}, not {given:?}");
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        // An object read from an array (`from_json` reads structs from objects only, but the
        // variants of an untagged enum are read from serde's buffered copy, which takes
        // either): the array is at fault, not its items.
        let wanted = rest.split_once(", expected ").map_or("", |(_, w)| w);
        let what = wanted_words(wanted);
        return format!("{object} must be {what}, not an array");
    }
    for (prefix, by_value) in [("invalid type: ", false), ("invalid value: ", true)] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (given, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let what = takes(field).map_or_else(|| wanted_words(wanted), str::to_owned);
            return format!(
                "{value} must be {what}, not {}",
                given_words(given, by_value)
            );
        }
    }
    if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
        return format!(
            "{name} is not JSON text (it stops making sense at character {})",
            offset + 1
        );
    }
    // A reader's own refusal (an amount, an instant, an id): its words, at its path, unless
    // they are serde's (an enum given as a number is "expected value").
    if message.contains("expected") || message.contains('`') || message.contains("invalid ") {
        return match takes(field) {
            Some(what) => format!("{value} must be {what}"),
            None => format!("{value} cannot be read; give it as the field takes it"),
        };
    }
    format!("{value}: {message}")
}

/// The names serde writes between backticks.
fn ticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn one_of(names: &[&str]) -> String {
    match names {
        [] => "another value".to_owned(),
        [one] => format!("{one:?}"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

/// What serde's "expected …" asked for, as the JavaScript caller writes it.
fn wanted_words(wanted: &str) -> String {
    let wanted = wanted.trim();
    let words = match wanted {
        "a boolean" => "true or false",
        "a string" | "a borrowed string" => "a string",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number from 0",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a sequence" => "an array",
        "unit" => "null",
        "" => "another value",
        _ if wanted.starts_with("struct ")
            || wanted.starts_with("a map")
            || wanted.starts_with("internally tagged enum ")
            || wanted.starts_with("adjacently tagged enum ") =>
        {
            "an object"
        }
        _ if wanted.starts_with("variant identifier") || wanted.starts_with("enum ") => {
            "one of its names"
        }
        _ => return wanted.replace('`', ""),
    };
    words.to_owned()
}

/// What serde says was given: its kind (a string, a number, …) or, with `by_value`, the value.
fn given_words(given: &str, by_value: bool) -> String {
    let ticks = ticked(given);
    let kind = given.split([' ', '`']).next().unwrap_or_default();
    match (kind, ticks.first()) {
        ("string", _) if by_value => given.trim_start_matches("string ").to_owned(),
        ("string", _) => "a string".to_owned(),
        // A fraction where a whole number is wanted: the number itself says what is wrong.
        ("integer", Some(number)) if by_value => (*number).to_owned(),
        ("floating", Some(number)) => (*number).to_owned(),
        ("integer" | "floating", _) => "a number".to_owned(),
        ("boolean", Some(flag)) => (*flag).to_owned(),
        ("null" | "unit", _) => "null".to_owned(),
        ("sequence", _) => "an array".to_owned(),
        ("map", _) => "an object".to_owned(),
        _ => given.replace('`', ""),
    }
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
