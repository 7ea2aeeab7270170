//! Payment methods on the FlexPay v1 wire (reference §3.2, §3.4, §5.2, §7): the card and
//! gateway-token objects a merchant sends, the vault calls, and the payment-method record
//! FlexPay returns.
//!
//! Request objects omit a field that is `None`: the API treats an absent optional field and a
//! `null` one alike, and omission keeps the card data a merchant sends minimal. Response
//! objects write `null`, the way FlexPay itself fills unset keys, so the sandbox can answer in
//! the same shape.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::response_code::ResponseCode;
use super::transaction::{TransactionStatus, TransactionType};
use super::wire::open_enum;

/// `paymentMethod` of a raw-card charge or authorize (§3.2), and `creditCard` of a vault
/// create call (§7): the card in clear, as the merchant holds it.
///
/// `Debug` masks the card number and the CVV so that logging a request never leaks them.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditCardDetails {
    /// Only in the charge body definition (not in the vault object, not in the doc example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_reference_id: Option<String>,
    /// Digits only.
    pub credit_card_number: String,
    /// Two digits, zero-padded: `"07"`.
    pub expiry_month: String,
    /// Four digits: `"2024"`.
    pub expiry_year: String,
    /// Three or four digits (American Express uses four). Some gateways require it
    /// (`cvvRequired`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvv: Option<String>,
    /// `fullName`, or `firstName` and `lastName`, must be present (50090).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Two-letter country code in every known sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Required when the transaction has no `customerId` (50048).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

impl CreditCardDetails {
    /// A card with only its number and expiry; fill the holder and address with struct update
    /// syntax: `CreditCardDetails { full_name: Some(..), ..CreditCardDetails::new(..) }`.
    pub fn new(
        credit_card_number: impl Into<String>,
        expiry_month: impl Into<String>,
        expiry_year: impl Into<String>,
    ) -> Self {
        CreditCardDetails {
            merchant_account_reference_id: None,
            credit_card_number: credit_card_number.into(),
            expiry_month: expiry_month.into(),
            expiry_year: expiry_year.into(),
            cvv: None,
            first_name: None,
            last_name: None,
            full_name: None,
            address1: None,
            address2: None,
            postal_code: None,
            city: None,
            state: None,
            country: None,
            email: None,
            phone_number: None,
        }
    }

    /// One of the sandbox test cards, with its CVV.
    pub fn from_test_card(card: &super::test_cards::TestCard) -> Self {
        CreditCardDetails {
            cvv: Some(card.cvv.to_owned()),
            ..CreditCardDetails::new(card.number, card.expiry_month, card.expiry_year)
        }
    }
}

impl fmt::Debug for CreditCardDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreditCardDetails")
            .field(
                "merchant_account_reference_id",
                &self.merchant_account_reference_id,
            )
            .field(
                "credit_card_number",
                &mask_card_number(&self.credit_card_number),
            )
            .field("expiry_month", &self.expiry_month)
            .field("expiry_year", &self.expiry_year)
            .field("cvv", &self.cvv.as_ref().map(|_| "***"))
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("full_name", &self.full_name)
            .field("address1", &self.address1)
            .field("address2", &self.address2)
            .field("postal_code", &self.postal_code)
            .field("city", &self.city)
            .field("state", &self.state)
            .field("country", &self.country)
            .field("email", &self.email)
            .field("phone_number", &self.phone_number)
            .finish()
    }
}

/// The masking FlexPay itself applies in responses: first six and last four kept. Anything
/// too short to keep both without revealing most of it is masked entirely.
fn mask_card_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 13 {
        return "*".repeat(chars.len());
    }
    let (head, rest) = chars.split_at(6);
    let (middle, tail) = rest.split_at(rest.len() - 4);
    let mut masked: String = head.iter().collect();
    masked.extend(middle.iter().map(|_| '*'));
    masked.extend(tail.iter());
    masked
}

/// `paymentMethod` of a charge or authorize on a card already stored at the gateway (§3.4),
/// and `gatewayPaymentMethod` of a vault create call (§7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayPaymentMethodDetails {
    /// The gateway's own token for the card (50138 invalid, 50149 wrong gateway).
    pub gateway_payment_method_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_reference_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_six_digits: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_four_digits: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Two digits. In the doc example but not the body definition, so optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_month: Option<String>,
    /// Four digits. Optional for the same reason as `expiry_month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_year: Option<String>,
}

impl GatewayPaymentMethodDetails {
    /// Only the gateway token; fill the rest with struct update syntax.
    pub fn new(gateway_payment_method_id: impl Into<String>) -> Self {
        GatewayPaymentMethodDetails {
            gateway_payment_method_id: gateway_payment_method_id.into(),
            merchant_account_reference_id: None,
            first_six_digits: None,
            last_four_digits: None,
            first_name: None,
            last_name: None,
            full_name: None,
            address1: None,
            address2: None,
            postal_code: None,
            city: None,
            state: None,
            country: None,
            email: None,
            phone_number: None,
            expiry_month: None,
            expiry_year: None,
        }
    }
}

open_enum! {
    /// `paymentMethodType` of a payment-method record.
    pub enum PaymentMethodType {
        CreditCard = "CreditCard",
        GatewayPaymentMethodId = "GatewayPaymentMethodId",
    }
}

open_enum! {
    /// `storageState` of a payment-method record (and `paymentMethodStorageState` of a
    /// simplified list item).
    pub enum StorageState {
        /// Kept only for the transaction (raw card with `retainOnSuccess` false).
        Cached = "Cached",
        /// Kept in the vault.
        Stored = "Stored",
        /// Sensitive data removed.
        Redacted = "Redacted",
    }
}

open_enum! {
    /// `cardType` of a payment-method record: upper case, words separated by spaces.
    pub enum CardType {
        Visa = "VISA",
        Mastercard = "MASTERCARD",
        AmericanExpress = "AMERICAN EXPRESS",
        Discover = "DISCOVER",
        DinersClub = "DINERS CLUB",
        Jcb = "JCB",
    }
}

/// `paymentMethod` as FlexPay returns it inside a transaction or from the vault (§5.2).
/// Unknown keys are ignored. Unset documented keys are written as `null`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodRecord {
    /// The vault token (`paymentMethodId` of a tokenized charge).
    pub payment_method_id: Option<String>,
    /// Masked: first six, `******`, last four (`"492020******9560"`); `""` when none.
    pub credit_card_number: Option<String>,
    /// Two digits.
    pub expiry_month: Option<String>,
    /// Four digits.
    pub expiry_year: Option<String>,
    /// Always `"***"` when set.
    pub cvv: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub customer_id: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub payment_method_type: Option<PaymentMethodType>,
    /// Equal to `paymentMethodId` in every known sample.
    pub fingerprint: Option<String>,
    pub last_four_digits: Option<String>,
    pub first_six_digits: Option<String>,
    pub card_type: Option<CardType>,
    /// ISO 8601 date-time, usually with `Z`; read a zone-less value as UTC.
    pub date_created: Option<String>,
    pub storage_state: Option<StorageState>,
    /// Only on gateway payment methods, so absent rather than `null` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_payment_method_id: Option<String>,
    /// Only on gateway payment methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_reference_id: Option<String>,
}

/// `{"paymentMethod": {...}}`: the body of vault create/update/recache calls and of a vault
/// read, and each entry of a vault listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodEnvelope<T> {
    pub payment_method: T,
}

impl<T> PaymentMethodEnvelope<T> {
    pub fn new(payment_method: T) -> Self {
        PaymentMethodEnvelope { payment_method }
    }
}

/// What a vault create call stores: exactly one of the two objects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PaymentMethodToVault {
    /// Sent as `creditCard`.
    CreditCard(CreditCardDetails),
    /// Sent as `gatewayPaymentMethod`.
    GatewayPaymentMethod(GatewayPaymentMethodDetails),
}

/// Body of `POST /v1/paymentmethods` inside its `paymentMethod` envelope (§7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "CreatePaymentMethodWire")]
pub struct CreatePaymentMethodRequest {
    /// Optional for a card, expected for a gateway payment method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(flatten)]
    pub method: PaymentMethodToVault,
}

impl CreatePaymentMethodRequest {
    pub fn credit_card(customer_id: Option<String>, card: CreditCardDetails) -> Self {
        CreatePaymentMethodRequest {
            customer_id,
            method: PaymentMethodToVault::CreditCard(card),
        }
    }

    pub fn gateway_payment_method(
        customer_id: impl Into<String>,
        method: GatewayPaymentMethodDetails,
    ) -> Self {
        CreatePaymentMethodRequest {
            customer_id: Some(customer_id.into()),
            method: PaymentMethodToVault::GatewayPaymentMethod(method),
        }
    }
}

/// Both objects optional, so that a body with none or both gets an error that says so
/// instead of serde's generic "unknown variant".
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatePaymentMethodWire {
    customer_id: Option<String>,
    credit_card: Option<CreditCardDetails>,
    gateway_payment_method: Option<GatewayPaymentMethodDetails>,
}

impl TryFrom<CreatePaymentMethodWire> for CreatePaymentMethodRequest {
    type Error = &'static str;

    fn try_from(wire: CreatePaymentMethodWire) -> Result<Self, Self::Error> {
        let method = match (wire.credit_card, wire.gateway_payment_method) {
            (Some(card), None) => PaymentMethodToVault::CreditCard(card),
            (None, Some(method)) => PaymentMethodToVault::GatewayPaymentMethod(method),
            (Some(_), Some(_)) => return Err(
                "paymentMethod has both `creditCard` and `gatewayPaymentMethod`; send exactly one",
            ),
            (None, None) => {
                return Err("paymentMethod needs a `creditCard` or a `gatewayPaymentMethod` object")
            }
        };
        Ok(CreatePaymentMethodRequest {
            customer_id: wire.customer_id,
            method,
        })
    }
}

/// Body of `PUT /v1/paymentmethods/{id}` inside its `paymentMethod` envelope (§7): only the
/// editable fields, each omitted when unchanged. FlexPay rejects an update with nothing in it
/// (or only empty strings), see [`UpdatePaymentMethodRequest::is_empty`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePaymentMethodRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_month: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_year: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

impl UpdatePaymentMethodRequest {
    /// True when FlexPay would answer "no editable field supplied": nothing set, or only
    /// empty strings.
    pub fn is_empty(&self) -> bool {
        [
            &self.expiry_month,
            &self.expiry_year,
            &self.first_name,
            &self.last_name,
            &self.full_name,
            &self.address1,
            &self.address2,
            &self.postal_code,
            &self.city,
            &self.state,
            &self.country,
            &self.email,
            &self.phone_number,
        ]
        .iter()
        .all(|field| field.as_deref().is_none_or(str::is_empty))
    }
}

/// Body of `PUT /v1/paymentmethods/{id}/recache` inside its `paymentMethod` envelope:
/// `{"creditCard": {"cvv": "..."}}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecachePaymentMethodRequest {
    pub credit_card: RecacheCard,
}

impl RecachePaymentMethodRequest {
    pub fn new(cvv: impl Into<String>) -> Self {
        RecachePaymentMethodRequest {
            credit_card: RecacheCard { cvv: cvv.into() },
        }
    }
}

impl fmt::Debug for RecachePaymentMethodRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecachePaymentMethodRequest")
            .field("credit_card", &self.credit_card)
            .finish()
    }
}

/// The CVV being re-supplied for a vaulted card.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecacheCard {
    pub cvv: String,
}

impl fmt::Debug for RecacheCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecacheCard").field("cvv", &"***").finish()
    }
}

/// `GET /v1/paymentmethods`: `{"paymentMethods": [{"paymentMethod": {...}}, ...]}` — unlike
/// the transaction list, each entry keeps its envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodList {
    pub payment_methods: Vec<PaymentMethodEnvelope<PaymentMethodRecord>>,
}

/// What the vault calls answer inside `{"transaction": {...}}` (§7): a transaction record
/// much smaller than a charge's, whose `paymentMethod` holds the vaulted method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodTransaction {
    pub transaction_id: String,
    /// ISO 8601 date-time, usually with `Z`, 0–7 fractional digits.
    pub transaction_date: Option<String>,
    pub transaction_status: TransactionStatus,
    pub message: Option<String>,
    /// Five digits, a string on the wire (`"10000"`).
    pub response_code: ResponseCode,
    /// `UpdatePaymentMethod` for updates.
    pub transaction_type: Option<TransactionType>,
    pub customer_id: Option<String>,
    pub payment_method: Option<PaymentMethodRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::test_cards::TEST_CARDS;
    use crate::flexpay::wire::assert_wire;
    use serde_json::{json, Value};

    fn visa_record() -> Value {
        json!({
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
            "storageState": "Stored"
        })
    }

    #[test]
    fn test_card_builds_the_raw_card_object_and_debug_hides_it() {
        let card = CreditCardDetails {
            first_name: Some("Avery".into()),
            last_name: Some("Quinn".into()),
            postal_code: Some("97205".into()),
            ..CreditCardDetails::from_test_card(&TEST_CARDS[0])
        };
        assert_wire(
            &card,
            json!({
                "creditCardNumber": "4920201996449560",
                "expiryMonth": "07",
                "expiryYear": "2024",
                "cvv": "879",
                "firstName": "Avery",
                "lastName": "Quinn",
                "postalCode": "97205"
            }),
        );
        let debug = format!("{card:?}");
        assert!(debug.contains("492020******9560"), "{debug}");
        assert!(!debug.contains("4920201996449560"));
        assert!(!debug.contains("879"));
    }

    #[test]
    fn masking_never_reveals_short_numbers_and_copes_with_any_text() {
        assert_eq!(mask_card_number("341674949684898"), "341674*****4898");
        assert_eq!(mask_card_number("4111"), "****");
        assert_eq!(mask_card_number(""), "");
        assert_eq!(mask_card_number("ééééééééééééé"), "éééééé***éééé");
    }

    #[test]
    fn record_round_trips_and_ignores_unknown_keys() {
        let record: PaymentMethodRecord = serde_json::from_value(visa_record()).unwrap();
        assert_eq!(record.card_type, Some(CardType::Visa));
        assert_eq!(record.storage_state, Some(StorageState::Stored));
        assert_eq!(record.gateway_payment_method_id, None);
        assert_wire(&record, visa_record());

        let mut with_extra = visa_record();
        with_extra["binCountry"] = json!("US");
        with_extra["cardType"] = json!("UNIONPAY");
        let record: PaymentMethodRecord = serde_json::from_value(with_extra).unwrap();
        assert_eq!(record.card_type, Some(CardType::Other("UNIONPAY".into())));
    }

    #[test]
    fn gateway_payment_method_record_carries_its_gateway_fields() {
        let mut json = visa_record();
        json["paymentMethodType"] = json!("GatewayPaymentMethodId");
        json["creditCardNumber"] = json!("");
        json["gatewayPaymentMethodId"] = json!("cus_P3x9LmQ2aZ");
        json["merchantAccountReferenceId"] = json!("MID-0042");
        let record: PaymentMethodRecord = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            record.payment_method_type,
            Some(PaymentMethodType::GatewayPaymentMethodId)
        );
        assert_wire(&record, json);
    }

    #[test]
    fn vault_create_with_a_card() {
        let request = PaymentMethodEnvelope::new(CreatePaymentMethodRequest::credit_card(
            None,
            CreditCardDetails {
                full_name: Some("Avery Quinn".into()),
                address1: Some("1180 Harbour Street".into()),
                postal_code: Some("97205".into()),
                city: Some("Portland".into()),
                state: Some("OR".into()),
                country: Some("US".into()),
                email: Some("avery.quinn@example.com".into()),
                ..CreditCardDetails::from_test_card(&TEST_CARDS[1])
            },
        ));
        assert_wire(
            &request,
            json!({"paymentMethod": {"creditCard": {
                "creditCardNumber": "5244209084665514",
                "expiryMonth": "07",
                "expiryYear": "2024",
                "cvv": "010",
                "fullName": "Avery Quinn",
                "address1": "1180 Harbour Street",
                "postalCode": "97205",
                "city": "Portland",
                "state": "OR",
                "country": "US",
                "email": "avery.quinn@example.com"
            }}}),
        );
    }

    #[test]
    fn vault_create_with_a_gateway_payment_method() {
        let request =
            PaymentMethodEnvelope::new(CreatePaymentMethodRequest::gateway_payment_method(
                "cust-30418",
                GatewayPaymentMethodDetails {
                    merchant_account_reference_id: Some("MID-0042".into()),
                    first_name: Some("Avery".into()),
                    last_name: Some("Quinn".into()),
                    first_six_digits: Some("492020".into()),
                    last_four_digits: Some("9560".into()),
                    expiry_month: Some("07".into()),
                    expiry_year: Some("2024".into()),
                    ..GatewayPaymentMethodDetails::new("cus_P3x9LmQ2aZ")
                },
            ));
        assert_wire(
            &request,
            json!({"paymentMethod": {
                "customerId": "cust-30418",
                "gatewayPaymentMethod": {
                    "gatewayPaymentMethodId": "cus_P3x9LmQ2aZ",
                    "merchantAccountReferenceId": "MID-0042",
                    "firstName": "Avery",
                    "lastName": "Quinn",
                    "firstSixDigits": "492020",
                    "lastFourDigits": "9560",
                    "expiryMonth": "07",
                    "expiryYear": "2024"
                }
            }}),
        );
    }

    #[test]
    fn vault_create_needs_exactly_one_object() {
        let none = serde_json::from_value::<CreatePaymentMethodRequest>(json!({
            "customerId": "cust-30418"
        }))
        .unwrap_err();
        assert!(none.to_string().contains("needs a `creditCard`"), "{none}");
        let both = serde_json::from_value::<CreatePaymentMethodRequest>(json!({
            "creditCard": {"creditCardNumber": "4920201996449560", "expiryMonth": "07", "expiryYear": "2024"},
            "gatewayPaymentMethod": {"gatewayPaymentMethodId": "cus_P3x9LmQ2aZ"}
        }))
        .unwrap_err();
        assert!(both.to_string().contains("both"), "{both}");
    }

    #[test]
    fn update_and_recache_bodies() {
        let update = PaymentMethodEnvelope::new(UpdatePaymentMethodRequest {
            expiry_month: Some("09".into()),
            expiry_year: Some("2027".into()),
            ..Default::default()
        });
        assert_wire(
            &update,
            json!({"paymentMethod": {"expiryMonth": "09", "expiryYear": "2027"}}),
        );
        assert!(!update.payment_method.is_empty());
        assert!(UpdatePaymentMethodRequest::default().is_empty());
        assert!(UpdatePaymentMethodRequest {
            city: Some(String::new()),
            ..Default::default()
        }
        .is_empty());

        let recache = PaymentMethodEnvelope::new(RecachePaymentMethodRequest::new("879"));
        assert_wire(
            &recache,
            json!({"paymentMethod": {"creditCard": {"cvv": "879"}}}),
        );
        assert!(!format!("{recache:?}").contains("879"));
    }

    #[test]
    fn vault_listing_and_vault_transaction() {
        let list = json!({"paymentMethods": [{"paymentMethod": visa_record()}]});
        let parsed: PaymentMethodList = serde_json::from_value(list.clone()).unwrap();
        assert_eq!(parsed.payment_methods.len(), 1);
        assert_wire(&parsed, list);

        let created = json!({"transaction": {
            "transactionId": "7R2KX9QF4M8ZC1VN6B3TD5HWJ0L",
            "transactionDate": "2023-11-08T14:02:51.1630000Z",
            "transactionStatus": 1,
            "message": "Approved",
            "responseCode": "10000",
            "transactionType": "CreateCreditCard",
            "customerId": "cust-30418",
            "paymentMethod": visa_record()
        }});
        let parsed: crate::flexpay::transaction::TransactionEnvelope<PaymentMethodTransaction> =
            serde_json::from_value(created.clone()).unwrap();
        assert_eq!(
            parsed.transaction.transaction_type,
            Some(TransactionType::Other("CreateCreditCard".into()))
        );
        assert_wire(&parsed, created);
    }
}
