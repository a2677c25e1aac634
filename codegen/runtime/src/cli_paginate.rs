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
//! that page's items were already printed (`boto_truncate_amount`). A `--starting-token` that is not
//! in this format is read as botocore reads its older format (`token___count`, or a service token as
//! it is).
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
    let given = |id: &str| matches.try_contains_id(id).unwrap_or(false) && matches.value_source(id).is_some();
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

/// Follows the pages of one command and builds its output.
#[derive(Debug)]
pub struct Pager {
    input_token: &'static str,
    items_path: &'static [&'static str],
    max_items: Option<u64>,
    /// The token the page being handled was requested with.
    sent: Option<String>,
    /// The token the previous page returned (`None` before the second page).
    previous: Option<String>,
    /// Items of the first page already printed by the command that gave `--starting-token`.
    starting_truncation: u64,
    first: bool,
    total: u64,
    items: Option<Vec<Box<RawValue>>>,
    resume: Option<String>,
}

impl Pager {
    /// A pager for an operation whose input token member is `input_token` (its wire name) and whose
    /// items are at `items_path` in the output; fails on a `--starting-token` it cannot read.
    pub fn new(
        paging: &Paging,
        input_token: &'static str,
        items_path: &'static [&'static str],
    ) -> Result<Pager, Failure> {
        let (sent, starting_truncation) = match &paging.starting_token {
            None => (None, 0),
            Some(token) => decode_token(token, input_token)?,
        };
        Ok(Pager {
            input_token,
            items_path,
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

    /// The token to send with the first request, from `--starting-token`.
    pub fn first_token(&self) -> Option<&str> {
        self.sent.as_deref()
    }

    /// Takes in a page: `output` is its output as compact JSON, `next_token` its output token.
    /// Returns the token to request the next page with, or `None` when the pagination is over.
    pub fn page(&mut self, output: &str, next_token: Option<&str>) -> Result<Option<String>, Failure> {
        let mut page_items = items_at(output, self.items_path)?;
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
                self.resume =
                    Some(encode_token(self.input_token, self.sent.as_deref(), Some(keep + self.starting_truncation)));
                self.add(page_items);
                return Ok(None);
            }
        }
        self.add(page_items);
        self.total += count;
        let Some(next) = next_token.filter(|token| !token.is_empty()) else { return Ok(None) };
        if self.max_items == Some(self.total) {
            self.resume = Some(encode_token(self.input_token, Some(next), None));
            return Ok(None);
        }
        // botocore stops with "The same next token was received twice" here. Some services repeat
        // their token by design once they have nothing newer (CloudWatch Logs' `GetLogEvents`, which
        // the AWS CLI does not paginate at all), so this ends the pages instead, as the client's
        // paginators do: the items so far are the output.
        if self.previous.as_deref() == Some(next) {
            return Ok(None);
        }
        self.previous = Some(next.to_owned());
        self.sent = Some(next.to_owned());
        Ok(Some(next.to_owned()))
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
        if let Some(items) = &self.items {
            for (depth, key) in self.items_path.iter().enumerate() {
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
            out.push_str(&"}".repeat(self.items_path.len().saturating_sub(1)));
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

/// The list at `path` in the JSON object `output`, its elements as written; `None` where a member
/// on the way is absent or `null`.
fn items_at(output: &str, path: &[&str]) -> Result<Option<Vec<Box<RawValue>>>, Failure> {
    let unreadable = |e: serde_json::Error| Failure::Other(format!("cannot read the page's output: {e}"));
    let Some((last, parents)) = path.split_last() else { return Ok(None) };
    let mut current: Box<RawValue> = RawValue::from_string(output.to_owned()).map_err(unreadable)?;
    for key in parents.iter().chain(std::iter::once(last)) {
        let object: Option<std::collections::BTreeMap<String, Box<RawValue>>> =
            serde_json::from_str(current.get()).map_err(unreadable)?;
        let Some(next) = object.and_then(|mut object| object.remove(*key)) else { return Ok(None) };
        current = next;
    }
    serde_json::from_str(current.get()).map_err(unreadable)
}

/// The AWS CLI's resume token: base64 of `{"<input token>": <token>[, "boto_truncate_amount": n]}`
/// as Python's `json.dumps` writes it.
pub fn encode_token(input_token: &str, token: Option<&str>, truncate: Option<u64>) -> String {
    let mut json = format!("{{{}: ", python_json_string(input_token));
    match token {
        Some(token) => json.push_str(&python_json_string(token)),
        None => json.push_str("null"),
    }
    if let Some(amount) = truncate {
        json.push_str(&format!(", \"{TRUNCATE_KEY}\": {amount}"));
    }
    json.push('}');
    base64::engine::general_purpose::STANDARD.encode(json)
}

/// A `--starting-token`: the service token to send first (if any) and how many items of the first
/// page to skip.
pub fn decode_token(text: &str, input_token: &str) -> Result<(Option<String>, u64), Failure> {
    let bad = |why: &str| Failure::Usage(format!("--starting-token: {why}"));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|json| serde_json::from_str::<serde_json::Map<String, Value>>(&json).ok());
    let Some(mut fields) = decoded else { return decode_old_token(text) };
    let truncate = match fields.remove(TRUNCATE_KEY) {
        None => 0,
        Some(value) => value.as_u64().ok_or_else(|| bad(&format!("`{TRUNCATE_KEY}` is not a count of items")))?,
    };
    let token = match fields.remove(input_token) {
        None | Some(Value::Null) => None,
        Some(Value::String(token)) if token == "None" => None,
        Some(Value::String(token)) => Some(token),
        Some(_) => return Err(bad(&format!("`{input_token}` is not a string"))),
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

    fn pager(max_items: Option<u64>, starting_token: Option<String>) -> Pager {
        Pager::new(&Paging { max_items, starting_token }, "nextToken", &["things"]).unwrap()
    }

    #[test]
    fn tokens_are_base64_of_python_json() {
        // What the AWS CLI prints for the same tokens.
        assert_eq!(encode_token("nextToken", Some("abc"), None), "eyJuZXh0VG9rZW4iOiAiYWJjIn0=");
        assert_eq!(
            encode_token("nextToken", None, Some(1)),
            "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
        );
        assert_eq!(
            decode_base64(&encode_token("nextToken", None, Some(2))),
            r#"{"nextToken": null, "boto_truncate_amount": 2}"#
        );
        assert_eq!(
            decode_base64(&encode_token("NextToken", Some("é\"\n𝄞"), None)),
            r#"{"NextToken": "\u00e9\"\n\ud834\udd1e"}"#
        );
    }

    #[test]
    fn starting_tokens_decode_in_every_format() {
        let token = encode_token("nextToken", Some("p2"), Some(3));
        assert_eq!(decode_token(&token, "nextToken").unwrap(), (Some("p2".to_owned()), 3));
        assert_eq!(decode_token(&encode_token("nextToken", None, Some(1)), "nextToken").unwrap(), (None, 1));
        // botocore's older format, and a service's own token.
        assert_eq!(decode_token("p2___4", "nextToken").unwrap(), (Some("p2".to_owned()), 4));
        assert_eq!(decode_token("None___1", "nextToken").unwrap(), (None, 1));
        assert_eq!(decode_token("raw-service-token", "nextToken").unwrap(), (Some("raw-service-token".to_owned()), 0));
        for bad in ["p2___x", "a___b___1"] {
            let error = decode_token(bad, "nextToken").unwrap_err();
            assert_eq!(error.to_string(), format!("Bad starting token: {bad}"));
            assert_eq!(error.exit_code(), 255);
        }
        let other = encode_token("marker", Some("x"), None);
        let error = decode_token(&other, "nextToken").unwrap_err();
        assert_eq!(error.exit_code(), 252);
        assert!(error.to_string().contains("`marker`"), "{error}");
    }

    #[test]
    fn pages_are_followed_and_their_items_aggregated() {
        let mut pager = pager(None, None);
        assert_eq!(pager.first_token(), None);
        assert_eq!(
            pager.page(r#"{"things":[{"b":1,"a":2}],"nextToken":"t1","count":1}"#, Some("t1")).unwrap(),
            Some("t1".into())
        );
        assert_eq!(pager.page(r#"{"nextToken":"t2"}"#, Some("t2")).unwrap(), Some("t2".into()));
        assert_eq!(pager.page(r#"{"things":[{"b":3}]}"#, None).unwrap(), None);
        // Members keep the order the serializer wrote; other output members are left out.
        assert_eq!(pager.output(), r#"{"things":[{"b":1,"a":2},{"b":3}]}"#);
    }

    #[test]
    fn an_empty_token_ends_and_no_items_at_all_is_an_empty_output() {
        let mut pager = pager(None, None);
        assert_eq!(pager.page(r#"{"nextToken":""}"#, Some("")).unwrap(), None);
        assert_eq!(pager.output(), "{}");
    }

    #[test]
    fn nested_item_paths_nest_in_the_output() {
        let mut pager = Pager::new(&Paging::default(), "token", &["result", "items"]).unwrap();
        assert_eq!(pager.page(r#"{"result":{"items":[1,2],"next":"n"}}"#, Some("n")).unwrap(), Some("n".into()));
        assert_eq!(pager.page(r#"{"result":{"items":[3]}}"#, None).unwrap(), None);
        assert_eq!(pager.output(), r#"{"result":{"items":[1,2,3]}}"#);
    }

    #[test]
    fn max_items_inside_a_page_truncates_and_resumes_from_that_page() {
        let mut first = pager(Some(3), None);
        assert_eq!(first.page(r#"{"things":[1,2]}"#, Some("t1")).unwrap(), Some("t1".into()));
        assert_eq!(first.page(r#"{"things":[3,4,5]}"#, Some("t2")).unwrap(), None);
        let output = first.output();
        let (items, token) = output.split_once(",\"NextToken\":").unwrap();
        assert_eq!(items, r#"{"things":[1,2,3]"#);
        let token: String = serde_json::from_str(token.trim_end_matches('}')).unwrap();
        assert_eq!(decode_base64(&token), r#"{"nextToken": "t1", "boto_truncate_amount": 1}"#);

        // Resuming skips the item already printed, then counts from there.
        let mut second = pager(Some(3), Some(token));
        assert_eq!(second.first_token(), Some("t1"));
        assert_eq!(second.page(r#"{"things":[3,4,5]}"#, Some("t2")).unwrap(), Some("t2".into()));
        assert_eq!(second.page(r#"{"things":[6,7]}"#, None).unwrap(), None);
        let output = second.output();
        let token: String =
            serde_json::from_str(output.split_once(",\"NextToken\":").unwrap().1.trim_end_matches('}')).unwrap();
        assert!(output.starts_with(r#"{"things":[4,5,6]"#), "{output}");
        assert_eq!(decode_base64(&token), r#"{"nextToken": "t2", "boto_truncate_amount": 1}"#);
    }

    #[test]
    fn max_items_on_a_page_boundary_resumes_from_the_next_page() {
        let mut pager = pager(Some(2), None);
        assert_eq!(pager.page(r#"{"things":[1,2]}"#, Some("t1")).unwrap(), None);
        let expected = format!(r#"{{"things":[1,2],"NextToken":"{}"}}"#, encode_token("nextToken", Some("t1"), None));
        assert_eq!(pager.output(), expected);
    }

    #[test]
    fn max_items_on_the_last_page_prints_no_token() {
        let mut pager = pager(Some(2), None);
        assert_eq!(pager.page(r#"{"things":[1,2]}"#, None).unwrap(), None);
        assert_eq!(pager.output(), r#"{"things":[1,2]}"#);
    }

    #[test]
    fn a_token_received_twice_in_a_row_ends_the_pages() {
        let mut pager = pager(None, None);
        assert_eq!(pager.page(r#"{"things":[1]}"#, Some("same")).unwrap(), Some("same".into()));
        assert_eq!(pager.page(r#"{"things":[2]}"#, Some("same")).unwrap(), None);
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
