//! Fixtures shared by the sandbox's tests.

use crate::flexpay::account::Environment;
use crate::flexpay::payment_method::CreditCardDetails;
use crate::flexpay::test_cards::TEST_CARDS;
use crate::flexpay::transaction::ChargeRequest;
use crate::time::UtcTimestamp;

use super::Sandbox;

/// 2023-11-08T14:02:51Z, an ordinary afternoon.
pub(crate) fn t0() -> UtcTimestamp {
    UtcTimestamp::parse_iso8601("2023-11-08T14:02:51Z").unwrap_or(UtcTimestamp::UNIX_EPOCH)
}

pub(crate) fn at_hours(hours: i64) -> UtcTimestamp {
    t0().checked_add_seconds(hours * 3600)
        .unwrap_or(UtcTimestamp::MAX)
}

pub(crate) fn sandbox_with_key() -> (Sandbox, String) {
    let mut sandbox = Sandbox::new(0x5EED);
    let key = sandbox
        .generate_api_key("CRM sandbox", "DEFAULT", Environment::Sandbox, t0())
        .map(|generated| generated.key)
        .unwrap_or_default();
    (sandbox, key)
}

/// A sandbox and its key, with FlexPay Retries enabled for the Default Company's Sandbox.
pub(crate) fn sandbox_with_flexpay_retries() -> (Sandbox, String) {
    let (mut sandbox, key) = sandbox_with_key();
    sandbox
        .add_auto_retry(
            "auto",
            "DEFAULT",
            Environment::Sandbox,
            crate::flexpay::account::AutoRetryStatus::Enabled,
            t0(),
        )
        .expect("added");
    (sandbox, key)
}

/// The console of `company`'s Production, with a gateway of its own (a live account without
/// one refuses every payment with 50130).
pub(crate) fn live_console(sandbox: &mut Sandbox, company: &str) -> super::Principal {
    let gateway = crate::flexpay::gateway::Gateway::new(
        "Live",
        crate::flexpay::gateway::GatewayType::Stripe,
        "USD",
        crate::flexpay::gateway::GatewayStatus::Available,
    );
    sandbox
        .console_create_gateway(company, Environment::Production, gateway, t0())
        .expect("a live gateway");
    sandbox
        .console_principal(company, Environment::Production)
        .expect("a live company")
}

pub(crate) fn visa() -> CreditCardDetails {
    CreditCardDetails {
        first_name: Some("Avery".into()),
        last_name: Some("Quinn".into()),
        address1: Some("1180 Harbour Street".into()),
        postal_code: Some("97205".into()),
        city: Some("Portland".into()),
        state: Some("OR".into()),
        country: Some("US".into()),
        email: Some("avery.quinn@example.com".into()),
        ..CreditCardDetails::from_test_card(&TEST_CARDS[0])
    }
}

/// A first FlexPay attempt (`retryCount` 1) on the sandbox Visa, in USD.
pub(crate) fn visa_charge(merchant_transaction_id: &str, amount: i64) -> ChargeRequest {
    ChargeRequest::with_card(merchant_transaction_id, "order-1", "USD", amount, visa())
        .customer("cust-1")
}

/// A card number that passes the check digit but is not one of the sandbox test cards.
pub(crate) const OTHER_CARD: &str = "4000300011112220";

/// [`visa_charge`] on [`OTHER_CARD`], expiring in 2030: a sandbox declines it with 30016,
/// the simulated Production answers it as a live card.
pub(crate) fn other_card_charge(merchant_transaction_id: &str, amount: i64) -> ChargeRequest {
    let card = CreditCardDetails {
        credit_card_number: OTHER_CARD.into(),
        expiry_year: "2030".into(),
        ..visa()
    };
    ChargeRequest::with_card(merchant_transaction_id, "order-1", "USD", amount, card)
        .customer("cust-1")
}

/// Three chains begun at `t0`, the mix the recovery figures are tested on: a soft decline
/// (20.05, refer to card issuer) recovered by its first retry at its retry date and refunded
/// 5.00 `refund_after` seconds later, a hard decline (30.16), and a soft decline (20.12)
/// still in recovery. Returns the approved retry and the instant it was sent.
pub(crate) fn three_chains(
    sandbox: &mut Sandbox,
    key: &str,
    refund_after: i64,
) -> (
    crate::flexpay::transaction::TransactionResponse,
    UtcTimestamp,
) {
    let first = sandbox
        .charge(key, visa_charge("r-1", 2005), t0())
        .expect("charged");
    let retry_at = first
        .retry_date
        .as_deref()
        .and_then(|d| UtcTimestamp::parse_iso8601(d).ok())
        .expect("a soft decline has a retry date");
    let second = visa_charge("r-2", 2005).retry_attempt(2, first.reference_data.clone());
    let approved = sandbox.charge(key, second, retry_at).expect("retried");
    let refund_at = retry_at
        .checked_add_seconds(refund_after)
        .unwrap_or(retry_at);
    sandbox
        .refund(
            key,
            &approved.transaction_id,
            crate::flexpay::transaction::RefundRequest::partial("r-3", 500),
            refund_at,
        )
        .expect("refunded");
    for (id, amount) in [("h-1", 3016), ("s-1", 2012)] {
        sandbox
            .charge(key, visa_charge(id, amount), t0())
            .expect("charged");
    }
    (approved, retry_at)
}

/// Two companies with payments of each, the mix the figures over all companies are tested
/// on: the Default Company's [`three_chains`] and a EUR soft decline (20.08) still in
/// recovery, with nothing finished in EUR to forecast from; Acme's (`ACME`, its own Sandbox
/// key) [`three_chains`] under the same customer ID `cust-1`, another hard decline (30.16) and
/// another USD soft decline (20.12) in recovery, so its track record is not the Default
/// Company's. Besides, a Production payment of the Default Company, which the Sandbox of all
/// companies leaves out. (A deleted company's records are tested on their own, in
/// `console::tests::a_deleted_companys_transactions_stay_on_record_under_all_companies`.)
pub(crate) fn two_companies() -> Sandbox {
    let (mut sandbox, key) = sandbox_with_key();
    three_chains(&mut sandbox, &key, 0);
    let euros = ChargeRequest::with_card("e-1", "order-2", "EUR", 2008, visa()).customer("cust-1");
    sandbox.charge(&key, euros, t0()).expect("charged");
    sandbox
        .create_company("Acme Widgets", "ACME", t0())
        .expect("created");
    let acme = sandbox
        .generate_api_key("Acme CRM", "ACME", Environment::Sandbox, t0())
        .map(|generated| generated.key)
        .expect("generated");
    three_chains(&mut sandbox, &acme, 0);
    for (id, amount) in [("h-2", 3016), ("s-2", 2012)] {
        sandbox
            .charge(&acme, visa_charge(id, amount), t0())
            .expect("charged");
    }
    let live = live_console(&mut sandbox, "DEFAULT");
    sandbox
        .submit_charge(&live, visa_charge("live-1", 2008), t0())
        .expect("charged");
    sandbox
}

/// Every count and amount of a currency's figures, the forecast (`-1`: none) and the amount
/// in recovery it leaves out.
pub(crate) fn sums(c: &super::CurrencyRecovery) -> [i64; 11] {
    [
        c.declined_count.into(),
        c.declined_amount,
        c.recovered_count.into(),
        c.recovered_amount,
        c.refunded_amount,
        c.in_recovery_count.into(),
        c.in_recovery_amount,
        c.unrecoverable_count.into(),
        c.retried_early_count.into(),
        c.forecast_amount.unwrap_or(-1),
        c.unforecast_amount,
    ]
}

/// The figures of each company, added per currency by hand, field by field.
/// A company without a forecast adds what it recovered to the forecast; none only when no
/// company has one.
pub(crate) fn added(parts: &[&super::CurrencyRecovery]) -> [i64; 11] {
    let mut total = [0; 11];
    for part in parts {
        for (t, p) in total.iter_mut().zip(sums(part)) {
            *t += p;
        }
    }
    total[9] = parts
        .iter()
        .map(|p| p.forecast_amount.unwrap_or(p.recovered_amount))
        .sum();
    if parts.iter().all(|p| p.forecast_amount.is_none()) {
        total[9] = -1;
    }
    total
}

/// The refusal of a list query whose `count` is outside 1 to 100, as the sandbox words it.
pub(crate) fn assert_count_refused(error: &super::ApiError, count: u32) {
    assert_eq!(
        (error.http_status, error.code),
        (400, super::error_code::INVALID_LIST_QUERY)
    );
    assert_eq!(
        error.message,
        format!(
            "count must be a whole number of items per page, 1 to 100 (20 when left out), not \
             {count}"
        )
    );
}
