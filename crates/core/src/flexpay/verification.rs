//! Address and card-security-code verification results in a transaction's `response` block
//! (`avsCode`, `cvvCode`; reference §9, sandbox triggers §15.4).
//!
//! Only the letters the FlexPay sandbox can produce are modelled. Real gateways pass their own
//! letters through, and the card networks define more than these, so a response type should
//! keep the raw string and interpret it with `from_letter`, which answers `None` for a letter
//! the toolkit does not know instead of failing the whole response.

use serde::{Deserialize, Serialize};

/// Address verification (AVS) result, serialized as its letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AvsResult {
    #[serde(rename = "A")]
    StreetMatchOnly,
    #[serde(rename = "E")]
    NotAllowed,
    #[serde(rename = "N")]
    NoMatch,
    /// The sandbox's answer when no AVS trigger is used.
    #[serde(rename = "S")]
    NotSupported,
    #[serde(rename = "X")]
    StreetAndNineDigitZipMatch,
    #[serde(rename = "Y")]
    StreetAndFiveDigitZipMatch,
}

impl AvsResult {
    /// All results, in letter order.
    pub const ALL: [AvsResult; 6] = [
        AvsResult::StreetMatchOnly,
        AvsResult::NotAllowed,
        AvsResult::NoMatch,
        AvsResult::NotSupported,
        AvsResult::StreetAndNineDigitZipMatch,
        AvsResult::StreetAndFiveDigitZipMatch,
    ];

    /// The letter as FlexPay sends it (`"Y"`).
    pub const fn letter(self) -> &'static str {
        match self {
            AvsResult::StreetMatchOnly => "A",
            AvsResult::NotAllowed => "E",
            AvsResult::NoMatch => "N",
            AvsResult::NotSupported => "S",
            AvsResult::StreetAndNineDigitZipMatch => "X",
            AvsResult::StreetAndFiveDigitZipMatch => "Y",
        }
    }

    /// The result for an upper-case letter exactly as FlexPay sends it. Case is not folded and
    /// whitespace not trimmed: only these exact letters have a known meaning, and guessing
    /// would attach one FlexPay never stated.
    pub fn from_letter(letter: &str) -> Option<AvsResult> {
        AvsResult::ALL.into_iter().find(|r| r.letter() == letter)
    }

    /// Short lower-case meaning (`"street + 5-digit ZIP match"`).
    pub const fn meaning(self) -> &'static str {
        match self {
            AvsResult::StreetMatchOnly => "street matches, ZIP does not",
            AvsResult::NotAllowed => "AVS not allowed for this industry / error",
            AvsResult::NoMatch => "neither street nor ZIP match",
            AvsResult::NotSupported => "AVS not supported by issuer",
            AvsResult::StreetAndNineDigitZipMatch => "street + 9-digit ZIP match",
            AvsResult::StreetAndFiveDigitZipMatch => "street + 5-digit ZIP match",
        }
    }
}

/// Card security code (CVV) verification result, serialized as its letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CvvResult {
    #[serde(rename = "M")]
    Match,
    #[serde(rename = "N")]
    NoMatch,
    #[serde(rename = "P")]
    NotProcessed,
    /// The name is the client library's; no published definition was found.
    #[serde(rename = "Q")]
    NoResult,
    #[serde(rename = "S")]
    ShouldBeOnCard,
    #[serde(rename = "U")]
    IssuerNotCertified,
}

impl CvvResult {
    /// All results, in letter order.
    pub const ALL: [CvvResult; 6] = [
        CvvResult::Match,
        CvvResult::NoMatch,
        CvvResult::NotProcessed,
        CvvResult::NoResult,
        CvvResult::ShouldBeOnCard,
        CvvResult::IssuerNotCertified,
    ];

    /// The letter as FlexPay sends it (`"M"`).
    pub const fn letter(self) -> &'static str {
        match self {
            CvvResult::Match => "M",
            CvvResult::NoMatch => "N",
            CvvResult::NotProcessed => "P",
            CvvResult::NoResult => "Q",
            CvvResult::ShouldBeOnCard => "S",
            CvvResult::IssuerNotCertified => "U",
        }
    }

    /// The result for an upper-case letter exactly as FlexPay sends it (see
    /// [`AvsResult::from_letter`]).
    pub fn from_letter(letter: &str) -> Option<CvvResult> {
        CvvResult::ALL.into_iter().find(|r| r.letter() == letter)
    }

    /// Short lower-case meaning (`"no match"`).
    pub const fn meaning(self) -> &'static str {
        match self {
            CvvResult::Match => "match",
            CvvResult::NoMatch => "no match",
            CvvResult::NotProcessed => "not processed",
            CvvResult::NoResult => "no result",
            CvvResult::ShouldBeOnCard => "should be on card but merchant indicated absent",
            CvvResult::IssuerNotCertified => "issuer not certified / no CVV key",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avs_letters_round_trip_through_from_letter_and_serde() {
        let letters: Vec<&str> = AvsResult::ALL.iter().map(|r| r.letter()).collect();
        assert_eq!(letters, ["A", "E", "N", "S", "X", "Y"]);
        for result in AvsResult::ALL {
            assert_eq!(AvsResult::from_letter(result.letter()), Some(result));
            let json = serde_json::to_string(&result).unwrap();
            assert_eq!(json, format!("\"{}\"", result.letter()));
            assert_eq!(serde_json::from_str::<AvsResult>(&json).unwrap(), result);
            assert!(!result.meaning().is_empty());
        }
    }

    #[test]
    fn cvv_letters_round_trip_through_from_letter_and_serde() {
        let letters: Vec<&str> = CvvResult::ALL.iter().map(|r| r.letter()).collect();
        assert_eq!(letters, ["M", "N", "P", "Q", "S", "U"]);
        for result in CvvResult::ALL {
            assert_eq!(CvvResult::from_letter(result.letter()), Some(result));
            let json = serde_json::to_string(&result).unwrap();
            assert_eq!(json, format!("\"{}\"", result.letter()));
            assert_eq!(serde_json::from_str::<CvvResult>(&json).unwrap(), result);
            assert!(!result.meaning().is_empty());
        }
    }

    #[test]
    fn unknown_or_mis_cased_letters_are_not_guessed() {
        for letter in ["", "y", "Z", "YY", " Y", "M"] {
            assert_eq!(AvsResult::from_letter(letter), None, "{letter:?}");
        }
        for letter in ["", "m", "A", "MM", "M "] {
            assert_eq!(CvvResult::from_letter(letter), None, "{letter:?}");
        }
        assert!(serde_json::from_str::<AvsResult>("\"Z\"").is_err());
        assert!(serde_json::from_str::<CvvResult>("\"m\"").is_err());
    }

    #[test]
    fn sandbox_defaults_read_as_expected() {
        // An approval without triggers comes back with avsCode S and cvvCode M.
        assert_eq!(AvsResult::from_letter("S"), Some(AvsResult::NotSupported));
        assert_eq!(CvvResult::from_letter("M"), Some(CvvResult::Match));
    }
}
