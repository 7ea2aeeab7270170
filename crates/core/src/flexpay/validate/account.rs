//! Account settings: gateways (Gateway Management API), companies, API keys and FlexPay
//! Retries configurations.

use crate::flexpay::account::{ApiKeyRequest, AutoRetryConfig, Company};
use crate::flexpay::gateway::{Gateway, GatewayType, GATEWAY_TYPES};
use crate::money::Currency;
use crate::validation::json::Lookup;
use crate::validation::{code, Validation};

use super::checks::{self, optional_text, required_text, At};
use super::{limits, ValidationContext};

/// Validates a Gateway Management object (reference §14.1). Its envelope was never
/// published, so paths start at the object's own fields (`gatewayType`).
///
/// A gateway type code flexkit does not know is only a warning: FlexPay adds gateways (the
/// code of MassPay, which it supports, is not public). So is a known code missing from
/// FlexPay's documented list, which FlexPay may refuse with 50145.
pub fn validate_gateway(gateway: &Gateway, ctx: &ValidationContext) -> Validation {
    let _ = ctx;
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "");
    if let Some(id) = &gateway.id {
        if id.trim().is_empty() {
            at.error(
                "id",
                code::REQUIRED,
                "id is empty: leave it out when creating a gateway, or send the gateway token \
                 when updating one.",
            );
        } else {
            checks::within_length(&mut at, "id", id, limits::GATEWAY_TOKEN);
        }
    }
    required_text(
        &mut at,
        "name",
        &gateway.name,
        limits::GATEWAY_NAME,
        "name the gateway; the name cannot be changed later",
    );
    optional_text(
        &mut at,
        "merchantAccountReferenceId",
        gateway.merchant_account_reference_id.as_deref(),
        limits::MERCHANT_ACCOUNT_REFERENCE_ID,
    );
    gateway_type(&mut at, &gateway.gateway_type);
    let currency = checks::currency(&mut at, "currencyCode", &gateway.currency_code);
    if let Some(codes) = &gateway.accepted_currency_codes {
        accepted_currencies(&mut at, codes, currency);
    }
    if let Some(weight) = gateway.weight.as_ref().and_then(serde_json::Number::as_f64) {
        if weight < 0.0 {
            at.error(
                "weight",
                code::INVALID_VALUE,
                "weight must not be negative; it is the gateway's share of routed traffic \
                 (default 1).",
            );
        } else if weight == 0.0 {
            at.warn(
                "weight",
                code::INVALID_VALUE,
                "weight 0 means FlexPay's routing never picks this gateway; the default is 1.",
            );
        }
    }
    if let Some(rate) = gateway
        .approved_charge_or_capture_rate_fee
        .as_ref()
        .and_then(serde_json::Number::as_f64)
    {
        if !(0.0..=100.0).contains(&rate) {
            at.error(
                "approvedChargeOrCaptureRateFee",
                code::INVALID_VALUE,
                "approvedChargeOrCaptureRateFee is a percentage from 0 to 100 (2.9 for 2.9%).",
            );
        }
    }
    if let Some(fee) = gateway.approved_charge_or_capture_flat_fee {
        checks::fee(&mut at, "approvedChargeOrCaptureFlatFee", fee);
    }
    if let Some(fee) = gateway.other_transaction_flat_fee {
        checks::fee(&mut at, "otherTransactionFlatFee", fee);
    }
    validation
}

fn gateway_type(at: &mut At<'_>, gateway_type: &GatewayType) {
    const FIELD: &str = "gatewayType";
    match gateway_type {
        GatewayType::Other(given) if given.trim().is_empty() => at.error(
            FIELD,
            code::REQUIRED,
            "gatewayType is missing or empty: send the gateway type code, such as \"stripe\".",
        ),
        GatewayType::Other(given) => {
            match GATEWAY_TYPES
                .iter()
                .find(|info| info.code.eq_ignore_ascii_case(given))
            {
                Some(info) => at.error(
                    FIELD,
                    code::INVALID_VALUE,
                    format!(
                        "gatewayType codes are case-sensitive: did you mean \"{}\" ({})?",
                        info.code, info.name
                    ),
                ),
                None => at.warn(
                    FIELD,
                    code::INVALID_VALUE,
                    "gatewayType is not a code flexkit knows; FlexPay may refuse it (50145). \
                     Check its spelling against FlexPay's list of gateway types.",
                ),
            }
        }
        GatewayType::FlexpayDeclined => at.error(
            FIELD,
            code::INVALID_VALUE,
            "flexpay_declined is FlexPay's placeholder for requests that reached no gateway, \
             not a gateway type to create.",
        ),
        known => {
            if let Some(info) = known.info().filter(|info| !info.in_documented_list) {
                at.warn(
                    FIELD,
                    code::INVALID_VALUE,
                    format!(
                        "\"{}\" ({}) is not in FlexPay's documented list of supported gateway \
                         types; FlexPay may refuse to create it (50145).",
                        info.code, info.name
                    ),
                );
            }
        }
    }
}

fn accepted_currencies(at: &mut At<'_>, codes: &[String], currency: Option<Currency>) {
    const FIELD: &str = "acceptedCurrencyCodes";
    if codes.is_empty() {
        at.warn(
            FIELD,
            code::INVALID_VALUE,
            "acceptedCurrencyCodes is empty, so the gateway accepts its own currencyCode only; \
             list the other currencies it takes, or leave the field out.",
        );
        return;
    }
    let mut any_bad = false;
    let mut seen = Lookup::default();
    for (index, code_text) in codes.iter().enumerate() {
        // XAU, XTS and the other codes without a minor unit are refused here as for the
        // gateway's own currencyCode (`checks::currency` words why).
        let known = Currency::from_code(code_text).is_ok_and(|c| c.has_minor_unit());
        let duplicate = seen
            .get_or_insert(code_text, index, |i| codes[i].as_str())
            .is_some();
        if known && !duplicate {
            continue;
        }
        any_bad = true;
        // The indexed name is built only here, for a problem.
        let element = format!("{FIELD}[{index}]");
        if known {
            at.warn(
                &element,
                code::CONFLICT,
                format!("\"{code_text}\" is listed twice; list each currency once."),
            );
        } else {
            checks::currency(at, &element, code_text);
        }
    }
    if let Some(currency) = currency {
        if !any_bad && !codes.iter().any(|c| c == currency.code()) {
            at.warn(
                FIELD,
                code::INVALID_VALUE,
                format!(
                    "acceptedCurrencyCodes does not list the gateway's own currencyCode \
                     \"{currency}\": list it too. FlexPay does not say whether a gateway still \
                     takes it then (flexkit's sandbox does)."
                ),
            );
        }
    }
}

/// A company code: letters and digits, as FlexPay's portal asks.
///
/// The same documentation names a company `FP_01` in its batch-file example, so an
/// underscore is only warned about: FlexPay has evidently accepted one, but a code of
/// letters and digits is the one the rules promise to accept. Anything else (spaces,
/// dashes, other punctuation, non-ASCII letters) is an error, since the code also starts
/// the names of batch files.
fn company_code(at: &mut At<'_>, field: &str, value: &str) {
    if !required_text(
        at,
        field,
        value,
        limits::COMPANY_CODE,
        "send the company's code (letters and digits)",
    ) {
        return;
    }
    if value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return;
    }
    if value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        at.warn(
            field,
            code::INVALID_FORMAT,
            format!(
                "FlexPay asks for company codes of letters and digits only; an underscore, as \
                 in its own example \"FP_01\", may be accepted, but \"{}\" is safe.",
                value.replace('_', "")
            ),
        );
    } else {
        at.error(
            field,
            code::INVALID_FORMAT,
            "A company code must be letters and digits only (A-Z, a-z, 0-9): it also starts \
             the names of batch files.",
        );
    }
}

/// Validates a company: a name and a code of letters and digits (an underscore only warns;
/// see the module docs).
pub fn validate_company(company: &Company, ctx: &ValidationContext) -> Validation {
    let _ = ctx;
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "");
    required_text(
        &mut at,
        "name",
        &company.name,
        limits::COMPANY_NAME,
        "name the company",
    );
    company_code(&mut at, "code", &company.code);
    validation
}

/// Validates the portal's "Generate API key" form.
pub fn validate_api_key_request(request: &ApiKeyRequest, ctx: &ValidationContext) -> Validation {
    let _ = ctx;
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "");
    required_text(
        &mut at,
        "name",
        &request.name,
        limits::SETTING_NAME,
        "name the key after the system that will use it",
    );
    company_code(&mut at, "company", &request.company);
    validation
}

/// Validates a FlexPay Retries (auto-retry) configuration. That there is at most one per
/// company and environment is a rule about a list of them, checked by
/// [`crate::flexpay::account::find_duplicate_auto_retry`].
pub fn validate_auto_retry_config(config: &AutoRetryConfig, ctx: &ValidationContext) -> Validation {
    let _ = ctx;
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "");
    required_text(
        &mut at,
        "name",
        &config.name,
        limits::SETTING_NAME,
        "name the configuration",
    );
    company_code(&mut at, "company", &config.company);
    validation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::account::{AutoRetryStatus, Environment};
    use crate::flexpay::gateway::{GatewayStatus, GATEWAY_TYPES};
    use crate::validation::Severity;

    use super::super::fixtures::*;

    fn stripe() -> Gateway {
        Gateway {
            merchant_account_reference_id: Some("MID-4400".into()),
            accepted_currency_codes: Some(vec!["USD".into(), "CAD".into()]),
            weight: Some(1.into()),
            accept_retries: Some(true),
            cvv_required: Some(false),
            approved_charge_or_capture_rate_fee: serde_json::Number::from_f64(2.9),
            approved_charge_or_capture_flat_fee: Some(30),
            other_transaction_flat_fee: Some(0),
            ..Gateway::new(
                "Stripe US",
                GatewayType::Stripe,
                "USD",
                GatewayStatus::Available,
            )
        }
    }

    #[test]
    fn a_realistic_gateway_passes() {
        assert_clean(&validate_gateway(&stripe(), &production()));
        let refund_only = Gateway {
            id: Some("G4T3W4YS4NDB0X0000000000AB".into()),
            status: GatewayStatus::RefundOnly,
            ..stripe()
        };
        assert_clean(&validate_gateway(&refund_only, &production()));
    }

    #[test]
    fn gateway_types() {
        let with = |code: &str| {
            validate_gateway(
                &Gateway {
                    gateway_type: GatewayType::from_wire(code),
                    ..stripe()
                },
                &production(),
            )
        };
        for info in GATEWAY_TYPES {
            let v = with(info.code);
            match (info.code, info.in_documented_list) {
                ("flexpay_declined", _) => {
                    assert_one(&v, "gatewayType", code::INVALID_VALUE, Severity::Error)
                }
                (_, true) => assert_clean(&v),
                (_, false) => assert_one(&v, "gatewayType", code::INVALID_VALUE, Severity::Warning),
            }
        }
        let v = with("Stripe");
        assert_one(&v, "gatewayType", code::INVALID_VALUE, Severity::Error);
        assert!(v.problems()[0].message.contains("\"stripe\""));
        assert_one(
            &with("masspay"),
            "gatewayType",
            code::INVALID_VALUE,
            Severity::Warning,
        );
        assert_one(&with(""), "gatewayType", code::REQUIRED, Severity::Error);
    }

    #[test]
    fn gateway_currencies_fees_and_weight() {
        let ctx = production();
        let gateway = Gateway {
            name: String::new(),
            currency_code: "usd".into(),
            accepted_currency_codes: Some(vec![
                "USD".into(),
                "EURO".into(),
                "USD".into(),
                "cad".into(),
                "XAU".into(),
            ]),
            weight: Some((-1).into()),
            approved_charge_or_capture_rate_fee: serde_json::Number::from_f64(120.0),
            approved_charge_or_capture_flat_fee: Some(-30),
            other_transaction_flat_fee: Some(9_007_199_254_740_992),
            ..stripe()
        };
        assert_problems(
            &validate_gateway(&gateway, &ctx),
            &[
                ("name", code::REQUIRED),
                ("currencyCode", code::UNKNOWN_CURRENCY),
                ("acceptedCurrencyCodes[1]", code::INVALID_FORMAT),
                ("acceptedCurrencyCodes[2]", code::CONFLICT),
                ("acceptedCurrencyCodes[3]", code::UNKNOWN_CURRENCY),
                ("acceptedCurrencyCodes[4]", code::UNKNOWN_CURRENCY),
                ("weight", code::INVALID_VALUE),
                ("approvedChargeOrCaptureRateFee", code::INVALID_VALUE),
                ("approvedChargeOrCaptureFlatFee", code::NEGATIVE_AMOUNT),
                ("otherTransactionFlatFee", code::AMOUNT_OUT_OF_RANGE),
            ],
        );
        let not_own = Gateway {
            accepted_currency_codes: Some(vec!["CAD".into()]),
            ..stripe()
        };
        assert_one(
            &validate_gateway(&not_own, &ctx),
            "acceptedCurrencyCodes",
            code::INVALID_VALUE,
            Severity::Warning,
        );
        let none = Gateway {
            accepted_currency_codes: Some(Vec::new()),
            weight: Some(0.into()),
            ..stripe()
        };
        assert_problems(
            &validate_gateway(&none, &ctx),
            &[
                ("acceptedCurrencyCodes", code::INVALID_VALUE),
                ("weight", code::INVALID_VALUE),
            ],
        );
    }

    #[test]
    fn company_codes_are_letters_and_digits_with_underscore_tolerated() {
        let ctx = production();
        let company = |code: &str| Company {
            name: "Flexkit Demo".into(),
            code: code.into(),
        };
        assert_clean(&validate_company(&company("FP01"), &ctx));
        let v = validate_company(&company("FP_01"), &ctx);
        assert_one(&v, "code", code::INVALID_FORMAT, Severity::Warning);
        assert!(v.problems()[0].message.contains("\"FP01\""));
        for bad in ["FP-01", "FP 01", "FP/01", "ÉTÉ"] {
            let v = validate_company(&company(bad), &ctx);
            assert_one(&v, "code", code::INVALID_FORMAT, Severity::Error);
        }
        assert_one(
            &validate_company(&company(""), &ctx),
            "code",
            code::REQUIRED,
            Severity::Error,
        );
        let long = validate_company(&company(&"A".repeat(limits::COMPANY_CODE + 1)), &ctx);
        assert_one(&long, "code", code::TOO_LONG, Severity::Warning);
        // FlexPay has no length code for a company's code: the limit is flexkit's alone.
        let message = &long.problems()[0].message;
        assert!(
            message.contains("FlexPay publishes no limit for it"),
            "{message}"
        );
        assert!(!message.contains("FlexPay checks its length"), "{message}");
        let unnamed = Company {
            name: " ".into(),
            ..company("FP01")
        };
        assert_one(
            &validate_company(&unnamed, &ctx),
            "name",
            code::REQUIRED,
            Severity::Error,
        );
    }

    #[test]
    fn api_keys_and_auto_retry_configurations() {
        let ctx = production();
        let key = ApiKeyRequest {
            name: "CRM production".into(),
            company: "FP01".into(),
            mode: Environment::Production,
        };
        assert_clean(&validate_api_key_request(&key, &ctx));
        let bad_key = ApiKeyRequest {
            name: String::new(),
            company: "FP 01".into(),
            ..key
        };
        assert_problems(
            &validate_api_key_request(&bad_key, &ctx),
            &[("name", code::REQUIRED), ("company", code::INVALID_FORMAT)],
        );
        let config = AutoRetryConfig {
            name: "Retries".into(),
            company: "FP01".into(),
            environment: Environment::Sandbox,
            status: AutoRetryStatus::Enabled,
        };
        assert_clean(&validate_auto_retry_config(&config, &ctx));
        let bad_config = AutoRetryConfig {
            name: "n".repeat(limits::SETTING_NAME + 1),
            company: String::new(),
            ..config
        };
        assert_problems(
            &validate_auto_retry_config(&bad_config, &ctx),
            &[("name", code::TOO_LONG), ("company", code::REQUIRED)],
        );
    }
}
