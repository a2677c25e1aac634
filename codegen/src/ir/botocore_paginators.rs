//! Reads botocore's paginators file for a service (`paginators-1.json` in botocore's data), which
//! says what the AWS CLI aggregates for each paginated operation: its result keys, the keys it takes
//! from the first page, and its tokens. The file is the user's input, so anything malformed is an
//! error naming the file and the JSON path; whether it fits the model is checked when it is applied
//! (`paginators::apply_botocore`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::model::LoadError;

/// The largest paginators file read (botocore's largest is under 100 KiB).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A service's paginators as botocore describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotocorePaginators {
    /// The file as the user named it.
    pub file: String,
    /// Each operation's paginator, by operation name.
    pub operations: BTreeMap<String, BotocorePaginator>,
}

/// One operation's paginator in botocore's paginators file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotocorePaginator {
    /// Its JSON path in the file (`pagination.Scan`).
    pub location: String,
    /// `input_token`: the input members that carry the tokens.
    pub input_tokens: Vec<String>,
    /// `output_token`: JMESPath expressions for the tokens in the output.
    pub output_tokens: Vec<String>,
    /// `limit_key`: the input member that sets the page size.
    pub limit_key: Option<String>,
    /// `result_key`: dotted member paths aggregated over the pages, the first the counted items.
    pub result_keys: Vec<String>,
    /// `non_aggregate_keys`: dotted member paths taken from the first page.
    pub non_aggregate_keys: Vec<String>,
    /// `more_results`: a dotted member path that, when false, ends the pages.
    pub more_results: Option<String>,
}

/// Reads and checks the paginators file at `path`.
pub fn load_file(path: &Path) -> Result<BotocorePaginators, LoadError> {
    let file = path.display().to_string();
    let error = |message: String| LoadError { file: file.clone(), location: String::new(), message };
    let size = std::fs::metadata(path).map_err(|e| error(format!("cannot read botocore's paginators: {e}")))?.len();
    if size > MAX_FILE_BYTES {
        return Err(error(format!("botocore's paginators file is larger than {MAX_FILE_BYTES} bytes")));
    }
    let bytes = std::fs::read(path).map_err(|e| error(format!("cannot read botocore's paginators: {e}")))?;
    parse(&file, &bytes)
}

/// Reads and checks a paginators file already in memory; `file` names it in errors.
pub fn parse(file: &str, bytes: &[u8]) -> Result<BotocorePaginators, LoadError> {
    let error =
        |location: &str, message: String| LoadError { file: file.to_string(), location: location.to_string(), message };
    let document: Value = serde_json::from_slice(bytes).map_err(|e| {
        let message = e.to_string();
        let message = message.rfind(" at line ").map_or(message.as_str(), |at| &message[..at]).to_string();
        error(&format!("line {}, column {}", e.line(), e.column()), format!("not valid JSON: {message}"))
    })?;
    let Value::Object(top) = document else {
        return Err(error("", "expected a JSON object with `pagination`, as botocore's paginators-1.json has".into()));
    };
    let Some(pagination) = top.get("pagination") else {
        return Err(error("", "no `pagination` object: is this botocore's paginators-1.json?".into()));
    };
    let Value::Object(entries) = pagination else {
        return Err(error("pagination", format!("expected an object of operations, found {}", kind(pagination))));
    };
    let mut operations = BTreeMap::new();
    for (name, entry) in entries {
        let location = format!("pagination.{}", key(name));
        let Value::Object(fields) = entry else {
            return Err(error(&location, format!("expected an object, found {}", kind(entry))));
        };
        let field = |name: &str| fields.get(name).filter(|value| !value.is_null());
        let at = |field: &str| format!("{location}.{field}");
        let required = |name: &str| {
            field(name).ok_or_else(|| error(&location, format!("`{name}` is missing; botocore requires it")))
        };
        let input_tokens = strings(required("input_token")?).map_err(|m| error(&at("input_token"), m))?;
        let output_tokens = strings(required("output_token")?).map_err(|m| error(&at("output_token"), m))?;
        let result_keys = strings(required("result_key")?).map_err(|m| error(&at("result_key"), m))?;
        for (i, path) in result_keys.iter().enumerate() {
            let here = if matches!(field("result_key"), Some(Value::Array(_))) {
                format!("{}[{i}]", at("result_key"))
            } else {
                at("result_key")
            };
            member_path(path).map_err(|m| error(&here, m))?;
        }
        let non_aggregate_keys = match field("non_aggregate_keys") {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut keys = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let here = format!("{}[{i}]", at("non_aggregate_keys"));
                    let Value::String(path) = item else {
                        return Err(error(&here, format!("expected a string, found {}", kind(item))));
                    };
                    member_path(path).map_err(|m| error(&here, m))?;
                    keys.push(path.clone());
                }
                keys
            }
            Some(other) => {
                return Err(error(
                    &at("non_aggregate_keys"),
                    format!("expected a list of strings, found {}", kind(other)),
                ))
            }
        };
        let optional_string = |name: &str| -> Result<Option<String>, LoadError> {
            match field(name) {
                None => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(other) => Err(error(&at(name), format!("expected a string, found {}", kind(other)))),
            }
        };
        let limit_key = optional_string("limit_key")?;
        let more_results = optional_string("more_results")?;
        if let Some(path) = &more_results {
            member_path(path).map_err(|m| error(&at("more_results"), m))?;
        }
        let paginator = BotocorePaginator {
            location,
            input_tokens,
            output_tokens,
            limit_key,
            result_keys,
            non_aggregate_keys,
            more_results,
        };
        operations.insert(name.clone(), paginator);
    }
    Ok(BotocorePaginators { file: file.to_string(), operations })
}

/// A string, or a non-empty list of strings, as botocore's token and result key fields hold them.
fn strings(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::String(text) => Ok(vec![text.clone()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(text) => Ok(text.clone()),
                other => Err(format!("item {i}: expected a string, found {}", kind(other))),
            })
            .collect(),
        Value::Array(_) => Err("expected a string or a non-empty list of strings, found an empty list".into()),
        other => Err(format!("expected a string or a list of strings, found {}", kind(other))),
    }
}

/// Checks that `path` is a dotted path of member names (`ResultSet.Rows`), the only form botocore can
/// aggregate into a result; its parts in order.
pub(crate) fn member_path(path: &str) -> Result<Vec<&str>, String> {
    let parts: Vec<&str> = path.split('.').collect();
    let identifier = |part: &str| {
        part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if parts.iter().all(|part| identifier(part)) {
        Ok(parts)
    } else {
        Err(format!("`{path}` is not a dotted path of member names, the only form botocore aggregates"))
    }
}

/// A JSON object key as a JSON path step: bare when it is an identifier, else quoted.
fn key(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        Value::String(name.to_string()).to_string()
    }
}

/// What kind of JSON value `value` is, with its article, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"pagination":{
        "Scan":{"input_token":"ExclusiveStartKey","output_token":"LastEvaluatedKey","limit_key":"Limit",
                "result_key":["Items","Count","ScannedCount"],"non_aggregate_keys":["ConsumedCapacity"]},
        "GetResults":{"input_token":"NextToken","output_token":"NextToken","result_key":"ResultSet.Rows",
                      "more_results":"ResultSet.More","non_aggregate_keys":["ResultSet.Metadata","UpdateCount"]},
        "ListObjects":{"input_token":["Marker"],"output_token":"NextMarker || Contents[-1].Key","result_key":"Contents"}
    },"version":"1.0"}"#;

    #[test]
    fn a_paginators_file_reads_into_each_operations_paginator() {
        let read = parse("paginators-1.json", GOOD.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.file, "paginators-1.json");
        let scan = &read.operations["Scan"];
        assert_eq!(scan.location, "pagination.Scan");
        assert_eq!(scan.input_tokens, ["ExclusiveStartKey"]);
        assert_eq!(scan.output_tokens, ["LastEvaluatedKey"]);
        assert_eq!(scan.limit_key.as_deref(), Some("Limit"));
        assert_eq!(scan.result_keys, ["Items", "Count", "ScannedCount"]);
        assert_eq!(scan.non_aggregate_keys, ["ConsumedCapacity"]);
        assert_eq!(scan.more_results, None);
        let results = &read.operations["GetResults"];
        assert_eq!(results.result_keys, ["ResultSet.Rows"]);
        assert_eq!(results.more_results.as_deref(), Some("ResultSet.More"));
        assert_eq!(results.non_aggregate_keys, ["ResultSet.Metadata", "UpdateCount"]);
        assert_eq!(results.limit_key, None);
        // A token botocore computes with JMESPath is read; whether it fits the model is decided later.
        assert_eq!(read.operations["ListObjects"].output_tokens, ["NextMarker || Contents[-1].Key"]);
    }

    #[test]
    fn a_malformed_file_is_an_error_naming_the_file_and_the_json_path() {
        let cases = [
            ("{\"pagination\": {", "line 1, column 16", "not valid JSON"),
            ("[]", "", "expected a JSON object with `pagination`"),
            ("{\"version\":\"1\"}", "", "no `pagination` object"),
            (r#"{"pagination":[]}"#, "pagination", "expected an object of operations, found a list"),
            (r#"{"pagination":{"List Things":3}}"#, "pagination.\"List Things\"", "expected an object, found a number"),
            (
                r#"{"pagination":{"L":{"output_token":"N","result_key":"R"}}}"#,
                "pagination.L",
                "`input_token` is missing",
            ),
            (
                r#"{"pagination":{"L":{"input_token":"N","output_token":"N"}}}"#,
                "pagination.L",
                "`result_key` is missing",
            ),
            (
                r#"{"pagination":{"L":{"input_token":7,"output_token":"N","result_key":"R"}}}"#,
                "pagination.L.input_token",
                "expected a string or a list of strings, found a number",
            ),
            (
                r#"{"pagination":{"L":{"input_token":"N","output_token":"N","result_key":[]}}}"#,
                "pagination.L.result_key",
                "found an empty list",
            ),
            (
                r#"{"pagination":{"L":{"input_token":"N","output_token":"N","result_key":["R","S[0]"]}}}"#,
                "pagination.L.result_key[1]",
                "`S[0]` is not a dotted path of member names",
            ),
            (
                r#"{"pagination":{"L":{"input_token":"N","output_token":"N","result_key":"A || B"}}}"#,
                "pagination.L.result_key",
                "`A || B` is not a dotted path",
            ),
            (
                r#"{"pagination":{"L":{"input_token":"N","output_token":"N","result_key":"R","non_aggregate_keys":"C"}}}"#,
                "pagination.L.non_aggregate_keys",
                "expected a list of strings, found a string",
            ),
            (
                r#"{"pagination":{"L":{"input_token":"N","output_token":"N","result_key":"R","non_aggregate_keys":["C",1]}}}"#,
                "pagination.L.non_aggregate_keys[1]",
                "expected a string, found a number",
            ),
            (
                r#"{"pagination":{"L":{"input_token":"N","output_token":"N","result_key":"R","more_results":"a..b"}}}"#,
                "pagination.L.more_results",
                "`a..b` is not a dotted path",
            ),
            (
                r#"{"pagination":{"L":{"input_token":"N","output_token":"N","result_key":"R","limit_key":5}}}"#,
                "pagination.L.limit_key",
                "expected a string, found a number",
            ),
        ];
        for (text, location, message) in cases {
            let error = parse("p.json", text.as_bytes()).expect_err(text);
            assert_eq!(error.file, "p.json");
            assert_eq!(error.location, location, "{text}: {error}");
            assert!(error.message.contains(message), "{text}: {error}");
        }
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let error = load_file(Path::new("no/such/paginators-1.json")).expect_err("missing");
        assert_eq!(error.file, "no/such/paginators-1.json");
        assert!(error.message.starts_with("cannot read botocore's paginators: "), "{error}");
    }
}
