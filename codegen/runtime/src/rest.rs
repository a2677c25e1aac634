//! The HTTP bindings of restJson1: members carried in the URI path, the query string and headers
//! rather than the JSON body, in both directions, and the error type and empty body rules of the
//! protocol's responses.
//!
//! Requests build their URI with [`UriBuilder`] and their header texts with the `fmt_*` and `join_*`
//! functions; responses read headers with the `header_*` functions, which name the header in every
//! error, and their body's members with [`read_body`].

use std::ops::Range;
use std::str::FromStr;

use base64::Engine as _;
use serde_json::Value;

use super::datetime::DateTime;
use super::error::ErrorMetadata;
use super::json::{DeserializeError, JsonReader};
use super::json_time::Format;

/// The headers of a response, as generated readers name them.
pub use http::HeaderMap;

/// Whether `byte` is one of RFC 3986's unreserved characters, the only ones a label or query text
/// keeps as they are.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Appends `value` to `out`, percent-encoding every byte of its UTF-8 form except the unreserved
/// characters (and `/` when `keep_slash`).
fn push_encoded(out: &mut String, value: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Runs of characters kept as they are (most values are one run) are copied whole.
    let mut run_start = 0;
    for (at, &byte) in value.as_bytes().iter().enumerate() {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            continue;
        }
        // A non-empty run is ASCII and ends before `at`, so both ends are character boundaries.
        if run_start < at {
            out.push_str(&value[run_start..at]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        run_start = at + 1;
    }
    if run_start < value.len() {
        out.push_str(&value[run_start..]);
    }
}

/// `value` percent-encoded for a URI label: everything but unreserved characters, `/` included.
pub fn encode_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_encoded(&mut out, value, false);
    out
}

/// `value` percent-encoded for a greedy label (`{key+}`): as [`encode_label`], but `/` stays, so the
/// value spans path segments.
pub fn encode_greedy_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_encoded(&mut out, value, true);
    out
}

/// `value` percent-encoded for a query string key or value (the same set as [`encode_label`]).
pub fn encode_query(value: &str) -> String {
    encode_label(value)
}

/// The path and query string of a request, built in one buffer from the `@http` URI pattern's
/// literal parts and the input's label and query members.
#[derive(Debug, Clone, Default)]
pub struct UriBuilder {
    uri: String,
    has_query: bool,
    /// Where in `uri` the (encoded) keys that `@httpQuery` members set are, which `@httpQueryParams`
    /// entries must not repeat: positions rather than copies, so a query member costs no allocation.
    bound_keys: Vec<Range<usize>>,
}

impl UriBuilder {
    /// An empty URI.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty URI with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        UriBuilder { uri: String::with_capacity(capacity), has_query: false, bound_keys: Vec::new() }
    }

    /// Appends literal text of the path (the pattern between its labels), as it is.
    pub fn push_literal(&mut self, text: &str) {
        self.uri.push_str(text);
    }

    /// Appends a label's value, percent-encoded ([`encode_label`]).
    pub fn push_label(&mut self, value: &str) {
        push_encoded(&mut self.uri, value, false);
    }

    /// Appends a greedy label's value, percent-encoded but keeping `/` ([`encode_greedy_label`]).
    pub fn push_greedy_label(&mut self, value: &str) {
        push_encoded(&mut self.uri, value, true);
    }

    /// Appends the constant query of the `@http` URI pattern (`a=b&c`, without the `?`), as the model
    /// wrote it. Call it after the path and before any query member.
    pub fn push_constant_query(&mut self, query: &str) {
        if query.is_empty() {
            return;
        }
        self.start_query_part();
        self.uri.push_str(query);
    }

    /// Appends `key=value` for an `@httpQuery` member (once per item for a list), both
    /// percent-encoded. Later [`UriBuilder::push_query_param`] calls with the same key are dropped.
    pub fn push_query(&mut self, key: &str, value: &str) {
        self.start_query_part();
        let key_start = self.uri.len();
        push_encoded(&mut self.uri, key, false);
        let key_range = key_start..self.uri.len();
        if !self.is_bound(&self.uri[key_range.clone()]) {
            self.bound_keys.push(key_range);
        }
        self.uri.push('=');
        push_encoded(&mut self.uri, value, false);
    }

    /// Appends `key=value` for an entry of an `@httpQueryParams` map, unless an `@httpQuery` member
    /// already set `key`: the member wins, as the spec says.
    pub fn push_query_param(&mut self, key: &str, value: &str) {
        // Bound keys are held encoded; encoding is one-to-one, so comparing encoded keys compares keys.
        let bound = if key.bytes().all(is_unreserved) { self.is_bound(key) } else { self.is_bound(&encode_query(key)) };
        if bound {
            return;
        }
        self.start_query_part();
        push_encoded(&mut self.uri, key, false);
        self.uri.push('=');
        push_encoded(&mut self.uri, value, false);
    }

    /// Whether an `@httpQuery` member set the key that encodes to `encoded_key`.
    fn is_bound(&self, encoded_key: &str) -> bool {
        self.bound_keys.iter().any(|range| self.uri.get(range.clone()) == Some(encoded_key))
    }

    fn start_query_part(&mut self) {
        self.uri.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
    }

    /// The path and query: `/path?query`, or `/path` when there is no query.
    pub fn finish(self) -> String {
        self.uri
    }
}

/// Appends one item of a header list to `out`, quoted when it holds a comma or a double quote (with
/// `"` and `\` escaped by a backslash), so that [`split_header_list`] reads it back whole.
fn push_header_item(out: &mut String, item: &str) {
    if item.contains([',', '"']) {
        out.push('"');
        for c in item.chars() {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(item);
    }
}

/// The header text of a list: its items joined by `", "`, an item holding a comma or a double quote
/// quoted.
pub fn join_header_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        push_header_item(&mut out, item.as_ref());
    }
    out
}

/// The header text of a list of timestamps, joined by `", "`. HTTP dates are not quoted, though they
/// hold a comma: readers split such lists at every second comma ([`header_timestamp_list`]).
pub fn join_header_timestamps(items: &[DateTime], format: Format) -> String {
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        out.push_str(&fmt_timestamp(item, format));
    }
    out
}

/// A timestamp as the text of a header, label or query value in `format`.
pub fn fmt_timestamp(value: &DateTime, format: Format) -> String {
    match format {
        Format::EpochSeconds => value.fmt_epoch_seconds(),
        Format::DateTime => value.fmt_date_time(),
        Format::HttpDate => value.fmt_http_date(),
    }
}

/// A float as the text of a header, label or query value: `NaN`, `Infinity` and `-Infinity` for the
/// values JSON numbers cannot hold, else the shortest text that reads back as the same value.
pub fn fmt_float(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        Value::from(value).to_string()
    }
}

/// The header text of a `@mediaType` string: its UTF-8 bytes in base64 (standard alphabet, padded),
/// since the value (a JSON document, say) may hold what a header cannot.
pub fn encode_media_type(value: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(value)
}

/// Parses `true` or `false`.
pub fn parse_bool(text: &str) -> Result<bool, DeserializeError> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(DeserializeError::new(format!("expected `true` or `false`, found `{text}`"))),
    }
}

/// Parses an integer that fits `T`.
pub fn parse_integer<T: FromStr>(text: &str) -> Result<T, DeserializeError> {
    text.parse().map_err(|_| {
        DeserializeError::new(format!("expected an integer of {}, found `{text}`", std::any::type_name::<T>()))
    })
}

/// Parses a float: a decimal number, or `NaN`, `Infinity` or `-Infinity` (and no other spelling of
/// them, such as Rust's `inf`).
pub fn parse_float(text: &str) -> Result<f64, DeserializeError> {
    match text {
        "NaN" => return Ok(f64::NAN),
        "Infinity" => return Ok(f64::INFINITY),
        "-Infinity" => return Ok(f64::NEG_INFINITY),
        _ => {}
    }
    let numeric =
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    numeric
        .then(|| text.parse().ok())
        .flatten()
        .ok_or_else(|| DeserializeError::new(format!("expected a number, found `{text}`")))
}

/// The text itself, as an owned string (for lists of strings and enums).
pub fn parse_string(text: &str) -> Result<String, DeserializeError> {
    Ok(text.to_owned())
}

/// Parses a timestamp written in `format` (epoch seconds as decimal text).
pub fn parse_timestamp(text: &str, format: Format) -> Result<DateTime, DeserializeError> {
    let parsed = match format {
        Format::EpochSeconds => DateTime::parse_epoch_seconds(text),
        Format::DateTime => DateTime::parse_date_time(text),
        Format::HttpDate => DateTime::parse_http_date(text),
    };
    parsed.map_err(|e| DeserializeError::new(format!("invalid timestamp `{text}`: {e}")))
}

/// Decodes base64 text (a blob in a header); padding may be left out.
pub fn parse_base64(text: &str) -> Result<Vec<u8>, DeserializeError> {
    base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT
        .decode(text.trim())
        .map_err(|e| DeserializeError::new(format!("invalid base64: {e}")))
}

/// Decodes a `@mediaType` string header's base64 text to the string it carries.
pub fn decode_media_type(text: &str) -> Result<String, DeserializeError> {
    let bytes = parse_base64(text)?;
    String::from_utf8(bytes).map_err(|_| DeserializeError::new("the decoded value is not UTF-8 text"))
}

/// The text of a string `@httpPayload`: the body as UTF-8.
pub fn payload_text(body: &[u8]) -> Result<String, DeserializeError> {
    String::from_utf8(body.to_vec()).map_err(|_| DeserializeError::new("the body is not UTF-8 text"))
}

/// Splits a header list into its items: at commas outside double quotes, each item trimmed of
/// spaces and tabs, and a quoted item unquoted (`\"` and `\\` read as `"` and `\`). A value that is
/// empty or only whitespace is an empty list.
pub fn split_header_list(value: &str) -> Result<Vec<String>, DeserializeError> {
    let mut items = Vec::new();
    if value.trim_matches([' ', '\t']).is_empty() {
        return Ok(items);
    }
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        let item;
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((index, c)) = chars.next() {
                match c {
                    '"' => {
                        end = Some(index + 1);
                        break;
                    }
                    '\\' => match chars.next() {
                        Some((_, escaped)) => text.push(escaped),
                        None => break,
                    },
                    c => text.push(c),
                }
            }
            let end = end.ok_or_else(|| DeserializeError::new(format!("unterminated quoted item in `{value}`")))?;
            rest = quoted[end..].trim_start_matches([' ', '\t']);
            if !(rest.is_empty() || rest.starts_with(',')) {
                return Err(DeserializeError::new(format!("text after a quoted item in `{value}`")));
            }
            item = text;
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            item = rest[..end].trim_end_matches([' ', '\t']).to_owned();
            rest = &rest[end..];
        }
        items.push(item);
        match rest.strip_prefix(',') {
            Some(after) => rest = after,
            None => return Ok(items),
        }
    }
}

/// Splits a header list of HTTP dates, which are not quoted though each holds a comma
/// (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 ...`): at every second comma.
fn split_http_date_list(value: &str) -> Result<Vec<&str>, DeserializeError> {
    let mut dates = Vec::new();
    if value.trim_matches([' ', '\t']).is_empty() {
        return Ok(dates);
    }
    let mut start = 0;
    // The comma inside a date (after its weekday) is odd, the comma between two dates even.
    for (index, (position, _)) in value.match_indices(',').enumerate() {
        if index % 2 == 1 {
            dates.push(value[start..position].trim_matches([' ', '\t']));
            start = position + 1;
        }
    }
    let last = &value[start..];
    if !last.contains(',') {
        return Err(DeserializeError::new(format!("`{value}` is not a list of HTTP dates")));
    }
    dates.push(last.trim_matches([' ', '\t']));
    Ok(dates)
}

/// The header's values, all of them, as text; an error names the header when one is not UTF-8.
fn header_texts<'a>(headers: &'a http::HeaderMap, name: &str) -> Result<Vec<&'a str>, DeserializeError> {
    headers
        .get_all(name)
        .iter()
        .map(|value| {
            std::str::from_utf8(value.as_bytes())
                .map_err(|_| DeserializeError::new(format!("header `{name}` is not UTF-8 text")))
        })
        .collect()
}

fn in_header(name: &str, error: DeserializeError) -> DeserializeError {
    DeserializeError::new(format!("header `{name}`: {error}"))
}

/// The header's single value with surrounding whitespace trimmed, `None` when absent; a header sent
/// more than once is an error, since a single value cannot hold both.
fn header_text<'a>(headers: &'a http::HeaderMap, name: &str) -> Result<Option<&'a str>, DeserializeError> {
    let texts = header_texts(headers, name)?;
    match texts.as_slice() {
        [] => Ok(None),
        [text] => Ok(Some(text.trim_matches([' ', '\t']))),
        _ => Err(DeserializeError::new(format!("header `{name}` is sent {} times for a single value", texts.len()))),
    }
}

fn header_parsed<T>(
    headers: &http::HeaderMap,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match header_text(headers, name)? {
        None => Ok(None),
        Some(text) => parse(text).map(Some).map_err(|e| in_header(name, e)),
    }
}

/// A string header (also an enum's value), `None` when absent.
pub fn header_string(headers: &http::HeaderMap, name: &str) -> Result<Option<String>, DeserializeError> {
    header_parsed(headers, name, parse_string)
}

/// A boolean header (`true` or `false`).
pub fn header_bool(headers: &http::HeaderMap, name: &str) -> Result<Option<bool>, DeserializeError> {
    header_parsed(headers, name, parse_bool)
}

/// An integer header that fits `T`.
pub fn header_integer<T: FromStr>(headers: &http::HeaderMap, name: &str) -> Result<Option<T>, DeserializeError> {
    header_parsed(headers, name, parse_integer)
}

/// A float header (`NaN`, `Infinity` and `-Infinity` included).
pub fn header_float(headers: &http::HeaderMap, name: &str) -> Result<Option<f64>, DeserializeError> {
    header_parsed(headers, name, parse_float)
}

/// A timestamp header in `format` (`HttpDate` unless the member says otherwise).
pub fn header_timestamp(
    headers: &http::HeaderMap,
    name: &str,
    format: Format,
) -> Result<Option<DateTime>, DeserializeError> {
    header_parsed(headers, name, |text| parse_timestamp(text, format))
}

/// A `@mediaType` string header, decoded from base64.
pub fn header_media_type(headers: &http::HeaderMap, name: &str) -> Result<Option<String>, DeserializeError> {
    header_parsed(headers, name, decode_media_type)
}

/// A blob header: base64 text, decoded.
pub fn header_base64(headers: &http::HeaderMap, name: &str) -> Result<Option<Vec<u8>>, DeserializeError> {
    header_parsed(headers, name, parse_base64)
}

/// A list header: the items of every occurrence of the header, in order ([`split_header_list`]),
/// each read with `parse`. `None` when the header is absent.
pub fn header_list<T>(
    headers: &http::HeaderMap,
    name: &str,
    parse: fn(&str) -> Result<T, DeserializeError>,
) -> Result<Option<Vec<T>>, DeserializeError> {
    let texts = header_texts(headers, name)?;
    if texts.is_empty() {
        return Ok(None);
    }
    let mut items = Vec::new();
    for text in texts {
        for item in split_header_list(text).map_err(|e| in_header(name, e))? {
            items.push(parse(&item).map_err(|e| in_header(name, e))?);
        }
    }
    Ok(Some(items))
}

/// A list header of timestamps in `format`; HTTP dates, which hold commas unquoted, are split at every
/// second comma.
pub fn header_timestamp_list(
    headers: &http::HeaderMap,
    name: &str,
    format: Format,
) -> Result<Option<Vec<DateTime>>, DeserializeError> {
    let texts = header_texts(headers, name)?;
    if texts.is_empty() {
        return Ok(None);
    }
    let mut items = Vec::new();
    for text in texts {
        let parts = match format {
            Format::HttpDate => split_http_date_list(text).map_err(|e| in_header(name, e))?,
            _ => text.split(',').map(|part| part.trim_matches([' ', '\t'])).filter(|part| !part.is_empty()).collect(),
        };
        for part in parts {
            items.push(parse_timestamp(part, format).map_err(|e| in_header(name, e))?);
        }
    }
    Ok(Some(items))
}

/// The headers whose names start with `prefix` (`@httpPrefixHeaders`), keyed by the rest of their
/// (lower-case) names; an empty prefix takes every header. A header sent more than once keeps its
/// values joined by `", "`.
pub fn prefix_headers<M: FromIterator<(String, String)>>(
    headers: &http::HeaderMap,
    prefix: &str,
) -> Result<M, DeserializeError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut entries: Vec<(String, String)> = Vec::new();
    for name in headers.keys() {
        let Some(key) = name.as_str().strip_prefix(prefix.as_str()) else {
            continue;
        };
        let texts = header_texts(headers, name.as_str())?;
        let joined = texts.iter().map(|t| t.trim_matches([' ', '\t'])).collect::<Vec<_>>().join(", ");
        entries.push((key.to_owned(), joined));
    }
    Ok(entries.into_iter().collect())
}

/// Reads a response body that holds the output's body members, each with `member` (as
/// [`json::object`](super::json::object) does): an empty body (or only whitespace) reads as `{}`;
/// anything else must be a JSON object.
pub fn read_body<'a>(
    body: &'a [u8],
    member: impl FnMut(&mut JsonReader<'a>, &str) -> Result<(), DeserializeError>,
) -> Result<(), DeserializeError> {
    super::json::read_body(body, |reader| super::json::object(reader, member))
}

/// Reads a restJson1 error response: its metadata (the code, message, status and request ID, read as
/// awsJson's are, by [`error_metadata`](super::error::error_metadata)), and the body its error reader
/// reads: the body itself when it is a JSON object, else `{}`, so the header's type still finds the
/// modeled error.
pub fn error_metadata<'a>(status: u16, headers: &http::HeaderMap, body: &'a [u8]) -> (ErrorMetadata, &'a [u8]) {
    match super::json::parse(body) {
        // An empty body parses as `{}` too, and is handed on as that.
        Ok(parsed @ Value::Object(_)) if !body.iter().all(u8::is_ascii_whitespace) => {
            (super::error::error_metadata(status, headers, Some(&parsed)), body)
        }
        _ => (super::error::error_metadata(status, headers, None), b"{}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                http::HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn date(text: &str) -> DateTime {
        DateTime::parse_date_time(text).unwrap()
    }

    #[test]
    fn labels_encode_everything_but_unreserved_characters() {
        assert_eq!(encode_label("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_label("a b/c?d#e&f=g+h%i:j@k"), "a%20b%2Fc%3Fd%23e%26f%3Dg%2Bh%25i%3Aj%40k");
        assert_eq!(encode_label("!$'()*,;[]"), "%21%24%27%28%29%2A%2C%3B%5B%5D");
        // Multi-byte characters are encoded byte by byte, in upper-case hex.
        assert_eq!(encode_label("é😹"), "%C3%A9%F0%9F%98%B9");
        assert_eq!(encode_label(""), "");
        // Runs kept as they are, between and around encoded bytes.
        assert_eq!(encode_label("ab é cd/"), "ab%20%C3%A9%20cd%2F");
        assert_eq!(encode_label("é"), "%C3%A9");
    }

    #[test]
    fn greedy_labels_keep_slashes_and_encode_the_rest() {
        assert_eq!(encode_greedy_label("there/guy"), "there/guy");
        assert_eq!(encode_greedy_label("a b/c%d//e"), "a%20b/c%25d//e");
        assert_eq!(encode_greedy_label("..."), "...");
    }

    #[test]
    fn the_uri_is_built_from_literals_labels_and_query_members() {
        let mut uri = UriBuilder::with_capacity(32);
        uri.push_literal("/HttpRequestWithLabels/");
        uri.push_label("a/b c");
        uri.push_literal("/");
        uri.push_greedy_label("x/y z");
        uri.push_query("Tag", "a&b");
        uri.push_query("Tag", "c=d");
        uri.push_query("time", &fmt_timestamp(&date("2019-12-16T23:48:18Z"), Format::DateTime));
        assert_eq!(
            uri.finish(),
            "/HttpRequestWithLabels/a%2Fb%20c/x/y%20z?Tag=a%26b&Tag=c%3Dd&time=2019-12-16T23%3A48%3A18Z"
        );
        // Without query members there is no `?`.
        let mut uri = UriBuilder::new();
        uri.push_literal("/path");
        assert_eq!(uri.finish(), "/path");
    }

    #[test]
    fn the_constant_query_comes_first_and_members_follow_it() {
        let mut uri = UriBuilder::new();
        uri.push_literal("/ConstantQueryString/");
        uri.push_label("hi");
        uri.push_constant_query("foo=bar&hello");
        uri.push_query("q", "1");
        assert_eq!(uri.finish(), "/ConstantQueryString/hi?foo=bar&hello&q=1");
        let mut uri = UriBuilder::new();
        uri.push_literal("/x");
        uri.push_constant_query("");
        uri.push_query("q", "1");
        assert_eq!(uri.finish(), "/x?q=1");
    }

    #[test]
    fn a_query_member_wins_over_the_query_params_map() {
        let mut uri = UriBuilder::new();
        uri.push_literal("/Precedence");
        uri.push_query("bar", "named");
        uri.push_query_param("bar", "from the map");
        uri.push_query_param("qux", "a");
        uri.push_query_param("qux", "b");
        uri.push_query_param("sp ace", "x y");
        assert_eq!(uri.finish(), "/Precedence?bar=named&qux=a&qux=b&sp%20ace=x%20y");
        // Keys that need encoding clash as themselves, not as a key that looks like their encoding.
        let mut uri = UriBuilder::new();
        uri.push_literal("/p");
        uri.push_query("a b", "1");
        uri.push_query_param("a b", "2");
        uri.push_query_param("a%20b", "3");
        uri.push_query_param("a", "4");
        assert_eq!(uri.finish(), "/p?a%20b=1&a%2520b=3&a=4");
    }

    #[test]
    fn header_lists_quote_items_with_commas_or_quotes() {
        assert_eq!(join_header_list(&["a", "b", "c"]), "a, b, c");
        assert_eq!(join_header_list(&["b,c", "\"def\"", "a"]), r#""b,c", "\"def\"", a"#);
        assert_eq!(join_header_list(&[r#"back\slash "q""#]), r#""back\\slash \"q\"""#);
        // A backslash alone needs no quoting.
        assert_eq!(join_header_list(&[r"a\b"]), r"a\b");
        assert_eq!(join_header_list::<&str>(&[]), "");
    }

    #[test]
    fn header_lists_read_back_what_was_joined() {
        for items in [
            vec!["a", "b", "c"],
            vec!["b,c", "\"def\"", "a"],
            vec![r#"back\slash "q""#, ",", ""],
            vec!["spaces inside", "x"],
        ] {
            let joined = join_header_list(&items);
            assert_eq!(split_header_list(&joined).unwrap(), items, "{joined}");
        }
    }

    #[test]
    fn header_lists_are_split_at_commas_outside_quotes() {
        assert_eq!(split_header_list("a, b,c ,\td").unwrap(), ["a", "b", "c", "d"]);
        assert_eq!(split_header_list(r#""b,c", "\"def\"", a"#).unwrap(), ["b,c", "\"def\"", "a"]);
        assert_eq!(split_header_list(r#"  "x" ,y"#).unwrap(), ["x", "y"]);
        assert_eq!(split_header_list("a,,b").unwrap(), ["a", "", "b"]);
        assert!(split_header_list("").unwrap().is_empty());
        assert!(split_header_list("  ").unwrap().is_empty());
        let error = split_header_list(r#""never closed, a"#).unwrap_err();
        assert!(error.to_string().contains("unterminated"), "{error}");
        let error = split_header_list(r#""a"b, c"#).unwrap_err();
        assert!(error.to_string().contains("after a quoted item"), "{error}");
        // A trailing backslash inside quotes leaves the item unterminated, not a panic.
        assert!(split_header_list("\"a\\").is_err());
    }

    #[test]
    fn http_dates_format_and_parse_as_imf_fixdate() {
        let value = DateTime::from_secs(1576540098);
        assert_eq!(fmt_timestamp(&value, Format::HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(fmt_timestamp(&value, Format::EpochSeconds), "1576540098");
        assert_eq!(fmt_timestamp(&value, Format::DateTime), "2019-12-16T23:48:18Z");
        assert_eq!(parse_timestamp("Mon, 16 Dec 2019 23:48:18 GMT", Format::HttpDate).unwrap(), value);
        assert_eq!(parse_timestamp("1576540098", Format::EpochSeconds).unwrap(), value);
        assert_eq!(parse_timestamp("2019-12-16T23:48:18Z", Format::DateTime).unwrap(), value);
        // The fraction a date-time carries is lost in an HTTP date, which has no place for it.
        let fractional = DateTime::from_secs_and_nanos(1576540098, 500_000_000);
        assert_eq!(fmt_timestamp(&fractional, Format::HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(fmt_timestamp(&fractional, Format::EpochSeconds), "1576540098.5");
        let error = parse_timestamp("Monday, 16-Dec-19 23:48:18 GMT", Format::HttpDate).unwrap_err();
        assert!(error.to_string().contains("Monday, 16-Dec-19"), "{error}");
    }

    #[test]
    fn timestamp_lists_in_headers_split_http_dates_at_every_second_comma() {
        let value = DateTime::from_secs(1576540098);
        let later = DateTime::from_secs(1576540098 + 86400);
        let joined = join_header_timestamps(&[value, later], Format::HttpDate);
        assert_eq!(joined, "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT");
        let map = headers(&[("X-TimestampList", &joined)]);
        assert_eq!(header_timestamp_list(&map, "x-timestamplist", Format::HttpDate).unwrap(), Some(vec![value, later]));
        // Several occurrences add up.
        let map = headers(&[("X-T", "Mon, 16 Dec 2019 23:48:18 GMT"), ("X-T", "Tue, 17 Dec 2019 23:48:18 GMT")]);
        assert_eq!(header_timestamp_list(&map, "x-t", Format::HttpDate).unwrap(), Some(vec![value, later]));
        // An odd number of commas cannot be a list of HTTP dates.
        let map = headers(&[("X-T", "Mon, 16 Dec 2019 23:48:18 GMT, Tue")]);
        let error = header_timestamp_list(&map, "x-t", Format::HttpDate).unwrap_err();
        assert!(error.to_string().contains("header `x-t`"), "{error}");
        // Other formats hold no commas.
        let map = headers(&[("X-E", "1576540098, 1576626498")]);
        assert_eq!(header_timestamp_list(&map, "x-e", Format::EpochSeconds).unwrap(), Some(vec![value, later]));
        assert_eq!(
            join_header_timestamps(&[value, later], Format::DateTime),
            "2019-12-16T23:48:18Z, 2019-12-17T23:48:18Z"
        );
        assert_eq!(header_timestamp_list(&headers(&[]), "x-e", Format::EpochSeconds).unwrap(), None);
    }

    #[test]
    fn scalar_headers_read_their_types_and_name_the_header_when_wrong() {
        let map = headers(&[
            ("X-String", " Hello "),
            ("X-Boolean1", "true"),
            ("X-Boolean2", "false"),
            ("X-Integer", "123"),
            ("X-Byte", "300"),
            ("X-Double", "1.1"),
            ("X-NaN", "NaN"),
            ("X-Inf", "Infinity"),
            ("X-NegInf", "-Infinity"),
            ("X-Rust-Inf", "inf"),
            ("X-Date", "Mon, 16 Dec 2019 23:48:18 GMT"),
        ]);
        assert_eq!(header_string(&map, "x-string").unwrap().as_deref(), Some("Hello"));
        assert_eq!(header_string(&map, "x-missing").unwrap(), None);
        assert_eq!(header_bool(&map, "x-boolean1").unwrap(), Some(true));
        assert_eq!(header_bool(&map, "x-boolean2").unwrap(), Some(false));
        assert!(header_bool(&map, "x-string").unwrap_err().to_string().contains("header `x-string`"));
        assert_eq!(header_integer::<i32>(&map, "x-integer").unwrap(), Some(123));
        let error = header_integer::<i8>(&map, "x-byte").unwrap_err();
        assert!(error.to_string().contains("header `x-byte`") && error.to_string().contains("`300`"), "{error}");
        assert_eq!(header_float(&map, "x-double").unwrap(), Some(1.1));
        assert!(header_float(&map, "x-nan").unwrap().unwrap().is_nan());
        assert_eq!(header_float(&map, "x-inf").unwrap(), Some(f64::INFINITY));
        assert_eq!(header_float(&map, "x-neginf").unwrap(), Some(f64::NEG_INFINITY));
        assert!(header_float(&map, "x-rust-inf").is_err());
        assert_eq!(header_timestamp(&map, "x-date", Format::HttpDate).unwrap(), Some(DateTime::from_secs(1576540098)));
        assert!(header_timestamp(&map, "x-date", Format::DateTime).is_err());
        // One value cannot hold two occurrences.
        let twice = headers(&[("X-Integer", "1"), ("X-Integer", "2")]);
        assert!(header_integer::<i32>(&twice, "x-integer").unwrap_err().to_string().contains("2 times"));
        // A value that is not UTF-8 is an error naming the header, not a panic.
        let mut binary = http::HeaderMap::new();
        binary.insert("x-bin", http::HeaderValue::from_bytes(b"\xff\xfe").unwrap());
        assert!(header_string(&binary, "x-bin").unwrap_err().to_string().contains("header `x-bin`"));
    }

    #[test]
    fn list_headers_parse_each_item() {
        let map = headers(&[
            ("X-StringList", "a, b, c"),
            ("X-Quoted", r#""b,c", "\"def\"", a"#),
            ("X-IntegerList", "1, 2, 3"),
            ("X-BooleanList", "true, false, true"),
            ("X-Repeated", "a, b"),
            ("X-Repeated", "c"),
        ]);
        assert_eq!(
            header_list(&map, "x-stringlist", parse_string).unwrap(),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(
            header_list(&map, "x-quoted", parse_string).unwrap(),
            Some(vec!["b,c".to_string(), "\"def\"".to_string(), "a".to_string()])
        );
        assert_eq!(header_list(&map, "x-integerlist", parse_integer::<i32>).unwrap(), Some(vec![1, 2, 3]));
        assert_eq!(header_list(&map, "x-booleanlist", parse_bool).unwrap(), Some(vec![true, false, true]));
        assert_eq!(header_list(&map, "x-repeated", parse_string).unwrap().unwrap(), ["a", "b", "c"]);
        assert_eq!(header_list(&map, "x-absent", parse_string).unwrap(), None);
        let error = header_list(&map, "x-stringlist", parse_integer::<i32>).unwrap_err();
        assert!(error.to_string().contains("header `x-stringlist`"), "{error}");
    }

    #[test]
    fn floats_round_trip_through_header_text() {
        assert_eq!(fmt_float(1.1), "1.1");
        assert_eq!(fmt_float(f64::NAN), "NaN");
        assert_eq!(fmt_float(f64::INFINITY), "Infinity");
        assert_eq!(fmt_float(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(fmt_float(-0.0), "-0.0");
        for value in [0.1, 1e300, -2.5e-300, 123456789.125, f64::MAX, f64::MIN_POSITIVE] {
            assert_eq!(parse_float(&fmt_float(value)).unwrap(), value);
        }
        for bad in ["", "nan", "inf", "infinity", "1.0x", "0x10", " 1"] {
            assert!(parse_float(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_bool("True").unwrap_err().to_string(), "expected `true` or `false`, found `True`");
    }

    #[test]
    fn media_type_headers_are_base64() {
        assert_eq!(encode_media_type("true"), "dHJ1ZQ==");
        assert_eq!(decode_media_type("dHJ1ZQ==").unwrap(), "true");
        assert_eq!(decode_media_type("dHJ1ZQ").unwrap(), "true");
        let map = headers(&[("X-Json", "dHJ1ZQ=="), ("X-Bad", "not base64!"), ("X-Binary", "/w==")]);
        assert_eq!(header_media_type(&map, "x-json").unwrap().as_deref(), Some("true"));
        assert!(header_media_type(&map, "x-bad").unwrap_err().to_string().contains("header `x-bad`: invalid base64"));
        assert!(header_media_type(&map, "x-binary").unwrap_err().to_string().contains("not UTF-8"));
        let json = r#"{"a": [1, "b\n"]}"#;
        assert_eq!(decode_media_type(&encode_media_type(json)).unwrap(), json);
    }

    #[test]
    fn blob_headers_are_base64_and_text_payloads_utf8() {
        let map = headers(&[("X-Blob", "AAEC/w=="), ("X-Bad", "%%")]);
        assert_eq!(header_base64(&map, "x-blob").unwrap(), Some(vec![0, 1, 2, 255]));
        assert!(header_base64(&map, "x-bad").unwrap_err().to_string().contains("header `x-bad`"));
        assert_eq!(header_base64(&map, "x-none").unwrap(), None);
        assert_eq!(payload_text(b"rawstring").unwrap(), "rawstring");
        assert_eq!(payload_text("é".as_bytes()).unwrap(), "é");
        assert!(payload_text(b"\xff").unwrap_err().to_string().contains("not UTF-8"));
    }

    #[test]
    fn prefix_headers_map_the_rest_of_each_name() {
        let map = headers(&[
            ("X-Foo", "Foo"),
            ("X-Foo-Abc", "Abc value"),
            ("X-Foo-Def", "Def value"),
            ("X-Foo-Def", "second"),
            ("Hello", "There"),
        ]);
        let prefixed: std::collections::BTreeMap<String, String> = prefix_headers(&map, "X-Foo-").unwrap();
        assert_eq!(
            prefixed.into_iter().collect::<Vec<_>>(),
            [("abc".to_string(), "Abc value".to_string()), ("def".to_string(), "Def value, second".to_string())]
        );
        // An empty prefix takes every header.
        let all: std::collections::BTreeMap<String, String> = prefix_headers(&map, "").unwrap();
        assert_eq!(all.keys().collect::<Vec<_>>(), ["hello", "x-foo", "x-foo-abc", "x-foo-def"]);
        let none: Vec<(String, String)> = prefix_headers(&map, "x-bar-").unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn empty_bodies_read_as_empty_objects() {
        let names = |body: &[u8]| {
            let mut names = Vec::new();
            read_body(body, |_, name| {
                names.push(name.to_owned());
                Ok(())
            })
            .map(|()| names)
        };
        assert_eq!(names(b"").unwrap(), Vec::<String>::new());
        assert_eq!(names(b" \n").unwrap(), Vec::<String>::new());
        assert_eq!(names(b"{}").unwrap(), Vec::<String>::new());
        assert_eq!(names(br#"{"a":1,"b":{"c":[]}}"#).unwrap(), ["a", "b"]);
        assert!(names(b"[]").unwrap_err().to_string().contains("expected an object, found an array"));
        assert!(names(b"{").is_err());
        assert!(names(b"{} {}").is_err());
    }

    #[test]
    fn the_error_type_comes_from_the_header_then_type_then_code() {
        let none = headers(&[]);
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("X-Amzn-Errortype", "FooError")], "{}"),
            (&[("X-Amzn-Errortype", "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/")], ""),
            (
                &[(
                    "X-Amzn-Errortype",
                    "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                )],
                "",
            ),
            (&[], r#"{"code": "FooError"}"#),
            (&[], r#"{"code": "aws.protocoltests.restjson#FooError"}"#),
            (
                &[],
                r#"{"code": "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#,
            ),
            (&[], r#"{"__type": "FooError"}"#),
            (&[], r#"{"__type": "aws.protocoltests.restjson#FooError"}"#),
            (
                &[],
                r#"{"__type": "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#,
            ),
            // The header wins over the body, and `__type` over `code`.
            (&[("X-Amzn-Errortype", "FooError")], r#"{"__type": "Other", "code": "Third"}"#),
            (&[], r#"{"code": "Third", "__type": "FooError"}"#),
            // A nested `__type` (a member of the error's own structure) is not the error's type.
            (&[], r#"{"code": "FooError", "nested": {"__type": "Nested"}}"#),
        ];
        for (pairs, body) in cases {
            let (meta, _) = error_metadata(400, &headers(pairs), body.as_bytes());
            assert_eq!(meta.code(), Some("FooError"), "{pairs:?} {body}");
        }
        let body = br#"{"nested": {"__type": "Nested"}, "Message": "hi"}"#;
        let (meta, error_body) = error_metadata(500, &none, body);
        assert_eq!((meta.code(), meta.message(), meta.status()), (None, Some("hi"), Some(500)));
        assert_eq!(error_body, body, "a JSON object is read by the error reader as it came");
        // A body that is not JSON, or empty, leaves the header's type and reads as `{}`.
        for body in [&b""[..], b"<html>oops</html>", b"[1]"] {
            let (meta, error_body) =
                error_metadata(503, &headers(&[("X-Amzn-Errortype", "Busy"), ("x-amzn-requestid", "r1")]), body);
            assert_eq!((meta.code(), meta.request_id()), (Some("Busy"), Some("r1")));
            assert_eq!(error_body, b"{}");
        }
        // A type that cleans down to nothing is no type.
        assert_eq!(error_metadata(400, &headers(&[("X-Amzn-Errortype", ":http://x")]), b"{}").0.code(), None);
        assert_eq!(error_metadata(400, &none, br#"{"__type": 5, "code": "Fallback"}"#).0.code(), Some("Fallback"));
    }
}
