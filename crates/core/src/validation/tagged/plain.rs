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

use super::{as_i64, as_u64};
use crate::validation::json::{Document, Kind, Schema};

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
    schemas: &[&'static Schema],
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
    let schema = reader.schema()?;
    if !core::ptr::eq(schema, document.schema) {
        return None;
    }
    reader.object(schema)?;
    (reader.at == bytes.len()).then_some(Plain {
        nodes: reader.nodes,
    })
}

struct Reader<'a, 's> {
    bytes: &'a [u8],
    at: usize,
    schemas: &'s [&'static Schema],
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
        let bytes = self.take(len)?;
        // Request strings are nearly always ASCII: eight bytes at a time without early exit,
        // before the full UTF-8 check.
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

    fn schema(&mut self) -> Option<&'static Schema> {
        let id = usize::from(self.u16()?);
        self.schemas.get(id).copied()
    }

    /// The fields of an object whose tag and schema id were read; returns its node index.
    fn object(&mut self, schema: &'static Schema) -> Option<u16> {
        if self.nodes.len() >= MAX_NODES || schema.fields.len() > MAX_FIELDS {
            return None;
        }
        let index = self.nodes.len();
        self.nodes.push(Node {
            schema,
            slots: [Leaf::Absent; MAX_FIELDS],
        });
        let count = self.u32()?;
        let mut present: u32 = 0;
        for _ in 0..count {
            // An unknown key (0xFFFF) has no field: not plain.
            let at = usize::from(self.u16()?);
            let field = schema.fields.get(at)?;
            if present & (1 << at) != 0 {
                return None;
            }
            present |= 1 << at;
            let leaf = self.value(field.kind)?;
            if leaf == Leaf::Null && field.required {
                return None;
            }
            self.nodes[index].slots[at] = leaf;
        }
        let node = &self.nodes[index];
        let given = |i: usize| !matches!(node.slots[i], Leaf::Absent | Leaf::Null);
        for (i, field) in schema.fields.iter().enumerate() {
            if field.required && !given(i) {
                return None;
            }
        }
        for group in schema.exactly_one_of {
            let mut sent = 0;
            for name in *group {
                if let Some(i) = schema.fields.iter().position(|f| f.name == *name) {
                    sent += usize::from(given(i));
                }
            }
            if sent != 1 {
                return None;
            }
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
                let schema = self.schema()?;
                if !core::ptr::eq(schema, expected) {
                    return None;
                }
                Leaf::Node(self.object(schema)?)
            }
            (7, Kind::Choice(choice)) => {
                let schema = self.schema()?;
                let index = self.object(schema)?;
                // The variant the cleaning walk picks: the first whose key is present, with
                // no other variant's key beside it; none present means the fallback.
                let node = &self.nodes[usize::from(index)];
                let mut picked = None;
                for (key, variant) in choice.variants {
                    let sent = schema
                        .fields
                        .iter()
                        .position(|f| f.name == *key)
                        .is_some_and(|i| !matches!(node.slots[i], Leaf::Absent | Leaf::Null));
                    if sent {
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
