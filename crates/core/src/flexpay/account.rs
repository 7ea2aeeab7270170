//! Account settings (reference §12): companies, API keys and FlexPay Retries (auto-retry).
//!
//! FlexPay manages these in its client portal only; no API for them is published. The JSON
//! shape here is therefore the toolkit's own, in FlexPay's camelCase style, shared by the
//! portal and the npm package. A company is referred to by its code.

use core::fmt;

use serde::{Deserialize, Serialize};

/// The environment an API key or an auto-retry configuration belongs to. The API key alone
/// selects it: both environments share one host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Environment {
    Sandbox,
    Production,
}

impl Environment {
    /// The portal header's toggle calls production "Live".
    pub fn portal_label(self) -> &'static str {
        match self {
            Environment::Sandbox => "Sandbox",
            Environment::Production => "Live",
        }
    }
}

/// A company: a brand or division of the account with its own gateways, recovery settings,
/// reports and API keys. Every account starts with a "Default Company".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub name: String,
    /// Short identifier, also the prefix of Quick Start batch file names. The portal asks
    /// for letters and digits only, yet its own batch example uses `FP_01`, so the toolkit
    /// does not police the character set here.
    pub code: String,
}

/// The portal's "Generate API key" form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyRequest {
    pub name: String,
    /// Code of the company the key sends traffic for.
    pub company: String,
    pub mode: Environment,
}

/// An API key right after generation: the only time the key itself is visible. Keep it
/// somewhere safe; listings never show it again ([`ApiKeyEntry`]).
///
/// `Debug` hides the key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedApiKey {
    pub name: String,
    pub company: String,
    pub mode: Environment,
    /// Base64-looking; sent verbatim as `Authorization: Basic <key>`.
    pub key: String,
}

impl GeneratedApiKey {
    /// The value of the `Authorization` header. The key is already encoded, so it is not
    /// wrapped in `user:password` encoding.
    pub fn authorization_header(&self) -> String {
        format!("Basic {}", self.key)
    }

    /// How the key appears in listings from now on.
    pub fn entry(&self) -> ApiKeyEntry {
        ApiKeyEntry {
            name: self.name.clone(),
            company: self.company.clone(),
            mode: self.mode,
        }
    }
}

impl fmt::Debug for GeneratedApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedApiKey")
            .field("name", &self.name)
            .field("company", &self.company)
            .field("mode", &self.mode)
            .field("key", &"<hidden>")
            .finish()
    }
}

/// An API key as listed after generation: no key. A stray `key` in input is ignored and never
/// written back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyEntry {
    pub name: String,
    pub company: String,
    pub mode: Environment,
}

/// Whether FlexPay schedules and fires the retries of a company itself. The portal asks for
/// a status without publishing its values; these are the toolkit's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AutoRetryStatus {
    /// Every transaction sent for the company is scheduled and retried by FlexPay — the
    /// merchant's own scheduler must then stop retrying.
    Enabled,
    Disabled,
}

/// A FlexPay Retries (auto-retry) configuration, for accounts set up for the scheduler.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoRetryConfig {
    pub name: String,
    /// Company code.
    pub company: String,
    pub environment: Environment,
    pub status: AutoRetryStatus,
}

/// FlexPay allows one auto-retry configuration per company and environment. Returns the
/// positions of the first two configurations that break that rule.
pub fn find_duplicate_auto_retry(configs: &[AutoRetryConfig]) -> Option<(usize, usize)> {
    configs.iter().enumerate().find_map(|(i, first)| {
        configs
            .iter()
            .enumerate()
            .skip(i + 1)
            .find(|(_, second)| {
                second.company == first.company && second.environment == first.environment
            })
            .map(|(j, _)| (i, j))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::wire::assert_wire;
    use serde_json::json;

    fn generated() -> GeneratedApiKey {
        GeneratedApiKey {
            name: "CRM production".into(),
            company: "DEFAULT".into(),
            mode: Environment::Production,
            key: "q8Zk3VbN1xR7tYp2Lm5Wc9Hd4Gf6Js0A+/Ue==".into(),
        }
    }

    #[test]
    fn company_round_trips() {
        assert_wire(
            &Company {
                name: "Northwind Subscriptions".into(),
                code: "NWS01".into(),
            },
            json!({"name": "Northwind Subscriptions", "code": "NWS01"}),
        );
    }

    #[test]
    fn api_key_request_generation_and_listing() {
        assert_wire(
            &ApiKeyRequest {
                name: "CRM production".into(),
                company: "DEFAULT".into(),
                mode: Environment::Production,
            },
            json!({"name": "CRM production", "company": "DEFAULT", "mode": "Production"}),
        );

        let key = generated();
        assert_wire(
            &key,
            json!({
                "name": "CRM production",
                "company": "DEFAULT",
                "mode": "Production",
                "key": "q8Zk3VbN1xR7tYp2Lm5Wc9Hd4Gf6Js0A+/Ue=="
            }),
        );
        assert_eq!(
            key.authorization_header(),
            "Basic q8Zk3VbN1xR7tYp2Lm5Wc9Hd4Gf6Js0A+/Ue=="
        );
        assert!(!format!("{key:?}").contains("q8Zk3"));

        let entry = key.entry();
        assert_wire(
            &entry,
            json!({"name": "CRM production", "company": "DEFAULT", "mode": "Production"}),
        );
        let with_stray_key: ApiKeyEntry =
            serde_json::from_value(serde_json::to_value(&key).unwrap()).unwrap();
        assert_eq!(with_stray_key, entry);
        assert!(serde_json::to_value(&with_stray_key)
            .unwrap()
            .get("key")
            .is_none());
        assert!(
            serde_json::from_value::<GeneratedApiKey>(serde_json::to_value(&entry).unwrap())
                .is_err()
        );
    }

    #[test]
    fn environments_and_their_portal_labels() {
        assert_eq!(
            serde_json::to_value(Environment::Sandbox).unwrap(),
            "Sandbox"
        );
        assert_eq!(Environment::Production.portal_label(), "Live");
        assert!(serde_json::from_value::<Environment>(json!("Live")).is_err());
    }

    #[test]
    fn auto_retry_configuration() {
        let sandbox = AutoRetryConfig {
            name: "Scheduler sandbox".into(),
            company: "DEFAULT".into(),
            environment: Environment::Sandbox,
            status: AutoRetryStatus::Enabled,
        };
        assert_wire(
            &sandbox,
            json!({
                "name": "Scheduler sandbox",
                "company": "DEFAULT",
                "environment": "Sandbox",
                "status": "Enabled"
            }),
        );

        let production = AutoRetryConfig {
            name: "Scheduler live".into(),
            environment: Environment::Production,
            status: AutoRetryStatus::Disabled,
            ..sandbox.clone()
        };
        let other_company = AutoRetryConfig {
            company: "NWS01".into(),
            ..sandbox.clone()
        };
        let configs = [sandbox.clone(), production, other_company];
        assert_eq!(find_duplicate_auto_retry(&configs), None);
        let mut with_second_sandbox = configs.to_vec();
        with_second_sandbox.push(AutoRetryConfig {
            name: "Another sandbox".into(),
            ..sandbox
        });
        assert_eq!(
            find_duplicate_auto_retry(&with_second_sandbox),
            Some((0, 3))
        );
        assert_eq!(find_duplicate_auto_retry(&[]), None);
    }
}
