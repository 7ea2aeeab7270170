use leptos::prelude::*;
use leptos_router::components::A;

/// One entry of the side navigation.
struct NavItem {
    href: &'static str,
    label: &'static str,
}

/// Sections in navigation order.
const NAV: &[NavItem] = &[NavItem {
    href: "/cards",
    label: "Card check",
}];

/// The page frame: a skip link, the header, the side navigation and the main region.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"fk"</span>
                "flexkit"
            </a>
            <span class="version" title="flexkit version">{concat!("v", env!("CARGO_PKG_VERSION"))}</span>
        </header>
        <div class="frame">
            <nav class="sidenav" aria-label="Sections">
                <ul>
                    {NAV
                        .iter()
                        .map(|item| {
                            view! {
                                <li>
                                    <A href=item.href>{item.label}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main" tabindex="-1">
                {children()}
            </main>
        </div>
    }
}
