//! The IR's data types: what lowering produces and every emitter reads. Nothing here looks at
//! the model's JSON or does any lowering.

use crate::model::{Bounds, ErrorFault, Protocol, TimestampFormat};
use crate::pattern;
use crate::rules::endpoint::{ParamValue, Parameter};
use crate::rules::PartitionOverride;

use super::{EndpointTest, ProtocolTestValues};

/// What to generate: which service, which operations, and the crate's name.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The service shape; may be left out when the model defines exactly one service.
    pub service: Option<String>,
    /// Operation names (`AcknowledgeThirdPartyJob`) or shape IDs; empty means every operation of the service.
    pub operations: Vec<String>,
    /// The generated crate's package name (`codepipeline-jobs`).
    pub crate_name: String,
}

/// A model that loads but cannot be turned into a crate: the same parts as a load error (file,
/// JSON path of the offending shape, member or trait, and what is wrong), found one stage later.
pub type IrError = crate::model::LoadError;

/// The whole crate to generate.
#[derive(Debug, Clone)]
pub struct Service {
    /// Package name of the generated crate.
    pub crate_name: String,
    /// The service shape ID.
    pub shape_id: String,
    /// The service shape's name, which awsJson uses as the `X-Amz-Target` prefix (`CodePipeline_20150709`).
    pub target_prefix: String,
    /// The model's `sdkId` (`CodePipeline`), or the service name.
    pub sdk_id: String,
    /// The SigV4 signing name (`codepipeline`).
    pub signing_name: String,
    /// The endpoint prefix (`codepipeline` in `codepipeline.us-east-1.amazonaws.com`).
    pub endpoint_prefix: String,
    /// The API version.
    pub version: String,
    /// The title, if the model gives one.
    pub title: Option<String>,
    /// The protocol.
    pub protocol: Protocol,
    /// `aws.protocols#awsQueryCompatible`: the service moved from awsQuery and still names its errors
    /// by their awsQuery codes (in the `x-amzn-query-error` header).
    pub query_compatible: bool,
    /// Service documentation, converted to Markdown.
    pub docs: Option<String>,
    /// Operations sorted by name.
    pub operations: Vec<Operation>,
    /// Type definitions sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Distinct patterns the validators use, sorted by constant name.
    pub patterns: Vec<PatternConst>,
    /// Which optional runtime pieces the crate needs.
    pub features: Features,
    /// Operations left out of a whole-service selection because they use event streams (or streaming
    /// blobs outside restJson1's payloads), by name.
    pub skipped: Vec<SkippedOperation>,
    /// Checks the generator left out of single shapes, sorted by location.
    pub warnings: Vec<Warning>,
    /// How the crate finds the service's endpoint.
    pub endpoint: EndpointResolution,
    /// The client-side cases of the model's HTTP protocol tests for the service's protocol, on the
    /// crate's operations and errors, in operation order (see `emit::protocol_tests`).
    pub protocol_tests: Vec<ProtocolTest>,
    /// The waiters of the crate's operations (`smithy.waiters#waitable`), in operation order; see
    /// `ir::waiters`.
    pub waiters: Vec<super::waiters::Waiter>,
}

/// A client-side case of `smithy.test#httpRequestTests` or `smithy.test#httpResponseTests`.
#[derive(Debug, Clone)]
pub struct ProtocolTest {
    /// The case as the model has it.
    pub case: crate::model::HttpMessageTest,
    /// The operation whose call it makes (its `name`).
    pub operation: String,
    /// What it checks.
    pub kind: ProtocolTestKind,
    /// The values its test builds from the case's `params`, or why the generator cannot build them
    /// (the test then fails saying so).
    pub values: Result<ProtocolTestValues, String>,
}

/// What a protocol test case checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolTestKind {
    /// The request the call sends, for an input built from `params`.
    Request,
    /// The output the call returns for the case's response.
    Response,
    /// The error the call returns for the case's response: this error structure (its Rust name).
    Error(String),
}

/// Where a generated client sends its requests.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointResolution {
    /// The model has no endpoint rules: `https://{endpoint_prefix}.{region}.amazonaws.com` (`.com.cn`
    /// in `cn-` regions), or the configured endpoint.
    Pattern,
    /// The model's `smithy.rules#endpointRuleSet`, evaluated by the crate's endpoint runtime.
    Rules(EndpointRules),
    /// The model has rules the evaluator cannot run (they need a function it does not have); the
    /// crate falls back to [`EndpointResolution::Pattern`] and the generator says why.
    Unsupported {
        /// The JSON path of the unsupported part.
        location: String,
        /// What is not supported.
        reason: String,
    },
}

/// A rule set to embed, with what the emitters need to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRules {
    /// The rule set as compact JSON without its documentation strings: the data the crate embeds.
    pub rule_set_json: String,
    /// Its parameters, in rule-set order.
    pub parameters: Vec<Parameter>,
    /// The model's `smithy.rules#endpointTests` cases, in model order.
    pub tests: Vec<EndpointTest>,
    /// The service's `smithy.rules#clientContextParams`: parameters the configuration sets by name.
    pub client_params: Vec<crate::model::ClientContextParam>,
    /// The partition facts the model-era cases run with (empty when no case needs them).
    pub model_era_facts: Vec<PartitionOverride>,
}

/// `smithy.api#endpoint` `hostPrefix` of an operation, with its labels tied to input fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPrefix {
    /// The template as the model writes it (`{AccountId}.`).
    pub template: String,
    /// The template in pieces.
    pub parts: Vec<HostPrefixPart>,
}

/// A piece of a host prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixPart {
    /// Text sent as it is.
    Literal(String),
    /// The value of an `@hostLabel` member of the input, checked as a host label before sending.
    Label {
        /// The member name (`AccountId`).
        member: String,
        /// The input field holding it (`account_id`).
        field: String,
    },
}

/// A check the generator could not build for one shape: it leaves that check to the service and
/// generates everything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The model file.
    pub file: String,
    /// The shape whose trait it is (`com.amazonaws.acm#DomainNameString`).
    pub shape: String,
    /// The JSON path of the trait in the model file.
    pub location: String,
    /// What was left out and why, in words for the model's author.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: at {}: {}", self.file, self.location, self.message)
    }
}

/// An operation the generator left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOperation {
    /// The operation's name (`StartLiveTail`).
    pub operation: String,
    /// The streaming shape it uses (`com.amazonaws.cloudwatchlogs#StartLiveTailResponseStream`).
    pub shape: String,
}

/// Optional runtime pieces, so a crate only depends on what its model uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// The engine that runs every pattern of the crate, the most capable one any pattern needs; `None`
    /// when the crate enforces no pattern (and needs no regex crate).
    pub pattern_engine: Option<pattern::Engine>,
    /// The Unicode tables the patterns use, which the engine must be built with.
    pub pattern_tables: pattern::UnicodeTables,
    /// Some member is a blob (needs base64).
    pub blobs: bool,
    /// Some member is an idempotency token (needs UUIDs).
    pub idempotency_tokens: bool,
    /// Some member is a `@streaming` blob (an input or output payload read or sent as a stream).
    pub byte_streams: bool,
    /// Some member is a document.
    pub documents: bool,
    /// Some member is a timestamp.
    pub timestamps: bool,
    /// Some member is a bigInteger or bigDecimal.
    pub big_numbers: bool,
    /// Some operation compresses its requests (needs flate2).
    pub request_compression: bool,
    /// Some operation has `@httpChecksumRequired` (needs MD5).
    pub content_md5: bool,
}

/// A request compression encoding the generated crates support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestCompression {
    /// `gzip` (RFC 1952), the one encoding Smithy defines and the AWS SDKs use.
    Gzip,
}

impl RequestCompression {
    /// The encoding's name in `smithy.api#requestCompression` and in `Content-Encoding`.
    pub fn name(self) -> &'static str {
        match self {
            RequestCompression::Gzip => "gzip",
        }
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The shape name, which is also the wire name (`AcknowledgeThirdPartyJob`).
    pub name: String,
    /// The operation shape's ID.
    pub shape_id: String,
    /// The Rust method name (`acknowledge_third_party_job`).
    pub fn_name: String,
    /// The Rust name of its error enum (`AcknowledgeThirdPartyJobError`).
    pub error_name: String,
    /// The input structure's Rust name.
    pub input: String,
    /// The output structure's Rust name.
    pub output: String,
    /// Rust names of the error structures it may return, sorted.
    pub errors: Vec<String>,
    /// Documentation, converted to Markdown.
    pub docs: Option<String>,
    /// The documentation's first sentence as plain text, for one-line help.
    pub summary: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<crate::model::Deprecated>,
    /// `smithy.api#endpoint`: a prefix for the endpoint's host.
    pub host_prefix: Option<HostPrefix>,
    /// `smithy.api#requestCompression`: how the request body is compressed, when the model asks for
    /// an encoding the crate supports.
    pub request_compression: Option<RequestCompression>,
    /// `smithy.api#httpChecksumRequired`: the request carries `Content-MD5`, the MD5 of its body as
    /// sent (after compression).
    pub content_md5: bool,
    /// Endpoint-rule parameters the call sets, from its input or fixed (`smithy.rules#contextParam`,
    /// `operationContextParams`, `staticContextParams`); when any, the endpoint is resolved per call.
    pub endpoint_params: Vec<CallEndpointParam>,
    /// restJson1: the operation's method, URI pattern and success code (`smithy.api#http`); `None`
    /// under awsJson.
    pub http: Option<super::HttpOperation>,
    /// `smithy.api#paginated`, merged with the service's defaults: how to page through the
    /// operation, when its trait can be followed.
    pub paginator: Option<Paginator>,
}

/// An endpoint-rule parameter an operation's call sets.
#[derive(Debug, Clone, PartialEq)]
pub struct CallEndpointParam {
    /// The rule set's parameter name (`ResourceArn`).
    pub name: String,
    /// Where its value comes from.
    pub value: CallParamValue,
}

/// Where a call's endpoint parameter gets its value.
#[derive(Debug, Clone, PartialEq)]
pub enum CallParamValue {
    /// The same value on every call (`smithy.rules#staticContextParams`).
    Static(ParamValue),
    /// Read from the input by following `steps` from the input structure to a value of kind `leaf`;
    /// when `list` is set the parameter is a list of every value reached, else the one value (unset
    /// when a member on the way is).
    Input {
        /// The path as the model wrote it (a member name, or `TransactItems[*].Get.TableName`).
        path: String,
        /// The steps.
        steps: Vec<InputStep>,
        /// What the steps reach.
        leaf: InputLeaf,
        /// Whether the parameter is a list (`stringArray`).
        list: bool,
    },
}

/// One step into an operation's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputStep {
    /// A structure member.
    Field {
        /// The Rust field name.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
        /// Whether the field's value is boxed.
        boxed: bool,
    },
    /// Every element of a list (`[*]`).
    Each {
        /// Whether the list holds `Option`s.
        sparse: bool,
    },
    /// The keys of a map (`keys(...)`).
    Keys,
}

/// The kind of value an input path reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputLeaf {
    /// A string.
    String,
    /// A string enum (its wire value is used).
    Enum,
    /// A boolean.
    Bool,
}

/// A named type of the generated crate.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust type name.
    pub name: String,
    /// The shape it comes from.
    pub shape_id: String,
    /// Documentation, converted to Markdown.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<crate::model::Deprecated>,
    /// What kind of type.
    pub kind: TypeDefKind,
}

/// The kinds of named type.
#[derive(Debug, Clone)]
pub enum TypeDefKind {
    /// A structure (also operation inputs, outputs and errors).
    Structure(Structure),
    /// A string enum.
    Enum(Vec<EnumVariant>),
    /// An intEnum.
    IntEnum(Vec<IntEnumVariant>),
    /// A tagged union.
    Union(Vec<Field>),
}

/// A structure's members and role.
#[derive(Debug, Clone)]
pub struct Structure {
    /// Members in model order.
    pub fields: Vec<Field>,
    /// Set for structures with `@error`.
    pub error: Option<ErrorInfo>,
    /// Whether this is an operation input (it gets a fluent builder on the client).
    pub is_input: bool,
    /// Whether this is an operation output.
    pub is_output: bool,
    /// `@sensitive` on the structure: Debug prints nothing of it.
    pub sensitive: bool,
}

/// What an error structure says about the error.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The code on the wire (the shape name).
    pub code: String,
    /// Client or server fault.
    pub fault: ErrorFault,
    /// `@httpError`, if given.
    pub http_status: Option<u16>,
    /// `@retryable`, if given.
    pub retryable: Option<crate::model::Retryable>,
    /// `aws.protocols#awsQueryError` `code`, for a query-compatible service: the code the service
    /// names the error by in `x-amzn-query-error`.
    pub query_code: Option<String>,
}

/// A string enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The wire value.
    pub value: String,
    /// Documentation, converted to Markdown.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<crate::model::Deprecated>,
}

/// An intEnum value.
#[derive(Debug, Clone)]
pub struct IntEnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The wire value.
    pub value: i64,
    /// Documentation, converted to Markdown.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<crate::model::Deprecated>,
}

/// A structure member or union variant.
#[derive(Debug, Clone)]
pub struct Field {
    /// The model's member name.
    pub member_name: String,
    /// The JSON key: the member name, or under restJson1 its `@jsonName` (the awsJson protocols ignore it).
    pub wire_name: String,
    /// The Rust field name (snake case; for union variants, the PascalCase variant name).
    pub rust_name: String,
    /// The value type.
    pub ty: Ty,
    /// How presence is represented.
    pub presence: Presence,
    /// The model's `@default` (as JSON) of an operation input's own member that is left out when not
    /// set, so the service applies it; shown in the member's documentation.
    pub service_default: Option<String>,
    /// Whether the value is boxed to break a recursive cycle.
    pub boxed: bool,
    /// Documentation, converted to Markdown: the member's own, else the target's.
    pub docs: Option<String>,
    /// The documentation's first sentence as plain text, for one-line help.
    pub summary: Option<String>,
    /// `@deprecated` on the member.
    pub deprecated: Option<crate::model::Deprecated>,
    /// `@idempotencyToken`: filled with a fresh UUID when the caller leaves it out.
    pub idempotency_token: bool,
    /// `@hostLabel`: the value also goes into the operation's host prefix.
    pub host_label: bool,
    /// Where the member goes in an HTTP request or response (restJson1, in an operation's input,
    /// output or error); [`HttpBinding::Body`](super::HttpBinding::Body) everywhere else.
    pub http: super::HttpBinding,
}

/// How a field's presence is modelled, by Smithy 2.0's rules for `@required`, `@default` and
/// `@clientOptional`.
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    /// `Option<T>`: not `@required`, or `@clientOptional`, or a member of an operation input that has
    /// a `@default` but is not `@required` (left out of the request unless the caller sets it, so the
    /// service applies its own default; set to the default value, it is sent).
    Optional,
    /// `T`, and the builder fails when it is not set.
    Required,
    /// `T`, and the builder uses this default when it is not set; always sent, and filled in when a
    /// response leaves it out.
    Default(DefaultValue),
}

/// A `@default` value, of any type a member with a default can have.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// A boolean.
    Bool(bool),
    /// An integer of any width.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (also an enum's wire value).
    String(String),
    /// An empty list or map (the only list and map defaults Smithy allows).
    Empty,
    /// A timestamp in epoch seconds.
    Timestamp(f64),
    /// A blob's bytes (the model gives them in base64).
    Blob(Vec<u8>),
    /// A document: any JSON value but `null` (which means no default).
    Document(serde_json::Value),
    /// A bigInteger or bigDecimal, as the JSON number's text.
    BigNumber(String),
}

/// A value type together with the constraints that apply to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ty {
    /// The type.
    pub kind: TyKind,
    /// Constraint traits that apply at this level.
    pub constraints: Constraints,
    /// `@sensitive` on the target: values are redacted in Debug and never echoed in errors.
    pub sensitive: bool,
    /// A `@pattern` at this level that the crate does not enforce (the service still does), and why.
    pub unenforced_pattern: Option<UnenforcedPattern>,
}

/// The value types.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum TyKind {
    String,
    Bool,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp(TimestampFormat),
    Blob,
    /// A `@streaming` blob, which restJson1 binds to an `@httpPayload` of an operation's input or
    /// output: the runtime's `ByteStream`, sent from bytes or a file and read as a stream.
    ByteStream,
    Document,
    /// `smithy.api#Unit`, the target of a union member that carries no value: the Rust variant has no
    /// payload and the wire value is `{}`.
    Unit,
    /// A named enum.
    Enum(String),
    /// A named intEnum.
    IntEnum(String),
    /// A named structure.
    Structure(String),
    /// A named union.
    Union(String),
    /// A list; `sparse` lists hold `Option`s.
    List {
        member: Box<Ty>,
        sparse: bool,
    },
    /// A map with string (or enum) keys.
    Map {
        key: Box<Ty>,
        value: Box<Ty>,
        sparse: bool,
    },
}

/// Constraint traits, resolved (member traits override the target's).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `@length`.
    pub length: Option<Bounds<u64>>,
    /// `@range`, as f64 (exact for every bound real models use).
    pub range: Option<Bounds<f64>>,
    /// `@pattern`: the constant holding its compiled form.
    pub pattern: Option<String>,
}

/// A `@pattern` left to the service because no engine the generator uses can run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnenforcedPattern {
    /// The pattern as the model wrote it.
    pub pattern: String,
    /// Why it cannot be enforced here.
    pub reason: String,
}

/// A distinct pattern the validators compile once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternConst {
    /// The constant's name.
    pub name: String,
    /// The pattern as the model wrote it (shown in violations).
    pub ecma: String,
    /// Its translation for the crate's engine.
    pub regex: String,
    /// The leanest engine that runs this pattern (the crate's engine may be a more capable one).
    pub engine: pattern::Engine,
    /// The Unicode tables its translation uses.
    pub unicode: pattern::UnicodeTables,
}

impl Service {
    /// The type definition with this Rust name.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.types[i])
    }

    /// The structure with this Rust name; panics if it is not a structure (a generator bug).
    pub fn structure(&self, name: &str) -> &Structure {
        match self.type_def(name).map(|t| &t.kind) {
            Some(TypeDefKind::Structure(s)) => s,
            _ => panic!("generator bug: `{name}` is not a structure of this service"),
        }
    }

    /// Whether any generated item is `#[deprecated]`: the modules that use such items then allow it,
    /// so the crate builds without warnings while its users still see them.
    pub fn uses_deprecated(&self) -> bool {
        self.operations.iter().any(|op| op.deprecated.is_some())
            || self.types.iter().any(|def| {
                def.deprecated.is_some()
                    || match &def.kind {
                        TypeDefKind::Structure(s) => s.fields.iter().any(|f| f.deprecated.is_some()),
                        TypeDefKind::Union(fields) => fields.iter().any(|f| f.deprecated.is_some()),
                        TypeDefKind::Enum(variants) => variants.iter().any(|v| v.deprecated.is_some()),
                        TypeDefKind::IntEnum(variants) => variants.iter().any(|v| v.deprecated.is_some()),
                    }
            })
    }

    /// The content type of a JSON request body.
    pub fn content_type(&self) -> &'static str {
        match self.protocol {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
            Protocol::RestJson1 => "application/json",
        }
    }
}

// Paginators (`smithy.api#paginated`), lowered in `paginators.rs`.

/// How one operation pages.
#[derive(Debug, Clone)]
pub struct Paginator {
    /// The input member that carries the page token (a top-level member).
    pub input_token: Field,
    /// Where the output carries the next page's token.
    pub output_token: MemberPath,
    /// Whether the token is a string or (DynamoDB's `ExclusiveStartKey`) a map.
    pub token: TokenKind,
    /// Where the output holds the page's items, and their collection type, if the trait names them.
    pub items: Option<ItemsPath>,
    /// The input member that limits a page's size, if the trait names one.
    pub page_size: Option<Field>,
    /// What the generated CLI aggregates over the pages; `None`: it makes one call, as the AWS CLI
    /// does for an operation it has no paginator for.
    pub cli: Option<CliPaging>,
}

/// What the generated CLI prints for a paginated operation, as botocore's paginator (which the AWS
/// CLI uses) says: from botocore's paginators file when the generator was given one, else the
/// trait's `items` alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliPaging {
    /// Output member paths (wire names) aggregated over the pages; the first is a list, the items
    /// `--max-items` counts.
    pub result_keys: Vec<Vec<String>>,
    /// Output member paths printed as the first page has them.
    pub non_aggregate_keys: Vec<Vec<String>>,
    /// An output member path that, when false, ends the pages (botocore's `more_results`).
    pub more_results: Option<Vec<String>>,
}

/// The type of a page token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A string: empty means no further page.
    String,
    /// A map: empty means no further page.
    Map,
}

/// The page's items: where they are, and the list (or map) type that holds them.
#[derive(Debug, Clone)]
pub struct ItemsPath {
    /// The members from the output down to the collection.
    pub path: MemberPath,
    /// The collection's type: `TyKind::List` or `TyKind::Map`.
    pub ty: Ty,
}

/// A path of members from a structure down to a value (`result.nextToken`), each step resolved to
/// its Rust field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPath {
    /// One step per member, outermost first; never empty.
    pub steps: Vec<PathStep>,
}

/// One member on a [`MemberPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// The member's name in the model, which is also its JSON key.
    pub wire_name: String,
    /// The Rust field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the field's value is boxed.
    pub boxed: bool,
}

impl MemberPath {
    /// The JSON keys of the path, outermost first.
    pub fn wire_names(&self) -> Vec<&str> {
        self.steps.iter().map(|step| step.wire_name.as_str()).collect()
    }
}
