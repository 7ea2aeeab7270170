//! Calls on one account (reference §6.6, §6.9): `verify`, which gives the in-store PIN, and
//! `calculate-interest` (v2.5.1), which lists the plans and payments a customer can be
//! offered. Both take the account number in the path, so their bodies do not carry it.

use core::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::amount;
use super::common::{merchant_text, root, RequestBody, VerificationCode};
use super::ids::{check_ascii, FieldError, MerchantText, VccNumber};
use crate::money::Money;
use crate::validation::{code, Validation};

/// How `verify` checks the customer (`format`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum VerifyMethod {
    /// A PIN is e-mailed to the address on file.
    Email,
    /// A PIN is texted to the mobile number on file.
    Sms,
    /// The customer answers their security question; a right answer returns the PIN.
    SecurityQuestion {
        security_qid: String,
        security_answer: String,
    },
    /// A PIN valid for regular purchases only, allowed when `calculate-interest` answers
    /// `regular_purchase.verify: true`.
    RegularPurchaseBypass,
    /// Merchants Flexiti enabled for it skip customer verification.
    MerchantOverride,
}

impl VerifyMethod {
    pub const fn format(&self) -> &'static str {
        match self {
            VerifyMethod::Email => "email",
            VerifyMethod::Sms => "sms",
            VerifyMethod::SecurityQuestion { .. } => "security_question",
            VerifyMethod::RegularPurchaseBypass => "regular_purchase_bypass",
            VerifyMethod::MerchantOverride => "merchant_override",
        }
    }
}

/// The question ids an older page lists (`4` to `9`); the current pages list none, so other
/// ids are sent with a warning rather than refused.
pub const KNOWN_SECURITY_QIDS: [&str; 6] = ["4", "5", "6", "7", "8", "9"];
/// flexkit's caps; Flexiti documents no length for these two.
pub const SECURITY_QID_MAX_LEN: usize = 10;
pub const SECURITY_ANSWER_MAX_LEN: usize = 100;

/// The body of `POST v2.5/…/account/{account_number}/verify`, an in-store call: `request_id`
/// is always required, and the purchase that follows reuses it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountVerifyBody {
    #[serde(flatten)]
    pub method: VerifyMethod,
    /// A business account's authorized user's card, sent with the primary account number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vcc_number: Option<VccNumber>,
    pub request_id: MerchantText,
}

const FORMATS: &str = "email, sms, security_question, regular_purchase_bypass or merchant_override";

impl RequestBody for AccountVerifyBody {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        input.unknown(
            &[
                "format",
                "vcc_number",
                "security_qid",
                "security_answer",
                "request_id",
            ],
            validation,
        );
        let format = input.text("format", true, validation, |value| match value {
            "email"
            | "sms"
            | "security_question"
            | "regular_purchase_bypass"
            | "merchant_override" => Ok(value.to_owned()),
            "security_answer" => Err(FieldError::new(
                code::INVALID_VALUE,
                "format \"security_answer\" is the widget's older name; send \
                 \"security_question\" with security_qid and security_answer",
            )),
            other => Err(FieldError::new(
                code::INVALID_VALUE,
                format!("format {other:?} is unknown; use {FORMATS}"),
            )),
        });
        let question = format.as_deref() == Some("security_question");
        let qid = input.parse("security_qid", question, validation, |value| {
            check_ascii(value, SECURITY_QID_MAX_LEN, "security_qid").map(|()| value.to_owned())
        });
        if let Some(qid) = &qid {
            if !KNOWN_SECURITY_QIDS.contains(&qid.as_str()) {
                validation.warn(
                    "security_qid",
                    code::INVALID_VALUE,
                    format!(
                        "security_qid {qid:?} is not one of the documented question ids 4 to 9; \
                         send the id customers/lookup returned in security_qid.id"
                    ),
                );
            }
        }
        let answer = input.text("security_answer", question, validation, |value| {
            if value.trim().is_empty() {
                return Err(FieldError::new(
                    code::REQUIRED,
                    "security_answer is blank; send the customer's answer",
                ));
            }
            check_ascii(value, SECURITY_ANSWER_MAX_LEN, "security_answer")
                .map(|()| value.to_owned())
        });
        if format.is_some() && !question {
            for key in ["security_qid", "security_answer"] {
                if input.has(key) {
                    validation.error(
                        key,
                        code::CONFLICT,
                        format!(
                            "{key} belongs to format \"security_question\"; remove it or change \
                             the format"
                        ),
                    );
                }
            }
        }
        let present = input.has("vcc_number");
        let vcc_number = input.parse("vcc_number", false, validation, VccNumber::parse);
        let request_id = merchant_text(&input, "request_id", true, validation);
        if validation.errors().count() != before || (present && vcc_number.is_none()) {
            return None;
        }
        let method = match format?.as_str() {
            "email" => VerifyMethod::Email,
            "sms" => VerifyMethod::Sms,
            "security_question" => VerifyMethod::SecurityQuestion {
                security_qid: qid?,
                security_answer: answer?,
            },
            "regular_purchase_bypass" => VerifyMethod::RegularPurchaseBypass,
            _ => VerifyMethod::MerchantOverride,
        };
        Some(AccountVerifyBody {
            method,
            vcc_number,
            request_id: request_id?,
        })
    }
}

/// What `verify` answers in `verification_code`: a notice that the PIN went to the customer
/// (`verification_sent_to_sms`, `verification_sent_to_email`), or the PIN itself, which the
/// documentation shows as a JSON number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerificationOutcome {
    SentToSms,
    SentToEmail,
    Code(VerificationCode),
}

impl Serialize for VerificationOutcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            VerificationOutcome::SentToSms => serializer.serialize_str("verification_sent_to_sms"),
            VerificationOutcome::SentToEmail => {
                serializer.serialize_str("verification_sent_to_email")
            }
            // A number as documented, unless a leading zero would be lost.
            VerificationOutcome::Code(code) => match code.as_str().parse::<u64>() {
                Ok(number) if !code.as_str().starts_with('0') => serializer.serialize_u64(number),
                _ => serializer.serialize_str(code.as_str()),
            },
        }
    }
}

impl<'de> Deserialize<'de> for VerificationOutcome {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = super::ids::string_or_number(deserializer)?;
        Ok(match text.as_str() {
            "verification_sent_to_sms" => VerificationOutcome::SentToSms,
            "verification_sent_to_email" => VerificationOutcome::SentToEmail,
            other => VerificationOutcome::Code(
                VerificationCode::parse(other).map_err(de::Error::custom)?,
            ),
        })
    }
}

/// The answer of `verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyResponse {
    pub verification_code: VerificationOutcome,
}

/// The body of `POST v2.5.1/…/accounts/{account_number}/calculate-interest`: the purchase
/// amount to quote plans and payments for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalculateInterestBody {
    #[serde(with = "amount")]
    pub amount: Money,
}

impl RequestBody for CalculateInterestBody {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        input.unknown(&["amount"], validation);
        let amount = input.amount("amount", true, validation, amount::check_positive);
        if validation.errors().count() != before {
            return None;
        }
        Some(CalculateInterestBody { amount: amount? })
    }
}

/// A rate typed `number (5,4)`, such as `0.2999` for 29.99 % a year, kept in ten-thousandths
/// so it is never a float. Written as a decimal string; read from strings and JSON numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rate(u32);

impl Rate {
    /// The largest `number (5,4)`: 9.9999.
    pub const MAX_TEN_THOUSANDTHS: u32 = 99_999;

    pub const fn from_ten_thousandths(value: u32) -> Rate {
        Rate(value)
    }

    pub const fn ten_thousandths(self) -> u32 {
        self.0
    }

    pub fn parse(text: &str) -> Result<Rate, FieldError> {
        let invalid = || {
            FieldError::new(
                code::INVALID_FORMAT,
                format!(
                    "rate {text:?} is not a number (5,4); write it as a decimal with at most 4 \
                     places, such as 0.2999"
                ),
            )
        };
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 1 || fraction.len() > 4 {
            return Err(invalid());
        }
        if !digits(whole) || !digits(fraction) {
            return Err(invalid());
        }
        let padded = format!("{whole}{fraction:0<4}");
        padded.parse().map(Rate).map_err(|_| invalid())
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:04}", self.0 / 10_000, self.0 % 10_000)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

struct RateVisitor;

impl Visitor<'_> for RateVisitor {
    type Value = Rate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a rate such as 0.2999")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Rate, E> {
        Rate::parse(value).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Rate, E> {
        Rate::parse(&value.to_string()).map_err(E::custom)
    }

    // The shortest text of a float with at most 4 places is the decimal written; one with
    // more is refused as such a text would be.
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Rate, E> {
        match super::decimal::short_decimal(value, 4) {
            Some(text) => Rate::parse(&text).map_err(E::custom),
            None => Err(E::custom(FieldError::new(
                code::INVALID_FORMAT,
                "the rate is not a number (5,4); write it as a decimal with at most 4 places, \
                 such as 0.2999",
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RateVisitor)
    }
}

/// A fee line (`fees[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub description: String,
    #[serde(with = "amount")]
    pub amount: Money,
    /// `admin_total`, `admin_monthly`, ...
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `customer` of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteCustomer {
    #[serde(with = "amount")]
    pub available_credit: Money,
    pub air: Rate,
    pub first_name: String,
    pub last_name: String,
    /// `preferred`, `premium` or `standard` (older name `customer_category_type`).
    #[serde(alias = "customer_category_type")]
    pub category_type: String,
}

/// `regular_purchase` of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegularPurchaseQuote {
    #[serde(with = "amount")]
    pub term_amount: Money,
    pub air: Rate,
    /// Whether `verify` with `regular_purchase_bypass` is allowed for this amount.
    pub verify: bool,
    #[serde(default)]
    pub fees: Vec<Fee>,
}

/// `annual_rates` of a term (v2.5 had `apr`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualRate {
    pub description: String,
    pub rate: Rate,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One term of a promotional plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermQuote {
    /// Months.
    pub term: u16,
    #[serde(with = "amount")]
    pub term_amount: Money,
    pub annual_rates: AnnualRate,
    #[serde(default)]
    pub fees: Vec<Fee>,
}

/// One promotional plan with its terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanQuote {
    pub plan_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_name: Option<String>,
    pub terms: Vec<TermQuote>,
}

/// The answer of `calculate-interest` (v2.5.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalculateInterestResponse {
    pub account_number: u64,
    pub account_type: String,
    #[serde(with = "amount")]
    pub amount: Money,
    pub customer: QuoteCustomer,
    pub regular_purchase: RegularPurchaseQuote,
    pub promotional_purchase: Vec<PlanQuote>,
}

impl CalculateInterestResponse {
    /// Whether the quoted amount is above the customer's available credit, so that a purchase
    /// of it, on any plan or as a regular purchase, is refused with `credit_exceeded` (the
    /// rule of [`check_authorization`](super::rules::check_authorization)).
    pub fn exceeds_available_credit(&self) -> bool {
        super::rules::exceeds(self.amount, self.customer.available_credit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexiti::amount::cad;

    fn codes(validation: &Validation) -> Vec<(String, &'static str)> {
        validation
            .errors()
            .map(|p| (p.path.clone(), p.code))
            .collect()
    }

    #[test]
    fn verify_bodies_serialize_exactly_and_read_back() {
        let question = AccountVerifyBody {
            method: VerifyMethod::SecurityQuestion {
                security_qid: "5".into(),
                security_answer: "Blue".into(),
            },
            vcc_number: Some(VccNumber::parse("6011000000000018").unwrap()),
            request_id: MerchantText::parse("12345678901234567890", "request_id").unwrap(),
        };
        assert_eq!(
            question.to_json(),
            r#"{"format":"security_question","security_qid":"5","security_answer":"Blue","vcc_number":"6011000000000018","request_id":"12345678901234567890"}"#
        );
        let sms = AccountVerifyBody {
            method: VerifyMethod::Sms,
            vcc_number: None,
            request_id: MerchantText::parse("xx-1234-aa-1234", "request_id").unwrap(),
        };
        assert_eq!(
            sms.to_json(),
            r#"{"format":"sms","request_id":"xx-1234-aa-1234"}"#
        );
        for body in [question, sms] {
            assert!(body.validate().problems().is_empty());
            assert_eq!(
                AccountVerifyBody::from_json(&body.to_json()).unwrap().0,
                body
            );
        }
        let (numeric, _) =
            AccountVerifyBody::from_json(r#"{"format":"security_question","security_qid":6,"security_answer":"x","request_id":1}"#)
                .unwrap();
        assert_eq!(numeric.request_id.as_str(), "1");
    }

    #[test]
    fn verify_reports_every_problem_at_once() {
        let problems = AccountVerifyBody::from_json(
            r#"{"format":"security_question","security_answer":"  ","vcc_number":"12","pin":1}"#,
        )
        .unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("pin".into(), code::UNKNOWN_FIELD),
                ("security_qid".into(), code::REQUIRED),
                ("security_answer".into(), code::REQUIRED),
                ("vcc_number".into(), code::TOO_SHORT),
                ("request_id".into(), code::REQUIRED),
            ]
        );
        let conflict = AccountVerifyBody::from_json(
            r#"{"format":"sms","security_qid":"4","security_answer":"a","request_id":"r"}"#,
        )
        .unwrap_err();
        assert_eq!(
            codes(&conflict),
            vec![
                ("security_qid".into(), code::CONFLICT),
                ("security_answer".into(), code::CONFLICT),
            ]
        );
        for (format, fragment) in [("security_answer", "older name"), ("pin", "unknown")] {
            let problems = AccountVerifyBody::from_json(&format!(
                r#"{{"format":"{format}","request_id":"r"}}"#
            ))
            .unwrap_err();
            assert_eq!(
                codes(&problems),
                vec![("format".into(), code::INVALID_VALUE)]
            );
            assert!(problems.problems()[0].message.contains(fragment));
        }
        let (_, warnings) = AccountVerifyBody::from_json(
            r#"{"format":"security_question","security_qid":"12","security_answer":"a","request_id":"r"}"#,
        )
        .unwrap();
        assert_eq!(warnings.warnings().count(), 1);
        assert_eq!(
            codes(&AccountVerifyBody::from_json(r#"{"format":"email"}"#).unwrap_err()),
            vec![("request_id".into(), code::REQUIRED)]
        );
    }

    #[test]
    fn verification_outcomes_in_both_documented_forms() {
        let read = |json: &str| serde_json::from_str::<VerifyResponse>(json).unwrap();
        assert_eq!(
            read(r#"{"verification_code":"verification_sent_to_sms"}"#).verification_code,
            VerificationOutcome::SentToSms
        );
        let pin = read(r#"{"verification_code":24856785}"#);
        assert_eq!(
            pin.verification_code,
            VerificationOutcome::Code(VerificationCode::parse("24856785").unwrap())
        );
        assert_eq!(
            serde_json::to_string(&pin).unwrap(),
            r#"{"verification_code":24856785}"#
        );
        let zero = VerifyResponse {
            verification_code: VerificationOutcome::Code(VerificationCode::parse("0123").unwrap()),
        };
        assert_eq!(
            serde_json::to_string(&zero).unwrap(),
            r#"{"verification_code":"0123"}"#
        );
        assert!(serde_json::from_str::<VerifyResponse>(r#"{"verification_code":"sent"}"#).is_err());
    }

    #[test]
    fn calculate_interest_body() {
        let body = CalculateInterestBody {
            amount: cad(150_000),
        };
        assert_eq!(body.to_json(), r#"{"amount":"1500.00"}"#);
        assert_eq!(
            CalculateInterestBody::from_json(r#"{"amount":1500}"#)
                .unwrap()
                .0,
            body
        );
        assert_eq!(
            codes(&CalculateInterestBody::from_json(r#"{"amount":"0.00","plan":1}"#).unwrap_err()),
            vec![
                ("plan".into(), code::UNKNOWN_FIELD),
                ("amount".into(), code::ZERO_AMOUNT)
            ]
        );
        assert_eq!(
            codes(&CalculateInterestBody::from_json("{}").unwrap_err()),
            vec![("amount".into(), code::REQUIRED)]
        );
    }

    #[test]
    fn rates_are_exact_decimals() {
        assert_eq!(Rate::parse("0.2999").unwrap().ten_thousandths(), 2999);
        assert_eq!(Rate::parse("0.3").unwrap().to_string(), "0.3000");
        assert_eq!(Rate::parse("1").unwrap().ten_thousandths(), 10_000);
        for bad in ["", ".5", "0.12345", "10.0", "-0.1", "0,2", "0.2e1"] {
            assert!(Rate::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(serde_json::from_str::<Rate>("0.3099").unwrap(), Rate(3099));
        assert_eq!(
            serde_json::from_str::<Rate>("\"0.3099\"").unwrap(),
            Rate(3099)
        );
        assert_eq!(serde_json::to_string(&Rate(3099)).unwrap(), "\"0.3099\"");
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            #[test]
            fn arbitrary_bodies(text in ".{0,160}", format in "(email|sms|security_question|x)") {
                let _ = AccountVerifyBody::from_json(&text);
                let _ = CalculateInterestBody::from_json(&text);
                let _ = Rate::parse(&text);
                let json = format!(r#"{{"format":"{format}","security_qid":{text:?},"security_answer":{text:?},"request_id":{text:?}}}"#);
                let _ = AccountVerifyBody::from_json(&json);
            }
        }
    }
}
