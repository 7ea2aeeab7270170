//! Dashboard: recovered amount and count, recovery rate, payments in recovery, upcoming
//! retries and a chart of attempts and recoveries per day (with the days' figures as a table),
//! for the company (or all companies) and mode chosen in the header. The period is kept in the
//! address.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::sandbox::console_reports::percent;
use flexkit_core::flexpay::sandbox::{ChainOutcome, ChainView, RecoverySummary};
use flexkit_core::{CivilDate, UtcTimestamp};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::company::company_note;
use crate::components::format::{count, instant, money};
use crate::components::kpis::kpi_cards;
use crate::components::period::{period_dropped, PeriodAddress};
use crate::pages::platform::hidden_currencies_note;
use crate::pages::schedule::due_now_text;
use crate::store::use_store;

const PERIODS: &[(i64, &str)] = &[
    (7, "Last 7 days"),
    (30, "Last 30 days"),
    (90, "Last 90 days"),
];
/// The period shown when the address names none (and left out of the address).
const DEFAULT_DAYS: i64 = 30;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let store = use_store();
    // The period as the address holds it (`?days=7` or `?days=90`: kept on reload, Back and
    // Forward, and in a link), else the last 30 days. A value the address holds that is not
    // one of the periods offered is named, not applied.
    let address = PeriodAddress::new("/dashboard");
    let read = move || {
        address.read("days", DEFAULT_DAYS, |text| {
            text.parse()
                .ok()
                .filter(|d| PERIODS.iter().any(|p| p.0 == *d))
        })
    };
    let days = move || read().0;
    let range = move || {
        let now = store.portal.with(|p| p.now(crate::storage::wall_clock()));
        let end = now.date().checked_add_days(1).unwrap_or(now.date());
        let start = end.checked_add_days(-days()).unwrap_or(end);
        (start, end)
    };
    let summary = Memo::new(move |_| {
        let (start, end) = range();
        let now = store.standing_now();
        store.portal.with(|p| {
            p.sandbox.recovery_summary(
                p.settings.scope(),
                p.settings.mode,
                start.start_of_day(),
                end.start_of_day(),
                now,
            )
        })
    });
    let chains = Memo::new(move |_| {
        store.portal.with(|p| {
            // Without the currencies the platform configuration hides.
            let shown = p.sandbox.platform_config(p.settings.mode);
            let mut chains = p
                .sandbox
                .console_chains(p.settings.scope(), p.settings.mode)
                .unwrap_or_default();
            chains.retain(|c| shown.shows(c.currency));
            chains
        })
    });

    view! {
        <section class="page page-wide">
            <div class="page-head">
                <h1>"Dashboard"</h1>
                <label class="inline-field">
                    <span>"Period"</span>
                    <select on:change=move |ev| {
                        let d = event_target_value(&ev);
                        let d = if d == DEFAULT_DAYS.to_string() { "" } else { d.as_str() };
                        address.write(&[("days", d)]);
                    }>
                        // Chosen as a property, so the address's period shows after the user
                        // picked another (the `selected` attribute then no longer counts).
                        {PERIODS
                            .iter()
                            .map(|&(d, label)| view! { <option value=d.to_string() prop:selected=move || days() == d>{label}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {period_dropped("it is not one of the periods offered", Signal::derive(move || vec![("Period", read().1)]))}
            {hidden_currencies_note()}
            {move || match summary.get() {
                Err(e) => view! { <p class="banner banner-error" role="alert">{e.message}</p> }.into_any(),
                Ok(s) => {
                    let earlier = chains.with(|c| !c.is_empty());
                    view! { <Kpis summary=s.clone() earlier /> <Upcoming summary=s /> }.into_any()
                }
            }}
            <h2>"Attempts and recoveries per day"</h2>
            {move || {
                let (start, end) = range();
                view! { <ActivityChart chains=chains.get() start end /> }
            }}
        </section>
    }
}

/// `earlier`: some payment was declined, in this period or before it.
#[component]
fn Kpis(summary: RecoverySummary, earlier: bool) -> impl IntoView {
    // Payments declined before the period count in the period of their first decline.
    if summary.currencies.is_empty() && earlier {
        let upcoming = match summary.upcoming_retries.is_empty() {
            true => "",
            false => ", and their retries still to send are listed below",
        };
        return view! {
            <p class="empty" data-testid="no-first-decline">
                {format!("No payment was first declined in this period. The figures count each payment in the period of its first decline: those declined earlier count in a longer period{upcoming}.")}
            </p>
        }
        .into_any();
    }
    if summary.currencies.is_empty() && summary.mode == Environment::Production {
        return view! {
            <p class="empty">
                "No declined payments in this period yet. Production payments are those sent with this mode's API keys or from the "
                <A href="/terminal">"virtual terminal"</A>
                " in Production."
            </p>
        }
        .into_any();
    }
    if summary.currencies.is_empty() {
        return view! {
            <p class="empty">
                "No declined payments in this period yet. Send a soft decline from the "
                <A href="/terminal">"virtual terminal"</A>
                " (amount 20.08 with a sandbox test card) or run the "
                <A href="/certification">"certification scenarios"</A>
                "."
            </p>
        }
        .into_any();
    }
    let cards = summary
        .currencies
        .into_iter()
        .map(|c| {
            let code = c.currency.code();
            let amount = |a| money(a, Some(c.currency));
            let forecast = match (c.forecast_amount, c.forecast_rate_basis_points) {
                (Some(a), Some(r)) if c.unforecast_amount > 0 => format!(
                    "{} ({}) + {} not forecast",
                    amount(a),
                    percent(r),
                    amount(c.unforecast_amount)
                ),
                (Some(a), Some(r)) => format!("{} ({})", amount(a), percent(r)),
                _ => "not yet".to_owned(),
            };
            let figures = vec![
                ("Recovered", amount(c.recovered_amount), "recovered-amount"),
                (
                    "Recovered payments",
                    c.recovered_count.to_string(),
                    "recovered-count",
                ),
                (
                    "Recovery rate",
                    percent(c.recovery_rate_basis_points),
                    "recovery-rate",
                ),
                ("Forecast recovery", forecast, "forecast"),
                (
                    "In recovery",
                    c.in_recovery_count.to_string(),
                    "in-recovery",
                ),
                (
                    "Declines received",
                    format!("{} ({})", c.declined_count, amount(c.declined_amount)),
                    "",
                ),
                (
                    "Refunded after recovery",
                    amount(c.refunded_amount),
                    "refunded-after",
                ),
            ];
            (format!("Recovery in {code}"), code, figures)
        })
        .collect();
    view! {
        {kpi_cards("kpis", cards)}
        <p class="muted">"These figures count the payments first declined in the period, whenever they were recovered; the chart below counts attempts and recoveries on the day they happened, and the Transactions page the payments of the transactions it lists. Forecast recovery: the amount recovered so far, plus the amount in recovery times the company's recovery rate by amount, the share of the amount of its finished recoveries in the currency that was recovered. Over all companies, each company's forecast is added up. A company with no finished recovery yet gets no forecast, and the figure says so."</p>
    }
    .into_any()
}

#[component]
fn Upcoming(summary: RecoverySummary) -> impl IntoView {
    let rows = summary.upcoming_retries;
    let more = rows.len().saturating_sub(10);
    // Over all companies, each row names its company.
    let all = summary.company.is_none();
    // A retry whose date has passed is due now (as the retry schedule says), not upcoming:
    // said as soon as it passes, while the page is open.
    let store = use_store();
    view! {
        <h2 id="upcoming-h">"Upcoming retries"</h2>
        <p class="muted">"Every retry still to send, whatever the period, soonest first."</p>
        {if rows.is_empty() {
            view! { <p class="empty">"No retry is scheduled."</p> }.into_any()
        } else {
            view! {
                <table class="data cards upcoming-table" aria-labelledby="upcoming-h">
                    <thead><tr><th scope="col">"Due"</th><th scope="col">"Retry count"</th><th scope="col">"Amount"</th><th scope="col">"Sent by"</th><th scope="col">"Last attempt"</th></tr></thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .take(10)
                            .map(|r| {
                                let href = format!("/transactions/{}", r.last_transaction_id);
                                view! {
                                    <tr>
                                        <td class="when"><span>{instant(r.retry_date)}</span>{move || { let wait = r.retry_date.millis_since(store.clock()); (wait <= 0).then(|| view! { <br /><strong>{due_now_text(wait)}</strong> }) }}</td>
                                        <td class="num">{r.retry_count}</td>
                                        <td class="num">{money(r.amount, r.currency)}</td>
                                        <td>{if r.scheduled_by_sandbox { "FlexPay Retries" } else { "Merchant CRM" }}</td>
                                        <td><A href=href><code>{r.last_transaction_id.clone()}</code></A>{company_note(all, &r.company)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {(more > 0).then(|| view! {
                    <p>{format!("And {more} more: ")}<A href="/schedule">"all on the Retry schedule"</A></p>
                })}
            }
            .into_any()
        }}
    }
}

/// Per-day counts of attempts and of recoveries, drawn as paired bars. Attempts are hatched
/// outlines and recoveries solid, with a legend, so the chart reads without colour; the days'
/// figures are also a table (under "The figures per day"), which a screen reader and the
/// keyboard reach, as they do not reach the bars' tooltips.
#[component]
fn ActivityChart(chains: Vec<ChainView>, start: CivilDate, end: CivilDate) -> impl IntoView {
    let day_count = usize::try_from(end.unix_days() - start.unix_days())
        .unwrap_or(0)
        .max(1);
    let mut attempts = vec![0u32; day_count];
    let mut recoveries = vec![0u32; day_count];
    let index_of = |at: UtcTimestamp| {
        let d = at.date().unix_days() - start.unix_days();
        usize::try_from(d).ok().filter(|&d| d < day_count)
    };
    for chain in &chains {
        for a in &chain.attempts {
            if let Some(i) = index_of(a.transaction_date) {
                attempts[i] += 1;
                // A recovery is the approval of a payment that was declined (the figures'
                // rule): a first attempt approved at once recovers nothing.
                if chain.outcome == ChainOutcome::Approved
                    && chain.received_decline
                    && a.response_code.category()
                        == flexkit_core::flexpay::response_code::ResponseCategory::Approved
                {
                    recoveries[i] += 1;
                }
            }
        }
    }
    let peak = attempts.iter().copied().max().unwrap_or(0);
    let max = peak.max(1);
    // Whole SVG user units: the chart needs no sub-pixel precision, and integer coordinates
    // keep float formatting out of the WebAssembly.
    let (w, h, pad) = (720_i64, 200_i64, 24_i64);
    let days = i64::try_from(day_count).unwrap_or(1).max(1);
    let slot = ((w - pad * 2) / days).max(2);
    // What integer slots leave over is split between both ends.
    let left = pad + ((w - pad * 2) - slot * days).max(0) / 2;
    let bar = (slot / 2 - 1).max(1);
    let y = |n: u32| h - pad - i64::from(n) * (h - pad * 2) / i64::from(max);
    let total_attempts: u32 = attempts.iter().sum();
    let total_recoveries: u32 = recoveries.iter().sum();
    let totals = format!(
        "{}, {}",
        count(total_attempts, "attempt", "attempts"),
        count(total_recoveries, "recovery", "recoveries")
    );
    // `end` is the day after the period: the axis and the label name its last day.
    let last = end.checked_add_days(-1).unwrap_or(end);
    let label = format!("Attempts and recoveries per day from {start} to {last}: {totals}");
    let bars = (0..day_count)
        .map(|i| {
            let x = left + slot * i as i64;
            let (a, r) = (attempts[i], recoveries[i]);
            let day = start.checked_add_days(i as i64).map(|d| d.to_string()).unwrap_or_default();
            view! {
                <g>
                    <title>{format!("{day}: {}, {}", count(a, "attempt", "attempts"), count(r, "recovery", "recoveries"))}</title>
                    <rect class="bar-attempts" x=x y=y(a) width=bar height=(h - pad - y(a)).max(0) />
                    <rect class="bar-recoveries" x=x + bar + 1 y=y(r) width=bar height=(h - pad - y(r)).max(0) />
                </g>
            }
        })
        .collect_view();
    // Only the days with attempts: a 90-day period is mostly empty days.
    let per_day = (0..day_count)
        .filter(|&i| attempts[i] > 0)
        .map(|i| {
            let day = start.checked_add_days(i as i64).map(|d| d.to_string()).unwrap_or_default();
            view! { <tr><th scope="row">{day}</th><td class="num">{attempts[i]}</td><td class="num">{recoveries[i]}</td></tr> }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=label.clone()>
                <defs>
                    <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <line x1="0" y1="0" x2="0" y2="6" class="hatch-line" />
                    </pattern>
                </defs>
                <line class="axis" x1=pad y1=h - pad x2=w - pad y2=h - pad />
                <text class="axis-label" x=pad y=pad - 8>{match peak {
                    0 => "no attempt".to_owned(),
                    _ => format!("max {peak} per day"),
                }}</text>
                <text class="axis-label" x=pad y=h - 6>{start.to_string()}</text>
                <text class="axis-label" x=w - pad y=h - 6 text-anchor="end">{last.to_string()}</text>
                {bars}
            </svg>
            <figcaption class="legend">
                <span class="legend-item"><span class="swatch swatch-attempts" aria-hidden="true"></span>"Attempts (hatched)"</span>
                <span class="legend-item"><span class="swatch swatch-recoveries" aria-hidden="true"></span>"Recoveries (solid)"</span>
                <span>{format!("{totals} in the period")}</span>
            </figcaption>
            <details class="chart-days">
                <summary>"The figures per day"</summary>
                {if total_attempts == 0 {
                    view! { <p class="muted">"No attempt in the period."</p> }.into_any()
                } else {
                    view! {
                        <table class="data" aria-label="Attempts and recoveries per day">
                            <thead><tr><th scope="col">"Day (UTC)"</th><th scope="col" class="num">"Attempts"</th><th scope="col" class="num">"Recoveries"</th></tr></thead>
                            <tbody>{per_day}</tbody>
                        </table>
                        <p class="muted">"Days without attempts are left out."</p>
                    }.into_any()
                }}
            </details>
        </figure>
    }
}
