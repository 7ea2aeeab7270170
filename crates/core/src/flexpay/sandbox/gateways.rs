//! Gateway Management (reference §14; Integration Guide steps 6 and 7): gateways of a company
//! and environment, created, updated, read, listed and deleted with that company's API key,
//! and the routing of charges to them.
//!
//! The sandbox keeps no credential: of `settings` it stores each name with the SHA-256 of its
//! JSON value, enough to tell that credentials were updated. Reads return every setting name
//! with the value `********`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::flexpay::account::Environment;
use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
use crate::money::Currency;
use crate::time::UtcTimestamp;

use super::accounts::is_false;
use super::api_keys::{hex, sha256, KeyHash};
use super::error_code as code;
use super::tokens::Token;
use super::transactions::Refusal;
use super::{ApiError, Sandbox, BUILT_IN_GATEWAY_TOKEN, NO_GATEWAY_TOKEN};

/// What reads show instead of a setting's value.
pub const MASKED_SETTING: &str = "********";

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GatewayRecord {
    pub token: Token,
    pub company: u16,
    pub mode: Environment,
    /// The gateway as last written, without `settings` and `id`.
    pub gateway: Gateway,
    /// Setting name → SHA-256 of its JSON value.
    pub settings: BTreeMap<String, KeyHash>,
    pub created_at: UtcTimestamp,
    pub updated_at: UtcTimestamp,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
}

impl GatewayRecord {
    pub(crate) fn view(&self) -> Gateway {
        let mut gateway = self.gateway.clone();
        gateway.id = Some(self.token.to_string());
        gateway.settings = (!self.settings.is_empty()).then(|| {
            self.settings
                .keys()
                .map(|name| (name.clone(), serde_json::Value::from(MASKED_SETTING)))
                .collect()
        });
        gateway
    }
}

/// Which gateway a transaction went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum GatewayRef {
    /// The built-in FlexPay Sandbox gateway.
    BuiltIn,
    /// Refused before any gateway (`flexpay_declined`).
    NotReached,
    /// A gateway created through Gateway Management (index into the gateway list).
    Created(u32),
}

/// The gateway fields of a transaction response.
pub(crate) struct GatewayFields<'a> {
    pub token: String,
    pub gateway_type: GatewayType,
    pub merchant_account_reference_id: Option<&'a str>,
    pub name: &'a str,
}

fn fingerprint(value: &serde_json::Value) -> KeyHash {
    KeyHash(sha256(value.to_string().as_bytes()))
}

fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(400, code, message)
}

fn check_gateway(gateway: &Gateway) -> Result<(), ApiError> {
    if gateway.name.trim().is_empty() {
        return Err(bad_request(
            code::INVALID_GATEWAY_NAME,
            "the gateway name is blank; name it as the Integration Point does",
        ));
    }
    let supported =
        gateway.gateway_type.is_known() && gateway.gateway_type != GatewayType::FlexpayDeclined;
    if !supported {
        return Err(bad_request(
            code::INVALID_GATEWAY_TYPE,
            format!(
                "50145 invalid gateway type {:?}: use one of the supported gateway type codes, \
                 e.g. \"flexpay_sandbox\" or \"stripe\" (codes are case-sensitive)",
                gateway.gateway_type.as_str()
            ),
        ));
    }
    let currencies = core::iter::once(&gateway.currency_code)
        .chain(gateway.accepted_currency_codes.iter().flatten());
    for currency in currencies {
        if Currency::from_code(currency).is_err() {
            return Err(bad_request(
                code::INVALID_GATEWAY_CURRENCY,
                format!("{currency:?} is not an ISO 4217 currency code; use e.g. \"USD\""),
            ));
        }
    }
    Ok(())
}

impl Sandbox {
    pub(crate) fn gateway_position(
        &self,
        principal_company: u16,
        mode: Environment,
        token: &str,
    ) -> Option<u32> {
        let token = Token::parse(token)?;
        let &position = self.index.gateway_by_token.get(&token.0)?;
        let record = self.state.gateways.get(position as usize)?;
        (record.company == principal_company && record.mode == mode && !record.deleted)
            .then_some(position)
    }

    fn gateway_for_key(&self, api_key: &str, token: &str) -> Result<u32, ApiError> {
        let principal = self.authenticate(api_key)?;
        self.gateway_position(principal.company, principal.mode, token)
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    code::GATEWAY_NOT_FOUND,
                    format!(
                        "no gateway {token:?} in this company and environment; list the gateways \
                         to see their tokens"
                    ),
                )
            })
    }

    /// Creates a gateway for the key's company and environment (a Sandbox key creates
    /// sandbox gateways only). Returns it with its new token in `id` and `settings` masked.
    pub fn create_gateway(
        &mut self,
        api_key: &str,
        gateway: Gateway,
        now: UtcTimestamp,
    ) -> Result<Gateway, ApiError> {
        let principal = self.authenticate(api_key)?;
        self.insert_gateway(principal.company, principal.mode, gateway, now)
    }

    /// Creates a gateway of one company and environment: shared by the API and the console.
    pub(crate) fn insert_gateway(
        &mut self,
        company: u16,
        mode: Environment,
        mut gateway: Gateway,
        now: UtcTimestamp,
    ) -> Result<Gateway, ApiError> {
        check_gateway(&gateway)?;
        let settings = gateway
            .settings
            .take()
            .unwrap_or_default()
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| (name.clone(), fingerprint(value)))
            .collect();
        gateway.id = None;
        let token = self.state.rng.next_token();
        let position = u32::try_from(self.state.gateways.len()).unwrap_or(u32::MAX);
        let record = GatewayRecord {
            token,
            company,
            mode,
            gateway,
            settings,
            created_at: now,
            updated_at: now,
            deleted: false,
        };
        let view = record.view();
        self.state.gateways.push(record);
        self.index.gateway_by_token.insert(token.0, position);
        Ok(view)
    }

    /// Replaces a gateway's fields (a full object, as read from [`Sandbox::get_gateway`]).
    /// The name cannot change. `settings` absent or masked leave the stored credentials as
    /// they are; a setting with a new value replaces that credential, one set to `null` is
    /// removed.
    pub fn update_gateway(
        &mut self,
        api_key: &str,
        token: &str,
        gateway: Gateway,
        now: UtcTimestamp,
    ) -> Result<Gateway, ApiError> {
        let position = self.gateway_for_key(api_key, token)?;
        self.replace_gateway(position, gateway, now)
    }

    /// Replaces the fields of the gateway at `position`: shared by the API and the console.
    pub(crate) fn replace_gateway(
        &mut self,
        position: u32,
        mut gateway: Gateway,
        now: UtcTimestamp,
    ) -> Result<Gateway, ApiError> {
        check_gateway(&gateway)?;
        let record = self
            .state
            .gateways
            .get_mut(position as usize)
            .ok_or_else(|| bad_request(code::GATEWAY_NOT_FOUND, "gateway vanished"))?;
        if gateway.name != record.gateway.name {
            return Err(bad_request(
                code::GATEWAY_NAME_NOT_UPDATABLE,
                format!(
                    "a gateway's name is set at creation only: keep {:?}, or create a new \
                     gateway under the new name",
                    record.gateway.name
                ),
            ));
        }
        for (name, value) in gateway.settings.take().unwrap_or_default() {
            match value {
                serde_json::Value::Null => {
                    record.settings.remove(&name);
                }
                serde_json::Value::String(text) if text == MASKED_SETTING => {}
                value => {
                    record.settings.insert(name, fingerprint(&value));
                }
            }
        }
        gateway.id = None;
        record.gateway = gateway;
        record.updated_at = now;
        Ok(record.view())
    }

    /// Sets a gateway's status; disabling a gateway at the Integration Point sets `RefundOnly`.
    pub fn set_gateway_status(
        &mut self,
        api_key: &str,
        token: &str,
        status: GatewayStatus,
        now: UtcTimestamp,
    ) -> Result<Gateway, ApiError> {
        let position = self.gateway_for_key(api_key, token)?;
        self.write_gateway_status(position, status, now)
    }

    /// Sets the status of the gateway at `position`: shared by the API and the console.
    pub(crate) fn write_gateway_status(
        &mut self,
        position: u32,
        status: GatewayStatus,
        now: UtcTimestamp,
    ) -> Result<Gateway, ApiError> {
        let record = self
            .state
            .gateways
            .get_mut(position as usize)
            .ok_or_else(|| bad_request(code::GATEWAY_NOT_FOUND, "gateway vanished"))?;
        record.gateway.status = status;
        record.updated_at = now;
        Ok(record.view())
    }

    /// One gateway, settings masked.
    pub fn get_gateway(&self, api_key: &str, token: &str) -> Result<Gateway, ApiError> {
        let position = self.gateway_for_key(api_key, token)?;
        self.state
            .gateways
            .get(position as usize)
            .map(GatewayRecord::view)
            .ok_or_else(|| bad_request(code::GATEWAY_NOT_FOUND, "gateway vanished"))
    }

    /// The key's company's gateways in its environment, oldest first, settings masked.
    pub fn list_gateways(&self, api_key: &str) -> Result<Vec<Gateway>, ApiError> {
        let principal = self.authenticate(api_key)?;
        Ok(self
            .state
            .gateways
            .iter()
            .filter(|r| r.company == principal.company && r.mode == principal.mode && !r.deleted)
            .map(GatewayRecord::view)
            .collect())
    }

    /// Deletes a gateway. Its past transactions keep naming it.
    pub fn delete_gateway(
        &mut self,
        api_key: &str,
        token: &str,
        now: UtcTimestamp,
    ) -> Result<(), ApiError> {
        let position = self.gateway_for_key(api_key, token)?;
        self.remove_gateway(position, now);
        Ok(())
    }

    /// Marks the gateway at `position` deleted: shared by the API and the console.
    pub(crate) fn remove_gateway(&mut self, position: u32, now: UtcTimestamp) {
        if let Some(record) = self.state.gateways.get_mut(position as usize) {
            record.deleted = true;
            record.updated_at = now;
        }
    }

    /// Chooses the gateway of a charge or an authorization (see the module documentation of
    /// the sandbox for the rules).
    pub(crate) fn route_payment(
        &self,
        company: u16,
        mode: Environment,
        requested: Option<&str>,
        currency: Option<Currency>,
    ) -> Result<GatewayRef, Refusal> {
        let chosen = match requested {
            Some(BUILT_IN_GATEWAY_TOKEN) => return Ok(GatewayRef::BuiltIn),
            Some(token) => self.gateway_position(company, mode, token).ok_or_else(|| {
                Refusal::new(
                    50143,
                    format!(
                        "gatewayToken {token:?} is not a gateway of this company and \
                         environment; send the Gateway Token shown in Gateway Management, or \
                         leave it out to let FlexPay route"
                    ),
                )
            })?,
            None => {
                let mut has_any = false;
                let available = self.state.gateways.iter().position(|r| {
                    let mine = r.company == company && r.mode == mode && !r.deleted;
                    has_any |= mine;
                    mine && r.gateway.status == GatewayStatus::Available
                });
                match available {
                    Some(position) => u32::try_from(position).unwrap_or(u32::MAX),
                    None if !has_any => return Ok(GatewayRef::BuiltIn),
                    None => {
                        return Err(Refusal::new(
                            50130,
                            "no gateway of this company is Available (all are RefundOnly or \
                             Disabled); set a gateway back to Available or add one",
                        ))
                    }
                }
            }
        };
        self.check_gateway_accepts(chosen, currency)?;
        Ok(GatewayRef::Created(chosen))
    }

    /// A capture needs its authorization's gateway to still take new money.
    pub(crate) fn check_gateway_accepts(
        &self,
        position: u32,
        currency: Option<Currency>,
    ) -> Result<(), Refusal> {
        let Some(record) = self.state.gateways.get(position as usize) else {
            return Err(Refusal::new(50143, "the gateway no longer exists"));
        };
        if record.gateway.status != GatewayStatus::Available {
            return Err(Refusal::new(
                50130,
                format!(
                    "gateway {} is {:?}: it accepts refunds only, not new charges, \
                     authorizations or captures; route to an Available gateway",
                    record.token, record.gateway.status
                ),
            ));
        }
        if let (Some(currency), Some(accepted)) =
            (currency, &record.gateway.accepted_currency_codes)
        {
            let code = currency.code();
            if record.gateway.currency_code != code && !accepted.iter().any(|c| c == code) {
                return Err(Refusal::new(
                    50147,
                    format!(
                        "gateway {} does not accept {code}; send a currency it accepts or \
                         route to another gateway",
                        record.token
                    ),
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn gateway_fields(&self, gateway: GatewayRef) -> GatewayFields<'_> {
        match gateway {
            GatewayRef::Created(position) => match self.state.gateways.get(position as usize) {
                Some(record) => GatewayFields {
                    token: record.token.to_string(),
                    gateway_type: record.gateway.gateway_type.clone(),
                    merchant_account_reference_id: record
                        .gateway
                        .merchant_account_reference_id
                        .as_deref(),
                    name: &record.gateway.name,
                },
                None => self.gateway_fields(GatewayRef::NotReached),
            },
            GatewayRef::BuiltIn => GatewayFields {
                token: BUILT_IN_GATEWAY_TOKEN.to_owned(),
                gateway_type: GatewayType::FlexpaySandbox,
                merchant_account_reference_id: Some("FLEXPAY-SANDBOX"),
                name: "FlexPay Sandbox",
            },
            GatewayRef::NotReached => GatewayFields {
                token: NO_GATEWAY_TOKEN.to_owned(),
                gateway_type: GatewayType::FlexpayDeclined,
                merchant_account_reference_id: None,
                name: "FlexPay",
            },
        }
    }

    /// The fingerprint of a gateway's stored settings, for tests and the portal's "last
    /// credentials update" display.
    pub fn gateway_settings_fingerprint(
        &self,
        api_key: &str,
        token: &str,
    ) -> Result<String, ApiError> {
        let position = self.gateway_for_key(api_key, token)?;
        let record = self
            .state
            .gateways
            .get(position as usize)
            .ok_or_else(|| bad_request(code::GATEWAY_NOT_FOUND, "gateway vanished"))?;
        let mut all = String::new();
        for (name, hash) in &record.settings {
            all.push_str(name);
            all.push('=');
            all.push_str(&hex(&hash.0));
            all.push(';');
        }
        Ok(hex(&sha256(all.as_bytes())))
    }
}

/// The code a charge, authorization or capture answers when its gateway is RefundOnly or
/// Disabled (FlexPay's "no gateway for this card type": no gateway will take it).
pub const REFUSED_CHARGE_CODE: u32 = 50130;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::response_code::ResponseCode;
    use crate::flexpay::sandbox::test_support::{sandbox_with_key, t0};
    use serde_json::json;

    pub(crate) fn nmi(name: &str) -> Gateway {
        let mut gateway = Gateway::new(name, GatewayType::Nmi, "USD", GatewayStatus::Available);
        gateway.merchant_account_reference_id = Some("MID-0042".into());
        gateway.settings = Some(
            json!({"username": "merchant-1", "password": "s3cret-Pa55"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        gateway
    }

    #[test]
    fn create_returns_a_token_and_never_the_settings() {
        let (mut sandbox, key) = sandbox_with_key();
        let created = sandbox.create_gateway(&key, nmi("NMI main"), t0()).unwrap();
        let token = created.id.clone().unwrap();
        assert_eq!(token.len(), 26);
        assert!(token
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        let read = sandbox.get_gateway(&key, &token).unwrap();
        assert_eq!(read, created);
        let settings = read.settings.unwrap();
        assert_eq!(settings["password"], MASKED_SETTING);
        let everything = serde_json::to_string(&sandbox.state.gateways).unwrap()
            + &serde_json::to_string(&sandbox.list_gateways(&key).unwrap()).unwrap();
        assert!(!everything.contains("s3cret-Pa55"));
        assert!(!everything.contains("merchant-1"));
    }

    #[test]
    fn updating_credentials_changes_the_fingerprint_but_not_the_name() {
        let (mut sandbox, key) = sandbox_with_key();
        let token = sandbox
            .create_gateway(&key, nmi("NMI main"), t0())
            .unwrap()
            .id
            .unwrap();
        let before = sandbox.gateway_settings_fingerprint(&key, &token).unwrap();
        // Sending back what was read (masked values) changes nothing.
        let read = sandbox.get_gateway(&key, &token).unwrap();
        sandbox
            .update_gateway(&key, &token, read.clone(), t0())
            .unwrap();
        assert_eq!(
            sandbox.gateway_settings_fingerprint(&key, &token).unwrap(),
            before
        );

        let mut rotated = read.clone();
        rotated.settings = json!({"password": "n3w-Pa55"}).as_object().cloned();
        sandbox.update_gateway(&key, &token, rotated, t0()).unwrap();
        assert_ne!(
            sandbox.gateway_settings_fingerprint(&key, &token).unwrap(),
            before
        );

        let mut renamed = read;
        renamed.name = "NMI renamed".into();
        let error = sandbox
            .update_gateway(&key, &token, renamed, t0())
            .unwrap_err();
        assert_eq!(
            (error.http_status, error.code),
            (400, code::GATEWAY_NAME_NOT_UPDATABLE)
        );
    }

    #[test]
    fn invalid_gateways_and_unknown_tokens_are_refused() {
        let (mut sandbox, key) = sandbox_with_key();
        let mut bad_type = nmi("X");
        bad_type.gateway_type = GatewayType::from_wire("NMI");
        let error = sandbox.create_gateway(&key, bad_type, t0()).unwrap_err();
        assert_eq!(error.code, code::INVALID_GATEWAY_TYPE);
        assert!(error.message.contains("50145"));
        let mut bad_currency = nmi("X");
        bad_currency.currency_code = "usd".into();
        assert_eq!(
            sandbox
                .create_gateway(&key, bad_currency, t0())
                .unwrap_err()
                .code,
            code::INVALID_GATEWAY_CURRENCY
        );
        assert_eq!(
            sandbox
                .create_gateway(&key, nmi(" "), t0())
                .unwrap_err()
                .code,
            code::INVALID_GATEWAY_NAME
        );
        let missing = sandbox
            .get_gateway(&key, "00000000000000000000000000")
            .unwrap_err();
        assert_eq!(
            (missing.http_status, missing.code),
            (404, code::GATEWAY_NOT_FOUND)
        );
        assert_eq!(
            sandbox
                .create_gateway("nope", nmi("X"), t0())
                .unwrap_err()
                .http_status,
            401
        );
    }

    #[test]
    fn status_changes_and_deletion() {
        let (mut sandbox, key) = sandbox_with_key();
        let token = sandbox
            .create_gateway(&key, nmi("NMI"), t0())
            .unwrap()
            .id
            .unwrap();
        let refund_only = sandbox
            .set_gateway_status(&key, &token, GatewayStatus::RefundOnly, t0())
            .unwrap();
        assert_eq!(refund_only.status, GatewayStatus::RefundOnly);
        sandbox.delete_gateway(&key, &token, t0()).unwrap();
        assert!(sandbox.list_gateways(&key).unwrap().is_empty());
        assert_eq!(
            sandbox.get_gateway(&key, &token).unwrap_err().http_status,
            404
        );
    }

    #[test]
    fn routing_prefers_the_token_then_the_first_available_gateway() {
        let (mut sandbox, key) = sandbox_with_key();
        let mode = Environment::Sandbox;
        assert_eq!(
            sandbox.route_payment(0, mode, None, None),
            Ok(GatewayRef::BuiltIn)
        );
        let first = sandbox
            .create_gateway(&key, nmi("One"), t0())
            .unwrap()
            .id
            .unwrap();
        let second = sandbox
            .create_gateway(&key, nmi("Two"), t0())
            .unwrap()
            .id
            .unwrap();
        assert_eq!(
            sandbox.route_payment(0, mode, None, None),
            Ok(GatewayRef::Created(0))
        );
        assert_eq!(
            sandbox.route_payment(0, mode, Some(&second), None),
            Ok(GatewayRef::Created(1))
        );
        sandbox
            .set_gateway_status(&key, &first, GatewayStatus::RefundOnly, t0())
            .unwrap();
        assert_eq!(
            sandbox.route_payment(0, mode, None, None),
            Ok(GatewayRef::Created(1))
        );
        let refused = sandbox
            .route_payment(0, mode, Some(&first), None)
            .unwrap_err();
        assert_eq!(refused.code.value(), REFUSED_CHARGE_CODE);
        sandbox
            .set_gateway_status(&key, &second, GatewayStatus::Disabled, t0())
            .unwrap();
        let none = sandbox.route_payment(0, mode, None, None).unwrap_err();
        assert_eq!(none.code.value(), 50130);
        let unknown = sandbox
            .route_payment(0, mode, Some("ZZZZ"), None)
            .unwrap_err();
        assert_eq!(unknown.code.value(), 50143);
        assert_eq!(
            sandbox.route_payment(0, mode, Some(BUILT_IN_GATEWAY_TOKEN), None),
            Ok(GatewayRef::BuiltIn)
        );
    }

    #[test]
    fn accepted_currencies_are_enforced() {
        let (mut sandbox, key) = sandbox_with_key();
        let mut gateway = nmi("EU");
        gateway.currency_code = "EUR".into();
        gateway.accepted_currency_codes = Some(vec!["GBP".into()]);
        let token = sandbox
            .create_gateway(&key, gateway, t0())
            .unwrap()
            .id
            .unwrap();
        let mode = Environment::Sandbox;
        for (currency, ok) in [
            (Currency::EUR, true),
            (Currency::GBP, true),
            (Currency::USD, false),
        ] {
            let routed = sandbox.route_payment(0, mode, Some(&token), Some(currency));
            assert_eq!(routed.is_ok(), ok, "{currency}");
        }
        let refused = sandbox
            .route_payment(0, mode, Some(&token), Some(Currency::USD))
            .unwrap_err();
        assert_eq!(refused.code, ResponseCode::new(50147).unwrap());
    }
}
