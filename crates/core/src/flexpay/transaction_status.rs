//! `transactionStatus`, the coarse outcome FlexPay puts on every transaction (reference §9).
//!
//! The documented set is closed (1, 2, 3), so an unknown integer is rejected rather than kept
//! as an "unknown" variant: this field tells whether money moved, and code that reads it must
//! not carry on with a value it cannot interpret. Callers that would rather keep such a
//! response can read the integer themselves and use [`TransactionStatus::from_code`]; the
//! `responseCode` carries the detail in any case.

use core::fmt;

use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Outcome of one transaction, serialized as the integer FlexPay sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum TransactionStatus {
    Approved = 1,
    /// The gateway or FlexPay declined; also FlexPay's answer to most validation failures and
    /// to an unknown original transaction, which arrive as HTTP 200.
    Declined = 2,
    Error = 3,
}

impl TransactionStatus {
    /// All statuses, in code order.
    pub const ALL: [TransactionStatus; 3] = [
        TransactionStatus::Approved,
        TransactionStatus::Declined,
        TransactionStatus::Error,
    ];

    /// The integer FlexPay sends.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The status FlexPay means by `code`, if it is one of the documented three.
    pub const fn from_code(code: u64) -> Option<TransactionStatus> {
        match code {
            1 => Some(TransactionStatus::Approved),
            2 => Some(TransactionStatus::Declined),
            3 => Some(TransactionStatus::Error),
            _ => None,
        }
    }

    /// Name for people (`"Declined"`).
    pub const fn display_name(self) -> &'static str {
        match self {
            TransactionStatus::Approved => "Approved",
            TransactionStatus::Declined => "Declined",
            TransactionStatus::Error => "Error",
        }
    }
}

impl fmt::Display for TransactionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl Serialize for TransactionStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.code())
    }
}

/// Only the integers 1–3; FlexPay documents the field as an integer, so strings are rejected.
impl<'de> Deserialize<'de> for TransactionStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u8(TransactionStatusVisitor)
    }
}

struct TransactionStatusVisitor;

impl Visitor<'_> for TransactionStatusVisitor {
    type Value = TransactionStatus;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a transactionStatus: 1 (Approved), 2 (Declined) or 3 (Error)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<TransactionStatus, E> {
        TransactionStatus::from_code(v)
            .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<TransactionStatus, E> {
        u64::try_from(v)
            .ok()
            .and_then(TransactionStatus::from_code)
            .ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_as_the_integers_flexpay_sends() {
        for (status, json) in [
            (TransactionStatus::Approved, "1"),
            (TransactionStatus::Declined, "2"),
            (TransactionStatus::Error, "3"),
        ] {
            assert_eq!(serde_json::to_string(&status).unwrap(), json);
            assert_eq!(
                serde_json::from_str::<TransactionStatus>(json).unwrap(),
                status
            );
            assert_eq!(u64::from(status.code()), json.parse::<u64>().unwrap());
            assert_eq!(
                TransactionStatus::from_code(u64::from(status.code())),
                Some(status)
            );
            assert_eq!(status.to_string(), status.display_name());
        }
    }

    #[test]
    fn anything_else_is_rejected_with_the_accepted_values_named() {
        for json in [
            "0",
            "4",
            "-1",
            "256",
            "18446744073709551615",
            "1.0",
            "\"1\"",
            "\"Approved\"",
            "null",
            "true",
        ] {
            assert!(
                serde_json::from_str::<TransactionStatus>(json).is_err(),
                "{json}"
            );
        }
        let message = serde_json::from_str::<TransactionStatus>("7")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains('7') && message.contains("1 (Approved), 2 (Declined) or 3 (Error)"),
            "{message}"
        );
        assert_eq!(TransactionStatus::from_code(0), None);
        assert_eq!(TransactionStatus::from_code(u64::MAX), None);
    }
}
