//! What a recovery attempt costs the sandbox's heap: the request's own strings aside, a retry
//! that echoes what its previous attempt echoed allocates nothing lasting but its merchant
//! transaction id (moved in from the request), and validation allocates nothing. A counting
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

/// Chains of `length` soft declines (2008: do not honour, retried the next day), each
/// attempt echoing the previous `referenceData`. Only the sandbox's calls are counted.
fn chains(count: u32, length: u32) -> Cost {
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
        for attempt in 1..=length {
            let live_before = LIVE.with(Cell::get);
            let request = ChargeRequest::with_card(
                format!("rebill-{chain}-{attempt}"),
                format!("order-{chain}"),
                "USD",
                2008,
                card(),
            )
            .customer("alloc-customer")
            .retry_attempt(attempt, reference.take());
            let allocations_before = ALLOCATIONS.with(Cell::get);
            let receipt = sandbox.submit_charge(&principal, request, now);
            cost.allocations += ALLOCATIONS.with(Cell::get) - allocations_before;
            let receipt = receipt.expect("charge");
            assert_eq!(receipt.response_code.value(), 20003, "{chain}-{attempt}");
            cost.attempts += 1;
            now = receipt.retry_date.expect("retry date");
            // Replaces (frees) the one the request took: net, one string lives between
            // attempts, as in any retry loop.
            reference = receipt.reference_data.map(|r| r.to_string());
            // Whatever the request allocated and the sandbox did not free, it keeps.
            cost.kept += LIVE.with(Cell::get) - live_before;
        }
    }
    cost
}

#[test]
fn a_retry_echoing_the_same_fields_keeps_only_its_merchant_transaction_id() {
    // Warm up: the sandbox's growing tables (records, indexes) reallocate now and then; over
    // many attempts that is a small fraction per attempt.
    let cost = chains(2_000, 8);
    let per_attempt = cost.allocations as f64 / cost.attempts as f64;
    // One shared echo list per chain (1/8 per attempt) and amortized table growth.
    assert!(
        per_attempt < 0.2,
        "{} allocations in {} attempts ({per_attempt:.3} per attempt)",
        cost.allocations,
        cost.attempts
    );
    // The sandbox keeps the merchant transaction id of every attempt and the echoed fields
    // of the first attempt of each chain (10 strings and their list, 11/8 per attempt).
    let kept_per_attempt = cost.kept as f64 / cost.attempts as f64;
    assert!(
        kept_per_attempt < 2.6,
        "{} heap blocks kept for {} attempts ({kept_per_attempt:.2} per attempt)",
        cost.kept,
        cost.attempts
    );
    println!(
        "{per_attempt:.3} allocations by the sandbox and {kept_per_attempt:.2} heap blocks kept \
         per attempt"
    );
}
