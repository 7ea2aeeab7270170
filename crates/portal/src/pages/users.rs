//! Users of the account (the FlexPay client portal's Account settings → Users / Manage Users):
//! the list (Name, Username, Status, Locked, Access level) a page at a time with a search by
//! name or username, Add user with a temporary password typed or generated, Update (name,
//! access level), Disable/Enable, Unlock, Delete after a confirmation, and the access levels'
//! rights as a table. The invitation an email would carry (username and temporary password;
//! no link, as the sandbox has no sign-in page) is shown once after adding, from this page's
//! memory only: the sandbox keeps a hash of the password, so it is gone once the page is left
//! or reloaded. The core refuses leaving the account without an enabled Account Administrator.

use flexkit_core::flexpay::sandbox::{AccessLevel, Invitation, Right, UserField, UserProblem};
use leptos::prelude::*;

use crate::components::confirm::Confirm;
use crate::components::fields::{
    focus_after_render, focus_found_after_render, keep_pager_focus, refuse_unreadable, status_slot,
    FieldChecks, FieldProblem, FieldProblems, ProblemSummary, TextField,
};
use crate::components::format::count;
use crate::storage;
use crate::store::use_store;

type Message = RwSignal<Option<(bool, String)>>;

/// Users listed at a time: the list stays quick at any size (an imported account of 20 000).
const PAGE: usize = 25;

fn key_of(field: UserField) -> &'static str {
    match field {
        UserField::Name => "name",
        UserField::Username => "username",
        UserField::AccessLevel => "access",
        UserField::TemporaryPassword => "password",
    }
}

fn label_of(field: &str) -> String {
    match field {
        "name" => "Name",
        "username" => "Username",
        "access" => "Access level",
        "password" => "Temporary password",
        _ => "User",
    }
    .to_owned()
}

fn field_problems(problems: Vec<UserProblem>) -> Vec<FieldProblem> {
    problems
        .into_iter()
        .map(|p| FieldProblem::error(key_of(p.field), p.code, p.message))
        .collect()
}

fn level_of(code: &str) -> AccessLevel {
    AccessLevel::from_code(code).unwrap_or(AccessLevel::AccountReader)
}

/// The rights of each access level as a table: static text, so written as markup once.
fn rights_table() -> String {
    let mut html = String::from(
        "<table class=\"data\" aria-labelledby=\"rights-h\"><thead><tr><th scope=\"col\">Right</th>",
    );
    for level in AccessLevel::ALL {
        html.push_str(&format!("<th scope=\"col\">{}</th>", level.label()));
    }
    html.push_str("</tr></thead><tbody>");
    for right in Right::ALL {
        html.push_str(&format!("<tr><th scope=\"row\">{}</th>", right.label()));
        for level in AccessLevel::ALL {
            html.push_str(if level.has(right) {
                "<td>Yes</td>"
            } else {
                "<td>No</td>"
            });
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table><ul>");
    for level in AccessLevel::ALL {
        html.push_str(&format!(
            "<li><strong>{}</strong>: {}</li>",
            level.label(),
            level.summary()
        ));
    }
    html + "</ul>"
}

/// After the editor or the question a row's button (`act`: "update", "delete") opened closes
/// with nothing changed: the focus back on that button of the user's row, as the other
/// editors give it back; on the page's heading if the row is no longer shown.
fn focus_user_button(act: &'static str, username: &str) {
    let quoted = username.replace('\\', "\\\\").replace('"', "\\\"");
    focus_found_after_render(format!(
        "#users-rows button[data-act=\"{act}\"][data-user=\"{quoted}\"]"
    ));
}

/// Once the list is drawn again after an action in its row `row` (from 0), the focus goes to
/// the row's Disable/Enable button: the action's button may be gone (Unlock) or replaced
/// (Disable/Enable), and the focus must not fall to the page's body.
fn focus_toggle_in_row(row: usize) {
    focus_found_after_render(format!(
        "#users-rows tr:nth-child({}) .row-actions button:nth-child(2)",
        row + 1
    ));
}

/// The Access level select of a form, with its problems at the field.
fn access_select(checks: FieldChecks, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="form-field">
            <span class="label-line"><label for=checks.id("access")>"Access level"</label></span>
            <select id=checks.id("access")
                aria-invalid=move || if checks.invalid("access") { "true" } else { "false" }
                aria-describedby=move || checks.described_by("access", false)
                prop:value=move || value.get()
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    checks.touch("access");
                }>
                {AccessLevel::ALL.map(|l| view! { <option value=l.code()>{l.label()}</option> }).collect_view()}
            </select>
            <FieldProblems checks key="access" />
        </div>
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let store = use_store();
    let message: Message = RwSignal::new(None);
    let invitation = RwSignal::new(None::<Invitation>);
    let editing = RwSignal::new(None::<(String, String)>);
    let deleting = RwSignal::new(None::<(String, String)>);
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    // Only the page shown is copied out of the sandbox and drawn.
    let shown = Memo::new(move |_| {
        let (q, at) = (query.get(), page.get());
        store.portal.with(|p| p.sandbox.users_page(&q, at, PAGE))
    });

    let report = move |result: Option<Result<(), flexkit_core::flexpay::sandbox::AdminError>>,
                       done: String| {
        message.set(Some(match result {
            Some(Ok(())) => (true, done),
            Some(Err(e)) => (false, format!("Nothing changed: {}", e.message)),
            None => (false, "The portal is shutting down.".to_owned()),
        }));
    };
    let delete = move |username: String, name: String| {
        let u = username.clone();
        let result = store.act(move |p, now| p.sandbox.delete_user(&u, now));
        deleting.set(None);
        // The Update form of a user who is gone has nothing left to update.
        if result.as_ref().is_some_and(Result::is_ok)
            && editing.with_untracked(|e| e.as_ref().is_some_and(|(u, _)| *u == username))
        {
            editing.set(None);
        }
        report(
            result,
            format!("{name} ({username}) was deleted and can no longer sign in."),
        );
        focus_after_render("users-h");
    };

    // One listener for every row's buttons, which name their action and user.
    let on_row_click = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button[data-act]").ok().flatten())
        else {
            return;
        };
        let act = button.get_attribute("data-act").unwrap_or_default();
        let username = button.get_attribute("data-user").unwrap_or_default();
        let Some((row, name)) = shown.with_untracked(|s| {
            s.users
                .iter()
                .enumerate()
                .find(|(_, u)| u.username == username)
                .map(|(row, u)| (row, u.name.clone()))
        }) else {
            return;
        };
        let u = username.clone();
        // A new action: the answer to an earlier one is gone.
        message.set(None);
        match act.as_str() {
            "update" => {
                editing.set(Some((username, name)));
                focus_after_render("edit-h");
            }
            // The last enabled Account Administrator: refused at once, as Disable is, rather
            // than after a confirmation.
            "delete" => match store
                .portal
                .with_untracked(|p| p.sandbox.check_user_deletion(&username))
            {
                Ok(()) => deleting.set(Some((username, name))),
                Err(refused) => report(Some(Err(refused)), String::new()),
            },
            "unlock" => {
                report(
                    store.act(move |p, now| p.sandbox.unlock_user(&u, now)),
                    format!("{name} is unlocked and may sign in again."),
                );
                // The Unlock button is gone: the control before it, never Delete after it,
                // where a second Enter would start a deletion.
                focus_toggle_in_row(row);
            }
            _ => {
                let enable = act == "enable";
                report(
                    store.act(move |p, now| p.sandbox.set_user_enabled(&u, enable, now)),
                    format!(
                        "{name} is {}.",
                        if enable {
                            "enabled again"
                        } else {
                            "disabled: they can no longer sign in"
                        }
                    ),
                );
                // The same place in the row: Enable where Disable was, or Disable again when
                // refused.
                focus_toggle_in_row(row);
            }
        }
    };
    let turn = move |by: isize| {
        page.set(shown.with_untracked(|s| s.page).saturating_add_signed(by));
        let (pressed, other) = if by < 0 {
            ("page-previous", "page-next")
        } else {
            ("page-next", "page-previous")
        };
        keep_pager_focus(pressed, other);
    };

    view! {
        <section class="page page-wide users">
            <h1 id="users-h" tabindex="-1">"Users"</h1>
            <p class="lede">
                "The people who sign in to the account, each with an access level. A new user gets an email with their username and a temporary password. "
                "The account always keeps at least one enabled Account Administrator."
            </p>
            {status_slot(message)}
            {move || invitation.get().map(|i| view! { <InvitationPanel invitation=i on_close=move || {
                invitation.set(None);
                focus_after_render("users-h");
            } /> })}
            <form class="filters" role="search" aria-label="Search users" on:submit=|ev| ev.prevent_default()>
                <label><span>"Name or username"</span>
                    <input type="search" on:input=move |ev| { query.set(event_target_value(&ev)); page.set(0); } />
                </label>
            </form>
            <p class="count" role="status" data-testid="user-count">
                {move || shown.with(|s| {
                    let q = query.get();
                    let q = q.trim();
                    let listed = if q.is_empty() {
                        count(s.total as u32, "user", "users")
                    } else {
                        format!("{} matching “{q}”", count(s.matches as u32, "user", "users"))
                    };
                    let first = s.page * PAGE + 1;
                    match s.matches {
                        0 => format!("No user matches “{q}”."),
                        n if n <= PAGE => listed,
                        n => format!("{first}–{} of {listed}", (first + PAGE - 1).min(n)),
                    }
                })}
            </p>
            // Focusable, so a keyboard scrolls it where it is wider than the screen (390 px).
            <div class="table-scroll" tabindex="0" role="region" aria-label="Users, table">
                <table class="data" aria-label="Users">
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Username"</th><th scope="col">"Status"</th>
                        <th scope="col">"Locked"</th><th scope="col">"Access level"</th><th scope="col">"Actions"</th>
                    </tr></thead>
                    <tbody id="users-rows" on:click=on_row_click>
                        {move || shown.get().users.into_iter().map(|u| {
                            let (name, username, enabled) = (u.name, u.username, u.enabled);
                            let toggle = if enabled { "Disable" } else { "Enable" };
                            let button = |act: &'static str, label: &'static str, class: &'static str| view! {
                                <button type="button" class=class data-act=act data-user=username.clone()
                                    aria-label=format!("{label}: {name}")>{label}</button>
                            };
                            view! {
                                <tr>
                                    <th scope="row">{name.clone()}</th>
                                    <td>{username.clone()}</td>
                                    <td>{if enabled { "Enabled" } else { "Disabled" }}</td>
                                    <td>{if u.locked { "Yes" } else { "No" }}</td>
                                    <td>{u.access_level.label()}</td>
                                    <td><div class="row-actions">
                                        {button("update", "Update", "secondary")}
                                        {button(if enabled { "disable" } else { "enable" }, toggle, "secondary")}
                                        {u.locked.then(|| button("unlock", "Unlock", "secondary"))}
                                        {button("delete", "Delete", "danger")}
                                    </div></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            // Always there, hidden while one page holds every match: a button pressed stays.
            <nav class="pager" aria-label="Pages of users" hidden=move || shown.with(|s| s.matches <= PAGE)>
                <button type="button" id="page-previous" disabled=move || shown.with(|s| s.page == 0) on:click=move |_| turn(-1)>"Previous page"</button>
                <button type="button" id="page-next" disabled=move || shown.with(|s| (s.page + 1) * PAGE >= s.matches) on:click=move |_| turn(1)>"Next page"</button>
            </nav>
            {move || deleting.get().map(|(username, name)| {
                let (u, n) = (username.clone(), name.clone());
                view! {
                    <Confirm id="confirm-delete-user"
                        question=format!("Delete the user {name} ({username})?")
                        detail="They can no longer sign in. This cannot be undone."
                        action=format!("Delete {name}")
                        on_confirm=move || delete(u.clone(), n.clone())
                        on_cancel=move || {
                            deleting.set(None);
                            focus_user_button("delete", &username);
                        } />
                }
            })}
            {move || editing.get().map(|(username, name)| view! { <UpdateForm username name editing message /> })}
            <AddUser message invitation on_added=move || {
                // The list shows the user just added: the last page.
                page.set(usize::MAX);
            } />
            <section class="panel" aria-labelledby="rights-h">
                <h2 id="rights-h">"Access levels"</h2>
                // Focusable, so a keyboard scrolls it where it is wider than the screen.
                <div class="table-scroll" tabindex="0" role="region"
                    aria-label="Access levels, table" inner_html=rights_table()></div>
            </section>
        </section>
    }
}

#[component]
fn UpdateForm(
    username: String,
    name: String,
    editing: RwSignal<Option<(String, String)>>,
    message: Message,
) -> impl IntoView {
    let store = use_store();
    let level = store
        .portal
        .with_untracked(|p| p.sandbox.user(&username))
        .map_or(AccessLevel::AccountReader, |u| u.access_level);
    let new_name = RwSignal::new(name.clone());
    let access = RwSignal::new(level.code().to_owned());
    let (back, back_cancel) = (username.clone(), username.clone());
    // The core's verdict on the values typed, shown at the fields as they change (a refused
    // Save reveals every field's).
    let judged = username.clone();
    let problems = Signal::derive(move || {
        let (n, l) = (new_name.get(), level_of(&access.get()));
        store
            .portal
            .with(|p| field_problems(p.sandbox.update_user_problems(&judged, &n, l)))
    });
    let checks = FieldChecks::new("edit", problems);
    let who = username.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (u, n, l) = (
            who.clone(),
            new_name.get_untracked(),
            level_of(&access.get_untracked()),
        );
        match store.act(move |p, now| p.sandbox.update_user(&u, &n, l, now)) {
            Some(Ok(user)) => {
                editing.set(None);
                // Only what changed: the form may have been saved before, refused.
                let (to, old) = (user.access_level.label(), &name);
                let text = match (user.name != *old, user.access_level != level) {
                    (false, false) => {
                        format!("Nothing changed: {old} keeps this name and access level.")
                    }
                    (true, false) => format!("{old}'s name is now {}.", user.name),
                    (false, true) => format!("{old} is now {to}."),
                    (true, true) => format!("{old} is now called {} and is {to}.", user.name),
                };
                message.set(Some((true, text)));
                focus_after_render("users-h");
            }
            Some(Err(_)) => checks.reveal_all(),
            None => {}
        }
    };
    view! {
        <section class="panel" aria-labelledby="edit-h" on:keydown=move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Escape" {
                ev.prevent_default();
                editing.set(None);
                focus_user_button("update", &back);
            }
        }>
            <h2 id="edit-h" tabindex="-1">{format!("Update {username}")}</h2>
            <form novalidate on:submit=save aria-labelledby="edit-h">
                <div class="form-grid">
                    <TextField checks key="name" label="Name" value=new_name required=true />
                    {access_select(checks, access)}
                </div>
                <div class="actions">
                    <button type="submit">"Save user"</button>
                    " "
                    <button type="button" class="secondary" on:click=move |_| {
                        editing.set(None);
                        focus_user_button("update", &back_cancel);
                    }>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn AddUser(
    message: Message,
    invitation: RwSignal<Option<Invitation>>,
    on_added: impl Fn() + 'static,
) -> impl IntoView {
    let store = use_store();
    let name = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let access = RwSignal::new(AccessLevel::AccountReader.code().to_owned());
    let password = RwSignal::new(String::new());
    let problems = Signal::derive(move || {
        let (n, u, w) = (name.get(), username.get(), password.get());
        let mut found = store
            .portal
            .with(|p| field_problems(p.sandbox.new_user_problems(&n, &u, &w)));
        // The password shown in the invitation must be the one typed: a character the browser
        // could not read in full would be kept and shown as U+FFFD.
        refuse_unreadable(&mut found, "password", &w);
        found
    });
    let checks = FieldChecks::new("user", problems);
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let generate = move |_| {
        if let Some(suggestion) = store.act(|p, _| p.sandbox.suggest_temporary_password()) {
            password.set(suggestion);
            checks.touch("password");
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        message.set(None);
        if checks.refuse_submit(summary_ref) {
            return;
        }
        let (n, u, l, w) = (
            name.get_untracked(),
            username.get_untracked(),
            level_of(&access.get_untracked()),
            password.get_untracked(),
        );
        match store.act(move |p, now| p.sandbox.add_user(&n, &u, l, &w, now)) {
            Some(Ok(added)) => {
                name.set(String::new());
                username.set(String::new());
                password.set(String::new());
                checks.reset();
                invitation.set(Some(added));
                on_added();
            }
            Some(Err(found)) => {
                let text = found
                    .into_iter()
                    .map(|p| p.message)
                    .collect::<Vec<_>>()
                    .join(" ");
                message.set(Some((false, format!("The user was not added: {text}"))));
            }
            None => {}
        }
    };
    view! {
        <section class="panel" aria-labelledby="user-add-h">
            <h2 id="user-add-h">"Add user"</h2>
            <form novalidate on:submit=submit aria-labelledby="user-add-h">
                <ProblemSummary checks label_of node_ref=summary_ref />
                <div class="form-grid">
                    <TextField checks key="name" label="Name" value=name required=true />
                    <TextField checks key="username" label="Username" value=username required=true
                        input_type="email" hint="The user's email address; the invitation is sent to it." />
                    {access_select(checks, access)}
                    <TextField checks key="password" label="Temporary password" value=password required=true
                        hint="At least 8 characters, with a capital letter, a digit and a symbol; no space at either end." />
                </div>
                <div class="actions">
                    <button type="submit">"Add user"</button>
                    " "
                    <button type="button" class="secondary" on:click=generate>"Generate a temporary password"</button>
                </div>
            </form>
        </section>
    }
}

/// The one view of a new user's invitation, with a copy button.
#[component]
fn InvitationPanel(invitation: Invitation, on_close: impl Fn() + 'static) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    focus_after_render("invitation-h");
    // Until it is copied (or the panel closed), a link followed asks first, as for a new key.
    let store = use_store();
    store.shown_once.set(Some((copied, "the invitation")));
    on_cleanup(move || store.shown_once.set(None));
    // No link: the sandbox has no sign-in page to send the user to.
    let Invitation {
        username,
        access_level,
        temporary_password,
        ..
    } = &invitation;
    let text = format!(
        "To: {username}\nYou have been given access to the FlexPay portal as {}.\nUsername: {username}\nTemporary password: {temporary_password}\nSign in to the FlexPay portal with them; you will choose your own password when you first sign in.",
        access_level.label(),
    );
    let copy = storage::copy_on_click(text.clone(), copied);
    view! {
        <div class="key-panel" role="region" aria-labelledby="invitation-h">
            <h2 id="invitation-h" tabindex="-1">{format!("{} was added", invitation.name)}</h2>
            <p class="key-warning">
                <strong>"This invitation is shown once. "</strong>
                "The portal keeps only a hash of the temporary password; once you close this panel, leave the page or reload, it cannot be shown again. "
                "This sandbox has no sign-in page, so the invitation carries no link: send the user their username and temporary password."
            </p>
            <pre class="invitation" id="invitation-text">{text}</pre>
            <div class="actions">
                <button type="button" on:click=copy>"Copy the invitation"</button>
                " "
                <button type="button" class="secondary" on:click=move |_| on_close()>"I sent it, close"</button>
            </div>
            {storage::copy_status(copied, "the text")}
        </div>
    }
}
