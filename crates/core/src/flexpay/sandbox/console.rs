//! The merchant console's access to the sandbox: what the portal, signed in as the account
//! administrator, reads and does for one company and environment without an API key — the
//! virtual terminal, the gateway pages and the transaction list of the FlexPay client portal.

use serde::Serialize;

use crate::card::CardBrand;
use crate::flexpay::account::Environment;
use crate::flexpay::gateway::Gateway;
use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::flexpay::transaction::{TransactionResponse, TransactionStatus};
use crate::money::Currency;
use crate::time::UtcTimestamp;

use super::api_keys::{ApiKeyId, Principal};
use super::error_code as code;
use super::recovery::{ChainId, ChainOutcome};
use super::responses::PAYMENT_METHOD_SALT;
use super::transactions::{status_of, EchoField, Kind, TransactionHandle, TransactionRecord};
use super::{AdminError, Sandbox};

/// The key id of console sessions. Generated keys are numbered from 1, so it never names one.
pub(crate) const CONSOLE_KEY: ApiKeyId = ApiKeyId(0);

/// One transaction as the console lists it: small, flat, cheap to filter by the thousand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionSummary {
    pub transaction_id: String,
    pub merchant_transaction_id: String,
    /// `Charge`, `Authorize`, `Capture`, `Void`, `Refund`, `RefundedPayment`, or a vault
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

    /// One transaction of `company_code` in `mode` as `GET /v1/transactions/{id}` answers it
    /// (payment method with the billing address, shipping address, order fields), for the
    /// portal's detail view. `None` when the company has no such transaction in that mode.
    pub fn console_response(
        &self,
        company_code: &str,
        mode: Environment,
        transaction_id: &str,
    ) -> Option<TransactionResponse> {
        let principal = self.console_principal(company_code, mode).ok()?;
        self.original_of(&principal, transaction_id)
            .and_then(|position| self.response(TransactionHandle(position)))
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

    /// Every transaction of one company and environment, oldest first.
    pub fn console_transactions(
        &self,
        company_code: &str,
        mode: Environment,
    ) -> Result<Vec<TransactionSummary>, AdminError> {
        let company = self.company_index(company_code)?;
        Ok(self
            .state
            .transactions
            .iter()
            .filter(|r| r.company == company && r.mode == mode)
            .map(|r| self.summary_of(r))
            .collect())
    }

    /// One stored transaction as the console lists it.
    pub(super) fn summary_of(&self, r: &TransactionRecord) -> TransactionSummary {
        let reached = r.gateway != super::gateways::GatewayRef::NotReached;
        let gateway = reached.then(|| self.gateway_fields(r.gateway));
        TransactionSummary {
            transaction_id: r.id.to_string(),
            merchant_transaction_id: r.merchant_transaction_id.to_string(),
            transaction_type: kind_name(r.kind),
            date: r.date,
            status: status_of(r.code),
            response_code: r.code,
            category: r.code.category(),
            amount: r.amount,
            currency: r.currency,
            gateway_token: gateway.as_ref().map(|g| g.token.clone()),
            gateway_name: gateway.as_ref().map(|g| g.name.to_owned()),
            retry_count: r.retry_count,
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
/// are ISO 8601 in UTC; a missing value is an empty field.
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
            "Original transaction ID",
            "Scheduled by the sandbox",
        ]
        .into_iter(),
    );
    let opt = |text: Option<String>| text.unwrap_or_default();
    for t in rows {
        let cells = [
            t.transaction_id.clone(),
            t.date.to_iso8601(),
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
            opt(t.retry_date.map(UtcTimestamp::to_iso8601)),
            opt(t.reference_data.clone()),
            opt(t.card.clone()),
            opt(t.card_brand.map(|b| b.display_name().to_owned())),
            opt(t.gateway_name.clone()),
            opt(t.gateway_token.clone()),
            t.merchant_transaction_id.clone(),
            opt(t.original_transaction_id.clone()),
            if t.scheduled_by_sandbox { "yes" } else { "no" }.to_owned(),
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

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Charge => "Charge",
        Kind::Authorize => "Authorize",
        Kind::Capture => "Capture",
        Kind::Void => "Void",
        Kind::Refund => "Refund",
        Kind::RefundedPayment => "RefundedPayment",
        Kind::CreateCreditCard => "CreateCreditCard",
        Kind::CreateGatewayPaymentMethod => "CreateGatewayPaymentMethod",
        Kind::UpdatePaymentMethod => "UpdatePaymentMethod",
        Kind::RedactPaymentMethod => "RedactPaymentMethod",
        Kind::RecachePaymentMethod => "RecachePaymentMethod",
    }
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
            .console_transactions("DEFAULT", Environment::Sandbox)
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
                "{},2023-11-08T14:02:51Z,Charge,Declined,20003,Soft decline,20.08,USD,1,",
                declined.transaction_id
            )),
            "{row}"
        );
        // The merchant id holds a comma: quoted. The reference data is there to chain.
        assert!(row.contains(",\"csv,1\","), "{row}");
        assert!(
            row.contains(declined.reference_data.as_deref().unwrap()),
            "{row}"
        );
        assert!(row.ends_with(",no"), "{row}");
        assert_eq!(
            transactions_csv(&[]).matches("\r\n").count(),
            1,
            "a header alone"
        );
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
            .console_transactions("DEFAULT", Environment::Sandbox)
            .expect("listed");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].transaction_type, "Charge");
        assert_eq!(list[0].category, ResponseCategory::SoftDecline);
        assert_eq!(list[0].card.as_deref(), Some("492020******9560"));
        assert_eq!(list[0].card_brand, Some(CardBrand::Visa));
        assert!(list[0].retry_date.is_some() && list[0].reference_data.is_some());
        // Data of one mode never shows in the other.
        assert!(sandbox
            .console_transactions("DEFAULT", Environment::Production)
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
            .console_transactions("DEFAULT", Environment::Sandbox)
            .expect("listed")[0]
            .transaction_id
            .clone();

        let response = sandbox
            .console_response("DEFAULT", Environment::Sandbox, &id)
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
            .console_response("DEFAULT", Environment::Production, &id)
            .is_none());
        assert!(sandbox
            .console_response("DEFAULT", Environment::Sandbox, "NO-SUCH-ID")
            .is_none());
        assert!(sandbox
            .console_response("NOPE", Environment::Sandbox, &id)
            .is_none());
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
