//! The whole sandbox as one versioned JSON document, for the portal to keep in the browser.
//!
//! Top level, in this order: `schemaVersion`, `seed`, `rng` (the random stream's state),
//! `companies`, `apiKeys` (hashes only), `nextApiKeyId`, `autoRetries`, `nextAutoRetryId`,
//! `gateways` (setting fingerprints only), `transactions`, `chains`, `users` (password
//! hashes only) once they are not just the owner a fresh account has (a document without
//! `users` has that owner), and `platform` (the platform configuration of each environment,
//! left out while it is the default). So documents written before users and the platform
//! configuration existed load unchanged, with no new version. Lookup tables are not stored;
//! they are rebuilt on load. Writing, loading and writing again gives the same bytes.
//!
//! Versions:
//! - 1: the first layout;
//! - 2: a transaction may name the transaction whose vaulted card it charged (`vault`);
//! - 3: the vault calls: transactions of the kinds `CreateCreditCard`,
//!   `CreateGatewayPaymentMethod`, `UpdatePaymentMethod`, `RedactPaymentMethod` and
//!   `RecachePaymentMethod` (the last three name their method in `vault`), and a stored
//!   method's `redacted` and `cvvCached` flags;
//! - 4: `seed` and `rng` are written as decimal strings (`"rng":"14727398570297897940"`):
//!   as JSON numbers they may exceed 2^53 (the random stream's state nearly always does), so
//!   a document passed through JavaScript's `JSON.parse` (a pretty-printed fixture, a JSON
//!   column) came back with another random stream and handed out other ids. Numbers are still read, so older documents load; a number that
//!   JavaScript has already rounded cannot be recognised, so only documents written as 4
//!   survive such a round trip. The document's other numbers are amounts, counts and
//!   positions, none drawn from the random stream.
//!
//! Each version only adds to the one before (4 changes how two numbers are written, which a
//! reader of 3 cannot read), so an older document loads as the current version and is
//! written back as it: a flexkit that reads only an older version then refuses it as newer
//! instead of misreading it. `snapshot_v1.json`, `snapshot_v2.json` and `snapshot_v3.json`
//! hold documents of the older versions that must keep loading.
//!
//! Loading never half-loads: the document is read into a fresh value, checked for internal
//! consistency (links, ids, users — an empty name, a username repeated without regard to
//! case or not an email address, an unknown access level, no enabled Account Administrator —,
//! and every amount and recovery limit one the sandbox can record:
//! an approved charge of -5.00 is refused naming the transaction, see `check_money`), and
//! only then returned. A document from a newer flexkit is refused before its
//! body is interpreted.

use core::fmt;

use serde::Serialize;
#[cfg(test)]
use serde_json::error::Category;

use crate::flexpay::account::AutoRetryStatus;
use crate::flexpay::response_code::ResponseCategory;
use crate::json_reader::{self, ReadError, Reader};
use crate::validation::json::JS_MAX_SAFE_INTEGER;

use super::gateways::GatewayRef;
use super::recovery::ChainOutcome;
use super::tokens::SecretStream;
use super::transactions::{Kind, TransactionHandle};
use super::{Indexes, Sandbox, State};

/// The snapshot format this flexkit writes and reads.
pub const SCHEMA_VERSION: u64 = 4;

/// Why a snapshot could not be loaded. The sandbox it came from is untouched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "code")]
pub enum SnapshotError {
    /// The text ends in the middle of the document (an interrupted save).
    Truncated { message: String },
    /// Not JSON, or JSON of the wrong shape.
    Corrupt { message: String },
    /// Written by a newer flexkit.
    NewerVersion { found: u64, supported: u64 },
    /// No `schemaVersion` flexkit writes: missing, or not a positive whole number.
    UnknownVersion,
    /// Well-formed, but its parts contradict each other (a hand edit, or a bug).
    Inconsistent { message: String },
}

impl SnapshotError {
    /// Stable machine code, the vocabulary every stored document of flexkit is refused with
    /// (the Flexiti sandbox's snapshots, stored `RetryChain`s): a cut-short or unreadable
    /// snapshot is `snapshot_malformed`, its message says which.
    pub fn code(&self) -> &'static str {
        match self {
            SnapshotError::Truncated { .. } | SnapshotError::Corrupt { .. } => "snapshot_malformed",
            SnapshotError::NewerVersion { .. } => "snapshot_newer_version",
            SnapshotError::UnknownVersion => "snapshot_unknown_version",
            SnapshotError::Inconsistent { .. } => "snapshot_inconsistent",
        }
    }
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Truncated { message } => write!(
                f,
                "the sandbox snapshot is cut short ({message}); the save was interrupted: load \
                 an earlier copy or start a new sandbox"
            ),
            SnapshotError::Corrupt { message } => write!(
                f,
                "the sandbox snapshot is not readable ({message}); load an earlier copy or \
                 start a new sandbox"
            ),
            SnapshotError::NewerVersion { found, supported } => write!(
                f,
                "the sandbox snapshot has schemaVersion {found}, written by a newer flexkit; \
                 this one reads version {supported}: update flexkit to load it"
            ),
            SnapshotError::UnknownVersion => f.write_str(
                "the sandbox snapshot is not readable (schemaVersion is missing or not a \
                 positive whole number); load an earlier copy or start a new sandbox",
            ),
            SnapshotError::Inconsistent { message } => write!(
                f,
                "the sandbox snapshot contradicts itself ({message}); load an earlier copy or \
                 start a new sandbox"
            ),
        }
    }
}

impl std::error::Error for SnapshotError {}

#[cfg(test)]
fn from_json_error(error: &serde_json::Error) -> SnapshotError {
    let message = error.to_string();
    match error.classify() {
        Category::Eof => SnapshotError::Truncated { message },
        Category::Io | Category::Syntax | Category::Data => SnapshotError::Corrupt { message },
    }
}

fn from_read_error(error: &ReadError) -> SnapshotError {
    let message = error.to_string();
    if error.is_eof() {
        SnapshotError::Truncated { message }
    } else {
        SnapshotError::Corrupt { message }
    }
}

/// Only the version, the rest skipped, so that a newer layout is never misread: the number
/// at `schemaVersion` as serde_json's value tree under an `Option` reads it.
fn version_probe(text: &str) -> Result<Option<u64>, ReadError> {
    let mut reader = Reader::new(text);
    let mut version = None;
    reader.object(
        "struct VersionProbe",
        &["schemaVersion"],
        0,
        false,
        &mut |r, _| {
            version = r.version()?;
            Ok(())
        },
    )?;
    reader.end()?;
    Ok(version)
}

impl Sandbox {
    /// The whole state as a JSON document (see the module documentation).
    pub fn to_snapshot(&self) -> String {
        // Every key is a string and every value plain data, so writing cannot fail; an empty
        // string would be refused on load rather than mistaken for a sandbox.
        crate::json_writer::to_string(&self.state).unwrap_or_default()
    }

    /// Loads a document written by [`Sandbox::to_snapshot`].
    pub fn from_snapshot(text: &str) -> Result<Sandbox, SnapshotError> {
        let loaded = Sandbox::read_snapshot(text);
        // Every snapshot a test loads is read by serde's derived readers too, which must
        // agree (see `differential`).
        #[cfg(test)]
        differential::agrees_with_serde(text, &loaded);
        loaded
    }

    fn read_snapshot(text: &str) -> Result<Sandbox, SnapshotError> {
        let version = version_probe(text).map_err(|error| from_read_error(&error))?;
        match version {
            Some(1..=SCHEMA_VERSION) => {}
            Some(found) if found > SCHEMA_VERSION => {
                return Err(SnapshotError::NewerVersion {
                    found,
                    supported: SCHEMA_VERSION,
                })
            }
            _ => return Err(SnapshotError::UnknownVersion),
        }
        let mut state: State =
            json_reader::from_str(text).map_err(|error| from_read_error(&error))?;
        state.schema_version = SCHEMA_VERSION;
        check_consistency(&state).map_err(|message| SnapshotError::Inconsistent { message })?;
        let secrets = SecretStream::NONE;
        let mut sandbox = Sandbox {
            state,
            index: Indexes::default(),
            secrets,
        };
        sandbox.rebuild_indexes();
        Ok(sandbox)
    }

    /// Rebuilds every lookup table from the state, exactly as the calls built them.
    pub(crate) fn rebuild_indexes(&mut self) {
        let mut index = Indexes::default();
        for (position, gateway) in self.state.gateways.iter().enumerate() {
            index
                .gateway_by_token
                .insert(gateway.token.0, u32::try_from(position).unwrap_or(u32::MAX));
        }
        // A chain left with FlexPay Retries while it is off is the merchant's (see
        // `hand_retries_to_merchant`).
        let abandoned: Vec<usize> = (self.state.chains.iter().enumerate())
            .filter(|(_, chain)| {
                chain.auto_retry
                    && chain.outcome == ChainOutcome::InRecovery
                    && !self.auto_retry_enabled(chain.company, chain.mode)
            })
            .map(|(position, _)| position)
            .collect();
        for position in abandoned {
            self.state.chains[position].auto_retry = false;
        }
        for (position, chain) in self.state.chains.iter().enumerate() {
            if let (ChainOutcome::InRecovery, true, Some(due)) =
                (chain.outcome, chain.auto_retry, chain.next_retry)
            {
                index
                    .schedule
                    .insert((due, u32::try_from(position).unwrap_or(u32::MAX)));
            }
        }
        self.index = index;
        self.rebuild_key_index();
        let transactions = core::mem::take(&mut self.state.transactions);
        self.state.transactions.reserve(transactions.len());
        for record in transactions {
            let TransactionHandle(_) = self.store(record);
        }
    }
}

fn check_consistency(state: &State) -> Result<(), String> {
    let companies = state.companies.len();
    match state.companies.first() {
        Some(first) if !first.deleted => {}
        _ => return Err("the Default Company is missing".into()),
    }
    if companies > usize::from(u16::MAX) {
        return Err("too many companies".into());
    }
    // As `create_company` and `rename_company` keep them: a code of letters and digits, a
    // name that is not blank.
    for (position, company) in state.companies.iter().enumerate() {
        if company.code.is_empty() || !company.code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!(
                "company {position} has the code {:?}; a company code is letters and digits only",
                company.code
            ));
        }
        if company.name.trim().is_empty() {
            return Err(format!(
                "company {position} ({}) has a blank name; every company has one",
                company.code
            ));
        }
    }
    // A live company's code names it in every call, so no two live companies share one,
    // compared as `create_company` compares them (without regard to ASCII case). A deleted
    // company's code may be a live one's: older sandboxes gave it to a new company.
    let live = || {
        state
            .companies
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.deleted)
    };
    for (position, company) in live() {
        if let Some((first, _)) = live()
            .take_while(|(earlier, _)| *earlier < position)
            .find(|(_, earlier)| earlier.code.eq_ignore_ascii_case(&company.code))
        {
            return Err(format!(
                "company {position} has the code {:?} of company {first}; no two companies \
                 share a code, whatever its case",
                company.code
            ));
        }
    }
    let company_ok = |company: u16| usize::from(company) < companies;
    let no_company = |what: String, company: u16| {
        format!(
            "{what} belongs to company number {company}, which the snapshot does not have (its \
             companies are numbered 0 to {})",
            companies.saturating_sub(1)
        )
    };
    let mut key_ids = std::collections::BTreeSet::new();
    for key in &state.api_keys {
        if !company_ok(key.company) {
            return Err(no_company(format!("API key {}", key.id.0), key.company));
        }
        if !key_ids.insert(key.id) {
            return Err(format!("API key {} is repeated", key.id.0));
        }
        if key.id.0 >= state.next_api_key_id {
            return Err(format!("API key {} is above nextApiKeyId", key.id.0));
        }
    }
    let mut pairs = std::collections::BTreeSet::new();
    let mut retry_ids = std::collections::BTreeSet::new();
    for config in &state.auto_retries {
        let pair = (config.company, config.environment);
        if !company_ok(config.company) {
            return Err(no_company(
                format!("auto-retry {}", config.id.0),
                config.company,
            ));
        }
        if !pairs.insert(pair) || !retry_ids.insert(config.id) {
            return Err(format!(
                "auto-retry {} is repeated, or a second one of its company and environment",
                config.id.0
            ));
        }
        if config.id.0 >= state.next_auto_retry_id {
            return Err(format!(
                "auto-retry {} is above nextAutoRetryId",
                config.id.0
            ));
        }
        let _: AutoRetryStatus = config.status;
    }
    let mut tokens = std::collections::BTreeSet::new();
    for gateway in &state.gateways {
        if !company_ok(gateway.company) {
            return Err(no_company(
                format!("gateway {}", gateway.token),
                gateway.company,
            ));
        }
        if !tokens.insert(gateway.token) {
            return Err(format!("gateway {} is repeated", gateway.token));
        }
    }
    let transactions = state.transactions.len();
    let chains = state.chains.len();
    if transactions >= u32::MAX as usize || chains >= u32::MAX as usize {
        return Err("too many transactions".into());
    }
    let mut ids = std::collections::BTreeSet::new();
    for (position, record) in state.transactions.iter().enumerate() {
        let gateway_ok = match record.gateway {
            GatewayRef::Created(gateway) => (gateway as usize) < state.gateways.len(),
            GatewayRef::BuiltIn | GatewayRef::NotReached => true,
        };
        let links_ok = record.chain.is_none_or(|c| (c as usize) < chains)
            && record.original.is_none_or(|o| (o as usize) < position)
            && record.vault.is_none_or(|v| {
                (v as usize) < position
                    && state.transactions.get(v as usize).is_some_and(|r| r.stored)
            });
        // Only a stored method can be redacted or hold a CVV for its next payment.
        let vault_ok = record.stored || !(record.redacted || record.cvv_cached);
        let placed = record.id.position() as usize == position;
        let id = &record.id;
        if !company_ok(record.company) {
            return Err(no_company(format!("transaction {id}"), record.company));
        }
        let problem = if !gateway_ok {
            "names a gateway the snapshot does not have"
        } else if !links_ok {
            "links to a chain, an original transaction or a stored card the snapshot does not \
             have before it"
        } else if !vault_ok {
            "is marked redacted or holding a CVV, yet it stored no card"
        } else if !placed {
            "is not at the place its id was issued for"
        } else if !ids.insert(record.id) {
            "is repeated"
        } else {
            ""
        };
        if !problem.is_empty() {
            return Err(format!("transaction {id} {problem}"));
        }
    }
    for (position, chain) in state.chains.iter().enumerate() {
        let links_ok = (chain.first_transaction as usize) < transactions
            && (chain.last_transaction as usize) < transactions
            && chain.reference.is_none_or(|r| r.chain as usize == position);
        if !company_ok(chain.company) || !links_ok {
            return Err(format!("chain {position} is invalid"));
        }
    }
    if let Some(problem) = super::users::snapshot_problem(&state.users) {
        return Err(problem);
    }
    check_money(state)
}

/// The largest amount the sandbox processes: what validation lets through.
const MOST: i64 = JS_MAX_SAFE_INTEGER;

/// Every money value and recovery limit is one the sandbox can produce. A payment that
/// reached a gateway passed validation, so its amount is from 1 to [`MOST`] minor units, as
/// is an approved capture's, void's or refund's; an approved refunded-payment notice may name
/// 0. Other transactions keep what they were sent or copied (a request refused with a 5xxxx
/// keeps the amount that made it refused; a void or refund declined because its original was
/// such a request shows the original's), so their amounts are not judged. Captured and
/// refunded sums stay within the transaction's amount; a chain's amount is its first
/// attempt's, its approved amount is set only when it was approved, and its refunds never
/// exceed that.
fn check_money(state: &State) -> Result<(), String> {
    for record in &state.transactions {
        let approved = record.code.category() == ResponseCategory::Approved;
        let least = match record.kind {
            Kind::Charge | Kind::Authorize if record.gateway != GatewayRef::NotReached => Some(1),
            Kind::Capture | Kind::Void | Kind::Refund if approved => Some(1),
            Kind::RefundedPayment if approved => Some(0),
            _ => None,
        };
        if let Some(least) = least {
            let what = || {
                format!(
                    "transaction {} ({}, responseCode {})",
                    record.id,
                    record.kind.transaction_type().as_str(),
                    record.code
                )
            };
            match record.amount {
                Some(amount) if (least..=MOST).contains(&amount) => {}
                Some(amount) => {
                    return Err(format!(
                        "{} has amount {amount}; the sandbox records such a transaction with \
                         {least} to {MOST} minor units",
                        what()
                    ))
                }
                None => return Err(format!("{} has no amount", what())),
            }
        }
        let amount = record.amount.unwrap_or(0).max(0);
        for (name, sum) in [("captured", record.captured), ("refunded", record.refunded)] {
            if !(0..=amount).contains(&sum) {
                return Err(format!(
                    "transaction {} has {name} {sum}, outside 0 to its amount {amount}",
                    record.id
                ));
            }
        }
    }
    for (position, chain) in state.chains.iter().enumerate() {
        if !(1..=MOST).contains(&chain.amount) {
            return Err(format!(
                "chain {position} has amount {}; a payment's amount is from 1 to {MOST} minor \
                 units",
                chain.amount
            ));
        }
        // A chain's amount and currency are its payment's: its first attempt's, which every
        // retry re-sends.
        if let Some(first) = state.transactions.get(chain.first_transaction as usize) {
            if first.amount != Some(chain.amount) {
                return Err(format!(
                    "chain {position} has amount {}, but its first attempt, transaction {}, \
                     has {}; a chain's amount is its payment's",
                    chain.amount,
                    first.id,
                    first
                        .amount
                        .map_or_else(|| "none".to_owned(), |a| a.to_string())
                ));
            }
            if chain.currency.is_some_and(|c| first.currency != Some(c)) {
                return Err(format!(
                    "chain {position} has currency {}, but its first attempt, transaction {}, \
                     has {}; a chain's currency is its payment's",
                    chain.currency.map_or("none", |c| c.code()),
                    first.id,
                    first.currency.map_or("none", |c| c.code())
                ));
            }
        }
        let approved = chain.outcome == ChainOutcome::Approved;
        let approved_ok = if approved {
            (1..=MOST).contains(&chain.approved_amount)
        } else {
            chain.approved_amount == 0
        };
        if !approved_ok {
            return Err(format!(
                "chain {position} ({}) has approvedAmount {}",
                chain.outcome.describe(),
                chain.approved_amount
            ));
        }
        if !(0..=chain.approved_amount).contains(&chain.refunded_amount) {
            return Err(format!(
                "chain {position} has refundedAmount {}, outside 0 to its approvedAmount {}",
                chain.refunded_amount, chain.approved_amount
            ));
        }
    }
    for (mode, config) in [
        ("Sandbox", &state.platform.sandbox),
        ("Production", &state.platform.production),
    ] {
        // A code without a minor unit was taken before 2026-11-25, and is harmless: it is
        // loaded as it was written.
        let problems = config.problems();
        let problem = problems
            .errors()
            .find(|p| p.code != crate::validation::code::UNKNOWN_CURRENCY);
        if let Some(problem) = problem {
            return Err(format!(
                "the {mode} platform configuration's {} is impossible: {}",
                problem.path, problem.message
            ));
        }
    }
    for company in &state.companies {
        if let Some(problem) = company.recovery.and_then(|limits| limits.problem()) {
            return Err(format!(
                "company {}'s recovery limits are outside FlexPay's: {problem}",
                company.code
            ));
        }
    }
    Ok(())
}

/// The reader this module used before [`crate::json_reader`]: serde's derived readers through
/// [`crate::json_objects`]. Kept for the tests, which check that both accept and refuse the
/// same snapshots, for the same reason, and load the same sandboxes.
#[cfg(test)]
pub(crate) mod differential {
    use serde::Deserialize;

    use super::SCHEMA_VERSION;
    use super::{
        check_consistency, from_json_error, Indexes, Sandbox, SecretStream, SnapshotError, State,
    };
    use crate::json_objects;

    #[derive(Deserialize)]
    struct VersionProbe {
        #[serde(rename = "schemaVersion")]
        schema_version: Option<serde_json::Value>,
    }

    pub(crate) fn load_with_serde(text: &str) -> Result<Sandbox, SnapshotError> {
        let probe: VersionProbe =
            json_objects::from_str(text).map_err(|error| from_json_error(&error))?;
        let version = match probe.schema_version {
            Some(serde_json::Value::Number(number)) => number.as_u64(),
            _ => None,
        };
        match version {
            Some(1..=SCHEMA_VERSION) => {}
            Some(found) if found > SCHEMA_VERSION => {
                return Err(SnapshotError::NewerVersion {
                    found,
                    supported: SCHEMA_VERSION,
                })
            }
            _ => return Err(SnapshotError::UnknownVersion),
        }
        let mut state: State =
            json_objects::from_str(text).map_err(|error| from_json_error(&error))?;
        state.schema_version = SCHEMA_VERSION;
        check_consistency(&state).map_err(|message| SnapshotError::Inconsistent { message })?;
        let secrets = SecretStream::NONE;
        let mut sandbox = Sandbox {
            state,
            index: Indexes::default(),
            secrets,
        };
        sandbox.rebuild_indexes();
        Ok(sandbox)
    }

    /// Both readers accept `text` or both refuse it; refused, for the same reason (for a
    /// malformed one, in the same words at the same line and column, and as cut short or
    /// not alike); accepted, as sandboxes that write the same text.
    pub(crate) fn agrees_with_serde(text: &str, ours: &Result<Sandbox, SnapshotError>) {
        let theirs = load_with_serde(text);
        match (ours, &theirs) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours.to_snapshot(), theirs.to_snapshot()),
            (Err(ours), Err(theirs)) => assert_eq!(ours, theirs, "{text}"),
            _ => panic!(
                "the readers disagree on {text:?}: json_reader {:?}, serde {:?}",
                ours.as_ref().err(),
                theirs.as_ref().err()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::account::Environment;
    use crate::flexpay::sandbox::scenarios;
    use crate::flexpay::sandbox::test_support::{at_hours, sandbox_with_key, t0, visa_charge};
    use crate::flexpay::transaction::RefundRequest;
    use crate::u64_text::testing::{as_numbers, through_javascript};

    fn busy() -> (Sandbox, String) {
        let (mut sandbox, key) = sandbox_with_key();
        sandbox.create_company("Northwind", "NWS01", t0()).unwrap();
        sandbox
            .generate_api_key("live", "NWS01", Environment::Production, t0())
            .unwrap();
        sandbox
            .add_auto_retry(
                "Scheduler",
                "DEFAULT",
                Environment::Sandbox,
                AutoRetryStatus::Enabled,
                t0(),
            )
            .unwrap();
        scenarios::run_all(&mut sandbox, &key, t0());
        let first = sandbox
            .charge(&key, visa_charge("busy-1", 2008), t0())
            .unwrap();
        sandbox
            .charge(&key, visa_charge("busy-2", 2012), t0())
            .unwrap();
        sandbox
            .refund(
                &key,
                &first.transaction_id,
                RefundRequest::full("busy-3"),
                t0(),
            )
            .unwrap();
        sandbox.run_due_retries(at_hours(24 * 3));
        (sandbox, key)
    }

    #[test]
    fn a_busy_sandbox_round_trips_byte_for_byte() {
        let (sandbox, key) = busy();
        let text = sandbox.to_snapshot();
        assert!(text.starts_with("{\"schemaVersion\":4,\"seed\":\"24301\",\"rng\":\""));
        let mut loaded = Sandbox::from_snapshot(&text).unwrap();
        assert_eq!(loaded.to_snapshot(), text);
        // Documents of versions 1 to 3 (the same layout without the vault calls, or with
        // `seed` and `rng` as numbers) load and are written as 4.
        for older in [1, 2, 3] {
            let document = as_version(&text, older);
            assert_eq!(
                Sandbox::from_snapshot(&document).unwrap().to_snapshot(),
                text
            );
        }
        // The loaded sandbox works on: same key, same schedule, same next ids.
        let mut original = sandbox.clone();
        let a = original
            .charge(&key, visa_charge("after-1", 1000), at_hours(100))
            .unwrap();
        let b = loaded
            .charge(&key, visa_charge("after-1", 1000), at_hours(100))
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(
            original.run_due_retries(at_hours(24 * 60)),
            loaded.run_due_retries(at_hours(24 * 60))
        );
        assert_eq!(original.to_snapshot(), loaded.to_snapshot());
        assert!(!text.contains(&key));
    }

    #[test]
    fn corrupt_truncated_and_newer_snapshots_are_refused() {
        let (sandbox, _) = busy();
        let text = sandbox.to_snapshot();
        let truncated = Sandbox::from_snapshot(&text[..text.len() / 2]).unwrap_err();
        assert!(matches!(truncated, SnapshotError::Truncated { .. }));
        assert_eq!(truncated.code(), "snapshot_malformed");
        assert!(truncated.to_string().contains("interrupted"));
        for corrupt in ["", "not json", "[1,2]"] {
            let error = Sandbox::from_snapshot(corrupt).unwrap_err();
            assert!(
                matches!(
                    error,
                    SnapshotError::Corrupt { .. } | SnapshotError::Truncated { .. }
                ),
                "{corrupt:?}: {error}"
            );
            assert_eq!(error.code(), "snapshot_malformed");
        }
        for unknown in [
            "{\"schemaVersion\":\"1\"}",
            "{}",
            "{\"schemaVersion\":0}",
            "{\"schemaVersion\":1.5}",
        ] {
            let error = Sandbox::from_snapshot(unknown).unwrap_err();
            assert_eq!(error, SnapshotError::UnknownVersion, "{unknown}");
            assert_eq!(error.code(), "snapshot_unknown_version");
        }
        let wrong_shape = text.replacen("\"companies\":[", "\"companies\":[7,", 1);
        assert_eq!(
            Sandbox::from_snapshot(&wrong_shape).unwrap_err().code(),
            "snapshot_malformed"
        );
        let newer = text.replacen("\"schemaVersion\":4", "\"schemaVersion\":5", 1);
        assert_eq!(
            Sandbox::from_snapshot(&newer).unwrap_err(),
            SnapshotError::NewerVersion {
                found: 5,
                supported: 4
            }
        );
        let newer_other_shape = "{\"schemaVersion\":9,\"everything\":\"different\"}";
        assert_eq!(
            Sandbox::from_snapshot(newer_other_shape)
                .unwrap_err()
                .code(),
            "snapshot_newer_version"
        );
        let unknown_field = text.replacen("\"seed\":", "\"surprise\":1,\"seed\":", 1);
        assert_eq!(
            Sandbox::from_snapshot(&unknown_field).unwrap_err().code(),
            "snapshot_malformed"
        );
    }

    #[test]
    fn inconsistent_snapshots_are_refused() {
        let (sandbox, _) = busy();
        let mut broken = sandbox.clone();
        if let Some(record) = broken.state.transactions.last_mut() {
            record.chain = Some(9_999);
        }
        let error = Sandbox::from_snapshot(&broken.to_snapshot()).unwrap_err();
        assert_eq!(error.code(), "snapshot_inconsistent");
        assert!(error.to_string().contains(" links to a chain"), "{error}");

        // Each refusal says what is wrong with the record it names.
        let mut elsewhere = sandbox.clone();
        elsewhere.state.transactions[0].company = 7;
        let error = Sandbox::from_snapshot(&elsewhere.to_snapshot()).unwrap_err();
        let id = &sandbox.state.transactions[0].id;
        assert!(
            error.to_string().contains(&format!(
                "transaction {id} belongs to company number 7, which the snapshot does not have"
            )),
            "{error}"
        );

        let mut duplicate = sandbox.clone();
        let first = duplicate.state.transactions[0].clone();
        duplicate.state.transactions.push(first);
        let error = Sandbox::from_snapshot(&duplicate.to_snapshot()).unwrap_err();
        assert_eq!(error.code(), "snapshot_inconsistent");
        assert!(
            error
                .to_string()
                .contains("is not at the place its id was issued for"),
            "{error}"
        );

        // Company fields the forms refuse (an edited export).
        let document = sandbox.to_snapshot();
        let symbol = load_edited(&document, |v| v["companies"][0]["code"] = "AC-ME!".into());
        assert!(
            symbol.is_some_and(|e| e.contains("the code \"AC-ME!\"; a company code is letters")),
            "a code with symbols"
        );
        let blank = load_edited(&document, |v| v["companies"][0]["name"] = "  ".into());
        assert!(
            blank.is_some_and(|e| e.contains("has a blank name")),
            "a blank name"
        );

        let mut no_default = sandbox;
        no_default.state.companies.clear();
        assert_eq!(
            Sandbox::from_snapshot(&no_default.to_snapshot())
                .unwrap_err()
                .code(),
            "snapshot_inconsistent"
        );
    }

    /// `document` with `edit` applied to its JSON, loaded: the error's message, if refused.
    fn load_edited(document: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Option<String> {
        let mut value: serde_json::Value = serde_json::from_str(document).unwrap();
        edit(&mut value);
        match Sandbox::from_snapshot(&value.to_string()) {
            Ok(_) => None,
            Err(error) => {
                assert_eq!(error.code(), "snapshot_inconsistent", "{error}");
                Some(error.to_string())
            }
        }
    }

    #[test]
    fn money_the_sandbox_never_produces_is_refused_naming_where() {
        use serde_json::json;
        // The fixture documents as saved: an approved charge of 10.00 first (versions 1 and
        // 2), a soft-declined 20.08 second (version 3, after the card's create call).
        for (document, position, id) in [
            (VERSION_1, 0, "2R706YWETGKVDKZ64RH1F2W3JB"),
            (VERSION_2, 0, "2R706YWETGKVDKZ64RH1F2W3JB"),
            (VERSION_3, 1, "7ZS554CPWJSCFEYGGVS0A0Z3A3"),
        ] {
            assert_eq!(load_edited(document, |_| {}), None);
            for amount in [-500, 0, JS_MAX_SAFE_INTEGER + 1] {
                let message = load_edited(document, |doc| {
                    doc["transactions"][position]["amount"] = json!(amount);
                })
                .unwrap_or_else(|| panic!("amount {amount} loaded"));
                assert!(
                    message.contains(&format!("transaction {id} (Charge, responseCode "))
                        && message.contains(&format!("has amount {amount}")),
                    "{message}"
                );
            }
            let message = load_edited(document, |doc| {
                doc["transactions"][position]
                    .as_object_mut()
                    .unwrap()
                    .remove("amount");
            })
            .unwrap();
            assert!(message.contains(&format!("transaction {id}")), "{message}");
            let message = load_edited(document, |doc| {
                doc["transactions"][position]["refunded"] = json!(-1);
            })
            .unwrap();
            assert!(
                message.contains(&format!("transaction {id} has refunded -1")),
                "{message}"
            );
            let message = load_edited(document, |doc| {
                let amount = doc["transactions"][position]["amount"].clone();
                doc["transactions"][position]["captured"] = json!(amount.as_i64().unwrap() + 1);
            })
            .unwrap();
            assert!(message.contains("outside 0 to its amount"), "{message}");
            let message =
                load_edited(document, |doc| doc["chains"][0]["amount"] = json!(-500)).unwrap();
            assert!(message.contains("chain 0 has amount -500"), "{message}");
            let message = load_edited(document, |doc| {
                doc["companies"][0]["recovery"] = json!({"maxRetries": 40, "windowDays": 30});
            })
            .unwrap();
            assert!(
                message.contains("company DEFAULT's recovery limits"),
                "{message}"
            );
        }
        // Version 1: chain 0 approved 10.00, chain 1 still in recovery.
        let approved_in_recovery = load_edited(VERSION_1, |doc| {
            doc["chains"][1]["approvedAmount"] = json!(2008)
        })
        .unwrap();
        assert!(
            approved_in_recovery.contains("chain 1 (in recovery) has approvedAmount 2008"),
            "{approved_in_recovery}"
        );
        for (field, value) in [("approvedAmount", 0), ("approvedAmount", -1000)] {
            assert!(load_edited(VERSION_1, |doc| doc["chains"][0][field] = json!(value)).is_some());
        }
        let refunds = load_edited(VERSION_1, |doc| {
            doc["chains"][0]["refundedAmount"] = json!(1001);
        })
        .unwrap();
        assert!(refunds.contains("refundedAmount 1001"), "{refunds}");
    }

    #[test]
    fn company_codes_and_chain_amounts_that_contradict_the_calls_are_refused() {
        use serde_json::json;
        let (mut sandbox, key) = busy();
        let document = sandbox.to_snapshot();
        assert_eq!(load_edited(&document, |_| {}), None);
        // Company 1 is NWS01; the codes name the companies in every call.
        for code in ["DEFAULT", "default"] {
            let message =
                load_edited(&document, |doc| doc["companies"][1]["code"] = json!(code)).unwrap();
            assert!(
                message.contains(&format!(
                    "company 1 has the code \"{code}\" of company 0; no two companies share a code"
                )),
                "{message}"
            );
        }
        // A chain's amount and currency are its first attempt's.
        let chain = &sandbox.state.chains[0];
        let first = &sandbox.state.transactions[chain.first_transaction as usize];
        let (amount, id) = (chain.amount, first.id.to_string());
        let message = load_edited(&document, |doc| {
            doc["chains"][0]["amount"] = json!(amount + 1)
        })
        .unwrap();
        assert!(
            message.contains(&format!(
                "chain 0 has amount {}, but its first attempt, transaction {id}, has {amount}",
                amount + 1
            )),
            "{message}"
        );
        let message =
            load_edited(&document, |doc| doc["chains"][0]["currency"] = json!("EUR")).unwrap();
        assert!(
            message.contains(&format!(
                "chain 0 has currency EUR, but its first attempt, transaction {id}, has USD"
            )),
            "{message}"
        );
        // A deleted company's code given to a new company, as older sandboxes did, loads.
        let reused = load_edited(&document, |doc| {
            doc["companies"][1]["deleted"] = json!(true);
            let mut again = doc["companies"][1].clone();
            again.as_object_mut().unwrap().remove("deleted");
            doc["companies"].as_array_mut().unwrap().push(again);
        });
        assert_eq!(reused, None);
        // Two transactions share a merchantTransactionId when the second was refused for it
        // (50129): the calls record both, so such a document loads.
        let repeated = sandbox
            .charge(&key, visa_charge("busy-1", 1000), at_hours(24 * 4))
            .unwrap();
        assert_eq!(repeated.response_code.to_string(), "50129");
        assert_eq!(load_edited(&sandbox.to_snapshot(), |_| {}), None);
    }

    #[test]
    fn every_amount_the_sandbox_records_loads() {
        use crate::flexpay::transaction::CaptureRequest;
        // A busy sandbox: refunds, voids, captures, recovery, refusals of negative and zero
        // amounts (kept as sent), a refunded-payment notice of a declined payment (0).
        let (mut sandbox, key) = busy();
        let mut negative = visa_charge("neg-1", 1000);
        negative.amount = -500;
        let refused = sandbox.charge(&key, negative, at_hours(100)).unwrap();
        assert_eq!(refused.response_code.value(), 50137);
        assert_eq!(refused.amount, Some(-500));
        let mut zero = visa_charge("zero-1", 1000);
        zero.amount = 0;
        sandbox.charge(&key, zero, at_hours(100)).unwrap();
        let declined = sandbox
            .charge(&key, visa_charge("hard-1", 3016), at_hours(100))
            .unwrap();
        let notice = sandbox
            .refunded_payment(
                &key,
                &declined.transaction_id,
                RefundRequest::full("notice-1"),
                at_hours(100),
            )
            .unwrap();
        assert_eq!(notice.amount, Some(0));
        let mut hold = visa_charge("hold-1", 700);
        hold.retry_count = 0;
        let held = sandbox.authorize(&key, hold, at_hours(100)).unwrap();
        sandbox
            .capture(
                &key,
                &held.transaction_id,
                CaptureRequest::full("cap-1"),
                at_hours(100),
            )
            .unwrap();
        let text = sandbox.to_snapshot();
        assert_eq!(Sandbox::from_snapshot(&text).unwrap().to_snapshot(), text);
    }

    /// `text`, a document of the current version, as `version` wrote it: before version 4,
    /// `seed` and `rng` were numbers.
    fn as_version(text: &str, version: u64) -> String {
        let label = format!("\"schemaVersion\":{version}");
        let document = text.replacen("\"schemaVersion\":4", &label, 1);
        if version < 4 {
            as_numbers(&document, &["seed", "rng"])
        } else {
            document
        }
    }

    #[test]
    fn a_document_read_by_javascript_continues_with_the_same_ids() {
        let (sandbox, key) = busy();
        let text = sandbox.to_snapshot();
        let mut original = Sandbox::from_snapshot(&text).unwrap();
        let mut reread = Sandbox::from_snapshot(&through_javascript(&text)).unwrap();
        assert_eq!(reread.to_snapshot(), text);
        for (n, amount) in [(1, 1000), (2, 2008), (3, 3016)] {
            let id = format!("after-js-{n}");
            assert_eq!(
                original.charge(&key, visa_charge(&id, amount), at_hours(100)),
                reread.charge(&key, visa_charge(&id, amount), at_hours(100))
            );
        }
        // A version 3 document had the random stream as a number, which a double rounds: its
        // state after the round trip is another, and so are the next ids.
        let old = as_version(&text, 3);
        let mut rounded = Sandbox::from_snapshot(&through_javascript(&old)).unwrap();
        let mut exact = Sandbox::from_snapshot(&old).unwrap();
        assert_ne!(
            exact
                .charge(&key, visa_charge("old-1", 1000), at_hours(100))
                .unwrap()
                .transaction_id,
            rounded
                .charge(&key, visa_charge("old-1", 1000), at_hours(100))
                .unwrap()
                .transaction_id
        );
    }

    /// Documents written by earlier flexkits (`snapshot_v1.json`: a retained card and a soft
    /// decline; `snapshot_v2.json`: a retained card charged again by its id;
    /// `snapshot_v3.json`: a card stored by `POST /v1/paymentmethods` with a CVV, charged by
    /// its id and recached). The key of `sandbox_with_key` opens all three.
    const VERSION_1: &str = include_str!("snapshot_v1.json");
    const VERSION_2: &str = include_str!("snapshot_v2.json");
    const VERSION_3: &str = include_str!("snapshot_v3.json");

    #[test]
    fn documents_of_versions_1_to_3_load_and_their_vault_works() {
        use crate::flexpay::list::ListTransactionsQuery;
        use crate::flexpay::payment_method::{StorageState, UpdatePaymentMethodRequest};
        use crate::flexpay::transaction::ChargeRequest;

        let (_, key) = sandbox_with_key();
        for (version, text) in [(1, VERSION_1), (2, VERSION_2), (3, VERSION_3)] {
            let label = format!("\"schemaVersion\":{version}");
            assert!(text.starts_with(&format!("{{{label},")));
            let mut sandbox = Sandbox::from_snapshot(text).unwrap();
            let written = sandbox.to_snapshot();
            // Only the version and the form of `seed` and `rng` change: nothing of an older
            // document is dropped.
            assert_eq!(as_version(&written, version), text);
            // Written before the platform configuration: the default in both environments.
            for mode in [Environment::Sandbox, Environment::Production] {
                assert_eq!(sandbox.platform_config(mode), &Default::default());
            }

            let vault = sandbox
                .list_payment_methods(&key, &ListTransactionsQuery::default())
                .unwrap()
                .payment_methods;
            assert_eq!(vault.len(), 1, "version {version}");
            let method = &vault[0].payment_method;
            assert_eq!(method.storage_state, Some(StorageState::Stored));
            let id = method.payment_method_id.clone().unwrap();
            let update = UpdatePaymentMethodRequest {
                city: Some("Salem".into()),
                ..Default::default()
            };
            sandbox
                .update_payment_method(&key, &id, &update, at_hours(48))
                .unwrap();
            let rebill = ChargeRequest::with_vaulted_payment_method("after", "o", "USD", 100, &id)
                .customer("c");
            let charged = sandbox.charge(&key, rebill.clone(), at_hours(49)).unwrap();
            assert_eq!(
                charged.payment_method.unwrap().city.as_deref(),
                Some("Salem")
            );
            sandbox
                .redact_payment_method(&key, &id, at_hours(50))
                .unwrap();
            let mut refused = rebill;
            refused.merchant_transaction_id = "after-2".into();
            assert_eq!(
                sandbox
                    .charge(&key, refused, at_hours(51))
                    .unwrap()
                    .response_code
                    .value(),
                50136
            );
            let text = sandbox.to_snapshot();
            assert_eq!(Sandbox::from_snapshot(&text).unwrap().to_snapshot(), text);
        }
    }

    #[test]
    fn a_fresh_sandbox_round_trips() {
        let sandbox = Sandbox::new(77);
        let text = sandbox.to_snapshot();
        let loaded = Sandbox::from_snapshot(&text).unwrap();
        assert_eq!(loaded.to_snapshot(), text);
        assert_eq!(loaded.seed(), 77);
    }
}
