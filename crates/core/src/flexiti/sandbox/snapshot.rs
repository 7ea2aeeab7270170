//! The sandbox as versioned JSON: `{"schemaVersion": 5, "state": {...}}`. Restoring checks
//! the version and the state's consistency before anything is used, so a sandbox is either
//! restored whole or not at all, and writing a restored sandbox of the current version gives
//! back the same bytes.
//!
//! Versions:
//! - 1: accounts, tokens, authorizations, captures, returns, postings, idempotency keys;
//! - 2: adds refunds, `verify` attempts, the store of authorizations and captures, and what
//!   was refunded against a capture. Every addition is optional when read, so a version 1
//!   snapshot restores as a version 2 sandbox with none of them (and is written back as 2);
//!   a flexkit that reads only version 1 refuses a version 2 snapshot as newer instead of
//!   misreading it;
//! - 3: marks the `verify` attempts that succeeded (`verified`, written only when true), whose
//!   request ids in-store purchases and transactions reuse. Older snapshots restore with every
//!   attempt unmarked, so a request verified before the upgrade is verified again; they are
//!   written back as 3, and a flexkit that reads at most version 2 refuses a version 3
//!   snapshot as newer;
//! - 4: the numbers that may exceed 2^53 — the random stream's state `rngState`, an
//!   authorization's `id` and a capture's `authorizationId` (16 digits), a return's `id` —
//!   are written as decimal strings, so a snapshot passed through JavaScript's `JSON.parse`
//!   (a pretty-printed fixture, a JSON column) keeps them; as numbers they came back rounded,
//!   with another random stream and ids that no longer matched. Numbers are still read, so
//!   older snapshots restore; one that JavaScript has already rounded cannot be recognised.
//!   A flexkit that reads at most version 3 refuses a version 4 snapshot as newer;
//! - 5: marks the successful `verify` attempts an in-store purchase or transaction was made
//!   with (`used`, written only when true): one verification serves one call. Older snapshots
//!   restore with none marked, so a request id already used before the upgrade serves one
//!   more call; they are written back as 5, and a flexkit that reads at most version 4
//!   refuses a version 5 snapshot as newer.
//!
//! Restoring refuses every figure the sandbox never records (see `check_money`): a snapshot
//! of any version written by the sandbox adds up, so the rule needed no new version.
//!
//! The `format` of each `verify` attempt, kept since version 2, is what limits a request id
//! verified only with `regular_purchase_bypass` to regular purchases, so that rule needed no
//! new version.

use core::fmt;

use serde::de::IgnoredAny;
#[cfg(test)]
use serde::Deserialize;
use serde::Serialize;

use super::test_data::test_account;
use super::{
    AccountRecord, AuthorizationRecord, CaptureRecord, IdempotencyRecord, PostingRecord,
    RefundRecord, ReturnRecord, Sandbox, State, TokenRecord, VerificationRecord,
};
use crate::flexiti::amount::MAX_MINOR_UNITS;
use crate::flexiti::ids::{AuthorizationId, CaptureId, ClientId, ClientSecret, ReturnId};
use crate::flexiti::payment::AccountTransactionType;
use crate::flexiti::purchase::PurchaseType;
use crate::flexiti::rules::AccountStatus;
use crate::json_reader::{self, ReadError, Reader};
use crate::{read_json_enum, read_json_struct, u64_text};

/// The version this build writes and the newest it reads.
pub const SCHEMA_VERSION: u32 = 5;

/// Why a snapshot cannot be restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// Not JSON, or not the snapshot shape.
    Malformed(String),
    /// Written by a newer flexkit.
    NewerVersion { found: u64 },
    /// A version this build does not know (0, or not a number).
    UnknownVersion,
    /// Well-formed but inconsistent (amounts that do not add up, duplicate ids, ...).
    Inconsistent(String),
}

impl SnapshotError {
    pub const fn code(&self) -> &'static str {
        match self {
            SnapshotError::Malformed(_) => "snapshot_malformed",
            SnapshotError::NewerVersion { .. } => "snapshot_newer_version",
            SnapshotError::UnknownVersion => "snapshot_unknown_version",
            SnapshotError::Inconsistent(_) => "snapshot_inconsistent",
        }
    }
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Malformed(detail) => write!(
                f,
                "the sandbox snapshot is not valid ({detail}); restore an unmodified snapshot \
                 or start a new sandbox"
            ),
            SnapshotError::NewerVersion { found } => write!(
                f,
                "the snapshot has schemaVersion {found}, newer than {SCHEMA_VERSION} which this \
                 flexkit reads; upgrade flexkit"
            ),
            SnapshotError::UnknownVersion => write!(
                f,
                "the snapshot's schemaVersion is missing or invalid; it must be a whole number \
                 from 1 to {SCHEMA_VERSION}"
            ),
            SnapshotError::Inconsistent(detail) => write!(
                f,
                "the snapshot is inconsistent ({detail}); it was edited or corrupted, so start \
                 a new sandbox"
            ),
        }
    }
}

impl std::error::Error for SnapshotError {}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SnapshotOut<'a> {
    schema_version: u32,
    state: &'a State,
}

#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(test, serde(rename_all = "camelCase", deny_unknown_fields))]
struct SnapshotIn {
    #[allow(dead_code)]
    schema_version: u32,
    state: State,
}

read_json_struct!(SnapshotIn, deny_unknown = true, {
    schema_version: "schemaVersion",
    state: "state",
});

read_json_struct!(TokenRecord, deny_unknown = true, {
    access_token: "accessToken",
    refresh_token: "refreshToken",
    scope: "scope",
    issued_at: "issuedAt",
    expires_in: "expiresIn",
    retired: "retired",
});

read_json_struct!(AccountRecord, deny_unknown = true, {
    account_number: "accountNumber",
    customer_id: "customerId",
    first_name: "firstName",
    last_name: "lastName",
    status: "status",
    active: "active",
    credit_limit_cents: "creditLimitCents",
    balance_cents: "balanceCents",
    vcc_numbers: "vccNumbers",
    account_type: "accountType",
});

read_json_struct!(AuthorizationRecord, deny_unknown = true, {
    id: "id" with(u64_text::read),
    account_number: "accountNumber",
    purchase_type: "purchaseType",
    plan_id: "planId" or None,
    term: "term" or None,
    reference: "reference" or None,
    amount_cents: "amountCents",
    captured_cents: "capturedCents",
    released_cents: "releasedCents",
    created_at: "createdAt",
    external_location_id: "externalLocationId" or None,
});

read_json_struct!(CaptureRecord, deny_unknown = true, {
    id: "id",
    authorization_id: "authorizationId" with(u64_text::read),
    amount_cents: "amountCents",
    returned_cents: "returnedCents",
    reference: "reference" or None,
    captured_at: "capturedAt",
    refunded_cents: "refundedCents" or 0,
    external_location_id: "externalLocationId" or None,
});

read_json_struct!(RefundRecord, deny_unknown = true, {
    id: "id",
    account_number: "accountNumber",
    capture_id: "captureId" or None,
    amount_cents: "amountCents",
    reference: "reference" or None,
    external_location_id: "externalLocationId" or None,
    refunded_at: "refundedAt",
});

read_json_struct!(VerificationRecord, deny_unknown = true, {
    account_number: "accountNumber",
    request_id: "requestId",
    format: "format",
    wrong_answer: "wrongAnswer",
    at: "at",
    verified: "verified" or false,
    used: "used" or false,
});

read_json_struct!(ReturnRecord, deny_unknown = true, {
    id: "id" with(u64_text::read),
    capture_id: "captureId",
    amount_cents: "amountCents",
    reference: "reference" or None,
    returned_at: "returnedAt",
});

read_json_struct!(PostingRecord, deny_unknown = true, {
    id: "id",
    account_number: "accountNumber",
    transaction_type: "transactionType",
    amount_cents: "amountCents",
    posted_at: "postedAt",
});

read_json_struct!(IdempotencyRecord, deny_unknown = true, {
    key: "key",
    fingerprint: "fingerprint",
    context_hash: "contextHash" or None,
    response: "response",
});

read_json_struct!(State, deny_unknown = true, {
    rng_state: "rngState" with(u64_text::read),
    client_id: "clientId",
    client_secret: "clientSecret",
    tokens: "tokens",
    accounts: "accounts",
    authorizations: "authorizations",
    captures: "captures",
    returns: "returns",
    postings: "postings",
    idempotency: "idempotency",
    refunds: "refunds" or Vec::new(),
    verifications: "verifications" or Vec::new(),
});

read_json_enum!(AccountStatus {
    Normal = "N",
    AuthProhibited = "A",
    Frozen = "F",
    ChargedOff = "Z",
    Closed = "C",
});

read_json_enum!(PurchaseType {
    PromotionalPurchase = "promotional_purchase",
    RegularPurchase = "regular_purchase",
});

read_json_enum!(AccountTransactionType {
    Deposit = "deposit",
    InstorePayment = "instore_payment",
    Tradein = "tradein",
});

fn inconsistent(detail: impl Into<String>) -> SnapshotError {
    SnapshotError::Inconsistent(detail.into())
}

/// An id wider than Flexiti's `number (digits)`, which no call could reach.
fn too_wide(what: &str, id: u64, digits: u32) -> SnapshotError {
    inconsistent(format!(
        "{what} {id} has more than {digits} digits, Flexiti's number ({digits})"
    ))
}

fn check(state: &State) -> Result<(), SnapshotError> {
    ClientId::parse(&state.client_id).map_err(|e| inconsistent(e.message))?;
    ClientSecret::parse(&state.client_secret).map_err(|e| inconsistent(e.message))?;
    let mut seen = std::collections::BTreeSet::new();
    for account in &state.accounts {
        if !seen.insert(account.account_number) {
            return Err(inconsistent(format!(
                "account {} appears twice",
                account.account_number
            )));
        }
    }
    let mut ids = std::collections::BTreeSet::new();
    for auth in &state.authorizations {
        if auth.id > AuthorizationId::MAX {
            return Err(too_wide("authorization", auth.id, 16));
        }
        if !ids.insert(auth.id) {
            return Err(inconsistent(format!(
                "authorization {} appears twice",
                auth.id
            )));
        }
        if !seen.contains(&auth.account_number) {
            return Err(inconsistent(format!(
                "authorization {} names an unknown account",
                auth.id
            )));
        }
        let used = auth.captured_cents.checked_add(auth.released_cents);
        if auth.amount_cents <= 0
            || auth.captured_cents < 0
            || auth.released_cents < 0
            || used.is_none_or(|used| used > auth.amount_cents)
        {
            return Err(inconsistent(format!(
                "authorization {} amounts do not add up",
                auth.id
            )));
        }
    }
    let mut capture_ids = std::collections::BTreeSet::new();
    for capture in &state.captures {
        if capture.id > CaptureId::MAX {
            return Err(too_wide("capture", u64::from(capture.id), 9));
        }
        if !capture_ids.insert(capture.id) {
            return Err(inconsistent(format!(
                "capture {} appears twice",
                capture.id
            )));
        }
        if !ids.contains(&capture.authorization_id) {
            return Err(inconsistent(format!(
                "capture {} names an unknown authorization",
                capture.id
            )));
        }
        let used = capture.returned_cents.checked_add(capture.refunded_cents);
        if capture.amount_cents <= 0
            || capture.returned_cents < 0
            || capture.refunded_cents < 0
            || used.is_none_or(|used| used > capture.amount_cents)
        {
            return Err(inconsistent(format!(
                "capture {} amounts do not add up",
                capture.id
            )));
        }
    }
    for item in &state.returns {
        if !capture_ids.contains(&item.capture_id) || item.amount_cents <= 0 {
            return Err(inconsistent(format!("return {} is invalid", item.id)));
        }
        if item.id > ReturnId::MAX {
            return Err(too_wide("return", item.id, 16));
        }
    }
    // A replay answers the stored answer as it is: one that is not a JSON object could never
    // be answered (every answer of a state-changing call is one, a refund's `{}` included).
    for item in &state.idempotency {
        let object = item.response.trim_start().starts_with('{')
            && serde_json::from_str::<IgnoredAny>(&item.response).is_ok();
        if !object {
            return Err(inconsistent(format!(
                "idempotency key {:?} holds an answer that is not a JSON object",
                item.key
            )));
        }
    }
    if let Some(item) = state
        .verifications
        .iter()
        .find(|item| !seen.contains(&item.account_number))
    {
        return Err(inconsistent(format!(
            "a verify attempt names unknown account {}",
            item.account_number
        )));
    }
    for item in &state.refunds {
        let capture_known = item.capture_id.is_none_or(|id| capture_ids.contains(&id));
        if !seen.contains(&item.account_number) || !capture_known || item.amount_cents <= 0 {
            return Err(inconsistent(format!("refund {} is invalid", item.id)));
        }
    }
    if let Some(item) = state
        .postings
        .iter()
        .find(|item| !seen.contains(&item.account_number))
    {
        return Err(inconsistent(format!(
            "transaction {} names unknown account {}",
            item.id, item.account_number
        )));
    }
    check_money(state).map_err(inconsistent)
}

/// Every amount and account figure is one the sandbox produces. A call's amount passed
/// validation, so it is from 1 cent to [`MAX_MINOR_UNITS`]. The sandbox never changes a test
/// account's credit limit, and keeps every authorization, capture, return, refund and posting,
/// so what they add up to is exactly what it recorded: an authorization's `capturedCents` is
/// the sum of its captures, a capture's `returnedCents` and `refundedCents` the sums of its
/// returns and of the refunds naming it (on the capture's own account), and an account's
/// `balanceCents` its test account's opening balance plus its captures and deposits, less its
/// returns, refunds, in-store payments and trade-ins. So a balance is never below what
/// returns and payments can take it to, and available credit never exceeds the limit by more
/// than they repaid. (A balance the sandbox saturated at the end of `i64` is taken as it is.)
fn check_money(state: &State) -> Result<(), String> {
    use std::collections::BTreeMap;
    let amount_ok = |cents: i64| (1..=MAX_MINOR_UNITS).contains(&cents);
    let out_of_range = |what: String, cents: i64| {
        format!(
            "{what} has amountCents {cents}; the sandbox records 1 to {MAX_MINOR_UNITS} cents, \
             what Flexiti's number (18,2) carries"
        )
    };
    // What each account's records add to its opening balance, and the sums per record.
    let add = |sums: &mut BTreeMap<u64, i64>, key: u64, cents: i64| {
        let sum = sums.get(&key).copied().unwrap_or(0);
        sums.insert(key, sum.saturating_add(cents));
    };
    let mut ledger: BTreeMap<u64, i64> = BTreeMap::new();
    let mut captured: BTreeMap<u64, i64> = BTreeMap::new();
    let mut returned: BTreeMap<u64, i64> = BTreeMap::new();
    let mut refunded: BTreeMap<u64, i64> = BTreeMap::new();
    // One map type, filled by `insert`: each other one (and collecting into a map, which
    // sorts) adds code to the portal. Account numbers are kept as `i64` of the same bits.
    let mut account_of: BTreeMap<u64, i64> = BTreeMap::new();
    let mut capture_account: BTreeMap<u64, i64> = BTreeMap::new();
    for auth in &state.authorizations {
        account_of.insert(auth.id, auth.account_number as i64);
        if !amount_ok(auth.amount_cents) {
            return Err(out_of_range(
                format!("authorization {}", auth.id),
                auth.amount_cents,
            ));
        }
    }
    for capture in &state.captures {
        if !amount_ok(capture.amount_cents) {
            return Err(out_of_range(
                format!("capture {}", capture.id),
                capture.amount_cents,
            ));
        }
        let account = account_of
            .get(&capture.authorization_id)
            .copied()
            .unwrap_or_default();
        capture_account.insert(u64::from(capture.id), account);
        add(
            &mut captured,
            capture.authorization_id,
            capture.amount_cents,
        );
        add(&mut ledger, account as u64, capture.amount_cents);
    }
    for item in &state.returns {
        if !amount_ok(item.amount_cents) {
            return Err(out_of_range(
                format!("return {}", item.id),
                item.amount_cents,
            ));
        }
        add(&mut returned, u64::from(item.capture_id), item.amount_cents);
        let account = capture_account
            .get(&u64::from(item.capture_id))
            .copied()
            .unwrap_or_default();
        add(&mut ledger, account as u64, -item.amount_cents);
    }
    for item in &state.refunds {
        if !amount_ok(item.amount_cents) {
            return Err(out_of_range(
                format!("refund {}", item.id),
                item.amount_cents,
            ));
        }
        if let Some(capture) = item.capture_id {
            if capture_account.get(&u64::from(capture)) != Some(&(item.account_number as i64)) {
                return Err(format!(
                    "refund {} names capture {capture}, which is not on account {}",
                    item.id, item.account_number
                ));
            }
            add(&mut refunded, u64::from(capture), item.amount_cents);
        }
        add(&mut ledger, item.account_number, -item.amount_cents);
    }
    for item in &state.postings {
        if !amount_ok(item.amount_cents) {
            return Err(out_of_range(
                format!("transaction {}", item.id),
                item.amount_cents,
            ));
        }
        let signed = match item.transaction_type {
            AccountTransactionType::Deposit => item.amount_cents,
            _ => -item.amount_cents,
        };
        add(&mut ledger, item.account_number, signed);
    }
    for auth in &state.authorizations {
        let sum = captured.get(&auth.id).copied().unwrap_or_default();
        if auth.captured_cents != sum {
            return Err(format!(
                "authorization {} has capturedCents {}, but its captures add up to {sum}",
                auth.id, auth.captured_cents
            ));
        }
    }
    for capture in &state.captures {
        for (field, value, sums, what) in [
            (
                "returnedCents",
                capture.returned_cents,
                &returned,
                "returns",
            ),
            (
                "refundedCents",
                capture.refunded_cents,
                &refunded,
                "refunds naming it",
            ),
        ] {
            let sum = sums
                .get(&u64::from(capture.id))
                .copied()
                .unwrap_or_default();
            if value != sum {
                return Err(format!(
                    "capture {} has {field} {value}, but its {what} add up to {sum}",
                    capture.id
                ));
            }
        }
    }
    for account in &state.accounts {
        let number = account.account_number;
        let Some(data) = test_account(number) else {
            return Err(format!(
                "account {number} is not one of the sandbox's test accounts"
            ));
        };
        if account.credit_limit_cents != data.credit_limit_cents {
            return Err(format!(
                "account {number} has creditLimitCents {}; the sandbox never changes a credit \
                 limit, and this test account's is {}",
                account.credit_limit_cents, data.credit_limit_cents
            ));
        }
        let expected = ledger
            .get(&number)
            .copied()
            .unwrap_or(0)
            .saturating_add(data.balance_cents);
        // Beyond `i64` the sandbox's own balance saturated, in an order the sums do not keep.
        let saturated = expected == i64::MIN || expected == i64::MAX;
        if !saturated && account.balance_cents != expected {
            return Err(format!(
                "account {number} has balanceCents {}, but its opening balance {} and its \
                 captures, returns, refunds and transactions make it {expected}",
                account.balance_cents, data.balance_cents
            ));
        }
    }
    Ok(())
}

/// The version, read on its own with every other key skipped (as serde_json's value tree
/// under an `Option` reads it: `None` for `null` or a value that is not a whole number).
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
    /// The sandbox as JSON (compact, fields in a fixed order).
    pub fn snapshot(&self) -> String {
        crate::json_writer::to_string(&SnapshotOut {
            schema_version: SCHEMA_VERSION,
            state: &self.state,
        })
        .unwrap_or_default()
    }

    /// Restores a sandbox from [`Sandbox::snapshot`] output. Never returns a partly restored
    /// sandbox.
    pub fn restore(snapshot: &str) -> Result<Sandbox, SnapshotError> {
        let restored = Sandbox::read(snapshot);
        // Every snapshot a test restores is read by serde's derived readers too, which must
        // agree (see `differential`).
        #[cfg(test)]
        differential::agrees_with_serde(snapshot, &restored);
        restored
    }

    fn read(snapshot: &str) -> Result<Sandbox, SnapshotError> {
        // The version is read first, on its own, so a newer layout is refused as newer rather
        // than misread; the text is then parsed once more straight into the state (no
        // intermediate value tree).
        let version =
            version_probe(snapshot).map_err(|e| SnapshotError::Malformed(e.to_string()))?;
        match version {
            Some(found) if found > u64::from(SCHEMA_VERSION) => {
                return Err(SnapshotError::NewerVersion { found })
            }
            Some(found) if found >= 1 => {}
            _ => return Err(SnapshotError::UnknownVersion),
        }
        let parsed: SnapshotIn =
            json_reader::from_str(snapshot).map_err(|e| SnapshotError::Malformed(e.to_string()))?;
        check(&parsed.state)?;
        Ok(Sandbox {
            state: parsed.state,
        })
    }
}

/// The reader this module used before [`crate::json_reader`]: serde's derived readers through
/// [`crate::json_objects`]. Kept for the tests, which check that both accept and refuse the
/// same snapshots, for the same reason, and restore the same sandboxes.
#[cfg(test)]
pub(super) mod differential {
    use serde::Deserialize;
    use serde_json::Value;

    use super::{check, Sandbox, SnapshotError, SnapshotIn, SCHEMA_VERSION};
    use crate::json_objects;

    #[derive(Deserialize)]
    struct VersionProbe {
        #[serde(rename = "schemaVersion")]
        schema_version: Option<Value>,
    }

    pub(crate) fn restore_with_serde(snapshot: &str) -> Result<Sandbox, SnapshotError> {
        let probe: VersionProbe = json_objects::from_str(snapshot)
            .map_err(|e| SnapshotError::Malformed(e.to_string()))?;
        match probe.schema_version.as_ref().and_then(Value::as_u64) {
            Some(found) if found > u64::from(SCHEMA_VERSION) => {
                return Err(SnapshotError::NewerVersion { found })
            }
            Some(found) if found >= 1 => {}
            _ => return Err(SnapshotError::UnknownVersion),
        }
        let parsed: SnapshotIn = json_objects::from_str(snapshot)
            .map_err(|e| SnapshotError::Malformed(e.to_string()))?;
        check(&parsed.state)?;
        Ok(Sandbox {
            state: parsed.state,
        })
    }

    /// Both readers accept `snapshot` or both refuse it; refused, for the same reason (for a
    /// malformed one, in the same words at the same line and column); accepted, as sandboxes
    /// that write the same text.
    pub(crate) fn agrees_with_serde(snapshot: &str, ours: &Result<Sandbox, SnapshotError>) {
        let theirs = restore_with_serde(snapshot);
        match (ours, &theirs) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours.snapshot(), theirs.snapshot()),
            (Err(ours), Err(theirs)) => assert_eq!(ours, theirs, "{snapshot}"),
            _ => panic!(
                "the readers disagree on {snapshot:?}: json_reader {:?}, serde {:?}",
                ours.as_ref().err(),
                theirs.as_ref().err()
            ),
        }
    }
}
