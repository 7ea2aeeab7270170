//! Authentication (reference §4): the OAuth token call, the token's 20-minute life and when
//! to renew it, and the headers every other call carries.
//!
//! # Refresh rule
//!
//! Flexiti's refresh guide treats a token as due when
//! `now - issued_at >= expires_in - threshold`, with a 60-second threshold, and a token can
//! only be refreshed while it is still valid. flexkit follows it:
//!
//! - [`TokenState::Fresh`] while more than [`REFRESH_MARGIN_SECONDS`] remain: use it;
//! - [`TokenState::RefreshDue`] in the last 60 seconds: renew with `grant_type=refresh_token`
//!   (the call is still accepted, so the customer's flow is not interrupted);
//! - [`TokenState::Expired`] from `issued_at + expires_in` on: it can no longer be refreshed,
//!   so request a new one with `client_credentials`.
//!
//! Where the guide and the authentication page disagree (the guide writes `client_credential`
//! and sends the last *access* token as `refresh_token`), flexkit follows the authentication
//! page: `client_credentials`, and the last *refresh* token. On input, `client_credential` is
//! accepted with a warning.

use serde::{Deserialize, Serialize};

use super::environment::Environment;
use super::form;
use super::ids::{check_ascii, ClientId, ClientSecret, FieldError};
use super::seed::SplitMix64;
use crate::time::UtcTimestamp;
use crate::validation::{code, Validation};

/// Documented access-token lifetime: 20 minutes.
pub const TOKEN_LIFETIME_SECONDS: u32 = 1200;
/// How long before expiry a token is renewed (the refresh guide's default threshold).
pub const REFRESH_MARGIN_SECONDS: u32 = 60;
/// The documented maximum of the `authorization` header (some pages say 40; the larger
/// limit is the one real tokens need).
pub const AUTHORIZATION_HEADER_MAX_LEN: usize = 1000;

/// A client id and secret for one environment: keys are issued per environment and never
/// work in another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub environment: Environment,
    pub client_id: ClientId,
    pub client_secret: ClientSecret,
}

/// `scope` of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every endpoint; keep it on a server.
    Merchant,
    /// Only the customer-facing subset (widget, calculate-interest, verify, authorization),
    /// for tokens handed to a browser.
    Customer,
}

crate::read_json_enum!(Scope {
    Merchant = "merchant",
    Customer = "customer",
});

impl Scope {
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::Merchant => "merchant",
            Scope::Customer => "customer",
        }
    }

    fn from_wire(value: &str) -> Option<Scope> {
        match value {
            "merchant" => Some(Scope::Merchant),
            "customer" => Some(Scope::Customer),
            _ => None,
        }
    }
}

/// How the token is obtained. The legacy `password` grant is not offered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    /// `client_credentials`: the first token, or a new one after expiry.
    ClientCredentials,
    /// `refresh_token` with the `refresh_token` of the previous, still valid, token.
    RefreshToken(String),
}

/// The body of `POST v2.5/oauth/token`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRequest {
    pub client_id: ClientId,
    pub client_secret: ClientSecret,
    pub grant: Grant,
    /// `None` leaves Flexiti's default, `merchant`.
    pub scope: Option<Scope>,
}

impl TokenRequest {
    pub fn client_credentials(credentials: &Credentials, scope: Option<Scope>) -> TokenRequest {
        TokenRequest {
            client_id: credentials.client_id.clone(),
            client_secret: credentials.client_secret.clone(),
            grant: Grant::ClientCredentials,
            scope,
        }
    }

    /// The `application/x-www-form-urlencoded` body, fields in the documented order.
    /// `grant_type` is always written, even though `client_credentials` is the default, so
    /// the request says what it means.
    pub fn to_form(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ];
        match &self.grant {
            Grant::ClientCredentials => pairs.push(("grant_type", "client_credentials")),
            Grant::RefreshToken(token) => {
                pairs.push(("grant_type", "refresh_token"));
                pairs.push(("refresh_token", token));
            }
        }
        if let Some(scope) = self.scope {
            pairs.push(("scope", scope.as_str()));
        }
        form::encode(pairs)
    }

    /// Reads and validates a form body, reporting every problem at once. No message quotes
    /// the body or a value of it (the body carries the client secret): a JSON body is one
    /// problem saying the call is form-encoded, and a field flexkit does not know is named
    /// only when its name looks like one ([`plausible_field_name`]).
    pub fn from_form(body: &str) -> Result<(TokenRequest, Validation), Validation> {
        let mut validation = Validation::new();
        if body.trim_start().starts_with(['{', '[']) {
            validation.error("", code::INVALID_FORMAT, NOT_A_FORM);
            return Err(validation);
        }
        let pairs = match form::decode(body) {
            Ok(pairs) => pairs,
            Err(error) => {
                validation.error("", error.code(), error.to_string());
                return Err(validation);
            }
        };
        let mut client_id = None;
        let mut client_secret = None;
        let mut grant_type = None;
        let mut refresh_token = None;
        let mut scope_text = None;
        let mut unreadable = false;
        for (name, value) in &pairs {
            let slot = match name.as_str() {
                "client_id" => &mut client_id,
                "client_secret" => &mut client_secret,
                "grant_type" => &mut grant_type,
                "refresh_token" => &mut refresh_token,
                "scope" => &mut scope_text,
                other if plausible_field_name(other) => {
                    validation.error(
                        other,
                        code::UNKNOWN_FIELD,
                        format!(
                            "the token request has no field {other:?}; send only client_id, \
                             client_secret, grant_type, refresh_token and scope"
                        ),
                    );
                    continue;
                }
                _ => {
                    if !unreadable {
                        validation.error("", code::INVALID_FORMAT, NOT_A_FORM);
                        unreadable = true;
                    }
                    continue;
                }
            };
            if slot.is_some() {
                validation.error(
                    name.as_str(),
                    code::CONFLICT,
                    format!("{name} appears more than once; send it once"),
                );
            }
            *slot = Some(value.as_str());
        }
        let mut field =
            |name: &str, value: Option<&str>, check: &dyn Fn(&str) -> Result<(), FieldError>| {
                match value {
                    None => {
                        validation.error(name, code::REQUIRED, format!("add {name}"));
                        false
                    }
                    Some(value) => match check(value) {
                        Ok(()) => true,
                        Err(error) => {
                            validation.error(name, error.code, error.message);
                            false
                        }
                    },
                }
            };
        let id_ok = field("client_id", client_id, &|v| ClientId::parse(v).map(drop));
        let secret_ok = field("client_secret", client_secret, &|v| {
            ClientSecret::parse(v).map(drop)
        });
        let grant = match grant_type {
            None | Some("client_credentials") => Some(Grant::ClientCredentials),
            Some("client_credential") => {
                validation.warn(
                    "grant_type",
                    code::DEPRECATED_FIELD,
                    "\"client_credential\" is the refresh guide's spelling; send \
                     \"client_credentials\" as the authentication page documents",
                );
                Some(Grant::ClientCredentials)
            }
            Some("refresh_token") => match refresh_token {
                Some(token) if !token.is_empty() => Some(Grant::RefreshToken(token.to_owned())),
                _ => {
                    validation.error(
                        "refresh_token",
                        code::REQUIRED,
                        "grant_type refresh_token needs refresh_token: send the refresh_token \
                         of the previous token response",
                    );
                    None
                }
            },
            Some("password") => {
                validation.error(
                    "grant_type",
                    code::INVALID_VALUE,
                    "the password grant is legacy and not supported by the POS API; use \
                     client_credentials",
                );
                None
            }
            Some(other) => {
                validation.error(
                    "grant_type",
                    code::INVALID_VALUE,
                    format!(
                        "grant_type {other:?} is unknown; use client_credentials or refresh_token"
                    ),
                );
                None
            }
        };
        if refresh_token.is_some() && !matches!(grant, Some(Grant::RefreshToken(_)) | None) {
            validation.error(
                "refresh_token",
                code::CONFLICT,
                "refresh_token is only sent with grant_type refresh_token; remove it or change \
                 the grant type",
            );
        }
        let scope = match scope_text {
            None => None,
            Some(text) => match Scope::from_wire(text) {
                Some(scope) => Some(scope),
                None => {
                    validation.error(
                        "scope",
                        code::INVALID_VALUE,
                        format!("scope {text:?} is unknown; use merchant or customer"),
                    );
                    None
                }
            },
        };
        match (id_ok, secret_ok, grant, validation.is_ok()) {
            (true, true, Some(grant), true) => {
                let request = TokenRequest {
                    client_id: ClientId::parse(client_id.unwrap_or_default())
                        .map_err(|_| validation.clone())?,
                    client_secret: ClientSecret::parse(client_secret.unwrap_or_default())
                        .map_err(|_| validation.clone())?,
                    grant,
                    scope,
                };
                Ok((request, validation))
            }
            _ => Err(validation),
        }
    }
}

/// What a token body that is not a form of field names is told; it quotes nothing of the
/// body, which carries the client secret.
const NOT_A_FORM: &str = "the token request body must be application/x-www-form-urlencoded \
    (client_id=...&client_secret=...&grant_type=client_credentials, sent with that \
    content-type), as Flexiti's token call documents; a JSON body or a field that is not a name \
    is not read, and tokenRequest() writes the form";

/// Whether a name in a token form looks like a field name and so may be quoted in a message:
/// a letter, then at most 31 letters, digits, `_`, `-` or `.`, with fewer than 4 digits. A
/// secret, a whole JSON body or a pasted value never passes, so none is ever echoed.
pub fn plausible_field_name(name: &str) -> bool {
    name.len() <= 32
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && name.bytes().filter(u8::is_ascii_digit).count() < 4
}

/// The 200 answer of the token call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// `bearer` (the Online API writes `Bearer`).
    pub token_type: String,
    pub access_token: String,
    /// Seconds; 1200 in practice.
    pub expires_in: u32,
    pub refresh_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl TokenResponse {
    /// The token as held by the merchant: received at `received_at`, kept to the whole
    /// second (rounded down, as Flexiti's 20-character timestamps are, so the token is never
    /// thought to live longer than it does), usable in `environment` only.
    pub fn into_token(self, environment: Environment, received_at: UtcTimestamp) -> AccessToken {
        AccessToken {
            environment,
            access_token: self.access_token,
            refresh_token: self.refresh_token,
            scope: self
                .scope
                .as_deref()
                .and_then(Scope::from_wire)
                .unwrap_or(Scope::Merchant),
            issued_at: received_at.whole_seconds(),
            expires_in: self.expires_in,
        }
    }
}

/// Where a token is in its life at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenState {
    Fresh,
    RefreshDue,
    Expired,
}

/// An access token with what is needed to know when to renew it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    pub environment: Environment,
    pub access_token: String,
    pub refresh_token: String,
    pub scope: Scope,
    pub issued_at: UtcTimestamp,
    pub expires_in: u32,
}

crate::read_json_struct!(AccessToken, deny_unknown = false, {
    environment: "environment",
    access_token: "accessToken",
    refresh_token: "refreshToken",
    scope: "scope",
    issued_at: "issuedAt",
    expires_in: "expiresIn",
});

impl AccessToken {
    /// The instant the token stops working (saturating at the end of the supported range).
    pub fn expires_at(&self) -> UtcTimestamp {
        self.issued_at
            .checked_add_seconds(i64::from(self.expires_in))
            .unwrap_or(UtcTimestamp::MAX)
    }

    /// The instant from which it should be refreshed.
    pub fn refresh_at(&self) -> UtcTimestamp {
        let lead = self.expires_in.saturating_sub(REFRESH_MARGIN_SECONDS);
        self.issued_at
            .checked_add_seconds(i64::from(lead))
            .unwrap_or(UtcTimestamp::MAX)
    }

    pub fn state(&self, now: UtcTimestamp) -> TokenState {
        if now >= self.expires_at() {
            TokenState::Expired
        } else if now >= self.refresh_at() {
            TokenState::RefreshDue
        } else {
            TokenState::Fresh
        }
    }

    /// The token call to make before the next API call at `now`, or `None` if the token is
    /// good to use.
    pub fn renewal(&self, credentials: &Credentials, now: UtcTimestamp) -> Option<TokenRequest> {
        match self.state(now) {
            TokenState::Fresh => None,
            TokenState::RefreshDue => Some(TokenRequest {
                client_id: credentials.client_id.clone(),
                client_secret: credentials.client_secret.clone(),
                grant: Grant::RefreshToken(self.refresh_token.clone()),
                scope: Some(self.scope),
            }),
            TokenState::Expired => Some(TokenRequest::client_credentials(
                credentials,
                Some(self.scope),
            )),
        }
    }

    /// The `authorization` header value.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.access_token)
    }
}

/// `x-reference-id`: ASCII (32), a GUID without hyphens, shared by every call of one
/// customer flow so Flexiti can trace it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReferenceId(String);

impl ReferenceId {
    pub const MAX_LEN: usize = 32;

    pub fn parse(value: &str) -> Result<ReferenceId, FieldError> {
        check_ascii(value, Self::MAX_LEN, "x-reference-id")?;
        Ok(ReferenceId(value.to_owned()))
    }

    /// A fresh id of 32 lower-case hex digits drawn from the caller's generator.
    pub fn generate(rng: &mut SplitMix64) -> ReferenceId {
        ReferenceId(rng.hex(Self::MAX_LEN))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `x-idempotency-key` with the optional `x-context-hash` that only means something next to
/// it (so the type makes a hash without a key impossible). The hash is the merchant's digest
/// of the body; Flexiti does not name the algorithm, so flexkit leaves it to the caller.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Idempotency {
    pub key: String,
    pub context_hash: Option<String>,
}

impl Idempotency {
    /// flexkit's cap; Flexiti documents no length.
    pub const MAX_LEN: usize = 100;

    pub fn new(key: &str, context_hash: Option<&str>) -> Result<Idempotency, FieldError> {
        check_ascii(key, Self::MAX_LEN, "x-idempotency-key")?;
        if let Some(hash) = context_hash {
            check_ascii(hash, Self::MAX_LEN, "x-context-hash")?;
        }
        Ok(Idempotency {
            key: key.to_owned(),
            context_hash: context_hash.map(str::to_owned),
        })
    }
}

/// Headers of the token call (`content-type` and `x-reference-id`), lower-case names.
pub fn token_headers(reference_id: &ReferenceId) -> Vec<(&'static str, String)> {
    vec![
        (
            "content-type",
            "application/x-www-form-urlencoded".to_owned(),
        ),
        ("x-reference-id", reference_id.as_str().to_owned()),
    ]
}

/// Headers of every other call: `authorization`, `x-reference-id` and, when given,
/// `x-idempotency-key` and `x-context-hash`. Lower-case names, in that order.
pub fn call_headers(
    token: &AccessToken,
    reference_id: &ReferenceId,
    idempotency: Option<&Idempotency>,
) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        ("authorization", token.bearer()),
        ("x-reference-id", reference_id.as_str().to_owned()),
    ];
    if let Some(idempotency) = idempotency {
        headers.push(("x-idempotency-key", idempotency.key.clone()));
        if let Some(hash) = &idempotency.context_hash {
            headers.push(("x-context-hash", hash.clone()));
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> Credentials {
        Credentials {
            environment: Environment::Training,
            client_id: ClientId::parse("flexitidemo").unwrap(),
            client_secret: ClientSecret::parse("s3cr3t/+ &=").unwrap(),
        }
    }

    fn at(seconds: i64) -> UtcTimestamp {
        UtcTimestamp::from_unix_seconds(1_700_000_000 + seconds).unwrap()
    }

    fn token() -> AccessToken {
        TokenResponse {
            token_type: "bearer".into(),
            access_token: "abc".into(),
            expires_in: TOKEN_LIFETIME_SECONDS,
            refresh_token: "ref".into(),
            scope: Some("merchant".into()),
        }
        .into_token(Environment::Training, at(0))
    }

    #[test]
    fn token_body_is_form_encoded_exactly() {
        let request = TokenRequest::client_credentials(&credentials(), None);
        assert_eq!(
            request.to_form(),
            "client_id=flexitidemo&client_secret=s3cr3t%2F%2B+%26%3D&grant_type=client_credentials"
        );
        let refresh = TokenRequest {
            grant: Grant::RefreshToken("r/1".into()),
            scope: Some(Scope::Customer),
            ..request
        };
        assert_eq!(
            refresh.to_form(),
            "client_id=flexitidemo&client_secret=s3cr3t%2F%2B+%26%3D&grant_type=refresh_token&refresh_token=r%2F1&scope=customer"
        );
        let (parsed, warnings) = TokenRequest::from_form(&refresh.to_form()).unwrap();
        assert_eq!(parsed, refresh);
        assert!(warnings.problems().is_empty());
    }

    #[test]
    fn token_form_reports_every_problem() {
        let problems = TokenRequest::from_form("grant_type=password&scope=admin&x=1")
            .unwrap_err()
            .into_problems();
        let found: Vec<(&str, &str)> = problems.iter().map(|p| (p.path.as_str(), p.code)).collect();
        assert_eq!(
            found,
            vec![
                ("x", code::UNKNOWN_FIELD),
                ("client_id", code::REQUIRED),
                ("client_secret", code::REQUIRED),
                ("grant_type", code::INVALID_VALUE),
                ("scope", code::INVALID_VALUE),
            ]
        );
        let missing_refresh =
            TokenRequest::from_form("client_id=a&client_secret=b&grant_type=refresh_token")
                .unwrap_err();
        assert_eq!(
            missing_refresh.at("refresh_token").unwrap().code,
            code::REQUIRED
        );
        let conflict =
            TokenRequest::from_form("client_id=a&client_id=b&client_secret=b&refresh_token=x")
                .unwrap_err();
        assert_eq!(conflict.at("client_id").unwrap().code, code::CONFLICT);
        assert_eq!(conflict.at("refresh_token").unwrap().code, code::CONFLICT);
        assert!(TokenRequest::from_form("client_id=%").is_err());
        // Short names that look like fields are named; nothing else of the body is quoted.
        assert!(plausible_field_name("clientsecret") && plausible_field_name("client-id.2"));
        for name in [
            "{\"client_id\":1}",
            "59e6bef262237ddb301f662b333efe82",
            "e6bef262237d",
            "",
            "a b",
        ] {
            assert!(!plausible_field_name(name), "{name}");
        }
    }

    #[test]
    fn a_json_token_body_or_an_unreadable_field_quotes_nothing_of_the_body() {
        let secret = "59e6bef262237ddb301f662b333efe82";
        let json = format!(r#"{{"client_id":"flexitidemo","client_secret":"{secret}"}}"#);
        let pasted = format!("client_id=flexitidemo&{secret}&%7B%22client_secret%22%3A1%7D");
        for body in [json.clone(), format!("  {json}"), "[1]".to_owned(), pasted] {
            let problems = TokenRequest::from_form(&body).unwrap_err().into_problems();
            let unreadable: Vec<_> = problems.iter().filter(|p| p.path.is_empty()).collect();
            assert_eq!(unreadable.len(), 1, "{body}: {problems:?}");
            assert_eq!(unreadable[0].code, code::INVALID_FORMAT);
            assert!(unreadable[0]
                .message
                .contains("must be application/x-www-form-urlencoded"));
            for problem in &problems {
                assert!(!problem.message.contains(secret), "{problem:?}");
                assert!(!problem.path.contains(secret), "{problem:?}");
                assert!(!problem.message.contains("flexitidemo"), "{problem:?}");
            }
        }
        // A field with a plausible name is still named, its value never.
        let problems = TokenRequest::from_form(&format!("client_id=a&clientsecret={secret}"))
            .unwrap_err()
            .into_problems();
        assert_eq!(problems[0].path, "clientsecret");
        assert!(problems.iter().all(|p| !p.message.contains(secret)));
    }

    #[test]
    fn guide_spelling_is_accepted_with_a_warning() {
        let (request, validation) =
            TokenRequest::from_form("client_id=a&client_secret=b&grant_type=client_credential")
                .unwrap();
        assert_eq!(request.grant, Grant::ClientCredentials);
        assert_eq!(validation.warnings().count(), 1);
        assert!(validation.is_ok());
    }

    #[test]
    fn refresh_is_due_in_the_last_minute_and_impossible_after_expiry() {
        let token = token();
        assert_eq!(token.state(at(0)), TokenState::Fresh);
        assert_eq!(token.state(at(1139)), TokenState::Fresh);
        assert_eq!(token.state(at(1140)), TokenState::RefreshDue);
        assert_eq!(token.state(at(1199)), TokenState::RefreshDue);
        assert_eq!(token.state(at(1200)), TokenState::Expired);
        assert_eq!(token.expires_at(), at(1200));
        assert_eq!(token.renewal(&credentials(), at(10)), None);
        assert_eq!(
            token.renewal(&credentials(), at(1150)).unwrap().grant,
            Grant::RefreshToken("ref".into())
        );
        assert_eq!(
            token.renewal(&credentials(), at(5000)).unwrap().grant,
            Grant::ClientCredentials
        );
        let short = AccessToken {
            expires_in: 30,
            ..token
        };
        assert_eq!(short.state(at(0)), TokenState::RefreshDue);
    }

    #[test]
    fn headers_for_every_call() {
        let reference = ReferenceId::generate(&mut SplitMix64::new(9));
        assert_eq!(reference.as_str().len(), 32);
        let headers = call_headers(
            &token(),
            &reference,
            Some(&Idempotency::new("order-1-try-1", Some("h")).unwrap()),
        );
        let names: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            [
                "authorization",
                "x-reference-id",
                "x-idempotency-key",
                "x-context-hash"
            ]
        );
        assert_eq!(headers[0].1, "Bearer abc");
        assert_eq!(call_headers(&token(), &reference, None).len(), 2);
        assert_eq!(
            token_headers(&reference)[0].1,
            "application/x-www-form-urlencoded"
        );
        assert!(ReferenceId::parse(&"a".repeat(33)).is_err());
        assert!(Idempotency::new("", None).is_err());
    }
}
