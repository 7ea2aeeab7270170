//! How many retry decisions flexkit makes per second: whole chains (`next_attempt` +
//! `record_response` pairs, `retryDate` parsing included), the pure `decide`, and the stored
//! form a CRM reads and writes between attempts.
//!
//! `cargo bench -p flexkit-core --bench retry -- --warm-up-time 1 --measurement-time 2`

#[path = "common/retry_chain.rs"]
mod common;

use std::hint::black_box;

use common::{answers, declined_at, new_chain, run_chain, ATTEMPTS, DAY};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::retry::{decide, ChainStatus, RetryChain, RetryPolicy};

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
