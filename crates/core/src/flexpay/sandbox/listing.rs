//! `GET /v1/transactions` (reference §6): the key's company and environment, oldest first by
//! default, pages of `count` (20, at most 100), continued with `sinceTransactionId`, started
//! with `startDate`, full or `simplified` items.
//!
//! Transactions are ordered by `transactionDate`, ties by the order they were made. An
//! unknown `sinceTransactionId` or an unreadable `startDate` is refused with HTTP 400 rather
//! than answered with an empty page, which would silently end a sync, and so is a `count`
//! outside 1 to 100 rather than served clamped.

use serde::Serialize;

use crate::flexpay::list::{
    count_in_range, count_refusal, FullTransactionListItem, ListGateway, ListResponseType,
    ListTransactionsQuery, SimplifiedTransactionListItem, SortOrder, TransactionList,
};
use crate::time::{CivilDate, UtcTimestamp};

use super::api_keys::Principal;
use super::error_code as code;
use super::tokens::Token;
use super::transactions::{status_of, TransactionRecord};
use super::{ApiError, Sandbox};

/// A page of the transaction list, in the shape the query asked for. Serializes as
/// `{"transactions": [...]}` either way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TransactionListing {
    Full(TransactionList<FullTransactionListItem>),
    Simplified(TransactionList<SimplifiedTransactionListItem>),
}

impl TransactionListing {
    pub fn len(&self) -> usize {
        match self {
            TransactionListing::Full(list) => list.transactions.len(),
            TransactionListing::Simplified(list) => list.transactions.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `transactionId`s of the page, in order.
    pub fn transaction_ids(&self) -> Vec<&str> {
        match self {
            TransactionListing::Full(list) => list
                .transactions
                .iter()
                .map(|item| item.transaction_id.as_str())
                .collect(),
            TransactionListing::Simplified(list) => list
                .transactions
                .iter()
                .map(|item| item.transaction_id.as_str())
                .collect(),
        }
    }
}

fn bad_query(message: String) -> ApiError {
    ApiError::new(400, code::INVALID_LIST_QUERY, message)
}

/// FlexPay documents a date (`YYYY-M-D`); an instant is read too. A value that is neither
/// is explained as the date it should be ("month 13 does not exist"), not as an instant.
fn start_of(text: &str) -> Result<UtcTimestamp, ApiError> {
    CivilDate::parse(text)
        .map(CivilDate::start_of_day)
        .or_else(|error| {
            UtcTimestamp::parse_iso8601(text).map_err(|_| {
                let text = super::Shown(text);
                bad_query(format!(
                    "startDate {text:?} is not a date ({error}); send YYYY-M-D such as \
                     2023-11-8"
                ))
            })
        })
}

impl Sandbox {
    /// The positions a list call pages through: the records of the key's company and
    /// environment dated from `query.start_date` on that `keep` accepts, oldest first.
    pub(super) fn listed(
        &self,
        principal: &Principal,
        query: &ListTransactionsQuery,
        keep: impl Fn(&TransactionRecord) -> bool,
    ) -> Result<Vec<u32>, ApiError> {
        let start = query.start_date.as_deref().map(start_of).transpose()?;
        Ok(self
            .state
            .transactions
            .iter()
            .enumerate()
            .filter(|(_, r)| r.company == principal.company && r.mode == principal.mode)
            .filter(|(_, r)| start.is_none_or(|start| r.date >= start) && keep(r))
            .filter_map(|(position, _)| u32::try_from(position).ok())
            .collect())
    }

    /// Lists transactions as `GET /v1/transactions` does.
    pub fn list_transactions(
        &self,
        api_key: &str,
        query: &ListTransactionsQuery,
    ) -> Result<TransactionListing, ApiError> {
        let principal = self.authenticate(api_key)?;
        let positions = self.listed(&principal, query, |_| true)?;
        let positions = self.page(positions, query, "transactionId", |record, token| {
            record.id == token
        })?;
        let records = positions
            .iter()
            .filter_map(|&position| self.state.transactions.get(position as usize));
        Ok(match query.response_type {
            Some(ListResponseType::Simplified) => TransactionListing::Simplified(TransactionList {
                transactions: records.map(|r| self.simplified_item(r)).collect(),
            }),
            None => TransactionListing::Full(TransactionList {
                transactions: records.map(|r| self.full_item(r)).collect(),
            }),
        })
    }

    /// One page of a listing (transactions or payment methods) from the positions of every
    /// item in it: ordered by date, ties by the order they were made, newest first for
    /// `desc`; after the item `sinceTransactionId` names (`is` tells whether a record is the
    /// one the token names; `noun` is what the token should be); at most `count` items.
    pub(super) fn page(
        &self,
        mut positions: Vec<u32>,
        query: &ListTransactionsQuery,
        noun: &str,
        is: impl Fn(&TransactionRecord, Token) -> bool,
    ) -> Result<Vec<u32>, ApiError> {
        // FlexPay serves 1 to 100 items a page and documents no clamping: refused as a count
        // that is not a number is.
        if let Some(count) = query.count.filter(|&count| !count_in_range(count)) {
            return Err(bad_query(count_refusal(&count.to_string())));
        }
        let date_of = |position: &u32| {
            self.state
                .transactions
                .get(*position as usize)
                .map(|r| r.date)
        };
        crate::sorting::sort_by_key(&mut positions, |position| (date_of(position), *position));
        if query.order == Some(SortOrder::Desc) {
            positions.reverse();
        }
        if let Some(since) = &query.since_transaction_id {
            let token = Token::parse(since);
            let found = positions.iter().position(|&position| {
                let record = self.state.transactions.get(position as usize);
                record.zip(token).is_some_and(|(r, token)| is(r, token))
            });
            let Some(found) = found else {
                let since = super::Shown(since);
                return Err(bad_query(format!(
                    "sinceTransactionId (or sinceToken, its older name) {since:?} is not in \
                     this listing; send the {noun} of the last item of the previous page (with \
                     the same startDate and order)"
                )));
            };
            positions.drain(..=found);
        }
        positions.truncate(query.effective_count() as usize);
        Ok(positions)
    }

    fn full_item(&self, record: &TransactionRecord) -> FullTransactionListItem {
        let gateway = self.gateway_fields(record.gateway);
        FullTransactionListItem {
            transaction_id: record.id.to_string(),
            transaction_date: Some(record.date.to_string()),
            transaction_status: status_of(record.code),
            transaction_type: Some(record.kind.transaction_type()),
            message: Some(Self::message(record)),
            gateway: Some(ListGateway {
                token: Some(gateway.token),
                gateway_type: Some(gateway.gateway_type),
                name: Some(gateway.name.to_owned()),
                reference_id: gateway.merchant_account_reference_id.map(str::to_owned),
            }),
            gateway_specific_fields: None,
            gateway_specific_response_fields: None,
        }
    }

    fn simplified_item(&self, record: &TransactionRecord) -> SimplifiedTransactionListItem {
        let initial = record
            .chain
            .and_then(|chain| self.state.chains.get(chain as usize))
            .and_then(|chain| {
                self.state
                    .transactions
                    .get(chain.first_transaction as usize)
            })
            .unwrap_or(record);
        SimplifiedTransactionListItem {
            transaction_id: record.id.to_string(),
            transaction_date: Some(record.date.to_string()),
            transaction_status: status_of(record.code),
            message: Some(Self::message(record)),
            transaction_type: Some(record.kind.transaction_type()),
            retry_date: record.retry_date.map(|date| date.to_string()),
            amount: record.amount,
            // A charge sent without one (refused with 50103) and a vault call have none: null,
            // as the transaction's own `merchantTransactionId` is echoed.
            initial_merchant_transaction_id: Some(initial.merchant_transaction_id.to_string())
                .filter(|id| !id.is_empty()),
            // The state of the method the transaction used (a vaulted payment's stored card).
            payment_method_storage_state: record
                .card
                .map(|_| Self::storage_state(self.method_owner(record))),
            completion_status: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::{
        assert_count_refused, at_hours, sandbox_with_key, t0, visa_charge,
    };

    fn filled() -> (Sandbox, String, Vec<String>) {
        let (mut sandbox, key) = sandbox_with_key();
        let mut ids = Vec::new();
        for i in 0..45 {
            let response = sandbox
                .charge(
                    &key,
                    visa_charge(&format!("list-{i}"), 1000 + i),
                    at_hours(i),
                )
                .unwrap();
            ids.push(response.transaction_id);
        }
        (sandbox, key, ids)
    }

    #[test]
    fn pages_of_twenty_walk_the_whole_list_in_order() {
        let (sandbox, key, ids) = filled();
        let mut query = ListTransactionsQuery::starting("2023-11-8");
        let mut seen = Vec::new();
        loop {
            let page = sandbox.list_transactions(&key, &query).unwrap();
            let TransactionListing::Full(list) = page else {
                panic!("full items expected");
            };
            assert!(list.transactions.len() <= 20);
            match list.next_page(&query) {
                Some(next) => query = next,
                None => break,
            }
            seen.extend(
                list.transactions
                    .into_iter()
                    .map(|item| item.transaction_id),
            );
        }
        assert_eq!(seen, ids);
    }

    #[test]
    fn order_count_start_date_and_simplified() {
        let (sandbox, key, ids) = filled();
        let newest = ListTransactionsQuery::default()
            .order(SortOrder::Desc)
            .count(3);
        let page = sandbox.list_transactions(&key, &newest).unwrap();
        assert_eq!(page.transaction_ids(), vec![&ids[44], &ids[43], &ids[42]]);
        let all = ListTransactionsQuery::default().count(100);
        assert_eq!(sandbox.list_transactions(&key, &all).unwrap().len(), 45);
        // 2023-11-09 starts 10 hours after t0 (14:02:51).
        let from_ninth = ListTransactionsQuery::starting("2023-11-9").count(100);
        let page = sandbox.list_transactions(&key, &from_ninth).unwrap();
        assert_eq!(page.len(), 45 - 10);
        let simplified = ListTransactionsQuery::default().simplified().count(1);
        let page = sandbox.list_transactions(&key, &simplified).unwrap();
        let TransactionListing::Simplified(list) = page else {
            panic!("simplified items expected");
        };
        let item = &list.transactions[0];
        assert_eq!(
            item.initial_merchant_transaction_id.as_deref(),
            Some("list-0")
        );
        assert_eq!(item.amount, Some(1000));
        let json = serde_json::to_value(TransactionListing::Simplified(list)).unwrap();
        assert!(json["transactions"].is_array());
    }

    #[test]
    fn a_payment_sent_without_a_merchant_transaction_id_lists_it_as_null() {
        let (mut sandbox, key) = sandbox_with_key();
        let refused = sandbox.charge(&key, visa_charge("", 1000), t0()).unwrap();
        assert_eq!(refused.response_code.to_string(), "50103");
        assert_eq!(refused.merchant_transaction_id, None);
        sandbox
            .charge(&key, visa_charge("sent-1", 1000), at_hours(1))
            .unwrap();
        let simplified = ListTransactionsQuery::default().simplified();
        let TransactionListing::Simplified(list) =
            sandbox.list_transactions(&key, &simplified).unwrap()
        else {
            panic!("simplified items expected");
        };
        let ids: Vec<_> = list
            .transactions
            .iter()
            .map(|item| item.initial_merchant_transaction_id.as_deref())
            .collect();
        assert_eq!(ids, [None, Some("sent-1")]);
        let json = serde_json::to_value(TransactionListing::Simplified(list)).unwrap();
        assert!(json["transactions"][0]["initialMerchantTransactionId"].is_null());
    }

    #[test]
    fn bad_queries_are_refused() {
        let (sandbox, key, _) = filled();
        for count in [0, 101, 1000, u32::MAX] {
            let query = ListTransactionsQuery::default().count(count);
            let error = sandbox.list_transactions(&key, &query).unwrap_err();
            assert_count_refused(&error, count);
            assert!(sandbox.list_payment_methods(&key, &query).is_err());
        }
        let unknown = ListTransactionsQuery::since("00000000000000000000000000");
        let error = sandbox.list_transactions(&key, &unknown).unwrap_err();
        assert_eq!(
            (error.http_status, error.code),
            (400, code::INVALID_LIST_QUERY)
        );
        let bad_date = ListTransactionsQuery::starting("8/11/2023");
        assert_eq!(
            sandbox
                .list_transactions(&key, &bad_date)
                .unwrap_err()
                .http_status,
            400
        );
        // A date that does not exist is explained as the date it should be.
        for (date, why) in [
            ("2023-13-01", "month 13 does not exist"),
            ("2023-02-30", "has no day 30"),
        ] {
            let error = sandbox
                .list_transactions(&key, &ListTransactionsQuery::starting(date))
                .unwrap_err();
            assert!(error.message.contains(why), "{}", error.message);
            assert!(!error.message.contains("timestamp"), "{}", error.message);
        }
        // An instant is read too.
        assert!(sandbox
            .list_transactions(
                &key,
                &ListTransactionsQuery::starting("2023-11-08T00:00:00Z")
            )
            .is_ok());
        assert_eq!(
            sandbox
                .list_transactions("nope", &ListTransactionsQuery::default())
                .unwrap_err()
                .http_status,
            401
        );
        let empty = sandbox
            .list_transactions(&key, &ListTransactionsQuery::starting("2030-1-1"))
            .unwrap();
        assert!(empty.is_empty());
        let _ = t0();
    }
}
