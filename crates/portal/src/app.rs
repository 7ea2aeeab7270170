use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Shell;
use crate::pages::{card_check::CardCheckPage, not_found::NotFoundPage};

/// The portal's routes. Every section is a deep link that loads on reload from a static host
/// (the host answers unknown paths with `index.html`; the router then renders the section).
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=|| view! { <Redirect path="/cards" /> } />
                    <Route path=path!("/cards") view=CardCheckPage />
                </Routes>
            </Shell>
        </Router>
    }
}
