//! Money and currencies: amounts are integer minor units held in JavaScript numbers, so they
//! are limited to ±(2^53 − 1); anything larger is refused, never rounded.

use flexkit_core::money::{Currency, Money, MoneyError};
use flexkit_core::validation::{code, json::amount_with_fraction};
use wasm_bindgen::prelude::*;

use crate::js::{
    error, error_code, expect_safe_integer, expect_string, number_text, ObjectBuilder,
    MAX_SAFE_INTEGER,
};

#[wasm_bindgen(typescript_custom_section)]
const MONEY_TYPES: &'static str = r#"
/** An active ISO 4217 code. */
export interface CurrencyInfo {
  /** Alphabetic code, e.g. "USD". */
  code: string;
  /** ISO 4217 numeric code, e.g. 840. */
  numeric: number;
  /** Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD; null for the codes ISO
   * gives no minor unit (gold "XAU", "XDR", the testing code "XTS", "XXX", …), which are no
   * payment currency: `parseAmount`, `formatAmount` and the validators refuse them with
   * `unknown_currency`. */
  exponent: number | null;
  /** English name, as the JavaScript runtime's `Intl.DisplayNames` (CLDR) gives it: "US
   * Dollar", "Japanese Yen"; the code itself where the runtime has no name for it. */
  name: string;
}

/** Why an amount string was refused. */
export type AmountErrorCode =
  | "invalid_decimal" | "not_minor_units" | "amount_overflow" | "amount_out_of_range"
  | "unknown_currency";

/** The outcome of `parseAmount`: data, never an exception. */
export type AmountParse =
  | { ok: true; minorUnits: number; currency: string; formatted: string }
  | { ok: false; error: { code: AmountErrorCode; message: string } };
"#;

fn currency_object(currency: Currency) -> JsValue {
    ObjectBuilder::new()
        .set("code", currency.code())
        .set("numeric", currency.numeric())
        .set(
            "exponent",
            if currency.has_minor_unit() {
                JsValue::from(currency.exponent())
            } else {
                JsValue::NULL
            },
        )
        .build()
}

fn failure(code: &str, message: &str) -> JsValue {
    ObjectBuilder::new()
        .set("ok", false)
        .set(
            "error",
            ObjectBuilder::new()
                .set("code", code)
                .set("message", message)
                .build(),
        )
        .build()
}

/// Parses a decimal string (`"10.50"`) into integer minor units of `currency`. Invalid input
/// is answered with `{ ok: false, error }`; only non-string arguments throw.
#[wasm_bindgen(js_name = parseAmount, unchecked_return_type = "AmountParse")]
pub fn parse_amount(
    #[wasm_bindgen(unchecked_param_type = "string")] amount: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] currency: JsValue,
) -> Result<JsValue, JsValue> {
    let amount = expect_string(&amount, "amount")?;
    let code = expect_string(&currency, "currency")?;
    let currency = match Currency::for_payment(&code) {
        Ok(c) => c,
        Err(message) => return Ok(failure(error_code::UNKNOWN_CURRENCY, &message)),
    };
    // Beyond 2^53 - 1 minor units either way: named in the units the amount was written in.
    let out_of_range = |code: &str| {
        let most = Money::new(MAX_SAFE_INTEGER, currency).format();
        let message = format!(
            "amount out of range: {currency} amounts must lie between -{most} and {most} (2^53 - 1 \
             minor units, the most a JavaScript number holds exactly); check the amount for \
             extra digits"
        );
        failure(code, &message)
    };
    Ok(match Money::parse(&amount, currency) {
        Err(e @ MoneyError::AmountOverflow { .. }) => out_of_range(e.code()),
        Err(e) => failure(e.code(), &e.to_string()),
        Ok(money) if money.minor_units().abs() > MAX_SAFE_INTEGER => {
            out_of_range(error_code::AMOUNT_OUT_OF_RANGE)
        }
        Ok(money) => ObjectBuilder::new()
            .set("ok", true)
            .set("minorUnits", money.minor_units() as f64)
            .set("currency", currency.code())
            .set("formatted", money.format())
            .build(),
    })
}

/// Formats integer minor units as a plain decimal string with the currency's exponent
/// (`formatAmount(1050, "USD")` is `"10.50"`). Throws an `Error` with a `code` for a number
/// with a fraction (`not_minor_units`, as the validators word it), one beyond ±(2^53 − 1)
/// (`amount_out_of_range`) or an unknown currency.
#[wasm_bindgen(js_name = formatAmount)]
pub fn format_amount(
    #[wasm_bindgen(unchecked_param_type = "number")] minor_units: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] currency: JsValue,
) -> Result<String, JsValue> {
    if let Some(n) = minor_units
        .as_f64()
        .filter(|n| n.is_finite() && n.fract() != 0.0)
    {
        let currency = currency
            .as_string()
            .and_then(|code| Currency::from_code(&code).ok());
        return Err(error(
            code::NOT_MINOR_UNITS,
            &amount_with_fraction("minorUnits", &number_text(n), currency),
        ));
    }
    let minor_units = expect_safe_integer(&minor_units, "minorUnits")?;
    let code = expect_string(&currency, "currency")?;
    let currency = Currency::for_payment(&code)
        .map_err(|message| error(error_code::UNKNOWN_CURRENCY, &message))?;
    Ok(Money::new(minor_units, currency).format())
}

/// The active ISO 4217 code with this alphabetic code (case-sensitive), or null; `exponent`
/// is null for a code without a minor unit.
#[wasm_bindgen(js_name = currencyInfo, unchecked_return_type = "CurrencyInfo | null")]
pub fn currency_info(
    #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
) -> Result<JsValue, JsValue> {
    let code = expect_string(&code, "code")?;
    Ok(Currency::from_code(&code).map_or(JsValue::NULL, currency_object))
}

/// Every active ISO 4217 currency, sorted by code.
#[wasm_bindgen(unchecked_return_type = "CurrencyInfo[]")]
pub fn currencies() -> JsValue {
    Currency::all()
        .map(currency_object)
        .collect::<js_sys::Array>()
        .into()
}
