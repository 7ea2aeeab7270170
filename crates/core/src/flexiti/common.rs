//! Pieces several requests share: `lang`, the in-store identification fields, the merchant
//! `reference`, the verification code, `sku_data`, and the [`RequestBody`] trait that gives
//! every body the same `from_json` / `validate` / `to_json` entry points.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::amount;
use super::fields::{parse_object, Input};
use super::ids::{check_ascii, string_or_number, FieldError, MerchantText};
use crate::money::Money;
use crate::validation::{code, Validation};

/// A request body (or, for GET calls, the query) with validation.
///
/// `from_json` and `validate` run the same checks: `validate` serializes the typed value and
/// reads it back through the JSON reader, so there is one set of rules.
pub trait RequestBody: Serialize + Sized {
    /// Reads a top-level JSON object, recording every problem; `Some` only when there is no
    /// error. Exposed for the npm layer, which already holds parsed JSON.
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self>;

    /// Parses and validates request JSON. `Ok` carries the warnings, `Err` every problem.
    fn from_json(text: &str) -> Result<(Self, Validation), Validation> {
        let mut validation = Validation::new();
        let parsed = parse_object(text, &mut validation)
            .and_then(|map| Self::read_map(&map, &mut validation));
        match parsed {
            Some(body) if validation.is_ok() => Ok((body, validation)),
            _ => Err(validation),
        }
    }

    /// Every problem of a typed value.
    fn validate(&self) -> Validation {
        let mut validation = Validation::new();
        // The value as JSON text read back, not `serde_json::to_value`: the same object (the
        // bodies hold strings, integers and booleans), through the writer and the parser every
        // body already uses rather than a serializer per body type.
        let value = crate::json_writer::to_string(self)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok());
        #[cfg(test)]
        assert_eq!(value, serde_json::to_value(self).ok());
        match value {
            Some(Value::Object(map)) => {
                Self::read_map(&map, &mut validation);
            }
            _ => validation.error(
                "",
                code::WRONG_TYPE,
                "the request could not be written as a JSON object",
            ),
        }
        validation
    }

    /// The JSON the API expects.
    fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail; an empty object is a safe fallback.
        crate::json_writer::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

pub(crate) fn root(map: &Map<String, Value>) -> Input<'_> {
    Input::new(map, "")
}

/// `lang`: the language of option lists and messages in responses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Reads `en` or `fr`. The locale forms Flexiti prints elsewhere (`en-CA`, `fr-CA`, and
    /// the Online API's `En-CA`) are accepted, case-insensitively, by their language part.
    pub fn parse(value: &str) -> Result<Lang, FieldError> {
        let language = value.split(['-', '_']).next().unwrap_or("");
        match language.to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            _ => Err(FieldError::new(
                code::INVALID_VALUE,
                format!("lang {value:?} is not supported; use \"en\" or \"fr\""),
            )),
        }
    }
}

/// `reference`: the merchant's order id, ASCII (40).
pub const REFERENCE_MAX_LEN: usize = 40;

pub(crate) fn read_reference(input: &Input<'_>, validation: &mut Validation) -> Option<String> {
    input.text("reference", false, validation, |value| {
        check_ascii(value, REFERENCE_MAX_LEN, "reference").map(|()| value.to_owned())
    })
}

/// `verification_code`: the PIN from `verify`. Responses carry it as a string or a number;
/// flexkit sends a string of digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct VerificationCode(String);

impl VerificationCode {
    /// flexkit's cap; the documented examples have 4 to 8 digits.
    pub const MAX_LEN: usize = 20;

    pub fn parse(value: &str) -> Result<VerificationCode, FieldError> {
        check_ascii(value, Self::MAX_LEN, "verification_code")?;
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                code::INVALID_FORMAT,
                "verification_code must be the digits of the PIN from the verify call; a text \
                 such as \"verification_sent_to_sms\" means the PIN went to the customer, so \
                 ask them for it",
            ));
        }
        Ok(VerificationCode(value.to_owned()))
    }

    /// For PINs checked earlier (the sandbox's fixed test PIN).
    pub(crate) fn trusted(value: &str) -> VerificationCode {
        VerificationCode(value.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for VerificationCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = string_or_number(deserializer)?;
        VerificationCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The fields that tie an in-store call to a store, an employee and the preceding `verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InStore {
    pub request_id: MerchantText,
    pub external_location_id: MerchantText,
    pub external_employee_id: MerchantText,
}

pub(crate) const IN_STORE_FIELDS: [&str; 3] =
    ["request_id", "external_location_id", "external_employee_id"];

pub(crate) fn merchant_text(
    input: &Input<'_>,
    key: &'static str,
    required: bool,
    validation: &mut Validation,
) -> Option<MerchantText> {
    input.parse(key, required, validation, |value| {
        MerchantText::parse(value, key)
    })
}

/// Reads the in-store fields: all three, or (when `required` is false) none of them. A partial
/// set is an error on each missing one, because Flexiti answers `not_verified` or
/// `external_location_id_not_found` for it only after the call.
pub(crate) fn read_in_store(
    input: &Input<'_>,
    required: bool,
    validation: &mut Validation,
) -> (bool, Option<InStore>) {
    let any = IN_STORE_FIELDS.iter().any(|key| input.has(key));
    if !any && !required {
        return (true, None);
    }
    let request_id = merchant_text(input, "request_id", true, validation);
    let location = merchant_text(input, "external_location_id", true, validation);
    let employee = merchant_text(input, "external_employee_id", true, validation);
    match (request_id, location, employee) {
        (Some(request_id), Some(external_location_id), Some(external_employee_id)) => (
            true,
            Some(InStore {
                request_id,
                external_location_id,
                external_employee_id,
            }),
        ),
        _ => (false, None),
    }
}

/// The store and employee of an in-store back-office call (capture, release, refund), both or
/// neither.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    pub external_location_id: MerchantText,
    pub external_employee_id: MerchantText,
}

pub(crate) const STORE_FIELDS: [&str; 2] = ["external_location_id", "external_employee_id"];

pub(crate) fn read_store(input: &Input<'_>, validation: &mut Validation) -> (bool, Option<Store>) {
    if !STORE_FIELDS.iter().any(|key| input.has(key)) {
        return (true, None);
    }
    let location = merchant_text(input, "external_location_id", true, validation);
    let employee = merchant_text(input, "external_employee_id", true, validation);
    match (location, employee) {
        (Some(external_location_id), Some(external_employee_id)) => (
            true,
            Some(Store {
                external_location_id,
                external_employee_id,
            }),
        ),
        _ => (false, None),
    }
}

/// `sku_data`: merchant line items shown on the customer's statement. Flexiti does not check
/// them; flexkit checks types and lengths and warns when the numbers do not add up.
/// Amounts may be negative (return examples send negative totals).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuData {
    /// ASCII (10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register_id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "amount::option"
    )]
    pub transaction_discount_total: Option<Money>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "amount::option"
    )]
    pub transaction_subtotal: Option<Money>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "amount::option"
    )]
    pub transaction_total: Option<Money>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "amount::option"
    )]
    pub gst_hst: Option<Money>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "amount::option"
    )]
    pub pst: Option<Money>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "amount::option"
    )]
    pub shipping_total: Option<Money>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<SkuProduct>,
}

/// One line of `sku_data.products`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuProduct {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "amount::option"
    )]
    pub unit_price: Option<Money>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "amount::option"
    )]
    pub extended_price: Option<Money>,
}

/// `sku_data.purchase_order` limit (documented).
pub const PURCHASE_ORDER_MAX_LEN: usize = 10;
/// flexkit's limits for the undocumented `sku_data` text fields.
pub const SKU_TEXT_MAX_LEN: usize = 50;
pub const SKU_DESCRIPTION_MAX_LEN: usize = 250;

fn text_field(
    input: &Input<'_>,
    key: &str,
    max: usize,
    validation: &mut Validation,
) -> Option<String> {
    input.text(key, false, validation, |value| {
        check_ascii(value, max, key).map(|()| value.to_owned())
    })
}

const SKU_FIELDS: [&str; 9] = [
    "purchase_order",
    "register_id",
    "transaction_discount_total",
    "transaction_subtotal",
    "transaction_total",
    "gst_hst",
    "pst",
    "shipping_total",
    "products",
];
const PRODUCT_FIELDS: [&str; 6] = [
    "sku_id",
    "category",
    "description",
    "quantity",
    "unit_price",
    "extended_price",
];

pub(crate) fn read_sku_data(input: &Input<'_>, validation: &mut Validation) -> Option<SkuData> {
    let before = validation.errors().count();
    let amount = |input: &Input<'_>, key: &str, validation: &mut Validation| {
        input.amount(key, false, validation, amount::check_range)
    };
    input.unknown(&SKU_FIELDS, validation);
    let mut data = SkuData {
        purchase_order: text_field(input, "purchase_order", PURCHASE_ORDER_MAX_LEN, validation),
        register_id: input.parse("register_id", false, validation, |value| {
            check_ascii(value, SKU_TEXT_MAX_LEN, "register_id").map(|()| value.to_owned())
        }),
        transaction_discount_total: amount(input, "transaction_discount_total", validation),
        transaction_subtotal: amount(input, "transaction_subtotal", validation),
        transaction_total: amount(input, "transaction_total", validation),
        gst_hst: amount(input, "gst_hst", validation),
        pst: amount(input, "pst", validation),
        shipping_total: amount(input, "shipping_total", validation),
        products: Vec::new(),
    };
    let mut products = Vec::new();
    input.each_object("products", validation, |product, validation| {
        product.unknown(&PRODUCT_FIELDS, validation);
        let line = SkuProduct {
            sku_id: product.parse("sku_id", false, validation, |value| {
                check_ascii(value, SKU_TEXT_MAX_LEN, "sku_id").map(|()| value.to_owned())
            }),
            category: text_field(&product, "category", SKU_TEXT_MAX_LEN, validation),
            description: text_field(&product, "description", SKU_DESCRIPTION_MAX_LEN, validation),
            quantity: product.integer("quantity", false, (-1_000_000, 1_000_000), validation),
            unit_price: amount(&product, "unit_price", validation),
            extended_price: amount(&product, "extended_price", validation),
        };
        if let (Some(quantity), Some(unit), Some(extended)) =
            (line.quantity, line.unit_price, line.extended_price)
        {
            if unit.checked_mul(quantity).ok() != Some(extended) {
                validation.warn(
                    product.path("extended_price"),
                    code::INVALID_VALUE,
                    format!(
                        "extended_price {} is not quantity {quantity} × unit_price {}; the \
                         customer's statement will show the numbers as sent",
                        extended.format(),
                        unit.format()
                    ),
                );
            }
        }
        products.push(line);
    });
    data.products = products;
    (validation.errors().count() == before).then_some(data)
}

/// `sku_data` on its own, for callers that build the line items apart from the request they
/// go into (the npm package's `validateSkuData`). Paths are relative to `sku_data`.
impl RequestBody for SkuData {
    fn read_map(map: &Map<String, Value>, validation: &mut Validation) -> Option<Self> {
        read_sku_data(&root(map), validation)
    }
}

/// A GET request whose fields travel in the query string.
pub trait QueryRequest: RequestBody {
    /// The query pairs, in field order, `lang` included when set.
    fn to_query(&self) -> Vec<(String, String)> {
        query_pairs(self)
    }

    /// Reads a query string (without the `?`), with the same rules as `from_json`.
    fn from_query(query: &str) -> Result<(Self, Validation), Validation> {
        let mut validation = Validation::new();
        let parsed =
            query_map(query, &mut validation).and_then(|map| Self::read_map(&map, &mut validation));
        finish(parsed, validation)
    }
}

/// `Ok` with the warnings when a value was read and no error recorded, else every problem.
pub(crate) fn finish<T>(
    parsed: Option<T>,
    validation: Validation,
) -> Result<(T, Validation), Validation> {
    match parsed {
        Some(value) if validation.is_ok() => Ok((value, validation)),
        _ => Err(validation),
    }
}

/// Reads a query string into an object of string values, so query and JSON input go through
/// the same field readers. A name given twice is a conflict: servers disagree on which wins.
pub(crate) fn query_map(query: &str, validation: &mut Validation) -> Option<Map<String, Value>> {
    let pairs = match super::form::decode(query) {
        Ok(pairs) => pairs,
        Err(error) => {
            validation.error("", error.code(), error.to_string());
            return None;
        }
    };
    let mut map = Map::new();
    for (name, value) in pairs {
        if map.contains_key(&name) {
            validation.error(
                name.as_str(),
                code::CONFLICT,
                format!("{name} appears more than once in the query; send it once"),
            );
        }
        map.insert(name, Value::String(value));
    }
    Some(map)
}

/// The text form of a request's fields, in field order, for a query string.
pub(crate) fn query_pairs<T: Serialize>(request: &T) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if let Ok(Value::Object(map)) = serde_json::to_value(request) {
        for (name, value) in map {
            let text = match value {
                Value::String(text) => text,
                Value::Null => continue,
                other => other.to_string(),
            };
            pairs.push((name, text));
        }
    }
    pairs
}

pub(crate) fn read_lang(input: &Input<'_>, validation: &mut Validation) -> Option<Lang> {
    input.text("lang", false, validation, Lang::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sku_data_validates_on_its_own_with_paths_from_its_root() {
        let problems = SkuData::from_json(
            r#"{"purchase_order":"PO-123456789","gst_hst":"1.005","products":[{"quantity":1.5},3],"x":1}"#,
        )
        .unwrap_err()
        .into_problems();
        let found: Vec<(&str, &str)> = problems.iter().map(|p| (p.path.as_str(), p.code)).collect();
        assert_eq!(
            found,
            vec![
                ("x", code::UNKNOWN_FIELD),
                ("purchase_order", code::TOO_LONG),
                ("gst_hst", code::NOT_MINOR_UNITS),
                ("products[0].quantity", code::INVALID_VALUE),
                ("products[1]", code::WRONG_TYPE),
            ]
        );
        let (data, warnings) = SkuData::from_json(
            r#"{"transaction_total":"10.00","products":[{"quantity":2,"unit_price":"5.00","extended_price":"9.00"}]}"#,
        )
        .unwrap();
        assert_eq!(data.transaction_total, Some(amount::cad(1000)));
        assert_eq!(warnings.warnings().count(), 1);
        assert_eq!(data.validate(), warnings);
    }

    #[test]
    fn an_amount_problem_names_its_own_field() {
        let problems = super::super::purchase::AuthorizationBody::from_json(
            r#"{"account_number":"10000000000001","amount":"10.001","auto_capture":true,
            "financing_option":{"transaction_type":"regular_purchase"},
            "sku_data":{"transaction_total":"10.001","products":[{"unit_price":1.005}]}}"#,
        )
        .unwrap_err()
        .into_problems();
        let messages: Vec<(&str, &str)> = problems
            .iter()
            .filter(|p| p.code == code::NOT_MINOR_UNITS)
            .map(|p| (p.path.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 3, "{problems:?}");
        for (path, message) in messages {
            assert!(
                message.starts_with(&format!("{path} has more than 2 decimal places")),
                "{path}: {message}"
            );
        }
    }
}
