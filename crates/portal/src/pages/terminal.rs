//! Virtual terminal (the FlexPay client portal's CREATE PAYMENT): a charge, authorization,
//! capture, void or refund sent to the sandbox for the company selected in the header, or
//! chosen first in the form while the header shows All companies, and the header's mode. Every field
//! is checked as it is typed by the core's own validators (`validate_charge`, ...); the
//! answer is shown at once with its response code, retry date and reference data.

use flexkit_core::card::detect_brand;
use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::payment_method::CreditCardDetails;
use flexkit_core::flexpay::response_code::ResponseCode;
use flexkit_core::flexpay::sandbox::{CompanyScope, Sandbox, TransactionSummary, NO_GATEWAY_TOKEN};
use flexkit_core::flexpay::test_cards::TEST_CARDS;
use flexkit_core::flexpay::transaction::{
    CaptureRequest, ChargePaymentMethod, ChargeRequest, RefundRequest, ShippingAddress,
    TransactionResponse, TransactionStatus, VoidRequest,
};
use flexkit_core::flexpay::validate::{
    validate_capture, validate_charge, validate_refund, validate_void, ValidationContext,
};
use flexkit_core::validation::json::JS_MAX_SAFE_INTEGER;
use flexkit_core::validation::{code, Problem};
use flexkit_core::{Currency, Money, UtcTimestamp};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::company::{company_problem, form_company, CompanyField};
use crate::components::confirm::Confirm;
use crate::components::fields::{
    focus_after_render, focus_element, read_amount, refuse_unreadable, FieldChecks, FieldProblem,
    FieldProblems, ProblemSummary, TextField, AMOUNT_REQUIRED,
};
use crate::components::format::{currency_options, instant, money, without_retry_date, CodeBadge};
use crate::components::layout::mode_label;
use crate::store::use_store;

/// The five calls of the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxKind {
    Charge,
    Authorize,
    Capture,
    Void,
    Refund,
}

impl TxKind {
    const ALL: [TxKind; 5] = [
        TxKind::Charge,
        TxKind::Authorize,
        TxKind::Capture,
        TxKind::Void,
        TxKind::Refund,
    ];

    fn value(self) -> &'static str {
        match self {
            TxKind::Charge => "charge",
            TxKind::Authorize => "authorize",
            TxKind::Capture => "capture",
            TxKind::Void => "void",
            TxKind::Refund => "refund",
        }
    }

    fn label(self) -> &'static str {
        match self {
            TxKind::Charge => "Charge",
            TxKind::Authorize => "Authorize",
            TxKind::Capture => "Capture",
            TxKind::Void => "Void",
            TxKind::Refund => "Refund",
        }
    }

    fn parse(value: &str) -> Option<TxKind> {
        TxKind::ALL
            .into_iter()
            .find(|k| k.value().eq_ignore_ascii_case(value))
    }

    /// Capture, void and refund follow up an earlier transaction.
    pub fn is_follow_up(self) -> bool {
        matches!(self, TxKind::Capture | TxKind::Void | TxKind::Refund)
    }

    /// Which approved transactions it may follow up (FlexPay `transactionType` names).
    fn originals(self) -> &'static [&'static str] {
        match self {
            TxKind::Charge | TxKind::Authorize => &[],
            TxKind::Capture => &["Authorize"],
            TxKind::Void => &["Charge", "Authorize", "Capture"],
            TxKind::Refund => &["Charge", "Capture"],
        }
    }
}

/// Whether `original` can still take a follow-up of `kind`, judged by the approved follow-ups
/// already made: an authorization is captured or voided once, a voided transaction takes
/// nothing more, a refund needs an amount not yet refunded. (The sandbox refuses the others
/// with a response code; the list of choices does not offer them.)
fn still_open(kind: TxKind, original: &TransactionSummary, all: &[TransactionSummary]) -> bool {
    closed_by(kind, original, all).is_none()
        && (kind != TxKind::Refund
            || original
                .amount
                .is_none_or(|_| refundable(original, all) > 0))
}

/// The approved follow-up of `original` after which it takes no follow-up of `kind`.
fn closed_by<'a>(
    kind: TxKind,
    original: &'a TransactionSummary,
    all: &'a [TransactionSummary],
) -> Option<&'a TransactionSummary> {
    approved_follow_ups(original, all).find(|f| {
        matches!(
            (kind, f.transaction_type),
            (_, "Void") | (TxKind::Capture | TxKind::Void, "Capture") | (TxKind::Void, "Refund")
        )
    })
}

/// The code of a warning that the sandbox will refuse what the form holds: sent anyway, it
/// shows the refusal.
const WILL_BE_REFUSED: &str = "will_be_refused";

/// The code of a warning that a first attempt would start a second recovery of an order
/// whose payment is in recovery ([`flexkit_core::flexpay::sandbox::OrderInRecovery`]).
const ORDER_IN_RECOVERY: &str = "order_in_recovery";

/// What the sandbox will refuse before any gateway, as its records already tell: a merchant
/// transaction ID another request used (50129), and reference data that does not continue a
/// payment in recovery as the form writes it (50132, in the refusal's words; judged once the
/// retry count is a number, the amount and currency once the form has no problem at them).
/// Warnings at their fields: the form still sends, and the refusal shows.
fn refused_ahead(
    sandbox: &Sandbox,
    company: &str,
    mode: Environment,
    request: &Request,
    problems: &[FieldProblem],
) -> Vec<FieldProblem> {
    let mut ahead = Vec::new();
    let mtid = match request {
        Request::Charge(r) | Request::Authorize(r) => &r.merchant_transaction_id,
        Request::Capture(_, r) => &r.merchant_transaction_id,
        Request::Void(_, r) => &r.merchant_transaction_id,
        Request::Refund(_, r) => &r.merchant_transaction_id,
    };
    if let Some(used_by) = sandbox.merchant_transaction_id_taken(company, mode, mtid) {
        ahead.push(FieldProblem::warning(
            "mtid",
            WILL_BE_REFUSED,
            format!(
                "Transaction {used_by} already used it: the sandbox will refuse this request with 50129. Every request needs a new one, retries included."
            ),
        ));
    }
    if let Request::Charge(r) | Request::Authorize(r) = request {
        let reference = r.reference_data.as_deref().map_or("", str::trim);
        let at = |fields: &[&str]| {
            problems
                .iter()
                .any(|p| !p.warning && fields.contains(&p.field.as_str()))
        };
        // A retry count that is not a number was built as a placeholder: nothing to judge.
        if !reference.is_empty() && !at(&["retry"]) {
            let unsure = at(&["amount", "currency"]);
            let payment = (!unsure).then(|| (r.amount, Currency::from_code(&r.currency_code).ok()));
            if let Some(why) = sandbox.reference_data_refusal(
                company,
                mode,
                reference,
                r.retry_count,
                payment,
                r.customer_id.as_deref(),
            ) {
                ahead.push(FieldProblem::warning(
                    "refdata",
                    WILL_BE_REFUSED,
                    format!("The sandbox will refuse this request with 50132: {why}."),
                ));
            }
        }
        // The gateway chosen: one that takes no retries, not the card's brand or not the
        // currency refuses it (50130, 50147) before anything else is judged.
        if let Some(token) = r.gateway_token.as_deref().filter(|t| !t.is_empty()) {
            let brand = match &r.payment_method {
                ChargePaymentMethod::Card { payment_method, .. } => {
                    detect_brand(&payment_method.credit_card_number)
                }
                _ => None,
            };
            let retry = !reference.is_empty() && ahead.iter().all(|p| p.field != "refdata");
            let currency = Currency::from_code(&r.currency_code).ok();
            if let Some((code, why)) =
                sandbox.gateway_refusal(company, mode, token, currency, brand, retry)
            {
                ahead.push(FieldProblem::warning(
                    "gateway",
                    WILL_BE_REFUSED,
                    format!("The sandbox will refuse this request with {code}: {why}."),
                ));
            }
        }
    }
    ahead
}

/// Why the sandbox will refuse a follow-up of `original` for `amount` (minor units; `None`
/// for the whole), judged by the approved follow-ups already made: a warning at the field to
/// change, as the form still sends it.
fn follow_up_refusal(
    kind: TxKind,
    original: &TransactionSummary,
    all: &[TransactionSummary],
    amount: Option<i64>,
) -> Option<FieldProblem> {
    let money = |minor: i64| money(minor, original.currency);
    let refused =
        |field: &str, message: String| Some(FieldProblem::warning(field, WILL_BE_REFUSED, message));
    if let Some(done) = closed_by(kind, original, all) {
        let past = match done.transaction_type {
            "Void" => "voided",
            "Capture" => "captured",
            _ => "refunded",
        };
        return refused(
            "original",
            format!(
                "It was already {past} ({}): the sandbox will refuse a {} of it.",
                done.transaction_id,
                kind.value()
            ),
        );
    }
    let whole = original.amount?;
    match kind {
        TxKind::Refund
            if !matches!(original.transaction_type, "Charge" | "Capture")
                || original.status != TransactionStatus::Approved =>
        {
            refused(
                "original",
                format!(
                    "Only an approved charge or capture can be refunded, not this {} ({}): the sandbox will refuse it with 30011 (void an authorization instead).",
                    original.transaction_type,
                    status_label(original.status)
                ),
            )
        }
        TxKind::Refund => {
            let left = refundable(original, all);
            if left <= 0 {
                refused(
                    "original",
                    format!(
                        "All of its {} was refunded: the sandbox will refuse another refund.",
                        money(whole)
                    ),
                )
            } else if amount.is_some_and(|a| a > left) {
                refused(
                    "amount",
                    format!(
                        "More than the {} left to refund: the sandbox will refuse it.",
                        money(left)
                    ),
                )
            } else {
                None
            }
        }
        TxKind::Capture if amount.is_some_and(|a| a > whole) => refused(
            "amount",
            format!(
                "More than the {} authorized: the sandbox will refuse it.",
                money(whole)
            ),
        ),
        _ => None,
    }
}

fn approved_follow_ups<'a>(
    original: &'a TransactionSummary,
    all: &'a [TransactionSummary],
) -> impl Iterator<Item = &'a TransactionSummary> {
    all.iter().filter(|f| {
        f.status == TransactionStatus::Approved
            && f.original_transaction_id.as_deref() == Some(original.transaction_id.as_str())
    })
}

/// What is left to refund of `original`: its amount less its approved refunds, in minor units.
fn refundable(original: &TransactionSummary, all: &[TransactionSummary]) -> i64 {
    approved_follow_ups(original, all)
        .filter(|f| f.transaction_type == "Refund")
        .fold(original.amount.unwrap_or(0), |left, f| {
            left.saturating_sub(f.amount.unwrap_or(0))
        })
}

/// What the form holds, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// Pay with a card in the vault (`paymentMethodId`) instead of card details.
    pub vaulted: bool,
    pub payment_method_id: String,
    /// Keep the card in the vault if the payment is approved (`retainOnSuccess`).
    pub retain: bool,
    pub card: String,
    pub expiry: String,
    pub cvv: String,
    pub name: String,
    pub email: String,
    pub customer: String,
    pub currency: String,
    pub amount: String,
    pub mtid: String,
    pub order: String,
    pub gateway: String,
    pub retry: String,
    pub refdata: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub postal: String,
    pub state: String,
    pub country: String,
    /// A shipping address is sent (`shippingAddress`), from the `ship_*` fields.
    pub ship: bool,
    pub ship_address1: String,
    pub ship_address2: String,
    pub ship_city: String,
    pub ship_postal: String,
    pub ship_state: String,
    pub ship_country: String,
    pub original: String,
}

/// A request ready for the sandbox.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    Charge(ChargeRequest),
    Authorize(ChargeRequest),
    Capture(String, CaptureRequest),
    Void(String, VoidRequest),
    Refund(String, RefundRequest),
}

/// The field a validation path belongs to.
pub fn field_of(path: &str) -> String {
    let p = path.strip_prefix("transaction.").unwrap_or(path);
    if let Some(rest) = p.strip_prefix("shippingAddress.") {
        let field = match rest {
            "address1" => "ship_address1",
            "address2" => "ship_address2",
            "city" => "ship_city",
            "postalCode" => "ship_postal",
            "state" => "ship_state",
            "country" => "ship_country",
            _ => "general",
        };
        return field.to_owned();
    }
    let p = p.strip_prefix("paymentMethod.").unwrap_or(p);
    match p {
        "creditCardNumber" => "card",
        "paymentMethodId" => "pmid",
        "expiryMonth" | "expiryYear" => "expiry",
        "cvv" => "cvv",
        "fullName" | "firstName" | "lastName" => "name",
        "email" => "email",
        "customerId" => "customer",
        "currencyCode" => "currency",
        "amount" => "amount",
        "merchantTransactionId" => "mtid",
        "orderId" => "order",
        "gatewayToken" => "gateway",
        "retryCount" => "retry",
        "referenceData" => "refdata",
        "address1" => "address1",
        "address2" => "address2",
        "city" => "city",
        "postalCode" => "postal",
        "state" => "state",
        "country" => "country",
        _ => "general",
    }
    .to_owned()
}

/// A problem of the core at its field, in the form's words: the core's messages begin with
/// the API's name of the field (`creditCardNumber must be digits only`), shared with the npm
/// package, so that name is given as the form's label.
fn in_form_words(problem: &Problem) -> FieldProblem {
    let mut p = FieldProblem::from_core(problem, field_of);
    let leaf = problem.path.rsplit('.').next().unwrap_or_default();
    // The form has one name field, which it sends as `fullName`: the API's choice of fields
    // is not the user's.
    if leaf == "fullName" && problem.code == code::REQUIRED {
        p.message = "Cardholder name is required: type the name on the card.".to_owned();
        return p;
    }
    if let (Some(rest), false) = (problem.message.strip_prefix(leaf), p.field == "general") {
        if rest.starts_with(' ') {
            let name = match leaf {
                "expiryMonth" => "Expiry month".to_owned(),
                "expiryYear" => "Expiry year".to_owned(),
                _ => label_of(&p.field),
            };
            p.message = name + rest;
        }
    }
    p
}

fn label_of(field: &str) -> String {
    match field {
        "company" => "Company",
        "kind" => "Transaction type",
        "card" => "Card number",
        "pmid" => "Vaulted card",
        "expiry" => "Expiry (MM/YYYY)",
        "cvv" => "CVV",
        "name" => "Cardholder name",
        "email" => "Customer email",
        "customer" => "Customer ID",
        "currency" => "Currency",
        "amount" => "Amount",
        "mtid" => "Merchant transaction ID",
        "order" => "Order ID",
        "gateway" => "Payment gateway",
        "retry" => "Retry count",
        "refdata" => "Reference data",
        "address1" => "Address line 1",
        "address2" => "Address line 2",
        "city" => "City",
        "postal" => "Postcode / ZIP",
        "state" => "State / province",
        "country" => "Country",
        "ship_address1" => "Shipping address line 1",
        "ship_address2" => "Shipping address line 2",
        "ship_city" => "Shipping city",
        "ship_postal" => "Shipping postcode / ZIP",
        "ship_state" => "Shipping state / province",
        "ship_country" => "Shipping country",
        "original" => "Original transaction ID",
        _ => "Request",
    }
    .to_owned()
}

fn given(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Builds the request the form describes and finds every problem: the core's validation of
/// the request plus what only the form knows (an amount that is not an exact decimal of the
/// currency, an expiry not written MM/YYYY, a retry count that is not a number).
///
/// `original` is the transaction a follow-up names, if it is one of this company's.
pub fn build(
    kind: TxKind,
    draft: &Draft,
    ctx: &ValidationContext,
    original: Option<&TransactionSummary>,
) -> (Request, Vec<FieldProblem>) {
    let mut problems = Vec::new();
    // The amount, converted exactly into minor units of the currency.
    let currency = if kind.is_follow_up() {
        original
            .and_then(|o| o.currency)
            .or_else(|| Currency::from_code(draft.currency.trim()).ok())
    } else {
        Currency::from_code(draft.currency.trim()).ok()
    };
    let mut amount_checked_here = false;
    let amount: Option<i64> = match (given(&draft.amount), currency) {
        (None, _) if !kind.is_follow_up() => {
            amount_checked_here = true;
            problems.push(FieldProblem::error(
                "amount",
                code::REQUIRED,
                AMOUNT_REQUIRED,
            ));
            None
        }
        (None, _) => None,
        (Some(_), None) => {
            amount_checked_here = true;
            None
        }
        (Some(text), Some(currency)) => match read_amount(
            &text,
            currency,
            kind.is_follow_up(),
            JS_MAX_SAFE_INTEGER,
            "the largest amount the API carries exactly",
        ) {
            Ok(minor_units) => Some(minor_units),
            Err(problem) => {
                amount_checked_here = true;
                problems.push(problem);
                None
            }
        },
    };
    if kind == TxKind::Void && given(&draft.amount).is_some() {
        amount_checked_here = true;
    }

    let (request, validation) = match kind {
        TxKind::Charge | TxKind::Authorize => {
            let retry_count = match draft.retry.trim().parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    problems.push(FieldProblem::error(
                        "retry",
                        code::INVALID_FORMAT,
                        "The retry count is a whole number: 1 for the first attempt sent through FlexPay, then 2, 3, …",
                    ));
                    1
                }
            };
            let currency_code =
                currency.map_or_else(|| draft.currency.trim().to_owned(), |c| c.code().to_owned());
            // A vaulted card brings its own number, expiry, holder and billing address.
            let mut expiry_checked_here = false;
            let mut request = if draft.vaulted {
                ChargeRequest::with_vaulted_payment_method(
                    draft.mtid.trim(),
                    draft.order.trim(),
                    currency_code,
                    amount.unwrap_or(1),
                    draft.payment_method_id.trim(),
                )
            } else {
                let (month, year) = match draft.expiry.trim().split_once('/') {
                    Some((m, y)) => (m.trim().to_owned(), y.trim().to_owned()),
                    None if draft.expiry.trim().is_empty() => (String::new(), String::new()),
                    None => {
                        expiry_checked_here = true;
                        problems.push(FieldProblem::error(
                            "expiry",
                            code::INVALID_FORMAT,
                            "Write the expiry as MM/YYYY, e.g. 07/2027.",
                        ));
                        (String::new(), String::new())
                    }
                };
                // Spaces and dashes separate digit groups, as the card checker reads them.
                let number: String = draft
                    .card
                    .chars()
                    .filter(|&c| !c.is_whitespace() && c != '-')
                    .collect();
                let card = CreditCardDetails {
                    cvv: given(&draft.cvv),
                    full_name: given(&draft.name),
                    address1: given(&draft.address1),
                    address2: given(&draft.address2),
                    city: given(&draft.city),
                    postal_code: given(&draft.postal),
                    state: given(&draft.state),
                    country: given(&draft.country),
                    email: given(&draft.email),
                    ..CreditCardDetails::new(number, month, year)
                };
                ChargeRequest::with_card(
                    draft.mtid.trim(),
                    draft.order.trim(),
                    currency_code,
                    amount.unwrap_or(1),
                    card,
                )
                .retain_on_success(draft.retain)
            }
            .retry_attempt(retry_count, given(&draft.refdata));
            request.customer_id = given(&draft.customer);
            request.gateway_token = given(&draft.gateway);
            request.shipping_address = draft.ship.then(|| ShippingAddress {
                address1: given(&draft.ship_address1),
                address2: given(&draft.ship_address2),
                postal_code: given(&draft.ship_postal),
                city: given(&draft.ship_city),
                state: given(&draft.ship_state),
                country: given(&draft.ship_country),
            });
            let validation = validate_charge(&request, ctx);
            let problems_of_core: Vec<FieldProblem> = validation
                .problems()
                .iter()
                .map(in_form_words)
                .filter(|p| !(expiry_checked_here && p.field == "expiry"))
                .collect();
            let request = if kind == TxKind::Charge {
                Request::Charge(request)
            } else {
                Request::Authorize(request)
            };
            (request, problems_of_core)
        }
        TxKind::Capture | TxKind::Void | TxKind::Refund => {
            let id = draft.original.trim().to_owned();
            if id.is_empty() {
                problems.push(FieldProblem::error(
                    "original",
                    code::REQUIRED,
                    format!(
                        "Choose the transaction to {}: one of the latest approved ones, or paste its FlexPay transaction ID.",
                        kind.value()
                    ),
                ));
            } else if original.is_none() && !id.contains('\u{FFFD}') {
                // (An ID with U+FFFD is refused below for it, the cause of its not being found.)
                problems.push(FieldProblem::warning(
                    "original",
                    code::INVALID_VALUE,
                    "No transaction with this ID in the selected company and environment: the sandbox will answer 50131.",
                ));
            }
            let mtid = draft.mtid.trim();
            let (request, validation) = match kind {
                TxKind::Capture => {
                    let r = CaptureRequest {
                        amount,
                        ..CaptureRequest::full(mtid)
                    };
                    let v = validate_capture(&r, ctx);
                    (Request::Capture(id, r), v)
                }
                TxKind::Void => {
                    if given(&draft.amount).is_some() {
                        problems.push(FieldProblem::warning(
                            "amount",
                            code::INVALID_VALUE,
                            "A void cancels the whole transaction: the amount is not sent.",
                        ));
                    }
                    let r = VoidRequest::new(mtid);
                    let v = validate_void(&r, ctx);
                    (Request::Void(id, r), v)
                }
                _ => {
                    let r = RefundRequest {
                        amount,
                        ..RefundRequest::full(mtid)
                    };
                    let v = validate_refund(&r, ctx);
                    (Request::Refund(id, r), v)
                }
            };
            let core = validation.problems().iter().map(in_form_words).collect();
            (request, core)
        }
    };
    problems.extend(
        validation
            .into_iter()
            .filter(|p| !(amount_checked_here && p.field == "amount")),
    );
    // The browser hands a text with half of a surrogate pair (a character cut in two when
    // copied) over with U+FFFD in its place: the request would carry another text than the
    // one on screen, so it is refused at its field, as the npm validators refuse the half.
    // The pattern names every field of `Draft` (no `..`), so a field added to the form must
    // be placed here or among those left out, each left out for the reason given.
    let Draft {
        payment_method_id,
        card,
        name,
        email,
        customer,
        mtid,
        order,
        refdata,
        address1,
        address2,
        city,
        postal,
        state,
        ship_address1,
        ship_address2,
        ship_city,
        ship_postal,
        ship_state,
        original,
        // Switches.
        vaulted: _,
        retain: _,
        ship: _,
        // Read as digits or a number, which U+FFFD is not: refused at the field already.
        expiry: _,
        cvv: _,
        amount: _,
        retry: _,
        // Codes and tokens the core checks against its lists.
        currency: _,
        country: _,
        ship_country: _,
        gateway: _,
    } = draft;
    let texts = [
        ("pmid", payment_method_id),
        ("card", card),
        ("name", name),
        ("email", email),
        ("customer", customer),
        ("mtid", mtid),
        ("order", order),
        ("refdata", refdata),
        ("address1", address1),
        ("address2", address2),
        ("city", city),
        ("postal", postal),
        ("state", state),
        ("ship_address1", ship_address1),
        ("ship_address2", ship_address2),
        ("ship_city", ship_city),
        ("ship_postal", ship_postal),
        ("ship_state", ship_state),
        ("original", original),
    ];
    for (field, text) in texts {
        refuse_unreadable(&mut problems, field, text);
    }
    (request, problems)
}

/// What the sandbox answered; an answer to a void keeps the id of the transaction voided.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Answered(Box<TransactionResponse>, Option<String>),
    Refused(String),
}

/// A merchant transaction id nobody used: the time and the sandbox's transaction count.
fn fresh_merchant_id(now: UtcTimestamp, count: usize) -> String {
    format!("VT-{}-{}", now.unix_millis(), count + 1)
}

#[derive(Clone, Copy)]
struct Form {
    kind: RwSignal<TxKind>,
    vaulted: RwSignal<bool>,
    payment_method_id: RwSignal<String>,
    retain: RwSignal<bool>,
    card: RwSignal<String>,
    expiry: RwSignal<String>,
    cvv: RwSignal<String>,
    name: RwSignal<String>,
    email: RwSignal<String>,
    customer: RwSignal<String>,
    currency: RwSignal<String>,
    amount: RwSignal<String>,
    mtid: RwSignal<String>,
    order: RwSignal<String>,
    gateway: RwSignal<String>,
    retry: RwSignal<String>,
    refdata: RwSignal<String>,
    address1: RwSignal<String>,
    address2: RwSignal<String>,
    city: RwSignal<String>,
    postal: RwSignal<String>,
    state: RwSignal<String>,
    country: RwSignal<String>,
    ship: RwSignal<bool>,
    ship_address1: RwSignal<String>,
    ship_address2: RwSignal<String>,
    ship_city: RwSignal<String>,
    ship_postal: RwSignal<String>,
    ship_state: RwSignal<String>,
    ship_country: RwSignal<String>,
    original: RwSignal<String>,
}

impl Form {
    fn new(mtid: String) -> Form {
        let s = |v: &str| RwSignal::new(v.to_owned());
        Form {
            kind: RwSignal::new(TxKind::Charge),
            vaulted: RwSignal::new(false),
            payment_method_id: s(""),
            retain: RwSignal::new(false),
            card: s(""),
            expiry: s(""),
            cvv: s(""),
            name: s(""),
            email: s(""),
            customer: s(""),
            currency: s("USD"),
            amount: s(""),
            mtid: RwSignal::new(mtid),
            order: s(""),
            gateway: s(""),
            retry: s("1"),
            refdata: s(""),
            address1: s(""),
            address2: s(""),
            city: s(""),
            postal: s(""),
            state: s(""),
            country: s(""),
            ship: RwSignal::new(false),
            ship_address1: s(""),
            ship_address2: s(""),
            ship_city: s(""),
            ship_postal: s(""),
            ship_state: s(""),
            ship_country: s(""),
            original: s(""),
        }
    }

    fn draft(&self) -> Draft {
        Draft {
            vaulted: self.vaulted.get(),
            payment_method_id: self.payment_method_id.get(),
            retain: self.retain.get(),
            card: self.card.get(),
            expiry: self.expiry.get(),
            cvv: self.cvv.get(),
            name: self.name.get(),
            email: self.email.get(),
            customer: self.customer.get(),
            currency: self.currency.get(),
            amount: self.amount.get(),
            mtid: self.mtid.get(),
            order: self.order.get(),
            gateway: self.gateway.get(),
            retry: self.retry.get(),
            refdata: self.refdata.get(),
            address1: self.address1.get(),
            address2: self.address2.get(),
            city: self.city.get(),
            postal: self.postal.get(),
            state: self.state.get(),
            country: self.country.get(),
            ship: self.ship.get(),
            ship_address1: self.ship_address1.get(),
            ship_address2: self.ship_address2.get(),
            ship_city: self.ship_city.get(),
            ship_postal: self.ship_postal.get(),
            ship_state: self.ship_state.get(),
            ship_country: self.ship_country.get(),
            original: self.original.get(),
        }
    }

    /// Copies the billing address into the shipping fields.
    fn ship_to_billing(&self) {
        for (to, from) in [
            (self.ship_address1, self.address1),
            (self.ship_address2, self.address2),
            (self.ship_city, self.city),
            (self.ship_postal, self.postal),
            (self.ship_state, self.state),
            (self.ship_country, self.country),
        ] {
            to.set(from.get_untracked());
        }
    }

    /// Fills the holder and billing address with sample values where they are empty, so a
    /// preset card gives a request the sandbox accepts.
    fn fill_sample_customer(&self) {
        let fill = |signal: RwSignal<String>, value: &str| {
            if signal.with_untracked(|v| v.trim().is_empty()) {
                signal.set(value.to_owned());
            }
        };
        fill(self.name, "Avery Quinn");
        fill(self.email, "avery.quinn@example.com");
        fill(self.order, "order-1001");
        fill(self.address1, "1180 Harbour Street");
        fill(self.city, "Portland");
        fill(self.postal, "97205");
        fill(self.state, "OR");
        fill(self.country, "US");
    }
}

/// Amount presets: the Sandbox Guide's trigger amounts and the void/refund scenarios.
const TRIGGERS: &[(i64, &str)] = &[
    (2005, "soft decline"),
    (2008, "soft decline"),
    (2012, "soft decline"),
    (3016, "hard decline"),
    (4018, "risk decline"),
    (5023, "validation error"),
];

/// Each `#` of a scenario's text is one of its amounts (minor units), written in the currency
/// chosen: P2's refunds are 40.00 and 35.00 USD, 4000 and 3500 JPY.
const SCENARIOS: &[(i64, &str, &[i64])] = &[
    (
        9000,
        "V1: a void fails with 30013, a refund then succeeds",
        &[],
    ),
    (7514, "V2: the void is approved", &[]),
    (9001, "V3: the refund is approved", &[]),
    (7500, "P2: refund #, then #", &[4000, 3500]),
    (5000, "P3: a refund of # is refused with 30015", &[5500]),
];

fn scenario_text(what: &str, amounts: &[i64], currency: Currency) -> String {
    let mut parts = what.split('#');
    let mut text = parts.next().unwrap_or_default().to_owned();
    for (part, &minor) in parts.zip(amounts) {
        text += &Money::new(minor, currency).format();
        text += part;
    }
    text
}

fn trigger_code(amount: i64) -> Option<ResponseCode> {
    let value = match amount {
        2005 => 20000,
        2008 => 20003,
        2012 => 20023,
        3016 => 30011,
        4018 => 40000,
        5023 => 50000,
        _ => return None,
    };
    ResponseCode::new(value).ok()
}

fn status_label(status: TransactionStatus) -> &'static str {
    match status {
        TransactionStatus::Approved => "Approved",
        TransactionStatus::Declined => "Declined",
        TransactionStatus::Error => "Error",
    }
}

#[component]
pub fn TerminalPage() -> impl IntoView {
    let store = use_store();
    let query = use_query_map();
    // Every request needs a fresh merchant transaction id.
    let fresh_mtid = move || {
        store
            .portal
            .with_untracked(|p| fresh_merchant_id(store.now(), p.sandbox.transaction_count()))
    };
    let initial_mtid = fresh_mtid();
    let form = Form::new(initial_mtid);
    // `?original=ID` (and `?type=refund`) pre-fill a follow-up.
    query.with_untracked(|q| {
        if let Some(original) = q.get("original") {
            form.original.set(original);
            form.kind.set(TxKind::Refund);
        }
        if let Some(kind) = q.get("type").and_then(|t| TxKind::parse(&t)) {
            form.kind.set(kind);
        }
    });
    let outcome = RwSignal::new(None::<Outcome>);
    let summary_ref = NodeRef::<leptos::html::Div>::new();

    // The header's company, else the one chosen in the form; a follow-up the link names is
    // for its payment's company.
    let company = form_company();
    if company.with_untracked(String::is_empty) {
        let original = form.original.get_untracked();
        let home = store.portal.with_untracked(|p| {
            let all = p
                .sandbox
                .console_transactions(CompanyScope::All, p.settings.mode);
            let all = all.unwrap_or_default();
            all.into_iter().find(|t| t.transaction_id == original)
        });
        if let Some(t) = home {
            company.set(t.company);
        }
    }
    let scope = Memo::new(move |_| (company.get(), store.portal.with(|p| p.settings.mode)));
    let transactions = Memo::new(move |_| {
        let (company, mode) = scope.get();
        store.portal.with(|p| {
            p.sandbox
                .console_transactions(CompanyScope::One(&company), mode)
                .unwrap_or_default()
        })
    });
    let gateways = Memo::new(move |_| {
        let (company, mode) = scope.get();
        store.portal.with(|p| {
            p.sandbox
                .console_gateways(&company, mode)
                .unwrap_or_default()
        })
    });
    let vault = Memo::new(move |_| {
        let (company, mode) = scope.get();
        store
            .portal
            .with(|p| p.sandbox.console_vault(&company, mode).unwrap_or_default())
    });
    let original = Memo::new(move |_| {
        let id = form.original.with(|o| o.trim().to_owned());
        transactions.with(|ts| ts.iter().find(|t| t.transaction_id == id).cloned())
    });
    let choices = Memo::new(move |_| {
        let kind = form.kind.get();
        let kinds = kind.originals();
        transactions.with(|ts| {
            ts.iter()
                .rev()
                .filter(|t| {
                    t.status == TransactionStatus::Approved
                        && kinds.contains(&t.transaction_type)
                        && still_open(kind, t, ts)
                })
                .take(10)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // A first attempt (no reference data) for an order whose payment is in recovery. A memo
    // of its own: the look-up walks the chains, which the other fields' keystrokes leave alone.
    let order_warning = Memo::new(move |_| {
        let kind = form.kind.get();
        if !matches!(kind, TxKind::Charge | TxKind::Authorize)
            || !form.refdata.with(|r| r.trim().is_empty())
        {
            return None;
        }
        let order = form.order.get();
        let (company, mode) = scope.get();
        let found = store.portal.with(|p| {
            let now = p.now(crate::storage::wall_clock());
            p.sandbox.order_in_recovery(&company, mode, &order, now)
        })?;
        let due = found
            .retry_date
            .map_or_else(String::new, |d| format!(", due {}", instant(d)));
        Some(FieldProblem::warning(
            "order",
            ORDER_IN_RECOVERY,
            format!(
                "Order {} already has a payment in recovery ({}; its retry {}{due}). Sent as a first attempt, this starts a second recovery of the order, and the customer could pay twice. To retry that payment, send retry count {} with its reference data.",
                order.trim(), found.merchant_transaction_id, found.retry_count, found.retry_count
            ),
        ))
    });
    let checked = Memo::new(move |_| {
        let draft = form.draft();
        let (_, mode) = scope.get();
        // Re-validated on every change of the state too (the clock moves with it).
        let now = store.portal.with(|p| p.now(crate::storage::wall_clock()));
        let ctx = ValidationContext::new(now, mode);
        let kind = form.kind.get();
        let (request, mut problems) = original.with(|o| build(kind, &draft, &ctx, o.as_ref()));
        let amount = match &request {
            Request::Capture(_, r) => r.amount,
            Request::Refund(_, r) => r.amount,
            _ => None,
        };
        problems.extend(original.with(|o| {
            let o = o.as_ref()?;
            transactions.with(|all| follow_up_refusal(kind, o, all, amount))
        }));
        problems.extend(company_problem(company));
        problems.extend(order_warning.get());
        let (company, mode) = scope.get();
        let ahead = store
            .portal
            .with(|p| refused_ahead(&p.sandbox, &company, mode, &request, &problems));
        problems.extend(ahead);
        (request, problems)
    });
    let problems = Signal::derive(move || checked.with(|(_, p)| p.clone()));
    let checks = FieldChecks::new("vt", problems);
    // The retryDate of the payment whose reference data the form holds, while it is ahead,
    // and whether FlexPay Retries sends that retry itself.
    // A memo: the warning it shows is drawn again when the date passes, not every second.
    let early_until = Memo::new(move |_| {
        let text = form.refdata.get();
        if text.trim().is_empty() {
            return None;
        }
        let (company, mode) = scope.get();
        let (due, by_flexpay) = store
            .portal
            .with(|p| p.sandbox.retry_date_of_reference(&company, mode, &text))?;
        (due > store.clock()).then_some((due, by_flexpay))
    });
    let by_flexpay = |yes: bool| {
        if yes {
            " FlexPay Retries sends it then: do not send it from here too."
        } else {
            ""
        }
    };

    // A retry sent before its retryDate, or one FlexPay Retries sends itself: asked about
    // before it goes, as a CRM must never do either.
    let risk = move || {
        early_until.get_untracked().map(|(due, auto)| {
            if auto {
                format!(
                    "FlexPay Retries sends this payment's retry at {}: a CRM must not send it too.",
                    instant(due)
                )
            } else {
                format!(
                    "This payment's retry is not due until {}: sent now, it is retried early.",
                    instant(due)
                )
            }
        })
    };
    let asking = RwSignal::new(None::<String>);
    let send = move || {
        let request = checked.with_untracked(|(r, _)| r.clone());
        let voided = match &request {
            Request::Void(id, _) => Some(id.clone()),
            _ => None,
        };
        let (company, mode) = scope.get_untracked();
        let result = store.act(move |p, now| -> Result<TransactionResponse, String> {
            let principal = p
                .sandbox
                .console_principal(&company, mode)
                .map_err(|e| e.message)?;
            let receipt = match request {
                Request::Charge(r) => p.sandbox.submit_charge(&principal, r, now),
                Request::Authorize(r) => p.sandbox.submit_authorize(&principal, r, now),
                Request::Capture(id, r) => p.sandbox.submit_capture(&principal, &id, r, now),
                Request::Void(id, r) => p.sandbox.submit_void(&principal, &id, r, now),
                Request::Refund(id, r) => p.sandbox.submit_refund(&principal, &id, r, now),
            }
            .map_err(|e| e.message)?;
            p.sandbox
                .response(receipt.transaction)
                .ok_or_else(|| "the sandbox kept no record of the transaction".to_owned())
        });
        outcome.set(Some(match result {
            Some(Ok(response)) => Outcome::Answered(Box::new(response), voided),
            Some(Err(message)) => Outcome::Refused(message),
            None => Outcome::Refused("The portal is shutting down.".to_owned()),
        }));
        form.mtid.set(fresh_mtid());
        // The CVV is not kept once the payment is sent (PCI DSS 3.3.1.2); a retry goes
        // without it, as a CRM's retries do.
        form.cvv.set(String::new());
        checks.reset();
        focus_after_render("vt-result");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if checks.refuse_submit(summary_ref) {
            outcome.set(None);
            return;
        }
        if let Some(why) = risk() {
            asking.set(Some(why));
            return;
        }
        send();
    };

    // A refund is filled in with what remains to refund; the others follow up the whole.
    let follow_up = move |kind: TxKind, id: String| {
        let rest = transactions.with_untracked(|ts| {
            let original = ts.iter().find(|t| t.transaction_id == id)?;
            let currency = original.currency.filter(|_| kind == TxKind::Refund)?;
            Some(Money::new(refundable(original, ts), currency).format())
        });
        form.kind.set(kind);
        form.original.set(id);
        form.amount.set(rest.unwrap_or_default());
        checks.reset();
        focus_element("vt-kind");
    };
    // The next attempt of a soft decline, filled in (not sent): its retry count and the
    // reference data to chain, so the form says when it is due.
    let next_retry = move |kind: TxKind, count: u32, data: String| {
        form.kind.set(kind);
        form.retry.set(count.to_string());
        form.refdata.set(data);
        form.mtid.set(fresh_mtid());
        focus_element("vt-retry");
    };

    let is_payment = move || !form.kind.get().is_follow_up();
    let currency_for_presets =
        move || Currency::from_code(form.currency.get().trim()).unwrap_or(Currency::USD);

    view! {
        <section class="page page-wide terminal">
            <h1>"Virtual terminal"</h1>
            <p class="lede">
                {move || {
                    let (company, mode) = scope.get();
                    let name = if company.is_empty() {
                        "the company you choose first (the header shows All companies)".to_owned()
                    } else {
                        store.portal.with(|p| p.company_label(&company))
                    };
                    format!("Send a transaction to the embedded FlexPay sandbox for {name}, in {} mode. Every field is checked by the flexkit core as you type.", mode_label(mode))
                }}
            </p>
            {move || (scope.get().1 == Environment::Production).then(|| view! {
                <p class="banner banner-info">"Production mode: the embedded sandbox simulates the live environment. Any card number that passes the check digit is answered by the trigger amounts and CVV codes of the Sandbox Guide, otherwise approved; the sandbox test cards expired in 2024 and are refused, as a live gateway would refuse them. Live payments go only to the company's own gateways (Payment gateways): without one they are refused with 50130."</p>
            })}
            <div class="vt-layout">
                <form class="vt-form" novalidate aria-label="Virtual terminal" on:submit=submit>
                    <ProblemSummary checks label_of node_ref=summary_ref />
                    <fieldset>
                        <legend>"Transaction details"</legend>
                        <div class="form-grid">
                            <CompanyField company prefix="vt" checks />
                            <div class="form-field">
                                <span class="label-line"><label for="vt-kind">"Transaction type"</label><span class="req" aria-hidden="true">"*"</span></span>
                                <select
                                    id="vt-kind"
                                    aria-required="true"
                                    prop:value=move || form.kind.get().value()
                                    on:change=move |ev| {
                                        if let Some(k) = TxKind::parse(&event_target_value(&ev)) {
                                            form.kind.set(k);
                                        }
                                    }
                                >
                                    {TxKind::ALL.map(|k| view! {
                                        <option value=k.value() selected=move || form.kind.get() == k>{k.label()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <Show when=is_payment>
                                <div class="form-field">
                                    <span class="label-line"><label for="vt-currency">"Currency"</label><span class="req" aria-hidden="true">"*"</span></span>
                                    <select
                                        id="vt-currency"
                                        aria-required="true"
                                        aria-invalid=move || if checks.invalid("currency") { "true" } else { "false" }
                                        aria-describedby=move || checks.described_by("currency", false)
                                        prop:value=move || form.currency.get()
                                        on:change=move |ev| {
                                            let to = event_target_value(&ev);
                                            // An amount typed for other decimals (2008 JPY is not
                                            // 2008 BHD, a thousand times more) is typed again.
                                            let decimals = |c: &str| Currency::from_code(c).map(Currency::exponent).ok();
                                            if decimals(&to) != form.currency.with_untracked(|c| decimals(c)) && form.amount.with_untracked(|a| !a.is_empty()) {
                                                form.amount.set(String::new());
                                                checks.touch("amount");
                                            }
                                            form.currency.set(to);
                                            checks.touch("currency");
                                        }
                                    >
                                        {currency_options(form.currency)}
                                    </select>
                                    <FieldProblems checks key="currency" />
                                </div>
                            </Show>
                            <TextField checks key="amount" label=move || {
                                let kind = form.kind.get();
                                let currency = if kind.is_follow_up() {
                                    original.get().and_then(|o| o.currency).map(|c| c.code().to_owned()).unwrap_or_default()
                                } else {
                                    form.currency.get()
                                };
                                match kind {
                                    TxKind::Charge | TxKind::Authorize => format!("Amount ({currency})"),
                                    TxKind::Void => "Amount (not sent: a void is whole)".to_owned(),
                                    _ => format!("Amount {currency} (empty: the whole amount)").replace("  ", " "),
                                }
                            }
                                value=form.amount inputmode="decimal" required=Signal::derive(is_payment)
                                hint="In the currency's units, with its decimals: 20.08 USD, 2008 JPY, 2.008 BHD; converted exactly to minor units." />
                            <TextField checks key="mtid" label="Merchant transaction ID" value=form.mtid required=true
                                hint="Unique for every request, retries and follow-ups included." />
                            <Show when=is_payment>
                                <TextField checks key="order" label="Order ID" value=form.order required=true />
                                <div class="form-field">
                                    <label for="vt-gateway">"Payment gateway"</label>
                                    <select
                                        id="vt-gateway"
                                        aria-invalid=move || if checks.invalid("gateway") { "true" } else { "false" }
                                        aria-describedby=move || checks.described_by("gateway", false)
                                        prop:value=move || form.gateway.get()
                                        on:change=move |ev| {
                                            form.gateway.set(event_target_value(&ev));
                                            checks.touch("gateway");
                                        }
                                    >
                                        <option value="">"Automatic (FlexPay routes)"</option>
                                        <For each=move || gateways.get() key=|g| g.id.clone() let:g>
                                            {
                                                let token = g.id.clone().unwrap_or_default();
                                                let t2 = token.clone();
                                                view! {
                                                    <option value=token selected=move || form.gateway.get() == t2>
                                                        {format!("{} — {} ({})", g.name, g.status.portal_label(), g.gateway_type.as_str())}
                                                    </option>
                                                }
                                            }
                                        </For>
                                    </select>
                                    <FieldProblems checks key="gateway" />
                                </div>
                                <TextField checks key="retry" label="Retry count" value=form.retry inputmode="numeric" required=true
                                    hint="1 for a payment the gateway declined first (its own attempt was 0), 0 when FlexPay makes the very first attempt; a retry sends the previous count + 1." />
                                <TextField checks key="refdata" label="Reference data" value=form.refdata class="span-2"
                                    hint="Empty on a first attempt; on a retry, FlexPay's referenceData from the previous answer, unchanged." />
                                {move || {
                                    let (due, auto) = early_until.get()?;
                                    Some(view! {
                                        <p class="banner banner-warn" role="status" data-testid="early-retry">
                                            {format!("This payment's retry is not due until {} (its retryDate), and must never be sent earlier. FlexPay documents no refusal of an early retry, so the sandbox would still process it, and the reports count it as retried early.{}", instant(due), if auto { by_flexpay(true) } else { " Send it then, from here or from the Retry schedule." })}
                                        </p>
                                    })
                                }}
                            </Show>
                        </div>
                        <Show when=move || !is_payment()>
                            <OriginalPicker checks form choices />
                        </Show>
                    </fieldset>
                    <Show when=is_payment>
                        <fieldset>
                            <legend>"Payment details"</legend>
                            <div class="form-grid">
                                <div class="form-field span-2">
                                    <label for="vt-pay-with">"Pay with"</label>
                                    <select id="vt-pay-with"
                                        prop:value=move || if form.vaulted.get() { "vault" } else { "card" }
                                        on:change=move |ev| form.vaulted.set(event_target_value(&ev) == "vault")>
                                        <option value="card">"Card details"</option>
                                        <option value="vault">"A card in the vault (paymentMethodId)"</option>
                                    </select>
                                </div>
                                <Show when=move || form.vaulted.get()>
                                    <div class="form-field span-2">
                                        <label for="vt-vault-pick">"Cards in the vault"</label>
                                        <select id="vt-vault-pick" aria-describedby="vt-vault-pick-hint"
                                            on:change=move |ev| form.payment_method_id.set(event_target_value(&ev))>
                                            <option value="">{move || if vault.with(Vec::is_empty) { "None yet" } else { "Choose a card" }}</option>
                                            <For each=move || vault.get() key=|c| c.payment_method_id.clone() let:c>
                                                {
                                                    let id = c.payment_method_id.clone();
                                                    let id2 = id.clone();
                                                    let expiry = match (&c.expiry_month, &c.expiry_year) {
                                                        (Some(m), Some(y)) => format!(" · {m}/{y}"),
                                                        _ => String::new(),
                                                    };
                                                    view! {
                                                        <option value=id selected=move || form.payment_method_id.with(|v| v.trim() == id2)>
                                                            {format!("{} {}{}{}", c.card_brand.map(|b| b.display_name()).unwrap_or("Card"), c.card,
                                                                c.holder.as_deref().map(|h| format!(" · {h}")).unwrap_or_default(), expiry)}
                                                        </option>
                                                    }
                                                }
                                            </For>
                                        </select>
                                        <p class="hint" id="vt-vault-pick-hint">"A card is kept by an approved charge or authorization sent with “Keep the card in the vault”."</p>
                                    </div>
                                    <TextField checks key="pmid" label="Payment method ID" value=form.payment_method_id required=true class="span-2"
                                        hint="The paymentMethodId FlexPay answered when it kept the card." />
                                </Show>
                                <Show when=move || !form.vaulted.get()>
                                    <TextField checks key="card" label="Card number" value=form.card required=true
                                        inputmode="numeric" autocomplete="cc-number" class="span-2" />
                                    <TextField checks key="expiry" label="Expiry (MM/YYYY)" value=form.expiry required=true
                                        placeholder="MM/YYYY" autocomplete="cc-exp" />
                                    <TextField checks key="cvv" label="CVV" value=form.cvv input_type="password" inputmode="numeric" autocomplete="cc-csc" />
                                    <TextField checks key="name" label="Cardholder name" value=form.name required=true autocomplete="cc-name" class="span-2" />
                                </Show>
                                // A vaulted card keeps the email it was retained with.
                                <Show when=move || !form.vaulted.get()>
                                    <TextField checks key="email" label="Customer email" value=form.email input_type="email" autocomplete="email"
                                        hint="Email or customer ID: at least one." />
                                </Show>
                                <TextField checks key="customer" label="Customer ID" value=form.customer />
                                <Show when=move || !form.vaulted.get()>
                                    <div class="form-field checkbox-field span-2">
                                        <input type="checkbox" id="vt-retain" prop:checked=move || form.retain.get()
                                            on:change=move |ev| form.retain.set(event_target_checked(&ev)) />
                                        <label for="vt-retain">"Keep the card in the vault if approved (retainOnSuccess)"</label>
                                    </div>
                                </Show>
                            </div>
                        </fieldset>
                        <Show when=move || !form.vaulted.get()>
                        <fieldset>
                            <legend>"Billing address"</legend>
                            <div class="form-grid">
                                <TextField checks key="address1" label="Address line 1" value=form.address1 autocomplete="address-line1" class="span-2" />
                                <TextField checks key="address2" label="Address line 2" value=form.address2 autocomplete="address-line2" class="span-2" />
                                <TextField checks key="city" label="City" value=form.city required=true autocomplete="address-level2" />
                                <TextField checks key="postal" label="Postcode / ZIP" value=form.postal required=true autocomplete="postal-code" />
                                <TextField checks key="state" label="State / province" value=form.state required=true autocomplete="address-level1" />
                                <TextField checks key="country" label="Country" value=form.country autocomplete="country"
                                    hint="Two letters, e.g. US." />
                            </div>
                        </fieldset>
                        </Show>
                        <fieldset>
                            <legend>"Shipping address"</legend>
                            <div class="form-field checkbox-field">
                                <input type="checkbox" id="vt-ship" prop:checked=move || form.ship.get()
                                    on:change=move |ev| form.ship.set(event_target_checked(&ev)) />
                                <label for="vt-ship">"Send a shipping address"</label>
                            </div>
                            <Show when=move || form.ship.get()>
                                <div class="actions">
                                    <button type="button" class="secondary" on:click=move |_| form.ship_to_billing()>"Copy the billing address"</button>
                                </div>
                                <div class="form-grid">
                                    <TextField checks key="ship_address1" label="Address line 1" value=form.ship_address1 autocomplete="shipping address-line1" class="span-2" />
                                    <TextField checks key="ship_address2" label="Address line 2" value=form.ship_address2 autocomplete="shipping address-line2" class="span-2" />
                                    <TextField checks key="ship_city" label="City" value=form.ship_city autocomplete="shipping address-level2" />
                                    <TextField checks key="ship_postal" label="Postcode / ZIP" value=form.ship_postal autocomplete="shipping postal-code" />
                                    <TextField checks key="ship_state" label="State / province" value=form.ship_state autocomplete="shipping address-level1" />
                                    <TextField checks key="ship_country" label="Country" value=form.ship_country autocomplete="shipping country"
                                        hint="Two letters, e.g. CA." />
                                </div>
                            </Show>
                        </fieldset>
                    </Show>
                    <FieldProblems checks key="general" />
                    <div class="vt-submit">
                        <button type="submit" id="vt-send" class="primary" aria-describedby="vt-submit-state">
                            {move || format!("Send {}", form.kind.get().label().to_ascii_lowercase())}
                        </button>
                        <span id="vt-submit-state" class="muted" aria-live="polite">
                            {move || {
                                let n = checks.errors().len();
                                match n {
                                    0 => early_until.get().map_or_else(
                                        || checked.with(|(_, ps)| {
                                            ps.iter().find(|p| p.code == WILL_BE_REFUSED).map_or_else(
                                                || "Ready to send.".to_owned(),
                                                |p| format!("If sent now, it will be refused: {}", p.message),
                                            )
                                        }),
                                        |(due, auto)| format!("Early: this retry is not due until {}; sent now, it counts as retried early.{}", instant(due), by_flexpay(auto)),
                                    ),
                                    1 => "1 problem to fix before sending.".to_owned(),
                                    n => format!("{n} problems to fix before sending."),
                                }
                            }}
                        </span>
                    </div>
                </form>
                {move || asking.get().map(|why| view! {
                    <Confirm id="confirm-send"
                        question=format!("Send this {} anyway?", form.kind.get_untracked().label().to_ascii_lowercase())
                        detail=why
                        action="Send it anyway"
                        on_confirm=move || {
                            asking.set(None);
                            send();
                        }
                        on_cancel=move || {
                            asking.set(None);
                            focus_element("vt-send");
                        } />
                })}
                <aside class="vt-side" aria-label="Presets and response">
                    <div id="vt-result" class="vt-result" tabindex="-1" aria-live="polite">
                        {move || outcome.get().map(|o| view! { <OutcomeView outcome=o follow_up next_retry /> })}
                    </div>
                    <Show when=is_payment>
                        <Show when=move || scope.get().1 == Environment::Sandbox>
                        <section class="vt-presets" aria-labelledby="vt-cards-h">
                            <h2 id="vt-cards-h">"Sandbox test cards"</h2>
                            <ul class="presets presets-compact">
                                {TEST_CARDS.iter().map(|card| {
                                    let card = *card;
                                    view! {
                                        <li>
                                            <button type="button" on:click=move |_| {
                                                form.vaulted.set(false);
                                                form.card.set(card.number.to_owned());
                                                form.expiry.set(format!("{}/{}", card.expiry_month, card.expiry_year));
                                                form.cvv.set(card.cvv.to_owned());
                                                form.fill_sample_customer();
                                            }>
                                                <span class="preset-brand">{card.brand.display_name()}</span>
                                                " "
                                                <code>{card.number}</code>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                        </Show>
                        <section class="vt-presets" aria-labelledby="vt-amounts-h">
                            <h2 id="vt-amounts-h">"Trigger amounts"</h2>
                            <ul class="presets presets-compact">
                                {TRIGGERS.iter().map(|&(minor, what)| {
                                    let code = trigger_code(minor);
                                    view! {
                                        <li>
                                            <button type="button" on:click=move |_| {
                                                form.amount.set(Money::new(minor, currency_for_presets()).format());
                                            }>
                                                <span class="preset-brand">{move || Money::new(minor, currency_for_presets()).to_string()}</span>
                                                " "
                                                <span>{format!("{} {what}", code.map(|c| c.to_string()).unwrap_or_default())}</span>
                                                " "
                                                <span class="muted">{code.and_then(|c| c.meaning()).unwrap_or_default()}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <h3>"Void and refund scenarios"</h3>
                            <ul class="presets presets-compact">
                                {SCENARIOS.iter().map(|&(minor, what, amounts)| view! {
                                    <li>
                                        <button type="button" on:click=move |_| {
                                            form.amount.set(Money::new(minor, currency_for_presets()).format());
                                        }>
                                            <span class="preset-brand">{move || Money::new(minor, currency_for_presets()).to_string()}</span>
                                            " "
                                            <span>{move || scenario_text(what, amounts, currency_for_presets())}</span>
                                        </button>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <p class="muted">"The sandbox reads a trigger in minor units, so each is shown in the currency chosen: 2008 is 20.08 USD, 2008 JPY or 2.008 BHD."</p>
                        </section>
                    </Show>
                </aside>
            </div>
        </section>
    }
}

/// The original transaction of a capture, void or refund: typed, or one of the latest
/// approved ones.
#[component]
fn OriginalPicker(
    checks: FieldChecks,
    form: Form,
    choices: Memo<Vec<TransactionSummary>>,
) -> impl IntoView {
    view! {
        <div class="form-grid">
            <TextField checks key="original" label="Original transaction ID" value=form.original required=true class="span-2"
                hint="The FlexPay transaction ID of the charge, authorization or capture to follow up." />
            <div class="form-field span-2">
                <label for="vt-original-choice">"Latest approved transactions"</label>
                <select
                    id="vt-original-choice"
                    prop:value=move || form.original.get()
                    on:change=move |ev| {
                        form.original.set(event_target_value(&ev));
                        checks.touch("original");
                    }
                >
                    <option value="">{move || if choices.with(Vec::is_empty) { "None yet in this company and mode" } else { "Choose…" }}</option>
                    <For each=move || choices.get() key=|t| t.transaction_id.clone() let:t>
                        {
                            let id = t.transaction_id.clone();
                            let id2 = id.clone();
                            view! {
                                <option value=id selected=move || form.original.get() == id2>
                                    {format!("{} {} · {} · {} · {}", t.transaction_type, t.transaction_id,
                                        t.amount.map(|a| money(a, t.currency)).unwrap_or_default(),
                                        t.merchant_transaction_id, instant(t.date))}
                                </option>
                            }
                        }
                    </For>
                </select>
            </div>
        </div>
    }
}

#[component]
fn OutcomeView(
    outcome: Outcome,
    follow_up: impl Fn(TxKind, String) + Copy + Send + Sync + 'static,
    next_retry: impl Fn(TxKind, u32, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    match outcome {
        Outcome::Refused(message) => view! {
            <div class="banner banner-error" role="alert">
                <p><strong>"The sandbox refused the request"</strong></p>
                <p>{message}</p>
            </div>
        }
        .into_any(),
        Outcome::Answered(r, voided) => {
            let code = r.response_code;
            let category = code.category();
            let retry = r
                .retry_date
                .clone()
                .map(|d| UtcTimestamp::parse_iso8601(&d).map(instant).unwrap_or(d));
            let currency = r
                .currency_code
                .as_deref()
                .and_then(|c| Currency::from_code(c).ok());
            let id = r.transaction_id.clone();
            let id_text = id.clone();
            // With FlexPay Retries on for the company, its scheduler sends the next attempt.
            let by_flexpay = use_store()
                .portal
                .with_untracked(|p| p.sandbox.retried_by_flexpay(&id));
            let approved = r.transaction_status == TransactionStatus::Approved;
            let kind = r
                .transaction_type
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default();
            let actions: Vec<(TxKind, &'static str)> = match (approved, kind.as_str()) {
                (true, "Charge") | (true, "Capture") => {
                    vec![(TxKind::Refund, "Refund it"), (TxKind::Void, "Void it")]
                }
                (true, "Authorize") => {
                    vec![(TxKind::Capture, "Capture it"), (TxKind::Void, "Void it")]
                }
                // Too late to void: the payment settled, and FlexPay says to refund it instead.
                (false, "Void") if code == ResponseCode::REVERSAL_FAILED => {
                    vec![(TxKind::Refund, "Refund it")]
                }
                _ => Vec::new(),
            };
            // A void's follow-up is for the transaction it was to void.
            let target = voided.unwrap_or_else(|| id.clone());
            view! {
                <section class=format!("response response-{}", crate::components::format::category_class(category)) aria-labelledby="vt-response-h">
                    <h2 id="vt-response-h">"Response"</h2>
                    <p class="response-head">
                        <CodeBadge code />
                        " "
                        <strong data-testid="response-meaning">{code.meaning().unwrap_or("not in FlexPay's published list")}</strong>
                    </p>
                    <dl class="facts">
                        <div><dt>"Response code"</dt><dd data-testid="response-code">{code.to_string()}</dd></div>
                        <div><dt>"Category"</dt><dd data-testid="response-category">{category.display_name()}</dd></div>
                        <div><dt>"Status"</dt><dd data-testid="response-status">{status_label(r.transaction_status)}</dd></div>
                        <div><dt>"Type"</dt><dd>{kind.clone()}</dd></div>
                        <div><dt>"Transaction ID"</dt><dd><A href=format!("/transactions/{id}")><code data-testid="response-transaction-id">{id_text}</code></A></dd></div>
                        {r.amount.map(|a| view! { <div><dt>"Amount"</dt><dd>{money(a, currency)}</dd></div> })}
                        <div><dt>"Merchant transaction ID"</dt><dd>{r.merchant_transaction_id.clone().unwrap_or_default()}</dd></div>
                        <div><dt>"Gateway token"</dt><dd><code>{r.gateway_token.clone().unwrap_or_default()}</code>
                            {(r.gateway_token.as_deref() == Some(NO_GATEWAY_TOKEN)).then_some(" (FlexPay's placeholder: the request reached no gateway)")}
                        </dd></div>
                        {r.message.clone().map(|m| view! { <div><dt>"Message"</dt><dd>{m}</dd></div> })}
                        // A capture, void or refund is no attempt of a payment: no retry count.
                        {matches!(kind.as_str(), "Charge" | "Authorize").then(|| view! {
                            <div><dt>"Retry count"</dt><dd>{r.retry_count.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</dd></div>
                        })}
                        <div><dt>"Retry date"</dt><dd data-testid="response-retry-date">{retry.clone().unwrap_or_else(|| without_retry_date(code).into())}</dd></div>
                        {r.reference_data.clone().map(|d| view! {
                            <div><dt>"Reference data"</dt><dd><code class="wrap" data-testid="response-reference-data">{d}</code></dd></div>
                        })}
                        {r.payment_method.as_ref().and_then(|m| m.payment_method_id.clone().map(|pm| {
                            let storage = m.storage_state.as_ref().map(|s| format!(" ({})", s.as_str())).unwrap_or_default();
                            view! {
                                <div><dt>"Payment method ID"</dt><dd><code class="wrap" data-testid="response-payment-method-id">{pm}</code>{storage}</dd></div>
                            }
                        }))}
                    </dl>
                    {retry.map(|when| {
                        let next = r.retry_count.unwrap_or(0) + 1;
                        let data = r.reference_data.clone().unwrap_or_default();
                        let again = if kind == "Authorize" { TxKind::Authorize } else { TxKind::Charge };
                        view! {
                            <p class="schedule-hint">
                                {if by_flexpay {
                                    format!("Soft decline: FlexPay Retries sends the next attempt at {when}, with retry count {next} and this reference data; do not send it from your CRM too. ")
                                } else {
                                    format!("Soft decline: the next attempt may be sent from {when}, never earlier, with retry count {next} and this reference data. ")
                                }}
                                <A href="/schedule">"See it on the retry schedule"</A>
                            </p>
                            {(!by_flexpay).then(|| view! {
                                <div class="actions">
                                    <button type="button" class="secondary" on:click=move |_| next_retry(again, next, data.clone())>
                                        {format!("Fill in retry {next}")}
                                    </button>
                                </div>
                            })}
                        }
                    })}
                    {(!actions.is_empty()).then(|| view! {
                        <div class="actions">
                            {actions.into_iter().map(|(k, text)| {
                                let id = target.clone();
                                view! {
                                    <button type="button" class="secondary" on:click=move |_| follow_up(k, id.clone())>{text}</button>
                                }
                            }).collect_view()}
                        </div>
                    })}
                </section>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flexkit_core::flexpay::response_code::ResponseCategory;

    #[test]
    fn scenario_amounts_are_written_in_the_currency() {
        let text =
            |code, what, amounts| scenario_text(what, amounts, Currency::from_code(code).unwrap());
        assert_eq!(
            text("USD", "P2: refund #, then #", &[4000, 3500]),
            "P2: refund 40.00, then 35.00"
        );
        assert_eq!(
            text("JPY", "P2: refund #, then #", &[4000, 3500]),
            "P2: refund 4000, then 3500"
        );
        assert_eq!(
            text("BHD", "P3: a refund of # is refused", &[5500]),
            "P3: a refund of 5.500 is refused"
        );
        assert_eq!(text("USD", "V2: approved", &[]), "V2: approved");
    }

    fn summary(
        id: &str,
        kind: &'static str,
        original: Option<&str>,
        amount: i64,
    ) -> TransactionSummary {
        TransactionSummary {
            transaction_id: id.into(),
            company: "DEFAULT".into(),
            merchant_transaction_id: format!("m-{id}"),
            order_id: None,
            customer_id: None,
            holder: None,
            email: None,
            transaction_type: kind,
            date: UtcTimestamp::UNIX_EPOCH,
            status: TransactionStatus::Approved,
            response_code: ResponseCode::new(10000).expect("a code"),
            category: ResponseCategory::Approved,
            amount: Some(amount),
            currency: Currency::from_code("USD").ok(),
            gateway_token: None,
            gateway_name: None,
            retry_count: None,
            retry_date: None,
            reference_data: None,
            card: None,
            card_brand: None,
            chain: None,
            original_transaction_id: original.map(str::to_owned),
            scheduled_by_sandbox: false,
        }
    }

    #[test]
    fn follow_ups_already_made_close_the_original() {
        let auth = summary("A", "Authorize", None, 1000);
        let charge = summary("C", "Charge", None, 1000);
        let mut all = vec![auth.clone(), charge.clone()];
        assert!(still_open(TxKind::Capture, &auth, &all));
        assert!(still_open(TxKind::Void, &auth, &all));
        assert!(still_open(TxKind::Refund, &charge, &all));

        all.push(summary("K", "Capture", Some("A"), 1000));
        assert!(!still_open(TxKind::Capture, &auth, &all));
        assert!(!still_open(TxKind::Void, &auth, &all));

        // A partial refund leaves the rest refundable; the whole amount closes the charge.
        all.push(summary("R1", "Refund", Some("C"), 400));
        assert!(still_open(TxKind::Refund, &charge, &all));
        assert!(!still_open(TxKind::Void, &charge, &all));
        assert_eq!(refundable(&charge, &all), 600);
        all.push(summary("R2", "Refund", Some("C"), 600));
        assert!(!still_open(TxKind::Refund, &charge, &all));
        assert_eq!(refundable(&charge, &all), 0);

        // A declined follow-up changes nothing.
        let other = summary("D", "Charge", None, 500);
        let mut declined = summary("V", "Void", Some("D"), 500);
        declined.status = TransactionStatus::Declined;
        let mut refused = summary("R3", "Refund", Some("D"), 500);
        refused.status = TransactionStatus::Declined;
        let all = vec![other.clone(), declined, refused];
        assert!(still_open(TxKind::Void, &other, &all));
        assert!(still_open(TxKind::Refund, &other, &all));
        assert_eq!(
            refundable(&other, &all),
            500,
            "a refused refund gave nothing back"
        );
    }

    #[test]
    fn a_follow_up_the_sandbox_will_refuse_is_warned_about_at_the_field_to_change() {
        let said = |p: Option<FieldProblem>| p.map(|p| (p.field, p.warning, p.message));
        let auth = summary("A", "Authorize", None, 1000);
        let charge = summary("C", "Charge", None, 1000);
        let mut all = vec![auth.clone(), charge.clone()];
        assert_eq!(
            said(follow_up_refusal(TxKind::Capture, &auth, &all, Some(1000))),
            None
        );
        assert_eq!(
            said(follow_up_refusal(TxKind::Refund, &auth, &all, None)),
            Some((
                "original".into(),
                true,
                "Only an approved charge or capture can be refunded, not this Authorize (Approved): the sandbox will refuse it with 30011 (void an authorization instead).".into()
            ))
        );
        assert_eq!(
            said(follow_up_refusal(TxKind::Capture, &auth, &all, Some(1500))),
            Some((
                "amount".into(),
                true,
                "More than the 10.00 USD authorized: the sandbox will refuse it.".into()
            ))
        );
        all.push(summary("R1", "Refund", Some("C"), 400));
        assert_eq!(
            said(follow_up_refusal(TxKind::Refund, &charge, &all, None)),
            None
        );
        assert_eq!(
            said(follow_up_refusal(TxKind::Refund, &charge, &all, Some(601))),
            Some((
                "amount".into(),
                true,
                "More than the 6.00 USD left to refund: the sandbox will refuse it.".into()
            ))
        );
        all.push(summary("R2", "Refund", Some("C"), 600));
        assert_eq!(
            said(follow_up_refusal(TxKind::Refund, &charge, &all, None)),
            Some((
                "original".into(),
                true,
                "All of its 10.00 USD was refunded: the sandbox will refuse another refund.".into()
            ))
        );
        assert_eq!(
            said(follow_up_refusal(TxKind::Void, &charge, &all, None)),
            Some((
                "original".into(),
                true,
                "It was already refunded (R1): the sandbox will refuse a void of it.".into()
            ))
        );
        all.push(summary("V", "Void", Some("A"), 1000));
        assert_eq!(
            said(follow_up_refusal(TxKind::Capture, &auth, &all, None)),
            Some((
                "original".into(),
                true,
                "It was already voided (V): the sandbox will refuse a capture of it.".into()
            ))
        );
    }

    fn ctx() -> ValidationContext {
        ValidationContext::new(
            UtcTimestamp::from_unix_seconds(1_800_000_000).unwrap_or(UtcTimestamp::UNIX_EPOCH),
            Environment::Sandbox,
        )
    }

    fn filled() -> Draft {
        Draft {
            card: "4920 2019 9644 9560".into(),
            expiry: "07/2024".into(),
            cvv: "879".into(),
            name: "Avery Quinn".into(),
            email: "a@example.com".into(),
            currency: "USD".into(),
            amount: "20.08".into(),
            mtid: "m-1".into(),
            order: "o-1".into(),
            retry: "1".into(),
            city: "Portland".into(),
            postal: "97205".into(),
            state: "OR".into(),
            country: "US".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn a_character_the_browser_could_not_read_is_refused_at_its_field() {
        let draft = Draft {
            customer: "cust\u{FFFD}X".into(),
            mtid: "mt\u{FFFD}-1".into(),
            ..filled()
        };
        let (_, problems) = build(TxKind::Charge, &draft, &ctx(), None);
        let refused: Vec<(&str, &str, bool)> = problems
            .iter()
            .filter(|p| p.code == code::LONE_SURROGATE)
            .map(|p| (p.field.as_str(), p.code, p.warning))
            .collect();
        assert_eq!(
            refused,
            [
                ("customer", code::LONE_SURROGATE, false),
                ("mtid", code::LONE_SURROGATE, false)
            ]
        );
        let (_, clean) = build(TxKind::Charge, &filled(), &ctx(), None);
        assert!(clean.iter().all(|p| p.code != code::LONE_SURROGATE));
        // A pasted transaction ID is refused for it alone, not also as one not found.
        let pasted = Draft {
            original: "TX\u{FFFD}1".into(),
            ..filled()
        };
        let (_, problems) = build(TxKind::Refund, &pasted, &ctx(), None);
        let at_original: Vec<&str> = problems
            .iter()
            .filter(|p| p.field == "original")
            .map(|p| p.code)
            .collect();
        assert_eq!(at_original, [code::LONE_SURROGATE]);
    }

    #[test]
    fn a_shipping_address_is_sent_only_when_asked_and_its_problems_sit_at_its_fields() {
        let (request, problems) = build(TxKind::Charge, &filled(), &ctx(), None);
        assert!(problems.iter().all(|p| p.warning), "{problems:?}");
        let Request::Charge(charge) = request else {
            panic!("a charge")
        };
        assert_eq!(charge.shipping_address, None);

        let draft = Draft {
            ship: true,
            ship_address1: "5 Quay Road".into(),
            ship_city: "Halifax".into(),
            ship_postal: "B3H 1A1".into(),
            ship_state: "NS".into(),
            ship_country: "CA".into(),
            ..filled()
        };
        let (request, problems) = build(TxKind::Charge, &draft, &ctx(), None);
        assert!(problems.iter().all(|p| p.warning), "{problems:?}");
        let Request::Charge(charge) = request else {
            panic!("a charge")
        };
        let shipping = charge.shipping_address.expect("sent");
        assert_eq!(shipping.city.as_deref(), Some("Halifax"));
        assert_eq!(shipping.address2, None, "an empty field is not sent");

        let too_long = Draft {
            ship_country: "C".repeat(300),
            ship_city: "H".repeat(300),
            ..draft
        };
        let (_, problems) = build(TxKind::Charge, &too_long, &ctx(), None);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"ship_country"), "{fields:?}");
        assert!(fields.contains(&"ship_city"), "{fields:?}");
        assert!(!fields.contains(&"general"), "{fields:?}");
        assert_eq!(label_of("ship_city"), "Shipping city");
    }

    #[test]
    fn a_vaulted_card_needs_only_its_payment_method_id() {
        let draft = Draft {
            vaulted: true,
            card: String::new(),
            expiry: "whenever".into(),
            name: String::new(),
            city: String::new(),
            ..filled()
        };
        let (_, problems) = build(TxKind::Charge, &draft, &ctx(), None);
        let fields: Vec<&str> = problems
            .iter()
            .filter(|p| !p.warning)
            .map(|p| p.field.as_str())
            .collect();
        assert_eq!(fields, ["pmid"], "{problems:?}");

        let draft = Draft {
            payment_method_id: " KQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ ".into(),
            ..draft
        };
        let (request, problems) = build(TxKind::Authorize, &draft, &ctx(), None);
        assert!(problems.iter().all(|p| p.warning), "{problems:?}");
        let Request::Authorize(authorize) = request else {
            panic!("an authorization")
        };
        assert_eq!(
            authorize.payment_method,
            flexkit_core::flexpay::transaction::ChargePaymentMethod::Vaulted {
                payment_method_id: "KQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ8ZKQ".into()
            }
        );

        // Card details keep the card in the vault only when asked.
        let (request, _) = build(
            TxKind::Charge,
            &Draft {
                retain: true,
                ..filled()
            },
            &ctx(),
            None,
        );
        let Request::Charge(charge) = request else {
            panic!("a charge")
        };
        assert!(matches!(
            charge.payment_method,
            flexkit_core::flexpay::transaction::ChargePaymentMethod::Card {
                retain_on_success: true,
                ..
            }
        ));
    }

    #[test]
    fn a_filled_charge_is_valid_and_the_amount_is_exact() {
        let (request, problems) = build(TxKind::Charge, &filled(), &ctx(), None);
        assert_eq!(problems, vec![]);
        let Request::Charge(r) = request else {
            panic!("a charge")
        };
        assert_eq!(r.amount, 2008);
        let jpy = Draft {
            currency: "JPY".into(),
            amount: "2008".into(),
            ..filled()
        };
        let (Request::Charge(r), _) = build(TxKind::Charge, &jpy, &ctx(), None) else {
            panic!("a charge")
        };
        assert_eq!(r.amount, 2008);
    }

    #[test]
    fn amount_messages_are_in_the_units_typed_with_the_real_limits() {
        let read_amount = |text: &str, currency, optional| {
            read_amount(
                text,
                currency,
                optional,
                JS_MAX_SAFE_INTEGER,
                "the largest amount the API carries exactly",
            )
        };
        let usd = Currency::from_code("USD").unwrap();
        let refused = |text: &str, optional| match read_amount(text, usd, optional) {
            Err(p) => (p.code, p.message),
            Ok(minor_units) => panic!("{text} read as {minor_units}"),
        };
        assert_eq!(read_amount("20.08", usd, false), Ok(2008));
        assert_eq!(
            read_amount("90071992547409.91", usd, false),
            Ok(JS_MAX_SAFE_INTEGER)
        );
        let above_zero = "Enter an amount above zero, e.g. 20.08.";
        assert_eq!(
            refused("-1", false),
            (code::NEGATIVE_AMOUNT, above_zero.to_owned())
        );
        assert_eq!(
            refused("0", false),
            (code::ZERO_AMOUNT, above_zero.to_owned())
        );
        assert_eq!(
            refused("0.00", true).1,
            "Enter an amount above zero, e.g. 20.08, or leave it empty for the whole amount."
        );
        // Too large, whether or not it fits the parser: one message, in the units typed.
        let most = "Enter at most 90071992547409.91, the largest amount the API carries exactly.";
        for huge in [
            "90071992547409.92",
            "99999999999999999999",
            "-99999999999999999999",
        ] {
            let (code, message) = refused(huge, false);
            let expected = if huge.starts_with('-') {
                above_zero
            } else {
                most
            };
            assert_eq!(message, expected, "{huge}");
            assert_ne!(code, "", "{huge}");
        }
        for (typed, says) in [
            ("abc", "The amount has \"a\", which is not a digit 0-9."),
            ("１２", "The amount has \"１\", which is not a digit 0-9."),
            ("20.", "The amount ends with \".\""),
            ("1,000.00", "write \"1000.00\", not \"1,000.00\""),
            // The amount typed, corrected, never a canned example.
            (
                "10,50",
                "has a decimal comma; write \"10.50\", not \"10,50\"",
            ),
            ("2_500", "write \"2500\", not \"2_500\""),
        ] {
            let (code, message) = refused(typed, false);
            assert_eq!(code, "invalid_decimal");
            assert!(message.contains(says), "{typed}: {message}");
            assert!(message.ends_with("e.g. 20.08."), "{typed}: {message}");
            for wrong in ["-3.00", "byte", "minor units"] {
                assert!(!message.contains(wrong), "{typed}: {message}");
            }
        }
        let jpy = Currency::from_code("JPY").unwrap();
        let Err(p) = read_amount("x", jpy, false) else {
            panic!("refused")
        };
        assert!(p.message.ends_with("e.g. 2008."), "{}", p.message);
    }

    #[test]
    fn problems_are_placed_at_their_fields() {
        let draft = Draft {
            card: "4920201996449561".into(),
            expiry: "0724".into(),
            amount: "20.085".into(),
            retry: "x".into(),
            name: String::new(),
            ..filled()
        };
        let (_, problems) = build(TxKind::Charge, &draft, &ctx(), None);
        let at = |f: &str| {
            problems
                .iter()
                .filter(|p| p.field == f)
                .map(|p| p.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(at("card"), vec![code::INVALID_LUHN]);
        assert_eq!(at("expiry"), vec![code::INVALID_FORMAT]);
        assert_eq!(at("amount"), vec!["not_minor_units"]);
        assert_eq!(at("retry"), vec![code::INVALID_FORMAT]);
        assert_eq!(at("name"), vec![code::REQUIRED]);
        assert!(at("general").is_empty(), "{problems:?}");
    }

    #[test]
    fn follow_ups_need_an_original_and_take_an_optional_amount() {
        let draft = Draft {
            amount: String::new(),
            ..filled()
        };
        let (_, problems) = build(TxKind::Refund, &draft, &ctx(), None);
        assert!(problems.iter().any(|p| p.field == "original" && !p.warning));
        let draft = Draft {
            original: "T1".into(),
            amount: "5".into(),
            ..filled()
        };
        let (request, problems) = build(TxKind::Refund, &draft, &ctx(), None);
        assert!(problems.iter().all(|p| p.warning), "{problems:?}");
        assert_eq!(
            request,
            Request::Refund("T1".into(), RefundRequest::partial("m-1", 500))
        );
    }
}
