//! Certification: runs the Integration Guide's steps 1–7 against the embedded sandbox, one by
//! one with the progress shown, lists every check with its verdict in words, and fills the
//! Appendix A table (the transaction tokens FlexPay's integrations team asks for), exportable
//! as CSV and JSON. The latest run of each company is saved with the portal's settings and
//! shown only for that company, in the Sandbox where its transactions are. While the header
//! shows All companies, the page asks which company to run for.

use flexkit_core::flexpay::account::{AutoRetryStatus, Environment};
use flexkit_core::flexpay::gateway::{Gateway, GatewayStatus};
use flexkit_core::flexpay::sandbox::scenarios::{
    run_scenario_in, ScenarioCurrencies, ScenarioReport, ScenarioStep, SCENARIO_CARD,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::components::company::{form_company, CompanyField};
use crate::components::fields::{focus_after_render, focus_element, FieldChecks, FieldProblem};
use crate::components::format::{company_part, currency_options, file_part, instant};
use crate::components::layout::mode_label;
use crate::storage;
use crate::store::use_store;

/// Where the shown company's run stands: `Some(n)` while step `n` runs (0: preparing).
type Running = Memo<Option<u8>>;

/// The run in progress: the company and environment it runs in, and the step that runs (0:
/// preparing).
#[derive(Clone, Debug, PartialEq, Eq)]
struct ActiveRun {
    company: String,
    environment: Environment,
    step: u8,
}

/// What the page said, and of which company ("" while none is chosen).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Said {
    company: String,
    ok: bool,
    text: String,
}

thread_local! {
    // A run goes on when the page is left, so where it stands, and what it says, outlive the
    // page's component: coming back shows its progress, and no second run starts beside it.
    static ACTIVE_RUN: ArcRwSignal<Option<ActiveRun>> = ArcRwSignal::new(None);
    static SAID: ArcRwSignal<Option<Said>> = ArcRwSignal::new(None);
}

fn active_run() -> ArcRwSignal<Option<ActiveRun>> {
    ACTIVE_RUN.with(Clone::clone)
}

fn said() -> ArcRwSignal<Option<Said>> {
    SAID.with(Clone::clone)
}

/// What a run asked for with no company says, at the Company select and in the status line.
const NO_COMPANY: &str = "Choose the company to run for: the header shows All companies.";

#[component]
pub fn CertificationPage() -> impl IntoView {
    let store = use_store();
    let active = RwSignal::from(active_run());
    let said = RwSignal::from(said());
    // What was said during an earlier visit is not said again, unless its run still goes.
    if active.get_untracked().is_none() {
        said.set(None);
    }
    // The header's company, else the one chosen here ("" until then).
    let chosen = form_company();
    // A run asked for with no company chosen (the header shows All companies): the Company
    // select says so itself (`aria-invalid`, its message named by `aria-describedby`), as
    // every form field does, until one is chosen.
    let company_missing = RwSignal::new(false);
    let company_checks = FieldChecks::new(
        "cert",
        Signal::derive(move || {
            if company_missing.get() && chosen.with(String::is_empty) {
                vec![FieldProblem::error("company", "required", NO_COMPANY)]
            } else {
                Vec::new()
            }
        }),
    );
    // The currencies of the run's payments: the first, and a second one ("" for none).
    let first_currency = RwSignal::new("USD".to_owned());
    let second_currency = RwSignal::new(String::new());
    let header_mode = move || store.portal.with(|p| p.settings.mode);
    // The step of the shown company's run, while it goes in the environment the header shows.
    let running: Running = Memo::new(move |_| {
        let code = chosen.get();
        let mode = header_mode();
        active.with(|a| {
            a.as_ref()
                .filter(|a| a.company == code && a.environment == mode)
                .map(|a| a.step)
        })
    });
    // Whether another tab of the portal runs the steps (it holds the run's lock).
    let other_tab = RwSignal::new(false);
    // The company whose run goes, when it is not the one shown.
    let elsewhere = move || {
        if other_tab.get() {
            return Some(OTHER_TAB.to_owned());
        }
        if running.get().is_some() {
            return None;
        }
        let (other, environment) =
            active.with(|a| a.as_ref().map(|a| (a.company.clone(), a.environment)))?;
        let name = store.portal.with(|p| p.company_label(&other));
        Some(format!(
            "A run of {name} goes on in its {} environment: a second run can start when it ends.",
            mode_label(environment)
        ))
    };
    let message = Memo::new(move |_| {
        let code = chosen.get();
        said.with(|s| {
            s.as_ref()
                .filter(|s| s.company == code)
                .map(|s| (s.ok, s.text.clone()))
        })
    });
    let say = move |code: &str, ok: bool, text: String| {
        said.set(Some(Said {
            company: code.to_owned(),
            ok,
            text,
        }));
    };
    // The run of that company in the header's mode (Production never has one).
    let reports = Memo::new(move |_| {
        let code = chosen.get();
        store.portal.with(|p| {
            let s = &p.settings;
            s.certification_run(&code, s.mode)
                .map(|r| r.reports.clone())
                .unwrap_or_default()
        })
    });
    // The gateways (token, name) the shown run added that are still Enabled beside one of the
    // company's own (see [`leaving_routing`]): the page offers to set them to Refund Only,
    // read again from the sandbox, so also after a reload and never once they were changed.
    let tidy = Memo::new(move |_| {
        if running.get().is_some() {
            return Vec::new();
        }
        let code = chosen.get();
        reports.with(|r| {
            store
                .portal
                .with(|p| leaving_routing(&sandbox_gateways(p, &code), &p.sandbox.run_gateways(r)))
        })
    });
    // The run's gateways leave routing: the company's own Enabled gateways take its charges
    // again, as before the run, and the run's still take refunds of its payments.
    let tidy_up = move || {
        let code = chosen.get_untracked();
        let gateways = tidy.get_untracked();
        let set = store.act(|p, now| {
            gateways.iter().try_for_each(|(token, _)| {
                p.sandbox
                    .console_set_gateway_status(
                        &code,
                        Environment::Sandbox,
                        token,
                        GatewayStatus::RefundOnly,
                        now,
                    )
                    .map(drop)
            })
        });
        match set {
            Some(Ok(())) => say(
                &code,
                true,
                format!(
                    "The run's gateways {} are Refund Only now: charges sent without a Gateway Token go to the company's other Enabled gateways, as before the run. They still take refunds and voids of the run's payments.",
                    gateway_names(&gateways)
                ),
            ),
            Some(Err(e)) => say(&code, false, e.message),
            None => {}
        }
        focus_after_render("cert-message");
    };
    // The next run of a company starts from the currencies of its last one (USD alone for
    // a company without one), set as the page opens and when the company changes, never
    // over what was chosen for the same company.
    Effect::new(move |_| {
        let code = chosen.get();
        let used = store.portal.with_untracked(|p| {
            p.settings
                .certification_run(&code, Environment::Sandbox)
                .map(|run| p.sandbox.run_currencies(&run.reports))
                .unwrap_or_default()
        });
        let code_of = |at: usize| used.get(at).map(|c| c.code().to_owned());
        first_currency.set(code_of(0).unwrap_or_else(|| "USD".to_owned()));
        second_currency.set(code_of(1).unwrap_or_default());
    });
    let company = Memo::new(move |_| {
        let code = chosen.get();
        let name = store.portal.with(|p| p.company_label(&code));
        (code, name)
    });
    // When the page opens, and as another tab's saves bring steps, whether that tab runs them.
    Effect::new(move |_| {
        reports.track();
        if active.with_untracked(Option::is_none) && !other_tab.get_untracked() {
            spawn_local(async move {
                if storage::run_held().await {
                    follow_other_tab(other_tab).await;
                }
            });
        }
    });
    // What was said of one company is not said of the next one chosen.
    Effect::new(move |before: Option<String>| {
        let code = chosen.get();
        if before.is_some_and(|b| b != code) {
            said.update(|s| {
                if s.as_ref().is_some_and(|s| s.company != code) {
                    *s = None;
                }
            });
        }
        code
    });

    let run = move |_| {
        // One run at a time: a run started before the page was left still goes.
        if active.get_untracked().is_some() || other_tab.get_untracked() {
            return;
        }
        let (code, name) = company.get_untracked();
        if code.is_empty() {
            say(&code, false, NO_COMPANY.to_owned());
            company_missing.set(true);
            company_checks.touch("company");
            focus_element("cert-company");
            return;
        }
        let first = first_currency.get_untracked();
        let second = second_currency.get_untracked();
        let codes =
            std::iter::once(first.as_str()).chain((!second.is_empty()).then_some(second.as_str()));
        let currencies = match ScenarioCurrencies::new(codes) {
            Ok(currencies) => currencies,
            Err(problem) => {
                say(&code, false, format!("The run did not start: {problem}"));
                return;
            }
        };
        // Steps 1–5 charge and retry without a Gateway Token: when routing would refuse such
        // a charge or its retry in one of the run's currencies (no gateway Enabled, none that
        // takes the currency, the card or retries), the run proves nothing.
        let refusals: Vec<_> = store.portal.with_untracked(|p| {
            currencies
                .as_slice()
                .iter()
                .filter_map(|&currency| {
                    p.sandbox
                        .routing_refusal(&code, Environment::Sandbox, currency, SCENARIO_CARD.brand)
                        .map(|(answer, words)| (currency, answer, words))
                })
                .collect()
        });
        let every_currency = refusals.len() == currencies.as_slice().len();
        if let Some((currency, answer, words)) = refusals.into_iter().next() {
            // 50147 is about the currency, and so is a 50130 that leaves the run's other
            // currency alone (no gateway of it takes retries, say); a 50130 of every
            // currency is about the gateways.
            let (of, or) = if answer.value() == 50147 {
                (format!("{currency} "), ", or choose another currency")
            } else if !every_currency {
                (format!("{currency} "), "")
            } else {
                (String::new(), "")
            };
            say(
                &code,
                false,
                format!("The run did not start: FlexPay would refuse the steps' {of}charges or retries of {name} in the Sandbox ({answer}): {words}. See Payment gateways{or}."),
            );
            return;
        }
        // The page offers one currency or two.
        let paid_in = if second.is_empty() {
            first
        } else {
            format!("{first} and {second}")
        };
        // The run outlives this page: it writes to the state kept beyond it, never to the
        // page's own signals. It shows as preparing at once, the button disabled.
        let (active, said) = (active_run(), self::said());
        active.set(Some(ActiveRun {
            company: code.clone(),
            environment: Environment::Sandbox,
            step: 0,
        }));
        spawn_local(async move {
            // One run at a time in all the portal's tabs too: the run holds the browser's lock.
            let Some(lock) = storage::hold_run().await else {
                active.set(None);
                say(&code, false, "The run did not start: another tab of the portal runs the steps. A second run can start when it ends.".to_owned());
                follow_other_tab(other_tab).await;
                return;
            };
            let key_name = format!("Certification run {}", store.now().date());
            // A dedicated Sandbox key of the selected company, whatever the header's mode; the
            // header turns to Sandbox, where the run and its transactions are listed.
            let key = store.act(|p, now| {
                let before = sandbox_gateways(p, &code);
                p.sandbox
                    .generate_api_key(&key_name, &code, Environment::Sandbox, now)
                    .map(|key| {
                        p.settings.mode = Environment::Sandbox;
                        p.settings
                            .certification_run_mut(&code, Environment::Sandbox)
                            .reports
                            .clear();
                        (key, before)
                    })
            });
            let (key, before) = match key {
                Some(Ok(key)) => key,
                Some(Err(e)) => {
                    active.set(None);
                    say(
                        &code,
                        false,
                        format!("The run could not start: {}", e.message),
                    );
                    return;
                }
                None => return,
            };
            say(
                &code,
                true,
                format!(
                    "Running in the Sandbox environment of {name} with the new Sandbox API key \"{key_name}\" (listed under Integrations → API keys), its payments in {paid_in}."
                ),
            );
            // The button is disabled while the run goes: the focus follows its progress.
            focus_element("cert-status");
            let started = store.now();
            // Held until the run ends.
            let _lock = lock;
            for step in ScenarioStep::ALL {
                active.update(|a| {
                    if let Some(a) = a {
                        a.step = step.number();
                    }
                });
                // Let the browser show the progress before the step's work.
                storage::yield_to_browser().await;
                store.act(|p, now| {
                    let report = run_scenario_in(step, &mut p.sandbox, &key.key, now, &currencies);
                    p.settings
                        .certification_run_mut(&code, Environment::Sandbox)
                        .reports
                        .push(report);
                });
            }
            active.set(None);
            let (passed, total, gateways) = store.portal.with_untracked(|p| {
                let r = p
                    .settings
                    .certification_run(&code, Environment::Sandbox)
                    .map_or(&[][..], |r| &r.reports);
                let passed = r.iter().filter(|r| r.passed).count();
                let after = sandbox_gateways(p, &code);
                (passed, r.len(), added_gateways(&after, &before))
            });
            let (started, ended) = (instant(started), instant(store.now()));
            let clock = if ended != started {
                format!(
                    " The steps waited for their retry dates, so the simulated clock moved on from {started} to {ended}."
                )
            } else {
                String::new()
            };
            said.set(Some(Said {
                company: code,
                ok: passed == total,
                text: format!(
                    "Run finished in the Sandbox environment of {name}: {passed} of {total} steps passed. The API key \"{key_name}\" was used; delete it under Integrations → API keys when you no longer need it.{gateways}{clock}"
                ),
            }));
        });
    };

    // `flexpay-appendix-a-default-company-sandbox-2026-11-21.csv`: the company by its name
    // (see `company_part`) and the mode the run is in.
    let export = move |format: &'static str| {
        let (code, _) = company.get_untracked();
        let owner = store.portal.with_untracked(|p| company_part(p, &code));
        let mode = file_part(mode_label(store.portal.with_untracked(|p| p.settings.mode)));
        let file = format!(
            "flexpay-appendix-a-{owner}-{mode}-{}.{format}",
            store.now().date()
        );
        let (kind, text) = reports.with_untracked(|r| {
            store.portal.with_untracked(|p| match format {
                "csv" => ("text/csv", p.sandbox.appendix_a_csv(r)),
                _ => ("application/json", p.sandbox.appendix_a_json(r)),
            })
        });
        storage::download(&file, kind, &text);
    };
    // Appendix A goes to FlexPay: only a run whose every step passed is exported, since a
    // failed step's transactions are not the outcomes the table describes.
    let has_rows = move || reports.with(|r| r.iter().any(|r| !r.transactions.is_empty()));
    let exportable =
        move || reports.with(|r| r.len() == ScenarioStep::ALL.len() && r.iter().all(|r| r.passed));

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
                    " of "
                    <strong>{move || company.with(|c| if c.0.is_empty() { "the company chosen below, as the header shows All companies".to_owned() } else { c.1.clone() })}</strong>
                    ", whatever the Sandbox / Production switch shows. Each run generates a dedicated Sandbox API key named "
                    <q>"Certification run " {move || store.now().date().to_string()}</q>
                    " and sends every request with it. Each company keeps its own last run."
                </p>
                <p>
                    "The steps with retries wait for their retry dates, so a run moves the simulated clock on by about three days for each of its currencies, for every company: "
                    "retries of other payments that fall due by then are due when it ends."
                </p>
                <p data-testid="cert-before-run">
                    "As the guide asks, steps 6 and 7 add three gateways to this Sandbox. Step 7's two stay Enabled, so the company's charges sent without a Gateway Token are shared with them afterwards: set them to Refund Only or delete them under Payment gateways when the run is done. The run's transactions count in the company's figures, as any Sandbox payment does."
                </p>
                {move || (header_mode() == Environment::Production).then(|| view! {
                    <p>
                        "The header shows Production: runs and their transactions are in the Sandbox, so none is listed here, and a run switches the header to Sandbox. "
                        <button type="button" class="secondary" on:click=move |_| {
                            store.act(|p, _| p.settings.mode = Environment::Sandbox);
                            crate::components::fields::focus_found_after_render("main h1".to_owned());
                        }>"Switch to Sandbox"</button>
                    </p>
                })}
            </div>
            {move || {
                let code = company.with(|c| c.0.clone());
                let on = store.portal.with(|p| p.sandbox.auto_retries().into_iter().any(|a| {
                    a.company == code && a.environment == Environment::Sandbox && a.status == AutoRetryStatus::Enabled
                }));
                on.then(|| view! {
                    <p class="banner banner-warn" role="note" data-testid="cert-auto-retry">
                        "FlexPay Retries is enabled for this company's Sandbox: it retries the run's soft declines itself, while steps 3 and 4 send retries as a CRM that schedules its own does, and a CRM must not do both. Disable it under "
                        <A href="/integrations/flexpay-retries">"Integrations → FlexPay Retries"</A>
                        " before certifying such a CRM."
                    </p>
                })
            }}
            <p>
                "A client that takes more than one currency tests at least two of them, as the guide asks: with a second currency, every step sends its payments in both, and the gateways of steps 6 and 7 take both."
            </p>
            <div class="actions">
                <CompanyField company=chosen prefix="cert" checks=company_checks />
                <div class="form-field">
                    <label for="cert-currency">"Currency"</label>
                    <select id="cert-currency" prop:value=move || first_currency.get()
                        disabled=move || active.with(Option::is_some) || other_tab.get()
                        on:change=move |ev| first_currency.set(event_target_value(&ev))>
                        {currency_options(first_currency)}
                    </select>
                </div>
                <div class="form-field">
                    <label for="cert-second-currency">"Second currency"</label>
                    <select id="cert-second-currency" prop:value=move || second_currency.get()
                        disabled=move || active.with(Option::is_some) || other_tab.get()
                        on:change=move |ev| second_currency.set(event_target_value(&ev))>
                        <option value="">"No second currency"</option>
                        {currency_options(second_currency)}
                    </select>
                </div>
                <button type="button" on:click=run disabled=move || active.with(Option::is_some) || other_tab.get()>
                    {move || if active.with(Option::is_some) { "Running…" } else { "Run steps 1–7" }}
                </button>
            </div>
            {move || elsewhere().map(|text| view! {
                <p class="banner banner-info" role="note" data-testid="cert-busy">{text}</p>
            })}
            <Progress running reports other_tab />
            {move || (!reports.with(Vec::is_empty)).then(|| view! {
                <p class="muted" data-testid="run-owner">
                    "The last run of " <strong>{move || company.get().1}</strong> ", in its Sandbox environment."
                </p>
            })}
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "banner banner-info" } else { "banner banner-error" } role="status" id="cert-message" tabindex="-1">{text}</p>
            })}
            {move || (!tidy.with(Vec::is_empty)).then(|| view! {
                <div class="actions" data-testid="cert-tidy">
                    <p class="muted">{move || tidy_note(&tidy.get())}</p>
                    <button type="button" class="secondary" on:click=move |_| tidy_up()>
                        "Set the run's Enabled gateways to Refund Only"
                    </button>
                </div>
            })}
            <h2>"Steps"</h2>
            <ol class="steps">
                {ScenarioStep::ALL
                    .into_iter()
                    .map(|step| view! { <StepItem step running reports /> })
                    .collect_view()}
            </ol>
            <h2 id="appendix-a">"Appendix A: transaction tokens"</h2>
            <p class="muted">"Hand this table to FlexPay: one row per transaction the scenarios sent. Each ID opens the transaction; the exported files also give the instant each was sent, its amount and currency, its company and its environment."</p>
            <div class="actions">
                <button type="button" disabled=move || !exportable() on:click=move |_| export("csv")>"Export CSV"</button>
                <button type="button" disabled=move || !exportable() on:click=move |_| export("json")>"Export JSON"</button>
            </div>
            {move || (has_rows() && !exportable() && running.get().is_none() && !other_tab.get()).then(|| view! {
                <p class="banner banner-error" data-testid="export-off">{export_off(&reports.get())}</p>
            })}
            {move || {
                let rows: Vec<_> = reports.with(|r| {
                    r.iter()
                        .flat_map(|r| r.transactions.iter().map(|row| (row.clone(), r.passed)))
                        .collect()
                });
                if rows.is_empty() {
                    return view! { <p class="empty">"No run yet: the table fills as the steps run."</p> }.into_any();
                }
                view! {
                    <div class="table-scroll">
                        <table class="data cards appendix-table" aria-labelledby="appendix-a">
                            <thead><tr>
                                <th scope="col">"Scenario"</th><th scope="col">"Description"</th><th scope="col">"Transaction ID"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(row, passed)| view! {
                                    <tr>
                                        <td>{row.scenario.clone()}{(!passed).then_some(" (step failed)")}</td>
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

const OTHER_TAB: &str = "A run goes on in another tab of the portal: its steps show here as that tab saves them, and a second run can start when it ends.";

/// Says that another tab's run goes on until it ends (or that tab closes).
async fn follow_other_tab(other_tab: RwSignal<bool>) {
    other_tab.try_set(true);
    storage::run_ended().await;
    other_tab.try_set(false);
}

/// Why a run's Appendix A is not exported: the run did not finish (the page was reloaded or
/// closed while it ran), or a step failed.
fn export_off(reports: &[ScenarioReport]) -> String {
    let total = ScenarioStep::ALL.len();
    let ran = reports.len();
    let failed = reports.iter().filter(|r| !r.passed).count();
    if ran < total {
        let failed = match failed {
            0 => String::new(),
            1 => " One of the steps that ran failed: see what its failed checks say.".to_owned(),
            n => format!(" {n} of the steps that ran failed: see what their failed checks say."),
        };
        format!(
            "Export is off: this run was interrupted, only {ran} of {total} steps ran (the page was reloaded or closed before it finished), so the table is incomplete.{failed} Run steps 1–7 again."
        )
    } else {
        "Export is off: not every step of this run passed, and the transactions of a failed step are not the outcomes their rows describe. Fix what the failed checks say and run again.".to_owned()
    }
}

/// The gateways of a company's Sandbox, in routing order.
fn sandbox_gateways(p: &crate::state::Portal, code: &str) -> Vec<Gateway> {
    p.sandbox
        .console_gateways(code, Environment::Sandbox)
        .unwrap_or_default()
}

/// The gateways a run added (steps 6 and 7 create them, as the Integration Guide asks, and
/// they stay) and where they leave the routing: FlexPay shares charges without a Gateway Token
/// among the Enabled gateways by their Distribution. Empty when the run added none.
fn added_gateways(after: &[Gateway], before: &[Gateway]) -> String {
    let added: Vec<String> = after
        .iter()
        .filter(|g| !before.iter().any(|b| b.id == g.id))
        .map(|g| format!("\"{}\" ({})", g.name, g.status.portal_label()))
        .collect();
    if added.is_empty() {
        return String::new();
    }
    let route = after
        .iter()
        .find(|g| g.status == GatewayStatus::Available)
        .map_or_else(
            || "are refused: no gateway is Enabled".to_owned(),
            |_| {
                "are shared among the Enabled ones by their Distribution (higher is favoured)"
                    .to_owned()
            },
        );
    // Gateways of its own replace the built-in one, which took every currency.
    let mut takes: Vec<&str> = after
        .iter()
        .filter(|g| g.status == GatewayStatus::Available)
        .flat_map(|g| {
            std::iter::once(g.currency_code.as_str()).chain(
                g.accepted_currency_codes
                    .iter()
                    .flatten()
                    .map(String::as_str),
            )
        })
        .collect();
    takes.sort_unstable();
    takes.dedup();
    let currencies = if takes.is_empty() {
        String::new()
    } else {
        format!(
            " They take {} only: a payment in another currency is refused with 50147 until a gateway takes it.",
            takes.join(", ")
        )
    };
    format!(
        " As steps 6 and 7 ask, it added the gateways {} to this Sandbox. Enabled gateways take part in routing: charges sent without a Gateway Token {route}.{currencies} Delete the gateways under Payment gateways when you no longer need them.",
        added.join(", ")
    )
}

/// The gateways among the company's `gateways` that a run added (`run`, their tokens) and
/// that are still Enabled, as (token, name), when the company has an Enabled gateway of its
/// own: set to Refund Only, they leave routing as the run found it. Empty when the run's
/// gateways are the only Enabled ones, since charges sent without a Gateway Token would then
/// be refused.
fn leaving_routing(gateways: &[Gateway], run: &[String]) -> Vec<(String, String)> {
    let (added, kept): (Vec<&Gateway>, Vec<&Gateway>) = gateways
        .iter()
        .filter(|g| g.status == GatewayStatus::Available)
        .partition(|g| g.id.as_ref().is_some_and(|id| run.contains(id)));
    if kept.is_empty() {
        return Vec::new();
    }
    added
        .into_iter()
        .filter_map(|g| Some((g.id.clone()?, g.name.clone())))
        .collect()
}

/// What the offer to set the run's gateways to Refund Only says of them.
fn tidy_note(gateways: &[(String, String)]) -> String {
    format!(
        "Still Enabled from the run: {}. Charges sent without a Gateway Token are shared with them and the company's own Enabled gateways.",
        gateway_names(gateways)
    )
}

/// The names of gateways (token, name), quoted: `"Gateway #1 IG7-1" and "Gateway #2 IG7-1"`.
fn gateway_names(gateways: &[(String, String)]) -> String {
    let names: Vec<String> = gateways.iter().map(|g| format!("\"{}\"", g.1)).collect();
    names.join(" and ")
}

/// A progress bar and a sentence saying which step runs.
#[component]
fn Progress(
    running: Running,
    reports: Memo<Vec<ScenarioReport>>,
    other_tab: RwSignal<bool>,
) -> impl IntoView {
    let total = ScenarioStep::ALL.len();
    let done = move || reports.with(Vec::len).min(total);
    let store = use_store();
    let production = move || {
        store
            .portal
            .with(|p| p.settings.mode == Environment::Production)
    };
    view! {
        <div class="run-progress">
            <progress max=total value=done aria-label="Certification progress"></progress>
            <p role="status" id="cert-status" tabindex="-1" data-testid="run-status">
                {move || match running.get() {
                    Some(0) => "Preparing the run…".to_owned(),
                    Some(n) => format!(
                        "Running step {n} of {total}: {}…",
                        ScenarioStep::from_number(n).map(ScenarioStep::title).unwrap_or_default()
                    ),
                    None => {
                        let (passed, count) = reports.with(|r| (r.iter().filter(|r| r.passed).count(), r.len()));
                        if other_tab.get() {
                            format!("Running in another tab: {count} of {total} steps done; {passed} passed.")
                        } else if count == 0 && production() {
                            "No run is listed in Production: runs are in the Sandbox.".to_owned()
                        } else if count == 0 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Portal;
    use flexkit_core::flexpay::payment_method::CreditCardDetails;
    use flexkit_core::flexpay::sandbox::scenarios::run_all;
    use flexkit_core::flexpay::sandbox::BUILT_IN_GATEWAY_TOKEN;
    use flexkit_core::flexpay::test_cards::TEST_CARDS;
    use flexkit_core::flexpay::transaction::ChargeRequest;
    use flexkit_core::UtcTimestamp;

    /// Where a charge sent without a Gateway Token goes: the name of its gateway, else its
    /// token.
    fn automatic_charge(p: &mut Portal, key: &str, id: &str) -> String {
        let card = CreditCardDetails {
            first_name: Some("Avery".into()),
            last_name: Some("Quinn".into()),
            address1: Some("1180 Harbour Street".into()),
            postal_code: Some("97205".into()),
            city: Some("Portland".into()),
            state: Some("OR".into()),
            country: Some("US".into()),
            ..CreditCardDetails::from_test_card(&TEST_CARDS[0])
        };
        let request = ChargeRequest::with_card(id, id, "USD", 1000, card).customer("c-1");
        let now = UtcTimestamp::parse_iso8601("2026-11-22T12:00:00Z").unwrap();
        let response = p.sandbox.charge(key, request, now).expect("charged");
        assert_eq!(response.response_code.value(), 10000);
        let token = response.gateway_token.unwrap_or_default();
        sandbox_gateways(p, "DEFAULT")
            .into_iter()
            .find(|g| g.id.as_deref() == Some(token.as_str()))
            .map_or(token, |g| g.name)
    }

    #[test]
    fn the_message_names_the_gateways_a_run_added_and_where_automatic_charges_now_go() {
        let mut p = Portal::default();
        let now = UtcTimestamp::parse_iso8601("2026-11-21T21:18:18Z").unwrap();
        let key = p
            .sandbox
            .generate_api_key("run", "DEFAULT", Environment::Sandbox, now)
            .unwrap()
            .key;
        let before = sandbox_gateways(&p, "DEFAULT");
        assert!(before.is_empty());
        // Before the run, FlexPay's own sandbox gateway takes them.
        assert_eq!(
            automatic_charge(&mut p, &key, "before"),
            BUILT_IN_GATEWAY_TOKEN
        );
        assert!(run_all(&mut p.sandbox, &key, now).iter().all(|r| r.passed));
        let after = sandbox_gateways(&p, "DEFAULT");
        let names: Vec<&str> = after.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names.len(), 3, "{names:?}");
        let text = added_gateways(&after, &before);
        assert!(
            text.contains(&format!(
                "added the gateways \"{}\" (Refund Only), \"{}\" (Enabled), \"{}\" (Enabled) to this Sandbox",
                names[0], names[1], names[2]
            )),
            "{text}"
        );
        // What the message says is where an automatic charge goes: to an Enabled gateway.
        let routed = automatic_charge(&mut p, &key, "after");
        assert!(routed == names[1] || routed == names[2], "{routed}");
        assert!(
            text.contains(
                "charges sent without a Gateway Token are shared among the Enabled ones by their Distribution (higher is favoured)"
            ),
            "{text}"
        );
        // A run that adds nothing says nothing about gateways.
        assert_eq!(added_gateways(&after, &after), "");
    }
}
