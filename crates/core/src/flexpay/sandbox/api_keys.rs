//! API keys (reference §12, seed "Integrations"): generated per company and environment,
//! shown once, stored only as a SHA-256 hash, listed without the key, deleted at will.

use core::fmt;

#[cfg(test)]
use serde::Deserializer;
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::flexpay::account::{Environment, GeneratedApiKey};
use crate::time::UtcTimestamp;

use super::accounts::check_name;
use super::error_code as code;
use super::tokens::base64_encode;
use super::{take_id, AdminError, ApiError, Sandbox};

/// Identifies an API key in listings (the key itself is never shown again).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApiKeyId(pub u32);

/// An API key as listed: everything but the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyListing {
    pub id: ApiKeyId,
    pub name: String,
    /// Company code.
    pub company: String,
    pub mode: Environment,
    pub created_at: UtcTimestamp,
}

/// Who is calling: the company and environment an authenticated key belongs to. Obtained
/// from [`Sandbox::authenticate`] and checked again on every use, so a deleted key stops
/// working at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub(crate) key: ApiKeyId,
    pub(crate) company: u16,
    pub(crate) mode: Environment,
}

impl Principal {
    pub fn api_key(&self) -> ApiKeyId {
        self.key
    }

    pub fn mode(&self) -> Environment {
        self.mode
    }
}

/// A SHA-256 digest, written as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct KeyHash(pub [u8; 32]);

impl fmt::Debug for KeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyHash({})", hex(&self.0))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}

pub(crate) fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks(2)) {
        let digit = |c: u8| (c as char).to_digit(16);
        let high = digit(*pair.first()?)?;
        let low = digit(*pair.get(1)?)?;
        *slot = u8::try_from(high * 16 + low).ok()?;
    }
    Some(out)
}

impl Serialize for KeyHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex(&self.0))
    }
}

/// serde's reader, for the tests' comparison with the snapshot's reader.
#[cfg(test)]
impl<'de> Deserialize<'de> for KeyHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        unhex::<32>(&text)
            .map(KeyHash)
            .ok_or_else(|| serde::de::Error::custom("a key hash must be 64 hex digits"))
    }
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ApiKeyRecord {
    pub id: ApiKeyId,
    pub name: String,
    pub company: u16,
    pub mode: Environment,
    pub created_at: UtcTimestamp,
    /// SHA-256 of the key; the key itself is not kept anywhere.
    pub sha256: KeyHash,
}

/// Bytes of randomness in a key: 32, written as 44 characters of base64.
const KEY_BYTES: usize = 32;

impl Sandbox {
    /// Generates an API key for a company and environment. The returned key is the only copy:
    /// the sandbox keeps its SHA-256 hash, and listings never show it.
    pub fn generate_api_key(
        &mut self,
        name: &str,
        company_code: &str,
        mode: Environment,
        now: UtcTimestamp,
    ) -> Result<GeneratedApiKey, AdminError> {
        let name = check_name(name, "API key")?;
        let company = self.company_index(company_code)?;
        // Before any draw: a refusal leaves the sandbox as it was.
        let id = ApiKeyId(take_id(
            &mut self.state.next_api_key_id,
            "API key",
            "nextApiKeyId",
        )?);
        let mut bytes = [0u8; KEY_BYTES];
        for chunk in bytes.chunks_mut(8) {
            let draw = self.state.rng.next_u64() ^ self.secrets.next_u64();
            chunk.copy_from_slice(&draw.to_le_bytes());
        }
        let key = base64_encode(&bytes);
        let hash = sha256(key.as_bytes());
        self.index.key_by_hash.insert(
            hash,
            u32::try_from(self.state.api_keys.len()).unwrap_or(u32::MAX),
        );
        self.state.api_keys.push(ApiKeyRecord {
            id,
            name: name.clone(),
            company,
            mode,
            created_at: now,
            sha256: KeyHash(hash),
        });
        Ok(GeneratedApiKey {
            name,
            company: self.company_code(company).to_owned(),
            mode,
            key,
        })
    }

    /// Every API key, oldest first, without the keys.
    pub fn api_keys(&self) -> Vec<ApiKeyListing> {
        self.state
            .api_keys
            .iter()
            .map(|record| ApiKeyListing {
                id: record.id,
                name: record.name.clone(),
                company: self.company_code(record.company).to_owned(),
                mode: record.mode,
                created_at: record.created_at,
            })
            .collect()
    }

    /// Deletes a key; requests with it get 401 from then on.
    pub fn delete_api_key(&mut self, id: ApiKeyId, _now: UtcTimestamp) -> Result<(), AdminError> {
        let before = self.state.api_keys.len();
        self.state.api_keys.retain(|record| record.id != id);
        if self.state.api_keys.len() == before {
            return Err(AdminError::new(
                code::API_KEY_NOT_FOUND,
                format!(
                    "no API key has the id {}; list the keys to see their ids",
                    id.0
                ),
            ));
        }
        self.rebuild_key_index();
        Ok(())
    }

    pub(crate) fn rebuild_key_index(&mut self) {
        self.index.key_by_hash = self
            .state
            .api_keys
            .iter()
            .enumerate()
            .map(|(position, record)| {
                (record.sha256.0, u32::try_from(position).unwrap_or(u32::MAX))
            })
            .collect();
    }

    /// Checks an API key, given bare or as the `Authorization` value `Basic <key>`.
    ///
    /// Missing or unknown: 401 (`missing_api_key`, `invalid_api_key`). A Production key: 403
    /// (`production_key_refused`) — see the module documentation for why.
    pub fn authenticate(&self, api_key: &str) -> Result<Principal, ApiError> {
        let key = api_key.trim();
        let key = key.strip_prefix("Basic ").map_or(key, str::trim);
        if key.is_empty() {
            return Err(ApiError::new(
                401,
                code::MISSING_API_KEY,
                "no API key was sent; send the key as the Authorization header \"Basic <API key>\"",
            ));
        }
        let record = self
            .index
            .key_by_hash
            .get(&sha256(key.as_bytes()))
            .and_then(|&position| self.state.api_keys.get(position as usize))
            .ok_or_else(|| {
                ApiError::new(
                    401,
                    code::INVALID_API_KEY,
                    "the API key is not valid (mistyped, or deleted); copy it again or generate \
                     a new one under Account Settings > Integrations",
                )
            })?;
        if record.mode == Environment::Production {
            return Err(ApiError::new(
                403,
                code::PRODUCTION_KEY_REFUSED,
                "this is a Production API key and the sandbox only processes Sandbox traffic; \
                 generate a Sandbox key for the same company and use it here",
            ));
        }
        Ok(Principal {
            key: record.id,
            company: record.company,
            mode: record.mode,
        })
    }

    /// Re-checks a principal obtained earlier: its key must still exist.
    pub(crate) fn check_principal(&self, principal: &Principal) -> Result<(), ApiError> {
        if principal.key == super::console::CONSOLE_KEY {
            return Ok(());
        }
        let alive = self
            .state
            .api_keys
            .iter()
            .any(|record| record.id == principal.key);
        if alive {
            Ok(())
        } else {
            Err(ApiError::new(
                401,
                code::INVALID_API_KEY,
                "the API key was deleted; generate a new one under Account Settings > \
                 Integrations",
            ))
        }
    }

    /// Company code of an authenticated caller.
    pub fn principal_company(&self, principal: &Principal) -> &str {
        self.company_code(principal.company)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::t0;

    fn is_base64_shaped(key: &str) -> bool {
        let body = key.trim_end_matches('=');
        key.len() - body.len() <= 2
            && !body.is_empty()
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    }

    #[test]
    fn the_last_id_is_given_once_and_then_refused_leaving_a_state_that_reads_back() {
        use crate::flexpay::account::AutoRetryStatus;
        let mut sandbox = Sandbox::new(4);
        // As an imported document may set them: one id left of each kind.
        sandbox.state.next_api_key_id = u32::MAX - 1;
        sandbox.state.next_auto_retry_id = u32::MAX - 1;
        let key = sandbox
            .generate_api_key("last", "DEFAULT", Environment::Sandbox, t0())
            .unwrap();
        sandbox
            .add_auto_retry(
                "last",
                "DEFAULT",
                Environment::Sandbox,
                AutoRetryStatus::Enabled,
                t0(),
            )
            .unwrap();
        let before = sandbox.to_snapshot();
        let refused = sandbox
            .generate_api_key("one more", "DEFAULT", Environment::Sandbox, t0())
            .unwrap_err();
        assert_eq!(refused.code, code::IDS_EXHAUSTED);
        assert!(
            refused.message.contains("nextApiKeyId is 4294967295"),
            "{}",
            refused.message
        );
        let refused = sandbox
            .add_auto_retry(
                "one more",
                "DEFAULT",
                Environment::Production,
                AutoRetryStatus::Enabled,
                t0(),
            )
            .unwrap_err();
        assert_eq!(refused.code, code::IDS_EXHAUSTED);
        assert!(refused.message.contains("nextAutoRetryId"));
        // Nothing moved, and what was written is read back: the key still works in it.
        assert_eq!(sandbox.to_snapshot(), before);
        let restored = Sandbox::from_snapshot(&before).unwrap();
        assert_eq!(restored.api_keys().len(), 1);
        assert_eq!(restored.api_keys()[0].id.0, u32::MAX - 1);
        assert_eq!(restored.auto_retries().len(), 1);
        assert!(restored.authenticate(&key.key).is_ok());
    }

    #[test]
    fn refusals_quote_a_value_the_caller_gave_cut_to_its_first_60_characters() {
        let (mut sandbox, key) = crate::flexpay::sandbox::test_support::sandbox_with_key();
        let long = "9".repeat(1_000_000);
        let cut = format!("\"{}\"…", "9".repeat(60));
        let messages = [
            sandbox.get_transaction(&key, &long).unwrap_err().message,
            sandbox
                .get_transaction_by_merchant_id(&key, &long)
                .unwrap_err()
                .message,
            sandbox.get_payment_method(&key, &long).unwrap_err().message,
            sandbox
                .generate_api_key("k", &long, Environment::Sandbox, t0())
                .unwrap_err()
                .message,
            sandbox
                .create_company("Acme", &format!("{long}-"), t0())
                .unwrap_err()
                .message,
            sandbox.unlock_user(&long, t0()).unwrap_err().message,
        ];
        // Values of a request body too: a dateFirstAttempt that is not a date, a repeated
        // merchantTransactionId (50129) and an unknown gatewayToken (50143).
        use crate::flexpay::sandbox::test_support::visa_charge;
        let mut undated = visa_charge("mt-undated", 1000);
        undated.date_first_attempt = Some(long.clone());
        let mut unknown_gateway = visa_charge("mt-gateway", 1000);
        unknown_gateway.gateway_token = Some(long.clone());
        sandbox
            .charge(&key, visa_charge(&long, 1000), t0())
            .unwrap();
        let answered = |r: Result<
            crate::flexpay::transaction::TransactionResponse,
            crate::flexpay::sandbox::ApiError,
        >| match r {
            Ok(response) => response.message.unwrap_or_default(),
            Err(error) => error.message,
        };
        let body_messages = [
            answered(sandbox.charge(&key, undated, t0())),
            answered(sandbox.charge(&key, visa_charge(&long, 1000), t0())),
            answered(sandbox.charge(&key, unknown_gateway, t0())),
        ];
        for message in messages.into_iter().chain(body_messages) {
            assert!(message.contains(&cut), "{message}");
            assert!(message.len() < 400, "{} bytes", message.len());
        }
        // A company code is letters and digits, at most 200 of them.
        let refused = sandbox.create_company("Acme", &long, t0()).unwrap_err();
        assert_eq!(refused.code, code::INVALID_COMPANY_CODE);
        assert!(refused
            .message
            .starts_with("the company code has 1000000 characters"));
        // A value within the cut is quoted whole.
        let short = sandbox.get_transaction(&key, "T-1").unwrap_err().message;
        assert!(short.contains("\"T-1\" "), "{short}");
    }

    #[test]
    fn with_entropy_no_snapshot_gives_a_secret_back() {
        let make = |entropy: Option<[u8; 32]>| {
            let mut sandbox = Sandbox::new(9);
            if let Some(entropy) = entropy {
                sandbox.use_entropy(entropy);
            }
            let key = sandbox
                .generate_api_key("CRM", "DEFAULT", Environment::Sandbox, t0())
                .unwrap()
                .key;
            let password = sandbox.suggest_temporary_password();
            (sandbox, key, password)
        };
        // Without entropy the secrets follow from the seed, which the snapshot holds.
        let (plain, plain_key, plain_password) = make(None);
        let (_, again_key, again_password) = make(None);
        assert_eq!((&plain_key, &plain_password), (&again_key, &again_password));
        // With it, the same seed and calls give other secrets each time, and the same
        // snapshot but for the secrets' hashes: the main stream went on as before.
        let (one, one_key, one_password) = make(Some([1; 32]));
        let (two, two_key, two_password) = make(Some([2; 32]));
        assert_ne!(one_key, plain_key);
        assert_ne!(one_key, two_key);
        assert_ne!(one_password, plain_password);
        assert_ne!(one_password, two_password);
        assert_eq!(one.state.rng, plain.state.rng);
        assert_eq!(two.state.rng, plain.state.rng);
        // The key works, and goes on working after its sandbox is restored and given
        // other entropy; a sandbox replayed from the snapshot's seed does not make it.
        let mut restored = Sandbox::from_snapshot(&one.to_snapshot()).unwrap();
        restored.use_entropy([3; 32]);
        assert!(restored.authenticate(&one_key).is_ok());
        assert!(restored.authenticate(&plain_key).is_err());
    }

    #[test]
    fn a_key_is_shown_once_and_only_its_hash_is_kept() {
        let mut sandbox = Sandbox::new(9);
        let key = sandbox
            .generate_api_key("CRM sandbox", "DEFAULT", Environment::Sandbox, t0())
            .unwrap();
        assert!(is_base64_shaped(&key.key), "{}", key.key);
        assert_eq!(key.key.len(), 44);
        let listing = sandbox.api_keys();
        assert_eq!(listing.len(), 1);
        assert_eq!(listing[0].name, "CRM sandbox");
        assert_eq!(listing[0].company, "DEFAULT");
        assert_eq!(listing[0].created_at, t0());
        let listed = serde_json::to_string(&listing).unwrap();
        assert!(!listed.contains(&key.key));
        let stored = serde_json::to_string(&sandbox.state.api_keys).unwrap();
        assert!(!stored.contains(&key.key));
        assert!(stored.contains(&hex(&sha256(key.key.as_bytes()))));
    }

    #[test]
    fn authentication_accepts_the_key_bare_or_as_the_header_value() {
        let mut sandbox = Sandbox::new(9);
        let key = sandbox
            .generate_api_key("crm", "DEFAULT", Environment::Sandbox, t0())
            .unwrap();
        let principal = sandbox.authenticate(&key.key).unwrap();
        assert_eq!(sandbox.principal_company(&principal), "DEFAULT");
        assert_eq!(
            sandbox.authenticate(&key.authorization_header()).unwrap(),
            principal
        );
    }

    #[test]
    fn missing_unknown_deleted_and_production_keys_are_refused() {
        let mut sandbox = Sandbox::new(9);
        let key = sandbox
            .generate_api_key("crm", "DEFAULT", Environment::Sandbox, t0())
            .unwrap();
        let live = sandbox
            .generate_api_key("live", "DEFAULT", Environment::Production, t0())
            .unwrap();
        let missing = sandbox.authenticate("  ").unwrap_err();
        assert_eq!(
            (missing.http_status, missing.code),
            (401, code::MISSING_API_KEY)
        );
        let unknown = sandbox.authenticate("bm90LWEta2V5").unwrap_err();
        assert_eq!(
            (unknown.http_status, unknown.code),
            (401, code::INVALID_API_KEY)
        );
        let production = sandbox.authenticate(&live.key).unwrap_err();
        assert_eq!(
            (production.http_status, production.code),
            (403, code::PRODUCTION_KEY_REFUSED)
        );
        assert!(production.message.contains("Sandbox key"));

        let principal = sandbox.authenticate(&key.key).unwrap();
        let id = sandbox.api_keys()[0].id;
        sandbox.delete_api_key(id, t0()).unwrap();
        assert_eq!(sandbox.authenticate(&key.key).unwrap_err().http_status, 401);
        assert_eq!(
            sandbox.check_principal(&principal).unwrap_err().http_status,
            401
        );
        let again = sandbox.delete_api_key(id, t0()).unwrap_err();
        assert_eq!(again.code, code::API_KEY_NOT_FOUND);
        // The production key is still listed and still refused.
        assert_eq!(sandbox.api_keys().len(), 1);
    }

    #[test]
    fn keys_need_a_name_and_an_existing_company() {
        let mut sandbox = Sandbox::new(9);
        let unknown = sandbox
            .generate_api_key("crm", "NOPE", Environment::Sandbox, t0())
            .unwrap_err();
        assert_eq!(unknown.code, code::COMPANY_NOT_FOUND);
        let blank = sandbox
            .generate_api_key("", "DEFAULT", Environment::Sandbox, t0())
            .unwrap_err();
        assert_eq!(blank.code, code::INVALID_NAME);
    }

    #[test]
    fn hex_round_trips() {
        let bytes = sha256(b"abc");
        assert_eq!(
            hex(&bytes),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(unhex::<32>(&hex(&bytes)), Some(bytes));
        assert_eq!(unhex::<2>("zz00"), None);
        assert_eq!(unhex::<2>("abc"), None);
    }
}
