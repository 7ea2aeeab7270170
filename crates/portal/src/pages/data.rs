//! Data & storage: export the whole state to a file, import it back, reset, and the
//! recovery panel shown when the saved state cannot be read.

use flexkit_core::flexpay::account::Environment;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::components::confirm::Confirm;
use crate::components::fields::focus_after_render;
use crate::components::format::count;
use crate::components::layout::mode_label;
use crate::state::Portal;
use crate::storage;
use crate::store::{use_store, SaveStatus};

/// What a file to import holds, for the question asked before it replaces everything: its
/// transactions, users and the platform configuration of each environment.
fn holdings(portal: &Portal) -> String {
    let sandbox = &portal.sandbox;
    let mut text = format!(
        "{}, {} and the platform configuration",
        count(
            sandbox.transaction_count() as u32,
            "transaction",
            "transactions"
        ),
        count(sandbox.user_count() as u32, "user", "users")
    );
    for (mode, before) in [
        (Environment::Sandbox, " ("),
        (Environment::Production, "; "),
    ] {
        let config = sandbox.platform_config(mode);
        let shown = match config.account_currencies.len() as u32 {
            0 => "every currency shown".to_owned(),
            n => count(n, "shown currency", "shown currencies"),
        };
        let minimums = config.recovery_minimums.len() as u32;
        text += &format!(
            "{before}{}: {}, {shown}, {}",
            mode_label(mode),
            count(minimums, "recovery minimum", "recovery minimums"),
            config.gateway_routing.label()
        );
    }
    text + ")"
}

#[component]
pub fn DataPage() -> impl IntoView {
    let store = use_store();
    let message = RwSignal::new(None::<(bool, String)>);
    let confirm_reset = RwSignal::new(false);
    // A file read and understood, waiting for the user to confirm that it replaces everything.
    let incoming = StoredValue::new(None::<Portal>);
    let asking = RwSignal::new(None::<(String, String)>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // The same file chosen again is a new change.
        input.set_value("");
        // A large file takes seconds to read: the page says so first.
        incoming.set_value(None);
        asking.set(None);
        message.set(Some((
            true,
            format!("Reading {} ({})…", file.name(), file_size(file.size())),
        )));
        leptos::task::spawn_local(async move {
            crate::storage::after_paint().await;
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            let read = text
                .ok_or_else(|| "the file could not be read".to_owned())
                .and_then(|text| Portal::from_document(&text));
            match read {
                Ok(portal) => {
                    let question = format!(
                        "Replace everything in this sandbox with {}? It holds {}.",
                        file.name(),
                        holdings(&portal)
                    );
                    incoming.set_value(Some(portal));
                    message.set(None);
                    asking.set(Some((question, file.name())));
                }
                Err(e) => {
                    // A question about an earlier file would import that one.
                    incoming.set_value(None);
                    asking.set(None);
                    message.set(Some((
                        false,
                        format!(
                            "Nothing was changed: {} cannot be imported: {e}.",
                            file.name()
                        ),
                    )));
                }
            }
        });
    };
    view! {
        <section class="page">
            <h1>"Data & storage"</h1>
            <p class="lede">
                "The portal keeps its sandbox in this browser (IndexedDB) and saves after every change. "
                "Export it to move it to another browser or to keep a copy. "
                "The portal's tabs share it: a change saved in one shows in the others."
            </p>
            <dl class="facts">
                <div><dt>"Saving"</dt><dd data-testid="save-status">{move || match store.save_status.get() {
                    SaveStatus::Saved => "All changes saved".to_owned(),
                    SaveStatus::Saving => "Saving…".to_owned(),
                    SaveStatus::Failed(m) | SaveStatus::Superseded(m) => m,
                }}</dd></div>
                <div><dt>"Persistent storage"</dt><dd>{move || match store.persistent.get() {
                    None => "asking the browser…",
                    Some(true) => "granted: the browser will not evict this data",
                    Some(false) => "not granted: the browser may evict this data under storage pressure; export it to keep it",
                }}</dd></div>
                <div><dt>"FlexPay transactions, both modes"</dt><dd>{move || store.portal.with(|p| p.sandbox.transaction_count())}</dd></div>
            </dl>
            <h2>"Export and import"</h2>
            <div class="actions">
                <button type="button" on:click=move |_| store.export()>"Export to a file"</button>
                <label class="file-button">
                    "Import from a file"
                    <input type="file" accept="application/json,.json" on:change=on_file />
                </label>
            </div>
            <p class="hint" data-testid="export-secrets">
                "The file holds everything, the Flexiti client secret and tokens saved on the Flexiti page included, in plain text (FlexPay API keys are kept only as hashes): keep it private."
            </p>
            {move || asking.get().map(|(question, name)| view! {
                <Confirm id="import"
                    question
                    detail="The companies, keys, gateways, transactions, users and platform configuration here now, and the Flexiti credentials and sales, are replaced. Export them first if you may need them."
                    action="Replace with the file"
                    on_confirm=move || {
                        if let Some(portal) = incoming.try_update_value(Option::take).flatten() {
                            store.replace(portal);
                            message.set(Some((true, format!("Imported {name}."))));
                        }
                        asking.set(None);
                        focus_after_render("data-message");
                    }
                    on_cancel=move || {
                        incoming.set_value(None);
                        asking.set(None);
                        message.set(Some((true, "Nothing was changed.".to_owned())));
                        focus_after_render("data-message");
                    } />
            })}
            {move || message.get().map(|(ok, text)| view! {
                <p id="data-message" tabindex="-1" class=if ok { "banner banner-info" } else { "banner banner-error" } role="status">{text}</p>
            })}
            <h2>"Start over"</h2>
            {move || if confirm_reset.get() {
                view! {
                    <Confirm id="reset"
                        question="Delete everything saved, in Sandbox and Production: every company, API key, gateway, transaction, user, certification run and the platform configuration, and the Flexiti credentials and sales? Export first if you may need them."
                        action="Delete everything"
                        on_confirm=move || {
                            store.reset();
                            confirm_reset.set(false);
                            message.set(Some((true, "The sandbox was reset.".to_owned())));
                            focus_after_render("data-message");
                        }
                        on_cancel=move || {
                            confirm_reset.set(false);
                            focus_after_render("reset-open");
                        } />
                }.into_any()
            } else {
                view! { <button type="button" id="reset-open" class="danger" on:click=move |_| confirm_reset.set(true)>"Reset the sandbox…"</button> }.into_any()
            }}
        </section>
    }
}

/// Shown instead of the portal when the saved state cannot be read: nothing is overwritten
/// until the user has had the chance to keep the raw data.
#[component]
pub fn RecoveryPanel(raw: String, error: String) -> impl IntoView {
    let store = use_store();
    let raw_for_export = raw.clone();
    let confirm_reset = RwSignal::new(false);
    view! {
        <section class="page">
            <h1>"The saved portal data cannot be read"</h1>
            <div class="banner banner-error" role="alert">
                <p>{error}</p>
            </div>
            <p>
                "Nothing has been changed or deleted. Export the raw data to keep it (it can be repaired and imported later), "
                "then start with a fresh sandbox."
            </p>
            <div class="actions">
                <button type="button" on:click=move |_| storage::download("flexkit-portal-unreadable.json", "application/json", &raw_for_export)>
                    "Export the raw data"
                </button>
                {move || (!confirm_reset.get()).then(|| view! {
                    <button type="button" id="fresh-open" class="danger" on:click=move |_| confirm_reset.set(true)>"Start with a fresh sandbox"</button>
                })}
            </div>
            {move || confirm_reset.get().then(|| view! {
                <Confirm id="fresh"
                    question="Replace the saved data with a fresh sandbox? The data that cannot be read is deleted; export it first if you may need it."
                    action="Delete it and start fresh"
                    on_confirm=move || {
                        store.reset();
                        store.started_fresh.set(true);
                        focus_after_render("fresh-message");
                    }
                    on_cancel=move || {
                        confirm_reset.set(false);
                        focus_after_render("fresh-open");
                    } />
            })}
            <p class="muted">{format!("{} characters of saved data.", raw.chars().count())}</p>
        </section>
    }
}

/// A file's size as people read it: `812 bytes`, `35.2 KB`, `20.1 MB` (by integers: no
/// float formatting in the module).
fn file_size(bytes: f64) -> String {
    let bytes = bytes as u64;
    let (unit, per_tenth) = match bytes {
        0..1000 => return format!("{bytes} bytes"),
        1000..1_000_000 => ("KB", 100),
        _ => ("MB", 100_000),
    };
    let tenths = (bytes + per_tenth / 2) / per_tenth;
    format!("{}.{} {unit}", tenths / 10, tenths % 10)
}
