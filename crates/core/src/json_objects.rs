//! Reading JSON text into derived types with structs read from JSON objects only.
//!
//! serde_json reads a struct from an object or from an array of its fields in order, so every
//! derived struct's array reader ends up in the binary, though flexkit never writes a struct
//! as an array. [`from_str`] reads like `serde_json::from_str` through a thin layer that asks
//! serde_json for a map wherever a struct is wanted: an array given for a struct is refused
//! with serde_json's own "invalid type: sequence" error, and the array readers are never
//! compiled. Everything else — values, errors with their line and column, `RawValue` fields
//! (recognised by their newtype name, passed on unchanged), the end-of-input check — is
//! serde_json's.

use core::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::Deserialize;

/// `serde_json::from_str`, with structs read from JSON objects only (see the module
/// documentation).
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> serde_json::Result<T> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Objects(&mut deserializer))?;
    deserializer.end()?;
    Ok(value)
}

/// serde's description of a shape error in the terms of the JSON document: names in double
/// quotes instead of backticks, JSON's words for its types, and "an object" or "a whole
/// number" instead of the Rust type that was expected.
pub fn plain_words(serde_message: &str) -> String {
    // serde puts both names (`merchantReference`) and numbers (integer `5`) in backticks:
    // names get double quotes, numbers none.
    let mut message = String::with_capacity(serde_message.len());
    let mut parts = serde_message.split('`');
    message.push_str(parts.next().unwrap_or_default());
    while let (Some(quoted), rest) = (parts.next(), parts.next()) {
        let number = ["integer ", "floating point ", "boolean "]
            .iter()
            .any(|kind| message.ends_with(kind));
        if number {
            message.push_str(quoted);
        } else {
            message.push('"');
            message.push_str(quoted);
            message.push('"');
        }
        message.push_str(rest.unwrap_or_default());
    }
    for prefix in [
        "expected internally tagged enum ",
        "expected struct ",
        "expected enum ",
    ] {
        while let Some(start) = message.find(prefix) {
            let name_start = start + prefix.len();
            let name_end = message[name_start..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .map_or(message.len(), |end| name_start + end);
            message.replace_range(start..name_end, "expected an object");
        }
    }
    for (serde_words, json_words) in [
        ("expected u8", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("floating point ", "number "),
        ("type: map", "type: object"),
        ("string or map", "string or object"),
        ("type: sequence", "type: array"),
        ("expected a sequence", "expected an array"),
    ] {
        message = message.replace(serde_words, json_words);
    }
    message
}

/// A deserializer that reads structs as maps and hands out the rest of its input wrapped
/// again, so nested values are read the same way.
struct Objects<D>(D);

/// A visitor, seed or access wrapped so that what it is given is wrapped in turn.
struct Wrap<T>(T);

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method($($arg,)* Wrap(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any()
        deserialize_bool()
        deserialize_i8()
        deserialize_i16()
        deserialize_i32()
        deserialize_i64()
        deserialize_i128()
        deserialize_u8()
        deserialize_u16()
        deserialize_u32()
        deserialize_u64()
        deserialize_u128()
        deserialize_f32()
        deserialize_f64()
        deserialize_char()
        deserialize_str()
        deserialize_string()
        deserialize_bytes()
        deserialize_byte_buf()
        deserialize_option()
        deserialize_unit()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_seq()
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_map()
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
        deserialize_identifier()
        deserialize_ignored_any()
    }

    /// The point of the layer: a struct is read as a map, never from an array.
    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrap(visitor))
    }

    #[inline]
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($($ty:ty)?))*) => {$(
        #[inline]
        fn $method<E: de::Error>(self $(, value: $ty)?) -> Result<V::Value, E> {
            self.0.$method($(forward_visit!(@value value $ty))?)
        }
    )*};
    (@value $value:ident $ty:ty) => { $value };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }

    forward_visit! {
        visit_bool(bool)
        visit_i8(i8)
        visit_i16(i16)
        visit_i32(i32)
        visit_i64(i64)
        visit_i128(i128)
        visit_u8(u8)
        visit_u16(u16)
        visit_u32(u32)
        visit_u64(u64)
        visit_u128(u128)
        visit_f32(f32)
        visit_f64(f64)
        visit_char(char)
        visit_str(&str)
        visit_borrowed_str(&'de str)
        visit_string(String)
        visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8])
        visit_byte_buf(Vec<u8>)
        visit_none()
        visit_unit()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(deserializer))
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(deserializer))
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrap(map))
    }

    #[inline]
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrap(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<S> {
    type Value = S::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(deserializer))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<A> {
    type Error = A::Error;

    #[inline]
    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.0.next_element_seed(Wrap(seed))
    }

    #[inline]
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// Keys are JSON strings, read as they are: only values can be structs.
impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<A> {
    type Error = A::Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(seed)
    }

    #[inline]
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.0.next_value_seed(Wrap(seed))
    }

    #[inline]
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// The variant's name is a string, read as it is; its content is wrapped.
impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<A> {
    type Error = A::Error;
    type Variant = Wrap<A::Variant>;

    #[inline]
    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Wrap<A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(seed)?;
        Ok((value, Wrap(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<A> {
    type Error = A::Error;

    #[inline]
    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    #[inline]
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.0.newtype_variant_seed(Wrap(seed))
    }

    #[inline]
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    /// Read as a newtype variant whose content is a struct, so that the content goes through
    /// [`Objects::deserialize_struct`]. A variant written as a bare name (`"Name"`) has no
    /// content to read: serde_json refuses it without looking at the seed, and the refusal is
    /// worded as its own `struct_variant` words it.
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let mut reached = false;
        let result = self.0.newtype_variant_seed(StructContent {
            visitor,
            reached: &mut reached,
        });
        match result {
            Err(_) if !reached => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"struct variant",
            )),
            other => other,
        }
    }
}

/// The content of a struct variant, read as a struct; notes that the content was reached.
struct StructContent<'a, V> {
    visitor: V,
    reached: &'a mut bool,
}

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for StructContent<'_, V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        *self.reached = true;
        Objects(deserializer).deserialize_struct("", &[], self.visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::value::RawValue;

    use super::from_str;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Point {
        x: i64,
        y: i64,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Outer {
        name: String,
        origin: Point,
        path: Vec<Point>,
        label: Option<Point>,
        by_name: BTreeMap<String, Point>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default, alias = "weightKg")]
        weight: u32,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        a: u8,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Borrowed<'a> {
        name: &'a str,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shape {
        Empty,
        Dot(Point),
        Pair(i64, i64),
        Box { corner: Point, side: u32 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "kind", rename_all = "camelCase")]
    enum Event {
        Started { at: u32 },
        Moved { to: Point },
        Stopped,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "t", content = "c")]
    enum Adjacent {
        Value(Point),
        Nothing,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Either {
        Point(Point),
        Number(i64),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Wrapper(Point);

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Document<'a> {
        version: u32,
        #[serde(borrow)]
        snapshot: &'a RawValue,
        owned: Box<RawValue>,
        optional: Option<&'a RawValue>,
    }

    const OUTER: &str = r#"{
        "name": "route",
        "origin": {"x": 0, "y": 0},
        "path": [{"x": 1, "y": 2}, {"y": 4, "x": 3}],
        "label": {"x": 5, "y": 6},
        "byName": {"home": {"x": 7, "y": 8}},
        "weightKg": 9
    }"#;

    /// The layer reads what serde_json reads, to the same values.
    fn same<'de, T>(text: &'de str) -> T
    where
        T: Deserialize<'de> + PartialEq + core::fmt::Debug,
    {
        let ours: T = from_str(text).expect("the layer reads it");
        let theirs: T = serde_json::from_str(text).expect("serde_json reads it");
        assert_eq!(ours, theirs);
        ours
    }

    /// The layer refuses what serde_json refuses, in the same words at the same place.
    fn same_error<'de, T>(text: &'de str)
    where
        T: Deserialize<'de> + core::fmt::Debug,
    {
        let ours = from_str::<T>(text).expect_err("the layer refuses it");
        let theirs = serde_json::from_str::<T>(text).expect_err("serde_json refuses it");
        assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        assert_eq!(
            (ours.line(), ours.column()),
            (theirs.line(), theirs.column())
        );
        assert_eq!(ours.classify(), theirs.classify(), "{text}");
    }

    #[test]
    fn reads_structs_nested_in_vectors_options_and_maps() {
        let outer: Outer = same(OUTER);
        assert_eq!(outer.path[1], Point { x: 3, y: 4 });
        assert_eq!(outer.by_name["home"], Point { x: 7, y: 8 });
        assert_eq!(outer.weight, 9, "read by its alias");
        assert!(outer.tags.is_empty(), "absent, so its default");
        let bare: Outer =
            same(r#"{"name":"n","origin":{"x":1,"y":1},"path":[],"label":null,"byName":{}}"#);
        assert_eq!(bare.label, None);
        assert_eq!(
            same::<Wrapper>(r#"{"x":1,"y":2}"#),
            Wrapper(Point { x: 1, y: 2 })
        );
        assert_eq!(same::<Option<Point>>("null"), None);
    }

    #[test]
    fn reads_enums_in_every_representation() {
        let shapes: Vec<Shape> = same(
            r#"["Empty", {"Empty": null}, {"Dot": {"x": 1, "y": 2}}, {"Pair": [3, 4]},
                {"Box": {"corner": {"x": 5, "y": 6}, "side": 7}}]"#,
        );
        assert_eq!(
            shapes[4],
            Shape::Box {
                corner: Point { x: 5, y: 6 },
                side: 7
            }
        );
        let events: Vec<Event> = same(
            r#"[{"kind": "started", "at": 1}, {"to": {"x": 1, "y": 2}, "kind": "moved"},
                {"kind": "stopped"}]"#,
        );
        assert_eq!(events[2], Event::Stopped);
        same::<Vec<Adjacent>>(r#"[{"t": "Value", "c": {"x": 1, "y": 2}}, {"t": "Nothing"}]"#);
        let either: Vec<Either> = same(r#"[{"x": 1, "y": 2}, 3]"#);
        assert_eq!(either[1], Either::Number(3));
    }

    #[test]
    fn borrows_strings_and_raw_values_from_the_text() {
        let text = r#"{"name": "plain"}"#;
        let borrowed: Borrowed<'_> = from_str(text).unwrap();
        assert_eq!(borrowed.name, "plain");
        assert!(from_str::<Borrowed<'_>>(r#"{"name": "esc\"aped"}"#).is_err());

        let text = r#"{"version": 2, "snapshot": {"a": [1, {"b": null}]}, "owned": [1, 2],
            "optional": "text"}"#;
        let document: Document<'_> = from_str(text).unwrap();
        assert_eq!(document.version, 2);
        assert_eq!(document.snapshot.get(), r#"{"a": [1, {"b": null}]}"#);
        assert_eq!(document.owned.get(), "[1, 2]");
        assert_eq!(document.optional.map(RawValue::get), Some(r#""text""#));
        let none: Document<'_> =
            from_str(r#"{"version": 1, "snapshot": 1, "owned": 2, "optional": null}"#).unwrap();
        assert!(none.optional.is_none());
    }

    #[test]
    fn refuses_a_struct_given_as_an_array_as_serde_json_refuses_a_wrong_type() {
        let error = from_str::<Point>("[1, 2]").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid type: sequence, expected struct Point at line 1 column 0"
        );
        assert_eq!(error.classify(), serde_json::error::Category::Data);
        let nested = from_str::<Outer>(
            r#"{"name": "n", "origin": {"x": 1, "y": 1},
                "path": [[1, 2]], "label": null, "byName": {}}"#,
        )
        .unwrap_err();
        assert_eq!(
            nested.to_string(),
            "invalid type: sequence, expected struct Point at line 2 column 25"
        );
        let variant = from_str::<Shape>(r#"{"Box": [{"x": 1, "y": 2}, 3]}"#).unwrap_err();
        assert_eq!(
            variant.to_string(),
            "invalid type: sequence, expected struct variant Shape::Box at line 1 column 8"
        );
        // What serde_json answers for a wrong type there, in the same words.
        same_error::<Shape>(r#"{"Box": 3}"#);
        same_error::<Outer>(r#"{"name": "n", "origin": 3}"#);
    }

    #[test]
    fn refuses_broken_documents_with_serde_json_s_errors() {
        for text in [
            "",
            "   ",
            "{",
            r#"{"name""#,
            r#"{"name": "n", "origin": {"x": 1"#,
            r#"{"name": "n", "origin": {"x": 1, "y": 1}, "path": [{"x": 1, "y": 2},"#,
            r#"{"name": 1}"#,
            r#"{"name": "n", "origin": {"x": "1", "y": 1}}"#,
            r#"{"name": "n", "origin": {"x": 1}}"#,
            r#"{"name": "n", "name": "m"}"#,
            r#"{"name": "n", "origin": {"x": 1, "y": 1}, "path": {}, "label": null}"#,
            r#"{"name": "n", "origin": null}"#,
            r#"{"name": "n" "origin": null}"#,
            r#"{"name": "n",}"#,
            r#"{"name": nope}"#,
            r#"{"name": "n\q"}"#,
            "\n\n  {\"name\": \"n\",\n  \"origin\": {\"x\": 1.5, \"y\": 1}}",
            "true",
            "\"text\"",
            "1",
        ] {
            same_error::<Outer>(text);
        }
        same_error::<Strict>(r#"{"a": 1, "b": 2}"#);
        same_error::<Strict>(r#"{"a": 300}"#);
        same_error::<Shape>(r#""Dot""#);
        same_error::<Shape>(r#""Box""#);
        same_error::<Shape>(r#""Square""#);
        same_error::<Shape>(r#"{"Dot": {"x": 1}}"#);
        same_error::<Shape>(r#"{"Box": {"corner": {"x": 1, "y": 2}}}"#);
        same_error::<Shape>(r#"{"Pair": [1]}"#);
        same_error::<Shape>(r#"{"Empty": null, "Dot": null}"#);
        same_error::<Vec<Event>>(r#"[{"kind": "jumped"}]"#);
        same_error::<Vec<Event>>(r#"[{"at": 1}]"#);
        same_error::<Adjacent>(r#"{"t": "Value", "c": 3}"#);
        same_error::<Either>(r#""neither""#);
        same_error::<Document<'_>>(r#"{"version": 1, "snapshot": }"#);
    }

    #[test]
    fn refuses_trailing_characters_as_serde_json_does() {
        same_error::<Point>(r#"{"x": 1, "y": 2} x"#);
        same_error::<Point>(r#"{"x": 1, "y": 2}{}"#);
        same_error::<Vec<u8>>("[1] 2");
        assert_eq!(
            same::<Point>("\n {\"x\": 1, \"y\": 2} \n\t"),
            Point { x: 1, y: 2 }
        );
    }
}
