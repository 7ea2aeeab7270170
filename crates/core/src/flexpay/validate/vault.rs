//! Vault calls: storing a payment method, updating its editable fields, re-supplying its
//! CVV.

use crate::card::CardBrand;
use crate::flexpay::payment_method::{
    CreatePaymentMethodRequest, PaymentMethodToVault, RecachePaymentMethodRequest,
    UpdatePaymentMethodRequest,
};
use crate::validation::json::{
    read_json, validate_json, Document, Field, JsonValidation, Kind, Read, Schema,
};
use crate::validation::{code, Validation};

use super::checks::{self, blank, is_blank, optional_text, At, PastExpiry};
use super::json::{text, JsonBody, MONTH, YEAR};
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

/// What FlexPay answers an update that changes nothing (reference §7: an empty body, or only
/// empty strings).
pub const NO_EDITABLE_FIELD: &str = "No editable field was supplied: send at least one of \
     expiryMonth, expiryYear, firstName, lastName, fullName, address1, address2, postalCode, \
     city, state, country, email and phoneNumber with a value (empty strings count as not \
     sent).";

/// Validates the body of `PUT /v1/paymentmethods/{id}` (`{"paymentMethod": {...}}`): only
/// the editable fields, each optional, at least one with a value. A field sent as an empty
/// string is not sent (FlexPay treats it so); one of only spaces is an error, since it would
/// blank the stored value. Expiry month and year are checked in form, and together when both
/// are sent. Paths start at `paymentMethod`.
pub fn validate_update_payment_method(
    request: &UpdatePaymentMethodRequest,
    ctx: &ValidationContext,
) -> Validation {
    let mut validation = Validation::new();
    if request.is_empty() {
        validation.error("paymentMethod", code::REQUIRED, NO_EDITABLE_FIELD);
        return validation;
    }
    let mut at = At::new(&mut validation, "paymentMethod");
    fn sent(value: &Option<String>) -> Option<&str> {
        value.as_deref().filter(|v| !v.is_empty())
    }
    let texts = [
        ("firstName", &request.first_name, limits::NAME),
        ("lastName", &request.last_name, limits::NAME),
        ("fullName", &request.full_name, limits::FULL_NAME),
        ("address1", &request.address1, limits::ADDRESS_LINE),
        ("address2", &request.address2, limits::ADDRESS_LINE),
        ("postalCode", &request.postal_code, limits::POSTAL_CODE),
        ("city", &request.city, limits::CITY),
        ("state", &request.state, limits::STATE),
        ("country", &request.country, usize::MAX),
        ("email", &request.email, limits::EMAIL),
        ("phoneNumber", &request.phone_number, limits::PHONE_NUMBER),
    ];
    for (field, value, max) in texts {
        let Some(value) = sent(value) else {
            continue;
        };
        if blank(value) {
            at.error(
                field,
                code::INVALID_VALUE,
                format!(
                    "{field} is only spaces, which would blank the stored value: send the new \
                     value, or leave the field out to keep it."
                ),
            );
            continue;
        }
        match field {
            "country" => checks::country(&mut at, field, value),
            "email" => checks::email(&mut at, field, value),
            "phoneNumber" => checks::phone(&mut at, field, value),
            _ => {
                checks::within_length(&mut at, field, value, max);
            }
        }
    }
    let month = sent(&request.expiry_month).and_then(|m| checks::expiry_month(&mut at, m));
    let year = sent(&request.expiry_year).and_then(|y| checks::expiry_year(&mut at, y));
    match (month, year) {
        (Some(month), Some(year)) => {
            checks::expiry_date(&mut at, month, year, None, PastExpiry::Error, ctx);
        }
        // A year alone: the card keeps its month, and expired whatever it is once December
        // of that year is past.
        (None, Some(year)) if request.expiry_month.is_none() => {
            checks::expiry_date(&mut at, 12, year, None, PastExpiry::Error, ctx);
        }
        _ => {}
    }
    validation
}

/// Validates the body of `PUT /v1/paymentmethods/{id}/recache`
/// (`{"paymentMethod": {"creditCard": {"cvv": "..."}}}`): the CVV is required, 3 or 4
/// digits. Paths start at `paymentMethod`.
pub fn validate_recache_payment_method(
    request: &RecachePaymentMethodRequest,
    ctx: &ValidationContext,
) -> Validation {
    validate_recache_for(request, None, ctx)
}

/// [`validate_recache_payment_method`] for a card whose brand is known (the sandbox knows the
/// vaulted card): the CVV must have as many digits as that brand prints.
pub(crate) fn validate_recache_for(
    request: &RecachePaymentMethodRequest,
    brand: Option<CardBrand>,
    _ctx: &ValidationContext,
) -> Validation {
    let mut validation = Validation::new();
    let mut at = At::new(&mut validation, "paymentMethod.creditCard");
    let cvv = request.credit_card.cvv.as_str();
    if blank(cvv) {
        at.error(
            "cvv",
            code::REQUIRED,
            "cvv is missing or empty: send the digits printed on the card, the only thing a \
             recache supplies.",
        );
    } else {
        checks::cvv(&mut at, Some(cvv), brand);
    }
    validation
}

/// The body of an update: every editable field, nothing else.
pub(super) static UPDATE_PAYMENT_METHOD: Schema = Schema {
    fields: &[
        Field::optional("expiryMonth", MONTH),
        Field::optional("expiryYear", YEAR),
        text("firstName"),
        text("lastName"),
        text("fullName"),
        text("address1"),
        text("address2"),
        text("postalCode"),
        text("city"),
        text("state"),
        text("country"),
        text("email"),
        text("phoneNumber"),
    ],
    exactly_one_of: &[],
};

pub(super) static RECACHE_CARD: Schema = Schema {
    fields: &[Field::required("cvv", Kind::SecretDigits)],
    exactly_one_of: &[],
};

/// The body of a recache: `creditCard` with only its `cvv`.
pub(super) static RECACHE_PAYMENT_METHOD: Schema = Schema {
    fields: &[Field::required("creditCard", Kind::Object(&RECACHE_CARD))],
    exactly_one_of: &[],
};

pub(super) static UPDATE_DOCUMENT: Document = Document {
    envelope: Some("paymentMethod"),
    schema: &UPDATE_PAYMENT_METHOD,
};

pub(super) static RECACHE_DOCUMENT: Document = Document {
    envelope: Some("paymentMethod"),
    schema: &RECACHE_PAYMENT_METHOD,
};

/// Validates the text of a vault update body, `{"paymentMethod": {...}}`.
pub fn validate_update_payment_method_json(
    text: &str,
    ctx: &ValidationContext,
) -> JsonValidation<UpdatePaymentMethodRequest> {
    validate_json(text, &UPDATE_DOCUMENT, |request| {
        validate_update_payment_method(request, ctx)
    })
}

/// Validates the text of a vault recache body, `{"paymentMethod": {"creditCard": {...}}}`.
pub fn validate_recache_payment_method_json(
    text: &str,
    ctx: &ValidationContext,
) -> JsonValidation<RecachePaymentMethodRequest> {
    validate_recache_json_for(text, None, ctx)
}

/// [`validate_recache_payment_method_json`] for a card of a known brand.
fn validate_recache_json_for(
    text: &str,
    brand: Option<CardBrand>,
    ctx: &ValidationContext,
) -> JsonValidation<RecachePaymentMethodRequest> {
    validate_json(text, &RECACHE_DOCUMENT, |request| {
        validate_recache_for(request, brand, ctx)
    })
}

impl JsonBody for UpdatePaymentMethodRequest {
    const ENVELOPE: &'static str = "paymentMethod";

    fn read(text: &str, ctx: &ValidationContext) -> Read<Self> {
        read_json(text, &UPDATE_DOCUMENT, |request| {
            validate_update_payment_method(request, ctx)
        })
    }
}

impl JsonBody for RecachePaymentMethodRequest {
    const ENVELOPE: &'static str = "paymentMethod";

    /// Without the vaulted card's brand: a body that reads is checked again against it.
    fn read(text: &str, ctx: &ValidationContext) -> Read<Self> {
        read_json(text, &RECACHE_DOCUMENT, |request| {
            validate_recache_for(request, None, ctx)
        })
    }
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

    fn update(f: impl FnOnce(&mut UpdatePaymentMethodRequest)) -> UpdatePaymentMethodRequest {
        let mut request = UpdatePaymentMethodRequest::default();
        f(&mut request);
        request
    }

    #[test]
    fn an_update_changes_editable_fields_and_needs_at_least_one() {
        let ctx = production();
        let renewal = update(|r| {
            r.expiry_month = Some("09".into());
            r.expiry_year = Some("2031".into());
            r.city = Some("Salem".into());
            r.address2 = Some(String::new());
        });
        assert_clean(&validate_update_payment_method(&renewal, &ctx));
        for empty in [
            UpdatePaymentMethodRequest::default(),
            update(|r| {
                r.city = Some(String::new());
                r.email = Some(String::new());
            }),
        ] {
            let v = validate_update_payment_method(&empty, &ctx);
            assert_one(&v, "paymentMethod", code::REQUIRED, Severity::Error);
            assert!(v.problems()[0]
                .message
                .contains("No editable field was supplied"));
        }
    }

    #[test]
    fn every_problem_of_an_update_is_reported() {
        let ctx = production();
        let bad = update(|r| {
            r.expiry_month = Some("7".into());
            r.expiry_year = Some("27".into());
            r.city = Some("   ".into());
            r.country = Some("usa".into());
            r.email = Some("avery@".into());
            r.postal_code = Some("9".repeat(limits::POSTAL_CODE + 1));
        });
        assert_problems(
            &validate_update_payment_method(&bad, &ctx),
            &[
                ("paymentMethod.postalCode", code::TOO_LONG),
                ("paymentMethod.city", code::INVALID_VALUE),
                ("paymentMethod.country", code::INVALID_FORMAT),
                ("paymentMethod.email", code::INVALID_FORMAT),
                ("paymentMethod.expiryMonth", code::INVALID_FORMAT),
                ("paymentMethod.expiryYear", code::INVALID_FORMAT),
            ],
        );
        let past = update(|r| {
            r.expiry_month = Some("01".into());
            r.expiry_year = Some("2025".into());
        });
        assert_one(
            &validate_update_payment_method(&past, &ctx),
            "paymentMethod.expiryYear",
            code::EXPIRED,
            Severity::Error,
        );
        // A past year alone is past whatever month the card keeps; this year alone may not be.
        let year_only = |year: &str| update(|r| r.expiry_year = Some(year.into()));
        assert_one(
            &validate_update_payment_method(&year_only("2020"), &ctx),
            "paymentMethod.expiryYear",
            code::EXPIRED,
            Severity::Error,
        );
        let this_year = ctx.now.date().year().to_string();
        assert!(validate_update_payment_method(&year_only(&this_year), &ctx)
            .problems()
            .is_empty());
    }

    #[test]
    fn a_recache_needs_a_cvv_of_the_card_brand() {
        let ctx = production();
        assert_clean(&validate_recache_payment_method(
            &RecachePaymentMethodRequest::new("879"),
            &ctx,
        ));
        assert_clean(&validate_recache_payment_method(
            &RecachePaymentMethodRequest::new("1000"),
            &ctx,
        ));
        for (cvv, code) in [
            ("", code::REQUIRED),
            ("12", code::INVALID_CVV),
            ("87a", code::INVALID_CVV),
        ] {
            assert_one(
                &validate_recache_payment_method(&RecachePaymentMethodRequest::new(cvv), &ctx),
                "paymentMethod.creditCard.cvv",
                code,
                Severity::Error,
            );
        }
        let amex = Some(CardBrand::AmericanExpress);
        let three = RecachePaymentMethodRequest::new("879");
        assert_one(
            &validate_recache_for(&three, amex, &ctx),
            "paymentMethod.creditCard.cvv",
            code::INVALID_CVV,
            Severity::Error,
        );
        assert_clean(&validate_recache_for(
            &RecachePaymentMethodRequest::new("1000"),
            amex,
            &ctx,
        ));
    }

    #[test]
    fn vault_bodies_as_text_report_their_shape_and_their_values() {
        let ctx = production();
        let v = validate_update_payment_method_json(
            r#"{"paymentMethod": {"expiryMonth": 9, "citty": "Salem", "country": "usa"}}"#,
            &ctx,
        );
        assert!(v.request.is_none());
        assert_problems(
            &v.validation,
            &[
                ("paymentMethod.expiryMonth", code::WRONG_TYPE),
                ("paymentMethod.citty", code::UNKNOWN_FIELD),
                ("paymentMethod.country", code::INVALID_FORMAT),
            ],
        );
        let ok =
            validate_update_payment_method_json(r#"{"paymentMethod": {"city": "Salem"}}"#, &ctx);
        assert!(ok.is_ok());
        let v =
            validate_recache_payment_method_json(r#"{"paymentMethod": {"creditCard": {}}}"#, &ctx);
        assert_problems(
            &v.validation,
            &[("paymentMethod.creditCard.cvv", code::REQUIRED)],
        );
        let v = validate_recache_payment_method_json(r#"{"creditCard": {"cvv": "879"}}"#, &ctx);
        assert_problems(&v.validation, &[("", code::MISSING_ENVELOPE)]);
        let amex = validate_recache_json_for(
            r#"{"paymentMethod": {"creditCard": {"cvv": "879"}}}"#,
            Some(CardBrand::AmericanExpress),
            &ctx,
        );
        assert_problems(
            &amex.validation,
            &[("paymentMethod.creditCard.cvv", code::INVALID_CVV)],
        );
        assert!(!amex.validation.problems()[0].message.contains("879"));
    }
}
