//! How a stored transaction keeps its text compactly: the merchant transaction id inline when
//! it is short ([`CompactText`]), and the echoed request fields as one shared block
//! ([`SharedEcho`], written by an [`EchoWriter`]). A sandbox holding a million transactions
//! then holds a heap block per distinct echo (one per payment, shared by its retries), not a
//! string per field per transaction; dropping it frees as few. Both serialize exactly as the
//! plain strings and maps they replace, so snapshots do not change.

use core::fmt;
use std::sync::Arc;

#[cfg(test)]
use serde::{Deserialize, Deserializer};
use serde::{Serialize, Serializer};

use super::transactions::EchoField;

/// Bytes a [`CompactText`] keeps inline: 22 plus its length byte and tag make it as small as
/// a `String` (24 bytes).
const INLINE: usize = 22;

/// Text that is usually short, such as a merchant transaction id: up to 22 bytes are kept
/// inline, without a heap block; longer text takes one exact-size block.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum CompactText {
    Inline { length: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl CompactText {
    pub(crate) fn new(text: &str) -> CompactText {
        let mut bytes = [0u8; INLINE];
        match bytes.get_mut(..text.len()) {
            Some(start) => {
                start.copy_from_slice(text.as_bytes());
                CompactText::Inline {
                    // At most INLINE, so it fits.
                    length: text.len() as u8,
                    bytes,
                }
            }
            None => CompactText::Heap(text.into()),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Always a whole `&str` copied in: valid UTF-8, so this never answers "".
            CompactText::Inline { length, bytes } => bytes
                .get(..usize::from(*length))
                .and_then(|text| core::str::from_utf8(text).ok())
                .unwrap_or_default(),
            CompactText::Heap(text) => text,
        }
    }

    /// The text's bytes, without checking the inline bytes' UTF-8 again.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            CompactText::Inline { length, bytes } => {
                bytes.get(..usize::from(*length)).unwrap_or_default()
            }
            CompactText::Heap(text) => text.as_bytes(),
        }
    }

    /// Compares without checking the inline bytes' UTF-8 again.
    pub(crate) fn is(&self, text: &[u8]) -> bool {
        self.as_bytes() == text
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, CompactText::Inline { length: 0, .. })
    }
}

impl Default for CompactText {
    fn default() -> Self {
        CompactText::new("")
    }
}

impl From<String> for CompactText {
    fn from(text: String) -> Self {
        if text.len() <= INLINE {
            CompactText::new(&text)
        } else {
            CompactText::Heap(text.into_boxed_str())
        }
    }
}

impl core::ops::Deref for CompactText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for CompactText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for CompactText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CompactText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// serde's reader, for the tests' comparison with the snapshot's reader.
#[cfg(test)]
impl<'de> Deserialize<'de> for CompactText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(CompactText::from)
    }
}

/// Characters of an entry's length: 5 × 7 bits hold any `u32`.
const LENGTH_CHARS: usize = 5;
/// An entry: the field's index, then its value's length.
const ENTRY: usize = 1 + LENGTH_CHARS;
/// Most entries a block holds (its count is one ASCII character).
const MAX_ENTRIES: usize = 127;

/// The echoed request fields of a stored transaction, in the order they were sent. Shared: a
/// retry that echoes exactly what the previous transaction echoed, a follow-up and a
/// scheduled retry point at the same block instead of holding copies. No block at all when
/// nothing is echoed.
///
/// The block is one `str`: the values one after another, then one entry per field (its
/// index, then the value's length in base 128, least significant first, 5 characters), then
/// the number of entries. Indexes, length digits and the count are all below 128, so ASCII,
/// and every value is sliced out on the boundaries it was written with.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct SharedEcho(Option<Arc<str>>);

impl SharedEcho {
    /// The value of `field`, if it was sent.
    pub(crate) fn get(&self, field: EchoField) -> Option<&str> {
        self.iter()
            .find(|(f, _)| *f == field)
            .map(|(_, value)| value)
    }

    /// Every field's value, indexed by `field as usize`, in one pass over the block: for
    /// building a response, which reads most fields.
    pub(crate) fn values(&self) -> [Option<&str>; EchoField::ALL.len()] {
        let mut values = [None; EchoField::ALL.len()];
        for (field, value) in self.iter() {
            if let Some(slot) = values.get_mut(field as usize) {
                // The first one, as `get` finds it.
                slot.get_or_insert(value);
            }
        }
        values
    }

    /// Every echoed field and its value, in the order they were sent.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (EchoField, &str)> + '_ {
        let block = self.0.as_deref().unwrap_or_default();
        let bytes = block.as_bytes();
        let count = bytes.last().map_or(0, |&count| usize::from(count));
        let entries_start = bytes.len().saturating_sub(1 + count * ENTRY);
        let entries = bytes
            .get(entries_start..bytes.len().saturating_sub(1))
            .unwrap_or_default();
        let mut start = 0usize;
        entries.chunks_exact(ENTRY).filter_map(move |entry| {
            let field = EchoField::ALL.get(usize::from(entry[0]))?;
            let length = entry[1..]
                .iter()
                .rev()
                .fold(0usize, |length, &digit| length << 7 | usize::from(digit));
            let end = start.checked_add(length)?.min(entries_start);
            let value = block.get(start..end)?;
            start = end;
            Some((*field, value))
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The block `writer` gathered: the block it was started with when it holds exactly the
    /// same fields (a retry echoing what its previous attempt echoed), a new one otherwise.
    /// The writer is left empty, its capacity kept for the next request.
    pub(crate) fn from_writer(writer: &mut EchoWriter) -> Self {
        let echo = if writer.count == 0 {
            SharedEcho(None)
        } else {
            writer.finish();
            match writer.previous.take() {
                Some(previous) if *previous == *writer.text => SharedEcho(Some(previous)),
                _ => SharedEcho(Some(Arc::from(writer.text.as_str()))),
            }
        };
        writer.start(None);
        echo
    }
}

impl fmt::Debug for SharedEcho {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Gathers a request's echoed fields into the form of a [`SharedEcho`] block. Reused from
/// request to request, so that gathering allocates nothing once its buffers have grown.
/// Started with the previous transaction's block, it shares that block when it ends up
/// holding the same fields.
#[derive(Clone, Debug)]
pub(crate) struct EchoWriter {
    text: String,
    /// ASCII only (see [`SharedEcho`]); the first `count * ENTRY` bytes are written. Fixed
    /// size, so writing an entry needs no capacity check.
    entries: [u8; ENTRY * MAX_ENTRIES],
    count: usize,
    /// The block to share if the fields are the same.
    previous: Option<Arc<str>>,
}

impl Default for EchoWriter {
    fn default() -> Self {
        EchoWriter {
            text: String::new(),
            entries: [0; ENTRY * MAX_ENTRIES],
            count: 0,
            previous: None,
        }
    }
}

impl EchoWriter {
    /// Empties the writer; the fields pushed next are compared with `previous` at the end.
    pub(crate) fn start(&mut self, previous: Option<&SharedEcho>) {
        self.text.clear();
        self.count = 0;
        self.previous = previous.and_then(|p| p.0.clone());
    }

    /// Adds a field that was sent. A value of 4 GiB or more, or a field beyond the 127th,
    /// is not echoed.
    pub(crate) fn push(&mut self, field: EchoField, value: &str) {
        let Ok(length) = u32::try_from(value.len()) else {
            return;
        };
        let at = self.count * ENTRY;
        // None once MAX_ENTRIES are written.
        let Some(entry) = self.entries.get_mut(at..at + ENTRY) else {
            return;
        };
        let digit = |shift: u32| (length >> shift & 0x7F) as u8;
        entry.copy_from_slice(&[
            field as u8,
            digit(0),
            digit(7),
            digit(14),
            digit(21),
            digit(28),
        ]);
        self.text.push_str(value);
        self.count += 1;
    }

    pub(crate) fn push_some(&mut self, field: EchoField, value: Option<&str>) {
        if let Some(value) = value {
            self.push(field, value);
        }
    }

    fn finish(&mut self) {
        // Field indexes and base-128 digits: ASCII, so never "".
        let entries = self.entries.get(..self.count * ENTRY).unwrap_or_default();
        self.text
            .push_str(core::str::from_utf8(entries).unwrap_or_default());
        // At most MAX_ENTRIES (127): ASCII.
        self.text.push(char::from(self.count as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_text_is_as_small_as_a_string_and_reads_back() {
        assert_eq!(
            core::mem::size_of::<CompactText>(),
            core::mem::size_of::<String>()
        );
        for text in [
            "",
            "rebill-99999-15",
            "exactly-twenty-two-b!!",
            "twenty-three bytes long",
            "é-ü-漢字-multi-byte text past the inline limit",
        ] {
            let compact = CompactText::new(text);
            assert_eq!(compact.as_str(), text);
            assert!(compact.is(text.as_bytes()));
            assert!(!compact.is(b"other"));
            assert_eq!(compact.as_bytes(), text.as_bytes());
            assert_eq!(CompactText::from(text.to_owned()), compact);
            assert_eq!(compact.is_empty(), text.is_empty());
            assert_eq!(
                matches!(compact, CompactText::Inline { .. }),
                text.len() <= INLINE
            );
            let json = serde_json::to_string(&compact).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            assert_eq!(serde_json::from_str::<CompactText>(&json).unwrap(), compact);
        }
    }

    #[test]
    fn echo_fields_index_their_list() {
        for (index, field) in EchoField::ALL.into_iter().enumerate() {
            assert_eq!(field as usize, index);
        }
        assert!(EchoField::ALL.len() <= MAX_ENTRIES);
    }

    #[test]
    fn an_echo_block_gives_back_its_fields_in_order() {
        let long = "x".repeat(70_000);
        let fields = [
            (EchoField::OrderId, "order-1"),
            (EchoField::Email, ""),
            (EchoField::FullName, "Zoë Çelik 漢字"),
            (EchoField::Address1, long.as_str()),
            (EchoField::CurrencyCode, "\u{7f}\u{1}"),
        ];
        let mut writer = EchoWriter::default();
        for (field, value) in fields {
            writer.push(field, value);
        }
        let echo = SharedEcho::from_writer(&mut writer);
        assert_eq!(echo.iter().collect::<Vec<_>>(), fields);
        assert_eq!(echo.get(EchoField::FullName), Some("Zoë Çelik 漢字"));
        assert_eq!(echo.get(EchoField::Email), Some(""));
        assert_eq!(echo.get(EchoField::City), None);
        let values = echo.values();
        for field in EchoField::ALL {
            assert_eq!(values[field as usize], echo.get(field), "{field:?}");
        }

        // The same fields again share the block; others get their own.
        writer.start(Some(&echo));
        for (field, value) in fields {
            writer.push(field, value);
        }
        let again = SharedEcho::from_writer(&mut writer);
        assert!(Arc::ptr_eq(
            again.0.as_ref().unwrap(),
            echo.0.as_ref().unwrap()
        ));
        // A difference anywhere, a field fewer or a field more: a block of their own.
        let mut changed = fields;
        for index in 0..fields.len() {
            changed[index].1 = "changed";
            let mut variants = vec![changed.to_vec(), fields[..index].to_vec()];
            variants.push([&fields[..], &[(EchoField::City, "Salem")]].concat());
            variants.push([&fields[..index], &[(EchoField::City, "Salem")]].concat());
            for variant in variants {
                writer.start(Some(&echo));
                for &(field, value) in &variant {
                    writer.push(field, value);
                }
                let other = SharedEcho::from_writer(&mut writer);
                assert_eq!(other.iter().collect::<Vec<_>>(), variant, "{index}");
                assert_eq!(other.is_empty(), variant.is_empty());
            }
            changed[index].1 = fields[index].1;
        }
        writer.start(Some(&echo));
        writer.push(EchoField::OrderId, "order-2");
        let other = SharedEcho::from_writer(&mut writer);
        assert_eq!(
            other.iter().collect::<Vec<_>>(),
            [(EchoField::OrderId, "order-2")]
        );

        writer.start(Some(&echo));
        let none = SharedEcho::from_writer(&mut writer);
        assert!(none.is_empty());
        assert_eq!(none.iter().count(), 0);
        assert_eq!(format!("{other:?}"), r#"{OrderId: "order-2"}"#.to_owned());
    }
}
