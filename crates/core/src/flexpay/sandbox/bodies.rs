//! The calls that take a body, with the body as JSON text (as `createFetch` and the npm
//! package receive it), answered as FlexPay answers it.
//!
//! A body that reads as its request takes the typed call, which validates it. One that does
//! not — a required field missing, a value of the wrong JSON type (`"amount": 29.99`,
//! `"expiryMonth": 7`, `"retryCount": -1`) — is not refused as unreadable either: FlexPay
//! answers it with HTTP 200, `transactionStatus` 2 and the 5xxxx code of its first problem
//! (50103 without `merchantTransactionId`, 50137 for the amount, 50056 for the month), as it
//! answers a request that reads but fails validation. The problems are those of the JSON
//! validation (`validate_*_json`, which words them without parser internals); the request
//! is built with neutral placeholders for what could not be read, stored as a refused
//! transaction that echoes the rest, and its message says what to fix: for a transaction
//! call the first problem and how many more, for a vault call every problem, one per line
//! (as the typed calls word their refusals). A misspelt field does not choose the code:
//! FlexPay ignores fields it does not know, so it answers for the field it then misses.
//!
//! The request is read from the body's envelope, `{"transaction": {...}}` (the vault's
//! `{"paymentMethod": {...}}`). A JSON object without it holds no request for FlexPay,
//! whatever fields it has at the top: it is answered as an empty request, 50003 ("no
//! parameters"), with a message saying where the fields belong, and stored as refused.
//!
//! Only a body that is no request at all is refused as a whole, with HTTP 400
//! `malformed_request`: text that is not JSON, JSON that is not an object (`[1, 2]`,
//! `"charge"`, `{"transaction": 5}`), or one too large or too deeply nested to read (over
//! 64 KiB, 32 levels). FlexPay rejects what it cannot read as a request at the HTTP level,
//! as it does an unreadable `dateFirstAttempt` (reference §8), and there is no field to
//! name a 5xxxx code after.
//!
//! The list calls' query, given as JSON text with the parameter names as keys, is read by
//! [`list_query`]: a value of the wrong type is HTTP 400 `invalid_list_query` naming the
//! parameter and what it takes, as the sandbox already answers an unreadable `startDate`.

use serde_json::{Map, Value};

use crate::flexpay::account::Environment;
use crate::flexpay::list::ListTransactionsQuery;
use crate::flexpay::payment_method::{
    CreatePaymentMethodRequest, PaymentMethodTransaction, RecachePaymentMethodRequest,
    UpdatePaymentMethodRequest,
};
use crate::flexpay::transaction::{
    CaptureRequest, ChargeRequest, RefundRequest, TransactionResponse, VoidRequest,
};
use crate::flexpay::validate::{validate_list_query_json, JsonBody, ValidationContext};
use crate::time::UtcTimestamp;
use crate::validation::json::{describe, first_excess_nesting, MAX_DEPTH, MAX_INPUT_BYTES};
use crate::validation::Validation;

use super::api_keys::Principal;
use super::error_code as code;
use super::request_check::{body_refusal, vault_body_refusal};
use super::transactions::{Kind, Refusal};
use super::vault::{no_editable_field, Change};
use super::{ApiError, Sandbox};

fn malformed(message: String) -> ApiError {
    ApiError::new(400, code::MALFORMED_REQUEST, message)
}

/// The messages of the errors of `validation`, one after the other.
fn error_messages(validation: &Validation) -> String {
    let mut messages = String::new();
    for problem in validation.errors() {
        if !messages.is_empty() {
            messages.push(' ');
        }
        messages.push_str(&problem.message);
    }
    messages
}

/// The request of a body: the value inside its `{"<envelope>": ...}` (other top-level keys
/// are ignored, as FlexPay ignores fields it does not know). A JSON object without the
/// envelope holds no request for FlexPay, whatever fields it has: it reads as an empty
/// request, refused with 50003 ("no parameters") and a message saying where the fields
/// belong. Any other JSON value is returned as it is, for [`read`] to refuse as unreadable.
fn request_value(text: &str, envelope: &str) -> Result<(Value, Option<Refusal>), ApiError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(malformed(format!(
            "the request body is {} bytes; at most {MAX_INPUT_BYTES} bytes (64 KiB) are read, \
             and a request body is a few kilobytes: check what was sent",
            text.len()
        )));
    }
    // As the validators read it: serde_json alone would go on to 128 levels.
    if first_excess_nesting(text).is_some() {
        return Err(malformed(format!(
            "the request body nests more than {MAX_DEPTH} levels of arrays and objects; a \
             request needs only a few"
        )));
    }
    let value: Value = serde_json::from_str(text).map_err(|error| {
        // JSON.stringify writes a lone UTF-16 surrogate as an escape that no UTF-8 text
        // can hold: say so rather than call the body "not JSON".
        // (serde_json calls it a "lone leading surrogate" or an "unexpected end of hex
        // escape", by what follows it).
        malformed(if error.to_string().contains("hex escape") {
            "the request body has a \\u escape that is no whole character, such as a lone \
             UTF-16 surrogate (half of a character outside the Basic Multilingual Plane); \
             check how the text was cut"
                .to_owned()
        } else {
            format!(
                "the request body is not JSON; send a JSON object such as \
                 {{\"{envelope}\": {{...}}}}"
            )
        })
    })?;
    Ok(match value {
        Value::Object(mut outer) => match outer.remove(envelope) {
            Some(inner) => (inner, None),
            None => (
                Value::Object(Map::new()),
                Some(Refusal {
                    // Nothing was read, the amount and retry count included.
                    unread_amount: true,
                    unread_retry_count: true,
                    ..Refusal::new(
                        NO_PARAMETERS,
                        format!(
                            "the body has no \"{envelope}\" object, so it holds no request: \
                             FlexPay reads the request from {{\"{envelope}\": {{...}}}}; send \
                             its fields inside it"
                        ),
                    )
                }),
            ),
        },
        other => (other, None),
    })
}

/// FlexPay's 50003, "no parameters": a body without its envelope.
const NO_PARAMETERS: u32 = 50003;

/// How a request read: as its type (the typed call checks it), or only with placeholders,
/// with the refusal FlexPay answers.
struct Read<T> {
    request: T,
    refusal: Option<Refusal>,
}

/// Reads the request of a body, as [`request_value`] found it (see the module
/// documentation); `refuse` words the refusal of one that does not read as `T`, and a body
/// without its envelope keeps the refusal [`request_value`] gave it.
fn read<T: JsonBody>(
    (value, no_envelope): (Value, Option<Refusal>),
    ctx: &ValidationContext,
    refuse: fn(Validation) -> Option<Refusal>,
) -> Result<Read<T>, ApiError> {
    let mut read = read_value(value, ctx, refuse)?;
    if no_envelope.is_some() {
        read.refusal = no_envelope;
    }
    Ok(read)
}

fn read_value<T: JsonBody>(
    value: Value,
    ctx: &ValidationContext,
    refuse: fn(Validation) -> Option<Refusal>,
) -> Result<Read<T>, ApiError> {
    if !value.is_object() {
        return Err(malformed(format!(
            "the request must be a JSON object, {{\"{}\": {{...}}}}, not {}",
            T::ENVELOPE,
            describe(&value)
        )));
    }
    // From an owned copy, as `read_json` builds its request: one deserializer per type.
    if let Ok(request) = serde_json::from_value::<T>(value.clone()) {
        return Ok(Read {
            request,
            refusal: None,
        });
    }
    // The JSON front end takes an amount only as an integer, and builds the request with a
    // placeholder 0 for anything else: the refusal must not show it as the amount sent.
    let unread_amount = !value.get("amount").is_some_and(Value::is_i64);
    // Likewise the retry count: the placeholder 0 is no count the merchant sent.
    let unread_retry_count = value
        .get("retryCount")
        .and_then(Value::as_u64)
        .is_none_or(|count| u32::try_from(count).is_err());
    let mut wrapped = Map::new();
    wrapped.insert(T::ENVELOPE.to_owned(), value);
    let read = T::read(&Value::Object(wrapped).to_string(), ctx);
    match read.request {
        Some(request) if read.shaped => Ok(Read {
            request,
            refusal: None,
        }),
        Some(request) => Ok(Read {
            request,
            refusal: refuse(read.validation).map(|refusal| Refusal {
                unread_amount,
                unread_retry_count,
                ..refusal
            }),
        }),
        None => Err(malformed(error_messages(&read.validation))),
    }
}

impl Sandbox {
    /// The key's principal and the body's request (see [`read`]).
    fn read_call<T: JsonBody>(
        &self,
        api_key: &str,
        body: &str,
        now: UtcTimestamp,
        refuse: fn(Validation) -> Option<Refusal>,
    ) -> Result<(Principal, Read<T>), ApiError> {
        let principal = self.authenticate(api_key)?;
        let ctx = ValidationContext::new(now, principal.mode);
        let read = read(request_value(body, T::ENVELOPE)?, &ctx, refuse)?;
        Ok((principal, read))
    }

    /// `POST /v1/gateways/charge` with its body as JSON text, `{"transaction": {...}}` (see
    /// the module documentation).
    pub fn charge_json(
        &mut self,
        api_key: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        self.payment_json(Kind::Charge, api_key, body, now)
    }

    /// `POST /v1/gateways/authorize` with its body as JSON text.
    pub fn authorize_json(
        &mut self,
        api_key: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        self.payment_json(Kind::Authorize, api_key, body, now)
    }

    fn payment_json(
        &mut self,
        kind: Kind,
        api_key: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let (principal, read) =
            self.read_call::<ChargeRequest>(api_key, body, now, body_refusal)?;
        let receipt = self.submit_payment(&principal, kind, &read.request, read.refusal, now)?;
        self.respond(receipt)
    }

    /// `POST /v1/transactions/{transactionId}/capture` with its body as JSON text.
    pub fn capture_json(
        &mut self,
        api_key: &str,
        transaction_id: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let (principal, read) =
            self.read_call::<CaptureRequest>(api_key, body, now, body_refusal)?;
        let receipt =
            self.capture_with(&principal, transaction_id, read.request, read.refusal, now)?;
        self.respond(receipt)
    }

    /// `POST /v1/transactions/{transactionId}/void` with its body as JSON text.
    pub fn void_json(
        &mut self,
        api_key: &str,
        transaction_id: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let (principal, read) = self.read_call::<VoidRequest>(api_key, body, now, body_refusal)?;
        let receipt =
            self.void_with(&principal, transaction_id, read.request, read.refusal, now)?;
        self.respond(receipt)
    }

    /// `POST /v1/transactions/{transactionId}/refund` with its body as JSON text.
    pub fn refund_json(
        &mut self,
        api_key: &str,
        transaction_id: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let (principal, read) =
            self.read_call::<RefundRequest>(api_key, body, now, body_refusal)?;
        let receipt =
            self.refund_with(&principal, transaction_id, read.request, read.refusal, now)?;
        self.respond(receipt)
    }

    /// `POST /v1/transactions/{transactionId}/refundedpayment` with its body as JSON text.
    pub fn refunded_payment_json(
        &mut self,
        api_key: &str,
        transaction_id: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let (principal, read) =
            self.read_call::<RefundRequest>(api_key, body, now, body_refusal)?;
        let receipt = self.refunded_payment_with(
            &principal,
            transaction_id,
            read.request,
            read.refusal,
            now,
        )?;
        self.respond(receipt)
    }

    /// `POST /v1/paymentmethods` with its body as JSON text, `{"paymentMethod": {...}}`.
    pub fn create_payment_method_json(
        &mut self,
        api_key: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<PaymentMethodTransaction, ApiError> {
        let (principal, read) =
            self.read_call::<CreatePaymentMethodRequest>(api_key, body, now, vault_body_refusal)?;
        match read.refusal {
            None => self.create_payment_method(api_key, &read.request, now),
            Some(refusal) => {
                let handle = self.create_method(&principal, &read.request, Some(refusal), now)?;
                self.vault_respond(handle)
            }
        }
    }

    /// `PUT /v1/paymentmethods/{paymentMethodId}` with its body as JSON text; `null` (no
    /// body) is an update with nothing to change, refused with HTTP 400 `no_editable_field`.
    pub fn update_payment_method_json(
        &mut self,
        api_key: &str,
        payment_method_id: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<PaymentMethodTransaction, ApiError> {
        let principal = self.authenticate(api_key)?;
        let body = request_value(body, "paymentMethod")?;
        if body.0.is_null() {
            return Err(no_editable_field());
        }
        let ctx = Self::vault_context(&principal, now);
        let read = read::<UpdatePaymentMethodRequest>(body, &ctx, vault_body_refusal)?;
        match read.refusal {
            None => self.update_payment_method(api_key, payment_method_id, &read.request, now),
            Some(refusal) => {
                let change = Change::Update(&read.request);
                let handle =
                    self.change_method(&principal, payment_method_id, change, Some(refusal), now)?;
                self.vault_respond(handle)
            }
        }
    }

    /// `PUT /v1/paymentmethods/{paymentMethodId}/recache` with its body as JSON text.
    pub fn recache_payment_method_json(
        &mut self,
        api_key: &str,
        payment_method_id: &str,
        body: &str,
        now: UtcTimestamp,
    ) -> Result<PaymentMethodTransaction, ApiError> {
        let (principal, read) =
            self.read_call::<RecachePaymentMethodRequest>(api_key, body, now, vault_body_refusal)?;
        match read.refusal {
            None => self.recache_payment_method(api_key, payment_method_id, &read.request, now),
            Some(refusal) => {
                let change = Change::Recache;
                let handle =
                    self.change_method(&principal, payment_method_id, change, Some(refusal), now)?;
                self.vault_respond(handle)
            }
        }
    }
}

/// The query of `GET /v1/transactions` or `GET /v1/paymentmethods` as JSON text, the
/// parameter names as keys (`null`: no query). A value of the wrong type is refused with
/// HTTP 400 `invalid_list_query`, its message naming the parameter and what it takes
/// (`count must be a whole number of items per page, 1 to 100 (20 when left out), not a
/// string.`, `"DESC" is not a value of
/// "order": did you mean "desc"? ...`); unknown parameters are ignored, as FlexPay does.
pub fn list_query(text: &str) -> Result<ListTransactionsQuery, ApiError> {
    let refused = |message: String| ApiError::new(400, code::INVALID_LIST_QUERY, message);
    if text.len() > MAX_INPUT_BYTES {
        return Err(refused(format!(
            "the query is {} bytes; at most {MAX_INPUT_BYTES} bytes (64 KiB) are read",
            text.len()
        )));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|_| refused("the query is not JSON: send its parameters as an object".into()))?;
    match &value {
        Value::Null => return Ok(ListTransactionsQuery::default()),
        Value::Object(_) => {}
        other => {
            return Err(refused(format!(
                "the query must be an object of parameters such as {{\"order\": \"desc\", \
                 \"count\": 50}}, not {}",
                describe(other)
            )))
        }
    }
    if let Ok(query) = serde_json::from_value::<ListTransactionsQuery>(value.clone()) {
        return Ok(query);
    }
    // Only the errors are used; `now` decides nothing but a warning about a future
    // `startDate`.
    let ctx = ValidationContext::new(UtcTimestamp::UNIX_EPOCH, Environment::Sandbox);
    let validation = validate_list_query_json(&value.to_string(), &ctx).validation;
    let messages = error_messages(&validation);
    Err(refused(if messages.is_empty() {
        "the query's parameters cannot be read: order is asc or desc, count a whole number \
         (1 to 100), sinceTransactionId and startDate text, responseType simplified"
            .into()
    } else {
        messages
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::flexpay::response_code::ResponseCode;
    use crate::flexpay::sandbox::test_support::{
        assert_count_refused, sandbox_with_key, t0, visa_charge,
    };
    use crate::flexpay::transaction::TransactionStatus;

    fn charge_body(edit: impl FnOnce(&mut Value)) -> Value {
        let mut body = json!({ "transaction": visa_charge("m-1", 1000) });
        edit(&mut body["transaction"]);
        body
    }

    fn remove<'a>(path: &'a [&'a str]) -> impl FnOnce(&mut Value) + 'a {
        move |value| {
            let (last, parents) = path.split_last().expect("a path");
            let mut at = value;
            for key in parents {
                at = &mut at[*key];
            }
            at.as_object_mut().expect("an object").remove(*last);
        }
    }

    fn set<'a>(path: &'a [&'a str], new: Value) -> impl FnOnce(&mut Value) + 'a {
        move |value| {
            let mut at = value;
            for key in path {
                at = &mut at[*key];
            }
            *at = new;
        }
    }

    /// No parser internals in what people read.
    fn assert_plain(message: &str) {
        for internal in [
            "expected i64",
            "expected u32",
            "line 1",
            "column",
            "invalid type",
        ] {
            assert!(!message.contains(internal), "{message}");
        }
    }

    #[test]
    fn a_charge_body_that_does_not_read_is_answered_with_flexpay_s_code() {
        let (mut sandbox, key) = sandbox_with_key();
        let cases: Vec<(Value, u32, &str)> = vec![
            (
                charge_body(remove(&["merchantTransactionId"])),
                50103,
                "transaction.merchantTransactionId",
            ),
            (
                charge_body(remove(&["orderId"])),
                50126,
                "transaction.orderId",
            ),
            (
                charge_body(remove(&["currencyCode"])),
                50045,
                "transaction.currencyCode",
            ),
            (
                charge_body(remove(&["paymentMethod"])),
                50135,
                "transaction.paymentMethod",
            ),
            (
                charge_body(remove(&["paymentMethod", "creditCardNumber"])),
                50059,
                "transaction.paymentMethod.creditCardNumber",
            ),
            (
                charge_body(remove(&["paymentMethod", "expiryMonth"])),
                50055,
                "transaction.paymentMethod.expiryMonth",
            ),
            (
                charge_body(set(&["amount"], json!(29.99))),
                50137,
                "transaction.amount",
            ),
            (
                charge_body(set(&["retryCount"], json!(-1))),
                50000,
                "transaction.retryCount",
            ),
            (
                charge_body(set(&["paymentMethod", "expiryMonth"], json!(7))),
                50056,
                "transaction.paymentMethod.expiryMonth",
            ),
        ];
        for (n, (body, expected, path)) in cases.into_iter().enumerate() {
            let text = body.to_string();
            let answer = sandbox.charge_json(&key, &text, t0()).unwrap();
            assert_eq!(answer.response_code.value(), expected, "{n}: {text}");
            assert_eq!(answer.transaction_status, TransactionStatus::Declined);
            let message = answer.message.unwrap_or_default();
            assert!(message.starts_with(&format!("{path}: ")), "{message}");
            assert_plain(&message);
        }
        // The authorization reads its body the same way.
        let text = charge_body(set(&["amount"], json!("10.00"))).to_string();
        let answer = sandbox.authorize_json(&key, &text, t0()).unwrap();
        assert_eq!(answer.response_code.value(), 50137);
    }

    #[test]
    fn an_amount_that_could_not_be_read_is_not_shown_as_zero() {
        let (mut sandbox, key) = sandbox_with_key();
        let unread = [
            json!("10.00"),
            json!(29.99),
            json!(true),
            json!(1e20),
            json!({ "value": 1000 }),
        ];
        for (n, amount) in unread.into_iter().enumerate() {
            let id = format!("m-{n}");
            let text = charge_body(|body| {
                body["merchantTransactionId"] = json!(id);
                body["amount"] = amount.clone();
            })
            .to_string();
            let refused = sandbox.charge_json(&key, &text, t0()).unwrap();
            assert_eq!(refused.response_code.value(), 50137, "{text}");
            assert_eq!(refused.amount, None, "{text}");
            let stored = sandbox
                .get_transaction(&key, &refused.transaction_id)
                .unwrap();
            assert_eq!(stored.amount, None, "{text}");
            // What the sandbox keeps survives its snapshot.
            let restored = Sandbox::from_snapshot(&sandbox.to_snapshot()).unwrap();
            let kept = restored
                .get_transaction(&key, &refused.transaction_id)
                .unwrap();
            assert_eq!(kept.amount, None, "{text}");
        }
        let missing = charge_body(remove(&["amount"])).to_string();
        let refused = sandbox.charge_json(&key, &missing, t0()).unwrap();
        assert_eq!(refused.amount, None);
        // An amount that was read is echoed, also when another field refuses the body.
        let readable = charge_body(|body| {
            body["merchantTransactionId"] = json!("m-read");
            body["retryCount"] = json!(-1);
            body["amount"] = json!(0);
        })
        .to_string();
        let refused = sandbox.charge_json(&key, &readable, t0()).unwrap();
        assert_eq!(refused.amount, Some(0));
        let authorized = sandbox
            .authorize_json(
                &key,
                &charge_body(set(&["amount"], json!("1"))).to_string(),
                t0(),
            )
            .unwrap();
        assert_eq!(authorized.amount, None);

        // A body without its envelope holds no request: no amount either.
        let bare = charge_body(|_| {})["transaction"].to_string();
        let refused = sandbox.charge_json(&key, &bare, t0()).unwrap();
        assert_eq!(refused.response_code.value(), 50003);
        assert_eq!(refused.amount, None);

        // A follow-up's optional amount: unreadable is not a partial amount of 0.
        let charged = sandbox
            .charge(&key, visa_charge("c-1", 1000), t0())
            .unwrap();
        let refund =
            json!({ "transaction": { "merchantTransactionId": "r-1", "amount": "5" } }).to_string();
        let refused = sandbox
            .refund_json(&key, &charged.transaction_id, &refund, t0())
            .unwrap();
        assert_eq!(refused.response_code.value(), 50137);
        assert_eq!(refused.amount, None);
    }

    #[test]
    fn a_retry_count_that_could_not_be_read_is_not_echoed_as_zero() {
        let (mut sandbox, key) = sandbox_with_key();
        let unread = [json!("1"), json!(null), json!(1.5), json!(-1), json!(1e10)];
        for (n, count) in unread.into_iter().enumerate() {
            let text = charge_body(|body| {
                body["merchantTransactionId"] = json!(format!("rc-{n}"));
                body["retryCount"] = count.clone();
            })
            .to_string();
            let refused = sandbox.charge_json(&key, &text, t0()).unwrap();
            assert_eq!(refused.response_code.value(), 50000, "{text}");
            assert_eq!(refused.retry_count, None, "{text}");
            let stored = sandbox
                .get_transaction(&key, &refused.transaction_id)
                .unwrap();
            assert_eq!(stored.retry_count, None, "{text}");
        }
        let missing = charge_body(remove(&["retryCount"])).to_string();
        assert_eq!(
            sandbox
                .charge_json(&key, &missing, t0())
                .unwrap()
                .retry_count,
            None
        );
        // A count that was read is echoed, also when another field refuses the body.
        let readable = charge_body(|body| {
            body["merchantTransactionId"] = json!("rc-read");
            body["amount"] = json!("10");
        })
        .to_string();
        let refused = sandbox.charge_json(&key, &readable, t0()).unwrap();
        assert_eq!(refused.response_code.value(), 50137);
        assert_eq!(refused.retry_count, Some(1));
    }

    #[test]
    fn a_body_or_query_over_64_kib_is_refused_before_it_is_read() {
        let (mut sandbox, key) = sandbox_with_key();
        let body = |length: usize| {
            charge_body(set(&["description"], json!("x".repeat(length)))).to_string()
        };
        let under = body(60_000);
        assert!(under.len() <= MAX_INPUT_BYTES);
        assert!(sandbox.charge_json(&key, &under, t0()).is_ok());
        let over = body(70_000);
        let error = sandbox.charge_json(&key, &over, t0()).unwrap_err();
        assert_eq!(
            (error.http_status, error.code),
            (400, code::MALFORMED_REQUEST)
        );
        assert!(
            error.message.contains("at most 65536 bytes"),
            "{}",
            error.message
        );
        let card = json!({ "paymentMethod": { "address2": "y".repeat(70_000) } }).to_string();
        let error = sandbox
            .create_payment_method_json(&key, &card, t0())
            .unwrap_err();
        assert_eq!(error.code, code::MALFORMED_REQUEST);
        let query = json!({ "sinceTransactionId": "z".repeat(70_000) }).to_string();
        assert_eq!(
            list_query(&query).unwrap_err().code,
            code::INVALID_LIST_QUERY
        );
    }

    #[test]
    fn a_refused_body_is_stored_but_owns_nothing() {
        let (mut sandbox, key) = sandbox_with_key();
        let text = charge_body(remove(&["orderId"])).to_string();
        let refused = sandbox.charge_json(&key, &text, t0()).unwrap();
        assert_eq!(refused.response_code.value(), 50126);
        assert_eq!(refused.merchant_transaction_id.as_deref(), Some("m-1"));
        assert_eq!(sandbox.transaction_count(), 1);
        let stored = sandbox
            .get_transaction(&key, &refused.transaction_id)
            .unwrap();
        assert_eq!(stored, refused);
        // Like any request refused before a gateway, it does not use up its id.
        assert!(sandbox.get_transaction_by_merchant_id(&key, "m-1").is_err());
        let corrected = charge_body(|_| {}).to_string();
        let approved = sandbox.charge_json(&key, &corrected, t0()).unwrap();
        assert_eq!(approved.response_code, ResponseCode::APPROVED);
        assert_eq!(
            approved,
            sandbox.get_transaction_by_merchant_id(&key, "m-1").unwrap()
        );
    }

    #[test]
    fn a_required_text_field_not_sent_is_echoed_as_null_not_empty() {
        let (mut sandbox, key) = sandbox_with_key();
        let text = charge_body(|t| {
            for field in ["merchantTransactionId", "orderId", "currencyCode"] {
                t.as_object_mut().unwrap().remove(field);
            }
        })
        .to_string();
        let refused = sandbox.charge_json(&key, &text, t0()).unwrap();
        assert_eq!(refused.response_code.value(), 50103);
        assert_eq!(refused.merchant_transaction_id, None);
        assert_eq!(refused.order_id, None);
        assert_eq!(refused.currency_code, None);
        // The record keeps its placeholder: the snapshot is written as before, and the
        // transaction read back answers the same.
        let snapshot = sandbox.to_snapshot();
        assert!(
            snapshot.contains("\"merchantTransactionId\":\"\""),
            "{snapshot}"
        );
        let restored = Sandbox::from_snapshot(&snapshot).unwrap();
        assert_eq!(restored.to_snapshot(), snapshot);
        assert_eq!(
            restored
                .get_transaction(&key, &refused.transaction_id)
                .unwrap(),
            refused
        );
        // What was sent is echoed as sent.
        let sent = charge_body(remove(&["paymentMethod"])).to_string();
        let refused = sandbox.charge_json(&key, &sent, t0()).unwrap();
        assert_eq!(refused.merchant_transaction_id.as_deref(), Some("m-1"));
        assert!(refused.order_id.is_some_and(|id| !id.is_empty()));
        assert_eq!(refused.currency_code.as_deref(), Some("USD"));
    }

    #[test]
    fn a_misspelt_field_is_listed_but_flexpay_answers_for_the_missing_one() {
        let (mut sandbox, key) = sandbox_with_key();
        let text = charge_body(|t| {
            let id = t.as_object_mut().unwrap().remove("merchantTransactionId");
            t["merchantTransactionID"] = id.unwrap();
        })
        .to_string();
        let answer = sandbox.charge_json(&key, &text, t0()).unwrap();
        assert_eq!(answer.response_code.value(), 50103);
        let message = answer.message.unwrap_or_default();
        assert!(message.ends_with("(and 1 more problem)"), "{message}");
    }

    #[test]
    fn only_a_body_that_is_no_request_at_all_is_refused_as_a_whole() {
        let (mut sandbox, key) = sandbox_with_key();
        for text in [
            "[1,2]",
            "\"charge\"",
            "7",
            "null",
            "{\"transaction\":5}",
            "not json",
            "",
        ] {
            let error = sandbox.charge_json(&key, text, t0()).unwrap_err();
            assert_eq!(
                (error.http_status, error.code),
                (400, code::MALFORMED_REQUEST),
                "{text}"
            );
            assert!(error.message.contains("JSON"), "{}", error.message);
            assert_plain(&error.message);
        }
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        let deep = format!("{{\"transaction\":{{\"orderId\":{deep}}}}}");
        let error = sandbox.charge_json(&key, &deep, t0()).unwrap_err();
        assert_eq!(error.code, code::MALFORMED_REQUEST);
        assert!(error.message.contains("32 levels"), "{}", error.message);
        assert_eq!(sandbox.transaction_count(), 0);
        // The key is checked first, as FlexPay does.
        let error = sandbox.charge_json("nope", "[1]", t0()).unwrap_err();
        assert_eq!(error.http_status, 401);
    }

    #[test]
    fn follow_up_bodies_are_read_the_same_way() {
        let (mut sandbox, key) = sandbox_with_key();
        let charged = sandbox
            .charge(&key, visa_charge("c-1", 1000), t0())
            .unwrap();
        let charge = charged.transaction_id.as_str();
        let mut authorization = visa_charge("a-1", 1000);
        authorization.order_id = "o-2".into();
        let authorized = sandbox.authorize(&key, authorization, t0()).unwrap();
        let authorization = authorized.transaction_id.as_str();

        let no_id = json!({ "transaction": { "amount": 100 } }).to_string();
        let capture = sandbox
            .capture_json(&key, authorization, &no_id, t0())
            .unwrap();
        assert_eq!(capture.response_code.value(), 50103);
        let text_amount =
            json!({ "transaction": { "merchantTransactionId": "r-1", "amount": "5" } }).to_string();
        let refund = sandbox
            .refund_json(&key, charge, &text_amount, t0())
            .unwrap();
        assert_eq!(refund.response_code.value(), 50137);
        let number_id = json!({ "transaction": { "merchantTransactionId": 7 } }).to_string();
        let void = sandbox.void_json(&key, charge, &number_id, t0()).unwrap();
        assert_eq!(void.response_code.value(), 50000);
        let message = void.message.unwrap_or_default();
        assert!(message.contains("write it in quotes, \"7\""), "{message}");
        let notice = sandbox
            .refunded_payment_json(&key, charge, r#"{"transaction": {}}"#, t0())
            .unwrap();
        assert_eq!(notice.response_code.value(), 50103);
        // Nothing was captured, refunded or voided; bodies that read go through.
        let capture = json!({ "transaction": { "merchantTransactionId": "cap-1" } }).to_string();
        let captured = sandbox
            .capture_json(&key, authorization, &capture, t0())
            .unwrap();
        assert_eq!(captured.response_code, ResponseCode::APPROVED);
        let unwrapped = json!({ "merchantTransactionId": "r-2", "amount": 400 });
        let refund = json!({ "transaction": unwrapped }).to_string();
        let refunded = sandbox.refund_json(&key, charge, &refund, t0()).unwrap();
        assert_eq!(refunded.response_code, ResponseCode::APPROVED);
        assert_eq!(refunded.amount, Some(400));
        let error = sandbox.void_json(&key, charge, "[]", t0()).unwrap_err();
        assert_eq!(error.code, code::MALFORMED_REQUEST);
        let lone = r#"{"transaction": {"merchantTransactionId": "a\ud800b"}}"#;
        let error = sandbox.void_json(&key, charge, lone, t0()).unwrap_err();
        assert_eq!(error.code, code::MALFORMED_REQUEST);
        assert!(
            error.message.contains("lone UTF-16 surrogate"),
            "{}",
            error.message
        );
        // Nested past 32 levels, even in a field FlexPay ignores: refused as the validators
        // refuse it, though serde_json alone would read on to 128.
        let nested = |levels: usize| {
            format!(
                r#"{{"transaction": {{"merchantTransactionId": "r-3", "x": {}{}}}}}"#,
                "[".repeat(levels),
                "]".repeat(levels)
            )
        };
        let error = sandbox
            .refund_json(&key, charge, &nested(31), t0())
            .unwrap_err();
        assert_eq!(error.code, code::MALFORMED_REQUEST);
        assert!(
            error.message.contains("more than 32 levels"),
            "{}",
            error.message
        );
        let refunded = sandbox
            .refund_json(&key, charge, &nested(30), t0())
            .unwrap();
        assert_eq!(refunded.response_code, ResponseCode::APPROVED);
    }

    #[test]
    fn a_body_without_its_envelope_holds_no_request() {
        let (mut sandbox, key) = sandbox_with_key();
        let charged = sandbox
            .charge(&key, visa_charge("c-1", 1000), t0())
            .unwrap();
        let charge = charged.transaction_id.as_str();
        // The fields of a valid charge, refund and vault card, each sent without its envelope.
        let bare_charge = charge_body(|_| {})["transaction"].to_string();
        let bare_refund = json!({ "merchantTransactionId": "r-1", "amount": 400 }).to_string();
        let answers = [
            sandbox.charge_json(&key, &bare_charge, t0()).unwrap(),
            sandbox.authorize_json(&key, &bare_charge, t0()).unwrap(),
            sandbox
                .refund_json(&key, charge, &bare_refund, t0())
                .unwrap(),
            sandbox
                .refunded_payment_json(&key, charge, "{}", t0())
                .unwrap(),
        ];
        for answer in answers {
            assert_eq!(answer.response_code.value(), 50003);
            assert_eq!(answer.transaction_status, TransactionStatus::Declined);
            let message = answer.message.unwrap_or_default();
            assert!(message.contains(r#"{"transaction": {...}}"#), "{message}");
            assert_plain(&message);
        }
        // Nothing was refunded, and the charge's id is still free to use.
        let refund = json!({ "transaction": { "merchantTransactionId": "r-1", "amount": 1000 } });
        let refunded = sandbox
            .refund_json(&key, charge, &refund.to_string(), t0())
            .unwrap();
        assert_eq!(refunded.response_code, ResponseCode::APPROVED);
        // Other top-level keys next to the envelope are ignored, as FlexPay ignores them.
        let mut with_extra = charge_body(set(&["merchantTransactionId"], json!("m-2")));
        with_extra["trace"] = json!("abc");
        let approved = sandbox
            .charge_json(&key, &with_extra.to_string(), t0())
            .unwrap();
        assert_eq!(approved.response_code, ResponseCode::APPROVED);
        // The vault reads its `paymentMethod` envelope the same way.
        let card = json!({ "creditCard": { "creditCardNumber": "4111111111111111" } });
        let created = sandbox
            .create_payment_method_json(&key, &card.to_string(), t0())
            .unwrap();
        assert_eq!(created.response_code.value(), 50003);
        let message = created.message.unwrap_or_default();
        assert!(message.contains(r#"{"paymentMethod": {...}}"#), "{message}");
    }

    #[test]
    fn vault_bodies_list_every_problem_and_store_nothing() {
        let (mut sandbox, key) = sandbox_with_key();
        let card = |edit: &dyn Fn(&mut Value)| {
            let mut card = json!({
                "creditCardNumber": "4920201996449560", "expiryMonth": "12", "expiryYear": "2030",
                "firstName": "Ada", "lastName": "Lovelace", "postalCode": "10001",
                "city": "New York", "state": "NY",
            });
            edit(&mut card);
            json!({ "paymentMethod": { "customerId": "c-1", "creditCard": card } }).to_string()
        };
        let wrong = card(&|c| {
            c["expiryMonth"] = json!(12);
            c["expiryYear"] = json!(2030);
        });
        let refused = sandbox
            .create_payment_method_json(&key, &wrong, t0())
            .unwrap();
        assert_eq!(refused.response_code.value(), 50056);
        assert_eq!(refused.payment_method, None);
        let message = refused.message.unwrap_or_default();
        let paths: Vec<&str> = message
            .lines()
            .map(|l| &l[..l.find(": ").unwrap()])
            .collect();
        assert_eq!(
            paths,
            [
                "paymentMethod.creditCard.expiryMonth",
                "paymentMethod.creditCard.expiryYear"
            ]
        );
        assert_plain(&message);
        let no_card = json!({ "paymentMethod": { "customerId": "c-1" } }).to_string();
        let refused = sandbox
            .create_payment_method_json(&key, &no_card, t0())
            .unwrap();
        // Neither creditCard nor gatewayPaymentMethod: FlexPay's "payment method required".
        assert_eq!(refused.response_code.value(), 50135);
        let message = refused.message.unwrap_or_default();
        assert!(
            message.starts_with("paymentMethod.creditCard: "),
            "{message}"
        );
        let none = ListTransactionsQuery::default();
        assert!(sandbox
            .list_payment_methods(&key, &none)
            .unwrap()
            .payment_methods
            .is_empty());

        let stored = sandbox
            .create_payment_method_json(&key, &card(&|_| {}), t0())
            .unwrap();
        assert_eq!(stored.response_code, ResponseCode::APPROVED);
        let id = stored.payment_method.unwrap().payment_method_id.unwrap();
        let update = json!({ "paymentMethod": { "expiryMonth": 7, "city": "Boston" } });
        let refused = sandbox
            .update_payment_method_json(&key, &id, &update.to_string(), t0())
            .unwrap();
        assert_eq!(refused.response_code.value(), 50056);
        let method = sandbox.get_payment_method(&key, &id).unwrap();
        assert_eq!(method.city.as_deref(), Some("New York"), "nothing changed");
        for nothing in ["null", "{\"paymentMethod\":null}"] {
            let error = sandbox
                .update_payment_method_json(&key, &id, nothing, t0())
                .unwrap_err();
            assert_eq!(error.code, code::NO_EDITABLE_FIELD, "{nothing}");
        }
        // Without its envelope a body holds no change.
        for bare in ["{}", "{\"city\":\"Boston\"}"] {
            let refused = sandbox
                .update_payment_method_json(&key, &id, bare, t0())
                .unwrap();
            assert_eq!(refused.response_code.value(), 50003, "{bare}");
        }
        let method = sandbox.get_payment_method(&key, &id).unwrap();
        assert_eq!(method.city.as_deref(), Some("New York"), "nothing changed");
        let updated = sandbox
            .update_payment_method_json(
                &key,
                &id,
                "{\"paymentMethod\":{\"city\":\"Boston\"}}",
                t0(),
            )
            .unwrap();
        assert_eq!(updated.response_code, ResponseCode::APPROVED);
        let empty_card = json!({ "paymentMethod": { "creditCard": {} } }).to_string();
        let recache = sandbox
            .recache_payment_method_json(&key, &id, &empty_card, t0())
            .unwrap();
        assert_eq!(recache.response_code.value(), 50000);
        let message = recache.message.unwrap_or_default();
        assert!(
            message.starts_with("paymentMethod.creditCard.cvv: "),
            "{message}"
        );
        assert!(message.ends_with("(required)"), "{message}");
        let number = json!({ "paymentMethod": { "creditCard": { "cvv": 879 } } }).to_string();
        let recache = sandbox
            .recache_payment_method_json(&key, &id, &number, t0())
            .unwrap();
        assert_eq!(recache.response_code.value(), 50000);
        assert!(
            !recache.message.unwrap_or_default().contains("879"),
            "no CVV in a message"
        );
        let cvv = json!({ "paymentMethod": { "creditCard": { "cvv": "879" } } }).to_string();
        let recached = sandbox
            .recache_payment_method_json(&key, &id, &cvv, t0())
            .unwrap();
        assert_eq!(recached.response_code, ResponseCode::APPROVED);
    }

    #[test]
    fn a_list_query_of_the_wrong_type_names_the_parameter() {
        assert_eq!(
            list_query("null").unwrap(),
            ListTransactionsQuery::default()
        );
        let query = list_query(r#"{"order":"desc","count":5,"unknown":1}"#).unwrap();
        assert_eq!(query.count, Some(5));
        for (text, named) in [
            (r#"{"count":"abc"}"#, "count must be a whole number of items per page, 1 to 100 (20 when left out), not a string."),
            (r#"{"count":-1}"#, "count must be a whole number of items per page, 1 to 100 (20 when left out), not -1."),
            (r#"{"count":1.5}"#, "count must be a whole number of items per page, 1 to 100 (20 when left out), not 1.5."),
            (r#"{"count":99999999999}"#, "count must be a whole number of items per page, 1 to 100 (20 when left out), not 99999999999."),
            (r#"{"order":"DESC"}"#, "did you mean \"desc\""),
            (r#"{"order":"up"}"#, "use one of \"asc\", \"desc\""),
            (r#"{"responseType":"full"}"#, "\"responseType\""),
            (
                r#"{"startDate":20231108}"#,
                "\"startDate\" must be a string",
            ),
            ("[1]", "an object of parameters"),
            ("{", "not JSON"),
        ] {
            let error = list_query(text).unwrap_err();
            assert_eq!(
                (error.http_status, error.code),
                (400, code::INVALID_LIST_QUERY)
            );
            assert!(error.message.contains(named), "{text}: {}", error.message);
            assert!(!error.message.contains("4294967295"), "{text}: {}", error.message);
            assert_plain(&error.message);
        }
    }

    #[test]
    fn a_count_outside_1_to_100_is_refused_in_the_words_of_one_that_is_no_number() {
        let (mut sandbox, key) = sandbox_with_key();
        sandbox
            .charge(&key, visa_charge("c-1", 1000), t0())
            .unwrap();
        for count in [0u32, 101, 1000] {
            let query = list_query(&format!(r#"{{"count":{count}}}"#)).unwrap();
            let error = sandbox.list_transactions(&key, &query).unwrap_err();
            assert_count_refused(&error, count);
        }
        for count in [1, 100] {
            let query = list_query(&format!(r#"{{"count":{count}}}"#)).unwrap();
            assert_eq!(sandbox.list_transactions(&key, &query).unwrap().len(), 1);
        }
    }
}
