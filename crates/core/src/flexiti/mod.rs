//! Flexiti POS API (Canadian consumer financing at the point of sale and online): environments,
//! authentication, typed and validated requests, error codes and a TRAINING sandbox.
//!
//! Amounts are [`Money`](crate::money::Money) in CAD. The API types them `number (18,2)`;
//! flexkit sends them as exact decimal strings (`"10.50"`, as several Flexiti examples do)
//! and reads both strings and JSON numbers.

pub mod auth;
pub mod environment;
pub mod form;
pub mod ids;
pub mod seed;

pub use auth::{
    AccessToken, Credentials, Grant, Idempotency, ReferenceId, Scope, TokenRequest, TokenResponse,
    TokenState,
};
pub use environment::{ApiVersion, Endpoint, Environment, EnvironmentMismatch, Method};
pub use ids::{
    AccountNumber, AuthorizationId, CaptureId, ClientId, ClientSecret, CustomerId, FieldError,
    ReturnId, VccNumber,
};
