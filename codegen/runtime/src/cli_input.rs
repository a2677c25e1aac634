//! Input handling for the generated command-line tool: option values (plain text, JSON, shorthand
//! or `file://`), whole-input documents (`--cli-input-json`, `--cli-input-yaml`), and the typed
//! readers the generated command code calls, with errors that name the member.
//!
//! Unlike response parsing, reading here is strict: an unknown member is an error (a typo in a
//! script should fail loudly, as it does with the AWS CLI), and so is a value of the wrong type.
//! Values are never repeated in errors, since a member may hold a secret.

use std::fmt;
use std::path::Path;

use serde_json::{Map, Value};

use super::bounded_file::{read_text, Limits};
use super::cli_shorthand::MAX_NESTING;

use super::validate::{ValidationError, ViolationKind};

/// Where a value came from, which decides how its scalars are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A JSON or YAML document: every scalar must have its JSON type (a number for an integer).
    Json,
    /// Command-line text or shorthand syntax: scalars may also be text, converted by the member's
    /// type (`percentComplete=50`).
    Text,
}

/// Input that does not fit the model: what is wrong, and at which member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Path segments, outermost first; list indexes are `[n]`.
    path: Vec<String>,
    message: String,
}

impl InputError {
    /// An error at the current position.
    pub fn new(message: impl Into<String>) -> Self {
        InputError { path: Vec::new(), message: message.into() }
    }

    /// The same error, one member further in (`segment` is the member's wire name).
    pub fn at(mut self, segment: &str) -> Self {
        self.path.insert(0, segment.to_string());
        self
    }

    /// The same error, inside the list element `index`.
    pub fn at_index(mut self, index: usize) -> Self {
        self.path.insert(0, format!("[{index}]"));
        self
    }

    /// The member path (`failureDetails.message`, `items[2].name`), empty at the top.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            if !out.is_empty() && !segment.starts_with('[') {
                out.push('.');
            }
            out.push_str(segment);
        }
        out
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{path}: {}", self.message)
        }
    }
}

impl std::error::Error for InputError {}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a structure",
    }
}

fn wrong_type(expected: &str, value: &Value) -> InputError {
    let hint = match value {
        // `message=a,b` reads as a list; that is the usual way to end up here.
        Value::Array(_) if expected.contains("string") => " (quote a shorthand value that contains commas)",
        _ => "",
    };
    InputError::new(format!("expected {expected}, got {}{hint}", describe(value)))
}

/// The members of a structure value.
pub fn object(value: &Value) -> Result<&Map<String, Value>, InputError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(wrong_type("a structure (a JSON object, or shorthand `key=value,...`)", other)),
    }
}

/// The error for a member the structure does not have, listing the ones it has.
pub fn unknown_member(key: &str, expected: &[&str]) -> InputError {
    if expected.is_empty() {
        InputError::new(format!("unknown member `{key}`: this structure has no members"))
    } else {
        InputError::new(format!("unknown member `{key}`; the members are: {}", expected.join(", ")))
    }
}

/// Turns a builder's missing-member error into one naming the members.
pub fn missing_members(error: ValidationError) -> InputError {
    let names: Vec<&str> =
        error.violations().iter().filter(|v| matches!(v.kind(), ViolationKind::Missing)).map(|v| v.path()).collect();
    match names.as_slice() {
        [] => InputError::new(error.to_string()),
        [one] => InputError::new(format!("the required member `{one}` is missing")),
        many => InputError::new(format!("the required members {} are missing", quoted_list(many))),
    }
}

fn quoted_list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// A union value: its single member's name and value, or an error when it has none or several.
pub fn union_member(value: &Value) -> Result<(&str, &Value), InputError> {
    let set: Vec<(&String, &Value)> = object(value)?.iter().filter(|(_, v)| !v.is_null()).collect();
    match set.as_slice() {
        [(key, value)] => Ok((key.as_str(), value)),
        [] => Err(InputError::new("a union takes exactly one member, got none")),
        many => {
            let names: Vec<&str> = many.iter().map(|(k, _)| k.as_str()).collect();
            Err(InputError::new(format!("a union takes exactly one member, got {}", quoted_list(&names))))
        }
    }
}

/// `None` for JSON `null` (an absent member), else what `read` makes of the value.
pub fn optional<T>(value: &Value, read: impl FnOnce(&Value) -> Result<T, InputError>) -> Result<Option<T>, InputError> {
    if value.is_null() {
        Ok(None)
    } else {
        read(value).map(Some)
    }
}

/// A string.
pub fn string(value: &Value) -> Result<String, InputError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        other => Err(wrong_type("a string", other)),
    }
}

/// A streaming member's value, the path of a regular file: opened now (so a missing file fails
/// before anything is sent), and read as the request goes out, never whole.
#[cfg(feature = "rest-json")]
pub fn stream_file(value: &Value) -> Result<super::byte_stream::ByteStream, InputError> {
    let path = string(value)?;
    let opened = super::cli_app::block_on(super::byte_stream::ByteStream::from_path(&path))
        .map_err(|e| InputError::new(e.to_string()))?;
    opened.map_err(|e| InputError::new(e.to_string()))
}

/// A boolean: JSON `true`/`false`, or (from text) `true`/`false` in any case.
pub fn boolean(value: &Value, source: Source) -> Result<bool, InputError> {
    match (value, source) {
        (Value::Bool(b), _) => Ok(*b),
        (Value::String(s), Source::Text) if s.eq_ignore_ascii_case("true") => Ok(true),
        (Value::String(s), Source::Text) if s.eq_ignore_ascii_case("false") => Ok(false),
        (Value::String(_), Source::Text) => Err(InputError::new("expected `true` or `false`")),
        (other, _) => Err(wrong_type("a boolean (true or false)", other)),
    }
}

/// The integer widths the model uses, with their ranges for error messages.
pub trait Integer: TryFrom<i64> {
    /// The smallest value.
    const MIN: i64;
    /// The largest value.
    const MAX: i64;
}

macro_rules! integer_widths {
    ($($t:ty),*) => {$(
        impl Integer for $t {
            const MIN: i64 = <$t>::MIN as i64;
            const MAX: i64 = <$t>::MAX as i64;
        }
    )*};
}
integer_widths!(i8, i16, i32, i64);

/// An integer of type `T`: a JSON number, or (from text) decimal digits.
pub fn integer<T: Integer>(value: &Value, source: Source) -> Result<T, InputError> {
    let out_of_range = || InputError::new(format!("expected a whole number from {} to {}", T::MIN, T::MAX));
    let wide = match (value, source) {
        (Value::Number(n), _) => match n.as_i64() {
            Some(n) => n,
            None if n.is_f64() => return Err(InputError::new("expected a whole number, got a fraction")),
            None => return Err(out_of_range()),
        },
        (Value::String(s), Source::Text) => {
            let text = s.trim();
            if text.is_empty() || !text.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit()) {
                return Err(InputError::new("expected a whole number (like 42)"));
            }
            text.parse::<i64>().map_err(|_| out_of_range())?
        }
        (other, _) => return Err(wrong_type("a whole number", other)),
    };
    T::try_from(wide).map_err(|_| out_of_range())
}

/// A floating-point number: a JSON number, `"NaN"`/`"Infinity"`/`"-Infinity"`, or (from text) a
/// decimal number.
pub fn float(value: &Value, source: Source) -> Result<f64, InputError> {
    match value {
        Value::Number(n) => n.as_f64().ok_or_else(|| InputError::new("the number is out of range")),
        Value::String(s) => match (s.as_str(), source) {
            ("NaN", _) => Ok(f64::NAN),
            ("Infinity", _) => Ok(f64::INFINITY),
            ("-Infinity", _) => Ok(f64::NEG_INFINITY),
            (text, Source::Text) => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| InputError::new("expected a number (like 1.5)")),
            (_, Source::Json) => Err(wrong_type("a number", value)),
        },
        other => Err(wrong_type("a number", other)),
    }
}

/// The text of a string or number, for values parsed from either (timestamps, big numbers).
pub fn text_or_number(value: &Value) -> Result<String, InputError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(wrong_type("a string or a number", other)),
    }
}

/// A timestamp from epoch seconds (a number or text) or ISO 8601 text, parsed by `parse`.
pub fn timestamp<T, E: fmt::Display>(value: &Value, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<T, InputError> {
    let text = text_or_number(value)?;
    // The parser's own message already says which forms it takes and where the text went wrong.
    parse(&text).map_err(|e| InputError::new(e.to_string()))
}

/// A list. From text, a single value where a list is expected is a list of one (`key=a`).
pub fn list<T>(
    value: &Value,
    source: Source,
    mut read: impl FnMut(&Value) -> Result<T, InputError>,
) -> Result<Vec<T>, InputError> {
    match value {
        Value::Array(items) => {
            items.iter().enumerate().map(|(i, item)| read(item).map_err(|e| e.at_index(i))).collect()
        }
        Value::String(_) | Value::Object(_) if source == Source::Text => Ok(vec![read(value)?]),
        other => Err(wrong_type("a list", other)),
    }
}

/// A list whose elements may be `null`.
pub fn sparse_list<T>(
    value: &Value,
    source: Source,
    mut read: impl FnMut(&Value) -> Result<T, InputError>,
) -> Result<Vec<Option<T>>, InputError> {
    list(value, source, |item| optional(item, &mut read))
}

/// A map; keys become `K` through `From<&str>` (`String`, or a model enum), as in `json::map`.
pub fn map<K: Ord + for<'k> From<&'k str>, V>(
    value: &Value,
    mut read: impl FnMut(&Value) -> Result<V, InputError>,
) -> Result<std::collections::BTreeMap<K, V>, InputError> {
    let mut out = std::collections::BTreeMap::new();
    for (k, v) in object(value)? {
        out.insert(K::from(k.as_str()), read(v).map_err(|e| e.at(k))?);
    }
    Ok(out)
}

/// A map whose values may be `null`.
pub fn sparse_map<K: Ord + for<'k> From<&'k str>, V>(
    value: &Value,
    mut read: impl FnMut(&Value) -> Result<V, InputError>,
) -> Result<std::collections::BTreeMap<K, Option<V>>, InputError> {
    map(value, |v| optional(v, &mut read))
}

/// The most a `file://` option value may hold.
pub const FILE_MAX_BYTES: u64 = 16 * 1024 * 1024;
/// How long reading a `file://` option value may take (a FIFO or `/dev/stdin` fed by a slow writer).
pub const FILE_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The text of an option value: the value itself, or the contents of the file a `file://` value
/// names (as the AWS CLI allows for every parameter), at most [`FILE_MAX_BYTES`].
pub fn option_text(raw: &str) -> Result<String, InputError> {
    match raw.strip_prefix("file://") {
        None => Ok(raw.to_string()),
        Some(path) => {
            let limits = Limits { max_bytes: FILE_MAX_BYTES, time: FILE_TIME_LIMIT };
            read_text(Path::new(path), limits)
                .map_err(|e| InputError::new(format!("cannot read the file `{path}`: {e}")))
        }
    }
}

/// A structure, list or map option: JSON when it starts with `{` or `[`, else shorthand syntax.
pub fn option_value(raw: &str) -> Result<(Value, Source), InputError> {
    let text = option_text(raw)?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let value = serde_json::from_str(trimmed).map_err(|e| InputError::new(format!("invalid JSON: {e}")))?;
        Ok((value, Source::Json))
    } else {
        let value = super::cli_shorthand::parse(&text).map_err(|e| InputError::new(e.to_string()))?;
        Ok((value, Source::Text))
    }
}

/// A list option given as several command-line values (`--names a b c`), or as one JSON array.
/// `composite` says whether the elements are structures, lists or maps (JSON or shorthand each).
pub fn option_list(raws: &[&str], composite: bool) -> Result<(Value, Source), InputError> {
    if let [one] = raws {
        let text = option_text(one)?;
        if text.trim_start().starts_with('[') {
            let value =
                serde_json::from_str(text.trim_start()).map_err(|e| InputError::new(format!("invalid JSON: {e}")))?;
            return Ok((value, Source::Json));
        }
    }
    let mut items = Vec::with_capacity(raws.len());
    for (i, raw) in raws.iter().enumerate() {
        // Elements are read leniently (Text), which also accepts the JSON ones as they are.
        let item = if composite { option_value(raw).map(|(v, _)| v) } else { option_text(raw).map(Value::String) };
        items.push(item.map_err(|e| e.at_index(i))?);
    }
    Ok((Value::Array(items), Source::Text))
}

/// A whole-input document given to `--cli-input-json` (`yaml` false) or `--cli-input-yaml`.
pub fn document(raw: &str, yaml: bool) -> Result<Value, InputError> {
    let text = option_text(raw)?;
    let value: Value = if yaml {
        check_flow_nesting(&text)?;
        serde_norway::from_str(&text).map_err(|e| InputError::new(format!("invalid YAML: {e}")))?
    } else {
        serde_json::from_str(&text).map_err(|e| InputError::new(format!("invalid JSON: {e}")))?
    };
    match value {
        Value::Object(_) => Ok(value),
        other => Err(InputError::new(format!(
            "expected a {} object of input members, got {}",
            if yaml { "YAML" } else { "JSON" },
            describe(&other)
        ))),
    }
}

/// Refuses YAML whose flow collections (`[...]`, `{...}`) nest more than [`MAX_NESTING`] deep
/// before the YAML parser sees it: its tokenizer takes time that grows with the square of that depth
/// (block collections, nested by indentation, cost it no more than their length). Brackets inside
/// quoted scalars and comments do not count; one that this scan counts but YAML reads as text can
/// only make the count too high, never too low.
fn check_flow_nesting(text: &str) -> Result<(), InputError> {
    enum Scan {
        Plain,
        Double,
        Single,
        Comment,
    }
    let mut scan = Scan::Plain;
    let mut depth = 0usize;
    let mut line = 1;
    // Inside double quotes: whether the previous character was an unescaped backslash.
    let mut escaped = false;
    // Whether the previous character lets a quoted scalar or a comment start here.
    let mut at_token_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match scan {
            Scan::Double if escaped => escaped = false,
            Scan::Double => match c {
                '\\' => escaped = true,
                '"' => scan = Scan::Plain,
                _ => {}
            },
            Scan::Single if c == '\'' => {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    scan = Scan::Plain;
                }
            }
            Scan::Single => {}
            Scan::Comment if c == '\n' => scan = Scan::Plain,
            Scan::Comment => {}
            Scan::Plain => match c {
                '"' if at_token_start => scan = Scan::Double,
                '\'' if at_token_start => scan = Scan::Single,
                '#' if at_token_start => scan = Scan::Comment,
                '[' | '{' => {
                    depth += 1;
                    // The document's own top-level mapping is the first level.
                    if depth >= MAX_NESTING {
                        return Err(InputError::new(format!(
                            "invalid YAML: values nest more than {MAX_NESTING} deep at line {line}"
                        )));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        at_token_start = c.is_whitespace() || matches!(c, '[' | '{' | ',');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_carry_the_member_path() {
        let err = InputError::new("bad").at("name").at_index(2).at("items").at("outer");
        assert_eq!(err.path(), "outer.items[2].name");
        assert_eq!(err.to_string(), "outer.items[2].name: bad");
        assert_eq!(InputError::new("bad").to_string(), "bad");
    }

    #[test]
    fn scalars_from_json_must_have_their_json_type() {
        assert_eq!(integer::<i32>(&json!(42), Source::Json), Ok(42));
        assert!(integer::<i32>(&json!("42"), Source::Json).unwrap_err().message().contains("got a string"));
        assert_eq!(integer::<i32>(&json!("42"), Source::Text), Ok(42));
        assert!(integer::<i8>(&json!(300), Source::Json).unwrap_err().message().contains("from -128 to 127"));
        assert!(integer::<i32>(&json!("4x"), Source::Text).unwrap_err().message().contains("whole number"));
        assert!(integer::<i32>(&json!(1.5), Source::Json).unwrap_err().message().contains("fraction"));
        assert_eq!(boolean(&json!("TRUE"), Source::Text), Ok(true));
        assert!(boolean(&json!("true"), Source::Json).is_err());
        assert_eq!(float(&json!("1.5"), Source::Text), Ok(1.5));
        assert!(float(&json!("1.5"), Source::Json).is_err());
        assert!(string(&json!(["a", "b"])).unwrap_err().message().contains("quote"));
    }

    #[test]
    fn text_lists_accept_a_single_value() {
        let read = |v: &Value| string(v);
        assert_eq!(list(&json!("a"), Source::Text, read), Ok(vec!["a".to_string()]));
        assert!(list(&json!("a"), Source::Json, read).is_err());
        let err = list(&json!(["a", 1]), Source::Json, read).unwrap_err();
        assert_eq!(err.path(), "[1]");
    }

    #[test]
    fn option_values_are_json_or_shorthand() {
        assert_eq!(option_value(r#" {"a": 1}"#), Ok((json!({"a": 1}), Source::Json)));
        assert_eq!(option_value("a=1"), Ok((json!({"a": "1"}), Source::Text)));
        assert!(option_value("{\"a\": ").unwrap_err().message().starts_with("invalid JSON"));
        assert_eq!(option_list(&["a", "b"], false), Ok((json!(["a", "b"]), Source::Text)));
        assert_eq!(option_list(&["[1, 2]"], false), Ok((json!([1, 2]), Source::Json)));
    }

    #[test]
    fn documents_must_be_objects() {
        assert_eq!(document(r#"{"jobId": "j"}"#, false), Ok(json!({"jobId": "j"})));
        assert_eq!(document("jobId: j\nn: 3\n", true), Ok(json!({"jobId": "j", "n": 3})));
        assert!(document("[1]", false).unwrap_err().message().contains("got a list"));
        assert!(document("jobId: [", true).unwrap_err().message().starts_with("invalid YAML"));
        let missing = document("file:///nonexistent/input.json", false).unwrap_err();
        assert!(missing.message().contains("cannot read the file"), "{missing}");
    }

    #[test]
    fn deeply_nested_documents_are_refused_before_parsing() {
        let flow = |depth: usize, open: &str, close: &str| format!("a: {}1{}", open.repeat(depth), close.repeat(depth));
        let limit = format!("nest more than {MAX_NESTING} deep");
        // The YAML tokenizer needs minutes for these; the scan refuses them first.
        for (open, close) in [("[", "]"), ("{k: ", "}"), ("[{k: ", "}]")] {
            let error = document(&flow(100_000, open, close), true).unwrap_err();
            assert!(error.message().contains(&limit), "{error}");
        }
        // The top-level mapping is the first level.
        assert!(document(&flow(MAX_NESTING - 1, "[", "]"), true).is_ok());
        assert!(document(&flow(MAX_NESTING, "[", "]"), true).unwrap_err().message().contains(&limit));
        // Brackets in quoted text and comments are no nesting.
        let quoted = format!("a: \"{0}\"\nb: '{0}'\nc: [\"]]\", 'it''s ]', x] # {0}\n", "[".repeat(200));
        assert_eq!(
            document(&quoted, true).unwrap(),
            json!({"a": "[".repeat(200), "b": "[".repeat(200), "c": ["]]", "it's ]", "x"]})
        );
        // A closing bracket inside quotes does not hide the next level from the count.
        let disguised = format!("a: {}1", "[ \"]\", ".repeat(10_000));
        assert!(document(&disguised, true).unwrap_err().message().contains(&limit));
        // JSON documents and shorthand values have the same limit.
        let json = format!("{{\"a\": {}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(document(&json, false).unwrap_err().message().contains("recursion limit"));
        let shorthand = format!("a={}x{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(option_value(&shorthand).unwrap_err().message().contains(&limit));
    }

    #[cfg(unix)]
    #[test]
    fn file_values_are_read_with_a_size_limit() {
        let error = option_text("file:///dev/zero").unwrap_err();
        assert!(error.message().contains(&format!("limit of {FILE_MAX_BYTES} bytes")), "{error}");
        let deep = std::env::temp_dir().join(format!("runtime-cli-deep-{}.txt", std::process::id()));
        std::fs::write(&deep, format!("a={}x{}", "{k=".repeat(100_000), "}".repeat(100_000))).unwrap();
        let error = option_value(&format!("file://{}", deep.display())).unwrap_err();
        std::fs::remove_file(&deep).unwrap();
        assert!(error.message().contains(&format!("nest more than {MAX_NESTING} deep")), "{error}");
    }

    #[test]
    fn unions_take_exactly_one_member() {
        assert_eq!(union_member(&json!({"a": 1, "b": null})).unwrap().0, "a");
        assert!(union_member(&json!({})).unwrap_err().message().contains("none"));
        assert!(union_member(&json!({"a": 1, "b": 2})).unwrap_err().message().contains("`a`, `b`"));
    }
}
