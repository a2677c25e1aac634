//! Lowering of the model's `smithy.rules#endpointTests`: each case with the partition table its test
//! runs against (decided with `rules::check_case`), and each of its `operationInputs` as a call of
//! the crate's client with a typed input and the request it must send. A call the crate cannot make
//! is left out with a warning at its place in the model.

use serde_json::Value;

use super::endpoints::{sorted_keys, SUPPORTED_BUILT_INS};
use super::typed_values::typed_value;
use super::{CallExpectation, EndpointCall, EndpointResolution, EndpointTest, Service, TyKind, Warning};
use crate::model::{Model, Shape};
use crate::rules::endpoint::{built_in, ParamValue, RuleSet};
use crate::rules::{CaseTable, EndpointExpectation, EndpointOperationInput, EndpointTestCase};

/// Fills in the endpoint test cases of a service whose endpoint rules the crate runs, and adds a
/// warning for each operation call left out.
pub(super) fn lower(model: &Model, service_shape: &Shape, service: &mut Service) {
    let EndpointResolution::Rules(_) = &service.endpoint else { return };
    let Some(Ok(rules)) = service_shape.traits.endpoint_rule_set.as_ref().map(|r| r.parsed.as_ref()) else { return };
    let cases = service_shape.traits.endpoint_tests.as_deref().unwrap_or_default();
    let mut warnings = Vec::new();
    let tests = cases_of(model, service, rules, cases, &mut warnings);
    let model_era = tests.iter().any(|t| t.partitions == CaseTable::ModelEra);
    service.warnings.extend(warnings);
    if let EndpointResolution::Rules(lowered) = &mut service.endpoint {
        lowered.tests = tests;
        if model_era {
            lowered.model_era_facts = crate::rules::checked_in_tables().overrides.clone();
        }
    }
}

fn cases_of(
    model: &Model,
    service: &Service,
    rules: &RuleSet,
    cases: &[EndpointTestCase],
    warnings: &mut Vec<Warning>,
) -> Vec<EndpointTest> {
    // The builders' keys (operation and input), in order of first use: a call's builder is its index.
    let mut builders: Vec<String> = Vec::new();
    let mut tests = Vec::with_capacity(cases.len());
    for case in cases {
        let tables = crate::rules::checked_in_tables();
        let partitions = crate::rules::check_case(rules, tables, &crate::rules::case_params(case), &case.expect)
            .unwrap_or(CaseTable::Published);
        let mut calls = Vec::new();
        for (index, input) in case.operation_inputs.iter().enumerate() {
            match call(service, case, partitions, input, &mut builders) {
                Ok(call) => calls.push(call),
                Err(message) => warnings.push(Warning {
                    file: model.file.clone(),
                    shape: service.shape_id.clone(),
                    location: format!("{}.operationInputs[{index}]", case.json_path),
                    message: format!("this operation call is not tested: {message}"),
                }),
            }
        }
        tests.push(EndpointTest {
            documentation: case
                .documentation
                .clone()
                .unwrap_or_else(|| format!("undocumented case at {}", case.json_path)),
            params: case.params.clone(),
            expect: case.expect.clone(),
            partitions,
            calls,
        });
    }
    tests
}

/// One operation call of `case`, or why the crate cannot make it.
fn call(
    service: &Service,
    case: &EndpointTestCase,
    partitions: CaseTable,
    input: &EndpointOperationInput,
    builders: &mut Vec<String>,
) -> Result<EndpointCall, String> {
    if partitions == CaseTable::ModelEra {
        return Err("its case expects the model-era partition facts, which the client never uses".into());
    }
    if let Some((name, _)) =
        input.built_in_params.iter().find(|(name, _)| !SUPPORTED_BUILT_INS.contains(&name.as_str()))
    {
        return Err(format!("the client has no setting for the built-in `{name}`"));
    }
    let Some(operation) = service.operations.iter().find(|op| op.name == input.operation_name) else {
        return Err(format!("the crate has no operation `{}`", input.operation_name));
    };
    let input_json = sorted_keys(&Value::Object(input.operation_params.clone()));
    let typed = typed_value(service, &TyKind::Structure(operation.input.clone()), &input_json)
        .map_err(|why| format!("its input cannot be built: {why}"))?;
    let key = format!("{}:{}", operation.name, input_json);
    let builder = match builders.iter().position(|known| *known == key) {
        Some(number) => number,
        None => {
            builders.push(key);
            builders.len() - 1
        }
    };
    Ok(EndpointCall {
        operation: input.operation_name.clone(),
        built_in_params: input.built_in_params.clone(),
        client_params: input.client_params.clone(),
        input: typed,
        builder,
        expect: call_expectation(service, &case.expect, input),
    })
}

/// The request a call must send for the case's expected endpoint (or the error it must fail with):
/// the URL and `Host` the runtime builds from the endpoint, and the credential scope its `sigv4`
/// auth scheme gives (else the call's region and the service's signing name).
fn call_expectation(
    service: &Service,
    expect: &EndpointExpectation,
    input: &EndpointOperationInput,
) -> CallExpectation {
    match expect {
        EndpointExpectation::Error(message) => CallExpectation::Error(message.clone()),
        EndpointExpectation::Endpoint { url, headers, properties } => {
            let (uri, host) = request_uri_and_host(url);
            let region = input
                .built_in_params
                .iter()
                .find(|(name, _)| name == built_in::REGION)
                .and_then(|(_, value)| match value {
                    ParamValue::String(s) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            let sigv4 = properties
                .get("authSchemes")
                .and_then(Value::as_array)
                .and_then(|schemes| schemes.iter().find(|s| s.get("name").and_then(Value::as_str) == Some("sigv4")));
            let text = |key: &str| sigv4.and_then(|s| s.get(key)).and_then(Value::as_str).map(str::to_string);
            let scope = format!(
                "/{}/{}/aws4_request",
                text("signingRegion").unwrap_or(region),
                text("signingName").unwrap_or_else(|| service.signing_name.clone())
            );
            CallExpectation::Request { uri, host, headers: headers.clone(), scope }
        }
    }
}

/// The URL an awsJson request to the endpoint `url` goes to (its path with one `/` after it) and the
/// `Host` it carries, as the runtime's `ResolvedEndpoint` builds them.
fn request_uri_and_host(url: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    let path = path.strip_suffix('/').unwrap_or(path);
    let host = match (scheme, authority.rsplit_once(':')) {
        ("https", Some((host, "443"))) | ("http", Some((host, "80"))) => host.to_string(),
        _ => authority.to_string(),
    };
    (format!("{scheme}://{authority}{path}/"), host)
}

#[cfg(test)]
mod tests {
    use super::super::{lower, Selection, TypedValue};
    use super::*;
    use crate::model::load_slice;

    fn lowered(rule_set: &str, cases: &str) -> Service {
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{
                "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#Op"}}],
                    "traits":{{"aws.protocols#awsJson1_1":{{}},
                        "smithy.rules#endpointRuleSet":{rule_set},
                        "smithy.rules#endpointTests":{{"version":"1.0","testCases":[{cases}]}}}}}},
                "ex#Op":{{"type":"operation","input":{{"target":"ex#In"}}}},
                "ex#In":{{"type":"structure","members":{{
                    "Name":{{"target":"smithy.api#String"}},
                    "Count":{{"target":"smithy.api#Integer"}}}}}}}}}}"#
        );
        let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() }).unwrap()
    }

    const REGIONAL: &str = r#"{"version":"1.0",
        "parameters":{"Region":{"type":"String","builtIn":"AWS::Region"}},
        "rules":[{"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],
                  "endpoint":{"url":"https://svc.{Region}.example.com:443",
                              "properties":{"authSchemes":[{"name":"sigv4","signingName":"custom"}]}}},
                 {"type":"error","conditions":[],"error":"no region"}]}"#;

    fn rules(service: &Service) -> &super::super::EndpointRules {
        let EndpointResolution::Rules(rules) = &service.endpoint else { panic!("{:?}", service.endpoint) };
        rules
    }

    #[test]
    fn operation_inputs_become_typed_calls_that_share_builders_and_know_their_request() {
        let cases = r#"
            {"documentation":"regional","params":{"Region":"us-east-1"},
             "expect":{"endpoint":{"url":"https://svc.us-east-1.example.com:443",
                       "properties":{"authSchemes":[{"name":"sigv4","signingName":"custom"}]}}},
             "operationInputs":[
                {"operationName":"Op","operationParams":{"Name":"a","Count":1},"builtInParams":{"AWS::Region":"us-east-1"}},
                {"operationName":"Op","operationParams":{"Count":1,"Name":"a"},"builtInParams":{"AWS::Region":"us-east-1"}},
                {"operationName":"Op","operationParams":{"Name":"b"},"builtInParams":{"AWS::Region":"us-east-1"}}]},
            {"params":{},"expect":{"error":"no region"},
             "operationInputs":[{"operationName":"Op","operationParams":{"Name":"a","Count":1}}]}"#;
        let service = lowered(REGIONAL, cases);
        assert_eq!(service.warnings, []);
        let tests = &rules(&service).tests;
        assert_eq!(tests.len(), 2);
        assert_eq!(tests[0].documentation, "regional");
        assert!(tests[1].documentation.starts_with("undocumented case at "), "{}", tests[1].documentation);
        let calls = &tests[0].calls;
        // Member order in the model does not matter: the first two calls build the same input.
        assert_eq!(calls.iter().map(|c| c.builder).collect::<Vec<_>>(), [0, 0, 1]);
        assert_eq!(tests[1].calls[0].builder, 0);
        let TypedValue::Structure { type_name, members } = &calls[0].input else { panic!("{:?}", calls[0].input) };
        assert_eq!(type_name, "In");
        let members: Vec<(&str, &TypedValue)> = members.iter().map(|m| (m.field.as_str(), &m.value)).collect();
        assert_eq!(members, [("count", &TypedValue::Integer(1)), ("name", &TypedValue::String("a".into()))]);
        assert_eq!(
            calls[0].expect,
            CallExpectation::Request {
                uri: "https://svc.us-east-1.example.com:443/".into(),
                host: "svc.us-east-1.example.com".into(),
                headers: Default::default(),
                scope: "/us-east-1/custom/aws4_request".into(),
            }
        );
        assert_eq!(tests[1].calls[0].expect, CallExpectation::Error("no region".into()));
        assert!(rules(&service).model_era_facts.is_empty());
    }

    #[test]
    fn calls_the_crate_cannot_make_are_warnings_at_their_place() {
        let cases = r#"
            {"params":{"Region":"us-east-1"},
             "expect":{"endpoint":{"url":"https://svc.us-east-1.example.com:443",
                       "properties":{"authSchemes":[{"name":"sigv4","signingName":"custom"}]}}},
             "operationInputs":[
                {"operationName":"Missing","builtInParams":{"AWS::Region":"us-east-1"}},
                {"operationName":"Op","builtInParams":{"AWS::Region":"us-east-1","AWS::S3::UseArnRegion":true}},
                {"operationName":"Op","operationParams":{"Count":"many"},"builtInParams":{"AWS::Region":"us-east-1"}},
                {"operationName":"Op","operationParams":{"Size":1},"builtInParams":{"AWS::Region":"us-east-1"}}]}"#;
        let service = lowered(REGIONAL, cases);
        assert_eq!(rules(&service).tests[0].calls, []);
        let warnings: Vec<(&str, &str)> =
            service.warnings.iter().map(|w| (w.location.as_str(), w.message.as_str())).collect();
        let at = |i: usize| {
            format!(r#"shapes."ex#Svc".traits."smithy.rules#endpointTests".testCases[0].operationInputs[{i}]"#)
        };
        assert_eq!(
            warnings,
            [
                (at(0).as_str(), "this operation call is not tested: the crate has no operation `Missing`"),
                (
                    at(1).as_str(),
                    "this operation call is not tested: the client has no setting for the built-in `AWS::S3::UseArnRegion`"
                ),
                (
                    at(2).as_str(),
                    r#"this operation call is not tested: its input cannot be built: expected an integer, found "many""#
                ),
                (at(3).as_str(), "this operation call is not tested: its input cannot be built: `In` has no member `Size`"),
            ]
        );
        assert!(service.warnings.iter().all(|w| w.file == "test.json" && w.shape == "ex#Svc"));
    }

    #[test]
    fn model_era_cases_carry_the_facts_and_make_no_calls() {
        let dual_stack = r#"{"version":"1.0",
            "parameters":{"Region":{"type":"String","builtIn":"AWS::Region","required":true}},
            "rules":[{"type":"endpoint","conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"},
                        {"fn":"booleanEquals","argv":[{"fn":"getAttr","argv":[{"ref":"p"},"supportsDualStack"]},true]}],
                      "endpoint":{"url":"https://svc.{Region}.{p#dualStackDnsSuffix}"}},
                     {"type":"error","conditions":[],"error":"no dual-stack"}]}"#;
        let cases = r#"{"params":{"Region":"us-iso-east-1"},"expect":{"error":"no dual-stack"},
            "operationInputs":[{"operationName":"Op","builtInParams":{"AWS::Region":"us-iso-east-1"}}]}"#;
        let service = lowered(dual_stack, cases);
        let rules = rules(&service);
        assert_eq!(rules.tests[0].partitions, CaseTable::ModelEra);
        assert_eq!(rules.tests[0].calls, []);
        assert_eq!(rules.model_era_facts, crate::rules::checked_in_tables().overrides);
        assert!(service.warnings[0]
            .message
            .ends_with("expects the model-era partition facts, which the client never uses"));
    }
}
