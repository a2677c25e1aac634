//! Tests of lowering, through [`lower`](super::lower) on small models.

use super::members::{decode_base64, parse_date_time};
use super::*;
use crate::model::load_slice;
use crate::pattern;
use crate::rules::endpoint::ParamValue;
use crate::rules::endpoint::{Params, RuleSet};
use crate::rules::partitions::Partitions;
use crate::rules::CaseTable;

fn lower_text(text: &str) -> Result<Service, IrError> {
    let model = load_slice("test.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() })
}

fn model_text(traits: &str, operation_traits: &str, members: &str) -> String {
    format!(
        r#"{{"smithy":"2.0","shapes":{{
            "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#Op"}}],
                      "traits":{{"aws.protocols#awsJson1_1":{{}}{traits}}}}},
            "ex#Op":{{"type":"operation","input":{{"target":"ex#In"}},"traits":{{{operation_traits}}}}},
            "ex#In":{{"type":"structure","members":{{{members}}}}}}}}}"#
    )
}

const RULES: &str = r#","smithy.rules#endpointRuleSet":{"version":"1.0",
    "parameters":{"Region":{"type":"String","builtIn":"AWS::Region","documentation":"The region."},
                  "UseFIPS":{"type":"Boolean","builtIn":"AWS::UseFIPS","required":true,"default":false}},
    "rules":[{"documentation":"regional","type":"endpoint",
              "conditions":[{"fn":"isSet","argv":[{"ref":"Region"}],"documentation":"set"}],
              "endpoint":{"url":"https://svc.{Region}.example.com","properties":{"documentation":"kept"}}},
             {"type":"error","conditions":[],"error":"no region"}]},
    "smithy.rules#endpointTests":{"version":"1.0","testCases":[{"params":{"Region":"us-east-1"},
        "expect":{"endpoint":{"url":"https://svc.us-east-1.example.com"}}}]}"#;

#[test]
fn rule_sets_lower_to_compact_data_and_typed_parameters() {
    let service = lower_text(&model_text(RULES, "", "")).unwrap();
    let EndpointResolution::Rules(rules) = &service.endpoint else { panic!("{:?}", service.endpoint) };
    assert_eq!(rules.parameters.len(), 2);
    assert_eq!(rules.parameters[0].name, "Region");
    assert_eq!(rules.parameters[1].built_in.as_deref(), Some("AWS::UseFIPS"));
    assert_eq!(rules.parameters[1].default, Some(ParamValue::Bool(false)));
    assert_eq!(rules.tests.len(), 1);
    // Documentation goes; endpoint properties are data and stay, even one named `documentation`.
    assert!(!rules.rule_set_json.contains("regional") && !rules.rule_set_json.contains("The region."));
    assert!(!rules.rule_set_json.contains("\"set\"") && rules.rule_set_json.contains("kept"));
    assert!(!rules.rule_set_json.contains('\n'));
    let compact = RuleSet::parse(&rules.rule_set_json).unwrap();
    let partitions = Partitions::parse(crate::rules::PARTITIONS_JSON).unwrap();
    let mut params = Params::new();
    params.set("Region", "eu-west-1");
    assert_eq!(compact.resolve(&params, &partitions).unwrap().url(), "https://svc.eu-west-1.example.com");
}

#[test]
fn without_rules_the_plain_pattern_applies_and_unsupported_rules_say_why() {
    assert_eq!(lower_text(&model_text("", "", "")).unwrap().endpoint, EndpointResolution::Pattern);
    let future = RULES.replace(
        r#"{"fn":"isSet","argv":[{"ref":"Region"}],"documentation":"set"}"#,
        r#"{"fn":"split","argv":["a",",",0]}"#,
    );
    let EndpointResolution::Unsupported { location, reason } =
        lower_text(&model_text(&future, "", "")).unwrap().endpoint
    else {
        panic!("expected an unsupported rule set")
    };
    assert_eq!(location, r#"shapes."ex#Svc".traits."smithy.rules#endpointRuleSet".rules[0].conditions[0].fn"#);
    assert_eq!(reason, "the function `split` is not supported");
}

#[test]
fn request_compression_picks_gzip_and_warns_when_the_model_offers_nothing_supported() {
    let plain = lower_text(&model_text("", "", "")).unwrap();
    assert_eq!((plain.operations[0].request_compression, plain.features.request_compression), (None, false));
    let gzip =
        lower_text(&model_text("", r#""smithy.api#requestCompression":{"encodings":["br","GZip"]}"#, "")).unwrap();
    assert_eq!(gzip.operations[0].request_compression, Some(RequestCompression::Gzip));
    assert!(gzip.features.request_compression && gzip.warnings.is_empty());
    let other = lower_text(&model_text("", r#""smithy.api#requestCompression":{"encodings":["br"]}"#, "")).unwrap();
    assert_eq!((other.operations[0].request_compression, other.features.request_compression), (None, false));
    assert_eq!(other.warnings.len(), 1);
    assert_eq!(other.warnings[0].location, r#"shapes."ex#Op".traits."smithy.api#requestCompression".encodings"#);
    assert!(other.warnings[0].message.contains("with br, none of which"), "{}", other.warnings[0].message);
    let empty =
        load_slice("t.json", model_text("", r#""smithy.api#requestCompression":{"encodings":[]}"#, "").as_bytes())
            .unwrap_err()
            .to_string();
    assert!(
        empty.contains(
            r#"shapes."ex#Op".traits."smithy.api#requestCompression".encodings: the list of encodings is empty"#
        ),
        "{empty}"
    );
}

#[test]
fn unsupported_rules_and_built_ins_are_warnings_that_strict_mode_refuses() {
    let future = RULES.replace(
        r#"{"fn":"isSet","argv":[{"ref":"Region"}],"documentation":"set"}"#,
        r#"{"fn":"split","argv":["a",",",0]}"#,
    );
    let service = lower_text(&model_text(&future, "", "")).unwrap();
    assert_eq!(service.warnings.len(), 1, "{:?}", service.warnings);
    let warning = &service.warnings[0];
    assert_eq!(warning.shape, "ex#Svc");
    assert!(warning.location.ends_with(".rules[0].conditions[0].fn"), "{}", warning.location);
    assert!(warning.message.contains("endpoint rules are not used") && warning.message.contains("split"), "{warning}");

    let s3_built_in = RULES.replace(
        r#""UseFIPS":{"type":"Boolean","#,
        r#""Accelerate":{"type":"Boolean","builtIn":"AWS::S3::Accelerate","required":true,"default":false},"UseFIPS":{"type":"Boolean","#,
    );
    let service = lower_text(&model_text(&s3_built_in, "", "")).unwrap();
    assert!(matches!(service.endpoint, EndpointResolution::Rules(_)));
    let messages: Vec<&str> = service.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("`Accelerate` takes the built-in `AWS::S3::Accelerate`"), "{messages:?}");
}

/// A service whose input has one member per pattern, each targeting a string shape of its own
/// (`ex#Name` for member `Name`) that carries the pattern.
fn pattern_model(patterns: &[(&str, &str)]) -> String {
    let members: Vec<String> =
        patterns.iter().map(|(name, _)| format!(r#""{name}":{{"target":"ex#{name}"}}"#)).collect();
    let shapes: Vec<String> = patterns
        .iter()
        .map(|(name, pattern)| {
            let pattern = serde_json::to_string(pattern).unwrap();
            format!(r#","ex#{name}":{{"type":"string","traits":{{"smithy.api#pattern":{pattern}}}}}"#)
        })
        .collect();
    let model = model_text("", "", &members.join(","));
    let end = model.rfind("}}").unwrap();
    format!("{}{}}}}}", &model[..end], shapes.concat())
}

fn field<'s>(service: &'s Service, name: &str) -> &'s Field {
    service.structure("In").fields.iter().find(|f| f.member_name == name).unwrap()
}

#[test]
fn a_pattern_the_engine_refuses_is_left_to_the_service_with_a_warning_at_each_use() {
    const HUGE: &str = "^(?:a{1000}){1000}$";
    let model = pattern_model(&[("Huge", HUGE), ("AlsoHuge", HUGE), ("Name", "^[a-z]+$")]);
    let service = lower_text(&model).unwrap();
    let names: Vec<&str> = service.patterns.iter().map(|p| p.ecma.as_str()).collect();
    assert_eq!(names, ["^[a-z]+$"]);
    assert_eq!(service.features.pattern_engine, Some(pattern::Engine::RegexLite));
    let reason = "the regex-lite engine refuses the translation: compiled size limit exceeded";
    for member in ["Huge", "AlsoHuge"] {
        let ty = &field(&service, member).ty;
        assert_eq!(ty.constraints.pattern, None, "{member} is not checked");
        assert_eq!(
            ty.unenforced_pattern,
            Some(UnenforcedPattern { pattern: HUGE.into(), reason: reason.into() }),
            "{member}"
        );
    }
    assert!(field(&service, "Name").ty.constraints.pattern.is_some());
    let warnings: Vec<(&str, &str)> =
        service.warnings.iter().map(|w| (w.location.as_str(), w.message.as_str())).collect();
    let message =
        |shape: &str| format!("pattern `{HUGE}` of `{shape}` is not enforced (the service still checks it): {reason}");
    assert_eq!(
        warnings,
        [
            (r#"shapes."ex#AlsoHuge".traits."smithy.api#pattern""#, message("ex#AlsoHuge").as_str()),
            (r#"shapes."ex#Huge".traits."smithy.api#pattern""#, message("ex#Huge").as_str()),
        ]
    );
}

/// A service whose operation's input member `Name` and error member `message` target string
/// shapes with the given patterns.
fn error_pattern_model(input_pattern: &str, error_pattern: &str) -> String {
    format!(
        r#"{{"smithy":"2.0","shapes":{{
            "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#Op"}}],
                      "traits":{{"aws.protocols#awsJson1_1":{{}}}}}},
            "ex#Op":{{"type":"operation","input":{{"target":"ex#In"}},"errors":[{{"target":"ex#Oops"}}]}},
            "ex#In":{{"type":"structure","members":{{"Name":{{"target":"ex#Name"}}}}}},
            "ex#Name":{{"type":"string","traits":{{"smithy.api#pattern":{input}}}}},
            "ex#Oops":{{"type":"structure","members":{{"message":{{"target":"ex#Message"}}}},
                       "traits":{{"smithy.api#error":"client"}}}},
            "ex#Message":{{"type":"string","traits":{{"smithy.api#pattern":{error}}}}}}}}}"#,
        input = serde_json::to_string(input_pattern).unwrap(),
        error = serde_json::to_string(error_pattern).unwrap(),
    )
}

/// Errors are read, never validated: a pattern only an error's member carries would be a
/// constant nothing checks (an unused static under `-D warnings`) and an engine nothing runs.
#[test]
fn a_pattern_only_errors_carry_gets_no_constant_and_no_engine() {
    let service = lower_text(&error_pattern_model("^[0-9]+$", r"^[^<>]*\p{L}$")).unwrap();
    let names: Vec<&str> = service.patterns.iter().map(|p| p.ecma.as_str()).collect();
    assert_eq!(names, ["^[0-9]+$"]);
    // The error's Unicode class would have needed `regex` with its tables.
    assert_eq!(service.features.pattern_engine, Some(pattern::Engine::RegexLite));
    assert!(!service.features.pattern_tables.any());
    let oops = service.structure("Oops");
    assert_eq!(oops.fields[0].ty.constraints.pattern, None);
    assert!(service.warnings.is_empty(), "{:?}", service.warnings);

    // Shared with a validated member, the constant stays, once.
    let service = lower_text(&error_pattern_model("^[0-9]+$", "^[0-9]+$")).unwrap();
    assert_eq!(service.patterns.len(), 1);
    assert!(field(&service, "Name").ty.constraints.pattern.is_some());
}

/// Patterns are compiled with the crate's engine, the most capable one any of them needs: here
/// `regex`, whose UTF-8 automaton for fifty thousand characters is over its limit where
/// regex-lite's is not.
#[test]
fn patterns_are_compiled_with_the_engine_the_crate_runs_them_on() {
    const LONG: &str = "^[^a]{0,50000}$";
    let service = lower_text(&pattern_model(&[("Long", LONG), ("Letters", r"^\p{L}+$")])).unwrap();
    assert_eq!(service.features.pattern_engine, Some(pattern::Engine::Regex));
    assert!(service.features.pattern_tables.general_categories);
    let unenforced = field(&service, "Long").ty.unenforced_pattern.as_ref().expect("left to the service");
    assert_eq!(unenforced.reason, "the regex engine refuses the translation: compiled size limit exceeded");
    assert_eq!(service.warnings.len(), 1, "{:?}", service.warnings);

    // Alone, it runs on regex-lite, which builds it.
    let service = lower_text(&pattern_model(&[("Long", LONG)])).unwrap();
    assert_eq!(service.features.pattern_engine, Some(pattern::Engine::RegexLite));
    assert!(field(&service, "Long").ty.constraints.pattern.is_some() && service.warnings.is_empty());

    // When the only pattern that needs `regex` is refused, the crate needs regex-lite alone, and
    // the other pattern is compiled again with that.
    let service = lower_text(&pattern_model(&[("Long", LONG), ("Letters", r"^\p{L}{1,1000}$")])).unwrap();
    assert_eq!(service.features.pattern_engine, Some(pattern::Engine::RegexLite));
    assert!(!service.features.pattern_tables.any());
    assert!(field(&service, "Long").ty.constraints.pattern.is_some());
    assert!(field(&service, "Letters").ty.unenforced_pattern.is_some());
    assert_eq!(service.warnings.len(), 1, "{:?}", service.warnings);
    assert!(service.warnings[0].location.contains("Letters"), "{:?}", service.warnings);
}

/// A rule set with parameters an operation's call can set, of each type.
const CALL_RULES: &str = r#","smithy.rules#endpointRuleSet":{"version":"1.0",
    "parameters":{"Region":{"type":"String","builtIn":"AWS::Region"},
                  "Table":{"type":"String"},"Tables":{"type":"stringArray"},"Flag":{"type":"Boolean"},
                  "Names":{"type":"stringArray"}},
    "rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://svc.example.com"}}]}"#;

fn call_model(operation_traits: &str) -> String {
    format!(
        r#"{{"smithy":"2.0","shapes":{{
            "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#Op"}}],
                      "traits":{{"aws.protocols#awsJson1_1":{{}}{CALL_RULES}}}}},
            "ex#Op":{{"type":"operation","input":{{"target":"ex#In"}},"traits":{{{operation_traits}}}}},
            "ex#In":{{"type":"structure","members":{{
                "TableName":{{"target":"smithy.api#String","traits":{{"smithy.rules#contextParam":{{"name":"Table"}}}}}},
                "Count":{{"target":"smithy.api#Integer","traits":{{"smithy.rules#contextParam":{{"name":"Table"}}}}}},
                "Items":{{"target":"ex#Items"}},
                "ByName":{{"target":"ex#ByName","traits":{{"smithy.api#required":{{}}}}}}}}}},
            "ex#Items":{{"type":"list","member":{{"target":"ex#Item"}}}},
            "ex#Item":{{"type":"structure","members":{{"Inner":{{"target":"ex#Inner"}}}}}},
            "ex#Inner":{{"type":"structure","members":{{"Name":{{"target":"smithy.api#String","traits":{{"smithy.api#required":{{}}}}}}}}}},
            "ex#ByName":{{"type":"map","key":{{"target":"smithy.api#String"}},"value":{{"target":"smithy.api#String"}}}}}}}}"#
    )
}

#[test]
fn call_parameters_come_from_input_members_paths_and_static_values() {
    let operation_traits = r#""smithy.rules#operationContextParams":{
            "Tables":{"path":"Items[*].Inner.Name"},"Names":{"path":"keys(ByName)"},"Nope":{"path":"keys(ByName)"},
            "Flag":{"path":"Items[0]"}},
        "smithy.rules#staticContextParams":{"Flag":{"value":true},"Region":{"value":false}}"#;
    let service = lower_text(&call_model(operation_traits)).unwrap();
    let op = &service.operations[0];
    let names: Vec<&str> = op.endpoint_params.iter().map(|p| p.name.as_str()).collect();
    // Members in member order, then paths and static values, each by name.
    assert_eq!(names, ["Table", "Names", "Tables", "Flag"]);
    assert_eq!(
        op.endpoint_params[0].value,
        CallParamValue::Input {
            path: "TableName".into(),
            steps: vec![InputStep::Field { field: "table_name".into(), optional: true, boxed: false }],
            leaf: InputLeaf::String,
            list: false,
        }
    );
    let CallParamValue::Input { steps, list, .. } = &op.endpoint_params[2].value else { panic!() };
    assert!(*list);
    assert_eq!(
        steps,
        &[
            InputStep::Field { field: "items".into(), optional: true, boxed: false },
            InputStep::Each { sparse: false },
            InputStep::Field { field: "inner".into(), optional: true, boxed: false },
            InputStep::Field { field: "name".into(), optional: false, boxed: false },
        ]
    );
    let CallParamValue::Input { steps, .. } = &op.endpoint_params[1].value else { panic!() };
    assert_eq!(steps.last(), Some(&InputStep::Keys));
    assert_eq!(op.endpoint_params[3].value, CallParamValue::Static(ParamValue::Bool(true)));

    // Each binding the crate cannot honour is one warning at its trait.
    let warnings: Vec<(&str, &str)> =
        service.warnings.iter().map(|w| (w.location.as_str(), w.message.as_str())).collect();
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    let expect = [
        (r#"members.Count.traits."smithy.rules#contextParam""#, "does not end at a string, an enum or a boolean"),
        (r#""smithy.rules#operationContextParams".Flag"#, "outside the path expressions"),
        (r#""smithy.rules#operationContextParams".Nope"#, "no such parameter"),
        (r#""smithy.rules#staticContextParams".Region"#, "is a string, so this value is not used"),
    ];
    for (location, message) in expect {
        assert!(
            warnings.iter().any(|(l, m)| l.ends_with(location) && m.contains(message)),
            "no warning at {location} saying {message}: {warnings:#?}"
        );
    }
}

#[test]
fn each_endpoint_test_case_knows_the_table_it_passes_with() {
    let dual_stack_iso = r#","smithy.rules#endpointRuleSet":{"version":"1.0",
        "parameters":{"Region":{"type":"String","builtIn":"AWS::Region","required":true}},
        "rules":[{"type":"endpoint","conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"},
                                                 {"fn":"booleanEquals","argv":[{"fn":"getAttr","argv":[{"ref":"p"},"supportsDualStack"]},true]}],
                  "endpoint":{"url":"https://svc.{Region}.{p#dualStackDnsSuffix}"}},
                 {"type":"error","conditions":[],"error":"no dual-stack"}]},
        "smithy.rules#endpointTests":{"version":"1.0","testCases":[
            {"params":{"Region":"us-east-1"},"expect":{"endpoint":{"url":"https://svc.us-east-1.api.aws"}}},
            {"params":{"Region":"us-iso-east-1"},"expect":{"error":"no dual-stack"}},
            {"params":{"Region":"us-east-1"},"expect":{"error":"wrong on purpose"}}]}"#;
    let service = lower_text(&model_text(dual_stack_iso, "", "")).unwrap();
    let EndpointResolution::Rules(rules) = &service.endpoint else { panic!("{:?}", service.endpoint) };
    let tables: Vec<CaseTable> = rules.tests.iter().map(|t| t.partitions).collect();
    assert_eq!(tables, [CaseTable::Published, CaseTable::ModelEra, CaseTable::Published]);
}

#[test]
fn host_prefix_labels_are_tied_to_input_fields() {
    let members = r#""AccountId":{"target":"smithy.api#String","traits":{"smithy.api#required":{},"smithy.api#hostLabel":{}}},
                     "Other":{"target":"smithy.api#String"}"#;
    let service =
        lower_text(&model_text("", r#""smithy.api#endpoint":{"hostPrefix":"{AccountId}.data-"}"#, members)).unwrap();
    let prefix = service.operations[0].host_prefix.as_ref().unwrap();
    assert_eq!(prefix.template, "{AccountId}.data-");
    assert_eq!(
        prefix.parts,
        [
            HostPrefixPart::Label { member: "AccountId".into(), field: "account_id".into() },
            HostPrefixPart::Literal(".data-".into()),
        ]
    );
    let fields = &service.structure("In").fields;
    assert!(fields.iter().find(|f| f.member_name == "AccountId").unwrap().host_label);
    assert!(!fields.iter().find(|f| f.member_name == "Other").unwrap().host_label);

    let unknown =
        lower_text(&model_text("", r#""smithy.api#endpoint":{"hostPrefix":"{Nope}."}"#, members)).unwrap_err();
    assert_eq!(unknown.location, r#"shapes."ex#Op".traits."smithy.api#endpoint".hostPrefix"#);
    assert!(unknown.message.contains("names no member of the input `ex#In`"), "{unknown}");
    let optional =
        lower_text(&model_text("", r#""smithy.api#endpoint":{"hostPrefix":"{Other}."}"#, members)).unwrap_err();
    assert!(optional.message.contains("required string with @hostLabel"), "{optional}");
}

#[test]
fn the_checked_in_model_carries_codepipeline_rules_and_tests() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/codepipeline.json");
    let model = crate::model::load_file(&path).unwrap();
    let service = lower(&model, &Selection { crate_name: "x".into(), ..Selection::default() }).unwrap();
    let EndpointResolution::Rules(rules) = &service.endpoint else { panic!("{:?}", service.endpoint) };
    let names: Vec<&str> = rules.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Region", "UseDualStack", "UseFIPS", "Endpoint"]);
    assert_eq!(rules.tests.len(), 49);
    assert!(service.operations.iter().all(|op| op.host_prefix.is_none()));
}

/// An input with members of each kind of presence, and a nested structure with a default of
/// every type.
const DEFAULTS_MODEL: &str = r#"{"smithy":"2.0","shapes":{
    "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"}],"traits":{"aws.protocols#awsJson1_0":{}}},
    "ex#Op":{"type":"operation","input":{"target":"ex#In"},"output":{"target":"ex#Out"}},
    "ex#In":{"type":"structure","members":{
        "topDefault":{"target":"smithy.api#String","traits":{"smithy.api#default":"hi"}},
        "requiredDefault":{"target":"smithy.api#Boolean","traits":{"smithy.api#required":{},"smithy.api#default":false}},
        "optionalOverride":{"target":"smithy.api#Boolean","traits":{"smithy.api#required":{},"smithy.api#default":true,"smithy.api#clientOptional":{}}},
        "nested":{"target":"ex#Nested"}}},
    "ex#Out":{"type":"structure","members":{
        "topDefault":{"target":"smithy.api#String","traits":{"smithy.api#default":"hi"}},
        "nested":{"target":"ex#Nested","traits":{"smithy.api#required":{}}}}},
    "ex#Nested":{"type":"structure","members":{
        "string":{"target":"smithy.api#String","traits":{"smithy.api#default":"hi"}},
        "blob":{"target":"smithy.api#Blob","traits":{"smithy.api#default":"YWJj"}},
        "emptyBlob":{"target":"smithy.api#Blob","traits":{"smithy.api#default":""}},
        "doc":{"target":"smithy.api#Document","traits":{"smithy.api#default":{"a":[1,true]}}},
        "nullDoc":{"target":"smithy.api#Document","traits":{"smithy.api#default":null}},
        "epoch":{"target":"smithy.api#Timestamp","traits":{"smithy.api#default":1}},
        "dateTime":{"target":"smithy.api#Timestamp","traits":{"smithy.api#default":"1970-01-02T00:00:01.5+01:00"}},
        "byte":{"target":"smithy.api#Byte","traits":{"smithy.api#default":1}},
        "float":{"target":"smithy.api#Float","traits":{"smithy.api#default":1.5}},
        "list":{"target":"ex#List","traits":{"smithy.api#default":[]}},
        "map":{"target":"ex#Map","traits":{"smithy.api#default":{}}},
        "enum":{"target":"ex#Enum","traits":{"smithy.api#default":"FOO"}},
        "intEnum":{"target":"ex#IntEnum","traits":{"smithy.api#default":2}},
        "big":{"target":"smithy.api#BigInteger","traits":{"smithy.api#default":12345678901234567890}},
        "clientOptional":{"target":"smithy.api#Integer","traits":{"smithy.api#default":0,"smithy.api#clientOptional":{}}},
        "targetDefault":{"target":"smithy.api#PrimitiveInteger","traits":{"smithy.api#default":0}},
        "removedDefault":{"target":"ex#Zero","traits":{"smithy.api#default":null}}}},
    "ex#Zero":{"type":"integer","traits":{"smithy.api#default":0}},
    "ex#List":{"type":"list","member":{"target":"smithy.api#String"}},
    "ex#Map":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"smithy.api#String"}},
    "ex#Enum":{"type":"enum","members":{"FOO":{"target":"smithy.api#Unit"}}},
    "ex#IntEnum":{"type":"intEnum","members":{"TWO":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":2}}}}}}"#;

fn presences<'s>(service: &'s Service, structure: &str) -> Vec<(&'s str, &'s Presence)> {
    service.structure(structure).fields.iter().map(|f| (f.member_name.as_str(), &f.presence)).collect()
}

#[test]
fn presence_follows_smithy_default_rules_at_the_top_level_of_inputs_and_below() {
    let service = lower_text(DEFAULTS_MODEL).unwrap();
    // A top-level input member with a default stays unset unless the caller sets it; with
    // `@required` as well it is always sent; `@clientOptional` ignores both.
    assert_eq!(
        presences(&service, "In"),
        [
            ("topDefault", &Presence::Optional),
            ("requiredDefault", &Presence::Default(DefaultValue::Bool(false))),
            ("optionalOverride", &Presence::Optional),
            ("nested", &Presence::Optional),
        ]
    );
    let shown: Vec<Option<&str>> =
        service.structure("In").fields.iter().map(|f| f.service_default.as_deref()).collect();
    assert_eq!(shown, [Some(r#""hi""#), None, None, None]);
    // Outside inputs, a default is filled in.
    assert_eq!(presences(&service, "Out")[0], ("topDefault", &Presence::Default(DefaultValue::String("hi".into()))));
    let nested = presences(&service, "Nested");
    let expected = [
        ("string", Presence::Default(DefaultValue::String("hi".into()))),
        ("blob", Presence::Default(DefaultValue::Blob(b"abc".to_vec()))),
        ("emptyBlob", Presence::Default(DefaultValue::Blob(Vec::new()))),
        ("doc", Presence::Default(DefaultValue::Document(serde_json::json!({"a": [1, true]})))),
        ("nullDoc", Presence::Optional),
        ("epoch", Presence::Default(DefaultValue::Timestamp(1.0))),
        ("dateTime", Presence::Default(DefaultValue::Timestamp(82_801.5))),
        ("byte", Presence::Default(DefaultValue::Int(1))),
        ("float", Presence::Default(DefaultValue::Float(1.5))),
        ("list", Presence::Default(DefaultValue::Empty)),
        ("map", Presence::Default(DefaultValue::Empty)),
        ("enum", Presence::Default(DefaultValue::String("FOO".into()))),
        ("intEnum", Presence::Default(DefaultValue::Int(2))),
        ("big", Presence::Default(DefaultValue::BigNumber("12345678901234567890".into()))),
        ("clientOptional", Presence::Optional),
        ("targetDefault", Presence::Default(DefaultValue::Int(0))),
        ("removedDefault", Presence::Optional),
    ];
    let expected: Vec<(&str, &Presence)> = expected.iter().map(|(name, p)| (*name, p)).collect();
    assert_eq!(nested, expected);
}

#[test]
fn a_default_that_does_not_fit_its_member_is_an_error_at_the_trait() {
    for (target, value, why) in [
        ("smithy.api#Blob", r#""not base64!""#, "not base64"),
        ("smithy.api#Byte", "300", "out of range"),
        ("smithy.api#Timestamp", r#""yesterday""#, "not an RFC 3339 date-time"),
        ("ex#List", r#"["a"]"#, "must be empty"),
        ("smithy.api#Integer", r#""zero""#, ""),
    ] {
        let members = format!(r#""m":{{"target":"{target}","traits":{{"smithy.api#default":{value}}}}}"#);
        let model = model_text("", "", &members)
            .replace(r#""ex#In":"#, r#""ex#List":{"type":"list","member":{"target":"smithy.api#String"}},"ex#In":"#);
        let error = lower_text(&model).unwrap_err();
        assert_eq!(error.location, r#"shapes."ex#In".members.m.traits."smithy.api#default""#, "{target}");
        assert!(error.message.contains("does not fit the member's type") && error.message.contains(why), "{error}");
    }
}

#[test]
fn base64_and_date_times_of_defaults_are_read_exactly() {
    assert_eq!(decode_base64("YWJj").as_deref(), Some(&b"abc"[..]));
    assert_eq!(decode_base64("YQ==").as_deref(), Some(&b"a"[..]));
    assert_eq!(decode_base64("YWI").as_deref(), Some(&b"ab"[..]));
    assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
    assert_eq!(decode_base64("Y"), None);
    assert_eq!(decode_base64("YW=="), Some(vec![b'a']));
    assert_eq!(decode_base64("Y==="), None);
    assert_eq!(parse_date_time("1970-01-01T00:00:00Z"), Some(0.0));
    assert_eq!(parse_date_time("2023-11-14T22:13:20Z"), Some(1_700_000_000.0));
    assert_eq!(parse_date_time("2023-11-14T23:13:20+01:00"), Some(1_700_000_000.0));
    assert_eq!(parse_date_time("1969-12-31T23:59:59.25Z"), Some(-0.75));
    assert_eq!(parse_date_time("2023-13-01T00:00:00Z"), None);
    assert_eq!(parse_date_time("2023-11-14"), None);
}

#[test]
fn query_compatible_services_know_their_errors_query_codes() {
    let model = |service_traits: &str| {
        format!(
            r#"{{"smithy":"2.0","shapes":{{
            "ex#Svc":{{"type":"service","version":"1","operations":[{{"target":"ex#Op"}}],
                      "traits":{{"aws.protocols#awsJson1_0":{{}}{service_traits}}}}},
            "ex#Op":{{"type":"operation","errors":[{{"target":"ex#Bad"}}]}},
            "ex#Bad":{{"type":"structure","members":{{}},"traits":{{"smithy.api#error":"client",
                "aws.protocols#awsQueryError":{{"code":"Bad.Thing","httpResponseCode":400}}}}}}}}}}"#
        )
    };
    let error_info = |service: &Service| match &service.type_def("Bad").unwrap().kind {
        TypeDefKind::Structure(s) => s.error.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    let compatible = lower_text(&model(r#","aws.protocols#awsQueryCompatible":{}"#)).unwrap();
    assert!(compatible.query_compatible);
    assert_eq!(error_info(&compatible).query_code.as_deref(), Some("Bad.Thing"));
    // Without the service trait the awsQuery code means nothing to an awsJson client.
    let plain = lower_text(&model("")).unwrap();
    assert!(!plain.query_compatible);
    assert_eq!(error_info(&plain).query_code, None);

    let broken = model(r#","aws.protocols#awsQueryCompatible":{}"#).replace(r#""code":"Bad.Thing","#, "");
    let error = load_slice("t.json", broken.as_bytes()).unwrap_err().to_string();
    assert!(error.contains(r#"traits."aws.protocols#awsQueryError": missing required key `code`"#), "{error}");
}

/// A restJson1 service with a streaming upload (`Put`, `@requiresLength`), a streaming download
/// (`Get`), an operation that nests a streaming blob in its body (`Nested`) and one with an event
/// stream (`Events`).
const STREAMING: &str = r#"{"smithy":"2.0","shapes":{
    "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Put"},{"target":"ex#Get"},
        {"target":"ex#Nested"},{"target":"ex#Events"}],"traits":{"aws.protocols#restJson1":{}}},
    "ex#Put":{"type":"operation","input":{"target":"ex#PutIn"},"traits":{"smithy.api#http":{"method":"PUT","uri":"/p"}}},
    "ex#PutIn":{"type":"structure","members":{
        "body":{"target":"ex#Sized","traits":{"smithy.api#httpPayload":{},"smithy.api#required":{}}}}},
    "ex#Sized":{"type":"blob","traits":{"smithy.api#streaming":{},"smithy.api#requiresLength":{}}},
    "ex#Get":{"type":"operation","output":{"target":"ex#GetOut"},"traits":{"smithy.api#http":{"method":"GET","uri":"/g"}}},
    "ex#GetOut":{"type":"structure","members":{
        "body":{"target":"ex#Plain","traits":{"smithy.api#httpPayload":{},"smithy.api#default":""}}}},
    "ex#Plain":{"type":"blob","traits":{"smithy.api#streaming":{},"smithy.api#mediaType":"image/png"}},
    "ex#Nested":{"type":"operation","input":{"target":"ex#NestedIn"},"traits":{"smithy.api#http":{"method":"POST","uri":"/n"}}},
    "ex#NestedIn":{"type":"structure","members":{"inner":{"target":"ex#Inner"}}},
    "ex#Inner":{"type":"structure","members":{"data":{"target":"ex#Plain"}}},
    "ex#Events":{"type":"operation","output":{"target":"ex#EventsOut"},"traits":{"smithy.api#http":{"method":"GET","uri":"/e"}}},
    "ex#EventsOut":{"type":"structure","members":{"events":{"target":"ex#Stream","traits":{"smithy.api#httpPayload":{}}}}},
    "ex#Stream":{"type":"union","members":{"tick":{"target":"ex#Tick"}},"traits":{"smithy.api#streaming":{}}},
    "ex#Tick":{"type":"structure","members":{}}
}}"#;

#[test]
fn restjson_streaming_payloads_are_byte_streams_and_other_streams_are_left_out() {
    let service = lower_text(STREAMING).unwrap();
    let names: Vec<&str> = service.operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(names, ["Get", "Put"]);
    let skipped: Vec<(&str, &str)> = service.skipped.iter().map(|s| (s.operation.as_str(), s.shape.as_str())).collect();
    assert_eq!(skipped, [("Events", "ex#Stream"), ("Nested", "ex#Plain")]);
    let upload = &service.structure("PutIn").fields[0];
    assert_eq!(upload.ty.kind, TyKind::ByteStream);
    assert_eq!(
        upload.http,
        HttpBinding::Payload {
            kind: PayloadKind::StreamingBlob { requires_length: true },
            content_type: "application/octet-stream".into()
        }
    );
    let download = &service.structure("GetOut").fields[0];
    assert_eq!(download.ty.kind, TyKind::ByteStream);
    assert_eq!(download.presence, Presence::Default(DefaultValue::Empty), "no body is an empty stream");
    assert!(matches!(&download.http, HttpBinding::Payload { content_type, .. } if content_type == "image/png"));
    assert!(service.features.byte_streams && !service.features.blobs, "a stream needs no base64");

    // Asked for by name, an operation the crate cannot carry is an error saying why.
    let model = load_slice("test.json", STREAMING.as_bytes()).unwrap();
    let only =
        |name: &str| Selection { operations: vec![name.into()], crate_name: "test".into(), ..Selection::default() };
    let error = lower(&model, &only("Nested")).unwrap_err().to_string();
    assert!(error.contains("only as the @httpPayload of an operation's input or output"), "{error}");
    let error = lower(&model, &only("Events")).unwrap_err().to_string();
    assert!(error.contains("event streams are not supported"), "{error}");
}

#[test]
fn outside_restjson_a_streaming_blob_leaves_its_operation_out() {
    let text = STREAMING.replace("aws.protocols#restJson1", "aws.protocols#awsJson1_1");
    let model = load_slice("test.json", text.as_bytes()).unwrap();
    let selection = Selection { operations: vec!["Put".into()], crate_name: "test".into(), ..Selection::default() };
    let error = lower(&model, &selection).unwrap_err().to_string();
    assert!(error.contains("streaming blobs are supported only as restJson1's @httpPayload"), "{error}");
}
