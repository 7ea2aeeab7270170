//! The corpus of valid and broken requests that ties the npm package's validation to the
//! core's: `tests/npm/validation-corpus.json` holds each request's JSON text and the problems
//! (path and code) `validate_*_json` finds in it, and `tests/npm/validation-parity.test.mjs`
//! checks that the package reports the same for the text and for the parsed object. This test
//! fails when the file is stale; `FLEXKIT_UPDATE_CORPUS=1 cargo test -p flexkit-core corpus`
//! rewrites it.

use serde_json::{json, Value};

use super::json::{tagged_schemas, validate_encoded};
use super::*;
use crate::flexpay::account::Environment;
use crate::time::UtcTimestamp;
use crate::validation::{code, Validation};

/// The time every corpus request is checked at (the npm test passes the same).
const NOW: &str = "2026-11-21T10:00:00Z";

fn charge() -> Value {
    json!({"transaction": {
        "merchantTransactionId": "mt-2026-000123", "orderId": "order-98765",
        "description": "Monthly plan", "customerId": "cust-4411", "currencyCode": "USD",
        "amount": 2999, "customerIp": "203.0.113.7", "retryCount": 1, "referenceData": null,
        "dateFirstAttempt": "2026-11-20T09:00:00Z",
        "paymentMethod": {"creditCardNumber": "4111111111111111", "expiryMonth": "09",
            "expiryYear": "2029", "cvv": "123", "firstName": "Ada", "lastName": "Lovelace",
            "address1": "1 Main Street", "postalCode": "10001", "city": "New York", "state": "NY",
            "country": "US", "email": "ada@example.com"},
        "retainOnSuccess": false}})
}

/// `body` with the value at `pointer` replaced or added (`None`: removed).
fn edit(mut body: Value, pointer: &str, value: Option<Value>) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let target = if parent.is_empty() {
        Some(&mut body)
    } else {
        body.pointer_mut(parent)
    };
    if let Some(Value::Object(map)) = target {
        match value {
            Some(value) => {
                map.insert(key.to_owned(), value);
            }
            None => {
                map.remove(key);
            }
        }
    }
    body
}

fn corpus() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut add = |kind: &'static str, body: Value| out.push((kind, body.to_string()));
    add("charge", charge());
    add("authorize", charge());
    let charge_edits: Vec<(&str, Option<Value>)> = vec![
        (
            "/transaction/paymentMethod/creditCardNumber",
            Some(json!("4111111111111112")),
        ),
        (
            "/transaction/paymentMethod/creditCardNumber",
            Some(json!(4111111111111111u64)),
        ),
        ("/transaction/paymentMethod/expiryMonth", Some(json!("13"))),
        ("/transaction/paymentMethod/expiryMonth", Some(json!(9))),
        ("/transaction/paymentMethod/expiryYear", Some(json!("2024"))),
        ("/transaction/paymentMethod/cvv", Some(json!("12"))),
        (
            "/transaction/paymentMethod/email",
            Some(json!("not-an-email")),
        ),
        ("/transaction/paymentMethod/emial", Some(json!("a@b.co"))),
        (
            "/transaction/paymentMethod/gatewayPaymentMethodId",
            Some(json!("pm_1")),
        ),
        ("/transaction/paymentMethod", None),
        ("/transaction/paymentMethod", Some(json!(null))),
        ("/transaction/paymentMethod", Some(json!("card"))),
        (
            "/transaction/paymentMethodId",
            Some(json!("KQ8ZP2M4C6R1T7VXN3B5D9FHJA")),
        ),
        ("/transaction/currencyCode", Some(json!("usd"))),
        ("/transaction/currencyCode", Some(json!("XXX"))),
        ("/transaction/amount", Some(json!(-5))),
        ("/transaction/amount", Some(json!(0))),
        ("/transaction/amount", Some(json!(10.5))),
        ("/transaction/amount", Some(json!("10.50"))),
        ("/transaction/amount", Some(json!("2999"))),
        ("/transaction/amount", Some(json!(1e300))),
        ("/transaction/amount", Some(json!(9007199254740993u64))),
        ("/transaction/amount", Some(json!(true))),
        ("/transaction/retryCount", Some(json!(-1))),
        ("/transaction/retryCount", Some(json!(3))),
        ("/transaction/retryCount", Some(json!("1"))),
        ("/transaction/retryCount", Some(json!(1.5))),
        ("/transaction/retryCount", Some(json!(5_000_000_000u64))),
        (
            "/transaction/referenceData",
            Some(json!("eyJjaGFpbiI6IjEifQ==")),
        ),
        ("/transaction/orderId", None),
        ("/transaction/orderId", Some(json!(null))),
        ("/transaction/orderId", Some(json!(""))),
        ("/transaction/orderId", Some(json!(98765))),
        ("/transaction/orderID", Some(json!("x"))),
        ("/transaction/currency", Some(json!("USD"))),
        ("/transaction/somethingElse", Some(json!([1, {"a": 2}]))),
        ("/transaction/assignedGatewayToken", Some(json!("G4T3W4YS"))),
        ("/transaction/gatewayToken", Some(json!("G4T3W4YS"))),
        (
            "/transaction/dateFirstAttempt",
            Some(json!("2026-11-20 09:00:00")),
        ),
        (
            "/transaction/dateFirstAttempt",
            Some(json!("2026-11-20T09:00:00+02:00")),
        ),
        (
            "/transaction/dateFirstAttempt",
            Some(json!("2027-01-01T00:00:00Z")),
        ),
        ("/transaction/customerIp", Some(json!("999.1.1.1"))),
        ("/transaction/retainOnSuccess", Some(json!("false"))),
        ("/transaction/disableCustomerRecovery", Some(json!(1))),
        ("/transaction/paymentModel", Some(json!("subscription"))),
        (
            "/transaction/shippingAddress",
            Some(json!({"city": "Paris", "country": "FR", "zip": "75001"})),
        ),
        ("/transaction/shippingAddress", Some(json!([]))),
        (
            "/transaction/paymentPlan",
            Some(json!({"sku": "PLAN-M", "billingCycle": -3})),
        ),
        (
            "/transaction/References",
            Some(json!({"PreviousTransaction": {"gatewayCode": 5, "gatewayMessage": "x"}})),
        ),
        ("/transaction", Some(json!(null))),
        ("/transaction", Some(json!([]))),
        ("/transaction", Some(json!("{}"))),
        ("/extra", Some(json!(true))),
    ];
    for (pointer, value) in charge_edits {
        add("charge", edit(charge(), pointer, value));
    }
    let mut unwrapped = charge()["transaction"].clone();
    add("charge", unwrapped.clone());
    unwrapped["amount"] = json!("x");
    add("charge", json!({"transation": unwrapped}));
    add("charge", json!({}));
    add("charge", json!(null));
    add("charge", json!([charge()]));
    add("charge", json!("charge"));
    let mut many = charge();
    for (pointer, value) in [
        (
            "/transaction/paymentMethod/creditCardNumber",
            json!("4111111111111112"),
        ),
        ("/transaction/paymentMethod/expiryMonth", json!("13")),
        ("/transaction/currencyCode", json!("usd")),
        ("/transaction/amount", json!(-5)),
        ("/transaction/retryCount", json!(-1)),
    ] {
        many = edit(many, pointer, Some(value));
    }
    add("charge", edit(many, "/transaction/orderId", None));

    add(
        "capture",
        json!({"transaction": {"merchantTransactionId": "cap-1", "amount": 2500}}),
    );
    add(
        "capture",
        json!({"transaction": {"merchantTransactionId": "cap-1", "amount": -1}}),
    );
    add(
        "capture",
        json!({"transaction": {"amount": 2500, "disableCustomerRecovery": "yes"}}),
    );
    add(
        "void",
        json!({"transaction": {"merchantTransactionId": "void-1"}}),
    );
    add(
        "void",
        json!({"transaction": {"merchantTransactionId": "void-1", "amount": 5}}),
    );
    add(
        "refund",
        json!({"transaction": {"merchantTransactionId": "r-1", "amount": 10.5}}),
    );
    add("refundedPayment", json!({"transaction": {}}));
    add(
        "createPaymentMethod",
        json!({"paymentMethod": {"customerId": "cust-1", "creditCard": {
        "creditCardNumber": "5555555555554444", "expiryMonth": "01", "expiryYear": "2031",
        "cvv": "010", "fullName": "Avery Quinn", "postalCode": "97205", "city": "Portland",
        "state": "OR"}}}),
    );
    add(
        "createPaymentMethod",
        json!({"paymentMethod": {"customerId": "cust-1",
        "creditCard": {"creditCardNumber": "5555555555554444"},
        "gatewayPaymentMethod": {"gatewayPaymentMethodId": "pm_1"}}}),
    );
    add(
        "createPaymentMethod",
        json!({"paymentMethod": {"customerId": "cust-1",
        "gatewayPaymentMethod": {"gatewayPaymentMethodId": "pm_1", "lastFourDigits": 4242,
            "postalCode": "K1A 0B1", "city": "Ottawa", "state": "ON"}}}),
    );
    add(
        "listQuery",
        json!({"order": "desc", "count": 50, "startDate": "2026-11-01",
        "responseType": "simplified"}),
    );
    add(
        "listQuery",
        json!({"order": "DESC", "count": "50", "sinceToken": "t-1"}),
    );
    add(
        "listQuery",
        json!({"sinceToken": "t-1", "sinceTransactionId": "t-2"}),
    );
    // A page size outside 1 to 100, or of another type: refused in the same words.
    for count in [
        json!(0),
        json!(101),
        json!(1000),
        json!(1.5),
        json!(-1),
        json!("abc"),
        json!(99_999_999_999u64),
    ] {
        add("listQuery", json!({ "count": count }));
    }
    add(
        "gateway",
        json!({"name": "Stripe US", "gatewayType": "stripe", "currencyCode": "USD",
        "status": "Available", "acceptedCurrencyCodes": ["USD", "CAD"],
        "acceptedCards": {"visa": {"acceptCreditCard": true}}, "weight": 1.5,
        "approvedChargeOrCaptureRateFee": 2.9, "approvedChargeOrCaptureFlatFee": 30,
        "settings": {"apiKey": "sk_test_x"}}),
    );
    add(
        "gateway",
        json!({"name": 5, "gatewayType": "STRIPE", "currencyCode": "usd",
        "status": "enabled", "acceptedCurrencyCodes": "USD", "weight": "1",
        "acceptedCards": {"visa": {"acceptCreditCard": "yes"}, "amx": {}}}),
    );
    add(
        "gateway",
        json!({"name": "G", "gatewayType": "stripe", "currencyCode": "USD",
        "status": "Available", "acceptedCurrencyCodes": ["USD", 5, null]}),
    );
    add("company", json!({"name": "Flexkit Demo", "code": "FP01"}));
    add("company", json!({"name": "", "code": "FP_01"}));
    add("company", json!({"name": "Demo", "code": "FP 01!"}));
    add(
        "apiKeyRequest",
        json!({"name": "CRM", "company": "FP01", "mode": "Sandbox"}),
    );
    add(
        "apiKeyRequest",
        json!({"name": "CRM", "company": "FP01", "mode": "sandbox"}),
    );
    add(
        "autoRetryConfig",
        json!({"name": "Retries", "company": "FP01",
        "environment": "Production", "status": "Enabled"}),
    );
    add(
        "autoRetryConfig",
        json!({"name": "Retries", "environment": 1, "status": "On"}),
    );
    add(
        "updatePaymentMethod",
        json!({"paymentMethod": {"expiryMonth": "02", "expiryYear": "2031", "city": "Portland"}}),
    );
    add("updatePaymentMethod", json!({"paymentMethod": {}}));
    add(
        "updatePaymentMethod",
        json!({"paymentMethod": {"expiryMonth": "13", "expiryYear": 2031, "country": "XX",
        "email": "nope", "firstName": "   ", "cvv": "123"}}),
    );
    add(
        "recachePaymentMethod",
        json!({"paymentMethod": {"creditCard": {"cvv": "123"}}}),
    );
    add(
        "recachePaymentMethod",
        json!({"paymentMethod": {"creditCard": {"cvv": "12a", "expiryMonth": "01"}}}),
    );
    add("recachePaymentMethod", json!({"paymentMethod": {}}));
    add("recachePaymentMethod", json!({"creditCard": {"cvv": 123}}));
    out
}

fn problems(validation: &Validation) -> Value {
    let mut all: Vec<(String, &str)> = validation
        .problems()
        .iter()
        .map(|p| (p.path.clone(), p.code))
        .collect();
    all.sort();
    Value::Array(
        all.into_iter()
            .map(|(path, code)| json!([path, code]))
            .collect(),
    )
}

fn json_validation(kind: &str, text: &str, ctx: &ValidationContext) -> Validation {
    match kind {
        "charge" | "authorize" => validate_charge_json(text, ctx).validation,
        "capture" => validate_capture_json(text, ctx).validation,
        "void" => validate_void_json(text, ctx).validation,
        "refund" | "refundedPayment" => validate_refund_json(text, ctx).validation,
        "createPaymentMethod" => validate_create_payment_method_json(text, ctx).validation,
        "listQuery" => validate_list_query_json(text, ctx).validation,
        "gateway" => validate_gateway_json(text, ctx).validation,
        "company" => validate_company_json(text, ctx).validation,
        "apiKeyRequest" => validate_api_key_request_json(text, ctx).validation,
        "updatePaymentMethod" => validate_update_payment_method_json(text, ctx).validation,
        "recachePaymentMethod" => validate_recache_payment_method_json(text, ctx).validation,
        _ => validate_auto_retry_config_json(text, ctx).validation,
    }
}

#[test]
fn the_npm_parity_corpus_is_current() {
    let now = UtcTimestamp::parse_iso8601(NOW).expect("time");
    let ctx = ValidationContext::new(now, Environment::Production);
    let items: Vec<Value> = corpus()
        .into_iter()
        .map(|(kind, text)| {
            let expected = problems(&json_validation(kind, &text, &ctx));
            json!({"kind": kind, "text": text, "problems": expected})
        })
        .collect();
    let document = json!({"now": NOW, "environment": "production", "items": items});
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&document).expect("serializes")
    );
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/npm/validation-corpus.json"
    );
    if std::env::var_os("FLEXKIT_UPDATE_CORPUS").is_some() {
        std::fs::write(path, &text).expect("writes the corpus");
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        current == text,
        "tests/npm/validation-corpus.json is stale: run FLEXKIT_UPDATE_CORPUS=1 cargo test -p \
         flexkit-core corpus"
    );
}

/// The same corpus through the tagged front end, encoded the way a caller without schemas
/// would (every object keyed by name): the same problems, item by item.
#[test]
fn the_tagged_front_end_agrees_on_the_corpus() {
    let now = UtcTimestamp::parse_iso8601(NOW).expect("time");
    let ctx = ValidationContext::new(now, Environment::Production);
    for (kind, text) in corpus() {
        let index = REQUEST_KINDS
            .iter()
            .position(|(name, _)| *name == kind)
            .expect("kind");
        let value: Value = serde_json::from_str(&text).expect("corpus is JSON");
        let mut bytes = Vec::new();
        crate::validation::tagged::encode_json(&value, &mut bytes);
        let tagged = validate_tagged(index, &bytes, &ctx).expect("kind");
        assert_eq!(
            problems(&tagged),
            problems(&json_validation(kind, &text, &ctx)),
            "{kind}: {text}"
        );
    }
}

/// Every text field of the corpus's requests made too long: each `too_long` warning says that
/// FlexPay checks the length exactly when FlexPay has a code for it (reference §10.5).
#[test]
fn too_long_says_whether_flexpay_checks_the_length() {
    fn strings(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    strings(item, format!("{at}/{key}"), out);
                }
            }
            Value::String(_) => out.push(at),
            _ => {}
        }
    }
    let now = UtcTimestamp::parse_iso8601(NOW).expect("time");
    let ctx = ValidationContext::new(now, Environment::Production);
    let mut seen = (0, 0);
    for (kind, text) in corpus() {
        let body: Value = serde_json::from_str(&text).expect("corpus is JSON");
        let mut paths = Vec::new();
        strings(&body, String::new(), &mut paths);
        for path in paths {
            let long = edit(body.clone(), &path, Some(json!("x".repeat(3000))));
            let validation = json_validation(kind, &long.to_string(), &ctx);
            for problem in validation
                .problems()
                .iter()
                .filter(|p| p.code == code::TOO_LONG)
            {
                let flexpay = super::response_code::has_length_code(&problem.path);
                assert_eq!(
                    problem.message.contains("FlexPay checks its length"),
                    flexpay,
                    "{kind} {}: {}",
                    problem.path,
                    problem.message
                );
                if flexpay {
                    seen.0 += 1;
                } else {
                    seen.1 += 1;
                }
            }
        }
    }
    assert!(seen.0 > 20 && seen.1 > 3, "{seen:?}");
}

/// Every way of breaking `body` one value at a time: each key removed, each value replaced by
/// `null`, a number, a string, a boolean, an empty object and an empty array, and an unknown
/// key added to each object.
fn mutations(body: &Value) -> Vec<Value> {
    fn paths(value: &Value, at: String, out: &mut Vec<String>) {
        if let Value::Object(map) = value {
            for (key, item) in map {
                let path = format!("{at}/{key}");
                out.push(path.clone());
                paths(item, path, out);
            }
        }
    }
    let mut all = Vec::new();
    paths(body, String::new(), &mut all);
    let mut out = Vec::new();
    for path in &all {
        out.push(edit(body.clone(), path, None));
        for value in [
            json!(null),
            json!(7),
            json!(-1.5),
            json!("x"),
            json!("4111111111111111"),
            json!(true),
            json!({}),
            json!([]),
        ] {
            out.push(edit(body.clone(), path, Some(value)));
        }
        if body.pointer(path).is_some_and(Value::is_object) {
            out.push(edit(
                body.clone(),
                &format!("{path}/extraField"),
                Some(json!(1)),
            ));
        }
    }
    out
}

/// The fast path for plain requests changes nothing: on the corpus and on every one-value
/// mutation of it, the encoding the JavaScript layer writes gets exactly the problems (paths,
/// codes, messages, severities, order) of the full cleaning walk, and the problems of the
/// JSON text.
#[test]
fn the_plain_fast_path_agrees_with_the_full_walk() {
    let now = UtcTimestamp::parse_iso8601(NOW).expect("time");
    let mut plain_seen = 0;
    for environment in [Environment::Production, Environment::Sandbox] {
        let ctx = ValidationContext::new(now, environment);
        for (kind, text) in corpus() {
            let index = REQUEST_KINDS
                .iter()
                .position(|(name, _)| *name == kind)
                .expect("kind");
            let document = REQUEST_KINDS[index].1;
            let body: Value = serde_json::from_str(&text).expect("corpus is JSON");
            for body in std::iter::once(body.clone()).chain(mutations(&body)) {
                let mut bytes = Vec::new();
                crate::validation::tagged::encode_walked(
                    &body,
                    document,
                    tagged_schemas(),
                    &mut bytes,
                );
                let fast = validate_encoded(index, &bytes, &ctx, true, None).expect("kind");
                let walked = validate_encoded(index, &bytes, &ctx, false, None).expect("kind");
                assert_eq!(fast.problems(), walked.problems(), "{kind}: {body}");
                let text = body.to_string();
                assert_eq!(
                    problems(&fast),
                    problems(&json_validation(kind, &text, &ctx)),
                    "{kind}: {text}"
                );
                if crate::validation::tagged::read_plain(&bytes, tagged_schemas(), document)
                    .is_some()
                {
                    plain_seen += 1;
                }
            }
        }
    }
    // The fast path is taken, not only skipped.
    assert!(plain_seen > 100, "only {plain_seen} plain requests");
}
