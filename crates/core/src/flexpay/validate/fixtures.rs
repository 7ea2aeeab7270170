//! Requests and contexts shared by the validators' tests.

use crate::flexpay::account::Environment;
use crate::flexpay::payment_method::{CreditCardDetails, GatewayPaymentMethodDetails};
use crate::flexpay::transaction::ChargeRequest;
use crate::time::UtcTimestamp;
use crate::validation::{Severity, Validation};

use super::ValidationContext;

/// The day the sandbox test cards must be shown expired in production.
pub(super) const NOW: &str = "2026-11-21T10:00:00Z";

pub(super) fn instant(text: &str) -> UtcTimestamp {
    UtcTimestamp::parse_iso8601(text).expect("test timestamp")
}

pub(super) fn production() -> ValidationContext {
    ValidationContext::new(instant(NOW), Environment::Production)
}

pub(super) fn sandbox() -> ValidationContext {
    ValidationContext::new(instant(NOW), Environment::Sandbox)
}

/// A card a real customer could have: not a sandbox test card, valid until 2029.
pub(super) fn card() -> CreditCardDetails {
    CreditCardDetails {
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
    }
}

pub(super) fn card_charge() -> ChargeRequest {
    ChargeRequest::with_card("rebill-30418-01", "order-30418", "USD", 2008, card())
        .customer("cust-30418")
}

pub(super) fn vaulted_charge() -> ChargeRequest {
    ChargeRequest::with_vaulted_payment_method(
        "rebill-30418-02",
        "order-30418",
        "USD",
        2008,
        "KQ8ZP2M4C6R1T7VXN3B5D9FHJA",
    )
}

pub(super) fn gateway_method() -> GatewayPaymentMethodDetails {
    GatewayPaymentMethodDetails {
        last_four_digits: Some("4242".into()),
        first_six_digits: Some("424242".into()),
        full_name: Some("Avery Quinn".into()),
        postal_code: Some("97205".into()),
        city: Some("Portland".into()),
        state: Some("OR".into()),
        country: Some("US".into()),
        expiry_month: Some("12".into()),
        expiry_year: Some("2030".into()),
        ..GatewayPaymentMethodDetails::new("pm_1OaXyZ2eZvKYlo2C")
    }
}

pub(super) fn gateway_charge() -> ChargeRequest {
    ChargeRequest::with_gateway_payment_method(
        "rebill-30418-03",
        "order-30418",
        "USD",
        2008,
        gateway_method(),
    )
    .customer("cust-30418")
}

/// `(path, code)` of every problem, in order.
pub(super) fn found(validation: &Validation) -> Vec<(&str, &'static str)> {
    validation
        .problems()
        .iter()
        .map(|p| (p.path.as_str(), p.code))
        .collect()
}

/// Exactly these problems, in any order.
#[track_caller]
pub(super) fn assert_problems(validation: &Validation, expected: &[(&str, &str)]) {
    let mut got = found(validation);
    got.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(got, want, "{:#?}", validation.problems());
}

#[track_caller]
pub(super) fn assert_clean(validation: &Validation) {
    assert!(
        validation.problems().is_empty(),
        "{:#?}",
        validation.problems()
    );
}

/// The single problem at `path`, which must have `code` and `severity`.
#[track_caller]
pub(super) fn assert_one(validation: &Validation, path: &str, code: &str, severity: Severity) {
    assert_problems(validation, &[(path, code)]);
    let problem = validation.at(path).expect("problem");
    assert_eq!(problem.severity, severity, "{problem}");
}
