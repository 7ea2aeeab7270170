//! The in-process FlexPay sandbox a CRM's test suite runs against.

use flexkit_core::flexpay::account::{AutoRetryStatus, Environment};
use flexkit_core::flexpay::gateway::{Gateway, GatewayStatus};
use flexkit_core::flexpay::list::ListTransactionsQuery;
use flexkit_core::flexpay::payment_method::PaymentMethodEnvelope;
use flexkit_core::flexpay::sandbox::bodies::list_query;
use flexkit_core::flexpay::sandbox::scenarios::{
    run_all_in, run_scenario_in, ScenarioCurrencies, ScenarioReport, ScenarioStep,
};
use flexkit_core::flexpay::sandbox::{
    error_code as sandbox_code, AdminError, ApiError, AutoRetryId, RecoveryLimits, Sandbox,
    SnapshotError,
};
use flexkit_core::flexpay::transaction::TransactionEnvelope;
use flexkit_core::flexpay::validate::{validate_gateway_json, ValidationContext};
use flexkit_core::validation::Severity;
use flexkit_core::UtcTimestamp;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::bridge::reading_message;
use crate::fields::{invalid, known_keys, shown};
use crate::js::{
    error, error_code, expect_instant, expect_safe_integer, expect_string, ObjectBuilder,
};
use crate::to_json;

fn api_error(e: &ApiError) -> JsValue {
    let err = error(e.code, &e.message);
    let _ = js_sys::Reflect::set(&err, &"status".into(), &e.http_status.into());
    err
}

pub(crate) fn admin_error(e: &AdminError) -> JsValue {
    error(e.code, &e.message)
}

/// A list call's query: JSON text written by the JS layer, or absent. A value of the wrong
/// type is the core's HTTP 400 `invalid_list_query`, naming the parameter.
fn list_query_of(text: &JsValue) -> Result<ListTransactionsQuery, JsValue> {
    if text.is_undefined() || text.is_null() {
        return Ok(ListTransactionsQuery::default());
    }
    list_query(&expect_string(text, "query")?).map_err(|e| api_error(&e))
}

fn environment(mode: &JsValue) -> Result<Environment, JsValue> {
    if mode.is_undefined() || mode.is_null() {
        return Ok(Environment::Sandbox);
    }
    match expect_string(mode, "mode")?.as_str() {
        "sandbox" | "Sandbox" => Ok(Environment::Sandbox),
        "production" | "Production" => Ok(Environment::Production),
        other => Err(error(
            error_code::INVALID_ARGUMENT,
            &format!("mode must be \"sandbox\" or \"production\", got {other:?}"),
        )),
    }
}

fn auto_retry_status(status: &JsValue) -> Result<AutoRetryStatus, JsValue> {
    if status.is_undefined() || status.is_null() {
        return Ok(AutoRetryStatus::Enabled);
    }
    match expect_string(status, "status")?.as_str() {
        "enabled" | "Enabled" => Ok(AutoRetryStatus::Enabled),
        "disabled" | "Disabled" => Ok(AutoRetryStatus::Disabled),
        other => Err(error(
            error_code::INVALID_ARGUMENT,
            &format!("status must be \"enabled\" or \"disabled\", got {other:?}"),
        )),
    }
}

fn auto_retry_id(id: &JsValue) -> Result<AutoRetryId, JsValue> {
    let id = expect_safe_integer(id, "id")?;
    u32::try_from(id).map(AutoRetryId).map_err(|_| {
        error(
            error_code::INVALID_ARGUMENT,
            &format!("id must be the id of a FlexPay Retries configuration (a whole number from 0), got {id}"),
        )
    })
}

/// A gateway object (JSON text the JS layer wrote) read by the core's gateway validator, as
/// `validateGateway` reads it: any error refuses the call with 400 `invalid_gateway`, every
/// error named with its path, and on the error's `errors` as `{ path, code, message }`.
fn gateway_of(text: &str, now: UtcTimestamp) -> Result<Gateway, JsValue> {
    let read = validate_gateway_json(text, &ValidationContext::new(now, Environment::Sandbox));
    if let (Some(gateway), true) = (read.request, read.validation.is_ok()) {
        return Ok(gateway);
    }
    let errors = js_sys::Array::new();
    let mut message = String::from("the gateway cannot be saved:");
    for problem in read
        .validation
        .problems()
        .iter()
        .filter(|p| p.severity == Severity::Error)
    {
        message.push_str(if errors.length() == 0 { " " } else { "; " });
        message.push_str(&problem.path);
        message.push_str(": ");
        message.push_str(&problem.message);
        errors.push(
            &ObjectBuilder::new()
                .set("path", problem.path.as_str())
                .set("code", problem.code)
                .set("message", problem.message.as_str())
                .build(),
        );
    }
    let err = error(sandbox_code::INVALID_GATEWAY, &message);
    let _ = js_sys::Reflect::set(&err, &"status".into(), &400.into());
    let _ = js_sys::Reflect::set(&err, &"errors".into(), &errors);
    Err(err)
}

fn gateway_status(status: &JsValue) -> Result<GatewayStatus, JsValue> {
    match expect_string(status, "status")?.as_str() {
        "Available" => Ok(GatewayStatus::Available),
        "Disabled" => Ok(GatewayStatus::Disabled),
        "RefundOnly" => Ok(GatewayStatus::RefundOnly),
        other => Err(error(
            error_code::INVALID_ARGUMENT,
            &format!("status must be \"Available\", \"Disabled\" or \"RefundOnly\", got {other:?}"),
        )),
    }
}

fn step(number: &JsValue) -> Result<ScenarioStep, JsValue> {
    number
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (1.0..=7.0).contains(n))
        .and_then(|n| ScenarioStep::from_number(n as u8))
        .ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                "step must be a scenario number from 1 to 7",
            )
        })
}

/// `options.currencies` of a scenario run: absent for USD alone, else an array of one to four
/// ISO 4217 codes, the first the currency of the gateways steps 6 and 7 create.
fn scenario_currencies(value: &JsValue) -> Result<ScenarioCurrencies, JsValue> {
    if value.is_undefined() {
        return Ok(ScenarioCurrencies::default());
    }
    let shape = || {
        error(
            error_code::INVALID_ARGUMENT,
            "options.currencies must be an array of currency codes, such as [\"USD\", \"EUR\"]",
        )
    };
    if !crate::js::is_array(value) {
        return Err(shape());
    }
    let codes = crate::js::array_items(value)
        .ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                "options.currencies cannot be read (a getter or a Proxy trap threw)",
            )
        })?
        .iter()
        .map(|code| code.as_string().ok_or_else(shape))
        .collect::<Result<Vec<String>, JsValue>>()?;
    ScenarioCurrencies::new(codes.iter().map(String::as_str)).map_err(|problem| {
        error(
            error_code::INVALID_ARGUMENT,
            &format!("options.currencies: {problem}"),
        )
    })
}

fn reports_json(sandbox: &Sandbox, reports: &[ScenarioReport]) -> Result<String, JsValue> {
    to_json(&serde_json::json!({
        "reports": reports,
        "passed": reports.iter().all(|r| r.passed),
        "appendixA": { "csv": sandbox.appendix_a_csv(reports), "json": sandbox.appendix_a_json(reports) },
    }))
}

/// A refused snapshot's message: the core's, with the cause of a text that is not JSON, is cut
/// short or is not a snapshot's shape worded by [`reading_message`] (the path of the value at
/// fault from `snapshot`), never serde's text, as the Flexiti sandbox's snapshots are.
fn snapshot_message(text: &str, e: SnapshotError) -> String {
    match e {
        SnapshotError::Truncated { .. } => SnapshotError::Truncated {
            message: "its JSON text ends before its last value does".into(),
        },
        SnapshotError::Corrupt { message } => SnapshotError::Corrupt {
            message: reading_message(text, "snapshot", &message, &|_| None),
        },
        other => other,
    }
    .to_string()
}

/// The limits of `setRecoveryLimits`, read field by field so misuse is named in the JS API's
/// words: an unknown key is `invalid_argument` (with the field it most likely stands for), a
/// figure that is not a whole number within FlexPay's own limits `invalid_recovery_limits`
/// naming the value given. A figure left out keeps its `current` value.
fn recovery_limits(text: &JsValue, current: RecoveryLimits) -> Result<RecoveryLimits, JsValue> {
    let value: Value = crate::from_json(text, "limits", error_code::INVALID_ARGUMENT)?;
    let Value::Object(object) = &value else {
        return Err(invalid(&format!(
            "limits must be an object {{ maxRetries, windowDays }}, got {}",
            shown(&value)
        )));
    };
    known_keys(object, "limits", &["maxRetries", "windowDays"])?;
    let flexpay = RecoveryLimits::default();
    let figure = |field: &str, current: u32, max: u32, what: &str| -> Result<u32, JsValue> {
        let Some(value) = object.get(field) else {
            return Ok(current);
        };
        value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                error(
                    flexkit_core::flexpay::sandbox::error_code::INVALID_RECOVERY_LIMITS,
                    &format!(
                        "limits.{field} is {}; FlexPay {what}, so give a whole number from 1 \
                         to {max}",
                        shown(value)
                    ),
                )
            })
    };
    Ok(RecoveryLimits {
        max_retries: figure(
            "maxRetries",
            current.max_retries,
            flexpay.max_retries,
            "makes at most 15 retries of a payment",
        )?,
        window_days: figure(
            "windowDays",
            current.window_days,
            flexpay.window_days,
            "recovers a payment within 30 days of its first attempt",
        )?,
    })
}

/// The raw sandbox; `web/npm/sandbox-api.js` wraps it as the `Sandbox` class users see.
#[wasm_bindgen(js_name = RawSandbox)]
pub struct RawSandbox {
    pub(crate) inner: Sandbox,
}

#[wasm_bindgen(js_class = RawSandbox)]
impl RawSandbox {
    /// A fresh sandbox; one seed and one sequence of calls always give the same sandbox, but
    /// for the secrets it hands out (see [`with_entropy`]).
    #[wasm_bindgen(constructor)]
    pub fn new(seed: JsValue) -> Result<RawSandbox, JsValue> {
        let seed = crate::bridge::seed(&seed)?;
        Ok(with_entropy(Sandbox::new(seed)))
    }

    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(text: JsValue) -> Result<RawSandbox, JsValue> {
        let text = expect_string(&text, "snapshot")?;
        Sandbox::from_snapshot(&text)
            .map(with_entropy)
            .map_err(|e| error(e.code(), &snapshot_message(&text, e)))
    }

    pub fn snapshot(&self) -> String {
        self.inner.to_snapshot()
    }

    #[wasm_bindgen(js_name = createCompany)]
    pub fn create_company(
        &mut self,
        name: JsValue,
        code: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let name = expect_string(&name, "name")?;
        let code = expect_string(&code, "code")?;
        let now = expect_instant(&now, "now")?;
        let company = self
            .inner
            .create_company(&name, &code, now)
            .map_err(|e| admin_error(&e))?;
        to_json(&company)
    }

    #[wasm_bindgen(js_name = recoveryLimits)]
    pub fn recovery_limits(&self, company: JsValue) -> Result<String, JsValue> {
        let company = expect_string(&company, "company")?;
        let limits = self
            .inner
            .recovery_limits(&company)
            .map_err(|e| admin_error(&e))?;
        to_json(&limits)
    }

    /// `limits`: JSON text of the object given, written by the JS layer; a figure left out
    /// keeps the company's current one.
    #[wasm_bindgen(js_name = setRecoveryLimits)]
    pub fn set_recovery_limits(
        &mut self,
        company: JsValue,
        limits: JsValue,
    ) -> Result<String, JsValue> {
        let company = expect_string(&company, "company")?;
        let current = self
            .inner
            .recovery_limits(&company)
            .map_err(|e| admin_error(&e))?;
        let limits = recovery_limits(&limits, current)?;
        let limits = self
            .inner
            .set_recovery_limits(&company, limits)
            .map_err(|e| admin_error(&e))?;
        to_json(&limits)
    }

    #[wasm_bindgen(js_name = generateApiKey)]
    pub fn generate_api_key(
        &mut self,
        name: JsValue,
        company: JsValue,
        mode: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let name = expect_string(&name, "name")?;
        let company = expect_string(&company, "company")?;
        let mode = environment(&mode)?;
        let now = expect_instant(&now, "now")?;
        let key = self
            .inner
            .generate_api_key(&name, &company, mode, now)
            .map_err(|e| admin_error(&e))?;
        to_json(&key)
    }

    /// FlexPay Retries: the sandbox schedules and fires the retries of the company's
    /// declined charges in `mode` itself (`runDueRetries`). One per company and mode.
    #[wasm_bindgen(js_name = addAutoRetry)]
    pub fn add_auto_retry(
        &mut self,
        name: JsValue,
        company: JsValue,
        mode: JsValue,
        status: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let name = expect_string(&name, "name")?;
        let company = expect_string(&company, "company")?;
        let mode = environment(&mode)?;
        let status = auto_retry_status(&status)?;
        let now = expect_instant(&now, "now")?;
        let listing = self
            .inner
            .add_auto_retry(&name, &company, mode, status, now)
            .map_err(|e| admin_error(&e))?;
        to_json(&listing)
    }

    #[wasm_bindgen(js_name = autoRetries)]
    pub fn auto_retries(&self) -> Result<String, JsValue> {
        to_json(&self.inner.auto_retries())
    }

    #[wasm_bindgen(js_name = setAutoRetryStatus)]
    pub fn set_auto_retry_status(
        &mut self,
        id: JsValue,
        status: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let id = auto_retry_id(&id)?;
        let status = auto_retry_status(&status)?;
        let now = expect_instant(&now, "now")?;
        let listing = self
            .inner
            .update_auto_retry_status(id, status, now)
            .map_err(|e| admin_error(&e))?;
        to_json(&listing)
    }

    #[wasm_bindgen(js_name = deleteAutoRetry)]
    pub fn delete_auto_retry(&mut self, id: JsValue, now: JsValue) -> Result<(), JsValue> {
        let id = auto_retry_id(&id)?;
        let now = expect_instant(&now, "now")?;
        self.inner
            .delete_auto_retry(id, now)
            .map_err(|e| admin_error(&e))
    }

    pub fn charge(
        &mut self,
        key: JsValue,
        request: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let key = expect_string(&key, "apiKey")?;
        let request = expect_string(&request, "request")?;
        let now = expect_instant(&now, "now")?;
        let r = self
            .inner
            .charge_json(&key, &request, now)
            .map_err(|e| api_error(&e))?;
        to_json(&TransactionEnvelope::new(r))
    }

    pub fn authorize(
        &mut self,
        key: JsValue,
        request: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let key = expect_string(&key, "apiKey")?;
        let request = expect_string(&request, "request")?;
        let now = expect_instant(&now, "now")?;
        let r = self
            .inner
            .authorize_json(&key, &request, now)
            .map_err(|e| api_error(&e))?;
        to_json(&TransactionEnvelope::new(r))
    }

    /// `kind`: "capture", "void", "refund" or "refundedPayment".
    #[wasm_bindgen(js_name = followUp)]
    pub fn follow_up(
        &mut self,
        kind: JsValue,
        key: JsValue,
        transaction_id: JsValue,
        request: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let kind = expect_string(&kind, "kind")?;
        let key = expect_string(&key, "apiKey")?;
        let id = expect_string(&transaction_id, "transactionId")?;
        let request = expect_string(&request, "request")?;
        let now = expect_instant(&now, "now")?;
        let s = &mut self.inner;
        let r = match kind.as_str() {
            "capture" => s.capture_json(&key, &id, &request, now),
            "void" => s.void_json(&key, &id, &request, now),
            "refund" => s.refund_json(&key, &id, &request, now),
            "refundedPayment" => s.refunded_payment_json(&key, &id, &request, now),
            _ => {
                return Err(error(
                    error_code::INVALID_ARGUMENT,
                    "kind must be capture, void, refund or refundedPayment",
                ))
            }
        }
        .map_err(|e| api_error(&e))?;
        to_json(&TransactionEnvelope::new(r))
    }

    #[wasm_bindgen(js_name = getTransaction)]
    pub fn get_transaction(&self, key: JsValue, id: JsValue) -> Result<String, JsValue> {
        let key = expect_string(&key, "apiKey")?;
        let id = expect_string(&id, "transactionId")?;
        let r = self
            .inner
            .get_transaction(&key, &id)
            .map_err(|e| api_error(&e))?;
        to_json(&TransactionEnvelope::new(r))
    }

    #[wasm_bindgen(js_name = getTransactionByMerchantId)]
    pub fn get_transaction_by_merchant_id(
        &self,
        key: JsValue,
        id: JsValue,
    ) -> Result<String, JsValue> {
        let key = expect_string(&key, "apiKey")?;
        let id = expect_string(&id, "merchantTransactionId")?;
        let r = self
            .inner
            .get_transaction_by_merchant_id(&key, &id)
            .map_err(|e| api_error(&e))?;
        to_json(&TransactionEnvelope::new(r))
    }

    #[wasm_bindgen(js_name = listTransactions)]
    pub fn list_transactions(&self, key: JsValue, query: JsValue) -> Result<String, JsValue> {
        let key = expect_string(&key, "apiKey")?;
        let query = list_query_of(&query)?;
        let listing = self
            .inner
            .list_transactions(&key, &query)
            .map_err(|e| api_error(&e))?;
        to_json(&listing)
    }

    /// The vault calls. `op`: "create", "list", "get", "update", "redact" or "recache"; `id`
    /// the paymentMethodId (not read by create and list); `body` the request's JSON text,
    /// with or without its `{"paymentMethod": ...}` envelope (the list query for "list";
    /// not read by get and redact; "null" for none); `now` not read by get and list.
    #[wasm_bindgen(js_name = paymentMethods)]
    pub fn payment_methods(
        &mut self,
        op: JsValue,
        key: JsValue,
        id: JsValue,
        body: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let op = expect_string(&op, "op")?;
        let key = expect_string(&key, "apiKey")?;
        let id = || expect_string(&id, "paymentMethodId");
        let request = || expect_string(&body, "request");
        let now = || expect_instant(&now, "now");
        let s = &mut self.inner;
        let answer = match op.as_str() {
            "create" => s.create_payment_method_json(&key, &request()?, now()?),
            // "null" (no body at all) is an update with nothing to change.
            "update" => s.update_payment_method_json(&key, &id()?, &request()?, now()?),
            "redact" => s.redact_payment_method(&key, &id()?, now()?),
            "recache" => s.recache_payment_method_json(&key, &id()?, &request()?, now()?),
            "get" => {
                let method = s.get_payment_method(&key, &id()?);
                return to_json(&PaymentMethodEnvelope::new(
                    method.map_err(|e| api_error(&e))?,
                ));
            }
            "list" => {
                let list = s.list_payment_methods(&key, &list_query_of(&body)?);
                return to_json(&list.map_err(|e| api_error(&e))?);
            }
            _ => {
                return Err(error(
                    error_code::INVALID_ARGUMENT,
                    "op must be create, list, get, update, redact or recache",
                ))
            }
        };
        to_json(&TransactionEnvelope::new(
            answer.map_err(|e| api_error(&e))?,
        ))
    }

    /// Gateway Management: `op` is create, list, get, update, status or delete; `token` the
    /// gateway's, `body` a gateway's JSON text (create, update) or its status (status).
    pub fn gateways(
        &mut self,
        op: JsValue,
        key: JsValue,
        token: JsValue,
        body: JsValue,
        now: JsValue,
    ) -> Result<String, JsValue> {
        let op = expect_string(&op, "op")?;
        let key = expect_string(&key, "apiKey")?;
        let token = || expect_string(&token, "gatewayToken");
        let now = || expect_instant(&now, "now");
        let s = &mut self.inner;
        // The key first, as FlexPay answers 401 before it reads a body.
        let gateway = |s: &Sandbox, now| {
            s.authenticate(&key).map_err(|e| api_error(&e))?;
            gateway_of(&expect_string(&body, "gateway")?, now)
        };
        let answer = match op.as_str() {
            "list" => return to_json(&s.list_gateways(&key).map_err(|e| api_error(&e))?),
            "delete" => {
                let (token, now) = (token()?, now()?);
                s.delete_gateway(&key, &token, now)
                    .map_err(|e| api_error(&e))?;
                return Ok("null".into());
            }
            "get" => s.get_gateway(&key, &token()?),
            "create" => {
                let now = now()?;
                let gateway = gateway(s, now)?;
                s.create_gateway(&key, gateway, now)
            }
            "update" => {
                let (token, now) = (token()?, now()?);
                let gateway = gateway(s, now)?;
                s.update_gateway(&key, &token, gateway, now)
            }
            "status" => {
                let (token, status, now) = (token()?, gateway_status(&body)?, now()?);
                s.set_gateway_status(&key, &token, status, now)
            }
            _ => {
                return Err(error(
                    error_code::INVALID_ARGUMENT,
                    "op must be create, list, get, update, status or delete",
                ))
            }
        };
        to_json(&answer.map_err(|e| api_error(&e))?)
    }

    #[wasm_bindgen(js_name = runDueRetries)]
    pub fn run_due_retries(&mut self, now: JsValue) -> Result<String, JsValue> {
        let now = expect_instant(&now, "now")?;
        to_json(&self.inner.run_due_retries(now))
    }

    #[wasm_bindgen(js_name = nextScheduledRetry)]
    pub fn next_scheduled_retry(&self) -> Option<String> {
        self.inner.next_scheduled_retry().map(|t| t.to_iso8601())
    }

    #[wasm_bindgen(js_name = transactionCount)]
    pub fn transaction_count(&self) -> u32 {
        u32::try_from(self.inner.transaction_count()).unwrap_or(u32::MAX)
    }

    #[wasm_bindgen(js_name = runScenario)]
    pub fn run_scenario(
        &mut self,
        step_number: JsValue,
        key: JsValue,
        now: JsValue,
        currencies: JsValue,
    ) -> Result<String, JsValue> {
        let step = step(&step_number)?;
        let key = expect_string(&key, "apiKey")?;
        let now = expect_instant(&now, "now")?;
        let currencies = scenario_currencies(&currencies)?;
        let report = run_scenario_in(step, &mut self.inner, &key, now, &currencies);
        reports_json(&self.inner, std::slice::from_ref(&report))
    }

    #[wasm_bindgen(js_name = runAllScenarios)]
    pub fn run_all_scenarios(
        &mut self,
        key: JsValue,
        now: JsValue,
        currencies: JsValue,
    ) -> Result<String, JsValue> {
        let key = expect_string(&key, "apiKey")?;
        let now = expect_instant(&now, "now")?;
        let currencies = scenario_currencies(&currencies)?;
        let reports = run_all_in(&mut self.inner, &key, now, &currencies);
        reports_json(&self.inner, &reports)
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(bytes: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// The sandbox with its secrets (API keys, suggested temporary passwords) masked by 32 bytes
/// of the platform's cryptographic randomness (`crypto.getRandomValues`, a global of every
/// Node.js the package supports and of browsers), which no snapshot holds: a snapshot cannot
/// give a secret back. Where the platform has none (a runtime without Web Crypto) the secrets
/// follow from the seed, as the core's are without entropy.
fn with_entropy(mut inner: Sandbox) -> RawSandbox {
    let mut entropy = [0u8; 32];
    if get_random_values(&mut entropy).is_ok() {
        inner.use_entropy(entropy);
    }
    RawSandbox { inner }
}
