use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Shown for any path the portal does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let location = use_location();
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>
                "Nothing lives at " <code>{move || location.pathname.get()}</code> ". "
                <A href="/dashboard">"Go to the dashboard"</A>
                "."
            </p>
        </section>
    }
}
