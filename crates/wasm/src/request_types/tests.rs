//! The TypeScript request types against the core's field tables.
//!
//! Each request kind's type (`FlexPayRequests[kind]`) is read from the declarations' text and
//! walked along the kind's `Document` of `flexpay/validate/json.rs` (`REQUEST_KINDS`, the
//! tables `taggedSchemas()` hands the JS layer): an envelope where the core has one, every
//! field of every schema typed and no field the core does not know (a `never` field, which
//! keeps a union's variants apart, is not a field), required fields required and not
//! nullable, optional ones nullable (the core reads `null` as absent), the JSON type of each
//! field's kind, nested objects and the variants of a choice, and the core's deprecated aliases
//! typed as `@deprecated`. The reader below knows only the subset of TypeScript these
//! declarations are written in.

use std::collections::{BTreeMap, BTreeSet};

use flexkit_core::flexpay::account::Environment;
use flexkit_core::flexpay::validate::{
    validate_charge_json, validate_create_payment_method_json, ValidationContext, REQUEST_KINDS,
};
use flexkit_core::validation::json::{Document, Kind, Schema};
use flexkit_core::UtcTimestamp;

use super::REQUEST_TYPES_TS;
use crate::validation_types::VALIDATION_TYPES_TS;

/// Fields the core's schema has as optional but its typed validator requires, so the
/// TypeScript types require them: (path of the object, field). The last test proves each.
const REQUIRED_BY_THE_VALIDATOR: &[(&str, &str)] = &[
    ("transaction.paymentMethod", "postalCode"),
    ("transaction.paymentMethod", "city"),
    ("transaction.paymentMethod", "state"),
    ("paymentMethod.creditCard", "postalCode"),
    ("paymentMethod.creditCard", "city"),
    ("paymentMethod.creditCard", "state"),
    ("paymentMethod.gatewayPaymentMethod", "postalCode"),
    ("paymentMethod.gatewayPaymentMethod", "city"),
    ("paymentMethod.gatewayPaymentMethod", "state"),
    // Of a gateway payment method only; optional for a card.
    ("paymentMethod", "customerId"),
];

/// One property of an object type.
#[derive(Clone, Debug)]
struct Member {
    name: String,
    optional: bool,
    ty: String,
    deprecated: bool,
}

impl Member {
    fn alternatives(&self) -> Vec<String> {
        split_top(&self.ty, '|')
    }

    fn nullable(&self) -> bool {
        self.alternatives().iter().any(|a| a == "null")
    }

    /// `never`: the field may not be there (it belongs to another variant).
    fn excluded(&self) -> bool {
        self.ty == "never"
    }

    /// `null` alone: the field may be there only as null (it belongs to another variant).
    fn only_null(&self) -> bool {
        self.alternatives() == ["null"]
    }
}

type Shape = Vec<Member>;

enum Declaration {
    Interface { extends: Vec<String>, body: String },
    Alias(String),
}

/// Index of the first `stop` at depth 0 from `from`, skipping comments and strings; the end of
/// the text when there is none.
fn find_top(text: &str, from: usize, stop: &[u8]) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| i + 2 + end + 2);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |end| i + end + 1);
                continue;
            }
            b'"' => {
                i = text[i + 1..]
                    .find('"')
                    .map_or(bytes.len(), |end| i + 1 + end + 1);
                continue;
            }
            c if depth == 0 && stop.contains(&c) => return i,
            b'{' | b'(' | b'[' | b'<' => depth += 1,
            b'}' | b')' | b']' | b'>' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The parts of `ty` separated by `sep` at depth 0, trimmed, empty ones (a leading `|`) left out.
fn split_top(ty: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    loop {
        let end = find_top(ty, start, &[sep as u8]);
        let part = strip_comments(&ty[start..end]);
        if !part.is_empty() {
            parts.push(part);
        }
        if end >= ty.len() {
            return parts;
        }
        start = end + 1;
    }
}

/// `text` without its comments, trimmed.
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("/*") {
        out.push_str(&rest[..at]);
        rest = rest[at..]
            .find("*/")
            .map_or("", |end| &rest[at + end + 2..]);
    }
    out.push_str(rest);
    out.trim().to_owned()
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The members of an object type's body (the text between its braces).
fn members(body: &str) -> Shape {
    let mut shape = Vec::new();
    let mut rest = body;
    let mut deprecated = false;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return shape;
        }
        if let Some(comment) = rest.strip_prefix("/*") {
            let end = comment.find("*/").expect("an unterminated comment");
            deprecated |= comment[..end].contains("@deprecated");
            rest = &comment[end + 2..];
            continue;
        }
        if rest.starts_with("//") {
            rest = rest.find('\n').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        let end = find_top(rest, 0, b";");
        let declaration = rest[..end].trim();
        rest = rest.get(end + 1..).unwrap_or("");
        let (name, ty) = if declaration.starts_with('[') {
            // An index signature: `[key: string]: JsonValue`.
            let close = find_top(declaration, 1, b"]");
            ("[index]".to_owned(), &declaration[close + 1..])
        } else {
            let name = identifier(declaration);
            assert!(!name.is_empty(), "cannot read the member `{declaration}`");
            (name.to_owned(), &declaration[name.len()..])
        };
        let (optional, ty) = match ty.trim_start().strip_prefix('?') {
            Some(ty) => (true, ty),
            None => (false, ty),
        };
        let ty = ty
            .trim_start()
            .strip_prefix(':')
            .unwrap_or_else(|| panic!("`{declaration}` has no type"));
        shape.push(Member {
            name,
            optional,
            ty: strip_comments(ty),
            deprecated,
        });
        deprecated = false;
    }
}

/// The declarations of one or more texts, by name.
struct Declarations(BTreeMap<String, Declaration>);

impl Declarations {
    fn read(texts: &[&str]) -> Declarations {
        let mut all = BTreeMap::new();
        for text in texts {
            let mut at = 0;
            while let Some(found) = text[at..].find("export ") {
                let start = at + found + "export ".len();
                let rest = &text[start..];
                if let Some(rest) = rest.strip_prefix("interface ") {
                    let name = identifier(rest);
                    let open = rest.find('{').expect("an interface without a body");
                    let extends = rest[name.len()..open]
                        .trim()
                        .strip_prefix("extends")
                        .map(|list| list.split(',').map(|s| s.trim().to_owned()).collect())
                        .unwrap_or_default();
                    let close = find_top(rest, open + 1, b"}");
                    let body = rest[open + 1..close].to_owned();
                    all.insert(name.to_owned(), Declaration::Interface { extends, body });
                    at = start + close;
                } else if let Some(rest) = rest.strip_prefix("type ") {
                    let name = identifier(rest);
                    let equals = rest.find('=').expect("a type without `=`");
                    let end = find_top(rest, equals + 1, b";");
                    all.insert(
                        name.to_owned(),
                        Declaration::Alias(rest[equals + 1..end].trim().to_owned()),
                    );
                    at = start + end;
                } else {
                    at = start;
                }
            }
        }
        Declarations(all)
    }

    /// The members of an interface, those of the interfaces it extends first.
    fn interface(&self, name: &str) -> Shape {
        let Some(Declaration::Interface { extends, body }) = self.0.get(name) else {
            panic!("{name} is not an interface");
        };
        let mut shape: Shape = Vec::new();
        for base in extends {
            shape.extend(self.interface(base));
        }
        for member in members(body) {
            shape.retain(|m| m.name != member.name);
            shape.push(member);
        }
        shape
    }

    /// The object types `ty` may be (`null` and `undefined` left out).
    fn shapes(&self, ty: &str) -> Result<Vec<Shape>, String> {
        let mut shapes = Vec::new();
        for alternative in split_top(ty, '|') {
            if ["null", "undefined"].contains(&alternative.as_str()) {
                continue;
            }
            let mut merged: Vec<Shape> = vec![Vec::new()];
            for part in split_top(&alternative, '&') {
                let parts = if let Some(body) = part.strip_prefix('{') {
                    vec![members(body.strip_suffix('}').unwrap_or(body))]
                } else {
                    match self.0.get(part.as_str()) {
                        Some(Declaration::Interface { .. }) => vec![self.interface(&part)],
                        Some(Declaration::Alias(aliased)) => self.shapes(aliased)?,
                        None => return Err(format!("`{part}` is not an object type")),
                    }
                };
                merged = merged
                    .iter()
                    .flat_map(|left| {
                        parts.iter().map(move |right| {
                            let mut shape = left.clone();
                            shape.extend(right.iter().cloned());
                            shape
                        })
                    })
                    .collect();
            }
            shapes.extend(merged);
        }
        Ok(shapes)
    }

    /// The scalar alternatives of `ty`, aliases expanded, `null` left out.
    fn atoms(&self, ty: &str) -> BTreeSet<String> {
        let mut atoms = BTreeSet::new();
        for alternative in split_top(ty, '|') {
            match self.0.get(alternative.as_str()) {
                Some(Declaration::Alias(aliased)) => atoms.extend(self.atoms(aliased)),
                _ if alternative == "null" => {}
                _ => {
                    atoms.insert(alternative);
                }
            }
        }
        atoms
    }
}

/// Walks the TypeScript types along the core's schemas and lists every disagreement.
struct Checker<'a> {
    types: &'a Declarations,
    errors: Vec<String>,
    stricter_used: BTreeSet<(String, String)>,
}

impl Checker<'_> {
    fn error(&mut self, message: String) {
        self.errors.push(message);
    }

    fn document(&mut self, kind: &str, document: &Document, ty: &str) {
        let shapes = match self.types.shapes(ty) {
            Ok(shapes) => shapes,
            Err(e) => return self.error(format!("{kind}: {e}")),
        };
        let Some(envelope) = document.envelope else {
            return self.object(document.schema, &shapes, "");
        };
        let mut inner = Vec::new();
        for shape in &shapes {
            let names: Vec<&str> = shape.iter().map(|m| m.name.as_str()).collect();
            if names != [envelope] {
                self.error(format!(
                    "{kind}: the body is {{ {envelope}: ... }} alone, the type has {names:?}"
                ));
            }
            for member in shape.iter().filter(|m| m.name == envelope) {
                if member.optional || member.nullable() {
                    self.error(format!("{kind}: `{envelope}` is required and not null"));
                }
                match self.types.shapes(&member.ty) {
                    Ok(shapes) => inner.extend(shapes),
                    Err(e) => self.error(format!("{kind}.{envelope}: {e}")),
                }
            }
        }
        self.object(document.schema, &inner, envelope);
    }

    fn object(&mut self, schema: &Schema, shapes: &[Shape], path: &str) {
        let at = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        let typed: BTreeSet<&str> = shapes
            .iter()
            .flatten()
            .filter(|m| !m.excluded())
            .map(|m| m.name.as_str())
            .collect();
        let known: BTreeSet<&str> = schema.fields.iter().map(|f| f.name).collect();
        for name in known.difference(&typed) {
            self.error(format!("{}: the core takes it, no type has it", at(name)));
        }
        for name in typed.difference(&known) {
            self.error(format!(
                "{}: typed, but the core does not know it (it would be `unknown_field`)",
                at(name)
            ));
        }
        for field in schema.fields {
            let path_of_field = at(field.name);
            let members: Vec<&Member> = shapes
                .iter()
                .flatten()
                .filter(|m| m.name == field.name && !m.excluded())
                .collect();
            if members.is_empty() {
                continue;
            }
            let in_group = schema
                .exactly_one_of
                .iter()
                .any(|group| group.contains(&field.name));
            let is_alias = matches!(field.kind, Kind::Alias(_));
            for member in &members {
                if member.deprecated != is_alias {
                    self.error(format!(
                        "{path_of_field}: `@deprecated` exactly when the core reads it as an alias \
                         (alias: {is_alias})"
                    ));
                }
            }
            if field.required {
                for shape in shapes {
                    let member = shape.iter().find(|m| m.name == field.name);
                    if !member.is_some_and(|m| !m.optional && !m.nullable() && !m.excluded()) {
                        self.error(format!("{path_of_field}: required, not null"));
                    }
                }
            } else if !in_group {
                for member in &members {
                    if member.optional {
                        if !member.nullable() {
                            self.error(format!(
                                "{path_of_field}: optional, so null too (the core reads null as absent)"
                            ));
                        }
                    } else if REQUIRED_BY_THE_VALIDATOR.contains(&(path, field.name)) {
                        self.stricter_used
                            .insert((path.to_owned(), field.name.to_owned()));
                    } else {
                        self.error(format!(
                            "{path_of_field}: required in TypeScript, optional in the core"
                        ));
                    }
                }
            }
            let types: Vec<String> = members
                .iter()
                .filter(|m| !m.only_null())
                .map(|m| m.ty.clone())
                .collect();
            self.kind(field.kind, &types, &path_of_field);
        }
    }

    fn kind(&mut self, kind: Kind, types: &[String], path: &str) {
        let expect_atoms = |this: &mut Self, ok: &dyn Fn(&str) -> bool, what: &str| {
            for ty in types {
                let atoms = this.types.atoms(ty);
                if atoms.is_empty() || !atoms.iter().all(|a| ok(a)) {
                    this.error(format!("{path}: {what}, typed `{ty}`"));
                }
            }
        };
        match kind {
            Kind::Text | Kind::Digits { .. } | Kind::SecretDigits | Kind::Alias(_) => {
                // A string, or string literals (a stricter list the typed validator enforces).
                expect_atoms(
                    self,
                    &|a| a == "string" || (a.starts_with('"') && a.ends_with('"')),
                    "a string",
                );
            }
            Kind::Bool => expect_atoms(self, &|a| a == "boolean", "true or false"),
            Kind::MinorUnits { .. } | Kind::Count { .. } | Kind::Number => {
                expect_atoms(self, &|a| a == "number", "a number")
            }
            Kind::TextList => expect_atoms(self, &|a| a == "string[]", "an array of strings"),
            Kind::Enum(values) => {
                let expected: BTreeSet<String> =
                    values.iter().map(|v| format!("\"{v}\"")).collect();
                for ty in types {
                    let atoms = self.types.atoms(ty);
                    if atoms != expected {
                        self.error(format!("{path}: one of {expected:?}, typed {atoms:?}"));
                    }
                }
            }
            Kind::AnyObject => {
                for ty in types {
                    let shapes = self.types.shapes(ty).unwrap_or_default();
                    if shapes.is_empty()
                        || !shapes.iter().all(|s| s.iter().any(|m| m.name == "[index]"))
                    {
                        self.error(format!("{path}: any object, typed `{ty}`"));
                    }
                }
            }
            Kind::Object(child) => {
                let shapes = self.shapes_of(types, path);
                self.object(child, &shapes, path);
            }
            Kind::Choice(choice) => {
                let shapes = self.shapes_of(types, path);
                let has = |shape: &Shape, key: &str| {
                    shape
                        .iter()
                        .any(|m| m.name == key && !m.excluded() && !m.only_null())
                };
                for shape in &shapes {
                    let keys = choice
                        .variants
                        .iter()
                        .filter(|(k, _)| has(shape, k))
                        .count();
                    if keys != 1 {
                        self.error(format!(
                            "{path}: each variant has exactly one of the keys that tell them \
                             apart; one has {keys}"
                        ));
                    }
                }
                for (key, schema) in choice.variants {
                    let variant: Vec<Shape> =
                        shapes.iter().filter(|s| has(s, key)).cloned().collect();
                    if variant.is_empty() {
                        self.error(format!("{path}: no type for the variant with `{key}`"));
                    } else {
                        self.object(schema, &variant, path);
                    }
                }
            }
        }
    }

    fn shapes_of(&mut self, types: &[String], path: &str) -> Vec<Shape> {
        let mut shapes = Vec::new();
        for ty in types {
            match self.types.shapes(ty) {
                Ok(found) => shapes.extend(found),
                Err(e) => self.error(format!("{path}: {e}")),
            }
        }
        shapes
    }
}

/// Every disagreement between `ts` and the core, and the stricter fields it relies on.
fn disagreements(ts: &str) -> (Vec<String>, BTreeSet<(String, String)>) {
    let types = Declarations::read(&[ts, VALIDATION_TYPES_TS]);
    let mut checker = Checker {
        types: &types,
        errors: Vec::new(),
        stricter_used: BTreeSet::new(),
    };
    let kinds: BTreeSet<&str> = REQUEST_KINDS.iter().map(|(name, _)| *name).collect();
    let map = types.interface("FlexPayRequests");
    let typed: BTreeSet<&str> = map.iter().map(|m| m.name.as_str()).collect();
    if typed != kinds {
        checker.error(format!(
            "FlexPayRequests names {typed:?}, the core's kinds are {kinds:?}"
        ));
    }
    let listed: BTreeSet<String> = kinds.iter().map(|k| format!("\"{k}\"")).collect();
    if types.atoms("RequestKind") != listed {
        checker.error("RequestKind lists other kinds than the core's".to_owned());
    }
    for (kind, document) in REQUEST_KINDS.iter() {
        if let Some(member) = map.iter().find(|m| m.name == *kind) {
            if member.optional || member.nullable() {
                checker.error(format!("FlexPayRequests.{kind}: not optional"));
            }
            checker.document(kind, document, &member.ty);
        }
    }
    let Checker {
        errors,
        stricter_used,
        ..
    } = checker;
    (errors, stricter_used)
}

#[test]
fn every_request_type_has_the_core_s_fields_and_no_other() {
    let (errors, stricter_used) = disagreements(REQUEST_TYPES_TS);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let listed: BTreeSet<(String, String)> = REQUIRED_BY_THE_VALIDATOR
        .iter()
        .map(|(path, field)| ((*path).to_owned(), (*field).to_owned()))
        .collect();
    assert_eq!(
        stricter_used, listed,
        "REQUIRED_BY_THE_VALIDATOR lists a field no type requires"
    );
}

#[test]
fn the_check_sees_drift_either_way() {
    let cases: [(&str, &str, &[&str]); 11] = [
        // A misspelt field: the core's is not typed, the typed one is unknown to the core.
        (
            "  orderId: string;\n",
            "  orderID: string;\n",
            &[
                "transaction.orderId: the core takes it",
                "transaction.orderID: typed",
            ],
        ),
        // A field the core does not have.
        (
            "  city: string;\n",
            "  city: string;\n  county?: string | null;\n",
            &[
                "transaction.paymentMethod.county: typed",
                "paymentMethod.creditCard.county",
            ],
        ),
        // A wrong JSON type.
        (
            "  amount: number;\n",
            "  amount: number | string;\n",
            &["transaction.amount: a number"],
        ),
        // A required field made optional.
        (
            "  merchantTransactionId: string;\n  /** Your order's id",
            "  merchantTransactionId?: string | null;\n  /** Your order's id",
            &["transaction.merchantTransactionId: required"],
        ),
        // An optional field that is not nullable.
        (
            "  customerIp?: string | null;",
            "  customerIp?: string;",
            &["transaction.customerIp: optional, so null too"],
        ),
        // An alias without @deprecated.
        (
            "   * @deprecated The name one client library",
            "   * The name one client library",
            &["sinceToken: `@deprecated`"],
        ),
        // An enum that lost a value.
        (
            "  order?: \"asc\" | \"desc\" | null;",
            "  order?: \"asc\" | null;",
            &["order: one of"],
        ),
        // Deep in a gateway: a brand left out.
        (
            "  maestro?: CardAcceptance | null;\n",
            "",
            &["acceptedCards.maestro: the core takes it"],
        ),
        // In a variant of a choice.
        (
            "  gatewayPaymentMethodId: string;",
            "  gatewayPaymentMethodId?: string | null;",
            &["transaction.paymentMethod.gatewayPaymentMethodId: required"],
        ),
        // Behind an inline object.
        (
            "      cvv: string;",
            "      cvv: number;",
            &["paymentMethod.creditCard.cvv: a string"],
        ),
        // A kind without its type.
        (
            "  autoRetryConfig: AutoRetryConfig;\n",
            "",
            &["FlexPayRequests names"],
        ),
    ];
    for (from, to, expected) in cases {
        assert!(
            REQUEST_TYPES_TS.contains(from),
            "{from:?} is not in the types"
        );
        let (errors, _) = disagreements(&REQUEST_TYPES_TS.replacen(from, to, 1));
        for message in expected {
            assert!(
                errors.iter().any(|e| e.contains(message)),
                "{to:?}: expected {message:?} among {errors:#?}"
            );
        }
    }
}

/// What [`REQUIRED_BY_THE_VALIDATOR`] claims: a request without one of those fields is refused
/// with `required` at its path.
#[test]
fn the_fields_typed_stricter_are_required_by_the_validators() {
    let ctx = ValidationContext::new(
        UtcTimestamp::parse_iso8601("2026-11-21T10:00:00Z").unwrap(),
        Environment::Sandbox,
    );
    let holder =
        r#""fullName": "Ada Lovelace", "postalCode": "10001", "city": "New York", "state": "NY""#;
    let card = format!(
        r#"{{"creditCardNumber": "4111111111111111", "expiryMonth": "12", "expiryYear": "2030", {holder}}}"#
    );
    let gateway = format!(r#"{{"gatewayPaymentMethodId": "tok_1", {holder}}}"#);
    let charge = |method: &str| {
        format!(
            r#"{{"transaction": {{"merchantTransactionId": "m-1", "orderId": "o-1",
                "customerId": "c-1", "currencyCode": "USD", "amount": 100, "retryCount": 1,
                "paymentMethod": {method}}}}}"#
        )
    };
    let vault = |key: &str, method: &str| {
        format!(r#"{{"paymentMethod": {{"customerId": "c-1", "{key}": {method}}}}}"#)
    };
    let problems = |path: &str, text: &str| -> Vec<(String, &'static str)> {
        let validation = if path.starts_with("transaction") {
            validate_charge_json(text, &ctx).validation
        } else {
            validate_create_payment_method_json(text, &ctx).validation
        };
        validation
            .errors()
            .map(|p| (p.path.clone(), p.code))
            .collect()
    };
    let bodies = [
        ("transaction.paymentMethod", charge(&card)),
        ("transaction.paymentMethod", charge(&gateway)),
        ("paymentMethod.creditCard", vault("creditCard", &card)),
        (
            "paymentMethod.gatewayPaymentMethod",
            vault("gatewayPaymentMethod", &gateway),
        ),
    ];
    for (path, body) in &bodies {
        assert_eq!(problems(path, body), [], "{body}");
    }
    for (path, field) in REQUIRED_BY_THE_VALIDATOR {
        let body = if *path == "paymentMethod" {
            vault("gatewayPaymentMethod", &gateway)
        } else {
            bodies
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, b)| b.clone())
                .unwrap()
        };
        let key = format!("\"{field}\": ");
        let at = body.find(&key).unwrap();
        let end = at + body[at..].find(['}', ',']).unwrap();
        let without = format!("{}\"x-removed\": null{}", &body[..at], &body[end..]);
        let without = without
            .replace("\"x-removed\": null, ", "")
            .replace(", \"x-removed\": null", "");
        assert!(!without.contains("x-removed"), "{without}");
        let found = problems(path, &without);
        assert!(
            found.contains(&(format!("{path}.{field}"), "required")),
            "without {path}.{field}: {found:?}"
        );
    }
}
