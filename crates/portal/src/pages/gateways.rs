//! Payment gateways of the company (or all companies) and mode chosen in the header (the
//! FlexPay client portal's Admin → Payment gateways and the Gateway Management API): list, add
//! (for a company chosen in the form while the header shows All companies), edit its fields in
//! place (Escape or Cancel ends the editing), update credentials, disable, Refund Only (the
//! focus then on the row's name, as its buttons change), delete after a confirmation; each
//! change is made in the gateway's own company. Credentials are write-only: the sandbox keeps
//! only a fingerprint of each value, and the page shows only the names of the settings once
//! they are saved.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::gateway::{
    AcceptedCards, CardAcceptance, Gateway, GatewayStatus, GatewayType, GATEWAY_TYPES,
};
use flexkit_core::flexpay::sandbox::gateways::MASKED_SETTING;
use flexkit_core::flexpay::sandbox::{error_code, CompanyScope, GatewayListing};
use flexkit_core::flexpay::validate::{limits, validate_gateway, ValidationContext};
use flexkit_core::validation::{code, Problem};
use leptos::prelude::*;

use crate::components::company::{company_note, company_problem, form_company, CompanyField};
use crate::components::confirm::Confirm;
use crate::components::fields::{
    close_editor, focus_after_render, focus_element, refuse_name_fault, refuse_too_long,
    refuse_unreadable, status_slot, FieldChecks, FieldProblem, FieldProblems, ProblemSummary,
    TextField,
};
use crate::components::format::{currency_options, instant};
use crate::components::layout::mode_label;
use crate::storage;
use crate::store::use_store;

const STATUSES: [GatewayStatus; 3] = [
    GatewayStatus::Available,
    GatewayStatus::Disabled,
    GatewayStatus::RefundOnly,
];

fn status_from(value: &str) -> GatewayStatus {
    STATUSES
        .into_iter()
        .find(|s| s.api_name() == value)
        .unwrap_or(GatewayStatus::Available)
}

/// One credential being typed: a setting name and its secret value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SettingRow {
    id: u32,
    name: RwSignal<String>,
    value: RwSignal<String>,
}

/// The problems of typed credentials: a value needs a name, a name a value, names are unique.
fn setting_problems(rows: &[(u32, String, String)], taken: &[String]) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (id, name, value) in rows {
        let name = name.trim();
        if name.is_empty() && value.is_empty() {
            continue;
        }
        if name.is_empty() {
            problems.push(FieldProblem::error(
                format!("setting-{id}-name"),
                code::REQUIRED,
                "Name the setting (e.g. apiKey), or remove it.",
            ));
        } else if seen.contains(&name) || taken.iter().any(|t| t == name) {
            problems.push(FieldProblem::error(
                format!("setting-{id}-name"),
                code::CONFLICT,
                format!("The setting {name:?} is already listed: each name once."),
            ));
        } else {
            seen.push(name);
        }
        if value.is_empty() {
            problems.push(FieldProblem::error(
                format!("setting-{id}-value"),
                code::REQUIRED,
                "Enter the value, or remove the setting.",
            ));
        }
        masked_problem(&mut problems, format!("setting-{id}-value"), value);
        refuse_unreadable(&mut problems, &format!("setting-{id}-name"), name);
        refuse_unreadable(&mut problems, &format!("setting-{id}-value"), value);
    }
    problems
}

/// Refuses the mask reads show in place of a stored credential, typed as a value: saved, it
/// would be taken as "keep the stored one" by an update and as the credential by a create.
fn masked_problem(problems: &mut Vec<FieldProblem>, field: String, value: &str) {
    if value == MASKED_SETTING {
        problems.push(FieldProblem::error(
            field,
            error_code::MASKED_SETTING_VALUE,
            "\"********\" is how a stored value is shown, not a value: type the credential itself.",
        ));
    }
}

fn field_of(path: &str) -> String {
    match path {
        "name" => "name",
        "gatewayType" => "type",
        "currencyCode" => "currency",
        "weight" => "weight",
        "merchantAccountReferenceId" => "mid",
        p if p.starts_with("acceptedCurrencyCodes") => "accepted",
        _ => "general",
    }
    .to_owned()
}

/// A problem of the core's validation in the words of the form: the core's messages name the
/// API's fields (`currencyCode`, `weight`, ...) and are shared with the npm package, so they are
/// reworded here, by code and path, keeping what they say (the limit, the value at fault).
fn word(problem: &Problem, gateway: &Gateway) -> FieldProblem {
    let mut p = FieldProblem::from_core(problem, field_of);
    let path = problem.path.as_str();
    // A code of the list, named by what was typed instead of its index.
    let typed = path
        .strip_prefix("acceptedCurrencyCodes[")
        .and_then(|i| i.strip_suffix(']')?.parse::<usize>().ok())
        .and_then(|i| gateway.accepted_currency_codes.as_ref()?.get(i));
    let rest = problem.message.strip_prefix(path);
    p.message = match (p.field.as_str(), p.code, typed, rest) {
        ("name", code::REQUIRED, _, _) => {
            "Enter the gateway's name; it cannot be changed later.".to_owned()
        }
        ("accepted", code::INVALID_VALUE, _, _) => format!(
            "The list leaves out {}, the gateway's own currency: list it too. FlexPay does not say whether a gateway still takes it then (this sandbox does).",
            gateway.currency_code
        ),
        (_, _, Some(typed), Some(rest)) => format!("\"{typed}\"{rest}"),
        ("general", ..) | (_, _, _, None) => return p,
        (field, _, _, Some(rest)) => label_of(field) + rest,
    };
    p
}

fn label_of(field: &str) -> String {
    match field {
        "name" => "Name".to_owned(),
        "company" => "Company".to_owned(),
        "type" => "Gateway type".to_owned(),
        "currency" => "Currency".to_owned(),
        "accepted" => "Accepted currencies".to_owned(),
        "weight" => "Distribution".to_owned(),
        "mid" => "Merchant account reference ID".to_owned(),
        "cards" => "Accepted cards".to_owned(),
        f if f.starts_with("setting-") && f.ends_with("-name") => "Setting name".to_owned(),
        f if f.starts_with("setting-") => "Setting value".to_owned(),
        f if f.starts_with("existing-") => "New value".to_owned(),
        _ => "Gateway".to_owned(),
    }
}

/// Every brand of [`AcceptedCards::BRANDS`] ticked.
const EVERY_BRAND: u8 = (1 << AcceptedCards::BRANDS.len()) - 1;

/// The brands the form ticks for a gateway: those it takes.
fn ticked_brands(g: &Gateway) -> u8 {
    AcceptedCards::BRANDS
        .iter()
        .enumerate()
        .filter(|(_, &brand)| g.takes_card(brand))
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

/// The `acceptedCards` of the ticked brands: none while every brand is ticked and the gateway
/// had none (it takes every brand), else a dictionary in which a ticked brand keeps the
/// entry it had when that took some kind of card (every kind otherwise) and an unticked one
/// takes none.
fn accepted_cards(ticked: u8, kept: Option<AcceptedCards>) -> Option<AcceptedCards> {
    if ticked == EVERY_BRAND && kept.is_none() {
        return None;
    }
    let mut cards = kept.unwrap_or_default();
    for (i, &brand) in AcceptedCards::BRANDS.iter().enumerate() {
        if let Some(entry) = cards.entry_mut(brand) {
            *entry = if ticked & 1 << i == 0 {
                Some(CardAcceptance::NONE)
            } else {
                Some(
                    entry
                        .filter(CardAcceptance::takes_some)
                        .unwrap_or(CardAcceptance::ALL),
                )
            };
        }
    }
    Some(cards)
}

/// The new-gateway form.
#[derive(Clone, Copy)]
struct NewGateway {
    name: RwSignal<String>,
    gateway_type: RwSignal<String>,
    currency: RwSignal<String>,
    accepted: RwSignal<String>,
    status: RwSignal<String>,
    mid: RwSignal<String>,
    weight: RwSignal<String>,
    cvv_required: RwSignal<bool>,
    /// Bit `i`: the brand `AcceptedCards::BRANDS[i]` is ticked.
    cards: RwSignal<u8>,
    /// The edited gateway's dictionary, whose entries of ticked brands are kept as they are.
    kept_cards: StoredValue<Option<AcceptedCards>>,
    /// The edited gateway's merchant account reference ID, kept as it is even when an older
    /// rule let it hold U+FFFD (only a changed one is refused for it).
    kept_mid: StoredValue<Option<String>>,
    retries: RwSignal<bool>,
    settings: RwSignal<Vec<SettingRow>>,
    next_row: StoredValue<u32>,
    /// The page's owner: a row's signals are made under it, whatever runs `add_row`. Made
    /// under the owner of the control clicked (the edit form's Cancel, shown only while
    /// editing) they were disposed with that control, and every later read of the form — a
    /// mode or company switch, Save gateway — panicked.
    owner: StoredValue<Option<Owner>>,
    /// The mode the header shows, which picks the type a new gateway starts with.
    mode: Signal<Environment>,
}

/// The type a new gateway starts with: the FlexPay Sandbox gateway in Sandbox, and none in
/// Production, where that gateway is refused (it takes test payments only): there the
/// merchant picks the gateway that processes the live payments.
fn default_type(mode: Environment) -> &'static str {
    match mode {
        Environment::Sandbox => "flexpay_sandbox",
        Environment::Production => "",
    }
}

impl NewGateway {
    fn new(mode: Signal<Environment>) -> Self {
        let form = NewGateway {
            name: RwSignal::new(String::new()),
            gateway_type: RwSignal::new(default_type(mode.get_untracked()).to_owned()),
            currency: RwSignal::new("USD".to_owned()),
            accepted: RwSignal::new(String::new()),
            status: RwSignal::new("Available".to_owned()),
            mid: RwSignal::new(String::new()),
            weight: RwSignal::new("1".to_owned()),
            cvv_required: RwSignal::new(false),
            cards: RwSignal::new(EVERY_BRAND),
            kept_cards: StoredValue::new(None),
            kept_mid: StoredValue::new(None),
            retries: RwSignal::new(true),
            settings: RwSignal::new(Vec::new()),
            next_row: StoredValue::new(0),
            owner: StoredValue::new(Owner::current()),
            mode,
        };
        form.add_row();
        form
    }

    fn add_row(&self) -> u32 {
        let id = self.next_row.get_value();
        self.next_row.set_value(id + 1);
        let row = || SettingRow {
            id,
            name: RwSignal::new(String::new()),
            value: RwSignal::new(String::new()),
        };
        let row = match self.owner.get_value() {
            Some(owner) => owner.with(row),
            None => row(),
        };
        self.settings.update(|rows| rows.push(row));
        id
    }

    /// Loads a gateway's fields to edit them (its credentials have their own editor).
    fn fill(&self, g: &Gateway) {
        self.name.set(g.name.clone());
        self.gateway_type.set(g.gateway_type.as_str().to_owned());
        self.currency.set(g.currency_code.clone());
        self.accepted.set(
            g.accepted_currency_codes
                .clone()
                .unwrap_or_default()
                .join(", "),
        );
        self.status.set(g.status.api_name().to_owned());
        self.mid
            .set(g.merchant_account_reference_id.clone().unwrap_or_default());
        self.kept_mid
            .set_value(g.merchant_account_reference_id.clone());
        self.weight.set(
            g.weight
                .as_ref()
                .map_or_else(|| "1".to_owned(), |w| w.to_string()),
        );
        self.cvv_required.set(g.cvv_required.unwrap_or(false));
        self.cards.set(ticked_brands(g));
        self.kept_cards.set_value(g.accepted_cards);
        self.retries.set(g.takes_retries());
        self.settings.set(Vec::new());
    }

    /// Empties the form for the next gateway: its type and status back to the defaults, so
    /// the next one is not made Refund Only by the last; the currency stays.
    fn clear(&self) {
        self.name.set(String::new());
        self.gateway_type
            .set(default_type(self.mode.get_untracked()).to_owned());
        self.status.set("Available".to_owned());
        self.accepted.set(String::new());
        self.mid.set(String::new());
        self.weight.set("1".to_owned());
        self.cvv_required.set(false);
        self.cards.set(EVERY_BRAND);
        self.kept_cards.set_value(None);
        self.kept_mid.set_value(None);
        self.retries.set(true);
        self.settings.set(Vec::new());
        self.add_row();
    }

    /// The gateway to create and every problem with it.
    fn build(&self, ctx: &ValidationContext) -> (Gateway, Vec<FieldProblem>) {
        let mut problems = Vec::new();
        let mut gateway = Gateway::new(
            self.name.get().trim(),
            GatewayType::from_wire(&self.gateway_type.get()),
            self.currency.get(),
            status_from(&self.status.get()),
        );
        gateway.merchant_account_reference_id =
            Some(self.mid.get().trim().to_owned()).filter(|m| !m.is_empty());
        if let Some(mid) = &gateway.merchant_account_reference_id {
            if self
                .kept_mid
                .with_value(|kept| kept.as_deref() != Some(mid.as_str()))
            {
                refuse_unreadable(&mut problems, "mid", mid);
            }
        }
        let accepted: Vec<String> = self
            .accepted
            .get()
            .split([',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        gateway.accepted_currency_codes = (!accepted.is_empty()).then_some(accepted);
        let weight = self.weight.get();
        let weight = weight.trim();
        if !weight.is_empty() {
            let number = weight
                .parse::<u64>()
                .ok()
                .map(serde_json::Number::from)
                .or_else(|| {
                    // serde_json's float reading, which the portal has anyway (std's
                    // would add its own tables), of what people type too: `.5`, `5.`, `+2`.
                    let typed = weight.strip_prefix('+').unwrap_or(weight);
                    let lead = if typed.starts_with('.') { "0" } else { "" };
                    let tail = if typed.ends_with('.') { "0" } else { "" };
                    serde_json::from_str::<f64>(&format!("{lead}{typed}{tail}"))
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                });
            match number {
                Some(n) => gateway.weight = Some(n),
                None => problems.push(FieldProblem::error(
                    "weight",
                    code::INVALID_FORMAT,
                    "Distribution is a number (default 1; higher is favoured when FlexPay routes).",
                )),
            }
        }
        gateway.cvv_required = Some(self.cvv_required.get());
        let ticked = self.cards.get();
        gateway.accepted_cards = accepted_cards(ticked, self.kept_cards.get_value());
        if ticked == 0 {
            problems.push(FieldProblem::error(
                "cards",
                code::REQUIRED,
                "Tick at least one brand: a gateway that takes no card refuses every card payment (50130).",
            ));
        }
        // Left out while ticked: a gateway takes retries unless the flag is `false`.
        gateway.accept_retries = (!self.retries.get()).then_some(false);
        let rows: Vec<(u32, String, String)> = self
            .settings
            .get()
            .iter()
            .map(|r| (r.id, r.name.get(), r.value.get()))
            .collect();
        problems.extend(setting_problems(&rows, &[]));
        // Inserted one by one: `collect` would compile a sort for this map alone.
        let mut settings = serde_json::Map::new();
        for (_, n, v) in rows {
            if !n.trim().is_empty() && !v.is_empty() {
                settings.insert(n.trim().to_owned(), serde_json::Value::String(v));
            }
        }
        gateway.settings = (!settings.is_empty()).then_some(settings);
        problems.extend(
            validate_gateway(&gateway, ctx)
                .problems()
                .iter()
                .map(|p| word(p, &gateway)),
        );
        refuse_too_long(&mut problems, "name", &gateway.name, limits::GATEWAY_NAME);
        (gateway, problems)
    }
}

#[component]
pub fn GatewaysPage() -> impl IntoView {
    let store = use_store();
    let message = RwSignal::new(None::<(bool, String)>);
    let created = RwSignal::new(None::<(String, String)>);
    let editing = RwSignal::new(None::<String>);
    // The gateway (token, company) whose fields the form edits, if any.
    let edit = RwSignal::new(None::<(String, String)>);
    let scope = Memo::new(move |_| {
        store
            .portal
            .with(|p| (p.settings.company.clone(), p.settings.mode))
    });
    // The header's mode, read from the page's one scope.
    let form = NewGateway::new(Signal::derive(move || scope.with(|s| s.1)));
    // The gateway (token, name) awaiting confirmation of its deletion.
    let confirming = RwSignal::new(None::<(String, String)>);
    Effect::new(move || {
        if editing.with(Option::is_some) {
            created.set(None);
        }
    });
    // What was said of one company's gateways in one mode is not said of the next ones, and
    // an editor or a confirmation open on one of them closes: saved, it would change a
    // gateway the page no longer shows. An edit of the form is closed too, and said to be,
    // since what was typed in it is dropped.
    Effect::new(move |ran: Option<()>| {
        scope.track();
        if ran.is_some() {
            created.set(None);
            editing.set(None);
            confirming.set(None);
            let closed = edit
                .with_untracked(Option::is_some)
                .then(|| form.name.get_untracked());
            if closed.is_some() {
                edit.set(None);
                form.clear();
            } else if form
                .gateway_type
                .with_untracked(|t| t.is_empty() || t == "flexpay_sandbox")
            {
                // The add form's type follows the mode while it is one of the defaults.
                form.gateway_type
                    .set(default_type(form.mode.get_untracked()).to_owned());
            }
            message.set(closed.map(|name| {
                (
                    false,
                    format!(
                        "Your changes to {name} were not saved: the header now shows other gateways than {name}'s. Switch back to edit it again."
                    ),
                )
            }));
        }
    });
    let listings = Memo::new(move |_| {
        let (company, mode) = scope.get();
        store.portal.with(|p| {
            p.sandbox
                .console_gateway_listings(CompanyScope::of(company.as_deref()), mode)
                .unwrap_or_default()
        })
    });
    let company_name = move || {
        let (company, _) = scope.get();
        company.map_or_else(
            || "all companies".to_owned(),
            |c| store.portal.with(|p| p.company_label(&c)),
        )
    };
    // A listed gateway's company: its changes are made there.
    let owner = move |token: &str| {
        listings.with_untracked(|ls| {
            ls.iter()
                .find(|l| l.gateway.id.as_deref() == Some(token))
                .map(|l| l.company.clone())
                .unwrap_or_default()
        })
    };

    let copy = move |token: String, what: String| {
        leptos::task::spawn_local(async move {
            message.set(Some(if storage::copy_text(&token).await {
                (true, format!("The Gateway Token of {what} was copied."))
            } else {
                (
                    false,
                    "Copying failed: the browser refused it. Select the token and copy it by hand."
                        .to_owned(),
                )
            }));
        });
    };
    let edit_fields = move |token: String| {
        let Some(l) = listings.with_untracked(|ls| {
            ls.iter()
                .find(|l| l.gateway.id.as_deref() == Some(token.as_str()))
                .cloned()
        }) else {
            return;
        };
        form.fill(&l.gateway);
        created.set(None);
        edit.set(Some((token, l.company)));
        focus_after_render("gw-type");
    };
    // The row's buttons change with its status, so the focus goes to the row's name: left on
    // the button that took the pressed one's place, a second Enter would press that one.
    // The banner of a gateway just created gives way to what is done next, but for a copy.
    let set_status = move |token: String, name: String, status: GatewayStatus| {
        created.set(None);
        let (company, mode) = (owner(&token), scope.get_untracked().1);
        let row = format!("gw-{token}");
        let result = store.act(move |p, now| {
            p.sandbox
                .console_set_gateway_status(&company, mode, &token, status, now)
        });
        request_animation_frame(move || focus_element(&row));
        message.set(Some(match result {
            Some(Ok(_)) => (
                true,
                format!(
                    "{name} is now {}.{}",
                    status.portal_label(),
                    match status {
                        GatewayStatus::RefundOnly =>
                            " New charges, authorizations and captures are refused (50130); refunds and voids still go through.",
                        GatewayStatus::Disabled =>
                            " It processes nothing: charges, captures, refunds and voids are refused (50130).",
                        GatewayStatus::Available => " It takes new charges again.",
                    }
                ),
            ),
            Some(Err(e)) => (false, e.message),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
    };

    let delete = move |token: String, name: String| {
        created.set(None);
        let (company, mode) = (owner(&token), scope.get_untracked().1);
        let deleted = token.clone();
        let result = store.act(move |p, now| {
            p.sandbox
                .console_delete_gateway(&company, mode, &deleted, now)
        });
        confirming.set(None);
        if editing.get_untracked().is_some() {
            editing.set(None);
        }
        if edit.with_untracked(|e| e.as_ref().is_some_and(|(t, _)| *t == token)) {
            edit.set(None);
            form.clear();
        }
        message.set(Some(match result {
            Some(Ok(())) => (
                true,
                format!("{name} was deleted. Payments can no longer name it and FlexPay no longer routes to it; its past transactions keep naming it."),
            ),
            Some(Err(e)) => (false, e.message),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
        focus_after_render("gateways-h");
    };

    view! {
        <section class="page page-wide gateways">
            <h1 id="gateways-h" tabindex="-1">"Payment gateways"</h1>
            <p class="lede">
                {move || format!(
                    "Gateways of {} in {} mode. Charges name one by its Gateway Token, or FlexPay shares them among the Enabled ones by their Distribution. Credentials are write-only: once saved, only their names are shown.",
                    company_name(),
                    mode_label(scope.get().1)
                )}
            </p>
            {status_slot(message)}
            {move || created.get().map(|(name, token)| {
                let t = token.clone();
                let n = name.clone();
                view! {
                    <div class="banner banner-info token-banner">
                        <p>{format!("Gateway {name} created. Its Gateway Token:")}</p>
                        <p class="token-line">
                            <code data-testid="new-gateway-token">{token.clone()}</code>
                            <button type="button" class="secondary" aria-label=format!("Copy the Gateway Token of {name}")
                                on:click=move |_| copy(t.clone(), n.clone())>"Copy"</button>
                        </p>
                    </div>
                }
            })}
            {move || {
                let rows = listings.get();
                if rows.is_empty() {
                    let text = if scope.get().1 == Environment::Production {
                        "No gateway yet: live payments are refused (50130, no gateway) until the company has one. Add one below."
                    } else {
                        "No gateway yet: charges go to the built-in FlexPay Sandbox gateway. Add one below."
                    };
                    return view! { <p class="empty">{text}</p> }.into_any();
                }
                view! {
                    <div class="table-scroll">
                        <table class="data cards gateways-table" aria-label="Payment gateways">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"Gateway type"</th><th scope="col">"Status"</th>
                                <th scope="col">"Accepts"</th><th scope="col">"Distribution"</th><th scope="col">"Gateway Token"</th>
                                <th scope="col">"Credentials"</th><th scope="col">"Modified"</th><th scope="col">"Actions"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|l| {
                                    let all = scope.with(|s| s.0.is_none());
                                    view! { <GatewayRow listing=l all editing confirming copy set_status edit_fields /> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {move || confirming.get().map(|(token, name)| {
                let n = name.clone();
                let back = format!("gw-delete-{token}");
                view! {
                    <Confirm id="gw-delete"
                        question=format!("Delete the gateway {name}?")
                        detail="Payments can no longer name it and FlexPay no longer routes to it. \
                            Its past transactions keep naming it. This cannot be undone."
                        action=format!("Delete {name}")
                        on_confirm=move || delete(token.clone(), n.clone())
                        on_cancel=move || close_editor(confirming, back.clone()) />
                }
            })}
            {move || editing.get().and_then(|token| {
                listings.with(|ls| ls.iter().find(|l| l.gateway.id.as_deref() == Some(token.as_str())).cloned())
            }).map(|listing| view! { <CredentialsEditor listing editing message /> })}
            <AddGateway message created form edit />
        </section>
    }
}

#[component]
fn GatewayRow(
    listing: GatewayListing,
    /// All companies are listed: the row names its company.
    all: bool,
    editing: RwSignal<Option<String>>,
    confirming: RwSignal<Option<(String, String)>>,
    copy: impl Fn(String, String) + Copy + Send + Sync + 'static,
    set_status: impl Fn(String, String, GatewayStatus) + Copy + Send + Sync + 'static,
    edit_fields: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let g = listing.gateway;
    let token = g.id.clone().unwrap_or_default();
    let name = g.name.clone();
    let type_name = g
        .gateway_type
        .info()
        .map(|i| i.name)
        .unwrap_or("unknown type");
    let setting_names: Vec<String> = g
        .settings
        .as_ref()
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    // The other currencies it accepts: its own is not repeated.
    let others: Vec<&str> = g
        .accepted_currency_codes
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|c| !c.eq_ignore_ascii_case(&g.currency_code))
        .collect();
    let currencies = if others.is_empty() {
        g.currency_code.clone()
    } else {
        format!("{} (also accepts {})", g.currency_code, others.join(", "))
    };
    let weight = g
        .weight
        .as_ref()
        .map(|w| w.to_string())
        .unwrap_or_else(|| "1".to_owned());
    // The brands it takes, when not every one.
    let cards = g.accepted_cards.is_some().then(|| {
        let taken: Vec<&str> = AcceptedCards::BRANDS
            .iter()
            .filter(|&&brand| g.takes_card(brand))
            .map(|brand| brand.display_name())
            .collect();
        match taken.len() {
            0 => "Takes no card".to_owned(),
            n if n == AcceptedCards::BRANDS.len() => "Takes every card".to_owned(),
            _ => format!("Cards: {}", taken.join(", ")),
        }
    });
    let status = g.status;
    let (t_copy, n_copy) = (token.clone(), name.clone());
    let (t_edit, n_edit) = (token.clone(), name.clone());
    let (t_delete, n_delete) = (token.clone(), name.clone());
    let t_fields = token.clone();
    let status_buttons = STATUSES
        .into_iter()
        .filter(|s| *s != status)
        .map(|s| {
            let text = match s {
                GatewayStatus::Available => "Enable",
                GatewayStatus::Disabled => "Disable",
                GatewayStatus::RefundOnly => "Set Refund Only",
            };
            let (t, n) = (token.clone(), name.clone());
            view! {
                <button type="button" class="secondary" aria-label=format!("{text}: {name}")
                    on:click=move |_| set_status(t.clone(), n.clone(), s)>{text}</button>
            }
        })
        .collect_view();
    view! {
        <tr data-token=token.clone()>
            <th scope="row" id=format!("gw-{token}") tabindex="-1">{name.clone()}{company_note(all, &listing.company)}</th>
            <td>{type_name}<br /><code class="muted">{g.gateway_type.as_str().to_owned()}</code></td>
            <td><span class=format!("status status-{}", status.api_name().to_ascii_lowercase())>{status.portal_label()}</span></td>
            <td>{currencies}
                {cards.map(|cards| view! { <br /><span class="muted">{cards}</span> })}
                {(!g.takes_retries()).then(|| view! { <br /><span class="muted">"Takes no retries"</span> })}
            </td>
            <td class="num">{weight}</td>
            <td class="token-cell">
                <code>{token.clone()}</code>
                <button type="button" class="secondary small" aria-label=format!("Copy the Gateway Token of {name}")
                    on:click=move |_| copy(t_copy.clone(), n_copy.clone())>"Copy"</button>
            </td>
            <td>
                {if setting_names.is_empty() {
                    view! { <span class="muted">"none"</span> }.into_any()
                } else {
                    view! { <span class="secret-set">"•••• set: " {setting_names.join(", ")}</span> }.into_any()
                }}
                {g.cvv_required.filter(|c| *c).map(|_| view! { <br /><span class="muted">"CVV required"</span> })}
            </td>
            <td>{instant(listing.updated_at)}</td>
            <td><div class="row-actions">
                <button type="button" aria-label=format!("Edit: {name}") id=format!("edit-btn-{token}")
                    on:click=move |_| edit_fields(t_fields.clone())>"Edit"</button>
                <button type="button" aria-label=format!("Update credentials: {name}")
                    id=format!("cred-btn-{token}")
                    on:click=move |_| {
                        editing.set(Some(t_edit.clone()));
                        let _ = &n_edit;
                        focus_after_render("credentials-editor");
                    }>"Update credentials"</button>
                {status_buttons}
                <button type="button" class="danger" aria-label=format!("Delete: {name}")
                    id=format!("gw-delete-{token}") on:click=move |_| {
                        confirming.set(Some((t_delete.clone(), n_delete.clone())));
                    }>"Delete…"</button>
            </div></td>
        </tr>
    }
}

/// Ends the editing of a gateway's fields: an empty form again, the focus back on the row's
/// Edit button.
fn close_edit(edit: RwSignal<Option<(String, String)>>, form: NewGateway, checks: FieldChecks) {
    form.clear();
    checks.reset();
    if let Some((token, _)) = edit.get_untracked() {
        close_editor(edit, format!("edit-btn-{token}"));
    }
}

/// Closes the credentials editor, the focus back on the gateway's Update credentials button.
fn close_credentials(editing: RwSignal<Option<String>>, token: &str) {
    close_editor(editing, format!("cred-btn-{token}"));
}

/// Replaces, removes or adds credentials of one gateway. Stored values are never shown.
#[component]
fn CredentialsEditor(
    listing: GatewayListing,
    editing: RwSignal<Option<String>>,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let store = use_store();
    let gateway = listing.gateway;
    let token = gateway.id.clone().unwrap_or_default();
    let name = gateway.name.clone();
    let existing: Vec<String> = gateway
        .settings
        .as_ref()
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    // Existing settings: a new value (empty keeps the stored one) and a remove flag.
    let replacements: Vec<(String, RwSignal<String>, RwSignal<bool>)> = existing
        .iter()
        .map(|n| {
            (
                n.clone(),
                RwSignal::new(String::new()),
                RwSignal::new(false),
            )
        })
        .collect();
    let new_rows = RwSignal::new(Vec::<SettingRow>::new());
    let next = StoredValue::new(0u32);
    let add_row = move || {
        let id = next.get_value();
        next.set_value(id + 1);
        new_rows.update(|r| {
            r.push(SettingRow {
                id,
                name: RwSignal::new(String::new()),
                value: RwSignal::new(String::new()),
            })
        });
        id
    };
    let taken = existing.clone();
    let typed = replacements.clone();
    let problems = Signal::derive(move || {
        let rows: Vec<(u32, String, String)> = new_rows
            .get()
            .iter()
            .map(|r| (r.id, r.name.get(), r.value.get()))
            .collect();
        let mut problems = setting_problems(&rows, &taken);
        for (i, (_, value, remove)) in typed.iter().enumerate() {
            if !remove.get() {
                let field = format!("existing-{i}");
                value.with(|v| {
                    masked_problem(&mut problems, field.clone(), v);
                    refuse_unreadable(&mut problems, &field, v);
                });
            }
        }
        problems
    });
    let checks = FieldChecks::new("cred", problems);
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let reps = replacements.clone();
    let (t1, t2) = (token.clone(), token.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if checks.refuse_submit(summary_ref) {
            return;
        }
        let mut settings = serde_json::Map::new();
        let (mut replaced, mut removed, mut added) = (Vec::new(), Vec::new(), Vec::new());
        for (n, value, remove) in &reps {
            if remove.get_untracked() {
                settings.insert(n.clone(), serde_json::Value::Null);
                removed.push(n.clone());
            } else {
                let v = value.get_untracked();
                if !v.is_empty() {
                    settings.insert(n.clone(), serde_json::Value::String(v));
                    replaced.push(n.clone());
                }
            }
        }
        for row in new_rows.get_untracked() {
            let (n, v) = (row.name.get_untracked(), row.value.get_untracked());
            if !n.trim().is_empty() && !v.is_empty() {
                settings.insert(n.trim().to_owned(), serde_json::Value::String(v));
                added.push(n.trim().to_owned());
            }
        }
        if settings.is_empty() {
            message.set(Some((
                true,
                "Nothing to change: type a new value, tick Remove or add a setting.".to_owned(),
            )));
            return;
        }
        let mut update = gateway.clone();
        update.settings = Some(settings);
        let t = token.clone();
        let company = listing.company.clone();
        let result = store.act(move |p, now| {
            p.sandbox
                .console_update_gateway(&company, p.settings.mode, &t, update, now)
        });
        let mut parts = Vec::new();
        for (list, verb) in [
            (&replaced, "replaced"),
            (&removed, "removed"),
            (&added, "added"),
        ] {
            if !list.is_empty() {
                parts.push(format!("{} {verb}", list.join(", ")));
            }
        }
        message.set(Some(match result {
            Some(Ok(_)) => {
                close_credentials(editing, &token);
                (
                    true,
                    format!(
                        "Credentials of {} updated ({}). The values are not shown again.",
                        gateway.name,
                        parts.join("; ")
                    ),
                )
            }
            Some(Err(e)) => (false, e.message),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
    };
    view! {
        // Escape is Cancel.
        <section id="credentials-editor" class="panel" tabindex="-1" aria-labelledby="cred-h"
            on:keydown=move |ev| if ev.key() == "Escape" { close_credentials(editing, &t1) }>
            <h2 id="cred-h">{format!("Update credentials of {name}")}</h2>
            <p class="muted">"Stored values are never shown. Type a new value to replace a setting; leave it empty to keep the stored one."</p>
            <form novalidate on:submit=save aria-labelledby="cred-h">
                <ProblemSummary checks label_of node_ref=summary_ref />
                {if replacements.is_empty() {
                    view! { <p class="muted">"This gateway has no credentials yet."</p> }.into_any()
                } else {
                    view! {
                        <table class="data settings-table">
                            <thead><tr><th scope="col">"Setting"</th><th scope="col">"Stored value"</th><th scope="col">"New value"</th><th scope="col">"Remove"</th></tr></thead>
                            <tbody>
                                {replacements.into_iter().enumerate().map(|(i, (n, value, remove))| {
                                    let key = format!("existing-{i}");
                                    let (k1, k2, k3) = (key.clone(), key.clone(), key.clone());
                                    let input_id = checks.id(&key);
                                    let remove_id = format!("cred-remove-{i}");
                                    view! {
                                        <tr>
                                            <th scope="row"><code>{n.clone()}</code></th>
                                            <td><span class="secret-set">"•••• set"</span></td>
                                            <td>
                                                <label class="visually-hidden" for=input_id.clone()>{format!("New value of {n}")}</label>
                                                <input id=input_id type="password" autocomplete="new-password"
                                                    placeholder="leave empty to keep"
                                                    aria-invalid=move || if checks.invalid(&k1) { "true" } else { "false" }
                                                    aria-describedby=move || checks.described_by(&k2, false)
                                                    prop:value=value disabled=move || remove.get()
                                                    on:input=move |ev| { value.set(event_target_value(&ev)); checks.touch(&k3); } />
                                                <FieldProblems checks key=key />
                                            </td>
                                            <td>
                                                <input id=remove_id.clone() type="checkbox" prop:checked=remove
                                                    on:change=move |ev| remove.set(event_target_checked(&ev)) />
                                                <label for=remove_id>{format!("Remove {n}")}</label>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
                <SettingRows checks rows=new_rows on_add=add_row prefix="cred" />
                <div class="actions">
                    <button type="submit">"Save credentials"</button>
                    <button type="button" class="secondary" on:click=move |_| close_credentials(editing, &t2)>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}

/// Credential rows being typed: name, secret value, remove button.
#[component]
fn SettingRows(
    checks: FieldChecks,
    rows: RwSignal<Vec<SettingRow>>,
    on_add: impl Fn() -> u32 + Copy + Send + Sync + 'static,
    prefix: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="settings-rows">
            <legend>{if prefix == "cred" { "Add settings (credentials)" } else { "Credentials (key/value settings)" }}</legend>
            <p class="muted">"Key/value connection settings of the gateway type, e.g. apiKey. Values are write-only."</p>
            <For each=move || rows.get() key=|r| r.id let:row>
                {
                    let name_key = format!("setting-{}-name", row.id);
                    let value_key = format!("setting-{}-value", row.id);
                    let (nk1, nk2, nk3) = (name_key.clone(), name_key.clone(), name_key.clone());
                    let (vk1, vk2, vk3) = (value_key.clone(), value_key.clone(), value_key.clone());
                    let name_id = checks.id(&name_key);
                    let value_id = checks.id(&value_key);
                    let id = row.id;
                    let position = move || rows.with(|r| r.iter().position(|x| x.id == id).map_or(0, |p| p + 1));
                    view! {
                        <div class="setting-row">
                            <div class="form-field">
                                <label for=name_id.clone()>{move || format!("Setting {} name", position())}</label>
                                <input id=name_id type="text" autocomplete="off" spellcheck="false"
                                    aria-invalid=move || if checks.invalid(&nk1) { "true" } else { "false" }
                                    aria-describedby=move || checks.described_by(&nk2, false)
                                    prop:value=row.name
                                    on:input=move |ev| { row.name.set(event_target_value(&ev)); checks.touch(&nk3); } />
                                <FieldProblems checks key=name_key.clone() />
                            </div>
                            <div class="form-field">
                                <label for=value_id.clone()>{move || format!("Setting {} value", position())}</label>
                                <input id=value_id type="password" autocomplete="new-password"
                                    aria-invalid=move || if checks.invalid(&vk1) { "true" } else { "false" }
                                    aria-describedby=move || checks.described_by(&vk2, false)
                                    prop:value=row.value
                                    on:input=move |ev| { row.value.set(event_target_value(&ev)); checks.touch(&vk3); } />
                                <FieldProblems checks key=value_key.clone() />
                            </div>
                            <button type="button" class="secondary" aria-label=move || format!("Remove setting {}", position())
                                on:click=move |_| rows.update(|r| r.retain(|x| x.id != id))>"Remove"</button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="secondary" on:click=move |_| {
                let id = on_add();
                request_animation_frame(move || focus_element(&format!("{prefix}-setting-{id}-name")));
            }>"Add a setting"</button>
        </fieldset>
    }
}

#[component]
fn AddGateway(
    message: RwSignal<Option<(bool, String)>>,
    created: RwSignal<Option<(String, String)>>,
    form: NewGateway,
    /// The gateway (token, company) being edited: the form saves its fields instead.
    edit: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let store = use_store();
    let editing = move || edit.with(Option::is_some);
    // The header's company, else the one chosen in the form.
    let company = form_company();
    let server_problem = RwSignal::new(None::<FieldProblem>);
    let checked = Memo::new(move |_| {
        let mode = store.portal.with(|p| p.settings.mode);
        let ctx = ValidationContext::new(store.now(), mode);
        let (g, mut problems) = form.build(&ctx);
        if !editing() {
            problems.extend(company_problem(company));
            // Only a new gateway's: the name cannot change, so one kept from before stays
            // editable.
            refuse_name_fault(
                &mut problems,
                "name",
                &g.name,
                error_code::INVALID_GATEWAY_NAME,
            );
            // Two gateways of one name could not be told apart in the terminal's list or
            // the reports: the portal asks for another name (FlexPay documents no rule).
            let name = g.name.as_str();
            let taken = !name.is_empty()
                && store.portal.with(|p| {
                    p.sandbox
                        .console_gateways(&company.get(), mode)
                        .unwrap_or_default()
                        .iter()
                        .any(|other| other.name.eq_ignore_ascii_case(name))
                });
            if taken {
                problems.push(FieldProblem::error(
                    "name",
                    "gateway_name_taken",
                    format!("This company already has a gateway named {name}: give this one another name, so lists and reports tell them apart."),
                ));
            }
        }
        if let Some(p) = server_problem.get() {
            problems.push(p);
        }
        (g, problems)
    });
    let problems = Signal::derive(move || checked.with(|(_, p)| p.clone()));
    let checks = FieldChecks::new("gw", problems);
    // Another company or mode: what the form was told of the gateways shown before goes (an
    // edit open then is closed by the page, which says so).
    Effect::new(move |before: Option<(Option<String>, Environment)>| {
        let scope = store
            .portal
            .with(|p| (p.settings.company.clone(), p.settings.mode));
        if before.is_some_and(|before| before != scope) {
            checks.reset();
            server_problem.set(None);
        }
        scope
    });
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        server_problem.set(None);
        if checks.refuse_submit(summary_ref) {
            return;
        }
        let mut gateway = checked.with_untracked(|(g, _)| g.clone());
        let name = gateway.name.clone();
        // The warnings the form showed (Distribution 0, say) outlive the cleared form.
        let notes: String = checked.with_untracked(|(_, p)| {
            p.iter()
                .filter(|p| p.warning)
                .map(|p| format!(" Note: {}", p.message))
                .collect()
        });
        if let Some((token, owner)) = edit.get_untracked() {
            // Credentials are left as stored: they have their own editor.
            gateway.settings = None;
            let result = store.act(move |p, now| {
                p.sandbox
                    .console_update_gateway(&owner, p.settings.mode, &token, gateway, now)
            });
            match result {
                Some(Ok(_)) => {
                    message.set(Some((
                        true,
                        format!(
                            "{name} was saved; its Gateway Token and credentials are unchanged.{notes}"
                        ),
                    )));
                    close_edit(edit, form, checks);
                }
                Some(Err(e)) => {
                    server_problem.set(Some(FieldProblem::error("general", e.code, e.message)))
                }
                None => message.set(Some((false, "The portal is shutting down.".to_owned()))),
            }
            return;
        }
        let company = company.get_untracked();
        let result = store.act(move |p, now| {
            p.sandbox
                .console_create_gateway(&company, p.settings.mode, gateway, now)
        });
        match result {
            Some(Ok(g)) => {
                created.set(Some((name, g.id.unwrap_or_default())));
                message.set((!notes.is_empty()).then(|| (true, notes.trim_start().to_owned())));
                form.clear();
                checks.reset();
                focus_after_render("gw-name");
            }
            Some(Err(e)) => {
                let field = match e.code {
                    error_code::INVALID_GATEWAY_NAME => "name",
                    error_code::INVALID_GATEWAY_TYPE => "type",
                    error_code::INVALID_GATEWAY_CURRENCY => "currency",
                    _ => "general",
                };
                server_problem.set(Some(FieldProblem::error(field, e.code, e.message)));
            }
            None => message.set(Some((false, "The portal is shutting down.".to_owned()))),
        }
    };
    view! {
        <section class="panel" aria-labelledby="gw-add-h">
            <h2 id="gw-add-h">{move || if editing() { format!("Edit the gateway {}", form.name.get()) } else { "Add a payment gateway".to_owned() }}</h2>
            // While a gateway is edited, Escape is Cancel, as in the credentials editor.
            <form novalidate on:submit=submit aria-labelledby="gw-add-h"
                on:keydown=move |ev| if ev.key() == "Escape" && editing() { close_edit(edit, form, checks) }>
                <ProblemSummary checks label_of node_ref=summary_ref />
                {move || editing().then(|| view! {
                    <p class="muted">"The name stays: FlexPay does not rename gateways. Credentials have their own editor: Update credentials."</p>
                })}
                <div class="form-grid">
                    <Show when=move || !editing()>
                        <CompanyField company prefix="gw" checks />
                        <TextField checks key="name" label="Name" value=form.name required=true
                            hint="Set once: FlexPay does not rename gateways." />
                    </Show>
                    <div class="form-field">
                        <span class="label-line"><label for="gw-type">"Gateway type"</label><span class="req" aria-hidden="true">"*"</span></span>
                        <select id="gw-type" aria-required="true"
                            aria-invalid=move || if checks.invalid("type") { "true" } else { "false" }
                            aria-describedby=move || checks.described_by("type", false)
                            prop:value=move || form.gateway_type.get()
                            on:change=move |ev| { form.gateway_type.set(event_target_value(&ev)); checks.touch("type"); }>
                            <option value="" disabled=true selected=move || form.gateway_type.with(String::is_empty)>"Choose the gateway type"</option>
                            {GATEWAY_TYPES.iter().filter(|t| t.code != "flexpay_declined").map(|t| {
                                let code = t.code;
                                view! {
                                    <option value=code selected=move || form.gateway_type.get() == code>
                                        {format!("{} ({}){}", t.name, t.code, if t.in_documented_list { "" } else { " — not in FlexPay's documented list" })}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                        <FieldProblems checks key="type" />
                    </div>
                    <div class="form-field">
                        <span class="label-line"><label for="gw-currency">"Currency"</label><span class="req" aria-hidden="true">"*"</span></span>
                        <select id="gw-currency" aria-required="true"
                            aria-invalid=move || if checks.invalid("currency") { "true" } else { "false" }
                            aria-describedby=move || checks.described_by("currency", false)
                            prop:value=move || form.currency.get()
                            on:change=move |ev| { form.currency.set(event_target_value(&ev)); checks.touch("currency"); }>
                            {currency_options(form.currency)}
                        </select>
                        <FieldProblems checks key="currency" />
                    </div>
                    <TextField checks key="accepted" label="Accepted currencies" value=form.accepted
                        hint="The ISO 4217 codes it accepts, its own currency too, separated by commas, e.g. USD, EUR. Left empty: its own currency only." />
                    <div class="form-field">
                        <label for="gw-status">"Processing status"</label>
                        <select id="gw-status" prop:value=move || form.status.get()
                            on:change=move |ev| form.status.set(event_target_value(&ev))>
                            {STATUSES.map(|s| view! {
                                <option value=s.api_name() selected=move || form.status.get() == s.api_name()>{s.portal_label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <TextField checks key="mid" label="Merchant account reference ID" value=form.mid
                        hint="The MID, for reports." />
                    <TextField checks key="weight" label="Distribution" value=form.weight inputmode="decimal"
                        hint="Weight when FlexPay routes: default 1, higher is favoured." />
                    <div class="form-field checkbox-field">
                        <input id="gw-cvv" type="checkbox" prop:checked=form.cvv_required
                            on:change=move |ev| form.cvv_required.set(event_target_checked(&ev)) />
                        <label for="gw-cvv">"CVV required"</label>
                    </div>
                    <div class="form-field checkbox-field">
                        <input id="gw-retries" type="checkbox" prop:checked=form.retries
                            aria-describedby="gw-retries-hint"
                            on:change=move |ev| form.retries.set(event_target_checked(&ev)) />
                        <label for="gw-retries">"Accepts retries"</label>
                        <p class="hint" id="gw-retries-hint">"Unticked: retries of declined payments go to another gateway (50130 when none takes them)."</p>
                    </div>
                </div>
                <fieldset class="fx-choice" aria-describedby=move || checks.described_by("cards", true)>
                    <legend>"Accepted cards"</legend>
                    {AcceptedCards::BRANDS.iter().enumerate().map(|(i, brand)| {
                        let bit = 1u8 << i;
                        let id = if i == 0 { "gw-cards".to_owned() } else { format!("gw-cards-{}", brand.code()) };
                        view! {
                            <label class="fx-check">
                                <input type="checkbox" id=id prop:checked=move || form.cards.get() & bit != 0
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        form.cards.update(|c| if on { *c |= bit } else { *c &= !bit });
                                        checks.touch("cards");
                                    } />
                                {brand.display_name()}
                            </label>
                        }
                    }).collect_view()}
                    <p class="hint" id="gw-cards-hint">"A brand left unticked is refused at this gateway (50130); routing sends its cards to a gateway that takes them."</p>
                    <FieldProblems checks key="cards" />
                </fieldset>
                <Show when=move || !editing()>
                    <SettingRows checks rows=form.settings on_add=move || form.add_row() prefix="gw" />
                </Show>
                <FieldProblems checks key="general" />
                <div class="actions">
                    <button type="submit">{move || if editing() { "Save changes" } else { "Save gateway" }}</button>
                    {move || editing().then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| close_edit(edit, form, checks)>"Cancel"</button>
                    })}
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flexkit_core::card::CardBrand;

    #[test]
    fn ticked_brands_round_trip_through_accepted_cards() {
        let mut g = Gateway::new("G", GatewayType::Nmi, "USD", GatewayStatus::Available);
        assert_eq!(ticked_brands(&g), EVERY_BRAND);
        assert_eq!(
            accepted_cards(EVERY_BRAND, None),
            None,
            "every brand: no dictionary"
        );
        // Amex unticked: a dictionary that refuses it and takes the rest.
        let amex = 1 << 2;
        g.accepted_cards = accepted_cards(EVERY_BRAND & !amex, None);
        assert!(!g.takes_card(CardBrand::AmericanExpress));
        assert!(g.takes_card(CardBrand::Visa) && g.takes_card(CardBrand::UnionPay));
        assert_eq!(ticked_brands(&g), EVERY_BRAND & !amex);
        // A debit-only Visa entry stays as it was while Visa stays ticked.
        let kept = AcceptedCards {
            visa: Some(CardAcceptance {
                accept_debit_card: Some(true),
                ..CardAcceptance::NONE
            }),
            ..AcceptedCards::default()
        };
        let cards = accepted_cards(1, Some(kept)).unwrap();
        assert_eq!(cards.visa, kept.visa);
        assert_eq!(cards.master_card, Some(CardAcceptance::NONE));
        // Ticking a brand a kept dictionary refused takes every kind of it again.
        let cards = accepted_cards(EVERY_BRAND, Some(cards)).unwrap();
        assert_eq!(cards.master_card, Some(CardAcceptance::ALL));
        assert_eq!(cards.visa, kept.visa);
    }

    #[test]
    fn typed_credentials_need_a_name_a_value_and_unique_names() {
        let rows = vec![
            (0, "apiKey".to_owned(), "k".to_owned()),
            (1, String::new(), "orphan".to_owned()),
            (2, "apiKey".to_owned(), String::new()),
            (3, String::new(), String::new()),
            (4, "password".to_owned(), "p".to_owned()),
            (5, "secret".to_owned(), MASKED_SETTING.to_owned()),
        ];
        let problems = setting_problems(&rows, &["password".to_owned()]);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "setting-1-name",
                "setting-2-name",
                "setting-2-value",
                "setting-4-name",
                "setting-5-value"
            ]
        );
        assert!(problems[4].message.contains("not a value"));
        assert_eq!(problems[4].code, error_code::MASKED_SETTING_VALUE);
    }

    #[test]
    fn problems_are_worded_by_the_fields_labels() {
        use flexkit_core::flexpay::account::Environment;
        use flexkit_core::UtcTimestamp;
        let ctx = ValidationContext::new(UtcTimestamp::UNIX_EPOCH, Environment::Sandbox);
        let worded = |gateway: Gateway| -> Vec<(String, String)> {
            validate_gateway(&gateway, &ctx)
                .problems()
                .iter()
                .map(|p| word(p, &gateway))
                .map(|p| (p.field, p.message))
                .collect()
        };
        let mut bad = Gateway::new(
            " ",
            GatewayType::from_wire("flexpay_sandbox"),
            "USD",
            GatewayStatus::Available,
        );
        bad.merchant_account_reference_id = Some("M".repeat(120));
        bad.accepted_currency_codes = Some(vec!["EUR".into(), "EURO".into(), "cad".into()]);
        bad.weight = Some((-2).into());
        let zero = Gateway {
            weight: Some(0.into()),
            accepted_currency_codes: Some(vec!["EUR".into()]),
            ..bad.clone()
        };
        let problems = [worded(bad), worded(zero)].concat();
        let said = |field: &str| -> Vec<&str> {
            problems
                .iter()
                .filter(|(f, _)| f == field)
                .map(|(_, m)| m.as_str())
                .collect()
        };
        assert_eq!(
            said("name"),
            [
                "Enter the gateway's name; it cannot be changed later.",
                "Enter the gateway's name; it cannot be changed later."
            ]
        );
        assert!(said("mid")[0].starts_with(
            "Merchant account reference ID is 120 characters long, more than the 100"
        ));
        let accepted = said("accepted");
        assert!(accepted[0].starts_with("\"EURO\" must be exactly three upper-case letters"));
        assert!(accepted[1].contains("\"cad\"") && accepted[1].contains("\"CAD\""));
        assert_eq!(
            accepted[2],
            "The list leaves out USD, the gateway's own currency: list it too. FlexPay does not say whether a gateway still takes it then (this sandbox does)."
        );
        assert!(said("weight")[0].starts_with("Distribution must not be negative"));
        assert!(said("weight")[1].starts_with("Distribution 0 means"));
        for (field, message) in &problems {
            for wire in [
                "currencyCode",
                "CurrencyCodes",
                "merchantAccountReferenceId",
                "weight",
                "gatewayType",
                "missing or empty",
            ] {
                assert!(!message.contains(wire), "{field}: {message}");
            }
        }
    }

    #[test]
    fn paths_map_to_fields() {
        assert_eq!(field_of("acceptedCurrencyCodes[1]"), "accepted");
        assert_eq!(field_of("gatewayType"), "type");
        assert_eq!(field_of("settings"), "general");
    }
}
