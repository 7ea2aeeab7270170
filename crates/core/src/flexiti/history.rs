//! Transaction history (reference §6.17, §6.18): `GET v2.5.1/…/authorizations`,
//! `GET v2.5.1/…/captures` and `GET v2.5.1/…/authorization/{authorization_id}`. The Overview's
//! "historical transactions on a per store basis" maps to the two lists; no other history
//! endpoint is documented.
//!
//! The documentation prints the list parameters in one example URL and gives no limits, so
//! flexkit decides these:
//! - `page_number` counts from 1 and `page_size` is 1 to [`MAX_PAGE_SIZE`];
//! - `creation_date_from` and `creation_date_to` are inclusive UTC dates, either may be left
//!   out, and `from` after `to` is an error (it can match nothing);
//! - a range longer than [`MAX_RANGE_DAYS`] is a warning, not an error, since Flexiti states
//!   no limit; narrow it or page through the answer;
//! - `external_location_id` filters by store. It is not in the printed example; flexkit sends
//!   it because the per-store history is the documented purpose of these lists.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{merchant_text, read_lang, root, Lang, QueryRequest, RequestBody};
use super::customer::parse_date;
use super::fields::Input;
use super::ids::{AccountNumber, FieldError, MerchantText};
use super::purchase::PurchaseType;
use crate::time::CivilDate;
use crate::validation::{code, Validation};

/// flexkit's cap on `page_size`; Flexiti documents none.
pub const MAX_PAGE_SIZE: u32 = 100;
/// The page size used when the query names none (the sandbox's, and flexkit's assumption of
/// Flexiti's).
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// flexkit's cap on `page_number`, far beyond any real history.
pub const MAX_PAGE_NUMBER: u32 = 1_000_000;
/// Ranges longer than this (a leap year) get a warning.
pub const MAX_RANGE_DAYS: i64 = 366;

/// `authorization_status`: `opened` is documented; `closed` and `unauthorized` appear in
/// error texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationStatus {
    /// Something remains to capture or release.
    Opened,
    /// Fully captured or released.
    Closed,
    /// Refused after the fact; captures are `not_permitted`.
    Unauthorized,
}

impl AuthorizationStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            AuthorizationStatus::Opened => "opened",
            AuthorizationStatus::Closed => "closed",
            AuthorizationStatus::Unauthorized => "unauthorized",
        }
    }

    fn parse(value: &str) -> Result<AuthorizationStatus, FieldError> {
        match value {
            "opened" => Ok(AuthorizationStatus::Opened),
            "closed" => Ok(AuthorizationStatus::Closed),
            "unauthorized" => Ok(AuthorizationStatus::Unauthorized),
            "open" => Err(FieldError::new(
                code::INVALID_VALUE,
                "authorization_status is \"opened\", not \"open\"",
            )),
            other => Err(FieldError::new(
                code::INVALID_VALUE,
                format!(
                    "authorization_status {other:?} is unknown; use opened, closed or \
                     unauthorized"
                ),
            )),
        }
    }
}

/// Which page of a list: `page_number` from 1, `page_size` up to [`MAX_PAGE_SIZE`]. Left out,
/// they are not sent and Flexiti's defaults apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Page {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_number: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
}

impl Page {
    /// The 1-based page number, 1 when not given.
    pub fn number(self) -> u32 {
        self.page_number.unwrap_or(1)
    }

    /// The page size, [`DEFAULT_PAGE_SIZE`] when not given.
    pub fn size(self) -> u32 {
        self.page_size.unwrap_or(DEFAULT_PAGE_SIZE)
    }
}

/// Inclusive creation dates (UTC), either end open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CreationDates {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date_from: Option<CivilDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date_to: Option<CivilDate>,
}

impl CreationDates {
    /// Whether `date` lies in the range.
    pub fn contains(&self, date: CivilDate) -> bool {
        self.creation_date_from.is_none_or(|from| from <= date)
            && self.creation_date_to.is_none_or(|to| date <= to)
    }
}

fn read_page(input: &Input<'_>, validation: &mut Validation) -> Page {
    let number = input.integer(
        "page_number",
        false,
        (1, i64::from(MAX_PAGE_NUMBER)),
        validation,
    );
    let size = input.integer(
        "page_size",
        false,
        (1, i64::from(MAX_PAGE_SIZE)),
        validation,
    );
    Page {
        page_number: number.and_then(|n| u32::try_from(n).ok()),
        page_size: size.and_then(|n| u32::try_from(n).ok()),
    }
}

fn read_dates(input: &Input<'_>, validation: &mut Validation) -> CreationDates {
    let from = input.text("creation_date_from", false, validation, |v| {
        parse_date(v, "creation_date_from")
    });
    let to = input.text("creation_date_to", false, validation, |v| {
        parse_date(v, "creation_date_to")
    });
    if let (Some(from), Some(to)) = (from, to) {
        let days = to.unix_days() - from.unix_days();
        if days < 0 {
            validation.error(
                "creation_date_to",
                code::RANGE_REVERSED,
                format!(
                    "creation_date_to {to} is before creation_date_from {from}, so nothing can \
                     match; swap them"
                ),
            );
        } else if days >= MAX_RANGE_DAYS {
            validation.warn(
                "creation_date_to",
                code::RANGE_TOO_LONG,
                format!(
                    "the range spans {} days, more than {MAX_RANGE_DAYS}; Flexiti states no \
                     limit, but a narrower range answers faster, so split it or page through",
                    days + 1
                ),
            );
        }
    }
    CreationDates {
        creation_date_from: from,
        creation_date_to: to,
    }
}

fn read_store_filter(input: &Input<'_>, validation: &mut Validation) -> Option<MerchantText> {
    merchant_text(input, "external_location_id", false, validation)
}

/// `GET v2.5.1/…/authorizations`: a page of authorizations, optionally for one account,
/// purchase type, status, store and creation-date range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AuthorizationListQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<AccountNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<PurchaseType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_status: Option<AuthorizationStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_location_id: Option<MerchantText>,
    #[serde(flatten)]
    pub dates: CreationDates,
    #[serde(flatten)]
    pub page: Page,
}

fn purchase_type(value: &str) -> Result<PurchaseType, FieldError> {
    match value {
        "promotional_purchase" => Ok(PurchaseType::PromotionalPurchase),
        "regular_purchase" => Ok(PurchaseType::RegularPurchase),
        other => Err(FieldError::new(
            code::INVALID_VALUE,
            format!(
                "transaction_type {other:?} is not a purchase type; authorizations are \
                 promotional_purchase or regular_purchase"
            ),
        )),
    }
}

impl RequestBody for AuthorizationListQuery {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        input.unknown(
            &[
                "lang",
                "account_number",
                "transaction_type",
                "authorization_status",
                "external_location_id",
                "creation_date_from",
                "creation_date_to",
                "page_number",
                "page_size",
            ],
            validation,
        );
        let query = AuthorizationListQuery {
            lang: read_lang(&input, validation),
            account_number: input.parse("account_number", false, validation, AccountNumber::parse),
            transaction_type: input.text("transaction_type", false, validation, purchase_type),
            authorization_status: input.text(
                "authorization_status",
                false,
                validation,
                AuthorizationStatus::parse,
            ),
            external_location_id: read_store_filter(&input, validation),
            dates: read_dates(&input, validation),
            page: read_page(&input, validation),
        };
        (validation.errors().count() == before).then_some(query)
    }
}

impl QueryRequest for AuthorizationListQuery {}

/// `GET v2.5.1/…/captures`: a page of captures, optionally for one account, store and
/// creation-date range (the capture's date).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CaptureListQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<AccountNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_location_id: Option<MerchantText>,
    #[serde(flatten)]
    pub dates: CreationDates,
    #[serde(flatten)]
    pub page: Page,
}

impl RequestBody for CaptureListQuery {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        input.unknown(
            &[
                "lang",
                "account_number",
                "external_location_id",
                "creation_date_from",
                "creation_date_to",
                "page_number",
                "page_size",
            ],
            validation,
        );
        let query = CaptureListQuery {
            lang: read_lang(&input, validation),
            account_number: input.parse("account_number", false, validation, AccountNumber::parse),
            external_location_id: read_store_filter(&input, validation),
            dates: read_dates(&input, validation),
            page: read_page(&input, validation),
        };
        (validation.errors().count() == before).then_some(query)
    }
}

impl QueryRequest for CaptureListQuery {}

/// `GET v2.5.1/…/authorization/{authorization_id}`: the id is in the path
/// ([`Endpoint::AuthorizationDetail`](super::Endpoint::AuthorizationDetail)); the query
/// carries only `lang`. (One page writes `&lang=` where `?lang=` is meant.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AuthorizationDetailQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

impl RequestBody for AuthorizationDetailQuery {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        input.unknown(&["lang"], validation);
        let lang = read_lang(&input, validation);
        (validation.errors().count() == before).then_some(AuthorizationDetailQuery { lang })
    }
}

impl QueryRequest for AuthorizationDetailQuery {}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(validation: &Validation) -> Vec<(String, &'static str)> {
        validation
            .errors()
            .map(|p| (p.path.clone(), p.code))
            .collect()
    }

    fn date(text: &str) -> CivilDate {
        CivilDate::parse(text).unwrap()
    }

    #[test]
    fn the_documented_example_query_reads_and_writes_back() {
        let text = "lang=en&account_number=12345678901234&transaction_type=promotional_purchase&authorization_status=opened&creation_date_from=2022-01-01&creation_date_to=2022-01-31&page_number=1&page_size=10";
        let (query, warnings) = AuthorizationListQuery::from_query(text).unwrap();
        assert!(warnings.problems().is_empty());
        assert_eq!(
            query.authorization_status,
            Some(AuthorizationStatus::Opened)
        );
        assert_eq!(query.dates.creation_date_to, Some(date("2022-01-31")));
        assert_eq!(query.page.size(), 10);
        let written = crate::flexiti::form::encode(
            query
                .to_query()
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        // Written in name order, as every query flexkit writes.
        assert_eq!(
            written,
            "account_number=12345678901234&authorization_status=opened&creation_date_from=2022-01-01&creation_date_to=2022-01-31&lang=en&page_number=1&page_size=10&transaction_type=promotional_purchase"
        );
        assert!(query.validate().problems().is_empty());
        assert_eq!(
            AuthorizationListQuery::from_query(&written).unwrap().0,
            query
        );
    }

    #[test]
    fn empty_queries_use_defaults() {
        let (query, _) = AuthorizationListQuery::from_query("").unwrap();
        assert_eq!(query, AuthorizationListQuery::default());
        assert_eq!(
            (query.page.number(), query.page.size()),
            (1, DEFAULT_PAGE_SIZE)
        );
        assert!(query.to_query().is_empty());
        assert!(CaptureListQuery::from_query("").is_ok());
    }

    #[test]
    fn list_queries_report_every_problem_at_once() {
        let problems = AuthorizationListQuery::from_query(
            "account_number=0&transaction_type=deposit&authorization_status=open&creation_date_from=2024-02-30&creation_date_to=2024-13-01&page_number=0&page_size=101&store=1&lang=de",
        )
        .unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("store".into(), code::UNKNOWN_FIELD),
                ("lang".into(), code::INVALID_VALUE),
                ("account_number".into(), code::INVALID_VALUE),
                ("transaction_type".into(), code::INVALID_VALUE),
                ("authorization_status".into(), code::INVALID_VALUE),
                ("creation_date_from".into(), code::INVALID_FORMAT),
                ("creation_date_to".into(), code::INVALID_FORMAT),
                ("page_number".into(), code::INVALID_VALUE),
                ("page_size".into(), code::INVALID_VALUE),
            ]
        );
        for problem in problems.problems() {
            assert!(!problem.message.is_empty());
        }
        let captures = CaptureListQuery::from_query(
            "creation_date_from=2024-03-02&creation_date_to=2024-03-01&page_size=x&external_location_id=&transaction_type=regular_purchase",
        )
        .unwrap_err();
        assert_eq!(
            codes(&captures),
            vec![
                ("transaction_type".into(), code::UNKNOWN_FIELD),
                ("external_location_id".into(), code::REQUIRED),
                ("creation_date_to".into(), code::RANGE_REVERSED),
                ("page_size".into(), code::INVALID_VALUE),
            ]
        );
    }

    #[test]
    fn date_ranges_and_paging_limits() {
        let range = |from: &str, to: &str| {
            CaptureListQuery::from_query(&format!(
                "creation_date_from={from}&creation_date_to={to}"
            ))
        };
        assert!(range("2024-03-01", "2024-03-01").is_ok());
        // A leap year is 366 days, inclusive: no warning.
        let (_, warnings) = range("2024-01-01", "2024-12-31").unwrap();
        assert!(warnings.problems().is_empty());
        let (_, warnings) = range("2024-01-01", "2025-01-01").unwrap();
        assert_eq!(
            warnings.warnings().map(|p| p.code).collect::<Vec<_>>(),
            [code::RANGE_TOO_LONG]
        );
        assert_eq!(
            codes(&range("2024-03-02", "2024-03-01").unwrap_err()),
            vec![("creation_date_to".into(), code::RANGE_REVERSED)]
        );
        // One end open.
        let (open, _) = CaptureListQuery::from_query("creation_date_to=2024-03-01").unwrap();
        assert!(open.dates.contains(date("1999-01-01")));
        assert!(!open.dates.contains(date("2024-03-02")));
        assert!(CaptureListQuery::from_query("page_number=1000000&page_size=100").is_ok());
        assert!(CaptureListQuery::from_query("page_number=1000001").is_err());
        assert!(CaptureListQuery::from_query("page_size=-1").is_err());
        assert!(CaptureListQuery::from_query("page_size=1&page_size=2").is_err());
        // JSON numbers are read too (the npm layer hands over parsed objects).
        let (json, _) = CaptureListQuery::from_json(r#"{"page_number":2,"page_size":5}"#).unwrap();
        assert_eq!((json.page.number(), json.page.size()), (2, 5));
    }

    #[test]
    fn detail_query_takes_only_lang() {
        assert_eq!(
            AuthorizationDetailQuery::from_query("lang=fr")
                .unwrap()
                .0
                .lang,
            Some(Lang::Fr)
        );
        assert_eq!(
            codes(&AuthorizationDetailQuery::from_query("authorization_id=1").unwrap_err()),
            vec![("authorization_id".into(), code::UNKNOWN_FIELD)]
        );
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            #[test]
            fn arbitrary_queries(text in ".{0,160}") {
                let _ = AuthorizationListQuery::from_query(&text);
                let _ = CaptureListQuery::from_query(&text);
                let _ = AuthorizationDetailQuery::from_query(&text);
                let _ = AuthorizationListQuery::from_json(&text);
            }

            #[test]
            fn arbitrary_fields(
                number in ".{0,12}", size in ".{0,12}", from in ".{0,12}", to in ".{0,12}",
            ) {
                let query = crate::flexiti::form::encode([
                    ("page_number", number.as_str()),
                    ("page_size", size.as_str()),
                    ("creation_date_from", from.as_str()),
                    ("creation_date_to", to.as_str()),
                ]);
                let _ = AuthorizationListQuery::from_query(&query);
                let _ = CaptureListQuery::from_query(&query);
            }

            #[test]
            fn accepted_queries_round_trip(days in 0i64..30_000, span in 0i64..400, page in 1u32..1000, size in 1u32..=100) {
                let from = CivilDate::from_unix_days(days).unwrap();
                let to = CivilDate::from_unix_days(days + span).unwrap();
                let query = CaptureListQuery {
                    dates: CreationDates { creation_date_from: Some(from), creation_date_to: Some(to) },
                    page: Page { page_number: Some(page), page_size: Some(size) },
                    ..Default::default()
                };
                let text = crate::flexiti::form::encode(
                    query.to_query().iter().map(|(k, v)| (k.as_str(), v.as_str())),
                );
                let (read, _) = CaptureListQuery::from_query(&text).unwrap();
                prop_assert_eq!(read, query);
            }
        }
    }
}
