//! Helpers shared by the FlexPay wire types.

/// Declares a string enum whose set of values FlexPay may grow without notice (transaction
/// types, card types, gateway type codes, ...). A value the toolkit does not know yet lands in
/// `Other` verbatim instead of failing the whole response, and is sent back unchanged.
///
/// Matching is exact and case-sensitive because FlexPay's codes are (`bridge_pay_bridgeComm`,
/// `AMERICAN EXPRESS`).
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value not (yet) known to the toolkit, kept exactly as received.
            Other(String),
        }

        impl $name {
            /// Every value the toolkit knows, in declaration order.
            pub const KNOWN: &'static [$name] = &[$( $name::$variant, )+];

            /// The value exactly as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(value) => value,
                }
            }

            /// Reads a wire value; never fails. A known value spelled exactly becomes its
            /// variant, anything else `Other`.
            pub fn from_wire(value: &str) -> Self {
                // A table looked through, not a `match` on strings: that compiles to a
                // decision tree of comparisons several kilobytes long in WebAssembly.
                const WIRE: &[&str] = &[$( $wire, )+];
                match WIRE.iter().position(|wire| *wire == value) {
                    Some(i) => Self::KNOWN[i].clone(),
                    None => $name::Other(value.to_owned()),
                }
            }

            /// Whether this is one of the values the toolkit knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok($name::from_wire(&value))
            }
        }
    };
}

pub(crate) use open_enum;

/// Test helper: serializes `value`, requires exactly `expected`, then parses `expected` back
/// and requires the same value and the same JSON again, so the shape is stable both ways.
#[cfg(test)]
pub(crate) fn assert_wire<T>(value: &T, expected: serde_json::Value)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + core::fmt::Debug,
{
    assert_eq!(serde_json::to_value(value).unwrap(), expected);
    let parsed: T = serde_json::from_value(expected.clone()).unwrap();
    assert_eq!(&parsed, value);
    assert_eq!(serde_json::to_value(&parsed).unwrap(), expected);
}

#[cfg(test)]
mod tests {
    open_enum! {
        /// A two-value enum for exercising the macro.
        pub enum Fruit {
            Apple = "apple",
            BloodOrange = "blood_Orange",
        }
    }

    #[test]
    fn known_values_round_trip_and_unknown_ones_are_kept_verbatim() {
        for fruit in Fruit::KNOWN {
            let json = serde_json::to_value(fruit).unwrap();
            assert_eq!(serde_json::from_value::<Fruit>(json).unwrap(), *fruit);
        }
        assert_eq!(
            serde_json::to_value(Fruit::BloodOrange).unwrap(),
            "blood_Orange"
        );
        let other: Fruit = serde_json::from_str("\"Apple\"").unwrap();
        assert_eq!(other, Fruit::Other("Apple".into()));
        assert!(!other.is_known());
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"Apple\"");
        assert_eq!(Fruit::from_wire("apple").to_string(), "apple");
        assert!(serde_json::from_str::<Fruit>("1").is_err());
    }
}
