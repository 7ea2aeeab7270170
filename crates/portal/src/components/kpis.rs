//! Figures at the top of a page (the dashboard's recovery, the customers', the transaction
//! list's): one card per currency or group, each a `<dl>` of named figures. One view for every
//! page, so the cards look and read alike and their code is compiled once.

use leptos::prelude::*;

/// A figure: its name, its value as shown and, for tests, a `data-kpi` name (may be empty).
pub type Figure = (&'static str, String, &'static str);

/// The entries of a `<dl>`.
pub fn entries(items: Vec<Figure>) -> impl IntoView {
    items
        .into_iter()
        .map(|(term, text, kpi)| view! { <div><dt>{term}</dt><dd data-kpi=kpi>{text}</dd></div> })
        .collect_view()
}

/// Cards of figures in a `.kpis` grid (`class` adds to it): each with its accessible name,
/// its title and its figures.
pub fn kpi_cards(
    class: &'static str,
    cards: Vec<(String, &'static str, Vec<Figure>)>,
) -> impl IntoView {
    view! {
        <div class=class>
            {cards.into_iter().map(|(label, title, figures)| view! {
                <article class="kpi-card" aria-label=label>
                    <h2 class="kpi-currency">{title}</h2>
                    <dl class="kpi-grid">{entries(figures)}</dl>
                </article>
            }).collect_view()}
        </div>
    }
}
