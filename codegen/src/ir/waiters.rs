//! Lowering of `smithy.waiters#waitable`: each waiter of a generated operation, with its acceptors in
//! the model's order and every JMESPath path checked by compiling it (`crate::jmespath`). A waiter
//! the generator cannot build (a path outside the compiler's subset or not fitting the shapes, a
//! malformed trait) is left out with a warning naming why; the rest of the crate is unaffected.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Operation, Presence, Service, TyKind, TypeDefKind, Warning};
use crate::jmespath::{self, Comparator, Root, Shape};
use crate::model::{Model, ShapeId};
use crate::naming::{kebab, snake, unraw};

/// Delays when the waiter gives none, in seconds (the waiters specification's defaults).
const DEFAULT_MIN_DELAY: u64 = 2;
const DEFAULT_MAX_DELAY: u64 = 120;

/// One waiter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiter {
    /// The model's name (`TableExists`).
    pub name: String,
    /// The `Client` method's name without its `wait_until_` prefix (`table_exists`).
    pub fn_name: String,
    /// The CLI's name for it (`table-exists`).
    pub cli_name: String,
    /// The operation polled, by its model name (`DescribeTable`).
    pub operation: String,
    /// `documentation`, CommonMark.
    pub docs: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `minDelay`, seconds.
    pub min_delay: u64,
    /// `maxDelay`, seconds.
    pub max_delay: u64,
    /// In the model's order, the order they are tried in.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor: a matcher and the state it moves the waiter to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptor {
    /// The state when the matcher matches.
    pub state: AcceptorState,
    /// What it matches.
    pub matcher: Matcher,
}

/// An acceptor's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

/// What an acceptor matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// A path into a successful output, compared with an expected value.
    Output(PathMatcher),
    /// A path into `{"input": ..., "output": ...}` of a successful call.
    InputOutput(PathMatcher),
    /// `true`: any success; `false`: any error.
    Success(bool),
    /// An error with this code (the name part of a shape ID).
    ErrorType(String),
}

/// A JMESPath path, a comparator and the value expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatcher {
    /// The JMESPath expression, as the model writes it.
    pub path: String,
    /// The expected value, as the model writes it.
    pub expected: String,
    /// How the path's value is compared with `expected`.
    pub comparator: Comparator,
}

/// The waiters of `service`'s operations, in operation and then name order, and warnings for the
/// ones left out. `service` must be fully lowered: paths are checked against its types.
pub fn lower(model: &Model, service: &Service) -> (Vec<Waiter>, Vec<Warning>) {
    let mut waiters = Vec::new();
    let mut warnings = Vec::new();
    // Waiter names are unique case-insensitively across the service, by the specification.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for op in &service.operations {
        let Some(shape) = model.shapes.get(&ShapeId::new(op.shape_id.clone())) else { continue };
        let Some(trait_value) = &shape.traits.waitable else { continue };
        let trait_path = format!("{}.\"smithy.waiters#waitable\"", shape.traits.json_path);
        let warn = |location: String, message: String| Warning {
            file: model.file.clone(),
            shape: op.shape_id.clone(),
            location,
            message,
        };
        if super::paginators::streams(service, &op.input) || super::paginators::streams(service, &op.output) {
            warnings.push(warn(
                trait_path,
                format!(
                    "operation `{}` streams its input or output, which a waiter cannot send again or read; no waiters are generated for it",
                    op.shape_id
                ),
            ));
            continue;
        }
        let Some(map) = trait_value.as_object() else {
            warnings.push(warn(
                trait_path,
                format!(
                    "operation `{}`: `smithy.waiters#waitable` is not an object; no waiters are generated for it",
                    op.shape_id
                ),
            ));
            continue;
        };
        // By name, so the crate does not depend on the order the model lists them in.
        let mut named: Vec<(&String, &Value)> = map.iter().collect();
        named.sort_by(|a, b| a.0.cmp(b.0));
        for (name, body) in named {
            let location = format!("{trait_path}.{name}");
            match lower_one(service, op, name, body) {
                Ok(waiter) => {
                    let method = format!("wait_until_{}", unraw(&waiter.fn_name));
                    if let Some(other) = service.operations.iter().find(|o| unraw(&o.fn_name) == method) {
                        warnings.push(warn(
                            location,
                            format!(
                                "waiter `{name}` of `{}` is left out: its method `{method}` would clash with operation `{}`'s",
                                op.name, other.name
                            ),
                        ));
                        continue;
                    }
                    if let Some(other) = seen.insert(name.to_ascii_lowercase(), op.name.clone()) {
                        warnings.push(warn(
                            location,
                            format!("waiter `{name}` of `{}`: the name is already taken by a waiter of `{other}` (waiter names are unique across a service, ignoring case); it is left out", op.name),
                        ));
                        continue;
                    }
                    waiters.push(waiter);
                }
                Err((at, message)) => {
                    let location = if at.is_empty() { location } else { format!("{location}.{at}") };
                    warnings.push(warn(location, format!("waiter `{name}` of `{}` is left out: {message}", op.name)));
                }
            }
        }
    }
    (waiters, warnings)
}

type Problem = (String, String);

fn lower_one(service: &Service, op: &Operation, name: &str, body: &Value) -> Result<Waiter, Problem> {
    let problem = |at: &str, message: String| (at.to_string(), message);
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(problem("", "a waiter's name is UpperCamelCase letters and digits".to_string()));
    }
    let body = body.as_object().ok_or_else(|| problem("", "the waiter is not an object".to_string()))?;
    let delay = |key: &str, default: u64| -> Result<u64, Problem> {
        match body.get(key) {
            None => Ok(default),
            Some(value) => value.as_u64().filter(|secs| *secs >= 1).ok_or_else(|| {
                problem(key, format!("`{key}` must be a whole number of seconds, at least 1, not {value}"))
            }),
        }
    };
    let min_delay = delay("minDelay", DEFAULT_MIN_DELAY)?;
    let max_delay = delay("maxDelay", DEFAULT_MAX_DELAY)?;
    if min_delay > max_delay {
        return Err(problem("minDelay", format!("`minDelay` ({min_delay}) is greater than `maxDelay` ({max_delay})")));
    }
    let docs = match body.get("documentation") {
        None => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => return Err(problem("documentation", "`documentation` is not a string".to_string())),
    };
    let deprecated = match body.get("deprecated") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(problem("deprecated", "`deprecated` is not a boolean".to_string())),
    };
    let Some(list) = body.get("acceptors").and_then(Value::as_array) else {
        return Err(problem("acceptors", "`acceptors` is missing or not a list".to_string()));
    };
    let mut acceptors = Vec::new();
    for (index, acceptor) in list.iter().enumerate() {
        let at = format!("acceptors[{index}]");
        acceptors.push(lower_acceptor(service, op, acceptor).map_err(|(inner, message)| {
            (if inner.is_empty() { at.clone() } else { format!("{at}.{inner}") }, message)
        })?);
    }
    if !acceptors.iter().any(|a| a.state == AcceptorState::Success) {
        return Err(problem(
            "acceptors",
            "no acceptor has the `success` state, so the waiter could never succeed".to_string(),
        ));
    }
    Ok(Waiter {
        name: name.to_string(),
        fn_name: snake(name),
        cli_name: kebab(name),
        operation: op.name.clone(),
        docs,
        deprecated,
        min_delay,
        max_delay,
        acceptors,
    })
}

fn lower_acceptor(service: &Service, op: &Operation, acceptor: &Value) -> Result<Acceptor, Problem> {
    let problem = |at: &str, message: String| (at.to_string(), message);
    let state = match acceptor.get("state").and_then(Value::as_str) {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        other => {
            return Err(problem("state", format!("the state must be `success`, `failure` or `retry`, not {other:?}")))
        }
    };
    let Some(matcher) = acceptor.get("matcher").and_then(Value::as_object) else {
        return Err(problem("matcher", "`matcher` is missing or not an object".to_string()));
    };
    let mut kinds = matcher.iter();
    let (Some((kind, value)), None) = (kinds.next(), kinds.next()) else {
        return Err(problem(
            "matcher",
            "a matcher sets exactly one of `output`, `inputOutput`, `success`, `errorType`".to_string(),
        ));
    };
    let at = format!("matcher.{kind}");
    let matcher = match kind.as_str() {
        "output" => {
            let path = path_matcher(value).map_err(|(inner, m)| (format!("{at}.{inner}"), m))?;
            check(service, Root::Output(&op.output), &path).map_err(|m| (format!("{at}.path"), m))?;
            Matcher::Output(path)
        }
        "inputOutput" => {
            let path = path_matcher(value).map_err(|(inner, m)| (format!("{at}.{inner}"), m))?;
            let root = Root::InputOutput { input: &op.input, output: &op.output };
            check(service, root, &path).map_err(|m| (format!("{at}.path"), m))?;
            Matcher::InputOutput(path)
        }
        "success" => {
            Matcher::Success(value.as_bool().ok_or_else(|| problem(&at, "`success` is not a boolean".to_string()))?)
        }
        "errorType" => {
            let text = value.as_str().ok_or_else(|| problem(&at, "`errorType` is not a string".to_string()))?;
            // An absolute shape ID matches on its name part.
            let name = text.rsplit_once('#').map_or(text, |(_, name)| name);
            if name.is_empty() {
                return Err(problem(&at, "`errorType` is empty".to_string()));
            }
            Matcher::ErrorType(name.to_string())
        }
        other => return Err(problem("matcher", format!("unknown matcher `{other}`"))),
    };
    Ok(Acceptor { state, matcher })
}

fn path_matcher(value: &Value) -> Result<PathMatcher, Problem> {
    let field = |key: &str| -> Result<&str, Problem> {
        value
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| (key.to_string(), format!("`{key}` is missing or not a string")))
    };
    let path = field("path")?.to_string();
    let expected = field("expected")?.to_string();
    let name = field("comparator")?;
    let comparator = Comparator::from_name(name).ok_or_else(|| {
        ("comparator".to_string(), format!("unknown comparator `{name}` (expected stringEquals, booleanEquals, allStringEquals or anyStringEquals)"))
    })?;
    Ok(PathMatcher { path, expected, comparator })
}

/// Compiles the matcher to find any problem now; the emitter compiles it again for its tokens (so
/// the runtime module's path given here is never printed).
fn check(service: &Service, root: Root<'_>, path: &PathMatcher) -> Result<(), String> {
    jmespath::compile_matcher(service, &quote::quote!(waiter), root, &path.path, path.comparator, &path.expected)
        .map(drop)
        .map_err(|e| format!("path `{}`: {e}", path.path))
}

/// The IR's structures as the JMESPath compiler sees them.
impl jmespath::Shapes for Service {
    fn members(&self, structure: &str) -> Option<Vec<jmespath::Member>> {
        let Some(TypeDefKind::Structure(s)) = self.type_def(structure).map(|def| &def.kind) else { return None };
        Some(
            s.fields
                .iter()
                .map(|field| jmespath::Member {
                    name: field.member_name.clone(),
                    rust_name: field.rust_name.clone(),
                    shape: shape_of(&field.ty.kind),
                    optional: field.presence == Presence::Optional,
                    boxed: field.boxed,
                })
                .collect(),
        )
    }
}

fn shape_of(kind: &TyKind) -> Shape {
    match kind {
        TyKind::String => Shape::String,
        TyKind::Bool => Shape::Bool,
        TyKind::Byte => Shape::Byte,
        TyKind::Short => Shape::Short,
        TyKind::Integer => Shape::Integer,
        TyKind::Long => Shape::Long,
        TyKind::Float => Shape::Float,
        TyKind::Double => Shape::Double,
        TyKind::BigInteger | TyKind::BigDecimal => Shape::BigNumber,
        TyKind::Timestamp(_) => Shape::Timestamp,
        TyKind::Blob => Shape::Blob,
        TyKind::Document => Shape::Document,
        // A streaming body is no value a waiter can look at.
        TyKind::Unit | TyKind::ByteStream => Shape::Unit,
        TyKind::Enum(name) => Shape::Enum(name.clone()),
        TyKind::IntEnum(name) => Shape::IntEnum(name.clone()),
        TyKind::Structure(name) => Shape::Structure(name.clone()),
        TyKind::Union(name) => Shape::Union(name.clone()),
        TyKind::List { member, sparse } => Shape::List { member: Box::new(shape_of(&member.kind)), sparse: *sparse },
        TyKind::Map { key, value, sparse } => Shape::Map {
            string_keys: matches!(key.kind, TyKind::String),
            value: Box::new(shape_of(&value.kind)),
            sparse: *sparse,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{lower as lower_model, Selection};
    use crate::model::load_slice;

    /// A service whose `GetThing` has the waiters `waitable` (a JSON object's text).
    fn service_with(waitable: &str) -> Service {
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{
            "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#GetThing"}}],
                      "traits":{{"aws.protocols#awsJson1_1":{{}}}}}},
            "ex#GetThing":{{"type":"operation","input":{{"target":"ex#GetThingInput"}},
                "output":{{"target":"ex#GetThingOutput"}},"errors":[{{"target":"ex#NotFound"}}],
                "traits":{{"smithy.waiters#waitable":{waitable}}}}},
            "ex#GetThingInput":{{"type":"structure","members":{{"name":{{"target":"smithy.api#String"}}}}}},
            "ex#GetThingOutput":{{"type":"structure","members":{{
                "status":{{"target":"smithy.api#String"}},
                "done":{{"target":"smithy.api#Boolean"}},
                "states":{{"target":"ex#States"}}}}}},
            "ex#States":{{"type":"list","member":{{"target":"smithy.api#String"}}}},
            "ex#NotFound":{{"type":"structure","members":{{}},"traits":{{"smithy.api#error":"client"}}}}
        }}}}"#
        );
        let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        lower_model(&model, &Selection { crate_name: "test".into(), ..Selection::default() })
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn only_warning(service: &Service) -> &Warning {
        match service.warnings.as_slice() {
            [warning] => warning,
            other => panic!("expected one warning, got {other:#?}"),
        }
    }

    #[test]
    fn every_matcher_and_comparator_is_lowered_in_order() {
        let service = service_with(
            r#"{"ThingReady":{"documentation":"Waits.","minDelay":5,"maxDelay":50,"acceptors":[
                {"state":"success","matcher":{"output":{"path":"status","expected":"OK","comparator":"stringEquals"}}},
                {"state":"failure","matcher":{"output":{"path":"done","expected":"false","comparator":"booleanEquals"}}},
                {"state":"retry","matcher":{"output":{"path":"states","expected":"A","comparator":"allStringEquals"}}},
                {"state":"retry","matcher":{"inputOutput":{"path":"input.name == output.status","expected":"true","comparator":"booleanEquals"}}},
                {"state":"failure","matcher":{"output":{"path":"states","expected":"B","comparator":"anyStringEquals"}}},
                {"state":"retry","matcher":{"success":true}},
                {"state":"failure","matcher":{"success":false}},
                {"state":"success","matcher":{"errorType":"ex#NotFound"}},
                {"state":"retry","matcher":{"errorType":"Throttled"}}]}}"#,
        );
        assert!(service.warnings.is_empty(), "{:#?}", service.warnings);
        let [waiter] = service.waiters.as_slice() else { panic!("{:#?}", service.waiters) };
        assert_eq!(
            (waiter.name.as_str(), waiter.fn_name.as_str(), waiter.cli_name.as_str(), waiter.operation.as_str()),
            ("ThingReady", "thing_ready", "thing-ready", "GetThing")
        );
        assert_eq!((waiter.min_delay, waiter.max_delay, waiter.docs.as_deref()), (5, 50, Some("Waits.")));
        let path = |path: &str, expected: &str, comparator| PathMatcher {
            path: path.into(),
            expected: expected.into(),
            comparator,
        };
        use AcceptorState::{Failure, Retry, Success};
        let expected = vec![
            (Success, Matcher::Output(path("status", "OK", Comparator::StringEquals))),
            (Failure, Matcher::Output(path("done", "false", Comparator::BooleanEquals))),
            (Retry, Matcher::Output(path("states", "A", Comparator::AllStringEquals))),
            (Retry, Matcher::InputOutput(path("input.name == output.status", "true", Comparator::BooleanEquals))),
            (Failure, Matcher::Output(path("states", "B", Comparator::AnyStringEquals))),
            (Retry, Matcher::Success(true)),
            (Failure, Matcher::Success(false)),
            // An absolute shape ID matches on its name.
            (Success, Matcher::ErrorType("NotFound".into())),
            // An error the model does not define is still matched by its code.
            (Retry, Matcher::ErrorType("Throttled".into())),
        ];
        let got: Vec<(AcceptorState, Matcher)> =
            waiter.acceptors.iter().map(|a| (a.state, a.matcher.clone())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn delays_default_to_the_specifications() {
        let service = service_with(r#"{"A":{"acceptors":[{"state":"success","matcher":{"success":true}}]}}"#);
        assert_eq!((service.waiters[0].min_delay, service.waiters[0].max_delay), (2, 120));
        assert!(!service.waiters[0].deprecated);
    }

    #[test]
    fn a_path_outside_the_subset_costs_only_its_waiter_with_a_warning_saying_why() {
        let service = service_with(
            r#"{"Sliced":{"acceptors":[{"state":"success","matcher":{"output":{"path":"states[0:2]","expected":"A","comparator":"anyStringEquals"}}}]},
                "Fine":{"acceptors":[{"state":"success","matcher":{"output":{"path":"status","expected":"A","comparator":"stringEquals"}}}]}}"#,
        );
        assert_eq!(service.waiters.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["Fine"]);
        let warning = only_warning(&service);
        assert_eq!(warning.shape, "ex#GetThing");
        assert_eq!(
            warning.location,
            "shapes.\"ex#GetThing\".traits.\"smithy.waiters#waitable\".Sliced.acceptors[0].matcher.output.path"
        );
        assert_eq!(
            warning.message,
            "waiter `Sliced` of `GetThing` is left out: path `states[0:2]`: a slice (`[a:b]`), which the generator's JMESPath compiler does not support"
        );
    }

    #[test]
    fn paths_that_do_not_fit_the_shapes_are_warnings_naming_the_problem() {
        for (path, comparator, expected, why) in [
            ("Status", "stringEquals", "x", "`GetThingOutput` has no member `Status`"),
            ("done", "stringEquals", "x", "the path gives a boolean, and `stringEquals` needs a string"),
            ("status", "allStringEquals", "x", "needs a list of strings"),
            ("done", "booleanEquals", "yes", "`true` or `false`"),
            ("status.", "stringEquals", "x", "not a valid JMESPath expression: at byte 7"),
        ] {
            let waitable = format!(
                r#"{{"W":{{"acceptors":[{{"state":"success","matcher":{{"output":{{"path":"{path}","expected":"{expected}","comparator":"{comparator}"}}}}}}]}}}}"#
            );
            let service = service_with(&waitable);
            assert!(service.waiters.is_empty(), "{path}");
            let warning = only_warning(&service);
            assert!(warning.message.contains(why), "{path}: {}", warning.message);
        }
    }

    #[test]
    fn malformed_waiters_are_warnings_not_errors() {
        for (waitable, at, why) in [
            (
                r#"{"W":{"acceptors":[{"state":"retry","matcher":{"success":true}}]}}"#,
                "W.acceptors",
                "no acceptor has the `success` state",
            ),
            (
                r#"{"W":{"minDelay":30,"maxDelay":10,"acceptors":[{"state":"success","matcher":{"success":true}}]}}"#,
                "W.minDelay",
                "greater than `maxDelay`",
            ),
            (
                r#"{"W":{"minDelay":0,"acceptors":[{"state":"success","matcher":{"success":true}}]}}"#,
                "W.minDelay",
                "at least 1",
            ),
            (
                r#"{"W":{"acceptors":[{"state":"done","matcher":{"success":true}}]}}"#,
                "W.acceptors[0].state",
                "`success`, `failure` or `retry`",
            ),
            (
                r#"{"W":{"acceptors":[{"state":"success","matcher":{"success":true,"errorType":"X"}}]}}"#,
                "W.acceptors[0].matcher",
                "exactly one",
            ),
            (
                r#"{"W":{"acceptors":[{"state":"success","matcher":{"output":{"path":"status","expected":"A","comparator":"equals"}}}]}}"#,
                "W.acceptors[0].matcher.output.comparator",
                "unknown comparator `equals`",
            ),
            (
                r#"{"W":{"acceptors":[{"state":"success","matcher":{"output":{"path":"status","comparator":"stringEquals"}}}]}}"#,
                "W.acceptors[0].matcher.output.expected",
                "`expected` is missing",
            ),
            (r#"{"W":{}}"#, "W.acceptors", "`acceptors` is missing"),
            (
                r#"{"lowercase":{"acceptors":[{"state":"success","matcher":{"success":true}}]}}"#,
                "lowercase",
                "UpperCamelCase",
            ),
            (
                r#"{"W":{"acceptors":[{"state":"success","matcher":{"errorType":"ex#"}}]}}"#,
                "W.acceptors[0].matcher.errorType",
                "empty",
            ),
            (r#"[]"#, "", "is not an object"),
        ] {
            let service = service_with(waitable);
            assert!(service.waiters.is_empty(), "{waitable}");
            let warning = only_warning(&service);
            let location = format!(
                "shapes.\"ex#GetThing\".traits.\"smithy.waiters#waitable\"{}{at}",
                if at.is_empty() { "" } else { "." }
            );
            assert_eq!(warning.location, location, "{waitable}");
            assert!(warning.message.contains(why), "{waitable}: {}", warning.message);
        }
    }

    #[test]
    fn waiters_are_in_name_order_whatever_the_models_order() {
        let service = service_with(
            r#"{"Zeta":{"acceptors":[{"state":"success","matcher":{"success":true}}]},
                "Alpha":{"acceptors":[{"state":"success","matcher":{"success":true}}]}}"#,
        );
        assert_eq!(service.waiters.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["Alpha", "Zeta"]);
    }

    #[test]
    fn waiter_names_differing_only_in_case_keep_one() {
        let service = service_with(
            r#"{"ThingReady":{"acceptors":[{"state":"success","matcher":{"success":true}}]},
                "THINGReady":{"acceptors":[{"state":"success","matcher":{"success":true}}]}}"#,
        );
        assert_eq!(service.waiters.len(), 1);
        assert!(only_warning(&service).message.contains("already taken"));
    }

    #[test]
    fn a_waiter_whose_method_would_clash_with_an_operation_is_left_out() {
        let text = r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"},{"target":"ex#WaitUntilReady"}],
                      "traits":{"aws.protocols#awsJson1_1":{}}},
            "ex#WaitUntilReady":{"type":"operation"},
            "ex#Op":{"type":"operation","traits":{"smithy.waiters#waitable":{"Ready":{"acceptors":[
                {"state":"success","matcher":{"success":true}}]}}}}}}"#;
        let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let service = lower_model(&model, &Selection { crate_name: "test".into(), ..Selection::default() })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(service.waiters.is_empty());
        assert!(only_warning(&service).message.contains("would clash with operation `WaitUntilReady`"));
    }

    #[test]
    fn strict_mode_turns_a_left_out_waiter_into_an_error() {
        let text = r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"}],"traits":{"aws.protocols#awsJson1_1":{}}},
            "ex#Op":{"type":"operation","traits":{"smithy.waiters#waitable":{"W":{"acceptors":[
                {"state":"success","matcher":{"output":{"path":"{a: b}","expected":"x","comparator":"stringEquals"}}}]}}}}}}"#;
        let selection = Selection { crate_name: "test".into(), ..Selection::default() };
        let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let generated = crate::generate_from_model(&model, &selection, &crate::RuntimeDependency::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(generated.warnings.len(), 1, "{:#?}", generated.warnings);
        assert!(!generated.files.iter().any(|f| f.path == "src/waiters.rs"), "no waiter, no module");
        let error = generated.deny_warnings().expect_err("strict").to_string();
        assert!(error.contains("strict mode") && error.contains("multi-select hash"), "{error}");
    }
}
