use super::*;
use crate::flexiti::ids::{AccountNumber, MerchantText};
use crate::flexiti::purchase::FinancingOption;

fn at(days: i64, seconds: i64) -> UtcTimestamp {
    UtcTimestamp::from_unix_seconds(1_700_000_000 + days * 86_400 + seconds).unwrap()
}

fn purchase(cents: i64) -> AuthorizationBody {
    AuthorizationBody {
        account_number: AccountNumber::new(1).unwrap(),
        vcc_number: None,
        reference: None,
        financing_option: FinancingOption::PromotionalPurchase {
            plan_id: MerchantText::parse("P", "plan_id").unwrap(),
            term: 12,
        },
        amount: cad(cents),
        auto_capture: false,
        verification_code: None,
        in_store: None,
        sku_data: None,
    }
}

fn good() -> AccountFacts {
    AccountFacts {
        status: AccountStatus::Normal,
        active: true,
        available_credit: cad(100_000),
    }
}

fn errors(violations: &[Violation]) -> Vec<ErrorCode> {
    violations.iter().map(|v| v.error.clone()).collect()
}

#[test]
fn purchases_need_good_standing_and_credit() {
    assert!(check_authorization(&purchase(100_000), &good()).is_empty());
    assert_eq!(
        errors(&check_authorization(&purchase(100_001), &good())),
        [ErrorCode::CreditExceeded]
    );
    for status in [
        AccountStatus::AuthProhibited,
        AccountStatus::Frozen,
        AccountStatus::ChargedOff,
        AccountStatus::Closed,
    ] {
        let facts = AccountFacts { status, ..good() };
        assert_eq!(
            errors(&check_authorization(&purchase(1), &facts)),
            [ErrorCode::UserNotAbleToPurchase]
        );
    }
    // Every problem at once.
    let all = check_authorization(
        &purchase(1),
        &AccountFacts {
            status: AccountStatus::Closed,
            active: false,
            available_credit: cad(-500),
        },
    );
    assert_eq!(
        errors(&all),
        [
            ErrorCode::UserNotActive,
            ErrorCode::UserNotAbleToPurchase,
            ErrorCode::CreditExceeded
        ]
    );
    let validation = to_validation(&all);
    assert_eq!(validation.errors().count(), 3);
    assert_eq!(
        validation.at("amount").unwrap().code,
        code::INSUFFICIENT_CREDIT
    );
}

#[test]
fn captures_and_releases_stay_within_what_remains() {
    let open = AuthorizationFacts {
        open: true,
        remaining: cad(5_000),
    };
    let capture = |cents| CaptureBody {
        amount: cad(cents),
        reference: None,
        store: None,
        sku_data: None,
    };
    assert!(check_capture(&capture(5_000), &open).is_empty());
    assert_eq!(
        errors(&check_capture(&capture(5_001), &open)),
        [ErrorCode::AuthAmountExceeded]
    );
    let closed = AuthorizationFacts {
        open: false,
        remaining: cad(0),
    };
    assert_eq!(
        errors(&check_capture(&capture(1), &closed)),
        [ErrorCode::AuthorizationEnded]
    );
    assert!(check_release(&ReleaseBody::default(), &open).is_empty());
    assert_eq!(
        errors(&check_release(
            &ReleaseBody {
                amount: Some(cad(9_000)),
                ..Default::default()
            },
            &open
        )),
        [ErrorCode::AuthAmountExceeded]
    );
    assert_eq!(
        errors(&check_release(&ReleaseBody::default(), &closed)),
        [ErrorCode::AuthorizationEnded]
    );
}

fn return_of(cents: Option<i64>, full: bool) -> ReturnBody {
    ReturnBody {
        amount: cents.map(cad),
        full_return: full,
        reference: None,
        vcc_number: None,
        sku_data: None,
    }
}

#[test]
fn returns_follow_type_window_and_remaining_rules() {
    let capture = CaptureFacts {
        purchase_type: PurchaseType::PromotionalPurchase,
        captured_at: at(0, 0),
        remaining: cad(10_000),
    };
    assert!(check_return(&return_of(Some(4_000), false), &capture, at(1, 0)).is_empty());
    assert!(check_return(&return_of(None, true), &capture, at(100, 0)).is_empty());
    assert!(check_return(&return_of(Some(10_000), true), &capture, at(100, 0)).is_empty());
    assert_eq!(
        errors(&check_return(&return_of(None, true), &capture, at(100, 1))),
        [ErrorCode::ReturnDateExceeded]
    );
    assert_eq!(
        errors(&check_return(
            &return_of(Some(10_001), false),
            &capture,
            at(1, 0)
        )),
        [ErrorCode::CaptureAmountExceeded]
    );
    assert_eq!(
        errors(&check_return(&return_of(Some(1), true), &capture, at(1, 0))),
        [ErrorCode::WrongInputs]
    );
    let regular = CaptureFacts {
        purchase_type: PurchaseType::RegularPurchase,
        remaining: cad(0),
        ..capture
    };
    assert_eq!(
        errors(&check_return(
            &return_of(Some(1), false),
            &regular,
            at(101, 0)
        )),
        [
            ErrorCode::WrongTransactionType,
            ErrorCode::ReturnDateExceeded,
            ErrorCode::CaptureAmountExceeded
        ]
    );
}

#[test]
fn payments_are_capped_at_ten_thousand_per_24_hours() {
    assert!(check_payment(cad(1_000_000), cad(0)).is_empty());
    assert!(check_payment(cad(400_000), cad(600_000)).is_empty());
    let over = check_payment(cad(400_001), cad(600_000));
    assert_eq!(errors(&over), [ErrorCode::LimitPaymentAmount24]);
    assert!(over[0].message.contains("at most 4000.00 now"));
    assert!(check_payment(cad(1), cad(2_000_000))[0]
        .message
        .contains("at most 0.00"));
    assert_eq!(over[0].to_api_error().status, 409);
}

#[test]
fn regular_purchase_bypass_up_to_200_dollars_and_three_earlier_purchases_a_day() {
    assert!(regular_purchase_bypass_allowed(cad(20_000), 0));
    assert!(!regular_purchase_bypass_allowed(cad(20_001), 0));
    // "≤ 3 regular purchases on the account in the past 24 h": those already made.
    assert!(regular_purchase_bypass_allowed(cad(1), 2));
    assert!(regular_purchase_bypass_allowed(cad(20_000), 3));
    assert!(!regular_purchase_bypass_allowed(cad(1), 4));
    assert!(!regular_purchase_bypass_allowed(cad(20_001), 3));
}

#[test]
fn refunds_stay_within_the_balance_and_the_capture() {
    let refund = |cents: i64, capture_id: Option<u32>| crate::flexiti::RefundBody {
        amount: cad(cents),
        reference: None,
        vcc_number: None,
        capture_id,
        store: None,
        sku_data: None,
    };
    let facts = RefundFacts {
        balance: cad(10_000),
        capture_remaining: None,
    };
    assert!(check_refund(&refund(10_000, None), &facts).is_empty());
    let over = check_refund(&refund(10_001, None), &facts);
    assert_eq!(errors(&over), [ErrorCode::RefundsLimitExceededAmount]);
    assert!(over[0].message.contains("100.00 the account owes"));
    let both = check_refund(
        &refund(6_000, Some(7)),
        &RefundFacts {
            balance: cad(-500),
            capture_remaining: Some(cad(5_000)),
        },
    );
    assert_eq!(both.len(), 2);
    assert!(both[0].message.contains("0.00 the account owes"));
    assert!(both[1].message.contains("capture 7"));
    assert!(to_validation(&both)
        .errors()
        .all(|p| p.code == code::EXCEEDS_REMAINING && p.path == "amount"));
    // Facts about a capture with a request that names none: no capture is made up.
    let unnamed = check_refund(
        &refund(500, None),
        &RefundFacts {
            balance: cad(4_000),
            capture_remaining: Some(cad(400)),
        },
    );
    assert_eq!(unnamed.len(), 1);
    assert_eq!(
        unnamed[0].message,
        "5.00 is more than the 4.00 that remains of the capture after returns and refunds; \
         refund at most that"
    );
    assert!(!unnamed[0].message.contains("capture 0"));
}
