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
const RESERVED_TYPE_NAMES: &[&str] =
    &["Client", "Config", "SdkError", "ValidationError", "DateTime", "Document", "Blob"];

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
    // heck keeps a leading number and the word after it together (`3DES` -> `3des`); split them so
    // the word keeps its capital.
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, rest) = name.split_at(digits);
    let mut pascal = rest.to_upper_camel_case();
    if !number.is_empty() {
        pascal = format!("V{number}{pascal}");
    }
    if pascal.is_empty() {
        pascal.push_str("Unnamed");
    }
    escape_keyword(pascal)
}

/// The SCREAMING_SNAKE_CASE form, for constants.
pub fn screaming(name: &str) -> String {
    unraw(&snake(name)).trim_end_matches('_').to_ascii_uppercase()
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

/// Methods the generated builders and the client's fluent builders have besides their setters, which a
/// member's setter must not take. (`default` would also hide `Default::default` from
/// `XBuilder::default()` calls.)
const BUILDER_METHODS: &[&str] = &["as_input", "build", "clone", "default", "new", "send"];

/// Names the `error` module re-exports beside the per-operation error enums.
const ERROR_MODULE_NAMES: &[&str] = &[
    "ConfigError",
    "DeserializeError",
    "ErrorMetadata",
    "LengthUnit",
    "ResponseError",
    "SdkError",
    "ServiceError",
    "TimeoutError",
    "UnhandledError",
    "ValidationError",
    "Violation",
    "ViolationKind",
];

/// Whether an operation's error enum name would clash with a name the `error` module re-exports.
pub fn is_reserved_error_name(name: &str) -> bool {
    ERROR_MODULE_NAMES.contains(&name)
}

/// The builder method that sets or clears a field (`job_id` -> `set_job_id`, `r#type` -> `set_type`).
pub fn setter_name(field: &str) -> String {
    format!("set_{}", unraw(field))
}

/// Rust field names for a structure's members, in member order: snake_case, distinct, and clear of
/// the builder's own methods.
///
/// `fooBar` and `FooBar` give `foo_bar` and `foo_bar_2`; `build` gives `build_value`; a member
/// `setFoo` next to a member `foo` (whose setters are `foo` and `set_foo`) gives `set_foo_value`.
pub fn field_names(members: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = members.iter().map(|m| snake(m)).collect();
    for name in &mut names {
        if BUILDER_METHODS.contains(&name.as_str()) {
            name.push_str("_value");
        }
    }
    dedupe(&mut names);
    // Renaming can only lengthen names, so this settles after a few rounds at most.
    loop {
        let setters: std::collections::BTreeSet<String> = names.iter().map(|n| setter_name(n)).collect();
        let mut changed = false;
        for name in &mut names {
            if setters.contains(name.as_str()) {
                *name = format!("{}_value", unraw(name));
                changed = true;
            }
        }
        if !changed {
            return names;
        }
        dedupe(&mut names);
    }
}

/// Rust variant names for enum values or union members, in member order: UpperCamelCase, distinct,
/// and never `Unknown`, the variant that keeps values the model does not define.
///
/// `fooBar` and `FooBar` give `FooBar` and `FooBar2`; `UNKNOWN` gives `UnknownValue`.
pub fn variant_names(members: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = members
        .iter()
        .map(|m| {
            let name = pascal(m);
            if name == "Unknown" {
                "UnknownValue".to_string()
            } else {
                name
            }
        })
        .collect();
    dedupe_pascal(&mut names);
    names
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
    fn leading_numbers_keep_the_next_words_capital() {
        assert_eq!(pascal("2FA"), "V2Fa");
        assert_eq!(pascal("10Gbps"), "V10Gbps");
        assert_eq!(pascal("1_day"), "V1Day");
        assert_eq!(pascal("42"), "V42");
        assert_eq!(pascal("v2"), "V2");
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

    fn fields(members: &[&str]) -> Vec<String> {
        field_names(members)
    }

    #[test]
    fn field_names_escape_keywords() {
        assert_eq!(
            fields(&["type", "self", "match", "Self", "super", "crate"]),
            ["r#type", "self_", "r#match", "self_2", "super_", "crate_"]
        );
        assert_eq!(
            fields(&["async", "await", "dyn", "gen", "try", "yield"]),
            ["r#async", "r#await", "r#dyn", "r#gen", "r#try", "r#yield"]
        );
    }

    #[test]
    fn field_names_keep_prelude_names_as_they_are() {
        // Fields live in their own namespace, so prelude type names are harmless there.
        assert_eq!(
            fields(&["Result", "Option", "Box", "String", "Vec", "Error"]),
            ["result", "option", "r#box", "string", "vec", "error"]
        );
    }

    #[test]
    fn field_names_that_differ_only_in_case_are_numbered_in_member_order() {
        assert_eq!(fields(&["fooBar", "FooBar"]), ["foo_bar", "foo_bar_2"]);
        assert_eq!(fields(&["FooBar", "fooBar"]), ["foo_bar", "foo_bar_2"]);
        assert_eq!(fields(&["ARN", "Arn", "arn"]), ["arn", "arn_2", "arn_3"]);
        assert_eq!(fields(&["foo_bar", "fooBar", "foo_bar_2"]), ["foo_bar", "foo_bar_2", "foo_bar_2_2"]);
        assert_eq!(fields(&["type", "Type", "TYPE"]), ["r#type", "type_2", "type_3"]);
    }

    #[test]
    fn field_names_avoid_the_builders_own_methods() {
        assert_eq!(fields(&["build"]), ["build_value"]);
        assert_eq!(
            fields(&["Default", "clone", "send", "new", "asInput"]),
            ["default_value", "clone_value", "send_value", "new_value", "as_input_value"]
        );
        assert_eq!(fields(&["build", "buildValue"]), ["build_value", "build_value_2"]);
        // `builder` and `set` are not methods of the builder.
        assert_eq!(fields(&["builder", "set"]), ["builder", "set"]);
    }

    #[test]
    fn field_names_avoid_another_members_setter() {
        // `name` has the setters `name` and `set_name`; the member `setName` must not take the second.
        assert_eq!(fields(&["name", "setName"]), ["name", "set_name_value"]);
        assert_eq!(fields(&["setName", "name"]), ["set_name_value", "name"]);
        assert_eq!(fields(&["type", "setType"]), ["r#type", "set_type_value"]);
        // Without `name` there is no clash to avoid.
        assert_eq!(fields(&["setName"]), ["set_name"]);
        // Renaming can create a new clash, which is resolved too.
        assert_eq!(fields(&["name", "setName", "setNameValue"]), ["name", "set_name_value", "set_name_value_2"]);
        let names = fields(&["a", "setA", "setSetA", "setSetSetA"]);
        let setters: Vec<String> = names.iter().map(|n| setter_name(n)).collect();
        assert!(names.iter().all(|n| !setters.contains(n)), "{names:?}");
    }

    #[test]
    fn field_names_are_always_distinct() {
        let members = ["x", "X", "x_2", "x2", "build", "build_value", "setX", "set_x", "type", "r#type", "", "2", "_2"];
        let names = fields(&members);
        let unique: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), members.len(), "{names:?}");
    }

    #[test]
    fn setter_names_strip_raw_prefixes() {
        assert_eq!(setter_name("job_id"), "set_job_id");
        assert_eq!(setter_name("r#type"), "set_type");
        assert_eq!(setter_name("self_"), "set_self_");
    }

    #[test]
    fn variant_names_are_upper_camel_case_and_distinct() {
        assert_eq!(variant_names(&["S", "N", "B", "SS", "NULL", "BOOL"]), ["S", "N", "B", "Ss", "Null", "Bool"]);
        assert_eq!(variant_names(&["fooBar", "FooBar", "FOO_BAR"]), ["FooBar", "FooBar2", "FooBar3"]);
        assert_eq!(variant_names(&["self", "Self", "type"]), ["Self_", "Self2", "Type"]);
        assert_eq!(variant_names(&["1Day", "3DES"]), ["V1Day", "V3Des"]);
    }

    #[test]
    fn variant_names_never_take_unknown() {
        assert_eq!(variant_names(&["UNKNOWN"]), ["UnknownValue"]);
        assert_eq!(variant_names(&["unknown", "Unknown"]), ["UnknownValue", "UnknownValue2"]);
        assert_eq!(variant_names(&["UnknownValue", "UNKNOWN"]), ["UnknownValue", "UnknownValue2"]);
    }

    #[test]
    fn variant_names_keep_prelude_names() {
        // Variants are always written as `Enum::Variant`, so these cannot be confused with the prelude.
        assert_eq!(variant_names(&["NONE", "SOME", "OK", "ERR"]), ["None", "Some", "Ok", "Err"]);
    }

    #[test]
    fn error_enum_names_avoid_the_error_modules_reexports() {
        for name in ["SdkError", "ServiceError", "ValidationError", "ConfigError", "TimeoutError", "ResponseError"] {
            assert!(is_reserved_error_name(name), "{name}");
        }
        assert!(!is_reserved_error_name("PutItemError"));
    }
}
