//! `POST v2.5.1/…/transactions` (reference §6.11): a deposit, an in-store payment or a
//! trade-in posted to an account. Purchases used to go through this endpoint too (v2.5);
//! they now go through `authorization`, and flexkit says so when it sees the old types.

use serde::Serialize;
use serde_json::{Map, Value};

use super::amount;
use super::common::{read_in_store, root, InStore, RequestBody, VerificationCode, IN_STORE_FIELDS};
use super::customer::LookupKey;
use super::ids::{AccountNumber, CustomerId, FieldError, VccNumber};
use crate::money::Money;
use crate::validation::{code, Validation};

/// `transaction_type` of `POST transactions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountTransactionType {
    /// A down payment charged to the account; needs available credit.
    Deposit,
    /// A payment toward the balance; counts toward the $10,000-per-24-hours cap.
    InstorePayment,
    /// A trade-in credited to the account.
    Tradein,
}

impl AccountTransactionType {
    pub fn parse(value: &str) -> Result<AccountTransactionType, FieldError> {
        match value {
            "deposit" => Ok(AccountTransactionType::Deposit),
            "instore_payment" => Ok(AccountTransactionType::InstorePayment),
            "tradein" => Ok(AccountTransactionType::Tradein),
            "promotional_purchase" | "regular_purchase" => Err(FieldError::new(
                code::INVALID_VALUE,
                format!(
                    "{value} is no longer posted here; send purchases to the authorization \
                     endpoint with financing_option.transaction_type {value}"
                ),
            )),
            other => Err(FieldError::new(
                code::INVALID_VALUE,
                format!(
                    "transaction_type {other:?} is unknown; use deposit, instore_payment or \
                     tradein"
                ),
            )),
        }
    }
}

/// The body of `POST transactions`. The account is named by exactly one of `vcc_number`,
/// `account_number` or `customer_id`; the PIN is always required; the in-store fields are
/// all or none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransactionBody {
    pub transaction_type: AccountTransactionType,
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(flatten)]
    pub account: LookupKey,
    pub verification_code: VerificationCode,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub in_store: Option<InStore>,
}

impl RequestBody for TransactionBody {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        let mut known = vec![
            "transaction_type",
            "amount",
            "vcc_number",
            "account_number",
            "customer_id",
            "verification_code",
        ];
        known.extend(IN_STORE_FIELDS);
        input.unknown(&known, validation);
        let transaction_type = input.text(
            "transaction_type",
            true,
            validation,
            AccountTransactionType::parse,
        );
        let amount = input.amount("amount", true, validation, amount::check_positive);
        let keys = ["vcc_number", "account_number", "customer_id"];
        let given: Vec<&str> = keys.into_iter().filter(|k| input.has(k)).collect();
        if given.is_empty() {
            validation.error(
                "account_number",
                code::REQUIRED,
                "name the account with one of vcc_number, account_number or customer_id",
            );
        }
        for key in given.iter().skip(1) {
            validation.error(
                *key,
                code::CONFLICT,
                format!(
                    "send one account identifier only; remove {key} or {}",
                    given[0]
                ),
            );
        }
        let vcc = input.parse("vcc_number", false, validation, VccNumber::parse);
        let account = input.parse("account_number", false, validation, AccountNumber::parse);
        let customer = input.parse("customer_id", false, validation, CustomerId::parse);
        let verification_code = input.parse(
            "verification_code",
            true,
            validation,
            VerificationCode::parse,
        );
        let (_, in_store) = read_in_store(&input, false, validation);
        if validation.errors().count() != before {
            return None;
        }
        let account = match (vcc, account, customer) {
            (Some(vcc), None, None) => LookupKey::VccNumber(vcc),
            (None, Some(account), None) => LookupKey::AccountNumber(account),
            (None, None, Some(customer)) => LookupKey::CustomerId(customer),
            _ => return None,
        };
        Some(TransactionBody {
            transaction_type: transaction_type?,
            amount: amount?,
            account,
            verification_code: verification_code?,
            in_store,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(validation: &Validation) -> Vec<(String, &'static str)> {
        validation
            .errors()
            .map(|p| (p.path.clone(), p.code))
            .collect()
    }

    #[test]
    fn transaction_body_round_trips() {
        let text = r#"{"transaction_type":"instore_payment","amount":"250.00","account_number":10000000000001,"verification_code":"2222","request_id":"r1","external_location_id":"00-1","external_employee_id":"E1"}"#;
        let (body, _) = TransactionBody::from_json(text).unwrap();
        assert_eq!(body.to_json(), text);
        assert!(body.validate().problems().is_empty());
    }

    #[test]
    fn transaction_body_reports_every_problem() {
        let problems = TransactionBody::from_json(
            r#"{"transaction_type":"promotional_purchase","amount":"1.001","vcc_number":"1","customer_id":"1","request_id":"r"}"#,
        )
        .unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("transaction_type".into(), code::INVALID_VALUE),
                ("amount".into(), code::NOT_MINOR_UNITS),
                ("customer_id".into(), code::CONFLICT),
                ("vcc_number".into(), code::TOO_SHORT),
                ("verification_code".into(), code::REQUIRED),
                ("external_location_id".into(), code::REQUIRED),
                ("external_employee_id".into(), code::REQUIRED),
            ]
        );
        assert!(problems.problems()[0]
            .message
            .contains("authorization endpoint"));
        assert_eq!(
            codes(
                &TransactionBody::from_json(
                    r#"{"transaction_type":"tradein","amount":"1.00","verification_code":"1"}"#
                )
                .unwrap_err()
            ),
            vec![("account_number".into(), code::REQUIRED)]
        );
    }
}
