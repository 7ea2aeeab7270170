//! The company an action is for. Pages read what the header's company selector shows, one
//! company or All companies, but a payment, a key, a gateway, a certification run and recovery
//! limits belong to one company: while the header shows All companies, the form asks for one
//! and has none until the user picks it (FlexPay's "choose company first").

use leptos::prelude::*;

use crate::components::fields::{FieldChecks, FieldProblem, FieldProblems};
use crate::store::use_store;

/// The company of a form: the header's while it shows one, followed when it changes; empty
/// while it shows All companies, until one is chosen in the form.
pub fn form_company() -> RwSignal<String> {
    let store = use_store();
    let header = Memo::new(move |_| store.portal.with(|p| p.settings.company.clone()));
    let company = RwSignal::new(header.get_untracked().unwrap_or_default());
    // From the header's first change on: a company set before (a follow-up's) stays.
    Effect::new(move |ran: Option<()>| {
        let code = header.get().unwrap_or_default();
        if ran.is_some() && company.get_untracked() != code {
            company.set(code);
        }
    });
    company
}

/// The problem of a form with no company chosen, at its field `company`.
pub fn company_problem(company: RwSignal<String>) -> Option<FieldProblem> {
    company.with(String::is_empty).then(|| {
        FieldProblem::error(
            "company",
            "company_required",
            "Choose a company: the header shows All companies.",
        )
    })
}

/// A blank "Choose a company…", which a required select refuses, then every live company.
pub fn company_options(selected: RwSignal<String>) -> impl IntoView {
    let store = use_store();
    let companies = Memo::new(move |_| store.portal.with(|p| p.sandbox.companies()));
    view! {
        <option value="" selected=move || selected.with(String::is_empty)>"Choose a company…"</option>
        <For each=move || companies.get() key=|c| (c.code.clone(), c.name.clone()) let:company>
            <option value=company.code.clone() selected=move || selected.with(|s| *s == company.code)>
                {format!("{} ({})", company.name, company.code)}
            </option>
        </For>
    }
}

/// While the header shows All companies, the required Company select of a form (its id is
/// `{prefix}-company`, its problems those of `checks`); nothing while it shows one company.
#[component]
pub fn CompanyField(
    company: RwSignal<String>,
    prefix: &'static str,
    #[prop(optional)] checks: Option<FieldChecks>,
) -> impl IntoView {
    let store = use_store();
    let all = Memo::new(move |_| store.portal.with(|p| p.settings.company.is_none()));
    move || {
        all.get().then(|| {
            let invalid = move || checks.is_some_and(|c| c.invalid("company"));
            view! {
                <div class="form-field">
                    <span class="label-line">
                        <label for=format!("{prefix}-company")>"Company"</label>
                        <span class="req" aria-hidden="true">"*"</span>
                    </span>
                    <select id=format!("{prefix}-company") required
                        aria-invalid=move || if invalid() { "true" } else { "false" }
                        aria-describedby=move || checks.and_then(|c| c.described_by("company", false))
                        prop:value=move || company.get()
                        on:change=move |ev| {
                            company.set(event_target_value(&ev));
                            if let Some(c) = checks {
                                c.touch("company");
                            }
                        }>
                        {company_options(company)}
                    </select>
                    {checks.map(|checks| view! { <FieldProblems checks key="company" /> })}
                </div>
            }
        })
    }
}

/// Over all companies, the name of a row's company on a line of its own, so that rows of two
/// companies stay apart; nothing while the header shows one company.
pub fn company_note(all: bool, code: &str) -> Option<impl IntoView> {
    let name = all.then(|| use_store().portal.with_untracked(|p| p.company_label(code)))?;
    Some(view! { <br /><span class="muted">{name}</span> })
}
