//! Joining an endpoint, a request, the headers and the token into one request ready to send,
//! so that the checks a merchant would otherwise learn about from a 401, 403 or 404 happen
//! before the call:
//!
//! - the token must be [`TokenState::Fresh`]: an expired token cannot be used or refreshed,
//!   and one in its last minute is refreshed first, as Flexiti's refresh guide asks;
//! - the token, and every Flexiti id in the path, must come from the environment called;
//! - a `customer`-scope token may only call the customer-facing endpoints;
//! - the request type must be the one the endpoint takes, and valid.
//!
//! flexkit sends no HTTP itself: [`PreparedRequest`] is plain data for whatever client the
//! caller uses (`fetch` in the browser, any Rust client on a server).

use core::fmt;

use serde::Serialize;

use super::account::{AccountVerifyBody, CalculateInterestBody};
use super::auth::{
    call_headers, token_headers, AccessToken, Idempotency, ReferenceId, Scope, TokenRequest,
    TokenState, AUTHORIZATION_HEADER_MAX_LEN,
};
use super::common::{query_pairs, Lang, RequestBody};
use super::customer::{CustomerLookupQuery, CustomerSearchQuery};
use super::environment::{Endpoint, Environment, EnvironmentMismatch, Method};
use super::history::{AuthorizationDetailQuery, AuthorizationListQuery, CaptureListQuery};
use super::ids::ClientId;
use super::payment::TransactionBody;
use super::purchase::{AuthorizationBody, CaptureBody, RefundBody, ReleaseBody, ReturnBody};
use crate::time::UtcTimestamp;
use crate::validation::{code, Validation};

/// `content-type` of JSON bodies.
pub const JSON: &str = "application/json";
/// `content-type` of the token call.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// A request of one endpoint: which endpoint takes it, and how it is checked.
pub trait EndpointRequest: RequestBody {
    /// Whether `endpoint` takes this request type.
    fn fits(endpoint: &Endpoint) -> bool;

    /// Every problem of the request at `now`. Most rules do not depend on the clock; those
    /// that do (a date of birth in the past) override this.
    fn check(&self, now: UtcTimestamp) -> Validation {
        let _ = now;
        self.validate()
    }
}

macro_rules! fits {
    ($($request:ty => $pattern:pat),+ $(,)?) => {
        $(impl EndpointRequest for $request {
            fn fits(endpoint: &Endpoint) -> bool {
                matches!(endpoint, $pattern)
            }
        })+
    };
}

fits! {
    CustomerLookupQuery => Endpoint::CustomerLookup,
    AccountVerifyBody => Endpoint::AccountVerify { .. },
    CalculateInterestBody => Endpoint::CalculateInterest { .. },
    TransactionBody => Endpoint::Transactions,
    AuthorizationBody => Endpoint::Authorization,
    ReleaseBody => Endpoint::Release { .. },
    CaptureBody => Endpoint::Capture { .. },
    ReturnBody => Endpoint::Return { .. },
    RefundBody => Endpoint::Refund { .. },
    AuthorizationListQuery => Endpoint::Authorizations,
    AuthorizationDetailQuery => Endpoint::AuthorizationDetail { .. },
    CaptureListQuery => Endpoint::Captures,
}

impl EndpointRequest for CustomerSearchQuery {
    fn fits(endpoint: &Endpoint) -> bool {
        matches!(endpoint, Endpoint::CustomerSearch)
    }

    fn check(&self, now: UtcTimestamp) -> Validation {
        self.validate_at(now)
    }
}

/// What a call needs besides its endpoint and request.
#[derive(Clone, Copy, Debug)]
pub struct CallSetup<'a> {
    /// The environment called.
    pub environment: Environment,
    pub client_id: &'a ClientId,
    pub token: &'a AccessToken,
    /// The flow's `x-reference-id`.
    pub reference_id: &'a ReferenceId,
    pub idempotency: Option<&'a Idempotency>,
    /// `?lang=` for the calls that document it ([`Endpoint::takes_lang`]): the POST calls
    /// `transactions`, `authorization` and `calculate-interest`, and the GET calls whose
    /// query does not carry its own `lang` (`customers/search` documents none, so it gets
    /// none).
    pub lang: Option<Lang>,
    pub now: UtcTimestamp,
}

/// A request ready to send. `headers` holds every header to send, `content-type` included
/// when there is a body; `content_type` repeats it for clients that set it apart. `warnings`
/// are the request's warnings (a long date range, an undocumented question id), worth
/// showing to whoever built it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreparedRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    pub content_type: Option<&'static str>,
    pub warnings: Validation,
}

/// Why a request was not prepared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrepareError {
    /// The token's life is over; it can no longer be refreshed either.
    TokenExpired { expired_at: UtcTimestamp },
    /// The token is in its last minute: refresh it first.
    TokenRefreshDue {
        refresh_at: UtcTimestamp,
        expires_at: UtcTimestamp,
    },
    /// The token was issued by another environment.
    TokenEnvironment {
        token: Environment,
        target: Environment,
    },
    /// An id in the path was issued by another environment.
    Environment(EnvironmentMismatch),
    /// A `customer`-scope token on a merchant-only endpoint; Flexiti would answer 403.
    InsufficientScope { endpoint: String },
    /// The request type is not the one the endpoint takes.
    WrongRequest { endpoint: String },
    /// The token call is prepared by [`prepare_token`].
    TokenEndpoint,
    /// The request, or a header, is invalid: every problem.
    Invalid(Validation),
}

impl PrepareError {
    /// A stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            PrepareError::TokenExpired { .. } => "token_expired",
            PrepareError::TokenRefreshDue { .. } => "token_refresh_due",
            PrepareError::TokenEnvironment { .. } => "token_environment_mismatch",
            PrepareError::Environment(_) => "environment_mismatch",
            PrepareError::InsufficientScope { .. } => "insufficient_scope",
            PrepareError::WrongRequest { .. } => "wrong_request_type",
            PrepareError::TokenEndpoint => "token_endpoint",
            PrepareError::Invalid(_) => "invalid_request",
        }
    }
}

impl fmt::Display for PrepareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrepareError::TokenExpired { expired_at } => write!(
                f,
                "the access token expired at {expired_at} and can no longer be refreshed; \
                 request a new one with client_credentials"
            ),
            PrepareError::TokenRefreshDue {
                refresh_at,
                expires_at,
            } => write!(
                f,
                "the access token expires at {expires_at} and has been due for refresh since \
                 {refresh_at}; refresh it with grant_type refresh_token, then prepare the call \
                 with the new token"
            ),
            PrepareError::TokenEnvironment { token, target } => write!(
                f,
                "the access token was issued by {token} but the call goes to {target}; tokens \
                 work only where they were issued, so use {target}'s credentials"
            ),
            PrepareError::Environment(mismatch) => mismatch.fmt(f),
            PrepareError::InsufficientScope { endpoint } => write!(
                f,
                "{endpoint} needs a merchant-scope token and this one has scope customer \
                 (Flexiti answers 403 insufficient scope); make the call from the server with \
                 a merchant token"
            ),
            PrepareError::WrongRequest { endpoint } => write!(
                f,
                "this request type is not the one {endpoint} takes; build the request type \
                 documented for that endpoint"
            ),
            PrepareError::TokenEndpoint => f.write_str(
                "the token call has no bearer token and a form body; prepare it with \
                 prepare_token",
            ),
            PrepareError::Invalid(validation) => {
                f.write_str("the request is invalid:")?;
                for problem in validation.errors() {
                    write!(f, " {problem};")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PrepareError {}

/// The token checks, cheapest and most fundamental first: a token from the wrong
/// environment is wrong whatever its age.
fn check_token(endpoint: &Endpoint, setup: &CallSetup<'_>) -> Result<(), PrepareError> {
    let token = setup.token;
    if token.environment != setup.environment {
        return Err(PrepareError::TokenEnvironment {
            token: token.environment,
            target: setup.environment,
        });
    }
    if token.scope == Scope::Customer && !endpoint.allows_customer_scope() {
        return Err(PrepareError::InsufficientScope {
            endpoint: endpoint.path(setup.client_id),
        });
    }
    match token.state(setup.now) {
        TokenState::Fresh => Ok(()),
        TokenState::RefreshDue => Err(PrepareError::TokenRefreshDue {
            refresh_at: token.refresh_at(),
            expires_at: token.expires_at(),
        }),
        TokenState::Expired => Err(PrepareError::TokenExpired {
            expired_at: token.expires_at(),
        }),
    }
}

/// Builds the request for `endpoint` from `request`, refusing it (see the module docs) when
/// Flexiti would. GET requests go in the query string, POST requests as a JSON body.
pub fn prepare<R: EndpointRequest>(
    endpoint: &Endpoint,
    setup: &CallSetup<'_>,
    request: &R,
) -> Result<PreparedRequest, PrepareError> {
    if *endpoint == Endpoint::Token {
        return Err(PrepareError::TokenEndpoint);
    }
    if !R::fits(endpoint) {
        return Err(PrepareError::WrongRequest {
            endpoint: endpoint.path(setup.client_id),
        });
    }
    check_token(endpoint, setup)?;
    let method = endpoint.method();
    let lang = setup
        .lang
        .map(|lang| ("lang".to_owned(), lang.as_str().to_owned()));
    let (query, body) = match method {
        Method::Get => {
            let mut pairs = query_pairs(request);
            if endpoint.takes_lang() && !pairs.iter().any(|(name, _)| name == "lang") {
                pairs.extend(lang);
            }
            (pairs, None)
        }
        Method::Post => {
            let pairs = if endpoint.takes_lang() {
                lang.into_iter().collect()
            } else {
                Vec::new()
            };
            (pairs, Some(request.to_json()))
        }
    };
    let query: Vec<(&str, String)> = query
        .iter()
        .map(|(name, value)| (name.as_str(), value.clone()))
        .collect();
    let url = endpoint
        .url(setup.environment, setup.client_id, &query)
        .map_err(PrepareError::Environment)?;
    let mut validation = request.check(setup.now);
    let bearer = setup.token.bearer();
    let printable = bearer.chars().all(|c| (' '..='~').contains(&c));
    if bearer.len() > AUTHORIZATION_HEADER_MAX_LEN
        || setup.token.access_token.is_empty()
        || !printable
    {
        validation.error(
            "headers.authorization",
            code::INVALID_VALUE,
            format!(
                "the authorization header must be \"Bearer \" and a token of at most {} \
                 printable ASCII characters in all; use the access_token of the token answer as \
                 it is",
                AUTHORIZATION_HEADER_MAX_LEN
            ),
        );
    }
    if !validation.is_ok() {
        return Err(PrepareError::Invalid(validation));
    }
    let mut headers = call_headers(setup.token, setup.reference_id, setup.idempotency);
    let content_type = body.as_ref().map(|_| JSON);
    if let Some(content_type) = content_type {
        headers.push(("content-type", content_type.to_owned()));
    }
    Ok(PreparedRequest {
        method,
        url,
        headers,
        body,
        content_type,
        warnings: validation,
    })
}

/// The token call: form body, `x-reference-id`, no bearer.
pub fn prepare_token(
    environment: Environment,
    reference_id: &ReferenceId,
    request: &TokenRequest,
) -> PreparedRequest {
    let url = format!(
        "{}{}",
        environment.base_url(),
        Endpoint::Token.path(&request.client_id)
    );
    PreparedRequest {
        method: Method::Post,
        url,
        headers: token_headers(reference_id),
        body: Some(request.to_form()),
        content_type: Some(FORM),
        warnings: Validation::new(),
    }
}

#[cfg(test)]
mod tests;
