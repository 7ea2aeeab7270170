//! Certification: runs the Integration Guide's steps 1–7 against the embedded sandbox, one by
//! one with the progress shown, lists every check with its verdict in words, and fills the
//! Appendix A table (the transaction tokens FlexPay's integrations team asks for), exportable
//! as CSV and JSON. The latest run is saved with the portal's settings.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::sandbox::scenarios::{
    appendix_a_csv, appendix_a_json, run_scenario, ScenarioReport, ScenarioStep,
};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::storage;
use crate::store::use_store;

/// Where a run stands: `Some(n)` while step `n` runs (0: preparing).
type Running = RwSignal<Option<u8>>;

#[component]
pub fn CertificationPage() -> impl IntoView {
    let store = use_store();
    let running: Running = RwSignal::new(None);
    let message = RwSignal::new(None::<(bool, String)>);
    let reports = Memo::new(move |_| store.portal.with(|p| p.settings.certification.clone()));
    let company = Memo::new(move |_| {
        store.portal.with(|p| {
            let code = p.settings.company.clone();
            let name = p
                .sandbox
                .companies()
                .into_iter()
                .find(|c| c.code == code)
                .map_or_else(|| code.clone(), |c| c.name);
            (code, name)
        })
    });
    let header_mode = move || store.portal.with(|p| p.settings.mode);

    let run = move |_| {
        if running.get_untracked().is_some() {
            return;
        }
        let (code, name) = company.get_untracked();
        let key_name = format!("Certification run {}", store.now().date());
        // A dedicated Sandbox key of the selected company, whatever the header's mode.
        let key = store.act(|p, now| {
            p.sandbox
                .generate_api_key(&key_name, &code, Environment::Sandbox, now)
                .inspect(|_| p.settings.certification.clear())
        });
        let key = match key {
            Some(Ok(key)) => key,
            Some(Err(e)) => {
                message.set(Some((
                    false,
                    format!("The run could not start: {}", e.message),
                )));
                return;
            }
            None => return,
        };
        message.set(Some((
            true,
            format!(
                "Running in the Sandbox environment of {name} with the new Sandbox API key \"{key_name}\" (listed under Integrations → API keys)."
            ),
        )));
        running.set(Some(0));
        leptos::task::spawn_local(async move {
            for step in ScenarioStep::ALL {
                running.set(Some(step.number()));
                // Let the browser show the progress before the step's work.
                storage::yield_to_browser().await;
                store.act(|p, now| {
                    let report = run_scenario(step, &mut p.sandbox, &key.key, now);
                    p.settings.certification.push(report);
                });
            }
            running.set(None);
            let (passed, total) = store.portal.with_untracked(|p| {
                let r = &p.settings.certification;
                (r.iter().filter(|r| r.passed).count(), r.len())
            });
            message.set(Some((
                passed == total,
                format!(
                    "Run finished in the Sandbox environment of {name}: {passed} of {total} steps passed. The API key \"{key_name}\" was used; delete it under Integrations → API keys when you no longer need it."
                ),
            )));
        });
    };

    let export = move |format: &'static str| {
        let date = store.now().date();
        reports.with_untracked(|r| match format {
            "csv" => storage::download(
                &format!("flexpay-appendix-a-{date}.csv"),
                "text/csv",
                &appendix_a_csv(r),
            ),
            _ => storage::download(
                &format!("flexpay-appendix-a-{date}.json"),
                "application/json",
                &appendix_a_json(r),
            ),
        });
    };
    let has_rows = move || reports.with(|r| r.iter().any(|r| !r.transactions.is_empty()));

    view! {
        <section class="page page-wide">
            <h1>"Certification"</h1>
            <p class="lede">
                "FlexPay's integrations team approves an integration after reviewing one sandbox transaction per Integration Guide scenario. "
                "Run steps 1–7 here against the embedded sandbox, check every rule, and hand over the Appendix A table of transaction tokens."
            </p>
            <div class="banner banner-info">
                <p>
                    "Runs always use the "
                    <strong>"Sandbox environment"</strong>
                    " of the company selected in the header ("
                    <strong>{move || company.get().1}</strong>
                    "), whatever the Sandbox / Production switch shows. Each run generates a dedicated Sandbox API key named "
                    <q>"Certification run " {move || store.now().date().to_string()}</q>
                    " and sends every request with it."
                </p>
                {move || (header_mode() == Environment::Production).then(|| view! {
                    <p>
                        "The header shows Production: the transactions of a run are listed once it is switched to Sandbox. "
                        <button type="button" class="secondary" on:click=move |_| { store.act(|p, _| p.settings.mode = Environment::Sandbox); }>"Switch to Sandbox"</button>
                    </p>
                })}
            </div>
            <div class="actions">
                <button type="button" on:click=run disabled=move || running.get().is_some()>
                    {move || if running.get().is_some() { "Running…" } else { "Run steps 1–7" }}
                </button>
            </div>
            <Progress running reports />
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "banner banner-info" } else { "banner banner-error" } role="status">{text}</p>
            })}
            <h2>"Steps"</h2>
            <ol class="steps">
                {ScenarioStep::ALL
                    .into_iter()
                    .map(|step| view! { <StepItem step running reports /> })
                    .collect_view()}
            </ol>
            <h2 id="appendix-a">"Appendix A: transaction tokens"</h2>
            <p class="muted">"Hand this table to FlexPay: one row per transaction the scenarios sent. Each ID opens the transaction."</p>
            <div class="actions">
                <button type="button" disabled=move || !has_rows() on:click=move |_| export("csv")>"Export CSV"</button>
                <button type="button" disabled=move || !has_rows() on:click=move |_| export("json")>"Export JSON"</button>
            </div>
            {move || {
                let rows: Vec<_> = reports.with(|r| r.iter().flat_map(|r| r.transactions.clone()).collect());
                if rows.is_empty() {
                    return view! { <p class="empty">"No run yet: the table fills as the steps run."</p> }.into_any();
                }
                view! {
                    <div class="table-scroll">
                        <table class="data" aria-labelledby="appendix-a">
                            <thead><tr>
                                <th scope="col">"Scenario"</th><th scope="col">"Description"</th><th scope="col">"Transaction ID"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! {
                                    <tr>
                                        <td>{row.scenario.clone()}</td>
                                        <td>{row.description.clone()}</td>
                                        <td><A href=format!("/transactions/{}", row.transaction_id)><code>{row.transaction_id.clone()}</code></A></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// A progress bar and a sentence saying which step runs.
#[component]
fn Progress(running: Running, reports: Memo<Vec<ScenarioReport>>) -> impl IntoView {
    let total = ScenarioStep::ALL.len();
    let done = move || reports.with(Vec::len).min(total);
    view! {
        <div class="run-progress">
            <progress max=total value=done aria-label="Certification progress"></progress>
            <p role="status" data-testid="run-status">
                {move || match running.get() {
                    Some(0) => "Preparing the run…".to_owned(),
                    Some(n) => format!(
                        "Running step {n} of {total}: {}…",
                        ScenarioStep::from_number(n).map(ScenarioStep::title).unwrap_or_default()
                    ),
                    None => {
                        let (passed, count) = reports.with(|r| (r.iter().filter(|r| r.passed).count(), r.len()));
                        if count == 0 {
                            "Not run yet.".to_owned()
                        } else if count < total {
                            format!("The last run stopped after {count} of {total} steps; {passed} passed.")
                        } else {
                            format!("Last run: {passed} of {total} steps passed.")
                        }
                    }
                }}
            </p>
        </div>
    }
}

/// One step: its state in words and, once run, every check with its verdict.
#[component]
fn StepItem(
    step: ScenarioStep,
    running: Running,
    reports: Memo<Vec<ScenarioReport>>,
) -> impl IntoView {
    let n = step.number();
    let report = Memo::new(move |_| reports.with(|r| r.iter().find(|r| r.step == n).cloned()));
    let state = move || match (running.get(), report.get()) {
        (Some(current), None) if current == n => ("running", "Running…"),
        (Some(_), None) => ("waiting", "Waiting"),
        (_, Some(r)) if r.passed => ("passed", "Passed"),
        (_, Some(_)) => ("failed", "Failed"),
        (None, None) => ("idle", "Not run"),
    };
    view! {
        <li class=move || format!("step step-{}", state().0) data-step=n>
            <div class="step-head">
                <h3>{format!("Step {n}: {}", step.title())}</h3>
                <span class=move || format!("verdict-label verdict-{}", state().0)>{move || state().1}</span>
            </div>
            {move || report.get().map(|r| view! {
                <ul class="checks" aria-label=format!("Checks of step {n}")>
                    {r.checks.into_iter().map(|c| view! {
                        <li class=if c.passed { "check check-pass" } else { "check check-fail" }>
                            <span class="check-verdict">{if c.passed { "Pass" } else { "Fail" }}</span>
                            " "
                            <span class="check-description">{c.description}</span>
                            <span class="check-detail">{c.detail}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}
