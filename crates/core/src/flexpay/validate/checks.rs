//! Field checks shared by the request validators.
//!
//! Every check works on borrowed data and builds a path or a message only once it has found a
//! problem, so validating a correct request allocates nothing. Each reports at most one
//! problem per field: the most basic one (missing, then wrong format, then out of range).

use crate::card::MIN_CARD_NUMBER_LENGTH;
use crate::card::{brand_of_digits, luhn_valid, CardBrand, MAX_CARD_NUMBER_LENGTH};
use crate::card_input;
use crate::flexpay::account::Environment;
use crate::flexpay::payment_method::{CreditCardDetails, GatewayPaymentMethodDetails};
use crate::flexpay::test_cards;
use crate::money::Currency;
use crate::time::{UtcTimestamp, ZoneDesignator};
use crate::validation::json::{joined, JS_MAX_SAFE_INTEGER};
use crate::validation::{code, Validation};

use super::limits;
use super::ValidationContext;

/// Problems go to `validation`, at `prefix.field`.
pub(super) struct At<'v> {
    validation: &'v mut Validation,
    /// JSON path of the object being checked; empty at the body's root.
    prefix: &'static str,
}

impl<'v> At<'v> {
    pub(super) fn new(validation: &'v mut Validation, prefix: &'static str) -> Self {
        At { validation, prefix }
    }

    /// The same validation, for the object at `prefix`.
    pub(super) fn within(&mut self, prefix: &'static str) -> At<'_> {
        At {
            validation: self.validation,
            prefix,
        }
    }

    pub(super) fn path(&self, field: &str) -> String {
        if self.prefix.is_empty() {
            field.to_owned()
        } else {
            let mut path = String::with_capacity(self.prefix.len() + 1 + field.len());
            path.push_str(self.prefix);
            path.push('.');
            path.push_str(field);
            path
        }
    }

    pub(super) fn error(&mut self, field: &str, code: &'static str, message: impl Into<String>) {
        let path = self.path(field);
        self.validation.error(path, code, message);
    }

    pub(super) fn warn(&mut self, field: &str, code: &'static str, message: impl Into<String>) {
        let path = self.path(field);
        self.validation.warn(path, code, message);
    }
}

/// Empty or only (Unicode) whitespace. A value that starts with a visible ASCII character,
/// as nearly every real one does, is answered without scanning it.
pub(super) fn blank(value: &str) -> bool {
    match value.as_bytes().first() {
        Some(b'!'..=b'~') => false,
        _ => value.trim().is_empty(),
    }
}

/// Absent, empty or only whitespace: FlexPay treats all three as not sent.
pub(super) fn is_blank(value: Option<&str>) -> bool {
    value.is_none_or(blank)
}

/// The value when it is set and not blank.
pub(super) fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !blank(v))
}

/// Characters beyond `max`, counted only when the byte length could exceed it.
fn length_over(value: &str, max: usize) -> Option<usize> {
    if value.len() <= max {
        return None;
    }
    let chars = char_count(value);
    (chars > max).then_some(chars)
}

/// Characters in `value`: its bytes that do not continue a character. (`chars().count()`
/// brings std's unrolled counter, ≈ 0.9 KB of the npm module, for texts of a few dozen bytes.)
fn char_count(value: &str) -> usize {
    value.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// Warns `too_long` over `max`; true, since the value stays usable for the checks that
/// follow (an address of 60 characters is still checked as an address). A warning, not an error:
/// FlexPay checks most of these lengths but publishes none of its limits (reference §10.5), so
/// [`limits`]' values are flexkit's, and a longer value (a 64-character SHA-256 id) may well
/// be accepted. The warning says so, and the request stays valid; for a field FlexPay has no
/// length code for (a company's name, a list query's `sinceTransactionId`) it says the limit
/// is flexkit's alone.
pub(super) fn within_length(at: &mut At<'_>, field: &str, value: &str, max: usize) -> bool {
    match length_over(value, max) {
        None => true,
        Some(chars) => {
            let why = if flexpay_checks_length(&at.path(field)) {
                "FlexPay checks its length but does not publish the limit, so it may refuse it"
            } else {
                "FlexPay publishes no limit for it, and longer values are unusual"
            };
            at.warn(
                field,
                code::TOO_LONG,
                format!(
                    "{field} is {chars} characters long, more than the {max} flexkit expects: \
                     {why}; shorten it if you can."
                ),
            );
            true
        }
    }
}

/// Whether FlexPay has a code for the length of the length-checked field at `path`
/// (reference §10.5), so it checks that length, though it publishes no limit. It has none for
/// the account objects' ids, names, codes and the company they name, the list query's cursor and the previous
/// transaction's details, whose limits are flexkit's alone. Held to the codes table of
/// `response_code` by `corpus::too_long_says_whether_flexpay_checks_the_length`.
pub(super) fn flexpay_checks_length(path: &str) -> bool {
    let mut segments = path.rsplit('.');
    let leaf = segments.next().unwrap_or(path);
    !(segments.next() == Some("PreviousTransaction")
        || matches!(
            leaf,
            "id" | "name" | "code" | "company" | "sinceTransactionId"
        ))
}

/// A field that must be set: `required` when blank, else `too_long` over `max`. `hint` says
/// what to send. True when the value is usable.
pub(super) fn required_text(
    at: &mut At<'_>,
    field: &str,
    value: &str,
    max: usize,
    hint: &str,
) -> bool {
    if blank(value) {
        at.error(
            field,
            code::REQUIRED,
            format!("{field} is missing or empty: {hint}."),
        );
        return false;
    }
    within_length(at, field, value, max)
}

/// An optional field: only its length is checked, and only when it is set.
pub(super) fn optional_text(at: &mut At<'_>, field: &str, value: Option<&str>, max: usize) {
    if let Some(value) = value {
        within_length(at, field, value, max);
    }
}

/// `merchantTransactionId` of any transaction request.
pub(super) fn merchant_transaction_id(at: &mut At<'_>, value: &str) {
    required_text(
        at,
        "merchantTransactionId",
        value,
        limits::MERCHANT_TRANSACTION_ID,
        "send a new unique id with every request, retries, captures, voids and refunds \
         included (FlexPay refuses a reused one with 50129)",
    );
}

/// An amount in minor units: above zero, and exact in JavaScript.
pub(super) fn amount(at: &mut At<'_>, field: &str, minor_units: i64) {
    if minor_units == 0 {
        at.error(
            field,
            code::ZERO_AMOUNT,
            format!(
                "{field} is 0; it must be above zero, in minor units (1050 is USD 10.50). \
                 Omit it where it is optional to use the full amount."
            ),
        );
    } else if minor_units < 0 {
        at.error(
            field,
            code::NEGATIVE_AMOUNT,
            format!(
                "{field} is {minor_units}; amounts are positive, refunds included: the kind of \
                 request says which way the money goes."
            ),
        );
    } else if minor_units > JS_MAX_SAFE_INTEGER {
        at.error(
            field,
            code::AMOUNT_OUT_OF_RANGE,
            format!(
                "{field} is {minor_units}; it must be at most {JS_MAX_SAFE_INTEGER} minor \
                 units, the largest integer JavaScript holds exactly."
            ),
        );
    }
}

/// A fee in minor units: zero or more, and exact in JavaScript.
pub(super) fn fee(at: &mut At<'_>, field: &str, minor_units: i64) {
    if minor_units < 0 {
        at.error(
            field,
            code::NEGATIVE_AMOUNT,
            format!("{field} is {minor_units}; a fee is zero or more minor units."),
        );
    } else if minor_units > JS_MAX_SAFE_INTEGER {
        at.error(
            field,
            code::AMOUNT_OUT_OF_RANGE,
            format!("{field} must be at most {JS_MAX_SAFE_INTEGER} minor units."),
        );
    }
}

/// A required ISO 4217 code; the currency when it is one.
pub(super) fn currency(at: &mut At<'_>, field: &str, value: &str) -> Option<Currency> {
    if blank(value) {
        at.error(
            field,
            code::REQUIRED,
            format!("{field} is missing or empty: send the ISO 4217 code, such as \"USD\"."),
        );
        return None;
    }
    match Currency::from_code(value) {
        Ok(currency) if currency.has_minor_unit() => Some(currency),
        // Gold, SDR, XTS, XXX and the other codes ISO gives no minor unit: units of account,
        // not currencies a payment is made in, and amounts are minor units.
        Ok(currency) => {
            at.error(
                field,
                code::UNKNOWN_CURRENCY,
                currency.without_minor_unit(value),
            );
            None
        }
        Err(unknown) => {
            let fix = match unknown.suggestion() {
                Some(currency) => format!(": use \"{currency}\""),
                None => String::new(),
            };
            if char_count(value) == 3 {
                let why = if unknown.suggestion().is_some() {
                    "codes are upper case"
                } else {
                    "use the code of an active currency, such as \"USD\", \"EUR\" or \"CAD\""
                };
                at.error(
                    field,
                    code::UNKNOWN_CURRENCY,
                    format!(
                        "\"{}\" is not an ISO 4217 currency code; {why}{fix}.",
                        unknown.given()
                    ),
                );
            } else {
                at.error(
                    field,
                    code::INVALID_FORMAT,
                    format!(
                        "{field} must be exactly three upper-case letters (ISO 4217), with \
                         nothing around them{fix}."
                    ),
                );
            }
            None
        }
    }
}

/// An ISO 8601 date-time in UTC that is not after `now` (with [`limits::CLOCK_SKEW_SECONDS`]
/// of tolerance).
pub(super) fn past_timestamp(at: &mut At<'_>, field: &str, value: &str, now: UtcTimestamp) {
    match UtcTimestamp::parse_iso8601_detailed(value) {
        Err(error) => at.error(
            field,
            code::INVALID_TIMESTAMP,
            format!("{field} is not an ISO 8601 date-time ({error})."),
        ),
        Ok((instant, ZoneDesignator::Offset { minutes })) if minutes != 0 => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let minutes = minutes.unsigned_abs();
            at.error(
                field,
                code::NOT_UTC,
                format!(
                    "{field} has the offset {sign}{:02}:{:02}; FlexPay times are UTC: send \
                     \"{instant}\".",
                    minutes / 60,
                    minutes % 60
                ),
            );
        }
        Ok((instant, zone)) => {
            let latest = now.checked_add_seconds(limits::CLOCK_SKEW_SECONDS);
            if latest.is_some_and(|latest| instant > latest) {
                at.error(
                    field,
                    code::INVALID_VALUE,
                    format!(
                        "{field} is {instant}, after now ({now}); it is the time of an attempt \
                         already made."
                    ),
                );
            } else if zone == ZoneDesignator::Unspecified {
                at.warn(
                    field,
                    code::NOT_UTC,
                    format!(
                        "{field} has no zone, so it is read as UTC; append \"Z\" to say so: \
                         \"{instant}\"."
                    ),
                );
            }
        }
    }
}

/// A two-letter upper-case country code.
/// The ISO 3166-1 alpha-2 codes, in order, two letters each: the 249 officially assigned
/// (Debian's iso-codes 4.15.0, `iso_3166-1.json`) and `XK`, which card networks use for Kosovo.
const COUNTRY_CODES: &str = concat!(
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCI",
    "CKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQ",
    "GRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLS",
    "LTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPG",
    "PHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTK",
    "TLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSXKYEYTZAZMZW",
);

fn is_country_code(code: &[u8]) -> bool {
    let codes = COUNTRY_CODES.as_bytes();
    let (mut low, mut high) = (0, codes.len() / 2);
    while low < high {
        let middle = (low + high) / 2;
        match codes[middle * 2..middle * 2 + 2].cmp(code) {
            core::cmp::Ordering::Less => low = middle + 1,
            core::cmp::Ordering::Greater => high = middle,
            core::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// The code meant by a well-known code of another list: `UK` and `EL`, the European Union's
/// codes for the United Kingdom and Greece.
fn country_hint(upper: &str) -> Option<&'static str> {
    match upper {
        "UK" => Some("the United Kingdom's is \"GB\""),
        "EL" => Some("Greece's is \"GR\""),
        _ => None,
    }
}

pub(super) fn country(at: &mut At<'_>, field: &str, value: &str) {
    let bytes = value.as_bytes();
    if bytes.len() == 2 && bytes.iter().all(u8::is_ascii_uppercase) {
        // Of the right shape, but no country's: a warning, as FlexPay publishes only that
        // the field is invalid (50039), not which codes it takes.
        if !is_country_code(bytes) {
            let hint = country_hint(value).unwrap_or("check it (\"US\", \"CA\", \"GB\", …)");
            at.warn(
                field,
                code::INVALID_VALUE,
                format!("\"{value}\" is no ISO 3166-1 country code; {hint}."),
            );
        }
        return;
    }
    let message = if bytes.len() == 2 && bytes.iter().all(u8::is_ascii_alphabetic) {
        let upper = value.to_ascii_uppercase();
        match country_hint(&upper) {
            Some(hint) if !is_country_code(upper.as_bytes()) => {
                format!("{field} must be an upper-case ISO 3166-1 code, and {hint}.")
            }
            _ => format!("{field} must be upper case: \"{upper}\"."),
        }
    } else if bytes.len() == 3 && bytes.iter().all(u8::is_ascii_alphabetic) {
        format!(
            "{field} must be the two-letter ISO 3166-1 code (\"US\", not \"USA\"), not a \
             three-letter one."
        )
    } else {
        format!("{field} must be a two-letter ISO 3166-1 code in upper case, such as \"US\".")
    };
    at.error(field, code::INVALID_FORMAT, message);
}

/// The shape every deliverable address has: one `@` with text before it, a domain of
/// non-empty dot-separated labels, no spaces or control characters. One pass over the bytes;
/// non-ASCII is allowed (internationalised addresses).
pub(crate) fn looks_like_email(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut at = None;
    let mut dots_after_at = 0usize;
    let mut previous = 0u8;
    for (index, &byte) in bytes.iter().enumerate() {
        match byte {
            b'@' if at.is_some() => return false,
            b'@' => at = Some(index),
            b'.' if at.is_some() => {
                // An empty label: "@.", ".." in the domain.
                if previous == b'.' || previous == b'@' {
                    return false;
                }
                dots_after_at += 1;
            }
            _ if byte.is_ascii_whitespace() || byte.is_ascii_control() => return false,
            _ => {}
        }
        previous = byte;
    }
    match at {
        Some(at) => (1..=64).contains(&at) && dots_after_at > 0 && previous != b'.',
        None => false,
    }
}

pub(super) fn email(at: &mut At<'_>, field: &str, value: &str) {
    if !within_length(at, field, value, limits::EMAIL) {
        return;
    }
    if !looks_like_email(value) {
        let trimmed = value.trim();
        let message = if trimmed != value && looks_like_email(trimmed) {
            format!("{field} has spaces around the address; send \"{trimmed}\" without them.")
        } else {
            format!(
                "{field} is not an email address; send one such as \"name@example.com\", or \
                 leave it out."
            )
        };
        at.error(field, code::INVALID_FORMAT, message);
    }
}

/// Phone numbers are written in too many ways to insist on one, so only characters that
/// never belong in one, or an implausible digit count, are reported, as a warning.
pub(super) fn phone(at: &mut At<'_>, field: &str, value: &str) {
    if !within_length(at, field, value, limits::PHONE_NUMBER) {
        return;
    }
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | 'x'));
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    if !allowed || !(5..=20).contains(&digits) {
        at.warn(
            field,
            code::INVALID_FORMAT,
            format!(
                "{field} does not look like a phone number; send digits with an optional \
                 leading \"+\", such as \"+1 503 555 0142\"."
            ),
        );
    }
}

pub(super) fn ip_address(at: &mut At<'_>, field: &str, value: &str) {
    if !within_length(at, field, value, limits::CUSTOMER_IP) {
        return;
    }
    if !is_ip_address(value) {
        at.error(
            field,
            code::INVALID_FORMAT,
            format!(
                "{field} must be an IPv4 or IPv6 address, such as \"203.0.113.7\" or \
                 \"2001:db8::7\", without a port or zone."
            ),
        );
    }
}

/// Whether `text` is an IPv4 or IPv6 address, exactly as `text.parse::<core::net::IpAddr>()`
/// decides (the test below holds the two together): four decimal octets without leading
/// zeros, or up to eight groups of 1 to 4 hex digits with at most one `::` and an optional
/// embedded IPv4 address at the end. Written out because std's parser costs about 2.4 KB of
/// WebAssembly.
pub(crate) fn is_ip_address(text: &str) -> bool {
    let b = text.as_bytes();
    ipv4_end(b, 0).or_else(|| ipv6_end(b, 0)) == Some(b.len())
}

/// The end of a number of 1 to `max_digits` digits at `at`, at most `max`.
fn number_end(b: &[u8], at: usize, hex: bool, max_digits: usize, max: u32) -> Option<usize> {
    let mut value = 0u32;
    let mut end = at;
    while let Some(digit) = b
        .get(end)
        .and_then(|&c| char::from(c).to_digit(if hex { 16 } else { 10 }))
    {
        value = value * if hex { 16 } else { 10 } + digit;
        end += 1;
        if end - at > max_digits {
            return None;
        }
    }
    let count = end - at;
    let zero_prefix = !hex && count > 1 && b[at] == b'0';
    (count > 0 && !zero_prefix && value <= max).then_some(end)
}

fn ipv4_end(b: &[u8], mut at: usize) -> Option<usize> {
    for octet in 0..4 {
        if octet > 0 {
            (b.get(at) == Some(&b'.')).then_some(())?;
            at += 1;
        }
        at = number_end(b, at, false, 3, 255)?;
    }
    Some(at)
}

/// Reads up to `limit` colon-separated groups at `at`, the last two possibly as an embedded
/// IPv4 address: (groups read, whether IPv4 ended them, where reading stopped).
fn ipv6_groups(b: &[u8], mut at: usize, limit: usize) -> (usize, bool, usize) {
    for i in 0..limit {
        let after_separator = if i == 0 {
            Some(at)
        } else {
            (b.get(at) == Some(&b':')).then_some(at + 1)
        };
        if i + 1 < limit {
            if let Some(end) = after_separator.and_then(|s| ipv4_end(b, s)) {
                return (i + 2, true, end);
            }
        }
        match after_separator.and_then(|s| number_end(b, s, true, 4, 0xFFFF)) {
            Some(end) => at = end,
            None => return (i, false, at),
        }
    }
    (limit, false, at)
}

fn ipv6_end(b: &[u8], at: usize) -> Option<usize> {
    let (head, head_ipv4, at) = ipv6_groups(b, at, 8);
    if head == 8 {
        return Some(at);
    }
    if head_ipv4 || b.get(at..at + 2) != Some(b"::") {
        return None;
    }
    Some(ipv6_groups(b, at + 2, 8 - (head + 1)).2)
}

/// Exactly `count` ASCII digits, when set.
pub(super) fn exact_digits(at: &mut At<'_>, field: &str, value: Option<&str>, count: usize) {
    let Some(value) = given(value) else {
        return;
    };
    if value.len() != count || !value.bytes().all(|b| b.is_ascii_digit()) {
        at.error(
            field,
            code::INVALID_FORMAT,
            format!("{field} must be exactly {count} digits."),
        );
    }
}

/// The card number; its brand when one can be told, even if the number is otherwise wrong
/// (the CVV check needs it). In the `sandbox`, a valid number other than the test cards is
/// warned about.
fn card_number(at: &mut At<'_>, number: &str, sandbox: bool) -> Option<CardBrand> {
    const FIELD: &str = "creditCardNumber";
    if blank(number) {
        at.error(
            FIELD,
            code::REQUIRED,
            "creditCardNumber is missing or empty: send the card number, digits only.",
        );
        return None;
    }
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        if number
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b' ' || b == b'-')
        {
            at.error(
                FIELD,
                code::INVALID_FORMAT,
                "creditCardNumber must be digits only: remove the spaces and dashes.",
            );
            // The digits still tell the brand, so the CVV is judged by it as it would be
            // once the separators are gone.
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            return brand_of_digits(&digits);
        }
        at.error(
            FIELD,
            code::INVALID_FORMAT,
            "creditCardNumber must be digits only (0-9).",
        );
        return None;
    }
    let digits = number.len();
    if !(MIN_CARD_NUMBER_LENGTH..=MAX_CARD_NUMBER_LENGTH).contains(&digits) {
        at.error(
            FIELD,
            code::INVALID_CARD_NUMBER,
            format!(
                "creditCardNumber has {digits} digits; card numbers have \
                 {MIN_CARD_NUMBER_LENGTH} to {MAX_CARD_NUMBER_LENGTH}."
            ),
        );
        return None;
    }
    let Some(brand) = brand_of_digits(number) else {
        at.error(
            FIELD,
            code::INVALID_CARD_NUMBER,
            "creditCardNumber starts with digits no card brand issues; check the number.",
        );
        return None;
    };
    if !brand.lengths().iter().any(|&l| usize::from(l) == digits) {
        let lengths: Vec<String> = brand.lengths().iter().map(u8::to_string).collect();
        at.error(
            FIELD,
            code::INVALID_CARD_NUMBER,
            format!(
                "creditCardNumber has {digits} digits, but {brand} numbers have {}; check for \
                 a missing or extra digit.",
                joined(&lengths, ", ")
            ),
        );
    } else if !luhn_valid(number) {
        at.error(
            FIELD,
            code::INVALID_LUHN,
            "creditCardNumber fails the Luhn checksum, so a digit is mistyped; check the number.",
        );
    } else if sandbox && test_cards::find(number).is_none() {
        // FlexPay's sandbox declines every number but its test cards with 30016 (reference
        // §15.2): a real card there is a test that cannot pass.
        at.warn(
            FIELD,
            code::NOT_A_TEST_CARD,
            "creditCardNumber is not a FlexPay sandbox test card, so the sandbox declines \
             payments with it (30016); use a test card such as 4920201996449560 (Visa).",
        );
    }
    Some(brand)
}

/// `MM`, 01 to 12.
pub(super) fn expiry_month(at: &mut At<'_>, value: &str) -> Option<u8> {
    const FIELD: &str = "expiryMonth";
    if blank(value) {
        at.error(
            FIELD,
            code::REQUIRED,
            "expiryMonth is missing or empty: send the card's expiry month as two digits, such \
             as \"07\".",
        );
        return None;
    }
    if let [tens @ b'0'..=b'1', ones @ b'0'..=b'9'] = *value.as_bytes() {
        let month = (tens - b'0') * 10 + (ones - b'0');
        if (1..=12).contains(&month) {
            return Some(month);
        }
    }
    let message = match *value.as_bytes() {
        [digit @ b'1'..=b'9'] => format!(
            "expiryMonth must be two digits: write \"0{}\".",
            char::from(digit)
        ),
        _ => "expiryMonth must be two digits from \"01\" to \"12\".".to_owned(),
    };
    at.error(FIELD, code::INVALID_FORMAT, message);
    None
}

/// `YYYY`.
pub(super) fn expiry_year(at: &mut At<'_>, value: &str) -> Option<i32> {
    const FIELD: &str = "expiryYear";
    if blank(value) {
        at.error(
            FIELD,
            code::REQUIRED,
            "expiryYear is missing or empty: send the card's expiry year as four digits, such \
             as \"2028\".",
        );
        return None;
    }
    let bytes = value.as_bytes();
    if bytes.len() == 4 && bytes.iter().all(u8::is_ascii_digit) {
        return Some(
            bytes
                .iter()
                .fold(0i32, |year, b| year * 10 + i32::from(b - b'0')),
        );
    }
    let message = if bytes.len() == 2 && bytes.iter().all(u8::is_ascii_digit) {
        format!("expiryYear must have four digits: write \"20{value}\".")
    } else {
        "expiryYear must be four digits, such as \"2028\".".to_owned()
    };
    at.error(FIELD, code::INVALID_FORMAT, message);
    None
}

/// How a card expiry in the past is reported.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PastExpiry {
    /// The card will be declined: an error.
    Error,
    /// The gateway may hold a renewed card under the same token: a warning.
    Warning,
}

/// Checks an expiry whose month and year are already known to be well-formed. A card is
/// valid through the last day of its expiry month, in UTC.
pub(super) fn expiry_date(
    at: &mut At<'_>,
    month: u8,
    year: i32,
    number: Option<&str>,
    past: PastExpiry,
    ctx: &ValidationContext,
) {
    let today = ctx.now.date();
    if (year, month) < (today.year(), today.month()) {
        let test_card = number.and_then(test_cards::find).is_some();
        // The sandbox's own test cards carry expiry dates long past (2021, then 2024), and the
        // sandbox accepts them.
        if test_card && ctx.environment == Environment::Sandbox {
            return;
        }
        let field = if year < today.year() {
            "expiryYear"
        } else {
            "expiryMonth"
        };
        let mut message = format!(
            "The card expired at the end of {month:02}/{year} (today is {today}); ask for a \
             current card or the card's new expiry date."
        );
        if test_card {
            message.push_str(
                " This is a FlexPay sandbox test card: it works only with a Sandbox API key.",
            );
        }
        match past {
            PastExpiry::Error => at.error(field, code::EXPIRED, message),
            PastExpiry::Warning => at.warn(field, code::EXPIRED, message),
        }
    } else if year > today.year().saturating_add(limits::EXPIRY_YEARS_AHEAD) {
        // Worded once, for the as-you-type check of the checkout too.
        at.warn(
            "expiryYear",
            card_input::FAR_AHEAD_CODE,
            card_input::far_ahead_message(year),
        );
    }
}

pub(super) fn cvv(at: &mut At<'_>, value: Option<&str>, brand: Option<CardBrand>) {
    // An empty CVV is how many forms send "none"; FlexPay treats it as not sent.
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return;
    };
    let digits = value.bytes().all(|b| b.is_ascii_digit());
    let length = value.len();
    let message = match brand {
        Some(brand) if !digits || length != usize::from(brand.cvv_length()) => format!(
            "cvv must be the {} digits printed on the card ({brand} cards have {}).",
            brand.cvv_length(),
            brand.cvv_length()
        ),
        None if !digits || !(3..=4).contains(&length) => {
            "cvv must be the 3 or 4 digits printed on the card.".to_owned()
        }
        _ => return,
    };
    at.error("cvv", code::INVALID_CVV, message);
}

/// The card holder and billing address, common to raw cards and gateway payment methods.
pub(super) struct Holder<'a> {
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub full_name: Option<&'a str>,
    pub address1: Option<&'a str>,
    pub address2: Option<&'a str>,
    pub postal_code: Option<&'a str>,
    pub city: Option<&'a str>,
    pub state: Option<&'a str>,
    pub country: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone_number: Option<&'a str>,
}

impl<'a> From<&'a CreditCardDetails> for Holder<'a> {
    fn from(card: &'a CreditCardDetails) -> Self {
        Holder {
            first_name: card.first_name.as_deref(),
            last_name: card.last_name.as_deref(),
            full_name: card.full_name.as_deref(),
            address1: card.address1.as_deref(),
            address2: card.address2.as_deref(),
            postal_code: card.postal_code.as_deref(),
            city: card.city.as_deref(),
            state: card.state.as_deref(),
            country: card.country.as_deref(),
            email: card.email.as_deref(),
            phone_number: card.phone_number.as_deref(),
        }
    }
}

impl<'a> From<&'a GatewayPaymentMethodDetails> for Holder<'a> {
    fn from(method: &'a GatewayPaymentMethodDetails) -> Self {
        Holder {
            first_name: method.first_name.as_deref(),
            last_name: method.last_name.as_deref(),
            full_name: method.full_name.as_deref(),
            address1: method.address1.as_deref(),
            address2: method.address2.as_deref(),
            postal_code: method.postal_code.as_deref(),
            city: method.city.as_deref(),
            state: method.state.as_deref(),
            country: method.country.as_deref(),
            email: method.email.as_deref(),
            phone_number: method.phone_number.as_deref(),
        }
    }
}

/// Name (`fullName`, or `firstName` and `lastName`: 50090), billing address (postal code,
/// city and state required, as the charge body definition has them), email and phone.
pub(super) fn holder(at: &mut At<'_>, holder: &Holder<'_>) {
    let first = given(holder.first_name);
    let last = given(holder.last_name);
    let full = given(holder.full_name);
    optional_text(at, "firstName", first, limits::NAME);
    optional_text(at, "lastName", last, limits::NAME);
    optional_text(at, "fullName", full, limits::FULL_NAME);
    if full.is_none() {
        match (first, last) {
            (Some(_), Some(_)) => {}
            (Some(_), None) => at.error(
                "lastName",
                code::REQUIRED,
                "lastName is missing: send it with firstName, or send the whole name as \
                 fullName.",
            ),
            (None, Some(_)) => at.error(
                "firstName",
                code::REQUIRED,
                "firstName is missing: send it with lastName, or send the whole name as \
                 fullName.",
            ),
            (None, None) => at.error(
                "fullName",
                code::REQUIRED,
                "The card holder's name is missing: send fullName, or firstName and lastName.",
            ),
        }
    }
    optional_text(at, "address1", holder.address1, limits::ADDRESS_LINE);
    optional_text(at, "address2", holder.address2, limits::ADDRESS_LINE);
    for (field, value, max, what) in [
        (
            "postalCode",
            holder.postal_code,
            limits::POSTAL_CODE,
            "the billing postal or ZIP code",
        ),
        ("city", holder.city, limits::CITY, "the billing city"),
        (
            "state",
            holder.state,
            limits::STATE,
            "the billing state, province or region",
        ),
    ] {
        match given(value) {
            Some(value) => {
                within_length(at, field, value, max);
            }
            None => at.error(
                field,
                code::REQUIRED,
                format!("{field} is missing or empty: send {what}."),
            ),
        }
    }
    if let Some(value) = given(holder.country) {
        country(at, "country", value);
    }
    if let Some(value) = given(holder.email) {
        email(at, "email", value);
    }
    if let Some(value) = given(holder.phone_number) {
        phone(at, "phoneNumber", value);
    }
}

/// A raw card: number, expiry, CVV, holder and billing address.
pub(super) fn credit_card(at: &mut At<'_>, card: &CreditCardDetails, ctx: &ValidationContext) {
    let brand = card_number(
        at,
        &card.credit_card_number,
        ctx.environment == Environment::Sandbox,
    );
    let month = expiry_month(at, &card.expiry_month);
    let year = expiry_year(at, &card.expiry_year);
    if let (Some(month), Some(year)) = (month, year) {
        expiry_date(
            at,
            month,
            year,
            Some(&card.credit_card_number),
            PastExpiry::Error,
            ctx,
        );
    }
    // The sandbox's CVV triggers are three digits, an American Express test card's CVV four:
    // with a test card in the Sandbox environment, a trigger is taken as it is.
    let trigger = card.cvv.as_deref().filter(|cvv| {
        ctx.environment == Environment::Sandbox
            && test_cards::CVV_TRIGGERS.contains(cvv)
            && test_cards::find(&card.credit_card_number).is_some()
    });
    if trigger.is_none() {
        cvv(at, card.cvv.as_deref(), brand);
    }
    optional_text(
        at,
        "merchantAccountReferenceId",
        card.merchant_account_reference_id.as_deref(),
        limits::MERCHANT_ACCOUNT_REFERENCE_ID,
    );
    holder(at, &Holder::from(card));
}

/// A card stored at the gateway: its token, optional card facts, holder and address.
pub(super) fn gateway_payment_method(
    at: &mut At<'_>,
    method: &GatewayPaymentMethodDetails,
    ctx: &ValidationContext,
) {
    required_text(
        at,
        "gatewayPaymentMethodId",
        &method.gateway_payment_method_id,
        limits::GATEWAY_PAYMENT_METHOD_ID,
        "send the gateway's own token for the card",
    );
    optional_text(
        at,
        "merchantAccountReferenceId",
        method.merchant_account_reference_id.as_deref(),
        limits::MERCHANT_ACCOUNT_REFERENCE_ID,
    );
    exact_digits(at, "firstSixDigits", method.first_six_digits.as_deref(), 6);
    exact_digits(at, "lastFourDigits", method.last_four_digits.as_deref(), 4);
    let month = given(method.expiry_month.as_deref());
    let year = given(method.expiry_year.as_deref());
    match (month, year) {
        (Some(month), Some(year)) => {
            let month = expiry_month(at, month);
            let year = expiry_year(at, year);
            if let (Some(month), Some(year)) = (month, year) {
                expiry_date(at, month, year, None, PastExpiry::Warning, ctx);
            }
        }
        (Some(_), None) => at.warn(
            "expiryYear",
            code::REQUIRED,
            "expiryMonth is sent without expiryYear; send both or neither.",
        ),
        (None, Some(_)) => at.warn(
            "expiryMonth",
            code::REQUIRED,
            "expiryYear is sent without expiryMonth; send both or neither.",
        ),
        (None, None) => {}
    }
    holder(at, &Holder::from(method));
}

#[cfg(test)]
mod tests {
    #[test]
    fn ip_addresses_are_read_exactly_as_std_reads_them() {
        use core::net::IpAddr;
        let agree = |text: &str| {
            assert_eq!(
                super::is_ip_address(text),
                text.parse::<IpAddr>().is_ok(),
                "{text:?}"
            );
        };
        // Every string of up to 5 characters over a small alphabet.
        let alphabet: Vec<char> = "0129aF:.g".chars().collect();
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let mut longer = Vec::new();
            for text in &texts {
                agree(text);
                for &c in &alphabet {
                    longer.push(format!("{text}{c}"));
                }
            }
            texts = longer;
        }
        texts.iter().for_each(|t| agree(t));
        // Known shapes and their one-character edits, deletions and doublings.
        let seeds = [
            "203.0.113.7",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "2001:db8::7",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4",
            "::ffff:192.0.2.128",
            "1::1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "fe80::1%eth0",
            "[::1]",
            "12345::",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "::1.2.3.4:5",
            "1.2.3.4::",
            "ABCD:ef01::0000:1",
            "203.0.113.7:8080",
            "１.2.3.4",
            "1.2.3.٤",
        ];
        let edits: Vec<char> = "0159afAF:.x ٣".chars().collect();
        for seed in seeds {
            agree(seed);
            let chars: Vec<char> = seed.chars().collect();
            for i in 0..=chars.len() {
                let (head, tail) = chars.split_at(i);
                let head: String = head.iter().collect();
                let tail: String = tail.iter().collect();
                if let Some(rest) = tail.get(1..) {
                    agree(&format!("{head}{rest}"));
                    agree(&format!("{head}{}{tail}", &tail[..1]));
                }
                for &c in &edits {
                    agree(&format!("{head}{c}{tail}"));
                    if let Some(rest) = tail.get(1..) {
                        agree(&format!("{head}{c}{rest}"));
                    }
                }
            }
        }
        // Pseudo-random strings over the characters addresses are made of.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let pool: Vec<char> = "0123456789abcdefABCDEF::::....".chars().collect();
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let mut s = state;
            let text: String = (0..len)
                .map(|_| {
                    s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    pool[((s >> 33) % pool.len() as u64) as usize]
                })
                .collect();
            agree(&text);
        }
        // Pseudo-random addresses built from groups: 0 to 9 groups of 0 to 5 hex digits, an
        // optional `::` somewhere and an optional IPv4 tail with octets of 1 to 4 digits.
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..200_000 {
            let groups = next(10);
            let gap = next(12);
            let mut text = String::new();
            for g in 0..groups {
                if g == gap {
                    text.push_str("::");
                } else if g > 0 {
                    text.push(':');
                }
                for _ in 0..next(6) {
                    text.push(char::from(b"0123456789abcdefABCDEF"[next(22) as usize]));
                }
            }
            if gap == groups {
                text.push_str("::");
            }
            if next(3) == 0 {
                if !text.is_empty() && !text.ends_with(':') {
                    text.push(':');
                }
                for octet in 0..4 {
                    if octet > 0 {
                        text.push('.');
                    }
                    let width = 1 + next(4);
                    let range = if next(4) == 0 { 1000 } else { 256 };
                    let value = next(range);
                    text.push_str(&format!("{value:0width$}", width = width as usize));
                }
            }
            agree(&text);
        }
    }

    use super::blank;

    #[test]
    fn blank_agrees_with_trim() {
        for value in [
            "",
            " ",
            "\t\n\r",
            "\u{b}",
            "\u{c}x",
            "\u{3000}",
            "\u{a0}",
            " a",
            "a",
            "~",
            "!",
            "é",
            "\u{b}\u{3000}",
            "x ",
        ] {
            assert_eq!(blank(value), value.trim().is_empty(), "{value:?}");
        }
        for byte in 0u8..=127 {
            let value = char::from(byte).to_string();
            assert_eq!(blank(&value), value.trim().is_empty(), "{byte}");
        }
    }
}
