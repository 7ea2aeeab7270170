use super::*;
use crate::flexiti::amount::cad;
use crate::flexiti::auth::{Credentials, TokenResponse, TOKEN_LIFETIME_SECONDS};
use crate::flexiti::ids::{AccountNumber, AuthorizationId, CaptureId, ClientSecret};
use crate::flexiti::seed::SplitMix64;
use crate::flexiti::QueryRequest;
use crate::flexiti::{PurchaseType, VerifyMethod};
use crate::time::CivilDate;

fn at(seconds: i64) -> UtcTimestamp {
    UtcTimestamp::from_unix_seconds(1_700_000_000 + seconds).unwrap()
}

fn token(environment: Environment, scope: &str) -> AccessToken {
    TokenResponse {
        token_type: "bearer".into(),
        access_token: "0123456789abcdef0123456789abcdef01234567".into(),
        expires_in: TOKEN_LIFETIME_SECONDS,
        refresh_token: "r".into(),
        scope: Some(scope.into()),
    }
    .into_token(environment, at(0))
}

struct Fixture {
    client: ClientId,
    token: AccessToken,
    reference: ReferenceId,
}

impl Fixture {
    fn new(scope: &str) -> Fixture {
        Fixture {
            client: ClientId::parse("flexitidemo").unwrap(),
            token: token(Environment::Training, scope),
            reference: ReferenceId::generate(&mut SplitMix64::new(1)),
        }
    }

    fn setup(&self, now: UtcTimestamp) -> CallSetup<'_> {
        CallSetup {
            environment: Environment::Training,
            client_id: &self.client,
            token: &self.token,
            reference_id: &self.reference,
            idempotency: None,
            lang: None,
            now,
        }
    }
}

fn account() -> AccountNumber {
    AccountNumber::new(10_000_000_000_001).unwrap()
}

const BASE: &str = "https://posapi-training.flexiti.fi/flexiti/pos-api/";

#[test]
fn post_calls_carry_a_json_body_and_every_header() {
    let fixture = Fixture::new("merchant");
    let key = Idempotency::new("order-7", Some("h1")).unwrap();
    let setup = CallSetup {
        idempotency: Some(&key),
        lang: Some(Lang::Fr),
        ..fixture.setup(at(10))
    };
    let endpoint = Endpoint::CalculateInterest {
        account_number: account(),
    };
    let prepared = prepare(
        &endpoint,
        &setup,
        &CalculateInterestBody {
            amount: cad(150_000),
        },
    )
    .unwrap();
    assert_eq!(prepared.method, Method::Post);
    assert_eq!(
        prepared.url,
        format!(
            "{BASE}v2.5.1/client-id/flexitidemo/accounts/10000000000001/calculate-interest?lang=fr"
        )
    );
    assert_eq!(prepared.body.as_deref(), Some(r#"{"amount":"1500.00"}"#));
    assert_eq!(prepared.content_type, Some(JSON));
    let names: Vec<&str> = prepared.headers.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "authorization",
            "x-reference-id",
            "x-idempotency-key",
            "x-context-hash",
            "content-type"
        ]
    );
    assert_eq!(
        prepared.headers[0].1,
        "Bearer 0123456789abcdef0123456789abcdef01234567"
    );
    // Endpoints that document no lang do not get one.
    let capture = Endpoint::Capture {
        authorization_id: AuthorizationId::new(Environment::Training, 42),
    };
    let body = CaptureBody {
        amount: cad(100),
        reference: None,
        store: None,
        sku_data: None,
    };
    let prepared = prepare(&capture, &setup, &body).unwrap();
    assert_eq!(
        prepared.url,
        format!("{BASE}v2.5/client-id/flexitidemo/authorization/42/capture")
    );
}

#[test]
fn get_calls_carry_the_query_and_no_body() {
    let fixture = Fixture::new("merchant");
    let setup = CallSetup {
        lang: Some(Lang::Fr),
        ..fixture.setup(at(10))
    };
    let query = AuthorizationListQuery {
        transaction_type: Some(PurchaseType::PromotionalPurchase),
        dates: crate::flexiti::CreationDates {
            creation_date_from: Some(CivilDate::parse("2024-01-01").unwrap()),
            creation_date_to: None,
        },
        page: crate::flexiti::Page {
            page_number: Some(2),
            page_size: Some(50),
        },
        ..Default::default()
    };
    let prepared = prepare(&Endpoint::Authorizations, &setup, &query).unwrap();
    assert_eq!(prepared.method, Method::Get);
    assert_eq!(
        prepared.url,
        format!("{BASE}v2.5.1/client-id/flexitidemo/authorizations?creation_date_from=2024-01-01&page_number=2&page_size=50&transaction_type=promotional_purchase&lang=fr")
    );
    assert_eq!((prepared.body, prepared.content_type), (None, None));
    assert!(prepared.warnings.problems().is_empty());
    assert_eq!(prepared.headers.len(), 2);
    // The query's own lang wins over the setup's.
    let detail = Endpoint::AuthorizationDetail {
        authorization_id: AuthorizationId::new(Environment::Training, 7),
    };
    let prepared = prepare(
        &detail,
        &setup,
        &AuthorizationDetailQuery {
            lang: Some(Lang::En),
        },
    )
    .unwrap();
    assert_eq!(
        prepared.url,
        format!("{BASE}v2.5.1/client-id/flexitidemo/authorization/7?lang=en")
    );
    // customers/search documents no lang, so it gets none, and its query reads back.
    let search = CustomerSearchQuery {
        first_name: "Test".into(),
        last_name: "Goodstanding".into(),
        dob: CivilDate::parse("1980-04-12").unwrap(),
        postal_code: None,
    };
    let prepared = prepare(&Endpoint::CustomerSearch, &setup, &search).unwrap();
    let (_, query) = prepared.url.split_once('?').unwrap();
    assert_eq!(
        query,
        "dob=1980-04-12&first_name=Test&last_name=Goodstanding"
    );
    assert!(CustomerSearchQuery::from_query(query).is_ok());
}

#[test]
fn warnings_travel_with_the_prepared_request() {
    let fixture = Fixture::new("merchant");
    let (query, _) =
        CaptureListQuery::from_query("creation_date_from=2020-01-01&creation_date_to=2024-01-01")
            .unwrap();
    let prepared = prepare(&Endpoint::Captures, &fixture.setup(at(1)), &query).unwrap();
    assert_eq!(
        prepared
            .warnings
            .warnings()
            .map(|p| p.code)
            .collect::<Vec<_>>(),
        [code::RANGE_TOO_LONG]
    );
}

#[test]
fn expired_and_refresh_due_tokens_are_refused() {
    let fixture = Fixture::new("merchant");
    let query = CaptureListQuery::default();
    let at_time = |seconds| prepare(&Endpoint::Captures, &fixture.setup(at(seconds)), &query);
    assert!(at_time(1139).is_ok());
    assert_eq!(
        at_time(1140).unwrap_err(),
        PrepareError::TokenRefreshDue {
            refresh_at: at(1140),
            expires_at: at(1200)
        }
    );
    let expired = at_time(1200).unwrap_err();
    assert_eq!(
        expired,
        PrepareError::TokenExpired {
            expired_at: at(1200)
        }
    );
    assert_eq!(expired.code(), "token_expired");
    assert!(expired.to_string().contains("client_credentials"));
    assert!(at_time(1140)
        .unwrap_err()
        .to_string()
        .contains("refresh_token"));
}

#[test]
fn other_environments_are_refused() {
    let mut fixture = Fixture::new("merchant");
    let foreign = Endpoint::Return {
        authorization_id: AuthorizationId::new(Environment::Training, 1),
        capture_id: CaptureId::new(Environment::Production, 2),
    };
    let body = crate::flexiti::ReturnBody {
        amount: None,
        full_return: true,
        reference: None,
        vcc_number: None,
        sku_data: None,
    };
    let error = prepare(&foreign, &fixture.setup(at(1)), &body).unwrap_err();
    assert_eq!(
        error,
        PrepareError::Environment(EnvironmentMismatch {
            target: Environment::Training,
            object: Environment::Production
        })
    );
    assert_eq!(error.code(), "environment_mismatch");
    fixture.token = token(Environment::MerchantIntegration, "merchant");
    let error = prepare(
        &Endpoint::Captures,
        &fixture.setup(at(1)),
        &CaptureListQuery::default(),
    )
    .unwrap_err();
    assert_eq!(
        error,
        PrepareError::TokenEnvironment {
            token: Environment::MerchantIntegration,
            target: Environment::Training
        }
    );
    assert!(error.to_string().contains("TRAINING's credentials"));
}

#[test]
fn customer_tokens_reach_only_customer_endpoints() {
    let fixture = Fixture::new("customer");
    let setup = fixture.setup(at(1));
    let verify = AccountVerifyBody {
        method: VerifyMethod::Sms,
        vcc_number: None,
        request_id: crate::flexiti::MerchantText::parse("r-1", "request_id").unwrap(),
    };
    let endpoint = Endpoint::AccountVerify {
        account_number: account(),
    };
    assert!(prepare(&endpoint, &setup, &verify).is_ok());
    let calculate = Endpoint::CalculateInterest {
        account_number: account(),
    };
    assert!(prepare(
        &calculate,
        &setup,
        &CalculateInterestBody { amount: cad(1) }
    )
    .is_ok());
    for (endpoint, error) in [
        (
            Endpoint::Captures,
            prepare(&Endpoint::Captures, &setup, &CaptureListQuery::default()),
        ),
        (
            Endpoint::Authorizations,
            prepare(
                &Endpoint::Authorizations,
                &setup,
                &AuthorizationListQuery::default(),
            ),
        ),
    ] {
        let error = error.unwrap_err();
        assert_eq!(
            error,
            PrepareError::InsufficientScope {
                endpoint: endpoint.path(&fixture.client)
            }
        );
        assert_eq!(error.code(), "insufficient_scope");
        assert!(error.to_string().contains("merchant"));
    }
    // The scope is judged before the token's age.
    assert_eq!(
        prepare(
            &Endpoint::Captures,
            &fixture.setup(at(5000)),
            &CaptureListQuery::default()
        )
        .unwrap_err()
        .code(),
        "insufficient_scope"
    );
}

#[test]
fn wrong_request_types_invalid_requests_and_the_token_endpoint() {
    let fixture = Fixture::new("merchant");
    let setup = fixture.setup(at(1));
    assert_eq!(
        prepare(
            &Endpoint::Authorizations,
            &setup,
            &CaptureListQuery::default()
        )
        .unwrap_err()
        .code(),
        "wrong_request_type"
    );
    assert_eq!(
        prepare(&Endpoint::Token, &setup, &CaptureListQuery::default()).unwrap_err(),
        PrepareError::TokenEndpoint
    );
    // Every problem, the clock-dependent ones included.
    let search = CustomerSearchQuery {
        first_name: "x".repeat(36),
        last_name: "Tremblay".into(),
        dob: CivilDate::parse("2030-01-01").unwrap(),
        postal_code: None,
    };
    let PrepareError::Invalid(validation) =
        prepare(&Endpoint::CustomerSearch, &setup, &search).unwrap_err()
    else {
        panic!("expected an invalid request");
    };
    let codes: Vec<(&str, &str)> = validation
        .errors()
        .map(|p| (p.path.as_str(), p.code))
        .collect();
    assert_eq!(
        codes,
        [("first_name", code::TOO_LONG), ("dob", code::NOT_IN_PAST)]
    );
    let mut broken = Fixture::new("merchant");
    broken.token.access_token = "abc\r\nx-evil: 1".into();
    let error = prepare(
        &Endpoint::Captures,
        &broken.setup(at(1)),
        &CaptureListQuery::default(),
    )
    .unwrap_err();
    assert_eq!(error.code(), "invalid_request");
    assert!(error.to_string().contains("headers.authorization"));
}

#[test]
fn the_token_call() {
    let credentials = Credentials {
        environment: Environment::MerchantIntegration,
        client_id: ClientId::parse("flexitidemo").unwrap(),
        client_secret: ClientSecret::parse("s").unwrap(),
    };
    let reference = ReferenceId::parse("abc").unwrap();
    let prepared = prepare_token(
        credentials.environment,
        &reference,
        &TokenRequest::client_credentials(&credentials, Some(Scope::Customer)),
    );
    assert_eq!(
        prepared.url,
        "https://posapi-mi.flexiti.fi/flexiti/pos-api/v2.5/oauth/token"
    );
    assert_eq!(
        prepared.body.as_deref(),
        Some("client_id=flexitidemo&client_secret=s&grant_type=client_credentials&scope=customer")
    );
    assert_eq!(prepared.content_type, Some(FORM));
    assert!(prepared
        .headers
        .iter()
        .all(|(name, _)| *name != "authorization"));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn arbitrary_tokens_times_and_queries(
            access in ".{0,60}",
            scope in "(merchant|customer|other)",
            expires_in in any::<u32>(),
            seconds in any::<i32>(),
            query in ".{0,80}",
            env in 0usize..3,
        ) {
            let mut fixture = Fixture::new(&scope);
            fixture.token.access_token = access;
            fixture.token.expires_in = expires_in;
            fixture.token.environment = Environment::ALL[env];
            let setup = fixture.setup(at(i64::from(seconds)));
            if let Ok((list, _)) = AuthorizationListQuery::from_query(&query) {
                let _ = prepare(&Endpoint::Authorizations, &setup, &list);
            }
            let _ = prepare(&Endpoint::Captures, &setup, &CaptureListQuery::default());
            let result = prepare(
                &Endpoint::Refund { account_number: account() },
                &setup,
                &CaptureListQuery::default(),
            );
            prop_assert_eq!(result.unwrap_err().code(), "wrong_request_type");
        }
    }
}
