//! Charge and authorize, capture, void, refund and refunded-payment requests.

use crate::flexpay::transaction::{
    CaptureRequest, ChargePaymentMethod, ChargeRequest, PaymentModel, PreviousTransaction,
    RefundRequest, ShippingAddress, VoidRequest,
};
use crate::validation::{code, Validation};

use super::checks::{self, given, is_blank, optional_text, required_text, At};
use super::{limits, ValidationContext};

/// Validates the body of a charge or an authorize (`{"transaction": {...}}`), whichever of
/// the three payment-method variants it uses. Paths start at `transaction`.
///
/// The typed request cannot tell whether its gateway token arrived as the deprecated
/// `assignedGatewayToken`; [`super::validate_charge_json`] reports that.
pub fn validate_charge(request: &ChargeRequest, ctx: &ValidationContext) -> Validation {
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "transaction");
    checks::merchant_transaction_id(&mut at, &request.merchant_transaction_id);
    required_text(
        &mut at,
        "orderId",
        &request.order_id,
        limits::ORDER_ID,
        "send the id of the order this payment is for",
    );
    optional_text(
        &mut at,
        "description",
        request.description.as_deref(),
        limits::DESCRIPTION,
    );
    optional_text(
        &mut at,
        "customerId",
        request.customer_id.as_deref(),
        limits::CUSTOMER_ID,
    );
    checks::currency(&mut at, "currencyCode", &request.currency_code);
    checks::amount(&mut at, "amount", request.amount);
    if let Some(ip) = given(request.customer_ip.as_deref()) {
        checks::ip_address(&mut at, "customerIp", ip);
    }
    optional_text(
        &mut at,
        "gatewayToken",
        request.gateway_token.as_deref(),
        limits::GATEWAY_TOKEN,
    );
    retry_chain(
        &mut at,
        request.retry_count,
        request.reference_data.as_deref(),
    );
    // Blank is no date either: FlexPay refuses the whole request for it (HTTP 400, reference
    // §8), as it does any text it cannot read as one; leave the field out or send null.
    if let Some(date) = request.date_first_attempt.as_deref() {
        checks::past_timestamp(&mut at, "dateFirstAttempt", date, ctx.now);
    }
    for (field, value) in [
        ("customVariable1", &request.custom_variable1),
        ("customVariable2", &request.custom_variable2),
        ("customVariable3", &request.custom_variable3),
        ("customVariable4", &request.custom_variable4),
        ("customVariable5", &request.custom_variable5),
    ] {
        optional_text(&mut at, field, value.as_deref(), limits::CUSTOM_VARIABLE);
    }
    if let Some(PaymentModel::Other(model)) = &request.payment_model {
        if !model.is_empty() {
            at.error(
                "paymentModel",
                code::INVALID_VALUE,
                "paymentModel must be \"onetime\", \"subscription\" or \"installment\" (lower \
                 case), or be left out.",
            );
        }
    }
    if let Some(address) = &request.shipping_address {
        shipping_address(&mut at.within("transaction.shippingAddress"), address);
    }
    if let Some(plan) = &request.payment_plan {
        let mut at = at.within("transaction.paymentPlan");
        optional_text(
            &mut at,
            "sku",
            plan.sku.as_deref(),
            limits::PAYMENT_PLAN_FIELD,
        );
        optional_text(
            &mut at,
            "category",
            plan.category.as_deref(),
            limits::PAYMENT_PLAN_FIELD,
        );
        optional_text(
            &mut at,
            "billingPlan",
            plan.billing_plan.as_deref(),
            limits::PAYMENT_PLAN_FIELD,
        );
    }
    if let Some(previous) = request
        .references
        .as_ref()
        .and_then(|r| r.previous_transaction.as_ref())
    {
        previous_transaction(
            &mut at.within("transaction.References.PreviousTransaction"),
            previous,
            ctx,
        );
    }

    let email = match &request.payment_method {
        ChargePaymentMethod::Card { payment_method, .. } => {
            checks::credit_card(
                &mut at.within("transaction.paymentMethod"),
                payment_method,
                ctx,
            );
            Some(payment_method.email.as_deref())
        }
        ChargePaymentMethod::GatewayPaymentMethod { payment_method } => {
            checks::gateway_payment_method(
                &mut at.within("transaction.paymentMethod"),
                payment_method,
                ctx,
            );
            Some(payment_method.email.as_deref())
        }
        ChargePaymentMethod::Vaulted { payment_method_id } => {
            payment_method_id_token(&mut at, payment_method_id);
            // The vaulted method already carries the customer it was stored for.
            None
        }
    };
    if let Some(email) = email {
        if is_blank(request.customer_id.as_deref()) && is_blank(email) {
            at.error(
                "customerId",
                code::REQUIRED,
                "FlexPay needs customerId or paymentMethod.email to tell whose card this is \
                 (50048): send at least one.",
            );
        }
    }
    validation
}

/// The rules the Integration Guide sets for `retryCount` and `referenceData`; see the table
/// in the module docs.
fn retry_chain(at: &mut At<'_>, retry_count: u32, reference_data: Option<&str>) {
    const FIELD: &str = "referenceData";
    // The guide speaks of referenceData "emptied (null)": an empty string counts as none, and
    // so does a blank one, a value lost on its way to storage.
    let reference_data = reference_data.filter(|r| !r.trim().is_empty());
    match (retry_count, reference_data) {
        (0, Some(_)) => at.warn(
            FIELD,
            code::REFERENCE_DATA_WITHOUT_RETRY,
            "referenceData is sent with retryCount 0, which starts a new chain of attempts. If \
             this continues an earlier chain, send that chain's next retryCount; if it is a new \
             payment, send referenceData null.",
        ),
        (2.., None) => at.error(
            FIELD,
            code::RETRY_COUNT_WITHOUT_REFERENCE_DATA,
            format!(
                "retryCount is {retry_count} but referenceData is missing: send the \
                 referenceData of FlexPay's answer to the previous attempt, unchanged. Without \
                 it FlexPay cannot link this attempt to the earlier ones. A new payment starts \
                 at retryCount 1 (or 0 when FlexPay makes the very first attempt)."
            ),
        ),
        (_, Some(data)) => {
            if checks::within_length(at, FIELD, data, limits::REFERENCE_DATA)
                && !data.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
                })
            {
                at.warn(
                    FIELD,
                    code::INVALID_FORMAT,
                    "referenceData holds characters FlexPay's values never contain (spaces, \
                     quotes, escapes, ...); it must be echoed exactly as FlexPay returned it, so \
                     check that it was not altered when stored.",
                );
            }
        }
        (_, None) => {}
    }
}

fn payment_method_id_token(at: &mut At<'_>, token: &str) {
    const FIELD: &str = "paymentMethodId";
    if !required_text(
        at,
        FIELD,
        token,
        limits::PAYMENT_METHOD_ID,
        "send the vault token FlexPay returned when the card was stored",
    ) {
        return;
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        at.error(
            FIELD,
            code::INVALID_FORMAT,
            "paymentMethodId must be the vault token exactly as FlexPay returned it, without \
             spaces or other characters around it.",
        );
    }
}

fn shipping_address(at: &mut At<'_>, address: &ShippingAddress) {
    optional_text(
        at,
        "address1",
        address.address1.as_deref(),
        limits::ADDRESS_LINE,
    );
    optional_text(
        at,
        "address2",
        address.address2.as_deref(),
        limits::ADDRESS_LINE,
    );
    optional_text(
        at,
        "postalCode",
        address.postal_code.as_deref(),
        limits::POSTAL_CODE,
    );
    optional_text(at, "city", address.city.as_deref(), limits::CITY);
    optional_text(at, "state", address.state.as_deref(), limits::STATE);
    if let Some(country) = given(address.country.as_deref()) {
        checks::country(at, "country", country);
    }
}

fn previous_transaction(at: &mut At<'_>, previous: &PreviousTransaction, ctx: &ValidationContext) {
    optional_text(
        at,
        "merchantAccountReferenceId",
        previous.merchant_account_reference_id.as_deref(),
        limits::MERCHANT_ACCOUNT_REFERENCE_ID,
    );
    optional_text(
        at,
        "gatewayCode",
        previous.gateway_code.as_deref(),
        limits::GATEWAY_CODE,
    );
    optional_text(
        at,
        "gatewayMesage",
        previous.gateway_message.as_deref(),
        limits::GATEWAY_MESSAGE,
    );
    if let Some(date) = given(previous.transaction_date.as_deref()) {
        checks::past_timestamp(at, "transactionDate", date, ctx.now);
    }
}

/// Validates the body of a capture. Without `amount` the whole authorization is captured.
pub fn validate_capture(request: &CaptureRequest, ctx: &ValidationContext) -> Validation {
    let _ = ctx;
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "transaction");
    checks::merchant_transaction_id(&mut at, &request.merchant_transaction_id);
    if let Some(amount) = request.amount {
        checks::amount(&mut at, "amount", amount);
    }
    validation
}

/// Validates the body of a void.
pub fn validate_void(request: &VoidRequest, ctx: &ValidationContext) -> Validation {
    let _ = ctx;
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "transaction");
    checks::merchant_transaction_id(&mut at, &request.merchant_transaction_id);
    validation
}

/// Validates the body of a refund, or of a refunded-payment notice (the same body). Without
/// `amount` the whole charge is refunded. The sandbox's partial-refund table (scenario P1)
/// treats an `amount` of 0 as a full refund too, so 0 is only a warning here.
pub fn validate_refund(request: &RefundRequest, ctx: &ValidationContext) -> Validation {
    let _ = ctx;
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "transaction");
    checks::merchant_transaction_id(&mut at, &request.merchant_transaction_id);
    match request.amount {
        Some(0) => at.warn(
            "amount",
            code::ZERO_AMOUNT,
            "amount 0 means the whole charge; omit amount to say so explicitly",
        ),
        Some(amount) => checks::amount(&mut at, "amount", amount),
        None => {}
    }
    validation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::payment_method::CreditCardDetails;
    use crate::flexpay::test_cards::TEST_CARDS;
    use crate::flexpay::transaction::{PaymentPlan, References};
    use crate::validation::Severity;

    use super::super::fixtures::*;

    fn charge_with_card(change: impl FnOnce(&mut CreditCardDetails)) -> ChargeRequest {
        let mut card = card();
        change(&mut card);
        ChargeRequest::with_card("rebill-1", "order-1", "USD", 2008, card).customer("cust-1")
    }

    fn card_problem(change: impl FnOnce(&mut CreditCardDetails)) -> Validation {
        validate_charge(&charge_with_card(change), &production())
    }

    #[test]
    fn the_sandbox_cvv_triggers_reach_the_american_express_test_card() {
        let amex = |cvv: &str, number: &str| {
            charge_with_card(|c| {
                c.credit_card_number = number.into();
                c.expiry_month = "07".into();
                // The test cards' printed expiry is past, and the sandbox takes it.
                c.expiry_year = if number == "341674949684898" {
                    "2024"
                } else {
                    "2030"
                }
                .into();
                c.cvv = Some(cvv.into());
            })
        };
        let test_card = "341674949684898";
        for trigger in crate::flexpay::test_cards::CVV_TRIGGERS {
            assert_clean(&validate_charge(&amex(trigger, test_card), &sandbox()));
        }
        assert_clean(&validate_charge(&amex("1000", test_card), &sandbox()));
        // Not a trigger, not the sandbox, or not a test card: four digits, as printed.
        let path = "transaction.paymentMethod.cvv";
        assert_one(
            &validate_charge(&amex("203", test_card), &sandbox()),
            path,
            code::INVALID_CVV,
            Severity::Error,
        );
        assert_problems(
            &validate_charge(&amex("201", "378282246310005"), &sandbox()),
            &[
                (path, code::INVALID_CVV),
                (
                    "transaction.paymentMethod.creditCardNumber",
                    code::NOT_A_TEST_CARD,
                ),
            ],
        );
        let live = validate_charge(&amex("201", test_card), &production());
        assert!(live
            .problems()
            .iter()
            .any(|p| p.path == path && p.code == code::INVALID_CVV));
    }

    #[test]
    fn realistic_requests_of_every_variant_pass() {
        let ctx = production();
        let mut full = card_charge()
            .gateway("G4T3W4YS4NDB0X0000000000AB")
            .retry_attempt(2, Some("eyJjaGFpbiI6IjMwNDE4In0=".into()))
            .first_attempted_at("2026-11-19T09:15:00Z");
        full.description = Some("Monthly plan, November".into());
        full.customer_ip = Some("2001:db8::7".into());
        full.shipping_address = Some(ShippingAddress {
            address1: Some("1180 Harbour Street".into()),
            postal_code: Some("97205".into()),
            city: Some("Portland".into()),
            state: Some("OR".into()),
            country: Some("US".into()),
            ..ShippingAddress::default()
        });
        full.payment_plan = Some(PaymentPlan {
            sku: Some("PLAN-M".into()),
            category: Some("subscriptions".into()),
            billing_plan: Some("monthly".into()),
            billing_cycle: Some(7),
        });
        full.payment_model = Some(PaymentModel::Subscription);
        full.custom_variable1 = Some("crm:30418".into());
        full.disable_customer_recovery = Some(false);
        full.references = Some(References {
            previous_transaction: Some(PreviousTransaction {
                merchant_account_reference_id: Some("MID-1".into()),
                gateway_code: Some("05".into()),
                gateway_message: Some("Do not honor".into()),
                transaction_date: Some("2026-11-18T09:15:00.1234567Z".into()),
            }),
        });
        for request in [
            card_charge(),
            full,
            vaulted_charge(),
            gateway_charge(),
            // Amex, with its four-digit CVV; an IPv4 client address.
            ChargeRequest {
                customer_ip: Some("203.0.113.7".into()),
                ..ChargeRequest::with_card(
                    "rebill-2",
                    "order-2",
                    "EUR",
                    1,
                    CreditCardDetails {
                        cvv: Some("1234".into()),
                        ..charge_with_card(|c| c.credit_card_number = "378282246310005".into())
                            .payment_method_card()
                    },
                )
                .customer("cust-2")
            },
        ] {
            assert_clean(&validate_charge(&request, &ctx));
        }
        assert_clean(&validate_capture(&CaptureRequest::full("cap-1"), &ctx));
        assert_clean(&validate_capture(
            &CaptureRequest::partial("cap-2", 2500),
            &ctx,
        ));
        assert_clean(&validate_void(&VoidRequest::new("void-1"), &ctx));
        assert_clean(&validate_refund(&RefundRequest::full("refund-1"), &ctx));
        assert_clean(&validate_refund(
            &RefundRequest::partial("refund-2", 4000),
            &ctx,
        ));
    }

    trait CardOf {
        fn payment_method_card(self) -> CreditCardDetails;
    }

    impl CardOf for ChargeRequest {
        fn payment_method_card(self) -> CreditCardDetails {
            match self.payment_method {
                ChargePaymentMethod::Card { payment_method, .. } => payment_method,
                _ => unreachable!("a card charge"),
            }
        }
    }

    #[test]
    fn sandbox_test_cards_pass_in_sandbox_and_are_expired_in_production() {
        for test_card in &TEST_CARDS {
            let card = CreditCardDetails {
                full_name: Some("Avery Quinn".into()),
                postal_code: Some("97205".into()),
                city: Some("Portland".into()),
                state: Some("OR".into()),
                email: Some("avery.quinn@example.com".into()),
                ..CreditCardDetails::from_test_card(test_card)
            };
            let request = ChargeRequest::with_card("rebill-1", "order-1", "USD", 1000, card);
            assert_clean(&validate_charge(&request, &sandbox()));
            let live = validate_charge(&request, &production());
            assert_one(
                &live,
                "transaction.paymentMethod.expiryYear",
                code::EXPIRED,
                Severity::Error,
            );
            let message = &live.problems()[0].message;
            assert!(message.contains("sandbox test card"), "{message}");
            assert!(
                !message.contains(test_card.number),
                "no card number in messages"
            );
        }
    }

    #[test]
    fn a_card_other_than_the_test_cards_is_warned_about_in_the_sandbox_only() {
        let path = "transaction.paymentMethod.creditCardNumber";
        let request = charge_with_card(|_| {});
        let checked = validate_charge(&request, &sandbox());
        assert_one(&checked, path, code::NOT_A_TEST_CARD, Severity::Warning);
        let message = &checked.problems()[0].message;
        assert!(message.contains("30016"), "{message}");
        assert!(
            !message.contains("4111111111111111"),
            "no card number of the caller's"
        );
        assert_clean(&validate_charge(&request, &production()));
        // A number that is wrong already gets its error, not this warning as well.
        let mistyped = charge_with_card(|c| c.credit_card_number = "4111111111111112".into());
        assert_one(
            &validate_charge(&mistyped, &sandbox()),
            path,
            code::INVALID_LUHN,
            Severity::Error,
        );
    }

    #[test]
    fn a_card_number_with_spaces_still_tells_the_cvv_its_brand() {
        let spaced = |cvv: &str| {
            card_problem(|c| {
                c.credit_card_number = "4111 1111 1111 1111".into();
                c.cvv = Some(cvv.into());
            })
        };
        let checked = spaced("1234");
        let cvv = checked
            .at("transaction.paymentMethod.cvv")
            .expect("a Visa CVV of four digits is refused");
        assert_eq!(cvv.code, code::INVALID_CVV);
        assert!(cvv.message.contains("Visa cards have 3"), "{}", cvv.message);
        assert_eq!(checked.problems().len(), 2, "{:?}", checked.problems());
        // Three digits are right for Visa: only the spaces are reported.
        assert_one(
            &spaced("123"),
            "transaction.paymentMethod.creditCardNumber",
            code::INVALID_FORMAT,
            Severity::Error,
        );
    }

    #[test]
    fn an_email_with_spaces_around_it_is_told_to_drop_them() {
        let checked = card_problem(|c| c.email = Some(" avery.quinn@example.com ".into()));
        let path = "transaction.paymentMethod.email";
        assert_one(&checked, path, code::INVALID_FORMAT, Severity::Error);
        assert_eq!(
            checked.problems()[0].message,
            "email has spaces around the address; send \"avery.quinn@example.com\" without them."
        );
        let inside = card_problem(|c| c.email = Some("avery quinn@example.com".into()));
        assert!(inside.problems()[0]
            .message
            .contains("is not an email address"));
    }

    #[test]
    fn a_card_is_valid_through_the_last_day_of_its_expiry_month() {
        let in_month = |month: &str, year: &str, ctx: &ValidationContext| {
            let request = charge_with_card(|c| {
                c.expiry_month = month.into();
                c.expiry_year = year.into();
            });
            validate_charge(&request, ctx)
        };
        // Now is 2026-11-21.
        assert_clean(&in_month("11", "2026", &production()));
        assert_one(
            &in_month("10", "2026", &production()),
            "transaction.paymentMethod.expiryMonth",
            code::EXPIRED,
            Severity::Error,
        );
        assert_one(
            &in_month("12", "2025", &production()),
            "transaction.paymentMethod.expiryYear",
            code::EXPIRED,
            Severity::Error,
        );
        let last_second = ValidationContext {
            now: instant("2026-11-30T23:59:59.999Z"),
            ..production()
        };
        assert_clean(&in_month("11", "2026", &last_second));
        let next_month = ValidationContext {
            now: instant("2026-12-01T00:00:00Z"),
            ..production()
        };
        assert_one(
            &in_month("11", "2026", &next_month),
            "transaction.paymentMethod.expiryMonth",
            code::EXPIRED,
            Severity::Error,
        );
        // Only the six sandbox cards are forgiven in the sandbox (which warns about the
        // others).
        assert_problems(
            &in_month("10", "2026", &sandbox()),
            &[
                ("transaction.paymentMethod.expiryMonth", code::EXPIRED),
                (
                    "transaction.paymentMethod.creditCardNumber",
                    code::NOT_A_TEST_CARD,
                ),
            ],
        );
        assert_one(
            &in_month("01", "2060", &production()),
            "transaction.paymentMethod.expiryYear",
            code::INVALID_VALUE,
            Severity::Warning,
        );
    }

    #[test]
    fn expiry_month_and_year_formats() {
        let month = "transaction.paymentMethod.expiryMonth";
        let year = "transaction.paymentMethod.expiryYear";
        for (bad, hint) in [
            ("7", "\"07\""),
            ("13", "01"),
            ("00", "01"),
            ("7 ", "01"),
            ("ab", "01"),
        ] {
            let v = card_problem(|c| c.expiry_month = bad.into());
            assert_one(&v, month, code::INVALID_FORMAT, Severity::Error);
            assert!(
                v.problems()[0].message.contains(hint),
                "{bad}: {}",
                v.problems()[0]
            );
        }
        assert_one(
            &card_problem(|c| c.expiry_month = String::new()),
            month,
            code::REQUIRED,
            Severity::Error,
        );
        for (bad, hint) in [("29", "\"2029\""), ("20299", "four"), ("２０２９", "four")] {
            let v = card_problem(|c| c.expiry_year = bad.into());
            assert_one(&v, year, code::INVALID_FORMAT, Severity::Error);
            assert!(
                v.problems()[0].message.contains(hint),
                "{bad}: {}",
                v.problems()[0]
            );
        }
        assert_one(
            &card_problem(|c| c.expiry_year = " ".into()),
            year,
            code::REQUIRED,
            Severity::Error,
        );
    }

    #[test]
    fn card_number_rules() {
        let path = "transaction.paymentMethod.creditCardNumber";
        for (number, expected) in [
            ("", code::REQUIRED),
            ("4111 1111 1111 1111", code::INVALID_FORMAT),
            ("4111-1111-1111-1111", code::INVALID_FORMAT),
            ("4111x11111111111", code::INVALID_FORMAT),
            ("4111111111111112", code::INVALID_LUHN),
            // Visa issues 13, 16 and 19 digits, not 15.
            ("411111111111116", code::INVALID_CARD_NUMBER),
            ("41111111111", code::INVALID_CARD_NUMBER),
            ("41111111111111111111", code::INVALID_CARD_NUMBER),
            ("1111111111111117", code::INVALID_CARD_NUMBER),
        ] {
            let v = card_problem(|c| {
                c.credit_card_number = number.into();
                c.cvv = None;
            });
            assert_one(&v, path, expected, Severity::Error);
        }
        let v = card_problem(|c| c.credit_card_number = "4111 1111 1111 1111".into());
        assert!(v.problems()[0].message.contains("spaces and dashes"));
        for number in ["5555555555554444", "6011111111111117", "4222222222222"] {
            assert_clean(&card_problem(|c| c.credit_card_number = number.into()));
        }
    }

    #[test]
    fn cvv_has_the_length_the_brand_prints() {
        let path = "transaction.paymentMethod.cvv";
        for (number, cvv, ok) in [
            ("4111111111111111", "123", true),
            ("4111111111111111", "1234", false),
            ("4111111111111111", "12", false),
            ("4111111111111111", "12a", false),
            ("378282246310005", "1234", true),
            ("378282246310005", "123", false),
            // An unusable number leaves 3 or 4 digits acceptable.
            ("1111111111111117", "1234", true),
            ("1111111111111117", "12345", false),
            ("4111111111111111", "", true),
        ] {
            let v = card_problem(|c| {
                c.credit_card_number = number.into();
                c.cvv = Some(cvv.into());
            });
            let cvv_problem = v.at(path);
            assert_eq!(
                cvv_problem.is_none(),
                ok,
                "{number} {cvv}: {:?}",
                v.problems()
            );
            if let Some(problem) = cvv_problem {
                assert_eq!(problem.code, code::INVALID_CVV);
                assert!(!problem.message.contains(cvv) || cvv.len() < 3);
            }
        }
        let v = card_problem(|c| c.cvv = None);
        assert_clean(&v);
    }

    #[test]
    fn currency_rules() {
        let path = "transaction.currencyCode";
        let with = |currency: &str| {
            let mut request = card_charge();
            request.currency_code = currency.into();
            validate_charge(&request, &production())
        };
        let v = with("usd");
        assert_one(&v, path, code::UNKNOWN_CURRENCY, Severity::Error);
        assert!(
            v.problems()[0].message.contains("\"USD\""),
            "{}",
            v.problems()[0]
        );
        assert_one(&with("XYZ"), path, code::UNKNOWN_CURRENCY, Severity::Error);
        // ISO codes without a minor unit are units of account, not payment currencies.
        for unit in ["XAU", "XDR", "XTS", "XXX"] {
            let v = with(unit);
            assert_one(&v, path, code::UNKNOWN_CURRENCY, Severity::Error);
            assert!(v.problems()[0].message.contains("without a minor unit"));
        }
        let v = with("XAU");
        assert!(v.problems()[0]
            .message
            .starts_with("\"XAU\" is an ISO 4217 code without a minor unit, not a currency"));
        // Funds codes and four-decimal currencies have minor units and stay accepted.
        assert_clean(&with("CLF"));
        assert_clean(&with("BHD"));
        assert_one(&with("US"), path, code::INVALID_FORMAT, Severity::Error);
        let v = with(" USD");
        assert_one(&v, path, code::INVALID_FORMAT, Severity::Error);
        assert!(v.problems()[0].message.contains("\"USD\""));
        assert_one(&with(""), path, code::REQUIRED, Severity::Error);
        for good in ["USD", "JPY", "BHD", "CAD"] {
            assert_clean(&with(good));
        }
    }

    #[test]
    fn amounts_are_positive_and_safe_in_javascript() {
        let path = "transaction.amount";
        let with = |amount: i64| {
            let mut request = card_charge();
            request.amount = amount;
            validate_charge(&request, &production())
        };
        assert_one(&with(0), path, code::ZERO_AMOUNT, Severity::Error);
        assert_one(&with(-500), path, code::NEGATIVE_AMOUNT, Severity::Error);
        assert_one(
            &with(i64::MIN),
            path,
            code::NEGATIVE_AMOUNT,
            Severity::Error,
        );
        assert_one(
            &with(9_007_199_254_740_992),
            path,
            code::AMOUNT_OUT_OF_RANGE,
            Severity::Error,
        );
        assert_clean(&with(9_007_199_254_740_991));
        assert_clean(&with(1));

        let ctx = production();
        let capture = validate_capture(&CaptureRequest::partial("cap-1", 0), &ctx);
        assert_one(&capture, path, code::ZERO_AMOUNT, Severity::Error);
        let refund = validate_refund(&RefundRequest::partial("refund-1", -1), &ctx);
        assert_one(&refund, path, code::NEGATIVE_AMOUNT, Severity::Error);
    }

    #[test]
    fn required_fields_and_lengths() {
        let ctx = production();
        let mut request = card_charge();
        request.merchant_transaction_id = String::new();
        request.order_id = "  ".into();
        assert_problems(
            &validate_charge(&request, &ctx),
            &[
                ("transaction.merchantTransactionId", code::REQUIRED),
                ("transaction.orderId", code::REQUIRED),
            ],
        );
        for follow_up in [
            validate_capture(&CaptureRequest::full(""), &ctx),
            validate_void(&VoidRequest::new(""), &ctx),
            validate_refund(&RefundRequest::full(""), &ctx),
        ] {
            assert_one(
                &follow_up,
                "transaction.merchantTransactionId",
                code::REQUIRED,
                Severity::Error,
            );
        }

        let mut request = card_charge();
        request.merchant_transaction_id = "m".repeat(limits::MERCHANT_TRANSACTION_ID);
        // Lengths count characters, not bytes.
        request.order_id = "é".repeat(limits::ORDER_ID);
        assert_clean(&validate_charge(&request, &ctx));
        request.merchant_transaction_id.push('m');
        request.description = Some("d".repeat(limits::DESCRIPTION + 1));
        request.custom_variable3 = Some("c".repeat(limits::CUSTOM_VARIABLE + 1));
        request.gateway_token = Some("G".repeat(limits::GATEWAY_TOKEN + 1));
        let v = validate_charge(&request, &ctx);
        assert_problems(
            &v,
            &[
                ("transaction.merchantTransactionId", code::TOO_LONG),
                ("transaction.description", code::TOO_LONG),
                ("transaction.customVariable3", code::TOO_LONG),
                ("transaction.gatewayToken", code::TOO_LONG),
            ],
        );
        let message = &v.problems()[0].message;
        assert!(
            message.contains("51") && message.contains("50"),
            "{message}"
        );
    }

    #[test]
    fn holder_name_is_full_or_first_and_last() {
        let path = |field: &str| format!("transaction.paymentMethod.{field}");
        let names = |first: Option<&str>, last: Option<&str>, full: Option<&str>| {
            card_problem(|c| {
                c.first_name = first.map(Into::into);
                c.last_name = last.map(Into::into);
                c.full_name = full.map(Into::into);
            })
        };
        assert_clean(&names(Some("Avery"), Some("Quinn"), None));
        assert_clean(&names(None, None, Some("Avery Quinn")));
        assert_clean(&names(Some("Avery"), None, Some("Avery Quinn")));
        let v = names(None, None, None);
        assert_one(&v, &path("fullName"), code::REQUIRED, Severity::Error);
        let v = names(Some("Avery"), Some(" "), None);
        assert_one(&v, &path("lastName"), code::REQUIRED, Severity::Error);
        let v = names(None, Some("Quinn"), Some(""));
        assert_one(&v, &path("firstName"), code::REQUIRED, Severity::Error);
        let long = "n".repeat(limits::NAME + 1);
        let v = names(Some(&long), Some("Quinn"), None);
        assert_one(&v, &path("firstName"), code::TOO_LONG, Severity::Warning);
    }

    #[test]
    fn billing_address_and_contact_fields() {
        let path = |field: &str| format!("transaction.paymentMethod.{field}");
        let v = card_problem(|c| {
            c.postal_code = None;
            c.city = Some(String::new());
            c.state = None;
            c.address1 = None;
            c.country = None;
        });
        assert_problems(
            &v,
            &[
                (&path("postalCode"), code::REQUIRED),
                (&path("city"), code::REQUIRED),
                (&path("state"), code::REQUIRED),
            ],
        );
        for (country, ok) in [("US", true), ("us", false), ("USA", false), ("U", false)] {
            let v = card_problem(|c| c.country = Some(country.into()));
            assert_eq!(v.problems().is_empty(), ok, "{country}");
            if !ok {
                assert_one(&v, &path("country"), code::INVALID_FORMAT, Severity::Error);
            }
        }
        let v = card_problem(|c| c.country = Some("ca".into()));
        assert!(v.problems()[0].message.contains("\"CA\""));
        // Of the right shape but no country's: a warning, the request stays valid.
        for (country, hint) in [("UK", "\"GB\""), ("EL", "\"GR\""), ("ZZ", "check it")] {
            let v = card_problem(|c| c.country = Some(country.into()));
            assert_one(&v, &path("country"), code::INVALID_VALUE, Severity::Warning);
            assert!(
                v.problems()[0].message.contains(hint),
                "{}",
                v.problems()[0]
            );
        }
        let v = card_problem(|c| c.country = Some("uk".into()));
        assert_one(&v, &path("country"), code::INVALID_FORMAT, Severity::Error);
        assert!(
            v.problems()[0].message.contains("\"GB\""),
            "{}",
            v.problems()[0]
        );
        for country in ["AD", "GB", "XK", "ZW", "CA", "MX"] {
            assert_clean(&card_problem(|c| c.country = Some(country.into())));
        }
        for (email, ok) in [
            ("avery.quinn@example.com", true),
            ("a+b@mail.example.co.uk", true),
            ("avery.quinn", false),
            ("avery@localhost", false),
            ("avery quinn@example.com", false),
            ("a@b@example.com", false),
            ("@example.com", false),
            ("avery@example..com", false),
        ] {
            let v = card_problem(|c| c.email = Some(email.into()));
            assert_eq!(v.problems().is_empty(), ok, "{email}: {:?}", v.problems());
        }
        let v = card_problem(|c| c.phone_number = Some("+1 (503) 555-0142".into()));
        assert_clean(&v);
        let v = card_problem(|c| c.phone_number = Some("call me".into()));
        assert_one(
            &v,
            &path("phoneNumber"),
            code::INVALID_FORMAT,
            Severity::Warning,
        );
    }

    #[test]
    fn customer_id_or_email_identifies_the_customer() {
        let ctx = production();
        let mut request = charge_with_card(|c| c.email = None);
        request.customer_id = None;
        assert_one(
            &validate_charge(&request, &ctx),
            "transaction.customerId",
            code::REQUIRED,
            Severity::Error,
        );
        request.customer_id = Some("cust-1".into());
        assert_clean(&validate_charge(&request, &ctx));
        let mut request = charge_with_card(|_| {});
        request.customer_id = None;
        assert_clean(&validate_charge(&request, &ctx));
        // A vaulted card already belongs to a customer.
        assert_clean(&validate_charge(&vaulted_charge(), &ctx));
        let mut gateway = gateway_charge();
        gateway.customer_id = None;
        assert_one(
            &validate_charge(&gateway, &ctx),
            "transaction.customerId",
            code::REQUIRED,
            Severity::Error,
        );
    }

    #[test]
    fn retry_count_and_reference_data_table() {
        let ctx = production();
        let path = "transaction.referenceData";
        let chain = |count: u32, data: Option<&str>| {
            validate_charge(
                &card_charge().retry_attempt(count, data.map(Into::into)),
                &ctx,
            )
        };
        let data = Some("eyJjaGFpbiI6IjMwNDE4In0=");
        assert_clean(&chain(0, None));
        assert_clean(&chain(0, Some("")));
        assert_one(
            &chain(0, data),
            path,
            code::REFERENCE_DATA_WITHOUT_RETRY,
            Severity::Warning,
        );
        assert_clean(&chain(1, None));
        assert_clean(&chain(1, data));
        for count in [2, 3, 15, u32::MAX] {
            assert_one(
                &chain(count, None),
                path,
                code::RETRY_COUNT_WITHOUT_REFERENCE_DATA,
                Severity::Error,
            );
            for lost in ["", "   ", "\n"] {
                assert_one(
                    &chain(count, Some(lost)),
                    path,
                    code::RETRY_COUNT_WITHOUT_REFERENCE_DATA,
                    Severity::Error,
                );
            }
            assert_clean(&chain(count, data));
        }
        assert_one(
            &chain(2, Some("eyJjaGFpbiI6IjMwNDE4In0=\n")),
            path,
            code::INVALID_FORMAT,
            Severity::Warning,
        );
        let long = "A".repeat(limits::REFERENCE_DATA + 1);
        assert_one(
            &chain(2, Some(&long)),
            path,
            code::TOO_LONG,
            Severity::Warning,
        );
    }

    #[test]
    fn date_first_attempt_is_utc_and_in_the_past() {
        let path = "transaction.dateFirstAttempt";
        let at =
            |date: &str| validate_charge(&card_charge().first_attempted_at(date), &production());
        assert_clean(&at("2026-11-19T09:15:00Z"));
        assert_clean(&at("2026-11-19T09:15:00.1234567Z"));
        assert_clean(&at("2026-11-19T09:15:00+00:00"));
        // Clock skew: a few minutes ahead of `now` (10:00) is tolerated.
        assert_clean(&at("2026-11-21T10:04:00Z"));
        assert_one(
            &at("2026-11-21T10:06:00Z"),
            path,
            code::INVALID_VALUE,
            Severity::Error,
        );
        let v = at("2026-11-19T11:15:00+02:00");
        assert_one(&v, path, code::NOT_UTC, Severity::Error);
        assert!(
            v.problems()[0].message.contains("2026-11-19T09:15:00Z"),
            "{}",
            v.problems()[0]
        );
        assert_one(
            &at("2026-11-19T09:15:00"),
            path,
            code::NOT_UTC,
            Severity::Warning,
        );
        for bad in [
            "",
            " ",
            "19/11/2026",
            "2026-11-19",
            "2026-11-19 09:15:00Z",
            "2026-02-30T00:00:00Z",
        ] {
            assert_one(&at(bad), path, code::INVALID_TIMESTAMP, Severity::Error);
        }
        let mut request = card_charge();
        request.references = Some(References {
            previous_transaction: Some(PreviousTransaction {
                transaction_date: Some("2026-11-19T11:15:00+02:00".into()),
                ..PreviousTransaction::default()
            }),
        });
        assert_one(
            &validate_charge(&request, &production()),
            "transaction.References.PreviousTransaction.transactionDate",
            code::NOT_UTC,
            Severity::Error,
        );
    }

    #[test]
    fn customer_ip_is_an_address() {
        let path = "transaction.customerIp";
        let with = |ip: &str| {
            let mut request = card_charge();
            request.customer_ip = Some(ip.into());
            validate_charge(&request, &production())
        };
        for good in ["203.0.113.7", "2001:db8::7", "::ffff:203.0.113.7", ""] {
            assert_clean(&with(good));
        }
        for bad in ["203.0.113.7:443", "999.1.1.1", "localhost", "fe80::1%eth0"] {
            assert_one(&with(bad), path, code::INVALID_FORMAT, Severity::Error);
        }
        // Over flexkit's length it is still checked as an address.
        let long = with(&"1".repeat(46));
        let found: Vec<_> = long
            .problems()
            .iter()
            .map(|p| (p.path.as_str(), p.code, p.severity))
            .collect();
        assert_eq!(
            found,
            [
                (path, code::TOO_LONG, Severity::Warning),
                (path, code::INVALID_FORMAT, Severity::Error)
            ]
        );
    }

    #[test]
    fn shipping_plan_and_model() {
        let ctx = production();
        let mut request = card_charge();
        request.shipping_address = Some(ShippingAddress {
            country: Some("USA".into()),
            city: Some("c".repeat(limits::CITY + 1)),
            ..ShippingAddress::default()
        });
        request.payment_plan = Some(PaymentPlan {
            sku: Some("s".repeat(limits::PAYMENT_PLAN_FIELD + 1)),
            ..PaymentPlan::default()
        });
        request.payment_model = Some(PaymentModel::Other("monthly".into()));
        assert_problems(
            &validate_charge(&request, &ctx),
            &[
                ("transaction.shippingAddress.country", code::INVALID_FORMAT),
                ("transaction.shippingAddress.city", code::TOO_LONG),
                ("transaction.paymentPlan.sku", code::TOO_LONG),
                ("transaction.paymentModel", code::INVALID_VALUE),
            ],
        );
    }

    #[test]
    fn vaulted_token() {
        let path = "transaction.paymentMethodId";
        let with = |token: &str| {
            let mut request = vaulted_charge();
            request.payment_method = ChargePaymentMethod::Vaulted {
                payment_method_id: token.into(),
            };
            validate_charge(&request, &production())
        };
        assert_one(&with(""), path, code::REQUIRED, Severity::Error);
        assert_one(&with(" KQ8Z"), path, code::INVALID_FORMAT, Severity::Error);
        assert_one(
            &with(&"K".repeat(limits::PAYMENT_METHOD_ID + 1)),
            path,
            code::TOO_LONG,
            Severity::Warning,
        );
    }

    #[test]
    fn gateway_payment_method_rules() {
        let path = |field: &str| format!("transaction.paymentMethod.{field}");
        let with =
            |change: &dyn Fn(&mut crate::flexpay::payment_method::GatewayPaymentMethodDetails)| {
                let mut method = gateway_method();
                change(&mut method);
                let request = ChargeRequest::with_gateway_payment_method(
                    "rebill-1", "order-1", "USD", 2008, method,
                )
                .customer("cust-1");
                validate_charge(&request, &production())
            };
        assert_clean(&with(&|_| {}));
        assert_clean(&with(&|m| {
            m.expiry_month = None;
            m.expiry_year = None;
            m.first_six_digits = None;
        }));
        assert_one(
            &with(&|m| m.gateway_payment_method_id = String::new()),
            &path("gatewayPaymentMethodId"),
            code::REQUIRED,
            Severity::Error,
        );
        assert_one(
            &with(&|m| m.first_six_digits = Some("42424".into())),
            &path("firstSixDigits"),
            code::INVALID_FORMAT,
            Severity::Error,
        );
        assert_one(
            &with(&|m| m.last_four_digits = Some("42a2".into())),
            &path("lastFourDigits"),
            code::INVALID_FORMAT,
            Severity::Error,
        );
        // The gateway may have renewed the card behind its token.
        assert_one(
            &with(&|m| m.expiry_year = Some("2024".into())),
            &path("expiryYear"),
            code::EXPIRED,
            Severity::Warning,
        );
        assert_one(
            &with(&|m| m.expiry_year = None),
            &path("expiryYear"),
            code::REQUIRED,
            Severity::Warning,
        );
        assert_one(
            &with(&|m| m.expiry_month = Some("7".into())),
            &path("expiryMonth"),
            code::INVALID_FORMAT,
            Severity::Error,
        );
        assert_problems(
            &with(&|m| {
                m.full_name = None;
                m.city = None;
            }),
            &[
                (&path("fullName"), code::REQUIRED),
                (&path("city"), code::REQUIRED),
            ],
        );
    }

    #[test]
    fn all_problems_at_once() {
        let mut card = CreditCardDetails {
            cvv: Some("12".into()),
            first_name: Some("Avery".into()),
            city: Some("Portland".into()),
            state: Some("OR".into()),
            postal_code: Some("97205".into()),
            email: Some("avery.quinn".into()),
            ..CreditCardDetails::new("4111111111111112", "13", "2029")
        };
        card.country = Some("usa".into());
        let mut request = ChargeRequest::with_card("", "order-1", "usd", 0, card)
            .customer("cust-1")
            .retry_attempt(3, None);
        request.customer_ip = Some("203.0.113.7:443".into());
        request.shipping_address = Some(ShippingAddress {
            country: Some("Canada".into()),
            ..ShippingAddress::default()
        });
        let v = validate_charge(&request, &production());
        assert_problems(
            &v,
            &[
                ("transaction.merchantTransactionId", code::REQUIRED),
                ("transaction.currencyCode", code::UNKNOWN_CURRENCY),
                ("transaction.amount", code::ZERO_AMOUNT),
                ("transaction.customerIp", code::INVALID_FORMAT),
                (
                    "transaction.referenceData",
                    code::RETRY_COUNT_WITHOUT_REFERENCE_DATA,
                ),
                ("transaction.shippingAddress.country", code::INVALID_FORMAT),
                (
                    "transaction.paymentMethod.creditCardNumber",
                    code::INVALID_LUHN,
                ),
                (
                    "transaction.paymentMethod.expiryMonth",
                    code::INVALID_FORMAT,
                ),
                ("transaction.paymentMethod.cvv", code::INVALID_CVV),
                ("transaction.paymentMethod.lastName", code::REQUIRED),
                ("transaction.paymentMethod.country", code::INVALID_FORMAT),
                ("transaction.paymentMethod.email", code::INVALID_FORMAT),
            ],
        );
        assert!(v.errors().count() == 12 && !v.is_ok());
    }
}
