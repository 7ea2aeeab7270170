//! FlexPay request validation: every problem at once, as data. Invalid input never throws;
//! only misuse (a wrong argument type, unreadable options) does, with a `code`.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::validate::{self, ValidationContext};
use flexkit_core::validation::{Problem, Severity, Validation};
use flexkit_core::UtcTimestamp;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use std::cell::RefCell;

use crate::js::{
    error, error_code, expect_instant, expect_string, instant_from_millis, quoted, ObjectBuilder,
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

fn problem(p: &Problem) -> JsValue {
    ObjectBuilder::new()
        .set("path", p.path.as_str())
        .set("code", p.code)
        .set("message", p.message.as_str())
        .build()
}

pub(crate) fn result(validation: &Validation) -> JsValue {
    let errors = Array::new();
    let warnings = Array::new();
    for p in validation.problems() {
        match p.severity {
            Severity::Error => errors.push(&problem(p)),
            Severity::Warning => warnings.push(&problem(p)),
        };
    }
    ObjectBuilder::new()
        .set("ok", errors.length() == 0)
        .set("errors", errors)
        .set("warnings", warnings)
        .build()
}

thread_local! {
    /// The reusable buffer JavaScript encodes requests into, and the problems of the last
    /// request that had any (read back by [`tagged_result`]).
    static TAGGED: RefCell<(Vec<u8>, Validation)> = const { RefCell::new((Vec::new(), Validation::new())) };
    /// The error of the last [`validate_tagged`] call that failed (read back by
    /// [`tagged_error`]).
    static TAGGED_ERROR: RefCell<Option<JsValue>> = const { RefCell::new(None) };
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

fn run_tagged(kind: u32, len: usize, ctx: &ValidationContext) -> Result<u32, JsValue> {
    TAGGED.with(|cell| {
        let mut state = cell.borrow_mut();
        let bytes = state.0.get(..len).ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                "the request buffer is shorter than the encoded request",
            )
        })?;
        let validation = validate::validate_tagged(kind as usize, bytes, ctx)
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
/// [`tagged_result`] gives them. A plain number crosses back (no result array to allocate on
/// every call): [`TAGGED_FAILED`] when the call failed, and then [`tagged_error`] gives the
/// error to throw.
#[wasm_bindgen(js_name = validateTagged)]
pub fn validate_tagged(kind: u32, len: usize, now_ms: f64, sandbox: bool) -> u32 {
    let environment = if sandbox {
        Environment::Sandbox
    } else {
        Environment::Production
    };
    let outcome = instant_from_millis(now_ms, "options.now")
        .and_then(|now| run_tagged(kind, len, &ValidationContext::new(now, environment)));
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
pub fn validate_tagged_with(kind: u32, len: usize, options: JsValue) -> Result<u32, JsValue> {
    let ctx = context(&options)?;
    run_tagged(kind, len, &ctx)
}

/// The result object of the last request that had problems.
#[wasm_bindgen(js_name = taggedResult, unchecked_return_type = "ValidationResult")]
pub fn tagged_result() -> JsValue {
    TAGGED.with(|cell| result(&cell.borrow().1))
}
