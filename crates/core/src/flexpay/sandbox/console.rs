//! The merchant console's access to the sandbox: what the portal, signed in as the account
//! administrator, reads and does without an API key — the virtual terminal, the gateway pages
//! and the transaction list of the FlexPay client portal.
//!
//! Pages read one environment of one company or of every company ([`CompanyScope`], the
//! client portal's company selector: "All companies" or one). A record shown for all companies
//! names its company, so rows of two companies stay apart; figures over all companies are the
//! sums of each company's, per currency. Actions — a payment, a key, a gateway — always name
//! one company.

use serde::Serialize;

use crate::card::CardBrand;
use crate::flexpay::account::Environment;
use crate::flexpay::gateway::Gateway;
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::flexpay::transaction::{TransactionResponse, TransactionStatus};
use crate::money::Currency;
use crate::time::UtcTimestamp;

use super::accounts::CompanyRecord;
use super::api_keys::{ApiKeyId, Principal};
use super::console_reports::row_for;
use super::error_code as code;
use super::recovery::{ChainId, ChainOutcome, CurrencyRecovery};
use super::responses::PAYMENT_METHOD_SALT;
use super::transactions::{status_of, EchoField, Kind, TransactionHandle, TransactionRecord};
use super::{AdminError, Sandbox};

/// The key id of console sessions. Generated keys are numbered from 1, so it never names one.
pub(crate) const CONSOLE_KEY: ApiKeyId = ApiKeyId(0);

/// The companies a console page reads: every company of the account, or one live company
/// (the client portal's company selector). A deleted company's records stay on record: they
/// are read with every company (its transactions, recoveries and stored payment methods count
/// in the account's figures and invoice), never with one, and its gateways are not listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompanyScope<'a> {
    All,
    /// The company with this code (without regard to ASCII case).
    One(&'a str),
}

impl<'a> CompanyScope<'a> {
    /// `None` is every company: how a saved choice reads.
    pub fn of(company_code: Option<&'a str>) -> Self {
        company_code.map_or(CompanyScope::All, CompanyScope::One)
    }
}

/// A [`CompanyScope`] and an environment checked against the sandbox: what a stored record
/// must belong to, to be read.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'s> {
    /// `None`: every company, deleted ones included.
    company: Option<u16>,
    mode: Environment,
    companies: &'s [CompanyRecord],
}

impl Scope<'_> {
    /// Whether a record of `company` in `mode` is read.
    pub(crate) fn holds(&self, company: u16, mode: Environment) -> bool {
        mode == self.mode && self.company.is_none_or(|one| company == one)
    }

    /// Whether `company` is in the scope and not deleted: what pages that manage records
    /// (gateways) list.
    pub(crate) fn holds_live(&self, company: u16, mode: Environment) -> bool {
        self.holds(company, mode)
            && self
                .companies
                .get(usize::from(company))
                .is_some_and(|c| !c.deleted)
    }

    /// The one company read; `None` for every company.
    pub(crate) fn company(&self) -> Option<u16> {
        self.company
    }
}

/// Every transaction type the console lists, in the order of the sandbox's kinds of
/// transaction: the payments and their follow-ups, then the vault's calls.
pub const TRANSACTION_TYPES: [&str; 11] = [
    "Charge",
    "Authorize",
    "Capture",
    "Void",
    "Refund",
    "RefundedPayment",
    "CreateCreditCard",
    "CreateGatewayPaymentMethod",
    "UpdatePaymentMethod",
    "RedactPaymentMethod",
    "RecachePaymentMethod",
];

/// One transaction as the console lists it: small, flat, cheap to filter by the thousand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionSummary {
    pub transaction_id: String,
    /// Code of the company that sent it.
    pub company: String,
    pub merchant_transaction_id: String,
    /// The `orderId` and `customerId` the request was sent with (a follow-up's are its
    /// original's); `None` when not sent.
    pub order_id: Option<String>,
    pub customer_id: Option<String>,
    /// The card holder's name and the email the request sent (a follow-up's are its
    /// original's), as FlexPay's Transactions list shows them; `None` when not sent.
    pub holder: Option<String>,
    pub email: Option<String>,
    /// One of [`TRANSACTION_TYPES`]: `Charge`, `Authorize`, `Capture`, `Void`, `Refund`, `RefundedPayment`, or a vault
    /// call: `CreateCreditCard`, `CreateGatewayPaymentMethod`, `UpdatePaymentMethod`,
    /// `RedactPaymentMethod`, `RecachePaymentMethod`.
    pub transaction_type: &'static str,
    pub date: UtcTimestamp,
    pub status: TransactionStatus,
    pub response_code: ResponseCode,
    pub category: ResponseCategory,
    pub amount: Option<i64>,
    pub currency: Option<Currency>,
    /// Token of the gateway used; `None` when the request reached no gateway.
    pub gateway_token: Option<String>,
    pub gateway_name: Option<String>,
    pub retry_count: Option<u32>,
    pub retry_date: Option<UtcTimestamp>,
    pub reference_data: Option<String>,
    /// Masked card number (`492020******9560`).
    pub card: Option<String>,
    pub card_brand: Option<CardBrand>,
    /// The recovery chain this payment belongs to.
    pub chain: Option<u32>,
    /// The transaction a capture, void or refund follows up.
    pub original_transaction_id: Option<String>,
    /// Fired by the sandbox's own scheduler (FlexPay Retries).
    pub scheduled_by_sandbox: bool,
}

/// One transaction as its page in the console shows it: the answer, what the request sent to
/// name its customer and order, and what followed it up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionDetail {
    /// As `GET /v1/transactions/{id}` answers it.
    pub response: TransactionResponse,
    /// The `customerId`, email and `orderId` the request was sent with (a follow-up's are its
    /// original's); `None` when not sent, also when the response shows a `customerId` that
    /// FlexPay made up.
    pub customer_id: Option<String>,
    pub email: Option<String>,
    pub order_id: Option<String>,
    /// The captures, voids and refunds sent for this transaction, approved or not, oldest
    /// first.
    pub follow_ups: Vec<TransactionSummary>,
}

/// The figures of one currency of a transaction list: what the Transactions page shows above
/// the list it filtered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListFigures {
    pub currency: Currency,
    /// Transactions listed in the currency.
    pub transactions: u32,
    /// Approved charges and captures among them: money taken (the currency report's rule).
    pub approved_amount: i64,
    /// Approved refunds and voids among them that gave money back, and how much (the
    /// currency report's "Refunded and voided"; a void of an authorization took none).
    pub refunded: u32,
    pub refunded_amount: i64,
    /// Declined transactions among them, of every type.
    pub declined: u32,
    /// The recovery of the payments listed, by the dashboard's rules: each chain that
    /// received a decline and has a transaction in the list, counted once. Counts and amounts
    /// only: a list may span companies, so no rate or forecast is worked out.
    pub recovery: CurrencyRecovery,
}

impl ListFigures {
    /// The declined share of the transactions listed, in basis points rounded half up.
    pub fn declined_basis_points(&self) -> u32 {
        super::recovery::basis_points(i64::from(self.declined), i64::from(self.transactions))
    }
}

impl Sandbox {
    /// Whether `r` gave money back: an approved refund, or an approved void of anything but
    /// an authorization (which took none).
    pub(super) fn gives_back(&self, r: &TransactionRecord) -> bool {
        r.code.category() == ResponseCategory::Approved
            && match r.kind {
                Kind::Refund => true,
                Kind::Void => r
                    .original
                    .and_then(|i| self.state.transactions.get(i as usize))
                    .is_none_or(|s| s.kind != Kind::Authorize),
                _ => false,
            }
    }

    /// Where the transaction with this id is stored, if it is in the scope.
    fn scoped_position(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
        transaction_id: &str,
    ) -> Option<u32> {
        let scope = self.scope(companies, mode).ok()?;
        let position = self.transaction_position(transaction_id)?;
        let record = self.state.transactions.get(position as usize)?;
        scope.holds(record.company, record.mode).then_some(position)
    }

    /// One transaction of the companies in `mode` as `GET /v1/transactions/{id}` answers it
    /// (payment method with the billing address, shipping address, order fields), for the
    /// portal's detail view. `None` when they have no such transaction in that mode.
    pub fn console_response(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
        transaction_id: &str,
    ) -> Option<TransactionResponse> {
        self.scoped_position(companies, mode, transaction_id)
            .and_then(|position| self.response(TransactionHandle(position)))
    }

    /// One transaction of the companies in `mode` with what its page shows beyond the list's
    /// summary; `None` when they have no such transaction in that mode.
    pub fn console_detail(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
        transaction_id: &str,
    ) -> Option<TransactionDetail> {
        let position = self.scoped_position(companies, mode, transaction_id)?;
        let record = self.state.transactions.get(position as usize)?;
        Some(TransactionDetail {
            response: self.response(TransactionHandle(position))?,
            customer_id: sent(record, EchoField::CustomerId),
            email: sent(record, EchoField::Email),
            order_id: sent(record, EchoField::OrderId),
            // A follow-up is stored after its original.
            follow_ups: self
                .state
                .transactions
                .get(position as usize + 1..)
                .unwrap_or_default()
                .iter()
                .filter(|r| r.original == Some(position))
                .map(|r| self.summary_of(r))
                .collect(),
        })
    }

    /// Per currency, in the order of the currency codes, the figures of `rows` (transactions
    /// as the console lists them, of any company and mode), their recovery as it stands at
    /// `now` ([`Sandbox::standing`]).
    pub fn list_figures(&self, rows: &[TransactionSummary], now: UtcTimestamp) -> Vec<ListFigures> {
        let mut figures: Vec<ListFigures> = Vec::new();
        let mut counted = vec![false; self.state.chains.len()];
        for t in rows {
            let Some(currency) = t.currency else {
                continue;
            };
            let row = row_for(
                &mut figures,
                currency,
                |row| row.currency,
                || ListFigures {
                    currency,
                    transactions: 0,
                    approved_amount: 0,
                    refunded: 0,
                    refunded_amount: 0,
                    declined: 0,
                    recovery: CurrencyRecovery::empty(currency),
                },
            );
            row.transactions += 1;
            let amount = t.amount.unwrap_or(0);
            match (t.status, t.transaction_type) {
                (TransactionStatus::Approved, "Charge" | "Capture") => {
                    row.approved_amount = row.approved_amount.saturating_add(amount);
                }
                (TransactionStatus::Approved, "Refund" | "Void") => {
                    let record = self.transaction_record(&t.transaction_id);
                    if record.is_some_and(|r| self.gives_back(r)) {
                        row.refunded += 1;
                        row.refunded_amount = row.refunded_amount.saturating_add(amount);
                    }
                }
                (TransactionStatus::Declined, _) => row.declined += 1,
                _ => {}
            }
            let chain = t.chain.and_then(|index| {
                let seen = counted.get_mut(index as usize)?;
                let chain = self.state.chains.get(index as usize)?;
                let new = chain.received_decline && chain.currency == Some(currency) && !*seen;
                *seen = true;
                new.then_some(chain)
            });
            if let Some(chain) = chain {
                row.recovery.add(chain, self.standing(chain, now));
            }
        }
        figures
    }

    /// Acts as the account administrator of `company_code` in `mode`, as the client portal
    /// does: the principal works with every call that takes one (`submit_charge`, ...).
    pub fn console_principal(
        &self,
        company_code: &str,
        mode: Environment,
    ) -> Result<Principal, AdminError> {
        let company = self.company_index(company_code)?;
        Ok(Principal {
            key: CONSOLE_KEY,
            company,
            mode,
        })
    }

    /// The companies of `companies` in `mode`, checked: an error when it names no live
    /// company.
    pub(crate) fn scope(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
    ) -> Result<Scope<'_>, AdminError> {
        let company = match companies {
            CompanyScope::All => None,
            CompanyScope::One(code) => Some(self.company_index(code)?),
        };
        Ok(Scope {
            company,
            mode,
            companies: &self.state.companies,
        })
    }

    /// Every transaction of the companies in one environment, oldest first.
    pub fn console_transactions(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
    ) -> Result<Vec<TransactionSummary>, AdminError> {
        let scope = self.scope(companies, mode)?;
        Ok(self
            .state
            .transactions
            .iter()
            .filter(|r| scope.holds(r.company, r.mode))
            .map(|r| self.summary_of(r))
            .collect())
    }

    /// One stored transaction as the console lists it.
    pub(super) fn summary_of(&self, r: &TransactionRecord) -> TransactionSummary {
        let reached = r.gateway != super::gateways::GatewayRef::NotReached;
        let gateway = reached.then(|| self.gateway_fields(r.gateway));
        TransactionSummary {
            transaction_id: r.id.to_string(),
            company: self.company_code(r.company).to_owned(),
            merchant_transaction_id: r.merchant_transaction_id.to_string(),
            order_id: sent(r, EchoField::OrderId),
            customer_id: sent(r, EchoField::CustomerId),
            holder: holder_of(r),
            email: sent(r, EchoField::Email),
            transaction_type: TRANSACTION_TYPES[r.kind as usize],
            date: r.date,
            status: status_of(r.code),
            response_code: r.code,
            category: r.code.category(),
            amount: r.amount,
            currency: r.currency,
            gateway_token: gateway.as_ref().map(|g| g.token.clone()),
            gateway_name: gateway.as_ref().map(|g| g.name.to_owned()),
            // A capture, void or refund is no attempt of a payment: it has no retry count.
            retry_count: r
                .retry_count
                .filter(|_| matches!(r.kind, Kind::Charge | Kind::Authorize)),
            retry_date: r.retry_date,
            reference_data: r.reference_data.map(|d| d.to_string()),
            card: r.card.as_ref().map(|c| c.masked()),
            card_brand: r.card.as_ref().and_then(|c| c.brand),
            chain: r.chain,
            original_transaction_id: r
                .original
                .and_then(|i| self.state.transactions.get(i as usize))
                .map(|o| o.id.to_string()),
            scheduled_by_sandbox: r.scheduled,
        }
    }

    /// The cards in the vault of one company and environment that can be charged (not
    /// redacted), the latest retained first: what a charge or authorization can name by
    /// `paymentMethodId`. [`Sandbox::console_payment_methods`] lists every stored method.
    pub fn console_vault(
        &self,
        company_code: &str,
        mode: Environment,
    ) -> Result<Vec<VaultedCard>, AdminError> {
        let company = self.company_index(company_code)?;
        Ok(self
            .state
            .transactions
            .iter()
            .rev()
            .filter(|r| r.company == company && r.mode == mode && r.stored && !r.redacted)
            .filter_map(|r| {
                let card = r.card?;
                let echo = |field| r.echo.get(field).map(str::to_owned);
                let holder = holder_of(r);
                Some(VaultedCard {
                    payment_method_id: r.id.derived(PAYMENT_METHOD_SALT).to_string(),
                    card: card.masked(),
                    card_brand: card.brand,
                    holder,
                    expiry_month: echo(EchoField::ExpiryMonth),
                    expiry_year: echo(EchoField::ExpiryYear),
                    retained_at: r.date,
                    retained_by: r.id.to_string(),
                })
            })
            .collect())
    }

    /// The gateways of one company and environment, settings masked.
    pub fn console_gateways(
        &self,
        company_code: &str,
        mode: Environment,
    ) -> Result<Vec<Gateway>, AdminError> {
        let company = self.company_index(company_code)?;
        Ok(self
            .state
            .gateways
            .iter()
            .filter(|r| r.company == company && r.mode == mode && !r.deleted)
            .map(|r| r.view())
            .collect())
    }
}

impl Sandbox {
    /// Sends the next retry of a recovery chain from the console, as the merchant's CRM would:
    /// the chain's first attempt repeated with `retryCount` + 1 and the latest
    /// `referenceData`. Refused before the chain's `retryDate` (FlexPay's rule: never retry
    /// early) and once the chain has ended.
    pub fn console_retry(
        &mut self,
        chain: ChainId,
        now: UtcTimestamp,
    ) -> Result<TransactionResponse, AdminError> {
        let record = self.state.chains.get(chain.0 as usize).ok_or_else(|| {
            AdminError::new(code::CHAIN_NOT_FOUND, "no recovery chain with that id")
        })?;
        if record.outcome != ChainOutcome::InRecovery {
            return Err(AdminError::new(
                code::CHAIN_ENDED,
                "this payment is no longer in recovery: a new attempt would be a new payment",
            ));
        }
        let Some(due) = record.next_retry else {
            return Err(AdminError::new(
                code::CHAIN_ENDED,
                "FlexPay gave no retry date for this payment, so it must not be retried",
            ));
        };
        if now < due {
            return Err(AdminError::new(
                code::RETRY_NOT_YET_ALLOWED,
                format!(
                    "the retry is allowed from {} (FlexPay's retryDate); sending it earlier breaks the recovery rules",
                    due.to_iso8601()
                ),
            ));
        }
        let input = self.retry_input(chain.0, now, false).ok_or_else(|| {
            AdminError::new(
                code::CHAIN_NOT_FOUND,
                "the chain's first attempt is missing",
            )
        })?;
        let handle = self.process_payment(input, None);
        self.response(handle).ok_or_else(|| {
            AdminError::new(
                code::CHAIN_NOT_FOUND,
                "the retry left no transaction record",
            )
        })
    }
}

/// Transactions as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when needed),
/// in the order given: what the portal's Transactions page exports for its filtered list.
/// Amounts are decimals in the currency's major unit next to the currency's code; instants
/// are ISO 8601 in UTC to the millisecond (one width, so the column sorts as text); a missing
/// value is an empty field; the company's code comes last.
pub fn transactions_csv(rows: &[TransactionSummary]) -> String {
    let mut out = String::new();
    super::scenarios::csv_row(
        &mut out,
        [
            "Transaction ID",
            "Date",
            "Type",
            "Status",
            "Response code",
            "Category",
            "Amount",
            "Currency",
            "Retry count",
            "Retry date",
            "Reference data",
            "Card",
            "Card brand",
            "Gateway",
            "Gateway token",
            "Merchant transaction ID",
            "Order ID",
            "Customer ID",
            "Card holder",
            "Email",
            "Original transaction ID",
            "Scheduled by the sandbox",
            "Company",
        ]
        .into_iter(),
    );
    let opt = |text: Option<String>| text.unwrap_or_default();
    for t in rows {
        let cells = [
            t.transaction_id.clone(),
            t.date.to_iso8601_millis(),
            t.transaction_type.to_owned(),
            match t.status {
                TransactionStatus::Approved => "Approved",
                TransactionStatus::Declined => "Declined",
                TransactionStatus::Error => "Error",
            }
            .to_owned(),
            t.response_code.to_string(),
            t.category.display_name().to_owned(),
            amount_cell(t.amount, t.currency),
            opt(t.currency.map(|c| c.code().to_owned())),
            opt(t.retry_count.map(|n| n.to_string())),
            opt(t.retry_date.map(UtcTimestamp::to_iso8601_millis)),
            opt(t.reference_data.clone()),
            opt(t.card.clone()),
            opt(t.card_brand.map(|b| b.display_name().to_owned())),
            opt(t.gateway_name.clone()),
            opt(t.gateway_token.clone()),
            t.merchant_transaction_id.clone(),
            opt(t.order_id.clone()),
            opt(t.customer_id.clone()),
            opt(t.holder.clone()),
            opt(t.email.clone()),
            opt(t.original_transaction_id.clone()),
            if t.scheduled_by_sandbox { "yes" } else { "no" }.to_owned(),
            t.company.clone(),
        ];
        super::scenarios::csv_row(&mut out, cells.iter().map(String::as_str));
    }
    out
}

/// An amount as a CSV cell: a decimal in the currency's major unit (`20.08`), the minor units
/// when the currency is unknown, empty when there is none.
pub(super) fn amount_cell(minor_units: Option<i64>, currency: Option<Currency>) -> String {
    match (minor_units, currency) {
        (Some(minor), Some(currency)) => crate::money::Money::new(minor, currency).format(),
        (Some(minor), None) => minor.to_string(),
        (None, _) => String::new(),
    }
}

/// A card in the vault, as the portal lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultedCard {
    /// What a charge sends as `paymentMethodId`.
    pub payment_method_id: String,
    /// Masked number (`492020******9560`).
    pub card: String,
    pub card_brand: Option<CardBrand>,
    pub holder: Option<String>,
    pub expiry_month: Option<String>,
    pub expiry_year: Option<String>,
    pub retained_at: UtcTimestamp,
    /// The FlexPay id of the approved payment that retained the card.
    pub retained_by: String,
}

/// The card holder's name as the portal shows it: `fullName`, else first and last name.
pub(super) fn holder_of(record: &TransactionRecord) -> Option<String> {
    record
        .echo
        .get(EchoField::FullName)
        .map(str::to_owned)
        .or_else(|| {
            let names: Vec<&str> = [EchoField::FirstName, EchoField::LastName]
                .into_iter()
                .filter_map(|field| record.echo.get(field))
                .collect();
            (!names.is_empty()).then(|| names.join(" "))
        })
}

/// A field the request of `record` was sent with, unless empty or not sent.
fn sent(record: &TransactionRecord, field: EchoField) -> Option<String> {
    record
        .echo
        .get(field)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::t0;
    use crate::flexpay::transaction::ChargeRequest;

    #[test]
    fn transactions_export_as_csv_with_every_summary_field() {
        use crate::flexpay::sandbox::test_support::{sandbox_with_key, visa_charge};
        let (mut sandbox, key) = sandbox_with_key();
        let declined = sandbox
            .charge(&key, visa_charge("csv,1", 2008), t0())
            .unwrap();
        let list = sandbox
            .console_transactions(CompanyScope::One("DEFAULT"), Environment::Sandbox)
            .unwrap();
        let csv = transactions_csv(&list);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines.len(),
            3,
            "header, one row, and the empty rest after the last CRLF"
        );
        assert_eq!(lines[2], "");
        assert!(lines[0].starts_with("Transaction ID,Date,Type,Status,Response code,"));
        let row = lines[1];
        assert!(
            row.starts_with(&format!(
                "{},2023-11-08T14:02:51.000Z,Charge,Declined,20003,Soft decline,20.08,USD,1,",
                declined.transaction_id
            )),
            "{row}"
        );
        // The merchant id holds a comma: quoted; the order and customer the charge named follow
        // it. The reference data is there to chain.
        assert!(
            row.contains(",\"csv,1\",order-1,cust-1,Avery Quinn,avery.quinn@example.com,"),
            "{row}"
        );
        assert!(
            lines[0].contains(",Merchant transaction ID,Order ID,Customer ID,Card holder,Email,")
        );
        assert_eq!(list[0].holder.as_deref(), Some("Avery Quinn"));
        assert_eq!(list[0].email.as_deref(), Some("avery.quinn@example.com"));
        assert!(
            row.contains(declined.reference_data.as_deref().unwrap()),
            "{row}"
        );
        // Its company last: rows of all companies stay apart.
        assert!(row.ends_with(",no,DEFAULT"), "{row}");
        assert_eq!(
            transactions_csv(&[]).matches("\r\n").count(),
            1,
            "a header alone"
        );
    }

    #[test]
    fn each_kind_of_transaction_is_listed_under_its_own_type() {
        let kinds = [
            (Kind::Charge, "Charge"),
            (Kind::Authorize, "Authorize"),
            (Kind::Capture, "Capture"),
            (Kind::Void, "Void"),
            (Kind::Refund, "Refund"),
            (Kind::RefundedPayment, "RefundedPayment"),
            (Kind::CreateCreditCard, "CreateCreditCard"),
            (
                Kind::CreateGatewayPaymentMethod,
                "CreateGatewayPaymentMethod",
            ),
            (Kind::UpdatePaymentMethod, "UpdatePaymentMethod"),
            (Kind::RedactPaymentMethod, "RedactPaymentMethod"),
            (Kind::RecachePaymentMethod, "RecachePaymentMethod"),
        ];
        assert_eq!(kinds.len(), TRANSACTION_TYPES.len());
        for (kind, name) in kinds {
            assert_eq!(TRANSACTION_TYPES[kind as usize], name);
        }
    }

    #[test]
    fn console_acts_for_a_company_without_a_key_and_lists_its_transactions() {
        let mut sandbox = Sandbox::new(7);
        let principal = sandbox
            .console_principal("DEFAULT", Environment::Sandbox)
            .expect("the Default Company exists");
        let request: ChargeRequest = serde_json::from_value(serde_json::json!({
            "merchantTransactionId": "console-1", "orderId": "o-1", "currencyCode": "USD",
            "amount": 2008, "retryCount": 1, "referenceData": null, "customerId": "c-1",
            "retainOnSuccess": false,
            "paymentMethod": {"creditCardNumber": "4920201996449560", "expiryMonth": "07",
              "expiryYear": "2024", "cvv": "879", "fullName": "Ada Lovelace",
              "postalCode": "10001", "city": "New York", "state": "NY", "country": "US"}
        }))
        .expect("a valid charge");
        let receipt = sandbox
            .submit_charge(&principal, request, t0())
            .expect("the console may charge");
        assert_eq!(receipt.response_code.value(), 20003);

        let list = sandbox
            .console_transactions(CompanyScope::One("DEFAULT"), Environment::Sandbox)
            .expect("listed");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].transaction_type, "Charge");
        assert_eq!(list[0].category, ResponseCategory::SoftDecline);
        assert_eq!(list[0].card.as_deref(), Some("492020******9560"));
        assert_eq!(list[0].card_brand, Some(CardBrand::Visa));
        assert!(list[0].retry_date.is_some() && list[0].reference_data.is_some());
        // Data of one mode never shows in the other.
        assert!(sandbox
            .console_transactions(CompanyScope::One("DEFAULT"), Environment::Production)
            .expect("listed")
            .is_empty());
        assert!(sandbox
            .console_principal("NOPE", Environment::Sandbox)
            .is_err());

        // The merchant's retry from the console: refused before the retryDate, sent at it.
        let chain = ChainId(list[0].chain.expect("a payment has a chain"));
        let due = list[0].retry_date.expect("soft decline");
        let early = due.checked_add_seconds(-1).expect("in range");
        let refused = sandbox.console_retry(chain, early).expect_err("too early");
        assert_eq!(refused.code, code::RETRY_NOT_YET_ALLOWED);
        let retry = sandbox
            .console_retry(chain, due)
            .expect("allowed at the date");
        assert_eq!(retry.retry_count, Some(2));
        assert_eq!(
            retry.merchant_transaction_id.as_deref(),
            Some("console-1-R2")
        );
    }

    #[test]
    fn the_console_reads_one_transaction_with_its_addresses_in_its_own_scope_only() {
        let mut sandbox = Sandbox::new(7);
        let principal = sandbox
            .console_principal("DEFAULT", Environment::Sandbox)
            .expect("the Default Company exists");
        let request: ChargeRequest = serde_json::from_str(
            r#"{"merchantTransactionId": "ship-1", "orderId": "o-1", "currencyCode": "USD",
              "amount": 1000, "retryCount": 1, "customerId": "c-1",
              "shippingAddress": {"address1": "5 Quay Road", "city": "Halifax",
                "postalCode": "B3H 1A1", "state": "NS", "country": "CA"},
              "paymentMethod": {"creditCardNumber": "4920201996449560", "expiryMonth": "07",
                "expiryYear": "2031", "fullName": "Ada Lovelace", "address1": "1 Main St",
                "postalCode": "10001", "city": "New York", "state": "NY", "country": "US"}}"#,
        )
        .expect("a valid charge");
        sandbox
            .submit_charge(&principal, request, t0())
            .expect("the console may charge");
        let id = sandbox
            .console_transactions(CompanyScope::One("DEFAULT"), Environment::Sandbox)
            .expect("listed")[0]
            .transaction_id
            .clone();

        let response = sandbox
            .console_response(CompanyScope::One("DEFAULT"), Environment::Sandbox, &id)
            .expect("found in its own scope");
        let shipping = response
            .shipping_address
            .expect("the shipping address is kept");
        assert_eq!(shipping.city.as_deref(), Some("Halifax"));
        assert_eq!(shipping.country.as_deref(), Some("CA"));
        let card = response
            .payment_method
            .expect("the payment method is shown");
        assert_eq!(card.city.as_deref(), Some("New York"));
        assert_eq!(card.credit_card_number.as_deref(), Some("492020******9560"));

        assert!(sandbox
            .console_response(CompanyScope::One("DEFAULT"), Environment::Production, &id)
            .is_none());
        assert!(sandbox
            .console_response(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                "NO-SUCH-ID"
            )
            .is_none());
        assert!(sandbox
            .console_response(CompanyScope::One("NOPE"), Environment::Sandbox, &id)
            .is_none());
    }

    #[test]
    fn a_detail_names_what_the_request_sent_and_lists_the_follow_ups_in_order() {
        use crate::flexpay::sandbox::test_support::{
            at_hours, sandbox_with_key, visa, visa_charge,
        };
        use crate::flexpay::transaction::{RefundRequest, VoidRequest};
        let (mut sandbox, key) = sandbox_with_key();
        // V1 of the Sandbox Guide, then two partial refunds of what was taken.
        let charge = sandbox.charge(&key, visa_charge("v1", 9000), t0()).unwrap();
        let void = sandbox
            .void(
                &key,
                &charge.transaction_id,
                VoidRequest::new("v1-void"),
                at_hours(1),
            )
            .unwrap();
        assert_eq!(void.response_code, ResponseCode::REVERSAL_FAILED);
        for (id, amount) in [("v1-r1", 4000), ("v1-r2", 5000)] {
            let refund = RefundRequest::partial(id, amount);
            sandbox
                .refund(&key, &charge.transaction_id, refund, at_hours(2))
                .unwrap();
        }
        let anonymous = ChargeRequest::with_card("plain", "order-2", "USD", 1000, visa());
        let anonymous = sandbox.charge(&key, anonymous, t0()).unwrap();

        let detail = sandbox
            .console_detail(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                &charge.transaction_id,
            )
            .expect("found in its own scope");
        assert_eq!(detail.response, charge);
        assert_eq!(detail.customer_id.as_deref(), Some("cust-1"));
        assert_eq!(detail.email.as_deref(), Some("avery.quinn@example.com"));
        assert_eq!(detail.order_id.as_deref(), Some("order-1"));
        let follow_ups: Vec<(&str, u32, Option<i64>)> = detail
            .follow_ups
            .iter()
            .map(|f| (f.transaction_type, f.response_code.value(), f.amount))
            .collect();
        assert_eq!(
            follow_ups,
            [
                ("Void", 30013, Some(9000)),
                ("Refund", 10000, Some(4000)),
                ("Refund", 10000, Some(5000)),
            ]
        );
        assert_eq!(detail.follow_ups[0].transaction_id, void.transaction_id);
        assert!(detail.follow_ups.iter().all(|f| {
            f.original_transaction_id.as_deref() == Some(charge.transaction_id.as_str())
        }));

        // A follow-up names its original's customer and order, and has no follow-up itself.
        let follow_up = sandbox
            .console_detail(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                &void.transaction_id,
            )
            .unwrap();
        assert_eq!(follow_up.customer_id.as_deref(), Some("cust-1"));
        assert_eq!(follow_up.order_id.as_deref(), Some("order-1"));
        assert!(follow_up.follow_ups.is_empty());

        // Without a customer ID the response shows one FlexPay made up; none was sent.
        let plain = sandbox
            .console_detail(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                &anonymous.transaction_id,
            )
            .unwrap();
        assert!(plain.response.customer_id.is_some());
        assert_eq!(plain.customer_id, None);
        assert_eq!(plain.order_id.as_deref(), Some("order-2"));

        for (company, mode, id) in [
            (
                "DEFAULT",
                Environment::Production,
                charge.transaction_id.as_str(),
            ),
            ("DEFAULT", Environment::Sandbox, "NO-SUCH-ID"),
            ("NOPE", Environment::Sandbox, charge.transaction_id.as_str()),
        ] {
            assert!(sandbox
                .console_detail(CompanyScope::One(company), mode, id)
                .is_none());
        }
    }

    #[test]
    fn a_deleted_companys_transactions_stay_on_record_under_all_companies() {
        use crate::flexpay::gateway::{Gateway, GatewayStatus, GatewayType};
        use crate::flexpay::sandbox::test_support::{at_hours, sandbox_with_key, visa_charge};
        let (mut sandbox, key) = sandbox_with_key();
        sandbox
            .charge(&key, visa_charge("d-1", 1000), t0())
            .unwrap();
        sandbox.create_company("Gone", "GONE", t0()).unwrap();
        let gone = sandbox
            .console_principal("GONE", Environment::Sandbox)
            .unwrap();
        sandbox
            .submit_charge(&gone, visa_charge("g-1", 1500), t0())
            .unwrap();
        sandbox
            .submit_charge(&gone, visa_charge("g-2", 2008), t0())
            .unwrap();
        let main = Gateway::new("Main", GatewayType::Stripe, "USD", GatewayStatus::Available);
        sandbox
            .console_create_gateway("GONE", Environment::Sandbox, main, t0())
            .unwrap();
        let all = CompanyScope::All;
        let mode = Environment::Sandbox;
        let figures = |sandbox: &Sandbox| {
            let summary = sandbox
                .recovery_summary(all, mode, t0(), at_hours(24 * 40), t0())
                .unwrap();
            let usd = &summary.currencies[0];
            (
                usd.declined_count,
                usd.declined_amount,
                usd.recovered_amount,
            )
        };
        let listed = sandbox.console_transactions(all, mode).unwrap();
        let before = figures(&sandbox);
        let default_only = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                mode,
                t0(),
                at_hours(24 * 40),
                t0(),
            )
            .unwrap();
        assert!(before.0 > default_only.currencies[0].declined_count);
        assert_eq!(
            sandbox.console_gateway_listings(all, mode).unwrap().len(),
            1
        );

        sandbox.delete_company("GONE", at_hours(1)).unwrap();

        // Every row still listed, naming its company; the decline still counts.
        let after = sandbox.console_transactions(all, mode).unwrap();
        assert_eq!(after.len(), listed.len());
        assert_eq!(after.iter().filter(|t| t.company == "GONE").count(), 2);
        assert_eq!(figures(&sandbox), before);
        let id = after[1].transaction_id.as_str();
        assert!(sandbox.console_detail(all, mode, id).is_some());
        assert!(sandbox.console_response(all, mode, id).is_some());
        // Never with one company, never in the other mode; its gateways are not managed.
        assert!(sandbox
            .console_transactions(CompanyScope::One("GONE"), mode)
            .is_err());
        assert!(sandbox
            .console_detail(CompanyScope::One("DEFAULT"), mode, id)
            .is_none());
        assert!(sandbox
            .console_detail(all, Environment::Production, id)
            .is_none());
        assert!(sandbox
            .console_gateway_listings(all, mode)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn all_companies_list_every_companys_transactions_each_naming_its_company() {
        use crate::flexpay::sandbox::test_support::two_companies;
        let sandbox = two_companies();
        let list = |companies, mode| sandbox.console_transactions(companies, mode).unwrap();
        let all = list(CompanyScope::All, Environment::Sandbox);
        let default = list(CompanyScope::One("DEFAULT"), Environment::Sandbox);
        let acme = list(CompanyScope::One("Acme"), Environment::Sandbox);
        assert!(default.iter().all(|t| t.company == "DEFAULT"));
        assert!(acme.iter().all(|t| t.company == "ACME"));
        // Both, in the order they were stored; not Production's.
        assert_eq!(all.len(), default.len() + acme.len());
        let of = |code: &str| {
            let rows = all.iter().filter(|t| t.company == code);
            rows.cloned().collect::<Vec<_>>()
        };
        assert_eq!((of("DEFAULT"), of("ACME")), (default.clone(), acme.clone()));
        let live = list(CompanyScope::All, Environment::Production);
        assert_eq!(live.len(), 1);
        assert!(sandbox
            .console_transactions(CompanyScope::One("GONE"), Environment::Sandbox)
            .is_err());
        assert_eq!(CompanyScope::of(None), CompanyScope::All);
        assert_eq!(CompanyScope::of(Some("ACME")), CompanyScope::One("ACME"));

        // A transaction's page: found over all companies, only in its own company otherwise,
        // never in the other mode.
        let id = acme[0].transaction_id.as_str();
        let sandbox_mode = Environment::Sandbox;
        assert!(sandbox
            .console_detail(CompanyScope::All, sandbox_mode, id)
            .is_some());
        assert!(sandbox
            .console_response(CompanyScope::All, sandbox_mode, id)
            .is_some());
        assert!(sandbox
            .console_detail(CompanyScope::One("ACME"), sandbox_mode, id)
            .is_some());
        assert!(sandbox
            .console_detail(CompanyScope::One("DEFAULT"), sandbox_mode, id)
            .is_none());
        let production = Environment::Production;
        assert!(sandbox
            .console_detail(CompanyScope::All, production, id)
            .is_none());

        // The figures of the list of all companies are the sums of each company's.
        let figures = |rows: &[TransactionSummary]| sandbox.list_figures(rows, t0());
        let (every, each) = (figures(&all), [figures(&default), figures(&acme)]);
        let codes: Vec<&str> = every.iter().map(|f| f.currency.code()).collect();
        assert_eq!(codes, ["EUR", "USD"]);
        for row in &every {
            let parts: Vec<&ListFigures> = each
                .iter()
                .filter_map(|f| f.iter().find(|p| p.currency == row.currency))
                .collect();
            let sum = |f: fn(&ListFigures) -> i64| parts.iter().map(|p| f(p)).sum::<i64>();
            assert_eq!(i64::from(row.transactions), sum(|p| p.transactions.into()));
            assert_eq!(row.approved_amount, sum(|p| p.approved_amount));
            assert_eq!(
                row.recovery.recovered_amount,
                sum(|p| p.recovery.recovered_amount)
            );
            assert_eq!(
                i64::from(row.recovery.declined_count),
                sum(|p| p.recovery.declined_count.into())
            );
        }
        // The export names each row's company.
        let csv = transactions_csv(&all);
        assert!(csv.lines().next().unwrap().ends_with(",Company"));
        assert_eq!(csv.matches(",ACME\r\n").count(), acme.len());
        assert_eq!(csv.matches(",DEFAULT\r\n").count(), default.len());
    }

    #[test]
    fn list_figures_sum_up_a_list_per_currency_with_each_recovery_once() {
        use crate::flexpay::sandbox::test_support::{sandbox_with_key, three_chains, visa};
        let (mut sandbox, key) = sandbox_with_key();
        three_chains(&mut sandbox, &key, 3600);
        let euros = ChargeRequest::with_card("eur-1", "order-3", "EUR", 1000, visa());
        sandbox.charge(&key, euros, t0()).unwrap();
        let list = sandbox
            .console_transactions(CompanyScope::One("DEFAULT"), Environment::Sandbox)
            .unwrap();
        assert!(sandbox.list_figures(&[], t0()).is_empty());

        let figures = sandbox.list_figures(&list, t0());
        let codes: Vec<&str> = figures.iter().map(|f| f.currency.code()).collect();
        assert_eq!(codes, ["EUR", "USD"]);
        let (eur, usd) = (&figures[0], &figures[1]);
        assert_eq!((eur.transactions, eur.approved_amount), (1, 1000));
        // Sent with retryCount 1, the merchant's gateway had declined it: recovered at once.
        let recovered = (eur.recovery.declined_count, eur.recovery.recovered_amount);
        assert_eq!(recovered, (1, 1000));
        // 20.05 declined, its retry approved and refunded 5.00, 30.16, 20.12.
        assert_eq!((usd.transactions, usd.approved_amount), (5, 2005));
        // Its refund of 5.00 given back; 3 of the 5 declined: 60.00 %.
        assert_eq!((usd.refunded, usd.refunded_amount), (1, 500));
        assert_eq!((usd.declined, usd.declined_basis_points()), (3, 6000));
        assert_eq!(
            (eur.refunded, eur.declined, eur.declined_basis_points()),
            (0, 0, 0)
        );
        let dashboard = sandbox
            .recovery_summary(
                CompanyScope::One("DEFAULT"),
                Environment::Sandbox,
                t0(),
                UtcTimestamp::MAX,
                t0(),
            )
            .unwrap();
        let same = &dashboard.currencies[1];
        assert_eq!(same.currency.code(), "USD");
        let counts = |r: &CurrencyRecovery| {
            (
                r.declined_count,
                r.recovered_count,
                r.recovered_amount,
                r.refunded_amount,
                r.in_recovery_count,
                r.in_recovery_amount,
                r.unrecoverable_count,
            )
        };
        assert_eq!(counts(&usd.recovery), counts(same));
        assert_eq!(counts(&usd.recovery), (3, 1, 2005, 500, 1, 2012, 1));

        // The declined attempts alone: nothing taken, the same three payments' recovery.
        let declined: Vec<TransactionSummary> = list
            .iter()
            .filter(|t| t.status == TransactionStatus::Declined)
            .cloned()
            .collect();
        let figures = sandbox.list_figures(&declined, t0());
        assert_eq!(figures.len(), 1);
        assert_eq!(
            (figures[0].transactions, figures[0].approved_amount),
            (3, 0)
        );
        assert_eq!(counts(&figures[0].recovery), counts(same));
    }

    #[test]
    fn the_console_lists_the_vault_of_one_company_and_mode_latest_first() {
        let (mut sandbox, key) = crate::flexpay::sandbox::test_support::sandbox_with_key();
        let visa = crate::flexpay::sandbox::test_support::visa_charge;
        sandbox
            .charge(&key, visa("keep-1", 1000).retain_on_success(true), t0())
            .unwrap();
        sandbox.charge(&key, visa("cached", 1000), t0()).unwrap();
        sandbox
            .charge(&key, visa("declined", 2008).retain_on_success(true), t0())
            .unwrap();
        let second = sandbox
            .charge(&key, visa("keep-2", 1200).retain_on_success(true), t0())
            .unwrap();

        let vault = sandbox
            .console_vault("DEFAULT", Environment::Sandbox)
            .unwrap();
        assert_eq!(vault.len(), 2, "only approved charges with retainOnSuccess");
        let latest = &vault[0];
        assert_eq!(
            Some(latest.payment_method_id.clone()),
            second.payment_method.and_then(|m| m.payment_method_id)
        );
        assert_eq!(latest.card, "492020******9560");
        assert_eq!(latest.card_brand, Some(CardBrand::Visa));
        assert_eq!(latest.holder.as_deref(), Some("Avery Quinn"));
        assert_eq!(latest.retained_by, second.transaction_id);
        // The listed id is one a charge can use.
        let rebill = ChargeRequest::with_vaulted_payment_method(
            "rebill",
            "o",
            "USD",
            500,
            &latest.payment_method_id,
        );
        assert_eq!(
            sandbox.charge(&key, rebill, t0()).unwrap().response_code,
            ResponseCode::APPROVED
        );
        assert!(sandbox
            .console_vault("DEFAULT", Environment::Production)
            .unwrap()
            .is_empty());
        assert!(sandbox.console_vault("NOPE", Environment::Sandbox).is_err());
    }
}
