//! Retry schedule: what is due and when, for the company (or all companies) and mode chosen in
//! the header. The simulated clock can be advanced; FlexPay
//! Retries (auto-retry) chains are then run by the sandbox's scheduler, and merchant chains
//! can be retried from here — never before their `retryDate`.

use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::sandbox::{ChainId, ChainOutcome, ChainView};
use flexkit_core::UtcTimestamp;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::company::company_note;
use crate::components::fields::focus_after_render;
use crate::components::format::{instant, money, CodeBadge};
use crate::store::use_store;

const HOUR_MS: i64 = 3_600_000;

#[derive(Clone, Debug, PartialEq)]
struct DueRow {
    chain: ChainId,
    due: UtcTimestamp,
    next_retry_count: u32,
    amount: String,
    by_scheduler: bool,
    last_transaction_id: String,
    last_code: ResponseCode,
    /// Its company's code.
    company: String,
    merchant_transaction_id: String,
    /// The chain, for when its recovery window closes (`ChainView::window_closed`).
    view: ChainView,
}

#[component]
pub fn SchedulePage() -> impl IntoView {
    let store = use_store();
    let message = RwSignal::new(None::<(bool, String)>);
    // Read again whenever the state changes and every second.
    let now = move || store.clock();
    let rows = Memo::new(move |_| {
        let standing = store.standing_now();
        store.portal.with(|p| {
            let mut rows: Vec<DueRow> = p
                .sandbox
                .console_chains(p.settings.scope(), p.settings.mode)
                .unwrap_or_default()
                .into_iter()
                .filter(|c| c.outcome == ChainOutcome::InRecovery)
                .filter_map(|c| {
                    let due = c.next_retry?;
                    let last = c.attempts.last()?;
                    Some(DueRow {
                        chain: c.id,
                        due,
                        next_retry_count: last.retry_count.unwrap_or(0).saturating_add(1),
                        amount: money(c.amount, c.currency),
                        by_scheduler: c.auto_retry,
                        last_transaction_id: last.transaction_id.clone(),
                        last_code: last.response_code,
                        company: c.company.clone(),
                        merchant_transaction_id: c
                            .attempts
                            .first()
                            .map(|a| a.merchant_transaction_id.clone())
                            .unwrap_or_default(),
                        view: c.clone(),
                    })
                })
                .collect();
            // The soonest due first; payments whose recovery window closed (no retry is
            // sent) after every one still due.
            flexkit_core::sorting::sort_by_key(&mut rows, |r| {
                (r.view.window_closed(standing).is_some(), r.due, r.chain)
            });
            rows
        })
    });

    let shown = RwSignal::new(ROWS_SHOWN);
    // A long schedule is drawn a part at a time: every row follows the clock.
    let more = Memo::new(move |_| shown.get() < rows.with(Vec::len));

    let advance = move |ms: Option<i64>| {
        let ran = store.act(|p, now| {
            let target = match ms {
                Some(ms) => now.checked_add_millis(ms),
                // Jump to the earliest retry of the companies and mode shown not yet due.
                None => rows
                    .get_untracked()
                    .iter()
                    .filter(|r| r.view.window_closed(now).is_none())
                    .map(|r| r.due)
                    .find(|due| *due > now),
            };
            let target = target.filter(|t| *t > now)?;
            // From the browser's clock: `now` may be held at the latest transaction.
            p.settings.clock_offset_ms = target.millis_since(crate::storage::wall_clock());
            Some((target, p.sandbox.run_due_retries(target)))
        });
        message.set(Some(match ran.flatten() {
            None if rows.with_untracked(Vec::is_empty) => (
                true,
                "No retry is scheduled: no payment is waiting for one.".to_owned(),
            ),
            // Every payment listed is past its recovery window: none is due either.
            None if rows.with_untracked(|rows| {
                let now = store.now();
                rows.iter().all(|r| r.view.window_closed(now).is_some())
            }) =>
            {
                (
                    true,
                    "No retry is left to send: the recovery window of every payment listed closed."
                        .to_owned(),
                )
            }
            None => (
                true,
                "No retry is scheduled later than now: the ones listed are due now.".to_owned(),
            ),
            // The time reached in the message, so that each advance is news to a screen reader.
            Some((to, runs)) if runs.is_empty() => (
                true,
                format!(
                    "Clock advanced to {}. No FlexPay Retries retry of any company was due.",
                    instant(to)
                ),
            ),
            Some((to, runs)) => (
                true,
                format!(
                    "Clock advanced to {}. FlexPay Retries ran {} scheduled retr{}, of every company and environment.",
                    instant(to),
                    runs.len(),
                    if runs.len() == 1 { "y" } else { "ies" }
                ),
            ),
        }));
    };
    let reset_clock = move |_| {
        let wall = crate::storage::wall_clock();
        let now = store.act(|p, _| {
            p.settings.clock_offset_ms = 0;
            p.keep_clock_running(wall);
            p.now(wall)
        });
        message.set(Some((
            true,
            match now {
                Some(now) if now > wall => format!(
                    "The advances are undone, but the clock runs on from {}, the date of the latest transaction, as new transactions are never dated before it: it stays that far ahead of real time. Resetting the sandbox data (Data & storage) starts it again at real time.",
                    instant(now)
                ),
                _ => "The advances are undone: the clock follows real time again.".to_owned(),
            },
        )));
    };
    let send_retry = move |chain: ChainId, row: usize| {
        let result = store.act(|p, now| p.sandbox.console_retry(chain, now));
        message.set(Some(match result {
            Some(Ok(response)) => (
                true,
                format!(
                    "Retry sent: {} {} ({}).",
                    response.response_code,
                    // The response's own message says why (which gateways, which limit);
                    // the code's meaning only when it has none.
                    response
                        .message
                        .as_deref()
                        .or(response.response_code.meaning())
                        .unwrap_or_default(),
                    response.transaction_id
                ),
            ),
            Some(Err(e)) => (false, e.message),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
        // Its row is drawn again, or gone: the focus goes on down the table (the message,
        // a status, says what happened).
        focus_next_send(row);
    };

    view! {
        <section class="page page-wide">
            <h1>"Retry schedule"</h1>
            <p class="lede">
                "Soft declines come back with a retryDate; the next attempt may be sent at that instant and never earlier. "
                "Payments of companies with FlexPay Retries enabled are retried by the sandbox itself; the others wait for the merchant's CRM (you, here)."
                " A payment is retried only within its company's recovery window (30 days from its first attempt unless the company set fewer): once it closes, the payment is not recovered and no retry is due."
            </p>
            <div class="clock-panel" role="group" aria-label="Simulated clock">
                <p>"Simulated clock: " <strong data-testid="sandbox-clock">{move || instant(now())}</strong></p>
                <button type="button" on:click=move |_| advance(Some(HOUR_MS))>"Advance 1 hour"</button>
                <button type="button" on:click=move |_| advance(Some(24 * HOUR_MS))>"Advance 1 day"</button>
                <button type="button" on:click=move |_| advance(None)>"Advance to the next retry"</button>
                <button type="button" class="secondary" on:click=reset_clock>"Undo the advances"</button>
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <p id="schedule-message" tabindex="-1" class=if ok { "banner banner-info" } else { "banner banner-error" } role="status">{text}</p>
            })}
            {move || {
                let rows = rows.get();
                if rows.is_empty() {
                    return view! { <p class="empty">"No payment is waiting for a retry."</p> }.into_any();
                }
                // Over all companies, each row names its company.
                let all = store.portal.with(|p| p.settings.company.is_none());
                view! {
                    <table class="data cards" aria-label="Scheduled retries" id="schedule-table" tabindex="-1">
                        <thead><tr>
                            <th scope="col">"Due (UTC)"</th><th scope="col">"State"</th><th scope="col">"Next retry count"</th>
                            <th scope="col">"Amount"</th><th scope="col">"Payment"</th><th scope="col">"Last attempt"</th><th scope="col">"Action"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().take(shown.get()).enumerate().map(|(row, r)| {
                                // Drawn again when what it shows changes, not at every second.
                                let (due, chain_view) = (r.due, r.view.clone());
                                let state = Memo::new(move |_| RowState::at(due, &chain_view, now()));
                                // The action cell is rebuilt only when the window closes, not as
                                // the countdown moves: a focused Send retry keeps the focus.
                                let closed = Memo::new(move |_| state.with(|s| s.closed));
                                let (chain, limit) = (r.chain, r.view.limit_reached);
                                let of = if all { store.portal.with_untracked(|p| format!(" ({})", p.company_label(&r.company))) } else { String::new() };
                                view! {
                                    <tr>
                                        <td class="when">{instant(r.due)}</td>
                                        <td>{move || state.with(|s| s.text.clone())}</td>
                                        <td class="num">{r.next_retry_count}</td>
                                        <td class="num">{r.amount.clone()}</td>
                                        <td>{r.merchant_transaction_id.clone()}{company_note(all, &r.company)}</td>
                                        <td>
                                            <A href=format!("/transactions/{}", r.last_transaction_id)><code>{r.last_transaction_id.clone()}</code></A>
                                            " " <CodeBadge code=r.last_code />
                                        </td>
                                        <td>
                                            {move || if closed.get() {
                                                view! { <span>{if limit { "None: the most retries were reached" } else { "None: the window closed" }}</span> }.into_any()
                                            } else if r.by_scheduler {
                                                view! { <span>"FlexPay Retries sends it"</span> }.into_any()
                                            } else {
                                                view! {
                                                    <button
                                                        type="button"
                                                        disabled=move || !state.with(|s| s.due_now)
                                                        aria-label=format!("Send retry {} of {}{of}", r.next_retry_count, r.merchant_transaction_id)
                                                        on:click=move |_| send_retry(chain, row)
                                                    >
                                                        "Send retry"
                                                    </button>
                                                }.into_any()
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {move || more.get().then(|| view! {
                <p class="muted" role="status">
                    {move || format!("The first {} of {} payments are shown: the soonest due first, those whose recovery window closed last. ", shown.get(), rows.with(Vec::len))}
                    <button type="button" class="secondary" on:click=move |_| {
                        // Twice as many each time: the table is drawn anew at each.
                        shown.update(|n| *n *= 2);
                        // The button goes with the last rows: the focus goes to the table.
                        if !more.get_untracked() {
                            focus_after_render("schedule-table");
                        }
                    }>"Show more"</button>
                </p>
            })}
        </section>
    }
}

/// After a retry was sent from row `row` (from 0), drawn again or gone: the focus goes to the
/// first Send retry that can be pressed from that row on, else to the table, so a keyboard
/// works through the due retries without going back up the page.
fn focus_next_send(row: usize) {
    crate::components::fields::focus_found_or_after_render(
        format!(
            "#schedule-table tbody tr:nth-child(n+{}) button:not([disabled])",
            row + 1
        ),
        "#schedule-table",
    );
}

/// What a payment says once its company lowered its most retries to the retries it had.
const LIMIT_REACHED: &str =
    "Its company's most retries, lowered since, were reached: not recovered, no retry is sent";

/// The rows of the schedule drawn at first; each Show more doubles them.
const ROWS_SHOWN: usize = 100;

/// What a row of the schedule says at one instant.
#[derive(Clone, PartialEq)]
struct RowState {
    text: String,
    /// Whether the merchant may send the retry now.
    due_now: bool,
    /// Whether the payment's recovery window has closed: no retry is sent.
    closed: bool,
}

impl RowState {
    fn at(due: UtcTimestamp, chain: &ChainView, now: UtcTimestamp) -> RowState {
        // Past its recovery window the payment is no longer retried: nothing is due.
        let closed = chain.window_closed(now);
        let due_now = due <= now && closed.is_none();
        let wait = due.millis_since(now);
        // A retry left past its date says by how much: FlexPay counts one not sent at its date as a missed schedule.
        let text = if chain.limit_reached {
            LIMIT_REACHED.to_owned()
        } else if let Some(end) = closed {
            format!(
                "Recovery window closed at {}: not recovered, no retry is sent",
                instant(end)
            )
        } else if !due_now {
            format!("Allowed in {}", duration(wait))
        } else {
            due_now_text(wait)
        };
        RowState {
            text,
            due_now,
            closed: closed.is_some(),
        }
    }
}

/// A retry whose date passed `-wait` ms ago: "Due now", and once a minute has passed by how
/// much it is late, as the Retry schedule and the Dashboard both say it.
pub fn due_now_text(wait: i64) -> String {
    if wait <= -60_000 {
        format!("Due now, {} late", duration(-wait))
    } else {
        "Due now".to_owned()
    }
}

/// The time left before a retry is allowed, counted down as a clock does: whole units that
/// have not yet passed (`2 d 3 h`, `23 h 59 min`, `45 min`, `under 1 min`). The Send retry
/// button, not this text, keeps a retry from going out before its instant.
fn duration(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match (d, h, m) {
        (0, 0, 0) => "under 1 min".to_owned(),
        (0, 0, _) => format!("{m} min"),
        (0, _, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn the_countdown_shows_the_whole_units_not_yet_passed() {
        let (min, hour) = (60_000, 3_600_000);
        assert_eq!(duration(0), "under 1 min");
        assert_eq!(duration(59_999), "under 1 min");
        assert_eq!(duration(45 * min + 30_000), "45 min");
        assert_eq!(duration(23 * hour + 59 * min + 18_000), "23 h 59 min");
        assert_eq!(duration(24 * hour), "1 d 0 h");
        assert_eq!(duration(51 * hour + 59 * min), "2 d 3 h");
        assert_eq!(duration(-5), "under 1 min");
    }
}
