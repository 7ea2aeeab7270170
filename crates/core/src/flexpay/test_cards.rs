//! The FlexPay sandbox test cards (Sandbox Guide; reference §15.2). Any other card number is
//! declined by the sandbox with response code 30016.

use crate::card::CardBrand;

/// A card the FlexPay sandbox gateway recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TestCard {
    pub brand: CardBrand,
    pub number: &'static str,
    /// Two digits, zero-padded, as FlexPay sends it.
    pub expiry_month: &'static str,
    /// Four digits.
    pub expiry_year: &'static str,
    pub cvv: &'static str,
}

/// The six sandbox cards, in the order the Sandbox Guide lists them. Older revisions of the
/// guide give 2021 as the expiry year; the current one says 2024. Both are in the past, so the
/// sandbox must not reject these numbers for expiry.
pub const TEST_CARDS: [TestCard; 6] = [
    TestCard {
        brand: CardBrand::Visa,
        number: "4920201996449560",
        expiry_month: "07",
        expiry_year: "2024",
        cvv: "879",
    },
    TestCard {
        brand: CardBrand::Mastercard,
        number: "5244209084665514",
        expiry_month: "07",
        expiry_year: "2024",
        cvv: "010",
    },
    TestCard {
        brand: CardBrand::AmericanExpress,
        number: "341674949684898",
        expiry_month: "07",
        expiry_year: "2024",
        cvv: "1000",
    },
    TestCard {
        brand: CardBrand::DinersClub,
        number: "30349475125576",
        expiry_month: "06",
        expiry_year: "2024",
        cvv: "100",
    },
    TestCard {
        brand: CardBrand::Jcb,
        number: "3530111333300000",
        expiry_month: "06",
        expiry_year: "2024",
        cvv: "100",
    },
    TestCard {
        brand: CardBrand::Discover,
        number: "6011885753412897",
        expiry_month: "06",
        expiry_year: "2024",
        cvv: "100",
    },
];

/// The CVVs that make the sandbox answer a CVV result other than a match (reference §15.4),
/// with any test card: three digits, so in the Sandbox environment the validators take them
/// for a test card of a brand printing four (American Express).
pub const CVV_TRIGGERS: [&str; 5] = ["201", "202", "204", "205", "206"];

/// The sandbox test card with this number, if it is one.
pub fn find(number: &str) -> Option<&'static TestCard> {
    TEST_CARDS.iter().find(|c| c.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::check_card_number;

    #[test]
    fn every_test_card_is_a_valid_number_of_its_brand_with_the_right_cvv_length() {
        for card in TEST_CARDS {
            let check = check_card_number(card.number);
            assert!(check.is_valid, "{}", card.number);
            assert_eq!(check.brand, Some(card.brand));
            assert_eq!(card.cvv.len(), usize::from(card.brand.cvv_length()));
            assert_eq!(find(card.number), Some(&card));
        }
        assert_eq!(find("4000300011112220"), None);
    }
}
