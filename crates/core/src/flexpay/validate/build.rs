//! Typed requests built from a request value the tagged front end has cleaned
//! ([`crate::validation::tagged`]): every field of the schema's type, read by its index in the
//! schema (computed at compile time from the field tables in `json.rs`, so a renamed field
//! fails the build), without serde. The cleaning guarantees the shape: required fields hold a
//! value of their kind (a placeholder when the request had none), enums hold one of their
//! values, unknown keys are gone.

use crate::flexpay::account::{
    ApiKeyRequest, AutoRetryConfig, AutoRetryStatus, Company, Environment,
};
use crate::flexpay::gateway::{AcceptedCards, CardAcceptance, Gateway, GatewayStatus, GatewayType};
use crate::flexpay::list::{ListResponseType, ListTransactionsQuery, SortOrder};
use crate::flexpay::payment_method::{
    CreatePaymentMethodRequest, CreditCardDetails, GatewayPaymentMethodDetails,
    PaymentMethodToVault,
};
use crate::flexpay::transaction::{
    CaptureRequest, ChargePaymentMethod, ChargeRequest, PaymentModel, PaymentPlan,
    PreviousTransaction, References, RefundRequest, ShippingAddress, VoidRequest,
};
use crate::validation::json::Schema;
use crate::validation::tagged::{Object, Value};

use super::json::{
    ACCEPTED_CARDS, API_KEY_REQUEST, AUTO_RETRY_CONFIG, CARD_ACCEPTANCE, CHARGE, CHARGE_CARD,
    COMPANY, CREATE_PAYMENT_METHOD, FOLLOW_UP_WITH_AMOUNT, GATEWAY, GATEWAY_PAYMENT_METHOD,
    LIST_QUERY, PAYMENT_PLAN, PREVIOUS_TRANSACTION, REFERENCES, SHIPPING_ADDRESS, VAULT_CARD, VOID,
};

/// The most fields a schema has (a charge: 25).
pub(crate) const MAX_FIELDS: usize = 32;

/// Index of `name` in `schema`; a name the schema lacks stops the build.
const fn at(schema: &Schema, name: &str) -> usize {
    let mut i = 0;
    while i < schema.fields.len() {
        let field = schema.fields[i].name.as_bytes();
        let name = name.as_bytes();
        if field.len() == name.len() {
            let mut j = 0;
            while j < name.len() && field[j] == name[j] {
                j += 1;
            }
            if j == name.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("a field the schema does not have")
}

/// The values of an object by field index.
struct Slots<'o, 'a> {
    values: [Option<&'o Value<'a>>; MAX_FIELDS],
}

impl<'o, 'a> Slots<'o, 'a> {
    fn of(object: &'o Object<'a>, schema: &'static Schema) -> Self {
        let mut values = [None; MAX_FIELDS];
        let same = object.schema.is_some_and(|s| core::ptr::eq(s, schema));
        for entry in &object.entries {
            let index = match entry.field {
                Some(index) if same => Some(usize::from(index)),
                _ => schema.fields.iter().position(|f| f.name == entry.key),
            };
            if let Some(slot) = index.and_then(|i| values.get_mut(i)) {
                *slot = Some(&entry.value);
            }
        }
        Slots { values }
    }

    fn get(&self, i: usize) -> Option<&'o Value<'a>> {
        self.values.get(i).copied().flatten()
    }

    fn str(&self, i: usize) -> Option<&'o str> {
        match self.get(i) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    fn text(&self, i: usize) -> Option<String> {
        self.str(i).map(str::to_owned)
    }

    fn required(&self, i: usize) -> String {
        self.text(i).unwrap_or_default()
    }

    fn number(&self, i: usize) -> Option<f64> {
        match self.get(i) {
            Some(Value::Number(n)) => Some(*n),
            _ => None,
        }
    }

    fn int(&self, i: usize) -> Option<i64> {
        self.number(i).map(|n| n as i64)
    }

    fn count(&self, i: usize) -> Option<u32> {
        self.number(i).map(|n| n as u32)
    }

    fn flag(&self, i: usize) -> Option<bool> {
        match self.get(i) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    fn object(&self, i: usize) -> Option<&'o Object<'a>> {
        match self.get(i) {
            Some(Value::Object(o)) => Some(o),
            _ => None,
        }
    }
}

macro_rules! fields {
    ($schema:ident: $($name:ident = $wire:literal),+ $(,)?) => {
        $(const $name: usize = at(&$schema, $wire);)+
    };
}

pub(crate) fn charge(object: &Object) -> ChargeRequest {
    fields!(CHARGE:
        MTI = "merchantTransactionId", ORDER = "orderId", DESCRIPTION = "description",
        CUSTOMER = "customerId", CURRENCY = "currencyCode", AMOUNT = "amount",
        IP = "customerIp", SHIPPING = "shippingAddress", GATEWAY_TOKEN = "gatewayToken",
        PLAN = "paymentPlan", RETRY = "retryCount", FIRST = "dateFirstAttempt",
        DISABLE = "disableCustomerRecovery", REFERENCE = "referenceData",
        CV1 = "customVariable1", CV2 = "customVariable2", CV3 = "customVariable3",
        CV4 = "customVariable4", CV5 = "customVariable5", MODEL = "paymentModel",
        REFERENCES = "References", METHOD = "paymentMethod", METHOD_ID = "paymentMethodId",
        RETAIN = "retainOnSuccess",
    );
    let f = Slots::of(object, &CHARGE);
    let payment_method = match (f.text(METHOD_ID), f.object(METHOD)) {
        (Some(payment_method_id), _) => ChargePaymentMethod::Vaulted { payment_method_id },
        (None, Some(method))
            if method
                .schema
                .is_some_and(|s| core::ptr::eq(s, &GATEWAY_PAYMENT_METHOD)) =>
        {
            ChargePaymentMethod::GatewayPaymentMethod {
                payment_method: gateway_payment_method(method),
            }
        }
        (None, method) => ChargePaymentMethod::Card {
            payment_method: card(method, false),
            retain_on_success: f.flag(RETAIN).unwrap_or(false),
        },
    };
    ChargeRequest {
        merchant_transaction_id: f.required(MTI),
        order_id: f.required(ORDER),
        description: f.text(DESCRIPTION),
        customer_id: f.text(CUSTOMER),
        currency_code: f.required(CURRENCY),
        amount: f.int(AMOUNT).unwrap_or(0),
        customer_ip: f.text(IP),
        shipping_address: f.object(SHIPPING).map(shipping_address),
        gateway_token: f.text(GATEWAY_TOKEN),
        payment_plan: f.object(PLAN).map(payment_plan),
        retry_count: f.count(RETRY).unwrap_or(0),
        date_first_attempt: f.text(FIRST),
        disable_customer_recovery: f.flag(DISABLE),
        reference_data: f.text(REFERENCE),
        custom_variable1: f.text(CV1),
        custom_variable2: f.text(CV2),
        custom_variable3: f.text(CV3),
        custom_variable4: f.text(CV4),
        custom_variable5: f.text(CV5),
        payment_model: f.str(MODEL).map(PaymentModel::from_wire),
        references: f.object(REFERENCES).map(references),
        payment_method,
    }
}

fn shipping_address(object: &Object) -> ShippingAddress {
    fields!(SHIPPING_ADDRESS:
        A1 = "address1", A2 = "address2", POSTAL = "postalCode", CITY = "city", STATE = "state",
        COUNTRY = "country",
    );
    let f = Slots::of(object, &SHIPPING_ADDRESS);
    ShippingAddress {
        address1: f.text(A1),
        address2: f.text(A2),
        postal_code: f.text(POSTAL),
        city: f.text(CITY),
        state: f.text(STATE),
        country: f.text(COUNTRY),
    }
}

fn payment_plan(object: &Object) -> PaymentPlan {
    fields!(PAYMENT_PLAN:
        SKU = "sku", CATEGORY = "category", PLAN = "billingPlan", CYCLE = "billingCycle",
    );
    let f = Slots::of(object, &PAYMENT_PLAN);
    PaymentPlan {
        sku: f.text(SKU),
        category: f.text(CATEGORY),
        billing_plan: f.text(PLAN),
        billing_cycle: f.count(CYCLE),
    }
}

fn references(object: &Object) -> References {
    fields!(REFERENCES: PREVIOUS = "PreviousTransaction");
    fields!(PREVIOUS_TRANSACTION:
        MARI = "merchantAccountReferenceId", CODE = "gatewayCode", MESSAGE = "gatewayMesage",
        DATE = "transactionDate",
    );
    let f = Slots::of(object, &REFERENCES);
    References {
        previous_transaction: f.object(PREVIOUS).map(|previous| {
            let p = Slots::of(previous, &PREVIOUS_TRANSACTION);
            PreviousTransaction {
                merchant_account_reference_id: p.text(MARI),
                gateway_code: p.text(CODE),
                gateway_message: p.text(MESSAGE),
                transaction_date: p.text(DATE),
            }
        }),
    }
}

fields!(CHARGE_CARD:
    CARD_MARI = "merchantAccountReferenceId", CARD_NUMBER = "creditCardNumber",
    CARD_MONTH = "expiryMonth", CARD_YEAR = "expiryYear", CARD_CVV = "cvv",
    CARD_FIRST = "firstName", CARD_LAST = "lastName", CARD_FULL = "fullName",
    CARD_A1 = "address1", CARD_A2 = "address2", CARD_POSTAL = "postalCode", CARD_CITY = "city",
    CARD_STATE = "state", CARD_COUNTRY = "country", CARD_EMAIL = "email",
    CARD_PHONE = "phoneNumber",
);
// The vault's card is the charge's without its first field (see `VAULT_CARD`).
const _: () = assert!(CARD_MARI == 0 && VAULT_CARD.fields.len() + 1 == CHARGE_CARD.fields.len());

/// A raw card: the charge's (`vault` false) or the vault's, whose fields are the charge's
/// without `merchantAccountReferenceId`; an absent object gives the placeholder card.
fn card(object: Option<&Object>, vault: bool) -> CreditCardDetails {
    let empty = Object::default();
    let (schema, shift) = if vault {
        (&VAULT_CARD, 1)
    } else {
        (&CHARGE_CARD, 0)
    };
    let f = Slots::of(object.unwrap_or(&empty), schema);
    let text = |i: usize| i.checked_sub(shift).and_then(|i| f.text(i));
    CreditCardDetails {
        merchant_account_reference_id: text(CARD_MARI),
        credit_card_number: text(CARD_NUMBER).unwrap_or_default(),
        expiry_month: text(CARD_MONTH).unwrap_or_default(),
        expiry_year: text(CARD_YEAR).unwrap_or_default(),
        cvv: text(CARD_CVV),
        first_name: text(CARD_FIRST),
        last_name: text(CARD_LAST),
        full_name: text(CARD_FULL),
        address1: text(CARD_A1),
        address2: text(CARD_A2),
        postal_code: text(CARD_POSTAL),
        city: text(CARD_CITY),
        state: text(CARD_STATE),
        country: text(CARD_COUNTRY),
        email: text(CARD_EMAIL),
        phone_number: text(CARD_PHONE),
    }
}

fn gateway_payment_method(object: &Object) -> GatewayPaymentMethodDetails {
    fields!(GATEWAY_PAYMENT_METHOD:
        ID = "gatewayPaymentMethodId", MARI = "merchantAccountReferenceId",
        SIX = "firstSixDigits", FOUR = "lastFourDigits", FIRST = "firstName", LAST = "lastName",
        FULL = "fullName", A1 = "address1", A2 = "address2", POSTAL = "postalCode",
        CITY = "city", STATE = "state", COUNTRY = "country", EMAIL = "email",
        PHONE = "phoneNumber", MONTH = "expiryMonth", YEAR = "expiryYear",
    );
    let f = Slots::of(object, &GATEWAY_PAYMENT_METHOD);
    GatewayPaymentMethodDetails {
        gateway_payment_method_id: f.required(ID),
        merchant_account_reference_id: f.text(MARI),
        first_six_digits: f.text(SIX),
        last_four_digits: f.text(FOUR),
        first_name: f.text(FIRST),
        last_name: f.text(LAST),
        full_name: f.text(FULL),
        address1: f.text(A1),
        address2: f.text(A2),
        postal_code: f.text(POSTAL),
        city: f.text(CITY),
        state: f.text(STATE),
        country: f.text(COUNTRY),
        email: f.text(EMAIL),
        phone_number: f.text(PHONE),
        expiry_month: f.text(MONTH),
        expiry_year: f.text(YEAR),
    }
}

fields!(FOLLOW_UP_WITH_AMOUNT:
    FOLLOW_UP_MTI = "merchantTransactionId", FOLLOW_UP_AMOUNT = "amount",
    FOLLOW_UP_DISABLE = "disableCustomerRecovery",
);

pub(crate) fn capture(object: &Object) -> CaptureRequest {
    let f = Slots::of(object, &FOLLOW_UP_WITH_AMOUNT);
    CaptureRequest {
        merchant_transaction_id: f.required(FOLLOW_UP_MTI),
        amount: f.int(FOLLOW_UP_AMOUNT),
        disable_customer_recovery: f.flag(FOLLOW_UP_DISABLE),
    }
}

pub(crate) fn refund(object: &Object) -> RefundRequest {
    let f = Slots::of(object, &FOLLOW_UP_WITH_AMOUNT);
    RefundRequest {
        merchant_transaction_id: f.required(FOLLOW_UP_MTI),
        amount: f.int(FOLLOW_UP_AMOUNT),
        disable_customer_recovery: f.flag(FOLLOW_UP_DISABLE),
    }
}

pub(crate) fn void(object: &Object) -> VoidRequest {
    fields!(VOID: MTI = "merchantTransactionId", DISABLE = "disableCustomerRecovery");
    let f = Slots::of(object, &VOID);
    VoidRequest {
        merchant_transaction_id: f.required(MTI),
        disable_customer_recovery: f.flag(DISABLE),
    }
}

pub(crate) fn create_payment_method(object: &Object) -> CreatePaymentMethodRequest {
    fields!(CREATE_PAYMENT_METHOD:
        CUSTOMER = "customerId", CARD = "creditCard", GATEWAY_METHOD = "gatewayPaymentMethod",
    );
    let f = Slots::of(object, &CREATE_PAYMENT_METHOD);
    let method = match (f.object(CARD), f.object(GATEWAY_METHOD)) {
        (None, Some(method)) => {
            PaymentMethodToVault::GatewayPaymentMethod(gateway_payment_method(method))
        }
        (card_object, _) => PaymentMethodToVault::CreditCard(card(card_object, true)),
    };
    CreatePaymentMethodRequest {
        customer_id: f.text(CUSTOMER),
        method,
    }
}

pub(crate) fn list_query(object: &Object) -> ListTransactionsQuery {
    fields!(LIST_QUERY:
        ORDER = "order", COUNT = "count", SINCE = "sinceTransactionId", START = "startDate",
        RESPONSE = "responseType",
    );
    let f = Slots::of(object, &LIST_QUERY);
    ListTransactionsQuery {
        order: f.str(ORDER).map(|o| {
            if o == "asc" {
                SortOrder::Asc
            } else {
                SortOrder::Desc
            }
        }),
        count: f.count(COUNT),
        since_transaction_id: f.text(SINCE),
        start_date: f.text(START),
        response_type: f.str(RESPONSE).map(|_| ListResponseType::Simplified),
    }
}

fn acceptance(object: &Object) -> CardAcceptance {
    fields!(CARD_ACCEPTANCE:
        CREDIT = "acceptCreditCard", PREPAID = "acceptPrepaidCard", DEBIT = "acceptDebitCard",
    );
    let f = Slots::of(object, &CARD_ACCEPTANCE);
    CardAcceptance {
        accept_credit_card: f.flag(CREDIT),
        accept_prepaid_card: f.flag(PREPAID),
        accept_debit_card: f.flag(DEBIT),
    }
}

/// A JSON number as `serde_json` holds it (an integer when it is one).
fn json_number(n: f64) -> serde_json::Number {
    if n.fract() == 0.0 && n.abs() < 9.2e18 {
        serde_json::Number::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).unwrap_or_else(|| serde_json::Number::from(0))
    }
}

pub(crate) fn gateway(object: &Object) -> Gateway {
    fields!(GATEWAY:
        ID = "id", NAME = "name", MARI = "merchantAccountReferenceId", TYPE = "gatewayType",
        CURRENCY = "currencyCode", STATUS = "status", CURRENCIES = "acceptedCurrencyCodes",
        CARDS = "acceptedCards", WEIGHT = "weight", RETRIES = "acceptRetries",
        CVV = "cvvRequired", RATE = "approvedChargeOrCaptureRateFee",
        FLAT = "approvedChargeOrCaptureFlatFee", OTHER = "otherTransactionFlatFee",
    );
    fields!(ACCEPTED_CARDS:
        VISA = "visa", MASTER_CARD = "masterCard", AMEX = "amex", DISCOVER = "discover",
        DINERS = "dinersClub", JCB = "jcb", MAESTRO = "maestro",
    );
    let f = Slots::of(object, &GATEWAY);
    Gateway {
        id: f.text(ID),
        name: f.required(NAME),
        merchant_account_reference_id: f.text(MARI),
        gateway_type: GatewayType::from_wire(f.str(TYPE).unwrap_or_default()),
        currency_code: f.required(CURRENCY),
        status: match f.str(STATUS) {
            Some("Disabled") => GatewayStatus::Disabled,
            Some("RefundOnly") => GatewayStatus::RefundOnly,
            _ => GatewayStatus::Available,
        },
        accepted_currency_codes: match f.get(CURRENCIES) {
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => s.to_string(),
                        _ => String::new(),
                    })
                    .collect(),
            ),
            _ => None,
        },
        accepted_cards: f.object(CARDS).map(|cards| {
            let c = Slots::of(cards, &ACCEPTED_CARDS);
            AcceptedCards {
                visa: c.object(VISA).map(acceptance),
                master_card: c.object(MASTER_CARD).map(acceptance),
                amex: c.object(AMEX).map(acceptance),
                discover: c.object(DISCOVER).map(acceptance),
                diners_club: c.object(DINERS).map(acceptance),
                jcb: c.object(JCB).map(acceptance),
                maestro: c.object(MAESTRO).map(acceptance),
            }
        }),
        weight: f.number(WEIGHT).map(json_number),
        accept_retries: f.flag(RETRIES),
        cvv_required: f.flag(CVV),
        approved_charge_or_capture_rate_fee: f.number(RATE).map(json_number),
        approved_charge_or_capture_flat_fee: f.int(FLAT),
        other_transaction_flat_fee: f.int(OTHER),
        // Free-form and not validated (they hold credentials): not copied, which keeps a JSON
        // tree type out of the npm module.
        settings: None,
    }
}

fn environment(value: Option<&str>) -> Environment {
    if value == Some("Sandbox") {
        Environment::Sandbox
    } else {
        Environment::Production
    }
}

pub(crate) fn company(object: &Object) -> Company {
    fields!(COMPANY: NAME = "name", CODE = "code");
    let f = Slots::of(object, &COMPANY);
    Company {
        name: f.required(NAME),
        code: f.required(CODE),
    }
}

pub(crate) fn api_key_request(object: &Object) -> ApiKeyRequest {
    fields!(API_KEY_REQUEST: NAME = "name", COMPANY_CODE = "company", MODE = "mode");
    let f = Slots::of(object, &API_KEY_REQUEST);
    ApiKeyRequest {
        name: f.required(NAME),
        company: f.required(COMPANY_CODE),
        mode: environment(f.str(MODE)),
    }
}

pub(crate) fn auto_retry_config(object: &Object) -> AutoRetryConfig {
    fields!(AUTO_RETRY_CONFIG:
        NAME = "name", COMPANY_CODE = "company", ENVIRONMENT = "environment", STATUS = "status",
    );
    let f = Slots::of(object, &AUTO_RETRY_CONFIG);
    AutoRetryConfig {
        name: f.required(NAME),
        company: f.required(COMPANY_CODE),
        environment: environment(f.str(ENVIRONMENT)),
        status: if f.str(STATUS) == Some("Disabled") {
            AutoRetryStatus::Disabled
        } else {
            AutoRetryStatus::Enabled
        },
    }
}
