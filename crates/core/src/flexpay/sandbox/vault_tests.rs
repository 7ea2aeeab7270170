//! The vault: a card retained by an approved payment sent with `retainOnSuccess`, or stored
//! by `POST /v1/paymentmethods`, is charged again by its `paymentMethodId`; the vault calls
//! list, read, update, redact and recache it.

use super::error_code as code;
use super::snapshot::SnapshotError;
use super::test_support::{at_hours, live_console, sandbox_with_key, t0, visa, visa_charge};
use super::{CompanyScope, Sandbox};
use crate::card::CardBrand;
use crate::flexpay::account::Environment;
use crate::flexpay::list::{ListTransactionsQuery, SortOrder};
use crate::flexpay::payment_method::{
    CreatePaymentMethodRequest, CreditCardDetails, GatewayPaymentMethodDetails,
    PaymentMethodTransaction, PaymentMethodType, RecachePaymentMethodRequest, StorageState,
    UpdatePaymentMethodRequest,
};
use crate::flexpay::response_code::ResponseCode;
use crate::flexpay::test_cards::TEST_CARDS;
use crate::flexpay::transaction::{
    CaptureRequest, ChargeRequest, TransactionResponse, TransactionStatus, TransactionType,
};

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
    let production = live_console(&mut sandbox, "DEFAULT");
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

// ---- the vault calls ---------------------------------------------------------------------

fn kind_of(answer: &PaymentMethodTransaction) -> &str {
    answer.transaction_type.as_ref().map_or("", |t| t.as_str())
}

fn stored_id(answer: &PaymentMethodTransaction) -> String {
    answer
        .payment_method
        .as_ref()
        .and_then(|m| m.payment_method_id.clone())
        .unwrap_or_default()
}

/// Creates the sandbox Visa (with its CVV) for `cust-1`.
fn create_visa(sandbox: &mut Sandbox, key: &str, hours: i64) -> PaymentMethodTransaction {
    let request = CreatePaymentMethodRequest::credit_card(Some("cust-1".into()), visa());
    sandbox
        .create_payment_method(key, &request, at_hours(hours))
        .unwrap()
}

fn city(sandbox: &Sandbox, key: &str, id: &str) -> Option<String> {
    sandbox.get_payment_method(key, id).unwrap().city
}

#[test]
fn a_created_card_is_charged_updated_read_and_redacted() {
    let (mut sandbox, key) = sandbox_with_key();
    let created = create_visa(&mut sandbox, &key, 0);
    assert_eq!(created.response_code, ResponseCode::APPROVED);
    assert_eq!(created.transaction_status, TransactionStatus::Approved);
    assert_eq!(kind_of(&created), "CreateCreditCard");
    assert_eq!(created.customer_id.as_deref(), Some("cust-1"));
    let method = created.payment_method.clone().expect("the stored method");
    assert_eq!(method.storage_state, Some(StorageState::Stored));
    assert_eq!(
        method.payment_method_type,
        Some(PaymentMethodType::CreditCard)
    );
    assert_eq!(
        method.credit_card_number.as_deref(),
        Some("492020******9560")
    );
    assert_eq!(
        (
            method.first_six_digits.as_deref(),
            method.last_four_digits.as_deref()
        ),
        (Some("492020"), Some("9560"))
    );
    assert_eq!(method.cvv.as_deref(), Some("***"), "a CVV is on file");
    assert_eq!(method.fingerprint, method.payment_method_id);
    let id = stored_id(&created);
    assert_eq!(id.len(), 26);
    assert!(!sandbox.to_snapshot().contains("4920201996449560"));

    // Charged by its id: the card, holder and address it was stored with, and the CVV on file.
    let rebill = sandbox
        .charge(&key, vaulted("rebill-1", 2500, &id), at_hours(1))
        .unwrap();
    assert_eq!(rebill.response_code, ResponseCode::APPROVED);
    let shown = rebill.payment_method.as_ref().unwrap();
    assert_eq!(shown.payment_method_id.as_deref(), Some(id.as_str()));
    assert_eq!(shown.city.as_deref(), Some("Portland"));
    assert_eq!(shown.cvv.as_deref(), Some("***"));
    // The payment used it up.
    assert_eq!(sandbox.get_payment_method(&key, &id).unwrap().cvv, None);

    // Update: only the fields sent change; an empty string changes nothing.
    let renewal = UpdatePaymentMethodRequest {
        expiry_month: Some("09".into()),
        expiry_year: Some("2031".into()),
        city: Some("Salem".into()),
        address2: Some(String::new()),
        phone_number: Some("+1 503 555 0142".into()),
        ..Default::default()
    };
    let updated = sandbox
        .update_payment_method(&key, &id, &renewal, at_hours(2))
        .unwrap();
    assert_eq!(updated.response_code, ResponseCode::APPROVED);
    assert_eq!(
        updated.transaction_type,
        Some(TransactionType::UpdatePaymentMethod)
    );
    let method = updated.payment_method.as_ref().unwrap();
    assert_eq!(method.payment_method_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        (
            method.expiry_month.as_deref(),
            method.expiry_year.as_deref()
        ),
        (Some("09"), Some("2031"))
    );
    assert_eq!(method.city.as_deref(), Some("Salem"));
    assert_eq!(method.address1.as_deref(), Some("1180 Harbour Street"));
    assert_eq!(method.address2, None);
    assert_eq!(method.phone_number.as_deref(), Some("+1 503 555 0142"));
    assert_eq!(city(&sandbox, &key, &id).as_deref(), Some("Salem"));
    // The next rebill uses the new details; the earlier one keeps what it was charged with.
    let next = sandbox
        .charge(&key, vaulted("rebill-2", 2500, &id), at_hours(3))
        .unwrap();
    assert_eq!(
        next.payment_method.as_ref().unwrap().expiry_year.as_deref(),
        Some("2031")
    );
    let earlier = sandbox
        .get_transaction(&key, &rebill.transaction_id)
        .unwrap();
    assert_eq!(
        earlier.payment_method.unwrap().city.as_deref(),
        Some("Portland")
    );
    // A vault call is a transaction too, without a merchant transaction id.
    let as_transaction = sandbox
        .get_transaction(&key, &updated.transaction_id)
        .unwrap();
    assert_eq!(as_transaction.merchant_transaction_id, None);
    assert_eq!(
        as_transaction.payment_method.unwrap().city.as_deref(),
        Some("Salem")
    );

    // Redact: still readable, no longer chargeable, nor changeable.
    let redacted = sandbox
        .redact_payment_method(&key, &id, at_hours(4))
        .unwrap();
    assert_eq!(redacted.response_code, ResponseCode::APPROVED);
    assert_eq!(kind_of(&redacted), "RedactPaymentMethod");
    let storage = |sandbox: &Sandbox| sandbox.get_payment_method(&key, &id).unwrap().storage_state;
    assert_eq!(storage(&sandbox), Some(StorageState::Redacted));
    let refused = sandbox
        .charge(&key, vaulted("rebill-3", 2500, &id), at_hours(5))
        .unwrap();
    assert_eq!(refused.response_code.value(), 50136);
    assert!(refused
        .message
        .as_deref()
        .unwrap_or_default()
        .contains("redacted"));
    let auth = sandbox
        .authorize(&key, vaulted("rebill-4", 2500, &id), at_hours(5))
        .unwrap();
    assert_eq!(auth.response_code.value(), 50134);
    let again = sandbox
        .update_payment_method(&key, &id, &renewal, at_hours(6))
        .unwrap();
    assert_eq!(again.response_code.value(), 50136);
    let recache = sandbox
        .recache_payment_method(
            &key,
            &id,
            &RecachePaymentMethodRequest::new("879"),
            at_hours(6),
        )
        .unwrap();
    assert_eq!(recache.response_code.value(), 50136);
    // Redacting again is approved and changes nothing.
    let twice = sandbox
        .redact_payment_method(&key, &id, at_hours(7))
        .unwrap();
    assert_eq!(twice.response_code, ResponseCode::APPROVED);
    assert_eq!(storage(&sandbox), Some(StorageState::Redacted));
    assert!(sandbox
        .console_vault("DEFAULT", Environment::Sandbox)
        .unwrap()
        .is_empty());
}

#[test]
fn a_card_retained_by_a_charge_is_managed_the_same_way() {
    let (mut sandbox, key, id) = with_vaulted_visa();
    let method = sandbox.get_payment_method(&key, &id).unwrap();
    assert_eq!(method.storage_state, Some(StorageState::Stored));
    assert_eq!(method.cvv, None, "the charge used its CVV");
    let update = UpdatePaymentMethodRequest {
        full_name: Some("Avery J. Quinn".into()),
        ..Default::default()
    };
    let updated = sandbox
        .update_payment_method(&key, &id, &update, t0())
        .unwrap();
    assert_eq!(
        updated.payment_method.unwrap().full_name.as_deref(),
        Some("Avery J. Quinn")
    );
    // The retaining charge shows its method as it now is.
    let first = sandbox
        .list_payment_methods(&key, &ListTransactionsQuery::default())
        .unwrap();
    assert_eq!(first.payment_methods.len(), 1);
    assert_eq!(
        first.payment_methods[0].payment_method.full_name.as_deref(),
        Some("Avery J. Quinn")
    );
    sandbox.redact_payment_method(&key, &id, t0()).unwrap();
    let refused = sandbox
        .charge(&key, vaulted("r-1", 100, &id), t0())
        .unwrap();
    assert_eq!(refused.response_code.value(), 50136);
}

#[test]
fn a_gateway_payment_method_is_stored_and_charged_but_has_no_cvv() {
    let (mut sandbox, key) = sandbox_with_key();
    let method = GatewayPaymentMethodDetails {
        first_name: Some("Avery".into()),
        last_name: Some("Quinn".into()),
        postal_code: Some("97205".into()),
        city: Some("Portland".into()),
        state: Some("OR".into()),
        first_six_digits: Some("424242".into()),
        last_four_digits: Some("4242".into()),
        merchant_account_reference_id: Some("MID-0042".into()),
        ..GatewayPaymentMethodDetails::new("cus_P3x9LmQ2aZ")
    };
    let request = CreatePaymentMethodRequest::gateway_payment_method("cust-9", method);
    let created = sandbox.create_payment_method(&key, &request, t0()).unwrap();
    assert_eq!(created.response_code, ResponseCode::APPROVED);
    assert_eq!(
        created.transaction_type,
        Some(TransactionType::CreateGatewayPaymentMethod)
    );
    let shown = created.payment_method.clone().unwrap();
    assert_eq!(
        shown.payment_method_type,
        Some(PaymentMethodType::GatewayPaymentMethodId)
    );
    assert_eq!(
        shown.gateway_payment_method_id.as_deref(),
        Some("cus_P3x9LmQ2aZ")
    );
    assert_eq!(
        shown.merchant_account_reference_id.as_deref(),
        Some("MID-0042")
    );
    assert_eq!(shown.credit_card_number.as_deref(), Some(""));
    assert_eq!(shown.last_four_digits.as_deref(), Some("4242"));
    let id = stored_id(&created);
    let charge = sandbox
        .charge(&key, vaulted("g-1", 1000, &id), t0())
        .unwrap();
    assert_eq!(charge.response_code, ResponseCode::APPROVED);
    assert_eq!(
        charge
            .payment_method
            .unwrap()
            .gateway_payment_method_id
            .as_deref(),
        Some("cus_P3x9LmQ2aZ")
    );
    let declined = sandbox
        .charge(&key, vaulted("g-2", 2012, &id), t0())
        .unwrap();
    assert_eq!(
        declined.response_code.value(),
        20023,
        "the amount triggers apply"
    );
    let recache = sandbox
        .recache_payment_method(&key, &id, &RecachePaymentMethodRequest::new("879"), t0())
        .unwrap();
    assert_eq!(recache.response_code.value(), 50136);
    let methods = sandbox
        .console_payment_methods(CompanyScope::One("DEFAULT"), Environment::Sandbox)
        .unwrap();
    assert_eq!(methods.len(), 1);
    assert_eq!(
        methods[0].payment_method_type,
        PaymentMethodType::GatewayPaymentMethodId
    );
    assert_eq!(methods[0].card, None);
}

#[test]
fn recache_puts_a_cvv_on_file_for_the_next_payment_only() {
    let (mut sandbox, key, id) = with_vaulted_visa();
    let recached = sandbox
        .recache_payment_method(&key, &id, &RecachePaymentMethodRequest::new("879"), t0())
        .unwrap();
    assert_eq!(recached.response_code, ResponseCode::APPROVED);
    assert_eq!(kind_of(&recached), "RecachePaymentMethod");
    assert_eq!(
        recached.payment_method.as_ref().unwrap().cvv.as_deref(),
        Some("***")
    );
    assert_eq!(
        sandbox
            .get_payment_method(&key, &id)
            .unwrap()
            .cvv
            .as_deref(),
        Some("***")
    );
    let text = sandbox.to_snapshot();
    assert!(!text.contains("\"879\""), "the CVV is never kept");
    assert!(text.contains("\"cvvCached\":true"));

    // A payment refused before any gateway does not use it.
    let refused = sandbox.charge(&key, vaulted("c-0", 0, &id), t0()).unwrap();
    assert_eq!(refused.response_code.value(), 50137);
    assert_eq!(refused.payment_method.unwrap().cvv, None);
    assert_eq!(
        sandbox
            .get_payment_method(&key, &id)
            .unwrap()
            .cvv
            .as_deref(),
        Some("***")
    );
    // The next one does, and the one after goes without.
    let first = sandbox
        .charge(&key, vaulted("c-1", 100, &id), t0())
        .unwrap();
    assert_eq!(first.payment_method.unwrap().cvv.as_deref(), Some("***"));
    let second = sandbox
        .charge(&key, vaulted("c-2", 100, &id), t0())
        .unwrap();
    assert_eq!(second.payment_method.unwrap().cvv, None);

    // The CVV must have the vaulted brand's length: four digits on American Express.
    let amex = CreditCardDetails {
        full_name: Some("Avery Quinn".into()),
        postal_code: Some("97205".into()),
        city: Some("Portland".into()),
        state: Some("OR".into()),
        ..CreditCardDetails::from_test_card(&TEST_CARDS[2])
    };
    let created = sandbox
        .create_payment_method(
            &key,
            &CreatePaymentMethodRequest::credit_card(None, amex),
            t0(),
        )
        .unwrap();
    let amex_id = stored_id(&created);
    assert_eq!(
        sandbox
            .console_payment_methods(CompanyScope::One("DEFAULT"), Environment::Sandbox)
            .unwrap()[0]
            .card_brand,
        Some(CardBrand::AmericanExpress)
    );
    let short = sandbox
        .recache_payment_method(
            &key,
            &amex_id,
            &RecachePaymentMethodRequest::new("879"),
            t0(),
        )
        .unwrap();
    assert_eq!(short.transaction_status, TransactionStatus::Declined);
    let message = short.message.unwrap_or_default();
    assert!(
        message.starts_with("paymentMethod.creditCard.cvv: "),
        "{message}"
    );
    assert!(
        message.contains("(invalid_cvv)") && !message.contains("879"),
        "{message}"
    );
}

#[test]
fn bad_bodies_are_answered_with_every_problem() {
    let (mut sandbox, key) = sandbox_with_key();
    let card = CreditCardDetails {
        credit_card_number: "4920201996449561".into(),
        expiry_month: "7".into(),
        cvv: Some("12".into()),
        last_name: None,
        state: None,
        ..visa()
    };
    let request = CreatePaymentMethodRequest::credit_card(Some("cust-1".into()), card);
    let refused = sandbox.create_payment_method(&key, &request, t0()).unwrap();
    assert_eq!(refused.transaction_status, TransactionStatus::Declined);
    assert_eq!(kind_of(&refused), "CreateCreditCard");
    assert_eq!(refused.payment_method, None, "nothing was stored");
    assert_eq!(refused.customer_id.as_deref(), Some("cust-1"));
    let message = refused.message.clone().unwrap_or_default();
    let listed: Vec<&str> = message.lines().collect();
    assert_eq!(listed.len(), 5, "{message}");
    for (path, problem) in [
        ("paymentMethod.creditCard.creditCardNumber", "invalid_luhn"),
        ("paymentMethod.creditCard.expiryMonth", "invalid_format"),
        ("paymentMethod.creditCard.cvv", "invalid_cvv"),
        ("paymentMethod.creditCard.lastName", "required"),
        ("paymentMethod.creditCard.state", "required"),
    ] {
        assert!(
            listed.iter().any(
                |p| p.starts_with(&format!("{path}: ")) && p.ends_with(&format!("({problem})"))
            ),
            "{path} {problem} in {message}"
        );
    }
    assert!(!message.contains("4920201996449561"));
    // The code is the first problem's: FlexPay's 50000 for a Luhn failure.
    assert_eq!(refused.response_code.value(), 50000);
    assert!(sandbox
        .list_payment_methods(&key, &ListTransactionsQuery::default())
        .unwrap()
        .payment_methods
        .is_empty());
    let stored = sandbox
        .get_transaction(&key, &refused.transaction_id)
        .unwrap();
    assert_eq!(
        stored.response_code.value(),
        50000,
        "stored like any refusal"
    );
    // A gateway payment method without its customer: 50048.
    let anonymous = CreatePaymentMethodRequest {
        customer_id: None,
        ..CreatePaymentMethodRequest::gateway_payment_method(
            "c",
            GatewayPaymentMethodDetails {
                full_name: Some("Avery Quinn".into()),
                postal_code: Some("97205".into()),
                city: Some("Portland".into()),
                state: Some("OR".into()),
                ..GatewayPaymentMethodDetails::new("cus_P3x9LmQ2aZ")
            },
        )
    };
    let refused = sandbox
        .create_payment_method(&key, &anonymous, t0())
        .unwrap();
    assert_eq!(kind_of(&refused), "CreateGatewayPaymentMethod");
    assert_eq!(refused.response_code.value(), 50048);

    // Updates: nothing editable is HTTP 400; other problems are listed like a create's.
    let id = stored_id(&create_visa(&mut sandbox, &key, 0));
    for empty in [
        UpdatePaymentMethodRequest::default(),
        UpdatePaymentMethodRequest {
            city: Some(String::new()),
            email: Some(String::new()),
            ..Default::default()
        },
    ] {
        let error = sandbox
            .update_payment_method(&key, &id, &empty, t0())
            .unwrap_err();
        assert_eq!(
            (error.http_status, error.code),
            (400, code::NO_EDITABLE_FIELD)
        );
        assert!(
            error.message.starts_with("No editable field was supplied"),
            "{error}"
        );
    }
    let bad = UpdatePaymentMethodRequest {
        expiry_month: Some("9".into()),
        country: Some("usa".into()),
        city: Some("  ".into()),
        ..Default::default()
    };
    let refused = sandbox
        .update_payment_method(&key, &id, &bad, t0())
        .unwrap();
    assert_eq!(refused.transaction_status, TransactionStatus::Declined);
    let message = refused.message.unwrap_or_default();
    for path in [
        "paymentMethod.expiryMonth",
        "paymentMethod.country",
        "paymentMethod.city",
    ] {
        assert!(
            message.contains(&format!("{path}: ")),
            "{path} in {message}"
        );
    }
    assert_eq!(
        city(&sandbox, &key, &id).as_deref(),
        Some("Portland"),
        "nothing changed"
    );
    let missing = sandbox
        .recache_payment_method(&key, &id, &RecachePaymentMethodRequest::new(""), t0())
        .unwrap();
    let message = missing.message.unwrap_or_default();
    assert!(
        message.starts_with("paymentMethod.creditCard.cvv: ") && message.ends_with("(required)"),
        "{message}"
    );
}

#[test]
fn the_vault_is_scoped_to_the_keys_company_and_environment() {
    let (mut sandbox, key) = sandbox_with_key();
    let id = stored_id(&create_visa(&mut sandbox, &key, 0));
    sandbox.create_company("Northwind", "NWS01", t0()).unwrap();
    let other = sandbox
        .generate_api_key("other", "NWS01", Environment::Sandbox, t0())
        .unwrap()
        .key;
    let production = live_console(&mut sandbox, "DEFAULT");
    let unknown = "KQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ";
    let get_unknown = sandbox.get_payment_method(&other, unknown).unwrap_err();
    assert_eq!(
        (get_unknown.http_status, get_unknown.code),
        (404, code::PAYMENT_METHOD_NOT_FOUND)
    );
    let get_foreign = sandbox.get_payment_method(&other, &id).unwrap_err();
    assert_eq!(
        get_foreign.message,
        get_unknown.message.replace(unknown, &id)
    );
    let update = UpdatePaymentMethodRequest {
        city: Some("Salem".into()),
        ..Default::default()
    };
    let foreign = sandbox
        .update_payment_method(&other, &id, &update, t0())
        .unwrap();
    let nowhere = sandbox
        .update_payment_method(&other, unknown, &update, t0())
        .unwrap();
    assert_eq!(foreign.response_code.value(), 50134);
    assert_eq!(
        (foreign.message.clone(), foreign.payment_method.clone()),
        (nowhere.message, None)
    );
    assert_eq!(
        sandbox
            .redact_payment_method(&other, &id, t0())
            .unwrap()
            .response_code
            .value(),
        50134
    );
    let recache = RecachePaymentMethodRequest::new("879");
    assert_eq!(
        sandbox
            .recache_payment_method(&other, &id, &recache, t0())
            .unwrap()
            .response_code
            .value(),
        50134
    );
    assert_eq!(
        sandbox
            .charge(&other, vaulted("x", 100, &id), t0())
            .unwrap()
            .response_code
            .value(),
        50136
    );
    // The same company's other environment has its own vault.
    let live = ChargeRequest::with_vaulted_payment_method("y", "o", "USD", 100, &id).customer("c");
    assert_eq!(
        sandbox
            .submit_charge(&production, live, t0())
            .unwrap()
            .response_code
            .value(),
        50136
    );
    assert!(sandbox
        .list_payment_methods(&other, &ListTransactionsQuery::default())
        .unwrap()
        .payment_methods
        .is_empty());
    assert!(sandbox
        .console_payment_methods(CompanyScope::One("DEFAULT"), Environment::Production)
        .unwrap()
        .is_empty());
    // Nothing of it changed the method.
    let method = sandbox.get_payment_method(&key, &id).unwrap();
    assert_eq!(
        (method.city.as_deref(), method.storage_state),
        (Some("Portland"), Some(StorageState::Stored))
    );
    assert_eq!(
        sandbox
            .get_payment_method("nope", &id)
            .unwrap_err()
            .http_status,
        401
    );
}

#[test]
fn the_list_pages_like_the_transaction_list() {
    let (mut sandbox, key) = sandbox_with_key();
    let mut ids = Vec::new();
    for hour in 0..45 {
        if hour % 10 == 3 {
            // Cached cards are not in the vault.
            sandbox
                .charge(
                    &key,
                    visa_charge(&format!("cached-{hour}"), 1000),
                    at_hours(hour),
                )
                .unwrap();
        }
        ids.push(stored_id(&create_visa(&mut sandbox, &key, hour)));
    }
    let mut query = ListTransactionsQuery::default();
    let mut seen = Vec::new();
    loop {
        let page = sandbox.list_payment_methods(&key, &query).unwrap();
        assert!(page.payment_methods.len() <= 20);
        let Some(last) = page.payment_methods.last() else {
            break;
        };
        query =
            ListTransactionsQuery::since(last.payment_method.payment_method_id.clone().unwrap());
        seen.extend(
            page.payment_methods
                .into_iter()
                .map(|m| m.payment_method.payment_method_id.unwrap()),
        );
    }
    assert_eq!(seen, ids);
    let newest = ListTransactionsQuery::default()
        .order(SortOrder::Desc)
        .count(2);
    let page = sandbox.list_payment_methods(&key, &newest).unwrap();
    let page: Vec<_> = page
        .payment_methods
        .iter()
        .map(|m| m.payment_method.payment_method_id.clone().unwrap())
        .collect();
    assert_eq!(page, vec![ids[44].clone(), ids[43].clone()]);
    // 2023-11-09 starts 10 hours after t0 (14:02:51).
    let from_ninth = ListTransactionsQuery::starting("2023-11-9").count(100);
    assert_eq!(
        sandbox
            .list_payment_methods(&key, &from_ninth)
            .unwrap()
            .payment_methods
            .len(),
        45 - 10
    );
    let all = ListTransactionsQuery::default().count(100);
    assert_eq!(
        sandbox
            .list_payment_methods(&key, &all)
            .unwrap()
            .payment_methods
            .len(),
        45
    );
    let error = sandbox
        .list_payment_methods(
            &key,
            &ListTransactionsQuery::since("00000000000000000000000000"),
        )
        .unwrap_err();
    assert_eq!(
        (error.http_status, error.code),
        (400, code::INVALID_LIST_QUERY)
    );
    assert!(error.message.contains("paymentMethodId of the last item"));
    // A transaction id is not a payment method id.
    let created_by = sandbox
        .console_payment_methods(CompanyScope::One("DEFAULT"), Environment::Sandbox)
        .unwrap()[0]
        .created_by
        .clone();
    assert!(sandbox
        .list_payment_methods(&key, &ListTransactionsQuery::since(created_by))
        .is_err());
    // Redacted methods stay listed.
    sandbox
        .redact_payment_method(&key, &ids[0], at_hours(50))
        .unwrap();
    let first = sandbox
        .list_payment_methods(&key, &ListTransactionsQuery::default().count(1))
        .unwrap();
    assert_eq!(
        first.payment_methods[0].payment_method.storage_state,
        Some(StorageState::Redacted)
    );
}

#[test]
fn a_scheduled_or_console_retry_on_a_redacted_card_is_refused() {
    let (mut sandbox, key, id) = with_vaulted_visa();
    let declined = sandbox
        .charge(&key, vaulted("rebill-9", 2008, &id), t0())
        .unwrap();
    assert_eq!(declined.response_code.value(), 20003);
    sandbox.redact_payment_method(&key, &id, t0()).unwrap();
    let chain = sandbox
        .console_transactions(CompanyScope::One("DEFAULT"), Environment::Sandbox)
        .unwrap()
        .into_iter()
        .find(|t| t.transaction_id == declined.transaction_id)
        .and_then(|t| t.chain)
        .unwrap();
    let due = declined
        .retry_date
        .as_deref()
        .and_then(|date| crate::UtcTimestamp::parse_iso8601(date).ok())
        .unwrap();
    let retry = sandbox.console_retry(super::ChainId(chain), due).unwrap();
    assert_eq!(retry.response_code.value(), 50136);
    assert!(retry.message.unwrap_or_default().contains("redacted"));
}

#[test]
fn the_console_lists_every_method_with_its_state_and_redacts() {
    let (mut sandbox, key, retained) = with_vaulted_visa();
    let created = stored_id(&create_visa(&mut sandbox, &key, 1));
    let methods = sandbox
        .console_payment_methods(CompanyScope::One("DEFAULT"), Environment::Sandbox)
        .unwrap();
    let ids: Vec<&str> = methods
        .iter()
        .map(|m| m.payment_method_id.as_str())
        .collect();
    assert_eq!(
        ids,
        vec![created.as_str(), retained.as_str()],
        "latest first"
    );
    assert!(methods[0].cvv_on_file && !methods[1].cvv_on_file);
    assert_eq!(methods[0].holder.as_deref(), Some("Avery Quinn"));
    assert_eq!(methods[0].card.as_deref(), Some("492020******9560"));
    assert_eq!(methods[0].customer_id.as_deref(), Some("cust-1"));
    let answer = sandbox
        .console_redact_payment_method("DEFAULT", Environment::Sandbox, &retained, at_hours(2))
        .unwrap();
    assert_eq!(answer.response_code, ResponseCode::APPROVED);
    let methods = sandbox
        .console_payment_methods(CompanyScope::One("DEFAULT"), Environment::Sandbox)
        .unwrap();
    assert_eq!(methods[1].storage_state, StorageState::Redacted);
    assert_eq!(methods[0].storage_state, StorageState::Stored);
    let chargeable = sandbox
        .console_vault("DEFAULT", Environment::Sandbox)
        .unwrap();
    assert_eq!(chargeable.len(), 1);
    assert_eq!(chargeable[0].payment_method_id, created);
    // Another environment's vault does not have it; an unknown company is an error.
    let elsewhere = sandbox
        .console_redact_payment_method("DEFAULT", Environment::Production, &created, at_hours(2))
        .unwrap();
    assert_eq!(elsewhere.response_code.value(), 50134);
    assert!(sandbox
        .console_payment_methods(CompanyScope::One("NOPE"), Environment::Sandbox)
        .is_err());
    assert!(sandbox
        .console_redact_payment_method("NOPE", Environment::Sandbox, &created, t0())
        .is_err());
    // The console's transaction list names the vault calls.
    let kinds: Vec<&str> = sandbox
        .console_transactions(CompanyScope::One("DEFAULT"), Environment::Sandbox)
        .unwrap()
        .iter()
        .map(|t| t.transaction_type)
        .collect();
    assert_eq!(
        kinds,
        vec!["Charge", "CreateCreditCard", "RedactPaymentMethod"]
    );
}

#[test]
fn vault_calls_survive_a_snapshot() {
    let (mut sandbox, key, retained) = with_vaulted_visa();
    let created = stored_id(&create_visa(&mut sandbox, &key, 1));
    let update = UpdatePaymentMethodRequest {
        city: Some("Salem".into()),
        ..Default::default()
    };
    sandbox
        .update_payment_method(&key, &created, &update, at_hours(2))
        .unwrap();
    sandbox
        .redact_payment_method(&key, &retained, at_hours(3))
        .unwrap();
    let text = sandbox.to_snapshot();
    assert!(text.starts_with("{\"schemaVersion\":4,"));
    assert!(text.contains("\"redacted\":true") && text.contains("\"kind\":\"CreateCreditCard\""));
    let mut loaded = Sandbox::from_snapshot(&text).unwrap();
    assert_eq!(loaded.to_snapshot(), text);
    assert_eq!(city(&loaded, &key, &created).as_deref(), Some("Salem"));
    assert_eq!(
        loaded
            .get_payment_method(&key, &retained)
            .unwrap()
            .storage_state,
        Some(StorageState::Redacted)
    );
    let rebill = loaded
        .charge(&key, vaulted("after-1", 100, &created), at_hours(4))
        .unwrap();
    assert_eq!(rebill.payment_method.unwrap().cvv.as_deref(), Some("***"));
    // A redacted mark on a transaction that stored nothing contradicts the document.
    let mut broken = sandbox.clone();
    if let Some(record) = broken.state.transactions.iter_mut().find(|r| !r.stored) {
        record.redacted = true;
    }
    assert!(matches!(
        Sandbox::from_snapshot(&broken.to_snapshot()),
        Err(SnapshotError::Inconsistent { .. })
    ));
}

#[test]
fn the_vaults_and_gateways_of_all_companies_name_their_company() {
    use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
    let mut sandbox = Sandbox::new(11);
    sandbox
        .create_company("Acme Widgets", "ACME", t0())
        .unwrap();
    for company in ["DEFAULT", "ACME"] {
        let principal = sandbox
            .console_principal(company, Environment::Sandbox)
            .unwrap();
        let kept = visa_charge("keep-1", 1000).retain_on_success(true);
        sandbox.submit_charge(&principal, kept, t0()).unwrap();
        let main = Gateway::new("Main", GatewayType::Stripe, "USD", GatewayStatus::Available);
        sandbox
            .console_create_gateway(company, Environment::Sandbox, main, t0())
            .unwrap();
    }
    let methods = |companies| {
        let listed = sandbox.console_payment_methods(companies, Environment::Sandbox);
        listed
            .unwrap()
            .into_iter()
            .map(|m| m.company)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        methods(CompanyScope::All),
        ["ACME", "DEFAULT"],
        "latest first"
    );
    assert_eq!(methods(CompanyScope::One("ACME")), ["ACME"]);
    let gateways = |companies, mode| {
        let listed = sandbox.console_gateway_listings(companies, mode);
        listed
            .unwrap()
            .into_iter()
            .map(|g| g.company)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        gateways(CompanyScope::All, Environment::Sandbox),
        ["DEFAULT", "ACME"]
    );
    assert_eq!(
        gateways(CompanyScope::One("DEFAULT"), Environment::Sandbox),
        ["DEFAULT"]
    );
    assert!(gateways(CompanyScope::All, Environment::Production).is_empty());
    // A listed method is redacted in its own company's vault.
    let acme = sandbox
        .console_payment_methods(CompanyScope::All, Environment::Sandbox)
        .unwrap()
        .remove(0);
    let elsewhere = sandbox
        .console_redact_payment_method(
            "DEFAULT",
            Environment::Sandbox,
            &acme.payment_method_id,
            t0(),
        )
        .unwrap();
    assert_eq!(elsewhere.response_code.value(), 50134);
    let redacted = sandbox
        .console_redact_payment_method(
            &acme.company,
            Environment::Sandbox,
            &acme.payment_method_id,
            t0(),
        )
        .unwrap();
    assert_eq!(redacted.response_code, ResponseCode::APPROVED);
}
