//! The sandbox's fixed test data: accounts in every status, the plans on offer, the PIN and
//! the application test keys (reference §11).

use super::AccountRecord;
use crate::flexiti::rules::AccountStatus;

/// Client id of the sandbox, the demo id of Flexiti's examples.
pub const TEST_CLIENT_ID: &str = "flexitidemo";
/// The PIN Flexiti's test environments use for every verification.
pub const TEST_PIN: &str = "2222";

/// Promotional plans the sandbox offers, each with its terms in months.
pub const TEST_PLANS: &[(&str, &[u16])] = &[("EMP-EQUAL", &[6, 12, 24]), ("DEF-NOINT", &[6, 12])];

/// One test account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TestAccount {
    /// What the account is for.
    pub purpose: &'static str,
    pub account_number: u64,
    pub customer_id: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub status: AccountStatus,
    pub active: bool,
    pub credit_limit_cents: i64,
    pub balance_cents: i64,
    pub vcc_numbers: &'static [&'static str],
    pub account_type: &'static str,
}

/// Accounts in good standing, over limit, and in every other status.
pub const TEST_ACCOUNTS: &[TestAccount] = &[
    TestAccount {
        purpose: "good standing, $5,000 limit",
        account_number: 10_000_000_000_001,
        customer_id: "100000001",
        first_name: "Test",
        last_name: "Goodstanding",
        status: AccountStatus::Normal,
        active: true,
        credit_limit_cents: 500_000,
        balance_cents: 0,
        vcc_numbers: &["6011000000000001"],
        account_type: "consumer",
    },
    TestAccount {
        purpose: "over its limit ($1,200 owed on $1,000)",
        account_number: 10_000_000_000_002,
        customer_id: "100000002",
        first_name: "Test",
        last_name: "Overlimit",
        status: AccountStatus::Normal,
        active: true,
        credit_limit_cents: 100_000,
        balance_cents: 120_000,
        vcc_numbers: &["6011000000000002"],
        account_type: "consumer",
    },
    TestAccount {
        purpose: "authorizations prohibited for non-payment",
        account_number: 10_000_000_000_003,
        customer_id: "100000003",
        first_name: "Test",
        last_name: "Prohibited",
        status: AccountStatus::AuthProhibited,
        active: true,
        credit_limit_cents: 500_000,
        balance_cents: 0,
        vcc_numbers: &["6011000000000003"],
        account_type: "consumer",
    },
    TestAccount {
        purpose: "frozen",
        account_number: 10_000_000_000_004,
        customer_id: "100000004",
        first_name: "Test",
        last_name: "Frozen",
        status: AccountStatus::Frozen,
        active: true,
        credit_limit_cents: 500_000,
        balance_cents: 0,
        vcc_numbers: &["6011000000000004"],
        account_type: "consumer",
    },
    TestAccount {
        purpose: "charged off",
        account_number: 10_000_000_000_005,
        customer_id: "100000005",
        first_name: "Test",
        last_name: "Chargedoff",
        status: AccountStatus::ChargedOff,
        active: true,
        credit_limit_cents: 500_000,
        balance_cents: 0,
        vcc_numbers: &["6011000000000005"],
        account_type: "consumer",
    },
    TestAccount {
        purpose: "closed",
        account_number: 10_000_000_000_006,
        customer_id: "100000006",
        first_name: "Test",
        last_name: "Closed",
        status: AccountStatus::Closed,
        active: true,
        credit_limit_cents: 500_000,
        balance_cents: 0,
        vcc_numbers: &["6011000000000006"],
        account_type: "consumer",
    },
    TestAccount {
        purpose: "approved but never activated",
        account_number: 10_000_000_000_007,
        customer_id: "100000007",
        first_name: "Test",
        last_name: "Inactive",
        status: AccountStatus::Normal,
        active: false,
        credit_limit_cents: 500_000,
        balance_cents: 0,
        vcc_numbers: &["6011000000000007"],
        account_type: "consumer",
    },
    TestAccount {
        purpose: "business account with an authorized user's card",
        account_number: 10_000_000_000_008,
        customer_id: "1000008-00001",
        first_name: "Test",
        last_name: "Business",
        status: AccountStatus::Normal,
        active: true,
        credit_limit_cents: 2_000_000,
        balance_cents: 0,
        vcc_numbers: &["6011000000000008", "6011000000000018"],
        account_type: "business",
    },
];

pub(super) fn record(account: &TestAccount) -> AccountRecord {
    AccountRecord {
        account_number: account.account_number,
        customer_id: account.customer_id.to_owned(),
        first_name: account.first_name.to_owned(),
        last_name: account.last_name.to_owned(),
        status: account.status,
        active: account.active,
        credit_limit_cents: account.credit_limit_cents,
        balance_cents: account.balance_cents,
        vcc_numbers: account
            .vcc_numbers
            .iter()
            .map(|v| (*v).to_owned())
            .collect(),
        account_type: account.account_type.to_owned(),
    }
}

/// The outcome a test key in an applicant's middle name forces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ApplicationDecision {
    Approved,
    Pending,
    Declined,
    /// Approved only when the merchant has standard (non-prime) accounts enabled.
    ApprovedIfStandardEnabled,
    /// The widget asks to start again (third-party timeout).
    Retry,
}

/// The decision for a test key put in the applicant's middle name (MI and TRAINING). The
/// `MISSING_INFO` key's decision follows its prefix, since page revisions differ on it.
pub fn application_decision(middle_name: &str) -> Option<ApplicationDecision> {
    use ApplicationDecision::*;
    Some(match middle_name.trim() {
        "D-MISSING_INFO" | "D-DUPLICATE" | "D-NO_HIT" | "D-NO_SCORE" | "D-FRAUD" => Declined,
        "P-MISSING_INFO" | "P-REVIEW_MISC" | "P-EXIST_CUST" | "P-CREDIT" | "P-FRAUD" => Pending,
        "A-RR_L" | "A-RR_M" | "A-RR_H" | "A-RR_X" => Approved,
        "A-RR_XX" | "A-RR_XXX" => ApprovedIfStandardEnabled,
        "D-EMAIL_DBL_TIMEOUT" => Retry,
        _ => return None,
    })
}
