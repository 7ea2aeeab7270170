//! The snapshot reader (`crate::json_reader`) and serde's derived readers agree on every
//! document here: `Sandbox::from_snapshot` reads each with both in tests
//! (`snapshot::differential`), so these documents add the edits no other test makes — every
//! key left out, renamed, given twice and given a value of every other type, and the text cut
//! at every byte.

use serde_json::json;

use super::platform::{GatewayRouting, PlatformConfig, RecoveryMinimum};
use super::retry_schedule::RecoveryLimits;
use super::test_support::{at_hours, sandbox_with_key, t0, visa_charge};
use super::users::AccessLevel;
use super::Sandbox;
use crate::flexpay::account::{AutoRetryStatus, Environment};
use crate::flexpay::gateway::Gateway;
use crate::flexpay::transaction::RefundRequest;
use crate::json_edits::each_edit;
use crate::money::Currency;

/// A sandbox with records of every kind: companies with recovery limits, keys, a FlexPay
/// Retries configuration, a created gateway with settings, cards, weights and fees, payments
/// soft-declined, retried, approved and refunded, a user and a platform configuration.
fn busy() -> String {
    let (mut sandbox, key) = sandbox_with_key();
    sandbox.create_company("Northwind", "NWS01", t0()).unwrap();
    sandbox
        .set_recovery_limits(
            "NWS01",
            RecoveryLimits {
                max_retries: 4,
                window_days: 9,
            },
        )
        .unwrap();
    sandbox
        .generate_api_key("live", "NWS01", Environment::Production, t0())
        .unwrap();
    sandbox
        .add_auto_retry(
            "Scheduler",
            "DEFAULT",
            Environment::Sandbox,
            AutoRetryStatus::Enabled,
            t0(),
        )
        .unwrap();
    let gateway: Gateway = serde_json::from_value(json!({
        "name": "Stripe EU",
        "merchantAccountReferenceId": "MID-7",
        "gatewayType": "stripe_payment_intents",
        "currencyCode": "USD",
        "status": "Available",
        "acceptedCurrencyCodes": ["USD", "EUR"],
        "acceptedCards": {"visa": {"acceptCreditCard": true, "acceptDebitCard": false}},
        "weight": 2.5,
        "acceptRetries": true,
        "approvedChargeOrCaptureRateFee": 1.25,
        "approvedChargeOrCaptureFlatFee": 30,
        "settings": {"apiKey": "sk_test_1", "nested": {"a": [1, 2.5, null, true]}}
    }))
    .unwrap();
    sandbox.create_gateway(&key, gateway, t0()).unwrap();
    let first = sandbox
        .charge(&key, visa_charge("busy-1", 2008), t0())
        .unwrap();
    sandbox
        .charge(&key, visa_charge("busy-2", 2012), t0())
        .unwrap();
    sandbox
        .charge(&key, visa_charge("busy-4", 2000), t0())
        .unwrap();
    sandbox
        .refund(
            &key,
            &first.transaction_id,
            RefundRequest::full("busy-3"),
            t0(),
        )
        .unwrap();
    sandbox.run_due_retries(at_hours(24 * 3));
    sandbox
        .add_user(
            "Ada Reader",
            "ada@example.com",
            AccessLevel::AccountReader,
            "Temporary-Pass-1",
            t0(),
        )
        .unwrap();
    sandbox
        .set_platform_config(
            Environment::Sandbox,
            PlatformConfig {
                recovery_minimums: vec![RecoveryMinimum {
                    currency: Currency::USD,
                    initial_sale: 500,
                    rebill: 0,
                }],
                account_currencies: vec![Currency::USD],
                gateway_routing: GatewayRouting::RoutingEnabled,
            },
        )
        .unwrap();
    sandbox.to_snapshot()
}

fn documents() -> Vec<String> {
    vec![
        Sandbox::new(7).to_snapshot(),
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
        json!(70_000),
        json!(4_294_967_296_u64),
        json!(u64::MAX),
        json!("x"),
        json!("12"),
        json!("10000"),
        json!("USD"),
        json!("Sandbox"),
        json!("2023-11-14T22:13:20Z"),
        json!([]),
        json!([1]),
        json!({}),
        json!({"created": 0}),
        json!({"builtIn": null}),
    ];
    let mut checked = 0;
    for text in documents() {
        checked += each_edit(&text, &others, |edited| {
            let _ = Sandbox::from_snapshot(edited);
        });
    }
    assert!(checked > 1_000, "{checked}");
}

#[test]
fn on_cut_and_damaged_text() {
    for text in documents() {
        for cut in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
            let _ = Sandbox::from_snapshot(&text[..cut]);
        }
        for (from, to) in [
            ("\"Sandbox\"", "\"\\u0053andbox\""),
            ("\"Sandbox\"", "\"\\ud800\""),
            ("\"Sandbox\"", "\"\\udc00\\ud800\""),
            ("\"Sandbox\"", "\"\\ud83d\\ude00\""),
            ("\"Sandbox\"", "\"\\uZZZZ\""),
            ("\"Sandbox\"", "\"S\\q\""),
            ("\"Sandbox\"", "\"\t\""),
            ("\"Sandbox\"", "{\"Sandbox\":null}"),
            ("\"Sandbox\"", "{\"Sandbox\":1}"),
            ("\"builtIn\"", "{\"builtIn\":null}"),
            ("\"builtIn\"", "\"created\""),
            ("\"builtIn\"", "{\"created\":3}"),
            ("\"builtIn\"", "{\"created\":3,\"x\":1}"),
            ("{\"created\":", "{\"builtIn\":"),
            ("\"name\"", "\"n\\u0061me\""),
            ("\"name\"", "\"\\ud800\""),
            ("{\"", "{ \"extra\" : [1, {\"a\": \"\\ud800\"}], \""),
            ("{\"", "{\"extra\":1e400,\""),
            (":", " : "),
            (",", " ,\n "),
            (",", ",,"),
            ("]", ",]"),
            ("}", ",}"),
            ("}", " }"),
            ("true", "tru"),
            ("false", "nope"),
            ("\"seed\":\"", "\"seed\":\"+"),
            ("\"rng\":\"", "\"rng\":\"-"),
            ("\"code\":\"", "\"code\":\"x"),
            ("\"code\":\"", "\"code\":\"1234567890"),
            ("\"currency\":\"", "\"currency\":\"X"),
            ("\"masked\":\"", "\"masked\":\"x"),
            ("\"sha256\":\"", "\"sha256\":\"x"),
            ("\"id\":\"", "\"id\":\"x"),
            ("\"token\":\"", "\"token\" : \"x"),
            ("\"referenceData\":\"", "\"referenceData\":\"x"),
            ("\"weight\":", "\"weight\":\"1\",\"w\":"),
            ("\"settings\":{", "\"settings\":{\"k\":1e400,"),
            ("\"settings\":{", "\"settings\":{\"k\":1,\"k\":2,"),
            ("\"gateway\":{", "\"gateway\":{\"settings\":[1],"),
            ("\"gateway\":{", "\"gateway\":{\"settings\":[],"),
            ("\"gateway\":{", "\"gateway\":{\"settings\":\"x\","),
            ("\"gateway\":{", "\"gateway\":{\"settings\":null,"),
            (
                "\"gateway\":{",
                "\"gateway\":{\"settings\":{\"a\":[{}],\"a\":1},",
            ),
            ("\"gateway\":{", "\"gateway\":{\"settings\":{\"a\":-1e400},"),
            (
                "\"gateway\":{",
                "\"gateway\":{\"weight\":[],\"other\":[1,{}],",
            ),
            ("\"echo\":{", "\"echo\":{\"nope\":\"x\","),
            ("\"echo\":{", "\"echo\":{\"orderId\":1,"),
            ("\"platform\":{", "\"platform\":{\"x\":1,"),
            ("\"platform\":{", "\"platform\" : {\"sandbox\":1,"),
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
                let _ = Sandbox::from_snapshot(&text.replacen(from, to, count));
            }
        }
        for suffix in crate::json_edits::SUFFIXES {
            let _ = Sandbox::from_snapshot(&format!("{text}{suffix}"));
        }
        for version in crate::json_edits::VERSIONS {
            let mut edited = text.clone();
            for current in 1..=4 {
                edited = edited.replacen(
                    &format!("\"schemaVersion\":{current}"),
                    &format!("\"schemaVersion\":{version}"),
                    1,
                );
            }
            let _ = Sandbox::from_snapshot(&edited);
        }
    }
    let deep = format!(
        "{{\"schemaVersion\":{}{}}}",
        "[".repeat(130),
        "]".repeat(130)
    );
    let _ = Sandbox::from_snapshot(&deep);
    let deep = format!(
        "{{\"x\":{}{},\"schemaVersion\":9}}",
        "[".repeat(300),
        "]".repeat(300)
    );
    let _ = Sandbox::from_snapshot(&deep);
    let busy = busy();
    for depth in [120, 123, 124, 125, 127, 130] {
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let _ = Sandbox::from_snapshot(&busy.replacen(
            "\"settings\":{",
            &format!("\"settings\":{{\"deep\":{nested},"),
            1,
        ));
        let _ = Sandbox::from_snapshot(&busy.replacen(
            "\"platform\":{",
            &format!("\"platform\":{{\"deep\":{nested},"),
            1,
        ));
    }
}

/// The busy document holds every kind of record this module exists for.
#[test]
fn the_busy_document_is_busy() {
    let text = busy();
    for key in [
        "\"recovery\":",
        "\"settings\":{\"",
        "\"weight\":2.5",
        "\"acceptedCards\":",
        "\"card\":{\"masked\"",
        "\"echo\":{",
        "\"referenceData\":",
        "\"users\":",
        "\"password\":",
        "\"platform\":",
        "\"created\":",
        "\"autoRetries\":[{",
    ] {
        assert!(text.contains(key), "{key} in {text}");
    }
}
