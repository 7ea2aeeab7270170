//! `/flexiti`: the environment, the client id and the client secret (written once, never
//! shown again), and the access token's life.

use flexkit_core::flexiti::{ClientId, ClientSecret, Environment, TokenState};
use leptos::prelude::*;

use super::{
    renew_token_on_open, Checks, FlexitiTabs, GeneralProblems, Outcome, OutcomeBanner, TextField,
};
use crate::components::fields::{focus_after_render, focus_first_invalid};
use crate::components::format::instant;
use crate::store::use_store;

fn environment_value(environment: Environment) -> &'static str {
    match environment {
        Environment::Training => "TRAINING",
        Environment::MerchantIntegration => "MERCHANT_INTEGRATION",
        Environment::Production => "PRODUCTION",
    }
}

fn environment_from(value: &str) -> Environment {
    Environment::ALL
        .into_iter()
        .find(|e| environment_value(*e) == value)
        .unwrap_or(Environment::Training)
}

#[component]
pub fn FlexitiOverviewPage() -> impl IntoView {
    let store = use_store();
    renew_token_on_open(store);
    let saved = move || store.portal.with(|p| p.settings.flexiti.clone());
    let environment = RwSignal::new(
        store
            .portal
            .with_untracked(|p| p.settings.flexiti.environment),
    );
    let client_id = RwSignal::new(
        store
            .portal
            .with_untracked(|p| p.settings.flexiti.client_id.clone()),
    );
    // The secret typed now; cleared as soon as it is saved.
    let secret = RwSignal::new(String::new());
    let replacing = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let secret_saved = move || store.portal.with(|p| p.settings.flexiti.secret_saved());
    // The environment in force is the saved one; another chosen in the form is not in force
    // until saved, with that environment's own client id and secret (Flexiti issues them per
    // environment, and nothing crosses environments).
    let in_force = move || store.portal.with(|p| p.settings.flexiti.environment);
    let unsaved = move || environment.get() != in_force();
    let asks_secret = move || replacing.get() || !secret_saved() || unsaved();
    let choose_environment = move |chosen: Environment| {
        environment.set(chosen);
        secret.set(String::new());
        replacing.set(false);
        client_id.set(if chosen == in_force() {
            store
                .portal
                .with_untracked(|p| p.settings.flexiti.client_id.clone())
        } else {
            String::new()
        });
    };

    let problems = Memo::new(move |_| {
        let mut out = Vec::new();
        if let Err(e) = client_id.with(|v| ClientId::parse(v.trim())) {
            out.push(("client_id".to_owned(), e.message));
        }
        if asks_secret() {
            if let Err(e) = secret.with(|v| ClientSecret::parse(v)) {
                out.push(("client_secret".to_owned(), e.message));
            }
        }
        out
    });
    let checks = Checks::new(problems);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checks.reveal_to_send(&ev, outcome) {
            return;
        }
        if checks.has_errors() {
            outcome.set(Some(Outcome::Failed(
                "Fix the marked fields, then save again; the focus is on the first.".to_owned(),
            )));
            focus_first_invalid(&ev);
            return;
        }
        let (Ok(id), env) = (
            client_id.with_untracked(|v| ClientId::parse(v.trim())),
            environment.get_untracked(),
        ) else {
            return;
        };
        let new_secret = if asks_secret() {
            secret.with_untracked(|v| ClientSecret::parse(v).ok())
        } else {
            None
        };
        let result = store.act(|p, now| {
            p.flexiti_set_credentials(env, &id, new_secret.as_ref());
            p.flexiti_bearer(now)
                .map(|_| p.settings.flexiti.token.as_ref().map(|t| t.expires_at()))
        });
        secret.set(String::new());
        replacing.set(false);
        checks.reset();
        outcome.set(Some(match result {
            Some(Ok(expires)) => Outcome::Done(format!(
                "Credentials saved. The TRAINING sandbox issued an access token, valid until {}.",
                expires.map(instant).unwrap_or_default()
            )),
            Some(Err(error)) => Outcome::Failed(format!(
                "Credentials saved, but no token was issued: {error}"
            )),
            None => Outcome::Failed("The portal is shutting down.".to_owned()),
        }));
    };
    let fill_sandbox = move |_| {
        let credentials = store.portal.with_untracked(|p| p.flexiti.credentials());
        choose_environment(Environment::Training);
        client_id.set(credentials.client_id.as_str().to_owned());
        replacing.set(true);
        secret.set(credentials.client_secret.expose().to_owned());
        checks.touch("client_id");
        checks.touch("client_secret");
    };
    let renew = move |_| {
        let result = store.act(|p, now| {
            p.settings.flexiti.token = None;
            p.flexiti_bearer(now)
        });
        outcome.set(Some(match result {
            Some(Ok(_)) => Outcome::Done("A new access token was issued.".to_owned()),
            Some(Err(error)) => Outcome::Failed(error.to_string()),
            None => Outcome::Failed("The portal is shutting down.".to_owned()),
        }));
    };
    let tick = RwSignal::new(0u32);
    let token_view = move || {
        tick.track();
        let now = store.now();
        let settings = saved();
        match settings.token {
            None => view! {
                <p class="muted" data-testid="token-state">
                    {if settings.configured() { "No token: it is requested before the next call." } else { "No token: save credentials first." }}
                </p>
            }
            .into_any(),
            Some(token) => {
                let state = match token.state(now) {
                    TokenState::Fresh => "Valid",
                    TokenState::RefreshDue => "Valid, renewed with its refresh token before the next call",
                    TokenState::Expired => "Expired: a new one is requested before the next call",
                };
                view! {
                    <dl class="facts" data-testid="token-state">
                        <div><dt>"Environment"</dt><dd>{token.environment.name()}</dd></div>
                        <div><dt>"State"</dt><dd>{state}</dd></div>
                        <div><dt>"Scope"</dt><dd>{token.scope.as_str()}</dd></div>
                        <div><dt>"Issued"</dt><dd>{instant(token.issued_at)}</dd></div>
                        <div><dt>"Refresh due from"</dt><dd>{instant(token.refresh_at())}</dd></div>
                        <div><dt>"Expires"</dt><dd>{instant(token.expires_at())}</dd></div>
                    </dl>
                }
                .into_any()
            }
        }
    };

    view! {
        <section class="page page-wide">
            <h1>"Flexiti"</h1>
            <FlexitiTabs />
            <p class="lede">
                "Point-of-sale financing on Flexiti's TRAINING environment, simulated in this browser: test accounts in every status, the test PIN 2222, purchases, captures, releases and returns with the same rules as the API."
            </p>
            <div class="fx-columns">
                <form class="fx-card" aria-labelledby="fx-credentials-title" on:submit=save novalidate>
                    <h2 id="fx-credentials-title">"Environment and credentials"</h2>
                    <div class="fx-field">
                        <label for="fx-environment">"Environment"</label>
                        <select
                            id="fx-environment"
                            aria-describedby="fx-environment-hint"
                            prop:value=move || environment_value(environment.get())
                            on:change=move |ev| choose_environment(environment_from(&event_target_value(&ev)))
                        >
                            {Environment::ALL.map(|e| view! {
                                <option value=environment_value(e) selected=move || environment.get() == e>{e.name()}</option>
                            }).collect_view()}
                        </select>
                        <p class="fx-hint" id="fx-environment-hint">
                            {move || {
                                let chosen = environment.get();
                                if unsaved() {
                                    format!("Not saved: {} is in force. Save {}'s own client ID and secret to switch (API base: {}).", in_force().name(), chosen.name(), chosen.base_url())
                                } else {
                                    format!("API base: {}", chosen.base_url())
                                }
                            }}
                        </p>
                    </div>
                    <TextField form="fx" key="client_id" label="Client ID" value=client_id checks=checks />
                    {move || if asks_secret() {
                        view! {
                            <TextField
                                form="fx"
                                key="client_secret"
                                label="Client secret"
                                kind="password"
                                value=secret
                                checks=checks
                                hint="Written once: after saving it is never shown again, only replaced."
                            />
                            {move || (replacing.get() && secret_saved() && !unsaved()).then(|| view! {
                                <button type="button" class="secondary" on:click=move |_| {
                                    replacing.set(false);
                                    secret.set(String::new());
                                    focus_after_render("fx-replace-secret");
                                }>
                                    "Keep the saved secret"
                                </button>
                            })}
                        }.into_any()
                    } else {
                        view! {
                            <div class="fx-field" role="group" aria-labelledby="fx-secret-label">
                                <span class="fx-label" id="fx-secret-label">"Client secret"</span>
                                <p class="fx-secret" data-testid="secret-state">
                                    <span aria-hidden="true">"•••• "</span>"saved"
                                    // The field takes the button's place: the focus goes into it.
                                    <button type="button" class="secondary" id="fx-replace-secret" on:click=move |_| {
                                        replacing.set(true);
                                        secret.set(String::new());
                                        focus_after_render("fx-client_secret");
                                    }>
                                        "Replace secret"
                                    </button>
                                </p>
                            </div>
                        }.into_any()
                    }}
                    <GeneralProblems checks=checks />
                    <div class="actions">
                        <button type="submit">"Save credentials"</button>
                    </div>
                    <OutcomeBanner outcome=outcome testid="credentials-outcome" />
                </form>
                <div class="fx-card">
                    <h2>"Access token"</h2>
                    <p class="muted">"Tokens live 20 minutes. The portal renews one with its refresh token in its last minute, and requests a new one once it has expired."</p>
                    {token_view}
                    <div class="actions">
                        <button type="button" class="secondary" on:click=move |_| tick.update(|t| *t += 1)>"Check the token's state again"</button>
                        <button type="button" class="secondary" disabled=move || !saved().configured() on:click=renew>"Request a new token"</button>
                    </div>
                    <h2 class="fx-spaced">"TRAINING developer portal"</h2>
                    <p class="muted">
                        "Flexiti issues a client id and secret per environment in its developer portal. The embedded TRAINING sandbox issued client id "
                        <code>{move || store.portal.with(|p| p.flexiti.credentials().client_id.as_str().to_owned())}</code>
                        " and a secret this button copies into the form without showing it."
                    </p>
                    <button type="button" class="secondary" on:click=fill_sandbox>"Fill in the sandbox's credentials"</button>
                </div>
            </div>
        </section>
    }
}
