//! Flexiti POS API (Canadian consumer financing at the point of sale and online): environments,
//! authentication, typed and validated requests, error codes and a TRAINING sandbox.
//!
//! Amounts are [`Money`](crate::money::Money) in CAD. The API types them `number (18,2)`;
//! flexkit sends them as exact decimal strings (`"10.50"`, as several Flexiti examples do)
//! and reads both strings and JSON numbers.
//!
//! Bodies are JSON except the token call's, which is form-encoded. The Overview says every
//! body is form-encoded, but every documented example other than the token call is a JSON
//! object with nested objects (`financing_option`, `sku_data`), which a flat form cannot
//! carry; flexkit follows the examples. GET calls send their fields as a form-encoded query
//! string, and their request types read both JSON and query strings.
//!
//! # Where the documentation disagrees
//!
//! Flexiti's pages, their older revisions and their examples contradict each other in
//! places. flexkit decides as follows, and reads the other form where that costs nothing:
//!
//! - `authorization` header: 1000 characters on most pages, 40 on a few; real tokens need
//!   the larger limit, so flexkit allows 1000.
//! - Token renewal: the refresh guide writes `client_credential` and sends the last access
//!   token; flexkit follows the authentication page (`client_credentials`, the last refresh
//!   token) and accepts the guide's spelling with a warning ([`auth`]).
//! - Name lengths in `customers/search`: 35 and 50 now, 80 and 130 before; flexkit checks
//!   the current limits.
//! - `customer_id` (number (12) or ASCII (20) with a dash form) and `vcc_number` (ASCII (16)
//!   or number (16)) are sent as strings; JSON numbers are read too.
//! - `lang`: length 2 or 5, and locale forms such as `en-CA`; flexkit sends `en` or `fr` and
//!   reads the locale forms by their language part.
//! - Error bodies: `wrong_input` or `wrong_inputs`, `field_errors` or `error_fields`; all are
//!   read, `wrong_inputs` is written ([`error`]).
//! - `verify` format: `security_question` (the `verify` page) or `security_answer` (older
//!   widget text); flexkit sends `security_question` and refuses the older name with a hint.
//!   `security_qid` is `4` to `9` on an older page only, so other ids are a warning.
//! - `verification_code` in answers is a string on one example and a number on others; both
//!   are read ([`account::VerificationOutcome`]).
//! - `calculate-interest` and `authorization`: v2.5.1 (v2.5 is deprecated); `annual_rates`
//!   replaced `apr`, and `category_type` is read under its older name
//!   `customer_category_type` too.
//! - Regular-purchase bypass, "≤ 3 regular purchases on the account in the past 24 h": the
//!   purchases already on the account, not the one about to be made, so the bypass serves a
//!   fourth regular purchase in 24 hours and is refused from the fifth, "more than 3" as the
//!   error index words it ([`rules::regular_purchase_bypass_allowed`]).
//! - Security-question lockout, "more than 3 wrong answers in 48 h": after three wrong
//!   answers the next try is refused with `tries_exceed`.
//! - "Per day" limits (the $10,000 payment cap) are rolling 24 hours, as the code
//!   `limit_payment_amount_24` says; the 100-day return window counts 24-hour days and
//!   includes the hundredth.
//! - `GET authorization/{id}` is printed with `&lang=`; flexkit sends `?lang=`.
//! - `release` shows no body while its errors speak of an amount: flexkit sends `amount` for
//!   a partial release and an empty object for a full one ([`purchase::ReleaseBody`]).
//! - The history lists print their parameters in one example and no limits: flexkit's paging,
//!   date-range and store rules are in [`history`].
//! - `refund` answers `{}` in the only example; the sandbox answers the same.
//! - Sandbox: one Overview revision says TRAINING suffices, a later one recommends MERCHANT
//!   INTEGRATION; the sandbox models TRAINING, whose data and code match production's.

pub mod account;
pub mod amount;
pub mod auth;
pub mod common;
pub mod customer;
mod decimal;
pub mod environment;
pub mod error;
mod fields;
pub mod form;
pub mod history;
pub mod ids;
pub mod payment;
pub mod prepare;
pub mod purchase;
pub mod rules;
pub mod sandbox;
pub mod seed;

pub use account::{
    AccountVerifyBody, CalculateInterestBody, CalculateInterestResponse, Rate, VerificationOutcome,
    VerifyMethod, VerifyResponse,
};
pub use auth::{
    AccessToken, Credentials, Grant, Idempotency, ReferenceId, Scope, TokenRequest, TokenResponse,
    TokenState,
};
pub use common::{
    InStore, Lang, QueryRequest, RequestBody, SkuData, SkuProduct, Store, VerificationCode,
};
pub use customer::{CustomerLookupQuery, CustomerSearchQuery, LookupKey, PostalCode};
pub use environment::{ApiVersion, Endpoint, Environment, EnvironmentMismatch, Method};
pub use error::{ApiError, ErrorCode, ErrorField};
pub use history::{
    AuthorizationDetailQuery, AuthorizationListQuery, AuthorizationStatus, CaptureListQuery,
    CreationDates, Page,
};
pub use ids::{
    AccountNumber, AuthorizationId, CaptureId, ClientId, ClientSecret, CustomerId, FieldError,
    MerchantText, ReturnId, VccNumber,
};
pub use payment::{AccountTransactionType, TransactionBody};
pub use prepare::{
    prepare, prepare_token, CallSetup, EndpointRequest, PrepareError, PreparedRequest,
};
pub use purchase::{
    AuthorizationBody, CaptureBody, FinancingOption, PurchaseType, RefundBody, ReleaseBody,
    ReturnBody,
};
pub use rules::{AccountFacts, AccountStatus, AuthorizationFacts, CaptureFacts, Violation};
