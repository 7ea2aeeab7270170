//! The console's customers (the FlexPay client portal's Payments → Customers): who paid, how
//! often and how much, derived from the stored transactions of one company, or of all, in one
//! environment.
//!
//! # No table
//!
//! A customer is the `customerId` a transaction echoes or, when it has none, the email of its
//! card (compared without regard to ASCII case). Every transaction that names it belongs to it:
//! payments and their follow-ups (which echo the payment's fields), vault calls, declines and
//! refusals. A customer belongs to one company: the same `customerId` in two companies is two
//! customers, also when all companies are read (their figures are then the sums of each
//! company's). Nothing is stored: the customers are worked out again, in one pass over the
//! transactions (the latest stored first), each time they are asked for, so they always agree
//! with the transaction list and a snapshot holds nothing new. A `customerId` that equals another
//! customer's email in lower case names the same customer.
//!
//! # Figures
//!
//! - An **approved payment** is an approved charge or capture: the moments money was taken
//!   (an authorization takes none until it is captured).
//! - What a customer **spent** is net: its approved payments less the money given back to it
//!   (approved refunds, and voids of charges and captures; a voided authorization took
//!   nothing), never below zero, per currency.
//! - A **returning customer** has more than one approved payment.
//! - Amounts are summed per currency in minor units (saturating, never floats). What the
//!   customers of a currency spent is the sum of what each spent, so net of refunds too:
//!   not the gross approved amount of the transaction list and the reports. The **average
//!   spent** of a currency is that sum divided by the customers who paid in it, rounded
//!   half up.
//! - **Search** keeps the customers whose `customerId`, an email or an `orderId` of one of
//!   their transactions contains the query, ASCII letters compared without regard to case.
//! - Customers come the most recently active first: in the order their latest transactions
//!   were stored. What names a date (last purchase, last order, the latest card, email and
//!   holder) goes by the transactions' dates, which the simulated clock may have moved.

use serde::Serialize;

use crate::card::CardBrand;
use crate::flexpay::account::Environment;
use crate::flexpay::response_code::ResponseCode;
use crate::money::Currency;
use crate::time::UtcTimestamp;

use super::console::{amount_cell, holder_of, CompanyScope, TransactionSummary};
use super::tokens::FastMap;
use super::transactions::{EchoField, Kind, TransactionRecord};
use super::vault::VaultedMethod;
use super::{AdminError, Sandbox};

/// One customer as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerSummary {
    /// What names the customer in the portal: its `customerId`, else its email in lower case.
    pub key: String,
    /// Code of the company it is a customer of.
    pub company: String,
    pub customer_id: Option<String>,
    /// The latest email sent with its transactions.
    pub email: Option<String>,
    /// The latest card holder's name.
    pub holder: Option<String>,
    /// Every transaction that names it, declines and vault calls included.
    pub transactions: u32,
    /// Approved charges and captures.
    pub approved_payments: u32,
    /// Date of the latest approved payment.
    pub last_purchase: Option<UtcTimestamp>,
    /// Amount of the latest approved payment, minor units of `last_order_currency`.
    pub last_order_amount: Option<i64>,
    pub last_order_currency: Option<Currency>,
    /// Masked number of the latest card it paid with or stored (`492020******9560`), not
    /// a later refund's or void's, which carry their payment's card.
    pub card: Option<String>,
    pub card_brand: Option<CardBrand>,
    /// Approved amount less the money given back, per currency, in currency code order.
    pub spent: Vec<CurrencyAmount>,
    /// Date of its latest transaction.
    pub last_seen: UtcTimestamp,
}

/// An amount in minor units of a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyAmount {
    pub currency: Currency,
    pub amount: i64,
}

/// What the customers spent in one currency: their approved payments less the money given
/// back to them (net of refunds and voids), never below zero per customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyTotal {
    pub currency: Currency,
    /// Minor units, net of refunds: not the gross approved amount of [`super::ListFigures`].
    pub spent: i64,
    /// Customers with an approved payment in this currency.
    pub customers: u32,
}

impl CurrencyTotal {
    /// What was spent per paying customer, net of refunds, minor units rounded half up.
    pub fn average_per_customer(&self) -> i64 {
        let n = i64::from(self.customers.max(1));
        self.spent.saturating_add(n / 2) / n
    }
}

/// The customers page: figures over every customer of the companies and environment, and the
/// customers a search matched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerOverview {
    pub customers: u32,
    /// Customers with more than one approved payment.
    pub returning: u32,
    /// In currency code order.
    pub currencies: Vec<CurrencyTotal>,
    /// The customers the search matched (all of them for an empty search), the most recently
    /// active first.
    pub matches: Vec<CustomerSummary>,
}

impl CustomerOverview {
    /// Returning customers in hundredths of a percent of all customers, rounded half up.
    pub fn returning_basis_points(&self) -> u32 {
        super::recovery::basis_points(i64::from(self.returning), i64::from(self.customers))
    }
}

/// One customer with its transactions and payment methods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDetail {
    pub summary: CustomerSummary,
    /// The latest stored first.
    pub transactions: Vec<TransactionSummary>,
    /// The payment methods its transactions stored in the vault, the latest first, redacted
    /// ones included.
    pub payment_methods: Vec<VaultedMethod>,
}

/// The customer a record names: its `customerId`, else its email (`true`: compared in lower
/// case), of its company.
#[derive(Clone, Copy)]
struct Key<'a>(&'a str, bool, u16);

impl<'a> Key<'a> {
    fn of(record: &'a TransactionRecord) -> Option<Key<'a>> {
        let given = |field| {
            record
                .echo
                .get(field)
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        match given(EchoField::CustomerId) {
            Some(id) => Some(Key(id, false, record.company)),
            None => given(EchoField::Email).map(|email| Key(email, true, record.company)),
        }
    }

    /// The key's bytes as compared: an email's in lower case.
    fn bytes(self) -> impl Iterator<Item = u8> + 'a {
        self.0
            .bytes()
            .map(move |b| if self.1 { b.to_ascii_lowercase() } else { b })
    }

    fn hash(self) -> u64 {
        self.bytes()
            .chain(self.2.to_le_bytes())
            .fold(0xCBF2_9CE4_8422_2325, |hash, b| {
                (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
            })
    }

    fn is(self, other: Key<'_>) -> bool {
        self.2 == other.2 && self.0.len() == other.0.len() && self.bytes().eq(other.bytes())
    }

    /// The key as a customer's page is found by: the text itself, an email in lower case
    /// (ASCII letters only, as compared; the rest of the text as it is).
    fn text(self) -> String {
        if self.1 {
            self.0.to_ascii_lowercase()
        } else {
            self.0.to_owned()
        }
    }
}

/// `text` contains `query` (ASCII letters in either case); an empty query is in every text.
pub fn contains_ignoring_case(text: &str, query: &str) -> bool {
    let (text, query) = (text.as_bytes(), query.as_bytes());
    query.is_empty()
        || text
            .windows(query.len())
            .any(|w| w.eq_ignore_ascii_case(query))
}

/// Adds `amount` to the entry of `currency` of a list kept in currency code order, adding
/// the entry if needed; returns whether it was new.
fn add_to(list: &mut Vec<CurrencyTotal>, currency: Currency, amount: i64) -> bool {
    let at = list
        .iter()
        .position(|t| t.currency.code() >= currency.code())
        .unwrap_or(list.len());
    match list.get_mut(at).filter(|t| t.currency == currency) {
        Some(total) => {
            total.spent = total.spent.saturating_add(amount);
            false
        }
        None => {
            list.insert(
                at,
                CurrencyTotal {
                    currency,
                    spent: amount,
                    customers: 1,
                },
            );
            true
        }
    }
}

/// What one pass, latest stored transaction first, gathers about a customer. "Latest" below is
/// by date (the simulated clock may have been moved), the latest stored among equal dates.
struct Tally<'a> {
    key: Key<'a>,
    /// Its latest transaction.
    latest: &'a TransactionRecord,
    /// The latest transactions with a customer ID, an email, a card; the latest approved
    /// payment.
    customer_id: Option<&'a TransactionRecord>,
    email: Option<&'a TransactionRecord>,
    card: Option<&'a TransactionRecord>,
    last_order: Option<&'a TransactionRecord>,
    transactions: u32,
    approved: u32,
    spent: Vec<CurrencyTotal>,
    /// Money given back, taken off `spent` by [`Tally::settle`] once every transaction is in
    /// (a refund is met before the payment it returns).
    given_back: Vec<CurrencyTotal>,
    matched: bool,
}

/// Keeps `r` in `slot` when it has what the slot is for and is later than the one there.
fn later<'a>(slot: &mut Option<&'a TransactionRecord>, r: &'a TransactionRecord, has: bool) {
    if has && slot.is_none_or(|kept| r.date > kept.date) {
        *slot = Some(r);
    }
}

fn given(r: &TransactionRecord, field: EchoField) -> Option<&str> {
    r.echo.get(field).filter(|v| !v.trim().is_empty())
}

impl<'a> Tally<'a> {
    fn new(key: Key<'a>, latest: &'a TransactionRecord) -> Self {
        Tally {
            key,
            latest,
            customer_id: None,
            email: None,
            card: None,
            last_order: None,
            transactions: 0,
            approved: 0,
            spent: Vec::new(),
            given_back: Vec::new(),
            matched: false,
        }
    }

    /// Takes the money given back off what was spent, once every transaction is added.
    fn settle(&mut self) {
        for back in std::mem::take(&mut self.given_back) {
            if let Some(total) = self.spent.iter_mut().find(|t| t.currency == back.currency) {
                total.spent = total.spent.saturating_sub(back.spent).max(0);
            }
        }
    }

    /// Adds a transaction stored before those added before; `gives_back`: it returned money.
    fn add(&mut self, r: &'a TransactionRecord, query: &str, gives_back: bool) {
        if gives_back {
            if let (Some(currency), Some(amount)) = (r.currency, r.amount) {
                add_to(&mut self.given_back, currency, amount);
            }
        }
        let (id, email) = (given(r, EchoField::CustomerId), given(r, EchoField::Email));
        self.transactions += 1;
        if r.date > self.latest.date {
            self.latest = r;
        }
        later(&mut self.customer_id, r, id.is_some());
        later(&mut self.email, r, email.is_some());
        // A void or refund carries the card of the payment it follows up: not a card used.
        let follow_up = matches!(r.kind, Kind::Void | Kind::Refund | Kind::RefundedPayment);
        later(&mut self.card, r, r.card.is_some() && !follow_up);
        if matches!(r.kind, Kind::Charge | Kind::Capture) && r.code == ResponseCode::APPROVED {
            self.approved += 1;
            later(&mut self.last_order, r, true);
            if let (Some(currency), Some(amount)) = (r.currency, r.amount) {
                add_to(&mut self.spent, currency, amount);
            }
        }
        if !self.matched && !query.is_empty() {
            self.matched = [id, email, given(r, EchoField::OrderId)]
                .into_iter()
                .flatten()
                .any(|v| contains_ignoring_case(v, query));
        }
    }

    fn summary(self, company: &str) -> CustomerSummary {
        let text = |r: Option<&TransactionRecord>, field| {
            r.and_then(|r| given(r, field)).map(str::to_owned)
        };
        let card = self.card.and_then(|r| r.card);
        CustomerSummary {
            key: self.key.text(),
            company: company.to_owned(),
            customer_id: text(self.customer_id, EchoField::CustomerId),
            email: text(self.email, EchoField::Email),
            holder: holder_of(self.latest),
            transactions: self.transactions,
            approved_payments: self.approved,
            last_purchase: self.last_order.map(|r| r.date),
            last_order_amount: self.last_order.and_then(|r| r.amount),
            last_order_currency: self.last_order.and_then(|r| r.currency),
            card: card.map(|card| card.masked()),
            card_brand: card.and_then(|card| card.brand),
            spent: self
                .spent
                .into_iter()
                .map(|t| CurrencyAmount {
                    currency: t.currency,
                    amount: t.spent,
                })
                .collect(),
            last_seen: self.latest.date,
        }
    }
}

/// Customers as CSV (RFC 4180: a header row, CRLF line ends, fields quoted when needed), in
/// the order given: what the portal's Customers page exports for its list. Amounts are
/// decimals in the currency's major unit; what a customer spent is one column per currency
/// any of them spent in (`Spent (USD)`, `Spent (EUR)`, in the order the list first names
/// them), so a spreadsheet can add each up; instants are ISO 8601 in UTC to the millisecond;
/// a missing value is an empty field; the company's code comes last.
pub fn customers_csv(customers: &[CustomerSummary]) -> String {
    let mut currencies: Vec<Currency> = Vec::new();
    for spent in customers.iter().flat_map(|c| &c.spent) {
        if !currencies.contains(&spent.currency) {
            currencies.push(spent.currency);
        }
    }
    let spent_heads: Vec<String> = currencies
        .iter()
        .map(|c| format!("Spent ({})", c.code()))
        .collect();
    let mut out = String::new();
    super::scenarios::csv_row(
        &mut out,
        [
            "Customer ID",
            "Email",
            "Card holder",
            "Transactions",
            "Approved payments",
            "Last purchase",
            "Last order amount",
            "Last order currency",
            "Card",
            "Card brand",
        ]
        .into_iter()
        .chain(spent_heads.iter().map(String::as_str))
        .chain(["Last seen", "Company"]),
    );
    for c in customers {
        let opt = |text: Option<&str>| text.unwrap_or_default().to_owned();
        let mut cells = vec![
            opt(c.customer_id.as_deref()),
            opt(c.email.as_deref()),
            opt(c.holder.as_deref()),
            c.transactions.to_string(),
            c.approved_payments.to_string(),
            c.last_purchase
                .map(UtcTimestamp::to_iso8601_millis)
                .unwrap_or_default(),
            amount_cell(c.last_order_amount, c.last_order_currency),
            opt(c.last_order_currency.map(Currency::code)),
            opt(c.card.as_deref()),
            opt(c.card_brand.map(CardBrand::display_name)),
        ];
        cells.extend(currencies.iter().map(|&currency| {
            let spent = c.spent.iter().find(|s| s.currency == currency);
            spent.map_or_else(String::new, |s| amount_cell(Some(s.amount), Some(currency)))
        }));
        cells.push(c.last_seen.to_iso8601_millis());
        cells.push(c.company.clone());
        super::scenarios::csv_row(&mut out, cells.iter().map(String::as_str));
    }
    out
}

impl Sandbox {
    /// The customers of the companies in one environment (see the module documentation):
    /// the figures over all of them, and those whose customer ID, email or an order ID
    /// contains `query` (all of them when it is blank), the most recently active first.
    pub fn console_customers(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
        query: &str,
    ) -> Result<CustomerOverview, AdminError> {
        let scope = self.scope(companies, mode)?;
        let query = query.trim();
        // Hash of a key → its tally; a key whose hash another key took is found by a scan.
        let mut index: FastMap<u64, u32> = FastMap::default();
        let mut tallies: Vec<Tally<'_>> = Vec::new();
        for r in self.state.transactions.iter().rev() {
            if !scope.holds(r.company, r.mode) {
                continue;
            }
            let Some(key) = Key::of(r) else {
                continue;
            };
            let hash = key.hash();
            let slot = index.get(&hash).copied();
            let found = match slot {
                Some(at) if tallies.get(at as usize).is_some_and(|t| t.key.is(key)) => {
                    Some(at as usize)
                }
                Some(_) => tallies.iter().position(|t| t.key.is(key)),
                None => None,
            };
            let at = found.unwrap_or_else(|| {
                let at = tallies.len();
                if slot.is_none() {
                    index.insert(hash, u32::try_from(at).unwrap_or(u32::MAX));
                }
                tallies.push(Tally::new(key, r));
                at
            });
            if let Some(tally) = tallies.get_mut(at) {
                tally.add(r, query, self.gives_back(r));
            }
        }
        drop(index);

        let mut overview = CustomerOverview {
            customers: u32::try_from(tallies.len()).unwrap_or(u32::MAX),
            ..CustomerOverview::default()
        };
        for tally in &mut tallies {
            tally.settle();
            overview.returning += u32::from(tally.approved > 1);
            for spent in &tally.spent {
                let list = &mut overview.currencies;
                if !add_to(list, spent.currency, spent.spent) {
                    if let Some(total) = list.iter_mut().find(|t| t.currency == spent.currency) {
                        total.customers += 1;
                    }
                }
            }
        }
        overview.matches = tallies
            .into_iter()
            .filter(|t| query.is_empty() || t.matched)
            .map(|t| {
                let company = self.company_code(t.key.2);
                t.summary(company)
            })
            .collect();
        Ok(overview)
    }

    /// One customer of the companies in one environment by its key (its `customerId`, else
    /// its email in any case), with its transactions and payment methods; `None` when no
    /// transaction names it. Over all companies, the customer of the company whose
    /// transaction last named the key.
    pub fn console_customer(
        &self,
        companies: CompanyScope<'_>,
        mode: Environment,
        key: &str,
    ) -> Result<Option<CustomerDetail>, AdminError> {
        let scope = self.scope(companies, mode)?;
        let wanted = key.trim();
        let mut tally: Option<Tally<'_>> = None;
        let mut transactions = Vec::new();
        let mut payment_methods = Vec::new();
        for r in self.state.transactions.iter().rev() {
            if !scope.holds(r.company, r.mode) {
                continue;
            }
            // An email is compared in lower case, so the key asked for is too; once found,
            // only in the company it was found in.
            let company = |own: Key<'_>| tally.as_ref().map_or(own.2, |t| t.key.2);
            match Key::of(r) {
                Some(own) if own.is(Key(wanted, own.1, company(own))) => {
                    tally
                        .get_or_insert_with(|| Tally::new(own, r))
                        .add(r, "", self.gives_back(r));
                    transactions.push(self.summary_of(r));
                    if r.stored {
                        payment_methods.push(self.vaulted_method(r));
                    }
                }
                _ => {}
            }
        }
        Ok(tally.map(|mut tally| CustomerDetail {
            summary: {
                tally.settle();
                let company = self.company_code(tally.key.2);
                tally.summary(company)
            },
            transactions,
            payment_methods,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::payment_method::StorageState;
    use crate::flexpay::sandbox::test_support::{at_hours, t0, visa};
    use crate::flexpay::transaction::{CaptureRequest, ChargeRequest, RefundRequest};

    const SANDBOX: Environment = Environment::Sandbox;

    fn usd(id: &str, order: &str, amount: i64) -> ChargeRequest {
        ChargeRequest::with_card(id, order, "USD", amount, visa())
    }

    /// A sandbox with customers `cust-1` (two approved USD charges, one soft decline, one
    /// kept card), `cust-2` (an approved EUR charge and a captured USD authorization) and
    /// an email-only customer (an approved USD charge and a hard decline, the email in two
    /// cases), plus payments of another company and of Production that must not count.
    fn sandbox() -> Sandbox {
        let mut s = Sandbox::new(3);
        s.create_company("Other brand", "OTHER", t0()).unwrap();
        let p = s.console_principal("DEFAULT", SANDBOX).unwrap();
        let charge = |s: &mut Sandbox, request: ChargeRequest, hours| {
            s.submit_charge(&p, request, at_hours(hours)).unwrap()
        };
        charge(&mut s, usd("a1", "order-1001", 1000).customer("cust-1"), 0);
        charge(&mut s, usd("a2", "order-1002", 2008).customer("cust-1"), 1);
        let kept = usd("a3", "order-1003", 1500)
            .customer("cust-1")
            .retain_on_success(true);
        charge(&mut s, kept, 2);
        let mut bo = visa();
        bo.email = Some("bo@example.org".into());
        let eur =
            ChargeRequest::with_card("b1", "B-77", "EUR", 4000, bo.clone()).customer("cust-2");
        charge(&mut s, eur, 3);
        let usd_auth = ChargeRequest::with_card("b2", "B-78", "USD", 2500, bo).customer("cust-2");
        let auth = s.submit_authorize(&p, usd_auth, at_hours(4)).unwrap();
        let auth_id = s.response(auth.transaction).unwrap().transaction_id;
        s.submit_capture(&p, &auth_id, CaptureRequest::full("b2-cap"), at_hours(5))
            .unwrap();
        let mut shouting = visa();
        shouting.email = Some("Avery.Quinn@Example.COM".into());
        charge(
            &mut s,
            ChargeRequest::with_card("c1", "C-1", "USD", 700, shouting),
            6,
        );
        charge(&mut s, usd("c2", "C-2", 3016), 7);
        // Elsewhere: the same customer id in another company and in Production.
        let other = s.console_principal("OTHER", SANDBOX).unwrap();
        s.submit_charge(
            &other,
            usd("x1", "X-1", 900).customer("cust-1"),
            at_hours(8),
        )
        .unwrap();
        let live = s
            .console_principal("DEFAULT", Environment::Production)
            .unwrap();
        s.submit_charge(&live, usd("y1", "Y-1", 900).customer("cust-9"), at_hours(9))
            .unwrap();
        s
    }

    fn find<'a>(overview: &'a CustomerOverview, key: &str) -> &'a CustomerSummary {
        overview
            .matches
            .iter()
            .find(|c| c.key == key)
            .unwrap_or_else(|| panic!("customer {key} is listed"))
    }

    #[test]
    fn customers_are_derived_from_the_customer_id_else_the_email() {
        let s = sandbox();
        let all = s
            .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "")
            .unwrap();
        let keys: Vec<&str> = all.matches.iter().map(|c| c.key.as_str()).collect();
        // The latest seen first; the email-only customer's two spellings are one customer.
        assert_eq!(keys, ["avery.quinn@example.com", "cust-2", "cust-1"]);
        assert_eq!(all.customers, 3);

        let one = find(&all, "cust-1");
        assert_eq!(one.customer_id.as_deref(), Some("cust-1"));
        assert_eq!(one.email.as_deref(), Some("avery.quinn@example.com"));
        assert_eq!(one.holder.as_deref(), Some("Avery Quinn"));
        assert_eq!(one.transactions, 3);
        assert_eq!(
            one.approved_payments, 2,
            "the soft decline is not a payment"
        );
        assert_eq!(one.last_purchase, Some(at_hours(2)));
        assert_eq!(one.last_order_amount, Some(1500));
        assert_eq!(one.last_order_currency.map(Currency::code), Some("USD"));
        assert_eq!(one.card.as_deref(), Some("492020******9560"));
        assert_eq!(one.card_brand, Some(CardBrand::Visa));
        assert_eq!(
            one.spent,
            [CurrencyAmount {
                currency: Currency::from_code("USD").unwrap(),
                amount: 2500
            }]
        );

        let email = find(&all, "avery.quinn@example.com");
        assert_eq!(email.customer_id, None);
        assert_eq!(email.transactions, 2);
        assert_eq!(
            email.approved_payments, 1,
            "the hard decline is not counted"
        );
        assert_eq!(email.last_order_amount, Some(700));
        assert_eq!(email.last_seen, at_hours(7));
    }

    #[test]
    fn keys_beyond_ascii_are_kept_as_sent_and_find_their_customer() {
        let mut s = Sandbox::new(5);
        let p = s.console_principal("DEFAULT", SANDBOX).unwrap();
        let mut card = visa();
        card.email = Some("José.Ω@Example.org".into());
        s.submit_charge(
            &p,
            ChargeRequest::with_card("n1", "N-1", "USD", 900, card.clone())
                .customer("José-Ω 株式会社"),
            at_hours(1),
        )
        .unwrap();
        s.submit_charge(
            &p,
            ChargeRequest::with_card("n2", "N-2", "USD", 900, card),
            at_hours(2),
        )
        .unwrap();
        let all = s
            .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "")
            .unwrap();
        let keys: Vec<&str> = all.matches.iter().map(|c| c.key.as_str()).collect();
        // An email in lower case for its ASCII letters only, as it is compared.
        assert_eq!(keys, ["josé.Ω@example.org", "José-Ω 株式会社"]);
        for key in keys {
            let page = s
                .console_customer(CompanyScope::One("DEFAULT"), SANDBOX, key)
                .unwrap();
            assert!(page.is_some(), "{key}");
        }
    }

    #[test]
    fn customers_export_as_csv_in_the_listed_order() {
        let s = sandbox();
        let all = s
            .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "")
            .unwrap();
        let csv = customers_csv(&all.matches);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines.len(),
            all.matches.len() + 2,
            "header, a line each, the rest after the last CRLF"
        );
        assert_eq!(
            lines[0],
            "Customer ID,Email,Card holder,Transactions,Approved payments,Last purchase,\
             Last order amount,Last order currency,Card,Card brand,Spent (USD),Spent (EUR),Last seen,Company"
        );
        let one = lines
            .iter()
            .find(|l| l.starts_with("cust-1,"))
            .expect("cust-1 is exported");
        assert!(
            one.starts_with(
                "cust-1,avery.quinn@example.com,Avery Quinn,3,2,2023-11-08T16:02:51.000Z,15.00,USD,\
                 492020******9560,Visa,25.00,,"
            ),
            "{one}"
        );
        // One column per currency spent in, each customer's amount in its own column.
        let mut two = all.matches.clone();
        two[1].spent.push(CurrencyAmount {
            currency: Currency::from_code("GBP").unwrap(),
            amount: 1250,
        });
        let csv = customers_csv(&two);
        let rows: Vec<Vec<&str>> = csv
            .trim_end()
            .split("\r\n")
            .map(|l| l.split(',').collect())
            .collect();
        let column = |name: &str| rows[0].iter().position(|h| *h == name).unwrap();
        let (usd, gbp) = (column("Spent (USD)"), column("Spent (GBP)"));
        assert_eq!(gbp, usd + 2, "{}", rows[0].join(","));
        assert_eq!(rows[2][gbp], "12.50");
        assert!(rows.iter().all(|r| r.len() == rows[0].len()));
        assert_eq!(
            rows[1..].iter().filter(|r| r[gbp].is_empty()).count(),
            rows.len() - 2
        );
        // An email-only customer has an empty customer ID.
        assert!(
            lines[1].starts_with(",avery.quinn@example.com,"),
            "{}",
            lines[1]
        );
    }

    #[test]
    fn over_all_companies_one_customer_id_of_two_companies_is_two_customers() {
        let s = sandbox();
        let of = |companies| s.console_customers(companies, SANDBOX, "").unwrap();
        let all = of(CompanyScope::All);
        let each = [
            of(CompanyScope::One("DEFAULT")),
            of(CompanyScope::One("OTHER")),
        ];
        // The figures are the sums of each company's, per currency.
        assert_eq!(all.customers, each[0].customers + each[1].customers);
        assert_eq!(all.returning, each[0].returning + each[1].returning);
        for total in &all.currencies {
            let parts = each
                .iter()
                .filter_map(|o| o.currencies.iter().find(|t| t.currency == total.currency));
            let (amount, customers) =
                parts.fold((0, 0), |(a, c), t| (a + t.spent, c + t.customers));
            assert_eq!((total.spent, total.customers), (amount, customers));
        }
        // cust-1 twice, each of its company, the latest active first; never merged.
        let cust_1: Vec<(&str, u32)> = all
            .matches
            .iter()
            .filter(|c| c.key == "cust-1")
            .map(|c| (c.company.as_str(), c.transactions))
            .collect();
        assert_eq!(cust_1, [("OTHER", 1), ("DEFAULT", 3)]);
        let found = s
            .console_customers(CompanyScope::All, SANDBOX, "CUST-1")
            .unwrap();
        assert_eq!(found.matches.len(), 2);
        let csv = customers_csv(&found.matches);
        assert_eq!(csv.matches(",OTHER\r\n").count(), 1);
        assert_eq!(csv.matches(",DEFAULT\r\n").count(), 1);

        // A customer's page over all companies is of the company that named it last; one
        // company's is its own.
        let page = |companies| {
            let detail = s.console_customer(companies, SANDBOX, "cust-1").unwrap();
            detail.map(|d| (d.summary.company, d.transactions.len()))
        };
        assert_eq!(page(CompanyScope::All), Some(("OTHER".to_owned(), 1)));
        assert_eq!(
            page(CompanyScope::One("DEFAULT")),
            Some(("DEFAULT".to_owned(), 3))
        );
        let detail = s
            .console_customer(CompanyScope::All, SANDBOX, "cust-1")
            .unwrap()
            .unwrap();
        assert!(detail.transactions.iter().all(|t| t.company == "OTHER"));
    }

    #[test]
    fn figures_count_approved_charges_and_captures_per_currency() {
        let s = sandbox();
        let all = s
            .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "")
            .unwrap();
        // cust-1 (2 payments) and cust-2 (a charge and a capture; the authorization is not
        // one) return; the email-only customer paid once.
        assert_eq!(all.returning, 2);
        assert_eq!(all.returning_basis_points(), 6667);
        let two = find(&all, "cust-2");
        assert_eq!(two.transactions, 3);
        assert_eq!(two.approved_payments, 2);
        assert_eq!(two.last_order_amount, Some(2500));
        let codes: Vec<&str> = two.spent.iter().map(|s| s.currency.code()).collect();
        assert_eq!(codes, ["EUR", "USD"]);

        let totals: Vec<(&str, i64, u32, i64)> = all
            .currencies
            .iter()
            .map(|t| {
                let code = t.currency.code();
                (code, t.spent, t.customers, t.average_per_customer())
            })
            .collect();
        // USD: 2500 + 2500 + 700 over three customers = 1900 exactly; EUR: one customer.
        assert_eq!(totals, [("EUR", 4000, 1, 4000), ("USD", 5700, 3, 1900)]);
        let odd = CurrencyTotal {
            currency: Currency::from_code("USD").unwrap(),
            spent: 1001,
            customers: 2,
        };
        assert_eq!(odd.average_per_customer(), 501, "rounded half up");
    }

    #[test]
    fn what_customers_spent_is_net_of_refunds_where_the_list_figures_are_gross() {
        let mut s = sandbox();
        let p = s.console_principal("DEFAULT", SANDBOX).unwrap();
        let one = s
            .console_customer(CompanyScope::One("DEFAULT"), SANDBOX, "cust-1")
            .unwrap()
            .unwrap();
        let first = one.transactions.last().unwrap().transaction_id.clone();
        let refund = RefundRequest {
            amount: Some(400),
            ..RefundRequest::full("a1-ref")
        };
        s.submit_refund(&p, &first, refund, at_hours(10)).unwrap();
        let usd = |s: &Sandbox| {
            let all = s
                .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "")
                .unwrap();
            all.currencies
                .into_iter()
                .find(|t| t.currency.code() == "USD")
                .unwrap()
        };
        // 5700 approved, 400 of it refunded.
        assert_eq!(usd(&s).spent, 5300);
        let rows = s
            .console_transactions(CompanyScope::One("DEFAULT"), SANDBOX)
            .unwrap();
        let gross = s.list_figures(&rows, t0());
        let listed = gross.iter().find(|f| f.currency.code() == "USD").unwrap();
        assert_eq!(listed.approved_amount, 5700);
    }

    #[test]
    fn other_companies_and_modes_are_left_out() {
        let s = sandbox();
        let other = s
            .console_customers(CompanyScope::One("OTHER"), SANDBOX, "")
            .unwrap();
        assert_eq!(other.customers, 1);
        assert_eq!(other.matches[0].key, "cust-1");
        assert_eq!(other.matches[0].transactions, 1);
        let live = s
            .console_customers(CompanyScope::One("DEFAULT"), Environment::Production, "")
            .unwrap();
        assert_eq!(live.customers, 1);
        assert_eq!(live.matches[0].key, "cust-9");
        assert!(s
            .console_customer(CompanyScope::One("DEFAULT"), SANDBOX, "cust-9")
            .unwrap()
            .is_none());
        assert!(s
            .console_customers(CompanyScope::One("NOPE"), SANDBOX, "")
            .is_err());
        assert_eq!(
            Sandbox::new(1)
                .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "")
                .unwrap(),
            CustomerOverview::default()
        );
    }

    #[test]
    fn search_matches_customer_id_email_or_order_id_ignoring_case() {
        let s = sandbox();
        let keys = |query: &str| -> Vec<String> {
            let found = s
                .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, query)
                .unwrap();
            // The figures stay those of every customer.
            assert_eq!(found.customers, 3);
            found.matches.into_iter().map(|c| c.key).collect()
        };
        assert_eq!(keys("CUST-2"), ["cust-2"]);
        assert_eq!(keys("  b-78 "), ["cust-2"], "an order id, trimmed");
        assert_eq!(keys("order-1002"), ["cust-1"], "a declined payment's order");
        assert_eq!(keys("cust"), ["cust-2", "cust-1"]);
        assert_eq!(keys("BO@"), ["cust-2"]);
        // cust-1 sent the same email as the email-only customer.
        assert_eq!(keys("EXAMPLE.com"), ["avery.quinn@example.com", "cust-1"]);
        assert!(keys("nobody").is_empty());
        assert_eq!(keys("").len(), 3);
    }

    #[test]
    fn a_customer_shows_its_transactions_and_vaulted_methods() {
        let mut s = sandbox();
        let detail = s
            .console_customer(CompanyScope::One("DEFAULT"), SANDBOX, "cust-1")
            .unwrap()
            .expect("cust-1 exists");
        let ids: Vec<&str> = detail
            .transactions
            .iter()
            .map(|t| t.merchant_transaction_id.as_str())
            .collect();
        assert_eq!(ids, ["a3", "a2", "a1"], "newest first");
        assert_eq!(detail.summary.approved_payments, 2);
        assert_eq!(detail.payment_methods.len(), 1);
        let method = detail.payment_methods[0].clone();
        assert_eq!(method.storage_state, StorageState::Stored);
        assert_eq!(method.created_by, detail.transactions[0].transaction_id);
        assert_eq!(method.customer_id.as_deref(), Some("cust-1"));

        // Redacted from the console: still listed, as Redacted, and the redact call is one
        // of the customer's transactions.
        s.console_redact_payment_method(
            "DEFAULT",
            SANDBOX,
            &method.payment_method_id,
            at_hours(10),
        )
        .unwrap();
        let after = s
            .console_customer(CompanyScope::One("DEFAULT"), SANDBOX, "cust-1")
            .unwrap()
            .unwrap();
        assert_eq!(
            after.payment_methods[0].storage_state,
            StorageState::Redacted
        );
        assert_eq!(
            after.transactions[0].transaction_type,
            "RedactPaymentMethod"
        );
        assert_eq!(after.summary.approved_payments, 2);

        // An email key is found in any case; a refund is the customer's too.
        let email = s
            .console_customer(
                CompanyScope::One("DEFAULT"),
                SANDBOX,
                "AVERY.QUINN@example.com",
            )
            .unwrap()
            .expect("found ignoring case");
        assert_eq!(email.summary.key, "avery.quinn@example.com");
        assert_eq!(email.transactions.len(), 2);
        assert!(email.payment_methods.is_empty());
        let p = s.console_principal("DEFAULT", SANDBOX).unwrap();
        let paid = email.transactions[1].transaction_id.clone();
        s.submit_refund(&p, &paid, RefundRequest::full("c1-ref"), at_hours(11))
            .unwrap();
        let refunded = s
            .console_customer(
                CompanyScope::One("DEFAULT"),
                SANDBOX,
                "avery.quinn@example.com",
            )
            .unwrap()
            .unwrap();
        assert_eq!(refunded.transactions[0].transaction_type, "Refund");
        assert_eq!(
            refunded.summary.approved_payments, 1,
            "a refund is no payment"
        );
        // What was given back is not spent, in the detail and in the list.
        let spent = |s: &Sandbox| {
            s.console_customer(
                CompanyScope::One("DEFAULT"),
                SANDBOX,
                "avery.quinn@example.com",
            )
            .unwrap()
            .unwrap()
            .summary
            .spent
        };
        assert_eq!(spent(&s)[0].amount, 0, "{:?}", spent(&s));
        let listed = s
            .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "avery.quinn")
            .unwrap()
            .matches;
        assert_eq!(listed[0].spent, spent(&s));
        // A customer id is compared exactly.
        assert!(s
            .console_customer(CompanyScope::One("DEFAULT"), SANDBOX, "CUST-1")
            .unwrap()
            .is_none());
        assert!(s
            .console_customer(CompanyScope::One("DEFAULT"), SANDBOX, "")
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_method_kept_without_a_customer_id_is_in_the_vault_list_without_one() {
        let mut s = sandbox();
        let p = s.console_principal("DEFAULT", SANDBOX).unwrap();
        let kept = usd("d1", "D-1", 800).retain_on_success(true);
        s.submit_charge(&p, kept, at_hours(12)).unwrap();
        let vault = s
            .console_payment_methods(CompanyScope::One("DEFAULT"), SANDBOX)
            .unwrap();
        let codes: Vec<Option<&str>> = vault.iter().map(|m| m.customer_id.as_deref()).collect();
        assert_eq!(codes, [None, Some("cust-1")], "the latest first");
        // It belongs to the customer its email names.
        let email = s
            .console_customer(
                CompanyScope::One("DEFAULT"),
                SANDBOX,
                "avery.quinn@example.com",
            )
            .unwrap()
            .unwrap();
        assert_eq!(email.payment_methods.len(), 1);
        assert_eq!(
            email.payment_methods[0].payment_method_id,
            vault[0].payment_method_id
        );
    }

    #[test]
    fn the_payment_method_is_the_latest_card_paid_with_not_a_later_refunds() {
        let mut s = Sandbox::new(5);
        let p = s.console_principal("DEFAULT", SANDBOX).unwrap();
        let visa_paid = s
            .submit_charge(&p, usd("m1", "M-1", 500).customer("m"), at_hours(1))
            .unwrap();
        let mastercard = crate::flexpay::payment_method::CreditCardDetails {
            credit_card_number: "5244209084665514".into(),
            ..visa()
        };
        let later = ChargeRequest::with_card("m2", "M-2", "USD", 700, mastercard).customer("m");
        s.submit_charge(&p, later, at_hours(2)).unwrap();
        // The Visa payment refunded last: its refund carries the Visa.
        let id = s.transaction_id(visa_paid.transaction).unwrap();
        s.submit_refund(&p, &id, RefundRequest::full("m1-ref"), at_hours(3))
            .unwrap();
        let all = s
            .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "")
            .unwrap();
        assert_eq!(find(&all, "m").card.as_deref(), Some("524420******5514"));
    }

    #[test]
    fn what_names_a_date_goes_by_date_when_the_clock_was_moved_back() {
        let mut s = Sandbox::new(5);
        let p = s.console_principal("DEFAULT", SANDBOX).unwrap();
        let mut later_card = visa();
        later_card.email = Some("late@example.com".into());
        let late = ChargeRequest::with_card("e1", "E-1", "USD", 900, later_card).customer("c");
        s.submit_charge(&p, late, at_hours(5)).unwrap();
        // Stored after, dated before.
        s.submit_charge(&p, usd("e2", "E-2", 300).customer("c"), at_hours(1))
            .unwrap();
        let all = s
            .console_customers(CompanyScope::One("DEFAULT"), SANDBOX, "")
            .unwrap();
        let c = find(&all, "c");
        assert_eq!(c.last_purchase, Some(at_hours(5)));
        assert_eq!(c.last_order_amount, Some(900));
        assert_eq!(c.email.as_deref(), Some("late@example.com"));
        assert_eq!(c.last_seen, at_hours(5));
        assert_eq!(c.approved_payments, 2);
    }
}
