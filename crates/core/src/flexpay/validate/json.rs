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
    read_json, validate_json, Choice, Document, Field, JsonValidation, Kind, Read, Schema,
};
use crate::validation::tagged;
use crate::validation::Validation;

use super::build;
use super::{
    validate_api_key_request, validate_auto_retry_config, validate_capture, validate_charge,
    validate_company, validate_create_payment_method, validate_gateway, validate_list_query,
    validate_refund, validate_void, BatchIds, ValidationContext,
};

const TEXT: Kind = Kind::Text;
pub(super) const MONTH: Kind = Kind::Digits { width: 2 };
pub(super) const YEAR: Kind = Kind::Digits { width: 4 };
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
    takes: "a whole number: 1 for the first attempt sent to FlexPay after your gateway's \
            decline (0 when FlexPay makes the very first attempt), one more for each retry",
};
/// A payment plan's billing cycle (reference §3.6, "e.g. 1").
const BILLING_CYCLE: Kind = Kind::Count {
    max: U32,
    negative: code::INVALID_VALUE,
    takes: "a whole number, 0 or more: the plan's billing cycle, e.g. 1",
};
/// A list's page size: read as any whole number, so [`super::validate_list_query`] refuses
/// one outside 1 to 100 in the same words as one of another type.
const COUNT: Kind = Kind::Count {
    max: U32,
    negative: code::INVALID_VALUE,
    takes: crate::flexpay::list::COUNT_TAKES,
};

pub(super) const fn text(name: &'static str) -> Field {
    Field::optional(name, TEXT)
}

pub(super) static SHIPPING_ADDRESS: Schema = Schema {
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

pub(super) static PAYMENT_PLAN: Schema = Schema {
    fields: &[
        text("sku"),
        text("category"),
        text("billingPlan"),
        Field::optional("billingCycle", BILLING_CYCLE),
    ],
    exactly_one_of: &[],
};

pub(super) static PREVIOUS_TRANSACTION: Schema = Schema {
    fields: &[
        text("merchantAccountReferenceId"),
        text("gatewayCode"),
        text("gatewayMesage"),
        text("transactionDate"),
    ],
    exactly_one_of: &[],
};

pub(super) static REFERENCES: Schema = Schema {
    fields: &[Field::optional(
        "PreviousTransaction",
        Kind::Object(&PREVIOUS_TRANSACTION),
    )],
    exactly_one_of: &[],
};

/// `paymentMethod` of a raw-card charge.
pub(super) static CHARGE_CARD: Schema = Schema {
    fields: &[
        text("merchantAccountReferenceId"),
        Field::required("creditCardNumber", Kind::SecretDigits),
        Field::required("expiryMonth", MONTH),
        Field::required("expiryYear", YEAR),
        Field::optional("cvv", Kind::SecretDigits),
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
pub(super) static VAULT_CARD: Schema = Schema {
    fields: match CHARGE_CARD.fields.split_first() {
        Some((_, rest)) => rest,
        None => &[],
    },
    exactly_one_of: &[],
};

pub(super) static GATEWAY_PAYMENT_METHOD: Schema = Schema {
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

pub(super) static CHARGE: Schema = Schema {
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
pub(super) static FOLLOW_UP_WITH_AMOUNT: Schema = Schema {
    fields: &[
        Field::required("merchantTransactionId", TEXT),
        Field::optional("amount", FOLLOW_UP_AMOUNT),
        Field::optional("disableCustomerRecovery", FLAG),
    ],
    exactly_one_of: &[],
};

pub(super) static VOID: Schema = Schema {
    fields: &[
        Field::required("merchantTransactionId", TEXT),
        Field::optional("disableCustomerRecovery", FLAG),
    ],
    exactly_one_of: &[],
};

pub(super) static CREATE_PAYMENT_METHOD: Schema = Schema {
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

pub(super) static LIST_QUERY: Schema = Schema {
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

pub(super) static CARD_ACCEPTANCE: Schema = Schema {
    fields: &[
        Field::optional("acceptCreditCard", FLAG),
        Field::optional("acceptPrepaidCard", FLAG),
        Field::optional("acceptDebitCard", FLAG),
    ],
    exactly_one_of: &[],
};

const ACCEPTANCE: Kind = Kind::Object(&CARD_ACCEPTANCE);

pub(super) static ACCEPTED_CARDS: Schema = Schema {
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

pub(super) static GATEWAY: Schema = Schema {
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

pub(super) static COMPANY: Schema = Schema {
    fields: &[Field::required("name", TEXT), Field::required("code", TEXT)],
    exactly_one_of: &[],
};

pub(super) static API_KEY_REQUEST: Schema = Schema {
    fields: &[
        Field::required("name", TEXT),
        Field::required("company", TEXT),
        Field::required("mode", ENVIRONMENT),
    ],
    exactly_one_of: &[],
};

pub(super) static AUTO_RETRY_CONFIG: Schema = Schema {
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

static CHARGE_DOCUMENT: Document = transaction(&CHARGE);
static FOLLOW_UP_DOCUMENT: Document = transaction(&FOLLOW_UP_WITH_AMOUNT);
static VOID_DOCUMENT: Document = transaction(&VOID);
static CREATE_PAYMENT_METHOD_DOCUMENT: Document = Document {
    envelope: Some("paymentMethod"),
    schema: &CREATE_PAYMENT_METHOD,
};
static LIST_QUERY_DOCUMENT: Document = bare(&LIST_QUERY);
static GATEWAY_DOCUMENT: Document = bare(&GATEWAY);
static COMPANY_DOCUMENT: Document = bare(&COMPANY);
static API_KEY_REQUEST_DOCUMENT: Document = bare(&API_KEY_REQUEST);
static AUTO_RETRY_CONFIG_DOCUMENT: Document = bare(&AUTO_RETRY_CONFIG);

/// A request body the FlexPay sandbox also takes as JSON text (`flexpay::sandbox::bodies`):
/// the key of its envelope, and [`read_json`] with its document and validator.
pub(crate) trait JsonBody: serde::de::DeserializeOwned {
    /// `transaction` or `paymentMethod`.
    const ENVELOPE: &'static str;

    /// Reads `text`, a body inside its envelope.
    fn read(text: &str, ctx: &ValidationContext) -> Read<Self>;
}

impl JsonBody for ChargeRequest {
    const ENVELOPE: &'static str = "transaction";

    fn read(text: &str, ctx: &ValidationContext) -> Read<Self> {
        read_json(text, &CHARGE_DOCUMENT, |request| {
            validate_charge(request, ctx)
        })
    }
}

impl JsonBody for CaptureRequest {
    const ENVELOPE: &'static str = "transaction";

    fn read(text: &str, ctx: &ValidationContext) -> Read<Self> {
        read_json(text, &FOLLOW_UP_DOCUMENT, |request| {
            validate_capture(request, ctx)
        })
    }
}

impl JsonBody for VoidRequest {
    const ENVELOPE: &'static str = "transaction";

    fn read(text: &str, ctx: &ValidationContext) -> Read<Self> {
        read_json(text, &VOID_DOCUMENT, |request| validate_void(request, ctx))
    }
}

impl JsonBody for RefundRequest {
    const ENVELOPE: &'static str = "transaction";

    fn read(text: &str, ctx: &ValidationContext) -> Read<Self> {
        read_json(text, &FOLLOW_UP_DOCUMENT, |request| {
            validate_refund(request, ctx)
        })
    }
}

impl JsonBody for CreatePaymentMethodRequest {
    const ENVELOPE: &'static str = "paymentMethod";

    fn read(text: &str, ctx: &ValidationContext) -> Read<Self> {
        read_json(text, &CREATE_PAYMENT_METHOD_DOCUMENT, |request| {
            validate_create_payment_method(request, ctx)
        })
    }
}

/// Every request kind the npm package names, with its document. The order fixes the schema
/// ids of the tagged encoding ([`tagged_schemas_json`]).
pub static REQUEST_KINDS: [(&str, &Document); 14] = [
    ("charge", &CHARGE_DOCUMENT),
    ("authorize", &CHARGE_DOCUMENT),
    ("capture", &FOLLOW_UP_DOCUMENT),
    ("void", &VOID_DOCUMENT),
    ("refund", &FOLLOW_UP_DOCUMENT),
    ("refundedPayment", &FOLLOW_UP_DOCUMENT),
    ("createPaymentMethod", &CREATE_PAYMENT_METHOD_DOCUMENT),
    ("listQuery", &LIST_QUERY_DOCUMENT),
    ("gateway", &GATEWAY_DOCUMENT),
    ("company", &COMPANY_DOCUMENT),
    ("apiKeyRequest", &API_KEY_REQUEST_DOCUMENT),
    ("autoRetryConfig", &AUTO_RETRY_CONFIG_DOCUMENT),
    ("updatePaymentMethod", &super::vault::UPDATE_DOCUMENT),
    ("recachePaymentMethod", &super::vault::RECACHE_DOCUMENT),
];

pub(super) fn tagged_schemas() -> &'static tagged::Schemas {
    static SCHEMAS: std::sync::OnceLock<tagged::Schemas> = std::sync::OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let documents: Vec<&'static Document> = REQUEST_KINDS.iter().map(|(_, d)| *d).collect();
        tagged::schemas(&documents)
    })
}

/// The schema table the JavaScript encoder walks requests along (see
/// [`crate::validation::tagged`]), as JSON text.
pub fn tagged_schemas_json() -> String {
    tagged::schemas_json(&REQUEST_KINDS)
}

thread_local! {
    /// The charge that the npm package's charges are built into, one after the other: its
    /// strings are reused, so validating a stream of charges allocates nothing for them.
    static REUSED_CHARGE: std::cell::RefCell<Option<ChargeRequest>> =
        const { std::cell::RefCell::new(None) };
}

/// Overwrites the card number kept in the reused charge with zeros, so it does not stay in
/// memory after the validation that needed it.
fn wipe_card_number(request: &mut ChargeRequest) {
    use crate::flexpay::transaction::ChargePaymentMethod;
    if let ChargePaymentMethod::Card { payment_method, .. } = &mut request.payment_method {
        for text in [&mut payment_method.credit_card_number]
            .into_iter()
            .chain(payment_method.cvv.as_mut())
        {
            // Zero bytes are UTF-8, so the text stays a valid `String`.
            let bytes = core::mem::take(text).into_bytes();
            let mut bytes = core::hint::black_box(bytes);
            bytes.fill(0);
            core::hint::black_box(&bytes);
            bytes.clear();
            // Empty, so always UTF-8; the allocation is kept for the next charge.
            *text = String::from_utf8(bytes).unwrap_or_default();
        }
    }
}

/// Validates a request of the `kind` at `REQUEST_KINDS[kind]`, encoded by the npm package's
/// JavaScript layer: the same problems as the `validate_*_json` function of that kind for the
/// same request as JSON text (see [`crate::validation::tagged`] for the two exceptions).
/// `None` for an unknown kind.
pub fn validate_tagged(kind: usize, bytes: &[u8], ctx: &ValidationContext) -> Option<Validation> {
    validate_encoded(kind, bytes, ctx, true, None)
}

/// [`validate_tagged`] for request `item` of a batch (the npm package's `validateBatch`):
/// the same problems, and for the kinds that send a `merchantTransactionId` (charge,
/// authorize, capture, void, refund, refunded payment) the refusal of one an earlier request
/// of the batch sent (`duplicate_merchant_transaction_id`, FlexPay's 50129). `ids` holds the
/// batch's ids so far; clear it before the first request.
pub fn validate_tagged_in_batch(
    kind: usize,
    bytes: &[u8],
    ctx: &ValidationContext,
    ids: &mut BatchIds,
    item: usize,
) -> Option<Validation> {
    validate_encoded(kind, bytes, ctx, true, Some((ids, item)))
}

/// `validation` of a request whose `merchantTransactionId` is `id`, with the refusal of an id
/// an earlier request of the batch sent (one copy of this for every kind).
#[inline(never)]
fn noted(
    mut validation: Validation,
    id: &str,
    batch: &mut Option<(&mut BatchIds, usize)>,
) -> Validation {
    if let Some((ids, item)) = batch {
        ids.check(*item, id, &mut validation);
    }
    validation
}

/// [`validate_tagged`]; `plain` false skips the fast path for plain requests (tests compare
/// the two); `batch`, the batch's ids and the request's index in it.
pub(super) fn validate_encoded(
    kind: usize,
    bytes: &[u8],
    ctx: &ValidationContext,
    plain: bool,
    mut batch: Option<(&mut BatchIds, usize)>,
) -> Option<Validation> {
    let (name, document) = REQUEST_KINDS.get(kind)?;
    let schemas = tagged_schemas();
    macro_rules! run {
        ($build:expr, $check:expr) => {
            if plain {
                tagged::validate_tagged(bytes, schemas, document, $build, $check).validation
            } else {
                tagged::validate_walked(bytes, schemas, document, $build, $check).validation
            }
        };
    }
    // A validator of a kind with a `merchantTransactionId`, which a batch also compares.
    macro_rules! with_id {
        ($validate:expr) => {
            |r| noted($validate(r, ctx), &r.merchant_transaction_id, &mut batch)
        };
    }
    Some(match *name {
        "charge" | "authorize" => {
            // Built into the charge kept from call to call, whichever path reads it.
            let mut run = |source: tagged::Source<'_, '_>| {
                REUSED_CHARGE.with(|cell| match cell.try_borrow_mut() {
                    Ok(mut slot) => {
                        let request = slot.get_or_insert_with(ChargeRequest::default);
                        build::charge_into(source, request);
                        let validation = with_id!(validate_charge)(&*request);
                        wipe_card_number(request);
                        validation
                    }
                    Err(_) => with_id!(validate_charge)(&build::charge(source)),
                })
            };
            if let Some(root) = tagged::read_plain(bytes, schemas, document).filter(|_| plain) {
                if let Some(source) = tagged::Source::plain(&root) {
                    return Some(run(source));
                }
            }
            tagged::walk_checked(bytes, schemas, document, |source, _| run(source))
        }
        "capture" => run!(build::capture, with_id!(validate_capture)),
        "void" => run!(build::void, with_id!(validate_void)),
        "refund" | "refundedPayment" => run!(build::refund, with_id!(validate_refund)),
        "createPaymentMethod" => run!(build::create_payment_method, |r| {
            validate_create_payment_method(r, ctx)
        }),
        "listQuery" => run!(build::list_query, |r| validate_list_query(r, ctx)),
        "gateway" => run!(build::gateway, |r| validate_gateway(r, ctx)),
        "company" => run!(build::company, |r| validate_company(r, ctx)),
        "apiKeyRequest" => run!(build::api_key_request, |r| validate_api_key_request(r, ctx)),
        "updatePaymentMethod" => run!(build::update_payment_method, |r| {
            super::validate_update_payment_method(r, ctx)
        }),
        "recachePaymentMethod" => run!(build::recache_payment_method, |r| {
            super::validate_recache_payment_method(r, ctx)
        }),
        _ => run!(build::auto_retry_config, |r| validate_auto_retry_config(
            r, ctx
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::transaction::{ChargePaymentMethod, TransactionEnvelope};
    use crate::validation::json::{MAX_DEPTH, MAX_INPUT_BYTES};
    use crate::validation::{Severity, Validation};
    use serde_json::{json, Value};

    use super::super::fixtures::*;

    fn charge_body() -> Value {
        json!({"transaction": {
            "merchantTransactionId": "rebill-30418-01",
            "orderId": "order-30418",
            "customerId": "cust-30418",
            "currencyCode": "USD",
            "amount": 2008,
            "retryCount": 1,
            "referenceData": null,
            "gatewayToken": "G4T3W4YS4NDB0X0000000000AB",
            "dateFirstAttempt": "2026-11-19T09:15:00Z",
            "retainOnSuccess": false,
            "paymentMethod": {
                "creditCardNumber": "4111111111111111",
                "expiryMonth": "09",
                "expiryYear": "2029",
                "cvv": "123",
                "firstName": "Avery",
                "lastName": "Quinn",
                "address1": "1180 Harbour Street",
                "postalCode": "97205",
                "city": "Portland",
                "state": "OR",
                "country": "US",
                "email": "avery.quinn@example.com"
            }
        }})
    }

    fn charge(body: &Value) -> JsonValidation<ChargeRequest> {
        validate_charge_json(&body.to_string(), &production())
    }

    /// `body` with `pointer`'s value replaced (or added).
    fn with(pointer: &str, value: Value) -> Value {
        let mut body = charge_body();
        let (parent, key) = pointer.rsplit_once('/').expect("pointer");
        let object = body
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .expect("parent object");
        object.insert(key.to_owned(), value);
        body
    }

    fn without(pointer: &str) -> Value {
        let mut body = charge_body();
        let (parent, key) = pointer.rsplit_once('/').expect("pointer");
        body.pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .expect("parent object")
            .remove(key);
        body
    }

    fn message_at<'a>(validation: &'a Validation, path: &str) -> &'a str {
        validation.at(path).map_or("", |p| p.message.as_str())
    }

    #[test]
    fn realistic_bodies_of_every_type_pass_and_read_like_serde() {
        let ctx = production();
        let body = charge_body();
        let checked = charge(&body);
        assert_clean(&checked.validation);
        let parsed: TransactionEnvelope<ChargeRequest> =
            serde_json::from_value(body).expect("serde reads it");
        assert_eq!(checked.request, Some(parsed.transaction));
        assert!(checked.is_ok());

        let vaulted = json!({"transaction": {
            "merchantTransactionId": "rebill-2", "orderId": "order-2", "currencyCode": "JPY",
            "amount": 1200, "retryCount": 2, "referenceData": "eyJjaGFpbiI6IjMwNDE4In0=",
            "paymentMethodId": "KQ8ZP2M4C6R1T7VXN3B5D9FHJA", "paymentModel": "subscription",
            "References": {"PreviousTransaction": {"gatewayCode": "05",
                "gatewayMesage": "Do not honor", "transactionDate": "2026-11-18T09:00:00Z"}},
            "paymentPlan": {"sku": "PLAN-M", "billingCycle": 3},
            "shippingAddress": {"address1": null, "address2": null, "postalCode": null,
                "city": "Portland", "state": null, "country": "US"}
        }});
        let gateway_pm = json!({"transaction": {
            "merchantTransactionId": "rebill-3", "orderId": "order-3", "currencyCode": "CAD",
            "amount": 4999, "retryCount": 0, "customerId": "cust-3",
            "paymentMethod": {"gatewayPaymentMethodId": "pm_1OaXyZ2eZvKYlo2C",
                "lastFourDigits": "4242", "fullName": "Avery Quinn", "postalCode": "K1A 0B1",
                "city": "Ottawa", "state": "ON", "country": "CA"}
        }});
        for body in [vaulted, gateway_pm] {
            let checked = charge(&body);
            assert_clean(&checked.validation);
            assert!(checked.request.is_some());
        }
        let capture = validate_capture_json(
            r#"{"transaction": {"merchantTransactionId": "cap-1", "amount": 2500}}"#,
            &ctx,
        );
        assert_eq!(
            capture.request,
            Some(CaptureRequest::partial("cap-1", 2500))
        );
        assert_clean(&capture.validation);
        let void = validate_void_json(
            r#"{"transaction": {"merchantTransactionId": "void-1"}}"#,
            &ctx,
        );
        assert_eq!(void.request, Some(VoidRequest::new("void-1")));
        let refund = validate_refund_json(
            r#"{"transaction": {"merchantTransactionId": "refund-1", "disableCustomerRecovery": true}}"#,
            &ctx,
        );
        assert!(refund.is_ok());
        let vault = validate_create_payment_method_json(
            r#"{"paymentMethod": {"customerId": "cust-1", "creditCard": {
                "creditCardNumber": "5555555555554444", "expiryMonth": "01", "expiryYear": "2031",
                "cvv": "010", "fullName": "Avery Quinn", "postalCode": "97205",
                "city": "Portland", "state": "OR"}}}"#,
            &ctx,
        );
        assert_clean(&vault.validation);
        assert!(vault.request.is_some());
        let list = validate_list_query_json(
            r#"{"order": "desc", "count": 50, "startDate": "2026-11-1", "responseType": "simplified"}"#,
            &ctx,
        );
        assert!(list.is_ok(), "{:?}", list.validation);
        let gateway = validate_gateway_json(
            r#"{"name": "Stripe US", "gatewayType": "stripe", "currencyCode": "USD",
                "status": "Available", "acceptedCurrencyCodes": ["USD", "CAD"],
                "acceptedCards": {"visa": {"acceptCreditCard": true, "acceptDebitCard": true}},
                "weight": 1.5, "approvedChargeOrCaptureRateFee": 2.9,
                "approvedChargeOrCaptureFlatFee": 30, "settings": {"apiKey": "sk_test_x"}}"#,
            &ctx,
        );
        assert!(gateway.is_ok(), "{:?}", gateway.validation);
        let company = validate_company_json(r#"{"name": "Flexkit Demo", "code": "FP01"}"#, &ctx);
        assert!(company.is_ok());
        let key = validate_api_key_request_json(
            r#"{"name": "CRM", "company": "FP01", "mode": "Sandbox"}"#,
            &ctx,
        );
        assert!(key.is_ok());
        let retries = validate_auto_retry_config_json(
            r#"{"name": "Retries", "company": "FP01", "environment": "Production", "status": "Enabled"}"#,
            &ctx,
        );
        assert!(retries.is_ok());
    }

    #[test]
    fn value_errors_keep_the_request_shape_errors_drop_it() {
        // An expired card is wrong, but the text was a well-formed charge.
        let expired = charge(&with(
            "/transaction/paymentMethod/expiryYear",
            json!("2024"),
        ));
        assert!(expired.request.is_some());
        assert!(!expired.validation.is_ok());
        assert!(!expired.is_ok());
        let wrong_type = charge(&with("/transaction/amount", json!("2008")));
        assert!(wrong_type.request.is_none());
    }

    #[test]
    fn amounts_in_the_wrong_form_say_how_to_write_minor_units() {
        let path = "transaction.amount";
        let v = charge(&with("/transaction/amount", json!("10.50"))).validation;
        assert_one(&v, path, code::WRONG_TYPE, Severity::Error);
        assert!(message_at(&v, path).contains("1050"), "{v:?}");
        let v = charge(&with("/transaction/amount", json!(10.5))).validation;
        assert_one(&v, path, code::NOT_MINOR_UNITS, Severity::Error);
        assert!(message_at(&v, path).contains("USD 10.5 is 1050"), "{v:?}");
        let v = charge(&with("/transaction/amount", json!(1050.0))).validation;
        assert_one(&v, path, code::WRONG_TYPE, Severity::Error);
        assert!(message_at(&v, path).contains("write 1050"), "{v:?}");
        let v = charge(&with("/transaction/amount", json!("2008"))).validation;
        assert!(message_at(&v, path).contains("without quotes"));
        // The currency decides the conversion.
        let mut body = with("/transaction/currencyCode", json!("BHD"));
        body["transaction"]["amount"] = json!(10.5);
        let v = charge(&body).validation;
        assert!(message_at(&v, path).contains("BHD 10.5 is 10500"), "{v:?}");
        let mut body = with("/transaction/currencyCode", json!("JPY"));
        body["transaction"]["amount"] = json!(10.5);
        let v = charge(&body).validation;
        assert!(
            message_at(&v, path)
                .contains("JPY has no minor unit: amounts are whole JPY, so JPY 1050 is 1050"),
            "{v:?}"
        );
        for (amount, code) in [
            ("18446744073709551616", code::AMOUNT_OUT_OF_RANGE),
            ("1e20", code::AMOUNT_OUT_OF_RANGE),
            ("-1e300", code::AMOUNT_OUT_OF_RANGE),
            ("9007199254740992", code::AMOUNT_OUT_OF_RANGE),
            ("0", code::ZERO_AMOUNT),
            ("-100", code::NEGATIVE_AMOUNT),
            ("true", code::WRONG_TYPE),
            ("[2008]", code::WRONG_TYPE),
        ] {
            let text = charge_body()
                .to_string()
                .replace("\"amount\":2008", &format!("\"amount\":{amount}"));
            let v = validate_charge_json(&text, &production()).validation;
            assert_one(&v, path, code, Severity::Error);
        }
        let text = charge_body()
            .to_string()
            .replace("\"amount\":2008", "\"amount\":1e400");
        let v = validate_charge_json(&text, &production()).validation;
        assert_one(&v, "", code::MALFORMED_JSON, Severity::Error);
        assert!(message_at(&v, "").contains("9007199254740991"));
    }

    #[test]
    fn wrong_types_everywhere_are_all_reported() {
        let mut body = charge_body();
        let t = &mut body["transaction"];
        t["merchantTransactionId"] = json!(30418);
        t["retryCount"] = json!("1");
        t["retainOnSuccess"] = json!("true");
        t["shippingAddress"] = json!("1180 Harbour Street");
        t["paymentPlan"] = json!({"billingCycle": 1.5});
        t["paymentMethod"]["expiryMonth"] = json!(7);
        t["paymentMethod"]["postalCode"] = json!(97205);
        t["paymentMethod"]["cvv"] = json!(10);
        let checked = charge(&body);
        assert!(checked.request.is_none());
        let v = checked.validation;
        assert_problems(
            &v,
            &[
                ("transaction.merchantTransactionId", code::WRONG_TYPE),
                ("transaction.retryCount", code::WRONG_TYPE),
                ("transaction.retainOnSuccess", code::WRONG_TYPE),
                ("transaction.shippingAddress", code::WRONG_TYPE),
                ("transaction.paymentPlan.billingCycle", code::WRONG_TYPE),
                ("transaction.paymentMethod.expiryMonth", code::WRONG_TYPE),
                ("transaction.paymentMethod.postalCode", code::WRONG_TYPE),
                ("transaction.paymentMethod.cvv", code::WRONG_TYPE),
            ],
        );
        assert!(message_at(&v, "transaction.paymentMethod.expiryMonth").contains("\"07\""));
        assert!(message_at(&v, "transaction.paymentMethod.postalCode").contains("\"97205\""));
        assert!(message_at(&v, "transaction.paymentMethod.cvv").contains("leading zeros"));
        let card_number = with(
            "/transaction/paymentMethod/creditCardNumber",
            json!(4_111_111_111_111_111u64),
        );
        let secret = charge(&card_number).validation;
        assert_one(
            &secret,
            "transaction.paymentMethod.creditCardNumber",
            code::WRONG_TYPE,
            Severity::Error,
        );
        assert!(
            secret
                .problems()
                .iter()
                .all(|p| !p.message.contains("4111")),
            "{secret:?}"
        );
        assert!(message_at(&v, "transaction.merchantTransactionId").contains("\"30418\""));
        assert!(message_at(&v, "transaction.retainOnSuccess").contains("without quotes"));

        let v = charge(&with("/transaction/retryCount", json!(-1))).validation;
        assert_one(
            &v,
            "transaction.retryCount",
            code::NEGATIVE_RETRY_COUNT,
            Severity::Error,
        );
        let v = charge(&with("/transaction/retryCount", json!(4_294_967_296u64))).validation;
        assert_one(
            &v,
            "transaction.retryCount",
            code::INVALID_VALUE,
            Severity::Error,
        );
        // What the count means, not the bound of its type.
        for (value, shown) in [(json!(4_294_967_296u64), "4294967296"), (json!(1.5), "1.5")] {
            let v = charge(&with("/transaction/retryCount", value)).validation;
            assert_eq!(
                message_at(&v, "transaction.retryCount"),
                format!(
                    "retryCount must be a whole number: 1 for the first attempt sent to FlexPay \
                     after your gateway's decline (0 when FlexPay makes the very first attempt), \
                     one more for each retry, not {shown}."
                )
            );
        }
        let v = charge(&with(
            "/transaction/paymentPlan",
            json!({"billingCycle": 1.5}),
        ))
        .validation;
        assert_eq!(
            message_at(&v, "transaction.paymentPlan.billingCycle"),
            "billingCycle must be a whole number, 0 or more: the plan's billing cycle, e.g. 1, \
             not 1.5."
        );
        let v = charge(&with(
            "/transaction/paymentMethod",
            json!("4111111111111111"),
        ))
        .validation;
        // The placeholder card is not checked: one problem, on the object itself.
        assert_one(
            &v,
            "transaction.paymentMethod",
            code::WRONG_TYPE,
            Severity::Error,
        );
        let v = charge(&with("/transaction/merchantTransactionId", Value::Null)).validation;
        assert_one(
            &v,
            "transaction.merchantTransactionId",
            code::REQUIRED,
            Severity::Error,
        );
    }

    #[test]
    fn unknown_fields_with_and_without_near_misses() {
        let mut body = without("/transaction/merchantTransactionId");
        body["transaction"]["merchantTransactionID"] = json!("rebill-1");
        let card = &mut body["transaction"]["paymentMethod"];
        let number = card["creditCardNumber"].take();
        card.as_object_mut()
            .expect("card")
            .remove("creditCardNumber");
        card["creditcardNumber"] = number;
        body["transaction"]["currency"] = json!("USD");
        body["transaction"]["merchantDescriptor"] = json!("FLEXKIT*DEMO");
        let checked = charge(&body);
        assert!(checked.request.is_none());
        let v = checked.validation;
        assert_problems(
            &v,
            &[
                ("transaction.merchantTransactionID", code::UNKNOWN_FIELD),
                ("transaction.merchantTransactionId", code::REQUIRED),
                (
                    "transaction.paymentMethod.creditcardNumber",
                    code::UNKNOWN_FIELD,
                ),
                ("transaction.paymentMethod.creditCardNumber", code::REQUIRED),
                // currencyCode is also sent, so "currency" is only a stray.
                ("transaction.currency", code::UNKNOWN_FIELD),
                ("transaction.merchantDescriptor", code::UNKNOWN_FIELD),
            ],
        );
        let near = v.at("transaction.merchantTransactionID").expect("problem");
        assert_eq!(near.severity, Severity::Error);
        assert!(near
            .message
            .contains("did you mean \"merchantTransactionId\""));
        assert!(message_at(&v, "transaction.paymentMethod.creditcardNumber")
            .contains("\"creditCardNumber\""));
        assert_eq!(
            v.at("transaction.currency").map(|p| p.severity),
            Some(Severity::Warning)
        );
        assert_eq!(
            v.at("transaction.merchantDescriptor").map(|p| p.severity),
            Some(Severity::Warning)
        );
        // A stray field alone leaves the request usable.
        let checked = charge(&with("/transaction/productSku", json!("PLAN-M")));
        assert!(checked.request.is_some() && checked.validation.is_ok());
        // Keys that are not identifiers get a quoted path segment.
        let v = charge(&with("/transaction/a.b", json!(1))).validation;
        assert!(v.at("transaction[\"a.b\"]").is_some(), "{v:?}");
    }

    #[test]
    fn a_missing_envelope_is_reported_and_the_fields_still_checked() {
        let inner = charge_body()["transaction"].clone();
        let mut unwrapped = inner.clone();
        unwrapped["amount"] = json!(0);
        let checked = charge(&unwrapped);
        assert!(checked.request.is_none());
        assert_problems(
            &checked.validation,
            &[
                ("", code::MISSING_ENVELOPE),
                ("transaction.amount", code::ZERO_AMOUNT),
            ],
        );
        assert!(message_at(&checked.validation, "").contains("{\"transaction\": {...}}"));

        let misspelt = charge(&json!({"Transaction": inner}));
        assert_one(
            &misspelt.validation,
            "Transaction",
            code::UNKNOWN_FIELD,
            Severity::Error,
        );
        let extra = charge(&json!({"transaction": inner, "apiKey": "x"}));
        assert_one(
            &extra.validation,
            "apiKey",
            code::UNKNOWN_FIELD,
            Severity::Warning,
        );
        assert!(extra.request.is_some());
        let v = charge(&json!({"transaction": null})).validation;
        assert_one(&v, "transaction", code::REQUIRED, Severity::Error);
        let v = charge(&json!({"transaction": [inner]})).validation;
        assert_one(&v, "transaction", code::WRONG_TYPE, Severity::Error);
        let v = charge(&json!([1, 2])).validation;
        assert_one(&v, "", code::WRONG_TYPE, Severity::Error);
        let v =
            validate_create_payment_method_json(r#"{"creditCard": {}}"#, &production()).validation;
        assert!(v.at("").is_some_and(|p| p.code == code::MISSING_ENVELOPE));
        assert!(
            v.at("paymentMethod.creditCard.creditCardNumber").is_some(),
            "{v:?}"
        );
    }

    #[test]
    fn assigned_gateway_token_is_accepted_with_a_warning() {
        let mut body = without("/transaction/gatewayToken");
        body["transaction"]["assignedGatewayToken"] = json!("G4T3W4YS4NDB0X0000000000AB");
        let checked = charge(&body);
        assert_one(
            &checked.validation,
            "transaction.assignedGatewayToken",
            code::DEPRECATED_FIELD,
            Severity::Warning,
        );
        let request = checked.request.expect("usable");
        assert_eq!(
            request.gateway_token.as_deref(),
            Some("G4T3W4YS4NDB0X0000000000AB")
        );
        assert!(
            message_at(&checked.validation, "transaction.assignedGatewayToken")
                .contains("gatewayToken")
        );

        let same = with(
            "/transaction/assignedGatewayToken",
            json!("G4T3W4YS4NDB0X0000000000AB"),
        );
        let checked = charge(&same);
        assert_one(
            &checked.validation,
            "transaction.assignedGatewayToken",
            code::DEPRECATED_FIELD,
            Severity::Warning,
        );
        assert!(checked.request.is_some());
        let different = with("/transaction/assignedGatewayToken", json!("OTHER"));
        let checked = charge(&different);
        assert_one(
            &checked.validation,
            "transaction.assignedGatewayToken",
            code::CONFLICT,
            Severity::Error,
        );
        assert!(checked.request.is_none());
        // A problem with the value is reported where it was sent, and as an error it takes
        // the place of the warning.
        let mut body = without("/transaction/gatewayToken");
        body["transaction"]["assignedGatewayToken"] = json!(5);
        let v = charge(&body).validation;
        assert_one(
            &v,
            "transaction.assignedGatewayToken",
            code::WRONG_TYPE,
            Severity::Error,
        );

        let list = validate_list_query_json(
            r#"{"sinceToken": "7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA"}"#,
            &production(),
        );
        assert_one(
            &list.validation,
            "sinceToken",
            code::DEPRECATED_FIELD,
            Severity::Warning,
        );
        assert_eq!(
            list.request.and_then(|q| q.since_transaction_id).as_deref(),
            Some("7R2KX9QF4M8ZC1VN6B3TD5HWJ0LPA")
        );
    }

    #[test]
    fn a_payment_method_with_neither_key_names_both_kinds() {
        // A gateway's stored card whose token was left out reads as a card in clear: the
        // missing card number says the token would do too.
        let mut body = with("/transaction/paymentMethod/cvv", json!(null));
        let method = body["transaction"]["paymentMethod"]
            .as_object_mut()
            .unwrap();
        method.remove("creditCardNumber");
        let v = charge(&body).validation;
        let problem = v
            .problems()
            .iter()
            .find(|p| p.path == "transaction.paymentMethod.creditCardNumber")
            .expect("the card number is missing");
        assert_eq!(problem.code, code::REQUIRED);
        assert_eq!(
            problem.message,
            "Add \"creditCardNumber\", or \"gatewayPaymentMethodId\" for another kind of \
             payment method: one of them is required."
        );
        // Another missing field keeps its plain message.
        let mut body = with("/transaction/currencyCode", json!("USD"));
        body["transaction"]["paymentMethod"]
            .as_object_mut()
            .unwrap()
            .remove("expiryMonth");
        let v = charge(&body).validation;
        assert!(v
            .problems()
            .iter()
            .any(|p| p.path == "transaction.paymentMethod.expiryMonth"
                && p.message == "Add \"expiryMonth\": it is required."));
    }

    #[test]
    fn payment_method_variants_conflict() {
        let both = with("/transaction/paymentMethodId", json!("KQ8Z"));
        let v = charge(&both).validation;
        assert_one(
            &v,
            "transaction.paymentMethodId",
            code::CONFLICT,
            Severity::Error,
        );
        let neither = without("/transaction/paymentMethod");
        let v = charge(&neither).validation;
        assert_one(
            &v,
            "transaction.paymentMethod",
            code::REQUIRED,
            Severity::Error,
        );
        let mixed = with(
            "/transaction/paymentMethod/gatewayPaymentMethodId",
            json!("pm_1OaXyZ2eZvKYlo2C"),
        );
        let v = charge(&mixed).validation;
        assert_one(
            &v,
            "transaction.paymentMethod.gatewayPaymentMethodId",
            code::CONFLICT,
            Severity::Error,
        );
        let vault_both = validate_create_payment_method_json(
            r#"{"paymentMethod": {"customerId": "c", "creditCard": {}, "gatewayPaymentMethod": {}}}"#,
            &production(),
        );
        assert!(vault_both
            .validation
            .at("paymentMethod.gatewayPaymentMethod")
            .is_some_and(|p| p.code == code::CONFLICT));
        // The gateway variant is chosen by its key and checked with its own fields.
        let gateway = charge(&json!({"transaction": {
            "merchantTransactionId": "m", "orderId": "o", "currencyCode": "USD", "amount": 1,
            "retryCount": 1, "customerId": "c",
            "paymentMethod": {"gatewayPaymentMethodId": "pm_1", "fullName": "A Q",
                "postalCode": "97205", "city": "Portland", "state": "OR",
                "creditCardNumber": null}
        }}));
        assert!(gateway.is_ok(), "{:?}", gateway.validation);
        assert!(matches!(
            gateway.request.map(|r| r.payment_method),
            Some(ChargePaymentMethod::GatewayPaymentMethod { .. })
        ));
    }

    #[test]
    fn a_number_in_quotes_is_told_to_drop_them_when_json_would_read_it() {
        let ctx = production();
        let weight = |text: &str| {
            let body = format!(
                r#"{{"name": "S", "gatewayType": "stripe", "currencyCode": "USD",
                    "status": "Available", "weight": {text}}}"#
            );
            let v = validate_gateway_json(&body, &ctx).validation;
            assert_one(&v, "weight", code::WRONG_TYPE, Severity::Error);
            message_at(&v, "weight").to_owned()
        };
        assert!(weight(r#""1.5""#).ends_with(": write 1.5, without quotes."));
        assert!(weight(r#"" 2e3 ""#).ends_with(": write 2e3, without quotes."));
        // Not JSON numbers, so no such advice: it would be refused again.
        for text in [
            r#"".5""#,
            r#""1.""#,
            r#""+1""#,
            r#""inf""#,
            r#""NaN""#,
            r#""1e999""#,
        ] {
            assert!(!weight(text).contains("without quotes"), "{text}");
        }
    }

    #[test]
    fn enumerations_suggest_the_right_spelling() {
        let ctx = production();
        let v = validate_gateway_json(
            r#"{"name": "S", "gatewayType": "stripe", "currencyCode": "USD", "status": "available",
                "acceptedCurrencyCodes": "USD"}"#,
            &ctx,
        )
        .validation;
        assert_problems(
            &v,
            &[
                ("status", code::INVALID_VALUE),
                ("acceptedCurrencyCodes", code::WRONG_TYPE),
            ],
        );
        assert!(message_at(&v, "status").contains("\"Available\""));
        assert!(message_at(&v, "acceptedCurrencyCodes").contains("[\"USD\"]"));
        let v = validate_gateway_json(
            r#"{"name": "S", "gatewayType": "stripe", "currencyCode": "USD", "status": "Paused",
                "acceptedCurrencyCodes": ["USD", 5, "usd"]}"#,
            &ctx,
        )
        .validation;
        assert_problems(
            &v,
            &[
                ("status", code::INVALID_VALUE),
                ("acceptedCurrencyCodes[1]", code::WRONG_TYPE),
                // Still at its own index, after an entry of the wrong type.
                ("acceptedCurrencyCodes[2]", code::UNKNOWN_CURRENCY),
            ],
        );
        let v = validate_list_query_json(r#"{"order": "DESC", "count": -1}"#, &ctx).validation;
        assert_problems(
            &v,
            &[
                ("order", code::INVALID_VALUE),
                ("count", code::INVALID_VALUE),
            ],
        );
        let v = validate_api_key_request_json(
            r#"{"name": "k", "company": "FP01", "mode": "Live"}"#,
            &ctx,
        )
        .validation;
        assert_one(&v, "mode", code::INVALID_VALUE, Severity::Error);
        assert!(message_at(&v, "mode").contains("\"Sandbox\", \"Production\""));
    }

    #[test]
    fn malformed_text_gives_line_and_column() {
        let ctx = production();
        let v = validate_charge_json(
            "{\n  \"transaction\": {\n    \"amount\": 10,,\n  }\n}",
            &ctx,
        )
        .validation;
        assert_one(&v, "", code::MALFORMED_JSON, Severity::Error);
        assert!(message_at(&v, "").contains("line 3, column"), "{v:?}");
        for text in [
            "",
            "   ",
            "{",
            "{\"transaction\": {}",
            "nul",
            "{\"a\" 1}",
            "[1,]",
            "{} {}",
        ] {
            let checked = validate_charge_json(text, &ctx);
            assert!(checked.request.is_none());
            assert_one(
                &checked.validation,
                "",
                code::MALFORMED_JSON,
                Severity::Error,
            );
        }
        let v =
            validate_charge_json(r#"{"transaction": {"description": "\ud800"}}"#, &ctx).validation;
        assert_one(&v, "", code::MALFORMED_JSON, Severity::Error);
        assert!(message_at(&v, "").contains("surrogate"), "{v:?}");
        let v =
            validate_charge_json(r#"{"transaction": {"description": "\udc00x"}}"#, &ctx).validation;
        assert_one(&v, "", code::MALFORMED_JSON, Severity::Error);
        // A complete surrogate pair is fine.
        let body = with("/transaction/description", json!("\u{1F600}"));
        let text = body.to_string().replace('\u{1F600}', "\\ud83d\\ude00");
        assert!(validate_charge_json(&text, &ctx).is_ok());
    }

    #[test]
    fn depth_bombs_and_huge_inputs_are_refused_before_parsing() {
        let ctx = production();
        let deep = 100_000;
        let arrays = format!("{}{}", "[".repeat(deep), "]".repeat(deep));
        let v = validate_charge_json(&arrays, &ctx).validation;
        assert_one(&v, "", code::INPUT_TOO_LARGE, Severity::Error);
        // Under the size cap, nesting is what is refused.
        let deep = 20_000;
        let arrays = format!("{}{}", "[".repeat(deep), "]".repeat(deep));
        let v = validate_charge_json(&arrays, &ctx).validation;
        assert_one(&v, "", code::TOO_DEEPLY_NESTED, Severity::Error);
        assert!(message_at(&v, "").contains("column 33"), "{v:?}");
        let objects = format!("{}1{}", "{\"a\":".repeat(deep / 5), "}".repeat(deep / 5));
        let v = validate_charge_json(&objects, &ctx).validation;
        assert_one(&v, "", code::TOO_DEEPLY_NESTED, Severity::Error);
        let unclosed = "[".repeat(deep);
        let v = validate_charge_json(&unclosed, &ctx).validation;
        assert_one(&v, "", code::TOO_DEEPLY_NESTED, Severity::Error);
        let just_deep_enough = format!(
            "{{\"transaction\": {{\"x\": {}1{}}}}}",
            "[".repeat(MAX_DEPTH - 2),
            "]".repeat(MAX_DEPTH - 2)
        );
        let v = validate_charge_json(&just_deep_enough, &ctx).validation;
        assert!(v.at("").is_none(), "{v:?}");
        // Brackets inside strings are text, not nesting.
        let bracketed = with("/transaction/description", json!("[".repeat(200)));
        assert!(charge(&bracketed).is_ok());

        let ten_megabytes = "x".repeat(10 * 1024 * 1024);
        let v = validate_charge_json(&ten_megabytes, &ctx).validation;
        assert_one(&v, "", code::INPUT_TOO_LARGE, Severity::Error);
        let padded = format!("{}{}", charge_body(), " ".repeat(MAX_INPUT_BYTES));
        let v = validate_charge_json(&padded, &ctx).validation;
        assert_one(&v, "", code::INPUT_TOO_LARGE, Severity::Error);
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_last_value_read() {
        let text = charge_body()
            .to_string()
            .replace("\"amount\":2008", "\"amount\":1,\"amount\":2008");
        let checked = validate_charge_json(&text, &production());
        assert!(checked.request.is_none());
        assert_one(
            &checked.validation,
            "transaction.amount",
            code::DUPLICATE_FIELD,
            Severity::Error,
        );
        let text = charge_body()
            .to_string()
            .replace("\"cvv\":\"123\"", "\"cvv\":\"123\",\"cvv\":\"12\"");
        let v = validate_charge_json(&text, &production()).validation;
        // One problem per path: the duplicate, not also the CVV that won.
        assert_one(
            &v,
            "transaction.paymentMethod.cvv",
            code::DUPLICATE_FIELD,
            Severity::Error,
        );
    }

    #[test]
    fn bodies_at_the_size_cap_full_of_mistakes_are_answered_in_full() {
        // Thousands of problems: reporting each once must stay linear, or such a body would
        // stall the sandbox.
        let ctx = production();
        let mut keys = String::from("{\"transaction\":{");
        let mut index = 0;
        while keys.len() < MAX_INPUT_BYTES - 20 {
            keys.push_str(&format!("\"k{index}\":1,"));
            index += 1;
        }
        keys.push_str("\"z\":1}}");
        let v = validate_charge_json(&keys, &ctx).validation;
        let unknown = v
            .problems()
            .iter()
            .filter(|p| p.code == code::UNKNOWN_FIELD)
            .count();
        assert_eq!(unknown, index + 1);

        let gateway = r#"{"name":"g","gatewayType":"stripe","currencyCode":"USD","status":"Available","acceptedCurrencyCodes":["#;
        let mut numbers = String::from(gateway);
        let mut count = 0;
        while numbers.len() < MAX_INPUT_BYTES - 10 {
            numbers.push_str("1,");
            count += 1;
        }
        numbers.push_str("1]}");
        let v = validate_gateway_json(&numbers, &ctx).validation;
        assert_eq!(v.problems().len(), count + 1);
        assert!(v.problems().iter().all(|p| p.code == code::WRONG_TYPE));

        let mut unknown_codes = String::from(gateway);
        while unknown_codes.len() < MAX_INPUT_BYTES - 10 {
            unknown_codes.push_str("\"XX\",");
        }
        unknown_codes.push_str("\"USD\"]}");
        let checked = validate_gateway_json(&unknown_codes, &ctx);
        assert!(checked.request.is_some());
        let problems = checked.validation.problems();
        assert!(problems.len() > 10_000);
        assert_eq!(
            problems
                .iter()
                .map(|p| &p.path)
                .collect::<std::collections::HashSet<_>>()
                .len(),
            problems.len()
        );
    }

    #[test]
    fn six_mistakes_in_text_are_all_reported() {
        let text = r#"{"transaction": {
            "merchantTransactionID": "rebill-1",
            "orderId": "order-1",
            "currencyCode": "usd",
            "amount": "20.08",
            "retryCount": 3,
            "assignedGatewayToken": "G4T3W4YS4NDB0X0000000000AB",
            "dateFirstAttempt": "2026-11-19T09:15:00+02:00",
            "paymentMethod": {
                "creditCardNumber": "4111 1111 1111 1111",
                "expiryMonth": "7",
                "expiryYear": "2029",
                "cvv": "12345",
                "firstName": "Avery",
                "lastName": "Quinn",
                "postalCode": "97205",
                "city": "Portland",
                "state": "OR",
                "email": "avery.quinn@example.com"
            }
        }}"#;
        let checked = validate_charge_json(text, &production());
        assert!(checked.request.is_none());
        assert_problems(
            &checked.validation,
            &[
                ("transaction.merchantTransactionID", code::UNKNOWN_FIELD),
                ("transaction.merchantTransactionId", code::REQUIRED),
                ("transaction.currencyCode", code::UNKNOWN_CURRENCY),
                ("transaction.amount", code::WRONG_TYPE),
                (
                    "transaction.referenceData",
                    code::RETRY_COUNT_WITHOUT_REFERENCE_DATA,
                ),
                ("transaction.assignedGatewayToken", code::DEPRECATED_FIELD),
                ("transaction.dateFirstAttempt", code::NOT_UTC),
                (
                    "transaction.paymentMethod.creditCardNumber",
                    code::INVALID_FORMAT,
                ),
                (
                    "transaction.paymentMethod.expiryMonth",
                    code::INVALID_FORMAT,
                ),
                ("transaction.paymentMethod.cvv", code::INVALID_CVV),
            ],
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Every front end, on one text.
        fn validate_everything(text: &str) -> Vec<Validation> {
            let ctx = production();
            vec![
                validate_charge_json(text, &ctx).validation,
                validate_capture_json(text, &ctx).validation,
                validate_void_json(text, &ctx).validation,
                validate_refund_json(text, &ctx).validation,
                validate_create_payment_method_json(text, &ctx).validation,
                validate_list_query_json(text, &ctx).validation,
                validate_gateway_json(text, &ctx).validation,
                validate_company_json(text, &ctx).validation,
                validate_api_key_request_json(text, &ctx).validation,
                validate_auto_retry_config_json(text, &ctx).validation,
            ]
        }

        fn check_invariants(validation: &Validation) -> Result<(), TestCaseError> {
            let mut paths: Vec<&str> = validation
                .problems()
                .iter()
                .map(|p| p.path.as_str())
                .collect();
            let count = paths.len();
            paths.sort_unstable();
            paths.dedup();
            prop_assert_eq!(paths.len(), count, "one problem per path: {:?}", validation);
            for problem in validation.problems() {
                prop_assert!(
                    !problem.message.starts_with("The request could not be read"),
                    "a schema does not match its type: {}",
                    problem
                );
                prop_assert!(!problem.message.is_empty());
            }
            Ok(())
        }

        /// Keys the schemas know, so that generated objects reach deep into them.
        const KEYS: &[&str] = &[
            "transaction",
            "paymentMethod",
            "creditCard",
            "gatewayPaymentMethod",
            "merchantTransactionId",
            "orderId",
            "currencyCode",
            "amount",
            "retryCount",
            "referenceData",
            "paymentMethodId",
            "creditCardNumber",
            "gatewayPaymentMethodId",
            "expiryMonth",
            "expiryYear",
            "cvv",
            "fullName",
            "postalCode",
            "city",
            "state",
            "country",
            "email",
            "customerId",
            "shippingAddress",
            "paymentPlan",
            "billingCycle",
            "References",
            "PreviousTransaction",
            "assignedGatewayToken",
            "gatewayToken",
            "retainOnSuccess",
            "dateFirstAttempt",
            "name",
            "gatewayType",
            "status",
            "acceptedCurrencyCodes",
            "acceptedCards",
            "visa",
            "weight",
            "settings",
            "code",
            "company",
            "mode",
            "environment",
            "count",
            "order",
            "sinceToken",
            "startDate",
            "approvedChargeOrCaptureFlatFee",
            "customerIp",
            "paymentModel",
        ];

        fn json_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                any::<u64>().prop_map(Value::from),
                any::<f64>().prop_map(
                    |f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                ),
                ".{0,12}".prop_map(Value::String),
                prop::sample::select(vec![
                    "USD",
                    "usd",
                    "07",
                    "2029",
                    "4111111111111111",
                    "",
                    "Available",
                    "Sandbox",
                    "FP_01"
                ])
                .prop_map(|s| Value::String(s.to_owned())),
            ];
            leaf.prop_recursive(6, 64, 8, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::vec(
                        (
                            prop_oneof![
                                prop::sample::select(KEYS.to_vec()).prop_map(str::to_owned),
                                "[a-zA-Z]{1,8}"
                            ],
                            inner
                        ),
                        0..8,
                    )
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn any_text_is_answered_without_panicking(text in ".{0,200}") {
                for validation in validate_everything(&text) {
                    check_invariants(&validation)?;
                }
            }

            #[test]
            fn any_json_value_is_answered_without_panicking(value in json_value()) {
                let text = value.to_string();
                for validation in validate_everything(&text) {
                    check_invariants(&validation)?;
                }
                for envelope in ["transaction", "paymentMethod"] {
                    let wrapped = json!({ envelope: value.clone() }).to_string();
                    for validation in validate_everything(&wrapped) {
                        check_invariants(&validation)?;
                    }
                }
            }

            #[test]
            fn any_change_to_one_charge_field_is_answered(
                key in prop::sample::select(KEYS.to_vec()),
                value in json_value(),
                inside_card in any::<bool>(),
            ) {
                let mut body = charge_body();
                let target = if inside_card {
                    &mut body["transaction"]["paymentMethod"]
                } else {
                    &mut body["transaction"]
                };
                target[key] = value;
                check_invariants(&charge(&body).validation)?;
            }
        }
    }
}
