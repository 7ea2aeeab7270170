//! `/flexiti/customers`: `customers/lookup` by FlexitiCard number, account number or customer
//! id, and `customers/search` by name, date of birth and postal code (normalised by the core
//! as Flexiti takes it, `M1M 1M1` → `M1M1M1`), both validated live by the core; every account
//! found links to a sale on the terminal. The sandbox's test accounts are presets for both.

use flexkit_core::flexiti::sandbox::{LookupResponse, SearchMatch, TEST_ACCOUNTS};
use flexkit_core::flexiti::{CustomerLookupQuery, CustomerSearchQuery, LookupKey, RequestBody};
use leptos::prelude::*;

use crate::components::fields::focus_first_invalid;
use leptos_router::components::A;
use serde_json::{Map, Value};

use super::{
    hand_card, place, put, renew_token_on_open, typed_account, Checks, FlexitiTabs,
    GeneralProblems, NeedsCredentials, Outcome, OutcomeBanner, TextField,
};
use crate::components::format::page_address;
use crate::store::use_store;

/// The look-up keys, as `customers/lookup` names them, and their labels.
const KEYS: [(&str, &str); 3] = [
    ("account_number", "Account number"),
    ("vcc_number", "FlexitiCard number"),
    ("customer_id", "Customer ID"),
];

fn status_words(letter: &str) -> &'static str {
    match letter {
        "N" => "N — normal, purchases allowed",
        "A" => "A — authorizations prohibited",
        "F" => "F — frozen",
        "Z" => "Z — charged off",
        "C" => "C — closed",
        _ => "unknown",
    }
}

#[component]
pub fn FlexitiCustomersPage() -> impl IntoView {
    let store = use_store();
    renew_token_on_open(store);
    let key = RwSignal::new("account_number".to_owned());
    let value = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let found = RwSignal::new(None::<LookupResponse>);
    // The FlexitiCard the account was looked up by (empty for another key): a business
    // account's authorized user buys with their own card.
    let card = RwSignal::new(String::new());

    let query = Memo::new(move |_| {
        let mut map = serde_json::Map::new();
        let text = value.get().trim().to_owned();
        if !text.is_empty() {
            map.insert(key.get(), text.into());
        }
        CustomerLookupQuery::from_json(&serde_json::Value::Object(map).to_string())
    });
    let problems = Memo::new(move |_| match query.get() {
        // The core takes 1 to 14 digits; an account number has all 14.
        Ok(_) if key.with(|k| k == "account_number") => value
            .with(|v| typed_account(v).err())
            .map(|m| ("value".to_owned(), m))
            .into_iter()
            .collect(),
        Ok(_) => Vec::new(),
        Err(validation) => place(&validation, &[])
            .into_iter()
            .map(|(_, m)| ("value".to_owned(), m))
            .collect(),
    });
    let checks = Checks::new(problems);

    // Search by person.
    let [first, last, dob, postal] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let search_outcome = RwSignal::new(None::<Outcome>);
    let matches = RwSignal::new(Vec::<SearchMatch>::new());
    let search_query = move || {
        let mut map = Map::new();
        put(&mut map, "first_name", &first);
        put(&mut map, "last_name", &last);
        put(&mut map, "dob", &dob);
        put(&mut map, "postal_code", &postal);
        CustomerSearchQuery::from_json_at(&Value::Object(map).to_string(), store.now())
    };
    let search_checks = Checks::new(Memo::new(move |_| match search_query() {
        Ok(_) => Vec::new(),
        Err(validation) => place(
            &validation,
            &["first_name", "last_name", "dob", "postal_code"],
        ),
    }));
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !search_checks.reveal_to_send(&ev, search_outcome) {
            return;
        }
        matches.set(Vec::new());
        let Ok((query, _)) = search_query() else {
            search_outcome.set(Some(Outcome::Failed(
                "Nothing was sent: fix the marked fields; the focus is on the first.".to_owned(),
            )));
            focus_first_invalid(&ev);
            return;
        };
        let result = store.act(|p, now| p.flexiti_call(now, |s, call| s.search(call, &query)));
        search_outcome.set(result.map(|r| match r {
            Ok(found) => {
                let postal = query
                    .postal_code
                    .map(|p| format!(", postal code {}", p.as_str()))
                    .unwrap_or_default();
                let text = format!(
                    "{} for {} {}, born {}{postal}.",
                    crate::components::format::count(found.len() as u32, "account", "accounts"),
                    query.first_name,
                    query.last_name,
                    query.dob
                );
                matches.set(found);
                Outcome::Done(text)
            }
            Err(error) => Outcome::from_error(&error),
        }));
    };
    // The postal code as it is sent.
    let postal_sent = move || {
        search_query()
            .ok()
            .and_then(|(q, _)| q.postal_code)
            .map(|p| format!("Sent as {}.", p.as_str()))
    };

    let look_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checks.reveal_to_send(&ev, outcome) {
            return;
        }
        let (Ok((query, _)), false) = (query.get_untracked(), checks.has_errors()) else {
            found.set(None);
            outcome.set(Some(Outcome::Failed(
                "Fix the marked field; the focus is on it.".to_owned(),
            )));
            focus_first_invalid(&ev);
            return;
        };
        let result = store.act(|p, now| p.flexiti_call(now, |s, call| s.lookup(call, &query)));
        match result {
            Some(Ok(response)) => {
                outcome.set(Some(Outcome::Done(format!(
                    "Found {} {}.",
                    response.first_name, response.last_name
                ))));
                card.set(match &query.key {
                    LookupKey::VccNumber(vcc) => vcc.as_str().to_owned(),
                    _ => String::new(),
                });
                found.set(Some(response));
            }
            Some(Err(error)) => {
                found.set(None);
                outcome.set(Some(Outcome::from_error(&error)));
            }
            None => {}
        }
    };

    view! {
        <section class="page page-wide">
            <h1>"Flexiti customers"</h1>
            <FlexitiTabs />
            <p class="lede">"Find a customer by name, date of birth and postal code (customers/search), or look one up by one of the keys customers/lookup takes. Only accounts in good standing (status N) and activated can buy."</p>
            <NeedsCredentials />
            <div class="fx-columns">
            <form class="fx-card" aria-labelledby="fx-search-title" on:submit=search novalidate>
                <h2 id="fx-search-title">"Customer search"</h2>
                <div class="fx-row">
                    <TextField form="fx-search" key="first_name" label="First name" value=first checks=search_checks />
                    <TextField form="fx-search" key="last_name" label="Last name" value=last checks=search_checks />
                </div>
                <div class="fx-row">
                    <TextField form="fx-search" key="dob" label="Date of birth" kind="date" value=dob checks=search_checks />
                    <TextField form="fx-search" key="postal_code" label="Postal code (optional)" value=postal checks=search_checks placeholder="M1M 1M1" />
                </div>
                <p class="fx-hint" role="status">{postal_sent}</p>
                <GeneralProblems checks=search_checks />
                <div class="actions"><button type="submit">"Search"</button></div>
                <OutcomeBanner outcome=search_outcome testid="search-outcome" />
            </form>
            <form class="fx-card" aria-labelledby="fx-lookup-title" on:submit=look_up novalidate>
                <h2 id="fx-lookup-title">"Customer look-up"</h2>
                <fieldset class="fx-choice">
                    <legend>"Look up by"</legend>
                    {KEYS.map(|(k, label)| view! {
                        <label>
                            <input
                                type="radio"
                                name="fx-lookup-key"
                                value=k
                                prop:checked=move || key.get() == k
                                on:change=move |_| key.set(k.to_owned())
                            />
                            {label}
                        </label>
                    }).collect_view()}
                </fieldset>
                <TextField form="fx-lookup" key="value" label="Account, card or customer number" value=value checks=checks hint="Account number: 14 digits. FlexitiCard: 16 digits. Customer ID: digits, or master-user for a business card holder (1234567-12345)." />
                <GeneralProblems checks=checks />
                <div class="actions"><button type="submit">"Look up"</button></div>
                <OutcomeBanner outcome=outcome testid="lookup-outcome" />
            </form>
            </div>
            {move || (!matches.with(Vec::is_empty)).then(|| view! {
                <div class="table-scroll">
                    <table class="data fx-table" aria-label="Accounts found">
                        <thead><tr>
                            <th scope="col">"Customer"</th><th scope="col">"Account"</th><th scope="col">"Status"</th>
                            <th scope="col">"Available"</th><th scope="col">"Sale"</th>
                        </tr></thead>
                        <tbody>
                            {matches.get().into_iter().map(|m| {
                                let name = format!("{} {}", m.first_name, m.last_name);
                                view! {
                                    <tr>
                                        <td>{name.clone()}</td>
                                        <td><code>{m.account_number.to_string()}</code></td>
                                        <td>{status_words(m.account_status.letter())}</td>
                                        <td class="num">{m.available_credit.to_string()}</td>
                                        <td><A href=format!("/flexiti/terminal?account={}", m.account_number) attr:aria-label=format!("Start a purchase for {name}, account {}", m.account_number)>"Start a purchase"</A></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {move || found.get().map(|c| {
                let card = card.get();
                let account = c.account_number.to_string();
                let mut ending = c.card_ending_in.clone().unwrap_or_else(|| "—".to_owned());
                // An authorized user found by customer id: the answer names the card by its
                // last digits only, so the terminal needs the card typed in.
                if card.is_empty() && c.customer_id.contains('-') {
                    ending.push_str(" (an authorized user buys with their own FlexitiCard: enter it in the terminal, or look the customer up by card)");
                }
                view! {
                    <div class="fx-card" data-testid="customer">
                        <h2>{format!("{} {}", c.first_name, c.last_name)}</h2>
                        <dl class="facts">
                            <div><dt>"Account number"</dt><dd><code>{c.account_number.to_string()}</code></dd></div>
                            <div><dt>"Customer ID"</dt><dd><code>{c.customer_id.clone()}</code></dd></div>
                            <div><dt>"Status"</dt><dd>{status_words(c.account_status.letter())}</dd></div>
                            <div><dt>"Account type"</dt><dd>{c.account_type.clone()}</dd></div>
                            <div><dt>"Credit limit"</dt><dd>{c.credit_limit.to_string()}</dd></div>
                            <div><dt>"Available credit"</dt><dd data-testid="available-credit">{c.available_credit.to_string()}</dd></div>
                            <div><dt>"Card ending in"</dt><dd>{ending}</dd></div>
                        </dl>
                        <a href=page_address("/flexiti/terminal", [("account", account.as_str())]) on:click=move |ev| if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) { hand_card(&account, &card) }>"Start a purchase for this account"</a>
                    </div>
                }
            })}
            <h2>"TRAINING test accounts"</h2>
            <div class="table-scroll">
                <table class="data fx-table" aria-label="Test accounts">
                    <thead><tr>
                        <th scope="col">"Customer"</th><th scope="col">"What it is for"</th><th scope="col">"Account number"</th>
                        <th scope="col">"FlexitiCard"</th><th scope="col">"Customer ID"</th>
                        <th scope="col">"Date of birth"</th><th scope="col">"Postal code"</th><th scope="col">"Use"</th>
                    </tr></thead>
                    <tbody>
                        {TEST_ACCOUNTS.iter().map(|a| {
                            let number = a.account_number.to_string();
                            let fill = number.clone();
                            // A row per card with its holder's customer ID; the account's cells
                            // span the rows of its cards (the business account has two).
                            let span = a.vcc_numbers.len();
                            let mut cards = a.card_holders().map(|(vcc, id)| view! { <td><code>{vcc}</code></td><td><code>{id}</code></td> });
                            let first_card = cards.next();
                            view! {
                                <tr>
                                    <td rowspan=span>{format!("{} {}", a.first_name, a.last_name)}</td>
                                    <td rowspan=span>{a.purpose}</td>
                                    <td rowspan=span><code>{number.clone()}</code></td>
                                    {first_card}
                                    <td class="fx-nowrap" rowspan=span>{a.dob}</td>
                                    <td rowspan=span><code>{a.postal_code}</code></td>
                                    <td rowspan=span>
                                        <button
                                            type="button"
                                            aria-label=format!("Fill in {} {}", a.first_name, a.last_name)
                                            on:click=move |_| {
                                                key.set("account_number".to_owned());
                                                value.set(fill.clone());
                                                checks.touch("value");
                                                first.set(a.first_name.to_owned());
                                                last.set(a.last_name.to_owned());
                                                dob.set(a.dob.to_owned());
                                                postal.set(a.postal_code.to_owned());
                                                // What was said of the fields before is not said of these.
                                                outcome.set(None);
                                                search_outcome.set(None);
                                            }
                                        >"Fill in"</button>
                                    </td>
                                </tr>
                                {cards.map(|card| view! { <tr>{card}</tr> }).collect_view()}
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
