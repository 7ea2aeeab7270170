//! Money as an integer count of minor units (cents, fils, yen) in an ISO 4217 currency.
//!
//! There is no floating point anywhere here: amounts are parsed from and formatted to decimal
//! strings digit by digit, and arithmetic is checked `i64` arithmetic that reports overflow
//! instead of wrapping.
//!
//! # Decimal syntax accepted by [`Money::parse`]
//!
//! An optional `-`, one or more ASCII digits, then optionally `.` and one or more ASCII digits:
//! `10.50`, `10.5`, `-3.00`, `1000`, `0.05`. Deliberately rejected, each with an error that says
//! what to change:
//!
//! - a leading `+`: amounts on the wire carry a sign only when negative (as in JSON), and a `+`
//!   usually means the value came from a place that also adds other decoration;
//! - a trailing or leading `.` (`10.`, `.5`): most often a truncated value;
//! - exponents (`1e3`), grouping separators (`1,000.00`), a decimal comma (`10,50`), spaces,
//!   non-ASCII digits (`１`), `NaN` and `Infinity`; a grouped amount or a decimal comma is
//!   quoted back corrected (`write "10.50", not "10,50"`).
//!
//! Leading zeros (`007.50`) are accepted: they cannot change the value. Fraction digits beyond
//! the currency's exponent are accepted only when they are zeros (`10.500` USD is exactly 1050
//! cents); any other digit there is [`MoneyError::NotMinorUnits`], because rounding money
//! silently is never right.

mod currency;

pub use currency::{Currency, UnknownCurrency, ISO_4217_PUBLICATION_DATE};

use core::fmt;

/// An amount of money: a whole number of minor units of one currency.
///
/// `Money::new(1050, Currency::USD)` is 10.50 USD; `Money::new(1000, Currency::JPY)` is 1000 JPY.
/// Amounts in different currencies never combine: arithmetic between them is
/// [`MoneyError::CurrencyMismatch`]. There is deliberately no `Ord`, since comparing amounts of
/// different currencies has no meaning.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Money {
    minor_units: i64,
    currency: Currency,
}

/// Why an amount string is not a decimal number [`Money::parse`] accepts.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum DecimalProblem {
    /// The string is empty.
    Empty,
    /// A minus sign with no digits after it.
    MissingDigits,
    /// Starts with `+`.
    LeadingPlus,
    /// Has `.` before any digit (`.5`, `-.5`).
    LeadingPoint,
    /// Ends with `.` (`10.`).
    TrailingPoint,
    /// Contains a space, tab or other whitespace.
    Whitespace,
    /// Uses `,` as the decimal point (`10,50`, `1.234,56`): digits, or digits grouped by `.`
    /// in threes, one `,` and 1 to 3 digits (3 only in a currency with 3 decimals: `1,000`
    /// USD is a thousand, grouped). `typed` holds the amount when it fits and reads in the
    /// currency with a `.` instead of the comma and no grouping, so the message can write it
    /// corrected.
    DecimalComma { typed: Option<TypedAmount> },
    /// Contains `,`, `_` or `'` used to group digits (`1,000.00`), or `.` used so in threes
    /// (`1.234.567`). `typed` holds the amount when it fits and reads in the currency without
    /// them, so the message can write it corrected.
    GroupingSeparator { typed: Option<TypedAmount> },
    /// Uses an exponent (`1e3`).
    Exponent,
    /// Contains a character that has no place in a decimal amount (a letter, a second `.`, a
    /// non-ASCII digit, …): `found`, at byte offset `at`. The message names the character,
    /// not the offset, which means little to a person or to JavaScript's UTF-16 strings.
    UnexpectedCharacter {
        /// Byte offset of the character in the input.
        at: usize,
        /// The character.
        found: char,
    },
}

/// An amount as it was typed, kept inline so [`Money::parse`] still never allocates: what a
/// message quotes to show the amount corrected.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct TypedAmount {
    bytes: [u8; TypedAmount::CAPACITY],
    len: u8,
}

impl TypedAmount {
    /// The longest amount kept, in bytes: every `i64` amount with grouping and a sign fits.
    pub const CAPACITY: usize = 40;

    fn new(text: &str) -> Option<TypedAmount> {
        let len = text.len();
        let mut bytes = [0; TypedAmount::CAPACITY];
        bytes.get_mut(..len)?.copy_from_slice(text.as_bytes());
        Some(TypedAmount {
            bytes,
            len: u8::try_from(len).ok()?,
        })
    }

    /// The amount as typed.
    pub fn as_str(&self) -> &str {
        self.bytes
            .get(..usize::from(self.len))
            .and_then(|bytes| core::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// The amount with a `.` for its decimal comma, or without its grouping separators
    /// (`,`, `_`, `'`), into `out`; its length. A `.` groups digits when the comma is the
    /// decimal point (see [`separator`]) or when it is the only separator and groups in
    /// threes.
    fn corrected(text: &str, decimal_comma: bool, out: &mut [u8; TypedAmount::CAPACITY]) -> usize {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let points_group = decimal_comma
            || (!digits.bytes().any(|b| matches!(b, b',' | b'_' | b'\''))
                && grouped_by_points(digits));
        let mut len = 0;
        for &byte in text.as_bytes() {
            let kept = match byte {
                b',' if decimal_comma => b'.',
                b',' | b'_' | b'\'' => continue,
                b'.' if points_group => continue,
                other => other,
            };
            if let Some(slot) = out.get_mut(len) {
                *slot = kept;
                len += 1;
            }
        }
        len
    }
}

/// Writes the corrected form of a typed amount (see [`TypedAmount::corrected`]).
struct Corrected<'a> {
    typed: &'a str,
    decimal_comma: bool,
}

impl fmt::Display for Corrected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = [0; TypedAmount::CAPACITY];
        let len = TypedAmount::corrected(self.typed, self.decimal_comma, &mut out);
        let text = out
            .get(..len)
            .and_then(|bytes| core::str::from_utf8(bytes).ok())
            .unwrap_or_default();
        f.write_str(text)
    }
}

/// Everything that can go wrong with money: parsing, arithmetic and currency lookup.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum MoneyError {
    /// The amount string is not a plain decimal number. Code `invalid_decimal`.
    InvalidDecimal(DecimalProblem),
    /// The amount has non-zero digits below the currency's minor unit (`10.505` USD).
    /// Code `not_minor_units`.
    NotMinorUnits {
        /// The currency whose exponent the amount exceeds.
        currency: Currency,
    },
    /// The amount, or the result of arithmetic, does not fit in `i64` minor units.
    /// Code `amount_overflow`.
    AmountOverflow {
        /// The currency of the amount.
        currency: Currency,
    },
    /// Arithmetic between amounts of two different currencies. Code `currency_mismatch`.
    CurrencyMismatch {
        /// Currency of the left operand.
        left: Currency,
        /// Currency of the right operand.
        right: Currency,
    },
    /// The currency code is not an active ISO 4217 code. Code `unknown_currency`.
    UnknownCurrency(UnknownCurrency),
}

impl MoneyError {
    /// Stable machine code: `invalid_decimal`, `not_minor_units`, `amount_overflow`,
    /// `currency_mismatch` or `unknown_currency`.
    pub fn code(&self) -> &'static str {
        match self {
            MoneyError::InvalidDecimal(_) => "invalid_decimal",
            MoneyError::NotMinorUnits { .. } => "not_minor_units",
            MoneyError::AmountOverflow { .. } => "amount_overflow",
            MoneyError::CurrencyMismatch { .. } => "currency_mismatch",
            MoneyError::UnknownCurrency(_) => "unknown_currency",
        }
    }
}

impl From<UnknownCurrency> for MoneyError {
    fn from(error: UnknownCurrency) -> MoneyError {
        MoneyError::UnknownCurrency(error)
    }
}

impl fmt::Display for DecimalProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecimalProblem::Empty => f.write_str("the amount is empty"),
            DecimalProblem::MissingDigits => f.write_str("the amount has no digits"),
            DecimalProblem::LeadingPlus => {
                f.write_str("the amount starts with \"+\"; leave the sign out for positive amounts")
            }
            DecimalProblem::LeadingPoint => f.write_str(
                "the amount has \".\" before any digit; write a digit before it, as in \"0.50\"",
            ),
            DecimalProblem::TrailingPoint => f.write_str(
                "the amount ends with \".\"; write the digits after it or drop the point",
            ),
            DecimalProblem::Whitespace => {
                f.write_str("the amount contains whitespace; remove all spaces")
            }
            DecimalProblem::DecimalComma { typed: Some(typed) } => write!(
                f,
                "the amount has a decimal comma; write \"{}\", not \"{}\"",
                Corrected {
                    typed: typed.as_str(),
                    decimal_comma: true
                },
                typed.as_str()
            ),
            DecimalProblem::DecimalComma { typed: None } => {
                f.write_str("the amount has a decimal comma; write \".\" as the decimal point")
            }
            DecimalProblem::GroupingSeparator { typed: Some(typed) } => write!(
                f,
                "the amount contains a digit-grouping separator; write \"{}\", not \"{}\"",
                Corrected {
                    typed: typed.as_str(),
                    decimal_comma: false
                },
                typed.as_str()
            ),
            DecimalProblem::GroupingSeparator { typed: None } => f.write_str(
                "the amount contains a digit-grouping separator (\",\", \"_\" or \"'\"); write \
                 the digits without it",
            ),
            DecimalProblem::Exponent => f.write_str(
                "the amount uses an exponent; write all digits out, as in \"1000\" for \"1e3\"",
            ),
            DecimalProblem::UnexpectedCharacter { found: '.', .. } => {
                f.write_str("the amount has a second \".\"")
            }
            DecimalProblem::UnexpectedCharacter { found: '-', .. } => {
                f.write_str("the amount has \"-\" after its first character")
            }
            DecimalProblem::UnexpectedCharacter { found, .. } => {
                f.write_str("the amount has ")?;
                currency::quoted(f, found.encode_utf8(&mut [0; 4]))?;
                f.write_str(", which is not a digit 0-9")
            }
        }
    }
}

/// Writes the largest magnitude a currency can hold, for overflow messages.
struct Bound {
    minor_units: i64,
    exponent: u8,
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_decimal(f, self.minor_units, self.exponent)
    }
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::InvalidDecimal(problem) => write!(
                f,
                "invalid amount: {problem}. Write a plain decimal number such as \"10.50\": \
                 digits 0-9 and at most one \".\""
            ),
            MoneyError::NotMinorUnits { currency } => match currency.exponent() {
                0 => write!(
                    f,
                    "amount has a fraction, but {currency} is counted in whole units: \
                     round it to a whole number before sending"
                ),
                1 => write!(
                    f,
                    "amount has more than 1 decimal place, but {currency} has 1: \
                     round it to 1 decimal place before sending"
                ),
                exponent => write!(
                    f,
                    "amount has more than {exponent} decimal places, but {currency} has \
                     {exponent}: round it to {exponent} decimal places before sending"
                ),
            },
            MoneyError::AmountOverflow { currency } => {
                let exponent = currency.exponent();
                write!(
                    f,
                    "amount out of range: {currency} amounts must lie between {} and {}; \
                     check the amount for extra digits",
                    Bound {
                        minor_units: i64::MIN,
                        exponent
                    },
                    Bound {
                        minor_units: i64::MAX,
                        exponent
                    },
                )
            }
            MoneyError::CurrencyMismatch { left, right } => write!(
                f,
                "cannot combine {left} and {right} amounts: convert one of them so both are in \
                 the same currency first"
            ),
            MoneyError::UnknownCurrency(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl std::error::Error for MoneyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MoneyError::UnknownCurrency(error) => Some(error),
            _ => None,
        }
    }
}

/// `10^exponent`; the build script caps exponents at 18, so this cannot overflow.
fn scale(exponent: u8) -> u64 {
    10u64.pow(u32::from(exponent))
}

/// Writes `minor_units` as an exact decimal with exactly `exponent` fractional digits.
fn write_decimal(out: &mut impl fmt::Write, minor_units: i64, exponent: u8) -> fmt::Result {
    let magnitude = minor_units.unsigned_abs();
    if minor_units < 0 {
        out.write_char('-')?;
    }
    if exponent == 0 {
        return write!(out, "{magnitude}");
    }
    let scale = scale(exponent);
    write!(
        out,
        "{}.{:0width$}",
        magnitude / scale,
        magnitude % scale,
        width = usize::from(exponent)
    )
}

/// Digits grouped by `.` in threes: `1.234`, `12.345.678`.
fn grouped_by_points(whole: &str) -> bool {
    let mut groups = whole.split('.');
    let first = groups.next().unwrap_or_default();
    let mut rest = 0;
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    for group in groups {
        if group.len() != 3 || !all_digits(group) {
            return false;
        }
        rest += 1;
    }
    rest > 0 && (1..=3).contains(&first.len()) && all_digits(first)
}

/// An amount written with other separators than a plain decimal's: a `,`, `_` or `'`
/// anywhere, or digits grouped by several `.`, or by one where `currency` has no minor unit.
/// Asked before answering that an amount has too many decimals or a second point, since
/// `1.234,56` and `1.234.567` are a grouped thousand, not an amount of a thousandth; and in
/// VND, CLP or JPY, `100.000` is a hundred thousand as such prices are written, never a
/// hundred with three decimals.
fn misread(amount: &str, currency: Currency) -> Option<DecimalProblem> {
    if amount.bytes().any(|b| matches!(b, b',' | b'_' | b'\'')) {
        return Some(separator(amount, currency));
    }
    let digits = amount.strip_prefix('-').unwrap_or(amount);
    ((currency.exponent() == 0 || digits.bytes().filter(|&b| b == b'.').count() > 1)
        && grouped_by_points(digits))
    .then(|| separator(amount, currency))
}

/// A `,`, `_` or `'` in `amount`, or digits grouped by `.`: a decimal comma (digits, or
/// digits grouped by `.`, one `,`, 1 to 3 digits; 3 only where `currency` has 3 decimals) or
/// digit grouping, with the amount kept to be written corrected when that reads in
/// `currency`.
fn separator(amount: &str, currency: Currency) -> DecimalProblem {
    let digits = amount.strip_prefix('-').unwrap_or(amount);
    let decimal_comma = match digits.split_once(',') {
        Some((whole, fraction)) => {
            let all_digits =
                |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            (all_digits(whole) || grouped_by_points(whole))
                && all_digits(fraction)
                && (fraction.len() <= 2 || (fraction.len() == 3 && currency.exponent() >= 3))
        }
        None => false,
    };
    // Each separator between two digits, as grouping (or a decimal comma) puts it.
    let bytes = amount.as_bytes();
    let between_digits = bytes.iter().enumerate().all(|(at, byte)| {
        !matches!(byte, b',' | b'_' | b'\'' | b'.')
            || (at > 0
                && bytes.get(at - 1).is_some_and(u8::is_ascii_digit)
                && bytes.get(at + 1).is_some_and(u8::is_ascii_digit))
    });
    let mut out = [0; TypedAmount::CAPACITY];
    let len = TypedAmount::corrected(amount, decimal_comma, &mut out);
    let reads = between_digits
        && amount.len() <= TypedAmount::CAPACITY
        && out
            .get(..len)
            .and_then(|bytes| core::str::from_utf8(bytes).ok())
            .is_some_and(|text| Money::parse(text, currency).is_ok());
    let typed = if reads {
        TypedAmount::new(amount)
    } else {
        None
    };
    if decimal_comma {
        DecimalProblem::DecimalComma { typed }
    } else {
        DecimalProblem::GroupingSeparator { typed }
    }
}

/// Names the problem with the first byte that is not part of a plain decimal.
fn classify(amount: &str, at: usize, currency: Currency) -> DecimalProblem {
    let bytes = amount.as_bytes();
    let unexpected = || DecimalProblem::UnexpectedCharacter {
        at,
        found: amount
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or(char::REPLACEMENT_CHARACTER),
    };
    match bytes.get(at) {
        Some(b'+') if at == 0 => DecimalProblem::LeadingPlus,
        Some(b'.') if at == usize::from(bytes.first() == Some(&b'-')) => {
            DecimalProblem::LeadingPoint
        }
        Some(b',' | b'_' | b'\'') => separator(amount, currency),
        Some(b'.') => misread(amount, currency).unwrap_or_else(unexpected),
        Some(b) if b.is_ascii_whitespace() => DecimalProblem::Whitespace,
        Some(b'e' | b'E') => {
            let digits_before = at > 0 && bytes.get(at - 1).is_some_and(u8::is_ascii_digit);
            if digits_before {
                DecimalProblem::Exponent
            } else {
                unexpected()
            }
        }
        _ => unexpected(),
    }
}

impl Money {
    /// An amount of `minor_units` (cents for USD, yen for JPY, fils for BHD).
    pub const fn new(minor_units: i64, currency: Currency) -> Money {
        Money {
            minor_units,
            currency,
        }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    /// The amount in minor units.
    pub const fn minor_units(self) -> i64 {
        self.minor_units
    }

    /// The currency.
    pub const fn currency(self) -> Currency {
        self.currency
    }

    /// Parses a decimal amount in `currency` (see the module docs for the exact syntax):
    /// `"10.50"` USD is 1050 cents, `"1000"` JPY is 1000 yen, `"-3.00"` USD is -300 cents.
    /// Never allocates.
    pub fn parse(amount: &str, currency: Currency) -> Result<Money, MoneyError> {
        let bytes = amount.as_bytes();
        if bytes.is_empty() {
            return Err(MoneyError::InvalidDecimal(DecimalProblem::Empty));
        }
        let negative = bytes.first() == Some(&b'-');
        let start = usize::from(negative);
        let exponent = currency.exponent();
        let overflow = MoneyError::AmountOverflow { currency };

        // Whole units and fraction digits are gathered as one magnitude in minor units; an
        // unsigned magnitude reaches 2^63, so i64::MIN parses like every other amount.
        let mut magnitude: u64 = 0;
        let mut integer_digits = 0usize;
        let mut fraction_digits = 0usize;
        let mut in_fraction = false;
        for (offset, &byte) in bytes.iter().enumerate().skip(start) {
            match byte {
                b'0'..=b'9' => {
                    let digit = u64::from(byte - b'0');
                    if !in_fraction {
                        integer_digits += 1;
                        magnitude = magnitude
                            .checked_mul(10)
                            .and_then(|m| m.checked_add(digit))
                            .ok_or(overflow)?;
                    } else if fraction_digits < usize::from(exponent) {
                        fraction_digits += 1;
                        magnitude = magnitude
                            .checked_mul(10)
                            .and_then(|m| m.checked_add(digit))
                            .ok_or(overflow)?;
                    } else if digit != 0 {
                        return Err(match misread(amount, currency) {
                            Some(problem) => MoneyError::InvalidDecimal(problem),
                            None => MoneyError::NotMinorUnits { currency },
                        });
                    } else {
                        // A zero below the minor unit leaves the value unchanged; only count
                        // it, so "10." and "10.0" stay distinguishable.
                        fraction_digits = fraction_digits.saturating_add(1);
                    }
                }
                b'.' if !in_fraction && integer_digits > 0 => in_fraction = true,
                _ => {
                    return Err(MoneyError::InvalidDecimal(classify(
                        amount, offset, currency,
                    )))
                }
            }
        }
        if integer_digits == 0 {
            return Err(MoneyError::InvalidDecimal(DecimalProblem::MissingDigits));
        }
        if in_fraction && fraction_digits == 0 {
            return Err(MoneyError::InvalidDecimal(DecimalProblem::TrailingPoint));
        }
        // Zeros after the point are no fraction, but `100.000` in a currency without a minor
        // unit is grouping all the same (see `misread`).
        if in_fraction && exponent == 0 {
            if let Some(problem) = misread(amount, currency) {
                return Err(MoneyError::InvalidDecimal(problem));
            }
        }
        // Fewer fraction digits than the exponent ("10.5" USD): scale up to minor units.
        let missing = usize::from(exponent).saturating_sub(fraction_digits);
        for _ in 0..missing {
            magnitude = magnitude.checked_mul(10).ok_or(overflow)?;
        }
        let minor_units = if negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        }
        .ok_or(overflow)?;
        Ok(Money::new(minor_units, currency))
    }

    /// The amount as an exact decimal string with exactly the currency's number of fraction
    /// digits: `"10.50"` USD, `"1000"` JPY, `"-0.05"` USD, `"1.000"` BHD. No currency code; see
    /// the `Display` impl for that. [`Money::parse`] reads it back to the same amount.
    pub fn format(self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = write_decimal(&mut out, self.minor_units, self.currency.exponent());
        out
    }

    /// Whether the amount is above zero.
    pub const fn is_positive(self) -> bool {
        self.minor_units > 0
    }

    /// Whether the amount is below zero.
    pub const fn is_negative(self) -> bool {
        self.minor_units < 0
    }

    /// Whether the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.minor_units == 0
    }

    fn same_currency(self, other: Money) -> Result<Currency, MoneyError> {
        if self.currency == other.currency {
            Ok(self.currency)
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `self + other`; both must be in the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        let currency = self.same_currency(other)?;
        self.minor_units
            .checked_add(other.minor_units)
            .map(|m| Money::new(m, currency))
            .ok_or(MoneyError::AmountOverflow { currency })
    }

    /// `self - other`; both must be in the same currency.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        let currency = self.same_currency(other)?;
        self.minor_units
            .checked_sub(other.minor_units)
            .map(|m| Money::new(m, currency))
            .ok_or(MoneyError::AmountOverflow { currency })
    }

    /// `-self` (a refund of a charge, say). Fails only for the most negative amount.
    pub fn checked_neg(self) -> Result<Money, MoneyError> {
        self.minor_units
            .checked_neg()
            .map(|m| Money::new(m, self.currency))
            .ok_or(MoneyError::AmountOverflow {
                currency: self.currency,
            })
    }

    /// `self × factor`, such as a unit price times a quantity.
    pub fn checked_mul(self, factor: i64) -> Result<Money, MoneyError> {
        self.minor_units
            .checked_mul(factor)
            .map(|m| Money::new(m, self.currency))
            .ok_or(MoneyError::AmountOverflow {
                currency: self.currency,
            })
    }
}

/// `10.50 USD`: the exact decimal amount, a space, the currency code.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_decimal(f, self.minor_units, self.currency.exponent())?;
        write!(f, " {}", self.currency)
    }
}

#[cfg(test)]
mod tests;
