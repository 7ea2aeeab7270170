//! Reports (the FlexPay portal's Reports and Reconciliation): recovery by week received,
//! invoice reconciliation, and transactions by type, gateway, response code and currency, for
//! the company (or all companies) and mode chosen in the header and a range of UTC dates. The core works the
//! figures out and words each report as a table (`console_report`, `Report::tables`); this
//! page shows the tables and exports each as CSV. The period is kept in the address.

use flexkit_core::flexpay::sandbox::console_reports::week_of;
use flexkit_core::flexpay::sandbox::ReportTable;
use flexkit_core::CivilDate;
use leptos::prelude::*;

use crate::components::format::scope_part;
use crate::components::period::{period_dropped, PeriodAddress};
use crate::pages::platform::hidden_currencies_note;
use crate::storage;
use crate::store::use_store;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let store = use_store();
    let today = store.now().date();
    // The period as the address holds it (`?from=…&to=…`: kept on reload, Back and Forward,
    // and in a link), else the last four weeks, Sunday to today. A date the address holds
    // that is not one is named, not applied.
    let address = PeriodAddress::new("/reports");
    let read = move |key: &str, default: CivilDate| {
        address.read(key, default, |text| CivilDate::parse(text).ok())
    };
    let default_from = week_of(today).checked_add_days(-21).unwrap_or(today);
    let from = Memo::new(move |_| read("from", default_from).0);
    let to = Memo::new(move |_| read("to", today).0);
    let unread = move || {
        vec![
            ("From", read("from", default_from).1),
            ("To", read("to", today).1),
        ]
    };
    // A period that starts after it ends, or after today: both fields are at fault, and the
    // message under them says why.
    let refused = move || from.get() > to.get() || from.get() > today;
    let date_field = move |label: &'static str, key: &'static str, date: Memo<CivilDate>| {
        view! {
            <label><span>{label}</span>
                <input type="date" required prop:value=move || date.get().to_string() max=today.to_string()
                    aria-invalid=move || if refused() { "true" } else { "false" }
                    aria-describedby=move || refused().then_some("period-problem")
                    on:change=move |ev| {
                        if let Ok(d) = CivilDate::parse(&event_target_value(&ev)) {
                            let (mut f, mut t) = (from.get_untracked(), to.get_untracked());
                            *(if key == "from" { &mut f } else { &mut t }) = d;
                            let (f, t) = (f.to_string(), t.to_string());
                            address.write(&[("from", f.as_str()), ("to", t.as_str())]);
                        }
                    } />
            </label>
        }
    };

    view! {
        <section class="page page-wide">
            <h1>"Reports"</h1>
            <p class="lede">"Recovery, reconciliation and transactions of the company (or all companies) and mode chosen in the header. Dates are UTC; weeks run Sunday to Saturday. Amounts are in each currency's major unit and never added across currencies."</p>
            {hidden_currencies_note()}
            <form class="filters" aria-label="Report period" on:submit=|ev| ev.prevent_default()>
                {date_field("From (UTC)", "from", from)}
                {date_field("To (UTC)", "to", to)}
            </form>
            {period_dropped("it is not a date", Signal::derive(unread))}
            {move || {
                let (from, to) = (from.get(), to.get());
                // FlexPay's date pickers take past and present dates only.
                if from > today {
                    let message = format!("No report: the period starts on {from}, after today ({today}, the simulated clock's date); choose a start date up to today.");
                    return view! { <p class="banner banner-error" role="alert" id="period-problem">{message}</p> }.into_any();
                }
                // `flexpay-recovery-acme-widgets-sandbox-…`: whose, in which mode.
                let now = store.standing_now();
                let (report, owner) = store.portal.with(|p| {
                    let s = &p.settings;
                    (p.sandbox.console_report(s.scope(), s.mode, from, to, now), scope_part(p))
                });
                match report {
                    Err(e) => view! { <p class="banner banner-error" role="alert" id="period-problem">"No report: " {e.message}</p> }.into_any(),
                    Ok(report) => report.tables().iter().map(|t| report_view(t, &owner, from, to)).collect_view().into_any(),
                }
            }}
        </section>
    }
}

/// The Transactions page filtered to a row, within the report's period (what the row
/// counts): a week and currency of the weekly reports, the week cut to the period, or a
/// gateway over the whole period.
fn transactions_link(
    report: &str,
    row: &[String],
    from: CivilDate,
    to: CivilDate,
) -> Option<String> {
    match (report, row) {
        ("recovery" | "reconciliation", [week, currency, ..]) => {
            let start = CivilDate::parse(week).ok()?;
            let end = start.checked_add_days(6)?.min(to);
            let start = start.max(from);
            Some(format!(
                "/transactions?from={start}&to={end}&currency={currency}"
            ))
        }
        ("gateways", [_, token, ..]) if !token.is_empty() => {
            Some(format!("/transactions?gateway={token}&from={from}&to={to}"))
        }
        _ => None,
    }
}

/// One report: its title, what it counts, an export and the table.
fn report_view(table: &ReportTable, owner: &str, from: CivilDate, to: CivilDate) -> impl IntoView {
    let heading = format!("report-{}", table.id);
    let csv = table.csv();
    let file = format!("flexpay-{}-{owner}-{from}-{to}.csv", table.id);
    let empty = table.rows.is_empty();
    let numeric: Vec<bool> = table.columns.iter().map(|c| c.numeric).collect();
    let head = table
        .columns
        .iter()
        .map(|c| view! { <th scope="col" class:num=c.numeric>{c.name}</th> })
        .collect_view();
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let link = transactions_link(table.id, row, from, to);
            let cells = row
                .iter()
                .zip(&numeric)
                .enumerate()
                .map(|(i, (text, &num))| match (i, &link) {
                    (0, Some(href)) => {
                        view! { <td><a href=href.clone()>{text.clone()}</a></td> }.into_any()
                    }
                    _ => view! { <td class:num=num>{text.clone()}</td> }.into_any(),
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section class="report" aria-labelledby=format!("report-{}", table.id) data-report=table.id>
            <div class="page-head">
                <h2 id=heading>{table.title}</h2>
                <button type="button" class="secondary" disabled=empty
                    on:click=move |_| storage::download(&file, "text/csv", &csv)>
                    "Export CSV"<span class="visually-hidden">{format!(" of {}", table.title)}</span>
                </button>
            </div>
            <p class="lede">{table.about}</p>
            {if empty {
                view! { <p class="empty">"Nothing in this period."</p> }.into_any()
            } else {
                view! {
                    // Focusable, so a keyboard scrolls it where it is wider than the screen;
                    // named apart from the section it is in (landmark names are unique).
                    <div class="table-scroll" tabindex="0" role="region"
                        aria-label=format!("{}, table", table.title)>
                        <table class="data" aria-label=table.title>
                            <thead><tr>{head}</tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
