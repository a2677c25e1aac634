//! Lowering of endpoint resolution: the rule set the crate runs (or why it cannot, and it uses the
//! plain pattern), its tests, and what the rule set needs from each call and from the client.
//!
//! For a service whose endpoint rules the crate runs, [`bind`] gives every operation the rule-set
//! parameters its call sets ([`Operation::endpoint_params`]): `smithy.rules#contextParam` on a
//! top-level input member, `smithy.rules#operationContextParams` paths into the input, and
//! `smithy.rules#staticContextParams` values. It also reports, as warnings, what the crate cannot
//! honour: rules the evaluator cannot run (the crate then uses the plain endpoint pattern), built-ins
//! the client does not set, and bindings to parameters the rule set does not have or paths outside
//! the subset of JMESPath supported here (an identifier, `.` between members, `[*]` over a list,
//! and `keys(...)` of a map, which is what the AWS models use).

use crate::model::{Model, Shape, ShapeId, ShapeKind};
use crate::rules::endpoint::{built_in, ParamType, ParamValue};

use super::{
    CallEndpointParam, CallParamValue, EndpointResolution, EndpointRules, InputLeaf, InputStep, Operation, Presence,
    Service, TyKind, TypeDefKind, Warning,
};

/// How the service's endpoint is found: its rule set when the evaluator can run it, else the pattern.
pub(super) fn endpoint_resolution(service: &Shape) -> EndpointResolution {
    let Some(rule_set) = &service.traits.endpoint_rule_set else { return EndpointResolution::Pattern };
    let rules = match &rule_set.parsed {
        Ok(rules) => rules,
        Err(unsupported) => {
            let location = if unsupported.path.is_empty() {
                rule_set.json_path.clone()
            } else {
                format!("{}.{}", rule_set.json_path, unsupported.path)
            };
            return EndpointResolution::Unsupported { location, reason: unsupported.message.clone() };
        }
    };
    EndpointResolution::Rules(EndpointRules {
        rule_set_json: compact_rule_set(&rule_set.json),
        parameters: rules.parameters().to_vec(),
        // Filled in once the rest of the service is lowered (`endpoint_tests`): their calls need it.
        tests: Vec::new(),
        client_params: {
            let mut params = service.traits.client_context_params.clone();
            params.sort_by(|a, b| a.name.cmp(&b.name));
            params
        },
        model_era_facts: Vec::new(),
    })
}

/// The rule set without the documentation of its parameters, rules and conditions (which the crate
/// does not need), as compact JSON. Endpoint properties are left alone: they are data.
fn compact_rule_set(rule_set: &serde_json::Value) -> String {
    fn strip_rules(rules: &mut serde_json::Value) {
        for rule in rules.as_array_mut().into_iter().flatten() {
            if let Some(rule) = rule.as_object_mut() {
                rule.shift_remove("documentation");
                for condition in rule.get_mut("conditions").and_then(|c| c.as_array_mut()).into_iter().flatten() {
                    if let Some(condition) = condition.as_object_mut() {
                        condition.shift_remove("documentation");
                    }
                }
                if let Some(nested) = rule.get_mut("rules") {
                    strip_rules(nested);
                }
            }
        }
    }
    let mut compact = rule_set.clone();
    if let Some(parameters) = compact.get_mut("parameters").and_then(|p| p.as_object_mut()) {
        for parameter in parameters.values_mut().filter_map(|p| p.as_object_mut()) {
            parameter.shift_remove("documentation");
        }
    }
    if let Some(rules) = compact.get_mut("rules") {
        strip_rules(rules);
    }
    // Object keys in a fixed order, so the crate's copy does not depend on how the model orders them.
    sorted_keys(&compact).to_string()
}

/// `value` with the keys of every object in sorted order (arrays keep theirs: it is meaningful).
pub fn sorted_keys(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(&String, &serde_json::Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), sorted_keys(v))).collect())
        }
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

/// The built-ins a generated client sets (see the runtime's `endpoint_resolver`).
pub(super) const SUPPORTED_BUILT_INS: &[&str] = &[
    built_in::REGION,
    built_in::USE_FIPS,
    built_in::USE_DUAL_STACK,
    built_in::ENDPOINT,
    built_in::ACCOUNT_ID,
    built_in::ACCOUNT_ID_ENDPOINT_MODE,
];

/// Fills in the operations' endpoint parameters and adds the warnings about the endpoint.
pub fn bind(model: &Model, service_shape: &Shape, service: &mut Service) {
    let mut warnings = Vec::new();
    let warn = |warnings: &mut Vec<Warning>, shape: &str, location: String, message: String| {
        warnings.push(Warning { file: model.file.clone(), shape: shape.to_string(), location, message });
    };
    let service_id = service_shape.id.to_string();
    match &service.endpoint {
        EndpointResolution::Pattern => {}
        EndpointResolution::Unsupported { location, reason } => {
            let message = format!(
                "the endpoint rules are not used, so FIPS, dual-stack and every endpoint that is not the plain \
                 https://{}.{{region}}.amazonaws.com are unavailable: {reason}",
                service.endpoint_prefix
            );
            warn(&mut warnings, &service_id, location.clone(), message);
        }
        EndpointResolution::Rules(rules) => {
            let rule_set_path = service_shape.traits.endpoint_rule_set.as_ref().map(|r| r.json_path.clone());
            for parameter in &rules.parameters {
                let Some(source) = parameter.built_in.as_deref() else { continue };
                if !SUPPORTED_BUILT_INS.contains(&source) {
                    let location =
                        format!("{}.parameters.{}", rule_set_path.as_deref().unwrap_or_default(), parameter.name);
                    let message = format!(
                        "the endpoint parameter `{}` takes the built-in `{source}`, which the client does not set; \
                         it keeps the rule set's default",
                        parameter.name
                    );
                    warn(&mut warnings, &service_id, location, message);
                }
            }
            let declared: Vec<(String, ParamType)> =
                rules.parameters.iter().map(|p| (p.name.clone(), p.param_type)).collect();
            let mut operations = std::mem::take(&mut service.operations);
            for operation in &mut operations {
                let Some(op_shape) = model.shapes.get(&ShapeId::new(operation.shape_id.as_str())) else { continue };
                operation.endpoint_params = call_params(model, service, op_shape, operation, &declared, &mut warnings);
            }
            service.operations = operations;
        }
    }
    service.warnings.extend(warnings);
    service.warnings.sort_by(|a, b| a.location.cmp(&b.location));
}

/// The parameters one operation's call sets, in the order: input members, paths, static values.
fn call_params(
    model: &Model,
    service: &Service,
    op_shape: &Shape,
    operation: &Operation,
    declared: &[(String, ParamType)],
    warnings: &mut Vec<Warning>,
) -> Vec<CallEndpointParam> {
    let mut params: Vec<CallEndpointParam> = Vec::new();
    let mut warn = |location: String, message: String| {
        warnings.push(Warning { file: model.file.clone(), shape: operation.shape_id.clone(), location, message });
    };
    let add = |params: &mut Vec<CallEndpointParam>, name: &str, value: CallParamValue| {
        if !params.iter().any(|p| p.name == name) {
            params.push(CallEndpointParam { name: name.to_string(), value });
        }
    };
    let ShapeKind::Operation { input, .. } = &op_shape.kind else { return params };
    let input_members = match model.shapes.get(input).map(|s| &s.kind) {
        Some(ShapeKind::Structure { members }) => members.as_slice(),
        _ => &[],
    };
    for member in input_members {
        let Some(name) = &member.traits.context_param else { continue };
        let location = format!("{}.\"smithy.rules#contextParam\"", member.traits.json_path);
        match bind_path(service, &operation.input, &member.name, declared, name) {
            Ok(value) => add(&mut params, name, value),
            Err(why) => {
                warn(location, format!("the endpoint parameter `{name}` is not set from `{}`: {why}", member.name))
            }
        }
    }
    // By name, so the generated code does not depend on the order of the model's keys.
    let mut paths: Vec<&(String, String)> = op_shape.traits.operation_context_params.iter().collect();
    paths.sort();
    for (name, path) in paths {
        let location = format!("{}.\"smithy.rules#operationContextParams\".{name}", op_shape.traits.json_path);
        match bind_path(service, &operation.input, path, declared, name) {
            Ok(value) => add(&mut params, name, value),
            Err(why) => warn(location, format!("the endpoint parameter `{name}` is not set from `{path}`: {why}")),
        }
    }
    let mut statics: Vec<&(String, ParamValue)> = op_shape.traits.static_context_params.iter().collect();
    statics.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in statics {
        let location = format!("{}.\"smithy.rules#staticContextParams\".{name}", op_shape.traits.json_path);
        match declared.iter().find(|(declared, _)| declared == name) {
            Some((_, ty)) if *ty == value.param_type() => add(&mut params, name, CallParamValue::Static(value.clone())),
            Some((_, ty)) => {
                warn(location, format!("the endpoint parameter `{name}` is {ty}, so this value is not used"))
            }
            None => warn(location, format!("the endpoint rules have no parameter `{name}`, so this value is not used")),
        }
    }
    params
}

/// Resolves `path` (a member name, or a path into the input) for the parameter `name`.
fn bind_path(
    service: &Service,
    input: &str,
    path: &str,
    declared: &[(String, ParamType)],
    name: &str,
) -> Result<CallParamValue, String> {
    let Some((_, param_type)) = declared.iter().find(|(declared, _)| declared == name) else {
        return Err("the endpoint rules have no such parameter".to_string());
    };
    let (steps, leaf) = walk(service, input, &parse_path(path)?)?;
    let list = steps.iter().any(|step| matches!(step, InputStep::Each { .. } | InputStep::Keys));
    let fits = matches!(
        (param_type, leaf, list),
        (ParamType::String, InputLeaf::String | InputLeaf::Enum, false)
            | (ParamType::Boolean, InputLeaf::Bool, false)
            | (ParamType::StringArray, InputLeaf::String | InputLeaf::Enum, true)
    );
    if !fits {
        let found = match (leaf, list) {
            (InputLeaf::Bool, false) => "a boolean",
            (InputLeaf::Bool, true) => "a list of booleans",
            (_, false) => "a string",
            (_, true) => "a list of strings",
        };
        return Err(format!("the parameter is {param_type}, but the path gives {found}"));
    }
    Ok(CallParamValue::Input { path: path.to_string(), steps, leaf, list })
}

/// A parsed path: members and projections, then possibly `keys`.
#[derive(Debug, PartialEq, Eq)]
enum Segment {
    Member(String),
    Each,
    Keys,
}

/// `A.B[*].C` or `keys(A.B)`, the JMESPath the AWS models use.
fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let unsupported = || format!("`{path}` is outside the path expressions this generator supports");
    let (inner, keys) = match path.trim().strip_prefix("keys(").and_then(|rest| rest.strip_suffix(')')) {
        Some(inner) => (inner.trim(), true),
        None => (path.trim(), false),
    };
    let mut segments = Vec::new();
    for part in inner.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(unsupported());
        }
        segments.push(Segment::Member(name.to_string()));
        while let Some(after) = rest.strip_prefix("[*]") {
            segments.push(Segment::Each);
            rest = after;
        }
        if !rest.is_empty() {
            return Err(unsupported());
        }
    }
    if keys {
        segments.push(Segment::Keys);
    }
    Ok(segments)
}

/// Follows `segments` through the IR types from the input structure.
fn walk(service: &Service, input: &str, segments: &[Segment]) -> Result<(Vec<InputStep>, InputLeaf), String> {
    let mut steps = Vec::new();
    let mut current = TyKind::Structure(input.to_string());
    for segment in segments {
        current = match (segment, &current) {
            (Segment::Member(member), TyKind::Structure(name)) => {
                let structure = match service.type_def(name).map(|t| &t.kind) {
                    Some(TypeDefKind::Structure(s)) => s,
                    _ => return Err(format!("`{name}` is not a structure of the crate")),
                };
                let field = structure
                    .fields
                    .iter()
                    .find(|f| f.member_name == *member)
                    .ok_or_else(|| format!("`{name}` has no member `{member}`"))?;
                steps.push(InputStep::Field {
                    field: field.rust_name.clone(),
                    optional: field.presence == Presence::Optional,
                    boxed: field.boxed,
                });
                field.ty.kind.clone()
            }
            (Segment::Each, TyKind::List { member, sparse }) => {
                steps.push(InputStep::Each { sparse: *sparse });
                member.kind.clone()
            }
            (Segment::Keys, TyKind::Map { key, .. }) => {
                steps.push(InputStep::Keys);
                key.kind.clone()
            }
            (Segment::Member(member), _) => return Err(format!("`{member}` follows a value that is not a structure")),
            (Segment::Each, _) => return Err("`[*]` follows a value that is not a list".to_string()),
            (Segment::Keys, _) => return Err("`keys` is applied to a value that is not a map".to_string()),
        };
    }
    let leaf = match current {
        TyKind::String => InputLeaf::String,
        TyKind::Enum(_) => InputLeaf::Enum,
        TyKind::Bool => InputLeaf::Bool,
        _ => return Err("the path does not end at a string, an enum or a boolean".to_string()),
    };
    Ok((steps, leaf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_the_subset_parse() {
        use Segment::*;
        assert_eq!(parse_path("TableName").unwrap(), [Member("TableName".into())]);
        assert_eq!(parse_path("keys(RequestItems)").unwrap(), [Member("RequestItems".into()), Keys]);
        assert_eq!(
            parse_path("TransactItems[*].Get.TableName").unwrap(),
            [Member("TransactItems".into()), Each, Member("Get".into()), Member("TableName".into())]
        );
        for bad in ["", "a..b", "a[0]", "a[?x]", "length(a)", "a | b", "keys(a", "a[*]b"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }
}
