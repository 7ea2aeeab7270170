//! `RetryChain`: one declined payment's recovery through FlexPay.

use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::retry::{
    AttemptResponse, ChainError, ChainOptions, RetryChain, RetryPolicy, StopReason,
};
use flexkit_core::money::{Currency, Money};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::js::{error, error_code, expect_instant, expect_string};
use crate::{from_json, to_json};

fn chain_error(e: &ChainError) -> JsValue {
    error(e.code(), &e.to_string())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AmountInput {
    minor_units: i64,
    currency: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PolicyInput {
    max_retries: Option<u32>,
    max_age_days: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OptionsInput {
    amount: Option<AmountInput>,
    merchant_transaction_id_base: Option<String>,
    policy: Option<PolicyInput>,
    first_attempt_due_at: Option<serde_json::Value>,
}

fn options(text: &JsValue) -> Result<ChainOptions, JsValue> {
    let input: OptionsInput = if text.is_undefined() || text.is_null() {
        OptionsInput::default()
    } else {
        from_json(text, "options", error_code::INVALID_ARGUMENT)?
    };
    let amount = match input.amount {
        None => None,
        Some(a) => {
            if a.minor_units.abs() > crate::js::MAX_SAFE_INTEGER {
                return Err(error(
                    error_code::AMOUNT_OUT_OF_RANGE,
                    "options.amount.minorUnits must be a safe integer (at most 2^53 - 1)",
                ));
            }
            let currency = Currency::from_code(&a.currency)
                .map_err(|e| error(error_code::UNKNOWN_CURRENCY, &e.to_string()))?;
            Some(Money::new(a.minor_units, currency))
        }
    };
    let default = RetryPolicy::default();
    let policy = input.policy.map_or(default, |p| RetryPolicy {
        max_retries: p.max_retries.unwrap_or(default.max_retries),
        max_age_days: p.max_age_days.unwrap_or(default.max_age_days),
    });
    let first_attempt_due_at = match input.first_attempt_due_at {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => {
            Some(expect_instant(&s.into(), "options.firstAttemptDueAt")?)
        }
        Some(serde_json::Value::Number(n)) => Some(expect_instant(
            &n.as_f64().unwrap_or(f64::NAN).into(),
            "options.firstAttemptDueAt",
        )?),
        Some(_) => {
            return Err(error(
                error_code::INVALID_ARGUMENT,
                "options.firstAttemptDueAt must be a Date, an ISO 8601 string or epoch ms",
            ))
        }
    };
    Ok(ChainOptions {
        amount,
        merchant_transaction_id_base: input.merchant_transaction_id_base,
        policy,
        first_attempt_due_at,
    })
}

/// FlexPay's answer to an attempt: the fields of a transaction response the chain reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResponseInput {
    response_code: serde_json::Value,
    retry_date: Option<String>,
    reference_data: Option<String>,
    retry_count: Option<u32>,
    transaction_id: Option<String>,
    merchant_transaction_id: Option<String>,
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
            .map_err(|e| chain_error(&e))
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
            .map_err(|e| chain_error(&e))
    }

    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: JsValue) -> Result<RawRetryChain, JsValue> {
        let text = expect_string(&text, "json")?;
        RetryChain::from_json(&text)
            .map(|inner| RawRetryChain { inner })
            .map_err(|e| error(e.code(), &e.to_string()))
    }

    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// `{"ok":true,"attempt":{...}}` or `{"ok":false,"notReady":{"code":...,"message":...}}`.
    #[wasm_bindgen(js_name = nextAttempt)]
    pub fn next_attempt(&mut self, now: JsValue) -> Result<String, JsValue> {
        let now = expect_instant(&now, "now")?;
        let value = match self.inner.next_attempt(now) {
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

    #[wasm_bindgen(js_name = recordResponse)]
    pub fn record_response(
        &mut self,
        response_json: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let input: ResponseInput =
            from_json(&response_json, "response", error_code::INVALID_ARGUMENT)?;
        let code = match &input.response_code {
            serde_json::Value::String(s) => ResponseCode::parse(s).ok(),
            serde_json::Value::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .and_then(|n| ResponseCode::new(n).ok()),
            _ => None,
        }
        .ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                "response.responseCode must be a FlexPay response code such as \"20023\"",
            )
        })?;
        let now = expect_instant(&now, "now")?;
        let response = AttemptResponse {
            response_code: code,
            retry_date: input.retry_date.as_deref(),
            reference_data: input.reference_data.as_deref(),
            retry_count: input.retry_count,
            transaction_id: input.transaction_id.as_deref(),
            merchant_transaction_id: input.merchant_transaction_id.as_deref(),
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
