//! Purchases and what follows them (reference §6.12–§6.16): `authorization` (a promotional
//! or regular purchase, optionally captured at once), `capture`, `release`, `return` and
//! `refund`.
//!
//! Rules checked here are the ones a request can be judged on alone. The ones that need
//! account or transaction state (good standing, remaining amounts, the 100-day window, ...)
//! are in [`rules`](super::rules) and in the sandbox.

use serde::Serialize;
use serde_json::{Map, Value};

use super::amount;
use super::common::{
    merchant_text, read_in_store, read_reference, read_sku_data, read_store, root, InStore,
    RequestBody, SkuData, Store, VerificationCode, IN_STORE_FIELDS, STORE_FIELDS,
};
use super::ids::{AccountNumber, MerchantText, VccNumber};
use crate::money::Money;
use crate::validation::{code, Validation};

/// `financing_option.transaction_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseType {
    PromotionalPurchase,
    RegularPurchase,
}

impl PurchaseType {
    pub const fn as_str(self) -> &'static str {
        match self {
            PurchaseType::PromotionalPurchase => "promotional_purchase",
            PurchaseType::RegularPurchase => "regular_purchase",
        }
    }
}

/// `financing_option`: a promotional purchase names a plan and a term (both from
/// `calculate-interest`); a regular purchase names neither.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "transaction_type", rename_all = "snake_case")]
pub enum FinancingOption {
    PromotionalPurchase {
        plan_id: MerchantText,
        /// Months.
        term: u16,
    },
    RegularPurchase,
}

impl FinancingOption {
    pub const fn purchase_type(&self) -> PurchaseType {
        match self {
            FinancingOption::PromotionalPurchase { .. } => PurchaseType::PromotionalPurchase,
            FinancingOption::RegularPurchase => PurchaseType::RegularPurchase,
        }
    }
}

/// flexkit's sanity bound on a promotional term in months; Flexiti documents none, and no
/// consumer plan runs longer than ten years.
pub const MAX_TERM_MONTHS: i64 = 120;

fn read_financing_option(
    input: &super::fields::Input<'_>,
    validation: &mut Validation,
) -> Option<FinancingOption> {
    let option = input.object("financing_option", true, validation)?;
    option.unknown(&["transaction_type", "plan_id", "term"], validation);
    let kind = option.text("transaction_type", true, validation, |value| match value {
        "promotional_purchase" => Ok(PurchaseType::PromotionalPurchase),
        "regular_purchase" => Ok(PurchaseType::RegularPurchase),
        other => Err(super::ids::FieldError::new(
            code::INVALID_VALUE,
            format!(
                "transaction_type {other:?} is not a purchase type; use \
                 \"promotional_purchase\" (with plan_id and term) or \"regular_purchase\""
            ),
        )),
    });
    match kind {
        Some(PurchaseType::PromotionalPurchase) => {
            let plan_id = merchant_text(&option, "plan_id", true, validation);
            let term = option.integer("term", true, (1, MAX_TERM_MONTHS), validation);
            match (plan_id, term.and_then(|t| u16::try_from(t).ok())) {
                (Some(plan_id), Some(term)) => {
                    Some(FinancingOption::PromotionalPurchase { plan_id, term })
                }
                _ => None,
            }
        }
        Some(PurchaseType::RegularPurchase) => {
            for key in ["plan_id", "term"] {
                if option.has(key) {
                    validation.error(
                        option.path(key),
                        code::CONFLICT,
                        format!(
                            "{key} belongs to promotional purchases; remove it or use \
                             transaction_type \"promotional_purchase\""
                        ),
                    );
                }
            }
            Some(FinancingOption::RegularPurchase)
        }
        None => None,
    }
}

fn read_vcc(
    input: &super::fields::Input<'_>,
    validation: &mut Validation,
) -> Option<Option<VccNumber>> {
    let present = input.has("vcc_number");
    let vcc = input.parse("vcc_number", false, validation, VccNumber::parse);
    if present && vcc.is_none() {
        None
    } else {
        Some(vcc)
    }
}

/// The body of `POST v2.5.1/…/authorization`: a purchase on a Flexiti account.
///
/// In store, the call carries the PIN from `verify` and the same `request_id`, store and
/// employee; online (after the widget verified the customer) it carries none of them. flexkit
/// reads the channel from the fields: any of the four means in-store, and then all four are
/// required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuthorizationBody {
    pub account_number: AccountNumber,
    /// A business account's authorized user's card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vcc_number: Option<VccNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub financing_option: FinancingOption,
    #[serde(with = "amount")]
    pub amount: Money,
    /// Capture the whole amount at once.
    pub auto_capture: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_code: Option<VerificationCode>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub in_store: Option<InStore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku_data: Option<SkuData>,
}

impl RequestBody for AuthorizationBody {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        let mut known = vec![
            "account_number",
            "vcc_number",
            "reference",
            "financing_option",
            "amount",
            "auto_capture",
            "verification_code",
            "sku_data",
        ];
        known.extend(IN_STORE_FIELDS);
        input.unknown(&known, validation);
        let account_number = input.parse("account_number", true, validation, AccountNumber::parse);
        let vcc_number = read_vcc(&input, validation);
        let reference = read_reference(&input, validation);
        let financing_option = read_financing_option(&input, validation);
        let amount = input.amount("amount", true, validation, amount::check_positive);
        let auto_capture = input.boolean("auto_capture", true, validation);
        let has_code = input.has("verification_code");
        let verification_code = input.parse(
            "verification_code",
            false,
            validation,
            VerificationCode::parse,
        );
        let (store_ok, in_store) = read_in_store(&input, has_code, validation);
        if IN_STORE_FIELDS.iter().any(|key| input.has(key)) && !has_code {
            validation.error(
                "verification_code",
                code::REQUIRED,
                "an in-store authorization needs verification_code, the PIN from the verify \
                 call; online (widget) authorizations send none of verification_code, \
                 request_id, external_location_id and external_employee_id",
            );
        }
        let sku_data = match input.object("sku_data", false, validation) {
            Some(sku) => Some(read_sku_data(&sku, validation)?),
            None => None,
        };
        if validation.errors().count() != before || !store_ok {
            return None;
        }
        Some(AuthorizationBody {
            account_number: account_number?,
            vcc_number: vcc_number?,
            reference,
            financing_option: financing_option?,
            amount: amount?,
            auto_capture: auto_capture?,
            verification_code,
            in_store,
            sku_data,
        })
    }
}

/// The body of `POST …/authorization/{id}/capture`: all or part of what remains authorized.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaptureBody {
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub store: Option<Store>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku_data: Option<SkuData>,
}

fn read_optional_sku(
    input: &super::fields::Input<'_>,
    validation: &mut Validation,
) -> Option<Option<SkuData>> {
    match input.object("sku_data", false, validation) {
        Some(sku) => read_sku_data(&sku, validation).map(Some),
        None => Some(None),
    }
}

impl RequestBody for CaptureBody {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        let mut known = vec!["amount", "reference", "sku_data"];
        known.extend(STORE_FIELDS);
        input.unknown(&known, validation);
        let amount = input.amount("amount", true, validation, amount::check_positive);
        let reference = read_reference(&input, validation);
        let (_, store) = read_store(&input, validation);
        let sku_data = read_optional_sku(&input, validation);
        if validation.errors().count() != before {
            return None;
        }
        Some(CaptureBody {
            amount: amount?,
            reference,
            store,
            sku_data: sku_data?,
        })
    }
}

/// The body of `POST …/authorization/{id}/release`: cancels what remains of an open
/// authorization. The documentation shows no body; its errors speak of a release amount, so
/// flexkit sends `amount` for a partial release and nothing for a full one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReleaseBody {
    /// `None` releases everything that remains.
    #[serde(skip_serializing_if = "Option::is_none", with = "amount::option")]
    pub amount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub store: Option<Store>,
}

impl RequestBody for ReleaseBody {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        let mut known = vec!["amount", "reference"];
        known.extend(STORE_FIELDS);
        input.unknown(&known, validation);
        let amount = input.amount("amount", false, validation, amount::check_positive);
        let reference = read_reference(&input, validation);
        let (_, store) = read_store(&input, validation);
        (validation.errors().count() == before).then_some(ReleaseBody {
            amount,
            reference,
            store,
        })
    }
}

/// The body of `POST …/authorization/{id}/capture/{capture_id}/return`: a full or partial
/// return against a capture of a promotional purchase.
///
/// `full_return` is always sent. With `full_return: false` the amount is required; with
/// `true` it may be left out (the whole remaining capture is returned) and, when given, must
/// equal what remains, which [`rules::check_return`](super::rules::check_return) verifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReturnBody {
    #[serde(skip_serializing_if = "Option::is_none", with = "amount::option")]
    pub amount: Option<Money>,
    pub full_return: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vcc_number: Option<VccNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku_data: Option<SkuData>,
}

impl RequestBody for ReturnBody {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        input.unknown(
            &[
                "amount",
                "full_return",
                "reference",
                "vcc_number",
                "sku_data",
            ],
            validation,
        );
        let full_return = input.boolean("full_return", true, validation);
        let amount = input.amount(
            "amount",
            full_return == Some(false),
            validation,
            amount::check_positive,
        );
        let reference = read_reference(&input, validation);
        let vcc_number = read_vcc(&input, validation);
        let sku_data = read_optional_sku(&input, validation);
        if validation.errors().count() != before {
            return None;
        }
        Some(ReturnBody {
            amount,
            full_return: full_return?,
            reference,
            vcc_number: vcc_number?,
            sku_data: sku_data?,
        })
    }
}

/// The body of `POST …/accounts/{account_number}/refund`: money back to the account outside
/// the return flow (regular purchases, adjustments). `capture_id` names the capture refunded
/// when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefundBody {
    #[serde(with = "amount")]
    pub amount: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vcc_number: Option<VccNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_id: Option<u32>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub store: Option<Store>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku_data: Option<SkuData>,
}

impl RequestBody for RefundBody {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        let input = root(map);
        let before = validation.errors().count();
        let mut known = vec![
            "amount",
            "reference",
            "vcc_number",
            "capture_id",
            "sku_data",
        ];
        known.extend(STORE_FIELDS);
        input.unknown(&known, validation);
        let amount = input.amount("amount", true, validation, amount::check_positive);
        let reference = read_reference(&input, validation);
        let vcc_number = read_vcc(&input, validation);
        let capture_id = input
            .integer("capture_id", false, (1, 999_999_999), validation)
            .and_then(|id| u32::try_from(id).ok());
        let (_, store) = read_store(&input, validation);
        let sku_data = read_optional_sku(&input, validation);
        if validation.errors().count() != before {
            return None;
        }
        Some(RefundBody {
            amount: amount?,
            reference,
            vcc_number: vcc_number?,
            capture_id,
            store,
            sku_data: sku_data?,
        })
    }
}

#[cfg(test)]
mod tests;
