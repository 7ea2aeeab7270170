//! The vault calls (reference §2 rows 10–15, §7): create, list, get, update, redact and
//! recache a payment method.
//!
//! # No table
//!
//! A payment method is a transaction record that retains its card: an approved charge or
//! authorization sent with `retainOnSuccess`, or an approved `POST /v1/paymentmethods`, which
//! is itself stored as a transaction (`CreateCreditCard`, or `CreateGatewayPaymentMethod` for
//! a card held at the gateway). Its `paymentMethodId` is derived from that transaction's id
//! and inverted on use, as a vaulted charge already does. Update, redact and recache change
//! that record (its holder and billing fields, its storage state, whether a CVV is on file)
//! and are answered as transaction records of their own (`UpdatePaymentMethod`,
//! `RedactPaymentMethod`, `RecachePaymentMethod`) linked to it, so a snapshot holds the
//! history and the vault is still the set of records that retain a card.
//!
//! The full card number is never kept, only its first six and last four digits; the CVV
//! never is either, only whether one was supplied and not yet used (see below).
//!
//! # Answers, and where FlexPay's documentation is silent
//!
//! - Create, update, redact and recache answer `{"transaction": {...}}` with the vaulted
//!   method in `paymentMethod` (§5.2); get answers `{"paymentMethod": {...}}`, list
//!   `{"paymentMethods": [{"paymentMethod": {...}}, ...]}` (§1.1).
//! - Bodies are validated by flexkit's validators, as every sandbox request is; an invalid
//!   body answers HTTP 200, status 2, the FlexPay code of its first error
//!   ([`crate::flexpay::validate::flexpay_response_code`]), and a message listing every
//!   error as `path: message (code)`, one per line. Like any request refused before a
//!   gateway, it is stored as a transaction. (The calls take typed bodies; `validate_*_json`
//!   of [`crate::flexpay::validate`] also reports what only the JSON text shows.)
//! - An update with no editable field (an empty body, or only empty strings) is refused with
//!   HTTP 400 `no_editable_field`, as observed (§7, §8).
//! - A `paymentMethodId` that is not in the vault of the key's company and environment
//!   (unknown, only cached, or another company's) answers update, redact and recache with
//!   HTTP 200, status 2, **50134** (invalid value for payment token), the way FlexPay
//!   answers unknown ids on follow-ups (200 and a code rather than 404); get answers HTTP
//!   404 `payment_method_not_found`. Both say the same for every such id, so nothing tells
//!   another company's id from one that does not exist.
//! - **Redact** sets `storageState` to `Redacted` and drops a CVV on file. A redacted method
//!   stays readable (get, list; the 2022 sandbox also kept its masked number visible) but can
//!   no longer be charged: a charge naming it answers **50136** and an authorization
//!   **50134**, the codes FlexPay answers for a `paymentMethodId` it will not charge (the
//!   fact sheet has no code for redaction; a CRM treats both alike: ask for a new card).
//!   Scheduled retries of a payment on it are refused the same way. Updating or recaching a
//!   redacted method answers 50136 (invalid payment method); redacting it again is approved
//!   and changes nothing, so a retried redact never fails.
//! - **Recache** re-supplies the CVV of a vaulted card. The CVV is validated (as many digits
//!   as the card's brand prints) and dropped; the method keeps only that a CVV is on file,
//!   shown as `cvv: "***"`. The next charge or authorization of the method that reaches a
//!   gateway uses it up (its response shows `cvv: "***"`). A card created with a CVV has one
//!   on file the same way; a card retained by a charge does not (the charge used it). A
//!   gateway payment method has no CVV to recache: 50136.
//! - **List** takes the transaction list's paging (`order`, `count`, `startDate`,
//!   `sinceTransactionId`), ordered by `dateCreated`; the continuation token is the
//!   `paymentMethodId` of the last item of the previous page. It lists stored and redacted
//!   methods; `responseType` has no simplified form here and is ignored.

use serde::Serialize;

use crate::card::CardBrand;
use crate::flexpay::account::Environment;
use crate::flexpay::list::ListTransactionsQuery;
use crate::flexpay::payment_method::{
    CreatePaymentMethodRequest, PaymentMethodEnvelope, PaymentMethodList, PaymentMethodRecord,
    PaymentMethodToVault, PaymentMethodTransaction, PaymentMethodType, RecachePaymentMethodRequest,
    StorageState, UpdatePaymentMethodRequest,
};
use crate::flexpay::validate::{self, ValidationContext, NO_EDITABLE_FIELD};
use crate::time::UtcTimestamp;

use super::api_keys::Principal;
use super::compact::{CompactText, SharedEcho};
use super::console::CompanyScope;
use super::error_code as code;
use super::request_check::every_error;
use super::responses::PAYMENT_METHOD_SALT;
use super::transactions::{
    echo_card, echo_gateway_payment_method, status_of, CardSummary, EchoField, Kind, Refusal,
    TransactionHandle, TransactionRecord,
};
use super::{AdminError, ApiError, Sandbox};

/// The editable fields of an update (§7), in the order of the request type.
const EDITABLE: [EchoField; 13] = [
    EchoField::ExpiryMonth,
    EchoField::ExpiryYear,
    EchoField::FirstName,
    EchoField::LastName,
    EchoField::FullName,
    EchoField::Address1,
    EchoField::Address2,
    EchoField::PostalCode,
    EchoField::City,
    EchoField::State,
    EchoField::Country,
    EchoField::Email,
    EchoField::PhoneNumber,
];

fn editable_values(request: &UpdatePaymentMethodRequest) -> [Option<&str>; 13] {
    [
        &request.expiry_month,
        &request.expiry_year,
        &request.first_name,
        &request.last_name,
        &request.full_name,
        &request.address1,
        &request.address2,
        &request.postal_code,
        &request.city,
        &request.state,
        &request.country,
        &request.email,
        &request.phone_number,
    ]
    // An empty string is not sent (FlexPay's reading, §7).
    .map(|value| value.as_deref().filter(|v| !v.is_empty()))
}

pub(super) fn no_editable_field() -> ApiError {
    ApiError::new(400, code::NO_EDITABLE_FIELD, NO_EDITABLE_FIELD)
}

fn not_in_vault() -> Refusal {
    Refusal::new(
        50134,
        "paymentMethodId is not in the vault of this company and environment: use the \
         paymentMethodId answered when the card was stored (POST /v1/paymentmethods, or an \
         approved charge with retainOnSuccess true)",
    )
}

fn redacted_refusal() -> Refusal {
    Refusal::new(
        50136,
        "invalid payment method: it was redacted and can no longer be changed or charged; \
         store the card again to use it",
    )
}

fn payment_method_not_found(id: &str) -> ApiError {
    let id = super::Shown(id);
    ApiError::new(
        404,
        code::PAYMENT_METHOD_NOT_FOUND,
        format!("no payment method {id:?} in the vault of this API key's company and environment"),
    )
}

/// What a vault change does to the stored method once every check has passed.
pub(super) enum Change<'a> {
    Update(&'a UpdatePaymentMethodRequest),
    Redact,
    Recache,
}

impl Change<'_> {
    fn kind(&self) -> Kind {
        match self {
            Change::Update(_) => Kind::UpdatePaymentMethod,
            Change::Redact => Kind::RedactPaymentMethod,
            Change::Recache => Kind::RecachePaymentMethod,
        }
    }
}

impl Sandbox {
    pub(super) fn vault_context(principal: &Principal, now: UtcTimestamp) -> ValidationContext {
        ValidationContext::new(now, principal.mode)
    }

    /// The vault answer of a stored vault transaction.
    pub(super) fn vault_respond(
        &self,
        handle: TransactionHandle,
    ) -> Result<PaymentMethodTransaction, ApiError> {
        self.vault_transaction(handle).ok_or_else(|| {
            ApiError::new(
                500,
                code::MALFORMED_REQUEST,
                "the transaction was not stored",
            )
        })
    }

    /// A vault call's answer: a transaction record whose `paymentMethod` is the vaulted
    /// method (`null` when nothing was vaulted).
    pub fn vault_transaction(&self, handle: TransactionHandle) -> Option<PaymentMethodTransaction> {
        let record = self.state.transactions.get(handle.0 as usize)?;
        let method = self.payment_method_record(record);
        let customer_id = method
            .as_ref()
            .and_then(|m| m.customer_id.clone())
            .or_else(|| record.echo.get(EchoField::CustomerId).map(str::to_owned));
        Some(PaymentMethodTransaction {
            transaction_id: record.id.to_string(),
            transaction_date: Some(record.date.to_string()),
            transaction_status: status_of(record.code),
            message: Some(Self::message(record)),
            response_code: record.code,
            transaction_type: Some(record.kind.transaction_type()),
            customer_id,
            payment_method: method,
        })
    }

    /// The vaulted method at `position` as get and list show it: its current fields and
    /// storage state, `cvv` `"***"` while a CVV is on file.
    fn method_view(&self, position: u32) -> Option<PaymentMethodRecord> {
        let record = self.state.transactions.get(position as usize)?;
        let mut method = self.payment_method_record(record)?;
        method.cvv = record.cvv_cached.then(|| "***".to_owned());
        Some(method)
    }

    // ---- create --------------------------------------------------------------------------

    /// `POST /v1/paymentmethods`.
    pub fn create_payment_method(
        &mut self,
        api_key: &str,
        request: &CreatePaymentMethodRequest,
        now: UtcTimestamp,
    ) -> Result<PaymentMethodTransaction, ApiError> {
        let principal = self.authenticate(api_key)?;
        let validation = validate::validate_create_payment_method(
            request,
            &Self::vault_context(&principal, now),
        );
        let handle = self.create_method(&principal, request, every_error(&validation), now)?;
        self.vault_respond(handle)
    }

    /// The engine of create: stores the method, or the refusal.
    pub(super) fn create_method(
        &mut self,
        principal: &Principal,
        request: &CreatePaymentMethodRequest,
        refusal: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<TransactionHandle, ApiError> {
        self.check_principal(principal)?;
        let kind = match &request.method {
            PaymentMethodToVault::CreditCard(_) => Kind::CreateCreditCard,
            PaymentMethodToVault::GatewayPaymentMethod(_) => Kind::CreateGatewayPaymentMethod,
        };
        let mut record = self.blank_record(
            kind,
            principal.company,
            principal.mode,
            now,
            CompactText::default(),
        );
        let writer = &mut self.index.echo_writer;
        writer.start(None);
        writer.push_some(
            EchoField::CustomerId,
            request
                .customer_id
                .as_deref()
                .filter(|id| !id.trim().is_empty()),
        );
        match refusal {
            None => {
                match &request.method {
                    PaymentMethodToVault::CreditCard(card) => {
                        record.card = CardSummary::of(
                            &card.credit_card_number,
                            None,
                            card.cvv.as_deref().is_some_and(|c| !c.is_empty()),
                        );
                        record.cvv_cached = record.card.is_some_and(|c| c.cvv_sent);
                        echo_card(writer, card);
                    }
                    PaymentMethodToVault::GatewayPaymentMethod(method) => {
                        echo_gateway_payment_method(writer, method);
                    }
                }
                record.stored = true;
            }
            Some(refusal) => {
                record.code = refusal.code;
                record.note = Some(refusal.message.into());
            }
        }
        record.echo = SharedEcho::from_writer(writer);
        Ok(self.store(record))
    }

    // ---- read ----------------------------------------------------------------------------

    /// `GET /v1/paymentmethods/{paymentMethodId}` (answered inside `{"paymentMethod": ...}`).
    pub fn get_payment_method(
        &self,
        api_key: &str,
        payment_method_id: &str,
    ) -> Result<PaymentMethodRecord, ApiError> {
        let principal = self.authenticate(api_key)?;
        self.vault_position(&principal, payment_method_id)
            .and_then(|position| self.method_view(position))
            .ok_or_else(|| payment_method_not_found(payment_method_id))
    }

    /// `GET /v1/paymentmethods`: the methods stored in the vault of the key's company and
    /// environment (redacted ones included), paged like the transaction list; see the module
    /// documentation.
    pub fn list_payment_methods(
        &self,
        api_key: &str,
        query: &ListTransactionsQuery,
    ) -> Result<PaymentMethodList, ApiError> {
        let principal = self.authenticate(api_key)?;
        let positions = self.listed(&principal, query, |r| r.stored)?;
        let page = self.page(positions, query, "paymentMethodId", |record, token| {
            record.id.derived(PAYMENT_METHOD_SALT) == token
        })?;
        Ok(PaymentMethodList {
            payment_methods: page
                .into_iter()
                .filter_map(|position| self.method_view(position))
                .map(PaymentMethodEnvelope::new)
                .collect(),
        })
    }

    // ---- changes -------------------------------------------------------------------------

    /// `PUT /v1/paymentmethods/{paymentMethodId}`: an update with no editable field (nothing
    /// set, or only empty strings) is refused with HTTP 400 `no_editable_field`.
    pub fn update_payment_method(
        &mut self,
        api_key: &str,
        payment_method_id: &str,
        request: &UpdatePaymentMethodRequest,
        now: UtcTimestamp,
    ) -> Result<PaymentMethodTransaction, ApiError> {
        let principal = self.authenticate(api_key)?;
        if request.is_empty() {
            return Err(no_editable_field());
        }
        let validation = validate::validate_update_payment_method(
            request,
            &Self::vault_context(&principal, now),
        );
        let handle = self.change_method(
            &principal,
            payment_method_id,
            Change::Update(request),
            every_error(&validation),
            now,
        )?;
        self.vault_respond(handle)
    }

    /// `PUT /v1/paymentmethods/{paymentMethodId}/redact` (no body).
    pub fn redact_payment_method(
        &mut self,
        api_key: &str,
        payment_method_id: &str,
        now: UtcTimestamp,
    ) -> Result<PaymentMethodTransaction, ApiError> {
        let principal = self.authenticate(api_key)?;
        let handle =
            self.change_method(&principal, payment_method_id, Change::Redact, None, now)?;
        self.vault_respond(handle)
    }

    /// `PUT /v1/paymentmethods/{paymentMethodId}/recache`.
    pub fn recache_payment_method(
        &mut self,
        api_key: &str,
        payment_method_id: &str,
        request: &RecachePaymentMethodRequest,
        now: UtcTimestamp,
    ) -> Result<PaymentMethodTransaction, ApiError> {
        let principal = self.authenticate(api_key)?;
        let brand = self.vaulted_brand(&principal, payment_method_id);
        let validation =
            validate::validate_recache_for(request, brand, &Self::vault_context(&principal, now));
        let handle = self.change_method(
            &principal,
            payment_method_id,
            Change::Recache,
            every_error(&validation),
            now,
        )?;
        self.vault_respond(handle)
    }

    /// The brand of the vaulted card `payment_method_id` names, so a recached CVV is checked
    /// against it.
    fn vaulted_brand(&self, principal: &Principal, payment_method_id: &str) -> Option<CardBrand> {
        self.vault_position(principal, payment_method_id)
            .and_then(|position| self.state.transactions.get(position as usize))
            .and_then(|record| record.card)
            .and_then(|card| card.brand)
    }

    /// The engine of update, redact and recache: the body's problems first, then the
    /// method's (not in the vault, redacted, no card to recache), then the change.
    pub(super) fn change_method(
        &mut self,
        principal: &Principal,
        payment_method_id: &str,
        change: Change<'_>,
        refusal: Option<Refusal>,
        now: UtcTimestamp,
    ) -> Result<TransactionHandle, ApiError> {
        self.check_principal(principal)?;
        let kind = change.kind();
        let mut record = self.blank_record(
            kind,
            principal.company,
            principal.mode,
            now,
            CompactText::default(),
        );
        let owner = self.vault_position(principal, payment_method_id);
        let stored = owner.and_then(|position| self.state.transactions.get(position as usize));
        let refusal = refusal.or_else(|| match (stored, &change) {
            (None, _) => Some(not_in_vault()),
            // Redacting again changes nothing, and says so by approving.
            (Some(method), Change::Redact) if method.redacted => None,
            (Some(method), _) if method.redacted => Some(redacted_refusal()),
            (Some(method), Change::Recache) if method.card.is_none() => Some(Refusal::new(
                50136,
                "invalid payment method: a gateway payment method has no CVV to recache; \
                 the gateway holds its card",
            )),
            (Some(_), _) => None,
        });
        if let (None, Some(position)) = (&refusal, owner) {
            match change {
                Change::Update(request) => self.apply_update(position, request),
                Change::Redact => {
                    if let Some(method) = self.state.transactions.get_mut(position as usize) {
                        method.redacted = true;
                        method.cvv_cached = false;
                    }
                }
                Change::Recache => {
                    if let Some(method) = self.state.transactions.get_mut(position as usize) {
                        method.cvv_cached = true;
                    }
                }
            }
        }
        self.show_method(&mut record, owner);
        if let Some(refusal) = refusal {
            record.code = refusal.code;
            record.note = Some(refusal.message.into());
        }
        Ok(self.store(record))
    }

    /// Links a vault transaction to its method and gives it the method as it now is, so its
    /// answer (and a later `GET /v1/transactions/{id}`) shows it.
    fn show_method(&self, record: &mut TransactionRecord, owner: Option<u32>) {
        let Some(method) =
            owner.and_then(|position| self.state.transactions.get(position as usize))
        else {
            return;
        };
        record.vault = owner;
        record.echo = method.echo.clone();
        record.card = method.card.map(|mut card| {
            card.cvv_sent = method.cvv_cached;
            card
        });
    }

    /// Writes the update's fields into the stored method, in place of the old values; fields
    /// it did not have are added after the others.
    fn apply_update(&mut self, position: u32, request: &UpdatePaymentMethodRequest) {
        let values = editable_values(request);
        let Some(method) = self.state.transactions.get(position as usize) else {
            return;
        };
        let writer = &mut self.index.echo_writer;
        writer.start(None);
        let mut written = [false; EDITABLE.len()];
        for (field, old) in method.echo.iter() {
            match EDITABLE.iter().position(|&f| f == field) {
                Some(index) => {
                    if let (Some(new), false) = (values[index], written[index]) {
                        writer.push(field, new);
                        written[index] = true;
                    } else if values[index].is_none() {
                        writer.push(field, old);
                    }
                }
                None => writer.push(field, old),
            }
        }
        for ((field, value), done) in EDITABLE.into_iter().zip(values).zip(written) {
            if !done {
                writer.push_some(field, value);
            }
        }
        let echo = SharedEcho::from_writer(writer);
        if let Some(method) = self.state.transactions.get_mut(position as usize) {
            method.echo = echo;
        }
    }
}

// ---- console ------------------------------------------------------------------------------

/// A payment method in the vault, as the portal lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultedMethod {
    /// What a charge sends as `paymentMethodId`.
    pub payment_method_id: String,
    /// Code of the company whose vault holds it.
    pub company: String,
    pub payment_method_type: PaymentMethodType,
    /// `Stored`, or `Redacted` (readable, no longer chargeable).
    pub storage_state: StorageState,
    /// Masked number (`492020******9560`) of a card; `None` for a gateway payment method.
    pub card: Option<String>,
    pub card_brand: Option<CardBrand>,
    /// The gateway's token of a gateway payment method.
    pub gateway_payment_method_id: Option<String>,
    pub holder: Option<String>,
    /// The `customerId` it was stored with, if one was sent.
    pub customer_id: Option<String>,
    pub expiry_month: Option<String>,
    pub expiry_year: Option<String>,
    /// A CVV was supplied (at creation or by a recache) and no payment has used it yet.
    pub cvv_on_file: bool,
    pub created_at: UtcTimestamp,
    /// The FlexPay id of the transaction that stored it (a charge, an authorization or a
    /// create call).
    pub created_by: String,
}

impl Sandbox {
    /// Every payment method in the vaults of the companies in one environment, the latest
    /// stored first, with its storage state: cards and gateway payment methods, redacted ones
    /// included.
    pub fn console_payment_methods(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
    ) -> Result<Vec<VaultedMethod>, AdminError> {
        let scope = self.scope(companies, mode)?;
        Ok(self
            .state
            .transactions
            .iter()
            .rev()
            .filter(|r| r.stored && scope.holds(r.company, r.mode))
            .map(|r| self.vaulted_method(r))
            .collect())
    }

    /// The stored method `r` as the console lists it, read from the record itself.
    pub(super) fn vaulted_method(&self, r: &TransactionRecord) -> VaultedMethod {
        let echo = |field| r.echo.get(field).map(str::to_owned);
        let gateway_payment_method_id = echo(EchoField::GatewayPaymentMethodId);
        VaultedMethod {
            payment_method_id: r.id.derived(PAYMENT_METHOD_SALT).to_string(),
            company: self.company_code(r.company).to_owned(),
            payment_method_type: if gateway_payment_method_id.is_some() {
                PaymentMethodType::GatewayPaymentMethodId
            } else {
                PaymentMethodType::CreditCard
            },
            storage_state: Self::storage_state(r),
            card: r.card.map(|card| card.masked()),
            card_brand: r.card.and_then(|card| card.brand),
            gateway_payment_method_id,
            holder: super::console::holder_of(r),
            customer_id: echo(EchoField::CustomerId).filter(|id| !id.trim().is_empty()),
            expiry_month: echo(EchoField::ExpiryMonth),
            expiry_year: echo(EchoField::ExpiryYear),
            cvv_on_file: r.cvv_cached,
            created_at: r.date,
            created_by: r.id.to_string(),
        }
    }

    /// Redacts a payment method of one company and environment from the console, as
    /// `PUT /v1/paymentmethods/{id}/redact` does with that company's key: the answer is the
    /// vault transaction (50134 when the id is not in that vault).
    pub fn console_redact_payment_method(
        &mut self,
        company_code: &str,
        mode: Environment,
        payment_method_id: &str,
        now: UtcTimestamp,
    ) -> Result<PaymentMethodTransaction, AdminError> {
        let principal = self.console_principal(company_code, mode)?;
        let answer = self
            .change_method(&principal, payment_method_id, Change::Redact, None, now)
            .and_then(|handle| self.vault_respond(handle));
        answer.map_err(|error| AdminError::new(error.code, error.message))
    }
}
