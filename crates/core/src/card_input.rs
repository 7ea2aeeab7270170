//! As-you-type checks of the card fields next to the number: the security code (CVV) and the
//! expiry date. Each answers like [`crate::card::check_card_number`]: `is_valid` for a complete
//! value, `is_potentially_valid` while more typing can still make it valid. Nothing here
//! allocates or panics, whatever the input.

use crate::card::CardBrand;
use crate::time::UtcTimestamp;

/// What a typed security code says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CvvCheck {
    /// Digits the code must have: the brand's, or 3 when no brand is known yet (any of 3 or 4
    /// is then accepted).
    pub expected_length: u8,
    pub is_valid: bool,
    pub is_potentially_valid: bool,
}

/// Checks a CVV as typed. Without a brand, 3 or 4 digits are valid (the brand decides later).
pub fn check_cvv(input: &str, brand: Option<CardBrand>) -> CvvCheck {
    let digits_only = input.bytes().all(|b| b.is_ascii_digit());
    let len = input.len();
    let (expected, valid_lengths): (u8, &[usize]) = match brand {
        Some(b) if b.cvv_length() == 4 => (4, &[4]),
        Some(b) => (b.cvv_length(), &[3]),
        None => (3, &[3, 4]),
    };
    let max = valid_lengths.iter().copied().max().unwrap_or(4);
    CvvCheck {
        expected_length: expected,
        is_valid: digits_only && valid_lengths.contains(&len),
        is_potentially_valid: digits_only && len <= max,
    }
}

/// What a typed expiry date says: the verdict the charge validator gives the same date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpiryCheck {
    /// The month, once it reads as 1–12.
    pub month: Option<u8>,
    /// The four-digit year (two typed digits mean 20YY, but the century's own "20" is a
    /// year still being typed), once complete.
    pub year: Option<i32>,
    /// The card is usable through the last day of its expiry month, in UTC.
    pub expired: bool,
    /// A complete, well-formed date not in the past.
    pub is_valid: bool,
    /// More typing can still make it valid (or it already is).
    pub is_potentially_valid: bool,
    /// The year is more than [`MAX_YEARS_AHEAD`] years away: still valid, as the validators
    /// judge it, but worth a second look ([`far_ahead_message`] words it).
    pub far_ahead: bool,
}

/// How far ahead an expiry year may lie before it is worth a warning; issuers print at most
/// about ten years. The validators' limit too.
pub const MAX_YEARS_AHEAD: i32 = crate::flexpay::validate::limits::EXPIRY_YEARS_AHEAD;

/// The warning code of an expiry year more than [`MAX_YEARS_AHEAD`] years away, the
/// validators' too.
pub const FAR_AHEAD_CODE: &str = crate::validation::code::INVALID_VALUE;

/// The warning about an expiry year more than [`MAX_YEARS_AHEAD`] years away, worded once for
/// the as-you-type check and the validators.
pub fn far_ahead_message(year: i32) -> String {
    format!(
        "expiryYear {year} is more than {MAX_YEARS_AHEAD} years away; cards are issued for about \
         ten years, so check it."
    )
}

/// Checks an expiry month (`"1"`–`"12"`, `"01"`) and year (`"2031"` or `"31"`) as typed,
/// against `now`. An empty field is potentially valid, and so is a year typed as the
/// century's two digits (`"20"`), the start of a four-digit year (not complete, not expired).
pub fn check_expiry(month: &str, year: &str, now: UtcTimestamp) -> ExpiryCheck {
    let today = now.date();
    let (this_year, this_month) = (today.year(), today.month());

    let month_digits = month.len() <= 2 && month.bytes().all(|b| b.is_ascii_digit());
    let month_value = if month_digits && !month.is_empty() {
        month.bytes().fold(0u8, |n, b| n * 10 + (b - b'0'))
    } else {
        0
    };
    let parsed_month = (1..=12).contains(&month_value).then_some(month_value);
    let month_potential = month_digits
        && (month.is_empty() || parsed_month.is_some() || (month.len() == 1 && month_value <= 1));

    let year_digits = year.len() <= 4 && year.bytes().all(|b| b.is_ascii_digit());
    let two_digits = year.bytes().fold(0i32, |n, b| n * 10 + i32::from(b - b'0'));
    let parsed_year = match (year_digits, year.len()) {
        // The century's digits ("20") are also how a four-digit year begins: not complete yet.
        (true, 2) if two_digits == this_year / 100 => None,
        (true, 2) => Some(2000 + two_digits),
        (true, 4) => Some(year.bytes().fold(0i32, |n, b| n * 10 + i32::from(b - b'0'))),
        _ => None,
    };
    // Any year still to come is valid, as the validators take it; one far ahead is warned of.
    let year_in_range = |y: i32| y >= this_year;
    let year_potential = year_digits
        && match parsed_year {
            Some(y) => year_in_range(y),
            // One or three digits: a prefix of a year still to come may follow.
            None => {
                let prefix = year.bytes().fold(0i32, |n, b| n * 10 + i32::from(b - b'0'));
                match year.len() {
                    0 | 2 => true,
                    1 => {
                        prefix == 2
                            || (prefix * 10..prefix * 10 + 10).any(|y| year_in_range(2000 + y))
                    }
                    _ => (prefix * 10..prefix * 10 + 10).any(year_in_range),
                }
            }
        };

    let expired = match (parsed_month, parsed_year) {
        (Some(m), Some(y)) => (y, m) < (this_year, this_month),
        _ => false,
    };
    let complete = parsed_month.is_some() && parsed_year.is_some();
    let is_valid = complete && !expired && parsed_year.is_some_and(year_in_range);
    // The months the field may still end as: a lone "1" is January or the start of 10-12, a
    // lone "0" the start of 01-09. Once the year is complete, one of them must not be past.
    let may_become = |m: u8| match (month.len(), month_value) {
        (0, _) => true,
        (1, 0) => m <= 9,
        (1, 1) => m == 1 || m >= 10,
        _ => m == month_value,
    };
    let some_month_to_come = parsed_year.is_none_or(|y| {
        (1..=12)
            .filter(|&m| may_become(m))
            .any(|m| (y, m) >= (this_year, this_month))
    });
    ExpiryCheck {
        month: parsed_month,
        year: parsed_year,
        expired,
        is_valid,
        is_potentially_valid: is_valid || (month_potential && year_potential && some_month_to_come),
        far_ahead: parsed_year.is_some_and(|y| y > this_year.saturating_add(MAX_YEARS_AHEAD)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> UtcTimestamp {
        UtcTimestamp::parse_iso8601("2026-11-21T10:00:00Z").unwrap()
    }

    #[test]
    fn cvv_by_brand() {
        assert!(check_cvv("123", Some(CardBrand::Visa)).is_valid);
        assert!(!check_cvv("1234", Some(CardBrand::Visa)).is_valid);
        assert!(!check_cvv("1234", Some(CardBrand::Visa)).is_potentially_valid);
        assert!(check_cvv("1234", Some(CardBrand::AmericanExpress)).is_valid);
        assert!(check_cvv("123", Some(CardBrand::AmericanExpress)).is_potentially_valid);
        assert!(!check_cvv("123", Some(CardBrand::AmericanExpress)).is_valid);
        assert!(check_cvv("1234", None).is_valid);
        assert!(check_cvv("", None).is_potentially_valid);
        assert!(!check_cvv("12a", None).is_potentially_valid);
    }

    #[test]
    fn expiry_as_typed() {
        let c = check_expiry("12", "2026", now());
        assert!(c.is_valid && !c.expired);
        let c = check_expiry("10", "2026", now());
        assert!(c.expired && !c.is_valid && !c.is_potentially_valid);
        assert!(check_expiry("1", "", now()).is_potentially_valid);
        assert!(check_expiry("", "", now()).is_potentially_valid);
        assert!(!check_expiry("13", "", now()).is_potentially_valid);
        assert!(check_expiry("03", "2", now()).is_potentially_valid);
        // "20" may be 2020 or the start of 2031: not valid, but more typing can make it so.
        let c = check_expiry("03", "20", now());
        assert!(c.year.is_none() && !c.is_valid && !c.expired && c.is_potentially_valid);
        let c = check_expiry("03", "19", now());
        assert!(c.year == Some(2019) && c.expired && !c.is_potentially_valid);
        assert!(!check_expiry("03", "25", now()).is_potentially_valid);
        assert!(check_expiry("03", "31", now()).is_valid);
        assert!(check_expiry("03", "203", now()).is_potentially_valid);
        assert!(!check_expiry("03", "199", now()).is_potentially_valid);
        assert!(!check_expiry("x", "2030", now()).is_potentially_valid);
    }

    #[test]
    fn a_month_still_being_typed_is_judged_by_the_months_it_may_become() {
        // November 2026: "1" may become 11 or 12, still to come; "0" only 01-09, all past.
        let c = check_expiry("1", "26", now());
        assert!(!c.is_valid && c.is_potentially_valid, "{c:?}");
        let c = check_expiry("0", "26", now());
        assert!(!c.is_valid && !c.is_potentially_valid, "{c:?}");
        assert!(check_expiry("0", "27", now()).is_potentially_valid);
        assert!(check_expiry("1", "27", now()).is_valid);
        assert!(check_expiry("", "26", now()).is_potentially_valid);
        assert!(!check_expiry("", "25", now()).is_potentially_valid);
        assert!(!check_expiry("9", "26", now()).is_potentially_valid);
        assert!(check_expiry("1", "2", now()).is_potentially_valid);
        // In December only 12 is left of 2026.
        let december = UtcTimestamp::parse_iso8601("2026-12-01T00:00:00Z").unwrap();
        assert!(check_expiry("1", "26", december).is_potentially_valid);
        assert!(!check_expiry("11", "26", december).is_potentially_valid);
        let january = UtcTimestamp::parse_iso8601("2027-01-31T23:59:59Z").unwrap();
        assert!(check_expiry("1", "27", january).is_valid);
        assert!(check_expiry("0", "27", january).is_potentially_valid);
    }

    #[test]
    fn an_expiry_far_ahead_is_valid_with_the_validators_warning() {
        let within = check_expiry("12", "2046", now());
        assert!(within.is_valid && !within.far_ahead);
        for (month, year) in [("12", "2047"), ("03", "2099"), ("01", "47"), ("06", "3000")] {
            let c = check_expiry(month, year, now());
            assert!(
                c.is_valid && c.is_potentially_valid && c.far_ahead,
                "{month}/{year}"
            );
            assert!(!c.expired);
        }
        // Typing towards such a year stays potentially valid.
        assert!(check_expiry("12", "9", now()).is_potentially_valid);
        assert!(check_expiry("12", "209", now()).is_potentially_valid);
        assert_eq!(
            far_ahead_message(2047),
            "expiryYear 2047 is more than 20 years away; cards are issued for about ten years, \
             so check it."
        );
    }

    /// The check agrees with the charge validator on every date: valid exactly when the
    /// validator reports no expiry error (outside the sandbox), far ahead exactly when it
    /// warns, with the same code and message.
    #[test]
    fn the_verdict_is_the_charge_validators() {
        use crate::flexpay::account::Environment;
        use crate::flexpay::payment_method::CreditCardDetails;
        use crate::flexpay::transaction::ChargeRequest;
        use crate::flexpay::validate::{validate_charge, ValidationContext};
        let now = now();
        let ctx = ValidationContext::new(now, Environment::Production);
        for year in 2020..=2060 {
            for month in 1..=12u8 {
                let (m, y) = (format!("{month:02}"), year.to_string());
                let check = check_expiry(&m, &y, now);
                let card = CreditCardDetails {
                    first_name: Some("Avery".into()),
                    last_name: Some("Quinn".into()),
                    postal_code: Some("97205".into()),
                    city: Some("Portland".into()),
                    state: Some("OR".into()),
                    ..CreditCardDetails::new("4111111111111111", m.as_str(), y.as_str())
                };
                let request = ChargeRequest::with_card("m-1", "o-1", "USD", 2008, card);
                let result = validate_charge(&request, &ctx);
                let at_expiry = |p: &&crate::validation::Problem| {
                    p.path.ends_with("expiryYear") || p.path.ends_with("expiryMonth")
                };
                let errors: Vec<_> = result.errors().filter(at_expiry).collect();
                let warnings: Vec<_> = result.warnings().filter(at_expiry).collect();
                assert_eq!(check.is_valid, errors.is_empty(), "{m}/{y}: {errors:?}");
                assert_eq!(
                    check.far_ahead,
                    !warnings.is_empty(),
                    "{m}/{y}: {warnings:?}"
                );
                if check.far_ahead {
                    assert_eq!(warnings[0].code, FAR_AHEAD_CODE);
                    assert_eq!(warnings[0].message, far_ahead_message(year));
                }
            }
        }
    }
}
