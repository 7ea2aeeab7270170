//! Gateways (reference §14): the Gateway Management object, its status, and the gateway type
//! codes FlexPay knows.
//!
//! The Management API's paths and envelopes were never published in what the reference
//! covers, so only the object itself is modelled.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::wire::open_enum;
use crate::card::CardBrand;

/// `status` of a gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GatewayStatus {
    /// Portal: "Enabled".
    Available,
    /// Portal: "Disabled".
    Disabled,
    /// Portal: "Refund Only". What a gateway becomes when the merchant disables it at its
    /// end: no new charges, but refunds of past ones still go through.
    RefundOnly,
}

impl GatewayStatus {
    /// The API's `status` value.
    pub fn api_name(self) -> &'static str {
        match self {
            GatewayStatus::Available => "Available",
            GatewayStatus::Disabled => "Disabled",
            GatewayStatus::RefundOnly => "RefundOnly",
        }
    }

    /// The portal's "Processing status" label.
    pub fn portal_label(self) -> &'static str {
        match self {
            GatewayStatus::Available => "Enabled",
            GatewayStatus::Disabled => "Disabled",
            GatewayStatus::RefundOnly => "Refund Only",
        }
    }

    /// Whether new charges and authorizations may be routed here.
    pub fn accepts_charges(self) -> bool {
        self == GatewayStatus::Available
    }

    /// Whether refunds may be processed here.
    pub fn accepts_refunds(self) -> bool {
        self != GatewayStatus::Disabled
    }
}

open_enum! {
    /// A gateway type code (`gatewayType`), case-sensitive. See [`GATEWAY_TYPES`] for names.
    pub enum GatewayType {
        Acquired = "acquired",
        Adyen = "adyen",
        AltoGlobalProcessing = "alto_global_processing",
        AuthorizeNet = "authorize_net",
        Bambora = "bambora",
        BarclaycardSmartpay = "barclaycard_smartpay",
        BlueSnap = "blue_snap",
        Braintree = "braintree",
        Bridgepay = "bridgepay",
        BridgePayBridgeComm = "bridge_pay_bridgeComm",
        CardConnect = "card_connect",
        CardConnectDirect = "card_connect_direct",
        ChasePaymentTech = "chase_payment_tech",
        ChasePaymentechDirect = "chase_paymentech_direct",
        Checkout = "checkout",
        CheckoutV2 = "checkout_v2",
        Creditcall = "creditcall",
        Credorax = "credorax",
        CyberSource = "cyber_source",
        CyberSourceDirect = "cyber_source_direct",
        DLocal = "d_local",
        Elavon = "elavon",
        Epay = "epay",
        Global = "global",
        /// Not a gateway: FlexPay's placeholder when a request reached no gateway.
        FlexpayDeclined = "flexpay_declined",
        FlexpaySandbox = "flexpay_sandbox",
        Forte = "forte",
        GlobalGatewayE4 = "global_gateway_e4",
        GlobalCollect = "global_collect",
        Inovio = "inovio",
        Megacharge = "megacharge",
        Meritus = "meritus",
        Mojopay = "mojopay",
        Moneris = "moneris",
        MonerisCa = "moneris_ca",
        MonerisDirect = "moneris_direct",
        Mxmerchant = "mxmerchant",
        NetBilling = "net_billing",
        Nexio = "nexio",
        Nmi = "nmi",
        Nuvei = "nuvei",
        OptimalPayments = "optimal_payments",
        Paycertify = "paycertify",
        Payeezy = "payeezy",
        PayeezyGge4 = "payeezy_gge4",
        Paypal = "paypal",
        Paysafe = "paysafe",
        Paytrace = "paytrace",
        PayuLatam = "payu_latam",
        Pex = "pex",
        Processingdotcom = "processingdotcom",
        Propay = "propay",
        ProtectPay = "protect_pay",
        PsiGate = "psi_gate",
        Qualpay = "qualpay",
        SafeCharge = "safe_charge",
        SlimCd = "slim_cd",
        SolidGate = "solid_gate",
        Stripe = "stripe",
        StripeConnect = "stripe_connect",
        StripePaymentIntents = "stripe_payment_intents",
        TransactionPro = "transactionPro",
        TsysMultipass = "tsys_multipass",
        UsaEpay = "usa_epay",
        /// A second code for USAePay, listed alongside `usa_epay`.
        Usaepay = "usaepay",
        UsaEpayDirect = "usa_epay_direct",
        Litle = "litle",
        WorldpayLitle = "worldpay_litle",
        Worldpay = "worldpay",
    }
}

/// One row of the gateway type table (§14.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewayTypeInfo {
    /// The wire code.
    pub code: &'static str,
    /// The gateway's name as merchants know it.
    pub name: &'static str,
    /// Whether the code was in the Management API's "Supported Gateway Types" list (Oct
    /// 2022). Codes outside it were seen in client code or responses only, so creating a
    /// gateway of such a type may be refused (50145).
    pub in_documented_list: bool,
}

const fn row(code: &'static str, name: &'static str, in_documented_list: bool) -> GatewayTypeInfo {
    GatewayTypeInfo {
        code,
        name,
        in_documented_list,
    }
}

/// Every gateway type code the toolkit knows, in the reference's order. MassPay is supported
/// by FlexPay but its code is unknown, so it is absent.
pub const GATEWAY_TYPES: &[GatewayTypeInfo] = &[
    row("acquired", "Acquired.com", true),
    row("adyen", "Adyen", true),
    row("alto_global_processing", "Alto Global Processing", true),
    row("authorize_net", "Authorize.Net", true),
    row("bambora", "Bambora", false),
    row("barclaycard_smartpay", "Barclaycard SmartPay", false),
    row("blue_snap", "BlueSnap", true),
    row("braintree", "Braintree", true),
    row("bridgepay", "BridgePay", false),
    row("bridge_pay_bridgeComm", "BridgePay BridgeComm", true),
    row("card_connect", "CardConnect", true),
    row("card_connect_direct", "CardConnect (direct)", false),
    row("chase_payment_tech", "Chase Paymentech Orbital", true),
    row(
        "chase_paymentech_direct",
        "Chase Paymentech (direct)",
        false,
    ),
    row("checkout", "Checkout.com", true),
    row("checkout_v2", "Checkout.com v2", true),
    row("creditcall", "Creditcall", false),
    row("credorax", "Credorax", true),
    row("cyber_source", "CyberSource", true),
    row("cyber_source_direct", "CyberSource (direct)", true),
    row("d_local", "dLocal", true),
    row("elavon", "Elavon", true),
    row("epay", "ePay", false),
    row("global", "First Data Global Gateway", true),
    row("flexpay_declined", "FlexPay (no gateway reached)", false),
    row("flexpay_sandbox", "FlexPay Sandbox", true),
    row("forte", "Forte", true),
    row("global_gateway_e4", "Global Gateway e4", false),
    row("global_collect", "Ingenico ePayments (GlobalCollect)", true),
    row("inovio", "Inovio", true),
    row("megacharge", "MegaCharge", false),
    row("meritus", "Meritus", false),
    row("mojopay", "MojoPay", true),
    row("moneris", "Moneris", true),
    row("moneris_ca", "Moneris Canada", true),
    row("moneris_direct", "Moneris (direct)", false),
    row("mxmerchant", "MX Merchant", true),
    row("net_billing", "NetBilling", true),
    row("nexio", "Nexio", false),
    row("nmi", "NMI", true),
    row("nuvei", "Nuvei", true),
    row(
        "optimal_payments",
        "Paysafe (formerly Optimal Payments)",
        true,
    ),
    row("paycertify", "PayCertify", true),
    row("payeezy", "Payeezy", true),
    row("payeezy_gge4", "Payeezy GGE4", false),
    row("paypal", "PayPal", true),
    row("paysafe", "Paysafe", true),
    row("paytrace", "PayTrace", true),
    row("payu_latam", "PayU Latam", true),
    row("pex", "PEX", true),
    row("processingdotcom", "Processing.com", true),
    row("propay", "ProPay", true),
    row("protect_pay", "ProtectPay", true),
    row("psi_gate", "PSiGate", true),
    row("qualpay", "Qualpay", true),
    row("safe_charge", "SafeCharge", true),
    row("slim_cd", "Slim CD", true),
    row("solid_gate", "Solidgate", true),
    row("stripe", "Stripe", true),
    row("stripe_connect", "Stripe Connect", true),
    row("stripe_payment_intents", "Stripe Payment Intents", true),
    row("transactionPro", "TransactPro", true),
    row("tsys_multipass", "TSYS MultiPass", true),
    row("usa_epay", "USAePay", true),
    row("usaepay", "USAePay", true),
    row("usa_epay_direct", "USAePay (direct)", false),
    row("litle", "Vantiv (Litle)", true),
    row("worldpay_litle", "Worldpay (Litle)", true),
    row("worldpay", "Worldpay Worldwide Payment Gateway", true),
];

impl GatewayType {
    /// The table row for this code; `None` for a code the toolkit does not know.
    pub fn info(&self) -> Option<&'static GatewayTypeInfo> {
        let code = self.as_str();
        GATEWAY_TYPES.iter().find(|info| info.code == code)
    }
}

/// Which kinds of card of one brand a gateway accepts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardAcceptance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_credit_card: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_prepaid_card: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_debit_card: Option<bool>,
}

/// `acceptedCards` ("AcceptedCardDictionary"). The v1 shape was not published; this is the
/// successor API's, which is the best available guess. Brands not listed here are ignored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedCards {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visa: Option<CardAcceptance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_card: Option<CardAcceptance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amex: Option<CardAcceptance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discover: Option<CardAcceptance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diners_club: Option<CardAcceptance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jcb: Option<CardAcceptance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maestro: Option<CardAcceptance>,
}

impl CardAcceptance {
    /// Every kind of card of the brand: what a brand ticked in the portal's form stands for.
    pub const ALL: CardAcceptance = CardAcceptance {
        accept_credit_card: Some(true),
        accept_prepaid_card: Some(true),
        accept_debit_card: Some(true),
    };

    /// No kind of card of the brand.
    pub const NONE: CardAcceptance = CardAcceptance {
        accept_credit_card: Some(false),
        accept_prepaid_card: Some(false),
        accept_debit_card: Some(false),
    };

    /// Some kind of card of the brand is taken: a flag left out is not a refusal, so only
    /// an entry whose three flags are all `false` takes none. A card number does not say
    /// whether it is a credit, debit or prepaid card, so the sandbox asks no more than this.
    pub fn takes_some(&self) -> bool {
        [
            self.accept_credit_card,
            self.accept_prepaid_card,
            self.accept_debit_card,
        ] != [Some(false); 3]
    }
}

impl AcceptedCards {
    /// The brands the dictionary has a key for, in its order.
    pub const BRANDS: [CardBrand; 7] = [
        CardBrand::Visa,
        CardBrand::Mastercard,
        CardBrand::AmericanExpress,
        CardBrand::Discover,
        CardBrand::DinersClub,
        CardBrand::Jcb,
        CardBrand::Maestro,
    ];

    /// The entry of `brand`; `None` for a brand the dictionary has no key for (UnionPay).
    pub fn entry(&self, brand: CardBrand) -> Option<Option<CardAcceptance>> {
        // The dictionary is a few bytes of `Copy` data: read through the one mapping.
        let mut cards = *self;
        cards.entry_mut(brand).map(|entry| *entry)
    }

    /// The entry of `brand` to set; `None` for UnionPay.
    pub fn entry_mut(&mut self, brand: CardBrand) -> Option<&mut Option<CardAcceptance>> {
        Some(match brand {
            CardBrand::Visa => &mut self.visa,
            CardBrand::Mastercard => &mut self.master_card,
            CardBrand::AmericanExpress => &mut self.amex,
            CardBrand::Discover => &mut self.discover,
            CardBrand::DinersClub => &mut self.diners_club,
            CardBrand::Jcb => &mut self.jcb,
            CardBrand::Maestro => &mut self.maestro,
            CardBrand::UnionPay => return None,
        })
    }

    /// Whether a gateway with this dictionary takes cards of `brand` (flexkit's reading: the
    /// dictionary lists what the gateway takes). A brand it names takes cards unless its
    /// entry is left out or refuses every kind ([`CardAcceptance::takes_some`]); a brand it
    /// has no key for (UnionPay) is not restricted by it.
    pub fn takes(&self, brand: CardBrand) -> bool {
        self.entry(brand)
            .is_none_or(|entry| entry.is_some_and(|e| e.takes_some()))
    }
}

/// A FlexPay gateway as the Gateway Management API exchanges it (§14.1): sent to create one,
/// returned when reading. Unset optional fields are omitted, because an absent setting on a
/// read means "unchanged/not returned", never "empty".
///
/// `Debug` shows only the names of `settings`, never their values: they hold gateway
/// credentials.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gateway {
    /// The gateway token (portal "Gateway Token", `gatewayToken` in transactions). Absent
    /// when creating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Set at creation only; FlexPay does not accept a new name.
    pub name: String,
    /// MID / merchant account identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_reference_id: Option<String>,
    pub gateway_type: GatewayType,
    /// ISO 4217 alpha-3 currency of the merchant account.
    pub currency_code: String,
    pub status: GatewayStatus,
    /// ISO 4217 alpha-3 codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_currency_codes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_cards: Option<AcceptedCards>,
    /// Share of traffic when FlexPay routes (portal "Distribution", default 1). Kept as the
    /// JSON number it arrived as: the reference says only "number". The sandbox's weighted
    /// routing reads it in thousandths (0 or below: never picked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_retries: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvv_required: Option<bool>,
    /// Percentage fee on approved charges and captures, kept as the JSON number it arrived
    /// as (a rate, not an amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_charge_or_capture_rate_fee: Option<serde_json::Number>,
    /// Flat fee on approved charges and captures, in minor units like every amount the
    /// toolkit exchanges; a fractional value is rejected rather than rounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_charge_or_capture_flat_fee: Option<i64>,
    /// Flat fee on other transaction types, in minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_transaction_flat_fee: Option<i64>,
    /// Gateway-type-specific connection settings (credentials among them). Accepted on
    /// create/update; secrets are not returned on read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<serde_json::Map<String, serde_json::Value>>,
}

impl fmt::Debug for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let setting_names: Option<Vec<&String>> = self
            .settings
            .as_ref()
            .map(|settings| settings.keys().collect());
        f.debug_struct("Gateway")
            .field("id", &self.id)
            .field("name", &self.name)
            .field(
                "merchant_account_reference_id",
                &self.merchant_account_reference_id,
            )
            .field("gateway_type", &self.gateway_type)
            .field("currency_code", &self.currency_code)
            .field("status", &self.status)
            .field("accepted_currency_codes", &self.accepted_currency_codes)
            .field("accepted_cards", &self.accepted_cards)
            .field("weight", &self.weight)
            .field("accept_retries", &self.accept_retries)
            .field("cvv_required", &self.cvv_required)
            .field(
                "approved_charge_or_capture_rate_fee",
                &self.approved_charge_or_capture_rate_fee,
            )
            .field(
                "approved_charge_or_capture_flat_fee",
                &self.approved_charge_or_capture_flat_fee,
            )
            .field(
                "other_transaction_flat_fee",
                &self.other_transaction_flat_fee,
            )
            .field("settings", &setting_names)
            .finish()
    }
}

impl Gateway {
    /// A gateway to create, with nothing optional set.
    pub fn new(
        name: impl Into<String>,
        gateway_type: GatewayType,
        currency_code: impl Into<String>,
        status: GatewayStatus,
    ) -> Self {
        Gateway {
            id: None,
            name: name.into(),
            merchant_account_reference_id: None,
            gateway_type,
            currency_code: currency_code.into(),
            status,
            accepted_currency_codes: None,
            accepted_cards: None,
            weight: None,
            accept_retries: None,
            cvv_required: None,
            approved_charge_or_capture_rate_fee: None,
            approved_charge_or_capture_flat_fee: None,
            other_transaction_flat_fee: None,
            settings: None,
        }
    }

    /// Whether it takes cards of `brand`: every brand without an `acceptedCards`
    /// dictionary, else as [`AcceptedCards::takes`] reads it.
    pub fn takes_card(&self, brand: CardBrand) -> bool {
        self.accepted_cards.is_none_or(|cards| cards.takes(brand))
    }

    /// Whether it takes retries of declined payments: unless `acceptRetries` is `false`.
    pub fn takes_retries(&self) -> bool {
        self.accept_retries != Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::wire::assert_wire;
    use serde_json::json;

    #[test]
    fn api_names_are_the_wire_values() {
        for status in [
            GatewayStatus::Available,
            GatewayStatus::Disabled,
            GatewayStatus::RefundOnly,
        ] {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                json!(status.api_name())
            );
        }
    }

    fn refund_only_gateway() -> serde_json::Value {
        json!({
            "id": "G4T3W4YS4NDB0X0000000000AB",
            "name": "Stripe EU (retired)",
            "merchantAccountReferenceId": "MID-0042",
            "gatewayType": "stripe_payment_intents",
            "currencyCode": "EUR",
            "status": "RefundOnly",
            "acceptedCurrencyCodes": ["EUR", "GBP"],
            "acceptedCards": {
                "visa": {"acceptCreditCard": true, "acceptPrepaidCard": false, "acceptDebitCard": true},
                "masterCard": {"acceptCreditCard": true, "acceptPrepaidCard": false, "acceptDebitCard": true}
            },
            "weight": 1,
            "acceptRetries": true,
            "cvvRequired": false,
            "approvedChargeOrCaptureRateFee": 2.5,
            "approvedChargeOrCaptureFlatFee": 30,
            "otherTransactionFlatFee": 10
        })
    }

    #[test]
    fn refund_only_gateway_round_trips() {
        let gateway: Gateway = serde_json::from_value(refund_only_gateway()).unwrap();
        assert_eq!(gateway.status, GatewayStatus::RefundOnly);
        assert!(!gateway.status.accepts_charges());
        assert!(gateway.status.accepts_refunds());
        assert_eq!(gateway.gateway_type, GatewayType::StripePaymentIntents);
        assert_eq!(gateway.weight, Some(1.into()));
        assert_wire(&gateway, refund_only_gateway());
    }

    #[test]
    fn gateway_to_create_carries_settings_that_debug_hides() {
        let mut gateway = Gateway::new(
            "Sandbox",
            GatewayType::FlexpaySandbox,
            "USD",
            GatewayStatus::Available,
        );
        gateway.settings = Some(
            json!({"apiLogin": "sbx-login", "transactionKey": "s3cr3t-k3y"})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_wire(
            &gateway,
            json!({
                "name": "Sandbox",
                "gatewayType": "flexpay_sandbox",
                "currencyCode": "USD",
                "status": "Available",
                "settings": {"apiLogin": "sbx-login", "transactionKey": "s3cr3t-k3y"}
            }),
        );
        let debug = format!("{gateway:?}");
        assert!(debug.contains("transactionKey"), "{debug}");
        assert!(!debug.contains("s3cr3t-k3y"), "{debug}");
    }

    #[test]
    fn fractional_flat_fee_is_rejected_and_unknown_status_is_an_error() {
        let mut json = refund_only_gateway();
        json["approvedChargeOrCaptureFlatFee"] = json!(0.3);
        assert!(serde_json::from_value::<Gateway>(json).is_err());
        let mut json = refund_only_gateway();
        json["status"] = json!("Enabled");
        assert!(serde_json::from_value::<Gateway>(json).is_err());
    }

    #[test]
    fn status_labels_and_effects() {
        let rows = [
            (GatewayStatus::Available, "Available", "Enabled", true, true),
            (
                GatewayStatus::Disabled,
                "Disabled",
                "Disabled",
                false,
                false,
            ),
            (
                GatewayStatus::RefundOnly,
                "RefundOnly",
                "Refund Only",
                false,
                true,
            ),
        ];
        for (status, wire, label, charges, refunds) in rows {
            assert_eq!(serde_json::to_value(status).unwrap(), wire);
            assert_eq!(status.portal_label(), label);
            assert_eq!(status.accepts_charges(), charges);
            assert_eq!(status.accepts_refunds(), refunds);
        }
    }

    #[test]
    fn the_table_and_the_enum_list_the_same_codes_once_each() {
        assert_eq!(GATEWAY_TYPES.len(), GatewayType::KNOWN.len());
        for (info, known) in GATEWAY_TYPES.iter().zip(GatewayType::KNOWN) {
            assert_eq!(info.code, known.as_str());
            assert_eq!(known.info(), Some(info));
            assert_eq!(GatewayType::from_wire(info.code), *known);
        }
        let mut codes: Vec<&str> = GATEWAY_TYPES.iter().map(|info| info.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), GATEWAY_TYPES.len());
        assert_eq!(
            GatewayType::from_wire("bridge_pay_bridgecomm"),
            GatewayType::Other("bridge_pay_bridgecomm".into())
        );
        assert_eq!(GatewayType::from_wire("masspay").info(), None);
        assert!(
            !GatewayType::FlexpayDeclined
                .info()
                .unwrap()
                .in_documented_list
        );
    }
}
