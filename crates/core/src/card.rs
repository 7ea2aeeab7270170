//! Payment card numbers: Luhn check, brand detection by IIN range and length, and the
//! "is potentially valid" answer that as-you-type checkout fields need.
//!
//! Detection works on prefixes, so it answers for partial input too: while a user types `3`
//! the number may still become American Express, Diners Club or JCB; after `34` it can only be
//! American Express. A brand is reported only once it is certain, when no other brand can
//! still claim the number, and it is then the only candidate: after `6011` that is Discover,
//! since Maestro's catch-all `6` loses to every more specific prefix. Until then no brand is
//! reported and the candidates are every brand the number may still turn out to be.

use core::fmt;

/// A card scheme recognised by its issuer identification number (IIN) range.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum CardBrand {
    Visa,
    Mastercard,
    AmericanExpress,
    Discover,
    DinersClub,
    Jcb,
    UnionPay,
    Maestro,
}

/// One IIN pattern: every number whose first `digits` digits lie in `low..=high`.
#[derive(Clone, Copy)]
struct IinRange {
    low: u32,
    high: u32,
    digits: u8,
}

const fn prefix(value: u32, digits: u8) -> IinRange {
    IinRange {
        low: value,
        high: value,
        digits,
    }
}

const fn range(low: u32, high: u32, digits: u8) -> IinRange {
    IinRange { low, high, digits }
}

struct BrandRule {
    /// The brand this rule describes; `RULES` is indexed by `CardBrand as usize`.
    brand: CardBrand,
    ranges: &'static [IinRange],
    lengths: &'static [u8],
    cvv_length: u8,
}

/// IIN ranges and lengths as published by the schemes (and used by the common checkout
/// libraries). Overlaps are deliberate: Maestro's catch-all `6` loses to every more specific
/// prefix, and Discover's 622126–622925 wins over UnionPay's `62`.
const RULES: &[BrandRule] = &[
    BrandRule {
        brand: CardBrand::Visa,
        ranges: &[prefix(4, 1)],
        lengths: &[13, 16, 19],
        cvv_length: 3,
    },
    BrandRule {
        brand: CardBrand::Mastercard,
        ranges: &[range(51, 55, 2), range(2221, 2720, 4)],
        lengths: &[16],
        cvv_length: 3,
    },
    BrandRule {
        brand: CardBrand::AmericanExpress,
        ranges: &[prefix(34, 2), prefix(37, 2)],
        lengths: &[15],
        cvv_length: 4,
    },
    BrandRule {
        brand: CardBrand::Discover,
        ranges: &[
            prefix(6011, 4),
            range(644, 649, 3),
            prefix(65, 2),
            range(622126, 622925, 6),
        ],
        lengths: &[16, 17, 18, 19],
        cvv_length: 3,
    },
    BrandRule {
        brand: CardBrand::DinersClub,
        ranges: &[
            range(300, 305, 3),
            prefix(3095, 4),
            prefix(36, 2),
            range(38, 39, 2),
        ],
        lengths: &[14, 15, 16, 17, 18, 19],
        cvv_length: 3,
    },
    BrandRule {
        brand: CardBrand::Jcb,
        ranges: &[range(3528, 3589, 4)],
        lengths: &[16, 17, 18, 19],
        cvv_length: 3,
    },
    BrandRule {
        brand: CardBrand::UnionPay,
        ranges: &[prefix(62, 2), prefix(81, 2)],
        lengths: &[16, 17, 18, 19],
        cvv_length: 3,
    },
    BrandRule {
        brand: CardBrand::Maestro,
        ranges: &[
            prefix(493698, 6),
            range(500000, 504174, 6),
            range(504176, 506698, 6),
            range(506779, 508999, 6),
            range(56, 59, 2),
            prefix(63, 2),
            prefix(67, 2),
            prefix(6, 1),
        ],
        lengths: &[12, 13, 14, 15, 16, 17, 18, 19],
        cvv_length: 3,
    },
];

/// Longest card number any brand issues.
pub const MAX_CARD_NUMBER_LENGTH: usize = 19;
/// Shortest card number any brand issues.
pub const MIN_CARD_NUMBER_LENGTH: usize = 12;

impl CardBrand {
    /// All brands, in a stable order.
    pub const ALL: [CardBrand; 8] = [
        CardBrand::Visa,
        CardBrand::Mastercard,
        CardBrand::AmericanExpress,
        CardBrand::Discover,
        CardBrand::DinersClub,
        CardBrand::Jcb,
        CardBrand::UnionPay,
        CardBrand::Maestro,
    ];

    fn rule(self) -> &'static BrandRule {
        let rule = &RULES[self as usize];
        debug_assert_eq!(rule.brand, self, "RULES must be ordered like CardBrand");
        rule
    }

    /// Stable machine name (`"americanExpress"`), the same string the npm package uses.
    pub const fn code(self) -> &'static str {
        match self {
            CardBrand::Visa => "visa",
            CardBrand::Mastercard => "mastercard",
            CardBrand::AmericanExpress => "americanExpress",
            CardBrand::Discover => "discover",
            CardBrand::DinersClub => "dinersClub",
            CardBrand::Jcb => "jcb",
            CardBrand::UnionPay => "unionPay",
            CardBrand::Maestro => "maestro",
        }
    }

    /// Parses [`CardBrand::code`] back.
    pub fn from_code(code: &str) -> Option<CardBrand> {
        CardBrand::ALL.into_iter().find(|b| b.code() == code)
    }

    /// Name for people (`"American Express"`).
    pub const fn display_name(self) -> &'static str {
        match self {
            CardBrand::Visa => "Visa",
            CardBrand::Mastercard => "Mastercard",
            CardBrand::AmericanExpress => "American Express",
            CardBrand::Discover => "Discover",
            CardBrand::DinersClub => "Diners Club",
            CardBrand::Jcb => "JCB",
            CardBrand::UnionPay => "UnionPay",
            CardBrand::Maestro => "Maestro",
        }
    }

    /// The `cardType` string FlexPay puts in transaction responses, where it has one.
    pub const fn flexpay_card_type(self) -> Option<&'static str> {
        match self {
            CardBrand::Visa => Some("VISA"),
            CardBrand::Mastercard => Some("MASTERCARD"),
            CardBrand::AmericanExpress => Some("AMERICAN EXPRESS"),
            CardBrand::Discover => Some("DISCOVER"),
            CardBrand::DinersClub => Some("DINERS CLUB"),
            CardBrand::Jcb => Some("JCB"),
            CardBrand::UnionPay | CardBrand::Maestro => None,
        }
    }

    /// Number lengths the brand issues, ascending.
    pub fn lengths(self) -> &'static [u8] {
        self.rule().lengths
    }

    /// Digits of the security code printed on the card (4 for American Express).
    pub fn cvv_length(self) -> u8 {
        self.rule().cvv_length
    }
}

impl fmt::Display for CardBrand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

fn leading_value(digits: &[u8], n: usize) -> u32 {
    digits[..n]
        .iter()
        .fold(0u32, |acc, d| acc * 10 + u32::from(*d))
}

/// The Luhn (mod 10) checksum over a string of ASCII digits. Anything else, or an empty
/// string, is not Luhn-valid.
pub fn luhn_valid(number: &str) -> bool {
    /// A digit doubled, minus 9 when that makes two digits.
    const DOUBLED: [u32; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
    let bytes = number.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    let mut doubled = false;
    for &byte in bytes.iter().rev() {
        let digit = byte.wrapping_sub(b'0');
        let Some(&twice) = DOUBLED.get(usize::from(digit)) else {
            return false;
        };
        sum += if doubled { twice } else { u32::from(digit) };
        doubled = !doubled;
    }
    sum.is_multiple_of(10)
}

fn luhn_digits<I: DoubleEndedIterator<Item = u8>>(digits: I) -> bool {
    let sum: u32 = digits
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Everything a checkout field needs to know about what the user has typed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardNumberCheck {
    /// The brand, once it is certain: no other brand can still claim the number. It is then
    /// the only candidate.
    pub brand: Option<CardBrand>,
    /// Every brand the number may still turn out to be, in [`CardBrand::ALL`] order: a brand
    /// some continuation of the digits is decided as.
    pub candidates: Vec<CardBrand>,
    /// Count of digits typed (separators excluded).
    pub digit_count: usize,
    /// The digits typed, separators left out: the `creditCardNumber` to send once `is_valid`.
    /// Empty when the input holds a character that is neither a digit nor a separator, or
    /// more digits than any card has.
    pub digits: String,
    /// Luhn checksum holds over the digits typed.
    pub luhn_valid: bool,
    /// The digit count is one the detected brand issues.
    pub length_valid: bool,
    /// A complete, well-formed number of a known brand.
    pub is_valid: bool,
    /// The input can still become a valid number by typing more digits (or already is one).
    pub is_potentially_valid: bool,
}

/// Checks a card number as typed: white space (a non-breaking or thin space, a tab, a line
/// break, as pasting from a document or an e-mail brings) and dashes (`-` and the typographic
/// ones, U+2010 to U+2015 and U+2212) are accepted as separators, any other character makes
/// the input invalid. An empty input is potentially valid.
pub fn check_card_number(input: &str) -> CardNumberCheck {
    let mut digits = [0u8; MAX_CARD_NUMBER_LENGTH];
    let mut count = 0usize;
    let mut well_formed = true;
    for c in input.chars() {
        match c {
            '0'..='9' => {
                // Past the longest number any brand issues the input is invalid, but its
                // digits are still counted: `digit_count` is what was typed.
                match digits.get_mut(count) {
                    Some(slot) => *slot = c as u8 - b'0',
                    None => well_formed = false,
                }
                count += 1;
            }
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' => {}
            c if c.is_whitespace() => {}
            // Not a digit nor a separator: invalid, and the count stops there (`digit_count`
            // is the digits typed before it: 4 for `4111.1111.1111.1111`).
            _ => {
                well_formed = false;
                break;
            }
        }
    }
    if !well_formed {
        return CardNumberCheck {
            brand: None,
            candidates: Vec::new(),
            digit_count: count,
            digits: String::new(),
            luhn_valid: false,
            length_valid: false,
            is_valid: false,
            is_potentially_valid: false,
        };
    }
    let digits = &digits[..count.min(MAX_CARD_NUMBER_LENGTH)];
    if digits.is_empty() {
        return CardNumberCheck {
            brand: None,
            candidates: CardBrand::ALL.to_vec(),
            digit_count: 0,
            digits: String::new(),
            luhn_valid: false,
            length_valid: false,
            is_valid: false,
            is_potentially_valid: true,
        };
    }

    let decision = decide_brand(digits);
    let brand = decision.brand;
    let candidates: Vec<CardBrand> = CardBrand::ALL
        .into_iter()
        .filter(|b| decision.is_candidate(*b))
        .collect();

    let luhn_valid = luhn_digits(digits.iter().copied());
    let length_valid = brand.is_some_and(|b| b.lengths().contains(&(count as u8)));
    let is_valid = length_valid && luhn_valid;
    let can_grow = match brand {
        Some(b) => b.lengths().iter().any(|&l| usize::from(l) > count),
        None => candidates
            .iter()
            .any(|b| b.lengths().iter().any(|&l| usize::from(l) > count)),
    };
    CardNumberCheck {
        brand,
        candidates,
        digit_count: count,
        digits: digits.iter().map(|d| char::from(b'0' + d)).collect(),
        luhn_valid,
        length_valid,
        is_valid,
        is_potentially_valid: is_valid || can_grow,
    }
}

/// The brands a digit string may still belong to, and the one it belongs to once decided.
/// A bit set rather than a list, so that deciding a brand never allocates.
#[derive(Clone, Copy)]
struct BrandDecision {
    brand: Option<CardBrand>,
    /// Bit `brand as u8` is set for every candidate brand.
    candidates: u8,
}

impl BrandDecision {
    fn is_candidate(self, brand: CardBrand) -> bool {
        self.candidates & (1 << brand as u8) != 0
    }
}

/// Every range end of every IIN pattern, and the start of the input's own range.
const MAX_BREAKPOINTS: usize = {
    let mut count = 1;
    let mut rule = 0;
    while rule < RULES.len() {
        count += 2 * RULES[rule].ranges.len();
        rule += 1;
    }
    count
};

/// The candidates of a digit string are the brands its continuations are decided as, and
/// its brand is decided once there is only one. From [`LONGEST_PATTERN`] digits on every
/// pattern has matched or failed, so the continuations all share the brand of the digits.
/// Before, they are the numbers of `LONGEST_PATTERN` digits that start with the digits typed:
/// a range of them, cut by the IIN patterns' own ranges into pieces inside which every number
/// matches the same patterns. One number of each piece decides for the whole piece, so a few
/// dozen decisions at most answer for all continuations.
fn decide_brand(digits: &[u8]) -> BrandDecision {
    let mut candidates = 0u8;
    if digits.len() >= LONGEST_PATTERN {
        candidates = decide_complete_brand(digits).map_or(0, |brand| 1 << brand as u8);
    } else {
        // Numbers are compared as their first LONGEST_PATTERN digits.
        let width = |digits: usize| 10u32.pow((LONGEST_PATTERN - digits) as u32);
        let scale = width(digits.len());
        let start = leading_value(digits, digits.len()) * scale;
        let end = start + scale;
        let mut points = [start; MAX_BREAKPOINTS];
        let mut count = 1;
        for rule in RULES {
            for range in rule.ranges {
                let scale = width(usize::from(range.digits));
                for point in [range.low * scale, (range.high + 1) * scale] {
                    if point > start && point < end {
                        if let Some(slot) = points.get_mut(count) {
                            *slot = point;
                            count += 1;
                        }
                    }
                }
            }
        }
        let mut number = [0u8; LONGEST_PATTERN];
        for &point in &points[..count] {
            let mut rest = point;
            for slot in number.iter_mut().rev() {
                *slot = (rest % 10) as u8;
                rest /= 10;
            }
            if let Some(brand) = decide_complete_brand(&number) {
                candidates |= 1 << brand as u8;
            }
        }
    }
    let brand = CardBrand::ALL
        .into_iter()
        .find(|&brand| candidates == 1 << brand as u8);
    BrandDecision { brand, candidates }
}

/// The brand of digits at least [`LONGEST_PATTERN`] long as `RULES` decide it: the brand
/// of the longest matched pattern; a tie decides nothing.
#[cfg(test)]
fn rules_brand(digits: &[u8]) -> Option<CardBrand> {
    let mut best: Option<(CardBrand, u8)> = None;
    let mut tie = false;
    for rule in RULES {
        for range in rule.ranges {
            let value = leading_value(digits, usize::from(range.digits));
            if !(range.low..=range.high).contains(&value) {
                continue;
            }
            match best {
                Some((_, n)) if n > range.digits => {}
                Some((brand, n)) if n == range.digits => tie |= brand != rule.brand,
                _ => {
                    best = Some((rule.brand, range.digits));
                    tie = false;
                }
            }
        }
    }
    best.filter(|_| !tie).map(|(brand, _)| brand)
}

/// Digits of the longest IIN pattern of any brand: from this many digits on, every pattern
/// has either matched or failed.
const LONGEST_PATTERN: usize = {
    let mut longest = 0;
    let mut rule = 0;
    while rule < RULES.len() {
        let mut range = 0;
        while range < RULES[rule].ranges.len() {
            let digits = RULES[rule].ranges[range].digits as usize;
            if digits > longest {
                longest = digits;
            }
            range += 1;
        }
        rule += 1;
    }
    longest
};

/// The brand of input of at least [`LONGEST_PATTERN`] digits, where every pattern has
/// matched or failed: the path validators take for whole card numbers, so it is written out
/// as a match on the leading digits instead of a scan of `RULES`. It must answer exactly as
/// `RULES` decide (the longest matched pattern wins; a tie decides nothing); the test
/// `complete_brand_agrees_with_the_rules_on_every_six_digit_prefix` checks all 10^6 prefixes.
fn decide_complete_brand(digits: &[u8]) -> Option<CardBrand> {
    let [d0, d1, d2, d3, d4, d5, ..] = *digits else {
        return decide_brand(digits).brand;
    };
    let [d0, d1, d2, d3, d4, d5] = [d0, d1, d2, d3, d4, d5].map(u32::from);
    let two = d0 * 10 + d1;
    let three = two * 10 + d2;
    let four = three * 10 + d3;
    let six = (four * 10 + d4) * 10 + d5;
    match d0 {
        2 => (2221..=2720)
            .contains(&four)
            .then_some(CardBrand::Mastercard),
        3 => match two {
            34 | 37 => Some(CardBrand::AmericanExpress),
            36 | 38 | 39 => Some(CardBrand::DinersClub),
            30 => ((300..=305).contains(&three) || four == 3095).then_some(CardBrand::DinersClub),
            35 => (3528..=3589).contains(&four).then_some(CardBrand::Jcb),
            _ => None,
        },
        // Maestro's 493698 is more specific than Visa's 4.
        4 if six == 493698 => Some(CardBrand::Maestro),
        4 => Some(CardBrand::Visa),
        5 => match d1 {
            1..=5 => Some(CardBrand::Mastercard),
            6..=9 => Some(CardBrand::Maestro),
            _ => ((500000..=504174).contains(&six)
                || (504176..=506698).contains(&six)
                || (506779..=508999).contains(&six))
            .then_some(CardBrand::Maestro),
        },
        // Discover's patterns are all longer than UnionPay's 62 and Maestro's 6; UnionPay's
        // 62 is longer than Maestro's 6 (Maestro's 63 and 67 meet no other brand).
        6 if four == 6011
            || (644..=649).contains(&three)
            || two == 65
            || (622126..=622925).contains(&six) =>
        {
            Some(CardBrand::Discover)
        }
        6 if two == 62 => Some(CardBrand::UnionPay),
        6 => Some(CardBrand::Maestro),
        8 if d1 == 1 => Some(CardBrand::UnionPay),
        _ => None,
    }
}

/// The brand of a complete card number written as ASCII digits only, decided exactly as
/// [`check_card_number`] decides it but without allocating, for validators on hot paths.
/// `None` for empty input, any non-digit (separators included), more than
/// [`MAX_CARD_NUMBER_LENGTH`] digits, or digits no brand claims.
pub fn brand_of_digits(number: &str) -> Option<CardBrand> {
    let bytes = number.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_CARD_NUMBER_LENGTH {
        return None;
    }
    let mut digits = [0u8; MAX_CARD_NUMBER_LENGTH];
    for (slot, &byte) in digits.iter_mut().zip(bytes) {
        if !byte.is_ascii_digit() {
            return None;
        }
        *slot = byte - b'0';
    }
    let digits = digits.get(..bytes.len())?;
    if digits.len() >= LONGEST_PATTERN {
        decide_complete_brand(digits)
    } else {
        decide_brand(digits).brand
    }
}

/// The brand of a (possibly partial) card number, once it is decided.
pub fn detect_brand(input: &str) -> Option<CardBrand> {
    check_card_number(input).brand
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The FlexPay sandbox test cards (reference §15.2).
    const SANDBOX_CARDS: &[(&str, CardBrand)] = &[
        ("4920201996449560", CardBrand::Visa),
        ("5244209084665514", CardBrand::Mastercard),
        ("341674949684898", CardBrand::AmericanExpress),
        ("30349475125576", CardBrand::DinersClub),
        ("3530111333300000", CardBrand::Jcb),
        ("6011885753412897", CardBrand::Discover),
    ];

    #[test]
    fn sandbox_test_cards_are_valid_and_branded() {
        for (number, brand) in SANDBOX_CARDS {
            let check = check_card_number(number);
            assert_eq!(check.brand, Some(*brand), "{number}");
            assert!(check.luhn_valid, "{number}");
            assert!(check.is_valid, "{number}");
            assert!(check.is_potentially_valid, "{number}");
        }
    }

    #[test]
    fn whole_numbers_of_every_brand_take_the_shortcut_to_the_same_brand() {
        assert_eq!(LONGEST_PATTERN, 6);
        for number in [
            "4111111111111111",
            "5555555555554444",
            "2221000000000009",
            "378282246310005",
            "6011111111111117",
            "6221260000000000",
            "6500000000000002",
            "36227206271667",
            "3530111333300000",
            "6200000000000005",
            "6759649826438453",
            "4936980000000000",
            "5018000000000000",
            "1111111111111117",
        ] {
            assert_eq!(
                brand_of_digits(number),
                check_card_number(number).brand,
                "{number}"
            );
        }
    }

    #[test]
    fn brand_of_digits_agrees_with_check_card_number() {
        for (number, brand) in SANDBOX_CARDS {
            assert_eq!(brand_of_digits(number), Some(*brand));
        }
        // Separators, other characters and over-long input are refused outright.
        for number in [
            "",
            "4920 2019 9644 9560",
            "4920-2019",
            "x",
            "49202019964495604920",
        ] {
            assert_eq!(brand_of_digits(number), None, "{number}");
        }
        // "4" could still become Maestro (493698), so no brand is decided yet.
        assert_eq!(brand_of_digits("4"), None);
        assert_eq!(brand_of_digits("4111111111111111"), Some(CardBrand::Visa));
        assert_eq!(brand_of_digits("3"), None);
    }

    #[test]
    fn complete_brand_agrees_with_the_rules_on_every_six_digit_prefix() {
        let mut digits = [0u8; 16];
        for prefix in 0..1_000_000u32 {
            let mut rest = prefix;
            for slot in digits[..6].iter_mut().rev() {
                *slot = (rest % 10) as u8;
                rest /= 10;
            }
            assert_eq!(
                decide_complete_brand(&digits),
                rules_brand(&digits),
                "{prefix:06}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn luhn_valid_agrees_with_the_checksum_over_digits(number in "[0-9]{1,19}") {
            let digits = luhn_digits(number.bytes().map(|b| b - b'0'));
            proptest::prop_assert_eq!(luhn_valid(&number), digits);
        }
    }

    proptest::proptest! {
        #[test]
        // check_card_number decides with the general path, brand_of_digits with the shortcut
        // for whole numbers: they must agree.
        fn brand_of_digits_matches_check_card_number_on_any_digits(number in "[0-9]{1,19}") {
            proptest::prop_assert_eq!(brand_of_digits(&number), check_card_number(&number).brand);
        }
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("79927398710"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("4920 2019"));
        assert!(luhn_valid("0"));
        assert!(!luhn_valid("４９"));
    }

    #[test]
    fn one_changed_digit_breaks_luhn() {
        let check = check_card_number("4920201996449561");
        assert_eq!(check.brand, Some(CardBrand::Visa));
        assert!(!check.luhn_valid);
        assert!(check.length_valid);
        assert!(!check.is_valid);
        // Visa also issues 19 digits, so more digits could still make it valid.
        assert!(check.is_potentially_valid);
        // Amex tops out at 15 digits: a full-length number failing Luhn is a dead end.
        let amex = check_card_number("341674949684899");
        assert!(!amex.is_valid && !amex.is_potentially_valid);
    }

    #[test]
    fn mastercard_ranges() {
        for n in [
            "5100000000000008",
            "5500000000000004",
            "2221000000000009",
            "2720990000000007",
        ] {
            assert_eq!(detect_brand(n), Some(CardBrand::Mastercard), "{n}");
            assert!(check_card_number(n).is_valid, "{n}");
        }
        assert_eq!(detect_brand("2220990000000000"), None);
        assert_eq!(detect_brand("2721000000000000"), None);
        assert_eq!(detect_brand("56"), Some(CardBrand::Maestro));
    }

    #[test]
    fn other_brands() {
        assert_eq!(
            detect_brand("378282246310005"),
            Some(CardBrand::AmericanExpress)
        );
        assert_eq!(detect_brand("6221260000000000"), Some(CardBrand::Discover));
        assert_eq!(detect_brand("6200000000000005"), Some(CardBrand::UnionPay));
        assert_eq!(detect_brand("6500000000000002"), Some(CardBrand::Discover));
        assert_eq!(detect_brand("6304000000000000"), Some(CardBrand::Maestro));
        assert_eq!(
            detect_brand("3095000000000000"),
            Some(CardBrand::DinersClub)
        );
        assert_eq!(detect_brand("36000000000008"), Some(CardBrand::DinersClub));
        assert_eq!(detect_brand("3589000000000000"), Some(CardBrand::Jcb));
        assert_eq!(detect_brand("1234567812345670"), None);
    }

    #[test]
    fn partial_input_narrows_down() {
        let three = check_card_number("3");
        assert_eq!(three.brand, None);
        assert_eq!(
            three.candidates,
            vec![
                CardBrand::AmericanExpress,
                CardBrand::DinersClub,
                CardBrand::Jcb
            ]
        );
        assert!(three.is_potentially_valid);
        assert_eq!(detect_brand("34"), Some(CardBrand::AmericanExpress));
        assert_eq!(detect_brand("41"), Some(CardBrand::Visa));
        // "4" may still be Maestro's 493698.
        assert_eq!(detect_brand("4"), None);
        assert_eq!(detect_brand("49369"), None);
        assert_eq!(detect_brand("493698"), Some(CardBrand::Maestro));
        assert_eq!(detect_brand("601"), None);
        assert_eq!(detect_brand("6011"), Some(CardBrand::Discover));
    }

    #[test]
    fn a_decided_brand_is_the_only_candidate() {
        let discover = check_card_number("6011");
        assert_eq!(discover.brand, Some(CardBrand::Discover));
        assert_eq!(discover.candidates, vec![CardBrand::Discover]);
        // UnionPay's 62 outranks Maestro's 6; Discover's 622126 may still follow.
        let sixty_two = check_card_number("62");
        assert_eq!(sixty_two.brand, None);
        assert_eq!(
            sixty_two.candidates,
            vec![CardBrand::Discover, CardBrand::UnionPay]
        );
        // "4" may still be Maestro's 493698, so both stay candidates and no brand is reported.
        let four = check_card_number("4");
        assert_eq!(four.brand, None);
        assert_eq!(four.candidates, vec![CardBrand::Visa, CardBrand::Maestro]);
    }

    /// Every prefix of up to four digits: the candidates are exactly the brands its six-digit
    /// continuations are decided as (every pattern has matched or failed by then), and a
    /// brand is reported exactly when it is the only candidate.
    #[test]
    fn candidates_are_the_brands_a_continuation_can_become() {
        for length in 1..=4u32 {
            for prefix in 0..10u32.pow(length) {
                let text = format!("{prefix:0width$}", width = length as usize);
                let check = check_card_number(&text);
                let mut reachable = 0u8;
                let scale = 10u32.pow(6 - length);
                let mut digits = [0u8; 16];
                for rest in 0..scale {
                    let mut value = prefix * scale + rest;
                    for slot in digits[..6].iter_mut().rev() {
                        *slot = (value % 10) as u8;
                        value /= 10;
                    }
                    if let Some(brand) = decide_complete_brand(&digits) {
                        reachable |= 1 << brand as u8;
                    }
                }
                let reachable: Vec<CardBrand> = CardBrand::ALL
                    .into_iter()
                    .filter(|b| reachable & (1 << *b as u8) != 0)
                    .collect();
                assert_eq!(check.candidates, reachable, "{text}");
                match check.brand {
                    Some(brand) => assert_eq!(check.candidates, vec![brand], "{text}"),
                    None => assert_ne!(check.candidates.len(), 1, "{text}"),
                }
            }
        }
    }

    #[test]
    fn separators_and_junk() {
        let spaced = check_card_number("4920 2019 9644 9560");
        assert!(spaced.is_valid);
        assert_eq!(spaced.digit_count, 16);
        assert_eq!(spaced.digits, "4920201996449560");
        assert_eq!(check_card_number("4920-20").digits, "492020");
        assert_eq!(check_card_number(" ").digits, "");
        // A character out of place makes it invalid; the digits before it are counted.
        for (typed, before) in [("4111.1111.1111.1111", 4), ("4111 1111a1111111111x1", 8)] {
            let check = check_card_number(typed);
            assert!(!check.is_valid && !check.is_potentially_valid, "{typed}");
            assert_eq!(check.digit_count, before, "{typed}");
            assert_eq!(check.digits, "", "{typed}: no number to send");
        }
        // Too long for any brand: invalid, and every digit typed is counted.
        let long = check_card_number("4111 1111 1111 1111 1111 11");
        assert_eq!(
            (long.digit_count, long.is_valid, long.is_potentially_valid),
            (22, false, false)
        );
        assert_eq!(long.digits, "");
        // Nineteen digits, the most a card has, are kept.
        assert_eq!(
            check_card_number("6".repeat(19).as_str()).digits,
            "6".repeat(19)
        );
        assert!(check_card_number("4920-2019-9644-9560").is_valid);
        // What pasting brings: non-breaking and thin spaces, typographic dashes, a line break.
        for pasted in [
            "4920\u{a0}2019\u{a0}9644\u{a0}9560",
            "4920\u{2009}2019\u{202f}9644 9560",
            "4920\u{2013}2019\u{2014}9644\u{2212}9560",
            "4920201996449560\n",
            "\t4920 2019 9644 9560\r\n",
        ] {
            let check = check_card_number(pasted);
            assert!(check.is_valid && check.digit_count == 16, "{pasted:?}");
        }
        // Digits of other scripts are no card digits.
        assert!(!check_card_number("\u{664}920").is_potentially_valid);
        let junk = check_card_number("4920x");
        assert!(!junk.is_valid && !junk.is_potentially_valid);
        let too_long = check_card_number("49202019964495601234");
        assert!(!too_long.is_potentially_valid);
        let unknown = check_card_number("1");
        assert!(unknown.candidates.is_empty() && !unknown.is_potentially_valid);
        let empty = check_card_number("");
        assert!(empty.is_potentially_valid && !empty.is_valid);
    }

    #[test]
    fn cvv_lengths() {
        assert_eq!(CardBrand::AmericanExpress.cvv_length(), 4);
        assert_eq!(CardBrand::Visa.cvv_length(), 3);
    }

    #[test]
    fn codes_round_trip() {
        for b in CardBrand::ALL {
            assert_eq!(CardBrand::from_code(b.code()), Some(b));
            assert_eq!(RULES[b as usize].brand, b);
        }
    }
}
