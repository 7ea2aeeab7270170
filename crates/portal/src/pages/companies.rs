//! Companies of the account (the FlexPay client portal's Account settings → Companies): the
//! Default Company, which always exists, and the others — added with a name and an
//! alphanumeric code, renamed, deleted after a confirmation. The header's company switcher
//! scopes the FlexPay pages that hold a company's data to one of them; Users, Platform
//! configuration and the Flexiti pages are not per company.

use flexkit_core::flexpay::account::Company;
use flexkit_core::flexpay::sandbox::accounts::DEFAULT_COMPANY_CODE;
use flexkit_core::flexpay::sandbox::{error_code, RecoveryLimits};
use flexkit_core::flexpay::validate::{limits, validate_company, ValidationContext};
use flexkit_core::validation::code;
use leptos::prelude::*;

use crate::components::company::{form_company, CompanyField};
use crate::components::confirm::Confirm;
use crate::components::fields::{
    close_editor, focus_after_render, focus_element, refuse_name_fault, refuse_too_long,
    status_slot, FieldChecks, FieldProblem, ProblemSummary, TextField,
};
use crate::components::format::count;
use crate::store::use_store;

fn field_of(path: &str) -> String {
    match path {
        "name" => "name",
        "code" => "code",
        _ => "general",
    }
    .to_owned()
}

fn label_of(field: &str) -> String {
    match field {
        "name" => "Name",
        "code" => "Company code",
        _ => "Company",
    }
    .to_owned()
}

/// The problems of a company to add: the core's validation in the form's words, plus the
/// sandbox's refusal of what the validation only warns about (an underscore in the code, a
/// name over the core's limit) and of a code or name another company (of `taken`) has.
fn company_problems(
    company: &Company,
    ctx: &ValidationContext,
    taken: &[Company],
) -> Vec<FieldProblem> {
    let mut problems: Vec<FieldProblem> = validate_company(company, ctx)
        .problems()
        .iter()
        .map(|p| {
            let mut p = FieldProblem::from_core(p, field_of);
            if p.code == code::REQUIRED {
                p.message = if p.field == "name" {
                    "Enter the company's name."
                } else {
                    "Enter a code of letters and digits, e.g. NWS01."
                }
                .to_owned();
            }
            p
        })
        .collect();
    refuse_too_long(&mut problems, "name", &company.name, limits::COMPANY_NAME);
    refuse_name_fault(
        &mut problems,
        "name",
        &company.name,
        error_code::INVALID_NAME,
    );
    let code = company.code.trim();
    if !code.is_empty()
        && !code.bytes().all(|b| b.is_ascii_alphanumeric())
        && !problems.iter().any(|p| p.field == "code" && !p.warning)
    {
        problems.retain(|p| p.field != "code");
        problems.push(FieldProblem::error(
            "code",
            "invalid_company_code",
            "Use letters and digits only (no spaces, underscores or symbols), e.g. NWS01.",
        ));
    }
    let name = company.name.trim();
    if !name.is_empty()
        && taken
            .iter()
            .any(|c| c.name.trim().eq_ignore_ascii_case(name))
    {
        problems.push(FieldProblem::error(
            "name",
            error_code::COMPANY_NAME_TAKEN,
            format!("Another company is already named {name}: give this one another name, as the company switcher and the lists name companies by it."),
        ));
    }
    if taken.iter().any(|c| c.code.eq_ignore_ascii_case(code)) {
        problems.push(FieldProblem::error(
            "code",
            error_code::COMPANY_CODE_TAKEN,
            format!("Another company already uses the code {code}: pick another."),
        ));
    }
    problems
}

#[component]
pub fn CompaniesPage() -> impl IntoView {
    let store = use_store();
    let message = RwSignal::new(None::<(bool, String)>);
    let renaming = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<Company>);
    let companies = Memo::new(move |_| store.portal.with(|p| p.sandbox.companies()));
    let selected = move || store.portal.with(|p| p.settings.company.clone());
    // The company of the recovery limits: the header's, else chosen below.
    let limits_company = form_company();

    let delete = move |company: Company| {
        let code = company.code.clone();
        let result = store.act(move |p, now| {
            let out = p.sandbox.delete_company(&code, now);
            if out.is_ok() {
                // Its run goes with it (the question says so): the Certification page lists
                // live companies only, so the run could no longer be shown or exported.
                p.settings
                    .certification_runs
                    .retain(|r| !r.company.eq_ignore_ascii_case(&code));
                if p.settings.company.as_ref() == Some(&code) {
                    p.settings.company = Some(DEFAULT_COMPANY_CODE.to_owned());
                }
            }
            out
        });
        confirming.set(None);
        if limits_company.with_untracked(|c| *c == company.code) {
            limits_company.set(String::new());
        }
        message.set(Some(match result {
            Some(Ok(())) => (
                true,
                format!(
                    "{} ({}) was deleted, with its gateways, API keys, FlexPay Retries settings and certification run. Its transactions stay on record and show under All companies.",
                    company.name, company.code
                ),
            ),
            Some(Err(e)) => (false, e.message),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
        focus_after_render("companies-h");
    };

    view! {
        <section class="page page-wide companies">
            <h1 id="companies-h" tabindex="-1">"Companies"</h1>
            <p class="lede">
                "Companies divide the account by brand or product: each has its own gateways, API keys, FlexPay Retries and transactions. "
                "The company switcher in the header scopes the FlexPay pages that hold a company's data (dashboard, transactions, customers, reports, terminal, retry schedule, gateways, integrations, certification) to one of them; Users, Platform configuration and Flexiti are not per company."
            </p>
            {status_slot(message)}
            <table class="data companies-table" aria-label="Companies">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Code"</th><th scope="col">"Actions"</th></tr></thead>
                <tbody>
                    <For each=move || companies.get() key=|c| (c.code.clone(), c.name.clone()) let:company>
                        {
                            let is_default = company.code == DEFAULT_COMPANY_CODE;
                            let code = company.code.clone();
                            let code_r = code.clone();
                            let code_s = code.clone();
                            let name = company.name.clone();
                            let for_delete = company.clone();
                            view! {
                                <tr>
                                    <th scope="row">
                                        {move || if renaming.get().as_deref() == Some(code_r.as_str()) {
                                            view! { <RenameForm company=company.clone() renaming message /> }.into_any()
                                        } else {
                                            view! { <span class="company-name">{company.name.clone()}</span> }.into_any()
                                        }}
                                        {move || (selected().as_ref() == Some(&code_s)).then(|| view! { <span class="tag">"selected"</span> })}
                                    </th>
                                    <td><code>{code.clone()}</code></td>
                                    <td><div class="row-actions">
                                        <button type="button" class="secondary" aria-label=format!("Rename: {name} ({code})")
                                            id=format!("rename-btn-{code}")
                                            on:click={
                                                let code = code.clone();
                                                move |_| {
                                                    renaming.set(Some(code.clone()));
                                                    let id = format!("rename-{code}");
                                                    request_animation_frame(move || focus_element(&id));
                                                }
                                            }>"Rename"</button>
                                        {if is_default {
                                            view! {
                                                <span class="muted protected" id="default-protected">
                                                    "Cannot be deleted: every account keeps its Default Company (rename it instead)."
                                                </span>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <button type="button" class="danger" id=format!("delete-{code}") aria-label=format!("Delete: {name} ({code})")
                                                    on:click=move |_| {
                                                        confirming.set(Some(for_delete.clone()));
                                                    }>"Delete…"</button>
                                            }.into_any()
                                        }}
                                    </div></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            {move || confirming.get().map(|company| {
                let c = company.clone();
                // Cancel gives the focus back to the company's Delete… button.
                let back = format!("delete-{}", company.code);
                view! {
                    <Confirm id="confirm-delete"
                        question=format!("Delete the company {} ({})?", company.name, company.code)
                        detail="Its gateways, API keys, FlexPay Retries settings and certification run are deleted and its open recovery chains stop: \
                            export the run's Appendix A from Certification first if you still need it. Its transactions stay on record and show under All companies; its code is not given to another company. This cannot be undone."
                        action=format!("Delete {}", company.name)
                        on_confirm=move || delete(c.clone())
                        on_cancel=move || close_editor(confirming, back.clone()) />
                }
            })}
            <AddCompany message companies />
            <section class="panel" aria-labelledby="recovery-limits-h">
                <h2 id="recovery-limits-h">"Recovery limits of the selected company"</h2>
                <p class="lede">
                    "FlexPay stops recovering a payment after 15 retries or 30 days from its first attempt. A company may lower both, in both modes: "
                    "a later soft decline past them is answered with 30100 (no retry date) and its recovery chain ends."
                </p>
                <CompanyField company=limits_company prefix="limits" />
                // Rebuilt only when the company changes, not on every change of the state.
                {move || {
                    let company = limits_company.get();
                    (!company.is_empty()).then(|| view! { <RecoveryLimitsForm company message /> })
                }}
            </section>
        </section>
    }
}

/// Closes the Rename editor of a company, the focus back on its Rename button.
fn close_rename(renaming: RwSignal<Option<String>>, code: &str) {
    close_editor(renaming, format!("rename-btn-{code}"));
}

#[component]
fn RenameForm(
    company: Company,
    renaming: RwSignal<Option<String>>,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let store = use_store();
    let name = RwSignal::new(company.name.clone());
    let code = company.code.clone();
    let key = code.clone();
    let problems = Signal::derive(move || {
        let ctx = ValidationContext::new(store.now(), store.portal.with(|p| p.settings.mode));
        let candidate = Company {
            name: name.get().trim().to_owned(),
            code: "RENAME".to_owned(),
        };
        // The other companies: its own name in another case is still its own.
        let others: Vec<Company> = store.portal.with(|p| {
            p.sandbox
                .companies()
                .into_iter()
                .filter(|c| c.code != key)
                .collect()
        });
        company_problems(&candidate, &ctx, &others)
            .into_iter()
            .filter(|p| p.field == "name")
            .map(|p| FieldProblem {
                field: key.clone(),
                ..p
            })
            .collect()
    });
    // The input's id is `rename-{code}`, which the Rename button focuses.
    let checks = FieldChecks::new("rename", problems);
    let old_name = company.name.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        checks.reveal_all();
        if !checks.errors_untracked().is_empty() {
            return;
        }
        let new_name = name.get_untracked();
        let c = code.clone();
        let result = store.act(move |p, now| p.sandbox.rename_company(&c, &new_name, now));
        message.set(Some(match result {
            Some(Ok(c)) => {
                close_rename(renaming, &code);
                (true, format!("{old_name} is now called {}.", c.name))
            }
            Some(Err(e)) => (false, e.message),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
    };
    let label = format!("New name for {}", company.code);
    let (c1, c2) = (company.code.clone(), company.code.clone());
    view! {
        // Escape is Cancel.
        <form class="rename-form" novalidate on:submit=save
            on:keydown=move |ev| if ev.key() == "Escape" { close_rename(renaming, &c1) }>
            <TextField checks key=company.code.clone() label=label value=name required=true />
            <div class="actions">
                <button type="submit">"Save name"</button>
                <button type="button" class="secondary" on:click=move |_| close_rename(renaming, &c2)>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
fn AddCompany(
    message: RwSignal<Option<(bool, String)>>,
    companies: Memo<Vec<Company>>,
) -> impl IntoView {
    let store = use_store();
    let name = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let problems = Signal::derive(move || {
        let ctx = ValidationContext::new(store.now(), store.portal.with(|p| p.settings.mode));
        let candidate = Company {
            name: name.get().trim().to_owned(),
            code: code.get().trim().to_owned(),
        };
        companies.with(|taken| company_problems(&candidate, &ctx, taken))
    });
    let checks = FieldChecks::new("company", problems);
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // An earlier answer is not about this submit.
        message.set(None);
        if checks.refuse_submit(summary_ref) {
            return;
        }
        let (n, c) = (name.get_untracked(), code.get_untracked().trim().to_owned());
        let result = store.act(move |p, now| p.sandbox.create_company(&n, &c, now));
        message.set(Some(match result {
            Some(Ok(company)) => {
                name.set(String::new());
                code.set(String::new());
                checks.reset();
                (
                    true,
                    format!(
                        "{} ({}) was added. Choose it in the header's company switcher to work with it.",
                        company.name, company.code
                    ),
                )
            }
            Some(Err(e)) => (false, e.message),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
    };
    view! {
        <section class="panel" aria-labelledby="company-add-h">
            <h2 id="company-add-h">"Add a company"</h2>
            <form novalidate on:submit=submit aria-labelledby="company-add-h">
                <ProblemSummary checks label_of node_ref=summary_ref />
                <div class="form-grid">
                    <TextField checks key="name" label="Name" value=name required=true />
                    <TextField checks key="code" label="Company code" value=code required=true
                        hint="Letters and digits only, e.g. NWS01. It also prefixes batch file names." />
                </div>
                <div class="actions">
                    <button type="submit">"Add company"</button>
                </div>
            </form>
        </section>
    }
}

/// A recovery limit typed in its field: a whole number from 1 to `max`, FlexPay's own limit.
fn read_limit(text: &str, max: u32) -> Option<u32> {
    text.trim().parse().ok().filter(|n| (1..=max).contains(n))
}

fn limit_label(field: &str) -> String {
    if field == "retries" {
        "Most retries"
    } else {
        "Recovery window in days"
    }
    .to_owned()
}

/// The recovery engine's limits of one company (the FlexPay portal's Platform configurations
/// and the company's recovery window). Each field's problem is shown at it, in its label's
/// words; the core judges the limits on save.
///
/// `message` is the page's: only the latest action's answer stays shown, this form's or the
/// page's.
#[component]
fn RecoveryLimitsForm(company: String, message: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    let store = use_store();
    let current = store
        .portal
        .with_untracked(|p| p.sandbox.recovery_limits(&company))
        .unwrap_or_default();
    let retries = RwSignal::new(current.max_retries.to_string());
    let window = RwSignal::new(current.window_days.to_string());
    let status = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| {
        if message.with(Option::is_some) {
            status.set(None);
        }
    });
    // FlexPay's own limits are the largest.
    let most = RecoveryLimits::default();
    let problems = Signal::derive(move || {
        [
            ("retries", retries, most.max_retries),
            ("window", window, most.window_days),
        ]
        .into_iter()
        .filter(|(_, value, max)| value.with(|v| read_limit(v, *max)).is_none())
        .map(|(key, _, max)| {
            FieldProblem::error(
                key,
                code::INVALID_VALUE,
                format!("Enter a number from 1 to {max}."),
            )
        })
        .collect()
    });
    let checks = FieldChecks::new("limits", problems);
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        message.set(None);
        if checks.refuse_at_field() {
            status.set(None);
            return;
        }
        let limits = RecoveryLimits {
            max_retries: read_limit(&retries.get_untracked(), most.max_retries).unwrap_or_default(),
            window_days: read_limit(&window.get_untracked(), most.window_days).unwrap_or_default(),
        };
        let code = company.clone();
        let result = store
            .act(move |p, _| p.sandbox.set_recovery_limits(&code, limits))
            .map(|r| r.map_err(|e| e.message))
            .unwrap_or_else(|| Err("The portal is shutting down.".to_owned()));
        status.set(Some(match result {
            Ok(l) => (
                true,
                format!(
                    "Saved: a payment is retried at most {} within {} of its first attempt.",
                    count(l.max_retries, "time", "times"),
                    count(l.window_days, "day", "days"),
                ),
            ),
            Err(message) => (false, message),
        }));
    };
    view! {
        <form novalidate on:submit=submit aria-labelledby="recovery-limits-h">
            <ProblemSummary checks label_of=limit_label node_ref=summary_ref />
            <div class="form-grid">
                <TextField checks key="retries" label="Most retries (1–15)" value=retries required=true inputmode="numeric" />
                <TextField checks key="window" label="Recovery window in days (1–30)" value=window required=true inputmode="numeric" />
            </div>
            <div class="actions">
                <button type="submit">"Save limits"</button>
            </div>
        </form>
        {status_slot(status)}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flexkit_core::flexpay::account::Environment;
    use flexkit_core::UtcTimestamp;

    #[test]
    fn codes_must_be_alphanumeric_and_free() {
        let ctx = ValidationContext::new(UtcTimestamp::UNIX_EPOCH, Environment::Sandbox);
        let taken = vec![Company {
            name: "Default Company".into(),
            code: "DEFAULT".into(),
        }];
        let check = |name: &str, code: &str| {
            company_problems(
                &Company {
                    name: name.into(),
                    code: code.into(),
                },
                &ctx,
                &taken,
            )
            .into_iter()
            .filter(|p| !p.warning)
            .map(|p| p.field)
            .collect::<Vec<_>>()
        };
        assert!(check("Brand B", "BRANDB").is_empty());
        assert_eq!(check("Brand B", "FP_01"), vec!["code"]);
        assert_eq!(check("Brand B", "default"), vec!["code"]);
        assert_eq!(check("", ""), vec!["name", "code"]);
        // A name over the core's limit is refused here, where the core only warns.
        assert!(check(&"N".repeat(100), "LONG1").is_empty());
        assert_eq!(check(&"N".repeat(101), "LONG1"), vec!["name"]);
    }

    #[test]
    fn problems_are_worded_for_the_fields() {
        let ctx = ValidationContext::new(UtcTimestamp::UNIX_EPOCH, Environment::Sandbox);
        let empty = Company {
            name: " ".into(),
            code: String::new(),
        };
        let messages: Vec<String> = company_problems(&empty, &ctx, &[])
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(
            messages,
            [
                "Enter the company's name.",
                "Enter a code of letters and digits, e.g. NWS01."
            ]
        );
        let long = Company {
            name: "N".repeat(300),
            code: "LONG1".into(),
        };
        let problems = company_problems(&long, &ctx, &[]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(!problems[0].warning);
        assert_eq!(problems[0].code, code::TOO_LONG);
        assert_eq!(
            problems[0].message,
            "Enter at most 100 characters; this has 300."
        );
    }
}
