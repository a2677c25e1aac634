//! Lowering of the model's protocol compliance tests (`smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests`) to the client cases of the service's protocol.

use crate::model::{Model, Protocol, ShapeId};

use super::{ProtocolTest, ProtocolTestKind, Service, Structure, TypeDefKind};

/// The client-side protocol test cases of the model for `service`'s protocol: request and response
/// cases of each operation, then the response cases of each error structure, made through the first
/// operation (by name) that may return it.
pub(super) fn protocol_tests(model: &Model, service: &Service) -> Vec<ProtocolTest> {
    let protocol = match service.protocol {
        Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
        Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
    };
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
                tests.push(ProtocolTest { case: case.clone(), operation: operation.name.clone(), kind: kind.clone() });
            }
        }
    }
    for error in &service.types {
        let TypeDefKind::Structure(Structure { error: Some(_), .. }) = &error.kind else { continue };
        let Some(shape) = shape(&error.shape_id) else { continue };
        let Some(operation) = service.operations.iter().find(|op| op.errors.contains(&error.name)) else { continue };
        for case in shape.traits.http_response_tests.iter().filter(ours) {
            tests.push(ProtocolTest {
                case: case.clone(),
                operation: operation.name.clone(),
                kind: ProtocolTestKind::Error(error.name.clone()),
            });
        }
    }
    tests
}
