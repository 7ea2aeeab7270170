//! The sandbox's history calls: the authorization and capture lists and one authorization.
//!
//! Flexiti's answer schemas for these are not public. The sandbox answers with a page
//! envelope (`page_number`, `page_size`, `total_count`, `total_pages`, `items`) and items
//! that carry the same names as the other answers; items are in creation order, oldest
//! first, and a page past the end is empty rather than an error.

use serde::{Deserialize, Serialize};

use super::{status_of, AuthorizationRecord, CallContext, CaptureRecord, Sandbox};
use crate::flexiti::amount::{self, cad};
use crate::flexiti::common::RequestBody;
use crate::flexiti::error::{ApiError, ErrorCode};
use crate::flexiti::history::{
    AuthorizationDetailQuery, AuthorizationListQuery, AuthorizationStatus, CaptureListQuery, Page,
};
use crate::flexiti::ids::AuthorizationId;
use crate::flexiti::purchase::PurchaseType;
use crate::money::Money;
use crate::time::UtcTimestamp;
use crate::validation::Validation;

/// One page of a list answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage<T> {
    pub page_number: u32,
    pub page_size: u32,
    /// Items matching the filters, on every page.
    pub total_count: u64,
    pub total_pages: u64,
    pub items: Vec<T>,
}

/// An authorization as the list and `GET authorization/{id}` show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationDetail {
    pub authorization_id: u64,
    pub account_number: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub transaction_type: PurchaseType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<u16>,
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(with = "amount")]
    pub captured_amount: Money,
    #[serde(with = "amount")]
    pub released_amount: Money,
    #[serde(with = "amount")]
    pub remaining_authorization_amount: Money,
    pub authorization_status: AuthorizationStatus,
    pub creation_date: UtcTimestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_location_id: Option<String>,
    /// The authorization's captures, oldest first.
    pub capture_ids: Vec<u32>,
}

/// A capture as the capture list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureDetail {
    pub capture_id: u32,
    pub authorization_id: u64,
    pub account_number: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub date: UtcTimestamp,
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(with = "amount")]
    pub returned_amount: Money,
    #[serde(with = "amount")]
    pub refunded_amount: Money,
    #[serde(with = "amount")]
    pub remaining_capture_amount: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_location_id: Option<String>,
}

fn wrong_inputs(validation: Validation) -> Result<(), ApiError> {
    match validation.errors().next() {
        Some(problem) => Err(ApiError::with_message(
            ErrorCode::WrongInputs,
            problem.to_string(),
        )),
        None => Ok(()),
    }
}

/// Cuts one page out of the matching items.
fn page_of<T>(mut items: Vec<(UtcTimestamp, u64, T)>, page: Page) -> ListPage<T> {
    crate::sorting::sort_by_key(&mut items, |(at, id, _)| (*at, *id));
    let size = page.size().max(1);
    let number = page.number().max(1);
    let total = items.len() as u64;
    let skip = u64::from(number - 1).saturating_mul(u64::from(size));
    let items = items
        .into_iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .map(|(_, _, item)| item)
        .collect();
    ListPage {
        page_number: number,
        page_size: size,
        total_count: total,
        total_pages: total.div_ceil(u64::from(size)),
        items,
    }
}

impl Sandbox {
    fn detail(&self, record: &AuthorizationRecord) -> AuthorizationDetail {
        let capture_ids = self
            .state
            .captures
            .iter()
            .filter(|c| c.authorization_id == record.id)
            .map(|c| c.id)
            .collect();
        AuthorizationDetail {
            authorization_id: record.id,
            account_number: record.account_number,
            reference: record.reference.clone(),
            transaction_type: record.purchase_type,
            plan_id: record.plan_id.clone(),
            term: record.term,
            amount: cad(record.amount_cents),
            captured_amount: cad(record.captured_cents),
            released_amount: cad(record.released_cents),
            remaining_authorization_amount: cad(record.remaining_cents()),
            authorization_status: if status_of(record) == "opened" {
                AuthorizationStatus::Opened
            } else {
                AuthorizationStatus::Closed
            },
            creation_date: record.created_at.whole_seconds(),
            external_location_id: record.external_location_id.clone(),
            capture_ids,
        }
    }

    fn capture_detail(&self, record: &CaptureRecord) -> CaptureDetail {
        let account_number = self
            .state
            .authorizations
            .iter()
            .find(|a| a.id == record.authorization_id)
            .map_or(0, |a| a.account_number);
        CaptureDetail {
            capture_id: record.id,
            authorization_id: record.authorization_id,
            account_number,
            reference: record.reference.clone(),
            date: record.captured_at.whole_seconds(),
            amount: cad(record.amount_cents),
            returned_amount: cad(record.returned_cents),
            refunded_amount: cad(record.refunded_cents),
            remaining_capture_amount: cad(record.remaining_cents()),
            external_location_id: record.external_location_id.clone(),
        }
    }

    /// `GET v2.5.1/authorizations`: filtered by account, purchase type, status, store and
    /// creation date (UTC, inclusive), paged. Merchant scope only.
    pub fn authorizations(
        &self,
        call: &CallContext<'_>,
        query: &AuthorizationListQuery,
    ) -> Result<ListPage<AuthorizationDetail>, ApiError> {
        self.authenticate(call, false)?;
        wrong_inputs(query.validate())?;
        let items = self
            .state
            .authorizations
            .iter()
            .map(|record| (record.created_at, self.detail(record)))
            .filter(|(_, item)| {
                query
                    .account_number
                    .is_none_or(|n| n.get() == item.account_number)
                    && query
                        .transaction_type
                        .is_none_or(|t| t == item.transaction_type)
                    && query
                        .authorization_status
                        .is_none_or(|s| s == item.authorization_status)
                    && query.external_location_id.as_ref().is_none_or(|store| {
                        item.external_location_id.as_deref() == Some(store.as_str())
                    })
                    && query.dates.contains(item.creation_date.date())
            })
            .map(|(at, item)| (at, item.authorization_id, item))
            .collect();
        Ok(page_of(items, query.page))
    }

    /// `GET v2.5.1/captures`: filtered by account, store and capture date (UTC, inclusive),
    /// paged. Merchant scope only.
    pub fn captures(
        &self,
        call: &CallContext<'_>,
        query: &CaptureListQuery,
    ) -> Result<ListPage<CaptureDetail>, ApiError> {
        self.authenticate(call, false)?;
        wrong_inputs(query.validate())?;
        let items = self
            .state
            .captures
            .iter()
            .map(|record| (record.captured_at, self.capture_detail(record)))
            .filter(|(_, item)| {
                query
                    .account_number
                    .is_none_or(|n| n.get() == item.account_number)
                    && query.external_location_id.as_ref().is_none_or(|store| {
                        item.external_location_id.as_deref() == Some(store.as_str())
                    })
                    && query.dates.contains(item.date.date())
            })
            .map(|(at, item)| (at, u64::from(item.capture_id), item))
            .collect();
        Ok(page_of(items, query.page))
    }

    /// `GET v2.5.1/authorization/{authorization_id}`; an id from another environment is
    /// `404 not_found`. Merchant scope only.
    pub fn authorization_detail(
        &self,
        call: &CallContext<'_>,
        authorization: AuthorizationId,
        query: &AuthorizationDetailQuery,
    ) -> Result<AuthorizationDetail, ApiError> {
        self.authenticate(call, false)?;
        wrong_inputs(query.validate())?;
        let id = Self::authorization_number(authorization)?;
        let record = self.authorization(id)?;
        Ok(self.detail(record))
    }
}
