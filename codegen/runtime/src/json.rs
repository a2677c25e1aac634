//! JSON bodies: a small streaming writer for requests and a streaming reader for responses.
//!
//! Requests are written straight into a `String` (no intermediate tree); numbers go through serde_json
//! so their formatting is serde_json's. Responses are read token by token ([`JsonReader`]) straight
//! into the generated structures: no tree is built, unknown members are skipped, and strings without
//! escapes are borrowed until a member keeps them. The reader refuses nesting deeper than 127 levels,
//! as serde_json does, so a hostile body cannot exhaust the stack; its errors say where a value had the
//! wrong type. Error responses are read from their bytes too; only documents, which are trees, and
//! finding an error response's type use `serde_json::Value`, and those trees are built by this reader
//! as well ([`document`], [`from_slice`]), as are the runtime's other JSON texts (credentials, the
//! endpoint rules, the partition table). serde_json's own parser is therefore left out of a crate
//! without the CLI: one JSON reader per binary, not two (about 65 KB of a job worker).
//!
//! Why a reader of our own, beside serde_json: serde_json reads token by token only through serde's
//! `Deserialize` visitors, which would mean a visitor type and its trait impls for every structure,
//! union, list and map of a model (more generated code to compile, and slower to generate), and it
//! offers no public tokenizer to drive from plain functions. Building a `serde_json::Value` first, as
//! this crate once did, was a quarter of a restJson1 call. The reader is held to serde_json by a
//! differential test (random bodies and byte mutations of them: the same verdict and the same tree)
//! and by the fuzz targets that read responses.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde_json::{Map, Number, Value};

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

/// Parses a response body into a tree; an empty body reads as `{}`, as awsJson allows.
///
/// Only for what is a tree anyway (documents) and for the cold path of error responses; success
/// bodies are read token by token with [`JsonReader`].
pub fn parse(body: &[u8]) -> Result<Value, DeserializeError> {
    read_body(body, document)
}

/// One JSON text as a tree, through the same reader as the responses. Unlike [`parse`], an empty text
/// is an error: this is for documents that must hold a value (credentials, rule sets, the partition
/// table), where serde_json's own parser would add a second JSON reader to every binary.
pub fn from_slice(text: &[u8]) -> Result<Value, DeserializeError> {
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(DeserializeError::new("the text is empty, not JSON"));
    }
    read_body(text, document)
}

/// The deepest nesting of arrays and objects a body may have, as serde_json allows (its recursion
/// limit of 128 counts the level that fails), so a hostile body cannot exhaust the stack of the
/// (recursive) generated readers.
const MAX_DEPTH: usize = 127;

/// Reads one JSON text token by token, straight into the caller's structures: nothing is built that
/// the caller does not keep. Strings without escapes are borrowed from the body.
///
/// The generated readers drive it through the functions of this module ([`object`], [`list`],
/// [`string`], ...), each of which reads exactly one value. Every error says what was wrong; the
/// functions that descend into members and elements add where ([`DeserializeError::path`]).
#[derive(Debug)]
pub struct JsonReader<'a> {
    /// The body, checked to be UTF-8 once, so strings are slices of it rather than checked one by one.
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        JsonReader { text, bytes: text.as_bytes(), pos: 0, depth: 0 }
    }

    /// The next byte after any whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        while let Some(&byte) = self.bytes.get(self.pos) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.pos += 1;
        }
        None
    }

    fn syntax(&self, what: &str) -> DeserializeError {
        DeserializeError::new(format!("the body is not valid JSON: {what} at byte {}", self.pos))
    }

    /// The error for a value that is not `expected`. The value is skipped first, so a body that is not
    /// JSON at all says so rather than naming the type of its first character.
    #[cold]
    fn mismatch(&mut self, expected: &str) -> DeserializeError {
        let found = match self.peek() {
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b't' | b'f') => "a boolean",
            Some(b'n') => "null",
            Some(b'-' | b'0'..=b'9') => "a number",
            _ => "",
        };
        match self.skip() {
            Err(e) => e,
            Ok(()) => DeserializeError::new(format!("expected {expected}, found {found}")),
        }
    }

    /// Consumes `open` (`{` or `[`), one level deeper.
    #[inline]
    fn enter(&mut self, open: u8, expected: &str) -> Result<(), DeserializeError> {
        if self.peek() != Some(open) {
            return Err(self.mismatch(expected));
        }
        if self.depth == MAX_DEPTH {
            return Err(self.syntax("nesting deeper than 127 levels"));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// The next member's name in an object entered with [`JsonReader::enter`], its `:` consumed, or
    /// `None` after the closing `}`. `first` says whether a member was read before.
    fn next_key(&mut self, first: bool) -> Result<Option<Cow<'a, str>>, DeserializeError> {
        match self.peek() {
            Some(b'}') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(None);
            }
            Some(b',') if !first => self.pos += 1,
            _ if first => {}
            _ => return Err(self.syntax("expected `,` or `}`")),
        }
        if self.peek() != Some(b'"') {
            return Err(self.syntax("expected a member name"));
        }
        let key = self.string_token()?;
        if self.peek() != Some(b':') {
            return Err(self.syntax("expected `:`"));
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// Whether an array entered with [`JsonReader::enter`] has another element (its `,` consumed);
    /// `false` after the closing `]`.
    fn next_element(&mut self, first: bool) -> Result<bool, DeserializeError> {
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.pos += 1;
                Ok(true)
            }
            _ if first => Ok(true),
            _ => Err(self.syntax("expected `,` or `]`")),
        }
    }

    /// The string starting at the current `"`, unescaped; borrowed when it holds no escapes.
    fn string_token(&mut self) -> Result<Cow<'a, str>, DeserializeError> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            let Some(at) = next_escape(self.bytes, run) else {
                self.pos = self.bytes.len();
                return Err(self.syntax("unterminated string"));
            };
            let text = self.utf8(run, at)?;
            match self.bytes[at] {
                b'"' => {
                    self.pos = at + 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(text),
                        Some(mut out) => {
                            out.push_str(text);
                            Cow::Owned(out)
                        }
                    });
                }
                b'\\' => {
                    self.pos = at + 1;
                    let unescaped = self.escape()?;
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(text);
                    out.push(unescaped);
                    run = self.pos;
                }
                _ => {
                    self.pos = at;
                    return Err(self.syntax("control character in a string"));
                }
            }
        }
    }

    /// The text between two positions. Both always follow or precede an ASCII character (a quote, a
    /// backslash, a digit), so they fall on character boundaries; `get` keeps that from being a panic
    /// if it ever were not so.
    fn utf8(&self, from: usize, to: usize) -> Result<&'a str, DeserializeError> {
        let text: &'a str = self.text;
        text.get(from..to).ok_or_else(|| self.syntax("a token that splits a character"))
    }

    /// The character of the escape after a `\`.
    fn escape(&mut self) -> Result<char, DeserializeError> {
        let Some(&letter) = self.bytes.get(self.pos) else {
            return Err(self.syntax("unterminated string"));
        };
        self.pos += 1;
        Ok(match letter {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(self.syntax("lone leading surrogate in a \\u escape"));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.syntax("lone leading surrogate in a \\u escape"));
                        }
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.syntax("lone trailing surrogate in a \\u escape")),
                    _ => u32::from(unit),
                };
                char::from_u32(code).ok_or_else(|| self.syntax("invalid \\u escape"))?
            }
            _ => return Err(self.syntax("invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u16, DeserializeError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.syntax("unterminated string"))?;
        let mut unit = 0u16;
        for &digit in digits {
            let value = char::from(digit).to_digit(16).ok_or_else(|| self.syntax("invalid \\u escape"))?;
            unit = unit * 16 + value as u16;
        }
        self.pos += 4;
        Ok(unit)
    }

    /// The text of the number at the current position, checked against JSON's grammar, and whether it
    /// is an integer (no fraction, no exponent).
    fn number_token(&mut self) -> Result<(&'a str, bool), DeserializeError> {
        let bytes: &'a [u8] = self.bytes;
        let start = self.pos;
        let mut at = start;
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at > from
        };
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let integral_start = at;
        if !digits(&mut at) || (bytes[integral_start] == b'0' && at - integral_start > 1) {
            self.pos = at;
            return Err(self.syntax("invalid number"));
        }
        let mut integer = true;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            integer = false;
            if !digits(&mut at) {
                self.pos = at;
                return Err(self.syntax("invalid number"));
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            integer = false;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if !digits(&mut at) {
                self.pos = at;
                return Err(self.syntax("invalid number"));
            }
        }
        self.pos = at;
        // Only ASCII digits and signs were accepted.
        let text = self.utf8(start, at)?;
        Ok((text, integer))
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), DeserializeError> {
        if self.bytes.get(self.pos..self.pos + word.len()) != Some(word) {
            return Err(self.syntax("unexpected character"));
        }
        self.pos += word.len();
        Ok(())
    }

    /// Consumes `null` if it comes next.
    #[inline]
    fn null(&mut self) -> Result<bool, DeserializeError> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// The next value, which must be a string.
    pub fn str_token(&mut self, expected: &str) -> Result<Cow<'a, str>, DeserializeError> {
        if self.peek() != Some(b'"') {
            return Err(self.mismatch(expected));
        }
        self.string_token()
    }

    /// The text of the next value, which must be a number, and whether it is an integer.
    pub fn number(&mut self, expected: &str) -> Result<(&'a str, bool), DeserializeError> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.mismatch(expected));
        }
        self.number_token()
    }

    /// Reads past the next value, checking that it is JSON (recursion is bounded by [`MAX_DEPTH`]).
    pub fn skip(&mut self) -> Result<(), DeserializeError> {
        match self.peek() {
            Some(b'{') => {
                self.enter(b'{', "an object")?;
                let mut first = true;
                while self.next_key(first)?.is_some() {
                    self.skip()?;
                    first = false;
                }
                Ok(())
            }
            Some(b'[') => {
                self.enter(b'[', "an array")?;
                let mut first = true;
                while self.next_element(first)? {
                    self.skip()?;
                    first = false;
                }
                Ok(())
            }
            Some(b'"') => self.string_token().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number_token().map(drop),
            Some(_) => Err(self.syntax("unexpected character")),
            None => Err(self.syntax("unexpected end of the body")),
        }
    }
}

/// Reads a whole body with `read`: an empty body (or only whitespace) reads as `{}`, as awsJson
/// allows; anything after the value but whitespace is an error.
pub fn read_body<'a, T>(
    body: &'a [u8],
    read: impl FnOnce(&mut JsonReader<'a>) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return read(&mut JsonReader::new("{}"));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        DeserializeError::new(format!("the body is not valid JSON: invalid UTF-8 at byte {}", e.valid_up_to()))
    })?;
    let mut reader = JsonReader::new(text);
    let value = read(&mut reader)?;
    if reader.peek().is_some() {
        return Err(reader.syntax("trailing characters after the value"));
    }
    Ok(value)
}

/// An object whose members are read by `member`, given each one's name (unescaped). A member it
/// leaves unread (an unknown one) is skipped; an error it returns is located under the member's name.
#[inline]
pub fn object<'a>(
    reader: &mut JsonReader<'a>,
    mut member: impl FnMut(&mut JsonReader<'a>, &str) -> Result<(), DeserializeError>,
) -> Result<(), DeserializeError> {
    reader.enter(b'{', "an object")?;
    let mut first = true;
    while let Some(key) = reader.next_key(first)? {
        first = false;
        let before = reader.pos;
        member(reader, &key).map_err(|e| e.at(&key))?;
        if reader.pos == before {
            reader.skip().map_err(|e| e.at(&key))?;
        }
    }
    Ok(())
}

/// A union: an object with exactly one member set, read by `member`. `null` members are absent and
/// `__type` is protocol metadata, not a member; a member repeated is read again, the last one kept.
pub fn union<'a, T>(
    reader: &mut JsonReader<'a>,
    mut member: impl FnMut(&mut JsonReader<'a>, &str) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    reader.enter(b'{', "an object")?;
    let mut found: Option<(Cow<'a, str>, T)> = None;
    let mut first = true;
    while let Some(key) = reader.next_key(first)? {
        first = false;
        if key == "__type" {
            reader.skip()?;
            continue;
        }
        if reader.null()? {
            continue;
        }
        let before = reader.pos;
        let value = member(reader, &key).map_err(|e| e.at(&key))?;
        if reader.pos == before {
            reader.skip().map_err(|e| e.at(&key))?;
        }
        if found.as_ref().is_some_and(|(name, _)| *name != key) {
            return Err(DeserializeError::new("a union must have exactly one member set, found several"));
        }
        found = Some((key, value));
    }
    found
        .map(|(_, value)| value)
        .ok_or_else(|| DeserializeError::new("a union must have exactly one member set, found none"))
}

/// A member without a value (a unit union member): an object whose contents mean nothing.
pub fn unit(reader: &mut JsonReader<'_>) -> Result<(), DeserializeError> {
    if reader.peek() != Some(b'{') {
        return Err(reader.mismatch("an object"));
    }
    reader.skip()
}

/// Skips one value (members that lowering keeps out of JSON bodies).
pub fn skip(reader: &mut JsonReader<'_>) -> Result<(), DeserializeError> {
    reader.skip()
}

/// A string.
pub fn string(reader: &mut JsonReader<'_>) -> Result<String, DeserializeError> {
    reader.str_token("a string").map(Cow::into_owned)
}

/// A string converted through `From<&str>`: a model enum, whose unknown values are kept.
pub fn text<T: for<'k> From<&'k str>>(reader: &mut JsonReader<'_>) -> Result<T, DeserializeError> {
    reader.str_token("a string").map(|text| T::from(&text))
}

/// A boolean.
pub fn boolean(reader: &mut JsonReader<'_>) -> Result<bool, DeserializeError> {
    match reader.peek() {
        Some(b't') => reader.literal(b"true").map(|()| true),
        Some(b'f') => reader.literal(b"false").map(|()| false),
        _ => Err(reader.mismatch("a boolean")),
    }
}

/// An integer that fits `T` (`i8`, `i16`, `i32`, `i64`).
pub fn integer<T: TryFrom<i64>>(reader: &mut JsonReader<'_>) -> Result<T, DeserializeError> {
    let (text, integral) = reader.number("an integer")?;
    let wide = integral
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| DeserializeError::new("expected an integer, found a number"))?;
    T::try_from(wide).map_err(|_| DeserializeError::new(format!("integer {wide} is out of range")))
}

/// A float; accepts the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
pub fn float(reader: &mut JsonReader<'_>) -> Result<f64, DeserializeError> {
    if reader.peek() == Some(b'"') {
        return match &*reader.string_token()? {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(DeserializeError::new("expected a number, found a string")),
        };
    }
    let (text, _) = reader.number("a number")?;
    // The grammar is checked, so Rust's (correctly rounded) parser accepts the text; like serde_json,
    // a number too large for an f64 is an error rather than an infinity.
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(DeserializeError::new(format!("number {text} is out of range"))),
    }
}

/// The text of a number, exactly as sent (bigInteger and bigDecimal keep it as text).
pub fn number_text<'a>(reader: &mut JsonReader<'a>) -> Result<&'a str, DeserializeError> {
    reader.number("a number").map(|(text, _)| text)
}

/// A document: any JSON value, as a tree.
///
/// Numbers become what serde_json makes of them: an integer that fits a `u64` (or, negative, an
/// `i64`) stays an integer; any other number is the nearest `f64`, and one too large for it is an
/// error. `-0` is the float `-0.0`, as serde_json reads it.
pub fn document(reader: &mut JsonReader<'_>) -> Result<Value, DeserializeError> {
    match reader.peek() {
        Some(b'{') => {
            let mut members = Map::new();
            object(reader, |reader, name| {
                members.insert(name.to_owned(), document(reader)?);
                Ok(())
            })?;
            Ok(Value::Object(members))
        }
        Some(b'[') => {
            let mut elements = Vec::new();
            sparse_elements(reader, |reader, index| {
                elements.push(document(reader).map_err(|e| e.at_index(index))?);
                Ok(())
            })?;
            Ok(Value::Array(elements))
        }
        Some(b'"') => string(reader).map(Value::String),
        Some(b't' | b'f') => boolean(reader).map(Value::Bool),
        Some(b'n') => reader.literal(b"null").map(|()| Value::Null),
        _ => {
            let (text, integer) = reader.number("a value")?;
            let exact = match (integer, text.strip_prefix('-')) {
                (true, None) => text.parse::<u64>().ok().map(Number::from),
                (true, Some(magnitude)) if magnitude.bytes().any(|b| b != b'0') => {
                    text.parse::<i64>().ok().map(Number::from)
                }
                _ => None,
            };
            match exact {
                Some(number) => Ok(Value::Number(number)),
                None => text
                    .parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(|| DeserializeError::new(format!("number {text} is out of range"))),
            }
        }
    }
}

/// `None` for JSON `null` (awsJson treats it as absent), else the value read by `read`.
#[inline]
pub fn optional<'a, T>(
    reader: &mut JsonReader<'a>,
    read: impl FnOnce(&mut JsonReader<'a>) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    if reader.null()? {
        Ok(None)
    } else {
        read(reader).map(Some)
    }
}

/// A list whose elements are read by `read`; `null` elements are skipped.
pub fn list<'a, T>(
    reader: &mut JsonReader<'a>,
    mut read: impl FnMut(&mut JsonReader<'a>) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    let mut out = Vec::new();
    sparse_elements(reader, |reader, index| {
        if let Some(item) = optional(reader, &mut read).map_err(|e| e.at_index(index))? {
            out.push(item);
        }
        Ok(())
    })?;
    Ok(out)
}

/// A sparse list: `null` elements are kept as `None`.
pub fn sparse_list<'a, T>(
    reader: &mut JsonReader<'a>,
    mut read: impl FnMut(&mut JsonReader<'a>) -> Result<T, DeserializeError>,
) -> Result<Vec<Option<T>>, DeserializeError> {
    let mut out = Vec::new();
    sparse_elements(reader, |reader, index| {
        out.push(optional(reader, &mut read).map_err(|e| e.at_index(index))?);
        Ok(())
    })?;
    Ok(out)
}

fn sparse_elements<'a>(
    reader: &mut JsonReader<'a>,
    mut element: impl FnMut(&mut JsonReader<'a>, usize) -> Result<(), DeserializeError>,
) -> Result<(), DeserializeError> {
    reader.enter(b'[', "an array")?;
    let mut index = 0;
    while reader.next_element(index == 0)? {
        element(reader, index)?;
        index += 1;
    }
    Ok(())
}

/// A map whose values are read by `read`; `null` values are skipped (a key sent again with `null`
/// drops the earlier value, as the last of repeated keys counts).
///
/// Keys become `K` through `From<&str>`: `String`, or a model enum (whose unknown values are kept).
/// Taking the conversion as a bound rather than as a function argument matters for enums: the
/// function `Enum::from` only accepts one caller-chosen lifetime, while every key here borrows from
/// the body for a lifetime of its own.
pub fn map<'a, K: Ord + for<'k> From<&'k str>, V>(
    reader: &mut JsonReader<'a>,
    mut read: impl FnMut(&mut JsonReader<'a>) -> Result<V, DeserializeError>,
) -> Result<std::collections::BTreeMap<K, V>, DeserializeError> {
    let mut out = std::collections::BTreeMap::new();
    object(reader, |reader, name| {
        match optional(reader, &mut read)? {
            Some(value) => out.insert(K::from(name), value),
            None => out.remove(&K::from(name)),
        };
        Ok(())
    })?;
    Ok(out)
}

/// A sparse map: `null` values are kept as `None`.
pub fn sparse_map<'a, K: Ord + for<'k> From<&'k str>, V>(
    reader: &mut JsonReader<'a>,
    mut read: impl FnMut(&mut JsonReader<'a>) -> Result<V, DeserializeError>,
) -> Result<std::collections::BTreeMap<K, Option<V>>, DeserializeError> {
    let mut out = std::collections::BTreeMap::new();
    object(reader, |reader, name| {
        out.insert(K::from(name), optional(reader, &mut read)?);
        Ok(())
    })?;
    Ok(out)
}

/// What `read` makes of `{}`: a required structure member the response left out gets the structure
/// with its own members corrected in turn (Smithy's client error correction).
pub fn from_empty_object<T>(
    read: impl FnOnce(&mut JsonReader<'_>) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    read(&mut JsonReader::new("{}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(JsonValueWriter<'_>)) -> String {
        let mut out = String::new();
        f(JsonValueWriter { out: &mut out });
        out
    }

    fn read<T>(
        body: &str,
        f: impl FnOnce(&mut JsonReader<'_>) -> Result<T, DeserializeError>,
    ) -> Result<T, DeserializeError> {
        read_body(body.as_bytes(), f)
    }

    /// The members of an object read as floats, by name.
    fn floats(body: &str) -> Result<Vec<(String, f64)>, DeserializeError> {
        let mut out = Vec::new();
        read(body, |r| {
            object(r, |r, name| {
                out.push((name.to_owned(), float(r)?));
                Ok(())
            })
        })
        .map(|()| out)
    }

    #[test]
    fn response_numbers_read_back_exactly() {
        let read = floats(r#"{"n": 123456789.12345679, "tiny": 5e-324, "big": 1.7976931348623157e308, "e": -2E+2}"#);
        let read = read.expect("valid JSON");
        assert_eq!(read[0].1.to_bits(), 123456789.12345679_f64.to_bits());
        assert_eq!(read[1].1, 5e-324);
        assert_eq!(read[2].1, f64::MAX);
        assert_eq!(read[3].1, -200.0);
        let err = floats(r#"{"huge": 1e400}"#).unwrap_err();
        assert_eq!(err.to_string(), "at `huge`: number 1e400 is out of range");
    }

    #[test]
    fn numbers_follow_the_json_grammar() {
        for bad in ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5.2", "Infinity", "NaN", "-01"] {
            let body = format!(r#"{{"n": {bad}}}"#);
            let err = floats(&body).unwrap_err().to_string();
            assert!(err.contains("not valid JSON"), "{bad}: {err}");
        }
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
        assert_eq!(read(r#""NaN""#, float).map(f64::is_nan), Ok(true));
        assert_eq!(read(r#""-Infinity""#, float), Ok(f64::NEG_INFINITY));
        assert_eq!(read(r#""Infinity""#, float), Ok(f64::INFINITY));
        assert!(read(r#""nan""#, float).is_err());
    }

    #[test]
    fn empty_body_is_an_empty_object() {
        assert_eq!(parse(b"").unwrap(), Value::Object(Map::new()));
        assert_eq!(parse(b"  \n").unwrap(), Value::Object(Map::new()));
        assert!(parse(b"<html>").is_err());
        assert_eq!(floats(""), Ok(Vec::new()));
        assert_eq!(floats(" \n\t"), Ok(Vec::new()));
        let err = floats("<html>").unwrap_err().to_string();
        assert!(err.contains("not valid JSON"), "{err}");
        assert!(floats(r#"{"a": 1} x"#).unwrap_err().to_string().contains("trailing characters"));
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(deep.as_bytes()).is_err());
        // Skipped (an unknown member) or read (a document), nesting stops at 127 levels.
        for body in [format!(r#"{{"unknown": {deep}}}"#), format!(r#"{{"doc": {deep}}}"#)] {
            let err = read(&body, |r| object(r, |r, name| if name == "doc" { document(r).map(drop) } else { Ok(()) }));
            assert!(err.unwrap_err().to_string().contains("nesting deeper than 127"), "{}", &body[..20]);
        }
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(read(&fine, skip).is_ok());
        let too_deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert!(read(&too_deep, skip).is_err());
        let nested_lists = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        fn nested(r: &mut JsonReader<'_>) -> Result<usize, DeserializeError> {
            if r.peek() == Some(b'[') {
                Ok(list(r, nested)?.into_iter().sum::<usize>() + 1)
            } else {
                integer::<i64>(r).map(|_| 0)
            }
        }
        let err = read(&nested_lists, nested).unwrap_err().to_string();
        assert!(err.contains("nesting deeper than 127"), "{err}");
    }

    #[test]
    fn strings_are_unescaped_and_checked() {
        let unescaped = |body: &str| read(body, string);
        assert_eq!(unescaped(r#""plain""#).unwrap(), "plain");
        assert_eq!(
            unescaped(r#""a\"b\\c\/\n\t\r\b\f\u00e9\ud83d\ude00 end""#).unwrap(),
            "a\"b\\c/\n\t\r\u{8}\u{c}é😀 end"
        );
        assert_eq!(unescaped("\"é😀\"").unwrap(), "é😀");
        for bad in [r#""\ud83d""#, r#""\ude00""#, r#""\ud83d\u0041""#, r#""\x""#, r#""\u12""#, "\"a\u{1}b\"", "\"open"]
        {
            let err = unescaped(bad).unwrap_err().to_string();
            assert!(err.contains("not valid JSON"), "{bad}: {err}");
        }
        let invalid_utf8 = read_body(b"\"a\xff\"", string).unwrap_err().to_string();
        assert!(invalid_utf8.contains("invalid UTF-8"), "{invalid_utf8}");
        assert_eq!(read(r#""gold""#, text::<String>).unwrap(), "gold");
    }

    #[test]
    fn unknown_members_are_skipped_whatever_they_hold() {
        let body = r#"{"skip": {"a": [1, {"b": null}, "x\"y"], "c": true}, "keep": 1.5, "more": [false]}"#;
        assert_eq!(floats(body).unwrap_err().to_string(), "at `skip`: expected a number, found an object");
        let mut kept = None;
        read(body, |r| {
            object(r, |r, name| {
                if name == "keep" {
                    kept = optional(r, float)?;
                }
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(kept, Some(1.5));
        for bad in [r#"{"a" 1}"#, r#"{"a": 1,}"#, r#"{"a": 1 "b": 2}"#, r#"{"skip": [1,]}"#, r#"{"skip": tru}"#, "{"] {
            let err = read(bad, |r| object(r, |_, _| Ok(()))).unwrap_err().to_string();
            assert!(err.contains("not valid JSON"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_wrong_type_in_a_broken_body_reports_the_syntax() {
        let err = read(r#"{"n": "open}"#, |r| object(r, |r, _| float(r).map(drop))).unwrap_err();
        assert!(err.to_string().contains("unterminated string"), "{err}");
        let err = read(r#"{"n": [1, }"#, |r| object(r, |r, _| boolean(r).map(drop))).unwrap_err();
        assert!(err.to_string().contains("not valid JSON"), "{err}");
    }

    #[test]
    fn unions_have_exactly_one_member() {
        let member = |r: &mut JsonReader<'_>, name: &str| integer::<i32>(r).map(|v| (name.to_owned(), v));
        assert_eq!(read(r#"{"__type": "x", "a": null, "b": 2}"#, |r| union(r, member)), Ok(("b".into(), 2)));
        assert_eq!(read(r#"{"b": 1, "b": 2}"#, |r| union(r, member)), Ok(("b".into(), 2)));
        let several = read(r#"{"a": 1, "b": 2}"#, |r| union(r, member)).unwrap_err();
        assert!(several.to_string().contains("found several"), "{several}");
        let none = read(r#"{"a": null, "__type": {"nested": 1}}"#, |r| union(r, member)).unwrap_err();
        assert!(none.to_string().contains("found none"), "{none}");
        let wrong = read(r#"{"a": "x"}"#, |r| union(r, member)).unwrap_err();
        assert_eq!(wrong.to_string(), "at `a`: expected an integer, found a string");
    }

    #[test]
    fn documents_are_trees() {
        let mut doc = None;
        read(r#"{"d": {"x": [1, "two", null]}, "e": 3}"#, |r| {
            object(r, |r, name| {
                if name == "d" {
                    doc = Some(document(r)?);
                }
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(doc, Some(serde_json::json!({"x": [1, "two", null]})));
    }

    #[test]
    fn errors_report_their_path() {
        let items = |r: &mut JsonReader<'_>| object(r, |r, _| list(r, integer::<i32>).map(drop));
        let err = read(r#"{"items":[1,"x"]}"#, items).unwrap_err();
        assert_eq!(err.to_string(), "at `items[1]`: expected an integer, found a string");
        let err = read(r#"{"items":[1,null,true]}"#, items).unwrap_err();
        assert_eq!(err.to_string(), "at `items[2]`: expected an integer, found a boolean");
    }

    #[test]
    fn integers_must_fit() {
        assert!(read("300", integer::<i8>).is_err());
        assert_eq!(read("-5", integer::<i32>), Ok(-5));
        assert_eq!(read("-0", integer::<i32>), Ok(0));
        assert_eq!(read("1.5", integer::<i32>).unwrap_err().to_string(), "expected an integer, found a number");
        assert!(read("1e2", integer::<i32>).is_err());
        assert!(read("99999999999999999999", integer::<i64>).is_err());
        assert_eq!(read("9223372036854775807", integer::<i64>), Ok(i64::MAX));
        assert_eq!(read("true", boolean), Ok(true));
        assert_eq!(read("false", boolean), Ok(false));
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
        let body = r#"{"gold":1,"tin":2,"none":null}"#;
        let by_name: std::collections::BTreeMap<String, i32> = read(body, |r| map(r, integer::<i32>)).unwrap();
        assert_eq!(by_name, [("gold".to_string(), 1), ("tin".to_string(), 2)].into());
        let by_tier: std::collections::BTreeMap<Tier, i32> = read(body, |r| map(r, integer::<i32>)).unwrap();
        assert_eq!(by_tier, [(Tier::Gold, 1), (Tier::Unknown("tin".into()), 2)].into());
        let sparse: std::collections::BTreeMap<Tier, Option<i32>> =
            read(body, |r| sparse_map(r, integer::<i32>)).unwrap();
        assert_eq!(sparse.get(&Tier::Unknown("none".into())), Some(&None));
        let err = read(body, |r| map::<Tier, usize>(r, |r| string(r).map(|s| s.len()))).unwrap_err();
        assert_eq!(err.to_string(), "at `gold`: expected a string, found a number");
        // The last of a repeated key counts, `null` included.
        let repeated: std::collections::BTreeMap<String, i32> =
            read(r#"{"a":1,"a":2,"b":3,"b":null}"#, |r| map(r, integer::<i32>)).unwrap();
        assert_eq!(repeated, [("a".to_string(), 2)].into());
        let escaped: std::collections::BTreeMap<String, i32> =
            read(r#"{"a\u0062":1}"#, |r| map(r, integer::<i32>)).unwrap();
        assert_eq!(escaped, [("ab".to_string(), 1)].into());
    }

    #[test]
    fn null_list_elements_are_skipped_unless_sparse() {
        let body = r#"["a",null,"b"]"#;
        assert_eq!(read(body, |r| list(r, string)).unwrap(), ["a", "b"]);
        assert_eq!(read(body, |r| sparse_list(r, string)).unwrap(), [Some("a".into()), None, Some("b".into())]);
        assert_eq!(read("[]", |r| list(r, string)).unwrap(), Vec::<String>::new());
        assert!(read(r#"["a" "b"]"#, |r| list(r, string)).is_err());
    }

    #[test]
    fn unit_members_are_objects_of_anything() {
        assert_eq!(read(r#"{"x": [1]}"#, unit), Ok(()));
        assert_eq!(read("[]", unit).unwrap_err().to_string(), "expected an object, found an array");
        assert_eq!(from_empty_object(|r| object(r, |_, _| Ok(()))), Ok(()));
    }

    /// A random JSON value of at most `depth` levels, with random whitespace and escapes.
    fn random_value(rng: &mut fastrand::Rng, depth: usize, out: &mut String) {
        const SPACE: [&str; 5] = ["", "", " ", "\n\t", "\r\n  "];
        const STRINGS: [&str; 10] = [
            "",
            "plain",
            "tab\\there",
            "\\u00e9t\\u00E9",
            "\\ud83d\\ude00",
            "\\\"quoted\\\" \\\\ \\/",
            "caf\u{e9} \u{1F600}",
            "\\ud800",
            "\\udc00x",
            "\\b\\f\\n\\r",
        ];
        const NUMBERS: [&str; 14] = [
            "0",
            "-0",
            "7",
            "-42",
            "3.25",
            "-0.5e-3",
            "1E10",
            "2e+2",
            "9007199254740993",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775809",
            "1e400",
            "0.1",
        ];
        out.push_str(SPACE[rng.usize(..SPACE.len())]);
        let choice = if depth == 0 { rng.usize(3..8) } else { rng.usize(0..8) };
        match choice {
            0 => {
                out.push('{');
                for i in 0..rng.usize(0..4) {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(SPACE[rng.usize(..SPACE.len())]);
                    // Few names, so some repeat (the last one wins in both).
                    write!(out, "\"{}\"", ["a", "b", "\\u0061", "__type"][rng.usize(..4)]).unwrap();
                    out.push_str(SPACE[rng.usize(..SPACE.len())]);
                    out.push(':');
                    random_value(rng, depth - 1, out);
                }
                out.push('}');
            }
            1 | 2 => {
                out.push('[');
                for i in 0..rng.usize(0..4) {
                    if i > 0 {
                        out.push(',');
                    }
                    random_value(rng, depth - 1, out);
                }
                out.push(']');
            }
            3 | 4 => write!(out, "\"{}\"", STRINGS[rng.usize(..STRINGS.len())]).unwrap(),
            5 => out.push_str(NUMBERS[rng.usize(..NUMBERS.len())]),
            6 => out.push_str(["true", "false"][rng.usize(..2)]),
            _ => out.push_str("null"),
        }
        out.push_str(SPACE[rng.usize(..SPACE.len())]);
    }

    /// The reader is written here rather than taken from serde_json (see the module docs), so it is
    /// held to serde_json on many bodies: random valid ones, and byte mutations of them. Every body
    /// one accepts the other accepts, and reads to the same tree (a body of only whitespace, which
    /// awsJson reads as `{}`, aside).
    #[test]
    fn the_reader_accepts_and_reads_exactly_what_serde_json_does() {
        const ALPHABET: &[u8] = b"{}[]\",:\\0123456789.eE+-tfnul \t\n\x01\x7f\xc3\xa9\xff";
        let mut rng = fastrand::Rng::with_seed(0x6a73_6f6e);
        let (mut accepted, mut refused) = (0, 0);
        for case in 0..30_000 {
            let mut text = String::new();
            random_value(&mut rng, 4, &mut text);
            let mut body = text.into_bytes();
            if case % 2 == 1 {
                for _ in 0..rng.usize(1..4) {
                    let at = rng.usize(..=body.len());
                    match rng.usize(0..3) {
                        0 if at < body.len() => {
                            body.remove(at);
                        }
                        1 => body.insert(at, ALPHABET[rng.usize(..ALPHABET.len())]),
                        _ => body.insert(at, rng.u8(..)),
                    }
                }
            }
            if body.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let ours = read_body(&body, document);
            let theirs = serde_json::from_slice::<Value>(&body);
            match (&ours, &theirs) {
                (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{}", String::from_utf8_lossy(&body)),
                (Err(_), Err(_)) => {}
                _ => {
                    panic!("the reader gave {ours:?}, serde_json {theirs:?}, for {:?}", String::from_utf8_lossy(&body))
                }
            }
            if ours.is_ok() {
                accepted += 1;
            } else {
                refused += 1;
            }
        }
        // Both kinds of body were tried in numbers.
        assert!(accepted > 10_000 && refused > 5_000, "{accepted} accepted, {refused} refused");
    }

    #[test]
    fn document_numbers_are_the_kinds_serde_json_makes() {
        for text in [
            "0",
            "-0",
            "-0.0",
            "7",
            "-7",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e2",
            "1.5",
            "2.2250738585072011e-308",
            "1e400",
            "-1e400",
            "123456789012345678901234567890",
        ] {
            let ours = read_body(text.as_bytes(), document);
            let theirs = serde_json::from_str::<Value>(text);
            match (&ours, &theirs) {
                (Ok(Value::Number(a)), Ok(Value::Number(b))) => {
                    assert_eq!((a.as_u64(), a.as_i64(), a.is_f64()), (b.as_u64(), b.as_i64(), b.is_f64()), "{text}");
                    assert_eq!(a.as_f64().map(f64::to_bits), b.as_f64().map(f64::to_bits), "{text}");
                }
                (Err(_), Err(_)) => {}
                _ => panic!("{text}: ours {ours:?}, serde_json {theirs:?}"),
            }
        }
    }

    #[test]
    fn the_reader_and_serde_json_share_the_nesting_limit() {
        for depth in [127, 128, 129] {
            let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let ours = read_body(body.as_bytes(), document).is_ok();
            let theirs = serde_json::from_str::<Value>(&body).is_ok();
            assert_eq!(ours, theirs, "depth {depth}");
        }
    }
}
