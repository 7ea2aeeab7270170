//! FlexPay response codes: category, meaning and what to do next.

use flexkit_core::flexpay::response_code::{InvalidResponseCode, ResponseCategory, ResponseCode};
use wasm_bindgen::prelude::*;

use crate::js::{error, error_code, nullable_str, number_text, type_name, ObjectBuilder};

#[wasm_bindgen(typescript_custom_section)]
const CODE_TYPES: &'static str = r#"
/** What a response code says about the attempt, decided by its first digit. */
export type ResponseCategory =
  | "approved" | "softDecline" | "hardDecline" | "risk" | "apiValidation" | "unknown";

/** Everything flexkit knows about one FlexPay `responseCode`. */
export interface ResponseCodeDescription {
  /**
   * The code as FlexPay writes it, five digits ("20023"). Digits that are not five ("2005",
   * 2005, "020003") are none of FlexPay's codes: they come back as given, with category
   * "unknown", `known` false and guidance saying so, never padded or trimmed into a code.
   */
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

/// What a value given as a response code reads as.
enum Given {
    /// Five digits, as FlexPay writes `responseCode`.
    Code(ResponseCode),
    /// Digits, but not five (`"2005"`, `2005`, `"020003"`): none of FlexPay's codes, kept as
    /// given rather than padded or trimmed into another code.
    NotFiveDigits(String),
}

fn parse(code: &JsValue) -> Result<Option<Given>, JsValue> {
    let read = if let Some(text) = code.as_string() {
        ResponseCode::parse_five_digits(&text).map_err(|e| (e, text.trim_ascii().to_owned()))
    } else if let Some(n) = code.as_f64() {
        if n.fract() != 0.0 || !(0.0..=f64::from(ResponseCode::MAX_VALUE)).contains(&n) {
            return Ok(None);
        }
        // Written by JavaScript, as other numbers of this module are: `u32::to_string` would
        // link Rust's integer formatting for this one answer.
        ResponseCode::new_five_digits(n as u32).map_err(|e| (e, number_text(n)))
    } else {
        return Err(error(
            error_code::INVALID_ARGUMENT,
            &format!("code must be a string or a number, got {}", type_name(code)),
        ));
    };
    Ok(match read {
        Ok(code) => Some(Given::Code(code)),
        Err((InvalidResponseCode::NotFiveDigits, digits)) => Some(Given::NotFiveDigits(digits)),
        Err(_) => None,
    })
}

/// Describes a response code given as a string (`"20023"`) or a number. FlexPay's codes are
/// five digits: other digits (`"2005"`, `2005`, `"020003"`) are described as category
/// `"unknown"`, not known, with the digits as given and guidance saying so, never padded or
/// trimmed into another code; null when the value is no digits at all (not digits, a
/// fraction, negative, more than nine). Five-digit codes missing from the table are still
/// described by their category.
#[wasm_bindgen(
    js_name = describeResponseCode,
    unchecked_return_type = "ResponseCodeDescription | null"
)]
pub fn describe_response_code(
    #[wasm_bindgen(unchecked_param_type = "string | number")] code: JsValue,
) -> Result<JsValue, JsValue> {
    let (text, code) = match parse(&code)? {
        None => return Ok(JsValue::NULL),
        Some(Given::Code(code)) => (code.to_string(), Some(code)),
        Some(Given::NotFiveDigits(digits)) => (digits, None),
    };
    let category = code.map_or(ResponseCategory::Unknown, ResponseCode::category);
    let info = code.and_then(ResponseCode::info);
    Ok(ObjectBuilder::new()
        .set("code", text)
        .set("category", category.code())
        .set("categoryName", category.display_name())
        .set("known", info.is_some())
        .set("meaning", nullable_str(info.map(|i| i.meaning)))
        .set("field", nullable_str(code.and_then(ResponseCode::field)))
        .set("source", nullable_str(info.map(|i| i.source.code())))
        .set(
            "retryGuidance",
            code.map_or(
                ResponseCode::NOT_FIVE_DIGITS_GUIDANCE,
                ResponseCode::retry_guidance,
            ),
        )
        .set("retryable", code.is_some_and(ResponseCode::may_retry))
        .set("noRetry", code.is_some_and(ResponseCode::is_no_retry))
        .build())
}

/// The category of a response code, `"unknown"` for digits that are not five, or null when
/// the value is no digits at all (as [`describe_response_code`] reads it).
#[wasm_bindgen(
    js_name = responseCategory,
    unchecked_return_type = "ResponseCategory | null"
)]
pub fn response_category(
    #[wasm_bindgen(unchecked_param_type = "string | number")] code: JsValue,
) -> Result<JsValue, JsValue> {
    Ok(match parse(&code)? {
        None => JsValue::NULL,
        Some(Given::NotFiveDigits(_)) => ResponseCategory::Unknown.code().into(),
        Some(Given::Code(code)) => code.category().code().into(),
    })
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
