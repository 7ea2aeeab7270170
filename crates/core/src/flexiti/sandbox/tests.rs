use super::*;
use crate::flexiti::auth::Scope;
use crate::flexiti::ids::{AccountNumber, MerchantText, VccNumber};
use crate::flexiti::purchase::FinancingOption;

const GOOD: u64 = 10_000_000_000_001;

fn at(seconds: i64) -> UtcTimestamp {
    UtcTimestamp::from_unix_seconds(1_700_000_000 + seconds).unwrap()
}

const DAY: i64 = 86_400;

struct World {
    sandbox: Sandbox,
    bearer: String,
}

impl World {
    fn new() -> World {
        let mut sandbox = Sandbox::new(42);
        let request =
            TokenRequest::client_credentials(&sandbox.credentials(), Some(Scope::Merchant));
        let token = sandbox.token(at(0), &request).unwrap();
        World {
            sandbox,
            bearer: format!("Bearer {}", token.access_token),
        }
    }

    /// A fresh token at `now` so long flows are not cut short by expiry.
    fn call(&mut self, now: UtcTimestamp) -> CallContext<'_> {
        let request = TokenRequest::client_credentials(&self.sandbox.credentials(), None);
        let token = self.sandbox.token(now, &request).unwrap();
        self.bearer = format!("Bearer {}", token.access_token);
        CallContext {
            now,
            authorization: &self.bearer,
            idempotency: None,
        }
    }

    fn authorize(
        &mut self,
        now: UtcTimestamp,
        body: &AuthorizationBody,
    ) -> Result<AuthorizationResponse, ApiError> {
        let bearer = self.call(now).authorization.to_owned();
        self.sandbox.authorize(&ctx(&bearer, now), body)
    }
}

fn promotional(account: u64, cents: i64) -> AuthorizationBody {
    AuthorizationBody {
        account_number: AccountNumber::new(account).unwrap(),
        vcc_number: None,
        reference: Some("ORDER-1".into()),
        financing_option: FinancingOption::PromotionalPurchase {
            plan_id: MerchantText::parse("EMP-EQUAL", "plan_id").unwrap(),
            term: 12,
        },
        amount: cad(cents),
        auto_capture: false,
        verification_code: None,
        in_store: None,
        sku_data: None,
    }
}

fn capture_of(cents: i64) -> CaptureBody {
    CaptureBody {
        amount: cad(cents),
        reference: None,
        store: None,
        sku_data: None,
    }
}

fn return_of(cents: Option<i64>, full: bool) -> ReturnBody {
    ReturnBody {
        amount: cents.map(cad),
        full_return: full,
        reference: Some("RMA".into()),
        vcc_number: None,
        sku_data: None,
    }
}

fn fresh(sandbox: &mut Sandbox, now: UtcTimestamp) -> String {
    let request = TokenRequest::client_credentials(&sandbox.credentials(), None);
    format!(
        "Bearer {}",
        sandbox.token(now, &request).unwrap().access_token
    )
}

fn ctx(bearer: &str, now: UtcTimestamp) -> CallContext<'_> {
    CallContext {
        now,
        authorization: bearer,
        idempotency: None,
    }
}

#[test]
fn purchase_capture_partial_return_full_return() {
    let mut world = World::new();
    let auth = world
        .authorize(at(10), &promotional(GOOD, 100_000))
        .unwrap();
    assert_eq!(auth.authorization_status, "opened");
    assert_eq!(auth.remaining_authorization_amount, cad(100_000));
    let bearer = world.bearer.clone();
    let sandbox = &mut world.sandbox;
    let lookup = CustomerLookupQuery {
        key: LookupKey::AccountNumber(AccountNumber::new(GOOD).unwrap()),
        lang: None,
    };
    assert_eq!(
        sandbox
            .lookup(&ctx(&bearer, at(11)), &lookup)
            .unwrap()
            .available_credit,
        cad(400_000)
    );

    let capture = sandbox
        .capture(&ctx(&bearer, at(20)), auth.id(), &capture_of(60_000))
        .unwrap();
    assert_eq!(capture.remaining_authorization_amount, cad(40_000));
    let release = sandbox
        .release(&ctx(&bearer, at(30)), auth.id(), &ReleaseBody::default())
        .unwrap();
    assert_eq!(
        (release.amount, release.authorization_status.as_str()),
        (cad(40_000), "closed")
    );
    assert_eq!(
        sandbox
            .lookup(&ctx(&bearer, at(31)), &lookup)
            .unwrap()
            .available_credit,
        cad(440_000)
    );

    let bearer = fresh(sandbox, at(DAY));
    let partial = sandbox
        .return_capture(
            &ctx(&bearer, at(DAY)),
            auth.id(),
            capture.id(),
            &return_of(Some(15_000), false),
        )
        .unwrap();
    assert_eq!(partial.amount, cad(15_000));
    assert_eq!(partial.remaining_capture_amount, cad(45_000));
    assert_eq!(partial.remaining_authorization_amount, cad(0));
    assert_eq!(partial.id().environment(), Environment::Training);

    let over = sandbox
        .return_capture(
            &ctx(&bearer, at(DAY)),
            auth.id(),
            capture.id(),
            &return_of(Some(45_001), false),
        )
        .unwrap_err();
    assert_eq!(over.code, ErrorCode::CaptureAmountExceeded);

    let bearer = fresh(sandbox, at(2 * DAY));
    let full = sandbox
        .return_capture(
            &ctx(&bearer, at(2 * DAY)),
            auth.id(),
            capture.id(),
            &return_of(None, true),
        )
        .unwrap();
    assert_eq!(
        (full.amount, full.remaining_capture_amount),
        (cad(45_000), cad(0))
    );
    assert_eq!(
        sandbox
            .lookup(&ctx(&bearer, at(2 * DAY)), &lookup)
            .unwrap()
            .available_credit,
        cad(500_000)
    );

    let nothing_left = sandbox
        .return_capture(
            &ctx(&bearer, at(2 * DAY)),
            auth.id(),
            capture.id(),
            &return_of(Some(1), false),
        )
        .unwrap_err();
    assert_eq!(nothing_left.code, ErrorCode::CaptureAmountExceeded);
}

#[test]
fn business_rule_errors() {
    let mut world = World::new();
    let expect = |result: Result<AuthorizationResponse, ApiError>, code: ErrorCode| {
        assert_eq!(result.unwrap_err().code, code);
    };
    for (account, code) in [
        (10_000_000_000_002, ErrorCode::CreditExceeded),
        (10_000_000_000_003, ErrorCode::UserNotAbleToPurchase),
        (10_000_000_000_004, ErrorCode::UserNotAbleToPurchase),
        (10_000_000_000_005, ErrorCode::UserNotAbleToPurchase),
        (10_000_000_000_006, ErrorCode::UserNotAbleToPurchase),
        (10_000_000_000_007, ErrorCode::UserNotActive),
        (99_999, ErrorCode::NotFound),
    ] {
        expect(world.authorize(at(0), &promotional(account, 100)), code);
    }
    expect(
        world.authorize(at(0), &promotional(GOOD, 500_001)),
        ErrorCode::CreditExceeded,
    );
    let mut wrong_plan = promotional(GOOD, 100);
    wrong_plan.financing_option = FinancingOption::PromotionalPurchase {
        plan_id: MerchantText::parse("DEF-NOINT", "plan_id").unwrap(),
        term: 24,
    };
    expect(
        world.authorize(at(0), &wrong_plan),
        ErrorCode::PlanTermNotAvailable,
    );
    let mut foreign_card = promotional(GOOD, 100);
    foreign_card.vcc_number = Some(VccNumber::parse("6011000000000008").unwrap());
    expect(
        world.authorize(at(0), &foreign_card),
        ErrorCode::VccAccountMismatch,
    );
    let mut wrong_pin = promotional(GOOD, 100);
    wrong_pin.verification_code = Some(VerificationCode::parse("1234").unwrap());
    wrong_pin.in_store = Some(crate::flexiti::InStore {
        request_id: MerchantText::parse("r-1", "request_id").unwrap(),
        external_location_id: MerchantText::parse("00-12345", "external_location_id").unwrap(),
        external_employee_id: MerchantText::parse("12345-SMITH", "external_employee_id").unwrap(),
    });
    expect(
        world.authorize(at(0), &wrong_pin),
        ErrorCode::WrongVerificationCode,
    );

    // Capture and release beyond what remains; closed authorizations.
    let auth = world.authorize(at(0), &promotional(GOOD, 10_000)).unwrap();
    let bearer = world.bearer.clone();
    let sandbox = &mut world.sandbox;
    assert_eq!(
        sandbox
            .capture(&ctx(&bearer, at(1)), auth.id(), &capture_of(10_001))
            .unwrap_err()
            .code,
        ErrorCode::AuthAmountExceeded
    );
    assert_eq!(
        sandbox
            .release(
                &ctx(&bearer, at(1)),
                auth.id(),
                &ReleaseBody {
                    amount: Some(cad(10_001)),
                    ..Default::default()
                }
            )
            .unwrap_err()
            .code,
        ErrorCode::AuthAmountExceeded
    );
    let capture = sandbox
        .capture(&ctx(&bearer, at(1)), auth.id(), &capture_of(10_000))
        .unwrap();
    assert_eq!(
        sandbox
            .capture(&ctx(&bearer, at(2)), auth.id(), &capture_of(1))
            .unwrap_err()
            .code,
        ErrorCode::AuthorizationEnded
    );
    assert_eq!(
        sandbox
            .release(&ctx(&bearer, at(2)), auth.id(), &ReleaseBody::default())
            .unwrap_err()
            .code,
        ErrorCode::AuthorizationEnded
    );
    // 100-day window: day 100 is accepted, a second later is not.
    assert!(sandbox
        .return_capture(
            &ctx(&bearer, at(1 + 100 * DAY)),
            auth.id(),
            capture.id(),
            &return_of(Some(100), false)
        )
        .is_err_and(|e| e.code == ErrorCode::InvalidToken));
    let late = at(1 + 100 * DAY + 1);
    let bearer = {
        let request = TokenRequest::client_credentials(&sandbox.credentials(), None);
        format!(
            "Bearer {}",
            sandbox.token(late, &request).unwrap().access_token
        )
    };
    assert_eq!(
        sandbox
            .return_capture(
                &ctx(&bearer, late),
                auth.id(),
                capture.id(),
                &return_of(Some(100), false)
            )
            .unwrap_err()
            .code,
        ErrorCode::ReturnDateExceeded
    );
    // Ids from another environment do not exist here.
    let foreign = AuthorizationId::new(Environment::Production, auth.authorization_id);
    assert_eq!(
        sandbox
            .capture(&ctx(&bearer, late), foreign, &capture_of(1))
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
}

#[test]
fn returns_only_on_promotional_captures() {
    let mut world = World::new();
    let mut regular = promotional(GOOD, 5_000);
    regular.financing_option = FinancingOption::RegularPurchase;
    regular.auto_capture = true;
    let auth = world.authorize(at(0), &regular).unwrap();
    let capture = auth.capture.clone().unwrap();
    assert_eq!(auth.authorization_status, "closed");
    let bearer = world.bearer.clone();
    assert_eq!(
        world
            .sandbox
            .return_capture(
                &ctx(&bearer, at(5)),
                auth.id(),
                capture.id(),
                &return_of(None, true)
            )
            .unwrap_err()
            .code,
        ErrorCode::WrongTransactionType
    );
}

#[test]
fn credentials_and_token_expiry() {
    let mut sandbox = Sandbox::new(1);
    let mut request = TokenRequest::client_credentials(&sandbox.credentials(), None);
    request.client_secret = crate::flexiti::ClientSecret::parse("wrong").unwrap();
    let error = sandbox.token(at(0), &request).unwrap_err();
    assert_eq!((error.status, error.code()), (400, "invalid_client"));

    let request = TokenRequest::client_credentials(&sandbox.credentials(), None);
    let token = sandbox.token(at(0), &request).unwrap();
    assert_eq!(token.expires_in, 1200);
    let bearer = format!("Bearer {}", token.access_token);
    let lookup = CustomerLookupQuery {
        key: LookupKey::CustomerId(crate::flexiti::CustomerId::parse("100000001").unwrap()),
        lang: None,
    };
    assert!(sandbox.lookup(&ctx(&bearer, at(1199)), &lookup).is_ok());
    let expired = sandbox
        .lookup(&ctx(&bearer, at(1200)), &lookup)
        .unwrap_err();
    assert_eq!((expired.status, expired.code()), (401, "invalid_token"));
    assert_eq!(
        sandbox
            .lookup(&ctx("Bearer nope", at(0)), &lookup)
            .unwrap_err()
            .status,
        401
    );

    // Refresh works only before expiry and retires the old token.
    let refresh = TokenRequest {
        grant: Grant::RefreshToken(token.refresh_token.clone()),
        ..request.clone()
    };
    let renewed = sandbox.token(at(1150), &refresh).unwrap();
    assert!(sandbox.lookup(&ctx(&bearer, at(1151)), &lookup).is_err());
    let new_bearer = format!("Bearer {}", renewed.access_token);
    assert!(sandbox.lookup(&ctx(&new_bearer, at(2000)), &lookup).is_ok());
    let late_refresh = TokenRequest {
        grant: Grant::RefreshToken(renewed.refresh_token),
        ..request
    };
    assert_eq!(
        sandbox
            .token(at(1150 + 1200), &late_refresh)
            .unwrap_err()
            .code,
        ErrorCode::InvalidToken
    );
}

#[test]
fn lookup_reports_account_state() {
    let mut world = World::new();
    let bearer = world.bearer.clone();
    let by_vcc = |vcc: &str| CustomerLookupQuery {
        key: LookupKey::VccNumber(VccNumber::parse(vcc).unwrap()),
        lang: None,
    };
    let business = world
        .sandbox
        .lookup(&ctx(&bearer, at(1)), &by_vcc("6011000000000018"))
        .unwrap();
    assert_eq!(
        (business.account_number, business.card_ending_in.as_deref()),
        (10_000_000_000_008, Some("0018"))
    );
    assert_eq!(
        world
            .sandbox
            .lookup(&ctx(&bearer, at(1)), &by_vcc("6011000000000006"))
            .unwrap_err()
            .code,
        ErrorCode::UserNotAbleToPurchase
    );
    assert_eq!(
        world
            .sandbox
            .lookup(&ctx(&bearer, at(1)), &by_vcc("6011000000000007"))
            .unwrap_err()
            .code,
        ErrorCode::UserNotActive
    );
    assert_eq!(
        world
            .sandbox
            .lookup(&ctx(&bearer, at(1)), &by_vcc("6011999999999999"))
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    let _ = world.call(at(2));
}

#[test]
fn idempotency_keys_replay_or_refuse() {
    let mut world = World::new();
    let bearer = world.bearer.clone();
    let key = Idempotency::new("order-1", Some("hash-a")).unwrap();
    let call = CallContext {
        now: at(1),
        authorization: &bearer,
        idempotency: Some(&key),
    };
    let first = world
        .sandbox
        .authorize(&call, &promotional(GOOD, 1_000))
        .unwrap();
    let again = world
        .sandbox
        .authorize(&call, &promotional(GOOD, 1_000))
        .unwrap();
    assert_eq!(first, again);
    let mismatch = world
        .sandbox
        .authorize(&call, &promotional(GOOD, 2_000))
        .unwrap_err();
    assert_eq!(
        (mismatch.status, mismatch.code()),
        (409, "idempotency_body_mismatch")
    );
    let other_hash = Idempotency::new("order-1", Some("hash-b")).unwrap();
    let call_b = CallContext {
        idempotency: Some(&other_hash),
        ..call
    };
    assert_eq!(
        world
            .sandbox
            .authorize(&call_b, &promotional(GOOD, 1_000))
            .unwrap_err()
            .code,
        ErrorCode::IdempotencyBodyMismatch
    );
    // Only one authorization was made.
    let lookup = CustomerLookupQuery {
        key: LookupKey::AccountNumber(AccountNumber::new(GOOD).unwrap()),
        lang: None,
    };
    assert_eq!(
        world
            .sandbox
            .lookup(&call, &lookup)
            .unwrap()
            .available_credit,
        cad(499_000)
    );
    // A failed call is not remembered: fixing it under the same key works.
    let fresh = Idempotency::new("order-2", None).unwrap();
    let call = CallContext {
        idempotency: Some(&fresh),
        ..call
    };
    assert!(world
        .sandbox
        .authorize(&call, &promotional(GOOD, 900_000))
        .is_err());
    assert!(world
        .sandbox
        .authorize(&call, &promotional(GOOD, 900))
        .is_ok());
}

fn payment(kind: AccountTransactionType, cents: i64, pin: &str) -> TransactionBody {
    TransactionBody {
        transaction_type: kind,
        amount: cad(cents),
        account: LookupKey::AccountNumber(AccountNumber::new(GOOD).unwrap()),
        verification_code: VerificationCode::parse(pin).unwrap(),
        in_store: None,
    }
}

#[test]
fn payments_are_capped_per_24_hours() {
    let mut world = World::new();
    let bearer = world.bearer.clone();
    let sandbox = &mut world.sandbox;
    let pay = AccountTransactionType::InstorePayment;
    assert!(sandbox
        .transaction(&ctx(&bearer, at(0)), &payment(pay, 600_000, TEST_PIN))
        .is_ok());
    assert!(sandbox
        .transaction(&ctx(&bearer, at(60)), &payment(pay, 400_000, TEST_PIN))
        .is_ok());
    let over = sandbox
        .transaction(&ctx(&bearer, at(120)), &payment(pay, 1, TEST_PIN))
        .unwrap_err();
    assert_eq!(over.code, ErrorCode::LimitPaymentAmount24);
    assert_eq!(
        sandbox
            .transaction(&ctx(&bearer, at(120)), &payment(pay, 1, "1111"))
            .unwrap_err()
            .code,
        ErrorCode::WrongVerificationCode
    );
    let later = at(DAY);
    let request = TokenRequest::client_credentials(&sandbox.credentials(), None);
    let bearer = format!(
        "Bearer {}",
        sandbox.token(later, &request).unwrap().access_token
    );
    assert!(sandbox
        .transaction(&ctx(&bearer, later), &payment(pay, 600_000, TEST_PIN))
        .is_ok());
    assert_eq!(
        sandbox
            .transaction(
                &ctx(&bearer, later),
                &payment(AccountTransactionType::Deposit, 3_000_000, TEST_PIN)
            )
            .unwrap_err()
            .code,
        ErrorCode::NotEnoughCredit
    );
    assert!(sandbox
        .transaction(
            &ctx(&bearer, later),
            &payment(AccountTransactionType::Tradein, 100, TEST_PIN)
        )
        .is_ok());
}

#[test]
fn snapshot_round_trips_byte_for_byte() {
    let mut world = World::new();
    let auth = world.authorize(at(0), &promotional(GOOD, 10_000)).unwrap();
    let bearer = world.bearer.clone();
    world
        .sandbox
        .capture(&ctx(&bearer, at(1)), auth.id(), &capture_of(4_000))
        .unwrap();
    let text = world.sandbox.snapshot();
    assert!(text.starts_with(r#"{"schemaVersion":5,"state":{"rngState":""#));
    let restored = Sandbox::restore(&text).unwrap();
    assert_eq!(restored, world.sandbox);
    assert_eq!(restored.snapshot(), text);
    // The generator resumes where it stopped.
    let mut a = world.sandbox.clone();
    let mut b = restored;
    let request = TokenRequest::client_credentials(&a.credentials(), None);
    assert_eq!(
        a.token(at(5), &request).unwrap(),
        b.token(at(5), &request).unwrap()
    );
}

/// Above 2^53 a double holds only every other integer: an odd id there is what
/// `JSON.parse` changes.
const BEYOND_DOUBLES: u64 = 1 << 53;

#[test]
fn a_snapshot_read_by_javascript_restores_the_same_sandbox() {
    use crate::u64_text::testing::{as_numbers, through_javascript};

    let mut world = World::new();
    // Authorizations until one has an odd id above 2^53 (about one in twenty does).
    let auth = (0..200)
        .map(|n| world.authorize(at(n), &promotional(GOOD, 100)).unwrap())
        .find(|auth| auth.authorization_id > BEYOND_DOUBLES && auth.authorization_id % 2 == 1)
        .expect("an authorization id beyond 2^53");
    let bearer = fresh(&mut world.sandbox, at(300));
    let call = ctx(&bearer, at(300));
    let capture = world
        .sandbox
        .capture(&call, auth.id(), &capture_of(100))
        .unwrap();
    let returned = world
        .sandbox
        .return_capture(&call, auth.id(), capture.id(), &return_of(Some(40), false))
        .unwrap();

    let text = world.sandbox.snapshot();
    let id = auth.authorization_id;
    assert!(text.contains(&format!(r#""id":"{id}""#)), "{text}");
    assert!(text.contains(&format!(r#""authorizationId":"{id}""#)));
    assert!(text.contains(&format!(r#""id":"{}""#, returned.return_id)));
    let mut reread = Sandbox::restore(&through_javascript(&text)).unwrap();
    assert_eq!(reread, world.sandbox);
    assert_eq!(reread.snapshot(), text);
    // It goes on exactly as the original: the same next ids, the same authorization found.
    let mut original = world.sandbox.clone();
    let bearer = fresh(&mut original, at(400));
    let fresh_token = fresh(&mut reread, at(400));
    assert_eq!(bearer, fresh_token);
    let call = ctx(&bearer, at(400));
    assert_eq!(
        original.authorize(&call, &promotional(GOOD, 100)),
        reread.authorize(&call, &promotional(GOOD, 100))
    );
    assert_eq!(
        original.capture(&call, auth.id(), &capture_of(0)),
        reread.capture(&call, auth.id(), &capture_of(0))
    );

    // Written with numbers, as version 3 did, the same snapshot comes back changed.
    let old = as_numbers(&text, &["rngState", "id", "authorizationId"]);
    assert!(old.contains(&format!(r#""id":{id},"#)));
    assert_eq!(Sandbox::restore(&old).unwrap(), world.sandbox);
    let rounded = Sandbox::restore(&through_javascript(&old)).unwrap();
    assert_ne!(rounded, world.sandbox);
}

#[test]
fn corrupt_and_newer_snapshots_are_refused() {
    let text = Sandbox::new(3).snapshot();
    assert_eq!(
        Sandbox::restore("{").unwrap_err().code(),
        "snapshot_malformed"
    );
    assert_eq!(
        Sandbox::restore(&text.replacen("\"schemaVersion\":5", "\"schemaVersion\":6", 1))
            .unwrap_err(),
        SnapshotError::NewerVersion { found: 6 }
    );
    assert_eq!(
        Sandbox::restore(&text.replacen("\"schemaVersion\":5", "\"schemaVersion\":0", 1))
            .unwrap_err(),
        SnapshotError::UnknownVersion
    );
    assert_eq!(
        Sandbox::restore("{}").unwrap_err(),
        SnapshotError::UnknownVersion
    );
    assert_eq!(
        Sandbox::restore(&text.replacen("\"accounts\"", "\"acounts\"", 1))
            .unwrap_err()
            .code(),
        "snapshot_malformed"
    );
    let doubled = text.replacen("10000000000002", "10000000000001", 1);
    assert_eq!(
        Sandbox::restore(&doubled).unwrap_err().code(),
        "snapshot_inconsistent"
    );
    let negative = text.replacen("\"creditLimitCents\":500000", "\"creditLimitCents\":-1", 1);
    assert_eq!(
        Sandbox::restore(&negative).unwrap_err().code(),
        "snapshot_inconsistent"
    );
    assert!(SnapshotError::NewerVersion { found: 4 }
        .to_string()
        .contains("upgrade flexkit"));
}

#[test]
fn application_test_keys() {
    assert_eq!(
        application_decision("A-RR_L"),
        Some(ApplicationDecision::Approved)
    );
    assert_eq!(
        application_decision("P-FRAUD"),
        Some(ApplicationDecision::Pending)
    );
    assert_eq!(
        application_decision("D-NO_HIT"),
        Some(ApplicationDecision::Declined)
    );
    assert_eq!(
        application_decision("A-RR_XXX"),
        Some(ApplicationDecision::ApprovedIfStandardEnabled)
    );
    assert_eq!(
        application_decision("D-EMAIL_DBL_TIMEOUT"),
        Some(ApplicationDecision::Retry)
    );
    assert_eq!(application_decision("Marie"), None);
    assert_eq!(TEST_PIN, "2222");
    assert_eq!(TEST_ACCOUNTS.len(), 8);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn restore_arbitrary_text(text in ".{0,300}") {
            let _ = Sandbox::restore(&text);
        }

        #[test]
        fn restore_mutated_snapshots(position in 0usize..4000, byte in any::<u8>()) {
            let mut bytes = Sandbox::new(9).snapshot().into_bytes();
            if let Some(slot) = bytes.get_mut(position) {
                *slot = byte;
            }
            if let Ok(text) = String::from_utf8(bytes) {
                let _ = Sandbox::restore(&text);
            }
        }

        #[test]
        fn arbitrary_call_sequences(steps in prop::collection::vec((0u8..5, 1i64..2_000_000, 0i64..200), 1..12)) {
            let mut world = World::new();
            let mut last: Option<(AuthorizationId, Option<CaptureId>)> = None;
            for (kind, cents, days) in steps {
                let now = at(days * DAY);
                let request = TokenRequest::client_credentials(&world.sandbox.credentials(), None);
                let bearer = format!("Bearer {}", world.sandbox.token(now, &request).unwrap().access_token);
                let call = ctx(&bearer, now);
                match (kind, last) {
                    (0, _) => {
                        if let Ok(auth) = world.sandbox.authorize(&call, &promotional(GOOD, cents)) {
                            last = Some((auth.id(), None));
                        }
                    }
                    (1, Some((auth, _))) => {
                        if let Ok(capture) = world.sandbox.capture(&call, auth, &capture_of(cents)) {
                            last = Some((auth, Some(capture.id())));
                        }
                    }
                    (2, Some((auth, _))) => { let _ = world.sandbox.release(&call, auth, &ReleaseBody::default()); }
                    (3, Some((auth, Some(capture)))) => {
                        let _ = world.sandbox.return_capture(&call, auth, capture, &return_of(Some(cents), false));
                    }
                    _ => { let _ = world.sandbox.transaction(&call, &payment(AccountTransactionType::InstorePayment, cents, TEST_PIN)); }
                }
            }
            let text = world.sandbox.snapshot();
            let restored = Sandbox::restore(&text).unwrap();
            prop_assert_eq!(restored.snapshot(), text);
        }
    }
}

mod accounts_and_history;

/// The snapshot reader (`crate::json_reader`) and serde's derived readers agree on every
/// document here: `Sandbox::restore` reads each with both in tests (`snapshot::differential`),
/// so these documents add the edits no other test makes — every key left out, renamed,
/// given twice and given a value of every other type, and the text cut at every byte.
mod reader_agrees_with_serde {
    use serde_json::json;

    use super::*;

    /// A sandbox with records of every kind.
    fn busy() -> String {
        let mut world = World::new();
        let mut last = None;
        for (day, cents) in [(0, 10_000), (1, 25_000), (2, 7_500)] {
            let auth = world
                .authorize(at(day * DAY), &promotional(GOOD, cents))
                .unwrap();
            let bearer = world.call(at(day * DAY + 10)).authorization.to_owned();
            let capture = world
                .sandbox
                .capture(
                    &ctx(&bearer, at(day * DAY + 20)),
                    auth.id(),
                    &capture_of(cents / 2),
                )
                .unwrap();
            last = Some((auth.id(), capture.id()));
        }
        let (auth, capture) = last.unwrap();
        let bearer = world.call(at(3 * DAY)).authorization.to_owned();
        let call = ctx(&bearer, at(3 * DAY));
        world
            .sandbox
            .return_capture(&call, auth, capture, &return_of(Some(1_000), false))
            .unwrap();
        let _ = world.sandbox.release(&call, auth, &ReleaseBody::default());
        let _ = world.sandbox.transaction(
            &call,
            &payment(AccountTransactionType::InstorePayment, 500, TEST_PIN),
        );
        let _ = world.sandbox.transaction(
            &call,
            &payment(AccountTransactionType::Deposit, 300, TEST_PIN),
        );
        world.sandbox.snapshot()
    }

    fn documents() -> Vec<String> {
        vec![
            Sandbox::new(7).snapshot(),
            busy(),
            include_str!("snapshot_v1.json").to_owned(),
            include_str!("snapshot_v2.json").to_owned(),
            include_str!("snapshot_v3.json").to_owned(),
        ]
    }

    #[test]
    fn on_edited_documents() {
        let others = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(4_294_967_296_u64),
            json!(u64::MAX),
            json!("x"),
            json!("12"),
            json!("N"),
            json!("2023-11-14T22:13:20Z"),
            json!([]),
            json!([1]),
            json!({}),
            json!({"N": null}),
        ];
        let mut checked = 0;
        for text in documents() {
            checked += crate::json_edits::each_edit(&text, &others, |edited| {
                let _ = Sandbox::restore(edited);
            });
        }
        assert!(checked > 1_000, "{checked}");
    }

    #[test]
    fn on_cut_and_damaged_text() {
        for text in documents() {
            for cut in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
                let _ = Sandbox::restore(&text[..cut]);
            }
            for (from, to) in [
                ("\"N\"", "\"\\u004E\""),
                ("\"N\"", "\"\\ud800\""),
                ("\"N\"", "\"\\udc00\\ud800\""),
                ("\"N\"", "\"\\ud83d\\ude00\""),
                ("\"N\"", "\"\\uZZZZ\""),
                ("\"N\"", "\"N\\q\""),
                ("\"N\"", "\"\t\""),
                ("\"status\"", "\"st\\u0061tus\""),
                ("\"status\"", "\"\\ud800\""),
                ("{\"", "{ \"extra\" : [1, {\"a\": \"\\ud800\"}], \""),
                ("{\"", "{\"extra\":1e400,\""),
                (":", " : "),
                (",", " ,\n "),
                (",", ",,"),
                ("]", ",]"),
                ("}", ",}"),
                ("true", "tru"),
                ("false", "nope"),
                ("4,", "4.0,"),
                ("4,", "-0,"),
                ("4,", "4e0,"),
                ("4,", "04,"),
                (
                    "\"schemaVersion\":",
                    "\"schemaVersion\":null,\"schemaVersion\":",
                ),
            ] {
                for count in [1, usize::MAX] {
                    let _ = Sandbox::restore(&text.replacen(from, to, count));
                }
            }
            for suffix in crate::json_edits::SUFFIXES {
                let _ = Sandbox::restore(&format!("{text}{suffix}"));
            }
            for version in crate::json_edits::VERSIONS {
                let edited = text
                    .replacen(
                        "\"schemaVersion\":4",
                        &format!("\"schemaVersion\":{version}"),
                        1,
                    )
                    .replacen(
                        "\"schemaVersion\":3",
                        &format!("\"schemaVersion\":{version}"),
                        1,
                    );
                let _ = Sandbox::restore(&edited);
            }
        }
        let deep = format!(
            "{{\"schemaVersion\":{}{}}}",
            "[".repeat(130),
            "]".repeat(130)
        );
        let _ = Sandbox::restore(&deep);
        let deep = format!(
            "{{\"x\":{}{},\"schemaVersion\":9}}",
            "[".repeat(300),
            "]".repeat(300)
        );
        let _ = Sandbox::restore(&deep);
    }
}
