//! Customers (the FlexPay portal's Payments → Customers): figures per currency, a search by
//! customer ID, order ID or email, and each customer's transactions and vaulted payment
//! methods; below the list, the whole vault of the company (or all companies) and mode, so
//! methods stored without a customer are reachable too. Stored methods can be redacted after a
//! confirmation. The core derives the customers from the stored transactions in one pass
//! (`console_customers`). A customer belongs to one company: over all companies each row
//! names its company, and a customer's link names it too. A search or a customer's page that
//! finds nothing in the header's mode says so when the other mode has it, with a switch.

use flexkit_core::flexpay::payment_method::StorageState;
use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::sandbox::console_reports::percent;
use flexkit_core::flexpay::sandbox::{customers_csv, CompanyScope, CustomerSummary, VaultedMethod};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::components::company::company_note;
use crate::components::confirm::Confirm;
use crate::components::fields::{close_editor, focus_element, status_slot};
use crate::components::format::{count, go_in_place, instant, money, page_address, scope_part};
use crate::components::kpis::{entries, kpi_cards};
use crate::components::layout::{mode_label, other_mode, other_mode_banner, switch_banner};
use crate::storage;
use crate::store::use_store;

/// A memo whose value counts as changed whenever it is computed again (the sandbox changed):
/// no comparison of customer lists, whose code would only add weight.
fn derived<T: Send + Sync + 'static>(f: impl Fn() -> T + Send + Sync + 'static) -> Memo<T> {
    Memo::new_with_compare(move |_| f(), |_, _| true)
}

/// Rows shown at first, and added by "Show more".
const STEP: usize = 50;

/// The link to a customer's page: its key as one path segment; over all companies, with its
/// company's code too.
fn customer_href(key: &str, all: bool, company: &str) -> String {
    let key = js_sys::encode_uri_component(key);
    if all {
        format!("/customers/{key}?company={company}")
    } else {
        format!("/customers/{key}")
    }
}

/// Follows a customer's link (a table's, by delegation) as written. The router's own link
/// handling reads a path through `decodeURI` before it navigates, which turns the `%25` of a
/// key with `%` in it (`promo%41x`, an address `promo%2541x`) into `%`, so the page would
/// read another key (`promoAx`): the links are `rel="external"`, which the router leaves
/// alone, and navigating to the address itself keeps it. A click with a modifier key or
/// another button is the browser's (a new tab opens the address as written).
fn follow_as_written() -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    use wasm_bindgen::JsCast;
    let navigate = use_navigate();
    move |ev: leptos::ev::MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.shift_key()
        {
            return;
        }
        let href = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href^='/customers/']").ok().flatten())
            .and_then(|a| a.get_attribute("href"));
        if let Some(href) = href {
            ev.prevent_default();
            navigate(&href, Default::default());
        }
    }
}

/// `Visa 492020******9560`, or the gateway's token of a card held at the gateway.
fn method_label(m: &VaultedMethod) -> String {
    match (&m.card, &m.gateway_payment_method_id) {
        (Some(card), _) => format!(
            "{} {card}",
            m.card_brand.map_or("Card", |b| b.display_name())
        ),
        (None, Some(token)) => format!("Gateway token {token}"),
        (None, None) => "Payment method".to_owned(),
    }
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let store = use_store();
    // The search lives in the address (`?q=`, trimmed): a reload, a shared link and Back show
    // it. Its first character typed is a history entry; the rest of the typing replaces it.
    let address = use_query_map();
    let query = Memo::new(move |_| address.with(|a| a.get("q").unwrap_or_default()));
    let navigate = StoredValue::new_local(use_navigate());
    let search = move |typed: String| {
        let (typed, now) = (typed.trim(), query.get_untracked());
        if typed == now {
            return;
        }
        let to = page_address("/customers", [("q", typed)]);
        let replace = !now.is_empty() && !typed.is_empty();
        navigate.with_value(|navigate| go_in_place(navigate, &to, replace));
    };
    // Back and Forward set the field; spaces typed at its ends are not taken from it.
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        let q = query.get();
        if let Some(el) = field.get() {
            if el.value().trim() != q {
                el.set_value(&q);
            }
        }
    });
    let shown = RwSignal::new(STEP);
    let overview = derived(move || {
        let q = query.get();
        store.portal.with(|p| {
            p.sandbox
                .console_customers(p.settings.scope(), p.settings.mode, &q)
                .unwrap_or_default()
        })
    });
    let vault = derived(move || {
        store.portal.with(|p| {
            p.sandbox
                .console_payment_methods(p.settings.scope(), p.settings.mode)
                .unwrap_or_default()
        })
    });

    view! {
        <section class="page page-wide">
            <h1>"Customers"</h1>
            <p class="lede">"Customers of the company (or all companies) and mode chosen in the header: each is the customer ID its transactions carry, else their email, in one company. Approved payments are approved charges and captures; what customers spent is net of refunds and voids."</p>
            {move || overview.with(|o| {
                let rate = o.returning_basis_points();
                let mut cards = vec![(
                    "All customers".to_owned(),
                    "All currencies",
                    vec![
                        ("Customers", o.customers.to_string(), "customers"),
                        ("Returning customers", format!("{} ({})", o.returning, percent(rate)), "returning"),
                    ],
                )];
                cards.extend(o.currencies.iter().map(|t| {
                    let code = t.currency.code();
                    (format!("Spent in {code}"), code, vec![
                        ("Spent, net of refunds", money(t.spent, Some(t.currency)), "spent"),
                        ("Average spent per customer", money(t.average_per_customer(), Some(t.currency)), "average"),
                        ("Paying customers", t.customers.to_string(), ""),
                    ])
                }));
                kpi_cards("kpis kpis-stack", cards)
            })}
            <form class="filters" role="search" aria-label="Search customers" on:submit=|ev| ev.prevent_default()>
                <label><span>"Customer ID, order ID or email"</span>
                    <input type="search" node_ref=field value=query.get_untracked()
                        on:input=move |ev| { search(event_target_value(&ev)); shown.set(STEP); } />
                </label>
            </form>
            <div class="list-head">
                <p class="count" role="status" data-testid="customer-count">
                    {move || {
                        let (n, all) = overview.with(|o| (o.matches.len(), o.customers));
                        let q = query.get();
                        let q = q.trim();
                        match (n, q.is_empty()) {
                            (0, true) => "No customer yet: a payment sent with a customer ID or an email makes one.".to_owned(),
                            (0, false) => format!("No customer matches “{q}”."),
                            (_, true) => count(all, "customer", "customers"),
                            (n, false) => format!("{n} of {} match “{q}”", count(all, "customer", "customers")),
                        }
                    }}
                </p>
                <button type="button" class="secondary" disabled=move || overview.with(|o| o.matches.is_empty())
                    on:click=move |_| {
                        let file = format!("flexpay-customers-{}-{}.csv", store.portal.with_untracked(scope_part), store.now().date());
                        overview.with_untracked(|o| storage::download(&file, "text/csv", &customers_csv(&o.matches)));
                    }>
                    "Export CSV"<span class="visually-hidden">" of every customer that matches"</span>
                </button>
            </div>
            // Nothing matches here: the other mode may have the customer.
            {move || {
                let q = query.get();
                let elsewhere = overview.with(|o| o.matches.is_empty()) && !q.trim().is_empty() && store.portal.with(|p| {
                    p.sandbox
                        .console_customers(p.settings.scope(), other_mode(p.settings.mode), &q)
                        .is_ok_and(|o| !o.matches.is_empty())
                });
                elsewhere.then(|| other_mode_banner(&format!("Customers matching “{}” are found", q.trim())))
            }}
            <div class="table-scroll">
                <table class="data" aria-label="Customers" on:click=follow_as_written()>
                    <thead><tr>
                        <th scope="col">"Customer"</th><th scope="col">"Last purchase"</th><th scope="col">"Approved payments"</th>
                        <th scope="col">"Last order"</th><th scope="col">"Payment method"</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let all = store.portal.with(|p| p.settings.company.is_none());
                            overview.with(|o| o.matches.iter().take(shown.get()).map(|c| customer_row(c, all)).collect_view())
                        }}
                    </tbody>
                </table>
            </div>
            <button type="button" class="secondary" hidden=move || overview.with(|o| o.matches.len() <= shown.get())
                on:click=move |_| {
                    // The first of the rows shown now takes the focus, where reading goes on.
                    let first_new = shown.get_untracked() + 1;
                    shown.update(|n| *n += STEP);
                    crate::components::fields::focus_found_after_render(format!("table[aria-label='Customers'] tbody tr:nth-child({first_new}) a"));
                }>"Show more customers"</button>
            <h2 id="vault-h" tabindex="-1">"Vault"</h2>
            <p class="lede">"Every payment method stored for the company (or all companies) and mode, with or without a customer, the latest first. An approved payment sent with “Keep the card in the vault” stores its card."</p>
            <MethodsTable methods=vault heading="vault-h" />
        </section>
    }
}

fn customer_row(c: &CustomerSummary, all: bool) -> impl IntoView {
    let name = c
        .customer_id
        .clone()
        .or_else(|| c.email.clone())
        .unwrap_or_default();
    let also = [
        c.holder.as_deref(),
        c.email.as_deref().filter(|_| c.customer_id.is_some()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let card = c.card.as_ref().map(|card| {
        format!(
            "{} {card}",
            c.card_brand.map_or("Card", |b| b.display_name())
        )
    });
    view! {
        <tr>
            <td><a href=customer_href(&c.key, all, &c.company) rel="external">{name}</a>{(!also.is_empty()).then(|| view! { <br /><span class="muted">{also}</span> })}{company_note(all, &c.company)}</td>
            <td class="when">{c.last_purchase.map(instant).unwrap_or_else(|| "—".into())}</td>
            <td class="num">{c.approved_payments}</td>
            <td class="num">{c.last_order_amount.map(|a| money(a, c.last_order_currency)).unwrap_or_else(|| "—".into())}</td>
            <td><code>{card.unwrap_or_else(|| "—".into())}</code></td>
        </tr>
    }
}

/// Payment methods with their storage state and a Redact action for the stored ones (after
/// the shared confirmation). `heading` is the id of the heading the focus returns to.
#[component]
fn MethodsTable(methods: Memo<Vec<VaultedMethod>>, heading: &'static str) -> impl IntoView {
    let store = use_store();
    // The method waiting for confirmation: its company, id and label.
    let pending = RwSignal::new(None::<(String, String, String)>);
    let message = RwSignal::new(None::<(bool, String)>);
    let back = move || request_animation_frame(move || focus_element(heading));
    // In the vault of the method's own company.
    let redact = move |company: String, id: String, label: String| {
        let result = store.act(|p, now| {
            let mode = p.settings.mode;
            p.sandbox
                .console_redact_payment_method(&company, mode, &id, now)
        });
        pending.set(None);
        message.set(Some(match result {
            Some(Ok(answer)) if answer.response_code == ResponseCode::APPROVED => (
                true,
                format!("{label} was redacted. It stays listed, but a charge naming it now answers 50136 and an authorization 50134."),
            ),
            Some(Ok(answer)) => (
                false,
                format!("Not redacted: {} {}", answer.response_code, answer.message.unwrap_or_default()),
            ),
            Some(Err(e)) => (false, e.message),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
        back();
    };
    view! {
        {status_slot(message)}
        {move || pending.get().map(|(company, id, label)| {
            let l = label.clone();
            // Cancel gives the focus back to the Redact button that asked.
            let asked = format!("redact-{id}");
            view! {
                <Confirm id="redact"
                    question=format!("Redact {label}?")
                    detail="A redacted payment method stays listed but can no longer be charged: a charge naming it answers 50136 and an authorization 50134. Its CVV on file is dropped. This cannot be undone; to charge the card again, store it again."
                    action="Redact"
                    on_confirm=move || redact(company.clone(), id.clone(), l.clone())
                    on_cancel=move || close_editor(pending, asked.clone()) />
            }
        })}
        // No empty table: its scrolling box would hold nothing a keyboard can reach.
        <Show when=move || methods.with(|ms| !ms.is_empty())
            fallback=|| view! { <p class="empty">"No payment method is stored yet."</p> }>
            <div class="table-scroll">
                <table class="data vault-table" aria-labelledby=heading on:click=follow_as_written()>
                    <thead><tr>
                        <th scope="col">"Payment method"</th><th scope="col">"Holder"</th>
                        <th scope="col">"Expiry"</th><th scope="col">"State"</th><th scope="col">"CVV on file"</th>
                        <th scope="col">"Created"</th><th scope="col">"Action"</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let all = store.portal.with(|p| p.settings.company.is_none());
                            methods.with(|ms| ms.iter().map(|m| {
                            let label = method_label(m);
                            let stored = m.storage_state == StorageState::Stored;
                            let (company, id, l) = (m.company.clone(), m.payment_method_id.clone(), label.clone());
                            let by = m.created_by.clone();
                            view! {
                                <tr>
                                    <td><code>{label.clone()}</code><br /><span class="muted">"ID\u{a0}" <code>{m.payment_method_id.clone()}</code></span>{company_note(all, &m.company)}</td>
                                    <td>{m.holder.clone()}{m.customer_id.clone().map(|c| view! { <br /><span class="muted">"Customer " <a href=customer_href(&c, all, &m.company) rel="external">{c.clone()}</a></span> })}</td>
                                    <td>{match (&m.expiry_month, &m.expiry_year) {
                                        (Some(mm), Some(yy)) => format!("{mm}/{yy}"),
                                        _ => "—".to_owned(),
                                    }}</td>
                                    <td><span class=if stored { "status status-on" } else { "status status-off" }>{m.storage_state.as_str().to_owned()}</span></td>
                                    <td>{if m.cvv_on_file { "Yes" } else { "No" }}</td>
                                    <td class="when">{instant(m.created_at)}<br />"by " <A href=format!("/transactions/{by}")><code>{by.clone()}</code></A></td>
                                    <td>{stored.then(|| view! {
                                        <button type="button" class="danger small" aria-label=format!("Redact {label}")
                                            id=format!("redact-{}", m.payment_method_id) on:click=move |_| pending.set(Some((company.clone(), id.clone(), l.clone())))>"Redact"</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view())}}
                    </tbody>
                </table>
            </div>
        </Show>
    }
}

/// One customer: its figures, transactions and payment methods (with Redact).
#[component]
pub fn CustomerDetailPage() -> impl IntoView {
    let store = use_store();
    // The key from the address as it stands, decoded once: the router's path parameters are
    // decoded twice, which reads `promo%2541x` as `promoAx` rather than `promo%41x`.
    let location = use_location();
    let key = move || {
        location.pathname.with(|path| {
            let segment = path.strip_prefix("/customers/").unwrap_or_default();
            js_sys::decode_uri_component(segment)
                .ok()
                .and_then(|key| key.as_string())
                .unwrap_or_default()
        })
    };
    // The company its link names, else the header's.
    let query = use_query_map();
    let detail = derived(move || {
        let key = key();
        let company = query.with(|q| q.get("company"));
        store.portal.with(|p| {
            let scope = company
                .as_deref()
                .map_or(p.settings.scope(), CompanyScope::One);
            p.sandbox
                .console_customer(scope, p.settings.mode, &key)
                .ok()
                .flatten()
                .map(|mut d| {
                    // The core lists them latest made first: a stable sort by date keeps
                    // that order within an instant.
                    flexkit_core::sorting::sort_by_key(&mut d.transactions, |t| {
                        std::cmp::Reverse(t.date)
                    });
                    d
                })
        })
    });
    let methods = derived(move || {
        detail.with(|d| {
            d.as_ref()
                .map(|d| d.payment_methods.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <section class="page page-wide">
            <p><a href="/customers">"← All customers"</a></p>
            {move || detail.with(|d| match d {
                None => {
                    // The customer of another company than the header's (a link kept from
                    // All companies, say): say whose it is, as a transaction's page does.
                    let owner = store.portal.with(|p| {
                        p.settings.company.as_ref()?;
                        p.sandbox
                            .console_customer(CompanyScope::All, p.settings.mode, &key())
                            .ok()
                            .flatten()
                            .map(|d| d.summary.company)
                    });
                    // Else one of the other mode.
                    let company = query.with(|q| q.get("company"));
                    let elsewhere = owner.is_none() && store.portal.with(|p| {
                        let scope = company.as_deref().map_or(p.settings.scope(), CompanyScope::One);
                        p.sandbox
                            .console_customer(scope, other_mode(p.settings.mode), &key())
                            .is_ok_and(|d| d.is_some())
                    });
                    view! {
                        <h1>"Customer not found"</h1>
                        <p>"No transaction of the " {store.portal.with(|p| mode_label(p.settings.mode))} " environment of this company names the customer " <code>{key()}</code> "."</p>
                        {owner.map(|owner| store.portal.with_untracked(|p| switch_banner(
                            "other-company",
                            format!("{} has a customer by this key; the header shows {}. ", p.company_label(&owner), p.settings.company.as_deref().map(|h| p.company_label(h)).unwrap_or_default()),
                            "Switch the header to its company".to_owned(),
                            Some(owner),
                            p.settings.mode,
                        )))}
                        {elsewhere.then(|| other_mode_banner("This customer is found"))}
                    }.into_any()
                }
                Some(d) => {
                    let s = &d.summary;
                    let spent = s.spent.iter().map(|a| money(a.amount, Some(a.currency))).collect::<Vec<_>>().join(", ");
                    view! {
                        <h1>{format!("Customer {}", s.customer_id.as_deref().or(s.email.as_deref()).unwrap_or_default())}</h1>
                        <dl class="facts">{entries(vec![
                            ("Company", store.portal.with_untracked(|p| p.company_label(&s.company)), ""),
                            ("Customer ID", s.customer_id.clone().unwrap_or_else(|| "none: known by email".into()), ""),
                            ("Email", s.email.clone().unwrap_or_else(|| "none given".into()), ""),
                            ("Cardholder", s.holder.clone().unwrap_or_else(|| "none given".into()), ""),
                            ("Approved payments", s.approved_payments.to_string(), "approved-payments"),
                            ("Spent", if spent.is_empty() { "—".to_owned() } else { spent }, "spent"),
                            ("Last purchase", s.last_purchase.map(instant).unwrap_or_else(|| "—".into()), ""),
                        ])}</dl>
                        <h2>"Transactions"</h2>
                        {super::transactions::transaction_table("Transactions of the customer", &d.transactions)}
                    }.into_any()
                }
            })}
            <Show when=move || detail.with(Option::is_some)>
                <h2 id="methods-h" tabindex="-1">"Payment methods"</h2>
                <p class="lede">"The methods stored in the vault with this customer's payments (“Keep the card in the vault”) or for it, the latest first."</p>
                <MethodsTable methods heading="methods-h" />
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use flexkit_core::card::CardBrand;
    use flexkit_core::flexpay::payment_method::PaymentMethodType;
    use flexkit_core::UtcTimestamp;

    use super::*;

    fn method(card: Option<&str>, gateway: Option<&str>) -> VaultedMethod {
        VaultedMethod {
            payment_method_id: "ID".into(),
            company: "DEFAULT".into(),
            payment_method_type: PaymentMethodType::CreditCard,
            storage_state: StorageState::Stored,
            card: card.map(str::to_owned),
            card_brand: card.map(|_| CardBrand::Visa),
            gateway_payment_method_id: gateway.map(str::to_owned),
            holder: None,
            customer_id: None,
            expiry_month: None,
            expiry_year: None,
            cvv_on_file: false,
            created_at: UtcTimestamp::UNIX_EPOCH,
            created_by: "T".into(),
        }
    }

    #[test]
    fn a_method_is_named_by_its_brand_and_masked_number_else_its_gateway_token() {
        assert_eq!(
            method_label(&method(Some("492020******9560"), None)),
            "Visa 492020******9560"
        );
        assert_eq!(
            method_label(&method(None, Some("tok_1"))),
            "Gateway token tok_1"
        );
        assert_eq!(method_label(&method(None, None)), "Payment method");
    }
}
