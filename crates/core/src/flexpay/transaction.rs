//! Transaction calls on the FlexPay v1 wire (reference §1.1, §3, §4, §5): charge and
//! authorize, capture, void, refund and refunded-payment requests, and the transaction record
//! every one of them answers with, each inside a `{"transaction": {...}}` envelope.
//!
//! Null versus omitted. Requests omit an optional field that is `None` — the API treats an
//! absent optional field like a `null` one — with one exception: `referenceData` is always
//! written, as `null` on the first FlexPay attempt, because the Integration Guide describes
//! the field as emptied to null rather than dropped, and an explicit null makes a forgotten
//! echo visible in logs. Responses write every documented key, `null` when unset, as FlexPay
//! does (including the undocumented `productSku` and `subscriptionId`); keys FlexPay only
//! sometimes sends (`paymentModel`, `engagedRecoveryState`, the gateway-specific objects) are
//! omitted when unset.
//!
//! Timestamps and currency codes stay strings here, exactly as received; the validation layer
//! parses them. `responseCode` is a [`ResponseCode`] (a string on the wire). No type rejects unknown fields: responses carry undocumented ones, and the
//! validation layer reports unknown request fields with their paths.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use super::gateway::GatewayType;
use super::payment_method::{CreditCardDetails, GatewayPaymentMethodDetails, PaymentMethodRecord};
use super::response_code::ResponseCode;
use super::wire::open_enum;

/// `{"transaction": {...}}`: the body of every transaction call and of its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionEnvelope<T> {
    pub transaction: T,
}

impl<T> TransactionEnvelope<T> {
    pub fn new(transaction: T) -> Self {
        TransactionEnvelope { transaction }
    }
}

pub use super::transaction_status::TransactionStatus;

open_enum! {
    /// `transactionType` of a transaction record. FlexPay has added types over time
    /// (the successor API lists `Verify`, `SuccessfulPayment`, `RefundedPayment`, ...); those
    /// arrive as `Other`.
    pub enum TransactionType {
        Authorize = "Authorize",
        Charge = "Charge",
        Capture = "Capture",
        Void = "Void",
        Refund = "Refund",
        UpdatePaymentMethod = "UpdatePaymentMethod",
        CreateGatewayPaymentMethod = "CreateGatewayPaymentMethod",
    }
}

open_enum! {
    /// `paymentModel` of a charge or authorize. Kept open so that an invalid value reaches the
    /// validation layer (which reports 50155) instead of failing the parse.
    pub enum PaymentModel {
        OneTime = "onetime",
        Subscription = "subscription",
        Installment = "installment",
    }
}

/// `shippingAddress` (§3.5). All six keys are always written, `null` when unset: that is how
/// responses carry it, and the request body definition allows null for each.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShippingAddress {
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
}

/// `paymentPlan` of a charge or authorize (§3.6); unset fields are omitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentPlan {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<u32>,
}

/// `References` of a charge or authorize (§3.7) — capital `R`, as in the body definition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct References {
    /// `PreviousTransaction`, capital `P`.
    #[serde(
        rename = "PreviousTransaction",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_transaction: Option<PreviousTransaction>,
}

/// `References.PreviousTransaction`: the decline the merchant's own gateway gave on the
/// previous attempt. Unset fields are omitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviousTransaction {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_reference_id: Option<String>,
    /// The gateway's decline code, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_code: Option<String>,
    /// The gateway's decline message. The wire name is `gatewayMesage` (one "s"), as the
    /// body definition spells it; the correct spelling would be ignored by FlexPay.
    #[serde(
        rename = "gatewayMesage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub gateway_message: Option<String>,
    /// ISO 8601 date-time of the previous attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_date: Option<String>,
}

/// How a charge or authorize names the card: the three request variants (§3.2–§3.4). On the
/// wire the variant is untagged; it is told apart by which keys are present.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ChargePaymentMethod {
    /// Raw card: `paymentMethod` with `creditCardNumber`, plus top-level `retainOnSuccess`.
    #[serde(rename_all = "camelCase")]
    Card {
        payment_method: CreditCardDetails,
        /// Keep the card in the vault after an approval. Always sent because the client
        /// library declares it required; a missing value reads as `false`. FlexPay's
        /// sandbox has been seen to ignore it, so nothing should depend on it.
        retain_on_success: bool,
    },
    /// A card in the FlexPay vault: top-level `paymentMethodId`.
    #[serde(rename_all = "camelCase")]
    Vaulted { payment_method_id: String },
    /// A card stored at the gateway: `paymentMethod` with `gatewayPaymentMethodId`.
    #[serde(rename_all = "camelCase")]
    GatewayPaymentMethod {
        payment_method: GatewayPaymentMethodDetails,
    },
}

/// An empty raw card: what a request built field by field starts from.
impl Default for ChargePaymentMethod {
    fn default() -> Self {
        ChargePaymentMethod::Card {
            payment_method: CreditCardDetails::default(),
            retain_on_success: false,
        }
    }
}

/// The keys that decide the variant, everything else of the request ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChargePaymentMethodKeys {
    payment_method_id: Option<String>,
    payment_method: Option<serde_json::Value>,
    retain_on_success: Option<bool>,
}

fn has_value(object: &serde_json::Map<String, serde_json::Value>, key: &str) -> bool {
    object.get(key).is_some_and(|value| !value.is_null())
}

impl TryFrom<ChargePaymentMethodKeys> for ChargePaymentMethod {
    type Error = String;

    fn try_from(keys: ChargePaymentMethodKeys) -> Result<Self, String> {
        let object = match (keys.payment_method_id, keys.payment_method) {
            (Some(_), Some(_)) => {
                return Err(
                    "both `paymentMethodId` and `paymentMethod` are present; send \
                            `paymentMethodId` for a vaulted card or `paymentMethod` for a raw \
                            card or a gateway payment method, not both"
                        .into(),
                )
            }
            (Some(payment_method_id), None) => {
                return Ok(ChargePaymentMethod::Vaulted { payment_method_id })
            }
            (None, None) => {
                return Err(
                    "missing payment method: expected `paymentMethodId` (vaulted card) \
                            or `paymentMethod` (raw card or gateway payment method)"
                        .into(),
                )
            }
            (None, Some(serde_json::Value::Object(object))) => object,
            (None, Some(_)) => return Err("`paymentMethod` must be an object".into()),
        };
        let is_card = has_value(&object, "creditCardNumber");
        let is_gateway = has_value(&object, "gatewayPaymentMethodId");
        let payment_method = serde_json::Value::Object(object);
        match (is_card, is_gateway) {
            (true, false) => Ok(ChargePaymentMethod::Card {
                payment_method: serde_json::from_value(payment_method)
                    .map_err(|e| format!("paymentMethod (raw card): {e}"))?,
                retain_on_success: keys.retain_on_success.unwrap_or(false),
            }),
            (false, true) => Ok(ChargePaymentMethod::GatewayPaymentMethod {
                payment_method: serde_json::from_value(payment_method)
                    .map_err(|e| format!("paymentMethod (gateway payment method): {e}"))?,
            }),
            (true, true) => Err("`paymentMethod` has both `creditCardNumber` and \
                                 `gatewayPaymentMethodId`; a charge uses one or the other"
                .into()),
            (false, false) => Err("`paymentMethod` needs `creditCardNumber` (raw card) or \
                                   `gatewayPaymentMethodId` (card stored at the gateway)"
                .into()),
        }
    }
}

impl<'de> Deserialize<'de> for ChargePaymentMethod {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let keys = ChargePaymentMethodKeys::deserialize(deserializer)?;
        ChargePaymentMethod::try_from(keys).map_err(D::Error::custom)
    }
}

/// Body of `POST /v1/gateways/charge` and `POST /v1/gateways/authorize` (§3), inside a
/// [`TransactionEnvelope`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeRequest {
    /// Unique per request: every retry, capture, void and refund needs a new one (50129).
    pub merchant_transaction_id: String,
    pub order_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Either this or `paymentMethod.email` must be present (50048).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// ISO 4217 alpha-3, e.g. `"USD"`.
    pub currency_code: String,
    /// Minor units of `currency_code`: 2008 is USD 20.08.
    pub amount: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<ShippingAddress>,
    /// The FlexPay gateway to route to (the portal's "Gateway Token"). The body definition
    /// called it `assignedGatewayToken`; FlexPay confirmed `gatewayToken`, so that is what is
    /// sent, and the old name is accepted on input (the validation layer warns about it).
    #[serde(
        default,
        alias = "assignedGatewayToken",
        skip_serializing_if = "Option::is_none"
    )]
    pub gateway_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_plan: Option<PaymentPlan>,
    /// 1 on the first attempt sent through FlexPay (0 is the merchant's own attempt on its
    /// gateway), plus one per later attempt.
    pub retry_count: u32,
    /// ISO 8601 date-time of the original failed attempt. A malformed value is rejected by
    /// FlexPay at the HTTP level (400), not with a response code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_first_attempt: Option<String>,
    /// `true` opts this payment out of Engaged (customer-facing) Recovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_customer_recovery: Option<bool>,
    /// The opaque value from FlexPay's previous response for this payment, echoed unchanged;
    /// `null` on the first attempt (always written, see the module notes).
    #[serde(default)]
    pub reference_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_variable1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_variable2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_variable3: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_variable4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_variable5: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_model: Option<PaymentModel>,
    /// `References`, capital `R`.
    #[serde(
        rename = "References",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub references: Option<References>,
    /// Written as the variant's own top-level keys.
    #[serde(flatten)]
    pub payment_method: ChargePaymentMethod,
}

/// Authorize takes exactly the charge body; only the path differs.
pub type AuthorizeRequest = ChargeRequest;

impl ChargeRequest {
    /// A first FlexPay attempt (`retryCount` 1, `referenceData` null) with nothing optional
    /// set.
    pub fn new(
        merchant_transaction_id: impl Into<String>,
        order_id: impl Into<String>,
        currency_code: impl Into<String>,
        amount: i64,
        payment_method: ChargePaymentMethod,
    ) -> Self {
        ChargeRequest {
            merchant_transaction_id: merchant_transaction_id.into(),
            order_id: order_id.into(),
            description: None,
            customer_id: None,
            currency_code: currency_code.into(),
            amount,
            customer_ip: None,
            shipping_address: None,
            gateway_token: None,
            payment_plan: None,
            retry_count: 1,
            date_first_attempt: None,
            disable_customer_recovery: None,
            reference_data: None,
            custom_variable1: None,
            custom_variable2: None,
            custom_variable3: None,
            custom_variable4: None,
            custom_variable5: None,
            payment_model: None,
            references: None,
            payment_method,
        }
    }

    /// A first attempt on a raw card, not kept in the vault.
    pub fn with_card(
        merchant_transaction_id: impl Into<String>,
        order_id: impl Into<String>,
        currency_code: impl Into<String>,
        amount: i64,
        card: CreditCardDetails,
    ) -> Self {
        let payment_method = ChargePaymentMethod::Card {
            payment_method: card,
            retain_on_success: false,
        };
        Self::new(
            merchant_transaction_id,
            order_id,
            currency_code,
            amount,
            payment_method,
        )
    }

    /// A first attempt on a card in the FlexPay vault.
    pub fn with_vaulted_payment_method(
        merchant_transaction_id: impl Into<String>,
        order_id: impl Into<String>,
        currency_code: impl Into<String>,
        amount: i64,
        payment_method_id: impl Into<String>,
    ) -> Self {
        let payment_method = ChargePaymentMethod::Vaulted {
            payment_method_id: payment_method_id.into(),
        };
        Self::new(
            merchant_transaction_id,
            order_id,
            currency_code,
            amount,
            payment_method,
        )
    }

    /// A first attempt on a card stored at the gateway.
    pub fn with_gateway_payment_method(
        merchant_transaction_id: impl Into<String>,
        order_id: impl Into<String>,
        currency_code: impl Into<String>,
        amount: i64,
        payment_method: GatewayPaymentMethodDetails,
    ) -> Self {
        let payment_method = ChargePaymentMethod::GatewayPaymentMethod { payment_method };
        Self::new(
            merchant_transaction_id,
            order_id,
            currency_code,
            amount,
            payment_method,
        )
    }

    /// Sets `customerId`.
    pub fn customer(mut self, customer_id: impl Into<String>) -> Self {
        self.customer_id = Some(customer_id.into());
        self
    }

    /// Routes to a FlexPay gateway (`gatewayToken`).
    pub fn gateway(mut self, gateway_token: impl Into<String>) -> Self {
        self.gateway_token = Some(gateway_token.into());
        self
    }

    /// Makes this a later attempt of the same payment: its `retryCount` and the
    /// `referenceData` FlexPay returned on the previous attempt.
    pub fn retry_attempt(mut self, retry_count: u32, reference_data: Option<String>) -> Self {
        self.retry_count = retry_count;
        self.reference_data = reference_data;
        self
    }

    /// Sets `dateFirstAttempt` (ISO 8601 date-time).
    pub fn first_attempted_at(mut self, date_first_attempt: impl Into<String>) -> Self {
        self.date_first_attempt = Some(date_first_attempt.into());
        self
    }

    /// Sets `retainOnSuccess`; has no effect unless the payment method is a raw card.
    pub fn retain_on_success(mut self, retain: bool) -> Self {
        if let ChargePaymentMethod::Card {
            retain_on_success, ..
        } = &mut self.payment_method
        {
            *retain_on_success = retain;
        }
        self
    }
}

/// Body of `POST /v1/transactions/{transactionId}/capture` (§4). Without `amount` the whole
/// authorization is captured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptureRequest {
    /// A new unique value, not the authorization's.
    pub merchant_transaction_id: String,
    /// Minor units; omitted for a full capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_customer_recovery: Option<bool>,
}

impl CaptureRequest {
    pub fn full(merchant_transaction_id: impl Into<String>) -> Self {
        CaptureRequest {
            merchant_transaction_id: merchant_transaction_id.into(),
            amount: None,
            disable_customer_recovery: None,
        }
    }

    pub fn partial(merchant_transaction_id: impl Into<String>, amount: i64) -> Self {
        CaptureRequest {
            amount: Some(amount),
            ..CaptureRequest::full(merchant_transaction_id)
        }
    }
}

/// Body of `POST /v1/transactions/{transactionId}/void` (§4). A void has no amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoidRequest {
    /// A new unique value, not the voided transaction's.
    pub merchant_transaction_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_customer_recovery: Option<bool>,
}

impl VoidRequest {
    pub fn new(merchant_transaction_id: impl Into<String>) -> Self {
        VoidRequest {
            merchant_transaction_id: merchant_transaction_id.into(),
            disable_customer_recovery: None,
        }
    }
}

/// Body of `POST /v1/transactions/{transactionId}/refund` (§4), and of `.../refundedpayment`
/// (see [`RefundedPaymentRequest`]). Without `amount` the whole charge is refunded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    /// A new unique value, not the refunded transaction's.
    pub merchant_transaction_id: String,
    /// Minor units; omitted for a full refund.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_customer_recovery: Option<bool>,
}

impl RefundRequest {
    pub fn full(merchant_transaction_id: impl Into<String>) -> Self {
        RefundRequest {
            merchant_transaction_id: merchant_transaction_id.into(),
            amount: None,
            disable_customer_recovery: None,
        }
    }

    pub fn partial(merchant_transaction_id: impl Into<String>, amount: i64) -> Self {
        RefundRequest {
            amount: Some(amount),
            ..RefundRequest::full(merchant_transaction_id)
        }
    }
}

/// Body of `POST /v1/transactions/{transactionId}/refundedpayment`: tells FlexPay that a
/// payment was refunded elsewhere (and so stops its recovery). Same fields as a refund.
pub type RefundedPaymentRequest = RefundRequest;

/// `response` of a transaction record (§5.1): what the gateway said about address and CVV
/// checks. Letters as listed in §9 (`avsCode` `"S"`: AVS not supported).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResult {
    pub avs_code: Option<String>,
    pub avs_message: Option<String>,
    pub cvv_code: Option<String>,
    pub cvv_message: Option<String>,
    pub error_code: Option<String>,
    pub error_detail: Option<String>,
}

/// The transaction record FlexPay answers every transaction call with, inside a
/// [`TransactionEnvelope`] (§5). Declines and most validation failures arrive here with HTTP
/// 200, so only the three fields needed to read any outcome are required; everything echoed
/// from the request may be null (e.g. on a 50103 "merchantTransactionId required").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionResponse {
    pub response: Option<VerificationResult>,
    pub payment_method: Option<PaymentMethodRecord>,
    /// FlexPay's id of this transaction: opaque upper-case alphanumeric, length varies.
    pub transaction_id: String,
    /// ISO 8601 date-time, usually with `Z`, 0–7 fractional digits.
    pub transaction_date: Option<String>,
    pub transaction_status: TransactionStatus,
    pub message: Option<String>,
    /// Five digits as a string (`"20003"`); the first digit is the category.
    pub response_code: ResponseCode,
    pub transaction_type: Option<TransactionType>,
    pub merchant_transaction_id: Option<String>,
    /// Echoed, or an id FlexPay generated when none was sent.
    pub customer_id: Option<String>,
    /// ISO 4217 alpha-3.
    pub currency_code: Option<String>,
    /// Minor units.
    pub amount: Option<i64>,
    /// The gateway the request asked for.
    pub gateway_token: Option<String>,
    /// `flexpay_declined` (with token `AAAAAAAAAAAAAAAAAAAAAAAAAA`) when nothing reached a
    /// gateway.
    pub gateway_type: Option<GatewayType>,
    pub gateway_transaction_id: Option<String>,
    pub merchant_account_reference_id: Option<String>,
    /// The gateway actually used; a separate field from `gatewayToken`, which it may differ
    /// from when FlexPay routes.
    pub assigned_gateway_token: Option<String>,
    pub order_id: Option<String>,
    /// FlexPay's recommended time for the next attempt; null means do not retry. ISO 8601,
    /// sometimes without a zone (`"2023-11-09T00:00:00"`), which means UTC.
    pub retry_date: Option<String>,
    pub retry_count: Option<u32>,
    /// ISO 8601 date-time.
    pub date_first_attempt: Option<String>,
    pub description: Option<String>,
    /// Undocumented, but returned in practice.
    pub product_sku: Option<String>,
    /// Undocumented, but returned in practice.
    pub subscription_id: Option<String>,
    pub customer_ip: Option<String>,
    pub shipping_address: Option<ShippingAddress>,
    /// Opaque (base64-looking): store it and send it back on the next attempt.
    pub reference_data: Option<String>,
    pub disable_customer_recovery: Option<bool>,
    /// Added late 2022; only 0 (not engaged) has been seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engaged_recovery_state: Option<i64>,
    pub custom_variable1: Option<String>,
    pub custom_variable2: Option<String>,
    pub custom_variable3: Option<String>,
    pub custom_variable4: Option<String>,
    pub custom_variable5: Option<String>,
    /// Said to be absent from capture, void and refund answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_model: Option<PaymentModel>,
    /// On get-transaction; oddly nested (an object holding a key of the same name), so kept
    /// as free-form JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_specific_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// Gateway-specific outputs, e.g. MassPay's `processor_id_external`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_specific_response_fields: Option<serde_json::Map<String, serde_json::Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::test_cards::TEST_CARDS;
    use crate::flexpay::wire::assert_wire;
    use serde_json::{json, Value};

    fn sandbox_visa() -> CreditCardDetails {
        CreditCardDetails {
            first_name: Some("Avery".into()),
            last_name: Some("Quinn".into()),
            address1: Some("1180 Harbour Street".into()),
            postal_code: Some("97205".into()),
            city: Some("Portland".into()),
            state: Some("OR".into()),
            country: Some("US".into()),
            email: Some("avery.quinn@example.com".into()),
            ..CreditCardDetails::from_test_card(&TEST_CARDS[0])
        }
    }

    fn sandbox_visa_json() -> Value {
        json!({
            "creditCardNumber": "4920201996449560",
            "expiryMonth": "07",
            "expiryYear": "2024",
            "cvv": "879",
            "firstName": "Avery",
            "lastName": "Quinn",
            "address1": "1180 Harbour Street",
            "postalCode": "97205",
            "city": "Portland",
            "state": "OR",
            "country": "US",
            "email": "avery.quinn@example.com"
        })
    }

    fn soft_decline_json() -> Value {
        json!({"transaction": {
            "response": {
                "avsCode": "S",
                "avsMessage": "AVS not supported",
                "cvvCode": "M",
                "cvvMessage": "CVV matches",
                "errorCode": null,
                "errorDetail": null
            },
            "paymentMethod": {
                "paymentMethodId": "KQ8ZP2M4C6R1T7VXN3B5D9FHJA",
                "creditCardNumber": "492020******9560",
                "expiryMonth": "07",
                "expiryYear": "2024",
                "cvv": "***",
                "firstName": "Avery",
                "lastName": "Quinn",
                "fullName": null,
                "customerId": "cust-30418",
                "address1": "1180 Harbour Street",
                "address2": null,
                "postalCode": "97205",
                "city": "Portland",
                "state": "OR",
                "country": "US",
                "email": "avery.quinn@example.com",
                "phoneNumber": null,
                "paymentMethodType": "CreditCard",
                "fingerprint": "KQ8ZP2M4C6R1T7VXN3B5D9FHJA",
                "lastFourDigits": "9560",
                "firstSixDigits": "492020",
                "cardType": "VISA",
                "dateCreated": "2023-11-08T14:02:51.1630000Z",
                "storageState": "Cached"
            },
            "transactionId": "7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA",
            "transactionDate": "2023-11-08T14:02:51.1630000Z",
            "transactionStatus": 2,
            "message": "Do not honor",
            "responseCode": "20003",
            "transactionType": "Charge",
            "merchantTransactionId": "rebill-30418-01",
            "customerId": "cust-30418",
            "currencyCode": "USD",
            "amount": 2008,
            "gatewayToken": "G4T3W4YS4NDB0X0000000000AB",
            "gatewayType": "flexpay_sandbox",
            "gatewayTransactionId": "sbx-5f1c2e9a",
            "merchantAccountReferenceId": "SANDBOX-MID-1",
            "assignedGatewayToken": "G4T3W4YS4NDB0X0000000000AB",
            "orderId": "order-30418",
            "retryDate": "2023-11-09T00:00:00",
            "retryCount": 1,
            "dateFirstAttempt": "2023-11-07T09:15:00Z",
            "description": null,
            "productSku": null,
            "subscriptionId": "sub-7781",
            "customerIp": null,
            "shippingAddress": {
                "address1": null,
                "address2": null,
                "postalCode": null,
                "city": null,
                "state": null,
                "country": null
            },
            "referenceData": "eyJyIjoxLCJjIjoiMjAwMDMiLCJ0IjoiN1IyS1g5UUY0TThaQzFWTjZCM1RENUhXSjBMUEEifQ==",
            "disableCustomerRecovery": false,
            "engagedRecoveryState": 0,
            "customVariable1": null,
            "customVariable2": null,
            "customVariable3": null,
            "customVariable4": null,
            "customVariable5": null
        }})
    }

    #[test]
    fn documented_sandbox_card_charge() {
        let request = TransactionEnvelope::new(
            ChargeRequest::with_card(
                "rebill-30418-01",
                "order-30418",
                "USD",
                2008,
                sandbox_visa(),
            )
            .customer("cust-30418")
            .gateway("G4T3W4YS4NDB0X0000000000AB")
            .first_attempted_at("2023-11-07T09:15:00Z"),
        );
        assert_wire(
            &request,
            json!({"transaction": {
                "merchantTransactionId": "rebill-30418-01",
                "orderId": "order-30418",
                "customerId": "cust-30418",
                "currencyCode": "USD",
                "amount": 2008,
                "gatewayToken": "G4T3W4YS4NDB0X0000000000AB",
                "retryCount": 1,
                "dateFirstAttempt": "2023-11-07T09:15:00Z",
                "referenceData": null,
                "retainOnSuccess": false,
                "paymentMethod": sandbox_visa_json()
            }}),
        );
    }

    #[test]
    fn charge_with_every_optional_block() {
        let mut request = ChargeRequest::with_card(
            "rebill-30418-02",
            "order-30418",
            "USD",
            2008,
            sandbox_visa(),
        )
        .retain_on_success(true)
        .retry_attempt(2, Some("eyJyIjoxfQ==".into()));
        request.description = Some("Monthly plan, November".into());
        request.customer_ip = Some("203.0.113.24".into());
        request.shipping_address = Some(ShippingAddress {
            address1: Some("1180 Harbour Street".into()),
            postal_code: Some("97205".into()),
            city: Some("Portland".into()),
            state: Some("OR".into()),
            country: Some("US".into()),
            ..Default::default()
        });
        request.payment_plan = Some(PaymentPlan {
            sku: Some("PLAN-M".into()),
            billing_plan: Some("monthly".into()),
            billing_cycle: Some(3),
            ..Default::default()
        });
        request.disable_customer_recovery = Some(true);
        request.custom_variable1 = Some("crm-7".into());
        request.custom_variable5 = Some("batch-11".into());
        request.payment_model = Some(PaymentModel::Subscription);
        request.references = Some(References {
            previous_transaction: Some(PreviousTransaction {
                merchant_account_reference_id: Some("MID-0042".into()),
                gateway_code: Some("05".into()),
                gateway_message: Some("Do Not Honor".into()),
                transaction_date: Some("2023-11-07T09:15:00Z".into()),
            }),
        });
        assert_wire(
            &TransactionEnvelope::new(request),
            json!({"transaction": {
                "merchantTransactionId": "rebill-30418-02",
                "orderId": "order-30418",
                "description": "Monthly plan, November",
                "currencyCode": "USD",
                "amount": 2008,
                "customerIp": "203.0.113.24",
                "shippingAddress": {
                    "address1": "1180 Harbour Street",
                    "address2": null,
                    "postalCode": "97205",
                    "city": "Portland",
                    "state": "OR",
                    "country": "US"
                },
                "paymentPlan": {"sku": "PLAN-M", "billingPlan": "monthly", "billingCycle": 3},
                "retryCount": 2,
                "disableCustomerRecovery": true,
                "referenceData": "eyJyIjoxfQ==",
                "customVariable1": "crm-7",
                "customVariable5": "batch-11",
                "paymentModel": "subscription",
                "References": {"PreviousTransaction": {
                    "merchantAccountReferenceId": "MID-0042",
                    "gatewayCode": "05",
                    "gatewayMesage": "Do Not Honor",
                    "transactionDate": "2023-11-07T09:15:00Z"
                }},
                "retainOnSuccess": true,
                "paymentMethod": sandbox_visa_json()
            }}),
        );
    }

    #[test]
    fn vaulted_charge() {
        let request = TransactionEnvelope::new(
            ChargeRequest::with_vaulted_payment_method(
                "rebill-30418-03",
                "order-30418",
                "EUR",
                1999,
                "KQ8ZP2M4C6R1T7VXN3B5D9FHJA",
            )
            .customer("cust-30418")
            .retain_on_success(true),
        );
        assert_wire(
            &request,
            json!({"transaction": {
                "merchantTransactionId": "rebill-30418-03",
                "orderId": "order-30418",
                "customerId": "cust-30418",
                "currencyCode": "EUR",
                "amount": 1999,
                "retryCount": 1,
                "referenceData": null,
                "paymentMethodId": "KQ8ZP2M4C6R1T7VXN3B5D9FHJA"
            }}),
        );
    }

    #[test]
    fn gateway_payment_method_authorize() {
        let request: TransactionEnvelope<AuthorizeRequest> = TransactionEnvelope::new(
            ChargeRequest::with_gateway_payment_method(
                "auth-30418-01",
                "order-30418",
                "USD",
                4500,
                GatewayPaymentMethodDetails {
                    merchant_account_reference_id: Some("MID-0042".into()),
                    first_six_digits: Some("492020".into()),
                    last_four_digits: Some("9560".into()),
                    full_name: Some("Avery Quinn".into()),
                    postal_code: Some("97205".into()),
                    city: Some("Portland".into()),
                    state: Some("OR".into()),
                    ..GatewayPaymentMethodDetails::new("cus_P3x9LmQ2aZ")
                },
            )
            .customer("cust-30418")
            .retry_attempt(3, Some("eyJyIjoyfQ==".into())),
        );
        assert_wire(
            &request,
            json!({"transaction": {
                "merchantTransactionId": "auth-30418-01",
                "orderId": "order-30418",
                "customerId": "cust-30418",
                "currencyCode": "USD",
                "amount": 4500,
                "retryCount": 3,
                "referenceData": "eyJyIjoyfQ==",
                "paymentMethod": {
                    "gatewayPaymentMethodId": "cus_P3x9LmQ2aZ",
                    "merchantAccountReferenceId": "MID-0042",
                    "firstSixDigits": "492020",
                    "lastFourDigits": "9560",
                    "fullName": "Avery Quinn",
                    "postalCode": "97205",
                    "city": "Portland",
                    "state": "OR"
                }
            }}),
        );
    }

    fn parse_charge(body: Value) -> Result<ChargeRequest, String> {
        serde_json::from_value(body).map_err(|e| e.to_string())
    }

    #[test]
    fn the_variant_is_read_from_the_keys_present() {
        let base = json!({
            "merchantTransactionId": "m1", "orderId": "o1", "currencyCode": "USD",
            "amount": 100, "retryCount": 1
        });
        let with = |extra: Value| {
            let mut body = base.clone();
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            parse_charge(body)
        };

        let card = with(json!({"paymentMethod": sandbox_visa_json()})).unwrap();
        assert!(matches!(
            card.payment_method,
            ChargePaymentMethod::Card {
                retain_on_success: false,
                ..
            }
        ));
        assert_eq!(card.reference_data, None);

        let vaulted = with(json!({"paymentMethodId": "KQ8Z", "retainOnSuccess": true})).unwrap();
        assert_eq!(
            vaulted.payment_method,
            ChargePaymentMethod::Vaulted {
                payment_method_id: "KQ8Z".into()
            }
        );

        let gateway = with(
            json!({"paymentMethod": {"gatewayPaymentMethodId": "cus_1", "creditCardNumber": null}}),
        )
        .unwrap();
        assert!(matches!(
            gateway.payment_method,
            ChargePaymentMethod::GatewayPaymentMethod { .. }
        ));

        let errors = [
            (json!({}), "missing payment method"),
            (json!({"paymentMethodId": null}), "missing payment method"),
            (
                json!({"paymentMethodId": "KQ8Z", "paymentMethod": sandbox_visa_json()}),
                "both `paymentMethodId` and `paymentMethod`",
            ),
            (
                json!({"paymentMethod": {"creditCardNumber": "4920201996449560", "gatewayPaymentMethodId": "cus_1"}}),
                "both `creditCardNumber` and",
            ),
            (
                json!({"paymentMethod": {"firstName": "Avery"}}),
                "needs `creditCardNumber`",
            ),
            (
                json!({"paymentMethod": "4920201996449560"}),
                "must be an object",
            ),
            (
                json!({"paymentMethod": {"creditCardNumber": "4920201996449560"}}),
                "paymentMethod (raw card): missing field `expiryMonth`",
            ),
            (
                json!({"paymentMethod": {"gatewayPaymentMethodId": 7}}),
                "paymentMethod (gateway payment method): invalid type",
            ),
        ];
        for (extra, expected) in errors {
            let error = with(extra.clone()).unwrap_err();
            assert!(error.contains(expected), "{extra}: {error}");
        }
    }

    #[test]
    fn assigned_gateway_token_is_accepted_and_sent_as_gateway_token() {
        let body = json!({"transaction": {
            "merchantTransactionId": "rebill-30418-04",
            "orderId": "order-30418",
            "customerId": "cust-30418",
            "currencyCode": "USD",
            "amount": 2008,
            "assignedGatewayToken": "G4T3W4YS4NDB0X0000000000AB",
            "retryCount": 1,
            "referenceData": null,
            "paymentMethodId": "KQ8ZP2M4C6R1T7VXN3B5D9FHJA"
        }});
        let parsed: TransactionEnvelope<ChargeRequest> = serde_json::from_value(body).unwrap();
        assert_eq!(
            parsed.transaction.gateway_token.as_deref(),
            Some("G4T3W4YS4NDB0X0000000000AB")
        );
        let sent = serde_json::to_value(&parsed).unwrap();
        assert_eq!(
            sent["transaction"]["gatewayToken"],
            "G4T3W4YS4NDB0X0000000000AB"
        );
        assert!(sent["transaction"].get("assignedGatewayToken").is_none());

        let both = parse_charge(json!({
            "merchantTransactionId": "m1", "orderId": "o1", "currencyCode": "USD",
            "amount": 100, "retryCount": 1, "paymentMethodId": "KQ8Z",
            "gatewayToken": "A", "assignedGatewayToken": "B"
        }))
        .unwrap_err();
        assert!(both.contains("duplicate field"), "{both}");
    }

    #[test]
    fn requests_tolerate_unknown_fields_and_normalise_nulls() {
        let body = json!({
            "merchantTransactionId": "m1", "orderId": "o1", "currencyCode": "USD",
            "amount": 100, "retryCount": 1, "paymentMethodId": "KQ8Z",
            "description": null, "merchantDescriptor": "FLEXKIT*DEMO"
        });
        let parsed = parse_charge(body).unwrap();
        let once = serde_json::to_value(&parsed).unwrap();
        assert_eq!(
            once,
            json!({
                "merchantTransactionId": "m1", "orderId": "o1", "currencyCode": "USD",
                "amount": 100, "retryCount": 1, "referenceData": null, "paymentMethodId": "KQ8Z"
            })
        );
        let twice = serde_json::to_value(parse_charge(once.clone()).unwrap()).unwrap();
        assert_eq!(once, twice);
    }

    #[test]
    fn wrong_scalar_types_are_errors_not_panics() {
        for (field, value) in [
            ("amount", json!(20.08)),
            ("amount", json!("2008")),
            ("retryCount", json!(-1)),
            ("referenceData", json!(5)),
        ] {
            let mut body = json!({
                "merchantTransactionId": "m1", "orderId": "o1", "currencyCode": "USD",
                "amount": 100, "retryCount": 1, "paymentMethodId": "KQ8Z"
            });
            body[field] = value;
            assert!(parse_charge(body).is_err(), "{field}");
        }
    }

    #[test]
    fn capture_void_refund_and_refunded_payment() {
        assert_wire(
            &TransactionEnvelope::new(CaptureRequest::full("cap-30418-01")),
            json!({"transaction": {"merchantTransactionId": "cap-30418-01"}}),
        );
        assert_wire(
            &TransactionEnvelope::new(CaptureRequest::partial("cap-30418-02", 2500)),
            json!({"transaction": {"merchantTransactionId": "cap-30418-02", "amount": 2500}}),
        );
        assert_wire(
            &TransactionEnvelope::new(VoidRequest::new("void-30418-01")),
            json!({"transaction": {"merchantTransactionId": "void-30418-01"}}),
        );
        assert_wire(
            &TransactionEnvelope::new(RefundRequest::full("refund-30418-01")),
            json!({"transaction": {"merchantTransactionId": "refund-30418-01"}}),
        );
        assert_wire(
            &TransactionEnvelope::new(RefundRequest::partial("refund-30418-02", 4000)),
            json!({"transaction": {"merchantTransactionId": "refund-30418-02", "amount": 4000}}),
        );
        let stop = RefundedPaymentRequest {
            disable_customer_recovery: Some(true),
            ..RefundedPaymentRequest::full("stop-30418-01")
        };
        assert_wire(
            &TransactionEnvelope::new(stop),
            json!({"transaction": {
                "merchantTransactionId": "stop-30418-01",
                "disableCustomerRecovery": true
            }}),
        );
    }

    #[test]
    fn documented_soft_decline_response() {
        let parsed: TransactionEnvelope<TransactionResponse> =
            serde_json::from_value(soft_decline_json()).unwrap();
        let t = &parsed.transaction;
        assert_eq!(t.transaction_status, TransactionStatus::Declined);
        assert_eq!(t.response_code, ResponseCode::DO_NOT_HONOR);
        assert_eq!(t.retry_date.as_deref(), Some("2023-11-09T00:00:00"));
        assert_eq!(t.amount, Some(2008));
        assert_eq!(t.gateway_type, Some(GatewayType::FlexpaySandbox));
        assert_eq!(t.transaction_type, Some(TransactionType::Charge));
        assert_eq!(t.engaged_recovery_state, Some(0));
        assert_eq!(t.response.as_ref().unwrap().avs_code.as_deref(), Some("S"));
        let card = t.payment_method.as_ref().unwrap();
        assert_eq!(card.credit_card_number.as_deref(), Some("492020******9560"));
        assert_eq!(card.cvv.as_deref(), Some("***"));
        assert!(t.reference_data.as_deref().unwrap().ends_with("=="));
        assert_wire(&parsed, soft_decline_json());
    }

    #[test]
    fn gateway_token_and_assigned_gateway_token_are_separate_in_responses() {
        let mut json = soft_decline_json();
        json["transaction"]["assignedGatewayToken"] = json!("R0UT3DG4T3W4Y0000000000000");
        let parsed: TransactionEnvelope<TransactionResponse> =
            serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            parsed.transaction.gateway_token.as_deref(),
            Some("G4T3W4YS4NDB0X0000000000AB")
        );
        assert_eq!(
            parsed.transaction.assigned_gateway_token.as_deref(),
            Some("R0UT3DG4T3W4Y0000000000000")
        );
        assert_wire(&parsed, json);
    }

    #[test]
    fn responses_accept_undocumented_fields_and_sometimes_present_ones() {
        let mut json = soft_decline_json();
        let t = json["transaction"].as_object_mut().unwrap();
        t.insert("someFutureField".into(), json!({"a": [1, 2]}));
        t.insert("paymentModel".into(), json!("subscription"));
        t.insert(
            "gatewaySpecificResponseFields".into(),
            json!({"processor_id_external": "mp-88123"}),
        );
        let parsed: TransactionEnvelope<TransactionResponse> =
            serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            parsed.transaction.payment_model,
            Some(PaymentModel::Subscription)
        );
        let mut expected = json;
        expected["transaction"]
            .as_object_mut()
            .unwrap()
            .remove("someFutureField");
        assert_wire(&parsed, expected);
    }

    #[test]
    fn unknown_original_on_void_is_a_declined_record_with_nulls() {
        let json = json!({"transaction": {
            "response": null,
            "paymentMethod": null,
            "transactionId": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAB",
            "transactionDate": "2023-11-08T14:05:12.4400000Z",
            "transactionStatus": 2,
            "message": "TransactionReferenceId: original transaction not found",
            "responseCode": "50131",
            "transactionType": "Void",
            "merchantTransactionId": "void-30418-02",
            "customerId": null,
            "currencyCode": null,
            "amount": null,
            "gatewayToken": "AAAAAAAAAAAAAAAAAAAAAAAAAA",
            "gatewayType": "flexpay_declined",
            "gatewayTransactionId": null,
            "merchantAccountReferenceId": null,
            "assignedGatewayToken": "AAAAAAAAAAAAAAAAAAAAAAAAAA",
            "orderId": null,
            "retryDate": null,
            "retryCount": null,
            "dateFirstAttempt": null,
            "description": null,
            "productSku": null,
            "subscriptionId": null,
            "customerIp": null,
            "shippingAddress": null,
            "referenceData": null,
            "disableCustomerRecovery": null,
            "customVariable1": null,
            "customVariable2": null,
            "customVariable3": null,
            "customVariable4": null,
            "customVariable5": null
        }});
        let parsed: TransactionEnvelope<TransactionResponse> =
            serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            parsed.transaction.gateway_type,
            Some(GatewayType::FlexpayDeclined)
        );
        assert_wire(&parsed, json);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn payment_method() -> impl Strategy<Value = ChargePaymentMethod> {
            prop_oneof![
                (".*", ".*", ".*", proptest::option::of(".*"), any::<bool>()).prop_map(
                    |(number, month, year, cvv, retain_on_success)| ChargePaymentMethod::Card {
                        payment_method: CreditCardDetails {
                            cvv,
                            ..CreditCardDetails::new(number, month, year)
                        },
                        retain_on_success,
                    }
                ),
                ".*".prop_map(|payment_method_id| ChargePaymentMethod::Vaulted {
                    payment_method_id
                }),
                (".*", proptest::option::of(".*")).prop_map(|(id, last_four)| {
                    ChargePaymentMethod::GatewayPaymentMethod {
                        payment_method: GatewayPaymentMethodDetails {
                            last_four_digits: last_four,
                            ..GatewayPaymentMethodDetails::new(id)
                        },
                    }
                }),
            ]
        }

        proptest! {
            #[test]
            fn any_charge_survives_the_wire(
                merchant_transaction_id in ".*",
                amount in any::<i64>(),
                retry_count in any::<u32>(),
                reference_data in proptest::option::of(".*"),
                gateway_token in proptest::option::of(".*"),
                gateway_message in proptest::option::of(".*"),
                payment_method in payment_method(),
            ) {
                let mut request = ChargeRequest::new(
                    merchant_transaction_id, "order", "USD", amount, payment_method,
                )
                .retry_attempt(retry_count, reference_data);
                request.gateway_token = gateway_token;
                request.references = gateway_message.map(|message| References {
                    previous_transaction: Some(PreviousTransaction {
                        gateway_message: Some(message),
                        ..Default::default()
                    }),
                });
                let json = serde_json::to_value(TransactionEnvelope::new(&request)).unwrap();
                let parsed: TransactionEnvelope<ChargeRequest> =
                    serde_json::from_value(json).unwrap();
                prop_assert_eq!(parsed.transaction, request);
            }

            #[test]
            fn any_text_is_read_or_refused_without_panicking(text in ".*") {
                let _ = serde_json::from_str::<TransactionEnvelope<ChargeRequest>>(&text);
                let _ = serde_json::from_str::<TransactionEnvelope<TransactionResponse>>(&text);
            }
        }
    }
}
