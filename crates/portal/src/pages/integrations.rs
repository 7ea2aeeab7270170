//! Integrations (Account settings → Integrations in FlexPay's portal), two tabs with their own
//! deep links:
//! - API keys: generate keys for a company and environment; each is shown once, in a panel
//!   with a copy button, and never again (the sandbox keeps only its SHA-256 hash); a link
//!   followed, a reload or a closed tab before it is copied or closed asks first, and no
//!   second key is generated while it is shown; list and delete with a confirmation step.
//! - FlexPay Retries: at most one auto-retry configuration per company × environment (the
//!   core refuses a second one and says why), enable/disable, delete.
//!
//! Both lists show the header's company (every company under All companies) in the header's
//! mode only; one made for another is said to be listed there.

use flexkit_core::flexpay::account::{AutoRetryStatus, Environment, GeneratedApiKey};
use flexkit_core::flexpay::sandbox::{error_code, ApiKeyId, AutoRetryId};
use flexkit_core::flexpay::validate::limits;
use flexkit_core::validation::code;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_params_map;

use crate::components::company::{company_options, form_company};
use crate::components::confirm::Confirm;
use crate::components::fields::{
    close_editor, focus_after_render, focus_element, refuse_name_fault, refuse_too_long,
    FieldChecks, FieldProblem, FieldProblems, TextField,
};
use crate::components::format::instant;
use crate::components::layout::mode_label;
use crate::pages::not_found::NotFoundPage;
use crate::state::Portal;
use crate::storage;
use crate::store::use_store;

/// The two tabs, each a deep link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    ApiKeys,
    FlexPayRetries,
}

impl Tab {
    fn href(self) -> &'static str {
        match self {
            Tab::ApiKeys => "/integrations/api-keys",
            Tab::FlexPayRetries => "/integrations/flexpay-retries",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::ApiKeys => "API keys",
            Tab::FlexPayRetries => "FlexPay Retries",
        }
    }
}

/// A message under a form: `(ok, text)`, and the company and mode of a key or auto-retry just
/// made: while the header does not list them, a note says where it is listed.
type Message = RwSignal<Option<(bool, String, Option<(String, Environment)>)>>;

fn message_view(message: Message) -> impl IntoView {
    // The text shown, worked out again as the header changes; redrawn only when it changes.
    let shown = Memo::new(move |_| {
        message.get().and_then(|(ok, text, made)| {
            let note = made.map_or_else(String::new, |(company, mode)| {
                listed_elsewhere(&company, mode)
            });
            let text = format!("{text}{note}").trim_start().to_owned();
            (!text.is_empty()).then_some((ok, text))
        })
    });
    move || {
        shown.get().map(|(ok, text)| {
            if ok {
                view! { <p id="integrations-message" tabindex="-1" class="banner banner-info" role="status">{text}</p> }.into_any()
            } else {
                view! { <p id="integrations-message" tabindex="-1" class="banner banner-error" role="alert">{text}</p> }.into_any()
            }
        })
    }
}

fn parse_environment(value: &str) -> Environment {
    if value == "Production" {
        Environment::Production
    } else {
        Environment::Sandbox
    }
}

/// `/integrations/api-keys`, `/integrations/flexpay-retries`; `/integrations` opens the first.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let params = use_params_map();
    let tab = move || params.with(|p| p.get("tab"));
    move || match tab().as_deref() {
        None => view! { <Redirect path=Tab::ApiKeys.href() /> }.into_any(),
        Some(slug) => match [Tab::ApiKeys, Tab::FlexPayRetries]
            .into_iter()
            .find(|t| t.href().rsplit('/').next() == Some(slug))
        {
            Some(t) => view! { <IntegrationsSection tab=t /> }.into_any(),
            None => view! { <NotFoundPage /> }.into_any(),
        },
    }
}

#[component]
fn IntegrationsSection(tab: Tab) -> impl IntoView {
    view! {
        <section class="page page-wide">
            <h1>"Integrations"</h1>
            <p class="lede">
                "API keys authenticate every request your CRM sends to FlexPay (a missing or wrong key gets 401). "
                "FlexPay Retries lets FlexPay schedule and send the retries itself."
            </p>
            <nav class="tabs" aria-label="Integrations">
                <ul>
                    {[Tab::ApiKeys, Tab::FlexPayRetries]
                        .into_iter()
                        .map(|t| {
                            view! {
                                <li>
                                    <A href=t.href() exact=true>{t.label()}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            {match tab {
                Tab::ApiKeys => view! { <ApiKeysTab /> }.into_any(),
                Tab::FlexPayRetries => view! { <FlexPayRetriesTab /> }.into_any(),
            }}
        </section>
    }
}

/// A labelled Sandbox / Production choice bound to `value`; `name` is also its id.
fn environment_field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<Environment>,
) -> impl IntoView {
    view! {
        <div class="form-field">
            <span class="label-line"><label for=name>{label}</label></span>
            <select id=name name=name prop:value=move || mode_label(value.get()) on:change=move |ev| value.set(parse_environment(&event_target_value(&ev)))>
                {[Environment::Sandbox, Environment::Production]
                    .into_iter()
                    .map(|m| view! { <option value=mode_label(m) selected=move || value.get() == m>{mode_label(m)}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The required Company select of a form (its id `{prefix}-company`), its problem at it.
fn company_field(checks: FieldChecks, company: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="form-field">
            <span class="label-line">
                <label for=checks.id("company")>"Company"</label>
                <span class="req" aria-hidden="true">"*"</span>
            </span>
            <select id=checks.id("company") name=checks.id("company") required
                aria-invalid=move || if checks.invalid("company") { "true" } else { "false" }
                aria-describedby=move || checks.described_by("company", false)
                prop:value=move || company.get()
                on:change=move |ev| { company.set(event_target_value(&ev)); checks.touch("company"); }>
                {company_options(company)}
            </select>
            <FieldProblems checks key="company" />
        </div>
    }
}

/// The checks of a form's Name and Company (ids `{prefix}-name`, `{prefix}-company`): the
/// name refused at the field when blank, and over the core's limit for an API key's or an
/// auto-retry's name, where the core only warns `too_long` (FlexPay publishes no limit), as
/// the company and gateway names are; the company when none is chosen.
fn form_checks(
    prefix: &'static str,
    name: RwSignal<String>,
    company: RwSignal<String>,
    example: &'static str,
) -> FieldChecks {
    let problems = Signal::derive(move || {
        let mut out = Vec::new();
        if company.with(String::is_empty) {
            out.push(FieldProblem::error(
                "company",
                "company_required",
                "Choose a company.",
            ));
        }
        name.with(|n| {
            if n.trim().is_empty() {
                out.push(FieldProblem::error(
                    "name",
                    code::REQUIRED,
                    format!("Enter a name people will recognise, e.g. {example}."),
                ));
            }
            refuse_too_long(&mut out, "name", n, limits::SETTING_NAME);
            refuse_name_fault(&mut out, "name", n, error_code::INVALID_NAME);
        });
        out
    });
    FieldChecks::new(prefix, problems)
}

/// The company and mode of a form: the header's, followed when the header changes (no
/// company while it shows All companies: the form asks for one).
fn header_scope() -> (RwSignal<String>, RwSignal<Environment>) {
    let store = use_store();
    let header = Memo::new(move |_| store.portal.with(|p| p.settings.mode));
    let mode = RwSignal::new(header.get_untracked());
    Effect::new(move |_| mode.set(header.get()));
    (form_company(), mode)
}

fn company_name(code: &str) -> String {
    use_store().portal.with_untracked(|p| p.company_name(code))
}

/// Whether a key or an auto-retry of `company` in `mode` is listed under the header's
/// company and mode: data of one mode never shows in the other.
fn in_header_scope(p: &Portal, company: &str, mode: Environment) -> bool {
    p.settings.mode == mode
        && (p.settings.company.as_deref()).is_none_or(|c| c.eq_ignore_ascii_case(company))
}

/// What to add to "generated" or "added" when the header does not list it.
fn listed_elsewhere(company: &str, mode: Environment) -> String {
    if use_store()
        .portal
        .with(|p| in_header_scope(p, company, mode))
    {
        return String::new();
    }
    format!(
        " It is listed under {} in {} mode: choose them in the header to see it.",
        use_store()
            .portal
            .with_untracked(|p| p.company_label(company)),
        mode_label(mode)
    )
}

#[component]
fn ApiKeysTab() -> impl IntoView {
    let store = use_store();
    let name = RwSignal::new(String::new());
    let (company, mode) = header_scope();
    let message: Message = RwSignal::new(None);
    // The freshly generated key: in this component's memory only, gone once closed.
    let generated = RwSignal::new(None::<GeneratedApiKey>);
    let confirm_delete = RwSignal::new(None::<(ApiKeyId, String)>);
    let keys = Memo::new(move |_| {
        store.portal.with(|p| {
            let mut keys = p.sandbox.api_keys();
            keys.retain(|k| in_header_scope(p, &k.company, k.mode));
            keys
        })
    });
    let checks = form_checks("key", name, company, "CRM sandbox");

    let generate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A second key would take the place of the one shown, which cannot be shown again.
        if generated.with_untracked(Option::is_some) {
            message.set(Some((
                false,
                "Not generated: the new key above is shown only until its panel is closed. Save it, close the panel, then generate the next one.".to_owned(),
                None,
            )));
            focus_element("new-key-heading");
            return;
        }
        if checks.refuse_at_field() {
            message.set(None);
            return;
        }
        let (n, c, m) = (
            name.get_untracked(),
            company.get_untracked(),
            mode.get_untracked(),
        );
        match store.act(|p, now| p.sandbox.generate_api_key(&n, &c, m, now)) {
            Some(Ok(key)) => {
                message.set(Some((
                    true,
                    String::new(),
                    Some((key.company.clone(), key.mode)),
                )));
                name.set(String::new());
                checks.reset();
                generated.set(Some(key));
            }
            Some(Err(e)) => message.set(Some((
                false,
                format!("The key was not generated: {}", e.message),
                None,
            ))),
            None => {}
        }
    };
    let delete = move |id: ApiKeyId, key_name: String| {
        let result = store.act(|p, now| p.sandbox.delete_api_key(id, now));
        confirm_delete.set(None);
        message.set(Some(match result {
            Some(Ok(())) => (
                true,
                format!(
                    "The API key \"{key_name}\" was deleted: requests sent with it now get 401."
                ),
                None,
            ),
            Some(Err(e)) => (false, e.message, None),
            None => (false, "The portal is shutting down.".to_owned(), None),
        }));
        focus_after_render("integrations-message");
    };

    view! {
        <h2 id="generate-heading">"Generate an API key"</h2>
        <form novalidate aria-labelledby="generate-heading" on:submit=generate>
            <div class="form-grid">
                <TextField checks key="name" label="Name" value=name required=true placeholder="e.g. CRM sandbox" />
                {company_field(checks, company)}
                {environment_field("Environment mode", "key-mode", mode)}
            </div>
            <div class="actions">
                <button type="submit">"Generate API key"</button>
            </div>
        </form>
        {move || generated.get().map(|key| view! { <NewKeyPanel key on_close=move || {
            generated.set(None);
            // A refusal that pointed at the panel goes with it: what was typed is still
            // in the form, to generate now.
            if message.with_untracked(|m| m.as_ref().is_some_and(|m| !m.0)) {
                message.set(None);
            }
            focus_after_render("keys-heading");
        } /> })}
        {message_view(message)}
        <h2 id="keys-heading" tabindex="-1">"API keys"</h2>
        <p class="muted">"Keys are listed without the key itself: it was shown once, when it was generated. A lost key cannot be recovered; generate a new one and delete the old."</p>
        {move || confirm_delete.get().map(|(id, key_name)| {
            let for_delete = key_name.clone();
            view! {
                <Confirm id="delete-key"
                    question=format!("Delete the API key \"{key_name}\"? Requests sent with it will be refused (401) at once. This cannot be undone.")
                    action="Delete the key"
                    on_confirm=move || delete(id, for_delete.clone())
                    on_cancel=move || close_editor(confirm_delete, format!("delete-key-{}", id.0)) />
            }
        })}
        {move || {
            let rows = keys.get();
            if rows.is_empty() {
                return view! { <p class="empty">"No API key yet."</p> }.into_any();
            }
            view! {
                <div class="table-scroll">
                    <table class="data" aria-label="API keys">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Company"</th><th scope="col">"Mode"</th>
                            <th scope="col">"Created (UTC)"</th><th scope="col">"Key"</th><th scope="col">"Action"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|k| {
                                let (id, key_name) = (k.id, k.name.clone());
                                view! {
                                    <tr>
                                        <th scope="row">{k.name.clone()}</th>
                                        <td>{company_name(&k.company)} " " <code>{k.company.clone()}</code></td>
                                        <td>{mode_label(k.mode)}</td>
                                        <td>{instant(k.created_at)}</td>
                                        <td class="muted">"hidden (shown once)"</td>
                                        <td>
                                            <button
                                                type="button"
                                                class="secondary"
                                                id=format!("delete-key-{}", id.0)
                                                aria-label=format!("Delete the API key {}", k.name)
                                                on:click=move |_| confirm_delete.set(Some((id, key_name.clone())))
                                            >
                                                "Delete…"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// The one and only view of a new key, with a copy button and the warning.
#[component]
fn NewKeyPanel(key: GeneratedApiKey, on_close: impl Fn() + 'static) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    // Until the key is copied (or the panel closed), a link followed asks first.
    let store = use_store();
    store.shown_once.set(Some((copied, "the new API key")));
    on_cleanup(move || store.shown_once.set(None));
    let copy = storage::copy_on_click(key.key.clone(), copied);
    view! {
        <div class="key-panel" role="region" aria-labelledby="new-key-heading">
            <h2 id="new-key-heading" tabindex="-1" node_ref=heading>{format!("API key \"{}\" generated", key.name)}</h2>
            <p class="key-warning">
                <strong>"Copy this key now: you will not see it again. "</strong>
                "The portal keeps only a hash of it; once you close this panel, leave the page or reload, the key cannot be shown or exported."
            </p>
            <p class="muted">{format!("Company {}, {} mode. Send it as the header Authorization: Basic <key>.", key.company, mode_label(key.mode))}</p>
            <div class="key-row">
                <label class="sr-only" for="new-key-value">"The new API key"</label>
                <input id="new-key-value" class="key-value" type="text" readonly prop:value=key.key.clone() on:focus=|ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                } />
                <button type="button" on:click=copy>"Copy the key"</button>
            </div>
            {storage::copy_status(copied, "the key")}
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| on_close()>"I saved the key, close"</button>
            </div>
        </div>
    }
}

#[component]
fn FlexPayRetriesTab() -> impl IntoView {
    let store = use_store();
    let name = RwSignal::new(String::new());
    let (company, environment) = header_scope();
    let status = RwSignal::new(AutoRetryStatus::Enabled);
    let message: Message = RwSignal::new(None);
    let confirm_delete = RwSignal::new(None::<(AutoRetryId, String)>);
    let configs = Memo::new(move |_| {
        store.portal.with(|p| {
            let mut configs = p.sandbox.auto_retries();
            configs.retain(|c| in_header_scope(p, &c.company, c.environment));
            configs
        })
    });

    let checks = form_checks("retry", name, company, "Scheduler sandbox");
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if checks.refuse_at_field() {
            message.set(None);
            return;
        }
        let (n, c, e, s) = (
            name.get_untracked(),
            company.get_untracked(),
            environment.get_untracked(),
            status.get_untracked(),
        );
        message.set(Some(
            match store.act(|p, now| p.sandbox.add_auto_retry(&n, &c, e, s, now)) {
                Some(Ok(added)) => {
                    name.set(String::new());
                    checks.reset();
                    (
                        true,
                        format!(
                            "Auto-retry \"{}\" added for {} ({}), {}.",
                            added.name,
                            added.company,
                            mode_label(added.environment),
                            lower_status(added.status),
                        ),
                        Some((added.company.clone(), added.environment)),
                    )
                }
                Some(Err(e)) => (
                    false,
                    format!("Not added: {}.", e.message.trim_end_matches('.')),
                    None,
                ),
                None => (false, "The portal is shutting down.".to_owned(), None),
            },
        ));
    };
    let set_status = move |id: AutoRetryId, to: AutoRetryStatus| {
        let result = store.act(|p, now| p.sandbox.update_auto_retry_status(id, to, now));
        message.set(Some(match result {
            Some(Ok(c)) => (
                true,
                format!(
                    "Auto-retry \"{}\" is now {}.{}",
                    c.name,
                    lower_status(c.status),
                    if c.status == AutoRetryStatus::Enabled {
                        " It takes the soft declines from now on."
                    } else {
                        " The payments it was retrying are your CRM's to retry now."
                    }
                ),
                None,
            ),
            Some(Err(e)) => (false, e.message, None),
            None => (false, "The portal is shutting down.".to_owned(), None),
        }));
    };
    let delete = move |id: AutoRetryId, config_name: String| {
        let result = store.act(|p, now| p.sandbox.delete_auto_retry(id, now));
        confirm_delete.set(None);
        message.set(Some(match result {
            Some(Ok(())) => (
                true,
                format!(
                    "Auto-retry \"{config_name}\" was deleted. The payments it was retrying are your CRM's to retry now."
                ),
                None,
            ),
            Some(Err(e)) => (false, e.message, None),
            None => (false, "The portal is shutting down.".to_owned(), None),
        }));
        focus_after_render("integrations-message");
    };

    view! {
        <div class="banner banner-warn" role="note" aria-label="Before you enable FlexPay Retries">
            <p>
                <strong>"Do not enable it if your CRM is also scheduling and processing retries. "</strong>
                "As soon as Auto-Retry is enabled for a company, any transaction sent will be automatically scheduled and retried by FlexPay."
            </p>
        </div>
        <p class="muted">
            "FlexPay retries can only be enabled once per Company/Environment combination: with only the Default Company you can add two, one for Production and one for Sandbox. "
            "Disabling or deleting one hands the payments it was retrying back to your CRM: each keeps its retry date and reference data, and the Retry schedule offers Send retry. Enabled again, it takes new soft declines only."
        </p>
        <h2 id="add-retry-heading">"Add an auto-retry"</h2>
        <form novalidate aria-labelledby="add-retry-heading" on:submit=add>
            <div class="form-grid">
                <TextField checks key="name" label="Name" value=name required=true placeholder="e.g. Scheduler sandbox" />
                {company_field(checks, company)}
                {environment_field("Environment", "retry-environment", environment)}
                <div class="form-field">
                    <span class="label-line"><label for="retry-status">"Status"</label></span>
                    <select id="retry-status" name="retry-status" on:change=move |ev| status.set(if event_target_value(&ev) == "Disabled" { AutoRetryStatus::Disabled } else { AutoRetryStatus::Enabled })>
                        <option value="Enabled" selected=move || status.get() == AutoRetryStatus::Enabled>"Enabled"</option>
                        <option value="Disabled" selected=move || status.get() == AutoRetryStatus::Disabled>"Disabled"</option>
                    </select>
                </div>
            </div>
            <div class="actions">
                <button type="submit">"Add auto-retry"</button>
            </div>
        </form>
        {message_view(message)}
        <h2 id="retries-heading">"Auto-retries"</h2>
        {move || confirm_delete.get().map(|(id, config_name)| {
            let for_delete = config_name.clone();
            view! {
                <Confirm id="delete-retry"
                    question=format!("Delete the auto-retry \"{config_name}\"? Payments already declined stay open for your CRM to retry; FlexPay no longer sends their retries.")
                    action="Delete the auto-retry"
                    on_confirm=move || delete(id, for_delete.clone())
                    on_cancel=move || close_editor(confirm_delete, format!("delete-retry-{}", id.0)) />
            }
        })}
        {move || {
            let rows = configs.get();
            if rows.is_empty() {
                return view! { <p class="empty">"No auto-retry: your CRM schedules and sends every retry."</p> }.into_any();
            }
            view! {
                <div class="table-scroll">
                    <table class="data" aria-label="Auto-retries">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Company"</th><th scope="col">"Environment"</th>
                            <th scope="col">"Status"</th><th scope="col">"Updated (UTC)"</th><th scope="col">"Actions"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|c| {
                                let (id, config_name) = (c.id, c.name.clone());
                                let enabled = c.status == AutoRetryStatus::Enabled;
                                let to = if enabled { AutoRetryStatus::Disabled } else { AutoRetryStatus::Enabled };
                                view! {
                                    <tr>
                                        <th scope="row">{c.name.clone()}</th>
                                        <td>{company_name(&c.company)} " " <code>{c.company.clone()}</code></td>
                                        <td>{mode_label(c.environment)}</td>
                                        <td><span class=if enabled { "status status-on" } else { "status status-off" }>{status_label(c.status)}</span></td>
                                        <td>{instant(c.updated_at)}</td>
                                        <td>
                                            <div class="row-actions">
                                            <button
                                                type="button"
                                                aria-label=format!("{} the auto-retry {}", if enabled { "Disable" } else { "Enable" }, c.name)
                                                on:click=move |_| set_status(id, to)
                                            >
                                                {if enabled { "Disable" } else { "Enable" }}
                                            </button>
                                            <button
                                                type="button"
                                                class="secondary"
                                                id=format!("delete-retry-{}", id.0)
                                                aria-label=format!("Delete the auto-retry {}", c.name)
                                                on:click=move |_| confirm_delete.set(Some((id, config_name.clone())))
                                            >
                                                "Delete…"
                                            </button>
                                            </div>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

fn status_label(status: AutoRetryStatus) -> &'static str {
    match status {
        AutoRetryStatus::Enabled => "Enabled",
        AutoRetryStatus::Disabled => "Disabled",
    }
}

fn lower_status(status: AutoRetryStatus) -> &'static str {
    match status {
        AutoRetryStatus::Enabled => "enabled",
        AutoRetryStatus::Disabled => "disabled",
    }
}
