//! `/flexiti/customers`: `customers/lookup` by FlexitiCard number, account number or customer
//! id, validated live by the core; the sandbox's test accounts as presets.

use flexkit_core::flexiti::sandbox::{LookupResponse, TEST_ACCOUNTS};
use flexkit_core::flexiti::{CustomerLookupQuery, RequestBody};
use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    place, renew_token_on_open, Checks, FlexitiTabs, GeneralProblems, NeedsCredentials, Outcome,
    OutcomeBanner, TextField,
};
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

    let query = Memo::new(move |_| {
        let mut map = serde_json::Map::new();
        let text = value.get().trim().to_owned();
        if !text.is_empty() {
            map.insert(key.get(), text.into());
        }
        CustomerLookupQuery::from_json(&serde_json::Value::Object(map).to_string())
    });
    let problems = Memo::new(move |_| match query.get() {
        Ok(_) => Vec::new(),
        Err(validation) => place(&validation, &[])
            .into_iter()
            .map(|(_, m)| ("value".to_owned(), m))
            .collect(),
    });
    let checks = Checks::new(problems);

    let look_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        checks.reveal();
        let Ok((query, _)) = query.get_untracked() else {
            found.set(None);
            outcome.set(Some(Outcome::Failed(
                "Fix the field marked below.".to_owned(),
            )));
            return;
        };
        let result = store.act(|p, now| p.flexiti_call(now, |s, call| s.lookup(call, &query)));
        match result {
            Some(Ok(response)) => {
                outcome.set(Some(Outcome::Done(format!(
                    "Found {} {}.",
                    response.first_name, response.last_name
                ))));
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
            <p class="lede">"Look a customer up by one of the keys customers/lookup takes. Only accounts in good standing (status N) and activated can buy."</p>
            <NeedsCredentials />
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
            {move || found.get().map(|c| {
                let account = c.account_number;
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
                            <div><dt>"Card ending in"</dt><dd>{c.card_ending_in.clone().unwrap_or_else(|| "—".to_owned())}</dd></div>
                        </dl>
                        <A href=format!("/flexiti/terminal?account={account}")>"Start a purchase for this account"</A>
                    </div>
                }
            })}
            <h2>"TRAINING test accounts"</h2>
            <div class="table-scroll">
                <table class="data fx-table" aria-label="Test accounts">
                    <thead><tr>
                        <th scope="col">"Customer"</th><th scope="col">"What it is for"</th><th scope="col">"Account number"</th>
                        <th scope="col">"FlexitiCard"</th><th scope="col">"Customer ID"</th><th scope="col">"Use"</th>
                    </tr></thead>
                    <tbody>
                        {TEST_ACCOUNTS.iter().map(|a| {
                            let number = a.account_number.to_string();
                            let fill = number.clone();
                            view! {
                                <tr>
                                    <td>{format!("{} {}", a.first_name, a.last_name)}</td>
                                    <td>{a.purpose}</td>
                                    <td><code>{number.clone()}</code></td>
                                    <td><code>{a.vcc_numbers.join(", ")}</code></td>
                                    <td><code>{a.customer_id}</code></td>
                                    <td>
                                        <button
                                            type="button"
                                            aria-label=format!("Fill in {} {}", a.first_name, a.last_name)
                                            on:click=move |_| {
                                                key.set("account_number".to_owned());
                                                value.set(fill.clone());
                                                checks.touch("value");
                                            }
                                        >"Fill in"</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
