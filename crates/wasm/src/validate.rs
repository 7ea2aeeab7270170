//! FlexPay request validation: every problem at once, as data. Invalid input never throws;
//! only misuse (a wrong argument type, unreadable options) does, with a `code`.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::validate::{self, BatchIds, ValidationContext};
use flexkit_core::validation::{Severity, Validation};
use flexkit_core::UtcTimestamp;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use std::cell::RefCell;

use crate::js::{
    error, error_code, expect_instant, expect_string, instant_from_millis, option_keys, quoted,
};

pub(crate) fn context(options: &JsValue) -> Result<ValidationContext, JsValue> {
    let mut now = JsValue::UNDEFINED;
    let mut environment = Environment::Production;
    if !(options.is_undefined() || options.is_null()) {
        if !options.is_object() {
            return Err(error(
                error_code::INVALID_ARGUMENT,
                "options must be an object such as { now, environment }",
            ));
        }
        option_keys(options, "options", &["now", "environment"])?;
        let read = |key: &str| {
            Reflect::get(options, &key.into()).map_err(|_| {
                error(
                    error_code::INVALID_ARGUMENT,
                    &format!("options.{key} cannot be read"),
                )
            })
        };
        now = read("now")?;
        let env = read("environment")?;
        if !env.is_undefined() {
            environment = match expect_string(&env, "options.environment")?.as_str() {
                "sandbox" => Environment::Sandbox,
                "production" => Environment::Production,
                other => {
                    return Err(error(
                        error_code::INVALID_ARGUMENT,
                        &format!(
                            "options.environment must be \"sandbox\" or \"production\", got {}",
                            quoted(other)
                        ),
                    ))
                }
            };
        }
    }
    let now: UtcTimestamp = if now.is_undefined() {
        expect_instant(&js_sys::Date::now().into(), "now")?
    } else {
        expect_instant(&now, "options.now")?
    };
    Ok(ValidationContext::new(now, environment))
}

thread_local! {
    /// The reusable buffer JavaScript encodes requests into, and the problems of the last
    /// request that had any (read back by [`tagged_text`]).
    static TAGGED: RefCell<(Vec<u8>, Validation)> = const { RefCell::new((Vec::new(), Validation::new())) };
    /// The error of the last [`validate_tagged`] call that failed (read back by
    /// [`tagged_error`]).
    static TAGGED_ERROR: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// The sizes of the problem texts last handed out by [`tagged_text`].
    static TAGGED_SIZES: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    /// The `merchantTransactionId`s of the batch being validated (see [`tagged_batch`]).
    static BATCH: RefCell<BatchIds> = const { RefCell::new(BatchIds::new()) };
}

/// What [`validate_tagged`] answers when the call itself failed.
pub const TAGGED_FAILED: u32 = u32::MAX;

/// The schema table the JavaScript layer walks request objects along (JSON text; read once).
#[wasm_bindgen(js_name = taggedSchemas)]
pub fn tagged_schemas() -> String {
    validate::tagged_schemas_json()
}

/// The module's memory, so JavaScript can write into the request buffer.
#[wasm_bindgen(js_name = taggedMemory)]
pub fn tagged_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Makes the request buffer hold at least `capacity` bytes; returns its address.
#[wasm_bindgen(js_name = taggedBuffer)]
pub fn tagged_buffer(capacity: usize) -> usize {
    TAGGED.with(|cell| {
        let mut state = cell.borrow_mut();
        if state.0.len() < capacity {
            state.0.resize(capacity, 0);
        }
        state.0.as_ptr() as usize
    })
}

/// Starts a batch: the ids of the previous one are forgotten. Requests validated with an
/// `item` then have their `merchantTransactionId` compared with the earlier ones'.
#[wasm_bindgen(js_name = taggedBatch)]
pub fn tagged_batch() {
    BATCH.with(|cell| cell.borrow_mut().clear());
}

/// `item`: 0 for a request on its own, `n` for request `n - 1` of the batch.
fn run_tagged(kind: u32, len: usize, ctx: &ValidationContext, item: u32) -> Result<u32, JsValue> {
    TAGGED.with(|cell| {
        let mut state = cell.borrow_mut();
        let bytes = state.0.get(..len).ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                "the request buffer is shorter than the encoded request",
            )
        })?;
        let kind = kind as usize;
        let validation = match item.checked_sub(1) {
            None => validate::validate_tagged(kind, bytes, ctx),
            Some(item) => BATCH.with(|cell| {
                let ids = &mut cell.borrow_mut();
                validate::validate_tagged_in_batch(kind, bytes, ctx, ids, item as usize)
            }),
        }
        .ok_or_else(|| error(error_code::INVALID_ARGUMENT, "unknown request kind"))?;
        let count = validation.problems().len() as u32;
        if count > 0 {
            state.1 = validation;
        }
        Ok(count)
    })
}

/// Validates the request of kind `REQUEST_KINDS[kind]` encoded in the first `len` bytes of
/// the buffer, at `now_ms` (epoch milliseconds). Returns how many problems it has; when any,
/// [`tagged_text`] gives them. A plain number crosses back (no result array to allocate on
/// every call): [`TAGGED_FAILED`] when the call failed, and then [`tagged_error`] gives the
/// error to throw. `item`: 0 for a request on its own, `n` for request `n - 1` of the batch
/// [`tagged_batch`] started.
#[wasm_bindgen(js_name = validateTagged)]
pub fn validate_tagged(kind: u32, len: usize, now_ms: f64, sandbox: bool, item: u32) -> u32 {
    let environment = if sandbox {
        Environment::Sandbox
    } else {
        Environment::Production
    };
    let outcome = instant_from_millis(now_ms, "options.now")
        .and_then(|now| run_tagged(kind, len, &ValidationContext::new(now, environment), item));
    match outcome {
        Ok(count) => count,
        Err(error) => {
            TAGGED_ERROR.with(|cell| *cell.borrow_mut() = Some(error));
            TAGGED_FAILED
        }
    }
}

/// The error of the last [`validate_tagged`] call that answered [`TAGGED_FAILED`].
#[wasm_bindgen(js_name = taggedError)]
pub fn tagged_error() -> JsValue {
    TAGGED_ERROR
        .with(|cell| cell.borrow_mut().take())
        .unwrap_or(JsValue::UNDEFINED)
}

/// Like [`validate_tagged`], with the options object read (and checked) here.
#[wasm_bindgen(js_name = validateTaggedWith)]
pub fn validate_tagged_with(
    kind: u32,
    len: usize,
    options: JsValue,
    item: u32,
) -> Result<u32, JsValue> {
    let ctx = context(&options)?;
    run_tagged(kind, len, &ctx, item)
}

/// The problems of the last request that had any, as one text for the JavaScript layer to
/// cut into its result objects (one string crossing, instead of three per problem and an
/// object built property by property): each problem's path, code and message, one after the
/// other. [`tagged_sizes`] then tells where they end.
#[wasm_bindgen(js_name = taggedText)]
pub fn tagged_text() -> String {
    TAGGED.with(|cell| {
        let state = cell.borrow();
        let problems = state.1.problems();
        let mut text = String::new();
        let mut sizes = Vec::with_capacity(problems.len() * 4);
        for p in problems {
            sizes.push(u32::from(p.severity == Severity::Warning));
            for part in [p.path.as_str(), p.code, p.message.as_str()] {
                text.push_str(part);
                sizes.push(u32::try_from(utf16_len(part)).unwrap_or(u32::MAX));
            }
        }
        TAGGED_SIZES.with(|cell| *cell.borrow_mut() = sizes);
        text
    })
}

/// The length of `text` in UTF-16 code units, from its bytes alone: every byte that starts a
/// character is one unit, and one that starts a four-byte character (outside the Basic
/// Multilingual Plane, a surrogate pair in UTF-16) one more. Decoding the characters to count
/// them took a quarter of the time of validating a request with problems. Most texts are
/// ASCII, checked a word at a time.
fn utf16_len(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    text.bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// For each problem of the last [`tagged_text`]: 0 for an error or 1 for a warning, then the
/// lengths of its path, code and message in UTF-16 code units (JavaScript string lengths).
#[wasm_bindgen(js_name = taggedSizes)]
pub fn tagged_sizes() -> Vec<u32> {
    TAGGED_SIZES.with(|cell| core::mem::take(&mut *cell.borrow_mut()))
}

#[cfg(test)]
mod tests {
    use super::utf16_len;

    #[test]
    fn utf16_lengths_are_counted_from_the_bytes() {
        for text in [
            "",
            "transaction.amount",
            "Café crème",
            "金额必须为正",
            "card 💳 and 🇨🇦",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
        ] {
            let decoded: usize = text.chars().map(char::len_utf16).sum();
            assert_eq!(utf16_len(text), decoded, "{text:?}");
            assert_eq!(utf16_len(text), text.encode_utf16().count(), "{text:?}");
        }
    }
}
