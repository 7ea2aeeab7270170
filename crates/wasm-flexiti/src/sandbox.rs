//! The in-process Flexiti TRAINING sandbox a merchant's test suite runs against.
//!
//! Every call takes the `authorization` header, `now` and the optional idempotency headers,
//! as the real API does; errors the API answers with an HTTP status throw an `Error` whose
//! `code` is Flexiti's code, with `status`, `fieldErrors` and the error `body` attached.

use flexkit_core::flexiti::sandbox::{
    check_lang, check_reference_id, token_refusal, CallContext, Sandbox, ENVIRONMENT,
    SCHEMA_VERSION, TEST_ACCOUNTS, TEST_CLIENT_ID, TEST_PIN, TEST_PLANS,
};
use flexkit_core::flexiti::{
    amount, AccountVerifyBody, ApiError, AuthorizationBody, AuthorizationDetailQuery,
    AuthorizationListQuery, CalculateInterestBody, CaptureBody, CaptureListQuery,
    CustomerLookupQuery, CustomerSearchQuery, Endpoint, RefundBody, ReleaseBody, RequestBody,
    ReturnBody, TokenRequest, TransactionBody,
};
use flexkit_core::validation::Validation;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::client::{idempotency_of, Kind};
use crate::js::{error, error_code, expect_instant, expect_string, optional_string};
use crate::{environment_id, ids_as_strings, throw_api_error, to_json, to_value};

/// The request read from `text`, or Flexiti's `wrong_inputs` answer with the values sent.
fn body<T: RequestBody>(
    text: &str,
    read: impl FnOnce(&str) -> Result<(T, Validation), Validation>,
) -> Result<T, JsValue> {
    read(text)
        .map(|(body, _)| body)
        .map_err(|v| throw_api_error(&ApiError::wrong_inputs_in(&v, text)))
}

/// What `createFetch` checks of a request before the call itself: the `x-reference-id` header
/// (every call; `undefined` when it was not sent) and the `lang` query parameter, which the
/// caller passes for the POST calls that document it (`lang` in `endpoints()`). Throws
/// Flexiti's answer (`409 wrong_inputs` for the header, and for `lang` the GET queries'
/// `409 wrong_inputs`).
#[wasm_bindgen(js_name = rawCheckHttp)]
pub fn raw_check_http(reference_id: JsValue, lang: JsValue) -> Result<(), JsValue> {
    let reference_id = optional_string(&reference_id, "referenceId")?;
    let lang = optional_string(&lang, "lang")?;
    check_reference_id(reference_id.as_deref()).map_err(|e| throw_api_error(&e))?;
    check_lang(lang.as_deref()).map_err(|e| throw_api_error(&e))?;
    Ok(())
}

/// The raw sandbox; `web/npm/lib/flexiti-api.js` wraps it as the `FlexitiSandbox` class.
#[wasm_bindgen(js_name = RawFlexitiSandbox)]
pub struct RawFlexitiSandbox {
    inner: Sandbox,
}

#[wasm_bindgen(js_class = RawFlexitiSandbox)]
impl RawFlexitiSandbox {
    /// A fresh sandbox; one seed and one sequence of calls always give the same sandbox.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: JsValue) -> Result<RawFlexitiSandbox, JsValue> {
        let seed = crate::bridge::seed(&seed)?;
        Ok(RawFlexitiSandbox {
            inner: Sandbox::new(seed),
        })
    }

    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(text: JsValue) -> Result<RawFlexitiSandbox, JsValue> {
        let text = expect_string(&text, "snapshot")?;
        Sandbox::restore(&text)
            .map(|inner| RawFlexitiSandbox { inner })
            .map_err(|e| error(e.code(), &crate::snapshot_message(&text, &e)))
    }

    /// Replaces the state with a snapshot's, or throws and keeps the current state.
    pub fn restore(&mut self, text: JsValue) -> Result<(), JsValue> {
        let text = expect_string(&text, "snapshot")?;
        let restored = Sandbox::restore(&text)
            .map_err(|e| error(e.code(), &crate::snapshot_message(&text, &e)))?;
        self.inner = restored;
        Ok(())
    }

    pub fn snapshot(&self) -> String {
        self.inner.snapshot()
    }

    /// `{ environment, clientId, clientSecret }`: the credentials this sandbox accepts.
    pub fn credentials(&self) -> Result<String, JsValue> {
        let c = self.inner.credentials();
        to_json(&json!({
            "environment": environment_id(c.environment),
            "clientId": c.client_id.as_str(),
            "clientSecret": c.client_secret.expose(),
        }))
    }

    /// The fixed test data: accounts in every status, the PIN, the plans.
    #[wasm_bindgen(js_name = testData)]
    pub fn test_data() -> Result<String, JsValue> {
        let accounts: Vec<Value> = TEST_ACCOUNTS
            .iter()
            .map(|a| {
                json!({
                    "purpose": a.purpose,
                    "accountNumber": a.account_number,
                    "customerId": a.customer_id,
                    "firstName": a.first_name,
                    "lastName": a.last_name,
                    "accountStatus": a.status,
                    "active": a.active,
                    "creditLimit": amount::cad(a.credit_limit_cents).format(),
                    "balance": amount::cad(a.balance_cents).format(),
                    "vccNumbers": a.vcc_numbers,
                    "accountType": a.account_type,
                    "dob": a.dob,
                    "postalCode": a.postal_code,
                    "securityQid": a.security_qid,
                    "securityAnswer": a.security_answer,
                    "mobileOnFile": a.mobile_on_file,
                })
            })
            .collect();
        let plans: Vec<Value> = TEST_PLANS
            .iter()
            .map(|(plan, terms)| json!({ "planId": plan, "terms": terms }))
            .collect();
        to_json(&json!({
            "environment": environment_id(ENVIRONMENT),
            "clientId": TEST_CLIENT_ID,
            "pin": TEST_PIN,
            "plans": plans,
            "accounts": accounts,
            "snapshotVersion": SCHEMA_VERSION,
        }))
    }

    /// `POST oauth/token` with the form body of `tokenRequest`; answers Flexiti's token JSON.
    pub fn token(&mut self, form: JsValue, now: JsValue) -> Result<String, JsValue> {
        let form = expect_string(&form, "body")?;
        let now = expect_instant(&now, "now")?;
        let request = match TokenRequest::from_form(&form) {
            Ok((request, _)) => request,
            Err(validation) => return Err(throw_api_error(&token_refusal(&form, &validation))),
        };
        let answer = self
            .inner
            .token(now, &request)
            .map_err(|e| throw_api_error(&e))?;
        to_json(&answer)
    }

    /// One API call. `endpoint` is the JSON descriptor of `prepare` (`{ kind, authorizationId,
    /// captureId, accountNumber, issuedIn }`), `request` the body or query as JSON text. The
    /// answer's wide ids are strings, or with `wire` (`createFetch`) the JSON numbers Flexiti
    /// sends.
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &mut self,
        endpoint: JsValue,
        request: JsValue,
        authorization: JsValue,
        now: JsValue,
        idempotency_key: JsValue,
        context_hash: JsValue,
        wire: bool,
    ) -> Result<String, JsValue> {
        let (kind, endpoint) = crate::client::endpoint_in(&endpoint, ENVIRONMENT)?;
        let text = expect_string(&request, "request")?;
        let authorization = expect_string(&authorization, "authorization")?;
        let now = expect_instant(&now, "now")?;
        let key = optional_string(&idempotency_key, "idempotency.key")?;
        let hash = optional_string(&context_hash, "idempotency.contextHash")?;
        let idempotency = idempotency_of(key.as_deref(), hash.as_deref())?;
        let call = CallContext {
            now,
            authorization: &authorization,
            idempotency: idempotency.as_ref(),
        };
        let s = &mut self.inner;
        let t = text.as_str();
        let api = |e: ApiError| throw_api_error(&e);
        let mut answer = match (kind, endpoint) {
            (Kind::CustomerLookup, _) => to_value(
                &s.lookup(&call, &body(t, CustomerLookupQuery::from_json)?)
                    .map_err(api)?,
            ),
            (Kind::CustomerSearch, _) => {
                let query = body(t, |t| CustomerSearchQuery::from_json_at(t, now))?;
                to_value(&s.search(&call, &query).map_err(api)?)
            }
            (Kind::AccountVerify, Endpoint::AccountVerify { account_number }) => {
                let b = body(t, AccountVerifyBody::from_json)?;
                to_value(&s.verify(&call, account_number, &b).map_err(api)?)
            }
            (Kind::CalculateInterest, Endpoint::CalculateInterest { account_number }) => {
                let b = body(t, CalculateInterestBody::from_json)?;
                to_value(
                    &s.calculate_interest(&call, account_number, &b)
                        .map_err(api)?,
                )
            }
            (Kind::Authorization, _) => {
                let b = body(t, AuthorizationBody::from_json)?;
                to_value(&s.authorize(&call, &b).map_err(api)?)
            }
            (Kind::Capture, Endpoint::Capture { authorization_id }) => {
                let b = body(t, CaptureBody::from_json)?;
                to_value(&s.capture(&call, authorization_id, &b).map_err(api)?)
            }
            (Kind::Release, Endpoint::Release { authorization_id }) => {
                let b = body(t, ReleaseBody::from_json)?;
                to_value(&s.release(&call, authorization_id, &b).map_err(api)?)
            }
            (
                Kind::Return,
                Endpoint::Return {
                    authorization_id,
                    capture_id,
                },
            ) => {
                let b = body(t, ReturnBody::from_json)?;
                to_value(
                    &s.return_capture(&call, authorization_id, capture_id, &b)
                        .map_err(api)?,
                )
            }
            (Kind::Refund, Endpoint::Refund { account_number }) => {
                let b = body(t, RefundBody::from_json)?;
                to_value(&s.refund(&call, account_number, &b).map_err(api)?)
            }
            (Kind::Transaction, _) => {
                let b = body(t, TransactionBody::from_json)?;
                to_value(&s.transaction(&call, &b).map_err(api)?)
            }
            (Kind::AuthorizationList, _) => {
                let q = body(t, AuthorizationListQuery::from_json)?;
                to_value(&s.authorizations(&call, &q).map_err(api)?)
            }
            (Kind::CaptureList, _) => {
                let q = body(t, CaptureListQuery::from_json)?;
                to_value(&s.captures(&call, &q).map_err(api)?)
            }
            (Kind::AuthorizationDetail, Endpoint::AuthorizationDetail { authorization_id }) => {
                let q = body(t, AuthorizationDetailQuery::from_json)?;
                to_value(
                    &s.authorization_detail(&call, authorization_id, &q)
                        .map_err(api)?,
                )
            }
            _ => Err(error(
                error_code::INVALID_ARGUMENT,
                "the endpoint does not match its kind",
            )),
        }?;
        if !wire {
            ids_as_strings(&mut answer);
        }
        to_json(&answer)
    }
}
