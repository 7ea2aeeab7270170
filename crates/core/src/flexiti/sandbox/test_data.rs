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
    /// The customer id the account record keeps. For the business account it is its
    /// authorized user's, `[master-cust-id]-[authorized-user-id]` (reference §3.3): the master
    /// part is the primary holder's id. The primary holder has the first card and authorized
    /// user `k` (`-00001` for 1) card `k + 1`; every look-up of a holder (by card, by its
    /// customer id, and for the primary holder by account number or search) answers its own
    /// id and card ending.
    pub customer_id: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub status: AccountStatus,
    pub active: bool,
    pub credit_limit_cents: i64,
    pub balance_cents: i64,
    pub vcc_numbers: &'static [&'static str],
    pub account_type: &'static str,
    /// Date of birth, for `customers/search`.
    pub dob: &'static str,
    /// Postal code as `customers/search` takes it.
    pub postal_code: &'static str,
    /// The security question's id and the right answer, for `verify`.
    pub security_qid: &'static str,
    pub security_answer: &'static str,
    /// Whether a mobile number is on file; without one `verify` by SMS is
    /// `sms_not_valid_phone`.
    pub mobile_on_file: bool,
    /// `customer.category_type` and `customer.air` (ten-thousandths) of `calculate-interest`.
    pub category_type: &'static str,
    pub air: u32,
    /// `risk_rating` of `customers/search` (reference §8): `L` or `M` for a preferred
    /// customer, `H` or `X` for a premium one, `Y` or `Z` for a standard one.
    pub risk_rating: &'static str,
    /// When the account was opened, `creation_date` of `customers/search` (`YYYY-MM-DD`).
    pub creation_date: &'static str,
}

/// The merchant every test account was opened with (`originating_merchant_id` and
/// `originating_merchant_name` of `customers/search`): Flexiti's `merchant_id` is a
/// number (10).
pub const TEST_ORIGINATING_MERCHANT: (u64, &str) = (1_000_004_242, "flexkit Demo Store");

impl TestAccount {
    /// Each card of the account with the customer id of its holder, as every look-up answers
    /// them: the first card is the primary holder's, the next ones authorized users'.
    pub fn card_holders(&self) -> impl Iterator<Item = (&'static str, String)> + '_ {
        self.vcc_numbers
            .iter()
            .enumerate()
            .map(|(holder, vcc)| (*vcc, super::holder_id(self.customer_id, holder)))
    }
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
        dob: "1980-01-15",
        postal_code: "M1M1M1",
        security_qid: "5",
        security_answer: "Blue",
        mobile_on_file: true,
        category_type: "preferred",
        air: 2999,
        risk_rating: "L",
        creation_date: "2021-03-15",
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
        dob: "1975-06-30",
        postal_code: "H2X1Y4",
        security_qid: "4",
        security_answer: "Toronto",
        mobile_on_file: true,
        category_type: "premium",
        air: 2999,
        risk_rating: "H",
        creation_date: "2019-11-02",
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
        dob: "1990-12-31",
        postal_code: "V6B1A1",
        security_qid: "6",
        security_answer: "Rex",
        mobile_on_file: true,
        category_type: "standard",
        air: 3199,
        risk_rating: "Y",
        creation_date: "2022-06-30",
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
        dob: "1968-02-29",
        postal_code: "T2P1J9",
        security_qid: "7",
        security_answer: "Smith",
        mobile_on_file: true,
        category_type: "preferred",
        air: 2999,
        risk_rating: "M",
        creation_date: "2020-01-20",
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
        dob: "1985-07-04",
        postal_code: "K1A0B1",
        security_qid: "8",
        security_answer: "Maple",
        mobile_on_file: true,
        category_type: "standard",
        air: 3199,
        risk_rating: "Z",
        creation_date: "2018-08-08",
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
        dob: "1972-03-03",
        postal_code: "E1C4M3",
        security_qid: "9",
        security_answer: "Ottawa",
        mobile_on_file: true,
        category_type: "preferred",
        air: 2999,
        risk_rating: "L",
        creation_date: "2017-05-05",
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
        dob: "2000-05-05",
        postal_code: "R3C0V8",
        security_qid: "5",
        security_answer: "Green",
        mobile_on_file: true,
        category_type: "premium",
        air: 2999,
        risk_rating: "X",
        creation_date: "2024-02-29",
    },
    TestAccount {
        purpose: "business account with an authorized user's card",
        account_number: 10_000_000_000_008,
        customer_id: "1000008",
        first_name: "Test",
        last_name: "Business",
        status: AccountStatus::Normal,
        active: true,
        credit_limit_cents: 2_000_000,
        balance_cents: 0,
        vcc_numbers: &["6011000000000008", "6011000000000018"],
        account_type: "business",
        dob: "1965-11-11",
        postal_code: "S4P3Y2",
        security_qid: "4",
        security_answer: "Regina",
        mobile_on_file: false,
        category_type: "preferred",
        air: 2499,
        risk_rating: "M",
        creation_date: "2023-09-01",
    },
];

/// The fixed data of a test account that the sandbox's state does not hold.
pub(super) fn test_account(account_number: u64) -> Option<&'static TestAccount> {
    TEST_ACCOUNTS
        .iter()
        .find(|account| account.account_number == account_number)
}

/// The name Flexiti's plans carry in `calculate-interest` (`plan_name`, R22.9.0), and whether
/// the plan defers the whole amount to the end of the term instead of spreading it.
pub(super) fn plan_details(plan_id: &str) -> (&'static str, bool) {
    match plan_id {
        "DEF-NOINT" => ("DEF - Deferred Payments, No Interest", true),
        _ => ("EMP - Equal Monthly Payments, No Interest", false),
    }
}

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
