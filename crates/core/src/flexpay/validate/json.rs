//! The JSON shapes of FlexPay requests, and the `validate_*_json` entry points that check
//! request text against them before running the typed validation.
//!
//! Each schema lists exactly the fields of its wire type in `crate::flexpay`, so an unknown
//! field here is one the typed request would silently drop.

use crate::flexpay::account::{ApiKeyRequest, AutoRetryConfig, Company};
use crate::flexpay::gateway::Gateway;
use crate::flexpay::list::ListTransactionsQuery;
use crate::flexpay::payment_method::CreatePaymentMethodRequest;
use crate::flexpay::transaction::{CaptureRequest, ChargeRequest, RefundRequest, VoidRequest};
use crate::validation::code;
use crate::validation::json::{
    validate_json, Choice, Document, Field, JsonValidation, Kind, Schema,
};

use super::{
    validate_api_key_request, validate_auto_retry_config, validate_capture, validate_charge,
    validate_company, validate_create_payment_method, validate_gateway, validate_list_query,
    validate_refund, validate_void, ValidationContext,
};

const TEXT: Kind = Kind::Text;
const DIGITS: Kind = Kind::Digits { width: 0 };
const MONTH: Kind = Kind::Digits { width: 2 };
const YEAR: Kind = Kind::Digits { width: 4 };
const FLAG: Kind = Kind::Bool;
/// An amount in the currency of the same object's `currencyCode`.
const AMOUNT: Kind = Kind::MinorUnits {
    currency_field: Some("currencyCode"),
};
/// An amount of a capture or refund, whose currency is the original transaction's.
const FOLLOW_UP_AMOUNT: Kind = Kind::MinorUnits {
    currency_field: None,
};
const U32: u64 = u32::MAX as u64;
const RETRY_COUNT: Kind = Kind::Count {
    max: U32,
    negative: code::NEGATIVE_RETRY_COUNT,
};
const COUNT: Kind = Kind::Count {
    max: U32,
    negative: code::INVALID_VALUE,
};

const fn text(name: &'static str) -> Field {
    Field::optional(name, TEXT)
}

static SHIPPING_ADDRESS: Schema = Schema {
    fields: &[
        text("address1"),
        text("address2"),
        text("postalCode"),
        text("city"),
        text("state"),
        text("country"),
    ],
    exactly_one_of: &[],
};

static PAYMENT_PLAN: Schema = Schema {
    fields: &[
        text("sku"),
        text("category"),
        text("billingPlan"),
        Field::optional("billingCycle", COUNT),
    ],
    exactly_one_of: &[],
};

static PREVIOUS_TRANSACTION: Schema = Schema {
    fields: &[
        text("merchantAccountReferenceId"),
        text("gatewayCode"),
        text("gatewayMesage"),
        text("transactionDate"),
    ],
    exactly_one_of: &[],
};

static REFERENCES: Schema = Schema {
    fields: &[Field::optional(
        "PreviousTransaction",
        Kind::Object(&PREVIOUS_TRANSACTION),
    )],
    exactly_one_of: &[],
};

/// `paymentMethod` of a raw-card charge.
static CHARGE_CARD: Schema = Schema {
    fields: &[
        text("merchantAccountReferenceId"),
        Field::required("creditCardNumber", DIGITS),
        Field::required("expiryMonth", MONTH),
        Field::required("expiryYear", YEAR),
        Field::optional("cvv", DIGITS),
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

/// `creditCard` of a vault call: the charge's card without `merchantAccountReferenceId`.
static VAULT_CARD: Schema = Schema {
    fields: match CHARGE_CARD.fields.split_first() {
        Some((_, rest)) => rest,
        None => &[],
    },
    exactly_one_of: &[],
};

static GATEWAY_PAYMENT_METHOD: Schema = Schema {
    fields: &[
        Field::required("gatewayPaymentMethodId", TEXT),
        text("merchantAccountReferenceId"),
        Field::optional("firstSixDigits", Kind::Digits { width: 6 }),
        Field::optional("lastFourDigits", Kind::Digits { width: 4 }),
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
        Field::optional("expiryMonth", MONTH),
        Field::optional("expiryYear", YEAR),
    ],
    exactly_one_of: &[],
};

static CHARGE_PAYMENT_METHOD: Choice = Choice {
    variants: &[
        ("creditCardNumber", &CHARGE_CARD),
        ("gatewayPaymentMethodId", &GATEWAY_PAYMENT_METHOD),
    ],
    fallback: &CHARGE_CARD,
};

static CHARGE: Schema = Schema {
    fields: &[
        Field::required("merchantTransactionId", TEXT),
        Field::required("orderId", TEXT),
        text("description"),
        text("customerId"),
        Field::required("currencyCode", TEXT),
        Field::required("amount", AMOUNT),
        text("customerIp"),
        Field::optional("shippingAddress", Kind::Object(&SHIPPING_ADDRESS)),
        text("gatewayToken"),
        Field::alias("assignedGatewayToken", "gatewayToken"),
        Field::optional("paymentPlan", Kind::Object(&PAYMENT_PLAN)),
        Field::required("retryCount", RETRY_COUNT),
        text("dateFirstAttempt"),
        Field::optional("disableCustomerRecovery", FLAG),
        text("referenceData"),
        text("customVariable1"),
        text("customVariable2"),
        text("customVariable3"),
        text("customVariable4"),
        text("customVariable5"),
        text("paymentModel"),
        Field::optional("References", Kind::Object(&REFERENCES)),
        Field::optional("paymentMethod", Kind::Choice(&CHARGE_PAYMENT_METHOD)),
        text("paymentMethodId"),
        Field::optional("retainOnSuccess", FLAG),
    ],
    exactly_one_of: &[&["paymentMethod", "paymentMethodId"]],
};

/// Capture, refund and refunded-payment bodies.
static FOLLOW_UP_WITH_AMOUNT: Schema = Schema {
    fields: &[
        Field::required("merchantTransactionId", TEXT),
        Field::optional("amount", FOLLOW_UP_AMOUNT),
        Field::optional("disableCustomerRecovery", FLAG),
    ],
    exactly_one_of: &[],
};

static VOID: Schema = Schema {
    fields: &[
        Field::required("merchantTransactionId", TEXT),
        Field::optional("disableCustomerRecovery", FLAG),
    ],
    exactly_one_of: &[],
};

static CREATE_PAYMENT_METHOD: Schema = Schema {
    fields: &[
        text("customerId"),
        Field::optional("creditCard", Kind::Object(&VAULT_CARD)),
        Field::optional(
            "gatewayPaymentMethod",
            Kind::Object(&GATEWAY_PAYMENT_METHOD),
        ),
    ],
    exactly_one_of: &[&["creditCard", "gatewayPaymentMethod"]],
};

static LIST_QUERY: Schema = Schema {
    fields: &[
        Field::optional("order", Kind::Enum(&["asc", "desc"])),
        Field::optional("count", COUNT),
        text("sinceTransactionId"),
        Field::alias("sinceToken", "sinceTransactionId"),
        text("startDate"),
        Field::optional("responseType", Kind::Enum(&["simplified"])),
    ],
    exactly_one_of: &[],
};

static CARD_ACCEPTANCE: Schema = Schema {
    fields: &[
        Field::optional("acceptCreditCard", FLAG),
        Field::optional("acceptPrepaidCard", FLAG),
        Field::optional("acceptDebitCard", FLAG),
    ],
    exactly_one_of: &[],
};

const ACCEPTANCE: Kind = Kind::Object(&CARD_ACCEPTANCE);

static ACCEPTED_CARDS: Schema = Schema {
    fields: &[
        Field::optional("visa", ACCEPTANCE),
        Field::optional("masterCard", ACCEPTANCE),
        Field::optional("amex", ACCEPTANCE),
        Field::optional("discover", ACCEPTANCE),
        Field::optional("dinersClub", ACCEPTANCE),
        Field::optional("jcb", ACCEPTANCE),
        Field::optional("maestro", ACCEPTANCE),
    ],
    exactly_one_of: &[],
};

static GATEWAY: Schema = Schema {
    fields: &[
        text("id"),
        Field::required("name", TEXT),
        text("merchantAccountReferenceId"),
        Field::required("gatewayType", TEXT),
        Field::required("currencyCode", TEXT),
        Field::required(
            "status",
            Kind::Enum(&["Available", "Disabled", "RefundOnly"]),
        ),
        Field::optional("acceptedCurrencyCodes", Kind::TextList),
        Field::optional("acceptedCards", Kind::Object(&ACCEPTED_CARDS)),
        Field::optional("weight", Kind::Number),
        Field::optional("acceptRetries", FLAG),
        Field::optional("cvvRequired", FLAG),
        Field::optional("approvedChargeOrCaptureRateFee", Kind::Number),
        Field::optional("approvedChargeOrCaptureFlatFee", AMOUNT),
        Field::optional("otherTransactionFlatFee", AMOUNT),
        Field::optional("settings", Kind::AnyObject),
    ],
    exactly_one_of: &[],
};

const ENVIRONMENT: Kind = Kind::Enum(&["Sandbox", "Production"]);

static COMPANY: Schema = Schema {
    fields: &[Field::required("name", TEXT), Field::required("code", TEXT)],
    exactly_one_of: &[],
};

static API_KEY_REQUEST: Schema = Schema {
    fields: &[
        Field::required("name", TEXT),
        Field::required("company", TEXT),
        Field::required("mode", ENVIRONMENT),
    ],
    exactly_one_of: &[],
};

static AUTO_RETRY_CONFIG: Schema = Schema {
    fields: &[
        Field::required("name", TEXT),
        Field::required("company", TEXT),
        Field::required("environment", ENVIRONMENT),
        Field::required("status", Kind::Enum(&["Enabled", "Disabled"])),
    ],
    exactly_one_of: &[],
};

const fn transaction(schema: &'static Schema) -> Document {
    Document {
        envelope: Some("transaction"),
        schema,
    }
}

const fn bare(schema: &'static Schema) -> Document {
    Document {
        envelope: None,
        schema,
    }
}

/// Validates the text of a charge or authorize body, `{"transaction": {...}}`, in any of
/// the three payment-method variants; see [`validate_charge`] for the rules.
pub fn validate_charge_json(text: &str, ctx: &ValidationContext) -> JsonValidation<ChargeRequest> {
    validate_json(text, &transaction(&CHARGE), |request| {
        validate_charge(request, ctx)
    })
}

/// Validates the text of a capture body.
pub fn validate_capture_json(
    text: &str,
    ctx: &ValidationContext,
) -> JsonValidation<CaptureRequest> {
    validate_json(text, &transaction(&FOLLOW_UP_WITH_AMOUNT), |request| {
        validate_capture(request, ctx)
    })
}

/// Validates the text of a void body.
pub fn validate_void_json(text: &str, ctx: &ValidationContext) -> JsonValidation<VoidRequest> {
    validate_json(text, &transaction(&VOID), |request| {
        validate_void(request, ctx)
    })
}

/// Validates the text of a refund or refunded-payment body.
pub fn validate_refund_json(text: &str, ctx: &ValidationContext) -> JsonValidation<RefundRequest> {
    validate_json(text, &transaction(&FOLLOW_UP_WITH_AMOUNT), |request| {
        validate_refund(request, ctx)
    })
}

/// Validates the text of a vault create body, `{"paymentMethod": {...}}`.
pub fn validate_create_payment_method_json(
    text: &str,
    ctx: &ValidationContext,
) -> JsonValidation<CreatePaymentMethodRequest> {
    let document = Document {
        envelope: Some("paymentMethod"),
        schema: &CREATE_PAYMENT_METHOD,
    };
    validate_json(text, &document, |request| {
        validate_create_payment_method(request, ctx)
    })
}

/// Validates a list query described as JSON (parameter names as keys; the deprecated
/// `sinceToken` is accepted with a warning).
pub fn validate_list_query_json(
    text: &str,
    ctx: &ValidationContext,
) -> JsonValidation<ListTransactionsQuery> {
    validate_json(text, &bare(&LIST_QUERY), |query| {
        validate_list_query(query, ctx)
    })
}

/// Validates the text of a Gateway Management object.
pub fn validate_gateway_json(text: &str, ctx: &ValidationContext) -> JsonValidation<Gateway> {
    validate_json(text, &bare(&GATEWAY), |gateway| {
        validate_gateway(gateway, ctx)
    })
}

/// Validates the text of a company.
pub fn validate_company_json(text: &str, ctx: &ValidationContext) -> JsonValidation<Company> {
    validate_json(text, &bare(&COMPANY), |company| {
        validate_company(company, ctx)
    })
}

/// Validates the text of an API key request.
pub fn validate_api_key_request_json(
    text: &str,
    ctx: &ValidationContext,
) -> JsonValidation<ApiKeyRequest> {
    validate_json(text, &bare(&API_KEY_REQUEST), |request| {
        validate_api_key_request(request, ctx)
    })
}

/// Validates the text of a FlexPay Retries (auto-retry) configuration.
pub fn validate_auto_retry_config_json(
    text: &str,
    ctx: &ValidationContext,
) -> JsonValidation<AutoRetryConfig> {
    validate_json(text, &bare(&AUTO_RETRY_CONFIG), |config| {
        validate_auto_retry_config(config, ctx)
    })
}
