//! Rust names for model names: case conversion, keyword escaping and the names generated code reserves.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; a name equal to one needs `r#` (or a suffix, for the few that cannot be raw).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that `r#` cannot escape; these get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names that generated modules define next to the model's types, so a model type must not take them.
const RESERVED_TYPE_NAMES: &[&str] = &["Client", "Config", "SdkError", "ValidationError", "DateTime", "Document", "Blob"];

/// The snake_case name of a member, field or function, escaped if it is a keyword.
///
/// `jobId` -> `job_id`, `type` -> `r#type`, `self` -> `self_`, `ARN` -> `arn`, `2xx` -> `_2xx`.
pub fn snake(name: &str) -> String {
    let mut snake = name.to_snake_case();
    if snake.is_empty() {
        snake.push_str("unnamed");
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    escape_keyword(snake)
}

/// The UpperCamelCase name of a type or enum variant, escaped if it is a keyword.
///
/// `job-status` -> `JobStatus`, `US_EAST_1` -> `UsEast1`, `Self` -> `Self_`, `3DES` -> `V3Des`.
pub fn pascal(name: &str) -> String {
    let mut pascal = name.to_upper_camel_case();
    if pascal.is_empty() {
        pascal.push_str("Unnamed");
    }
    if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal.insert(0, 'V');
    }
    escape_keyword(pascal)
}

/// The SCREAMING_SNAKE_CASE form, for constants.
pub fn screaming(name: &str) -> String {
    snake(name).trim_start_matches("r#").trim_end_matches('_').to_ascii_uppercase()
}

/// kebab-case, as the AWS CLI spells commands and options (`PutThirdPartyJobSuccessResult` ->
/// `put-third-party-job-success-result`).
pub fn kebab(name: &str) -> String {
    heck::ToKebabCase::to_kebab_case(name)
}

/// Whether a type name would clash with a name generated code defines beside the model's types.
pub fn is_reserved_type_name(name: &str) -> bool {
    RESERVED_TYPE_NAMES.contains(&name)
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier text without a raw prefix, for building derived names (`r#type` -> `type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Makes every snake_case name in `names` distinct, keeping the first of each clash and numbering the rest.
///
/// Used where two model names map to one Rust name (`fooBar` and `FooBar` both give `foo_bar`). The
/// caller passes names in a stable order, so the numbering is deterministic.
pub fn dedupe(names: &mut [String]) {
    dedupe_with(names, "_");
}

/// [`dedupe`] for UpperCamelCase names: `Foo`, `Foo2`, `Foo3`.
pub fn dedupe_pascal(names: &mut [String]) {
    dedupe_with(names, "");
}

fn dedupe_with(names: &mut [String], separator: &str) {
    let mut seen = std::collections::BTreeSet::new();
    for name in names.iter_mut() {
        if seen.insert(name.clone()) {
            continue;
        }
        let base = unraw(name).trim_end_matches('_').to_string();
        let mut n = 2;
        loop {
            let candidate = format!("{base}{separator}{n}");
            if !seen.contains(&candidate) {
                seen.insert(candidate.clone());
                *name = candidate;
                break;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_members() {
        assert_eq!(snake("jobId"), "job_id");
        assert_eq!(snake("clientToken"), "client_token");
        assert_eq!(snake("externalExecutionId"), "external_execution_id");
        assert_eq!(snake("ARN"), "arn");
        assert_eq!(snake("KMSKeyId"), "kms_key_id");
        assert_eq!(snake("SSEDescription"), "sse_description");
        assert_eq!(snake("S"), "s");
        assert_eq!(snake("NULL"), "null");
        assert_eq!(snake("BOOL"), "bool");
        assert_eq!(snake("percentComplete"), "percent_complete");
        assert_eq!(snake("__type"), "r#type");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("match"), "r#match");
        assert_eq!(snake("async"), "r#async");
        assert_eq!(snake("Loop"), "r#loop");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal("self"), "Self_");
        // `Type` is not a keyword in PascalCase, so it stays.
        assert_eq!(pascal("type"), "Type");
    }

    #[test]
    fn pascal_case_types_and_variants() {
        assert_eq!(pascal("JobStatus"), "JobStatus");
        assert_eq!(pascal("job-status"), "JobStatus");
        assert_eq!(pascal("US_EAST_1"), "UsEast1");
        assert_eq!(pascal("us-east-1"), "UsEast1");
        assert_eq!(pascal("InProgress"), "InProgress");
        assert_eq!(pascal("PAY_PER_REQUEST"), "PayPerRequest");
        assert_eq!(pascal("3DES"), "V3Des");
        assert_eq!(pascal(""), "Unnamed");
    }

    #[test]
    fn leading_digits_get_a_prefix() {
        assert_eq!(snake("2xx"), "_2xx");
        assert_eq!(pascal("1Day"), "V1Day");
    }

    #[test]
    fn kebab_matches_the_aws_cli() {
        assert_eq!(kebab("PutThirdPartyJobSuccessResult"), "put-third-party-job-success-result");
        assert_eq!(kebab("AcknowledgeThirdPartyJob"), "acknowledge-third-party-job");
        assert_eq!(kebab("jobId"), "job-id");
        assert_eq!(kebab("failureDetails"), "failure-details");
    }

    #[test]
    fn screaming_for_constants() {
        assert_eq!(screaming("jobId"), "JOB_ID");
        assert_eq!(screaming("type"), "TYPE");
        assert_eq!(screaming("self"), "SELF");
    }

    #[test]
    fn unraw_strips_the_prefix_only() {
        assert_eq!(unraw("r#type"), "type");
        assert_eq!(unraw("job_id"), "job_id");
    }

    #[test]
    fn dedupe_numbers_later_clashes() {
        let mut names = vec!["foo_bar".to_string(), "foo_bar".to_string(), "baz".to_string(), "foo_bar".to_string()];
        dedupe(&mut names);
        assert_eq!(names, ["foo_bar", "foo_bar_2", "baz", "foo_bar_3"]);
        let mut raw = vec!["r#type".to_string(), "r#type".to_string()];
        dedupe(&mut raw);
        assert_eq!(raw, ["r#type", "type_2"]);
        let mut taken = vec!["a".to_string(), "a_2".to_string(), "a".to_string()];
        dedupe(&mut taken);
        assert_eq!(taken, ["a", "a_2", "a_3"]);
    }

    #[test]
    fn dedupe_pascal_appends_digits() {
        let mut names = vec!["Foo".to_string(), "Foo".to_string()];
        dedupe_pascal(&mut names);
        assert_eq!(names, ["Foo", "Foo2"]);
    }

    #[test]
    fn reserved_type_names() {
        assert!(is_reserved_type_name("Client"));
        assert!(!is_reserved_type_name("JobStatus"));
    }
}
