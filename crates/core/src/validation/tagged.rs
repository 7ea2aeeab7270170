//! Request values that arrive as a compact tagged byte encoding instead of JSON text: the
//! front end of the npm package, whose JavaScript layer walks a request object along the
//! schemas of [`crate::validation::json`] and writes its values straight into WebAssembly
//! memory. No JSON parser and no `serde_json::Value` are involved: the bytes are decoded into
//! a borrowed [`Value`] tree, checked by the same rules as the JSON front end (wrong types,
//! unknown fields with suggestions, aliases, required fields, conflicts) and turned into the
//! typed request, whose own validator then runs.
//!
//! # Encoding
//!
//! Little-endian; every value starts with a one-byte tag:
//!
//! | tag | value | payload |
//! |---|---|---|
//! | 0 | `null` | — |
//! | 1 / 2 | `false` / `true` | — |
//! | 3 | number | f64 |
//! | 4 | string | u32 byte length, UTF-8 bytes |
//! | 5 | array | u32 count, values |
//! | 6 | object, keys by name | u32 count, (string key, value)… |
//! | 7 | object walked along schema `id` | u16 id, u32 count, (u16 field index or 0xFFFF + string key, value)… |
//! | 8 | a value JSON cannot hold | u8: 0 bigint, 1 symbol, 2 function, 3 `NaN`, 4 ±`Infinity`, 5 `undefined` (only as the whole request: a field holding it is left out) |
//!
//! The schema ids are the positions in [`schemas`]; [`schemas_json`] tells JavaScript the
//! same table.
//!
//! A string's length (of a value or a key) has its top bit set when the JavaScript string held
//! a lone UTF-16 surrogate, which has no UTF-8 form: its bytes hold U+FFFD in its place, as
//! `TextEncoder` writes it, and the cleaning walk reports it at its path (`lone_surrogate`),
//! since such a request cannot be sent as JSON text.

mod plain;

use std::borrow::Cow;

use super::json::{
    amount_given_as_string, amount_of_wrong_type, amount_out_of_range, amount_with_fraction,
    child_path, count_refused, expected, joined, merge, push_index, push_key, shorten, suggest,
    word_undecided_choice, Choice, Document, Field, JsonValidation, Kind, Lookup, Schema,
    MAX_DEPTH,
};
use super::{code, Problem, Severity, Validation};
use crate::money::Currency;

pub use plain::{read_plain, Facts, Leaf, Node, Plain, MAX_FIELDS};

/// A decoded value. Strings borrow from the encoded bytes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// JavaScript numbers: there is no integer type, so `1050.0` is `1050`.
    Number(f64),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Object<'a>),
    /// A value JSON cannot hold: its `typeof`, "bigint", "symbol" or "function", or "NaN" or
    /// "Infinity" for the numbers `JSON.stringify` would send as null (`JSON.parse` reads
    /// `1e400` as `Infinity`).
    Unsupported(&'static str),
}

/// An object; `schema` is the schema JavaScript walked it along, if any, so the field of a key
/// is known by index instead of by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object<'a> {
    pub schema: Option<&'static Schema>,
    pub entries: Vec<Entry<'a>>,
}

/// One key of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    /// Index of the key in `schema.fields` of the enclosing object.
    pub field: Option<u16>,
    pub value: Value<'a>,
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self, other)
    }
}

impl<'a> Object<'a> {
    fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }

    fn remove(&mut self, key: &str) -> Option<Value<'a>> {
        let at = self.entries.iter().position(|e| e.key == key)?;
        Some(self.entries.remove(at).value)
    }

    fn insert(&mut self, key: &'static str, value: Value<'a>) {
        match self.entries.iter_mut().find(|e| e.key == key) {
            Some(entry) => entry.value = value,
            None => self.entries.push(Entry {
                key: Cow::Borrowed(key),
                field: None,
                value,
            }),
        }
    }

    fn is_present(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| !matches!(v, Value::Null))
    }
}

/// Where a request object's fields are read from: the tree the cleaning walk produced, or a
/// plain request read in place from the encoded bytes (see [`crate::validation::tagged`]).
#[derive(Clone, Copy)]
pub enum Source<'o, 'a> {
    Tree(&'o Object<'a>),
    Plain(&'o Plain<'a>, &'o Node<'a>),
}

impl<'o, 'a> Source<'o, 'a> {
    /// The root object of a plain request.
    pub fn plain(plain: &'o Plain<'a>) -> Option<Self> {
        plain.node(0).map(|node| Source::Plain(plain, node))
    }

    pub fn schema(self) -> Option<&'static Schema> {
        match self {
            Source::Tree(object) => object.schema,
            Source::Plain(_, node) => Some(node.schema),
        }
    }
}

/// The schemas of the encoding by id, with what the plain reader needs of each worked out
/// once (see [`Facts`]).
#[derive(Debug)]
pub struct Schemas {
    list: Vec<&'static Schema>,
    facts: Vec<Facts>,
}

impl Schemas {
    pub(crate) fn facts(&self, id: usize) -> Option<&Facts> {
        self.facts.get(id)
    }
}

impl core::ops::Deref for Schemas {
    type Target = [&'static Schema];

    fn deref(&self) -> &[&'static Schema] {
        &self.list
    }
}

/// Every schema reachable from `documents`, each once, in a fixed order: the ids of the
/// encoding.
pub fn schemas(documents: &[&'static Document]) -> Schemas {
    fn visit(schema: &'static Schema, out: &mut Vec<&'static Schema>) {
        if out.iter().any(|s| core::ptr::eq(*s, schema)) {
            return;
        }
        out.push(schema);
        for field in schema.fields {
            match field.kind {
                Kind::Object(child) => visit(child, out),
                Kind::Choice(choice) => {
                    for (_, variant) in choice.variants {
                        visit(variant, out);
                    }
                    visit(choice.fallback, out);
                }
                _ => {}
            }
        }
    }
    let mut list = Vec::new();
    for document in documents {
        visit(document.schema, &mut list);
    }
    let facts = list.iter().map(|schema| Facts::of(schema, &list)).collect();
    Schemas { list, facts }
}

fn schema_id(schemas: &[&'static Schema], schema: &'static Schema) -> usize {
    schemas
        .iter()
        .position(|s| core::ptr::eq(*s, schema))
        .unwrap_or(0)
}

/// The schema table for JavaScript, as JSON text:
/// `{"schemas": [{"fields": [...], "kids": [null | {"o": id} | {"c": [[key, id]...], "f": id}]}],
///   "documents": {name: {"envelope": "transaction" | null, "schema": id}}}`.
pub fn schemas_json(documents: &[(&str, &'static Document)]) -> String {
    let list: Vec<&'static Document> = documents.iter().map(|(_, d)| *d).collect();
    let all = schemas(&list);
    let mut out = String::from("{\"schemas\":[");
    for (i, schema) in all.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"fields\":[");
        for (j, field) in schema.fields.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(field.name);
            out.push('"');
        }
        out.push_str("],\"kids\":[");
        for (j, field) in schema.fields.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            match field.kind {
                Kind::Object(child) => {
                    out.push_str(&format!("{{\"o\":{}}}", schema_id(&all, child)));
                }
                Kind::Choice(choice) => {
                    out.push_str("{\"c\":[");
                    for (k, (key, variant)) in choice.variants.iter().enumerate() {
                        if k > 0 {
                            out.push(',');
                        }
                        out.push_str(&format!("[\"{key}\",{}]", schema_id(&all, variant)));
                    }
                    out.push_str(&format!("],\"f\":{}}}", schema_id(&all, choice.fallback)));
                }
                _ => out.push_str("null"),
            }
        }
        out.push_str("]}");
    }
    out.push_str("],\"documents\":{");
    for (i, (name, document)) in documents.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let envelope = document
            .envelope
            .map_or("null".to_owned(), |e| format!("\"{e}\""));
        out.push_str(&format!(
            "\"{name}\":{{\"envelope\":{envelope},\"schema\":{}}}",
            schema_id(&all, document.schema)
        ));
    }
    out.push_str("}}");
    out
}

/// Why bytes could not be decoded: only a bug in the encoder (or a caller bypassing it).
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Truncated, an unknown tag, invalid UTF-8, an unknown schema or field.
    Malformed,
    /// More than [`MAX_DEPTH`] levels.
    TooDeep,
}

struct Decoder<'a, 's> {
    bytes: &'a [u8],
    at: usize,
    schemas: &'s [&'static Schema],
    /// Where the bytes of each string marked as holding a lone surrogate start.
    lone: Vec<usize>,
}

/// The top bit of a string's length: the string held a lone UTF-16 surrogate.
const LONE: usize = 0x8000_0000;

impl<'a> Decoder<'a, '_> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.at.checked_add(n).ok_or(DecodeError::Malformed)?;
        let slice = self.bytes.get(self.at..end).ok_or(DecodeError::Malformed)?;
        self.at = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self.bytes.get(self.at).ok_or(DecodeError::Malformed)?;
        self.at += 1;
        Ok(b)
    }

    fn u16(&mut self) -> Result<u16, DecodeError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<usize, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn str(&mut self) -> Result<&'a str, DecodeError> {
        let len = self.u32()?;
        let bytes = self.take(len & !LONE)?;
        let text = plain::text(bytes).ok_or(DecodeError::Malformed)?;
        if len & LONE != 0 {
            self.lone.push(text.as_ptr() as usize);
        }
        Ok(text)
    }

    /// A count, bounded by the bytes left so a forged count cannot reserve much memory.
    fn count(&mut self) -> Result<usize, DecodeError> {
        let n = self.u32()?;
        if n > self.bytes.len() - self.at {
            return Err(DecodeError::Malformed);
        }
        Ok(n)
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, DecodeError> {
        Ok(match self.byte()? {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => {
                let b = self.take(8)?;
                let mut raw = [0u8; 8];
                raw.copy_from_slice(b);
                Value::Number(f64::from_le_bytes(raw))
            }
            4 => Value::String(Cow::Borrowed(self.str()?)),
            5 => {
                let depth = Self::deeper(depth)?;
                let n = self.count()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth)?);
                }
                Value::Array(items)
            }
            6 => {
                let depth = Self::deeper(depth)?;
                let n = self.count()?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = Cow::Borrowed(self.str()?);
                    let value = self.value(depth)?;
                    entries.push(Entry {
                        key,
                        field: None,
                        value,
                    });
                }
                Value::Object(Object {
                    schema: None,
                    entries,
                })
            }
            7 => {
                let depth = Self::deeper(depth)?;
                let id = usize::from(self.u16()?);
                let schema = *self.schemas.get(id).ok_or(DecodeError::Malformed)?;
                let n = self.count()?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let index = self.u16()?;
                    let (key, field) = if index == u16::MAX {
                        (Cow::Borrowed(self.str()?), None)
                    } else {
                        let field = schema
                            .fields
                            .get(usize::from(index))
                            .ok_or(DecodeError::Malformed)?;
                        (Cow::Borrowed(field.name), Some(index))
                    };
                    let value = self.value(depth)?;
                    entries.push(Entry { key, field, value });
                }
                Value::Object(Object {
                    schema: Some(schema),
                    entries,
                })
            }
            8 => Value::Unsupported(match self.byte()? {
                0 => "bigint",
                1 => "symbol",
                3 => "NaN",
                4 => "Infinity",
                5 => "undefined",
                _ => "function",
            }),
            _ => return Err(DecodeError::Malformed),
        })
    }

    fn deeper(depth: usize) -> Result<usize, DecodeError> {
        if depth >= MAX_DEPTH {
            Err(DecodeError::TooDeep)
        } else {
            Ok(depth + 1)
        }
    }
}

/// Decodes one encoded value; the bytes must hold exactly one. Also answers where the bytes
/// of the strings marked as holding a lone surrogate start (see the module docs).
pub fn decode<'a>(
    bytes: &'a [u8],
    schemas: &[&'static Schema],
) -> Result<(Value<'a>, Vec<usize>), DecodeError> {
    let mut decoder = Decoder {
        bytes,
        at: 0,
        schemas,
        lone: Vec::new(),
    };
    let value = decoder.value(0)?;
    if decoder.at != bytes.len() {
        return Err(DecodeError::Malformed);
    }
    Ok((value, decoder.lone))
}

/// An encoded request checked against its document: the cleaned object the typed request is
/// built from, and the problems found so far.
pub struct Cleaned<'a> {
    pub object: Object<'a>,
    pub found: Validation,
}

/// Decodes `bytes` and checks the value against `document`, like the JSON front end checks
/// parsed text; `Err` holds the problems when no request can be built at all.
pub fn clean<'a>(
    bytes: &'a [u8],
    schemas: &[&'static Schema],
    document: &Document,
) -> Result<Cleaned<'a>, Validation> {
    let (root, lone) = match decode(bytes, schemas) {
        Ok(decoded) => decoded,
        Err(DecodeError::TooDeep) => {
            let mut validation = Validation::new();
            validation.error(
                "",
                code::TOO_DEEPLY_NESTED,
                format!(
                    "The input nests more than {MAX_DEPTH} levels of arrays and objects; \
                     request bodies need only a few levels."
                ),
            );
            return Err(validation);
        }
        Err(DecodeError::Malformed) => {
            let mut validation = Validation::new();
            validation.error(
                "",
                code::INVALID_VALUE,
                "The request could not be decoded. This is a flexkit bug; please report it.",
            );
            return Err(validation);
        }
    };
    let mut walker = Walker::default();
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
        return Err(walker.found);
    };
    let Some(inner) = walker.unwrap_envelope(root, document, &lone) else {
        return Err(walker.found);
    };
    let object = walker.object(inner, document.schema);
    Ok(Cleaned {
        object,
        found: walker.found,
    })
}

/// Checks an encoded request like [`super::json::validate_json`] checks text: the same
/// problems, codes and paths, except what only text can show (duplicate keys, `1050.0`
/// written with a decimal point, which JavaScript reads as `1050`). `build` makes the typed
/// request from the cleaned object, `check` is its validator. A plain request (see
/// [`read_plain`]) is built straight from the bytes.
pub fn validate_tagged<T, B, F>(
    bytes: &[u8],
    schemas: &Schemas,
    document: &Document,
    build: B,
    check: F,
) -> JsonValidation<T>
where
    B: FnOnce(Source) -> T,
    F: FnOnce(&T) -> Validation,
{
    if let Some(root) = read_plain(bytes, schemas, document) {
        if let Some(source) = Source::plain(&root) {
            let request = build(source);
            let validation = check(&request);
            return JsonValidation {
                request: Some(request),
                validation,
            };
        }
    }
    validate_walked(bytes, schemas, document, build, check)
}

/// [`validate_tagged`] without the plain fast path: the request is decoded into a tree and
/// walked by the cleaning rules whatever it holds.
pub fn validate_walked<T, B, F>(
    bytes: &[u8],
    schemas: &[&'static Schema],
    document: &Document,
    build: B,
    check: F,
) -> JsonValidation<T>
where
    B: FnOnce(Source) -> T,
    F: FnOnce(&T) -> Validation,
{
    let mut request = None;
    let validation = walk_checked(bytes, schemas, document, |source, shaped| {
        let built = build(source);
        let typed = check(&built);
        request = shaped.then_some(built);
        typed
    });
    JsonValidation {
        request,
        validation,
    }
}

/// The walk of [`validate_walked`], with the typed request's building and checking left to
/// `run`, which is given the cleaned object and whether it has the request's shape (no
/// JSON-level error): so a caller may build into a request it keeps from call to call.
pub fn walk_checked<F>(
    bytes: &[u8],
    schemas: &[&'static Schema],
    document: &Document,
    run: F,
) -> Validation
where
    F: FnOnce(Source, bool) -> Validation,
{
    let Cleaned { object, mut found } = match clean(bytes, schemas, document) {
        Ok(cleaned) => cleaned,
        Err(validation) => return validation,
    };
    // The cleaning leaves the shape the builders need: there is no failure to report here.
    let typed = run(Source::Tree(&object), found.is_ok());
    if found.problems().is_empty() {
        return typed;
    }
    merge(&mut found, typed);
    found
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::Unsupported("bigint") => "a bigint",
        Value::Unsupported("symbol") => "a symbol",
        Value::Unsupported("NaN") => "NaN, a number JSON cannot hold (sent as null)",
        Value::Unsupported("Infinity") => {
            "a number too large for JSON to hold, such as Infinity or 1e400 (sent as null)"
        }
        Value::Unsupported("undefined") => "undefined (no request was given)",
        Value::Unsupported(_) => "a function",
    }
}

/// The rest of a `lone_surrogate` message, after the name of the field (or the key) at fault.
const LONE_SURROGATE: &str = " holds a lone UTF-16 surrogate (half of a character outside the \
    BMP), which UTF-8 cannot encode: the request cannot be sent as JSON; check how the text was \
    cut.";

/// A whole number within ±2^63, as JSON text would give an integer.
fn as_i64(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < 9.2e18).then_some(n as i64)
}

fn as_u64(n: f64) -> Option<u64> {
    (n.fract() == 0.0 && (0.0..1.8e19).contains(&n)).then_some(n as u64)
}

/// A number as text for messages. Fractions are written with at most six decimals by
/// integer arithmetic: float formatting would add kilobytes to the WebAssembly module.
fn number_text(n: f64) -> String {
    if let Some(i) = as_i64(n) {
        return i.to_string();
    }
    if !n.is_finite() || n.abs() >= 1e12 {
        return if n < 0.0 {
            "-1e12".into()
        } else {
            "1e12".into()
        };
    }
    let scaled = (n.abs() * 1e6).round() as u64;
    let mut text = format!(
        "{}{}.{:06}",
        if n < 0.0 { "-" } else { "" },
        scaled / 1_000_000,
        scaled % 1_000_000
    );
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    text
}

/// Text JSON would read as a number: `-12`, `1.5`, `2e3`.
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// `value` is a non-null value `Walker::value` would keep unchanged without a problem, and
/// holds nothing to walk.
fn clean_leaf(kind: Kind, value: &Value) -> bool {
    match (kind, value) {
        (
            Kind::Text | Kind::Alias(_) | Kind::Digits { .. } | Kind::SecretDigits,
            Value::String(_),
        )
        | (Kind::Bool, Value::Bool(_))
        | (Kind::Number, Value::Number(_))
        | (Kind::AnyObject, Value::Object(_)) => true,
        (Kind::Enum(values), Value::String(s)) => values.contains(&&**s),
        (Kind::MinorUnits { .. }, Value::Number(n)) => as_i64(*n).is_some(),
        (Kind::Count { max, .. }, Value::Number(n)) => as_u64(*n).is_some_and(|n| n <= max),
        _ => false,
    }
}

fn placeholder<'a>(kind: Kind) -> Value<'a> {
    match kind {
        Kind::Text | Kind::Digits { .. } | Kind::SecretDigits | Kind::Alias(_) => {
            Value::String(Cow::Borrowed(""))
        }
        Kind::Bool => Value::Bool(false),
        Kind::MinorUnits { .. } | Kind::Count { .. } | Kind::Number => Value::Number(0.0),
        Kind::Enum(values) => values
            .first()
            .map_or(Value::Null, |v| Value::String(Cow::Borrowed(v))),
        Kind::Object(schema) => Value::Object(placeholder_object(schema)),
        Kind::Choice(choice) => Value::Object(placeholder_object(choice.fallback)),
        Kind::TextList => Value::Array(Vec::new()),
        Kind::AnyObject => Value::Object(Object::default()),
    }
}

fn placeholder_object<'a>(schema: &'static Schema) -> Object<'a> {
    let mut object = Object::default();
    for field in schema.fields.iter().filter(|f| f.required) {
        object.insert(field.name, placeholder(field.kind));
    }
    for group in schema.exactly_one_of {
        if let Some(field) = group.first().and_then(|name| schema.field(name)) {
            object.insert(field.name, placeholder(field.kind));
        }
    }
    object
}

#[derive(Default)]
struct Walker {
    found: Validation,
    path: String,
    /// Which problem of `found` each path has (at most one per path).
    at_path: Lookup,
}

impl Walker {
    fn report(&mut self, path: String, code: &'static str, message: String, severity: Severity) {
        let problem = Problem {
            path,
            code,
            message,
            severity,
        };
        let problems = &mut self.found.problems;
        let next = problems.len();
        let path_of = |i: usize| problems[i].path.as_str();
        match self.at_path.get_or_insert(&problem.path, next, path_of) {
            Some(index) => {
                if let Some(existing) = problems.get_mut(index) {
                    if existing.severity == Severity::Warning && severity == Severity::Error {
                        *existing = problem;
                    }
                }
            }
            None => problems.push(problem),
        }
    }

    fn error_here(&mut self, code: &'static str, message: String) {
        self.report(self.path.clone(), code, message, Severity::Error);
    }

    fn warn_here(&mut self, code: &'static str, message: String) {
        self.report(self.path.clone(), code, message, Severity::Warning);
    }

    /// Reports every string of `object`, keys included, at any depth, whose bytes start at
    /// one of `lone`: those JavaScript marked as holding a lone surrogate.
    fn lone_surrogates(&mut self, object: &Object, lone: &[usize]) {
        if lone.is_empty() {
            return;
        }
        let base = self.path.len();
        for entry in &object.entries {
            push_key(&mut self.path, &entry.key);
            self.lone_surrogate(&entry.key, &entry.key, lone);
            self.lone_surrogates_in(&entry.key, &entry.value, lone);
            self.path.truncate(base);
        }
    }

    fn lone_surrogates_in(&mut self, name: &str, value: &Value, lone: &[usize]) {
        match value {
            Value::String(text) => self.lone_surrogate(name, text, lone),
            Value::Object(object) => self.lone_surrogates(object, lone),
            Value::Array(items) => {
                let base = self.path.len();
                for (index, item) in items.iter().enumerate() {
                    push_index(&mut self.path, index);
                    self.lone_surrogates_in(name, item, lone);
                    self.path.truncate(base);
                }
            }
            _ => {}
        }
    }

    /// `text`, a key or the value of the key `name`, at the walker's path.
    fn lone_surrogate(&mut self, name: &str, text: &str, lone: &[usize]) {
        if lone.contains(&(text.as_ptr() as usize)) {
            self.error_here(code::LONE_SURROGATE, format!("\"{name}\"{LONE_SURROGATE}"));
        }
    }

    /// The object inside the body's envelope. Lone surrogates (`lone`) are reported first,
    /// at the paths the other problems use: with the envelope's name in front when the body
    /// came without it.
    fn unwrap_envelope<'a>(
        &mut self,
        mut root: Object<'a>,
        document: &Document,
        lone: &[usize],
    ) -> Option<Object<'a>> {
        let Some(envelope) = document.envelope else {
            self.lone_surrogates(&root, lone);
            return Some(root);
        };
        let key: String = match root.get(envelope) {
            Some(_) => envelope.to_owned(),
            None => {
                // As the JSON front end reads keys (sorted): the first near miss holding an
                // object.
                let misspelt = root
                    .entries
                    .iter()
                    .filter(|e| {
                        matches!(e.value, Value::Object(_))
                            && suggest(&e.key, &[envelope]) == Some(envelope)
                    })
                    .map(|e| &e.key)
                    .min()
                    .map(|key| key.to_string());
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
                        self.lone_surrogates(&root, lone);
                        // The root was not walked along the schema.
                        root.schema = None;
                        for entry in &mut root.entries {
                            entry.field = None;
                        }
                        return Some(root);
                    }
                }
            }
        };
        self.lone_surrogates(&root, lone);
        let inner = root.remove(&key).unwrap_or(Value::Null);
        for other in &root.entries {
            let path = child_path("", &other.key);
            self.report(
                path,
                code::UNKNOWN_FIELD,
                format!(
                    "Only \"{envelope}\" belongs at the top level of this body; move \
                     \"{}\" inside it or remove it.",
                    other.key
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

    fn object<'a>(&mut self, mut object: Object<'a>, schema: &'static Schema) -> Object<'a> {
        let base = self.path.len();
        if object.schema != Some(schema) {
            // Walked along another schema (or none): read the keys by name.
            for entry in &mut object.entries {
                entry.field = None;
            }
        }
        for group in schema.exactly_one_of {
            let mut present = group.iter().copied().filter(|name| object.is_present(name));
            let Some(kept) = present.next() else {
                if let Some(first) = group.first() {
                    push_key(&mut self.path, first);
                    let alternatives = joined(group, "\" or \"");
                    self.error_here(
                        code::REQUIRED,
                        format!("Add \"{alternatives}\": one of them is required."),
                    );
                    self.path.truncate(base);
                }
                continue;
            };
            let others: Vec<&'static str> = present.collect();
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
                object.remove(other);
            }
        }

        let renamed = if schema
            .fields
            .iter()
            .any(|f| matches!(f.kind, Kind::Alias(_)))
        {
            self.resolve_aliases(&mut object, schema)
        } else {
            Vec::new()
        };
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
            .and_then(|v| match v {
                Value::String(s) => Currency::from_code(s).ok(),
                _ => None,
            });

        let field_of = |entry: &Entry| -> Option<(u16, &'static Field)> {
            match entry.field {
                Some(index) => schema.fields.get(usize::from(index)).map(|f| (index, f)),
                None => schema
                    .fields
                    .iter()
                    .enumerate()
                    .find(|(_, f)| f.name == entry.key)
                    .map(|(i, f)| (i as u16, f)),
            }
        };
        // Bit `i`: a key of the object names field `i` (read only for unknown keys' hints).
        let names_present: u64 = if object.entries.iter().any(|e| field_of(e).is_none()) {
            object
                .entries
                .iter()
                .filter_map(&field_of)
                .fold(0, |bits, (index, _)| bits | 1u64 << (index % 64))
        } else {
            0
        };

        let mut cleaned = Object {
            schema: Some(schema),
            entries: Vec::with_capacity(object.entries.len() + 2),
        };
        // Bit `i`: field `i` of the schema is in `cleaned` (schemas have at most 32 fields).
        let mut present: u64 = 0;
        for entry in object.entries {
            let field = field_of(&entry);
            let Entry { key, value, .. } = entry;
            // The common case first: a value of the field's own type that needs no check at
            // this level is kept as it is, without building its path.
            if let Some((index, field)) = field {
                if clean_leaf(field.kind, &value) {
                    present |= 1u64 << (index % 64);
                    cleaned.entries.push(Entry {
                        key,
                        field: Some(index),
                        value,
                    });
                    continue;
                }
            }
            let shown = renamed
                .iter()
                .find(|(target, _)| *target == key)
                .map_or(&*key, |(_, alias)| alias);
            push_key(&mut self.path, shown);
            match field {
                None => self.unknown_field(&key, schema, names_present),
                Some((index, field)) => {
                    let kept = if matches!(value, Value::Null) {
                        if field.required {
                            self.error_here(
                                code::REQUIRED,
                                format!("\"{}\" is required and must not be null.", field.name),
                            );
                            Some(placeholder(field.kind))
                        } else {
                            Some(Value::Null)
                        }
                    } else {
                        match self.value(field, value, currency) {
                            Some(value) => Some(value),
                            None if field.required => Some(placeholder(field.kind)),
                            None => None,
                        }
                    };
                    if let Some(value) = kept {
                        present |= 1u64 << (index % 64);
                        cleaned.entries.push(Entry {
                            key,
                            field: Some(index),
                            value,
                        });
                    }
                }
            }
            self.path.truncate(base);
        }

        for (i, field) in schema.fields.iter().enumerate() {
            if field.required && present & (1u64 << (i % 64)) == 0 {
                push_key(&mut self.path, field.name);
                self.error_here(
                    code::REQUIRED,
                    format!("Add \"{}\": it is required.", field.name),
                );
                self.path.truncate(base);
                cleaned.insert(field.name, placeholder(field.kind));
            }
        }
        for group in schema.exactly_one_of {
            if !group.iter().any(|name| cleaned.is_present(name)) {
                if let Some(field) = group.first().and_then(|name| schema.field(name)) {
                    cleaned.insert(field.name, placeholder(field.kind));
                }
            }
        }
        cleaned
    }

    fn resolve_aliases(
        &mut self,
        object: &mut Object<'_>,
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
                Some(current) if !matches!(current, Value::Null) => {
                    if *current == value || matches!(value, Value::Null) {
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
                    object.insert(target, value);
                    if let Some(entry) = object.entries.iter_mut().find(|e| e.key == target) {
                        entry.field = None;
                    }
                    renamed.push((target, field.name));
                }
            }
            self.path.truncate(base);
        }
        renamed
    }

    fn unknown_field(&mut self, key: &str, schema: &Schema, names_present: u64) {
        let names: Vec<&'static str> = schema.fields.iter().map(|f| f.name).collect();
        let suggestion = suggest(key, &names).map(|name| match schema.field(name) {
            Some(Field {
                kind: Kind::Alias(target),
                ..
            }) => *target,
            _ => name,
        });
        let sent = |name: &str| {
            schema
                .fields
                .iter()
                .position(|f| f.name == name)
                .is_some_and(|i| names_present & (1u64 << (i % 64)) != 0)
        };
        match suggestion {
            Some(name) if !sent(name) => {
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

    fn value<'a>(
        &mut self,
        field: &Field,
        value: Value<'a>,
        currency: Option<Currency>,
    ) -> Option<Value<'a>> {
        let name = field.name;
        match (field.kind, value) {
            (Kind::Enum(values), Value::String(s)) => {
                if values.contains(&&*s) {
                    return Some(Value::String(s));
                }
                let listed = joined(values, "\", \"");
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
                let listed = joined(values, "\", \"");
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
                let as_text = match &other {
                    Value::Number(n) => Some(number_text(*n)),
                    Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                };
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
                as_text.map(|t| Value::String(Cow::Owned(t)))
            }
            (Kind::Digits { .. } | Kind::SecretDigits, Value::String(s)) => Some(Value::String(s)),
            (Kind::Digits { width }, other) => {
                let padded = match &other {
                    Value::Number(n) => {
                        as_u64(*n).map(|n| format!("{n:0width$}", width = usize::from(width)))
                    }
                    _ => None,
                };
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
                padded.map(|t| Value::String(Cow::Owned(t)))
            }
            (Kind::SecretDigits, other) => {
                let number = match &other {
                    Value::Number(n) => Some(*n),
                    _ => None,
                };
                let fix = if number.is_some() {
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
                number
                    .and_then(as_u64)
                    .map(|n| Value::String(Cow::Owned(n.to_string())))
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
                    Value::String(s) if is_json_number(s.trim()) => {
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
                            kept.push(Value::String(Cow::Borrowed("")));
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

    fn choice<'a>(&mut self, mut object: Object<'a>, choice: &Choice) -> Object<'a> {
        let base = self.path.len();
        let mut present = choice
            .variants
            .iter()
            .copied()
            .filter(|(key, _)| object.is_present(key));
        let mut undecided = false;
        let schema = match present.next() {
            None => {
                undecided = true;
                choice.fallback
            }
            Some((kept, schema)) => {
                let others: Vec<&'static str> = present.map(|(k, _)| k).collect();
                for other in others {
                    push_key(&mut self.path, other);
                    self.error_here(
                        code::CONFLICT,
                        format!(
                            "Send either \"{kept}\" or \"{other}\", not both: they name two \
                             different kinds of payment method."
                        ),
                    );
                    self.path.truncate(base);
                    object.remove(other);
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

    fn minor_units<'a>(
        &mut self,
        name: &str,
        value: Value<'a>,
        currency: Option<Currency>,
    ) -> Option<Value<'a>> {
        match value {
            Value::Number(float) => {
                if let Some(integer) = as_i64(float) {
                    return Some(Value::Number(integer as f64));
                }
                let text = number_text(float);
                if float.is_nan() || float.abs() > 9_007_199_254_740_992.0 {
                    self.error_here(code::AMOUNT_OUT_OF_RANGE, amount_out_of_range(name));
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

    fn count<'a>(
        &mut self,
        name: &str,
        value: Value<'a>,
        max: u64,
        negative: &'static str,
        takes: &'static str,
    ) -> Option<Value<'a>> {
        match value {
            Value::Number(float) => {
                if let Some(n) = as_u64(float) {
                    if n <= max {
                        return Some(Value::Number(n as f64));
                    }
                    self.error_here(
                        code::INVALID_VALUE,
                        count_refused(name, takes, &number_text(float)),
                    );
                    return None;
                }
                if as_i64(float).is_some() {
                    self.error_here(negative, count_refused(name, takes, &number_text(float)));
                    return None;
                }
                self.error_here(
                    code::WRONG_TYPE,
                    count_refused(name, takes, &number_text(float)),
                );
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

/// The encoding of a JSON value with every object keyed by name (tag 6), as a caller without
/// schemas would write it.
#[cfg(test)]
pub(crate) fn encode_json(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value as Json;
    let string = |s: &str, out: &mut Vec<u8>| {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    match value {
        Json::Null => out.push(0),
        Json::Bool(b) => out.push(if *b { 2 } else { 1 }),
        Json::Number(n) => {
            out.push(3);
            out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
        }
        Json::String(s) => {
            out.push(4);
            string(s, out);
        }
        Json::Array(items) => {
            out.push(5);
            out.extend_from_slice(&(items.len() as u32).to_le_bytes());
            items.iter().for_each(|item| encode_json(item, out));
        }
        Json::Object(map) => {
            out.push(6);
            out.extend_from_slice(&(map.len() as u32).to_le_bytes());
            for (key, item) in map {
                string(key, out);
                encode_json(item, out);
            }
        }
    }
}

/// The encoding the npm package's JavaScript layer writes: objects walked along `schema`
/// (tag 7, keys by field index, unknown keys by name), a choice's variant picked by the first
/// of its keys present, other objects keyed by name. `envelope` wraps the walked object.
#[cfg(test)]
pub(crate) fn encode_walked(
    value: &serde_json::Value,
    document: &Document,
    schemas: &[&'static Schema],
    out: &mut Vec<u8>,
) {
    use serde_json::Value as Json;
    fn string(s: &str, out: &mut Vec<u8>) {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    fn walk(value: &Json, kind: Option<Kind>, schemas: &[&'static Schema], out: &mut Vec<u8>) {
        let Json::Object(map) = value else {
            return encode_json(value, out);
        };
        let schema = match kind {
            Some(Kind::Object(schema)) => schema,
            Some(Kind::Choice(choice)) => choice
                .variants
                .iter()
                .find(|(key, _)| map.get(*key).is_some_and(|v| !v.is_null()))
                .map_or(choice.fallback, |(_, schema)| schema),
            _ => return encode_json(value, out),
        };
        out.push(7);
        out.extend_from_slice(&(schema_id(schemas, schema) as u16).to_le_bytes());
        out.extend_from_slice(&(map.len() as u32).to_le_bytes());
        for (key, item) in map {
            match schema.fields.iter().position(|f| f.name == key) {
                Some(at) => {
                    out.extend_from_slice(&(at as u16).to_le_bytes());
                    walk(item, Some(schema.fields[at].kind), schemas, out);
                }
                None => {
                    out.extend_from_slice(&u16::MAX.to_le_bytes());
                    string(key, out);
                    encode_json(item, out);
                }
            }
        }
    }
    let root = Some(Kind::Object(document.schema));
    match (document.envelope, value) {
        (Some(envelope), Json::Object(map)) => {
            out.push(6);
            out.extend_from_slice(&(map.len() as u32).to_le_bytes());
            for (key, item) in map {
                string(key, out);
                let kind = if key == envelope { root } else { None };
                walk(item, kind, schemas, out);
            }
        }
        (None, value) => walk(value, root, schemas, out),
        (_, value) => encode_json(value, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::account::Environment;
    use crate::flexpay::validate::{validate_charge_json, validate_tagged, ValidationContext};
    use crate::time::UtcTimestamp;
    use serde_json::{json, Value as Json};

    fn paths_and_codes(validation: &Validation) -> Vec<(String, &'static str)> {
        let mut all: Vec<_> = validation
            .problems()
            .iter()
            .map(|p| (p.path.clone(), p.code))
            .collect();
        all.sort();
        all
    }

    #[test]
    fn encoded_requests_get_the_problems_their_json_text_gets() {
        let ctx = ValidationContext::new(
            UtcTimestamp::parse_iso8601("2026-11-21T10:00:00Z").expect("time"),
            Environment::Production,
        );
        let base = json!({"transaction": {
            "merchantTransactionId": "mt-1", "orderId": "o-1", "customerId": "c-1",
            "currencyCode": "USD", "amount": 2999, "retryCount": 1, "referenceData": null,
            "paymentMethod": {"creditCardNumber": "4111111111111111", "expiryMonth": "09",
                "expiryYear": "2029", "cvv": "123", "firstName": "Ada", "lastName": "Lovelace",
                "postalCode": "10001", "city": "New York", "state": "NY", "country": "US"},
            "retainOnSuccess": false}});
        let mut corpus = vec![
            base.clone(),
            json!(null),
            json!([1]),
            json!({}),
            json!({"transaction": 5}),
        ];
        let edits: Vec<(&str, Json)> = vec![
            ("/transaction/amount", json!("10.50")),
            ("/transaction/amount", json!(10.5)),
            ("/transaction/amount", json!(-5)),
            ("/transaction/currencyCode", json!("usd")),
            ("/transaction/retryCount", json!(-1)),
            ("/transaction/retryCount", json!("3")),
            ("/transaction/orderId", json!(null)),
            ("/transaction/orderId", json!(42)),
            ("/transaction/currency", json!("USD")),
            ("/transaction/ordrId", json!("x")),
            ("/transaction/assignedGatewayToken", json!("G1")),
            ("/transaction/paymentMethodId", json!("pm-1")),
            ("/transaction/paymentMethod/expiryMonth", json!(9)),
            (
                "/transaction/paymentMethod/creditCardNumber",
                json!("4111111111111112"),
            ),
            (
                "/transaction/paymentMethod/gatewayPaymentMethodId",
                json!("g-1"),
            ),
            ("/transaction/paymentMethod/cvv", json!(true)),
            (
                "/transaction/shippingAddress",
                json!({"city": 5, "zip": "1"}),
            ),
            (
                "/transaction/References",
                json!({"PreviousTransaction": {"gatewayCode": 5}}),
            ),
            ("/transaction/retainOnSuccess", json!("true")),
            ("/transation", json!({"orderId": "o"})),
            ("/extra", json!(1)),
        ];
        for (pointer, value) in edits {
            let mut body = base.clone();
            let (parent, key) = pointer.rsplit_once('/').expect("pointer");
            let target = if parent.is_empty() {
                Some(&mut body)
            } else {
                body.pointer_mut(parent)
            };
            if let Some(Json::Object(map)) = target {
                map.insert(key.to_owned(), value);
            }
            corpus.push(body);
        }
        let mut unwrapped = base["transaction"].clone();
        unwrapped["orderId"] = json!(7);
        corpus.push(unwrapped);
        let mut without_method = base.clone();
        if let Some(t) = without_method["transaction"].as_object_mut() {
            t.remove("paymentMethod");
            t.remove("orderId");
        }
        corpus.push(without_method);
        for body in corpus {
            let text = validate_charge_json(&body.to_string(), &ctx).validation;
            let mut bytes = Vec::new();
            encode_json(&body, &mut bytes);
            let tagged = validate_tagged(0, &bytes, &ctx).expect("charge");
            assert_eq!(paths_and_codes(&tagged), paths_and_codes(&text), "{body}");
        }
    }

    /// Sets the top bit of the length of every encoded string equal to `text`, as JavaScript
    /// marks a string that held a lone surrogate (written with U+FFFD in its place).
    fn mark_lone(bytes: &mut [u8], text: &str) {
        let mut pattern = (text.len() as u32).to_le_bytes().to_vec();
        pattern.extend_from_slice(text.as_bytes());
        let mut at = 0;
        while let Some(found) = bytes[at..]
            .windows(pattern.len())
            .position(|w| w == pattern.as_slice())
        {
            bytes[at + found + 3] |= 0x80;
            at += found + pattern.len();
        }
    }

    #[test]
    fn strings_marked_as_holding_a_lone_surrogate_are_errors_at_their_paths() {
        let ctx = ValidationContext::new(
            UtcTimestamp::parse_iso8601("2026-11-21T10:00:00Z").expect("time"),
            Environment::Production,
        );
        let odd = "New \u{FFFD}York";
        let body = json!({"transaction": {
            "merchantTransactionId": "mt-1", "orderId": "o-1", "customerId": "c-1",
            "currencyCode": "USD", "amount": 2999, "retryCount": 1, "referenceData": null,
            "description": odd,
            "paymentMethod": {"creditCardNumber": "4111111111111111", "expiryMonth": "09",
                "expiryYear": "2029", "cvv": "123", "firstName": "Ada", "lastName": "Lovelace",
                "postalCode": "10001", "city": odd, "state": "NY", "country": "US"},
            "extra": {"list": ["x", odd]},
            "k\u{FFFD}": 1}});
        let mut bytes = Vec::new();
        encode_json(&body, &mut bytes);
        // Unmarked, U+FFFD is a character like any other: only the unknown fields are warned about.
        let unmarked = validate_tagged(0, &bytes, &ctx).expect("charge");
        assert!(unmarked.is_ok(), "{unmarked:?}");
        mark_lone(&mut bytes, odd);
        mark_lone(&mut bytes, "k\u{FFFD}");
        let marked = validate_tagged(0, &bytes, &ctx).expect("charge");
        let errors: Vec<(&str, &str)> =
            marked.errors().map(|p| (p.path.as_str(), p.code)).collect();
        assert_eq!(
            errors,
            [
                ("transaction.description", code::LONE_SURROGATE),
                ("transaction.extra.list[1]", code::LONE_SURROGATE),
                ("transaction[\"k\u{FFFD}\"]", code::LONE_SURROGATE),
                ("transaction.paymentMethod.city", code::LONE_SURROGATE),
            ],
            "{marked:?}"
        );
        let city = marked.at("transaction.paymentMethod.city").expect("city");
        assert!(
            city.message
                .starts_with("\"city\" holds a lone UTF-16 surrogate"),
            "{}",
            city.message
        );
        let key = marked.at("transaction[\"k\u{FFFD}\"]").expect("key");
        assert!(key.message.starts_with("\"k\u{FFFD}\" holds a lone"));
        // Sent without its envelope, the body is checked as if it had one, and so are the
        // surrogates: at the same paths as the other problems.
        let mut bare = Vec::new();
        encode_json(&body["transaction"], &mut bare);
        mark_lone(&mut bare, odd);
        mark_lone(&mut bare, "k\u{FFFD}");
        let bare = validate_tagged(0, &bare, &ctx).expect("charge");
        let mut expected = vec![("", code::MISSING_ENVELOPE)];
        expected.extend_from_slice(&errors);
        let errors: Vec<(&str, &str)> = bare.errors().map(|p| (p.path.as_str(), p.code)).collect();
        assert_eq!(errors, expected, "{bare:?}");
        // A marked string on its own is no object: the body's type is what is wrong.
        let mut text = Vec::new();
        encode_json(&json!(odd), &mut text);
        mark_lone(&mut text, odd);
        let whole = validate_tagged(0, &text, &ctx).expect("charge");
        assert_eq!(paths_and_codes(&whole), [(String::new(), code::WRONG_TYPE)]);
    }

    #[test]
    fn broken_encodings_are_reported_never_panic() {
        let ctx = ValidationContext::new(UtcTimestamp::UNIX_EPOCH, Environment::Production);
        for bytes in [
            &[][..],
            &[9],
            &[4, 255, 255, 255, 255],
            &[7, 200, 0, 0, 0, 0, 0],
            &[0, 0],
        ] {
            let v = validate_tagged(0, bytes, &ctx).expect("charge");
            assert_eq!(v.problems()[0].code, code::INVALID_VALUE);
        }
        let deep: Vec<u8> = std::iter::repeat_n([5u8, 1, 0, 0, 0], 40)
            .flatten()
            .collect();
        let v = validate_tagged(0, &deep, &ctx).expect("charge");
        assert_eq!(v.problems()[0].code, code::TOO_DEEPLY_NESTED);
        assert!(validate_tagged(99, &[0], &ctx).is_none());
    }

    #[test]
    fn no_request_at_all_is_named_apart_from_null() {
        let ctx = ValidationContext::new(UtcTimestamp::UNIX_EPOCH, Environment::Production);
        let message = |bytes: &[u8]| {
            let v = validate_tagged(0, bytes, &ctx).expect("charge");
            assert_eq!(v.problems().len(), 1);
            assert_eq!(v.problems()[0].code, code::WRONG_TYPE);
            v.problems()[0].message.clone()
        };
        assert_eq!(
            message(&[8, 5]),
            "The body must be a JSON object, not undefined (no request was given): send \
             {\"transaction\": {...}}."
        );
        assert!(message(&[0]).starts_with("The body must be a JSON object, not null: "));
    }
}
