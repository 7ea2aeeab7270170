//! Gateway Management (reference §14; Integration Guide steps 6 and 7): gateways of a company
//! and environment, created, updated, read, listed and deleted with that company's API key,
//! and the routing of charges to them.
//!
//! A charge without `gatewayToken` is routed by weight (reference §14.1 `weight`, §14.4
//! "Distribution", higher is favoured) among the company's `Available` gateways of that
//! environment with a weight above 0 that take its currency: a smooth weighted round-robin
//! (FlexPay publishes no algorithm; this one is flexkit's), whose per-gateway credits are
//! the gateway records' `routingCredit`, so a snapshot continues routing where it left off.
//!
//! The sandbox keeps no credential: of `settings` it stores each name with the SHA-256 of its
//! JSON value, enough to tell that credentials were updated. Reads return every setting name
//! with the value `********`.

use std::collections::BTreeMap;

#[cfg(test)]
use serde::Deserialize;
use serde::Serialize;

use crate::card::CardBrand;
use crate::flexpay::account::Environment;
use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
use crate::flexpay::response_code::ResponseCode;
use crate::money::Currency;
use crate::time::UtcTimestamp;

use super::accounts::is_false;
use super::api_keys::{hex, sha256, KeyHash};
use super::error_code as code;
use super::tokens::Token;
use super::transactions::Refusal;
use super::{ApiError, Sandbox, BUILT_IN_GATEWAY_TOKEN, NO_GATEWAY_TOKEN};

/// What a gateway must take for a payment to go to it: the payment's currency, its card's
/// brand (`None` when the request does not say: a card stored at the gateway) and whether
/// it is a retry of a declined payment.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RoutedPayment {
    pub currency: Option<Currency>,
    pub brand: Option<CardBrand>,
    pub retry: bool,
}

impl RoutedPayment {
    /// A payment known by its currency alone.
    pub(crate) fn in_currency(currency: Option<Currency>) -> Self {
        RoutedPayment {
            currency,
            ..RoutedPayment::default()
        }
    }
}

/// What reads show instead of a setting's value.
pub const MASKED_SETTING: &str = "********";

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
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
    /// The gateway's running credit in the smooth weighted round-robin that routes charges
    /// sent without a token, in thousandths of a weight (see [`Sandbox::route_payment`]).
    /// Absent (0) until the gateway takes part in routing, so older snapshots load as they
    /// were and a sandbox that never routes by weight writes the same bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub routing_credit: i64,
}

fn is_zero(value: &i64) -> bool {
    *value == 0
}

/// The heaviest weight routing tells apart, in thousandths: a million. Heavier weights
/// count as this one, so credits stay far from `i64`'s ends.
const MOST_THOUSANDTHS: i64 = 1_000_000_000;

/// A gateway's routing weight in thousandths (portal "Distribution"): 1 (1000) when absent,
/// FlexPay's default; 0 for 0 or a negative weight, which routing never picks; at least 1
/// for any weight above 0, however small.
pub(crate) fn weight_thousandths(gateway: &Gateway) -> i64 {
    let Some(weight) = &gateway.weight else {
        return 1000;
    };
    let value = weight.as_f64().unwrap_or(0.0);
    if value.is_nan() || value <= 0.0 {
        return 0;
    }
    // Rounded to the nearest thousandth; IEEE arithmetic, so the same everywhere.
    let scaled = (value * 1000.0).round();
    if scaled >= MOST_THOUSANDTHS as f64 {
        MOST_THOUSANDTHS
    } else {
        (scaled as i64).max(1)
    }
}

impl GatewayRecord {
    pub(crate) fn view(&self) -> Gateway {
        let mut gateway = self.gateway.clone();
        gateway.id = Some(self.token.to_string());
        // Inserted one by one: `collect` would compile a sort for this map alone.
        gateway.settings = (!self.settings.is_empty()).then(|| {
            let mut masked = serde_json::Map::new();
            for name in self.settings.keys() {
                masked.insert(name.clone(), serde_json::Value::from(MASKED_SETTING));
            }
            masked
        });
        gateway
    }
}

/// Which gateway a transaction went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
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

/// What is kept of a credential: SHA-256 of a salt and the value's JSON text, new at every
/// write, so it tells a credential set again from one kept. The salt is drawn from the secret stream, which no
/// snapshot holds, so an export cannot confirm a guessed credential offline. (Without
/// entropy, in native tests, the salt is 0 and the hash follows from the value.)
fn fingerprint(value: &serde_json::Value, salt: u64) -> KeyHash {
    let mut input = salt.to_le_bytes().to_vec();
    input.extend_from_slice(value.to_string().as_bytes());
    KeyHash(sha256(&input))
}

fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(400, code, message)
}

/// Refuses a setting whose value is the mask reads show: a gateway is created with its
/// credentials themselves, and `********` is a value read back, never one. (An update takes it
/// as "keep the stored one", as a client that sends back what it read means it.)
fn refuse_masked_settings(gateway: &Gateway) -> Result<(), ApiError> {
    let masked = gateway
        .settings
        .iter()
        .flatten()
        .find(|(_, value)| value.as_str() == Some(MASKED_SETTING));
    match masked {
        Some((name, _)) => Err(bad_request(
            code::MASKED_SETTING_VALUE,
            format!(
                "settings.{name} is {MASKED_SETTING:?}, which is how a stored credential is \
                 shown, not a credential: send the credential itself"
            ),
        )),
        None => Ok(()),
    }
}

/// A gateway of `mode` the sandbox can create or keep: named, of a type it routes to, in
/// ISO 4217 currencies. The FlexPay Sandbox gateway takes test payments only (reference
/// §15.1: sandbox transactions never leave FlexPay through it), so a Production gateway of
/// that type would send live payments nowhere.
fn check_gateway(gateway: &Gateway, mode: Environment) -> Result<(), ApiError> {
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
    if mode == Environment::Production && gateway.gateway_type == GatewayType::FlexpaySandbox {
        return Err(bad_request(
            code::INVALID_GATEWAY_TYPE,
            "the FlexPay Sandbox gateway (flexpay_sandbox) takes Sandbox payments only: in \
             Production, choose the type of the gateway that processes the live payments",
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
                let token = super::Shown(token);
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
        check_gateway(&gateway, mode)?;
        // Only when created: the name cannot change, so a gateway kept under an older name
        // must stay updatable.
        if let Some(fault) = super::accounts::name_fault(gateway.name.trim()) {
            return Err(bad_request(
                code::INVALID_GATEWAY_NAME,
                format!("the gateway name {fault}"),
            ));
        }
        refuse_masked_settings(&gateway)?;
        let mut settings = BTreeMap::new();
        for (name, value) in gateway.settings.take().unwrap_or_default() {
            if !value.is_null() {
                let hash = fingerprint(&value, self.secrets.next_u64());
                settings.insert(name, hash);
            }
        }
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
            routing_credit: 0,
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
        let record = self
            .state
            .gateways
            .get_mut(position as usize)
            .ok_or_else(|| bad_request(code::GATEWAY_NOT_FOUND, "gateway vanished"))?;
        check_gateway(&gateway, record.mode)?;
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
                    let salt = self.secrets.next_u64();
                    record.settings.insert(name, fingerprint(&value, salt));
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
    /// the sandbox for the rules). Without a token: the built-in gateway when the company
    /// has no gateway in the Sandbox (in Production, 50130), else the pick of the smooth weighted round-robin
    /// among its eligible gateways ([`Sandbox::weighted_pick`]). Choosing changes nothing:
    /// [`Sandbox::note_routed`] records a pick once the payment reached the gateway.
    pub(crate) fn route_payment(
        &self,
        company: u16,
        mode: Environment,
        requested: Option<&str>,
        payment: RoutedPayment,
    ) -> Result<GatewayRef, Refusal> {
        let chosen = match requested {
            Some(BUILT_IN_GATEWAY_TOKEN) if mode == Environment::Sandbox => {
                return Ok(GatewayRef::BuiltIn)
            }
            Some(token) => self.gateway_position(company, mode, token).ok_or_else(|| {
                let token = super::Shown(token);
                Refusal::new(
                    50143,
                    format!(
                        "gatewayToken {token:?} is not a gateway of this company and \
                         environment; send the Gateway Token shown in Gateway Management, or \
                         leave it out to let FlexPay route"
                    ),
                )
            })?,
            None => return self.weighted_pick(company, mode, payment),
        };
        self.check_gateway_accepts(chosen, payment)?;
        Ok(GatewayRef::Created(chosen))
    }

    /// The gateways a charge without a token may go to, with their weights: the company's
    /// `Available` gateways of this environment with a weight above 0 that take the payment
    /// (its currency, its card's brand, a retry).
    fn eligible(
        &self,
        company: u16,
        mode: Environment,
        payment: RoutedPayment,
    ) -> impl Iterator<Item = (usize, &GatewayRecord, i64)> {
        self.state
            .gateways
            .iter()
            .enumerate()
            .filter(move |(_, r)| {
                r.company == company
                    && r.mode == mode
                    && !r.deleted
                    && r.gateway.status == GatewayStatus::Available
            })
            .map(|(position, r)| (position, r, weight_thousandths(&r.gateway)))
            .filter(move |&(position, _, weight)| {
                weight > 0
                    && u32::try_from(position)
                        .is_ok_and(|p| self.check_gateway_accepts(p, payment).is_ok())
            })
    }

    /// Weighted routing (reference §14.1 `weight`, §14.4 "Distribution": higher is
    /// favoured). FlexPay does not publish its algorithm; the sandbox uses the smooth
    /// weighted round-robin: each routed payment adds every eligible gateway's weight to its
    /// credit, goes to the gateway with the highest credit (the earliest created on a tie),
    /// and takes the eligible weights' total off that gateway's credit. Over any run of
    /// payments each gateway gets its share of weight, spread out rather than in bursts, a
    /// gateway added later joins at once without catching up, and the same history always
    /// routes the same way. The credits live on the gateway records, in the snapshot.
    pub(crate) fn weighted_pick(
        &self,
        company: u16,
        mode: Environment,
        payment: RoutedPayment,
    ) -> Result<GatewayRef, Refusal> {
        if let Some(chosen) = self.weighted_pick_except(company, mode, payment, None) {
            return Ok(chosen);
        }
        // Why nothing is eligible: the first of no gateway at all, none Available, none
        // weighted, none for this currency, none for this card, none taking retries.
        let (mut any, mut available, mut weighted, mut in_currency, mut for_card) =
            (false, false, false, false, false);
        let currency_only = RoutedPayment::in_currency(payment.currency);
        for (position, record) in self.state.gateways.iter().enumerate() {
            if record.company != company || record.mode != mode || record.deleted {
                continue;
            }
            any = true;
            if record.gateway.status != GatewayStatus::Available {
                continue;
            }
            available = true;
            if weight_thousandths(&record.gateway) <= 0 {
                continue;
            }
            weighted = true;
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            if self.check_gateway_accepts(position, currency_only).is_err() {
                continue;
            }
            in_currency = true;
            for_card |= payment
                .brand
                .is_none_or(|brand| record.gateway.takes_card(brand));
        }
        let refusal = if !any && mode == Environment::Sandbox {
            return Ok(GatewayRef::BuiltIn);
        } else if !any {
            Refusal::new(
                50130,
                "this company has no Production gateway: live payments go only to a gateway of \
                 the company's own (the built-in FlexPay Sandbox gateway takes Sandbox payments \
                 only); add one under Payment gateways in Production",
            )
        } else if !available {
            Refusal::new(
                50130,
                "no gateway of this company is Available (all are RefundOnly or Disabled); set \
                 a gateway back to Available or add one",
            )
        } else if !weighted {
            Refusal::new(
                50130,
                "every Available gateway of this company has weight (Distribution) 0, which \
                 routing never picks; give one a weight above 0, or name a gateway with \
                 gatewayToken",
            )
        } else if !in_currency {
            let code = payment.currency.map_or("this currency", Currency::code);
            Refusal::new(
                50147,
                format!(
                    "no Available gateway of this company with a weight above 0 accepts \
                     {code}; send a currency one accepts, or add a gateway for it"
                ),
            )
        } else if let (false, Some(brand)) = (for_card, payment.brand) {
            Refusal::new(
                50130,
                format!(
                    "no Available gateway of this company that takes the payment's currency \
                     takes {} cards (their accepted cards); pay with another card, or accept \
                     the brand on a gateway",
                    brand.display_name()
                ),
            )
        } else {
            Refusal::new(
                50130,
                "no Available gateway of this company that takes the payment accepts retries \
                 (acceptRetries is false on each): let one accept retries, or add one that does",
            )
        };
        Err(refusal)
    }

    /// Why a charge of the company sent without a Gateway Token in `currency` on a card of
    /// `brand`, or its retry, would be refused before any gateway (50130 or 50147, with the
    /// words of the answer), `None` when routing would find a gateway for both. What the
    /// portal asks before a certification run, whose steps 1–5 charge and retry that way.
    /// `None` too for a company code the sandbox does not hold, whose requests are refused by
    /// their key before routing.
    pub fn routing_refusal(
        &self,
        company_code: &str,
        mode: Environment,
        currency: Currency,
        brand: CardBrand,
    ) -> Option<(ResponseCode, String)> {
        let company = self.company_index(company_code).ok()?;
        // Asked of the retry: a gateway that takes it takes the first attempt too, and the
        // refusal's reasons come in the same order, retries last.
        let retry = RoutedPayment {
            currency: Some(currency),
            brand: Some(brand),
            retry: true,
        };
        self.weighted_pick(company, mode, retry)
            .err()
            .map(|refusal| (refusal.code, refusal.message))
    }

    /// Why the gateway of `token` would refuse a payment in `currency` on a card of `brand`
    /// (`None` when the request does not say), a retry when `retry`: the 50130 or 50147 its
    /// answer would carry, with its words; `None` when it takes it, or when the token is none
    /// of the company's gateways (refused with 50143 before it is asked). What a console warns
    /// of before it sends a payment naming a gateway.
    pub fn gateway_refusal(
        &self,
        company_code: &str,
        mode: Environment,
        token: &str,
        currency: Option<Currency>,
        brand: Option<CardBrand>,
        retry: bool,
    ) -> Option<(ResponseCode, String)> {
        let company = self.company_index(company_code).ok()?;
        let position = self.gateway_position(company, mode, token)?;
        let payment = RoutedPayment {
            currency,
            brand,
            retry,
        };
        self.check_gateway_accepts(position, payment)
            .err()
            .map(|refusal| (refusal.code, refusal.message))
    }

    /// The round-robin's choice among the eligible gateways but the one at `except` (a
    /// retry's cascade, see [`super::GatewayRouting::RoutingEnabled`]); `None` when there is
    /// none.
    pub(crate) fn weighted_pick_except(
        &self,
        company: u16,
        mode: Environment,
        payment: RoutedPayment,
        except: Option<usize>,
    ) -> Option<GatewayRef> {
        let mut best: Option<(usize, i64)> = None;
        for (position, record, weight) in self.eligible(company, mode, payment) {
            let credit = record.routing_credit.saturating_add(weight);
            if Some(position) != except && best.is_none_or(|(_, top)| credit > top) {
                best = Some((position, credit));
            }
        }
        best.map(|(position, _)| GatewayRef::Created(u32::try_from(position).unwrap_or(u32::MAX)))
    }

    /// Records that a payment routed without a token reached the gateway at `chosen`: the
    /// round-robin's step of [`Sandbox::weighted_pick`] over the same eligible gateways.
    pub(crate) fn note_routed(
        &mut self,
        company: u16,
        mode: Environment,
        payment: RoutedPayment,
        chosen: u32,
    ) {
        let steps: Vec<(usize, i64)> = self
            .eligible(company, mode, payment)
            .map(|(position, _, weight)| (position, weight))
            .collect();
        if !steps
            .iter()
            .any(|&(position, _)| position == chosen as usize)
        {
            return;
        }
        let total = steps
            .iter()
            .fold(0i64, |sum, &(_, weight)| sum.saturating_add(weight));
        for (position, weight) in steps {
            if let Some(record) = self.state.gateways.get_mut(position) {
                record.routing_credit = record.routing_credit.saturating_add(weight);
                if position == chosen as usize {
                    record.routing_credit = record.routing_credit.saturating_sub(total);
                }
            }
        }
    }

    /// A void or a refund needs its payment's gateway to process at all: a Disabled gateway
    /// processes nothing (FlexPay: "no processing"), while a RefundOnly one still refunds and
    /// voids.
    pub(crate) fn check_gateway_processes(&self, gateway: GatewayRef) -> Option<Refusal> {
        let GatewayRef::Created(position) = gateway else {
            return None;
        };
        let record = self.state.gateways.get(position as usize)?;
        (record.gateway.status == GatewayStatus::Disabled).then(|| disabled(&record.token))
    }

    /// Whether the gateway at `position` takes `payment`: it must be Available (a capture
    /// needs its authorization's gateway to still take new money), take the currency, the
    /// card's brand ([`Gateway::takes_card`]) and, for a retry, retries
    /// ([`Gateway::takes_retries`]).
    pub(crate) fn check_gateway_accepts(
        &self,
        position: u32,
        payment: RoutedPayment,
    ) -> Result<(), Refusal> {
        let Some(record) = self.state.gateways.get(position as usize) else {
            return Err(Refusal::new(50143, "the gateway no longer exists"));
        };
        if record.gateway.status == GatewayStatus::Disabled {
            return Err(disabled(&record.token));
        }
        if record.gateway.status != GatewayStatus::Available {
            return Err(Refusal::new(
                50130,
                format!(
                    "gateway {} is RefundOnly: it accepts refunds only, not new charges, \
                     authorizations or captures; route to an Available gateway",
                    record.token
                ),
            ));
        }
        // Its own currency and those listed: a gateway with no list (or an empty one)
        // takes its own currency only, as the portal's form says.
        if let Some(currency) = payment.currency {
            let code = currency.code();
            let listed = record.gateway.accepted_currency_codes.iter().flatten();
            if record.gateway.currency_code != code && !listed.into_iter().any(|c| c == code) {
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
        if let Some(brand) = payment
            .brand
            .filter(|&brand| !record.gateway.takes_card(brand))
        {
            return Err(Refusal::new(
                50130,
                format!(
                    "gateway {} does not take {} cards (its accepted cards); pay with another \
                     card, or leave gatewayToken out to let FlexPay route to a gateway that \
                     takes them",
                    record.token,
                    brand.display_name()
                ),
            ));
        }
        if payment.retry && !record.gateway.takes_retries() {
            return Err(Refusal::new(
                50130,
                format!(
                    "gateway {} does not accept retries (acceptRetries is false); send the \
                     retry to a gateway that accepts them, or leave gatewayToken out to let \
                     FlexPay route it",
                    record.token
                ),
            ));
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

/// The refusal of any processing by a Disabled gateway.
fn disabled(token: &impl core::fmt::Display) -> Refusal {
    Refusal::new(
        50130,
        format!(
            "gateway {token} is Disabled: it processes nothing, refunds and voids included; \
             set it to Refund Only to reverse its payments, or enable it"
        ),
    )
}

/// The code a charge, authorization or capture answers when its gateway is RefundOnly or
/// Disabled (FlexPay's "no gateway for this card type": no gateway will take it).
pub const REFUSED_CHARGE_CODE: u32 = 50130;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::gateway::{AcceptedCards, CardAcceptance};
    use crate::flexpay::payment_method::CreditCardDetails;
    use crate::flexpay::response_code::ResponseCode;
    use crate::flexpay::sandbox::test_support::{at_hours, sandbox_with_key, t0, visa_charge};
    use crate::flexpay::test_cards::TEST_CARDS;
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
    fn a_snapshot_cannot_confirm_a_guessed_credential() {
        let hex = |hash: [u8; 32]| hash.iter().map(|b| format!("{b:02x}")).collect::<String>();
        let guess = |text: &str| hex(sha256(serde_json::Value::from(text).to_string().as_bytes()));
        let salted_with_nothing = |text: &str| {
            let mut input = 0u64.to_le_bytes().to_vec();
            input.extend_from_slice(serde_json::Value::from(text).to_string().as_bytes());
            hex(sha256(&input))
        };
        let (mut sandbox, key) = sandbox_with_key();
        sandbox.use_entropy([7; 32]);
        let token = token_of(&mut sandbox, &key, nmi("NMI main"), t0());
        let mut rotated = sandbox.get_gateway(&key, &token).unwrap();
        rotated.settings = json!({"username": "merchant-1"}).as_object().cloned();
        sandbox.update_gateway(&key, &token, rotated, t0()).unwrap();
        let snapshot = sandbox.to_snapshot();
        for credential in ["s3cret-Pa55", "merchant-1"] {
            assert!(!snapshot.contains(&guess(credential)), "{credential}");
            assert!(
                !snapshot.contains(&salted_with_nothing(credential)),
                "{credential}"
            );
        }
        // One value set twice is kept as two different hashes: nothing to compare across.
        let first = sandbox.gateway_settings_fingerprint(&key, &token).unwrap();
        let mut again = sandbox.get_gateway(&key, &token).unwrap();
        again.settings = json!({"username": "merchant-1"}).as_object().cloned();
        sandbox.update_gateway(&key, &token, again, t0()).unwrap();
        assert_ne!(
            sandbox.gateway_settings_fingerprint(&key, &token).unwrap(),
            first
        );
    }

    #[test]
    fn updating_credentials_changes_the_fingerprint_but_not_the_name() {
        let (mut sandbox, key) = sandbox_with_key();
        let token = token_of(&mut sandbox, &key, nmi("NMI main"), t0());
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

        // The mask is never a credential: creating a gateway with it is refused, nothing
        // made and nothing drawn.
        let mut masked = nmi("NMI masked");
        masked.settings = json!({"username": "u", "password": MASKED_SETTING})
            .as_object()
            .cloned();
        let gateways = sandbox.state.gateways.len();
        let error = sandbox.create_gateway(&key, masked, t0()).unwrap_err();
        assert_eq!(
            (error.http_status, error.code),
            (400, code::MASKED_SETTING_VALUE)
        );
        assert!(error
            .message
            .starts_with("settings.password is \"********\""));
        assert_eq!(sandbox.state.gateways.len(), gateways);

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
        // A name that hides text, or holds a character the browser could not read, is
        // refused when created (the name cannot change later).
        for (name, said) in [
            ("NMI\u{202E}gpj", "U+202E"),
            ("NMI \u{FFFD}", "U+FFFD at character 5"),
        ] {
            let error = sandbox.create_gateway(&key, nmi(name), t0()).unwrap_err();
            assert_eq!(error.code, code::INVALID_GATEWAY_NAME);
            assert!(
                error.message.starts_with("the gateway name has"),
                "{}",
                error.message
            );
            assert!(error.message.contains(said), "{}", error.message);
        }
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
        let token = token_of(&mut sandbox, &key, nmi("NMI"), t0());
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

    /// A gateway of `weight` (`None`: the default, 1) and `status`.
    fn weighted(name: &str, weight: Option<f64>, status: GatewayStatus) -> Gateway {
        let mut gateway = nmi(name);
        gateway.weight = weight.and_then(serde_json::Number::from_f64);
        gateway.status = status;
        gateway
    }

    /// Sends `count` charges without a token from `from`, one a minute, and counts where
    /// each went by gateway token, in the order they went.
    fn route_charges(
        sandbox: &mut Sandbox,
        key: &str,
        prefix: &str,
        count: usize,
    ) -> (BTreeMap<String, usize>, Vec<String>) {
        let mut counts = BTreeMap::new();
        let mut order = Vec::new();
        for n in 0..count {
            let now = t0().checked_add_seconds(60 * n as i64).unwrap();
            let charge = visa_charge(&format!("{prefix}-{n}"), 1000);
            let response = sandbox.charge(key, charge, now).unwrap();
            assert_eq!(response.response_code, ResponseCode::APPROVED);
            let token = response.gateway_token.unwrap();
            assert_eq!(
                response.assigned_gateway_token.as_deref(),
                Some(token.as_str())
            );
            *counts.entry(token.clone()).or_default() += 1;
            order.push(token);
        }
        (counts, order)
    }

    #[test]
    fn charges_without_a_token_are_shared_by_weight() {
        let (mut sandbox, key) = sandbox_with_key();
        let mut create = |name: &str, weight, status| {
            token_of(&mut sandbox, &key, weighted(name, weight, status), t0())
        };
        let one = create("One", None, GatewayStatus::Available);
        let three = create("Three", Some(3.0), GatewayStatus::Available);
        let zero = create("Zero", Some(0.0), GatewayStatus::Available);
        let refund_only = create("Refunds", Some(5.0), GatewayStatus::RefundOnly);
        let disabled = create("Off", Some(5.0), GatewayStatus::Disabled);
        let half = create("Half", Some(0.5), GatewayStatus::Available);

        let (counts, order) = route_charges(&mut sandbox, &key, "w", 450);
        // Weights 1, 3 and 0.5 of 4.5: 100, 300 and 50 of 450; none for the weight-0,
        // RefundOnly and Disabled gateways.
        assert_eq!(counts.get(&one), Some(&100));
        assert_eq!(counts.get(&three), Some(&300));
        assert_eq!(counts.get(&half), Some(&50));
        for token in [&zero, &refund_only, &disabled] {
            assert_eq!(counts.get(token), None);
        }
        // Smooth: every window of 9 charges (one turn of the weights) holds 2, 6 and 1.
        for window in order.chunks(9) {
            let share = |token: &String| window.iter().filter(|t| *t == token).count();
            assert_eq!((share(&one), share(&three), share(&half)), (2, 6, 1));
        }

        // A token still wins, even a weight-0 gateway's, and does not move the shares.
        let named = visa_charge("named", 1000).gateway(zero.clone());
        let response = sandbox.charge(&key, named, at_hours(24)).unwrap();
        assert_eq!(response.gateway_token.as_deref(), Some(zero.as_str()));
        let (after, _) = route_charges(&mut sandbox, &key, "w2", 9);
        assert_eq!(
            (after.get(&one), after.get(&three), after.get(&half)),
            (Some(&2), Some(&6), Some(&1))
        );
    }

    #[test]
    fn weighted_routing_is_deterministic_and_kept_in_the_snapshot() {
        let build = || {
            let (mut sandbox, key) = sandbox_with_key();
            for (name, weight) in [("A", 2.0), ("B", 1.0), ("C", 4.0)] {
                sandbox
                    .create_gateway(
                        &key,
                        weighted(name, Some(weight), GatewayStatus::Available),
                        t0(),
                    )
                    .unwrap();
            }
            (sandbox, key)
        };
        let (mut first, key) = build();
        let (mut second, _) = build();
        let (_, a) = route_charges(&mut first, &key, "d", 10);
        let (_, b) = route_charges(&mut second, &key, "d", 10);
        assert_eq!(a, b);
        // The credits are in the snapshot: a loaded sandbox routes on exactly like the
        // original, and writes the same bytes.
        let text = first.to_snapshot();
        assert!(text.contains("\"routingCredit\":"));
        let mut loaded = Sandbox::from_snapshot(&text).unwrap();
        assert_eq!(loaded.to_snapshot(), text);
        let (_, original) = route_charges(&mut first, &key, "e", 13);
        let (_, reloaded) = route_charges(&mut loaded, &key, "e", 13);
        assert_eq!(original, reloaded);
        // A sandbox that never routed by weight writes no credit (older documents load
        // without one: see the snapshot tests).
        let (idle, _) = build();
        assert!(!idle.to_snapshot().contains("routingCredit"));
    }

    #[test]
    fn a_gateway_added_later_takes_its_share_at_once() {
        let (mut sandbox, key) = sandbox_with_key();
        let first = token_of(&mut sandbox, &key, nmi("First"), t0());
        route_charges(&mut sandbox, &key, "a", 50);
        let second = token_of(&mut sandbox, &key, nmi("Second"), t0());
        // Equal weights: they alternate from the first charge on, with no burst to the new
        // one to make up for the 50 it missed.
        let (_, order) = route_charges(&mut sandbox, &key, "b", 6);
        assert_eq!(
            order,
            [&first, &second, &first, &second, &first, &second].map(String::clone)
        );
    }

    #[test]
    fn routing_without_an_eligible_gateway_says_why() {
        let (mut sandbox, key) = sandbox_with_key();
        let mode = Environment::Sandbox;
        let zero = sandbox
            .create_gateway(
                &key,
                weighted("Zero", Some(0.0), GatewayStatus::Available),
                t0(),
            )
            .unwrap()
            .id
            .unwrap();
        let refused = sandbox
            .route_payment(0, mode, None, RoutedPayment::default())
            .unwrap_err();
        assert_eq!(refused.code.value(), 50130);
        assert!(
            refused.message.contains("weight (Distribution) 0"),
            "{}",
            refused.message
        );
        // Named, it still takes charges.
        assert!(sandbox
            .route_payment(0, mode, Some(&zero), RoutedPayment::default())
            .is_ok());
        // A gateway for euros only: dollars have nowhere to go, euros go there.
        let mut euros = nmi("Euros");
        euros.currency_code = "EUR".into();
        euros.accepted_currency_codes = Some(vec![]);
        let euros = token_of(&mut sandbox, &key, euros, t0());
        let position = sandbox.gateway_position(0, mode, &euros).unwrap();
        assert_eq!(
            sandbox.route_payment(
                0,
                mode,
                None,
                RoutedPayment::in_currency(Some(Currency::EUR))
            ),
            Ok(GatewayRef::Created(position))
        );
        let dollars = sandbox
            .route_payment(
                0,
                mode,
                None,
                RoutedPayment::in_currency(Some(Currency::USD)),
            )
            .unwrap_err();
        assert_eq!(dollars.code.value(), 50147);
        assert!(
            dollars.message.contains("accepts USD"),
            "{}",
            dollars.message
        );
    }

    #[test]
    fn weights_read_in_thousandths() {
        let weight =
            |w: Option<f64>| weight_thousandths(&weighted("W", w, GatewayStatus::Available));
        assert_eq!(weight(None), 1000);
        assert_eq!(weight(Some(1.0)), 1000);
        assert_eq!(weight(Some(2.5)), 2500);
        assert_eq!(weight(Some(0.0)), 0);
        assert_eq!(weight(Some(-3.0)), 0);
        // Above 0, however small, is picked now and then; huge weights are capped.
        assert_eq!(weight(Some(1e-9)), 1);
        assert_eq!(weight(Some(1e300)), MOST_THOUSANDTHS);
        let mut integer = nmi("I");
        integer.weight = Some(7.into());
        assert_eq!(weight_thousandths(&integer), 7000);
    }

    #[test]
    fn routing_prefers_the_token_then_the_available_gateways() {
        let (mut sandbox, key) = sandbox_with_key();
        let mode = Environment::Sandbox;
        assert_eq!(
            sandbox.route_payment(0, mode, None, RoutedPayment::default()),
            Ok(GatewayRef::BuiltIn)
        );
        let first = token_of(&mut sandbox, &key, nmi("One"), t0());
        let second = token_of(&mut sandbox, &key, nmi("Two"), t0());
        assert_eq!(
            sandbox.route_payment(0, mode, None, RoutedPayment::default()),
            Ok(GatewayRef::Created(0))
        );
        assert_eq!(
            sandbox.route_payment(0, mode, Some(&second), RoutedPayment::default()),
            Ok(GatewayRef::Created(1))
        );
        sandbox
            .set_gateway_status(&key, &first, GatewayStatus::RefundOnly, t0())
            .unwrap();
        assert_eq!(
            sandbox.route_payment(0, mode, None, RoutedPayment::default()),
            Ok(GatewayRef::Created(1))
        );
        let refused = sandbox
            .route_payment(0, mode, Some(&first), RoutedPayment::default())
            .unwrap_err();
        assert_eq!(refused.code.value(), REFUSED_CHARGE_CODE);
        sandbox
            .set_gateway_status(&key, &second, GatewayStatus::Disabled, t0())
            .unwrap();
        let none = sandbox
            .route_payment(0, mode, None, RoutedPayment::default())
            .unwrap_err();
        assert_eq!(none.code.value(), 50130);
        let unknown = sandbox
            .route_payment(0, mode, Some("ZZZZ"), RoutedPayment::default())
            .unwrap_err();
        assert_eq!(unknown.code.value(), 50143);
        assert_eq!(
            sandbox.route_payment(
                0,
                mode,
                Some(BUILT_IN_GATEWAY_TOKEN),
                RoutedPayment::default()
            ),
            Ok(GatewayRef::BuiltIn)
        );
    }

    #[test]
    fn accepted_currencies_are_enforced() {
        let (mut sandbox, key) = sandbox_with_key();
        let mut gateway = nmi("EU");
        gateway.currency_code = "EUR".into();
        gateway.accepted_currency_codes = Some(vec!["GBP".into()]);
        let token = token_of(&mut sandbox, &key, gateway, t0());
        let mode = Environment::Sandbox;
        for (currency, ok) in [
            (Currency::EUR, true),
            (Currency::GBP, true),
            (Currency::USD, false),
        ] {
            let routed = sandbox.route_payment(
                0,
                mode,
                Some(&token),
                RoutedPayment::in_currency(Some(currency)),
            );
            assert_eq!(routed.is_ok(), ok, "{currency}");
        }
        let refused = sandbox
            .route_payment(
                0,
                mode,
                Some(&token),
                RoutedPayment::in_currency(Some(Currency::USD)),
            )
            .unwrap_err();
        assert_eq!(refused.code, ResponseCode::new(50147).unwrap());
    }

    /// Creates `gateway` and answers its token.
    fn token_of(sandbox: &mut Sandbox, key: &str, gateway: Gateway, at: UtcTimestamp) -> String {
        sandbox
            .create_gateway(key, gateway, at)
            .expect("created")
            .id
            .expect("a token")
    }

    fn visa_only(name: &str) -> Gateway {
        let mut gateway = nmi(name);
        gateway.accepted_cards = Some(AcceptedCards {
            visa: Some(CardAcceptance::ALL),
            master_card: Some(CardAcceptance::NONE),
            ..AcceptedCards::default()
        });
        gateway
    }

    fn amex_charge(id: &str, amount: i64) -> crate::flexpay::transaction::ChargeRequest {
        let card = CreditCardDetails {
            cvv: Some("1234".into()),
            ..CreditCardDetails::from_test_card(&TEST_CARDS[2])
        };
        let card = CreditCardDetails {
            credit_card_number: card.credit_card_number,
            expiry_month: card.expiry_month,
            expiry_year: card.expiry_year,
            cvv: card.cvv,
            ..crate::flexpay::sandbox::test_support::visa()
        };
        crate::flexpay::transaction::ChargeRequest::with_card(id, "order-1", "USD", amount, card)
            .customer("cust-1")
    }

    #[test]
    fn the_accepted_cards_dictionary_lists_what_a_gateway_takes() {
        let mut cards = AcceptedCards::default();
        assert!(
            !cards.takes(CardBrand::Visa),
            "a brand left out is not taken"
        );
        assert!(
            cards.takes(CardBrand::UnionPay),
            "the dictionary cannot name UnionPay"
        );
        cards.visa = Some(CardAcceptance::default());
        assert!(
            cards.takes(CardBrand::Visa),
            "flags left out refuse nothing"
        );
        cards.visa = Some(CardAcceptance {
            accept_debit_card: Some(true),
            ..CardAcceptance::NONE
        });
        assert!(cards.takes(CardBrand::Visa), "debit cards only");
        cards.visa = Some(CardAcceptance::NONE);
        assert!(!cards.takes(CardBrand::Visa));
        let mut gateway = nmi("Any");
        assert!(AcceptedCards::BRANDS.iter().all(|&b| gateway.takes_card(b)));
        assert!(gateway.takes_retries());
        gateway.accept_retries = Some(false);
        assert!(!gateway.takes_retries());
    }

    #[test]
    fn payments_go_only_to_gateways_that_take_their_card() {
        let (mut sandbox, key) = sandbox_with_key();
        let visa_gateway = token_of(&mut sandbox, &key, visa_only("Visa only"), t0());
        // Routed: no gateway takes American Express.
        let refused = sandbox
            .charge(&key, amex_charge("a-0", 1000), t0())
            .unwrap();
        assert_eq!(refused.response_code.value(), 50130);
        let message = refused.message.clone().unwrap_or_default();
        assert!(
            message.contains("takes American Express cards"),
            "{message}"
        );
        // Named: the gateway says it does not take them.
        let mut named = amex_charge("a-1", 1000);
        named.gateway_token = Some(visa_gateway.clone());
        let refused = sandbox.charge(&key, named, t0()).unwrap();
        assert_eq!(refused.response_code.value(), 50130);
        let message = refused.message.clone().unwrap_or_default();
        assert!(
            message.contains(&format!(
                "gateway {visa_gateway} does not take American Express"
            )),
            "{message}"
        );
        // A Visa card still goes there; a second gateway without a list takes the Amex.
        let visa = sandbox
            .charge(&key, visa_charge("v-0", 1000), t0())
            .unwrap();
        assert_eq!(visa.response_code.value(), 10000);
        let any = token_of(&mut sandbox, &key, nmi("Any card"), t0());
        for i in 0..4 {
            let amex = sandbox
                .charge(&key, amex_charge(&format!("a-{}", i + 2), 1000), t0())
                .unwrap();
            assert_eq!(amex.response_code.value(), 10000);
            assert_eq!(amex.gateway_token.as_deref(), Some(any.as_str()));
        }
    }

    #[test]
    fn retries_go_only_to_gateways_that_accept_them() {
        let (mut sandbox, key) = sandbox_with_key();
        let mut no_retries = nmi("No retries");
        no_retries.accept_retries = Some(false);
        let first = token_of(&mut sandbox, &key, no_retries, t0());
        let declined = sandbox
            .charge(&key, visa_charge("r-0", 2005), t0())
            .unwrap();
        assert_eq!(declined.gateway_token.as_deref(), Some(first.as_str()));
        let at = UtcTimestamp::parse_iso8601(declined.retry_date.as_deref().unwrap()).unwrap();
        // Routed: the only gateway takes no retries.
        let retry = visa_charge("r-1", 2005).retry_attempt(2, declined.reference_data.clone());
        let refused = sandbox.charge(&key, retry, at).unwrap();
        assert_eq!(refused.response_code.value(), 50130);
        let message = refused.message.clone().unwrap_or_default();
        assert!(message.contains("accepts retries"), "{message}");
        // Named: refused with the gateway's words.
        let mut named = visa_charge("r-2", 2005).retry_attempt(2, declined.reference_data.clone());
        named.gateway_token = Some(first.clone());
        let refused = sandbox.charge(&key, named, at).unwrap();
        assert_eq!(refused.response_code.value(), 50130);
        let message = refused.message.clone().unwrap_or_default();
        assert!(message.contains("does not accept retries"), "{message}");
        // A refusal is not an attempt: the chain goes on at a gateway that takes retries.
        let second = token_of(&mut sandbox, &key, nmi("Retries"), at);
        let retry = visa_charge("r-3", 2005).retry_attempt(2, declined.reference_data);
        let approved = sandbox.charge(&key, retry, at).unwrap();
        assert_eq!(approved.response_code.value(), 10000);
        assert_eq!(approved.gateway_token.as_deref(), Some(second.as_str()));
        // A first attempt may still go to the gateway without retries.
        let fresh = sandbox.charge(&key, visa_charge("r-4", 1000), at).unwrap();
        assert_eq!(fresh.response_code.value(), 10000);
    }

    #[test]
    fn the_routing_refusal_asks_of_a_charge_and_of_its_retry() {
        let (mut sandbox, key) = sandbox_with_key();
        let mode = Environment::Sandbox;
        let refusal = |sandbox: &Sandbox, brand| {
            sandbox.routing_refusal("DEFAULT", mode, Currency::USD, brand)
        };
        let mut no_retries = visa_only("Visa, no retries");
        no_retries.accept_retries = Some(false);
        token_of(&mut sandbox, &key, no_retries, t0());
        let (code, words) = refusal(&sandbox, CardBrand::Visa).unwrap();
        assert_eq!(code.value(), 50130);
        assert!(words.contains("accepts retries"), "{words}");
        let (code, words) = refusal(&sandbox, CardBrand::AmericanExpress).unwrap();
        assert_eq!(code.value(), 50130);
        assert!(words.contains("takes American Express cards"), "{words}");
        token_of(&mut sandbox, &key, nmi("Any"), t0());
        assert_eq!(refusal(&sandbox, CardBrand::Visa), None);
        assert_eq!(refusal(&sandbox, CardBrand::AmericanExpress), None);
    }

    #[test]
    fn flexpay_retries_leave_a_gateway_that_takes_no_retries() {
        let (mut sandbox, key) =
            crate::flexpay::sandbox::test_support::sandbox_with_flexpay_retries();
        let mut no_retries = nmi("No retries");
        no_retries.accept_retries = Some(false);
        let first = token_of(&mut sandbox, &key, no_retries, t0());
        let second = token_of(&mut sandbox, &key, nmi("Retries"), t0());
        let declined = sandbox
            .charge(&key, visa_charge("f-0", 2005), t0())
            .unwrap();
        assert_eq!(declined.gateway_token.as_deref(), Some(first.as_str()));
        let at = UtcTimestamp::parse_iso8601(declined.retry_date.as_deref().unwrap()).unwrap();
        let runs = sandbox.run_due_retries(at);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].response.response_code.value(), 10000);
        assert_eq!(
            runs[0].response.gateway_token.as_deref(),
            Some(second.as_str())
        );
    }
}
