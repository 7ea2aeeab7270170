//! The confirmation every irreversible action asks for: an alert dialog in the page flow with
//! the question, what will happen, the action (red) and Cancel. Focus moves to Cancel when it
//! opens, so an Enter pressed by habit keeps everything; Escape cancels too, and Tab goes
//! from one of its two buttons to the other until it is answered.

use leptos::prelude::*;

use crate::components::fields::focus_element;

/// `id` prefixes the dialog's element ids (`{id}-q`, `{id}-what`, `{id}-cancel`).
#[component]
pub fn Confirm(
    id: &'static str,
    #[prop(into)] question: String,
    /// What the action does and what it keeps; may be empty.
    #[prop(optional, into)]
    detail: String,
    #[prop(into)] action: String,
    on_confirm: impl Fn() + 'static,
    on_cancel: impl Fn() + 'static,
) -> impl IntoView {
    // The view is built by one function for every caller: only the two closures differ.
    dialog(
        id,
        question,
        detail,
        action,
        Box::new(on_confirm),
        Box::new(on_cancel),
    )
}

fn dialog(
    id: &'static str,
    question: String,
    detail: String,
    action: String,
    on_confirm: Box<dyn Fn()>,
    on_cancel: Box<dyn Fn()>,
) -> AnyView {
    let has_detail = !detail.is_empty();
    request_animation_frame(move || focus_element(&format!("{id}-cancel")));
    // Escape is Cancel, as in any dialog.
    let on_cancel = std::rc::Rc::new(on_cancel);
    let on_escape = on_cancel.clone();
    view! {
        <div class="confirm" role="alertdialog" aria-labelledby=format!("{id}-q")
            aria-describedby=has_detail.then(|| format!("{id}-what"))
            on:keydown=move |ev| {
                match ev.key().as_str() {
                    "Escape" => on_escape(),
                    // Two buttons: Tab and Shift+Tab both go to the other one.
                    "Tab" => {
                        ev.prevent_default();
                        let cancel = format!("{id}-cancel");
                        let on_cancel = document().active_element().is_some_and(|e| e.id() == cancel);
                        focus_element(&if on_cancel { format!("{id}-ok") } else { cancel });
                    }
                    _ => {}
                }
            }>
            <p id=format!("{id}-q")><strong>{question}</strong></p>
            {has_detail.then(|| view! { <p id=format!("{id}-what")>{detail}</p> })}
            <button type="button" class="danger" id=format!("{id}-ok") on:click=move |_| on_confirm()>{action}</button>
            " "
            <button type="button" class="secondary" id=format!("{id}-cancel") on:click=move |_| on_cancel()>"Cancel"</button>
        </div>
    }
    .into_any()
}
