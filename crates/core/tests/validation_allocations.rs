//! Validating a correct request must not allocate: validation runs on every keystroke in the
//! portal and on every request in the sandbox. A counting allocator measures it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::payment_method::{CreditCardDetails, GatewayPaymentMethodDetails};
use flexkit_core::flexpay::transaction::{
    CaptureRequest, ChargeRequest, RefundRequest, ShippingAddress, VoidRequest,
};
use flexkit_core::flexpay::validate::{
    validate_capture, validate_charge, validate_refund, validate_void, ValidationContext,
};
use flexkit_core::UtcTimestamp;

struct Counting;

thread_local! {
    // Per thread, so tests running in parallel do not see each other's allocations.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations_during<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let result = work();
    let after = ALLOCATIONS.with(Cell::get);
    (result, after - before)
}

fn context() -> ValidationContext {
    let now = UtcTimestamp::parse_iso8601("2026-11-21T10:00:00Z").expect("timestamp");
    ValidationContext::new(now, Environment::Production)
}

fn card_charge() -> ChargeRequest {
    let card = CreditCardDetails {
        cvv: Some("123".into()),
        first_name: Some("Avery".into()),
        last_name: Some("Quinn".into()),
        address1: Some("1180 Harbour Street".into()),
        postal_code: Some("97205".into()),
        city: Some("Portland".into()),
        state: Some("OR".into()),
        country: Some("US".into()),
        email: Some("avery.quinn@example.com".into()),
        phone_number: Some("+1 503 555 0142".into()),
        ..CreditCardDetails::new("4111111111111111", "09", "2029")
    };
    let mut request = ChargeRequest::with_card("rebill-30418-01", "order-30418", "USD", 2008, card)
        .customer("cust-30418")
        .retry_attempt(2, Some("eyJjaGFpbiI6IjMwNDE4In0=".into()))
        .first_attempted_at("2026-11-19T09:15:00Z");
    request.customer_ip = Some("203.0.113.7".into());
    request.shipping_address = Some(ShippingAddress {
        city: Some("Portland".into()),
        country: Some("US".into()),
        ..ShippingAddress::default()
    });
    request
}

#[test]
fn valid_requests_validate_without_allocating() {
    let ctx = context();
    let charge = card_charge();
    let (validation, allocations) = allocations_during(|| validate_charge(&charge, &ctx));
    assert!(validation.problems().is_empty(), "{validation:?}");
    assert_eq!(allocations, 0, "raw-card charge");

    let vaulted = ChargeRequest::with_vaulted_payment_method(
        "rebill-2",
        "order-2",
        "JPY",
        1200,
        "KQ8ZP2M4C6R1T7VXN3B5D9FHJA",
    );
    let (validation, allocations) = allocations_during(|| validate_charge(&vaulted, &ctx));
    assert!(validation.is_ok());
    assert_eq!(allocations, 0, "vaulted charge");

    let gateway = ChargeRequest::with_gateway_payment_method(
        "rebill-3",
        "order-3",
        "CAD",
        4999,
        GatewayPaymentMethodDetails {
            full_name: Some("Avery Quinn".into()),
            postal_code: Some("K1A 0B1".into()),
            city: Some("Ottawa".into()),
            state: Some("ON".into()),
            last_four_digits: Some("4242".into()),
            ..GatewayPaymentMethodDetails::new("pm_1OaXyZ2eZvKYlo2C")
        },
    )
    .customer("cust-3");
    let (validation, allocations) = allocations_during(|| validate_charge(&gateway, &ctx));
    assert!(validation.problems().is_empty(), "{validation:?}");
    assert_eq!(allocations, 0, "gateway payment method charge");

    let capture = CaptureRequest::partial("cap-1", 2500);
    let void = VoidRequest::new("void-1");
    let refund = RefundRequest::full("refund-1");
    let (_, allocations) = allocations_during(|| {
        (
            validate_capture(&capture, &ctx),
            validate_void(&void, &ctx),
            validate_refund(&refund, &ctx),
        )
    });
    assert_eq!(allocations, 0, "follow-up calls");
}

#[test]
fn problems_do_allocate_so_the_counter_works() {
    let ctx = context();
    let mut charge = card_charge();
    charge.amount = 0;
    let (validation, allocations) = allocations_during(|| validate_charge(&charge, &ctx));
    assert!(!validation.is_ok());
    assert!(allocations > 0);
}
