//! A page's period kept in its address (the Reports' `?from=…&to=…`, the Dashboard's
//! `?days=…`): read from it whenever the address changes — a reload, Back and Forward, a link
//! — and written to it when the period is changed, in place of the page's history entry. A
//! value the address holds that cannot be read is named, not applied: the page uses its
//! default and says so.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

use crate::components::format::{go_in_place, page_address};

/// The router's `navigate`, kept for the handlers of the page's controls.
type Navigate = Box<dyn Fn(&str, NavigateOptions)>;

/// The address of one page (`path`): its period's values and the writing of new ones.
#[derive(Clone, Copy)]
pub struct PeriodAddress {
    path: &'static str,
    query: Memo<ParamsMap>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl PeriodAddress {
    pub fn new(path: &'static str) -> PeriodAddress {
        let navigate = use_navigate();
        PeriodAddress {
            path,
            query: use_query_map(),
            navigate: StoredValue::new_local(Box::new(navigate)),
        }
    }

    /// The value under `key` as `parse` reads it: `default` while the address holds none,
    /// and `default` with the text given when `parse` cannot read it.
    pub fn read<T>(
        self,
        key: &str,
        default: T,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> (T, Option<String>) {
        self.query.with(|q| match q.get(key) {
            None => (default, None),
            Some(text) => match parse(&text) {
                Some(value) => (value, None),
                None => (default, Some(text)),
            },
        })
    }

    /// The page's address with these `(key, value)` pairs (an empty value left out), in place
    /// of the current history entry, the page not scrolled.
    pub fn write(self, pairs: &[(&str, &str)]) {
        let address = page_address(self.path, pairs.iter().copied());
        self.navigate
            .with_value(|go| go_in_place(go, &address, true));
    }
}

/// A banner naming what the address held that is not applied, and `why`: `unread` gives each
/// value's label and the text not read (`None` for a value read or absent), as
/// `From “2026-13-45”`. Nothing while all were read. (A signal, not a closure, so the view
/// is compiled once for every page.)
pub fn period_dropped(
    why: &'static str,
    unread: Signal<Vec<(&'static str, Option<String>)>>,
) -> impl IntoView {
    move || {
        let dropped = unread
            .get()
            .into_iter()
            .filter_map(|(label, text)| Some(format!("{label} “{}”", text?)))
            .collect::<Vec<_>>();
        (!dropped.is_empty()).then(|| {
            view! {
                <p class="banner banner-warn" role="status" data-testid="period-dropped">
                    {format!("Not applied from the address, as {why}: {}.", dropped.join(", "))}
                </p>
            }
        })
    }
}
