//! The Flexiti section: environment and credentials, customer look-up and search, a
//! point-of-sale terminal (quote, verify, purchase, capture, release, return), refunds and
//! the authorization and capture history, all over the embedded TRAINING sandbox. Requests are validated live by the core (every problem at once, each at its
//! field); business rules run through the same `rules` functions the sandbox uses.

pub mod customers;
pub mod history;
pub mod overview;
pub mod refund;
mod steps;
pub mod terminal;

use flexkit_core::flexiti::{amount, AccountNumber, ApiError, ErrorCode};
use flexkit_core::time::UtcTimestamp;
use flexkit_core::validation::Validation;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::components::fields::{
    focus_first_invalid, read_amount, AMOUNT_REQUIRED, UNREADABLE_TEXT,
};
use crate::components::format::{go_in_place, page_address};
use crate::state::FlexitiError;
use crate::store::{use_store, Store};

thread_local! {
    /// The FlexitiCard a look-up hands to the terminal with its account: in memory, never in
    /// the address, where a card number would stay in the history and reach the static
    /// host's log on a reload.
    static CARD_HANDED: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// Hands `card` to the terminal opened next for `account`.
pub fn hand_card(account: &str, card: &str) {
    CARD_HANDED.with(|c| *c.borrow_mut() = Some((account.to_owned(), card.to_owned())));
}

/// The card handed over for `account`; whatever was handed is taken, so a card handed for
/// another account (a link opened in a new tab) never fills a later sale.
pub fn take_card(account: &str) -> Option<String> {
    CARD_HANDED
        .with(|c| c.borrow_mut().take())
        .and_then(|(handed, card)| (handed == account).then_some(card))
}

/// Keeps a page's address and its form in step, so a link or a reload shows the form as it
/// was: a field typed in writes the address (replacing the history entry), every field's text
/// exactly as typed, an empty one left out; an address reached otherwise — a tab's link to
/// the bare page, Back — fills the fields from it.
pub fn sync_address(path: &'static str, fields: Vec<(&'static str, RwSignal<String>)>) {
    let query = use_query_map();
    let read = fields.clone();
    Effect::new(move |_| {
        query.with(|q| {
            for (key, field) in &read {
                let value = q.get(key).unwrap_or_default();
                if field.with_untracked(|v| *v != value) {
                    field.set(value);
                }
            }
        })
    });
    let navigate = use_navigate();
    let here = use_location();
    Effect::new(move |_| {
        let values: Vec<String> = fields.iter().map(|(_, field)| field.get()).collect();
        let to = page_address(
            path,
            fields
                .iter()
                .zip(&values)
                .map(|((key, _), v)| (*key, v.as_str())),
        );
        let search = here.search.get_untracked();
        let mark = if search.is_empty() { "" } else { "?" };
        if format!("{}{mark}{search}", here.pathname.get_untracked()) != to {
            go_in_place(&navigate, &to, true);
        }
    });
}

/// The section's sub-navigation; the current page carries `aria-current="page"`. Under it,
/// the Flexiti environment in force: the header's company and mode are FlexPay's, and the
/// Flexiti pages do not follow them.
#[component]
pub fn FlexitiTabs() -> impl IntoView {
    let store = use_store();
    let environment = move || store.portal.with(|p| p.settings.flexiti.environment.name());
    const TABS: [(&str, &str); 5] = [
        ("/flexiti", "Overview"),
        ("/flexiti/customers", "Customers"),
        ("/flexiti/terminal", "Terminal"),
        ("/flexiti/refund", "Refund"),
        ("/flexiti/history", "History"),
    ];
    view! {
        <nav class="fx-tabs" aria-label="Flexiti">
            <ul>
                {TABS
                    .iter()
                    .map(|(href, label)| view! { <li><A href=*href exact=true>{*label}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
        <p class="fx-scope" data-testid="flexiti-scope">
            "Flexiti environment: "<strong>{environment}</strong>
            ", set on the Flexiti overview. The header's company and Sandbox/Production mode apply to FlexPay only, not to Flexiti."
        </p>
    }
}

/// Keeps the token usable while a Flexiti page is open (read-only look-ups on the page need a
/// valid one): when the page opens, and then every 30 seconds, a token the core's rule says
/// is due (or expired, or missing), or one the sandbox refuses, is renewed
/// ([`crate::state::Portal::flexiti_token_due`]). Nothing happens without saved credentials.
pub fn renew_token_on_open(store: Store) {
    let renew = move || {
        let now = store.now();
        if store.portal.with_untracked(|p| p.flexiti_token_due(now)) {
            store.act(|p, now| p.flexiti_renew(now));
        }
    };
    Effect::new(move |_| renew());
    if let Ok(handle) = set_interval_with_handle(renew, std::time::Duration::from_secs(30)) {
        on_cleanup(move || handle.clear());
    }
}

/// The problems of one form, by field key, and which fields show theirs: a field shows its
/// problems once edited, every field once the form was submitted.
#[derive(Clone, Copy)]
pub struct Checks {
    problems: Memo<Vec<(String, String)>>,
    touched: RwSignal<Vec<String>>,
    all: RwSignal<bool>,
    /// The form's text fields ([`TextField`] adds itself), for what no request shows: a text
    /// the browser handed over with U+FFFD, its stand-in for half of a surrogate pair (a
    /// character cut in two when copied). Sent, it would be another text than the one typed.
    texts: StoredValue<Vec<(&'static str, RwSignal<String>)>>,
}

impl Checks {
    pub fn new(problems: Memo<Vec<(String, String)>>) -> Checks {
        Checks {
            problems,
            touched: RwSignal::new(Vec::new()),
            all: RwSignal::new(false),
            texts: StoredValue::new(Vec::new()),
        }
    }

    /// Adds a field on screen; [`Checks::unwatch`] takes it off when it leaves the screen (a
    /// hidden field is not in the request, so it must not hold the form back).
    fn watch(&self, key: &'static str, value: RwSignal<String>) {
        self.texts.update_value(|t| t.push((key, value)));
    }

    fn unwatch(&self, key: &'static str, value: RwSignal<String>) {
        self.texts.update_value(|t| {
            if let Some(at) = t.iter().position(|&(k, v)| k == key && v == value) {
                t.remove(at);
            }
        });
    }

    /// Whether the text of field `key` holds U+FFFD (reactive).
    fn unreadable_at(&self, key: &str) -> bool {
        self.texts.with_value(|t| {
            t.iter()
                .any(|(k, v)| *k == key && v.with(|text| text.contains('\u{FFFD}')))
        })
    }

    /// Shows every field's problems before a send. False when a field holds text the browser
    /// could not read: then `outcome` says nothing was sent, the focus goes to the first field
    /// marked, and the caller sends nothing.
    #[must_use]
    pub fn reveal_to_send(
        &self,
        ev: &leptos::ev::SubmitEvent,
        outcome: RwSignal<Option<Outcome>>,
    ) -> bool {
        self.reveal();
        let unreadable = self.unreadable();
        if unreadable {
            outcome.set(Some(Outcome::Failed(
                "Nothing was sent: fix the marked fields; the focus is on the first.".to_owned(),
            )));
            focus_first_invalid(ev);
        }
        !unreadable
    }

    pub fn touch(&self, key: &str) {
        if !self.touched.with_untracked(|t| t.iter().any(|k| k == key)) {
            self.touched.update(|t| t.push(key.to_owned()));
        }
    }

    pub fn reveal(&self) {
        self.all.set(true);
    }

    pub fn reset(&self) {
        self.all.set(false);
        self.touched.set(Vec::new());
    }

    /// The messages shown at `key` (reactive).
    pub fn at(&self, key: &str) -> Vec<String> {
        let shown = self.all.get() || self.touched.with(|t| t.iter().any(|k| k == key));
        if !shown {
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        if self.unreadable_at(key) {
            out.push(UNREADABLE_TEXT.to_owned());
        }
        self.problems.with(|ps| {
            for (_, message) in ps.iter().filter(|(field, _)| field == key) {
                if !out.contains(message) {
                    out.push(message.clone());
                }
            }
        });
        out
    }

    pub fn has_errors(&self) -> bool {
        self.problems.with_untracked(|ps| !ps.is_empty()) || self.unreadable()
    }

    /// Whether a text field of the form holds U+FFFD (not reactive).
    fn unreadable(&self) -> bool {
        self.texts.with_value(|t| {
            t.iter()
                .any(|(_, v)| v.with_untracked(|text| text.contains('\u{FFFD}')))
        })
    }
}

/// Places the core's problems at the form's fields: a path the form has a field for goes
/// there, anything else to `general`.
pub fn place(validation: &Validation, fields: &[&str]) -> Vec<(String, String)> {
    validation
        .errors()
        .map(|p| {
            let field = if fields.contains(&p.path.as_str()) {
                p.path.clone()
            } else {
                "general".to_owned()
            };
            let message = if field == "general" && !p.path.is_empty() {
                format!("{}: {}", p.path, p.message)
            } else {
                p.message.clone()
            };
            (field, message)
        })
        .collect()
}

/// A form's problems with the core's at its Amount field worded as the FlexPay terminal's
/// Amount field words them ([`read_amount`]): in the dollars and cents typed, naming the
/// character out of place, with an example that is accepted and Flexiti's own limit. The
/// core's verdict stands: only a field it found fault with is reworded. (A release's optional
/// amount says what leaving it empty does in its hint.)
pub fn word_amount(
    mut out: Vec<(String, String)>,
    text: &RwSignal<String>,
) -> Vec<(String, String)> {
    if !out.iter().any(|(field, _)| field == "amount") {
        return out;
    }
    let message = text.with(|t| {
        let t = t.trim();
        if t.is_empty() {
            return Some(AMOUNT_REQUIRED.to_owned());
        }
        read_amount(
            t,
            amount::CURRENCY,
            false,
            amount::MAX_MINOR_UNITS,
            "the largest amount Flexiti carries",
        )
        .err()
        .map(|p| p.message)
    });
    if let Some(message) = message {
        out.retain(|(field, _)| field != "amount");
        out.push(("amount".to_owned(), message));
    }
    out
}

/// The field an error answer is about, for showing it there too.
pub fn field_of(error: &ApiError) -> &'static str {
    match error.code {
        ErrorCode::UserNotActive
        | ErrorCode::UserNotAbleToPurchase
        | ErrorCode::NotFound
        | ErrorCode::AccountTypeNotPermitted => "account_number",
        ErrorCode::VccAccountMismatch => "vcc_number",
        ErrorCode::CreditExceeded
        | ErrorCode::NotEnoughCredit
        | ErrorCode::AuthAmountExceeded
        | ErrorCode::CaptureAmountExceeded
        | ErrorCode::RefundsLimitExceededAmount => "amount",
        ErrorCode::WrongVerificationCode | ErrorCode::VerificationCodeRequired => {
            "verification_code"
        }
        ErrorCode::PlanTermNotAvailable | ErrorCode::PlanTermNotSet => "financing_option.term",
        ErrorCode::SecretAnswerMismatch | ErrorCode::PiwMismatch => "security_answer",
        ErrorCode::TriesExceed
        | ErrorCode::SmsNotValidPhone
        | ErrorCode::MerchantOverrideIsNotAllowed
        | ErrorCode::RegularPurchaseBypassIsNotAllowed => "format",
        ErrorCode::NotVerified => "request_id",
        _ => "general",
    }
}

/// The error of a refused call, placed at the form's field when it is about one.
pub fn server_problem(error: &FlexitiError, fields: &[&str]) -> Option<(String, String)> {
    let FlexitiError::Api(api) = error else {
        return None;
    };
    let field = field_of(api);
    fields
        .contains(&field)
        .then(|| (field.to_owned(), format!("{}: {}", api.code(), api.message)))
}

/// A form's problems plus the sandbox's answer to it, while the form still holds the text
/// that answer was for.
pub fn with_server(
    mut out: Vec<(String, String)>,
    text: &str,
    server: RwSignal<Option<(String, (String, String))>>,
) -> Vec<(String, String)> {
    if let Some((for_text, problem)) = server.get() {
        if for_text == text && !out.iter().any(|(field, _)| *field == problem.0) {
            out.push(problem);
        }
    }
    out
}

/// An account number typed in a form, read by the core (digits, at most 14: Flexiti's
/// `number (14)`) and held to the 14 digits a Flexiti account number has, as a FlexitiCard
/// number is held to its 16: a shorter one is refused at its field and never sent.
pub fn typed_account(text: &str) -> Result<AccountNumber, String> {
    let text = text.trim();
    let number = AccountNumber::parse(text).map_err(|e| e.message)?;
    if text.len() < AccountNumber::MAX_DIGITS {
        return Err(format!(
            "account_number has {} digits; it has exactly {}",
            text.len(),
            AccountNumber::MAX_DIGITS
        ));
    }
    Ok(number)
}

/// Adds a field's trimmed text to a request object, unless it is empty.
pub fn put(
    map: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
    value: &RwSignal<String>,
) {
    let text = value.get().trim().to_owned();
    if !text.is_empty() {
        map.insert(key.to_owned(), serde_json::Value::String(text));
    }
}

pub fn field_or_general(path: &str, fields: &[&str]) -> String {
    if fields.contains(&path) {
        path.to_owned()
    } else {
        "general".to_owned()
    }
}

/// A fresh `request_id` for an in-store verify and the purchase that reuses it: the terminal
/// and the time it was drawn, unique per till and millisecond.
pub fn fresh_request_id(now: UtcTimestamp) -> String {
    format!("pos-{}", now.unix_millis())
}

/// Store and employee presets for the till.
pub const STORE_PRESET: (&str, &str) = ("00-12345", "12345-SMITH");

/// A button that fills the store and employee fields with [`STORE_PRESET`].
#[component]
pub fn StorePreset(
    location: RwSignal<String>,
    employee: RwSignal<String>,
    checks: Checks,
) -> impl IntoView {
    view! {
        <div class="fx-field fx-preset-inline">
            <button type="button" class="secondary" on:click=move |_| {
                location.set(STORE_PRESET.0.to_owned());
                employee.set(STORE_PRESET.1.to_owned());
                checks.touch("external_location_id");
                checks.touch("external_employee_id");
            }>{format!("Use store {} / {}", STORE_PRESET.0, STORE_PRESET.1)}</button>
        </div>
    }
}

/// Problems at a field that has no text input of its own (selects, radio groups); the list's
/// id is `{form}-{key}-problems`, for the group's `aria-describedby`.
#[component]
pub fn ProblemsAt(checks: Checks, form: &'static str, key: &'static str) -> impl IntoView {
    view! {
        <ul class="fx-problems" id=format!("{form}-{}-problems", key.replace('.', "-"))>
            {move || checks.at(key).into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
        </ul>
    }
}

/// A labelled text field with its hint and its problems; `aria-invalid` and
/// `aria-describedby` tell assistive technology about both.
#[component]
pub fn TextField(
    /// Element id prefix (unique on the page).
    form: &'static str,
    /// The field key (a JSON path of the request).
    key: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    checks: Checks,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let id = format!("{form}-{}", key.replace('.', "-"));
    let problems_id = format!("{id}-problems");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {problems_id}")
    } else {
        problems_id.clone()
    };
    checks.watch(key, value);
    on_cleanup(move || checks.unwatch(key, value));
    let shown = move || checks.at(key);
    view! {
        <div class="fx-field" class:fx-invalid=move || !shown().is_empty()>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type=kind.unwrap_or("text")
                inputmode=numeric.then_some("decimal")
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                aria-invalid=move || if shown().is_empty() { "false" } else { "true" }
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    checks.touch(key);
                }
            />
            {hint.map(|h| view! { <p class="fx-hint" id=hint_id.clone()>{h}</p> })}
            <ul class="fx-problems" id=problems_id>
                {move || shown().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// Problems that belong to no single field.
#[component]
pub fn GeneralProblems(checks: Checks) -> impl IntoView {
    move || {
        let shown = checks.at("general");
        (!shown.is_empty()).then(|| {
            view! {
                <ul class="fx-problems fx-general">
                    {shown.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            }
        })
    }
}

/// The outcome of the latest action of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done(String),
    Failed(String),
}

impl Outcome {
    pub fn from_error(error: &FlexitiError) -> Outcome {
        Outcome::Failed(error.to_string())
    }
}

/// The outcome as a banner: `role="status"` for success, `role="alert"` for an error.
#[component]
pub fn OutcomeBanner(outcome: RwSignal<Option<Outcome>>, testid: &'static str) -> impl IntoView {
    move || {
        outcome.get().map(|o| match o {
            Outcome::Done(text) => view! {
                <p class="banner banner-info" role="status" data-testid=testid id=testid tabindex="-1">{text}</p>
            }
            .into_any(),
            Outcome::Failed(text) => view! {
                <p class="banner banner-error" role="alert" data-testid=testid id=testid tabindex="-1">{text}</p>
            }
            .into_any(),
        })
    }
}

/// Shown when a page needs credentials that are not saved.
#[component]
pub fn NeedsCredentials() -> impl IntoView {
    let store = use_store();
    move || {
        (!store.portal.with(|p| p.settings.flexiti.configured())).then(|| {
            view! {
                <p class="banner banner-info" role="status">
                    "No Flexiti credentials are saved yet. "
                    <A href="/flexiti">"Save the client id and secret on the overview"</A>
                    " first."
                </p>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flexkit_core::flexiti::{AuthorizationBody, RequestBody};

    #[test]
    fn a_card_handed_over_fills_only_the_next_terminal_of_its_account() {
        hand_card("10000000000008", "6011000000000018");
        assert_eq!(
            take_card("10000000000008").as_deref(),
            Some("6011000000000018")
        );
        assert_eq!(take_card("10000000000008"), None, "taken once");
        // Handed for one account and not taken there (a new tab): gone for any other.
        hand_card("10000000000008", "6011000000000018");
        assert_eq!(take_card("10000000000009"), None);
        assert_eq!(take_card("10000000000008"), None);
    }

    #[test]
    fn problems_go_to_their_field_or_to_the_form() {
        let Err(validation) = AuthorizationBody::from_json(
            r#"{"account_number": "12x", "amount": "1.234", "auto_capture": true,
                "financing_option": {"transaction_type": "promotional_purchase", "plan_id": "EMP-EQUAL", "term": 12},
                "surprise": 1}"#,
        ) else {
            panic!("the body is invalid");
        };
        let placed = place(&validation, &["account_number", "amount"]);
        let fields: Vec<&str> = placed.iter().map(|(f, _)| f.as_str()).collect();
        assert!(fields.contains(&"account_number"), "{placed:?}");
        assert!(fields.contains(&"amount"), "{placed:?}");
        // A field the form does not have is reported for the whole form, with its path.
        assert!(placed
            .iter()
            .any(|(f, m)| f == "general" && m.starts_with("surprise")));
    }

    #[test]
    fn amounts_are_worded_as_the_terminals_amount_field() {
        use flexkit_core::flexiti::ReleaseBody;
        let owner = Owner::new();
        owner.with(|| {
            let typed = RwSignal::new(String::new());
            let purchase = |text: &str| {
                typed.set(text.to_owned());
                let body = format!(r#"{{"account_number": "10000000000001", "amount": "{text}"}}"#);
                let Err(validation) = AuthorizationBody::from_json(&body) else {
                    panic!("the body is invalid");
                };
                word_amount(place(&validation, &["amount"]), &typed)
                    .into_iter()
                    .filter(|(field, _)| field == "amount")
                    .map(|(_, message)| message)
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                purchase("12a"),
                ["The amount has \"a\", which is not a digit 0-9. Enter digits with at most one \".\", e.g. 20.08."]
            );
            assert_eq!(purchase("0"), ["Enter an amount above zero, e.g. 20.08."]);
            assert_eq!(purchase("-5"), ["Enter an amount above zero, e.g. 20.08."]);
            assert_eq!(
                purchase("99999999999999999"),
                ["Enter at most 9999999999999999.99, the largest amount Flexiti carries."]
            );
            assert_eq!(purchase(""), [AMOUNT_REQUIRED]);
            // A valid amount keeps no problem of its own, whatever else is wrong.
            assert!(purchase("12.50").is_empty());
            for text in ["1,000.00", "12.345", "1e3", "+5"] {
                for message in purchase(text) {
                    for wire in ["invalid amount", "send an", "send it", "minor units", "\"10.50\""] {
                        assert!(!message.contains(wire), "{text}: {message}");
                    }
                }
            }
            // Release: an empty amount releases everything that remains, and is not refused.
            typed.set("0".to_owned());
            let Err(validation) = ReleaseBody::from_json(r#"{"amount": "0"}"#) else {
                panic!("the body is invalid");
            };
            assert_eq!(
                word_amount(place(&validation, &["amount"]), &typed),
                [(
                    "amount".to_owned(),
                    "Enter an amount above zero, e.g. 20.08.".to_owned()
                )]
            );
            typed.set(String::new());
            assert!(ReleaseBody::from_json("{}").is_ok());
        });
    }

    #[test]
    fn documented_errors_are_shown_at_the_field_they_are_about() {
        for (code, field) in [
            (ErrorCode::UserNotAbleToPurchase, "account_number"),
            (ErrorCode::UserNotActive, "account_number"),
            (ErrorCode::CreditExceeded, "amount"),
            (ErrorCode::CaptureAmountExceeded, "amount"),
            (ErrorCode::AuthAmountExceeded, "amount"),
            (ErrorCode::WrongVerificationCode, "verification_code"),
            (ErrorCode::NotVerified, "request_id"),
            (ErrorCode::PlanTermNotAvailable, "financing_option.term"),
            (ErrorCode::SecretAnswerMismatch, "security_answer"),
            (ErrorCode::TriesExceed, "format"),
            (ErrorCode::RegularPurchaseBypassIsNotAllowed, "format"),
            (ErrorCode::MerchantOverrideIsNotAllowed, "format"),
            (ErrorCode::RefundsLimitExceededAmount, "amount"),
            (ErrorCode::InvalidClient, "general"),
        ] {
            assert_eq!(field_of(&ApiError::new(code.clone())), field, "{code:?}");
        }
    }

    #[test]
    fn an_account_number_has_its_14_digits() {
        assert_eq!(
            typed_account(" 10000000000001 ").unwrap().get(),
            10_000_000_000_001
        );
        assert_eq!(
            typed_account("1234").unwrap_err(),
            "account_number has 4 digits; it has exactly 14"
        );
        assert!(typed_account("100000000000011")
            .unwrap_err()
            .contains("at most 14"));
        assert!(typed_account("12ab").unwrap_err().contains("digits only"));
    }

    #[test]
    fn request_ids_are_fresh_per_millisecond() {
        let at = |ms| UtcTimestamp::from_unix_millis(ms).unwrap();
        assert_eq!(fresh_request_id(at(1_700_000_000_123)), "pos-1700000000123");
        assert_ne!(fresh_request_id(at(1)), fresh_request_id(at(2)));
    }

    #[test]
    fn the_answer_is_shown_only_while_the_form_holds_what_was_sent() {
        let owner = Owner::new();
        owner.with(|| {
            let server = RwSignal::new(Some((
                "sent".to_owned(),
                (
                    "amount".to_owned(),
                    "refunds_limit_exceeded_amount".to_owned(),
                ),
            )));
            assert_eq!(with_server(Vec::new(), "sent", server).len(), 1);
            assert!(with_server(Vec::new(), "edited", server).is_empty());
            // A problem the form already shows at that field is not doubled.
            let live = vec![("amount".to_owned(), "too much".to_owned())];
            assert_eq!(with_server(live, "sent", server).len(), 1);
        });
    }
}
