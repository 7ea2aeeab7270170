//! What the portal remembers: the embedded FlexPay and Flexiti sandboxes and the console's own
//! settings (company, mode, simulated clock, certification results, Flexiti credentials),
//! saved as one JSON document.
//!
//! Document versions:
//! - 1: `settings` and `flexpaySandbox`;
//! - 2: adds `flexitiSandbox` (the Flexiti TRAINING sandbox's snapshot, embedded verbatim) and
//!   `settings.flexiti`. A version 1 document loads with a fresh Flexiti sandbox and no
//!   Flexiti credentials; a portal that reads only version 1 refuses a version 2 document as
//!   newer instead of calling it damaged.
//! - 3: `settings.certificationRuns`, the latest certification run of each company and
//!   environment, replaces `settings.certification`, the one run of the whole account. An
//!   older document's run is attached to the company and environment holding its first
//!   transaction, else to the Default Company's Sandbox (`state_v2.json` is such a document).
//! - 4: `settings.company` is `null` when the header shows All companies. Older documents name
//!   one company and load as they are (`state_v3.json` is such a document); a portal that
//!   reads only version 3 refuses a version 4 document as newer instead of calling it damaged.

use core::fmt;

use flexkit_core::flexiti::sandbox::{
    CallContext, Sandbox as FlexitiSandbox, SnapshotError as FlexitiSnapshotError,
};
use flexkit_core::flexiti::{
    AccessToken, AccountNumber, ApiError, ClientId, ClientSecret, Credentials,
    Environment as FlexitiEnvironment, Scope, TokenRequest, TokenState,
};
use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::sandbox::accounts::DEFAULT_COMPANY_CODE;
use flexkit_core::flexpay::sandbox::scenarios::ScenarioReport;
use flexkit_core::flexpay::sandbox::{CompanyScope, Sandbox, SnapshotError};
use flexkit_core::json_objects::plain_words;
use flexkit_core::json_path::{offset_at, Levels};
use flexkit_core::json_reader::{self, ReadError, Reader};
use flexkit_core::json_writer;
use flexkit_core::read_json_struct;
use flexkit_core::UtcTimestamp;
#[cfg(test)]
use serde::Deserialize;
use serde::Serialize;
#[cfg(test)]
use serde_json::value::RawValue;

/// Version of the saved document. A newer one is refused rather than half-read.
pub const SCHEMA_VERSION: u32 = 4;

/// Seed of a fresh sandbox: ids and tokens are deterministic for a given history.
const SANDBOX_SEED: u64 = 0x00F1_E7C1;
/// Seed of a fresh Flexiti sandbox (its client secret, tokens and ids).
const FLEXITI_SEED: u64 = 0x00F1_E717;

/// The console's settings, saved with the sandbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// Code of the company every page reads; `None`: All companies (document version 4).
    pub company: Option<String>,
    /// Sandbox or Production data: one never shows in the other.
    pub mode: Environment,
    /// How far the simulated clock runs ahead of the browser's clock.
    pub clock_offset_ms: i64,
    /// The latest Integration Guide certification run of each company and environment
    /// (document version 3).
    #[serde(default)]
    pub certification_runs: Vec<CertificationRun>,
    /// Versions 1 and 2: one run for the whole account, read only to be attached to its
    /// company and environment on load.
    #[serde(default, rename = "certification", skip_serializing)]
    legacy_certification: Vec<ScenarioReport>,
    /// Flexiti environment, credentials and the current access token (document version 2).
    #[serde(default)]
    pub flexiti: FlexitiSettings,
}

/// A company's latest certification run in one environment. Runs use the Sandbox, where their
/// transactions are; Production never has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertificationRun {
    /// Code of the company whose API key sent the run.
    pub company: String,
    pub mode: Environment,
    /// The steps run so far, in order.
    pub reports: Vec<ScenarioReport>,
}

// The saved document is read by the core's small JSON reader, not serde's derived readers
// (the portal's largest reader of JSON): the same keys, defaults and refusals as the serde
// attributes above, which write it. `tests::document_readers_agree` holds them together.
read_json_struct!(Settings, deny_unknown = true, {
    company: "company" or None,
    mode: "mode",
    clock_offset_ms: "clockOffsetMs",
    certification_runs: "certificationRuns" or Vec::new(),
    legacy_certification: "certification" or Vec::new(),
    flexiti: "flexiti" or FlexitiSettings::default(),
});

read_json_struct!(CertificationRun, deny_unknown = true, {
    company: "company",
    mode: "mode",
    reports: "reports",
});

impl Settings {
    /// The companies the pages read: the header's choice.
    pub fn scope(&self) -> CompanyScope<'_> {
        CompanyScope::of(self.company.as_deref())
    }

    /// The latest run of `company` in `mode`, if it has one.
    pub fn certification_run(&self, company: &str, mode: Environment) -> Option<&CertificationRun> {
        self.certification_runs
            .iter()
            .find(|r| r.mode == mode && r.company.eq_ignore_ascii_case(company))
    }

    /// The run of `company` in `mode`, started empty if it has none: a new run clears its
    /// reports, and each step adds its own.
    pub fn certification_run_mut(
        &mut self,
        company: &str,
        mode: Environment,
    ) -> &mut CertificationRun {
        let position = self
            .certification_runs
            .iter()
            .position(|r| r.mode == mode && r.company.eq_ignore_ascii_case(company))
            .unwrap_or_else(|| {
                self.certification_runs.push(CertificationRun {
                    company: company.to_owned(),
                    mode,
                    reports: Vec::new(),
                });
                self.certification_runs.len() - 1
            });
        &mut self.certification_runs[position]
    }
}

/// The Flexiti section's settings. The client secret is kept (a token can only be renewed
/// after expiry with it) but no page ever renders it: pages only ask [`Self::secret_saved`].
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FlexitiSettings {
    pub environment: FlexitiEnvironment,
    /// Empty until credentials are saved.
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    /// The latest access token and when it was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<AccessToken>,
}

read_json_struct!(FlexitiSettings, deny_unknown = true, {
    environment: "environment",
    client_id: "clientId",
    client_secret: "clientSecret" or None,
    token: "token" or None,
});

impl Default for FlexitiSettings {
    fn default() -> Self {
        FlexitiSettings {
            environment: FlexitiEnvironment::Training,
            client_id: String::new(),
            client_secret: None,
            token: None,
        }
    }
}

/// Never prints the secret.
impl fmt::Debug for FlexitiSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlexitiSettings")
            .field("environment", &self.environment)
            .field("client_id", &self.client_id)
            .field("secret_saved", &self.secret_saved())
            .field("token", &self.token.as_ref().map(|t| t.issued_at))
            .finish()
    }
}

impl FlexitiSettings {
    /// Whether a client secret is saved (its value is never shown).
    pub fn secret_saved(&self) -> bool {
        self.client_secret.is_some()
    }

    /// Whether credentials were saved.
    pub fn configured(&self) -> bool {
        !self.client_id.is_empty() && self.secret_saved()
    }
}

/// Why a Flexiti call from the portal could not be made or was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlexitiError {
    /// No client id and secret saved yet.
    NotConfigured,
    /// The saved environment is not the embedded TRAINING sandbox.
    OtherEnvironment(FlexitiEnvironment),
    /// The sandbox's answer.
    Api(ApiError),
}

impl fmt::Display for FlexitiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlexitiError::NotConfigured => f.write_str(
                "no Flexiti credentials are saved: enter the client id and secret on the Flexiti overview",
            ),
            FlexitiError::OtherEnvironment(environment) => write!(
                f,
                "the portal embeds the TRAINING sandbox only; {environment} is reached from your server with its own keys. Switch the environment to TRAINING"
            ),
            FlexitiError::Api(error) => {
                write!(f, "{} {}: {}", error.status, error.code(), error.message)
            }
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            company: Some(DEFAULT_COMPANY_CODE.to_owned()),
            mode: Environment::Sandbox,
            clock_offset_ms: 0,
            certification_runs: Vec::new(),
            legacy_certification: Vec::new(),
            flexiti: FlexitiSettings::default(),
        }
    }
}

/// Everything the portal holds in memory.
#[derive(Clone, Debug)]
pub struct Portal {
    pub sandbox: Sandbox,
    /// The Flexiti TRAINING sandbox.
    pub flexiti: FlexitiSandbox,
    pub settings: Settings,
}

impl Default for Portal {
    fn default() -> Self {
        Portal {
            sandbox: Sandbox::new(SANDBOX_SEED),
            flexiti: FlexitiSandbox::new(FLEXITI_SEED),
            settings: Settings::default(),
        }
    }
}

/// The document as serde_json writes it, which [`Portal::to_document`] writes by hand.
#[cfg(test)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DocumentOut<'a> {
    schema_version: u32,
    settings: &'a Settings,
    flexpay_sandbox: &'a RawValue,
    flexiti_sandbox: &'a RawValue,
}

/// The document's `schemaVersion`, read before the rest: the text of its value (`None` when
/// absent or `null`). The whole text is checked as JSON on the way.
fn version_probe(text: &str) -> json_reader::Read<Option<&str>> {
    let mut r = Reader::new(text);
    let mut version = None;
    r.object(
        "struct VersionProbe",
        &["schemaVersion"],
        0,
        false,
        &mut |r, _| {
            version = if r.null()? { None } else { Some(r.raw()?) };
            Ok(())
        },
    )?;
    r.end()?;
    Ok(version)
}

/// The document's parts: its settings and the two sandboxes' snapshots as written (the
/// Flexiti one absent in version 1 documents).
struct DocumentIn<'a> {
    settings: Settings,
    flexpay_sandbox: &'a str,
    flexiti_sandbox: Option<&'a str>,
}

fn read_document(text: &str) -> json_reader::Read<DocumentIn<'_>> {
    let mut r = Reader::new(text);
    let mut settings = None;
    let (mut flexpay_sandbox, mut flexiti_sandbox) = ("", None);
    r.object(
        "struct DocumentIn",
        &[
            "schemaVersion",
            "settings",
            "flexpaySandbox",
            "flexitiSandbox",
        ],
        0b0111,
        true,
        &mut |r, index| {
            match index {
                0 => {
                    r.u32()?;
                }
                1 => settings = Some(json_reader::ReadJson::read_json(r)?),
                2 => flexpay_sandbox = r.raw()?,
                _ => flexiti_sandbox = if r.null()? { None } else { Some(r.raw()?) },
            }
            Ok(())
        },
    )?;
    r.end()?;
    Ok(DocumentIn {
        settings: settings.unwrap_or_default(),
        flexpay_sandbox,
        flexiti_sandbox,
    })
}

/// Why a document's text cannot be read, in the portal's words (never the JSON reader's own):
/// where it stops being JSON, or `shape` when it is JSON of another shape.
fn document_problem(e: &ReadError, shape: &str) -> String {
    if e.is_eof() {
        format!(
            "the data is not valid JSON: it is cut short (it ends at line {}, column {})",
            e.line(),
            e.column()
        )
    } else if e.is_data() {
        shape.to_owned()
    } else {
        format!(
            "the data is not valid JSON (at line {}, column {})",
            e.line(),
            e.column()
        )
    }
}

impl Portal {
    /// The saved document: settings plus the sandbox snapshot, embedded verbatim.
    pub fn to_document(&self) -> String {
        // Each part is written by the core's JSON writer, which writes only JSON and gives
        // nothing when it cannot write a value: an empty part leaves the document empty.
        let snapshot = self.sandbox.to_snapshot();
        let flexiti = self.flexiti.snapshot();
        let Ok(settings) = json_writer::to_string(&self.settings) else {
            return String::new();
        };
        if snapshot.is_empty() || flexiti.is_empty() {
            return String::new();
        }
        let mut document =
            String::with_capacity(snapshot.len() + flexiti.len() + settings.len() + 80);
        document.push_str("{\"schemaVersion\":");
        document.push_str(&SCHEMA_VERSION.to_string());
        for (key, part) in [
            ("settings", &settings),
            ("flexpaySandbox", &snapshot),
            ("flexitiSandbox", &flexiti),
        ] {
            document.push_str(",\"");
            document.push_str(key);
            document.push_str("\":");
            document.push_str(part);
        }
        document.push('}');
        #[cfg(test)]
        assert_eq!(
            serde_json::to_string(&DocumentOut {
                schema_version: SCHEMA_VERSION,
                settings: &self.settings,
                flexpay_sandbox: &RawValue::from_string(snapshot).unwrap(),
                flexiti_sandbox: &RawValue::from_string(flexiti).unwrap(),
            })
            .unwrap(),
            document
        );
        document
    }

    /// Reads a saved or exported document. Nothing is half-loaded: any problem is an error
    /// and the caller keeps what it had.
    pub fn from_document(text: &str) -> Result<Portal, String> {
        let given = version_probe(text).map_err(|e| {
            document_problem(
                &e,
                "it is not a flexkit portal document (a JSON object with a schemaVersion)",
            )
        })?;
        match given.and_then(|v| v.parse::<u64>().ok()) {
            None => {
                return Err(match given {
                    Some(other) => format!(
                        "the data's schemaVersion is {other}, not a whole number: it is not a document this portal wrote"
                    ),
                    None => "the data has no schemaVersion: it is not a flexkit portal document"
                        .to_owned(),
                })
            }
            Some(0) => {
                return Err(
                    "the data's schemaVersion is 0, a version no flexkit portal writes: it is not a document this portal wrote"
                        .to_owned(),
                )
            }
            Some(v) if v > u64::from(SCHEMA_VERSION) => {
                return Err(format!(
                    "the data was written by a newer flexkit (schema version {v}, this portal reads {SCHEMA_VERSION}); update the portal to open it"
                ))
            }
            Some(_) => {}
        }
        let doc = read_document(text).map_err(|e| {
            let words = e.to_string();
            let part = words.split('`').nth(1).unwrap_or_default();
            document_problem(
                &e,
                &if words.starts_with("missing field") {
                    format!("the data is damaged: its part \"{part}\" is missing")
                } else if words.starts_with("unknown field") {
                    format!("the data is damaged: it has a part \"{part}\" a portal document does not have (line {}, column {})", e.line(), e.column())
                } else {
                    // Named by its path: the file is one long line, where a column says little.
                    let at = offset_at(text, e.line(), e.column());
                    match Levels::at(text, at).path("", true) {
                        path if path.is_empty() => format!("the data is damaged: the value at line {}, column {} is not of the kind a portal document holds there", e.line(), e.column()),
                        path => format!("the data is damaged: its {path} cannot be read: {} (line {}, column {})", plain_words(e.message()), e.line(), e.column()),
                    }
                },
            )
        })?;
        let sandbox = Sandbox::from_snapshot(doc.flexpay_sandbox).map_err(|e| {
            let misread = match &e {
                SnapshotError::Corrupt { message } => Some(message.as_str()),
                _ => None,
            };
            snapshot_problem(
                text,
                doc.flexpay_sandbox,
                "FlexPay",
                misread,
                &e.to_string(),
            )
        })?;
        let flexiti = match doc.flexiti_sandbox {
            Some(raw) => FlexitiSandbox::restore(raw).map_err(|e| {
                let misread = match &e {
                    FlexitiSnapshotError::Malformed(message) => Some(message.as_str()),
                    _ => None,
                };
                snapshot_problem(text, raw, "Flexiti", misread, &e.to_string())
            })?,
            None => FlexitiSandbox::new(FLEXITI_SEED),
        };
        let mut portal = Portal {
            sandbox,
            flexiti,
            settings: doc.settings,
        };
        if let Some(code) = &portal.settings.company {
            if !portal.company_exists(code) {
                portal.settings.company = Some(DEFAULT_COMPANY_CODE.to_owned());
            }
        }
        let legacy = std::mem::take(&mut portal.settings.legacy_certification);
        if !legacy.is_empty() {
            let first = legacy.iter().flat_map(|r| &r.transactions).next();
            let (company, mode) = first
                .and_then(|row| portal.transaction_home(&row.transaction_id))
                .unwrap_or_else(|| (DEFAULT_COMPANY_CODE.to_owned(), Environment::Sandbox));
            portal
                .settings
                .certification_run_mut(&company, mode)
                .reports = legacy;
        }
        // Runs are of live companies, in the Sandbox, one per company, as the portal makes
        // them: a company's run goes with it when it is deleted (documents saved before that
        // keep it), and the Certification page shows no other. An edited file's others —
        // another environment's, a second run of a company — are left out (the first of a
        // company's is the one the page showed), so they are not saved again at every change.
        let Portal {
            sandbox, settings, ..
        } = &mut portal;
        let companies = sandbox.companies();
        let mut kept: Vec<String> = Vec::new();
        settings.certification_runs.retain(|run| {
            let live = run.mode == Environment::Sandbox
                && companies
                    .iter()
                    .any(|c| c.code.eq_ignore_ascii_case(&run.company));
            let first = !kept.iter().any(|k| k.eq_ignore_ascii_case(&run.company));
            if live && first {
                kept.push(run.company.clone());
            }
            live && first
        });
        Ok(portal)
    }

    /// The company and environment that hold a transaction.
    fn transaction_home(&self, transaction_id: &str) -> Option<(String, Environment)> {
        self.sandbox.companies().into_iter().find_map(|company| {
            [Environment::Sandbox, Environment::Production]
                .into_iter()
                .find(|&mode| {
                    self.sandbox
                        .console_response(CompanyScope::One(&company.code), mode, transaction_id)
                        .is_some()
                })
                .map(|mode| (company.code, mode))
        })
    }

    pub fn company_exists(&self, code: &str) -> bool {
        self.sandbox.companies().iter().any(|c| c.code == code)
    }

    /// The name of the company with this code; the code marked deleted when no live company has
    /// it (a deleted company's records stay on record under "All companies").
    /// A company as the pages name it in their text: its name, with its code after it when
    /// another company has the same name (`Acme Widgets (ACME02)`), so two of one name are
    /// told apart as the header's switch tells them apart.
    pub fn company_label(&self, code: &str) -> String {
        let companies = self.sandbox.companies();
        match companies.iter().find(|c| c.code == code) {
            None => format!("{code} (deleted)"),
            Some(c)
                if companies
                    .iter()
                    .any(|o| o.code != c.code && o.name == c.name) =>
            {
                format!("{} ({})", c.name, c.code)
            }
            Some(c) => c.name.clone(),
        }
    }

    pub fn company_name(&self, code: &str) -> String {
        self.sandbox
            .companies()
            .into_iter()
            .find(|c| c.code == code)
            .map_or_else(|| format!("{code} (deleted)"), |c| c.name)
    }

    /// Saves Flexiti credentials. `secret` `None` keeps the saved secret while the environment
    /// stays the same: Flexiti issues a secret per environment, so another environment without
    /// a secret of its own has none. The token is dropped: it belongs to the previous
    /// credentials.
    pub fn flexiti_set_credentials(
        &mut self,
        environment: FlexitiEnvironment,
        client_id: &ClientId,
        secret: Option<&ClientSecret>,
    ) {
        let settings = &mut self.settings.flexiti;
        if settings.environment != environment {
            settings.client_secret = None;
        }
        settings.environment = environment;
        settings.client_id = client_id.as_str().to_owned();
        if let Some(secret) = secret {
            settings.client_secret = Some(secret.expose().to_owned());
        }
        settings.token = None;
    }

    /// Whether the saved token is due for renewal at `now`: missing (with credentials saved),
    /// fresh no longer, or refused by the sandbox with 401 — one it never issued, as after
    /// importing a document without the Flexiti sandbox that issued it.
    pub fn flexiti_token_due(&self, now: UtcTimestamp) -> bool {
        let settings = &self.settings.flexiti;
        settings.configured()
            && (settings
                .token
                .as_ref()
                .is_none_or(|t| t.state(now) != TokenState::Fresh)
                || self.flexiti_token_refused(now))
    }

    fn flexiti_token_refused(&self, now: UtcTimestamp) -> bool {
        // Any call checks the token first; this one reads one account and nothing else.
        let Ok(probe) = AccountNumber::new(1) else {
            return false;
        };
        matches!(
            self.flexiti_read(now, |s, call| s.refund_facts(call, probe, None)),
            Some(Err(error)) if error.status == 401
        )
    }

    /// Renews the token when [`Self::flexiti_token_due`]: a refused one is dropped and a new
    /// one requested with the saved credentials, once.
    pub fn flexiti_renew(&mut self, now: UtcTimestamp) {
        if self.flexiti_token_refused(now) {
            self.settings.flexiti.token = None;
        }
        let _ = self.flexiti_bearer(now);
    }

    /// Why no Flexiti call can be made with the saved settings (another environment than the
    /// embedded TRAINING sandbox, or no credentials), if one of those is why.
    pub fn flexiti_unavailable(&self) -> Option<FlexitiError> {
        self.flexiti_credentials().err()
    }

    fn flexiti_credentials(&self) -> Result<Credentials, FlexitiError> {
        let settings = &self.settings.flexiti;
        if settings.environment != FlexitiEnvironment::Training {
            return Err(FlexitiError::OtherEnvironment(settings.environment));
        }
        let (Ok(client_id), Some(Ok(client_secret))) = (
            ClientId::parse(&settings.client_id),
            settings.client_secret.as_deref().map(ClientSecret::parse),
        ) else {
            return Err(FlexitiError::NotConfigured);
        };
        Ok(Credentials {
            environment: settings.environment,
            client_id,
            client_secret,
        })
    }

    /// A usable access token at `now`: the saved one while fresh; renewed by the core's rule
    /// ([`AccessToken::renewal`]: `refresh_token` in its last minute, `client_credentials`
    /// once expired); a new one when there is none. A refused renewal drops the token.
    pub fn flexiti_bearer(&mut self, now: UtcTimestamp) -> Result<String, FlexitiError> {
        let credentials = self.flexiti_credentials()?;
        let request = match &self.settings.flexiti.token {
            Some(token) if token.environment == credentials.environment => {
                match token.renewal(&credentials, now) {
                    None => return Ok(token.bearer()),
                    Some(request) => request,
                }
            }
            _ => TokenRequest::client_credentials(&credentials, Some(Scope::Merchant)),
        };
        let answer = self.flexiti.token(now, &request).or_else(|error| {
            if matches!(request.grant, flexkit_core::flexiti::Grant::RefreshToken(_)) {
                // The refresh was refused (used elsewhere, say): start over.
                let fresh = TokenRequest::client_credentials(&credentials, Some(Scope::Merchant));
                self.flexiti.token(now, &fresh)
            } else {
                Err(error)
            }
        });
        match answer {
            Ok(response) => {
                let token = response.into_token(credentials.environment, now);
                let bearer = token.bearer();
                self.settings.flexiti.token = Some(token);
                Ok(bearer)
            }
            Err(error) => {
                self.settings.flexiti.token = None;
                Err(FlexitiError::Api(error))
            }
        }
    }

    /// The saved token's `authorization` header while it still works at `now`, for read-only
    /// look-ups (live checks) that may not renew it.
    pub fn flexiti_current_bearer(&self, now: UtcTimestamp) -> Option<String> {
        let token = self.settings.flexiti.token.as_ref()?;
        (token.environment == FlexitiEnvironment::Training && now < token.expires_at())
            .then(|| token.bearer())
    }

    /// One call to the Flexiti sandbox with a valid token (obtained or renewed first). A 401
    /// (the token was retired meanwhile) gets one retry with a new token.
    pub fn flexiti_call<T>(
        &mut self,
        now: UtcTimestamp,
        mut call: impl FnMut(&mut FlexitiSandbox, &CallContext<'_>) -> Result<T, ApiError>,
    ) -> Result<T, FlexitiError> {
        for attempt in 0..2 {
            let bearer = self.flexiti_bearer(now)?;
            let context = CallContext {
                now,
                authorization: &bearer,
                idempotency: None,
            };
            match call(&mut self.flexiti, &context) {
                Err(error) if error.status == 401 && attempt == 0 => {
                    self.settings.flexiti.token = None;
                }
                other => return other.map_err(FlexitiError::Api),
            }
        }
        Err(FlexitiError::NotConfigured)
    }

    /// A read-only call with the saved token, `None` when no token works at `now`.
    pub fn flexiti_read<T>(
        &self,
        now: UtcTimestamp,
        call: impl FnOnce(&FlexitiSandbox, &CallContext<'_>) -> Result<T, ApiError>,
    ) -> Option<Result<T, ApiError>> {
        let bearer = self.flexiti_current_bearer(now)?;
        let context = CallContext {
            now,
            authorization: &bearer,
            idempotency: None,
        };
        Some(call(&self.flexiti, &context))
    }

    /// The simulated clock: the browser's clock plus the offset the user advanced it by, and
    /// never earlier than the latest transaction (a certification run dates its retries ahead),
    /// so nothing new is ever dated before what is already there.
    pub fn now(&self, wall_clock: UtcTimestamp) -> UtcTimestamp {
        let now = wall_clock
            .checked_add_millis(self.settings.clock_offset_ms)
            .unwrap_or(wall_clock);
        self.sandbox
            .latest_transaction_date()
            .map_or(now, |latest| now.max(latest))
    }

    /// After a change that dated a transaction ahead of the clock (a certification run waits
    /// for its retry dates), moves the offset so the clock runs on from that transaction at
    /// the browser clock's pace instead of standing still until real time catches up: two
    /// transactions sent a second apart are dated a second apart.
    pub fn keep_clock_running(&mut self, wall_clock: UtcTimestamp) {
        if let Some(latest) = self.sandbox.latest_transaction_date() {
            let ahead = latest.millis_since(wall_clock);
            if ahead > self.settings.clock_offset_ms {
                self.settings.clock_offset_ms = ahead;
            }
        }
    }
}

/// `message` about `part` (a slice of `document`, an embedded snapshot) with its `line L
/// column C` counted in the whole document instead, as the file the user exports and opens
/// counts them.
/// Why a sandbox's snapshot (`part` of `document`) cannot be loaded. A value the reader
/// could not take (`misread`: its words, placed in the snapshot) is named by its path in the
/// document, as the settings' values are: the exported file is one long line, where a line
/// and column say little. Anything else, a snapshot that contradicts itself say, in the
/// snapshot's own words (`words`).
fn snapshot_problem(
    document: &str,
    part: &str,
    sandbox: &str,
    misread: Option<&str>,
    words: &str,
) -> String {
    let placed = misread.map(|message| in_document(document, part, message));
    let located = placed.as_deref().and_then(|message| {
        let (message, at) = message.rsplit_once(" at line ")?;
        let (line, column) = at.split_once(" column ")?;
        Some((message, line.parse().ok()?, column.parse().ok()?))
    });
    if let Some((message, line, column)) = located {
        let levels = Levels::at(document, offset_at(document, line, column));
        let named = |field: &str| {
            let object = levels.path("", false);
            let field = field.split('`').nth(1).unwrap_or_default();
            format!("{object}.{field}")
        };
        let said = if let Some(field) = message.strip_prefix("missing field ") {
            format!("its {} is missing", named(field))
        } else if let Some(field) = message.strip_prefix("unknown field ") {
            format!(
                "it has a part \"{}\" a portal document does not have",
                named(field)
            )
        } else {
            let path = levels.path("", true);
            format!("its {path} cannot be read: {}", plain_words(message))
        };
        return format!("the data is damaged: {said} (line {line}, column {column})");
    }
    format!(
        "its {sandbox} sandbox cannot be loaded ({})",
        plain_words(&in_document(document, part, words))
    )
}

fn in_document(document: &str, part: &str, message: &str) -> String {
    let start = (part.as_ptr() as usize).wrapping_sub(document.as_ptr() as usize);
    let Some(before) = document.get(..start) else {
        return message.to_owned();
    };
    let Some(at) = message.find(" line ") else {
        return message.to_owned();
    };
    let rest = &message[at + 6..];
    let line_digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after_line) = rest[line_digits..].strip_prefix(" column ") else {
        return message.to_owned();
    };
    let column_digits = after_line.bytes().take_while(u8::is_ascii_digit).count();
    let (Ok(line), Ok(column)) = (
        rest[..line_digits].parse::<usize>(),
        after_line[..column_digits].parse::<usize>(),
    ) else {
        return message.to_owned();
    };
    // Lines before the part, and the columns before it on its first line.
    let lines_before = before.matches('\n').count();
    let columns_before = before.len() - before.rfind('\n').map_or(0, |n| n + 1);
    let column = if line == 1 {
        column + columns_before
    } else {
        column
    };
    format!(
        "{} line {} column {column}{}",
        &message[..at],
        line + lines_before,
        &after_line[column_digits..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_runs_on_from_a_transaction_dated_ahead_of_it() {
        use flexkit_core::flexpay::sandbox::scenarios::run_all;
        let wall = UtcTimestamp::parse_iso8601("2026-11-22T12:00:00Z").unwrap();
        let mut portal = Portal::default();
        let key = portal
            .sandbox
            .generate_api_key("run", "DEFAULT", Environment::Sandbox, wall)
            .unwrap();
        run_all(&mut portal.sandbox, &key.key, wall);
        let latest = portal.sandbox.latest_transaction_date().unwrap();
        assert!(latest > wall, "the run dates its retries ahead");
        portal.keep_clock_running(wall);
        assert_eq!(portal.now(wall), latest);
        // A second later by the browser's clock, the simulated clock is a second later too.
        let later = wall.checked_add_millis(1_000).unwrap();
        assert_eq!(portal.now(later), latest.checked_add_millis(1_000).unwrap());
        // An offset the user advanced beyond it is kept.
        portal.settings.clock_offset_ms += 86_400_000;
        portal.keep_clock_running(wall);
        assert_eq!(
            portal.now(wall),
            latest.checked_add_millis(86_400_000).unwrap()
        );
    }

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
        portal.settings.company = Some("BRANDB".to_owned());
        portal.settings.clock_offset_ms = 86_400_000;
        let text = portal.to_document();
        let back = Portal::from_document(&text).expect("reads back");
        assert_eq!(back.settings, portal.settings);
        assert_eq!(back.to_document(), text);
        // All companies is kept as no company.
        portal.settings.company = None;
        let text = portal.to_document();
        assert!(text.contains("\"company\":null"), "{text}");
        let back = Portal::from_document(&text).expect("reads back");
        assert_eq!(back.settings.company, None);
        assert_eq!(back.settings.scope(), CompanyScope::All);
        assert_eq!(back.to_document(), text);
    }

    /// A version 3 document, written before All companies could be chosen: the header shows
    /// Acme Widgets (`ACME`), whose Sandbox holds a soft decline (20.08).
    const V3: &str = include_str!("state_v3.json");

    #[test]
    fn a_version_3_document_loads_with_its_company_and_is_saved_as_version_4() {
        let portal = Portal::from_document(V3).expect("a version 3 document loads");
        assert_eq!(portal.settings.company.as_deref(), Some("ACME"));
        assert_eq!(portal.settings.scope(), CompanyScope::One("ACME"));
        let listed = portal
            .sandbox
            .console_transactions(portal.settings.scope(), Environment::Sandbox)
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].company, "ACME");
        let text = portal.to_document();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["schemaVersion"], 4);
        assert_eq!(doc["settings"]["company"], "ACME");
        assert_eq!(
            Portal::from_document(&text).unwrap().settings,
            portal.settings
        );
        // A company that is no longer there gives way to the Default Company, not to all.
        let gone = V3.replacen("\"company\":\"ACME\"", "\"company\":\"GONE\"", 1);
        assert_ne!(gone, V3);
        let portal = Portal::from_document(&gone).expect("loads");
        assert_eq!(portal.settings.company.as_deref(), Some("DEFAULT"));
    }

    #[test]
    fn only_runs_of_live_companies_in_the_sandbox_are_read() {
        let mut portal = Portal::default();
        for (company, mode) in [
            ("default", Environment::Sandbox),
            (DEFAULT_COMPANY_CODE, Environment::Production),
            ("GHOST", Environment::Sandbox),
        ] {
            portal.settings.certification_runs.push(CertificationRun {
                company: company.to_owned(),
                mode,
                reports: Vec::new(),
            });
        }
        let read = Portal::from_document(&portal.to_document()).unwrap();
        let kept: Vec<_> = read
            .settings
            .certification_runs
            .iter()
            .map(|r| (r.company.as_str(), r.mode))
            .collect();
        assert_eq!(kept, [("default", Environment::Sandbox)]);

        let zero = portal
            .to_document()
            .replacen("\"schemaVersion\":4", "\"schemaVersion\":0", 1);
        assert!(Portal::from_document(&zero)
            .unwrap_err()
            .starts_with("the data's schemaVersion is 0, a version no flexkit portal writes"));
    }

    #[test]
    fn damaged_or_newer_documents_are_refused_with_a_reason() {
        assert!(Portal::from_document("{")
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(Portal::from_document("{}")
            .unwrap_err()
            .contains("schemaVersion"));
        // Never the JSON reader's own words (Rust type names, "expected ident").
        for (text, said) in [
            ("[]", "it is not a flexkit portal document"),
            ("\"text\"", "it is not a flexkit portal document"),
            ("nope", "the data is not valid JSON (at line 1, column 2)"),
            (
                "{\"schemaVersion\": 3,",
                "the data is not valid JSON: it is cut short",
            ),
            (
                "{\"schemaVersion\": 3}",
                "the data is damaged: its part \"settings\" is missing",
            ),
        ] {
            let refused = Portal::from_document(text).unwrap_err();
            assert!(refused.starts_with(said), "{text}: {refused}");
            assert!(!refused.contains("expected"), "{text}: {refused}");
        }
        assert!(Portal::from_document(r#"{"schemaVersion": 9}"#)
            .unwrap_err()
            .contains("newer flexkit"));
        let good = Portal::default().to_document();
        let truncated = &good[..good.len() / 2];
        assert!(Portal::from_document(truncated).is_err());
        // The FlexPay sandbox snapshot comes first, and its first key after the version is
        // its seed.
        let bad_sandbox = good.replacen(",\"seed\":", ",\"sed\":", 1);
        assert_ne!(bad_sandbox, good);
        assert!(Portal::from_document(&bad_sandbox).is_err());

        // A key the settings do not have is damage, as anywhere else in the document: read
        // and saved again, it would be dropped without a word.
        for (from, to) in [
            ("\"settings\":{", "\"settings\":{\"theme\":\"dark\","),
            ("\"flexiti\":{", "\"flexiti\":{\"region\":\"CA\","),
        ] {
            let extra = good.replacen(from, to, 1);
            assert_ne!(extra, good, "{from}");
            let refused = Portal::from_document(&extra).unwrap_err();
            assert!(
                refused.starts_with("the data is damaged: it has a part \""),
                "{refused}"
            );
        }

        // A damaged value in a snapshot is placed in the whole document, as the exported file
        // counts: here the seed's value, on line 1.
        let damaged = good.replacen("\"seed\":", "\"seed\":\"x\",\"z\":", 1);
        let refused = Portal::from_document(&damaged).unwrap_err();
        let column = damaged.find("\"x\"").unwrap() + "\"x\"".len();
        assert!(
            refused.starts_with("the data is damaged: its flexpaySandbox.seed cannot be read: invalid value: string \"x\", expected a whole number")
                && refused.ends_with(&format!("(line 1, column {column})")),
            "{refused}"
        );
        // On a later line of a document written over several lines, the line moves and the
        // column stays.
        assert_eq!(
            in_document(
                "{\n  \"a\": {\n\"b\": x}}",
                &"{\n  \"a\": {\n\"b\": x}}"[10..],
                "bad at line 2 column 6; more"
            ),
            "bad at line 3 column 6; more"
        );
        assert_eq!(
            in_document(
                "{\n  \"a\": {\"b\": x}}",
                &"{\n  \"a\": {\"b\": x}}"[9..],
                "bad at line 1 column 7"
            ),
            "bad at line 2 column 14"
        );

        // A wrong value in the settings is named by its path: the exported file is one line.
        for (from, to, said) in [
            (
                "\"mode\":\"Sandbox\"",
                "\"mode\":\"Live\"",
                "the data is damaged: its settings.mode cannot be read: unknown variant \"Live\", expected \"Sandbox\" or \"Production\" (line 1, column ",
            ),
            (
                "\"clockOffsetMs\":0",
                "\"clockOffsetMs\":\"abc\"",
                "the data is damaged: its settings.clockOffsetMs cannot be read: ",
            ),
            // So is a wrong value in either sandbox, and a part missing from one.
            (
                "\"name\":\"Default Company\"",
                "\"name\":5",
                "the data is damaged: its flexpaySandbox.companies[0].name cannot be read: invalid type: integer 5, expected a string (line 1, column ",
            ),
            (
                "\"nextApiKeyId\":1",
                "\"nextApiKeyId\":\"one\"",
                "the data is damaged: its flexpaySandbox.nextApiKeyId cannot be read: invalid type: string \"one\", expected a whole number (line 1, column ",
            ),
            (
                ",\"code\":\"DEFAULT\"}",
                "}",
                "the data is damaged: its flexpaySandbox.companies[0].code is missing (line 1, column ",
            ),
            (
                "\"creditLimitCents\":500000",
                "\"creditLimitCents\":true",
                "the data is damaged: its flexitiSandbox.state.accounts[0].creditLimitCents cannot be read: invalid type: boolean true, expected a whole number (line 1, column ",
            ),
        ] {
            let edited = good.replacen(from, to, 1);
            assert_ne!(edited, good, "{from}");
            let refused = Portal::from_document(&edited).unwrap_err();
            assert!(refused.starts_with(said), "{refused}");
            assert!(
                !refused.contains('`') && !refused.contains("i64") && !refused.contains("u64"),
                "{refused}"
            );
        }
        // Pretty-printed by an editor: the line and column are the file's own.
        let pretty: serde_json::Value = serde_json::from_str(&good).unwrap();
        let pretty = serde_json::to_string_pretty(&pretty).unwrap().replacen(
            "\"name\": \"Default Company\"",
            "\"name\": null",
            1,
        );
        let refused = Portal::from_document(&pretty).unwrap_err();
        let line = pretty
            .lines()
            .position(|l| l.contains("\"name\": null"))
            .unwrap()
            + 1;
        assert!(
            refused.starts_with(&format!(
                "the data is damaged: its flexpaySandbox.companies[0].name cannot be read: invalid type: null, expected a string (line {line}, column "
            )),
            "{refused}"
        );
        // A snapshot that reads but contradicts itself says so in its own words.
        let twice = good.replacen(
            "\"companies\":[{\"name\":\"Default Company\",\"code\":\"DEFAULT\"}]",
            "\"companies\":[{\"name\":\"Default Company\",\"code\":\"DEFAULT\"},{\"name\":\"B\",\"code\":\"DEFAULT\"}]",
            1,
        );
        assert_ne!(twice, good);
        let refused = Portal::from_document(&twice).unwrap_err();
        assert!(
            refused.starts_with(
                "its FlexPay sandbox cannot be loaded (the sandbox snapshot contradicts itself"
            ),
            "{refused}"
        );

        // In the document's terms: never a Rust type's name or serde's words for it.
        let refused = Portal::from_document(r#"{"schemaVersion": "4"}"#).unwrap_err();
        assert!(refused.starts_with("the data's schemaVersion is \"4\", not a whole number"));
        let doc: serde_json::Value = serde_json::from_str(&good).unwrap();
        for (edit, said) in [
            (
                ("flexitiSandbox", serde_json::json!("text")),
                "the data is damaged: its flexitiSandbox cannot be read: invalid type: string \"text\", expected an object (line 1, column ",
            ),
            (
                ("flexpaySandbox", serde_json::json!("text")),
                "the data is damaged: its flexpaySandbox cannot be read: invalid type: string \"text\", expected an object (line 1, column ",
            ),
        ] {
            let mut damaged = doc.clone();
            damaged[edit.0] = edit.1;
            let refused = Portal::from_document(&damaged.to_string()).unwrap_err();
            assert!(refused.starts_with(said), "{refused}");
            assert!(refused.contains("expected an object"), "{refused}");
            assert!(!refused.contains("VersionProbe"), "{refused}");
        }
        let mut seeded = doc.clone();
        seeded["flexpaySandbox"]["seed"] = serde_json::json!(-1);
        let refused = Portal::from_document(&seeded.to_string()).unwrap_err();
        assert!(!refused.contains("u64"), "{refused}");
    }

    /// serde's derived readers of the document, which the portal read it with before
    /// `read_document`: the reference the reader is held to.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct VersionProbe {
        schema_version: Option<serde_json::Value>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct SerdeDocument<'a> {
        #[allow(dead_code)]
        schema_version: u32,
        settings: Settings,
        #[serde(borrow)]
        flexpay_sandbox: &'a RawValue,
        #[serde(borrow, default)]
        flexiti_sandbox: Option<&'a RawValue>,
    }

    /// The reader and serde's derived readers accept the same text as the same document, and
    /// refuse the same text in the same category, words, line and column.
    fn readers_agree(text: &str) {
        fn same<T: PartialEq + fmt::Debug>(
            text: &str,
            ours: json_reader::Read<T>,
            theirs: Result<T, serde_json::Error>,
        ) -> bool {
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => {
                    assert_eq!(ours, theirs, "{text}");
                    true
                }
                (Err(ours), Err(theirs)) => {
                    let category = theirs.classify();
                    assert_eq!(
                        (ours.is_eof(), ours.is_data()),
                        (
                            category == serde_json::error::Category::Eof,
                            category == serde_json::error::Category::Data
                        ),
                        "{text}: {ours} / {theirs}"
                    );
                    assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
                    false
                }
                (ours, theirs) => panic!("{text}: ours {ours:?}, serde {theirs:?}"),
            }
        }
        let probe = flexkit_core::json_objects::from_str::<VersionProbe>(text);
        let read = same(
            text,
            version_probe(text).map(|v| v.and_then(|v| v.parse::<u64>().ok())),
            probe.map(|p| p.schema_version.and_then(|v| v.as_u64())),
        );
        if !read {
            return;
        }
        let theirs = flexkit_core::json_objects::from_str::<SerdeDocument<'_>>(text).map(|d| {
            (
                d.settings,
                d.flexpay_sandbox.get(),
                d.flexiti_sandbox.map(RawValue::get),
            )
        });
        let ours = read_document(text).map(|d| (d.settings, d.flexpay_sandbox, d.flexiti_sandbox));
        same(text, ours, theirs);
    }

    /// Documents with every part of the settings filled in: runs, a Flexiti token, the secret.
    fn documents() -> Vec<String> {
        let mut portal = connected();
        portal.flexiti_bearer(at(0)).unwrap();
        portal.settings.company = None;
        portal.settings.clock_offset_ms = -5;
        portal
            .settings
            .certification_run_mut("DEFAULT", Environment::Sandbox)
            .reports
            .push(ScenarioReport {
                step: 3,
                title: "Recover".to_owned(),
                passed: false,
                checks: vec![flexkit_core::flexpay::sandbox::scenarios::Check {
                    description: "a check".to_owned(),
                    passed: false,
                    detail: "seen".to_owned(),
                }],
                transactions: vec![flexkit_core::flexpay::sandbox::scenarios::AppendixARow {
                    scenario: "3".to_owned(),
                    description: "the recovery".to_owned(),
                    transaction_id: "T1".to_owned(),
                }],
            });
        vec![
            Portal::default().to_document(),
            portal.to_document(),
            V3.to_owned(),
            V2_WITH_RUN.to_owned(),
        ]
    }

    /// Every array cut to its first item (the version 2 run's seven reports and their checks
    /// are one shape many times).
    fn first_items(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Array(items) => {
                items.truncate(1);
                items.iter_mut().for_each(first_items);
            }
            serde_json::Value::Object(map) => map.values_mut().for_each(first_items),
            _ => {}
        }
    }

    #[test]
    fn document_readers_agree() {
        use serde_json::json;
        let others = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(4_294_967_296_u64),
            json!("x"),
            json!("Sandbox"),
            json!("TRAINING"),
            json!("merchant"),
            json!("2023-11-14T22:13:20Z"),
            json!([]),
            json!([{}]),
            json!({}),
            json!({"company": "A", "mode": "Sandbox", "reports": []}),
        ];
        // The snapshots are passed on as written (their readers have batteries of their own):
        // small ones keep the edits to what this reader reads.
        let small: Vec<String> = documents()
            .iter()
            .map(|text| {
                readers_agree(text);
                let mut small: serde_json::Value = serde_json::from_str(text).unwrap();
                for key in ["flexpaySandbox", "flexitiSandbox"] {
                    if let Some(snapshot) = small.get_mut(key) {
                        *snapshot = json!({"seed": 7, "state": [1, "x"]});
                    }
                }
                first_items(&mut small);
                small.to_string()
            })
            .collect();
        let mut checked = 0;
        for text in &small {
            checked += flexkit_core::json_edits::each_edit(text, &others, readers_agree);
        }
        assert!(checked > 1_000, "{checked}");
        // Cut at every character, and damaged in the ways a reader can be told apart.
        let text = &small[1];
        for cut in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
            readers_agree(&text[..cut]);
        }
        for (from, to) in [
            ("\"settings\"", "\"s\\u0065ttings\""),
            ("\"settings\":", "\"settings\":1,\"settings\":"),
            ("\"DEFAULT\"", "\"\\ud800\""),
            ("\"DEFAULT\"", "\"\\uZZZZ\""),
            ("\"DEFAULT\"", "\"\t\""),
            ("\"Sandbox\"", "{\"Sandbox\":null}"),
            ("\"TRAINING\"", "\"TRAINING \""),
            ("{\"", "{ \"extra\" : [1, {\"a\": \"\\ud800\"}], \""),
            ("{\"", "{\"extra\":1e400,\""),
            ("\"clockOffsetMs\":-5", "\"clockOffsetMs\":-5.0"),
            ("\"clockOffsetMs\":-5", "\"clockOffsetMs\":1e2"),
            (
                "\"clockOffsetMs\":-5",
                "\"clockOffsetMs\":99999999999999999999",
            ),
            ("\"schemaVersion\":4", "\"schemaVersion\":4.0"),
            ("\"schemaVersion\":4", "\"schemaVersion\":[4]"),
            ("\"schemaVersion\":4", "\"schemaVersion\":-0"),
            (":", " : "),
            (",", " ,\n "),
        ] {
            assert!(text.contains(from), "{from}");
            readers_agree(&text.replacen(from, to, 1));
            readers_agree(&text.replace(from, to));
        }
    }

    fn at(seconds: i64) -> UtcTimestamp {
        UtcTimestamp::from_unix_seconds(1_700_000_000 + seconds).unwrap()
    }

    /// A portal with the Flexiti sandbox's own credentials saved.
    fn connected() -> Portal {
        let mut portal = Portal::default();
        let credentials = portal.flexiti.credentials();
        portal.flexiti_set_credentials(
            FlexitiEnvironment::Training,
            &credentials.client_id,
            Some(&credentials.client_secret),
        );
        portal
    }

    #[test]
    fn version_1_documents_load_with_a_fresh_flexiti_sandbox() {
        let mut portal = connected();
        portal.flexiti_bearer(at(0)).unwrap();
        let mut doc: serde_json::Value = serde_json::from_str(&portal.to_document()).unwrap();
        assert_eq!(doc["schemaVersion"], 4);
        assert!(doc.get("flexitiSandbox").is_some());
        let object = doc.as_object_mut().unwrap();
        object.insert("schemaVersion".into(), 1.into());
        object.remove("flexitiSandbox");
        object["settings"]
            .as_object_mut()
            .unwrap()
            .remove("flexiti");
        let back = Portal::from_document(&doc.to_string()).expect("a version 1 document loads");
        assert_eq!(back.flexiti, FlexitiSandbox::new(FLEXITI_SEED));
        assert_eq!(back.settings.flexiti, FlexitiSettings::default());
        assert!(!back.settings.flexiti.configured());
    }

    /// A version 2 document, written before certification runs belonged to a company: its
    /// one run (`settings.certification`) was sent with a Sandbox key of Acme Widgets (`ACME`),
    /// the company selected in the header.
    const V2_WITH_RUN: &str = include_str!("state_v2.json");

    #[test]
    fn a_version_2_run_is_attached_to_the_company_and_mode_of_its_transactions() {
        let portal = Portal::from_document(V2_WITH_RUN).expect("a version 2 document loads");
        assert_eq!(portal.settings.company.as_deref(), Some("ACME"));
        assert_eq!(portal.settings.certification_runs.len(), 1);
        let run = portal
            .settings
            .certification_run("ACME", Environment::Sandbox)
            .expect("Acme Widgets' Sandbox has the run");
        assert_eq!(run.reports.len(), 7);
        assert!(run.reports.iter().all(|r| r.passed));
        assert!(portal
            .settings
            .certification_run("DEFAULT", Environment::Sandbox)
            .is_none());
        assert!(portal
            .settings
            .certification_run("ACME", Environment::Production)
            .is_none());
        // Saved again as version 4, without the old field, and read back the same.
        let text = portal.to_document();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["schemaVersion"], 4);
        assert!(doc["settings"].get("certification").is_none());
        assert_eq!(doc["settings"]["certificationRuns"][0]["company"], "ACME");
        assert_eq!(
            Portal::from_document(&text).unwrap().settings,
            portal.settings
        );
    }

    #[test]
    fn an_older_run_whose_transactions_are_not_found_goes_to_the_default_companys_sandbox() {
        let mut doc: serde_json::Value = serde_json::from_str(V2_WITH_RUN).unwrap();
        let fresh: serde_json::Value =
            serde_json::from_str(&Portal::default().to_document()).unwrap();
        doc["flexpaySandbox"] = fresh["flexpaySandbox"].clone();
        let portal = Portal::from_document(&doc.to_string()).expect("loads");
        assert_eq!(portal.settings.company.as_deref(), Some("DEFAULT"));
        assert_eq!(portal.settings.certification_runs.len(), 1);
        let run = portal
            .settings
            .certification_run("DEFAULT", Environment::Sandbox)
            .expect("the Default Company's Sandbox has the run");
        assert_eq!(run.reports.len(), 7);
        // An older document without a run has none.
        doc["settings"]["certification"] = serde_json::json!([]);
        let portal = Portal::from_document(&doc.to_string()).expect("loads");
        assert!(portal.settings.certification_runs.is_empty());
    }

    #[test]
    fn an_edited_files_second_run_of_a_company_is_left_out() {
        let mut doc: serde_json::Value = serde_json::from_str(V2_WITH_RUN).unwrap();
        let portal = Portal::from_document(&doc.to_string()).expect("loads");
        let runs = serde_json::to_value(&portal.settings.certification_runs).unwrap();
        let first = runs[0].clone();
        let mut second = first.clone();
        second["company"] = serde_json::json!("acme");
        second["reports"] = serde_json::json!([]);
        doc = serde_json::from_str(&portal.to_document()).unwrap();
        doc["settings"]["certificationRuns"] =
            serde_json::json!([first.clone(), second, first.clone(), first]);
        let loaded = Portal::from_document(&doc.to_string()).expect("loads");
        assert_eq!(loaded.settings.certification_runs.len(), 1);
        assert_eq!(
            loaded.settings.certification_runs[0].reports.len(),
            7,
            "the first run of the company is kept"
        );
    }

    #[test]
    fn each_company_and_mode_keeps_its_own_run() {
        let report = |step| ScenarioReport {
            step,
            title: String::new(),
            passed: true,
            checks: Vec::new(),
            transactions: Vec::new(),
        };
        let mut settings = Settings::default();
        let sandbox = Environment::Sandbox;
        settings
            .certification_run_mut("DEFAULT", sandbox)
            .reports
            .push(report(1));
        settings
            .certification_run_mut("ACME", sandbox)
            .reports
            .push(report(1));
        settings
            .certification_run_mut("acme", sandbox)
            .reports
            .push(report(2));
        assert_eq!(settings.certification_runs.len(), 2);
        assert_eq!(
            settings
                .certification_run("ACME", sandbox)
                .unwrap()
                .reports
                .len(),
            2
        );
        assert_eq!(
            settings
                .certification_run("DEFAULT", sandbox)
                .unwrap()
                .reports
                .len(),
            1
        );
        assert!(settings
            .certification_run("ACME", Environment::Production)
            .is_none());
        assert!(settings.certification_run("OTHER", sandbox).is_none());
    }

    #[test]
    fn flexiti_state_round_trips_and_a_damaged_flexiti_snapshot_is_refused() {
        let mut portal = connected();
        let credentials = portal.flexiti.credentials();
        portal.flexiti_bearer(at(0)).unwrap();
        let text = portal.to_document();
        let back = Portal::from_document(&text).expect("reads back");
        assert_eq!(back.flexiti, portal.flexiti);
        assert_eq!(back.settings, portal.settings);
        assert!(back.settings.flexiti.secret_saved());
        assert_eq!(back.to_document(), text);
        // The secret is saved (tokens are renewed with it) but never in Debug output.
        assert!(text.contains(credentials.client_secret.expose()));
        assert!(!format!("{:?}", back.settings).contains(credentials.client_secret.expose()));
        let damaged = text.replace(
            "\"clientId\":\"flexitidemo\",\"clientSecret\"",
            "\"clientId\":\"\",\"clientSecret\"",
        );
        assert_ne!(damaged, text, "the sandbox snapshot names its client id");
        let error = Portal::from_document(&damaged).unwrap_err();
        assert!(error.contains("Flexiti sandbox"), "{error}");
    }

    #[test]
    fn a_wrong_secret_is_refused_with_invalid_client_and_no_token() {
        let mut portal = Portal::default();
        assert_eq!(
            portal.flexiti_bearer(at(0)),
            Err(FlexitiError::NotConfigured)
        );
        let credentials = portal.flexiti.credentials();
        let wrong = ClientSecret::parse("not-the-secret").unwrap();
        portal.flexiti_set_credentials(
            FlexitiEnvironment::Training,
            &credentials.client_id,
            Some(&wrong),
        );
        let Err(FlexitiError::Api(error)) = portal.flexiti_bearer(at(0)) else {
            panic!("a wrong secret must be refused");
        };
        assert_eq!((error.status, error.code()), (400, "invalid_client"));
        assert!(portal.settings.flexiti.token.is_none());
        // Another environment is not reachable from the portal.
        portal.flexiti_set_credentials(
            FlexitiEnvironment::Production,
            &credentials.client_id,
            Some(&credentials.client_secret),
        );
        assert_eq!(
            portal.flexiti_bearer(at(0)),
            Err(FlexitiError::OtherEnvironment(
                FlexitiEnvironment::Production
            ))
        );
        // A secret is issued per environment: another environment without its own secret has
        // none, so the Production secret is not carried over to TRAINING.
        portal.flexiti_set_credentials(FlexitiEnvironment::Training, &credentials.client_id, None);
        assert!(!portal.settings.flexiti.secret_saved());
        assert_eq!(
            portal.flexiti_bearer(at(0)),
            Err(FlexitiError::NotConfigured)
        );
        // Within one environment, no new secret keeps the saved one.
        portal.flexiti_set_credentials(
            FlexitiEnvironment::Training,
            &credentials.client_id,
            Some(&credentials.client_secret),
        );
        portal.flexiti_set_credentials(FlexitiEnvironment::Training, &credentials.client_id, None);
        assert!(portal.flexiti_bearer(at(0)).is_ok());
        // Saved for PRODUCTION without a secret: TRAINING's secret and token are not kept.
        portal.flexiti_set_credentials(
            FlexitiEnvironment::Production,
            &credentials.client_id,
            None,
        );
        assert!(!portal.settings.flexiti.secret_saved());
        assert!(portal.settings.flexiti.token.is_none());
    }

    #[test]
    fn a_token_the_sandbox_never_issued_is_replaced_once_with_the_saved_credentials() {
        let mut portal = connected();
        portal.flexiti_bearer(at(0)).unwrap();
        assert!(!portal.flexiti_token_due(at(1)));
        // A document imported without its Flexiti sandbox: a fresh sandbox, the old token.
        let mut doc: serde_json::Value = serde_json::from_str(&portal.to_document()).unwrap();
        doc.as_object_mut().unwrap().remove("flexitiSandbox");
        let mut imported = Portal::from_document(&doc.to_string()).unwrap();
        let old = imported.settings.flexiti.token.clone().unwrap();
        assert_eq!(old.state(at(1)), TokenState::Fresh);
        assert!(imported.flexiti_token_due(at(1)), "the sandbox refuses it");
        imported.flexiti_renew(at(1));
        let new = imported.settings.flexiti.token.clone().unwrap();
        // Issued now by the imported sandbox (a fresh one draws the same first token).
        assert_eq!((new.issued_at, old.issued_at), (at(1), at(0)));
        assert!(!imported.flexiti_token_due(at(2)));
        assert!(imported
            .flexiti_read(at(2), |s, call| s.refund_facts(
                call,
                flexkit_core::flexiti::AccountNumber::new(10_000_000_000_001).unwrap(),
                None
            ))
            .unwrap()
            .is_ok());
    }

    #[test]
    fn the_token_is_reused_while_fresh_and_renewed_before_expiry() {
        let mut portal = connected();
        let first = portal.flexiti_bearer(at(0)).unwrap();
        assert_eq!(
            portal.flexiti_bearer(at(1139)).unwrap(),
            first,
            "fresh: reused"
        );
        // In the last minute the core's rule renews it with the refresh token.
        let second = portal.flexiti_bearer(at(1141)).unwrap();
        assert_ne!(second, first);
        let token = portal.settings.flexiti.token.clone().unwrap();
        assert_eq!(token.issued_at, at(1141));
        // The refreshed token is retired: a call with it is refused.
        let lookup = flexkit_core::flexiti::CustomerLookupQuery {
            key: flexkit_core::flexiti::LookupKey::AccountNumber(
                flexkit_core::flexiti::AccountNumber::new(10_000_000_000_001).unwrap(),
            ),
            lang: None,
        };
        let old = CallContext {
            now: at(1142),
            authorization: &first,
            idempotency: None,
        };
        assert_eq!(
            portal.flexiti.lookup(&old, &lookup).unwrap_err().status,
            401
        );
        // Long after expiry a new token is requested with client_credentials.
        let third = portal.flexiti_bearer(at(10_000)).unwrap();
        assert_ne!(third, second);
        let found = portal
            .flexiti_call(at(10_001), |sandbox, call| sandbox.lookup(call, &lookup))
            .unwrap();
        assert_eq!(found.last_name, "Goodstanding");
        assert!(portal.flexiti_current_bearer(at(10_001)).is_some());
        assert!(portal.flexiti_current_bearer(at(20_000)).is_none());
    }
}
