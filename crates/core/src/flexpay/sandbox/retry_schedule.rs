//! When the sandbox tells a merchant to retry, the `referenceData` it issues for a chain, and
//! how a retry fired by the sandbox's own scheduler resolves.
//!
//! # `retryDate`
//!
//! Only a soft decline (2xxxx) gets one, computed from the request time `now` alone, always
//! strictly after it:
//!
//! | code | retryDate |
//! |---|---|
//! | 20003 do not honour (amount 2008) | 00:00:00Z of the next UTC day (as observed on FlexPay's sandbox) |
//! | 20023 insufficient funds (amount 2012) | `now` + 72 hours (funds take days to arrive) |
//! | any other soft code (20000 …) | `now` + 24 hours |
//!
//! # Limits
//!
//! FlexPay stops after 15 retries or 30 days (Enterprise with Scheduler). A soft decline whose
//! `retryCount` is already 15 or more, or whose next `retryDate` would fall more than 30 days
//! after the payment's first attempt (the chain's first request, or the earlier
//! `dateFirstAttempt` that request sent), is answered instead with **30100** (no-retry: retry limit
//! reached), without a `retryDate`, and the chain closes. A company may lower both (the
//! portal's recovery engine configuration and the recovery window of its company page):
//! [`RecoveryLimits`].
//!
//! # How a retry resolves
//!
//! A retry re-sends its payment with the same amount and currency (a `referenceData` echoed
//! with another is refused with 50132, see `transactions`), and a retry fired by the
//! sandbox's scheduler repeats the first attempt, so trigger amounts would decline every
//! retry forever. Instead, retry number *k* of a chain (1 for the first retry after the
//! decline), whether the merchant sends it or the scheduler fires it, resolves by the soft
//! code the chain was declined with:
//!
//! | code | retries |
//! |---|---|
//! | 20003 (2008) | retries 1 and 2 decline with 20003 again, retry 3 is approved |
//! | 20023 (2012) | never approved: declines until the limit answers 30100 |
//! | any other soft code (2005, 6020, …) | retry 1 is approved |
//!
//! FlexPay documents no such model (its sandbox guide lists trigger amounts for charges
//! only); it is flexkit's, so that a test suite can reach each ending of a recovery with
//! the payment's own amount. The card and CVV triggers still apply to a retry.

use serde::{Deserialize, Serialize};

use crate::flexpay::response_code::{ResponseCategory, ResponseCode};
use crate::time::UtcTimestamp;

use super::tokens::{base64_decode, base64_encode_array};

/// The most retries FlexPay makes for one payment.
pub const MAX_RETRY_COUNT: u32 = 15;
/// The recovery window, counted from the chain's first attempt.
pub const RECOVERY_WINDOW_DAYS: i64 = 30;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// The `retryDate` for a soft decline at `now`; `None` for any other code (and, never in
/// practice, when the date would pass year 9999). A whole second, as FlexPay writes it,
/// rounded up: a retry sent at the second the date names is never early.
pub fn retry_date(code: ResponseCode, now: UtcTimestamp) -> Option<UtcTimestamp> {
    if code.category() != ResponseCategory::SoftDecline {
        return None;
    }
    let date = match code.value() {
        // `now.start_of_next_day()` by arithmetic on seconds, without the civil date
        // round trip: UTC days are 86 400 s long. `None` past 9999-12-31, like it.
        20003 => UtcTimestamp::from_unix_seconds((now.unix_seconds().div_euclid(DAY) + 1) * DAY),
        20023 => now.checked_add_seconds(72 * HOUR),
        _ => now.checked_add_seconds(24 * HOUR),
    }?;
    if date.subsec_nanos() == 0 {
        Some(date)
    } else {
        date.whole_seconds().checked_add_seconds(1)
    }
}

/// How far a company lets FlexPay recover one payment: at most `max_retries` retries
/// (1 to 15) within `window_days` days of its first attempt (1 to 30). FlexPay's own limits,
/// 15 and 30, are the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecoveryLimits {
    pub max_retries: u32,
    pub window_days: u32,
}

impl Default for RecoveryLimits {
    fn default() -> Self {
        RecoveryLimits {
            max_retries: MAX_RETRY_COUNT,
            window_days: RECOVERY_WINDOW_DAYS as u32,
        }
    }
}

impl RecoveryLimits {
    /// Whether another retry is still allowed after an attempt with `retry_count` declined
    /// softly and FlexPay proposes `next` for a chain first attempted at `first_attempt_at`.
    pub fn allow(
        self,
        retry_count: u32,
        next: UtcTimestamp,
        first_attempt_at: UtcTimestamp,
    ) -> bool {
        retry_count < self.max_retries
            && self
                .window_end(first_attempt_at)
                .is_some_and(|end| next <= end)
    }

    /// The last instant a retry of a payment first attempted at `first_attempt_at` may be
    /// sent: `window_days` days after it. A retry sent later is answered 30100. `None` past
    /// year 9999 (never closes).
    pub fn window_end(self, first_attempt_at: UtcTimestamp) -> Option<UtcTimestamp> {
        first_attempt_at.checked_add_seconds(i64::from(self.window_days) * DAY)
    }

    /// The `message` of a 30100: the limits reached, and when the window closed if a retry
    /// came after it.
    pub fn limit_note(self, window_closed_at: Option<UtcTimestamp>) -> String {
        let plural =
            |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let late = match window_closed_at {
            Some(end) => format!(
                ": the recovery window closed at {}, before this retry",
                end.to_iso8601()
            ),
            None => String::new(),
        };
        format!(
            "No-retry: retry limit reached ({} or {}){late}; stop retrying this payment",
            plural(self.max_retries, "retry", "retries"),
            plural(self.window_days, "day", "days"),
        )
    }

    /// The problem with limits outside FlexPay's own (1–15 retries, 1–30 days), if any.
    pub fn problem(self) -> Option<String> {
        if !(1..=MAX_RETRY_COUNT).contains(&self.max_retries) {
            return Some(format!(
                "maxRetries is {}; FlexPay makes 1 to {MAX_RETRY_COUNT} retries of a payment",
                self.max_retries
            ));
        }
        if !(1..=RECOVERY_WINDOW_DAYS as u32).contains(&self.window_days) {
            return Some(format!(
                "windowDays is {}; FlexPay recovers a payment within 1 to {RECOVERY_WINDOW_DAYS} days of its first attempt",
                self.window_days
            ));
        }
        None
    }
}

/// On which retry a chain declined with `code` is approved; `None` if never.
pub fn approved_on_retry(code: ResponseCode) -> Option<u32> {
    match code.value() {
        20003 => Some(3),
        20023 => None,
        _ => Some(1),
    }
}

/// The code the `k`-th retry of a chain declined with `code` answers.
pub fn retry_code(code: ResponseCode, k: u32) -> ResponseCode {
    match approved_on_retry(code) {
        Some(approval) if k >= approval => ResponseCode::APPROVED,
        _ => code,
    }
}

/// The `referenceData` of one attempt: which chain, which attempt of it, and a random salt so
/// that a token cannot be guessed or carried over from another sandbox. Written as 24
/// characters of base64 (16 bytes), the shape of FlexPay's own values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReferenceData {
    pub(crate) chain: u32,
    pub(crate) attempt: u32,
    pub(crate) salt: u64,
}

impl ReferenceData {
    fn to_bytes(self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        bytes[..4].copy_from_slice(&self.chain.to_le_bytes());
        bytes[4..8].copy_from_slice(&self.attempt.to_le_bytes());
        bytes[8..].copy_from_slice(&self.salt.to_le_bytes());
        bytes
    }

    /// Reads a value the sandbox wrote; `None` for anything else.
    pub fn parse(text: &str) -> Option<ReferenceData> {
        let bytes = base64_decode::<16>(text)?;
        let word = |range: core::ops::Range<usize>| bytes.get(range).unwrap_or_default();
        Some(ReferenceData {
            chain: u32::from_le_bytes(word(0..4).try_into().ok()?),
            attempt: u32::from_le_bytes(word(4..8).try_into().ok()?),
            salt: u64::from_le_bytes(word(8..16).try_into().ok()?),
        })
    }
}

impl core::fmt::Display for ReferenceData {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let text: [u8; 24] = base64_encode_array(&self.to_bytes());
        // Base64 digits and `=` only: ASCII.
        f.write_str(core::str::from_utf8(&text).unwrap_or_default())
    }
}

impl serde::Serialize for ReferenceData {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// serde's reader, for the tests' comparison with the snapshot's reader.
#[cfg(test)]
impl<'de> serde::Deserialize<'de> for ReferenceData {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ReferenceData::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not sandbox referenceData"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn do_not_honour_retries_at_the_start_of_the_next_utc_day(
            seconds in -62_135_596_800i64..=253_402_300_799,
            nanos in 0u32..1_000_000_000,
        ) {
            let now = UtcTimestamp::from_unix_parts(seconds, nanos).unwrap();
            proptest::prop_assert_eq!(
                retry_date(ResponseCode::DO_NOT_HONOR, now),
                now.start_of_next_day()
            );
        }
    }

    #[test]
    fn the_last_day_has_no_next_day() {
        let last = UtcTimestamp::parse_iso8601("9999-12-31T23:59:59Z").unwrap();
        assert_eq!(retry_date(ResponseCode::DO_NOT_HONOR, last), None);
        let first = UtcTimestamp::parse_iso8601("0001-01-01T00:00:00Z").unwrap();
        assert_eq!(
            retry_date(ResponseCode::DO_NOT_HONOR, first),
            first.start_of_next_day()
        );
    }

    fn at(text: &str) -> UtcTimestamp {
        UtcTimestamp::parse_iso8601(text).unwrap()
    }

    fn code(value: u32) -> ResponseCode {
        ResponseCode::new(value).unwrap()
    }

    #[test]
    fn do_not_honour_retries_at_the_next_midnight() {
        let now = at("2023-11-08T14:02:51Z");
        assert_eq!(
            retry_date(ResponseCode::DO_NOT_HONOR, now),
            Some(at("2023-11-09T00:00:00Z"))
        );
        // Exactly at midnight the next midnight is a full day away, never `now` itself.
        let midnight = at("2023-11-09T00:00:00Z");
        assert_eq!(
            retry_date(ResponseCode::DO_NOT_HONOR, midnight),
            Some(at("2023-11-10T00:00:00Z"))
        );
    }

    #[test]
    fn other_soft_codes_wait_hours_and_others_get_no_date() {
        let now = at("2023-11-08T14:02:51Z");
        assert_eq!(
            retry_date(ResponseCode::INSUFFICIENT_FUNDS, now),
            Some(at("2023-11-11T14:02:51Z"))
        );
        assert_eq!(
            retry_date(ResponseCode::REFER_TO_CARD_ISSUER, now),
            Some(at("2023-11-09T14:02:51Z"))
        );
        // A fraction of a second rounds up to the next whole second, never down (early).
        let fraction = at("2023-11-08T14:02:51.001Z");
        assert_eq!(
            retry_date(ResponseCode::REFER_TO_CARD_ISSUER, fraction),
            Some(at("2023-11-09T14:02:52Z"))
        );
        assert_eq!(
            retry_date(ResponseCode::DO_NOT_HONOR, fraction),
            Some(at("2023-11-09T00:00:00Z"))
        );
        for hard in [10000, 30011, 40000, 50000, 30100] {
            assert_eq!(retry_date(code(hard), now), None, "{hard}");
        }
        assert_eq!(
            retry_date(ResponseCode::DO_NOT_HONOR, UtcTimestamp::MAX),
            None
        );
    }

    #[test]
    fn limits_are_fifteen_retries_or_thirty_days() {
        let first = at("2023-11-01T00:00:00Z");
        let flexpay = RecoveryLimits::default();
        assert!(flexpay.allow(14, at("2023-11-20T00:00:00Z"), first));
        assert!(!flexpay.allow(15, at("2023-11-20T00:00:00Z"), first));
        assert!(flexpay.allow(3, at("2023-12-01T00:00:00Z"), first));
        assert!(!flexpay.allow(3, at("2023-12-01T00:00:01Z"), first));
        assert_eq!(flexpay.problem(), None);
    }

    #[test]
    fn a_company_may_lower_the_limits_within_flexpays_own() {
        let first = at("2023-11-01T00:00:00Z");
        let tight = RecoveryLimits {
            max_retries: 3,
            window_days: 5,
        };
        assert!(tight.allow(2, at("2023-11-06T00:00:00Z"), first));
        assert!(!tight.allow(3, at("2023-11-02T00:00:00Z"), first));
        assert!(!tight.allow(1, at("2023-11-06T00:00:01Z"), first));
        assert_eq!(tight.problem(), None);
        for (max_retries, window_days, word) in [
            (0, 30, "maxRetries is 0"),
            (16, 30, "maxRetries is 16"),
            (15, 0, "windowDays is 0"),
            (15, 31, "windowDays is 31"),
        ] {
            let problem = RecoveryLimits {
                max_retries,
                window_days,
            }
            .problem()
            .unwrap();
            assert!(problem.starts_with(word), "{problem}");
        }
    }

    #[test]
    fn scheduled_retries_resolve_by_code() {
        let dnh = ResponseCode::DO_NOT_HONOR;
        assert_eq!(retry_code(dnh, 1), dnh);
        assert_eq!(retry_code(dnh, 2), dnh);
        assert_eq!(retry_code(dnh, 3), ResponseCode::APPROVED);
        let funds = ResponseCode::INSUFFICIENT_FUNDS;
        assert_eq!(retry_code(funds, 40), funds);
        assert_eq!(
            retry_code(ResponseCode::REFER_TO_CARD_ISSUER, 1),
            ResponseCode::APPROVED
        );
    }

    #[test]
    fn reference_data_round_trips_as_base64_and_refuses_other_text() {
        let reference = ReferenceData {
            chain: 7,
            attempt: 2,
            salt: 0xDEAD_BEEF_0BAD_F00D,
        };
        let text = reference.to_string();
        assert_eq!(text.len(), 24);
        let pattern_ok = text
            .trim_end_matches('=')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
        assert!(pattern_ok, "{text}");
        assert_eq!(ReferenceData::parse(&text), Some(reference));
        assert_eq!(ReferenceData::parse("eyJyIjoyfQ=="), None);
        assert_eq!(ReferenceData::parse(""), None);
    }
}
