//! Lowering of the model's protocol compliance tests (`smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests`) to the client cases of the service's protocol.

use serde_json::{Map, Value};

use super::typed_values::typed_value;
use super::{Operation, Presence, ProtocolTest, ProtocolTestKind, ProtocolTestValues, Service, Structure, TyKind};
use super::{TypeDefKind, TypedValue};
use crate::model::{HttpMessageTest, Model, ShapeId};

/// The client-side protocol test cases of the model for `service`'s protocol: request and response
/// cases of each operation, then the response cases of each error structure, made through the first
/// operation (by name) that may return it.
pub(super) fn protocol_tests(model: &Model, service: &Service) -> Vec<ProtocolTest> {
    let protocol = service.protocol.trait_id();
    let ours = |case: &&crate::model::HttpMessageTest| case.client && case.protocol == protocol;
    let mut tests = Vec::new();
    let shape = |id: &str| model.shapes.get(&ShapeId::new(id));
    for operation in &service.operations {
        let Some(shape) = shape(&operation.shape_id) else { continue };
        for (cases, kind) in [
            (&shape.traits.http_request_tests, ProtocolTestKind::Request),
            (&shape.traits.http_response_tests, ProtocolTestKind::Response),
        ] {
            for case in cases.iter().filter(ours) {
                tests.push(ProtocolTest {
                    values: values(service, operation, &kind, case),
                    case: case.clone(),
                    operation: operation.name.clone(),
                    kind: kind.clone(),
                });
            }
        }
    }
    for error in &service.types {
        let TypeDefKind::Structure(Structure { error: Some(_), .. }) = &error.kind else { continue };
        let Some(shape) = shape(&error.shape_id) else { continue };
        let Some(operation) = service.operations.iter().find(|op| op.errors.contains(&error.name)) else { continue };
        for case in shape.traits.http_response_tests.iter().filter(ours) {
            let kind = ProtocolTestKind::Error(error.name.clone());
            tests.push(ProtocolTest {
                values: values(service, operation, &kind, case),
                case: case.clone(),
                operation: operation.name.clone(),
                kind,
            });
        }
    }
    tests
}

/// The values a case's test builds from its `params`, or why they cannot be built.
fn values(
    service: &Service,
    operation: &Operation,
    kind: &ProtocolTestKind,
    case: &HttpMessageTest,
) -> Result<ProtocolTestValues, String> {
    let params = Value::Object(case.params.clone());
    let input_type = TyKind::Structure(operation.input.clone());
    Ok(match kind {
        ProtocolTestKind::Request => {
            ProtocolTestValues { input: typed_value(service, &input_type, &params)?, expected: None }
        }
        ProtocolTestKind::Response | ProtocolTestKind::Error(_) => {
            let input =
                placeholder_input(service, &input_type).map_err(|why| format!("no input for the call: {why}"))?;
            let expected_type = match kind {
                ProtocolTestKind::Error(error) => TyKind::Structure(error.clone()),
                _ => TyKind::Structure(operation.output.clone()),
            };
            ProtocolTestValues { input, expected: Some(typed_value(service, &expected_type, &params)?) }
        }
    })
}

/// The smallest value of `ty` its builders accept: required members filled with zero values,
/// everything else left out. Response cases need some input to make their call; they do not check it.
fn placeholder_input(service: &Service, ty: &TyKind) -> Result<TypedValue, String> {
    typed_value(service, ty, &placeholder(service, ty))
}

fn placeholder(service: &Service, ty: &TyKind) -> Value {
    match ty {
        TyKind::String | TyKind::Blob | TyKind::ByteStream => Value::String(String::new()),
        TyKind::Bool => Value::Bool(false),
        TyKind::Byte
        | TyKind::Short
        | TyKind::Integer
        | TyKind::Long
        | TyKind::Float
        | TyKind::Double
        | TyKind::Timestamp(_)
        | TyKind::IntEnum(_) => Value::from(0),
        TyKind::List { .. } => Value::Array(Vec::new()),
        TyKind::Map { .. } | TyKind::Document | TyKind::Unit => Value::Object(Map::new()),
        TyKind::BigInteger | TyKind::BigDecimal => Value::String("0".into()),
        TyKind::Enum(name) => match service.type_def(name).map(|t| &t.kind) {
            Some(TypeDefKind::Enum(variants)) => {
                Value::String(variants.first().map(|v| v.value.clone()).unwrap_or_default())
            }
            _ => Value::String(String::new()),
        },
        TyKind::Structure(name) => {
            let mut object = Map::new();
            if let Some(TypeDefKind::Structure(structure)) = service.type_def(name).map(|t| &t.kind) {
                // Required members cannot nest forever: the loader refuses cycles through them.
                for field in structure.fields.iter().filter(|f| f.presence == Presence::Required) {
                    let value = match (&field.http, &field.ty.kind) {
                        // An empty label is refused before sending, so a label gets some text.
                        (super::HttpBinding::Label { .. }, TyKind::String) => Value::String("label".into()),
                        (_, ty) => placeholder(service, ty),
                    };
                    object.insert(field.member_name.clone(), value);
                }
            }
            Value::Object(object)
        }
        TyKind::Union(name) => {
            let mut object = Map::new();
            if let Some(TypeDefKind::Union(fields)) = service.type_def(name).map(|t| &t.kind) {
                if let Some(field) = fields.first() {
                    object.insert(field.member_name.clone(), placeholder(service, &field.ty.kind));
                }
            }
            Value::Object(object)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lower, MemberValue, Selection};
    use super::*;
    use crate::model::load_slice;

    const MODEL: &str = r#"{"smithy":"2.0","shapes":{
        "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"}],
                  "traits":{"aws.protocols#awsJson1_1":{}}},
        "ex#Op":{"type":"operation","input":{"target":"ex#In"},"output":{"target":"ex#Out"},
                 "errors":[{"target":"ex#Oops"}],
                 "traits":{
            "smithy.test#httpRequestTests":[
                {"id":"Good","protocol":"aws.protocols#awsJson1_1","method":"POST","uri":"/","params":{"Name":"a"}},
                {"id":"Bad","protocol":"aws.protocols#awsJson1_1","method":"POST","uri":"/","params":{"Count":"x"}},
                {"id":"Theirs","protocol":"aws.protocols#awsJson1_0","method":"POST","uri":"/","params":{}},
                {"id":"Server","protocol":"aws.protocols#awsJson1_1","method":"POST","uri":"/","appliesTo":"server"}],
            "smithy.test#httpResponseTests":[
                {"id":"Sized","protocol":"aws.protocols#awsJson1_1","code":200,"params":{"Size":3}}]}},
        "ex#In":{"type":"structure","members":{
            "Name":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},
            "Count":{"target":"smithy.api#Integer"}}},
        "ex#Out":{"type":"structure","members":{"Size":{"target":"smithy.api#Long"}}},
        "ex#Oops":{"type":"structure","members":{"Message":{"target":"smithy.api#String"}},
                   "traits":{"smithy.api#error":"client","smithy.test#httpResponseTests":[
                {"id":"Oops","protocol":"aws.protocols#awsJson1_1","code":400,"params":{"Message":"m"}}]}}}}"#;

    fn structure(type_name: &str, members: &[(&str, TypedValue)]) -> TypedValue {
        TypedValue::Structure {
            type_name: type_name.into(),
            members: members
                .iter()
                .map(|(field, value)| MemberValue { field: field.to_string(), value: value.clone() })
                .collect(),
        }
    }

    #[test]
    fn cases_of_the_protocol_carry_the_values_their_tests_build() {
        let model = load_slice("test.json", MODEL.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let service = lower(&model, &Selection { crate_name: "test".into(), ..Selection::default() }).unwrap();
        let tests: Vec<(&str, &ProtocolTestKind, &Result<ProtocolTestValues, String>)> =
            service.protocol_tests.iter().map(|t| (t.case.id.as_str(), &t.kind, &t.values)).collect();
        let name = TypedValue::String("a".into());
        // A response case's call gets the smallest input: its required members, zero values.
        let placeholder = structure("In", &[("name", TypedValue::String(String::new()))]);
        assert_eq!(
            tests,
            [
                (
                    "Good",
                    &ProtocolTestKind::Request,
                    &Ok(ProtocolTestValues { input: structure("In", &[("name", name)]), expected: None })
                ),
                ("Bad", &ProtocolTestKind::Request, &Err(r#"expected an integer, found "x""#.to_string())),
                (
                    "Sized",
                    &ProtocolTestKind::Response,
                    &Ok(ProtocolTestValues {
                        input: placeholder.clone(),
                        expected: Some(structure("Out", &[("size", TypedValue::Long(3))])),
                    })
                ),
                (
                    "Oops",
                    &ProtocolTestKind::Error("Oops".into()),
                    &Ok(ProtocolTestValues {
                        input: placeholder,
                        expected: Some(structure("Oops", &[("message", TypedValue::String("m".into()))])),
                    })
                ),
            ]
        );
    }
}
