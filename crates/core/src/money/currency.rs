//! ISO 4217 currencies: every code on list one, with its numeric code, minor-unit exponent and
//! English name.
//!
//! The table lives in `data/iso4217.tsv` (one file to update when ISO publishes an amendment);
//! the build script turns it into a static array sorted by code, so a lookup is a binary search
//! over static data and never allocates.
//!
//! Codes for which ISO publishes no minor unit ("N.A.": gold, SDR, XTS, XXX, …) are kept, with
//! an exponent of 0: amounts in them are counted in whole units, and
//! [`Currency::has_minor_unit`] tells them apart from currencies whose minor unit really is 0.

use core::fmt::{self, Write as _};
use core::str::FromStr;

/// One row of the generated table.
struct Entry {
    /// The code as bytes, the binary search key.
    key: [u8; 3],
    code: &'static str,
    numeric: u16,
    exponent: u8,
    has_minor_unit: bool,
}

include!(concat!(env!("OUT_DIR"), "/iso4217_table.rs"));

/// Publication date (`YYYY-MM-DD`) of the ISO 4217 list one the currency table follows.
pub const ISO_4217_PUBLICATION_DATE: &str = PUBLICATION_DATE;

/// An active ISO 4217 currency (list one), such as `USD` or `JPY`.
///
/// Ordered by alphabetic code. Serialized as the code string (`"USD"`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(
    /// Index into `TABLE`. Only ever built from a position inside the table, so indexing with it
    /// cannot fail.
    u16,
);

/// Binary search usable in constant context, so that the named constants below are checked
/// against the data file at compile time.
const fn find(key: [u8; 3]) -> Option<Currency> {
    let mut low = 0usize;
    let mut high = TABLE.len();
    while low < high {
        let mid = low + (high - low) / 2;
        let probe = TABLE[mid].key;
        let ordering = compare_keys(probe, key);
        if ordering < 0 {
            low = mid + 1;
        } else if ordering > 0 {
            high = mid;
        } else {
            // The build script guarantees the table has at most u16::MAX rows.
            return Some(Currency(mid as u16));
        }
    }
    None
}

const fn compare_keys(a: [u8; 3], b: [u8; 3]) -> i8 {
    let mut i = 0;
    while i < 3 {
        if a[i] < b[i] {
            return -1;
        }
        if a[i] > b[i] {
            return 1;
        }
        i += 1;
    }
    0
}

/// For the named constants: a code missing from the data file must fail the build, not a
/// payment.
const fn known(code: &[u8; 3]) -> Currency {
    match find(*code) {
        Some(currency) => currency,
        None => panic!("a named Currency constant is missing from data/iso4217.tsv"),
    }
}

impl Currency {
    /// US Dollar.
    pub const USD: Currency = known(b"USD");
    /// Euro.
    pub const EUR: Currency = known(b"EUR");
    /// Pound Sterling.
    pub const GBP: Currency = known(b"GBP");
    /// Canadian Dollar.
    pub const CAD: Currency = known(b"CAD");
    /// Yen (no minor unit).
    pub const JPY: Currency = known(b"JPY");

    /// Looks up an alphabetic code. Codes are case-sensitive, exactly as ISO writes them:
    /// `"usd"` is rejected, and the error suggests `"USD"`.
    pub fn from_code(code: &str) -> Result<Currency, UnknownCurrency> {
        if let [a, b, c] = *code.as_bytes() {
            if let Some(currency) = find([a, b, c]) {
                return Ok(currency);
            }
        }
        Err(UnknownCurrency::new(code))
    }

    /// Every currency of the table, in code order.
    pub fn all() -> impl ExactSizeIterator<Item = Currency> + DoubleEndedIterator + Clone {
        (0..COUNT).map(Currency)
    }

    fn entry(self) -> &'static Entry {
        &TABLE[usize::from(self.0)]
    }

    /// Alphabetic code, such as `"USD"`.
    pub fn code(self) -> &'static str {
        self.entry().code
    }

    /// Numeric code, such as `840` for USD (ISO writes it with leading zeros: `008` is `8`).
    pub fn numeric(self) -> u16 {
        self.entry().numeric
    }

    /// Digits after the decimal point in amounts: 2 for USD, 0 for JPY, 3 for BHD, 4 for CLF.
    /// 0 for the codes without a minor unit (see [`Currency::has_minor_unit`]).
    pub fn exponent(self) -> u8 {
        self.entry().exponent
    }

    /// Whether ISO defines a minor unit. False for the special codes whose list-one entry says
    /// "N.A." (gold, silver, platinum, palladium, SDR, XTS, XXX, …); flexkit counts those in
    /// whole units.
    pub fn has_minor_unit(self) -> bool {
        self.entry().has_minor_unit
    }

    /// Whether ISO 4217 lists it as a fund (list one's "funds" codes: BOV, CHE, CHW, CLF, COU,
    /// MXV, USN, UYI, UYW): a unit of account, not a currency cards are charged in. Payments
    /// in one are still read; a console offers only the others.
    pub fn is_fund(self) -> bool {
        matches!(
            self.code(),
            "BOV" | "CHE" | "CHW" | "CLF" | "COU" | "MXV" | "USN" | "UYI" | "UYW"
        )
    }

    /// Why a code without a minor unit, `typed` as it was written, takes no amount in minor
    /// units: the words of the request validators and of the npm package's money functions.
    /// The name is left out, so a program that words this never links the table of names.
    pub fn without_minor_unit(self, typed: &str) -> String {
        format!(
            "\"{typed}\" is an ISO 4217 code without a minor unit, not a currency payments are \
             made in (such codes stand for precious metals, units of account and testing); use \
             the code of an active currency, such as \"USD\", \"EUR\" or \"CAD\"."
        )
    }

    /// The currency of a payment written `code`: an active ISO 4217 code with a minor unit.
    /// Refused in words, code `unknown_currency` either way, for an unknown code and for one
    /// without a minor unit (gold, XTS, XXX, …), which takes no amount in minor units.
    pub fn for_payment(code: &str) -> Result<Currency, String> {
        let currency = Currency::from_code(code).map_err(|e| e.to_string())?;
        if currency.has_minor_unit() {
            Ok(currency)
        } else {
            Err(currency.without_minor_unit(code))
        }
    }

    /// English name from ISO 4217, such as `"US Dollar"`.
    pub fn name(self) -> &'static str {
        NAMES[usize::from(self.0)]
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Currency").field(&self.code()).finish()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = UnknownCurrency;

    fn from_str(code: &str) -> Result<Currency, UnknownCurrency> {
        Currency::from_code(code)
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Currency, D::Error> {
        struct CodeVisitor;

        impl serde::de::Visitor<'_> for CodeVisitor {
            type Value = Currency;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 4217 currency code such as \"USD\"")
            }

            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Currency, E> {
                Currency::from_code(code).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(CodeVisitor)
    }
}

/// How many bytes of an unknown code the error keeps for its message. Enough for any plausible
/// code; longer input is shown cut short, so the error stays `Copy` and never allocates.
const SHOWN_BYTES: usize = 12;

/// A string that is not the alphabetic code of an active ISO 4217 currency.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownCurrency {
    shown: [u8; SHOWN_BYTES],
    shown_len: u8,
    truncated: bool,
    suggestion: Option<Currency>,
}

impl UnknownCurrency {
    fn new(given: &str) -> UnknownCurrency {
        let mut cut = given.len().min(SHOWN_BYTES);
        while !given.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut shown = [0u8; SHOWN_BYTES];
        for (slot, byte) in shown.iter_mut().zip(given.bytes().take(cut)) {
            *slot = byte;
        }
        UnknownCurrency {
            shown,
            // cut <= SHOWN_BYTES, which fits in a u8.
            shown_len: cut as u8,
            truncated: cut < given.len(),
            suggestion: suggest(given),
        }
    }

    /// Stable machine code: `"unknown_currency"`.
    pub fn code(&self) -> &'static str {
        "unknown_currency"
    }

    /// The known currency the input most likely meant, when it differs only in letter case or
    /// surrounding spaces (`"usd"`, `" USD"` → USD).
    pub fn suggestion(&self) -> Option<Currency> {
        self.suggestion
    }

    /// The rejected input (its first bytes, if it was long).
    pub fn given(&self) -> &str {
        self.shown
            .get(..usize::from(self.shown_len))
            .and_then(|bytes| core::str::from_utf8(bytes).ok())
            .unwrap_or("")
    }
}

fn suggest(given: &str) -> Option<Currency> {
    match *given.trim().as_bytes() {
        [a, b, c] if [a, b, c].iter().all(u8::is_ascii_alphabetic) => find([
            a.to_ascii_uppercase(),
            b.to_ascii_uppercase(),
            c.to_ascii_uppercase(),
        ]),
        _ => None,
    }
}

impl fmt::Debug for UnknownCurrency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownCurrency")
            .field("given", &self.given())
            .field("truncated", &self.truncated)
            .field("suggestion", &self.suggestion)
            .finish()
    }
}

impl fmt::Display for UnknownCurrency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown currency code ")?;
        quoted(f, self.given())?;
        if self.truncated {
            f.write_str(" (shown cut short)")?;
        }
        match self.suggestion {
            Some(currency) => write!(
                f,
                ": currency codes are three upper-case letters with nothing around them; \
                 use \"{currency}\""
            ),
            None => f.write_str(
                ": use the three-letter ISO 4217 code of an active currency, \
                 in upper case, such as \"USD\", \"EUR\" or \"CAD\"",
            ),
        }
    }
}

impl std::error::Error for UnknownCurrency {}

/// `text` in double quotes with quotes, backslashes and control characters escaped as Rust
/// writes them; other characters as they are. (Not `{:?}`, whose Unicode tables would weigh
/// about 3 KB in the npm module for this one message.)
pub(super) fn quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            '\0' => f.write_str("\\0")?,
            c if c.is_control() => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            c => f.write_char(c)?,
        }
    }
    f.write_str("\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn currency(code: &str) -> Currency {
        match Currency::from_code(code) {
            Ok(c) => c,
            Err(e) => panic!("{code}: {e}"),
        }
    }

    #[test]
    fn unknown_codes_are_quoted_as_debug_quotes_them_for_ascii_and_controls() {
        for given in [
            "usd",
            "U\"S",
            "a\\b",
            "x\ny\tz\r",
            "nul\0",
            "\u{1b}[0m",
            "\u{85}",
        ] {
            let message = Currency::from_code(given).unwrap_err().to_string();
            let expected = format!("unknown currency code {given:?}");
            assert!(message.starts_with(&expected), "{message} / {expected}");
        }
        // Printable text outside ASCII is shown as it is.
        let message = Currency::from_code("€uro").unwrap_err().to_string();
        assert!(
            message.starts_with("unknown currency code \"€uro\""),
            "{message}"
        );
    }

    #[test]
    fn table_is_sorted_unique_and_complete() {
        let codes: Vec<&str> = Currency::all().map(Currency::code).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        assert_eq!(codes.len(), 177);
        assert_eq!(Currency::all().len(), 177);
        assert_eq!(ISO_4217_PUBLICATION_DATE, "2026-01-01");
    }

    #[test]
    fn every_code_round_trips_through_lookup() {
        for c in Currency::all() {
            assert_eq!(Currency::from_code(c.code()), Ok(c));
            assert_eq!(c.code().len(), 3);
            assert!(!c.name().is_empty());
            assert!(c.exponent() <= 4, "{c:?}");
            assert!((1..=999).contains(&c.numeric()), "{c:?}");
        }
    }

    #[test]
    fn numeric_codes_are_unique() {
        let mut numerics: Vec<u16> = Currency::all().map(Currency::numeric).collect();
        numerics.sort_unstable();
        numerics.dedup();
        assert_eq!(numerics.len(), Currency::all().len());
    }

    #[test]
    fn named_constants() {
        assert_eq!(Currency::USD.code(), "USD");
        assert_eq!(Currency::USD.numeric(), 840);
        assert_eq!(Currency::USD.exponent(), 2);
        assert_eq!(Currency::USD.name(), "US Dollar");
        assert_eq!(Currency::EUR.code(), "EUR");
        assert_eq!(Currency::EUR.numeric(), 978);
        assert_eq!(Currency::GBP.code(), "GBP");
        assert_eq!(Currency::GBP.numeric(), 826);
        assert_eq!(Currency::CAD.code(), "CAD");
        assert_eq!(Currency::CAD.numeric(), 124);
        assert_eq!(Currency::JPY.code(), "JPY");
        assert_eq!(Currency::JPY.exponent(), 0);
    }

    #[test]
    fn exponents_from_list_one() {
        let cases = [
            ("USD", 2),
            ("EUR", 2),
            ("GBP", 2),
            ("CAD", 2),
            ("JPY", 0),
            ("KRW", 0),
            ("CLP", 0),
            ("ISK", 0),
            ("XOF", 0),
            ("UYI", 0),
            ("BHD", 3),
            ("KWD", 3),
            ("JOD", 3),
            ("OMR", 3),
            ("TND", 3),
            ("LYD", 3),
            ("IQD", 3),
            ("CLF", 4),
            ("UYW", 4),
        ];
        for (code, exponent) in cases {
            let c = currency(code);
            assert_eq!(c.exponent(), exponent, "{code}");
            assert!(c.has_minor_unit(), "{code}");
        }
    }

    #[test]
    fn special_codes_without_minor_unit_count_whole_units() {
        for code in [
            "XAU", "XAG", "XPT", "XPD", "XDR", "XUA", "XSU", "XBA", "XBB", "XBC", "XBD", "XTS",
            "XXX",
        ] {
            let c = currency(code);
            assert!(!c.has_minor_unit(), "{code}");
            assert_eq!(c.exponent(), 0, "{code}");
        }
        assert_eq!(currency("XAU").numeric(), 959);
        assert_eq!(currency("XDR").name(), "SDR (Special Drawing Right)");
    }

    #[test]
    fn funds_codes_and_leading_zero_numerics() {
        assert_eq!(currency("USN").numeric(), 997);
        assert_eq!(currency("BOV").name(), "Mvdol");
        assert_eq!(currency("MXV").exponent(), 2);
        assert_eq!(currency("CHE").numeric(), 947);
        assert_eq!(currency("CHW").numeric(), 948);
        assert_eq!(currency("COU").numeric(), 970);
        assert_eq!(currency("ALL").numeric(), 8);
        assert_eq!(currency("DZD").numeric(), 12);
        let funds: Vec<&str> = Currency::all()
            .filter(|c| c.is_fund())
            .map(Currency::code)
            .collect();
        assert_eq!(
            funds,
            ["BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW"]
        );
        assert!(!currency("USD").is_fund() && !currency("CHF").is_fund());
    }

    #[test]
    fn withdrawn_codes_are_unknown() {
        for code in [
            "BGN", "HRK", "ANG", "CUC", "ZWL", "SLL", "VEF", "DEM", "XEU",
        ] {
            assert!(Currency::from_code(code).is_err(), "{code}");
        }
        assert_eq!(currency("XCG").numeric(), 532);
        assert_eq!(currency("ZWG").numeric(), 924);
        assert_eq!(currency("VED").numeric(), 926);
        assert_eq!(currency("SLE").numeric(), 925);
    }

    #[test]
    fn lookup_is_case_sensitive_and_suggests_the_code() {
        let err = Currency::from_code("usd").unwrap_err();
        assert_eq!(err.code(), "unknown_currency");
        assert_eq!(err.suggestion(), Some(Currency::USD));
        assert_eq!(err.given(), "usd");
        let message = err.to_string();
        assert!(message.contains("\"usd\""), "{message}");
        assert!(message.contains("use \"USD\""), "{message}");

        assert_eq!(
            Currency::from_code("Eur").unwrap_err().suggestion(),
            Some(Currency::EUR)
        );
        assert_eq!(
            Currency::from_code(" CAD ").unwrap_err().suggestion(),
            Some(Currency::CAD)
        );
    }

    #[test]
    fn unknown_codes_explain_what_is_expected() {
        for input in ["", "US", "USDX", "QQQ", "U$D", "ÜSD", "１２３", "usd\0"] {
            let err = Currency::from_code(input).unwrap_err();
            assert_eq!(err.code(), "unknown_currency");
            assert_eq!(err.suggestion(), None, "{input:?}");
            assert!(err.to_string().contains("such as \"USD\""), "{input:?}");
        }
    }

    #[test]
    fn long_unknown_input_is_cut_on_a_char_boundary() {
        let err = Currency::from_code("ééééééééé").unwrap_err();
        assert_eq!(err.given(), "éééééé");
        assert!(err.to_string().contains("cut short"));
        let err = Currency::from_code("abcdefghijklmnop").unwrap_err();
        assert_eq!(err.given(), "abcdefghijkl");
    }

    #[test]
    fn display_debug_and_from_str() {
        assert_eq!(Currency::USD.to_string(), "USD");
        assert_eq!(format!("{:?}", Currency::USD), "Currency(\"USD\")");
        assert_eq!("JPY".parse::<Currency>(), Ok(Currency::JPY));
        assert!("jpy".parse::<Currency>().is_err());
    }

    #[test]
    fn ordering_follows_the_code() {
        assert!(Currency::CAD < Currency::EUR);
        assert!(Currency::EUR < Currency::GBP);
        assert!(Currency::JPY < Currency::USD);
    }

    #[test]
    fn serde_uses_the_code() {
        assert_eq!(serde_json::to_string(&Currency::EUR).unwrap(), "\"EUR\"");
        let parsed: Currency = serde_json::from_str("\"BHD\"").unwrap();
        assert_eq!(parsed.exponent(), 3);
        let err = serde_json::from_str::<Currency>("\"eur\"").unwrap_err();
        assert!(err.to_string().contains("use \"EUR\""), "{err}");
        assert!(serde_json::from_str::<Currency>("840").is_err());
        assert!(serde_json::from_str::<Currency>("\"BGN\"").is_err());
    }
}
