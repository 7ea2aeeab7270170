//! The transaction (and vault) list query.

use crate::flexpay::list::{count_in_range, count_refusal, ListTransactionsQuery};
use crate::time::{CivilDate, TimeError, UtcTimestamp};
use crate::validation::{code, Validation};

use super::checks::{self, At};
use super::{limits, ValidationContext};

/// Validates the query of `GET /v1/transactions` (also `GET /v1/paymentmethods`), with the
/// parameter names as paths. A `count` outside 1 to 100 is an error, worded as one of
/// another type is (FlexPay documents at most 100 and no clamping).
pub fn validate_list_query(query: &ListTransactionsQuery, ctx: &ValidationContext) -> Validation {
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "");
    if let Some(count) = query.count.filter(|&count| !count_in_range(count)) {
        at.error(
            "count",
            code::INVALID_VALUE,
            format!("{}.", count_refusal(&count.to_string())),
        );
    }
    if let Some(since) = &query.since_transaction_id {
        if since.trim().is_empty() {
            at.error(
                "sinceTransactionId",
                code::REQUIRED,
                "sinceTransactionId is empty: send the transactionId of the last item of the \
                 previous page, or leave the parameter out on the first call.",
            );
        } else if checks::within_length(
            &mut at,
            "sinceTransactionId",
            since,
            limits::TRANSACTION_ID,
        ) && !since.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            at.error(
                "sinceTransactionId",
                code::INVALID_FORMAT,
                "sinceTransactionId must be a FlexPay transactionId (letters and digits), \
                 copied from the last item of the previous page.",
            );
        }
    }
    if let Some(start) = &query.start_date {
        // An instant is what the sandbox reads too, and lists from; FlexPay documents a date.
        let date: Result<CivilDate, TimeError> = CivilDate::parse(start).or_else(|error| {
            let instant = UtcTimestamp::parse_iso8601(start).map_err(|_| error)?;
            at.warn(
                "startDate",
                code::INVALID_FORMAT,
                format!(
                    "startDate is an instant; FlexPay documents a date, YYYY-M-D, such as {}, \
                     listed from the start of that UTC day.",
                    instant.date()
                ),
            );
            Ok(instant.date())
        });
        match date {
            Err(error) => at.error(
                "startDate",
                code::INVALID_FORMAT,
                format!("startDate is not a date ({error})."),
            ),
            Ok(date) if date > ctx.now.date() => at.warn(
                "startDate",
                code::INVALID_VALUE,
                format!(
                    "startDate {date} is after today ({}), so the list will be empty.",
                    ctx.now.date()
                ),
            ),
            Ok(_) if query.since_transaction_id.is_some() => at.warn(
                "startDate",
                code::CONFLICT,
                "startDate is for the first call of a time frame only; later pages are asked \
                 for with sinceTransactionId alone, so leave startDate out.",
            ),
            Ok(_) => {}
        }
    }
    validation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::list::SortOrder;
    use crate::validation::Severity;

    use super::super::fixtures::*;

    #[test]
    fn first_and_later_pages() {
        let ctx = production();
        let first = ListTransactionsQuery::starting("2026-11-1")
            .order(SortOrder::Desc)
            .count(100)
            .simplified();
        assert_clean(&validate_list_query(&first, &ctx));
        let next = ListTransactionsQuery::since("7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA").count(20);
        assert_clean(&validate_list_query(&next, &ctx));
        assert_clean(&validate_list_query(
            &ListTransactionsQuery::default(),
            &ctx,
        ));
    }

    #[test]
    fn query_problems() {
        let ctx = production();
        for count in [0, 101, 1000, u32::MAX] {
            let v = validate_list_query(&ListTransactionsQuery::default().count(count), &ctx);
            assert_one(&v, "count", code::INVALID_VALUE, Severity::Error);
            assert_eq!(
                v.problems()[0].message,
                format!(
                    "count must be a whole number of items per page, 1 to 100 (20 when left \
                     out), not {count}."
                )
            );
        }
        for count in [1, 20, 100] {
            let v = validate_list_query(&ListTransactionsQuery::default().count(count), &ctx);
            assert_clean(&v);
        }
        let v = validate_list_query(&ListTransactionsQuery::starting("2026-13-01"), &ctx);
        assert_one(&v, "startDate", code::INVALID_FORMAT, Severity::Error);
        let v = validate_list_query(&ListTransactionsQuery::starting("2026-11-22"), &ctx);
        assert_one(&v, "startDate", code::INVALID_VALUE, Severity::Warning);
        // An instant, which the sandbox reads: a warning naming the date to send.
        let v = validate_list_query(
            &ListTransactionsQuery::starting("2026-11-08T00:00:00Z"),
            &ctx,
        );
        assert_one(&v, "startDate", code::INVALID_FORMAT, Severity::Warning);
        assert!(v.problems()[0].message.contains("such as 2026-11-08,"));
        // Neither a date nor an instant: still explained as the date it should be.
        let v = validate_list_query(&ListTransactionsQuery::starting("2026-11-08T25:00Z"), &ctx);
        assert_one(&v, "startDate", code::INVALID_FORMAT, Severity::Error);
        let both = ListTransactionsQuery {
            start_date: Some("2026-11-01".into()),
            ..ListTransactionsQuery::since("7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA")
        };
        assert_one(
            &validate_list_query(&both, &ctx),
            "startDate",
            code::CONFLICT,
            Severity::Warning,
        );
        let v = validate_list_query(&ListTransactionsQuery::since(""), &ctx);
        assert_one(&v, "sinceTransactionId", code::REQUIRED, Severity::Error);
        let v = validate_list_query(&ListTransactionsQuery::since("7R2K X9"), &ctx);
        assert_one(
            &v,
            "sinceTransactionId",
            code::INVALID_FORMAT,
            Severity::Error,
        );
    }
}
