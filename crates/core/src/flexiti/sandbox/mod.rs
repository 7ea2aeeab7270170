//! A TRAINING-environment sandbox: the POS API's behaviour on test data, deterministic from
//! a seed and an injected `now`, with a versioned JSON snapshot.
//!
//! What it models:
//! - credentials: one client id and secret ([`Sandbox::credentials`]); a wrong pair gets
//!   `400 invalid_client` from the token call, as the authentication page documents, and a
//!   missing, unknown or expired bearer token gets `401 invalid_token` on every other call,
//!   and a `customer`-scope token gets `403 insufficient_scope` on every merchant-only one
//!   (all but `verify`, `calculate-interest` and `authorization`);
//! - tokens live [`TOKEN_LIFETIME_SECONDS`]; a refresh is accepted only while the previous
//!   token is still valid, and retires it;
//! - test accounts in every status ([`TEST_ACCOUNTS`]);
//! - the PIN: every verification code is [`TEST_PIN`] (`2222`), the fixed PIN Flexiti's test
//!   environments use; any other PIN is `wrong_verification_code`;
//! - the in-store tie between `verify` and the call after it: an in-store authorization or
//!   transaction whose `request_id` no successful `verify` of the same account was made with
//!   is `409 not_verified` (checked after the PIN, before the plan and the business rules;
//!   see [`Sandbox::authorize`]), and so is one whose `request_id` was verified only with
//!   `regular_purchase_bypass` unless it is a regular purchase; a verification serves one
//!   call: the first that succeeds with it spends it, and the next is `not_verified` until the
//!   customer is verified again (a refused call spends nothing);
//! - authorizations, captures, releases and returns with remaining amounts, through the same
//!   [`rules`] a caller can run;
//! - `x-idempotency-key` on every state-changing call: the same key with the same body (and
//!   context hash) replays the first successful answer; with a different body it is
//!   `409 idempotency_body_mismatch`. Failed calls are not remembered, so they can be retried;
//! - the $10,000 cap on in-store payments per account in any 24 hours;
//! - customer search by name, date of birth and postal code, and `verify` in every format
//!   (see [`Sandbox::verify`]), with the security-question lockout;
//! - `calculate-interest` quotes for the test plans, with the regular-purchase bypass rule;
//! - refunds, at most what the account owes and what remains of the capture they name
//!   (`refunds_limit_exceeded_amount`); a refunded amount can no longer be returned;
//! - the history: authorization and capture lists filtered by account, store and date, paged,
//!   and one authorization with what was captured, released and remains.
//!
//! Over HTTP every call also needs its `x-reference-id` header, and the POST calls that
//! document `?lang=` read it as the GET queries do (see [`check_reference_id`] and
//! [`check_lang`]).
//!
//! Objects never cross environments: ids carry their environment and an id from any other
//! environment is `404 not_found` here.
//!
//! Every timestamp an answer carries (a capture's, return's or transaction's `date`, the
//! lists' `creation_date` and `date`) is in whole seconds, the 20 characters of
//! `2026-11-21T10:00:00Z` Flexiti documents (reference §3.3), whatever fraction of a second
//! the `now` of the call had; the sandbox keeps the exact instant, by which it orders the lists.

mod accounts;
mod http;
mod lists;
mod snapshot;
mod test_data;

pub use accounts::{RefundResponse, SearchMatch};
pub use http::{check_lang, check_reference_id, token_refusal};
pub use lists::{AuthorizationDetail, CaptureDetail, ListPage};
pub use snapshot::{SnapshotError, SCHEMA_VERSION};
pub use test_data::{
    application_decision, ApplicationDecision, TestAccount, TEST_ACCOUNTS, TEST_CLIENT_ID,
    TEST_ORIGINATING_MERCHANT, TEST_PIN, TEST_PLANS,
};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::account::VerifyMethod;
use super::amount::{self, cad};
use super::auth::{
    Credentials, Grant, Idempotency, TokenRequest, TokenResponse, TOKEN_LIFETIME_SECONDS,
};
use super::common::{InStore, RequestBody, VerificationCode};
use super::customer::{CustomerLookupQuery, LookupKey};
use super::environment::Environment;
use super::error::{ApiError, ErrorCode};
use super::ids::{AuthorizationId, CaptureId, ClientId, ClientSecret, ReturnId};
use super::payment::{AccountTransactionType, TransactionBody};
use super::purchase::{
    AuthorizationBody, CaptureBody, FinancingOption, PurchaseType, ReleaseBody, ReturnBody,
};
use super::rules::{
    self, AccountFacts, AccountStatus, AuthorizationFacts, CaptureFacts, PAYMENT_WINDOW_SECONDS,
};
use super::seed::SplitMix64;
use crate::money::Money;
use crate::time::UtcTimestamp;

/// The sandbox's environment.
pub const ENVIRONMENT: Environment = Environment::Training;

/// The transport facts of one call: when it happens and its headers.
#[derive(Clone, Copy, Debug)]
pub struct CallContext<'a> {
    pub now: UtcTimestamp,
    /// The `authorization` header value, `Bearer …`.
    pub authorization: &'a str,
    pub idempotency: Option<&'a Idempotency>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenRecord {
    access_token: String,
    refresh_token: String,
    scope: String,
    issued_at: UtcTimestamp,
    expires_in: u32,
    retired: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountRecord {
    account_number: u64,
    customer_id: String,
    first_name: String,
    last_name: String,
    status: AccountStatus,
    active: bool,
    credit_limit_cents: i64,
    balance_cents: i64,
    vcc_numbers: Vec<String>,
    account_type: String,
}

/// The customer id of one card holder of an account whose record keeps `record_id`. Holder 0
/// is the primary holder, with the master id — the record's id up to its `-`: the business test
/// account's record keeps its authorized user's id, `[master-cust-id]-[authorized-user-id]`
/// (reference §3.3), whose master part is the primary holder's — and the first card; holder `k`
/// from 1 is authorized user `k`, `[master]-[k as 5 digits]`, with card `k`. So every look-up of
/// one holder answers the same id and card ending.
fn holder_id(record_id: &str, holder: usize) -> String {
    let master = record_id.split('-').next().unwrap_or(record_id);
    match holder {
        0 => master.to_owned(),
        k => format!("{master}-{k:05}"),
    }
}

impl AccountRecord {
    /// The customer id of the account's card holder `holder` (see [`holder_id`]).
    fn holder_id(&self, holder: usize) -> String {
        holder_id(&self.customer_id, holder)
    }

    /// The holder a customer id names, if it is one of this account's.
    fn holder_of_id(&self, id: &str) -> Option<usize> {
        (0..self.vcc_numbers.len().max(1)).find(|&holder| self.holder_id(holder) == id)
    }

    /// The last four digits of the holder's card.
    fn card_ending(&self, holder: usize) -> Option<String> {
        self.vcc_numbers
            .get(holder)
            .and_then(|vcc| vcc.get(12..))
            .map(str::to_owned)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AuthorizationRecord {
    /// 16 digits, so written as a string (see [`crate::u64_text`]).
    #[serde(with = "crate::u64_text")]
    id: u64,
    account_number: u64,
    purchase_type: PurchaseType,
    plan_id: Option<String>,
    term: Option<u16>,
    reference: Option<String>,
    amount_cents: i64,
    captured_cents: i64,
    released_cents: i64,
    created_at: UtcTimestamp,
    /// The store of an in-store purchase (schema 2; absent in older snapshots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_location_id: Option<String>,
}

impl AuthorizationRecord {
    fn remaining_cents(&self) -> i64 {
        self.amount_cents - self.captured_cents - self.released_cents
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CaptureRecord {
    id: u32,
    #[serde(with = "crate::u64_text")]
    authorization_id: u64,
    amount_cents: i64,
    returned_cents: i64,
    reference: Option<String>,
    captured_at: UtcTimestamp,
    /// Refunded to the account against this capture (schema 2).
    #[serde(default, skip_serializing_if = "is_zero")]
    refunded_cents: i64,
    /// The capture's store, or its authorization's (schema 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_location_id: Option<String>,
}

impl CaptureRecord {
    /// Neither returned nor refunded.
    fn remaining_cents(&self) -> i64 {
        self.amount_cents - self.returned_cents - self.refunded_cents
    }
}

fn is_zero(value: &i64) -> bool {
    *value == 0
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RefundRecord {
    id: u64,
    account_number: u64,
    capture_id: Option<u32>,
    amount_cents: i64,
    reference: Option<String>,
    external_location_id: Option<String>,
    refunded_at: UtcTimestamp,
}

/// Where an in-store `request_id` stands for an account ([`Sandbox::request_verification`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestVerification {
    /// Verified for the account and not yet used: the next in-store call with it goes
    /// through. `bypass_only`: only with `regular_purchase_bypass`, so it serves a regular
    /// purchase of at most $200 only.
    Verified { bypass_only: bool },
    /// Verified for the account, and used by a call that succeeded: verify again.
    Used,
    /// Verified for another account (this one), never for this account.
    OtherAccount(u64),
    /// Never verified.
    NotVerified,
}

/// One `verify` call, kept to count wrong security answers and, when it succeeded, to let an
/// in-store purchase or transaction on the same account reuse its `request_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VerificationRecord {
    account_number: u64,
    request_id: String,
    format: String,
    wrong_answer: bool,
    at: UtcTimestamp,
    /// The call succeeded (schema 3; absent, and so false, for failed calls and in older
    /// snapshots).
    #[serde(default, skip_serializing_if = "is_false")]
    verified: bool,
    /// An in-store purchase or transaction made with it succeeded, so it verifies nothing
    /// more (schema 5; absent, and so false, in older snapshots).
    #[serde(default, skip_serializing_if = "is_false")]
    used: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReturnRecord {
    /// 16 digits, so written as a string.
    #[serde(with = "crate::u64_text")]
    id: u64,
    capture_id: u32,
    amount_cents: i64,
    reference: Option<String>,
    returned_at: UtcTimestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PostingRecord {
    id: u64,
    account_number: u64,
    transaction_type: AccountTransactionType,
    amount_cents: i64,
    posted_at: UtcTimestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IdempotencyRecord {
    key: String,
    /// The endpoint and body the key was first used with.
    fingerprint: String,
    context_hash: Option<String>,
    /// The successful answer, as JSON.
    response: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct State {
    /// Written as a decimal string: as a JSON number it would exceed 2^53.
    #[serde(with = "crate::u64_text")]
    rng_state: u64,
    client_id: String,
    client_secret: String,
    tokens: Vec<TokenRecord>,
    accounts: Vec<AccountRecord>,
    authorizations: Vec<AuthorizationRecord>,
    captures: Vec<CaptureRecord>,
    returns: Vec<ReturnRecord>,
    postings: Vec<PostingRecord>,
    idempotency: Vec<IdempotencyRecord>,
    /// Schema 2: absent in older snapshots.
    #[serde(default)]
    refunds: Vec<RefundRecord>,
    #[serde(default)]
    verifications: Vec<VerificationRecord>,
}

/// The answer to an authorization. Flexiti's schema is not public; flexkit answers with the
/// fields its errors and the return answer imply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationResponse {
    pub authorization_id: u64,
    pub account_number: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub transaction_type: PurchaseType,
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(with = "amount")]
    pub remaining_authorization_amount: Money,
    /// `opened` or `closed`.
    pub authorization_status: String,
    /// Present when `auto_capture` captured the whole amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture: Option<CaptureResponse>,
}

impl AuthorizationResponse {
    pub fn id(&self) -> AuthorizationId {
        AuthorizationId::new(ENVIRONMENT, self.authorization_id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureResponse {
    pub capture_id: u32,
    pub authorization_id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub date: UtcTimestamp,
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(with = "amount")]
    pub remaining_authorization_amount: Money,
}

impl CaptureResponse {
    pub fn id(&self) -> CaptureId {
        CaptureId::new(ENVIRONMENT, self.capture_id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseResponse {
    pub authorization_id: u64,
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(with = "amount")]
    pub remaining_authorization_amount: Money,
    pub authorization_status: String,
}

/// The documented answer of a return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnResponse {
    pub return_id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub capture_id: u32,
    pub date: UtcTimestamp,
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(with = "amount")]
    pub remaining_capture_amount: Money,
    #[serde(with = "amount")]
    pub remaining_authorization_amount: Money,
}

impl ReturnResponse {
    pub fn id(&self) -> ReturnId {
        ReturnId::new(ENVIRONMENT, self.return_id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionResponse {
    pub transaction_id: u64,
    pub account_number: u64,
    pub transaction_type: AccountTransactionType,
    #[serde(with = "amount")]
    pub amount: Money,
    pub date: UtcTimestamp,
}

/// The account part of a look-up answer (the fields the sandbox knows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupResponse {
    pub account_number: u64,
    pub customer_id: String,
    pub first_name: String,
    pub last_name: String,
    pub account_status: AccountStatus,
    pub account_type: String,
    #[serde(with = "amount")]
    pub credit_limit: Money,
    #[serde(with = "amount")]
    pub available_credit: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_ending_in: Option<String>,
    /// The account's security question, whose id an in-store verify with format
    /// `security_question` sends (`security_qid.id`; its localized text is not simulated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_qid: Option<SecurityQuestion>,
}

/// `security_qid` of a look-up answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityQuestion {
    /// `4` to `9` (reference §8).
    pub id: String,
}

/// The TRAINING sandbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sandbox {
    state: State,
}

fn cents(money: Money) -> i64 {
    money.minor_units()
}

fn not_found(what: &str) -> ApiError {
    ApiError::with_message(
        ErrorCode::NotFound,
        format!("{what} does not exist in the TRAINING environment"),
    )
}

impl Sandbox {
    /// A fresh sandbox with the test accounts; `seed` decides the secret, tokens and ids.
    pub fn new(seed: u64) -> Sandbox {
        let mut rng = SplitMix64::new(seed);
        let client_secret = rng.hex(32);
        let accounts = TEST_ACCOUNTS.iter().map(test_data::record).collect();
        Sandbox {
            state: State {
                rng_state: rng.state(),
                client_id: TEST_CLIENT_ID.to_owned(),
                client_secret,
                tokens: Vec::new(),
                accounts,
                authorizations: Vec::new(),
                captures: Vec::new(),
                returns: Vec::new(),
                postings: Vec::new(),
                idempotency: Vec::new(),
                refunds: Vec::new(),
                verifications: Vec::new(),
            },
        }
    }

    /// The sandbox's valid credentials.
    pub fn credentials(&self) -> Credentials {
        Credentials {
            environment: ENVIRONMENT,
            // Generated as hex, or checked by `restore`.
            client_id: ClientId::trusted(&self.state.client_id),
            client_secret: ClientSecret::trusted(&self.state.client_secret),
        }
    }

    fn rng<T>(&mut self, draw: impl FnOnce(&mut SplitMix64) -> T) -> T {
        let mut rng = SplitMix64::new(self.state.rng_state);
        let value = draw(&mut rng);
        self.state.rng_state = rng.state();
        value
    }

    /// `POST oauth/token`.
    pub fn token(
        &mut self,
        now: UtcTimestamp,
        request: &TokenRequest,
    ) -> Result<TokenResponse, ApiError> {
        if request.client_id.as_str() != self.state.client_id
            || request.client_secret.expose() != self.state.client_secret
        {
            return Err(ApiError::with_message(
                ErrorCode::InvalidClient,
                "bad client credentials: use the client id and secret issued for TRAINING",
            ));
        }
        let scope = request.scope.map_or("merchant", |s| s.as_str()).to_owned();
        if let Grant::RefreshToken(refresh) = &request.grant {
            let previous = self
                .state
                .tokens
                .iter_mut()
                .find(|t| &t.refresh_token == refresh && !t.retired);
            match previous {
                Some(token) if now < expiry(token) => token.retired = true,
                _ => {
                    return Err(ApiError::with_message(
                        ErrorCode::InvalidToken,
                        "the refresh token is unknown, already used, or its access token has \
                         expired; request a new token with client_credentials",
                    ))
                }
            }
        }
        let (access_token, refresh_token) = self.rng(|rng| (rng.hex(40), rng.hex(40)));
        self.state.tokens.push(TokenRecord {
            access_token: access_token.clone(),
            refresh_token: refresh_token.clone(),
            scope: scope.clone(),
            issued_at: now,
            expires_in: TOKEN_LIFETIME_SECONDS,
            retired: false,
        });
        Ok(TokenResponse {
            token_type: "bearer".into(),
            access_token,
            expires_in: TOKEN_LIFETIME_SECONDS,
            refresh_token,
            scope: Some(scope),
        })
    }

    /// Checks the bearer token, and its scope when the endpoint is merchant-only
    /// (`customer_allowed` false): a customer-scope token gets Flexiti's 403.
    fn authenticate(&self, call: &CallContext<'_>, customer_allowed: bool) -> Result<(), ApiError> {
        let token = call.authorization.strip_prefix("Bearer ").unwrap_or("");
        let found = self
            .state
            .tokens
            .iter()
            .find(|t| t.access_token == token && !t.retired && call.now < expiry(t));
        match found {
            None => Err(ApiError::with_message(
                ErrorCode::InvalidToken,
                "the access token is missing, wrong or expired; request a new token",
            )),
            Some(token) if token.scope != "merchant" && !customer_allowed => {
                Err(ApiError::with_message(
                    ErrorCode::InsufficientScope,
                    "Insufficient scope: authorized scope is insufficient. This endpoint needs \
                     a merchant-scope token; call it from the server",
                ))
            }
            Some(_) => Ok(()),
        }
    }

    fn account_index(&self, key: &LookupKey) -> Result<usize, ApiError> {
        let found = self.state.accounts.iter().position(|account| match key {
            LookupKey::AccountNumber(number) => account.account_number == number.get(),
            LookupKey::VccNumber(vcc) => account.vcc_numbers.iter().any(|v| v == vcc.as_str()),
            LookupKey::CustomerId(id) => account.holder_of_id(id.as_str()).is_some(),
        });
        found.ok_or_else(|| not_found("the account"))
    }

    fn open_holds_cents(&self, account_number: u64) -> i64 {
        self.state
            .authorizations
            .iter()
            .filter(|a| a.account_number == account_number)
            .map(AuthorizationRecord::remaining_cents)
            .fold(0i64, i64::saturating_add)
    }

    fn facts(&self, index: usize) -> AccountFacts {
        let account = &self.state.accounts[index];
        AccountFacts {
            status: account.status,
            active: account.active,
            available_credit: cad(account.credit_limit_cents
                - account.balance_cents
                - self.open_holds_cents(account.account_number)),
        }
    }

    /// `GET customers/lookup`.
    pub fn lookup(
        &self,
        call: &CallContext<'_>,
        query: &CustomerLookupQuery,
    ) -> Result<LookupResponse, ApiError> {
        self.authenticate(call, false)?;
        let index = self.account_index(&query.key)?;
        let facts = self.facts(index);
        let account = &self.state.accounts[index];
        if !account.active {
            return Err(ApiError::new(ErrorCode::UserNotActive));
        }
        if !account.status.allows_purchases() {
            return Err(ApiError::new(ErrorCode::UserNotAbleToPurchase));
        }
        // The account number names the primary holder (reference §3.3); a card or a customer
        // id names its own holder.
        let holder = match &query.key {
            LookupKey::AccountNumber(_) => Some(0),
            LookupKey::VccNumber(vcc) => account.vcc_numbers.iter().position(|v| v == vcc.as_str()),
            LookupKey::CustomerId(id) => account.holder_of_id(id.as_str()),
        }
        .unwrap_or(0);
        Ok(LookupResponse {
            account_number: account.account_number,
            customer_id: account.holder_id(holder),
            first_name: account.first_name.clone(),
            last_name: account.last_name.clone(),
            account_status: account.status,
            account_type: account.account_type.clone(),
            credit_limit: cad(account.credit_limit_cents),
            available_credit: facts.available_credit,
            card_ending_in: account.card_ending(holder),
            security_qid: test_data::test_account(account.account_number).map(|test| {
                SecurityQuestion {
                    id: test.security_qid.to_owned(),
                }
            }),
        })
    }

    /// Runs a state-changing call under its idempotency key, if any.
    fn idempotent<T: Serialize + DeserializeOwned>(
        &mut self,
        call: &CallContext<'_>,
        customer_allowed: bool,
        fingerprint: String,
        run: impl FnOnce(&mut Sandbox) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.authenticate(call, customer_allowed)?;
        let Some(idempotency) = call.idempotency else {
            return run(self);
        };
        if let Some(record) = self
            .state
            .idempotency
            .iter()
            .find(|r| r.key == idempotency.key)
        {
            let hash_differs = matches!(
                (&record.context_hash, &idempotency.context_hash),
                (Some(first), Some(now)) if first != now
            );
            if record.fingerprint != fingerprint || hash_differs {
                return Err(ApiError::new(ErrorCode::IdempotencyBodyMismatch));
            }
            return crate::json_objects::from_str(&record.response)
                .map_err(|_| ApiError::new(ErrorCode::GeneralError));
        }
        let response = run(self)?;
        self.state.idempotency.push(IdempotencyRecord {
            key: idempotency.key.clone(),
            fingerprint,
            context_hash: idempotency.context_hash.clone(),
            response: serde_json::to_string(&response).unwrap_or_default(),
        });
        Ok(response)
    }

    fn check_pin(code: Option<&VerificationCode>) -> Result<(), ApiError> {
        match code {
            Some(code) if code.as_str() != TEST_PIN => {
                Err(ApiError::new(ErrorCode::WrongVerificationCode))
            }
            _ => Ok(()),
        }
    }

    /// An in-store call's `request_id` must be one a successful `verify` of the same account
    /// was made with; a call without the in-store fields (an online purchase, a back-office
    /// transaction) has none to match. A verified request id is not used up: a refused
    /// purchase can be sent again with it.
    ///
    /// A PIN from `verify` with format `regular_purchase_bypass` is valid only for a regular
    /// purchase (reference §6.6, the `regular_purchase_bypass` row: "PIN valid only for regular
    /// purchases"), so `regular_purchase` says whether the call is one; any other purchase or
    /// transaction whose request id was verified only by the bypass is `409 not_verified`,
    /// the code both the authorization (§6.12) and the transactions (§6.11) error lists give for
    /// a call the `verify` before it does not cover (§9.3: "data/request_id/widget session
    /// mismatch"). All test PINs are the same, so a request id also verified in another format
    /// serves every call. `regular_purchase` is the amount of a regular purchase: the bypass
    /// is allowed for at most $200 (§6.10, `regular_purchase.verify`), so a regular purchase
    /// above that whose request id was verified only by the bypass is `not_verified` too.
    /// The `verify` record an in-store call's `request_id` is verified by, for the call to
    /// spend once it succeeds ([`Sandbox::spend_verification`]); `None` for an online call.
    fn check_verified(
        &self,
        account_number: u64,
        in_store: Option<&InStore>,
        regular_purchase: Option<Money>,
    ) -> Result<Option<usize>, ApiError> {
        let Some(in_store) = in_store else {
            return Ok(None);
        };
        let request_id = in_store.request_id.as_str();
        let verified = self
            .state
            .verifications
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                v.verified && v.account_number == account_number && v.request_id == request_id
            });
        let bypass_covers = regular_purchase
            .is_some_and(|amount| amount.minor_units() <= rules::BYPASS_MAX_AMOUNT.minor_units());
        let mut bypass_only = false;
        let mut spent = false;
        for (index, v) in verified {
            let bypass = v.format == VerifyMethod::RegularPurchaseBypass.format();
            if bypass_covers || !bypass {
                if !v.used {
                    return Ok(Some(index));
                }
                spent = true;
            } else {
                bypass_only = true;
            }
        }
        let (how, what) = if spent {
            (
                "already used by an earlier purchase or transaction",
                "a verification serves one call: verify the customer again, with a new \
                 request_id, and send that request_id with the verification code",
            )
        } else if bypass_only {
            (
                "verified only with regular_purchase_bypass",
                "its PIN is valid for a regular purchase of at most $200 only, so verify the \
                 customer in another format for this call",
            )
        } else {
            (
                "not verified",
                "call verify for this account with this request_id first, then send the same \
                 request_id with the verification code",
            )
        };
        Err(ApiError::with_message(
            ErrorCode::NotVerified,
            format!("request_id {request_id:?} was {how} for account {account_number}: {what}"),
        ))
    }

    /// Where an in-store `request_id` stands for an account, as the next purchase or
    /// transaction with it would find it: what a till shows beside its purchase form. A read
    /// of the sandbox's records, not a Flexiti call.
    pub fn request_verification(
        &self,
        account_number: u64,
        request_id: &str,
    ) -> RequestVerification {
        let mut found = RequestVerification::NotVerified;
        for v in self
            .state
            .verifications
            .iter()
            .filter(|v| v.verified && v.request_id == request_id)
        {
            if v.account_number != account_number {
                if found == RequestVerification::NotVerified {
                    found = RequestVerification::OtherAccount(v.account_number);
                }
                continue;
            }
            let bypass = v.format == VerifyMethod::RegularPurchaseBypass.format();
            found = match (v.used, found) {
                (false, RequestVerification::Verified { bypass_only }) => {
                    RequestVerification::Verified {
                        bypass_only: bypass_only && bypass,
                    }
                }
                (false, _) => RequestVerification::Verified {
                    bypass_only: bypass,
                },
                (true, RequestVerification::Verified { .. }) => found,
                (true, _) => RequestVerification::Used,
            };
        }
        found
    }

    /// Marks the verification an in-store call was made with as used, once the call
    /// succeeded: one `verify` serves one purchase or transaction. Every successful verify of
    /// the account with that request id before it goes with it, so verifying one request
    /// twice does not make it serve two calls.
    fn spend_verification(&mut self, verification: Option<usize>) {
        let Some((account, request_id)) = verification
            .and_then(|i| self.state.verifications.get(i))
            .map(|v| (v.account_number, v.request_id.clone()))
        else {
            return;
        };
        for record in &mut self.state.verifications {
            if record.verified
                && record.account_number == account
                && record.request_id == request_id
            {
                record.used = true;
            }
        }
    }

    /// `POST authorization`. Checks, in order: the body (`wrong_inputs`), the account
    /// (`not_found`), the card (`vcc_account_mismatch`), the PIN (`wrong_verification_code`),
    /// for an in-store purchase the `request_id` against the account's successful `verify`
    /// calls (`not_verified`, also for a promotional purchase verified only with
    /// `regular_purchase_bypass`), the plan and term (`plan_term_not_available`), then the business
    /// rules (`user_not_active`, `user_not_able_to_purchase`, `credit_exceeded`): who the
    /// customer is is settled before anything about the purchase is decided.
    pub fn authorize(
        &mut self,
        call: &CallContext<'_>,
        body: &AuthorizationBody,
    ) -> Result<AuthorizationResponse, ApiError> {
        let fingerprint = format!("authorization {}", body.to_json());
        let now = call.now;
        self.idempotent(call, true, fingerprint, |sandbox| {
            sandbox.run_authorize(now, body)
        })
    }

    fn run_authorize(
        &mut self,
        now: UtcTimestamp,
        body: &AuthorizationBody,
    ) -> Result<AuthorizationResponse, ApiError> {
        if let Some(problem) = body.validate().errors().next() {
            return Err(ApiError::with_message(
                ErrorCode::WrongInputs,
                problem.to_string(),
            ));
        }
        let index = self.account_index(&LookupKey::AccountNumber(body.account_number))?;
        if let Some(vcc) = &body.vcc_number {
            if !self.state.accounts[index]
                .vcc_numbers
                .iter()
                .any(|v| v == vcc.as_str())
            {
                return Err(ApiError::new(ErrorCode::VccAccountMismatch));
            }
        }
        Self::check_pin(body.verification_code.as_ref())?;
        let regular = matches!(body.financing_option, FinancingOption::RegularPurchase)
            .then_some(body.amount);
        let verification =
            self.check_verified(body.account_number.get(), body.in_store.as_ref(), regular)?;
        if let FinancingOption::PromotionalPurchase { plan_id, term } = &body.financing_option {
            let offered = TEST_PLANS
                .iter()
                .any(|(plan, terms)| *plan == plan_id.as_str() && terms.contains(term));
            if !offered {
                return Err(ApiError::new(ErrorCode::PlanTermNotAvailable));
            }
        }
        if let Some(violation) = rules::check_authorization(body, &self.facts(index)).first() {
            return Err(violation.to_api_error());
        }
        let id = self.rng(|rng| rng.in_range(1_000_000_000_000_000, AuthorizationId::MAX));
        let (plan_id, term) = match &body.financing_option {
            FinancingOption::PromotionalPurchase { plan_id, term } => {
                (Some(plan_id.as_str().to_owned()), Some(*term))
            }
            FinancingOption::RegularPurchase => (None, None),
        };
        self.state.authorizations.push(AuthorizationRecord {
            id,
            account_number: body.account_number.get(),
            purchase_type: body.financing_option.purchase_type(),
            plan_id,
            term,
            reference: body.reference.clone(),
            amount_cents: cents(body.amount),
            captured_cents: 0,
            released_cents: 0,
            created_at: now,
            external_location_id: body
                .in_store
                .as_ref()
                .map(|store| store.external_location_id.as_str().to_owned()),
        });
        let capture = if body.auto_capture {
            let capture_body = CaptureBody {
                amount: body.amount,
                reference: body.reference.clone(),
                store: None,
                sku_data: None,
            };
            Some(self.run_capture(now, id, &capture_body)?)
        } else {
            None
        };
        self.spend_verification(verification);
        let record = self.authorization(id)?;
        Ok(AuthorizationResponse {
            authorization_id: id,
            account_number: record.account_number,
            reference: record.reference.clone(),
            transaction_type: record.purchase_type,
            amount: body.amount,
            remaining_authorization_amount: cad(record.remaining_cents()),
            authorization_status: status_of(record).into(),
            capture,
        })
    }

    fn authorization(&self, id: u64) -> Result<&AuthorizationRecord, ApiError> {
        self.state
            .authorizations
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| not_found("the authorization"))
    }

    fn authorization_number(id: AuthorizationId) -> Result<u64, ApiError> {
        if id.environment() == ENVIRONMENT {
            Ok(id.number())
        } else {
            Err(not_found(&format!(
                "authorization {id} (issued by {})",
                id.environment()
            )))
        }
    }

    fn authorization_facts(record: &AuthorizationRecord) -> AuthorizationFacts {
        AuthorizationFacts {
            open: record.remaining_cents() > 0,
            remaining: cad(record.remaining_cents()),
        }
    }

    /// `POST authorization/{id}/capture`.
    pub fn capture(
        &mut self,
        call: &CallContext<'_>,
        authorization: AuthorizationId,
        body: &CaptureBody,
    ) -> Result<CaptureResponse, ApiError> {
        let fingerprint = format!("capture {authorization} {}", body.to_json());
        let now = call.now;
        self.idempotent(call, false, fingerprint, |sandbox| {
            let id = Self::authorization_number(authorization)?;
            if let Some(problem) = body.validate().errors().next() {
                return Err(ApiError::with_message(
                    ErrorCode::WrongInputs,
                    problem.to_string(),
                ));
            }
            sandbox.run_capture(now, id, body)
        })
    }

    fn run_capture(
        &mut self,
        now: UtcTimestamp,
        id: u64,
        body: &CaptureBody,
    ) -> Result<CaptureResponse, ApiError> {
        let facts = Self::authorization_facts(self.authorization(id)?);
        if let Some(violation) = rules::check_capture(body, &facts).first() {
            return Err(violation.to_api_error());
        }
        let capture_id = self.rng(|rng| rng.in_range(100_000_000, u64::from(CaptureId::MAX)));
        let capture_id = u32::try_from(capture_id).unwrap_or(CaptureId::MAX);
        let record = self
            .state
            .authorizations
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| not_found("the authorization"))?;
        record.captured_cents += cents(body.amount);
        let remaining = record.remaining_cents();
        let account_number = record.account_number;
        let location = body
            .store
            .as_ref()
            .map(|store| store.external_location_id.as_str().to_owned())
            .or_else(|| record.external_location_id.clone());
        if let Some(account) = self
            .state
            .accounts
            .iter_mut()
            .find(|a| a.account_number == account_number)
        {
            account.balance_cents = account.balance_cents.saturating_add(cents(body.amount));
        }
        self.state.captures.push(CaptureRecord {
            id: capture_id,
            authorization_id: id,
            amount_cents: cents(body.amount),
            returned_cents: 0,
            reference: body.reference.clone(),
            captured_at: now,
            refunded_cents: 0,
            external_location_id: location,
        });
        Ok(CaptureResponse {
            capture_id,
            authorization_id: id,
            reference: body.reference.clone(),
            date: now.whole_seconds(),
            amount: body.amount,
            remaining_authorization_amount: cad(remaining),
        })
    }

    /// `POST authorization/{id}/release`: without an amount, releases everything that remains.
    pub fn release(
        &mut self,
        call: &CallContext<'_>,
        authorization: AuthorizationId,
        body: &ReleaseBody,
    ) -> Result<ReleaseResponse, ApiError> {
        let fingerprint = format!("release {authorization} {}", body.to_json());
        self.idempotent(call, false, fingerprint, |sandbox| {
            let id = Self::authorization_number(authorization)?;
            if let Some(problem) = body.validate().errors().next() {
                return Err(ApiError::with_message(
                    ErrorCode::WrongInputs,
                    problem.to_string(),
                ));
            }
            let facts = Self::authorization_facts(sandbox.authorization(id)?);
            if let Some(violation) = rules::check_release(body, &facts).first() {
                return Err(violation.to_api_error());
            }
            let released = body.amount.map_or(cents(facts.remaining), cents);
            let record = sandbox
                .state
                .authorizations
                .iter_mut()
                .find(|a| a.id == id)
                .ok_or_else(|| not_found("the authorization"))?;
            record.released_cents += released;
            Ok(ReleaseResponse {
                authorization_id: id,
                amount: cad(released),
                remaining_authorization_amount: cad(record.remaining_cents()),
                authorization_status: status_of(record).into(),
            })
        })
    }

    /// `POST authorization/{id}/capture/{capture_id}/return`.
    pub fn return_capture(
        &mut self,
        call: &CallContext<'_>,
        authorization: AuthorizationId,
        capture: CaptureId,
        body: &ReturnBody,
    ) -> Result<ReturnResponse, ApiError> {
        let fingerprint = format!("return {authorization} {capture} {}", body.to_json());
        let now = call.now;
        self.idempotent(call, false, fingerprint, |sandbox| {
            let id = Self::authorization_number(authorization)?;
            if capture.environment() != ENVIRONMENT {
                return Err(not_found(&format!(
                    "capture {capture} (issued by {})",
                    capture.environment()
                )));
            }
            if let Some(problem) = body.validate().errors().next() {
                return Err(ApiError::with_message(
                    ErrorCode::WrongInputs,
                    problem.to_string(),
                ));
            }
            let auth = sandbox.authorization(id)?.clone();
            let record = sandbox
                .state
                .captures
                .iter()
                .find(|c| c.id == capture.number() && c.authorization_id == id)
                .ok_or_else(|| not_found("the capture"))?;
            let facts = CaptureFacts {
                purchase_type: auth.purchase_type,
                captured_at: record.captured_at,
                remaining: cad(record.remaining_cents()),
            };
            if let Some(vcc) = &body.vcc_number {
                let owns = sandbox.state.accounts.iter().any(|a| {
                    a.account_number == auth.account_number
                        && a.vcc_numbers.iter().any(|v| v == vcc.as_str())
                });
                if !owns {
                    return Err(ApiError::new(ErrorCode::VccAccountMismatch));
                }
            }
            if let Some(violation) = rules::check_return(body, &facts, now).first() {
                return Err(violation.to_api_error());
            }
            let returned = body.amount.map_or(cents(facts.remaining), cents);
            let return_id = sandbox.rng(|rng| rng.in_range(1_000_000_000_000_000, ReturnId::MAX));
            let record = sandbox
                .state
                .captures
                .iter_mut()
                .find(|c| c.id == capture.number())
                .ok_or_else(|| not_found("the capture"))?;
            record.returned_cents += returned;
            let remaining_capture = record.remaining_cents();
            if let Some(account) = sandbox
                .state
                .accounts
                .iter_mut()
                .find(|a| a.account_number == auth.account_number)
            {
                account.balance_cents = account.balance_cents.saturating_sub(returned);
            }
            sandbox.state.returns.push(ReturnRecord {
                id: return_id,
                capture_id: capture.number(),
                amount_cents: returned,
                reference: body.reference.clone(),
                returned_at: now,
            });
            Ok(ReturnResponse {
                return_id,
                reference: body.reference.clone(),
                capture_id: capture.number(),
                date: now.whole_seconds(),
                amount: cad(returned),
                remaining_capture_amount: cad(remaining_capture),
                remaining_authorization_amount: cad(auth.remaining_cents()),
            })
        })
    }

    /// `POST transactions`: deposit, in-store payment or trade-in. Checks, in order: the body,
    /// the account, the PIN, for an in-store call the `request_id` (`not_verified`, as for an
    /// authorization; a bypass PIN serves regular purchases only, so never a transaction), then whether the account is active and the rules of the transaction type.
    pub fn transaction(
        &mut self,
        call: &CallContext<'_>,
        body: &TransactionBody,
    ) -> Result<TransactionResponse, ApiError> {
        let fingerprint = format!("transactions {}", body.to_json());
        let now = call.now;
        self.idempotent(call, false, fingerprint, |sandbox| {
            if let Some(problem) = body.validate().errors().next() {
                return Err(ApiError::with_message(
                    ErrorCode::WrongInputs,
                    problem.to_string(),
                ));
            }
            let index = sandbox.account_index(&body.account)?;
            Self::check_pin(Some(&body.verification_code))?;
            let account_number = sandbox.state.accounts[index].account_number;
            let verification =
                sandbox.check_verified(account_number, body.in_store.as_ref(), None)?;
            let facts = sandbox.facts(index);
            if !facts.active {
                return Err(ApiError::new(ErrorCode::UserNotActive));
            }
            match body.transaction_type {
                AccountTransactionType::InstorePayment => {
                    let paid: i64 = sandbox
                        .state
                        .postings
                        .iter()
                        .filter(|p| {
                            p.account_number == account_number
                                && p.transaction_type == AccountTransactionType::InstorePayment
                                && now.seconds_since(p.posted_at) < PAYMENT_WINDOW_SECONDS
                        })
                        .map(|p| p.amount_cents)
                        .fold(0i64, i64::saturating_add);
                    if let Some(violation) = rules::check_payment(body.amount, cad(paid)).first() {
                        return Err(violation.to_api_error());
                    }
                }
                AccountTransactionType::Deposit => {
                    if !facts.status.allows_purchases() {
                        return Err(ApiError::new(ErrorCode::UserNotAbleToPurchase));
                    }
                    if body.amount.minor_units() > facts.available_credit.minor_units() {
                        return Err(ApiError::new(ErrorCode::NotEnoughCredit));
                    }
                }
                AccountTransactionType::Tradein => {}
            }
            let signed = match body.transaction_type {
                AccountTransactionType::Deposit => cents(body.amount),
                _ => -cents(body.amount),
            };
            let account = &mut sandbox.state.accounts[index];
            account.balance_cents =
                balance_after(account.balance_cents, account.credit_limit_cents, signed)?;
            let id = sandbox.rng(|rng| rng.in_range(1_000_000_000, 9_999_999_999));
            sandbox.state.postings.push(PostingRecord {
                id,
                account_number,
                transaction_type: body.transaction_type,
                amount_cents: cents(body.amount),
                posted_at: now,
            });
            sandbox.spend_verification(verification);
            Ok(TransactionResponse {
                transaction_id: id,
                account_number,
                transaction_type: body.transaction_type,
                amount: body.amount,
                date: now.whole_seconds(),
            })
        })
    }
}

/// The balance once `signed` cents are posted, refused with `wrong_inputs` at `amount` when it
/// or the available credit it leaves would pass what Flexiti's `number (18,2)` holds (a
/// trade-in or payment has no cap of its own, so a credit balance could otherwise grow past
/// any amount an answer can carry).
fn balance_after(balance: i64, credit_limit: i64, signed: i64) -> Result<i64, ApiError> {
    let within = |cents: i64| cents.unsigned_abs() <= amount::MAX_MINOR_UNITS.unsigned_abs();
    balance
        .checked_add(signed)
        .filter(|&after| within(after) && credit_limit.checked_sub(after).is_some_and(within))
        .ok_or_else(|| {
            let mut refused = crate::validation::Validation::new();
            refused.error(
                "amount",
                crate::validation::code::AMOUNT_OUT_OF_RANGE,
                "amount would take the account's balance or available credit past \
                 9999999999999999.99, the most Flexiti's number (18,2) holds",
            );
            ApiError::wrong_inputs(&refused)
        })
}

fn expiry(token: &TokenRecord) -> UtcTimestamp {
    token
        .issued_at
        .checked_add_seconds(i64::from(token.expires_in))
        .unwrap_or(UtcTimestamp::MAX)
}

fn status_of(record: &AuthorizationRecord) -> &'static str {
    if record.remaining_cents() > 0 {
        "opened"
    } else {
        "closed"
    }
}

#[cfg(test)]
mod tests;
