//! Card helpers for as-you-type checkout fields.

use flexkit_core::card::{self, CardBrand};
use wasm_bindgen::prelude::*;

use flexkit_core::card_input;

use crate::js::{
    error, error_code, expect_instant, expect_string, quoted, string_array, ObjectBuilder,
};

#[wasm_bindgen(typescript_custom_section)]
const CARD_TYPES: &'static str = r#"
/** A card scheme, by its stable code. */
export type CardBrand =
  | "visa" | "mastercard" | "americanExpress" | "discover"
  | "dinersClub" | "jcb" | "unionPay" | "maestro";

/** What the digits typed so far say about a card number. */
export interface CardNumberCheck {
  /**
   * The brand, once it is certain (no other brand can still claim the number); it is then
   * the only candidate. Null while more than one brand is possible, or none.
   */
  brand: CardBrand | null;
  /**
   * Every brand the number may still turn out to be: "6" may become Discover, UnionPay or
   * Maestro; after "6011" only Discover is left, and it is the brand.
   */
  candidates: CardBrand[];
  /**
   * Digits typed, separators (spaces, dashes) excluded; with a character out of place (a
   * letter, a dot), those typed before it.
   */
  digitCount: number;
  /**
   * The digits typed, separators left out: what `creditCardNumber` sends once `isValid`
   * ("4920 2019 9644 9560" gives "4920201996449560"). Empty when a character out of place or
   * more digits than any card has make it no card number.
   */
  digits: string;
  /** The Luhn checksum holds. */
  luhnValid: boolean;
  /** The digit count is one the detected brand issues. */
  lengthValid: boolean;
  /** A complete, well-formed number of a known brand. */
  isValid: boolean;
  /** More typing can still make it valid (or it already is). */
  isPotentiallyValid: boolean;
}

/** Facts about one card brand. */
export interface CardBrandInfo {
  brand: CardBrand;
  displayName: string;
  /** Number lengths the brand issues. */
  lengths: number[];
  /** Digits of the security code (4 for American Express). */
  cvvLength: number;
  /** FlexPay's `cardType` string in responses, where it has one. */
  flexpayCardType: string | null;
}

/** What a typed security code says. */
export interface CvvCheck {
  /**
   * Digits the code needs: the brand's (4 for American Express); 3 when no brand is given,
   * though 4 digits are then valid too (no brand rules an American Express code out), so cap
   * a field without a brand at 4, not at this.
   */
  expectedLength: number;
  isValid: boolean;
  isPotentiallyValid: boolean;
}

/**
 * What a typed expiry date says: the verdict `validateCharge` gives the same date (outside the
 * sandbox, whose test cards may be past their date).
 */
export interface ExpiryCheck {
  /** 1–12 once the month reads as one, else null. */
  month: number | null;
  /** Four-digit year once complete ("31" reads as 2031; "20" is a year still being typed), else null. */
  year: number | null;
  /** Past the last day of the expiry month, in UTC. */
  expired: boolean;
  /** A complete date not in the past; a year far ahead is valid, with a warning. */
  isValid: boolean;
  isPotentiallyValid: boolean;
  /**
   * Advisories that do not make the date invalid, as the validators' `warnings`: a year more
   * than 20 years away, `{ path: "year", code: "invalid_value", message: "expiryYear 2047 is
   * more than 20 years away; …" }` (the validator's code and message). Empty otherwise.
   */
  warnings: ValidationProblem[];
}

/** An instant: a `Date`, an ISO 8601 string in UTC, or milliseconds since the epoch. */
export type Instant = Date | string | number;
"#;

/// Checks a card number as typed: brand, Luhn, length, validity and potential validity.
/// Spaces and dashes are accepted as separators. Throws only when `input` is not a string.
#[wasm_bindgen(js_name = checkCardNumber, unchecked_return_type = "CardNumberCheck")]
pub fn check_card_number(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let input = expect_string(&input, "input")?;
    let check = card::check_card_number(&input);
    Ok(ObjectBuilder::new()
        .set("brand", brand_value(check.brand))
        .set(
            "candidates",
            string_array(check.candidates.iter().map(|b| b.code())),
        )
        .set("digitCount", check.digit_count as u32)
        .set("digits", check.digits.as_str())
        .set("luhnValid", check.luhn_valid)
        .set("lengthValid", check.length_valid)
        .set("isValid", check.is_valid)
        .set("isPotentiallyValid", check.is_potentially_valid)
        .build())
}

/// The Luhn (mod 10) checksum over a string of digits; false for anything else.
#[wasm_bindgen(js_name = luhnValid)]
pub fn luhn_valid(
    #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
) -> Result<bool, JsValue> {
    Ok(card::luhn_valid(&expect_string(&number, "number")?))
}

/// The brand of a (possibly partial) card number once it is certain, or null while more
/// than one brand (or none) is possible.
#[wasm_bindgen(js_name = detectBrand, unchecked_return_type = "CardBrand | null")]
pub fn detect_brand(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    Ok(brand_value(card::detect_brand(&expect_string(
        &input, "input",
    )?)))
}

/// Facts about one brand (lengths, CVV length, FlexPay card type), or null for an unknown code.
#[wasm_bindgen(js_name = cardBrandInfo, unchecked_return_type = "CardBrandInfo | null")]
pub fn card_brand_info(
    #[wasm_bindgen(unchecked_param_type = "CardBrand")] brand: JsValue,
) -> Result<JsValue, JsValue> {
    let code = expect_string(&brand, "brand")?;
    Ok(match CardBrand::from_code(&code) {
        None => JsValue::NULL,
        Some(b) => ObjectBuilder::new()
            .set("brand", b.code())
            .set("displayName", b.display_name())
            .set(
                "lengths",
                b.lengths()
                    .iter()
                    .map(|&l| JsValue::from(l))
                    .collect::<js_sys::Array>(),
            )
            .set("cvvLength", b.cvv_length())
            .set(
                "flexpayCardType",
                b.flexpay_card_type()
                    .map_or(JsValue::NULL, JsValue::from_str),
            )
            .build(),
    })
}

fn brand_value(brand: Option<CardBrand>) -> JsValue {
    brand.map_or(JsValue::NULL, |b| JsValue::from_str(b.code()))
}

/// Checks a security code as typed, for a brand (`"americanExpress"` needs 4 digits) or
/// `null` (or nothing) while the brand is unknown (3 or 4 digits accepted).
#[wasm_bindgen(js_name = checkCvv, unchecked_return_type = "CvvCheck")]
pub fn check_cvv(
    #[wasm_bindgen(unchecked_param_type = "string")] cvv: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CardBrand | null")] brand: JsValue,
) -> Result<JsValue, JsValue> {
    let cvv = expect_string(&cvv, "cvv")?;
    let brand = if brand.is_null() || brand.is_undefined() {
        None
    } else {
        let code = expect_string(&brand, "brand")?;
        Some(CardBrand::from_code(&code).ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                &format!(
                    "brand must be a CardBrand code such as \"visa\" or null, got {}",
                    quoted(&code)
                ),
            )
        })?)
    };
    let check = card_input::check_cvv(&cvv, brand);
    Ok(ObjectBuilder::new()
        .set("expectedLength", check.expected_length)
        .set("isValid", check.is_valid)
        .set("isPotentiallyValid", check.is_potentially_valid)
        .build())
}

/// Checks an expiry month (`"1"`–`"12"`) and year (`"2031"` or `"31"`) as typed, against
/// `now` (a `Date`, an ISO 8601 string or epoch milliseconds; the current time when omitted).
#[wasm_bindgen(js_name = checkExpiry, unchecked_return_type = "ExpiryCheck")]
pub fn check_expiry(
    #[wasm_bindgen(unchecked_param_type = "string")] month: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] year: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Instant")] now: JsValue,
) -> Result<JsValue, JsValue> {
    let month = expect_string(&month, "month")?;
    let year = expect_string(&year, "year")?;
    let now = if now.is_undefined() {
        expect_instant(&js_sys::Date::now().into(), "now")?
    } else {
        expect_instant(&now, "now")?
    };
    let check = card_input::check_expiry(&month, &year, now);
    let warnings = js_sys::Array::new();
    if let (true, Some(year)) = (check.far_ahead, check.year) {
        warnings.push(
            &ObjectBuilder::new()
                .set("path", "year")
                .set("code", card_input::FAR_AHEAD_CODE)
                .set("message", card_input::far_ahead_message(year))
                .build(),
        );
    }
    Ok(ObjectBuilder::new()
        .set("month", check.month.map_or(JsValue::NULL, JsValue::from))
        .set("year", check.year.map_or(JsValue::NULL, JsValue::from))
        .set("expired", check.expired)
        .set("isValid", check.is_valid)
        .set("isPotentiallyValid", check.is_potentially_valid)
        .set("warnings", warnings)
        .build())
}
