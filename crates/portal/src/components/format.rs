//! How amounts, instants and response codes read on every page.

use flexkit_core::flexpay::response_code::{ResponseCategory, ResponseCode};
use flexkit_core::{Currency, Money, UtcTimestamp};
use leptos::prelude::*;

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

pub fn instant(at: UtcTimestamp) -> String {
    let iso = at.to_iso8601();
    let trimmed = iso.trim_end_matches('Z');
    let seconds = trimmed.split('.').next().unwrap_or(trimmed);
    format!("{} UTC", seconds.replacen('T', " ", 1))
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
