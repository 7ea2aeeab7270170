//! FlexPay response codes: category, meaning and what to do next.

use flexkit_core::flexpay::response_code::{ResponseCategory, ResponseCode};
use wasm_bindgen::prelude::*;

use crate::js::{error, error_code, nullable_str, type_name, ObjectBuilder};

#[wasm_bindgen(typescript_custom_section)]
const CODE_TYPES: &'static str = r#"
/** What a response code says about the attempt, decided by its first digit. */
export type ResponseCategory =
  | "approved" | "softDecline" | "hardDecline" | "risk" | "apiValidation" | "unknown";

/** Everything flexkit knows about one FlexPay `responseCode`. */
export interface ResponseCodeDescription {
  /** The code as FlexPay writes it, e.g. "20023". */
  code: string;
  category: ResponseCategory;
  /** "Soft decline", ... */
  categoryName: string;
  /** The code is in flexkit's table (meaning and source known). */
  known: boolean;
  /** Short phrase, e.g. "insufficient funds"; null for a code not in the table. */
  meaning: string | null;
  /** For 5xxxx codes, the request field FlexPay rejected, where known. */
  field: string | null;
  /** How the meaning is backed; null for a code not in the table. */
  source: "documented" | "clientLibrary" | "observed" | null;
  /** What a scheduler should do next, in one sentence. */
  retryGuidance: string;
  /**
   * Another attempt of the payment may follow: a soft decline or a risk response, and then
   * only at the `retryDate` FlexPay returned with it (without one, not at all). False after
   * an approval, a hard decline, a 5xxxx refusal (fix the request and send it again as the
   * same attempt) and for codes outside FlexPay's ranges. This is the flag a scheduler asks.
   */
  retryable: boolean;
  /**
   * 30080–30100 and 30102, FlexPay's "no-retry" hard declines: recovery ended even though
   * the reason (funds, timeout, …) sounds temporary. Every other hard decline stops retries
   * too, so do not read `!noRetry` as "may retry": ask `retryable`.
   */
  noRetry: boolean;
}
"#;

fn parse(code: &JsValue) -> Result<Option<ResponseCode>, JsValue> {
    if let Some(text) = code.as_string() {
        return Ok(ResponseCode::parse(&text).ok());
    }
    if let Some(n) = code.as_f64() {
        if n.fract() != 0.0 || !(0.0..=f64::from(ResponseCode::MAX_VALUE)).contains(&n) {
            return Ok(None);
        }
        return Ok(ResponseCode::new(n as u32).ok());
    }
    Err(error(
        error_code::INVALID_ARGUMENT,
        &format!("code must be a string or a number, got {}", type_name(code)),
    ))
}

/// Describes a response code given as a string (`"20023"`) or a number; null when the value
/// is not a response code at all (not digits, too long). Codes missing from the table are
/// still described by their category.
#[wasm_bindgen(
    js_name = describeResponseCode,
    unchecked_return_type = "ResponseCodeDescription | null"
)]
pub fn describe_response_code(
    #[wasm_bindgen(unchecked_param_type = "string | number")] code: JsValue,
) -> Result<JsValue, JsValue> {
    let Some(code) = parse(&code)? else {
        return Ok(JsValue::NULL);
    };
    let category = code.category();
    let info = code.info();
    Ok(ObjectBuilder::new()
        .set("code", code.to_string())
        .set("category", category.code())
        .set("categoryName", category.display_name())
        .set("known", info.is_some())
        .set("meaning", nullable_str(info.map(|i| i.meaning)))
        .set("field", nullable_str(code.field()))
        .set("source", nullable_str(info.map(|i| i.source.code())))
        .set("retryGuidance", code.retry_guidance())
        .set("retryable", code.may_retry())
        .set("noRetry", code.is_no_retry())
        .build())
}

/// The category of a response code, or null when the value is not a response code.
#[wasm_bindgen(
    js_name = responseCategory,
    unchecked_return_type = "ResponseCategory | null"
)]
pub fn response_category(
    #[wasm_bindgen(unchecked_param_type = "string | number")] code: JsValue,
) -> Result<JsValue, JsValue> {
    Ok(parse(&code)?.map_or(JsValue::NULL, |c| c.category().code().into()))
}

/// The one-sentence guidance for a category (`"softDecline"`), or null for an unknown name.
#[wasm_bindgen(js_name = retryGuidance, unchecked_return_type = "string | null")]
pub fn retry_guidance(
    #[wasm_bindgen(unchecked_param_type = "ResponseCategory")] category: JsValue,
) -> Result<JsValue, JsValue> {
    let name = crate::js::expect_string(&category, "category")?;
    Ok(nullable_str(
        ResponseCategory::from_code(&name).map(|c| c.retry_guidance()),
    ))
}
