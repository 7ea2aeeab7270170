//! JSON text in, [`Validation`] out: the front end shared by every request validator.
//!
//! A request arriving as text (from the npm package, the portal's editor, the sandbox) goes
//! through these steps, and every step adds to one list of problems instead of stopping:
//!
//! 1. Caps, checked before any parsing: at most [`MAX_INPUT_BYTES`] bytes and
//!    [`MAX_DEPTH`] levels of nesting. The nesting check is a byte scan that skips string
//!    contents, so `"[[["` inside a string does not count and a depth bomb costs one pass.
//! 2. Parsing, with line and column on failure, and every repeated key reported (the last
//!    value is kept, as most JSON readers do, but the body is not shaped right).
//! 3. The envelope (`{"transaction": {...}}`): a body without it is reported and then checked
//!    as if it had been wrapped, so the other problems still show, at their correct paths.
//! 4. A walk of the parsed value against a [`Schema`]: every wrong JSON type, every unknown
//!    field (with a "did you mean" for near misses), deprecated aliases, missing required
//!    fields. Fields with problems are replaced by neutral placeholders, so that step 5 can
//!    always build the typed request.
//! 5. The typed request is built and its own validator runs; its problems are merged in,
//!    except those at a path (or under a path) that already has a problem, so one mistake is
//!    reported once.
//!
//! The typed request is returned only when the text had its shape: no JSON-level error. It
//! is returned even when the typed validator finds errors in the values, so a caller can show
//! the request next to what is wrong with it.

use core::fmt::Write as _;
use std::collections::{HashMap, HashSet};

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Number, Value};

use super::{code, Problem, Severity, Validation};
use crate::money::{Currency, Money};

/// Largest input accepted, in bytes. Real FlexPay bodies are a few kilobytes; anything near
/// this is a mistake or an attack, and is refused before parsing.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;

/// Deepest nesting accepted (the root object is level 1). FlexPay bodies nest four levels at
/// most (`transaction.References.PreviousTransaction`); free-form objects such as gateway
/// `settings` get the rest.
pub const MAX_DEPTH: usize = 32;

/// The largest integer a JavaScript number holds exactly (2^53 − 1). Amounts cross into
/// JavaScript as plain numbers, so anything larger would silently change value there.
pub const JS_MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// What [`validate_json`] returns: the typed request when the text had its shape, and every
/// problem found on the way.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JsonValidation<T> {
    /// The request, when the text had no JSON-level error (wrong types, unknown near-miss
    /// fields, duplicate keys, a missing envelope, ...). Present even when `validation` holds
    /// errors about the values themselves, such as an expired card.
    pub request: Option<T>,
    /// Every problem, JSON-level and typed, at most one per path.
    pub validation: Validation,
}

impl<T> JsonValidation<T> {
    /// The request had its shape and no error at all (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.request.is_some() && self.validation.is_ok()
    }
}

/// The JSON type a field expects, with the domain knowledge needed to say how to fix a wrong
/// value.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A string.
    Text,
    /// A string of digits; `width` > 0 is the zero-padded width (`"07"`), used to say how a
    /// number given instead should be written.
    Digits { width: u8 },
    /// Like `Digits`, for card numbers and CVVs: messages never repeat the value, since
    /// they end up in logs.
    SecretDigits,
    /// `true` or `false`.
    Bool,
    /// An integer amount in minor units. `currency_field` names the sibling field holding the
    /// currency code, so messages can convert a decimal amount for the right currency.
    MinorUnits {
        currency_field: Option<&'static str>,
    },
    /// A whole number from 0 to `max` (the bound of the field's type); a negative value is
    /// reported with `negative`. `takes` words what the field means in every message that
    /// refuses a value of it (`count must be {takes}, not 1.5.`), so no message quotes the
    /// type's bound; a narrower rule of the field is its validator's, in the same words.
    Count {
        max: u64,
        negative: &'static str,
        takes: &'static str,
    },
    /// Any JSON number.
    Number,
    /// One of these strings, exactly.
    Enum(&'static [&'static str]),
    /// An object with a known schema.
    Object(&'static Schema),
    /// An object whose schema depends on which key it has.
    Choice(&'static Choice),
    /// An array of strings.
    TextList,
    /// An object with any content.
    AnyObject,
    /// A deprecated name of the named field of the same object: accepted, warned about, and
    /// read as that field.
    Alias(&'static str),
}

/// One field of a [`Schema`].
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The JSON key, exactly.
    pub name: &'static str,
    pub kind: Kind,
    /// Absent or `null` is an error.
    pub required: bool,
}

impl Field {
    pub const fn required(name: &'static str, kind: Kind) -> Field {
        Field {
            name,
            kind,
            required: true,
        }
    }

    pub const fn optional(name: &'static str, kind: Kind) -> Field {
        Field {
            name,
            kind,
            required: false,
        }
    }

    /// `name` is a deprecated spelling of `replacement`.
    pub const fn alias(name: &'static str, replacement: &'static str) -> Field {
        Field {
            name,
            kind: Kind::Alias(replacement),
            required: false,
        }
    }
}

/// The fields of one JSON object.
#[derive(Debug)]
pub struct Schema {
    pub fields: &'static [Field],
    /// Groups of fields of which exactly one must be present and not `null`, such as a
    /// charge's `paymentMethod` and `paymentMethodId`. When none is, the first is required.
    pub exactly_one_of: &'static [&'static [&'static str]],
}

impl Schema {
    pub(crate) fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// An object that comes in variants told apart by a key, like a charge's `paymentMethod`
/// (raw card with `creditCardNumber`, or gateway payment method with
/// `gatewayPaymentMethodId`).
#[derive(Debug)]
pub struct Choice {
    /// The discriminating key of each variant and its schema; the first variant whose key is
    /// present (and not `null`) wins.
    pub variants: &'static [(&'static str, &'static Schema)],
    /// The schema used when no discriminating key is present.
    pub fallback: &'static Schema,
}

/// A request body: an optional envelope key around an object.
#[derive(Debug)]
pub struct Document {
    /// The key the body must be wrapped in (`"transaction"`), if any.
    pub envelope: Option<&'static str>,
    pub schema: &'static Schema,
}

/// Validates `text` as the body `document` describes, builds the typed request `T` from it
/// and runs `check` on it, merging every problem found (see the module docs). Never panics,
/// whatever the text.
pub fn validate_json<T, F>(text: &str, document: &Document, check: F) -> JsonValidation<T>
where
    T: DeserializeOwned,
    F: FnOnce(&T) -> Validation,
{
    let read = read_json(text, document, check);
    JsonValidation {
        request: read.request.filter(|_| read.shaped),
        validation: read.validation,
    }
}

/// What [`read_json`] found: the request even when the text did not have its shape.
pub(crate) struct Read<T> {
    /// The request built from the text, its missing or unusable values replaced by neutral
    /// placeholders (`""`, `0`, `false`, the first variant); `None` only when no request
    /// could be built at all (not JSON, not an object, over the size or depth caps).
    pub request: Option<T>,
    /// The text had the request's shape (no JSON-level error): `request` holds exactly what
    /// was sent.
    pub shaped: bool,
    /// Every problem, as [`validate_json`] reports them.
    pub validation: Validation,
}

/// [`validate_json`], keeping the request built with placeholders when the text did not have
/// its shape: the sandbox answers such a body as FlexPay does, with a refusal that echoes
/// what could be read.
pub(crate) fn read_json<T, F>(text: &str, document: &Document, check: F) -> Read<T>
where
    T: DeserializeOwned,
    F: FnOnce(&T) -> Validation,
{
    if text.len() > MAX_INPUT_BYTES {
        let mut validation = Validation::new();
        validation.error(
            "",
            code::INPUT_TOO_LARGE,
            format!(
                "The input is {} bytes; at most {MAX_INPUT_BYTES} bytes are accepted. A \
                 request body is a few kilobytes: check that the right text was sent.",
                text.len()
            ),
        );
        return Read::refused(validation);
    }
    if let Some(offset) = first_excess_nesting(text) {
        let (line, column) = line_and_column(text, offset);
        let mut validation = Validation::new();
        validation.error(
            "",
            code::TOO_DEEPLY_NESTED,
            format!(
                "The input nests more than {MAX_DEPTH} levels of arrays and objects (line \
                 {line}, column {column}); request bodies need only a few levels."
            ),
        );
        return Read::refused(validation);
    }
    let (root, duplicates) = match parse(text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let mut validation = Validation::new();
            validation.error("", code::MALFORMED_JSON, malformed_message(&error));
            return Read::refused(validation);
        }
    };

    let mut walker = Walker::default();
    for path in duplicates {
        walker.report(
            path,
            code::DUPLICATE_FIELD,
            "This key appears more than once in the same object; send it once. JSON readers \
             disagree on which of the values counts."
                .to_owned(),
            Severity::Error,
        );
    }
    let Value::Object(root) = root else {
        walker.report(
            String::new(),
            code::WRONG_TYPE,
            format!(
                "The body must be a JSON object, not {}{}.",
                describe(&root),
                match document.envelope {
                    Some(envelope) => format!(": send {{\"{envelope}\": {{...}}}}"),
                    None => String::new(),
                }
            ),
            Severity::Error,
        );
        return Read::refused(walker.found);
    };
    let Some(inner) = walker.unwrap_envelope(root, document) else {
        return Read::refused(walker.found);
    };
    let cleaned = walker.object(inner, document.schema);

    let mut found = walker.found;
    let request = match serde_json::from_value::<T>(Value::Object(cleaned)) {
        Ok(request) => request,
        Err(_) => {
            // Placeholders make this unreachable for the schemas in this crate (a property
            // test holds it to that); if a schema and its type ever drift apart, say so
            // instead of returning nothing without an error. serde's own text is left out:
            // it can quote values, card numbers included.
            found.error(
                document.envelope.unwrap_or(""),
                code::INVALID_VALUE,
                format!(
                    "{BUILD_FAILURE}: flexkit's description of this request does not match \
                     its type. This is a flexkit bug; please report it with the shape of the \
                     request, without its values."
                ),
            );
            return Read::refused(found);
        }
    };
    let shaped = found.is_ok();
    let typed = check(&request);
    merge(&mut found, typed);
    Read {
        request: Some(request),
        shaped,
        validation: found,
    }
}

impl<T> Read<T> {
    fn refused(validation: Validation) -> Self {
        Read {
            request: None,
            shaped: false,
            validation,
        }
    }
}

/// Start of the message reported when a typed request cannot be built from a cleaned value.
pub(crate) const BUILD_FAILURE: &str = "The request could not be read";

/// Adds the typed validator's problems, except where the JSON level already reported one at
/// the same path or reported an error on an enclosing object (whose placeholder the typed
/// validator would otherwise complain about). Hash lookups keep this linear: a body at the
/// size cap can hold tens of thousands of problems.
pub(crate) fn merge(found: &mut Validation, typed: Validation) {
    let mut taken = Lookup::default();
    let mut enclosing_errors = Lookup::default();
    for (index, problem) in found.problems.iter().enumerate() {
        let path_of = |i: usize| found.problems[i].path.as_str();
        taken.get_or_insert(&problem.path, index, path_of);
        if problem.severity == Severity::Error && !problem.path.is_empty() {
            enclosing_errors.get_or_insert(&problem.path, index, path_of);
        }
    }
    for problem in typed.into_problems() {
        let path_of = |i: usize| found.problems[i].path.as_str();
        let covered = taken.get(&problem.path, path_of).is_some()
            || enclosing_paths(&problem.path)
                .any(|outer| enclosing_errors.get(outer, path_of).is_some());
        if !covered {
            found.problems.push(problem);
        }
    }
}

/// A hash index over strings held elsewhere: it stores positions in the caller's list and
/// reads their keys back through `key_of`, so no key is copied. Open addressing with linear
/// probing and FNV-1a: a few hundred bytes of WebAssembly instead of a `HashMap`.
#[derive(Default)]
pub(crate) struct Lookup {
    /// Position + 1 of the key in each slot; 0 for an empty slot. The length is 0 or a power
    /// of two, at least twice the number of keys.
    slots: Vec<u32>,
    len: usize,
}

fn fnv1a(key: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for &byte in key.as_bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash as usize
}

impl Lookup {
    pub(crate) const fn new() -> Self {
        Lookup {
            slots: Vec::new(),
            len: 0,
        }
    }

    /// The position stored for `key`.
    #[inline]
    pub(crate) fn get<'k>(&self, key: &str, key_of: impl Fn(usize) -> &'k str) -> Option<usize> {
        self.find(key, &key_of)
    }

    /// The position stored for `key`; when there is none, stores `index` for it and returns
    /// `None`. `key_of(index)` must be `key`.
    #[inline]
    pub(crate) fn get_or_insert<'k>(
        &mut self,
        key: &str,
        index: usize,
        key_of: impl Fn(usize) -> &'k str,
    ) -> Option<usize> {
        self.find_or_insert(key, index, &key_of)
    }

    // The work is done by these two, which read the keys through a `dyn` reference: one copy
    // of the code for every caller, where a generic body would be copied into each.

    fn find<'k>(&self, key: &str, key_of: &dyn Fn(usize) -> &'k str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = fnv1a(key) & mask;
        loop {
            match self.slots[at] {
                0 => return None,
                slot => {
                    let index = slot as usize - 1;
                    if key_of(index) == key {
                        return Some(index);
                    }
                }
            }
            at = (at + 1) & mask;
        }
    }

    fn find_or_insert<'k>(
        &mut self,
        key: &str,
        index: usize,
        key_of: &dyn Fn(usize) -> &'k str,
    ) -> Option<usize> {
        if let Some(found) = self.find(key, key_of) {
            return Some(found);
        }
        if (self.len + 1) * 2 > self.slots.len() {
            let old = core::mem::take(&mut self.slots);
            self.slots = vec![0; (old.len() * 2).max(16)];
            for slot in old.into_iter().filter(|&s| s != 0) {
                self.place(key_of(slot as usize - 1), slot);
            }
        }
        self.place(key, index as u32 + 1);
        self.len += 1;
        None
    }

    fn place(&mut self, key: &str, slot: u32) {
        let mask = self.slots.len() - 1;
        let mut at = fnv1a(key) & mask;
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = slot;
    }
}

/// The paths of the objects and arrays around `path`: `a.b[2].c` gives `a`, `a.b`, `a.b[2]`.
fn enclosing_paths(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices()
        .filter(|&(at, c)| at > 0 && (c == '.' || c == '['))
        .filter_map(move |(at, _)| path.get(..at))
}

/// Byte offset of the first bracket that opens level [`MAX_DEPTH`] + 1, if any. Brackets
/// inside strings do not count; malformed text is left to the parser.
pub(crate) fn first_excess_nesting(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in text.as_bytes().iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn malformed_message(error: &serde_json::Error) -> String {
    let full = error.to_string();
    // serde_json appends the position; it is given separately, in words.
    let what = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(what, _)| what);
    let hint = if what.contains("number out of range") {
        " Numbers must fit a 64-bit float; amounts are integers of at most \
         9007199254740991 minor units."
    } else if what.contains("escape") || what.contains("surrogate") {
        " Check the backslash escapes there: a \\uD800-\\uDFFF escape must be followed by \
         the other half of its surrogate pair, and only \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \
         \\uXXXX are allowed."
    } else if what.contains("EOF") {
        " The text ends too early: check for a missing closing bracket or quote."
    } else {
        " Check for a missing comma, quote or bracket near there."
    };
    format!(
        "The text is not valid JSON: {what} at line {}, column {}.{hint}",
        error.line(),
        error.column()
    )
}

/// Parses JSON like `serde_json::from_str::<Value>`, also returning the path of every key
/// that repeats one earlier in the same object.
pub(crate) fn parse(text: &str) -> Result<(Value, Vec<String>), serde_json::Error> {
    let mut path = String::new();
    let mut duplicates = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = ValueSeed {
        path: &mut path,
        duplicates: &mut duplicates,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok((value, duplicates))
}

struct ValueSeed<'a> {
    path: &'a mut String,
    duplicates: &'a mut Vec<String>,
}

impl ValueSeed<'_> {
    fn nested(&mut self) -> ValueSeed<'_> {
        ValueSeed {
            path: self.path,
            duplicates: self.duplicates,
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        let base = self.path.len();
        loop {
            push_index(self.path, items.len());
            let item = seq.next_element_seed(self.nested())?;
            self.path.truncate(base);
            match item {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let base = self.path.len();
        while let Some(key) = map.next_key::<String>()? {
            push_key(self.path, &key);
            let value = map.next_value_seed(self.nested())?;
            if object.contains_key(&key) {
                self.duplicates.push(self.path.clone());
            }
            self.path.truncate(base);
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Appends `.key` to a JSON path, or `["key"]` when the key is not a plain identifier (so a
/// key with a dot or a space cannot be mistaken for two levels).
pub(crate) fn push_key(path: &mut String, key: &str) {
    let plain = key
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'$')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        push_json_string(path, key);
        path.push(']');
    }
}

/// Appends `text` as a JSON string literal, escaped exactly as `serde_json` writes it (kept by
/// hand so the npm module does not carry a JSON serializer for the rare odd key).
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) fn push_index(path: &mut String, index: usize) {
    let _ = write!(path, "[{index}]");
}

/// The JSON path of `key` inside the object at `path`.
pub fn child_path(path: &str, key: &str) -> String {
    let mut child = String::with_capacity(path.len() + key.len() + 1);
    child.push_str(path);
    push_key(&mut child, key);
    child
}

/// What kind of JSON value `value` is, in words (`a string`).
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Enum(_) | Kind::Alias(_) => "a string",
        Kind::Digits { .. } | Kind::SecretDigits => "a string of digits",
        Kind::Bool => "true or false",
        Kind::MinorUnits { .. } => "an integer amount in minor units",
        Kind::Count { .. } => "a whole number",
        Kind::Number => "a number",
        Kind::Object(_) | Kind::Choice(_) | Kind::AnyObject => "an object",
        Kind::TextList => "an array of strings",
    }
}

/// A neutral stand-in for a missing or unusable value, of the type the field needs, so the
/// typed request can still be built and checked. Its own problems are never reported: the
/// path already has one.
fn placeholder(kind: Kind) -> Value {
    match kind {
        Kind::Text | Kind::Digits { .. } | Kind::SecretDigits | Kind::Alias(_) => {
            Value::String(String::new())
        }
        Kind::Bool => Value::Bool(false),
        Kind::MinorUnits { .. } | Kind::Count { .. } | Kind::Number => Value::from(0u8),
        Kind::Enum(values) => values
            .first()
            .map_or(Value::Null, |v| Value::String((*v).to_owned())),
        Kind::Object(schema) => Value::Object(placeholder_object(schema)),
        Kind::Choice(choice) => Value::Object(placeholder_object(choice.fallback)),
        Kind::TextList => Value::Array(Vec::new()),
        Kind::AnyObject => Value::Object(Map::new()),
    }
}

fn placeholder_object(schema: &Schema) -> Map<String, Value> {
    let mut object = Map::new();
    for field in schema.fields.iter().filter(|f| f.required) {
        object.insert(field.name.to_owned(), placeholder(field.kind));
    }
    for group in schema.exactly_one_of {
        if let Some(field) = group.first().and_then(|name| schema.field(name)) {
            object.insert(field.name.to_owned(), placeholder(field.kind));
        }
    }
    object
}

fn is_present(object: &Map<String, Value>, key: &str) -> bool {
    object.get(key).is_some_and(|v| !v.is_null())
}

#[derive(Default)]
struct Walker {
    found: Validation,
    path: String,
    /// Position in `found` of the problem at each path.
    at_path: HashMap<String, usize>,
}

impl Walker {
    /// Records a problem, keeping one per path: a later error replaces an earlier warning,
    /// anything else at a path that already has a problem is dropped.
    fn report(&mut self, path: String, code: &'static str, message: String, severity: Severity) {
        let problem = Problem {
            path,
            code,
            message,
            severity,
        };
        match self.at_path.get(&problem.path) {
            Some(&index) => {
                if let Some(existing) = self.found.problems.get_mut(index) {
                    if existing.severity == Severity::Warning && severity == Severity::Error {
                        *existing = problem;
                    }
                }
            }
            None => {
                self.at_path
                    .insert(problem.path.clone(), self.found.problems.len());
                self.found.problems.push(problem);
            }
        }
    }

    fn error_here(&mut self, code: &'static str, message: String) {
        self.report(self.path.clone(), code, message, Severity::Error);
    }

    fn warn_here(&mut self, code: &'static str, message: String) {
        self.report(self.path.clone(), code, message, Severity::Warning);
    }

    /// Opens the envelope, or reports that it is missing and hands back the root to be
    /// checked as if it had been wrapped. `None` when there is nothing to check.
    fn unwrap_envelope(
        &mut self,
        mut root: Map<String, Value>,
        document: &Document,
    ) -> Option<Map<String, Value>> {
        let Some(envelope) = document.envelope else {
            return Some(root);
        };
        let key = match root.get(envelope) {
            Some(_) => envelope.to_owned(),
            None => {
                // A misspelt envelope holding an object is read as the envelope.
                let misspelt = root
                    .iter()
                    .find(|(key, value)| {
                        value.is_object() && suggest(key, &[envelope]) == Some(envelope)
                    })
                    .map(|(key, _)| key.clone());
                match misspelt {
                    Some(key) => key,
                    None => {
                        self.report(
                            String::new(),
                            code::MISSING_ENVELOPE,
                            format!(
                                "The fields must be wrapped in an envelope: send \
                                 {{\"{envelope}\": {{...}}}} with the fields inside it. They \
                                 are checked below as if they were."
                            ),
                            Severity::Error,
                        );
                        self.path.push_str(envelope);
                        return Some(root);
                    }
                }
            }
        };
        let inner = root.remove(&key).unwrap_or(Value::Null);
        for other in root.keys() {
            let path = child_path("", other);
            self.report(
                path,
                code::UNKNOWN_FIELD,
                format!(
                    "Only \"{envelope}\" belongs at the top level of this body; move \
                     \"{other}\" inside it or remove it."
                ),
                Severity::Warning,
            );
        }
        push_key(&mut self.path, &key);
        if key != envelope {
            self.error_here(
                code::UNKNOWN_FIELD,
                format!("Unknown envelope \"{key}\": did you mean \"{envelope}\"?"),
            );
            // Paths below read as if the envelope had been spelt right.
            self.path.clear();
            self.path.push_str(envelope);
        }
        match inner {
            Value::Object(inner) => Some(inner),
            Value::Null => {
                self.error_here(
                    code::REQUIRED,
                    format!("\"{envelope}\" is null; it must hold the request's fields."),
                );
                None
            }
            other => {
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{envelope}\" must be an object holding the request's fields, not {}.",
                        describe(&other)
                    ),
                );
                None
            }
        }
    }

    /// Checks an object against its schema and returns it cleaned: unknown keys removed,
    /// aliases renamed, unusable values replaced by placeholders.
    fn object(&mut self, mut object: Map<String, Value>, schema: &Schema) -> Map<String, Value> {
        let base = self.path.len();
        for group in schema.exactly_one_of {
            let present: Vec<&'static str> = group
                .iter()
                .copied()
                .filter(|name| is_present(&object, name))
                .collect();
            match present.as_slice() {
                [] => {
                    if let Some(first) = group.first() {
                        push_key(&mut self.path, first);
                        let alternatives = group.join("\" or \"");
                        self.error_here(
                            code::REQUIRED,
                            format!("Add \"{alternatives}\": one of them is required."),
                        );
                        self.path.truncate(base);
                    }
                }
                [_] => {}
                [kept, others @ ..] => {
                    for other in others {
                        push_key(&mut self.path, other);
                        self.error_here(
                            code::CONFLICT,
                            format!(
                                "Send either \"{kept}\" or \"{other}\", not both; they describe \
                                 the same thing in two ways."
                            ),
                        );
                        self.path.truncate(base);
                        object.remove(*other);
                    }
                }
            }
        }

        let renamed = self.resolve_aliases(&mut object, schema);
        let currency = schema
            .fields
            .iter()
            .find_map(|f| match f.kind {
                Kind::MinorUnits {
                    currency_field: Some(field),
                } => Some(field),
                _ => None,
            })
            .and_then(|field| object.get(field))
            .and_then(Value::as_str)
            .and_then(|code| Currency::from_code(code).ok());
        let names_present: HashSet<String> = object.keys().cloned().collect();

        let mut cleaned = Map::new();
        for (key, value) in object {
            let shown = renamed
                .iter()
                .find(|(target, _)| *target == key)
                .map_or(key.as_str(), |(_, alias)| alias);
            push_key(&mut self.path, shown);
            match schema.field(&key) {
                None => self.unknown_field(&key, schema, &names_present),
                Some(field) => {
                    if value.is_null() {
                        if field.required {
                            self.error_here(
                                code::REQUIRED,
                                format!("\"{}\" is required and must not be null.", field.name),
                            );
                            cleaned.insert(key, placeholder(field.kind));
                        } else {
                            cleaned.insert(key, Value::Null);
                        }
                    } else {
                        match self.value(field, value, currency) {
                            Some(value) => {
                                cleaned.insert(key, value);
                            }
                            None if field.required => {
                                cleaned.insert(key, placeholder(field.kind));
                            }
                            None => {}
                        }
                    }
                }
            }
            self.path.truncate(base);
        }

        for field in schema.fields.iter().filter(|f| f.required) {
            if !cleaned.contains_key(field.name) {
                push_key(&mut self.path, field.name);
                self.error_here(
                    code::REQUIRED,
                    format!("Add \"{}\": it is required.", field.name),
                );
                self.path.truncate(base);
                cleaned.insert(field.name.to_owned(), placeholder(field.kind));
            }
        }
        for group in schema.exactly_one_of {
            if !group.iter().any(|name| is_present(&cleaned, name)) {
                if let Some(field) = group.first().and_then(|name| schema.field(name)) {
                    cleaned.insert(field.name.to_owned(), placeholder(field.kind));
                }
            }
        }
        cleaned
    }

    /// Moves each deprecated alias to its field, warning about it. Returns `(field, alias)`
    /// for each move, so later problems point at the key that was actually sent.
    fn resolve_aliases(
        &mut self,
        object: &mut Map<String, Value>,
        schema: &Schema,
    ) -> Vec<(&'static str, &'static str)> {
        let base = self.path.len();
        let mut renamed = Vec::new();
        for field in schema.fields {
            let Kind::Alias(target) = field.kind else {
                continue;
            };
            let Some(value) = object.remove(field.name) else {
                continue;
            };
            push_key(&mut self.path, field.name);
            match object.get(target) {
                Some(current) if !current.is_null() => {
                    if *current == value || value.is_null() {
                        self.warn_here(
                            code::DEPRECATED_FIELD,
                            format!(
                                "\"{}\" is the deprecated name of \"{target}\", which is also \
                                 sent; remove \"{}\".",
                                field.name, field.name
                            ),
                        );
                    } else {
                        self.error_here(
                            code::CONFLICT,
                            format!(
                                "\"{}\" is the deprecated name of \"{target}\", and the two \
                                 hold different values; send only \"{target}\".",
                                field.name
                            ),
                        );
                    }
                }
                _ => {
                    self.warn_here(
                        code::DEPRECATED_FIELD,
                        format!(
                            "\"{}\" is deprecated: send the same value as \"{target}\".",
                            field.name
                        ),
                    );
                    object.insert(target.to_owned(), value);
                    renamed.push((target, field.name));
                }
            }
            self.path.truncate(base);
        }
        renamed
    }

    fn unknown_field(&mut self, key: &str, schema: &Schema, names_present: &HashSet<String>) {
        let names: Vec<&'static str> = schema.fields.iter().map(|f| f.name).collect();
        let suggestion = suggest(key, &names).map(|name| match schema.field(name) {
            Some(Field {
                kind: Kind::Alias(target),
                ..
            }) => *target,
            _ => name,
        });
        match suggestion {
            Some(name) if !names_present.contains(name) => {
                self.error_here(
                    code::UNKNOWN_FIELD,
                    format!(
                        "Unknown field \"{key}\": did you mean \"{name}\"? Names are \
                         case-sensitive, and FlexPay ignores fields it does not know, so the \
                         value would be lost."
                    ),
                );
            }
            Some(name) => self.warn_here(
                code::UNKNOWN_FIELD,
                format!(
                    "Unknown field \"{key}\" (\"{name}\" is also sent); it is ignored, so \
                     remove it."
                ),
            ),
            None => self.warn_here(
                code::UNKNOWN_FIELD,
                format!("Unknown field \"{key}\"; it is ignored, so remove it or check its name."),
            ),
        }
    }

    /// Checks one non-null value; returns what the cleaned object keeps (`None`: nothing).
    fn value(&mut self, field: &Field, value: Value, currency: Option<Currency>) -> Option<Value> {
        let name = field.name;
        match (field.kind, value) {
            (Kind::Enum(values), Value::String(s)) => {
                if values.contains(&s.as_str()) {
                    return Some(Value::String(s));
                }
                let listed = values.join("\", \"");
                let message = match values.iter().find(|v| v.eq_ignore_ascii_case(&s)) {
                    Some(right) => format!(
                        "\"{s}\" is not a value of \"{name}\": did you mean \"{right}\"? \
                         Values are case-sensitive."
                    ),
                    None => format!(
                        "\"{}\" is not a value of \"{name}\"; use one of \"{listed}\".",
                        shorten(&s)
                    ),
                };
                self.error_here(code::INVALID_VALUE, message);
                None
            }
            (Kind::Text | Kind::Alias(_), Value::String(s)) => Some(Value::String(s)),
            (Kind::Enum(values), other) => {
                let listed = values.join("\", \"");
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be one of the strings \"{listed}\", not {}.",
                        describe(&other)
                    ),
                );
                None
            }
            (Kind::Text | Kind::Alias(_), other) => {
                let as_text = scalar_text(&other);
                let fix = match &as_text {
                    Some(text) => format!(": write it in quotes, \"{text}\""),
                    None => String::new(),
                };
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be a string, not {}{fix}.",
                        describe(&other)
                    ),
                );
                as_text.map(Value::String)
            }
            (Kind::Digits { .. }, Value::String(s)) => Some(Value::String(s)),
            (Kind::Digits { width }, other) => {
                let padded = other
                    .as_u64()
                    .map(|n| format!("{n:0width$}", width = usize::from(width)));
                let fix = match &padded {
                    Some(text) => format!(
                        ": write it in quotes, \"{text}\"; as a number, leading zeros are lost"
                    ),
                    None => String::new(),
                };
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be a string of digits, not {}{fix}.",
                        describe(&other)
                    ),
                );
                padded.map(Value::String)
            }
            (Kind::SecretDigits, Value::String(s)) => Some(Value::String(s)),
            (Kind::SecretDigits, other) => {
                let fix = if other.is_number() {
                    ": write it in quotes; as a number, leading zeros are lost"
                } else {
                    ""
                };
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be a string of digits, not {}{fix}.",
                        describe(&other)
                    ),
                );
                other.as_u64().map(|n| Value::String(n.to_string()))
            }
            (Kind::Bool, Value::Bool(b)) => Some(Value::Bool(b)),
            (Kind::Bool, Value::String(s))
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                let b = s.eq_ignore_ascii_case("true");
                self.error_here(
                    code::WRONG_TYPE,
                    format!("\"{name}\" must be a JSON boolean: write {b}, without quotes."),
                );
                Some(Value::Bool(b))
            }
            (Kind::Bool, other) => {
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be true or false, not {}.",
                        describe(&other)
                    ),
                );
                None
            }
            (Kind::MinorUnits { .. }, value) => self.minor_units(name, value, currency),
            (
                Kind::Count {
                    max,
                    negative,
                    takes,
                },
                value,
            ) => self.count(name, value, max, negative, takes),
            (Kind::Number, Value::Number(n)) => Some(Value::Number(n)),
            (Kind::Number, other) => {
                let fix = match &other {
                    // A JSON number, read by serde_json's parser (std's would add its tables).
                    Value::String(s)
                        if serde_json::from_str::<f64>(s.trim()).is_ok_and(f64::is_finite) =>
                    {
                        format!(": write {}, without quotes", s.trim())
                    }
                    _ => String::new(),
                };
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be a number, not {}{fix}.",
                        describe(&other)
                    ),
                );
                None
            }
            (Kind::Object(schema), Value::Object(object)) => {
                Some(Value::Object(self.object(object, schema)))
            }
            (Kind::Choice(choice), Value::Object(object)) => {
                Some(Value::Object(self.choice(object, choice)))
            }
            (Kind::AnyObject, Value::Object(object)) => Some(Value::Object(object)),
            (Kind::TextList, Value::Array(items)) => {
                let base = self.path.len();
                let mut kept = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    match item {
                        Value::String(s) => kept.push(Value::String(s)),
                        other => {
                            push_index(&mut self.path, index);
                            self.error_here(
                                code::WRONG_TYPE,
                                format!(
                                    "Each entry of \"{name}\" must be a string, not {}.",
                                    describe(&other)
                                ),
                            );
                            self.path.truncate(base);
                            // Keeps the later entries at their own indexes, so the typed
                            // validator's paths match the input.
                            kept.push(Value::String(String::new()));
                        }
                    }
                }
                Some(Value::Array(kept))
            }
            (Kind::TextList, Value::String(s)) => {
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be an array of strings: write [\"{}\"].",
                        shorten(&s)
                    ),
                );
                None
            }
            (kind, other) => {
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be {}, not {}.",
                        expected(kind),
                        describe(&other)
                    ),
                );
                None
            }
        }
    }

    fn choice(&mut self, mut object: Map<String, Value>, choice: &Choice) -> Map<String, Value> {
        let base = self.path.len();
        let present: Vec<(&'static str, &'static Schema)> = choice
            .variants
            .iter()
            .copied()
            .filter(|(key, _)| is_present(&object, key))
            .collect();
        let undecided = present.is_empty();
        let schema = match present.as_slice() {
            [] => choice.fallback,
            [(_, schema)] => schema,
            [(kept, schema), others @ ..] => {
                for (other, _) in others {
                    push_key(&mut self.path, other);
                    self.error_here(
                        code::CONFLICT,
                        format!(
                            "Send either \"{kept}\" or \"{other}\", not both: they name two \
                             different kinds of payment method."
                        ),
                    );
                    self.path.truncate(base);
                    object.remove(*other);
                }
                schema
            }
        };
        let walked = self.object(object, schema);
        if undecided {
            word_undecided_choice(choice, &mut self.found.problems, &self.path);
        }
        walked
    }

    fn minor_units(
        &mut self,
        name: &str,
        value: Value,
        currency: Option<Currency>,
    ) -> Option<Value> {
        match value {
            Value::Number(number) => {
                if let Some(integer) = number.as_i64() {
                    return Some(Value::from(integer));
                }
                if number.as_u64().is_some() {
                    self.error_here(
                        code::AMOUNT_OUT_OF_RANGE,
                        format!(
                            "\"{name}\" is too large: amounts must be at most \
                             {JS_MAX_SAFE_INTEGER} minor units."
                        ),
                    );
                    return None;
                }
                let float = number.as_f64().unwrap_or(f64::NAN);
                let text = number.to_string();
                // 2^53: beyond it a float cannot even tell neighbouring integers apart.
                if float.is_nan() || float.abs() > 9_007_199_254_740_992.0 {
                    self.error_here(code::AMOUNT_OUT_OF_RANGE, amount_out_of_range(name));
                } else if float.fract() == 0.0 {
                    self.error_here(
                        code::WRONG_TYPE,
                        format!(
                            "\"{name}\" must be an integer: write {float:.0}, without a decimal \
                             point or exponent (amounts are integer minor units)."
                        ),
                    );
                } else {
                    self.error_here(
                        code::NOT_MINOR_UNITS,
                        amount_with_fraction(name, &text, currency),
                    );
                }
                None
            }
            Value::String(s) => {
                self.error_here(code::WRONG_TYPE, amount_given_as_string(name, &s, currency));
                None
            }
            other => {
                self.error_here(
                    code::WRONG_TYPE,
                    amount_of_wrong_type(name, describe(&other)),
                );
                None
            }
        }
    }

    fn count(
        &mut self,
        name: &str,
        value: Value,
        max: u64,
        negative: &'static str,
        takes: &'static str,
    ) -> Option<Value> {
        match value {
            Value::Number(number) => {
                if let Some(n) = number.as_u64() {
                    if n <= max {
                        return Some(Value::from(n));
                    }
                    self.error_here(
                        code::INVALID_VALUE,
                        count_refused(name, takes, &n.to_string()),
                    );
                    return None;
                }
                if number.as_i64().is_some() {
                    self.error_here(negative, count_refused(name, takes, &number.to_string()));
                    return None;
                }
                let float = number.as_f64().unwrap_or(f64::NAN);
                if float.fract() == 0.0 && (0.0..=max as f64).contains(&float) {
                    self.error_here(
                        code::WRONG_TYPE,
                        format!(
                            "\"{name}\" must be an integer: write {float:.0}, without a decimal \
                             point or exponent."
                        ),
                    );
                } else {
                    self.error_here(
                        code::WRONG_TYPE,
                        count_refused(name, takes, &number.to_string()),
                    );
                }
                None
            }
            Value::String(s) if s.trim().parse::<u64>().is_ok() => {
                self.error_here(
                    code::WRONG_TYPE,
                    format!(
                        "\"{name}\" must be a JSON number: write {}, without quotes.",
                        s.trim()
                    ),
                );
                None
            }
            other => {
                self.error_here(
                    code::WRONG_TYPE,
                    count_refused(name, takes, describe(&other)),
                );
                None
            }
        }
    }
}

/// A value refused at a [`Kind::Count`] field that words what it takes: `shown` as a number's
/// text or a described value. Shared with the tagged walker, and with the field's validator.
pub fn count_refused(name: &str, takes: &str, shown: &str) -> String {
    format!("{name} must be {takes}, not {shown}.")
}

/// The text of a number or boolean, to suggest it as a string.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// At most 40 characters of a value, for messages.
/// `items` joined by `separator`, as `[&str]::join` does, in less WebAssembly.
/// A payment method sent with none of its choice's keys is read as the fallback, whose own key
/// is then missing: its message names the other kinds too, as the object may be meant as one
/// of them (a gateway's stored card whose `gatewayPaymentMethodId` was left out). `problems`
/// holds the fallback object's, at `object_path`.
pub(crate) fn word_undecided_choice(choice: &Choice, problems: &mut [Problem], object_path: &str) {
    let Some((key, _)) = (choice.variants.iter()).find(|(_, s)| core::ptr::eq(*s, choice.fallback))
    else {
        return;
    };
    let path = child_path(object_path, key);
    let others: Vec<String> = (choice.variants.iter())
        .filter(|(other, _)| other != key)
        .map(|(other, _)| format!("\"{other}\""))
        .collect();
    if let Some(problem) =
        (problems.iter_mut()).find(|p| p.path == path && p.code == code::REQUIRED)
    {
        problem.message = format!(
            "Add \"{key}\", or {} for another kind of payment method: one of them is required.",
            joined(&others, " or ")
        );
    }
}

pub(crate) fn joined<S: AsRef<str>>(items: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
    out
}

/// Whether `needle` occurs in `haystack`, as `str::contains` decides, without the two-way
/// searcher (about 2 KB of WebAssembly) that only pays off on long texts.
fn contains(haystack: &str, needle: &str) -> bool {
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}

pub(crate) fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let mut short: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        short.push('…');
    }
    short
}

/// Names other payment APIs and checkout forms give FlexPay's fields, lower case without `_`
/// or `-`, and the field each means. Names a typo or a missing part already finds
/// (`expiry_month`, `cardNumber`, `currency`) are left out.
const SYNONYMS: [(&str, &str); 15] = [
    ("zip", "postalCode"),
    ("zipcode", "postalCode"),
    ("province", "state"),
    ("region", "state"),
    ("expmonth", "expiryMonth"),
    ("expirationmonth", "expiryMonth"),
    ("expyear", "expiryYear"),
    ("expirationyear", "expiryYear"),
    ("securitycode", "cvv"),
    ("pan", "creditCardNumber"),
    ("line1", "address1"),
    ("street", "address1"),
    ("line2", "address2"),
    ("cardholdername", "fullName"),
    ("nameoncard", "fullName"),
];

/// The candidate `key` most likely meant: same letters in another case, a small typo, or a
/// missing or extra part (`currency` for `currencyCode`). `None` when nothing is close.
pub fn suggest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Comparing long keys costs more than it could ever help.
    if key.is_empty() || key.len() > 64 {
        return None;
    }
    let key_lower = key.to_ascii_lowercase();
    // Another API's name for a field (`zip`, `exp_month`), when this schema has that field.
    let bare: String = key_lower
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .collect();
    if let Some(&(_, name)) = SYNONYMS.iter().find(|(other, _)| *other == bare) {
        if let Some(&candidate) = candidates.iter().find(|c| **c == name) {
            return Some(candidate);
        }
    }
    let mut best: Option<(usize, &'a str)> = None;
    for &candidate in candidates {
        let candidate_lower = candidate.to_ascii_lowercase();
        let score = if key_lower == candidate_lower {
            0
        } else {
            let shorter = key_lower.len().min(candidate_lower.len());
            let allowed = if shorter <= 4 { 1 } else { 2 };
            // The distance is at least the difference in length, so most candidates need no
            // table at all.
            let distance = if swapped_neighbours(&key_lower, &candidate_lower)
                || y_plural(&key_lower, &candidate_lower)
                || y_plural(&candidate_lower, &key_lower)
            {
                1
            } else if key_lower.len().abs_diff(candidate_lower.len()) <= allowed {
                edit_distance(&key_lower, &candidate_lower)
            } else {
                usize::MAX
            };
            if distance <= allowed {
                distance
            } else if shorter >= 4
                && (contains(&key_lower, &candidate_lower)
                    || contains(&candidate_lower, &key_lower))
            {
                allowed + 1
            } else {
                continue;
            }
        };
        if best.is_none_or(|(best_score, _)| score < best_score) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Whether `b` is the plural of `a` that ends in "y" (`policies` for `policy`, `acceptRetry`
/// for `acceptRetries`): one slip, which Levenshtein distance counts as three. A plural in
/// "s" is one edit already.
fn y_plural(a: &str, b: &str) -> bool {
    a.strip_suffix('y')
        .is_some_and(|stem| b.strip_suffix("ies") == Some(stem))
}

/// Whether `b` is `a` with two neighbouring bytes swapped (`nwo` for `now`): one slip, which
/// Levenshtein distance counts as two.
fn swapped_neighbours(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) else {
        return false;
    };
    a.len() == b.len()
        && a.get(i) == b.get(i + 1)
        && a.get(i + 1) == b.get(i)
        && a.get(i + 2..) == b.get(i + 2..)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = substitution.min(deletion).min(insertion);
            }
        }
        core::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

// Messages of the amount rules, shared by this walker and the tagged one (`tagged.rs`) so both
// front ends explain a wrong amount in the same words.

/// How `decimal` reads in minor units of the request's currency (USD when it has none).
fn minor_units_example(decimal: &str, currency: Option<Currency>) -> String {
    let (currency, assumed) = match currency {
        Some(currency) => (currency, false),
        None => (Currency::USD, true),
    };
    match Money::parse(decimal, currency) {
        Ok(money) if assumed => format!(
            "with a two-decimal currency such as USD, {decimal} is {}",
            money.minor_units()
        ),
        Ok(money) => format!("{currency} {decimal} is {}", money.minor_units()),
        // A currency without a minor unit has no example with a fraction: 10.50 JPY would
        // teach the ×100 that overcharges a hundredfold.
        Err(_) if currency.exponent() == 0 => format!(
            "{currency} has no minor unit: amounts are whole {currency}, so {currency} 1050 is 1050"
        ),
        Err(_) => format!(
            "{currency} has {} decimal places, so {currency} 10.50 would be {}",
            currency.exponent(),
            Money::parse("10.50", currency).map_or(1050, |m| m.minor_units())
        ),
    }
}

pub(crate) fn amount_out_of_range(name: &str) -> String {
    format!(
        "\"{name}\" is out of range: amounts must be integers between \
         -{JS_MAX_SAFE_INTEGER} and {JS_MAX_SAFE_INTEGER} minor units."
    )
}

/// What the validators say about an amount with a fraction (`text`, as written) at `name`:
/// the code is `not_minor_units`. Shared with the bindings' own amount arguments.
pub fn amount_with_fraction(name: &str, text: &str, currency: Option<Currency>) -> String {
    format!(
        "\"{name}\" is {text}, which has a fraction: amounts are integers in the currency's \
         minor unit ({}).",
        minor_units_example(text, currency)
    )
}

pub(crate) fn amount_given_as_string(name: &str, text: &str, currency: Option<Currency>) -> String {
    let trimmed = text.trim();
    let digits = !trimmed.is_empty()
        && trimmed
            .strip_prefix('-')
            .unwrap_or(trimmed)
            .bytes()
            .all(|b| b.is_ascii_digit());
    if digits {
        format!("\"{name}\" must be a JSON number: write {trimmed}, without quotes.")
    } else if Money::parse(trimmed, Currency::USD).is_ok()
        || Money::parse(trimmed, currency.unwrap_or(Currency::USD)).is_ok()
    {
        format!(
            "\"{name}\" must be an integer number of minor units, not a decimal string: {}.",
            minor_units_example(trimmed, currency)
        )
    } else {
        format!(
            "\"{name}\" must be an integer number of minor units, such as 1050 for USD 10.50, \
             not a string."
        )
    }
}

pub(crate) fn amount_of_wrong_type(name: &str, described: &str) -> String {
    format!(
        "\"{name}\" must be an integer amount in minor units (1050 for USD 10.50), not \
         {described}."
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn lookup_finds_what_a_hash_map_finds() {
        use std::collections::HashMap;
        let keys: Vec<String> = (0..5_000u32)
            .map(|i| match i % 4 {
                0 => format!("k{}", i % 1_500),
                1 => format!("transaction.paymentMethod[{}]", i % 700),
                2 => "x".repeat((i % 40) as usize),
                _ => char::from_u32(0x41 + i % 3_000).map_or(String::new(), String::from),
            })
            .collect();
        let mut lookup = super::Lookup::default();
        let mut map: HashMap<&str, usize> = HashMap::new();
        for (index, key) in keys.iter().enumerate() {
            let ours = lookup.get_or_insert(key, index, |i| keys[i].as_str());
            let theirs = map.get(key.as_str()).copied();
            map.entry(key.as_str()).or_insert(index);
            assert_eq!(ours, theirs, "{key:?}");
        }
        for probe in [
            "",
            "k1",
            "k1499",
            "k1500",
            "zz",
            "transaction.paymentMethod[3]",
        ] {
            assert_eq!(
                lookup.get(probe, |i| keys[i].as_str()),
                map.get(probe).copied(),
                "{probe:?}"
            );
        }
    }

    #[test]
    fn alias_targets_and_schemas_fit_the_walkers_bit_sets() {
        for (_, document) in crate::flexpay::validate::REQUEST_KINDS {
            for schema in crate::validation::tagged::schemas(&[document]).iter() {
                assert!(schema.fields.len() <= 64);
                for field in schema.fields {
                    if let super::Kind::Alias(target) = field.kind {
                        assert!(schema.field(target).is_some(), "{target}");
                    }
                }
            }
        }
    }

    #[test]
    fn odd_keys_are_quoted_like_serde_json_quotes_them() {
        for key in [
            "a.b",
            "with space",
            "q\"uote",
            "back\\slash",
            "\n\r\t\u{8}\u{c}\u{1}\u{1f}",
            "é€😀",
            "",
            "1x",
        ] {
            let mut path = String::new();
            super::push_json_string(&mut path, key);
            assert_eq!(path, serde_json::Value::String(key.to_owned()).to_string());
        }
    }

    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Order {
        order_id: String,
        amount: i64,
        currency_code: String,
        gift: Option<bool>,
        lines: Option<Vec<String>>,
        kind: Option<String>,
        note: Option<Note>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Note {
        text: String,
    }

    static NOTE: Schema = Schema {
        fields: &[Field::required("text", Kind::Text)],
        exactly_one_of: &[],
    };

    static ORDER: Schema = Schema {
        fields: &[
            Field::required("orderId", Kind::Text),
            Field::required(
                "amount",
                Kind::MinorUnits {
                    currency_field: Some("currencyCode"),
                },
            ),
            Field::required("currencyCode", Kind::Text),
            Field::optional("gift", Kind::Bool),
            Field::optional("lines", Kind::TextList),
            Field::optional("kind", Kind::Enum(&["retail", "wholesale"])),
            Field::alias("type", "kind"),
            Field::optional("note", Kind::Object(&NOTE)),
        ],
        exactly_one_of: &[],
    };

    static DOCUMENT: Document = Document {
        envelope: Some("order"),
        schema: &ORDER,
    };

    fn check(text: &str) -> JsonValidation<Order> {
        validate_json(text, &DOCUMENT, |order: &Order| {
            let mut typed = Validation::new();
            if order.amount == 0 {
                typed.error("order.amount", code::ZERO_AMOUNT, "above zero");
            }
            if order.order_id.is_empty() {
                typed.error("order.orderId", code::REQUIRED, "add it");
            }
            if order.note.as_ref().is_some_and(|n| n.text.is_empty()) {
                typed.error("order.note.text", code::REQUIRED, "add it");
            }
            typed
        })
    }

    fn codes(validation: &Validation) -> Vec<(&str, &str)> {
        validation
            .problems()
            .iter()
            .map(|p| (p.path.as_str(), p.code))
            .collect()
    }

    #[test]
    fn a_good_document_becomes_the_typed_value() {
        let checked = check(
            r#"{"order": {"orderId": "o-1", "amount": 1050, "currencyCode": "USD",
                "gift": true, "lines": ["a"], "kind": "retail", "note": {"text": "hi"}}}"#,
        );
        assert!(checked.is_ok(), "{:?}", checked.validation);
        let order = checked.request.expect("order");
        assert_eq!(order.amount, 1050);
        assert_eq!(order.note, Some(Note { text: "hi".into() }));
    }

    #[test]
    fn typed_problems_are_merged_once_per_path() {
        // Missing amount: the JSON level reports it, the placeholder 0 must not add
        // zero_amount on top.
        let checked = check(r#"{"order": {"orderId": "", "currencyCode": "USD"}}"#);
        assert_eq!(
            codes(&checked.validation),
            [
                ("order.amount", code::REQUIRED),
                ("order.orderId", code::REQUIRED)
            ]
        );
        // An error on an object hides the typed problems of its placeholder's fields.
        let checked =
            check(r#"{"order": {"orderId": "o", "amount": 1, "currencyCode": "USD", "note": 5}}"#);
        assert_eq!(
            codes(&checked.validation),
            [("order.note", code::WRONG_TYPE)]
        );
        let checked =
            check(r#"{"order": {"orderId": "o", "amount": 1, "currencyCode": "USD", "note": {}}}"#);
        assert_eq!(
            codes(&checked.validation),
            [("order.note.text", code::REQUIRED)]
        );
        assert!(checked.request.is_none());
        // A value problem alone keeps the request.
        let checked = check(r#"{"order": {"orderId": "o", "amount": 0, "currencyCode": "USD"}}"#);
        assert_eq!(
            codes(&checked.validation),
            [("order.amount", code::ZERO_AMOUNT)]
        );
        assert!(checked.request.is_some());
    }

    #[test]
    fn aliases_lists_enums_and_booleans() {
        let checked = check(
            r#"{"order": {"orderId": "o", "amount": 1, "currencyCode": "USD", "type": "retail"}}"#,
        );
        assert_eq!(
            codes(&checked.validation),
            [("order.type", code::DEPRECATED_FIELD)]
        );
        assert_eq!(
            checked.request.and_then(|o| o.kind).as_deref(),
            Some("retail")
        );
        let checked = check(
            r#"{"order": {"orderId": "o", "amount": 1, "currencyCode": "USD", "type": "Retail",
                "gift": "yes", "lines": ["a", null, 3]}}"#,
        );
        let mut found = codes(&checked.validation);
        found.sort_unstable();
        assert_eq!(
            found,
            [
                ("order.gift", code::WRONG_TYPE),
                ("order.lines[1]", code::WRONG_TYPE),
                ("order.lines[2]", code::WRONG_TYPE),
                ("order.type", code::INVALID_VALUE),
            ]
        );
        assert!(checked
            .validation
            .at("order.type")
            .is_some_and(|p| p.message.contains("\"retail\"")));
    }

    #[test]
    fn other_apis_names_for_a_field_are_suggested_when_the_schema_has_it() {
        let card = [
            "creditCardNumber",
            "expiryMonth",
            "expiryYear",
            "cvv",
            "postalCode",
        ];
        for (key, meant) in [
            ("zip", "postalCode"),
            ("ZIP", "postalCode"),
            ("zip_code", "postalCode"),
            ("post-code", "postalCode"),
            ("expMonth", "expiryMonth"),
            ("exp_month", "expiryMonth"),
            ("expirationYear", "expiryYear"),
            ("securityCode", "cvv"),
            ("pan", "creditCardNumber"),
        ] {
            assert_eq!(suggest(key, &card), Some(meant), "{key}");
        }
        // Only a field the schema has is offered.
        assert_eq!(suggest("province", &card), None);
        assert_eq!(suggest("province", &["state", "city"]), Some("state"));
        assert_eq!(
            suggest("line1", &["address1", "address2"]),
            Some("address1")
        );
        // Names a typo or a missing part already finds need no entry: `cvc`, `postcode`.
        assert_eq!(suggest("cvc", &card), Some("cvv"));
        assert_eq!(suggest("post-code", &card), Some("postalCode"));
        // Every synonym is written as it is compared (lower case, no `_` or `-`) and is one
        // the distance rules alone would not find.
        for (other, name) in SYNONYMS {
            assert_eq!(
                other,
                other.to_ascii_lowercase().replace(['_', '-'], ""),
                "{other}"
            );
            let distance = edit_distance(other, &name.to_ascii_lowercase());
            let contained = contains(&name.to_ascii_lowercase(), other)
                || contains(other, &name.to_ascii_lowercase());
            assert!(
                distance > 2 && !contained,
                "{other} is found without an entry"
            );
        }
    }

    #[test]
    fn suggestions_catch_case_typos_and_missing_parts() {
        let names = [
            "merchantTransactionId",
            "creditCardNumber",
            "amount",
            "currencyCode",
            "cvv",
        ];
        assert_eq!(
            suggest("merchantTransactionID", &names),
            Some("merchantTransactionId")
        );
        assert_eq!(
            suggest("creditcardNumber", &names),
            Some("creditCardNumber")
        );
        assert_eq!(suggest("creditCardNumbr", &names), Some("creditCardNumber"));
        assert_eq!(suggest("ammount", &names), Some("amount"));
        // Two neighbours swapped are one slip, in a short key too.
        assert_eq!(suggest("nwo", &["now", "environment"]), Some("now"));
        assert_eq!(suggest("amuont", &names), Some("amount"));
        assert!(swapped_neighbours("ab", "ba"));
        assert!(!swapped_neighbours("abc", "bca"));
        assert!(!swapped_neighbours("abc", "abc"));
        assert!(!swapped_neighbours("ab", "bab"));
        // A plural for a singular in "y", or the other way round, is one slip.
        assert_eq!(suggest("policies", &["amount", "policy"]), Some("policy"));
        assert_eq!(
            suggest("acceptRetry", &["acceptRetries", "cvvRequired"]),
            Some("acceptRetries")
        );
        assert_eq!(
            suggest("currency", &["currencies", "now"]),
            Some("currencies")
        );
        assert!(y_plural("retry", "retries"));
        assert!(!y_plural("retry", "retrys"));
        assert!(!y_plural("retries", "retry"), "the plural is the second");
        assert!(!y_plural("day", "dais"));
        assert_eq!(suggest("currency", &names), Some("currencyCode"));
        assert_eq!(suggest("cardNumber", &names), Some("creditCardNumber"));
        assert_eq!(suggest("cvc", &names), Some("cvv"));
        assert_eq!(suggest("zip", &names), None);
        assert_eq!(suggest("", &names), None);
        assert_eq!(suggest(&"a".repeat(65), &names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("día", "dia"), 1);
    }

    #[test]
    fn nesting_scan_skips_strings_and_escapes() {
        assert_eq!(first_excess_nesting(&"[".repeat(MAX_DEPTH)), None);
        // Bombs far beyond the size cap are still found at the first excess level, in one
        // pass and without recursion.
        let arrays = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(first_excess_nesting(&arrays), Some(MAX_DEPTH));
        let objects = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
        assert_eq!(first_excess_nesting(&objects), Some(5 * MAX_DEPTH));
        assert_eq!(
            first_excess_nesting(&"[".repeat(MAX_DEPTH + 1)),
            Some(MAX_DEPTH)
        );
        let quoted = format!("[\"{}\"]", "[".repeat(100));
        assert_eq!(first_excess_nesting(&quoted), None);
        let escaped_quote = format!("[\"\\\"{}\"]", "{".repeat(100));
        assert_eq!(first_excess_nesting(&escaped_quote), None);
        let closed_then_deep = format!("{}{}", "[]".repeat(100), "{".repeat(MAX_DEPTH + 1));
        assert_eq!(
            first_excess_nesting(&closed_then_deep),
            Some(200 + MAX_DEPTH)
        );
        assert_eq!(line_and_column("ab\ncdé\nf", 7), (2, 4));
        assert_eq!(line_and_column("ab\ncdé\nf", 8), (3, 1));
        assert_eq!(line_and_column("", 0), (1, 1));
    }

    #[test]
    fn paths_quote_keys_that_are_not_identifiers() {
        assert_eq!(child_path("", "transaction"), "transaction");
        assert_eq!(child_path("transaction", "amount"), "transaction.amount");
        assert_eq!(child_path("transaction", "a.b"), "transaction[\"a.b\"]");
        assert_eq!(child_path("t", "say \"hi\""), "t[\"say \\\"hi\\\"\"]");
        assert_eq!(child_path("t", ""), "t[\"\"]");
        assert_eq!(child_path("t", "1st"), "t[\"1st\"]");
    }

    #[test]
    fn duplicates_are_found_at_any_depth() {
        let (value, duplicates) =
            parse(r#"{"a": {"b": 1, "b": 2}, "c": [{"d": 1}, {"d": 1, "d": 3}], "a": {"b": 4}}"#)
                .expect("valid JSON");
        assert_eq!(duplicates, ["a.b", "c[1].d", "a"]);
        assert_eq!(value["a"]["b"], 4);
        assert_eq!(value["c"][1]["d"], 3);
    }

    #[test]
    fn placeholders_build_every_kind() {
        let map = placeholder_object(&ORDER);
        assert_eq!(map.len(), 3);
        let order: Order = serde_json::from_value(Value::Object(map)).expect("builds");
        assert_eq!(order.amount, 0);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,300}") {
            let checked = check(&text);
            let mut paths: Vec<&str> =
                checked.validation.problems().iter().map(|p| p.path.as_str()).collect();
            let count = paths.len();
            paths.sort_unstable();
            paths.dedup();
            proptest::prop_assert_eq!(paths.len(), count);
        }

        #[test]
        fn json_like_text_never_panics(text in r#"[\[\]{}":,0-9a-z\\ .e+-]{0,300}"#) {
            let _ = check(&text);
            let _ = first_excess_nesting(&text);
        }
    }
}
