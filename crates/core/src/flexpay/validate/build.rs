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
    PaymentMethodToVault, RecacheCard, RecachePaymentMethodRequest, UpdatePaymentMethodRequest,
};
use crate::flexpay::transaction::{
    CaptureRequest, ChargePaymentMethod, ChargeRequest, PaymentModel, PaymentPlan,
    PreviousTransaction, References, RefundRequest, ShippingAddress, VoidRequest,
};
use crate::validation::json::Schema;
use crate::validation::tagged::{Leaf, Object, Plain, Source, Value, MAX_FIELDS};

use super::json::{
    ACCEPTED_CARDS, API_KEY_REQUEST, AUTO_RETRY_CONFIG, CARD_ACCEPTANCE, CHARGE, CHARGE_CARD,
    COMPANY, CREATE_PAYMENT_METHOD, FOLLOW_UP_WITH_AMOUNT, GATEWAY, GATEWAY_PAYMENT_METHOD,
    LIST_QUERY, PAYMENT_PLAN, PREVIOUS_TRANSACTION, REFERENCES, SHIPPING_ADDRESS, VAULT_CARD, VOID,
};
use super::vault::{RECACHE_CARD, RECACHE_PAYMENT_METHOD, UPDATE_PAYMENT_METHOD};

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

/// The values of an object by field index of the schema being built. A short-lived value on
/// the stack of one builder call, so its variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Slots<'o, 'a> {
    Tree([Option<&'o Value<'a>>; MAX_FIELDS]),
    Plain(&'o Plain<'a>, &'o [Leaf<'a>; MAX_FIELDS]),
    /// A plain object read along another schema than its own.
    Renamed(&'o Plain<'a>, [Leaf<'a>; MAX_FIELDS]),
}

impl<'o, 'a> Slots<'o, 'a> {
    fn of(source: Source<'o, 'a>, schema: &'static Schema) -> Self {
        match source {
            Source::Tree(object) => {
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
                Slots::Tree(values)
            }
            Source::Plain(plain, node) if core::ptr::eq(node.schema, schema) => {
                Slots::Plain(plain, &node.slots)
            }
            Source::Plain(plain, node) => {
                // Read along another schema (a vault card read as a charge's): by name.
                let mut values = [Leaf::Absent; MAX_FIELDS];
                for (field, leaf) in node.schema.fields.iter().zip(node.slots) {
                    let index = schema.fields.iter().position(|f| f.name == field.name);
                    if let Some(slot) = index.and_then(|i| values.get_mut(i)) {
                        *slot = leaf;
                    }
                }
                Slots::Renamed(plain, values)
            }
        }
    }

    /// The request and the slots of a plain object.
    #[inline(always)]
    fn plain(&self) -> Option<(&'o Plain<'a>, &[Leaf<'a>; MAX_FIELDS])> {
        match self {
            Slots::Tree(_) => None,
            Slots::Plain(plain, values) => Some((plain, values)),
            Slots::Renamed(plain, values) => Some((plain, values)),
        }
    }

    /// The tree value of field `i`; plain requests hold no arrays, so `None` for them.
    fn get(&self, i: usize) -> Option<&'o Value<'a>> {
        match self {
            Slots::Tree(values) => values.get(i).copied().flatten(),
            _ => None,
        }
    }

    #[inline(always)]
    fn leaf(&self, i: usize) -> Leaf<'o> {
        if let Some((_, values)) = self.plain() {
            return match values.get(i) {
                Some(Leaf::Str(s)) => Leaf::Str(s),
                Some(Leaf::Number(n)) => Leaf::Number(*n),
                Some(Leaf::Bool(b)) => Leaf::Bool(*b),
                Some(Leaf::Null) => Leaf::Null,
                _ => Leaf::Absent,
            };
        }
        match self.get(i) {
            Some(Value::String(s)) => Leaf::Str(s),
            Some(Value::Number(n)) => Leaf::Number(*n),
            Some(Value::Bool(b)) => Leaf::Bool(*b),
            Some(Value::Null) => Leaf::Null,
            _ => Leaf::Absent,
        }
    }

    fn str(&self, i: usize) -> Option<&'o str> {
        match self.leaf(i) {
            Leaf::Str(s) => Some(s),
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
        match self.leaf(i) {
            Leaf::Number(n) => Some(n),
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
        match self.leaf(i) {
            Leaf::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn object(&self, i: usize) -> Option<Source<'o, 'a>> {
        if let Some((plain, values)) = self.plain() {
            return match values.get(i) {
                Some(Leaf::Node(n)) => plain.node(*n).map(|node| Source::Plain(plain, node)),
                _ => None,
            };
        }
        match self.get(i) {
            Some(Value::Object(o)) => Some(Source::Tree(o)),
            _ => None,
        }
    }
}

macro_rules! fields {
    ($schema:ident: $($name:ident = $wire:literal),+ $(,)?) => {
        $(const $name: usize = at(&$schema, $wire);)+
    };
}

/// Overwrites `slot` with `value`, keeping its allocation.
#[inline(always)]
fn put(slot: &mut String, value: &str) {
    slot.clear();
    slot.push_str(value);
}

/// Overwrites an optional text, keeping the allocation when both are set.
fn put_opt(slot: &mut Option<String>, value: Option<&str>) {
    match (slot.as_mut(), value) {
        (Some(text), Some(value)) => put(text, value),
        (_, value) => *slot = value.map(str::to_owned),
    }
}

/// Overwrites an optional object: filled in place when both are set.
fn put_object<T: Default>(
    slot: &mut Option<T>,
    source: Option<Source>,
    fill: impl FnOnce(Source, &mut T),
) {
    match source {
        Some(source) => fill(source, slot.get_or_insert_with(T::default)),
        None => *slot = None,
    }
}

pub(crate) fn charge(object: Source) -> ChargeRequest {
    let mut request = ChargeRequest::default();
    charge_into(object, &mut request);
    request
}

/// Builds a charge into `request`, reusing its strings: validating requests one after the
/// other then allocates nothing once the first has been built.
pub(crate) fn charge_into(object: Source, request: &mut ChargeRequest) {
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
    let r = request;
    match (f.str(METHOD_ID), f.object(METHOD)) {
        (Some(id), _) => match &mut r.payment_method {
            ChargePaymentMethod::Vaulted { payment_method_id } => put(payment_method_id, id),
            other => {
                *other = ChargePaymentMethod::Vaulted {
                    payment_method_id: id.to_owned(),
                }
            }
        },
        (None, Some(method))
            if method
                .schema()
                .is_some_and(|s| core::ptr::eq(s, &GATEWAY_PAYMENT_METHOD)) =>
        {
            if !matches!(
                r.payment_method,
                ChargePaymentMethod::GatewayPaymentMethod { .. }
            ) {
                r.payment_method = ChargePaymentMethod::GatewayPaymentMethod {
                    payment_method: GatewayPaymentMethodDetails::default(),
                };
            }
            if let ChargePaymentMethod::GatewayPaymentMethod { payment_method } =
                &mut r.payment_method
            {
                gateway_payment_method_into(method, payment_method);
            }
        }
        (None, method) => {
            let retain = f.flag(RETAIN).unwrap_or(false);
            if !matches!(r.payment_method, ChargePaymentMethod::Card { .. }) {
                r.payment_method = ChargePaymentMethod::default();
            }
            if let ChargePaymentMethod::Card {
                payment_method,
                retain_on_success,
            } = &mut r.payment_method
            {
                card_into(method, false, payment_method);
                *retain_on_success = retain;
            }
        }
    }
    put(
        &mut r.merchant_transaction_id,
        f.str(MTI).unwrap_or_default(),
    );
    put(&mut r.order_id, f.str(ORDER).unwrap_or_default());
    put_opt(&mut r.description, f.str(DESCRIPTION));
    put_opt(&mut r.customer_id, f.str(CUSTOMER));
    put(&mut r.currency_code, f.str(CURRENCY).unwrap_or_default());
    r.amount = f.int(AMOUNT).unwrap_or(0);
    put_opt(&mut r.customer_ip, f.str(IP));
    put_object(
        &mut r.shipping_address,
        f.object(SHIPPING),
        shipping_address,
    );
    put_opt(&mut r.gateway_token, f.str(GATEWAY_TOKEN));
    put_object(&mut r.payment_plan, f.object(PLAN), payment_plan);
    r.retry_count = f.count(RETRY).unwrap_or(0);
    put_opt(&mut r.date_first_attempt, f.str(FIRST));
    r.disable_customer_recovery = f.flag(DISABLE);
    put_opt(&mut r.reference_data, f.str(REFERENCE));
    put_opt(&mut r.custom_variable1, f.str(CV1));
    put_opt(&mut r.custom_variable2, f.str(CV2));
    put_opt(&mut r.custom_variable3, f.str(CV3));
    put_opt(&mut r.custom_variable4, f.str(CV4));
    put_opt(&mut r.custom_variable5, f.str(CV5));
    r.payment_model = f.str(MODEL).map(PaymentModel::from_wire);
    put_object(&mut r.references, f.object(REFERENCES), references);
}

fn shipping_address(object: Source, address: &mut ShippingAddress) {
    fields!(SHIPPING_ADDRESS:
        A1 = "address1", A2 = "address2", POSTAL = "postalCode", CITY = "city", STATE = "state",
        COUNTRY = "country",
    );
    let f = Slots::of(object, &SHIPPING_ADDRESS);
    put_opt(&mut address.address1, f.str(A1));
    put_opt(&mut address.address2, f.str(A2));
    put_opt(&mut address.postal_code, f.str(POSTAL));
    put_opt(&mut address.city, f.str(CITY));
    put_opt(&mut address.state, f.str(STATE));
    put_opt(&mut address.country, f.str(COUNTRY));
}

fn payment_plan(object: Source, plan: &mut PaymentPlan) {
    fields!(PAYMENT_PLAN:
        SKU = "sku", CATEGORY = "category", PLAN = "billingPlan", CYCLE = "billingCycle",
    );
    let f = Slots::of(object, &PAYMENT_PLAN);
    put_opt(&mut plan.sku, f.str(SKU));
    put_opt(&mut plan.category, f.str(CATEGORY));
    put_opt(&mut plan.billing_plan, f.str(PLAN));
    plan.billing_cycle = f.count(CYCLE);
}

fn references(object: Source, references: &mut References) {
    fields!(REFERENCES: PREVIOUS = "PreviousTransaction");
    let f = Slots::of(object, &REFERENCES);
    put_object(
        &mut references.previous_transaction,
        f.object(PREVIOUS),
        |previous, p: &mut PreviousTransaction| {
            fields!(PREVIOUS_TRANSACTION:
                MARI = "merchantAccountReferenceId", CODE = "gatewayCode",
                MESSAGE = "gatewayMesage", DATE = "transactionDate",
            );
            let f = Slots::of(previous, &PREVIOUS_TRANSACTION);
            put_opt(&mut p.merchant_account_reference_id, f.str(MARI));
            put_opt(&mut p.gateway_code, f.str(CODE));
            put_opt(&mut p.gateway_message, f.str(MESSAGE));
            put_opt(&mut p.transaction_date, f.str(DATE));
        },
    );
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
fn card(object: Option<Source>, vault: bool) -> CreditCardDetails {
    let mut card = CreditCardDetails::default();
    card_into(object, vault, &mut card);
    card
}

fn card_into(object: Option<Source>, vault: bool, card: &mut CreditCardDetails) {
    let empty = Object::default();
    let object = object.unwrap_or(Source::Tree(&empty));
    let (schema, shift) = if vault {
        (&VAULT_CARD, 1)
    } else {
        (&CHARGE_CARD, 0)
    };
    let f = Slots::of(object, schema);
    let text = |i: usize| i.checked_sub(shift).and_then(|i| f.str(i));
    put_opt(&mut card.merchant_account_reference_id, text(CARD_MARI));
    put(
        &mut card.credit_card_number,
        text(CARD_NUMBER).unwrap_or_default(),
    );
    put(&mut card.expiry_month, text(CARD_MONTH).unwrap_or_default());
    put(&mut card.expiry_year, text(CARD_YEAR).unwrap_or_default());
    put_opt(&mut card.cvv, text(CARD_CVV));
    put_opt(&mut card.first_name, text(CARD_FIRST));
    put_opt(&mut card.last_name, text(CARD_LAST));
    put_opt(&mut card.full_name, text(CARD_FULL));
    put_opt(&mut card.address1, text(CARD_A1));
    put_opt(&mut card.address2, text(CARD_A2));
    put_opt(&mut card.postal_code, text(CARD_POSTAL));
    put_opt(&mut card.city, text(CARD_CITY));
    put_opt(&mut card.state, text(CARD_STATE));
    put_opt(&mut card.country, text(CARD_COUNTRY));
    put_opt(&mut card.email, text(CARD_EMAIL));
    put_opt(&mut card.phone_number, text(CARD_PHONE));
}

fn gateway_payment_method(object: Source) -> GatewayPaymentMethodDetails {
    let mut method = GatewayPaymentMethodDetails::default();
    gateway_payment_method_into(object, &mut method);
    method
}

fn gateway_payment_method_into(object: Source, m: &mut GatewayPaymentMethodDetails) {
    fields!(GATEWAY_PAYMENT_METHOD:
        ID = "gatewayPaymentMethodId", MARI = "merchantAccountReferenceId",
        SIX = "firstSixDigits", FOUR = "lastFourDigits", FIRST = "firstName", LAST = "lastName",
        FULL = "fullName", A1 = "address1", A2 = "address2", POSTAL = "postalCode",
        CITY = "city", STATE = "state", COUNTRY = "country", EMAIL = "email",
        PHONE = "phoneNumber", MONTH = "expiryMonth", YEAR = "expiryYear",
    );
    let f = Slots::of(object, &GATEWAY_PAYMENT_METHOD);
    put(
        &mut m.gateway_payment_method_id,
        f.str(ID).unwrap_or_default(),
    );
    put_opt(&mut m.merchant_account_reference_id, f.str(MARI));
    put_opt(&mut m.first_six_digits, f.str(SIX));
    put_opt(&mut m.last_four_digits, f.str(FOUR));
    put_opt(&mut m.first_name, f.str(FIRST));
    put_opt(&mut m.last_name, f.str(LAST));
    put_opt(&mut m.full_name, f.str(FULL));
    put_opt(&mut m.address1, f.str(A1));
    put_opt(&mut m.address2, f.str(A2));
    put_opt(&mut m.postal_code, f.str(POSTAL));
    put_opt(&mut m.city, f.str(CITY));
    put_opt(&mut m.state, f.str(STATE));
    put_opt(&mut m.country, f.str(COUNTRY));
    put_opt(&mut m.email, f.str(EMAIL));
    put_opt(&mut m.phone_number, f.str(PHONE));
    put_opt(&mut m.expiry_month, f.str(MONTH));
    put_opt(&mut m.expiry_year, f.str(YEAR));
}

fields!(FOLLOW_UP_WITH_AMOUNT:
    FOLLOW_UP_MTI = "merchantTransactionId", FOLLOW_UP_AMOUNT = "amount",
    FOLLOW_UP_DISABLE = "disableCustomerRecovery",
);

pub(crate) fn capture(object: Source) -> CaptureRequest {
    let f = Slots::of(object, &FOLLOW_UP_WITH_AMOUNT);
    CaptureRequest {
        merchant_transaction_id: f.required(FOLLOW_UP_MTI),
        amount: f.int(FOLLOW_UP_AMOUNT),
        disable_customer_recovery: f.flag(FOLLOW_UP_DISABLE),
    }
}

pub(crate) fn refund(object: Source) -> RefundRequest {
    let f = Slots::of(object, &FOLLOW_UP_WITH_AMOUNT);
    RefundRequest {
        merchant_transaction_id: f.required(FOLLOW_UP_MTI),
        amount: f.int(FOLLOW_UP_AMOUNT),
        disable_customer_recovery: f.flag(FOLLOW_UP_DISABLE),
    }
}

pub(crate) fn void(object: Source) -> VoidRequest {
    fields!(VOID: MTI = "merchantTransactionId", DISABLE = "disableCustomerRecovery");
    let f = Slots::of(object, &VOID);
    VoidRequest {
        merchant_transaction_id: f.required(MTI),
        disable_customer_recovery: f.flag(DISABLE),
    }
}

pub(crate) fn create_payment_method(object: Source) -> CreatePaymentMethodRequest {
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

pub(crate) fn update_payment_method(object: Source) -> UpdatePaymentMethodRequest {
    fields!(UPDATE_PAYMENT_METHOD:
        MONTH = "expiryMonth", YEAR = "expiryYear", FIRST = "firstName", LAST = "lastName",
        FULL = "fullName", A1 = "address1", A2 = "address2", POSTAL = "postalCode",
        CITY = "city", STATE = "state", COUNTRY = "country", EMAIL = "email",
        PHONE = "phoneNumber",
    );
    let f = Slots::of(object, &UPDATE_PAYMENT_METHOD);
    UpdatePaymentMethodRequest {
        expiry_month: f.text(MONTH),
        expiry_year: f.text(YEAR),
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
    }
}

pub(crate) fn recache_payment_method(object: Source) -> RecachePaymentMethodRequest {
    fields!(RECACHE_PAYMENT_METHOD: CARD = "creditCard");
    fields!(RECACHE_CARD: CVV = "cvv");
    let f = Slots::of(object, &RECACHE_PAYMENT_METHOD);
    let cvv = f
        .object(CARD)
        .map(|card| Slots::of(card, &RECACHE_CARD).required(CVV))
        .unwrap_or_default();
    RecachePaymentMethodRequest {
        credit_card: RecacheCard { cvv },
    }
}

pub(crate) fn list_query(object: Source) -> ListTransactionsQuery {
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

fn acceptance(object: Source) -> CardAcceptance {
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

pub(crate) fn gateway(object: Source) -> Gateway {
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

pub(crate) fn company(object: Source) -> Company {
    fields!(COMPANY: NAME = "name", CODE = "code");
    let f = Slots::of(object, &COMPANY);
    Company {
        name: f.required(NAME),
        code: f.required(CODE),
    }
}

pub(crate) fn api_key_request(object: Source) -> ApiKeyRequest {
    fields!(API_KEY_REQUEST: NAME = "name", COMPANY_CODE = "company", MODE = "mode");
    let f = Slots::of(object, &API_KEY_REQUEST);
    ApiKeyRequest {
        name: f.required(NAME),
        company: f.required(COMPANY_CODE),
        mode: environment(f.str(MODE)),
    }
}

pub(crate) fn auto_retry_config(object: Source) -> AutoRetryConfig {
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
