//! Reading request JSON field by field, collecting every problem with its path instead of
//! stopping at the first one. Every request validator reads through this, whether the input
//! is a caller's JSON text or a typed request serialized back to JSON, so both paths apply
//! exactly the same rules.

use serde_json::{Map, Value};

use super::amount;
use super::ids::FieldError;
use crate::money::Money;
use crate::validation::{code, Validation};

/// Inputs larger than this are refused before parsing: no Flexiti request comes close.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;

/// Parses request text into its top-level object, or records why it cannot.
pub(crate) fn parse_object(text: &str, validation: &mut Validation) -> Option<Map<String, Value>> {
    if text.len() > MAX_INPUT_BYTES {
        validation.error(
            "",
            code::INPUT_TOO_LARGE,
            format!(
                "the request is {} bytes; Flexiti requests are far smaller than the {} byte cap, \
                 so check that the right text was passed",
                text.len(),
                MAX_INPUT_BYTES
            ),
        );
        return None;
    }
    let parsed = serde_json::from_str::<Value>(text);
    let repeated = match &parsed {
        Ok(Value::Object(_)) => repeated_keys(text),
        _ => Vec::new(),
    };
    match parsed {
        // A key given twice: JSON readers disagree on which value counts, so which amount
        // or account the call is for is not clear.
        Ok(Value::Object(_)) if !repeated.is_empty() => {
            for path in repeated {
                validation.error(
                    path,
                    code::DUPLICATE_FIELD,
                    "this key appears more than once in the same object; send it once, as JSON \
                     readers disagree on which of the values counts",
                );
            }
            None
        }
        Ok(Value::Object(map)) => Some(map),
        Ok(_) => {
            validation.error(
                "",
                code::WRONG_TYPE,
                "the request body must be a JSON object ({...})",
            );
            None
        }
        Err(error) if error.to_string().contains("recursion limit") => {
            validation.error(
                "",
                code::TOO_DEEPLY_NESTED,
                "the request nests objects or arrays too deeply; Flexiti requests are at most \
                 three levels deep",
            );
            None
        }
        Err(error) => {
            // In the caller's words, not serde's: where the text stops being JSON.
            let message = if error.is_eof() {
                "the request is not valid JSON: it ends before its last value does; send the \
                 whole text"
                    .to_owned()
            } else {
                let before: usize = text
                    .split_inclusive('\n')
                    .take(error.line().saturating_sub(1))
                    .map(|line| line.chars().count())
                    .sum();
                format!(
                    "the request is not valid JSON: it stops making sense at character {}; fix \
                     the syntax there",
                    before + error.column().max(1)
                )
            };
            validation.error("", code::MALFORMED_JSON, message);
            None
        }
    }
}

/// The paths of the keys that `text`, JSON that serde_json has read, gives twice in one
/// object — the paths `validation::json::parse` reports — found by one pass over its bytes
/// rather than a second serde visitor in every module that reads Flexiti bodies.
fn repeated_keys(text: &str) -> Vec<String> {
    use crate::validation::json::{push_index, push_key};
    /// An open object (the keys read so far) or array (the index of its current item), with
    /// the length of the path up to it.
    enum Open {
        Object(Vec<String>, usize),
        Array(usize, usize),
    }
    let bytes = text.as_bytes();
    let (mut stack, mut path, mut found) = (Vec::new(), String::new(), Vec::new());
    let mut expect_key = false;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                if let (true, Some(Open::Object(keys, base))) = (expect_key, stack.last_mut()) {
                    let raw = text.get(start..=at).unwrap_or_default();
                    let key = if raw.contains('\\') {
                        serde_json::from_str::<String>(raw).unwrap_or_default()
                    } else {
                        raw.trim_matches('"').to_owned()
                    };
                    path.truncate(*base);
                    push_key(&mut path, &key);
                    if keys.contains(&key) {
                        found.push(path.clone());
                    } else {
                        keys.push(key);
                    }
                    expect_key = false;
                }
            }
            b'{' => {
                stack.push(Open::Object(Vec::new(), path.len()));
                expect_key = true;
            }
            b'[' => {
                stack.push(Open::Array(0, path.len()));
                push_index(&mut path, 0);
            }
            b',' => match stack.last_mut() {
                Some(Open::Object(..)) => expect_key = true,
                Some(Open::Array(index, base)) => {
                    *index += 1;
                    path.truncate(*base);
                    push_index(&mut path, *index);
                }
                None => {}
            },
            b'}' | b']' => {
                if let Some(Open::Object(_, base) | Open::Array(_, base)) = stack.pop() {
                    path.truncate(base);
                }
            }
            _ => {}
        }
        at += 1;
    }
    found
}

/// An amount's message with the field it is about named: the amount rules word their
/// messages for a field called `amount` ("amount has more than 2 decimal places", "the
/// amount is 0.00"), so another field (`sku_data.transaction_total`) takes its own path there.
fn named_amount(path: &str, message: String) -> String {
    if path == "amount" {
        return message;
    }
    for prefix in ["the amount ", "amount "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return format!("{path} {rest}");
        }
    }
    message
}

/// One JSON object being read, with the path of the object from the body's root.
pub(crate) struct Input<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
}

/// The largest whole number a JavaScript number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// The digits of a number given for a field that is text or an id: a whole number from 0 to
/// [`MAX_SAFE_INTEGER`]. Anything else is refused at `path` with what is wrong with it —
/// negative, a fraction, or beyond 2^53 − 1, where a number has already lost digits wherever
/// JavaScript read or wrote it (`9876543210987655` is `9876543210987656` there), so it may
/// not be the value meant. The number is quoted by integer arithmetic only (no float
/// formatting is linked), or not at all when it has no short decimal.
fn number_digits(number: &serde_json::Number, path: &str) -> Result<String, String> {
    let float = number.as_f64().unwrap_or(f64::NAN);
    let shown = match (number.as_u64(), number.as_i64()) {
        (Some(whole), _) if whole <= MAX_SAFE_INTEGER => return Ok(whole.to_string()),
        (Some(whole), _) => Some(whole.to_string()),
        (None, Some(whole)) => Some(whole.to_string()),
        _ => super::decimal::short_decimal(float, 6),
    };
    let whole = float >= 0.0 && float.fract() == 0.0;
    if whole && float < 9_007_199_254_740_992.0 {
        // Written with an exponent or a fraction of zero (`1e3`, `5.0`), but whole.
        return Ok((float as u64).to_string());
    }
    let (value, what) = if float < 0.0 {
        ("a negative number", "a negative number")
    } else if !whole {
        ("which has a fraction", "a number with a fraction")
    } else {
        return Err(match shown {
            Some(shown) => format!("{path} is {shown}, {BEYOND_SAFE}"),
            None => format!("{path} is a number {BEYOND_SAFE}"),
        });
    };
    let why = "it takes a whole number from 0 to 9007199254740991, or its digits as a string";
    Err(match shown {
        Some(shown) => format!("{path} is {shown}, {value}; {why}"),
        None => format!("{path} is {what}; {why}"),
    })
}

const BEYOND_SAFE: &str = "above 2^53 - 1 (9007199254740991): numbers that large lose digits \
     in JavaScript, so it may not be the value meant; send it as a string of digits";

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Input<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>, prefix: impl Into<String>) -> Input<'a> {
        Input {
            map,
            prefix: prefix.into(),
        }
    }

    pub(crate) fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// The value of `key`; `null` counts as absent, as Flexiti treats it.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Reports every key not in `known`.
    pub(crate) fn unknown(&self, known: &[&str], validation: &mut Validation) {
        for key in self.map.keys() {
            if !known.contains(&key.as_str()) {
                validation.error(
                    self.path(key),
                    code::UNKNOWN_FIELD,
                    format!(
                        "{key:?} is not a field of this request; remove it or check its \
                         spelling (fields: {})",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn missing(&self, key: &str, required: bool, validation: &mut Validation) {
        if required {
            validation.error(
                self.path(key),
                code::REQUIRED,
                format!("{} is required; add it", self.path(key)),
            );
        }
    }

    fn wrong_type(&self, key: &str, expected: &str, value: &Value, validation: &mut Validation) {
        validation.error(
            self.path(key),
            code::WRONG_TYPE,
            format!(
                "{} must be {expected}, not {}",
                self.path(key),
                type_name(value)
            ),
        );
    }

    /// A field whose text form is checked by `parse`. Strings are taken as they are; whole
    /// numbers from 0 to 2^53 − 1 are taken by their digits (ids typed as numbers on some
    /// pages), and any other number is refused for what it is ([`number_digits`]).
    pub(crate) fn parse<T>(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        let text = self.text_or_digits(key, required, validation)?;
        match parse(&text) {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                self.refuse(key, error, validation);
                None
            }
        }
    }

    /// What [`Input::parse`] parses: a string as it is, a number's digits. Not generic, so
    /// its code is not repeated for every field type.
    #[inline(never)]
    fn text_or_digits(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
    ) -> Option<String> {
        let value = match self.get(key) {
            None => {
                self.missing(key, required, validation);
                return None;
            }
            Some(value) => value,
        };
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => match number_digits(number, &self.path(key)) {
                Ok(digits) => Some(digits),
                Err(message) => {
                    validation.error(self.path(key), code::INVALID_VALUE, message);
                    None
                }
            },
            other => {
                self.wrong_type(key, "a string", other, validation);
                None
            }
        }
    }

    #[inline(never)]
    fn refuse(&self, key: &str, error: FieldError, validation: &mut Validation) {
        validation.error(self.path(key), error.code, error.message);
    }

    /// A string field only (numbers refused).
    pub(crate) fn text<T>(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        match self.get(key) {
            Some(Value::String(_)) | None => self.parse(key, required, validation, parse),
            Some(other) => {
                self.wrong_type(key, "a string", other, validation);
                None
            }
        }
    }

    /// An amount: a decimal string or a JSON number; `check` applies the field's rule.
    pub(crate) fn amount(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
        check: fn(Money) -> Result<(), FieldError>,
    ) -> Option<Money> {
        let value = match self.get(key) {
            None => {
                self.missing(key, required, validation);
                return None;
            }
            Some(value) => value,
        };
        let parsed = match value {
            Value::String(text) => amount::parse_decimal(text),
            // One rule for every JSON number (`amount` module docs).
            Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
                (Some(whole), _, _) => amount::from_whole(i128::from(whole)),
                (None, Some(whole), _) => amount::from_whole(i128::from(whole)),
                (None, None, Some(float)) => amount::from_f64(float),
                _ => amount::from_f64(f64::NAN),
            },
            other => {
                self.wrong_type(
                    key,
                    "an amount (a decimal string such as \"10.50\")",
                    other,
                    validation,
                );
                return None;
            }
        };
        match parsed.and_then(|money| check(money).map(|()| money)) {
            Ok(money) => Some(money),
            Err(error) => {
                let path = self.path(key);
                let message = named_amount(&path, error.message);
                validation.error(path, error.code, message);
                None
            }
        }
    }

    pub(crate) fn boolean(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
    ) -> Option<bool> {
        match self.get(key) {
            None => {
                self.missing(key, required, validation);
                None
            }
            Some(Value::Bool(flag)) => Some(*flag),
            Some(Value::String(text)) if text == "true" || text == "false" => Some(text == "true"),
            Some(other) => {
                self.wrong_type(key, "true or false", other, validation);
                None
            }
        }
    }

    /// An integer in `min..=max`; digit strings are accepted (query strings carry text).
    pub(crate) fn integer(
        &self,
        key: &str,
        required: bool,
        range: (i64, i64),
        validation: &mut Validation,
    ) -> Option<i64> {
        let value = match self.get(key) {
            None => {
                self.missing(key, required, validation);
                return None;
            }
            Some(value) => value,
        };
        let number = match value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) if !text.is_empty() && text.len() <= 18 => text.parse().ok(),
            _ => None,
        };
        match number {
            Some(number) if (range.0..=range.1).contains(&number) => Some(number),
            Some(_) | None if matches!(value, Value::Number(_) | Value::String(_)) => {
                validation.error(
                    self.path(key),
                    code::INVALID_VALUE,
                    format!(
                        "{} must be a whole number from {} to {}",
                        self.path(key),
                        range.0,
                        range.1
                    ),
                );
                None
            }
            _ => {
                self.wrong_type(key, "a whole number", value, validation);
                None
            }
        }
    }

    pub(crate) fn object(
        &self,
        key: &str,
        required: bool,
        validation: &mut Validation,
    ) -> Option<Input<'a>> {
        match self.get(key) {
            None => {
                self.missing(key, required, validation);
                None
            }
            Some(Value::Object(map)) => Some(Input::new(map, self.path(key))),
            Some(other) => {
                self.wrong_type(key, "an object", other, validation);
                None
            }
        }
    }

    pub(crate) fn array(&self, key: &str, validation: &mut Validation) -> Option<&'a Vec<Value>> {
        match self.get(key) {
            None => None,
            Some(Value::Array(items)) => Some(items),
            Some(other) => {
                self.wrong_type(key, "an array", other, validation);
                None
            }
        }
    }

    /// Calls `each` with every element of an array of objects, in order, each with its
    /// `key[i]` path; elements that are not objects are reported in their place.
    pub(crate) fn each_object(
        &self,
        key: &str,
        validation: &mut Validation,
        mut each: impl FnMut(Input<'a>, &mut Validation),
    ) {
        let items = self
            .array(key, validation)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (index, item) in items.iter().enumerate() {
            let path = format!("{}[{index}]", self.path(key));
            match item {
                Value::Object(map) => each(Input::new(map, path), validation),
                other => validation.error(
                    path,
                    code::WRONG_TYPE,
                    format!("each element must be an object, not {}", type_name(other)),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::flexiti::common::RequestBody;
    use crate::flexiti::{
        AccountVerifyBody, AuthorizationBody, CustomerLookupQuery, RefundBody, ReturnBody,
        TransactionBody,
    };
    use crate::validation::{code, Validation};

    /// The problems of `json` at `path`, as `(code, message)`.
    fn at(validation: &Validation, path: &str) -> Vec<(String, String)> {
        validation
            .errors()
            .filter(|p| p.path == path)
            .map(|p| (p.code.to_owned(), p.message.clone()))
            .collect()
    }

    fn lookup(json: &str) -> Validation {
        CustomerLookupQuery::from_json(json).map_or_else(|v| v, |(_, v)| v)
    }

    #[test]
    fn a_key_given_twice_is_refused_at_its_path() {
        // Which amount was meant is not clear: serde_json takes the last, others the first.
        let Err(validation) = AuthorizationBody::from_json(
            r#"{"account_number":"10000000000001","amount":"10.00","amount":"4000.00",
                "auto_capture":false,"financing_option":{"transaction_type":"regular_purchase",
                "transaction_type":"regular_purchase"}}"#,
        ) else {
            panic!("a duplicate key was accepted");
        };
        for path in ["amount", "financing_option.transaction_type"] {
            let problems = at(&validation, path);
            assert_eq!(problems.len(), 1, "{path}: {problems:?}");
            assert_eq!(problems[0].0, code::DUPLICATE_FIELD);
            assert!(problems[0].1.contains("more than once"));
        }
        // Once each, the same body is fine.
        assert!(AuthorizationBody::from_json(
            r#"{"account_number":"10000000000001","amount":"10.00","auto_capture":false,
                "financing_option":{"transaction_type":"regular_purchase"}}"#,
        )
        .is_ok());
    }

    #[test]
    fn repeated_keys_are_found_where_the_json_reader_finds_them() {
        let documents = [
            r#"{"a":1,"b":2}"#,
            r#"{"a":1,"a":2}"#,
            r#"{ "a" : {"b":1, "b" : [1, {"c":1,"c":2}]}, "a": 3 }"#,
            r#"{"a":1,"a":{"b":1,"b":2}}"#,
            r#"{"x":[[{"k":1}],[{"k":1,"k":2}]],"s":"{\"a\":1,\"a\":2}"}"#,
            r#"{"\u0061":1,"a":2,"a b":3,"a b":4,"q\"":1,"q\"":2}"#,
            r#"{"":1,"":2,"e":{},"e":[]}"#,
            r#"{"deep":{"l1":{"l2":{"l3":{"same":1,"same":1}}}},"n":[],"n":null}"#,
        ];
        for text in documents {
            let (_, mut expected) = crate::validation::json::parse(text).unwrap();
            let mut found = super::repeated_keys(text);
            expected.sort();
            found.sort();
            assert_eq!(found, expected, "{text}");
        }
        assert!(super::repeated_keys(r#"{"a":"}","b":"]"}"#).is_empty());
    }

    #[test]
    fn ids_given_as_numbers_beyond_2_53_are_refused_at_their_field() {
        // 9876543210987655 as a JavaScript number is 9876543210987656, written so by
        // JSON.stringify: whichever the core sees, it may not be the card meant.
        for vcc in ["9876543210987655", "9876543210987656", "9007199254740992"] {
            let problems = at(&lookup(&format!(r#"{{"vcc_number":{vcc}}}"#)), "vcc_number");
            assert_eq!(problems.len(), 1, "{vcc}");
            assert_eq!(problems[0].0, code::INVALID_VALUE);
            assert!(
                problems[0]
                    .1
                    .starts_with(&format!("vcc_number is {vcc}, above 2^53 - 1")),
                "{}",
                problems[0].1
            );
            assert!(problems[0].1.contains("send it as a string"));
        }
        // Up to 2^53 - 1 a number is taken by its digits, as before.
        assert!(lookup(r#"{"account_number":10000000000001}"#).is_ok());
        let safe = lookup(r#"{"vcc_number":9007199254740991}"#);
        assert!(at(&safe, "vcc_number")
            .iter()
            .all(|(_, m)| !m.contains("2^53")));
        // Every id and text field that takes numbers, in every request type.
        let purchase = |field: &str| {
            // The account number the purchase is for, unless it is the field tested.
            let account = if field == "account_number" {
                ""
            } else {
                r#""account_number":"10000000000001","#
            };
            format!(
                r#"{{{account}"amount":"1.00","auto_capture":false,
                    "financing_option":{{"transaction_type":"regular_purchase"}},
                    "{field}":9876543210987655}}"#
            )
        };
        for field in ["account_number", "vcc_number", "verification_code"] {
            let Err(validation) = AuthorizationBody::from_json(&purchase(field)) else {
                panic!("{field} accepted");
            };
            assert!(
                at(&validation, field)
                    .iter()
                    .any(|(c, m)| c == code::INVALID_VALUE && m.contains("above 2^53 - 1")),
                "{field}: {validation:?}"
            );
        }
        for field in ["account_number", "vcc_number", "customer_id"] {
            let text = format!(
                r#"{{"transaction_type":"tradein","amount":"1.00","verification_code":"2222",
                    "{field}":9876543210987655}}"#
            );
            let Err(validation) = TransactionBody::from_json(&text) else {
                panic!("{field} accepted");
            };
            assert!(
                at(&validation, field)
                    .iter()
                    .any(|(_, m)| m.contains("above 2^53 - 1")),
                "{field}"
            );
            let validation = lookup(&format!(r#"{{"{field}":9876543210987655}}"#));
            assert!(
                at(&validation, field)
                    .iter()
                    .any(|(_, m)| m.contains("above 2^53 - 1")),
                "{field}"
            );
        }
        let Err(validation) =
            RefundBody::from_json(r#"{"amount":"1.00","vcc_number":9876543210987655}"#)
        else {
            panic!("accepted");
        };
        assert_eq!(at(&validation, "vcc_number").len(), 1);
        // Flexiti's own example request id has 20 digits.
        let Err(validation) = TransactionBody::from_json(
            r#"{"transaction_type":"tradein","amount":"1.00","verification_code":"2222",
                "account_number":"10000000000001","request_id":12345678901234567890,
                "external_location_id":"00-1","external_employee_id":"1-A"}"#,
        ) else {
            panic!("accepted");
        };
        assert!(at(&validation, "request_id")
            .iter()
            .any(|(_, m)| m.contains("above 2^53 - 1")));
        let Err(validation) =
            ReturnBody::from_json(r#"{"full_return":true,"vcc_number":9876543210987655}"#)
        else {
            panic!("accepted");
        };
        assert_eq!(at(&validation, "vcc_number").len(), 1);
        let Err(validation) = AccountVerifyBody::from_json(
            r#"{"format":"sms","request_id":"r-1","vcc_number":9876543210987655}"#,
        ) else {
            panic!("accepted");
        };
        assert_eq!(at(&validation, "vcc_number").len(), 1);
    }

    #[test]
    fn a_number_that_is_no_id_is_refused_for_what_is_wrong_with_it() {
        for (number, words) in [
            (
                "-5",
                "account_number is -5, a negative number; it takes a whole number from 0 to \
                 9007199254740991, or its digits as a string",
            ),
            ("1.5", "account_number is 1.5, which has a fraction"),
            ("-1.5", "account_number is -1.5, a negative number"),
            ("-1.25e-7", "account_number is a negative number; it takes"),
            (
                "0.0000001",
                "account_number is a number with a fraction; it takes",
            ),
            ("1e20", "account_number is a number above 2^53 - 1"),
            // JSON.stringify(1e20) writes every digit.
            (
                "100000000000000000000",
                "account_number is a number above 2^53 - 1",
            ),
            (
                "-9007199254740993",
                "account_number is -9007199254740993, a negative number",
            ),
        ] {
            let problems = at(
                &lookup(&format!(r#"{{"account_number":{number}}}"#)),
                "account_number",
            );
            assert_eq!(problems.len(), 1, "{number}: {problems:?}");
            assert_eq!(problems[0].0, code::INVALID_VALUE);
            assert!(problems[0].1.starts_with(words), "{}", problems[0].1);
            assert!(!problems[0].1.contains("must be a string"), "{number}");
        }
        // Whole numbers written otherwise are whole numbers.
        assert!(lookup(r#"{"account_number":1.0000000000001e13}"#).is_ok());
        // Other types are still named as such.
        let problems = at(&lookup(r#"{"account_number":true}"#), "account_number");
        assert_eq!(problems[0].0, code::WRONG_TYPE);
    }
}
