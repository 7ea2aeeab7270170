//! What a recovery attempt costs the sandbox's heap: the request's own strings aside, a retry
//! that echoes what its previous attempt echoed allocates nothing at all (its merchant
//! transaction id is kept inline, its echoed fields are the previous attempt's block), a
//! payment's first attempt allocates one block for its echoed fields, and validation
//! allocates nothing. Requests given by value and borrowed requests cost the same. A counting
//! allocator measures it, so that a change bringing back per-transaction copies fails here.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::payment_method::CreditCardDetails;
use flexkit_core::flexpay::sandbox::Sandbox;
use flexkit_core::flexpay::test_cards::TEST_CARDS;
use flexkit_core::flexpay::transaction::ChargeRequest;
use flexkit_core::UtcTimestamp;

struct Counting;

thread_local! {
    // Per thread, so tests running in parallel do not see each other's allocations.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        LIVE.with(|live| live.set(live.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.with(|live| live.set(live.get() - 1));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn start() -> UtcTimestamp {
    UtcTimestamp::parse_iso8601("2023-11-08T14:02:51Z").expect("timestamp")
}

/// The bench's card: a valid request, every holder field a separate string.
fn card() -> CreditCardDetails {
    CreditCardDetails {
        full_name: Some("Avery Quinn".into()),
        postal_code: Some("97205".into()),
        city: Some("Portland".into()),
        state: Some("OR".into()),
        email: Some("avery.quinn@example.com".into()),
        ..CreditCardDetails::from_test_card(&TEST_CARDS[0])
    }
}

struct Cost {
    attempts: usize,
    /// Allocations made inside `submit_charge`.
    allocations: usize,
    /// Heap blocks still held once the requests (moved into the sandbox) are gone.
    kept: isize,
}

/// How the requests reach the sandbox.
#[derive(Clone, Copy)]
enum Requests {
    /// A new request per attempt, moved in (`submit_charge`).
    Owned,
    /// One request per chain, updated and lent for each attempt (`submit_charge_ref`).
    Borrowed,
}

/// Chains of `length` soft declines (2012: insufficient funds, retried three days later and
/// never recovered), each attempt echoing the previous `referenceData`. Only the sandbox's
/// calls are counted.
fn chains(count: u32, length: u32, requests: Requests) -> Cost {
    let mut sandbox = Sandbox::new(9);
    let key = sandbox
        .generate_api_key("alloc", "DEFAULT", Environment::Sandbox, start())
        .expect("key")
        .key;
    let principal = sandbox.authenticate(&key).expect("principal");
    let mut cost = Cost {
        attempts: 0,
        allocations: 0,
        kept: 0,
    };
    for chain in 0..count {
        let mut now = start();
        let mut reference: Option<String> = None;
        let mut kept_request =
            ChargeRequest::with_card(String::new(), format!("order-{chain}"), "USD", 2012, card())
                .customer("alloc-customer");
        for attempt in 1..=length {
            let mut live_before = LIVE.with(Cell::get);
            let merchant_transaction_id = format!("rebill-{chain}-{attempt}");
            let (allocations_before, receipt) = match requests {
                Requests::Owned => {
                    let request = ChargeRequest::with_card(
                        merchant_transaction_id,
                        format!("order-{chain}"),
                        "USD",
                        2012,
                        card(),
                    )
                    .customer("alloc-customer")
                    .retry_attempt(attempt, reference.take());
                    let before = ALLOCATIONS.with(Cell::get);
                    (before, sandbox.submit_charge(&principal, request, now))
                }
                Requests::Borrowed => {
                    kept_request.merchant_transaction_id = merchant_transaction_id;
                    kept_request.retry_count = attempt;
                    kept_request.reference_data = reference.take();
                    // The request is the caller's: only what the call leaves behind counts.
                    live_before = LIVE.with(Cell::get);
                    let before = ALLOCATIONS.with(Cell::get);
                    (
                        before,
                        sandbox.submit_charge_ref(&principal, &kept_request, now),
                    )
                }
            };
            cost.allocations += ALLOCATIONS.with(Cell::get) - allocations_before;
            let live_after_call = LIVE.with(Cell::get);
            let receipt = receipt.expect("charge");
            assert_eq!(receipt.response_code.value(), 20023, "{chain}-{attempt}");
            cost.attempts += 1;
            now = receipt.retry_date.expect("retry date");
            // Replaces (frees) the one the request took: net, one string lives between
            // attempts, as in any retry loop.
            reference = receipt.reference_data.map(|r| r.to_string());
            cost.kept += match requests {
                // Whatever the request allocated and the sandbox did not free, it keeps.
                Requests::Owned => LIVE.with(Cell::get) - live_before,
                // The request and the referenceData string stay the caller's.
                Requests::Borrowed => live_after_call - live_before,
            };
        }
    }
    cost
}

fn check(requests: Requests, name: &str) {
    // Warm up: the sandbox's growing tables (records, indexes) reallocate now and then; over
    // many attempts that is a small fraction per attempt.
    let cost = chains(2_000, 8, requests);
    let per_attempt = cost.allocations as f64 / cost.attempts as f64;
    // One echo block per chain (1/8 per attempt) and amortized table growth.
    assert!(
        per_attempt < 0.16,
        "{name}: {} allocations in {} attempts ({per_attempt:.3} per attempt)",
        cost.allocations,
        cost.attempts
    );
    // The sandbox keeps the echo block of the first attempt of each chain (1/8 per attempt)
    // and nothing per retry. By value, each chain's last referenceData string (the caller's,
    // 1/8) is counted too; the rest is the tables' amortized growth.
    let kept_per_attempt = cost.kept as f64 / cost.attempts as f64;
    assert!(
        kept_per_attempt < 0.4,
        "{name}: {} heap blocks kept for {} attempts ({kept_per_attempt:.2} per attempt)",
        cost.kept,
        cost.attempts
    );
    println!(
        "{name}: {per_attempt:.3} allocations by the sandbox and {kept_per_attempt:.2} heap \
         blocks kept per attempt"
    );
}

#[test]
fn a_retry_echoing_the_same_fields_allocates_nothing() {
    check(Requests::Owned, "requests by value");
}

#[test]
fn a_borrowed_request_costs_what_an_owned_one_does() {
    check(Requests::Borrowed, "borrowed requests");
}
