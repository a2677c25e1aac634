//! Pagination in the generated command-line tool, as the AWS CLI does it (botocore's `PageIterator`
//! and `build_full_result`): follow the pages, aggregate the items into one output, stop after
//! `--max-items` items with a `NextToken` to resume from, and start from `--starting-token`.
//!
//! What the AWS CLI prints for a paginated command is not the last page but a new object: each
//! result key aggregated over the pages (nested as its path nests: lists joined, numbers summed,
//! strings concatenated), the non-aggregate keys as the first page has them, and, when
//! `--max-items` stopped early, `NextToken`. Other output members are left out, as the AWS CLI
//! leaves out every member its paginator does not name. The keys are botocore's when the generator
//! was given botocore's paginators file; a Smithy model alone names only one result key, its
//! `items`, and no non-aggregate keys.
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

/// How a paginated command pages and what it prints, in wire names: the generated command's
/// constant (from the model's `@paginated` trait, or botocore's paginator for the operation when the
/// generator was given botocore's paginators file).
#[derive(Debug, Clone, Copy)]
pub struct Pagination {
    /// The input member that carries the page token.
    pub input_token: &'static str,
    /// Whether the token is a string or a map.
    pub token: TokenKind,
    /// Where the output holds the next page's token.
    pub output_token: &'static [&'static str],
    /// The result keys, each a member path: aggregated over the pages (lists joined, numbers summed,
    /// strings concatenated). The first is a list, the items `--max-items` counts.
    pub result_keys: &'static [&'static [&'static str]],
    /// Member paths printed as the first page has them (`null` where it has none), beside the
    /// result keys.
    pub non_aggregate_keys: &'static [&'static [&'static str]],
    /// A member that says whether there are more pages (`more_results`): where it is false, absent
    /// or empty the pages end, whatever the token.
    pub more_results: Option<&'static [&'static str]>,
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

/// A part of the output being built, its object members in the order they were first set (as a
/// Python dict keeps them).
#[derive(Debug)]
enum Node {
    Object(Vec<(String, Node)>),
    List(Vec<Box<RawValue>>),
    /// A value as a page wrote it, or a sum or concatenation written anew.
    Raw(Box<RawValue>),
    /// A non-aggregate key the first page did not have.
    Null,
}

impl Node {
    /// The node at `path` below this one; `None` where a member on the way is absent or null.
    fn get_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        let Some((first, rest)) = path.split_first() else {
            return (!matches!(self, Node::Null)).then_some(self);
        };
        let Node::Object(members) = self else { return None };
        members.iter_mut().find(|(key, _)| key == first).and_then(|(_, node)| node.get_mut(rest))
    }

    /// Sets the node at `path`, making objects on the way (replacing what is not one).
    fn set(&mut self, path: &[&str], value: Node) {
        let Some((first, rest)) = path.split_first() else {
            *self = value;
            return;
        };
        if !matches!(self, Node::Object(_)) {
            *self = Node::Object(Vec::new());
        }
        let Node::Object(members) = self else { return };
        let slot = match members.iter().position(|(key, _)| key == first) {
            Some(index) => &mut members[index].1,
            None => {
                let empty = if rest.is_empty() { Node::Null } else { Node::Object(Vec::new()) };
                members.push(((*first).to_owned(), empty));
                &mut members.last_mut().expect("just pushed").1
            }
        };
        slot.set(rest, value);
    }

    /// Merges `other` into this object as botocore's `merge_dicts` does: objects built from paths
    /// merge member by member, anything else replaces the member in place or is added at the end.
    fn merge(&mut self, other: Node) {
        let (Node::Object(members), Node::Object(others)) = (&mut *self, other) else { return };
        for (key, value) in others {
            match members.iter_mut().find(|(existing, _)| *existing == key) {
                Some((_, existing @ Node::Object(_))) if matches!(value, Node::Object(_)) => existing.merge(value),
                Some((_, existing)) => *existing = value,
                None => members.push((key, value)),
            }
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Node::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
            Node::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(item.get());
                }
                out.push(']');
            }
            Node::Raw(raw) => out.push_str(raw.get()),
            Node::Null => out.push_str("null"),
        }
    }
}

/// Follows the pages of one command and builds its output.
#[derive(Debug)]
pub struct Pager {
    pagination: Pagination,
    max_items: Option<u64>,
    /// Whether the command gave `--starting-token` (the first page is then cut as botocore cuts it).
    resumed: bool,
    /// The token the page being handled was requested with.
    sent: Option<Value>,
    /// The token the previous page returned (`None` before the second page).
    previous: Option<Value>,
    /// Items of the first page already printed by the command that gave `--starting-token`.
    starting_truncation: u64,
    first: bool,
    total: u64,
    /// The aggregated result keys (botocore's `complete_result`).
    result: Node,
    /// The non-aggregate keys, from the first page.
    first_page_keys: Option<Node>,
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
            resumed: paging.starting_token.is_some(),
            sent,
            previous: None,
            starting_truncation,
            first: true,
            total: 0,
            result: Node::Object(Vec::new()),
            first_page_keys: None,
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
        let keys = self.pagination.result_keys;
        let mut page_items = match keys.first() {
            Some(primary) => items_at(output, primary)?,
            None => None,
        };
        let mut secondary = Vec::with_capacity(keys.len().saturating_sub(1));
        for key in keys.iter().skip(1) {
            secondary.push(value_at(output, key)?);
        }
        if self.first {
            self.first = false;
            if self.resumed {
                // The page the earlier command stopped in: its first items were printed then, and
                // so were its other result keys, except numbers (botocore keeps counts such as
                // DynamoDB's `ScannedCount`, which say what the service evaluated).
                if let Some(items) = page_items.as_mut() {
                    let skip = usize::try_from(self.starting_truncation).unwrap_or(usize::MAX).min(items.len());
                    items.drain(..skip);
                }
                for value in &mut secondary {
                    *value = value.take().and_then(|raw| match raw.get().as_bytes().first() {
                        Some(b'[') => RawValue::from_string("[]".to_owned()).ok(),
                        Some(b'"') => RawValue::from_string("\"\"".to_owned()).ok(),
                        Some(b'-' | b'0'..=b'9') => Some(raw),
                        _ => None,
                    });
                }
            }
            let mut first_page_keys = Node::Object(Vec::new());
            for key in self.pagination.non_aggregate_keys {
                let value = value_at(output, key)?.map_or(Node::Null, Node::Raw);
                first_page_keys.set(key, value);
            }
            self.first_page_keys = Some(first_page_keys);
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
                self.add(page_items, secondary);
                return Ok(None);
            }
        }
        self.add(page_items, secondary);
        self.total += count;
        if let Some(path) = self.pagination.more_results {
            if !value_at(output, path)?.is_some_and(|flag| python_truthy(&flag)) {
                return Ok(None);
            }
        }
        let Some(next) = token_at(output, self.pagination.output_token)?.filter(|token| !is_empty_token(token)) else {
            return Ok(None);
        };
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

    /// Adds a page's result keys to the output, as botocore's `build_full_result` does: a key the
    /// output does not have yet is set, else lists are joined, numbers (and booleans, which Python
    /// counts as 0 and 1) summed and strings concatenated; anything else keeps its first value.
    fn add(&mut self, page_items: Option<Vec<Box<RawValue>>>, secondary: Vec<Option<Box<RawValue>>>) {
        let keys = self.pagination.result_keys;
        let values = std::iter::once(page_items.map(Node::List)).chain(secondary.into_iter().map(|value| {
            value.map(|raw| match serde_json::from_str::<Vec<Box<RawValue>>>(raw.get()) {
                Ok(items) if raw.get().starts_with('[') => Node::List(items),
                _ => Node::Raw(raw),
            })
        }));
        for (key, value) in keys.iter().zip(values) {
            let Some(value) = value else { continue };
            let Some(existing) = self.result.get_mut(key) else {
                self.result.set(key, value);
                continue;
            };
            match (existing, value) {
                (Node::List(items), Node::List(more)) => items.extend(more),
                (Node::Raw(current), Node::Raw(more)) => {
                    if let Some(combined) = combine(current, &more) {
                        *current = combined;
                    }
                }
                _ => {}
            }
        }
    }

    /// The command's output, as compact JSON: the result keys, the non-aggregate keys, then
    /// `NextToken` when the pages stopped at `--max-items` with more to come.
    pub fn output(mut self) -> String {
        if let Some(first_page_keys) = self.first_page_keys.take() {
            self.result.merge(first_page_keys);
        }
        if let Some(token) = self.resume.take() {
            let token = RawValue::from_string(Value::String(token).to_string()).expect("a JSON string");
            self.result.set(&["NextToken"], Node::Raw(token));
        }
        let mut out = String::new();
        self.result.write(&mut out);
        out
    }
}

/// The sum of two numbers (booleans count as 0 and 1, as in Python) or the concatenation of two
/// strings, as JSON text; `None` for anything else.
fn combine(current: &RawValue, more: &RawValue) -> Option<Box<RawValue>> {
    let text = match (python_number(current.get()), python_number(more.get())) {
        // Python's integers have no bound; counts past i128 are beyond any service's.
        (Some(PyNumber::Int(a)), Some(PyNumber::Int(b))) => match a.checked_add(b) {
            Some(sum) => sum.to_string(),
            None => python_float(a as f64 + b as f64),
        },
        (Some(a), Some(b)) => python_float(a.as_f64() + b.as_f64()),
        _ => {
            let a: String = serde_json::from_str(current.get()).ok()?;
            let b: String = serde_json::from_str(more.get()).ok()?;
            Value::String(a + &b).to_string()
        }
    };
    RawValue::from_string(text).ok()
}

/// A number as Python's `json` module reads it: an integer unless it has a fraction or exponent.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PyNumber {
    Int(i128),
    Float(f64),
}

impl PyNumber {
    fn as_f64(self) -> f64 {
        match self {
            PyNumber::Int(n) => n as f64,
            PyNumber::Float(x) => x,
        }
    }
}

fn python_number(text: &str) -> Option<PyNumber> {
    match text {
        "true" => return Some(PyNumber::Int(1)),
        "false" => return Some(PyNumber::Int(0)),
        _ => {}
    }
    if !text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return None;
    }
    if text.contains(['.', 'e', 'E']) {
        return text.parse().ok().map(PyNumber::Float);
    }
    match text.parse() {
        Ok(n) => Some(PyNumber::Int(n)),
        Err(_) => text.parse().ok().map(PyNumber::Float),
    }
}

/// A float as Python's `repr` writes it (`3.0`, `0.1`, `1e+16`, `1e-05`), as `json.dumps` does.
fn python_float(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    // The shortest digits that read back as `x`, and the decimal exponent of the first one.
    let scientific = format!("{x:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        format!("{sign}{text}")
    } else {
        let (head, tail) = digits.split_at(1);
        let fraction = if tail.is_empty() { String::new() } else { format!(".{tail}") };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{head}{fraction}e{exponent_sign}{:02}", exponent.unsigned_abs())
    }
}

/// Whether a JSON value is true as Python's `bool` sees its parsed form: not null, false, zero,
/// an empty string, list or object.
fn python_truthy(raw: &RawValue) -> bool {
    match raw.get() {
        "null" | "false" | "\"\"" | "[]" | "{}" => false,
        text => python_number(text).is_none_or(|number| number.as_f64() != 0.0),
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

/// The JSON value at `path` in the JSON object `output`; `None` where it or a member on the way is
/// absent or `null`.
fn value_at(output: &str, path: &[&str]) -> Result<Option<Box<RawValue>>, Failure> {
    Ok(raw_at(output, path)?.filter(|raw| raw.get() != "null"))
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
        result_keys: &[&["things"]],
        non_aggregate_keys: &[],
        more_results: None,
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
            result_keys: &[&["Items"]],
            non_aggregate_keys: &[],
            more_results: None,
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
            result_keys: &[&["Items"]],
            non_aggregate_keys: &[],
            more_results: None,
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
            result_keys: &[&["result", "items"]],
            non_aggregate_keys: &[],
            more_results: None,
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

    /// Result keys as DynamoDB's `Scan` has them in botocore (items, then counts), a string, and
    /// non-aggregate keys, one of them nested.
    const SCANNED: Pagination = Pagination {
        input_token: "nextToken",
        token: TokenKind::String,
        output_token: &["nextToken"],
        result_keys: &[&["things"], &["count"], &["scanned"], &["note"], &["extra"]],
        non_aggregate_keys: &[&["capacity"], &["meta", "region"]],
        more_results: None,
        blob_paths: None,
    };

    fn follow(pager: &mut Pager, pages: &[&str]) {
        for (i, page) in pages.iter().enumerate() {
            let next = pager.page(page).unwrap();
            assert_eq!(next.is_some(), i + 1 < pages.len(), "page {i}");
        }
    }

    // The expected outputs below are what botocore's `PageIterator.build_full_result()` returned for
    // the same paginator configuration and pages (`json.dumps` with compact separators).

    #[test]
    fn result_keys_are_summed_joined_and_concatenated_and_other_keys_come_from_the_first_page() {
        let mut pager = Pager::new(&Paging::default(), SCANNED).unwrap();
        follow(
            &mut pager,
            &[
                r#"{"things":[1,2],"count":2,"scanned":5,"note":"a","capacity":{"units":1.5},"nextToken":"t1"}"#,
                r#"{"things":[3],"count":1,"scanned":4,"note":"b","capacity":{"units":9},"nextToken":"t2"}"#,
                r#"{"things":[4,5],"count":2,"scanned":2.5,"meta":{"region":"x"}}"#,
            ],
        );
        assert_eq!(
            pager.output(),
            r#"{"things":[1,2,3,4,5],"count":5,"scanned":11.5,"note":"ab","capacity":{"units":1.5},"meta":{"region":null}}"#
        );
    }

    #[test]
    fn max_items_counts_the_first_result_key_only_and_the_others_add_the_whole_page() {
        let mut pager = Pager::new(&Paging { max_items: Some(2), starting_token: None }, SCANNED).unwrap();
        follow(
            &mut pager,
            &[
                r#"{"things":[1],"count":1,"nextToken":"t1"}"#,
                r#"{"things":[3,4,5],"count":3,"scanned":4,"note":"b","nextToken":"t2"}"#,
            ],
        );
        assert_eq!(
            pager.output(),
            concat!(
                r#"{"things":[1,3],"count":4,"scanned":4,"note":"b","capacity":null,"meta":{"region":null},"#,
                r#""NextToken":"eyJuZXh0VG9rZW4iOiAidDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="}"#
            )
        );
    }

    #[test]
    fn a_resumed_first_page_drops_what_was_printed_but_keeps_its_numbers() {
        let token = encode_token("nextToken", Some(&text("t1")), Some(1));
        let mut pager = Pager::new(&Paging { max_items: Some(3), starting_token: Some(token) }, SCANNED).unwrap();
        follow(
            &mut pager,
            &[
                r#"{"things":[3,4,5],"count":3,"scanned":4,"note":"b","extra":["x"],"capacity":{"units":2},"nextToken":"t2"}"#,
                r#"{"things":[6,7],"count":2,"scanned":1,"note":"c","extra":["y"]}"#,
            ],
        );
        assert_eq!(
            pager.output(),
            concat!(
                r#"{"things":[4,5,6],"count":5,"scanned":5,"note":"c","extra":["y"],"capacity":{"units":2},"meta":{"region":null},"#,
                r#""NextToken":"eyJuZXh0VG9rZW4iOiAidDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="}"#
            )
        );
    }

    #[test]
    fn more_results_ends_the_pages_and_nested_keys_merge_into_one_object() {
        let flagged = Pagination {
            input_token: "marker",
            token: TokenKind::String,
            output_token: &["marker"],
            result_keys: &[&["page", "rows"], &["total"]],
            non_aggregate_keys: &[&["page", "info"]],
            more_results: Some(&["page", "more"]),
            blob_paths: None,
        };
        let mut pager = Pager::new(&Paging::default(), flagged).unwrap();
        follow(
            &mut pager,
            &[
                r#"{"page":{"rows":[1],"more":true,"info":"i"},"total":true,"marker":"m1"}"#,
                r#"{"page":{"rows":[2],"more":false},"total":true,"marker":"m2"}"#,
            ],
        );
        // Python adds booleans as integers.
        assert_eq!(pager.output(), r#"{"page":{"rows":[1,2],"info":"i"},"total":2}"#);
        // An absent flag ends them too.
        let mut pager = Pager::new(&Paging::default(), flagged).unwrap();
        assert_eq!(pager.page(r#"{"page":{"rows":[1]},"marker":"m1"}"#).unwrap(), None);
    }

    #[test]
    fn sums_of_floats_print_as_python_prints_them() {
        for (x, expected) in [
            (3.0, "3.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (-12345.678, "-12345.678"),
            (123456789012345.6, "123456789012345.6"),
        ] {
            assert_eq!(python_float(x), expected);
        }
        let sum = |a: &str, b: &str| {
            combine(&RawValue::from_string(a.into()).unwrap(), &RawValue::from_string(b.into()).unwrap())
                .map(|raw| raw.get().to_owned())
        };
        assert_eq!(sum("1", "2").as_deref(), Some("3"));
        assert_eq!(sum("1", "2.5").as_deref(), Some("3.5"));
        assert_eq!(sum(r#""a\n""#, r#""é""#).as_deref(), Some(r#""a\né""#));
        assert_eq!(sum("{}", "{}"), None, "objects keep their first value");
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
