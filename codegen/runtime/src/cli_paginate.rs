//! Pagination in the generated command-line tool, as the AWS CLI does it (botocore's `PageIterator`
//! and `build_full_result`): follow the pages, aggregate the items into one output, stop after
//! `--max-items` items with a `NextToken` to resume from, and start from `--starting-token`.
//!
//! What the AWS CLI prints for a paginated command is not the last page but a new object: the
//! aggregated result key (the model's `items` path, nested as the path nests) and, when
//! `--max-items` stopped early, `NextToken`. Other output members are left out, as the AWS CLI
//! leaves out every member its paginator does not name (a Smithy model names only the items).
//!
//! `NextToken` is the AWS CLI's own format, so a token from either tool resumes the other: the
//! base64 of the JSON text (as Python's `json.dumps` writes it) of an object holding the service's
//! token under the input token's member name and, when the stop fell inside a page, how many of
//! that page's items were already printed (`boto_truncate_amount`). A string token is held as a
//! string; a map token (DynamoDB's `ExclusiveStartKey`) as the JSON object the service sent, as
//! botocore holds it once parsed. A `--starting-token` that is not in this format is read as
//! botocore reads its older format (`token___count`, or a service token as it is), which holds
//! string tokens only.
//!
//! One difference: where botocore fails with "The same next token was received twice", the pages
//! end there, as the client's paginators end them (see `Pager::page`).

use base64::Engine as _;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::value::RawValue;
use serde_json::Value;

use super::cli_app::Failure;

/// `--starting-token`.
pub const STARTING_TOKEN: &str = "starting-token";
/// `--page-size`.
pub const PAGE_SIZE: &str = "page-size";
/// `--max-items`.
pub const MAX_ITEMS: &str = "max-items";
/// `--no-paginate`.
pub const NO_PAGINATE: &str = "no-paginate";

/// The key of the resume token that counts the items of its page already printed.
const TRUNCATE_KEY: &str = "boto_truncate_amount";
/// The key of the resume token that lists where botocore base64-encoded binary values of a map token
/// (the paths of blob members). Those values are base64 text in this tool's JSON already, so the
/// list is read and dropped.
const ENCODED_KEYS_KEY: &str = "boto_encoded_keys";

/// Adds the paging options named in `options` (some of [`STARTING_TOKEN`], [`PAGE_SIZE`],
/// [`MAX_ITEMS`], [`NO_PAGINATE`]) to a paginated operation's command. The generator leaves out an
/// option whose name one of the operation's own members already uses.
pub fn with_paging_options(mut command: Command, options: &[&str]) -> Command {
    for &option in options {
        let arg = match option {
            STARTING_TOKEN => Arg::new(STARTING_TOKEN)
                .long(STARTING_TOKEN)
                .value_name("token")
                .help("Start where an earlier command stopped: the NextToken it printed (or a token of the service)"),
            PAGE_SIZE => Arg::new(PAGE_SIZE).long(PAGE_SIZE).value_name("size").help(
                "Ask the service for pages of at most this many items (more, smaller calls; the output is the same)",
            ),
            MAX_ITEMS => Arg::new(MAX_ITEMS)
                .long(MAX_ITEMS)
                .value_name("count")
                .value_parser(clap::value_parser!(u64))
                .help("Print at most this many items, and a NextToken to resume from when there are more"),
            NO_PAGINATE => Arg::new(NO_PAGINATE)
                .long(NO_PAGINATE)
                .action(ArgAction::SetTrue)
                .help("Make one call and print its whole output, instead of following the pages"),
            _ => continue,
        };
        command = command.arg(arg.help_heading("Pagination"));
    }
    command
}

/// Whether the command line gave `--page-size`: a constraint the page size breaks is then reported
/// under that option rather than the page size member's own.
pub fn page_size_given(matches: &ArgMatches) -> bool {
    given(matches, PAGE_SIZE)
}

/// Whether the command line gave option `id` (a default value does not count).
fn given(matches: &ArgMatches, id: &str) -> bool {
    matches.try_contains_id(id).unwrap_or(false) && matches.value_source(id).is_some()
}

/// How a paginated command runs, from its command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// `--max-items`.
    pub max_items: Option<u64>,
    /// `--starting-token`, as given.
    pub starting_token: Option<String>,
}

/// Whether to paginate, and how. `None` means one call, printed whole: `--no-paginate`, or the
/// command line set the input token or page size member itself (`manual`, the IDs of those
/// members' options), which turns pagination off as in the AWS CLI. Paging options beside either
/// are an error, with the AWS CLI's message and exit code (255).
pub fn paging(matches: &ArgMatches, manual: &[&str]) -> Result<Option<Paging>, Failure> {
    let given = |id: &str| given(matches, id);
    let no_paginate = matches.try_get_one::<bool>(NO_PAGINATE).ok().flatten().copied().unwrap_or(false);
    let manual = manual.iter().any(|id| given(id));
    if no_paginate || manual {
        let used: Vec<String> =
            [STARTING_TOKEN, PAGE_SIZE, MAX_ITEMS].iter().filter(|id| given(id)).map(|id| format!("--{id}")).collect();
        if !used.is_empty() {
            // The AWS CLI's words and exit code (255: botocore raises it as a pagination error).
            return Err(Failure::Other(format!(
                "Error during pagination: Cannot specify --no-paginate along with pagination arguments: {}",
                used.join(", ")
            )));
        }
        return Ok(None);
    }
    Ok(Some(Paging {
        max_items: matches.try_get_one::<u64>(MAX_ITEMS).ok().flatten().copied(),
        starting_token: matches.try_get_one::<String>(STARTING_TOKEN).ok().flatten().cloned(),
    }))
}

/// What a paginated operation's trait says, in wire names: the generated command's constant.
#[derive(Debug, Clone, Copy)]
pub struct Pagination {
    /// The input member that carries the page token.
    pub input_token: &'static str,
    /// Whether the token is a string or a map.
    pub token: TokenKind,
    /// Where the output holds the next page's token.
    pub output_token: &'static [&'static str],
    /// Where the output holds the page's items (a list).
    pub items: &'static [&'static str],
    /// For a map token whose values may hold blobs (DynamoDB's `B` and `BS`): the paths below the
    /// token (member names and list indexes) of the blob values in a token, base64 text in its JSON.
    /// botocore lists them in its resume tokens (`boto_encoded_keys`) to turn them back into bytes.
    pub blob_paths: Option<BlobPaths>,
}

/// Lists the paths (member names and list indexes) of the blob values in a map token's JSON.
pub type BlobPaths = fn(&Value) -> Vec<Vec<Value>>;

/// The type of a page token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A string (`nextToken`); empty means no further page.
    String,
    /// A map (DynamoDB's `LastEvaluatedKey`, sent back as `ExclusiveStartKey`); empty means no
    /// further page.
    Map,
}

/// Follows the pages of one command and builds its output.
#[derive(Debug)]
pub struct Pager {
    pagination: Pagination,
    max_items: Option<u64>,
    /// The token the page being handled was requested with.
    sent: Option<Value>,
    /// The token the previous page returned (`None` before the second page).
    previous: Option<Value>,
    /// Items of the first page already printed by the command that gave `--starting-token`.
    starting_truncation: u64,
    first: bool,
    total: u64,
    items: Option<Vec<Box<RawValue>>>,
    resume: Option<String>,
}

impl Pager {
    /// A pager for an operation paginated as `pagination` says; fails on a `--starting-token` it
    /// cannot read.
    pub fn new(paging: &Paging, pagination: Pagination) -> Result<Pager, Failure> {
        let (sent, starting_truncation) = match &paging.starting_token {
            None => (None, 0),
            Some(token) => decode_token(token, pagination.input_token, pagination.token)?,
        };
        Ok(Pager {
            pagination,
            max_items: paging.max_items,
            sent,
            previous: None,
            starting_truncation,
            first: true,
            total: 0,
            items: None,
            resume: None,
        })
    }

    /// The token to send with the first request, from `--starting-token`: a JSON string, or a JSON
    /// object for a map token.
    pub fn first_token(&self) -> Option<&Value> {
        self.sent.as_ref()
    }

    /// Takes in a page, its output as compact JSON (the output token is read from it). Returns the
    /// token to request the next page with, or `None` when the pagination is over.
    pub fn page(&mut self, output: &str) -> Result<Option<Value>, Failure> {
        let mut page_items = items_at(output, self.pagination.items)?;
        let next_token = token_at(output, self.pagination.output_token)?;
        if self.first {
            self.first = false;
            if let Some(items) = page_items.as_mut() {
                let skip = usize::try_from(self.starting_truncation).unwrap_or(usize::MAX).min(items.len());
                items.drain(..skip);
            }
        } else {
            self.starting_truncation = 0;
        }
        let count = page_items.as_ref().map_or(0, |items| items.len() as u64);
        if let Some(max) = self.max_items {
            if self.total + count > max {
                let keep = max - self.total;
                if let Some(items) = page_items.as_mut() {
                    items.truncate(usize::try_from(keep).unwrap_or(usize::MAX));
                }
                self.resume = Some(self.resume_token(self.sent.as_ref(), Some(keep + self.starting_truncation)));
                self.add(page_items);
                return Ok(None);
            }
        }
        self.add(page_items);
        self.total += count;
        let Some(next) = next_token.filter(|token| !is_empty_token(token)) else { return Ok(None) };
        if self.max_items == Some(self.total) {
            self.resume = Some(self.resume_token(Some(&next), None));
            return Ok(None);
        }
        // botocore stops with "The same next token was received twice" here. Some services repeat
        // their token by design once they have nothing newer (CloudWatch Logs' `GetLogEvents`, which
        // the AWS CLI does not paginate at all), so this ends the pages instead, as the client's
        // paginators do: the items so far are the output.
        if self.previous.as_ref() == Some(&next) {
            return Ok(None);
        }
        self.previous = Some(next.clone());
        self.sent = Some(next.clone());
        Ok(Some(next))
    }

    /// The resume token for `token`, with the paths of its blob values when it has any.
    fn resume_token(&self, token: Option<&Value>, truncate: Option<u64>) -> String {
        let input_token = self.pagination.input_token;
        let blob_paths = match (token, self.pagination.blob_paths) {
            (Some(token), Some(paths)) => paths(token),
            _ => Vec::new(),
        };
        let encoded_keys: Vec<Value> = blob_paths
            .into_iter()
            .map(|path| Value::Array(std::iter::once(Value::from(input_token)).chain(path).collect()))
            .collect();
        encode(input_token, token, truncate, &encoded_keys)
    }

    fn add(&mut self, page_items: Option<Vec<Box<RawValue>>>) {
        let Some(page_items) = page_items else { return };
        match self.items.as_mut() {
            None => self.items = Some(page_items),
            Some(items) => items.extend(page_items),
        }
    }

    /// The command's output, as compact JSON: the items under their path, then `NextToken`.
    pub fn output(self) -> String {
        let mut out = String::from("{");
        let items_path = self.pagination.items;
        if let Some(items) = &self.items {
            for (depth, key) in items_path.iter().enumerate() {
                if depth > 0 {
                    out.push('{');
                }
                out.push_str(&Value::String((*key).to_owned()).to_string());
                out.push(':');
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(item.get());
            }
            out.push(']');
            out.push_str(&"}".repeat(items_path.len().saturating_sub(1)));
        }
        if let Some(token) = &self.resume {
            if self.items.is_some() {
                out.push(',');
            }
            out.push_str("\"NextToken\":");
            out.push_str(&Value::String(token.clone()).to_string());
        }
        out.push('}');
        out
    }
}

fn unreadable(e: serde_json::Error) -> Failure {
    Failure::Other(format!("cannot read the page's output: {e}"))
}

/// The JSON text at `path` in the JSON object `output`; `None` where a member on the way is absent
/// or `null`, or the path is empty.
fn raw_at(output: &str, path: &[&str]) -> Result<Option<Box<RawValue>>, Failure> {
    if path.is_empty() {
        return Ok(None);
    }
    let mut current: Box<RawValue> = RawValue::from_string(output.to_owned()).map_err(unreadable)?;
    for key in path {
        let object: Option<std::collections::BTreeMap<String, Box<RawValue>>> =
            serde_json::from_str(current.get()).map_err(unreadable)?;
        let Some(next) = object.and_then(|mut object| object.remove(*key)) else { return Ok(None) };
        current = next;
    }
    Ok(Some(current))
}

/// The list at `path` in the JSON object `output`, its elements as written; `None` where a member
/// on the way is absent or `null`.
fn items_at(output: &str, path: &[&str]) -> Result<Option<Vec<Box<RawValue>>>, Failure> {
    match raw_at(output, path)? {
        None => Ok(None),
        Some(list) => serde_json::from_str(list.get()).map_err(unreadable),
    }
}

/// The output token at `path` in the JSON object `output`; `None` where it is absent or `null`.
fn token_at(output: &str, path: &[&str]) -> Result<Option<Value>, Failure> {
    let Some(raw) = raw_at(output, path)? else { return Ok(None) };
    let token: Value = serde_json::from_str(raw.get()).map_err(unreadable)?;
    Ok((!token.is_null()).then_some(token))
}

/// Whether a token means there is no further page: an empty string or an empty map.
fn is_empty_token(token: &Value) -> bool {
    match token {
        Value::String(text) => text.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

/// The AWS CLI's resume token: base64 of `{"<input token>": <token>[, "boto_truncate_amount": n]}`
/// as Python's `json.dumps` writes it; the token is a JSON string, or an object for a map token.
pub fn encode_token(input_token: &str, token: Option<&Value>, truncate: Option<u64>) -> String {
    encode(input_token, token, truncate, &[])
}

/// [`encode_token`], with `boto_encoded_keys` (paths from the input token's name) when there are any.
fn encode(input_token: &str, token: Option<&Value>, truncate: Option<u64>, encoded_keys: &[Value]) -> String {
    let mut json = format!("{{{}: ", python_json_string(input_token));
    python_json(token.unwrap_or(&Value::Null), &mut json);
    if let Some(amount) = truncate {
        json.push_str(&format!(", \"{TRUNCATE_KEY}\": {amount}"));
    }
    if !encoded_keys.is_empty() {
        json.push_str(&format!(", \"{ENCODED_KEYS_KEY}\": "));
        python_json(&Value::Array(encoded_keys.to_vec()), &mut json);
    }
    json.push('}');
    base64::engine::general_purpose::STANDARD.encode(json)
}

/// A `--starting-token`: the service token to send first (if any; a JSON string, or an object for a
/// map token) and how many items of the first page to skip.
pub fn decode_token(text: &str, input_token: &str, kind: TokenKind) -> Result<(Option<Value>, u64), Failure> {
    let bad = |why: &str| Failure::Usage(format!("--starting-token: {why}"));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|json| serde_json::from_str::<serde_json::Map<String, Value>>(&json).ok());
    let Some(mut fields) = decoded else {
        return match kind {
            TokenKind::String => decode_old_token(text).map(|(token, count)| (token.map(Value::String), count)),
            TokenKind::Map => Err(Failure::Other(format!("Bad starting token: {text}"))),
        };
    };
    let truncate = match fields.remove(TRUNCATE_KEY) {
        None => 0,
        Some(value) => value.as_u64().ok_or_else(|| bad(&format!("`{TRUNCATE_KEY}` is not a count of items")))?,
    };
    if kind == TokenKind::Map {
        match fields.remove(ENCODED_KEYS_KEY) {
            None | Some(Value::Array(_)) => {}
            Some(_) => return Err(bad(&format!("`{ENCODED_KEYS_KEY}` is not a list"))),
        }
    }
    let token = match (fields.remove(input_token), kind) {
        (None | Some(Value::Null), _) => None,
        (Some(Value::String(token)), TokenKind::String) if token == "None" => None,
        (Some(token @ Value::String(_)), TokenKind::String) => Some(token),
        (Some(token @ Value::Object(_)), TokenKind::Map) => Some(token),
        (Some(_), TokenKind::String) => return Err(bad(&format!("`{input_token}` is not a string"))),
        (Some(_), TokenKind::Map) => return Err(bad(&format!("`{input_token}` is not a map"))),
    };
    if let Some(other) = fields.keys().next() {
        return Err(bad(&format!(
            "the token names `{other}`, which is not this command's page token (`{input_token}`)"
        )));
    }
    Ok((token, truncate))
}

/// botocore's older token format: `token___count`, or a service token as it is; `None` stands for
/// no token. Anything else is a bad token, as botocore says.
fn decode_old_token(text: &str) -> Result<(Option<String>, u64), Failure> {
    let bad = || Failure::Other(format!("Bad starting token: {text}"));
    let mut parts: Vec<&str> = text.split("___").collect();
    let mut count = 0;
    if parts.len() == 2 {
        count = parts.pop().and_then(|count| count.parse::<u64>().ok()).ok_or_else(bad)?;
    }
    match parts.as_slice() {
        ["None"] => Ok((None, count)),
        [token] => Ok((Some((*token).to_owned()), count)),
        _ => Err(bad()),
    }
}

/// A JSON value as Python's `json.dumps` writes it (`", "` and `": "` between items, members in
/// the order given), appended to `out`.
fn python_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => out.push_str(&python_json_string(text)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&python_json_string(key));
                out.push_str(": ");
                python_json(item, out);
            }
            out.push('}');
        }
    }
}

/// A string as Python's `json.dumps` writes it (`ensure_ascii`): every character outside printable
/// ASCII escaped, astral ones as surrogate pairs.
fn python_json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_base64(token: &str) -> String {
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(token).unwrap()).unwrap()
    }

    const THINGS: Pagination = Pagination {
        input_token: "nextToken",
        token: TokenKind::String,
        output_token: &["nextToken"],
        items: &["things"],
        blob_paths: None,
    };

    fn pager(max_items: Option<u64>, starting_token: Option<String>) -> Pager {
        Pager::new(&Paging { max_items, starting_token }, THINGS).unwrap()
    }

    fn text(token: &str) -> Value {
        Value::String(token.to_owned())
    }

    fn decode(token: &str) -> Result<(Option<Value>, u64), Failure> {
        decode_token(token, "nextToken", TokenKind::String)
    }

    #[test]
    fn tokens_are_base64_of_python_json() {
        // What the AWS CLI prints for the same tokens.
        assert_eq!(encode_token("nextToken", Some(&text("abc")), None), "eyJuZXh0VG9rZW4iOiAiYWJjIn0=");
        assert_eq!(
            encode_token("nextToken", None, Some(1)),
            "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
        );
        assert_eq!(
            decode_base64(&encode_token("nextToken", None, Some(2))),
            r#"{"nextToken": null, "boto_truncate_amount": 2}"#
        );
        assert_eq!(
            decode_base64(&encode_token("NextToken", Some(&text("é\"\n𝄞")), None)),
            r#"{"NextToken": "\u00e9\"\n\ud834\udd1e"}"#
        );
    }

    #[test]
    fn map_tokens_are_base64_of_python_json_objects() {
        let key: Value =
            serde_json::from_str(r#"{"pk":{"S":"user#1"},"sk":{"N":"7"},"tags":{"L":[{"S":"é"},{"BOOL":true}]}}"#)
                .unwrap();
        let token = encode_token("ExclusiveStartKey", Some(&key), Some(2));
        // `base64.b64encode(json.dumps({"ExclusiveStartKey": {...}, "boto_truncate_amount": 2}))`
        // in Python, as botocore's `TokenEncoder` writes a token with no binary values.
        assert_eq!(
            token,
            "eyJFeGNsdXNpdmVTdGFydEtleSI6IHsicGsiOiB7IlMiOiAidXNlciMxIn0sICJzayI6IHsiTiI6ICI3In0sICJ0YWdzIjogeyJMIjogW3siUyI6ICJcdTAwZTkifSwgeyJCT09MIjogdHJ1ZX1dfX0sICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDJ9"
        );
        assert_eq!(decode_token(&token, "ExclusiveStartKey", TokenKind::Map).unwrap(), (Some(key.clone()), 2));
        // botocore lists the binary values it base64-encoded; they are base64 text here already.
        let with_binary = base64::engine::general_purpose::STANDARD.encode(
            r#"{"ExclusiveStartKey": {"pk": {"B": "AAE="}}, "boto_encoded_keys": [["ExclusiveStartKey", "pk", "B"]]}"#,
        );
        let binary: Value = serde_json::from_str(r#"{"pk":{"B":"AAE="}}"#).unwrap();
        assert_eq!(decode_token(&with_binary, "ExclusiveStartKey", TokenKind::Map).unwrap(), (Some(binary), 0));
        // A string token, or botocore's older format, is no map token.
        for bad in [encode_token("ExclusiveStartKey", Some(&text("x")), None), "p2___1".to_owned(), "raw".to_owned()] {
            let error = decode_token(&bad, "ExclusiveStartKey", TokenKind::Map).unwrap_err();
            assert!(matches!(error.exit_code(), 252 | 255), "{error}");
        }
        let error = decode(&encode_token("nextToken", Some(&key), None)).unwrap_err();
        assert!(error.to_string().contains("is not a string"), "{error}");
    }

    #[test]
    fn starting_tokens_decode_in_every_format() {
        let token = encode_token("nextToken", Some(&text("p2")), Some(3));
        assert_eq!(decode(&token).unwrap(), (Some(text("p2")), 3));
        assert_eq!(decode(&encode_token("nextToken", None, Some(1))).unwrap(), (None, 1));
        // botocore's older format, and a service's own token.
        assert_eq!(decode("p2___4").unwrap(), (Some(text("p2")), 4));
        assert_eq!(decode("None___1").unwrap(), (None, 1));
        assert_eq!(decode("raw-service-token").unwrap(), (Some(text("raw-service-token")), 0));
        for bad in ["p2___x", "a___b___1"] {
            let error = decode(bad).unwrap_err();
            assert_eq!(error.to_string(), format!("Bad starting token: {bad}"));
            assert_eq!(error.exit_code(), 255);
        }
        let other = encode_token("marker", Some(&text("x")), None);
        let error = decode(&other).unwrap_err();
        assert_eq!(error.exit_code(), 252);
        assert!(error.to_string().contains("`marker`"), "{error}");
    }

    #[test]
    fn pages_are_followed_and_their_items_aggregated() {
        let mut pager = pager(None, None);
        assert_eq!(pager.first_token(), None);
        assert_eq!(pager.page(r#"{"things":[{"b":1,"a":2}],"nextToken":"t1","count":1}"#).unwrap(), Some(text("t1")));
        assert_eq!(pager.page(r#"{"nextToken":"t2"}"#).unwrap(), Some(text("t2")));
        assert_eq!(pager.page(r#"{"things":[{"b":3}]}"#).unwrap(), None);
        // Members keep the order the serializer wrote; other output members are left out.
        assert_eq!(pager.output(), r#"{"things":[{"b":1,"a":2},{"b":3}]}"#);
    }

    #[test]
    fn map_tokens_are_followed_until_one_is_empty_or_absent() {
        let scan = Pagination {
            input_token: "ExclusiveStartKey",
            token: TokenKind::Map,
            output_token: &["LastEvaluatedKey"],
            items: &["Items"],
            blob_paths: None,
        };
        let key = |pk: &str| serde_json::json!({"pk": {"S": pk}});
        let mut pager = Pager::new(&Paging::default(), scan).unwrap();
        let page = |items: &str, key: &str| format!(r#"{{"Items":[{items}],"LastEvaluatedKey":{key}}}"#);
        assert_eq!(pager.page(&page("1", r#"{"pk":{"S":"a"}}"#)).unwrap(), Some(key("a")));
        assert_eq!(pager.page(&page("2", r#"{"pk":{"S":"b"}}"#)).unwrap(), Some(key("b")));
        assert_eq!(pager.page(&page("3", "{}")).unwrap(), None, "an empty map ends the pages");
        assert_eq!(pager.output(), r#"{"Items":[1,2,3]}"#);

        let mut pager = Pager::new(&Paging { max_items: Some(1), starting_token: None }, scan).unwrap();
        assert_eq!(pager.page(&page("1", r#"{"pk":{"S":"a"}}"#)).unwrap(), None);
        let output: Value = serde_json::from_str(&pager.output()).unwrap();
        let resume = output["NextToken"].as_str().unwrap();
        assert_eq!(decode_base64(resume), r#"{"ExclusiveStartKey": {"pk": {"S": "a"}}}"#);
        let resumed = Pager::new(&Paging { max_items: None, starting_token: Some(resume.to_owned()) }, scan).unwrap();
        assert_eq!(resumed.first_token(), Some(&key("a")));
    }

    #[test]
    fn blob_values_of_a_map_token_are_listed_as_botocore_lists_them() {
        fn paths(token: &Value) -> Vec<Vec<Value>> {
            // Stands for a generated walk: `B` is a blob, `BS` a list of blobs.
            let mut out = Vec::new();
            for (key, value) in token.as_object().into_iter().flatten() {
                if value.get("B").is_some() {
                    out.push(vec![Value::from(key.as_str()), Value::from("B")]);
                }
                for (i, _) in value.get("BS").and_then(Value::as_array).into_iter().flatten().enumerate() {
                    out.push(vec![Value::from(key.as_str()), Value::from("BS"), Value::from(i)]);
                }
            }
            out
        }
        let scan = Pagination {
            input_token: "ExclusiveStartKey",
            token: TokenKind::Map,
            output_token: &["LastEvaluatedKey"],
            items: &["Items"],
            blob_paths: Some(paths),
        };
        let mut pager = Pager::new(&Paging { max_items: Some(1), starting_token: None }, scan).unwrap();
        let page = r#"{"Items":[1],"LastEvaluatedKey":{"pk":{"B":"AAE="},"tags":{"BS":["AA==","AQ=="]}}}"#;
        assert_eq!(pager.page(page).unwrap(), None);
        let output: Value = serde_json::from_str(&pager.output()).unwrap();
        let resume = output["NextToken"].as_str().unwrap();
        // What botocore's `TokenEncoder` writes for the same key with bytes for `B` and `BS`, decoded
        // from base64 (computed with Python's `json.dumps`).
        assert_eq!(
            decode_base64(resume),
            concat!(
                r#"{"ExclusiveStartKey": {"pk": {"B": "AAE="}, "tags": {"BS": ["AA==", "AQ=="]}}, "#,
                r#""boto_encoded_keys": [["ExclusiveStartKey", "pk", "B"], ["ExclusiveStartKey", "tags", "BS", 0], "#,
                r#"["ExclusiveStartKey", "tags", "BS", 1]]}"#
            )
        );
        // And it reads back.
        let resumed = Pager::new(&Paging { max_items: None, starting_token: Some(resume.to_owned()) }, scan).unwrap();
        assert_eq!(resumed.first_token().unwrap()["pk"]["B"], "AAE=");
    }

    #[test]
    fn an_empty_token_ends_and_no_items_at_all_is_an_empty_output() {
        let mut pager = pager(None, None);
        assert_eq!(pager.page(r#"{"nextToken":""}"#).unwrap(), None);
        assert_eq!(pager.output(), "{}");
    }

    #[test]
    fn nested_item_paths_nest_in_the_output() {
        let nested = Pagination {
            input_token: "token",
            token: TokenKind::String,
            output_token: &["result", "next"],
            items: &["result", "items"],
            blob_paths: None,
        };
        let mut pager = Pager::new(&Paging::default(), nested).unwrap();
        assert_eq!(pager.page(r#"{"result":{"items":[1,2],"next":"n"}}"#).unwrap(), Some(text("n")));
        assert_eq!(pager.page(r#"{"result":{"items":[3]}}"#).unwrap(), None);
        assert_eq!(pager.output(), r#"{"result":{"items":[1,2,3]}}"#);
    }

    #[test]
    fn max_items_inside_a_page_truncates_and_resumes_from_that_page() {
        let mut first = pager(Some(3), None);
        assert_eq!(first.page(r#"{"things":[1,2],"nextToken":"t1"}"#).unwrap(), Some(text("t1")));
        assert_eq!(first.page(r#"{"things":[3,4,5],"nextToken":"t2"}"#).unwrap(), None);
        let output = first.output();
        let (items, token) = output.split_once(",\"NextToken\":").unwrap();
        assert_eq!(items, r#"{"things":[1,2,3]"#);
        let token: String = serde_json::from_str(token.trim_end_matches('}')).unwrap();
        assert_eq!(decode_base64(&token), r#"{"nextToken": "t1", "boto_truncate_amount": 1}"#);

        // Resuming skips the item already printed, then counts from there.
        let mut second = pager(Some(3), Some(token));
        assert_eq!(second.first_token(), Some(&text("t1")));
        assert_eq!(second.page(r#"{"things":[3,4,5],"nextToken":"t2"}"#).unwrap(), Some(text("t2")));
        assert_eq!(second.page(r#"{"things":[6,7]}"#).unwrap(), None);
        let output = second.output();
        let token: String =
            serde_json::from_str(output.split_once(",\"NextToken\":").unwrap().1.trim_end_matches('}')).unwrap();
        assert!(output.starts_with(r#"{"things":[4,5,6]"#), "{output}");
        assert_eq!(decode_base64(&token), r#"{"nextToken": "t2", "boto_truncate_amount": 1}"#);
    }

    #[test]
    fn max_items_on_a_page_boundary_resumes_from_the_next_page() {
        let mut pager = pager(Some(2), None);
        assert_eq!(pager.page(r#"{"things":[1,2],"nextToken":"t1"}"#).unwrap(), None);
        let expected =
            format!(r#"{{"things":[1,2],"NextToken":"{}"}}"#, encode_token("nextToken", Some(&text("t1")), None));
        assert_eq!(pager.output(), expected);
    }

    #[test]
    fn max_items_on_the_last_page_prints_no_token() {
        let mut pager = pager(Some(2), None);
        assert_eq!(pager.page(r#"{"things":[1,2]}"#).unwrap(), None);
        assert_eq!(pager.output(), r#"{"things":[1,2]}"#);
    }

    #[test]
    fn a_token_received_twice_in_a_row_ends_the_pages() {
        let mut pager = pager(None, None);
        assert_eq!(pager.page(r#"{"things":[1],"nextToken":"same"}"#).unwrap(), Some(text("same")));
        assert_eq!(pager.page(r#"{"things":[2],"nextToken":"same"}"#).unwrap(), None);
        assert_eq!(pager.output(), r#"{"things":[1,2]}"#);
    }

    #[test]
    fn paging_options_parse_and_no_paginate_refuses_them() {
        let command = || {
            with_paging_options(
                Command::new("list").arg(Arg::new("next-token").long("next-token")),
                &[STARTING_TOKEN, PAGE_SIZE, MAX_ITEMS, NO_PAGINATE],
            )
        };
        let run = |args: &[&str]| {
            let matches = command().try_get_matches_from(std::iter::once("list").chain(args.iter().copied())).unwrap();
            paging(&matches, &["next-token"])
        };
        assert_eq!(run(&[]).unwrap(), Some(Paging::default()));
        assert_eq!(
            run(&["--max-items", "5", "--starting-token", "t"]).unwrap(),
            Some(Paging { max_items: Some(5), starting_token: Some("t".into()) })
        );
        assert_eq!(run(&["--no-paginate"]).unwrap(), None);
        assert_eq!(run(&["--next-token", "x"]).unwrap(), None, "a token set by hand turns pagination off");
        let error = run(&["--no-paginate", "--max-items", "1", "--page-size", "2"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Error during pagination: Cannot specify --no-paginate along with pagination arguments: --page-size, --max-items"
        );
        assert_eq!(error.exit_code(), 255);
        assert!(run(&["--next-token", "x", "--max-items", "1"]).is_err(), "nor beside a token set by hand");
    }
}
