//! Transactions: a filterable, paged list (fast at 10 000 rows: the summaries are built once
//! per change of the sandbox, filtering and paging work on them) and a detail view with the
//! payment's whole recovery chain as a timeline.

use flexkit_core::flexpay::account::{Company, Environment};
use flexkit_core::flexpay::response_code::ResponseCategory;
use flexkit_core::flexpay::sandbox::console_customers::contains_ignoring_case;
use flexkit_core::flexpay::sandbox::console_reports::percent;
use flexkit_core::flexpay::sandbox::{
    transactions_csv, CompanyScope, TransactionSummary, TRANSACTION_TYPES,
};
use flexkit_core::flexpay::transaction::TransactionStatus;
use flexkit_core::sorting;
use flexkit_core::{CivilDate, Currency};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::components::company::company_note;
use crate::components::fields::keep_pager_focus;
use crate::components::format::{
    companies_part, go_in_place, instant, listed, meaning_beside_badge, money, page_address,
    scope_part, without_retry_date, CodeBadge,
};
use crate::components::kpis::{entries, kpi_cards, Figure};
use crate::storage;
use crate::store::use_store;

const PAGE_SIZE: usize = 25;

/// The filters' query keys, in the order the address writes them, and their controls' labels.
/// The address is the page's one source of its filters and page (`page`, from 1): a reload, a
/// shared link and Back/Forward show what the user saw. Defaults are left out.
const KEYS: [&str; 9] = [
    "status", "type", "category", "company", "gateway", "currency", "from", "to", "q",
];
const LABELS: [&str; 9] = [
    "Status",
    "Type",
    "Category",
    "Company",
    "Gateway",
    "Currency",
    "From (UTC)",
    "To (UTC)",
    "Search IDs, card holder or email",
];
const STATUS: usize = 0;
/// One of the core's `TRANSACTION_TYPES`, as the list's Type column shows it.
const TYPE: usize = 1;
const CATEGORY: usize = 2;
const COMPANY: usize = 3;
const GATEWAY: usize = 4;
const CURRENCY: usize = 5;
const FROM: usize = 6;
/// The search: a transaction whose ID, merchant transaction ID, order ID, customer ID, card
/// holder or email holds the text, in any case.
const SEARCH: usize = 8;
/// The Company filter's value for all companies; never a company's code (letters and digits).
/// No value is the company selected in the header.
const ALL_COMPANIES: &str = "all-companies";
/// The Status filter's query values and labels: FlexPay's `transactionStatus` 1 and 2. Its 3,
/// Error, is not offered: the sandbox answers 1 for an approval and 2 for everything else, a
/// refused request too (FlexPay answers a refusal such as 50131 with 2), so no transaction
/// here has it and an address asking for it is named as not shown.
const STATUSES: [(&str, &str); 2] = [("approved", "Approved"), ("declined", "Declined")];

/// A status's query value and label (Error's as FlexPay names it, though the filter does not
/// offer it).
fn status_names(status: TransactionStatus) -> (&'static str, &'static str) {
    match status {
        TransactionStatus::Approved => STATUSES[0],
        TransactionStatus::Declined => STATUSES[1],
        TransactionStatus::Error => ("error", "Error"),
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    /// Each filter's value as the address writes it, by `KEYS`; "" for any (for the Company
    /// filter: the header's company).
    values: [String; 9],
    from: Option<CivilDate>,
    to: Option<CivilDate>,
    /// What the address held that no control can show, as `Status “pending”`: left out, and
    /// the page says so rather than filtering by it unseen.
    dropped: Vec<String>,
}

impl Filters {
    /// The filters of a query (`get` reads one key), each value checked: read without regard
    /// to ASCII case and written as the controls write it. A gateway or currency the list has
    /// no transactions of is kept (its select shows it as such); anything else no control
    /// offers is dropped.
    fn read(get: &dyn Fn(&str) -> Option<String>, companies: &[Company]) -> Filters {
        let mut f = Filters::default();
        for (i, key) in KEYS.into_iter().enumerate() {
            let Some(given) = get(key).filter(|v| !v.is_empty()) else {
                continue;
            };
            let same = |code: &str| code.eq_ignore_ascii_case(&given);
            let kept = match i {
                STATUS => STATUSES
                    .iter()
                    .map(|s| s.0)
                    .find(|s| same(s))
                    .map(str::to_owned),
                TYPE => TRANSACTION_TYPES
                    .into_iter()
                    .find(|t| same(t))
                    .map(str::to_owned),
                CATEGORY => ResponseCategory::ALL
                    .map(ResponseCategory::code)
                    .into_iter()
                    .find(|c| same(c))
                    .map(str::to_owned),
                COMPANY if given == ALL_COMPANIES => Some(given.clone()),
                COMPANY => companies
                    .iter()
                    .find(|c| same(&c.code))
                    .map(|c| c.code.clone()),
                GATEWAY => Some(given.clone()),
                SEARCH => Some(given.trim().to_owned()).filter(|q| !q.is_empty()),
                CURRENCY => Currency::from_code(&given.to_ascii_uppercase())
                    .ok()
                    .map(|c| c.code().to_owned()),
                _ => {
                    let date = CivilDate::parse(&given).ok();
                    *(if i == FROM { &mut f.from } else { &mut f.to }) = date;
                    date.map(|d| d.to_string())
                }
            };
            match kept {
                Some(value) => f.values[i] = value,
                None => f.dropped.push(format!("{} “{given}”", LABELS[i])),
            }
        }
        f
    }

    fn keep(&self, t: &TransactionSummary) -> bool {
        let [status, kind, category, _, gateway, currency, _, _, search] = &self.values;
        let holds = |text: &str| contains_ignoring_case(text, search);
        let holds_some = |text: &Option<String>| text.as_deref().is_some_and(holds);
        (status.is_empty() || status_names(t.status).0 == status)
            && (kind.is_empty() || t.transaction_type == kind)
            && (category.is_empty() || t.category.code() == category)
            && (gateway.is_empty() || t.gateway_token.as_ref() == Some(gateway))
            && (currency.is_empty() || t.currency.map(Currency::code) == Some(currency))
            && (search.is_empty()
                || holds(&t.transaction_id)
                || holds(&t.merchant_transaction_id)
                || holds_some(&t.order_id)
                || holds_some(&t.customer_id)
                || holds_some(&t.holder)
                || holds_some(&t.email))
            && self.from.is_none_or(|d| t.date >= d.start_of_day())
            && self.to.is_none_or(|d| {
                d.checked_add_days(1)
                    .is_some_and(|next| t.date < next.start_of_day())
            })
    }
}

/// The list's address with these filter values and page (from 0), defaults left out: the
/// plain list is `/transactions`.
fn href(values: &[String; 9], page: usize) -> String {
    let page = if page > 0 {
        (page + 1).to_string()
    } else {
        String::new()
    };
    let values = values.iter().chain([&page]).map(String::as_str);
    page_address(
        "/transactions",
        KEYS.iter().copied().chain(["page"]).zip(values),
    )
}

fn status_label(status: TransactionStatus) -> &'static str {
    status_names(status).1
}

/// Sorts transactions as the core lists them (in the order they were made) newest first:
/// by date, and those of one instant — a certification run, the simulated clock — latest made
/// first (a stable sort of the reversed list).
fn sort_newest_first(transactions: &mut [TransactionSummary]) {
    transactions.reverse();
    sorting::sort_by_key(transactions, |t| std::cmp::Reverse(t.date));
}

/// A filter's select: its options (value, label) rebuilt with the address's value chosen (as a
/// property: once the user picked an option, its `selected` attribute no longer counts), so
/// Back and Forward show it too; a change goes to `set`.
fn choice(
    i: usize,
    state: Memo<Filters>,
    options: impl Fn(usize) -> Vec<(String, String)> + Copy + Send + Sync + 'static,
    set: impl Fn(usize, String) + Copy + 'static,
) -> impl IntoView {
    view! {
        <label><span>{LABELS[i]}</span>
            // Named by its label alone: the name worked out from the label around it would take
            // in every option's text.
            <select aria-label=LABELS[i] on:change=move |ev| set(i, event_target_value(&ev))>
                {move || {
                    let current = state.with(|s| s.values[i].clone());
                    options(i).into_iter().map(|(value, label)| {
                        let selected = value == current;
                        view! { <option value=value prop:selected=selected>{label}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

/// A date filter's input, or the search's. It follows the address, but a date being typed
/// (which reads as "") is not written over, nor a search as it is typed.
fn typed_input(
    i: usize,
    state: Memo<Filters>,
    set: impl Fn(usize, String) + Copy + 'static,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        let value = state.with(|s| s.values[i].clone());
        if let Some(el) = input.get() {
            // A search is read trimmed: its spaces typed at the ends stay.
            if el.value() != value && !(i == SEARCH && el.value().trim() == value) {
                el.set_value(&value);
            }
        }
    });
    // A period that starts after it ends: both fields are at fault, as the count says.
    let reversed = move || state.with(|f| matches!((f.from, f.to), (Some(a), Some(b)) if a > b));
    view! {
        <label><span>{LABELS[i]}</span>
            <input type=if i == SEARCH { "search" } else { "date" } node_ref=input value=state.with_untracked(|s| s.values[i].clone())
                aria-invalid=move || if i != SEARCH && reversed() { "true" } else { "false" }
                aria-describedby=move || (i != SEARCH && reversed()).then_some("transaction-count")
                on:change=move |ev| if i != SEARCH { set(i, event_target_value(&ev)) }
                on:input=move |ev| if i == SEARCH { set(i, event_target_value(&ev)) } />
        </label>
    }
}

thread_local! {
    // The list's address as last shown (its filters, search and page): a transaction's page
    // links back to it.
    static LIST_ADDRESS: std::cell::RefCell<String> = std::cell::RefCell::new("/transactions".to_owned());
}

#[component]
pub fn TransactionsPage() -> impl IntoView {
    let store = use_store();
    let query = use_query_map();
    let companies = Memo::new(move |_| store.portal.with(|p| p.sandbox.companies()));
    // The filters as the address holds them (the reports link a week, a currency or a
    // gateway here), and the page it asks for, read apart so paging does not filter again.
    let state =
        Memo::new(move |_| query.with(|q| companies.with(|c| Filters::read(&|key| q.get(key), c))));
    let asked_page = Memo::new(move |_| query.with(|q| q.get("page")));
    let company = Memo::new(move |_| state.with(|s| s.values[COMPANY].clone()));
    // All rows of the company filter's scope (the header's, all companies or one), newest
    // first, and whether they span companies; rebuilt only when the sandbox, the mode or the
    // company scope changes.
    let rows = Memo::new(move |_| {
        company.with(|company| {
            store.portal.with(|p| {
                let scope = match company.as_str() {
                    "" => p.settings.scope(),
                    ALL_COMPANIES => CompanyScope::All,
                    code => CompanyScope::One(code),
                };
                let mut all = p
                    .sandbox
                    .console_transactions(scope, p.settings.mode)
                    .unwrap_or_default();
                sort_newest_first(&mut all);
                (all, scope == CompanyScope::All)
            })
        })
    });
    let spans = move || rows.with(|r| r.1);
    let filtered = Memo::new(move |_| {
        state.with(|f| {
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
            sorting::sort_by(&mut g, Ord::cmp);
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
    // Each select's options: the default first; a gateway or currency the address holds that
    // the list has no transactions of is offered as such, never filtered by unseen.
    let options = move |i: usize| {
        let mut list: Vec<(String, String)> = match i {
            STATUS => STATUSES.map(|(v, l)| (v.into(), l.into())).into(),
            TYPE => TRANSACTION_TYPES.map(|t| (t.into(), t.into())).into(),
            CATEGORY => ResponseCategory::ALL
                .map(|c| (c.code().into(), c.display_name().into()))
                .into(),
            COMPANY => [
                (String::new(), "As in the header".into()),
                (ALL_COMPANIES.into(), "All companies".into()),
            ]
            .into_iter()
            // By name and code, as the forms' company selects: two companies may share a name.
            .chain(companies.get().into_iter().map(|c| {
                let label = format!("{} ({})", c.name, c.code);
                (c.code, label)
            }))
            .collect(),
            GATEWAY => gateways
                .get()
                .into_iter()
                .map(|(token, name)| {
                    let label = format!("{name} ({token})");
                    (token, label)
                })
                .collect(),
            _ => currencies
                .get()
                .into_iter()
                .map(|c| (c.into(), c.into()))
                .collect(),
        };
        if i != COMPANY {
            list.insert(0, (String::new(), "Any".into()));
        }
        let current = state.with(|s| s.values[i].clone());
        if !list.iter().any(|o| o.0 == current) {
            let label = format!("{current} (no transactions)");
            list.push((current, label));
        }
        list
    };
    let total = move || filtered.with(Vec::len);
    let pages = move || total().div_ceil(PAGE_SIZE).max(1);
    // The page shown, from 0: the one the address asks for while the list has it, else the
    // first, and the page says so.
    let page = move || {
        asked_page.with(|asked| match asked {
            None => Some(0),
            Some(n) => n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=pages()).contains(n))
                .map(|n| n - 1),
        })
    };
    let shown_page = move || page().unwrap_or(0);
    Effect::new(move || {
        let address = state.with(|s| href(&s.values, shown_page()));
        LIST_ADDRESS.with(|a| *a.borrow_mut() = address);
    });
    // Every change is a history entry, so Back shows the previous filter or page; but typing
    // a date or a search fires a change per character, and arrow keys on a closed select a
    // change per option passed, so changes of one field less than 1.5 s apart, each from the
    // address the one before wrote, make one.
    let navigate = StoredValue::new_local(use_navigate());
    let last_change = StoredValue::new((0, String::new(), 0));
    let go = move |values: [String; 9], page: usize, field: Option<usize>| {
        let to = href(&values, page);
        let now = state.with_untracked(|s| href(&s.values, shown_page()));
        let at = storage::wall_clock().unix_millis();
        let replace = field.is_some_and(|i| {
            last_change.with_value(|(j, from, when)| (*j, from) == (i, &now) && at - when < 1500)
        });
        if let Some(i) = field {
            last_change.set_value((i, to.clone(), at));
        }
        navigate.with_value(|navigate| go_in_place(navigate, &to, replace));
    };
    // The header switched company or mode: another list, shown from its first page, in place
    // of the address (a page it lacks is the switch's doing, not the address's to warn of).
    Effect::new(move |before: Option<(Environment, Option<String>)>| {
        let header = store
            .portal
            .with(|p| (p.settings.mode, p.settings.company.clone()));
        if before.is_some_and(|b| b != header) && asked_page.with_untracked(Option::is_some) {
            let to = state.with_untracked(|s| href(&s.values, 0));
            navigate.with_value(|navigate| go_in_place(navigate, &to, true));
        }
        header
    });
    // A filter changed: the first page of the new list. The search goes to the address as
    // it is read back, without spaces at its ends (the field keeps them), so a space typed
    // within it is still the same history entry.
    let set = move |i: usize, value: String| {
        let mut values = state.with_untracked(|s| s.values.clone());
        values[i] = if i == SEARCH {
            value.trim().to_owned()
        } else {
            value
        };
        go(values, 0, Some(i));
    };
    let turn = move |by: isize| {
        let to = shown_page().saturating_add_signed(by);
        go(state.with_untracked(|s| s.values.clone()), to, None);
        let (pressed, other) = if by < 0 {
            ("page-previous", "page-next")
        } else {
            ("page-next", "page-previous")
        };
        keep_pager_focus(pressed, other);
    };

    view! {
        <section class="page page-wide">
            <h1>"Transactions"</h1>
            <form class="filters" aria-label="Filter transactions" on:submit=|ev| ev.prevent_default()>
                {[STATUS, TYPE, CATEGORY, COMPANY, GATEWAY, CURRENCY].map(|i| choice(i, state, options, set)).collect_view()}
                // The period and the search on a line of their own.
                <span class="filters-break"></span>
                {[FROM, FROM + 1, SEARCH].map(|i| typed_input(i, state, set)).collect_view()}
            </form>
            // The Company filter lists other companies than the header's: said, not silent.
            {move || company.with(|chosen| {
                store.portal.with(|p| {
                    let header = p.settings.company.as_deref();
                    let listed = match chosen.as_str() {
                        "" => return None,
                        ALL_COMPANIES if header.is_none() => return None,
                        ALL_COMPANIES => "all companies".to_owned(),
                        code if header == Some(code) => return None,
                        code => p.company_label(code),
                    };
                    let header = header.map_or("all companies".to_owned(), |c| p.company_label(c));
                    Some(view! {
                        <p class="muted" data-testid="company-filter-note">
                            {format!("Listing the transactions of {listed}, as the Company filter asks; the header shows {header}.")}
                        </p>
                    })
                })
            })}
            {move || {
                let mut dropped = state.with(|s| s.dropped.clone());
                if page().is_none() {
                    dropped.push(format!("Page “{}”", asked_page.get().unwrap_or_default()));
                }
                (!dropped.is_empty()).then(|| view! {
                    <p class="banner banner-warn" role="status" data-testid="filters-dropped">
                        {format!("Not applied from the address, as the list offers no such choice: {}.", dropped.join(", "))}
                    </p>
                })
            }}
            // The figures of the filtered list, per currency, by the core's rules.
            {move || filtered.with(|rows| {
                let now = store.standing_now();
                let cards = store.portal.with(|p| p.sandbox.list_figures(rows, now)).into_iter().map(|f| {
                    let code = f.currency.code();
                    let amount = |a| money(a, Some(f.currency));
                    let (r, n) = (&f.recovery, f.transactions);
                    let figures: Vec<Figure> = vec![
                        ("Transactions", n.to_string(), "transactions"),
                        ("Approved amount", amount(f.approved_amount), "approved"),
                        ("Refunded and voided", format!("{} ({})", f.refunded, amount(f.refunded_amount)), "refunded"),
                        ("Declined", format!("{} ({})", f.declined, percent(f.declined_basis_points())), "declined"),
                        ("Recovered", format!("{} ({})", r.recovered_count, amount(r.recovered_amount)), "recovered"),
                        ("In recovery", format!("{} ({})", r.in_recovery_count, amount(r.in_recovery_amount)), "in-recovery"),
                    ];
                    (format!("Transactions in {code}"), code, figures)
                }).collect::<Vec<_>>();
                let note = (!cards.is_empty()).then(|| view! {
                    <p class="muted">"Recovered and In recovery count the payments of the transactions listed, each once, whenever first declined; the Dashboard and Reports count payments by the date of their first decline."</p>
                });
                view! { {kpi_cards("kpis", cards)} {note} }
            })}
            <div class="list-head">
                <p class="count" role="status" data-testid="transaction-count" id="transaction-count">
                    {move || {
                        let n = total();
                        let reversed = state.with(|f| matches!((f.from, f.to), (Some(a), Some(b)) if a > b));
                        if reversed {
                            "No transactions match: the period starts after it ends; swap the dates.".to_owned()
                        } else if n == 0 {
                            let unfiltered = state.with(|f| {
                                f.values.iter().all(String::is_empty) && f.from.is_none() && f.to.is_none()
                            });
                            if unfiltered {
                                // Of the header's company, when it shows one: other companies may have some.
                                store.portal.with(|p| {
                                    let of = p.settings.company.as_ref().map(|c| format!(" of {}", p.company_label(c))).unwrap_or_default();
                                    format!("No transactions{of} in {} mode yet.", crate::components::layout::mode_label(p.settings.mode))
                                })
                            } else {
                                "No transactions match.".to_owned()
                            }
                        } else {
                            let first = shown_page() * PAGE_SIZE + 1;
                            let last = (first + PAGE_SIZE - 1).min(n);
                            listed(first as u64, last as u64, n as u64, "transaction", "transactions")
                        }
                    }}
                </p>
                <button type="button" class="secondary" disabled=move || total() == 0
                    on:click=move |_| {
                        // Named for what it holds: the Company filter's choice, else the header's.
                        let whose = company.with_untracked(|chosen| store.portal.with_untracked(|p| match chosen.as_str() {
                            "" => scope_part(p),
                            ALL_COMPANIES => companies_part(p, None),
                            code => companies_part(p, Some(code)),
                        }));
                        let file = format!("flexpay-transactions-{whose}-{}.csv", store.now().date());
                        filtered.with_untracked(|rows| storage::download(&file, "text/csv", &transactions_csv(rows)));
                    }>
                    "Export CSV"<span class="visually-hidden">" of every transaction that matches"</span>
                </button>
            </div>
            <div class="table-scroll">
                <table class="data compact cards" aria-label="Transactions">
                    <thead>
                        <tr>
                            <th scope="col">"ID"</th><th scope="col">"Date"</th><th scope="col">"Type"</th>
                            <th scope="col">"Status"</th><th scope="col">"Response"</th><th scope="col">"Amount"</th>
                            <th scope="col">"Retry count"</th><th scope="col">"Card and holder"</th><th scope="col">"Merchant transaction ID"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let start = shown_page() * PAGE_SIZE;
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
                                            <td><code>{t.card.clone().unwrap_or_default()}</code>
                                                {t.holder.clone().map(|h| view! { <span class="who">{h}</span> })}
                                                {t.email.clone().map(|e| view! { <span class="who muted">{e}</span> })}
                                            </td>
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
                <button type="button" id="page-previous" disabled=move || shown_page() == 0 on:click=move |_| turn(-1)>"Previous page"</button>
                <span>{move || format!("Page {} of {}", shown_page() + 1, pages())}</span>
                <button type="button" id="page-next" disabled=move || { shown_page() + 1 >= pages() } on:click=move |_| turn(1)>"Next page"</button>
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
            <p>{LIST_ADDRESS.with(|a| {
                let address = a.borrow().clone();
                let label = if address == "/transactions" { "← All transactions" } else { "← Back to the list" };
                view! { <a href=address>{label}</a> }
            })}</p>
            {move || match found.get() {
                None => view! {
                    <h1>"Transaction not found"</h1>
                    <p>"No transaction " <code>{id()}</code> " in the " {store.portal.with(|p| crate::components::layout::mode_label(p.settings.mode))} " environment."</p>
                    // A link from the other mode: say so, with the switch.
                    {store.portal.with(|p| {
                        let other = crate::components::layout::other_mode(p.settings.mode);
                        let listed = p.sandbox.console_transactions(CompanyScope::All, other).unwrap_or_default();
                        listed.iter().any(|t| t.transaction_id == id())
                    }).then(|| crate::components::layout::other_mode_banner("This transaction is"))}
                }.into_any(),
                Some(t) => view! {
                    <h1>{format!("{} {}", t.transaction_type, t.transaction_id)}</h1>
                    // Reached by a link while the header shows another company: say whose it is.
                    {let owner = t.company.clone(); move || {
                        let header = store.portal.with(|p| p.settings.company.clone())?;
                        (header != owner).then(|| store.portal.with_untracked(|p| crate::components::layout::switch_banner(
                            "other-company",
                            format!("This transaction belongs to {}; the header shows {}, whose pages do not list it. ", p.company_label(&owner), p.company_label(&header)),
                            "Switch the header to its company".to_owned(),
                            Some(owner.clone()),
                            p.settings.mode,
                        )))
                    }}
                    <dl class="facts">
                        <div><dt>"Company"</dt><dd>{store.portal.with_untracked(|p| p.company_label(&t.company))}</dd></div>
                        <div><dt>"Date"</dt><dd>{instant(t.date)}</dd></div>
                        <div><dt>"Status"</dt><dd>{status_label(t.status)}</dd></div>
                        <div><dt>"Response"</dt><dd><CodeBadge code=t.response_code /> {meaning_beside_badge(t.response_code)}</dd></div>
                        <div><dt>"Amount"</dt><dd>{t.amount.map(|a| money(a, t.currency)).unwrap_or_default()}</dd></div>
                        <div><dt>"Merchant transaction ID"</dt><dd>{t.merchant_transaction_id.clone()}</dd></div>
                        <div><dt>"Gateway"</dt><dd>{t.gateway_name.clone().unwrap_or_else(|| "none: the request reached no gateway".into())}</dd></div>
                        <div><dt>"Card"</dt><dd><code>{t.card.clone().unwrap_or_default()}</code></dd></div>
                        // A capture, void or refund is no attempt of a payment: no retry facts.
                        {matches!(t.transaction_type, "Charge" | "Authorize").then(|| view! {
                            <div><dt>"Retry count"</dt><dd>{t.retry_count.map(|c| c.to_string()).unwrap_or_default()}</dd></div>
                            <div><dt>"Retry date"</dt><dd>{t.retry_date.map(instant).unwrap_or_else(|| without_retry_date(t.response_code).into())}
                                // The retry its chain waits for, by the rule the terminal warns with.
                                // The last attempt's: who sends it, or that none follows.
                                {t.retry_date.and(chain.with_untracked(|c| {
                                    let c = c.as_ref()?;
                                    let id = &c.attempts.last()?.transaction_id;
                                    (*id == t.transaction_id).then(|| {
                                        if c.next_retry.is_none() || c.window_closed(store.standing_now()).is_some() {
                                            " · no retry follows: the payment's recovery ended"
                                        } else if store.portal.with_untracked(|p| p.sandbox.retried_by_flexpay(id)) { " · FlexPay Retries sends it" } else { " · the merchant's CRM sends it" }
                                    })
                                })).unwrap_or_default()}
                            </dd></div>
                            <div><dt>"Reference data"</dt><dd><code class="wrap">{t.reference_data.clone().unwrap_or_else(|| "—".into())}</code></dd></div>
                        })}
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
                    // Of every company, so the chain of a deleted company's payment keeps its facts.
                    p.sandbox.console_transactions(CompanyScope::All, c.mode).unwrap_or_default()
                });
                view! {
                    <h2>"Recovery chain"</h2>
                    <p class="lede">{format!("{} {}; {}.", c.attempts.len(), if c.attempts.len() == 1 { "attempt" } else { "attempts" }, match c.window_closed(store.standing_now()) {
                        // Still open in the records, but no retry is due any more.
                        Some(_) if c.limit_reached => "its company's most retries, lowered since, were reached: not recovered, and a retry would be answered 30100".to_owned(),
                        Some(end) => format!("its recovery window closed at {}: not recovered, and a retry would be answered 30100", instant(end)),
                        None => c.outcome.describe().to_owned(),
                    })}</p>
                    <ol class="timeline" aria-label="Recovery chain">
                        {c.attempts.clone().into_iter().enumerate().map({
                            // The retryDate the previous attempt was given: an attempt sent
                            // before it missed FlexPay's schedule (the reports' retried early).
                            let mut due = None;
                            move |(i, a)| {
                            let s = summaries.iter().find(|s| s.transaction_id == a.transaction_id).cloned();
                            let early = due.filter(|&d| a.transaction_date < d).map(|d| format!(" · sent early: its retry date was {}", instant(d)));
                            due = s.as_ref().and_then(|s| s.retry_date);
                            let current = Some(a.transaction_id.clone()) == found.with(|t| t.as_ref().map(|t| t.transaction_id.clone()));
                            view! {
                                <li class=if current { "timeline-item current" } else { "timeline-item" }>
                                    <div class="timeline-head">
                                        <strong>{format!("Attempt {}", i + 1)}</strong>
                                        " · " {instant(a.transaction_date)}
                                        {a.scheduled_by_sandbox.then_some(" · sent by FlexPay Retries")}
                                        {early.map(|text| view! { <strong>{text}</strong> })}
                                    </div>
                                    <div><CodeBadge code=a.response_code /> {meaning_beside_badge(a.response_code)}</div>
                                    <dl class="timeline-facts">
                                        <div><dt>"Retry count"</dt><dd>{a.retry_count.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</dd></div>
                                        <div><dt>"Transaction"</dt><dd><A href=format!("/transactions/{}", a.transaction_id)><code>{a.transaction_id.clone()}</code></A></dd></div>
                                        <div><dt>"Reference data"</dt><dd><code class="wrap">{s.as_ref().and_then(|s| s.reference_data.clone()).unwrap_or_else(|| "—".into())}</code></dd></div>
                                        <div><dt>"Next retry scheduled"</dt><dd>{s.as_ref().and_then(|s| s.retry_date).map(instant).unwrap_or_else(|| "—".into())}</dd></div>
                                        {a.message.map(|m| view! { <div><dt>"Message"</dt><dd>{m}</dd></div> })}
                                    </dl>
                                </li>
                            }
                        }}).collect_view()}
                    </ol>
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(query: &[(&str, &str)]) -> Filters {
        let companies = [Company {
            name: "Acme Widgets".into(),
            code: "ACME".into(),
        }];
        let get = |key: &str| {
            query
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        };
        Filters::read(&get, &companies)
    }

    #[test]
    fn the_address_is_read_without_regard_to_case_and_written_back_as_the_controls_write_it() {
        let f = read(&[
            ("status", "Declined"),
            ("type", "refundedpayment"),
            ("category", "SOFTDECLINE"),
            ("company", "acme"),
            ("gateway", "GW 1"),
            ("currency", "eur"),
            ("from", "2026-11-01"),
            ("to", "2026-11-07"),
        ]);
        assert_eq!(f.dropped, Vec::<String>::new());
        assert_eq!(
            href(&f.values, 1),
            "/transactions?status=declined&type=RefundedPayment&category=softDecline&company=ACME\
             &gateway=GW%201\
             &currency=EUR&from=2026-11-01&to=2026-11-07&page=2"
        );
        assert_eq!(f.from, CivilDate::parse("2026-11-01").ok());
        assert_eq!(href(&Filters::default().values, 0), "/transactions");
        let all = read(&[("company", ALL_COMPANIES), ("status", "")]);
        assert_eq!(href(&all.values, 0), "/transactions?company=all-companies");
    }

    #[test]
    fn the_search_is_kept_as_typed_less_its_outer_spaces() {
        let f = read(&[("q", "  VT-17 x "), ("status", "approved")]);
        assert_eq!(f.values[SEARCH], "VT-17 x");
        assert_eq!(
            href(&f.values, 0),
            "/transactions?status=approved&q=VT-17%20x"
        );
        assert_eq!(read(&[("q", "   ")]).values, Filters::default().values);
    }

    #[test]
    fn a_value_no_control_offers_is_dropped_and_named() {
        // Error, FlexPay's status 3, is not offered: no transaction of the sandbox has it.
        assert_eq!(read(&[("status", "error")]).dropped, ["Status “error”"]);
        let f = read(&[
            ("status", "pending"),
            ("type", "Sale"),
            ("category", "nope"),
            ("company", "GONE"),
            ("currency", "XYZ"),
            ("from", "2026-13-01"),
            ("to", "soon"),
        ]);
        assert_eq!(f.values, Filters::default().values);
        assert_eq!((f.from, f.to), (None, None));
        assert_eq!(
            f.dropped,
            [
                "Status “pending”",
                "Type “Sale”",
                "Category “nope”",
                "Company “GONE”",
                "Currency “XYZ”",
                "From (UTC) “2026-13-01”",
                "To (UTC) “soon”"
            ]
        );
    }
}
