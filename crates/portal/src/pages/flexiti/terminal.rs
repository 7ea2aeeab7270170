//! `/flexiti/terminal`: the point of sale, in the order of the in-store flow. The customer's
//! account and amount are quoted (`calculate-interest`), the customer is verified (`verify`,
//! with a fresh `request_id`), and the purchase (promotional with plan and term, or regular)
//! is authorized with that request id and the PIN; the authorization is then captured,
//! released, and its captures returned in full or in part (or refunded, on the refund page).
//! Every field is checked live by the core's request validation and business rules; the
//! sandbox's answer (and its documented error) is shown after each action.
//! `?authorization=ID` keeps the current authorization across reloads (an address whose id is
//! not one says so); `?account=N` pre-fills the account, and a look-up by card hands the
//! FlexitiCard of a business account's authorized user over in memory (`hand_card`), never
//! in the address.

use flexkit_core::flexiti::history::AuthorizationDetailQuery;
use flexkit_core::flexiti::rules::{self, AccountFacts, AuthorizationFacts, CaptureFacts};
use flexkit_core::flexiti::sandbox::{
    AuthorizationDetail, CaptureDetail, RequestVerification, ENVIRONMENT, TEST_PIN, TEST_PLANS,
};
use flexkit_core::flexiti::{
    AccountNumber, AuthorizationBody, AuthorizationId, AuthorizationStatus, CaptureBody, CaptureId,
    CaptureListQuery, CustomerLookupQuery, LookupKey, Page, PurchaseType, ReleaseBody, RequestBody,
    ReturnBody,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::{json, Map, Value};

use super::steps::{QuoteForm, Sale, VerifyForm, CUSTOMER_FIELDS};
use super::{
    field_of, field_or_general, fresh_request_id, place, put, renew_token_on_open, server_problem,
    take_card, typed_account, with_server, word_amount, Checks, FlexitiTabs, GeneralProblems,
    NeedsCredentials, Outcome, OutcomeBanner, ProblemsAt, StorePreset, TextField,
};
use crate::components::fields::{
    focus_after_render, focus_first_invalid, focus_found_after_render,
};
use crate::components::format::instant;
use crate::store::use_store;

const PURCHASE_FIELDS: [&str; 10] = [
    "account_number",
    "vcc_number",
    "financing_option.plan_id",
    "financing_option.term",
    "amount",
    "reference",
    "verification_code",
    "request_id",
    "external_location_id",
    "external_employee_id",
];

/// Where the purchase's request id stands for the account in the form, as the sandbox's
/// records say (`state`; `None` while no account number is typed): verified and unused, used
/// by an earlier call (a verification serves one), verified for another account (which the
/// sandbox answers `not_verified`), or not verified.
fn request_status(request_id: &str, state: Option<RequestVerification>) -> String {
    match state {
        Some(RequestVerification::Verified { bypass_only: false }) => {
            format!("Request {request_id}, verified in step 2: it serves one purchase.")
        }
        Some(RequestVerification::Verified { bypass_only: true }) => format!(
            "Request {request_id}, verified with the regular-purchase bypass: it serves one regular purchase of at most $200."
        ),
        Some(RequestVerification::Used) => format!(
            "Request {request_id} was used by an earlier purchase: a verification serves one, so verify the customer again in step 2."
        ),
        Some(RequestVerification::OtherAccount(number)) => format!(
            "Request {request_id} was verified for account {number}, not this one: verify this customer in step 2 first."
        ),
        _ => format!(
            "Request {request_id} is not verified yet: verify the customer in step 2 first."
        ),
    }
}

/// The sale being made, kept in this tab's memory while the terminal is left for another
/// Flexiti page (History, a look-up) and given back when it is opened again, unless the
/// address names another account: leaving must not cost the customer a second verification.
/// Never written to the address or the saved state.
struct SaleDraft {
    account: String,
    vcc: String,
    amount: String,
    promotional: bool,
    plan: String,
    term: String,
    pin: String,
    request_id: String,
    verified: Option<(u64, String)>,
    reference: String,
    location: String,
    employee: String,
}

thread_local! {
    static SALE_KEPT: std::cell::RefCell<Option<SaleDraft>> = const { std::cell::RefCell::new(None) };
}

#[component]
pub fn FlexitiTerminalPage() -> impl IntoView {
    let store = use_store();
    renew_token_on_open(store);
    let query = use_query_map();
    let navigate = use_navigate();
    // The authorization the address names, read by the core (`number (16)`): one that is not
    // an authorization id is shown as such, not taken for none.
    let named = move || {
        query.with(|q| {
            q.get("authorization").filter(|v| !v.is_empty()).map(|v| {
                AuthorizationId::parse(ENVIRONMENT, &v)
                    .map(AuthorizationId::number)
                    .map_err(|e| format!("The address names authorization “{v}”: {}.", e.message))
            })
        })
    };
    let selected = Memo::new(move |_| named().and_then(Result::ok));

    // The sale left in this tab, unless the address names another account.
    let named_account = query.with_untracked(|q| q.get("account"));
    let draft = SALE_KEPT
        .with(|k| k.borrow_mut().take())
        .filter(|d| named_account.as_ref().is_none_or(|a| *a == d.account))
        .unwrap_or_else(|| SaleDraft {
            vcc: named_account
                .as_deref()
                .and_then(take_card)
                .unwrap_or_default(),
            account: named_account.unwrap_or_default(),
            amount: String::new(),
            promotional: true,
            plan: TEST_PLANS[0].0.to_owned(),
            term: TEST_PLANS[0].1[1].to_string(),
            pin: String::new(),
            request_id: fresh_request_id(store.now()),
            verified: None,
            reference: String::new(),
            location: String::new(),
            employee: String::new(),
        });

    // The till: shared by every action of the terminal.
    let location = RwSignal::new(draft.location);
    let employee = RwSignal::new(draft.employee);

    // The sale: customer and quote, verify, purchase.
    let sale = Sale {
        account: RwSignal::new(draft.account),
        vcc: RwSignal::new(draft.vcc),
        amount: RwSignal::new(draft.amount),
        promotional: RwSignal::new(draft.promotional),
        plan: RwSignal::new(draft.plan),
        term: RwSignal::new(draft.term),
        pin: RwSignal::new(draft.pin),
        request_id: RwSignal::new(draft.request_id),
        verified: RwSignal::new(draft.verified),
    };
    let Sale {
        account,
        vcc,
        amount,
        promotional,
        plan,
        term,
        pin,
        request_id,
        verified,
    } = sale;
    let reference = RwSignal::new(draft.reference);
    on_cleanup(move || {
        let draft = (|| {
            Some(SaleDraft {
                account: account.try_get_untracked()?,
                vcc: vcc.try_get_untracked()?,
                amount: amount.try_get_untracked()?,
                promotional: promotional.try_get_untracked()?,
                plan: plan.try_get_untracked()?,
                term: term.try_get_untracked()?,
                pin: pin.try_get_untracked()?,
                request_id: request_id.try_get_untracked()?,
                verified: verified.try_get_untracked()?,
                reference: reference.try_get_untracked()?,
                location: location.try_get_untracked()?,
                employee: employee.try_get_untracked()?,
            })
        })();
        SALE_KEPT.with(|k| *k.borrow_mut() = draft);
    });
    let auto_capture = RwSignal::new(false);
    let buy_outcome = RwSignal::new(None::<Outcome>);
    let buy_server = RwSignal::new(None::<(String, (String, String))>);

    let purchase_json = move || {
        let mut map = Map::new();
        put(&mut map, "account_number", &account);
        put(&mut map, "vcc_number", &vcc);
        put(&mut map, "reference", &reference);
        put(&mut map, "amount", &amount);
        put(&mut map, "verification_code", &pin);
        put(&mut map, "external_location_id", &location);
        put(&mut map, "external_employee_id", &employee);
        put(&mut map, "request_id", &request_id);
        map.insert("auto_capture".into(), auto_capture.get().into());
        let option = if promotional.get() {
            json!({
                "transaction_type": "promotional_purchase",
                "plan_id": plan.get(),
                "term": term.get().parse::<u32>().unwrap_or(0),
            })
        } else {
            json!({ "transaction_type": "regular_purchase" })
        };
        map.insert("financing_option".into(), option);
        Value::Object(map).to_string()
    };
    // What the sandbox's answer to a purchase was for: the body, and what was verified when it
    // was sent (a `not_verified` answer no longer holds once the customer is verified).
    let purchase_key = move |text: &str| format!("{text}\n{:?}", verified.get());
    let purchase_problems = Memo::new(move |_| {
        let text = purchase_json();
        let parsed = AuthorizationBody::from_json(&text);
        let mut out = match &parsed {
            Err(validation) => word_amount(place(validation, &PURCHASE_FIELDS), &amount),
            Ok(_) => Vec::new(),
        };
        // The account's standing and credit, read with the current token, as soon as the
        // account number itself is valid (whatever else is still missing).
        let typed = account.with(|a| typed_account(a));
        if let (Err(message), false) = (
            &typed,
            out.iter().any(|(field, _)| field == "account_number"),
        ) {
            out.push(("account_number".to_owned(), message.clone()));
        }
        if let Ok(number) = typed {
            let now = store.now();
            let lookup = CustomerLookupQuery {
                key: LookupKey::AccountNumber(number),
                lang: None,
            };
            let found = store
                .portal
                .with(|p| p.flexiti_read(now, |s, call| s.lookup(call, &lookup)));
            match (found, &parsed) {
                (Some(Ok(found)), Ok((body, _))) => {
                    let facts = AccountFacts {
                        status: found.account_status,
                        active: true,
                        available_credit: found.available_credit,
                    };
                    out.extend(
                        rules::check_authorization(body, &facts)
                            .into_iter()
                            .map(|v| (v.path.to_owned(), v.message)),
                    );
                }
                (Some(Err(error)), _) => out.push((
                    field_of(&error).to_owned(),
                    format!("{}: {}", error.code(), error.message),
                )),
                _ => {}
            }
        }
        with_server(out, &purchase_key(&text), buy_server)
    });
    let buy_checks = Checks::new(purchase_problems);
    // The customer step shows the purchase's problems at its fields, and the quote's answer.
    let quote_server = RwSignal::new(None::<(String, (String, String))>);
    let customer_problems = Memo::new(move |_| {
        let out = purchase_problems.with(|ps| {
            ps.iter()
                .filter(|(field, _)| CUSTOMER_FIELDS.contains(&field.as_str()))
                .cloned()
                .collect()
        });
        with_server(out, &sale.quote_key(), quote_server)
    });
    let customer_checks = Checks::new(customer_problems);

    let authorize = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            customer_checks.reveal();
            if !buy_checks.reveal_to_send(&ev, buy_outcome) {
                return;
            }
            let live = purchase_json();
            let key = purchase_key(&live);
            let result = store.act(|p, now| {
                let (body, _) = AuthorizationBody::from_json(&live).map_err(|_| None)?;
                account
                    .with_untracked(|a| typed_account(a))
                    .map_err(|_| None)?;
                p.flexiti_call(now, |s, call| s.authorize(call, &body))
                    .map_err(Some)
            });
            match result {
                None | Some(Err(None)) => {
                    buy_outcome.set(Some(Outcome::Failed(
                        "Nothing was sent: fix the fields marked.".to_owned(),
                    )));
                    // The first field marked, in whichever step it is (the amount is in 1).
                    focus_found_after_render("main [aria-invalid=\"true\"]".to_owned());
                }
                Some(Err(Some(error))) => {
                    if let Some(problem) = server_problem(&error, &PURCHASE_FIELDS) {
                        buy_server.set(Some((key, problem)));
                    }
                    buy_outcome.set(Some(Outcome::from_error(&error)));
                }
                Some(Ok(response)) => {
                    buy_server.set(None);
                    let captured = response
                        .capture
                        .as_ref()
                        .map(|c| format!(" Captured at once: capture {}.", c.capture_id))
                        .unwrap_or_default();
                    buy_outcome.set(Some(Outcome::Done(format!(
                        "Authorized {}: authorization {} is {}; {} remains to capture.{captured} The verification was used by this purchase: verify the customer again for the next one.",
                        response.amount,
                        response.authorization_id,
                        response.authorization_status,
                        response.remaining_authorization_amount
                    ))));
                    amount.set(String::new());
                    reference.set(String::new());
                    pin.set(String::new());
                    // A new sale needs a new verification.
                    request_id.set(fresh_request_id(store.now()));
                    verified.set(None);
                    buy_checks.reset();
                    customer_checks.reset();
                    navigate(
                        &format!(
                            "/flexiti/terminal?authorization={}",
                            response.authorization_id
                        ),
                        Default::default(),
                    );
                }
            }
        }
    };

    // The selected authorization and its captures, read with the current token.
    let detail = Memo::new(move |_| {
        let id = selected.get()?;
        let now = store.now();
        let query = AuthorizationDetailQuery::default();
        Some(store.portal.with(|p| {
            p.flexiti_read(now, |s, call| {
                s.authorization_detail(call, AuthorizationId::new(ENVIRONMENT, id), &query)
            })
        }))
    });
    let auth = Memo::new(move |_| match detail.get() {
        Some(Some(Ok(d))) => Some(d),
        _ => None,
    });
    let captures = Memo::new(move |_| {
        let Some(d) = auth.get() else {
            return Vec::new();
        };
        let now = store.now();
        let query = CaptureListQuery {
            account_number: AccountNumber::new(d.account_number).ok(),
            page: Page {
                page_number: Some(1),
                page_size: Some(100),
            },
            ..CaptureListQuery::default()
        };
        store
            .portal
            .with(|p| p.flexiti_read(now, |s, call| s.captures(call, &query)))
            .and_then(Result::ok)
            .map(|page| {
                page.items
                    .into_iter()
                    .filter(|c| c.authorization_id == d.authorization_id)
                    .collect::<Vec<CaptureDetail>>()
            })
            .unwrap_or_default()
    });

    // Why nothing can be captured or released any more, once nothing remains (the core's
    // rule): shown above both forms, whose buttons it turns off.
    let nothing_left = Memo::new(move |_| {
        auth.with(|d| {
            let d = d.as_ref()?;
            let facts = authorization_facts(d);
            (!facts.open || facts.remaining.is_zero()).then(|| {
                format!(
                    "Nothing remains to capture or release: {} remains and the authorization is {}.",
                    facts.remaining,
                    d.authorization_status.as_str()
                )
            })
        })
    });
    let off = move || nothing_left.with(Option::is_some);

    let till = move || {
        let mut map = Map::new();
        put(&mut map, "external_location_id", &location);
        put(&mut map, "external_employee_id", &employee);
        map
    };

    // Capture.
    let capture_amount = RwSignal::new(String::new());
    let capture_reference = RwSignal::new(String::new());
    let capture_outcome = RwSignal::new(None::<Outcome>);
    let release_outcome = RwSignal::new(None::<Outcome>);
    let return_outcome = RwSignal::new(None::<Outcome>);
    // One answer about the authorization at a time: an operation sent clears what the other
    // sections said, which its answer may have made untrue (a release's "30.00 remains"
    // after a capture of the rest, a refusal after the operation that worked next).
    // The purchase's "Authorized …, … remains to capture" is one of them. So are the problems
    // the other forms showed when they were sent: they are hidden until edited or sent again,
    // rather than reworded for what the operation left. The answer takes the focus: the
    // operation may have turned off the button that had it.
    let acted = RwSignal::new("");
    let answered =
        move |outcome: RwSignal<Option<Outcome>>, testid: &'static str, answer: Option<Outcome>| {
            acted.set(testid);
            for other in [
                buy_outcome,
                capture_outcome,
                release_outcome,
                return_outcome,
            ] {
                if other != outcome {
                    other.set(None);
                }
            }
            outcome.set(answer);
            focus_after_render(testid);
        };
    let capture_json = move || {
        let mut map = till();
        put(&mut map, "amount", &capture_amount);
        put(&mut map, "reference", &capture_reference);
        Value::Object(map).to_string()
    };
    let capture_problems = Memo::new(move |_| match CaptureBody::from_json(&capture_json()) {
        Err(validation) => word_amount(
            place(&validation, &["amount", "reference"]),
            &capture_amount,
        ),
        Ok((body, _)) => auth
            .get()
            .map(|d| {
                rules::check_capture(&body, &authorization_facts(&d))
                    .into_iter()
                    .map(|v| (field_or_general(v.path, &["amount"]), v.message))
                    .collect()
            })
            .unwrap_or_default(),
    });
    let capture_checks = Checks::new(capture_problems);
    let capture = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !capture_checks.reveal_to_send(&ev, capture_outcome) {
            return;
        }
        let Some(id) = selected.get_untracked() else {
            return;
        };
        let Ok((body, _)) = CaptureBody::from_json(&capture_json()) else {
            capture_outcome.set(Some(Outcome::Failed(
                "Nothing was sent: fix the marked fields; the focus is on the first.".to_owned(),
            )));
            focus_first_invalid(&ev);
            return;
        };
        let result = store.act(|p, now| {
            p.flexiti_call(now, |s, call| {
                s.capture(call, AuthorizationId::new(ENVIRONMENT, id), &body)
            })
        });
        answered(
            capture_outcome,
            "capture-outcome",
            result.map(|r| match r {
                Ok(c) => {
                    capture_amount.set(String::new());
                    capture_checks.reset();
                    Outcome::Done(format!(
                        "Captured {}: capture {}. {} remains authorized.",
                        c.amount, c.capture_id, c.remaining_authorization_amount
                    ))
                }
                Err(error) => Outcome::from_error(&error),
            }),
        );
    };

    // Release.
    let release_amount = RwSignal::new(String::new());
    let release_json = move || {
        let mut map = till();
        put(&mut map, "amount", &release_amount);
        Value::Object(map).to_string()
    };
    let release_problems = Memo::new(move |_| match ReleaseBody::from_json(&release_json()) {
        Err(validation) => word_amount(place(&validation, &["amount"]), &release_amount),
        Ok((body, _)) => auth
            .get()
            .map(|d| {
                rules::check_release(&body, &authorization_facts(&d))
                    .into_iter()
                    .map(|v| (field_or_general(v.path, &["amount"]), v.message))
                    .collect()
            })
            .unwrap_or_default(),
    });
    let release_checks = Checks::new(release_problems);
    let release = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !release_checks.reveal_to_send(&ev, release_outcome) {
            return;
        }
        let Some(id) = selected.get_untracked() else {
            return;
        };
        let Ok((body, _)) = ReleaseBody::from_json(&release_json()) else {
            release_outcome.set(Some(Outcome::Failed(
                "Nothing was sent: fix the marked fields; the focus is on the first.".to_owned(),
            )));
            focus_first_invalid(&ev);
            return;
        };
        let result = store.act(|p, now| {
            p.flexiti_call(now, |s, call| {
                s.release(call, AuthorizationId::new(ENVIRONMENT, id), &body)
            })
        });
        answered(
            release_outcome,
            "release-outcome",
            result.map(|r| match r {
                Ok(r) => {
                    release_amount.set(String::new());
                    release_checks.reset();
                    Outcome::Done(format!(
                        "Released {}. {} remains authorized; the authorization is {}.",
                        r.amount, r.remaining_authorization_amount, r.authorization_status
                    ))
                }
                Err(error) => Outcome::from_error(&error),
            }),
        );
    };

    // Return.
    let return_capture = RwSignal::new(String::new());
    let full_return = RwSignal::new(false);
    let return_amount = RwSignal::new(String::new());
    let return_reference = RwSignal::new(String::new());
    let return_server = RwSignal::new(None::<(String, (String, String))>);
    // The capture the return is against: the chosen one while something of it remains, else
    // the latest with something remaining, else the latest (its return is refused, said at
    // the field).
    let chosen_capture = Memo::new(move |_| {
        let wanted = return_capture.get();
        captures.with(|cs| {
            let open = |c: &&CaptureDetail| c.remaining_capture_amount.minor_units() > 0;
            cs.iter()
                .filter(open)
                .find(|c| c.capture_id.to_string() == wanted)
                .or_else(|| cs.iter().rev().find(open))
                .or_else(|| cs.last())
                .cloned()
        })
    });
    let return_json = move || {
        let mut map = Map::new();
        map.insert("full_return".into(), full_return.get().into());
        if !full_return.get() {
            put(&mut map, "amount", &return_amount);
        }
        put(&mut map, "reference", &return_reference);
        Value::Object(map).to_string()
    };
    let return_problems = Memo::new(move |_| {
        let text = return_json();
        let out: Vec<(String, String)> = match ReturnBody::from_json(&text) {
            Err(validation) => {
                word_amount(place(&validation, &["amount", "reference"]), &return_amount)
            }
            Ok((body, _)) => match (auth.get(), chosen_capture.get()) {
                (Some(d), Some(c)) => {
                    let facts = CaptureFacts {
                        purchase_type: d.transaction_type,
                        captured_at: c.date,
                        remaining: c.remaining_capture_amount,
                    };
                    rules::check_return(&body, &facts, store.now())
                        .into_iter()
                        .map(|v| (field_or_general(v.path, &["amount"]), v.message))
                        .collect()
                }
                _ => Vec::new(),
            },
        };
        with_server(out, &text, return_server)
    });
    let return_checks = Checks::new(return_problems);
    let do_return = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !return_checks.reveal_to_send(&ev, return_outcome) {
            return;
        }
        let (Some(id), Some(c)) = (selected.get_untracked(), chosen_capture.get_untracked()) else {
            return_outcome.set(Some(Outcome::Failed(
                "There is no capture to return yet.".to_owned(),
            )));
            return;
        };
        let text = return_json();
        let Ok((body, _)) = ReturnBody::from_json(&text) else {
            return_outcome.set(Some(Outcome::Failed(
                "Nothing was sent: fix the marked fields; the focus is on the first.".to_owned(),
            )));
            focus_first_invalid(&ev);
            return;
        };
        let result = store.act(|p, now| {
            p.flexiti_call(now, |s, call| {
                s.return_capture(
                    call,
                    AuthorizationId::new(ENVIRONMENT, id),
                    CaptureId::new(ENVIRONMENT, c.capture_id),
                    &body,
                )
            })
        });
        answered(
            return_outcome,
            "return-outcome",
            result.map(|r| match r {
                Ok(r) => {
                    return_server.set(None);
                    return_amount.set(String::new());
                    return_checks.reset();
                    Outcome::Done(format!(
                        "Returned {} of capture {} (return {}). {} of the capture remains.",
                        r.amount, r.capture_id, r.return_id, r.remaining_capture_amount
                    ))
                }
                Err(error) => {
                    if let Some(problem) = server_problem(&error, &["amount"]) {
                        return_server.set(Some((text.clone(), problem)));
                    }
                    Outcome::from_error(&error)
                }
            }),
        );
    };

    Effect::new(move |_| {
        let form = acted.get();
        for (testid, checks) in [
            ("capture-outcome", capture_checks),
            ("release-outcome", release_checks),
            ("return-outcome", return_checks),
        ] {
            if testid != form {
                checks.reset();
            }
        }
    });

    view! {
        <section class="page page-wide">
            <h1>"Flexiti terminal"</h1>
            <FlexitiTabs />
            <p class="lede">"An in-store sale on a Flexiti account, step by step: quote the plans for the amount, verify the customer, authorize with the request id and PIN, capture when the goods leave the store, release what will not be captured, and return a capture in full or in part."</p>
            <NeedsCredentials />
            <div class="fx-columns">
                <QuoteForm sale=sale checks=customer_checks server=quote_server />
                <VerifyForm sale=sale customer_checks=customer_checks />
            </div>
            <div class="fx-columns">
                <form class="fx-card" aria-labelledby="fx-buy-title" on:submit=authorize novalidate>
                    <h2 id="fx-buy-title">"3. Purchase"</h2>
                    <p class="muted" data-testid="purchase-request">{move || {
                        // Read again after each verify (`verified` changes) and each purchase.
                        verified.track();
                        request_id.with(|id| account.with(|a| {
                            let number = typed_account(a).ok().map(AccountNumber::get);
                            let state = number.map(|n| store.portal.with(|p| p.flexiti.request_verification(n, id.trim())));
                            request_status(id, state)
                        }))
                    }}</p>
                    <ProblemsAt checks=buy_checks form="fx-buy" key="request_id" />
                    <fieldset class="fx-choice">
                        <legend>"Purchase type"</legend>
                        <label><input type="radio" name="fx-buy-type" prop:checked=move || promotional.get() on:change=move |_| promotional.set(true) />"Promotional purchase (plan and term)"</label>
                        <label><input type="radio" name="fx-buy-type" prop:checked=move || !promotional.get() on:change=move |_| promotional.set(false) />"Regular purchase"</label>
                    </fieldset>
                    {move || promotional.get().then(|| view! {
                        <div class="fx-row">
                            <div class="fx-field">
                                <label for="fx-buy-plan">"Plan"</label>
                                <select id="fx-buy-plan" prop:value=move || plan.get() on:change=move |ev| {
                                    let chosen = event_target_value(&ev);
                                    if let Some((_, terms)) = TEST_PLANS.iter().find(|(p, _)| *p == chosen) {
                                        if !terms.iter().any(|t| t.to_string() == term.get_untracked()) {
                                            term.set(terms[0].to_string());
                                        }
                                    }
                                    plan.set(chosen);
                                }>
                                    {TEST_PLANS.iter().map(|(p, _)| view! { <option value=*p selected=move || plan.get() == *p>{*p}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="fx-field">
                                <label for="fx-buy-term">"Term (months)"</label>
                                <select id="fx-buy-term" aria-describedby="fx-buy-financing_option-term-problems" prop:value=move || term.get() on:change=move |ev| term.set(event_target_value(&ev))>
                                    {move || {
                                        let chosen = plan.get();
                                        TEST_PLANS.iter().find(|(p, _)| *p == chosen).map(|(_, terms)| terms.iter().map(|t| {
                                            let t = t.to_string();
                                            let value = t.clone();
                                            let label = t.clone();
                                            view! { <option value=t selected=move || term.get() == value>{label}</option> }
                                        }).collect_view())
                                    }}
                                </select>
                            </div>
                        </div>
                        <ProblemsAt checks=buy_checks form="fx-buy" key="financing_option.term" />
                    })}
                    <TextField form="fx-buy" key="reference" label="Order reference (optional)" value=reference checks=buy_checks />
                    <div class="fx-row">
                        <TextField form="fx-buy" key="verification_code" label="Customer PIN" value=pin checks=buy_checks numeric=true hint="From verify; TRAINING uses 2222." />
                        <div class="fx-field fx-preset-inline">
                            <button type="button" class="secondary" on:click=move |_| { pin.set(TEST_PIN.to_owned()); buy_checks.touch("verification_code"); }>
                                {format!("Use the test PIN {TEST_PIN}")}
                            </button>
                        </div>
                    </div>
                    <div class="fx-row">
                        <TextField form="fx-buy" key="external_location_id" label="Store ID" value=location checks=buy_checks />
                        <TextField form="fx-buy" key="external_employee_id" label="Employee ID" value=employee checks=buy_checks />
                        <StorePreset location=location employee=employee checks=buy_checks />
                    </div>
                    <label class="fx-check">
                        <input type="checkbox" prop:checked=move || auto_capture.get() on:change=move |ev| auto_capture.set(event_target_checked(&ev)) />
                        "Capture the whole amount at once"
                    </label>
                    <GeneralProblems checks=buy_checks />
                    <div class="actions"><button type="submit">"Authorize purchase"</button></div>
                    <OutcomeBanner outcome=buy_outcome testid="purchase-outcome" />
                </form>

                <div class="fx-card" aria-labelledby="fx-auth-title" role="region">
                    <h2 id="fx-auth-title">"Authorization"</h2>
                    {move || match (selected.get(), detail.get()) {
                        (None, _) => match named() {
                            Some(Err(why)) => view! { <p class="banner banner-error" role="alert" data-testid="authorization-problem">{why}</p> }.into_any(),
                            _ => view! { <p class="muted">"Authorize a purchase, or open one from the history."</p> }.into_any(),
                        },
                        (Some(_), Some(None)) => view! { <p class="muted">"No usable access token: save the credentials on the overview; the token is then requested and renewed automatically."</p> }.into_any(),
                        (Some(id), Some(Some(Err(error)))) => view! {
                            <p class="banner banner-error" role="alert">{format!("Authorization {id}: {} {}: {}", error.status, error.code(), error.message)}</p>
                        }.into_any(),
                        (Some(_), _) => view! { <AuthorizationFacts auth=auth captures=captures /> }.into_any(),
                    }}
                    {move || auth.get().map(|_| view! {
                        {move || nothing_left.get().map(|why| view! { <p class="banner banner-info" data-testid="nothing-remains">{why}</p> })}
                        <form class="fx-subform" aria-labelledby="fx-capture-title" on:submit=capture novalidate>
                            <h3 id="fx-capture-title">"Capture"</h3>
                            <div class="fx-row">
                                <TextField form="fx-capture" key="amount" label="Capture amount (CAD)" value=capture_amount checks=capture_checks numeric=true />
                                <TextField form="fx-capture" key="reference" label="Capture reference" value=capture_reference checks=capture_checks />
                            </div>
                            <div class="actions">
                                <button type="button" class="secondary" disabled=off on:click=move |_| {
                                    if let Some(d) = auth.get_untracked() { capture_amount.set(d.remaining_authorization_amount.format()); capture_checks.touch("amount"); }
                                }>"Fill in what remains"</button>
                                <button type="submit" disabled=off>"Capture"</button>
                            </div>
                            <GeneralProblems checks=capture_checks />
                            <OutcomeBanner outcome=capture_outcome testid="capture-outcome" />
                        </form>
                        <form class="fx-subform" aria-labelledby="fx-release-title" on:submit=release novalidate>
                            <h3 id="fx-release-title">"Release"</h3>
                            <TextField form="fx-release" key="amount" label="Release amount (CAD)" value=release_amount checks=release_checks numeric=true hint="Leave empty to release everything that remains." />
                            <div class="actions"><button type="submit" disabled=off>"Release"</button></div>
                            <GeneralProblems checks=release_checks />
                            <OutcomeBanner outcome=release_outcome testid="release-outcome" />
                        </form>
                        <form class="fx-subform" aria-labelledby="fx-return-title" on:submit=do_return novalidate>
                            <h3 id="fx-return-title">"Return"</h3>
                            <div class="fx-field">
                                <label for="fx-return-capture">"Capture to return"</label>
                                <select id="fx-return-capture" on:change=move |ev| return_capture.set(event_target_value(&ev))
                                    prop:value=move || chosen_capture.with(|c| c.as_ref().map(|c| c.capture_id.to_string()).unwrap_or_default())>
                                    // A capture fully returned cannot be chosen: its return would be refused.
                                    {move || captures.get().into_iter().rev().map(|c| {
                                        let id = c.capture_id.to_string();
                                        let spent = c.remaining_capture_amount.minor_units() <= 0;
                                        let label = if spent {
                                            format!("{id} — nothing remains of {}", c.amount)
                                        } else {
                                            format!("{id} — {} remaining of {}", c.remaining_capture_amount, c.amount)
                                        };
                                        view! { <option value=id disabled=spent>{label}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <fieldset class="fx-choice">
                                <legend>"Return type"</legend>
                                <label><input type="radio" name="fx-return-kind" prop:checked=move || !full_return.get() on:change=move |_| full_return.set(false) />"Partial return"</label>
                                <label><input type="radio" name="fx-return-kind" prop:checked=move || full_return.get() on:change=move |_| full_return.set(true) />"Full return (everything that remains)"</label>
                            </fieldset>
                            {move || (!full_return.get()).then(|| view! {
                                <TextField form="fx-return" key="amount" label="Return amount (CAD)" value=return_amount checks=return_checks numeric=true />
                            })}
                            <TextField form="fx-return" key="reference" label="Return reference" value=return_reference checks=return_checks />
                            <GeneralProblems checks=return_checks />
                            <div class="actions"><button type="submit">"Return"</button></div>
                            <OutcomeBanner outcome=return_outcome testid="return-outcome" />
                            <p class="fx-hint">
                                "Regular purchases, and captures older than 100 days, go back to the account as a refund: "
                                {move || auth.get().map(|d| {
                                    let capture = chosen_capture.get().map(|c| format!("&capture={}", c.capture_id)).unwrap_or_default();
                                    view! { <A href=format!("/flexiti/refund?account={}{capture}", d.account_number)>"refund to this account"</A> }
                                })}
                                "."
                            </p>
                        </form>
                    })}
                </div>
            </div>
        </section>
    }
}

fn authorization_facts(d: &AuthorizationDetail) -> AuthorizationFacts {
    AuthorizationFacts {
        open: d.authorization_status == AuthorizationStatus::Opened,
        remaining: d.remaining_authorization_amount,
    }
}

/// What was authorized, captured, released and remains, and the captures with what remains
/// of each.
#[component]
fn AuthorizationFacts(
    auth: Memo<Option<AuthorizationDetail>>,
    captures: Memo<Vec<CaptureDetail>>,
) -> impl IntoView {
    move || {
        auth.get().map(|d| {
            let kind = match (d.transaction_type, &d.plan_id, d.term) {
                (PurchaseType::PromotionalPurchase, Some(plan), Some(term)) => {
                    format!("Promotional purchase, {plan}, {term} months")
                }
                (PurchaseType::PromotionalPurchase, _, _) => "Promotional purchase".to_owned(),
                (PurchaseType::RegularPurchase, _, _) => "Regular purchase".to_owned(),
            };
            let rows = captures.get();
            view! {
                <dl class="facts" data-testid="authorization">
                    <div><dt>"Authorization"</dt><dd><code>{d.authorization_id.to_string()}</code></dd></div>
                    <div><dt>"Status"</dt><dd data-testid="authorization-status">{d.authorization_status.as_str()}</dd></div>
                    <div><dt>"Account"</dt><dd><code>{d.account_number.to_string()}</code></dd></div>
                    <div><dt>"Type"</dt><dd>{kind}</dd></div>
                    <div><dt>"Store"</dt><dd>{d.external_location_id.clone().unwrap_or_else(|| "—".to_owned())}</dd></div>
                    <div><dt>"Created"</dt><dd>{instant(d.creation_date)}</dd></div>
                    <div><dt>"Authorized"</dt><dd>{d.amount.to_string()}</dd></div>
                    <div><dt>"Captured"</dt><dd>{d.captured_amount.to_string()}</dd></div>
                    <div><dt>"Released"</dt><dd>{d.released_amount.to_string()}</dd></div>
                    <div><dt>"Remaining to capture"</dt><dd data-testid="remaining-authorization">{d.remaining_authorization_amount.to_string()}</dd></div>
                </dl>
                {(!rows.is_empty()).then(|| view! {
                    <table class="data fx-table" aria-label="Captures of this authorization">
                        <thead><tr>
                            <th scope="col">"Capture"</th><th scope="col">"Captured"</th>
                            <th scope="col">"Returned"</th><th scope="col">"Remaining"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|c| view! {
                                <tr>
                                    <td><code>{c.capture_id.to_string()}</code></td>
                                    <td class="num">{c.amount.to_string()}</td>
                                    <td class="num">{c.returned_amount.to_string()}</td>
                                    <td class="num" data-testid="capture-remaining">{c.remaining_capture_amount.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{request_status, RequestVerification};

    #[test]
    fn the_request_line_says_where_the_request_stands_for_the_account_in_the_form() {
        let said = |state| request_status("pos-1", state);
        assert_eq!(
            said(Some(RequestVerification::Verified { bypass_only: false })),
            "Request pos-1, verified in step 2: it serves one purchase."
        );
        assert!(
            said(Some(RequestVerification::Verified { bypass_only: true }))
                .contains("regular purchase of at most $200")
        );
        assert_eq!(
            said(Some(RequestVerification::Used)),
            "Request pos-1 was used by an earlier purchase: a verification serves one, so verify \
             the customer again in step 2."
        );
        assert_eq!(
            said(Some(RequestVerification::OtherAccount(10_000_000_000_001))),
            "Request pos-1 was verified for account 10000000000001, not this one: verify this \
             customer in step 2 first."
        );
        for state in [Some(RequestVerification::NotVerified), None] {
            assert!(said(state).contains("is not verified yet"));
        }
    }
}
