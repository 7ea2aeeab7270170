//! UTC instants and calendar dates, without a clock.
//!
//! The core never asks what time it is: callers pass `now` in as a [`UtcTimestamp`], so every
//! rule built on these types is deterministic. Instants have nanosecond precision and cover
//! years 0001 to 9999 of the proleptic Gregorian calendar, the range ISO 8601's four-digit years
//! can spell. Calendar arithmetic is integer-only (the days-from-civil algorithm).
//!
//! # Timestamps FlexPay sends and accepts
//!
//! [`UtcTimestamp::parse_iso8601`] reads `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9
//! digits (FlexPay sends 0 to 7), then a zone: `Z`/`z`, `+hh:mm`, `-hh:mm`, `+hhmm`, `-hhmm`,
//! or none. A timestamp without a zone is taken as UTC because FlexPay's `retryDate` arrives that
//! way; [`UtcTimestamp::parse_iso8601_detailed`] reports which form was used, so validation can
//! still insist on an explicit `Z`. The date/time separator may be `T` or `t` (RFC 3339 allows
//! both); a space is rejected.
//!
//! Leap seconds: second `60` is rejected. Instants follow the Unix time scale, which has no leap
//! seconds (neither do FlexPay's timestamps), and silently moving `23:59:60` to a neighbouring
//! second would change the instant a sender meant.

use core::fmt;
use core::fmt::Write as _;

const NANOS_PER_SECOND: u32 = 1_000_000_000;
const NANOS_PER_MILLI: u32 = 1_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
/// 0001-01-01 as days since 1970-01-01.
const MIN_DAY: i64 = -719_162;
/// 9999-12-31 as days since 1970-01-01.
const MAX_DAY: i64 = 2_932_896;
const MIN_SECONDS: i64 = MIN_DAY * SECONDS_PER_DAY;
const MAX_SECONDS: i64 = MAX_DAY * SECONDS_PER_DAY + SECONDS_PER_DAY - 1;

const TIMESTAMP_FORMAT_HINT: &str = "write it as YYYY-MM-DDTHH:MM:SS, optionally followed by a \
     fraction of 1 to 9 digits and a zone (Z, +hh:mm or -hh:mm), as in \"2024-07-01T12:30:00Z\"";

/// An instant in UTC with nanosecond precision, between 0001-01-01T00:00:00Z and
/// 9999-12-31T23:59:59.999999999Z.
///
/// Ordered chronologically. Formats and serializes as ISO 8601 (`2024-07-01T00:00:00Z`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UtcTimestamp {
    /// Seconds since 1970-01-01T00:00:00Z, within `MIN_SECONDS..=MAX_SECONDS`.
    seconds: i64,
    /// Nanoseconds past `seconds`, below one second.
    nanos: u32,
}

/// How a parsed timestamp spelled its zone.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ZoneDesignator {
    /// `Z` or `z`.
    Utc,
    /// A numeric offset such as `+02:00` or `-0530`, in minutes east of UTC. `+00:00` is an
    /// offset of 0, not `Utc`, so validation can tell exactly what was sent.
    Offset {
        /// Minutes east of UTC, between -1439 and 1439.
        minutes: i16,
    },
    /// No zone at all; the time was taken as UTC.
    Unspecified,
}

/// A day of the proleptic Gregorian calendar, between 0001-01-01 and 9999-12-31.
///
/// Always a real date: the fields are private and checked on the way in. Ordered
/// chronologically. Formats and serializes as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CivilDate {
    year: i32,
    month: u8,
    day: u8,
}

/// What is wrong with the shape or fields of a timestamp string.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum TimestampProblem {
    /// The string is empty.
    Empty,
    /// The string stops before the seconds, or inside the fraction or zone.
    EndsEarly,
    /// A character that does not belong at this place; `at` is its byte offset.
    UnexpectedCharacter {
        /// Byte offset of the character in the input.
        at: usize,
    },
    /// An hour above 23.
    Hour(u8),
    /// A minute above 59.
    Minute(u8),
    /// A second above 60.
    Second(u8),
    /// Second 60, a leap second (not supported, see the module docs).
    LeapSecond,
    /// A `.` without digits after it, or more than 9 fraction digits.
    FractionDigits,
    /// A zone offset beyond ±23:59.
    Offset,
}

/// What is wrong with a calendar date.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum DateProblem {
    /// The string is empty.
    Empty,
    /// The string stops before the day.
    EndsEarly,
    /// A character that does not belong at this place; `at` is its byte offset.
    UnexpectedCharacter {
        /// Byte offset of the character in the input.
        at: usize,
    },
    /// A month outside 1–12.
    Month(u8),
    /// A day the month does not have (day 0, April 31, February 29 of a common year).
    Day {
        /// Year of the date.
        year: i32,
        /// Month of the date, 1–12.
        month: u8,
        /// The day that does not exist.
        day: u8,
    },
}

/// Why a timestamp or date was rejected.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum TimeError {
    /// The timestamp string is malformed or has a field out of range. Code `invalid_timestamp`.
    InvalidTimestamp(TimestampProblem),
    /// The date is malformed or does not exist in the calendar. Code `invalid_date`.
    InvalidDate(DateProblem),
    /// The date or instant lies outside years 0001–9999. Code `out_of_range`.
    OutOfRange,
}

impl TimeError {
    /// Stable machine code: `invalid_timestamp`, `invalid_date` or `out_of_range`.
    pub fn code(&self) -> &'static str {
        match self {
            TimeError::InvalidTimestamp(_) => "invalid_timestamp",
            TimeError::InvalidDate(_) => "invalid_date",
            TimeError::OutOfRange => "out_of_range",
        }
    }
}

impl fmt::Display for TimestampProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimestampProblem::Empty => f.write_str("the timestamp is empty"),
            TimestampProblem::EndsEarly => f.write_str("the timestamp ends early"),
            TimestampProblem::UnexpectedCharacter { at } => {
                write!(f, "unexpected character at byte {at}")
            }
            TimestampProblem::Hour(hour) => {
                write!(f, "hour {hour} does not exist; hours run from 00 to 23")
            }
            TimestampProblem::Minute(minute) => {
                write!(
                    f,
                    "minute {minute} does not exist; minutes run from 00 to 59"
                )
            }
            TimestampProblem::Second(second) => {
                write!(
                    f,
                    "second {second} does not exist; seconds run from 00 to 59"
                )
            }
            TimestampProblem::LeapSecond => f.write_str(
                "second 60 (a leap second) is not supported, since timestamps follow Unix time; \
                 send 23:59:59 or the following second instead",
            ),
            TimestampProblem::FractionDigits => {
                f.write_str("the fraction after \".\" must have 1 to 9 digits")
            }
            TimestampProblem::Offset => {
                f.write_str("the zone offset must lie between -23:59 and +23:59")
            }
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHAPE: &str = "write it as YYYY-MM-DD, as in \"2024-07-01\"";
        match self {
            DateProblem::Empty => write!(f, "the date is empty; {SHAPE}"),
            DateProblem::EndsEarly => write!(f, "the date ends early; {SHAPE}"),
            DateProblem::UnexpectedCharacter { at } => {
                write!(f, "unexpected character at byte {at}; {SHAPE}")
            }
            DateProblem::Month(month) => {
                write!(f, "month {month} does not exist; months run from 01 to 12")
            }
            DateProblem::Day { year, month, day } => write!(
                f,
                "{year:04}-{month:02} has no day {day}: it has {} days{}",
                days_in_month(*year, *month),
                if *month == 2 {
                    " (February 29 exists only in leap years)"
                } else {
                    ""
                }
            ),
        }
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::InvalidTimestamp(problem) => {
                write!(f, "invalid timestamp: {problem}; {TIMESTAMP_FORMAT_HINT}")
            }
            TimeError::InvalidDate(problem) => write!(f, "invalid date: {problem}"),
            TimeError::OutOfRange => f.write_str(
                "out of range: dates and instants must lie between 0001-01-01T00:00:00Z and \
                 9999-12-31T23:59:59.999999999Z; check the year",
            ),
        }
    }
}

impl std::error::Error for TimeError {}

/// Days since 1970-01-01 of a proleptic Gregorian date, with the days-from-civil algorithm:
/// counting years from March 1st puts the leap day last, so the day of the year follows from
/// the month by a fixed linear formula and whole 400-year eras repeat exactly.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let month = i64::from(month);
    let day = i64::from(day);
    // January and February belong to the previous March-based year.
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719_468 days separate 0000-03-01, the start of era 0, from 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    // Remove the leap days accumulated so far (one per 4 years, none per 100, one per 400)
    // to find the year of the era.
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    // month is 1..=12 and day 1..=31 by construction.
    (year, month as u8, day as u8)
}

/// Byte-wise reader shared by the timestamp and date parsers; never allocates or panics.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// A syntax failure: the input ended, or a byte at this offset was not expected.
enum Syntax {
    EndsEarly,
    Unexpected(usize),
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn fail(&self) -> Syntax {
        if self.pos < self.bytes.len() {
            Syntax::Unexpected(self.pos)
        } else {
            Syntax::EndsEarly
        }
    }

    fn expect(&mut self, accepted: &[u8]) -> Result<u8, Syntax> {
        match self.peek() {
            Some(byte) if accepted.contains(&byte) => {
                self.pos += 1;
                Ok(byte)
            }
            _ => Err(self.fail()),
        }
    }

    fn digit(&mut self) -> Result<u32, Syntax> {
        match self.peek() {
            Some(byte @ b'0'..=b'9') => {
                self.pos += 1;
                Ok(u32::from(byte - b'0'))
            }
            _ => Err(self.fail()),
        }
    }

    fn next_is_digit(&self) -> bool {
        self.peek().is_some_and(|b| b.is_ascii_digit())
    }

    /// Exactly `count` digits (at most 4, so the value fits easily).
    fn digits(&mut self, count: usize) -> Result<u32, Syntax> {
        let mut value = 0;
        for _ in 0..count {
            value = value * 10 + self.digit()?;
        }
        Ok(value)
    }

    /// One or two digits, for the lenient `YYYY-M-D` dates.
    fn one_or_two_digits(&mut self) -> Result<u32, Syntax> {
        let first = self.digit()?;
        if self.next_is_digit() {
            Ok(first * 10 + self.digit()?)
        } else {
            Ok(first)
        }
    }

    fn end(&self) -> Result<(), Syntax> {
        if self.pos < self.bytes.len() {
            Err(Syntax::Unexpected(self.pos))
        } else {
            Ok(())
        }
    }
}

impl From<Syntax> for TimestampProblem {
    fn from(syntax: Syntax) -> TimestampProblem {
        match syntax {
            Syntax::EndsEarly => TimestampProblem::EndsEarly,
            Syntax::Unexpected(at) => TimestampProblem::UnexpectedCharacter { at },
        }
    }
}

impl From<Syntax> for DateProblem {
    fn from(syntax: Syntax) -> DateProblem {
        match syntax {
            Syntax::EndsEarly => DateProblem::EndsEarly,
            Syntax::Unexpected(at) => DateProblem::UnexpectedCharacter { at },
        }
    }
}

/// The fields of a timestamp as written, before any range check.
struct RawTimestamp {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    /// Sign, hours and minutes of a numeric offset.
    offset: Option<(i16, u32, u32)>,
    utc_letter: bool,
}

fn read_timestamp(cursor: &mut Cursor<'_>) -> Result<RawTimestamp, TimestampProblem> {
    let year = cursor.digits(4)?;
    cursor.expect(b"-")?;
    let month = cursor.digits(2)?;
    cursor.expect(b"-")?;
    let day = cursor.digits(2)?;
    cursor.expect(b"Tt")?;
    let hour = cursor.digits(2)?;
    cursor.expect(b":")?;
    let minute = cursor.digits(2)?;
    cursor.expect(b":")?;
    let second = cursor.digits(2)?;

    let mut nanos = 0;
    if cursor.peek() == Some(b'.') {
        cursor.pos += 1;
        let mut count = 0u32;
        while cursor.next_is_digit() {
            let digit = cursor.digit()?;
            count += 1;
            if count > 9 {
                return Err(TimestampProblem::FractionDigits);
            }
            nanos = nanos * 10 + digit;
        }
        if count == 0 {
            return Err(TimestampProblem::FractionDigits);
        }
        nanos *= 10u32.pow(9 - count);
    }

    let mut offset = None;
    let mut utc_letter = false;
    match cursor.peek() {
        None => {}
        Some(b'Z' | b'z') => {
            cursor.pos += 1;
            utc_letter = true;
        }
        Some(sign @ (b'+' | b'-')) => {
            cursor.pos += 1;
            let hours = cursor.digits(2)?;
            if cursor.peek() == Some(b':') {
                cursor.pos += 1;
            }
            let minutes = cursor.digits(2)?;
            offset = Some((if sign == b'-' { -1 } else { 1 }, hours, minutes));
        }
        Some(_) => return Err(Syntax::Unexpected(cursor.pos).into()),
    }
    cursor.end()?;
    Ok(RawTimestamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos,
        offset,
        utc_letter,
    })
}

/// Narrows a parsed field (at most four digits) for range checks and messages.
fn small(value: u32) -> u8 {
    u8::try_from(value).unwrap_or(u8::MAX)
}

impl UtcTimestamp {
    /// 0001-01-01T00:00:00Z, the earliest supported instant.
    pub const MIN: UtcTimestamp = UtcTimestamp {
        seconds: MIN_SECONDS,
        nanos: 0,
    };
    /// 9999-12-31T23:59:59.999999999Z, the latest supported instant.
    pub const MAX: UtcTimestamp = UtcTimestamp {
        seconds: MAX_SECONDS,
        nanos: NANOS_PER_SECOND - 1,
    };
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: UtcTimestamp = UtcTimestamp {
        seconds: 0,
        nanos: 0,
    };

    /// The instant `seconds` plus `nanos` after the Unix epoch, or `None` outside years
    /// 0001–9999 or when `nanos` is a second or more.
    pub const fn from_unix_parts(seconds: i64, nanos: u32) -> Option<UtcTimestamp> {
        if seconds >= MIN_SECONDS && seconds <= MAX_SECONDS && nanos < NANOS_PER_SECOND {
            Some(UtcTimestamp { seconds, nanos })
        } else {
            None
        }
    }

    /// The instant `seconds` after the Unix epoch (negative: before), or `None` outside years
    /// 0001–9999.
    pub const fn from_unix_seconds(seconds: i64) -> Option<UtcTimestamp> {
        UtcTimestamp::from_unix_parts(seconds, 0)
    }

    /// The instant `millis` milliseconds after the Unix epoch (JavaScript's `Date` value), or
    /// `None` outside years 0001–9999.
    pub const fn from_unix_millis(millis: i64) -> Option<UtcTimestamp> {
        // rem_euclid keeps the sub-second part non-negative for instants before 1970.
        let seconds = millis.div_euclid(1000);
        let nanos = millis.rem_euclid(1000) as u32 * NANOS_PER_MILLI;
        UtcTimestamp::from_unix_parts(seconds, nanos)
    }

    /// Whole seconds since the Unix epoch, rounded down (toward the past).
    pub const fn unix_seconds(self) -> i64 {
        self.seconds
    }

    /// Whole milliseconds since the Unix epoch, rounded down (toward the past).
    pub const fn unix_millis(self) -> i64 {
        // Cannot overflow: |seconds| < 2.6e11, so the product stays far below i64::MAX.
        self.seconds * 1000 + (self.nanos / NANOS_PER_MILLI) as i64
    }

    /// Nanoseconds past the whole second, below 1_000_000_000.
    pub const fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// The start of the instant's second (its fraction dropped, toward the past): it formats
    /// in the 20 characters of `2024-07-01T00:00:00Z`.
    pub const fn whole_seconds(self) -> UtcTimestamp {
        UtcTimestamp {
            seconds: self.seconds,
            nanos: 0,
        }
    }

    /// Parses an ISO 8601 / RFC 3339 timestamp (see the module docs for the accepted forms),
    /// converting any offset to UTC. A timestamp without a zone is taken as UTC.
    pub fn parse_iso8601(text: &str) -> Result<UtcTimestamp, TimeError> {
        UtcTimestamp::parse_iso8601_detailed(text).map(|(instant, _)| instant)
    }

    /// Like [`UtcTimestamp::parse_iso8601`], also telling how the zone was written.
    pub fn parse_iso8601_detailed(text: &str) -> Result<(UtcTimestamp, ZoneDesignator), TimeError> {
        if text.is_empty() {
            return Err(TimeError::InvalidTimestamp(TimestampProblem::Empty));
        }
        let mut cursor = Cursor::new(text);
        let raw = read_timestamp(&mut cursor).map_err(TimeError::InvalidTimestamp)?;
        let date = CivilDate::from_fields(raw.year, raw.month, raw.day)?;
        let invalid = TimeError::InvalidTimestamp;
        if raw.hour > 23 {
            return Err(invalid(TimestampProblem::Hour(small(raw.hour))));
        }
        if raw.minute > 59 {
            return Err(invalid(TimestampProblem::Minute(small(raw.minute))));
        }
        match raw.second {
            0..=59 => {}
            60 => return Err(invalid(TimestampProblem::LeapSecond)),
            second => return Err(invalid(TimestampProblem::Second(small(second)))),
        }
        let zone = match raw.offset {
            Some((sign, hours, minutes)) => {
                if hours > 23 || minutes > 59 {
                    return Err(invalid(TimestampProblem::Offset));
                }
                // At most 23 * 60 + 59 = 1439, well within i16.
                let magnitude = small(hours) as i16 * 60 + small(minutes) as i16;
                ZoneDesignator::Offset {
                    minutes: sign * magnitude,
                }
            }
            None if raw.utc_letter => ZoneDesignator::Utc,
            None => ZoneDesignator::Unspecified,
        };
        let local_seconds = days_from_civil(date.year, date.month, date.day) * SECONDS_PER_DAY
            + i64::from(raw.hour * 3600 + raw.minute * 60 + raw.second);
        let offset_seconds = match zone {
            ZoneDesignator::Offset { minutes } => i64::from(minutes) * 60,
            ZoneDesignator::Utc | ZoneDesignator::Unspecified => 0,
        };
        // Local time is UTC plus the offset, so UTC is local time minus it.
        let instant = UtcTimestamp::from_unix_parts(local_seconds - offset_seconds, raw.nanos)
            .ok_or(TimeError::OutOfRange)?;
        Ok((instant, zone))
    }

    /// ISO 8601 in UTC, such as `2024-07-01T00:00:00Z`. A non-zero fraction is written with 3,
    /// 6 or 9 digits, the fewest of those that are exact (`.500`, `.123456`, `.123456700`).
    pub fn to_iso8601(self) -> String {
        self.to_string()
    }

    /// ISO 8601 in UTC with the fraction always written, to the millisecond at least
    /// (`2024-07-01T00:00:00.000Z`, `.500`, `.123456`): how a CSV column of instants is written,
    /// one width for every row, so that sorting the column as text sorts it by time.
    pub fn to_iso8601_millis(self) -> String {
        let mut text = self.to_string();
        if self.nanos == 0 {
            text.insert_str(text.len() - 1, ".000");
        }
        text
    }

    /// The instant `seconds` later (earlier if negative), or `None` outside years 0001–9999.
    pub const fn checked_add_seconds(self, seconds: i64) -> Option<UtcTimestamp> {
        match self.seconds.checked_add(seconds) {
            Some(total) => UtcTimestamp::from_unix_parts(total, self.nanos),
            None => None,
        }
    }

    /// The instant `millis` milliseconds later (earlier if negative), or `None` outside years
    /// 0001–9999.
    pub const fn checked_add_millis(self, millis: i64) -> Option<UtcTimestamp> {
        let mut nanos = self.nanos + millis.rem_euclid(1000) as u32 * NANOS_PER_MILLI;
        let mut carry = millis.div_euclid(1000);
        if nanos >= NANOS_PER_SECOND {
            nanos -= NANOS_PER_SECOND;
            carry += 1;
        }
        match self.seconds.checked_add(carry) {
            Some(total) => UtcTimestamp::from_unix_parts(total, nanos),
            None => None,
        }
    }

    fn nanos_since(self, earlier: UtcTimestamp) -> i128 {
        (i128::from(self.seconds) - i128::from(earlier.seconds)) * i128::from(NANOS_PER_SECOND)
            + (i128::from(self.nanos) - i128::from(earlier.nanos))
    }

    /// Whole seconds from `earlier` to `self`, negative when `self` is before `earlier`.
    /// Partial seconds are dropped (rounded toward zero), so swapping the arguments only
    /// flips the sign.
    pub fn seconds_since(self, earlier: UtcTimestamp) -> i64 {
        let seconds = self.nanos_since(earlier) / i128::from(NANOS_PER_SECOND);
        // Any two instants in range are less than 3.2e11 seconds apart.
        i64::try_from(seconds).unwrap_or(if seconds < 0 { i64::MIN } else { i64::MAX })
    }

    /// Whole milliseconds from `earlier` to `self`, negative when `self` is before `earlier`,
    /// rounded toward zero like [`UtcTimestamp::seconds_since`].
    pub fn millis_since(self, earlier: UtcTimestamp) -> i64 {
        let millis = self.nanos_since(earlier) / i128::from(NANOS_PER_MILLI);
        // Any two instants in range are less than 3.2e14 milliseconds apart.
        i64::try_from(millis).unwrap_or(if millis < 0 { i64::MIN } else { i64::MAX })
    }

    /// The UTC calendar day of the instant.
    pub fn date(self) -> CivilDate {
        let (year, month, day) = civil_from_days(self.seconds.div_euclid(SECONDS_PER_DAY));
        CivilDate {
            // Within 1..=9999 because the instant is.
            year: year as i32,
            month,
            day,
        }
    }

    /// Midnight UTC at the start of the following day, or `None` on 9999-12-31.
    pub fn start_of_next_day(self) -> Option<UtcTimestamp> {
        self.date().checked_add_days(1).map(CivilDate::start_of_day)
    }
}

impl fmt::Display for UtcTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let second_of_day = self.seconds.rem_euclid(SECONDS_PER_DAY);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}",
            self.date(),
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60
        )?;
        match self.nanos {
            0 => {}
            nanos if nanos % NANOS_PER_MILLI == 0 => {
                write!(f, ".{:03}", nanos / NANOS_PER_MILLI)?;
            }
            nanos if nanos % 1000 == 0 => write!(f, ".{:06}", nanos / 1000)?,
            nanos => write!(f, ".{nanos:09}")?,
        }
        f.write_char('Z')
    }
}

impl fmt::Debug for UtcTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UtcTimestamp({self})")
    }
}

impl serde::Serialize for UtcTimestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for UtcTimestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl serde::de::Visitor<'_> for TimestampVisitor {
            type Value = UtcTimestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 8601 timestamp such as \"2024-07-01T00:00:00Z\"")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<UtcTimestamp, E> {
                UtcTimestamp::parse_iso8601(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(TimestampVisitor)
    }
}

impl CivilDate {
    /// 0001-01-01, the earliest supported date.
    pub const MIN: CivilDate = CivilDate {
        year: 1,
        month: 1,
        day: 1,
    };
    /// 9999-12-31, the latest supported date.
    pub const MAX: CivilDate = CivilDate {
        year: 9999,
        month: 12,
        day: 31,
    };

    /// The date `year`-`month`-`day`, if it exists in the calendar and lies in 0001–9999.
    pub fn new(year: i32, month: u8, day: u8) -> Result<CivilDate, TimeError> {
        if !(1..=9999).contains(&year) {
            return Err(TimeError::OutOfRange);
        }
        if !(1..=12).contains(&month) {
            return Err(TimeError::InvalidDate(DateProblem::Month(month)));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(TimeError::InvalidDate(DateProblem::Day {
                year,
                month,
                day,
            }));
        }
        Ok(CivilDate { year, month, day })
    }

    /// From parsed fields of up to four digits.
    fn from_fields(year: u32, month: u32, day: u32) -> Result<CivilDate, TimeError> {
        let year = i32::try_from(year).map_err(|_| TimeError::OutOfRange)?;
        CivilDate::new(year, small(month), small(day))
    }

    /// Parses `YYYY-MM-DD`, also accepting one-digit months and days (`2024-7-1`), the lenient
    /// form FlexPay's list `startDate` takes. The year always has four digits.
    pub fn parse(text: &str) -> Result<CivilDate, TimeError> {
        if text.is_empty() {
            return Err(TimeError::InvalidDate(DateProblem::Empty));
        }
        let mut cursor = Cursor::new(text);
        let read = |cursor: &mut Cursor<'_>| -> Result<(u32, u32, u32), Syntax> {
            let year = cursor.digits(4)?;
            cursor.expect(b"-")?;
            let month = cursor.one_or_two_digits()?;
            cursor.expect(b"-")?;
            let day = cursor.one_or_two_digits()?;
            cursor.end()?;
            Ok((year, month, day))
        };
        let (year, month, day) =
            read(&mut cursor).map_err(|syntax| TimeError::InvalidDate(syntax.into()))?;
        CivilDate::from_fields(year, month, day)
    }

    /// The date `days` days after 1970-01-01 (negative: before), or `None` outside 0001–9999.
    pub fn from_unix_days(days: i64) -> Option<CivilDate> {
        if !(MIN_DAY..=MAX_DAY).contains(&days) {
            return None;
        }
        let (year, month, day) = civil_from_days(days);
        Some(CivilDate {
            // Within 1..=9999 because days is in range.
            year: year as i32,
            month,
            day,
        })
    }

    /// Days from 1970-01-01 to this date (negative before 1970).
    pub fn unix_days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The year, 1–9999.
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Midnight UTC at the start of this date.
    pub fn start_of_day(self) -> UtcTimestamp {
        UtcTimestamp {
            // Every date in 0001–9999 starts at an instant in range.
            seconds: self.unix_days() * SECONDS_PER_DAY,
            nanos: 0,
        }
    }

    /// The date `days` days later (earlier if negative), or `None` outside 0001–9999.
    pub fn checked_add_days(self, days: i64) -> Option<CivilDate> {
        self.unix_days()
            .checked_add(days)
            .and_then(CivilDate::from_unix_days)
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CivilDate({self})")
    }
}

impl serde::Serialize for CivilDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for CivilDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl serde::de::Visitor<'_> for DateVisitor {
            type Value = CivilDate;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as \"2024-07-01\"")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<CivilDate, E> {
                CivilDate::parse(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts(text: &str) -> UtcTimestamp {
        match UtcTimestamp::parse_iso8601(text) {
            Ok(t) => t,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    fn date(text: &str) -> CivilDate {
        match CivilDate::parse(text) {
            Ok(d) => d,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    fn timestamp_problem(text: &str) -> TimestampProblem {
        match UtcTimestamp::parse_iso8601(text) {
            Err(TimeError::InvalidTimestamp(problem)) => problem,
            other => panic!("{text:?}: expected invalid_timestamp, got {other:?}"),
        }
    }

    #[test]
    fn csv_instants_always_carry_their_milliseconds() {
        let whole = UtcTimestamp::parse_iso8601("2024-07-01T00:00:00Z").unwrap();
        assert_eq!(whole.to_iso8601_millis(), "2024-07-01T00:00:00.000Z");
        let half = whole.checked_add_millis(500).unwrap();
        assert_eq!(half.to_iso8601_millis(), "2024-07-01T00:00:00.500Z");
        // One width, so text order is time order ("…00Z" would sort after "…00.500Z").
        assert!(whole.to_iso8601_millis() < half.to_iso8601_millis());
        let micros = UtcTimestamp::parse_iso8601("2024-07-01T00:00:00.123456Z").unwrap();
        assert_eq!(micros.to_iso8601_millis(), "2024-07-01T00:00:00.123456Z");
    }

    #[test]
    fn range_constants_match_the_calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1, 1, 1), MIN_DAY);
        assert_eq!(days_from_civil(9999, 12, 31), MAX_DAY);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(UtcTimestamp::MIN.to_iso8601(), "0001-01-01T00:00:00Z");
        assert_eq!(
            UtcTimestamp::MAX.to_iso8601(),
            "9999-12-31T23:59:59.999999999Z"
        );
        assert_eq!(
            UtcTimestamp::UNIX_EPOCH.to_iso8601(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(CivilDate::MIN.unix_days(), MIN_DAY);
        assert_eq!(CivilDate::MAX.unix_days(), MAX_DAY);
    }

    #[test]
    fn every_day_of_the_range_matches_a_plain_day_count() {
        // Walk the whole calendar one day at a time with nothing but the month lengths.
        let (mut year, mut month, mut day) = (1i32, 1u8, 1u8);
        for days in MIN_DAY..=MAX_DAY {
            assert_eq!(days_from_civil(year, month, day), days);
            let (y, m, d) = civil_from_days(days);
            assert_eq!((y, m, d), (i64::from(year), month, day));
            if day < days_in_month(year, month) {
                day += 1;
            } else if month < 12 {
                month += 1;
                day = 1;
            } else {
                year += 1;
                month = 1;
                day = 1;
            }
        }
        assert_eq!((year, month, day), (10_000, 1, 1));
    }

    #[test]
    fn parses_utc_with_and_without_fraction() {
        let t = ts("2024-07-01T00:00:00Z");
        assert_eq!(t.unix_seconds(), 1_719_792_000);
        assert_eq!(t.subsec_nanos(), 0);
        assert_eq!(ts("2024-07-01t00:00:00z"), t);
        assert_eq!(ts("2024-07-01T00:00:00.5Z").subsec_nanos(), 500_000_000);
        assert_eq!(ts("2024-07-01T00:00:00.123Z").subsec_nanos(), 123_000_000);
        assert_eq!(
            ts("2024-07-01T00:00:00.1234567Z").subsec_nanos(),
            123_456_700
        );
        assert_eq!(ts("2024-07-01T00:00:00.000000001Z").subsec_nanos(), 1);
        assert_eq!(
            ts("2024-07-01T00:00:00.999999999Z").subsec_nanos(),
            999_999_999
        );
    }

    #[test]
    fn zone_designators() {
        let cases = [
            ("2024-07-01T12:00:00Z", ZoneDesignator::Utc),
            ("2024-07-01T12:00:00z", ZoneDesignator::Utc),
            ("2024-07-01T12:00:00", ZoneDesignator::Unspecified),
            ("2024-07-01T12:00:00.1234567", ZoneDesignator::Unspecified),
            (
                "2024-07-01T12:00:00+00:00",
                ZoneDesignator::Offset { minutes: 0 },
            ),
            (
                "2024-07-01T12:00:00-00:00",
                ZoneDesignator::Offset { minutes: 0 },
            ),
            (
                "2024-07-01T12:00:00+02:00",
                ZoneDesignator::Offset { minutes: 120 },
            ),
            (
                "2024-07-01T12:00:00-05:30",
                ZoneDesignator::Offset { minutes: -330 },
            ),
            (
                "2024-07-01T12:00:00+0545",
                ZoneDesignator::Offset { minutes: 345 },
            ),
            (
                "2024-07-01T12:00:00-2359",
                ZoneDesignator::Offset { minutes: -1439 },
            ),
        ];
        for (text, zone) in cases {
            let (_, parsed) = UtcTimestamp::parse_iso8601_detailed(text).unwrap();
            assert_eq!(parsed, zone, "{text}");
        }
    }

    #[test]
    fn offsets_convert_to_utc() {
        let noon = ts("2024-07-01T12:00:00Z");
        assert_eq!(ts("2024-07-01T12:00:00"), noon);
        assert_eq!(ts("2024-07-01T14:00:00+02:00"), noon);
        assert_eq!(ts("2024-07-01T06:30:00-05:30"), noon);
        assert_eq!(ts("2024-07-01T17:45:00+0545"), noon);
        // Crossing midnight, a month end and a year end.
        assert_eq!(
            ts("2024-01-01T01:00:00+02:00").to_iso8601(),
            "2023-12-31T23:00:00Z"
        );
        assert_eq!(
            ts("2024-02-29T22:00:00-03:00").to_iso8601(),
            "2024-03-01T01:00:00Z"
        );
    }

    #[test]
    fn formats_the_shortest_exact_fraction() {
        assert_eq!(
            ts("2024-07-01T00:00:00Z").to_iso8601(),
            "2024-07-01T00:00:00Z"
        );
        assert_eq!(
            ts("2024-07-01T00:00:00.5Z").to_iso8601(),
            "2024-07-01T00:00:00.500Z"
        );
        assert_eq!(
            ts("2024-07-01T00:00:00.000001Z").to_iso8601(),
            "2024-07-01T00:00:00.000001Z"
        );
        assert_eq!(
            ts("2024-07-01T00:00:00.1234567Z").to_iso8601(),
            "2024-07-01T00:00:00.123456700Z"
        );
        assert_eq!(
            ts("2024-07-01T00:00:00.000000000Z").to_iso8601(),
            "2024-07-01T00:00:00Z"
        );
        assert_eq!(
            ts("1969-12-31T23:59:59.999Z").to_iso8601(),
            "1969-12-31T23:59:59.999Z"
        );
        assert_eq!(
            format!("{:?}", UtcTimestamp::UNIX_EPOCH),
            "UtcTimestamp(1970-01-01T00:00:00Z)"
        );
    }

    #[test]
    fn calendar_validation() {
        assert!(UtcTimestamp::parse_iso8601("2024-02-29T00:00:00Z").is_ok());
        assert!(UtcTimestamp::parse_iso8601("2000-02-29T00:00:00Z").is_ok());
        for text in [
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-00-10T00:00:00Z",
            "2024-13-01T00:00:00Z",
        ] {
            let err = UtcTimestamp::parse_iso8601(text).unwrap_err();
            assert_eq!(err.code(), "invalid_date", "{text}");
        }
        let err = UtcTimestamp::parse_iso8601("2023-02-29T00:00:00Z").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid date: 2023-02 has no day 29: it has 28 days (February 29 exists only in \
             leap years)"
        );
    }

    #[test]
    fn time_of_day_validation() {
        assert!(UtcTimestamp::parse_iso8601("2024-07-01T23:59:59Z").is_ok());
        assert_eq!(
            timestamp_problem("2024-07-01T24:00:00Z"),
            TimestampProblem::Hour(24)
        );
        assert_eq!(
            timestamp_problem("2024-07-01T12:60:00Z"),
            TimestampProblem::Minute(60)
        );
        assert_eq!(
            timestamp_problem("2024-07-01T12:00:61Z"),
            TimestampProblem::Second(61)
        );
        assert_eq!(
            timestamp_problem("2024-07-01T12:00:99Z"),
            TimestampProblem::Second(99)
        );
        assert_eq!(
            timestamp_problem("2016-12-31T23:59:60Z"),
            TimestampProblem::LeapSecond
        );
        assert_eq!(
            timestamp_problem("2024-07-01T12:00:00+24:00"),
            TimestampProblem::Offset
        );
        assert_eq!(
            timestamp_problem("2024-07-01T12:00:00+01:60"),
            TimestampProblem::Offset
        );
    }

    #[test]
    fn malformed_timestamps() {
        let cases = [
            ("", TimestampProblem::Empty),
            ("2024-07-01", TimestampProblem::EndsEarly),
            ("2024-07-01T12:00", TimestampProblem::EndsEarly),
            ("2024-07-01T12:00:00.", TimestampProblem::FractionDigits),
            ("2024-07-01T12:00:00.Z", TimestampProblem::FractionDigits),
            (
                "2024-07-01T12:00:00.1234567890Z",
                TimestampProblem::FractionDigits,
            ),
            ("2024-07-01T12:00:00+01", TimestampProblem::EndsEarly),
            ("2024-07-01T12:00:00+01:0", TimestampProblem::EndsEarly),
            (
                "2024-07-01 12:00:00Z",
                TimestampProblem::UnexpectedCharacter { at: 10 },
            ),
            (
                "2024-7-01T12:00:00Z",
                TimestampProblem::UnexpectedCharacter { at: 6 },
            ),
            (
                "24-07-01T12:00:00Z",
                TimestampProblem::UnexpectedCharacter { at: 2 },
            ),
            (
                "2024/07/01T12:00:00Z",
                TimestampProblem::UnexpectedCharacter { at: 4 },
            ),
            (
                "2024-07-01T12:00:00ZZ",
                TimestampProblem::UnexpectedCharacter { at: 20 },
            ),
            (
                "2024-07-01T12:00:00 UTC",
                TimestampProblem::UnexpectedCharacter { at: 19 },
            ),
            (
                "2024-07-01T12:00:00,5Z",
                TimestampProblem::UnexpectedCharacter { at: 19 },
            ),
            (
                " 2024-07-01T12:00:00Z",
                TimestampProblem::UnexpectedCharacter { at: 0 },
            ),
            (
                "2024-07-01T12:00:00+01:00:00",
                TimestampProblem::UnexpectedCharacter { at: 25 },
            ),
            (
                "２０２４-07-01T12:00:00Z",
                TimestampProblem::UnexpectedCharacter { at: 0 },
            ),
            (
                "2024-07-01T12:00:00Zé",
                TimestampProblem::UnexpectedCharacter { at: 20 },
            ),
        ];
        for (text, problem) in cases {
            assert_eq!(timestamp_problem(text), problem, "{text:?}");
        }
        let err = UtcTimestamp::parse_iso8601("2024-07-01").unwrap_err();
        assert_eq!(err.code(), "invalid_timestamp");
        assert!(
            err.to_string().contains("\"2024-07-01T12:30:00Z\""),
            "{err}"
        );
    }

    #[test]
    fn out_of_range_instants() {
        for text in [
            "0000-12-31T23:59:59Z",
            "0001-01-01T00:00:00+00:01",
            "9999-12-31T23:59:59-00:01",
        ] {
            let err = UtcTimestamp::parse_iso8601(text).unwrap_err();
            assert_eq!(err, TimeError::OutOfRange, "{text}");
            assert_eq!(err.code(), "out_of_range");
        }
        assert_eq!(ts("0001-01-01T00:00:00Z"), UtcTimestamp::MIN);
        assert_eq!(ts("0001-01-01T00:01:00+00:01"), UtcTimestamp::MIN);
        assert_eq!(ts("9999-12-31T23:59:59.999999999Z"), UtcTimestamp::MAX);
        assert!(TimeError::OutOfRange.to_string().contains("check the year"));
    }

    #[test]
    fn unix_conversions() {
        let t = UtcTimestamp::from_unix_millis(1_719_792_000_123).unwrap();
        assert_eq!(t.to_iso8601(), "2024-07-01T00:00:00.123Z");
        assert_eq!(t.unix_millis(), 1_719_792_000_123);
        assert_eq!(t.unix_seconds(), 1_719_792_000);
        // Before 1970 the sub-second part still counts forward from the second below.
        let before = UtcTimestamp::from_unix_millis(-1).unwrap();
        assert_eq!(before.to_iso8601(), "1969-12-31T23:59:59.999Z");
        assert_eq!(before.unix_millis(), -1);
        assert_eq!(before.unix_seconds(), -1);
        // Rounding toward the past.
        let t = ts("1969-12-31T23:59:59.9999Z");
        assert_eq!(t.unix_millis(), -1);
        assert_eq!(t.unix_seconds(), -1);

        assert_eq!(
            UtcTimestamp::from_unix_seconds(0),
            Some(UtcTimestamp::UNIX_EPOCH)
        );
        assert_eq!(
            UtcTimestamp::from_unix_seconds(MIN_SECONDS),
            Some(UtcTimestamp::MIN)
        );
        assert_eq!(UtcTimestamp::from_unix_seconds(MIN_SECONDS - 1), None);
        assert_eq!(UtcTimestamp::from_unix_seconds(MAX_SECONDS + 1), None);
        assert_eq!(UtcTimestamp::from_unix_seconds(i64::MIN), None);
        assert_eq!(UtcTimestamp::from_unix_millis(i64::MAX), None);
        assert_eq!(UtcTimestamp::from_unix_millis(i64::MIN), None);
        assert_eq!(
            UtcTimestamp::from_unix_millis(MAX_SECONDS * 1000 + 999)
                .unwrap()
                .to_iso8601(),
            "9999-12-31T23:59:59.999Z"
        );
        assert_eq!(UtcTimestamp::from_unix_parts(0, 1_000_000_000), None);
    }

    #[test]
    fn arithmetic_and_differences() {
        let t = ts("2024-07-01T00:00:00.250Z");
        assert_eq!(
            t.checked_add_seconds(86_400).unwrap().to_iso8601(),
            "2024-07-02T00:00:00.250Z"
        );
        assert_eq!(
            t.checked_add_millis(750).unwrap().to_iso8601(),
            "2024-07-01T00:00:01Z"
        );
        assert_eq!(
            t.checked_add_millis(-251).unwrap().to_iso8601(),
            "2024-06-30T23:59:59.999Z"
        );
        assert_eq!(t.checked_add_seconds(i64::MAX), None);
        assert_eq!(t.checked_add_seconds(i64::MIN), None);
        assert_eq!(t.checked_add_millis(i64::MAX), None);
        assert_eq!(t.checked_add_millis(i64::MIN), None);
        assert_eq!(UtcTimestamp::MAX.checked_add_millis(1), None);
        assert_eq!(UtcTimestamp::MIN.checked_add_seconds(-1), None);

        let later = ts("2024-07-02T00:00:01Z");
        assert_eq!(later.seconds_since(t), 86_400);
        assert_eq!(t.seconds_since(later), -86_400);
        assert_eq!(later.millis_since(t), 86_400_750);
        assert_eq!(t.millis_since(later), -86_400_750);
        assert_eq!(t.seconds_since(t), 0);
        assert_eq!(
            UtcTimestamp::MAX.seconds_since(UtcTimestamp::MIN),
            MAX_SECONDS - MIN_SECONDS
        );
        assert_eq!(
            UtcTimestamp::MIN.millis_since(UtcTimestamp::MAX),
            -((MAX_SECONDS - MIN_SECONDS) * 1000 + 999)
        );
    }

    #[test]
    fn dates_of_instants() {
        let t = ts("2024-07-01T23:59:59.999Z");
        assert_eq!(t.date(), date("2024-07-01"));
        assert_eq!(t.start_of_next_day(), Some(ts("2024-07-02T00:00:00Z")));
        assert_eq!(
            ts("2024-12-31T05:00:00Z").start_of_next_day(),
            Some(ts("2025-01-01T00:00:00Z"))
        );
        assert_eq!(ts("1969-12-31T12:00:00Z").date(), date("1969-12-31"));
        assert_eq!(ts("0001-01-01T00:00:00Z").date(), CivilDate::MIN);
        assert_eq!(UtcTimestamp::MAX.date(), CivilDate::MAX);
        assert_eq!(UtcTimestamp::MAX.start_of_next_day(), None);
        assert_eq!(
            date("2024-07-01").start_of_day(),
            ts("2024-07-01T00:00:00Z")
        );
        assert_eq!(CivilDate::MIN.start_of_day(), UtcTimestamp::MIN);
    }

    #[test]
    fn civil_date_parsing() {
        let d = date("2024-07-01");
        assert_eq!((d.year(), d.month(), d.day()), (2024, 7, 1));
        assert_eq!(date("2024-7-1"), d);
        assert_eq!(date("2024-07-1"), d);
        assert_eq!(date("2024-7-01"), d);
        assert_eq!(d.to_string(), "2024-07-01");
        assert_eq!(date("0001-1-1").to_string(), "0001-01-01");
        assert_eq!(format!("{d:?}"), "CivilDate(2024-07-01)");

        let problem = |text: &str| match CivilDate::parse(text) {
            Err(TimeError::InvalidDate(problem)) => problem,
            other => panic!("{text:?}: expected invalid_date, got {other:?}"),
        };
        assert_eq!(problem(""), DateProblem::Empty);
        assert_eq!(problem("2024-07"), DateProblem::EndsEarly);
        assert_eq!(problem("2024-07-"), DateProblem::EndsEarly);
        assert_eq!(
            problem("24-07-01"),
            DateProblem::UnexpectedCharacter { at: 2 }
        );
        assert_eq!(
            problem("2024-007-01"),
            DateProblem::UnexpectedCharacter { at: 7 }
        );
        assert_eq!(
            problem("2024-07-001"),
            DateProblem::UnexpectedCharacter { at: 10 }
        );
        assert_eq!(
            problem("2024/07/01"),
            DateProblem::UnexpectedCharacter { at: 4 }
        );
        assert_eq!(
            problem("2024-07-01T00:00:00Z"),
            DateProblem::UnexpectedCharacter { at: 10 }
        );
        assert_eq!(
            problem(" 2024-07-01"),
            DateProblem::UnexpectedCharacter { at: 0 }
        );
        assert_eq!(problem("2024-13-01"), DateProblem::Month(13));
        assert_eq!(problem("2024-0-01"), DateProblem::Month(0));
        assert_eq!(
            problem("2023-2-29"),
            DateProblem::Day {
                year: 2023,
                month: 2,
                day: 29
            }
        );
        assert_eq!(
            problem("2024-06-31"),
            DateProblem::Day {
                year: 2024,
                month: 6,
                day: 31
            }
        );
        assert_eq!(CivilDate::parse("0000-01-01"), Err(TimeError::OutOfRange));
        assert_eq!(
            CivilDate::parse("2024-07-01x").unwrap_err().code(),
            "invalid_date"
        );
        assert!(CivilDate::parse("2024-13-01")
            .unwrap_err()
            .to_string()
            .contains("months run from 01 to 12"));
    }

    #[test]
    fn civil_date_construction_and_days() {
        assert_eq!(
            CivilDate::new(2024, 2, 29).map(|d| d.to_string()),
            Ok("2024-02-29".into())
        );
        assert_eq!(CivilDate::new(0, 1, 1), Err(TimeError::OutOfRange));
        assert_eq!(CivilDate::new(10_000, 1, 1), Err(TimeError::OutOfRange));
        assert_eq!(CivilDate::new(-5, 1, 1), Err(TimeError::OutOfRange));
        assert_eq!(
            CivilDate::new(2024, 0, 1).unwrap_err().code(),
            "invalid_date"
        );
        assert_eq!(
            CivilDate::new(2024, 1, 0).unwrap_err().code(),
            "invalid_date"
        );
        assert_eq!(
            CivilDate::new(2024, 1, 32).unwrap_err().code(),
            "invalid_date"
        );

        let d = date("2024-02-28");
        assert_eq!(d.checked_add_days(1), Some(date("2024-02-29")));
        assert_eq!(d.checked_add_days(2), Some(date("2024-03-01")));
        assert_eq!(d.checked_add_days(-59), Some(date("2023-12-31")));
        assert_eq!(d.checked_add_days(366), Some(date("2025-02-28")));
        assert_eq!(CivilDate::MAX.checked_add_days(1), None);
        assert_eq!(CivilDate::MIN.checked_add_days(-1), None);
        assert_eq!(d.checked_add_days(i64::MAX), None);
        assert_eq!(d.checked_add_days(i64::MIN), None);
        assert_eq!(CivilDate::from_unix_days(0), Some(date("1970-01-01")));
        assert_eq!(CivilDate::from_unix_days(MAX_DAY + 1), None);
        assert_eq!(CivilDate::from_unix_days(MIN_DAY - 1), None);
        assert!(date("2024-07-01") < date("2024-07-02"));
        assert!(date("2023-12-31") < date("2024-01-01"));
    }

    #[test]
    fn serde_uses_iso_strings() {
        let t = ts("2024-07-01T12:30:00.5+02:00");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2024-07-01T10:30:00.500Z\"");
        assert_eq!(serde_json::from_str::<UtcTimestamp>(&json).unwrap(), t);
        // FlexPay's retryDate comes without a zone.
        let retry: UtcTimestamp = serde_json::from_str("\"2024-07-03T08:00:00.1234567\"").unwrap();
        assert_eq!(retry.to_iso8601(), "2024-07-03T08:00:00.123456700Z");
        let err = serde_json::from_str::<UtcTimestamp>("\"2024-02-30T00:00:00Z\"").unwrap_err();
        assert!(err.to_string().contains("invalid date"), "{err}");
        assert!(serde_json::from_str::<UtcTimestamp>("1719792000").is_err());

        let d = date("2024-7-1");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-07-01\"");
        assert_eq!(
            serde_json::from_str::<CivilDate>("\"2024-7-1\"").unwrap(),
            d
        );
        assert!(serde_json::from_str::<CivilDate>("\"2024-02-30\"").is_err());
    }

    #[test]
    fn every_error_names_its_code_and_a_fix() {
        let errors = [
            TimeError::InvalidTimestamp(TimestampProblem::Empty),
            TimeError::InvalidTimestamp(TimestampProblem::LeapSecond),
            TimeError::InvalidDate(DateProblem::Empty),
            TimeError::InvalidDate(DateProblem::Month(13)),
            TimeError::OutOfRange,
        ];
        for err in errors {
            let message = err.to_string();
            assert!(
                ["write", "send", "run from", "check"]
                    .iter()
                    .any(|hint| message.contains(hint)),
                "{message}"
            );
        }
        assert_eq!(
            TimeError::InvalidTimestamp(TimestampProblem::Empty).code(),
            "invalid_timestamp"
        );
    }

    fn any_instant() -> impl Strategy<Value = UtcTimestamp> {
        (MIN_SECONDS..=MAX_SECONDS, 0..NANOS_PER_SECOND, 0u8..4).prop_map(|(s, n, shape)| {
            // Bias toward the fraction shapes the formatter treats differently.
            let nanos = match shape {
                0 => 0,
                1 => n / NANOS_PER_MILLI * NANOS_PER_MILLI,
                2 => n / 1000 * 1000,
                _ => n,
            };
            UtcTimestamp::from_unix_parts(s, nanos).unwrap()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn iso_round_trip(t in any_instant()) {
            let text = t.to_iso8601();
            prop_assert_eq!(UtcTimestamp::parse_iso8601_detailed(&text), Ok((t, ZoneDesignator::Utc)));
            let fraction = text.split_once('.').map_or(0, |(_, f)| f.len() - 1);
            prop_assert!([0, 3, 6, 9].contains(&fraction), "{}", text);
        }

        #[test]
        fn offsets_shift_the_instant(t in any_instant(), minutes in -1439i16..=1439) {
            // Render t's wall-clock time at the offset, then parse it back.
            let Some(local) = t.checked_add_seconds(i64::from(minutes) * 60) else {
                return Ok(());
            };
            let utc_text = local.to_iso8601();
            let Some(wall_clock) = utc_text.strip_suffix('Z') else {
                return Err(TestCaseError::fail("no Z"));
            };
            let sign = if minutes < 0 { '-' } else { '+' };
            let magnitude = minutes.unsigned_abs();
            let text = format!("{wall_clock}{sign}{:02}:{:02}", magnitude / 60, magnitude % 60);
            prop_assert_eq!(
                UtcTimestamp::parse_iso8601_detailed(&text),
                Ok((t, ZoneDesignator::Offset { minutes }))
            );
        }

        #[test]
        fn millis_round_trip(millis in MIN_SECONDS * 1000..=MAX_SECONDS * 1000 + 999) {
            let t = UtcTimestamp::from_unix_millis(millis).unwrap();
            prop_assert_eq!(t.unix_millis(), millis);
            prop_assert_eq!(t.unix_seconds(), millis.div_euclid(1000));
        }

        #[test]
        fn add_then_measure(t in any_instant(), millis in -10_000_000_000_000i64..=10_000_000_000_000) {
            if let Some(later) = t.checked_add_millis(millis) {
                prop_assert_eq!(later.millis_since(t), millis);
                prop_assert_eq!(t.millis_since(later), -millis);
                prop_assert_eq!(later.seconds_since(t), millis / 1000);
            }
        }

        #[test]
        fn civil_date_days_round_trip(days in MIN_DAY..=MAX_DAY) {
            let d = CivilDate::from_unix_days(days).unwrap();
            prop_assert_eq!(d.unix_days(), days);
            prop_assert_eq!(CivilDate::new(d.year(), d.month(), d.day()), Ok(d));
            prop_assert_eq!(CivilDate::parse(&d.to_string()), Ok(d));
            prop_assert_eq!(d.start_of_day().date(), d);
            if let Some(next) = d.checked_add_days(1) {
                prop_assert!(next > d);
                prop_assert_eq!(next.start_of_day().seconds_since(d.start_of_day()), SECONDS_PER_DAY);
            }
        }

        #[test]
        fn parsers_never_panic(text in any::<String>()) {
            let _ = UtcTimestamp::parse_iso8601_detailed(&text);
            let _ = CivilDate::parse(&text);
        }

        #[test]
        fn parsers_never_panic_on_near_timestamps(
            text in "[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}[Tt ][0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}(\\.[0-9]{0,12})?([Zz]|[+-][0-9]{1,3}:?[0-9]{0,3}|é)?",
        ) {
            if let Ok((t, _)) = UtcTimestamp::parse_iso8601_detailed(&text) {
                prop_assert_eq!(UtcTimestamp::parse_iso8601(&t.to_iso8601()), Ok(t));
            }
            let _ = CivilDate::parse(text.get(..10).unwrap_or(""));
        }
    }
}
