//! Companies of the sandbox account (reference §12). A Default Company always exists; others
//! are created with a name and an alphanumeric code, unique without regard to case (codes
//! prefix batch file names, and `ACME` next to `acme` would be a trap). Deleting a company
//! deletes its API keys and FlexPay Retries configurations, deletes its gateways as a gateway
//! deleted on its own is (kept for the transactions that name them, listed nowhere, refusing
//! every payment) and stops its scheduled retries; its transactions stay, read-only, for the
//! record.

#[cfg(test)]
use serde::Deserialize;
use serde::Serialize;

use crate::flexpay::account::Company;
use crate::time::UtcTimestamp;

use super::error_code as code;
use super::retry_schedule::RecoveryLimits;
use super::Shown;
use super::{AdminError, Sandbox};

/// Code of the company every account starts with.
pub const DEFAULT_COMPANY_CODE: &str = "DEFAULT";
/// Name of the company every account starts with.
pub const DEFAULT_COMPANY_NAME: &str = "Default Company";

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CompanyRecord {
    pub name: String,
    pub code: String,
    /// `None` for the Default Company, which exists from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<UtcTimestamp>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
    /// Lowered recovery limits; `None` keeps FlexPay's (15 retries, 30 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<RecoveryLimits>,
}

pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

impl CompanyRecord {
    pub(crate) fn default_company() -> CompanyRecord {
        CompanyRecord {
            name: DEFAULT_COMPANY_NAME.to_owned(),
            code: DEFAULT_COMPANY_CODE.to_owned(),
            created_at: None,
            deleted: false,
            recovery: None,
        }
    }
}

/// The longest name of a company, API key or auto-retry, and the longest company code, the
/// sandbox keeps: twice what request validation warns about for a company's name
/// (`limits::COMPANY_NAME`), so only a value that is plainly not one (a pasted document) is
/// refused. (A user's name has its own limit, `users::NAME_MAX_CHARS`.)
pub const LABEL_MAX_CHARS: usize = 200;

/// A character that hides or reorders the text around it where a name is shown (lists, the
/// company menu): C0 and C1 controls, the zero-width space, word joiner and byte-order mark,
/// the direction marks (the Arabic letter mark too) and the bidirectional embeddings,
/// overrides and isolates
/// (`Invoice\u{202E}fdp.exe` shows as `Invoiceexe.pdf`). The zero-width joiner and
/// non-joiner stay: scripts and emoji need them.
fn hides_text(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// What keeps `name` from being kept as a name, worded to follow "the … name" (or a field's
/// label), or `None`: its first character that hides or reorders the text around it, or
/// U+FFFD, which stands where a character could not be read — a browser, and a JavaScript
/// string crossing into WebAssembly, hand half of a surrogate pair (a character cut in two
/// when copied) over as U+FFFD, so the name kept would not be the one typed. Shared by every
/// name the sandbox keeps (companies, API keys, auto-retries, gateways, users) and by the
/// portal's forms, which show it at the field.
pub fn name_fault(name: &str) -> Option<String> {
    let (at, c) = name
        .chars()
        .enumerate()
        .find(|&(_, c)| c == '\u{FFFD}' || hides_text(c))?;
    Some(if c == '\u{FFFD}' {
        format!(
            "has U+FFFD at character {}, where a character could not be read (half of one cut \
             off when it was copied); type that character again",
            at + 1
        )
    } else {
        format!(
            "has U+{:04X}, a control, zero-width or text-direction character, at character {}; \
             such a character hides or reorders the text around it where the name is shown, so \
             remove it",
            u32::from(c),
            at + 1
        )
    })
}

/// A name as kept: trimmed, not blank, at most [`LABEL_MAX_CHARS`] characters and without
/// the characters [`name_fault`] refuses (which the portal's forms call to show the refusal at
/// the field before anything is sent).
pub(crate) fn check_name(name: &str, what: &str) -> Result<String, AdminError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(AdminError::new(
            code::INVALID_NAME,
            format!("the {what} name is blank; give it a name people will recognise"),
        ));
    }
    if let Some(fault) = name_fault(trimmed) {
        return Err(AdminError::new(
            code::INVALID_NAME,
            format!("the {what} name {fault}"),
        ));
    }
    let chars = trimmed.chars().count();
    if chars > LABEL_MAX_CHARS {
        return Err(AdminError::new(
            code::INVALID_NAME,
            format!("the {what} name has {chars} characters; use at most {LABEL_MAX_CHARS}"),
        ));
    }
    Ok(trimmed.to_owned())
}

impl Sandbox {
    /// The live companies, Default Company first, in creation order.
    pub fn companies(&self) -> Vec<Company> {
        self.state
            .companies
            .iter()
            .filter(|company| !company.deleted)
            .map(|company| Company {
                name: company.name.clone(),
                code: company.code.clone(),
            })
            .collect()
    }

    /// Index of the live company with this code (case-insensitive).
    pub(crate) fn company_index(&self, company_code: &str) -> Result<u16, AdminError> {
        self.state
            .companies
            .iter()
            .position(|c| !c.deleted && c.code.eq_ignore_ascii_case(company_code))
            .and_then(|index| u16::try_from(index).ok())
            .ok_or_else(|| {
                let deleted = self.deleted_company_had(company_code);
                let company_code = Shown(company_code);
                AdminError::new(
                    code::COMPANY_NOT_FOUND,
                    if deleted {
                        format!(
                            "the company {company_code:?} was deleted: its transactions stay on \
                             record, but it takes no new payments, follow-ups or settings"
                        )
                    } else {
                        format!(
                            "no company has the code {company_code:?}; list the companies to \
                             see their codes"
                        )
                    },
                )
            })
    }

    /// Whether a deleted company had this code (without regard to ASCII case): its records
    /// keep it.
    fn deleted_company_had(&self, company_code: &str) -> bool {
        self.state
            .companies
            .iter()
            .any(|c| c.deleted && c.code.eq_ignore_ascii_case(company_code))
    }

    pub(crate) fn company_code(&self, company: u16) -> &str {
        self.state
            .companies
            .get(usize::from(company))
            .map_or("", |c| c.code.as_str())
    }

    pub(crate) fn company_name(&self, company: u16) -> &str {
        self.state
            .companies
            .get(usize::from(company))
            .map_or("", |c| c.name.as_str())
    }

    /// Adds a company. The code must be letters and digits only and not used by another
    /// company (whatever its case), deleted ones included.
    pub fn create_company(
        &mut self,
        name: &str,
        company_code: &str,
        now: UtcTimestamp,
    ) -> Result<Company, AdminError> {
        let name = check_name(name, "company")?;
        self.check_company_name_free(&name, None)?;
        let shown = Shown(company_code);
        if company_code.is_empty() || !company_code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(AdminError::new(
                code::INVALID_COMPANY_CODE,
                format!(
                    "the company code {shown:?} must be letters and digits only (no \
                     spaces or symbols), e.g. \"NWS01\""
                ),
            ));
        }
        if company_code.len() > LABEL_MAX_CHARS {
            return Err(AdminError::new(
                code::INVALID_COMPANY_CODE,
                format!(
                    "the company code has {} characters; use at most {LABEL_MAX_CHARS}, e.g. \
                     \"NWS01\"",
                    company_code.len()
                ),
            ));
        }
        if self.company_index(company_code).is_ok() {
            return Err(AdminError::new(
                code::COMPANY_CODE_TAKEN,
                format!("another company already uses the code {shown:?}; pick another"),
            ));
        }
        // A deleted company's transactions stay on record under its code, so the code is not
        // given to another company: their rows would read as the new company's.
        if self.deleted_company_had(company_code) {
            return Err(AdminError::new(
                code::COMPANY_CODE_TAKEN,
                format!(
                    "the code {shown:?} belonged to a deleted company, whose transactions \
                     stay on record under it; pick another"
                ),
            ));
        }
        if self.state.companies.len() >= usize::from(u16::MAX) {
            return Err(AdminError::new(
                code::INVALID_COMPANY_CODE,
                "the account has reached its number of companies; delete unused ones",
            ));
        }
        self.state.companies.push(CompanyRecord {
            name: name.clone(),
            code: company_code.to_owned(),
            created_at: Some(now),
            deleted: false,
            recovery: None,
        });
        Ok(Company {
            name,
            code: company_code.to_owned(),
        })
    }

    /// Refuses a name another live company (not `except`) has, in any ASCII case: the header's
    /// switcher, the lists and the exports name companies by it, and two of one name could
    /// not be told apart there. A deleted company's name may be taken again. Snapshots are
    /// not held to it, so one written before the rule loads as it is.
    fn check_company_name_free(&self, name: &str, except: Option<usize>) -> Result<(), AdminError> {
        let taken = self
            .state
            .companies
            .iter()
            .enumerate()
            .any(|(index, company)| {
                !company.deleted
                    && Some(index) != except
                    && company.name.trim().eq_ignore_ascii_case(name)
            });
        if taken {
            return Err(AdminError::new(
                code::COMPANY_NAME_TAKEN,
                format!(
                    "another company is already named \"{name}\"; the company switcher, the \
                     lists and the exports name companies by their names, so give this one \
                     another"
                ),
            ));
        }
        Ok(())
    }

    /// Gives a company a new name; its code stays.
    pub fn rename_company(
        &mut self,
        company_code: &str,
        new_name: &str,
        _now: UtcTimestamp,
    ) -> Result<Company, AdminError> {
        let name = check_name(new_name, "company")?;
        let index = usize::from(self.company_index(company_code)?);
        self.check_company_name_free(&name, Some(index))?;
        let record = self
            .state
            .companies
            .get_mut(index)
            .ok_or_else(|| AdminError::new(code::COMPANY_NOT_FOUND, "company vanished"))?;
        record.name = name;
        Ok(Company {
            name: record.name.clone(),
            code: record.code.clone(),
        })
    }

    /// The recovery limits of a company: its own if it lowered them, else FlexPay's.
    pub fn recovery_limits(&self, company_code: &str) -> Result<RecoveryLimits, AdminError> {
        let index = usize::from(self.company_index(company_code)?);
        Ok(self.limits_of(index))
    }

    pub(crate) fn limits_of(&self, company: usize) -> RecoveryLimits {
        self.state
            .companies
            .get(company)
            .and_then(|c| c.recovery)
            .unwrap_or_default()
    }

    /// Sets how far FlexPay recovers a payment of this company, in both environments: at most
    /// `max_retries` retries (1–15) within `window_days` days of its first attempt (1–30).
    /// Later soft declines of every chain of the company follow them; a decline past them is
    /// answered with 30100 and closes its chain. Refused with `invalid_recovery_limits`
    /// outside FlexPay's own limits.
    pub fn set_recovery_limits(
        &mut self,
        company_code: &str,
        limits: RecoveryLimits,
    ) -> Result<RecoveryLimits, AdminError> {
        let index = usize::from(self.company_index(company_code)?);
        if let Some(problem) = limits.problem() {
            return Err(AdminError::new(code::INVALID_RECOVERY_LIMITS, problem));
        }
        if let Some(record) = self.state.companies.get_mut(index) {
            record.recovery = (limits != RecoveryLimits::default()).then_some(limits);
        }
        Ok(limits)
    }

    /// Deletes a company with its API keys and FlexPay Retries configurations; its open
    /// recovery chains stop. Its transactions stay on record: the console reads them with
    /// every company (see [`CompanyScope`](super::CompanyScope)). The Default Company cannot
    /// be deleted.
    pub fn delete_company(
        &mut self,
        company_code: &str,
        now: UtcTimestamp,
    ) -> Result<(), AdminError> {
        let index = self.company_index(company_code)?;
        if index == 0 {
            return Err(AdminError::new(
                code::DEFAULT_COMPANY_PROTECTED,
                "the Default Company always exists and cannot be deleted; rename it instead",
            ));
        }
        if let Some(record) = self.state.companies.get_mut(usize::from(index)) {
            record.deleted = true;
        }
        // Its gateways go with it, as a gateway deleted on its own goes: kept for the
        // transactions that name them, listed nowhere, refusing every payment.
        for gateway in &mut self.state.gateways {
            if gateway.company == index && !gateway.deleted {
                gateway.deleted = true;
                gateway.updated_at = now;
            }
        }
        self.state.api_keys.retain(|key| key.company != index);
        self.state
            .auto_retries
            .retain(|config| config.company != index);
        self.stop_company_chains(index, now);
        self.rebuild_indexes();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::account::Environment;
    use crate::flexpay::sandbox::test_support::t0;

    #[test]
    fn the_default_company_exists_and_cannot_be_deleted() {
        let mut sandbox = Sandbox::new(1);
        assert_eq!(
            sandbox.companies(),
            vec![Company {
                name: "Default Company".into(),
                code: "DEFAULT".into()
            }]
        );
        let error = sandbox.delete_company("DEFAULT", t0()).unwrap_err();
        assert_eq!(error.code, code::DEFAULT_COMPANY_PROTECTED);
        sandbox
            .rename_company("default", "Northwind", t0())
            .unwrap();
        assert_eq!(sandbox.companies()[0].name, "Northwind");
        assert_eq!(sandbox.companies()[0].code, "DEFAULT");
    }

    #[test]
    fn companies_need_a_name_and_a_unique_alphanumeric_code() {
        let mut sandbox = Sandbox::new(1);
        sandbox.create_company("Northwind", "NWS01", t0()).unwrap();
        let taken = sandbox.create_company("Other", "nws01", t0()).unwrap_err();
        assert_eq!(taken.code, code::COMPANY_CODE_TAKEN);
        for bad in ["FP_01", "", "A B", "É1"] {
            let error = sandbox.create_company("X", bad, t0()).unwrap_err();
            assert_eq!(error.code, code::INVALID_COMPANY_CODE, "{bad}");
        }
        let blank = sandbox.create_company("  ", "OK1", t0()).unwrap_err();
        assert_eq!(blank.code, code::INVALID_NAME);
        // Characters that hide or reorder text, and a name that is plainly not one.
        for (bad, said) in [
            ("Default Company\u{0}", "U+0000"),
            ("Acme\u{7}", "U+0007"),
            (
                "Invoice\u{202E}fdp.exe",
                "U+202E, a control, zero-width or text-direction character, at character 8",
            ),
            ("Acme\u{200B}", "U+200B"),
            ("A\u{2067}B", "U+2067"),
            ("\u{FEFF}Acme", "U+FEFF"),
            ("شركة\u{061C}1", "U+061C"),
            (
                "Caf\u{FFFD} Ltd",
                "the company name has U+FFFD at character 4, where a character could not be read",
            ),
        ] {
            let error = sandbox.create_company(bad, "OK1", t0()).unwrap_err();
            assert_eq!(error.code, code::INVALID_NAME, "{bad:?}");
            assert!(error.message.contains(said), "{}", error.message);
        }
        let long = "n".repeat(LABEL_MAX_CHARS + 1);
        let error = sandbox.create_company(&long, "OK1", t0()).unwrap_err();
        assert_eq!(
            error.message,
            "the company name has 201 characters; use at most 200"
        );
        let error = sandbox
            .rename_company("NWS01", "North\u{202E}wind", t0())
            .unwrap_err();
        assert_eq!(error.code, code::INVALID_NAME);
        // Letters of every script, accents, emoji and a joiner inside one stay welcome.
        sandbox
            .create_company(&"é".repeat(LABEL_MAX_CHARS), "OK2", t0())
            .unwrap();
        sandbox
            .create_company("Ωmega 株式会社 👩\u{200D}💻", "OK3", t0())
            .unwrap();
        let missing = sandbox.rename_company("NOPE", "x", t0()).unwrap_err();
        assert_eq!(missing.code, code::COMPANY_NOT_FOUND);
        assert_eq!(sandbox.companies().len(), 4);
    }

    #[test]
    fn two_live_companies_never_share_a_name() {
        let mut sandbox = Sandbox::new(1);
        sandbox.create_company("Northwind", "NWS01", t0()).unwrap();
        for (name, code) in [(" northwind ", "NWS02"), ("Default Company", "DEF2")] {
            let error = sandbox.create_company(name, code, t0()).unwrap_err();
            assert_eq!(error.code, code::COMPANY_NAME_TAKEN, "{name}");
            assert!(error
                .message
                .starts_with("another company is already named \""));
        }
        sandbox.create_company("Contoso", "CTS01", t0()).unwrap();
        let error = sandbox
            .rename_company("CTS01", "NORTHWIND", t0())
            .unwrap_err();
        assert_eq!(error.code, code::COMPANY_NAME_TAKEN);
        // A company keeps its own name in another case.
        let renamed = sandbox.rename_company("NWS01", "NorthWind", t0()).unwrap();
        assert_eq!(renamed.name, "NorthWind");
        // A deleted company's name is free again (its code is not).
        sandbox.delete_company("NWS01", t0()).unwrap();
        sandbox.create_company("Northwind", "NWS03", t0()).unwrap();
        // A snapshot written before the rule, with two of one name, loads as it is.
        let text = sandbox
            .to_snapshot()
            .replace("\"name\":\"Contoso\"", "\"name\":\"Northwind\"");
        assert!(Sandbox::from_snapshot(&text).is_ok());
    }

    #[test]
    fn deleting_a_company_revokes_its_keys_and_keeps_its_code_for_its_records() {
        let mut sandbox = Sandbox::new(1);
        sandbox.create_company("Northwind", "NWS01", t0()).unwrap();
        let key = sandbox
            .generate_api_key("crm", "NWS01", Environment::Sandbox, t0())
            .unwrap();
        assert!(sandbox.authenticate(&key.key).is_ok());
        let gateway = crate::flexpay::gateway::Gateway::new(
            "Northwind Stripe",
            crate::flexpay::gateway::GatewayType::Stripe,
            "USD",
            crate::flexpay::gateway::GatewayStatus::Available,
        );
        (sandbox.console_create_gateway("NWS01", Environment::Sandbox, gateway, t0())).unwrap();
        sandbox.delete_company("NWS01", t0()).unwrap();
        assert_eq!(sandbox.authenticate(&key.key).unwrap_err().http_status, 401);
        assert!(sandbox.api_keys().is_empty());
        // Its gateway goes with it: listed nowhere, not left Available out of reach.
        let everywhere = sandbox.console_gateway_listings(
            super::super::console::CompanyScope::All,
            Environment::Sandbox,
        );
        assert!(everywhere.unwrap().is_empty());
        assert!(sandbox.state.gateways.iter().all(|g| g.deleted));
        assert_eq!(sandbox.companies().len(), 1);
        let refund = sandbox
            .console_principal("NWS01", Environment::Sandbox)
            .unwrap_err();
        assert_eq!(refund.code, code::COMPANY_NOT_FOUND);
        assert!(refund.message.contains("was deleted"), "{}", refund.message);
        let taken = sandbox
            .create_company("Northwind again", "nws01", t0())
            .unwrap_err();
        assert_eq!(taken.code, code::COMPANY_CODE_TAKEN);
        assert!(
            taken.message.contains("deleted company"),
            "{}",
            taken.message
        );
        sandbox
            .create_company("Northwind again", "NWS02", t0())
            .unwrap();
        let gone = sandbox.delete_company("GONE", t0()).unwrap_err();
        assert_eq!(gone.code, code::COMPANY_NOT_FOUND);
    }
}
