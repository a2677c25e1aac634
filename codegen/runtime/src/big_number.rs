//! `bigInteger` and `bigDecimal` values, kept as their decimal text so no digit is lost on the way out.
//!
//! Numbers are checked against the JSON number grammar when made, so the text can be written into a
//! request body as is. Received values keep the text of the response, digit for digit (an integer
//! sent with an exponent, `1e25`, is spelled out from its `f64`).

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use super::json::{number_text, DeserializeError, JsonReader};

/// Text that is not a number of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BigNumberError {
    expected: &'static str,
}

impl fmt::Display for BigNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not {}", self.expected)
    }
}

impl std::error::Error for BigNumberError {}

/// Whether `text` is a JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
/// With `integer_only`, the fraction and exponent parts are refused.
fn is_number(text: &str, integer_only: bool) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let int_len = digits(&mut i);
    if int_len == 0 || (int_len > 1 && bytes[int_start] == b'0') {
        return false;
    }
    if integer_only {
        return i == bytes.len();
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// An arbitrarily large integer (`bigInteger`), as decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BigInteger(String);

impl BigInteger {
    /// The decimal text (`-12345678901234567890`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as the nearest `f64` (infinite when beyond its range).
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// The value from the text serde_json gives for a JSON number: integers are kept digit for digit;
    /// integral values it wrote with an exponent (numbers beyond `u64`) are spelled out in full.
    pub fn from_json_number(text: String) -> Result<Self, BigNumberError> {
        if is_number(&text, true) {
            return Ok(BigInteger(text));
        }
        let error = BigNumberError { expected: "an integer" };
        if !is_number(&text, false) {
            return Err(error);
        }
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() && value.fract() == 0.0 => Ok(BigInteger(format!("{value:.0}"))),
            _ => Err(error),
        }
    }
}

impl FromStr for BigInteger {
    type Err = BigNumberError;

    /// Accepts decimal integers as JSON writes them: an optional `-`, no leading zeros, no `+`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if is_number(text, true) {
            Ok(BigInteger(text.to_string()))
        } else {
            Err(BigNumberError { expected: "an integer" })
        }
    }
}

impl From<i64> for BigInteger {
    fn from(value: i64) -> Self {
        BigInteger(value.to_string())
    }
}

impl From<u64> for BigInteger {
    fn from(value: u64) -> Self {
        BigInteger(value.to_string())
    }
}

impl fmt::Display for BigInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An arbitrary-precision decimal number (`bigDecimal`), as JSON number text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BigDecimal(String);

impl BigDecimal {
    /// The number's text (`-1.25e-3`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as the nearest `f64`.
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// The value from the text serde_json gives for a JSON number.
    pub fn from_json_number(text: String) -> Result<Self, BigNumberError> {
        if is_number(&text, false) {
            Ok(BigDecimal(text))
        } else {
            Err(BigNumberError { expected: "a decimal number" })
        }
    }
}

impl FromStr for BigDecimal {
    type Err = BigNumberError;

    /// Accepts numbers as JSON writes them (`12`, `-0.5`, `1.5e10`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        BigDecimal::from_json_number(text.to_string())
    }
}

impl From<i64> for BigDecimal {
    fn from(value: i64) -> Self {
        BigDecimal(value.to_string())
    }
}

impl TryFrom<f64> for BigDecimal {
    type Error = BigNumberError;

    /// Finite values only: JSON has no NaN or infinities.
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        if value.is_finite() {
            // serde_json writes the shortest text that reads back as the same f64.
            Ok(BigDecimal(Value::from(value).to_string()))
        } else {
            Err(BigNumberError { expected: "a finite number" })
        }
    }
}

impl fmt::Display for BigDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a `bigInteger` member.
pub fn read_integer(reader: &mut JsonReader<'_>) -> Result<BigInteger, DeserializeError> {
    BigInteger::from_json_number(number_text(reader)?.to_owned()).map_err(|e| DeserializeError::new(e.to_string()))
}

/// Reads a `bigDecimal` member.
pub fn read_decimal(reader: &mut JsonReader<'_>) -> Result<BigDecimal, DeserializeError> {
    BigDecimal::from_json_number(number_text(reader)?.to_owned()).map_err(|e| DeserializeError::new(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_the_json_grammar() {
        for good in ["0", "-0", "7", "-12345678901234567890123"] {
            assert_eq!(good.parse::<BigInteger>().unwrap().as_str(), good);
        }
        for bad in ["", "-", "+1", "01", "1.0", "1e3", " 1", "1_000", "0x10"] {
            assert!(bad.parse::<BigInteger>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn decimals_follow_the_json_grammar() {
        for good in ["0", "-0.5", "1.25e-3", "6E+10", "12345678901234567890.123456789"] {
            assert_eq!(good.parse::<BigDecimal>().unwrap().as_str(), good);
        }
        for bad in ["", ".5", "5.", "1e", "1e+", "NaN", "Infinity", "--1", "00.1"] {
            assert!(bad.parse::<BigDecimal>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn as_f64_is_the_nearest_double() {
        assert_eq!("-1.5e2".parse::<BigDecimal>().unwrap().as_f64(), -150.0);
        assert_eq!(BigInteger::from(1_u64 << 60).as_f64(), (1_u64 << 60) as f64);
    }

    #[test]
    fn reading_keeps_digits_and_spells_out_exponents() {
        let read = |text: &str| read_integer(&mut JsonReader::new(text));
        assert_eq!(read("18446744073709551615").unwrap().as_str(), "18446744073709551615");
        assert_eq!(read("-123456789012345678901234567890").unwrap().as_str(), "-123456789012345678901234567890");
        assert_eq!(read("1e25").unwrap().as_str(), "10000000000000000905969664");
        assert!(read("1.5").is_err());
        assert!(read("\"12\"").is_err());
        let decimal = read_decimal(&mut JsonReader::new("0.25000000000000000000001")).unwrap();
        assert_eq!(decimal.as_str(), "0.25000000000000000000001");
    }

    #[test]
    fn non_finite_floats_are_refused() {
        assert!(BigDecimal::try_from(f64::NAN).is_err());
        assert_eq!(BigDecimal::try_from(2.5).unwrap().as_str(), "2.5");
    }
}
