//! A small JSON writer for the stored documents (the sandboxes' snapshots, the portal's saved
//! document), in place of serde_json's serializer on the writing path.
//!
//! serde_json's serializer inlines its key and string writing into every type's field
//! writers, so every type carries its own copy of that code. This serializer keeps it in a
//! few non-generic methods: a struct's field costs a call for its key and a call for its
//! value. The types keep their derived `Serialize`.
//!
//! It writes the same bytes as `serde_json::to_string` (compact: no spaces, strings escaped
//! as serde_json escapes them, floats as serde_json writes them, `NaN` and infinities as
//! `null`) and fails where it fails: a map key that is not a string, a number, a `bool`, a
//! `char` or a unit variant, a float key that is not finite, or a value's own error. Tests
//! check every document they write against serde_json.

use core::fmt::{self, Display};

use serde::ser::{self, Serialize};

/// A value could not be written as JSON (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteError;

impl Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value cannot be written as JSON")
    }
}

impl std::error::Error for WriteError {}

impl ser::Error for WriteError {
    fn custom<T: Display>(_msg: T) -> Self {
        WriteError
    }
}

type Write = Result<(), WriteError>;

/// `value` as compact JSON, byte for byte what `serde_json::to_string` writes.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, WriteError> {
    let mut writer = Writer { out: String::new() };
    value.serialize(&mut writer)?;
    #[cfg(test)]
    assert_eq!(
        Some(&writer.out),
        serde_json::to_string(value).ok().as_ref(),
        "json_writer and serde_json disagree"
    );
    Ok(writer.out)
}

struct Writer {
    out: String,
}

impl Writer {
    #[inline(never)]
    fn push(&mut self, text: &str) -> Write {
        self.out.push_str(text);
        Ok(())
    }

    /// `text` as a JSON string, escaped as serde_json escapes it: `"`, `\` and the control
    /// characters, the usual short forms where JSON has one, `\u00XX` otherwise.
    #[inline(never)]
    fn string(&mut self, text: &str) -> Write {
        self.out.push('"');
        let mut start = 0;
        for (at, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&text[start..at]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(byte >> 4)]));
                self.out.push(char::from(HEX[usize::from(byte & 0xf)]));
            } else {
                self.out.push_str(escape);
            }
            start = at + 1;
        }
        self.out.push_str(&text[start..]);
        self.out.push('"');
        Ok(())
    }

    #[inline(never)]
    fn unsigned(&mut self, mut value: u64) -> Write {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        for &digit in &digits[at..] {
            self.out.push(char::from(digit));
        }
        Ok(())
    }

    #[inline(never)]
    fn signed(&mut self, value: i64) -> Write {
        if value < 0 {
            self.out.push('-');
        }
        self.unsigned(value.unsigned_abs())
    }

    /// A finite float as serde_json writes it; `null` otherwise.
    fn float<F: Serialize>(&mut self, value: F, finite: bool) -> Write {
        if finite {
            let text = serde_json::to_string(&value).map_err(|_| WriteError)?;
            self.push(&text)
        } else {
            self.push("null")
        }
    }

    /// Opens an object or array; `close` is written by [`Compound::end`].
    #[inline(never)]
    fn open(&mut self, open: &'static str, close: &'static str) -> Compound<'_> {
        self.out.push_str(open);
        Compound {
            writer: self,
            first: true,
            close,
        }
    }

    /// Opens `{"variant":`, closed by `}` after the variant's value.
    #[inline(never)]
    fn variant(&mut self, variant: &str) -> Write {
        self.out.push('{');
        self.string(variant)?;
        self.out.push(':');
        Ok(())
    }
}

/// An object or array being written (and, for a variant with fields, the object around it).
#[doc(hidden)]
pub struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
    /// What [`Self::end`] writes: `]`, `}`, or `]}` / `}}` for a variant.
    close: &'static str,
}

impl Compound<'_> {
    /// The separator before an element or entry.
    #[inline(never)]
    fn next(&mut self) {
        if !self.first {
            self.writer.out.push(',');
        }
        self.first = false;
    }

    #[inline(never)]
    fn key(&mut self, key: &str) -> Write {
        self.next();
        self.writer.string(key)?;
        self.writer.out.push(':');
        Ok(())
    }

    #[inline(never)]
    fn finish(self) -> Write {
        self.writer.push(self.close)
    }
}

/// A serializer's integer methods, each writing the number through `$write`: as it is
/// (`bare`), or inside quotes as a map key (`quoted`), as serde_json writes both.
macro_rules! integers {
    ($write:ident) => {
        fn serialize_i8(self, v: i8) -> Write {
            self.$write(|w| w.signed(v.into()))
        }
        fn serialize_i16(self, v: i16) -> Write {
            self.$write(|w| w.signed(v.into()))
        }
        fn serialize_i32(self, v: i32) -> Write {
            self.$write(|w| w.signed(v.into()))
        }
        fn serialize_i64(self, v: i64) -> Write {
            self.$write(|w| w.signed(v))
        }
        fn serialize_i128(self, v: i128) -> Write {
            self.$write(|w| w.push(&v.to_string()))
        }
        fn serialize_u8(self, v: u8) -> Write {
            self.$write(|w| w.unsigned(v.into()))
        }
        fn serialize_u16(self, v: u16) -> Write {
            self.$write(|w| w.unsigned(v.into()))
        }
        fn serialize_u32(self, v: u32) -> Write {
            self.$write(|w| w.unsigned(v.into()))
        }
        fn serialize_u64(self, v: u64) -> Write {
            self.$write(|w| w.unsigned(v))
        }
        fn serialize_u128(self, v: u128) -> Write {
            self.$write(|w| w.push(&v.to_string()))
        }
    };
}

impl Writer {
    /// `write` as it is: the counterpart of [`MapKey::quoted`] for [`integers`].
    fn bare(&mut self, write: impl FnOnce(&mut Writer) -> Write) -> Write {
        write(self)
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Write {
        self.push(if v { "true" } else { "false" })
    }
    integers!(bare);
    fn serialize_f32(self, v: f32) -> Write {
        self.float(v, v.is_finite())
    }
    fn serialize_f64(self, v: f64) -> Write {
        self.float(v, v.is_finite())
    }
    fn serialize_char(self, v: char) -> Write {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Write {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Write {
        use ser::SerializeSeq;
        let mut seq = self.open("[", "]");
        for byte in v {
            seq.serialize_element(byte)?;
        }
        seq.finish()
    }
    fn serialize_none(self) -> Write {
        self.push("null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Write {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Write {
        self.push("null")
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Write {
        self.push("null")
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Write {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Write {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Write {
        self.variant(variant)?;
        value.serialize(&mut *self)?;
        self.push("}")
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        self.variant(variant)?;
        Ok(self.open("[", "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        self.variant(variant)?;
        Ok(self.open("{", "}}"))
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Write {
        self.string(&value.to_string())
    }
}

/// Sequences, tuples, tuple structs and tuple variants: each element after a comma, the
/// closing written by [`Compound::finish`].
macro_rules! elements {
    ($($kind:ident::$method:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = WriteError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Write {
                self.next();
                value.serialize(&mut *self.writer)
            }
            fn end(self) -> Write {
                self.finish()
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Write {
        self.next();
        key.serialize(MapKey(&mut *self.writer))?;
        self.writer.push(":")
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Write {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Write {
        self.finish()
    }
}

/// Structs and struct variants: each field's key, then its value.
macro_rules! fields {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = WriteError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Write {
                self.key(key)?;
                value.serialize(&mut *self.writer)
            }
            fn end(self) -> Write {
                self.finish()
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

/// A map's key: a string, or a number, `bool` or `char` written inside quotes, as serde_json
/// writes keys. Anything else is refused.
struct MapKey<'a>(&'a mut Writer);

impl MapKey<'_> {
    fn quoted(self, write: impl FnOnce(&mut Writer) -> Write) -> Write {
        self.0.push("\"")?;
        write(&mut *self.0)?;
        self.0.push("\"")
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = ser::Impossible<(), WriteError>;
    type SerializeTuple = ser::Impossible<(), WriteError>;
    type SerializeTupleStruct = ser::Impossible<(), WriteError>;
    type SerializeTupleVariant = ser::Impossible<(), WriteError>;
    type SerializeMap = ser::Impossible<(), WriteError>;
    type SerializeStruct = ser::Impossible<(), WriteError>;
    type SerializeStructVariant = ser::Impossible<(), WriteError>;

    fn serialize_bool(self, v: bool) -> Write {
        self.quoted(|w| w.serialize_bool(v))
    }
    integers!(quoted);
    fn serialize_f32(self, v: f32) -> Write {
        if !v.is_finite() {
            return Err(WriteError);
        }
        self.quoted(|w| w.serialize_f32(v))
    }
    fn serialize_f64(self, v: f64) -> Write {
        if !v.is_finite() {
            return Err(WriteError);
        }
        self.quoted(|w| w.serialize_f64(v))
    }
    fn serialize_char(self, v: char) -> Write {
        self.0.serialize_char(v)
    }
    fn serialize_str(self, v: &str) -> Write {
        self.0.string(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Write {
        Err(WriteError)
    }
    fn serialize_none(self) -> Write {
        Err(WriteError)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Write {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Write {
        Err(WriteError)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Write {
        Err(WriteError)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Write {
        self.0.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Write {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Write {
        Err(WriteError)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, WriteError> {
        Err(WriteError)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, WriteError> {
        Err(WriteError)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, WriteError> {
        Err(WriteError)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        Err(WriteError)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        Err(WriteError)
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, WriteError> {
        Err(WriteError)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        Err(WriteError)
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Write {
        self.0.collect_str(value)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::to_string;

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, bool),
        Struct { a: Option<u8>, b: () },
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "camelCase")]
    enum Tagged {
        One { value: i64 },
        Two,
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Either {
        Text(String),
        Number(u32),
    }

    #[derive(Serialize)]
    struct Inner {
        x: u8,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        none: Option<u8>,
        extremes: (i64, i64, u64, i128, u128),
        floats: Vec<f64>,
        single: f32,
        shapes: Vec<Shape>,
        tagged: Vec<Tagged>,
        either: Vec<Either>,
        #[serde(flatten)]
        inner: Inner,
        keys: BTreeMap<i32, bool>,
        wide_keys: BTreeMap<i128, i8>,
        unsigned_keys: BTreeMap<u64, u16>,
        byte_keys: BTreeMap<u8, i16>,
        huge_keys: BTreeMap<u128, u32>,
        bool_keys: BTreeMap<bool, ()>,
        char_keys: BTreeMap<char, char>,
        empty: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
        unit: (),
        value: serde_json::Value,
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let every_byte: String = (0u8..0x80).map(char::from).collect();
        let value = Everything {
            text: every_byte + "é€😀\u{7f}\u{2028}",
            skipped: None,
            none: None,
            extremes: (i64::MIN, i64::MAX, u64::MAX, i128::MIN, u128::MAX),
            floats: vec![
                0.0,
                -0.0,
                1.5,
                1e300,
                1e-7,
                f64::NAN,
                f64::INFINITY,
                0.1 + 0.2,
            ],
            single: 0.3,
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-1, true),
                Shape::Struct { a: Some(1), b: () },
            ],
            tagged: vec![Tagged::One { value: -3 }, Tagged::Two],
            either: vec![Either::Text("a\"b".into()), Either::Number(0)],
            inner: Inner { x: 9 },
            keys: [(-5, true), (12, false)].into_iter().collect(),
            wide_keys: [(i128::MIN, -1), (0, i8::MAX)].into_iter().collect(),
            unsigned_keys: [(u64::MAX, u16::MAX)].into_iter().collect(),
            byte_keys: [(0, i16::MIN), (u8::MAX, 1)].into_iter().collect(),
            huge_keys: [(u128::MAX, u32::MAX)].into_iter().collect(),
            bool_keys: [(true, ()), (false, ())].into_iter().collect(),
            char_keys: [('"', '\n'), ('a', 'b')].into_iter().collect(),
            empty: Vec::new(),
            empty_map: BTreeMap::new(),
            unit: (),
            value: serde_json::json!({"a": [1, -2, 2.5, null, "x\u{1}"], "b": {}}),
        };
        // `to_string` itself compares with serde_json under test.
        let text = to_string(&value).unwrap();
        assert!(text.contains("\\u0000\\u0001"), "{text}");
    }

    #[test]
    fn fails_where_serde_json_fails() {
        let mut map = BTreeMap::new();
        map.insert(vec![1u8], 1u8);
        assert!(serde_json::to_string(&map).is_err());
        assert!(to_string(&map).is_err());
        let mut floats = BTreeMap::new();
        floats.insert(Key(f64::NAN), 1u8);
        assert!(serde_json::to_string(&floats).is_err());
        assert!(to_string(&floats).is_err());
        let mut floats = BTreeMap::new();
        floats.insert(Key(2.5), 1u8);
        assert_eq!(to_string(&floats).unwrap(), "{\"2.5\":1}");
    }

    #[derive(Serialize, PartialEq)]
    struct Key(f64);

    impl Eq for Key {}

    impl PartialOrd for Key {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }

    impl Ord for Key {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0.total_cmp(&other.0)
        }
    }
}
