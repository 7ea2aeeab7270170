//! Recovery bookkeeping for the portal's dashboard: every chain of attempts of one payment,
//! and a summary per company (or over all companies), environment and period.
//!
//! A chain counts as a **decline received** when its first attempt was sent as a retry
//! (`retryCount` ≥ 1: the merchant's own gateway had declined it) or was itself declined. It
//! is **recovered** when an attempt is approved: at the approved amount, or for an
//! authorization at what is captured of it once it is captured (a capture for less releases
//! the rest, never taken; until its capture it counts at the amount authorized). An approved
//! authorization voided before any capture took no money: its chain recovered nothing and
//! counts as stopped (not recovered), and its void is no refund. What is refunded of the
//! payment or of its capture, or voided of a charge or capture, is refunded after recovery.
//! A chain still in recovery whose **recovery window** (its first attempt plus the company's
//! `windowDays`, [`super::RecoveryLimits`]) closed before the figures' `now` is no longer due:
//! it counts as not recovered (unrecoverable, as a 30100 would end it), and is left out of the
//! amount in recovery, the upcoming retries and the forecast's basis. Chains are bucketed by the instant of their
//! first attempt, as FlexPay buckets by the day it first received the decline. The recovery
//! rate is recovered amount ÷ declined amount received, per currency, in basis points
//! (rounded half up to the nearest basis point, as every rate of the console) so that it
//! stays an exact integer.
//!
//! The **forecast** (FlexPay's dashboard shows a forecasted recovery and rate; its model is
//! not published) is flexkit's estimate: the amount recovered so far, plus the amount still in
//! recovery times the share of the company's finished recoveries in that mode and currency
//! (recovered, declined for good or stopped, at any date) that ended recovered, by amount.
//! With nothing left in recovery it is the recovered amount; with something in recovery and
//! no finished recovery to learn from there is no forecast.
//!
//! Over **all companies** every figure is the sum of each company's, per currency: the
//! forecast too (each company's at its own track record; none while one of them has none),
//! and the rates are worked out again from the sums.

use serde::{Deserialize, Serialize};

use crate::flexpay::account::Environment;
use crate::flexpay::response_code::ResponseCode;
use crate::money::Currency;
use crate::time::UtcTimestamp;

use super::accounts::is_false;
use super::console::{CompanyScope, Scope};
use super::console_reports::row_for;
use super::retry_schedule::ReferenceData;
use super::{AdminError, Sandbox};

/// How long after its `retryDate` a retry counts as sent late: a day. FlexPay's dates fall on
/// whole days and its portal counts retries "not made at FlexPay's scheduled time" apart
/// ("Miss schedule"); a CRM's job that runs some hours after the date is on time, one that
/// skips a day is not (flexkit's reading: FlexPay publishes no tolerance).
pub const LATE_AFTER: i64 = 24 * 3600;

fn is_zero(count: &u32) -> bool {
    *count == 0
}

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
    /// Stopped by a refunded-payment notice, the company's deletion, or a void of the
    /// authorization that was approved before any of it was captured (nothing recovered).
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

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
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
    /// Retries sent [`LATE_AFTER`] or more after their `retryDate`: left out while 0, so
    /// older snapshots load and write back as they were.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub late_attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<UtcTimestamp>,
    /// A rebill (`billingCycle` 2 or more on its first attempt), for the platform
    /// configuration's recovery minimums.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rebill: bool,
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
    /// The response's `message` when it says more than the code's meaning (the retry limit
    /// a 30100 reached, say); `None` otherwise.
    pub message: Option<String>,
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
    /// The last instant a retry of the payment may be sent while it is in recovery (its
    /// first attempt plus the company's recovery window, or its last attempt once
    /// `limit_reached`); `None` once it has ended.
    pub window_ends_at: Option<UtcTimestamp>,
    /// In recovery, but the company lowered its most retries to the retries it already had:
    /// no retry is left (one sent is answered 30100).
    pub limit_reached: bool,
    pub auto_retry: bool,
    /// Retries sent before their `retryDate`.
    pub early_attempts: u32,
    /// Retries sent [`LATE_AFTER`] or more after their `retryDate`.
    pub late_attempts: u32,
}

impl ChainView {
    /// When the recovery window of a payment still in recovery closed, if it has at `now`:
    /// no retry is due any more (one sent is answered 30100 and ends the chain), and the
    /// figures count it as not recovered, as [`Sandbox::standing`] does.
    pub fn window_closed(&self, now: UtcTimestamp) -> Option<UtcTimestamp> {
        self.window_ends_at.filter(|&end| now > end)
    }
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
    /// scheduler did not keep FlexPay's schedule (with the late ones, the portal's "miss
    /// schedule").
    pub retried_early_count: u32,
    /// Declines with a retry sent [`LATE_AFTER`] or more after its `retryDate`: the other
    /// way of missing FlexPay's schedule.
    pub retried_late_count: u32,
    /// Recovered amount ÷ declined amount, in basis points (10000 = 100 %), rounded half up.
    pub recovery_rate_basis_points: u32,
    /// Recovered amount plus what the amount in recovery is expected to bring (see the
    /// module's documentation); `None` while nothing has finished to base it on.
    pub forecast_amount: Option<i64>,
    /// Forecast amount ÷ declined amount, in basis points, rounded half up.
    pub forecast_rate_basis_points: Option<u32>,
    /// The amount in recovery the forecast leaves out: that of companies with no finished
    /// recovery in the currency to base one on (figures over several companies add up the
    /// others'; a forecast of none leaves out all of it).
    pub unforecast_amount: i64,
}

/// What the finished recoveries of one currency came to, for a company and mode: the basis
/// of the forecast.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TrackRecord {
    /// Amount recovered by the chains that ended recovered.
    recovered: i64,
    /// Amount declined of every finished chain.
    finished: i64,
}

/// Per currency, the track record of a company's finished recoveries in one mode.
#[derive(Clone, Debug, Default)]
pub(crate) struct TrackRecords(Vec<(Currency, TrackRecord)>);

impl TrackRecords {
    fn of(&self, currency: Currency) -> TrackRecord {
        self.0
            .iter()
            .find(|(c, _)| *c == currency)
            .map_or(TrackRecord::default(), |(_, record)| *record)
    }
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
            retried_late_count: 0,
            recovery_rate_basis_points: 0,
            forecast_amount: None,
            forecast_rate_basis_points: None,
            unforecast_amount: 0,
        }
    }

    /// Counts a chain that received a decline in this currency, where it stands at the time
    /// of the figures (`outcome`, [`Sandbox::standing`]).
    pub(crate) fn add(&mut self, chain: &ChainRecord, outcome: ChainOutcome) {
        self.declined_count += 1;
        self.declined_amount = self.declined_amount.saturating_add(chain.amount);
        if chain.early_attempts > 0 {
            self.retried_early_count += 1;
        }
        if chain.late_attempts > 0 {
            self.retried_late_count += 1;
        }
        match outcome {
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

    /// Works out the rates and the forecast once every chain is counted.
    pub(crate) fn finish(&mut self, records: &TrackRecords) {
        let record = records.of(self.currency);
        let expected = if self.in_recovery_amount == 0 {
            Some(0)
        } else if record.finished > 0 {
            // Rounded half up to the minor unit, as the rates are (`basis_points`): 78.5454
            // is 78.55, never cut to 78.54.
            let finished = i128::from(record.finished);
            let share = (2 * i128::from(self.in_recovery_amount) * i128::from(record.recovered)
                + finished)
                / (2 * finished);
            Some(i64::try_from(share).unwrap_or(i64::MAX))
        } else {
            None
        };
        self.forecast_amount = expected.map(|e| self.recovered_amount.saturating_add(e));
        self.unforecast_amount = if expected.is_some() {
            0
        } else {
            self.in_recovery_amount
        };
        self.rates();
    }

    /// The recovery and forecast rates of the amounts.
    fn rates(&mut self) {
        self.recovery_rate_basis_points = basis_points(self.recovered_amount, self.declined_amount);
        self.forecast_rate_basis_points = self
            .forecast_amount
            .map(|forecast| basis_points(forecast, self.declined_amount));
    }

    /// Adds the finished figures of another company in the same currency: counts and
    /// amounts are summed, the forecasts too — a company without one adds what it recovered,
    /// and its amount in recovery is counted as left out (`unforecast_amount`); none only
    /// while neither has one —, and the rates are those of the sums.
    pub(crate) fn merge(&mut self, other: &CurrencyRecovery) {
        let add = |a: &mut i64, b: i64| *a = a.saturating_add(b);
        let forecast = match (self.forecast_amount, other.forecast_amount) {
            (None, None) => None,
            (mine, theirs) => Some(
                mine.unwrap_or(self.recovered_amount)
                    .saturating_add(theirs.unwrap_or(other.recovered_amount)),
            ),
        };
        self.declined_count += other.declined_count;
        add(&mut self.declined_amount, other.declined_amount);
        self.recovered_count += other.recovered_count;
        add(&mut self.recovered_amount, other.recovered_amount);
        add(&mut self.refunded_amount, other.refunded_amount);
        self.in_recovery_count += other.in_recovery_count;
        add(&mut self.in_recovery_amount, other.in_recovery_amount);
        self.unrecoverable_count += other.unrecoverable_count;
        self.retried_early_count += other.retried_early_count;
        self.retried_late_count += other.retried_late_count;
        self.forecast_amount = forecast;
        add(&mut self.unforecast_amount, other.unforecast_amount);
        self.rates();
    }
}

/// Figures per key (a currency, a week and a currency) and company, in that order, before
/// [`Sandbox::finish_per_company`] finishes and adds them up.
pub(crate) type CompanyRows<K> = Vec<((K, u16), CurrencyRecovery)>;

/// A retry waiting for its date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpcomingRetry {
    pub chain: ChainId,
    /// Code of the company whose payment it is.
    pub company: String,
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

/// Recovery of one company, or of all, and environment over `[from, to)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoverySummary {
    /// The company's code; `None` for all companies.
    pub company: Option<String>,
    pub mode: Environment,
    pub from: UtcTimestamp,
    pub to: UtcTimestamp,
    /// Sorted by currency code.
    pub currencies: Vec<CurrencyRecovery>,
    pub in_recovery_count: u32,
    /// Every retry due or to come of a payment still in recovery at `now`, whenever it was
    /// first declined (not only in `[from, to)`), sorted by date, then chain.
    pub upcoming_retries: Vec<UpcomingRetry>,
}

impl Sandbox {
    /// Every recovery chain (one per payment sent as a charge or authorization), oldest
    /// first, with its attempts.
    pub fn chains(&self) -> Vec<ChainView> {
        self.chain_views(None)
    }

    /// The recovery chains of the companies in one environment, oldest first, with their
    /// attempts.
    pub fn console_chains(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
    ) -> Result<Vec<ChainView>, AdminError> {
        let scope = self.scope(companies, mode)?;
        Ok(self.chain_views(Some(scope)))
    }

    /// The chains in `scope` (all of them for `None`).
    fn chain_views(&self, scope: Option<Scope<'_>>) -> Vec<ChainView> {
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
                message: record.note.as_deref().map(str::to_owned),
            });
        }
        self.state
            .chains
            .iter()
            .zip(attempts)
            .enumerate()
            .filter(|(_, (chain, _))| scope.is_none_or(|s| s.holds(chain.company, chain.mode)))
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
                window_ends_at: (chain.outcome == ChainOutcome::InRecovery)
                    .then(|| self.window_end(chain))
                    .flatten(),
                limit_reached: self.limit_reached(chain),
                auto_retry: chain.auto_retry,
                early_attempts: chain.early_attempts,
                late_attempts: chain.late_attempts,
            })
            .collect()
    }

    /// Whether the next attempt of the chain this transaction belongs to is FlexPay Retries'
    /// to send (the chain is in recovery and its company's auto-retry took it), so a merchant
    /// must not send it too.
    pub fn retried_by_flexpay(&self, transaction_id: &str) -> bool {
        self.chain_of(transaction_id)
            .and_then(|ChainId(index)| self.state.chains.get(index as usize))
            .is_some_and(|chain| chain.auto_retry && chain.outcome == ChainOutcome::InRecovery)
    }

    /// The chain a transaction belongs to, if it is an attempt of one.
    pub fn chain_of(&self, transaction_id: &str) -> Option<ChainId> {
        self.transaction_record(transaction_id)?.chain.map(ChainId)
    }

    /// Where the payment's first attempt starts its recovery window: the chain's first
    /// request, or the earlier `dateFirstAttempt` that request sent (the decline at the
    /// merchant's own gateway), as `RetryChain` counts it.
    pub(crate) fn window_from(&self, chain: &ChainRecord) -> UtcTimestamp {
        self.state
            .transactions
            .get(chain.first_transaction as usize)
            .and_then(|first| first.date_first_attempt)
            .map_or(chain.first_attempt_at, |d| d.min(chain.first_attempt_at))
    }

    /// The last instant a retry of the chain may be sent: its window's start plus its
    /// company's recovery window ([`super::RecoveryLimits`]) — or, once the company lowered
    /// its most retries to the retries the payment already had ([`Self::limit_reached`]),
    /// its last attempt, as no retry is left to send.
    pub(crate) fn window_end(&self, chain: &ChainRecord) -> Option<UtcTimestamp> {
        if self.limit_reached(chain) {
            return self
                .state
                .transactions
                .get(chain.last_transaction as usize)
                .map(|last| last.date);
        }
        self.limits_of(usize::from(chain.company))
            .window_end(self.window_from(chain))
    }

    /// A payment still in recovery whose retries made reached its company's most retries:
    /// only when the limit was lowered after its last decline, which was given a
    /// `retryDate` under the earlier one. Its retry is answered 30100, as one after its
    /// window would be.
    pub(crate) fn limit_reached(&self, chain: &ChainRecord) -> bool {
        chain.outcome == ChainOutcome::InRecovery
            && chain.last_retry_count >= self.limits_of(usize::from(chain.company)).max_retries
    }

    /// Where a chain stands at `now`: one in recovery whose window closed before `now` is no
    /// longer due and counts as not recovered (`Declined`: its next retry would be answered
    /// 30100), in every figure — the dashboard's, the lists' and the reports'.
    pub(crate) fn standing(&self, chain: &ChainRecord, now: UtcTimestamp) -> ChainOutcome {
        match chain.outcome {
            ChainOutcome::InRecovery if self.window_end(chain).is_some_and(|end| now > end) => {
                ChainOutcome::Declined
            }
            outcome => outcome,
        }
    }

    /// The last instant before the figures worked out at `now` change by the clock alone: the
    /// end of the first recovery window still open at `now`, of any company and environment
    /// (once the clock is past it, [`Sandbox::standing`] counts that payment not recovered).
    /// `None` while no payment in recovery has an open window.
    pub fn next_window_end(&self, now: UtcTimestamp) -> Option<UtcTimestamp> {
        self.state
            .chains
            .iter()
            .filter(|chain| chain.outcome == ChainOutcome::InRecovery)
            .filter_map(|chain| self.window_end(chain))
            .filter(|&end| end >= now)
            .min()
    }

    /// Recovery of the companies in one environment for chains first attempted in
    /// `[from, to)`, in the currencies its platform configuration shows
    /// ([`super::PlatformConfig::shows`]), as it stands at `now` ([`Sandbox::standing`]).
    pub fn recovery_summary(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
        from: UtcTimestamp,
        to: UtcTimestamp,
        now: UtcTimestamp,
    ) -> Result<RecoverySummary, AdminError> {
        let scope = self.scope(companies, mode)?;
        // Per currency and company, finished with that company's track record, then summed.
        let mut rows: CompanyRows<Currency> = Vec::new();
        let mut upcoming = Vec::new();
        let mut in_recovery_count = 0u32;
        // The account currencies of the platform configuration: hidden ones are left out.
        let shown = self.platform_config(mode);
        for (index, chain) in self.state.chains.iter().enumerate() {
            if !scope.holds(chain.company, chain.mode) || !shown.shows(chain.currency) {
                continue;
            }
            let in_period = chain.first_attempt_at >= from && chain.first_attempt_at < to;
            let outcome = self.standing(chain, now);
            // A retry due or to come is listed whenever its payment was first declined.
            if outcome == ChainOutcome::InRecovery {
                in_recovery_count += u32::from(in_period);
                if let Some(retry_date) = chain.next_retry {
                    upcoming.push(UpcomingRetry {
                        chain: ChainId(u32::try_from(index).unwrap_or(u32::MAX)),
                        company: self.company_code(chain.company).to_owned(),
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
            let (Some(currency), true, true) = (chain.currency, chain.received_decline, in_period)
            else {
                continue;
            };
            let key = (currency, chain.company);
            row_for(
                &mut rows,
                key,
                |r| r.0,
                || (key, CurrencyRecovery::empty(currency)),
            )
            .1
            .add(chain, outcome);
        }
        let currencies = self
            .finish_per_company(rows, mode, now)
            .into_iter()
            .map(|(_, row)| row)
            .collect();
        crate::sorting::sort_by_key(&mut upcoming, |retry: &UpcomingRetry| {
            (retry.retry_date, retry.chain)
        });
        Ok(RecoverySummary {
            company: scope.company().map(|c| self.company_code(c).to_owned()),
            mode,
            from,
            to,
            currencies,
            in_recovery_count,
            upcoming_retries: upcoming,
        })
    }

    /// Rows of one key and company, in key order: each finished with its company's track
    /// record in `mode`, then the rows of one key added up ([`CurrencyRecovery::merge`]).
    pub(crate) fn finish_per_company<K: PartialEq>(
        &self,
        rows: CompanyRows<K>,
        mode: Environment,
        now: UtcTimestamp,
    ) -> Vec<(K, CurrencyRecovery)> {
        let mut out: Vec<(K, CurrencyRecovery)> = Vec::new();
        for ((key, company), mut row) in rows {
            row.finish(&self.track_records(company, mode, now));
            match out.last_mut() {
                Some((last, total)) if *last == key => total.merge(&row),
                _ => out.push((key, row)),
            }
        }
        out
    }

    /// The track record of the company's finished recoveries in `mode`, per currency, at any
    /// date, as they stand at `now` (a chain whose window closed is finished, not recovered).
    pub(crate) fn track_records(
        &self,
        company: u16,
        mode: Environment,
        now: UtcTimestamp,
    ) -> TrackRecords {
        let mut records = TrackRecords::default();
        for chain in &self.state.chains {
            let (Some(currency), true) = (chain.currency, chain.received_decline) else {
                continue;
            };
            if chain.company != company || chain.mode != mode {
                continue;
            }
            let outcome = self.standing(chain, now);
            if outcome == ChainOutcome::InRecovery {
                continue;
            }
            let at = match records.0.iter().position(|(c, _)| *c == currency) {
                Some(at) => at,
                None => {
                    records.0.push((currency, TrackRecord::default()));
                    records.0.len() - 1
                }
            };
            let record = &mut records.0[at].1;
            record.finished = record.finished.saturating_add(chain.amount);
            if outcome == ChainOutcome::Approved {
                record.recovered = record.recovered.saturating_add(chain.approved_amount);
            }
        }
        records
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

    /// A recovered authorization is recovered at what is captured of it: a capture for less
    /// releases the rest, which was never taken.
    pub(crate) fn note_capture_on_chain(&mut self, chain: Option<u32>, captured: i64) {
        if let Some(record) = chain.and_then(|index| self.state.chains.get_mut(index as usize)) {
            if record.outcome == ChainOutcome::Approved {
                record.approved_amount = record.approved_amount.min(captured);
            }
        }
    }

    /// The approved authorization that recovered a chain was voided before any of it was
    /// captured: no money was taken, so the chain recovered nothing and counts as stopped.
    pub(crate) fn note_void_of_authorization(&mut self, chain: Option<u32>, authorization: u32) {
        if let Some(record) = chain.and_then(|index| self.state.chains.get_mut(index as usize)) {
            if record.outcome == ChainOutcome::Approved && record.last_transaction == authorization
            {
                record.outcome = ChainOutcome::Stopped;
                record.approved_amount = 0;
                record.refunded_amount = 0;
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

/// `part` ÷ `whole` in basis points (10000 = 100 %), rounded half up to the nearest basis
/// point (2 of 3 is 6667, read "66.67 %"): the one rounding of every rate the console shows.
/// 0 when either is not positive.
pub(super) fn basis_points(part: i64, whole: i64) -> u32 {
    if whole <= 0 || part <= 0 {
        return 0;
    }
    // ⌊(part × 10000 + whole ÷ 2) ÷ whole⌋, exactly, in halves: ⌊(2 × part × 10000 + whole)
    // ÷ (2 × whole)⌋. Neither product leaves i128 for i64 inputs.
    let whole = i128::from(whole);
    let ratio = (i128::from(part) * 20_000 + whole) / (2 * whole);
    u32::try_from(ratio).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::{
        added, at_hours, sandbox_with_key, sums, t0, three_chains, two_companies, visa_charge,
    };

    #[test]
    fn over_all_companies_each_figure_is_the_sum_of_each_companys_per_currency() {
        let sandbox = two_companies();
        let of = |companies| {
            sandbox
                .recovery_summary(
                    companies,
                    Environment::Sandbox,
                    t0(),
                    at_hours(24 * 40),
                    t0(),
                )
                .unwrap()
        };
        let all = of(CompanyScope::All);
        let each = [
            of(CompanyScope::One("DEFAULT")),
            of(CompanyScope::One("ACME")),
        ];
        assert_eq!(all.company, None);
        assert_eq!(each[1].company.as_deref(), Some("ACME"));
        let codes: Vec<&str> = all.currencies.iter().map(|c| c.currency.code()).collect();
        assert_eq!(
            codes,
            ["EUR", "USD"],
            "one row per currency, never added across"
        );
        for row in &all.currencies {
            let parts: Vec<&CurrencyRecovery> = each
                .iter()
                .filter_map(|s| s.currencies.iter().find(|c| c.currency == row.currency))
                .collect();
            assert_eq!(sums(row), added(&parts), "{}", row.currency.code());
            assert_eq!(
                row.recovery_rate_basis_points,
                basis_points(row.recovered_amount, row.declined_amount)
            );
            assert_eq!(
                row.forecast_rate_basis_points,
                row.forecast_amount
                    .map(|f| basis_points(f, row.declined_amount))
            );
        }
        // USD: each company's forecast at its own track record (the Default Company's 2012
        // in recovery brings 2012 × 2005 ÷ 5021 = 803.4, so 803; Acme's two 2012 bring
        // 4024 × 2005 ÷ 8037 = 1003.85, rounded half up to 1004), not at the pooled one.
        let usd = &all.currencies[1];
        assert_eq!((usd.declined_count, usd.in_recovery_count), (8, 3));
        assert_eq!(usd.forecast_amount, Some(2005 + 803 + 2005 + 1004));
        // EUR: only the Default Company has euros, and nothing finished to forecast from, so
        // neither has the sum.
        assert_eq!(all.currencies[0].forecast_amount, None);
        // The Production payment stays out.
        assert_eq!(
            all.in_recovery_count,
            each[0].in_recovery_count + each[1].in_recovery_count
        );
        let upcoming: Vec<&str> = all
            .upcoming_retries
            .iter()
            .map(|r| r.company.as_str())
            .collect();
        assert_eq!(upcoming.len(), 4);
        assert!(upcoming.contains(&"DEFAULT") && upcoming.contains(&"ACME"));
        assert!(all
            .upcoming_retries
            .windows(2)
            .all(|w| w[0].retry_date <= w[1].retry_date));
    }

    #[test]
    fn a_company_with_nothing_finished_is_left_out_of_the_forecast_over_all_companies_and_named() {
        let mut sandbox = two_companies();
        let of = |sandbox: &Sandbox, scope| {
            let summary = sandbox
                .recovery_summary(scope, Environment::Sandbox, t0(), at_hours(24 * 40), t0())
                .unwrap();
            summary
                .currencies
                .into_iter()
                .find(|c| c.currency == Currency::USD)
                .unwrap()
        };
        let before = of(&sandbox, CompanyScope::All);
        assert_eq!(before.unforecast_amount, 0);
        sandbox.create_company("Beta", "BETA", t0()).unwrap();
        let beta = sandbox
            .generate_api_key("Beta CRM", "BETA", Environment::Sandbox, t0())
            .unwrap()
            .key;
        sandbox
            .charge(&beta, visa_charge("b-1", 2008), t0())
            .unwrap();
        let alone = of(&sandbox, CompanyScope::One("BETA"));
        assert_eq!(
            (alone.forecast_amount, alone.unforecast_amount),
            (None, 2008)
        );
        let all = of(&sandbox, CompanyScope::All);
        // The others' forecast stands, and Beta's 20.08 in recovery is said to be left out.
        assert_eq!(all.forecast_amount, before.forecast_amount);
        assert_eq!(all.unforecast_amount, 2008);
        assert_eq!(all.in_recovery_amount, before.in_recovery_amount + 2008);
    }

    #[test]
    fn the_chains_of_a_scope_are_those_of_its_companies_and_mode() {
        let sandbox = two_companies();
        let companies = |scope, mode| {
            let chains = sandbox.console_chains(scope, mode).unwrap();
            chains.into_iter().map(|c| c.company).collect::<Vec<_>>()
        };
        let all = companies(CompanyScope::All, Environment::Sandbox);
        assert_eq!(all.len(), 4 + 5);
        assert_eq!(all.iter().filter(|c| *c == "ACME").count(), 5);
        assert_eq!(
            companies(CompanyScope::One("acme"), Environment::Sandbox).len(),
            5
        );
        assert_eq!(
            companies(CompanyScope::All, Environment::Production),
            ["DEFAULT"]
        );
        assert!(sandbox
            .console_chains(CompanyScope::One("GONE"), Environment::Sandbox)
            .is_err());
    }

    #[test]
    fn basis_points_are_rounded_half_up_and_safe() {
        assert_eq!(basis_points(1, 3), 3333);
        // 6666.67: rounded up, not cut to 6666 ("66.66 %").
        assert_eq!(basis_points(2, 3), 6667);
        // Exactly half a basis point goes up; just under half goes down.
        assert_eq!(basis_points(1, 20_000), 1);
        assert_eq!(basis_points(1, 20_001), 0);
        assert_eq!(basis_points(3, 20_000), 2);
        assert_eq!(basis_points(5, 8), 6250);
        assert_eq!(basis_points(5, 5), 10000);
        assert_eq!(basis_points(0, 5), 0);
        assert_eq!(basis_points(i64::MAX, i64::MAX), 10000);
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
        assert_eq!(chains[0].approved_amount, 2005);
        assert_eq!(chains[0].refunded_amount, 500);
        assert_eq!(sandbox.chain_of(&approved.transaction_id), Some(ChainId(0)));

        let summary = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                at_hours(24 * 40),
                t0(),
            )
            .unwrap();
        let usd = &summary.currencies[0];
        assert_eq!(usd.currency, Currency::USD);
        assert_eq!(
            (usd.declined_count, usd.declined_amount),
            (3, 2005 + 3016 + 2012)
        );
        assert_eq!((usd.recovered_count, usd.recovered_amount), (1, 2005));
        assert_eq!(usd.refunded_amount, 500);
        assert_eq!((usd.in_recovery_count, usd.unrecoverable_count), (1, 1));
        assert_eq!(usd.recovery_rate_basis_points, basis_points(2005, 7033));
        // Finished: 2005 recovered, 3016 declined for good; 2012 still in recovery is
        // expected to bring 2012 × 2005 ÷ 5021 = 803.
        assert_eq!(usd.forecast_amount, Some(2005 + 803));
        assert_eq!(
            usd.forecast_rate_basis_points,
            Some(basis_points(2808, 7033))
        );
        assert_eq!(summary.in_recovery_count, 1);
        assert_eq!(summary.upcoming_retries.len(), 1);
        assert_eq!(summary.upcoming_retries[0].retry_count, 2);
        assert!(summary.upcoming_retries[0].retry_date > t0());

        // Outside the period, no figures; the retry still to send is listed all the same.
        let later = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                at_hours(1),
                at_hours(2),
                t0(),
            )
            .unwrap();
        assert!(later.currencies.is_empty());
        assert_eq!(later.in_recovery_count, 0);
        assert_eq!(later.upcoming_retries, summary.upcoming_retries);
        assert!(sandbox
            .recovery_summary(
                CompanyScope::One("NOPE"),
                Environment::Sandbox,
                t0(),
                t0(),
                t0()
            )
            .is_err());
    }

    #[test]
    fn the_forecast_needs_a_finished_recovery_to_learn_from() {
        let (mut sandbox, key) = sandbox_with_key();
        let summary = |sandbox: &Sandbox| {
            sandbox
                .recovery_summary(
                    CompanyScope::One("DEFAULT"),
                    Environment::Sandbox,
                    t0(),
                    at_hours(24 * 40),
                    t0(),
                )
                .unwrap()
                .currencies[0]
                .clone()
        };
        // One soft decline in recovery, nothing finished: no forecast.
        sandbox
            .charge(&key, visa_charge("s-1", 2008), t0())
            .unwrap();
        let usd = summary(&sandbox);
        assert_eq!((usd.in_recovery_amount, usd.forecast_amount), (2008, None));
        assert_eq!(usd.forecast_rate_basis_points, None);

        // A hard decline finishes with nothing recovered: the forecast is what is recovered, 0.
        sandbox
            .charge(&key, visa_charge("h-1", 3016), t0())
            .unwrap();
        let usd = summary(&sandbox);
        assert_eq!(usd.forecast_amount, Some(0));
        assert_eq!(usd.forecast_rate_basis_points, Some(0));

        // The track record counts finished chains of any date, but only of this company,
        // mode and currency: a period holding only the chain in recovery still has one.
        let later = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                t0().checked_add_seconds(1).unwrap(),
                t0(),
            )
            .unwrap();
        assert_eq!(later.currencies[0].forecast_amount, Some(0));
        let eur = crate::flexpay::transaction::ChargeRequest::with_card(
            "e-1",
            "order-1",
            "EUR",
            2008,
            crate::flexpay::sandbox::test_support::visa(),
        );
        sandbox.charge(&key, eur, t0()).unwrap();
        let summary = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                at_hours(1),
                t0(),
            )
            .unwrap();
        let eur = summary
            .currencies
            .iter()
            .find(|c| c.currency == Currency::EUR)
            .unwrap();
        assert_eq!(eur.forecast_amount, None);
    }

    #[test]
    fn with_nothing_in_recovery_the_forecast_is_what_was_recovered() {
        let (mut sandbox, key) = sandbox_with_key();
        let first = sandbox
            .charge(&key, visa_charge("r-1", 2005), t0())
            .unwrap();
        let retry_at = UtcTimestamp::parse_iso8601(first.retry_date.as_deref().unwrap()).unwrap();
        let retry = visa_charge("r-2", 2005).retry_attempt(2, first.reference_data.clone());
        sandbox.charge(&key, retry, retry_at).unwrap();
        let usd = &sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                at_hours(24 * 40),
                t0(),
            )
            .unwrap()
            .currencies[0];
        assert_eq!(usd.in_recovery_count, 0);
        assert_eq!(usd.forecast_amount, Some(2005));
        assert_eq!(
            usd.forecast_rate_basis_points,
            Some(usd.recovery_rate_basis_points)
        );
    }

    #[test]
    fn a_first_approval_without_retry_count_is_not_a_recovery() {
        let (mut sandbox, key) = sandbox_with_key();
        let sale = visa_charge("sale-1", 1000).retry_attempt(0, None);
        sandbox.charge(&key, sale, t0()).unwrap();
        let summary = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                at_hours(1),
                t0(),
            )
            .unwrap();
        assert!(summary.currencies.is_empty());
        assert!(!sandbox.chains()[0].received_decline);
    }
}
