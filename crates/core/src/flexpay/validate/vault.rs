//! Vault calls: storing a payment method.

use crate::flexpay::payment_method::{CreatePaymentMethodRequest, PaymentMethodToVault};
use crate::validation::{code, Validation};

use super::checks::{self, is_blank, optional_text, At};
use super::{limits, ValidationContext};

/// Validates the body of `POST /v1/paymentmethods` (`{"paymentMethod": {...}}`): a raw card
/// (`creditCard`) or a card stored at the gateway (`gatewayPaymentMethod`). Paths start at
/// `paymentMethod`.
pub fn validate_create_payment_method(
    request: &CreatePaymentMethodRequest,
    ctx: &ValidationContext,
) -> Validation {
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "paymentMethod");
    optional_text(
        &mut at,
        "customerId",
        request.customer_id.as_deref(),
        limits::CUSTOMER_ID,
    );
    match &request.method {
        PaymentMethodToVault::CreditCard(card) => {
            checks::credit_card(&mut at.within("paymentMethod.creditCard"), card, ctx);
        }
        PaymentMethodToVault::GatewayPaymentMethod(method) => {
            // A gateway token means nothing without the customer it belongs to.
            if is_blank(request.customer_id.as_deref()) {
                at.error(
                    "customerId",
                    code::REQUIRED,
                    "customerId is missing: a gateway payment method is stored for a customer, \
                     so send the customer's id.",
                );
            }
            checks::gateway_payment_method(
                &mut at.within("paymentMethod.gatewayPaymentMethod"),
                method,
                ctx,
            );
        }
    }
    validation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::payment_method::CreditCardDetails;
    use crate::flexpay::test_cards::TEST_CARDS;
    use crate::validation::Severity;

    use super::super::fixtures::*;

    #[test]
    fn storing_a_card_or_a_gateway_token() {
        let ctx = production();
        let card = CreatePaymentMethodRequest::credit_card(Some("cust-30418".into()), card());
        assert_clean(&validate_create_payment_method(&card, &ctx));
        let anonymous = CreatePaymentMethodRequest::credit_card(None, card_only());
        assert_clean(&validate_create_payment_method(&anonymous, &ctx));
        let gateway =
            CreatePaymentMethodRequest::gateway_payment_method("cust-30418", gateway_method());
        assert_clean(&validate_create_payment_method(&gateway, &ctx));
    }

    fn card_only() -> CreditCardDetails {
        CreditCardDetails {
            email: None,
            ..card()
        }
    }

    #[test]
    fn vault_paths_start_at_the_payment_method_envelope() {
        let ctx = production();
        let card = CreditCardDetails {
            cvv: Some("12345".into()),
            expiry_year: "28".into(),
            ..card()
        };
        let v = validate_create_payment_method(
            &CreatePaymentMethodRequest::credit_card(None, card),
            &ctx,
        );
        assert_problems(
            &v,
            &[
                ("paymentMethod.creditCard.cvv", code::INVALID_CVV),
                ("paymentMethod.creditCard.expiryYear", code::INVALID_FORMAT),
            ],
        );
        let mut gateway = CreatePaymentMethodRequest::gateway_payment_method("", gateway_method());
        gateway.customer_id = None;
        if let PaymentMethodToVault::GatewayPaymentMethod(method) = &mut gateway.method {
            method.last_four_digits = Some("424".into());
        }
        assert_problems(
            &validate_create_payment_method(&gateway, &ctx),
            &[
                ("paymentMethod.customerId", code::REQUIRED),
                (
                    "paymentMethod.gatewayPaymentMethod.lastFourDigits",
                    code::INVALID_FORMAT,
                ),
            ],
        );
    }

    #[test]
    fn sandbox_test_cards_can_be_vaulted_in_the_sandbox_only() {
        for test_card in &TEST_CARDS {
            let card = CreditCardDetails {
                full_name: Some("Avery Quinn".into()),
                postal_code: Some("97205".into()),
                city: Some("Portland".into()),
                state: Some("OR".into()),
                ..CreditCardDetails::from_test_card(test_card)
            };
            let request = CreatePaymentMethodRequest::credit_card(Some("cust-1".into()), card);
            assert_clean(&validate_create_payment_method(&request, &sandbox()));
            assert_one(
                &validate_create_payment_method(&request, &production()),
                "paymentMethod.creditCard.expiryYear",
                code::EXPIRED,
                Severity::Error,
            );
        }
    }
}
