//! The steps of an in-store sale before the purchase (reference §7.2): the customer and amount
//! with a `calculate-interest` quote (plans, terms, payments, and whether the regular-purchase
//! bypass applies), then `verify` with a chosen format and a fresh `request_id`. The quote's
//! choice, the request id and a returned PIN are carried into the terminal's purchase form.

use flexkit_core::flexiti::sandbox::{TEST_ACCOUNTS, TEST_PIN};
use flexkit_core::flexiti::{
    rules, AccountVerifyBody, CalculateInterestBody, CalculateInterestResponse, RequestBody,
    VerificationOutcome, VerifyMethod,
};
use leptos::prelude::*;

use crate::components::fields::focus_first_invalid;
use serde_json::{Map, Value};

use super::{
    fresh_request_id, place, put, server_problem, typed_account, with_server, Checks,
    GeneralProblems, Outcome, OutcomeBanner, ProblemsAt, TextField,
};
use crate::store::use_store;
// A rate in ten-thousandths is in basis points: 0.2999 reads 29.99 %.
use flexkit_core::flexpay::sandbox::console_reports::percent;

/// What the steps and the purchase form share.
#[derive(Clone, Copy)]
pub struct Sale {
    pub account: RwSignal<String>,
    pub vcc: RwSignal<String>,
    pub amount: RwSignal<String>,
    pub promotional: RwSignal<bool>,
    pub plan: RwSignal<String>,
    pub term: RwSignal<String>,
    pub pin: RwSignal<String>,
    pub request_id: RwSignal<String>,
    /// The account and request id a `verify` call succeeded for: the sandbox answers an
    /// in-store purchase with any other pair `not_verified`.
    pub verified: RwSignal<Option<(u64, String)>>,
}

impl Sale {
    /// What a quote is for: the account and amount as typed.
    pub fn quote_key(&self) -> String {
        format!("{}|{}", self.account.get(), self.amount.get())
    }
}

/// The fields of the customer step; the purchase's problems at these are shown here.
pub const CUSTOMER_FIELDS: [&str; 3] = ["account_number", "vcc_number", "amount"];

/// Step 1: the test accounts, the account, card and amount, and the quote for them.
#[component]
pub fn QuoteForm(
    sale: Sale,
    checks: Checks,
    /// The sandbox's refusal of the last quote, by the quote key it was for.
    server: RwSignal<Option<(String, (String, String))>>,
) -> impl IntoView {
    let store = use_store();
    let outcome = RwSignal::new(None::<Outcome>);
    let quote = RwSignal::new(None::<(String, CalculateInterestResponse)>);
    let chosen = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checks.reveal_to_send(&ev, outcome) {
            return;
        }
        let key = sale.quote_key();
        let mut map = Map::new();
        put(&mut map, "amount", &sale.amount);
        let body = CalculateInterestBody::from_json(&Value::Object(map).to_string());
        let number = sale.account.with(|a| typed_account(a));
        let (Ok(number), Ok((body, _))) = (number, body) else {
            outcome.set(Some(Outcome::Failed(
                "Nothing was sent: fix the fields marked above.".to_owned(),
            )));
            return;
        };
        let result = store
            .act(|p, now| p.flexiti_call(now, |s, call| s.calculate_interest(call, number, &body)));
        match result {
            Some(Ok(answer)) => {
                server.set(None);
                chosen.set(None);
                // Said in the status, so a screen reader hears that the quote came.
                let plans = answer.promotional_purchase.len();
                outcome.set(Some(Outcome::Done(format!(
                    "Quote for {}: {plans} promotional plan{} and the regular purchase, below.",
                    answer.amount,
                    if plans == 1 { "" } else { "s" }
                ))));
                quote.set(Some((key, answer)));
            }
            Some(Err(error)) => {
                if let Some(problem) = server_problem(&error, &CUSTOMER_FIELDS) {
                    server.set(Some((key, problem)));
                }
                quote.set(None);
                outcome.set(Some(Outcome::from_error(&error)));
            }
            None => {}
        }
    };
    let choose = move |plan: Option<(String, u16)>| {
        let text = match plan {
            Some((plan, term)) => {
                sale.promotional.set(true);
                let text = format!("{plan}, {term} months");
                sale.plan.set(plan);
                sale.term.set(term.to_string());
                text
            }
            None => {
                sale.promotional.set(false);
                "a regular purchase".to_owned()
            }
        };
        chosen.set(Some(format!(
            "Chosen: {text}, carried into the purchase below."
        )));
    };
    let presets = TEST_ACCOUNTS
        .iter()
        .map(|a| {
            let number = a.account_number.to_string();
            view! {
                <li>
                    <button type="button" class="secondary" on:click=move |_| {
                        sale.account.set(number.clone());
                        checks.touch("account_number");
                    }>
                        <span class="fx-preset-name">{format!("Account {} {}", a.first_name, a.last_name)}</span>
                        " "
                        <span class="fx-preset-note">{a.purpose}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <form class="fx-card" aria-labelledby="fx-quote-title" on:submit=submit novalidate>
            <h2 id="fx-quote-title">"1. Customer and quote"</h2>
            <fieldset class="fx-presets">
                <legend>"Test accounts"</legend>
                <ul>{presets}</ul>
            </fieldset>
            <TextField form="fx-buy" key="account_number" label="Account number" value=sale.account checks=checks numeric=true hint="From a customer search or look-up." />
            <TextField form="fx-buy" key="vcc_number" label="FlexitiCard number (optional)" value=sale.vcc checks=checks numeric=true hint="Only for a business account's authorized user." />
            <TextField form="fx-buy" key="amount" label="Amount (CAD)" value=sale.amount checks=checks numeric=true placeholder="0.00" />
            <div class="actions"><button type="submit">"Calculate interest"</button></div>
            <OutcomeBanner outcome=outcome testid="quote-outcome" />
            {move || {
                let key = sale.quote_key();
                quote.get().filter(|(k, _)| *k == key).map(|(_, q)| quote_view(q, choose))
            }}
            <p class="muted" role="status" data-testid="chosen">{move || chosen.get()}</p>
        </form>
    }
}

/// The quote: the customer's figures, each plan and term with its payment, the regular
/// purchase, and whether the bypass applies; every row can be chosen for the purchase.
fn quote_view(
    q: CalculateInterestResponse,
    choose: impl Fn(Option<(String, u16)>) + Copy + 'static,
) -> AnyView {
    let bypass = if q.regular_purchase.verify {
        "applies: verify may use regular_purchase_bypass for a regular purchase"
    } else {
        "does not apply (more than $200, or more than 3 regular purchases in the past 24 h): verify the customer"
    };
    let over_credit = q.exceeds_available_credit().then(|| {
        view! {
            <p class="fx-warning" data-testid="over-credit">
                {format!("{} is above the available credit of {}: Flexiti refuses a purchase of it, on any plan, with credit_exceeded (409). Lower the amount or split the tender.", q.amount, q.customer.available_credit)}
            </p>
        }
    });
    let mut names = Vec::new();
    let rows = q
        .promotional_purchase
        .into_iter()
        .flat_map(|plan| {
            let id = plan.plan_id;
            let rate = plan.terms.first().map(|t| t.annual_rates.description.clone());
            names.push(format!(
                "{id}: {}{}.",
                plan.plan_name.unwrap_or_default(),
                rate.map(|r| format!(" — {r}")).unwrap_or_default()
            ));
            plan.terms.into_iter().map(move |t| {
                (
                    id.clone(),
                    format!("{} months", t.term),
                    t.term_amount,
                    t.annual_rates.rate,
                    format!("Choose {id}, {} months", t.term),
                    Some((id.clone(), t.term)),
                )
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .chain([(
            "Regular".to_owned(),
            "—".to_owned(),
            q.regular_purchase.term_amount,
            q.regular_purchase.air,
            "Choose regular purchase".to_owned(),
            None,
        )])
        .map(|(plan, term, payment, rate, label, pick)| {
            view! {
                <tr>
                    <td class="fx-nowrap">{plan}</td><td class="fx-nowrap">{term}</td><td class="num">{payment.to_string()}</td><td class="num">{percent(rate.ten_thousandths())}</td>
                    <td><button type="button" class="secondary" aria-label=label on:click=move |_| choose(pick.clone())>"Choose"</button></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <dl class="facts" data-testid="quote">
            <div><dt>"Customer"</dt><dd>{format!("{} {} ({})", q.customer.first_name, q.customer.last_name, q.customer.category_type)}</dd></div>
            <div><dt>"Available credit"</dt><dd>{q.customer.available_credit.to_string()}</dd></div>
            <div><dt>"Regular-purchase bypass"</dt><dd data-testid="bypass">{bypass}</dd></div>
        </dl>
        {over_credit}
        <div class="table-scroll">
            <table class="data fx-table" aria-label="Plans and terms">
                <thead><tr>
                    <th scope="col">"Plan"</th><th scope="col">"Term"</th><th scope="col">"Payment"</th>
                    <th scope="col">"Annual rate"</th><th scope="col"><span class="visually-hidden">"Choose"</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="fx-hint">
            {names.join(" ")}
            " Payment: monthly for equal-payment plans and regular purchases (annual rate: the customer's AIR); the whole amount at the end of the term for deferred plans."
        </p>
    }
    .into_any()
}

const FORMATS: [(&str, &str); 5] = [
    ("sms", "SMS"),
    ("email", "E-mail"),
    ("security_question", "Security question"),
    ("regular_purchase_bypass", "Regular-purchase bypass"),
    ("merchant_override", "Merchant override"),
];
const VERIFY_FIELDS: [&str; 5] = [
    "format",
    "security_qid",
    "security_answer",
    "request_id",
    "vcc_number",
];

/// Step 2: `verify` for the account, with a fresh request id the purchase then reuses.
#[component]
pub fn VerifyForm(sale: Sale, customer_checks: Checks) -> impl IntoView {
    let store = use_store();
    let format = RwSignal::new("sms".to_owned());
    let qid = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let server = RwSignal::new(None::<(String, (String, String))>);
    let question = move || format.with(|f| f == "security_question");
    // The sale an answer is for: another account in step 1, or a new request id (a new
    // sale), makes the last answer and a refusal marked at a field no longer hold.
    let sale_key = move || format!("{}|{}", sale.account.get(), sale.request_id.get());
    Effect::new(move |before: Option<String>| {
        let key = sale_key();
        if before.is_some_and(|b| b != key) {
            outcome.set(None);
        }
        key
    });
    let json = move || {
        let mut map = Map::new();
        map.insert("format".into(), Value::String(format.get()));
        if question() {
            put(&mut map, "security_qid", &qid);
            put(&mut map, "security_answer", &answer);
        }
        put(&mut map, "request_id", &sale.request_id);
        put(&mut map, "vcc_number", &sale.vcc);
        Value::Object(map).to_string()
    };
    let problems = Memo::new(move |_| {
        let text = json();
        let out = match AccountVerifyBody::from_json(&text) {
            Err(validation) => place(&validation, &VERIFY_FIELDS),
            Ok(_) => Vec::new(),
        };
        with_server(out, &(text + &sale_key()), server)
    });
    let checks = Checks::new(problems);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checks.reveal_to_send(&ev, outcome) {
            return;
        }
        let text = json();
        let key = text.clone() + &sale_key();
        let Ok(number) = sale.account.with(|a| typed_account(a)) else {
            customer_checks.reveal();
            outcome.set(Some(Outcome::Failed(
                "Nothing was sent: enter the account number in step 1.".to_owned(),
            )));
            return;
        };
        let Ok((body, _)) = AccountVerifyBody::from_json(&text) else {
            outcome.set(Some(Outcome::Failed(
                "Nothing was sent: fix the marked fields; the focus is on the first.".to_owned(),
            )));
            focus_first_invalid(&ev);
            return;
        };
        let result =
            store.act(|p, now| p.flexiti_call(now, |s, call| s.verify(call, number, &body)));
        match result {
            Some(Ok(answer)) => {
                server.set(None);
                let request = body.request_id.as_str().to_owned();
                // A PIN sent by SMS or e-mail verifies the customer once they give it.
                let said = match answer.verification_code {
                    VerificationOutcome::SentToSms => format!("PIN sent by SMS for request {request} (verification_sent_to_sms): ask the customer for the PIN their mobile received and type it in the purchase (TRAINING: {TEST_PIN})."),
                    VerificationOutcome::SentToEmail => format!("PIN sent by e-mail for request {request} (verification_sent_to_email): ask the customer for the PIN their e-mail received and type it in the purchase (TRAINING: {TEST_PIN})."),
                    VerificationOutcome::Code(code) => {
                        sale.pin.set(code.as_str().to_owned());
                        let mut said = format!("Verified by {} for request {request}: PIN {} returned; it is filled in the purchase.", body.method.format(), code.as_str());
                        // The bypass PIN serves a regular purchase up to the bypass limit only.
                        if body.method == VerifyMethod::RegularPurchaseBypass {
                            said += &format!(" It covers only a regular purchase of at most {}: a promotional plan or a larger amount with this request is refused with not_verified, so verify in another format for those.", rules::BYPASS_MAX_AMOUNT);
                        }
                        said
                    }
                };
                sale.verified.set(Some((number.get(), request.clone())));
                outcome.set(Some(Outcome::Done(said)));
            }
            Some(Err(error)) => {
                if let Some(problem) = server_problem(&error, &VERIFY_FIELDS) {
                    server.set(Some((key, problem)));
                }
                outcome.set(Some(Outcome::from_error(&error)));
            }
            None => {}
        }
    };
    // The test account's question and answer, when the account is one.
    let test_answer = move || {
        let number = sale.account.get();
        TEST_ACCOUNTS
            .iter()
            .find(|a| a.account_number.to_string() == number.trim())
            .map(|a| {
                format!(
                    "TRAINING: {} {} answers question {} with “{}”.",
                    a.first_name, a.last_name, a.security_qid, a.security_answer
                )
            })
    };
    view! {
        <form class="fx-card" aria-labelledby="fx-verify-title" on:submit=submit novalidate>
            <h2 id="fx-verify-title">"2. Verify the customer"</h2>
            <fieldset class="fx-choice" aria-describedby="fx-verify-format-problems">
                <legend>"Verify by"</legend>
                {FORMATS.map(|(value, label)| view! {
                    <label>
                        <input type="radio" name="fx-verify-format" value=value
                            prop:checked=move || format.with(|f| f == value)
                            on:change=move |_| { format.set(value.to_owned()); checks.touch("format"); } />
                        {label}
                    </label>
                }).collect_view()}
            </fieldset>
            <ProblemsAt checks=checks form="fx-verify" key="format" />
            {move || question().then(|| view! {
                <div class="fx-row">
                    <TextField form="fx-verify" key="security_qid" label="Question ID" value=qid checks=checks numeric=true />
                    <TextField form="fx-verify" key="security_answer" label="Security answer" value=answer checks=checks />
                </div>
                <p class="fx-hint">{test_answer}</p>
            })}
            <div class="fx-row">
                <TextField form="fx-verify" key="request_id" label="Request ID" value=sale.request_id checks=checks hint="Fresh for every sale; the purchase reuses it." />
                <div class="fx-field fx-preset-inline">
                    <button type="button" class="secondary" on:click=move |_| {
                        sale.request_id.set(fresh_request_id(store.now()));
                        sale.verified.set(None);
                    }>"New request ID"</button>
                </div>
            </div>
            <p class="fx-hint">{format!("TRAINING sends no SMS or e-mail: the PIN is always {TEST_PIN}.")}</p>
            <GeneralProblems checks=checks />
            <div class="actions"><button type="submit">"Verify"</button></div>
            <OutcomeBanner outcome=outcome testid="verify-outcome" />
        </form>
    }
}
