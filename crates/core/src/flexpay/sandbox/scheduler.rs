//! The sandbox's own scheduler (Enterprise with Scheduler, FlexPay Retries): soft-declined
//! charges of a company whose FlexPay Retries configuration for their environment (Sandbox or
//! Production) is enabled are retried by the sandbox at their `retryDate`.
//!
//! [`Sandbox::run_due_retries`] fires every scheduled retry whose date is at or before `now`,
//! earliest first, each one *at its own date* (its `transactionDate` is the `retryDate`, not
//! `now`): calling it late catches up exactly as if the scheduler had been on time, including
//! retries scheduled by retries fired in the same call. A retry is never fired before its
//! date. How scheduled retries resolve is described in [`super::retry_schedule`].
//!
//! A scheduled retry repeats the chain's first attempt — amount, currency, card, holder and
//! order — with `retryCount` + 1, the chain's latest `referenceData`, and the merchant
//! transaction id `<first attempt's id>-R<retryCount>` (suffixed `-2`, `-3`, … if taken). A
//! chain whose configuration was disabled, whose company was deleted, or that the merchant
//! retried itself in the meantime is skipped.

use serde::Serialize;

use crate::flexpay::transaction::TransactionResponse;
use crate::time::UtcTimestamp;

use super::recovery::{ChainId, ChainOutcome};
use super::transactions::PaymentInput;
use super::triggers::CardIdentity;
use super::Sandbox;

/// One retry the scheduler fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledRetryRun {
    pub chain: ChainId,
    /// When it was due, and so when it ran.
    pub due: UtcTimestamp,
    pub response: TransactionResponse,
}

impl Sandbox {
    /// Fires every scheduled retry due at or before `now`; see the module documentation.
    pub fn run_due_retries(&mut self, now: UtcTimestamp) -> Vec<ScheduledRetryRun> {
        self.run_scheduled(|due| due <= now)
    }

    /// Fires every scheduled retry due strictly before `instant`, each at its own date: what
    /// has to happen before anything is sent at `instant`, while a retry due exactly then
    /// may still be sent by the merchant at that instant.
    pub fn run_retries_due_before(&mut self, instant: UtcTimestamp) -> Vec<ScheduledRetryRun> {
        self.run_scheduled(|due| due < instant)
    }

    /// Fires the scheduled retries, earliest first, while `is_due` says the next one is.
    fn run_scheduled(&mut self, is_due: impl Fn(UtcTimestamp) -> bool) -> Vec<ScheduledRetryRun> {
        let mut runs = Vec::new();
        while let Some(&(due, chain)) = self.index.schedule.first() {
            if !is_due(due) {
                break;
            }
            self.index.schedule.remove(&(due, chain));
            let Some(input) = self.scheduled_input(chain, due) else {
                continue;
            };
            let handle = self.process_payment(input, None);
            if let Some(response) = self.response(handle) {
                runs.push(ScheduledRetryRun {
                    chain: ChainId(chain),
                    due,
                    response,
                });
            }
        }
        runs
    }

    /// The next retry the scheduler will fire, if any.
    pub fn next_scheduled_retry(&self) -> Option<UtcTimestamp> {
        self.index.schedule.first().map(|&(due, _)| due)
    }

    fn scheduled_input(
        &self,
        chain_index: u32,
        due: UtcTimestamp,
    ) -> Option<PaymentInput<'static>> {
        let chain = self.state.chains.get(chain_index as usize)?;
        let still_due = chain.outcome == ChainOutcome::InRecovery
            && chain.auto_retry
            && chain.next_retry == Some(due)
            && self
                .state
                .companies
                .get(usize::from(chain.company))
                .is_some_and(|company| !company.deleted)
            && self.auto_retry_enabled(chain.company, chain.mode);
        if !still_due {
            return None;
        }
        self.retry_input(chain_index, due, true)
    }

    /// The next attempt of a chain, as its first attempt repeated with `retryCount` + 1 and
    /// the latest `referenceData`, sent at `at` — by the sandbox's scheduler or, from the
    /// console, by the merchant.
    pub(crate) fn retry_input(
        &self,
        chain_index: u32,
        at: UtcTimestamp,
        by_scheduler: bool,
    ) -> Option<PaymentInput<'static>> {
        let chain = self.state.chains.get(chain_index as usize)?;
        let first = self
            .state
            .transactions
            .get(chain.first_transaction as usize)?;
        let redacted = first
            .vault
            .and_then(|owner| self.state.transactions.get(owner as usize))
            .is_some_and(|owner| owner.redacted);
        let retry_count = chain.last_retry_count.saturating_add(1);
        let base = format!("{}-R{retry_count}", first.merchant_transaction_id);
        let mut merchant_transaction_id = base.clone();
        let mut suffix = 2u32;
        while self
            .find_merchant_id(chain.company, chain.mode, &merchant_transaction_id)
            .is_some()
        {
            merchant_transaction_id = format!("{base}-{suffix}");
            suffix = suffix.saturating_add(1);
        }
        Some(PaymentInput {
            kind: first.kind,
            company: chain.company,
            mode: chain.mode,
            now: at,
            merchant_transaction_id: merchant_transaction_id.into(),
            amount: first.amount.unwrap_or(chain.amount),
            currency: chain.currency,
            retry_count,
            reference_data: chain.reference.map(|r| r.to_string().into()),
            gateway_token: None,
            card: first.card.map(|mut card| {
                // The sandbox, like FlexPay, never keeps a CVV to resend.
                card.cvv_sent = false;
                card
            }),
            identity: CardIdentity::GatewayStored,
            cvv: None,
            disable_customer_recovery: first.disable_customer_recovery,
            retain_on_success: false,
            date_first_attempt: first.date_first_attempt.or(Some(chain.first_attempt_at)),
            echo: first.echo.clone(),
            address1: None,
            // A payment on a vaulted card is refused once the card was redacted.
            vaulted: first.vault.is_some(),
            vault: first.vault.filter(|_| !redacted),
            vault_redacted: redacted,
            scheduled_chain: by_scheduler.then_some(chain_index),
            rebill: chain.rebill,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::account::AutoRetryStatus;
    use crate::flexpay::response_code::ResponseCode;
    use crate::flexpay::sandbox::test_support::{
        at_hours, sandbox_with_flexpay_retries, sandbox_with_key, t0, visa_charge,
    };

    #[test]
    fn do_not_honour_is_recovered_on_the_third_scheduled_retry() {
        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        let first = sandbox
            .charge(&key, visa_charge("auto-1", 2008), t0())
            .unwrap();
        assert_eq!(first.response_code, ResponseCode::DO_NOT_HONOR);
        assert!(sandbox.retried_by_flexpay(&first.transaction_id));
        let due = sandbox.next_scheduled_retry().unwrap();
        assert_eq!(due.to_string(), "2023-11-09T00:00:00Z");
        // Nothing runs a second early.
        assert!(sandbox
            .run_due_retries(due.checked_add_seconds(-1).unwrap())
            .is_empty());
        let runs = sandbox.run_due_retries(at_hours(24 * 10));
        let codes: Vec<u32> = runs
            .iter()
            .map(|r| r.response.response_code.value())
            .collect();
        assert_eq!(codes, [20003, 20003, 10000]);
        let counts: Vec<Option<u32>> = runs.iter().map(|r| r.response.retry_count).collect();
        assert_eq!(counts, [Some(2), Some(3), Some(4)]);
        assert_eq!(
            runs[0].response.merchant_transaction_id.as_deref(),
            Some("auto-1-R2")
        );
        for run in &runs {
            assert_eq!(
                run.response.transaction_date.as_deref(),
                Some(run.due.to_string().as_str())
            );
        }
        assert_eq!(runs[1].due.to_string(), "2023-11-10T00:00:00Z");
        let chain = &sandbox.chains()[0];
        assert_eq!(chain.outcome, ChainOutcome::Approved);
        assert_eq!(chain.attempts.len(), 4);
        assert!(chain.attempts[1..].iter().all(|a| a.scheduled_by_sandbox));
        assert!(sandbox.run_due_retries(at_hours(24 * 60)).is_empty());
        // Recovered: nothing more for FlexPay Retries to send.
        assert!(!sandbox.retried_by_flexpay(&first.transaction_id));
    }

    #[test]
    fn a_merchant_sends_the_retries_of_a_company_without_flexpay_retries() {
        let (mut sandbox, key) = sandbox_with_key();
        let first = sandbox
            .charge(&key, visa_charge("own-1", 2008), t0())
            .unwrap();
        assert!(first.retry_date.is_some());
        assert!(!sandbox.retried_by_flexpay(&first.transaction_id));
        assert!(!sandbox.retried_by_flexpay("NO-SUCH-ID"));
    }

    #[test]
    fn insufficient_funds_is_never_recovered_and_stops_at_the_limit() {
        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        sandbox
            .charge(&key, visa_charge("auto-2", 2012), t0())
            .unwrap();
        let runs = sandbox.run_due_retries(at_hours(24 * 60));
        let last = runs.last().unwrap();
        assert_eq!(
            last.response.response_code,
            ResponseCode::RETRY_LIMIT_REACHED
        );
        assert!(last.response.retry_date.is_none());
        assert!(runs[..runs.len() - 1]
            .iter()
            .all(|r| r.response.response_code == ResponseCode::INSUFFICIENT_FUNDS));
        // 72-hour spacing hits the 30-day window before 15 retries.
        assert!(runs.len() < 15);
        assert_eq!(sandbox.chains()[0].outcome, ChainOutcome::Declined);
    }

    #[test]
    fn the_recovery_window_runs_from_the_date_first_attempt_the_payment_sent() {
        // Declined at the merchant's own gateway 5 days before it reached FlexPay.
        let declined_at = at_hours(-24 * 5);
        let window_end = declined_at.checked_add_seconds(30 * 24 * 3600).unwrap();
        let runs = |date_first_attempt: Option<UtcTimestamp>| {
            let (mut sandbox, key) = sandbox_with_flexpay_retries();
            let mut payment = visa_charge("auto-3", 2012);
            if let Some(at) = date_first_attempt {
                payment = payment.first_attempted_at(at.to_string());
            }
            sandbox.charge(&key, payment, t0()).unwrap();
            sandbox.run_due_retries(at_hours(24 * 60))
        };
        let sent = runs(Some(declined_at));
        let last = sent.last().unwrap();
        assert_eq!(
            last.response.response_code,
            ResponseCode::RETRY_LIMIT_REACHED
        );
        // No retryDate handed out falls after the window, so none is certain to be refused.
        assert!(sent.iter().all(|r| r.due <= window_end));
        assert!(sent
            .iter()
            .filter_map(|r| r.response.retry_date.as_deref())
            .all(|d| UtcTimestamp::parse_iso8601(d).unwrap() <= window_end));
        // Counted from the request instead, the window reaches further.
        assert!(runs(None).len() > sent.len());
    }

    #[test]
    fn without_an_enabled_configuration_nothing_is_scheduled() {
        let (mut sandbox, key) = sandbox_with_key();
        sandbox
            .charge(&key, visa_charge("manual-1", 2008), t0())
            .unwrap();
        assert_eq!(sandbox.next_scheduled_retry(), None);
        assert!(sandbox.run_due_retries(at_hours(24 * 60)).is_empty());

        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        sandbox
            .charge(&key, visa_charge("auto-3", 2005), t0())
            .unwrap();
        let id = sandbox.auto_retries()[0].id;
        sandbox
            .update_auto_retry_status(id, AutoRetryStatus::Disabled, t0())
            .unwrap();
        assert!(sandbox.run_due_retries(at_hours(24 * 60)).is_empty());
        assert_eq!(sandbox.chains()[0].outcome, ChainOutcome::InRecovery);
    }

    #[test]
    fn switched_off_or_deleted_flexpay_retries_hands_its_payments_back_to_the_merchant() {
        for delete in [false, true] {
            let (mut sandbox, key) = sandbox_with_flexpay_retries();
            let first = sandbox
                .charge(&key, visa_charge("auto-5", 2008), t0())
                .unwrap();
            assert!(sandbox.retried_by_flexpay(&first.transaction_id));
            let due = sandbox.next_scheduled_retry().unwrap();
            let id = sandbox.auto_retries()[0].id;
            if delete {
                sandbox.delete_auto_retry(id, t0()).unwrap();
            } else {
                sandbox
                    .update_auto_retry_status(id, AutoRetryStatus::Disabled, t0())
                    .unwrap();
            }
            // The payment is the merchant's: not FlexPay's to send, nothing scheduled, its
            // retryDate kept, and no console shows it as FlexPay's.
            assert!(!sandbox.retried_by_flexpay(&first.transaction_id));
            assert_eq!(sandbox.next_scheduled_retry(), None);
            assert!(!sandbox.chains()[0].auto_retry);
            assert_eq!(sandbox.chains()[0].next_retry, Some(due));
            if !delete {
                // Switched back on, it takes new declines only: the missed retry is not sent
                // late, nor dated back to when it was due.
                sandbox
                    .update_auto_retry_status(id, AutoRetryStatus::Enabled, at_hours(60))
                    .unwrap();
                assert!(sandbox.run_due_retries(at_hours(24 * 60)).is_empty());
                let second = sandbox
                    .charge(&key, visa_charge("auto-6", 2008), at_hours(61))
                    .unwrap();
                assert!(sandbox.retried_by_flexpay(&second.transaction_id));
                assert!(!sandbox.retried_by_flexpay(&first.transaction_id));
            }
            // The merchant's retry is taken, at its retryDate.
            let retry = visa_charge("auto-5-r2", 2008).retry_attempt(2, first.reference_data);
            let answer = sandbox.charge(&key, retry, due).unwrap();
            assert_eq!(answer.retry_count, Some(2));
            assert_eq!(answer.response_code, ResponseCode::DO_NOT_HONOR);
        }
    }

    #[test]
    fn a_snapshot_left_with_flexpay_retries_switched_off_loads_with_its_payments_the_merchant_s() {
        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        let first = sandbox
            .charge(&key, visa_charge("auto-7", 2008), t0())
            .unwrap();
        // A document written before switching off handed the payments over.
        let text = sandbox
            .to_snapshot()
            .replace("\"status\":\"Enabled\"", "\"status\":\"Disabled\"");
        let restored = Sandbox::from_snapshot(&text).unwrap();
        assert!(!restored.retried_by_flexpay(&first.transaction_id));
        assert_eq!(restored.next_scheduled_retry(), None);
    }

    #[test]
    fn a_merchant_retry_replaces_the_scheduled_one() {
        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        let first = sandbox
            .charge(&key, visa_charge("auto-4", 2005), t0())
            .unwrap();
        let retry = visa_charge("auto-4-mine", 2005).retry_attempt(2, first.reference_data);
        let mine = sandbox.charge(&key, retry, at_hours(30)).unwrap();
        assert_eq!(mine.response_code, ResponseCode::APPROVED);
        assert!(sandbox.run_due_retries(at_hours(24 * 60)).is_empty());
    }
}
