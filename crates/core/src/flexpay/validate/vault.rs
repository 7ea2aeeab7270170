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
