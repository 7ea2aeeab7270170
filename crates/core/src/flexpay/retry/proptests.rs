//! Random response sequences and random clocks against a model of what FlexPay requires.

use proptest::prelude::*;

use super::*;
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::money::{Currency, Money};
use crate::time::UtcTimestamp;

/// 2023-11-07T09:15:00Z.
const START_SECONDS: i64 = 1_699_348_500;

#[derive(Clone, Debug)]
enum RetryDate {
    Absent,
    Empty,
    /// Seconds from the moment of the answer, written with `Z`.
    Utc(i64),
    /// The same without a zone, as FlexPay sends it.
    ZoneLess(i64),
    Unreadable,
}

#[derive(Clone, Debug)]
enum Echo {
    Right,
    Absent,
    Wrong(u32),
}

#[derive(Clone, Debug)]
struct Answer {
    code: u32,
    retry_date: RetryDate,
    reference_data: Option<u16>,
    echo: Echo,
}

#[derive(Clone, Debug)]
enum Step {
    /// Moves the clock, backwards too.
    Wait(i64),
    /// Moves the clock to the scheduled instant, give or take a nanosecond.
    WaitUntilDue(i8),
    Next,
    Respond(Answer),
    Abandon,
    Stop,
    Refund(Option<i64>),
}

fn answer() -> impl Strategy<Value = Answer> {
    let code = prop_oneof![
        6 => Just(20003u32),
        2 => Just(20023),
        2 => Just(10000),
        1 => Just(30011),
        1 => Just(30080),
        1 => Just(30100),
        2 => Just(40000),
        2 => Just(50000),
        1 => Just(50137),
        1 => Just(50129),
        1 => prop_oneof![Just(0u32), Just(60000), Just(300_051)],
    ];
    let retry_date = prop_oneof![
        2 => Just(RetryDate::Absent),
        1 => Just(RetryDate::Empty),
        5 => (-86_400i64..8 * 86_400).prop_map(RetryDate::Utc),
        3 => (-86_400i64..8 * 86_400).prop_map(RetryDate::ZoneLess),
        1 => Just(RetryDate::Unreadable),
    ];
    let echo = prop_oneof![
        6 => Just(Echo::Right),
        3 => Just(Echo::Absent),
        1 => (1u32..3).prop_map(Echo::Wrong),
    ];
    (
        code,
        retry_date,
        proptest::option::weighted(0.9, any::<u16>()),
        echo,
    )
        .prop_map(|(code, retry_date, reference_data, echo)| Answer {
            code,
            retry_date,
            reference_data,
            echo,
        })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (-7_200i64..3 * 86_400).prop_map(Step::Wait),
        3 => (-1i8..=1).prop_map(Step::WaitUntilDue),
        6 => Just(Step::Next),
        6 => answer().prop_map(Step::Respond),
        1 => Just(Step::Abandon),
        1 => Just(Step::Stop),
        1 => proptest::option::of(-10i64..8_000).prop_map(Step::Refund),
    ]
}

fn new_chain() -> impl Strategy<Value = RetryChain> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        1u32..8,
        1u32..20,
    )
        .prop_map(
            |(through_flexpay, with_base, with_amount, max_retries, max_age_days)| {
                let start =
                    UtcTimestamp::from_unix_seconds(START_SECONDS).unwrap_or(UtcTimestamp::MIN);
                let options = ChainOptions {
                    amount: with_amount.then(|| Money::new(7500, Currency::USD)),
                    merchant_transaction_id_base: with_base.then(|| "INV-9".to_owned()),
                    policy: RetryPolicy {
                        max_retries,
                        max_age_days,
                    },
                    first_attempt_due_at: None,
                };
                let chain = if through_flexpay {
                    RetryChain::initial_attempt_through_flexpay("INV-9", start, options)
                } else {
                    RetryChain::after_gateway_decline("INV-9", start, options)
                };
                chain.unwrap_or_else(|error| unreachable!("valid options: {error}"))
            },
        )
}

fn shift(now: UtcTimestamp, seconds: i64) -> UtcTimestamp {
    now.checked_add_seconds(seconds).unwrap_or(now)
}

/// What FlexPay requires of the requests, tracked independently of the chain.
struct Model {
    retry_count: u32,
    reference_data: Option<String>,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn chain_follows_flexpay_rules(
        mut chain in new_chain(),
        steps in proptest::collection::vec(step(), 1..60),
    ) {
        let mut now = UtcTimestamp::from_unix_seconds(START_SECONDS).unwrap_or(UtcTimestamp::MIN);
        let mut model = Model {
            retry_count: chain.retry_count(),
            reference_data: None,
        };
        for step in steps {
            let before = chain.clone();
            match step {
                Step::Wait(seconds) => now = shift(now, seconds),
                Step::WaitUntilDue(nanos) => {
                    if let Some(due_at) = chain.due_at() {
                        now = match nanos {
                            -1 => UtcTimestamp::from_unix_parts(
                                due_at.unix_seconds() - i64::from(due_at.subsec_nanos() == 0),
                                due_at.subsec_nanos().checked_sub(1).unwrap_or(999_999_999),
                            )
                            .unwrap_or(due_at),
                            1 => UtcTimestamp::from_unix_parts(
                                due_at.unix_seconds(),
                                due_at.subsec_nanos() + 1,
                            )
                            .unwrap_or(due_at),
                            _ => due_at,
                        };
                    }
                }
                Step::Next => match chain.next_attempt(now) {
                    Ok(attempt) => {
                        // Only a scheduled chain hands out an attempt, and never early.
                        prop_assert_eq!(before.status(), ChainStatus::Scheduled);
                        let due_at = before.due_at().unwrap_or(UtcTimestamp::MAX);
                        prop_assert!(now >= due_at, "sent at {} before {}", now, due_at);
                        prop_assert!(before.deadline().is_none_or(|deadline| now <= deadline));
                        prop_assert!(attempt.retry_count <= before.policy().max_retries);
                        prop_assert_eq!(attempt.retry_count, model.retry_count);
                        prop_assert_eq!(&attempt.reference_data, &model.reference_data);
                        prop_assert_eq!(chain.status(), ChainStatus::AwaitingResponse);
                        // What FlexPay's validation entry would say about the charge.
                        super::tests::assert_accepted(&attempt);
                        if let Some(last) = before.history().last() {
                            prop_assert!(now >= last.answered_at);
                        }
                    }
                    Err(NotReady::NotYet { allowed_at }) => {
                        prop_assert_eq!(&chain, &before);
                        let due_at = before.due_at().unwrap_or(UtcTimestamp::MAX);
                        let answered_at = before.history().last().map(|record| record.answered_at);
                        prop_assert_eq!(allowed_at, answered_at.map_or(due_at, |at| due_at.max(at)));
                        prop_assert!(now < allowed_at);
                    }
                    Err(NotReady::AwaitingResponse { retry_count, .. }) => {
                        prop_assert_eq!(&chain, &before);
                        prop_assert_eq!(before.status(), ChainStatus::AwaitingResponse);
                        prop_assert_eq!(retry_count, model.retry_count);
                    }
                    Err(NotReady::ChainEnded { status }) => {
                        prop_assert!(status.is_terminal());
                        prop_assert_eq!(chain.status(), status);
                        if before.status().is_terminal() {
                            prop_assert_eq!(&chain, &before);
                        } else {
                            // Only the age limit ends a chain built by these calls here.
                            prop_assert_eq!(status, ChainStatus::Exhausted);
                        }
                    }
                },
                Step::Respond(answer) => {
                    let code = ResponseCode::new(answer.code).unwrap_or(ResponseCode::APPROVED);
                    let retry_date = match answer.retry_date {
                        RetryDate::Absent => None,
                        RetryDate::Empty => Some(String::new()),
                        RetryDate::Utc(seconds) => Some(shift(now, seconds).to_iso8601()),
                        RetryDate::ZoneLess(seconds) => {
                            Some(shift(now, seconds).to_iso8601().trim_end_matches('Z').to_owned())
                        }
                        RetryDate::Unreadable => Some("tomorrow".to_owned()),
                    };
                    let reference_data = answer.reference_data.map(|n| format!("REF-{n}"));
                    let echoed = match answer.echo {
                        Echo::Right => Some(chain.retry_count()),
                        Echo::Absent => None,
                        Echo::Wrong(delta) => Some(chain.retry_count().wrapping_add(delta)),
                    };
                    // Each attempt's own FlexPay id, as FlexPay gives them.
                    let transaction_id = format!("TXN{}", chain.history().len());
                    let response = AttemptResponse {
                        transaction_id: Some(&transaction_id),
                        ..AttemptResponse::new(code)
                    };
                    let response = AttemptResponse {
                        retry_date: retry_date.as_deref(),
                        reference_data: reference_data.as_deref(),
                        retry_count: echoed,
                        ..response
                    };
                    match chain.record_response(response, now) {
                        Err(error) => {
                            prop_assert_eq!(&chain, &before, "{}", error);
                            let sent_at = match before.state() {
                                ChainState::AwaitingResponse { sent_at, .. } => Some(*sent_at),
                                _ => None,
                            };
                            // Each refusal has its cause in the response or the clock.
                            let explained = match &error {
                                ChainError::NoAttemptInFlight { status } => {
                                    sent_at.is_none() && !status.is_terminal()
                                }
                                ChainError::ChainEnded { status } => {
                                    sent_at.is_none() && status.is_terminal()
                                }
                                ChainError::RetryCountMismatch { .. } => {
                                    matches!(answer.echo, Echo::Wrong(_))
                                }
                                ChainError::AnsweredBeforeSent { .. } => {
                                    sent_at.is_some_and(|sent_at| now < sent_at)
                                }
                                ChainError::InvalidRetryDate { .. } => {
                                    matches!(answer.retry_date, RetryDate::Unreadable)
                                }
                                ChainError::MissingReferenceData { .. } => {
                                    reference_data.is_none()
                                        && matches!(
                                            code.category(),
                                            ResponseCategory::SoftDecline | ResponseCategory::Risk
                                        )
                                }
                                _ => false,
                            };
                            prop_assert!(explained, "refused a response that belongs: {}", error);
                        }
                        Ok(transition) => {
                            prop_assert_eq!(transition.from, ChainStatus::AwaitingResponse);
                            let counted = code.category() != ResponseCategory::ApiValidation;
                            prop_assert_eq!(transition.counted_as_attempt, counted);
                            if !counted && transition.to == ChainStatus::NeedsInvestigation {
                                // The same refusal the third time in a row for one attempt.
                                let history = before.history();
                                prop_assert!(history.len() >= 2);
                                for record in &history[history.len() - 2..] {
                                    prop_assert_eq!(record.decision, Decision::FixRequest);
                                    prop_assert_eq!(record.response_code, code);
                                    prop_assert_eq!(record.retry_count, before.retry_count());
                                }
                                prop_assert!(transition.reset);
                            } else if !counted {
                                // 5xxxx: not an attempt.
                                prop_assert_eq!(chain.retry_count(), before.retry_count());
                                prop_assert_eq!(chain.reference_data(), before.reference_data());
                                prop_assert_eq!(chain.history().len(), before.history().len() + 1);
                            } else if transition.to == ChainStatus::Scheduled {
                                model.retry_count += 1;
                                model.reference_data = reference_data.clone();
                                prop_assert_eq!(chain.retry_count(), model.retry_count);
                                prop_assert_eq!(chain.reference_data(), model.reference_data.as_deref());
                            } else {
                                prop_assert!(transition.to.is_terminal());
                                prop_assert!(transition.reset);
                            }
                        }
                    }
                }
                Step::Abandon => {
                    if chain.abandon_attempt().is_err() {
                        prop_assert_eq!(&chain, &before);
                    } else {
                        let answered_at = before.history().last().map(|record| record.answered_at);
                        prop_assert_eq!(chain.due_at(), match before.state() {
                            ChainState::AwaitingResponse { due_at, .. } => {
                                Some(answered_at.map_or(*due_at, |at| at.max(*due_at)))
                            }
                            _ => None,
                        });
                    }
                }
                Step::Stop => {
                    if chain.stop(StopReason::SubscriptionCancelled, now).is_err() {
                        prop_assert_eq!(&chain, &before);
                    } else {
                        prop_assert_eq!(before.status(), ChainStatus::Scheduled);
                    }
                }
                Step::Refund(amount) => {
                    if chain.record_refund("RFND", amount, now).is_err() {
                        prop_assert_eq!(&chain, &before);
                    } else {
                        prop_assert!(matches!(
                            before.status(),
                            ChainStatus::Recovered | ChainStatus::RecoveredThenRefunded
                        ));
                    }
                }
            }

            if chain.status().is_terminal() {
                // Reset: whatever starts the next payment starts at 0 with null.
                prop_assert_eq!(chain.retry_count(), 0);
                prop_assert_eq!(chain.reference_data(), None);
                model.retry_count = 0;
                model.reference_data = None;
            }
            prop_assert_eq!(chain.check_consistency(), Ok(()));
            let json = chain.to_json();
            prop_assert_eq!(RetryChain::from_json(&json), Ok(chain.clone()), "{}", json);
        }

        // Counted attempts number on by exactly one from the origin's first count, each
        // echoing the referenceData received just before it.
        let counted = chain.history().iter().filter(|record| record.counts_as_attempt());
        let mut latest: Option<&str> = None;
        for (expected, record) in (chain.origin().first_retry_count()..).zip(counted) {
            prop_assert_eq!(record.retry_count, expected);
            prop_assert_eq!(record.reference_data_sent.as_deref(), latest);
            latest = record.reference_data.as_deref();
        }
    }

    #[test]
    fn decide_never_schedules_what_flexpay_forbids(
        value in 0u32..70_000,
        offset in proptest::option::of(-86_400i64..60 * 86_400),
        retry_count in 0u32..20,
        max_retries in 0u32..20,
        max_age_days in 0u32..40,
    ) {
        let first = UtcTimestamp::from_unix_seconds(START_SECONDS).unwrap_or(UtcTimestamp::MIN);
        let code = ResponseCode::new(value).unwrap_or(ResponseCode::APPROVED);
        let retry_date = offset.map(|seconds| shift(first, seconds));
        let policy = RetryPolicy { max_retries, max_age_days };
        let decision = decide(code, retry_date, retry_count, first, policy);
        if let Decision::RetryAt { at } = decision {
            prop_assert_eq!(Some(at), retry_date);
            prop_assert!(matches!(
                code.category(),
                ResponseCategory::SoftDecline | ResponseCategory::Risk
            ));
            prop_assert!(retry_count < max_retries);
            prop_assert!(policy.deadline(first).is_none_or(|deadline| at <= deadline));
        }
        prop_assert_eq!(
            decision.counts_as_attempt(),
            code.category() != ResponseCategory::ApiValidation
        );
        if code == ResponseCode::RETRY_LIMIT_REACHED {
            prop_assert_eq!(decision, Decision::Exhausted { limit: RetryLimit::FlexPayLimit });
        } else if code.category() == ResponseCategory::HardDecline {
            let is_unrecoverable = matches!(decision, Decision::Unrecoverable { .. });
            prop_assert!(is_unrecoverable);
        }
    }

    #[test]
    fn loading_never_panics_on_damaged_documents(
        mut chain in new_chain(),
        answers in proptest::collection::vec(answer(), 0..6),
        target in any::<prop::sample::Index>(),
        replacement in prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u32>().prop_map(serde_json::Value::from),
            "[a-zA-Z0-9:.-]{0,24}".prop_map(serde_json::Value::from),
            Just(serde_json::json!({})),
            Just(serde_json::json!([])),
        ],
        text in ".{0,64}",
    ) {
        let mut now = UtcTimestamp::from_unix_seconds(START_SECONDS).unwrap_or(UtcTimestamp::MIN);
        for answer in answers {
            if let Some(due_at) = chain.due_at() {
                now = now.max(due_at);
            }
            if chain.next_attempt(now).is_err() {
                break;
            }
            let retry_date = shift(now, 3_600).to_iso8601();
            let response = AttemptResponse::new(
                ResponseCode::new(answer.code).unwrap_or(ResponseCode::APPROVED),
            )
            .retry_date(&retry_date)
            .reference_data("REF");
            let _ = chain.record_response(response, now);
        }
        let mut document = chain.to_value();
        let mut pointers = Vec::new();
        collect_pointers(&document, String::new(), &mut pointers);
        if !pointers.is_empty() {
            let pointer = &pointers[target.index(pointers.len())];
            if let Some(slot) = document.pointer_mut(pointer) {
                *slot = replacement;
            }
        }
        if let Ok(loaded) = RetryChain::from_value(document) {
            prop_assert_eq!(loaded.check_consistency(), Ok(()));
            prop_assert_eq!(RetryChain::from_json(&loaded.to_json()), Ok(loaded.clone()));
        }
        let _ = RetryChain::from_json(&text);
    }
}

/// JSON pointers of every value in `value`, containers included: each may be replaced whole.
fn collect_pointers(value: &serde_json::Value, path: String, leaves: &mut Vec<String>) {
    leaves.push(path.clone());
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                collect_pointers(child, format!("{path}/{key}"), leaves);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_pointers(child, format!("{path}/{index}"), leaves);
            }
        }
        _ => {}
    }
}
