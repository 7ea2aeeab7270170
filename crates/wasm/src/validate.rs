//! FlexPay request validation: every problem at once, as data. Invalid input never throws;
//! only misuse (a wrong argument type, unreadable options) does, with a `code`.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::validate::{self, ValidationContext};
use flexkit_core::validation::{Problem, Severity, Validation};
use flexkit_core::UtcTimestamp;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use crate::js::{error, error_code, expect_instant, expect_string, ObjectBuilder};

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
                        "options.environment must be \"sandbox\" or \"production\", got {other:?}"
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

/// Validates one request body given as JSON text.
pub(crate) fn validate_text(kind: &str, text: &str, ctx: &ValidationContext) -> Option<Validation> {
    Some(match kind {
        "charge" | "authorize" => validate::validate_charge_json(text, ctx).validation,
        "capture" => validate::validate_capture_json(text, ctx).validation,
        "void" => validate::validate_void_json(text, ctx).validation,
        "refund" | "refundedPayment" => validate::validate_refund_json(text, ctx).validation,
        "createPaymentMethod" => {
            validate::validate_create_payment_method_json(text, ctx).validation
        }
        "listQuery" => validate::validate_list_query_json(text, ctx).validation,
        "gateway" => validate::validate_gateway_json(text, ctx).validation,
        "company" => validate::validate_company_json(text, ctx).validation,
        "apiKeyRequest" => validate::validate_api_key_request_json(text, ctx).validation,
        "autoRetryConfig" => validate::validate_auto_retry_config_json(text, ctx).validation,
        _ => return None,
    })
}

const KINDS: [&str; 12] = [
    "charge",
    "authorize",
    "capture",
    "void",
    "refund",
    "refundedPayment",
    "createPaymentMethod",
    "listQuery",
    "gateway",
    "company",
    "apiKeyRequest",
    "autoRetryConfig",
];

fn expect_kind(kind: &JsValue) -> Result<String, JsValue> {
    let kind = expect_string(kind, "kind")?;
    if !KINDS.contains(&kind.as_str()) {
        return Err(error(
            error_code::INVALID_ARGUMENT,
            &format!("kind must be a RequestKind such as \"charge\", got {kind:?}"),
        ));
    }
    Ok(kind)
}

/// Validates a request body given as JSON text; `kind` names the request type.
#[wasm_bindgen(js_name = validateJson, unchecked_return_type = "ValidationResult")]
pub fn validate_json(
    #[wasm_bindgen(unchecked_param_type = "RequestKind")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidationOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let kind = expect_kind(&kind)?;
    let text = expect_string(&text, "text")?;
    let ctx = context(&options)?;
    let validation = validate_text(&kind, &text, &ctx).unwrap_or_default();
    Ok(result(&validation))
}

/// Validates many bodies of one kind given as the JSON text of an array: one result per item.
#[wasm_bindgen(js_name = validateJsonBatch, unchecked_return_type = "ValidationResult[]")]
pub fn validate_json_batch(
    #[wasm_bindgen(unchecked_param_type = "RequestKind")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidationOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let kind = expect_kind(&kind)?;
    let text = expect_string(&text, "text")?;
    let ctx = context(&options)?;
    let items: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| {
        error(
            error_code::INVALID_ARGUMENT,
            &format!("the batch must be a JSON array: {e}"),
        )
    })?;
    let out = Array::new();
    for item in &items {
        let item_text = item.to_string();
        let validation = validate_text(&kind, &item_text, &ctx).unwrap_or_default();
        out.push(&result(&validation));
    }
    Ok(out.into())
}
