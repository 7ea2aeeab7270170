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

pub mod account;
pub mod amount;
pub mod auth;
pub mod common;
pub mod customer;
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
