//! The fast path of the tagged front end: most requests a checkout sends are *plain* — every
//! key a field of its schema, every value of its field's own type, every required field
//! present, no deprecated alias, no conflicting pair. For such a request the cleaning walk of
//! [`super::clean`] would report nothing and keep every value as it is, so the typed request
//! can be built straight from the encoded bytes.
//!
//! [`read_plain`] reads the bytes once, in place: each object becomes a [`Node`] whose slots
//! hold the field values by index (strings borrow the bytes), with no tree, no copy and one
//! allocation for the node list. Anything that is not plain — an unknown key, a wrong type, a
//! missing required field, an enum value not in the list, an array, a nested value a field
//! does not expect, bytes that do not decode — makes it answer `None`, and the request takes
//! the full path, which finds and words the problems. So the fast path never decides
//! anything the full path would not: `validate_tagged` gives the same result either way
//! (tested on the parity corpus and on random mutations of it).

use super::{as_i64, as_u64, Schemas};
use crate::validation::json::{Choice, Document, Kind, Schema};

/// The most fields a schema has; the field tables are checked against it by the builders.
pub const MAX_FIELDS: usize = 32;

/// The most objects a plain request holds (a charge with every optional object: 6).
const MAX_NODES: usize = 16;

/// One field's value in a [`Node`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Leaf<'a> {
    /// The key is not in the object.
    Absent,
    /// `null` (only ever on an optional field).
    Null,
    Bool(bool),
    Number(f64),
    Str(&'a str),
    /// An object; the index of its node in [`Plain::node`].
    Node(u16),
}

/// An object of a plain request: its schema and its fields' values by index.
#[derive(Debug)]
pub struct Node<'a> {
    pub schema: &'static Schema,
    pub slots: [Leaf<'a>; MAX_FIELDS],
    /// Bit `i`: field `i` holds a value other than `null`.
    given: u32,
}

/// What the plain reader needs of a schema, worked out once from its field table, so that
/// reading a request compares bits instead of field names.
#[derive(Debug)]
pub struct Facts {
    /// Bit `i`: field `i` is required.
    required: u32,
    /// The fields of each `exactly_one_of` group, as bits.
    groups: Vec<u32>,
    /// Each choice the schema is a variant or the fallback of, with the bit of each variant's
    /// key among the schema's fields (0: the schema has no such field).
    choices: Vec<(&'static Choice, Vec<u32>)>,
}

impl Facts {
    pub(super) fn of(schema: &Schema, all: &[&'static Schema]) -> Facts {
        let bit = |name: &str| {
            schema
                .fields
                .iter()
                .position(|f| f.name == name)
                .filter(|&i| i < MAX_FIELDS)
                .map_or(0, |i| 1u32 << i)
        };
        let mut required = 0;
        for (i, field) in schema.fields.iter().enumerate().take(MAX_FIELDS) {
            if field.required {
                required |= 1 << i;
            }
        }
        let groups = schema
            .exactly_one_of
            .iter()
            .map(|group| group.iter().fold(0, |bits, name| bits | bit(name)))
            .collect();
        let mut choices: Vec<(&'static Choice, Vec<u32>)> = Vec::new();
        for field in all.iter().flat_map(|s| s.fields) {
            let Kind::Choice(choice) = field.kind else {
                continue;
            };
            let member = core::ptr::eq(choice.fallback, schema)
                || choice
                    .variants
                    .iter()
                    .any(|(_, v)| core::ptr::eq(*v, schema));
            if member && !choices.iter().any(|(c, _)| core::ptr::eq(*c, choice)) {
                choices.push((
                    choice,
                    choice.variants.iter().map(|(key, _)| bit(key)).collect(),
                ));
            }
        }
        Facts {
            required,
            groups,
            choices,
        }
    }
}

/// A plain request read in place; node 0 is the request object (inside its envelope).
#[derive(Debug)]
pub struct Plain<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Plain<'a> {
    pub fn node(&self, index: u16) -> Option<&Node<'a>> {
        self.nodes.get(usize::from(index))
    }
}

/// Reads `bytes` as a plain request of `document`, or `None` when it is not one (see the
/// module docs).
pub fn read_plain<'a>(
    bytes: &'a [u8],
    schemas: &Schemas,
    document: &Document,
) -> Option<Plain<'a>> {
    let mut reader = Reader {
        bytes,
        at: 0,
        schemas,
        nodes: Vec::with_capacity(4),
    };
    if let Some(envelope) = document.envelope {
        // `{"transaction": {...}}`: keyed by name, nothing beside the envelope.
        if reader.byte()? != 6 || reader.u32()? != 1 || reader.str()? != envelope {
            return None;
        }
    }
    if reader.byte()? != 7 {
        return None;
    }
    let (id, schema) = reader.schema()?;
    if !core::ptr::eq(schema, document.schema) {
        return None;
    }
    reader.object(id, schema)?;
    (reader.at == bytes.len()).then_some(Plain {
        nodes: reader.nodes,
    })
}

/// `bytes` as UTF-8. Request strings are nearly always ASCII: eight bytes at a time without
/// early exit, before the full check.
#[inline(always)]
pub(super) fn text(bytes: &[u8]) -> Option<&str> {
    let mut words = bytes.chunks_exact(8);
    let mut high = words.by_ref().fold(0u64, |acc, w| {
        acc | u64::from_le_bytes(w.try_into().unwrap_or([0x80; 8]))
    });
    high |= words
        .remainder()
        .iter()
        .fold(0u64, |acc, &b| acc | u64::from(b));
    if high & 0x8080_8080_8080_8080 == 0 {
        // SAFETY: every byte is below 0x80, so the bytes are ASCII, hence UTF-8.
        Some(unsafe { core::str::from_utf8_unchecked(bytes) })
    } else {
        core::str::from_utf8(bytes).ok()
    }
}

struct Reader<'a, 's> {
    bytes: &'a [u8],
    at: usize,
    schemas: &'s Schemas,
    nodes: Vec<Node<'a>>,
}

impl<'a> Reader<'a, '_> {
    #[inline(always)]
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    #[inline(always)]
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    #[inline(always)]
    fn u16(&mut self) -> Option<u16> {
        let b = self.take(2)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    }

    #[inline(always)]
    fn u32(&mut self) -> Option<usize> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()?;
        text(self.take(len)?)
    }

    /// A schema id and its schema.
    fn schema(&mut self) -> Option<(usize, &'static Schema)> {
        let id = usize::from(self.u16()?);
        Some((id, *self.schemas.get(id)?))
    }

    /// The fields of an object whose tag and schema id were read; returns its node index.
    fn object(&mut self, id: usize, schema: &'static Schema) -> Option<u16> {
        let facts = self.schemas.facts(id)?;
        if self.nodes.len() >= MAX_NODES || schema.fields.len() > MAX_FIELDS {
            return None;
        }
        let index = self.nodes.len();
        self.nodes.push(Node {
            schema,
            slots: [Leaf::Absent; MAX_FIELDS],
            given: 0,
        });
        let count = self.u32()?;
        let mut present: u32 = 0;
        let mut given: u32 = 0;
        for _ in 0..count {
            // An unknown key (0xFFFF) has no field: not plain.
            let at = usize::from(self.u16()?);
            let field = schema.fields.get(at)?;
            let bit = 1 << at;
            if present & bit != 0 {
                return None;
            }
            present |= bit;
            let leaf = self.value(field.kind)?;
            if leaf == Leaf::Null {
                if field.required {
                    return None;
                }
            } else {
                given |= bit;
            }
            let node = self.nodes.get_mut(index)?;
            node.slots[at] = leaf;
            node.given = given;
        }
        if facts.required & !given != 0
            || facts.groups.iter().any(|g| (given & g).count_ones() != 1)
        {
            return None;
        }
        u16::try_from(index).ok()
    }

    /// A value of a field of `kind` that the cleaning walk would keep without a word.
    fn value(&mut self, kind: Kind) -> Option<Leaf<'a>> {
        let tag = self.byte()?;
        Some(match (tag, kind) {
            // A deprecated alias is always worth a warning.
            (_, Kind::Alias(_)) => return None,
            (0, _) => Leaf::Null,
            (1 | 2, Kind::Bool) => Leaf::Bool(tag == 2),
            (3, Kind::Number | Kind::MinorUnits { .. } | Kind::Count { .. }) => {
                let b = self.take(8)?;
                let mut raw = [0u8; 8];
                raw.copy_from_slice(b);
                let n = f64::from_le_bytes(raw);
                let kept = match kind {
                    Kind::MinorUnits { .. } => as_i64(n).is_some(),
                    Kind::Count { max, .. } => as_u64(n).is_some_and(|n| n <= max),
                    _ => true,
                };
                if !kept {
                    return None;
                }
                Leaf::Number(n)
            }
            (4, Kind::Text | Kind::Digits { .. } | Kind::SecretDigits) => Leaf::Str(self.str()?),
            (4, Kind::Enum(values)) => {
                let s = self.str()?;
                if !values.contains(&s) {
                    return None;
                }
                Leaf::Str(s)
            }
            (7, Kind::Object(expected)) => {
                let (id, schema) = self.schema()?;
                if !core::ptr::eq(schema, expected) {
                    return None;
                }
                Leaf::Node(self.object(id, schema)?)
            }
            (7, Kind::Choice(choice)) => {
                let (id, schema) = self.schema()?;
                let index = self.object(id, schema)?;
                // The variant the cleaning walk picks: the first whose key is present, with
                // no other variant's key beside it; none present means the fallback.
                let given = self.nodes.get(usize::from(index))?.given;
                let (_, keys) = self
                    .schemas
                    .facts(id)?
                    .choices
                    .iter()
                    .find(|(c, _)| core::ptr::eq(*c, choice))?;
                let mut picked = None;
                for (key, (_, variant)) in keys.iter().zip(choice.variants) {
                    if given & key != 0 {
                        if picked.is_some() {
                            return None;
                        }
                        picked = Some(*variant);
                    }
                }
                if !core::ptr::eq(schema, picked.unwrap_or(choice.fallback)) {
                    return None;
                }
                Leaf::Node(index)
            }
            // Arrays, objects of any content, values JSON cannot hold, wrong types: the full
            // path reads (or reports) them.
            _ => return None,
        })
    }
}
