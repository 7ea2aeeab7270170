use super::*;
use crate::flexiti::amount::cad;

fn codes(validation: &Validation) -> Vec<(String, &'static str)> {
    validation
        .errors()
        .map(|p| (p.path.clone(), p.code))
        .collect()
}

fn text(value: &str) -> MerchantText {
    MerchantText::parse(value, "test").unwrap()
}

fn online_promotional() -> AuthorizationBody {
    AuthorizationBody {
        account_number: AccountNumber::parse("12345678901234").unwrap(),
        vcc_number: None,
        reference: Some("ORDER-1".into()),
        financing_option: FinancingOption::PromotionalPurchase {
            plan_id: text("EMP12"),
            term: 12,
        },
        amount: cad(150_000),
        auto_capture: false,
        verification_code: None,
        in_store: None,
        sku_data: None,
    }
}

#[test]
fn authorization_serializes_exactly() {
    assert_eq!(
        online_promotional().to_json(),
        r#"{"account_number":12345678901234,"reference":"ORDER-1","financing_option":{"transaction_type":"promotional_purchase","plan_id":"EMP12","term":12},"amount":"1500.00","auto_capture":false}"#
    );
    let in_store = AuthorizationBody {
        financing_option: FinancingOption::RegularPurchase,
        verification_code: Some(VerificationCode::parse("2485").unwrap()),
        in_store: Some(InStore {
            request_id: text("12345678901234567890"),
            external_location_id: text("00-12345"),
            external_employee_id: text("12345-SMITH"),
        }),
        reference: None,
        ..online_promotional()
    };
    assert_eq!(
        in_store.to_json(),
        r#"{"account_number":12345678901234,"financing_option":{"transaction_type":"regular_purchase"},"amount":"1500.00","auto_capture":false,"verification_code":"2485","request_id":"12345678901234567890","external_location_id":"00-12345","external_employee_id":"12345-SMITH"}"#
    );
    for body in [online_promotional(), in_store] {
        assert!(body.validate().problems().is_empty());
        let (parsed, _) = AuthorizationBody::from_json(&body.to_json()).unwrap();
        assert_eq!(parsed, body);
    }
}

#[test]
fn authorization_accepts_both_documented_value_forms() {
    let (body, warnings) = AuthorizationBody::from_json(
        r#"{"account_number":"12345678901234","amount":1500,"auto_capture":true,
            "financing_option":{"transaction_type":"promotional_purchase","plan_id":7,"term":"12"},
            "verification_code":24856785,"request_id":"r","external_location_id":"00-1",
            "external_employee_id":"e","vcc_number":6011000000001234}"#,
    )
    .unwrap();
    assert!(warnings.problems().is_empty());
    assert_eq!(body.amount, cad(150_000));
    assert_eq!(body.verification_code.unwrap().as_str(), "24856785");
    assert_eq!(body.vcc_number.unwrap().last_four(), "1234");
}

#[test]
fn authorization_reports_every_problem_at_once() {
    let validation = AuthorizationBody::from_json(
        r#"{"account_number":"1234567890123456","reference":"ORDER-THAT-IS-MUCH-TOO-LONG-FOR-FLEXITI-0001",
            "financing_option":{"transaction_type":"promotional_purchase","term":0},
            "amount":"-5.00","auto_capture":"yes","request_id":"r","colour":"red",
            "vcc_number":"12","sku_data":{"purchase_order":"PO-123456789","products":[{"quantity":1.5},3]}}"#,
    )
    .unwrap_err();
    assert_eq!(
        codes(&validation),
        vec![
            ("colour".into(), code::UNKNOWN_FIELD),
            ("account_number".into(), code::TOO_LONG),
            ("vcc_number".into(), code::TOO_SHORT),
            ("reference".into(), code::TOO_LONG),
            ("financing_option.plan_id".into(), code::REQUIRED),
            ("financing_option.term".into(), code::INVALID_VALUE),
            ("amount".into(), code::NEGATIVE_AMOUNT),
            ("auto_capture".into(), code::WRONG_TYPE),
            ("external_location_id".into(), code::REQUIRED),
            ("external_employee_id".into(), code::REQUIRED),
            ("verification_code".into(), code::REQUIRED),
            ("sku_data.purchase_order".into(), code::TOO_LONG),
            ("sku_data.products[0].quantity".into(), code::INVALID_VALUE),
            ("sku_data.products[1]".into(), code::WRONG_TYPE),
        ]
    );
    for problem in validation.problems() {
        assert!(!problem.message.is_empty());
    }
}

#[test]
fn authorization_required_fields_and_channel_rules() {
    let missing = AuthorizationBody::from_json("{}").unwrap_err();
    assert_eq!(
        codes(&missing),
        vec![
            ("account_number".into(), code::REQUIRED),
            ("financing_option".into(), code::REQUIRED),
            ("amount".into(), code::REQUIRED),
            ("auto_capture".into(), code::REQUIRED),
        ]
    );
    // A PIN without the in-store fields.
    let pin_only = AuthorizationBody::from_json(
        r#"{"account_number":1,"amount":"1.00","auto_capture":true,"verification_code":"1",
            "financing_option":{"transaction_type":"regular_purchase","plan_id":"X"}}"#,
    )
    .unwrap_err();
    assert_eq!(
        codes(&pin_only),
        vec![
            ("financing_option.plan_id".into(), code::CONFLICT),
            ("request_id".into(), code::REQUIRED),
            ("external_location_id".into(), code::REQUIRED),
            ("external_employee_id".into(), code::REQUIRED),
        ]
    );
    let bad_type = AuthorizationBody::from_json(
        r#"{"account_number":1,"amount":"0","auto_capture":true,
            "financing_option":{"transaction_type":"deposit"},"verification_code":"sent"}"#,
    )
    .unwrap_err();
    assert_eq!(
        codes(&bad_type)[..3],
        [
            (
                "financing_option.transaction_type".into(),
                code::INVALID_VALUE
            ),
            ("amount".into(), code::ZERO_AMOUNT),
            ("verification_code".into(), code::INVALID_FORMAT),
        ]
    );
}

#[test]
fn typed_values_are_validated_too() {
    let body = AuthorizationBody {
        reference: Some("é".into()),
        amount: Money::new(100, crate::money::Currency::USD),
        ..online_promotional()
    };
    assert_eq!(
        codes(&body.validate()),
        vec![
            ("reference".into(), code::INVALID_FORMAT),
            ("amount".into(), code::INVALID_VALUE),
        ]
    );
}

#[test]
fn malformed_input_is_one_problem() {
    for (text, expected) in [
        ("", code::MALFORMED_JSON),
        ("[1]", code::WRONG_TYPE),
        ("{\"a\":", code::MALFORMED_JSON),
    ] {
        let validation = CaptureBody::from_json(text).unwrap_err();
        assert_eq!(
            codes(&validation),
            vec![(String::new(), expected)],
            "{text}"
        );
    }
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert_eq!(
        codes(&CaptureBody::from_json(&deep).unwrap_err()),
        vec![(String::new(), code::TOO_DEEPLY_NESTED)]
    );
    let huge = format!("{{\"reference\":\"{}\"}}", "a".repeat(300_000));
    assert_eq!(
        codes(&CaptureBody::from_json(&huge).unwrap_err()),
        vec![(String::new(), code::INPUT_TOO_LARGE)]
    );
}

#[test]
fn capture_body() {
    let body = CaptureBody {
        amount: cad(50_000),
        reference: Some("ORDER-1".into()),
        store: None,
        sku_data: Some(SkuData {
            transaction_total: Some(cad(50_000)),
            products: vec![crate::flexiti::SkuProduct {
                sku_id: Some("SKU-1".into()),
                quantity: Some(2),
                unit_price: Some(cad(25_000)),
                extended_price: Some(cad(50_000)),
                ..Default::default()
            }],
            ..Default::default()
        }),
    };
    assert_eq!(
        body.to_json(),
        r#"{"amount":"500.00","reference":"ORDER-1","sku_data":{"transaction_total":"500.00","products":[{"sku_id":"SKU-1","quantity":2,"unit_price":"250.00","extended_price":"500.00"}]}}"#
    );
    assert!(body.validate().problems().is_empty());
    assert_eq!(
        codes(&CaptureBody::from_json(r#"{"external_location_id":"00-1"}"#).unwrap_err()),
        vec![
            ("amount".into(), code::REQUIRED),
            ("external_employee_id".into(), code::REQUIRED),
        ]
    );
}

#[test]
fn sku_totals_that_do_not_add_up_are_a_warning() {
    let (_, warnings) = CaptureBody::from_json(
        r#"{"amount":"1.00","sku_data":{"products":[{"quantity":3,"unit_price":"1.00","extended_price":"2.00"}]}}"#,
    )
    .unwrap();
    assert_eq!(
        warnings.warnings().next().map(|p| p.path.as_str()),
        Some("sku_data.products[0].extended_price")
    );
}

#[test]
fn release_body() {
    assert_eq!(ReleaseBody::default().to_json(), "{}");
    let (partial, _) = ReleaseBody::from_json(r#"{"amount":"20.00"}"#).unwrap();
    assert_eq!(partial.amount, Some(cad(2000)));
    assert_eq!(
        codes(&ReleaseBody::from_json(r#"{"amount":"0.00"}"#).unwrap_err()),
        vec![("amount".into(), code::ZERO_AMOUNT)]
    );
}

#[test]
fn return_body() {
    let partial = ReturnBody {
        amount: Some(cad(10_000)),
        full_return: false,
        reference: Some("RMA-1".into()),
        vcc_number: None,
        sku_data: None,
    };
    assert_eq!(
        partial.to_json(),
        r#"{"amount":"100.00","full_return":false,"reference":"RMA-1"}"#
    );
    assert!(partial.validate().problems().is_empty());
    let (full, _) = ReturnBody::from_json(r#"{"full_return":true}"#).unwrap();
    assert_eq!(full.amount, None);
    assert_eq!(
        codes(&ReturnBody::from_json(r#"{"full_return":false}"#).unwrap_err()),
        vec![("amount".into(), code::REQUIRED)]
    );
    assert_eq!(
        codes(&ReturnBody::from_json(r#"{"amount":"1.00"}"#).unwrap_err()),
        vec![("full_return".into(), code::REQUIRED)]
    );
    // Return line items may carry negative totals.
    assert!(ReturnBody::from_json(
        r#"{"full_return":true,"sku_data":{"transaction_total":"-100.00"}}"#
    )
    .is_ok());
}

#[test]
fn refund_body() {
    let (body, _) = RefundBody::from_json(
        r#"{"amount":"25.00","capture_id":123456789,"external_location_id":"00-1","external_employee_id":"E1","vcc_number":"6011000000001234"}"#,
    )
    .unwrap();
    assert_eq!(
        body.to_json(),
        r#"{"amount":"25.00","vcc_number":"6011000000001234","capture_id":123456789,"external_location_id":"00-1","external_employee_id":"E1"}"#
    );
    assert_eq!(
        codes(&RefundBody::from_json(r#"{"amount":"1.00","capture_id":1000000000}"#).unwrap_err()),
        vec![("capture_id".into(), code::INVALID_VALUE)]
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,60}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("amount".to_owned()),
                        Just("account_number".to_owned()),
                        Just("financing_option".to_owned()),
                        Just("transaction_type".to_owned()),
                        Just("sku_data".to_owned()),
                        Just("products".to_owned()),
                        Just("full_return".to_owned()),
                        Just("request_id".to_owned()),
                        ".{0,8}",
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn arbitrary_json(value in json_value()) {
            let text = value.to_string();
            let _ = AuthorizationBody::from_json(&text);
            let _ = CaptureBody::from_json(&text);
            let _ = ReleaseBody::from_json(&text);
            let _ = ReturnBody::from_json(&text);
            let _ = RefundBody::from_json(&text);
        }

        #[test]
        fn arbitrary_text(text in ".{0,200}") {
            let _ = AuthorizationBody::from_json(&text);
        }

        #[test]
        fn accepted_bodies_round_trip(amount in 1i64..1_000_000_000, term in 1u16..=120, auto in any::<bool>()) {
            let body = AuthorizationBody {
                amount: cad(amount),
                auto_capture: auto,
                financing_option: FinancingOption::PromotionalPurchase { plan_id: text("P"), term },
                ..online_promotional()
            };
            let (parsed, _) = AuthorizationBody::from_json(&body.to_json()).unwrap();
            prop_assert_eq!(parsed, body);
        }
    }
}
