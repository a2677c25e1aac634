//! Stage 2, lower and analyse: the closure of the chosen operations as Rust-ready, sorted type definitions.
//!
//! Everything the emitters need is decided here (names, optionality, boxing, constraints, translated
//! patterns), so each emitter is a plain walk over sorted lists and the output is deterministic.
//!
//! The IR's data types are in `types` and `test_types` (the generated tests' values and cases), all
//! re-exported here, and import no lowering code. Lowering runs in phases: `lower` finds the service,
//! the operations and the closure of their shapes and names them; `members` turns members into fields
//! (types, presence, defaults, boxing); `patterns` turns `@pattern` traits into checked constants;
//! `endpoints` lowers the endpoint rules and binds each call's rule-set parameters; `http_bindings`
//! lowers restJson1's HTTP bindings (their types are in `http_types`); `endpoint_tests`
//! and `protocol_tests` lower the model's test cases, their JSON values typed by `typed_values`, so no
//! emitter reads the model's JSON; `doc_text` converts the documentation to Markdown once for every
//! emitter; `paginators` resolves each `@paginated` trait's member paths; and `waiters` lowers
//! `smithy.waiters#waitable`, checking each path against the finished types.

pub mod botocore_paginators;
mod doc_text;
mod endpoint_tests;
mod endpoints;
mod http_bindings;
mod http_types;
mod lower;
mod members;
mod paginators;
mod patterns;
mod protocol_tests;
mod test_types;
#[cfg(test)]
mod tests;
mod typed_values;
mod types;
pub mod waiters;

pub use endpoints::sorted_keys;
pub use http_types::{ConstantQuery, HttpBinding, HttpOperation, PathSegment, PayloadKind, UriPattern};
pub use test_types::{
    CallExpectation, EndpointCall, EndpointTest, FloatValue, MemberValue, ProtocolTestValues, TypedValue,
};
pub use types::{
    CallEndpointParam, CallParamValue, CliPaging, Constraints, DefaultValue, EndpointResolution, EndpointRules,
    EnumVariant, ErrorInfo, Features, Field, HostPrefix, HostPrefixPart, InputLeaf, InputStep, IntEnumVariant, IrError,
    ItemsPath, MemberPath, Operation, Paginator, PathStep, PatternConst, Presence, ProtocolTest, ProtocolTestKind,
    RequestCompression, Selection, Service, SkippedOperation, Structure, TokenKind, Ty, TyKind, TypeDef, TypeDefKind,
    UnenforcedPattern, Warning,
};

use crate::model::Model;
use doc_text::convert_docs;
use lower::Lowerer;

/// Lowers a loaded model to the IR for the selected operations.
pub fn lower(model: &Model, selection: &Selection) -> Result<Service, IrError> {
    let mut service = Lowerer::new(model).lower(selection)?;
    paginators::lower(model, &mut service);
    convert_docs(&mut service);
    let (waiters, warnings) = waiters::lower(model, &service);
    service.waiters = waiters;
    service.warnings.extend(warnings);
    Ok(service)
}

/// Makes the generated CLI aggregate what botocore's paginators file says (see
/// [`botocore_paginators`]) for the operations of a lowered `service`: its mismatches with the model
/// are warnings; a file that names none of the model's operations is an error.
pub fn apply_botocore_paginators(
    model: &Model,
    service: &mut Service,
    botocore: &botocore_paginators::BotocorePaginators,
) -> Result<(), IrError> {
    paginators::apply_botocore(model, service, botocore)
}
