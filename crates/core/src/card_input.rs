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

/// What a typed expiry date says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpiryCheck {
    /// The month, once it reads as 1–12.
    pub month: Option<u8>,
    /// The four-digit year (two typed digits mean 20YY), once complete.
    pub year: Option<i32>,
    /// The card is usable through the last day of its expiry month, in UTC.
    pub expired: bool,
    /// A complete, well-formed date not in the past and at most 20 years ahead.
    pub is_valid: bool,
    /// More typing can still make it valid (or it already is).
    pub is_potentially_valid: bool,
}

/// How far ahead an expiry date may lie; issuers print at most about ten years.
pub const MAX_YEARS_AHEAD: i32 = 20;

/// Checks an expiry month (`"1"`–`"12"`, `"01"`) and year (`"2031"` or `"31"`) as typed,
/// against `now`. An empty field is potentially valid.
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
    let parsed_year = match (year_digits, year.len()) {
        (true, 2) => Some(2000 + year.bytes().fold(0i32, |n, b| n * 10 + i32::from(b - b'0'))),
        (true, 4) => Some(year.bytes().fold(0i32, |n, b| n * 10 + i32::from(b - b'0'))),
        _ => None,
    };
    let year_in_range = |y: i32| y >= this_year && y <= this_year + MAX_YEARS_AHEAD;
    let year_potential = year_digits
        && match parsed_year {
            Some(y) => year_in_range(y),
            // One or three digits: a prefix of a year still to come may follow.
            None => {
                let prefix = year.bytes().fold(0i32, |n, b| n * 10 + i32::from(b - b'0'));
                match year.len() {
                    0 => true,
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
    ExpiryCheck {
        month: parsed_month,
        year: parsed_year,
        expired,
        is_valid,
        is_potentially_valid: is_valid || (!complete && month_potential && year_potential),
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
        assert!(check_expiry("03", "20", now()).year == Some(2020));
        assert!(!check_expiry("03", "20", now()).is_valid);
        assert!(check_expiry("03", "31", now()).is_valid);
        assert!(check_expiry("03", "203", now()).is_potentially_valid);
        assert!(!check_expiry("03", "199", now()).is_potentially_valid);
        assert!(!check_expiry("03", "2099", now()).is_valid);
        assert!(!check_expiry("x", "2030", now()).is_potentially_valid);
    }
}
