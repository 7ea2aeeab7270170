//! Form fields whose problems (found by the core's validators) are shown at the field: the
//! control gets `aria-invalid` and an `aria-describedby` that points at the messages. A field
//! shows its problems once it was edited, or every field once the form was submitted.

use flexkit_core::flexpay::sandbox::accounts::name_fault;
use flexkit_core::validation::{code, Problem, Severity};
use flexkit_core::{Currency, Money, MoneyError};
use leptos::prelude::*;

/// One problem, attached to a form field by its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's key (its element id is `{prefix}-{key}`); "general" for the whole form.
    pub field: String,
    /// Stable code (`invalid_luhn`, `required`, ...).
    pub code: &'static str,
    pub message: String,
    pub warning: bool,
}

impl FieldProblem {
    pub fn error(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            code,
            message: message.into(),
            warning: false,
        }
    }

    pub fn warning(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        FieldProblem {
            warning: true,
            ..FieldProblem::error(field, code, message)
        }
    }

    /// A problem of the core's validation, placed at the field `field_of` names for its path.
    pub fn from_core(problem: &Problem, field_of: impl Fn(&str) -> String) -> Self {
        FieldProblem {
            field: field_of(&problem.path),
            code: problem.code,
            message: problem.message.clone(),
            warning: problem.severity == Severity::Warning,
        }
    }
}

/// Refuses a name the portal keeps (a company's, a gateway's, an API key's, an auto-retry's)
/// over `max` characters, the core's limit for it: the core only warns `too_long` (FlexPay
/// publishes no limit, so an API caller may send more), which this error, naming the limit,
/// replaces.
pub fn refuse_too_long(problems: &mut Vec<FieldProblem>, field: &str, value: &str, max: usize) {
    problems.retain(|p| !(p.field == field && p.code == code::TOO_LONG));
    // Spaces around the name are left out, as they are when it is kept.
    let length = value.trim().chars().count();
    if length > max {
        problems.push(FieldProblem::error(
            field,
            code::TOO_LONG,
            format!("Enter at most {max} characters; this has {length}."),
        ));
    }
}

/// Refuses at `field`, while it is typed, a name the sandbox will refuse for a character in
/// it (the core's `name_fault`: one that hides or reorders the text around it, or U+FFFD,
/// where the browser could not read a character), under `refusal`, the sandbox's code for it.
pub fn refuse_name_fault(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    value: &str,
    refusal: &'static str,
) {
    if let Some(fault) = name_fault(value.trim()) {
        problems.push(FieldProblem::error(
            field,
            refusal,
            format!("This name {fault}."),
        ));
    }
}

/// Refuses at `field` a text the browser handed over with U+FFFD in it: it does so for half of
/// a surrogate pair (a character cut in two when copied), so what would be sent or kept is not
/// the text on screen. The npm validators refuse the half itself with the same code.
pub fn refuse_unreadable(problems: &mut Vec<FieldProblem>, field: &str, text: &str) {
    if text.contains('\u{FFFD}') {
        problems.push(FieldProblem::error(
            field,
            code::LONE_SURROGATE,
            UNREADABLE_TEXT,
        ));
    }
}

/// What a field says of a text that holds U+FFFD (also the Flexiti forms').
pub const UNREADABLE_TEXT: &str = "This text holds \u{FFFD}, where a character could not be \
                                   read (half of one cut off when it was copied): type that \
                                   character again.";

/// What an Amount field says when it is left empty where it is required.
pub const AMOUNT_REQUIRED: &str = "Enter the amount in the currency's units.";

/// An Amount field, typed in the currency's units (`20.08`), in minor units; else its problem
/// worded for the field: in the units typed, naming the character out of place, with the real
/// limits (above zero, at most `most` minor units, which `limit` explains) and an example that
/// is accepted. The codes are the core's. The FlexPay terminal's and Flexiti's amounts.
pub fn read_amount(
    text: &str,
    currency: Currency,
    optional: bool,
    most: i64,
    limit: &str,
) -> Result<i64, FieldProblem> {
    let example = Money::new(2008, currency).format();
    let above_zero = |code| {
        let or_empty = if optional {
            ", or leave it empty for the whole amount"
        } else {
            ""
        };
        (
            code,
            Some(format!(
                "Enter an amount above zero, e.g. {example}{or_empty}."
            )),
        )
    };
    let negative = text.starts_with('-');
    let (code, message) = match Money::parse(text, currency) {
        Ok(m) if m.minor_units() > most => (code::AMOUNT_OUT_OF_RANGE, None),
        Ok(m) if m.is_positive() => return Ok(m.minor_units()),
        Ok(m) if m.is_zero() => above_zero(code::ZERO_AMOUNT),
        Ok(_) => above_zero(code::NEGATIVE_AMOUNT),
        Err(MoneyError::AmountOverflow { .. }) if negative => above_zero(code::NEGATIVE_AMOUNT),
        Err(e @ MoneyError::AmountOverflow { .. }) => (e.code(), None),
        Err(e @ MoneyError::InvalidDecimal(problem)) => (
            e.code(),
            Some(format!(
                "{problem}. Enter digits with at most one \".\", e.g. {example}."
            )),
        ),
        Err(e) => (e.code(), Some(e.to_string())),
    };
    let mut message = message.unwrap_or_else(|| {
        let most = Money::new(most, currency).format();
        format!("Enter at most {most}, {limit}.")
    });
    if let Some(first) = message.get(..1) {
        message = first.to_ascii_uppercase() + message.get(1..).unwrap_or_default();
    }
    Err(FieldProblem::error("amount", code, message))
}

/// The problems of one form and which of them are shown.
#[derive(Clone, Copy)]
pub struct FieldChecks {
    prefix: &'static str,
    problems: Signal<Vec<FieldProblem>>,
    touched: RwSignal<Vec<String>>,
    show_all: RwSignal<bool>,
    /// The problems (field and code) there were at the last edit, or when the form was made
    /// or reset: a problem an edit brings about is shown at once, wherever it sits.
    seen: StoredValue<Vec<(String, &'static str)>>,
}

impl FieldChecks {
    pub fn new(prefix: &'static str, problems: Signal<Vec<FieldProblem>>) -> Self {
        let checks = FieldChecks {
            prefix,
            problems,
            touched: RwSignal::new(Vec::new()),
            show_all: RwSignal::new(false),
            seen: StoredValue::new(Vec::new()),
        };
        checks.seen.set_value(checks.found());
        checks
    }

    /// The field and code of every problem the form has now.
    fn found(&self) -> Vec<(String, &'static str)> {
        self.problems
            .with_untracked(|ps| ps.iter().map(|p| (p.field.clone(), p.code)).collect())
    }

    pub fn id(&self, key: &str) -> String {
        format!("{}-{key}", self.prefix)
    }

    pub fn problems_id(&self, key: &str) -> String {
        format!("{}-{key}-problems", self.prefix)
    }

    pub fn hint_id(&self, key: &str) -> String {
        format!("{}-{key}-hint", self.prefix)
    }

    /// The field was edited: show its problems from now on, and those the edit brought
    /// about at other fields (a retry count of 2 needs reference data; an email emptied, a
    /// customer ID), so that no problem is counted that no field names.
    pub fn touch(&self, key: &str) {
        let found = self.found();
        let mut fields = vec![key];
        self.seen.with_value(|before| {
            fields.extend(
                found
                    .iter()
                    .filter(|p| !before.contains(p))
                    .map(|(field, _)| field.as_str()),
            );
        });
        if !self
            .touched
            .with_untracked(|t| fields.iter().all(|f| t.iter().any(|k| k == f)))
        {
            self.touched.update(|t| {
                for field in fields {
                    if !t.iter().any(|k| k == field) {
                        t.push(field.to_owned());
                    }
                }
            });
        }
        self.seen.set_value(found);
    }

    /// The form was submitted: show every problem.
    pub fn reveal_all(&self) {
        self.show_all.set(true);
    }

    /// The form was submitted: shows every problem and, when one is an error, moves the
    /// focus to the form's summary of them and answers `true`: the form is not sent.
    pub fn refuse_submit(&self, summary: NodeRef<leptos::html::Div>) -> bool {
        self.reveal_all();
        if self.errors_untracked().is_empty() {
            return false;
        }
        request_animation_frame(move || {
            if let Some(el) = summary.get_untracked() {
                let _ = el.focus();
            }
        });
        true
    }

    /// The form was submitted: shows every problem and, when one is an error, moves the
    /// focus to the first field with one and answers `true`: the form is not sent.
    pub fn refuse_at_field(&self) -> bool {
        self.reveal_all();
        let Some(first) = self.errors_untracked().into_iter().next() else {
            return false;
        };
        let id = self.id(&first.field);
        request_animation_frame(move || focus_element(&id));
        true
    }

    /// A fresh form: nothing shown until edited again.
    pub fn reset(&self) {
        self.show_all.set(false);
        self.touched.set(Vec::new());
        self.seen.set_value(self.found());
    }

    pub fn revealed(&self) -> bool {
        self.show_all.get()
    }

    /// The problems shown at one field (reactive).
    pub fn shown(&self, key: &str) -> Vec<FieldProblem> {
        let visible = self.show_all.get() || self.touched.with(|t| t.iter().any(|k| k == key));
        if !visible {
            return Vec::new();
        }
        self.problems.with(|ps| {
            let mut out: Vec<FieldProblem> = Vec::new();
            for p in ps.iter().filter(|p| p.field == key) {
                if !out.iter().any(|o| o.message == p.message) {
                    out.push(p.clone());
                }
            }
            out
        })
    }

    /// Every error of the form (warnings do not block).
    pub fn errors(&self) -> Vec<FieldProblem> {
        self.problems
            .with(|ps| ps.iter().filter(|p| !p.warning).cloned().collect())
    }

    pub fn errors_untracked(&self) -> Vec<FieldProblem> {
        self.problems
            .with_untracked(|ps| ps.iter().filter(|p| !p.warning).cloned().collect())
    }

    pub fn invalid(&self, key: &str) -> bool {
        self.shown(key).iter().any(|p| !p.warning)
    }

    /// `aria-describedby`: the hint, and the problems when there are some.
    pub fn described_by(&self, key: &str, hint: bool) -> Option<String> {
        let mut ids = Vec::new();
        if hint {
            ids.push(self.hint_id(key));
        }
        if !self.shown(key).is_empty() {
            ids.push(self.problems_id(key));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The messages of one field, referenced by the control's `aria-describedby`.
#[component]
pub fn FieldProblems(checks: FieldChecks, #[prop(into)] key: String) -> impl IntoView {
    let id = checks.problems_id(&key);
    move || {
        let shown = checks.shown(&key);
        (!shown.is_empty()).then(|| {
            view! {
                <ul class="field-problems" id=id.clone()>
                    {shown
                        .into_iter()
                        .map(|p| {
                            let class = if p.warning { "problem problem-warning" } else { "problem problem-error" };
                            view! {
                                <li class=class data-code=p.code>
                                    <span class="problem-kind">{if p.warning { "Warning: " } else { "Error: " }}</span>
                                    {p.message}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}

/// A labelled text input with its hint and problems.
#[component]
pub fn TextField(
    checks: FieldChecks,
    #[prop(into)] key: String,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    /// Shows the star and sets `aria-required`; may change (an amount optional for refunds).
    #[prop(optional, into)]
    required: Signal<bool>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    let id = checks.id(&key);
    let hint_id = checks.hint_id(&key);
    let k1 = key.clone();
    let k2 = key.clone();
    let k3 = key.clone();
    view! {
        <div class=format!("form-field {}", class.unwrap_or_default())>
            <span class="label-line">
                <label for=id.clone()>{move || label.get()}</label>
                {move || required.get().then(|| view! { <span class="req" aria-hidden="true">"*"</span> })}
            </span>
            <input
                id=id
                type=input_type
                autocomplete=autocomplete.unwrap_or("off")
                inputmode=inputmode
                placeholder=placeholder
                spellcheck="false"
                aria-required=move || required.get().then_some("true")
                aria-invalid=move || if checks.invalid(&k1) { "true" } else { "false" }
                aria-describedby=move || checks.described_by(&k2, hint.is_some())
                prop:value=value
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    checks.touch(&k3);
                }
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <FieldProblems checks key />
        </div>
    }
}

/// An error summary for a submitted form: every blocking problem, each a link to its field.
#[component]
pub fn ProblemSummary(
    checks: FieldChecks,
    /// The label of a field key, for the summary's links.
    label_of: fn(&str) -> String,
    node_ref: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    view! {
        <div class="problem-summary-slot" tabindex="-1" node_ref=node_ref>
            {move || {
                let errors = checks.errors();
                (checks.revealed() && !errors.is_empty()).then(|| {
                    let count = errors.len();
                    view! {
                        <div class="banner banner-error problem-summary" role="alert">
                            <p><strong>{format!("Nothing was sent: {count} problem{} to fix.", if count == 1 { "" } else { "s" })}</strong></p>
                            <ul>
                                {errors
                                    .into_iter()
                                    .map(|p| {
                                        let label = label_of(&p.field);
                                        let href = format!("#{}", checks.id(&p.field));
                                        let target = checks.id(&p.field);
                                        view! {
                                            <li>
                                                <a href=href on:click=move |ev| {
                                                    ev.prevent_default();
                                                    focus_element(&target);
                                                }>{label}</a>
                                                ": " {p.message}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })
            }}
        </div>
    }
}

/// The live region a page or form answers an action in: its message, `true` for done (an
/// information banner), `false` for refused (an error banner).
pub fn status_slot(message: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite" class="status-slot">
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "banner banner-info" } else { "banner banner-error" }>{text}</p>
            })}
        </div>
    }
}

/// Moves the keyboard focus to the element with this id, if there is one.
pub fn focus_element(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// After a refused submit, once its problems are drawn: the focus goes to the first field of
/// the form marked invalid, so the keyboard is where the fix is.
pub fn focus_first_invalid(ev: &leptos::ev::SubmitEvent) {
    use wasm_bindgen::JsCast;
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    request_animation_frame(move || {
        if let Some(field) = form
            .query_selector("[aria-invalid=\"true\"]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = field.focus();
        }
    });
}

/// Moves the focus to the element with this id once the change just made is drawn: after an
/// action whose button is gone (a confirmation, a row deleted), the focus goes to what says
/// what happened instead of falling to the page's body.
pub fn focus_after_render(id: &'static str) {
    request_animation_frame(move || focus_element(id));
}

/// Once the page is drawn again, the focus goes to the first element `selector` finds, else
/// to the page's heading (`main h1`, made focusable): where a control that went away leaves
/// it, never on the page's body.
pub fn focus_found_after_render(selector: String) {
    focus_found_or_after_render(selector, "main h1");
}

/// [`focus_found_after_render`] with another place than the page's heading when `selector`
/// finds nothing: `fallback`, a selector too.
pub fn focus_found_or_after_render(selector: String, fallback: &'static str) {
    use wasm_bindgen::JsCast;
    request_animation_frame(move || {
        let find = |selector: &str| {
            document()
                .query_selector(selector)
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        };
        if let Some(found) = find(&selector).or_else(|| find(fallback)) {
            // A heading takes the focus only with a tabindex.
            if found.tag_name() == "H1" && !found.has_attribute("tabindex") {
                let _ = found.set_attribute("tabindex", "-1");
            }
            let _ = found.focus();
        }
    });
}

/// After a pager's button (id `pressed`) turned the page: when the new page disables it (the
/// first or the last page), the focus goes to the pager's other button (`other`), never to
/// the page's body; when the pager was drawn anew (the Flexiti history's), it goes to the new
/// `pressed`. Two frames: the page the address names is drawn in the first.
pub fn keep_pager_focus(pressed: &'static str, other: &'static str) {
    request_animation_frame(move || {
        request_animation_frame(move || match document().get_element_by_id(pressed) {
            Some(button) if !button.has_attribute("disabled") => {
                if document().active_element().as_ref() != Some(&button) {
                    focus_element(pressed);
                }
            }
            _ => focus_element(other),
        })
    });
}

/// Closes an inline editor (the key of what it edits in `open`) and gives the focus back to
/// the button that opened it, the element with id `back`: Cancel, Escape and a save.
pub fn close_editor<T: Send + Sync + 'static>(open: RwSignal<Option<T>>, back: String) {
    open.set(None);
    request_animation_frame(move || focus_element(&back));
}
