//! awsJson bodies: a small streaming writer for requests and typed accessors for parsed responses.
//!
//! Requests are written straight into a `String` (no intermediate tree); strings and numbers go through
//! serde_json so escaping and number formatting are serde_json's. Responses are parsed once into a
//! `serde_json::Value` (serde_json refuses nesting deeper than 128, so hostile bodies cannot exhaust the
//! stack) and the generated deserializers walk it with the accessors below, which report where a
//! value had the wrong type.

use std::fmt::{self, Write as _};

use serde_json::{Map, Value};

/// Writes one JSON object; members are added with [`JsonObjectWriter::key`].
#[derive(Debug)]
pub struct JsonObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> JsonObjectWriter<'a> {
    /// Starts an object at the end of `out`.
    #[inline]
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        JsonObjectWriter { out, empty: true }
    }

    /// Starts the member `key`; the returned writer takes its value.
    #[inline]
    pub fn key(&mut self, key: &str) -> JsonValueWriter<'_> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, key);
        self.out.push(':');
        JsonValueWriter { out: self.out }
    }

    /// Closes the object.
    #[inline]
    pub fn finish(self) {
        self.out.push('}');
    }
}

/// Writes one JSON array; elements are added with [`JsonArrayWriter::value`].
#[derive(Debug)]
pub struct JsonArrayWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> JsonArrayWriter<'a> {
    /// Starts the next element.
    #[inline]
    pub fn value(&mut self) -> JsonValueWriter<'_> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        JsonValueWriter { out: self.out }
    }

    /// Closes the array.
    #[inline]
    pub fn finish(self) {
        self.out.push(']');
    }
}

/// Writes exactly one JSON value.
#[derive(Debug)]
pub struct JsonValueWriter<'a> {
    out: &'a mut String,
}

impl<'a> JsonValueWriter<'a> {
    /// A string, escaped as JSON requires.
    #[inline]
    pub fn string(self, value: &str) {
        write_string(self.out, value);
    }

    /// A boolean.
    #[inline]
    pub fn boolean(self, value: bool) {
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// An integer.
    pub fn integer(self, value: i64) {
        // Writing into a String cannot fail.
        let _ = write!(self.out, "{value}");
    }

    /// A float; NaN and the infinities become the strings `"NaN"`, `"Infinity"` and `"-Infinity"`,
    /// as the awsJson protocols specify, since JSON numbers cannot hold them.
    pub fn float(self, value: f64) {
        if value.is_nan() {
            self.out.push_str("\"NaN\"");
        } else if value.is_infinite() {
            self.out.push_str(if value > 0.0 { "\"Infinity\"" } else { "\"-Infinity\"" });
        } else {
            // serde_json writes the shortest text that reads back as the same f64.
            self.out.push_str(&Value::from(value).to_string());
        }
    }

    /// Text that is already a valid JSON number (bigInteger and bigDecimal values).
    #[inline]
    pub fn raw_number(self, value: &str) {
        self.out.push_str(value);
    }

    /// `null`.
    #[inline]
    pub fn null(self) {
        self.out.push_str("null");
    }

    /// A JSON value from a parsed tree (documents).
    pub fn value(self, value: &Value) {
        self.out.push_str(&value.to_string());
    }

    /// Starts an object.
    #[inline]
    pub fn object(self) -> JsonObjectWriter<'a> {
        JsonObjectWriter::new(self.out)
    }

    /// Starts an array.
    #[inline]
    pub fn array(self) -> JsonArrayWriter<'a> {
        self.out.push('[');
        JsonArrayWriter { out: self.out, empty: true }
    }

    /// Raw access for writers of other runtime modules (timestamps, blobs).
    #[inline]
    pub fn raw(self) -> &'a mut String {
        self.out
    }
}

/// Writes `value` as a JSON string, escaping exactly as `serde_json` does: `"` and `\` with a backslash,
/// the short forms `\b \f \n \r \t`, other control characters as `\u00xx`, and everything else
/// (non-ASCII included) as is.
///
/// Written by hand rather than through `serde_json::to_writer` because that needs a byte buffer of its
/// own per string; here runs of bytes that need no escaping are copied straight into `out`.
fn write_string(out: &mut String, value: &str) {
    out.reserve(value.len() + 2);
    out.push('"');
    let bytes = value.as_bytes();
    let mut start = 0;
    while let Some(at) = next_escape(bytes, start) {
        // Only ASCII bytes are escaped, so `start..at` always falls on character boundaries.
        out.push_str(&value[start..at]);
        push_escape(out, bytes[at]);
        start = at + 1;
    }
    out.push_str(&value[start..]);
    out.push('"');
}

/// The index of the first byte at or after `from` that needs escaping.
///
/// Most strings need none, so eight bytes are tested at a time: a word is skipped when none of its
/// bytes is below 0x20, `"` or `\` (the usual "has a zero byte" bit trick, applied to the word and
/// to it XORed with each of the two characters). The trick can only err towards "maybe", and a maybe
/// is settled byte by byte.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let below_space = word.wrapping_sub(ONES * 0x20);
        let quote = (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
        let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
        if (below_space | quote | backslash) & !word & HIGH_BITS != 0 {
            break;
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|&b| b < 0x20 || b == b'"' || b == b'\\').map(|offset| at + offset)
}

/// The escape for `"`, `\` or a control character.
fn push_escape(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// A response body that does not have the shape the model promises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializeError {
    /// Path segments from the innermost outwards (collected while the error propagates).
    path: Vec<String>,
    message: String,
}

impl DeserializeError {
    /// An error with no location yet.
    pub fn new(message: impl Into<String>) -> Self {
        DeserializeError { path: Vec::new(), message: message.into() }
    }

    /// The error located one level further out, under member or key `segment`.
    pub fn at(mut self, segment: &str) -> Self {
        self.path.push(segment.to_string());
        self
    }

    /// The error located one level further out, at list index `index`.
    pub fn at_index(mut self, index: usize) -> Self {
        self.path.push(format!("[{index}]"));
        self
    }

    /// A required member missing from the response.
    pub fn missing(member: &str) -> Self {
        DeserializeError::new("required member is missing").at(member)
    }

    /// The path in the body, outermost first (`status`, `items[2].name`).
    pub fn path(&self) -> String {
        let mut text = String::new();
        for segment in self.path.iter().rev() {
            if !text.is_empty() && !segment.starts_with('[') {
                text.push('.');
            }
            text.push_str(segment);
        }
        text
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "at `{}`: {}", self.path(), self.message)
        }
    }
}

impl std::error::Error for DeserializeError {}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, value: &Value) -> DeserializeError {
    DeserializeError::new(format!("expected {what}, found {}", describe(value)))
}

/// Parses a response body; an empty body reads as `{}`, as awsJson allows.
pub fn parse(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| DeserializeError::new(format!("the body is not valid JSON: {e}")))
}

/// The value as an object.
pub fn object(value: &Value) -> Result<&Map<String, Value>, DeserializeError> {
    value.as_object().ok_or_else(|| expected("an object", value))
}

/// The value as an array.
pub fn array(value: &Value) -> Result<&Vec<Value>, DeserializeError> {
    value.as_array().ok_or_else(|| expected("an array", value))
}

/// The value as a string.
pub fn string(value: &Value) -> Result<&str, DeserializeError> {
    value.as_str().ok_or_else(|| expected("a string", value))
}

/// The value as a boolean.
pub fn boolean(value: &Value) -> Result<bool, DeserializeError> {
    value.as_bool().ok_or_else(|| expected("a boolean", value))
}

/// The value as an integer that fits `T` (`i8`, `i16`, `i32`, `i64`).
pub fn integer<T: TryFrom<i64>>(value: &Value) -> Result<T, DeserializeError> {
    let wide = value.as_i64().ok_or_else(|| expected("an integer", value))?;
    T::try_from(wide).map_err(|_| DeserializeError::new(format!("integer {wide} is out of range")))
}

/// The value as a float; accepts the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
pub fn float(value: &Value) -> Result<f64, DeserializeError> {
    match value {
        Value::Number(n) => n.as_f64().ok_or_else(|| expected("a number", value)),
        Value::String(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(expected("a number", value)),
        },
        _ => Err(expected("a number", value)),
    }
}

/// The text of a number (bigInteger and bigDecimal keep it as text).
pub fn number_text(value: &Value) -> Result<String, DeserializeError> {
    match value {
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(expected("a number", value)),
    }
}

/// `None` for JSON `null` (awsJson treats it as absent), else the value read by `read`.
pub fn optional<T>(
    value: &Value,
    read: impl FnOnce(&Value) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    if value.is_null() {
        Ok(None)
    } else {
        read(value).map(Some)
    }
}

/// A list whose elements are read by `read`; `null` elements are skipped unless the list is sparse.
pub fn list<T>(
    value: &Value,
    mut read: impl FnMut(&Value) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    let items = array(value)?;
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        if item.is_null() {
            continue;
        }
        out.push(read(item).map_err(|e| e.at_index(index))?);
    }
    Ok(out)
}

/// A sparse list: `null` elements are kept as `None`.
pub fn sparse_list<T>(
    value: &Value,
    mut read: impl FnMut(&Value) -> Result<T, DeserializeError>,
) -> Result<Vec<Option<T>>, DeserializeError> {
    let items = array(value)?;
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        out.push(optional(item, &mut read).map_err(|e| e.at_index(index))?);
    }
    Ok(out)
}

/// A map whose values are read by `read`; `null` values are skipped unless the map is sparse.
///
/// Keys become `K` through `From<&str>`: `String`, or a model enum (whose unknown values are kept).
/// Taking the conversion as a bound rather than as a function argument matters for enums: the
/// function `Enum::from` only accepts one caller-chosen lifetime, while every key here borrows from
/// the body for a lifetime of its own.
pub fn map<K: Ord + for<'k> From<&'k str>, V>(
    value: &Value,
    mut read: impl FnMut(&Value) -> Result<V, DeserializeError>,
) -> Result<std::collections::BTreeMap<K, V>, DeserializeError> {
    let entries = object(value)?;
    let mut out = std::collections::BTreeMap::new();
    for (name, item) in entries {
        if item.is_null() {
            continue;
        }
        out.insert(K::from(name.as_str()), read(item).map_err(|e| e.at(name))?);
    }
    Ok(out)
}

/// A sparse map: `null` values are kept as `None`.
pub fn sparse_map<K: Ord + for<'k> From<&'k str>, V>(
    value: &Value,
    mut read: impl FnMut(&Value) -> Result<V, DeserializeError>,
) -> Result<std::collections::BTreeMap<K, Option<V>>, DeserializeError> {
    let entries = object(value)?;
    let mut out = std::collections::BTreeMap::new();
    for (name, item) in entries {
        out.insert(K::from(name.as_str()), optional(item, &mut read).map_err(|e| e.at(name))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(JsonValueWriter<'_>)) -> String {
        let mut out = String::new();
        f(JsonValueWriter { out: &mut out });
        out
    }

    #[test]
    fn response_numbers_read_back_exactly() {
        // Without serde_json's `float_roundtrip` feature this reads back as 123456789.1234568.
        let body = br#"{"n": 123456789.12345679, "tiny": 5e-324, "big": 1.7976931348623157e308}"#;
        let value = parse(body).expect("valid JSON");
        assert_eq!(float(&value["n"]).expect("a number").to_bits(), 123456789.12345679_f64.to_bits());
        assert_eq!(float(&value["tiny"]).expect("a number"), 5e-324);
        assert_eq!(float(&value["big"]).expect("a number"), f64::MAX);
    }

    #[test]
    fn objects_and_arrays_are_comma_separated() {
        let mut out = String::new();
        let mut object = JsonObjectWriter::new(&mut out);
        object.key("a").integer(1);
        let mut list = object.key("b").array();
        list.value().string("x");
        list.value().boolean(false);
        list.finish();
        object.key("c").object().finish();
        object.finish();
        assert_eq!(out, r#"{"a":1,"b":["x",false],"c":{}}"#);
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(written(|w| w.string("a\"b\\c\n\u{1}é")), r#""a\"b\\c\n\u0001é""#);
    }

    #[test]
    fn string_escaping_matches_serde_json_for_every_ascii_byte() {
        let every_ascii: String = (0u8..0x80).map(char::from).collect();
        let long = "a plain run of more than eight bytes, then \"quotes\" and \\ and \u{1f}, then \u{e9}\u{e9}\u{e9}\u{e9} more";
        for text in
            [every_ascii.as_str(), "", "plain", "\u{7f}é\u{1F600}\"", "x\u{1f}\u{0}y", long, &long[1..], &long[3..]]
        {
            let expected = serde_json::to_string(text).unwrap();
            assert_eq!(written(|w| w.string(text)), expected, "{text:?}");
        }
        // Every character at every offset within and across the eight-byte words scanned at once.
        for c in (0u8..0x80).map(char::from).chain(['\u{e9}', '\u{1F600}']) {
            for offset in 0..17 {
                let text = format!("{}{c}{}", "x".repeat(offset), "\u{e9}".repeat(5));
                assert_eq!(written(|w| w.string(&text)), serde_json::to_string(&text).unwrap(), "{text:?}");
            }
        }
    }

    #[test]
    fn floats_use_strings_for_non_finite_values() {
        assert_eq!(written(|w| w.float(f64::NAN)), "\"NaN\"");
        assert_eq!(written(|w| w.float(f64::INFINITY)), "\"Infinity\"");
        assert_eq!(written(|w| w.float(f64::NEG_INFINITY)), "\"-Infinity\"");
        assert_eq!(written(|w| w.float(1.5)), "1.5");
        assert_eq!(float(&Value::from("NaN")).map(f64::is_nan), Ok(true));
        assert_eq!(float(&Value::from("-Infinity")), Ok(f64::NEG_INFINITY));
        assert!(float(&Value::from("nan")).is_err());
    }

    #[test]
    fn empty_body_is_an_empty_object() {
        assert_eq!(parse(b"").unwrap(), Value::Object(Map::new()));
        assert_eq!(parse(b"  \n").unwrap(), Value::Object(Map::new()));
        assert!(parse(b"<html>").is_err());
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(deep.as_bytes()).is_err());
    }

    #[test]
    fn errors_report_their_path() {
        let value: Value = serde_json::from_str(r#"{"items":[1,"x"]}"#).unwrap();
        let items = &object(&value).unwrap()["items"];
        let err = list(items, integer::<i32>).map_err(|e| e.at("items")).unwrap_err();
        assert_eq!(err.to_string(), "at `items[1]`: expected an integer, found a string");
    }

    #[test]
    fn integers_must_fit() {
        assert!(integer::<i8>(&Value::from(300)).is_err());
        assert_eq!(integer::<i32>(&Value::from(-5)), Ok(-5));
        assert!(integer::<i32>(&Value::from(1.5)).is_err());
    }

    /// A key type like the generated enums: `From<&str>` for any lifetime, unknown values kept.
    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
    enum Tier {
        Gold,
        Unknown(String),
    }

    impl From<&str> for Tier {
        fn from(value: &str) -> Self {
            match value {
                "gold" => Tier::Gold,
                other => Tier::Unknown(other.to_owned()),
            }
        }
    }

    #[test]
    fn map_keys_convert_to_strings_or_enums() {
        let value: Value = serde_json::from_str(r#"{"gold":1,"tin":2,"none":null}"#).unwrap();
        let by_name: std::collections::BTreeMap<String, i32> = map(&value, integer::<i32>).unwrap();
        assert_eq!(by_name, [("gold".to_string(), 1), ("tin".to_string(), 2)].into());
        let by_tier: std::collections::BTreeMap<Tier, i32> = map(&value, integer::<i32>).unwrap();
        assert_eq!(by_tier, [(Tier::Gold, 1), (Tier::Unknown("tin".into()), 2)].into());
        let sparse: std::collections::BTreeMap<Tier, Option<i32>> = sparse_map(&value, integer::<i32>).unwrap();
        assert_eq!(sparse.get(&Tier::Unknown("none".into())), Some(&None));
        let err = map::<Tier, i32>(&value, |v| string(v).map(str::len).map(|n| n as i32)).unwrap_err();
        assert_eq!(err.to_string(), "at `gold`: expected a string, found a number");
    }

    #[test]
    fn null_list_elements_are_skipped_unless_sparse() {
        let value: Value = serde_json::from_str(r#"["a",null,"b"]"#).unwrap();
        assert_eq!(list(&value, |v| string(v).map(str::to_owned)).unwrap(), ["a", "b"]);
        assert_eq!(sparse_list(&value, |v| string(v).map(str::to_owned)).unwrap().len(), 3);
    }
}
