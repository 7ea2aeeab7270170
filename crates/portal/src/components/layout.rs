use flexkit_core::flexpay::account::Environment;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::confirm::Confirm;
use crate::components::fields::focus_element;
use crate::components::format::instant;
use crate::store::{use_store, Phase, SaveStatus};

/// One entry of the side navigation.
struct NavItem {
    href: &'static str,
    label: &'static str,
}

/// Sections in navigation order.
const NAV: &[NavItem] = &[
    NavItem {
        href: "/dashboard",
        label: "Dashboard",
    },
    NavItem {
        href: "/transactions",
        label: "Transactions",
    },
    NavItem {
        href: "/customers",
        label: "Customers",
    },
    NavItem {
        href: "/reports",
        label: "Reports",
    },
    NavItem {
        href: "/terminal",
        label: "Virtual terminal",
    },
    NavItem {
        href: "/schedule",
        label: "Retry schedule",
    },
    NavItem {
        href: "/gateways",
        label: "Payment gateways",
    },
    NavItem {
        href: "/companies",
        label: "Companies",
    },
    NavItem {
        href: "/users",
        label: "Users",
    },
    NavItem {
        href: "/integrations",
        label: "Integrations",
    },
    NavItem {
        href: "/platform",
        label: "Platform configuration",
    },
    NavItem {
        href: "/certification",
        label: "Certification",
    },
    NavItem {
        href: "/cards",
        label: "Card check",
    },
    NavItem {
        href: "/data",
        label: "Data & storage",
    },
    NavItem {
        href: "/flexiti",
        label: "Flexiti",
    },
];

/// The browser's title of a page: its section's name first, so tabs and history tell pages
/// apart — the section whose address the path is or whose page it is (`/transactions/…` is
/// Transactions, `/flexiti/history` Flexiti), the Dashboard for `/`, and "Page not found" for
/// any other path, as the router shows it.
fn page_title(path: &str) -> String {
    // The router shows `/users/` as `/users`: so does the title.
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    // The pages under a section: one transaction, one customer, a tab, a Flexiti page.
    let below = |href: &str, rest: &str| match href {
        "/transactions" | "/customers" => rest
            .strip_prefix('/')
            .is_some_and(|id| !id.is_empty() && !id.contains('/')),
        "/integrations" => matches!(rest, "/api-keys" | "/flexpay-retries"),
        "/flexiti" => matches!(rest, "/customers" | "/terminal" | "/refund" | "/history"),
        _ => false,
    };
    let section = NAV
        .iter()
        .filter(|item| {
            path.strip_prefix(item.href)
                .is_some_and(|rest| rest.is_empty() || below(item.href, rest))
        })
        .map(|item| item.label)
        .next()
        .or((path == "/").then_some("Dashboard"));
    match section {
        Some(label) => format!("{label} · flexkit portal"),
        None => "Page not found · flexkit portal".to_owned(),
    }
}

/// The page frame: a skip link, the header with the company and mode switches, the side
/// navigation and the main region.
///
/// On a phone's width the navigation is collapsed behind the header's Menu button (shown by
/// `web/portal.css` below 720 px only, a disclosure: `open` is its one state). The button is
/// the header's last control, so the list it opens follows it in the Tab order. Choosing a
/// section closes the list, Escape closes it and gives the focus back to the button.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let store = use_store();
    let navigate = leptos_router::hooks::use_navigate();
    let open = RwSignal::new(false);
    let escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            focus_element("menu-button");
        }
    };
    // After a move to another section the focus goes to the main region, as a page load
    // would put it at the top: keyboard and screen reader users start on the new page.
    let path = leptos_router::hooks::use_location().pathname;
    // Back from an item's page to its list (`/customers/KEY` to `/customers`), the focus goes
    // to the row's link to the item left, where the user was, when the list shows it.
    Effect::new(move |before: Option<String>| {
        let now = path.get();
        if let Some(left) = before.filter(|b| *b != now) {
            open.set(false);
            store.started_fresh.set(false);
            focus_main();
            let back_to_list = left
                .strip_prefix(now.as_str())
                .is_some_and(|rest| rest.starts_with('/'));
            if back_to_list {
                request_animation_frame(move || focus_link_to(&left));
            }
        }
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&page_title(&now));
        }
        now
    });
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"fk"</span>
                "flexkit"
            </a>
            <span class="version" title="flexkit version">{concat!("v", env!("CARGO_PKG_VERSION"))}</span>
            <div class="topbar-controls">
                <CompanySwitcher />
                <ModeSwitch />
                <SimulatedClock />
                <SaveIndicator />
                <button
                    type="button"
                    class="menu-button"
                    id="menu-button"
                    aria-controls="sections"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    on:click=move |_| open.update(|o| *o = !*o)
                    on:keydown=escape
                >
                    "Menu"
                </button>
            </div>
        </header>
        <div class="frame">
            // A link chosen closes the list, the current section's too: no move then, yet
            // the focus goes to the page all the same.
            <nav
                id="sections"
                class="sidenav"
                class:open=open
                aria-label="Sections"
                on:keydown=escape
                on:click=move |ev| {
                    if open.get_untracked() && is_link(&ev) {
                        open.set(false);
                        focus_main();
                    }
                }
            >
                <ul>
                    {NAV
                        .iter()
                        .map(|item| view! { <li><A href=item.href>{item.label}</A></li> })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main" tabindex="-1">
                {move || store.leaving.get().map(|(href, link)| {
                    let navigate = navigate.clone();
                    let what = store.shown_once.with_untracked(|s| s.map_or("it", |(_, what)| what));
                    view! {
                        <Confirm id="leave"
                            question=format!("Leave without {what}?")
                            detail="It was not copied, and it is shown only here: once you leave, it cannot be shown again."
                            action="Leave"
                            on_confirm=move || {
                                store.leaving.set(None);
                                navigate(&href, Default::default());
                            }
                            on_cancel=move || {
                                store.leaving.set(None);
                                // Below 720 px following a section's link closed the menu,
                                // hiding the link: the menu opens again to give it the focus.
                                if !refocus(&link) && link.closest("#sections").ok().flatten().is_some() {
                                    open.set(true);
                                    let link = link.clone();
                                    request_animation_frame(move || focus_back(&link));
                                } else {
                                    focus_back(&link);
                                }
                            } />
                    }
                })}
                {children()}
            </main>
        </div>
    }
}

/// Moves the keyboard focus to the main region. Done by hand: the router handles every click
/// on a link, so the browser's own jump to `#main` (which moves the focus) does not happen.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    focus_main();
}

fn focus_main() {
    focus_element("main");
}

/// Gives the focus to the first link to `path` (its query aside) in a table of the main
/// region — a list's row —, if any.
fn focus_link_to(path: &str) {
    use wasm_bindgen::JsCast;
    let quoted = path.replace('\\', "\\\\").replace('"', "\\\"");
    let selector = format!("main table a[href=\"{quoted}\"], main table a[href^=\"{quoted}?\"]");
    if let Some(link) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = link.focus();
    }
}

/// Whether a click landed on a link (the navigation's links hold their text only).
fn is_link(ev: &leptos::ev::MouseEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| el.tag_name() == "A")
}

/// Where a click on a link (or on what the link holds) leads within the page's document, and
/// the link; `None` for a jump within the page (`#…`) or a click elsewhere.
pub fn followed_link(ev: &leptos::ev::MouseEvent) -> Option<(String, web_sys::Element)> {
    use wasm_bindgen::JsCast;
    let link = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??;
    let href = link
        .get_attribute("href")
        .filter(|href| !href.starts_with('#'))?;
    Some((href, link))
}

/// Gives the focus back to what opened a dialog, as every Cancel does; to the main region
/// when it can no longer take it (gone, or hidden: the phone's navigation closes when one of
/// its links is chosen).
fn focus_back(opener: &web_sys::Element) {
    if !refocus(opener) {
        focus_main();
    }
}

/// Gives the focus to `element`; whether it took it (a hidden one does not).
fn refocus(element: &web_sys::Element) -> bool {
    use wasm_bindgen::JsCast;
    // An element that can take the focus, HTML or SVG, has `focus()`.
    let _ = element.unchecked_ref::<web_sys::HtmlElement>().focus();
    document().active_element().as_ref() == Some(element)
}

/// Scopes every page to All companies or one (the FlexPay portal's selector, top right).
#[component]
fn CompanySwitcher() -> impl IntoView {
    let store = use_store();
    // (code, label): a name two companies share is told apart by the code.
    let companies = Memo::new(move |_| {
        let companies = store.portal.with(|p| p.sandbox.companies());
        let shared = |name: &str| {
            companies
                .iter()
                .filter(|c| c.name.eq_ignore_ascii_case(name))
                .count()
                > 1
        };
        companies
            .iter()
            .map(|c| {
                let label = if shared(&c.name) {
                    format!("{} ({})", c.name, c.code)
                } else {
                    c.name.clone()
                };
                (c.code.clone(), label)
            })
            .collect::<Vec<_>>()
    });
    // `""`: All companies.
    let selected = move || {
        store
            .portal
            .with(|p| p.settings.company.clone().unwrap_or_default())
    };
    view! {
        <label class="switch">
            <span>"Company"</span>
            <select
                disabled=move || store.phase.with(|p| *p != Phase::Ready)
                prop:value=selected
                on:change=move |ev| {
                    let code = event_target_value(&ev);
                    store.act(|p, _| p.settings.company = (!code.is_empty()).then_some(code));
                }
            >
                <option value="" selected=move || selected().is_empty()>"All companies"</option>
                // Keyed by label too, so a renamed company shows its new name.
                <For each=move || companies.get() key=|c| c.clone() let:company>
                    <option value=company.0.clone() selected=move || selected() == company.0>
                        {company.1.clone()}
                    </option>
                </For>
            </select>
        </label>
    }
}

/// Sandbox / Production: data of one mode never shows in the other.
#[component]
fn ModeSwitch() -> impl IntoView {
    let store = use_store();
    let mode = move || store.portal.with(|p| p.settings.mode);
    let button = move |m: Environment| {
        view! {
            <button
                type="button"
                class="segment"
                aria-pressed=move || if mode() == m { "true" } else { "false" }
                disabled=move || store.phase.with(|p| *p != Phase::Ready)
                on:click=move |_| {
                    store.act(|p, _| p.settings.mode = m);
                }
            >
                {mode_label(m)}
            </button>
        }
    };
    view! {
        <div class="segmented" role="group" aria-label="Environment">
            {button(Environment::Sandbox)}
            {button(Environment::Production)}
        </div>
    }
}

/// The simulated clock every action uses as `now`.
#[component]
fn SimulatedClock() -> impl IntoView {
    let store = use_store();
    let text = move || {
        store.tick();
        let wall = crate::storage::wall_clock();
        let now = store.portal.with(|p| p.now(wall));
        if now == wall {
            instant(now)
        } else {
            format!("{} (simulated)", instant(now))
        }
    };
    view! { <span class="clock" title="The sandbox clock: advance it on the Retry schedule page">{text}</span> }
}

#[component]
fn SaveIndicator() -> impl IntoView {
    let store = use_store();
    move || {
        // Nothing is saved while the saved data waits for the user's decision.
        if store.phase.with(|p| matches!(p, Phase::Corrupt { .. })) {
            return view! {
                <span class="save save-failed" role="status" title="The saved data cannot be read: nothing is saved until it is exported or the sandbox is started fresh">"Not saved"</span>
            }
            .into_any();
        }
        if store.phase.with(|p| *p == Phase::Loading) {
            return view! { <span class="save" role="status">"Loading…"</span> }.into_any();
        }
        match store.save_status.get() {
            SaveStatus::Saved => {
                view! { <span class="save save-ok" role="status">"Saved"</span> }.into_any()
            }
            SaveStatus::Saving => {
                view! { <span class="save" role="status">"Saving…"</span> }.into_any()
            }
            SaveStatus::Failed(message) | SaveStatus::Superseded(message) => view! {
                <span class="save save-failed" role="alert" title=message.clone()>"Not saved"</span>
            }
            .into_any(),
        }
    }
}

/// A warning that what a page looks for belongs to another company or mode than the header
/// shows, with a button that switches the header to `company` and `mode`.
pub fn switch_banner(
    testid: &'static str,
    text: String,
    button: String,
    company: Option<String>,
    mode: Environment,
) -> impl IntoView {
    let store = use_store();
    view! {
        <p class="banner banner-warn" role="status" data-testid=testid>
            {text}
            <button type="button" class="secondary" on:click=move |_| {
                let company = company.clone();
                store.act(move |p, _| {
                    p.settings.company = company;
                    p.settings.mode = mode;
                });
                // The banner, and its button, go: the focus goes to the page's heading.
                crate::components::fields::focus_found_after_render("main h1".to_owned());
            }>{button}</button>
        </p>
    }
}

/// The mode the header does not show.
pub fn other_mode(mode: Environment) -> Environment {
    match mode {
        Environment::Sandbox => Environment::Production,
        Environment::Production => Environment::Sandbox,
    }
}

/// Says that `what` is found in the other mode, and offers to switch the header to it.
pub fn other_mode_banner(what: &str) -> impl IntoView {
    let (company, mode) = use_store()
        .portal
        .with_untracked(|p| (p.settings.company.clone(), p.settings.mode));
    let other = other_mode(mode);
    switch_banner(
        "other-mode",
        format!(
            "{what} in {}; the header shows {}. ",
            mode_label(other),
            mode_label(mode)
        ),
        format!("Switch to {}", mode_label(other)),
        company,
        other,
    )
}

pub fn mode_label(mode: Environment) -> &'static str {
    match mode {
        Environment::Sandbox => "Sandbox",
        Environment::Production => "Production",
    }
}

#[cfg(test)]
mod tests {
    use super::page_title;

    #[test]
    fn each_page_is_titled_by_its_section_and_any_other_path_as_not_found() {
        let title = |section: &str| format!("{section} · flexkit portal");
        for (path, section) in [
            ("/", "Dashboard"),
            ("/dashboard", "Dashboard"),
            ("/transactions", "Transactions"),
            ("/transactions/6MV49SY578SJS8K87WJXWYD29J", "Transactions"),
            ("/customers/ada%40example.com", "Customers"),
            ("/integrations/flexpay-retries", "Integrations"),
            ("/flexiti/history", "Flexiti"),
            ("/schedule", "Retry schedule"),
            // A trailing slash shows the same page.
            ("/transactions/", "Transactions"),
            ("/schedule/", "Retry schedule"),
            ("/flexiti/history/", "Flexiti"),
        ] {
            assert_eq!(page_title(path), title(section), "{path}");
        }
        for path in [
            "/nope",
            "/transactions/a/b",
            "/transactions//",
            "/transactionsé",
            "/customersx",
            "/integrations/zzz",
            "/flexiti/nope",
            "/dashboard/x",
            "",
        ] {
            assert_eq!(page_title(path), title("Page not found"), "{path}");
        }
    }
}
