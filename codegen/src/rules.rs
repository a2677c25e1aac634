//! The endpoint rules engine of the generated crates, compiled into the generator as well.
//!
//! The loader parses every `smithy.rules#endpointRuleSet` with the very evaluator a generated crate
//! runs (`codegen/runtime/endpoint.rs` and its helpers), so a rule set the generator accepts is one
//! the crate can evaluate, and a broken one is reported with its file and JSON path at generation
//! time. The partition table the crates embed lives here too.

#[path = "../runtime/endpoint.rs"]
pub mod endpoint;
#[path = "../runtime/endpoint_functions.rs"]
pub mod endpoint_functions;
#[path = "../runtime/partitions.rs"]
pub mod partitions;

/// AWS's partition table (botocore's `botocore/data/partitions.json`), as checked in under
/// `codegen/data/`; every generated crate with endpoint rules carries a copy.
pub const PARTITIONS_JSON: &str = include_str!("../data/partitions.json");
