//! Request validation as the engine sees it: one function per call, answering the FlexPay
//! code of the first error the toolkit's validation finds (its path and message in the
//! response's message), or nothing. The same validation the npm package and the portal run,
//! so the sandbox refuses exactly what flexkit reports.

use core::fmt::Write as _;

use crate::flexpay::account::Environment;
use crate::flexpay::transaction::{CaptureRequest, ChargeRequest, RefundRequest, VoidRequest};
use crate::flexpay::validate::{self, flexpay_response_code, ValidationContext};
use crate::time::UtcTimestamp;
use crate::validation::{code, Severity, Validation};

use super::transactions::Refusal;

fn first_error(validation: &Validation) -> Option<Refusal> {
    let problem = validation.errors().next()?;
    let extra = validation.errors().count() - 1;
    let more = match extra {
        0 => String::new(),
        1 => " (and 1 more problem)".to_owned(),
        n => format!(" (and {n} more problems)"),
    };
    Some(Refusal {
        code: flexpay_response_code(problem),
        message: format!("{}: {}{more}", problem.path, problem.message),
        unread_amount: false,
        unread_retry_count: false,
    })
}

/// Most problems [`every_error`] lists in its message.
const LISTED: usize = 20;

/// Every error of a vault call's body: the FlexPay code of the first, and a message listing
/// each as `path: message (code)`, one per line (at most [`LISTED`], then how many more), so
/// one answer says all that must be fixed.
pub(crate) fn every_error(validation: &Validation) -> Option<Refusal> {
    let first = validation.errors().next()?;
    let mut message = String::new();
    for (index, problem) in validation.errors().take(LISTED).enumerate() {
        if index > 0 {
            message.push('\n');
        }
        let _ = write!(message, "{problem}");
    }
    let more = validation.errors().count().saturating_sub(LISTED);
    if more > 0 {
        let _ = write!(message, "\n(and {more} more problems)");
    }
    Some(Refusal {
        code: flexpay_response_code(first),
        message,
        unread_amount: false,
        unread_retry_count: false,
    })
}

/// The problems of a body that did not read as its request, in the order that picks the
/// answer's code: FlexPay ignores fields it does not know, so a misspelt field's hint
/// (`unknown_field`) comes after the problems FlexPay itself finds, such as the field it
/// then misses.
pub(crate) fn flexpay_order(validation: Validation) -> Validation {
    let (hints, found): (Vec<_>, Vec<_>) = validation
        .into_problems()
        .into_iter()
        .partition(|problem| problem.code == code::UNKNOWN_FIELD);
    let mut ordered = Validation::new();
    for problem in found.into_iter().chain(hints) {
        match problem.severity {
            Severity::Error => ordered.error(problem.path, problem.code, problem.message),
            Severity::Warning => ordered.warn(problem.path, problem.code, problem.message),
        }
    }
    ordered
}

/// The refusal of a transaction call's body that did not read as its request: as the
/// request check's, the first problem (see [`flexpay_order`]) and how many more.
pub(crate) fn body_refusal(validation: Validation) -> Option<Refusal> {
    first_error(&flexpay_order(validation))
}

/// The refusal of a vault call's body that did not read as its request: every problem, as
/// [`every_error`] lists them (see [`flexpay_order`]).
pub(crate) fn vault_body_refusal(validation: Validation) -> Option<Refusal> {
    every_error(&flexpay_order(validation))
}

/// Charge and authorize.
pub(crate) fn check_charge(
    request: &ChargeRequest,
    now: UtcTimestamp,
    environment: Environment,
) -> Option<Refusal> {
    first_error(&validate::validate_charge(
        request,
        &ValidationContext::new(now, environment),
    ))
}

pub(crate) fn check_capture(
    request: &CaptureRequest,
    now: UtcTimestamp,
    environment: Environment,
) -> Option<Refusal> {
    first_error(&validate::validate_capture(
        request,
        &ValidationContext::new(now, environment),
    ))
}

pub(crate) fn check_void(
    request: &VoidRequest,
    now: UtcTimestamp,
    environment: Environment,
) -> Option<Refusal> {
    first_error(&validate::validate_void(
        request,
        &ValidationContext::new(now, environment),
    ))
}

/// Refund and refunded-payment.
pub(crate) fn check_refund(
    request: &RefundRequest,
    now: UtcTimestamp,
    environment: Environment,
) -> Option<Refusal> {
    first_error(&validate::validate_refund(
        request,
        &ValidationContext::new(now, environment),
    ))
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
        for (currency, expected) in [("", 50045), ("US", 50073), ("XYZ", 50000)] {
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

    #[test]
    fn every_error_lists_each_problem_on_its_line_up_to_twenty() {
        use crate::validation::code as problem;
        let mut validation = Validation::new();
        assert!(every_error(&validation).is_none());
        validation.warn("paymentMethod.phoneNumber", problem::INVALID_FORMAT, "odd");
        assert!(every_error(&validation).is_none(), "warnings alone pass");
        validation.error(
            "paymentMethod.creditCard.expiryMonth",
            problem::INVALID_FORMAT,
            "two digits.",
        );
        validation.error(
            "paymentMethod.creditCard.city",
            problem::REQUIRED,
            "send the city.",
        );
        let refusal = every_error(&validation).expect("errors");
        assert_eq!(refusal.code.value(), 50056);
        assert_eq!(
            refusal.message,
            "paymentMethod.creditCard.expiryMonth: two digits. (invalid_format)\n\
             paymentMethod.creditCard.city: send the city. (required)"
        );
        for i in 0..30 {
            validation.error(format!("x{i}"), problem::INVALID_VALUE, "bad.");
        }
        let message = every_error(&validation).expect("errors").message;
        assert_eq!(message.lines().count(), LISTED + 1);
        assert!(message.ends_with("\n(and 12 more problems)"), "{message}");
    }
}
