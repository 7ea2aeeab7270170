//! Gateway Management from the merchant console: the client portal's "Payment gateways" pages
//! list the gateways of one company or of all, and act for one company and environment
//! without an API key. Every call goes through the same
//! internals as the API's (`create_gateway`, `update_gateway`, `set_gateway_status`), so the
//! checks, the write-only settings and the routing rules are the same.

use serde::Serialize;

use crate::flexpay::account::Environment;
use crate::flexpay::gateway::{Gateway, GatewayStatus};
use crate::time::UtcTimestamp;

use super::console::CompanyScope;
use super::error_code as code;
use super::gateways::GatewayRecord;
use super::{AdminError, ApiError, Sandbox};

/// One gateway as the console lists it: the gateway (settings masked) and when it was
/// created and last changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayListing {
    /// `id` holds the Gateway Token; every setting's value is masked.
    pub gateway: Gateway,
    /// Code of the company it belongs to: the one its changes are made for.
    pub company: String,
    pub created_at: UtcTimestamp,
    /// The portal's "Modified".
    pub updated_at: UtcTimestamp,
}

fn admin(error: ApiError) -> AdminError {
    AdminError::new(error.code, error.message)
}

impl Sandbox {
    /// The position of a live gateway of one company and environment.
    fn console_gateway_position(
        &self,
        company_code: &str,
        mode: Environment,
        token: &str,
    ) -> Result<u32, AdminError> {
        let company = self.company_index(company_code)?;
        self.gateway_position(company, mode, token).ok_or_else(|| {
            let token = super::Shown(token);
            AdminError::new(
                code::GATEWAY_NOT_FOUND,
                format!("no gateway {token:?} in this company and environment"),
            )
        })
    }

    /// The gateways of the companies in one environment, oldest first, settings masked, with
    /// their creation and modification times.
    pub fn console_gateway_listings(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
    ) -> Result<Vec<GatewayListing>, AdminError> {
        let scope = self.scope(companies, mode)?;
        Ok(self
            .state
            .gateways
            .iter()
            .filter(|r| scope.holds_live(r.company, r.mode) && !r.deleted)
            .map(|r| GatewayListing {
                gateway: GatewayRecord::view(r),
                company: self.company_code(r.company).to_owned(),
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect())
    }

    /// Creates a gateway for one company and environment, as the portal's "Add a payment
    /// gateway" form does. Returns it with its token in `id` and `settings` masked: the
    /// credentials are never readable again.
    pub fn console_create_gateway(
        &mut self,
        company_code: &str,
        mode: Environment,
        gateway: Gateway,
        now: UtcTimestamp,
    ) -> Result<Gateway, AdminError> {
        let company = self.company_index(company_code)?;
        self.insert_gateway(company, mode, gateway, now)
            .map_err(admin)
    }

    /// Replaces a gateway's fields, like [`Sandbox::update_gateway`]: the name cannot change;
    /// a setting absent or masked keeps its stored credential, a new value replaces it and
    /// `null` removes it.
    pub fn console_update_gateway(
        &mut self,
        company_code: &str,
        mode: Environment,
        token: &str,
        gateway: Gateway,
        now: UtcTimestamp,
    ) -> Result<Gateway, AdminError> {
        let position = self.console_gateway_position(company_code, mode, token)?;
        self.replace_gateway(position, gateway, now).map_err(admin)
    }

    /// Deletes a gateway, like [`Sandbox::delete_gateway`]: it is no longer listed, routed
    /// to or named by new payments; its past transactions keep naming it.
    pub fn console_delete_gateway(
        &mut self,
        company_code: &str,
        mode: Environment,
        token: &str,
        now: UtcTimestamp,
    ) -> Result<(), AdminError> {
        let position = self.console_gateway_position(company_code, mode, token)?;
        self.remove_gateway(position, now);
        Ok(())
    }

    /// Sets a gateway's processing status (Enabled, Disabled, Refund Only).
    pub fn console_set_gateway_status(
        &mut self,
        company_code: &str,
        mode: Environment,
        token: &str,
        status: GatewayStatus,
        now: UtcTimestamp,
    ) -> Result<Gateway, AdminError> {
        let position = self.console_gateway_position(company_code, mode, token)?;
        self.write_gateway_status(position, status, now)
            .map_err(admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::gateway::GatewayType;
    use crate::flexpay::sandbox::test_support::{at_hours, t0, visa_charge};
    use crate::flexpay::transaction::RefundRequest;
    use serde_json::json;

    const MODE: Environment = Environment::Sandbox;

    fn stripe(name: &str) -> Gateway {
        let mut gateway = Gateway::new(name, GatewayType::Stripe, "USD", GatewayStatus::Available);
        gateway.cvv_required = Some(true);
        gateway.settings = json!({"secretKey": "sk_test_hidden-42", "account": "acct_1"})
            .as_object()
            .cloned();
        gateway
    }

    #[test]
    fn console_creates_lists_and_never_returns_credentials() {
        let mut sandbox = Sandbox::new(3);
        let created = sandbox
            .console_create_gateway("DEFAULT", MODE, stripe("Stripe US"), t0())
            .expect("created");
        let token = created.id.clone().expect("a token");
        assert_eq!(token.len(), 26);
        let listed = sandbox
            .console_gateway_listings(CompanyScope::One("DEFAULT"), MODE)
            .expect("listed");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].gateway, created);
        assert_eq!((listed[0].created_at, listed[0].updated_at), (t0(), t0()));
        let settings = listed[0].gateway.settings.clone().expect("names kept");
        assert_eq!(settings.len(), 2);
        assert!(settings
            .values()
            .all(|v| v == super::super::gateways::MASKED_SETTING));
        let everything =
            sandbox.to_snapshot() + &serde_json::to_string(&listed).unwrap_or_default();
        assert!(!everything.contains("sk_test_hidden-42"));
        // The same list as console_gateways, and nothing in the other mode or company.
        assert_eq!(
            sandbox.console_gateways("DEFAULT", MODE).expect("listed"),
            vec![created]
        );
        assert!(sandbox
            .console_gateway_listings(CompanyScope::One("DEFAULT"), Environment::Production)
            .expect("listed")
            .is_empty());
        let unknown = sandbox
            .console_create_gateway("NOPE", MODE, stripe("X"), t0())
            .expect_err("no such company");
        assert_eq!(unknown.code, code::COMPANY_NOT_FOUND);
    }

    #[test]
    fn the_flexpay_sandbox_gateway_is_refused_in_production_created_or_changed() {
        let mut sandbox = Sandbox::new(3);
        let mut test_gateway = stripe("Test");
        test_gateway.gateway_type = GatewayType::FlexpaySandbox;
        let live = Environment::Production;
        let error = sandbox
            .console_create_gateway("DEFAULT", live, test_gateway.clone(), t0())
            .expect_err("a test gateway for live payments");
        assert_eq!(error.code, code::INVALID_GATEWAY_TYPE);
        assert!(
            error.message.contains("takes Sandbox payments only"),
            "{error:?}"
        );
        // A Production gateway cannot become one either; the Sandbox takes one.
        let stripe_live = sandbox
            .console_create_gateway("DEFAULT", live, stripe("Live"), t0())
            .expect("a live gateway");
        let token = stripe_live.id.clone().expect("a token");
        let mut changed = stripe_live;
        changed.gateway_type = GatewayType::FlexpaySandbox;
        let error = sandbox
            .console_update_gateway("DEFAULT", live, &token, changed, t0())
            .expect_err("a test type for a live gateway");
        assert_eq!(error.code, code::INVALID_GATEWAY_TYPE);
        assert!(sandbox
            .console_create_gateway("DEFAULT", MODE, test_gateway, t0())
            .is_ok());
    }

    #[test]
    fn console_refuses_invalid_gateways_with_the_api_codes() {
        let mut sandbox = Sandbox::new(3);
        let mut bad = stripe("X");
        bad.gateway_type = GatewayType::from_wire("Stripe");
        let error = sandbox
            .console_create_gateway("DEFAULT", MODE, bad, t0())
            .expect_err("bad type");
        assert_eq!(error.code, code::INVALID_GATEWAY_TYPE);
        assert_eq!(
            sandbox
                .console_create_gateway("DEFAULT", MODE, stripe("  "), t0())
                .expect_err("blank name")
                .code,
            code::INVALID_GATEWAY_NAME
        );
        assert!(sandbox
            .console_gateway_listings(CompanyScope::One("DEFAULT"), MODE)
            .expect("listed")
            .is_empty());
    }

    #[test]
    fn console_updates_credentials_and_keeps_masked_ones() {
        let mut sandbox = Sandbox::new(3);
        let created = sandbox
            .console_create_gateway("DEFAULT", MODE, stripe("Stripe US"), t0())
            .expect("created");
        let token = created.id.clone().expect("a token");
        let fingerprint = |s: &Sandbox| {
            s.state
                .gateways
                .first()
                .map(|r| r.settings.clone())
                .unwrap_or_default()
        };
        let before = fingerprint(&sandbox);
        // Sending back what was read changes no credential, but is a modification.
        let same = sandbox
            .console_update_gateway("DEFAULT", MODE, &token, created.clone(), at_hours(1))
            .expect("updated");
        assert_eq!(fingerprint(&sandbox), before);
        assert_eq!(same.settings, created.settings);
        let mut rotated = created.clone();
        rotated.settings = json!({"secretKey": "sk_test_new", "webhookSecret": "wh"})
            .as_object()
            .cloned();
        let after = sandbox
            .console_update_gateway("DEFAULT", MODE, &token, rotated, at_hours(2))
            .expect("rotated");
        let after_settings = fingerprint(&sandbox);
        assert_ne!(after_settings.get("secretKey"), before.get("secretKey"));
        assert_eq!(after_settings.get("account"), before.get("account"));
        assert_eq!(after.settings.map(|s| s.len()), Some(3));
        let listing = sandbox
            .console_gateway_listings(CompanyScope::One("DEFAULT"), MODE)
            .expect("listed");
        assert_eq!(listing[0].updated_at, at_hours(2));
        let mut renamed = created;
        renamed.name = "Renamed".into();
        assert_eq!(
            sandbox
                .console_update_gateway("DEFAULT", MODE, &token, renamed, t0())
                .expect_err("name is fixed")
                .code,
            code::GATEWAY_NAME_NOT_UPDATABLE
        );
        assert_eq!(
            sandbox
                .console_update_gateway("DEFAULT", MODE, "ZZZ", stripe("Stripe US"), t0())
                .expect_err("unknown")
                .code,
            code::GATEWAY_NOT_FOUND
        );
    }

    #[test]
    fn refund_only_set_from_the_console_refuses_charges_but_allows_refunds() {
        let mut sandbox = Sandbox::new(3);
        let token = sandbox
            .console_create_gateway("DEFAULT", MODE, stripe("Stripe US"), t0())
            .expect("created")
            .id
            .expect("a token");
        let principal = sandbox.console_principal("DEFAULT", MODE).expect("console");
        let paid = sandbox
            .submit_charge(&principal, visa_charge("c-1", 1500).gateway(&token), t0())
            .expect("charged");
        assert_eq!(paid.response_code.value(), 10000);
        let paid_id = sandbox
            .response(paid.transaction)
            .expect("stored")
            .transaction_id;
        let status = sandbox
            .console_set_gateway_status("DEFAULT", MODE, &token, GatewayStatus::RefundOnly, t0())
            .expect("set")
            .status;
        assert_eq!(status, GatewayStatus::RefundOnly);
        let refused = sandbox
            .submit_charge(&principal, visa_charge("c-2", 1500).gateway(&token), t0())
            .expect("answered");
        assert_eq!(refused.response_code.value(), 50130);
        let refund = sandbox
            .submit_refund(&principal, &paid_id, RefundRequest::full("r-1"), t0())
            .expect("answered");
        assert_eq!(refund.response_code.value(), 10000);
        // Another company does not see this gateway.
        sandbox
            .create_company("Brand B", "BRANDB", t0())
            .expect("created");
        assert_eq!(
            sandbox
                .console_set_gateway_status("BRANDB", MODE, &token, GatewayStatus::Disabled, t0())
                .expect_err("not theirs")
                .code,
            code::GATEWAY_NOT_FOUND
        );
    }

    #[test]
    fn a_deleted_gateway_is_gone_from_the_console_and_from_routing_but_its_payments_stay() {
        let mut sandbox = Sandbox::new(5);
        let gateway = sandbox
            .console_create_gateway("DEFAULT", MODE, stripe("Old Stripe"), t0())
            .unwrap();
        let token = gateway.id.clone().unwrap_or_default();
        let principal = sandbox.console_principal("DEFAULT", MODE).unwrap();
        let mut paid = visa_charge("before-delete", 1000);
        paid.gateway_token = Some(token.clone());
        let receipt = sandbox.submit_charge(&principal, paid, t0()).unwrap();
        assert_eq!(receipt.response_code.value(), 10000);

        assert_eq!(
            sandbox
                .console_delete_gateway("DEFAULT", Environment::Production, &token, t0())
                .unwrap_err()
                .code,
            code::GATEWAY_NOT_FOUND,
            "another environment's gateways are out of reach"
        );
        sandbox
            .console_delete_gateway("DEFAULT", MODE, &token, at_hours(1))
            .unwrap();
        assert!(sandbox
            .console_gateway_listings(CompanyScope::One("DEFAULT"), MODE)
            .unwrap()
            .is_empty());
        let mut named = visa_charge("after-delete", 1000);
        named.gateway_token = Some(token.clone());
        let refused = sandbox
            .submit_charge(&principal, named, at_hours(2))
            .unwrap();
        assert_eq!(refused.response_code.value(), 50143);
        // Its past payment still names it.
        let past = sandbox
            .console_transactions(CompanyScope::One("DEFAULT"), MODE)
            .unwrap()
            .into_iter()
            .find(|t| t.merchant_transaction_id == "before-delete")
            .unwrap();
        assert_eq!(past.gateway_token.as_deref(), Some(token.as_str()));
        assert_eq!(
            sandbox
                .console_delete_gateway("DEFAULT", MODE, &token, at_hours(3))
                .unwrap_err()
                .code,
            code::GATEWAY_NOT_FOUND,
            "a deleted gateway cannot be deleted twice"
        );
    }
}
