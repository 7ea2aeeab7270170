//! The client side of the Flexiti POS API: environments and endpoints, the token call and the
//! refresh rule, validation of every request type, `prepare`, business rules and error bodies.

use flexkit_core::flexiti::auth::{REFRESH_MARGIN_SECONDS, TOKEN_LIFETIME_SECONDS};
use flexkit_core::flexiti::history::{
    DEFAULT_PAGE_SIZE, MAX_PAGE_NUMBER, MAX_PAGE_SIZE, MAX_RANGE_DAYS,
};
use flexkit_core::flexiti::prepare::EndpointRequest;
use flexkit_core::flexiti::rules::{
    self, AuthorizationFacts, CaptureFacts, RefundFacts, Violation, BYPASS_MAX_AMOUNT,
    BYPASS_MAX_REGULAR_PURCHASES, DAILY_PAYMENT_LIMIT, RETURN_WINDOW_DAYS,
    SECURITY_MAX_WRONG_ANSWERS,
};
use flexkit_core::flexiti::{
    amount, prepare, prepare_token, AccessToken, AccountFacts, AccountNumber, AccountStatus,
    AccountTransactionType, AccountVerifyBody, ApiError, AuthorizationBody,
    AuthorizationDetailQuery, AuthorizationId, AuthorizationListQuery, CalculateInterestBody,
    CallSetup, CaptureBody, CaptureId, CaptureListQuery, ClientId, ClientSecret, Credentials,
    CustomerLookupQuery, CustomerSearchQuery, Endpoint, Environment, ErrorCode, Grant, Idempotency,
    Lang, PrepareError, PreparedRequest, PurchaseType, ReferenceId, RefundBody, ReleaseBody,
    RequestBody, ReturnBody, Scope, SkuData, TokenRequest, TokenResponse, TransactionBody,
};
use flexkit_core::money::Money;
use flexkit_core::validation::{code, Validation};
use flexkit_core::UtcTimestamp;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

use crate::js::{error, error_code, expect_instant, expect_string, MAX_SAFE_INTEGER};
use crate::{environment, environment_id, from_json, problem_json, to_json, validation_json};

/// Every request type, by the name the JS API uses for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Authorization,
    Capture,
    Release,
    Return,
    Refund,
    Transaction,
    CustomerSearch,
    CustomerLookup,
    AccountVerify,
    CalculateInterest,
    AuthorizationList,
    CaptureList,
    AuthorizationDetail,
    SkuData,
}

pub(crate) const KINDS: [(&str, Kind); 14] = [
    ("authorization", Kind::Authorization),
    ("capture", Kind::Capture),
    ("release", Kind::Release),
    ("return", Kind::Return),
    ("refund", Kind::Refund),
    ("transaction", Kind::Transaction),
    ("customerSearch", Kind::CustomerSearch),
    ("customerLookup", Kind::CustomerLookup),
    ("accountVerify", Kind::AccountVerify),
    ("calculateInterest", Kind::CalculateInterest),
    ("authorizationList", Kind::AuthorizationList),
    ("captureList", Kind::CaptureList),
    ("authorizationDetail", Kind::AuthorizationDetail),
    ("skuData", Kind::SkuData),
];

/// The request types' names, `skuData` (a part of some requests, not a call) left out when
/// `calls_only`.
fn kind_names(calls_only: bool) -> String {
    KINDS
        .iter()
        .filter(|(_, kind)| !(calls_only && *kind == Kind::SkuData))
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn kind_of(text: &str) -> Option<Kind> {
    KINDS.iter().find(|(n, _)| *n == text).map(|(_, k)| *k)
}

fn kind(value: &JsValue) -> Result<Kind, JsValue> {
    let text = expect_string(value, "kind")?;
    kind_of(&text).ok_or_else(|| {
        error(
            error_code::INVALID_ARGUMENT,
            &format!(
                "kind {text:?} is not a Flexiti request type; use one of {}",
                kind_names(false)
            ),
        )
    })
}

/// Every problem of one request, or its warnings when valid.
fn outcome<T>(parsed: Result<(T, Validation), Validation>) -> Validation {
    match parsed {
        Ok((_, validation)) => validation,
        Err(mut validation) => {
            if validation.is_ok() {
                // The readers always record why they refused; keep `ok` honest regardless.
                validation.error("", code::WRONG_TYPE, "the request could not be read");
            }
            validation
        }
    }
}

pub(crate) fn validate_text(kind: Kind, text: &str, now: UtcTimestamp) -> Validation {
    match kind {
        Kind::Authorization => outcome(AuthorizationBody::from_json(text)),
        Kind::Capture => outcome(CaptureBody::from_json(text)),
        Kind::Release => outcome(ReleaseBody::from_json(text)),
        Kind::Return => outcome(ReturnBody::from_json(text)),
        Kind::Refund => outcome(RefundBody::from_json(text)),
        Kind::Transaction => outcome(TransactionBody::from_json(text)),
        Kind::CustomerSearch => outcome(CustomerSearchQuery::from_json_at(text, now)),
        Kind::CustomerLookup => outcome(CustomerLookupQuery::from_json(text)),
        Kind::AccountVerify => outcome(AccountVerifyBody::from_json(text)),
        Kind::CalculateInterest => outcome(CalculateInterestBody::from_json(text)),
        Kind::AuthorizationList => outcome(AuthorizationListQuery::from_json(text)),
        Kind::CaptureList => outcome(CaptureListQuery::from_json(text)),
        Kind::AuthorizationDetail => outcome(AuthorizationDetailQuery::from_json(text)),
        Kind::SkuData => outcome(SkuData::from_json(text)),
    }
}

/// `{ ok, errors, warnings }` for a request given as JSON text.
#[wasm_bindgen(js_name = rawValidate)]
pub fn raw_validate(kind_name: JsValue, text: JsValue, now: JsValue) -> Result<String, JsValue> {
    let kind = kind(&kind_name)?;
    let text = expect_string(&text, "request")?;
    let now = expect_instant(&now, "now")?;
    to_json(&validation_json(&validate_text(kind, &text, now)))
}

/// `{ ok, errors, warnings }` for the form body of the token call.
#[wasm_bindgen(js_name = rawValidateTokenForm)]
pub fn raw_validate_token_form(body: JsValue) -> Result<String, JsValue> {
    let body = expect_string(&body, "body")?;
    to_json(&validation_json(&outcome(TokenRequest::from_form(&body))))
}

/// The three environments.
#[wasm_bindgen(js_name = rawEnvironments)]
pub fn raw_environments() -> Result<String, JsValue> {
    let list: Vec<Value> = Environment::ALL
        .iter()
        .map(|e| {
            json!({
                "id": environment_id(*e),
                "name": e.name(),
                "baseUrl": e.base_url(),
                "developerPortal": e.developer_portal(),
                "isTest": e.is_test(),
            })
        })
        .collect();
    to_json(&list)
}

/// The endpoint catalogue: the request kind, method, path version and scope of each call.
#[wasm_bindgen(js_name = rawEndpoints)]
pub fn raw_endpoints() -> Result<String, JsValue> {
    let client = ClientId::parse("client").map_err(|e| error("internal_error", &e.message))?;
    let mut list = vec![json!({
        "kind": "token",
        "method": Endpoint::Token.method().as_str(),
        "version": Endpoint::Token.version().as_str(),
        "pathParams": [],
        "customerScope": true,
        "lang": false,
        "example": Endpoint::Token.path(&client),
    })];
    for (name, kind) in KINDS {
        let Some(endpoint) = sample_endpoint(kind) else {
            continue;
        };
        list.push(json!({
            "kind": name,
            "method": endpoint.method().as_str(),
            "version": endpoint.version().as_str(),
            "pathParams": path_params(kind),
            "customerScope": endpoint.allows_customer_scope(),
            "lang": endpoint.takes_lang(),
            "example": endpoint.path(&client),
        }));
    }
    to_json(&list)
}

fn path_params(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Capture | Kind::Release | Kind::AuthorizationDetail => &["authorizationId"],
        Kind::Return => &["authorizationId", "captureId"],
        Kind::Refund | Kind::AccountVerify | Kind::CalculateInterest => &["accountNumber"],
        _ => &[],
    }
}

fn sample_endpoint(kind: Kind) -> Option<Endpoint> {
    let auth = AuthorizationId::new(Environment::Training, 1234567890123456);
    let capture = CaptureId::new(Environment::Training, 123456789);
    let account = AccountNumber::new(12345678901234).ok()?;
    build_endpoint(kind, Some(auth), Some(capture), Some(account))
}

fn build_endpoint(
    kind: Kind,
    authorization_id: Option<AuthorizationId>,
    capture_id: Option<CaptureId>,
    account_number: Option<AccountNumber>,
) -> Option<Endpoint> {
    Some(match kind {
        Kind::Authorization => Endpoint::Authorization,
        Kind::Capture => Endpoint::Capture {
            authorization_id: authorization_id?,
        },
        Kind::Release => Endpoint::Release {
            authorization_id: authorization_id?,
        },
        Kind::Return => Endpoint::Return {
            authorization_id: authorization_id?,
            capture_id: capture_id?,
        },
        Kind::Refund => Endpoint::Refund {
            account_number: account_number?,
        },
        Kind::Transaction => Endpoint::Transactions,
        Kind::CustomerSearch => Endpoint::CustomerSearch,
        Kind::CustomerLookup => Endpoint::CustomerLookup,
        Kind::AccountVerify => Endpoint::AccountVerify {
            account_number: account_number?,
        },
        Kind::CalculateInterest => Endpoint::CalculateInterest {
            account_number: account_number?,
        },
        Kind::AuthorizationList => Endpoint::Authorizations,
        Kind::CaptureList => Endpoint::Captures,
        Kind::AuthorizationDetail => Endpoint::AuthorizationDetail {
            authorization_id: authorization_id?,
        },
        Kind::SkuData => return None,
    })
}

/// An id given as a string of digits or a number within 2^53 − 1.
pub(crate) fn id_text(value: &Value, name: &str) -> Result<String, JsValue> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(n) => match n.as_u64() {
            Some(n) if n <= MAX_SAFE_INTEGER as u64 => Ok(n.to_string()),
            _ => Err(error(
                error_code::INVALID_ARGUMENT,
                &format!(
                    "{name} must be a string of digits (ids above 2^53 - 1 lose digits as \
                     JavaScript numbers)"
                ),
            )),
        },
        _ => Err(error(
            error_code::INVALID_ARGUMENT,
            &format!("{name} must be a string of digits"),
        )),
    }
}

fn field_error(name: &str, e: flexkit_core::flexiti::FieldError) -> JsValue {
    error(
        error_code::INVALID_ARGUMENT,
        &format!("{name}: {}", e.message),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EndpointInput {
    kind: String,
    authorization_id: Option<Value>,
    capture_id: Option<Value>,
    account_number: Option<Value>,
    /// The environment that issued the ids in the path (default: the one called).
    issued_in: Option<String>,
}

/// The endpoint a descriptor names, with its path ids read as issued in `issued_in`.
pub(crate) fn endpoint_in(
    text: &JsValue,
    target: Environment,
) -> Result<(Kind, Endpoint), JsValue> {
    let input: EndpointInput = from_json(text, "endpoint", error_code::INVALID_ARGUMENT)?;
    let kind = kind_of(&input.kind)
        .filter(|k| *k != Kind::SkuData)
        .ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                &format!(
                    "endpoint {:?} is not a Flexiti call; use one of {} (the token call has \
                     tokenRequest)",
                    input.kind,
                    kind_names(true)
                ),
            )
        })?;
    let issued = match &input.issued_in {
        None => target,
        Some(text) => environment(&JsValue::from_str(text), "endpoint.issuedIn")?,
    };
    let wanted = path_params(kind);
    let given = [
        ("authorizationId", &input.authorization_id),
        ("captureId", &input.capture_id),
        ("accountNumber", &input.account_number),
    ];
    for (name, value) in given {
        let needed = wanted.contains(&name);
        if value.is_some() && !needed {
            return Err(error(
                error_code::INVALID_ARGUMENT,
                &format!("the {} endpoint takes no {name}; remove it", input.kind),
            ));
        }
        if value.is_none() && needed {
            return Err(error(
                error_code::INVALID_ARGUMENT,
                &format!("the {} endpoint needs endpoint.{name}", input.kind),
            ));
        }
    }
    let authorization_id = match &input.authorization_id {
        None => None,
        Some(v) => Some(
            AuthorizationId::parse(issued, &id_text(v, "endpoint.authorizationId")?)
                .map_err(|e| field_error("endpoint.authorizationId", e))?,
        ),
    };
    let capture_id = match &input.capture_id {
        None => None,
        Some(v) => Some(
            CaptureId::parse(issued, &id_text(v, "endpoint.captureId")?)
                .map_err(|e| field_error("endpoint.captureId", e))?,
        ),
    };
    let account_number = match &input.account_number {
        None => None,
        Some(v) => Some(
            AccountNumber::parse(&id_text(v, "endpoint.accountNumber")?)
                .map_err(|e| field_error("endpoint.accountNumber", e))?,
        ),
    };
    let endpoint = build_endpoint(kind, authorization_id, capture_id, account_number)
        .ok_or_else(|| error(error_code::INVALID_ARGUMENT, "the endpoint is incomplete"))?;
    Ok((kind, endpoint))
}

/// The URL of an endpoint in an environment (no query), or `environment_mismatch`.
#[wasm_bindgen(js_name = rawEndpointUrl)]
pub fn raw_endpoint_url(
    endpoint_json: JsValue,
    target: JsValue,
    client_id: JsValue,
) -> Result<String, JsValue> {
    let target = environment(&target, "environment")?;
    let client = client_id_of(&client_id)?;
    let (_, endpoint) = endpoint_in(&endpoint_json, target)?;
    endpoint
        .url(target, &client, &[])
        .map_err(|e| error(e.code(), &e.to_string()))
}

fn client_id_of(value: &JsValue) -> Result<ClientId, JsValue> {
    let text = expect_string(value, "clientId")?;
    ClientId::parse(&text).map_err(|e| field_error("clientId", e))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CredentialsInput {
    client_id: String,
    client_secret: String,
}

/// Credentials, or `invalid_credentials` naming every problem.
fn credentials(text: &JsValue, environment: Environment) -> Result<Credentials, JsValue> {
    let input: CredentialsInput = from_json(text, "credentials", error_code::INVALID_ARGUMENT)?;
    let id = ClientId::parse(&input.client_id);
    let secret = ClientSecret::parse(&input.client_secret);
    match (id, secret) {
        (Ok(client_id), Ok(client_secret)) => Ok(Credentials {
            environment,
            client_id,
            client_secret,
        }),
        (id, secret) => {
            let mut problems = Vec::new();
            if let Err(e) = id {
                problems.push(json!({"path": "clientId", "code": e.code, "message": e.message}));
            }
            if let Err(e) = secret {
                problems
                    .push(json!({"path": "clientSecret", "code": e.code, "message": e.message}));
            }
            let message = problems
                .iter()
                .map(|p| format!("{}: {}", p["path"], p["message"]).replace('"', ""))
                .collect::<Vec<_>>()
                .join("; ");
            let err = error(
                "invalid_credentials",
                &format!("the credentials are invalid: {message}"),
            );
            let list = js_sys::JSON::parse(&Value::Array(problems).to_string()).unwrap_or_default();
            let _ = js_sys::Reflect::set(&err, &"errors".into(), &list);
            Err(err)
        }
    }
}

fn reference_id(value: &JsValue) -> Result<ReferenceId, JsValue> {
    let text = expect_string(value, "referenceId")?;
    ReferenceId::parse(&text).map_err(|e| field_error("referenceId", e))
}

/// `{ method, url, headers, body, contentType, warnings }`: headers as a plain object.
fn prepared_json(request: &PreparedRequest) -> Value {
    let mut headers = Map::new();
    for (name, value) in &request.headers {
        headers.insert((*name).to_owned(), Value::String(value.clone()));
    }
    let warnings: Vec<Value> = request.warnings.warnings().map(problem_json).collect();
    json!({
        "method": request.method.as_str(),
        "url": request.url,
        "headers": headers,
        "body": request.body,
        "contentType": request.content_type,
        "warnings": warnings,
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenOptions {
    scope: Option<String>,
    refresh_token: Option<String>,
    reference_id: Option<String>,
}

fn scope_of(text: Option<&str>) -> Result<Option<Scope>, JsValue> {
    match text {
        None => Ok(None),
        Some("merchant") => Ok(Some(Scope::Merchant)),
        Some("customer") => Ok(Some(Scope::Customer)),
        Some(other) => Err(error(
            error_code::INVALID_ARGUMENT,
            &format!("scope must be \"merchant\" or \"customer\", got {other:?}"),
        )),
    }
}

/// The token call: `client_credentials`, or `refresh_token` when `options.refreshToken` is
/// given.
#[wasm_bindgen(js_name = rawTokenRequest)]
pub fn raw_token_request(
    credentials_json: JsValue,
    target: JsValue,
    options_json: JsValue,
) -> Result<String, JsValue> {
    let target = environment(&target, "environment")?;
    let credentials = credentials(&credentials_json, target)?;
    let options: TokenOptions = from_json(&options_json, "options", error_code::INVALID_ARGUMENT)?;
    let reference = reference_id(&JsValue::from(options.reference_id.unwrap_or_default()))?;
    let grant = match options.refresh_token {
        None => Grant::ClientCredentials,
        Some(token) if token.is_empty() => {
            return Err(error(
                error_code::INVALID_ARGUMENT,
                "options.refreshToken is empty; pass the refresh_token of the previous token \
                 answer, or leave it out for client_credentials",
            ))
        }
        Some(token) => Grant::RefreshToken(token),
    };
    let request = TokenRequest {
        grant,
        ..TokenRequest::client_credentials(&credentials, scope_of(options.scope.as_deref())?)
    };
    to_json(&prepared_json(&prepare_token(target, &reference, &request)))
}

fn token_of(text: &JsValue) -> Result<AccessToken, JsValue> {
    from_json(text, "token", error_code::INVALID_ARGUMENT)
}

/// The token a merchant keeps, from the token call's answer received at `received_at`.
#[wasm_bindgen(js_name = rawAccessToken)]
pub fn raw_access_token(
    answer_json: JsValue,
    target: JsValue,
    received_at: JsValue,
) -> Result<String, JsValue> {
    let answer: TokenResponse = from_json(&answer_json, "answer", "invalid_token_answer")?;
    let target = environment(&target, "environment")?;
    let at = expect_instant(&received_at, "receivedAt")?;
    to_json(&answer.into_token(target, at))
}

/// `{ state, refreshAt, expiresAt }` at `now`.
#[wasm_bindgen(js_name = rawTokenState)]
pub fn raw_token_state(token_json: JsValue, now: JsValue) -> Result<String, JsValue> {
    let token = token_of(&token_json)?;
    let now = expect_instant(&now, "now")?;
    to_json(&json!({
        "state": token.state(now),
        "refreshAt": token.refresh_at(),
        "expiresAt": token.expires_at(),
    }))
}

/// The token call to make before calling at `now`, or `null` while the token is fresh.
#[wasm_bindgen(js_name = rawRenewTokenRequest)]
pub fn raw_renew_token_request(
    credentials_json: JsValue,
    token_json: JsValue,
    now: JsValue,
    reference: JsValue,
) -> Result<Option<String>, JsValue> {
    let token = token_of(&token_json)?;
    let credentials = credentials(&credentials_json, token.environment)?;
    let now = expect_instant(&now, "now")?;
    let reference = reference_id(&reference)?;
    match token.renewal(&credentials, now) {
        None => Ok(None),
        Some(request) => to_json(&prepared_json(&prepare_token(
            token.environment,
            &reference,
            &request,
        )))
        .map(Some),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IdempotencyInput {
    key: String,
    context_hash: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SetupInput {
    environment: String,
    client_id: String,
    token: AccessToken,
    reference_id: String,
    idempotency: Option<IdempotencyInput>,
    lang: Option<String>,
}

pub(crate) fn idempotency_of(
    key: Option<&str>,
    hash: Option<&str>,
) -> Result<Option<Idempotency>, JsValue> {
    match (key, hash) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(error(
            error_code::INVALID_ARGUMENT,
            "idempotency.contextHash only means something with idempotency.key; add the key",
        )),
        (Some(key), hash) => Idempotency::new(key, hash)
            .map(Some)
            .map_err(|e| field_error("idempotency", e)),
    }
}

fn prepare_failure(e: &PrepareError) -> Value {
    let (errors, warnings) = match e {
        PrepareError::Invalid(v) => (
            v.errors().map(problem_json).collect::<Vec<_>>(),
            v.warnings().map(problem_json).collect::<Vec<_>>(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let mut out = json!({
        "ok": false,
        "code": e.code(),
        "message": e.to_string(),
        "errors": errors,
        "warnings": warnings,
    });
    let extra = match e {
        PrepareError::TokenExpired { expired_at } => json!({ "expiresAt": expired_at }),
        PrepareError::TokenRefreshDue {
            refresh_at,
            expires_at,
        } => json!({ "refreshAt": refresh_at, "expiresAt": expires_at }),
        PrepareError::TokenEnvironment { token, target } => json!({
            "tokenEnvironment": environment_id(*token),
            "environment": environment_id(*target),
        }),
        PrepareError::Environment(m) => json!({
            "objectEnvironment": environment_id(m.object),
            "environment": environment_id(m.target),
        }),
        _ => json!({}),
    };
    if let (Some(out), Value::Object(extra)) = (out.as_object_mut(), extra) {
        out.extend(extra);
    }
    out
}

fn prepare_typed<R: EndpointRequest>(
    parsed: Result<(R, Validation), Validation>,
    endpoint: &Endpoint,
    setup: &CallSetup<'_>,
) -> Value {
    let request = match parsed {
        Ok((request, _)) => request,
        Err(validation) => {
            let v = outcome::<()>(Err(validation));
            return prepare_failure(&PrepareError::Invalid(v));
        }
    };
    match prepare(endpoint, setup, &request) {
        Ok(prepared) => json!({ "ok": true, "request": prepared_json(&prepared) }),
        Err(e) => prepare_failure(&e),
    }
}

/// `{ ok: true, request }` ready to send, or `{ ok: false, code, message, errors, ... }`.
#[wasm_bindgen(js_name = rawPrepare)]
pub fn raw_prepare(
    endpoint_json: JsValue,
    request_text: JsValue,
    setup_json: JsValue,
    now: JsValue,
) -> Result<String, JsValue> {
    let input: SetupInput = from_json(&setup_json, "setup", error_code::INVALID_ARGUMENT)?;
    let target = environment(&JsValue::from_str(&input.environment), "setup.environment")?;
    let (kind, endpoint) = endpoint_in(&endpoint_json, target)?;
    let client_id =
        ClientId::parse(&input.client_id).map_err(|e| field_error("setup.clientId", e))?;
    let reference =
        ReferenceId::parse(&input.reference_id).map_err(|e| field_error("setup.referenceId", e))?;
    let idempotency = match &input.idempotency {
        None => None,
        Some(i) => idempotency_of(Some(&i.key), i.context_hash.as_deref())?,
    };
    let lang = match input.lang.as_deref() {
        None => None,
        Some(text) => Some(Lang::parse(text).map_err(|e| field_error("setup.lang", e))?),
    };
    let now = expect_instant(&now, "setup.now")?;
    let text = expect_string(&request_text, "request")?;
    let setup = CallSetup {
        environment: target,
        client_id: &client_id,
        token: &input.token,
        reference_id: &reference,
        idempotency: idempotency.as_ref(),
        lang,
        now,
    };
    let e = &endpoint;
    let s = &setup;
    let t = text.as_str();
    let result = match kind {
        Kind::Authorization => prepare_typed(AuthorizationBody::from_json(t), e, s),
        Kind::Capture => prepare_typed(CaptureBody::from_json(t), e, s),
        Kind::Release => prepare_typed(ReleaseBody::from_json(t), e, s),
        Kind::Return => prepare_typed(ReturnBody::from_json(t), e, s),
        Kind::Refund => prepare_typed(RefundBody::from_json(t), e, s),
        Kind::Transaction => prepare_typed(TransactionBody::from_json(t), e, s),
        Kind::CustomerSearch => prepare_typed(CustomerSearchQuery::from_json_at(t, now), e, s),
        Kind::CustomerLookup => prepare_typed(CustomerLookupQuery::from_json(t), e, s),
        Kind::AccountVerify => prepare_typed(AccountVerifyBody::from_json(t), e, s),
        Kind::CalculateInterest => prepare_typed(CalculateInterestBody::from_json(t), e, s),
        Kind::AuthorizationList => prepare_typed(AuthorizationListQuery::from_json(t), e, s),
        Kind::CaptureList => prepare_typed(CaptureListQuery::from_json(t), e, s),
        Kind::AuthorizationDetail => prepare_typed(AuthorizationDetailQuery::from_json(t), e, s),
        Kind::SkuData => {
            return Err(error(
                error_code::INVALID_ARGUMENT,
                "skuData is part of a request, not a call",
            ))
        }
    };
    to_json(&result)
}

/// Reads an error answer of any shape (§9): never throws for a body.
#[wasm_bindgen(js_name = rawParseError)]
pub fn raw_parse_error(status: JsValue, body: JsValue) -> Result<String, JsValue> {
    let status = crate::js::expect_safe_integer(&status, "status")
        .ok()
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| *s <= 999)
        .ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                "status must be the HTTP status, a whole number from 0 to 999 (0 for a widget \
                 event, whose body carries the status)",
            )
        })?;
    let body = expect_string(&body, "body")?;
    to_json(&crate::api_error_json(&ApiError::from_response(
        status, &body,
    )))
}

/// Every documented code with its HTTP status and what to do.
#[wasm_bindgen(js_name = rawErrorCodes)]
pub fn raw_error_codes() -> Result<String, JsValue> {
    let list: Vec<Value> = ErrorCode::KNOWN
        .iter()
        .map(|c| json!({ "code": c.code(), "status": c.http_status(), "description": c.message() }))
        .collect();
    to_json(&list)
}

/// The documented limits, amounts as decimal strings.
#[wasm_bindgen(js_name = rawLimits)]
pub fn raw_limits() -> Result<String, JsValue> {
    to_json(&json!({
        "tokenLifetimeSeconds": TOKEN_LIFETIME_SECONDS,
        "refreshMarginSeconds": REFRESH_MARGIN_SECONDS,
        "returnWindowDays": RETURN_WINDOW_DAYS,
        "dailyPaymentLimit": DAILY_PAYMENT_LIMIT.format(),
        "regularPurchaseBypassMaxAmount": BYPASS_MAX_AMOUNT.format(),
        "regularPurchaseBypassMaxPurchases": BYPASS_MAX_REGULAR_PURCHASES,
        "securityQuestionMaxWrongAnswers": SECURITY_MAX_WRONG_ANSWERS,
        "maxPageSize": MAX_PAGE_SIZE,
        "defaultPageSize": DEFAULT_PAGE_SIZE,
        "maxPageNumber": MAX_PAGE_NUMBER,
        "maxDateRangeDays": MAX_RANGE_DAYS,
        "currency": amount::CURRENCY.code(),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountFactsInput {
    account_status: AccountStatus,
    active: bool,
    #[serde(with = "amount")]
    available_credit: Money,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AuthorizationFactsInput {
    open: bool,
    #[serde(with = "amount")]
    remaining: Money,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CaptureFactsInput {
    purchase_type: PurchaseType,
    captured_at: UtcTimestamp,
    #[serde(with = "amount")]
    remaining: Money,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RefundFactsInput {
    #[serde(with = "amount")]
    balance: Money,
    #[serde(default, with = "amount::option")]
    capture_remaining: Option<Money>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PaymentFactsInput {
    #[serde(with = "amount")]
    paid_in_window: Money,
}

fn facts<T: serde::de::DeserializeOwned>(text: &JsValue) -> Result<T, JsValue> {
    from_json(text, "facts", error_code::INVALID_ARGUMENT)
}

fn violations_json(violations: &[Violation]) -> Value {
    let errors: Vec<Value> = violations
        .iter()
        .map(|v| {
            json!({
                "path": v.path,
                "code": v.code,
                "message": v.message,
                "flexitiCode": v.error.code(),
                "status": v.error.http_status(),
            })
        })
        .collect();
    json!({ "ok": errors.is_empty(), "errors": errors, "warnings": [] })
}

/// The business rules of a call against what is known of the account, authorization or
/// capture: `{ ok, errors: [{ path, code, message, flexitiCode, status }] }`, the answer
/// Flexiti would give named in `flexitiCode`. An invalid request gets its validation instead.
#[wasm_bindgen(js_name = rawCheckRules)]
pub fn raw_check_rules(
    kind_name: JsValue,
    request_text: JsValue,
    facts_json: JsValue,
    now: JsValue,
) -> Result<String, JsValue> {
    let kind = kind(&kind_name)?;
    let text = expect_string(&request_text, "request")?;
    let now = expect_instant(&now, "now")?;
    macro_rules! body {
        ($t:ty) => {
            match <$t>::from_json(&text) {
                Ok((body, _)) => body,
                Err(v) => return to_json(&validation_json(&outcome::<()>(Err(v)))),
            }
        };
    }
    let violations = match kind {
        Kind::Authorization => {
            let f: AccountFactsInput = facts(&facts_json)?;
            let account = AccountFacts {
                status: f.account_status,
                active: f.active,
                available_credit: f.available_credit,
            };
            rules::check_authorization(&body!(AuthorizationBody), &account)
        }
        Kind::Capture => {
            let f: AuthorizationFactsInput = facts(&facts_json)?;
            let a = AuthorizationFacts {
                open: f.open,
                remaining: f.remaining,
            };
            rules::check_capture(&body!(CaptureBody), &a)
        }
        Kind::Release => {
            let f: AuthorizationFactsInput = facts(&facts_json)?;
            let a = AuthorizationFacts {
                open: f.open,
                remaining: f.remaining,
            };
            rules::check_release(&body!(ReleaseBody), &a)
        }
        Kind::Return => {
            let f: CaptureFactsInput = facts(&facts_json)?;
            let c = CaptureFacts {
                purchase_type: f.purchase_type,
                captured_at: f.captured_at,
                remaining: f.remaining,
            };
            rules::check_return(&body!(ReturnBody), &c, now)
        }
        Kind::Refund => {
            let f: RefundFactsInput = facts(&facts_json)?;
            let r = RefundFacts {
                balance: f.balance,
                capture_remaining: f.capture_remaining,
            };
            rules::check_refund(&body!(RefundBody), &r)
        }
        Kind::Transaction => {
            let f: PaymentFactsInput = facts(&facts_json)?;
            let body = body!(TransactionBody);
            if body.transaction_type == AccountTransactionType::InstorePayment {
                rules::check_payment(body.amount, f.paid_in_window)
            } else {
                Vec::new()
            }
        }
        _ => {
            return Err(error(
                error_code::INVALID_ARGUMENT,
                "business rules apply to authorization, capture, release, return, refund and \
                 transaction",
            ))
        }
    };
    to_json(&violations_json(&violations))
}

/// Whether a regular purchase of `amount` may skip customer verification after
/// `regular_purchases` others in the last 24 hours (at most 3).
#[wasm_bindgen(js_name = rawRegularPurchaseBypassAllowed)]
pub fn raw_regular_purchase_bypass_allowed(
    amount_text: JsValue,
    regular_purchases: JsValue,
) -> Result<bool, JsValue> {
    let text = expect_string(&amount_text, "amount")?;
    // An amount the purchase could not have (0.00, negative) is refused as its validator
    // refuses it, not answered as allowed.
    let money = amount::parse_decimal(&text)
        .and_then(|money| amount::check_positive(money).map(|()| money))
        .map_err(|e| field_error("amount", e))?;
    let count = crate::js::expect_safe_integer(&regular_purchases, "regularPurchasesIn24h")
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            error(
                error_code::INVALID_ARGUMENT,
                "regularPurchasesIn24h must be a whole number from 0",
            )
        })?;
    Ok(rules::regular_purchase_bypass_allowed(money, count))
}
