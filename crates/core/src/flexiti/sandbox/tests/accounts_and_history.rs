//! The sandbox's customer search, verify, calculate-interest, refund, history lists,
//! get-authorization and scope checks.

use super::*;
use crate::flexiti::account::{
    AccountVerifyBody, CalculateInterestBody, Rate, VerificationOutcome, VerifyMethod,
};
use crate::flexiti::common::{InStore, QueryRequest};
use crate::flexiti::customer::{CustomerSearchQuery, PostalCode};
use crate::flexiti::history::{AuthorizationDetailQuery, AuthorizationListQuery, CaptureListQuery};
use crate::flexiti::purchase::RefundBody;
use crate::flexiti::CustomerId;
use crate::time::CivilDate;

const BUSINESS: u64 = 10_000_000_000_008;

fn account(number: u64) -> AccountNumber {
    AccountNumber::new(number).unwrap()
}

fn bearer(sandbox: &mut Sandbox, now: UtcTimestamp, scope: Scope) -> String {
    let request = TokenRequest::client_credentials(&sandbox.credentials(), Some(scope));
    format!(
        "Bearer {}",
        sandbox.token(now, &request).unwrap().access_token
    )
}

fn search(first: &str, last: &str, dob: &str, postal: Option<&str>) -> CustomerSearchQuery {
    CustomerSearchQuery {
        first_name: first.into(),
        last_name: last.into(),
        dob: CivilDate::parse(dob).unwrap(),
        postal_code: postal.map(|p| PostalCode::parse(p).unwrap()),
    }
}

fn verify_body(method: VerifyMethod) -> AccountVerifyBody {
    AccountVerifyBody {
        method,
        vcc_number: None,
        request_id: MerchantText::parse("req-1", "request_id").unwrap(),
    }
}

fn question(answer: &str) -> AccountVerifyBody {
    verify_body(VerifyMethod::SecurityQuestion {
        security_qid: "5".into(),
        security_answer: answer.into(),
    })
}

fn refund_of(cents: i64, capture_id: Option<u32>) -> RefundBody {
    RefundBody {
        amount: cad(cents),
        reference: Some("RF-1".into()),
        vcc_number: None,
        capture_id,
        store: None,
        sku_data: None,
    }
}

fn in_store(location: &str) -> InStore {
    InStore {
        request_id: MerchantText::parse("req-1", "request_id").unwrap(),
        external_location_id: MerchantText::parse(location, "external_location_id").unwrap(),
        external_employee_id: MerchantText::parse("E-1", "external_employee_id").unwrap(),
    }
}

/// An in-store purchase on the good-standing account with request `req-1`: the customer must
/// first be verified with that request id ([`verify_request`]).
fn store_purchase(cents: i64, location: &str) -> AuthorizationBody {
    AuthorizationBody {
        verification_code: Some(VerificationCode::parse(TEST_PIN).unwrap()),
        in_store: Some(in_store(location)),
        ..promotional(GOOD, cents)
    }
}

/// `verify` by e-mail for `number` with `request_id`, as the till does before a purchase, with
/// the world's current token (so the ids the sandbox draws are those of a world without it).
fn verify_request(world: &mut World, now: UtcTimestamp, number: u64, request_id: &str) {
    let body = AccountVerifyBody {
        request_id: MerchantText::parse(request_id, "request_id").unwrap(),
        ..verify_body(VerifyMethod::Email)
    };
    assert_eq!(
        world
            .sandbox
            .verify(&ctx(&world.bearer, now), account(number), &body)
            .unwrap()
            .verification_code,
        VerificationOutcome::SentToEmail
    );
}

/// An in-store payment to the good-standing account with request `req-1`.
fn store_payment(cents: i64) -> TransactionBody {
    TransactionBody {
        in_store: Some(in_store("00-12345")),
        ..payment(AccountTransactionType::InstorePayment, cents, TEST_PIN)
    }
}

fn available(sandbox: &Sandbox, bearer: &str, now: UtcTimestamp, number: u64) -> Money {
    let lookup = CustomerLookupQuery {
        key: LookupKey::AccountNumber(account(number)),
        lang: None,
    };
    sandbox
        .lookup(&ctx(bearer, now), &lookup)
        .unwrap()
        .available_credit
}

#[test]
fn customer_search_by_person() {
    let mut sandbox = Sandbox::new(5);
    let merchant = bearer(&mut sandbox, at(0), Scope::Merchant);
    let call = ctx(&merchant, at(1));
    let found = sandbox
        .search(
            &call,
            &search("TEST", "goodstanding", "1980-01-15", Some("m1m 1m1")),
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    let hit = &found[0];
    assert_eq!(
        (
            hit.account_number,
            hit.account_status_reason_code.as_deref(),
            hit.card_ending_in.as_str()
        ),
        (GOOD, Some("NNOR"), "0001")
    );
    assert_eq!(hit.available_credit, cad(500_000));
    // Every field §6.4 documents for an item.
    let json = serde_json::to_value(hit).unwrap();
    for key in [
        "customer_id",
        "account_status",
        "account_status_reason_code",
        "tos_agreement",
        "risk_rating",
        "account_number",
        "customer_account_type",
        "credit_limit",
        "available_credit",
        "originating_merchant_id",
        "originating_merchant_name",
        "creation_date",
        "first_name",
        "last_name",
        "card_ending_in",
        "preferred_language",
    ] {
        assert!(json.get(key).is_some_and(|v| !v.is_null()), "{key}: {json}");
    }
    assert_eq!(json["risk_rating"], "L");
    assert_eq!(json["originating_merchant_id"], 1_000_004_242);
    assert_eq!(json["originating_merchant_name"], "flexkit Demo Store");
    assert_eq!(json["creation_date"], "2021-03-15");
    // Each test account's figures are Flexiti's kinds: a risk rating of its category
    // (reference §8), an opening date before any use.
    for data in TEST_ACCOUNTS {
        let letters = match data.category_type {
            "preferred" => ["L", "M"],
            "premium" => ["H", "X"],
            _ => ["Y", "Z"],
        };
        assert!(letters.contains(&data.risk_rating), "{}", data.purpose);
        assert!(
            CivilDate::parse(data.creation_date).is_ok(),
            "{}",
            data.purpose
        );
    }
    // Accounts in any status are found; the caller checks account_status.
    let frozen = sandbox
        .search(&call, &search("Test", "Frozen", "1968-02-29", None))
        .unwrap();
    assert_eq!(frozen[0].account_status, AccountStatus::Frozen);
    for miss in [
        search("Test", "Goodstanding", "1980-01-16", None),
        search("Test", "Goodstanding", "1980-01-15", Some("H2X1Y4")),
        search("Nobody", "Here", "1980-01-15", None),
    ] {
        assert_eq!(
            sandbox.search(&call, &miss).unwrap_err().code,
            ErrorCode::NotFound
        );
    }
    // A date of birth that is not in the past is refused like Flexiti's wrong_inputs.
    let future = search("Test", "Goodstanding", "2023-11-14", None);
    let error = sandbox.search(&call, &future).unwrap_err();
    assert_eq!(error.code, ErrorCode::WrongInputs);
    assert!(error.message.contains("not_in_past"));
    let customer = bearer(&mut sandbox, at(0), Scope::Customer);
    let refused = sandbox
        .search(
            &ctx(&customer, at(1)),
            &search("Test", "Goodstanding", "1980-01-15", None),
        )
        .unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (403, "insufficient_scope")
    );
}

/// The business account has a primary holder (customer `1000008`, card …0008) and an
/// authorized user (`1000008-00001`, card …0018): every look-up of one of them, and the
/// search by the person, answers that holder's customer id and card ending.
#[test]
fn every_look_up_of_a_holder_answers_its_id_and_card() {
    let mut sandbox = Sandbox::new(5);
    let merchant = bearer(&mut sandbox, at(0), Scope::Merchant);
    let call = ctx(&merchant, at(1));
    let look_up = |key: LookupKey| {
        let found = sandbox
            .lookup(&call, &CustomerLookupQuery { key, lang: None })
            .unwrap();
        assert_eq!(found.account_number, BUSINESS);
        // The account's security question, as the test data gives it.
        let question = found.security_qid.map(|q| q.id);
        assert_eq!(question.as_deref(), Some("4"));
        (found.customer_id, found.card_ending_in.unwrap_or_default())
    };
    assert_eq!(
        crate::flexiti::sandbox::TEST_ACCOUNTS
            .iter()
            .find(|a| a.account_number == BUSINESS)
            .map(|a| a.customer_id),
        Some("1000008"),
        "the test data names the primary holder"
    );
    let by_id = |id: &str| LookupKey::CustomerId(CustomerId::parse(id).unwrap());
    let by_card = |vcc: &str| LookupKey::VccNumber(VccNumber::parse(vcc).unwrap());
    let primary = ("1000008".to_owned(), "0008".to_owned());
    let user = ("1000008-00001".to_owned(), "0018".to_owned());
    assert_eq!(
        look_up(LookupKey::AccountNumber(account(BUSINESS))),
        primary
    );
    assert_eq!(look_up(by_card("6011000000000008")), primary);
    assert_eq!(look_up(by_id("1000008")), primary);
    assert_eq!(look_up(by_card("6011000000000018")), user);
    assert_eq!(look_up(by_id("1000008-00001")), user);
    // Each look-up's answer looks up the same holder again.
    for key in [by_card("6011000000000018"), by_id("1000008")] {
        let (id, card) = look_up(key);
        assert_eq!(look_up(by_id(&id)), (id.clone(), card.clone()));
    }
    // No third holder, and a consumer account's id has no authorized users.
    for missing in ["1000008-00002", "1000008-1", "100000001-00001"] {
        let query = CustomerLookupQuery {
            key: by_id(missing),
            lang: None,
        };
        assert_eq!(
            sandbox.lookup(&call, &query).unwrap_err().code,
            ErrorCode::NotFound,
            "{missing}"
        );
    }
    let good = sandbox
        .lookup(
            &call,
            &CustomerLookupQuery {
                key: by_id("100000001"),
                lang: None,
            },
        )
        .unwrap();
    assert_eq!(
        (good.customer_id.as_str(), good.card_ending_in.as_deref()),
        ("100000001", Some("0001"))
    );
    // The search finds the person the test data describes: the primary holder.
    let found = sandbox
        .search(&call, &search("Test", "Business", "1965-11-11", None))
        .unwrap();
    assert_eq!(
        (
            found[0].customer_id.clone(),
            found[0].card_ending_in.clone()
        ),
        primary
    );
    // A snapshot of an older flexkit keeps the authorized user's id in the account record,
    // a fresh one too: both answer alike.
    let restored = Sandbox::restore(&sandbox.snapshot()).unwrap();
    let again = restored
        .lookup(
            &call,
            &CustomerLookupQuery {
                key: by_id("1000008-00001"),
                lang: None,
            },
        )
        .unwrap();
    assert_eq!(again.card_ending_in.as_deref(), Some("0018"));
}

#[test]
fn verify_formats() {
    let mut sandbox = Sandbox::new(6);
    // Customer scope may verify.
    let token = bearer(&mut sandbox, at(0), Scope::Customer);
    let call = ctx(&token, at(1));
    let good = account(GOOD);
    assert_eq!(
        sandbox
            .verify(&call, good, &verify_body(VerifyMethod::Sms))
            .unwrap()
            .verification_code,
        VerificationOutcome::SentToSms
    );
    assert_eq!(
        sandbox
            .verify(&call, good, &verify_body(VerifyMethod::Email))
            .unwrap()
            .verification_code,
        VerificationOutcome::SentToEmail
    );
    let expect = |sandbox: &mut Sandbox, number: u64, body: AccountVerifyBody, code: ErrorCode| {
        assert_eq!(
            sandbox
                .verify(&call, account(number), &body)
                .unwrap_err()
                .code,
            code
        );
    };
    expect(
        &mut sandbox,
        BUSINESS,
        verify_body(VerifyMethod::Sms),
        ErrorCode::SmsNotValidPhone,
    );
    expect(
        &mut sandbox,
        GOOD,
        verify_body(VerifyMethod::MerchantOverride),
        ErrorCode::MerchantOverrideIsNotAllowed,
    );
    expect(
        &mut sandbox,
        99,
        verify_body(VerifyMethod::Email),
        ErrorCode::NotFound,
    );
    let mut other_card = verify_body(VerifyMethod::Email);
    other_card.vcc_number = Some(VccNumber::parse("6011000000000018").unwrap());
    expect(&mut sandbox, GOOD, other_card.clone(), ErrorCode::NotFound);
    assert!(sandbox
        .verify(&call, account(BUSINESS), &other_card)
        .is_ok());
    let pin = VerificationOutcome::Code(VerificationCode::parse(TEST_PIN).unwrap());
    assert_eq!(
        sandbox
            .verify(&call, good, &question("  blue "))
            .unwrap()
            .verification_code,
        pin
    );
    assert_eq!(
        serde_json::to_string(&sandbox.verify(&call, good, &question("Blue")).unwrap()).unwrap(),
        r#"{"verification_code":2222}"#
    );
    // Three wrong answers, then even the right one is refused for 48 hours.
    for _ in 0..3 {
        expect(
            &mut sandbox,
            GOOD,
            question("Red"),
            ErrorCode::SecretAnswerMismatch,
        );
    }
    expect(&mut sandbox, GOOD, question("Blue"), ErrorCode::TriesExceed);
    let mut wrong_id = question("Blue");
    wrong_id.method = VerifyMethod::SecurityQuestion {
        security_qid: "4".into(),
        security_answer: "Blue".into(),
    };
    expect(&mut sandbox, GOOD, wrong_id, ErrorCode::TriesExceed);
    let later = at(48 * 3600 + 1);
    let token = bearer(&mut sandbox, later, Scope::Customer);
    assert_eq!(
        sandbox
            .verify(&ctx(&token, later), good, &question("Blue"))
            .unwrap()
            .verification_code,
        pin
    );
    // Other accounts are not locked by this one's tries.
    let other = account(10_000_000_000_002);
    let mut toronto = question("toronto");
    toronto.method = VerifyMethod::SecurityQuestion {
        security_qid: "4".into(),
        security_answer: "toronto".into(),
    };
    assert!(sandbox.verify(&call, other, &toronto).is_ok());
    // The attempts are part of the snapshot, and must name known accounts.
    let text = sandbox.snapshot();
    assert_eq!(Sandbox::restore(&text).unwrap(), sandbox);
    let orphan = text.replacen(
        r#""verifications":[{"accountNumber":10000000000001"#,
        r#""verifications":[{"accountNumber":99"#,
        1,
    );
    assert_ne!(orphan, text);
    assert_eq!(
        Sandbox::restore(&orphan).unwrap_err().code(),
        "snapshot_inconsistent"
    );
}

#[test]
fn in_store_calls_need_a_verified_request_id() {
    let mut world = World::new();
    let refused = |result: Result<AuthorizationResponse, ApiError>| {
        let error = result.unwrap_err();
        assert_eq!((error.status, error.code()), (409, "not_verified"));
        error
    };
    // Never verified: the purchase and an in-store payment are refused.
    let error = refused(world.authorize(at(1), &store_purchase(1_000, "00-1")));
    assert!(error.message.contains("req-1"), "{}", error.message);
    assert!(
        error.message.contains("10000000000001"),
        "{}",
        error.message
    );
    let merchant = world.call(at(1)).authorization.to_owned();
    assert_eq!(
        world
            .sandbox
            .transaction(&ctx(&merchant, at(1)), &store_payment(500))
            .unwrap_err()
            .code,
        ErrorCode::NotVerified
    );
    // A wrong PIN is still answered as such: the PIN is checked first.
    let mut wrong_pin = store_purchase(1_000, "00-1");
    wrong_pin.verification_code = Some(VerificationCode::parse("1234").unwrap());
    assert_eq!(
        world.authorize(at(1), &wrong_pin).unwrap_err().code,
        ErrorCode::WrongVerificationCode
    );
    let mut wrong_pin_payment = store_payment(500);
    wrong_pin_payment.verification_code = VerificationCode::parse("1234").unwrap();
    assert_eq!(
        world
            .sandbox
            .transaction(&ctx(&merchant, at(1)), &wrong_pin_payment)
            .unwrap_err()
            .code,
        ErrorCode::WrongVerificationCode
    );
    // Failed verify calls with that request id do not count.
    let token = bearer(&mut world.sandbox, at(2), Scope::Merchant);
    let call = ctx(&token, at(2));
    for body in [question("Red"), verify_body(VerifyMethod::MerchantOverride)] {
        assert!(world.sandbox.verify(&call, account(GOOD), &body).is_err());
    }
    refused(world.authorize(at(3), &store_purchase(1_000, "00-1")));
    // Verified for another account: not for this one.
    verify_request(&mut world, at(4), 10_000_000_000_002, "req-1");
    refused(world.authorize(at(5), &store_purchase(1_000, "00-1")));
    // Nothing was authorized or paid.
    assert_eq!(available(&world.sandbox, &token, at(5), GOOD), cad(500_000));
    // An online purchase has no request id to match.
    assert!(world.authorize(at(5), &promotional(GOOD, 1_000)).is_ok());

    // Verified for this account: the purchase goes through. A refused call does not use the
    // verification up (it can be sent again), a successful one does: one verify, one call.
    verify_request(&mut world, at(6), GOOD, "req-1");
    let over_the_limit = world
        .authorize(at(7), &store_purchase(600_000, "00-1"))
        .unwrap_err();
    assert_ne!(over_the_limit.code, ErrorCode::NotVerified);
    let auth = world
        .authorize(at(7), &store_purchase(1_000, "00-1"))
        .unwrap();
    assert_eq!(auth.authorization_status, "opened");
    let again = refused(world.authorize(at(7), &store_purchase(2_000, "00-1")));
    assert!(
        again.message.contains("already used")
            && again.message.contains("verify the customer again"),
        "{}",
        again.message
    );
    let merchant = world.call(at(8)).authorization.to_owned();
    let payment = world
        .sandbox
        .transaction(&ctx(&merchant, at(8)), &store_payment(500));
    assert_eq!(payment.unwrap_err().code, ErrorCode::NotVerified);
    // A payment needs its own verification too, and spends it.
    verify_request(&mut world, at(8), GOOD, "req-1");
    let merchant = world.call(at(8)).authorization.to_owned();
    assert!(world
        .sandbox
        .transaction(&ctx(&merchant, at(8)), &store_payment(500))
        .is_ok());
    let merchant = world.call(at(8)).authorization.to_owned();
    let payment = world
        .sandbox
        .transaction(&ctx(&merchant, at(8)), &store_payment(500));
    assert_eq!(payment.unwrap_err().code, ErrorCode::NotVerified);
    // Another request id of the same account is not verified.
    let mut other_request = store_purchase(1_000, "00-1");
    other_request.in_store = Some(InStore {
        request_id: MerchantText::parse("req-2", "request_id").unwrap(),
        ..in_store("00-1")
    });
    refused(world.authorize(at(9), &other_request));
    // The verification is checked before the plan and the business rules: a frozen account
    // that was not verified is not_verified; once verified, its standing is the answer.
    let frozen = 10_000_000_000_004;
    let frozen_purchase = AuthorizationBody {
        account_number: account(frozen),
        ..store_purchase(1_000, "00-1")
    };
    refused(world.authorize(at(10), &frozen_purchase));
    verify_request(&mut world, at(10), frozen, "req-1");
    assert_eq!(
        world.authorize(at(11), &frozen_purchase).unwrap_err().code,
        ErrorCode::UserNotAbleToPurchase
    );
    // A business account is verified as a whole: a verify naming one card serves a purchase
    // with the other.
    let token = bearer(&mut world.sandbox, at(12), Scope::Merchant);
    let mut by_card = verify_body(VerifyMethod::Email);
    by_card.request_id = MerchantText::parse("req-b", "request_id").unwrap();
    by_card.vcc_number = Some(VccNumber::parse("6011000000000018").unwrap());
    world
        .sandbox
        .verify(&ctx(&token, at(12)), account(BUSINESS), &by_card)
        .unwrap();
    let business_purchase = AuthorizationBody {
        account_number: account(BUSINESS),
        vcc_number: Some(VccNumber::parse("6011000000000008").unwrap()),
        in_store: Some(InStore {
            request_id: MerchantText::parse("req-b", "request_id").unwrap(),
            ..in_store("00-1")
        }),
        ..store_purchase(1_000, "00-1")
    };
    assert!(world.authorize(at(13), &business_purchase).is_ok());

    // What was verified and what was used survive a snapshot; only successful calls are
    // marked.
    let text = world.sandbox.snapshot();
    assert_eq!(text.matches(r#""verified":true"#).count(), 5);
    assert_eq!(text.matches(r#""used":true"#).count(), 3);
    let mut restored = Sandbox::restore(&text).unwrap();
    assert_eq!(restored, world.sandbox);
    let token = bearer(&mut restored, at(14), Scope::Merchant);
    refused(restored.authorize(&ctx(&token, at(14)), &store_purchase(1_000, "00-1")));
    verify_request(&mut world, at(14), GOOD, "req-1");
    assert!(world
        .authorize(at(14), &store_purchase(1_000, "00-1"))
        .is_ok());
}

#[test]
fn a_bypass_pin_serves_only_regular_purchases() {
    let mut world = World::new();
    let bypass = verify_body(VerifyMethod::RegularPurchaseBypass);
    let token = bearer(&mut world.sandbox, at(1), Scope::Merchant);
    let outcome = world
        .sandbox
        .verify(&ctx(&token, at(1)), account(GOOD), &bypass);
    assert_eq!(
        outcome.unwrap().verification_code,
        VerificationOutcome::Code(VerificationCode::parse(TEST_PIN).unwrap())
    );
    let bypass_only = |result: Result<AuthorizationResponse, ApiError>| {
        let error = result.unwrap_err();
        assert_eq!((error.status, error.code()), (409, "not_verified"));
        assert!(
            error.message.contains("regular_purchase_bypass"),
            "{}",
            error.message
        );
    };
    // A promotional purchase with the bypass PIN is refused, after the PIN itself is checked.
    bypass_only(world.authorize(at(2), &store_purchase(1_000, "00-1")));
    let mut wrong_pin = store_purchase(1_000, "00-1");
    wrong_pin.verification_code = Some(VerificationCode::parse("1234").unwrap());
    assert_eq!(
        world.authorize(at(2), &wrong_pin).unwrap_err().code,
        ErrorCode::WrongVerificationCode
    );
    // So is every transaction: none of them is a regular purchase.
    let merchant = world.call(at(3)).authorization.to_owned();
    for kind in [
        AccountTransactionType::InstorePayment,
        AccountTransactionType::Deposit,
        AccountTransactionType::Tradein,
    ] {
        let body = TransactionBody {
            transaction_type: kind,
            ..store_payment(500)
        };
        let error = world
            .sandbox
            .transaction(&ctx(&merchant, at(3)), &body)
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::NotVerified);
        assert!(error.message.contains("regular_purchase_bypass"));
    }
    // Nothing was authorized or paid.
    assert_eq!(
        available(&world.sandbox, &merchant, at(3), GOOD),
        cad(500_000)
    );
    // A regular purchase above $200 is past what the bypass allows.
    let above = AuthorizationBody {
        financing_option: FinancingOption::RegularPurchase,
        ..store_purchase(20_001, "00-1")
    };
    let error = world.authorize(at(4), &above).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotVerified);
    assert!(error.message.contains("at most $200"), "{}", error.message);
    // A regular purchase within it goes through.
    let regular = AuthorizationBody {
        financing_option: FinancingOption::RegularPurchase,
        ..store_purchase(5_000, "00-1")
    };
    assert!(world.authorize(at(4), &regular).is_ok());

    // The restriction survives a snapshot: the record keeps the format.
    let text = world.sandbox.snapshot();
    assert!(text.contains(r#""format":"regular_purchase_bypass","wrongAnswer":false"#));
    let mut restored = Sandbox::restore(&text).unwrap();
    let token = bearer(&mut restored, at(5), Scope::Merchant);
    let error = restored
        .authorize(&ctx(&token, at(5)), &store_purchase(1_000, "00-1"))
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotVerified);

    // The same request id verified by e-mail too serves any one call, as other formats do.
    verify_request(&mut world, at(6), GOOD, "req-1");
    assert!(world
        .authorize(at(7), &store_purchase(1_000, "00-1"))
        .is_ok());
    verify_request(&mut world, at(8), GOOD, "req-1");
    let merchant = world.call(at(8)).authorization.to_owned();
    assert!(world
        .sandbox
        .transaction(&ctx(&merchant, at(8)), &store_payment(500))
        .is_ok());
    // Another request id verified only by the bypass: a promotional purchase with it is
    // not_verified, whichever way the PIN was typed.
    let token = bearer(&mut world.sandbox, at(9), Scope::Merchant);
    let mut other = bypass.clone();
    other.request_id = MerchantText::parse("req-2", "request_id").unwrap();
    assert!(world
        .sandbox
        .verify(&ctx(&token, at(9)), account(GOOD), &other)
        .is_ok());
    let mut promotional_2 = store_purchase(1_000, "00-1");
    promotional_2.in_store = Some(InStore {
        request_id: MerchantText::parse("req-2", "request_id").unwrap(),
        ..in_store("00-1")
    });
    bypass_only(world.authorize(at(10), &promotional_2));
}

#[test]
fn regular_purchase_bypass_and_calculate_interest() {
    let mut world = World::new();
    let token = bearer(&mut world.sandbox, at(0), Scope::Customer);
    let quote = world
        .sandbox
        .calculate_interest(
            &ctx(&token, at(1)),
            account(GOOD),
            &CalculateInterestBody {
                amount: cad(100_000),
            },
        )
        .unwrap();
    assert_eq!(quote.customer.available_credit, cad(500_000));
    assert_eq!(quote.customer.air, Rate::parse("0.2999").unwrap());
    assert_eq!(quote.customer.category_type, "preferred");
    assert_eq!(quote.regular_purchase.term_amount, cad(3_000));
    assert!(!quote.regular_purchase.verify, "above $200");
    let terms: Vec<(String, u16, Money)> = quote
        .promotional_purchase
        .iter()
        .flat_map(|plan| {
            plan.terms
                .iter()
                .map(|t| (plan.plan_id.clone(), t.term, t.term_amount))
        })
        .collect();
    assert_eq!(
        terms,
        [
            ("EMP-EQUAL".to_owned(), 6, cad(16_667)),
            ("EMP-EQUAL".to_owned(), 12, cad(8_334)),
            ("EMP-EQUAL".to_owned(), 24, cad(4_167)),
            ("DEF-NOINT".to_owned(), 6, cad(100_000)),
            ("DEF-NOINT".to_owned(), 12, cad(100_000)),
        ]
    );
    assert!(quote.promotional_purchase[0].plan_name.is_some());
    let small = CalculateInterestBody {
        amount: cad(20_000),
    };
    let quote_at = |sandbox: &Sandbox, now: UtcTimestamp, token: &str| {
        sandbox
            .calculate_interest(&ctx(token, now), account(GOOD), &small)
            .unwrap()
    };
    assert!(
        quote_at(&world.sandbox, at(1), &token)
            .regular_purchase
            .verify
    );
    // "≤ 3 regular purchases on the account in the past 24 h": after two and after three
    // the bypass still applies; after four it no longer does. The quote shows the holds.
    let mut regular = promotional(GOOD, 5_000);
    regular.financing_option = FinancingOption::RegularPurchase;
    let bypass = verify_body(VerifyMethod::RegularPurchaseBypass);
    for (second, made) in (2..6).zip(1..) {
        world.authorize(at(second), &regular).unwrap();
        let now = at(second);
        let token = bearer(&mut world.sandbox, now, Scope::Customer);
        let applies = quote_at(&world.sandbox, now, &token)
            .regular_purchase
            .verify;
        let verified = world
            .sandbox
            .verify(&ctx(&token, now), account(GOOD), &bypass);
        assert_eq!(applies, made <= 3, "after {made}");
        assert_eq!(verified.is_ok(), made <= 3, "after {made}");
        if made == 4 {
            let error = verified.unwrap_err();
            assert_eq!(error.code, ErrorCode::RegularPurchaseBypassIsNotAllowed);
            assert_eq!(error.message, error.code.message());
            assert!(error
                .code
                .message()
                .contains("more than 3 regular purchases in 24 h"));
        }
    }
    let token = bearer(&mut world.sandbox, at(10), Scope::Customer);
    let quote = quote_at(&world.sandbox, at(10), &token);
    assert!(!quote.regular_purchase.verify);
    assert_eq!(quote.customer.available_credit, cad(480_000));
    let next_day = at(DAY + 5);
    let token = bearer(&mut world.sandbox, next_day, Scope::Customer);
    assert!(
        quote_at(&world.sandbox, next_day, &token)
            .regular_purchase
            .verify
    );
    assert!(world
        .sandbox
        .verify(
            &ctx(&token, next_day),
            account(GOOD),
            &verify_body(VerifyMethod::RegularPurchaseBypass)
        )
        .is_ok());
    assert_eq!(
        world
            .sandbox
            .calculate_interest(&ctx(&token, next_day), account(99), &small)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
}

#[test]
fn refunds_keep_balances_captures_and_returns_consistent() {
    let mut world = World::new();
    let auth = world.authorize(at(0), &promotional(GOOD, 60_000)).unwrap();
    let merchant = world.bearer.clone();
    let sandbox = &mut world.sandbox;
    let capture = sandbox
        .capture(&ctx(&merchant, at(1)), auth.id(), &capture_of(60_000))
        .unwrap();
    assert_eq!(available(sandbox, &merchant, at(1), GOOD), cad(440_000));
    let good = account(GOOD);
    let call = ctx(&merchant, at(2));
    assert_eq!(
        sandbox
            .refund(&call, good, &refund_of(20_000, Some(capture.capture_id)))
            .unwrap(),
        RefundResponse {}
    );
    assert_eq!(available(sandbox, &merchant, at(2), GOOD), cad(460_000));
    // The facts a form checks a refund against before sending it.
    let facts = sandbox
        .refund_facts(&call, good, Some(capture.capture_id))
        .unwrap();
    assert_eq!(
        (facts.balance, facts.capture_remaining),
        (cad(40_000), Some(cad(40_000)))
    );
    assert_eq!(
        rules::check_refund(&refund_of(40_001, None), &facts)[0].error,
        ErrorCode::RefundsLimitExceededAmount
    );
    assert_eq!(
        sandbox
            .refund_facts(&call, good, None)
            .unwrap()
            .capture_remaining,
        None
    );
    for (number, capture_id) in [(BUSINESS, Some(capture.capture_id)), (GOOD, Some(1))] {
        assert_eq!(
            sandbox
                .refund_facts(&call, account(number), capture_id)
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
    }
    let customer = bearer(sandbox, at(2), Scope::Customer);
    assert_eq!(
        sandbox
            .refund_facts(&ctx(&customer, at(2)), good, None)
            .unwrap_err()
            .code,
        ErrorCode::InsufficientScope
    );
    // More than the capture has left, more than is owed, unknown captures, foreign cards.
    for (body, code) in [
        (
            refund_of(40_001, Some(capture.capture_id)),
            ErrorCode::RefundsLimitExceededAmount,
        ),
        (
            refund_of(40_001, None),
            ErrorCode::RefundsLimitExceededAmount,
        ),
        (refund_of(1, Some(1)), ErrorCode::NotFound),
    ] {
        assert_eq!(sandbox.refund(&call, good, &body).unwrap_err().code, code);
    }
    let error = sandbox
        .refund(&call, good, &refund_of(40_001, None))
        .unwrap_err();
    assert_eq!(
        (error.status, error.code()),
        (409, "refunds_limit_exceeded_amount")
    );
    let mut foreign_card = refund_of(1, None);
    foreign_card.vcc_number = Some(VccNumber::parse("6011000000000008").unwrap());
    assert_eq!(
        sandbox.refund(&call, good, &foreign_card).unwrap_err().code,
        ErrorCode::VccAccountMismatch
    );
    // The capture belongs to another account.
    assert_eq!(
        sandbox
            .refund(
                &call,
                account(BUSINESS),
                &refund_of(1, Some(capture.capture_id))
            )
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    // What was refunded can no longer be returned.
    let over = sandbox
        .return_capture(
            &call,
            auth.id(),
            capture.id(),
            &return_of(Some(40_001), false),
        )
        .unwrap_err();
    assert_eq!(over.code, ErrorCode::CaptureAmountExceeded);
    let full = sandbox
        .return_capture(&call, auth.id(), capture.id(), &return_of(None, true))
        .unwrap();
    assert_eq!(
        (full.amount, full.remaining_capture_amount),
        (cad(40_000), cad(0))
    );
    assert_eq!(available(sandbox, &merchant, at(2), GOOD), cad(500_000));
    let listed = sandbox
        .captures(&call, &CaptureListQuery::default())
        .unwrap();
    let item = &listed.items[0];
    assert_eq!(
        (
            item.returned_amount,
            item.refunded_amount,
            item.remaining_capture_amount
        ),
        (cad(40_000), cad(20_000), cad(0))
    );
    // Nothing is owed any more.
    assert_eq!(
        sandbox
            .refund(&call, good, &refund_of(1, None))
            .unwrap_err()
            .code,
        ErrorCode::RefundsLimitExceededAmount
    );
    // Idempotent replays do not refund twice.
    let payment_call = ctx(&merchant, at(3));
    sandbox
        .transaction(
            &payment_call,
            &payment(AccountTransactionType::Deposit, 10_000, TEST_PIN),
        )
        .unwrap();
    let key = Idempotency::new("refund-1", None).unwrap();
    let keyed = CallContext {
        idempotency: Some(&key),
        ..payment_call
    };
    sandbox
        .refund(&keyed, good, &refund_of(6_000, None))
        .unwrap();
    sandbox
        .refund(&keyed, good, &refund_of(6_000, None))
        .unwrap();
    assert_eq!(available(sandbox, &merchant, at(3), GOOD), cad(496_000));
    let restored = Sandbox::restore(&sandbox.snapshot()).unwrap();
    assert_eq!(&restored, &*sandbox);
}

#[test]
fn a_till_can_read_where_a_request_id_stands() {
    let mut world = World::new();
    let state = |world: &World, number: u64| world.sandbox.request_verification(number, "req-1");
    assert_eq!(state(&world, GOOD), RequestVerification::NotVerified);
    verify_request(&mut world, at(1), 10_000_000_000_002, "req-1");
    assert_eq!(
        state(&world, GOOD),
        RequestVerification::OtherAccount(10_000_000_000_002)
    );
    verify_request(&mut world, at(2), GOOD, "req-1");
    assert_eq!(
        state(&world, GOOD),
        RequestVerification::Verified { bypass_only: false }
    );
    // Verified twice before the purchase: still one call.
    verify_request(&mut world, at(2), GOOD, "req-1");
    world
        .authorize(at(3), &store_purchase(1_000, "00-1"))
        .unwrap();
    assert_eq!(state(&world, GOOD), RequestVerification::Used);
    let again = world.authorize(at(3), &store_purchase(1_000, "00-1"));
    assert_eq!(again.unwrap_err().code, ErrorCode::NotVerified);
    // Verified again only with the bypass: it serves a regular purchase only.
    let token = world.call(at(4)).authorization.to_owned();
    let bypass = AccountVerifyBody {
        request_id: MerchantText::parse("req-1", "request_id").unwrap(),
        ..verify_body(VerifyMethod::RegularPurchaseBypass)
    };
    world
        .sandbox
        .verify(&ctx(&token, at(4)), account(GOOD), &bypass)
        .unwrap();
    assert_eq!(
        state(&world, GOOD),
        RequestVerification::Verified { bypass_only: true }
    );
}

#[test]
fn history_lists_filter_by_store_and_date_and_page() {
    let mut world = World::new();
    // Five authorizations over three days in two stores, each verified (a second apart, so
    // the lists' order does not rest on the ids drawn), and one online.
    let mut ids = Vec::new();
    for (i, (day, location)) in [
        (0, "00-1"),
        (0, "00-2"),
        (1, "00-1"),
        (2, "00-1"),
        (2, "00-2"),
    ]
    .into_iter()
    .enumerate()
    {
        let second = i64::try_from(i).unwrap();
        world.call(at(day * DAY + 30 + second));
        verify_request(&mut world, at(day * DAY + 30 + second), GOOD, "req-1");
        let auth = world
            .authorize(
                at(day * DAY + 60 + second),
                &store_purchase(1_000, location),
            )
            .unwrap();
        ids.push(auth.id());
    }
    let online = world
        .authorize(at(2 * DAY + 120), &promotional(GOOD, 2_000))
        .unwrap();
    let merchant = world.call(at(2 * DAY + 200)).authorization.to_owned();
    let sandbox = &mut world.sandbox;
    let now = at(2 * DAY + 200);
    let call = ctx(&merchant, now);
    // Captures: two in store 00-1 (one inherits it, one names it), one online.
    sandbox.capture(&call, ids[0], &capture_of(500)).unwrap();
    let mut named = capture_of(300);
    named.store = Some(crate::flexiti::Store {
        external_location_id: MerchantText::parse("00-9", "external_location_id").unwrap(),
        external_employee_id: MerchantText::parse("E-2", "external_employee_id").unwrap(),
    });
    sandbox.capture(&call, ids[2], &named).unwrap();
    sandbox
        .capture(&call, online.id(), &capture_of(2_000))
        .unwrap();
    sandbox
        .release(&call, ids[4], &ReleaseBody::default())
        .unwrap();

    let list = |query: &str| {
        let (query, _) = AuthorizationListQuery::from_query(query).unwrap();
        sandbox.authorizations(&call, &query).unwrap()
    };
    let all = list("");
    assert_eq!(
        (all.total_count, all.total_pages, all.items.len()),
        (6, 1, 6)
    );
    assert_eq!(all.items[0].authorization_id, ids[0].number());
    let store_1 = list("external_location_id=00-1");
    assert_eq!(
        store_1
            .items
            .iter()
            .map(|a| a.authorization_id)
            .collect::<Vec<_>>(),
        [ids[0].number(), ids[2].number(), ids[3].number()]
    );
    let day_2 = format!(
        "creation_date_from={0}&creation_date_to={0}",
        at(2 * DAY).date()
    );
    assert_eq!(list(&day_2).total_count, 3);
    assert_eq!(
        list(&format!("{day_2}&external_location_id=00-2")).total_count,
        1
    );
    assert_eq!(
        list("authorization_status=closed").items[0].authorization_id,
        ids[4].number()
    );
    assert_eq!(list("authorization_status=closed").items.len(), 2);
    assert_eq!(list("transaction_type=regular_purchase").total_count, 0);
    assert_eq!(list(&format!("account_number={BUSINESS}")).total_count, 0);
    // Paging: 6 items, 4 a page.
    let first = list("page_size=4");
    let second = list("page_size=4&page_number=2");
    let past = list("page_size=4&page_number=3");
    assert_eq!(
        (first.items.len(), second.items.len(), past.items.len()),
        (4, 2, 0)
    );
    assert_eq!((first.total_pages, past.total_count), (2, 6));
    assert_eq!(second.items[1].authorization_id, online.authorization_id);
    assert_eq!(first.page_size, 4);

    let captures = |query: &str| {
        let (query, _) = CaptureListQuery::from_query(query).unwrap();
        sandbox.captures(&call, &query).unwrap()
    };
    assert_eq!(captures("").total_count, 3);
    let store_1 = captures("external_location_id=00-1");
    assert_eq!(store_1.items.len(), 1);
    assert_eq!(store_1.items[0].authorization_id, ids[0].number());
    assert_eq!(
        captures("external_location_id=00-9").items[0].amount,
        cad(300)
    );
    assert_eq!(captures("creation_date_to=2023-11-13").total_count, 0);
    assert_eq!(
        captures(&format!("creation_date_from={}", now.date())).total_count,
        3
    );
    // The three captures share an instant, so they are listed by id: page 3 of one is the
    // list's third.
    assert_eq!(
        captures("page_size=1&page_number=3").items,
        captures("").items[2..]
    );

    // Invalid queries are wrong_inputs; a typed query is checked too.
    let reversed = CaptureListQuery {
        dates: crate::flexiti::CreationDates {
            creation_date_from: Some(now.date()),
            creation_date_to: Some(at(0).date()),
        },
        ..Default::default()
    };
    let error = sandbox.captures(&call, &reversed).unwrap_err();
    assert_eq!(error.code, ErrorCode::WrongInputs);
    assert!(error.message.contains("range_reversed"));
}

#[test]
fn get_authorization_shows_remaining_amounts_and_captures() {
    let mut world = World::new();
    verify_request(&mut world, at(0), GOOD, "req-1");
    let auth = world
        .authorize(at(0), &store_purchase(10_000, "00-5"))
        .unwrap();
    let merchant = world.bearer.clone();
    let sandbox = &mut world.sandbox;
    let call = ctx(&merchant, at(1));
    let first = sandbox
        .capture(&call, auth.id(), &capture_of(3_000))
        .unwrap();
    let second = sandbox
        .capture(&call, auth.id(), &capture_of(2_000))
        .unwrap();
    sandbox
        .release(
            &call,
            auth.id(),
            &ReleaseBody {
                amount: Some(cad(1_000)),
                ..Default::default()
            },
        )
        .unwrap();
    let detail = sandbox
        .authorization_detail(&call, auth.id(), &AuthorizationDetailQuery::default())
        .unwrap();
    assert_eq!(
        (
            detail.amount,
            detail.captured_amount,
            detail.released_amount,
            detail.remaining_authorization_amount
        ),
        (cad(10_000), cad(5_000), cad(1_000), cad(4_000))
    );
    assert_eq!(
        detail.authorization_status,
        crate::flexiti::AuthorizationStatus::Opened
    );
    assert_eq!(detail.capture_ids, [first.capture_id, second.capture_id]);
    assert_eq!(detail.external_location_id.as_deref(), Some("00-5"));
    assert_eq!(detail.plan_id.as_deref(), Some("EMP-EQUAL"));
    sandbox
        .release(&call, auth.id(), &ReleaseBody::default())
        .unwrap();
    let closed = sandbox
        .authorization_detail(&call, auth.id(), &AuthorizationDetailQuery::default())
        .unwrap();
    assert_eq!(
        closed.authorization_status,
        crate::flexiti::AuthorizationStatus::Closed
    );
    assert_eq!(closed.remaining_authorization_amount, cad(0));
    for missing in [
        AuthorizationId::new(Environment::Production, auth.authorization_id),
        AuthorizationId::new(Environment::Training, 1),
    ] {
        assert_eq!(
            sandbox
                .authorization_detail(&call, missing, &AuthorizationDetailQuery::default())
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
    }
}

#[test]
fn customer_scope_tokens_get_403_on_merchant_endpoints() {
    let mut world = World::new();
    let auth = world.authorize(at(0), &promotional(GOOD, 1_000)).unwrap();
    let sandbox = &mut world.sandbox;
    let customer = bearer(sandbox, at(1), Scope::Customer);
    let call = ctx(&customer, at(2));
    let lookup = CustomerLookupQuery {
        key: LookupKey::CustomerId(CustomerId::parse("100000001").unwrap()),
        lang: None,
    };
    let refusals = [
        sandbox.lookup(&call, &lookup).map(drop),
        sandbox.capture(&call, auth.id(), &capture_of(1)).map(drop),
        sandbox
            .release(&call, auth.id(), &ReleaseBody::default())
            .map(drop),
        sandbox
            .refund(&call, account(GOOD), &refund_of(1, None))
            .map(drop),
        sandbox
            .transaction(
                &call,
                &payment(AccountTransactionType::Tradein, 1, TEST_PIN),
            )
            .map(drop),
        sandbox
            .authorizations(&call, &AuthorizationListQuery::default())
            .map(drop),
        sandbox
            .captures(&call, &CaptureListQuery::default())
            .map(drop),
        sandbox
            .authorization_detail(&call, auth.id(), &AuthorizationDetailQuery::default())
            .map(drop),
    ];
    for refusal in refusals {
        let error = refusal.unwrap_err();
        assert_eq!((error.status, error.code()), (403, "insufficient_scope"));
        assert!(error.message.contains("Insufficient scope"));
    }
    // Nothing changed, and the customer-facing endpoints still work with that token.
    let merchant = bearer(sandbox, at(3), Scope::Merchant);
    assert_eq!(available(sandbox, &merchant, at(3), GOOD), cad(499_000));
    assert!(sandbox.authorize(&call, &promotional(GOOD, 1_000)).is_ok());
    assert!(sandbox
        .calculate_interest(
            &call,
            account(GOOD),
            &CalculateInterestBody { amount: cad(1) }
        )
        .is_ok());
}

/// A snapshot written before refunds, verify attempts and stores were recorded (schema 1).
const VERSION_1: &str = include_str!("../snapshot_v1.json");

#[test]
fn a_version_1_snapshot_still_loads() {
    assert!(VERSION_1.starts_with(r#"{"schemaVersion":1,"#));
    let mut sandbox = Sandbox::restore(VERSION_1).unwrap();
    let text = sandbox.snapshot();
    assert!(text.starts_with(r#"{"schemaVersion":5,"#));
    assert_eq!(Sandbox::restore(&text).unwrap(), sandbox);
    // Balance 40.00 captured - 10.00 returned - 5.00 paid; 60.00 still held.
    let merchant = bearer(&mut sandbox, at(10), Scope::Merchant);
    let call = ctx(&merchant, at(10));
    assert_eq!(available(&sandbox, &merchant, at(10), GOOD), cad(491_500));
    let authorizations = sandbox
        .authorizations(&call, &AuthorizationListQuery::default())
        .unwrap();
    assert_eq!(authorizations.total_count, 1);
    let old = &authorizations.items[0];
    assert_eq!(old.external_location_id, None);
    assert_eq!(old.remaining_authorization_amount, cad(6_000));
    let capture_id = old.capture_ids[0];
    sandbox
        .refund(&call, account(GOOD), &refund_of(1_000, Some(capture_id)))
        .unwrap();
    let captures = sandbox
        .captures(&call, &CaptureListQuery::default())
        .unwrap();
    assert_eq!(captures.items[0].remaining_capture_amount, cad(2_000));
    assert_eq!(available(&sandbox, &merchant, at(10), GOOD), cad(492_500));
    // A version 2 snapshot with a refund the version 1 reader would not know.
    assert!(Sandbox::restore(&sandbox.snapshot()).is_ok());
    let broken =
        sandbox
            .snapshot()
            .replacen("\"refundedCents\":1000", "\"refundedCents\":99999", 1);
    assert_eq!(
        Sandbox::restore(&broken).unwrap_err().code(),
        "snapshot_inconsistent"
    );
}

/// A snapshot written before successful `verify` calls were marked (schema 2): `till-1` was
/// verified by e-mail for the good-standing account, then answered wrongly once by security
/// question, and an in-store purchase of 100.00 was made with it and 40.00 captured.
const VERSION_2: &str = include_str!("../snapshot_v2.json");

#[test]
fn a_version_2_snapshot_still_loads() {
    assert!(VERSION_2.starts_with(r#"{"schemaVersion":2,"#));
    assert!(!VERSION_2.contains("verified"));
    let mut sandbox = Sandbox::restore(VERSION_2).unwrap();
    let text = sandbox.snapshot();
    assert!(text.starts_with(r#"{"schemaVersion":5,"#));
    assert_eq!(Sandbox::restore(&text).unwrap(), sandbox);
    let merchant = bearer(&mut sandbox, at(10), Scope::Merchant);
    let call = ctx(&merchant, at(10));
    assert_eq!(available(&sandbox, &merchant, at(10), GOOD), cad(490_000));
    // The old attempts are kept: the wrong answer still counts towards the lockout...
    for _ in 0..2 {
        let mut wrong = question("Red");
        wrong.request_id = MerchantText::parse("till-2", "request_id").unwrap();
        assert_eq!(
            sandbox
                .verify(&call, account(GOOD), &wrong)
                .unwrap_err()
                .code,
            ErrorCode::SecretAnswerMismatch
        );
    }
    assert_eq!(
        sandbox
            .verify(&call, account(GOOD), &question("Blue"))
            .unwrap_err()
            .code,
        ErrorCode::TriesExceed
    );
    // ...but none is marked as verified, so the request is verified again before a purchase.
    let purchase = AuthorizationBody {
        in_store: Some(InStore {
            request_id: MerchantText::parse("till-1", "request_id").unwrap(),
            ..in_store("00-12345")
        }),
        ..store_purchase(1_000, "00-12345")
    };
    assert_eq!(
        sandbox.authorize(&call, &purchase).unwrap_err().code,
        ErrorCode::NotVerified
    );
    let mut again = verify_body(VerifyMethod::Sms);
    again.request_id = MerchantText::parse("till-1", "request_id").unwrap();
    sandbox.verify(&call, account(GOOD), &again).unwrap();
    assert!(sandbox.authorize(&call, &purchase).is_ok());
    assert_eq!(available(&sandbox, &merchant, at(10), GOOD), cad(489_000));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn arbitrary_sequences_stay_consistent(
            steps in prop::collection::vec((0u8..8, 1i64..300_000, 0i64..5, 0u8..3), 1..14)
        ) {
            let mut world = World::new();
            verify_request(&mut world, at(0), GOOD, "req-1");
            let mut last: Option<(AuthorizationId, Option<u32>)> = None;
            for (kind, cents, days, store) in steps {
                let now = at(days * DAY);
                let token = bearer(&mut world.sandbox, now, Scope::Merchant);
                let call = ctx(&token, now);
                let location = ["00-1", "00-2", "00-3"][usize::from(store)];
                let sandbox = &mut world.sandbox;
                match (kind, last) {
                    (0, _) => {
                        if let Ok(auth) = sandbox.authorize(&call, &store_purchase(cents, location)) {
                            last = Some((auth.id(), None));
                        }
                    }
                    (1, Some((auth, _))) => {
                        if let Ok(capture) = sandbox.capture(&call, auth, &capture_of(cents)) {
                            last = Some((auth, Some(capture.capture_id)));
                        }
                    }
                    (2, Some((auth, _))) => { let _ = sandbox.release(&call, auth, &ReleaseBody::default()); }
                    (3, Some((auth, Some(capture)))) => {
                        let _ = sandbox.return_capture(&call, auth, CaptureId::new(Environment::Training, capture), &return_of(Some(cents), false));
                    }
                    (4, Some((_, capture))) => {
                        let _ = sandbox.refund(&call, account(GOOD), &refund_of(cents, capture));
                    }
                    (5, _) => {
                        let _ = sandbox.verify(&call, account(GOOD), &question(if cents % 2 == 0 { "Blue" } else { "Red" }));
                    }
                    _ => {
                        let _ = sandbox.transaction(&call, &payment(AccountTransactionType::InstorePayment, cents, TEST_PIN));
                    }
                }
                // The lists agree with the account: what is held is what remains authorized.
                let all = sandbox.authorizations(&call, &AuthorizationListQuery { page: crate::flexiti::Page { page_number: None, page_size: Some(100) }, ..Default::default() }).unwrap();
                for item in &all.items {
                    let parts = item.captured_amount.minor_units()
                        + item.released_amount.minor_units()
                        + item.remaining_authorization_amount.minor_units();
                    prop_assert_eq!(parts, item.amount.minor_units());
                    prop_assert!(item.remaining_authorization_amount.minor_units() >= 0);
                }
                let captures = sandbox.captures(&call, &CaptureListQuery { page: crate::flexiti::Page { page_number: None, page_size: Some(100) }, ..Default::default() }).unwrap();
                for capture in &captures.items {
                    let parts = capture.returned_amount.minor_units()
                        + capture.refunded_amount.minor_units()
                        + capture.remaining_capture_amount.minor_units();
                    prop_assert_eq!(parts, capture.amount.minor_units());
                    prop_assert!(capture.remaining_capture_amount.minor_units() >= 0);
                }
                let per_store: u64 = ["00-1", "00-2", "00-3"].iter().map(|store| {
                    let (query, _) = AuthorizationListQuery::from_query(&format!("external_location_id={store}&page_size=100")).unwrap();
                    sandbox.authorizations(&call, &query).unwrap().total_count
                }).sum();
                prop_assert_eq!(per_store, all.total_count);
            }
            let text = world.sandbox.snapshot();
            let restored = Sandbox::restore(&text).unwrap();
            prop_assert_eq!(restored.snapshot(), text);
        }
    }
}

/// A snapshot written before the numbers beyond 2^53 became strings (schema 3): `req-1`
/// verified by e-mail for the good-standing account, then an in-store purchase of 100.00
/// made with it and 40.00 captured.
const VERSION_3: &str = include_str!("../snapshot_v3.json");

#[test]
fn a_version_3_snapshot_still_loads() {
    use crate::u64_text::testing::as_numbers;

    assert!(VERSION_3.starts_with(r#"{"schemaVersion":3,"state":{"rngState":3326683750974675196,"#));
    let mut sandbox = Sandbox::restore(VERSION_3).unwrap();
    let text = sandbox.snapshot();
    assert!(text.starts_with(r#"{"schemaVersion":5,"state":{"rngState":"3326683750974675196","#));
    // Only the version and the form of the large numbers change.
    let as_written_by_3 = text.replacen("\"schemaVersion\":5", "\"schemaVersion\":3", 1);
    assert_eq!(
        as_numbers(&as_written_by_3, &["rngState", "id", "authorizationId"]),
        VERSION_3
    );
    assert_eq!(Sandbox::restore(&text).unwrap(), sandbox);
    let merchant = bearer(&mut sandbox, at(10), Scope::Merchant);
    let call = ctx(&merchant, at(10));
    assert_eq!(available(&sandbox, &merchant, at(10), GOOD), cad(490_000));
    // The request verified before the upgrade is still verified: no new verify call.
    assert!(sandbox
        .authorize(&call, &store_purchase(1_000, "00-12345"))
        .is_ok());
    assert_eq!(available(&sandbox, &merchant, at(10), GOOD), cad(489_000));
}

/// The snapshot of [`VERSION_3`] as version 4 wrote it: before a verification was spent by the
/// call made with it.
const VERSION_4: &str = include_str!("../snapshot_v4.json");

#[test]
fn a_version_4_snapshot_loads_with_its_verifications_unspent() {
    assert!(
        VERSION_4.starts_with(r#"{"schemaVersion":4,"state":{"rngState":"3326683750974675196","#)
    );
    assert!(!VERSION_4.contains("\"used\""));
    let mut sandbox = Sandbox::restore(VERSION_4).unwrap();
    let text = sandbox.snapshot();
    // Only the version changes.
    assert_eq!(
        text.replacen("\"schemaVersion\":5", "\"schemaVersion\":4", 1),
        VERSION_4
    );
    assert_eq!(Sandbox::restore(&text).unwrap(), sandbox);
    // `req-1` already made a purchase under version 4; unmarked, it serves one call more.
    let merchant = bearer(&mut sandbox, at(10), Scope::Merchant);
    let call = ctx(&merchant, at(10));
    assert!(sandbox
        .authorize(&call, &store_purchase(1_000, "00-12345"))
        .is_ok());
    let error = sandbox
        .authorize(&call, &store_purchase(1_000, "00-12345"))
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotVerified);
    assert!(sandbox
        .snapshot()
        .contains(r#""verified":true,"used":true"#));
}

/// A snapshot whose account figures, amounts or sums the sandbox never records is refused with
/// `snapshot_inconsistent` naming the record and the field; figures it does record load, an
/// overpaid (negative) balance among them.
/// Authorizes 100.00 (under `authorize`'s context), captures 60.00 of it and returns 10.00 of
/// the capture (under `call`'s): the capture.
fn captured_and_returned(
    world: &mut World,
    authorize: &CallContext,
    call: &CallContext,
) -> CaptureResponse {
    let auth = world
        .sandbox
        .authorize(authorize, &promotional(GOOD, 10_000))
        .unwrap();
    let capture = world
        .sandbox
        .capture(call, auth.id(), &capture_of(6_000))
        .unwrap();
    world
        .sandbox
        .return_capture(
            call,
            auth.id(),
            capture.id(),
            &return_of(Some(1_000), false),
        )
        .unwrap();
    capture
}

/// The message of the refusal to restore `document` with `edit` made to its state, which
/// must be `snapshot_inconsistent`.
fn refused_snapshot(document: &serde_json::Value, edit: &dyn Fn(&mut serde_json::Value)) -> String {
    let mut changed = document.clone();
    edit(&mut changed["state"]);
    let error = Sandbox::restore(&changed.to_string()).unwrap_err();
    assert_eq!(error.code(), "snapshot_inconsistent", "{error}");
    error.to_string()
}

#[test]
fn snapshot_figures_the_sandbox_never_records_are_refused() {
    let mut world = World::new();
    let now = at(1);
    let bearer = world.call(now).authorization.to_owned();
    let call = ctx(&bearer, now);
    let capture = captured_and_returned(&mut world, &call, &call);
    world
        .sandbox
        .refund(
            &call,
            account(GOOD),
            &refund_of(500, Some(capture.capture_id)),
        )
        .unwrap();
    // Paying more than is owed leaves a credit balance: 60.00 - 10.00 - 5.00 - 100.00.
    world
        .sandbox
        .transaction(
            &call,
            &payment(AccountTransactionType::InstorePayment, 10_000, TEST_PIN),
        )
        .unwrap();
    let text = world.sandbox.snapshot();
    let restored = Sandbox::restore(&text).unwrap();
    assert_eq!(restored.snapshot(), text);
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["state"]["accounts"][0]["balanceCents"], -5_500);

    let refused = |edit: &dyn Fn(&mut serde_json::Value)| refused_snapshot(&document, edit);
    let good = "account 10000000000001";
    // The figure of the report: a 5,000.00 limit with a balance of -999,999,999.99.
    let message =
        refused(&|state| state["accounts"][0]["balanceCents"] = (-99_999_999_999i64).into());
    assert!(
        message.contains(&format!("{good} has balanceCents -99999999999"))
            && message.contains("make it -5500"),
        "{message}"
    );
    let message = refused(&|state| state["accounts"][1]["balanceCents"] = 0.into());
    assert!(
        message.contains("account 10000000000002 has balanceCents 0"),
        "{message}"
    );
    for limit in [0i64, -1, 500_001, 999_999_999_999_999_999] {
        let message = refused(&|state| state["accounts"][0]["creditLimitCents"] = limit.into());
        assert!(
            message.contains(&format!("{good} has creditLimitCents {limit}")),
            "{message}"
        );
    }
    let message =
        refused(&|state| state["accounts"][1]["accountNumber"] = 10_000_000_000_009u64.into());
    assert!(
        message.contains("is not one of the sandbox's test accounts"),
        "{message}"
    );
    let message = refused(&|state| state["authorizations"][0]["capturedCents"] = 5_000.into());
    assert!(
        message.contains("capturedCents 5000, but its captures add up to 6000"),
        "{message}"
    );
    let message = refused(&|state| state["captures"][0]["returnedCents"] = 0.into());
    assert!(
        message.contains("returnedCents 0, but its returns add up to 1000"),
        "{message}"
    );
    let message = refused(&|state| state["captures"][0]["refundedCents"] = 0.into());
    assert!(
        message.contains("refundedCents 0, but its refunds naming it add up to 500"),
        "{message}"
    );
    let message = refused(&|state| state["postings"][0]["amountCents"] = 0.into());
    assert!(message.contains("has amountCents 0"), "{message}");
    let message =
        refused(&|state| state["postings"][0]["accountNumber"] = 10_000_000_000_002u64.into());
    // The payment moved to another account no longer adds up on either.
    assert!(
        message.contains(&format!("{good} has balanceCents -5500"))
            && message.contains("make it 4500"),
        "{message}"
    );
    let message =
        refused(&|state| state["refunds"][0]["accountNumber"] = 10_000_000_000_002u64.into());
    assert!(
        message.contains("which is not on account 10000000000002"),
        "{message}"
    );
    // A return moved to a capture with more room still has to match both captures' sums.
    let message = refused(&|state| {
        state["returns"][0]["amountCents"] = 2_000.into();
        state["captures"][0]["returnedCents"] = 2_000.into();
    });
    assert!(
        message.contains(&format!("{good} has balanceCents -5500")),
        "{message}"
    );
    // Each kind of record's amount is within what Flexiti's number (18,2) carries.
    let message = refused(&|state| state["authorizations"][0]["amountCents"] = i64::MAX.into());
    assert!(
        message.contains("amountCents 9223372036854775807"),
        "{message}"
    );
}

#[test]
fn answers_carry_timestamps_in_whole_seconds_and_lists_keep_the_exact_order() {
    let mut world = World::new();
    // Three purchases within one second (the third's id is below the second's, with this
    // seed): the lists keep the order they were made in.
    let ms = |millis: i64| at(5).checked_add_millis(millis).unwrap();
    let first = world
        .authorize(ms(900), &promotional(GOOD, 10_000))
        .unwrap();
    let second = world
        .authorize(ms(950), &promotional(GOOD, 20_000))
        .unwrap();
    let third = world.authorize(ms(955), &promotional(GOOD, 500)).unwrap();
    let bearer = world.bearer.clone();
    let sandbox = &mut world.sandbox;
    let capture = sandbox
        .capture(&ctx(&bearer, ms(960)), first.id(), &capture_of(10_000))
        .unwrap();
    sandbox
        .capture(&ctx(&bearer, ms(970)), second.id(), &capture_of(20_000))
        .unwrap();
    let returned = sandbox
        .return_capture(
            &ctx(&bearer, ms(980)),
            first.id(),
            capture.id(),
            &return_of(Some(1_000), false),
        )
        .unwrap();
    let posted = sandbox
        .transaction(
            &ctx(&bearer, ms(990)),
            &TransactionBody {
                transaction_type: AccountTransactionType::Tradein,
                amount: cad(500),
                account: LookupKey::AccountNumber(account(GOOD)),
                verification_code: VerificationCode::parse(TEST_PIN).unwrap(),
                in_store: None,
            },
        )
        .unwrap();
    let call = ctx(&bearer, ms(999));
    let auths = sandbox
        .authorizations(&call, &AuthorizationListQuery::default())
        .unwrap()
        .items;
    let captures = sandbox
        .captures(&call, &CaptureListQuery::default())
        .unwrap()
        .items;
    let detail = sandbox
        .authorization_detail(&call, first.id(), &AuthorizationDetailQuery::default())
        .unwrap();
    let mut stamps = vec![
        capture.date,
        returned.date,
        posted.date,
        detail.creation_date,
    ];
    stamps.extend(auths.iter().map(|a| a.creation_date));
    stamps.extend(captures.iter().map(|c| c.date));
    for stamp in stamps {
        assert_eq!(stamp, at(5));
        assert_eq!(stamp.to_iso8601(), "2023-11-14T22:13:25Z");
        assert_eq!(stamp.to_iso8601().len(), 20);
    }
    let json = serde_json::to_string(&capture).unwrap();
    assert!(json.contains(r#""date":"2023-11-14T22:13:25Z""#), "{json}");
    assert_eq!(
        auths.iter().map(|a| a.authorization_id).collect::<Vec<_>>(),
        [
            first.authorization_id,
            second.authorization_id,
            third.authorization_id
        ]
    );
    assert!(third.authorization_id < second.authorization_id);
    assert_eq!(
        captures
            .iter()
            .map(|c| c.authorization_id)
            .collect::<Vec<_>>(),
        [first.authorization_id, second.authorization_id]
    );
    // The token, as the merchant keeps it, counts from the second it was received in.
    let request = TokenRequest::client_credentials(&sandbox.credentials(), None);
    let token = sandbox
        .token(ms(999), &request)
        .unwrap()
        .into_token(ENVIRONMENT, ms(999));
    assert_eq!(token.issued_at, at(5));
    assert_eq!(token.expires_at(), at(5 + 1200));
}

#[test]
fn snapshot_ids_beyond_their_width_and_unreadable_replays_are_refused() {
    let mut world = World::new();
    let now = at(1);
    let bearer = world.call(now).authorization.to_owned();
    let key = Idempotency {
        key: "order-1".into(),
        context_hash: None,
    };
    let call = CallContext {
        now,
        authorization: &bearer,
        idempotency: Some(&key),
    };
    captured_and_returned(&mut world, &call, &ctx(&bearer, now));
    let text = world.sandbox.snapshot();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(Sandbox::restore(&text).is_ok());
    let refused = |edit: &dyn Fn(&mut serde_json::Value)| refused_snapshot(&document, edit);
    let message = refused(&|state| {
        state["authorizations"][0]["id"] = "12345678901234567".into();
        state["captures"][0]["authorizationId"] = "12345678901234567".into();
    });
    assert!(
        message.contains(
            "authorization 12345678901234567 has more than 16 digits, Flexiti's number (16)"
        ),
        "{message}"
    );
    // A number too, as older snapshots wrote it.
    let message = refused(&|state| {
        state["authorizations"][0]["id"] = 10_000_000_000_000_000u64.into();
        state["captures"][0]["authorizationId"] = 10_000_000_000_000_000u64.into();
    });
    assert!(
        message.contains("authorization 10000000000000000"),
        "{message}"
    );
    let message = refused(&|state| {
        state["captures"][0]["id"] = 1_234_567_890u32.into();
        state["returns"][0]["captureId"] = 1_234_567_890u32.into();
    });
    assert!(
        message.contains("capture 1234567890 has more than 9 digits, Flexiti's number (9)"),
        "{message}"
    );
    let message = refused(&|state| state["returns"][0]["id"] = "12345678901234567".into());
    assert!(
        message.contains("return 12345678901234567 has more than 16 digits"),
        "{message}"
    );
    for response in [
        "not json",
        "",
        "[1]",
        "5",
        "{\"authorization_id\":",
        "\"text\"",
    ] {
        let message = refused(&|state| state["idempotency"][0]["response"] = response.into());
        assert!(
            message
                .contains("idempotency key \"order-1\" holds an answer that is not a JSON object"),
            "{response}: {message}"
        );
    }
    // The widest ids the sandbox can hold load.
    let mut widest = document.clone();
    widest["state"]["authorizations"][0]["id"] = "9999999999999999".into();
    widest["state"]["captures"][0]["authorizationId"] = "9999999999999999".into();
    widest["state"]["captures"][0]["id"] = 999_999_999u32.into();
    widest["state"]["returns"][0]["captureId"] = 999_999_999u32.into();
    assert!(Sandbox::restore(&widest.to_string()).is_ok());
}

#[test]
fn a_trade_in_never_takes_the_balance_past_what_an_answer_can_carry() {
    let mut world = World::new();
    let bearer = world.bearer.clone();
    let sandbox = &mut world.sandbox;
    let tradein = |cents| payment(AccountTransactionType::Tradein, cents, TEST_PIN);
    let before = available(sandbox, &bearer, at(0), GOOD);
    // The largest amount there is would leave an available credit of 17 integer digits.
    let error = sandbox
        .transaction(&ctx(&bearer, at(0)), &tradein(amount::MAX_MINOR_UNITS))
        .unwrap_err();
    assert_eq!((error.status, error.code()), (409, "wrong_inputs"));
    assert_eq!(error.field_errors[0].param, "amount");
    assert!(
        error.message.contains("9999999999999999.99"),
        "{}",
        error.message
    );
    assert_eq!(available(sandbox, &bearer, at(0), GOOD), before);
    // Up to it, a credit balance is kept: the available credit is exactly the most there is.
    let most = amount::MAX_MINOR_UNITS - before.minor_units();
    assert!(sandbox
        .transaction(&ctx(&bearer, at(1)), &tradein(most))
        .is_ok());
    assert_eq!(
        available(sandbox, &bearer, at(1), GOOD).minor_units(),
        amount::MAX_MINOR_UNITS
    );
    // A cent more is refused, however often it is tried; nothing wraps or saturates.
    for second in 2..12 {
        let error = sandbox
            .transaction(&ctx(&bearer, at(second)), &tradein(1))
            .unwrap_err();
        assert_eq!(error.code(), "wrong_inputs");
    }
    assert_eq!(
        available(sandbox, &bearer, at(12), GOOD).minor_units(),
        amount::MAX_MINOR_UNITS
    );
    // What it left is a state a snapshot holds.
    assert!(Sandbox::restore(&sandbox.snapshot()).is_ok());
}
