//! Requests validated together (the npm package's `validateBatch`): FlexPay refuses a
//! `merchantTransactionId` it has already seen with 50129 ("merchant transaction reference id
//! not unique"), so within one batch every request that repeats an earlier request's id is
//! refused as FlexPay would refuse it. Each request on its own is validated exactly as alone.

use crate::validation::json::{shorten, Lookup};
use crate::validation::{code, Severity, Validation};

use super::checks::is_blank;

/// Where the id is, in every request kind that has one (`{"transaction": {...}}`).
pub(super) const PATH: &str = "transaction.merchantTransactionId";

/// The `merchantTransactionId`s of one batch so far, each with the first request that sent
/// it. A hash index over them keeps a batch linear, with the lookup the validators already
/// use (no `HashMap`).
#[derive(Default)]
pub struct BatchIds {
    /// Each id first seen, and the index of its request in the batch.
    ids: Vec<(String, usize)>,
    lookup: Lookup,
}

impl BatchIds {
    pub const fn new() -> Self {
        BatchIds {
            ids: Vec::new(),
            lookup: Lookup::new(),
        }
    }

    /// Forgets the ids of the previous batch.
    pub fn clear(&mut self) {
        *self = BatchIds::new();
    }

    /// The earlier request of the batch that sent `id`; `None` after recording `id` as the
    /// one of request `item`.
    fn earlier(&mut self, item: usize, id: &str) -> Option<usize> {
        let BatchIds { ids, lookup } = self;
        let next = ids.len();
        ids.push((id.to_owned(), item));
        let found = lookup.get_or_insert(id, next, |i| ids.get(i).map_or("", |(id, _)| id));
        let first = ids.get(found?).map(|&(_, first)| first);
        ids.pop();
        first
    }

    /// Adds to `validation` (of request `item`) the refusal of an `id` an earlier request of
    /// the batch sent. A blank id is missing, which the validator reports; an id that already
    /// has an error (a lone surrogate, a wrong type) keeps that one. A request with errors
    /// is refused before it is processed and does not use its id up (the sandbox answers a
    /// later request with it), so only the ids of requests without errors are kept.
    #[inline(never)]
    pub(super) fn check(&mut self, item: usize, id: &str, validation: &mut Validation) {
        if is_blank(Some(id)) {
            return;
        }
        let refused = validation
            .problems()
            .iter()
            .any(|p| p.severity == Severity::Error);
        let first = if refused {
            let BatchIds { ids, lookup } = &*self;
            lookup
                .get(id, |i| ids.get(i).map_or("", |(id, _)| id))
                .and_then(|i| ids.get(i))
                .map(|&(_, first)| first)
        } else {
            self.earlier(item, id)
        };
        let Some(first) = first else {
            return;
        };
        if validation
            .problems()
            .iter()
            .any(|p| p.path == PATH && p.severity == Severity::Error)
        {
            return;
        }
        validation.error(
            PATH,
            code::DUPLICATE_MERCHANT_TRANSACTION_ID,
            format!(
                "\"{}\" is already the merchantTransactionId of requests[{first}] in this \
                 batch: FlexPay refuses a reused one with 50129 (merchant transaction \
                 reference id not unique); send a new unique id with every request.",
                shorten(id)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusals(batch: &mut BatchIds, ids: &[&str]) -> Vec<Option<String>> {
        batch.clear();
        ids.iter()
            .enumerate()
            .map(|(item, id)| {
                let mut validation = Validation::new();
                batch.check(item, id, &mut validation);
                validation.at(PATH).map(|p| {
                    assert_eq!(p.code, code::DUPLICATE_MERCHANT_TRANSACTION_ID);
                    p.message.clone()
                })
            })
            .collect()
    }

    #[test]
    fn every_later_request_repeating_an_id_is_refused_naming_the_first() {
        let mut batch = BatchIds::default();
        let found = refusals(&mut batch, &["a", "b", "a", "c", "b", "a", "A", " "]);
        assert_eq!(found[0], None);
        assert_eq!(found[1], None);
        assert!(found[2].as_ref().is_some_and(|m| m.contains("requests[0]")
            && m.starts_with("\"a\" is already the merchantTransactionId")
            && m.contains("50129")));
        assert_eq!(found[3], None);
        assert!(found[4].as_ref().is_some_and(|m| m.contains("requests[1]")));
        assert!(found[5].as_ref().is_some_and(|m| m.contains("requests[0]")));
        // Ids are compared as they are: another case is another id; blank is missing.
        assert_eq!(found[6], None);
        assert_eq!(found[7], None);
        // A new batch starts with no ids.
        assert_eq!(refusals(&mut batch, &["a"]), [None]);
    }

    #[test]
    fn a_refused_request_does_not_use_its_id_up() {
        let mut batch = BatchIds::default();
        let check = |batch: &mut BatchIds, item: usize, id: &str, refused: bool| {
            let mut validation = Validation::new();
            if refused {
                validation.error("transaction.amount", code::WRONG_TYPE, "amount is text");
            }
            batch.check(item, id, &mut validation);
            validation
                .at(PATH)
                .map(|p| p.code == code::DUPLICATE_MERCHANT_TRANSACTION_ID)
        };
        // Refused first: the next request with its id is the first to send it.
        assert_eq!(check(&mut batch, 0, "v-1", true), None);
        assert_eq!(check(&mut batch, 1, "v-1", false), None);
        // Sent: a later request repeating it is refused, even one with errors of its own.
        assert_eq!(check(&mut batch, 2, "v-1", false), Some(true));
        assert_eq!(check(&mut batch, 3, "v-1", true), Some(true));
    }

    #[test]
    fn many_ids_stay_apart() {
        let mut batch = BatchIds::default();
        let ids: Vec<String> = (0..5000).map(|i| format!("mt-{i}")).collect();
        let mut all: Vec<&str> = ids.iter().map(String::as_str).collect();
        all.push("mt-4321");
        let found = refusals(&mut batch, &all);
        assert!(found[..5000].iter().all(Option::is_none));
        assert!(found[5000]
            .as_ref()
            .is_some_and(|m| m.contains("requests[4321]")));
    }

    #[test]
    fn a_batch_of_encoded_requests_refuses_each_repeated_id_plain_or_not() {
        use super::super::json::{tagged_schemas, REQUEST_KINDS};
        use super::super::{validate_tagged, validate_tagged_in_batch, ValidationContext};
        use crate::flexpay::account::Environment;
        use crate::time::UtcTimestamp;
        use crate::validation::tagged::encode_walked;
        use serde_json::json;

        let ctx = ValidationContext::new(
            UtcTimestamp::parse_iso8601("2026-11-21T10:00:00Z").expect("time"),
            Environment::Production,
        );
        let charge = |id: &str, amount: serde_json::Value| {
            json!({"transaction": {
                "merchantTransactionId": id, "orderId": "o-1", "customerId": "c-1",
                "currencyCode": "USD", "amount": amount, "retryCount": 1, "referenceData": null,
                "paymentMethod": {"creditCardNumber": "4111111111111111", "expiryMonth": "09",
                    "expiryYear": "2029", "cvv": "123", "firstName": "Ada", "lastName": "Lovelace",
                    "postalCode": "10001", "city": "New York", "state": "NY", "country": "US"}}})
        };
        let encode = |kind: usize, body: &serde_json::Value| {
            let mut bytes = Vec::new();
            encode_walked(body, REQUEST_KINDS[kind].1, tagged_schemas(), &mut bytes);
            bytes
        };
        // Plain, plain, walked (a wrong amount), plain again, and an id left out.
        let bodies = [
            charge("m-1", json!(1000)),
            charge("m-2", json!(1000)),
            charge("m-1", json!("10.00")),
            charge("m-2", json!(1000)),
            charge("", json!(1000)),
            charge("", json!(1000)),
        ];
        let mut ids = BatchIds::default();
        let mut found = Vec::new();
        for (item, body) in bodies.iter().enumerate() {
            let bytes = encode(0, body);
            let alone = validate_tagged(0, &bytes, &ctx).expect("charge");
            assert!(
                alone.at(PATH).is_none_or(|p| p.code == code::REQUIRED),
                "{alone:?}"
            );
            let batched =
                validate_tagged_in_batch(0, &bytes, &ctx, &mut ids, item).expect("charge");
            let extra: Vec<_> = batched
                .problems()
                .iter()
                .filter(|p| !alone.problems().contains(p))
                .collect();
            found.push(
                extra
                    .iter()
                    .map(|p| (p.code, p.message.clone()))
                    .collect::<Vec<_>>(),
            );
        }
        assert!(
            found[0].is_empty()
                && found[1].is_empty()
                && found[4].is_empty()
                && found[5].is_empty()
        );
        for (item, first) in [(2, 0), (3, 1)] {
            assert_eq!(found[item].len(), 1, "{:?}", found[item]);
            assert_eq!(found[item][0].0, code::DUPLICATE_MERCHANT_TRANSACTION_ID);
            assert!(found[item][0].1.contains(&format!("requests[{first}]")));
        }
        // Every kind with the id compares it; the others have none.
        for (kind, (name, _)) in REQUEST_KINDS.iter().enumerate() {
            let body = if kind < 2 {
                charge("m-9", json!(1000))
            } else {
                json!({"transaction": {"merchantTransactionId": "m-9"}})
            };
            let bytes = encode(kind, &body);
            ids.clear();
            let first = validate_tagged_in_batch(kind, &bytes, &ctx, &mut ids, 0).expect("kind");
            let again = validate_tagged_in_batch(kind, &bytes, &ctx, &mut ids, 1).expect("kind");
            let refused = again.problems().len() > first.problems().len();
            let has_id = matches!(
                *name,
                "charge" | "authorize" | "capture" | "void" | "refund" | "refundedPayment"
            );
            assert_eq!(refused, has_id, "{name}: {again:?}");
        }
    }

    #[test]
    fn an_id_with_an_error_keeps_that_error_alone() {
        let mut batch = BatchIds::default();
        let mut first = Validation::new();
        batch.check(0, "x", &mut first);
        let mut second = Validation::new();
        second.error(PATH, code::WRONG_TYPE, "not a string");
        batch.check(1, "x", &mut second);
        assert_eq!(second.problems().len(), 1);
        let mut warned = Validation::new();
        warned.warn(PATH, code::TOO_LONG, "long");
        batch.check(2, "x", &mut warned);
        assert_eq!(warned.problems().len(), 2);
    }
}
