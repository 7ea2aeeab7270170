//! Which 5xxxx response code FlexPay answers for the mistake a [`Problem`] describes.

use crate::flexpay::response_code::ResponseCode;
use crate::validation::{code, Problem};

/// The response codes one field can cause: missing, too long, and any other invalid value.
#[derive(Clone, Copy)]
struct FieldCodes {
    required: Option<u32>,
    length: Option<u32>,
    invalid: Option<u32>,
}

const fn codes(required: u32, length: u32, invalid: u32) -> FieldCodes {
    // 0 marks "no specific code"; the caller falls back to 50000.
    const fn some(code: u32) -> Option<u32> {
        if code == 0 {
            None
        } else {
            Some(code)
        }
    }
    FieldCodes {
        required: some(required),
        length: some(length),
        invalid: some(invalid),
    }
}

const NONE: FieldCodes = codes(0, 0, 0);

/// The codes of the field `leaf` inside the object `parent` (the previous path segment).
/// Billing and shipping addresses share field names but not codes, and a vault call's
/// `paymentMethod.creditCard.city` is the charge's `transaction.paymentMethod.city`.
fn field_codes(parent: Option<&str>, leaf: &str) -> FieldCodes {
    let shipping = parent == Some("shippingAddress");
    match leaf {
        "merchantTransactionId" => codes(50103, 50104, 0),
        "orderId" => codes(50126, 50127, 0),
        "description" => codes(0, 50124, 0),
        "customerId" => codes(50048, 50014, 0),
        "email" => codes(50048, 50015, 0),
        "currencyCode" => codes(50045, 50073, 50073),
        "amount" => codes(50137, 50137, 50137),
        "customerIp" => codes(0, 50037, 0),
        "gatewayToken" => codes(0, 50128, 0),
        "referenceData" => codes(0, 50111, 50132),
        "customVariable1" => codes(0, 50106, 0),
        "customVariable2" => codes(0, 50107, 0),
        "customVariable3" => codes(0, 50108, 0),
        "customVariable4" => codes(0, 50109, 0),
        "customVariable5" => codes(0, 50110, 0),
        "paymentModel" => codes(0, 0, 50155),
        "paymentMethodId" => codes(50133, 50134, 50134),
        "paymentMethod" => codes(50135, 0, 50136),
        // A vault call's payment method: the card, or the gateway's token for it.
        _ if is_vault_payment_method(parent, leaf) => codes(50135, 0, 50136),
        "creditCardNumber" => codes(50059, 50060, 50060),
        "expiryMonth" => codes(50055, 0, 50056),
        "expiryYear" => codes(50057, 0, 50058),
        "firstName" => codes(50088, 50091, 0),
        "lastName" => codes(50089, 50092, 0),
        "fullName" => codes(50090, 50028, 0),
        "address1" if shipping => codes(0, 50118, 0),
        "address1" => codes(50099, 50100, 0),
        "address2" if shipping => codes(0, 50117, 0),
        "address2" => codes(0, 50119, 0),
        "postalCode" if shipping => codes(0, 50114, 0),
        "postalCode" => codes(50094, 50095, 0),
        "city" if shipping => codes(0, 50116, 0),
        "city" => codes(50097, 50098, 0),
        "state" if shipping => codes(0, 50115, 0),
        "state" => codes(50096, 50029, 0),
        "country" if shipping => codes(0, 50113, 50113),
        "country" => codes(50093, 50039, 50039),
        "phoneNumber" => codes(0, 50020, 0),
        "gatewayPaymentMethodId" => codes(50138, 50139, 50138),
        // The previous transaction's reference is information, not something FlexPay checks.
        "merchantAccountReferenceId" if parent == Some("PreviousTransaction") => NONE,
        "merchantAccountReferenceId" => codes(0, 50141, 50140),
        "firstSixDigits" => codes(0, 50154, 50154),
        "lastFourDigits" => codes(0, 50153, 50153),
        "sku" if parent == Some("paymentPlan") => codes(0, 50122, 0),
        "category" if parent == Some("paymentPlan") => codes(0, 50121, 0),
        "billingPlan" if parent == Some("paymentPlan") => codes(0, 50120, 0),
        "gatewayType" => codes(50145, 50145, 50145),
        _ => NONE,
    }
}

/// Whether FlexPay has a code for the length of the field at `path` (reference §10.5): the
/// truth `checks::flexpay_checks_length` is held to (it cannot link this table, which the
/// npm validation entry does not carry).
#[cfg(test)]
pub(super) fn has_length_code(path: &str) -> bool {
    let (parent, leaf) = parent_and_leaf(path);
    field_codes(parent, leaf).length.is_some()
}

/// `creditCard` or `gatewayPaymentMethod` of a vault call's `paymentMethod`: one of them is
/// its payment method, as `paymentMethod` or `paymentMethodId` is a charge's.
fn is_vault_payment_method(parent: Option<&str>, leaf: &str) -> bool {
    parent == Some("paymentMethod") && matches!(leaf, "creditCard" | "gatewayPaymentMethod")
}

/// The last two segments of a JSON path, array indexes dropped:
/// `transaction.shippingAddress.city` gives `(Some("shippingAddress"), "city")`.
fn parent_and_leaf(path: &str) -> (Option<&str>, &str) {
    let without_index = |segment: &str| -> usize { segment.find('[').unwrap_or(segment.len()) };
    let (head, leaf) = match path.rsplit_once('.') {
        Some((head, leaf)) => (Some(head), leaf),
        None => (None, path),
    };
    let leaf = leaf.get(..without_index(leaf)).unwrap_or(leaf);
    let parent = head.map(|head| {
        let parent = head.rsplit_once('.').map_or(head, |(_, parent)| parent);
        parent.get(..without_index(parent)).unwrap_or(parent)
    });
    (parent, leaf)
}

/// The response code FlexPay answers a request with this problem: the sandbox uses it to
/// refuse an invalid request exactly as FlexPay would.
///
/// The mapping is by field (the problem's path) and kind of problem: missing fields get the
/// field's "required" code (50103 `merchantTransactionId`, 50045 `currencyCode`, 50059
/// `creditCardNumber`, 50048 when neither `customerId` nor `email` is sent, ...), too long
/// values its "length" code (50104, 50073, 50060, ...), other bad values its "invalid" code
/// (50137 for any amount problem, 50056/50058 for a malformed expiry, 50132 for a broken
/// `referenceData` chain, 50155 for `paymentModel`, 50145 for `gatewayType`, ...). Text that
/// is not JSON at all is 50002 (could not be parsed), a body without its envelope 50003 (no
/// parameters), no payment method or two at once 50135 (a charge's `paymentMethod` or
/// `paymentMethodId`, a vault call's `creditCard` or `gatewayPaymentMethod`), a
/// `merchantTransactionId` an earlier request of a batch sent 50129 (not unique).
///
/// Everything else is the generic 50000: problems FlexPay has no code for (an unknown
/// currency of the right shape, an email that is not an address) and problems a gateway,
/// not FlexPay, would answer (a Luhn failure, an expired card, a wrong CVV length — in
/// production those come back as declines such as 30012 or 30026). Warnings map like errors,
/// but FlexPay accepts a request that has only warnings.
pub fn flexpay_response_code(problem: &Problem) -> ResponseCode {
    let value = match problem.code {
        code::MALFORMED_JSON
        | code::INPUT_TOO_LARGE
        | code::TOO_DEEPLY_NESTED
        | code::DUPLICATE_FIELD
        | code::LONE_SURROGATE => 50002,
        code::MISSING_ENVELOPE => 50003,
        // FlexPay rejects a malformed date at the HTTP level (400), before any response code;
        // "could not be parsed" is the nearest one.
        code::INVALID_TIMESTAMP => 50002,
        code::RETRY_COUNT_WITHOUT_REFERENCE_DATA | code::REFERENCE_DATA_WITHOUT_RETRY => 50132,
        code::DUPLICATE_MERCHANT_TRANSACTION_ID => 50129,
        code::UNKNOWN_FIELD
        | code::DEPRECATED_FIELD
        | code::INVALID_LUHN
        | code::EXPIRED
        | code::INVALID_CVV
        | code::UNKNOWN_CURRENCY
        | code::NOT_UTC => 50000,
        problem_code => {
            let (parent, leaf) = parent_and_leaf(&problem.path);
            if problem_code == code::CONFLICT {
                if matches!(leaf, "paymentMethod" | "paymentMethodId")
                    || is_vault_payment_method(parent, leaf)
                {
                    50135
                } else {
                    50000
                }
            } else {
                let codes = field_codes(parent, leaf);
                match problem_code {
                    code::REQUIRED => codes.required,
                    code::TOO_LONG | code::TOO_SHORT => codes.length,
                    _ => codes.invalid,
                }
                .unwrap_or(50000)
            }
        }
    };
    ResponseCode::new(value).unwrap_or(ResponseCode::VALIDATION_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Severity;

    fn problem(path: &str, code: &'static str) -> Problem {
        Problem {
            path: path.to_owned(),
            code,
            message: String::new(),
            severity: Severity::Error,
        }
    }

    fn answer(path: &str, code: &'static str) -> u32 {
        flexpay_response_code(&problem(path, code)).value()
    }

    #[test]
    fn each_field_and_kind_maps_to_its_documented_code() {
        let cases: &[(&str, &str, u32)] = &[
            ("transaction.merchantTransactionId", code::REQUIRED, 50103),
            ("transaction.merchantTransactionId", code::TOO_LONG, 50104),
            ("transaction.orderId", code::REQUIRED, 50126),
            ("transaction.orderId", code::TOO_LONG, 50127),
            ("transaction.description", code::TOO_LONG, 50124),
            ("transaction.customerId", code::REQUIRED, 50048),
            ("transaction.customerId", code::TOO_LONG, 50014),
            ("transaction.currencyCode", code::REQUIRED, 50045),
            ("transaction.currencyCode", code::INVALID_FORMAT, 50073),
            ("transaction.currencyCode", code::WRONG_TYPE, 50073),
            ("transaction.amount", code::ZERO_AMOUNT, 50137),
            ("transaction.amount", code::NEGATIVE_AMOUNT, 50137),
            ("transaction.amount", code::AMOUNT_OUT_OF_RANGE, 50137),
            ("transaction.amount", code::NOT_MINOR_UNITS, 50137),
            ("transaction.amount", code::WRONG_TYPE, 50137),
            ("transaction.amount", code::REQUIRED, 50137),
            ("transaction.customerIp", code::TOO_LONG, 50037),
            ("transaction.gatewayToken", code::TOO_LONG, 50128),
            ("transaction.referenceData", code::TOO_LONG, 50111),
            ("transaction.referenceData", code::INVALID_FORMAT, 50132),
            (
                "transaction.referenceData",
                code::RETRY_COUNT_WITHOUT_REFERENCE_DATA,
                50132,
            ),
            (
                "transaction.referenceData",
                code::REFERENCE_DATA_WITHOUT_RETRY,
                50132,
            ),
            ("transaction.customVariable1", code::TOO_LONG, 50106),
            ("transaction.customVariable5", code::TOO_LONG, 50110),
            ("transaction.paymentModel", code::INVALID_VALUE, 50155),
            ("transaction.paymentMethodId", code::REQUIRED, 50133),
            ("transaction.paymentMethodId", code::INVALID_FORMAT, 50134),
            ("transaction.paymentMethodId", code::CONFLICT, 50135),
            ("transaction.paymentMethod", code::REQUIRED, 50135),
            ("paymentMethod.creditCard", code::REQUIRED, 50135),
            ("paymentMethod.gatewayPaymentMethod", code::CONFLICT, 50135),
            ("paymentMethod.creditCard", code::WRONG_TYPE, 50136),
            (
                "paymentMethod.gatewayPaymentMethod",
                code::WRONG_TYPE,
                50136,
            ),
            ("transaction.paymentMethod", code::WRONG_TYPE, 50136),
            (
                "transaction.paymentMethod.creditCardNumber",
                code::REQUIRED,
                50059,
            ),
            (
                "transaction.paymentMethod.creditCardNumber",
                code::INVALID_CARD_NUMBER,
                50060,
            ),
            (
                "transaction.paymentMethod.creditCardNumber",
                code::INVALID_FORMAT,
                50060,
            ),
            (
                "transaction.paymentMethod.expiryMonth",
                code::REQUIRED,
                50055,
            ),
            (
                "transaction.paymentMethod.expiryMonth",
                code::INVALID_FORMAT,
                50056,
            ),
            (
                "transaction.paymentMethod.expiryYear",
                code::REQUIRED,
                50057,
            ),
            (
                "transaction.paymentMethod.expiryYear",
                code::INVALID_FORMAT,
                50058,
            ),
            ("transaction.paymentMethod.firstName", code::REQUIRED, 50088),
            ("transaction.paymentMethod.lastName", code::REQUIRED, 50089),
            ("transaction.paymentMethod.fullName", code::REQUIRED, 50090),
            ("transaction.paymentMethod.firstName", code::TOO_LONG, 50091),
            ("transaction.paymentMethod.lastName", code::TOO_LONG, 50092),
            ("transaction.paymentMethod.fullName", code::TOO_LONG, 50028),
            ("transaction.paymentMethod.email", code::TOO_LONG, 50015),
            (
                "transaction.paymentMethod.phoneNumber",
                code::TOO_LONG,
                50020,
            ),
            ("transaction.paymentMethod.address1", code::TOO_LONG, 50100),
            ("transaction.paymentMethod.address2", code::TOO_LONG, 50119),
            (
                "transaction.paymentMethod.postalCode",
                code::REQUIRED,
                50094,
            ),
            (
                "transaction.paymentMethod.postalCode",
                code::TOO_LONG,
                50095,
            ),
            ("transaction.paymentMethod.city", code::REQUIRED, 50097),
            ("transaction.paymentMethod.city", code::TOO_LONG, 50098),
            ("transaction.paymentMethod.state", code::REQUIRED, 50096),
            ("transaction.paymentMethod.state", code::TOO_LONG, 50029),
            (
                "transaction.paymentMethod.country",
                code::INVALID_FORMAT,
                50039,
            ),
            (
                "transaction.shippingAddress.address1",
                code::TOO_LONG,
                50118,
            ),
            (
                "transaction.shippingAddress.address2",
                code::TOO_LONG,
                50117,
            ),
            (
                "transaction.shippingAddress.postalCode",
                code::TOO_LONG,
                50114,
            ),
            ("transaction.shippingAddress.city", code::TOO_LONG, 50116),
            ("transaction.shippingAddress.state", code::TOO_LONG, 50115),
            (
                "transaction.shippingAddress.country",
                code::INVALID_FORMAT,
                50113,
            ),
            ("transaction.paymentPlan.billingPlan", code::TOO_LONG, 50120),
            ("transaction.paymentPlan.category", code::TOO_LONG, 50121),
            ("transaction.paymentPlan.sku", code::TOO_LONG, 50122),
            (
                "transaction.paymentMethod.gatewayPaymentMethodId",
                code::REQUIRED,
                50138,
            ),
            (
                "transaction.paymentMethod.gatewayPaymentMethodId",
                code::TOO_LONG,
                50139,
            ),
            (
                "transaction.paymentMethod.merchantAccountReferenceId",
                code::TOO_LONG,
                50141,
            ),
            (
                "transaction.paymentMethod.firstSixDigits",
                code::INVALID_FORMAT,
                50154,
            ),
            (
                "transaction.paymentMethod.lastFourDigits",
                code::INVALID_FORMAT,
                50153,
            ),
            ("gatewayType", code::REQUIRED, 50145),
            ("gatewayType", code::INVALID_VALUE, 50145),
            // Vault calls: the same fields under another envelope.
            ("paymentMethod.creditCard.cvv", code::INVALID_CVV, 50000),
            (
                "paymentMethod.creditCard.expiryYear",
                code::INVALID_FORMAT,
                50058,
            ),
            ("paymentMethod.creditCard.city", code::REQUIRED, 50097),
            (
                "paymentMethod.gatewayPaymentMethod.lastFourDigits",
                code::INVALID_FORMAT,
                50153,
            ),
            // Whole-input problems.
            ("", code::MALFORMED_JSON, 50002),
            ("", code::INPUT_TOO_LARGE, 50002),
            ("", code::TOO_DEEPLY_NESTED, 50002),
            ("", code::MISSING_ENVELOPE, 50003),
            ("transaction.amount", code::DUPLICATE_FIELD, 50002),
            ("transaction.description", code::LONE_SURROGATE, 50002),
            (
                "transaction.merchantTransactionId",
                code::DUPLICATE_MERCHANT_TRANSACTION_ID,
                50129,
            ),
            (
                "transaction.dateFirstAttempt",
                code::INVALID_TIMESTAMP,
                50002,
            ),
            // Checks FlexPay itself has no code for.
            (
                "transaction.paymentMethod.creditCardNumber",
                code::INVALID_LUHN,
                50000,
            ),
            ("transaction.paymentMethod.expiryYear", code::EXPIRED, 50000),
            ("transaction.currencyCode", code::UNKNOWN_CURRENCY, 50000),
            (
                "transaction.paymentMethod.email",
                code::INVALID_FORMAT,
                50000,
            ),
            (
                "transaction.merchantTransactionID",
                code::UNKNOWN_FIELD,
                50000,
            ),
            (
                "transaction.assignedGatewayToken",
                code::DEPRECATED_FIELD,
                50000,
            ),
            ("transaction.dateFirstAttempt", code::NOT_UTC, 50000),
            (
                "transaction.References.PreviousTransaction.merchantAccountReferenceId",
                code::TOO_LONG,
                50000,
            ),
            (
                "transaction.paymentMethod.gatewayPaymentMethodId",
                code::CONFLICT,
                50000,
            ),
            ("acceptedCurrencyCodes[3]", code::UNKNOWN_CURRENCY, 50000),
            ("acceptedCurrencyCodes[3]", code::INVALID_FORMAT, 50000),
        ];
        for &(path, code, expected) in cases {
            assert_eq!(answer(path, code), expected, "{path} {code}");
        }
    }

    #[test]
    fn every_code_given_is_a_validation_code_about_the_same_field() {
        // The response-code table names a field for most 5xxxx codes; where it does, the
        // mapping must agree with it, or be one of the codes that name two fields.
        let fields = [
            "merchantTransactionId",
            "orderId",
            "description",
            "customerId",
            "email",
            "currencyCode",
            "amount",
            "customerIp",
            "gatewayToken",
            "referenceData",
            "customVariable1",
            "customVariable2",
            "customVariable3",
            "customVariable4",
            "customVariable5",
            "paymentModel",
            "paymentMethodId",
            "paymentMethod",
            "creditCardNumber",
            "expiryMonth",
            "expiryYear",
            "firstName",
            "lastName",
            "fullName",
            "address1",
            "address2",
            "postalCode",
            "city",
            "state",
            "country",
            "phoneNumber",
            "gatewayPaymentMethodId",
            "merchantAccountReferenceId",
            "firstSixDigits",
            "lastFourDigits",
            "gatewayType",
        ];
        let kinds = [
            code::REQUIRED,
            code::TOO_LONG,
            code::INVALID_FORMAT,
            code::INVALID_VALUE,
        ];
        for parent in ["transaction.paymentMethod", "transaction.shippingAddress"] {
            for leaf in fields {
                for kind in kinds {
                    let path = format!("{parent}.{leaf}");
                    let response = flexpay_response_code(&problem(&path, kind));
                    assert_eq!(
                        response.category(),
                        crate::flexpay::response_code::ResponseCategory::ApiValidation
                    );
                    let Some(field) = response.field() else {
                        continue;
                    };
                    let table_leaf = field.rsplit('.').next().unwrap_or(field);
                    let shared = matches!(response.value(), 50048 | 50135 | 50136);
                    assert!(
                        table_leaf == leaf || shared,
                        "{path} {kind} → {response} is about {field}"
                    );
                    if let Some(shipping) = field.strip_prefix("transaction.shippingAddress.") {
                        assert_eq!(parent, "transaction.shippingAddress", "{path} {kind}");
                        assert_eq!(shipping, leaf);
                    }
                }
            }
        }
    }
}
