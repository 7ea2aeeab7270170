//! What the portal remembers: the embedded FlexPay sandbox and the console's own settings
//! (company, mode, simulated clock, certification results), saved as one JSON document.

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::sandbox::scenarios::ScenarioReport;
use flexkit_core::flexpay::sandbox::Sandbox;
use flexkit_core::UtcTimestamp;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// Version of the saved document. A newer one is refused rather than half-read.
pub const SCHEMA_VERSION: u32 = 1;

/// Seed of a fresh sandbox: ids and tokens are deterministic for a given history.
const SANDBOX_SEED: u64 = 0x00F1_E7C1;

/// The console's settings, saved with the sandbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Company code every page is scoped to.
    pub company: String,
    /// Sandbox or Production data: one never shows in the other.
    pub mode: Environment,
    /// How far the simulated clock runs ahead of the browser's clock.
    pub clock_offset_ms: i64,
    /// The latest Integration Guide certification run.
    #[serde(default)]
    pub certification: Vec<ScenarioReport>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            company: "DEFAULT".to_owned(),
            mode: Environment::Sandbox,
            clock_offset_ms: 0,
            certification: Vec::new(),
        }
    }
}

/// Everything the portal holds in memory.
#[derive(Clone, Debug)]
pub struct Portal {
    pub sandbox: Sandbox,
    pub settings: Settings,
}

impl Default for Portal {
    fn default() -> Self {
        Portal {
            sandbox: Sandbox::new(SANDBOX_SEED),
            settings: Settings::default(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DocumentOut<'a> {
    schema_version: u32,
    settings: &'a Settings,
    flexpay_sandbox: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VersionProbe {
    schema_version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DocumentIn<'a> {
    #[allow(dead_code)]
    schema_version: u32,
    settings: Settings,
    #[serde(borrow)]
    flexpay_sandbox: &'a RawValue,
}

impl Portal {
    /// The saved document: settings plus the sandbox snapshot, embedded verbatim.
    pub fn to_document(&self) -> String {
        let snapshot = self.sandbox.to_snapshot();
        let Ok(raw) = RawValue::from_string(snapshot) else {
            return String::new();
        };
        serde_json::to_string(&DocumentOut {
            schema_version: SCHEMA_VERSION,
            settings: &self.settings,
            flexpay_sandbox: &raw,
        })
        .unwrap_or_default()
    }

    /// Reads a saved or exported document. Nothing is half-loaded: any problem is an error
    /// and the caller keeps what it had.
    pub fn from_document(text: &str) -> Result<Portal, String> {
        let probe: VersionProbe = serde_json::from_str(text)
            .map_err(|e| format!("the saved data is not valid JSON ({e})"))?;
        match probe.schema_version.as_ref().and_then(|v| v.as_u64()) {
            None => {
                return Err(
                    "the saved data has no schemaVersion: it is not a flexkit portal document"
                        .to_owned(),
                )
            }
            Some(v) if v > u64::from(SCHEMA_VERSION) => {
                return Err(format!(
                    "the saved data was written by a newer flexkit (schema version {v}, this portal reads {SCHEMA_VERSION}); update the portal to open it"
                ))
            }
            Some(_) => {}
        }
        let doc: DocumentIn<'_> =
            serde_json::from_str(text).map_err(|e| format!("the saved data is damaged ({e})"))?;
        let sandbox = Sandbox::from_snapshot(doc.flexpay_sandbox.get())
            .map_err(|e| format!("the saved sandbox cannot be loaded ({e})"))?;
        let mut portal = Portal {
            sandbox,
            settings: doc.settings,
        };
        if !portal.company_exists(&portal.settings.company) {
            portal.settings.company = "DEFAULT".to_owned();
        }
        Ok(portal)
    }

    pub fn company_exists(&self, code: &str) -> bool {
        self.sandbox.companies().iter().any(|c| c.code == code)
    }

    /// The simulated clock: the browser's clock plus the offset the user advanced it by.
    pub fn now(&self, wall_clock: UtcTimestamp) -> UtcTimestamp {
        wall_clock
            .checked_add_millis(self.settings.clock_offset_ms)
            .unwrap_or(wall_clock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_round_trips() {
        let mut portal = Portal::default();
        portal
            .sandbox
            .create_company(
                "Brand B",
                "BRANDB",
                UtcTimestamp::from_unix_seconds(1_700_000_000).unwrap(),
            )
            .unwrap();
        portal.settings.company = "BRANDB".to_owned();
        portal.settings.clock_offset_ms = 86_400_000;
        let text = portal.to_document();
        let back = Portal::from_document(&text).expect("reads back");
        assert_eq!(back.settings, portal.settings);
        assert_eq!(back.to_document(), text);
    }

    #[test]
    fn damaged_or_newer_documents_are_refused_with_a_reason() {
        assert!(Portal::from_document("{")
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(Portal::from_document("{}")
            .unwrap_err()
            .contains("schemaVersion"));
        assert!(Portal::from_document(r#"{"schemaVersion": 9}"#)
            .unwrap_err()
            .contains("newer flexkit"));
        let good = Portal::default().to_document();
        let truncated = &good[..good.len() / 2];
        assert!(Portal::from_document(truncated).is_err());
        let bad_sandbox = good.replace(
            "\"schemaVersion\":1,\"seed\"",
            "\"schemaVersion\":1,\"sed\"",
        );
        assert!(Portal::from_document(&bad_sandbox).is_err());
    }
}
