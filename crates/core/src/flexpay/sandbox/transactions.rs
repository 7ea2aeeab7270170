//! The transaction calls: charge, authorize, capture, void, refund, refunded-payment, get by
//! id and by merchant transaction id.
//!
//! Each call comes in two forms. The wire form (`charge`, `refund`, ...) takes the API key and
//! answers the [`TransactionResponse`] FlexPay would. The lean form (`submit_charge`, ...)
//! takes a [`Principal`] from [`Sandbox::authenticate`] and answers a small [`Receipt`]; the
//! full response of any transaction can be built later with [`Sandbox::response`]. Both go
//! through the same engine.
//!
//! # Recovery chains
//!
//! A charge or authorization whose `referenceData` is null starts a new chain, whatever its
//! `retryCount` (0 when the merchant routes its very first attempt through FlexPay, 1 or more
//! when earlier attempts happened on its own gateway). A request that echoes `referenceData`
//! continues the chain that value was issued for, and is refused with **50132** (invalid
//! reference data) when:
//! - the value was not issued by this sandbox for this company and environment;
//! - the chain is closed (approved, declined for good, or stopped by a refunded-payment);
//! - the value is stale: a later attempt of the chain returned a newer one;
//! - `retryCount` is not exactly the previous attempt's `retryCount` + 1;
//! - `currencyCode` or `amount` is not the chain's first attempt's: a retry re-sends the
//!   same payment (reference §3.1, §11), and an approval of another amount would be counted
//!   as this payment's recovery. FlexPay documents no code for it; 50132 is flexkit's
//!   choice, and the message names the value that differs and the payment's. The card,
//!   holder and customer may change: nothing documented ties them to the payment.
//!
//! A retry carries its payment's amount, so it is not judged by the trigger amounts: every
//! retry of a chain, the merchant's or the scheduler's, resolves by the chain's soft code
//! and the retry's number (see [`super::retry_schedule`]); the card and CVV triggers still
//! apply.
//!
//! A soft decline issues a fresh `referenceData` and a `retryDate`; an approval, a hard or
//! risk decline, or a 5xxxx from the gateway closes the chain, returns `referenceData` null
//! (the Integration Guide: the field is emptied) and invalidates every value of the chain. A
//! request refused before reaching a gateway (5xxxx validation, 50129, 50132, ...) is not an
//! attempt: the chain and its latest `referenceData` stay as they were, and the refused
//! request does not use up its `merchantTransactionId`. A retry sent before its `retryDate`
//! is processed, and counted as an early attempt of the chain (the portal's "miss schedule").
//!
//! # Follow-ups
//!
//! Capture, void and refund name their original by FlexPay `transactionId`. An id unknown to
//! the caller's company and environment answers HTTP 200, status 2, **50131**. One capture per
//! authorization, at most the authorized amount (50137 above it, 30065 for a second capture).
//! Refunds: full (no amount, or amount 0), or partial, several partials up to the original;
//! above what remains → 30015. A voided transaction cannot be voided or refunded again
//! (30066), and a transaction that is not an approved charge, capture or authorization cannot
//! be followed up (30011). A refunded-payment notice stops an open recovery chain.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::card::{detect_brand, CardBrand};
use crate::flexpay::account::Environment;
use crate::flexpay::payment_method::{CreditCardDetails, GatewayPaymentMethodDetails};
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::flexpay::test_cards::TEST_CARDS;
use crate::flexpay::transaction::{
    CaptureRequest, ChargePaymentMethod, ChargeRequest, RefundRequest, TransactionResponse,
    TransactionStatus, TransactionType, VoidRequest,
};
use crate::flexpay::verification::{AvsResult, CvvResult};
use crate::money::{Currency, Money};
use crate::time::UtcTimestamp;

use super::accounts::is_false;
use super::api_keys::Principal;
use super::compact::{CompactText, EchoWriter, SharedEcho};
use super::error_code as code;
use super::gateways::{GatewayRef, RoutedPayment};
use super::platform::GatewayRouting;
use super::recovery::{ChainOutcome, ChainRecord};
use super::request_check;
use super::responses::PAYMENT_METHOD_SALT;
use super::retry_schedule::{retry_code, retry_date, ReferenceData};
use super::tokens::{fnv1a, Token};
use super::triggers::{self, CardIdentity};
use super::{ApiError, Sandbox};

/// A transaction of the sandbox, for [`Sandbox::response`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TransactionHandle(pub(crate) u32);

/// What a lean call answers: enough to drive a retry loop without building the full record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub transaction: TransactionHandle,
    pub status: TransactionStatus,
    pub response_code: ResponseCode,
    pub retry_count: Option<u32>,
    pub retry_date: Option<UtcTimestamp>,
    /// Send it back (as text: `reference_data.to_string()`) on the next attempt.
    pub reference_data: Option<ReferenceData>,
}

/// An amount in words: `10.00 USD`, or its minor units when the currency is not known.
fn money_text(minor_units: i64, currency: Option<Currency>) -> String {
    match currency {
        Some(currency) => Money::new(minor_units, currency).to_string(),
        None => format!("{minor_units} (minor units)"),
    }
}

/// A request refused with a FlexPay code before (or instead of) reaching a gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub code: ResponseCode,
    pub message: String,
    /// The body's `amount` could not be read (missing, or not an integer): the refused
    /// transaction shows no amount rather than the placeholder its request was built with.
    pub unread_amount: bool,
    /// The body's `retryCount` could not be read (missing, or not a whole number from 0 to
    /// 2^32 − 1): the refused transaction echoes none rather than its placeholder 0, which a
    /// `RetryChain` would take for the count sent.
    pub unread_retry_count: bool,
}

impl Refusal {
    pub(crate) fn new(code: u32, message: impl Into<String>) -> Refusal {
        Refusal {
            code: ResponseCode::new(code).unwrap_or(ResponseCode::VALIDATION_ERROR),
            message: message.into(),
            unread_amount: false,
            unread_retry_count: false,
        }
    }

    /// Stores the refusal on `record`: its code and message, and no amount if none was read.
    fn apply(self, record: &mut TransactionRecord) {
        record.code = self.code;
        record.note = Some(self.message.into());
        if self.unread_amount {
            record.amount = None;
        }
        if self.unread_retry_count {
            record.retry_count = None;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub(crate) enum Kind {
    Charge,
    Authorize,
    Capture,
    Void,
    Refund,
    RefundedPayment,
    /// `POST /v1/paymentmethods` with a card.
    CreateCreditCard,
    /// `POST /v1/paymentmethods` with a gateway payment method.
    CreateGatewayPaymentMethod,
    UpdatePaymentMethod,
    RedactPaymentMethod,
    RecachePaymentMethod,
}

impl Kind {
    pub(crate) fn transaction_type(self) -> TransactionType {
        match self {
            Kind::Charge => TransactionType::Charge,
            Kind::Authorize => TransactionType::Authorize,
            Kind::Capture => TransactionType::Capture,
            Kind::Void => TransactionType::Void,
            Kind::Refund => TransactionType::Refund,
            Kind::RefundedPayment => TransactionType::Other("RefundedPayment".to_owned()),
            Kind::CreateCreditCard => TransactionType::Other("CreateCreditCard".to_owned()),
            Kind::CreateGatewayPaymentMethod => TransactionType::CreateGatewayPaymentMethod,
            Kind::UpdatePaymentMethod => TransactionType::UpdatePaymentMethod,
            Kind::RedactPaymentMethod => TransactionType::Other("RedactPaymentMethod".to_owned()),
            Kind::RecachePaymentMethod => TransactionType::Other("RecachePaymentMethod".to_owned()),
        }
    }

    /// A vault call (create, update, redact, recache) rather than a payment or follow-up.
    pub(crate) fn is_vault(self) -> bool {
        matches!(
            self,
            Kind::CreateCreditCard
                | Kind::CreateGatewayPaymentMethod
                | Kind::UpdatePaymentMethod
                | Kind::RedactPaymentMethod
                | Kind::RecachePaymentMethod
        )
    }

    pub(crate) fn is_payment(self) -> bool {
        matches!(self, Kind::Charge | Kind::Authorize)
    }

    /// A payment or the capture of an authorization: what is refunded or voided of it comes
    /// off the recovery of its payment's chain.
    pub(crate) fn carries_recovery(self) -> bool {
        self.is_payment() || self == Kind::Capture
    }
}

/// Request fields the sandbox only echoes back. Kept as a short list of the fields actually
/// sent, so a transaction costs memory for what it carries, not for every possible field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum EchoField {
    OrderId,
    CustomerId,
    Description,
    CustomerIp,
    ProductSku,
    PaymentModel,
    CurrencyCode,
    CustomVariable1,
    CustomVariable2,
    CustomVariable3,
    CustomVariable4,
    CustomVariable5,
    ExpiryMonth,
    ExpiryYear,
    FirstName,
    LastName,
    FullName,
    Address1,
    Address2,
    PostalCode,
    City,
    State,
    Country,
    Email,
    PhoneNumber,
    GatewayPaymentMethodId,
    MerchantAccountReferenceId,
    FirstSixDigits,
    LastFourDigits,
    ShippingAddress1,
    ShippingAddress2,
    ShippingPostalCode,
    ShippingCity,
    ShippingState,
    ShippingCountry,
}

impl EchoField {
    /// Describes the payment method (card, holder, billing address) rather than the order.
    pub(crate) fn describes_payment_method(self) -> bool {
        (EchoField::ExpiryMonth as usize..=EchoField::LastFourDigits as usize)
            .contains(&(self as usize))
    }

    /// Every field, in declaration order: `ALL[field as usize] == field`.
    pub(crate) const ALL: [EchoField; 35] = [
        EchoField::OrderId,
        EchoField::CustomerId,
        EchoField::Description,
        EchoField::CustomerIp,
        EchoField::ProductSku,
        EchoField::PaymentModel,
        EchoField::CurrencyCode,
        EchoField::CustomVariable1,
        EchoField::CustomVariable2,
        EchoField::CustomVariable3,
        EchoField::CustomVariable4,
        EchoField::CustomVariable5,
        EchoField::ExpiryMonth,
        EchoField::ExpiryYear,
        EchoField::FirstName,
        EchoField::LastName,
        EchoField::FullName,
        EchoField::Address1,
        EchoField::Address2,
        EchoField::PostalCode,
        EchoField::City,
        EchoField::State,
        EchoField::Country,
        EchoField::Email,
        EchoField::PhoneNumber,
        EchoField::GatewayPaymentMethodId,
        EchoField::MerchantAccountReferenceId,
        EchoField::FirstSixDigits,
        EchoField::LastFourDigits,
        EchoField::ShippingAddress1,
        EchoField::ShippingAddress2,
        EchoField::ShippingPostalCode,
        EchoField::ShippingCity,
        EchoField::ShippingState,
        EchoField::ShippingCountry,
    ];

    /// Every field's JSON key, in declaration order.
    pub(crate) const NAMES: [&'static str; 35] = [
        "orderId",
        "customerId",
        "description",
        "customerIp",
        "productSku",
        "paymentModel",
        "currencyCode",
        "customVariable1",
        "customVariable2",
        "customVariable3",
        "customVariable4",
        "customVariable5",
        "expiryMonth",
        "expiryYear",
        "firstName",
        "lastName",
        "fullName",
        "address1",
        "address2",
        "postalCode",
        "city",
        "state",
        "country",
        "email",
        "phoneNumber",
        "gatewayPaymentMethodId",
        "merchantAccountReferenceId",
        "firstSixDigits",
        "lastFourDigits",
        "shippingAddress1",
        "shippingAddress2",
        "shippingPostalCode",
        "shippingCity",
        "shippingState",
        "shippingCountry",
    ];
}

/// The card of a transaction without its secret parts: first six and last four digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(try_from = "CardSummaryWire", into = "CardSummaryWire")]
pub(crate) struct CardSummary {
    pub first_six: [u8; 6],
    pub last_four: [u8; 4],
    /// Digits of the full number.
    pub length: u8,
    pub brand: Option<CardBrand>,
    /// A CVV was sent (the response then shows `***`).
    pub cvv_sent: bool,
}

#[derive(Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CardSummaryWire {
    pub(crate) masked: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) brand: Option<CardBrand>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) cvv_sent: bool,
}

impl CardSummary {
    /// `None` unless the number is 12 to 19 ASCII digits. `brand` saves detecting the brand
    /// of a test card again.
    pub(crate) fn of(
        number: &str,
        brand: Option<CardBrand>,
        cvv_sent: bool,
    ) -> Option<CardSummary> {
        let bytes = number.as_bytes();
        let length = u8::try_from(bytes.len()).ok()?;
        if !(12..=19).contains(&length) || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(CardSummary {
            first_six: bytes.get(..6)?.try_into().ok()?,
            last_four: bytes.get(bytes.len() - 4..)?.try_into().ok()?,
            length,
            brand: brand.or_else(|| detect_brand(number)),
            cvv_sent,
        })
    }

    pub(crate) fn masked(&self) -> String {
        let mut out = String::with_capacity(usize::from(self.length));
        out.extend(self.first_six.iter().map(|&b| char::from(b)));
        out.extend(core::iter::repeat_n(
            '*',
            usize::from(self.length.saturating_sub(10)),
        ));
        out.extend(self.last_four.iter().map(|&b| char::from(b)));
        out
    }

    pub(crate) fn first_six(&self) -> String {
        self.first_six.iter().map(|&b| char::from(b)).collect()
    }

    pub(crate) fn last_four(&self) -> String {
        self.last_four.iter().map(|&b| char::from(b)).collect()
    }
}

impl From<CardSummary> for CardSummaryWire {
    fn from(card: CardSummary) -> Self {
        CardSummaryWire {
            masked: card.masked(),
            brand: card.brand,
            cvv_sent: card.cvv_sent,
        }
    }
}

impl TryFrom<CardSummaryWire> for CardSummary {
    type Error = String;

    fn try_from(wire: CardSummaryWire) -> Result<Self, String> {
        let bytes = wire.masked.as_bytes();
        let bad = || format!("{:?} is not a masked card number", wire.masked);
        let length = u8::try_from(bytes.len()).map_err(|_| bad())?;
        if !(12..=19).contains(&length) {
            return Err(bad());
        }
        let first_six: [u8; 6] = bytes
            .get(..6)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        let last_four: [u8; 4] = bytes
            .get(bytes.len() - 4..)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        let middle_ok = bytes
            .get(6..bytes.len() - 4)
            .is_some_and(|m| m.iter().all(|&b| b == b'*'));
        if !middle_ok || !first_six.iter().chain(&last_four).all(u8::is_ascii_digit) {
            return Err(bad());
        }
        Ok(CardSummary {
            first_six,
            last_four,
            length,
            brand: wire.brand,
            cvv_sent: wire.cvv_sent,
        })
    }
}

/// One transaction as the sandbox stores it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TransactionRecord {
    pub id: Token,
    pub kind: Kind,
    pub company: u16,
    pub mode: Environment,
    pub date: UtcTimestamp,
    pub code: ResponseCode,
    pub merchant_transaction_id: CompactText,
    pub gateway: GatewayRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_date: Option<UtcTimestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_data: Option<ReferenceData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_first_attempt: Option<UtcTimestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<u32>,
    /// The transaction a capture, void or refund follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<u32>,
    /// The transaction whose retained card a vaulted payment (`paymentMethodId`) used, or
    /// whose payment method an update, redact or recache changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vault: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avs: Option<AvsResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvv: Option<CvvResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_customer_recovery: Option<bool>,
    /// Kept in the vault (`retainOnSuccess` and approved, or an approved create call).
    #[serde(default, skip_serializing_if = "is_false")]
    pub stored: bool,
    /// The vaulted payment method was redacted: still readable, no longer chargeable.
    #[serde(default, skip_serializing_if = "is_false")]
    pub redacted: bool,
    /// A CVV was supplied for the vaulted card (at creation or by a recache) and no payment
    /// has used it yet. The CVV itself is never kept.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cvv_cached: bool,
    /// Fired by the sandbox's scheduler, not sent by the merchant.
    #[serde(default, skip_serializing_if = "is_false")]
    pub scheduled: bool,
    /// Amount captured from this authorization.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub captured: i64,
    /// Amount refunded from this charge or capture.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refunded: i64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub voided: bool,
    /// The message, when more specific than the code's meaning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Cow<'static, str>>,
    #[serde(
        default,
        skip_serializing_if = "SharedEcho::is_empty",
        with = "echo_serde"
    )]
    pub echo: SharedEcho,
}

/// A retry re-sends the payment its `referenceData` was issued for (reference §3.1, §11:
/// the value goes back "on the next attempt of the same payment"): its currency and amount
/// must be the first attempt's. FlexPay documents no code for a retry that changes them;
/// flexkit answers 50132 (invalid reference data), the code of every other `referenceData`
/// that does not fit the request, since an approval would otherwise count another amount
/// as this payment's recovery. The card, the holder and the customer may change (a card
/// updated after an expiry decline is still the same payment), as nothing documented ties
/// them to the payment.
fn same_payment(
    chain: &ChainRecord,
    amount: i64,
    currency: Option<Currency>,
) -> Result<(), Refusal> {
    let not_this_payment = "a retry re-sends the same payment, so it carries the first \
                            attempt's currency and amount with this referenceData; another \
                            amount or currency is a new payment, sent with referenceData null";
    if let Some(expected) = chain.currency {
        if currency != Some(expected) {
            let given = currency.map_or("none", Currency::code);
            return Err(Refusal::new(
                50132,
                format!(
                    "currencyCode {given} is not this payment's {expected}: {not_this_payment}"
                ),
            ));
        }
    }
    if amount != chain.amount {
        let decimal = |amount: i64| match chain.currency {
            Some(currency) => format!("{amount} ({})", Money::new(amount, currency)),
            None => amount.to_string(),
        };
        return Err(Refusal::new(
            50132,
            format!(
                "amount {} is not this payment's amount {}: {not_this_payment}",
                decimal(amount),
                decimal(chain.amount)
            ),
        ));
    }
    Ok(())
}

fn is_zero(value: &i64) -> bool {
    *value == 0
}

/// The echo list as a JSON object in the order the fields were sent.
mod echo_serde {
    use serde::ser::SerializeMap;
    use serde::Serializer;

    use super::super::compact::SharedEcho;

    pub fn serialize<S: Serializer>(echo: &SharedEcho, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (field, value) in echo.iter() {
            map.serialize_entry(&field, value)?;
        }
        map.end()
    }

    /// serde's reader of the list, for the tests' comparison with the snapshot's reader.
    #[cfg(test)]
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<SharedEcho, D::Error> {
        use core::fmt;

        use serde::de::{MapAccess, Visitor};

        use super::super::compact::EchoWriter;
        use super::EchoField;

        struct EchoVisitor;

        impl<'de> Visitor<'de> for EchoVisitor {
            type Value = EchoWriter;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of echoed request fields")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EchoWriter, A::Error> {
                let mut echo = EchoWriter::default();
                while let Some((field, value)) = map.next_entry::<EchoField, String>()? {
                    echo.push(field, &value);
                }
                Ok(echo)
            }
        }

        let mut echo = deserializer.deserialize_map(EchoVisitor)?;
        Ok(SharedEcho::from_writer(&mut echo))
    }
}

/// Everything about a charge or authorization the engine decides on; built from a
/// merchant's request or by the scheduler.
/// Borrows the request's text: only what is stored is copied.
pub(crate) struct PaymentInput<'a> {
    pub kind: Kind,
    pub company: u16,
    pub mode: Environment,
    pub now: UtcTimestamp,
    pub merchant_transaction_id: Cow<'a, str>,
    pub amount: i64,
    pub currency: Option<Currency>,
    pub retry_count: u32,
    pub reference_data: Option<Cow<'a, str>>,
    pub gateway_token: Option<&'a str>,
    pub card: Option<CardSummary>,
    pub identity: CardIdentity,
    pub cvv: Option<&'a str>,
    pub disable_customer_recovery: Option<bool>,
    pub retain_on_success: bool,
    pub date_first_attempt: Option<UtcTimestamp>,
    pub echo: SharedEcho,
    /// The billing `address1` (also in `echo`), which the AVS triggers read, when the input
    /// was taken from a request; `None` when only `echo` knows it (a retry rebuilt from a
    /// stored transaction).
    pub address1: Option<Option<&'a str>>,
    /// The request named a vaulted payment method (`paymentMethodId`).
    pub vaulted: bool,
    /// The transaction that retained that payment method's card, when the vault has it and
    /// it can be charged.
    pub vault: Option<u32>,
    /// The vault has that payment method, but it was redacted.
    pub vault_redacted: bool,
    /// Set when the scheduler fires the retry of this chain.
    pub scheduled_chain: Option<u32>,
    /// `paymentPlan.billingCycle` is 2 or more: a rebill, not an initial sale.
    pub rebill: bool,
}

impl PaymentInput<'_> {
    /// What its gateway must take: its currency, its card's brand and, when it continues a
    /// recovery `chain`, retries.
    fn routed(&self, chain: Option<u32>) -> RoutedPayment {
        RoutedPayment {
            currency: self.currency,
            brand: self.card.and_then(|card| card.brand),
            retry: chain.is_some(),
        }
    }
}

/// What [`Sandbox::verify_reference`] checks a `referenceData` against: the payment's
/// company, environment and `retryCount`, and its amount and currency when known.
struct RetryOf<'a> {
    company: u16,
    mode: Environment,
    retry_count: u32,
    payment: Option<(i64, Option<Currency>)>,
    /// The `customerId` the retry sends, if any.
    customer_id: Option<&'a str>,
}

const NONE: u32 = u32::MAX;

impl Sandbox {
    fn merchant_hash(company: u16, mode: Environment, merchant_transaction_id: &[u8]) -> u64 {
        let mode_byte = [mode as u8];
        fnv1a(&[&company.to_le_bytes(), &mode_byte, merchant_transaction_id])
    }

    /// The transaction that took this merchant transaction id, if any.
    pub(crate) fn find_merchant_id(
        &self,
        company: u16,
        mode: Environment,
        merchant_transaction_id: &str,
    ) -> Option<u32> {
        self.find_merchant_bytes(company, mode, merchant_transaction_id.as_bytes())
    }

    fn find_merchant_bytes(
        &self,
        company: u16,
        mode: Environment,
        merchant_transaction_id: &[u8],
    ) -> Option<u32> {
        let hash = Self::merchant_hash(company, mode, merchant_transaction_id);
        let mut cursor = *self.index.merchant_head.get(&hash)?;
        while cursor != NONE {
            let record = self.state.transactions.get(cursor as usize)?;
            if record.company == company
                && record.mode == mode
                && record.merchant_transaction_id.is(merchant_transaction_id)
            {
                return Some(cursor);
            }
            cursor = *self.index.merchant_next.get(cursor as usize)?;
        }
        None
    }

    /// The transaction whose card `payment_method_id` names: an approved charge or
    /// authorization of the principal's company and mode sent with `retainOnSuccess`, or an
    /// approved create call (redacted or not). A payment method id is derived from its
    /// transaction's id, so no table is needed.
    pub(crate) fn vault_position(
        &self,
        principal: &Principal,
        payment_method_id: &str,
    ) -> Option<u32> {
        let source = Token::parse(payment_method_id)?.underived(PAYMENT_METHOD_SALT);
        let position = self.position_of(source)?;
        let record = self.state.transactions.get(position as usize)?;
        (record.stored && record.company == principal.company && record.mode == principal.mode)
            .then_some(position)
    }

    /// Where the transaction with this FlexPay id is stored: its id says so, and the record
    /// there must carry exactly that id.
    pub(crate) fn transaction_position(&self, transaction_id: &str) -> Option<u32> {
        self.position_of(Token::parse(transaction_id)?)
    }

    /// The stored transaction with this FlexPay id.
    pub(crate) fn transaction_record(&self, transaction_id: &str) -> Option<&TransactionRecord> {
        let position = self.transaction_position(transaction_id)?;
        self.state.transactions.get(position as usize)
    }

    /// Where the transaction with this id is stored, if the record there carries it.
    fn position_of(&self, id: Token) -> Option<u32> {
        let position = id.position();
        let record = self.state.transactions.get(position as usize)?;
        (record.id == id).then_some(position)
    }

    /// Adds a record with its indexes. Only a request that reached a gateway uses up its
    /// merchant transaction id.
    pub(crate) fn store(&mut self, record: TransactionRecord) -> TransactionHandle {
        let position = u32::try_from(self.state.transactions.len()).unwrap_or(NONE);
        let mut next = NONE;
        if record.gateway != GatewayRef::NotReached && !record.merchant_transaction_id.is_empty() {
            let hash = Self::merchant_hash(
                record.company,
                record.mode,
                record.merchant_transaction_id.as_bytes(),
            );
            if let Some(head) = self.index.merchant_head.insert(hash, position) {
                next = head;
            }
        }
        self.index.merchant_next.push(next);
        self.state.transactions.push(record);
        TransactionHandle(position)
    }

    pub(crate) fn blank_record(
        &mut self,
        kind: Kind,
        company: u16,
        mode: Environment,
        now: UtcTimestamp,
        merchant_transaction_id: CompactText,
    ) -> TransactionRecord {
        let position = u32::try_from(self.state.transactions.len()).unwrap_or(NONE);
        TransactionRecord {
            id: self.state.rng.next_positioned_token(position),
            kind,
            company,
            mode,
            date: now,
            code: ResponseCode::APPROVED,
            merchant_transaction_id,
            gateway: GatewayRef::NotReached,
            amount: None,
            currency: None,
            retry_count: None,
            retry_date: None,
            reference_data: None,
            date_first_attempt: None,
            chain: None,
            original: None,
            vault: None,
            card: None,
            avs: None,
            cvv: None,
            disable_customer_recovery: None,
            stored: false,
            redacted: false,
            cvv_cached: false,
            scheduled: false,
            captured: 0,
            refunded: 0,
            voided: false,
            note: None,
            echo: SharedEcho::default(),
        }
    }

    pub(crate) fn receipt(&self, handle: TransactionHandle) -> Receipt {
        let record = self.state.transactions.get(handle.0 as usize);
        let code = record.map_or(ResponseCode::VALIDATION_ERROR, |r| r.code);
        Receipt {
            transaction: handle,
            status: status_of(code),
            response_code: code,
            retry_count: record.and_then(|r| r.retry_count),
            retry_date: record.and_then(|r| r.retry_date),
            reference_data: record.and_then(|r| r.reference_data),
        }
    }

    /// The full wire response of a transaction.
    pub fn response(&self, handle: TransactionHandle) -> Option<TransactionResponse> {
        self.state
            .transactions
            .get(handle.0 as usize)
            .map(|record| self.build_response(record))
    }

    pub(super) fn respond(&self, receipt: Receipt) -> Result<TransactionResponse, ApiError> {
        self.response(receipt.transaction).ok_or_else(|| {
            ApiError::new(
                500,
                code::MALFORMED_REQUEST,
                "the transaction was not stored",
            )
        })
    }

    // ---- charge and authorize -------------------------------------------------------------

    /// `POST /v1/gateways/charge`.
    pub fn charge(
        &mut self,
        api_key: &str,
        request: ChargeRequest,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let principal = self.authenticate(api_key)?;
        let receipt = self.submit_charge(&principal, request, now)?;
        self.respond(receipt)
    }

    /// `POST /v1/gateways/authorize`.
    pub fn authorize(
        &mut self,
        api_key: &str,
        request: ChargeRequest,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let principal = self.authenticate(api_key)?;
        let receipt = self.submit_authorize(&principal, request, now)?;
        self.respond(receipt)
    }

    /// Lean charge.
    pub fn submit_charge(
        &mut self,
        principal: &Principal,
        request: ChargeRequest,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.submit_payment(principal, Kind::Charge, &request, None, now)
    }

    /// Lean charge of a borrowed request: the same call as [`Sandbox::submit_charge`], for a
    /// caller that keeps its request (a CRM resending a payment with the next `retryCount`
    /// and `referenceData`). The sandbox copies only what it stores.
    pub fn submit_charge_ref(
        &mut self,
        principal: &Principal,
        request: &ChargeRequest,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.submit_payment(principal, Kind::Charge, request, None, now)
    }

    /// Lean authorize.
    pub fn submit_authorize(
        &mut self,
        principal: &Principal,
        request: ChargeRequest,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.submit_payment(principal, Kind::Authorize, &request, None, now)
    }

    /// Lean authorize of a borrowed request (see [`Sandbox::submit_charge_ref`]).
    pub fn submit_authorize_ref(
        &mut self,
        principal: &Principal,
        request: &ChargeRequest,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.submit_payment(principal, Kind::Authorize, request, None, now)
    }

    /// Charge or authorize. `body` is the refusal of a body that did not read as a request
    /// (see `bodies`); `request` is then what could be read of it, and is not checked again.
    pub(super) fn submit_payment(
        &mut self,
        principal: &Principal,
        kind: Kind,
        request: &ChargeRequest,
        body: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.check_principal(principal)?;
        let date_first_attempt = match request.date_first_attempt.as_deref() {
            None => None,
            Some(text) => Some(UtcTimestamp::parse_iso8601(text).map_err(|error| {
                let text = super::Shown(text);
                ApiError::new(
                    400,
                    code::MALFORMED_REQUEST,
                    format!(
                        "dateFirstAttempt {text:?} is not a date-time ({error}); send ISO 8601 \
                         such as \"2024-07-01T12:30:00Z\""
                    ),
                )
            })?),
        };
        let refusal = body.or_else(|| request_check::check_charge(request, now, principal.mode));
        let vault = match &request.payment_method {
            ChargePaymentMethod::Vaulted { payment_method_id } => {
                self.vault_position(principal, payment_method_id)
            }
            _ => None,
        };
        let redacted = vault
            .and_then(|position| self.state.transactions.get(position as usize))
            .is_some_and(|owner| owner.redacted);
        let vault = vault.filter(|_| !redacted);
        let writer = &mut self.index.echo_writer;
        // The retries of a payment usually echo what its previous attempt echoed.
        writer.start(self.state.transactions.last().map(|r| &r.echo));
        let mut input = payment_input(principal, kind, request, now, date_first_attempt, writer);
        if let Some(owner) =
            vault.and_then(|position| self.state.transactions.get(position as usize))
        {
            // The vaulted card with the holder and billing address it was retained with; the
            // CVV is never kept.
            for (field, value) in owner.echo.iter() {
                if field.describes_payment_method() {
                    writer.push(field, value);
                }
            }
            // A CVV on file (created with the card, or recached) goes with this payment.
            input.card = owner.card.map(|mut card| {
                card.cvv_sent = owner.cvv_cached;
                card
            });
            input.identity = CardIdentity::GatewayStored;
            input.address1 = None;
            input.vault = vault;
        }
        input.vault_redacted = redacted;
        input.echo = SharedEcho::from_writer(writer);
        let handle = self.process_payment(input, refusal);
        if let Some(owner) = vault {
            self.use_cached_cvv(owner, handle);
        }
        Ok(self.receipt(handle))
    }

    /// A payment that reached a gateway used the vaulted card's CVV on file, if any; one
    /// that did not sent none.
    fn use_cached_cvv(&mut self, owner: u32, handle: TransactionHandle) {
        let transactions = &mut self.state.transactions;
        let Some(reached) = transactions
            .get(handle.0 as usize)
            .map(|payment| payment.gateway != GatewayRef::NotReached)
        else {
            return;
        };
        if reached {
            if let Some(owner) = transactions.get_mut(owner as usize) {
                owner.cvv_cached = false;
            }
        } else if let Some(card) = transactions
            .get_mut(handle.0 as usize)
            .and_then(|payment| payment.card.as_mut())
        {
            card.cvv_sent = false;
        }
    }

    /// The engine: decides, stores and updates the chain. `refusal` is the request check's
    /// verdict, found before anything else.
    pub(crate) fn process_payment(
        &mut self,
        input: PaymentInput<'_>,
        refusal: Option<Refusal>,
    ) -> TransactionHandle {
        let mut input = input;
        let merchant_transaction_id = match core::mem::take(&mut input.merchant_transaction_id) {
            Cow::Borrowed(text) => CompactText::new(text),
            Cow::Owned(text) => CompactText::from(text),
        };
        let mut record = self.blank_record(
            input.kind,
            input.company,
            input.mode,
            input.now,
            merchant_transaction_id,
        );
        record.amount = Some(input.amount);
        record.currency = input.currency;
        record.retry_count = Some(input.retry_count);
        record.date_first_attempt = input.date_first_attempt;
        record.card = input.card;
        record.vault = input.vault;
        record.disable_customer_recovery = input.disable_customer_recovery;
        record.scheduled = input.scheduled_chain.is_some();
        record.echo = core::mem::take(&mut input.echo);

        let decided = refusal
            .map_or_else(|| self.admit_payment(&input, &record), Err)
            .and_then(|(chain, gateway, weighted)| {
                if input.vaulted && input.vault.is_none() {
                    let code = if input.kind == Kind::Authorize {
                        50134
                    } else {
                        50136
                    };
                    let message = if input.vault_redacted {
                        "paymentMethodId names a payment method that was redacted: it can no \
                         longer be charged; store the card again (POST /v1/paymentmethods, or a \
                         charge with retainOnSuccess true) and use its new paymentMethodId"
                    } else {
                        "paymentMethodId is not in the vault of this company and environment: \
                         a card is vaulted by an approved charge or authorization sent with \
                         retainOnSuccess true, or by POST /v1/paymentmethods, and its response \
                         names the paymentMethodId"
                    };
                    return Err(Refusal::new(code, message));
                }
                Ok((chain, gateway, weighted))
            });
        let (chain, gateway, weighted) = match decided {
            Ok(admitted) => admitted,
            Err(refusal) => {
                refusal.apply(&mut record);
                return self.store(record);
            }
        };
        // A retry after its payment's recovery window closed, or past its company's most
        // retries lowered since its last decline: FlexPay's limit (reference §11, "15
        // retries or 30 days, whichever first"), answered 30100 before any gateway, and the
        // chain ends. The note says when the window closed only when it is the days.
        let window_closed = chain
            .and_then(|index| self.state.chains.get(index as usize))
            .filter(|open| open.outcome == ChainOutcome::InRecovery)
            .and_then(|open| {
                let end = self.window_end(open)?;
                (input.now > end).then(|| {
                    let limits = self.limits_of(usize::from(open.company));
                    let by_days = (!self.limit_reached(open)).then_some(end);
                    limits.limit_note(by_days)
                })
            });
        if let (Some(note), Some(chain_index)) = (window_closed, chain) {
            record.code = ResponseCode::RETRY_LIMIT_REACHED;
            record.note = Some(Cow::Owned(note));
            record.chain = Some(chain_index);
            let position = u32::try_from(self.state.transactions.len()).unwrap_or(NONE);
            self.advance_chain(chain_index, &mut record, position);
            return self.store(record);
        }
        record.gateway = gateway;
        if let (true, GatewayRef::Created(position)) = (weighted, gateway) {
            self.note_routed(input.company, input.mode, input.routed(chain), position);
        }

        let address1 = input
            .address1
            .unwrap_or_else(|| record.echo.get(EchoField::Address1));
        // A retry carries its payment's amount (see `same_payment`), so a trigger amount
        // would decline it forever: every retry, the merchant's or the scheduler's, is
        // answered by the chain's soft code and its number (`retry_schedule`).
        let verdict = match chain.and_then(|index| self.state.chains.get(index as usize)) {
            Some(open) => {
                let declined_with = open.decline_code.unwrap_or(ResponseCode::DO_NOT_HONOR);
                // The chain's attempts so far: its first attempt and the retries before this.
                let k = open.attempts.max(1);
                triggers::retry_verdict(
                    input.identity,
                    retry_code(declined_with, k),
                    input.cvv,
                    address1,
                )
            }
            None => triggers::charge_verdict(
                input.identity,
                input.amount,
                input.cvv,
                address1,
                input.disable_customer_recovery,
            ),
        };
        record.code = verdict.code;
        record.avs = Some(verdict.avs);
        record.cvv = verdict.cvv;
        record.stored = input.retain_on_success && verdict.code == ResponseCode::APPROVED;
        if chain.is_none() && verdict.code.category() == ResponseCategory::ApiValidation {
            // The 5023 trigger's 50000 is FlexPay rejecting the request, as every other 5xxxx
            // is: not an attempt (`RetryChain` says fix it and send it again). No chain opens,
            // so it is not a decline received, and the fixed request starts the payment's
            // recovery.
            return self.store(record);
        }

        let chain_index = match chain {
            Some(existing) => existing,
            None => self.open_chain(&record, input.rebill),
        };
        record.chain = Some(chain_index);
        let position = u32::try_from(self.state.transactions.len()).unwrap_or(NONE);
        self.advance_chain(chain_index, &mut record, position);
        self.store(record)
    }

    /// Checks that run before the gateway: duplicate id, chain, routing. Also says whether
    /// the gateway was chosen by weighted routing (no token), to be recorded once the
    /// payment reaches it.
    fn admit_payment(
        &self,
        input: &PaymentInput<'_>,
        record: &TransactionRecord,
    ) -> Result<(Option<u32>, GatewayRef, bool), Refusal> {
        self.check_unique(record)?;
        let chain = match (&input.reference_data, input.scheduled_chain) {
            (_, Some(chain)) => Some(chain),
            (None, None) => None,
            (Some(text), None) => Some(self.verify_reference(
                &RetryOf {
                    company: input.company,
                    mode: input.mode,
                    retry_count: input.retry_count,
                    payment: Some((input.amount, input.currency)),
                    customer_id: record.echo.get(EchoField::CustomerId),
                },
                text,
            )?),
        };
        let requested = input.gateway_token;
        let (gateway, weighted) = match (requested, chain) {
            (None, Some(chain)) => self.retry_gateway(chain, input)?,
            _ => (
                self.route_payment(input.company, input.mode, requested, input.routed(chain))?,
                requested.is_none(),
            ),
        };
        Ok((chain, gateway, weighted))
    }

    fn check_unique(&self, record: &TransactionRecord) -> Result<(), Refusal> {
        let id = record.merchant_transaction_id.as_bytes();
        match self.find_merchant_bytes(record.company, record.mode, id) {
            Some(_) => Err(Refusal::new(
                50129,
                format!(
                    "merchantTransactionId {:?} was already used; send a new unique value for \
                     every request, retries included",
                    super::Shown(record.merchant_transaction_id.as_str())
                ),
            )),
            None => Ok(()),
        }
    }

    /// Where a retry without `gatewayToken` goes, by the environment's gateway routing
    /// stickiness ([`GatewayRouting`]): with `NoRouting` a retry fired by FlexPay Retries
    /// goes where the chain's last attempt went and a merchant's is routed by weight;
    /// `RoutingEnabled` sends it to another eligible gateway than the last attempt's (by
    /// weight among the others), `OriginalGatewayRouting` to the first attempt's. When that
    /// gateway no longer takes the payment, or there is no other, it is routed by weight.
    /// Also says whether routing by weight chose it (see `admit_payment`).
    fn retry_gateway(
        &self,
        chain: u32,
        input: &PaymentInput<'_>,
    ) -> Result<(GatewayRef, bool), Refusal> {
        let record = self.state.chains.get(chain as usize);
        let gateway_of = |position: Option<u32>| {
            position
                .and_then(|p| self.state.transactions.get(p as usize))
                .map(|r| r.gateway)
        };
        let last = gateway_of(record.map(|c| c.last_transaction));
        let payment = input.routed(Some(chain));
        let sticky = |gateway: Option<GatewayRef>| match gateway {
            Some(GatewayRef::Created(position))
                if self.check_gateway_accepts(position, payment).is_ok() =>
            {
                Some(GatewayRef::Created(position))
            }
            _ => None,
        };
        let chosen = match self.platform_config(input.mode).gateway_routing {
            GatewayRouting::NoRouting if input.scheduled_chain.is_some() => match last {
                Some(GatewayRef::BuiltIn) => Some(GatewayRef::BuiltIn),
                other => sticky(other),
            },
            GatewayRouting::NoRouting => None,
            GatewayRouting::OriginalGatewayRouting => {
                sticky(gateway_of(record.map(|c| c.first_transaction)))
            }
            GatewayRouting::RoutingEnabled => {
                let except = match last {
                    Some(GatewayRef::Created(position)) => Some(position as usize),
                    _ => None,
                };
                return match self.weighted_pick_except(input.company, input.mode, payment, except) {
                    Some(other) => Ok((other, true)),
                    None => Ok((
                        self.route_payment(input.company, input.mode, None, payment)?,
                        true,
                    )),
                };
            }
        };
        match chosen {
            Some(gateway) => Ok((gateway, false)),
            None => Ok((
                self.route_payment(input.company, input.mode, None, payment)?,
                true,
            )),
        }
    }

    /// When the payment that `reference_data` is the latest value of may be retried: its
    /// recovery chain's `retryDate`, in `company_code`'s `mode`, and whether FlexPay Retries
    /// sends that retry itself. `None` when the text is not the latest `referenceData` of a
    /// payment still in recovery there. A console warns with it before a retry goes out
    /// early, or from the merchant too: FlexPay documents no refusal of either, so the sandbox
    /// processes one (and the reports count an early one as retried early).
    pub fn retry_date_of_reference(
        &self,
        company_code: &str,
        mode: Environment,
        reference_data: &str,
    ) -> Option<(UtcTimestamp, bool)> {
        let company = self.company_index(company_code).ok()?;
        let reference = ReferenceData::parse(reference_data.trim())?;
        let chain = self.state.chains.get(reference.chain as usize)?;
        (chain.company == company && chain.mode == mode && chain.reference == Some(reference))
            .then_some(chain.next_retry)
            .flatten()
            .map(|due| (due, chain.auto_retry))
    }

    /// The transaction id of the request of `company_code`'s `mode` that already used
    /// `merchant_transaction_id`: another request with it is refused with 50129, whatever its
    /// type. A console warns with it at the field before sending. `None` when it is free (a
    /// request refused before any gateway does not use its id up).
    pub fn merchant_transaction_id_taken(
        &self,
        company_code: &str,
        mode: Environment,
        merchant_transaction_id: &str,
    ) -> Option<String> {
        let company = self.company_index(company_code).ok()?;
        let position = self.find_merchant_id(company, mode, merchant_transaction_id)?;
        let record = self.state.transactions.get(position as usize)?;
        Some(record.id.to_string())
    }

    /// Why a charge or authorization of `company_code`'s `mode` sent with `reference_data`
    /// and `retry_count` is refused with 50132 before any gateway, in the words of the
    /// refusal: the text is not the latest `referenceData` of a payment of this company
    /// and environment still in recovery, or the count does not follow that payment's last
    /// attempt, or it names another customer than that payment's (`customer_id`, the
    /// request's), or — when `payment` gives the request's amount and currency — they are not
    /// that payment's. A console warns with it at the field before sending. `None` when the
    /// sandbox takes it, and for an unknown company.
    pub fn reference_data_refusal(
        &self,
        company_code: &str,
        mode: Environment,
        reference_data: &str,
        retry_count: u32,
        payment: Option<(i64, Option<Currency>)>,
        customer_id: Option<&str>,
    ) -> Option<String> {
        let company = self.company_index(company_code).ok()?;
        let retry = RetryOf {
            company,
            mode,
            retry_count,
            payment,
            customer_id,
        };
        self.verify_reference(&retry, reference_data)
            .err()
            .map(|refusal| refusal.message)
    }

    /// The payment of `company_code`'s `mode` still in recovery at `now` whose latest attempt
    /// was for the order `order_id`, the latest such if several. A console warns with it
    /// before a first attempt goes out for an order whose payment is already being recovered:
    /// FlexPay would start a second recovery of it, with its own retries, and the customer
    /// could pay twice.
    pub fn order_in_recovery(
        &self,
        company_code: &str,
        mode: Environment,
        order_id: &str,
        now: UtcTimestamp,
    ) -> Option<OrderInRecovery> {
        let order_id = order_id.trim();
        let company = self.company_index(company_code).ok()?;
        if order_id.is_empty() {
            return None;
        }
        self.state.chains.iter().rev().find_map(|chain| {
            let last = self
                .state
                .transactions
                .get(chain.last_transaction as usize)?;
            let ours = chain.company == company
                && chain.mode == mode
                && last.echo.get(EchoField::OrderId) == Some(order_id)
                && self.standing(chain, now) == ChainOutcome::InRecovery;
            ours.then(|| OrderInRecovery {
                merchant_transaction_id: last.merchant_transaction_id.to_string(),
                retry_count: chain.last_retry_count.saturating_add(1),
                reference_data: chain.reference.map(|r| r.to_string()),
                retry_date: chain.next_retry,
            })
        })
    }

    fn verify_reference(&self, input: &RetryOf, text: &str) -> Result<u32, Refusal> {
        let unknown = || {
            Refusal::new(
                50132,
                "referenceData was not issued for this company's payments: send back exactly \
                 the referenceData of the previous response of the same payment, or null on \
                 its first attempt",
            )
        };
        let reference = ReferenceData::parse(text).ok_or_else(unknown)?;
        let chain = self
            .state
            .chains
            .get(reference.chain as usize)
            .filter(|c| c.company == input.company)
            .ok_or_else(unknown)?;
        if chain.mode != input.mode && chain.reference == Some(reference) {
            // The same company's payment in the other environment: each has its own.
            let name = |mode| match mode {
                Environment::Sandbox => "Sandbox",
                Environment::Production => "Production",
            };
            let (theirs, ours) = (name(chain.mode), name(input.mode));
            return Err(Refusal::new(
                50132,
                format!(
                    "referenceData belongs to a {theirs} payment of this company, not a {ours} \
                     one: a payment is retried in the environment it was sent in, with that \
                     environment's API key; send it with a {theirs} key, or start a {ours} \
                     payment with referenceData null"
                ),
            ));
        }
        if chain.mode != input.mode {
            return Err(unknown());
        }
        let Some(latest) = chain.reference else {
            return Err(Refusal::new(
                50132,
                format!(
                    "referenceData belongs to a payment whose recovery is over ({}); a new \
                     payment starts with referenceData null",
                    chain.outcome.describe()
                ),
            ));
        };
        if reference.attempt < latest.attempt && reference.chain == latest.chain {
            return Err(Refusal::new(
                50132,
                "referenceData is stale: a later attempt of this payment returned a newer \
                 value; always echo the referenceData of the latest response",
            ));
        }
        if reference != latest {
            return Err(unknown());
        }
        // A retry is the same payment, so it is the same customer's: a referenceData echoed
        // for another customer is another payment's, whose recovery the approval would count
        // while charging this one (flexkit's rule, as FlexPay documents only "the same
        // payment"; the order id is not compared, as some billing systems give each attempt
        // an order of its own).
        let theirs = self
            .state
            .transactions
            .get(chain.last_transaction as usize)
            .and_then(|last| last.echo.get(EchoField::CustomerId))
            .map(str::trim)
            .filter(|id| !id.is_empty());
        let ours = input.customer_id.map(str::trim).filter(|id| !id.is_empty());
        if let (Some(theirs), Some(ours)) = (theirs, ours) {
            if theirs != ours {
                return Err(Refusal::new(
                    50132,
                    format!(
                        "referenceData belongs to another customer's payment: its attempts sent \
                         customerId \"{theirs}\", this request sends \"{ours}\"; send the \
                         referenceData of this customer's own payment (its latest response), or \
                         null on a new payment's first attempt"
                    ),
                ));
            }
        }
        let expected = chain.last_retry_count.saturating_add(1);
        if input.retry_count != expected {
            return Err(Refusal::new(
                50132,
                format!(
                    "retryCount {} does not follow the previous attempt's {}: send {expected} \
                     with this referenceData",
                    input.retry_count, chain.last_retry_count
                ),
            ));
        }
        if let Some((amount, currency)) = input.payment {
            same_payment(chain, amount, currency)?;
        }
        Ok(reference.chain)
    }

    fn open_chain(&mut self, first: &TransactionRecord, rebill: bool) -> u32 {
        let index = u32::try_from(self.state.chains.len()).unwrap_or(NONE);
        let position = u32::try_from(self.state.transactions.len()).unwrap_or(NONE);
        self.state.chains.push(ChainRecord {
            company: first.company,
            mode: first.mode,
            currency: first.currency,
            amount: first.amount.unwrap_or(0),
            first_transaction: position,
            first_attempt_at: first.date,
            last_transaction: position,
            attempts: 0,
            last_retry_count: first.retry_count.unwrap_or(0),
            reference: None,
            next_retry: None,
            outcome: ChainOutcome::InRecovery,
            decline_code: None,
            received_decline: first.retry_count.unwrap_or(0) >= 1
                || first.code.category() != ResponseCategory::Approved,
            approved_amount: 0,
            refunded_amount: 0,
            auto_retry: false,
            scheduled_attempts: 0,
            early_attempts: 0,
            late_attempts: 0,
            closed_at: None,
            rebill,
        });
        index
    }

    /// Records an attempt on its chain: fresh `referenceData` and `retryDate` for a soft
    /// decline within the limits, closing otherwise.
    fn advance_chain(&mut self, chain_index: u32, record: &mut TransactionRecord, position: u32) {
        let auto_retry = self.auto_retry_enabled(record.company, record.mode);
        let limits = self.limits_of(usize::from(record.company));
        let salt = self.state.rng.next_u64();
        let minimums = self.state.platform.of(record.mode);
        // The recovery window runs from the payment's first attempt: the `dateFirstAttempt`
        // its first request to FlexPay sent (the decline at the merchant's own gateway), when
        // that is earlier than the request itself — as `RetryChain` counts it.
        let window_from = self.state.chains.get(chain_index as usize).map(|c| {
            let sent = if c.first_transaction == position {
                record.date_first_attempt
            } else {
                self.state
                    .transactions
                    .get(c.first_transaction as usize)
                    .and_then(|first| first.date_first_attempt)
            };
            sent.map_or(c.first_attempt_at, |d| d.min(c.first_attempt_at))
        });
        let Some(chain) = self.state.chains.get_mut(chain_index as usize) else {
            return;
        };
        let window_from = window_from.unwrap_or(chain.first_attempt_at);
        let now = record.date;
        if chain.attempts > 0 && chain.next_retry.is_some_and(|due| now < due) {
            chain.early_attempts += 1;
        }
        if chain.attempts > 0
            && chain
                .next_retry
                .and_then(|due| due.checked_add_seconds(super::recovery::LATE_AFTER))
                .is_some_and(|late| now >= late)
        {
            chain.late_attempts += 1;
        }
        if let Some(due) = chain.next_retry.take() {
            self.index.schedule.remove(&(due, chain_index));
        }
        chain.attempts += 1;
        chain.last_transaction = position;
        chain.last_retry_count = record.retry_count.unwrap_or(0);
        if record.scheduled {
            chain.scheduled_attempts += 1;
        }
        let mut code = record.code;
        match code.category() {
            ResponseCategory::Approved => {
                chain.close(ChainOutcome::Approved, now);
                chain.approved_amount = record.amount.unwrap_or(0);
            }
            ResponseCategory::SoftDecline => {
                if let Some(least) =
                    minimums.minimum_above(chain.currency, chain.rebill, chain.amount)
                {
                    // The platform configuration's recovery minimum: not recovered, the
                    // gateway's soft code kept without retryDate (reference §11).
                    let money = |amount| money_text(amount, chain.currency);
                    record.note = Some(Cow::Owned(format!(
                        "{}; not recovered: {} is below the recovery minimum of {} for {} \
                         (Platform configuration), so FlexPay will not retry this payment",
                        code.meaning().unwrap_or("Declined"),
                        money(chain.amount),
                        money(least),
                        if chain.rebill {
                            "rebills"
                        } else {
                            "initial sales"
                        },
                    )));
                    chain.close(ChainOutcome::Declined, now);
                    record.code = code;
                    return;
                }
                let next = retry_date(code, now)
                    .filter(|&next| limits.allow(chain.last_retry_count, next, window_from));
                match next {
                    Some(next) => {
                        let attempt = chain.reference.map_or(1, |r| r.attempt.saturating_add(1));
                        let reference = ReferenceData {
                            chain: chain_index,
                            attempt,
                            salt,
                        };
                        chain.reference = Some(reference);
                        chain.next_retry = Some(next);
                        chain.decline_code = Some(code);
                        record.retry_date = Some(next);
                        record.reference_data = Some(reference);
                        if auto_retry && record.kind == Kind::Charge {
                            chain.auto_retry = true;
                            self.index.schedule.insert((next, chain_index));
                        }
                    }
                    None => {
                        code = ResponseCode::RETRY_LIMIT_REACHED;
                        record.note = Some(Cow::Owned(limits.limit_note(None)));
                        chain.close(ChainOutcome::Declined, now);
                    }
                }
            }
            _ => chain.close(ChainOutcome::Declined, now),
        }
        record.code = code;
    }

    // ---- follow-ups ----------------------------------------------------------------------

    /// Looks up the original of a follow-up in the caller's scope.
    pub(super) fn original_of(&self, principal: &Principal, transaction_id: &str) -> Option<u32> {
        let position = self.transaction_position(transaction_id)?;
        let record = self.state.transactions.get(position as usize)?;
        (record.company == principal.company && record.mode == principal.mode).then_some(position)
    }

    /// Common start of capture, void, refund and refunded-payment: the request check, the
    /// original, the duplicate id. On success the record is ready to be decided.
    #[allow(clippy::too_many_arguments)]
    fn follow_up(
        &mut self,
        principal: &Principal,
        kind: Kind,
        transaction_id: &str,
        merchant_transaction_id: String,
        amount: Option<i64>,
        disable_customer_recovery: Option<bool>,
        refusal: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<Result<(TransactionRecord, u32), TransactionHandle>, ApiError> {
        self.check_principal(principal)?;
        let mut record = self.blank_record(
            kind,
            principal.company,
            principal.mode,
            now,
            CompactText::from(merchant_transaction_id),
        );
        record.amount = amount;
        record.disable_customer_recovery = disable_customer_recovery;
        // A transaction dated after `now` did not exist yet then: a capture, void or refund
        // sent with a clock behind the charge's finds nothing, as FlexPay would.
        let original = self
            .original_of(principal, transaction_id)
            .filter(|&position| {
                self.state
                    .transactions
                    .get(position as usize)
                    .is_some_and(|source| source.date <= now)
            });
        let refusal = refusal.or_else(|| match original {
            None => Some(Refusal::new(
                50131,
                "TransactionReferenceId: original transaction not found",
            )),
            Some(_) => self.check_unique(&record).err(),
        });
        let refusal = match (refusal, original) {
            (Some(refusal), _) => Some(refusal),
            (None, None) => Some(missing()),
            (None, Some(_)) => None,
        };
        let (None, Some(original)) = (&refusal, original) else {
            refusal.unwrap_or_else(missing).apply(&mut record);
            record.original = original;
            return Ok(Err(self.store(record)));
        };
        if let Some(source) = self.state.transactions.get(original as usize) {
            record.currency = source.currency;
            record.card = source.card;
            record.gateway = source.gateway;
            record.chain = source.chain;
            record.echo = source.echo.clone();
            record.retry_count = source.retry_count;
        }
        record.original = Some(original);
        Ok(Ok((record, original)))
    }

    /// Stores a follow-up that was looked at but refused by the rules of the original.
    fn decline_follow_up(&mut self, mut record: TransactionRecord, refusal: Refusal) -> Receipt {
        refusal.apply(&mut record);
        self.finish(record)
    }

    fn finish(&mut self, record: TransactionRecord) -> Receipt {
        let handle = self.store(record);
        self.receipt(handle)
    }

    /// `POST /v1/transactions/{transactionId}/capture`.
    pub fn capture(
        &mut self,
        api_key: &str,
        transaction_id: &str,
        request: CaptureRequest,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let principal = self.authenticate(api_key)?;
        let receipt = self.submit_capture(&principal, transaction_id, request, now)?;
        self.respond(receipt)
    }

    /// Lean capture.
    pub fn submit_capture(
        &mut self,
        principal: &Principal,
        transaction_id: &str,
        request: CaptureRequest,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.capture_with(principal, transaction_id, request, None, now)
    }

    /// Capture; `body` as for [`Sandbox::submit_payment`].
    pub(super) fn capture_with(
        &mut self,
        principal: &Principal,
        transaction_id: &str,
        request: CaptureRequest,
        body: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        let refusal = body.or_else(|| request_check::check_capture(&request, now, principal.mode));
        let (mut record, original) = match self.follow_up(
            principal,
            Kind::Capture,
            transaction_id,
            request.merchant_transaction_id,
            request.amount,
            request.disable_customer_recovery,
            refusal,
            now,
        )? {
            Ok(ready) => ready,
            Err(handle) => return Ok(self.receipt(handle)),
        };
        let Some(source) = self.state.transactions.get(original as usize) else {
            return Ok(self.decline_follow_up(record, missing()));
        };
        let authorized = source.amount.unwrap_or(0);
        let problem = if source.kind != Kind::Authorize || source.code != ResponseCode::APPROVED {
            Some(Refusal::new(
                30011,
                "invalid transaction: only an approved authorization can be captured",
            ))
        } else if source.voided {
            Some(Refusal::new(
                30066,
                "the authorization was voided; authorize again",
            ))
        } else if source.captured > 0 {
            Some(Refusal::new(
                30065,
                "the authorization was already captured; authorize again for more",
            ))
        } else if record.amount.unwrap_or(authorized) > authorized {
            Some(Refusal::new(
                50137,
                format!(
                    "invalid amount: the capture asks for {} but {} was authorized; capture at \
                     most the authorized amount",
                    money_text(record.amount.unwrap_or(authorized), source.currency),
                    money_text(authorized, source.currency)
                ),
            ))
        } else if let GatewayRef::Created(position) = source.gateway {
            self.check_gateway_accepts(position, RoutedPayment::default())
                .err()
        } else {
            None
        };
        if let Some(problem) = problem {
            return Ok(self.decline_follow_up(record, problem));
        }
        let amount = record.amount.unwrap_or(authorized);
        record.amount = Some(amount);
        record.code = ResponseCode::APPROVED;
        record.avs = Some(AvsResult::NotSupported);
        let chain = source.chain;
        if let Some(source) = self.state.transactions.get_mut(original as usize) {
            source.captured = amount;
        }
        self.note_capture_on_chain(chain, amount);
        Ok(self.finish(record))
    }

    /// `POST /v1/transactions/{transactionId}/void`.
    pub fn void(
        &mut self,
        api_key: &str,
        transaction_id: &str,
        request: VoidRequest,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let principal = self.authenticate(api_key)?;
        let receipt = self.submit_void(&principal, transaction_id, request, now)?;
        self.respond(receipt)
    }

    /// Lean void.
    pub fn submit_void(
        &mut self,
        principal: &Principal,
        transaction_id: &str,
        request: VoidRequest,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.void_with(principal, transaction_id, request, None, now)
    }

    /// Void; `body` as for [`Sandbox::submit_payment`].
    pub(super) fn void_with(
        &mut self,
        principal: &Principal,
        transaction_id: &str,
        request: VoidRequest,
        body: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        let refusal = body.or_else(|| request_check::check_void(&request, now, principal.mode));
        let (mut record, original) = match self.follow_up(
            principal,
            Kind::Void,
            transaction_id,
            request.merchant_transaction_id,
            None,
            request.disable_customer_recovery,
            refusal,
            now,
        )? {
            Ok(ready) => ready,
            Err(handle) => return Ok(self.receipt(handle)),
        };
        let Some(source) = self.state.transactions.get(original as usize) else {
            return Ok(self.decline_follow_up(record, missing()));
        };
        let amount = source.amount.unwrap_or(0);
        record.amount = Some(amount);
        let voidable = matches!(source.kind, Kind::Charge | Kind::Authorize | Kind::Capture)
            && source.code == ResponseCode::APPROVED;
        let problem = if !voidable {
            Some(Refusal::new(
                30011,
                "invalid transaction: only an approved charge, authorization or capture can be \
                 voided",
            ))
        } else if source.voided || source.refunded > 0 || source.captured > 0 {
            Some(Refusal::new(
                30066,
                "the transaction was already reversed (voided, refunded or captured); nothing \
                 is left to void",
            ))
        } else if let Some(refusal) = self.check_gateway_processes(source.gateway) {
            Some(refusal)
        } else {
            let verdict = triggers::void_verdict(amount);
            (verdict != ResponseCode::APPROVED).then(|| {
                Refusal::new(
                    verdict.value(),
                    "Reversal failed: the charge has settled; refund it instead",
                )
            })
        };
        if let Some(problem) = problem {
            return Ok(self.decline_follow_up(record, problem));
        }
        record.code = ResponseCode::APPROVED;
        let chain = source.chain;
        let was_payment = source.kind.carries_recovery();
        let authorization = source.kind == Kind::Authorize;
        if let Some(source) = self.state.transactions.get_mut(original as usize) {
            source.voided = true;
        }
        if authorization {
            // Nothing of it was captured (a captured one is refused above): no money was
            // taken, so nothing was recovered.
            self.note_void_of_authorization(chain, original);
        } else if was_payment {
            self.note_refund_on_chain(chain, amount, now);
        }
        Ok(self.finish(record))
    }

    /// The steps refunds and refunded-payment notices share: the request's validation and the
    /// follow-up record with its original (`Err`: already answered, e.g. refused).
    fn refund_follow_up(
        &mut self,
        principal: &Principal,
        kind: Kind,
        transaction_id: &str,
        request: RefundRequest,
        body: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<Result<(TransactionRecord, u32), TransactionHandle>, ApiError> {
        let refusal = body.or_else(|| request_check::check_refund(&request, now, principal.mode));
        self.follow_up(
            principal,
            kind,
            transaction_id,
            request.merchant_transaction_id,
            request.amount,
            request.disable_customer_recovery,
            refusal,
            now,
        )
    }

    /// `POST /v1/transactions/{transactionId}/refund`.
    pub fn refund(
        &mut self,
        api_key: &str,
        transaction_id: &str,
        request: RefundRequest,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let principal = self.authenticate(api_key)?;
        let receipt = self.submit_refund(&principal, transaction_id, request, now)?;
        self.respond(receipt)
    }

    /// Lean refund.
    pub fn submit_refund(
        &mut self,
        principal: &Principal,
        transaction_id: &str,
        request: RefundRequest,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.refund_with(principal, transaction_id, request, None, now)
    }

    /// Refund; `body` as for [`Sandbox::submit_payment`].
    pub(super) fn refund_with(
        &mut self,
        principal: &Principal,
        transaction_id: &str,
        request: RefundRequest,
        body: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        let requested = request.amount;
        let (mut record, original) = match self.refund_follow_up(
            principal,
            Kind::Refund,
            transaction_id,
            request,
            body,
            now,
        )? {
            Ok(ready) => ready,
            Err(handle) => return Ok(self.receipt(handle)),
        };
        let Some(source) = self.state.transactions.get(original as usize) else {
            return Ok(self.decline_follow_up(record, missing()));
        };
        let remaining = source.amount.unwrap_or(0).saturating_sub(source.refunded);
        let amount = requested.filter(|&a| a != 0).unwrap_or(remaining);
        // The amount asked for: the one sent, or without one what is left of the charge;
        // none when nothing is left (a second full refund), never a made-up 0.00.
        record.amount = (amount != 0).then_some(amount);
        let refundable = matches!(source.kind, Kind::Charge | Kind::Capture)
            && source.code == ResponseCode::APPROVED;
        let problem = if !refundable {
            Some(Refusal::new(
                30011,
                "invalid transaction: only an approved charge or capture can be refunded (void \
                 an authorization instead)",
            ))
        } else if source.voided {
            Some(Refusal::new(
                30066,
                "the transaction was voided; nothing is left to refund",
            ))
        } else if let Some(refusal) = self.check_gateway_processes(source.gateway) {
            Some(refusal)
        } else if let Some(trigger) = triggers::refund_amount_trigger(requested) {
            Some(Refusal {
                code: trigger,
                message: "Invalid amount (sandbox refund trigger 3016)".to_owned(),
                unread_amount: false,
                unread_retry_count: false,
            })
        } else if remaining == 0 {
            Some(Refusal::new(
                30015,
                "invalid amount: the transaction is already refunded in full; nothing is left \
                 to refund",
            ))
        } else if amount > remaining {
            Some(Refusal::new(
                30015,
                format!(
                    "invalid amount: {} is more than the {} left to refund on this transaction",
                    money_text(amount, source.currency),
                    money_text(remaining, source.currency)
                ),
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Ok(self.decline_follow_up(record, problem));
        }
        record.code = ResponseCode::APPROVED;
        let chain = source.chain;
        let was_payment = source.kind.carries_recovery();
        if let Some(source) = self.state.transactions.get_mut(original as usize) {
            source.refunded = source.refunded.saturating_add(amount);
        }
        if was_payment {
            self.note_refund_on_chain(chain, amount, now);
        }
        Ok(self.finish(record))
    }

    /// `POST /v1/transactions/{transactionId}/refundedpayment`: the payment was refunded
    /// outside FlexPay, or must no longer be recovered. Stops the chain's recovery.
    pub fn refunded_payment(
        &mut self,
        api_key: &str,
        transaction_id: &str,
        request: RefundRequest,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, ApiError> {
        let principal = self.authenticate(api_key)?;
        let receipt = self.submit_refunded_payment(&principal, transaction_id, request, now)?;
        self.respond(receipt)
    }

    /// Lean refunded-payment.
    pub fn submit_refunded_payment(
        &mut self,
        principal: &Principal,
        transaction_id: &str,
        request: RefundRequest,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        self.refunded_payment_with(principal, transaction_id, request, None, now)
    }

    /// Refunded-payment; `body` as for [`Sandbox::submit_payment`].
    pub(super) fn refunded_payment_with(
        &mut self,
        principal: &Principal,
        transaction_id: &str,
        request: RefundRequest,
        body: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<Receipt, ApiError> {
        let requested = request.amount;
        let (mut record, original) = match self.refund_follow_up(
            principal,
            Kind::RefundedPayment,
            transaction_id,
            request,
            body,
            now,
        )? {
            Ok(ready) => ready,
            Err(handle) => return Ok(self.receipt(handle)),
        };
        let Some(source) = self.state.transactions.get(original as usize) else {
            return Ok(self.decline_follow_up(record, missing()));
        };
        let approved = source.code == ResponseCode::APPROVED;
        let remaining = source.amount.unwrap_or(0).saturating_sub(source.refunded);
        let amount = if approved {
            requested
                .filter(|&a| a != 0)
                .unwrap_or(remaining)
                .min(remaining)
        } else {
            0
        };
        record.amount = Some(requested.unwrap_or(amount));
        record.code = ResponseCode::APPROVED;
        let chain = source.chain;
        if let Some(source) = self.state.transactions.get_mut(original as usize) {
            source.refunded = source.refunded.saturating_add(amount);
        }
        self.stop_chain(chain, now);
        if amount > 0 {
            self.note_refund_on_chain(chain, amount, now);
        }
        Ok(self.finish(record))
    }

    // ---- reads ---------------------------------------------------------------------------

    /// `GET /v1/transactions/{transactionId}`.
    pub fn get_transaction(
        &self,
        api_key: &str,
        transaction_id: &str,
    ) -> Result<TransactionResponse, ApiError> {
        let principal = self.authenticate(api_key)?;
        self.original_of(&principal, transaction_id)
            .and_then(|position| self.response(TransactionHandle(position)))
            .ok_or_else(|| not_found(transaction_id))
    }

    /// `GET /v1/transactions/byMerchantTransactionId/{merchantTransactionId}`. A request
    /// refused before any gateway does not own its merchant transaction id, so it is not
    /// found this way.
    pub fn get_transaction_by_merchant_id(
        &self,
        api_key: &str,
        merchant_transaction_id: &str,
    ) -> Result<TransactionResponse, ApiError> {
        let principal = self.authenticate(api_key)?;
        self.find_merchant_id(principal.company, principal.mode, merchant_transaction_id)
            .and_then(|position| self.response(TransactionHandle(position)))
            .ok_or_else(|| not_found(merchant_transaction_id))
    }

    /// The FlexPay `transactionId` of a transaction.
    pub fn transaction_id(&self, handle: TransactionHandle) -> Option<String> {
        self.state
            .transactions
            .get(handle.0 as usize)
            .map(|record| record.id.to_string())
    }
}

fn missing() -> Refusal {
    Refusal::new(
        50131,
        "TransactionReferenceId: original transaction not found",
    )
}

fn not_found(id: &str) -> ApiError {
    let id = super::Shown(id);
    ApiError::new(
        404,
        code::TRANSACTION_NOT_FOUND,
        format!("no transaction {id:?} for this API key's company and environment"),
    )
}

pub(crate) fn status_of(code: ResponseCode) -> TransactionStatus {
    if code.category() == ResponseCategory::Approved {
        TransactionStatus::Approved
    } else {
        TransactionStatus::Declined
    }
}

/// Takes a merchant's request apart into what the engine decides on (borrowed from the
/// request) and what it echoes (gathered in `echo`, which the caller turns into the stored
/// block).
fn payment_input<'a>(
    principal: &Principal,
    kind: Kind,
    request: &'a ChargeRequest,
    now: UtcTimestamp,
    date_first_attempt: Option<UtcTimestamp>,
    echo: &mut EchoWriter,
) -> PaymentInput<'a> {
    let ChargeRequest {
        merchant_transaction_id,
        order_id,
        description,
        customer_id,
        currency_code,
        amount,
        customer_ip,
        shipping_address,
        gateway_token,
        payment_plan,
        retry_count,
        date_first_attempt: _,
        disable_customer_recovery,
        reference_data,
        custom_variable1,
        custom_variable2,
        custom_variable3,
        custom_variable4,
        custom_variable5,
        payment_model,
        references: _,
        payment_method,
    } = request;
    echo.push(EchoField::OrderId, order_id);
    echo.push_some(EchoField::CustomerId, customer_id.as_deref());
    echo.push_some(EchoField::Description, description.as_deref());
    echo.push_some(EchoField::CustomerIp, customer_ip.as_deref());
    echo.push_some(
        EchoField::ProductSku,
        payment_plan.as_ref().and_then(|plan| plan.sku.as_deref()),
    );
    echo.push_some(
        EchoField::PaymentModel,
        payment_model.as_ref().map(|model| model.as_str()),
    );
    let currency = Currency::from_code(currency_code).ok();
    if currency.is_none() {
        echo.push(EchoField::CurrencyCode, currency_code);
    }
    for (field, value) in [
        (EchoField::CustomVariable1, custom_variable1),
        (EchoField::CustomVariable2, custom_variable2),
        (EchoField::CustomVariable3, custom_variable3),
        (EchoField::CustomVariable4, custom_variable4),
        (EchoField::CustomVariable5, custom_variable5),
    ] {
        echo.push_some(field, value.as_deref());
    }
    if let Some(shipping) = shipping_address {
        echo.push_some(EchoField::ShippingAddress1, shipping.address1.as_deref());
        echo.push_some(EchoField::ShippingAddress2, shipping.address2.as_deref());
        echo.push_some(
            EchoField::ShippingPostalCode,
            shipping.postal_code.as_deref(),
        );
        echo.push_some(EchoField::ShippingCity, shipping.city.as_deref());
        echo.push_some(EchoField::ShippingState, shipping.state.as_deref());
        echo.push_some(EchoField::ShippingCountry, shipping.country.as_deref());
    }
    let mut input = PaymentInput {
        kind,
        company: principal.company,
        mode: principal.mode,
        now,
        merchant_transaction_id: Cow::Borrowed(merchant_transaction_id),
        amount: *amount,
        currency,
        retry_count: *retry_count,
        reference_data: reference_data.as_deref().map(Cow::Borrowed),
        // An empty or blank token is one not sent, as the validators read every empty field.
        gateway_token: gateway_token.as_deref().filter(|t| !t.trim().is_empty()),
        card: None,
        identity: CardIdentity::Unknown,
        cvv: None,
        disable_customer_recovery: *disable_customer_recovery,
        retain_on_success: false,
        date_first_attempt,
        echo: SharedEcho::default(),
        address1: Some(None),
        vaulted: false,
        vault: None,
        vault_redacted: false,
        scheduled_chain: None,
        rebill: payment_plan
            .as_ref()
            .and_then(|plan| plan.billing_cycle)
            .is_some_and(|cycle| cycle >= 2),
    };
    match payment_method {
        ChargePaymentMethod::Card {
            payment_method: card,
            retain_on_success,
        } => {
            input.identity = CardIdentity::from_number(
                &card.credit_card_number,
                principal.mode == Environment::Production,
            );
            let brand = match input.identity {
                CardIdentity::TestCard(index) => {
                    TEST_CARDS.get(usize::from(index)).map(|c| c.brand)
                }
                CardIdentity::Unknown | CardIdentity::LiveCard | CardIdentity::GatewayStored => {
                    None
                }
            };
            input.card = CardSummary::of(&card.credit_card_number, brand, card.cvv.is_some());
            input.retain_on_success = *retain_on_success;
            input.cvv = card.cvv.as_deref();
            input.address1 = Some(card.address1.as_deref());
            echo_card(echo, card);
        }
        ChargePaymentMethod::Vaulted { .. } => input.vaulted = true,
        ChargePaymentMethod::GatewayPaymentMethod {
            payment_method: gpm,
        } => {
            input.identity = CardIdentity::GatewayStored;
            input.address1 = Some(gpm.address1.as_deref());
            echo_gateway_payment_method(echo, gpm);
        }
    }
    input
}

/// The echoed fields of a card: expiry, holder, billing address (also what a vault create
/// stores).
pub(crate) fn echo_card(echo: &mut EchoWriter, card: &CreditCardDetails) {
    echo.push(EchoField::ExpiryMonth, &card.expiry_month);
    echo.push(EchoField::ExpiryYear, &card.expiry_year);
    push_holder(
        echo,
        [
            &card.first_name,
            &card.last_name,
            &card.full_name,
            &card.address1,
            &card.address2,
            &card.postal_code,
            &card.city,
            &card.state,
            &card.country,
            &card.email,
            &card.phone_number,
        ],
    );
    echo.push_some(
        EchoField::MerchantAccountReferenceId,
        card.merchant_account_reference_id.as_deref(),
    );
}

/// The echoed fields of a card held at the gateway (also what a vault create stores).
pub(crate) fn echo_gateway_payment_method(
    echo: &mut EchoWriter,
    gpm: &GatewayPaymentMethodDetails,
) {
    echo.push(
        EchoField::GatewayPaymentMethodId,
        &gpm.gateway_payment_method_id,
    );
    echo.push_some(EchoField::FirstSixDigits, gpm.first_six_digits.as_deref());
    echo.push_some(EchoField::LastFourDigits, gpm.last_four_digits.as_deref());
    echo.push_some(EchoField::ExpiryMonth, gpm.expiry_month.as_deref());
    echo.push_some(EchoField::ExpiryYear, gpm.expiry_year.as_deref());
    push_holder(
        echo,
        [
            &gpm.first_name,
            &gpm.last_name,
            &gpm.full_name,
            &gpm.address1,
            &gpm.address2,
            &gpm.postal_code,
            &gpm.city,
            &gpm.state,
            &gpm.country,
            &gpm.email,
            &gpm.phone_number,
        ],
    );
    echo.push_some(
        EchoField::MerchantAccountReferenceId,
        gpm.merchant_account_reference_id.as_deref(),
    );
}

const HOLDER_FIELDS: [EchoField; 11] = [
    EchoField::FirstName,
    EchoField::LastName,
    EchoField::FullName,
    EchoField::Address1,
    EchoField::Address2,
    EchoField::PostalCode,
    EchoField::City,
    EchoField::State,
    EchoField::Country,
    EchoField::Email,
    EchoField::PhoneNumber,
];

fn push_holder(echo: &mut EchoWriter, values: [&Option<String>; 11]) {
    for (field, value) in HOLDER_FIELDS.into_iter().zip(values) {
        echo.push_some(field, value.as_deref());
    }
}

/// A payment still in recovery, found by [`Sandbox::order_in_recovery`]: what its next
/// attempt sends, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderInRecovery {
    /// The `merchantTransactionId` of its latest attempt.
    pub merchant_transaction_id: String,
    /// The `retryCount` its next attempt sends.
    pub retry_count: u32,
    /// The `referenceData` its next attempt echoes.
    pub reference_data: Option<String>,
    /// Its `retryDate`.
    pub retry_date: Option<UtcTimestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
    use crate::flexpay::payment_method::{CreditCardDetails, GatewayPaymentMethodDetails};
    use crate::flexpay::sandbox::recovery::ChainOutcome;
    use crate::flexpay::sandbox::test_support::{
        at_hours, live_console, other_card_charge, sandbox_with_flexpay_retries, sandbox_with_key,
        t0, visa, visa_charge,
    };
    use crate::flexpay::sandbox::CompanyScope;
    use crate::flexpay::sandbox::{BUILT_IN_GATEWAY_TOKEN, NO_GATEWAY_TOKEN};

    fn charge(sandbox: &mut Sandbox, key: &str, id: &str, amount: i64) -> TransactionResponse {
        sandbox.charge(key, visa_charge(id, amount), t0()).unwrap()
    }

    fn date(text: Option<&str>) -> UtcTimestamp {
        UtcTimestamp::parse_iso8601(text.unwrap()).unwrap()
    }

    #[test]
    fn an_empty_gateway_token_is_none() {
        // As the validators read every empty field: the charge is routed as without one.
        let (mut sandbox, key) = sandbox_with_key();
        for token in ["", "  "] {
            let mut charge = visa_charge(&format!("empty-token-{}", token.len()), 1000);
            charge.gateway_token = Some(token.into());
            let routed = sandbox.charge(&key, charge, t0()).unwrap();
            assert_eq!(routed.response_code.value(), 10000);
            assert_eq!(
                routed.gateway_token.as_deref(),
                Some(BUILT_IN_GATEWAY_TOKEN)
            );
        }
    }

    #[test]
    fn an_approved_charge_answers_a_realistic_record() {
        let (mut sandbox, key) = sandbox_with_key();
        let t = charge(&mut sandbox, &key, "m-1", 1000);
        assert_eq!(t.transaction_status, TransactionStatus::Approved);
        assert_eq!(t.response_code, ResponseCode::APPROVED);
        assert_eq!(t.message.as_deref(), Some("Approved"));
        assert_eq!(t.transaction_id.len(), 26);
        assert!(t
            .transaction_id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        assert_eq!(t.transaction_date.as_deref(), Some("2023-11-08T14:02:51Z"));
        assert_eq!(t.transaction_type, Some(TransactionType::Charge));
        assert_eq!(t.merchant_transaction_id.as_deref(), Some("m-1"));
        assert_eq!(t.order_id.as_deref(), Some("order-1"));
        assert_eq!(t.customer_id.as_deref(), Some("cust-1"));
        assert_eq!(
            (t.currency_code.as_deref(), t.amount),
            (Some("USD"), Some(1000))
        );
        assert_eq!(t.gateway_token.as_deref(), Some(BUILT_IN_GATEWAY_TOKEN));
        assert_eq!(t.assigned_gateway_token, t.gateway_token);
        assert_eq!(t.gateway_type, Some(GatewayType::FlexpaySandbox));
        assert_eq!(
            (t.retry_date.as_deref(), t.reference_data.as_deref()),
            (None, None)
        );
        assert_eq!(t.retry_count, Some(1));
        assert_eq!(t.engaged_recovery_state, Some(0));
        let verification = t.response.as_ref().unwrap();
        assert_eq!(verification.avs_code.as_deref(), Some("S"));
        assert_eq!(verification.cvv_code.as_deref(), Some("M"));
        let card = t.payment_method.as_ref().unwrap();
        assert_eq!(card.credit_card_number.as_deref(), Some("492020******9560"));
        assert_eq!(card.cvv.as_deref(), Some("***"));
        assert_eq!(card.card_type.as_ref().map(|c| c.as_str()), Some("VISA"));
        assert_eq!(card.first_name.as_deref(), Some("Avery"));
        assert!(t.shipping_address.is_some());
        // The whole record reads back through the wire type.
        let json = serde_json::to_value(TransactionEnvelope::new(&t)).unwrap();
        let parsed: TransactionEnvelope<TransactionResponse> =
            serde_json::from_value(json).unwrap();
        assert_eq!(parsed.transaction, t);
        assert!(!serde_json::to_string(&sandbox.to_snapshot())
            .unwrap()
            .contains("4920201996449560"));
    }

    use crate::flexpay::transaction::TransactionEnvelope;

    #[test]
    fn trigger_amounts_produce_the_documented_codes() {
        let (mut sandbox, key) = sandbox_with_key();
        for (amount, code, soft) in [
            (2005, 20000, true),
            (2008, 20003, true),
            (2012, 20023, true),
            (3016, 30011, false),
            (4018, 40000, false),
            (5023, 50000, false),
            (1234, 10000, false),
        ] {
            let t = charge(&mut sandbox, &key, &format!("trig-{amount}"), amount);
            assert_eq!(t.response_code.value(), code, "{amount}");
            assert_eq!(t.retry_date.is_some(), soft, "{amount}");
            assert_eq!(t.reference_data.is_some(), soft, "{amount}");
            if soft {
                assert!(date(t.retry_date.as_deref()) > t0());
                assert_eq!(t.transaction_status, TransactionStatus::Declined);
            }
        }
        let t = sandbox
            .charge(&key, other_card_charge("trig-card", 1000), t0())
            .unwrap();
        assert_eq!(t.response_code.value(), 30016);
        assert_eq!(
            t.payment_method.unwrap().credit_card_number.as_deref(),
            Some("400030******2220")
        );
    }

    #[test]
    fn the_validation_trigger_is_not_an_attempt() {
        // FlexPay rejecting the request (5xxxx) is not a decline received: `RetryChain` says
        // to fix the request and send the same attempt again, and the sandbox agrees.
        let (mut sandbox, key) = sandbox_with_key();
        let rejected = charge(&mut sandbox, &key, "v-1", 5023);
        assert_eq!(rejected.response_code.value(), 50000);
        assert!(rejected.reference_data.is_none() && rejected.retry_date.is_none());
        assert!(
            sandbox.chains().is_empty(),
            "no chain opens for a rejection"
        );
        let summary = |sandbox: &Sandbox| {
            sandbox
                .recovery_summary(
                    crate::flexpay::sandbox::CompanyScope::All,
                    Environment::Sandbox,
                    t0(),
                    at_hours(24),
                    t0(),
                )
                .unwrap()
        };
        assert!(summary(&sandbox).currencies.is_empty(), "nothing declined");

        // The fixed request, as its first attempt again: its soft decline opens the chain.
        let fixed = charge(&mut sandbox, &key, "v-2", 2008);
        assert_eq!(fixed.response_code.value(), 20003);
        assert!(fixed.reference_data.is_some());
        let chains = sandbox.chains();
        assert_eq!(chains.len(), 1);
        assert_eq!(chains[0].attempts.len(), 1);
        let usd = &summary(&sandbox).currencies[0];
        assert_eq!((usd.declined_count, usd.unrecoverable_count), (1, 0));
    }

    #[test]
    fn avs_cvv_and_customer_recovery_triggers_through_the_api() {
        let (mut sandbox, key) = sandbox_with_key();
        let mut request = visa_charge("avs-1", 1000);
        if let ChargePaymentMethod::Card { payment_method, .. } = &mut request.payment_method {
            payment_method.address1 = Some("Street_N".into());
            payment_method.cvv = Some("202".into());
        }
        let t = sandbox.charge(&key, request, t0()).unwrap();
        let verification = t.response.unwrap();
        assert_eq!(verification.avs_code.as_deref(), Some("N"));
        assert_eq!(verification.cvv_code.as_deref(), Some("N"));
        assert_eq!(t.response_code.value(), 40006);

        for (id, amount, flag, expected) in [
            ("cr-1", 6020, Some(true), 10000),
            ("cr-2", 6020, Some(false), 20000),
            ("cr-3", 7028, Some(true), 30080),
        ] {
            let mut request = visa_charge(id, amount);
            request.disable_customer_recovery = flag;
            let t = sandbox.charge(&key, request, t0()).unwrap();
            assert_eq!(t.response_code.value(), expected, "{id}");
            assert_eq!(t.disable_customer_recovery, flag);
        }
    }

    #[test]
    fn requests_refused_before_the_gateway() {
        let (mut sandbox, key) = sandbox_with_key();
        let missing = sandbox.charge(&key, visa_charge("", 1000), t0()).unwrap();
        assert_eq!(missing.response_code.value(), 50103);
        assert_eq!(missing.transaction_status, TransactionStatus::Declined);
        assert_eq!(missing.gateway_type, Some(GatewayType::FlexpayDeclined));
        assert_eq!(
            missing.gateway_token.as_deref(),
            Some("AAAAAAAAAAAAAAAAAAAAAAAAAA")
        );
        assert!(missing.response.is_none());

        let zero = sandbox.charge(&key, visa_charge("z-1", 0), t0()).unwrap();
        assert_eq!(zero.response_code.value(), 50137);
        assert!(zero.message.unwrap().contains("transaction.amount"));
        // A refused request does not use up its id: fixed and sent again, it goes through.
        let fixed = sandbox.charge(&key, visa_charge("z-1", 100), t0()).unwrap();
        assert_eq!(fixed.response_code, ResponseCode::APPROVED);
        let duplicate = sandbox.charge(&key, visa_charge("z-1", 100), t0()).unwrap();
        assert_eq!(duplicate.response_code.value(), 50129);

        let mut unknown = visa_charge("cur-1", 1000);
        unknown.currency_code = "ZZZ".into();
        let t = sandbox.charge(&key, unknown, t0()).unwrap();
        assert_eq!(t.response_code.value(), 50000);
        assert_eq!(t.currency_code.as_deref(), Some("ZZZ"));

        let bad_date = visa_charge("d-1", 1000).first_attempted_at("yesterday");
        let error = sandbox.charge(&key, bad_date, t0()).unwrap_err();
        assert_eq!(
            (error.http_status, error.code),
            (400, code::MALFORMED_REQUEST)
        );
        let good_date = visa_charge("d-2", 1000).first_attempted_at("2023-11-07T09:15:00Z");
        let t = sandbox.charge(&key, good_date, t0()).unwrap();
        assert_eq!(
            t.date_first_attempt.as_deref(),
            Some("2023-11-07T09:15:00Z")
        );

        let vaulted = ChargeRequest::with_vaulted_payment_method("v-1", "o", "USD", 100, "KQ8Z");
        assert_eq!(
            sandbox
                .charge(&key, vaulted.clone(), t0())
                .unwrap()
                .response_code
                .value(),
            50136
        );
        assert_eq!(
            sandbox
                .authorize(&key, vaulted, t0())
                .unwrap()
                .response_code
                .value(),
            50134
        );
    }

    #[test]
    fn credentials_are_checked_on_every_call() {
        let (mut sandbox, key) = sandbox_with_key();
        assert_eq!(
            sandbox
                .charge("", visa_charge("a", 1), t0())
                .unwrap_err()
                .http_status,
            401
        );
        let live = sandbox
            .generate_api_key("live", "DEFAULT", Environment::Production, t0())
            .unwrap();
        let refused = sandbox
            .charge(&live.key, visa_charge("a", 1), t0())
            .unwrap_err();
        assert_eq!(refused.http_status, 403);
        let principal = sandbox.authenticate(&key).unwrap();
        let id = sandbox.api_keys()[0].id;
        sandbox.delete_api_key(id, t0()).unwrap();
        let gone = sandbox
            .submit_charge(&principal, visa_charge("a", 1), t0())
            .unwrap_err();
        assert_eq!(gone.http_status, 401);
        assert_eq!(sandbox.transaction_count(), 0);
    }

    #[test]
    fn the_retry_date_of_a_reference_is_its_chains_while_it_is_the_latest() {
        let (mut sandbox, key) = sandbox_with_key();
        let declined = sandbox
            .charge(&key, visa_charge("early-1", 2008), t0())
            .unwrap();
        let reference = declined.reference_data.clone().unwrap();
        let due = declined
            .retry_date
            .as_deref()
            .and_then(|d| UtcTimestamp::parse_iso8601(d).ok());
        assert!(due.is_some_and(|d| d > t0()));
        let of = |s: &Sandbox, company, mode, text: &str| {
            s.retry_date_of_reference(company, mode, text)
                .map(|(due, by_flexpay)| {
                    assert!(!by_flexpay, "no FlexPay Retries in this account");
                    due
                })
        };
        assert_eq!(
            of(&sandbox, "DEFAULT", Environment::Sandbox, &reference),
            due
        );
        assert_eq!(
            of(&sandbox, "DEFAULT", Environment::Production, &reference),
            None
        );
        assert_eq!(of(&sandbox, "NOPE", Environment::Sandbox, &reference), None);
        assert_eq!(
            of(&sandbox, "DEFAULT", Environment::Sandbox, "not base64"),
            None
        );
        // Once the retry is sent, the first value is no longer the latest.
        let retry = visa_charge("early-1-r2", 2008).retry_attempt(2, Some(reference.clone()));
        let answered = sandbox.charge(&key, retry, due.unwrap()).unwrap();
        assert_eq!(
            of(&sandbox, "DEFAULT", Environment::Sandbox, &reference),
            None
        );
        let next = answered.reference_data.unwrap();
        assert!(
            of(&sandbox, "DEFAULT", Environment::Sandbox, &next).is_some_and(|d| d > due.unwrap())
        );
    }

    #[test]
    fn an_order_in_recovery_is_found_by_its_order_id_until_its_recovery_ends() {
        let (mut sandbox, key) = sandbox_with_key();
        let find =
            |s: &Sandbox, order: &str, mode, now| s.order_in_recovery("DEFAULT", mode, order, now);
        assert_eq!(find(&sandbox, "order-1", Environment::Sandbox, t0()), None);
        let declined = sandbox
            .charge(&key, visa_charge("order-a", 2008), t0())
            .unwrap();
        let found = find(&sandbox, " order-1 ", Environment::Sandbox, t0()).unwrap();
        assert_eq!(
            found,
            OrderInRecovery {
                merchant_transaction_id: "order-a".to_owned(),
                retry_count: 2,
                reference_data: declined.reference_data.clone(),
                retry_date: declined
                    .retry_date
                    .as_deref()
                    .and_then(|d| UtcTimestamp::parse_iso8601(d).ok()),
            }
        );
        assert_eq!(find(&sandbox, "order-2", Environment::Sandbox, t0()), None);
        assert_eq!(find(&sandbox, "", Environment::Sandbox, t0()), None);
        assert_eq!(
            find(&sandbox, "order-1", Environment::Production, t0()),
            None
        );
        assert_eq!(
            sandbox.order_in_recovery("NOPE", Environment::Sandbox, "order-1", t0()),
            None
        );
        // Its retry, declined again, is the latest attempt.
        let due = found.retry_date.unwrap();
        let retry = visa_charge("order-a-r2", 2008).retry_attempt(2, found.reference_data);
        sandbox.charge(&key, retry, due).unwrap();
        let again = find(&sandbox, "order-1", Environment::Sandbox, due).unwrap();
        assert_eq!(
            (again.merchant_transaction_id.as_str(), again.retry_count),
            ("order-a-r2", 3)
        );
        // Once its recovery window has closed, it is no longer in recovery.
        let later = due.checked_add_millis(90 * 86_400_000).unwrap();
        assert_eq!(find(&sandbox, "order-1", Environment::Sandbox, later), None);
    }

    #[test]
    fn a_console_is_told_ahead_what_the_sandbox_refuses_in_the_refusals_own_words() {
        let (mut sandbox, key) = sandbox_with_key();
        let sandbox_mode = Environment::Sandbox;
        assert_eq!(
            sandbox.merchant_transaction_id_taken("DEFAULT", sandbox_mode, "ahead-1"),
            None
        );
        let first = charge(&mut sandbox, &key, "ahead-1", 2008);
        let reference = first.reference_data.clone().unwrap();
        let due = date(first.retry_date.as_deref());
        // The id is taken in this company and environment only.
        assert_eq!(
            sandbox.merchant_transaction_id_taken("DEFAULT", sandbox_mode, "ahead-1"),
            Some(first.transaction_id.clone())
        );
        assert_eq!(
            sandbox.merchant_transaction_id_taken("DEFAULT", Environment::Production, "ahead-1"),
            None
        );
        assert_eq!(
            sandbox.merchant_transaction_id_taken("NOPE", sandbox_mode, "ahead-1"),
            None
        );
        // Each predicted refusal is the one the sandbox then answers, word for word.
        let predicted_for =
            |s: &Sandbox, text: &str, count: u32, amount: i64, currency: &str, customer| {
                let currency = Currency::from_code(currency).ok();
                s.reference_data_refusal(
                    "DEFAULT",
                    sandbox_mode,
                    text,
                    count,
                    Some((amount, currency)),
                    customer,
                )
            };
        let predicted = |s: &Sandbox, text: &str, count: u32, amount: i64, currency: &str| {
            predicted_for(s, text, count, amount, currency, None)
        };
        // The payment's attempts sent customerId "cust-1". Another customer's retry is
        // refused for that before its count is judged: "send 3 with this referenceData" would
        // lead the caller further into charging one customer as another's recovery.
        // (merchant transaction id, referenceData, retryCount, amount, currency, customerId)
        type Case<'a> = (&'a str, &'a str, u32, i64, &'a str, Option<&'a str>);
        let cases: [Case<'_>; 7] = [
            ("r-customer", &reference, 3, 2008, "USD", Some("cust-B")),
            ("r-count", &reference, 3, 2008, "USD", Some("cust-1")),
            ("r-amount", &reference, 2, 2009, "USD", None),
            ("r-currency", &reference, 2, 2008, "EUR", Some(" cust-1 ")),
            ("r-unknown", "QUJDREVGR0g=", 2, 2008, "USD", Some("cust-B")),
            ("r-first", &reference, 1, 2008, "USD", Some("cust-1")),
            ("r-other", &reference, 2, 2008, "USD", Some("cust-1b")),
        ];
        for (id, text, count, amount, currency, customer) in cases {
            let message = predicted_for(&sandbox, text, count, amount, currency, customer)
                .unwrap_or_else(|| panic!("{id}: no refusal predicted"));
            let mut request = visa_charge(id, amount).retry_attempt(count, Some(text.to_owned()));
            request.currency_code = currency.into();
            request.customer_id = customer.map(str::to_owned);
            let answered = sandbox.charge(&key, request, due).unwrap();
            assert_eq!(answered.response_code.value(), 50132, "{id}");
            assert_eq!(answered.message.as_deref(), Some(message.as_str()), "{id}");
            if matches!(id, "r-customer" | "r-other") {
                assert!(
                    message.starts_with("referenceData belongs to another customer's payment: its attempts sent customerId \"cust-1\""),
                    "{message}"
                );
            }
            // Refused before any gateway, it did not use its id up.
            assert_eq!(
                sandbox.merchant_transaction_id_taken("DEFAULT", sandbox_mode, id),
                None
            );
        }
        // The retry that follows the chain is taken, and its value is then stale.
        assert_eq!(predicted(&sandbox, &reference, 2, 2008, "USD"), None);
        assert_eq!(
            sandbox.reference_data_refusal("DEFAULT", sandbox_mode, &reference, 2, None, None),
            None
        );
        let retry = visa_charge("ahead-2", 2008).retry_attempt(2, Some(reference.clone()));
        let answered = sandbox.charge(&key, retry, due).unwrap();
        assert_ne!(answered.response_code.value(), 50132);
        let stale = predicted(&sandbox, &reference, 3, 2008, "USD").unwrap();
        assert!(stale.contains("stale"), "{stale}");
        // Without the amount, only the chain and the count are judged.
        let next = answered.reference_data.unwrap();
        assert_eq!(
            sandbox.reference_data_refusal("DEFAULT", sandbox_mode, &next, 3, None, None),
            None
        );
        assert!(sandbox
            .reference_data_refusal("DEFAULT", sandbox_mode, &next, 2, None, None)
            .is_some());
        assert_eq!(
            sandbox.reference_data_refusal("NOPE", sandbox_mode, &next, 2, None, None),
            None
        );
    }

    #[test]
    fn the_retry_date_of_a_reference_says_when_flexpay_retries_sends_the_retry() {
        let (mut sandbox, key) = sandbox_with_flexpay_retries();
        let declined = sandbox
            .charge(&key, visa_charge("auto-1", 2008), t0())
            .unwrap();
        let reference = declined.reference_data.unwrap();
        let (due, by_flexpay) = sandbox
            .retry_date_of_reference("DEFAULT", Environment::Sandbox, &reference)
            .unwrap();
        assert!(by_flexpay);
        let given = declined.retry_date.as_deref();
        assert_eq!(
            given.and_then(|d| UtcTimestamp::parse_iso8601(d).ok()),
            Some(due)
        );
    }

    #[test]
    fn a_live_account_without_a_gateway_of_its_own_refuses_payments() {
        let (mut sandbox, _) = sandbox_with_key();
        let live = sandbox
            .console_principal("DEFAULT", Environment::Production)
            .unwrap();
        let refused = sandbox
            .submit_charge(&live, other_card_charge("live-1", 1000), t0())
            .unwrap();
        let refused = sandbox.respond(refused).unwrap();
        assert_eq!(refused.response_code.value(), 50130);
        assert!(
            refused
                .message
                .as_deref()
                .is_some_and(|m| m.contains("no Production gateway")),
            "{:?}",
            refused.message
        );
        assert_eq!(refused.gateway_token.as_deref(), Some(NO_GATEWAY_TOKEN));
        // FlexPay's own sandbox gateway is no live gateway, even when named.
        let mut named = other_card_charge("live-2", 1000);
        named.gateway_token = Some(BUILT_IN_GATEWAY_TOKEN.into());
        let named = sandbox.submit_charge(&live, named, t0()).unwrap();
        assert_eq!(named.response_code.value(), 50143);
        // The Sandbox keeps it.
        let test_side = sandbox
            .console_principal("DEFAULT", Environment::Sandbox)
            .unwrap();
        let sandbox_side = sandbox
            .submit_charge(&test_side, visa_charge("test-1", 1000), t0())
            .unwrap();
        let sandbox_side = sandbox.respond(sandbox_side).unwrap();
        assert_eq!(sandbox_side.response_code.value(), 10000);
        assert_eq!(
            sandbox_side.gateway_token.as_deref(),
            Some(BUILT_IN_GATEWAY_TOKEN)
        );
        // With a gateway of its own, the live account takes payments: the next test.
    }

    #[test]
    fn the_simulated_production_answers_a_real_card_by_the_trigger_rules() {
        let (mut sandbox, _) = sandbox_with_key();
        let live = live_console(&mut sandbox, "DEFAULT");
        let approved = sandbox
            .submit_charge(&live, other_card_charge("live-1", 1000), t0())
            .unwrap();
        assert_eq!(approved.response_code.value(), 10000);
        let declined = sandbox
            .submit_charge(&live, other_card_charge("live-2", 2008), t0())
            .unwrap();
        assert_eq!(declined.response_code.value(), 20003);
        // The same card with a Sandbox key is not a test card.
        let sandbox_side = sandbox
            .console_principal("DEFAULT", Environment::Sandbox)
            .unwrap();
        let refused = sandbox
            .submit_charge(&sandbox_side, other_card_charge("live-3", 1000), t0())
            .unwrap();
        assert_eq!(refused.response_code.value(), 30016);
    }

    #[test]
    fn several_currencies_are_echoed_in_their_own_minor_units() {
        let (mut sandbox, key) = sandbox_with_key();
        for (currency, amount) in [("EUR", 1999), ("JPY", 2008), ("GBP", 500)] {
            let mut request = visa_charge(&format!("cur-{currency}"), amount);
            request.currency_code = currency.into();
            let t = sandbox.charge(&key, request, t0()).unwrap();
            assert_eq!(t.currency_code.as_deref(), Some(currency));
            assert_eq!(t.amount, Some(amount));
        }
        // 2008 yen triggers exactly like 20.08 dollars.
        let jpy = sandbox
            .get_transaction_by_merchant_id(&key, "cur-JPY")
            .unwrap();
        assert_eq!(jpy.response_code, ResponseCode::DO_NOT_HONOR);
    }

    #[test]
    fn reference_data_must_be_the_latest_of_its_chain_with_the_next_retry_count() {
        let (mut sandbox, key) = sandbox_with_key();
        let first = charge(&mut sandbox, &key, "c-1", 2008);
        let reference = first.reference_data.clone();
        let due = date(first.retry_date.as_deref());
        let refused = |sandbox: &mut Sandbox, id: &str, count: u32, reference: Option<String>| {
            let request = visa_charge(id, 2008).retry_attempt(count, reference);
            let t = sandbox.charge(&key, request, due).unwrap();
            assert_eq!(t.response_code.value(), 50132, "{id}");
            t.message.unwrap()
        };
        assert!(
            refused(&mut sandbox, "c-bad", 2, Some("eyJyIjoyfQ==".into())).contains("not issued")
        );
        assert!(refused(&mut sandbox, "c-count", 5, reference.clone()).contains("send 2"));
        // Refusals are not attempts: the reference still works.
        let second = sandbox
            .charge(
                &key,
                visa_charge("c-2", 2008).retry_attempt(2, reference.clone()),
                due,
            )
            .unwrap();
        assert_eq!(second.response_code, ResponseCode::DO_NOT_HONOR);
        assert_ne!(second.reference_data, reference);
        assert!(refused(&mut sandbox, "c-stale", 3, reference).contains("stale"));
        // Early retries are processed and counted; 2008 is recovered by its third retry.
        let third = sandbox
            .charge(
                &key,
                visa_charge("c-3", 2008).retry_attempt(3, second.reference_data.clone()),
                due,
            )
            .unwrap();
        assert_eq!(third.response_code, ResponseCode::DO_NOT_HONOR);
        let fourth = sandbox
            .charge(
                &key,
                visa_charge("c-4", 2008).retry_attempt(4, third.reference_data.clone()),
                due,
            )
            .unwrap();
        assert_eq!(fourth.response_code, ResponseCode::APPROVED);
        assert_eq!(fourth.reference_data, None);
        assert!(refused(&mut sandbox, "c-closed", 5, third.reference_data).contains("over"));
        let chain = &sandbox.chains()[0];
        assert_eq!(chain.attempts.len(), 4);
        assert_eq!(chain.early_attempts, 2);
        assert_eq!(chain.outcome, ChainOutcome::Approved);

        // Another company cannot use this company's references.
        sandbox.create_company("Other", "OTHER1", t0()).unwrap();
        let other = sandbox
            .generate_api_key("o", "OTHER1", Environment::Sandbox, t0())
            .unwrap()
            .key;
        let open = charge(&mut sandbox, &key, "c-open", 2012);
        let foreign = visa_charge("c-foreign", 2012).retry_attempt(2, open.reference_data);
        assert_eq!(
            sandbox
                .charge(&other, foreign, due)
                .unwrap()
                .response_code
                .value(),
            50132
        );
    }

    #[test]
    fn a_retry_must_carry_its_payments_amount_and_currency() {
        let (mut sandbox, key) = sandbox_with_key();
        let first = charge(&mut sandbox, &key, "p-1", 2005);
        assert_eq!(first.response_code, ResponseCode::REFER_TO_CARD_ISSUER);
        let due = date(first.retry_date.as_deref());
        let retry = |id: &str, amount: i64, currency: &str| {
            let mut request =
                visa_charge(id, amount).retry_attempt(2, first.reference_data.clone());
            request.currency_code = currency.into();
            request
        };
        // 999.99 under the referenceData of a 20.05 payment: refused, worded, not an attempt.
        let other_amount = sandbox
            .charge(&key, retry("p-2", 99_999, "USD"), due)
            .unwrap();
        assert_eq!(other_amount.response_code.value(), 50132);
        assert_eq!(other_amount.transaction_status, TransactionStatus::Declined);
        let message = other_amount.message.unwrap();
        assert!(
            message.contains(
                "amount 99999 (999.99 USD) is not this payment's amount 2005 (20.05 USD)"
            ),
            "{message}"
        );
        assert!(message.contains("same payment"), "{message}");
        let other_currency = sandbox
            .charge(&key, retry("p-3", 2005, "EUR"), due)
            .unwrap();
        assert_eq!(other_currency.response_code.value(), 50132);
        let message = other_currency.message.unwrap();
        assert!(
            message.contains("currencyCode EUR is not this payment's USD"),
            "{message}"
        );
        let chain = &sandbox.chains()[0];
        assert_eq!(chain.attempts.len(), 1);
        assert_eq!(chain.outcome, ChainOutcome::InRecovery);

        // The same payment, resent: recovered for what was declined, never more.
        let recovered = sandbox
            .charge(&key, retry("p-4", 2005, "USD"), due)
            .unwrap();
        assert_eq!(recovered.response_code, ResponseCode::APPROVED);
        let chain = &sandbox.chains()[0];
        assert_eq!((chain.amount, chain.approved_amount), (2005, 2005));
        let summary = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                at_hours(48),
                t0(),
            )
            .unwrap();
        let usd = &summary.currencies[0];
        assert_eq!((usd.declined_amount, usd.recovered_amount), (2005, 2005));
        assert_eq!(usd.recovery_rate_basis_points, 10_000);
    }

    #[test]
    fn a_recovered_authorization_counts_what_is_captured_and_what_is_refunded_of_it() {
        let (mut sandbox, key) = sandbox_with_key();
        let first = sandbox
            .authorize(&key, visa_charge("a-1", 2005), t0())
            .unwrap();
        assert_eq!(first.response_code, ResponseCode::REFER_TO_CARD_ISSUER);
        let due = date(first.retry_date.as_deref());
        let retry = visa_charge("a-2", 2005).retry_attempt(2, first.reference_data);
        let approved = sandbox.authorize(&key, retry, due).unwrap();
        assert_eq!(approved.response_code, ResponseCode::APPROVED);
        let figures = |sandbox: &Sandbox| {
            let chain = &sandbox.chains()[0];
            let summary = sandbox
                .recovery_summary(
                    CompanyScope::One("DEFAULT"),
                    Environment::Sandbox,
                    t0(),
                    at_hours(72),
                    t0(),
                )
                .unwrap();
            let usd = &summary.currencies[0];
            (
                chain.approved_amount,
                chain.refunded_amount,
                usd.recovered_amount,
                usd.refunded_amount,
            )
        };
        // Approved and not captured yet: recovered at the authorized amount.
        assert_eq!(figures(&sandbox), (2005, 0, 2005, 0));

        // 12.00 of 20.05 captured: the other 8.05 is released, never taken.
        let capture = sandbox
            .capture(
                &key,
                &approved.transaction_id,
                CaptureRequest::partial("a-cap", 1200),
                due,
            )
            .unwrap();
        assert_eq!(capture.response_code, ResponseCode::APPROVED);
        assert_eq!(figures(&sandbox), (1200, 0, 1200, 0));

        // A refund of the capture comes off the recovery as a refund of a charge does.
        let refund = sandbox
            .refund(
                &key,
                &capture.transaction_id,
                RefundRequest::partial("a-ref", 500),
                due,
            )
            .unwrap();
        assert_eq!(refund.response_code, ResponseCode::APPROVED);
        assert_eq!(figures(&sandbox), (1200, 500, 1200, 500));
        let report = sandbox
            .console_report(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0().date(),
                at_hours(72).date(),
                t0(),
            )
            .unwrap();
        let refunds: i64 = report.reconciliation.iter().map(|row| row.refunds).sum();
        assert_eq!(refunds, 500);
    }

    #[test]
    fn a_retry_may_change_the_card_and_its_cvv_trigger_still_applies() {
        let (mut sandbox, key) = sandbox_with_key();
        let first = charge(&mut sandbox, &key, "card-1", 2005);
        let due = date(first.retry_date.as_deref());
        // A card that is not a test card declines as on any charge, and is not the end of
        // the payment's recovery.
        let unknown = other_card_charge("card-2", 2005).retry_attempt(2, first.reference_data);
        let declined = sandbox.charge(&key, unknown, due).unwrap();
        assert_eq!(declined.response_code, ResponseCode::INVALID_PARAMETERS);
        // Another test card with a declining CVV trigger: the retry model would approve the
        // first retry, the CVV trigger declines it.
        let second = charge(&mut sandbox, &key, "card-3", 2005);
        let mut mastercard = visa_charge("card-4", 2005).retry_attempt(2, second.reference_data);
        if let ChargePaymentMethod::Card {
            payment_method: card,
            ..
        } = &mut mastercard.payment_method
        {
            card.credit_card_number = TEST_CARDS[1].number.into();
            card.cvv = Some("201".into());
        }
        let cvv = sandbox
            .charge(&key, mastercard, date(second.retry_date.as_deref()))
            .unwrap();
        assert_eq!(cvv.response_code.value(), 30049);
    }

    #[test]
    fn a_chain_stops_at_fifteen_retries() {
        let (mut sandbox, key) = sandbox_with_key();
        let mut now = t0();
        let mut reference = None;
        let mut last = None;
        // 2012 (insufficient funds) is never recovered; its retryDate is three days out, so
        // the retries go a day apart (early) to reach fifteen within the 30 days.
        for retry_count in 1..=15u32 {
            let request = visa_charge(&format!("lim-{retry_count}"), 2012)
                .retry_attempt(retry_count, reference.take());
            let t = sandbox.charge(&key, request, now).unwrap();
            now = now.checked_add_seconds(24 * 3600).unwrap();
            reference = t.reference_data.clone();
            last = Some(t);
        }
        let last = last.unwrap();
        assert_eq!(last.response_code, ResponseCode::RETRY_LIMIT_REACHED);
        assert_eq!((last.retry_date, last.reference_data), (None, None));
        assert_eq!(sandbox.chains()[0].outcome, ChainOutcome::Declined);
        assert_eq!(sandbox.chains()[0].attempts.len(), 15);
    }

    #[test]
    fn a_company_with_lowered_limits_stops_sooner_and_says_at_what() {
        use crate::flexpay::sandbox::RecoveryLimits;
        let (mut sandbox, key) = sandbox_with_key();
        let three = RecoveryLimits {
            max_retries: 3,
            window_days: 30,
        };
        assert_eq!(sandbox.set_recovery_limits("default", three), Ok(three));
        assert_eq!(sandbox.recovery_limits("DEFAULT"), Ok(three));
        let mut now = t0();
        let mut reference = None;
        let mut answers = Vec::new();
        for retry_count in 1..=3u32 {
            let request = visa_charge(&format!("low-{retry_count}"), 2008)
                .retry_attempt(retry_count, reference.take());
            let t = sandbox.charge(&key, request, now).unwrap();
            if let Some(next) = t.retry_date.as_deref() {
                now = date(Some(next));
            }
            reference = t.reference_data.clone();
            answers.push(t);
        }
        let codes: Vec<u32> = answers.iter().map(|t| t.response_code.value()).collect();
        assert_eq!(codes, [20003, 20003, 30100]);
        let last = &answers[2];
        assert_eq!((&last.retry_date, &last.reference_data), (&None, &None));
        let message = last.message.as_deref().unwrap_or_default();
        assert!(message.contains("(3 retries or 30 days)"), "{message}");
        // The chain's timeline keeps the message of the attempt that says more than its code.
        let chains = sandbox.chains();
        let attempts = &chains.last().unwrap().attempts;
        let messages: Vec<Option<&str>> = attempts.iter().map(|a| a.message.as_deref()).collect();
        assert_eq!(messages, [None, None, Some(message)]);

        // A window of one day: the next day's retry date falls outside it at once.
        let one_day = RecoveryLimits {
            max_retries: 15,
            window_days: 1,
        };
        sandbox.set_recovery_limits("DEFAULT", one_day).unwrap();
        let first = sandbox
            .charge(&key, visa_charge("win-1", 2012), t0())
            .unwrap();
        assert_eq!(
            first.response_code.value(),
            30100,
            "a 72-hour retry date is past one day"
        );
        let message = first.message.as_deref().unwrap_or_default();
        assert!(message.contains("(15 retries or 1 day)"), "{message}");

        // Out of FlexPay's own limits: refused, and the limits stay.
        let refused = sandbox
            .set_recovery_limits(
                "DEFAULT",
                RecoveryLimits {
                    max_retries: 16,
                    window_days: 30,
                },
            )
            .unwrap_err();
        assert_eq!(
            refused.code,
            crate::flexpay::sandbox::error_code::INVALID_RECOVERY_LIMITS
        );
        assert_eq!(sandbox.recovery_limits("DEFAULT"), Ok(one_day));

        // Back to FlexPay's own: nothing kept in the snapshot, which loads the same limits.
        let snapshot = sandbox.to_snapshot();
        assert!(snapshot.contains("\"windowDays\":1"), "{snapshot}");
        let restored = Sandbox::from_snapshot(&snapshot).unwrap();
        assert_eq!(restored.recovery_limits("DEFAULT"), Ok(one_day));
        sandbox
            .set_recovery_limits("DEFAULT", RecoveryLimits::default())
            .unwrap();
        assert!(!sandbox.to_snapshot().contains("windowDays"));
        assert_eq!(
            sandbox.recovery_limits("NOPE").unwrap_err().code,
            crate::flexpay::sandbox::error_code::COMPANY_NOT_FOUND
        );
    }

    #[test]
    fn void_and_refund_scenarios_v1_to_v3() {
        let (mut sandbox, key) = sandbox_with_key();
        let v1 = charge(&mut sandbox, &key, "v1", 9000);
        let void = sandbox
            .void(&key, &v1.transaction_id, VoidRequest::new("v1-void"), t0())
            .unwrap();
        assert_eq!(void.response_code, ResponseCode::REVERSAL_FAILED);
        let refund = sandbox
            .refund(
                &key,
                &v1.transaction_id,
                RefundRequest::full("v1-refund"),
                t0(),
            )
            .unwrap();
        assert_eq!(
            (refund.response_code, refund.amount),
            (ResponseCode::APPROVED, Some(9000))
        );
        assert_eq!(refund.transaction_type, Some(TransactionType::Refund));
        assert_eq!(
            refund.payment_method.unwrap().credit_card_number.as_deref(),
            Some("492020******9560")
        );

        let v2 = charge(&mut sandbox, &key, "v2", 7514);
        let void = sandbox
            .void(&key, &v2.transaction_id, VoidRequest::new("v2-void"), t0())
            .unwrap();
        assert_eq!(void.response_code, ResponseCode::APPROVED);
        let after = sandbox
            .refund(
                &key,
                &v2.transaction_id,
                RefundRequest::full("v2-refund"),
                t0(),
            )
            .unwrap();
        assert_eq!(after.response_code.value(), 30066);
        let again = sandbox
            .void(&key, &v2.transaction_id, VoidRequest::new("v2-void2"), t0())
            .unwrap();
        assert_eq!(again.response_code.value(), 30066);

        let v3 = charge(&mut sandbox, &key, "v3", 9001);
        let refund = sandbox
            .refund(
                &key,
                &v3.transaction_id,
                RefundRequest::full("v3-refund"),
                t0(),
            )
            .unwrap();
        assert_eq!(refund.response_code, ResponseCode::APPROVED);
    }

    #[test]
    fn partial_refund_scenarios_p1_to_p3() {
        let (mut sandbox, key) = sandbox_with_key();
        let p1 = charge(&mut sandbox, &key, "p1", 9000);
        let full = sandbox
            .refund(
                &key,
                &p1.transaction_id,
                RefundRequest::partial("p1-r", 0),
                t0(),
            )
            .unwrap();
        assert_eq!(
            (full.response_code, full.amount),
            (ResponseCode::APPROVED, Some(9000))
        );

        let p2 = charge(&mut sandbox, &key, "p2", 7500);
        for (id, amount) in [("p2-r1", 4000), ("p2-r2", 3500)] {
            let t = sandbox
                .refund(
                    &key,
                    &p2.transaction_id,
                    RefundRequest::partial(id, amount),
                    t0(),
                )
                .unwrap();
            assert_eq!(
                (t.response_code, t.amount),
                (ResponseCode::APPROVED, Some(amount))
            );
        }
        let beyond = sandbox
            .refund(
                &key,
                &p2.transaction_id,
                RefundRequest::partial("p2-r3", 1),
                t0(),
            )
            .unwrap();
        assert_eq!(beyond.response_code, ResponseCode::INVALID_AMOUNT);
        let message = beyond.message.as_deref().unwrap_or_default();
        assert!(message.contains("already refunded in full"), "{message}");
        assert!(!message.contains("more than the 0"), "{message}");

        let p3 = charge(&mut sandbox, &key, "p3", 5000);
        let over = sandbox
            .refund(
                &key,
                &p3.transaction_id,
                RefundRequest::partial("p3-r", 5500),
                t0(),
            )
            .unwrap();
        assert_eq!(over.response_code.value(), 30015);
        assert_eq!(
            over.message.as_deref(),
            Some("invalid amount: 55.00 USD is more than the 50.00 USD left to refund on this transaction")
        );
        let trigger = sandbox
            .refund(
                &key,
                &p3.transaction_id,
                RefundRequest::partial("p3-t", 3016),
                t0(),
            )
            .unwrap();
        assert_eq!(trigger.response_code.value(), 30015);
        let negative = sandbox
            .refund(
                &key,
                &p3.transaction_id,
                RefundRequest::partial("p3-n", -1),
                t0(),
            )
            .unwrap();
        assert_eq!(negative.response_code.value(), 50137);
        let declined = charge(&mut sandbox, &key, "p4", 3016);
        let t = sandbox
            .refund(
                &key,
                &declined.transaction_id,
                RefundRequest::full("p4-r"),
                t0(),
            )
            .unwrap();
        assert_eq!(t.response_code.value(), 30011);
    }

    #[test]
    fn unknown_originals_answer_50131_with_http_200() {
        let (mut sandbox, key) = sandbox_with_key();
        for id in ["", "not-an-id", "00000000000000000000000000"] {
            let t = sandbox
                .refund(&key, id, RefundRequest::full(format!("u-{id}")), t0())
                .unwrap();
            assert_eq!(t.response_code.value(), 50131);
            assert_eq!(t.transaction_status, TransactionStatus::Declined);
            assert_eq!(
                t.message.as_deref(),
                Some("TransactionReferenceId: original transaction not found")
            );
        }
        let mine = charge(&mut sandbox, &key, "mine", 1000);
        sandbox.create_company("Other", "OTHER1", t0()).unwrap();
        let other = sandbox
            .generate_api_key("o", "OTHER1", Environment::Sandbox, t0())
            .unwrap()
            .key;
        let t = sandbox
            .void(&other, &mine.transaction_id, VoidRequest::new("x"), t0())
            .unwrap();
        assert_eq!(t.response_code.value(), 50131);
        let duplicate = sandbox
            .void(&key, &mine.transaction_id, VoidRequest::new("mine"), t0())
            .unwrap();
        assert_eq!(duplicate.response_code.value(), 50129);
        // Sent with a clock behind the charge: it did not exist yet.
        let before = t0().checked_add_seconds(-1).unwrap();
        let early = sandbox
            .refund(
                &key,
                &mine.transaction_id,
                RefundRequest::full("early"),
                before,
            )
            .unwrap();
        assert_eq!(early.response_code.value(), 50131);
        let void = sandbox
            .void(
                &key,
                &mine.transaction_id,
                VoidRequest::new("on-time"),
                t0(),
            )
            .unwrap();
        assert_eq!(void.response_code.value(), 10000);
    }

    #[test]
    fn authorize_then_capture_full_partial_and_too_much() {
        let (mut sandbox, key) = sandbox_with_key();
        let auth = sandbox
            .authorize(&key, visa_charge("a-1", 5000), t0())
            .unwrap();
        assert_eq!(auth.transaction_type, Some(TransactionType::Authorize));
        let too_much = sandbox
            .capture(
                &key,
                &auth.transaction_id,
                CaptureRequest::partial("a-1-c0", 5001),
                t0(),
            )
            .unwrap();
        assert_eq!(too_much.response_code, ResponseCode::INVALID_AMOUNT_FIELD);
        assert_eq!(
            too_much.message.as_deref(),
            Some(
                "invalid amount: the capture asks for 50.01 USD but 50.00 USD was authorized; \
                 capture at most the authorized amount"
            )
        );
        let partial = sandbox
            .capture(
                &key,
                &auth.transaction_id,
                CaptureRequest::partial("a-1-c1", 3000),
                t0(),
            )
            .unwrap();
        assert_eq!(
            (partial.response_code, partial.amount),
            (ResponseCode::APPROVED, Some(3000))
        );
        let second = sandbox
            .capture(
                &key,
                &auth.transaction_id,
                CaptureRequest::full("a-1-c2"),
                t0(),
            )
            .unwrap();
        assert_eq!(second.response_code.value(), 30065);
        let refund = sandbox
            .refund(
                &key,
                &partial.transaction_id,
                RefundRequest::full("a-1-r"),
                t0(),
            )
            .unwrap();
        assert_eq!(
            (refund.response_code, refund.amount),
            (ResponseCode::APPROVED, Some(3000))
        );

        let auth = sandbox
            .authorize(&key, visa_charge("a-2", 5000), t0())
            .unwrap();
        let full = sandbox
            .capture(
                &key,
                &auth.transaction_id,
                CaptureRequest::full("a-2-c"),
                t0(),
            )
            .unwrap();
        assert_eq!(full.amount, Some(5000));
        let auth = sandbox
            .authorize(&key, visa_charge("a-3", 5000), t0())
            .unwrap();
        let void = sandbox
            .void(&key, &auth.transaction_id, VoidRequest::new("a-3-v"), t0())
            .unwrap();
        assert_eq!(void.response_code, ResponseCode::APPROVED);
        let after_void = sandbox
            .capture(
                &key,
                &auth.transaction_id,
                CaptureRequest::full("a-3-c"),
                t0(),
            )
            .unwrap();
        assert_eq!(after_void.response_code.value(), 30066);
        let sale = charge(&mut sandbox, &key, "a-4", 1000);
        let not_auth = sandbox
            .capture(
                &key,
                &sale.transaction_id,
                CaptureRequest::full("a-4-c"),
                t0(),
            )
            .unwrap();
        assert_eq!(not_auth.response_code.value(), 30011);
    }

    #[test]
    fn refund_only_and_disabled_gateways_refuse_charges_but_refund() {
        let (mut sandbox, key) = sandbox_with_key();
        let gateway = Gateway::new("NMI", GatewayType::Nmi, "USD", GatewayStatus::Available);
        let token = sandbox
            .create_gateway(&key, gateway, t0())
            .unwrap()
            .id
            .unwrap();
        let sale = sandbox
            .charge(&key, visa_charge("g-1", 1000).gateway(token.clone()), t0())
            .unwrap();
        assert_eq!(sale.assigned_gateway_token.as_deref(), Some(token.as_str()));
        assert_eq!(sale.gateway_type, Some(GatewayType::Nmi));
        let auth = sandbox
            .authorize(&key, visa_charge("g-2", 1000), t0())
            .unwrap();
        assert_eq!(auth.gateway_token.as_deref(), Some(token.as_str()));
        for (status, n) in [(GatewayStatus::RefundOnly, 1), (GatewayStatus::Disabled, 2)] {
            sandbox
                .set_gateway_status(&key, &token, status, t0())
                .unwrap();
            let refused = sandbox
                .charge(
                    &key,
                    visa_charge(&format!("g-x{n}"), 1000).gateway(token.clone()),
                    t0(),
                )
                .unwrap();
            assert_eq!(refused.response_code.value(), 50130, "{status:?}");
            let capture = sandbox
                .capture(
                    &key,
                    &auth.transaction_id,
                    CaptureRequest::full(format!("g-c{n}")),
                    t0(),
                )
                .unwrap();
            assert_eq!(capture.response_code.value(), 50130, "{status:?}");
            let refund = sandbox
                .refund(
                    &key,
                    &sale.transaction_id,
                    RefundRequest::partial(format!("g-r{n}"), 100),
                    t0(),
                )
                .unwrap();
            assert_eq!(refund.gateway_token.as_deref(), Some(token.as_str()));
            let message =
                |response: &TransactionResponse| response.message.clone().unwrap_or_default();
            if status == GatewayStatus::RefundOnly {
                assert_eq!(refund.response_code, ResponseCode::APPROVED);
                assert!(
                    message(&capture).contains("is RefundOnly"),
                    "{}",
                    message(&capture)
                );
            } else {
                // Disabled: no processing at all (FlexPay's status mapping), voids included.
                let void = sandbox
                    .void(&key, &auth.transaction_id, VoidRequest::new("g-v"), t0())
                    .unwrap();
                for refused in [&refund, &void, &capture] {
                    assert_eq!(refused.response_code.value(), 50130);
                    assert!(
                        message(refused).contains("is Disabled: it processes nothing"),
                        "{}",
                        message(refused)
                    );
                }
            }
        }
    }

    #[test]
    fn gateway_payment_methods_use_the_amount_triggers() {
        let (mut sandbox, key) = sandbox_with_key();
        let method = GatewayPaymentMethodDetails {
            first_six_digits: Some("492020".into()),
            last_four_digits: Some("9560".into()),
            full_name: Some("Ada Lovelace".into()),
            postal_code: Some("10001".into()),
            city: Some("New York".into()),
            state: Some("NY".into()),
            ..GatewayPaymentMethodDetails::new("cus_P3x9")
        };
        let request = ChargeRequest::with_gateway_payment_method("gpm-1", "o", "USD", 2012, method)
            .customer("cus-1");
        let t = sandbox.charge(&key, request, t0()).unwrap();
        assert_eq!(t.response_code, ResponseCode::INSUFFICIENT_FUNDS);
        let pm = t.payment_method.unwrap();
        assert_eq!(pm.gateway_payment_method_id.as_deref(), Some("cus_P3x9"));
        assert_eq!(pm.last_four_digits.as_deref(), Some("9560"));
        assert_eq!(pm.credit_card_number.as_deref(), Some(""));
        assert_eq!(pm.cvv, None);
        assert_eq!(t.response.unwrap().cvv_code.as_deref(), Some("P"));
    }

    #[test]
    fn refunded_payment_stops_recovery() {
        let (mut sandbox, key) = sandbox_with_key();
        let open = charge(&mut sandbox, &key, "rp-1", 2008);
        let stop = sandbox
            .refunded_payment(
                &key,
                &open.transaction_id,
                RefundRequest::full("rp-2"),
                t0(),
            )
            .unwrap();
        assert_eq!(stop.response_code, ResponseCode::APPROVED);
        assert_eq!(stop.transaction_type.unwrap().as_str(), "RefundedPayment");
        assert_eq!(sandbox.chains()[0].outcome, ChainOutcome::Stopped);
        let retry = visa_charge("rp-3", 2008).retry_attempt(2, open.reference_data);
        assert_eq!(
            sandbox
                .charge(&key, retry, at_hours(24))
                .unwrap()
                .response_code
                .value(),
            50132
        );
    }

    #[test]
    fn transactions_are_found_by_id_and_merchant_id() {
        let (mut sandbox, key) = sandbox_with_key();
        let t = charge(&mut sandbox, &key, "find-1", 1000);
        assert_eq!(sandbox.get_transaction(&key, &t.transaction_id).unwrap(), t);
        assert_eq!(
            sandbox
                .get_transaction_by_merchant_id(&key, "find-1")
                .unwrap(),
            t
        );
        let missing = sandbox
            .get_transaction(&key, "00000000000000000000000000")
            .unwrap_err();
        assert_eq!(
            (missing.http_status, missing.code),
            (404, code::TRANSACTION_NOT_FOUND)
        );
        let refused = sandbox
            .charge(&key, visa_charge("find-2", -1), t0())
            .unwrap();
        assert!(sandbox
            .get_transaction(&key, &refused.transaction_id)
            .is_ok());
        assert!(sandbox
            .get_transaction_by_merchant_id(&key, "find-2")
            .is_err());
    }

    #[test]
    fn the_same_seed_and_calls_give_the_same_sandbox() {
        let run = |seed| {
            let mut sandbox = Sandbox::new(seed);
            let key = sandbox
                .generate_api_key("k", "DEFAULT", Environment::Sandbox, t0())
                .unwrap()
                .key;
            let t = sandbox
                .charge(&key, visa_charge("s-1", 2008), t0())
                .unwrap();
            (key, t, sandbox.to_snapshot())
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1).1.transaction_id, run(2).1.transaction_id);
    }

    #[test]
    fn a_thousand_chains_stay_coherent() {
        let (mut sandbox, key) = sandbox_with_key();
        let principal = sandbox.authenticate(&key).unwrap();
        let mut rng = super::super::tokens::SplitMix64::new(1000);
        let mut expected_recovered = 0u32;
        let mut expected_attempts = 0usize;
        for chain in 0..1000u32 {
            // The merchant gives up after `length` attempts, if the chain has not ended.
            let length = (rng.next_u64() % 15) as u32 + 1;
            // Every attempt re-sends the payment's amount; the retry model decides: 2005 is
            // recovered by attempt 2, 2008 by attempt 4, and 2012 (retried three days
            // apart) reaches the 30-day window at attempt 11.
            let amount = [2005, 2008, 2012][(rng.next_u64() % 3) as usize];
            let (approved_on, limit_on) = match amount {
                2005 => (2, u32::MAX),
                2008 => (4, u32::MAX),
                _ => (u32::MAX, 11),
            };
            let mut now = t0();
            let mut reference: Option<String> = None;
            for attempt in 1..=length {
                let request = ChargeRequest::with_card(
                    format!("k{chain}-{attempt}"),
                    format!("order-{chain}"),
                    "USD",
                    amount,
                    visa(),
                )
                .customer("bulk")
                .retry_attempt(attempt, reference.take());
                let receipt = sandbox.submit_charge(&principal, request, now).unwrap();
                expected_attempts += 1;
                if attempt == approved_on {
                    assert_eq!(receipt.response_code, ResponseCode::APPROVED);
                    expected_recovered += 1;
                    break;
                } else if attempt == limit_on {
                    assert_eq!(receipt.response_code, ResponseCode::RETRY_LIMIT_REACHED);
                    break;
                }
                assert_eq!(
                    receipt.response_code.category(),
                    ResponseCategory::SoftDecline
                );
                now = receipt.retry_date.unwrap();
                reference = receipt.reference_data.map(|r| r.to_string());
            }
        }
        let chains = sandbox.chains();
        assert_eq!(chains.len(), 1000);
        assert_eq!(
            chains.iter().map(|c| c.attempts.len()).sum::<usize>(),
            expected_attempts
        );
        let recovered = chains
            .iter()
            .filter(|c| c.outcome == ChainOutcome::Approved)
            .count();
        assert_eq!(recovered as u32, expected_recovered);
        let summary = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                at_hours(24 * 60),
                t0(),
            )
            .unwrap();
        assert_eq!(summary.currencies[0].recovered_count, expected_recovered);
        assert_eq!(summary.currencies[0].declined_count, 1000);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            #[test]
            fn any_charge_or_follow_up_is_answered_without_panicking(
                id in ".{0,12}",
                currency in "[A-Z]{0,4}",
                amount in any::<i64>(),
                number in "[0-9]{0,20}",
                cvv in proptest::option::of("[0-9]{3,4}"),
                retry_count in any::<u32>(),
                reference in proptest::option::of(".{0,30}"),
                gateway in proptest::option::of(".{0,30}"),
                original in ".{0,30}",
                refund in proptest::option::of(any::<i64>()),
            ) {
                let (mut sandbox, key) = sandbox_with_key();
                let mut card = CreditCardDetails::new(number, "07", "2024");
                card.cvv = cvv;
                let mut request = ChargeRequest::with_card(id.clone(), "o", currency, amount, card)
                    .retry_attempt(retry_count, reference);
                request.gateway_token = gateway;
                let t = sandbox.charge(&key, request, t0()).unwrap();
                let refund_request = RefundRequest { amount: refund, ..RefundRequest::full(format!("{id}-r")) };
                sandbox.refund(&key, &t.transaction_id, refund_request.clone(), t0()).unwrap();
                sandbox.refund(&key, &original, refund_request, t0()).unwrap();
                sandbox.void(&key, &t.transaction_id, VoidRequest::new(format!("{id}-v")), t0()).unwrap();
                sandbox.capture(&key, &t.transaction_id, CaptureRequest::full(format!("{id}-c")), t0()).unwrap();
                let text = sandbox.to_snapshot();
                prop_assert_eq!(Sandbox::from_snapshot(&text).unwrap().to_snapshot(), text);
            }
        }
    }
}
