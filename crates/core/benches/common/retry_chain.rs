//! The `RetryChain` workload both the `retry` and the `sandbox` benchmarks time: a chain
//! declined at the gateway, then 15 attempts each answered with a soft decline, a
//! `retryDate` one day later and a fresh `referenceData`. One decision is one
//! `next_attempt` + `record_response` pair.

use std::hint::black_box;

use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::retry::{AttemptResponse, ChainOptions, RetryChain};
use flexkit_core::{Currency, Money, UtcTimestamp};

/// 2023-11-07T09:15:00Z.
const DECLINED_AT_SECONDS: i64 = 1_699_348_500;
pub const DAY: i64 = 86_400;
/// The default policy's whole chain: 15 soft declines, the last one exhausting it.
pub const ATTEMPTS: usize = 15;

pub fn declined_at() -> UtcTimestamp {
    UtcTimestamp::from_unix_seconds(DECLINED_AT_SECONDS).unwrap_or(UtcTimestamp::UNIX_EPOCH)
}

pub fn new_chain() -> RetryChain {
    let options = ChainOptions {
        amount: Some(Money::new(2008, Currency::USD)),
        merchant_transaction_id_base: Some("INV-1001".into()),
        ..ChainOptions::default()
    };
    match RetryChain::after_gateway_decline("INV-1001", declined_at(), options) {
        Ok(chain) => chain,
        Err(error) => panic!("benchmark chain: {error}"),
    }
}

/// Retry dates one day apart, as FlexPay writes them (no zone), and their referenceData.
pub fn answers() -> Vec<(String, String)> {
    (0..ATTEMPTS as i64)
        .map(|i| {
            let date = declined_at()
                .checked_add_seconds((i + 2) * DAY)
                .unwrap_or(UtcTimestamp::MAX)
                .to_iso8601();
            (
                date.trim_end_matches('Z').to_owned(),
                format!("UkVGLXtp{i:04}ZXJlbmNlRGF0YQ=="),
            )
        })
        .collect()
}

/// One FlexPay transaction id per attempt of a chain (16 at most: the first and 15 retries).
const TRANSACTION_IDS: [&str; 16] = [
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ00",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ01",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ02",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ03",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ04",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ05",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ06",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ07",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ08",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ09",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ10",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ11",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ12",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ13",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ14",
    "7R2KX9QF4M8ZC1VN6B3TD5HWJ15",
];

/// Runs a fresh chain to its end: every attempt soft-declined with a retryDate.
pub fn run_chain(mut chain: RetryChain, answers: &[(String, String)]) -> RetryChain {
    let mut now = chain.due_at().unwrap_or(UtcTimestamp::MAX);
    for ((retry_date, reference_data), transaction_id) in answers.iter().zip(TRANSACTION_IDS) {
        let attempt = chain.next_attempt(now);
        // Each attempt has its own FlexPay id: an answer repeating one is refused as recorded.
        let response = AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_count(attempt.map_or(0, |attempt| attempt.retry_count))
            .retry_date(retry_date)
            .reference_data(reference_data)
            .transaction_id(transaction_id);
        let _ = black_box(chain.record_response(response, now));
        now = chain.due_at().unwrap_or(now);
    }
    chain
}
