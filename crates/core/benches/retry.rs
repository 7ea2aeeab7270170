//! How many retry decisions flexkit makes per second: whole chains (`next_attempt` +
//! `record_response` pairs, `retryDate` parsing included), the pure `decide`, and the stored
//! form a CRM reads and writes between attempts.
//!
//! `cargo bench -p flexkit-core --bench retry -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::retry::{
    decide, AttemptResponse, ChainOptions, ChainStatus, RetryChain, RetryPolicy,
};
use flexkit_core::{Currency, Money, UtcTimestamp};

/// 2023-11-07T09:15:00Z.
const DECLINED_AT_SECONDS: i64 = 1_699_348_500;
const DAY: i64 = 86_400;
/// The default policy's whole chain: 15 soft declines, the last one exhausting it.
const ATTEMPTS: usize = 15;

fn declined_at() -> UtcTimestamp {
    UtcTimestamp::from_unix_seconds(DECLINED_AT_SECONDS).unwrap_or(UtcTimestamp::UNIX_EPOCH)
}

fn new_chain() -> RetryChain {
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
fn answers() -> Vec<(String, String)> {
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

/// Runs a fresh chain to its end: every attempt soft-declined with a retryDate.
fn run_chain(mut chain: RetryChain, answers: &[(String, String)]) -> RetryChain {
    let mut now = chain.due_at().unwrap_or(UtcTimestamp::MAX);
    for (retry_date, reference_data) in answers {
        let attempt = chain.next_attempt(now);
        let response = AttemptResponse::new(ResponseCode::DO_NOT_HONOR)
            .retry_count(attempt.map_or(0, |attempt| attempt.retry_count))
            .retry_date(retry_date)
            .reference_data(reference_data)
            .transaction_id("7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA");
        let _ = black_box(chain.record_response(response, now));
        now = chain.due_at().unwrap_or(now);
    }
    chain
}

fn chain_decisions(c: &mut Criterion) {
    let answers = answers();
    let fresh = new_chain();
    let mut group = c.benchmark_group("retry_chain");
    group.throughput(Throughput::Elements(ATTEMPTS as u64));
    group.bench_function("next_attempt+record_response", |b| {
        b.iter_batched(
            || fresh.clone(),
            |chain| run_chain(chain, black_box(&answers)),
            BatchSize::SmallInput,
        )
    });
    group.finish();

    // The figures mean whole chains only if every pair was a real attempt.
    let finished = run_chain(new_chain(), &answers);
    assert_eq!(finished.status(), ChainStatus::Exhausted);
    assert_eq!(finished.retries_made(), ATTEMPTS as u32);
    let json = finished.to_json();
    let mut group = c.benchmark_group("retry_chain_stored");
    group.throughput(Throughput::Elements(1));
    group.bench_function("to_json", |b| b.iter(|| black_box(&finished).to_json()));
    group.bench_function("from_json", |b| {
        b.iter(|| RetryChain::from_json(black_box(&json)))
    });
    group.finish();
}

fn pure_decide(c: &mut Criterion) {
    let first = declined_at();
    let policy = RetryPolicy::default();
    let codes = [10000, 20003, 20023, 30011, 30080, 40000, 50000, 60000];
    let inputs: Vec<_> = (0..1024u32)
        .map(|i| {
            let code = ResponseCode::new(codes[i as usize % codes.len()])
                .unwrap_or(ResponseCode::APPROVED);
            let retry_date = (i % 3 != 0)
                .then(|| first.checked_add_seconds(i64::from(i % 40) * DAY))
                .flatten();
            (code, retry_date, i % 17)
        })
        .collect();
    let mut group = c.benchmark_group("decide");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("decide", |b| {
        b.iter(|| {
            for &(code, retry_date, retry_count) in black_box(&inputs) {
                black_box(decide(code, retry_date, retry_count, first, policy));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, chain_decisions, pure_decide);
criterion_main!(benches);
