//! Where a payment stands, said the same way by the API, the dashboard's summary, the
//! transaction list's figures and the reports: the recovery window closing, an approved
//! authorization voided, a second full refund, a gateway's currencies, and `referenceData`
//! of the other environment.

use super::test_support::{live_console, sandbox_with_key, t0, visa_charge};
use super::{CompanyScope, RecoveryLimits, Sandbox};
use crate::flexpay::account::Environment;
use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
use crate::flexpay::response_code::ResponseCode;
use crate::flexpay::transaction::{RefundRequest, TransactionResponse, VoidRequest};
use crate::time::UtcTimestamp;

const DAY: i64 = 86_400;

fn days(n: i64) -> UtcTimestamp {
    t0().checked_add_seconds(n * DAY).unwrap()
}

/// The dashboard's, the list's and the recovery report's figures of the one USD row:
/// (declined, recovered count, recovered amount, refunded after recovery, in recovery,
/// unrecoverable).
fn figures(sandbox: &Sandbox, now: UtcTimestamp) -> [(u32, u32, i64, i64, u32, u32); 3] {
    let scope = CompanyScope::One("DEFAULT");
    let mode = Environment::Sandbox;
    let of = |c: &super::CurrencyRecovery| {
        (
            c.declined_count,
            c.recovered_count,
            c.recovered_amount,
            c.refunded_amount,
            c.in_recovery_count,
            c.unrecoverable_count,
        )
    };
    let summary = sandbox
        .recovery_summary(scope, mode, t0(), days(60), now)
        .unwrap();
    assert_eq!(summary.currencies.len(), 1);
    let rows = sandbox.console_transactions(scope, mode).unwrap();
    let list = sandbox.list_figures(&rows, now);
    assert_eq!(list.len(), 1);
    let report = sandbox
        .console_report(scope, mode, t0().date(), days(60).date(), now)
        .unwrap();
    assert_eq!(report.recovery.len(), 1, "one week of declines");
    [
        of(&summary.currencies[0]),
        of(&list[0].recovery),
        of(&report.recovery[0].figures),
    ]
}

/// The reports of the company's first day, as they stand then.
fn day_one_report(sandbox: &Sandbox) -> super::Report {
    sandbox
        .console_report(
            CompanyScope::One("DEFAULT"),
            Environment::Sandbox,
            t0().date(),
            t0().date(),
            t0(),
        )
        .unwrap()
}

fn late_payment() -> (Sandbox, String, TransactionResponse) {
    let (mut sandbox, key) = sandbox_with_key();
    let first = sandbox
        .charge(&key, visa_charge("late-1", 2005), t0())
        .unwrap();
    assert_eq!(first.response_code, ResponseCode::REFER_TO_CARD_ISSUER);
    (sandbox, key, first)
}

/// The Default Company's recovery window made 5 days.
fn five_day_window(sandbox: &mut Sandbox) {
    let limits = RecoveryLimits {
        max_retries: 15,
        window_days: 5,
    };
    sandbox.set_recovery_limits("DEFAULT", limits).unwrap();
}

#[test]
fn a_payment_past_its_recovery_window_is_no_longer_due_and_counts_as_not_recovered() {
    let (sandbox, _, _) = late_payment();
    // Within the window (30 days of its first attempt): in recovery, its retry upcoming.
    let open = days(30);
    assert_eq!(figures(&sandbox, open), [(1, 0, 0, 0, 1, 0); 3]);
    let chain = &sandbox.chains()[0];
    assert_eq!(chain.window_ends_at, Some(days(30)));
    assert_eq!(chain.window_closed(open), None);
    let summary = |now| {
        sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                days(60),
                now,
            )
            .unwrap()
    };
    assert_eq!(summary(open).upcoming_retries.len(), 1);
    assert_eq!(summary(open).in_recovery_count, 1);

    // 35 days on: the window closed at day 30; nothing is due, nothing in recovery, and the
    // payment counts as not recovered on every page.
    let late = days(35);
    assert_eq!(chain.window_closed(late), Some(days(30)));
    assert_eq!(figures(&sandbox, late), [(1, 0, 0, 0, 0, 1); 3]);
    assert!(summary(late).upcoming_retries.is_empty());
    assert_eq!(summary(late).in_recovery_count, 0);
    let usd = &summary(late).currencies[0];
    assert_eq!((usd.in_recovery_amount, usd.forecast_amount), (0, Some(0)));
}

#[test]
fn a_retry_sent_after_the_window_closed_is_answered_30100_and_ends_the_chain() {
    let (mut sandbox, key, first) = late_payment();
    let late = days(35);
    let retry = visa_charge("late-2", 2005).retry_attempt(2, first.reference_data.clone());
    let answer = sandbox.charge(&key, retry, late).unwrap();
    assert_eq!(answer.response_code, ResponseCode::RETRY_LIMIT_REACHED);
    assert_eq!(answer.retry_date, None);
    assert_eq!(answer.reference_data, None);
    let message = answer.message.unwrap();
    assert_eq!(
        message,
        "No-retry: retry limit reached (15 retries or 30 days): the recovery window closed at \
         2023-12-08T14:02:51Z, before this retry; stop retrying this payment"
    );
    let chain = &sandbox.chains()[0];
    assert_eq!(chain.outcome, super::ChainOutcome::Declined);
    assert_eq!(chain.window_ends_at, None);
    // Never recovered, whenever the figures are read.
    assert_eq!(figures(&sandbox, late), [(1, 0, 0, 0, 0, 1); 3]);
    assert_eq!(figures(&sandbox, t0()), [(1, 0, 0, 0, 0, 1); 3]);
    // The chain is over: its referenceData is spent.
    let again = visa_charge("late-3", 2005).retry_attempt(3, first.reference_data);
    let again = sandbox.charge(&key, again, late).unwrap();
    assert_eq!(again.response_code.value(), 50132);
}

#[test]
fn most_retries_lowered_below_a_payment_s_retries_leaves_it_no_retry() {
    let (mut sandbox, key, first) = late_payment();
    assert_eq!(first.retry_count, Some(1));
    assert!(!sandbox.chains()[0].limit_reached);
    // Lowered after its decline was given a retryDate: its one retry was its first attempt.
    let limits = RecoveryLimits {
        max_retries: 1,
        window_days: 30,
    };
    sandbox.set_recovery_limits("DEFAULT", limits).unwrap();
    let chain = &sandbox.chains()[0];
    assert!(chain.limit_reached);
    assert_eq!(chain.window_ends_at, Some(t0()));
    // Nothing is due, nothing in recovery: not recovered, on every page.
    assert_eq!(chain.window_closed(days(1)), Some(t0()));
    assert_eq!(figures(&sandbox, days(1)), [(1, 0, 0, 0, 0, 1); 3]);
    // Its retry is answered 30100 before any gateway, in the words of the limit reached.
    let retry = visa_charge("late-2", 2005).retry_attempt(2, first.reference_data);
    let answer = sandbox.charge(&key, retry, days(1)).unwrap();
    assert_eq!(answer.response_code, ResponseCode::RETRY_LIMIT_REACHED);
    assert_eq!(
        answer.message.as_deref(),
        Some("No-retry: retry limit reached (1 retry or 30 days); stop retrying this payment")
    );
    let chain = &sandbox.chains()[0];
    assert_eq!(chain.outcome, super::ChainOutcome::Declined);
    assert!(!chain.limit_reached);
    // A new payment is retried within the lowered limit as before.
    let second = sandbox
        .charge(&key, visa_charge("late-4", 2005), days(1))
        .unwrap();
    assert_eq!(
        second.retry_date, None,
        "retry 1 is the most: no retry date"
    );
}

#[test]
fn the_window_is_the_companys_and_a_retry_at_its_last_instant_is_still_processed() {
    let (mut sandbox, key, first) = late_payment();
    five_day_window(&mut sandbox);
    assert_eq!(sandbox.chains()[0].window_ends_at, Some(days(5)));
    assert_eq!(figures(&sandbox, days(6)), [(1, 0, 0, 0, 0, 1); 3]);
    let retry = visa_charge("late-2", 2005).retry_attempt(2, first.reference_data);
    let answer = sandbox.charge(&key, retry, days(5)).unwrap();
    assert_eq!(answer.response_code, ResponseCode::APPROVED);
    // A payment first attempted on day 5: its window closes on day 10.
    let second = sandbox
        .charge(&key, visa_charge("late-4", 2005), days(5))
        .unwrap();
    assert_eq!(second.response_code, ResponseCode::REFER_TO_CARD_ISSUER);
    let retry = visa_charge("late-5", 2005).retry_attempt(2, second.reference_data);
    let answer = sandbox.charge(&key, retry, days(11)).unwrap();
    assert_eq!(answer.response_code, ResponseCode::RETRY_LIMIT_REACHED);
    assert!(answer
        .message
        .unwrap()
        .starts_with("No-retry: retry limit reached (15 retries or 5 days): the recovery window closed at 2023-11-18T14:02:51Z"));
}

#[test]
fn the_next_window_end_is_the_first_still_open_of_any_payment_in_recovery() {
    let (mut sandbox, key, _) = late_payment();
    // The portal works its figures out again when the clock passes this instant.
    assert_eq!(sandbox.next_window_end(t0()), Some(days(30)));
    // Open at its last instant, closed just after it.
    assert_eq!(sandbox.next_window_end(days(30)), Some(days(30)));
    let after = days(30).checked_add_millis(1).unwrap();
    assert_eq!(sandbox.next_window_end(after), None);
    // The company's window made 5 days, and a second payment first attempted on day 10.
    five_day_window(&mut sandbox);
    assert_eq!(sandbox.next_window_end(t0()), Some(days(5)));
    let second = sandbox
        .charge(&key, visa_charge("late-6", 2005), days(10))
        .unwrap();
    assert_eq!(second.response_code, ResponseCode::REFER_TO_CARD_ISSUER);
    assert_eq!(sandbox.next_window_end(days(6)), Some(days(15)));
    // A payment that is no longer in recovery has no window to wait for.
    let retry = visa_charge("late-7", 2005).retry_attempt(2, second.reference_data);
    let answer = sandbox.charge(&key, retry, days(11)).unwrap();
    assert_eq!(answer.response_code, ResponseCode::APPROVED);
    assert_eq!(sandbox.next_window_end(days(6)), None);
}

#[test]
fn an_approved_authorization_voided_recovered_nothing_on_any_page() {
    let (mut sandbox, key) = sandbox_with_key();
    // A retry (retryCount 1) approved: a decline received, recovered at the amount
    // authorized while it awaits its capture.
    let authorized = sandbox
        .authorize(&key, visa_charge("auth-1", 5000), t0())
        .unwrap();
    assert_eq!(authorized.response_code, ResponseCode::APPROVED);
    assert_eq!(figures(&sandbox, t0()), [(1, 1, 5000, 0, 0, 0); 3]);
    let void = sandbox
        .void(
            &key,
            &authorized.transaction_id,
            VoidRequest::new("auth-1-v"),
            t0(),
        )
        .unwrap();
    assert_eq!(void.response_code, ResponseCode::APPROVED);
    // Never captured: no money was taken, so nothing was recovered nor given back.
    assert_eq!(figures(&sandbox, t0()), [(1, 0, 0, 0, 0, 1); 3]);
    assert_eq!(sandbox.chains()[0].outcome, super::ChainOutcome::Stopped);
    let report = day_one_report(&sandbox);
    assert!(
        report.reconciliation.is_empty(),
        "{:?}",
        report.reconciliation
    );
    assert_eq!(report.by_currency[0].reversed_amount, 0);
    let text = sandbox.to_snapshot();
    assert_eq!(Sandbox::from_snapshot(&text).unwrap().to_snapshot(), text);
}

#[test]
fn refunds_after_recovery_agree_on_the_dashboard_and_in_every_report() {
    let (mut sandbox, key) = sandbox_with_key();
    // Recovered charge refunded 10.00, recovered authorization voided, recovered
    // authorization captured 30.00 and its capture refunded 5.00.
    let charged = sandbox
        .charge(&key, visa_charge("c-1", 4000), t0())
        .unwrap();
    sandbox
        .refund(
            &key,
            &charged.transaction_id,
            RefundRequest::partial("c-1-r", 1000),
            t0(),
        )
        .unwrap();
    let voided = sandbox
        .authorize(&key, visa_charge("a-1", 5000), t0())
        .unwrap();
    sandbox
        .void(
            &key,
            &voided.transaction_id,
            VoidRequest::new("a-1-v"),
            t0(),
        )
        .unwrap();
    let captured = sandbox
        .authorize(&key, visa_charge("a-2", 6000), t0())
        .unwrap();
    let capture = sandbox
        .capture(
            &key,
            &captured.transaction_id,
            crate::flexpay::transaction::CaptureRequest::partial("a-2-c", 3000),
            t0(),
        )
        .unwrap();
    sandbox
        .refund(
            &key,
            &capture.transaction_id,
            RefundRequest::partial("a-2-r", 500),
            t0(),
        )
        .unwrap();
    assert_eq!(figures(&sandbox, t0()), [(3, 2, 7000, 1500, 0, 1); 3]);
    let report = day_one_report(&sandbox);
    let week = &report.reconciliation[0];
    assert_eq!((week.recovered_count, week.gross), (2, 7000));
    assert_eq!(
        (week.refund_count, week.refunds, week.net()),
        (2, 1500, 5500)
    );
    assert_eq!(report.by_currency[0].reversed_amount, 1500);
    // The transaction list's figures give back what the currency report does: the two
    // refunds, not the void of an authorization, which took nothing.
    let rows = sandbox
        .console_transactions(CompanyScope::One("DEFAULT"), Environment::Sandbox)
        .unwrap();
    let list = &sandbox.list_figures(&rows, t0())[0];
    assert_eq!((list.refunded, list.refunded_amount), (2, 1500));
    assert_eq!((list.declined, list.declined_basis_points()), (0, 0));
}

#[test]
fn a_second_full_refund_is_refused_with_no_amount_made_up() {
    let (mut sandbox, key) = sandbox_with_key();
    let charged = sandbox
        .charge(&key, visa_charge("c-1", 4000), t0())
        .unwrap();
    let refund = |sandbox: &mut Sandbox, request: RefundRequest| {
        sandbox
            .refund(&key, &charged.transaction_id, request, t0())
            .unwrap()
    };
    let first = refund(&mut sandbox, RefundRequest::full("r-1"));
    assert_eq!(
        (first.response_code, first.amount),
        (ResponseCode::APPROVED, Some(4000))
    );
    let second = refund(&mut sandbox, RefundRequest::full("r-2"));
    assert_eq!(second.response_code.value(), 30015);
    assert_eq!(second.amount, None);
    let third = refund(&mut sandbox, RefundRequest::partial("r-3", 700));
    assert_eq!(
        (third.response_code.value(), third.amount),
        (30015, Some(700))
    );
    let rows = sandbox
        .console_transactions(CompanyScope::One("DEFAULT"), Environment::Sandbox)
        .unwrap();
    let listed = rows
        .iter()
        .find(|r| r.transaction_id == second.transaction_id)
        .unwrap();
    assert_eq!(listed.amount, None);
    let csv = super::transactions_csv(&rows);
    let line = csv
        .lines()
        .find(|l| l.starts_with(second.transaction_id.as_str()))
        .unwrap();
    assert!(!line.contains("0.00"), "{line}");
    let text = sandbox.to_snapshot();
    assert_eq!(Sandbox::from_snapshot(&text).unwrap().to_snapshot(), text);
}

#[test]
fn a_gateway_without_accepted_currencies_takes_its_own_currency_only() {
    let (mut sandbox, key) = sandbox_with_key();
    for (name, accepted) in [("None", None), ("Empty", Some(vec![]))] {
        let mut gateway = Gateway::new(name, GatewayType::Nmi, "USD", GatewayStatus::Available);
        gateway.accepted_currency_codes = accepted;
        let token = sandbox
            .create_gateway(&key, gateway, t0())
            .unwrap()
            .id
            .unwrap();
        let mut yen = visa_charge(&format!("{name}-jpy"), 2000).gateway(token.clone());
        yen.currency_code = "JPY".into();
        let refused = sandbox.charge(&key, yen, t0()).unwrap();
        assert_eq!(refused.response_code.value(), 50147, "{name}");
        let dollars = visa_charge(&format!("{name}-usd"), 2000).gateway(token);
        let approved = sandbox.charge(&key, dollars, t0()).unwrap();
        assert_eq!(approved.response_code, ResponseCode::APPROVED, "{name}");
    }
    // Routed without a token: nowhere to send yen.
    let mut yen = visa_charge("routed-jpy", 2000);
    yen.currency_code = "JPY".into();
    assert_eq!(
        sandbox
            .charge(&key, yen, t0())
            .unwrap()
            .response_code
            .value(),
        50147
    );
}

#[test]
fn sandbox_reference_data_sent_in_production_names_the_other_environment() {
    let (mut sandbox, key) = sandbox_with_key();
    let declined = sandbox
        .charge(&key, visa_charge("env-1", 2005), t0())
        .unwrap();
    let live = live_console(&mut sandbox, "DEFAULT");
    let retry = visa_charge("env-2", 2005).retry_attempt(2, declined.reference_data);
    let answer = sandbox
        .submit_charge(&live, retry, days(1))
        .map(|receipt| sandbox.respond(receipt).unwrap())
        .unwrap();
    assert_eq!(answer.response_code.value(), 50132);
    let message = answer.message.unwrap();
    assert!(
        message.starts_with(
            "referenceData belongs to a Sandbox payment of this company, not a Production one"
        ),
        "{message}"
    );
    assert!(!message.contains("not issued"), "{message}");
}
