use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Shell;
use crate::pages::{
    card_check::CardCheckPage, certification::CertificationPage, companies::CompaniesPage,
    customers::CustomerDetailPage, customers::CustomersPage, dashboard::DashboardPage,
    data::DataPage, data::RecoveryPanel, flexiti::customers::FlexitiCustomersPage,
    flexiti::history::FlexitiHistoryPage, flexiti::overview::FlexitiOverviewPage,
    flexiti::refund::FlexitiRefundPage, flexiti::terminal::FlexitiTerminalPage,
    gateways::GatewaysPage, integrations::IntegrationsPage, not_found::NotFoundPage,
    platform::PlatformPage, reports::ReportsPage, schedule::SchedulePage, terminal::TerminalPage,
    transactions::TransactionDetailPage, transactions::TransactionsPage, users::UsersPage,
};
use crate::store::{Phase, SaveStatus, Store};

/// The portal's routes. Every section is a deep link that loads on reload from a static host
/// (the host answers unknown paths with `index.html` or `404.html`; the router then renders
/// the section).
#[component]
pub fn App() -> impl IntoView {
    let store = Store::provide();
    // Added before the router's own listener, so it runs first: a link followed while a
    // secret shown once was not copied waits for the confirmation (in `Shell`).
    let uncopied = move || {
        store
            .shown_once
            .with_untracked(|s| s.is_some_and(|(copied, _)| copied.get_untracked() != Some(true)))
    };
    let _ = window_event_listener(leptos::ev::click, move |ev| {
        if uncopied() {
            if let Some(link) = crate::components::layout::followed_link(&ev) {
                ev.prevent_default();
                store.leaving.set(Some(link));
            }
        }
    });
    // A reload, a typed address or a closed tab: the browser's own question.
    let _ = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if uncopied() {
            ev.prevent_default();
        }
    });
    view! {
        <Router>
            <Shell>
                <SaveFailureBanner />
                {move || store.started_fresh.get().then(|| view! {
                    <p id="fresh-message" tabindex="-1" class="banner banner-info" role="status">
                        "The data that could not be read was deleted: this is a fresh sandbox."
                    </p>
                })}
                {move || match store.phase.get() {
                    Phase::Loading => view! {
                        <p class="loading" role="status">"Loading the saved sandbox…"</p>
                    }
                    .into_any(),
                    Phase::Corrupt { raw, error } => view! { <RecoveryPanel raw error /> }.into_any(),
                    // Set again after a change another tab's save refused: the sections are
                    // built afresh.
                    Phase::Ready => view! { <Sections /> }.into_any(),
                }}
            </Shell>
        </Router>
    }
}

#[component]
fn Sections() -> impl IntoView {
    view! {
        <Routes fallback=NotFoundPage>
            <Route path=path!("/") view=|| view! { <Redirect path="/dashboard" /> } />
            <Route path=path!("/dashboard") view=DashboardPage />
            <Route path=path!("/transactions") view=TransactionsPage />
            <Route path=path!("/transactions/:id") view=TransactionDetailPage />
            <Route path=path!("/customers") view=CustomersPage />
            <Route path=path!("/customers/:key") view=CustomerDetailPage />
            <Route path=path!("/reports") view=ReportsPage />
            <Route path=path!("/terminal") view=TerminalPage />
            <Route path=path!("/schedule") view=SchedulePage />
            <Route path=path!("/gateways") view=GatewaysPage />
            <Route path=path!("/companies") view=CompaniesPage />
            <Route path=path!("/users") view=UsersPage />
            <Route path=path!("/integrations/:tab?") view=IntegrationsPage />
            <Route path=path!("/platform") view=PlatformPage />
            <Route path=path!("/certification") view=CertificationPage />
            <Route path=path!("/cards") view=CardCheckPage />
            <Route path=path!("/data") view=DataPage />
            <Route path=path!("/flexiti") view=FlexitiOverviewPage />
            <Route path=path!("/flexiti/customers") view=FlexitiCustomersPage />
            <Route path=path!("/flexiti/terminal") view=FlexitiTerminalPage />
            <Route path=path!("/flexiti/refund") view=FlexitiRefundPage />
            <Route path=path!("/flexiti/history") view=FlexitiHistoryPage />
        </Routes>
    }
}

/// Storage failures (quota, private mode) are shown on every page: the data is only in memory,
/// so the banner offers the export. A change another tab saved over is only reported: this tab
/// shows what is saved.
#[component]
fn SaveFailureBanner() -> impl IntoView {
    let store = crate::store::use_store();
    move || {
        let status = store.save_status.get();
        let (SaveStatus::Failed(message) | SaveStatus::Superseded(message)) = status.clone() else {
            return None;
        };
        let in_memory = matches!(status, SaveStatus::Failed(_));
        Some(view! {
            <div class="banner banner-error" role="alert">
                <p>{message}</p>
                {in_memory.then(|| view! {
                    <button type="button" on:click=move |_| store.export()>"Export the state to a file"</button>
                })}
            </div>
        })
    }
}
