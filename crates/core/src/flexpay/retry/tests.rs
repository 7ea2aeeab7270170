use serde_json::json;

use super::*;
use crate::flexpay::response_code::ResponseCode;
use crate::flexpay::transaction::{ChargeRequest, TransactionResponse};
use crate::money::{Currency, Money};
use crate::time::UtcTimestamp;

fn ts(text: &str) -> UtcTimestamp {
    UtcTimestamp::parse_iso8601(text).unwrap()
}

fn code(value: u32) -> ResponseCode {
    ResponseCode::new(value).unwrap()
}

const DECLINED_AT: &str = "2023-11-07T09:15:00Z";

fn options() -> ChainOptions {
    ChainOptions {
        amount: Some(Money::new(2008, Currency::USD)),
        merchant_transaction_id_base: Some("INV-1001".into()),
        ..ChainOptions::default()
    }
}

/// A chain for invoice INV-1001 whose gateway decline was at [`DECLINED_AT`].
fn declined_invoice() -> RetryChain {
    RetryChain::after_gateway_decline("INV-1001", ts(DECLINED_AT), options()).unwrap()
}

/// A FlexPay charge answer as it arrives on the wire.
fn flexpay_answer(
    response_code: &str,
    retry_count: u32,
    retry_date: Option<&str>,
    reference_data: Option<&str>,
    transaction_id: &str,
) -> TransactionResponse {
    serde_json::from_value(json!({
        "transactionId": transaction_id,
        "transactionStatus": if response_code.starts_with('1') { 1 } else { 2 },
        "responseCode": response_code,
        "transactionType": "Charge",
        "currencyCode": "USD",
        "amount": 2008,
        "orderId": "INV-1001",
        "retryDate": retry_date,
        "retryCount": retry_count,
        "dateFirstAttempt": DECLINED_AT,
        "referenceData": reference_data,
    }))
    .unwrap()
}

/// Sends the next attempt at `now` and records `answer` for it at the same instant.
fn send_and_record(
    chain: &mut RetryChain,
    now: UtcTimestamp,
    answer: AttemptResponse<'_>,
) -> (Attempt, Transition) {
    let attempt = chain.next_attempt(now).unwrap();
    let transition = chain.record_response(answer, now).unwrap();
    assert_round_trips(chain);
    (attempt, transition)
}

fn assert_round_trips(chain: &RetryChain) {
    let json = chain.to_json();
    assert_eq!(RetryChain::from_json(&json).as_ref(), Ok(chain), "{json}");
}

#[test]
fn step_1_soft_decline_with_retry_date_is_scheduled_at_that_instant() {
    let mut chain = declined_invoice();
    let first_due = ts("2023-11-08T09:15:00Z");
    assert_eq!(chain.due_at(), Some(first_due), "the next day by default");

    let attempt = chain.next_attempt(first_due).unwrap();
    assert_eq!(attempt.retry_count, 1);
    assert_eq!(attempt.reference_data, None);
    // FlexPay sends retryDate without a zone; it is UTC.
    let answer = flexpay_answer(
        "20003",
        1,
        Some("2023-11-09T00:00:00"),
        Some("UkVGLTE="),
        "TXN1",
    );
    let transition = chain
        .record_transaction_response(&answer, first_due)
        .unwrap();
    let retry_at = ts("2023-11-09T00:00:00Z");
    assert_eq!(
        transition,
        Transition {
            from: ChainStatus::AwaitingResponse,
            to: ChainStatus::Scheduled,
            decision: Some(Decision::RetryAt { at: retry_at }),
            counted_as_attempt: true,
            reset: false,
            next: NextStep::SendAttempt {
                retry_count: 2,
                at: retry_at
            },
            notes: vec![],
        }
    );
    assert_eq!(chain.due_at(), Some(retry_at));

    let just_before = ts("2023-11-08T23:59:59.999999999Z");
    assert_eq!(
        chain.next_attempt(just_before),
        Err(NotReady::NotYet {
            allowed_at: retry_at
        })
    );
    assert_eq!(
        chain.status(),
        ChainStatus::Scheduled,
        "a refusal changes nothing"
    );
    let attempt = chain.next_attempt(retry_at).unwrap();
    assert_eq!(attempt.retry_count, 2);
    assert_eq!(attempt.reference_data.as_deref(), Some("UkVGLTE="));
    assert_eq!(
        attempt.merchant_transaction_id,
        MerchantTransactionId::Derived {
            id: "INV-1001-r2".into()
        }
    );
    assert_round_trips(&chain);
}

#[test]
fn step_2_hard_risk_and_validation_answers_are_not_scheduled() {
    let now = ts("2023-11-08T09:15:00Z");
    let ended = [
        (
            "30011",
            ChainStatus::Unrecoverable,
            Decision::Unrecoverable {
                reason: UnrecoverableReason::HardDecline,
            },
        ),
        (
            "30080",
            ChainStatus::Unrecoverable,
            Decision::Unrecoverable {
                reason: UnrecoverableReason::NoRetryCode,
            },
        ),
        ("40000", ChainStatus::RiskBlocked, Decision::RiskBlocked),
    ];
    for (response_code, status, decision) in ended {
        let mut chain = declined_invoice();
        chain.next_attempt(now).unwrap();
        let answer = flexpay_answer(response_code, 1, None, Some("REF"), "TXN1");
        let transition = chain.record_transaction_response(&answer, now).unwrap();
        assert_eq!(transition.decision, Some(decision), "{response_code}");
        assert_eq!(transition.to, status);
        assert!(transition.reset && transition.counted_as_attempt);
        assert_eq!(transition.next, NextStep::Nothing);
        assert_eq!(chain.retry_count(), 0, "reset after {response_code}");
        assert_eq!(chain.reference_data(), None);
        assert_eq!(
            chain.next_attempt(ts("2024-01-01T00:00:00Z")),
            Err(NotReady::ChainEnded { status })
        );
        assert_round_trips(&chain);
    }

    // 50000: the request is at fault. Not an attempt; due again at once.
    let mut chain = declined_invoice();
    let (_, transition) = send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(code(50000)).retry_count(1),
    );
    assert_eq!(transition.decision, Some(Decision::FixRequest));
    assert!(!transition.counted_as_attempt && !transition.reset);
    assert_eq!(
        transition.next,
        NextStep::FixAndResend {
            code: code(50000),
            field: None
        }
    );
    assert_eq!(chain.status(), ChainStatus::Scheduled);
    assert_eq!(chain.retry_count(), 1);
    let resend = chain.next_attempt(now).unwrap();
    assert_eq!(resend.retry_count, 1);
    assert_eq!(resend.reference_data, None);
    assert_eq!(resend.previous_rejection, Some(code(50000)));
    assert_eq!(
        resend.merchant_transaction_id.derived(),
        Some("INV-1001-r1-2"),
        "a rejected request was still received, so the resend needs a new id"
    );
    assert_eq!(chain.retries_made(), 0);
}

#[test]
fn the_same_refusal_a_third_time_for_one_attempt_ends_the_chain_for_investigation() {
    let now = ts("2023-11-08T09:15:00Z");
    let refused = |code_value| AttemptResponse::new(code(code_value)).retry_count(1);
    // Two different refusals, then the same one twice: the caller is fixing something.
    let mut chain = declined_invoice();
    for value in [50103, 50137, 50000, 50000] {
        let (_, transition) = send_and_record(&mut chain, now, refused(value));
        assert_eq!(transition.decision, Some(Decision::FixRequest), "{value}");
    }
    assert_eq!(chain.status(), ChainStatus::Scheduled);
    // The third 50000 in a row: resending it unchanged is not fixing it.
    let (_, transition) = send_and_record(&mut chain, now, refused(50000));
    assert_eq!(transition.decision, Some(Decision::NeedsInvestigation));
    assert_eq!(transition.next, NextStep::Investigate { code: code(50000) });
    assert_eq!(chain.status(), ChainStatus::NeedsInvestigation);
    assert!(chain.next_attempt(now).is_err());
    assert_eq!(chain.retries_made(), 0);
    assert!(!transition.counted_as_attempt);
    assert_round_trips(&chain);
    // A stored chain that ends so without the same refusal twice before is refused.
    let edited = chain.to_json().replacen(
        "\"responseCode\":\"50000\"",
        "\"responseCode\":\"50001\"",
        1,
    );
    let error = RetryChain::from_json(&edited).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("history[4].decision does not follow"),
        "{error}"
    );
    // A refusal of another attempt does not count toward this one's.
    let mut chain = declined_invoice();
    send_and_record(&mut chain, now, refused(50000));
    send_and_record(&mut chain, now, refused(50000));
    let later = ts("2023-11-10T09:15:00Z");
    send_and_record(
        &mut chain,
        later,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_count(1)
            .reference_data("REF-1")
            .retry_date("2023-11-12T09:15:00Z"),
    );
    let due = ts("2023-11-12T09:15:00Z");
    let (_, transition) = send_and_record(
        &mut chain,
        due,
        AttemptResponse::new(code(50000)).retry_count(2),
    );
    assert_eq!(transition.decision, Some(Decision::FixRequest));
}

#[test]
fn soft_decline_without_retry_date_ends_the_chain() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    let (_, transition) = send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .reference_data("REF")
            .retry_date(" "),
    );
    assert_eq!(
        transition.decision,
        Some(Decision::Unrecoverable {
            reason: UnrecoverableReason::SoftDeclineWithoutRetryDate
        })
    );
    assert_eq!(chain.status(), ChainStatus::Unrecoverable);
}

#[test]
fn step_3_approval_on_a_retry_recovers_and_resets() {
    let mut chain = declined_invoice();
    let mut now = ts("2023-11-08T09:15:00Z");
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::INSUFFICIENT_FUNDS)
            .retry_count(1)
            .retry_date("2023-11-10T15:00:00Z")
            .reference_data("REF-1")
            .transaction_id("TXN1"),
    );
    now = ts("2023-11-10T15:00:00Z");
    let attempt = chain.next_attempt(now).unwrap();
    assert!(attempt.retry_count >= 1);
    let approved = flexpay_answer("10000", 2, None, Some("REF-2"), "TXN2");
    let transition = chain.record_transaction_response(&approved, now).unwrap();
    assert_eq!(transition.decision, Some(Decision::Recovered));
    assert_eq!(transition.to, ChainStatus::Recovered);
    assert!(transition.reset);
    assert_eq!(chain.retry_count(), 0, "the next payment starts at 0 again");
    assert_eq!(chain.reference_data(), None, "emptied to null");
    assert_eq!(chain.recovered_transaction_id(), Some("TXN2"));
    assert_eq!(chain.retries_made(), 2);
    assert_eq!(
        chain.state(),
        &ChainState::Recovered {
            at: now,
            transaction_id: Some("TXN2".into())
        }
    );
    assert_round_trips(&chain);
}

#[test]
fn step_4_reference_data_chains_through_retry_counts_0_1_2() {
    // The guide's Step 4 sends its first transaction through FlexPay with retryCount 0.
    let start = ts("2023-11-07T09:15:00Z");
    let mut chain = RetryChain::initial_attempt_through_flexpay(
        "INV-2002",
        start,
        ChainOptions {
            merchant_transaction_id_base: Some("INV-2002".into()),
            ..ChainOptions::default()
        },
    )
    .unwrap();
    let mut request = ChargeRequest::with_vaulted_payment_method(
        "placeholder",
        "INV-2002",
        "USD",
        2008,
        "KQ8ZP2M4C6R1T7VXN3B5D9FHJA",
    );

    let mut now = start;
    let mut sent = Vec::new();
    for (transaction, next_date) in [
        ("TXN1", "2023-11-08T00:00:00"),
        ("TXN2", "2023-11-09T00:00:00"),
        ("TXN3", "2023-11-10T00:00:00"),
    ] {
        let attempt = chain.next_attempt(now).unwrap();
        attempt.apply_to(&mut request);
        sent.push((
            request.retry_count,
            request.reference_data.clone(),
            request.merchant_transaction_id.clone(),
        ));
        let reference_data = format!("REF-{transaction}");
        let answer = flexpay_answer(
            "20003",
            request.retry_count,
            Some(next_date),
            Some(&reference_data),
            transaction,
        );
        chain.record_transaction_response(&answer, now).unwrap();
        assert_round_trips(&chain);
        now = chain.due_at().unwrap();
    }
    assert_eq!(
        sent,
        [
            (0, None, "INV-2002-r0".to_owned()),
            (1, Some("REF-TXN1".to_owned()), "INV-2002-r1".to_owned()),
            (2, Some("REF-TXN2".to_owned()), "INV-2002-r2".to_owned()),
        ]
    );
    // dateFirstAttempt is the instant the initial attempt went out, on every request.
    assert_eq!(chain.date_first_attempt(), Some(start));
    assert_eq!(
        request.date_first_attempt.as_deref(),
        Some("2023-11-07T09:15:00Z")
    );
    let history: Vec<_> = chain
        .history()
        .iter()
        .map(|r| (r.retry_count, r.reference_data_sent.as_deref()))
        .collect();
    assert_eq!(
        history,
        [(0, None), (1, Some("REF-TXN1")), (2, Some("REF-TXN2"))]
    );
    assert_eq!(chain.retry_count(), 3);
    assert_eq!(chain.reference_data(), Some("REF-TXN3"));
}

#[test]
fn applied_attempt_writes_the_recovery_fields_of_the_charge() {
    let mut chain = declined_invoice();
    let attempt = chain.next_attempt(ts("2023-11-08T09:15:00Z")).unwrap();
    let mut request =
        ChargeRequest::with_vaulted_payment_method("ignored", "INV-1001", "USD", 2008, "PM1");
    attempt.apply_to(&mut request);
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body["merchantTransactionId"], "INV-1001-r1");
    assert_eq!(body["retryCount"], 1);
    assert_eq!(body["referenceData"], serde_json::Value::Null);
    assert_eq!(body["dateFirstAttempt"], DECLINED_AT);

    // Without a base the caller's id stays, and the attempt says one is needed.
    let mut chain =
        RetryChain::after_gateway_decline("INV-1001", ts(DECLINED_AT), ChainOptions::default())
            .unwrap();
    let attempt = chain.next_attempt(ts("2023-11-08T09:15:00Z")).unwrap();
    assert_eq!(
        attempt.merchant_transaction_id,
        MerchantTransactionId::SupplyNew
    );
    assert!(MerchantTransactionId::REMINDER.contains("50129"));
    attempt.apply_to(&mut request);
    assert_eq!(request.merchant_transaction_id, "INV-1001-r1");
}

#[test]
fn step_5_recovered_then_refunded() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::APPROVED)
            .retry_count(1)
            .transaction_id("TXN1"),
    );
    let refunded_at = ts("2023-11-08T09:20:00Z");
    let transition = chain.record_refund("RFND1", None, refunded_at).unwrap();
    assert_eq!(transition.from, ChainStatus::Recovered);
    assert_eq!(transition.to, ChainStatus::RecoveredThenRefunded);
    assert!(chain.is_fully_refunded());
    assert_eq!(chain.recovered_transaction_id(), Some("TXN1"));
    assert_eq!(
        chain.state(),
        &ChainState::RecoveredThenRefunded {
            at: now,
            transaction_id: Some("TXN1".into()),
            refunds: vec![Refund {
                transaction_id: "RFND1".into(),
                amount: None,
                refunded_at
            }],
        }
    );
    assert_eq!(
        chain.record_refund("RFND2", Some(1), refunded_at),
        Err(ChainError::AlreadyFullyRefunded)
    );
    assert_round_trips(&chain);
}

#[test]
fn partial_refunds_add_up_to_the_recovered_amount() {
    let mut chain = RetryChain::after_gateway_decline(
        "INV-7500",
        ts(DECLINED_AT),
        ChainOptions {
            amount: Some(Money::new(7500, Currency::USD)),
            ..ChainOptions::default()
        },
    )
    .unwrap();
    let now = ts("2023-11-08T09:15:00Z");
    assert_eq!(
        chain.record_refund("R0", None, now),
        Err(ChainError::NotRecovered {
            status: ChainStatus::Scheduled
        })
    );
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::APPROVED).transaction_id("TXN1"),
    );
    chain.record_refund("R1", Some(4000), now).unwrap();
    assert!(!chain.is_fully_refunded());
    // The same refund recorded again, with or without its amount, is refused.
    for amount in [Some(4000), Some(100), None] {
        let error = chain.record_refund("R1", amount, now).unwrap_err();
        assert_eq!(
            error,
            ChainError::DuplicateRefund {
                transaction_id: "R1".into()
            }
        );
        assert_eq!(error.code(), "duplicate_refund");
    }
    assert_eq!(
        chain.record_refund("R2", Some(3501), now),
        Err(ChainError::RefundExceedsAmount {
            recovered: 7500,
            already_refunded: 4000,
            requested: 3501
        })
    );
    assert_eq!(
        chain.record_refund("R2", Some(0), now),
        Err(ChainError::InvalidRefundAmount { amount: 0 })
    );
    assert_eq!(
        chain.record_refund(" ", Some(1), now),
        Err(ChainError::Required {
            field: "refundTransactionId"
        })
    );
    chain.record_refund("R2", Some(3500), now).unwrap();
    assert!(chain.is_fully_refunded());
    assert_eq!(
        chain.record_refund("R3", None, now),
        Err(ChainError::AlreadyFullyRefunded)
    );
    assert_round_trips(&chain);
}

#[test]
fn responses_that_do_not_belong_are_rejected_and_change_nothing() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    let soft = AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
        .retry_date("2023-11-09T00:00:00Z")
        .reference_data("REF");
    assert_eq!(
        chain.record_response(soft, now),
        Err(ChainError::NoAttemptInFlight {
            status: ChainStatus::Scheduled
        })
    );

    chain.next_attempt(now).unwrap();
    let before = chain.clone();
    assert_eq!(
        chain.record_response(soft.retry_count(2), now),
        Err(ChainError::RetryCountMismatch {
            expected: 1,
            received: 2
        })
    );
    assert_eq!(
        chain.record_response(soft.merchant_transaction_id("INV-1001-r2"), now),
        Err(ChainError::MerchantTransactionIdMismatch {
            expected: "INV-1001-r1".into(),
            received: "INV-1001-r2".into()
        })
    );
    // Another payment's answer, by its amount or its currency (the chain recovers 20.08 USD).
    let other = chain
        .record_response(soft.amount(2012, "USD"), now)
        .unwrap_err();
    assert_eq!(
        other,
        ChainError::AmountMismatch {
            expected: "20.08 USD".into(),
            received: "20.12 USD".into()
        }
    );
    assert_eq!(other.code(), "amount_mismatch");
    // A 5xxxx refusal echoes what was sent: this chain's own attempt, sent with the wrong
    // amount, is recorded (fix and resend), not taken for another payment's.
    let refused = AttemptResponse::new(code(50132)).amount(2012, "USD");
    assert!(chain.clone().record_response(refused, now).is_ok());
    assert!(
        other.to_string().contains("another payment's answer"),
        "{other}"
    );
    assert_eq!(
        chain.record_response(soft.amount(2008, "EUR"), now),
        Err(ChainError::AmountMismatch {
            expected: "20.08 USD".into(),
            received: "20.08 EUR".into()
        })
    );
    let err = chain
        .record_response(soft.retry_date("9 Nov 2023"), now)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_retry_date");
    assert!(
        err.to_string().contains("record the response again"),
        "{err}"
    );
    assert_eq!(chain, before);

    chain
        .record_response(
            soft.retry_count(1).merchant_transaction_id("INV-1001-r1"),
            now,
        )
        .unwrap();
    // Recording the same answer twice is refused.
    assert_eq!(
        chain.record_response(soft, now),
        Err(ChainError::NoAttemptInFlight {
            status: ChainStatus::Scheduled
        })
    );

    // After the recovery ended, a late or repeated answer is `chain_ended`, as a stop is.
    chain.next_attempt(ts("2023-11-09T00:00:00Z")).unwrap();
    let approved = AttemptResponse::new(ResponseCode::APPROVED).transaction_id("TXN9");
    chain
        .record_response(approved, ts("2023-11-09T00:00:01Z"))
        .unwrap();
    let ended = Err(ChainError::ChainEnded {
        status: ChainStatus::Recovered,
    });
    assert_eq!(
        chain.record_response(approved, ts("2023-11-09T00:00:02Z")),
        ended
    );
    assert_eq!(
        chain.abandon_attempt(),
        Err(ChainError::ChainEnded {
            status: ChainStatus::Recovered,
        })
    );
}

#[test]
fn an_empty_echoed_merchant_transaction_id_counts_as_none() {
    // A request sent without its merchantTransactionId is refused with 50103, and the answer
    // echoes it as "": that is no other id, so the refusal is recorded and the chain is due
    // again at once for the fixed request, under the next resend id.
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    let sent = chain.next_attempt(now).unwrap();
    assert_eq!(sent.merchant_transaction_id.derived(), Some("INV-1001-r1"));
    let refused = AttemptResponse::new(code(50103))
        .retry_count(1)
        .merchant_transaction_id("");
    let transition = chain.record_response(refused, now).unwrap();
    assert_eq!(transition.from, ChainStatus::AwaitingResponse);
    assert_eq!(transition.to, ChainStatus::Scheduled);
    assert!(!transition.counted_as_attempt);
    assert_eq!(
        transition.next,
        NextStep::FixAndResend {
            code: code(50103),
            field: Some("transaction.merchantTransactionId"),
        }
    );
    let recorded = chain.history().last().unwrap();
    assert_eq!(
        recorded.merchant_transaction_id.as_deref(),
        Some("INV-1001-r1"),
        "the id the attempt was sent as is kept"
    );
    assert_round_trips(&chain);
    let resend = chain.next_attempt(now).unwrap();
    assert_eq!(resend.retry_count, 1);
    assert_eq!(
        resend.merchant_transaction_id.derived(),
        Some("INV-1001-r1-2")
    );
    assert_eq!(resend.previous_rejection, Some(code(50103)));

    // A chain whose caller supplies the ids records no id for an empty echo.
    let mut chain =
        RetryChain::after_gateway_decline("INV-1002", ts(DECLINED_AT), ChainOptions::default())
            .unwrap();
    chain.next_attempt(now).unwrap();
    chain.record_response(refused, now).unwrap();
    assert_eq!(
        chain.history().last().unwrap().merchant_transaction_id,
        None
    );
    assert_eq!(chain.status(), ChainStatus::Scheduled);

    // A whole FlexPay record with an empty echo reads the same.
    let mut chain = declined_invoice();
    chain.next_attempt(now).unwrap();
    let mut answer = flexpay_answer("50103", 1, None, None, "TXN-REFUSED");
    answer.merchant_transaction_id = Some(String::new());
    let transition = chain.record_transaction_response(&answer, now).unwrap();
    assert_eq!(transition.to, ChainStatus::Scheduled);
}

#[test]
fn an_outstanding_attempt_blocks_the_next_until_answered_or_abandoned() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    let first = chain.next_attempt(now).unwrap();
    assert_eq!(
        chain.next_attempt(now),
        Err(NotReady::AwaitingResponse {
            retry_count: 1,
            sent_at: now
        })
    );
    assert_round_trips(&chain);
    chain.abandon_attempt().unwrap();
    assert_eq!(chain.due_at(), Some(first.due_at));
    let again = chain.next_attempt(now).unwrap();
    assert_eq!(
        again.merchant_transaction_id, first.merchant_transaction_id,
        "a possibly delivered request keeps its id, so FlexPay refuses a duplicate"
    );
    chain.abandon_attempt().unwrap();
    assert_eq!(
        chain.abandon_attempt(),
        Err(ChainError::NoAttemptInFlight {
            status: ChainStatus::Scheduled
        })
    );
}

#[test]
fn duplicate_merchant_transaction_id_keeps_the_attempt_outstanding() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    chain.next_attempt(now).unwrap();
    let transition = chain
        .record_response(
            AttemptResponse::new(ResponseCode::MERCHANT_TRANSACTION_ID_NOT_UNIQUE),
            now,
        )
        .unwrap();
    assert_eq!(transition.to, ChainStatus::AwaitingResponse);
    assert!(!transition.counted_as_attempt);
    assert_eq!(
        transition.next,
        NextStep::LookUpByMerchantTransactionId {
            merchant_transaction_id: Some("INV-1001-r1".into())
        }
    );
    assert_round_trips(&chain);
    // The lookup finds the earlier send, approved: record it.
    let transition = chain
        .record_response(
            AttemptResponse::new(ResponseCode::APPROVED)
                .retry_count(1)
                .merchant_transaction_id("INV-1001-r1")
                .transaction_id("TXN1"),
            now,
        )
        .unwrap();
    assert_eq!(transition.to, ChainStatus::Recovered);

    // Or it belongs to something else: abandon and resend under a new id.
    let mut chain = declined_invoice();
    chain.next_attempt(now).unwrap();
    chain
        .record_response(
            AttemptResponse::new(ResponseCode::MERCHANT_TRANSACTION_ID_NOT_UNIQUE),
            now,
        )
        .unwrap();
    chain.abandon_attempt().unwrap();
    let resend = chain.next_attempt(now).unwrap();
    assert_eq!(
        resend.merchant_transaction_id.derived(),
        Some("INV-1001-r1-2")
    );
    assert_eq!(
        resend.previous_rejection,
        Some(ResponseCode::MERCHANT_TRANSACTION_ID_NOT_UNIQUE)
    );
}

#[test]
fn risk_with_a_retry_date_is_retried_like_a_soft_decline() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    let (_, transition) = send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::RISK_BLOCKED)
            .retry_date("2023-11-12T00:00:00")
            .reference_data("REF"),
    );
    assert_eq!(
        transition.decision,
        Some(Decision::RetryAt {
            at: ts("2023-11-12T00:00:00Z")
        })
    );
    assert_eq!(chain.retry_count(), 2);
}

#[test]
fn hard_decline_and_unknown_codes_end_even_with_a_retry_date() {
    let now = ts("2023-11-08T09:15:00Z");
    let date = "2023-12-18T00:00:00Z";
    let mut chain = declined_invoice();
    let (_, transition) = send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::NO_RETRY_REFER_TO_ISSUER).retry_date(date),
    );
    assert_eq!(chain.status(), ChainStatus::Unrecoverable);
    assert_eq!(
        transition.notes,
        [ResponseNote::RetryDateIgnored {
            retry_date: ts(date)
        }]
    );
    assert_eq!(
        chain.history()[0].retry_date,
        Some(ts(date)),
        "kept for the timeline"
    );

    for unknown in [0, 9999, 60000, 300_051] {
        let mut chain = declined_invoice();
        let (_, transition) = send_and_record(
            &mut chain,
            now,
            AttemptResponse::new(code(unknown)).retry_date(date),
        );
        assert_eq!(transition.to, ChainStatus::NeedsInvestigation, "{unknown}");
        assert_eq!(
            transition.next,
            NextStep::Investigate {
                code: code(unknown)
            }
        );
        assert!(transition.next.to_string().contains("outside FlexPay"));
    }
}

#[test]
fn notes_flag_past_retry_dates() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    let (_, transition) = send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-11-08T09:00:00Z")
            .reference_data("REF"),
    );
    assert_eq!(
        transition.notes,
        [ResponseNote::RetryDateAlreadyPassed {
            retry_date: ts("2023-11-08T09:00:00Z")
        }]
    );
    // Due at once, when the response was recorded: the step, the chain and `next_attempt`
    // name that one instant, never the retryDate before it, which `next_attempt` refuses.
    assert_eq!(
        transition.next,
        NextStep::SendAttempt {
            retry_count: 2,
            at: now
        }
    );
    assert_eq!(chain.due_at(), Some(now));
    let before = chain.clone();
    assert_eq!(
        chain.next_attempt(ts("2023-11-08T09:00:00Z")),
        Err(NotReady::NotYet { allowed_at: now })
    );
    assert_eq!(chain, before);
    // Due at once, echoing what was received; the attempt names the same instant.
    let attempt = chain.next_attempt(now).unwrap();
    assert_eq!(attempt.reference_data.as_deref(), Some("REF"));
    assert_eq!(attempt.due_at, now);
}

/// Asserts that the charge a CRM would send for `attempt` passes `validate_charge` as of the
/// attempt's sending.
pub(super) fn assert_accepted(attempt: &Attempt) {
    use crate::flexpay::account::Environment;
    use crate::flexpay::validate::{validate_charge, ValidationContext};
    let mut request = ChargeRequest::with_vaulted_payment_method(
        "M-1",
        "INV-1001",
        "USD",
        2008,
        "KQ8ZP2M4C6R1T7VXN3B5D9FHJA",
    );
    attempt.apply_to(&mut request);
    let validation = validate_charge(
        &request,
        &ValidationContext::new(attempt.sent_at, Environment::Sandbox),
    );
    assert!(
        validation.is_ok(),
        "{attempt:?}: {:?}",
        validation.problems()
    );
}

#[test]
fn a_retry_without_reference_data_is_refused_and_never_handed_out() {
    let now = ts("2023-11-08T09:15:00Z");
    let retry_date = "2023-11-09T00:00:00Z";
    for reference_data in [None, Some("")] {
        for response_code in [ResponseCode::DO_NOT_HONOR, code(40000)] {
            let mut chain = declined_invoice();
            let first = chain.next_attempt(now).unwrap();
            assert_accepted(&first);
            let before = chain.clone();
            let mut answer = AttemptResponse::new(response_code).retry_date(retry_date);
            answer.reference_data = reference_data;
            let error = chain.record_response(answer, now).unwrap_err();
            assert_eq!(
                error,
                ChainError::MissingReferenceData {
                    retry_date: ts(retry_date)
                }
            );
            assert_eq!(error.code(), "missing_reference_data");
            assert!(error.to_string().contains("50132"), "{error}");
            assert_eq!(chain, before, "refused: nothing changed");

            // Recorded again as FlexPay sent it, the chain goes on and its next attempt passes
            // the validator.
            let transition = chain
                .record_response(answer.reference_data("UkVGLTE="), now)
                .unwrap();
            assert_eq!(transition.to, ChainStatus::Scheduled);
            let second = chain.next_attempt(ts(retry_date)).unwrap();
            assert_eq!(second.retry_count, 2);
            assert_eq!(second.reference_data.as_deref(), Some("UkVGLTE="));
            assert_accepted(&second);

            // Recorded without its retryDate instead, the recovery ends.
            let mut chain = before.clone();
            let mut dateless = AttemptResponse::new(response_code);
            dateless.reference_data = reference_data;
            let transition = chain.record_response(dateless, now).unwrap();
            assert!(transition.to.is_terminal());
        }
    }

    // A response that ends the chain needs no referenceData; nor does a rejection (5xxxx).
    for ending in ["10000", "30011", "30100", "20003"] {
        let mut chain = declined_invoice();
        chain.next_attempt(now).unwrap();
        let transition = chain
            .record_response(AttemptResponse::new(code(ending.parse().unwrap())), now)
            .unwrap();
        assert!(transition.to.is_terminal(), "{ending}");
    }
    let mut chain = declined_invoice();
    chain.next_attempt(now).unwrap();
    let transition = chain
        .record_response(
            AttemptResponse::new(code(50000)).retry_date(retry_date),
            now,
        )
        .unwrap();
    assert_eq!(transition.to, ChainStatus::Scheduled);

    // The initial attempt through FlexPay sends null; its response must carry the value
    // retry 1 echoes.
    let mut chain = RetryChain::initial_attempt_through_flexpay(
        "INV-2002",
        ts(DECLINED_AT),
        ChainOptions::default(),
    )
    .unwrap();
    let initial = chain.next_attempt(now).unwrap();
    assert_eq!((initial.retry_count, initial.reference_data), (0, None));
    assert_eq!(
        chain
            .record_response(
                AttemptResponse::new(ResponseCode::DO_NOT_HONOR).retry_date(retry_date),
                now
            )
            .unwrap_err()
            .code(),
        "missing_reference_data"
    );
}

#[test]
fn a_stored_chain_that_scheduled_a_retry_without_reference_data_ends_unrecoverable() {
    // What an earlier flexkit stored after recording `{ responseCode: "20003", retryDate }`.
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-11-09T00:00:00Z")
            .reference_data("REF"),
    );
    let mut document = chain.to_value();
    document["referenceData"] = serde_json::Value::Null;
    document["history"][0]["referenceData"] = serde_json::Value::Null;
    let mut legacy = RetryChain::from_value(document).unwrap();
    assert_eq!(legacy.status(), ChainStatus::Scheduled);

    let later = ts("2023-11-09T00:00:00Z");
    assert_eq!(
        legacy.next_attempt(later),
        Err(NotReady::ChainEnded {
            status: ChainStatus::Unrecoverable
        })
    );
    assert_eq!(
        legacy.state(),
        &ChainState::Unrecoverable {
            at: later,
            code: ResponseCode::DO_NOT_HONOR,
            reason: UnrecoverableReason::MissingReferenceData
        }
    );
    assert_eq!((legacy.retry_count(), legacy.reference_data()), (0, None));
    assert_round_trips(&legacy);
    let json = legacy.to_json();
    assert!(
        json.contains(r#""reason":"missingReferenceData""#),
        "{json}"
    );

    // The same end is not accepted for a chain whose retry had its referenceData.
    let mut forged = chain.to_value();
    forged["retryCount"] = json!(0);
    forged["referenceData"] = serde_json::Value::Null;
    forged["state"] = json!({
        "status": "unrecoverable",
        "at": "2023-11-09T00:00:00Z",
        "code": "20003",
        "reason": "missingReferenceData"
    });
    assert!(matches!(
        RetryChain::from_value(forged),
        Err(LoadError::Inconsistent { message }) if message.contains("does not match")
    ));
}

#[test]
fn time_never_runs_backwards_within_a_chain() {
    let now = ts("2023-11-08T09:15:00Z");
    let earlier = ts("2023-11-08T09:14:59.999999999Z");

    // A response recorded before its attempt was handed out.
    let mut chain = declined_invoice();
    chain.next_attempt(now).unwrap();
    let before = chain.clone();
    let answer = AttemptResponse::new(ResponseCode::APPROVED).transaction_id("TXN1");
    assert_eq!(
        chain.record_response(answer, earlier),
        Err(ChainError::AnsweredBeforeSent {
            answered_at: earlier,
            sent_at: now
        })
    );
    assert_eq!(chain, before);
    // At the very instant it was sent is fine.
    chain.record_response(answer, now).unwrap();

    // A refund before the recovery; at the recovery's instant is fine.
    let error = chain
        .record_refund("RFND1", Some(100), earlier)
        .unwrap_err();
    assert_eq!(
        error,
        ChainError::RefundBeforeRecovery {
            refunded_at: earlier,
            recovered_at: now
        }
    );
    assert_eq!(error.code(), "refund_before_recovery");
    chain.record_refund("RFND1", Some(100), now).unwrap();
    // Also once partly refunded.
    assert_eq!(
        chain
            .record_refund("RFND2", Some(100), earlier)
            .unwrap_err()
            .code(),
        "refund_before_recovery"
    );

    // Nor is the next attempt handed out before the latest answer, should the clock read
    // earlier: here a rejection (due again at once) recorded a second after the sending.
    let mut chain = declined_invoice();
    chain.next_attempt(now).unwrap();
    let answered_at = ts("2023-11-08T09:15:01Z");
    chain
        .record_response(AttemptResponse::new(code(50000)), answered_at)
        .unwrap();
    // The chain says when: the instant `next_attempt` allows, not the earlier due instant.
    assert_eq!(chain.due_at(), Some(answered_at));
    assert_eq!(
        chain.next_attempt(now),
        Err(NotReady::NotYet {
            allowed_at: answered_at
        })
    );
    assert_eq!(
        chain.next_attempt(answered_at).unwrap().sent_at,
        answered_at
    );

    // A first attempt due before the chain began.
    let declined_at = ts(DECLINED_AT);
    let before_decline = ts("2023-11-07T09:14:59Z");
    let early = ChainOptions {
        first_attempt_due_at: Some(before_decline),
        ..options()
    };
    let error = RetryChain::after_gateway_decline("INV", declined_at, early.clone()).unwrap_err();
    assert_eq!(
        error,
        ChainError::DueBeforeStart {
            due_at: before_decline,
            origin: ChainOrigin::GatewayDecline { declined_at }
        }
    );
    assert!(error
        .to_string()
        .contains("before the gateway decline at 2023-11-07T09:15:00Z"));
    let error = RetryChain::initial_attempt_through_flexpay("INV", declined_at, early).unwrap_err();
    assert_eq!(error.code(), "due_before_start");
    assert!(error.to_string().contains("the chain's creation"));

    // ... or after the age limit, where it could never be sent. At the limit is fine.
    let deadline = ts("2023-12-07T09:15:00Z");
    let at_limit = ChainOptions {
        first_attempt_due_at: Some(deadline),
        ..options()
    };
    assert!(RetryChain::after_gateway_decline("INV", declined_at, at_limit).is_ok());
    let past = ts("2023-12-07T09:15:00.000000001Z");
    let late = ChainOptions {
        first_attempt_due_at: Some(past),
        ..options()
    };
    assert_eq!(
        RetryChain::after_gateway_decline("INV", declined_at, late),
        Err(ChainError::DueAfterDeadline {
            due_at: past,
            deadline
        })
    );
}

#[test]
fn policies_stay_within_flexpay_limits() {
    let at = ts(DECLINED_AT);
    let with = |max_retries, max_age_days| ChainOptions {
        policy: RetryPolicy {
            max_retries,
            max_age_days,
        },
        ..options()
    };
    for (max_retries, max_age_days, field, value) in [
        (0, 30, "maxRetries", "0"),
        (16, 30, "maxRetries", "16"),
        (20, 30, "maxRetries", "20"),
        (15, 0, "maxAgeDays", "0"),
        (15, 91, "maxAgeDays", "91"),
        (15, 1_000_000, "maxAgeDays", "1000000"),
    ] {
        let error = RetryChain::after_gateway_decline("INV", at, with(max_retries, max_age_days))
            .unwrap_err();
        let max = if field == "maxRetries" { 15 } else { 90 };
        assert_eq!(
            error,
            ChainError::PolicyOutOfRange {
                field,
                value: value.into(),
                max
            }
        );
        assert_eq!(error.code(), "policy_out_of_range");
        let message = error.to_string();
        assert!(
            message.starts_with(&format!("policy.{field} is {value}; FlexPay"))
                && message.ends_with(&format!("give a whole number from 1 to {max}")),
            "{message}"
        );
        assert_eq!(
            RetryChain::initial_attempt_through_flexpay("INV", at, with(max_retries, max_age_days))
                .unwrap_err()
                .code(),
            "policy_out_of_range"
        );
    }
    for (max_retries, max_age_days) in [(1, 1), (15, 30), (7, 12), (15, 45), (15, 90)] {
        let chain =
            RetryChain::after_gateway_decline("INV", at, with(max_retries, max_age_days)).unwrap();
        assert_eq!(chain.policy().check(), Ok(()));
    }
    assert_eq!(RetryPolicy::default().check(), Ok(()));
}

#[test]
fn a_recovery_the_policy_ends_while_flexpay_scheduled_a_retry_tells_flexpay_as_a_stop_does() {
    let now = ts("2023-11-08T09:15:00Z");
    let mut chain = RetryChain::after_gateway_decline(
        "INV-1001",
        ts(DECLINED_AT),
        ChainOptions {
            policy: RetryPolicy {
                max_retries: 1,
                max_age_days: 30,
            },
            ..options()
        },
    )
    .unwrap();
    chain.next_attempt(now).unwrap();
    let soft = AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
        .retry_date("2023-11-09T00:00:00Z")
        .reference_data("REF1")
        .transaction_id("T1");
    let transition = chain.record_response(soft, now).unwrap();
    assert_eq!(
        transition.decision,
        Some(Decision::Exhausted {
            limit: RetryLimit::MaxRetries
        })
    );
    assert_eq!(
        transition.next,
        NextStep::NotifyFlexPayOfStop {
            transaction_id: "T1".into()
        }
    );
    // After FlexPay's own 30100 there is nothing to tell it.
    let mut chain = declined_invoice();
    chain.next_attempt(now).unwrap();
    let limit = AttemptResponse::new(code(30100)).transaction_id("T9");
    assert_eq!(
        chain.record_response(limit, now).unwrap().next,
        NextStep::Nothing
    );
}

#[test]
fn one_answer_recorded_twice_is_refused_by_its_transaction_id() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    let soft = AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
        .retry_date("2023-11-09T00:00:00Z")
        .reference_data("REF1")
        .transaction_id("T1");
    chain.next_attempt(now).unwrap();
    chain.record_response(soft, now).unwrap();
    let later = ts("2023-11-09T00:00:00Z");
    chain.next_attempt(later).unwrap();
    let before = chain.clone();
    let again = chain.record_response(soft, later).unwrap_err();
    assert_eq!(
        again,
        ChainError::ResponseAlreadyRecorded {
            transaction_id: "T1".into()
        }
    );
    assert_eq!(again.code(), "response_already_recorded");
    assert_eq!(chain, before);
    // The attempt's own answer, with its own id, is recorded.
    let own = soft.transaction_id("T2").reference_data("REF2");
    assert!(chain.record_response(own, later).is_ok());
}

#[test]
fn retry_limit_reached_30100_exhausts_the_chain() {
    let now = ts("2023-11-08T09:15:00Z");
    let mut chain = declined_invoice();
    let answer = flexpay_answer("30100", 1, None, None, "TXN1");
    chain.next_attempt(now).unwrap();
    let transition = chain.record_transaction_response(&answer, now).unwrap();
    assert_eq!(
        transition.decision,
        Some(Decision::Exhausted {
            limit: RetryLimit::FlexPayLimit
        })
    );
    assert_eq!(transition.to, ChainStatus::Exhausted);
    assert!(transition.reset && transition.counted_as_attempt);
    assert_eq!(transition.next, NextStep::Nothing);
    assert_eq!(
        chain.state(),
        &ChainState::Exhausted {
            at: now,
            limit: RetryLimit::FlexPayLimit,
            code: Some(code(30100))
        }
    );
    assert_round_trips(&chain);
    assert!(chain.to_json().contains(r#""limit":"flexPayLimit""#));

    // A date on it is Engaged Recovery's hand-off, not a retry: noted as ignored.
    let mut chain = declined_invoice();
    chain.next_attempt(now).unwrap();
    let transition = chain
        .record_response(
            AttemptResponse::new(code(30100)).retry_date("2023-12-20T00:00:00Z"),
            now,
        )
        .unwrap();
    assert_eq!(transition.to, ChainStatus::Exhausted);
    assert_eq!(
        transition.notes,
        [ResponseNote::RetryDateIgnored {
            retry_date: ts("2023-12-20T00:00:00Z")
        }]
    );

    // A chain stored by an earlier flexkit, which ended 30100 as a no-retry code, still loads.
    let mut document = chain.to_value();
    document["state"] = json!({
        "status": "unrecoverable",
        "at": "2023-11-08T09:15:00Z",
        "code": "30100",
        "reason": "noRetryCode"
    });
    document["history"][0]["decision"] = json!({"kind": "unrecoverable", "reason": "noRetryCode"});
    let old = RetryChain::from_value(document).unwrap();
    assert_eq!(old.status(), ChainStatus::Unrecoverable);
}

#[test]
fn max_retries_ends_the_chain_as_exhausted() {
    let policy = RetryPolicy {
        max_retries: 2,
        max_age_days: 30,
    };
    let mut chain = RetryChain::after_gateway_decline(
        "INV-1001",
        ts(DECLINED_AT),
        ChainOptions {
            policy,
            ..options()
        },
    )
    .unwrap();
    let mut now = ts("2023-11-08T09:15:00Z");
    for expected in [1, 2] {
        let (attempt, transition) = send_and_record(
            &mut chain,
            now,
            AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
                .retry_date("2023-11-20T00:00:00Z")
                .reference_data("REF"),
        );
        assert_eq!(attempt.retry_count, expected);
        if expected == 2 {
            assert_eq!(
                transition.decision,
                Some(Decision::Exhausted {
                    limit: RetryLimit::MaxRetries
                })
            );
        }
        now = ts("2023-11-20T00:00:00Z");
    }
    assert_eq!(chain.status(), ChainStatus::Exhausted);
    assert_eq!(chain.retries_made(), 2);

    // A stored chain scheduled past the policy's maxRetries was not written by these calls.
    let mut chain = declined_invoice();
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-11-21T00:00:00Z")
            .reference_data("REF"),
    );
    let mut document = chain.to_value();
    document["policy"]["maxRetries"] = json!(1);
    assert!(matches!(
        RetryChain::from_value(document),
        Err(LoadError::Inconsistent { message }) if message == "retryCount is 2 but the policy's maxRetries is 1"
    ));

    // A stored code FlexPay never writes is quoted as stored, not padded to five digits.
    for stored in [json!("2003"), json!(2003)] {
        let mut document = chain.to_value();
        document["history"][0]["responseCode"] = stored.clone();
        match RetryChain::from_value(document) {
            Err(LoadError::Inconsistent { message }) => {
                assert!(
                    message.contains("responseCode 2003 is unknown"),
                    "{message}"
                );
                assert!(!message.contains("02003"), "{message}");
            }
            other => panic!("{stored}: {other:?}"),
        }
    }

    // No retry allowed at all: refused for new chains, and a chain stored with such a policy
    // by an earlier flexkit ends when asked for its attempt.
    let mut document = declined_invoice().to_value();
    document["policy"]["maxRetries"] = json!(0);
    let mut chain = RetryChain::from_value(document).unwrap();
    assert_eq!(
        chain.next_attempt(now),
        Err(NotReady::ChainEnded {
            status: ChainStatus::Exhausted
        })
    );
    assert!(matches!(
        chain.state(),
        ChainState::Exhausted {
            limit: RetryLimit::MaxRetries,
            code: None,
            ..
        }
    ));
    assert_round_trips(&chain);
}

#[test]
fn the_age_limit_counts_from_date_first_attempt() {
    let now = ts("2023-11-08T09:15:00Z");
    let deadline = ts("2023-12-07T09:15:00Z");
    let mut chain = declined_invoice();
    assert_eq!(chain.deadline(), Some(deadline));

    // A retryDate exactly at the limit is allowed ...
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-12-07T09:15:00Z")
            .reference_data("REF"),
    );
    assert_eq!(chain.due_at(), Some(deadline));
    // ... and one a nanosecond later ends the chain.
    let (_, transition) = send_and_record(
        &mut chain,
        deadline,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-12-07T09:15:00.000000001Z")
            .reference_data("REF"),
    );
    assert_eq!(
        transition.decision,
        Some(Decision::Exhausted {
            limit: RetryLimit::RetryDateBeyondMaxAge
        })
    );

    // A scheduled retry missed until after the limit ends the chain when next asked for.
    let mut chain = declined_invoice();
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-11-20T00:00:00Z")
            .reference_data("REF"),
    );
    let late = ts("2023-12-07T09:15:00.000000001Z");
    assert_eq!(
        chain.next_attempt(late),
        Err(NotReady::ChainEnded {
            status: ChainStatus::Exhausted
        })
    );
    assert_eq!(
        chain.state(),
        &ChainState::Exhausted {
            at: late,
            limit: RetryLimit::MaxAge,
            code: None
        }
    );
    assert_eq!(chain.retry_count(), 0);
    assert_round_trips(&chain);
}

#[test]
fn stopping_a_recovery() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-11-09T00:00:00Z")
            .reference_data("REF")
            .transaction_id("TXN1"),
    );
    chain.next_attempt(ts("2023-11-09T00:00:00Z")).unwrap();
    assert_eq!(
        chain.stop(StopReason::SubscriptionCancelled, now),
        Err(ChainError::AttemptInFlight { retry_count: 2 })
    );
    chain.abandon_attempt().unwrap();
    let transition = chain.stop(StopReason::SubscriptionCancelled, now).unwrap();
    assert_eq!(transition.to, ChainStatus::Stopped);
    assert!(transition.reset);
    assert_eq!(
        transition.next,
        NextStep::NotifyFlexPayOfStop {
            transaction_id: "TXN1".into()
        }
    );
    assert_eq!((chain.retry_count(), chain.reference_data()), (0, None));
    assert_eq!(
        chain.stop(StopReason::PaidElsewhere, now),
        Err(ChainError::ChainEnded {
            status: ChainStatus::Stopped
        })
    );
    assert_eq!(
        chain.next_attempt(now),
        Err(NotReady::ChainEnded {
            status: ChainStatus::Stopped
        })
    );
    assert_round_trips(&chain);

    // Nothing was sent through FlexPay yet: nothing to tell it.
    let mut chain = declined_invoice();
    let transition = chain.stop(StopReason::PaidElsewhere, now).unwrap();
    assert_eq!(transition.next, NextStep::Nothing);
}

#[test]
fn new_chains_check_their_inputs() {
    let at = ts(DECLINED_AT);
    assert_eq!(
        RetryChain::after_gateway_decline(" ", at, ChainOptions::default()),
        Err(ChainError::Required {
            field: "merchantReference"
        })
    );
    let base = ChainOptions {
        merchant_transaction_id_base: Some(String::new()),
        ..ChainOptions::default()
    };
    assert_eq!(
        RetryChain::initial_attempt_through_flexpay("INV", at, base)
            .unwrap_err()
            .code(),
        "required"
    );
    let zero = ChainOptions {
        amount: Some(Money::new(0, Currency::USD)),
        ..ChainOptions::default()
    };
    assert_eq!(
        RetryChain::after_gateway_decline("INV", at, zero),
        Err(ChainError::NonPositiveAmount { amount: 0 })
    );
    let early = ChainOptions {
        first_attempt_due_at: Some(at),
        ..ChainOptions::default()
    };
    let chain = RetryChain::after_gateway_decline("INV", at, early).unwrap();
    assert_eq!(chain.due_at(), Some(at));
    assert_eq!(chain.retry_count(), 1);
    assert_eq!(chain.date_first_attempt(), Some(at));
    let far = RetryChain::after_gateway_decline("INV", UtcTimestamp::MAX, ChainOptions::default())
        .unwrap();
    assert_eq!(far.due_at(), Some(UtcTimestamp::MAX));
    assert_eq!(far.deadline(), None);
}

#[test]
fn decide_follows_the_category_table() {
    let first = ts(DECLINED_AT);
    let policy = RetryPolicy::default();
    let at = ts("2023-11-09T00:00:00Z");
    let date = Some(at);
    let cases = [
        (10000, date, Decision::Recovered),
        (10001, None, Decision::Recovered),
        (20003, date, Decision::RetryAt { at }),
        (
            20003,
            None,
            Decision::Unrecoverable {
                reason: UnrecoverableReason::SoftDeclineWithoutRetryDate,
            },
        ),
        (
            30011,
            date,
            Decision::Unrecoverable {
                reason: UnrecoverableReason::HardDecline,
            },
        ),
        (
            30101,
            None,
            Decision::Unrecoverable {
                reason: UnrecoverableReason::HardDecline,
            },
        ),
        (
            30102,
            None,
            Decision::Unrecoverable {
                reason: UnrecoverableReason::NoRetryCode,
            },
        ),
        (40000, None, Decision::RiskBlocked),
        (40006, date, Decision::RetryAt { at }),
        (50000, date, Decision::FixRequest),
        (60000, date, Decision::NeedsInvestigation),
    ];
    for (value, retry_date, expected) in cases {
        assert_eq!(
            decide(code(value), retry_date, 1, first, policy),
            expected,
            "{value}"
        );
    }
    assert_eq!(
        decide(code(20003), date, 15, first, policy),
        Decision::Exhausted {
            limit: RetryLimit::MaxRetries
        }
    );
    assert!(!decide(code(20003), date, 14, first, policy).ends_chain());
    assert!(!Decision::FixRequest.counts_as_attempt());
    assert_eq!(
        serde_json::to_value(Decision::RetryAt { at }).unwrap(),
        json!({"kind": "retryAt", "at": "2023-11-09T00:00:00Z"})
    );
    assert_eq!(
        serde_json::to_value(Decision::Exhausted {
            limit: RetryLimit::RetryDateBeyondMaxAge
        })
        .unwrap(),
        json!({"kind": "exhausted", "limit": "retryDateBeyondMaxAge"})
    );
}

#[test]
fn stored_chain_json_shape() {
    let mut chain = declined_invoice();
    let now = ts("2023-11-08T09:15:00Z");
    send_and_record(
        &mut chain,
        now,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_count(1)
            .retry_date("2023-11-09T00:00:00")
            .reference_data("UkVGLTE=")
            .transaction_id("7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA"),
    );
    let expected = json!({
        "schemaVersion": 1,
        "merchantReference": "INV-1001",
        "merchantTransactionIdBase": "INV-1001",
        "amount": {"minorUnits": 2008, "currency": "USD"},
        "origin": {"kind": "gatewayDecline", "declinedAt": "2023-11-07T09:15:00Z"},
        "policy": {"maxRetries": 15, "maxAgeDays": 30},
        "dateFirstAttempt": "2023-11-07T09:15:00Z",
        "retryCount": 2,
        "referenceData": "UkVGLTE=",
        "state": {"status": "scheduled", "dueAt": "2023-11-09T00:00:00Z"},
        "history": [{
            "retryCount": 1,
            "sentAt": "2023-11-08T09:15:00Z",
            "answeredAt": "2023-11-08T09:15:00Z",
            "merchantTransactionId": "INV-1001-r1",
            "referenceDataSent": null,
            "responseCode": "20003",
            "category": "softDecline",
            "retryDate": "2023-11-09T00:00:00Z",
            "referenceData": "UkVGLTE=",
            "transactionId": "7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA",
            "decision": {"kind": "retryAt", "at": "2023-11-09T00:00:00Z"}
        }]
    });
    assert_eq!(chain.to_value(), expected);
    assert_eq!(
        serde_json::from_value::<RetryChain>(expected).unwrap(),
        chain
    );

    chain.next_attempt(ts("2023-11-09T00:00:00Z")).unwrap();
    assert_eq!(
        chain.to_value()["state"],
        json!({
            "status": "awaitingResponse",
            "dueAt": "2023-11-09T00:00:00Z",
            "sentAt": "2023-11-09T00:00:00Z",
            "merchantTransactionId": "INV-1001-r2"
        })
    );
}

#[test]
fn loading_reports_version_and_corruption_problems() {
    let mut chain = declined_invoice();
    send_and_record(
        &mut chain,
        ts("2023-11-08T09:15:00Z"),
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-11-09T00:00:00")
            .reference_data("REF-1"),
    );
    let good = chain.to_value();
    let load = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut document = good.clone();
        edit(&mut document);
        RetryChain::from_json(&document.to_string())
    };

    let newer = load(&|d| d["schemaVersion"] = json!(2)).unwrap_err();
    assert_eq!(
        newer,
        LoadError::NewerSchemaVersion {
            found: 2,
            supported: 1
        }
    );
    assert!(newer.to_string().contains("upgrade flexkit"), "{newer}");
    // A newer document is reported as newer even when its shape changed.
    assert_eq!(
        RetryChain::from_json(r#"{"schemaVersion": 7, "chain": []}"#)
            .unwrap_err()
            .code(),
        "snapshot_newer_version"
    );
    assert_eq!(
        load(&|d| d["schemaVersion"] = json!(0)).unwrap_err().code(),
        "snapshot_unknown_version"
    );
    for missing in [json!(null), json!("1"), json!(-1), json!(1.5)] {
        assert_eq!(
            load(&|d| d["schemaVersion"] = missing.clone()),
            Err(LoadError::MissingSchemaVersion)
        );
    }
    // Not a chain's shape at all: malformed, as a sandbox snapshot that is no object is.
    let array = RetryChain::from_json("[1, 2]").unwrap_err();
    assert_eq!(array.code(), "snapshot_malformed");
    assert!(array.to_string().contains("not a JSON object"), "{array}");
    assert_eq!(
        RetryChain::from_json("{\"schemaVersion\": 1,")
            .unwrap_err()
            .code(),
        "snapshot_malformed"
    );

    // A document of the wrong shape, or one whose parts contradict each other.
    let corrupt = |edit: &dyn Fn(&mut serde_json::Value)| -> String {
        match load(edit) {
            Err(LoadError::Corrupt { message, .. } | LoadError::Inconsistent { message }) => {
                message
            }
            other => panic!("expected snapshot_malformed or snapshot_inconsistent, got {other:?}"),
        }
    };
    assert!(corrupt(&|d| d["retryCount"] = json!(5)).contains("retryCount is 5"));
    assert!(corrupt(&|d| d["referenceData"] = json!("REF-0")).contains("referenceData"));
    assert!(
        corrupt(&|d| d["history"][0]["category"] = json!("hardDecline"))
            .contains("history[0].category")
    );
    assert!(
        corrupt(&|d| d["history"][0]["retryCount"] = json!(3)).contains("history[0].retryCount")
    );
    assert!(
        corrupt(&|d| d["history"][0]["decision"] = json!({"kind": "fixRequest"}))
            .contains("history[0].decision")
    );
    assert!(corrupt(&|d| d["state"] =
        json!({"status": "riskBlocked", "at": "2023-11-08T09:15:00Z", "code": "40000"}))
    .contains("not reset"));
    assert!(corrupt(&|d| d["extra"] = json!(true)).contains("unknown field"));
    assert!(corrupt(&|d| d["state"]["later"] = json!(true)).contains("unknown field"));
    assert!(corrupt(&|d| d["dateFirstAttempt"] = json!(null)).contains("dateFirstAttempt"));
    assert!(corrupt(&|d| d["merchantReference"] = json!("")).contains("merchantReference"));
    assert!(corrupt(&|d| d["amount"]["currency"] = json!("XYZ")).contains("XYZ"));
    assert!(corrupt(&|d| d["state"] = json!({"status": "teleported"})).contains("teleported"));

    for (text, expected) in [
        (
            "nope",
            "cannot be read: it is not valid JSON at line 1, column 2",
        ),
        (
            "{\"schemaVersion\": 1",
            "cannot be read: it ends too early at line 1, column 19",
        ),
    ] {
        let error = RetryChain::from_json(text).unwrap_err();
        assert_eq!(error.code(), "snapshot_malformed");
        assert!(error.to_string().contains(expected), "{error}");
    }

    let error = load(&|d| d["retryCount"] = json!(5)).unwrap_err();
    assert_eq!(error.code(), "snapshot_inconsistent");
    assert!(error.to_string().contains("restore it from a backup"));
    let shape = load(&|d| d["extra"] = json!(true)).unwrap_err();
    assert_eq!(shape.code(), "snapshot_malformed");
    for error in [
        error,
        shape,
        LoadError::MalformedJson {
            message: "eof".into(),
            detail: "EOF while parsing a value at line 1 column 0".into(),
        },
        LoadError::MissingSchemaVersion,
        newer,
        LoadError::UnsupportedSchemaVersion { found: 0 },
    ] {
        assert_eq!(serde_json::to_value(&error).unwrap()["code"], error.code());
    }

    // Ended states must agree with the history's last answer.
    let mut ended = declined_invoice();
    send_and_record(
        &mut ended,
        ts("2023-11-08T09:15:00Z"),
        AttemptResponse::new(ResponseCode::RISK_BLOCKED),
    );
    let mut document = ended.to_value();
    document["state"] = json!({
        "status": "recovered", "at": "2023-11-08T09:15:00Z", "transactionId": null
    });
    assert!(matches!(
        RetryChain::from_value(document),
        Err(LoadError::Inconsistent { message }) if message.contains("does not match")
    ));
}

#[test]
fn errors_carry_stable_codes_and_say_what_to_do() {
    let status = ChainStatus::Recovered;
    let errors = [
        ChainError::NoAttemptInFlight { status },
        ChainError::AttemptInFlight { retry_count: 2 },
        ChainError::ChainEnded { status },
        ChainError::RetryCountMismatch {
            expected: 1,
            received: 2,
        },
        ChainError::MerchantTransactionIdMismatch {
            expected: "a".into(),
            received: "b".into(),
        },
        ChainError::InvalidRetryDate {
            retry_date: "x".into(),
            problem: UtcTimestamp::parse_iso8601("x").unwrap_err(),
        },
        ChainError::NotRecovered { status },
        ChainError::AlreadyFullyRefunded,
        ChainError::InvalidRefundAmount { amount: -1 },
        ChainError::RefundExceedsAmount {
            recovered: 10,
            already_refunded: 5,
            requested: 6,
        },
        ChainError::Required { field: "f" },
        ChainError::NonPositiveAmount { amount: 0 },
        ChainError::MissingReferenceData {
            retry_date: ts(DECLINED_AT),
        },
        ChainError::AnsweredBeforeSent {
            answered_at: ts(DECLINED_AT),
            sent_at: ts(DECLINED_AT),
        },
        ChainError::DueBeforeStart {
            due_at: ts(DECLINED_AT),
            origin: ChainOrigin::GatewayDecline {
                declined_at: ts(DECLINED_AT),
            },
        },
        ChainError::DueAfterDeadline {
            due_at: ts(DECLINED_AT),
            deadline: ts(DECLINED_AT),
        },
        ChainError::RefundBeforeRecovery {
            refunded_at: ts(DECLINED_AT),
            recovered_at: ts(DECLINED_AT),
        },
        ChainError::PolicyOutOfRange {
            field: "maxRetries",
            value: "16".into(),
            max: 15,
        },
    ];
    let mut codes: Vec<_> = errors.iter().map(ChainError::code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), errors.len(), "one code per error");
    for error in &errors {
        let json = serde_json::to_value(error).unwrap();
        assert_eq!(json["code"], error.code(), "{json}");
        let message = error.to_string();
        assert!(!message.is_empty());
        // Worded for every caller: no Rust method names (the npm package's are camelCase).
        for rust_name in [
            "next_attempt",
            "to_json",
            "from_json",
            "record_",
            "abandon_attempt",
        ] {
            assert!(!message.contains(rust_name), "{message}");
        }
    }
    assert!(errors[9].to_string().contains("refund at most 5"));

    let refusals = [
        NotReady::NotYet {
            allowed_at: ts(DECLINED_AT),
        },
        NotReady::AwaitingResponse {
            retry_count: 1,
            sent_at: ts(DECLINED_AT),
        },
        NotReady::ChainEnded { status },
    ];
    for refusal in refusals {
        assert_eq!(
            serde_json::to_value(refusal).unwrap()["code"],
            refusal.code()
        );
    }
    assert_eq!(
        serde_json::to_value(refusals[0]).unwrap(),
        json!({"code": "not_yet", "allowedAt": "2023-11-07T09:15:00Z"})
    );
    assert!(refusals[0].to_string().contains("try again at or after"));
    assert!(refusals[2].to_string().contains("recovered"));
}

#[test]
fn corrupt_documents_are_described_in_json_terms() {
    let chain = declined_invoice();
    let damaged = |pointer: &str, value: serde_json::Value| {
        let mut document = chain.to_value();
        *document.pointer_mut(pointer).unwrap() = value;
        RetryChain::from_value(document).unwrap_err().to_string()
    };
    let cases = [
        (
            "/state",
            json!(5),
            "invalid type: integer 5, expected an object",
        ),
        (
            "/origin",
            json!("x"),
            "invalid type: string \"x\", expected an object",
        ),
        (
            "/policy/maxRetries",
            json!(1.5),
            "invalid type: number 1.5, expected a whole number",
        ),
        (
            "/policy/maxRetries",
            json!(-1),
            "invalid value: integer -1, expected a whole number",
        ),
        (
            "/history",
            json!({}),
            "invalid type: object, expected an array",
        ),
        (
            "/history",
            json!([5]),
            "invalid type: integer 5, expected an object",
        ),
        (
            "/amount",
            json!({"minorUnits": 1}),
            "missing field \"currency\"",
        ),
        (
            "/state/status",
            json!("nope"),
            "unknown variant \"nope\", expected one of \"scheduled\"",
        ),
    ];
    for (pointer, value, expected) in cases {
        let message = damaged(pointer, value);
        assert!(message.contains(expected), "{pointer}: {message}");
        assert!(
            !["`", "struct", "enum", "u32", "i64", "map", "sequence"]
                .iter()
                .any(|rust| message.contains(rust)),
            "{pointer}: {message}"
        );
    }
}

#[test]
fn a_shape_error_read_from_text_keeps_serde_s_detail_with_its_position_for_bindings() {
    let chain = declined_invoice();
    let mut document = chain.to_value();
    document["policy"]["maxRetries"] = json!(1.5);
    let text = serde_json::to_string(&document).unwrap();
    match RetryChain::from_json(&text) {
        Err(LoadError::Corrupt {
            message,
            detail: Some(detail),
        }) => {
            // Display stays in the document's terms, without a position that names no field.
            assert!(
                message.contains("invalid type: number 1.5, expected a whole number"),
                "{message}"
            );
            assert!(!message.contains("line "), "{message}");
            // The detail is serde's own text, with where in the text it stopped.
            assert!(
                detail.starts_with("invalid type: floating point `1.5`"),
                "{detail}"
            );
            let (_, position) = detail.rsplit_once(" at line ").expect(&detail);
            let column: usize = position.rsplit(' ').next().unwrap().parse().unwrap();
            assert_eq!(
                text.get(..column).map(|t| t.ends_with("1.5")),
                Some(true),
                "{detail}"
            );
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    // Read from a value there is no text to point into; the detail is serde's text alone.
    match RetryChain::from_value(document) {
        Err(LoadError::Corrupt {
            detail: Some(detail),
            ..
        }) => assert!(!detail.contains(" at line "), "{detail}"),
        other => panic!("expected a shape error, got {other:?}"),
    }
    // Not JSON: the reader's detail too; not an object: nothing the reader refused.
    match RetryChain::from_json("{\"schemaVersion\": 1,") {
        Err(LoadError::MalformedJson { detail, .. }) => {
            assert!(detail.starts_with("EOF while parsing"), "{detail}");
        }
        other => panic!("expected malformed JSON, got {other:?}"),
    }
    assert!(matches!(
        RetryChain::from_json("[1]"),
        Err(LoadError::Corrupt { detail: None, .. })
    ));
    // A document read from text loads as the same document read from a value does.
    assert_eq!(RetryChain::from_json(&chain.to_json()), Ok(chain.clone()));
    assert_eq!(RetryChain::from_value(chain.to_value()), Ok(chain));
}

/// Every id a chain with `base` derives over its whole recovery: the first attempt rejected
/// twice (new ids for the resends), then soft declines up to FlexPay's 15 retries.
fn derived_ids(base: &str) -> Vec<String> {
    let mut chain = RetryChain::after_gateway_decline(
        "INV-1001",
        ts(DECLINED_AT),
        ChainOptions {
            merchant_transaction_id_base: Some(base.to_owned()),
            ..ChainOptions::default()
        },
    )
    .unwrap();
    let mut now = chain.due_at().unwrap();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (attempt, _) = send_and_record(
            &mut chain,
            now,
            AttemptResponse::new(code(50000)).retry_count(1),
        );
        ids.push(
            attempt
                .merchant_transaction_id
                .derived()
                .unwrap()
                .to_owned(),
        );
    }
    while let Ok(attempt) = chain.next_attempt(now) {
        ids.push(
            attempt
                .merchant_transaction_id
                .derived()
                .unwrap()
                .to_owned(),
        );
        let next = now.checked_add_seconds(3600).unwrap().to_string();
        let answer = AttemptResponse::new(code(20003))
            .retry_count(attempt.retry_count)
            .retry_date(&next)
            .reference_data("REF");
        chain.record_response(answer, now).unwrap();
        now = chain.due_at().unwrap_or(now);
    }
    ids
}

#[test]
fn derived_ids_stay_within_flexpays_limit_and_unique_per_attempt() {
    let limit = crate::flexpay::validate::limits::MERCHANT_TRANSACTION_ID;
    let longest = "M".repeat(limit);
    for base in [
        longest.as_str(),
        &"Ä".repeat(limit),
        &"x".repeat(limit - 3),
        &"x".repeat(200),
        "INV-1001",
    ] {
        let ids = derived_ids(base);
        assert_eq!(ids.len(), 2 + 15, "{base}");
        for id in &ids {
            assert!(id.chars().count() <= limit, "{id}");
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }
    // A short base is kept as it is.
    assert_eq!(
        derived_ids("INV-1001")[..3],
        ["INV-1001-r1", "INV-1001-r1-2", "INV-1001-r1-3"]
    );
    // A base 3 characters short of the limit fits "-r1" whole; longer suffixes shorten it.
    let tight = "x".repeat(limit - 3);
    let ids = derived_ids(&tight);
    assert_eq!(ids[0], format!("{tight}-r1"));
    assert!(
        ids[1].ends_with("-r1-2") && ids[1].len() == limit,
        "{}",
        ids[1]
    );
    // Long bases that differ only at the end keep differing.
    let other = format!("{}N", "M".repeat(limit - 1));
    let (a, b) = (derived_ids(&longest), derived_ids(&other));
    assert!(a.iter().zip(&b).all(|(a, b)| a != b), "{a:?} {b:?}");
    assert!(
        a[0].starts_with("MMMM") && a[0].ends_with("-r1"),
        "{}",
        a[0]
    );
}

#[test]
fn a_stop_is_not_dated_before_the_chains_latest_event() {
    // Before the gateway decline the chain began with.
    let mut chain = declined_invoice();
    let error = chain
        .stop(StopReason::MerchantDecision, ts("2023-11-07T09:14:59Z"))
        .unwrap_err();
    assert_eq!(error.code(), "stop_before_latest_event");
    assert_eq!(
        error,
        ChainError::StopBeforeLatestEvent {
            stopped_at: ts("2023-11-07T09:14:59Z"),
            latest: ChainEvent::GatewayDecline {
                at: ts(DECLINED_AT)
            },
        }
    );
    assert!(error.to_string().contains("before the gateway decline at"));
    assert_eq!(chain.status(), ChainStatus::Scheduled, "nothing changed");

    // Before the latest answer recorded.
    let answered_at = ts("2023-11-08T09:15:00Z");
    send_and_record(
        &mut chain,
        answered_at,
        AttemptResponse::new(code(20003))
            .retry_count(1)
            .retry_date("2023-11-09T09:15:00Z")
            .reference_data("REF-1"),
    );
    let error = chain
        .stop(StopReason::PaidElsewhere, ts("2023-11-08T09:14:59Z"))
        .unwrap_err();
    assert_eq!(error.code(), "stop_before_latest_event");
    assert!(error
        .to_string()
        .contains("before the latest answer recorded at"));
    assert_eq!(chain.status(), ChainStatus::Scheduled);
    assert_round_trips(&chain);

    // At the latest event itself, or after it, the stop is taken.
    let transition = chain.stop(StopReason::PaidElsewhere, answered_at).unwrap();
    assert_eq!(transition.to, ChainStatus::Stopped);

    // Before a chain's creation, when its initial attempt goes through FlexPay.
    let created = ts("2023-11-07T09:15:00Z");
    let mut chain =
        RetryChain::initial_attempt_through_flexpay("INV-1001", created, options()).unwrap();
    let error = chain
        .stop(
            StopReason::SubscriptionCancelled,
            ts("2023-11-07T09:00:00Z"),
        )
        .unwrap_err();
    assert!(error.to_string().contains("before the chain's creation"));
    assert!(chain
        .stop(StopReason::SubscriptionCancelled, created)
        .is_ok());
}

#[test]
fn peeking_hands_nothing_out_and_ends_nothing() {
    let mut chain = RetryChain::after_gateway_decline(
        "INV-PEEK",
        ts(DECLINED_AT),
        ChainOptions {
            policy: RetryPolicy {
                max_retries: 1,
                max_age_days: 30,
            },
            ..ChainOptions::default()
        },
    )
    .unwrap();
    let due = chain.due_at().unwrap();
    let before = chain.clone();
    // Not yet due, then due: the peek says what nextAttempt would, and the chain stays.
    assert_eq!(
        chain.peek_attempt(ts(DECLINED_AT)),
        Err(NotReady::NotYet { allowed_at: due })
    );
    let peeked = chain.peek_attempt(due).unwrap();
    assert_eq!(chain, before);
    assert_eq!(chain.peek_attempt(due), Ok(peeked.clone()));
    assert_eq!(chain.next_attempt(due), Ok(peeked));
    // Long after, the peek says what nextAttempt would, and still changes nothing.
    let late =
        RetryChain::after_gateway_decline("INV-LATE", ts(DECLINED_AT), ChainOptions::default())
            .unwrap();
    let far = ts("2030-01-01T00:00:00Z");
    let untouched = late.clone();
    assert_eq!(late.peek_attempt(far), late.clone().next_attempt(far));
    assert_eq!(late, untouched);
}

#[test]
fn a_stored_chain_cannot_move_its_schedule() {
    let first_due = ts("2023-11-08T09:15:00Z");
    let mut chain = declined_invoice();
    send_and_record(
        &mut chain,
        first_due,
        AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_date("2023-11-09T00:00:00Z")
            .reference_data("REF"),
    );
    let refused =
        |document: serde_json::Value, expected: &str| match RetryChain::from_value(document) {
            Err(LoadError::Inconsistent { message }) => assert_eq!(message, expected),
            other => panic!("{other:?}"),
        };

    // Earlier than FlexPay's retryDate: the attempt would go out too early.
    let mut document = chain.to_value();
    document["state"]["dueAt"] = json!("2023-11-08T12:00:00Z");
    refused(
        document,
        "state.dueAt is 2023-11-08T12:00:00Z but the latest response's retryDate is \
         2023-11-09T00:00:00Z",
    );
    // The history's decision must be the retryDate it received.
    let mut document = chain.to_value();
    document["history"][0]["decision"]["at"] = json!("2023-11-08T12:00:00Z");
    document["state"]["dueAt"] = json!("2023-11-08T12:00:00Z");
    refused(
        document,
        "history[0] schedules a retry at 2023-11-08T12:00:00Z, not at the retryDate it received",
    );

    // Before the first attempt: not before the decline, not past the age limit.
    let mut document = declined_invoice().to_value();
    document["state"]["dueAt"] = json!("2023-11-07T09:00:00Z");
    refused(
        document,
        "state.dueAt 2023-11-07T09:00:00Z is before the chain started, at 2023-11-07T09:15:00Z",
    );
    let mut document = declined_invoice().to_value();
    document["state"]["dueAt"] = json!("2023-12-08T00:00:00Z");
    refused(
        document,
        "state.dueAt 2023-12-08T00:00:00Z is past the policy's age limit, 2023-12-07T09:15:00Z",
    );

    // An attempt in flight was not sent before it was due.
    let mut fresh = declined_invoice();
    fresh.next_attempt(first_due).unwrap();
    let mut document = fresh.to_value();
    assert_eq!(document["state"]["status"], "awaitingResponse");
    document["state"]["sentAt"] = json!("2023-11-08T09:00:00Z");
    refused(
        document,
        "state.sentAt 2023-11-08T09:00:00Z is before the attempt was due, at 2023-11-08T09:15:00Z",
    );
    assert_round_trips(&fresh);
}

#[test]
fn a_stored_policy_above_the_limits_still_stops_at_them() {
    // Accepted before `RetryPolicy::check`: loaded, but FlexPay's 15 retries and the policy's
    // 90 days at most hold.
    let mut document = declined_invoice().to_value();
    document["policy"]["maxRetries"] = json!(99);
    document["policy"]["maxAgeDays"] = json!(365);
    let mut chain = RetryChain::from_value(document).unwrap();
    assert_eq!(chain.deadline(), Some(ts("2024-02-05T09:15:00Z")));
    let mut now = ts("2023-11-08T09:15:00Z");
    let mut last = None;
    for _ in 0..20 {
        let Ok(attempt) = chain.next_attempt(now) else {
            break;
        };
        let next = now.checked_add_seconds(3600).unwrap();
        let next_text = next.to_string();
        let transition = chain
            .record_response(
                AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
                    .retry_date(&next_text)
                    .reference_data("REF"),
                now,
            )
            .unwrap();
        last = Some((attempt.retry_count, transition.decision));
        now = next;
    }
    assert_eq!(
        last,
        Some((
            15,
            Some(Decision::Exhausted {
                limit: RetryLimit::MaxRetries
            })
        ))
    );
    assert_eq!(chain.status(), ChainStatus::Exhausted);
}

#[test]
fn a_retry_date_finer_than_a_millisecond_is_allowed_from_the_millisecond_after() {
    // FlexPay writes up to seven fraction digits; a JavaScript scheduler keeps milliseconds.
    for (retry_date, due) in [
        ("2023-11-09T00:00:00.1234567", "2023-11-09T00:00:00.124Z"),
        ("2023-11-09T00:00:00.9999999", "2023-11-09T00:00:01Z"),
        ("2023-11-09T00:00:00.123", "2023-11-09T00:00:00.123Z"),
        ("2023-11-09T00:00:00", "2023-11-09T00:00:00Z"),
    ] {
        let mut chain = declined_invoice();
        let first_due = ts("2023-11-08T09:15:00Z");
        chain.next_attempt(first_due).unwrap();
        let answer = flexpay_answer("20003", 1, Some(retry_date), Some("UkVGLTE="), "TXN1");
        chain
            .record_transaction_response(&answer, first_due)
            .unwrap();
        let due = ts(due);
        assert_eq!(chain.due_at(), Some(due), "{retry_date}");
        // Never before FlexPay's instant, and allowed at the millisecond a Date holds.
        assert!(due >= ts(&format!("{retry_date}Z")), "{retry_date}");
        let millisecond_before = UtcTimestamp::from_unix_millis(due.unix_millis() - 1).unwrap();
        assert_eq!(
            chain.next_attempt(millisecond_before),
            Err(NotReady::NotYet { allowed_at: due })
        );
        assert!(chain.next_attempt(due).is_ok(), "{retry_date}");
        assert_round_trips(&chain);
    }
}
