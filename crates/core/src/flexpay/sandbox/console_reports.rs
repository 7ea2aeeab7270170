//! The console's reports, modelled on the FlexPay client portal's Reports and Reconciliation
//! (reference §17): for one company, or all of them, in one environment and a range of UTC
//! dates,
//!
//! - **recovery by week received** (the portal's "Decline Salvage Performance"): the declines
//!   received in each week, Sunday to Saturday, and what became of them so far — recovered, still
//!   in recovery, unrecoverable — with the recovery rate, per currency;
//! - **invoice reconciliation**: per week of the transaction date, the gross recovery (approved
//!   attempts that recovered a decline), the refunds and voids of those recovered payments, and
//!   the net recovery (gross less refunds: what is billable);
//! - **transactions** by type (Authorize, Capture, Charge, Refund, Void), by gateway and by
//!   response code, approved against declined;
//! - **currencies**: transactions, approved, declined and reversed amounts per currency.
//!
//! Currencies the environment's platform configuration hides (its account currencies,
//! [`super::PlatformConfig`]) are left out of every report.
//!
//! Amounts are never added across currencies. The same rules as the dashboard's
//! [`Sandbox::recovery_summary`] decide what a decline received and a recovery are; over all
//! companies each figure is the sum of each company's (each forecast at its company's track
//! record), and a gateway is named with its company's name, since two companies may name
//! gateways alike. Each report is also a [`ReportTable`] of text cells, which the portal shows
//! and exports as CSV.

use crate::flexpay::account::Environment;
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::money::{Currency, Money};
use crate::time::{CivilDate, UtcTimestamp};

use super::console::CompanyScope;
use super::gateways::GatewayRef;
use super::recovery::{basis_points, ChainOutcome, CompanyRows, CurrencyRecovery};
use super::transactions::Kind;
use super::{AdminError, Sandbox};

/// The reports of one company, or all, in one environment for the dates `from` to `to`, both
/// included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub from: CivilDate,
    pub to: CivilDate,
    /// Declines received per week (the Sunday it starts on) and currency, in that order.
    pub recovery: Vec<RecoveryWeek>,
    /// Recovery billed per week of the transaction date and currency, in that order.
    pub reconciliation: Vec<ReconciliationWeek>,
    /// Authorize, Capture, Charge, Refund, Void: the types with transactions in the range.
    pub by_type: Vec<OutcomeRow>,
    /// Gateways in the order they were first used in the range; over all companies a
    /// company's gateway is labelled `name (company name)`.
    pub by_gateway: Vec<OutcomeRow>,
    /// By code, ascending.
    pub by_code: Vec<CodeRow>,
    /// By currency code.
    pub by_currency: Vec<CurrencyRow>,
}

/// The declines of one currency received in one week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryWeek {
    /// The Sunday the week starts on.
    pub week: CivilDate,
    pub figures: CurrencyRecovery,
}

/// The recovery of one currency billed in one week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconciliationWeek {
    pub week: CivilDate,
    pub currency: Currency,
    /// Approved attempts that recovered a decline, and their amount.
    pub recovered_count: u32,
    pub gross: i64,
    /// Approved refunds and voids of recovered payments, and their amount.
    pub refund_count: u32,
    pub refunds: i64,
}

impl ReconciliationWeek {
    /// Gross recovery less refunds: what is billable.
    pub fn net(&self) -> i64 {
        self.gross.saturating_sub(self.refunds)
    }
}

/// Approved and declined transactions of one type or one gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeRow {
    /// The type (`Charge`) or the gateway's name.
    pub label: String,
    /// The gateway's token; empty for a type, or for requests refused before any gateway.
    pub token: String,
    pub approved: u32,
    pub declined: u32,
}

impl OutcomeRow {
    pub fn total(&self) -> u32 {
        self.approved.saturating_add(self.declined)
    }

    /// Approved ÷ all, in basis points (10000 = 100 %), rounded half up.
    pub fn approval_basis_points(&self) -> u32 {
        basis_points(i64::from(self.approved), i64::from(self.total()))
    }
}

/// How many transactions answered with one response code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeRow {
    pub code: ResponseCode,
    pub count: u32,
}

/// The transactions of one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencyRow {
    pub currency: Currency,
    pub transactions: u32,
    /// Approved charges and captures: money taken.
    pub approved_amount: i64,
    /// Declined charges and authorizations.
    pub declined_amount: i64,
    /// Approved refunds, and voids of charges and captures: money given back.
    pub reversed_amount: i64,
}

/// One report as text: what the portal shows and exports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportTable {
    /// Stable, for file names and anchors (`recovery`).
    pub id: &'static str,
    pub title: &'static str,
    /// What the rows count, in one sentence.
    pub about: &'static str,
    pub columns: &'static [Column],
    pub rows: Vec<Vec<String>>,
}

/// A column of a [`ReportTable`]; numbers are aligned to the right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub numeric: bool,
    /// Its cells are rates (`28.51 %`): the CSV writes them as numbers (`28.51`) under a
    /// heading that names the unit (`Recovery rate (%)`), so that a spreadsheet reads numbers.
    pub percent: bool,
}

const fn text(name: &'static str) -> Column {
    Column {
        name,
        numeric: false,
        percent: false,
    }
}

const fn number(name: &'static str) -> Column {
    Column {
        name,
        numeric: true,
        percent: false,
    }
}

const fn rate(name: &'static str) -> Column {
    Column {
        name,
        numeric: true,
        percent: true,
    }
}

const RECOVERY: &[Column] = &[
    text("Week of"),
    text("Currency"),
    number("Declines received"),
    number("Declined amount"),
    number("Recovered"),
    number("Recovered amount"),
    rate("Recovery rate"),
    number("Forecast amount"),
    rate("Forecast rate"),
    number("In recovery"),
    number("Unrecoverable"),
    number("Retried early"),
    number("Retried late"),
];

const RECONCILIATION: &[Column] = &[
    text("Week of"),
    text("Currency"),
    number("Recovered payments"),
    number("Gross recovery"),
    number("Refunds and voids"),
    number("Refunded amount"),
    number("Net recovery"),
];

const GATEWAYS: &[Column] = &[
    text("Gateway"),
    text("Gateway token"),
    number("Transactions"),
    number("Approved"),
    number("Declined"),
    rate("Approval rate"),
];
const TYPES_COLUMNS: &[Column] = &[
    text("Type"),
    number("Transactions"),
    number("Approved"),
    number("Declined"),
    rate("Approval rate"),
];
const CODES: &[Column] = &[
    text("Response code"),
    text("Category"),
    text("Meaning"),
    number("Transactions"),
];

const CURRENCIES: &[Column] = &[
    text("Currency"),
    number("Transactions"),
    number("Approved amount"),
    number("Declined amount"),
    number("Refunded and voided"),
];

/// The types the transaction report counts, in the portal's order.
const TYPES: [(Kind, &str); 5] = [
    (Kind::Authorize, "Authorize"),
    (Kind::Capture, "Capture"),
    (Kind::Charge, "Charge"),
    (Kind::Refund, "Refund"),
    (Kind::Void, "Void"),
];

/// The Sunday on or before `date` (1970-01-01 was a Thursday).
pub fn week_of(date: CivilDate) -> CivilDate {
    let days = date.unix_days();
    date.checked_add_days(-(days + 4).rem_euclid(7))
        .unwrap_or(date)
}

/// `66.67 %` from basis points (10000 = 100 %): how every rate of the console reads. The
/// basis points come rounded half up (`recovery::basis_points`), so the two decimals are
/// the rate's nearest hundredth of a percent.
pub fn percent(basis_points: u32) -> String {
    format!("{}.{:02} %", basis_points / 100, basis_points % 100)
}

/// The row of `rows` (kept in key order) with `key`, made by `make` when missing.
pub(super) fn row_for<T, K: Ord>(
    rows: &mut Vec<T>,
    key: K,
    key_of: impl Fn(&T) -> K,
    make: impl FnOnce() -> T,
) -> &mut T {
    let at = rows.partition_point(|row| key_of(row) < key);
    if rows.get(at).is_none_or(|row| key_of(row) != key) {
        rows.insert(at, make());
    }
    &mut rows[at]
}

impl Sandbox {
    /// The reports of the companies in `mode` for the UTC dates `from` to `to`, both
    /// included. An error when the company does not exist or `from` is after `to`.
    pub fn console_report(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
        from: CivilDate,
        to: CivilDate,
        now: UtcTimestamp,
    ) -> Result<Report, AdminError> {
        let scope = self.scope(companies, mode)?;
        if from > to {
            return Err(AdminError::new(
                super::error_code::INVALID_PERIOD,
                format!("the period starts on {from}, after it ends on {to}; swap the dates"),
            ));
        }
        let start = from.start_of_day();
        let end = to
            .start_of_day()
            .start_of_next_day()
            .unwrap_or(UtcTimestamp::MAX);
        let within = |at: UtcTimestamp| at >= start && at < end;
        // Currencies the platform configuration hides are left out of every report.
        let shown = self.platform_config(mode);
        let transactions = &self.state.transactions;
        let mut report = Report {
            from,
            to,
            recovery: Vec::new(),
            reconciliation: Vec::new(),
            by_type: Vec::new(),
            by_gateway: Vec::new(),
            by_code: Vec::new(),
            by_currency: Vec::new(),
        };
        let mut types = TYPES.map(|(_, name)| outcome_row(name.to_owned(), String::new()));
        // Per week, currency and company, finished with that company's track record.
        let mut recovery: CompanyRows<(CivilDate, Currency)> = Vec::new();

        for chain in &self.state.chains {
            let (Some(currency), true) = (chain.currency, chain.received_decline) else {
                continue;
            };
            if !scope.holds(chain.company, chain.mode) || !shown.shows(Some(currency)) {
                continue;
            }
            if within(chain.first_attempt_at) {
                let key = (
                    (week_of(chain.first_attempt_at.date()), currency),
                    chain.company,
                );
                row_for(
                    &mut recovery,
                    key,
                    |r| r.0,
                    || (key, CurrencyRecovery::empty(currency)),
                )
                .1
                .add(chain, self.standing(chain, now));
            }
            let recovered_at = transactions
                .get(chain.last_transaction as usize)
                .map(|r| r.date);
            if let (ChainOutcome::Approved, Some(at)) = (chain.outcome, recovered_at) {
                if within(at) {
                    let row = reconciliation_row(&mut report.reconciliation, at, currency);
                    row.recovered_count += 1;
                    row.gross = row.gross.saturating_add(chain.approved_amount);
                }
            }
        }
        report.recovery = self
            .finish_per_company(recovery, mode, now)
            .into_iter()
            .map(|((week, _), figures)| RecoveryWeek { week, figures })
            .collect();

        for record in transactions {
            if !scope.holds(record.company, record.mode)
                || !within(record.date)
                || !shown.shows(record.currency)
            {
                continue;
            }
            if !TYPES.iter().any(|(kind, _)| *kind == record.kind) {
                continue;
            }
            let approved = record.code.category() == ResponseCategory::Approved;
            let amount = record.amount.unwrap_or(0);
            let tally = |row: &mut OutcomeRow| {
                if approved {
                    row.approved += 1;
                } else {
                    row.declined += 1;
                }
            };

            let index = TYPES.iter().position(|(kind, _)| *kind == record.kind);
            if let Some(counts) = index.and_then(|i| types.get_mut(i)) {
                tally(counts);
            }

            let gateway = match record.gateway {
                GatewayRef::NotReached => None,
                reached => Some(self.gateway_fields(reached)),
            };
            let token = gateway.as_ref().map_or("", |g| g.token.as_str());
            match report.by_gateway.iter_mut().find(|row| row.token == token) {
                Some(row) => tally(row),
                None => {
                    let mut row = match &gateway {
                        // A company's own gateway; FlexPay's built-in one is everyone's.
                        Some(g)
                            if scope.company().is_none()
                                && matches!(record.gateway, GatewayRef::Created(_)) =>
                        {
                            outcome_row(
                                format!("{} ({})", g.name, self.company_name(record.company)),
                                g.token.clone(),
                            )
                        }
                        Some(g) => outcome_row(g.name.to_owned(), g.token.clone()),
                        None => outcome_row("Refused before any gateway".to_owned(), String::new()),
                    };
                    tally(&mut row);
                    report.by_gateway.push(row);
                }
            }

            row_for(
                &mut report.by_code,
                record.code,
                |row| row.code,
                || CodeRow {
                    code: record.code,
                    count: 0,
                },
            )
            .count += 1;

            let Some(currency) = record.currency else {
                continue;
            };
            let row = row_for(
                &mut report.by_currency,
                currency,
                |row| row.currency,
                || CurrencyRow {
                    currency,
                    transactions: 0,
                    approved_amount: 0,
                    declined_amount: 0,
                    reversed_amount: 0,
                },
            );
            row.transactions += 1;
            match (record.kind, approved) {
                (Kind::Charge | Kind::Capture, true) => {
                    row.approved_amount = row.approved_amount.saturating_add(amount);
                }
                (Kind::Charge | Kind::Authorize, false) => {
                    row.declined_amount = row.declined_amount.saturating_add(amount);
                }
                (Kind::Refund | Kind::Void, true) => {
                    let source = record.original.and_then(|i| transactions.get(i as usize));
                    if self.gives_back(record) {
                        row.reversed_amount = row.reversed_amount.saturating_add(amount);
                    }
                    // A refund or void of the attempt that recovered a decline.
                    let recovered = self.gives_back(record)
                        && source
                            .and_then(|s| s.chain.filter(|_| s.kind.carries_recovery()))
                            .and_then(|c| self.state.chains.get(c as usize))
                            .is_some_and(|c| {
                                c.received_decline && c.outcome == ChainOutcome::Approved
                            });
                    if recovered {
                        let row =
                            reconciliation_row(&mut report.reconciliation, record.date, currency);
                        row.refund_count += 1;
                        row.refunds = row.refunds.saturating_add(amount);
                    }
                }
                _ => {}
            }
        }
        report.by_type = types.into_iter().filter(|row| row.total() > 0).collect();
        Ok(report)
    }
}

/// Minor units as a decimal in the currency's major unit (`20.08`), for cells that sit next
/// to a currency column.
fn amount(minor_units: i64, currency: Currency) -> String {
    Money::new(minor_units, currency).format()
}

fn cell(n: u32) -> String {
    n.to_string()
}

impl Report {
    /// The six reports as tables of text, in the portal's order.
    pub fn tables(&self) -> [ReportTable; 6] {
        // The type report is the gateway report without its token column.
        let outcome = |rows: &[OutcomeRow], token: bool| -> Vec<Vec<String>> {
            rows.iter()
                .map(|r| {
                    let mut cells = vec![r.label.clone()];
                    if token {
                        cells.push(r.token.clone());
                    }
                    cells.extend([
                        cell(r.total()),
                        cell(r.approved),
                        cell(r.declined),
                        percent(r.approval_basis_points()),
                    ]);
                    cells
                })
                .collect()
        };
        [
            ReportTable {
                id: "recovery",
                title: "Recovery by week received",
                about: "Declines received in each week (Sunday to Saturday, UTC) and what has become of them so far. The rate is the recovered amount over the declined amount. The forecast adds to the recovered amount what the amount still in recovery is expected to bring, at the share of the company's finished recoveries in that currency that ended recovered (empty while none has finished); retried early counts the declines with a retry sent before its retryDate, retried late those with one sent a day or more after it (both miss FlexPay's schedule).",
                columns: RECOVERY,
                rows: self
                    .recovery
                    .iter()
                    .map(|r| {
                        let f = &r.figures;
                        vec![
                            r.week.to_string(),
                            f.currency.code().to_owned(),
                            cell(f.declined_count),
                            amount(f.declined_amount, f.currency),
                            cell(f.recovered_count),
                            amount(f.recovered_amount, f.currency),
                            percent(f.recovery_rate_basis_points),
                            // A forecast that leaves out a company's amount in recovery
                            // is the dashboard's to explain; the report gives whole ones.
                            f.forecast_amount
                                .filter(|_| f.unforecast_amount == 0)
                                .map_or_else(String::new, |a| amount(a, f.currency)),
                            f.forecast_rate_basis_points
                                .filter(|_| f.unforecast_amount == 0)
                                .map_or_else(String::new, percent),
                            cell(f.in_recovery_count),
                            cell(f.unrecoverable_count),
                            cell(f.retried_early_count),
                            cell(f.retried_late_count),
                        ]
                    })
                    .collect(),
            },
            ReportTable {
                id: "reconciliation",
                title: "Invoice reconciliation",
                about: "Recovered payments by the week they were approved, less the refunds and voids of those payments by the week they were made: the net recovery is what is billable.",
                columns: RECONCILIATION,
                rows: self
                    .reconciliation
                    .iter()
                    .map(|r| {
                        vec![
                            r.week.to_string(),
                            r.currency.code().to_owned(),
                            cell(r.recovered_count),
                            amount(r.gross, r.currency),
                            cell(r.refund_count),
                            amount(r.refunds, r.currency),
                            amount(r.net(), r.currency),
                        ]
                    })
                    .collect(),
            },
            ReportTable {
                id: "types",
                title: "Transactions by type",
                about: "Authorizations, captures, charges, refunds and voids dated in the period, approved and declined.",
                columns: TYPES_COLUMNS,
                rows: outcome(&self.by_type, false),
            },
            ReportTable {
                id: "gateways",
                title: "Transactions by gateway",
                about: "The same transactions by the gateway that answered them.",
                columns: GATEWAYS,
                rows: outcome(&self.by_gateway, true),
            },
            ReportTable {
                id: "codes",
                title: "Transactions by response code",
                about: "The same transactions by the response code they were answered with.",
                columns: CODES,
                rows: self
                    .by_code
                    .iter()
                    .map(|r| {
                        vec![
                            r.code.to_string(),
                            r.code.category().display_name().to_owned(),
                            r.code
                                .meaning()
                                .unwrap_or("not in FlexPay's published list")
                                .to_owned(),
                            cell(r.count),
                        ]
                    })
                    .collect(),
            },
            ReportTable {
                id: "currencies",
                title: "Transactions by currency",
                about: "Money taken (approved charges and captures), declined (charges and authorizations) and given back (approved refunds and voids), per currency.",
                columns: CURRENCIES,
                rows: self
                    .by_currency
                    .iter()
                    .map(|r| {
                        vec![
                            r.currency.code().to_owned(),
                            cell(r.transactions),
                            amount(r.approved_amount, r.currency),
                            amount(r.declined_amount, r.currency),
                            amount(r.reversed_amount, r.currency),
                        ]
                    })
                    .collect(),
            },
        ]
    }
}

impl ReportTable {
    /// The table as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when needed).
    /// Rates are written as numbers in percent (`28.51`), their heading naming the unit.
    pub fn csv(&self) -> String {
        let header: Vec<String> = self
            .columns
            .iter()
            .map(|c| match c.percent {
                true => format!("{} (%)", c.name),
                false => c.name.to_owned(),
            })
            .collect();
        let mut out = String::new();
        super::scenarios::csv_row(&mut out, header.iter().map(String::as_str));
        for row in &self.rows {
            let cells = row
                .iter()
                .zip(self.columns)
                .map(|(cell, column)| match column.percent {
                    true => cell.strip_suffix(" %").unwrap_or(cell),
                    false => cell,
                });
            super::scenarios::csv_row(&mut out, cells);
        }
        out
    }
}

fn outcome_row(label: String, token: String) -> OutcomeRow {
    OutcomeRow {
        label,
        token,
        approved: 0,
        declined: 0,
    }
}

fn reconciliation_row(
    rows: &mut Vec<ReconciliationWeek>,
    at: UtcTimestamp,
    currency: Currency,
) -> &mut ReconciliationWeek {
    let week = week_of(at.date());
    row_for(
        rows,
        (week, currency),
        |r| (r.week, r.currency),
        || ReconciliationWeek {
            week,
            currency,
            recovered_count: 0,
            gross: 0,
            refund_count: 0,
            refunds: 0,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::error_code as code;
    use crate::flexpay::sandbox::recovery::LATE_AFTER;
    use crate::flexpay::sandbox::test_support::{
        added, at_hours, sandbox_with_key, sums, t0, three_chains, two_companies, visa_charge,
    };
    use crate::flexpay::transaction::ChargeRequest;

    fn date(text: &str) -> CivilDate {
        CivilDate::parse(text).unwrap()
    }

    #[test]
    fn weeks_start_on_sunday() {
        assert_eq!(week_of(date("2026-11-21")), date("2026-11-15"));
        assert_eq!(week_of(date("2026-11-22")), date("2026-11-22"));
        assert_eq!(week_of(date("2026-11-15")), date("2026-11-15"));
        assert_eq!(week_of(date("1970-01-01")), date("1969-12-28"));
        assert_eq!(week_of(date("2024-03-01")), date("2024-02-25"));
        assert_eq!(percent(3333), "33.33 %");
        assert_eq!(percent(10_000), "100.00 %");
        assert_eq!(percent(5), "0.05 %");
    }

    #[test]
    fn rates_read_rounded_half_up() {
        // 2 of 3 is 66.666… %: the nearest hundredth is 66.67, not 66.66.
        assert_eq!(percent(basis_points(2, 3)), "66.67 %");
        assert_eq!(percent(basis_points(1, 3)), "33.33 %");
        let row = OutcomeRow {
            label: "Charge".into(),
            token: String::new(),
            approved: 2,
            declined: 1,
        };
        assert_eq!(percent(row.approval_basis_points()), "66.67 %");
    }

    /// t0 is Wednesday 2023-11-08; its week starts on Sunday 2023-11-05.
    #[test]
    fn recovery_reconciliation_and_transactions_per_week_currency_type_gateway_and_code() {
        let (mut sandbox, key) = sandbox_with_key();
        // A soft decline recovered at its retry date and refunded an hour later, a hard
        // decline and a soft one still open, in the same week.
        let (approved, retry_at) = three_chains(&mut sandbox, &key, 3600);
        assert_eq!(approved.response_code, ResponseCode::APPROVED);
        // A first sale (retryCount 0), approved: a transaction, not a decline received.
        let sale = ChargeRequest::with_card(
            "sale-1",
            "o-9",
            "EUR",
            1250,
            crate::flexpay::sandbox::test_support::visa(),
        )
        .retry_attempt(0, None);
        sandbox.charge(&key, sale, at_hours(1)).unwrap();
        // An authorization, voided: no money taken, none given back.
        let hold = ChargeRequest::with_card(
            "auth-1",
            "o-10",
            "EUR",
            4000,
            crate::flexpay::sandbox::test_support::visa(),
        )
        .retry_attempt(0, None);
        let held = sandbox.authorize(&key, hold, at_hours(2)).unwrap();
        assert_eq!(held.response_code, ResponseCode::APPROVED);
        let voided = sandbox
            .void(
                &key,
                &held.transaction_id,
                crate::flexpay::transaction::VoidRequest::new("void-1"),
                at_hours(3),
            )
            .unwrap();
        assert_eq!(voided.response_code, ResponseCode::APPROVED);
        // Outside the period: a week later than its end.
        sandbox
            .charge(&key, visa_charge("late-1", 1000), at_hours(24 * 30))
            .unwrap();

        let report = sandbox
            .console_report(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                date("2023-11-01"),
                date("2023-11-30"),
                t0(),
            )
            .unwrap();

        assert_eq!(report.recovery.len(), 1, "{:#?}", report.recovery);
        let week = &report.recovery[0];
        assert_eq!(week.week, date("2023-11-05"));
        let f = &week.figures;
        assert_eq!(f.currency, Currency::USD);
        assert_eq!(
            (f.declined_count, f.declined_amount),
            (3, 2005 + 3016 + 2012)
        );
        assert_eq!((f.recovered_count, f.recovered_amount), (1, 2005));
        assert_eq!((f.in_recovery_count, f.unrecoverable_count), (1, 1));
        assert_eq!(f.recovery_rate_basis_points, basis_points(2005, 7033));

        assert_eq!(
            report.reconciliation.len(),
            1,
            "{:#?}",
            report.reconciliation
        );
        let bill = &report.reconciliation[0];
        assert_eq!(bill.week, week_of(retry_at.date()));
        assert_eq!((bill.recovered_count, bill.gross), (1, 2005));
        assert_eq!((bill.refund_count, bill.refunds), (1, 500));
        assert_eq!(bill.net(), 1505);

        let types: Vec<(&str, u32, u32)> = report
            .by_type
            .iter()
            .map(|r| (r.label.as_str(), r.approved, r.declined))
            .collect();
        assert_eq!(
            types,
            [
                ("Authorize", 1, 0),
                ("Charge", 2, 3),
                ("Refund", 1, 0),
                ("Void", 1, 0)
            ]
        );
        assert_eq!(report.by_type[1].approval_basis_points(), 4000);

        let codes: Vec<(u32, u32)> = report
            .by_code
            .iter()
            .map(|r| (r.code.value(), r.count))
            .collect();
        assert_eq!(codes, [(10000, 5), (20000, 1), (20023, 1), (30011, 1)]);

        assert_eq!(report.by_gateway.len(), 1);
        assert_eq!(
            report.by_gateway[0].token,
            crate::flexpay::sandbox::BUILT_IN_GATEWAY_TOKEN
        );
        assert_eq!(report.by_gateway[0].total(), 8);

        let currencies: Vec<(Currency, u32, i64, i64, i64)> = report
            .by_currency
            .iter()
            .map(|r| {
                (
                    r.currency,
                    r.transactions,
                    r.approved_amount,
                    r.declined_amount,
                    r.reversed_amount,
                )
            })
            .collect();
        assert_eq!(
            currencies,
            [
                (Currency::EUR, 3, 1250, 0, 0),
                (Currency::USD, 5, 2005, 2005 + 3016 + 2012, 500)
            ]
        );

        // Every row of every table has a cell per column; the CSV has a line per row.
        for table in report.tables() {
            for row in &table.rows {
                assert_eq!(row.len(), table.columns.len(), "{}", table.id);
            }
            assert_eq!(table.csv().matches("\r\n").count(), table.rows.len() + 1);
        }
        // The forecast learns from every finished recovery, the late one outside the period
        // included (10.00 recovered in full): 20.05 + 20.12 × 30.05 ÷ 60.21 = 20.05 + 10.04.
        assert_eq!(f.forecast_amount, Some(2005 + 1004));
        let [recovery, reconciliation, ..] = report.tables();
        assert_eq!(
            recovery.csv(),
            "Week of,Currency,Declines received,Declined amount,Recovered,Recovered amount,\
             Recovery rate (%),Forecast amount,Forecast rate (%),In recovery,Unrecoverable,Retried early,\
             Retried late\r\n\
             2023-11-05,USD,3,70.33,1,20.05,28.51,30.09,42.78,1,1,0,0\r\n"
        );
        assert!(reconciliation
            .csv()
            .ends_with(",USD,1,20.05,1,5.00,15.05\r\n"));
    }

    #[test]
    fn a_retry_sent_before_its_retry_date_counts_as_retried_early_and_a_day_after_as_late() {
        let (mut sandbox, key) = sandbox_with_key();
        let first = sandbox
            .charge(&key, visa_charge("e-1", 2005), t0())
            .unwrap();
        // retryDate is 24 hours later; the CRM retries after one, and is recovered.
        let early = visa_charge("e-2", 2005).retry_attempt(2, first.reference_data.clone());
        let approved = sandbox.charge(&key, early, at_hours(1)).unwrap();
        assert_eq!(approved.response_code, ResponseCode::APPROVED);
        let kept = sandbox
            .charge(&key, visa_charge("k-1", 2008), t0())
            .unwrap();
        // Its retry goes a day after its retryDate, and one second less on another payment.
        let due = UtcTimestamp::parse_iso8601(kept.retry_date.as_deref().unwrap()).unwrap();
        let late = visa_charge("k-2", 2008).retry_attempt(2, kept.reference_data.clone());
        let late_at = due.checked_add_seconds(LATE_AFTER).unwrap();
        sandbox.charge(&key, late, late_at).unwrap();
        let on_time = sandbox
            .charge(&key, visa_charge("t-1", 2008), t0())
            .unwrap();
        let nearly = visa_charge("t-2", 2008).retry_attempt(2, on_time.reference_data.clone());
        sandbox
            .charge(&key, nearly, late_at.checked_add_seconds(-1).unwrap())
            .unwrap();
        let day = t0().date();
        let report = sandbox
            .console_report(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                day,
                day,
                t0(),
            )
            .unwrap();
        let f = &report.recovery[0].figures;
        assert_eq!(
            (
                f.declined_count,
                f.retried_early_count,
                f.retried_late_count
            ),
            (3, 1, 1)
        );
        let [recovery, ..] = report.tables();
        assert_eq!(recovery.rows[0][11..], ["1", "1"]);
    }

    #[test]
    fn other_companies_modes_and_days_stay_out() {
        let (mut sandbox, key) = sandbox_with_key();
        sandbox
            .charge(&key, visa_charge("r-1", 2008), t0())
            .unwrap();
        sandbox.create_company("Other", "OTHER", t0()).unwrap();
        let empty = |report: Report| {
            report.recovery.is_empty()
                && report.reconciliation.is_empty()
                && report.by_type.is_empty()
                && report.by_gateway.is_empty()
                && report.by_code.is_empty()
                && report.by_currency.is_empty()
        };
        let day = t0().date();
        let of = |company: &str, mode, from, to| {
            sandbox
                .console_report(CompanyScope::One(company), mode, from, to, t0())
                .unwrap()
        };
        assert!(!empty(of("DEFAULT", Environment::Sandbox, day, day)));
        assert!(empty(of("OTHER", Environment::Sandbox, day, day)));
        assert!(empty(of("DEFAULT", Environment::Production, day, day)));
        let next = day.checked_add_days(1).unwrap();
        assert!(empty(of("DEFAULT", Environment::Sandbox, next, next)));
        let before = day.checked_add_days(-1).unwrap();
        assert!(empty(of("DEFAULT", Environment::Sandbox, before, before)));

        let swapped = sandbox
            .console_report(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                next,
                day,
                t0(),
            )
            .unwrap_err();
        assert_eq!(swapped.code, code::INVALID_PERIOD);
        assert!(swapped.message.contains("swap"), "{}", swapped.message);
        let unknown = sandbox
            .console_report(
                CompanyScope::One("NOPE"),
                Environment::Sandbox,
                day,
                day,
                t0(),
            )
            .unwrap_err();
        assert_eq!(unknown.code, code::COMPANY_NOT_FOUND);
        // The widest dates there are: no overflow, no error.
        let all = sandbox
            .console_report(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                date("0001-01-01"),
                date("9999-12-31"),
                t0(),
            )
            .unwrap();
        assert_eq!(all.by_type.len(), 1);
    }

    #[test]
    fn over_all_companies_each_report_is_the_sum_of_each_companys() {
        use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
        let mut sandbox = two_companies();
        // A gateway of the same name in each company, each taking a payment.
        for company in ["DEFAULT", "ACME"] {
            let main = Gateway::new("Main", GatewayType::Stripe, "USD", GatewayStatus::Available);
            sandbox
                .console_create_gateway(company, Environment::Sandbox, main, t0())
                .unwrap();
            let principal = sandbox
                .console_principal(company, Environment::Sandbox)
                .unwrap();
            let payment = visa_charge("main-1", 1000).retry_attempt(0, None);
            sandbox
                .submit_charge(&principal, payment, at_hours(1))
                .unwrap();
        }
        let (from, to) = (date("2023-11-01"), date("2023-12-31"));
        let of = |companies| {
            sandbox
                .console_report(companies, Environment::Sandbox, from, to, t0())
                .unwrap()
        };
        let all = of(CompanyScope::All);
        let each = [
            of(CompanyScope::One("DEFAULT")),
            of(CompanyScope::One("ACME")),
        ];

        assert!(!all.recovery.is_empty());
        for row in &all.recovery {
            let f = &row.figures;
            let parts: Vec<&CurrencyRecovery> = each
                .iter()
                .flat_map(|r| &r.recovery)
                .filter(|p| p.week == row.week && p.figures.currency == f.currency)
                .map(|p| &p.figures)
                .collect();
            assert_eq!(sums(f), added(&parts), "{} {}", row.week, f.currency.code());
        }
        let reconciled = |r: &ReconciliationWeek| [r.recovered_count, r.refund_count];
        for row in &all.reconciliation {
            let mut sum = [0, 0];
            let (mut gross, mut refunds) = (0, 0);
            for part in each.iter().flat_map(|r| &r.reconciliation) {
                if (part.week, part.currency) == (row.week, row.currency) {
                    sum = [0, 1].map(|i| sum[i] + reconciled(part)[i]);
                    (gross, refunds) = (gross + part.gross, refunds + part.refunds);
                }
            }
            assert_eq!(
                (reconciled(row), row.gross, row.refunds),
                (sum, gross, refunds)
            );
        }
        let outcomes = |rows: &[OutcomeRow], label: &str| {
            let row = rows.iter().find(|r| r.label == label);
            row.map_or((0, 0), |r| (r.approved, r.declined))
        };
        for row in &all.by_type {
            let parts = each.iter().map(|r| outcomes(&r.by_type, &row.label));
            let sum = parts.fold((0, 0), |a, p| (a.0 + p.0, a.1 + p.1));
            assert_eq!((row.approved, row.declined), sum, "{}", row.label);
        }
        for row in &all.by_code {
            let parts = each.iter().flat_map(|r| &r.by_code);
            let sum: u32 = parts.filter(|p| p.code == row.code).map(|p| p.count).sum();
            assert_eq!(row.count, sum);
        }
        for row in &all.by_currency {
            let parts = each.iter().flat_map(|r| &r.by_currency);
            let parts: Vec<&CurrencyRow> = parts.filter(|p| p.currency == row.currency).collect();
            let sum = |f: fn(&CurrencyRow) -> i64| parts.iter().map(|p| f(p)).sum::<i64>();
            assert_eq!(i64::from(row.transactions), sum(|p| p.transactions.into()));
            assert_eq!(row.approved_amount, sum(|p| p.approved_amount));
            assert_eq!(row.declined_amount, sum(|p| p.declined_amount));
            assert_eq!(row.reversed_amount, sum(|p| p.reversed_amount));
        }
        // Two gateways named alike are told apart by their company; FlexPay's own sandbox
        // gateway is one row for all.
        let labels: Vec<&str> = all.by_gateway.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "FlexPay Sandbox",
                "Main (Default Company)",
                "Main (Acme Widgets)"
            ]
        );
        let built_in = |r: &Report| outcomes(&r.by_gateway, "FlexPay Sandbox");
        let (a, b) = (built_in(&each[0]), built_in(&each[1]));
        assert_eq!(built_in(&all), (a.0 + b.0, a.1 + b.1));
        assert_eq!(outcomes(&each[1].by_gateway, "Main"), (1, 0));
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_ends() {
        let mut out = String::new();
        super::super::scenarios::csv_row(&mut out, ["a", "b,c", "say \"hi\"", "x\ny"].into_iter());
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\r\n");
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text() {
        let row = |fields: &[&str]| {
            let mut out = String::new();
            super::super::scenarios::csv_row(&mut out, fields.iter().copied());
            out
        };
        assert_eq!(
            row(&["=1+2", "+A1", "-2+3", "@SUM(A1)", "\tx", "\rx"]),
            "'=1+2,'+A1,'-2+3,'@SUM(A1),'\tx,\"'\rx\"\r\n"
        );
        assert_eq!(
            row(&["=HYPERLINK(\"http://x\",\"y\")"]),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n"
        );
        // Numbers keep their sign; text that only contains a sign later is left alone.
        assert_eq!(
            row(&["-12.50", "+3", "-0.5", "a=b", "-", "-.5", "-1."]),
            "-12.50,+3,-0.5,a=b,'-,'-.5,'-1.\r\n"
        );
    }
}
