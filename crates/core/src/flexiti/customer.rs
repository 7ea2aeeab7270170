//! Customer look-ups (reference §6.4, §6.5): search by person, and look-up by card, account
//! or customer id. Both are GET calls whose fields go in the query string.

use serde::Serialize;
use serde_json::{Map, Value};

use super::common::{finish, query_map, read_lang, root, Lang, QueryRequest, RequestBody};
use super::fields::parse_object;
use super::ids::{check_ascii, AccountNumber, CustomerId, FieldError, VccNumber};
use crate::time::{CivilDate, UtcTimestamp};
use crate::validation::{code, Validation};

/// How `customers/lookup` finds the account: exactly one of the three.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LookupKey {
    /// A FlexitiCard; a business authorized user's card returns the account it belongs to.
    VccNumber(VccNumber),
    AccountNumber(AccountNumber),
    CustomerId(CustomerId),
}

/// `GET v2.5/…/customers/lookup`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomerLookupQuery {
    #[serde(flatten)]
    pub key: LookupKey,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

const LOOKUP_KEYS: [&str; 3] = ["vcc_number", "account_number", "customer_id"];

impl RequestBody for CustomerLookupQuery {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        input.unknown(
            &["vcc_number", "account_number", "customer_id", "lang"],
            validation,
        );
        let given: Vec<&str> = LOOKUP_KEYS.into_iter().filter(|k| input.has(k)).collect();
        if given.is_empty() {
            validation.error(
                "",
                code::REQUIRED,
                "send one of vcc_number, account_number or customer_id to say which account \
                 to look up",
            );
        }
        if given.len() > 1 {
            for key in &given[1..] {
                validation.error(
                    *key,
                    code::CONFLICT,
                    format!(
                        "look up by one identifier only; {key} is sent together with {}, so \
                         remove one",
                        given[0]
                    ),
                );
            }
        }
        let vcc = input.parse("vcc_number", false, validation, VccNumber::parse);
        let account = input.parse("account_number", false, validation, AccountNumber::parse);
        let customer = input.parse("customer_id", false, validation, CustomerId::parse);
        let lang = read_lang(&input, validation);
        if validation.errors().count() != before {
            return None;
        }
        let key = match (vcc, account, customer) {
            (Some(vcc), None, None) => LookupKey::VccNumber(vcc),
            (None, Some(account), None) => LookupKey::AccountNumber(account),
            (None, None, Some(customer)) => LookupKey::CustomerId(customer),
            _ => return None,
        };
        Some(CustomerLookupQuery { key, lang })
    }
}

impl QueryRequest for CustomerLookupQuery {}

/// Canadian postal code as `customers/search` takes it: six characters `A1A1A1`. Spaces
/// and lower case (`m1m 1m1`, as in Flexiti's examples) are normalised away.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(value: &str) -> Result<PostalCode, FieldError> {
        let compact: String = value
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let shape_ok = compact.len() == 6
            && compact.bytes().enumerate().all(|(index, byte)| {
                if index % 2 == 0 {
                    byte.is_ascii_uppercase()
                } else {
                    byte.is_ascii_digit()
                }
            });
        if !shape_ok {
            return Err(FieldError::new(
                code::INVALID_FORMAT,
                format!(
                    "postal_code {value:?} is not a Canadian postal code; write letter, digit, \
                     letter, digit, letter, digit, as in M1M1M1"
                ),
            ));
        }
        Ok(PostalCode(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `GET v2.5/…/customers/search`: the accounts of a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomerSearchQuery {
    /// ASCII (35).
    pub first_name: String,
    /// ASCII (50).
    pub last_name: String,
    pub dob: CivilDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<PostalCode>,
}

/// Current limits; older pages allowed 80 and 130, which Flexiti no longer accepts.
pub const FIRST_NAME_MAX_LEN: usize = 35;
pub const LAST_NAME_MAX_LEN: usize = 50;

pub(crate) fn parse_date(value: &str, what: &str) -> Result<CivilDate, FieldError> {
    let well_formed = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let date = if well_formed {
        CivilDate::parse(value).ok()
    } else {
        None
    };
    date.ok_or_else(|| {
        FieldError::new(
            code::INVALID_FORMAT,
            format!("{what} {value:?} is not a calendar date; write it as YYYY-MM-DD"),
        )
    })
}

impl CustomerSearchQuery {
    /// Reads the fields, and when `today` is given checks that `dob` lies before it.
    fn read(
        map: &Map<String, Value>,
        validation: &mut Validation,
        today: Option<CivilDate>,
    ) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        input.unknown(
            &["first_name", "last_name", "dob", "postal_code"],
            validation,
        );
        let name = |key: &str, max: usize, validation: &mut Validation| {
            input.text(key, true, validation, |value| {
                check_ascii(value, max, key).map(|()| value.to_owned())
            })
        };
        let first_name = name("first_name", FIRST_NAME_MAX_LEN, validation);
        let last_name = name("last_name", LAST_NAME_MAX_LEN, validation);
        let dob = input.text("dob", true, validation, |v| {
            let dob = parse_date(v, "dob")?;
            match today {
                Some(today) if dob >= today => Err(FieldError::new(
                    code::NOT_IN_PAST,
                    format!(
                        "dob {dob} is not before today ({today}, UTC); a date of birth lies in \
                         the past, so check the year and the order of month and day"
                    ),
                )),
                _ => Ok(dob),
            }
        });
        let postal_code = input.text("postal_code", false, validation, PostalCode::parse);
        if validation.errors().count() != before {
            return None;
        }
        Some(CustomerSearchQuery {
            first_name: first_name?,
            last_name: last_name?,
            dob: dob?,
            postal_code,
        })
    }

    /// [`QueryRequest::from_query`] plus the check that `dob` lies before `now`'s UTC date.
    /// Prefer it whenever the clock is at hand: a future date of birth finds nobody.
    pub fn from_query_at(
        query: &str,
        now: UtcTimestamp,
    ) -> Result<(CustomerSearchQuery, Validation), Validation> {
        let mut validation = Validation::new();
        let parsed = query_map(query, &mut validation)
            .and_then(|map| Self::read(&map, &mut validation, Some(now.date())));
        finish(parsed, validation)
    }

    /// [`RequestBody::from_json`] plus the `dob` check of [`Self::from_query_at`].
    pub fn from_json_at(
        text: &str,
        now: UtcTimestamp,
    ) -> Result<(CustomerSearchQuery, Validation), Validation> {
        let mut validation = Validation::new();
        let parsed = parse_object(text, &mut validation)
            .and_then(|map| Self::read(&map, &mut validation, Some(now.date())));
        finish(parsed, validation)
    }

    /// [`RequestBody::validate`] plus the `dob` check of [`Self::from_query_at`].
    pub fn validate_at(&self, now: UtcTimestamp) -> Validation {
        let mut validation = Validation::new();
        let map = serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_object().cloned())
            .unwrap_or_default();
        Self::read(&map, &mut validation, Some(now.date()));
        validation
    }
}

/// Without a clock only the format of `dob` is checked; the `_at` readers add the past-date
/// rule.
impl RequestBody for CustomerSearchQuery {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        Self::read(map, validation, None)
    }
}

impl QueryRequest for CustomerSearchQuery {}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(validation: &Validation) -> Vec<(String, &'static str)> {
        validation
            .errors()
            .map(|p| (p.path.clone(), p.code))
            .collect()
    }

    #[test]
    fn lookup_by_exactly_one_identifier() {
        let (query, _) =
            CustomerLookupQuery::from_query("vcc_number=6011000000001234&lang=fr").unwrap();
        assert_eq!(
            query.to_query(),
            vec![
                ("lang".to_owned(), "fr".to_owned()),
                ("vcc_number".to_owned(), "6011000000001234".to_owned())
            ]
        );
        let (by_account, _) = CustomerLookupQuery::from_json(r#"{"account_number":42}"#).unwrap();
        assert_eq!(
            by_account.key,
            LookupKey::AccountNumber(AccountNumber::new(42).unwrap())
        );
        assert_eq!(
            codes(&CustomerLookupQuery::from_json("{}").unwrap_err()),
            vec![(String::new(), code::REQUIRED)]
        );
        assert_eq!(
            codes(
                &CustomerLookupQuery::from_query("account_number=1&customer_id=x&lang=de")
                    .unwrap_err()
            ),
            vec![
                ("customer_id".into(), code::CONFLICT),
                ("customer_id".into(), code::INVALID_FORMAT),
                ("lang".into(), code::INVALID_VALUE),
            ]
        );
        assert!(CustomerLookupQuery::from_query("lang=en-CA&customer_id=1234567-12345").is_ok());
        assert!(CustomerLookupQuery::from_query("customer_id=1&customer_id=2").is_err());
    }

    #[test]
    fn search_checks_names_dates_and_postal_codes() {
        let (query, _) = CustomerSearchQuery::from_query(
            "first_name=Jean&last_name=Tremblay&dob=1980-02-29&postal_code=h2x+1y4",
        )
        .unwrap();
        assert_eq!(query.postal_code.as_ref().unwrap().as_str(), "H2X1Y4");
        assert_eq!(
            crate::flexiti::form::encode(
                query
                    .to_query()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
            ),
            "dob=1980-02-29&first_name=Jean&last_name=Tremblay&postal_code=H2X1Y4"
        );
        let problems = CustomerSearchQuery::from_json(&format!(
            r#"{{"first_name":"{}","dob":"1981-02-29","postal_code":"12345"}}"#,
            "a".repeat(36)
        ))
        .unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("first_name".into(), code::TOO_LONG),
                ("last_name".into(), code::REQUIRED),
                ("dob".into(), code::INVALID_FORMAT),
                ("postal_code".into(), code::INVALID_FORMAT),
            ]
        );
        assert!(parse_date("1980-2-29", "dob").is_err());
    }

    fn instant(text: &str) -> UtcTimestamp {
        UtcTimestamp::parse_iso8601(text).unwrap()
    }

    #[test]
    fn dob_must_lie_before_today() {
        let now = instant("2026-03-15T23:59:59Z");
        let query = |dob: &str| format!("first_name=Jean&last_name=Tremblay&dob={dob}");
        assert!(CustomerSearchQuery::from_query_at(&query("2026-03-14"), now).is_ok());
        for dob in ["2026-03-15", "2026-03-16", "2999-01-01"] {
            let problems = CustomerSearchQuery::from_query_at(&query(dob), now).unwrap_err();
            assert_eq!(
                codes(&problems),
                vec![("dob".into(), code::NOT_IN_PAST)],
                "{dob}"
            );
            let message = &problems.problems()[0].message;
            assert!(message.contains("before today"));
            assert!(message.contains("lies in the past"), "{message}");
            assert!(!message.contains("  "), "{message}");
        }
        // Without a clock only the format is checked.
        assert!(CustomerSearchQuery::from_query(&query("2999-01-01")).is_ok());
        // Reported together with every other problem.
        let problems = CustomerSearchQuery::from_json_at(
            r#"{"first_name":"","last_name":"T","dob":"2030-01-01","postal_code":"x"}"#,
            now,
        )
        .unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("first_name".into(), code::REQUIRED),
                ("dob".into(), code::NOT_IN_PAST),
                ("postal_code".into(), code::INVALID_FORMAT),
            ]
        );
        let (typed, _) = CustomerSearchQuery::from_query(&query("2026-03-15")).unwrap();
        assert_eq!(
            codes(&typed.validate_at(now)),
            vec![("dob".into(), code::NOT_IN_PAST)]
        );
        assert!(typed
            .validate_at(instant("2026-03-16T00:00:00Z"))
            .problems()
            .is_empty());
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            #[test]
            fn arbitrary_queries(query in ".{0,120}", seconds in -62_000_000_000i64..250_000_000_000) {
                let now = UtcTimestamp::from_unix_seconds(seconds).unwrap_or(UtcTimestamp::UNIX_EPOCH);
                let _ = CustomerSearchQuery::from_query_at(&query, now);
                let _ = CustomerSearchQuery::from_json_at(&query, now);
                let _ = CustomerLookupQuery::from_query(&query);
            }

            #[test]
            fn any_real_date_is_judged(days in -700_000i64..2_900_000, offset in -5i64..5) {
                if let Some(dob) = CivilDate::from_unix_days(days) {
                    let now = dob.start_of_day().checked_add_seconds(offset * 86_400).unwrap_or(UtcTimestamp::MAX);
                    let result = CustomerSearchQuery::from_query_at(&format!("first_name=A&last_name=B&dob={dob}"), now);
                    prop_assert_eq!(result.is_ok(), dob < now.date());
                }
            }
        }
    }
}
