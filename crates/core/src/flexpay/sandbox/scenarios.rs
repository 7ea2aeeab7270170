//! The Integration Guide's seven test scenarios, executable against a sandbox: each one sends
//! the transactions the guide asks for, checks the answers and the guide's rules (a retry date
//! on soft declines only, no retry before that date, `referenceData` echoed, `retryCount`
//! counting up), and records the transaction tokens FlexPay's integrations team asks for in
//! Appendix A, exportable as CSV or JSON.
//!
//! Time moves forward inside a scenario: a retry is sent exactly at the `retryDate` of the
//! attempt before it. Merchant transaction ids are made unique per sandbox, so scenarios can
//! be run again on the same sandbox.
//!
//! The run keeps the sandbox's one timeline: no transaction is dated before one already
//! there. So FlexPay Retries (the sandbox's scheduler, for any company with it on) goes on
//! while the run moves the clock: before its first request a scenario sends the scheduled
//! retries already due, and before it moves the clock to a retry date it sends those due
//! strictly before that instant (the scenario's own retry at that very instant is still its
//! own), each at its own date. A step that sent any says how many in a check of its report.
//! [`run_all`] starts each scenario at `now` or at the latest transaction, if later (a
//! scenario before it may have moved the clock on), as the portal's clock does.
//!
//! A run sends its payments in USD, or in the currencies it is given ([`ScenarioCurrencies`]):
//! the guide asks a client that takes more than one currency to test at least two of them.
//! Every step then sends its payments in each, one after the other; the gateways of steps 6
//! and 7 are created in the first and accept the others.

use core::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::flexpay::account::Environment;
use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
use crate::flexpay::payment_method::CreditCardDetails;
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::flexpay::test_cards::{TestCard, TEST_CARDS};
use crate::flexpay::transaction::{
    ChargeRequest, RefundRequest, TransactionResponse, TransactionStatus,
};
use crate::money::{Currency, Money};
use crate::time::UtcTimestamp;

use super::gateways::{GatewayRef, MASKED_SETTING};
use super::recovery::ChainOutcome;
use super::{ApiError, Sandbox};

/// The Integration Guide's steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScenarioStep {
    ScheduleSoftDecline,
    DoNotScheduleHardDeclines,
    RecoverTransaction,
    ReferenceDataAndRetryCount,
    RefundRecoveredTransaction,
    GatewayCreation,
    SpecifiedGateways,
}

impl ScenarioStep {
    pub const ALL: [ScenarioStep; 7] = [
        ScenarioStep::ScheduleSoftDecline,
        ScenarioStep::DoNotScheduleHardDeclines,
        ScenarioStep::RecoverTransaction,
        ScenarioStep::ReferenceDataAndRetryCount,
        ScenarioStep::RefundRecoveredTransaction,
        ScenarioStep::GatewayCreation,
        ScenarioStep::SpecifiedGateways,
    ];

    /// The step's number in the guide, 1 to 7.
    pub fn number(self) -> u8 {
        match self {
            ScenarioStep::ScheduleSoftDecline => 1,
            ScenarioStep::DoNotScheduleHardDeclines => 2,
            ScenarioStep::RecoverTransaction => 3,
            ScenarioStep::ReferenceDataAndRetryCount => 4,
            ScenarioStep::RefundRecoveredTransaction => 5,
            ScenarioStep::GatewayCreation => 6,
            ScenarioStep::SpecifiedGateways => 7,
        }
    }

    pub fn from_number(number: u8) -> Option<ScenarioStep> {
        ScenarioStep::ALL
            .into_iter()
            .find(|step| step.number() == number)
    }

    /// The step's title in the guide.
    pub fn title(self) -> &'static str {
        match self {
            ScenarioStep::ScheduleSoftDecline => "Schedule a Soft Decline",
            ScenarioStep::DoNotScheduleHardDeclines => "Do Not Schedule Hard Decline",
            ScenarioStep::RecoverTransaction => "Recover a Transaction",
            ScenarioStep::ReferenceDataAndRetryCount => {
                "Validate the Payment Logic Using Reference Data & Retry Count"
            }
            ScenarioStep::RefundRecoveredTransaction => "Refund a Recovered Transaction",
            ScenarioStep::GatewayCreation => "Validate automatic gateway creation",
            ScenarioStep::SpecifiedGateways => "Process Transactions with Specified Gateways",
        }
    }
}

/// One thing a scenario verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub description: String,
    pub passed: bool,
    /// What was seen.
    pub detail: String,
}

/// One row of Appendix A: a transaction token to hand to FlexPay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppendixARow {
    pub scenario: String,
    pub description: String,
    pub transaction_id: String,
}

/// The outcome of one scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioReport {
    pub step: u8,
    pub title: String,
    /// Every check passed.
    pub passed: bool,
    pub checks: Vec<Check>,
    pub transactions: Vec<AppendixARow>,
}

// Read from the portal's saved document (its certification runs).
crate::read_json_struct!(Check, deny_unknown = false, {
    description: "description",
    passed: "passed",
    detail: "detail",
});

crate::read_json_struct!(AppendixARow, deny_unknown = false, {
    scenario: "scenario",
    description: "description",
    transaction_id: "transactionId",
});

crate::read_json_struct!(ScenarioReport, deny_unknown = false, {
    step: "step",
    title: "title",
    passed: "passed",
    checks: "checks",
    transactions: "transactions",
});

/// The currencies a run sends its payments in: one to [`ScenarioCurrencies::MAX`], each a
/// currency payments are made in (one with a minor unit), none twice. The Integration Guide:
/// "If a Client is using different currencies, please test at least 2 of them."
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioCurrencies(Vec<Currency>);

impl Default for ScenarioCurrencies {
    /// USD alone.
    fn default() -> Self {
        ScenarioCurrencies(vec![Currency::USD])
    }
}

impl ScenarioCurrencies {
    /// The most currencies one run takes: each adds a full set of payments to every step and
    /// about three days to the simulated clock.
    pub const MAX: usize = 4;

    /// Reads the codes in the order given (the first is the currency of the gateways steps 6
    /// and 7 create); the error says what is wrong in words.
    pub fn new<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut currencies = Vec::new();
        for code in codes {
            let currency = Currency::for_payment(code)?;
            if currencies.contains(&currency) {
                return Err(format!("{code} is given twice: give each currency once."));
            }
            currencies.push(currency);
        }
        match currencies.len() {
            0 => Err("give at least one currency, such as [\"USD\"].".to_owned()),
            n if n > Self::MAX => Err(format!(
                "{n} currencies given: a run takes at most {}.",
                Self::MAX
            )),
            _ => Ok(ScenarioCurrencies(currencies)),
        }
    }

    /// The currencies, the first one first.
    pub fn as_slice(&self) -> &[Currency] {
        &self.0
    }

    fn first(&self) -> Currency {
        self.0.first().copied().unwrap_or(Currency::USD)
    }
}

struct Runner<'a> {
    sandbox: &'a mut Sandbox,
    api_key: &'a str,
    step: ScenarioStep,
    now: UtcTimestamp,
    currencies: &'a ScenarioCurrencies,
    /// The currency of the payments being sent.
    currency: Currency,
    /// Whether checks and rows are led by that currency: in a run of several, for what
    /// depends on the payment's currency (not a gateway's creation or credentials).
    tagged: bool,
    prefix: String,
    sent: u32,
    /// FlexPay Retries' retries the scenario sent before moving the clock.
    scheduled: usize,
    checks: Vec<Check>,
    rows: Vec<AppendixARow>,
}

/// Stops a scenario at the first API error (it has been recorded as a failed check).
struct Halt;

/// One step's requests and checks, in the runner's current currency.
type Step = fn(&mut Runner<'_>) -> Result<(), Halt>;

/// The test card every step pays with.
pub const SCENARIO_CARD: &TestCard = &TEST_CARDS[0];

fn card() -> CreditCardDetails {
    CreditCardDetails {
        first_name: Some("Avery".into()),
        last_name: Some("Quinn".into()),
        address1: Some("1180 Harbour Street".into()),
        postal_code: Some("97205".into()),
        city: Some("Portland".into()),
        state: Some("OR".into()),
        country: Some("US".into()),
        email: Some("avery.quinn@example.com".into()),
        ..CreditCardDetails::from_test_card(SCENARIO_CARD)
    }
}

/// `name value`, or `no name` when the field is absent: a check's detail as people read it.
fn field(name: &str, value: Option<impl Display>) -> String {
    match value {
        Some(value) => format!("{name} {value}"),
        None => format!("no {name}"),
    }
}

fn parse_date(text: Option<&str>) -> Option<UtcTimestamp> {
    text.and_then(|text| UtcTimestamp::parse_iso8601(text).ok())
}

fn base64_shaped(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len() - body.len() <= 2
        && !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

impl Runner<'_> {
    /// What a check or a row says, led by the currency of its payment when the run has more
    /// than one.
    fn in_currency(&self, text: String) -> String {
        if self.tagged && self.currencies.as_slice().len() > 1 {
            format!("{}: {text}", self.currency.code())
        } else {
            text
        }
    }

    fn check(&mut self, description: impl Into<String>, passed: bool, detail: impl Into<String>) {
        let description = self.in_currency(description.into());
        self.checks.push(Check {
            description,
            passed,
            detail: detail.into(),
        });
    }

    fn record(&mut self, description: impl Into<String>, response: &TransactionResponse) {
        let description = self.in_currency(description.into());
        self.rows.push(AppendixARow {
            scenario: format!("Step {}: {}", self.step.number(), self.step.title()),
            description,
            transaction_id: response.transaction_id.clone(),
        });
    }

    /// `amount` minor units in the payment's currency, as the guide writes amounts: `20.08`.
    fn amount(&self, amount: i64) -> String {
        Money::new(amount, self.currency).format()
    }

    /// `amount` minor units with their currency, as a check's detail shows money: `10.00 USD`.
    fn money(&self, amount: i64) -> String {
        Money::new(amount, self.currency).to_string()
    }

    fn next_id(&mut self) -> String {
        self.sent += 1;
        format!("{}-{}", self.prefix, self.sent)
    }

    fn api<T>(&mut self, what: &str, result: Result<T, ApiError>) -> Result<T, Halt> {
        result.map_err(|error| {
            self.check(
                format!("{what} is accepted by the API"),
                false,
                error.to_string(),
            );
            Halt
        })
    }

    fn request(
        &mut self,
        amount: i64,
        retry_count: u32,
        reference: Option<String>,
    ) -> ChargeRequest {
        let id = self.next_id();
        let currency = self.currency.code();
        ChargeRequest::with_card(id.clone(), format!("order-{id}"), currency, amount, card())
            .customer("integration-guide")
            .retry_attempt(retry_count, reference)
    }

    fn charge(&mut self, request: ChargeRequest) -> Result<TransactionResponse, Halt> {
        let result = self.sandbox.charge(self.api_key, request, self.now);
        self.api("the charge", result)
    }

    fn charge_amount(
        &mut self,
        amount: i64,
        retry_count: u32,
        reference: Option<String>,
    ) -> Result<TransactionResponse, Halt> {
        let request = self.request(amount, retry_count, reference);
        self.charge(request)
    }

    /// The guide's rules for a soft decline: 2xxxx, a retry date after the request, and a
    /// referenceData to echo.
    fn expect_soft_decline(
        &mut self,
        label: &str,
        response: &TransactionResponse,
    ) -> Option<UtcTimestamp> {
        let code = response.response_code;
        self.check(
            format!("{label}: soft decline (20K range)"),
            code.category() == ResponseCategory::SoftDecline
                && response.transaction_status == TransactionStatus::Declined,
            format!("responseCode {code}"),
        );
        let retry_date = parse_date(response.retry_date.as_deref());
        self.check(
            format!("{label}: retryDate is given, after the request time"),
            retry_date.is_some_and(|date| date > self.now),
            format!(
                "{}, sent at {}",
                field("retryDate", response.retry_date.as_deref()),
                self.now
            ),
        );
        self.check(
            format!("{label}: referenceData is returned"),
            response
                .reference_data
                .as_deref()
                .is_some_and(base64_shaped),
            field("referenceData", response.reference_data.as_deref()),
        );
        retry_date
    }

    fn expect_final(&mut self, label: &str, response: &TransactionResponse, expected: u32) {
        self.check(
            format!("{label}: responseCode {expected}"),
            response.response_code.value() == expected,
            format!("responseCode {}", response.response_code),
        );
        self.check(
            format!("{label}: no retryDate, so it must not be retried"),
            response.retry_date.is_none(),
            field("retryDate", response.retry_date.as_deref()),
        );
        self.check(
            format!("{label}: referenceData is emptied"),
            response.reference_data.is_none(),
            field("referenceData", response.reference_data.as_deref()),
        );
    }

    /// Waits until the given retry date, never sending before it. FlexPay Retries does not
    /// wait: what it has due before that date is sent first, at its own dates.
    fn wait_until(&mut self, label: &str, retry_date: Option<UtcTimestamp>) {
        if let Some(date) = retry_date {
            if date > self.now {
                self.scheduled += self.sandbox.run_retries_due_before(date).len();
                self.now = date;
            }
        }
        self.check(
            format!("{label}: not sent before the retryDate"),
            retry_date.is_some_and(|date| self.now >= date),
            format!("sent at {}, {}", self.now, field("retryDate", retry_date)),
        );
    }

    fn gateway(&mut self, name: &str, gateway_type: GatewayType) -> Result<String, Halt> {
        let mut gateway = Gateway::new(
            name,
            gateway_type,
            self.currencies.first().code(),
            GatewayStatus::Available,
        );
        // Every currency of the run, its own first, so each step's payments in them go
        // through it.
        if let currencies @ [_, _, ..] = self.currencies.as_slice() {
            gateway.accepted_currency_codes =
                Some(currencies.iter().map(|c| c.code().to_owned()).collect());
        }
        gateway.merchant_account_reference_id = Some(format!("MID-{}", self.prefix));
        gateway.settings =
            serde_json::json!({"username": "integration", "password": "initial-Pa55"})
                .as_object()
                .cloned();
        let result = self.sandbox.create_gateway(self.api_key, gateway, self.now);
        let created = self.api("creating a gateway", result)?;
        let token = created.id.clone().unwrap_or_default();
        self.check(
            format!("gateway \"{name}\" is created with a 26-character token"),
            token.len() == 26 && created.status == GatewayStatus::Available,
            format!("token {token}, status {}", created.status.api_name()),
        );
        Ok(token)
    }
}

fn step_1(r: &mut Runner<'_>) -> Result<(), Halt> {
    let response = r.charge_amount(2008, 1, None)?;
    let label = format!("charge of {} (trigger 2008)", r.amount(2008));
    r.expect_soft_decline(&label, &response);
    r.record(
        "Soft decline 20003 with retryDate and referenceData",
        &response,
    );
    Ok(())
}

fn step_2(r: &mut Runner<'_>) -> Result<(), Halt> {
    for (amount, expected, what) in [
        (3016, 30011, "Hard decline 30011 (30K)"),
        (4018, 40000, "Risk decline 40000 (40K)"),
        (5023, 50000, "Validation error 50000 (50K)"),
    ] {
        let response = r.charge_amount(amount, 1, None)?;
        let label = format!("charge of {} (trigger {amount})", r.amount(amount));
        r.expect_final(&label, &response, expected);
        r.record(what, &response);
    }
    Ok(())
}

fn step_3(r: &mut Runner<'_>) -> Result<(), Halt> {
    // 2005 (refer to card issuer) is recovered by its first retry; the retry re-sends the
    // same payment, amount included.
    let declined = r.charge_amount(2005, 1, None)?;
    let retry_date = r.expect_soft_decline("first attempt", &declined);
    r.record("Soft decline before recovery (retryCount 1)", &declined);
    r.wait_until("recovery attempt", retry_date);
    let recovered = r.charge_amount(2005, 2, declined.reference_data.clone())?;
    r.expect_final("recovery attempt", &recovered, 10000);
    r.check(
        "recovery attempt: approved with retryCount 1 or more",
        recovered.transaction_status == TransactionStatus::Approved
            && recovered.retry_count.is_some_and(|count| count >= 1),
        field("retryCount", recovered.retry_count),
    );
    let outcome = r
        .sandbox
        .chain_of(&recovered.transaction_id)
        .and_then(|chain| r.sandbox.chains().into_iter().nth(chain.0 as usize))
        .map(|chain| chain.outcome);
    r.check(
        "the payment is recovered",
        outcome == Some(ChainOutcome::Approved),
        field("recovery chain", outcome.map(ChainOutcome::describe)),
    );
    r.record("Approved charge with retryCount 2 (recovered)", &recovered);
    Ok(())
}

fn step_4(r: &mut Runner<'_>) -> Result<(), Halt> {
    let mut reference: Option<String> = None;
    let mut references = Vec::new();
    let mut chain = None;
    let mut first_reference = None;
    for retry_count in 0..3u32 {
        let label = format!("transaction {} (retryCount {retry_count})", retry_count + 1);
        let response = r.charge_amount(2008, retry_count, reference.clone())?;
        let retry_date = r.expect_soft_decline(&label, &response);
        let this_chain = r.sandbox.chain_of(&response.transaction_id);
        r.check(
            format!("{label}: continues the same payment"),
            this_chain.is_some() && (chain.is_none() || chain == this_chain),
            field("recovery chain", this_chain.map(|chain| chain.0)),
        );
        chain = chain.or(this_chain);
        r.check(
            format!("{label}: retryCount echoed"),
            response.retry_count == Some(retry_count),
            field("retryCount", response.retry_count),
        );
        r.record(
            format!(
                "Soft decline, retryCount {retry_count}, referenceData {}",
                if retry_count == 0 {
                    "empty"
                } else {
                    "from the previous response"
                }
            ),
            &response,
        );
        references.push(response.reference_data.clone());
        if first_reference.is_none() {
            first_reference = response.reference_data.clone();
        }
        reference = response.reference_data.clone();
        if retry_count < 2 {
            r.wait_until(&format!("transaction {}", retry_count + 2), retry_date);
        }
    }
    let distinct = references
        .iter()
        .flatten()
        .enumerate()
        .filter(|&(i, r)| {
            !references
                .iter()
                .flatten()
                .take(i)
                .any(|earlier| earlier == r)
        })
        .count();
    r.check(
        "every response returns a new referenceData",
        distinct == 3,
        format!("{distinct} distinct values"),
    );
    // The guide's rule from the other side: an old value is not accepted any more. Only
    // once the chain moved on: before, a 50132 would answer the retry count, not the value.
    let stale = r.charge_amount(2008, 3, first_reference)?;
    let answer = format!(
        "responseCode {}: {}",
        stale.response_code,
        stale.message.unwrap_or_default()
    );
    r.check(
        "echoing an outdated referenceData is refused (50132)",
        distinct == 3 && stale.response_code.value() == 50132,
        if distinct == 3 {
            answer
        } else {
            format!("not shown: the payment did not reach its third attempt, so {answer}")
        },
    );
    Ok(())
}

fn step_5(r: &mut Runner<'_>) -> Result<(), Halt> {
    let charge = r.charge_amount(1000, 1, None)?;
    r.expect_final("recovered charge", &charge, 10000);
    r.record("Approved charge with retryCount 1", &charge);
    let id = r.next_id();
    let result = r.sandbox.refund(
        r.api_key,
        &charge.transaction_id,
        RefundRequest::full(id),
        r.now,
    );
    let refund = r.api("the refund", result)?;
    r.check(
        "the refund of the recovered charge is approved for the full amount",
        refund.response_code == ResponseCode::APPROVED && refund.amount == Some(1000),
        format!(
            "responseCode {}, {}",
            refund.response_code,
            field("amount", refund.amount.map(|amount| r.money(amount)))
        ),
    );
    let refunded = r
        .sandbox
        .chain_of(&charge.transaction_id)
        .and_then(|chain| r.sandbox.chains().into_iter().nth(chain.0 as usize))
        .map(|chain| chain.refunded_amount);
    r.check(
        "the refund is counted against the recovery",
        refunded == Some(1000),
        match refunded {
            Some(amount) => format!("{} refunded against the recovery", r.money(amount)),
            None => "no recovery chain".to_owned(),
        },
    );
    r.record("Approved refund of the recovered charge", &refund);
    Ok(())
}

fn step_6(r: &mut Runner<'_>) -> Result<(), Halt> {
    let token = r.gateway(&format!("Integration Point {}", r.prefix), GatewayType::Nmi)?;
    let read = r.sandbox.get_gateway(r.api_key, &token);
    let read = r.api("reading the gateway", read)?;
    let masked = read
        .settings
        .as_ref()
        .is_some_and(|s| s.values().all(|v| v == MASKED_SETTING));
    r.check(
        "credentials are never returned",
        masked,
        match &read.settings {
            Some(settings) => format!("{} settings read back as {MASKED_SETTING}", settings.len()),
            None => "no settings read back".to_owned(),
        },
    );

    // A charge in each currency of the run; the first one's is refunded below.
    let mut first_charge = None;
    r.tagged = true;
    for currency in r.currencies.as_slice().to_vec() {
        r.currency = currency;
        let request = r.request(1000, 1, None).gateway(token.clone());
        let charge = r.charge(request)?;
        r.check(
            "a charge is processed by the new gateway",
            charge.response_code == ResponseCode::APPROVED
                && charge.assigned_gateway_token.as_deref() == Some(token.as_str()),
            format!(
                "responseCode {}, {}",
                charge.response_code,
                field(
                    "assignedGatewayToken",
                    charge.assigned_gateway_token.as_deref()
                )
            ),
        );
        r.record(format!("Charge on the created gateway {token}"), &charge);
        first_charge.get_or_insert(charge);
    }
    r.currency = r.currencies.first();
    r.tagged = false;
    let Some(charge) = first_charge else {
        return Ok(());
    };

    let before = r.sandbox.gateway_settings_fingerprint(r.api_key, &token);
    let before = r.api("reading the credentials fingerprint", before)?;
    let mut update = read.clone();
    update.settings = serde_json::json!({"password": "rotated-Pa55"})
        .as_object()
        .cloned();
    let updated = r.sandbox.update_gateway(r.api_key, &token, update, r.now);
    r.api("updating the credentials", updated)?;
    let after = r.sandbox.gateway_settings_fingerprint(r.api_key, &token);
    let after = r.api("reading the credentials fingerprint", after)?;
    r.check(
        "updating the credentials updates the gateway",
        before != after,
        "fingerprint changed",
    );

    // The guide: a gateway disabled at the Integration Point is set to RefundOnly at FlexPay
    // (the portal's "Refund Only": no new charges, refunds still go through), not to
    // Disabled (no processing at all).
    let disabled =
        r.sandbox
            .set_gateway_status(r.api_key, &token, GatewayStatus::RefundOnly, r.now);
    let disabled = r.api("setting the gateway to RefundOnly", disabled)?;
    r.check(
        "disabled at the Integration Point, the gateway is set to RefundOnly at FlexPay (no new charges, refunds allowed)",
        disabled.status == GatewayStatus::RefundOnly,
        format!("status {}", disabled.status.api_name()),
    );
    // The refused charge and the refund are payments in the first currency.
    r.tagged = true;
    let request = r.request(1000, 1, None).gateway(token.clone());
    let refused = r.charge(request)?;
    r.check(
        "a RefundOnly gateway refuses new charges (50130)",
        refused.response_code.value() == 50130,
        format!("responseCode {}", refused.response_code),
    );
    r.record("Charge refused by the RefundOnly gateway", &refused);
    let id = r.next_id();
    let result = r.sandbox.refund(
        r.api_key,
        &charge.transaction_id,
        RefundRequest::full(id),
        r.now,
    );
    let refund = r.api("the refund", result)?;
    r.check(
        "a RefundOnly gateway still refunds",
        refund.response_code == ResponseCode::APPROVED,
        format!("responseCode {}", refund.response_code),
    );
    r.record("Refund through the RefundOnly gateway", &refund);
    Ok(())
}

fn step_7(r: &mut Runner<'_>) -> Result<(), Halt> {
    let first = r.gateway(&format!("Gateway #1 {}", r.prefix), GatewayType::Nmi)?;
    let second = r.gateway(&format!("Gateway #2 {}", r.prefix), GatewayType::Stripe)?;
    let currencies = r.currencies.as_slice().to_vec();
    let each = [(1, first), (2, second)]
        .into_iter()
        .flat_map(|gateway| currencies.iter().map(move |&c| (gateway.clone(), c)));
    r.tagged = true;
    for ((number, token), currency) in each {
        r.currency = currency;
        // The guide's assignedGatewayToken is the request's gatewayToken (the wire name is
        // accepted too: a test of `transaction` proves it). The request is sent as built: a
        // JSON round trip here would link ChargeRequest's deserializer into the portal.
        let request = r.request(1000, 1, None).gateway(token.clone());
        let response = r.charge(request)?;
        r.check(
            format!("the transaction is processed by gateway #{number}"),
            response.response_code == ResponseCode::APPROVED
                && response.assigned_gateway_token.as_deref() == Some(token.as_str())
                && response.gateway_token.as_deref() == Some(token.as_str()),
            field(
                "assignedGatewayToken",
                response.assigned_gateway_token.as_deref(),
            ),
        );
        r.record(
            format!("Charge routed to gateway #{number} ({token})"),
            &response,
        );
    }
    Ok(())
}

/// Runs one scenario on the sandbox with a Sandbox API key, starting at `now`, its payments
/// in USD.
pub fn run_scenario(
    step: ScenarioStep,
    sandbox: &mut Sandbox,
    api_key: &str,
    now: UtcTimestamp,
) -> ScenarioReport {
    run_scenario_in(step, sandbox, api_key, now, &ScenarioCurrencies::default())
}

/// Runs one scenario, its payments in each of `currencies` in turn (steps 1–5 run whole in
/// each; steps 6 and 7 create their gateways once and charge through them in each).
pub fn run_scenario_in(
    step: ScenarioStep,
    sandbox: &mut Sandbox,
    api_key: &str,
    now: UtcTimestamp,
    currencies: &ScenarioCurrencies,
) -> ScenarioReport {
    let prefix = format!("IG{}-{}", step.number(), sandbox.transaction_count());
    // Retries already due go first, so that none is later dated before this scenario's
    // transactions.
    let scheduled = sandbox.run_due_retries(now).len();
    let (run, once): (Step, bool) = match step {
        ScenarioStep::ScheduleSoftDecline => (step_1, false),
        ScenarioStep::DoNotScheduleHardDeclines => (step_2, false),
        ScenarioStep::RecoverTransaction => (step_3, false),
        ScenarioStep::ReferenceDataAndRetryCount => (step_4, false),
        ScenarioStep::RefundRecoveredTransaction => (step_5, false),
        ScenarioStep::GatewayCreation => (step_6, true),
        ScenarioStep::SpecifiedGateways => (step_7, true),
    };
    let mut runner = Runner {
        sandbox,
        api_key,
        step,
        now,
        currencies,
        currency: currencies.first(),
        tagged: !once,
        prefix,
        sent: 0,
        scheduled,
        checks: Vec::new(),
        rows: Vec::new(),
    };
    if once {
        let _ = run(&mut runner);
    } else {
        let mut left = currencies.as_slice().iter();
        for &currency in left.by_ref() {
            runner.currency = currency;
            if run(&mut runner).is_err() {
                break;
            }
        }
        // A step stopped by an error in one currency says so of those it did not reach.
        for &currency in left {
            runner.currency = currency;
            runner.check(
                "the step's payments are sent",
                false,
                "not sent: the step stopped at the error above",
            );
        }
    }
    if runner.scheduled > 0 {
        let left = runner.sandbox.next_scheduled_retry();
        let count = runner.scheduled;
        // Of the company's other payments, in whatever currency: not led by one.
        runner.checks.push(Check {
            description: "FlexPay Retries: the retries due before the run moved the clock were sent first, at their retry dates".to_owned(),
            passed: left.is_none_or(|due| due >= runner.now),
            detail: format!(
                "{count} scheduled {} sent",
                if count == 1 { "retry" } else { "retries" }
            ),
        });
    }
    let passed = !runner.checks.is_empty() && runner.checks.iter().all(|check| check.passed);
    ScenarioReport {
        step: step.number(),
        title: step.title().to_owned(),
        passed,
        checks: runner.checks,
        transactions: runner.rows,
    }
}

/// Runs the seven scenarios in order, each starting at `now` or, once a scenario before it
/// moved the clock on, at the latest transaction's date.
pub fn run_all(sandbox: &mut Sandbox, api_key: &str, now: UtcTimestamp) -> Vec<ScenarioReport> {
    run_all_in(sandbox, api_key, now, &ScenarioCurrencies::default())
}

/// [`run_all`] with the payments in each of `currencies`.
pub fn run_all_in(
    sandbox: &mut Sandbox,
    api_key: &str,
    now: UtcTimestamp,
    currencies: &ScenarioCurrencies,
) -> Vec<ScenarioReport> {
    ScenarioStep::ALL
        .into_iter()
        .map(|step| {
            let start = sandbox
                .latest_transaction_date()
                .map_or(now, |latest| latest.max(now));
            run_scenario_in(step, sandbox, api_key, start, currencies)
        })
        .collect()
}

/// One CSV line (RFC 4180): fields quoted when they hold a comma, a quote or a line end, and
/// a CRLF at the end. A field a spreadsheet would run as a formula — one that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return and is not a plain number, such as a
/// merchant transaction ID `=HYPERLINK(…)` sent to the sandbox — is written with a leading
/// `'`, which spreadsheets show as text (OWASP's advice on CSV injection).
pub(crate) fn csv_row<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(field);
        let quote = field.contains([',', '"', '\r', '\n']);
        if quote {
            out.push('"');
        }
        if formula {
            out.push('\'');
        }
        if quote {
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

/// A signed decimal number (`-12.50`, `+3`): what a CSV cell may start with a sign for.
fn is_number(field: &str) -> bool {
    let digits = field.strip_prefix(['-', '+']).unwrap_or(field);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// One row of Appendix A as exported: the token, and where FlexPay's integrations team finds
/// its transaction — when it was sent, for how much in which currency, by which company, in
/// which environment — looked up in the sandbox (empty for a token it does not hold).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportedRow<'a> {
    scenario: &'a str,
    description: &'a str,
    transaction_id: &'a str,
    /// To the millisecond, as the CSV writes it, so both files read alike.
    #[serde(serialize_with = "to_the_millisecond")]
    sent_at: Option<UtcTimestamp>,
    /// A decimal in the currency's major unit, as the CSV writes it (`"20.08"`, `"2008"` JPY).
    amount: Option<String>,
    currency: Option<&'static str>,
    company: Option<&'a str>,
    company_code: Option<&'a str>,
    environment: Option<Environment>,
}

fn to_the_millisecond<S: serde::Serializer>(
    at: &Option<UtcTimestamp>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serializer.serialize_str(&at.to_iso8601_millis()),
        None => serializer.serialize_none(),
    }
}

impl Sandbox {
    /// The currencies a stored run sent its payments in, in the order of its rows (so the
    /// run's first currency first), looked up in the sandbox: what a page offers for the next
    /// run of the same client. Empty for a run none of whose tokens the sandbox holds.
    pub fn run_currencies(&self, reports: &[ScenarioReport]) -> Vec<Currency> {
        let mut currencies = Vec::new();
        for row in reports.iter().flat_map(|report| &report.transactions) {
            let currency = self
                .transaction_record(&row.transaction_id)
                .and_then(|record| record.currency);
            if let Some(currency) = currency.filter(|c| !currencies.contains(c)) {
                currencies.push(currency);
            }
        }
        currencies
    }

    /// The tokens of the gateways a stored run added (steps 6 and 7 create them, as the guide
    /// asks), in the order of its rows: those its payments of steps 6 and 7 went through,
    /// looked up in the sandbox. What a page offers to take out of routing once the run is
    /// done, also after a reload, when only the run's tokens were kept.
    pub fn run_gateways(&self, reports: &[ScenarioReport]) -> Vec<String> {
        let mut tokens = Vec::new();
        let rows = reports
            .iter()
            .filter(|report| report.step >= ScenarioStep::GatewayCreation.number())
            .flat_map(|report| &report.transactions);
        for row in rows {
            let Some(record) = self.transaction_record(&row.transaction_id) else {
                continue;
            };
            if let GatewayRef::Created(_) = record.gateway {
                let token = self.gateway_fields(record.gateway).token;
                if !tokens.contains(&token) {
                    tokens.push(token);
                }
            }
        }
        tokens
    }

    fn appendix_a_rows<'a>(
        &'a self,
        reports: &'a [ScenarioReport],
    ) -> impl Iterator<Item = ExportedRow<'a>> + 'a {
        reports
            .iter()
            .flat_map(|report| &report.transactions)
            .map(|row| {
                let record = self.transaction_record(&row.transaction_id);
                ExportedRow {
                    scenario: &row.scenario,
                    description: &row.description,
                    transaction_id: &row.transaction_id,
                    sent_at: record.map(|r| r.date),
                    amount: record
                        .filter(|r| r.amount.is_some())
                        .map(|r| super::console::amount_cell(r.amount, r.currency)),
                    currency: record.and_then(|r| r.currency).map(Currency::code),
                    company: record.map(|r| self.company_name(r.company)),
                    company_code: record.map(|r| self.company_code(r.company)),
                    environment: record.map(|r| r.mode),
                }
            })
    }

    /// Appendix A as CSV (RFC 4180: header row, CRLF line ends, fields quoted when needed):
    /// each token with the instant its transaction was sent (ISO 8601, UTC, to the
    /// millisecond), its amount (a decimal in the major unit) and currency, its company's name
    /// and code and its environment.
    pub fn appendix_a_csv(&self, reports: &[ScenarioReport]) -> String {
        let mut out = String::new();
        csv_row(
            &mut out,
            [
                "Scenario",
                "Description",
                "Transaction ID",
                "Sent at",
                "Amount",
                "Currency",
                "Company",
                "Company code",
                "Environment",
            ]
            .into_iter(),
        );
        for row in self.appendix_a_rows(reports) {
            let sent_at = row
                .sent_at
                .map(|d| d.to_iso8601_millis())
                .unwrap_or_default();
            csv_row(
                &mut out,
                [
                    row.scenario,
                    row.description,
                    row.transaction_id,
                    &sent_at,
                    row.amount.as_deref().unwrap_or_default(),
                    row.currency.unwrap_or_default(),
                    row.company.unwrap_or_default(),
                    row.company_code.unwrap_or_default(),
                    match row.environment {
                        Some(Environment::Sandbox) => "Sandbox",
                        Some(Environment::Production) => "Production",
                        None => "",
                    },
                ]
                .into_iter(),
            );
        }
        out
    }

    /// Appendix A as a JSON array of `{scenario, description, transactionId, sentAt, amount,
    /// currency, company, companyCode, environment}` (the last seven `null` for a token the
    /// sandbox does not hold; `amount` a decimal string, as in the CSV).
    pub fn appendix_a_json(&self, reports: &[ScenarioReport]) -> String {
        let rows: Vec<ExportedRow<'_>> = self.appendix_a_rows(reports).collect();
        serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::{
        sandbox_with_flexpay_retries, sandbox_with_key, t0, visa_charge,
    };

    fn explain(report: &ScenarioReport) -> String {
        report
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| format!("{} — {}", c.description, c.detail))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn all_seven_scenarios_pass() {
        let (mut sandbox, key) = sandbox_with_key();
        let reports = run_all(&mut sandbox, &key, t0());
        assert_eq!(reports.len(), 7);
        for report in &reports {
            assert!(report.passed, "step {}:\n{}", report.step, explain(report));
            assert!(!report.transactions.is_empty(), "step {}", report.step);
        }
        let rows: usize = reports.iter().map(|r| r.transactions.len()).sum();
        assert_eq!(rows, 1 + 3 + 2 + 3 + 2 + 3 + 2);
        // Run again on the same sandbox: ids stay unique.
        assert!(run_all(&mut sandbox, &key, t0()).iter().all(|r| r.passed));
    }

    #[test]
    fn the_outdated_reference_check_needs_the_payment_to_have_moved_on() {
        let (mut sandbox, key) = sandbox_with_key();
        // Its only gateway takes no retries: transaction 2 of step 4 is refused (50130), and
        // a later 50132 answers the retry count, not an outdated referenceData.
        let mut gateway = crate::flexpay::gateway::Gateway::new(
            "First tries only",
            crate::flexpay::gateway::GatewayType::Nmi,
            "USD",
            crate::flexpay::gateway::GatewayStatus::Available,
        );
        gateway.accept_retries = Some(false);
        sandbox.create_gateway(&key, gateway, t0()).unwrap();
        let report = run_scenario(
            ScenarioStep::ReferenceDataAndRetryCount,
            &mut sandbox,
            &key,
            t0(),
        );
        let stale = report
            .checks
            .iter()
            .find(|c| {
                c.description
                    .ends_with("outdated referenceData is refused (50132)")
            })
            .unwrap();
        assert!(!stale.passed, "{}", stale.detail);
        assert!(
            stale
                .detail
                .starts_with("not shown: the payment did not reach its third attempt"),
            "{}",
            stale.detail
        );
    }

    /// The detail of the check of `step` whose description ends with `ending`.
    fn detail<'a>(reports: &'a [ScenarioReport], step: u8, ending: &str) -> &'a str {
        reports[usize::from(step) - 1]
            .checks
            .iter()
            .find(|c| c.description.ends_with(ending))
            .map(|c| c.detail.as_str())
            .unwrap_or_else(|| panic!("step {step} has no check ending with {ending:?}"))
    }

    #[test]
    fn check_texts_are_words_not_rust_debug_output() {
        let (mut sandbox, key) = sandbox_with_key();
        let reports = run_all(&mut sandbox, &key, t0());
        for report in &reports {
            let checks = report
                .checks
                .iter()
                .flat_map(|c| [c.description.as_str(), c.detail.as_str()]);
            let rows = report.transactions.iter().map(|r| r.description.as_str());
            for text in checks.chain(rows) {
                for debug in ["Some(", "None", "ChainId", "Ok(", "Err(", "\\\""] {
                    assert!(
                        !text.contains(debug),
                        "step {}: {debug} in {text:?}",
                        report.step
                    );
                }
            }
        }
        // Present fields read "name value", absent ones "no name".
        let retry = detail(&reports, 1, "retryDate is given, after the request time");
        let date = retry
            .strip_prefix("retryDate ")
            .and_then(|rest| rest.split(", sent at ").next())
            .unwrap_or_default();
        assert!(UtcTimestamp::parse_iso8601(date).is_ok(), "{retry}");
        assert!(detail(&reports, 1, "referenceData is returned").starts_with("referenceData "));
        assert_eq!(
            detail(
                &reports,
                2,
                "(trigger 3016): no retryDate, so it must not be retried"
            ),
            "no retryDate"
        );
        assert_eq!(
            detail(&reports, 2, "(trigger 3016): referenceData is emptied"),
            "no referenceData"
        );
        assert_eq!(
            detail(&reports, 3, "the payment is recovered"),
            "recovery chain approved"
        );
        assert_eq!(
            detail(&reports, 3, "approved with retryCount 1 or more"),
            "retryCount 2"
        );
        let chain = detail(&reports, 4, "(retryCount 1): continues the same payment");
        assert!(
            chain
                .strip_prefix("recovery chain ")
                .is_some_and(|n| n.parse::<u32>().is_ok()),
            "{chain}"
        );
        assert_eq!(
            detail(&reports, 5, "approved for the full amount"),
            "responseCode 10000, amount 10.00 USD"
        );
        assert_eq!(
            detail(&reports, 5, "counted against the recovery"),
            "10.00 USD refunded against the recovery"
        );
        assert_eq!(
            detail(&reports, 6, "credentials are never returned"),
            "2 settings read back as ********"
        );
        let token = detail(&reports, 7, "processed by gateway #1");
        assert!(token.starts_with("assignedGatewayToken ") && token.len() == 21 + 26);
    }

    #[test]
    fn step_6_words_the_statuses_as_the_reference_does() {
        let (mut sandbox, key) = sandbox_with_key();
        let report = run_scenario(ScenarioStep::GatewayCreation, &mut sandbox, &key, t0());
        assert!(report.passed, "{}", explain(&report));
        // Disabling at the Integration Point means RefundOnly at FlexPay, which is not the
        // Disabled status (reference §14.2).
        let status = report
            .checks
            .iter()
            .find(|c| c.detail.starts_with("status "))
            .expect("the status check");
        assert_eq!(status.detail, "status RefundOnly");
        assert!(status.description.contains("Integration Point"));
        assert!(status.description.contains("RefundOnly at FlexPay"));
        assert!(!status.description.contains("disabling the gateway sets"));
        assert!(report
            .checks
            .iter()
            .all(|c| !c.description.contains("Disabled")));
    }

    #[test]
    fn an_absent_field_is_named_missing() {
        assert_eq!(field("retryDate", None::<&str>), "no retryDate");
        assert_eq!(field("recovery chain", Some(5)), "recovery chain 5");
    }

    #[test]
    fn scenarios_also_pass_with_the_scheduler_enabled() {
        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        assert!(run_all(&mut sandbox, &key, t0()).iter().all(|r| r.passed));
    }

    /// Every transaction of the sandbox, in the order it was stored, is dated at or after
    /// the one before it.
    fn dated_in_order(sandbox: &Sandbox) -> Result<(), String> {
        let records = &sandbox.state.transactions;
        match records.windows(2).find(|pair| pair[1].date < pair[0].date) {
            Some(pair) => Err(format!(
                "{} ({:?}, {}) is dated before {} ({:?}, {})",
                pair[1].id, pair[1].kind, pair[1].date, pair[0].id, pair[0].kind, pair[0].date
            )),
            None => Ok(()),
        }
    }

    #[test]
    fn a_run_sends_the_flexpay_retries_due_before_it_moves_the_clock() {
        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        // Another payment, declined at t0: FlexPay Retries retries it at 00:00 the next day,
        // before step 3's retry date (24 hours after t0).
        let other = sandbox
            .charge(&key, visa_charge("other-1", 2008), t0())
            .unwrap();
        let due = UtcTimestamp::parse_iso8601(other.retry_date.as_deref().unwrap()).unwrap();
        assert!(due < t0().checked_add_seconds(24 * 3600).unwrap());
        let reports = run_all(&mut sandbox, &key, t0());
        for report in &reports {
            assert!(report.passed, "step {}:\n{}", report.step, explain(report));
        }
        // Step 3 moved the clock past it: the other payment's retry, and the retry of step
        // 1's own declined payment, were sent first, and the step says so.
        let sent = reports[2]
            .checks
            .iter()
            .find(|c| c.description.starts_with("FlexPay Retries"))
            .expect("step 3 reports the retries it let run");
        assert!(sent.passed);
        assert_eq!(sent.detail, "2 scheduled retries sent");
        let chain = sandbox.chain_of(&other.transaction_id).unwrap();
        let attempts = &sandbox.chains()[chain.0 as usize].attempts;
        assert_eq!(attempts[1].transaction_date, due);
        assert!(attempts[1].scheduled_by_sandbox);
        dated_in_order(&sandbox).unwrap();
        // What FlexPay Retries fires later comes after the run.
        let later = sandbox.run_due_retries(t0().checked_add_seconds(60 * 86_400).unwrap());
        assert!(!later.is_empty());
        dated_in_order(&sandbox).unwrap();
        // Without FlexPay Retries a step reports nothing of the kind.
        let (mut plain, key) = sandbox_with_key();
        let reports = run_all(&mut plain, &key, t0());
        assert!(reports
            .iter()
            .flat_map(|r| &r.checks)
            .all(|c| !c.description.starts_with("FlexPay Retries")));
        dated_in_order(&plain).unwrap();
    }

    #[test]
    fn a_bad_key_fails_the_scenario_with_the_api_error() {
        let (mut sandbox, _) = sandbox_with_key();
        let report = run_scenario(
            ScenarioStep::ScheduleSoftDecline,
            &mut sandbox,
            "wrong",
            t0(),
        );
        assert!(!report.passed);
        assert!(report.checks[0].detail.contains("401"));
        assert!(report.transactions.is_empty());
        // In a run of two currencies, the one the error kept from running says so.
        let two = ScenarioCurrencies::new(["EUR", "CAD"]).unwrap();
        let report = run_scenario_in(
            ScenarioStep::ScheduleSoftDecline,
            &mut sandbox,
            "wrong",
            t0(),
            &two,
        );
        let said: Vec<(&str, &str)> = report
            .checks
            .iter()
            .map(|c| (c.description.as_str(), c.detail.as_str()))
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said[0]
                .0
                .starts_with("EUR: the charge is accepted by the API"),
            "{said:?}"
        );
        assert_eq!(
            said[1],
            (
                "CAD: the step's payments are sent",
                "not sent: the step stopped at the error above"
            )
        );
    }

    #[test]
    fn steps_are_numbered_as_in_the_guide() {
        for (index, step) in ScenarioStep::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(step.number()), index + 1);
            assert_eq!(ScenarioStep::from_number(step.number()), Some(step));
        }
        assert_eq!(ScenarioStep::from_number(8), None);
    }

    #[test]
    fn appendix_a_exports_quote_as_rfc_4180_says() {
        let report = ScenarioReport {
            step: 1,
            title: "t".into(),
            passed: true,
            checks: Vec::new(),
            transactions: vec![
                AppendixARow {
                    scenario: "Step 1: Schedule a Soft Decline".into(),
                    description: "Decline, \"soft\"\nline two".into(),
                    transaction_id: "7R2KX9QF4M8ZC1VN6B3TD5HWJ0".into(),
                },
                AppendixARow {
                    scenario: "plain".into(),
                    description: "plain".into(),
                    transaction_id: "X".into(),
                },
            ],
        };
        let sandbox = Sandbox::new(7);
        let csv = sandbox.appendix_a_csv(std::slice::from_ref(&report));
        assert_eq!(
            csv,
            "Scenario,Description,Transaction ID,Sent at,Amount,Currency,Company,Company code,Environment\r\n\
             Step 1: Schedule a Soft Decline,\"Decline, \"\"soft\"\"\nline two\",7R2KX9QF4M8ZC1VN6B3TD5HWJ0,,,,,,\r\n\
             plain,plain,X,,,,,,\r\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&sandbox.appendix_a_json(&[report])).unwrap();
        assert_eq!(json[0]["transactionId"], "7R2KX9QF4M8ZC1VN6B3TD5HWJ0");
        assert_eq!(json[0]["sentAt"], serde_json::Value::Null);
        assert_eq!(json[0]["amount"], serde_json::Value::Null);
        assert_eq!(json[0]["currency"], serde_json::Value::Null);
        assert_eq!(
            sandbox.appendix_a_csv(&[]),
            "Scenario,Description,Transaction ID,Sent at,Amount,Currency,Company,Company code,Environment\r\n"
        );
    }

    #[test]
    fn appendix_a_says_when_each_token_was_sent_and_by_whom() {
        let (mut sandbox, key) = sandbox_with_key();
        let reports = run_all(&mut sandbox, &key, t0());
        let csv = sandbox.appendix_a_csv(&reports);
        let mut lines = csv.lines();
        lines.next();
        let first = lines.next().unwrap();
        let id = &reports[0].transactions[0].transaction_id;
        assert_eq!(
            first,
            format!(
                "{},{},{id},{},20.08,USD,Default Company,DEFAULT,Sandbox",
                reports[0].transactions[0].scenario,
                reports[0].transactions[0].description,
                t0().to_iso8601_millis()
            )
        );
        let json: serde_json::Value =
            serde_json::from_str(&sandbox.appendix_a_json(&reports)).unwrap();
        let rows = json.as_array().unwrap();
        assert_eq!(rows.len(), csv.lines().count() - 1);
        // Every instant to the millisecond, as the CSV writes it, row for row.
        for (row, line) in rows.iter().zip(csv.lines().skip(1)) {
            let sent_at = row["sentAt"].as_str().unwrap_or_default();
            assert_eq!(sent_at.len(), "2026-01-01T00:00:00.000Z".len(), "{sent_at}");
            assert!(line.contains(&format!(",{sent_at},")), "{line} / {sent_at}");
        }
        assert_eq!(rows[0]["sentAt"], t0().to_iso8601_millis());
        assert_eq!(rows[0]["amount"], "20.08");
        assert_eq!(rows[0]["currency"], "USD");
        assert_eq!(rows[0]["company"], "Default Company");
        assert_eq!(rows[0]["companyCode"], "DEFAULT");
        assert_eq!(rows[0]["environment"], "Sandbox");
        // Later steps waited for retry dates: each token keeps its own instant.
        let last = rows.last().unwrap();
        assert!(last["sentAt"].as_str().unwrap() > rows[0]["sentAt"].as_str().unwrap());
    }

    #[test]
    fn a_run_takes_one_to_four_payment_currencies_each_once() {
        let usd = ScenarioCurrencies::new(["USD"]).unwrap();
        assert_eq!(usd, ScenarioCurrencies::default());
        let two = ScenarioCurrencies::new(["EUR", "JPY"]).unwrap();
        assert_eq!(two.as_slice(), [Currency::EUR, Currency::JPY]);
        for (codes, words) in [
            (&[][..], "give at least one currency"),
            (&["usd"][..], "\"USD\""),
            (&["USD", "ZZZ"][..], "ZZZ"),
            (&["XAU"][..], "without a minor unit"),
            (&["EUR", "USD", "EUR"][..], "EUR is given twice"),
            (
                &["USD", "EUR", "GBP", "CAD", "JPY"][..],
                "5 currencies given: a run takes at most 4",
            ),
        ] {
            let error = ScenarioCurrencies::new(codes.iter().copied()).unwrap_err();
            assert!(error.contains(words), "{codes:?}: {error}");
        }
    }

    #[test]
    fn a_run_in_two_currencies_sends_every_step_s_payments_in_both() {
        let (mut sandbox, key) = sandbox_with_key();
        let currencies = ScenarioCurrencies::new(["EUR", "JPY"]).unwrap();
        let reports = run_all_in(&mut sandbox, &key, t0(), &currencies);
        for report in &reports {
            assert!(report.passed, "step {}:\n{}", report.step, explain(report));
        }
        // Steps 1–5 whole in each; step 6's charge in each (its refusal and refund once);
        // step 7's two gateways in each.
        let rows: usize = reports.iter().map(|r| r.transactions.len()).sum();
        assert_eq!(rows, 2 * (1 + 3 + 2 + 3 + 2) + (3 + 1) + 2 * 2);
        let exported: serde_json::Value =
            serde_json::from_str(&sandbox.appendix_a_json(&reports)).unwrap();
        let mut seen = std::collections::BTreeMap::new();
        for (row, exported) in reports
            .iter()
            .flat_map(|r| &r.transactions)
            .zip(exported.as_array().unwrap())
        {
            // Each row names its currency, and its transaction was sent in it.
            let (code, _) = row.description.split_once(": ").unwrap();
            assert_eq!(exported["currency"], code, "{}", row.description);
            *seen.entry(code.to_owned()).or_insert(0) += 1;
        }
        assert_eq!(seen.get("EUR"), Some(&16), "{seen:?}");
        assert_eq!(
            sandbox.run_currencies(&reports),
            [Currency::EUR, Currency::JPY]
        );
        assert_eq!(sandbox.run_currencies(&[]), []);
        // Steps 6 and 7 went through the three gateways they created, and only those.
        let created: Vec<String> = sandbox
            .console_gateways("DEFAULT", Environment::Sandbox)
            .unwrap()
            .into_iter()
            .filter_map(|g| g.id)
            .collect();
        assert_eq!(created.len(), 3, "{created:?}");
        assert_eq!(sandbox.run_gateways(&reports), created);
        assert_eq!(sandbox.run_gateways(&reports[..5]), Vec::<String>::new());
        assert_eq!(seen.get("JPY"), Some(&14), "{seen:?}");
        // Amounts in each currency's own unit: 2008 yen, not 20.08.
        assert!(reports[0].checks.iter().any(
            |c| c.description == "JPY: charge of 2008 (trigger 2008): soft decline (20K range)"
        ));
        assert!(reports[0]
            .checks
            .iter()
            .any(|c| c.description
                == "EUR: charge of 20.08 (trigger 2008): soft decline (20K range)"));
        let led =
            |c: &Check| c.description.starts_with("EUR: ") || c.description.starts_with("JPY: ");
        // Every check of steps 1–5 is about a payment in one currency, and is led by it.
        assert!(reports[..5].iter().flat_map(|r| &r.checks).all(led));
        assert!(reports[1]
            .checks
            .iter()
            .any(|c| c.description == "JPY: charge of 3016 (trigger 3016): responseCode 30011"));
        // A gateway's creation and credentials are not: only its payments are.
        let step_6: Vec<&str> = reports[5]
            .checks
            .iter()
            .map(|c| c.description.as_str())
            .collect();
        assert!(
            step_6.contains(&"credentials are never returned"),
            "{step_6:?}"
        );
        for currency in ["EUR", "JPY"] {
            let charged = format!("{currency}: a charge is processed by the new gateway");
            assert!(step_6.contains(&charged.as_str()), "{step_6:?}");
        }
        assert!(step_6.contains(&"EUR: a RefundOnly gateway refuses new charges (50130)"));
        assert!(reports[6].checks.iter().filter(|c| led(c)).count() == 4);
        // The gateways steps 6 and 7 created take both, so the company's charges in either
        // are still routed after the run.
        let gateways = sandbox
            .console_gateways("DEFAULT", Environment::Sandbox)
            .unwrap();
        assert_eq!(gateways.len(), 3);
        for gateway in &gateways {
            assert_eq!(gateway.currency_code, "EUR");
            assert_eq!(
                gateway.accepted_currency_codes,
                Some(vec!["EUR".to_owned(), "JPY".to_owned()])
            );
        }
        for currency in [Currency::EUR, Currency::JPY] {
            assert_eq!(
                sandbox.routing_refusal(
                    "DEFAULT",
                    Environment::Sandbox,
                    currency,
                    SCENARIO_CARD.brand
                ),
                None
            );
        }
        let refused = sandbox
            .routing_refusal(
                "DEFAULT",
                Environment::Sandbox,
                Currency::USD,
                SCENARIO_CARD.brand,
            )
            .unwrap();
        assert_eq!(refused.0.value(), 50147);
        assert!(refused.1.contains("accepts USD"), "{}", refused.1);
        dated_in_order(&sandbox).unwrap();
        // A run in USD alone on that company is refused at every charge, in those words.
        let report = run_scenario(ScenarioStep::ScheduleSoftDecline, &mut sandbox, &key, t0());
        assert!(!report.passed);
        assert!(
            report.checks[0].detail.contains("50147"),
            "{}",
            explain(&report)
        );
    }
}
