//! Builds FlexPay's wire answers from the compact records, only when asked: the engine itself
//! never formats a response.

use crate::flexpay::payment_method::{
    CardType, PaymentMethodRecord, PaymentMethodType, StorageState,
};
use crate::flexpay::response_code::ResponseCode;
use crate::flexpay::transaction::{
    PaymentModel, ShippingAddress, TransactionResponse, VerificationResult,
};
use crate::flexpay::verification::CvvResult;

use super::gateways::GatewayRef;
use super::transactions::{status_of, EchoField, Kind, TransactionRecord};
use super::Sandbox;

/// Salts deriving the other ids of a transaction from its own.
pub(super) const PAYMENT_METHOD_SALT: u128 = 0x5041_594D_4554_484F_4400_0000_0000_0001;
const CUSTOMER_SALT: u128 = 0x4355_5354_4F4D_4552_0000_0000_0000_0002;
const GATEWAY_TRANSACTION_SALT: u128 = 0x4741_5445_5741_5954_5800_0000_0000_0003;

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // The messages are English: an ASCII capital, without Unicode's case tables.
        Some(first) => core::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

pub(crate) fn message_for(code: ResponseCode) -> String {
    capitalized(code.meaning().unwrap_or("declined"))
}

/// A GUID-shaped id, for the `customerId` FlexPay generates when none was sent.
fn guid(value: u128) -> String {
    let hex = format!("{value:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

impl Sandbox {
    pub(crate) fn storage_state(record: &TransactionRecord) -> StorageState {
        if record.redacted {
            StorageState::Redacted
        } else if record.stored {
            StorageState::Stored
        } else {
            StorageState::Cached
        }
    }

    /// The transaction whose payment method `record` shows: a follow-up's original, a
    /// vaulted payment's or vault call's stored method, else the record itself.
    pub(crate) fn method_owner<'a>(
        &'a self,
        record: &'a TransactionRecord,
    ) -> &'a TransactionRecord {
        let get = |position: u32| self.state.transactions.get(position as usize);
        let owner = record.original.and_then(get).unwrap_or(record);
        owner.vault.and_then(get).unwrap_or(owner)
    }

    pub(crate) fn payment_method_record(
        &self,
        record: &TransactionRecord,
    ) -> Option<PaymentMethodRecord> {
        let values = record.echo.values();
        let text = |field: EchoField| values[field as usize].map(str::to_owned);
        let gateway_stored = values[EchoField::GatewayPaymentMethodId as usize].is_some();
        if record.card.is_none() && !gateway_stored {
            return None;
        }
        // A follow-up shows its original's payment method, and a vaulted payment the one of
        // the transaction that retained the card.
        let owner = self.method_owner(record);
        let id = owner.id.derived(PAYMENT_METHOD_SALT).to_string();
        let card = record.card;
        Some(PaymentMethodRecord {
            payment_method_id: Some(id.clone()),
            credit_card_number: Some(card.map(|c| c.masked()).unwrap_or_default()),
            expiry_month: text(EchoField::ExpiryMonth),
            expiry_year: text(EchoField::ExpiryYear),
            cvv: card.filter(|c| c.cvv_sent).map(|_| "***".to_owned()),
            first_name: text(EchoField::FirstName),
            last_name: text(EchoField::LastName),
            full_name: text(EchoField::FullName),
            customer_id: Some(self.customer_id(owner)),
            address1: text(EchoField::Address1),
            address2: text(EchoField::Address2),
            postal_code: text(EchoField::PostalCode),
            city: text(EchoField::City),
            state: text(EchoField::State),
            country: text(EchoField::Country),
            email: text(EchoField::Email),
            phone_number: text(EchoField::PhoneNumber),
            payment_method_type: Some(if gateway_stored {
                PaymentMethodType::GatewayPaymentMethodId
            } else {
                PaymentMethodType::CreditCard
            }),
            fingerprint: Some(id),
            last_four_digits: card
                .map(|c| c.last_four())
                .or_else(|| text(EchoField::LastFourDigits)),
            first_six_digits: card
                .map(|c| c.first_six())
                .or_else(|| text(EchoField::FirstSixDigits)),
            card_type: card
                .and_then(|c| c.brand)
                .and_then(|brand| brand.flexpay_card_type())
                .map(CardType::from_wire),
            date_created: Some(owner.date.to_string()),
            storage_state: Some(Self::storage_state(owner)),
            gateway_payment_method_id: text(EchoField::GatewayPaymentMethodId),
            merchant_account_reference_id: if gateway_stored {
                text(EchoField::MerchantAccountReferenceId)
            } else {
                None
            },
        })
    }

    fn customer_id(&self, owner: &TransactionRecord) -> String {
        owner
            .echo
            .get(EchoField::CustomerId)
            .map(str::to_owned)
            .unwrap_or_else(|| guid(owner.id.derived(CUSTOMER_SALT).0))
    }

    pub(crate) fn message(record: &TransactionRecord) -> String {
        record
            .note
            .as_deref()
            .map_or_else(|| message_for(record.code), str::to_owned)
    }

    pub(crate) fn build_response(&self, record: &TransactionRecord) -> TransactionResponse {
        let values = record.echo.values();
        let text = |field: EchoField| values[field as usize].map(str::to_owned);
        // A required text field a refused request did not send is stored as the empty
        // placeholder (an empty one sent is refused as missing too): echoed as null, as the
        // response's `string | null` says, never as "". The record keeps it as it was.
        let sent = |value: Option<String>| value.filter(|v| !v.is_empty());
        let reached = record.gateway != GatewayRef::NotReached;
        let gateway = self.gateway_fields(record.gateway);
        let verification = record.avs.map(|avs| {
            let cvv = record.cvv.unwrap_or(CvvResult::NotProcessed);
            VerificationResult {
                avs_code: Some(avs.letter().to_owned()),
                avs_message: Some(capitalized(avs.meaning())),
                cvv_code: Some(cvv.letter().to_owned()),
                cvv_message: Some(capitalized(cvv.meaning())),
                error_code: None,
                error_detail: None,
            }
        });
        let shows_order = record.kind.is_payment() || reached;
        let shipping = shows_order.then(|| ShippingAddress {
            address1: text(EchoField::ShippingAddress1),
            address2: text(EchoField::ShippingAddress2),
            postal_code: text(EchoField::ShippingPostalCode),
            city: text(EchoField::ShippingCity),
            state: text(EchoField::ShippingState),
            country: text(EchoField::ShippingCountry),
        });
        let owner = record
            .original
            .and_then(|position| self.state.transactions.get(position as usize))
            .unwrap_or(record);
        TransactionResponse {
            response: verification,
            payment_method: self.payment_method_record(record),
            transaction_id: record.id.to_string(),
            transaction_date: Some(record.date.to_string()),
            transaction_status: status_of(record.code),
            message: Some(Self::message(record)),
            response_code: record.code,
            transaction_type: Some(record.kind.transaction_type()),
            // A vault call has no merchant transaction id.
            merchant_transaction_id: sent(
                (!record.kind.is_vault()).then(|| record.merchant_transaction_id.to_string()),
            ),
            customer_id: shows_order.then(|| self.customer_id(owner)),
            currency_code: sent(
                record
                    .currency
                    .map(|c| c.code().to_owned())
                    .or_else(|| text(EchoField::CurrencyCode)),
            ),
            amount: record.amount,
            gateway_token: Some(gateway.token.clone()),
            gateway_type: Some(gateway.gateway_type),
            gateway_transaction_id: reached.then(|| {
                format!(
                    "sbx-{:016x}",
                    record.id.derived(GATEWAY_TRANSACTION_SALT).0 as u64
                )
            }),
            merchant_account_reference_id: gateway.merchant_account_reference_id.map(str::to_owned),
            assigned_gateway_token: Some(gateway.token),
            order_id: sent(text(EchoField::OrderId)),
            retry_date: record.retry_date.map(|date| date.to_string()),
            retry_count: record.retry_count,
            date_first_attempt: record.date_first_attempt.map(|date| date.to_string()),
            description: text(EchoField::Description),
            product_sku: text(EchoField::ProductSku),
            subscription_id: None,
            customer_ip: text(EchoField::CustomerIp),
            shipping_address: shipping,
            reference_data: record.reference_data.map(|r| r.to_string()),
            disable_customer_recovery: record.disable_customer_recovery,
            engaged_recovery_state: shows_order.then_some(0),
            custom_variable1: text(EchoField::CustomVariable1),
            custom_variable2: text(EchoField::CustomVariable2),
            custom_variable3: text(EchoField::CustomVariable3),
            custom_variable4: text(EchoField::CustomVariable4),
            custom_variable5: text(EchoField::CustomVariable5),
            payment_model: (record.kind == Kind::Charge || record.kind == Kind::Authorize)
                .then(|| text(EchoField::PaymentModel).map(|m| PaymentModel::from_wire(&m)))
                .flatten(),
            gateway_specific_fields: None,
            gateway_specific_response_fields: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_have_the_usual_shape() {
        let text = guid(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(text, "01234567-89ab-cdef-0123-456789abcdef");
    }

    #[test]
    fn messages_come_from_the_code_table() {
        assert_eq!(message_for(ResponseCode::APPROVED), "Approved");
        assert_eq!(message_for(ResponseCode::DO_NOT_HONOR), "Do not honor");
        assert_eq!(message_for(ResponseCode::new(59999).unwrap()), "Declined");
        assert_eq!(capitalized(""), "");
    }
}
