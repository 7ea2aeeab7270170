//! Request validation as the engine sees it: one function per call, answering the FlexPay
//! code of the first problem, or nothing.
//!
//! These are only the checks the engine itself relies on (a merchant transaction id to index,
//! a currency to count money in, a positive amount). The full request validation of the
//! toolkit replaces the bodies of these functions, keeping their signatures.

use crate::flexpay::account::Environment;
use crate::flexpay::transaction::{CaptureRequest, ChargeRequest, RefundRequest, VoidRequest};
use crate::money::Currency;
use crate::time::UtcTimestamp;

use super::transactions::Refusal;

fn merchant_transaction_id(value: &str) -> Option<Refusal> {
    value.trim().is_empty().then(|| {
        Refusal::new(
            50103,
            "merchantTransactionId is required: send a new unique value with every request \
             (every retry, capture, void and refund too)",
        )
    })
}

fn positive_amount(amount: i64) -> Option<Refusal> {
    (amount <= 0).then(|| {
        Refusal::new(
            50137,
            format!(
                "amount {amount} is invalid: send a positive whole number of minor units \
                 (1000 is 10.00 USD)"
            ),
        )
    })
}

/// Charge and authorize.
pub(crate) fn check_charge(
    request: &ChargeRequest,
    _now: UtcTimestamp,
    _environment: Environment,
) -> Option<Refusal> {
    merchant_transaction_id(&request.merchant_transaction_id)
        .or_else(|| currency(&request.currency_code))
        .or_else(|| positive_amount(request.amount))
}

fn currency(code: &str) -> Option<Refusal> {
    if code.is_empty() {
        return Some(Refusal::new(
            50045,
            "currencyCode is required: send the ISO 4217 code of the amount, e.g. \"USD\"",
        ));
    }
    if code.len() != 3 {
        return Some(Refusal::new(
            50073,
            format!("currencyCode {code:?} must be three letters (ISO 4217), e.g. \"USD\""),
        ));
    }
    Currency::from_code(code).err().map(|error| {
        Refusal::new(
            50148,
            format!("currencyCode {code:?} is not accepted: {error}"),
        )
    })
}

pub(crate) fn check_capture(
    request: &CaptureRequest,
    _now: UtcTimestamp,
    _environment: Environment,
) -> Option<Refusal> {
    merchant_transaction_id(&request.merchant_transaction_id)
        .or_else(|| request.amount.and_then(positive_amount))
}

pub(crate) fn check_void(
    request: &VoidRequest,
    _now: UtcTimestamp,
    _environment: Environment,
) -> Option<Refusal> {
    merchant_transaction_id(&request.merchant_transaction_id)
}

/// Refund and refunded-payment. An amount of 0 means "everything" (sandbox scenario P1), so
/// only a negative amount is refused.
pub(crate) fn check_refund(
    request: &RefundRequest,
    _now: UtcTimestamp,
    _environment: Environment,
) -> Option<Refusal> {
    merchant_transaction_id(&request.merchant_transaction_id).or_else(|| {
        request
            .amount
            .filter(|&amount| amount < 0)
            .and_then(positive_amount)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::{t0, visa_charge};

    fn code(refusal: Option<Refusal>) -> Option<u32> {
        refusal.map(|r| r.code.value())
    }

    #[test]
    fn charges_need_an_id_a_known_currency_and_a_positive_amount() {
        let env = Environment::Sandbox;
        assert_eq!(
            code(check_charge(&visa_charge("m1", 1000), t0(), env)),
            None
        );
        let mut request = visa_charge("  ", 1000);
        assert_eq!(code(check_charge(&request, t0(), env)), Some(50103));
        request = visa_charge("m1", 0);
        assert_eq!(code(check_charge(&request, t0(), env)), Some(50137));
        request.amount = -5;
        assert_eq!(code(check_charge(&request, t0(), env)), Some(50137));
        for (currency, expected) in [("", 50045), ("US", 50073), ("XYZ", 50148)] {
            let mut request = visa_charge("m1", 1000);
            request.currency_code = currency.into();
            assert_eq!(
                code(check_charge(&request, t0(), env)),
                Some(expected),
                "{currency}"
            );
        }
    }

    #[test]
    fn follow_ups_need_an_id_and_a_sensible_amount() {
        let env = Environment::Sandbox;
        assert_eq!(
            code(check_void(&VoidRequest::new(""), t0(), env)),
            Some(50103)
        );
        assert_eq!(code(check_void(&VoidRequest::new("v"), t0(), env)), None);
        let zero = CaptureRequest::partial("c", 0);
        assert_eq!(code(check_capture(&zero, t0(), env)), Some(50137));
        assert_eq!(
            code(check_capture(&CaptureRequest::full("c"), t0(), env)),
            None
        );
        assert_eq!(
            code(check_refund(&RefundRequest::partial("r", 0), t0(), env)),
            None
        );
        let negative = RefundRequest::partial("r", -1);
        assert_eq!(code(check_refund(&negative, t0(), env)), Some(50137));
    }
}
