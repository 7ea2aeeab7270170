//! How long validation takes: typed and from JSON text, for a correct raw-card charge and
//! for one with six mistakes, plus reading a response code.
//!
//! Run: `cargo bench -p flexkit-core --bench validate`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::payment_method::CreditCardDetails;
use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::transaction::{ChargeRequest, TransactionEnvelope};
use flexkit_core::flexpay::validate::{validate_charge, validate_charge_json, ValidationContext};
use flexkit_core::UtcTimestamp;

fn context() -> ValidationContext {
    let now = UtcTimestamp::parse_iso8601("2026-11-21T10:00:00Z").expect("timestamp");
    ValidationContext::new(now, Environment::Production)
}

fn valid_charge() -> ChargeRequest {
    let card = CreditCardDetails {
        cvv: Some("123".into()),
        first_name: Some("Avery".into()),
        last_name: Some("Quinn".into()),
        address1: Some("1180 Harbour Street".into()),
        postal_code: Some("97205".into()),
        city: Some("Portland".into()),
        state: Some("OR".into()),
        country: Some("US".into()),
        email: Some("avery.quinn@example.com".into()),
        ..CreditCardDetails::new("4111111111111111", "09", "2029")
    };
    ChargeRequest::with_card("rebill-30418-01", "order-30418", "USD", 2008, card)
        .customer("cust-30418")
        .retry_attempt(2, Some("eyJjaGFpbiI6IjMwNDE4In0=".into()))
        .first_attempted_at("2026-11-19T09:15:00Z")
}

/// Six mistakes: no merchantTransactionId, lower-case currency, zero amount, a mistyped card
/// digit, a one-digit month, and retryCount 3 without referenceData.
fn invalid_charge() -> ChargeRequest {
    let mut request = valid_charge().retry_attempt(3, None);
    request.merchant_transaction_id = String::new();
    request.currency_code = "usd".into();
    request.amount = 0;
    if let flexkit_core::flexpay::transaction::ChargePaymentMethod::Card {
        payment_method, ..
    } = &mut request.payment_method
    {
        payment_method.credit_card_number = "4111111111111112".into();
        payment_method.expiry_month = "9".into();
    }
    request
}

fn benches(c: &mut Criterion) {
    let ctx = context();
    let valid = valid_charge();
    let invalid = invalid_charge();
    assert!(validate_charge(&valid, &ctx).problems().is_empty());
    assert_eq!(validate_charge(&invalid, &ctx).problems().len(), 6);
    let valid_text = serde_json::to_string(&TransactionEnvelope::new(&valid)).expect("json");
    // The JSON form of the same six mistakes, the amount written as a decimal string.
    let invalid_text = serde_json::to_string(&TransactionEnvelope::new(&invalid))
        .expect("json")
        .replace("\"amount\":0", "\"amount\":\"20.08\"");
    assert!(validate_charge_json(&valid_text, &ctx).is_ok());
    assert_eq!(
        validate_charge_json(&invalid_text, &ctx)
            .validation
            .problems()
            .len(),
        6
    );

    c.bench_function("typed charge, valid raw card", |b| {
        b.iter(|| validate_charge(black_box(&valid), black_box(&ctx)))
    });
    c.bench_function("typed charge, 6 problems", |b| {
        b.iter(|| validate_charge(black_box(&invalid), black_box(&ctx)))
    });
    c.bench_function("JSON charge, valid raw card", |b| {
        b.iter(|| validate_charge_json(black_box(&valid_text), black_box(&ctx)))
    });
    c.bench_function("JSON charge, 6 problems", |b| {
        b.iter(|| validate_charge_json(black_box(&invalid_text), black_box(&ctx)))
    });
    c.bench_function("ResponseCode::parse + category", |b| {
        b.iter(|| {
            ResponseCode::parse(black_box("20003"))
                .map(ResponseCode::category)
                .ok()
        })
    });
}

criterion_group!(validation, benches);
criterion_main!(validation);
