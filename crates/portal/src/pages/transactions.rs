//! Transactions: a filterable, paged list (fast at 10 000 rows: the summaries are built once
//! per change of the sandbox, filtering and paging work on them) and a detail view with the
//! payment's whole recovery chain as a timeline.

use flexkit_core::flexpay::response_code::ResponseCategory;
use flexkit_core::flexpay::sandbox::{transactions_csv, CompanyScope, TransactionSummary};
use flexkit_core::flexpay::transaction::TransactionStatus;
use flexkit_core::{CivilDate, Currency};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::company::company_note;
use crate::components::format::{instant, money, CodeBadge};
use crate::components::kpis::{entries, kpi_cards, Figure};
use crate::storage;
use crate::store::use_store;

const PAGE_SIZE: usize = 25;
const ALL: &str = "";

#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    status: String,
    category: String,
    company: Option<String>,
    gateway: String,
    currency: String,
    from: Option<CivilDate>,
    to: Option<CivilDate>,
}

impl Filters {
    fn keep(&self, t: &TransactionSummary) -> bool {
        (self.status.is_empty() || status_label(t.status) == self.status)
            && (self.category.is_empty() || t.category.code() == self.category)
            && (self.gateway.is_empty()
                || t.gateway_token.as_deref() == Some(self.gateway.as_str()))
            && (self.currency.is_empty()
                || t.currency.map(Currency::code) == Some(self.currency.as_str()))
            && self.from.is_none_or(|d| t.date >= d.start_of_day())
            && self.to.is_none_or(|d| {
                d.checked_add_days(1)
                    .is_some_and(|next| t.date < next.start_of_day())
            })
    }
}

fn status_label(status: TransactionStatus) -> &'static str {
    match status {
        TransactionStatus::Approved => "Approved",
        TransactionStatus::Declined => "Declined",
        TransactionStatus::Error => "Error",
    }
}

/// The order of every transaction list: the latest date first, then the greater id. (One
/// function, so the lists share one compiled sort.)
pub(crate) fn newest_first(a: &TransactionSummary, b: &TransactionSummary) -> std::cmp::Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| b.transaction_id.cmp(&a.transaction_id))
}

#[component]
pub fn TransactionsPage() -> impl IntoView {
    let store = use_store();
    // A link may preset filters (the reports link a week, a currency or a gateway here):
    // `?from=YYYY-MM-DD&to=YYYY-MM-DD&currency=USD&gateway=TOKEN`.
    let preset = use_query_map().with_untracked(|q| {
        let date = |key: &str| q.get(key).and_then(|d| CivilDate::parse(&d).ok());
        Filters {
            currency: q.get("currency").unwrap_or_default(),
            gateway: q.get("gateway").unwrap_or_default(),
            from: date("from"),
            to: date("to"),
            ..Filters::default()
        }
    });
    let shown_date = |d: Option<CivilDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let (from_value, to_value) = (shown_date(preset.from), shown_date(preset.to));
    let filters = RwSignal::new(preset);
    let chosen =
        move |pick: fn(&Filters) -> &String, value: &str| filters.with(|f| pick(f) == value);
    let page = RwSignal::new(0usize);
    let companies = Memo::new(move |_| store.portal.with(|p| p.sandbox.companies()));
    // All rows of the company filter's scope (the header's, all companies or one), newest
    // first, and whether they span companies; rebuilt only when the sandbox, the mode or the
    // company scope changes.
    let rows = Memo::new(move |_| {
        let company_filter = filters.with(|f| f.company.clone());
        store.portal.with(|p| {
            let scope = match &company_filter {
                Some(c) if c.is_empty() => CompanyScope::All,
                Some(c) => CompanyScope::One(c),
                None => p.settings.scope(),
            };
            let mut all = p
                .sandbox
                .console_transactions(scope, p.settings.mode)
                .unwrap_or_default();
            all.sort_by(newest_first);
            (all, scope == CompanyScope::All)
        })
    });
    let spans = move || rows.with(|r| r.1);
    let filtered = Memo::new(move |_| {
        filters.with(|f| {
            rows.with(|r| {
                r.0.iter()
                    .filter(|t| f.keep(t))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let gateways = Memo::new(move |_| {
        rows.with(|r| {
            let mut g: Vec<(String, String)> =
                r.0.iter()
                    .filter_map(|t| {
                        Some((
                            t.gateway_token.clone()?,
                            t.gateway_name.clone().unwrap_or_default(),
                        ))
                    })
                    .collect();
            g.sort();
            g.dedup();
            g
        })
    });
    let currencies = Memo::new(move |_| {
        rows.with(|r| {
            let mut c: Vec<&'static str> =
                r.0.iter()
                    .filter_map(|t| t.currency.map(Currency::code))
                    .collect();
            c.sort_unstable();
            c.dedup();
            c
        })
    });
    let set = move |change: fn(&mut Filters, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            filters.update(|f| change(f, value));
            page.set(0);
        }
    };
    let total = move || filtered.with(Vec::len);
    let pages = move || total().div_ceil(PAGE_SIZE).max(1);

    view! {
        <section class="page page-wide">
            <h1>"Transactions"</h1>
            <form class="filters" aria-label="Filter transactions" on:submit=|ev| ev.prevent_default()>
                <label><span>"Status"</span>
                    <select on:change=set(|f, v| f.status = v)>
                        <option value=ALL>"Any"</option>
                        {["Approved", "Declined", "Error"].map(|s| view! { <option value=s>{s}</option> }).collect_view()}
                    </select>
                </label>
                <label><span>"Category"</span>
                    <select on:change=set(|f, v| f.category = v)>
                        <option value=ALL>"Any"</option>
                        {ResponseCategory::ALL.map(|c| view! { <option value=c.code()>{c.display_name()}</option> }).collect_view()}
                    </select>
                </label>
                <label><span>"Company"</span>
                    <select on:change=set(|f, v| f.company = if v == "__header__" { None } else { Some(v) })>
                        <option value="__header__">"Selected in the header"</option>
                        <option value=ALL>"All companies"</option>
                        <For each=move || companies.get() key=|c| c.code.clone() let:c>
                            <option value=c.code.clone()>{c.name.clone()}</option>
                        </For>
                    </select>
                </label>
                <label><span>"Gateway"</span>
                    <select on:change=set(|f, v| f.gateway = v)>
                        <option value=ALL>"Any"</option>
                        <For each=move || gateways.get() key=|g| g.0.clone() let:g>
                            <option value=g.0.clone() selected=chosen(|f| &f.gateway, &g.0)>{format!("{} ({})", g.1, g.0)}</option>
                        </For>
                    </select>
                </label>
                <label><span>"Currency"</span>
                    <select on:change=set(|f, v| f.currency = v)>
                        <option value=ALL>"Any"</option>
                        <For each=move || currencies.get() key=|c| *c let:c>
                            <option value=c selected=chosen(|f| &f.currency, c)>{c}</option>
                        </For>
                    </select>
                </label>
                <label><span>"From (UTC)"</span>
                    <input type="date" value=from_value on:change=set(|f, v| f.from = CivilDate::parse(&v).ok()) />
                </label>
                <label><span>"To (UTC)"</span>
                    <input type="date" value=to_value on:change=set(|f, v| f.to = CivilDate::parse(&v).ok()) />
                </label>
            </form>
            // The figures of the filtered list, per currency, by the core's rules.
            {move || filtered.with(|rows| {
                let cards = store.portal.with(|p| p.sandbox.list_figures(rows)).into_iter().map(|f| {
                    let code = f.currency.code();
                    let amount = |a| money(a, Some(f.currency));
                    let (r, n) = (&f.recovery, f.transactions);
                    let figures: Vec<Figure> = vec![
                        ("Transactions", n.to_string(), "transactions"),
                        ("Approved amount", amount(f.approved_amount), "approved"),
                        ("Recovered", format!("{} ({})", r.recovered_count, amount(r.recovered_amount)), "recovered"),
                        ("In recovery", format!("{} ({})", r.in_recovery_count, amount(r.in_recovery_amount)), "in-recovery"),
                    ];
                    (format!("Transactions in {code}"), code, figures)
                }).collect();
                kpi_cards("kpis", cards)
            })}
            <div class="list-head">
                <p class="count" role="status" data-testid="transaction-count">
                    {move || {
                        let n = total();
                        let reversed = filters.with(|f| matches!((f.from, f.to), (Some(a), Some(b)) if a > b));
                        if reversed {
                            "No transactions match: the period starts after it ends; swap the dates.".to_owned()
                        } else if n == 0 {
                            "No transactions match.".to_owned()
                        } else {
                            let first = page.get() * PAGE_SIZE + 1;
                            format!("{first}–{} of {n} transactions", (first + PAGE_SIZE - 1).min(n))
                        }
                    }}
                </p>
                <button type="button" class="secondary" disabled=move || total() == 0
                    on:click=move |_| {
                        let file = format!("flexpay-transactions-{}.csv", store.now().date());
                        filtered.with_untracked(|rows| storage::download(&file, "text/csv", &transactions_csv(rows)));
                    }>
                    "Export CSV"<span class="visually-hidden">" of every transaction that matches"</span>
                </button>
            </div>
            <div class="table-scroll">
                <table class="data compact">
                    <thead>
                        <tr>
                            <th scope="col">"ID"</th><th scope="col">"Date"</th><th scope="col">"Type"</th>
                            <th scope="col">"Status"</th><th scope="col">"Response"</th><th scope="col">"Amount"</th>
                            <th scope="col">"Retry count"</th><th scope="col">"Card"</th><th scope="col">"Merchant transaction ID"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let start = page.get() * PAGE_SIZE;
                            let spans = spans();
                            filtered.with(|rows| {
                                rows.iter().skip(start).take(PAGE_SIZE).cloned().map(|t| {
                                    let href = format!("/transactions/{}", t.transaction_id);
                                    view! {
                                        <tr>
                                            // Rows of several companies name theirs.
                                            <td><A href=href><code>{t.transaction_id.clone()}</code></A>{company_note(spans, &t.company)}</td>
                                            <td class="when">{instant(t.date)}</td>
                                            <td>{t.transaction_type}</td>
                                            <td>{status_label(t.status)}</td>
                                            <td><CodeBadge code=t.response_code /></td>
                                            <td class="num">{t.amount.map(|a| money(a, t.currency)).unwrap_or_default()}</td>
                                            <td class="num">{t.retry_count.map(|c| c.to_string()).unwrap_or_default()}</td>
                                            <td><code>{t.card.clone().unwrap_or_default()}</code></td>
                                            <td>{t.merchant_transaction_id.clone()}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            })
                        }}
                    </tbody>
                </table>
            </div>
            <nav class="pager" aria-label="Pages">
                <button type="button" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous page"</button>
                <span>{move || format!("Page {} of {}", page.get() + 1, pages())}</span>
                <button type="button" disabled=move || { page.get() + 1 >= pages() } on:click=move |_| page.update(|p| *p += 1)>"Next page"</button>
            </nav>
        </section>
    }
}

/// Who paid and where, what the request sent to name the customer and the order, and the
/// follow-ups, as the transaction's page shows them.
#[derive(Clone, Debug, PartialEq)]
struct Details {
    /// The response's message (FlexPay's `message`), as the terminal shows it.
    message: Option<String>,
    /// The payment method id and how FlexPay keeps it (Cached, Stored in the vault, Redacted).
    method: Option<(String, Option<String>)>,
    holder: Option<String>,
    billing: Option<String>,
    shipping: Option<String>,
    /// Customer ID, email and order ID as sent.
    sent: Vec<Figure>,
    follow_ups: Vec<TransactionSummary>,
}

/// Transactions with their date, type, answer, amount and card, each linked to its page.
pub(crate) fn transaction_table(label: &'static str, rows: &[TransactionSummary]) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data" aria-label=label>
                <thead><tr>
                    <th scope="col">"ID"</th><th scope="col">"Date"</th><th scope="col">"Type"</th>
                    <th scope="col">"Response"</th><th scope="col">"Amount"</th><th scope="col">"Card"</th>
                </tr></thead>
                <tbody>
                    {rows.iter().map(|t| { let id = t.transaction_id.clone(); view! {
                        <tr>
                            <td><A href=format!("/transactions/{id}")><code>{id.clone()}</code></A></td>
                            <td class="when">{instant(t.date)}</td>
                            <td>{t.transaction_type}</td>
                            <td><CodeBadge code=t.response_code /></td>
                            <td class="num">{t.amount.map(|a| money(a, t.currency)).unwrap_or_default()}</td>
                            <td><code>{t.card.clone().unwrap_or_default()}</code></td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The parts that are given, joined by `separator`; `None` when no part is.
fn joined(parts: &[Option<&str>], separator: &str) -> Option<String> {
    let given: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect();
    (!given.is_empty()).then(|| given.join(separator))
}

/// An address on one line: line 1, line 2, city, state, postal code, country.
fn address(parts: [&Option<String>; 6]) -> Option<String> {
    joined(&parts.map(|part| part.as_deref()), ", ")
}

/// One transaction and, for a payment, its recovery chain as a timeline.
#[component]
pub fn TransactionDetailPage() -> impl IntoView {
    let store = use_store();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    // Of any company in the mode: the page tells which.
    let found = Memo::new(move |_| {
        let id = id();
        store.portal.with(|p| {
            let all = p
                .sandbox
                .console_transactions(CompanyScope::All, p.settings.mode)
                .unwrap_or_default();
            all.into_iter().find(|t| t.transaction_id == id)
        })
    });
    // The payment method, billing and shipping addresses as GET /v1/transactions/{id} shows
    // them, what the request sent and the follow-ups.
    let details = Memo::new(move |_| {
        let id = id();
        store.portal.with(|p| {
            p.sandbox
                .console_detail(CompanyScope::All, p.settings.mode, &id)
                .map(|d| (d.response, d.customer_id, d.email, d.order_id, d.follow_ups))
                .map(|(r, customer, email, order, follow_ups)| Details {
                    message: r.message.clone(),
                    sent: [
                        ("Customer ID", customer),
                        ("Email", email),
                        ("Order ID", order),
                    ]
                    .into_iter()
                    .filter_map(|(term, value)| Some((term, value?, "")))
                    .collect(),
                    follow_ups,
                    method: r.payment_method.as_ref().and_then(|m| {
                        let storage = m.storage_state.as_ref().map(|s| s.as_str().to_owned());
                        m.payment_method_id.clone().map(|id| (id, storage))
                    }),
                    holder: r.payment_method.as_ref().and_then(|m| {
                        m.full_name.clone().or_else(|| {
                            joined(&[m.first_name.as_deref(), m.last_name.as_deref()], " ")
                        })
                    }),
                    billing: r.payment_method.as_ref().and_then(|m| {
                        address([
                            &m.address1,
                            &m.address2,
                            &m.city,
                            &m.state,
                            &m.postal_code,
                            &m.country,
                        ])
                    }),
                    shipping: r.shipping_address.as_ref().and_then(|a| {
                        address([
                            &a.address1,
                            &a.address2,
                            &a.city,
                            &a.state,
                            &a.postal_code,
                            &a.country,
                        ])
                    }),
                })
        })
    });
    let chain = Memo::new(move |_| {
        let chain_id = found.with(|t| t.as_ref().and_then(|t| t.chain))?;
        store
            .portal
            .with(|p| p.sandbox.chains().into_iter().find(|c| c.id.0 == chain_id))
    });
    view! {
        <section class="page page-wide">
            <p><A href="/transactions">"← All transactions"</A></p>
            {move || match found.get() {
                None => view! {
                    <h1>"Transaction not found"</h1>
                    <p>"No transaction " <code>{id()}</code> " in the " {store.portal.with(|p| crate::components::layout::mode_label(p.settings.mode))} " environment."</p>
                }.into_any(),
                Some(t) => view! {
                    <h1>{format!("{} {}", t.transaction_type, t.transaction_id)}</h1>
                    <dl class="facts">
                        <div><dt>"Company"</dt><dd>{store.portal.with_untracked(|p| p.company_name(&t.company))}</dd></div>
                        <div><dt>"Date"</dt><dd>{instant(t.date)}</dd></div>
                        <div><dt>"Status"</dt><dd>{status_label(t.status)}</dd></div>
                        <div><dt>"Response"</dt><dd><CodeBadge code=t.response_code /> " " {t.response_code.meaning().unwrap_or_default()}</dd></div>
                        <div><dt>"Amount"</dt><dd>{t.amount.map(|a| money(a, t.currency)).unwrap_or_default()}</dd></div>
                        <div><dt>"Merchant transaction ID"</dt><dd>{t.merchant_transaction_id.clone()}</dd></div>
                        <div><dt>"Gateway"</dt><dd>{t.gateway_name.clone().unwrap_or_else(|| "none: the request reached no gateway".into())}</dd></div>
                        <div><dt>"Card"</dt><dd><code>{t.card.clone().unwrap_or_default()}</code></dd></div>
                        <div><dt>"Retry count"</dt><dd>{t.retry_count.map(|c| c.to_string()).unwrap_or_default()}</dd></div>
                        <div><dt>"Retry date"</dt><dd>{t.retry_date.map(instant).unwrap_or_else(|| "none: do not retry".into())}</dd></div>
                        <div><dt>"Reference data"</dt><dd><code class="wrap">{t.reference_data.clone().unwrap_or_else(|| "—".into())}</code></dd></div>
                        {move || details.get().map(|d| view! {
                            {d.message.map(|m| view! { <div><dt>"Message"</dt><dd data-testid="detail-message">{m}</dd></div> })}
                            {entries(d.sent)}
                            {d.method.map(|(id, storage)| view! {
                                <div><dt>"Payment method ID"</dt><dd><code>{id}</code>{storage.map(|s| format!(" ({s})"))}</dd></div>
                            })}
                            {d.holder.map(|h| view! { <div><dt>"Cardholder"</dt><dd>{h}</dd></div> })}
                            {d.billing.map(|b| view! { <div><dt>"Billing address"</dt><dd>{b}</dd></div> })}
                            {d.shipping.map(|b| view! { <div><dt>"Shipping address"</dt><dd>{b}</dd></div> })}
                        })}
                        {t.original_transaction_id.clone().map(|o| view! {
                            <div><dt>"Follows up"</dt><dd><A href=format!("/transactions/{o}")><code>{o.clone()}</code></A></dd></div>
                        })}
                    </dl>
                }.into_any(),
            }}
            {move || details.with(|d| d.as_ref().filter(|d| !d.follow_ups.is_empty()).map(|d| view! {
                <h2>"Refunds, voids and captures"</h2>
                {transaction_table("Refunds, voids and captures", &d.follow_ups)}
            }))}
            {move || chain.get().map(|c| {
                let summaries: Vec<TransactionSummary> = store.portal.with(|p| {
                    p.sandbox.console_transactions(CompanyScope::One(&c.company), c.mode).unwrap_or_default()
                });
                view! {
                    <h2>"Recovery chain"</h2>
                    <p class="lede">{format!("{} {}; {}.", c.attempts.len(), if c.attempts.len() == 1 { "attempt" } else { "attempts" }, c.outcome.describe())}</p>
                    <ol class="timeline" aria-label="Recovery chain">
                        {c.attempts.clone().into_iter().enumerate().map(|(i, a)| {
                            let s = summaries.iter().find(|s| s.transaction_id == a.transaction_id).cloned();
                            let current = Some(a.transaction_id.clone()) == found.with(|t| t.as_ref().map(|t| t.transaction_id.clone()));
                            view! {
                                <li class=if current { "timeline-item current" } else { "timeline-item" }>
                                    <div class="timeline-head">
                                        <strong>{format!("Attempt {}", i + 1)}</strong>
                                        " · " {instant(a.transaction_date)}
                                        {a.scheduled_by_sandbox.then_some(" · sent by FlexPay Retries")}
                                    </div>
                                    <div><CodeBadge code=a.response_code /> " " {a.response_code.meaning().unwrap_or_default()}</div>
                                    <dl class="timeline-facts">
                                        <div><dt>"Retry count"</dt><dd>{a.retry_count.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</dd></div>
                                        <div><dt>"Transaction"</dt><dd><A href=format!("/transactions/{}", a.transaction_id)><code>{a.transaction_id.clone()}</code></A></dd></div>
                                        <div><dt>"Reference data"</dt><dd><code class="wrap">{s.as_ref().and_then(|s| s.reference_data.clone()).unwrap_or_else(|| "—".into())}</code></dd></div>
                                        <div><dt>"Next retry scheduled"</dt><dd>{s.as_ref().and_then(|s| s.retry_date).map(instant).unwrap_or_else(|| "—".into())}</dd></div>
                                        {a.message.map(|m| view! { <div><dt>"Message"</dt><dd>{m}</dd></div> })}
                                    </dl>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
            })}
        </section>
    }
}
