//! WebAssembly bindings of the Flexiti POS API client and its TRAINING sandbox, shipped as the
//! `flexkit/flexiti` entry of the npm package: a module of its own, so neither a FlexPay
//! checkout nor a FlexPay CRM downloads it.
//!
//! The exports here are the *raw* layer: objects cross as JSON text (the JS layer in
//! `web/npm/lib/flexiti-api.js` stringifies and parses), instants as `Date`, ISO 8601 strings
//! or epoch milliseconds. Invalid *requests* are answered with data (`{ ok, errors }`); misuse
//! throws an `Error` with a `code`, and no panic may reach JavaScript: nothing here unwraps
//! what came from the caller.
//!
//! Flexiti's authorization and return ids have 16 digits, more than a JavaScript number holds
//! exactly, so every id leaves as a string ([`ids_as_strings`]) and is read from strings (or
//! numbers within 2^53 − 1) — except in `createFetch`'s answers, which carry them as Flexiti's
//! wire does, as JSON numbers (`RawFlexitiSandbox::call` with `wire`), read back by
//! `readAnswer` ([`raw_read_answer`]).

// Shared with flexkit-wasm-sandbox; not every helper is used here.
#[allow(dead_code)]
#[path = "../../wasm-sandbox/src/bridge.rs"]
mod bridge;
mod client;
#[allow(dead_code)]
#[path = "../../wasm/src/js.rs"]
mod js;
mod sandbox;
mod types;

pub use client::*;
pub use sandbox::*;

pub(crate) use bridge::{reading_message, to_json};

use flexkit_core::flexiti::{ApiError, Environment};
use flexkit_core::validation::{Problem, Severity, Validation};
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: flexkit_wasm_alloc::Allocator = flexkit_wasm_alloc::Allocator::new();

use crate::js::{error, error_code, expect_string};

/// The flexkit version, identical for the crate and the npm package.
#[wasm_bindgen]
pub fn version() -> String {
    flexkit_core::VERSION.to_owned()
}

/// Parses the JSON text of an object the JS layer wrote into `T`, or throws `code` with a
/// message that names the field at fault and what it takes ([`takes`]).
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    text: &JsValue,
    name: &str,
    code: &str,
) -> Result<T, JsValue> {
    bridge::from_json_as(text, name, code, &takes)
}

/// What a field of the objects this entry reads (credentials, token answers and tokens,
/// endpoints, `prepare`'s setup, `checkRules`' facts) takes, in the API's words.
pub(crate) fn takes(field: &str) -> Option<&'static str> {
    const AMOUNT: &str = "an amount in dollars as a decimal string (\"10.50\")";
    const ENVIRONMENT: &str = "\"TRAINING\", \"MERCHANT_INTEGRATION\" or \"PRODUCTION\"";
    Some(match field {
        "clientId" => "the client id the Developer Portal issued (a string)",
        "clientSecret" => "the client secret the Developer Portal issued (a string)",
        "token_type" => "the token type of Flexiti's token answer (a string, \"bearer\")",
        "access_token" | "accessToken" => "the access token (a string)",
        "refresh_token" | "refreshToken" => "the refresh token (a string)",
        "expires_in" | "expiresIn" => "the token's lifetime in seconds (a whole number, 1200)",
        "scope" => "\"merchant\" or \"customer\"",
        "environment" | "issuedIn" => ENVIRONMENT,
        "issuedAt" | "capturedAt" => "an instant (a Date, ISO 8601 text or epoch milliseconds)",
        "kind" => "the name of a Flexiti call, as endpoints() lists them",
        "authorizationId" | "captureId" | "accountNumber" => "a string of digits",
        "referenceId" => "1 to 32 printable ASCII characters (a string)",
        "token" => "the AccessToken accessToken() gave",
        "idempotency" => "an object { key, contextHash? }",
        "key" => "the idempotency key (a string)",
        "contextHash" => "the hash of the request body (a string)",
        "lang" => "\"en\" or \"fr\"",
        "accountStatus" => "the account's status letter: \"N\", \"A\", \"F\", \"Z\" or \"C\"",
        "active" | "open" => "true or false",
        "availableCredit" | "remaining" | "balance" | "captureRemaining" | "paidInWindow" => AMOUNT,
        "purchaseType" => "\"promotional_purchase\" or \"regular_purchase\"",
        _ => return None,
    })
}

/// A refused snapshot's message: the core's, with a malformed document's cause worded by
/// [`reading_message`] instead of serde's text.
pub(crate) fn snapshot_message(
    text: &str,
    e: &flexkit_core::flexiti::sandbox::SnapshotError,
) -> String {
    use flexkit_core::flexiti::sandbox::SnapshotError;
    match e {
        SnapshotError::Malformed(detail) => format!(
            "the sandbox snapshot is not valid ({}); restore an unmodified snapshot or start a \
             new sandbox",
            reading_message(text, "snapshot", detail, &|_| None)
        ),
        other => other.to_string(),
    }
}

/// A value the core built, as a JSON tree (for the id conversion below).
pub(crate) fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, JsValue> {
    serde_json::to_value(value)
        .map_err(|e| error("internal_error", &format!("cannot serialize: {e}")))
}

/// Fields whose numbers may exceed 2^53 − 1 (`authorization_id` and `return_id` are
/// `number (16)`): written as strings so `JSON.parse` cannot round them.
const WIDE_ID_FIELDS: [&str; 2] = ["authorization_id", "return_id"];

/// Rewrites the wide ids of an answer as strings, at any depth.
pub(crate) fn ids_as_strings(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if WIDE_ID_FIELDS.contains(&key.as_str()) {
                    if let Value::Number(number) = item {
                        *item = Value::String(number.to_string());
                        continue;
                    }
                }
                ids_as_strings(item);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(ids_as_strings),
        _ => {}
    }
}

/// Reads an answer's JSON text (Flexiti's, or `createFetch`'s) as JSON text whose wide ids are
/// strings, so `JSON.parse` keeps every digit: the JS layer's `readAnswer`.
#[wasm_bindgen(js_name = rawReadAnswer)]
pub fn raw_read_answer(text: JsValue) -> Result<String, JsValue> {
    let text = expect_string(&text, "text")?;
    let mut tree: Value = serde_json::from_str(&text).map_err(|e| {
        error(
            error_code::INVALID_ARGUMENT,
            &format!(
                "text is not JSON: {} at line {}, column {}; pass the body as received",
                match e.classify() {
                    serde_json::error::Category::Eof => "it ends before its last value does",
                    _ => "it stops being JSON",
                },
                e.line(),
                e.column()
            ),
        )
    })?;
    ids_as_strings(&mut tree);
    to_json(&tree)
}

/// Reads an environment: `"TRAINING"`, `"MERCHANT_INTEGRATION"` or `"PRODUCTION"` (the
/// documentation's spelling `"MERCHANT INTEGRATION"` is read too).
pub(crate) fn environment(value: &JsValue, name: &str) -> Result<Environment, JsValue> {
    let text = expect_string(value, name)?;
    parse_environment(&text).ok_or_else(|| {
        error(
            error_code::INVALID_ARGUMENT,
            &format!(
                "{name} must be \"TRAINING\", \"MERCHANT_INTEGRATION\" or \"PRODUCTION\", got \
                 {text:?}"
            ),
        )
    })
}

pub(crate) fn parse_environment(text: &str) -> Option<Environment> {
    match text {
        "TRAINING" => Some(Environment::Training),
        "MERCHANT_INTEGRATION" | "MERCHANT INTEGRATION" => Some(Environment::MerchantIntegration),
        "PRODUCTION" => Some(Environment::Production),
        _ => None,
    }
}

/// `"TRAINING"`, `"MERCHANT_INTEGRATION"` or `"PRODUCTION"`, as the core serializes it.
pub(crate) fn environment_id(environment: Environment) -> &'static str {
    match environment {
        Environment::Training => "TRAINING",
        Environment::MerchantIntegration => "MERCHANT_INTEGRATION",
        Environment::Production => "PRODUCTION",
    }
}

/// One problem as JavaScript sees it: `{ path, code, message }`.
pub(crate) fn problem_json(problem: &Problem) -> Value {
    json!({ "path": problem.path, "code": problem.code, "message": problem.message })
}

/// `{ ok, errors, warnings }`, the shape of every validation result of the package.
pub(crate) fn validation_json(validation: &Validation) -> Value {
    let pick = |severity: Severity| -> Vec<Value> {
        validation
            .problems()
            .iter()
            .filter(|p| p.severity == severity)
            .map(problem_json)
            .collect()
    };
    json!({
        "ok": validation.is_ok(),
        "errors": pick(Severity::Error),
        "warnings": pick(Severity::Warning),
    })
}

/// A Flexiti error answer as JSON: `{ status, code, message, known, description, fieldErrors,
/// url, body }`. `description` is flexkit's explanation of the code, `body` the POS-shaped
/// error body Flexiti (or the sandbox) sends.
pub(crate) fn api_error_json(e: &ApiError) -> Value {
    let known = e.known();
    let fields: Vec<Value> = e
        .field_errors
        .iter()
        .map(|f| {
            let mut item = Map::new();
            item.insert("param".into(), f.param.clone().into());
            item.insert("msg".into(), f.msg.clone().into());
            item.insert(
                "value".into(),
                f.value.clone().map_or(Value::Null, Value::from),
            );
            Value::Object(item)
        })
        .collect();
    json!({
        "status": e.status,
        "code": e.code(),
        "message": e.message,
        "known": known,
        "description": e.description(),
        "fieldErrors": fields,
        "url": e.url,
        "body": e.to_body(),
    })
}

/// A Flexiti error answer thrown as an `Error` whose `code` is Flexiti's code, with `status`,
/// `fieldErrors`, `description` and `body` attached.
pub(crate) fn throw_api_error(e: &ApiError) -> JsValue {
    let err = error(e.code(), &e.message);
    if let Value::Object(map) = api_error_json(e) {
        for key in ["status", "fieldErrors", "description", "body", "known"] {
            if let Some(value) = map.get(key) {
                let js = js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL);
                let _ = js_sys::Reflect::set(&err, &key.into(), &js);
            }
        }
    }
    let _ = js_sys::Reflect::set(&err, &"flexiti".into(), &JsValue::TRUE);
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_ids_become_strings_at_any_depth() {
        let mut value = json!({
            "authorization_id": 9_007_199_254_740_993u64,
            "capture": { "authorization_id": 1, "capture_id": 2 },
            "items": [{ "return_id": 1_234_567_890_123_456_789u64, "amount": "1.00" }],
            "account_number": 10_000_000_000_001u64,
        });
        ids_as_strings(&mut value);
        assert_eq!(value["authorization_id"], "9007199254740993");
        assert_eq!(value["capture"]["authorization_id"], "1");
        assert_eq!(value["capture"]["capture_id"], 2);
        assert_eq!(value["items"][0]["return_id"], "1234567890123456789");
        assert_eq!(value["account_number"], 10_000_000_000_001u64);
    }

    /// The message `from_json` gives for `text` read as `T`.
    fn message<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str, name: &str) -> String {
        let detail = serde_json::from_str::<T>(text).unwrap_err().to_string();
        reading_message(text, name, &detail, &takes)
    }

    #[test]
    fn reading_messages_name_the_field_and_what_it_takes() {
        use flexkit_core::flexiti::{AccessToken, TokenResponse};
        assert_eq!(
            message::<TokenResponse>(r#"{"access_token":"a"}"#, "answer"),
            "answer.token_type is missing; it takes the token type of Flexiti's token answer \
             (a string, \"bearer\")"
        );
        assert_eq!(
            message::<TokenResponse>(
                r#"{"token_type":"bearer","access_token":"a","expires_in":-1,"refresh_token":"r"}"#,
                "answer"
            ),
            "answer.expires_in must be the token's lifetime in seconds (a whole number, 1200), \
             not -1"
        );
        let token = r#"{"environment":"TRAINING","accessToken":"a","refreshToken":"r","scope":"x","issuedAt":"2026-11-21T10:00:00Z","expiresIn":1200}"#;
        assert_eq!(
            message::<AccessToken>(token, "setup.token"),
            "setup.token.scope must be \"merchant\" or \"customer\", not \"x\""
        );
        assert_eq!(
            message::<Vec<TokenResponse>>(
                r#"[{"token_type":"bearer"}, {"a\"b":[1,{"c":2}]}]"#,
                "list"
            ),
            "list[0].access_token is missing; it takes the access token (a string)"
        );
        assert_eq!(
            message::<TokenResponse>("{", "answer"),
            "answer is cut short: its JSON text ends before its last value does"
        );
        assert_eq!(
            message::<TokenResponse>("{]", "answer"),
            "answer is not JSON text (it stops making sense at character 2)"
        );
        for text in [
            "",
            "[",
            "{\"token_type\":[1,2]}",
            "{\"token_type\":{\"a\":1}}",
            "nul",
            "5",
        ] {
            let m = message::<TokenResponse>(text, "answer");
            for serde_words in [
                "line ",
                "column",
                "expected",
                "invalid type",
                "missing field",
                "`",
            ] {
                assert!(!m.contains(serde_words), "{text}: {m}");
            }
        }
    }

    #[test]
    fn environments_read_both_spellings() {
        for environment in Environment::ALL {
            assert_eq!(
                parse_environment(environment_id(environment)),
                Some(environment)
            );
            assert_eq!(parse_environment(environment.name()), Some(environment));
        }
        assert_eq!(parse_environment("training"), None);
    }
}
