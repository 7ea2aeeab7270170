//! Feeds arbitrary bytes to every JSON front end of the FlexPay validators. Beyond "never
//! panics", it holds the answers to what callers rely on: at most one problem per path, and
//! a 5xxxx response code for every problem.

#![no_main]

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::response_code::ResponseCategory;
use flexkit_core::flexpay::validate::{
    flexpay_response_code, validate_api_key_request_json, validate_auto_retry_config_json,
    validate_capture_json, validate_charge_json, validate_company_json,
    validate_create_payment_method_json, validate_gateway_json, validate_list_query_json,
    validate_refund_json, validate_void_json, ValidationContext,
};
use flexkit_core::validation::Validation;
use flexkit_core::UtcTimestamp;
use libfuzzer_sys::fuzz_target;

fn check(validation: &Validation) {
    let mut paths: Vec<&str> = validation
        .problems()
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    let count = paths.len();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(
        paths.len(),
        count,
        "two problems at one path: {validation:?}"
    );
    for problem in validation.problems() {
        assert!(!problem.message.is_empty());
        let code = flexpay_response_code(problem);
        assert_eq!(
            code.category(),
            ResponseCategory::ApiValidation,
            "{problem}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 cannot reach the validators (they take &str); replacing it keeps the
    // rest of the input meaningful.
    let text = String::from_utf8_lossy(data);
    let now = UtcTimestamp::parse_iso8601("2026-11-21T10:00:00Z").unwrap_or(UtcTimestamp::MIN);
    // The environment changes which cards count as expired.
    for environment in [Environment::Sandbox, Environment::Production] {
        let ctx = ValidationContext::new(now, environment);
        check(&validate_charge_json(&text, &ctx).validation);
        check(&validate_capture_json(&text, &ctx).validation);
        check(&validate_void_json(&text, &ctx).validation);
        check(&validate_refund_json(&text, &ctx).validation);
        check(&validate_create_payment_method_json(&text, &ctx).validation);
        check(&validate_list_query_json(&text, &ctx).validation);
        check(&validate_gateway_json(&text, &ctx).validation);
        check(&validate_company_json(&text, &ctx).validation);
        check(&validate_api_key_request_json(&text, &ctx).validation);
        check(&validate_auto_retry_config_json(&text, &ctx).validation);
    }
});
