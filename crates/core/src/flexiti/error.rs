//! Flexiti's error answers (reference §9): the body shapes, the documented codes as a typed
//! enum, and an [`ApiError`] that is built from any status and body without failing.
//!
//! Body shapes read:
//! - POS API: `{"url", "message", "error", "field_errors": [{"param", "msg", "value"}]}`;
//!   the prose calls the code `wrong_inputs` and the list `error_fields`, so both spellings
//!   of each are read (`wrong_input`/`wrong_inputs`, `field_errors`/`error_fields`), and the
//!   code is written as `wrong_inputs`, the spelling of the error index;
//! - Online API: `{"code", "error", "error_description"}`;
//! - widget failure event: `{"error": <HTTP status>, "message"}`.
//!
//! flexkit writes POS-shaped bodies (the sandbox answers with them).

use core::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::validation::Validation;

macro_rules! error_codes {
    ($( $(#[$meta:meta])* $variant:ident = $wire:literal, $status:literal, $message:literal; )+) => {
        /// A Flexiti error code. Unknown codes are kept verbatim in `Other`.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$meta])* $variant, )+
            /// A code flexkit does not know yet, exactly as received.
            Other(String),
        }

        impl ErrorCode {
            pub const KNOWN: &'static [ErrorCode] = &[$( ErrorCode::$variant, )+];

            /// The code as written on the wire.
            pub fn code(&self) -> &str {
                match self {
                    $( ErrorCode::$variant => $wire, )+
                    ErrorCode::Other(code) => code,
                }
            }

            /// The HTTP status Flexiti documents for it (409 for unknown codes, the status of
            /// most business errors).
            pub fn http_status(&self) -> u16 {
                match self {
                    $( ErrorCode::$variant => $status, )+
                    ErrorCode::Other(_) => 409,
                }
            }

            /// What happened and what to do, in English.
            pub fn message(&self) -> &str {
                match self {
                    $( ErrorCode::$variant => $message, )+
                    ErrorCode::Other(_) => "Flexiti returned an error code flexkit does not know; read the message Flexiti sent with it",
                }
            }

            fn from_canonical(code: &str) -> Option<ErrorCode> {
                match code {
                    $( $wire => Some(ErrorCode::$variant), )+
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    InvalidClient = "invalid_client", 400, "the client id or secret is wrong or missing: use the pair issued for this environment in the developer portal";
    InvalidRequest = "invalid_request", 400, "the grant type is wrong or missing: send grant_type client_credentials or refresh_token";
    InvalidToken = "invalid_token", 401, "the access token is wrong or expired: request a new token and retry";
    /// flexkit's name for the 403 `Insufficient scope` answer, which Flexiti sends without a
    /// documented code.
    InsufficientScope = "insufficient_scope", 403, "the token's scope does not allow this endpoint: call it with a merchant-scope token from the server";
    /// flexkit's name for the edge blocks (465 malicious payload, 466 ACL rule, 467 geo-block).
    RequestBlocked = "request_blocked", 466, "Flexiti's edge blocked the request (payload, access rule or location): call from the registered Trust URL or IP";
    InvalidRole = "invalid_role", 409, "the developer-portal account is not provisioned for this API: ask Flexiti to enable it";
    WrongInputs = "wrong_inputs", 409, "some parameters are invalid: fix the fields listed in field_errors";
    GeneralError = "general_error", 409, "Flexiti could not process the request, usually an account set-up problem: contact implementation@flexiti.com";
    AuthenticationFailure = "authentication_failure", 409, "the merchant user name or password is wrong";
    ApplicationCreateError = "application_create_error", 409, "a third party timed out while creating the application: start the application again";
    TosAgreementRequired = "tos_agreement_required", 409, "the applicant has not accepted the terms: send tos_agreement true";
    CustomerAlreadyExists = "customer_already_exists", 409, "the applicant already has a Flexiti account: look it up and make a purchase instead";
    ApplicationDeclined = "application_declined", 409, "the application was declined: offer another tender";
    NotVerified = "not_verified", 409, "the customer data, request_id or widget session does not match the verification: verify again and reuse its request_id";
    ExternalLocationIdNotFound = "external_location_id_not_found", 409, "the store is not registered with Flexiti: send the external_location_id Flexiti has on file";
    AccountTypeNotPermitted = "account_type_not_permitted", 409, "this merchant cannot serve this account type: offer another tender";
    VccAccountMismatch = "vcc_account_mismatch", 409, "the FlexitiCard does not belong to the account: send the card's own account number";
    UserNotActive = "user_not_active", 409, "the account is not activated: send the customer to the customer portal to activate it";
    UserNotAbleToPurchase = "user_not_able_to_purchase", 409, "the account is not in good standing (status not N): offer another tender";
    SmsNotValidPhone = "sms_not_valid_phone", 400, "there is no valid mobile number on file: verify by e-mail or security question";
    MerchantOverrideIsNotAllowed = "merchant_override_is_not_allowed", 409, "this merchant may not override verification: verify the customer by SMS, e-mail or security question";
    RegularPurchaseBypassIsNotAllowed = "regular_purchase_bypass_is_not_allowed", 409, "the regular-purchase bypass does not apply (more than 3 regular purchases in 24 h, amount above $200, or this channel): verify the customer";
    PiwMismatch = "piw_mismatch", 409, "the personal identification word is wrong: ask the customer again";
    SecretAnswerMismatch = "secret_answer_mismatch", 409, "the security answer is wrong: ask the customer again";
    TriesExceed = "tries_exceed", 409, "the security question is locked after 3 wrong answers in 48 hours: verify by SMS or e-mail instead";
    InvalidTransactionType = "invalid_transaction_type", 409, "transaction_type is not deposit, instore_payment or tradein";
    WrongVerificationCode = "wrong_verification_code", 409, "the PIN is wrong: ask the customer for the PIN they received";
    VerificationCodeRequired = "verification_code_required", 409, "the PIN is missing: verify the customer and send verification_code";
    LimitPaymentAmount24 = "limit_payment_amount_24", 409, "payments to this account would exceed $10,000 in 24 hours: take the rest another day";
    NotEnoughCredit = "not_enough_credit", 409, "the account's available credit is too low for this amount";
    CustomerIdentityNotFound = "customer_identity_not_found", 404, "the customer did not complete verification in the widget: run the widget purchase flow first";
    CreditExceeded = "credit_exceeded", 409, "amount plus interest exceeds the available credit: lower the amount or split the tender";
    AuthNotAllowed = "auth_not_allowed", 409, "this merchant is not set up for pre-authorization: use auto_capture true or ask Flexiti";
    PlanTermNotSet = "plan_term_not_set", 409, "the financing option is not configured for this merchant: ask Flexiti to set it up";
    PlanTermNotAvailable = "plan_term_not_available", 409, "this plan and term are not offered to this customer: pick one calculate-interest returned";
    AuthorizationEnded = "authorization_ended", 409, "the authorization is closed: nothing remains to capture or release";
    AuthAmountExceeded = "auth_amount_exceeded", 409, "the amount is more than what remains authorized: lower it to the remaining amount";
    NotPermitted = "not_permitted", 409, "the employee lacks permission, or the authorization is unauthorized";
    CaptureAmountExceeded = "capture_amount_exceeded", 409, "the return is more than what remains of the capture: lower it to the remaining amount";
    ReturnDateExceeded = "return_date_exceeded", 409, "the capture is more than 100 days old: use a refund instead";
    WrongTransactionType = "wrong_transaction_type", 409, "returns apply only to promotional-purchase captures: use a refund for regular purchases";
    RefundsLimitExceededAmount = "refunds_limit_exceeded_amount", 409, "the refund exceeds the account balance limit: refund less";
    NotFound = "not_found", 404, "the account, card, authorization, capture or transaction does not exist in this environment";
    /// flexkit's name for an HTTP 5xx answer that carries no code of its own: §9.1 of the
    /// reference calls a 5xx a fault on Flexiti's side.
    ServerError = "server_error", 500, "Flexiti failed on its side (HTTP 5xx), not because of the request: retry later, checking first whether a payment call went through (GET its authorization or captures); if it persists, contact Flexiti";
    /// flexkit's code for the TRAINING sandbox's 405, a path called with a method it does not
    /// take (Flexiti documents no 405), so that `parseError` knows what its `createFetch` says.
    MethodNotAllowed = "method_not_allowed", 405, "the path does not take this HTTP method: send the one its Allow header names";
    /// flexkit's code for a reused `x-idempotency-key` with a different body; Flexiti only
    /// says it warns that the body changed.
    IdempotencyBodyMismatch = "idempotency_body_mismatch", 409, "this x-idempotency-key was used for another request (another body, or another call): use a new key for a new request";
}

impl ErrorCode {
    /// Reads a code, accepting the documented alternative spellings (`wrong_input`,
    /// `generic_error`).
    pub fn from_wire(code: &str) -> ErrorCode {
        let canonical = match code {
            "wrong_input" => "wrong_inputs",
            "generic_error" => "general_error",
            other => other,
        };
        ErrorCode::from_canonical(canonical).unwrap_or_else(|| ErrorCode::Other(code.to_owned()))
    }

    /// The code to assume when a body has none, from the HTTP status alone.
    pub fn from_status(status: u16) -> ErrorCode {
        match status {
            401 => ErrorCode::InvalidToken,
            403 => ErrorCode::InsufficientScope,
            404 => ErrorCode::NotFound,
            465..=467 => ErrorCode::RequestBlocked,
            400 | 409 => ErrorCode::WrongInputs,
            500..=599 => ErrorCode::ServerError,
            _ => ErrorCode::GeneralError,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One entry of `field_errors`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorField {
    pub param: String,
    pub msg: String,
    /// The rejected value as Flexiti echoed it, as text; `null` when none was sent (or when
    /// it is a secret, or the body as a whole, which flexkit never echoes). Always written,
    /// as the documented shape `{param, msg, value}` has it.
    #[serde(default)]
    pub value: Option<String>,
}

/// An error answer from Flexiti (or from the sandbox).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: ErrorCode,
    /// Flexiti's message (in the request's `lang`), or flexkit's when none was sent.
    pub message: String,
    pub field_errors: Vec<ErrorField>,
    pub url: Option<String>,
    /// Whether the answer's body named the code (`error` or `code`, or the widget event's
    /// status in `error`); when it did not — a
    /// body that is not JSON, such as a proxy's HTML page, or JSON without a code — `code`
    /// is only what the HTTP status implies ([`ErrorCode::from_status`]), so the answer is
    /// none of Flexiti's documented errors ([`ApiError::known`]). flexkit's own answers
    /// always name theirs.
    pub code_in_body: bool,
}

/// Fields whose value an error answer never echoes: the client secret, tokens, the PIN and
/// the security answer.
pub const SECRET_FIELDS: [&str; 5] = [
    "client_secret",
    "refresh_token",
    "access_token",
    "verification_code",
    "security_answer",
];

/// The value at a problem's path (`sku_data.products[0].unit_price`) in a request, if there
/// is one there.
fn value_at<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut value = root;
    for part in path.split('.') {
        let (key, indexes) = part
            .split_once('[')
            .map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            value = value.get(key)?;
        }
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            value = value.get(index.strip_suffix(']')?.parse::<usize>().ok()?)?;
        }
    }
    Some(value)
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

impl ApiError {
    /// An error with the documented status and flexkit's message.
    pub fn new(code: ErrorCode) -> ApiError {
        ApiError {
            status: code.http_status(),
            message: code.message().to_owned(),
            code,
            field_errors: Vec::new(),
            url: None,
            code_in_body: true,
        }
    }

    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            message: message.into(),
            ..ApiError::new(code)
        }
    }

    /// The `wrong_inputs` answer for input that does not validate: every error in
    /// `field_errors` (its `msg` ending with flexkit's problem code), the first one as the
    /// message.
    pub fn wrong_inputs(validation: &Validation) -> ApiError {
        let first = validation
            .errors()
            .next()
            .map_or_else(|| "the request is invalid".to_owned(), ToString::to_string);
        ApiError {
            field_errors: validation
                .errors()
                .map(|p| ErrorField {
                    param: p.path.clone(),
                    msg: format!("{} ({})", p.message, p.code),
                    value: None,
                })
                .collect(),
            ..ApiError::with_message(ErrorCode::WrongInputs, first)
        }
    }

    /// The `wrong_inputs` answer for a JSON request that does not validate, each field error
    /// with the value sent at its `param` ([`ApiError::with_sent_values`]).
    pub fn wrong_inputs_in(validation: &Validation, request: &str) -> ApiError {
        let error = ApiError::wrong_inputs(validation);
        match serde_json::from_str::<Value>(request) {
            Ok(value) => error.with_sent_values(|param| value_at(&value, param).and_then(text_of)),
            Err(_) => error,
        }
    }

    /// Fills the `value` of each field error that has none with `sent(param)`, the value the
    /// request carried there as text, except for the request as a whole (`param` empty) and
    /// the fields that hold secrets ([`SECRET_FIELDS`]), which stay `null`.
    pub fn with_sent_values(mut self, sent: impl Fn(&str) -> Option<String>) -> ApiError {
        for field in &mut self.field_errors {
            let name = field.param.rsplit('.').next().unwrap_or_default();
            if field.value.is_none() && !field.param.is_empty() && !SECRET_FIELDS.contains(&name) {
                field.value = sent(&field.param);
            }
        }
        self
    }

    /// The code as a string.
    pub fn code(&self) -> &str {
        self.code.code()
    }

    /// Reads any error answer; never fails. A body that is not JSON, or not one of the known
    /// shapes, yields the code the status implies and keeps the text as the message.
    pub fn from_response(status: u16, body: &str) -> ApiError {
        let fallback = || {
            let code = ErrorCode::from_status(status);
            let trimmed: String = body.trim().chars().take(500).collect();
            ApiError {
                status,
                message: if trimmed.is_empty() {
                    code.message().to_owned()
                } else {
                    trimmed
                },
                code,
                field_errors: Vec::new(),
                url: None,
                code_in_body: false,
            }
        };
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(body) else {
            return fallback();
        };
        // The widget's failure event carries the HTTP status in `error`.
        let code_text = match (map.get("error"), map.get("code")) {
            (Some(Value::String(code)), _) => Some(code.clone()),
            (_, Some(Value::String(code))) => Some(code.clone()),
            _ => None,
        };
        let status = match map.get("error").and_then(Value::as_u64) {
            Some(widget_status) if status == 0 => u16::try_from(widget_status).unwrap_or(status),
            _ => status,
        };
        let code = code_text
            .as_deref()
            .map(ErrorCode::from_wire)
            .unwrap_or_else(|| ErrorCode::from_status(status));
        let message = ["message", "error_description", "msg"]
            .iter()
            .find_map(|key| map.get(*key).and_then(text_of))
            .unwrap_or_else(|| code.message().to_owned());
        let list = map
            .get("field_errors")
            .or_else(|| map.get("error_fields"))
            .and_then(Value::as_array);
        let field_errors = list
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|item| ErrorField {
                param: item.get("param").and_then(text_of).unwrap_or_default(),
                msg: item.get("msg").and_then(text_of).unwrap_or_default(),
                value: item.get("value").and_then(text_of),
            })
            .collect();
        ApiError {
            status,
            code,
            message,
            field_errors,
            url: map.get("url").and_then(text_of),
            // The widget's failure event names its status in `error`, its documented form.
            code_in_body: code_text.is_some() || map.get("error").is_some_and(Value::is_u64),
        }
    }

    /// Whether this is one of the error answers flexkit knows: a code it knows, named by the
    /// body. An unknown code, or a code only inferred from the status, is not.
    pub fn known(&self) -> bool {
        self.code_in_body && !matches!(self.code, ErrorCode::Other(_))
    }

    /// What happened and what to do: the code's [`ErrorCode::message`] when the body named
    /// it; otherwise what the HTTP status means (reference §9.1), saying that the body is
    /// not a documented error answer.
    pub fn description(&self) -> String {
        if self.code_in_body {
            return self.code.message().to_owned();
        }
        let meaning = match self.status {
            500..=599 => self.code.message(),
            401 => "HTTP 401: the merchant authentication failed or the access token is wrong or expired; request a new token",
            403 => "HTTP 403: the token's scope does not allow this call; call it with a merchant-scope token",
            404 => "HTTP 404: the resource was not found in this environment",
            465..=467 => "HTTP 465 to 467: Flexiti's edge blocked the request (payload, access rule or location); call from the registered Trust URL or IP",
            400 | 409 => "HTTP 400 or 409: Flexiti refused the request, but the body does not say why; check the request against the validators",
            _ => "an HTTP status Flexiti does not document for its answers; check the URL and whatever stands between you and Flexiti",
        };
        format!(
            "the answer names no Flexiti error code (its body is not one of Flexiti's error \
             bodies, such as a proxy's page), so this is only what its status says: {meaning}"
        )
    }

    /// The POS-shaped body: `{"url"?, "message", "error", "field_errors"?}`.
    pub fn to_body(&self) -> String {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            url: Option<&'a str>,
            message: &'a str,
            error: &'a str,
            #[serde(skip_serializing_if = "<[ErrorField]>::is_empty")]
            field_errors: &'a [ErrorField],
        }
        serde_json::to_string(&Body {
            url: self.url.as_deref(),
            message: &self.message,
            error: self.code(),
            field_errors: &self.field_errors,
        })
        .unwrap_or_else(|_| "{}".to_owned())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Flexiti {} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_code_round_trips_with_a_status_and_a_message() {
        for code in ErrorCode::KNOWN {
            assert_eq!(&ErrorCode::from_wire(code.code()), code);
            assert!((400..=500).contains(&code.http_status()));
            assert!(code.message().len() > 20);
        }
        assert_eq!(ErrorCode::KNOWN.len(), 46);
        assert_eq!(ErrorCode::from_wire("wrong_input"), ErrorCode::WrongInputs);
        assert_eq!(
            ErrorCode::from_wire("generic_error"),
            ErrorCode::GeneralError
        );
        assert_eq!(
            ErrorCode::from_wire("brand_new"),
            ErrorCode::Other("brand_new".into())
        );
        assert_eq!(ErrorCode::ReturnDateExceeded.http_status(), 409);
        assert_eq!(ErrorCode::NotFound.http_status(), 404);
    }

    #[test]
    fn reads_the_pos_validation_shape_in_both_spellings() {
        for (code, list) in [
            ("wrong_input", "field_errors"),
            ("wrong_inputs", "error_fields"),
        ] {
            let body = format!(
                r#"{{"url":"/x","message":"Bad","error":"{code}","{list}":[{{"param":"amount","msg":"invalid","value":-1}}]}}"#
            );
            let error = ApiError::from_response(409, &body);
            assert_eq!(error.code, ErrorCode::WrongInputs);
            assert_eq!(error.code(), "wrong_inputs");
            assert_eq!(error.message, "Bad");
            assert_eq!(
                error.field_errors,
                vec![ErrorField {
                    param: "amount".into(),
                    msg: "invalid".into(),
                    value: Some("-1".into())
                }]
            );
            assert_eq!(error.url.as_deref(), Some("/x"));
        }
    }

    #[test]
    fn reads_online_widget_and_non_json_bodies() {
        let online = ApiError::from_response(
            400,
            r#"{"code":"400","error":"invalid_client","error_description":"Bad client"}"#,
        );
        assert_eq!(online.code, ErrorCode::InvalidClient);
        assert_eq!(online.message, "Bad client");
        let widget = ApiError::from_response(0, r#"{"error":404,"message":"gone"}"#);
        assert_eq!((widget.status, &widget.code), (404, &ErrorCode::NotFound));
        let html = ApiError::from_response(466, "<html>blocked</html>");
        assert_eq!(html.code, ErrorCode::RequestBlocked);
        assert_eq!(html.message, "<html>blocked</html>");
        let empty = ApiError::from_response(403, "");
        assert_eq!(empty.code, ErrorCode::InsufficientScope);
        assert!(empty
            .to_string()
            .starts_with("Flexiti 403 insufficient_scope"));
        // A body without a code is no documented answer: not known, described by its status.
        for error in [
            html,
            empty,
            ApiError::from_response(409, r#"{"message":"m"}"#),
        ] {
            assert!(!error.known(), "{error:?}");
            assert!(error.description().contains("names no Flexiti error code"));
        }
        // The widget's event names its status in `error`, as documented.
        assert!(online.known() && widget.known());
    }

    #[test]
    fn a_5xx_without_a_code_is_a_fault_on_flexitis_side() {
        for (status, body) in [
            (502, "<html>Bad gateway</html>"),
            (503, r#"{"message":"Service Unavailable"}"#),
            (500, ""),
            (504, "upstream timed out"),
        ] {
            let error = ApiError::from_response(status, body);
            assert_eq!(
                (error.status, &error.code),
                (status, &ErrorCode::ServerError)
            );
            assert!(!error.known(), "{status}");
            let description = error.description();
            assert!(description.contains("failed on its side"), "{description}");
            assert!(!description.contains("set-up"), "{description}");
        }
        // A 5xx whose body names a code keeps it.
        let named = ApiError::from_response(500, r#"{"error":"general_error","message":"m"}"#);
        assert_eq!(named.code, ErrorCode::GeneralError);
        assert!(named.known());
        assert_eq!(named.description(), ErrorCode::GeneralError.message());
    }

    #[test]
    fn writes_pos_bodies_that_read_back() {
        let error = ApiError::new(ErrorCode::CaptureAmountExceeded);
        assert_eq!(
            error.to_body(),
            r#"{"message":"the return is more than what remains of the capture: lower it to the remaining amount","error":"capture_amount_exceeded"}"#
        );
        assert_eq!(ApiError::from_response(409, &error.to_body()), error);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn never_panics(status in any::<u16>(), body in ".{0,200}") {
            let _ = ApiError::from_response(status, &body);
            let json = format!(r#"{{"error":{body:?},"field_errors":[{{"param":1}},2]}}"#);
            let _ = ApiError::from_response(status, &json);
        }
    }
}
