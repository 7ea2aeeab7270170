//! A deterministic, in-process simulation of the FlexPay v1 sandbox: accounts, companies and
//! users, API keys, FlexPay Retries, Gateway Management, the transaction calls with the documented
//! test cards and triggers, recovery chains with `retryCount`/`referenceData`, the sandbox's
//! own scheduler, a versioned JSON snapshot, and the Integration Guide's scenarios as an API
//! ([`scenarios`]).
//!
//! The sandbox never reads a clock: every call that changes it takes `now`. Its randomness
//! (ids, tokens, keys) comes from the seed given to [`Sandbox::new`], so one seed and one
//! sequence of calls always produce the same sandbox, byte for byte.
//!
//! # Decisions where FlexPay's documentation is silent
//!
//! - **Authentication.** A missing or unknown key gets HTTP 401, as documented. A
//!   *Production* key is a real credential, but the sandbox cannot process live payments, so
//!   it gets HTTP **403** (`production_key_refused`): a 401 would send the developer looking
//!   for a typo in a key that is fine. The key may be given bare or as the whole header value
//!   `Basic <key>`.
//! - **Gateway routing.** A charge or authorization with `gatewayToken` (or its alias
//!   `assignedGatewayToken`) goes to that gateway of the caller's company and environment; an
//!   unknown token is refused with **50143** (invalid gateway reference id). Without a token
//!   it is shared among the company's `Available` gateways of that environment that take its
//!   currency, by their `weight` (portal "Distribution", default 1; 0 never picked): FlexPay
//!   does not publish its algorithm, so the sandbox uses a smooth weighted round-robin whose
//!   credits are kept on the gateway records and in the snapshot, deterministic for a given
//!   history (see [`gateways`]); in the Sandbox, a company that has no gateway at all uses
//!   the built-in FlexPay Sandbox gateway (`flexpay_sandbox`, token
//!   [`BUILT_IN_GATEWAY_TOKEN`]). In Production there is no such gateway: a live account
//!   without a gateway of its own has nothing to send a payment to, so a charge or an
//!   authorization is refused with **50130** (no gateway for this card type), and the
//!   built-in token is an unknown one (50143). Responses fill `gatewayToken` and `assignedGatewayToken`
//!   with the gateway used (identical, as in every recorded sample); a request that reached
//!   no gateway answers `flexpay_declined` with token `AAAAAAAAAAAAAAAAAAAAAAAAAA`.
//! - **A gateway's currencies** are its own `currencyCode` and those `acceptedCurrencyCodes`
//!   lists; with the list left out or empty, its own only (FlexPay documents the field as the
//!   codes accepted and says nothing of an empty one: flexkit's reading, the portal form's).
//!   A payment in another currency is refused with **50147**.
//! - **A gateway's cards and retries** (flexkit's reading: FlexPay documents the fields, not
//!   its answers). With an `acceptedCards` dictionary a gateway takes the brands it lists
//!   with at least one kind not refused (a card number does not tell credit from debit or
//!   prepaid); a brand left out is not taken, UnionPay (no key) is not restricted, and
//!   without the dictionary every brand is. With `acceptRetries` `false` it takes no retry
//!   (a charge continuing a recovery chain). Routing skips such gateways, FlexPay Retries
//!   included (its retry then goes by weight to one that takes it); a payment naming one,
//!   or with none left, is refused with **50130** (no gateway for this card type), in words
//!   that say which rule refused it. A refusal is not an attempt: the chain stays open.
//! - **RefundOnly and Disabled gateways** refuse charges, authorizations and captures with
//!   **50130** (no gateway available), also when they are the only gateways of a company
//!   routed without a token (as do Available gateways all of weight 0; Available gateways
//!   none of which takes the currency answer 50147). A RefundOnly gateway still refunds and
//!   voids; a Disabled one processes nothing ("no processing"), so refunds and voids of its
//!   payments are refused with 50130 too. Refunded-payment notices are recorded either way.
//! - **Capture above the authorization** is refused with **50137** (invalid amount): the
//!   2022 sandbox approved it, but production refuses it, and a sandbox that approves what
//!   production refuses hides the bug it exists to reveal. One capture per authorization; a
//!   second one answers 30065 (authorization already completed).
//! - **Every gateway simulates the FlexPay Sandbox gateway** (see [`triggers`]); a gateway's
//!   `settings` are write-only: only their names and a SHA-256 fingerprint of each value are
//!   kept, so credentials never reach a snapshot, and reads show each value as `********`.
//! - **Recovery chains, `retryDate`, limits and scheduled retries**: see [`retry_schedule`]
//!   and [`transactions`].
//! - **Validation failures** (5xxxx found before a gateway is reached) answer HTTP 200 with
//!   `transactionStatus` 2, like the observed 50131, and are stored as transactions but never
//!   count as an attempt of a chain. A body that does not even read as its request (a
//!   required field missing, a value of the wrong JSON type) is answered the same way, with
//!   the code of its first problem; only a body that is not a JSON object is refused with
//!   HTTP 400: see [`bodies`].
//! - **The vault** (create, list, get, update, redact, recache a payment method) keeps no
//!   table: see [`vault`].
//! - **The platform configuration** (recovery minimums, account currencies, routing
//!   stickiness of retries), of which FlexPay publishes only the names: see [`platform`].

pub mod accounts;
pub mod api_keys;
pub mod auto_retry;
pub mod bodies;
mod compact;
pub mod console;
pub mod console_customers;
pub mod console_gateways;
pub mod console_reports;
pub mod gateways;
mod listing;
pub mod platform;
pub mod recovery;
mod request_check;
mod responses;
pub mod retry_schedule;
pub mod scenarios;
mod scheduler;
pub mod snapshot;
mod snapshot_read;
mod tokens;
pub mod transactions;
pub mod triggers;
pub mod users;
pub mod vault;

#[cfg(test)]
mod figures_tests;
#[cfg(test)]
mod snapshot_reader_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod vault_tests;

use core::fmt;
use std::collections::{BTreeSet, HashMap};

#[cfg(test)]
use serde::Deserialize;
use serde::Serialize;

use crate::time::UtcTimestamp;

use accounts::CompanyRecord;
use api_keys::ApiKeyRecord;
use auto_retry::AutoRetryRecord;
use gateways::GatewayRecord;
use platform::PlatformConfigs;
use recovery::ChainRecord;
use tokens::{FastMap, SecretStream, SplitMix64};
use transactions::TransactionRecord;
use users::UserRecord;

pub use api_keys::{ApiKeyId, ApiKeyListing, Principal};
pub use auto_retry::{AutoRetryId, AutoRetryListing};
pub use console::{
    transactions_csv, CompanyScope, ListFigures, TransactionDetail, TransactionSummary,
    VaultedCard, TRANSACTION_TYPES,
};
pub use console_customers::{
    customers_csv, CurrencyAmount, CurrencyTotal, CustomerDetail, CustomerOverview, CustomerSummary,
};
pub use console_gateways::GatewayListing;
pub use console_reports::{
    CodeRow, Column, CurrencyRow, OutcomeRow, ReconciliationWeek, RecoveryWeek, Report, ReportTable,
};
pub use listing::TransactionListing;
pub use platform::{GatewayRouting, PlatformConfig, RecoveryMinimum};
pub use recovery::{
    AttemptView, ChainId, ChainOutcome, ChainView, CurrencyRecovery, RecoverySummary, UpcomingRetry,
};
pub use retry_schedule::{RecoveryLimits, ReferenceData};
pub use scheduler::ScheduledRetryRun;
pub use snapshot::{SnapshotError, SCHEMA_VERSION};
pub use transactions::{OrderInRecovery, Receipt, TransactionHandle};
pub use users::{AccessLevel, Invitation, Right, UserField, UserListing, UserPage, UserProblem};
pub use vault::VaultedMethod;

/// Token of the built-in FlexPay Sandbox gateway, used when a company has no gateway in the
/// Sandbox (Production has none).
pub const BUILT_IN_GATEWAY_TOKEN: &str = "FLEXPAYSANDBOXGATEWAY00001";
/// What FlexPay answers as `gatewayToken` when a request reached no gateway.
pub const NO_GATEWAY_TOKEN: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Stable machine codes of [`ApiError`] and [`AdminError`]. Part of the public API: add
/// codes, never rename or reuse one.
pub mod error_code {
    /// 401: no API key was sent.
    pub const MISSING_API_KEY: &str = "missing_api_key";
    /// 401: the key is not (or no longer) one of this account's keys.
    pub const INVALID_API_KEY: &str = "invalid_api_key";
    /// 403: a Production key sent to the sandbox.
    pub const PRODUCTION_KEY_REFUSED: &str = "production_key_refused";
    /// 400: a request the API rejects as a whole (e.g. a malformed `dateFirstAttempt`).
    pub const MALFORMED_REQUEST: &str = "malformed_request";
    /// 404: no such gateway (Gateway Management).
    pub const GATEWAY_NOT_FOUND: &str = "gateway_not_found";
    /// 400: a gateway's name cannot change after creation.
    pub const GATEWAY_NAME_NOT_UPDATABLE: &str = "gateway_name_not_updatable";
    /// 400: a gateway type code FlexPay does not support (its 50145).
    pub const INVALID_GATEWAY_TYPE: &str = "invalid_gateway_type";
    /// 400: a gateway currency that is not an ISO 4217 code.
    pub const INVALID_GATEWAY_CURRENCY: &str = "invalid_gateway_currency";
    /// 400: an empty gateway name.
    pub const INVALID_GATEWAY_NAME: &str = "invalid_gateway_name";
    /// 400: a gateway object the gateway validator finds errors in (the npm `Sandbox`'s
    /// `createGateway` and `updateGateway`: every error named, with its path).
    pub const INVALID_GATEWAY: &str = "invalid_gateway";
    /// 400: a gateway created with a setting given as `********`, the mask reads show
    /// instead of a value, where the credential itself is needed. (An update takes the mask
    /// as "keep the stored one"; the portal's credentials editor refuses it, with this code, typed
    /// as a new value.)
    pub const MASKED_SETTING_VALUE: &str = "masked_setting_value";
    /// 400: a list query FlexPay would not accept.
    pub const INVALID_LIST_QUERY: &str = "invalid_list_query";
    /// 404: no transaction with that id or merchant transaction id for this key.
    pub const TRANSACTION_NOT_FOUND: &str = "transaction_not_found";
    /// No company with that code.
    pub const COMPANY_NOT_FOUND: &str = "company_not_found";
    /// Another company already has that code.
    pub const COMPANY_CODE_TAKEN: &str = "company_code_taken";
    /// Another live company already has that name (in any ASCII case).
    pub const COMPANY_NAME_TAKEN: &str = "company_name_taken";
    /// A company code must be letters and digits only, at most 200 of them.
    pub const INVALID_COMPANY_CODE: &str = "invalid_company_code";
    /// A name (company, API key, auto-retry) must not be blank, longer than 200 characters or
    /// hold a control, zero-width or text-direction character.
    pub const INVALID_NAME: &str = "invalid_name";
    /// The Default Company cannot be deleted.
    pub const DEFAULT_COMPANY_PROTECTED: &str = "default_company_protected";
    /// No API key with that id.
    pub const API_KEY_NOT_FOUND: &str = "api_key_not_found";
    /// The company × environment already has its FlexPay Retries configuration.
    pub const AUTO_RETRY_EXISTS: &str = "auto_retry_exists";
    /// No FlexPay Retries configuration with that id.
    pub const AUTO_RETRY_NOT_FOUND: &str = "auto_retry_not_found";
    /// No recovery chain with that id.
    pub const CHAIN_NOT_FOUND: &str = "chain_not_found";
    /// The recovery chain has ended (recovered, declined for good, exhausted).
    pub const CHAIN_ENDED: &str = "chain_ended";
    /// A retry asked for before FlexPay's `retryDate`.
    pub const RETRY_NOT_YET_ALLOWED: &str = "retry_not_yet_allowed";
    /// 404: no payment method with that id in the vault of this key's company and
    /// environment.
    pub const PAYMENT_METHOD_NOT_FOUND: &str = "payment_method_not_found";
    /// 400: a payment-method update with nothing to change (empty, or only empty strings).
    pub const NO_EDITABLE_FIELD: &str = "no_editable_field";
    /// Recovery limits outside FlexPay's own (1–15 retries, 1–30 days).
    pub const INVALID_RECOVERY_LIMITS: &str = "invalid_recovery_limits";
    /// A report's period that starts after it ends.
    pub const INVALID_PERIOD: &str = "invalid_period";
    /// No user with that username.
    pub const USER_NOT_FOUND: &str = "user_not_found";
    /// Another user already has that username (compared without regard to ASCII case).
    pub const USERNAME_TAKEN: &str = "username_taken";
    /// A username must be an email address.
    pub const INVALID_USERNAME: &str = "invalid_username";
    /// A temporary password needs at least 8 characters.
    pub const PASSWORD_TOO_SHORT: &str = "password_too_short";
    /// A temporary password has more than 128 characters.
    pub const PASSWORD_TOO_LONG: &str = "password_too_long";
    /// A temporary password needs a capital letter.
    pub const PASSWORD_NEEDS_CAPITAL: &str = "password_needs_capital";
    /// A temporary password needs a digit.
    pub const PASSWORD_NEEDS_DIGIT: &str = "password_needs_digit";
    /// A temporary password needs a symbol.
    pub const PASSWORD_NEEDS_SYMBOL: &str = "password_needs_symbol";
    /// A temporary password with white space at either end.
    pub const PASSWORD_SPACES_AT_ENDS: &str = "password_spaces_at_ends";
    /// The change would leave the account without an enabled Account Administrator.
    pub const LAST_ADMINISTRATOR: &str = "last_administrator";
    /// A recovery minimum below 0 or above the largest amount the sandbox processes.
    pub const INVALID_RECOVERY_MINIMUM: &str = "invalid_recovery_minimum";
    /// A currency listed twice in the platform configuration.
    pub const DUPLICATE_CURRENCY: &str = "duplicate_currency";
    /// Every id of a kind (API keys, FlexPay Retries configurations) has been given out; ids
    /// are never reused, so a new one cannot be made.
    pub const IDS_EXHAUSTED: &str = "ids_exhausted";
}

/// An answer of the API that is not a transaction record: HTTP 401/403 for credentials, 400
/// for a request refused as a whole, 404 for an unknown resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub http_status: u16,
    /// One of [`error_code`].
    pub code: &'static str,
    /// What went wrong and what to do about it.
    pub message: String,
}

impl ApiError {
    pub(crate) fn new(http_status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            http_status,
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} {}: {}",
            self.http_status, self.code, self.message
        )
    }
}

impl std::error::Error for ApiError {}

/// Why an account-settings change (companies, API keys, FlexPay Retries) was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminError {
    /// One of [`error_code`].
    pub code: &'static str,
    pub message: String,
}

impl AdminError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        AdminError {
            code,
            message: message.into(),
        }
    }
}

/// Takes the id `counter` holds and moves it on, or refuses when it holds the last one a
/// `u32` has: that id would be given twice, and a snapshot with two records of one id is
/// one no reader takes back. `counter` is the snapshot's `field`, named in the refusal.
pub(crate) fn take_id(counter: &mut u32, what: &str, field: &str) -> Result<u32, AdminError> {
    let id = *counter;
    *counter = id.checked_add(1).ok_or_else(|| {
        AdminError::new(
            error_code::IDS_EXHAUSTED,
            format!(
                "this sandbox has given out every {what} id ({field} is {id}); ids are never \
                 reused, so start a new sandbox or import a state with a lower {field}"
            ),
        )
    })?;
    Ok(id)
}

/// A value the caller gave (an id, a code, a username), as a refusal quotes it: in double
/// quotes as `{:?}` writes it, cut after its first 60 characters, so a pasted document is not
/// answered with a message of its size. Shadows the value where a message is written:
/// `let id = Shown(id);` then `{id:?}`.
pub(crate) struct Shown<'a>(pub &'a str);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(60) {
            Some((at, _)) => write!(f, "{:?}…", self.0.get(..at).unwrap_or_default()),
            None => write!(f, "{:?}", self.0),
        }
    }
}

impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for AdminError {}

/// Everything the sandbox remembers; exactly what a snapshot holds. Lists only, in the order
/// things happened, so that writing it is deterministic.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct State {
    /// [`SCHEMA_VERSION`]; first, so a reader sees it before anything else.
    pub schema_version: u64,
    /// Written as a decimal string, like `rng` (see [`crate::u64_text`]).
    #[serde(with = "crate::u64_text")]
    pub seed: u64,
    pub rng: SplitMix64,
    pub companies: Vec<CompanyRecord>,
    pub api_keys: Vec<ApiKeyRecord>,
    pub next_api_key_id: u32,
    pub auto_retries: Vec<AutoRetryRecord>,
    pub next_auto_retry_id: u32,
    pub gateways: Vec<GatewayRecord>,
    pub transactions: Vec<TransactionRecord>,
    pub chains: Vec<ChainRecord>,
    /// The account's users; left out while only the owner a fresh account has is there, so
    /// documents written before users existed load and are written back unchanged.
    #[serde(default = "users::seeded", skip_serializing_if = "users::is_seeded")]
    pub users: Vec<UserRecord>,
    /// Account settings → Platform configurations, per environment; absent from snapshots
    /// written before it and while it is the default.
    #[serde(default, skip_serializing_if = "PlatformConfigs::is_default")]
    pub platform: PlatformConfigs,
}

/// Lookups rebuilt from [`State`]; never stored.
#[derive(Clone, Debug, Default)]
pub(crate) struct Indexes {
    pub key_by_hash: HashMap<[u8; 32], u32>,
    pub gateway_by_token: FastMap<u128, u32>,
    /// Head of the list of transactions sharing a merchant-id hash (see `merchant_next`).
    pub merchant_head: FastMap<u64, u32>,
    /// For each transaction, the next one with the same merchant-id hash (`u32::MAX`: none).
    pub merchant_next: Vec<u32>,
    /// Scheduled retries the sandbox itself will fire: (due, chain).
    pub schedule: BTreeSet<(UtcTimestamp, u32)>,
    /// Reused while a request's echoed fields are gathered (see `transactions`).
    pub echo_writer: compact::EchoWriter,
}

/// The FlexPay sandbox. See the module documentation.
#[derive(Clone, Debug)]
pub struct Sandbox {
    pub(crate) state: State,
    pub(crate) index: Indexes,
    /// Masks the secrets it hands out; never stored (see [`tokens::SecretStream`]).
    pub(crate) secrets: SecretStream,
}

impl Sandbox {
    /// A fresh sandbox: only the Default Company and the account owner (see [`users`]), no
    /// keys, no gateways, no transactions.
    pub fn new(seed: u64) -> Sandbox {
        let state = State {
            schema_version: SCHEMA_VERSION,
            seed,
            rng: SplitMix64::new(seed),
            companies: vec![CompanyRecord::default_company()],
            api_keys: Vec::new(),
            next_api_key_id: 1,
            auto_retries: Vec::new(),
            next_auto_retry_id: 1,
            gateways: Vec::new(),
            transactions: Vec::new(),
            chains: Vec::new(),
            users: users::seeded(),
            platform: PlatformConfigs::default(),
        };
        Sandbox {
            state,
            index: Indexes::default(),
            secrets: SecretStream::NONE,
        }
    }

    /// Gives the sandbox 32 bytes of cryptographic randomness (`crypto.getRandomValues`) for
    /// the secrets it hands out from now on: API keys and suggested temporary passwords. They
    /// are kept nowhere, so a snapshot, which holds everything else needed to go on, cannot give
    /// a secret back. Without them a sandbox's secrets follow from its seed and can be worked
    /// out from its snapshot: fine for tests, never for a sandbox whose snapshots leave the
    /// process.
    pub fn use_entropy(&mut self, entropy: [u8; 32]) {
        self.secrets = SecretStream::new(entropy);
    }

    /// The seed the sandbox was created with.
    pub fn seed(&self) -> u64 {
        self.state.seed
    }

    /// How many transactions (of every company and type) the sandbox holds.
    pub fn transaction_count(&self) -> usize {
        self.state.transactions.len()
    }

    /// The date of the latest transaction the sandbox holds, of any company and mode: a
    /// clock that is to stay consistent with the data never goes back before it.
    pub fn latest_transaction_date(&self) -> Option<UtcTimestamp> {
        self.state.transactions.iter().map(|r| r.date).max()
    }
}
