//! `/flexiti/refund`: money back to a Flexiti account (`POST accounts/{account_number}/refund`),
//! optionally against one of its captures — the route for regular purchases and for captures
//! past the 100-day return window. What the account owes and what remains of the capture are
//! read from the sandbox and checked live with the core's refund rule, so an amount above
//! them is marked before sending (`refunds_limit_exceeded_amount`). `?account=N&capture=C`
//! pre-fill the form (the terminal links here).

use flexkit_core::flexiti::rules;
use flexkit_core::flexiti::{ApiError, CaptureListQuery, Page, RefundBody, RequestBody};
use leptos::prelude::*;

use crate::components::fields::focus_first_invalid;
use leptos_router::hooks::use_query_map;
use serde_json::{Map, Value};

use super::{
    field_of, field_or_general, place, put, renew_token_on_open, sync_address, typed_account,
    with_server, word_amount, Checks, FlexitiTabs, GeneralProblems, NeedsCredentials, Outcome,
    OutcomeBanner, ProblemsAt, StorePreset, TextField,
};
use crate::state::FlexitiError;
use crate::store::use_store;

const FIELDS: [&str; 7] = [
    "account_number",
    "capture_id",
    "amount",
    "reference",
    "vcc_number",
    "external_location_id",
    "external_employee_id",
];

#[component]
pub fn FlexitiRefundPage() -> impl IntoView {
    let store = use_store();
    renew_token_on_open(store);
    let query = use_query_map();
    let from_query = |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let account = RwSignal::new(from_query("account"));
    let capture = RwSignal::new(from_query("capture"));
    let [amount, reference, vcc, location, employee] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let outcome = RwSignal::new(None::<Outcome>);
    let server = RwSignal::new(None::<(String, (String, String))>);

    // What the form holds is what is sent, and the address says it: another account drops a
    // capture chosen for the one before (from the terminal's link, say) — unless a capture
    // came with it, from an address —, and both are written to the address as they change.
    Effect::new(move |before: Option<(String, String)>| {
        let now = (account.get(), capture.get());
        if before.is_some_and(|(a, c)| a != now.0 && c == now.1 && !c.is_empty()) {
            capture.set(String::new());
        }
        now
    });
    sync_address(
        "/flexiti/refund",
        vec![("account", account), ("capture", capture)],
    );
    let number = move || account.with(|a| typed_account(a));
    let capture_id = move || capture.with(|c| c.parse::<u32>().ok());
    // The account's captures, to refund against one.
    let captures = Memo::new(move |_| {
        let Ok(number) = number() else {
            return Vec::new();
        };
        let query = CaptureListQuery {
            account_number: Some(number),
            page: Page {
                page_number: Some(1),
                page_size: Some(100),
            },
            ..CaptureListQuery::default()
        };
        let now = store.now();
        store
            .portal
            .with(|p| p.flexiti_read(now, |s, call| s.captures(call, &query)))
            .and_then(Result::ok)
            .map(|page| page.items)
            .unwrap_or_default()
    });
    // What a refund may give back, read with the current token.
    let read_facts = move |capture: Option<u32>| {
        let number = number().ok()?;
        let now = store.now();
        store
            .portal
            .with(|p| p.flexiti_read(now, |s, call| s.refund_facts(call, number, capture)))
    };
    let facts = move || read_facts(capture_id());
    // The field an answer is about: a capture not found on an account that is found is the
    // capture's fault, not the account's.
    let field_for = move |error: &ApiError| {
        let field = field_of(error);
        if field == "account_number"
            && capture_id().is_some()
            && matches!(read_facts(None), Some(Ok(_)))
        {
            "capture_id"
        } else {
            field
        }
    };
    let json = move || {
        let mut map = Map::new();
        put(&mut map, "amount", &amount);
        put(&mut map, "reference", &reference);
        put(&mut map, "vcc_number", &vcc);
        put(&mut map, "external_location_id", &location);
        put(&mut map, "external_employee_id", &employee);
        // As chosen or as the address gave it: the core refuses one that is not a capture id
        // at its field, and then nothing is sent.
        put(&mut map, "capture_id", &capture);
        // The account is in the path, not the body; it is part of what was sent.
        (account.get(), Value::Object(map).to_string())
    };
    let problems = Memo::new(move |_| {
        let (account_text, text) = json();
        let parsed = RefundBody::from_json(&text);
        let mut out = match &parsed {
            Err(validation) => word_amount(place(validation, &FIELDS), &amount),
            Ok(_) => Vec::new(),
        };
        match (number(), facts(), &parsed) {
            (Err(error), _, _) => out.push(("account_number".to_owned(), error)),
            (_, Some(Err(error)), _) => out.push((
                field_for(&error).to_owned(),
                format!("{}: {}", error.code(), error.message),
            )),
            (_, Some(Ok(facts)), Ok((body, _))) => out.extend(
                rules::check_refund(body, &facts)
                    .into_iter()
                    .map(|v| (field_or_general(v.path, &FIELDS), v.message)),
            ),
            _ => {}
        }
        with_server(out, &format!("{account_text} {text}"), server)
    });
    let checks = Checks::new(problems);
    // Fields filled from the address show their problems at once, as if typed.
    for (field, value) in [("account_number", account), ("capture_id", capture)] {
        if value.with_untracked(|v| !v.is_empty()) {
            checks.touch(field);
        }
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checks.reveal_to_send(&ev, outcome) {
            return;
        }
        let (account_text, text) = json();
        let (Ok(number), Ok((body, _))) = (number(), RefundBody::from_json(&text)) else {
            outcome.set(Some(Outcome::Failed(
                "Nothing was sent: fix the marked fields; the focus is on the first.".to_owned(),
            )));
            focus_first_invalid(&ev);
            return;
        };
        let result =
            store.act(|p, now| p.flexiti_call(now, |s, call| s.refund(call, number, &body)));
        match result {
            Some(Ok(_)) => {
                server.set(None);
                amount.set(String::new());
                checks.reset();
                let against = body
                    .capture_id
                    .map(|c| format!(" against capture {c}"))
                    .unwrap_or_default();
                outcome.set(Some(Outcome::Done(format!(
                    "Refunded {} to account {number}{against}; the sandbox answered {{}}.",
                    body.amount
                ))));
            }
            Some(Err(error)) => {
                // Shown once: at its field when it is about one, the banner only naming it.
                let placed = match &error {
                    FlexitiError::Api(api) => Some((
                        field_for(api).to_owned(),
                        format!("{}: {}", api.code(), api.message),
                    ))
                    .filter(|(field, _)| FIELDS.contains(&field.as_str())),
                    _ => None,
                };
                outcome.set(Some(match (&placed, &error) {
                    (Some(_), FlexitiError::Api(api)) => Outcome::Failed(format!(
                        "Not refunded: {} {}, marked at the field above.",
                        api.status,
                        api.code()
                    )),
                    _ => Outcome::from_error(&error),
                }));
                if let Some(problem) = placed {
                    server.set(Some((format!("{account_text} {text}"), problem)));
                }
            }
            None => {}
        }
    };

    view! {
        <section class="page page-wide">
            <h1>"Flexiti refund"</h1>
            <FlexitiTabs />
            <p class="lede">"Money back to a Flexiti account: for regular purchases, and for captures past the 100-day return window. A refund gives back at most what the account owes and, against a capture, what remains of it after returns and refunds."</p>
            <NeedsCredentials />
            <div class="fx-columns">
                <form class="fx-card" aria-labelledby="fx-refund-title" on:submit=submit novalidate>
                    <h2 id="fx-refund-title">"Refund to an account"</h2>
                    <TextField form="fx-refund" key="account_number" label="Account number" value=account checks=checks numeric=true />
                    <div class="fx-field">
                        <label for="fx-refund-capture_id">"Against capture (optional)"</label>
                        <select id="fx-refund-capture_id" aria-describedby="fx-refund-capture_id-problems"
                            aria-invalid=move || if checks.at("capture_id").is_empty() { "false" } else { "true" }
                            on:change=move |ev| { capture.set(event_target_value(&ev)); checks.touch("capture_id"); }>
                            <option value="" selected=move || capture.with(String::is_empty)>"No capture: refund to the account"</option>
                            {move || captures.get().into_iter().map(|c| {
                                let id = c.capture_id.to_string();
                                let value = id.clone();
                                view! { <option value=id.clone() selected=move || capture.get() == value>{format!("{id} — {} remaining of {}", c.remaining_capture_amount, c.amount)}</option> }
                            }).collect_view()}
                            // A capture the account does not list (from a link) is still what is
                            // sent, so it is shown as chosen.
                            {move || {
                                let id = capture.get();
                                (!id.is_empty() && !captures.with(|cs| cs.iter().any(|c| c.capture_id.to_string() == id)))
                                    .then(|| view! { <option value=id.clone() selected=true>{format!("{id} — not listed for this account")}</option> })
                            }}
                        </select>
                        <ProblemsAt checks=checks form="fx-refund" key="capture_id" />
                    </div>
                    <TextField form="fx-refund" key="amount" label="Refund amount (CAD)" value=amount checks=checks numeric=true placeholder="0.00" />
                    <TextField form="fx-refund" key="reference" label="Refund reference (optional)" value=reference checks=checks />
                    <TextField form="fx-refund" key="vcc_number" label="FlexitiCard number (optional)" value=vcc checks=checks numeric=true hint="Only for a business account's authorized user." />
                    <div class="fx-row">
                        <TextField form="fx-refund" key="external_location_id" label="Store ID (in store)" value=location checks=checks />
                        <TextField form="fx-refund" key="external_employee_id" label="Employee ID (in store)" value=employee checks=checks />
                        <StorePreset location=location employee=employee checks=checks />
                    </div>
                    <GeneralProblems checks=checks />
                    <div class="actions"><button type="submit">"Refund"</button></div>
                    <OutcomeBanner outcome=outcome testid="refund-outcome" />
                </form>
                <div class="fx-card" role="region" aria-labelledby="fx-refundable-title">
                    <h2 id="fx-refundable-title">"What can be refunded"</h2>
                    {move || match facts() {
                        None => view! { <p class="muted">"Enter the account number (with credentials saved on the overview) to see what it owes."</p> }.into_any(),
                        Some(Err(_)) => view! { <p class="muted">"Nothing to show: see the problem marked in the form."</p> }.into_any(),
                        Some(Ok(f)) => view! {
                            <dl class="facts">
                                <div><dt>"Owed on the account"</dt><dd data-testid="refund-owed">{f.balance.to_string()}</dd></div>
                                <div><dt>"Remaining of the capture"</dt><dd data-testid="refund-capture-remaining">{f.capture_remaining.map_or_else(|| "— (no capture chosen)".to_owned(), |m| m.to_string())}</dd></div>
                            </dl>
                        }.into_any(),
                    }}
                    <p class="muted">"More than either is refused with refunds_limit_exceeded_amount; what was refunded can no longer be returned."</p>
                </div>
            </div>
        </section>
    }
}
