use flexkit_core::card::{check_card_number, CardNumberCheck, MAX_CARD_NUMBER_LENGTH};
use flexkit_core::flexpay::test_cards::TEST_CARDS;
use leptos::prelude::*;

/// Card check: type a number and see brand, length, Luhn and validity computed live by the
/// core, exactly as the npm package computes them for a checkout field.
#[component]
pub fn CardCheckPage() -> impl IntoView {
    let (number, set_number) = signal(String::new());
    let check = Memo::new(move |_| number.with(|n| check_card_number(n)));

    view! {
        <section class="page">
            <h1>"Card check"</h1>
            <p class="lede">
                "Type a card number: the brand and validity update as you type, computed by the flexkit core."
            </p>
            <div class="field">
                <label for="card-number">"Card number"</label>
                <input
                    id="card-number"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength="40"
                    aria-describedby="card-verdict"
                    prop:value=number
                    on:input=move |ev| set_number.set(event_target_value(&ev))
                />
            </div>
            <div id="card-verdict" class="verdict" role="status" aria-live="polite">
                {move || check.with(|c| verdict_view(&number.read(), c))}
            </div>
            <h2>"FlexPay sandbox test cards"</h2>
            <p>"Pick one to fill the field."</p>
            <ul class="presets">
                {TEST_CARDS
                    .iter()
                    .map(|card| {
                        let n = card.number;
                        view! {
                            <li>
                                <button type="button" on:click=move |_| set_number.set(n.to_owned())>
                                    <span class="preset-brand">{card.brand.display_name()}</span>
                                    <code>{card.number}</code>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

fn verdict_view(input: &str, c: &CardNumberCheck) -> impl IntoView {
    let brand = match (c.brand, c.candidates.as_slice()) {
        (Some(b), _) => b.display_name().to_owned(),
        (None, []) => "Unknown".to_owned(),
        (None, many) if input.trim().is_empty() => format!("Any of {} brands", many.len()),
        (None, many) => many
            .iter()
            .map(|b| b.display_name())
            .collect::<Vec<_>>()
            .join(" or "),
    };
    // A length the brand issues whose checksum fails: most likely a digit typed wrong, though
    // a longer number of the brand may still follow (a Visa of 16 digits can grow to 19).
    let mistyped = c.length_valid && !c.luhn_valid;
    let (state, label) = if c.is_valid {
        ("valid", "Valid")
    } else if mistyped && c.is_potentially_valid {
        ("partial", "Check the digits")
    } else if c.is_potentially_valid {
        ("partial", "Incomplete")
    } else {
        ("invalid", "Invalid")
    };
    let longest = match c.brand {
        Some(b) => b.lengths().iter().copied().max(),
        None => c
            .candidates
            .iter()
            .flat_map(|b| b.lengths().iter().copied())
            .max(),
    };
    // The check stops at the first character that is neither a digit nor a separator.
    let stray = input.chars().find(|&ch| {
        !(ch.is_ascii_digit()
            || ch.is_whitespace()
            || matches!(ch, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
    });
    let length = if let Some(ch) = stray {
        format!("Not judged: “{ch}” is not a digit (spaces and dashes may separate the digits)")
    } else if c.length_valid {
        if mistyped {
            "Valid for brand, but the Luhn checksum fails: a digit may be mistyped"
        } else {
            "Valid for brand"
        }
        .to_owned()
    } else if c.digit_count > MAX_CARD_NUMBER_LENGTH
        || longest.is_some_and(|l| c.digit_count > usize::from(l))
    {
        "Too long".to_owned()
    } else if c.brand.is_none() && c.candidates.is_empty() {
        "Not judged: no brand issues numbers that start this way".to_owned()
    } else {
        "Not a complete number".to_owned()
    };
    view! {
        <dl class=format!("verdict-grid state-{state}")>
            <dt>"Brand"</dt>
            <dd data-field="brand">{brand}</dd>
            <dt>"Digits"</dt>
            <dd data-field="digits">{c.digit_count}</dd>
            <dt>"Luhn checksum"</dt>
            <dd data-field="luhn">{if c.luhn_valid { "Passes" } else { "Fails" }}</dd>
            <dt>"Length"</dt>
            <dd data-field="length">{length}</dd>
            <dt>"Verdict"</dt>
            <dd data-field="verdict"><span class=format!("badge badge-{state}")>{label}</span></dd>
        </dl>
    }
}
