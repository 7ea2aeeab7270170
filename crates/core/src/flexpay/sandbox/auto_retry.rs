//! FlexPay Retries (reference §12, seed "Integrations"): at most one auto-retry configuration
//! per company × environment. While a company's configuration for an environment is
//! `Enabled`, every soft decline of that company in that environment is retried by the
//! sandbox itself ([`Sandbox::run_due_retries`]).
//! Disabling or deleting the configuration leaves already-declined chains open for the
//! merchant to retry, but the sandbox no longer fires them.

use serde::{Deserialize, Serialize};

use crate::flexpay::account::{AutoRetryStatus, Environment};
use crate::time::UtcTimestamp;

use super::accounts::check_name;
use super::error_code as code;
use super::recovery::ChainOutcome;
use super::{take_id, AdminError, Sandbox};

/// Identifies a FlexPay Retries configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AutoRetryId(pub u32);

/// A FlexPay Retries configuration as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoRetryListing {
    pub id: AutoRetryId,
    pub name: String,
    /// Company code.
    pub company: String,
    pub environment: Environment,
    pub status: AutoRetryStatus,
    pub created_at: UtcTimestamp,
    pub updated_at: UtcTimestamp,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AutoRetryRecord {
    pub id: AutoRetryId,
    pub name: String,
    pub company: u16,
    pub environment: Environment,
    pub status: AutoRetryStatus,
    pub created_at: UtcTimestamp,
    pub updated_at: UtcTimestamp,
}

impl Sandbox {
    /// Adds the FlexPay Retries configuration of a company × environment. A second one for
    /// the same pair is refused (`auto_retry_exists`).
    pub fn add_auto_retry(
        &mut self,
        name: &str,
        company_code: &str,
        environment: Environment,
        status: AutoRetryStatus,
        now: UtcTimestamp,
    ) -> Result<AutoRetryListing, AdminError> {
        let name = check_name(name, "auto-retry")?;
        let company = self.company_index(company_code)?;
        if self
            .state
            .auto_retries
            .iter()
            .any(|c| c.company == company && c.environment == environment)
        {
            return Err(AdminError::new(
                code::AUTO_RETRY_EXISTS,
                format!(
                    "FlexPay retries can only be enabled once per Company/Environment \
                     combination: company {} already has one for {environment:?}; enable, disable or \
                     delete that one instead",
                    self.company_code(company)
                ),
            ));
        }
        let id = AutoRetryId(take_id(
            &mut self.state.next_auto_retry_id,
            "FlexPay Retries configuration",
            "nextAutoRetryId",
        )?);
        self.state.auto_retries.push(AutoRetryRecord {
            id,
            name,
            company,
            environment,
            status,
            created_at: now,
            updated_at: now,
        });
        self.auto_retry(id)
    }

    fn auto_retry(&self, id: AutoRetryId) -> Result<AutoRetryListing, AdminError> {
        self.auto_retries()
            .into_iter()
            .find(|listing| listing.id == id)
            .ok_or_else(|| not_found(id))
    }

    /// Every FlexPay Retries configuration, oldest first.
    pub fn auto_retries(&self) -> Vec<AutoRetryListing> {
        self.state
            .auto_retries
            .iter()
            .map(|record| AutoRetryListing {
                id: record.id,
                name: record.name.clone(),
                company: self.company_code(record.company).to_owned(),
                environment: record.environment,
                status: record.status,
                created_at: record.created_at,
                updated_at: record.updated_at,
            })
            .collect()
    }

    /// Turns a configuration on or off.
    pub fn update_auto_retry_status(
        &mut self,
        id: AutoRetryId,
        status: AutoRetryStatus,
        now: UtcTimestamp,
    ) -> Result<AutoRetryListing, AdminError> {
        let record = self
            .state
            .auto_retries
            .iter_mut()
            .find(|record| record.id == id)
            .ok_or_else(|| not_found(id))?;
        record.status = status;
        record.updated_at = now;
        let (company, environment) = (record.company, record.environment);
        if status != AutoRetryStatus::Enabled {
            self.hand_retries_to_merchant(company, environment);
        }
        self.auto_retry(id)
    }

    /// Deletes a configuration.
    pub fn delete_auto_retry(
        &mut self,
        id: AutoRetryId,
        _now: UtcTimestamp,
    ) -> Result<(), AdminError> {
        let position = self
            .state
            .auto_retries
            .iter()
            .position(|record| record.id == id)
            .ok_or_else(|| not_found(id))?;
        let record = self.state.auto_retries.remove(position);
        self.hand_retries_to_merchant(record.company, record.environment);
        Ok(())
    }

    /// Once FlexPay Retries is off for a company × environment, the payments it was retrying
    /// are the merchant's again: their next retry keeps its `retryDate` and `referenceData`,
    /// is no longer scheduled, and is the CRM's (or the console's) to send. Switching it back
    /// on takes new declines only, so nothing is sent for the time it was off, let alone
    /// dated then. A snapshot's chain left with the scheduler while it is off is handed over
    /// on load ([`Sandbox::rebuild_indexes`]).
    pub(crate) fn hand_retries_to_merchant(&mut self, company: u16, environment: Environment) {
        if self.auto_retry_enabled(company, environment) {
            return;
        }
        for (position, chain) in self.state.chains.iter_mut().enumerate() {
            if chain.auto_retry
                && chain.outcome == ChainOutcome::InRecovery
                && chain.company == company
                && chain.mode == environment
            {
                chain.auto_retry = false;
                if let Some(due) = chain.next_retry {
                    let position = u32::try_from(position).unwrap_or(u32::MAX);
                    self.index.schedule.remove(&(due, position));
                }
            }
        }
    }

    /// Whether the sandbox schedules the retries of this company × environment itself.
    pub(crate) fn auto_retry_enabled(&self, company: u16, environment: Environment) -> bool {
        self.state.auto_retries.iter().any(|record| {
            record.company == company
                && record.environment == environment
                && record.status == AutoRetryStatus::Enabled
        })
    }
}

fn not_found(id: AutoRetryId) -> AdminError {
    AdminError::new(
        code::AUTO_RETRY_NOT_FOUND,
        format!(
            "no FlexPay Retries configuration has the id {}; list them to see their ids",
            id.0
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::t0;

    #[test]
    fn one_configuration_per_company_and_environment() {
        let mut sandbox = Sandbox::new(3);
        let sandbox_config = sandbox
            .add_auto_retry(
                "Scheduler sandbox",
                "DEFAULT",
                Environment::Sandbox,
                AutoRetryStatus::Enabled,
                t0(),
            )
            .unwrap();
        sandbox
            .add_auto_retry(
                "Scheduler live",
                "DEFAULT",
                Environment::Production,
                AutoRetryStatus::Disabled,
                t0(),
            )
            .unwrap();
        let second = sandbox
            .add_auto_retry(
                "Again",
                "DEFAULT",
                Environment::Sandbox,
                AutoRetryStatus::Enabled,
                t0(),
            )
            .unwrap_err();
        assert_eq!(second.code, code::AUTO_RETRY_EXISTS);
        assert!(second
            .message
            .contains("can only be enabled once per Company/Environment combination"));
        assert_eq!(sandbox.auto_retries().len(), 2);
        assert!(sandbox.auto_retry_enabled(0, Environment::Sandbox));
        assert!(!sandbox.auto_retry_enabled(0, Environment::Production));

        let later = t0().checked_add_seconds(60).unwrap();
        let updated = sandbox
            .update_auto_retry_status(sandbox_config.id, AutoRetryStatus::Disabled, later)
            .unwrap();
        assert_eq!(updated.status, AutoRetryStatus::Disabled);
        assert_eq!(updated.updated_at, later);
        assert!(!sandbox.auto_retry_enabled(0, Environment::Sandbox));

        sandbox.delete_auto_retry(sandbox_config.id, later).unwrap();
        assert_eq!(
            sandbox
                .delete_auto_retry(sandbox_config.id, later)
                .unwrap_err()
                .code,
            code::AUTO_RETRY_NOT_FOUND
        );
        assert_eq!(
            sandbox
                .update_auto_retry_status(sandbox_config.id, AutoRetryStatus::Enabled, later)
                .unwrap_err()
                .code,
            code::AUTO_RETRY_NOT_FOUND
        );
        // The pair is free again.
        sandbox
            .add_auto_retry(
                "Back",
                "DEFAULT",
                Environment::Sandbox,
                AutoRetryStatus::Enabled,
                later,
            )
            .unwrap();
    }

    #[test]
    fn the_company_must_exist() {
        let mut sandbox = Sandbox::new(3);
        let error = sandbox
            .add_auto_retry(
                "x",
                "NOPE",
                Environment::Sandbox,
                AutoRetryStatus::Enabled,
                t0(),
            )
            .unwrap_err();
        assert_eq!(error.code, code::COMPANY_NOT_FOUND);
    }
}
