//! The account's platform configuration (the FlexPay client portal's Account settings →
//! Platform configurations, reference §17), kept apart for Sandbox and Production and
//! account-wide: one for all companies of the environment.
//!
//! FlexPay documents only the names of its three parts: the recovery engine (max retries and
//! minimum amounts for initial sales and rebills), the account currencies (hidden from
//! reports, gateway processing unchanged) and gateway routing stickiness (No routing /
//! Routing Enabled / Original Gateway Routing, off by default). What each does here is
//! flexkit's choice:
//!
//! - **Recovery minimums**, per currency, in minor units: one for initial sales, one for
//!   rebills (0: none). A payment is a *rebill* when its request's `paymentPlan.billingCycle`
//!   is 2 or more (reference §3.6: the first cycle is the initial sale), else an *initial
//!   sale*; the first attempt decides, for the whole recovery. A soft decline (2xxxx) of a
//!   payment whose amount is below its minimum is not recovered: the response keeps the
//!   gateway's soft code but carries no `retryDate` and no `referenceData` (reference §11:
//!   2xxxx without a `retryDate` is unrecoverable), its message says why, the chain closes
//!   as declined for good, and FlexPay Retries never schedules it. The maximum retries are
//!   the companies' recovery limits ([`super::RecoveryLimits`]), not repeated here.
//! - **Account currencies**: the currencies the dashboard and the reports show; an empty list
//!   shows them all. Hiding a currency changes no processing: its payments are routed,
//!   answered and recovered as before, and the transaction list still lists them.
//! - **Gateway routing stickiness** of a retry sent without `gatewayToken` (a token always
//!   wins): [`GatewayRouting`].

#[cfg(test)]
use serde::Deserialize;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::flexpay::account::Environment;
use crate::money::{Currency, Money};
use crate::validation::json::JS_MAX_SAFE_INTEGER;
use crate::validation::Validation;

use super::error_code as code;
use super::{AdminError, Sandbox};

/// Where a retry without `gatewayToken` goes (flexkit's reading of FlexPay's three names).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum GatewayRouting {
    /// Off (FlexPay's default): every attempt is routed by the gateways' weights, and a
    /// retry fired by FlexPay Retries goes to the previous attempt's gateway.
    #[default]
    NoRouting,
    /// A retry goes to an Available gateway of the company other than the previous
    /// attempt's, with a weight above 0 and taking its currency, chosen by weight, when
    /// there is one (a cascade); else it is routed by weight.
    RoutingEnabled,
    /// A retry goes to the gateway of the payment's first attempt while it is Available and
    /// takes the currency; else it is routed by weight.
    OriginalGatewayRouting,
}

impl GatewayRouting {
    /// The portal's label.
    pub fn label(self) -> &'static str {
        match self {
            GatewayRouting::NoRouting => "No routing",
            GatewayRouting::RoutingEnabled => "Routing Enabled",
            GatewayRouting::OriginalGatewayRouting => "Original Gateway Routing",
        }
    }

    fn is_default(&self) -> bool {
        *self == GatewayRouting::NoRouting
    }

    /// As the snapshot writes it.
    fn name(self) -> &'static str {
        match self {
            GatewayRouting::NoRouting => "NoRouting",
            GatewayRouting::RoutingEnabled => "RoutingEnabled",
            GatewayRouting::OriginalGatewayRouting => "OriginalGatewayRouting",
        }
    }
}

/// The recovery minimums of one currency, in its minor units (0: no minimum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryMinimum {
    pub currency: Currency,
    pub initial_sale: i64,
    pub rebill: i64,
}

/// The platform configuration of one environment. The default changes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformConfig {
    /// At most one per currency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_minimums: Vec<RecoveryMinimum>,
    /// Shown in the dashboard and reports; empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account_currencies: Vec<Currency>,
    #[serde(default, skip_serializing_if = "GatewayRouting::is_default")]
    pub gateway_routing: GatewayRouting,
}

impl PlatformConfig {
    fn is_default(&self) -> bool {
        *self == PlatformConfig::default()
    }

    /// Every problem, at its path (`recoveryMinimums[0].rebill`, `accountCurrencies[1]`):
    /// `invalid_recovery_minimum` for an amount below 0 or above the largest the sandbox
    /// processes, `duplicate_currency` for a currency listed twice.
    pub fn problems(&self) -> Validation {
        let mut out = Validation::new();
        for (i, minimum) in self.recovery_minimums.iter().enumerate() {
            no_payments_in(
                &mut out,
                format!("recoveryMinimums[{i}].currency"),
                minimum.currency,
            );
            if self.recovery_minimums[..i]
                .iter()
                .any(|m| m.currency == minimum.currency)
            {
                out.error(
                    format!("recoveryMinimums[{i}].currency"),
                    code::DUPLICATE_CURRENCY,
                    format!("{} has minimums already", minimum.currency),
                );
            }
            for (field, amount) in [
                ("initialSale", minimum.initial_sale),
                ("rebill", minimum.rebill),
            ] {
                if !(0..=JS_MAX_SAFE_INTEGER).contains(&amount) {
                    out.error(
                        format!("recoveryMinimums[{i}].{field}"),
                        code::INVALID_RECOVERY_MINIMUM,
                        format!(
                            "{} is not a minimum: use 0 (none) or more, up to {}",
                            Money::new(amount, minimum.currency),
                            Money::new(JS_MAX_SAFE_INTEGER, minimum.currency)
                        ),
                    );
                }
            }
        }
        for (i, currency) in self.account_currencies.iter().enumerate() {
            no_payments_in(&mut out, format!("accountCurrencies[{i}]"), *currency);
            if self.account_currencies[..i].contains(currency) {
                out.error(
                    format!("accountCurrencies[{i}]"),
                    code::DUPLICATE_CURRENCY,
                    format!("{currency} is listed twice"),
                );
            }
        }
        out
    }

    /// The minimum of a payment of `amount` in `currency`, when `amount` is below it.
    pub fn minimum_above(
        &self,
        currency: Option<Currency>,
        rebill: bool,
        amount: i64,
    ) -> Option<i64> {
        let m = self
            .recovery_minimums
            .iter()
            .find(|m| Some(m.currency) == currency)?;
        let least = if rebill { m.rebill } else { m.initial_sale };
        (amount < least).then_some(least)
    }

    /// Whether the dashboard and reports show `currency` (a transaction without a known
    /// currency is always shown).
    pub fn shows(&self, currency: Option<Currency>) -> bool {
        self.account_currencies.is_empty()
            || currency.is_none_or(|c| self.account_currencies.contains(&c))
    }
}

/// The configurations of both environments, as the snapshot keeps them (left out while both
/// are the default, so older snapshots load, and write back, unchanged). Read through
/// `serde_json::Value`, whose reader the snapshot links anyway, rather than by derived
/// visitors for each type: the same refusals (unknown keys, wrong types, unknown currencies)
/// for less code in the portal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlatformConfigs {
    #[serde(default, skip_serializing_if = "PlatformConfig::is_default")]
    pub sandbox: PlatformConfig,
    #[serde(default, skip_serializing_if = "PlatformConfig::is_default")]
    pub production: PlatformConfig,
}

impl PlatformConfigs {
    pub(crate) fn is_default(&self) -> bool {
        self.sandbox.is_default() && self.production.is_default()
    }

    pub(crate) fn of(&self, mode: Environment) -> &PlatformConfig {
        match mode {
            Environment::Sandbox => &self.sandbox,
            Environment::Production => &self.production,
        }
    }
}

/// Refuses a code without a minor unit (gold, XTS, XXX, …): no payment is made in one, as the
/// request validators say, so a minimum or a shown currency of it would never apply.
fn no_payments_in(out: &mut Validation, path: String, currency: Currency) {
    if !currency.has_minor_unit() {
        out.error(
            path,
            crate::validation::code::UNKNOWN_CURRENCY,
            currency.without_minor_unit(currency.code()),
        );
    }
}

/// serde's reader, for the tests' comparison with the snapshot's reader.
#[cfg(test)]
impl<'de> Deserialize<'de> for PlatformConfigs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        read_configs(&value).map_err(serde::de::Error::custom)
    }
}

/// The fields of an object, refusing keys not in `known`.
fn object<'v>(
    value: &'v Value,
    what: &str,
    known: &[&str],
) -> Result<&'v Map<String, Value>, String> {
    let map = value
        .as_object()
        .ok_or_else(|| format!("{what} is not an object"))?;
    match map.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(format!("unknown field `{key}` in {what}")),
        None => Ok(map),
    }
}

fn array<'v>(value: Option<&'v Value>, what: &str) -> Result<&'v [Value], String> {
    match value {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("{what} is not an array")),
    }
}

fn currency(value: Option<&Value>, what: &str) -> Result<Currency, String> {
    let text = value
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{what} is not a currency code"))?;
    Currency::from_code(text).map_err(|e| format!("{what}: {e}"))
}

pub(crate) fn read_configs(value: &Value) -> Result<PlatformConfigs, String> {
    let map = object(value, "platform", &["sandbox", "production"])?;
    let read = |key: &str| {
        map.get(key)
            .map_or(Ok(PlatformConfig::default()), |v| read_config(v, key))
    };
    Ok(PlatformConfigs {
        sandbox: read("sandbox")?,
        production: read("production")?,
    })
}

fn read_config(value: &Value, what: &str) -> Result<PlatformConfig, String> {
    let map = object(
        value,
        what,
        &["recoveryMinimums", "accountCurrencies", "gatewayRouting"],
    )?;
    let mut config = PlatformConfig::default();
    for item in array(map.get("recoveryMinimums"), "recoveryMinimums")? {
        let row = object(
            item,
            "a recovery minimum",
            &["currency", "initialSale", "rebill"],
        )?;
        let amount = |key: &str| {
            row.get(key)
                .and_then(Value::as_i64)
                .ok_or_else(|| format!("{key} is not a whole number of minor units"))
        };
        config.recovery_minimums.push(RecoveryMinimum {
            currency: currency(row.get("currency"), "a recovery minimum's currency")?,
            initial_sale: amount("initialSale")?,
            rebill: amount("rebill")?,
        });
    }
    for item in array(map.get("accountCurrencies"), "accountCurrencies")? {
        config
            .account_currencies
            .push(currency(Some(item), "an account currency")?);
    }
    if let Some(routing) = map.get("gatewayRouting") {
        config.gateway_routing = [
            GatewayRouting::NoRouting,
            GatewayRouting::RoutingEnabled,
            GatewayRouting::OriginalGatewayRouting,
        ]
        .into_iter()
        .find(|r| routing.as_str() == Some(r.name()))
        .ok_or_else(|| format!("gatewayRouting {routing} is not NoRouting, RoutingEnabled or OriginalGatewayRouting"))?;
    }
    Ok(config)
}

impl Sandbox {
    /// The platform configuration of one environment.
    pub fn platform_config(&self, mode: Environment) -> &PlatformConfig {
        self.state.platform.of(mode)
    }

    /// Replaces the platform configuration of one environment; the other is untouched.
    /// Refused, with the code and message of its first problem
    /// ([`PlatformConfig::problems`]), when it has any. It applies from the next request
    /// on: responses already given keep their `retryDate`.
    pub fn set_platform_config(
        &mut self,
        mode: Environment,
        config: PlatformConfig,
    ) -> Result<(), AdminError> {
        if let Some(problem) = config.problems().errors().next() {
            return Err(AdminError::new(
                problem.code,
                format!("{}: {}", problem.path, problem.message),
            ));
        }
        let slot = match mode {
            Environment::Sandbox => &mut self.state.platform.sandbox,
            Environment::Production => &mut self.state.platform.production,
        };
        *slot = config;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
    use crate::flexpay::sandbox::recovery::ChainOutcome;
    use crate::flexpay::sandbox::test_support::{
        at_hours, live_console, sandbox_with_flexpay_retries, sandbox_with_key, t0, visa_charge,
    };
    use crate::flexpay::sandbox::CompanyScope;
    use crate::flexpay::transaction::{ChargeRequest, PaymentPlan, TransactionResponse};
    use crate::time::UtcTimestamp;

    fn usd() -> Currency {
        Currency::from_code("USD").unwrap()
    }

    fn eur() -> Currency {
        Currency::from_code("EUR").unwrap()
    }

    fn minimums(initial_sale: i64, rebill: i64) -> PlatformConfig {
        PlatformConfig {
            recovery_minimums: vec![RecoveryMinimum {
                currency: usd(),
                initial_sale,
                rebill,
            }],
            ..PlatformConfig::default()
        }
    }

    fn rebill(charge: ChargeRequest, cycle: u32) -> ChargeRequest {
        ChargeRequest {
            payment_plan: Some(PaymentPlan {
                billing_cycle: Some(cycle),
                ..PaymentPlan::default()
            }),
            ..charge
        }
    }

    fn unrecovered(t: &TransactionResponse) -> bool {
        t.retry_date.is_none() && t.reference_data.is_none()
    }

    #[test]
    fn a_soft_decline_below_its_minimum_keeps_its_code_without_a_retry_date() {
        let (mut sandbox, key) = sandbox_with_key();
        sandbox
            .set_platform_config(Environment::Sandbox, minimums(2500, 1000))
            .unwrap();
        // An initial sale of 20.08 below 25.00: 20003 kept, no retryDate, the reason said.
        let below = sandbox
            .charge(&key, visa_charge("m-1", 2008), t0())
            .unwrap();
        assert_eq!(below.response_code.value(), 20003);
        assert!(unrecovered(&below));
        let message = below.message.clone().unwrap_or_default();
        assert!(
            message.contains("below the recovery minimum of 25.00 USD for initial sales"),
            "{message}"
        );
        let chain = sandbox.chains().pop().unwrap();
        assert_eq!(chain.outcome, ChainOutcome::Declined);

        // The same amount as a rebill (billingCycle 2) is above its 10.00 minimum.
        let rebilled = sandbox
            .charge(&key, rebill(visa_charge("m-2", 2008), 2), t0())
            .unwrap();
        assert!(rebilled.retry_date.is_some() && rebilled.reference_data.is_some());
        // billingCycle 1 is the initial sale.
        let first_cycle = sandbox
            .charge(&key, rebill(visa_charge("m-3", 2008), 1), t0())
            .unwrap();
        assert!(unrecovered(&first_cycle));
        // A rebill below its own minimum.
        sandbox
            .set_platform_config(Environment::Sandbox, minimums(0, 5000))
            .unwrap();
        let low_rebill = sandbox
            .charge(&key, rebill(visa_charge("m-4", 2008), 3), t0())
            .unwrap();
        assert!(unrecovered(&low_rebill));
        assert!(low_rebill.message.unwrap().contains("for rebills"));
        // Hard declines and approvals are untouched; other currencies have no minimum.
        let approved = sandbox
            .charge(&key, visa_charge("m-5", 1000), t0())
            .unwrap();
        assert_eq!(approved.response_code.value(), 10000);
        let mut euro = visa_charge("m-6", 2008);
        euro.currency_code = "EUR".into();
        assert!(sandbox
            .charge(&key, euro, t0())
            .unwrap()
            .retry_date
            .is_some());
    }

    #[test]
    fn flexpay_retries_never_schedules_a_payment_below_its_minimum() {
        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        sandbox
            .set_platform_config(Environment::Sandbox, minimums(2500, 2500))
            .unwrap();
        sandbox
            .charge(&key, visa_charge("a-1", 2008), t0())
            .unwrap();
        assert_eq!(sandbox.next_scheduled_retry(), None);
        assert!(sandbox.run_due_retries(at_hours(24 * 40)).is_empty());
        sandbox
            .set_platform_config(Environment::Sandbox, PlatformConfig::default())
            .unwrap();
        sandbox
            .charge(&key, visa_charge("a-2", 2008), t0())
            .unwrap();
        assert!(sandbox.next_scheduled_retry().is_some());
    }

    #[test]
    fn problems_have_stable_codes_and_paths_and_refuse_the_change() {
        let (mut sandbox, _) = sandbox_with_key();
        let mut config = minimums(-1, 100);
        config.recovery_minimums.push(RecoveryMinimum {
            currency: usd(),
            initial_sale: 0,
            rebill: i64::MAX,
        });
        config.account_currencies = vec![eur(), eur()];
        let problems: Vec<(String, &str)> = config
            .problems()
            .problems()
            .iter()
            .map(|p| (p.path.clone(), p.code))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    "recoveryMinimums[0].initialSale".into(),
                    code::INVALID_RECOVERY_MINIMUM
                ),
                (
                    "recoveryMinimums[1].currency".into(),
                    code::DUPLICATE_CURRENCY
                ),
                (
                    "recoveryMinimums[1].rebill".into(),
                    code::INVALID_RECOVERY_MINIMUM
                ),
                ("accountCurrencies[1]".into(), code::DUPLICATE_CURRENCY),
            ]
        );
        let refused = sandbox
            .set_platform_config(Environment::Sandbox, config)
            .unwrap_err();
        assert_eq!(refused.code, code::INVALID_RECOVERY_MINIMUM);
        assert!(refused.message.contains("-0.01 USD"), "{}", refused.message);
        assert_eq!(
            sandbox.platform_config(Environment::Sandbox),
            &PlatformConfig::default()
        );
        assert!(minimums(0, 0).problems().is_ok());
    }

    #[test]
    fn codes_without_a_minor_unit_are_refused_as_the_validators_refuse_them() {
        let (mut sandbox, _) = sandbox_with_key();
        let currency = |code: &str| Currency::from_code(code).unwrap();
        let config = PlatformConfig {
            recovery_minimums: vec![RecoveryMinimum {
                currency: currency("XXX"),
                initial_sale: 100,
                rebill: 0,
            }],
            account_currencies: vec![usd(), currency("XAU")],
            ..PlatformConfig::default()
        };
        let problems = config.problems();
        let found: Vec<(&str, &str, &str)> = problems
            .problems()
            .iter()
            .map(|p| (p.path.as_str(), p.code, p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "recoveryMinimums[0].currency",
                    "unknown_currency",
                    currency("XXX").without_minor_unit("XXX").as_str()
                ),
                (
                    "accountCurrencies[1]",
                    "unknown_currency",
                    currency("XAU").without_minor_unit("XAU").as_str()
                ),
            ]
        );
        let error = sandbox
            .set_platform_config(Environment::Sandbox, config)
            .unwrap_err();
        assert_eq!(error.code, "unknown_currency");
        assert_eq!(
            sandbox.platform_config(Environment::Sandbox),
            &PlatformConfig::default()
        );
    }

    #[test]
    fn environments_are_kept_apart() {
        let (mut sandbox, key) = sandbox_with_key();
        sandbox
            .set_platform_config(Environment::Production, minimums(100_000, 100_000))
            .unwrap();
        assert_eq!(
            sandbox.platform_config(Environment::Sandbox),
            &PlatformConfig::default()
        );
        // The Sandbox payment recovers as before.
        let sandbox_side = sandbox
            .charge(&key, visa_charge("e-1", 2008), t0())
            .unwrap();
        assert!(sandbox_side.retry_date.is_some());
        let live = live_console(&mut sandbox, "DEFAULT");
        let live_side = sandbox
            .submit_charge(&live, visa_charge("e-1", 2008), t0())
            .unwrap();
        assert_eq!(live_side.response_code.value(), 20003);
        assert!(unrecovered(&sandbox.respond(live_side).unwrap()));
    }

    #[test]
    fn hidden_currencies_leave_the_dashboard_and_reports_but_not_processing() {
        let (mut sandbox, key) = sandbox_with_key();
        let mut euro = visa_charge("c-2", 2008);
        euro.currency_code = "EUR".into();
        sandbox
            .charge(&key, visa_charge("c-1", 2008), t0())
            .unwrap();
        sandbox.charge(&key, euro, t0()).unwrap();
        let day = t0().date();
        let currencies = |s: &Sandbox| {
            let summary = s
                .recovery_summary(
                    CompanyScope::One("DEFAULT"),
                    Environment::Sandbox,
                    day.start_of_day(),
                    at_hours(48),
                    t0(),
                )
                .unwrap();
            let report = s
                .console_report(CompanyScope::All, Environment::Sandbox, day, day, t0())
                .unwrap();
            let shown: Vec<&str> = summary
                .currencies
                .iter()
                .map(|c| c.currency.code())
                .collect();
            let reported: Vec<&str> = report
                .by_currency
                .iter()
                .map(|c| c.currency.code())
                .collect();
            let weeks: Vec<&str> = report
                .recovery
                .iter()
                .map(|w| w.figures.currency.code())
                .collect();
            let codes: u32 = report.by_code.iter().map(|c| c.count).sum();
            (
                shown.join(","),
                reported.join(","),
                weeks.join(","),
                summary.upcoming_retries.len(),
                codes,
            )
        };
        let all = currencies(&sandbox);
        assert_eq!(
            (all.0.as_str(), all.1.as_str(), all.2.as_str()),
            ("EUR,USD", "EUR,USD", "EUR,USD")
        );
        assert_eq!((all.3, all.4), (2, 2));
        sandbox
            .set_platform_config(
                Environment::Sandbox,
                PlatformConfig {
                    account_currencies: vec![usd()],
                    ..PlatformConfig::default()
                },
            )
            .unwrap();
        let usd_only = currencies(&sandbox);
        assert_eq!(
            (
                usd_only.0.as_str(),
                usd_only.1.as_str(),
                usd_only.2.as_str()
            ),
            ("USD", "USD", "USD")
        );
        assert_eq!((usd_only.3, usd_only.4), (1, 1));
        // Processing is unchanged: a EUR payment is still answered and recovered.
        let mut euro = visa_charge("c-3", 2008);
        euro.currency_code = "EUR".into();
        assert!(sandbox
            .charge(&key, euro, t0())
            .unwrap()
            .retry_date
            .is_some());
        // The transaction list still lists it.
        assert_eq!(
            sandbox
                .console_transactions(CompanyScope::All, Environment::Sandbox)
                .unwrap()
                .len(),
            3
        );
    }

    fn two_gateways(sandbox: &mut Sandbox, key: &str) -> (String, String) {
        let mut tokens = Vec::new();
        for name in ["First", "Second"] {
            let gateway = Gateway::new(name, GatewayType::Nmi, "USD", GatewayStatus::Available);
            tokens.push(
                sandbox
                    .create_gateway(key, gateway, t0())
                    .unwrap()
                    .id
                    .unwrap(),
            );
        }
        (tokens[0].clone(), tokens[1].clone())
    }

    /// A soft decline (20.08: retries 1 and 2 decline, 3 is approved) and its retries
    /// without `gatewayToken`: the gateway of each attempt.
    fn gateways_of_retries(
        routing: GatewayRouting,
        token: Option<&str>,
    ) -> (Vec<String>, String, String) {
        let (mut sandbox, key) = sandbox_with_key();
        let (first, second) = two_gateways(&mut sandbox, &key);
        sandbox
            .set_platform_config(
                Environment::Sandbox,
                PlatformConfig {
                    gateway_routing: routing,
                    ..PlatformConfig::default()
                },
            )
            .unwrap();
        let mut used = Vec::new();
        let mut last = sandbox
            .charge(&key, visa_charge("g-0", 2008), t0())
            .unwrap();
        used.push(last.gateway_token.clone().unwrap());
        for n in 1..=3u32 {
            // Routing by weight alone would alternate: other payments in between move it on.
            let between = sandbox
                .charge(
                    &key,
                    visa_charge(&format!("x-{n}"), 1000),
                    at_hours(i64::from(n) * 24),
                )
                .unwrap();
            assert_eq!(between.response_code.value(), 10000);
            let at = UtcTimestamp::parse_iso8601(last.retry_date.as_deref().unwrap()).unwrap();
            let mut retry = visa_charge(&format!("g-{n}"), 2008)
                .retry_attempt(n + 1, last.reference_data.clone());
            retry.gateway_token = token.map(str::to_owned);
            last = sandbox.charge(&key, retry, at).unwrap();
            used.push(last.gateway_token.clone().unwrap());
            if last.retry_date.is_none() {
                break;
            }
        }
        (used, first, second)
    }

    #[test]
    fn routing_stickiness_decides_where_a_retry_goes() {
        // Original Gateway Routing: every retry on the first attempt's gateway.
        let (used, first, _) = gateways_of_retries(GatewayRouting::OriginalGatewayRouting, None);
        assert_eq!(used, vec![first.clone(); 4]);
        // Routing Enabled: each retry on another gateway than the previous attempt's.
        let (used, first, second) = gateways_of_retries(GatewayRouting::RoutingEnabled, None);
        assert_eq!(
            used,
            [first.clone(), second.clone(), first.clone(), second.clone()]
        );
        // No routing (the default): by weight, whatever the previous attempt.
        let (used, first, _) = gateways_of_retries(GatewayRouting::NoRouting, None);
        assert_eq!(used, vec![first.clone(); 4]);
        // A token always wins.
        let (_, _, second) = gateways_of_retries(GatewayRouting::NoRouting, None);
        let (used, _, _) =
            gateways_of_retries(GatewayRouting::OriginalGatewayRouting, Some(&second));
        assert_eq!(&used[1..], vec![second.clone(); 3]);
    }

    #[test]
    fn sticky_gateways_that_no_longer_take_the_payment_are_routed_by_weight() {
        let (mut sandbox, key) = sandbox_with_key();
        let (first, second) = two_gateways(&mut sandbox, &key);
        sandbox
            .set_platform_config(
                Environment::Sandbox,
                PlatformConfig {
                    gateway_routing: GatewayRouting::OriginalGatewayRouting,
                    ..PlatformConfig::default()
                },
            )
            .unwrap();
        let declined = sandbox
            .charge(&key, visa_charge("s-0", 2005), t0())
            .unwrap();
        assert_eq!(declined.gateway_token.as_deref(), Some(first.as_str()));
        sandbox
            .set_gateway_status(&key, &first, GatewayStatus::Disabled, t0())
            .unwrap();
        let at = UtcTimestamp::parse_iso8601(declined.retry_date.as_deref().unwrap()).unwrap();
        let retry = visa_charge("s-1", 2005).retry_attempt(2, declined.reference_data);
        let approved = sandbox.charge(&key, retry, at).unwrap();
        assert_eq!(approved.response_code.value(), 10000);
        assert_eq!(approved.gateway_token.as_deref(), Some(second.as_str()));
    }

    #[test]
    fn snapshots_keep_the_configuration_and_refuse_impossible_values() {
        let (mut sandbox, _) = sandbox_with_key();
        let fresh = sandbox.to_snapshot();
        assert!(!fresh.contains("\"platform\""));
        let config = PlatformConfig {
            recovery_minimums: vec![RecoveryMinimum {
                currency: usd(),
                initial_sale: 2500,
                rebill: 0,
            }],
            account_currencies: vec![usd(), eur()],
            gateway_routing: GatewayRouting::RoutingEnabled,
        };
        sandbox
            .set_platform_config(Environment::Production, config.clone())
            .unwrap();
        let text = sandbox.to_snapshot();
        assert!(
            text.ends_with(
                ",\"platform\":{\"production\":{\"recoveryMinimums\":[{\"currency\":\"USD\",\
             \"initialSale\":2500,\"rebill\":0}],\"accountCurrencies\":[\"USD\",\"EUR\"],\
             \"gatewayRouting\":\"RoutingEnabled\"}}}"
            ),
            "{text}"
        );
        let loaded = Sandbox::from_snapshot(&text).unwrap();
        assert_eq!(loaded.platform_config(Environment::Production), &config);
        assert_eq!(
            loaded.platform_config(Environment::Sandbox),
            &PlatformConfig::default()
        );
        assert_eq!(loaded.to_snapshot(), text);

        let negative = text.replace("\"initialSale\":2500", "\"initialSale\":-5");
        let error = Sandbox::from_snapshot(&negative).unwrap_err();
        assert_eq!(error.code(), "snapshot_inconsistent");
        assert!(
            error
                .to_string()
                .contains("recoveryMinimums[0].initialSale"),
            "{error}"
        );
        // Codes without a minor unit were taken before they were refused: loaded as written.
        let older = text
            .replace("{\"currency\":\"USD\"", "{\"currency\":\"XXX\"")
            .replace("[\"USD\",\"EUR\"]", "[\"XAU\",\"EUR\"]");
        assert_eq!(Sandbox::from_snapshot(&older).unwrap().to_snapshot(), older);
        let twice = text.replace("[\"USD\",\"EUR\"]", "[\"USD\",\"USD\"]");
        assert_eq!(
            Sandbox::from_snapshot(&twice).unwrap_err().code(),
            "snapshot_inconsistent"
        );
        for unreadable in [
            text.replace("[\"USD\",\"EUR\"]", "[\"USD\",\"XXY\"]"),
            text.replace("RoutingEnabled", "Sometimes"),
            text.replace("\"rebill\":0", "\"rebill\":0.5"),
            text.replace("\"rebill\":0", "\"rebill\":0,\"extra\":1"),
            text.replace("\"production\":", "\"live\":"),
        ] {
            assert_eq!(
                Sandbox::from_snapshot(&unreadable).unwrap_err().code(),
                "snapshot_malformed"
            );
        }
    }
}
