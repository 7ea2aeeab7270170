//! `/flexiti/history`: the authorization and capture lists (`GET v2.5.1/authorizations` and
//! `captures`), filtered by store and creation date, paged. The filters are validated live by
//! the core's list-query rules (a reversed range is an error at the "to" date) and kept in the
//! address (`?store=…&from=…&to=…`), so a link or a reload shows the same lists.

use flexkit_core::flexiti::sandbox::{AuthorizationDetail, CaptureDetail, ListPage};
use flexkit_core::flexiti::{AuthorizationListQuery, CaptureListQuery, RequestBody};
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::{Map, Value};

use super::{
    place, renew_token_on_open, sync_address, Checks, FlexitiTabs, GeneralProblems,
    NeedsCredentials, TextField,
};
use crate::components::fields::keep_pager_focus;
use crate::components::format::{instant, listed};
use crate::store::use_store;

const PAGE_SIZE: u32 = 10;
const FILTER_FIELDS: [&str; 3] = [
    "external_location_id",
    "creation_date_from",
    "creation_date_to",
];

#[component]
pub fn FlexitiHistoryPage() -> impl IntoView {
    let store = use_store();
    renew_token_on_open(store);
    let [location, from, to] = std::array::from_fn(|_| RwSignal::new(String::new()));
    sync_address(
        "/flexiti/history",
        vec![("store", location), ("from", from), ("to", to)],
    );
    let auth_page = RwSignal::new(1u32);
    let capture_page = RwSignal::new(1u32);

    let filters = move |page: u32| {
        let mut map = Map::new();
        for (key, value) in [
            ("external_location_id", location),
            ("creation_date_from", from),
            ("creation_date_to", to),
        ] {
            let text = value.get().trim().to_owned();
            if !text.is_empty() {
                map.insert(key.to_owned(), Value::String(text));
            }
        }
        map.insert("page_number".into(), page.into());
        map.insert("page_size".into(), PAGE_SIZE.into());
        Value::Object(map).to_string()
    };
    let auth_query =
        Memo::new(move |_| AuthorizationListQuery::from_json(&filters(auth_page.get())));
    let capture_query =
        Memo::new(move |_| CaptureListQuery::from_json(&filters(capture_page.get())));
    let problems = Memo::new(move |_| match auth_query.get() {
        Err(validation) => place(&validation, &FILTER_FIELDS),
        Ok(_) => Vec::new(),
    });
    let checks = Checks::new(problems);
    // Why there is no list: the filters, or the settings (named by the portal's own error).
    let no_list = move || {
        if auth_query.with(Result::is_err) {
            return "Fix the filters marked above to see the list.".to_owned();
        }
        match store.portal.with(|p| p.flexiti_unavailable()) {
            Some(why) => format!("Nothing to show: {why}."),
            None => {
                "No usable access token yet: it is requested while the page is open.".to_owned()
            }
        }
    };
    // Any filter change starts both lists at their first page. A filter that is not empty
    // shows its problems, as a typed one does, also when the address gave it: a date field
    // shows nothing for text that is not a date, so its problem quotes what was refused.
    Effect::new(move |_| {
        for (key, value) in [
            ("external_location_id", location),
            ("creation_date_from", from),
            ("creation_date_to", to),
        ] {
            if value.with(|v| !v.trim().is_empty()) {
                checks.touch(key);
            }
        }
        auth_page.set(1);
        capture_page.set(1);
    });

    let authorizations = Memo::new(move |_| {
        let Ok((query, _)) = auth_query.get() else {
            return None;
        };
        let now = store.now();
        store
            .portal
            .with(|p| p.flexiti_read(now, |s, call| s.authorizations(call, &query)))
    });
    let captures = Memo::new(move |_| {
        let Ok((query, _)) = capture_query.get() else {
            return None;
        };
        let now = store.now();
        store
            .portal
            .with(|p| p.flexiti_read(now, |s, call| s.captures(call, &query)))
    });

    view! {
        <section class="page page-wide">
            <h1>"Flexiti history"</h1>
            <FlexitiTabs />
            <p class="lede">"Authorizations and captures of the TRAINING sandbox, per store and by creation date (UTC, inclusive)."</p>
            <NeedsCredentials />
            <form class="filters fx-filters" aria-label="Filter the history" on:submit=|ev| ev.prevent_default()>
                <TextField form="fx-history" key="external_location_id" label="Store ID" value=location checks=checks placeholder="any store" />
                <TextField form="fx-history" key="creation_date_from" label="From (UTC)" kind="date" value=from checks=checks />
                <TextField form="fx-history" key="creation_date_to" label="To (UTC)" kind="date" value=to checks=checks />
                <GeneralProblems checks=checks />
            </form>
            <h2 id="fx-auths-title">"Authorizations"</h2>
            {move || list_view(authorizations.get(), no_list(), auth_page, "authorizations", |items: Vec<AuthorizationDetail>| view! {
                <table class="data fx-table" aria-labelledby="fx-auths-title">
                    <thead><tr>
                        <th scope="col">"Authorization"</th><th scope="col">"Created"</th><th scope="col">"Store"</th>
                        <th scope="col">"Account"</th><th scope="col">"Type"</th><th scope="col">"Status"</th>
                        <th scope="col">"Amount"</th><th scope="col">"Captured"</th><th scope="col">"Released"</th><th scope="col">"Remaining"</th>
                    </tr></thead>
                    <tbody>
                        {items.into_iter().map(|a| view! {
                            <tr>
                                <td><A href=format!("/flexiti/terminal?authorization={}", a.authorization_id)><code>{a.authorization_id.to_string()}</code></A></td>
                                <td>{instant(a.creation_date)}</td>
                                <td class="fx-nowrap">{a.external_location_id.clone().unwrap_or_else(|| "—".to_owned())}</td>
                                <td><code>{a.account_number.to_string()}</code></td>
                                <td>{match a.transaction_type { flexkit_core::flexiti::PurchaseType::PromotionalPurchase => "Promotional", flexkit_core::flexiti::PurchaseType::RegularPurchase => "Regular" }}</td>
                                <td>{a.authorization_status.as_str()}</td>
                                <td class="num">{a.amount.to_string()}</td>
                                <td class="num">{a.captured_amount.to_string()}</td>
                                <td class="num">{a.released_amount.to_string()}</td>
                                <td class="num">{a.remaining_authorization_amount.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any())}
            <h2 id="fx-captures-title">"Captures"</h2>
            {move || list_view(captures.get(), no_list(), capture_page, "captures", |items: Vec<CaptureDetail>| view! {
                <table class="data fx-table" aria-labelledby="fx-captures-title">
                    <thead><tr>
                        <th scope="col">"Capture"</th><th scope="col">"Date"</th><th scope="col">"Store"</th>
                        <th scope="col">"Authorization"</th><th scope="col">"Account"</th>
                        <th scope="col">"Captured"</th><th scope="col">"Returned"</th><th scope="col">"Refunded"</th><th scope="col">"Remaining"</th>
                    </tr></thead>
                    <tbody>
                        {items.into_iter().map(|c| view! {
                            <tr>
                                <td><code>{c.capture_id.to_string()}</code></td>
                                <td>{instant(c.date)}</td>
                                <td class="fx-nowrap">{c.external_location_id.clone().unwrap_or_else(|| "—".to_owned())}</td>
                                <td><A href=format!("/flexiti/terminal?authorization={}", c.authorization_id)><code>{c.authorization_id.to_string()}</code></A></td>
                                <td><code>{c.account_number.to_string()}</code></td>
                                <td class="num">{c.amount.to_string()}</td>
                                <td class="num">{c.returned_amount.to_string()}</td>
                                <td class="num">{c.refunded_amount.to_string()}</td>
                                <td class="num">{c.remaining_capture_amount.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any())}
        </section>
    }
}

/// A page of a list with its count and pager, or why there is none (`none`, when no call
/// could be made).
fn list_view<T: Clone + 'static>(
    answer: Option<Result<ListPage<T>, flexkit_core::flexiti::ApiError>>,
    none: String,
    page: RwSignal<u32>,
    noun: &'static str,
    table: impl FnOnce(Vec<T>) -> AnyView,
) -> AnyView {
    match answer {
        None => view! { <p class="muted" data-testid=format!("{noun}-none")>{none}</p> }.into_any(),
        Some(Err(error)) => view! {
            <p class="banner banner-error" role="alert">{format!("{} {}: {}", error.status, error.code(), error.message)}</p>
        }
        .into_any(),
        Some(Ok(list)) if list.total_count == 0 => {
            view! { <p class="empty" role="status" data-testid=format!("{noun}-count")>{format!("No {noun} match.")}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let first = u64::from(list.page_number - 1) * u64::from(list.page_size) + 1;
            let last = (first + list.items.len() as u64).saturating_sub(1);
            let pages = list.total_pages.max(1);
            let number = list.page_number;
            // The pager is drawn anew with the page: the focus follows the button pressed.
            let (previous, next) = match noun {
                "captures" => ("fx-captures-previous", "fx-captures-next"),
                _ => ("fx-authorizations-previous", "fx-authorizations-next"),
            };
            view! {
                <p class="count" role="status" data-testid=format!("{noun}-count")>{listed(first, last, list.total_count, noun.strip_suffix('s').unwrap_or(noun), noun)}</p>
                <div class="table-scroll">{table(list.items)}</div>
                <nav class="pager" aria-label=format!("Pages of {noun}")>
                    <button type="button" id=previous disabled={number <= 1} on:click=move |_| {
                        page.update(|p| *p = p.saturating_sub(1).max(1));
                        keep_pager_focus(previous, next);
                    }>"Previous page"</button>
                    <span>{format!("Page {number} of {pages}")}</span>
                    <button type="button" id=next disabled={u64::from(number) >= pages} on:click=move |_| {
                        page.update(|p| *p += 1);
                        keep_pager_focus(next, previous);
                    }>"Next page"</button>
                </nav>
            }
            .into_any()
        }
    }
}
