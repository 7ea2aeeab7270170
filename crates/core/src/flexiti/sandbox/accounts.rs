//! The sandbox's customer and account calls: `customers/search`, `verify`,
//! `calculate-interest` and `refund`.

use serde::{Deserialize, Serialize};

use super::test_data::{
    plan_details, test_account, TEST_ORIGINATING_MERCHANT, TEST_PIN, TEST_PLANS,
};
use super::{cents, not_found, CallContext, RefundRecord, Sandbox, VerificationRecord};
use crate::flexiti::account::{
    AccountVerifyBody, AnnualRate, CalculateInterestBody, CalculateInterestResponse, PlanQuote,
    QuoteCustomer, Rate, RegularPurchaseQuote, TermQuote, VerificationOutcome, VerifyMethod,
    VerifyResponse,
};
use crate::flexiti::amount::{self, cad};
use crate::flexiti::common::{RequestBody, VerificationCode};
use crate::flexiti::customer::{CustomerSearchQuery, LookupKey};
use crate::flexiti::error::{ApiError, ErrorCode};
use crate::flexiti::ids::AccountNumber;
use crate::flexiti::purchase::{PurchaseType, RefundBody};
use crate::flexiti::rules::{
    self, AccountStatus, RefundFacts, SECURITY_LOCKOUT_SECONDS, SECURITY_MAX_WRONG_ANSWERS,
};
use crate::money::Money;
use crate::time::{CivilDate, UtcTimestamp};
use crate::validation::Validation;

/// One account of a `customers/search` answer (the fields the sandbox knows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchMatch {
    pub customer_id: String,
    pub account_number: u64,
    pub account_status: AccountStatus,
    /// `NNOR` for accounts in good standing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_status_reason_code: Option<String>,
    pub tos_agreement: bool,
    /// Reference §8's letters (`L`, `M`, `H`, `X`, `Y`, `Z`, …); ASCII (4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_rating: Option<String>,
    pub customer_account_type: String,
    #[serde(with = "amount")]
    pub credit_limit: Money,
    #[serde(with = "amount")]
    pub available_credit: Money,
    /// The merchant the account was opened with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originating_merchant_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originating_merchant_name: Option<String>,
    /// When the account was opened, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub card_ending_in: String,
    pub preferred_language: String,
}

/// The documented answer of a refund: an empty object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundResponse {}

/// A representative reason code for each status; Flexiti does not publish their meanings,
/// but the first letter follows the status.
fn reason_code(status: AccountStatus) -> Option<&'static str> {
    match status {
        AccountStatus::Normal => Some("NNOR"),
        AccountStatus::AuthProhibited => Some("AAUT"),
        AccountStatus::Frozen => Some("FLCK"),
        AccountStatus::ChargedOff => Some("ZCCO"),
        AccountStatus::Closed => None,
    }
}

fn wrong_inputs(validation: &Validation) -> Option<ApiError> {
    validation
        .errors()
        .next()
        .map(|problem| ApiError::with_message(ErrorCode::WrongInputs, problem.to_string()))
}

/// `ceil(numerator / denominator)` for non-negative cents.
fn divide_up(numerator: i64, denominator: i64) -> i64 {
    if denominator <= 0 {
        return numerator;
    }
    numerator / denominator + i64::from(numerator % denominator != 0)
}

/// The sandbox's minimum monthly payment on a regular purchase: 3 % of the amount, rounded up
/// to the cent, at least $10.00 (or the whole amount when smaller).
fn regular_payment(amount_cents: i64) -> i64 {
    divide_up(amount_cents.saturating_mul(3), 100)
        .max(1_000)
        .min(amount_cents)
}

impl Sandbox {
    /// `GET customers/search`: the accounts of the person with that name and date of birth
    /// (names compared without regard to case), and postal code when given; `404 not_found`
    /// when there is none. Merchant scope only.
    pub fn search(
        &self,
        call: &CallContext<'_>,
        query: &CustomerSearchQuery,
    ) -> Result<Vec<SearchMatch>, ApiError> {
        self.authenticate(call, false)?;
        if let Some(error) = wrong_inputs(&query.validate_at(call.now)) {
            return Err(error);
        }
        let matches: Vec<SearchMatch> = self
            .state
            .accounts
            .iter()
            .enumerate()
            .filter(|(_, account)| {
                let Some(data) = test_account(account.account_number) else {
                    return false;
                };
                account.first_name.eq_ignore_ascii_case(&query.first_name)
                    && account.last_name.eq_ignore_ascii_case(&query.last_name)
                    && CivilDate::parse(data.dob).ok() == Some(query.dob)
                    && query
                        .postal_code
                        .as_ref()
                        .is_none_or(|code| code.as_str() == data.postal_code)
            })
            // The test data's name, date of birth and postal code are the primary holder's,
            // so a match answers the primary holder's customer id and card.
            .map(|(index, account)| SearchMatch {
                customer_id: account.holder_id(0),
                account_number: account.account_number,
                account_status: account.status,
                account_status_reason_code: reason_code(account.status).map(str::to_owned),
                tos_agreement: true,
                risk_rating: test_account(account.account_number)
                    .map(|data| data.risk_rating.to_owned()),
                customer_account_type: account.account_type.clone(),
                credit_limit: cad(account.credit_limit_cents),
                available_credit: self.facts(index).available_credit,
                originating_merchant_id: Some(TEST_ORIGINATING_MERCHANT.0),
                originating_merchant_name: Some(TEST_ORIGINATING_MERCHANT.1.to_owned()),
                creation_date: test_account(account.account_number)
                    .map(|data| data.creation_date.to_owned()),
                first_name: account.first_name.clone(),
                last_name: account.last_name.clone(),
                card_ending_in: account.card_ending(0).unwrap_or_default(),
                preferred_language: "en-CA".to_owned(),
            })
            .collect();
        if matches.is_empty() {
            return Err(not_found(
                "no account matches that name, dob and postal code; it",
            ));
        }
        Ok(matches)
    }

    fn regular_purchases_since(&self, account_number: u64, now: UtcTimestamp) -> u32 {
        let count = self
            .state
            .authorizations
            .iter()
            .filter(|a| {
                a.account_number == account_number
                    && a.purchase_type == PurchaseType::RegularPurchase
                    && now.seconds_since(a.created_at) < rules::PAYMENT_WINDOW_SECONDS
            })
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// `POST account/{account_number}/verify`. In the sandbox: SMS and e-mail report the PIN as
    /// sent (it is always [`TEST_PIN`]); the security question returns the PIN for the test
    /// account's answer (compared without regard to case) and counts wrong answers, refusing
    /// with `tries_exceed` after three in 48 hours; the regular-purchase bypass follows
    /// [`rules::regular_purchase_bypass_allowed`] (its amount rule is checked by
    /// `calculate-interest`); the sandbox merchant is not enabled for `merchant_override`.
    /// A successful call verifies its `request_id` for this account: the next in-store
    /// purchase or transaction on the account sends it (any other is `not_verified`), and the
    /// first that succeeds spends it; one verified
    /// only with `regular_purchase_bypass` serves regular purchases only (the format is kept
    /// in the record, and in snapshots since version 2). Customer scope is allowed.
    pub fn verify(
        &mut self,
        call: &CallContext<'_>,
        account_number: AccountNumber,
        body: &AccountVerifyBody,
    ) -> Result<VerifyResponse, ApiError> {
        self.authenticate(call, true)?;
        if let Some(error) = wrong_inputs(&body.validate()) {
            return Err(error);
        }
        let index = self.account_index(&LookupKey::AccountNumber(account_number))?;
        let account = &self.state.accounts[index];
        if let Some(vcc) = &body.vcc_number {
            if !account.vcc_numbers.iter().any(|v| v == vcc.as_str()) {
                return Err(not_found("that FlexitiCard on this account"));
            }
        }
        let number = account.account_number;
        let data = test_account(number).ok_or_else(|| not_found("the account's test data"))?;
        let pin = || VerificationOutcome::Code(VerificationCode::trusted(TEST_PIN));
        let mut wrong_answer = false;
        let outcome = match &body.method {
            VerifyMethod::Sms if !data.mobile_on_file => {
                Err(ApiError::new(ErrorCode::SmsNotValidPhone))
            }
            VerifyMethod::Sms => Ok(VerificationOutcome::SentToSms),
            VerifyMethod::Email => Ok(VerificationOutcome::SentToEmail),
            VerifyMethod::MerchantOverride => {
                Err(ApiError::new(ErrorCode::MerchantOverrideIsNotAllowed))
            }
            VerifyMethod::RegularPurchaseBypass => {
                let count = self.regular_purchases_since(number, call.now);
                if rules::regular_purchase_bypass_allowed(cad(0), count) {
                    Ok(pin())
                } else {
                    // Its documented message: "more than 3 regular purchases in 24 h".
                    Err(ApiError::new(ErrorCode::RegularPurchaseBypassIsNotAllowed))
                }
            }
            VerifyMethod::SecurityQuestion {
                security_qid,
                security_answer,
            } => {
                let wrong = self
                    .state
                    .verifications
                    .iter()
                    .filter(|v| {
                        v.account_number == number
                            && v.wrong_answer
                            && call.now.seconds_since(v.at) < SECURITY_LOCKOUT_SECONDS
                    })
                    .count();
                if wrong >= SECURITY_MAX_WRONG_ANSWERS {
                    Err(ApiError::new(ErrorCode::TriesExceed))
                } else if security_qid != data.security_qid
                    || !security_answer
                        .trim()
                        .eq_ignore_ascii_case(data.security_answer)
                {
                    wrong_answer = true;
                    Err(ApiError::new(ErrorCode::SecretAnswerMismatch))
                } else {
                    Ok(pin())
                }
            }
        };
        self.state.verifications.push(VerificationRecord {
            account_number: number,
            request_id: body.request_id.as_str().to_owned(),
            format: body.method.format().to_owned(),
            wrong_answer,
            at: call.now,
            verified: outcome.is_ok(),
            used: false,
        });
        outcome.map(|verification_code| VerifyResponse { verification_code })
    }

    /// `POST v2.5.1/accounts/{account_number}/calculate-interest`. The sandbox's plans charge
    /// no interest during their term: equal-payment plans spread the amount over the term
    /// (rounded up to the cent), deferred plans ask the whole amount at its end. Customer
    /// scope is allowed.
    pub fn calculate_interest(
        &self,
        call: &CallContext<'_>,
        account_number: AccountNumber,
        body: &CalculateInterestBody,
    ) -> Result<CalculateInterestResponse, ApiError> {
        self.authenticate(call, true)?;
        if let Some(error) = wrong_inputs(&body.validate()) {
            return Err(error);
        }
        let index = self.account_index(&LookupKey::AccountNumber(account_number))?;
        let account = &self.state.accounts[index];
        let data = test_account(account.account_number)
            .ok_or_else(|| not_found("the account's test data"))?;
        let amount_cents = cents(body.amount);
        let air = Rate::from_ten_thousandths(data.air);
        let count = self.regular_purchases_since(account.account_number, call.now);
        let promotional_purchase = TEST_PLANS
            .iter()
            .map(|(plan_id, terms)| {
                let (name, deferred) = plan_details(plan_id);
                PlanQuote {
                    plan_id: (*plan_id).to_owned(),
                    plan_name: Some(name.to_owned()),
                    terms: terms
                        .iter()
                        .map(|term| TermQuote {
                            term: *term,
                            term_amount: cad(if deferred {
                                amount_cents
                            } else {
                                divide_up(amount_cents, i64::from(*term))
                            }),
                            annual_rates: AnnualRate {
                                description: "No interest during the promotional term".into(),
                                rate: Rate::from_ten_thousandths(0),
                                kind: "promotional".into(),
                                message: None,
                            },
                            fees: Vec::new(),
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(CalculateInterestResponse {
            account_number: account.account_number,
            account_type: account.account_type.clone(),
            amount: body.amount,
            customer: QuoteCustomer {
                available_credit: self.facts(index).available_credit,
                air,
                first_name: account.first_name.clone(),
                last_name: account.last_name.clone(),
                category_type: data.category_type.to_owned(),
            },
            regular_purchase: RegularPurchaseQuote {
                term_amount: cad(regular_payment(amount_cents)),
                air,
                verify: rules::regular_purchase_bypass_allowed(body.amount, count),
                fees: Vec::new(),
            },
            promotional_purchase,
        })
    }

    /// What a refund to the account may give back at `call.now`: what the account owes and,
    /// when a capture is named, what of it was neither returned nor refunded — the facts
    /// [`Sandbox::refund`] checks with [`rules::check_refund`], so a form can check a refund
    /// before sending it. `404 not_found` for an unknown account, or a capture that is not on
    /// it. Merchant scope only.
    pub fn refund_facts(
        &self,
        call: &CallContext<'_>,
        account_number: AccountNumber,
        capture_id: Option<u32>,
    ) -> Result<RefundFacts, ApiError> {
        self.authenticate(call, false)?;
        let index = self.account_index(&LookupKey::AccountNumber(account_number))?;
        self.refund_facts_of(index, capture_id)
    }

    fn refund_facts_of(
        &self,
        index: usize,
        capture_id: Option<u32>,
    ) -> Result<RefundFacts, ApiError> {
        let account = &self.state.accounts[index];
        let capture_remaining = match capture_id {
            None => None,
            Some(capture_id) => {
                let capture = self
                    .state
                    .captures
                    .iter()
                    .find(|c| c.id == capture_id)
                    .ok_or_else(|| not_found("the capture"))?;
                let owner = self.authorization(capture.authorization_id)?;
                if owner.account_number != account.account_number {
                    return Err(not_found("the capture on this account"));
                }
                Some(cad(capture.remaining_cents()))
            }
        };
        Ok(RefundFacts {
            balance: cad(account.balance_cents),
            capture_remaining,
        })
    }

    /// `POST accounts/{account_number}/refund`: money back to the account, at most what it
    /// owes and, when a capture is named, what remains of that capture after returns and
    /// refunds. Answers the documented `{}`. Merchant scope only; `x-idempotency-key` honoured.
    pub fn refund(
        &mut self,
        call: &CallContext<'_>,
        account_number: AccountNumber,
        body: &RefundBody,
    ) -> Result<RefundResponse, ApiError> {
        let fingerprint = format!("refund {account_number} {}", body.to_json());
        let now = call.now;
        self.idempotent(call, false, fingerprint, |sandbox| {
            if let Some(error) = wrong_inputs(&body.validate()) {
                return Err(error);
            }
            let index = sandbox.account_index(&LookupKey::AccountNumber(account_number))?;
            let account = &sandbox.state.accounts[index];
            if let Some(vcc) = &body.vcc_number {
                if !account.vcc_numbers.iter().any(|v| v == vcc.as_str()) {
                    return Err(ApiError::new(ErrorCode::VccAccountMismatch));
                }
            }
            let number = account.account_number;
            let facts = sandbox.refund_facts_of(index, body.capture_id)?;
            if let Some(violation) = rules::check_refund(body, &facts).first() {
                return Err(violation.to_api_error());
            }
            let refunded = cents(body.amount);
            if let Some(capture_id) = body.capture_id {
                if let Some(capture) = sandbox
                    .state
                    .captures
                    .iter_mut()
                    .find(|c| c.id == capture_id)
                {
                    capture.refunded_cents += refunded;
                }
            }
            let account = &mut sandbox.state.accounts[index];
            account.balance_cents = account.balance_cents.saturating_sub(refunded);
            let id = sandbox.rng(|rng| rng.in_range(1_000_000_000, 9_999_999_999));
            sandbox.state.refunds.push(RefundRecord {
                id,
                account_number: number,
                capture_id: body.capture_id,
                amount_cents: refunded,
                reference: body.reference.clone(),
                external_location_id: body
                    .store
                    .as_ref()
                    .map(|store| store.external_location_id.as_str().to_owned()),
                refunded_at: now,
            });
            Ok(RefundResponse {})
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payments_round_up_to_the_cent() {
        assert_eq!(divide_up(100_000, 12), 8_334);
        assert_eq!(divide_up(120_000, 12), 10_000);
        assert_eq!(divide_up(5, 0), 5);
        assert_eq!(regular_payment(100_000), 3_000);
        assert_eq!(regular_payment(10_001), 1_000);
        assert_eq!(regular_payment(500), 500);
    }
}
