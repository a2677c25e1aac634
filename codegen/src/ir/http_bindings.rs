//! Lowering of restJson1's HTTP bindings (`@http`, `@httpLabel`, `@httpQuery`, `@httpQueryParams`,
//! `@httpHeader`, `@httpPrefixHeaders`, `@httpPayload`, `@httpResponseCode`) and of `@jsonName`,
//! checked once so the emitters only read them. The awsJson protocols ignore every one of these
//! traits.

use crate::model::{LoadError, Member, Model, Shape, ShapeKind, TimestampFormat};

use super::{ConstantQuery, Field, HttpBinding, HttpOperation, PathSegment, PayloadKind, UriPattern};

/// An error at `location` of the model file.
fn error(model: &Model, location: impl Into<String>, message: impl Into<String>) -> LoadError {
    LoadError { file: model.file.clone(), location: location.into(), message: message.into() }
}

/// The operation's `@http` trait, lowered, with its labels checked against the input's members:
/// every label names an `@httpLabel` member of the input and every such member has its label.
/// `None` when the operation has no `@http` (which restJson1 requires: see [`lower_operation`]).
pub fn lower_operation(model: &Model, operation: &Shape, input: Option<&Shape>) -> Result<HttpOperation, LoadError> {
    let at = format!("{}.\"smithy.api#http\"", operation.traits.json_path);
    let Some(http) = &operation.traits.http else {
        return Err(error(
            model,
            operation.traits.json_path.clone(),
            format!("operation `{}` has no smithy.api#http trait, which restJson1 requires", operation.id),
        ));
    };
    let uri = parse_uri(&http.uri).map_err(|why| error(model, format!("{at}.uri"), why))?;
    let members: &[Member] = match input.map(|s| &s.kind) {
        Some(ShapeKind::Structure { members }) => members,
        _ => &[],
    };
    for segment in &uri.segments {
        if let PathSegment::Label { member_name, .. } = segment {
            let member = members.iter().find(|m| &m.name == member_name);
            if !member.is_some_and(|m| m.traits.http_label) {
                return Err(error(
                    model,
                    format!("{at}.uri"),
                    format!("the label `{{{member_name}}}` names no @httpLabel member of the operation's input"),
                ));
            }
        }
    }
    for member in members.iter().filter(|m| m.traits.http_label) {
        let labelled = uri
            .segments
            .iter()
            .any(|s| matches!(s, PathSegment::Label { member_name, .. } if member_name == &member.name));
        if !labelled {
            return Err(error(
                model,
                format!("{}.\"smithy.api#httpLabel\"", member.traits.json_path),
                format!("the URI pattern `{}` has no label `{{{}}}` for this member", http.uri, member.name),
            ));
        }
    }
    Ok(HttpOperation { method: http.method.to_ascii_uppercase(), uri, code: http.code })
}

/// Splits a URI pattern into path segments and constant query parameters.
pub fn parse_uri(template: &str) -> Result<UriPattern, String> {
    let (path, query) = match template.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (template, None),
    };
    let Some(path) = path.strip_prefix('/') else {
        return Err(format!("the URI pattern `{template}` does not start with `/`"));
    };
    let mut segments = Vec::new();
    let mut greedy_seen = false;
    if !path.is_empty() {
        for segment in path.split('/') {
            let label = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
            match label {
                Some(label) => {
                    let (name, greedy) = match label.strip_suffix('+') {
                        Some(name) => (name, true),
                        None => (label, false),
                    };
                    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        return Err(format!("`{segment}` in `{template}` is not a valid label"));
                    }
                    if greedy && greedy_seen {
                        return Err(format!("`{template}` has more than one greedy label"));
                    }
                    greedy_seen |= greedy;
                    segments.push(PathSegment::Label { member_name: name.to_string(), greedy });
                }
                None if segment.contains('{') || segment.contains('}') => {
                    return Err(format!("`{segment}` in `{template}`: a label must be a whole path segment"));
                }
                None => segments.push(PathSegment::Literal(segment.to_string())),
            }
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for segment in &segments {
        if let PathSegment::Label { member_name, .. } = segment {
            if !names.insert(member_name.as_str()) {
                return Err(format!("`{template}` uses the label `{member_name}` twice"));
            }
        }
    }
    let query = match query {
        None => Vec::new(),
        Some(query) => query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                if pair.contains('{') || pair.contains('}') {
                    return Err(format!("`{pair}` in `{template}`: the query string cannot hold labels"));
                }
                Ok(match pair.split_once('=') {
                    Some((name, value)) => ConstantQuery { name: name.to_string(), value: Some(value.to_string()) },
                    None => ConstantQuery { name: pair.to_string(), value: None },
                })
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(UriPattern { template: template.to_string(), segments, query })
}

/// Which kind of top-level structure a member belongs to, for the bindings allowed there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An operation's input.
    Input,
    /// An operation's output.
    Output,
    /// An error structure.
    Error,
    /// Any other structure, or a union: always [`HttpBinding::Body`].
    Nested,
}

/// The binding of one member of a structure in `role`, with what it needs checked: a label, query
/// parameter or header holds a simple value (or, for queries and headers, a list of them); query
/// params and prefix headers are maps of strings (query params: or of string lists).
pub fn lower_member(model: &Model, member: &Member, role: Role) -> Result<HttpBinding, LoadError> {
    if role == Role::Nested {
        return Ok(HttpBinding::Body);
    }
    let traits = &member.traits;
    let target = &model.shapes[&member.target];
    let at = |name: &str| format!("{}.\"smithy.api#{name}\"", traits.json_path);
    // A binding that has no place in this message (a label or query in a response, a response code
    // in a request) is ignored, as Smithy's own protocol tests expect: the member is a body member.
    if traits.http_label && role == Role::Input {
        simple_value(model, target, &at("httpLabel"), false)?;
        return Ok(HttpBinding::Label { timestamp_format: timestamp_format(model, member, TimestampFormat::DateTime) });
    }
    if let Some(name) = traits.http_query.as_ref().filter(|_| role == Role::Input) {
        simple_value(model, target, &at("httpQuery"), true)?;
        let timestamp_format = timestamp_format(model, member, TimestampFormat::DateTime);
        return Ok(HttpBinding::Query { name: name.clone(), timestamp_format });
    }
    if traits.http_query_params && role == Role::Input {
        string_map(model, target, &at("httpQueryParams"), true)?;
        return Ok(HttpBinding::QueryParams);
    }
    if let Some(name) = &traits.http_header {
        simple_value(model, target, &at("httpHeader"), true)?;
        let timestamp_format = timestamp_format(model, member, TimestampFormat::HttpDate);
        let base64 = matches!(target.kind, ShapeKind::String) && target.traits.media_type.is_some();
        return Ok(HttpBinding::Header { name: name.clone(), timestamp_format, base64 });
    }
    if let Some(prefix) = &traits.http_prefix_headers {
        string_map(model, target, &at("httpPrefixHeaders"), false)?;
        return Ok(HttpBinding::PrefixHeaders { prefix: prefix.clone() });
    }
    if traits.http_response_code && role == Role::Output {
        if !matches!(target.kind, ShapeKind::Integer) {
            return Err(error(model, at("httpResponseCode"), "@httpResponseCode must target an integer"));
        }
        return Ok(HttpBinding::ResponseCode);
    }
    if traits.http_payload {
        let (kind, default_type) = match &target.kind {
            ShapeKind::Structure { .. } | ShapeKind::Union { .. } => (PayloadKind::Json, "application/json"),
            ShapeKind::Document => (PayloadKind::Document, "application/json"),
            ShapeKind::String | ShapeKind::Enum { .. } => (PayloadKind::Text, "text/plain"),
            ShapeKind::Blob if target.traits.streaming => (
                PayloadKind::StreamingBlob { requires_length: target.traits.requires_length },
                "application/octet-stream",
            ),
            ShapeKind::Blob => (PayloadKind::Blob, "application/octet-stream"),
            other => {
                return Err(error(
                    model,
                    at("httpPayload"),
                    format!(
                        "@httpPayload targets a {}; it must be a structure, union, document, string, enum or blob",
                        other.type_name()
                    ),
                ))
            }
        };
        let content_type = target.traits.media_type.clone().unwrap_or_else(|| default_type.to_string());
        return Ok(HttpBinding::Payload { kind, content_type });
    }
    Ok(HttpBinding::Body)
}

/// Under restJson1, gives the fields lowered from `members` (in the same order) of the structure or
/// union `owner` their JSON keys (`@jsonName`, which the awsJson protocols ignore) and, in a
/// structure playing `role`, their HTTP bindings, checked; under awsJson, leaves them alone.
pub fn bind_fields(
    model: &Model,
    owner: &Shape,
    members: &[Member],
    fields: &mut [Field],
    role: Role,
    rest_json: bool,
) -> Result<(), LoadError> {
    if !rest_json {
        return Ok(());
    }
    let mut bindings = Vec::with_capacity(members.len());
    for (member, field) in members.iter().zip(fields.iter_mut()) {
        if let Some(json_name) = &member.traits.json_name {
            field.wire_name = json_name.clone();
        }
        field.http = lower_member(model, member, role)?;
        bindings.push((member, field.http.clone()));
    }
    let pairs: Vec<(&Member, &HttpBinding)> = bindings.iter().map(|(m, b)| (*m, b)).collect();
    check_structure(model, owner, &pairs)
}

/// Checks that every member of one structure has at most one payload, and that a payload leaves no
/// member in the body.
pub fn check_structure(model: &Model, owner: &Shape, bindings: &[(&Member, &HttpBinding)]) -> Result<(), LoadError> {
    let payloads: Vec<&Member> =
        bindings.iter().filter(|(_, b)| matches!(b, HttpBinding::Payload { .. })).map(|(m, _)| *m).collect();
    if payloads.len() > 1 {
        return Err(error(
            model,
            format!("{}.\"smithy.api#httpPayload\"", payloads[1].traits.json_path),
            format!("structure `{}` has more than one @httpPayload member", owner.id),
        ));
    }
    if let Some(payload) = payloads.first() {
        if let Some((body, _)) = bindings.iter().find(|(_, b)| b.is_body()) {
            return Err(error(
                model,
                body.json_path.clone(),
                format!(
                    "member `{}` would go in the body, which the @httpPayload member `{}` already is",
                    body.name, payload.name
                ),
            ));
        }
    }
    Ok(())
}

/// The format of a timestamp bound outside the body: `@timestampFormat` on the member, then on the
/// timestamp shape (for a list, on its member, then on that member's target), else `default`.
fn timestamp_format(model: &Model, member: &Member, default: TimestampFormat) -> TimestampFormat {
    let target = &model.shapes[&member.target];
    let from_list = match &target.kind {
        ShapeKind::List { member: item } => {
            item.traits.timestamp_format.or(model.shapes[&item.target].traits.timestamp_format)
        }
        _ => None,
    };
    member.traits.timestamp_format.or(target.traits.timestamp_format).or(from_list).unwrap_or(default)
}

/// Checks that `target` is a value a label, query parameter or header can hold: a string, enum,
/// number, boolean or timestamp (and a list of those where `list_ok`).
fn simple_value(model: &Model, target: &Shape, at: &str, list_ok: bool) -> Result<(), LoadError> {
    let simple = |shape: &Shape| {
        matches!(
            shape.kind,
            ShapeKind::String
                | ShapeKind::Enum { .. }
                | ShapeKind::IntEnum { .. }
                | ShapeKind::Boolean
                | ShapeKind::Byte
                | ShapeKind::Short
                | ShapeKind::Integer
                | ShapeKind::Long
                | ShapeKind::Float
                | ShapeKind::Double
                | ShapeKind::BigInteger
                | ShapeKind::BigDecimal
                | ShapeKind::Timestamp
        )
    };
    let fits = match &target.kind {
        ShapeKind::List { member } if list_ok => simple(&model.shapes[&member.target]),
        _ => simple(target),
    };
    if fits {
        Ok(())
    } else {
        let what = if list_ok { "a simple value or a list of them" } else { "a simple value" };
        Err(error(model, at, format!("the member targets a {}; it must be {what}", target.kind.type_name())))
    }
}

/// Checks that `target` is a map of strings (or, where `lists_ok`, of lists of strings).
fn string_map(model: &Model, target: &Shape, at: &str, lists_ok: bool) -> Result<(), LoadError> {
    let is_string = |shape: &Shape| matches!(shape.kind, ShapeKind::String | ShapeKind::Enum { .. });
    let fits = match &target.kind {
        ShapeKind::Map { value, .. } => {
            let value = &model.shapes[&value.target];
            is_string(value)
                || (lists_ok
                    && matches!(&value.kind, ShapeKind::List { member } if is_string(&model.shapes[&member.target])))
        }
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        let what = if lists_ok { "a map of strings or of string lists" } else { "a map of strings" };
        Err(error(model, at, format!("the member targets a {}; it must be {what}", target.kind.type_name())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{lower, IrError, Selection, Service, TypeDefKind};
    use crate::model::load_slice;

    /// A restJson1 service with one operation `Op` (`@http` as given) whose input and output have
    /// these members; `shapes` adds shapes of its own.
    fn lowered(http: &str, input: &str, output: &str, shapes: &str) -> Result<Service, IrError> {
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{
                "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#Op"}}],
                          "traits":{{"aws.protocols#restJson1":{{}}}}}},
                "ex#Op":{{"type":"operation","input":{{"target":"ex#In"}},"output":{{"target":"ex#Out"}},
                         "traits":{{"smithy.api#http":{http}}}}},
                "ex#In":{{"type":"structure","members":{{{input}}}}},
                "ex#Out":{{"type":"structure","members":{{{output}}}}}{shapes}}}}}"#
        );
        let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() })
    }

    fn bindings(service: &Service, structure: &str) -> Vec<(String, String, HttpBinding)> {
        let Some(TypeDefKind::Structure(s)) = service.type_def(structure).map(|d| &d.kind) else {
            panic!("{structure}")
        };
        s.fields.iter().map(|f| (f.member_name.clone(), f.wire_name.clone(), f.http.clone())).collect()
    }

    const STRING: &str = r#"{"target":"smithy.api#String""#;

    #[test]
    fn members_get_their_bindings_and_timestamps_the_format_of_their_location() {
        let input = format!(
            r#""id":{STRING},"traits":{{"smithy.api#httpLabel":{{}},"smithy.api#required":{{}}}}}},
               "when":{{"target":"smithy.api#Timestamp","traits":{{"smithy.api#httpQuery":"when"}}}},
               "since":{{"target":"smithy.api#Timestamp","traits":{{"smithy.api#httpHeader":"X-Since"}}}},
               "epoch":{{"target":"smithy.api#Timestamp","traits":{{"smithy.api#httpHeader":"X-Epoch",
                        "smithy.api#timestampFormat":"epoch-seconds"}}}},
               "dates":{{"target":"ex#Dates","traits":{{"smithy.api#httpHeader":"X-Dates"}}}},
               "token":{{"target":"ex#Json","traits":{{"smithy.api#httpHeader":"X-Json"}}}},
               "tags":{{"target":"ex#Tags","traits":{{"smithy.api#httpPrefixHeaders":"X-Tag-"}}}},
               "more":{{"target":"ex#Tags","traits":{{"smithy.api#httpQueryParams":{{}}}}}},
               "name":{STRING},"traits":{{"smithy.api#jsonName":"Name"}}}}"#
        );
        let shapes = r#","ex#Dates":{"type":"list","member":{"target":"ex#Date"}},
            "ex#Date":{"type":"timestamp","traits":{"smithy.api#timestampFormat":"date-time"}},
            "ex#Json":{"type":"string","traits":{"smithy.api#mediaType":"application/json"}},
            "ex#Tags":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"smithy.api#String"}}"#;
        let output = r#""code":{"target":"smithy.api#Integer","traits":{"smithy.api#httpResponseCode":{}}},
                        "data":{"target":"smithy.api#Blob","traits":{"smithy.api#httpPayload":{}}}"#;
        let service =
            lowered(r#"{"method":"put","uri":"/things/{id}?kind=x","code":201}"#, &input, output, shapes).unwrap();
        let op = &service.operations[0];
        let http = op.http.as_ref().expect("restJson1 operations have their @http");
        assert_eq!((http.method.as_str(), http.code), ("PUT", 201));
        use TimestampFormat::*;
        let header =
            |name: &str, timestamp_format, base64| HttpBinding::Header { name: name.into(), timestamp_format, base64 };
        let expected = vec![
            ("id", "id", HttpBinding::Label { timestamp_format: DateTime }),
            ("when", "when", HttpBinding::Query { name: "when".into(), timestamp_format: DateTime }),
            ("since", "since", header("X-Since", HttpDate, false)),
            ("epoch", "epoch", header("X-Epoch", EpochSeconds, false)),
            ("dates", "dates", header("X-Dates", DateTime, false)),
            ("token", "token", header("X-Json", HttpDate, true)),
            ("tags", "tags", HttpBinding::PrefixHeaders { prefix: "X-Tag-".into() }),
            ("more", "more", HttpBinding::QueryParams),
            ("name", "Name", HttpBinding::Body),
        ];
        let expected: Vec<(String, String, HttpBinding)> =
            expected.into_iter().map(|(m, w, b)| (m.to_string(), w.to_string(), b)).collect();
        assert_eq!(bindings(&service, "In"), expected);
        let payload = HttpBinding::Payload { kind: PayloadKind::Blob, content_type: "application/octet-stream".into() };
        assert_eq!(bindings(&service, "Out")[0].2, HttpBinding::ResponseCode);
        assert_eq!(bindings(&service, "Out")[1].2, payload);
    }

    #[test]
    fn bindings_without_a_place_in_the_message_leave_the_member_in_the_body() {
        let output = format!(
            r#""q":{STRING},"traits":{{"smithy.api#httpQuery":"q"}}}},
               "h":{STRING},"traits":{{"smithy.api#httpHeader":"X-H"}}}}"#
        );
        let input = r#""code":{"target":"smithy.api#Integer","traits":{"smithy.api#httpResponseCode":{}}}"#;
        let service = lowered(r#"{"method":"POST","uri":"/"}"#, input, &output, "").unwrap();
        assert_eq!(bindings(&service, "In")[0].2, HttpBinding::Body);
        let out = bindings(&service, "Out");
        assert_eq!(out[0].2, HttpBinding::Body);
        assert_eq!(
            out[1].2,
            HttpBinding::Header { name: "X-H".into(), timestamp_format: TimestampFormat::HttpDate, base64: false }
        );
    }

    #[test]
    fn awsjson_keeps_member_names_and_has_no_bindings() {
        let text = r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"}],
                      "traits":{"aws.protocols#awsJson1_1":{}}},
            "ex#Op":{"type":"operation","input":{"target":"ex#In"},"traits":{"smithy.api#http":{"method":"GET","uri":"/{id}"}}},
            "ex#In":{"type":"structure","members":{"id":{"target":"smithy.api#String",
                     "traits":{"smithy.api#httpLabel":{},"smithy.api#jsonName":"Id","smithy.api#required":{}}}}}}}"#;
        let model = load_slice("test.json", text.as_bytes()).unwrap();
        let service = lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() }).unwrap();
        assert!(service.operations[0].http.is_none());
        assert_eq!(bindings(&service, "In"), vec![("id".into(), "id".into(), HttpBinding::Body)]);
    }

    #[test]
    fn binding_mistakes_are_errors_at_the_trait() {
        let label = format!(r#""id":{STRING},"traits":{{"smithy.api#httpLabel":{{}},"smithy.api#required":{{}}}}}}"#);
        let cases = [
            (
                r#"{"method":"GET","uri":"/x/{other}"}"#.to_string(),
                label.clone(),
                String::new(),
                "names no @httpLabel member",
            ),
            (r#"{"method":"GET","uri":"/x"}"#.to_string(), label.clone(), String::new(), "has no label `{id}`"),
            (
                r#"{"method":"GET","uri":"/x"}"#.to_string(),
                format!(r#""a":{STRING},"traits":{{"smithy.api#httpPayload":{{}}}}}},"b":{STRING}}}"#),
                String::new(),
                "already is",
            ),
            (
                r#"{"method":"GET","uri":"/x"}"#.to_string(),
                r#""a":{"target":"ex#Out","traits":{"smithy.api#httpHeader":"X-A"}}"#.to_string(),
                String::new(),
                "it must be a simple value or a list of them",
            ),
            (
                r#"{"method":"GET","uri":"/x"}"#.to_string(),
                String::new(),
                r#""a":{"target":"smithy.api#String","traits":{"smithy.api#httpResponseCode":{}}}"#.to_string(),
                "@httpResponseCode must target an integer",
            ),
        ];
        for (http, input, output, wanted) in cases {
            let error = lowered(&http, &input, &output, "").expect_err(wanted);
            assert!(error.message.contains(wanted), "{wanted}: {error}");
            assert!(error.location.starts_with("shapes."), "{error}");
        }
    }

    #[test]
    fn uri_patterns_split_into_literals_labels_and_constant_query() {
        let uri = parse_uri("/things/{thingId}/files/{path+}?type=x&flag").expect("parses");
        assert_eq!(
            uri.segments,
            vec![
                PathSegment::Literal("things".into()),
                PathSegment::Label { member_name: "thingId".into(), greedy: false },
                PathSegment::Literal("files".into()),
                PathSegment::Label { member_name: "path".into(), greedy: true },
            ]
        );
        assert_eq!(
            uri.query,
            vec![
                ConstantQuery { name: "type".into(), value: Some("x".into()) },
                ConstantQuery { name: "flag".into(), value: None },
            ]
        );
        assert_eq!(parse_uri("/").expect("parses").segments, Vec::new());
        assert_eq!(parse_uri("/a/").expect("parses").segments.last(), Some(&PathSegment::Literal(String::new())));
    }

    #[test]
    fn malformed_uri_patterns_say_what_is_wrong() {
        for (pattern, wanted) in [
            ("things", "does not start with `/`"),
            ("/a{b}", "whole path segment"),
            ("/{a+}/{b+}", "more than one greedy label"),
            ("/{a}/{a}", "twice"),
            ("/{}", "not a valid label"),
            ("/a?b={c}", "cannot hold labels"),
        ] {
            let why = parse_uri(pattern).expect_err(pattern);
            assert!(why.contains(wanted), "{pattern}: {why}");
        }
    }
}
