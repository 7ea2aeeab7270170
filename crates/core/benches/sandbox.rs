//! 100 000 recovery chains of 1 to 15 attempts through the sandbox, the way a CRM drives
//! them: each attempt is a charge request echoing the previous `referenceData`, sent at the
//! previous `retryDate`; two chains in three end with an approval, the rest run into a hard
//! decline or the retry limit. A second benchmark lets the sandbox's own scheduler fire the
//! retries (FlexPay Retries).
//!
//! Run: `cargo bench -p flexkit-core --bench sandbox`. Before the criterion runs, one timed
//! pass prints the figures of a single simulation.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;

use flexkit_core::flexpay::account::{AutoRetryStatus, Environment};
use flexkit_core::flexpay::payment_method::CreditCardDetails;
use flexkit_core::flexpay::sandbox::Sandbox;
use flexkit_core::flexpay::test_cards::TEST_CARDS;
use flexkit_core::flexpay::transaction::ChargeRequest;
use flexkit_core::UtcTimestamp;

const CHAINS: u32 = 100_000;
const MAX_ATTEMPTS: u64 = 15;

/// The bench's own stream, so that its choices do not depend on the sandbox's.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % sides
    }
}

fn start() -> UtcTimestamp {
    UtcTimestamp::from_unix_seconds(1_699_452_171).unwrap_or(UtcTimestamp::UNIX_EPOCH)
}

fn card() -> CreditCardDetails {
    CreditCardDetails {
        full_name: Some("Avery Quinn".into()),
        postal_code: Some("97205".into()),
        email: Some("avery.quinn@example.com".into()),
        ..CreditCardDetails::from_test_card(&TEST_CARDS[0])
    }
}

struct Figures {
    attempts: u64,
    recovered: u64,
}

/// Merchant-driven chains (Enterprise integration).
fn merchant_chains(chains: u32) -> Figures {
    let mut sandbox = Sandbox::new(42);
    let key = sandbox
        .generate_api_key("bench", "DEFAULT", Environment::Sandbox, start())
        .map(|generated| generated.key)
        .unwrap_or_default();
    let Ok(principal) = sandbox.authenticate(&key) else {
        return Figures {
            attempts: 0,
            recovered: 0,
        };
    };
    let template = card();
    let mut dice = Dice(7);
    let mut figures = Figures {
        attempts: 0,
        recovered: 0,
    };
    for chain in 0..chains {
        let length = dice.roll(MAX_ATTEMPTS) + 1;
        let ending = dice.roll(3);
        let mut now = start();
        let mut reference: Option<String> = None;
        for attempt in 1..=length {
            let amount = match (attempt == length, ending) {
                (true, 0) => 3016,
                (true, _) => 1999,
                (false, _) => 2008,
            };
            let request = ChargeRequest::with_card(
                format!("rebill-{chain}-{attempt}"),
                format!("order-{chain}"),
                "USD",
                amount,
                template.clone(),
            )
            .customer("bench-customer")
            .retry_attempt(attempt as u32, reference.take());
            let Ok(receipt) = sandbox.submit_charge(&principal, request, now) else {
                break;
            };
            figures.attempts += 1;
            if receipt.response_code.value() == 10000 {
                figures.recovered += 1;
            }
            match (receipt.retry_date, receipt.reference_data) {
                (Some(next), Some(data)) => {
                    now = next;
                    reference = Some(data.to_string());
                }
                _ => break,
            }
        }
    }
    black_box(&sandbox);
    figures
}

/// Chains retried by the sandbox's scheduler (Enterprise with Scheduler).
fn scheduled_chains(chains: u32) -> Figures {
    let mut sandbox = Sandbox::new(43);
    let key = sandbox
        .generate_api_key("bench", "DEFAULT", Environment::Sandbox, start())
        .map(|generated| generated.key)
        .unwrap_or_default();
    let configured = sandbox.add_auto_retry(
        "bench",
        "DEFAULT",
        Environment::Sandbox,
        AutoRetryStatus::Enabled,
        start(),
    );
    let (Ok(principal), Ok(_)) = (sandbox.authenticate(&key), configured) else {
        return Figures {
            attempts: 0,
            recovered: 0,
        };
    };
    let template = card();
    let mut dice = Dice(11);
    for chain in 0..chains {
        let amount = [2008, 2005, 2012, 1999][dice.roll(4) as usize];
        let request = ChargeRequest::with_card(
            format!("rebill-{chain}"),
            format!("order-{chain}"),
            "USD",
            amount,
            template.clone(),
        )
        .customer("bench-customer");
        let _ = sandbox.submit_charge(&principal, request, start());
    }
    let horizon = start()
        .checked_add_seconds(60 * 86_400)
        .unwrap_or(UtcTimestamp::MAX);
    let runs = sandbox.run_due_retries(horizon);
    Figures {
        attempts: u64::from(chains) + runs.len() as u64,
        recovered: runs
            .iter()
            .filter(|run| run.response.response_code.value() == 10000)
            .count() as u64,
    }
}

fn report_once(name: &str, simulate: fn(u32) -> Figures, chains: u32) {
    let begun = Instant::now();
    let figures = simulate(chains);
    let elapsed = begun.elapsed();
    println!(
        "{name}: {chains} chains, {} attempts ({} approved) in {:.3} s ({:.0} ns per attempt)",
        figures.attempts,
        figures.recovered,
        elapsed.as_secs_f64(),
        elapsed.as_nanos() as f64 / figures.attempts.max(1) as f64
    );
}

fn main() {
    // `SANDBOX_BENCH_ONCE=merchant` (or `scheduler`) prints that single pass and stops, for
    // profiling one simulation without criterion around it.
    match std::env::var("SANDBOX_BENCH_ONCE").as_deref() {
        Ok("merchant") => return report_once("merchant-driven", merchant_chains, CHAINS),
        Ok("scheduler") => return report_once("scheduler-driven", scheduled_chains, CHAINS),
        _ => {}
    }
    report_once("merchant-driven", merchant_chains, CHAINS);
    report_once("scheduler-driven", scheduled_chains, CHAINS);
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(12))
        .configure_from_args();
    criterion.bench_function("sandbox/100k merchant-driven recovery chains", |b| {
        b.iter(|| black_box(merchant_chains(CHAINS)))
    });
    criterion.bench_function("sandbox/100k scheduler-driven recovery chains", |b| {
        b.iter(|| black_box(scheduled_chains(CHAINS)))
    });
    criterion.final_summary();
}
