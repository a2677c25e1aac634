//! The IR's types for the generated tests: values of the crate's types, checked against them in
//! lowering (what a test case gives as JSON), and the endpoint test cases with their operation calls.
//! Nothing here looks at the model's JSON.

use std::collections::BTreeMap;

use crate::rules::endpoint::ParamValue;
use crate::rules::{CaseTable, EndpointExpectation};

/// A value of one of the crate's types, already checked against it, that a generated test builds
/// with the crate's builders.
#[derive(Debug, Clone, PartialEq)]
pub enum TypedValue {
    /// A `String`.
    String(String),
    /// A `bool`.
    Bool(bool),
    /// An `i8`.
    Byte(i8),
    /// An `i16`.
    Short(i16),
    /// An `i32`.
    Integer(i32),
    /// An `i64`.
    Long(i64),
    /// An `f32`.
    Float(FloatValue),
    /// An `f64`.
    Double(FloatValue),
    /// A document: JSON by nature.
    Document(serde_json::Value),
    /// A variant of a string enum, by its value.
    Enum {
        /// The enum's Rust name.
        type_name: String,
        /// The value on the wire.
        value: String,
    },
    /// A variant of an int enum, by its value.
    IntEnum {
        /// The enum's Rust name.
        type_name: String,
        /// The value on the wire.
        value: i64,
    },
    /// A list; `None` items are the nulls of a sparse list.
    List {
        /// Whether the list is sparse (its items are `Option`s).
        sparse: bool,
        /// The items in order.
        items: Vec<Option<TypedValue>>,
    },
    /// A map; `None` values are the nulls of a sparse map.
    Map {
        /// Whether the map is sparse (its values are `Option`s).
        sparse: bool,
        /// The entries in order.
        entries: Vec<(TypedValue, Option<TypedValue>)>,
    },
    /// A structure, built with its builder.
    Structure {
        /// The structure's Rust name.
        type_name: String,
        /// The members that are set, in the order the case gives them.
        members: Vec<MemberValue>,
    },
    /// A union variant.
    Union {
        /// The union's Rust name.
        type_name: String,
        /// The variant's Rust name.
        variant: String,
        /// Its value (`None` for a variant without one).
        value: Option<Box<TypedValue>>,
        /// Whether the variant boxes its value.
        boxed: bool,
    },
    /// A timestamp, in seconds since the epoch.
    Timestamp(f64),
    /// A blob's bytes.
    Blob(Vec<u8>),
    /// The bytes of a streaming blob (a `ByteStream` built from them).
    ByteStream(Vec<u8>),
}

/// A floating-point value, the specials as Smithy's test cases name them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FloatValue {
    /// A finite number.
    Finite(f64),
    /// `NaN`.
    NaN,
    /// `Infinity`.
    Infinity,
    /// `-Infinity`.
    NegInfinity,
}

/// One member of a structure value.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberValue {
    /// The field's Rust name (its builder's setter is `set_` and this).
    pub field: String,
    /// The value.
    pub value: TypedValue,
}

/// The values a protocol test case builds.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolTestValues {
    /// The call's input: the case's `params` for a request case; for a response case, the smallest
    /// input the builders accept (required members set to zero values), which nothing checks.
    pub input: TypedValue,
    /// What the call must return, from the case's `params`: the output, or the error structure
    /// (response cases only).
    pub expected: Option<TypedValue>,
}

/// One `smithy.rules#endpointTests` case, and the partition table its generated test runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTest {
    /// What the case is about: the model's documentation, or where the case is when it has none.
    pub documentation: String,
    /// Parameter values by name, in model order.
    pub params: Vec<(String, ParamValue)>,
    /// The expected outcome.
    pub expect: EndpointExpectation,
    /// [`CaseTable::ModelEra`] when the case gives its expected outcome only with the partition facts
    /// of `codegen/data/endpoint-test-partition-overrides.json`; else the published table (also for a
    /// case that fails with both, so that its test fails).
    pub partitions: CaseTable,
    /// The case's `operationInputs` the crate can make as calls of its client, in model order (the
    /// others are warnings).
    pub calls: Vec<EndpointCall>,
}

/// An operation call of an endpoint test case, made through the crate's client.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointCall {
    /// The operation's name (`ListTables`).
    pub operation: String,
    /// Built-in values by built-in name (`AWS::Region`), every one of them a client setting.
    pub built_in_params: Vec<(String, ParamValue)>,
    /// Client configuration values by parameter name.
    pub client_params: Vec<(String, ParamValue)>,
    /// The operation's input.
    pub input: TypedValue,
    /// The number of the code that builds the input and makes the call: calls of one operation with
    /// the same input share it. Numbers count from 0 in the order of first use over all the cases.
    pub builder: usize,
    /// What the call must do.
    pub expect: CallExpectation,
}

/// What an endpoint test case's operation call must do.
#[derive(Debug, Clone, PartialEq)]
pub enum CallExpectation {
    /// Send one request.
    Request {
        /// The request's URL (`https://example.com/`).
        uri: String,
        /// Its `Host` header.
        host: String,
        /// Headers it must carry, by name (empty when the case names none).
        headers: BTreeMap<String, Vec<String>>,
        /// How its credential scope ends (`/us-east-1/dynamodb/aws4_request`).
        scope: String,
    },
    /// Fail with this configuration error before sending anything.
    Error(String),
}
