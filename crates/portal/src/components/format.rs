//! How amounts, instants and response codes read on every page.

use crate::state::Portal;
use flexkit_core::flexpay::response_code::{ResponseCategory, ResponseCode};
use flexkit_core::{Currency, Money, UtcTimestamp};
use leptos::prelude::*;

/// The `<option>`s of a currency picker: every ISO 4217 code with a minor unit (gold, SDR,
/// test and no-currency codes are not currencies payments are made in, and the core refuses
/// them), `current` selected.
pub fn currency_options(current: RwSignal<String>) -> impl IntoView {
    // Funds (USN, CLF, …) are units of account, not currencies cards are charged in; one
    // already chosen stays listed.
    Currency::all()
        .filter(|c| {
            c.has_minor_unit() && (!c.is_fund() || current.with_untracked(|v| v == c.code()))
        })
        .map(|c| {
            view! {
                <option value=c.code() selected=move || current.with(|v| v == c.code())>
                    {format!("{} — {}", c.code(), crate::storage::currency_name(c.code()))}
                </option>
            }
        })
        .collect_view()
}

/// `20.08 USD`; a bare number of minor units when the currency is unknown.
pub fn money(minor_units: i64, currency: Option<Currency>) -> String {
    match currency {
        Some(c) => Money::new(minor_units, c).to_string(),
        None => format!("{minor_units} (minor units)"),
    }
}

/// `2026-11-21 09:30:00 UTC`.
/// `count` and the noun, singular for one: "1 attempt", "2 attempts".
pub fn count(count: u32, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// How many a list holds and which of them its page shows: "1 transaction", "12
/// transactions", or "26–50 of 120 transactions" once it takes more than one page.
pub fn listed(first: u64, last: u64, total: u64, singular: &str, plural: &str) -> String {
    let all = count(u32::try_from(total).unwrap_or(u32::MAX), singular, plural);
    if first <= 1 && last >= total {
        all
    } else {
        format!("{first}–{last} of {all}")
    }
}

pub fn instant(at: UtcTimestamp) -> String {
    let iso = at.to_iso8601();
    let trimmed = iso.trim_end_matches('Z');
    let seconds = trimmed.split('.').next().unwrap_or(trimmed);
    format!("{} UTC", seconds.replacen('T', " ", 1))
}

/// `text` as a part of a file name: ASCII letters (lower case) and digits, any run of other
/// characters one `-`, none at either end (`Acme Widgets / EU` → `acme-widgets-eu`).
pub fn file_part(text: &str) -> String {
    let mut part = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            part.push(c.to_ascii_lowercase());
        } else if !part.is_empty() && !part.ends_with('-') {
            part.push('-');
        }
    }
    part.trim_end_matches('-').to_owned()
}

/// Whose and which mode's data a file holds, for its name: the header's company
/// (`acme-widgets`, or `all-companies`) and mode (`-sandbox`, `-production`).
pub fn scope_part(portal: &Portal) -> String {
    companies_part(portal, portal.settings.company.as_deref())
}

/// [`scope_part`] of `company` (`None`: all companies) rather than the header's, for a file
/// of what a page's own Company filter chose.
pub fn companies_part(portal: &Portal, company: Option<&str>) -> String {
    let owner = company.map_or("all-companies".to_owned(), |c| company_part(portal, c));
    format!(
        "{owner}-{}",
        file_part(crate::components::layout::mode_label(portal.settings.mode))
    )
}

/// A company in a file name: its name (`acme-widgets`), else its code when the name has
/// no letter or digit to keep; with its code after the name (`acme-widgets-acme02`) when
/// another company's name gives the same part, so two companies' files never share a name.
pub fn company_part(portal: &Portal, code: &str) -> String {
    let name = file_part(&portal.company_name(code));
    if name.is_empty() {
        return file_part(code);
    }
    let shared = portal
        .sandbox
        .companies()
        .iter()
        .any(|c| c.code != code && file_part(&c.name) == name);
    if shared {
        format!("{name}-{}", file_part(code))
    } else {
        name
    }
}

/// Short machine-free label and a class for a response category.
pub fn category_class(category: ResponseCategory) -> &'static str {
    match category {
        ResponseCategory::Approved => "approved",
        ResponseCategory::SoftDecline => "soft",
        ResponseCategory::HardDecline => "hard",
        ResponseCategory::Risk => "risk",
        ResponseCategory::ApiValidation => "validation",
        ResponseCategory::Unknown => "unknown",
    }
}

/// A response code with its category in words (never colour alone) and its meaning on hover.
#[component]
pub fn CodeBadge(code: ResponseCode) -> impl IntoView {
    let category = code.category();
    let meaning = code.meaning().unwrap_or("not in FlexPay's published list");
    view! {
        <span class=format!("code code-{}", category_class(category)) title=meaning>
            <span class="code-number">{code.to_string()}</span>
            " "
            <span class="code-category">{category.display_name()}</span>
        </span>
    }
}

/// The code's meaning, to write after its [`CodeBadge`] — or nothing where it would only
/// repeat the badge's category ("10000 Approved", not "10000 Approved approved").
pub fn meaning_beside_badge(code: ResponseCode) -> String {
    match code.meaning() {
        Some(m) if !m.eq_ignore_ascii_case(code.category().display_name()) => format!(" {m}"),
        _ => String::new(),
    }
}

/// What the Retry date fact says when the answer carries none: a rejected request (5xxxx)
/// is not an attempt, to fix and send again; anything else is not retried.
pub fn without_retry_date(code: ResponseCode) -> &'static str {
    if code.category() == ResponseCategory::ApiValidation {
        "none: the request was rejected, not attempted; fix it and send it again"
    } else {
        "none: do not retry"
    }
}

/// Goes to `to` within the portal, the page not scrolled: in place of the current history
/// entry when `replace`, else as a new one (what the pages' addresses of filters, searches
/// and periods are written with).
pub fn go_in_place(
    navigate: &dyn Fn(&str, leptos_router::NavigateOptions),
    to: &str,
    replace: bool,
) {
    navigate(
        to,
        leptos_router::NavigateOptions {
            replace,
            scroll: false,
            ..Default::default()
        },
    );
}

/// An address within the portal: `path` and a query of the `(key, value)` pairs whose value is
/// not empty, each value percent-encoded but for the characters `encodeURIComponent` keeps
/// too, so the router's query map reads back exactly the text given.
pub fn page_address<'a>(path: &str, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut url = String::from(path);
    let mut separator = '?';
    for (key, value) in pairs {
        if value.is_empty() {
            continue;
        }
        url.push(separator);
        separator = '&';
        url.push_str(key);
        url.push('=');
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                url.push(char::from(b));
            } else {
                url.push_str(&format!("%{b:02X}"));
            }
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::{company_part, file_part, listed};
    use crate::state::Portal;

    #[test]
    fn a_list_on_one_page_is_counted_and_a_longer_one_gives_the_page_range() {
        assert_eq!(
            listed(1, 1, 1, "transaction", "transactions"),
            "1 transaction"
        );
        assert_eq!(listed(1, 12, 12, "user", "users"), "12 users");
        assert_eq!(
            listed(26, 50, 120, "transaction", "transactions"),
            "26–50 of 120 transactions"
        );
        assert_eq!(
            listed(1, 25, 26, "capture", "captures"),
            "1–25 of 26 captures"
        );
    }

    #[test]
    fn a_file_part_keeps_letters_and_digits_and_joins_the_rest_with_one_dash() {
        assert_eq!(file_part("Default Company"), "default-company");
        assert_eq!(
            file_part(" Acme Widgets / EU: 2026 "),
            "acme-widgets-eu-2026"
        );
        assert_eq!(file_part("../etc\\passwd*?\"<>|"), "etc-passwd");
        assert_eq!(file_part("Café Łódź"), "caf-d");
        assert_eq!(file_part("株式会社"), "");
    }

    #[test]
    fn two_companies_of_one_name_get_file_names_of_their_own() {
        let mut portal = Portal::default();
        let now = flexkit_core::UtcTimestamp::parse_iso8601("2026-11-23T10:00:00Z").unwrap();
        for (name, code) in [
            ("Acme Widgets", "ACME01"),
            ("acme widgets!", "ACME02"),
            ("株式会社", "KK01"),
        ] {
            portal.sandbox.create_company(name, code, now).unwrap();
        }
        assert_eq!(company_part(&portal, "DEFAULT"), "default-company");
        assert_eq!(company_part(&portal, "ACME01"), "acme-widgets-acme01");
        assert_eq!(company_part(&portal, "ACME02"), "acme-widgets-acme02");
        assert_eq!(company_part(&portal, "KK01"), "kk01");
        // In the pages' text, the code follows a name another company has too. Two live
        // companies of one name come only from a state saved before the sandbox refused them.
        portal
            .sandbox
            .create_company("Acme Widgets 3", "ACME03", now)
            .unwrap();
        let saved = portal
            .sandbox
            .to_snapshot()
            .replace("\"Acme Widgets 3\"", "\"Acme Widgets\"");
        portal.sandbox = flexkit_core::flexpay::sandbox::Sandbox::from_snapshot(&saved).unwrap();
        assert_eq!(portal.company_label("DEFAULT"), "Default Company");
        assert_eq!(portal.company_label("ACME02"), "acme widgets!");
        assert_eq!(portal.company_label("ACME01"), "Acme Widgets (ACME01)");
        assert_eq!(portal.company_label("ACME03"), "Acme Widgets (ACME03)");
        assert_eq!(portal.company_label("GONE"), "GONE (deleted)");
    }
}
