//! `RetryChain`: one declined payment's recovery through FlexPay.

use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::retry::{
    Attempt, AttemptResponse, ChainError, ChainOptions, LoadError, NotReady, RetryChain,
    RetryPolicy, StopReason,
};
use flexkit_core::money::{Currency, Money};
use flexkit_core::validation::{code, json::amount_with_fraction};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::bridge::reading_message;
use crate::fields::{invalid, known_keys, shown};
use crate::js::{error, error_code, expect_instant, expect_string, number_text, MAX_SAFE_INTEGER};
use crate::{from_json, to_json};

fn chain_error(e: &ChainError) -> JsValue {
    match e {
        // An empty text argument or option is misuse, coded as every misuse of the package is.
        ChainError::Required { field } => {
            let (name, takes) = match *field {
                "merchantTransactionIdBase" => (
                    "options.merchantTransactionIdBase",
                    "text that is not blank, the start of every attempt's merchantTransactionId \
                     (or leave it out to supply the ids yourself)",
                ),
                "merchantReference" => (
                    "merchantReference",
                    "text that is not blank, your reference of the payment",
                ),
                "refundTransactionId" => (
                    "refundTransactionId",
                    "text that is not blank, FlexPay's transactionId of the refund",
                ),
                other => (other, "text that is not blank"),
            };
            error(
                error_code::INVALID_ARGUMENT,
                &format!("{name} is empty or blank; it takes {takes}"),
            )
        }
        _ => error(e.code(), &e.to_string()),
    }
}

/// A refusal of a new chain's options: the fields it names are under `options` in JS.
fn options_error(e: &ChainError) -> JsValue {
    match e {
        ChainError::PolicyOutOfRange { .. }
        | ChainError::DueBeforeStart { .. }
        | ChainError::DueAfterDeadline { .. } => error(e.code(), &format!("options.{e}")),
        _ => chain_error(e),
    }
}

/// A refused stored chain's message: the core's, with the cause of a text that is not JSON or
/// not a chain's shape worded by [`reading_message`] from the reader's detail (the path of the
/// value at fault from `json`, the argument's name, and what it takes), never serde's text.
fn load_message(text: &str, e: &LoadError) -> String {
    let worded = |detail: &str| reading_message(text, "json", detail, &stored_takes);
    match e {
        LoadError::MalformedJson { detail, .. } => LoadError::MalformedJson {
            message: worded(detail),
            detail: String::new(),
        }
        .to_string(),
        LoadError::Corrupt {
            detail: Some(detail),
            ..
        } => LoadError::Corrupt {
            message: worded(detail),
            detail: None,
        }
        .to_string(),
        other => other.to_string(),
    }
}

/// What a field of a stored chain takes, where serde's own words would not say it.
fn stored_takes(field: &str) -> Option<&'static str> {
    Some(match field {
        "declinedAt" | "createdAt" | "dateFirstAttempt" | "dueAt" | "sentAt" | "answeredAt"
        | "retryDate" | "refundedAt" | "at" => {
            "an instant in UTC as ISO 8601 text (\"2026-01-01T00:00:00Z\")"
        }
        "responseCode" | "code" | "previousRejection" => {
            "a FlexPay response code, its five digits as a string (\"20003\")"
        }
        "currency" => "an ISO 4217 currency code such as \"USD\"",
        _ => return None,
    })
}

/// The JSON text the JS layer wrote, as a value. It came from `JSON.stringify`, so it parses.
fn parse(text: &JsValue, name: &str) -> Result<Value, JsValue> {
    from_json(text, name, error_code::INVALID_ARGUMENT)
}

fn optional_string(
    object: &Map<String, Value>,
    name: &str,
    field: &str,
) -> Result<Option<String>, JsValue> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(&format!(
            "{name}.{field} must be a string or null, got {}",
            shown(other)
        ))),
    }
}

fn amount(value: &Value) -> Result<Money, JsValue> {
    const NAME: &str = "options.amount.minorUnits";
    let Value::Object(object) = value else {
        return Err(invalid(&format!(
            "options.amount must be an object {{ minorUnits, currency }}, got {}",
            shown(value)
        )));
    };
    known_keys(object, "options.amount", &["minorUnits", "currency"])?;
    let currency = match object.get("currency") {
        // Gold, XTS and the other codes without a minor unit take no payment, as
        // parseAmount and the validators say.
        Some(Value::String(text)) => Currency::for_payment(text)
            .map_err(|message| error(error_code::UNKNOWN_CURRENCY, &message))?,
        other => {
            return Err(invalid(&format!(
                "options.amount.currency must be an ISO 4217 code such as \"USD\", got {}",
                other.map_or_else(|| "none".into(), shown)
            )))
        }
    };
    let minor_units = match object.get("minorUnits") {
        Some(Value::Number(n)) => n,
        other => {
            return Err(invalid(&format!(
                "{NAME} must be an integer number of minor units (1050 for USD 10.50), got {}",
                other.map_or_else(|| "none".into(), shown)
            )))
        }
    };
    if let Some(units) = minor_units
        .as_i64()
        .filter(|units| units.abs() <= MAX_SAFE_INTEGER)
    {
        return Ok(Money::new(units, currency));
    }
    let n = minor_units.as_f64().unwrap_or(f64::NAN);
    if n.fract() != 0.0 {
        return Err(error(
            code::NOT_MINOR_UNITS,
            &amount_with_fraction(NAME, &number_text(n), Some(currency)),
        ));
    }
    Err(error(
        error_code::AMOUNT_OUT_OF_RANGE,
        &format!("{NAME} must be a safe integer (at most 2^53 - 1)"),
    ))
}

/// One figure of `options.policy`: absent or null is FlexPay's own limit; anything but a whole
/// number that fits is out of range, named as given (the core judges the rest).
fn policy_figure(
    object: &Map<String, Value>,
    field: &'static str,
    default: u32,
    max: u32,
) -> Result<u32, JsValue> {
    let Some(value) = object.get(field).filter(|value| !value.is_null()) else {
        return Ok(default);
    };
    value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            options_error(&ChainError::PolicyOutOfRange {
                field,
                value: shown(value),
                max,
            })
        })
}

fn policy(value: Option<&Value>) -> Result<RetryPolicy, JsValue> {
    let object = match value {
        None | Some(Value::Null) => return Ok(RetryPolicy::default()),
        Some(Value::Object(object)) => object,
        Some(other) => {
            return Err(invalid(&format!(
                "options.policy must be an object {{ maxRetries, maxAgeDays }}, got {}",
                shown(other)
            )))
        }
    };
    known_keys(object, "options.policy", &["maxRetries", "maxAgeDays"])?;
    let default = RetryPolicy::default();
    Ok(RetryPolicy {
        max_retries: policy_figure(
            object,
            "maxRetries",
            default.max_retries,
            RetryPolicy::FLEXPAY_MAX_RETRIES,
        )?,
        max_age_days: policy_figure(
            object,
            "maxAgeDays",
            default.max_age_days,
            RetryPolicy::MAX_AGE_DAYS_LIMIT,
        )?,
    })
}

fn options(text: &JsValue) -> Result<ChainOptions, JsValue> {
    if text.is_undefined() || text.is_null() {
        return Ok(ChainOptions::default());
    }
    let value = parse(text, "options")?;
    let Value::Object(object) = &value else {
        return Err(invalid(&format!(
            "options must be an object, got {}",
            shown(&value)
        )));
    };
    known_keys(
        object,
        "options",
        &[
            "amount",
            "merchantTransactionIdBase",
            "policy",
            "firstAttemptDueAt",
        ],
    )?;
    let amount = match object.get("amount") {
        None | Some(Value::Null) => None,
        Some(value) => Some(amount(value)?),
    };
    let first_attempt_due_at = match object.get("firstAttemptDueAt") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(expect_instant(
            &s.as_str().into(),
            "options.firstAttemptDueAt",
        )?),
        Some(Value::Number(n)) => Some(expect_instant(
            &n.as_f64().unwrap_or(f64::NAN).into(),
            "options.firstAttemptDueAt",
        )?),
        Some(other) => {
            return Err(invalid(&format!(
                "options.firstAttemptDueAt must be a Date, an ISO 8601 string or epoch ms, got {}",
                shown(other)
            )))
        }
    };
    Ok(ChainOptions {
        amount,
        merchant_transaction_id_base: optional_string(
            object,
            "options",
            "merchantTransactionIdBase",
        )?,
        policy: policy(object.get("policy"))?,
        first_attempt_due_at,
    })
}

/// FlexPay's answer to an attempt: the fields of a transaction response the chain reads. The
/// others a full response carries are ignored.
struct ResponseInput {
    response_code: ResponseCode,
    retry_date: Option<String>,
    reference_data: Option<String>,
    retry_count: Option<u32>,
    transaction_id: Option<String>,
    merchant_transaction_id: Option<String>,
    amount: Option<i64>,
    currency_code: Option<String>,
}

fn response_input(value: &Value) -> Result<ResponseInput, JsValue> {
    const NAME: &str = "response";
    let Value::Object(object) = value else {
        return Err(invalid(&format!(
            "response must be FlexPay's transaction response (an object with its \
             responseCode, retryDate, referenceData, ...) or the {{ transaction }} envelope \
             around it, got {}",
            shown(value)
        )));
    };
    let code_value = object.get("responseCode").filter(|v| !v.is_null());
    let response_code = match code_value {
        Some(Value::String(s)) => ResponseCode::parse_five_digits(s).ok(),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .and_then(|n| ResponseCode::new_five_digits(n).ok()),
        _ => None,
    }
    .ok_or_else(|| {
        let got = match code_value {
            None => "it has none".into(),
            Some(value) => format!("got {}", shown(value)),
        };
        invalid(&format!(
            "response.responseCode must be FlexPay's response code, its five digits as a \
             string (\"20023\") or a number; {got}"
        ))
    })?;
    let retry_count = match object.get("retryCount").filter(|value| !value.is_null()) {
        None => None,
        Some(value) => Some(
            value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    invalid(&format!(
                        "response.retryCount must be the whole number FlexPay echoed (0 or \
                         more), or null, got {}",
                        shown(value)
                    ))
                })?,
        ),
    };
    let amount = match object.get("amount").filter(|value| !value.is_null()) {
        None => None,
        Some(value) => Some(value.as_i64().ok_or_else(|| {
            invalid(&format!(
                "response.amount must be the amount FlexPay echoed, a whole number of minor \
                 units, or null, got {}",
                shown(value)
            ))
        })?),
    };
    Ok(ResponseInput {
        amount,
        currency_code: optional_string(object, NAME, "currencyCode")?,
        response_code,
        retry_date: optional_string(object, NAME, "retryDate")?,
        reference_data: optional_string(object, NAME, "referenceData")?,
        retry_count,
        transaction_id: optional_string(object, NAME, "transactionId")?,
        merchant_transaction_id: optional_string(object, NAME, "merchantTransactionId")?,
    })
}

/// The raw chain; `web/npm/sandbox-api.js` wraps it as the `RetryChain` class users see.
#[wasm_bindgen(js_name = RawRetryChain)]
pub struct RawRetryChain {
    inner: RetryChain,
}

#[wasm_bindgen(js_class = RawRetryChain)]
impl RawRetryChain {
    #[wasm_bindgen(js_name = afterGatewayDecline)]
    pub fn after_gateway_decline(
        merchant_reference: JsValue,
        declined_at: JsValue,
        options_json: JsValue,
    ) -> Result<RawRetryChain, JsValue> {
        let reference = expect_string(&merchant_reference, "merchantReference")?;
        let at = expect_instant(&declined_at, "declinedAt")?;
        RetryChain::after_gateway_decline(reference, at, options(&options_json)?)
            .map(|inner| RawRetryChain { inner })
            .map_err(|e| options_error(&e))
    }

    #[wasm_bindgen(js_name = initialAttemptThroughFlexPay)]
    pub fn initial_attempt_through_flexpay(
        merchant_reference: JsValue,
        created_at: JsValue,
        options_json: JsValue,
    ) -> Result<RawRetryChain, JsValue> {
        let reference = expect_string(&merchant_reference, "merchantReference")?;
        let at = expect_instant(&created_at, "createdAt")?;
        RetryChain::initial_attempt_through_flexpay(reference, at, options(&options_json)?)
            .map(|inner| RawRetryChain { inner })
            .map_err(|e| options_error(&e))
    }

    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: JsValue) -> Result<RawRetryChain, JsValue> {
        let text = expect_string(&text, "json")?;
        RetryChain::from_json(&text)
            .map(|inner| RawRetryChain { inner })
            .map_err(|e| error(e.code(), &load_message(&text, &e)))
    }

    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// `{"ok":true,"attempt":{...}}` or `{"ok":false,"notReady":{"code":...,"message":...}}`.
    #[wasm_bindgen(js_name = nextAttempt)]
    pub fn next_attempt(&mut self, now: JsValue) -> Result<String, JsValue> {
        let now = expect_instant(&now, "now")?;
        next_attempt_json(self.inner.next_attempt(now))
    }

    /// What `nextAttempt` would answer, the chain left as it is.
    #[wasm_bindgen(js_name = peekAttempt)]
    pub fn peek_attempt(&self, now: JsValue) -> Result<String, JsValue> {
        let now = expect_instant(&now, "now")?;
        next_attempt_json(self.inner.peek_attempt(now))
    }

    #[wasm_bindgen(js_name = recordResponse)]
    pub fn record_response(
        &mut self,
        response_json: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let input = response_input(&parse(&response_json, "response")?)?;
        let now = expect_instant(&now, "now")?;
        let response = AttemptResponse {
            response_code: input.response_code,
            retry_date: input.retry_date.as_deref(),
            reference_data: input.reference_data.as_deref(),
            retry_count: input.retry_count,
            transaction_id: input.transaction_id.as_deref(),
            merchant_transaction_id: input.merchant_transaction_id.as_deref(),
            amount: input.amount,
            currency_code: input.currency_code.as_deref(),
        };
        let transition = self
            .inner
            .record_response(response, now)
            .map_err(|e| chain_error(&e))?;
        to_json(&transition)
    }

    #[wasm_bindgen(js_name = abandonAttempt)]
    pub fn abandon_attempt(&mut self) -> Result<(), JsValue> {
        self.inner.abandon_attempt().map_err(|e| chain_error(&e))
    }

    pub fn stop(&mut self, reason: JsValue, now: JsValue) -> Result<String, JsValue> {
        let reason = match expect_string(&reason, "reason")?.as_str() {
            "subscriptionCancelled" => StopReason::SubscriptionCancelled,
            "paidElsewhere" => StopReason::PaidElsewhere,
            "merchantDecision" => StopReason::MerchantDecision,
            other => {
                return Err(error(
                    error_code::INVALID_ARGUMENT,
                    &format!(
                        "reason must be \"subscriptionCancelled\", \"paidElsewhere\" or \
                         \"merchantDecision\", got {other:?}"
                    ),
                ))
            }
        };
        let now = expect_instant(&now, "now")?;
        let transition = self.inner.stop(reason, now).map_err(|e| chain_error(&e))?;
        to_json(&transition)
    }

    #[wasm_bindgen(js_name = recordRefund)]
    pub fn record_refund(
        &mut self,
        refund_transaction_id: JsValue,
        amount: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let id = expect_string(&refund_transaction_id, "refundTransactionId")?;
        let amount = if amount.is_null() || amount.is_undefined() {
            None
        } else if let Some(n) = amount
            .as_f64()
            .filter(|n| n.is_finite() && n.fract() != 0.0)
        {
            // As `formatAmount` and the validators answer a fraction.
            return Err(error(
                code::NOT_MINOR_UNITS,
                &amount_with_fraction("amount", &number_text(n), None),
            ));
        } else {
            Some(crate::js::expect_safe_integer(&amount, "amount")?)
        };
        let now = expect_instant(&now, "now")?;
        let transition = self
            .inner
            .record_refund(&id, amount, now)
            .map_err(|e| chain_error(&e))?;
        to_json(&transition)
    }

    /// `{ status, retryCount, referenceData, dueAt, deadline, dateFirstAttempt, state, ... }`.
    pub fn snapshot(&self) -> Result<String, JsValue> {
        let c = &self.inner;
        to_json(&serde_json::json!({
            "status": c.status().code(),
            "isTerminal": c.status().is_terminal(),
            "retryCount": c.retry_count(),
            "referenceData": c.reference_data(),
            "dueAt": c.due_at(),
            "deadline": c.deadline(),
            "dateFirstAttempt": c.date_first_attempt(),
            "retriesMade": c.retries_made(),
            "merchantReference": c.merchant_reference(),
            "latestTransactionId": c.latest_transaction_id(),
            "recoveredTransactionId": c.recovered_transaction_id(),
            "state": c.state(),
            "history": c.history(),
        }))
    }
}

/// The JSON of a `nextAttempt`/`peekAttempt` answer.
fn next_attempt_json(answer: Result<Attempt, NotReady>) -> Result<String, JsValue> {
    let value = match answer {
        Ok(attempt) => serde_json::json!({ "ok": true, "attempt": attempt }),
        Err(not_ready) => {
            let mut data = serde_json::to_value(not_ready).unwrap_or_default();
            if let Some(object) = data.as_object_mut() {
                object.insert("message".into(), not_ready.to_string().into());
            }
            serde_json::json!({ "ok": false, "notReady": data })
        }
    };
    to_json(&value)
}
