//! The vault: a card retained by an approved payment sent with `retainOnSuccess` is charged
//! again by its `paymentMethodId`.

use super::snapshot::SnapshotError;
use super::test_support::{at_hours, sandbox_with_key, t0, visa_charge};
use super::Sandbox;
use crate::flexpay::account::Environment;
use crate::flexpay::payment_method::StorageState;
use crate::flexpay::response_code::ResponseCode;
use crate::flexpay::transaction::{CaptureRequest, ChargeRequest, TransactionResponse};

fn vaulted(merchant_transaction_id: &str, amount: i64, id: &str) -> ChargeRequest {
    ChargeRequest::with_vaulted_payment_method(
        merchant_transaction_id,
        "order-2",
        "USD",
        amount,
        id,
    )
    .customer("cust-1")
}

fn method_id(response: &TransactionResponse) -> String {
    response
        .payment_method
        .as_ref()
        .and_then(|m| m.payment_method_id.clone())
        .unwrap_or_default()
}

/// A sandbox with a key and a Visa retained by an approved charge; the vault id.
fn with_vaulted_visa() -> (Sandbox, String, String) {
    let (mut sandbox, key) = sandbox_with_key();
    let first = sandbox
        .charge(
            &key,
            visa_charge("keep-1", 1000).retain_on_success(true),
            t0(),
        )
        .unwrap();
    assert_eq!(first.response_code, ResponseCode::APPROVED);
    let id = method_id(&first);
    assert_eq!(
        first
            .payment_method
            .as_ref()
            .and_then(|m| m.storage_state.clone()),
        Some(StorageState::Stored)
    );
    (sandbox, key, id)
}

#[test]
fn a_retained_card_is_charged_again_by_its_payment_method_id() {
    let (mut sandbox, key, id) = with_vaulted_visa();
    let again = sandbox
        .charge(&key, vaulted("rebill-1", 2500, &id), at_hours(24))
        .unwrap();
    assert_eq!(again.response_code, ResponseCode::APPROVED);
    assert_eq!(again.amount, Some(2500));
    let method = again
        .payment_method
        .as_ref()
        .expect("the vaulted method is shown");
    assert_eq!(method.payment_method_id.as_deref(), Some(id.as_str()));
    assert_eq!(method.storage_state, Some(StorageState::Stored));
    assert_eq!(
        method.credit_card_number.as_deref(),
        Some("492020******9560")
    );
    assert_eq!(method.city.as_deref(), Some("Portland"));
    assert_eq!(method.first_name.as_deref(), Some("Avery"));
    assert_eq!(method.cvv, None, "a vault never keeps the CVV");

    // An authorization on the vaulted card is captured like any other.
    let auth = sandbox
        .authorize(&key, vaulted("rebill-2", 700, &id), at_hours(25))
        .unwrap();
    assert_eq!(auth.response_code, ResponseCode::APPROVED);
    let capture = sandbox
        .capture(
            &key,
            &auth.transaction_id,
            CaptureRequest::full("cap-1"),
            at_hours(26),
        )
        .unwrap();
    assert_eq!(capture.response_code, ResponseCode::APPROVED);
    assert_eq!(
        method_id(&capture),
        id,
        "a follow-up shows the vaulted method"
    );
}

#[test]
fn a_vaulted_rebill_declines_and_recovers_like_a_card() {
    let (mut sandbox, key, id) = with_vaulted_visa();
    let declined = sandbox
        .charge(&key, vaulted("rebill-9", 2008, &id), t0())
        .unwrap();
    assert_eq!(declined.response_code.value(), 20003);
    let due = declined
        .retry_date
        .as_deref()
        .and_then(|date| crate::UtcTimestamp::parse_iso8601(date).ok())
        .expect("a soft decline has a retry date");
    let retry = vaulted("rebill-9-R2", 2008, &id).retry_attempt(2, declined.reference_data.clone());
    let early = due.checked_add_seconds(-1).unwrap();
    assert_ne!(
        sandbox
            .charge(&key, retry.clone(), early)
            .unwrap()
            .response_code,
        ResponseCode::APPROVED
    );
    let second = sandbox.charge(&key, retry, due).unwrap();
    assert_eq!(second.retry_count, Some(2));
    assert_eq!(method_id(&second), id);
}

#[test]
fn only_retained_cards_of_the_same_company_and_mode_are_in_the_vault() {
    let (mut sandbox, key, id) = with_vaulted_visa();
    // Approved without retainOnSuccess: its payment method is only cached.
    let cached = sandbox
        .charge(&key, visa_charge("cache-1", 1000), t0())
        .unwrap();
    let cached_id = method_id(&cached);
    assert_eq!(
        cached
            .payment_method
            .as_ref()
            .and_then(|m| m.storage_state.clone()),
        Some(StorageState::Cached)
    );
    for unknown in [cached_id.as_str(), "KQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ"] {
        let charge = sandbox
            .charge(&key, vaulted("x", 1000, unknown), t0())
            .unwrap();
        assert_eq!(charge.response_code.value(), 50136, "{unknown:?}");
        let auth = sandbox
            .authorize(&key, vaulted("y", 1000, unknown), t0())
            .unwrap();
        assert_eq!(auth.response_code.value(), 50134, "{unknown:?}");
    }
    // The same company in the other environment has its own vault.
    let production = sandbox
        .console_principal("DEFAULT", Environment::Production)
        .unwrap();
    let other = sandbox
        .submit_charge(&production, vaulted("z", 1000, &id), t0())
        .unwrap();
    assert_eq!(other.response_code.value(), 50136);
}

#[test]
fn vaulted_payments_survive_a_snapshot_and_a_broken_link_is_refused() {
    let (mut sandbox, key, id) = with_vaulted_visa();
    sandbox
        .charge(&key, vaulted("rebill-1", 2500, &id), t0())
        .unwrap();
    let text = sandbox.to_snapshot();
    assert!(text.contains("\"vault\":0"), "{text}");
    let mut loaded = Sandbox::from_snapshot(&text).unwrap();
    assert_eq!(loaded.to_snapshot(), text);
    let after = loaded
        .charge(&key, vaulted("rebill-2", 100, &id), at_hours(1))
        .unwrap();
    assert_eq!(after.response_code, ResponseCode::APPROVED);

    // The vault link must name an earlier transaction that retained its card.
    let broken = text.replacen("\"vault\":0", "\"vault\":1", 1);
    assert!(matches!(
        Sandbox::from_snapshot(&broken),
        Err(SnapshotError::Inconsistent { .. })
    ));
}
