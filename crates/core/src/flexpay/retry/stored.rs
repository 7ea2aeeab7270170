//! The chain as a JSON document a CRM stores between attempts, and the checks that make a
//! loaded chain as trustworthy as one built by calls.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::chain::{
    partial_refund_total, refused_as_often, AttemptRecord, ChainOrigin, ChainState, RetryChain,
};
use super::decision::{Decision, RetryPolicy, UnrecoverableReason};
use super::error::LoadError;
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::money::{Currency, Money};
use crate::time::UtcTimestamp;

/// The `schemaVersion` this flexkit writes, and the newest it reads.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoredAmount {
    minor_units: i64,
    currency: Currency,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DocumentRef<'a> {
    schema_version: u32,
    merchant_reference: &'a str,
    merchant_transaction_id_base: Option<&'a str>,
    amount: Option<StoredAmount>,
    origin: ChainOrigin,
    policy: RetryPolicy,
    date_first_attempt: Option<UtcTimestamp>,
    retry_count: u32,
    reference_data: Option<&'a str>,
    state: &'a ChainState,
    history: &'a [AttemptRecord],
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Document {
    // Read before the document is parsed (see `from_value`); declared so that
    // `deny_unknown_fields` accepts it.
    #[allow(dead_code)]
    schema_version: u32,
    merchant_reference: String,
    merchant_transaction_id_base: Option<String>,
    amount: Option<StoredAmount>,
    origin: ChainOrigin,
    policy: RetryPolicy,
    date_first_attempt: Option<UtcTimestamp>,
    retry_count: u32,
    reference_data: Option<String>,
    state: ChainState,
    history: Vec<AttemptRecord>,
}

impl Serialize for RetryChain {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DocumentRef {
            schema_version: SCHEMA_VERSION,
            merchant_reference: &self.merchant_reference,
            merchant_transaction_id_base: self.merchant_transaction_id_base.as_deref(),
            amount: self.amount.map(|amount| StoredAmount {
                minor_units: amount.minor_units(),
                currency: amount.currency(),
            }),
            origin: self.origin,
            policy: self.policy,
            date_first_attempt: self.date_first_attempt,
            retry_count: self.retry_count,
            reference_data: self.reference_data.as_deref(),
            state: &self.state,
            history: &self.history,
        }
        .serialize(serializer)
    }
}

/// Goes through [`RetryChain::from_value`], so the version is checked before the shape and
/// the content is checked after it.
impl<'de> Deserialize<'de> for RetryChain {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        RetryChain::from_value(value).map_err(serde::de::Error::custom)
    }
}

impl RetryChain {
    /// The chain as a JSON document (camelCase, with `schemaVersion`), to store until the next
    /// attempt.
    pub fn to_json(&self) -> String {
        // Every key is a string and every value a string, integer, bool or null, so
        // serde_json has no way to fail here.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The same document as a JSON value, for callers that embed it.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// Loads a chain [`RetryChain::to_json`] wrote. The document is read from the text itself,
    /// so a shape error's [`LoadError::Corrupt`] `detail` says where in the text it is.
    pub fn from_json(text: &str) -> Result<RetryChain, LoadError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|error| LoadError::MalformedJson {
                message: where_json_breaks(&error),
                detail: error.to_string(),
            })?;
        check_version(&value)?;
        drop(value);
        let document: Document =
            crate::json_objects::from_str(text).map_err(|error| corrupt(&error))?;
        RetryChain::from_document(document)
    }

    /// Loads a chain from a parsed JSON document. The version is read first, so a document
    /// from a newer flexkit is reported as such rather than as a shape error.
    pub fn from_value(value: serde_json::Value) -> Result<RetryChain, LoadError> {
        check_version(&value)?;
        let document = Document::deserialize(value).map_err(|error| corrupt(&error))?;
        RetryChain::from_document(document)
    }

    fn from_document(document: Document) -> Result<RetryChain, LoadError> {
        let chain = RetryChain {
            merchant_reference: document.merchant_reference,
            merchant_transaction_id_base: document.merchant_transaction_id_base,
            amount: document
                .amount
                .map(|amount| Money::new(amount.minor_units, amount.currency)),
            origin: document.origin,
            policy: document.policy,
            date_first_attempt: document.date_first_attempt,
            retry_count: document.retry_count,
            reference_data: document.reference_data,
            state: document.state,
            history: document.history,
        };
        chain
            .check_consistency()
            .map_err(|message| LoadError::Inconsistent { message })?;
        Ok(chain)
    }

    /// Checks what the calls guarantee, so a hand-edited or damaged document cannot make the
    /// chain send a wrong `retryCount` or `referenceData`.
    pub(super) fn check_consistency(&self) -> Result<(), String> {
        if self.merchant_reference.trim().is_empty() {
            return Err("merchantReference is empty".into());
        }
        if self
            .merchant_transaction_id_base
            .as_deref()
            .is_some_and(|base| base.trim().is_empty())
        {
            return Err("merchantTransactionIdBase is empty".into());
        }
        if let Some(amount) = self.amount.filter(|amount| !amount.is_positive()) {
            return Err(format!("amount {} is not positive", amount.minor_units()));
        }
        if let ChainOrigin::GatewayDecline { declined_at } = self.origin {
            if self.date_first_attempt != Some(declined_at) {
                return Err("dateFirstAttempt differs from the gateway decline's date".into());
            }
        }

        // Replay the history: counted attempts must number on by one from the origin's first
        // retryCount, each echoing the referenceData received before it, and only the last
        // counted one may end the chain.
        let mut expected = u64::from(self.origin.first_retry_count());
        let mut latest_reference_data: Option<&str> = None;
        let mut ended_by: Option<Decision> = None;
        for (index, record) in self.history.iter().enumerate() {
            if record.category != record.response_code.category() {
                return Err(format!(
                    "history[{index}].category is {} but responseCode {} is {}",
                    record.category.code(),
                    record.response_code.value(),
                    record.response_code.category().code()
                ));
            }
            let follows = if record.category == ResponseCategory::ApiValidation {
                // A refusal is resent, unless it is the same one the third time in a row.
                record.decision == Decision::FixRequest
                    || (record.decision == Decision::NeedsInvestigation
                        && refused_as_often(
                            &self.history[..index],
                            record.response_code,
                            record.retry_count,
                        ))
            } else {
                record.decision != Decision::FixRequest
            };
            if !follows {
                return Err(format!(
                    "history[{index}].decision does not follow from responseCode {}",
                    record.response_code.value()
                ));
            }
            if ended_by.is_some() {
                return Err(format!(
                    "history[{index}] follows the attempt that ended the chain"
                ));
            }
            if u64::from(record.retry_count) != expected {
                return Err(format!(
                    "history[{index}].retryCount is {} where {expected} was due",
                    record.retry_count
                ));
            }
            if record.reference_data_sent.as_deref() != latest_reference_data {
                return Err(format!(
                    "history[{index}].referenceDataSent is not the referenceData received \
                     before it"
                ));
            }
            if let Decision::RetryAt { at } = record.decision {
                if record.retry_date != Some(at) {
                    return Err(format!(
                        "history[{index}] schedules a retry at {at}, not at the retryDate it \
                         received"
                    ));
                }
            }
            match record.decision {
                Decision::FixRequest => {}
                Decision::RetryAt { .. } => {
                    expected += 1;
                    latest_reference_data = record.reference_data.as_deref();
                }
                ending => ended_by = Some(ending),
            }
        }

        let active = !self.state.status().is_terminal();
        if active {
            if ended_by.is_some() {
                return Err(format!(
                    "state is {} but the history ends the chain",
                    self.state.status()
                ));
            }
            if u64::from(self.retry_count) != expected {
                return Err(format!(
                    "retryCount is {} but the history makes it {expected}",
                    self.retry_count
                ));
            }
            if self.reference_data.as_deref() != latest_reference_data {
                return Err("referenceData is not the one received with the latest attempt".into());
            }
            // Calls never schedule a retry past max_retries. A policy outside FlexPay's limits
            // was accepted before they were enforced; such a chain ends when asked for the
            // attempt instead.
            if self.policy.check().is_ok() && self.retry_count > self.policy.max_retries {
                return Err(format!(
                    "retryCount is {} but the policy's maxRetries is {}",
                    self.retry_count, self.policy.max_retries
                ));
            }
            if expected > u64::from(self.origin.first_retry_count())
                && self.date_first_attempt.is_none()
            {
                return Err("dateFirstAttempt is missing after an attempt".into());
            }
            return self.check_schedule();
        }

        if self.retry_count != 0 || self.reference_data.is_some() {
            return Err(format!(
                "state is {} but retryCount and referenceData were not reset to 0 and null",
                self.state.status()
            ));
        }
        let ended_by_response = match &self.state {
            ChainState::Recovered { .. } => Some(matches!(ended_by, Some(Decision::Recovered))),
            ChainState::RecoveredThenRefunded { refunds, .. } => {
                if refunds.is_empty() {
                    return Err("state recoveredThenRefunded lists no refund".into());
                }
                if refunds.iter().any(|refund| {
                    refund.transaction_id.trim().is_empty()
                        || refund.amount.is_some_and(|amount| amount <= 0)
                }) {
                    return Err(
                        "a refund has an empty transactionId or a non-positive amount".into(),
                    );
                }
                if let Some(amount) = self.amount {
                    if partial_refund_total(refunds) > amount.minor_units() {
                        return Err("refunds add up to more than the amount".into());
                    }
                }
                Some(matches!(ended_by, Some(Decision::Recovered)))
            }
            // Ended when the next attempt was asked for (see `retry_without_reference_data`).
            ChainState::Unrecoverable {
                code,
                reason: UnrecoverableReason::MissingReferenceData,
                ..
            } => {
                let last_counted = self
                    .history
                    .iter()
                    .rev()
                    .find(|record| record.counts_as_attempt());
                Some(
                    ended_by.is_none()
                        && last_counted.is_some_and(|record| {
                            matches!(record.decision, Decision::RetryAt { .. })
                                && record.reference_data.as_deref().is_none_or(str::is_empty)
                                && record.response_code == *code
                        }),
                )
            }
            ChainState::Unrecoverable { code, reason, .. } => Some(
                ended_by == Some(Decision::Unrecoverable { reason: *reason })
                    && self.last_code() == Some(*code),
            ),
            ChainState::RiskBlocked { code, .. } => {
                Some(ended_by == Some(Decision::RiskBlocked) && self.last_code() == Some(*code))
            }
            ChainState::NeedsInvestigation { code, .. } => Some(
                ended_by == Some(Decision::NeedsInvestigation) && self.last_code() == Some(*code),
            ),
            ChainState::Exhausted {
                code: Some(code),
                limit,
                ..
            } => Some(
                ended_by == Some(Decision::Exhausted { limit: *limit })
                    && self.last_code() == Some(*code),
            ),
            // Ended by a call, not by a response.
            ChainState::Exhausted { code: None, .. } | ChainState::Stopped { .. } => {
                Some(ended_by.is_none())
            }
            ChainState::Scheduled { .. } | ChainState::AwaitingResponse { .. } => None,
        };
        match ended_by_response {
            Some(false) => Err(format!(
                "state {} does not match the last response in the history",
                self.state.status()
            )),
            _ => Ok(()),
        }
    }

    /// When an active chain's next attempt is due: at the `retryDate` of its latest response
    /// that scheduled one (calls never move it), else not before the chain started; never
    /// past the age limit; and an attempt in flight was not sent before it was due. A
    /// document that says otherwise would hand out a retry too early or too late.
    fn check_schedule(&self) -> Result<(), String> {
        let due_at = match &self.state {
            ChainState::Scheduled { due_at } => *due_at,
            ChainState::AwaitingResponse {
                due_at, sent_at, ..
            } => {
                if sent_at < due_at {
                    return Err(format!(
                        "state.sentAt {sent_at} is before the attempt was due, at {due_at}"
                    ));
                }
                *due_at
            }
            _ => return Ok(()),
        };
        let latest_retry_date =
            self.history
                .iter()
                .rev()
                .find_map(|record| match record.decision {
                    Decision::RetryAt { at } => Some(at),
                    _ => None,
                });
        match latest_retry_date {
            Some(at) if due_at != at => {
                return Err(format!(
                    "state.dueAt is {due_at} but the latest response's retryDate is {at}"
                ));
            }
            Some(_) => {}
            None => {
                let start = match self.origin {
                    ChainOrigin::GatewayDecline { declined_at } => declined_at,
                    ChainOrigin::InitialAttemptThroughFlexPay { created_at } => created_at,
                };
                if due_at < start {
                    return Err(format!(
                        "state.dueAt {due_at} is before the chain started, at {start}"
                    ));
                }
            }
        }
        // A policy outside FlexPay's limits was accepted before they were enforced; such a
        // chain ends when asked for the attempt instead.
        let deadline = self
            .date_first_attempt
            .filter(|_| self.policy.check().is_ok())
            .and_then(|first| self.policy.deadline(first));
        if let Some(deadline) = deadline.filter(|&deadline| due_at > deadline) {
            return Err(format!(
                "state.dueAt {due_at} is past the policy's age limit, {deadline}"
            ));
        }
        Ok(())
    }

    fn last_code(&self) -> Option<ResponseCode> {
        self.history.last().map(|record| record.response_code)
    }
}

/// Refuses a document that is no object, or whose `schemaVersion` this flexkit never wrote
/// or does not read yet, before its shape is looked at.
fn check_version(value: &serde_json::Value) -> Result<(), LoadError> {
    if !value.is_object() {
        return Err(LoadError::Corrupt {
            message: "it is not a JSON object".into(),
            detail: None,
        });
    }
    let version = value
        .get("schemaVersion")
        .and_then(serde_json::Value::as_u64)
        .ok_or(LoadError::MissingSchemaVersion)?;
    if version == 0 {
        return Err(LoadError::UnsupportedSchemaVersion { found: version });
    }
    if version > u64::from(SCHEMA_VERSION) {
        return Err(LoadError::NewerSchemaVersion {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// A shape error: serde's description in the document's terms (without its position, which
/// names no field), and serde's own text as the `detail` bindings word themselves.
fn corrupt(error: &serde_json::Error) -> LoadError {
    let detail = error.to_string();
    let without_position = detail
        .rsplit_once(" at line ")
        .map_or(detail.as_str(), |(message, _)| message);
    LoadError::Corrupt {
        message: crate::json_objects::plain_words(without_position),
        detail: Some(detail),
    }
}

/// Where a text stops being JSON, without the parser's vocabulary ("expected ident").
fn where_json_breaks(error: &serde_json::Error) -> String {
    let what = if error.is_eof() {
        "it ends too early"
    } else {
        "it is not valid JSON"
    };
    format!("{what} at line {}, column {}", error.line(), error.column())
}
