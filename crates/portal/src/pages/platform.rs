//! Platform configuration (the FlexPay client portal's Account settings → Platform
//! configurations): the recovery engine's minimum amounts, the account currencies shown in
//! the dashboard and reports, and gateway routing stickiness, for the environment chosen in
//! the header and every company. Each part is edited, then saved; the core judges it
//! (`PlatformConfig::problems`) and keeps it in the sandbox snapshot, so it is saved with the
//! rest of the document. FlexPay publishes only these names: what each does is flexkit's
//! choice, said on the page.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::sandbox::{GatewayRouting, PlatformConfig, RecoveryMinimum};
use flexkit_core::money::{Currency, Money};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::fields::{
    focus_after_render, focus_element, status_slot, FieldChecks, FieldProblem, TextField,
};
use crate::components::layout::mode_label;
use crate::store::{use_store, Store};

const ROUTINGS: [(GatewayRouting, &str); 3] = [
    (
        GatewayRouting::NoRouting,
        "Every attempt is routed by the gateways' Distribution; a retry by FlexPay Retries goes to the previous attempt's gateway. The default.",
    ),
    (
        GatewayRouting::RoutingEnabled,
        "A retry goes to an Available gateway other than the previous attempt's that takes its currency, when there is one (a cascade).",
    ),
    (
        GatewayRouting::OriginalGatewayRouting,
        "A retry goes to the gateway of the payment's first attempt while it is Available and takes the currency, else it is routed normally.",
    ),
];

/// Saves `change` applied to the configuration of `mode`; the outcome for a status line.
fn save(
    store: Store,
    mode: Environment,
    change: impl FnOnce(&mut PlatformConfig),
) -> Result<(), String> {
    store
        .act(move |p, _| {
            let mut config = p.sandbox.platform_config(mode).clone();
            change(&mut config);
            p.sandbox.set_platform_config(mode, config)
        })
        .unwrap_or(Ok(()))
        .map_err(|e| e.message)
}

/// "Only USD and EUR are shown…" on the pages that hide currencies, with a link here.
pub fn hidden_currencies_note() -> impl IntoView {
    let store = use_store();
    move || {
        let shown = shown_currencies(store, None);
        (!shown.is_empty()).then(|| {
            view! {
                <p class="banner banner-info hidden-currencies">
                    {format!("Only {shown} shown: other currencies are hidden by the ")}
                    <A href="/platform">"Platform configuration"</A>
                    " (their payments are still processed and listed under Transactions)."
                </p>
            }
        })
    }
}

#[component]
pub fn PlatformPage() -> impl IntoView {
    let store = use_store();
    let mode = Memo::new(move |_| store.portal.with(|p| p.settings.mode));
    view! {
        <section class="page page-wide platform">
            <h1 id="platform-h" tabindex="-1">"Platform configuration"</h1>
            <p class="lede">
                {move || format!("Settings of the {} environment for every company of the account; the other environment keeps its own (switch in the header). ", mode_label(mode.get()))}
                "FlexPay documents only the names of these settings: what each does here is flexkit's choice, described under each."
            </p>
            // Rebuilt with the saved values when the environment changes.
            {move || {
                let mode = mode.get();
                view! { <Minimums mode /> <Currencies mode /> <Routing mode /> }
            }}
        </section>
    }
}

/// A refused save's status line: the problems are at the fields.
fn not_saved() -> Option<(bool, String)> {
    Some((
        false,
        "Not saved: correct the fields marked above.".to_owned(),
    ))
}

/// The outcome of a save for a form's [`status_slot`].
fn outcome(result: Result<(), String>, saved: impl FnOnce() -> String) -> Option<(bool, String)> {
    Some(match result {
        Ok(()) => (true, saved()),
        Err(message) => (false, message),
    })
}

/// The row of the recovery engine's form, or the problems at its fields (`currency`,
/// `initial`, `rebill`), worded with their labels.
fn parse_minimum(
    currency: &str,
    initial: &str,
    rebill: &str,
) -> Result<RecoveryMinimum, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    // Gold, XTS, XXX and the other codes without a minor unit take no payment, so no
    // minimum either.
    let found = match Currency::for_payment(currency.trim()) {
        Ok(c) => Some(c),
        Err(message) => {
            problems.push(FieldProblem::error(
                "currency",
                flexkit_core::validation::code::UNKNOWN_CURRENCY,
                format!("Currency: {}.", message.trim_end_matches('.')),
            ));
            None
        }
    };
    let fields = [
        ("initial", "Minimum for initial sales", initial),
        ("rebill", "Minimum for rebills", rebill),
    ];
    let mut amounts = [0i64; 2];
    for (slot, (key, label, text)) in amounts.iter_mut().zip(fields) {
        let text = text.trim();
        let Some(currency) = found.filter(|_| !text.is_empty()) else {
            continue;
        };
        match Money::parse(text, currency) {
            Ok(m) => *slot = m.minor_units(),
            Err(e) => problems.push(FieldProblem::error(key, e.code(), format!("{label}: {e}."))),
        }
    }
    let row = RecoveryMinimum {
        currency: found.unwrap_or(Currency::USD),
        initial_sale: amounts[0],
        rebill: amounts[1],
    };
    let config = PlatformConfig {
        recovery_minimums: vec![row],
        ..PlatformConfig::default()
    };
    for p in config.problems().errors() {
        let (key, label, _) = fields[usize::from(p.path.ends_with("rebill"))];
        problems.push(FieldProblem::error(
            key,
            p.code,
            format!("{label}: {}.", p.message),
        ));
    }
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}

/// The shown currencies typed as `USD, EUR` (in any letter case: a setting of the portal's,
/// not a field of an API request), or the problems of the field `list`.
fn parse_currencies(text: &str) -> Result<Vec<Currency>, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut list = Vec::new();
    for code in text.split([',', ' ']).filter(|c| !c.is_empty()) {
        match Currency::from_code(&code.to_ascii_uppercase()) {
            Ok(c) => list.push(c),
            Err(e) => problems.push(FieldProblem::error(
                "list",
                e.code(),
                format!("Shown currencies: {e}."),
            )),
        }
    }
    let config = PlatformConfig {
        account_currencies: list,
        ..PlatformConfig::default()
    };
    for p in config.problems().errors() {
        problems.push(FieldProblem::error(
            "list",
            p.code,
            format!("Shown currencies: {}.", p.message),
        ));
    }
    if problems.is_empty() {
        Ok(config.account_currencies)
    } else {
        Err(problems)
    }
}

/// The recovery engine: per currency, the least amount of an initial sale and of a rebill
/// that FlexPay recovers.
#[component]
fn Minimums(mode: Environment) -> impl IntoView {
    let store = use_store();
    let editing = RwSignal::new(false);
    let status = RwSignal::new(None::<(bool, String)>);
    let currency = RwSignal::new("USD".to_owned());
    let initial = RwSignal::new(String::new());
    let rebill = RwSignal::new(String::new());
    let parsed =
        move || currency.with(|c| initial.with(|i| rebill.with(|r| parse_minimum(c, i, r))));
    let checks = FieldChecks::new(
        "minimum",
        Signal::derive(move || parsed().err().unwrap_or_default()),
    );
    // Closes the editor, the focus back on the button that opened it.
    let close = move || {
        editing.set(false);
        checks.reset();
        focus_after_render("minimum-edit");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        checks.reveal_all();
        let row = match parsed() {
            Ok(row) => row,
            Err(problems) => {
                // Only this outcome: an earlier save's line would read as this one's.
                status.set(not_saved());
                if let Some(first) = problems.first() {
                    focus_element(&checks.id(&first.field));
                }
                return;
            }
        };
        let result = save(store, mode, move |config| {
            let list = &mut config.recovery_minimums;
            list.retain(|m| m.currency != row.currency);
            if row.initial_sale > 0 || row.rebill > 0 {
                list.push(row);
            }
        });
        if result.is_ok() {
            close();
        }
        status.set(outcome(result, || {
            format!("Saved the recovery minimums of {}.", row.currency)
        }));
    };
    // The editor shows what is saved: the minimums of the currency last edited, else of the
    // first currency that has some.
    let open = move |_| {
        let saved = store.portal.with_untracked(|p| {
            let list = &p.sandbox.platform_config(mode).recovery_minimums;
            currency
                .with_untracked(|c| list.iter().find(|m| m.currency.code() == c.trim()))
                .or(list.first())
                .copied()
        });
        if let Some(m) = saved {
            let amount = |a| Money::new(a, m.currency).format();
            currency.set(m.currency.code().to_owned());
            initial.set(amount(m.initial_sale));
            rebill.set(amount(m.rebill));
        } else {
            initial.set(String::new());
            rebill.set(String::new());
        }
        status.set(None);
        editing.set(true);
        request_animation_frame(move || focus_element(&checks.id("currency")));
    };
    view! {
        <section class="panel" aria-labelledby="minimums-h">
            <h2 id="minimums-h">"Recovery engine"</h2>
            <p class="lede">
                "The least amount FlexPay recovers, per currency, for initial sales and for rebills (a payment whose paymentPlan.billingCycle is 2 or more). "
                "A soft decline below it keeps its code but gets no retry date, so it is not retried, also not by FlexPay Retries. "
                "The most retries and the recovery window are set per company on the "
                <A href="/companies">"Companies"</A>" page."
            </p>
            {move || {
                let rows = store.portal.with(|p| {
                    p.sandbox
                        .platform_config(mode)
                        .recovery_minimums
                        .iter()
                        .map(|m| {
                            let shown = |a| Money::new(a, m.currency).to_string();
                            view! { <tr><th scope="row">{m.currency.code()}</th><td class="num">{shown(m.initial_sale)}</td><td class="num">{shown(m.rebill)}</td></tr> }
                        })
                        .collect_view()
                });
                if rows.is_empty() {
                    view! { <p class="empty">"No minimums: a soft decline is retried whatever its amount."</p> }.into_any()
                } else {
                    view! {
                        <table class="data" aria-label="Recovery minimums">
                            <thead><tr><th scope="col">"Currency"</th><th scope="col" class="num">"Initial sales"</th><th scope="col" class="num">"Rebills"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }.into_any()
                }
            }}
            {move || if editing.get() {
                view! {
                    <form novalidate on:submit=submit aria-labelledby="minimums-h">
                        <div class="form-grid">
                            <TextField checks key="currency" label="Currency" value=currency required=true
                                hint="ISO 4217 code, e.g. USD." />
                            <TextField checks key="initial" label="Minimum for initial sales" value=initial inputmode="decimal"
                                hint="In the currency's units, e.g. 25.00; empty or 0: none." />
                            <TextField checks key="rebill" label="Minimum for rebills" value=rebill inputmode="decimal"
                                hint="Both 0 removes the currency's minimums." />
                        </div>
                        <div class="actions">
                            <button type="submit">"Save config"</button>
                            // What the closed form said goes with it: "Not saved" would
                            // point at fields no longer shown.
                            <button type="button" class="secondary" on:click=move |_| { status.set(None); close() }>"Cancel"</button>
                        </div>
                    </form>
                }.into_any()
            } else {
                view! {
                    <div class="actions">
                        <button type="button" id="minimum-edit" on:click=open>"Edit recovery config"</button>
                    </div>
                }.into_any()
            }}
            {status_slot(status)}
        </section>
    }
}

/// The shown currencies of `mode`, `USD, EUR`; empty when all are.
fn shown_currencies(store: Store, mode: Option<Environment>) -> String {
    store.portal.with(|p| {
        let codes: Vec<&str> = p
            .sandbox
            .platform_config(mode.unwrap_or(p.settings.mode))
            .account_currencies
            .iter()
            .map(|c| c.code())
            .collect();
        codes.join(", ")
    })
}

/// The account currencies: those the dashboard and reports show.
#[component]
fn Currencies(mode: Environment) -> impl IntoView {
    let store = use_store();
    let text = RwSignal::new(shown_currencies(store, Some(mode)));
    let status = RwSignal::new(None::<(bool, String)>);
    let checks = FieldChecks::new(
        "currencies",
        Signal::derive(move || text.with(|t| parse_currencies(t).err().unwrap_or_default())),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        checks.reveal_all();
        let Ok(list) = text.with_untracked(|t| parse_currencies(t)) else {
            status.set(not_saved());
            focus_element(&checks.id("list"));
            return;
        };
        let result = save(store, mode, move |config| config.account_currencies = list);
        if result.is_ok() {
            // As saved: `usd eur` reads `USD, EUR`.
            text.set(shown_currencies(store, Some(mode)));
        }
        checks.reset();
        status.set(outcome(result, || {
            match shown_currencies(store, Some(mode)) {
                all if all.is_empty() => "Saved: every currency is shown.".to_owned(),
                shown => format!("Saved: the dashboard and reports show {shown} only."),
            }
        }));
    };
    view! {
        <section class="panel" aria-labelledby="currencies-h">
            <h2 id="currencies-h">"Account currencies"</h2>
            <p class="lede">
                "The currencies the Dashboard and Reports show; the others are hidden there. "
                "Hiding a currency does not change gateway processing: its payments are still routed, answered, recovered and listed under Transactions."
            </p>
            <form novalidate on:submit=submit aria-labelledby="currencies-h">
                <div class="form-grid">
                    <TextField checks key="list" label="Shown currencies" value=text
                        hint="ISO 4217 codes separated by commas, e.g. USD, EUR; empty: all." />
                </div>
                <div class="actions"><button type="submit">"Save currencies"</button></div>
            </form>
            {status_slot(status)}
        </section>
    }
}

/// Gateway routing stickiness of retries.
#[component]
fn Routing(mode: Environment) -> impl IntoView {
    let store = use_store();
    // The chosen option's label (a text signal, as the other forms use).
    let chosen = RwSignal::new(
        store
            .portal
            .with_untracked(|p| p.sandbox.platform_config(mode).gateway_routing.label())
            .to_owned(),
    );
    let status = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let label = chosen.get_untracked();
        let routing = ROUTINGS
            .iter()
            .map(|&(r, _)| r)
            .find(|r| r.label() == label)
            .unwrap_or_default();
        let result = save(store, mode, move |config| config.gateway_routing = routing);
        status.set(outcome(result, || format!("Saved: {label}.")));
    };
    view! {
        <section class="panel" aria-labelledby="routing-h">
            <h2 id="routing-h">"Gateway routing stickiness"</h2>
            <p class="lede">"Where a retry sent without a gatewayToken goes (a gatewayToken always wins). Off by default."</p>
            <form novalidate on:submit=submit aria-labelledby="routing-h">
                <fieldset class="fx-choice">
                    <legend>"Routing of retries"</legend>
                    {ROUTINGS.iter().map(|&(routing, about)| {
                        let label = routing.label();
                        view! {
                            <label>
                                <input type="radio" name="routing" prop:checked=move || chosen.with(|c| c == label)
                                    on:change=move |_| chosen.set(label.to_owned()) />
                                <span><strong>{label}</strong>": "{about}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="actions"><button type="submit">"Save routing"</button></div>
            </form>
            {status_slot(status)}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(problems: Vec<FieldProblem>) -> Vec<(String, &'static str, String)> {
        problems
            .into_iter()
            .map(|p| (p.field, p.code, p.message))
            .collect()
    }

    #[test]
    fn a_minimum_is_read_in_major_units_and_its_problems_name_their_field() {
        let row = parse_minimum(" EUR ", "25", "").unwrap();
        assert_eq!(
            (row.currency.code(), row.initial_sale, row.rebill),
            ("EUR", 2500, 0)
        );
        let problems = fields(parse_minimum("USD", "-1", "2.345").unwrap_err());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, "rebill");
        assert!(
            problems[0].2.starts_with("Minimum for rebills: "),
            "{problems:?}"
        );
        assert_eq!(
            (problems[1].0.as_str(), problems[1].1),
            ("initial", "invalid_recovery_minimum")
        );
        assert!(problems[1]
            .2
            .starts_with("Minimum for initial sales: -1.00 USD is not a minimum"));
        let unknown = fields(parse_minimum("usd", "1", "1").unwrap_err());
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].0, "currency");
        assert!(unknown[0].2.starts_with("Currency: "));
    }

    #[test]
    fn shown_currencies_are_codes_each_once() {
        let list = parse_currencies("USD, EUR").unwrap();
        assert_eq!(list, [Currency::USD, Currency::from_code("EUR").unwrap()]);
        assert!(parse_currencies("").unwrap().is_empty());
        // Typed in lower case, read as the codes.
        assert_eq!(parse_currencies("usd,Eur").unwrap(), list);
        let problems = fields(parse_currencies("USD,XXY, USD").unwrap_err());
        let codes: Vec<&str> = problems.iter().map(|p| p.1).collect();
        assert_eq!(codes.len(), 2, "{problems:?}");
        assert_eq!(codes[1], "duplicate_currency");
        assert!(problems
            .iter()
            .all(|p| p.0 == "list" && p.2.starts_with("Shown currencies: ")));
    }
}
