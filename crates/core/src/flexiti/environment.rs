//! The three Flexiti environments, the POS API's path versions and the endpoint catalogue
//! (reference §2, §5).
//!
//! Objects never cross environments: a customer, plan or transaction created in TRAINING does
//! not exist in MERCHANT INTEGRATION or PRODUCTION. The identifiers Flexiti issues
//! ([`AuthorizationId`], [`CaptureId`], [`ReturnId`](super::ids::ReturnId)) therefore carry
//! the environment they came from, and [`Endpoint::url`] refuses to build a URL that would
//! send one of them to another environment.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::form;
use super::ids::{AccountNumber, AuthorizationId, CaptureId, ClientId};

/// A Flexiti POS API environment, each with its own credentials and its own data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Environment {
    /// Test objects, scrubbed daily; same code base as production.
    Training,
    /// Test objects that persist; receives pre-release code first.
    MerchantIntegration,
    /// Real customers and money; applications reach the credit bureau.
    Production,
}

crate::read_json_enum!(Environment {
    Training = "TRAINING",
    MerchantIntegration = "MERCHANT_INTEGRATION",
    Production = "PRODUCTION",
});

impl Environment {
    pub const ALL: [Environment; 3] = [
        Environment::Training,
        Environment::MerchantIntegration,
        Environment::Production,
    ];

    /// The POS API base URL, with the trailing slash the documentation prints; the version
    /// segment follows it directly.
    pub const fn base_url(self) -> &'static str {
        match self {
            Environment::Training => "https://posapi-training.flexiti.fi/flexiti/pos-api/",
            Environment::MerchantIntegration => "https://posapi-mi.flexiti.fi/flexiti/pos-api/",
            Environment::Production => "https://posapi.flexiti.fi/flexiti/pos-api/",
        }
    }

    /// The developer portal that issues this environment's client id and secret. Production
    /// keys are issued after acceptance testing, not through a public portal.
    pub const fn developer_portal(self) -> Option<&'static str> {
        match self {
            Environment::Training => Some("https://developer.flexiti.fi/"),
            Environment::MerchantIntegration => Some("https://developer-mi.flexiti.fi/"),
            Environment::Production => None,
        }
    }

    /// The name Flexiti's documentation uses.
    pub const fn name(self) -> &'static str {
        match self {
            Environment::Training => "TRAINING",
            Environment::MerchantIntegration => "MERCHANT INTEGRATION",
            Environment::Production => "PRODUCTION",
        }
    }

    /// Whether the environment only holds test objects.
    pub const fn is_test(self) -> bool {
        !matches!(self, Environment::Production)
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The version segment of a POS API path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiVersion {
    #[serde(rename = "v2.5")]
    V2_5,
    #[serde(rename = "v2.5.1")]
    V2_5_1,
}

impl ApiVersion {
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V2_5 => "v2.5",
            ApiVersion::V2_5_1 => "v2.5.1",
        }
    }
}

/// HTTP method of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One POS API endpoint with its path parameters.
///
/// Versions follow release R22.4.0: `calculate-interest`, `authorization` (post and get),
/// `authorizations`, `captures` and `transactions` are on v2.5.1 (v2.5 is deprecated for
/// them); release, capture, return and refund were never moved and stay on v2.5, as do the
/// token and customer endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST v2.5/oauth/token`.
    Token,
    /// `GET v2.5/client-id/{client_id}/customers/search`.
    CustomerSearch,
    /// `GET v2.5/client-id/{client_id}/customers/lookup`.
    CustomerLookup,
    /// `POST v2.5/client-id/{client_id}/account/{account_number}/verify` (singular
    /// `account`, as documented).
    AccountVerify { account_number: AccountNumber },
    /// `POST v2.5.1/client-id/{client_id}/accounts/{account_number}/calculate-interest`.
    CalculateInterest { account_number: AccountNumber },
    /// `POST v2.5.1/client-id/{client_id}/transactions`.
    Transactions,
    /// `POST v2.5.1/client-id/{client_id}/authorization`.
    Authorization,
    /// `POST v2.5/client-id/{client_id}/authorization/{authorization_id}/release`.
    Release { authorization_id: AuthorizationId },
    /// `POST v2.5/client-id/{client_id}/authorization/{authorization_id}/capture`.
    Capture { authorization_id: AuthorizationId },
    /// `POST v2.5/client-id/{client_id}/authorization/{authorization_id}/capture/{capture_id}/return`.
    Return {
        authorization_id: AuthorizationId,
        capture_id: CaptureId,
    },
    /// `POST v2.5/client-id/{client_id}/accounts/{account_number}/refund`.
    Refund { account_number: AccountNumber },
    /// `GET v2.5.1/client-id/{client_id}/authorizations`.
    Authorizations,
    /// `GET v2.5.1/client-id/{client_id}/authorization/{authorization_id}`.
    AuthorizationDetail { authorization_id: AuthorizationId },
    /// `GET v2.5.1/client-id/{client_id}/captures`.
    Captures,
}

/// A URL that would carry an object of one environment into another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvironmentMismatch {
    /// The environment the call goes to.
    pub target: Environment,
    /// The environment the object came from.
    pub object: Environment,
}

impl EnvironmentMismatch {
    pub const fn code(&self) -> &'static str {
        "environment_mismatch"
    }
}

impl fmt::Display for EnvironmentMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the call goes to {} but uses an object from {}; objects do not cross Flexiti \
             environments, so use an id issued by {} (and that environment's credentials)",
            self.target, self.object, self.target
        )
    }
}

impl std::error::Error for EnvironmentMismatch {}

impl Endpoint {
    pub const fn method(&self) -> Method {
        match self {
            Endpoint::CustomerSearch
            | Endpoint::CustomerLookup
            | Endpoint::Authorizations
            | Endpoint::AuthorizationDetail { .. }
            | Endpoint::Captures => Method::Get,
            _ => Method::Post,
        }
    }

    pub const fn version(&self) -> ApiVersion {
        match self {
            Endpoint::CalculateInterest { .. }
            | Endpoint::Transactions
            | Endpoint::Authorization
            | Endpoint::Authorizations
            | Endpoint::AuthorizationDetail { .. }
            | Endpoint::Captures => ApiVersion::V2_5_1,
            _ => ApiVersion::V2_5,
        }
    }

    /// Whether a `customer`-scope token may call it (reference §4.3); the others need a
    /// `merchant`-scope token, which must stay on a server.
    pub const fn allows_customer_scope(&self) -> bool {
        matches!(
            self,
            Endpoint::CalculateInterest { .. }
                | Endpoint::AccountVerify { .. }
                | Endpoint::Authorization
        )
    }

    /// Whether the endpoint documents the `lang` query parameter (reference §3.2: `en`, the
    /// default, or `fr`; it selects the language of option lists and of `message` texts):
    /// `customers/lookup`, the history lists and `GET authorization/{id}` read it as part of
    /// their query types, and `calculate-interest`, `transactions` and `authorization` take
    /// it next to their JSON body (§6.5, §6.9, §6.11, §6.12, §6.17). The others document none.
    pub const fn takes_lang(&self) -> bool {
        matches!(
            self,
            Endpoint::CustomerLookup
                | Endpoint::Authorizations
                | Endpoint::AuthorizationDetail { .. }
                | Endpoint::Captures
                | Endpoint::CalculateInterest { .. }
                | Endpoint::Transactions
                | Endpoint::Authorization
        )
    }

    /// The environments of the Flexiti-issued ids in the path.
    fn object_environments(&self) -> Vec<Environment> {
        match self {
            Endpoint::Release { authorization_id }
            | Endpoint::Capture { authorization_id }
            | Endpoint::AuthorizationDetail { authorization_id } => {
                vec![authorization_id.environment()]
            }
            Endpoint::Return {
                authorization_id,
                capture_id,
            } => vec![authorization_id.environment(), capture_id.environment()],
            _ => Vec::new(),
        }
    }

    /// The path below the base URL, starting with the version segment, without a query:
    /// `v2.5/client-id/flexitidemo/authorization/42/capture`. Path parameters are
    /// percent-encoded.
    pub fn path(&self, client_id: &ClientId) -> String {
        let version = self.version().as_str();
        if *self == Endpoint::Token {
            return format!("{version}/oauth/token");
        }
        let client = form::encode_component(client_id.as_str());
        let resource = match self {
            Endpoint::Token => String::new(),
            Endpoint::CustomerSearch => "customers/search".to_owned(),
            Endpoint::CustomerLookup => "customers/lookup".to_owned(),
            Endpoint::AccountVerify { account_number } => {
                format!("account/{account_number}/verify")
            }
            Endpoint::CalculateInterest { account_number } => {
                format!("accounts/{account_number}/calculate-interest")
            }
            Endpoint::Transactions => "transactions".to_owned(),
            Endpoint::Authorization => "authorization".to_owned(),
            Endpoint::Release { authorization_id } => {
                format!("authorization/{}/release", authorization_id.number())
            }
            Endpoint::Capture { authorization_id } => {
                format!("authorization/{}/capture", authorization_id.number())
            }
            Endpoint::Return {
                authorization_id,
                capture_id,
            } => format!(
                "authorization/{}/capture/{}/return",
                authorization_id.number(),
                capture_id.number()
            ),
            Endpoint::Refund { account_number } => format!("accounts/{account_number}/refund"),
            Endpoint::Authorizations => "authorizations".to_owned(),
            Endpoint::AuthorizationDetail { authorization_id } => {
                format!("authorization/{}", authorization_id.number())
            }
            Endpoint::Captures => "captures".to_owned(),
        };
        format!("{version}/client-id/{client}/{resource}")
    }

    /// The full URL in `environment`, with `query` form-encoded after `?` when not empty.
    pub fn url(
        &self,
        environment: Environment,
        client_id: &ClientId,
        query: &[(&str, String)],
    ) -> Result<String, EnvironmentMismatch> {
        if let Some(object) = self
            .object_environments()
            .into_iter()
            .find(|object| *object != environment)
        {
            return Err(EnvironmentMismatch {
                target: environment,
                object,
            });
        }
        let mut url = format!("{}{}", environment.base_url(), self.path(client_id));
        if !query.is_empty() {
            url.push('?');
            url.push_str(&form::encode(query.iter().map(|(k, v)| (*k, v.as_str()))));
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> ClientId {
        ClientId::parse("flexitidemo").unwrap()
    }

    #[test]
    fn base_urls_and_versions_follow_the_reference() {
        assert_eq!(
            Endpoint::Token
                .url(Environment::MerchantIntegration, &client(), &[])
                .unwrap(),
            "https://posapi-mi.flexiti.fi/flexiti/pos-api/v2.5/oauth/token"
        );
        assert_eq!(
            Endpoint::Authorization
                .url(Environment::Production, &client(), &[("lang", "fr".into())])
                .unwrap(),
            "https://posapi.flexiti.fi/flexiti/pos-api/v2.5.1/client-id/flexitidemo/authorization?lang=fr"
        );
        let auth = AuthorizationId::new(Environment::Training, 1234567890123456);
        let capture = CaptureId::new(Environment::Training, 987654321);
        assert_eq!(
            Endpoint::Return {
                authorization_id: auth,
                capture_id: capture
            }
            .url(Environment::Training, &client(), &[])
            .unwrap(),
            "https://posapi-training.flexiti.fi/flexiti/pos-api/v2.5/client-id/flexitidemo/authorization/1234567890123456/capture/987654321/return"
        );
        let account = AccountNumber::parse("12345678901234").unwrap();
        assert_eq!(
            Endpoint::AccountVerify {
                account_number: account
            }
            .path(&client()),
            "v2.5/client-id/flexitidemo/account/12345678901234/verify"
        );
        assert_eq!(
            Endpoint::CalculateInterest {
                account_number: account
            }
            .path(&client()),
            "v2.5.1/client-id/flexitidemo/accounts/12345678901234/calculate-interest"
        );
        assert_eq!(Endpoint::Captures.method(), Method::Get);
        assert!(!Endpoint::Captures.allows_customer_scope());
        assert!(Endpoint::Authorization.allows_customer_scope());
        assert!(Endpoint::Authorization.takes_lang() && Endpoint::Captures.takes_lang());
        assert!(!Endpoint::CustomerSearch.takes_lang() && !Endpoint::Token.takes_lang());
        assert!(!Endpoint::Refund {
            account_number: account
        }
        .takes_lang());
    }

    #[test]
    fn ids_never_cross_environments() {
        let auth = AuthorizationId::new(Environment::Training, 7);
        let err = Endpoint::Capture {
            authorization_id: auth,
        }
        .url(Environment::Production, &client(), &[])
        .unwrap_err();
        assert_eq!(
            err,
            EnvironmentMismatch {
                target: Environment::Production,
                object: Environment::Training
            }
        );
        assert!(err.to_string().contains("use an id issued by PRODUCTION"));
        let mixed = Endpoint::Return {
            authorization_id: AuthorizationId::new(Environment::Production, 1),
            capture_id: CaptureId::new(Environment::Training, 2),
        };
        assert!(mixed.url(Environment::Production, &client(), &[]).is_err());
        assert!(mixed.url(Environment::Training, &client(), &[]).is_err());
    }

    #[test]
    fn environments_serialize_by_their_documented_names() {
        assert_eq!(
            serde_json::to_string(&Environment::MerchantIntegration).unwrap(),
            "\"MERCHANT_INTEGRATION\""
        );
        assert_eq!(
            Environment::MerchantIntegration.to_string(),
            "MERCHANT INTEGRATION"
        );
        assert!(Environment::Training.is_test() && !Environment::Production.is_test());
    }
}
