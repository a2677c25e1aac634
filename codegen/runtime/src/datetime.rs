//! Smithy `timestamp` values: [`DateTime`], an instant on the UTC timeline with nanosecond
//! resolution, plus the three text forms of Smithy's `timestampFormat` trait and a lenient parser
//! for command-line input.
//!
//! Only `std` is used. `chrono` or `time` would add compile time and dependency weight to every
//! generated crate for the little needed here: day <-> calendar date arithmetic, three text
//! formats and `SystemTime` conversion.
//!
//! # Rules
//!
//! * Calendar: proleptic Gregorian, always UTC. A `DateTime` spans the whole `i64` range of
//!   seconds, but the text formats hold four-digit years, so parsers accept years 0000-9999.
//!   Years outside that range are written in ISO 8601 expanded form (`+10000-01-01T00:00:00Z`,
//!   `-0001-12-31T00:00:00Z`), which no parser here (nor RFC 3339) accepts.
//! * `epoch-seconds`: whole seconds are written as a JSON integer (`1700000000`). Otherwise the
//!   exact fraction follows with up to nine digits and its trailing zeros removed
//!   (`1700000000.5`, `1700000000.123`, `1700000000.000001`, `-1.5`). Output is exact and never
//!   uses exponent notation. Parsing accepts an optional sign, a fraction and an exponent
//!   (`1.7E9`, as some services send). Digits after the ninth fractional digit are ignored,
//!   which truncates towards zero: `-1.0000000009` reads as -1 s.
//! * `date-time` (RFC 3339): written as `2023-11-14T22:13:20Z`, with a fraction (up to nine
//!   digits, trailing zeros removed) only when non-zero. Parsing accepts `T`/`t`, `Z`/`z`
//!   and `+hh:mm`/`-hh:mm` offsets (converted to UTC). The fraction may have any length; digits
//!   after the ninth are ignored.
//! * `http-date` (IMF-fixdate, RFC 7231 section 7.1.1.1): written as
//!   `Tue, 14 Nov 2023 22:13:20 GMT`. The format has whole seconds only, so any fraction is dropped.
//!   Parsing also accepts a fraction after the seconds, which older Smithy specs required.
//!   Day names, month names and `GMT` are matched without regard to ASCII case, and the day name
//!   must match the date.
//! * Invalid fields are rejected: month 13, Feb 30, hour 24, minute 60. A leap second (`:60`)
//!   is accepted only at minute 59. It becomes the last nanosecond of that minute (`:59.999999999`)
//!   because Unix time has no slot for it.
//! * Errors ([`DateTimeError`]) say what was wrong and at which byte of the input.

use std::error::Error;
use std::fmt::{self, Write as _};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
/// Days in a 400-year Gregorian cycle; the calendar repeats exactly after it.
const DAYS_PER_ERA: i64 = 146_097;
/// Days from 0000-03-01 to 1970-01-01. Counting from a March 1st puts the leap day at the end
/// of each counted year.
const DAYS_FROM_0000_03_01_TO_EPOCH: i64 = 719_468;
/// Years the four-digit text formats can carry.
const YEAR_RANGE: std::ops::RangeInclusive<i64> = 0..=9999;
/// Cap for a parsed exponent. Any larger exponent overflows or underflows `i64` seconds anyway;
/// the cap also bounds the digit-shifting loop.
const EXPONENT_CAP: i64 = 100_000;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// An instant on the UTC timeline: whole seconds since 1970-01-01T00:00:00Z plus a fraction
/// in nanoseconds.
///
/// The fraction always counts forward from `secs()`, so -1.5 s is stored as `secs() == -2` and
/// `subsec_nanos() == 500_000_000`. Then the derived ordering is chronological. `Debug` and
/// `Display` both print the RFC 3339 form (`2023-11-14T22:13:20Z`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    seconds: i64,
    subsec_nanos: u32,
}

impl DateTime {
    /// The earliest representable instant: `i64::MIN` seconds before the epoch.
    pub const MIN: DateTime = DateTime { seconds: i64::MIN, subsec_nanos: 0 };

    /// The latest representable instant: `i64::MAX` seconds and 999 999 999 ns after the epoch.
    pub const MAX: DateTime = DateTime { seconds: i64::MAX, subsec_nanos: NANOS_PER_SEC - 1 };

    /// The instant `secs` whole seconds after 1970-01-01T00:00:00Z (before it if negative).
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { seconds: secs, subsec_nanos: 0 }
    }

    /// The instant `secs` seconds plus `nanos` nanoseconds after the epoch.
    ///
    /// `nanos` of one second or more carries into the seconds, so `(1, 1_500_000_000)` is 2.5 s.
    /// If the carry goes past the last representable second, the result is [`DateTime::MAX`].
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        let carry = (nanos / NANOS_PER_SEC) as i64;
        match secs.checked_add(carry) {
            Some(seconds) => DateTime { seconds, subsec_nanos: nanos % NANOS_PER_SEC },
            None => DateTime::MAX,
        }
    }

    /// The instant `value` seconds after the epoch, as decoded from a JSON number.
    ///
    /// The value is read as the shortest decimal that converts back to the same `f64`, which is
    /// the number the sender wrote. So `1700000000.123` yields exactly 123 ms rather than the
    /// nearest binary value (0.122999906... s). Digits beyond nanoseconds are ignored.
    /// NaN, infinities and values outside the `i64` range of seconds are rejected.
    pub fn from_fractional_secs(value: f64) -> Result<Self, DateTimeError> {
        const CONTEXT: &str = "invalid epoch-seconds value";
        // 2^63 is exactly representable, unlike i64::MAX, so compare against it directly.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if value.is_nan() {
            return Err(DateTimeError::plain(CONTEXT, "value is NaN"));
        }
        if value.is_infinite() {
            return Err(DateTimeError::plain(CONTEXT, "value is infinite"));
        }
        if !(-LIMIT..LIMIT).contains(&value) {
            return Err(DateTimeError::plain(CONTEXT, "value is outside the range of i64 seconds"));
        }
        if value.fract() == 0.0 {
            // Integral and inside the range checked above, so the cast is exact.
            return Ok(DateTime::from_secs(value as i64));
        }
        // `{:e}` prints the shortest decimal that converts back to `value`. Fractional values are
        // below 2^52 in magnitude, so the text always parses within range.
        let text = format!("{value:e}");
        DateTime::parse_epoch_seconds(&text)
            .map_err(|_| DateTimeError::plain(CONTEXT, "value is outside the range of i64 seconds"))
    }

    /// The instant for a UTC calendar date and time of day.
    ///
    /// `year` must be 0-9999, `month` 1-12, `day` a day of that month, `hour` 0-23,
    /// `minute` 0-59, `second` 0-59 and `nanos` below 1 000 000 000. Anything else is an error.
    pub fn from_civil(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        nanos: u32,
    ) -> Result<Self, DateTimeError> {
        let civil = Civil { year: i64::from(year), month, day, hour, minute, second, nanos };
        civil.to_date_time(false).map_err(|(_, problem)| DateTimeError::plain("invalid calendar date-time", problem))
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        DateTime::from(SystemTime::now())
    }

    /// Whole seconds since the epoch, rounded towards the past (-1.5 s gives -2).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds after [`DateTime::secs`], always below 1 000 000 000.
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Seconds since the epoch as `f64`. The result is rounded to the nearest `f64`. Near the
    /// present that is about a quarter of a microsecond.
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsec_nanos) / f64::from(NANOS_PER_SEC)
    }

    /// Appends the `epoch-seconds` form to `out` as a JSON number: an integer for whole seconds,
    /// otherwise the exact fraction with trailing zeros removed (`1700000000.5`, `-1.5`).
    pub fn write_epoch_seconds(&self, out: &mut String) {
        // Writing into a String cannot fail.
        let _ = self.write_epoch(out);
    }

    /// The `epoch-seconds` form as text, for headers and query strings; see
    /// [`DateTime::write_epoch_seconds`].
    pub fn fmt_epoch_seconds(&self) -> String {
        let mut out = String::with_capacity(24);
        self.write_epoch_seconds(&mut out);
        out
    }

    /// Parses `epoch-seconds` text such as `1700000000`, `1700000000.25`, `-12` or `1.7E9`.
    ///
    /// Accepts an optional sign, digits, an optional `.` with digits, and an optional exponent.
    /// Digits after the ninth fractional digit are ignored. Whitespace is not accepted.
    pub fn parse_epoch_seconds(text: &str) -> Result<Self, DateTimeError> {
        let mut cursor = Cursor::new(text, 0, text.len(), "invalid epoch-seconds");
        parse_decimal_seconds(&mut cursor)
    }

    /// The RFC 3339 `date-time` form, e.g. `2023-11-14T22:13:20Z` or `1969-12-31T23:59:58.5Z`.
    pub fn fmt_date_time(&self) -> String {
        self.to_string()
    }

    /// Parses an RFC 3339 `date-time` such as `2023-11-14T22:13:20Z`,
    /// `2023-11-14t22:13:20.123456789z` or `2023-11-15T00:13:20+02:00`.
    pub fn parse_date_time(text: &str) -> Result<Self, DateTimeError> {
        let mut cursor = Cursor::new(text, 0, text.len(), "invalid date-time");
        parse_rfc3339(&mut cursor, false)
    }

    /// The `http-date` (IMF-fixdate) form, e.g. `Tue, 14 Nov 2023 22:13:20 GMT`.
    /// The fraction of a second is dropped because the format has no place for it.
    pub fn fmt_http_date(&self) -> String {
        let mut out = String::with_capacity(29);
        // Writing into a String cannot fail.
        let _ = self.write_http_date(&mut out);
        out
    }

    /// Parses an `http-date` (IMF-fixdate) such as `Tue, 14 Nov 2023 22:13:20 GMT`, also with a
    /// fraction after the seconds (`22:13:20.123 GMT`). Obsolete RFC 850 and asctime forms are
    /// rejected.
    pub fn parse_http_date(text: &str) -> Result<Self, DateTimeError> {
        let mut cursor = Cursor::new(text, 0, text.len(), "invalid http-date");
        parse_imf_fixdate(&mut cursor)
    }

    /// Parses a timestamp typed on a command line, ignoring surrounding whitespace.
    ///
    /// Accepts epoch seconds (`1700000000`, `1700000000.5`, `-12`) or an ISO 8601 date-time.
    /// The date-time may use a space instead of `T`, may omit seconds (`2023-11-14T22:13Z`), or
    /// may be a bare date (`2023-11-14`, midnight UTC). A date-time with a time of day needs `Z`
    /// or an offset, because guessing the local time zone would be wrong silently. Input that
    /// starts with four digits and `-` is a date; anything else is epoch seconds, so `2023` is
    /// 2023 seconds after the epoch.
    pub fn parse_cli(text: &str) -> Result<Self, DateTimeError> {
        let end = text.trim_end().len();
        let start = end - text[..end].trim_start().len();
        let body = &text.as_bytes()[start..end];
        let mut cursor = Cursor::new(text, start, end, "invalid timestamp");
        let looks_like_date = body.len() > 4 && body[..4].iter().all(u8::is_ascii_digit) && body[4] == b'-';
        if looks_like_date {
            parse_rfc3339(&mut cursor, true)
        } else if matches!(body.first(), Some(b'0'..=b'9' | b'-' | b'+')) {
            parse_decimal_seconds(&mut cursor)
        } else {
            Err(cursor
                .syntax_error("expected epoch seconds (1700000000) or an ISO 8601 date-time (2023-11-14T22:13:20Z)"))
        }
    }

    /// Days since the epoch and seconds into that day.
    fn split_days(&self) -> (i64, i64) {
        (self.seconds.div_euclid(SECS_PER_DAY), self.seconds.rem_euclid(SECS_PER_DAY))
    }

    fn write_epoch(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        if self.subsec_nanos == 0 {
            write!(out, "{}", self.seconds)
        } else if self.seconds >= 0 {
            write!(out, "{}", self.seconds)?;
            write_fraction(out, self.subsec_nanos)
        } else {
            // The stored fraction counts forward from a negative second, but the written number
            // counts back from zero: -2 s + 0.5 s is written "-1.5".
            write!(out, "-{}", (self.seconds + 1).unsigned_abs())?;
            write_fraction(out, NANOS_PER_SEC - self.subsec_nanos)
        }
    }

    fn write_rfc3339(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let (days, day_secs) = self.split_days();
        let (year, month, day) = civil_from_days(days);
        write_year(out, year)?;
        write!(out, "-{month:02}-{day:02}T{:02}:{:02}:{:02}", day_secs / 3600, day_secs / 60 % 60, day_secs % 60)?;
        write_fraction(out, self.subsec_nanos)?;
        out.write_char('Z')
    }

    fn write_http_date(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let (days, day_secs) = self.split_days();
        let (year, month, day) = civil_from_days(days);
        write!(out, "{}, {day:02} {} ", WEEKDAYS[weekday_index(days)], MONTHS[month as usize - 1])?;
        write_year(out, year)?;
        write!(out, " {:02}:{:02}:{:02} GMT", day_secs / 3600, day_secs / 60 % 60, day_secs % 60)
    }
}

impl fmt::Display for DateTime {
    /// Writes the RFC 3339 form, as [`DateTime::fmt_date_time`] does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_rfc3339(f)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_rfc3339(f)
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        // Every platform's SystemTime fits in i64 seconds; saturating only guards the type-level
        // possibility of a u64 overflow.
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => {
                DateTime::from_secs_and_nanos(i64::try_from(after.as_secs()).unwrap_or(i64::MAX), after.subsec_nanos())
            }
            Err(before) => {
                // Negate in i128: 2^63 seconds before the epoch is i64::MIN, yet 2^63 itself
                // does not fit in i64.
                let before = before.duration();
                let secs = -i128::from(before.as_secs());
                let (secs, nanos) = match before.subsec_nanos() {
                    0 => (secs, 0),
                    nanos => (secs - 1, NANOS_PER_SEC - nanos),
                };
                match i64::try_from(secs) {
                    Ok(seconds) => DateTime { seconds, subsec_nanos: nanos },
                    Err(_) => DateTime::MIN,
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;

    /// Fails when the instant is outside the platform's `SystemTime` range.
    fn try_from(time: DateTime) -> Result<Self, DateTimeError> {
        let whole = Duration::from_secs(time.seconds.unsigned_abs());
        let fraction = Duration::from_nanos(u64::from(time.subsec_nanos));
        let converted = if time.seconds >= 0 {
            UNIX_EPOCH.checked_add(whole + fraction)
        } else {
            UNIX_EPOCH.checked_sub(whole).and_then(|t| t.checked_add(fraction))
        };
        converted.ok_or_else(|| {
            DateTimeError::plain("cannot convert to SystemTime", "instant is outside the range this platform supports")
        })
    }
}

/// Why a timestamp could not be parsed or converted, and at which byte of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    context: &'static str,
    problem: &'static str,
    position: Option<usize>,
    found: Found,
}

/// What the parser saw at the error position, for syntax errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// Not reported: the error is about a value, not a character.
    Unreported,
    Char(char),
    EndOfInput,
}

impl DateTimeError {
    fn plain(context: &'static str, problem: &'static str) -> Self {
        DateTimeError { context, problem, position: None, found: Found::Unreported }
    }

    /// Byte offset into the input where the problem was found, or `None` if it was not in
    /// parsed text (e.g. a NaN passed to [`DateTime::from_fractional_secs`]).
    pub fn position(&self) -> Option<usize> {
        self.position
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.context, self.problem)?;
        if let Some(position) = self.position {
            write!(f, " (at byte {position}")?;
            match self.found {
                Found::Unreported => {}
                Found::Char(c) => write!(f, ", found {c:?}")?,
                Found::EndOfInput => f.write_str(", found end of input")?,
            }
            f.write_char(')')?;
        }
        Ok(())
    }
}

impl Error for DateTimeError {}

/// Writes `.` and the fraction without trailing zeros, or nothing for zero.
fn write_fraction(out: &mut dyn fmt::Write, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        return Ok(());
    }
    let (mut value, mut width) = (nanos, 9);
    while value % 10 == 0 {
        value /= 10;
        width -= 1;
    }
    write!(out, ".{value:0width$}")
}

/// Writes four digits for years 0-9999, otherwise ISO 8601 expanded form (`+10000`, `-0001`).
fn write_year(out: &mut dyn fmt::Write, year: i64) -> fmt::Result {
    if YEAR_RANGE.contains(&year) {
        write!(out, "{year:04}")
    } else if year > 0 {
        write!(out, "+{year}")
    } else {
        write!(out, "-{:04}", year.unsigned_abs())
    }
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Index into [`WEEKDAYS`] of a day counted from the epoch, which was a Thursday.
fn weekday_index(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

/// Days since 1970-01-01 for a valid date (month 1-12, day within the month).
///
/// This is Howard Hinnant's day-counting method. Years are counted from March, so February
/// (and its leap day) comes last and the day offsets of the other months follow a fixed
/// formula. Each 400-year era has exactly 146 097 days.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - DAYS_FROM_0000_03_01_TO_EPOCH
}

/// The (year, month, day) of a day counted from 1970-01-01; the inverse of
/// [`days_from_civil`]. Defined for every day an `i64` of seconds can reach.
///
/// The SigV4 signer formats its timestamps with it too, so the calendar lives in one place.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + DAYS_FROM_0000_03_01_TO_EPOCH;
    let era = shifted.div_euclid(DAYS_PER_ERA);
    let day_of_era = shifted.rem_euclid(DAYS_PER_ERA);
    // Subtract the leap days so far in this era (one per 4 years, none per 100, one more for the
    // era's last day). Then whole 365-day years can be counted.
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

/// Which calendar field a range check failed on, so parsers can point at it.
#[derive(Clone, Copy)]
enum Field {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

/// Calendar fields read from text or given to [`DateTime::from_civil`], not yet validated.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
}

impl Civil {
    /// Checks each field's range and converts to UTC seconds. `allow_leap_second` admits
    /// second 60 at minute 59, clamped as described in the module docs.
    fn to_date_time(&self, allow_leap_second: bool) -> Result<DateTime, (Field, &'static str)> {
        if !YEAR_RANGE.contains(&self.year) {
            return Err((Field::Year, "year must be between 0000 and 9999"));
        }
        if !(1..=12).contains(&self.month) {
            return Err((Field::Month, "month must be between 01 and 12"));
        }
        if self.day == 0 || self.day > days_in_month(self.year, self.month) {
            return Err((Field::Day, "day does not exist in that month"));
        }
        if self.hour > 23 {
            return Err((Field::Hour, "hour must be between 00 and 23"));
        }
        if self.minute > 59 {
            return Err((Field::Minute, "minute must be between 00 and 59"));
        }
        if self.nanos >= NANOS_PER_SEC {
            return Err((Field::Second, "nanoseconds must be below 1000000000"));
        }
        let (second, nanos) = match self.second {
            0..=59 => (self.second, self.nanos),
            60 if allow_leap_second && self.minute == 59 => (59, NANOS_PER_SEC - 1),
            60 if allow_leap_second => return Err((Field::Second, "leap second 60 is only valid at minute 59")),
            _ if allow_leap_second => return Err((Field::Second, "second must be between 00 and 60")),
            _ => return Err((Field::Second, "second must be between 00 and 59")),
        };
        let days = days_from_civil(self.year, self.month, self.day);
        let day_secs = i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(second);
        Ok(DateTime { seconds: days * SECS_PER_DAY + day_secs, subsec_nanos: nanos })
    }
}

/// A position in the text being parsed. `text` ends where parsing must end, and positions
/// are byte offsets into the caller's input.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    context: &'static str,
}

impl<'a> Cursor<'a> {
    fn new(input: &'a str, start: usize, end: usize, context: &'static str) -> Self {
        Cursor { text: input.get(..end).unwrap_or(input), pos: start, context }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn peek_digit(&self) -> Option<u32> {
        self.peek().filter(u8::is_ascii_digit).map(|b| u32::from(b - b'0'))
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// Consumes the next byte if it is one of `options`.
    fn eat_any(&mut self, options: &[u8]) -> Option<u8> {
        let byte = self.peek().filter(|b| options.contains(b))?;
        self.pos += 1;
        Some(byte)
    }

    fn expect(&mut self, byte: u8, problem: &'static str) -> Result<(), DateTimeError> {
        match self.eat_any(&[byte]) {
            Some(_) => Ok(()),
            None => Err(self.syntax_error(problem)),
        }
    }

    /// Reads exactly `count` (at most 9) ASCII digits.
    fn fixed_digits(&mut self, count: usize, problem: &'static str) -> Result<u32, DateTimeError> {
        let mut value = 0;
        for _ in 0..count {
            let digit = self.peek_digit().ok_or_else(|| self.syntax_error(problem))?;
            value = value * 10 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    /// Reads the digits after a decimal point (at least one) as nanoseconds, ignoring digits
    /// past the ninth.
    fn fraction_nanos(&mut self) -> Result<u32, DateTimeError> {
        let mut nanos = 0;
        let mut count = 0;
        while let Some(digit) = self.peek_digit() {
            if count < 9 {
                nanos = nanos * 10 + digit;
            }
            count += 1;
            self.pos += 1;
        }
        if count == 0 {
            return Err(self.syntax_error("expected a digit after the decimal point"));
        }
        for _ in count..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }

    /// Reads a three-letter name from `names` without regard to ASCII case; returns its index.
    fn name(&mut self, names: &[&str], problem: &'static str) -> Result<usize, DateTimeError> {
        let word = self.text.get(self.pos..self.pos + 3);
        let index = word
            .and_then(|word| names.iter().position(|n| n.eq_ignore_ascii_case(word)))
            .ok_or_else(|| self.syntax_error(problem))?;
        self.pos += 3;
        Ok(index)
    }

    fn finish(&self) -> Result<(), DateTimeError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.syntax_error("unexpected characters after the timestamp"))
        }
    }

    /// An error about the character at the current position (or the missing one).
    fn syntax_error(&self, problem: &'static str) -> DateTimeError {
        let found = match self.text.get(self.pos..).and_then(|rest| rest.chars().next()) {
            Some(c) => Found::Char(c),
            None => Found::EndOfInput,
        };
        DateTimeError { context: self.context, problem, position: Some(self.pos), found }
    }

    /// An error about a well-formed value that is out of range, starting at `position`.
    fn value_error(&self, position: usize, problem: &'static str) -> DateTimeError {
        DateTimeError { context: self.context, problem, position: Some(position), found: Found::Unreported }
    }
}

/// Reads `hh:mm:ss[.fraction]` into `civil`, recording where each field started. With
/// `optional_seconds`, `hh:mm` alone is accepted.
fn parse_time_of_day(
    cursor: &mut Cursor<'_>,
    civil: &mut Civil,
    starts: &mut [usize; 6],
    optional_seconds: bool,
) -> Result<(), DateTimeError> {
    starts[Field::Hour as usize] = cursor.pos;
    civil.hour = cursor.fixed_digits(2, "expected a two-digit hour")?;
    cursor.expect(b':', "expected ':' after the hour")?;
    starts[Field::Minute as usize] = cursor.pos;
    civil.minute = cursor.fixed_digits(2, "expected a two-digit minute")?;
    if optional_seconds && cursor.peek() != Some(b':') {
        return Ok(());
    }
    cursor.expect(b':', "expected ':' after the minute")?;
    starts[Field::Second as usize] = cursor.pos;
    civil.second = cursor.fixed_digits(2, "expected a two-digit second")?;
    if cursor.eat_any(b".").is_some() {
        civil.nanos = cursor.fraction_nanos()?;
    }
    Ok(())
}

/// Reads `Z`, `z` or `+hh:mm`/`-hh:mm`, returning the offset east of UTC in seconds.
fn parse_utc_offset(cursor: &mut Cursor<'_>) -> Result<i64, DateTimeError> {
    let sign = match cursor.eat_any(b"Zz+-") {
        Some(b'+') => 1,
        Some(b'-') => -1,
        Some(_) => return Ok(0),
        None => return Err(cursor.syntax_error("expected 'Z' or a UTC offset such as +02:00")),
    };
    let hour_at = cursor.pos;
    let hours = cursor.fixed_digits(2, "expected a two-digit offset hour")?;
    cursor.expect(b':', "expected ':' in the UTC offset")?;
    let minute_at = cursor.pos;
    let minutes = cursor.fixed_digits(2, "expected two-digit offset minutes")?;
    if hours > 23 {
        return Err(cursor.value_error(hour_at, "offset hour must be between 00 and 23"));
    }
    if minutes > 59 {
        return Err(cursor.value_error(minute_at, "offset minutes must be between 00 and 59"));
    }
    Ok(sign * i64::from(hours * 3600 + minutes * 60))
}

/// RFC 3339 `date-time`. With `cli`, also a bare date, a space before the time and a time
/// without seconds.
fn parse_rfc3339(cursor: &mut Cursor<'_>, cli: bool) -> Result<DateTime, DateTimeError> {
    let mut starts = [cursor.pos; 6];
    let year = cursor.fixed_digits(4, "expected a four-digit year")?;
    cursor.expect(b'-', "expected '-' after the year")?;
    starts[Field::Month as usize] = cursor.pos;
    let month = cursor.fixed_digits(2, "expected a two-digit month")?;
    cursor.expect(b'-', "expected '-' after the month")?;
    starts[Field::Day as usize] = cursor.pos;
    let day = cursor.fixed_digits(2, "expected a two-digit day")?;
    let mut civil = Civil { year: i64::from(year), month, day, hour: 0, minute: 0, second: 0, nanos: 0 };
    let mut offset = 0;
    if !(cli && cursor.at_end()) {
        let separators: &[u8] = if cli { b"Tt " } else { b"Tt" };
        if cursor.eat_any(separators).is_none() {
            return Err(cursor.syntax_error("expected 'T' between the date and the time"));
        }
        parse_time_of_day(cursor, &mut civil, &mut starts, cli)?;
        offset = parse_utc_offset(cursor)?;
    }
    cursor.finish()?;
    let local =
        civil.to_date_time(true).map_err(|(field, problem)| cursor.value_error(starts[field as usize], problem))?;
    Ok(DateTime { seconds: local.seconds - offset, ..local })
}

/// IMF-fixdate, `Tue, 14 Nov 2023 22:13:20 GMT`, with an optional fraction of a second.
fn parse_imf_fixdate(cursor: &mut Cursor<'_>) -> Result<DateTime, DateTimeError> {
    let mut starts = [cursor.pos; 6];
    let weekday_at = cursor.pos;
    let weekday = cursor.name(&WEEKDAYS, "expected a day name such as Tue")?;
    cursor.expect(b',', "expected ',' after the day name")?;
    cursor.expect(b' ', "expected a space after ','")?;
    starts[Field::Day as usize] = cursor.pos;
    let day = cursor.fixed_digits(2, "expected a two-digit day")?;
    cursor.expect(b' ', "expected a space after the day")?;
    starts[Field::Month as usize] = cursor.pos;
    let month = cursor.name(&MONTHS, "expected a month name such as Nov")? as u32 + 1;
    cursor.expect(b' ', "expected a space after the month")?;
    starts[Field::Year as usize] = cursor.pos;
    let year = cursor.fixed_digits(4, "expected a four-digit year")?;
    cursor.expect(b' ', "expected a space after the year")?;
    let mut civil = Civil { year: i64::from(year), month, day, hour: 0, minute: 0, second: 0, nanos: 0 };
    parse_time_of_day(cursor, &mut civil, &mut starts, false)?;
    cursor.expect(b' ', "expected a space before GMT")?;
    cursor.name(&["GMT"], "expected GMT")?;
    cursor.finish()?;
    let time =
        civil.to_date_time(true).map_err(|(field, problem)| cursor.value_error(starts[field as usize], problem))?;
    if weekday_index(time.split_days().0) != weekday {
        return Err(cursor.value_error(weekday_at, "day name does not match the date"));
    }
    Ok(time)
}

/// Decimal seconds with optional sign, fraction and exponent, converted exactly. The digits
/// themselves are shifted by the exponent, so no binary rounding happens.
fn parse_decimal_seconds(cursor: &mut Cursor<'_>) -> Result<DateTime, DateTimeError> {
    let number_at = cursor.pos;
    let negative = cursor.eat_any(b"+-") == Some(b'-');
    let integer = digit_run(cursor);
    if integer.is_empty() {
        return Err(cursor.syntax_error("expected a digit"));
    }
    let mut fraction: &[u8] = &[];
    if cursor.eat_any(b".").is_some() {
        fraction = digit_run(cursor);
        if fraction.is_empty() {
            return Err(cursor.syntax_error("expected a digit after the decimal point"));
        }
    }
    let mut exponent = 0;
    if cursor.eat_any(b"eE").is_some() {
        let exponent_sign = if cursor.eat_any(b"+-") == Some(b'-') { -1 } else { 1 };
        let digits = digit_run(cursor);
        if digits.is_empty() {
            return Err(cursor.syntax_error("expected a digit in the exponent"));
        }
        let magnitude = digits.iter().fold(0, |acc: i64, d| (acc * 10 + i64::from(d - b'0')).min(EXPONENT_CAP));
        exponent = exponent_sign * magnitude;
    }
    cursor.finish()?;

    // The mantissa digits, read left to right, with zeros beyond either end.
    let digit_at = |index: i64| -> u8 {
        let Ok(index) = usize::try_from(index) else {
            return 0;
        };
        let byte = match index.checked_sub(integer.len()) {
            None => integer[index],
            Some(in_fraction) => fraction.get(in_fraction).copied().unwrap_or(b'0'),
        };
        byte - b'0'
    };
    let out_of_range = || cursor.value_error(number_at, "value is outside the range of i64 seconds");
    // Number of mantissa digits before the decimal point once the exponent is applied.
    let point = integer.len() as i64 + exponent;
    let mut whole: u64 = 0;
    for index in 0..point {
        whole =
            whole.checked_mul(10).and_then(|w| w.checked_add(u64::from(digit_at(index)))).ok_or_else(out_of_range)?;
    }
    let mut nanos = 0;
    for index in point..point + 9 {
        nanos = nanos * 10 + u32::from(digit_at(index));
    }
    let whole = i128::from(whole);
    let (seconds, nanos) = match (negative, nanos) {
        (false, _) => (whole, nanos),
        (true, 0) => (-whole, 0),
        // Store a negative value as an earlier whole second plus a forward fraction.
        (true, _) => (-whole - 1, NANOS_PER_SEC - nanos),
    };
    let seconds = i64::try_from(seconds).map_err(|_| out_of_range())?;
    Ok(DateTime { seconds, subsec_nanos: nanos })
}

/// Consumes a run of ASCII digits (possibly empty) and returns it.
fn digit_run<'a>(cursor: &mut Cursor<'a>) -> &'a [u8] {
    let start = cursor.pos;
    while cursor.peek_digit().is_some() {
        cursor.pos += 1;
    }
    &cursor.text.as_bytes()[start..cursor.pos]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(secs: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    /// Instants with their RFC 3339 and IMF-fixdate forms, checked against Python's datetime.
    #[rustfmt::skip]
    const KNOWN: &[(i64, &str, &str)] = &[
        (0, "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT"),
        (951_782_400, "2000-02-29T00:00:00Z", "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_700_000_000, "2023-11-14T22:13:20Z", "Tue, 14 Nov 2023 22:13:20 GMT"),
        (253_402_300_799, "9999-12-31T23:59:59Z", "Fri, 31 Dec 9999 23:59:59 GMT"),
        (-1, "1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 GMT"),
        (-14_256_000, "1969-07-20T00:00:00Z", "Sun, 20 Jul 1969 00:00:00 GMT"),
        (-2_203_891_200, "1900-03-01T00:00:00Z", "Thu, 01 Mar 1900 00:00:00 GMT"),
        (-11_670_998_400, "1600-02-29T00:00:00Z", "Tue, 29 Feb 1600 00:00:00 GMT"),
        (-62_135_596_800, "0001-01-01T00:00:00Z", "Mon, 01 Jan 0001 00:00:00 GMT"),
        (1_000_000_000, "2001-09-09T01:46:40Z", "Sun, 09 Sep 2001 01:46:40 GMT"),
        (2_147_483_648, "2038-01-19T03:14:08Z", "Tue, 19 Jan 2038 03:14:08 GMT"),
        (1_709_164_800, "2024-02-29T00:00:00Z", "Thu, 29 Feb 2024 00:00:00 GMT"),
        (4_107_542_400, "2100-03-01T00:00:00Z", "Mon, 01 Mar 2100 00:00:00 GMT"),
        (784_111_777, "1994-11-06T08:49:37Z", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ];

    #[test]
    fn known_instants_format_and_parse() {
        for &(secs, rfc3339, http) in KNOWN {
            let time = DateTime::from_secs(secs);
            assert_eq!(time.fmt_date_time(), rfc3339, "{secs}");
            assert_eq!(time.fmt_http_date(), http, "{secs}");
            assert_eq!(time.fmt_epoch_seconds(), secs.to_string());
            assert_eq!(DateTime::parse_date_time(rfc3339), Ok(time), "{rfc3339}");
            assert_eq!(DateTime::parse_http_date(http), Ok(time), "{http}");
            assert_eq!(DateTime::parse_cli(rfc3339), Ok(time), "{rfc3339}");
        }
    }

    #[test]
    fn year_zero_and_the_years_around_the_range() {
        // Year 0 is a leap year (proleptic Gregorian), so it starts 366 days before 0001-01-01.
        let year_zero = DateTime::from_secs(-62_167_219_200);
        assert_eq!(year_zero.fmt_date_time(), "0000-01-01T00:00:00Z");
        assert_eq!(DateTime::parse_date_time("0000-01-01T00:00:00Z"), Ok(year_zero));
        let after_9999 = DateTime::from_secs(253_402_300_800);
        assert_eq!(after_9999.fmt_date_time(), "+10000-01-01T00:00:00Z");
        assert_eq!(after_9999.fmt_http_date(), "Sat, 01 Jan +10000 00:00:00 GMT");
        let before_zero = DateTime::from_secs(-62_167_219_201);
        assert_eq!(before_zero.fmt_date_time(), "-0001-12-31T23:59:59Z");
        // An offset may move a parsed time just outside 0000-9999; that is still representable.
        assert_eq!(
            DateTime::parse_date_time("0000-01-01T00:00:00+01:00"),
            Ok(DateTime::from_secs(-62_167_219_200 - 3600))
        );
    }

    #[test]
    fn extreme_instants_format_without_overflow() {
        assert!(DateTime::MAX.fmt_date_time().starts_with('+'));
        assert!(DateTime::MIN.fmt_date_time().starts_with('-'));
        assert!(DateTime::MAX.fmt_http_date().ends_with(" GMT"));
        assert_eq!(DateTime::MAX.fmt_epoch_seconds(), "9223372036854775807.999999999");
        assert_eq!(DateTime::MIN.fmt_epoch_seconds(), "-9223372036854775808");
        assert_eq!(dt(i64::MIN, 1).fmt_epoch_seconds(), "-9223372036854775807.999999999");
        for time in [DateTime::MAX, DateTime::MIN, dt(i64::MIN, 1)] {
            assert_eq!(DateTime::parse_epoch_seconds(&time.fmt_epoch_seconds()), Ok(time));
            assert!(DateTime::parse_date_time(&time.fmt_date_time()).is_err());
        }
    }

    #[test]
    fn civil_conversion_round_trips_every_day_of_years_0_to_9999() {
        let first = days_from_civil(0, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        assert_eq!(first, -62_167_219_200 / SECS_PER_DAY);
        assert_eq!(last, 253_402_300_799 / SECS_PER_DAY);
        let mut previous = (-1, 12, 31);
        for days in first..=last {
            let (year, month, day) = civil_from_days(days);
            let (py, pm, pd) = previous;
            let expected = if pd < days_in_month(py, pm) {
                (py, pm, pd + 1)
            } else if pm < 12 {
                (py, pm + 1, 1)
            } else {
                (py + 1, 1, 1)
            };
            assert_eq!((year, month, day), expected, "after {previous:?}");
            assert_eq!(days_from_civil(year, month, day), days);
            previous = (year, month, day);
        }
        assert_eq!(previous, (9999, 12, 31));
    }

    #[test]
    fn leap_year_rules() {
        assert!(!is_leap_year(1900));
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(2100));
        assert!(is_leap_year(0));
        assert!(DateTime::parse_date_time("1900-02-29T00:00:00Z").is_err());
        assert!(DateTime::parse_date_time("2100-02-29T00:00:00Z").is_err());
        assert_eq!(DateTime::parse_date_time("2000-02-29T00:00:00Z"), Ok(DateTime::from_secs(951_782_400)));
        // 1900-02-28 is followed directly by 1900-03-01.
        assert_eq!(DateTime::from_secs(-2_203_977_600 + 86_400).fmt_date_time(), "1900-03-01T00:00:00Z");
        assert_eq!(DateTime::from_secs(951_696_000 + 86_400).fmt_date_time(), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn constructors_normalise_nanos() {
        assert_eq!(dt(1, 1_500_000_000), dt(2, 500_000_000));
        assert_eq!(dt(1, 1_500_000_000).secs(), 2);
        assert_eq!(dt(1, 1_500_000_000).subsec_nanos(), 500_000_000);
        assert_eq!(dt(-1, u32::MAX).secs(), 3);
        assert_eq!(dt(-1, u32::MAX).subsec_nanos(), 294_967_295);
        assert_eq!(dt(i64::MAX, NANOS_PER_SEC), DateTime::MAX);
        assert_eq!(DateTime::from_secs(7).subsec_nanos(), 0);
        assert_eq!(dt(-2, 500_000_000).as_secs_f64(), -1.5);
        assert_eq!(dt(1_700_000_000, 250_000_000).as_secs_f64(), 1_700_000_000.25);
    }

    #[test]
    fn ordering_is_chronological() {
        let times: Vec<DateTime> =
            [-1.5, -1.0, -0.5, 0.0, 0.25, 1.0].iter().map(|&v| DateTime::from_fractional_secs(v).unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
        assert_eq!(times[0], dt(-2, 500_000_000));
    }

    #[test]
    fn debug_and_display_show_rfc3339() {
        let time = dt(1_700_000_000, 120_000_000);
        assert_eq!(format!("{time:?}"), "2023-11-14T22:13:20.12Z");
        assert_eq!(time.to_string(), "2023-11-14T22:13:20.12Z");
    }

    #[test]
    fn from_fractional_secs_uses_the_shortest_decimal() {
        let cases = [
            (1_700_000_000.123, 1_700_000_000, 123_000_000),
            (1_700_000_000.5, 1_700_000_000, 500_000_000),
            (1_700_000_000.000001, 1_700_000_000, 1_000),
            (0.1, 0, 100_000_000),
            (-1.5, -2, 500_000_000),
            (-0.001, -1, 999_000_000),
            (1e-10, 0, 0),
            (-1e-10, 0, 0),
            (-0.0, 0, 0),
            (1_700_000_000.0, 1_700_000_000, 0),
            (1.7e9, 1_700_000_000, 0),
            (-9_223_372_036_854_775_808.0, i64::MIN, 0),
        ];
        for (value, secs, nanos) in cases {
            assert_eq!(DateTime::from_fractional_secs(value), Ok(dt(secs, nanos)), "{value}");
        }
    }

    #[test]
    fn from_fractional_secs_rejects_non_finite_and_out_of_range() {
        for (value, needle) in [
            (f64::NAN, "NaN"),
            (f64::INFINITY, "infinite"),
            (f64::NEG_INFINITY, "infinite"),
            (9_223_372_036_854_775_808.0, "range"),
            (-9_223_372_036_854_777_856.0, "range"),
            (1e300, "range"),
        ] {
            let error = DateTime::from_fractional_secs(value).unwrap_err();
            assert!(error.to_string().contains(needle), "{value}: {error}");
            assert_eq!(error.position(), None);
        }
    }

    #[test]
    fn epoch_seconds_output_rules() {
        let cases = [
            (dt(1_700_000_000, 0), "1700000000"),
            (dt(1_700_000_000, 500_000_000), "1700000000.5"),
            (dt(1_700_000_000, 123_000_000), "1700000000.123"),
            (dt(1_700_000_000, 1_000), "1700000000.000001"),
            (dt(1_700_000_000, 1), "1700000000.000000001"),
            (dt(1_700_000_000, 120_000_000), "1700000000.12"),
            (dt(0, 0), "0"),
            (dt(-1, 0), "-1"),
            (dt(-2, 500_000_000), "-1.5"),
            (dt(-1, 500_000_000), "-0.5"),
            (dt(-1, 999_999_999), "-0.000000001"),
            (dt(-1, 1), "-0.999999999"),
            (dt(-12, 0), "-12"),
        ];
        for (time, text) in cases {
            let mut out = String::from("prefix:");
            time.write_epoch_seconds(&mut out);
            assert_eq!(out, format!("prefix:{text}"));
            assert_eq!(DateTime::parse_epoch_seconds(text), Ok(time), "{text}");
        }
    }

    #[test]
    fn epoch_seconds_parsing() {
        let cases = [
            ("1700000000.25", dt(1_700_000_000, 250_000_000)),
            ("-12", dt(-12, 0)),
            ("+5", dt(5, 0)),
            ("-0", dt(0, 0)),
            ("-0.0", dt(0, 0)),
            ("0012", dt(12, 0)),
            ("1.0000000009", dt(1, 0)),
            ("-1.0000000009", dt(-1, 0)),
            ("1.7E9", dt(1_700_000_000, 0)),
            ("1.700000000123e9", dt(1_700_000_000, 123_000_000)),
            ("15e-1", dt(1, 500_000_000)),
            ("1.5E+1", dt(15, 0)),
            ("-25e-1", dt(-3, 500_000_000)),
            ("5e-10", dt(0, 0)),
            ("0e99999999999999999999", dt(0, 0)),
            ("1e-99999999999999999999", dt(0, 0)),
            ("9223372036854775807", dt(i64::MAX, 0)),
            ("-9223372036854775808", DateTime::MIN),
        ];
        for (text, expected) in cases {
            assert_eq!(DateTime::parse_epoch_seconds(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn epoch_seconds_errors_point_at_the_problem() {
        let cases = [
            ("", 0, "expected a digit"),
            ("-", 1, "expected a digit"),
            ("1.", 2, "after the decimal point"),
            (".5", 0, "expected a digit"),
            ("1e", 2, "exponent"),
            ("1e+", 3, "exponent"),
            ("12abc", 2, "unexpected characters"),
            (" 1", 0, "expected a digit"),
            ("1 ", 1, "unexpected characters"),
            ("0x10", 1, "unexpected characters"),
            ("--1", 1, "expected a digit"),
            ("NaN", 0, "expected a digit"),
            ("9223372036854775808", 0, "range"),
            ("-9223372036854775809", 0, "range"),
            ("-9223372036854775808.5", 0, "range"),
            ("1e19", 0, "range"),
            ("1e99999999", 0, "range"),
            ("99999999999999999999999", 0, "range"),
        ];
        for (text, position, needle) in cases {
            let error = DateTime::parse_epoch_seconds(text).unwrap_err();
            assert_eq!(error.position(), Some(position), "{text}: {error}");
            assert!(error.to_string().contains(needle), "{text}: {error}");
            assert!(error.to_string().starts_with("invalid epoch-seconds"));
        }
    }

    #[test]
    fn date_time_output_rules() {
        let cases = [
            (dt(1_700_000_000, 500_000_000), "2023-11-14T22:13:20.5Z"),
            (dt(1_700_000_000, 123_000_000), "2023-11-14T22:13:20.123Z"),
            (dt(1_700_000_000, 123_456_000), "2023-11-14T22:13:20.123456Z"),
            (dt(1_700_000_000, 1), "2023-11-14T22:13:20.000000001Z"),
            (dt(-2, 500_000_000), "1969-12-31T23:59:58.5Z"),
            (dt(1_234_567_890, 123_000_000), "2009-02-13T23:31:30.123Z"),
        ];
        for (time, text) in cases {
            assert_eq!(time.fmt_date_time(), text);
            assert_eq!(DateTime::parse_date_time(text), Ok(time), "{text}");
        }
    }

    #[test]
    fn date_time_parsing_variants() {
        let cases = [
            ("2023-11-14t22:13:20z", dt(1_700_000_000, 0)),
            ("2023-11-14T22:13:20+02:00", dt(1_699_992_800, 0)),
            ("2023-11-14T22:13:20-05:30", dt(1_700_019_800, 0)),
            ("2023-11-14T22:13:20-00:00", dt(1_700_000_000, 0)),
            ("2023-11-15T00:13:20+02:00", dt(1_700_000_000, 0)),
            ("1985-04-12T23:20:50.52Z", dt(482_196_050, 520_000_000)),
            ("2023-11-14T22:13:20.1234567891234Z", dt(1_700_000_000, 123_456_789)),
            ("2023-11-14T22:13:20.000Z", dt(1_700_000_000, 0)),
            ("2016-12-31T23:59:60Z", dt(1_483_228_799, 999_999_999)),
            ("2016-12-31T23:59:60.5Z", dt(1_483_228_799, 999_999_999)),
            ("2017-01-01T01:59:60+02:00", dt(1_483_228_799, 999_999_999)),
        ];
        for (text, expected) in cases {
            assert_eq!(DateTime::parse_date_time(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn date_time_errors_point_at_the_problem() {
        let cases = [
            ("", 0, "four-digit year"),
            ("2023", 4, "'-' after the year"),
            ("23-11-14T22:13:20Z", 2, "four-digit year"),
            ("2023-13-01T00:00:00Z", 5, "month must be"),
            ("2023-00-01T00:00:00Z", 5, "month must be"),
            ("2023-02-30T00:00:00Z", 8, "day does not exist"),
            ("2023-04-31T00:00:00Z", 8, "day does not exist"),
            ("2023-01-00T00:00:00Z", 8, "day does not exist"),
            ("2023-11-14T24:00:00Z", 11, "hour must be"),
            ("2023-11-14T22:60:00Z", 14, "minute must be"),
            ("2023-11-14T22:13:61Z", 17, "second must be"),
            ("2023-11-14T22:58:60Z", 17, "leap second"),
            ("2023-11-14T22:13:20Zjunk", 20, "unexpected characters"),
            ("2023-11-14T22:13:20", 19, "expected 'Z'"),
            ("2023-11-14 22:13:20Z", 10, "expected 'T'"),
            ("2023-11-14", 10, "expected 'T'"),
            ("2023-11-14T22:13Z", 16, "':' after the minute"),
            ("2023-11-14T22:13:20.Z", 20, "after the decimal point"),
            ("2023-11-14T22:13:20+0200", 22, "':' in the UTC offset"),
            ("2023-11-14T22:13:20+24:00", 20, "offset hour"),
            ("2023-11-14T22:13:20+02:60", 23, "offset minutes"),
            ("2023-1-14T22:13:20Z", 6, "two-digit month"),
            ("2023-11-14T22:13:20Z ", 20, "unexpected characters"),
            (" 2023-11-14T22:13:20Z", 0, "four-digit year"),
        ];
        for (text, position, needle) in cases {
            let error = DateTime::parse_date_time(text).unwrap_err();
            assert_eq!(error.position(), Some(position), "{text}: {error}");
            let message = error.to_string();
            assert!(message.contains(needle), "{text}: {message}");
            assert!(message.starts_with("invalid date-time: "), "{message}");
            assert!(message.contains(&format!("at byte {position}")), "{message}");
        }
    }

    #[test]
    fn error_messages_show_what_was_found() {
        let error = DateTime::parse_date_time("2023-11-14X").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid date-time: expected 'T' between the date and the time \
             (at byte 10, found 'X')"
        );
        let error = DateTime::parse_date_time("2023-11").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid date-time: expected '-' after the month (at byte 7, found end of input)"
        );
        let error = DateTime::parse_date_time("2023-13-01T00:00:00Z").unwrap_err();
        assert_eq!(error.to_string(), "invalid date-time: month must be between 01 and 12 (at byte 5)");
        let error = DateTime::from_civil(2023, 2, 29, 0, 0, 0, 0).unwrap_err();
        assert_eq!(error.to_string(), "invalid calendar date-time: day does not exist in that month");
    }

    #[test]
    fn http_date_output_drops_the_fraction() {
        assert_eq!(dt(1_700_000_000, 999_999_999).fmt_http_date(), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(dt(-2, 500_000_000).fmt_http_date(), "Wed, 31 Dec 1969 23:59:58 GMT");
    }

    #[test]
    fn http_date_parsing_variants() {
        let cases = [
            ("Tue, 14 Nov 2023 22:13:20.123 GMT", dt(1_700_000_000, 123_000_000)),
            ("tue, 14 NOV 2023 22:13:20 gmt", dt(1_700_000_000, 0)),
            ("Tue, 29 Apr 2014 18:30:38 GMT", dt(1_398_796_238, 0)),
            ("Sat, 31 Dec 2016 23:59:60 GMT", dt(1_483_228_799, 999_999_999)),
        ];
        for (text, expected) in cases {
            assert_eq!(DateTime::parse_http_date(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn http_date_errors_point_at_the_problem() {
        let cases = [
            ("", 0, "day name"),
            ("Wed, 14 Nov 2023 22:13:20 GMT", 0, "does not match"),
            ("Tue, 14 Nov 2023 22:13:20 UTC", 26, "expected GMT"),
            ("Tue, 31 Nov 2023 22:13:20 GMT", 5, "day does not exist"),
            ("Tue,14 Nov 2023 22:13:20 GMT", 4, "space after ','"),
            ("Tue, 4 Nov 2023 22:13:20 GMT", 6, "two-digit day"),
            ("Tue, 14 Now 2023 22:13:20 GMT", 8, "month name"),
            ("Tue, 14 Nov 23 22:13:20 GMT", 14, "four-digit year"),
            ("Tue, 14 Nov 2023 24:13:20 GMT", 17, "hour must be"),
            ("Tue, 14 Nov 2023 22:13:20 GMT ", 29, "unexpected characters"),
            ("Tue, 14 Nov 2023 22:13:20", 25, "space before GMT"),
            ("Tuesday, 14-Nov-23 22:13:20 GMT", 3, "','"),
            ("Tue Nov 14 22:13:20 2023", 3, "','"),
            ("Tue, 14 Nov 2023 22:13:20.GMT", 26, "after the decimal point"),
        ];
        for (text, position, needle) in cases {
            let error = DateTime::parse_http_date(text).unwrap_err();
            assert_eq!(error.position(), Some(position), "{text}: {error}");
            assert!(error.to_string().contains(needle), "{text}: {error}");
            assert!(error.to_string().starts_with("invalid http-date: "));
        }
    }

    /// A deterministic spread of instants over years 0001-9999 with assorted fractions.
    fn sample_instants() -> Vec<DateTime> {
        let low = -62_135_596_800_i64;
        let span = 253_402_300_799 - low;
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut out: Vec<DateTime> = KNOWN.iter().map(|k| DateTime::from_secs(k.0)).collect();
        for i in 0..2000 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let secs = low + (state >> 11) as i64 % span;
            let nanos = match i % 4 {
                0 => 0,
                1 => (state % 1000) as u32 * 1_000_000,
                2 => (state % 1_000_000) as u32 * 1000,
                _ => (state % 1_000_000_000) as u32,
            };
            out.push(dt(secs, nanos));
        }
        out
    }

    #[test]
    fn all_formats_round_trip() {
        for time in sample_instants() {
            let text = time.fmt_date_time();
            assert_eq!(DateTime::parse_date_time(&text), Ok(time), "{text}");
            assert_eq!(DateTime::parse_cli(&text), Ok(time), "{text}");
            let text = time.fmt_epoch_seconds();
            assert_eq!(DateTime::parse_epoch_seconds(&text), Ok(time), "{text}");
            assert_eq!(DateTime::parse_cli(&text), Ok(time), "{text}");
            let text = time.fmt_http_date();
            let whole = DateTime::from_secs(time.secs());
            assert_eq!(DateTime::parse_http_date(&text), Ok(whole), "{text}");
        }
    }

    #[test]
    fn from_civil_matches_parsing_and_validates() {
        assert_eq!(DateTime::from_civil(2023, 11, 14, 22, 13, 20, 5), Ok(dt(1_700_000_000, 5)));
        assert_eq!(DateTime::from_civil(9999, 12, 31, 23, 59, 59, 999_999_999), Ok(dt(253_402_300_799, 999_999_999)));
        let bad = [
            (-1, 1, 1, 0, 0, 0, 0, "year"),
            (10_000, 1, 1, 0, 0, 0, 0, "year"),
            (2023, 0, 1, 0, 0, 0, 0, "month"),
            (2023, 13, 1, 0, 0, 0, 0, "month"),
            (1900, 2, 29, 0, 0, 0, 0, "day"),
            (2023, 1, 32, 0, 0, 0, 0, "day"),
            (2023, 1, 1, 24, 0, 0, 0, "hour"),
            (2023, 1, 1, 0, 60, 0, 0, "minute"),
            (2023, 1, 1, 23, 59, 60, 0, "second"),
            (2023, 1, 1, 0, 0, 0, NANOS_PER_SEC, "nanoseconds"),
        ];
        for (y, mo, d, h, mi, s, n, needle) in bad {
            let error = DateTime::from_civil(y, mo, d, h, mi, s, n).unwrap_err();
            assert!(error.to_string().contains(needle), "{error}");
        }
    }

    #[test]
    fn system_time_conversions() {
        let after = UNIX_EPOCH + Duration::new(1, 500_000_000);
        let before = UNIX_EPOCH - Duration::new(1, 500_000_000);
        assert_eq!(DateTime::from(after), dt(1, 500_000_000));
        assert_eq!(DateTime::from(before), dt(-2, 500_000_000));
        assert_eq!(DateTime::from(UNIX_EPOCH - Duration::from_secs(3)), dt(-3, 0));
        for time in sample_instants() {
            let system = SystemTime::try_from(time).unwrap();
            assert_eq!(DateTime::from(system), time);
        }
        // The platform decides whether the extremes fit; either way, no panic and no drift.
        for time in [DateTime::MIN, DateTime::MAX] {
            match SystemTime::try_from(time) {
                Ok(system) => assert_eq!(DateTime::from(system), time),
                Err(error) => assert!(error.to_string().contains("SystemTime")),
            }
        }
    }

    #[test]
    fn now_is_the_system_clock() {
        let before = DateTime::from(SystemTime::now());
        let now = DateTime::now();
        let after = DateTime::from(SystemTime::now());
        assert!(before <= now && now <= after);
        assert!(now.secs() > 1_700_000_000);
    }

    #[test]
    fn cli_accepts_epoch_seconds_and_iso_8601() {
        let cases = [
            ("1700000000", dt(1_700_000_000, 0)),
            ("1700000000.5", dt(1_700_000_000, 500_000_000)),
            ("-12", dt(-12, 0)),
            ("2023", dt(2023, 0)),
            ("2023-11-14", dt(1_699_920_000, 0)),
            ("2023-11-14T22:13:20Z", dt(1_700_000_000, 0)),
            ("2023-11-14t22:13:20.25z", dt(1_700_000_000, 250_000_000)),
            ("  2023-11-14 22:13:20+02:00\n", dt(1_699_992_800, 0)),
            ("2023-11-14T22:13Z", dt(1_699_999_980, 0)),
            ("\t1700000000 ", dt(1_700_000_000, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(DateTime::parse_cli(text), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn cli_errors_point_into_the_original_input() {
        let cases = [
            ("", 0, "expected epoch seconds"),
            ("   ", 0, "expected epoch seconds"),
            ("yesterday", 0, "expected epoch seconds"),
            ("2023-11-14T22:13:20", 19, "expected 'Z'"),
            ("  2023-13-01", 7, "month must be"),
            ("2023-11-14X", 10, "expected 'T'"),
            ("17e", 3, "exponent"),
        ];
        for (text, position, needle) in cases {
            let error = DateTime::parse_cli(text).unwrap_err();
            assert_eq!(error.position(), Some(position), "{text:?}: {error}");
            assert!(error.to_string().contains(needle), "{text:?}: {error}");
            assert!(error.to_string().starts_with("invalid timestamp: "));
        }
    }

    #[test]
    fn hostile_inputs_never_panic() {
        let mut inputs: Vec<String> = [
            "",
            "\0",
            "é",
            "2023-1é-14T22:13:20Z",
            "2023-11-14T22:13:20+é",
            "Tué, 14 Nov 2023 22:13:20 GMT",
            "Tu",
            "Tue, 14 No",
            "Tue, 14 Nov 2023 22:13:20 GM",
            "Tue, 14 Nov 2023 22:13:20 GMTé",
            "Tue, 14 Nov 2023 22:13:20.é GMT",
            "9999-12-31T23:59:59-23:59",
            "9999-99-99T99:99:99Z",
            "0000-00-00T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "1e",
            "1e-",
            "-",
            "+",
            ".",
            "e5",
            "1.e5",
            "١٢٣",
            "１２３",
            "2023-11-14T22:13:20.\u{0}Z",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        inputs.push("9".repeat(10_000));
        inputs.push(format!("0.{}", "9".repeat(10_000)));
        inputs.push(format!("2023-11-14T22:13:20.{}Z", "1".repeat(10_000)));
        inputs.push(format!("1e{}", "9".repeat(1_000)));
        inputs.push(format!("{}1e-{}", "0".repeat(1_000), "9".repeat(1_000)));
        // Every prefix and every single-character substitution of valid inputs.
        let valid = [
            "2023-11-14T22:13:20.123+02:00",
            "Tue, 14 Nov 2023 22:13:20.5 GMT",
            "-1700000000.25e-3",
            " 2023-11-14 22:13Z ",
        ];
        let replacements = ['0', '9', '-', '+', ':', '.', 'T', 'Z', 'e', ' ', 'é', '\u{0}'];
        for text in valid {
            let chars: Vec<char> = text.chars().collect();
            for cut in 0..=chars.len() {
                inputs.push(chars[..cut].iter().collect());
                for replacement in replacements {
                    let mut changed = chars.clone();
                    if cut < changed.len() {
                        changed[cut] = replacement;
                        inputs.push(changed.iter().collect());
                    }
                }
            }
        }
        type Parser = fn(&str) -> Result<DateTime, DateTimeError>;
        let parsers: [Parser; 4] =
            [DateTime::parse_date_time, DateTime::parse_http_date, DateTime::parse_epoch_seconds, DateTime::parse_cli];
        for input in &inputs {
            for parse in parsers {
                match parse(input) {
                    Ok(time) => {
                        // Whatever parses must format without trouble.
                        assert!(!time.fmt_date_time().is_empty());
                        assert!(!time.fmt_http_date().is_empty());
                    }
                    Err(error) => {
                        assert!(error.position().is_some_and(|p| p <= input.len()));
                        assert!(!error.to_string().is_empty());
                    }
                }
            }
        }
    }
}
