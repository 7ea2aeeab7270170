//! What the FlexPay Sandbox gateway answers (reference §15): test cards, trigger amounts,
//! AVS and CVV triggers, customer-recovery triggers and the void/refund scenarios.
//!
//! Every gateway in the sandbox — the built-in `flexpay_sandbox` one and those created through
//! Gateway Management — answers with these rules: the simulation cannot reach a real gateway's
//! own sandbox. Amounts are compared as integers of minor units whatever the currency, so
//! 2008 JPY triggers "do not honour" exactly like 20.08 USD.
//!
//! Order of the rules for a charge or an authorization, first match wins:
//! 1. a card number that is not one of the six test cards → 30016 with a Sandbox key;
//!    with a Production key such a card is a live card (see [`CardIdentity::LiveCard`]);
//! 2. a trigger amount (2005, 2008, 2012, 3016, 4018, 5023, 6020, 7028) → its code;
//! 3. a CVV trigger that declines (201, 202, 204, 205, 206) → its code;
//! 4. otherwise 10000.
//!
//! A retry of a soft-declined payment carries that payment's amount, so rule 2 is replaced
//! by the retry model of [`super::retry_schedule`] (by the chain's soft code and the retry's
//! number); rules 1 and 3 still apply.
//!
//! `address1` (`Street_A` … `Street_Y`) only changes `avsCode`; it never declines.

use crate::flexpay::response_code::ResponseCode;
use crate::flexpay::test_cards::TEST_CARDS;
use crate::flexpay::verification::{AvsResult, CvvResult};

/// How the card of a charge or authorization reached the sandbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CardIdentity {
    /// One of the six sandbox test cards (index into [`TEST_CARDS`]).
    TestCard(u8),
    /// A card number that is not a test card, sent with a Sandbox key.
    Unknown,
    /// A card number that is not a test card, sent with a Production key. The simulated
    /// live environment has no issuer to ask, so such a card is answered by the rules the
    /// sandbox gateway applies to a test card (trigger amounts, CVV triggers, else 10000):
    /// flexkit's choice, since FlexPay documents only its sandbox's answers. The sandbox test
    /// cards themselves expired in 2024, so validation refuses them in Production.
    LiveCard,
    /// A card stored at the gateway: the sandbox trusts the gateway to know it.
    GatewayStored,
}

impl CardIdentity {
    /// The identity of a card number sent with a Sandbox key (`live` false) or a Production
    /// key (`live` true).
    pub(crate) fn from_number(number: &str, live: bool) -> CardIdentity {
        let other = if live {
            CardIdentity::LiveCard
        } else {
            CardIdentity::Unknown
        };
        TEST_CARDS
            .iter()
            .position(|card| card.number == number)
            .and_then(|index| u8::try_from(index).ok())
            .map_or(other, CardIdentity::TestCard)
    }
}

/// The gateway's verdict on one charge or authorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub code: ResponseCode,
    pub avs: AvsResult,
    /// `None` when no CVV was sent (then `cvvCode` reads `P`, not processed).
    pub cvv: Option<CvvResult>,
}

/// What `paymentMethod.address1` makes the AVS check answer; `S` (not supported) otherwise,
/// as observed on untriggered sandbox answers.
pub(crate) fn avs_for(address1: Option<&str>) -> AvsResult {
    match address1 {
        Some("Street_A") => AvsResult::StreetMatchOnly,
        Some("Street_E") => AvsResult::NotAllowed,
        Some("Street_N") => AvsResult::NoMatch,
        Some("Street_X") => AvsResult::StreetAndNineDigitZipMatch,
        Some("Street_Y") => AvsResult::StreetAndFiveDigitZipMatch,
        _ => AvsResult::NotSupported,
    }
}

/// The CVV letter and, for the declining triggers, the code.
fn cvv_trigger(cvv: &str) -> (CvvResult, Option<ResponseCode>) {
    let code = |value| ResponseCode::new(value).ok();
    match cvv {
        "201" => (CvvResult::IssuerNotCertified, code(30049)),
        "202" => (CvvResult::NoMatch, code(40006)),
        "204" => (CvvResult::NoResult, code(30049)),
        "205" => (CvvResult::NotProcessed, code(30049)),
        "206" => (CvvResult::ShouldBeOnCard, code(40003)),
        _ => (CvvResult::Match, None),
    }
}

/// The code a trigger amount produces, `None` for an ordinary amount.
///
/// 7028 is documented only with `disableCustomerRecovery: true` (30080); without the opt-out
/// it mirrors 6020 and soft-declines with 20000, the customer-recovery hand-off.
pub(crate) fn amount_trigger(
    amount: i64,
    disable_customer_recovery: Option<bool>,
) -> Option<ResponseCode> {
    let opted_out = disable_customer_recovery == Some(true);
    let value = match amount {
        2005 => 20000,
        2008 => 20003,
        2012 => 20023,
        3016 => 30011,
        4018 => 40000,
        5023 => 50000,
        6020 if opted_out => return None,
        6020 => 20000,
        7028 if opted_out => 30080,
        7028 => 20000,
        _ => return None,
    };
    ResponseCode::new(value).ok()
}

/// The verdict on a charge or an authorization sent by the merchant.
pub(crate) fn charge_verdict(
    card: CardIdentity,
    amount: i64,
    cvv: Option<&str>,
    address1: Option<&str>,
    disable_customer_recovery: Option<bool>,
) -> Verdict {
    verdict(
        card,
        amount_trigger(amount, disable_customer_recovery),
        cvv,
        address1,
    )
}

/// The verdict on a retry of a payment (an attempt that echoes its `referenceData`, or one
/// the scheduler fires): `code` is what the retry model answers (`retry_schedule`) in place
/// of the amount trigger, since a retry carries its payment's amount. The card and CVV
/// rules still apply: a card that is not a test card declines with 30016, and a declining
/// CVV trigger declines a retry the model would approve.
pub(crate) fn retry_verdict(
    card: CardIdentity,
    code: ResponseCode,
    cvv: Option<&str>,
    address1: Option<&str>,
) -> Verdict {
    verdict(
        card,
        (code != ResponseCode::APPROVED).then_some(code),
        cvv,
        address1,
    )
}

/// The rules of the module documentation in order: the card, then `declined_with` (an amount
/// trigger's or the retry model's decline), then the CVV trigger, else approved.
fn verdict(
    card: CardIdentity,
    declined_with: Option<ResponseCode>,
    cvv: Option<&str>,
    address1: Option<&str>,
) -> Verdict {
    let (cvv_result, cvv_code) = match cvv {
        Some(cvv) => {
            let (letter, code) = cvv_trigger(cvv);
            (Some(letter), code)
        }
        None => (None, None),
    };
    let code = if card == CardIdentity::Unknown {
        ResponseCode::INVALID_PARAMETERS
    } else {
        declined_with.or(cvv_code).unwrap_or(ResponseCode::APPROVED)
    };
    Verdict {
        code,
        avs: avs_for(address1),
        cvv: cvv_result,
    }
}

/// Scenario V1: a charge of 9000 has "settled", so voiding it fails with 30013 (reversal
/// failed) and the merchant must refund instead.
pub(crate) fn void_verdict(original_amount: i64) -> ResponseCode {
    if original_amount == 9000 {
        ResponseCode::REVERSAL_FAILED
    } else {
        ResponseCode::APPROVED
    }
}

/// Observed: a refund asking for exactly 3016 answers 30015 (the gateway's invalid amount),
/// the refund-side reading of the 3016 trigger.
pub(crate) fn refund_amount_trigger(requested: Option<i64>) -> Option<ResponseCode> {
    (requested == Some(3016)).then_some(ResponseCode::INVALID_AMOUNT)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VISA: CardIdentity = CardIdentity::TestCard(0);

    fn code(amount: i64) -> u32 {
        charge_verdict(VISA, amount, Some("879"), None, None)
            .code
            .value()
    }

    #[test]
    fn test_cards_are_recognised_and_other_numbers_decline_30016() {
        for (index, card) in TEST_CARDS.iter().enumerate() {
            assert_eq!(
                CardIdentity::from_number(card.number, false),
                CardIdentity::TestCard(index as u8)
            );
        }
        assert_eq!(
            CardIdentity::from_number("4000300011112220", false),
            CardIdentity::Unknown
        );
        let verdict = charge_verdict(CardIdentity::Unknown, 1000, None, None, None);
        assert_eq!(verdict.code.value(), 30016);
        // Unknown card wins over a trigger amount.
        let verdict = charge_verdict(CardIdentity::Unknown, 2008, None, None, None);
        assert_eq!(verdict.code.value(), 30016);
    }

    #[test]
    fn a_live_card_is_answered_by_the_amount_and_cvv_rules() {
        let live = CardIdentity::from_number("4000300011112220", true);
        assert_eq!(live, CardIdentity::LiveCard);
        assert_eq!(CardIdentity::from_number(TEST_CARDS[0].number, true), VISA);
        let code = |amount, cvv| charge_verdict(live, amount, cvv, None, None).code.value();
        assert_eq!(code(1000, None), 10000);
        assert_eq!(code(2008, None), 20003);
        assert_eq!(code(3016, Some("123")), 30011);
        assert_eq!(code(1000, Some("202")), 40006);
    }

    #[test]
    fn amount_triggers_produce_the_documented_codes() {
        for (amount, expected) in [
            (2005, 20000),
            (2008, 20003),
            (2012, 20023),
            (3016, 30011),
            (4018, 40000),
            (5023, 50000),
            (1000, 10000),
            (2009, 10000),
        ] {
            assert_eq!(code(amount), expected, "{amount}");
        }
        let gateway = charge_verdict(CardIdentity::GatewayStored, 2012, None, None, None);
        assert_eq!(gateway.code.value(), 20023);
    }

    #[test]
    fn customer_recovery_triggers_follow_the_opt_out_flag() {
        let with = |amount, flag| charge_verdict(VISA, amount, None, None, flag).code.value();
        assert_eq!(with(6020, Some(true)), 10000);
        assert_eq!(with(6020, Some(false)), 20000);
        assert_eq!(with(6020, None), 20000);
        assert_eq!(with(7028, Some(true)), 30080);
        assert_eq!(with(7028, None), 20000);
    }

    #[test]
    fn cvv_triggers_set_the_letter_and_the_code() {
        for (cvv, letter, expected) in [
            ("201", CvvResult::IssuerNotCertified, 30049),
            ("202", CvvResult::NoMatch, 40006),
            ("203", CvvResult::Match, 10000),
            ("204", CvvResult::NoResult, 30049),
            ("205", CvvResult::NotProcessed, 30049),
            ("206", CvvResult::ShouldBeOnCard, 40003),
            ("879", CvvResult::Match, 10000),
        ] {
            let verdict = charge_verdict(VISA, 1000, Some(cvv), None, None);
            assert_eq!(verdict.cvv, Some(letter), "{cvv}");
            assert_eq!(verdict.code.value(), expected, "{cvv}");
        }
        assert_eq!(charge_verdict(VISA, 1000, None, None, None).cvv, None);
        // An amount trigger wins over a CVV trigger.
        assert_eq!(
            charge_verdict(VISA, 2008, Some("201"), None, None)
                .code
                .value(),
            20003
        );
    }

    #[test]
    fn avs_triggers_only_change_the_avs_letter() {
        for (address, letter) in [
            ("Street_A", "A"),
            ("Street_E", "E"),
            ("Street_N", "N"),
            ("Street_S", "S"),
            ("Street_X", "X"),
            ("Street_Y", "Y"),
            ("1180 Harbour Street", "S"),
        ] {
            let verdict = charge_verdict(VISA, 1000, Some("879"), Some(address), None);
            assert_eq!(verdict.avs.letter(), letter, "{address}");
            assert_eq!(verdict.code, ResponseCode::APPROVED);
        }
    }

    #[test]
    fn every_code_a_trigger_answers_is_five_digits_as_flexpay_writes_it() {
        let mut codes = vec![void_verdict(9000), void_verdict(1000)];
        codes.extend(refund_amount_trigger(Some(3016)));
        for amount in [1000, 2005, 2008, 2012, 3016, 4018, 5023, 6020, 7028, 9000] {
            for opted_out in [None, Some(false), Some(true)] {
                codes.push(charge_verdict(VISA, amount, Some("879"), None, opted_out).code);
            }
        }
        for cvv in ["201", "202", "204", "205", "206", "879"] {
            codes.push(charge_verdict(VISA, 1000, Some(cvv), None, None).code);
        }
        codes.push(
            charge_verdict(
                CardIdentity::from_number("4111111111111112", false),
                1000,
                None,
                None,
                None,
            )
            .code,
        );
        for code in codes {
            let text = code.to_string();
            assert_eq!(ResponseCode::parse_five_digits(&text), Ok(code), "{text}");
        }
    }

    #[test]
    fn void_and_refund_scenarios() {
        assert_eq!(void_verdict(9000), ResponseCode::REVERSAL_FAILED);
        assert_eq!(void_verdict(7514), ResponseCode::APPROVED);
        assert_eq!(
            refund_amount_trigger(Some(3016)),
            Some(ResponseCode::INVALID_AMOUNT)
        );
        assert_eq!(refund_amount_trigger(None), None);
        assert_eq!(refund_amount_trigger(Some(4000)), None);
    }
}
