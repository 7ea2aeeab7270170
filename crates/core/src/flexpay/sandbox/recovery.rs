//! Recovery bookkeeping for the portal's dashboard: every chain of attempts of one payment,
//! and a summary per company, environment and period.
//!
//! A chain counts as a **decline received** when its first attempt was sent as a retry
//! (`retryCount` ≥ 1: the merchant's own gateway had declined it) or was itself declined. It
//! is **recovered** when an attempt is approved. Chains are bucketed by the instant of their
//! first attempt, as FlexPay buckets by the day it first received the decline. The recovery
//! rate is recovered amount ÷ declined amount received, per currency, in basis points
//! (rounded down) so that it stays an exact integer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::flexpay::account::Environment;
use crate::flexpay::response_code::ResponseCode;
use crate::money::Currency;
use crate::time::UtcTimestamp;

use super::accounts::is_false;
use super::retry_schedule::ReferenceData;
use super::{AdminError, Sandbox};

/// Identifies a recovery chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChainId(pub u32);

/// Where a chain stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChainOutcome {
    /// Soft-declined, waiting for its next attempt.
    InRecovery,
    /// An attempt was approved.
    Approved,
    /// Hard, risk or gateway validation decline, or the retry limit: not recoverable.
    Declined,
    /// Stopped by a refunded-payment notice or the company's deletion.
    Stopped,
}

impl ChainOutcome {
    /// Where the chain stands, in words.
    pub fn describe(self) -> &'static str {
        match self {
            ChainOutcome::InRecovery => "in recovery",
            ChainOutcome::Approved => "approved",
            ChainOutcome::Declined => "declined for good",
            ChainOutcome::Stopped => "stopped",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ChainRecord {
    pub company: u16,
    pub mode: Environment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    pub amount: i64,
    pub first_transaction: u32,
    pub first_attempt_at: UtcTimestamp,
    pub last_transaction: u32,
    pub attempts: u32,
    pub last_retry_count: u32,
    /// The only `referenceData` of the chain still accepted; `None` once closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_retry: Option<UtcTimestamp>,
    pub outcome: ChainOutcome,
    /// The soft code the chain is being retried for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline_code: Option<ResponseCode>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub received_decline: bool,
    #[serde(default)]
    pub approved_amount: i64,
    #[serde(default)]
    pub refunded_amount: i64,
    /// Retried by the sandbox's scheduler (FlexPay Retries was enabled when it declined).
    #[serde(default, skip_serializing_if = "is_false")]
    pub auto_retry: bool,
    #[serde(default)]
    pub scheduled_attempts: u32,
    #[serde(default)]
    pub early_attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<UtcTimestamp>,
}

impl ChainRecord {
    pub(crate) fn close(&mut self, outcome: ChainOutcome, now: UtcTimestamp) {
        self.outcome = outcome;
        self.reference = None;
        self.next_retry = None;
        self.closed_at = Some(now);
    }
}

/// One attempt of a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptView {
    pub transaction_id: String,
    pub merchant_transaction_id: String,
    pub transaction_date: UtcTimestamp,
    pub retry_count: Option<u32>,
    pub response_code: ResponseCode,
    pub amount: Option<i64>,
    /// Fired by the sandbox's scheduler rather than sent by the merchant.
    pub scheduled_by_sandbox: bool,
}

/// A recovery chain as the portal shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainView {
    pub id: ChainId,
    /// Company code.
    pub company: String,
    pub mode: Environment,
    pub currency: Option<Currency>,
    /// Amount of the first attempt.
    pub amount: i64,
    pub first_attempt_at: UtcTimestamp,
    pub attempts: Vec<AttemptView>,
    pub outcome: ChainOutcome,
    pub received_decline: bool,
    pub approved_amount: i64,
    pub refunded_amount: i64,
    pub next_retry: Option<UtcTimestamp>,
    pub auto_retry: bool,
    /// Retries sent before their `retryDate`.
    pub early_attempts: u32,
}

/// One currency of a [`RecoverySummary`]. Amounts in that currency's minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyRecovery {
    pub currency: Currency,
    pub declined_count: u32,
    pub declined_amount: i64,
    pub recovered_count: u32,
    pub recovered_amount: i64,
    /// Refunds and voids of recovered payments (they reduce billable recovery).
    pub refunded_amount: i64,
    pub in_recovery_count: u32,
    pub in_recovery_amount: i64,
    pub unrecoverable_count: u32,
    /// Declines with a retry sent before the `retryDate` FlexPay gave it: the merchant's
    /// scheduler did not keep FlexPay's schedule (the portal's "miss schedule").
    pub retried_early_count: u32,
    /// Recovered amount ÷ declined amount, in basis points (10000 = 100 %), rounded down.
    pub recovery_rate_basis_points: u32,
}

impl CurrencyRecovery {
    pub(crate) fn empty(currency: Currency) -> CurrencyRecovery {
        CurrencyRecovery {
            currency,
            declined_count: 0,
            declined_amount: 0,
            recovered_count: 0,
            recovered_amount: 0,
            refunded_amount: 0,
            in_recovery_count: 0,
            in_recovery_amount: 0,
            unrecoverable_count: 0,
            retried_early_count: 0,
            recovery_rate_basis_points: 0,
        }
    }

    /// Counts a chain that received a decline in this currency.
    pub(crate) fn add(&mut self, chain: &ChainRecord) {
        self.declined_count += 1;
        self.declined_amount = self.declined_amount.saturating_add(chain.amount);
        if chain.early_attempts > 0 {
            self.retried_early_count += 1;
        }
        match chain.outcome {
            ChainOutcome::Approved => {
                self.recovered_count += 1;
                self.recovered_amount = self.recovered_amount.saturating_add(chain.approved_amount);
                self.refunded_amount = self.refunded_amount.saturating_add(chain.refunded_amount);
            }
            ChainOutcome::InRecovery => {
                self.in_recovery_count += 1;
                self.in_recovery_amount = self.in_recovery_amount.saturating_add(chain.amount);
            }
            ChainOutcome::Declined | ChainOutcome::Stopped => self.unrecoverable_count += 1,
        }
    }

    /// Works out the rate once every chain is counted.
    pub(crate) fn finish(&mut self) {
        self.recovery_rate_basis_points = basis_points(self.recovered_amount, self.declined_amount);
    }
}

/// A retry waiting for its date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpcomingRetry {
    pub chain: ChainId,
    pub retry_date: UtcTimestamp,
    /// The `retryCount` the next attempt must carry.
    pub retry_count: u32,
    pub amount: i64,
    pub currency: Option<Currency>,
    /// Fired by the sandbox's scheduler rather than awaited from the merchant.
    pub scheduled_by_sandbox: bool,
    /// The FlexPay id of the attempt that asked for the retry.
    pub last_transaction_id: String,
}

/// Recovery of one company and environment over `[from, to)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoverySummary {
    pub company: String,
    pub mode: Environment,
    pub from: UtcTimestamp,
    pub to: UtcTimestamp,
    /// Sorted by currency code.
    pub currencies: Vec<CurrencyRecovery>,
    pub in_recovery_count: u32,
    /// Sorted by date, then chain.
    pub upcoming_retries: Vec<UpcomingRetry>,
}

impl Sandbox {
    /// Every recovery chain (one per payment sent as a charge or authorization), oldest
    /// first, with its attempts.
    pub fn chains(&self) -> Vec<ChainView> {
        let mut attempts: Vec<Vec<AttemptView>> = vec![Vec::new(); self.state.chains.len()];
        for record in &self.state.transactions {
            let Some(list) = record
                .chain
                .filter(|_| record.kind.is_payment())
                .and_then(|chain| attempts.get_mut(chain as usize))
            else {
                continue;
            };
            list.push(AttemptView {
                transaction_id: record.id.to_string(),
                merchant_transaction_id: record.merchant_transaction_id.to_string(),
                transaction_date: record.date,
                retry_count: record.retry_count,
                response_code: record.code,
                amount: record.amount,
                scheduled_by_sandbox: record.scheduled,
            });
        }
        self.state
            .chains
            .iter()
            .zip(attempts)
            .enumerate()
            .map(|(index, (chain, attempts))| ChainView {
                id: ChainId(u32::try_from(index).unwrap_or(u32::MAX)),
                company: self.company_code(chain.company).to_owned(),
                mode: chain.mode,
                currency: chain.currency,
                amount: chain.amount,
                first_attempt_at: chain.first_attempt_at,
                attempts,
                outcome: chain.outcome,
                received_decline: chain.received_decline,
                approved_amount: chain.approved_amount,
                refunded_amount: chain.refunded_amount,
                next_retry: chain.next_retry,
                auto_retry: chain.auto_retry,
                early_attempts: chain.early_attempts,
            })
            .collect()
    }

    /// The chain a transaction belongs to, if it is an attempt of one.
    pub fn chain_of(&self, transaction_id: &str) -> Option<ChainId> {
        let position = self.transaction_position(transaction_id)?;
        self.state
            .transactions
            .get(position as usize)?
            .chain
            .map(ChainId)
    }

    /// Recovery of a company and environment for chains first attempted in `[from, to)`.
    pub fn recovery_summary(
        &self,
        company_code: &str,
        mode: Environment,
        from: UtcTimestamp,
        to: UtcTimestamp,
    ) -> Result<RecoverySummary, AdminError> {
        let company = self.company_index(company_code)?;
        let mut per_currency: BTreeMap<Currency, CurrencyRecovery> = BTreeMap::new();
        let mut upcoming = Vec::new();
        let mut in_recovery_count = 0u32;
        for (index, chain) in self.state.chains.iter().enumerate() {
            let in_period = chain.first_attempt_at >= from && chain.first_attempt_at < to;
            if chain.company != company || chain.mode != mode || !in_period {
                continue;
            }
            if chain.outcome == ChainOutcome::InRecovery {
                in_recovery_count += 1;
                if let Some(retry_date) = chain.next_retry {
                    upcoming.push(UpcomingRetry {
                        chain: ChainId(u32::try_from(index).unwrap_or(u32::MAX)),
                        retry_date,
                        retry_count: chain.last_retry_count.saturating_add(1),
                        amount: chain.amount,
                        currency: chain.currency,
                        scheduled_by_sandbox: chain.auto_retry,
                        last_transaction_id: self
                            .state
                            .transactions
                            .get(chain.last_transaction as usize)
                            .map(|r| r.id.to_string())
                            .unwrap_or_default(),
                    });
                }
            }
            let (Some(currency), true) = (chain.currency, chain.received_decline) else {
                continue;
            };
            per_currency
                .entry(currency)
                .or_insert(CurrencyRecovery::empty(currency))
                .add(chain);
        }
        let currencies = per_currency
            .into_values()
            .map(|mut row| {
                row.finish();
                row
            })
            .collect();
        upcoming.sort_by_key(|retry: &UpcomingRetry| (retry.retry_date, retry.chain));
        Ok(RecoverySummary {
            company: self.company_code(company).to_owned(),
            mode,
            from,
            to,
            currencies,
            in_recovery_count,
            upcoming_retries: upcoming,
        })
    }

    /// Closes an open chain on a refunded-payment notice.
    pub(crate) fn stop_chain(&mut self, chain: Option<u32>, now: UtcTimestamp) {
        let Some(index) = chain else { return };
        if let Some(record) = self.state.chains.get_mut(index as usize) {
            if record.outcome == ChainOutcome::InRecovery {
                if let Some(due) = record.next_retry {
                    self.index.schedule.remove(&(due, index));
                }
                record.close(ChainOutcome::Stopped, now);
            }
        }
    }

    /// Money given back on a chain's approved payment.
    pub(crate) fn note_refund_on_chain(
        &mut self,
        chain: Option<u32>,
        amount: i64,
        _now: UtcTimestamp,
    ) {
        if let Some(record) = chain.and_then(|index| self.state.chains.get_mut(index as usize)) {
            if record.outcome == ChainOutcome::Approved {
                record.refunded_amount = record.refunded_amount.saturating_add(amount);
            }
        }
    }

    pub(crate) fn stop_company_chains(&mut self, company: u16, now: UtcTimestamp) {
        let open: Vec<u32> = self
            .state
            .chains
            .iter()
            .enumerate()
            .filter(|(_, c)| c.company == company && c.outcome == ChainOutcome::InRecovery)
            .filter_map(|(index, _)| u32::try_from(index).ok())
            .collect();
        for index in open {
            self.stop_chain(Some(index), now);
        }
    }
}

pub(super) fn basis_points(part: i64, whole: i64) -> u32 {
    if whole <= 0 || part <= 0 {
        return 0;
    }
    let ratio = i128::from(part) * 10_000 / i128::from(whole);
    u32::try_from(ratio).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::{
        at_hours, sandbox_with_key, t0, three_chains, visa_charge,
    };

    #[test]
    fn basis_points_are_exact_and_safe() {
        assert_eq!(basis_points(1, 3), 3333);
        assert_eq!(basis_points(5, 5), 10000);
        assert_eq!(basis_points(5, 0), 0);
        assert_eq!(basis_points(i64::MAX, 1), u32::MAX);
    }

    #[test]
    fn a_recovered_chain_counts_its_attempts_amounts_and_refunds() {
        let (mut sandbox, key) = sandbox_with_key();
        let (approved, _) = three_chains(&mut sandbox, &key, 0);
        assert_eq!(approved.response_code, ResponseCode::APPROVED);

        let chains = sandbox.chains();
        assert_eq!(chains.len(), 3);
        assert_eq!(chains[0].attempts.len(), 2);
        assert_eq!(chains[0].outcome, ChainOutcome::Approved);
        assert_eq!(chains[0].approved_amount, 2500);
        assert_eq!(chains[0].refunded_amount, 500);
        assert_eq!(sandbox.chain_of(&approved.transaction_id), Some(ChainId(0)));

        let summary = sandbox
            .recovery_summary("DEFAULT", Environment::Sandbox, t0(), at_hours(24 * 40))
            .unwrap();
        let usd = &summary.currencies[0];
        assert_eq!(usd.currency, Currency::USD);
        assert_eq!(
            (usd.declined_count, usd.declined_amount),
            (3, 2008 + 3016 + 2012)
        );
        assert_eq!((usd.recovered_count, usd.recovered_amount), (1, 2500));
        assert_eq!(usd.refunded_amount, 500);
        assert_eq!((usd.in_recovery_count, usd.unrecoverable_count), (1, 1));
        assert_eq!(usd.recovery_rate_basis_points, basis_points(2500, 7036));
        assert_eq!(summary.in_recovery_count, 1);
        assert_eq!(summary.upcoming_retries.len(), 1);
        assert_eq!(summary.upcoming_retries[0].retry_count, 2);
        assert!(summary.upcoming_retries[0].retry_date > t0());

        // Outside the period, nothing.
        let later = sandbox
            .recovery_summary("DEFAULT", Environment::Sandbox, at_hours(1), at_hours(2))
            .unwrap();
        assert!(later.currencies.is_empty());
        assert!(sandbox
            .recovery_summary("NOPE", Environment::Sandbox, t0(), t0())
            .is_err());
    }

    #[test]
    fn a_first_approval_without_retry_count_is_not_a_recovery() {
        let (mut sandbox, key) = sandbox_with_key();
        let sale = visa_charge("sale-1", 1000).retry_attempt(0, None);
        sandbox.charge(&key, sale, t0()).unwrap();
        let summary = sandbox
            .recovery_summary("DEFAULT", Environment::Sandbox, t0(), at_hours(1))
            .unwrap();
        assert!(summary.currencies.is_empty());
        assert!(!sandbox.chains()[0].received_decline);
    }
}
