//! Stage 1, load: reads a Smithy 2.0 JSON AST into typed shapes, with every error naming the file and JSON path.
//!
//! The loader checks structure only (kinds, trait value types, targets resolving, lengths that make sense);
//! what is reachable from the chosen operations, naming and recursion are decided by [`crate::ir`].

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value};

use crate::rules::endpoint::{ParamValue, RuleSet, RuleSetError};
use crate::rules::{EndpointExpectation, EndpointOperationInput, EndpointTestCase};

/// The largest model file the loader reads; the biggest AWS models are a few megabytes.
///
/// Nesting depth needs no limit of ours: serde_json refuses input nested deeper than 128 levels,
/// which keeps hostile files from overflowing the stack.
const MAX_MODEL_BYTES: usize = 256 * 1024 * 1024;

/// A model that could not be loaded: which file, where in it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file as the user named it.
    pub file: String,
    /// The JSON path inside the file (`shapes."com.example#Foo".members.bar.target`), or a line and
    /// column when the file is not valid JSON.
    pub location: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: at {}: {}", self.file, self.location, self.message)
        }
    }
}

impl std::error::Error for LoadError {}

/// An absolute shape ID such as `com.amazonaws.codepipeline#JobStatus`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(String);

impl ShapeId {
    /// Wraps an absolute shape ID; the loader checks the `namespace#Name` form before calling this.
    pub fn new(id: impl Into<String>) -> Self {
        ShapeId(id.into())
    }
    /// The whole ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The part before `#`.
    pub fn namespace(&self) -> &str {
        self.0.split_once('#').map_or("", |(ns, _)| ns)
    }
    /// The part after `#`.
    pub fn name(&self) -> &str {
        self.0.split_once('#').map_or(&self.0, |(_, name)| name)
    }
    /// Whether this ID names a shape of the Smithy prelude (`smithy.api#String` and friends).
    pub fn is_prelude(&self) -> bool {
        self.namespace() == "smithy.api"
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A loaded model: every shape by ID, in ID order.
#[derive(Debug, Clone)]
pub struct Model {
    /// The file the model came from, as the user named it; used in later error messages.
    pub file: String,
    /// Shapes by ID, prelude shapes included.
    pub shapes: BTreeMap<ShapeId, Shape>,
}

/// One shape of the model.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Its absolute ID.
    pub id: ShapeId,
    /// What kind of shape it is, with the parts that kind has.
    pub kind: ShapeKind,
    /// Its traits.
    pub traits: Traits,
}

/// The kinds of shape Smithy 2.0 defines, with the parts each one has.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
// A model is loaded once and its shapes are never moved around in bulk, so variant size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum ShapeKind {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum { members: Vec<Member> },
    IntEnum { members: Vec<Member> },
    List { member: Member },
    Map { key: Member, value: Member },
    Structure { members: Vec<Member> },
    Union { members: Vec<Member> },
    Operation { input: ShapeId, output: ShapeId, errors: Vec<ShapeId> },
    Service { version: String, operations: Vec<ShapeId>, resources: Vec<ShapeId>, errors: Vec<ShapeId> },
    Resource { operations: Vec<ShapeId>, resources: Vec<ShapeId> },
}

impl ShapeKind {
    /// The name Smithy uses for this kind in the JSON AST.
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Blob => "blob",
            ShapeKind::Boolean => "boolean",
            ShapeKind::String => "string",
            ShapeKind::Byte => "byte",
            ShapeKind::Short => "short",
            ShapeKind::Integer => "integer",
            ShapeKind::Long => "long",
            ShapeKind::Float => "float",
            ShapeKind::Double => "double",
            ShapeKind::BigInteger => "bigInteger",
            ShapeKind::BigDecimal => "bigDecimal",
            ShapeKind::Timestamp => "timestamp",
            ShapeKind::Document => "document",
            ShapeKind::Enum { .. } => "enum",
            ShapeKind::IntEnum { .. } => "intEnum",
            ShapeKind::List { .. } => "list",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Structure { .. } => "structure",
            ShapeKind::Union { .. } => "union",
            ShapeKind::Operation { .. } => "operation",
            ShapeKind::Service { .. } => "service",
            ShapeKind::Resource { .. } => "resource",
        }
    }

    /// Whether values of this kind can be the target of a structure, union, list or map member.
    pub fn is_data(&self) -> bool {
        !matches!(self, ShapeKind::Operation { .. } | ShapeKind::Service { .. } | ShapeKind::Resource { .. })
    }
}

/// A member of a structure, union, enum, list or map.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member name as written in the model (`jobId`, `member`, `key`).
    pub name: String,
    /// The shape it targets.
    pub target: ShapeId,
    /// Traits applied to the member itself.
    pub traits: Traits,
    /// Where the member sits in the model file, for later error messages.
    pub json_path: String,
}

/// An inclusive bound pair; either side may be absent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds<T> {
    /// The smallest allowed value, if any.
    pub min: Option<T>,
    /// The largest allowed value, if any.
    pub max: Option<T>,
}

/// How a timestamp is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimestampFormat {
    /// Seconds since the Unix epoch as a JSON number (the awsJson default).
    EpochSeconds,
    /// RFC 3339 text.
    DateTime,
    /// IMF-fixdate text.
    HttpDate,
}

/// The value an enum or intEnum member stands for on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumValue {
    /// A string enum value.
    String(String),
    /// An intEnum value.
    Int(i64),
}

/// `@retryable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retryable {
    /// Whether the error means the caller was throttled.
    pub throttling: bool,
}

/// `@deprecated`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecated {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

/// Whether an error is the caller's fault or the service's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFault {
    /// `@error("client")`.
    Client,
    /// `@error("server")`.
    Server,
}

/// The wire protocols a service may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
    /// `aws.protocols#restJson1`.
    RestJson1,
}

impl Protocol {
    /// The protocol trait's shape ID (`aws.protocols#restJson1`), as protocol test cases name it.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
            Protocol::RestJson1 => "aws.protocols#restJson1",
        }
    }
}

/// The traits the generator understands, parsed and type-checked; others are ignored.
#[derive(Debug, Clone, Default)]
pub struct Traits {
    /// `@documentation`, raw (HTML).
    pub documentation: Option<String>,
    /// `@required`.
    pub required: bool,
    /// `@clientOptional`.
    pub client_optional: bool,
    /// `@default`, as given (`null` resets a default).
    pub default: Option<Value>,
    /// `@length`.
    pub length: Option<Bounds<u64>>,
    /// `@range`; bounds are kept as JSON numbers so big ones keep their precision.
    pub range: Option<Bounds<serde_json::Number>>,
    /// `@pattern`, an ECMA-262 regular expression.
    pub pattern: Option<String>,
    /// `@sensitive`.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// `@jsonName`.
    pub json_name: Option<String>,
    /// `@timestampFormat`.
    pub timestamp_format: Option<TimestampFormat>,
    /// `@error`.
    pub error: Option<ErrorFault>,
    /// `@httpError`.
    pub http_error: Option<u16>,
    /// `@retryable`.
    pub retryable: Option<Retryable>,
    /// `@enumValue`.
    pub enum_value: Option<EnumValue>,
    /// `@streaming`.
    pub streaming: bool,
    /// `@sparse`.
    pub sparse: bool,
    /// `@mixin`: the shape only lends its members and traits to others (its users are flattened on
    /// load, see `flatten_mixins`) and is never generated or used as a member's target.
    pub mixin: bool,
    /// `@input`.
    pub input: bool,
    /// `@output`.
    pub output: bool,
    /// `@title`.
    pub title: Option<String>,
    /// Protocol traits on a service.
    pub protocols: Vec<Protocol>,
    /// Protocol traits the generator does not support (their IDs), kept so the error can name them.
    pub unsupported_protocols: Vec<String>,
    /// `aws.protocols#awsQueryCompatible` on a service.
    pub query_compatible: bool,
    /// `aws.protocols#awsQueryError` `code` on an error structure: its code under awsQuery.
    pub query_error_code: Option<String>,
    /// `aws.auth#sigv4` signing name.
    pub sigv4_name: Option<String>,
    /// `aws.api#service` `sdkId`.
    pub sdk_id: Option<String>,
    /// `aws.api#service` `endpointPrefix`.
    pub endpoint_prefix: Option<String>,
    /// `smithy.rules#endpointRuleSet` on a service.
    pub endpoint_rule_set: Option<EndpointRuleSet>,
    /// `smithy.rules#endpointTests` on a service: its test cases.
    pub endpoint_tests: Option<Vec<EndpointTestCase>>,
    /// `smithy.test#httpRequestTests` on an operation.
    pub http_request_tests: Vec<HttpMessageTest>,
    /// `smithy.test#httpResponseTests` on an operation or an error structure.
    pub http_response_tests: Vec<HttpMessageTest>,
    /// `smithy.api#endpoint` `hostPrefix` on an operation.
    pub host_prefix: Option<HostPrefix>,
    /// `smithy.api#hostLabel` on a member.
    pub host_label: bool,
    /// `smithy.api#httpChecksumRequired` on an operation: its requests carry `Content-MD5`.
    pub http_checksum_required: bool,
    /// `smithy.api#requestCompression` on an operation: its encodings in the model's order of
    /// preference, lower-cased (the names are case-insensitive).
    pub request_compression: Option<Vec<String>>,
    /// `smithy.api#paginated` on an operation or (its defaults) a service, as written.
    pub paginated: Option<Paginated>,
    /// `smithy.rules#contextParam` on an input member: the endpoint parameter its value sets.
    pub context_param: Option<String>,
    /// `smithy.rules#staticContextParams` on an operation: endpoint parameters it always sets.
    pub static_context_params: Vec<(String, ParamValue)>,
    /// `smithy.rules#operationContextParams` on an operation: endpoint parameters set from a path
    /// into its input (`keys(RequestItems)`), by parameter name.
    pub operation_context_params: Vec<(String, String)>,
    /// `smithy.rules#clientContextParams` on a service: endpoint parameters the client's
    /// configuration sets.
    pub client_context_params: Vec<ClientContextParam>,
    /// `smithy.waiters#waitable` on an operation, as written: `ir::waiters` reads it, so a waiter it
    /// cannot use costs only that waiter.
    pub waitable: Option<Value>,
    /// `smithy.api#http` on an operation: its method, URI pattern and success code.
    pub http: Option<HttpTrait>,
    /// `smithy.api#httpLabel` on a member.
    pub http_label: bool,
    /// `smithy.api#httpQuery` on a member: the query parameter's name.
    pub http_query: Option<String>,
    /// `smithy.api#httpQueryParams` on a member (a map of further query parameters).
    pub http_query_params: bool,
    /// `smithy.api#httpHeader` on a member: the header's name.
    pub http_header: Option<String>,
    /// `smithy.api#httpPrefixHeaders` on a member: the prefix of the headers its map holds.
    pub http_prefix_headers: Option<String>,
    /// `smithy.api#httpPayload` on a member.
    pub http_payload: bool,
    /// `smithy.api#httpResponseCode` on a member.
    pub http_response_code: bool,
    /// `smithy.api#mediaType` on a string or blob shape.
    pub media_type: Option<String>,
    /// `smithy.api#requiresLength` on a streaming blob.
    pub requires_length: bool,
    /// Where the `traits` object sits in the file.
    pub json_path: String,
}

/// `smithy.api#http`: how an operation maps onto an HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpTrait {
    /// The method (`GET`).
    pub method: String,
    /// The URI pattern as written (`/things/{id}?type=x`).
    pub uri: String,
    /// The status code of a success (200 unless the trait says otherwise).
    pub code: u16,
}

/// `smithy.api#paginated` as written on one shape: each member path is `None` where the trait leaves
/// it out (an operation's trait is merged with its service's before use).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paginated {
    /// `inputToken`: the input member that carries the page token.
    pub input_token: Option<String>,
    /// `outputToken`: the path (`a.b`) of the output member that carries the next token.
    pub output_token: Option<String>,
    /// `items`: the path of the output member that holds the page's items.
    pub items: Option<String>,
    /// `pageSize`: the input member that limits a page's size.
    pub page_size: Option<String>,
    /// Where the trait sits in the file.
    pub json_path: String,
}

/// One parameter of `smithy.rules#clientContextParams`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientContextParam {
    /// The endpoint parameter's name.
    pub name: String,
    /// `string` or `boolean`, as the trait says.
    pub param_type: String,
    /// Its documentation, as written.
    pub documentation: Option<String>,
}

/// `smithy.rules#endpointRuleSet`: the rules that turn region, FIPS, dual-stack and a custom
/// endpoint into the service's endpoint, as data and as parsed by the crates' own evaluator.
#[derive(Debug, Clone)]
pub struct EndpointRuleSet {
    /// The trait value as the model has it.
    pub json: Value,
    /// The parsed rules, or (for a well-formed rule set that needs a function the evaluator does
    /// not have) why they cannot be used; malformed rule sets are load errors instead.
    pub parsed: Result<RuleSet, RuleSetError>,
    /// Where the trait sits in the file.
    pub json_path: String,
}

/// Which of Smithy's two HTTP protocol test traits a case comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMessageKind {
    /// `smithy.test#httpRequestTests`: what the client sends.
    Request,
    /// `smithy.test#httpResponseTests`: what the client makes of a response.
    Response,
}

/// One case of `smithy.test#httpRequestTests` or `smithy.test#httpResponseTests`
/// (<https://smithy.io/2.0/additional-specs/http-protocol-compliance-tests.html>).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpMessageTest {
    /// The case's ID, unique in the model.
    pub id: String,
    /// The protocol it tests (`aws.protocols#awsJson1_1`).
    pub protocol: String,
    /// What it is about.
    pub documentation: Option<String>,
    /// Whether clients run it (`appliesTo` absent or `client`).
    pub client: bool,
    /// The request's method (request cases).
    pub method: Option<String>,
    /// The request's path (request cases).
    pub uri: Option<String>,
    /// The endpoint's host the client is given.
    pub host: Option<String>,
    /// The host the request must go to.
    pub resolved_host: Option<String>,
    /// Query string parameters the request must have, as `name=value`.
    pub query_params: Vec<String>,
    /// Query string parameters the request must not have.
    pub forbid_query_params: Vec<String>,
    /// Query string parameters the request must have, with any value.
    pub require_query_params: Vec<String>,
    /// Headers with their exact values, in model order.
    pub headers: Vec<(String, String)>,
    /// Headers that must be absent.
    pub forbid_headers: Vec<String>,
    /// Headers that must be present, with any value.
    pub require_headers: Vec<String>,
    /// The body, as text.
    pub body: Option<String>,
    /// How to compare bodies (`application/json`: as JSON).
    pub body_media_type: Option<String>,
    /// The input (request cases) or the output or error (response cases), as JSON.
    pub params: Map<String, Value>,
    /// The response's status code (response cases).
    pub code: Option<u16>,
    /// The error code (and awsQuery fault) the client must report, for cases whose `vendorParams`
    /// are `aws.protocoltests.config#ErrorCodeParams` (the awsQueryCompatible error cases).
    pub error_code: Option<ExpectedErrorCode>,
    /// Where the case sits in the file.
    pub json_path: String,
}

/// `aws.protocoltests.config#ErrorCodeParams` vendor parameters of a protocol test case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedErrorCode {
    /// The error code `ErrorMetadata::code()` gives.
    pub code: String,
    /// The awsQuery fault (`Sender`, `Receiver`) `ErrorMetadata::query_fault()` gives, when the case says.
    pub fault: Option<String>,
}

/// `smithy.api#endpoint` `hostPrefix`: text put in front of the endpoint's host, with `{label}`s
/// filled from `@hostLabel` input members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPrefix {
    /// The template as written (`{AccountId}.`).
    pub template: String,
    /// The template in pieces.
    pub segments: Vec<HostPrefixSegment>,
}

/// A piece of a host prefix template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixSegment {
    /// Text sent as it is.
    Literal(String),
    /// `{Name}`: the value of the input member `Name`.
    Label(String),
}

/// A JSON path being walked, rendered the way error messages show it.
#[derive(Clone)]
struct JsonPath(String);

impl JsonPath {
    fn root() -> Self {
        JsonPath(String::new())
    }
    fn key(&self, key: &str) -> Self {
        // Every member and trait records its path, so this runs for most keys of a model: it builds the
        // string in one allocation and only falls back to `Debug` quoting when the key needs escapes.
        let mut path = String::with_capacity(self.0.len() + key.len() + 3);
        path.push_str(&self.0);
        if !path.is_empty() {
            path.push('.');
        }
        let simple = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if simple {
            path.push_str(key);
        } else if key.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\') {
            path.push('"');
            path.push_str(key);
            path.push('"');
        } else {
            let _ = write!(path, "{key:?}");
        }
        JsonPath(path)
    }
    fn index(&self, index: usize) -> Self {
        JsonPath(format!("{}[{index}]", self.0))
    }
    /// A path inside the value at `self`, already rendered in the same notation (`rules[0].type`).
    fn inner(&self, relative: &str) -> Self {
        match (self.0.is_empty(), relative.is_empty()) {
            (_, true) => self.clone(),
            (true, false) => JsonPath(relative.to_string()),
            (false, false) => JsonPath(format!("{}.{relative}", self.0)),
        }
    }
}

struct Loader<'a> {
    file: &'a str,
}

impl Loader<'_> {
    fn error(&self, path: &JsonPath, message: impl Into<String>) -> LoadError {
        LoadError { file: self.file.to_string(), location: path.0.clone(), message: message.into() }
    }

    fn object<'v>(&self, value: &'v Value, path: &JsonPath) -> Result<&'v Map<String, Value>, LoadError> {
        value.as_object().ok_or_else(|| self.error(path, format!("expected an object, found {}", kind_of(value))))
    }

    fn string<'v>(&self, value: &'v Value, path: &JsonPath) -> Result<&'v str, LoadError> {
        value.as_str().ok_or_else(|| self.error(path, format!("expected a string, found {}", kind_of(value))))
    }

    fn array<'v>(&self, value: &'v Value, path: &JsonPath) -> Result<&'v [Value], LoadError> {
        value
            .as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| self.error(path, format!("expected an array, found {}", kind_of(value))))
    }

    fn required_key<'v>(
        &self,
        body: &'v Map<String, Value>,
        key: &str,
        path: &JsonPath,
    ) -> Result<&'v Value, LoadError> {
        body.get(key).ok_or_else(|| self.error(path, format!("missing required key `{key}`")))
    }

    fn shape_id(&self, value: &Value, path: &JsonPath) -> Result<ShapeId, LoadError> {
        let text = self.string(value, path)?;
        match text.split_once('#') {
            Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('$') => Ok(ShapeId::new(text)),
            _ => Err(self.error(path, format!("`{text}` is not an absolute shape ID (namespace#Name)"))),
        }
    }

    fn reference(&self, parent: &Map<String, Value>, key: &str, path: &JsonPath) -> Result<Option<ShapeId>, LoadError> {
        match parent.get(key) {
            None => Ok(None),
            Some(value) => {
                let path = path.key(key);
                let target = self.object(value, &path)?;
                let target_value =
                    target.get("target").ok_or_else(|| self.error(&path, "missing required key `target`"))?;
                Ok(Some(self.shape_id(target_value, &path.key("target"))?))
            }
        }
    }

    fn references(&self, parent: &Map<String, Value>, key: &str, path: &JsonPath) -> Result<Vec<ShapeId>, LoadError> {
        let Some(value) = parent.get(key) else { return Ok(Vec::new()) };
        let path = path.key(key);
        let items = value
            .as_array()
            .ok_or_else(|| self.error(&path, format!("expected an array, found {}", kind_of(value))))?;
        let mut ids = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let item_path = path.index(i);
            let item = self.object(item, &item_path)?;
            let target = item.get("target").ok_or_else(|| self.error(&item_path, "missing required key `target`"))?;
            ids.push(self.shape_id(target, &item_path.key("target"))?);
        }
        Ok(ids)
    }

    fn member(&self, name: &str, value: &Value, path: &JsonPath) -> Result<Member, LoadError> {
        let body = self.object(value, path)?;
        let target = body.get("target").ok_or_else(|| self.error(path, "missing required key `target`"))?;
        let target = self.shape_id(target, &path.key("target"))?;
        let traits = self.traits(body, path)?;
        Ok(Member { name: name.to_string(), target, traits, json_path: path.0.clone() })
    }

    fn members(&self, body: &Map<String, Value>, path: &JsonPath) -> Result<Vec<Member>, LoadError> {
        let Some(value) = body.get("members") else { return Ok(Vec::new()) };
        let path = path.key("members");
        let members = self.object(value, &path)?;
        members.iter().map(|(name, value)| self.member(name, value, &path.key(name))).collect()
    }

    fn single_member(&self, body: &Map<String, Value>, key: &str, path: &JsonPath) -> Result<Member, LoadError> {
        let value = body.get(key).ok_or_else(|| self.error(path, format!("missing required key `{key}`")))?;
        self.member(key, value, &path.key(key))
    }

    fn bound_u64(&self, body: &Map<String, Value>, key: &str, path: &JsonPath) -> Result<Option<u64>, LoadError> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.error(&path.key(key), format!("expected a non-negative integer, found {value}"))),
        }
    }

    fn bound_number(
        &self,
        body: &Map<String, Value>,
        key: &str,
        path: &JsonPath,
    ) -> Result<Option<serde_json::Number>, LoadError> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(Some(n.clone())),
            Some(other) => Err(self.error(&path.key(key), format!("expected a number, found {}", kind_of(other)))),
        }
    }

    fn traits(&self, body: &Map<String, Value>, parent: &JsonPath) -> Result<Traits, LoadError> {
        let path = parent.key("traits");
        let mut traits = Traits { json_path: path.0.clone(), ..Traits::default() };
        let Some(value) = body.get("traits") else { return Ok(traits) };
        let map = self.object(value, &path)?;
        for (id, value) in map {
            let at = path.key(id);
            match id.as_str() {
                "smithy.api#documentation" => traits.documentation = Some(self.string(value, &at)?.to_string()),
                "smithy.api#required" => traits.required = self.annotation(value, &at)?,
                "smithy.api#clientOptional" => traits.client_optional = self.annotation(value, &at)?,
                "smithy.api#sensitive" => traits.sensitive = self.annotation(value, &at)?,
                "smithy.api#idempotencyToken" => traits.idempotency_token = self.annotation(value, &at)?,
                "smithy.api#streaming" => traits.streaming = self.annotation(value, &at)?,
                "smithy.api#sparse" => traits.sparse = self.annotation(value, &at)?,
                "smithy.waiters#waitable" => traits.waitable = Some(value.clone()),
                "smithy.api#input" => traits.input = self.annotation(value, &at)?,
                "smithy.api#mixin" => {
                    // `{}` or `{"localTraits": [...]}`; the list itself is read by `flatten_mixins`.
                    self.object(value, &at)?;
                    traits.mixin = true;
                }
                "smithy.api#output" => traits.output = self.annotation(value, &at)?,
                "smithy.api#default" => traits.default = Some(value.clone()),
                "smithy.api#title" => traits.title = Some(self.string(value, &at)?.to_string()),
                "smithy.api#pattern" => traits.pattern = Some(self.string(value, &at)?.to_string()),
                "smithy.api#jsonName" => traits.json_name = Some(self.string(value, &at)?.to_string()),
                "smithy.api#http" => traits.http = Some(self.http_trait(value, &at)?),
                "smithy.api#httpLabel" => traits.http_label = self.annotation(value, &at)?,
                "smithy.api#httpQuery" => traits.http_query = Some(self.string(value, &at)?.to_string()),
                "smithy.api#httpQueryParams" => traits.http_query_params = self.annotation(value, &at)?,
                "smithy.api#httpHeader" => traits.http_header = Some(self.string(value, &at)?.to_string()),
                "smithy.api#httpPrefixHeaders" => {
                    traits.http_prefix_headers = Some(self.string(value, &at)?.to_string())
                }
                "smithy.api#httpPayload" => traits.http_payload = self.annotation(value, &at)?,
                "smithy.api#httpResponseCode" => traits.http_response_code = self.annotation(value, &at)?,
                "smithy.api#mediaType" => traits.media_type = Some(self.string(value, &at)?.to_string()),
                "smithy.api#requiresLength" => traits.requires_length = self.annotation(value, &at)?,
                "smithy.api#length" => {
                    let body = self.object(value, &at)?;
                    let bounds =
                        Bounds { min: self.bound_u64(body, "min", &at)?, max: self.bound_u64(body, "max", &at)? };
                    if let (Some(min), Some(max)) = (bounds.min, bounds.max) {
                        if min > max {
                            return Err(self.error(&at, format!("length min {min} is greater than max {max}")));
                        }
                    }
                    traits.length = Some(bounds);
                }
                "smithy.api#range" => {
                    let body = self.object(value, &at)?;
                    let bounds =
                        Bounds { min: self.bound_number(body, "min", &at)?, max: self.bound_number(body, "max", &at)? };
                    if let (Some(min), Some(max)) = (&bounds.min, &bounds.max) {
                        if min.as_f64() > max.as_f64() {
                            return Err(self.error(&at, format!("range min {min} is greater than max {max}")));
                        }
                    }
                    traits.range = Some(bounds);
                }
                "smithy.api#deprecated" => {
                    let body = self.object(value, &at)?;
                    let text = |key: &str| -> Result<Option<String>, LoadError> {
                        body.get(key).map(|v| self.string(v, &at.key(key)).map(str::to_string)).transpose()
                    };
                    traits.deprecated = Some(Deprecated { message: text("message")?, since: text("since")? });
                }
                "smithy.api#timestampFormat" => {
                    traits.timestamp_format = Some(match self.string(value, &at)? {
                        "epoch-seconds" => TimestampFormat::EpochSeconds,
                        "date-time" => TimestampFormat::DateTime,
                        "http-date" => TimestampFormat::HttpDate,
                        other => {
                            let expected = "expected epoch-seconds, date-time or http-date";
                            return Err(self.error(&at, format!("unknown timestamp format `{other}` ({expected})")));
                        }
                    });
                }
                "smithy.api#error" => {
                    traits.error = Some(match self.string(value, &at)? {
                        "client" => ErrorFault::Client,
                        "server" => ErrorFault::Server,
                        other => {
                            return Err(self.error(&at, format!("expected \"client\" or \"server\", found \"{other}\"")))
                        }
                    });
                }
                "smithy.api#httpError" => {
                    let code = value
                        .as_u64()
                        .filter(|c| (100..=599).contains(c))
                        .ok_or_else(|| self.error(&at, format!("expected an HTTP status code, found {value}")))?;
                    traits.http_error = Some(code as u16);
                }
                "smithy.api#retryable" => {
                    let body = self.object(value, &at)?;
                    let throttling = match body.get("throttling") {
                        None => false,
                        Some(v) => v.as_bool().ok_or_else(|| {
                            self.error(&at.key("throttling"), format!("expected a boolean, found {}", kind_of(v)))
                        })?,
                    };
                    traits.retryable = Some(Retryable { throttling });
                }
                "smithy.api#enumValue" => {
                    traits.enum_value = Some(match value {
                        Value::String(s) => EnumValue::String(s.clone()),
                        Value::Number(n) => EnumValue::Int(
                            n.as_i64().ok_or_else(|| self.error(&at, format!("expected an integer, found {n}")))?,
                        ),
                        other => {
                            return Err(
                                self.error(&at, format!("expected a string or integer, found {}", kind_of(other)))
                            )
                        }
                    });
                }
                "smithy.rules#endpointRuleSet" => traits.endpoint_rule_set = Some(self.endpoint_rule_set(value, &at)?),
                "smithy.rules#endpointTests" => traits.endpoint_tests = Some(self.endpoint_tests(value, &at)?),
                "smithy.test#httpRequestTests" => {
                    traits.http_request_tests = self.http_message_tests(value, &at, HttpMessageKind::Request)?
                }
                "smithy.test#httpResponseTests" => {
                    traits.http_response_tests = self.http_message_tests(value, &at, HttpMessageKind::Response)?
                }
                "smithy.api#endpoint" => traits.host_prefix = Some(self.host_prefix(value, &at)?),
                "smithy.api#hostLabel" => traits.host_label = self.annotation(value, &at)?,
                "smithy.api#httpChecksumRequired" => traits.http_checksum_required = self.annotation(value, &at)?,
                "smithy.api#paginated" => traits.paginated = Some(self.paginated(value, &at)?),
                "smithy.api#requestCompression" => {
                    traits.request_compression = Some(self.request_compression(value, &at)?)
                }
                "smithy.rules#contextParam" => {
                    let body = self.object(value, &at)?;
                    let name = self.required_key(body, "name", &at)?;
                    traits.context_param = Some(self.string(name, &at.key("name"))?.to_string());
                }
                "smithy.rules#staticContextParams" => {
                    for (name, param) in self.object(value, &at)? {
                        let param_path = at.key(name);
                        let param = self.object(param, &param_path)?;
                        let value = self.required_key(param, "value", &param_path)?;
                        let value = match value {
                            Value::String(s) => ParamValue::String(s.clone()),
                            Value::Bool(b) => ParamValue::Bool(*b),
                            Value::Array(items) => {
                                let items_path = param_path.key("value");
                                ParamValue::StringArray(
                                    items
                                        .iter()
                                        .enumerate()
                                        .map(|(i, v)| self.string(v, &items_path.index(i)).map(str::to_string))
                                        .collect::<Result<_, _>>()?,
                                )
                            }
                            other => {
                                return Err(self.error(
                                    &param_path.key("value"),
                                    format!(
                                        "expected a string, a boolean or a list of strings, found {}",
                                        kind_of(other)
                                    ),
                                ))
                            }
                        };
                        traits.static_context_params.push((name.clone(), value));
                    }
                }
                "smithy.rules#operationContextParams" => {
                    for (name, param) in self.object(value, &at)? {
                        let param_path = at.key(name);
                        let param = self.object(param, &param_path)?;
                        let path = self.required_key(param, "path", &param_path)?;
                        let path = self.string(path, &param_path.key("path"))?;
                        traits.operation_context_params.push((name.clone(), path.to_string()));
                    }
                }
                "smithy.rules#clientContextParams" => {
                    for (name, param) in self.object(value, &at)? {
                        let param_path = at.key(name);
                        let param = self.object(param, &param_path)?;
                        let ty =
                            self.string(self.required_key(param, "type", &param_path)?, &param_path.key("type"))?;
                        if !matches!(ty, "string" | "boolean") {
                            return Err(self.error(
                                &param_path.key("type"),
                                format!("expected \"string\" or \"boolean\", found {ty:?}"),
                            ));
                        }
                        let documentation = param
                            .get("documentation")
                            .map(|v| self.string(v, &param_path.key("documentation")).map(str::to_string))
                            .transpose()?;
                        traits.client_context_params.push(ClientContextParam {
                            name: name.clone(),
                            param_type: ty.to_string(),
                            documentation,
                        });
                    }
                }
                "aws.protocols#awsJson1_0" => traits.protocols.push(Protocol::AwsJson1_0),
                "aws.protocols#awsJson1_1" => traits.protocols.push(Protocol::AwsJson1_1),
                "aws.protocols#restJson1" => traits.protocols.push(Protocol::RestJson1),
                "aws.protocols#restXml"
                | "aws.protocols#awsQuery"
                | "aws.protocols#ec2Query"
                | "smithy.protocols#rpcv2Cbor" => traits.unsupported_protocols.push(id.clone()),
                "aws.protocols#awsQueryCompatible" => traits.query_compatible = self.annotation(value, &at)?,
                "aws.protocols#awsQueryError" => {
                    let body = self.object(value, &at)?;
                    let code = body.get("code").ok_or_else(|| self.error(&at, "missing required key `code`"))?;
                    traits.query_error_code = Some(self.string(code, &at.key("code"))?.to_string());
                }
                "aws.auth#sigv4" => {
                    let body = self.object(value, &at)?;
                    let name = body.get("name").ok_or_else(|| self.error(&at, "missing required key `name`"))?;
                    traits.sigv4_name = Some(self.string(name, &at.key("name"))?.to_string());
                }
                "aws.api#service" => {
                    let body = self.object(value, &at)?;
                    if let Some(v) = body.get("sdkId") {
                        traits.sdk_id = Some(self.string(v, &at.key("sdkId"))?.to_string());
                    }
                    if let Some(v) = body.get("endpointPrefix") {
                        traits.endpoint_prefix = Some(self.string(v, &at.key("endpointPrefix"))?.to_string());
                    }
                }
                _ => {}
            }
        }
        Ok(traits)
    }

    /// The rule set is parsed by the evaluator the generated crates run, so a malformed one is reported
    /// here with its path; one that only needs a function the evaluator lacks is kept, with the reason,
    /// for the later stages to fall back on the plain endpoint pattern.
    fn endpoint_rule_set(&self, value: &Value, path: &JsonPath) -> Result<EndpointRuleSet, LoadError> {
        let parsed = match RuleSet::from_json(value) {
            Ok(rules) => Ok(rules),
            Err(unsupported) if unsupported.unsupported => Err(unsupported),
            Err(malformed) => return Err(self.error(&path.inner(&malformed.path), malformed.message)),
        };
        Ok(EndpointRuleSet { json: value.clone(), parsed, json_path: path.0.clone() })
    }

    fn http_message_tests(
        &self,
        value: &Value,
        path: &JsonPath,
        kind: HttpMessageKind,
    ) -> Result<Vec<HttpMessageTest>, LoadError> {
        let items = self.array(value, path)?;
        items.iter().enumerate().map(|(i, case)| self.http_message_test(case, &path.index(i), kind)).collect()
    }

    fn http_message_test(
        &self,
        value: &Value,
        path: &JsonPath,
        kind: HttpMessageKind,
    ) -> Result<HttpMessageTest, LoadError> {
        let body = self.object(value, path)?;
        let text = |key: &str| -> Result<Option<String>, LoadError> {
            body.get(key).map(|v| self.string(v, &path.key(key)).map(str::to_string)).transpose()
        };
        let required_text = |key: &str| -> Result<String, LoadError> {
            let value = self.required_key(body, key, path)?;
            Ok(self.string(value, &path.key(key))?.to_string())
        };
        let texts = |key: &str| -> Result<Vec<String>, LoadError> {
            let Some(value) = body.get(key) else { return Ok(Vec::new()) };
            let list_path = path.key(key);
            let items = self.array(value, &list_path)?;
            items.iter().enumerate().map(|(i, v)| self.string(v, &list_path.index(i)).map(str::to_string)).collect()
        };
        let headers = match body.get("headers") {
            None => Vec::new(),
            Some(value) => {
                let headers_path = path.key("headers");
                let map = self.object(value, &headers_path)?;
                map.iter()
                    .map(|(name, v)| Ok((name.clone(), self.string(v, &headers_path.key(name))?.to_string())))
                    .collect::<Result<_, LoadError>>()?
            }
        };
        let params = match body.get("params") {
            None => Map::new(),
            Some(v) => self.object(v, &path.key("params"))?.clone(),
        };
        let client = match text("appliesTo")?.as_deref() {
            None | Some("client") => true,
            Some("server") => false,
            Some(other) => {
                return Err(
                    self.error(&path.key("appliesTo"), format!("expected \"client\" or \"server\", found \"{other}\""))
                )
            }
        };
        let code =
            match body.get("code") {
                None => None,
                Some(v) => Some(v.as_u64().filter(|c| (100..=599).contains(c)).map(|c| c as u16).ok_or_else(|| {
                    self.error(&path.key("code"), format!("expected an HTTP status code, found {v}"))
                })?),
            };
        let (method, uri) = match kind {
            HttpMessageKind::Request => (Some(required_text("method")?), Some(required_text("uri")?)),
            HttpMessageKind::Response => {
                if code.is_none() {
                    return Err(self.error(path, "missing required key `code`"));
                }
                (None, None)
            }
        };
        Ok(HttpMessageTest {
            id: required_text("id")?,
            protocol: required_text("protocol")?,
            documentation: text("documentation")?,
            client,
            method,
            uri,
            host: text("host")?,
            resolved_host: text("resolvedHost")?,
            query_params: texts("queryParams")?,
            forbid_query_params: texts("forbidQueryParams")?,
            require_query_params: texts("requireQueryParams")?,
            headers,
            forbid_headers: texts("forbidHeaders")?,
            require_headers: texts("requireHeaders")?,
            body: text("body")?,
            body_media_type: text("bodyMediaType")?,
            params,
            code,
            error_code: self.expected_error_code(body, path)?,
            json_path: path.0.clone(),
        })
    }

    /// The vendor parameters of a protocol test case that the harness checks: only the error code
    /// parameters of the awsQueryCompatible cases; others are not about the client's behaviour.
    fn expected_error_code(
        &self,
        body: &Map<String, Value>,
        path: &JsonPath,
    ) -> Result<Option<ExpectedErrorCode>, LoadError> {
        if body.get("vendorParamsShape").and_then(Value::as_str) != Some("aws.protocoltests.config#ErrorCodeParams") {
            return Ok(None);
        }
        let params_path = path.key("vendorParams");
        let Some(params) = body.get("vendorParams") else { return Ok(None) };
        let params = self.object(params, &params_path)?;
        let text =
            |key: &str| params.get(key).map(|v| self.string(v, &params_path.key(key)).map(str::to_string)).transpose();
        let Some(code) = text("code")? else {
            return Err(self.error(&params_path, "missing required key `code`"));
        };
        Ok(Some(ExpectedErrorCode { code, fault: text("type")? }))
    }

    fn endpoint_tests(&self, value: &Value, path: &JsonPath) -> Result<Vec<EndpointTestCase>, LoadError> {
        let body = self.object(value, path)?;
        let Some(cases) = body.get("testCases") else { return Ok(Vec::new()) };
        let cases_path = path.key("testCases");
        let items = self.array(cases, &cases_path)?;
        items.iter().enumerate().map(|(i, case)| self.endpoint_test_case(case, &cases_path.index(i))).collect()
    }

    fn endpoint_test_case(&self, value: &Value, path: &JsonPath) -> Result<EndpointTestCase, LoadError> {
        let body = self.object(value, path)?;
        let documentation = body
            .get("documentation")
            .map(|v| self.string(v, &path.key("documentation")).map(str::to_string))
            .transpose()?;
        let params = match body.get("params") {
            None => Vec::new(),
            Some(params) => self.endpoint_params(params, &path.key("params"))?,
        };
        let mut operation_inputs = Vec::new();
        if let Some(inputs) = body.get("operationInputs") {
            let inputs_path = path.key("operationInputs");
            for (i, input) in self.array(inputs, &inputs_path)?.iter().enumerate() {
                let input_path = inputs_path.index(i);
                let input = self.object(input, &input_path)?;
                let name = self.required_key(input, "operationName", &input_path)?;
                let operation_params = match input.get("operationParams") {
                    None => Map::new(),
                    Some(v) => self.object(v, &input_path.key("operationParams"))?.clone(),
                };
                let named = |key: &str| match input.get(key) {
                    None => Ok(Vec::new()),
                    Some(v) => self.endpoint_params(v, &input_path.key(key)),
                };
                operation_inputs.push(EndpointOperationInput {
                    operation_name: self.string(name, &input_path.key("operationName"))?.to_string(),
                    operation_params,
                    built_in_params: named("builtInParams")?,
                    client_params: named("clientParams")?,
                });
            }
        }
        let expect_path = path.key("expect");
        let expect = self.object(self.required_key(body, "expect", path)?, &expect_path)?;
        let expect = match (expect.get("endpoint"), expect.get("error")) {
            (Some(endpoint), None) => {
                let endpoint_path = expect_path.key("endpoint");
                let endpoint = self.object(endpoint, &endpoint_path)?;
                let url = self.required_key(endpoint, "url", &endpoint_path)?;
                let url = self.string(url, &endpoint_path.key("url"))?.to_string();
                let mut headers = BTreeMap::new();
                if let Some(map) = endpoint.get("headers") {
                    let headers_path = endpoint_path.key("headers");
                    for (name, values) in self.object(map, &headers_path)? {
                        let values_path = headers_path.key(name);
                        let values = self.array(values, &values_path)?;
                        let values = values
                            .iter()
                            .enumerate()
                            .map(|(i, v)| self.string(v, &values_path.index(i)).map(str::to_string))
                            .collect::<Result<Vec<_>, _>>()?;
                        headers.insert(name.clone(), values);
                    }
                }
                let properties = match endpoint.get("properties") {
                    None => Map::new(),
                    Some(v) => self.object(v, &endpoint_path.key("properties"))?.clone(),
                };
                EndpointExpectation::Endpoint { url, headers, properties }
            }
            (None, Some(error)) => {
                EndpointExpectation::Error(self.string(error, &expect_path.key("error"))?.to_string())
            }
            _ => return Err(self.error(&expect_path, "expected exactly one of `endpoint` and `error`")),
        };
        Ok(EndpointTestCase { documentation, params, operation_inputs, expect, json_path: path.0.clone() })
    }

    /// Endpoint parameter values by name: strings, booleans and lists of strings.
    fn endpoint_params(&self, value: &Value, path: &JsonPath) -> Result<Vec<(String, ParamValue)>, LoadError> {
        let mut params = Vec::new();
        for (name, value) in self.object(value, path)? {
            let at = path.key(name);
            let value = match value {
                Value::String(s) => ParamValue::String(s.clone()),
                Value::Bool(b) => ParamValue::Bool(*b),
                Value::Array(items) => ParamValue::StringArray(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.string(item, &at.index(i)).map(str::to_string))
                        .collect::<Result<_, _>>()?,
                ),
                other => {
                    let found = kind_of(other);
                    return Err(
                        self.error(&at, format!("expected a string, a boolean or a list of strings, found {found}"))
                    );
                }
            };
            params.push((name.clone(), value));
        }
        Ok(params)
    }

    /// `{"encodings": ["gzip"]}`: a non-empty list of encoding names.
    fn request_compression(&self, value: &Value, path: &JsonPath) -> Result<Vec<String>, LoadError> {
        let body = self.object(value, path)?;
        let list_path = path.key("encodings");
        let items = self.array(self.required_key(body, "encodings", path)?, &list_path)?;
        if items.is_empty() {
            return Err(self.error(&list_path, "the list of encodings is empty"));
        }
        let mut encodings = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            encodings.push(self.string(item, &list_path.index(i))?.to_ascii_lowercase());
        }
        Ok(encodings)
    }

    /// `{"inputToken": "nextToken", "outputToken": "nextToken", "items": "things", "pageSize": "max"}`,
    /// every key optional.
    fn paginated(&self, value: &Value, path: &JsonPath) -> Result<Paginated, LoadError> {
        let body = self.object(value, path)?;
        let key = |name: &str| -> Result<Option<String>, LoadError> {
            match body.get(name) {
                None => Ok(None),
                Some(value) => {
                    let text = self.string(value, &path.key(name))?;
                    if text.is_empty() {
                        return Err(self.error(&path.key(name), "the member path is empty"));
                    }
                    Ok(Some(text.to_string()))
                }
            }
        };
        Ok(Paginated {
            input_token: key("inputToken")?,
            output_token: key("outputToken")?,
            items: key("items")?,
            page_size: key("pageSize")?,
            json_path: path.0.clone(),
        })
    }

    /// `{"hostPrefix": "{AccountId}.data-"}`: labels are member names, the rest must be host characters.
    fn host_prefix(&self, value: &Value, path: &JsonPath) -> Result<HostPrefix, LoadError> {
        let body = self.object(value, path)?;
        let template_path = path.key("hostPrefix");
        let template = self.string(self.required_key(body, "hostPrefix", path)?, &template_path)?;
        if template.is_empty() {
            return Err(self.error(&template_path, "the host prefix is empty"));
        }
        let mut segments = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let Some((label, after)) = after.split_once('}') else {
                    return Err(self.error(&template_path, format!("`{template}` has an unclosed `{{`")));
                };
                if label.is_empty() || !label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    return Err(
                        self.error(&template_path, format!("`{{{label}}}` in `{template}` is not a member name"))
                    );
                }
                segments.push(HostPrefixSegment::Label(label.to_string()));
                rest = after;
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let literal = &rest[..end];
                if let Some(bad) = literal.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.')) {
                    return Err(
                        self.error(&template_path, format!("`{bad}` in `{template}` cannot be part of a host name"))
                    );
                }
                segments.push(HostPrefixSegment::Literal(literal.to_string()));
                rest = &rest[end..];
            }
        }
        Ok(HostPrefix { template: template.to_string(), segments })
    }

    /// `smithy.api#http`: `method` and `uri` are required, `code` is a status code (200 when left out).
    fn http_trait(&self, value: &Value, path: &JsonPath) -> Result<HttpTrait, LoadError> {
        let body = self.object(value, path)?;
        let text = |key: &str| -> Result<String, LoadError> {
            let value = self.required_key(body, key, path)?;
            Ok(self.string(value, &path.key(key))?.to_string())
        };
        let (method, uri) = (text("method")?, text("uri")?);
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(self.error(&path.key("method"), format!("expected an HTTP method, found {method:?}")));
        }
        if !uri.starts_with('/') {
            return Err(self.error(&path.key("uri"), format!("the URI pattern {uri:?} does not start with `/`")));
        }
        let code = match body.get("code") {
            None => 200,
            Some(v) => v
                .as_u64()
                .filter(|c| (100..=599).contains(c))
                .map(|c| c as u16)
                .ok_or_else(|| self.error(&path.key("code"), format!("expected an HTTP status code, found {v}")))?,
        };
        Ok(HttpTrait { method, uri, code })
    }

    /// Annotation traits are `{}` in the JSON AST; `true` is accepted as older tools wrote it.
    fn annotation(&self, value: &Value, path: &JsonPath) -> Result<bool, LoadError> {
        match value {
            Value::Object(map) if map.is_empty() => Ok(true),
            Value::Bool(true) => Ok(true),
            other => {
                Err(self.error(path, format!("expected an empty object for this annotation trait, found {other}")))
            }
        }
    }

    fn shape(&self, id: &str, value: &Value, path: &JsonPath) -> Result<Shape, LoadError> {
        let shape_id = self.shape_id(&Value::String(id.to_string()), path)?;
        let body = self.object(value, path)?;
        let ty = body.get("type").ok_or_else(|| self.error(path, "missing required key `type`"))?;
        let ty = self.string(ty, &path.key("type"))?;
        let traits = self.traits(body, path)?;
        let kind = match ty {
            "blob" => ShapeKind::Blob,
            "boolean" => ShapeKind::Boolean,
            "string" => ShapeKind::String,
            "byte" => ShapeKind::Byte,
            "short" => ShapeKind::Short,
            "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            "bigInteger" => ShapeKind::BigInteger,
            "bigDecimal" => ShapeKind::BigDecimal,
            "timestamp" => ShapeKind::Timestamp,
            "document" => ShapeKind::Document,
            "enum" => ShapeKind::Enum { members: self.members(body, path)? },
            "intEnum" => ShapeKind::IntEnum { members: self.members(body, path)? },
            "list" | "set" => ShapeKind::List { member: self.single_member(body, "member", path)? },
            "map" => ShapeKind::Map {
                key: self.single_member(body, "key", path)?,
                value: self.single_member(body, "value", path)?,
            },
            "structure" => ShapeKind::Structure { members: self.members(body, path)? },
            "union" => ShapeKind::Union { members: self.members(body, path)? },
            "operation" => ShapeKind::Operation {
                input: self.reference(body, "input", path)?.unwrap_or_else(unit),
                output: self.reference(body, "output", path)?.unwrap_or_else(unit),
                errors: self.references(body, "errors", path)?,
            },
            "service" => ShapeKind::Service {
                version: match body.get("version") {
                    Some(v) => self.string(v, &path.key("version"))?.to_string(),
                    None => String::new(),
                },
                operations: self.references(body, "operations", path)?,
                resources: self.references(body, "resources", path)?,
                errors: self.references(body, "errors", path)?,
            },
            "resource" => {
                let mut operations = Vec::new();
                for key in ["create", "put", "read", "update", "delete", "list"] {
                    operations.extend(self.reference(body, key, path)?);
                }
                operations.extend(self.references(body, "operations", path)?);
                operations.extend(self.references(body, "collectionOperations", path)?);
                ShapeKind::Resource { operations, resources: self.references(body, "resources", path)? }
            }
            other => {
                return Err(self.error(
                    &path.key("type"),
                    format!("unknown shape type `{other}` (expected one of the Smithy 2.0 shape types)"),
                ))
            }
        };
        Ok(Shape { id: shape_id, kind, traits })
    }
}

fn unit() -> ShapeId {
    ShapeId::new("smithy.api#Unit")
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads and loads a model file; errors name it as `path` displays.
pub fn load_file(path: &Path) -> Result<Model, LoadError> {
    let display_name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError {
        file: display_name.clone(),
        location: String::new(),
        message: format!("cannot read the model: {e}"),
    })?;
    load_slice(&display_name, &bytes)
}

/// Loads a model from bytes already in memory; `file` is how errors name it.
pub fn load_slice(file: &str, bytes: &[u8]) -> Result<Model, LoadError> {
    let loader = Loader { file };
    let root = JsonPath::root();
    if bytes.len() > MAX_MODEL_BYTES {
        return Err(loader.error(&root, format!("the model is larger than {MAX_MODEL_BYTES} bytes")));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(loader.error(&root, "the file is empty; expected a Smithy JSON AST object"));
    }
    let document: Value = serde_json::from_slice(bytes).map_err(|e| LoadError {
        file: file.to_string(),
        location: format!("line {}, column {}", e.line(), e.column()),
        message: format!("not valid JSON: {}", strip_position(&e.to_string())),
    })?;
    let top = loader.object(&document, &root)?;
    match top.get("smithy") {
        Some(Value::String(version)) if version == "2.0" || version == "2" || version.starts_with("1.") => {}
        Some(Value::String(version)) => {
            return Err(
                loader.error(&root.key("smithy"), format!("unsupported Smithy version `{version}` (expected 2.0)"))
            )
        }
        Some(other) => {
            return Err(
                loader.error(&root.key("smithy"), format!("expected a version string, found {}", kind_of(other)))
            )
        }
        None => return Err(loader.error(&root, "missing required key `smithy` (the IDL version, \"2.0\")")),
    }
    let mut shapes = BTreeMap::new();
    for shape in prelude() {
        shapes.insert(shape.id.clone(), shape);
    }
    let mut applied = Vec::new();
    let mut flattened = None;
    if let Some(value) = top.get("shapes") {
        let shapes_path = root.key("shapes");
        let map = loader.object(value, &shapes_path)?;
        flattened = flatten_mixins(&loader, map)?;
        let map = flattened.as_ref().map_or(map, |f| &f.shapes);
        for (id, body) in map {
            let path = shapes_path.key(id);
            if body.get("type").and_then(Value::as_str) == Some("apply") {
                let traits = loader.traits(loader.object(body, &path)?, &path)?;
                applied.push((ShapeId::new(id.clone()), traits, path));
                continue;
            }
            let shape = loader.shape(id, body, &path)?;
            shapes.insert(shape.id.clone(), shape);
        }
    }
    for (id, traits, path) in applied {
        let shape = shapes.get_mut(&id).ok_or_else(|| {
            loader.error(&path, format!("`apply` names shape `{id}`, which the model does not define"))
        })?;
        merge_traits(&mut shape.traits, traits);
    }
    if let Some(flattened) = &flattened {
        flattened.point_members_at_their_mixins(&mut shapes);
    }
    let model = Model { file: file.to_string(), shapes };
    if let Some(Value::Object(raw)) = top.get("shapes") {
        check_resources(&loader, raw, &model.shapes)?;
    }
    check_targets(&model)?;
    check_collection_nesting(&model)?;
    Ok(model)
}

/// serde_json appends " at line L column C" itself; the location already says it.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

/// How long a chain of mixins (a mixin using a mixin ...) may be; real models use one or two links.
const MAX_MIXIN_DEPTH: usize = 32;

const MIXIN_TRAIT: &str = "smithy.api#mixin";

/// The shapes of a model with mixins, each shape that uses mixins flattened as Smithy defines it.
struct Flattened {
    /// Every shape of the file, those with mixins replaced by their flattened bodies (no `mixins` key).
    shapes: Map<String, Value>,
    /// For members a shape took from a mixin without redeclaring them: where the mixin declares each,
    /// by shape ID and member name, so later errors point at text that is in the file.
    inherited: BTreeMap<String, BTreeMap<String, String>>,
}

impl Flattened {
    fn point_members_at_their_mixins(&self, shapes: &mut BTreeMap<ShapeId, Shape>) {
        for (id, origins) in &self.inherited {
            let Some(shape) = shapes.get_mut(&ShapeId::new(id.as_str())) else { continue };
            let members: Vec<&mut Member> = match &mut shape.kind {
                ShapeKind::Structure { members }
                | ShapeKind::Union { members }
                | ShapeKind::Enum { members }
                | ShapeKind::IntEnum { members } => members.iter_mut().collect(),
                ShapeKind::List { member } => vec![member],
                ShapeKind::Map { key, value } => vec![key, value],
                _ => Vec::new(),
            };
            for member in members {
                if let Some(origin) = origins.get(&member.name) {
                    member.json_path.clone_from(origin);
                }
            }
        }
    }
}

/// A shape with its mixins applied, and where each of its members is declared.
#[derive(Clone)]
struct FlatShape {
    body: Map<String, Value>,
    /// Member name to the JSON path of its declaration.
    origins: BTreeMap<String, String>,
}

/// Applies mixins (<https://smithy.io/2.0/spec/mixins.html>) to every shape that uses them, or `None`
/// when no shape does.
///
/// A flattened shape has the members of its mixins first, in the order the mixins are listed (each
/// mixin flattened first, so mixins of mixins come before), then its own. It takes the traits of its
/// mixins, except `smithy.api#mixin` itself and those a mixin names in `localTraits`; a later mixin's
/// trait wins over an earlier one's, and the shape's own traits win over both. A member the shape
/// redeclares keeps the mixin's target and position and takes its traits from the mixin, the shape's
/// own winning. Mixin shapes stay in the model, marked [`Traits::mixin`], for their users' sake only.
fn flatten_mixins(loader: &Loader, raw: &Map<String, Value>) -> Result<Option<Flattened>, LoadError> {
    let uses_mixins =
        |body: &Value| body.get("mixins").and_then(Value::as_array).is_none_or(|mixins| !mixins.is_empty());
    let users: Vec<&String> = raw
        .iter()
        .filter(|(_, body)| body.get("mixins").is_some_and(|_| uses_mixins(body)))
        .map(|(id, _)| id)
        .collect();
    if users.is_empty() {
        return Ok(None);
    }
    let mut flattener = Flattener { loader, raw, done: BTreeMap::new() };
    let mut shapes = raw.clone();
    let mut inherited = BTreeMap::new();
    for id in users {
        let flat = flattener.flatten(id, &mut Vec::new())?;
        let own = JsonPath::root().key("shapes").key(id).key("members");
        let origins: BTreeMap<String, String> =
            flat.origins.into_iter().filter(|(name, origin)| *origin != own.key(name).0).collect();
        if !origins.is_empty() {
            inherited.insert(id.clone(), origins);
        }
        shapes.insert(id.clone(), Value::Object(flat.body));
    }
    Ok(Some(Flattened { shapes, inherited }))
}

struct Flattener<'a> {
    loader: &'a Loader<'a>,
    raw: &'a Map<String, Value>,
    done: BTreeMap<String, FlatShape>,
}

impl Flattener<'_> {
    /// The shape `id` with its mixins applied; `users` are the shapes being flattened that (through
    /// mixins of mixins) use it, to find cycles.
    fn flatten(&mut self, id: &str, users: &mut Vec<String>) -> Result<FlatShape, LoadError> {
        if let Some(done) = self.done.get(id) {
            return Ok(done.clone());
        }
        let loader = self.loader;
        let path = JsonPath::root().key("shapes").key(id);
        let body = loader.object(&self.raw[id], &path)?;
        let shape_type = body.get("type").and_then(Value::as_str).unwrap_or_default();
        let mut flat = FlatShape { body: Map::new(), origins: BTreeMap::new() };
        let mut members = Map::new();
        let mut traits = Map::new();
        let mixins = loader.references(body, "mixins", &path)?;
        for (i, mixin) in mixins.iter().enumerate() {
            let at = path.key("mixins").index(i).key("target");
            let mixin = mixin.as_str();
            if mixin == id || users.iter().any(|user| user == mixin) {
                let mut chain: Vec<&str> = users.iter().map(String::as_str).skip_while(|user| *user != mixin).collect();
                chain.extend([id, mixin]);
                return Err(loader.error(&at, format!("mixins form a cycle: {}", chain.join(" -> "))));
            }
            let Some(mixin_body) = self.raw.get(mixin) else {
                return Err(loader.error(&at, format!("mixin `{mixin}` is not defined in the model")));
            };
            let mixin_path = JsonPath::root().key("shapes").key(mixin);
            let mixin_body = loader.object(mixin_body, &mixin_path)?;
            let mixin_trait = mixin_body.get("traits").and_then(|t| t.get(MIXIN_TRAIT));
            let Some(mixin_trait) = mixin_trait else {
                return Err(
                    loader.error(&at, format!("`{mixin}` is used as a mixin but lacks the `{MIXIN_TRAIT}` trait"))
                );
            };
            let mixin_type = mixin_body.get("type").and_then(Value::as_str).unwrap_or_default();
            if mixin_type != shape_type {
                return Err(loader.error(
                    &at,
                    format!(
                        "{} {shape_type} cannot use {} {mixin_type} (`{mixin}`) as a mixin",
                        article(shape_type),
                        article(mixin_type)
                    ),
                ));
            }
            let trait_path = mixin_path.key("traits").key(MIXIN_TRAIT);
            let mut local_traits = vec![MIXIN_TRAIT.to_string()];
            if let Some(list) = loader.object(mixin_trait, &trait_path)?.get("localTraits") {
                let list_path = trait_path.key("localTraits");
                for (j, item) in loader.array(list, &list_path)?.iter().enumerate() {
                    local_traits.push(loader.string(item, &list_path.index(j))?.to_string());
                }
            }
            if users.len() >= MAX_MIXIN_DEPTH {
                return Err(loader.error(&at, format!("mixins nest more than {MAX_MIXIN_DEPTH} levels deep here")));
            }
            users.push(id.to_string());
            let from_mixin = self.flatten(mixin, users)?;
            users.pop();
            if let Some(Value::Object(mixin_members)) = from_mixin.body.get("members") {
                for (name, member) in mixin_members {
                    if members.contains_key(name) {
                        return Err(loader.error(
                            &at,
                            format!("member `{name}` of mixin `{mixin}` conflicts with a member of an earlier mixin"),
                        ));
                    }
                    members.insert(name.clone(), member.clone());
                }
                flat.origins.extend(from_mixin.origins.clone());
            }
            for key in ["member", "key", "value"] {
                if let Some(member) = from_mixin.body.get(key) {
                    flat.body.insert(key.to_string(), member.clone());
                }
            }
            if let Some(Value::Object(mixin_traits)) = from_mixin.body.get("traits") {
                for (name, value) in mixin_traits {
                    if !local_traits.contains(name) {
                        traits.insert(name.clone(), value.clone());
                    }
                }
            }
        }
        for (key, value) in body {
            let at = path.key(key);
            match key.as_str() {
                "mixins" => {}
                "traits" => traits.extend(loader.object(value, &at)?.clone()),
                "members" => {
                    for (name, member) in loader.object(value, &at)? {
                        let member_path = at.key(name);
                        let merged = match members.get(name) {
                            Some(inherited) => redeclare(loader, inherited, member, &member_path)?,
                            None => member.clone(),
                        };
                        members.insert(name.clone(), merged);
                        flat.origins.insert(name.clone(), member_path.0);
                    }
                }
                "member" | "key" | "value" => {
                    let merged = match flat.body.get(key) {
                        Some(inherited) => redeclare(loader, inherited, value, &at)?,
                        None => value.clone(),
                    };
                    flat.body.insert(key.clone(), merged);
                }
                _ => {
                    flat.body.insert(key.clone(), value.clone());
                }
            }
        }
        if !members.is_empty() || body.contains_key("members") {
            flat.body.insert("members".to_string(), Value::Object(members));
        }
        if !traits.is_empty() {
            flat.body.insert("traits".to_string(), Value::Object(traits));
        }
        self.done.insert(id.to_string(), flat.clone());
        Ok(flat)
    }
}

/// A member a shape redeclares from its mixin: the mixin's target, the mixin's traits with the
/// shape's own winning.
fn redeclare(loader: &Loader, inherited: &Value, own: &Value, path: &JsonPath) -> Result<Value, LoadError> {
    let own = loader.object(own, path)?;
    let mut merged = inherited.as_object().cloned().unwrap_or_default();
    let inherited_target = merged.get("target").and_then(Value::as_str).unwrap_or_default().to_string();
    for (key, value) in own {
        match key.as_str() {
            "target" => {
                if value.as_str() != Some(inherited_target.as_str()) {
                    return Err(loader.error(
                        &path.key("target"),
                        format!(
                            "a member redeclared from a mixin must keep its target `{inherited_target}`, not {}",
                            value.as_str().map_or_else(|| value.to_string(), |id| format!("`{id}`"))
                        ),
                    ));
                }
            }
            "traits" => {
                let mut traits = merged.get("traits").and_then(Value::as_object).cloned().unwrap_or_default();
                traits.extend(loader.object(value, &path.key("traits"))?.clone());
                merged.insert("traits".to_string(), Value::Object(traits));
            }
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(Value::Object(merged))
}

fn merge_traits(into: &mut Traits, from: Traits) {
    macro_rules! take {
        ($($field:ident),*) => { $( if from.$field.is_some() { into.$field = from.$field; } )* };
    }
    take!(documentation, default, length, range, pattern, deprecated, json_name, timestamp_format, error, http_error);
    take!(retryable, enum_value, title, sigv4_name, sdk_id, endpoint_prefix, query_error_code);
    take!(endpoint_rule_set, endpoint_tests, host_prefix, request_compression, context_param);
    take!(http, http_query, http_header, http_prefix_headers, media_type);
    into.http_request_tests.extend(from.http_request_tests);
    into.http_response_tests.extend(from.http_response_tests);
    if !from.operation_context_params.is_empty() {
        into.operation_context_params = from.operation_context_params;
    }
    if !from.static_context_params.is_empty() {
        into.static_context_params = from.static_context_params;
    }
    if !from.client_context_params.is_empty() {
        into.client_context_params = from.client_context_params;
    }
    into.required |= from.required;
    into.host_label |= from.host_label;
    into.http_checksum_required |= from.http_checksum_required;
    into.http_label |= from.http_label;
    into.http_query_params |= from.http_query_params;
    into.http_payload |= from.http_payload;
    into.http_response_code |= from.http_response_code;
    into.requires_length |= from.requires_length;
    into.client_optional |= from.client_optional;
    into.query_compatible |= from.query_compatible;
    into.sensitive |= from.sensitive;
    into.idempotency_token |= from.idempotency_token;
    into.streaming |= from.streaming;
    into.sparse |= from.sparse;
    into.protocols.extend(from.protocols);
    into.unsupported_protocols.extend(from.unsupported_protocols);
}

/// Checks that every member and reference targets a defined shape of a fitting kind.
fn check_targets(model: &Model) -> Result<(), LoadError> {
    let error = |location: &str, message: String| LoadError {
        file: model.file.clone(),
        location: location.to_string(),
        message,
    };
    let lookup = |target: &ShapeId, location: &str| {
        model
            .shapes
            .get(target)
            .ok_or_else(|| error(location, format!("target `{target}` is not defined in the model")))
    };
    for shape in model.shapes.values() {
        let shape_path = JsonPath::root().key("shapes").key(shape.id.as_str());
        let data_members: Vec<&Member> = match &shape.kind {
            ShapeKind::Structure { members } | ShapeKind::Union { members } => members.iter().collect(),
            ShapeKind::List { member } => vec![member],
            ShapeKind::Map { key, value } => vec![key, value],
            _ => Vec::new(),
        };
        for member in data_members {
            let location = format!("{}.target", member.json_path);
            let target = lookup(&member.target, &location)?;
            if target.traits.mixin {
                return Err(error(
                    &location,
                    format!("`{}` is a mixin, which cannot be the target of a member", member.target),
                ));
            }
            if !target.kind.is_data() {
                return Err(error(
                    &location,
                    format!(
                        "`{}` is {} {}, which cannot be the target of a member",
                        member.target,
                        article(target.kind.type_name()),
                        target.kind.type_name()
                    ),
                ));
            }
        }
        if let ShapeKind::Map { key, .. } = &shape.kind {
            let target = &model.shapes[&key.target];
            if !matches!(target.kind, ShapeKind::String | ShapeKind::Enum { .. }) {
                return Err(error(
                    &format!("{}.target", key.json_path),
                    format!(
                        "a map key must target a string or enum shape, not {} `{}`",
                        target.kind.type_name(),
                        key.target
                    ),
                ));
            }
        }
        match &shape.kind {
            ShapeKind::Enum { members } | ShapeKind::IntEnum { members } => {
                for member in members {
                    if member.target.as_str() != "smithy.api#Unit" {
                        return Err(error(
                            &format!("{}.target", member.json_path),
                            "an enum member must target smithy.api#Unit".to_string(),
                        ));
                    }
                }
            }
            ShapeKind::Operation { input, output, errors } => {
                for (key, id) in [("input", input), ("output", output)] {
                    let location = shape_path.key(key).key("target").0;
                    let target = lookup(id, &location)?;
                    if target.traits.mixin {
                        return Err(error(&location, format!("`{id}` is a mixin, which cannot be an operation {key}")));
                    }
                    if !matches!(target.kind, ShapeKind::Structure { .. }) {
                        return Err(error(
                            &location,
                            format!(
                                "an operation {key} must be a structure, but `{id}` is {} {}",
                                article(target.kind.type_name()),
                                target.kind.type_name()
                            ),
                        ));
                    }
                }
                for (i, id) in errors.iter().enumerate() {
                    let location = shape_path.key("errors").index(i).key("target").0;
                    let target = lookup(id, &location)?;
                    if !matches!(target.kind, ShapeKind::Structure { .. })
                        || target.traits.error.is_none()
                        || target.traits.mixin
                    {
                        return Err(error(
                            &location,
                            format!("`{id}` is listed as an error but is not a structure with the @error trait"),
                        ));
                    }
                }
            }
            ShapeKind::Service { operations, resources, errors, .. } => {
                check_references(model, &shape_path, "operations", operations, "operation", &error)?;
                check_references(model, &shape_path, "resources", resources, "resource", &error)?;
                check_references(model, &shape_path, "errors", errors, "structure", &error)?;
                for (i, id) in errors.iter().enumerate() {
                    if model.shapes.get(id).is_some_and(|s| s.traits.error.is_none()) {
                        let location = shape_path.key("errors").index(i).key("target").0;
                        return Err(error(
                            &location,
                            format!("`{id}` is listed as an error but is not a structure with the @error trait"),
                        ));
                    }
                }
            }
            ShapeKind::Resource { operations, resources } => {
                for id in operations {
                    lookup(id, &shape_path.0)?;
                }
                check_references(model, &shape_path, "resources", resources, "resource", &error)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Resource lifecycle keys and operation lists must name operations, `resources` must name resources.
/// [`ShapeKind::Resource`] flattens them into one list, so this reads the raw JSON to name the exact key.
fn check_resources(
    loader: &Loader,
    raw: &Map<String, Value>,
    shapes: &BTreeMap<ShapeId, Shape>,
) -> Result<(), LoadError> {
    let shapes_path = JsonPath::root().key("shapes");
    for (id, body) in raw {
        if body.get("type").and_then(Value::as_str) != Some("resource") {
            continue;
        }
        let path = shapes_path.key(id);
        let mut references: Vec<(JsonPath, &Value, &str)> = Vec::new();
        for key in ["create", "put", "read", "update", "delete", "list"] {
            if let Some(reference) = body.get(key) {
                references.push((path.key(key).key("target"), &reference["target"], "operation"));
            }
        }
        for (key, expected) in
            [("operations", "operation"), ("collectionOperations", "operation"), ("resources", "resource")]
        {
            if let Some(Value::Array(items)) = body.get(key) {
                for (i, item) in items.iter().enumerate() {
                    references.push((path.key(key).index(i).key("target"), &item["target"], expected));
                }
            }
        }
        for (at, target, expected) in references {
            // The shape itself loaded, so every target is a valid ID string.
            let Some(target) = target.as_str().map(ShapeId::new) else { continue };
            let found = shapes
                .get(&target)
                .ok_or_else(|| loader.error(&at, format!("target `{target}` is not defined in the model")))?;
            let kind = found.kind.type_name();
            if kind != expected {
                return Err(loader.error(
                    &at,
                    format!("expected {} {expected}, but `{target}` is {} {kind}", article(expected), article(kind)),
                ));
            }
        }
    }
    Ok(())
}

/// How deeply lists and maps may nest inside each other; real models use two or three levels.
const MAX_COLLECTION_DEPTH: usize = 32;

/// Lists and maps hold their values inline, so a cycle among them alone (no structure or union on the
/// way) is an infinitely nested type, and a very long chain would exhaust the stack of the recursive
/// walks in later stages. The walk here keeps its own stack on the heap.
fn check_collection_nesting(model: &Model) -> Result<(), LoadError> {
    fn elements(shape: &Shape) -> Vec<&Member> {
        match &shape.kind {
            ShapeKind::List { member } => vec![member],
            ShapeKind::Map { key, value } => vec![key, value],
            _ => Vec::new(),
        }
    }
    let error = |location: String, message: String| LoadError { file: model.file.clone(), location, message };
    let mut depths: BTreeMap<&ShapeId, usize> = BTreeMap::new();
    for start in model.shapes.values() {
        if elements(start).is_empty() || depths.contains_key(&start.id) {
            continue;
        }
        // Each entry is a collection being walked and the index of its next element to visit.
        let mut stack: Vec<(&Shape, usize)> = vec![(start, 0)];
        while let Some(&(shape, next)) = stack.last() {
            let members = elements(shape);
            if let Some(member) = members.get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                let Some(target) = model.shapes.get(&member.target) else { continue };
                if elements(target).is_empty() || depths.contains_key(&target.id) {
                    continue;
                }
                if stack.iter().any(|(s, _)| s.id == target.id) {
                    return Err(error(
                        format!("{}.target", member.json_path),
                        format!(
                            "`{}` contains itself through lists and maps alone, an infinitely nested type; recursion must pass through a structure or union",
                            target.id
                        ),
                    ));
                }
                stack.push((target, 0));
            } else {
                let depth = 1 + members.iter().filter_map(|m| depths.get(&m.target)).max().unwrap_or(&0);
                if depth > MAX_COLLECTION_DEPTH {
                    return Err(error(
                        JsonPath::root().key("shapes").key(shape.id.as_str()).0,
                        format!("lists and maps nest {depth} levels deep here; the generator supports at most {MAX_COLLECTION_DEPTH}"),
                    ));
                }
                depths.insert(&shape.id, depth);
                stack.pop();
            }
        }
    }
    Ok(())
}

fn check_references(
    model: &Model,
    shape_path: &JsonPath,
    key: &str,
    ids: &[ShapeId],
    expected: &str,
    error: &dyn Fn(&str, String) -> LoadError,
) -> Result<(), LoadError> {
    for (i, id) in ids.iter().enumerate() {
        let location = shape_path.key(key).index(i).key("target").0;
        let target = model
            .shapes
            .get(id)
            .ok_or_else(|| error(&location, format!("target `{id}` is not defined in the model")))?;
        if target.traits.mixin {
            return Err(error(&location, format!("`{id}` is a mixin, which a service cannot use directly")));
        }
        if target.kind.type_name() != expected {
            return Err(error(
                &location,
                format!(
                    "expected {} {expected}, but `{id}` is {} {}",
                    article(expected),
                    article(target.kind.type_name()),
                    target.kind.type_name()
                ),
            ));
        }
    }
    Ok(())
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The prelude shapes models may target without defining them.
fn prelude() -> Vec<Shape> {
    let simple = [
        ("String", ShapeKind::String),
        ("Blob", ShapeKind::Blob),
        ("BigInteger", ShapeKind::BigInteger),
        ("BigDecimal", ShapeKind::BigDecimal),
        ("Timestamp", ShapeKind::Timestamp),
        ("Document", ShapeKind::Document),
        ("Boolean", ShapeKind::Boolean),
        ("PrimitiveBoolean", ShapeKind::Boolean),
        ("Byte", ShapeKind::Byte),
        ("PrimitiveByte", ShapeKind::Byte),
        ("Short", ShapeKind::Short),
        ("PrimitiveShort", ShapeKind::Short),
        ("Integer", ShapeKind::Integer),
        ("PrimitiveInteger", ShapeKind::Integer),
        ("Long", ShapeKind::Long),
        ("PrimitiveLong", ShapeKind::Long),
        ("Float", ShapeKind::Float),
        ("PrimitiveFloat", ShapeKind::Float),
        ("Double", ShapeKind::Double),
        ("PrimitiveDouble", ShapeKind::Double),
        ("Unit", ShapeKind::Structure { members: Vec::new() }),
    ];
    simple
        .into_iter()
        .map(|(name, kind)| {
            let mut traits = Traits::default();
            if name.starts_with("Primitive") {
                traits.default = Some(if name == "PrimitiveBoolean" { Value::Bool(false) } else { Value::from(0) });
            }
            Shape { id: ShapeId::new(format!("smithy.api#{name}")), kind, traits }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Model, LoadError> {
        load_slice("test.json", text.as_bytes())
    }

    #[test]
    fn loads_a_small_model_with_traits() {
        let model = load(
            r#"{"smithy":"2.0","shapes":{
                "ex#S":{"type":"string","traits":{"smithy.api#length":{"min":1,"max":5},"smithy.api#pattern":"^a"}},
                "ex#T":{"type":"structure","members":{"a":{"target":"ex#S","traits":{"smithy.api#required":{}}}}}
            }}"#,
        )
        .unwrap();
        let s = &model.shapes[&ShapeId::new("ex#S")];
        assert_eq!(s.traits.length, Some(Bounds { min: Some(1), max: Some(5) }));
        assert_eq!(s.traits.pattern.as_deref(), Some("^a"));
        let ShapeKind::Structure { members } = &model.shapes[&ShapeId::new("ex#T")].kind else { panic!() };
        assert!(members[0].traits.required);
        assert_eq!(members[0].json_path, "shapes.\"ex#T\".members.a");
    }

    #[test]
    fn missing_target_names_the_json_path() {
        let err =
            load(r#"{"smithy":"2.0","shapes":{"ex#T":{"type":"structure","members":{"bar":{"target":"ex#Nope"}}}}}"#)
                .unwrap_err();
        assert_eq!(err.location, "shapes.\"ex#T\".members.bar.target");
        assert!(err.message.contains("ex#Nope"), "{err}");
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let err = load("{\"smithy\": \"2.0\",\n \"shapes\": {").unwrap_err();
        assert!(err.location.starts_with("line 2"), "{err}");
        assert!(err.to_string().starts_with("test.json: at line 2"), "{err}");
    }

    /// A service with endpoint rules and tests, and an operation with a host prefix.
    const ENDPOINT_MODEL: &str = r#"{"smithy":"2.0","shapes":{
        "ex#Svc":{"type":"service","version":"1","operations":[{"target":"ex#Op"}],"traits":{
            "aws.protocols#awsJson1_1":{},
            "smithy.rules#endpointRuleSet":{"version":"1.0",
                "parameters":{"Region":{"type":"String","builtIn":"AWS::Region","documentation":"where"}},
                "rules":[{"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],
                          "endpoint":{"url":"https://svc.{Region}.example.com"}},
                         {"type":"error","conditions":[],"error":"no region"}]},
            "smithy.rules#endpointTests":{"version":"1.0","testCases":[
                {"documentation":"regional","params":{"Region":"us-east-1","Flags":["a"],"On":true},
                 "operationInputs":[{"operationName":"Op","builtInParams":{"AWS::Region":"us-east-1"},
                                     "operationParams":{"Name":"n"}}],
                 "expect":{"endpoint":{"url":"https://svc.us-east-1.example.com",
                                       "headers":{"x-h":["1"]},"properties":{"p":{"q":true}}}}},
                {"expect":{"error":"no region"}}]}}},
        "ex#Op":{"type":"operation","input":{"target":"ex#In"},"traits":{"smithy.api#endpoint":{"hostPrefix":"{Name}.data-"}}},
        "ex#In":{"type":"structure","members":{"Name":{"target":"smithy.api#String",
            "traits":{"smithy.api#required":{},"smithy.api#hostLabel":{}}}}}
    }}"#;

    #[test]
    fn endpoint_traits_load_typed() {
        let model = load(ENDPOINT_MODEL).unwrap();
        let service = &model.shapes[&ShapeId::new("ex#Svc")].traits;
        let rule_set = service.endpoint_rule_set.as_ref().unwrap();
        assert_eq!(rule_set.json_path, "shapes.\"ex#Svc\".traits.\"smithy.rules#endpointRuleSet\"");
        assert_eq!(rule_set.parsed.as_ref().unwrap().parameters()[0].name, "Region");
        let tests = service.endpoint_tests.as_ref().unwrap();
        assert_eq!(tests.len(), 2);
        assert_eq!(tests[0].documentation.as_deref(), Some("regional"));
        assert_eq!(
            tests[0].params,
            [
                ("Region".to_string(), ParamValue::String("us-east-1".into())),
                ("Flags".to_string(), ParamValue::StringArray(vec!["a".into()])),
                ("On".to_string(), ParamValue::Bool(true)),
            ]
        );
        let input = &tests[0].operation_inputs[0];
        assert_eq!(input.operation_name, "Op");
        assert_eq!(input.built_in_params, [("AWS::Region".to_string(), ParamValue::String("us-east-1".into()))]);
        assert_eq!(input.operation_params["Name"], "n");
        let EndpointExpectation::Endpoint { url, headers, properties } = &tests[0].expect else { panic!() };
        assert_eq!(url, "https://svc.us-east-1.example.com");
        assert_eq!(headers["x-h"], ["1"]);
        assert_eq!(properties["p"]["q"], true);
        assert_eq!(tests[1].expect, EndpointExpectation::Error("no region".into()));
        assert!(tests[1].params.is_empty());
        assert_eq!(tests[1].json_path, "shapes.\"ex#Svc\".traits.\"smithy.rules#endpointTests\".testCases[1]");

        let op = &model.shapes[&ShapeId::new("ex#Op")].traits;
        let prefix = op.host_prefix.as_ref().unwrap();
        assert_eq!(
            prefix.segments,
            [HostPrefixSegment::Label("Name".into()), HostPrefixSegment::Literal(".data-".into())]
        );
        let ShapeKind::Structure { members } = &model.shapes[&ShapeId::new("ex#In")].kind else { panic!() };
        assert!(members[0].traits.host_label);
    }

    #[test]
    fn rule_sets_needing_unknown_functions_load_with_the_reason() {
        let text =
            ENDPOINT_MODEL.replace(r#"{"fn":"isSet","argv":[{"ref":"Region"}]}"#, r#"{"fn":"aws.future","argv":[]}"#);
        let model = load(&text).unwrap();
        let rule_set = model.shapes[&ShapeId::new("ex#Svc")].traits.endpoint_rule_set.clone().unwrap();
        let unsupported = rule_set.parsed.unwrap_err();
        assert!(unsupported.unsupported);
        assert_eq!(unsupported.path, "rules[0].conditions[0].fn");
    }

    #[test]
    fn malformed_endpoint_traits_name_the_json_path() {
        let cases = [
            (
                r#""smithy.rules#endpointTests":{"testCases":{}}"#,
                r#"shapes."ex#S".traits."smithy.rules#endpointTests".testCases"#,
            ),
            (
                r#""smithy.rules#endpointTests":{"testCases":[{}]}"#,
                r#"shapes."ex#S".traits."smithy.rules#endpointTests".testCases[0]"#,
            ),
            (
                r#""smithy.rules#endpointTests":{"testCases":[{"expect":{"endpoint":{"url":"u","headers":{"h":[1]}}}}]}"#,
                r#"shapes."ex#S".traits."smithy.rules#endpointTests".testCases[0].expect.endpoint.headers.h[0]"#,
            ),
            (
                r#""smithy.rules#endpointRuleSet":{"parameters":{},"rules":[{"type":"tree","conditions":[],"rules":[]}]}"#,
                r#"shapes."ex#S".traits."smithy.rules#endpointRuleSet".rules[0].rules"#,
            ),
            (
                r#""smithy.api#endpoint":{"hostPrefix":"{Name"}"#,
                r#"shapes."ex#S".traits."smithy.api#endpoint".hostPrefix"#,
            ),
            (r#""smithy.api#endpoint":{}"#, r#"shapes."ex#S".traits."smithy.api#endpoint""#),
        ];
        for (traits, location) in cases {
            let text = format!(r#"{{"smithy":"2.0","shapes":{{"ex#S":{{"type":"string","traits":{{{traits}}}}}}}}}"#);
            let err = load(&text).unwrap_err();
            assert_eq!(err.location, location, "{traits}: {err}");
        }
    }

    fn members_of<'m>(model: &'m Model, id: &str) -> &'m [Member] {
        match &model.shapes[&ShapeId::new(id)].kind {
            ShapeKind::Structure { members } => members,
            other => panic!("{id} is {}", other.type_name()),
        }
    }

    /// Two mixins, the second using a third: members in mixin order (a mixin's own mixins first), then
    /// the shape's; traits of later mixins over earlier ones, the shape's over both; `smithy.api#mixin`
    /// and `localTraits` stay with the mixin.
    #[test]
    fn mixins_flatten_members_in_order_and_traits_by_precedence() {
        let model = load(
            r#"{"smithy":"2.0","shapes":{
            "ex#Base":{"type":"structure","members":{"base":{"target":"smithy.api#String"}},
                "traits":{"smithy.api#mixin":{},"smithy.api#documentation":"base","smithy.api#sensitive":{}}},
            "ex#A":{"type":"structure","mixins":[{"target":"ex#Base"}],
                "members":{"a":{"target":"smithy.api#Integer","traits":{"smithy.api#documentation":"from A"}}},
                "traits":{"smithy.api#mixin":{"localTraits":["smithy.api#deprecated"]},"smithy.api#deprecated":{},
                          "smithy.api#documentation":"a"}},
            "ex#B":{"type":"structure","members":{"b":{"target":"smithy.api#Boolean"}},
                "traits":{"smithy.api#mixin":{},"smithy.api#title":"B"}},
            "ex#S":{"type":"structure","mixins":[{"target":"ex#A"},{"target":"ex#B"}],
                "members":{"own":{"target":"smithy.api#String"},
                           "a":{"target":"smithy.api#Integer","traits":{"smithy.api#required":{}}}},
                "traits":{"smithy.api#title":"S"}}
        }}"#,
        )
        .unwrap();
        let members = members_of(&model, "ex#S");
        let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["base", "a", "b", "own"]);
        // The redeclared member keeps the mixin's traits and adds its own.
        assert!(members[1].traits.required);
        assert_eq!(members[1].traits.documentation.as_deref(), Some("from A"));
        let s = &model.shapes[&ShapeId::new("ex#S")].traits;
        assert_eq!(s.documentation.as_deref(), Some("a"), "A's documentation wins over Base's");
        assert!(s.sensitive, "traits of a mixin's mixin reach the shape");
        assert_eq!(s.title.as_deref(), Some("S"), "the shape's own trait wins");
        assert!(s.deprecated.is_none(), "localTraits stay with the mixin");
        assert!(!s.mixin, "smithy.api#mixin is not inherited");
        assert!(model.shapes[&ShapeId::new("ex#A")].traits.mixin);
        // Inherited members point at their declaration; own and redeclared ones at the shape.
        assert_eq!(members[0].json_path, r#"shapes."ex#Base".members.base"#);
        assert_eq!(members[1].json_path, r#"shapes."ex#S".members.a"#);
        assert_eq!(members[3].json_path, r#"shapes."ex#S".members.own"#);
    }

    #[test]
    fn a_redeclared_member_keeps_the_mixins_target() {
        let err = load(
            r#"{"smithy":"2.0","shapes":{
            "ex#M":{"type":"structure","members":{"a":{"target":"smithy.api#String"}},"traits":{"smithy.api#mixin":{}}},
            "ex#S":{"type":"structure","mixins":[{"target":"ex#M"}],"members":{"a":{"target":"smithy.api#Integer"}}}
        }}"#,
        )
        .unwrap_err();
        assert_eq!(err.location, r#"shapes."ex#S".members.a.target"#);
        assert!(err.message.contains("keep its target `smithy.api#String`"), "{err}");
    }

    #[test]
    fn broken_mixins_name_the_reference() {
        let cases = [
            (
                r#""ex#S":{"type":"structure","mixins":[{"target":"ex#Nope"}]}"#,
                r#"shapes."ex#S".mixins[0].target"#,
                "mixin `ex#Nope` is not defined",
            ),
            (
                r#""ex#S":{"type":"structure","mixins":[{"target":"ex#T"}]},"ex#T":{"type":"structure"}"#,
                r#"shapes."ex#S".mixins[0].target"#,
                "lacks the `smithy.api#mixin` trait",
            ),
            (
                r#""ex#S":{"type":"structure","mixins":[{"target":"ex#T"}]},
                   "ex#T":{"type":"string","traits":{"smithy.api#mixin":{}}}"#,
                r#"shapes."ex#S".mixins[0].target"#,
                "a structure cannot use a string (`ex#T`) as a mixin",
            ),
            (
                r#""ex#S":{"type":"structure","mixins":[{"target":"ex#T"}],"traits":{"smithy.api#mixin":{}}},
                   "ex#T":{"type":"structure","mixins":[{"target":"ex#S"}],"traits":{"smithy.api#mixin":{}}}"#,
                r#"shapes."ex#T".mixins[0].target"#,
                "mixins form a cycle: ex#S -> ex#T -> ex#S",
            ),
            (r#""ex#S":{"type":"structure","mixins":{}}"#, r#"shapes."ex#S".mixins"#, "expected an array"),
            (
                r#""ex#M":{"type":"structure","traits":{"smithy.api#mixin":{}}},
                   "ex#S":{"type":"structure","members":{"m":{"target":"ex#M"}}}"#,
                r#"shapes."ex#S".members.m.target"#,
                "`ex#M` is a mixin, which cannot be the target of a member",
            ),
        ];
        for (shapes, location, message) in cases {
            let err = load(&format!(r#"{{"smithy":"2.0","shapes":{{{shapes}}}}}"#)).unwrap_err();
            assert_eq!(err.location, location, "{shapes}: {err}");
            assert!(err.message.contains(message), "{shapes}: {err}");
        }
    }

    #[test]
    fn http_protocol_tests_load_typed_and_malformed_ones_name_the_path() {
        let model = load(
            r#"{"smithy":"2.0","shapes":{"ex#Op":{"type":"operation","traits":{
            "smithy.test#httpRequestTests":[{"id":"Req","protocol":"aws.protocols#awsJson1_0","method":"POST",
                "uri":"/","headers":{"X-A":"1"},"forbidHeaders":["X-B"],"params":{"a":null},"appliesTo":"server"}],
            "smithy.test#httpResponseTests":[{"id":"Res","protocol":"aws.protocols#awsJson1_0","code":200,
                "body":"{}","bodyMediaType":"application/json"}]}}}}"#,
        )
        .unwrap();
        let traits = &model.shapes[&ShapeId::new("ex#Op")].traits;
        let request = &traits.http_request_tests[0];
        assert_eq!((request.id.as_str(), request.client), ("Req", false));
        assert_eq!(request.headers, [("X-A".to_string(), "1".to_string())]);
        assert_eq!(request.forbid_headers, ["X-B"]);
        assert!(request.params["a"].is_null());
        let response = &traits.http_response_tests[0];
        assert_eq!((response.code, response.client, response.body.as_deref()), (Some(200), true, Some("{}")));
        assert_eq!(response.json_path, r#"shapes."ex#Op".traits."smithy.test#httpResponseTests"[0]"#);

        let cases = [
            (
                r#""smithy.test#httpRequestTests":[{"id":"R","protocol":"p","uri":"/"}]"#,
                r#"shapes."ex#Op".traits."smithy.test#httpRequestTests"[0]"#,
                "missing required key `method`",
            ),
            (
                r#""smithy.test#httpResponseTests":[{"id":"R","protocol":"p"}]"#,
                r#"shapes."ex#Op".traits."smithy.test#httpResponseTests"[0]"#,
                "missing required key `code`",
            ),
            (
                r#""smithy.test#httpResponseTests":[{"id":"R","protocol":"p","code":200,"appliesTo":"both"}]"#,
                r#"shapes."ex#Op".traits."smithy.test#httpResponseTests"[0].appliesTo"#,
                r#"expected "client" or "server""#,
            ),
            (
                r#""smithy.test#httpRequestTests":[{"id":"R","protocol":"p","method":"GET","uri":"/","headers":{"h":1}}]"#,
                r#"shapes."ex#Op".traits."smithy.test#httpRequestTests"[0].headers.h"#,
                "expected a string, found a number",
            ),
        ];
        for (traits, location, message) in cases {
            let text =
                format!(r#"{{"smithy":"2.0","shapes":{{"ex#Op":{{"type":"operation","traits":{{{traits}}}}}}}}}"#);
            let err = load(&text).unwrap_err();
            assert_eq!(err.location, location, "{traits}: {err}");
            assert!(err.message.contains(message), "{traits}: {err}");
        }
    }

    #[test]
    fn length_min_above_max_is_rejected() {
        let err = load(
            r#"{"smithy":"2.0","shapes":{"ex#S":{"type":"string","traits":{"smithy.api#length":{"min":9,"max":2}}}}}"#,
        )
        .unwrap_err();
        assert_eq!(err.location, "shapes.\"ex#S\".traits.\"smithy.api#length\"");
    }
}
