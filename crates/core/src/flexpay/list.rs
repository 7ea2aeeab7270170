//! Listing transactions (reference §6): the `GET /v1/transactions` query, its two item shapes
//! and the `{"transactions": [...]}` answer. The vault listing takes the same query.
//!
//! Paging: the first call of a time frame gives `startDate`; every later call gives the last
//! item's `transactionId` as `sinceTransactionId`; an empty list ends the walk
//! ([`TransactionList::next_page`]).

use core::fmt;

use serde::{Deserialize, Serialize};

use super::gateway::GatewayType;
use super::payment_method::StorageState;
use super::transaction::{TransactionStatus, TransactionType};

/// `order`: oldest first (`asc`, FlexPay's default) or newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

impl SortOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// `responseType`. Only the compact shape has a value; without it FlexPay answers with
/// [`FullTransactionListItem`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListResponseType {
    /// Items are [`SimplifiedTransactionListItem`]s.
    Simplified,
}

impl ListResponseType {
    pub fn as_str(self) -> &'static str {
        match self {
            ListResponseType::Simplified => "simplified",
        }
    }
}

/// FlexPay's page size when `count` is not given.
pub const DEFAULT_COUNT: u32 = 20;
/// The largest page FlexPay serves.
pub const MAX_COUNT: u32 = 100;

/// What `count` takes, in every message that refuses one: the validators', the sandbox's
/// (HTTP 400 `invalid_list_query`) and `createFetch`'s for a query string. FlexPay documents
/// 1 to 100 and no clamping, so a count outside is refused, never clamped.
pub const COUNT_TAKES: &str = "a whole number of items per page, 1 to 100 (20 when left out)";

/// Whether `count` is a page size FlexPay serves.
pub const fn count_in_range(count: u32) -> bool {
    count >= 1 && count <= MAX_COUNT
}

/// The refusal of a `count` outside 1 to 100 (or of another type), `shown` as given:
/// `count must be a whole number of items per page, 1 to 100 (20 when left out), not 101`.
pub fn count_refusal(shown: &str) -> String {
    format!("count must be {COUNT_TAKES}, not {shown}")
}

/// The query of `GET /v1/transactions` (and `GET /v1/paymentmethods`). Every parameter is
/// optional; unset ones are left out of the query string so FlexPay's defaults apply.
///
/// As JSON (for callers that describe a query rather than build it) the field names are the
/// parameter names, and `sinceToken` — the name one client library used — is accepted for
/// `sinceTransactionId`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTransactionsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
    /// Page size, 1 to [`MAX_COUNT`]: the validators and the sandbox refuse another; a query
    /// string built from one that was not validated is rendered clamped (see
    /// [`Self::effective_count`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The `transactionId` of the last item of the previous page.
    #[serde(default, alias = "sinceToken", skip_serializing_if = "Option::is_none")]
    pub since_transaction_id: Option<String>,
    /// A date, `YYYY-M-D` accepted (`2023-11-8`); only on the first call of a time frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_type: Option<ListResponseType>,
}

impl ListTransactionsQuery {
    /// The first call for a time frame.
    pub fn starting(start_date: impl Into<String>) -> Self {
        ListTransactionsQuery {
            start_date: Some(start_date.into()),
            ..Default::default()
        }
    }

    /// The page after the one that ended with `transaction_id`.
    pub fn since(transaction_id: impl Into<String>) -> Self {
        ListTransactionsQuery {
            since_transaction_id: Some(transaction_id.into()),
            ..Default::default()
        }
    }

    pub fn order(mut self, order: SortOrder) -> Self {
        self.order = Some(order);
        self
    }

    pub fn count(mut self, count: u32) -> Self {
        self.count = Some(count);
        self
    }

    pub fn simplified(mut self) -> Self {
        self.response_type = Some(ListResponseType::Simplified);
        self
    }

    /// The page size a query string built by [`Self::query_string`] asks for: `count`, or 20
    /// when it is not set. One outside 1..=100 — which [`crate::flexpay::validate::validate_list_query`]
    /// and the sandbox refuse — is clamped when rendered rather than sent as it is.
    pub fn effective_count(&self) -> u32 {
        self.count.unwrap_or(DEFAULT_COUNT).clamp(1, MAX_COUNT)
    }

    /// The query string without the leading `?` (empty when nothing is set), parameters in a
    /// fixed order, values percent-encoded.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(order) = self.order {
            pairs.push(("order", order.as_str().to_owned()));
        }
        if self.count.is_some() {
            pairs.push(("count", self.effective_count().to_string()));
        }
        if let Some(since) = &self.since_transaction_id {
            pairs.push(("sinceTransactionId", since.clone()));
        }
        if let Some(start) = &self.start_date {
            pairs.push(("startDate", start.clone()));
        }
        if let Some(response_type) = self.response_type {
            pairs.push(("responseType", response_type.as_str().to_owned()));
        }
        let mut query = String::new();
        for (name, value) in pairs {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(name);
            query.push('=');
            percent_encode_into(&value, &mut query);
        }
        query
    }

    /// Reads a query string (with or without the leading `?`), as the sandbox receives it.
    /// `sinceToken` is read as `sinceTransactionId`. Unknown and repeated parameters are
    /// errors so that a typo does not silently list from the beginning.
    pub fn parse_query_string(query: &str) -> Result<Self, ListQueryError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut parsed = ListTransactionsQuery::default();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = percent_decode(raw_name)?;
            let value = percent_decode(raw_value)?;
            match name.as_str() {
                "order" => {
                    let order = match value.as_str() {
                        "asc" => SortOrder::Asc,
                        "desc" => SortOrder::Desc,
                        _ => return Err(ListQueryError::invalid("order", value)),
                    };
                    set_once(&mut parsed.order, order, "order")?;
                }
                "count" => {
                    let count = value
                        .parse::<u32>()
                        .map_err(|_| ListQueryError::invalid("count", value.clone()))?;
                    set_once(&mut parsed.count, count, "count")?;
                }
                "sinceTransactionId" | "sinceToken" => {
                    set_once(
                        &mut parsed.since_transaction_id,
                        value,
                        "sinceTransactionId",
                    )?;
                }
                "startDate" => set_once(&mut parsed.start_date, value, "startDate")?,
                "responseType" => {
                    if value != "simplified" {
                        return Err(ListQueryError::invalid("responseType", value));
                    }
                    set_once(
                        &mut parsed.response_type,
                        ListResponseType::Simplified,
                        "responseType",
                    )?;
                }
                _ => return Err(ListQueryError::UnknownParameter(name)),
            }
        }
        Ok(parsed)
    }
}

fn set_once<T>(
    slot: &mut Option<T>,
    value: T,
    parameter: &'static str,
) -> Result<(), ListQueryError> {
    if slot.is_some() {
        return Err(ListQueryError::RepeatedParameter(parameter));
    }
    *slot = Some(value);
    Ok(())
}

/// Why a list query string could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListQueryError {
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8 once decoded.
    BadEncoding(String),
    UnknownParameter(String),
    /// Given twice (including `sinceTransactionId` together with `sinceToken`).
    RepeatedParameter(&'static str),
    InvalidValue {
        parameter: &'static str,
        value: String,
    },
}

impl ListQueryError {
    fn invalid(parameter: &'static str, value: String) -> Self {
        ListQueryError::InvalidValue { parameter, value }
    }
}

impl fmt::Display for ListQueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListQueryError::BadEncoding(text) => {
                write!(f, "badly percent-encoded query text {text:?}")
            }
            ListQueryError::UnknownParameter(name) => {
                write!(f, "unknown list parameter {name:?}")
            }
            ListQueryError::RepeatedParameter(name) => {
                write!(f, "list parameter {name} given more than once")
            }
            ListQueryError::InvalidValue { parameter, value } => {
                write!(f, "invalid value {value:?} for list parameter {parameter}")
            }
        }
    }
}

impl std::error::Error for ListQueryError {}

/// RFC 3986 unreserved characters pass through; every other byte of the UTF-8 text becomes
/// `%XX`, so the result is safe in any query position.
fn percent_encode_into(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
}

/// The inverse of [`percent_encode_into`], also reading `+` as a space the way HTML forms
/// send it.
fn percent_decode(text: &str) -> Result<String, ListQueryError> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'%' => {
                let high = bytes.get(i + 1).copied().and_then(hex_value);
                let low = bytes.get(i + 2).copied().and_then(hex_value);
                match (high, low) {
                    (Some(high), Some(low)) => {
                        decoded.push((high << 4) | low);
                        i += 3;
                    }
                    _ => return Err(ListQueryError::BadEncoding(text.to_owned())),
                }
            }
            b'+' => {
                decoded.push(b' ');
                i += 1;
            }
            other => {
                decoded.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| ListQueryError::BadEncoding(text.to_owned()))
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// `{"transactions": [...]}`: the items are not wrapped individually.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionList<T> {
    pub transactions: Vec<T>,
}

/// A list item, whatever its shape, as far as paging needs it.
pub trait ListedTransaction {
    fn transaction_id(&self) -> &str;
}

impl<T: ListedTransaction> TransactionList<T> {
    /// The query for the page after this one, keeping the order, size and shape of
    /// `current`; `None` once a page comes back empty, which is how FlexPay says the walk is
    /// over.
    pub fn next_page(&self, current: &ListTransactionsQuery) -> Option<ListTransactionsQuery> {
        let last = self.transactions.last()?;
        Some(ListTransactionsQuery {
            since_transaction_id: Some(last.transaction_id().to_owned()),
            start_date: None,
            ..current.clone()
        })
    }
}

/// The gateway of a full list item: `token` is the gateway token, `referenceId` the MID.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListGateway {
    pub token: Option<String>,
    pub gateway_type: Option<GatewayType>,
    pub name: Option<String>,
    pub reference_id: Option<String>,
}

/// An item of the default (full) list. List items carry no `merchantTransactionId`.
///
/// The gateway is documented as a nested `gateway` object but has been seen with its four
/// keys at the top level of the item instead; both are read, and it is always written
/// nested.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "FullTransactionListItemWire")]
pub struct FullTransactionListItem {
    pub transaction_id: String,
    /// ISO 8601 date-time, usually with `Z`.
    pub transaction_date: Option<String>,
    pub transaction_status: TransactionStatus,
    pub transaction_type: Option<TransactionType>,
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<ListGateway>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_specific_fields: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_specific_response_fields: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FullTransactionListItemWire {
    transaction_id: String,
    transaction_date: Option<String>,
    transaction_status: TransactionStatus,
    transaction_type: Option<TransactionType>,
    message: Option<String>,
    gateway: Option<ListGateway>,
    gateway_specific_fields: Option<serde_json::Map<String, serde_json::Value>>,
    gateway_specific_response_fields: Option<serde_json::Map<String, serde_json::Value>>,
    token: Option<String>,
    gateway_type: Option<GatewayType>,
    name: Option<String>,
    reference_id: Option<String>,
}

impl From<FullTransactionListItemWire> for FullTransactionListItem {
    fn from(wire: FullTransactionListItemWire) -> Self {
        let flattened = ListGateway {
            token: wire.token,
            gateway_type: wire.gateway_type,
            name: wire.name,
            reference_id: wire.reference_id,
        };
        // The documented nested object wins when both forms are present.
        let gateway = wire
            .gateway
            .or((flattened != ListGateway::default()).then_some(flattened));
        FullTransactionListItem {
            transaction_id: wire.transaction_id,
            transaction_date: wire.transaction_date,
            transaction_status: wire.transaction_status,
            transaction_type: wire.transaction_type,
            message: wire.message,
            gateway,
            gateway_specific_fields: wire.gateway_specific_fields,
            gateway_specific_response_fields: wire.gateway_specific_response_fields,
        }
    }
}

impl ListedTransaction for FullTransactionListItem {
    fn transaction_id(&self) -> &str {
        &self.transaction_id
    }
}

/// An item of the `responseType=simplified` list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimplifiedTransactionListItem {
    pub transaction_id: String,
    /// ISO 8601 date-time, usually with `Z`.
    pub transaction_date: Option<String>,
    pub transaction_status: TransactionStatus,
    pub message: Option<String>,
    pub transaction_type: Option<TransactionType>,
    /// ISO 8601, possibly without a zone (then UTC); null means FlexPay will not retry.
    pub retry_date: Option<String>,
    /// Minor units.
    pub amount: Option<i64>,
    /// Presumably the `merchantTransactionId` of the first attempt of the chain.
    pub initial_merchant_transaction_id: Option<String>,
    pub payment_method_storage_state: Option<StorageState>,
    /// Null in the only example; its type and values are unknown, so it is kept as raw JSON.
    pub completion_status: Option<serde_json::Value>,
}

impl ListedTransaction for SimplifiedTransactionListItem {
    fn transaction_id(&self) -> &str {
        &self.transaction_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::wire::assert_wire;
    use serde_json::{json, Value};

    #[test]
    fn query_string_renders_set_parameters_in_order() {
        assert_eq!(ListTransactionsQuery::default().query_string(), "");
        assert_eq!(
            ListTransactionsQuery::starting("2023-11-8")
                .order(SortOrder::Desc)
                .count(50)
                .simplified()
                .query_string(),
            "order=desc&count=50&startDate=2023-11-8&responseType=simplified"
        );
        assert_eq!(
            ListTransactionsQuery::since("7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA").query_string(),
            "sinceTransactionId=7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA"
        );
    }

    #[test]
    fn values_are_percent_encoded() {
        let query = ListTransactionsQuery {
            since_transaction_id: Some("a b&c=d/é+%".into()),
            start_date: Some("2023-11-08T00:00:00Z".into()),
            ..Default::default()
        };
        let text = query.query_string();
        assert_eq!(
            text,
            "sinceTransactionId=a%20b%26c%3Dd%2F%C3%A9%2B%25&startDate=2023-11-08T00%3A00%3A00Z"
        );
        assert_eq!(ListTransactionsQuery::parse_query_string(&text), Ok(query));
    }

    #[test]
    fn count_is_clamped_to_what_flexpay_serves() {
        assert_eq!(ListTransactionsQuery::default().effective_count(), 20);
        assert_eq!(
            ListTransactionsQuery::default().count(500).query_string(),
            "count=100"
        );
        assert_eq!(
            ListTransactionsQuery::default().count(0).query_string(),
            "count=1"
        );
    }

    #[test]
    fn since_token_is_accepted_and_sent_as_since_transaction_id() {
        let parsed = ListTransactionsQuery::parse_query_string("?sinceToken=ABC&count=10").unwrap();
        assert_eq!(parsed.since_transaction_id.as_deref(), Some("ABC"));
        assert_eq!(parsed.query_string(), "count=10&sinceTransactionId=ABC");

        let from_json: ListTransactionsQuery =
            serde_json::from_value(json!({"sinceToken": "ABC", "order": "asc"})).unwrap();
        assert_eq!(
            serde_json::to_value(&from_json).unwrap(),
            json!({"order": "asc", "sinceTransactionId": "ABC"})
        );
        assert_eq!(from_json.query_string(), "order=asc&sinceTransactionId=ABC");
    }

    #[test]
    fn bad_query_strings_are_errors() {
        let cases = [
            (
                "order=newest",
                "invalid value \"newest\" for list parameter order",
            ),
            ("count=-1", "for list parameter count"),
            ("count=", "for list parameter count"),
            ("responseType=full", "for list parameter responseType"),
            ("since=ABC", "unknown list parameter \"since\""),
            (
                "sinceTransactionId=A&sinceToken=B",
                "sinceTransactionId given more than once",
            ),
            ("startDate=%2", "badly percent-encoded"),
            ("startDate=%zz", "badly percent-encoded"),
            ("startDate=%FF", "badly percent-encoded"),
        ];
        for (text, expected) in cases {
            let error = ListTransactionsQuery::parse_query_string(text).unwrap_err();
            assert!(error.to_string().contains(expected), "{text}: {error}");
        }
        assert_eq!(
            ListTransactionsQuery::parse_query_string("&&startDate=2023-11-8+&"),
            Ok(ListTransactionsQuery::starting("2023-11-8 "))
        );
    }

    fn full_item_nested() -> Value {
        json!({
            "transactionId": "7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA",
            "transactionDate": "2023-11-08T14:02:51.163Z",
            "transactionStatus": 2,
            "transactionType": "Charge",
            "message": "Do not honor",
            "gateway": {
                "token": "G4T3W4YS4NDB0X0000000000AB",
                "gatewayType": "flexpay_sandbox",
                "name": "Sandbox",
                "referenceId": "SANDBOX-MID-1"
            }
        })
    }

    #[test]
    fn full_list_with_nested_and_flattened_gateways() {
        let flattened = json!({
            "transactionId": "9C4TWX2M7Q1ZR8KB5N3VD6FHJ0LPB",
            "transactionDate": "2023-11-09T00:00:04.02Z",
            "transactionStatus": 1,
            "transactionType": "Charge",
            "message": "Approved",
            "token": "G4T3W4YS4NDB0X0000000000AB",
            "gatewayType": "flexpay_sandbox",
            "name": "Sandbox",
            "referenceId": "SANDBOX-MID-1",
            "gatewaySpecificResponseFields": {"processor_id_external": "mp-88123"}
        });
        let body = json!({"transactions": [full_item_nested(), flattened]});
        let list: TransactionList<FullTransactionListItem> = serde_json::from_value(body).unwrap();
        assert_eq!(list.transactions.len(), 2);
        assert_eq!(list.transactions[0].gateway, list.transactions[1].gateway);
        assert_eq!(
            list.transactions[1].transaction_status,
            TransactionStatus::Approved
        );

        let canonical = json!({"transactions": [
            full_item_nested(),
            {
                "transactionId": "9C4TWX2M7Q1ZR8KB5N3VD6FHJ0LPB",
                "transactionDate": "2023-11-09T00:00:04.02Z",
                "transactionStatus": 1,
                "transactionType": "Charge",
                "message": "Approved",
                "gateway": full_item_nested()["gateway"].clone(),
                "gatewaySpecificResponseFields": {"processor_id_external": "mp-88123"}
            }
        ]});
        assert_wire(&list, canonical);
    }

    #[test]
    fn nested_gateway_wins_and_an_item_may_have_none() {
        let mut both = full_item_nested();
        both["token"] = json!("SOMETHINGELSE");
        let item: FullTransactionListItem = serde_json::from_value(both).unwrap();
        assert_eq!(
            item.gateway.unwrap().token.as_deref(),
            Some("G4T3W4YS4NDB0X0000000000AB")
        );

        let mut bare = full_item_nested();
        bare.as_object_mut().unwrap().remove("gateway");
        let item: FullTransactionListItem = serde_json::from_value(bare.clone()).unwrap();
        assert_eq!(item.gateway, None);
        assert_wire(&item, bare);
    }

    #[test]
    fn simplified_list_and_paging() {
        let body = json!({"transactions": [
            {
                "transactionId": "7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA",
                "transactionDate": "2023-11-08T14:02:51.163Z",
                "transactionStatus": 2,
                "message": "Do not honor",
                "transactionType": "Charge",
                "retryDate": "2023-11-09T00:00:00",
                "amount": 2008,
                "initialMerchantTransactionId": "rebill-30418-01",
                "paymentMethodStorageState": "Stored",
                "completionStatus": null
            },
            {
                "transactionId": "9C4TWX2M7Q1ZR8KB5N3VD6FHJ0LPB",
                "transactionDate": "2023-11-09T00:00:04.02Z",
                "transactionStatus": 1,
                "message": "Approved",
                "transactionType": "Charge",
                "retryDate": null,
                "amount": 2008,
                "initialMerchantTransactionId": "rebill-30418-01",
                "paymentMethodStorageState": "Stored",
                "completionStatus": null
            }
        ]});
        let list: TransactionList<SimplifiedTransactionListItem> =
            serde_json::from_value(body.clone()).unwrap();
        assert_eq!(
            list.transactions[0].payment_method_storage_state,
            Some(StorageState::Stored)
        );
        assert_wire(&list, body);

        let first = ListTransactionsQuery::starting("2023-11-8")
            .count(2)
            .simplified();
        let next = list.next_page(&first).unwrap();
        assert_eq!(
            next.query_string(),
            "count=2&sinceTransactionId=9C4TWX2M7Q1ZR8KB5N3VD6FHJ0LPB&responseType=simplified"
        );
        let empty: TransactionList<SimplifiedTransactionListItem> =
            serde_json::from_value(json!({"transactions": []})).unwrap();
        assert_eq!(empty.next_page(&next), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn rendered_queries_parse_back_unchanged(
                order in proptest::option::of(prop_oneof![Just(SortOrder::Asc), Just(SortOrder::Desc)]),
                count in proptest::option::of(1u32..=MAX_COUNT),
                since in proptest::option::of(".*"),
                start in proptest::option::of(".*"),
                simplified in any::<bool>(),
            ) {
                let query = ListTransactionsQuery {
                    order,
                    count,
                    since_transaction_id: since,
                    start_date: start,
                    response_type: simplified.then_some(ListResponseType::Simplified),
                };
                let text = query.query_string();
                prop_assert!(text.bytes().all(|b| b.is_ascii_graphic()));
                prop_assert_eq!(ListTransactionsQuery::parse_query_string(&text), Ok(query));
            }

            #[test]
            fn any_text_is_read_or_refused_without_panicking(text in ".*") {
                let _ = ListTransactionsQuery::parse_query_string(&text);
            }
        }
    }
}
