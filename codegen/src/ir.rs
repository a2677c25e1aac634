//! Stage 2, lower and analyse: the closure of the chosen operations as Rust-ready, sorted type definitions.
//!
//! Everything the emitters need is decided here (names, optionality, boxing, constraints, translated
//! patterns), so each emitter is a plain walk over sorted lists and the output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Bounds, EndpointTestCase, EnumValue, ErrorFault, HostPrefixSegment, Member, Model, Protocol, Shape, ShapeId,
    ShapeKind, TimestampFormat, Traits,
};
use crate::rules::endpoint::{ParamValue, Parameter};
use crate::rules::CaseTable;
use crate::{naming, pattern, pattern_engine};

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
    /// Operations left out of a whole-service selection because they use streaming shapes, by name.
    pub skipped: Vec<SkippedOperation>,
    /// Checks the generator left out of single shapes, sorted by location.
    pub warnings: Vec<Warning>,
    /// How the crate finds the service's endpoint.
    pub endpoint: EndpointResolution,
    /// The client-side cases of the model's HTTP protocol tests for the service's protocol, on the
    /// crate's operations and errors, in operation order (see `emit::protocol_tests`).
    pub protocol_tests: Vec<ProtocolTest>,
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
}

/// One `smithy.rules#endpointTests` case, and the partition table its generated test runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTest {
    /// The case.
    pub case: EndpointTestCase,
    /// [`CaseTable::ModelEra`] when the case gives its expected outcome only with the partition facts
    /// of `codegen/data/endpoint-test-partition-overrides.json`; else the published table (also for a
    /// case that fails with both, so that its test fails).
    pub partitions: CaseTable,
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
    /// Some member is a document.
    pub documents: bool,
    /// Some member is a timestamp.
    pub timestamps: bool,
    /// Some member is a bigInteger or bigDecimal.
    pub big_numbers: bool,
    /// Some operation compresses its requests (needs flate2).
    pub request_compression: bool,
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
    /// Endpoint-rule parameters the call sets, from its input or fixed (`smithy.rules#contextParam`,
    /// `operationContextParams`, `staticContextParams`); when any, the endpoint is resolved per call.
    pub endpoint_params: Vec<CallEndpointParam>,
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
    /// The JSON key: the member name (the awsJson protocols ignore `@jsonName`).
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

/// Lowers a loaded model to the IR for the selected operations.
pub fn lower(model: &Model, selection: &Selection) -> Result<Service, IrError> {
    let mut service = Lowerer::new(model).lower(selection)?;
    convert_docs(&mut service);
    Ok(service)
}

/// One documentation string to convert, and where its one-line summary goes (if anything shows one).
type DocSlot<'s> = (&'s mut Option<String>, Option<&'s mut Option<String>>);

/// Converts every documentation string from the model's HTML to Markdown, once for all emitters, and
/// fills in the summaries. It is the costliest part of lowering and each string is independent, so the
/// work is split over two threads (the machines this runs on have at least two cores more often than not).
fn convert_docs(service: &mut Service) {
    let mut slots: Vec<DocSlot<'_>> = vec![(&mut service.docs, None)];
    for op in &mut service.operations {
        slots.push((&mut op.docs, Some(&mut op.summary)));
    }
    for def in &mut service.types {
        slots.push((&mut def.docs, None));
        match &mut def.kind {
            TypeDefKind::Structure(Structure { fields, .. }) | TypeDefKind::Union(fields) => {
                slots.extend(fields.iter_mut().map(|f| (&mut f.docs, Some(&mut f.summary))));
            }
            TypeDefKind::Enum(variants) => slots.extend(variants.iter_mut().map(|v| (&mut v.docs, None))),
            TypeDefKind::IntEnum(variants) => slots.extend(variants.iter_mut().map(|v| (&mut v.docs, None))),
        }
    }
    let convert = |slots: &mut [DocSlot<'_>]| {
        for (docs, summary) in slots {
            **docs = markdown(docs.as_deref());
            if let (Some(summary), Some(text)) = (summary, docs.as_deref()) {
                **summary = Some(crate::docs::first_sentence(text)).filter(|s| !s.is_empty());
            }
        }
    };
    let half = slots.len() / 2;
    let (first, second) = slots.split_at_mut(half);
    std::thread::scope(|scope| {
        scope.spawn(|| convert(first));
        convert(second);
    });
}

struct Lowerer<'m> {
    model: &'m Model,
    /// Rust names for every named shape in the closure.
    names: BTreeMap<ShapeId, String>,
    /// Enforced patterns by their source in the model.
    patterns: BTreeMap<String, PatternConst>,
    /// Patterns that cannot be enforced, by their source, with the reason.
    unenforced: BTreeMap<String, String>,
    /// Where each enforced pattern is used: the JSON path of its trait, and the shape that owns it.
    pattern_uses: BTreeMap<String, BTreeMap<String, ShapeId>>,
    /// Warnings by location, so a shape reached from many members is reported once.
    warnings: BTreeMap<String, Warning>,
    features: Features,
}

impl<'m> Lowerer<'m> {
    fn new(model: &'m Model) -> Self {
        Lowerer {
            model,
            names: BTreeMap::new(),
            patterns: BTreeMap::new(),
            unenforced: BTreeMap::new(),
            pattern_uses: BTreeMap::new(),
            warnings: BTreeMap::new(),
            features: Features::default(),
        }
    }

    fn error(&self, location: impl Into<String>, message: impl Into<String>) -> IrError {
        IrError { file: self.model.file.clone(), location: location.into(), message: message.into() }
    }

    fn shape(&self, id: &ShapeId) -> &'m Shape {
        // The loader checked every reference, so a missing shape here is a generator bug.
        &self.model.shapes[id]
    }

    fn shape_path(id: &ShapeId) -> String {
        format!("shapes.{:?}", id.as_str())
    }

    fn find_service(&self, wanted: Option<&str>) -> Result<&'m Shape, IrError> {
        let services: Vec<&Shape> =
            self.model.shapes.values().filter(|s| matches!(s.kind, ShapeKind::Service { .. })).collect();
        match wanted {
            Some(wanted) => {
                services.iter().find(|s| s.id.as_str() == wanted || s.id.name() == wanted).copied().ok_or_else(|| {
                    let known: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
                    self.error("shapes", format!("no service `{wanted}` in the model (it has: {})", known.join(", ")))
                })
            }
            None => match services.as_slice() {
                [one] => Ok(one),
                [] => Err(self.error("shapes", "the model defines no service shape")),
                many => {
                    let known: Vec<&str> = many.iter().map(|s| s.id.as_str()).collect();
                    Err(self.error(
                        "shapes",
                        format!("the model defines several services; choose one of: {}", known.join(", ")),
                    ))
                }
            },
        }
    }

    /// The first streaming shape, in ID order, that an operation's input, output or errors reach.
    fn streaming_shape(&self, op_id: &ShapeId, common_errors: &[ShapeId]) -> Option<ShapeId> {
        let ShapeKind::Operation { input, output, errors } = &self.shape(op_id).kind else { return None };
        let mut pending: Vec<&ShapeId> = vec![input, output];
        pending.extend(errors.iter().chain(common_errors));
        let mut seen = BTreeSet::new();
        let mut streaming = BTreeSet::new();
        while let Some(id) = pending.pop() {
            if !seen.insert(id) {
                continue;
            }
            let shape = self.shape(id);
            if shape.traits.streaming {
                streaming.insert(id);
            }
            match &shape.kind {
                ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                    pending.extend(members.iter().map(|m| &m.target))
                }
                ShapeKind::List { member } => pending.push(&member.target),
                ShapeKind::Map { key, value } => pending.extend([&key.target, &value.target]),
                _ => {}
            }
        }
        streaming.first().map(|id| (*id).clone())
    }

    fn streaming_error(&self, op_id: &ShapeId, shape_id: &ShapeId) -> IrError {
        let kind = self.shape(shape_id).kind.type_name();
        let what = if kind == "union" { "event streams" } else { "streaming bodies" };
        self.error(
            format!("{}.traits.\"smithy.api#streaming\"", Self::shape_path(shape_id)),
            format!(
                "unsupported: operation `{}` uses `{shape_id}`, a streaming {kind} (smithy.api#streaming); {what} are not supported, so leave the operation out of the selection",
                op_id.name()
            ),
        )
    }

    fn service_operations(&self, service: &Shape) -> Vec<ShapeId> {
        let ShapeKind::Service { operations, resources, .. } = &service.kind else { return Vec::new() };
        let mut all: BTreeSet<ShapeId> = operations.iter().cloned().collect();
        let mut pending: Vec<ShapeId> = resources.clone();
        let mut seen = BTreeSet::new();
        while let Some(resource) = pending.pop() {
            if !seen.insert(resource.clone()) {
                continue;
            }
            if let ShapeKind::Resource { operations, resources } = &self.shape(&resource).kind {
                all.extend(operations.iter().cloned());
                pending.extend(resources.iter().cloned());
            }
        }
        all.into_iter().collect()
    }

    fn lower(mut self, selection: &Selection) -> Result<Service, IrError> {
        let service = self.find_service(selection.service.as_deref())?;
        let service_path = Self::shape_path(&service.id);
        let ShapeKind::Service { version, errors: common_errors, .. } = &service.kind else { unreachable!() };
        let protocol = match service.traits.protocols.as_slice() {
            [protocol, ..] => *protocol,
            [] => {
                let what = match service.traits.unsupported_protocols.first() {
                    Some(other) => {
                        format!("unsupported protocol `{other}`: only awsJson1_0 and awsJson1_1 are supported")
                    }
                    None => "the service declares no protocol trait (expected aws.protocols#awsJson1_0 or awsJson1_1)"
                        .to_string(),
                };
                let at = match service.traits.unsupported_protocols.first() {
                    Some(other) => format!("{service_path}.traits.{other:?}"),
                    None => format!("{service_path}.traits"),
                };
                return Err(self.error(at, format!("service `{}`: {what}", service.id)));
            }
        };
        let available = self.service_operations(service);
        let chosen: Vec<ShapeId> = if selection.operations.is_empty() {
            available.clone()
        } else {
            let mut chosen = BTreeSet::new();
            for wanted in &selection.operations {
                let found =
                    available.iter().find(|id| id.as_str() == wanted || id.name() == wanted).ok_or_else(|| {
                        self.error(
                            format!("{service_path}.operations"),
                            format!("service `{}` has no operation `{wanted}`", service.id),
                        )
                    })?;
                chosen.insert(found.clone());
            }
            chosen.into_iter().collect()
        };
        // Streaming shapes need an event-stream or streaming-body transport this generator does not
        // have. Asked for by name, such an operation is an error; when the whole service is wanted it is
        // left out and reported, so the rest of the service is still usable.
        let mut skipped = Vec::new();
        let mut kept = Vec::with_capacity(chosen.len());
        for op_id in chosen {
            match self.streaming_shape(&op_id, common_errors) {
                None => kept.push(op_id),
                Some(shape) if selection.operations.is_empty() => skipped.push((op_id, shape)),
                Some(shape) => return Err(self.streaming_error(&op_id, &shape)),
            }
        }
        if kept.is_empty() {
            if let Some((op_id, shape)) = skipped.first() {
                return Err(self.streaming_error(op_id, shape));
            }
        }
        let chosen = kept;
        let skipped: Vec<SkippedOperation> = skipped
            .into_iter()
            .map(|(op, shape)| SkippedOperation { operation: op.name().to_string(), shape: shape.to_string() })
            .collect();

        // The closure: every named data shape reachable from the chosen operations.
        let mut closure = BTreeSet::new();
        let mut pending = Vec::new();
        let mut op_errors: BTreeMap<ShapeId, Vec<ShapeId>> = BTreeMap::new();
        for op_id in &chosen {
            let ShapeKind::Operation { input, output, errors } = &self.shape(op_id).kind else { unreachable!() };
            let mut errs: BTreeSet<ShapeId> = errors.iter().cloned().collect();
            errs.extend(common_errors.iter().cloned());
            pending.push(input.clone());
            pending.push(output.clone());
            pending.extend(errs.iter().cloned());
            op_errors.insert(op_id.clone(), errs.into_iter().collect());
        }
        while let Some(id) = pending.pop() {
            if id.as_str() == "smithy.api#Unit" || !closure.insert(id.clone()) {
                continue;
            }
            let shape = self.shape(&id);
            match &shape.kind {
                ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                    pending.extend(members.iter().map(|m| m.target.clone()))
                }
                ShapeKind::List { member } => pending.push(member.target.clone()),
                ShapeKind::Map { key, value } => {
                    pending.push(key.target.clone());
                    pending.push(value.target.clone());
                }
                _ => {}
            }
        }
        // Names for named types: structures, unions, enums. Inputs/outputs of Unit get synthesised names.
        let named: Vec<&ShapeId> = closure
            .iter()
            .filter(|id| {
                matches!(
                    self.shape(id).kind,
                    ShapeKind::Structure { .. }
                        | ShapeKind::Union { .. }
                        | ShapeKind::Enum { .. }
                        | ShapeKind::IntEnum { .. }
                )
            })
            .collect();
        self.assign_type_names(&named, service.id.namespace());

        let mut synthetic = Vec::new();
        let mut taken: BTreeSet<String> = self.names.values().cloned().collect();
        let mut operations = Vec::new();
        for op_id in &chosen {
            let op = self.shape(op_id);
            let ShapeKind::Operation { input, output, .. } = &op.kind else { unreachable!() };
            let op_name = naming::pascal(op_id.name());
            let request_compression = self.request_compression(op_id, op);
            let mut io_name = |id: &ShapeId, suffix: &str, synthetic: &mut Vec<(String, bool)>| -> String {
                if id.as_str() == "smithy.api#Unit" {
                    let mut name = format!("{op_name}{suffix}");
                    while taken.contains(&name) {
                        name.push('_');
                    }
                    taken.insert(name.clone());
                    synthetic.push((name.clone(), suffix == "Input"));
                    name
                } else {
                    self.names[id].clone()
                }
            };
            let host_prefix = self.host_prefix(op, input)?;
            let input_name = io_name(input, "Input", &mut synthetic);
            let output_name = io_name(output, "Output", &mut synthetic);
            let mut errors: Vec<String> = op_errors[op_id].iter().map(|e| self.names[e].clone()).collect();
            errors.sort();
            let mut error_name = format!("{op_name}Error");
            while taken.contains(&error_name) || naming::is_reserved_error_name(&error_name) {
                error_name.push('_');
            }
            taken.insert(error_name.clone());
            operations.push(Operation {
                name: op_id.name().to_string(),
                shape_id: op_id.to_string(),
                fn_name: naming::snake(op_id.name()),
                error_name,
                input: input_name,
                output: output_name,
                errors,
                docs: op.traits.documentation.clone(),
                summary: None,
                deprecated: op.traits.deprecated.clone(),
                host_prefix,
                request_compression,
                endpoint_params: Vec::new(),
            });
        }
        operations.sort_by(|a, b| a.name.cmp(&b.name));

        let inputs: BTreeSet<ShapeId> = chosen
            .iter()
            .filter_map(|op| match &self.shape(op).kind {
                ShapeKind::Operation { input, .. } => Some(input.clone()),
                _ => None,
            })
            .collect();
        let outputs: BTreeSet<ShapeId> = chosen
            .iter()
            .filter_map(|op| match &self.shape(op).kind {
                ShapeKind::Operation { output, .. } => Some(output.clone()),
                _ => None,
            })
            .collect();

        self.check_required_cycles(&named)?;
        let boxed_edges = self.recursive_edges(&named);

        let mut types = Vec::new();
        for id in &named {
            let shape = self.shape(id);
            let name = self.names[*id].clone();
            let kind = match &shape.kind {
                ShapeKind::Structure { members } => {
                    let fields = self.fields(id, members, &boxed_edges, false, inputs.contains(*id))?;
                    let error = shape.traits.error.map(|fault| ErrorInfo {
                        code: id.name().to_string(),
                        fault,
                        http_status: shape.traits.http_error,
                        retryable: shape.traits.retryable,
                        query_code: shape.traits.query_error_code.clone().filter(|_| service.traits.query_compatible),
                    });
                    TypeDefKind::Structure(Structure {
                        fields,
                        error,
                        is_input: inputs.contains(*id),
                        is_output: outputs.contains(*id),
                        sensitive: shape.traits.sensitive,
                    })
                }
                ShapeKind::Union { members } => {
                    if members.is_empty() {
                        return Err(self.error(Self::shape_path(id), format!("union `{id}` has no members")));
                    }
                    TypeDefKind::Union(self.fields(id, members, &boxed_edges, true, false)?)
                }
                ShapeKind::Enum { members } => TypeDefKind::Enum(self.enum_variants(id, members)?),
                ShapeKind::IntEnum { members } => TypeDefKind::IntEnum(self.int_enum_variants(id, members)?),
                _ => unreachable!("only named kinds are in `named`"),
            };
            types.push(TypeDef {
                name,
                shape_id: id.to_string(),
                docs: shape.traits.documentation.clone(),
                deprecated: shape.traits.deprecated.clone(),
                kind,
            });
        }
        for (name, is_input) in synthetic {
            types.push(TypeDef {
                name,
                shape_id: "smithy.api#Unit".to_string(),
                docs: None,
                deprecated: None,
                kind: TypeDefKind::Structure(Structure {
                    fields: Vec::new(),
                    error: None,
                    is_input,
                    is_output: !is_input,
                    sensitive: false,
                }),
            });
        }
        types.sort_by(|a, b| a.name.cmp(&b.name));
        self.drop_unchecked_patterns(&mut types);
        self.drop_refused_patterns(&mut types);

        let mut patterns: Vec<PatternConst> = self.patterns.values().cloned().collect();
        patterns.sort_by(|a, b| a.name.cmp(&b.name));
        let warnings = std::mem::take(&mut self.warnings).into_values().collect();

        let mut lowered = Service {
            crate_name: selection.crate_name.clone(),
            shape_id: service.id.to_string(),
            target_prefix: service.id.name().to_string(),
            sdk_id: service.traits.sdk_id.clone().unwrap_or_else(|| service.id.name().to_string()),
            signing_name: service
                .traits
                .sigv4_name
                .clone()
                .or_else(|| service.traits.endpoint_prefix.clone())
                .unwrap_or_else(|| service.id.name().to_ascii_lowercase()),
            endpoint_prefix: service
                .traits
                .endpoint_prefix
                .clone()
                .or_else(|| service.traits.sigv4_name.clone())
                .unwrap_or_else(|| service.id.name().to_ascii_lowercase()),
            version: version.clone(),
            title: service.traits.title.clone(),
            protocol,
            query_compatible: service.traits.query_compatible,
            docs: service.traits.documentation.clone(),
            operations,
            types,
            patterns,
            features: self.features,
            skipped,
            warnings,
            endpoint: endpoint_resolution(service),
            protocol_tests: Vec::new(),
        };
        lowered.protocol_tests = protocol_tests(self.model, &lowered);
        crate::endpoint_params::bind(self.model, service, &mut lowered);
        Ok(lowered)
    }

    /// The encoding an operation's requests are compressed with: the first of the model's encodings
    /// the crates support. When it lists none of them, requests go uncompressed (the service accepts
    /// them either way) and a warning says so.
    fn request_compression(&mut self, op_id: &ShapeId, op: &Shape) -> Option<RequestCompression> {
        let encodings = op.traits.request_compression.as_ref()?;
        let chosen = encodings.iter().find_map(|encoding| match encoding.as_str() {
            "gzip" => Some(RequestCompression::Gzip),
            _ => None,
        });
        match chosen {
            Some(_) => self.features.request_compression = true,
            None => {
                let location = format!("{}.\"smithy.api#requestCompression\".encodings", op.traits.json_path);
                self.warnings.entry(location.clone()).or_insert(Warning {
                    file: self.model.file.clone(),
                    shape: op_id.to_string(),
                    message: format!(
                        "operation `{op_id}` asks for request compression with {}, none of which the generated crate supports (only gzip); its requests are sent uncompressed",
                        encodings.join(", ")
                    ),
                    location,
                });
            }
        }
        chosen
    }

    /// The operation's host prefix, each label tied to the input member it names, which must be a
    /// required `@hostLabel` string.
    fn host_prefix(&self, op: &Shape, input: &ShapeId) -> Result<Option<HostPrefix>, IrError> {
        let Some(prefix) = &op.traits.host_prefix else { return Ok(None) };
        let at = format!("{}.\"smithy.api#endpoint\".hostPrefix", op.traits.json_path);
        let members: &[Member] = match &self.shape(input).kind {
            ShapeKind::Structure { members } => members,
            _ => &[],
        };
        let member_names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        let field_names = naming::field_names(&member_names);
        let mut parts = Vec::with_capacity(prefix.segments.len());
        for segment in &prefix.segments {
            match segment {
                HostPrefixSegment::Literal(text) => parts.push(HostPrefixPart::Literal(text.clone())),
                HostPrefixSegment::Label(label) => {
                    let template = &prefix.template;
                    let Some(index) = members.iter().position(|m| &m.name == label) else {
                        return Err(self.error(
                            at,
                            format!("`{{{label}}}` in `{template}` names no member of the input `{input}`"),
                        ));
                    };
                    let member = &members[index];
                    let is_string = matches!(self.shape(&member.target).kind, ShapeKind::String);
                    if !member.traits.host_label || !member.traits.required || !is_string {
                        return Err(self.error(
                            at,
                            format!(
                                "`{{{label}}}` in `{template}` needs `{input}` member `{label}` to be a required string with @hostLabel"
                            ),
                        ));
                    }
                    parts.push(HostPrefixPart::Label { member: label.clone(), field: field_names[index].clone() });
                }
            }
        }
        Ok(Some(HostPrefix { template: prefix.template.clone(), parts }))
    }

    /// Gives every named shape a distinct Rust type name. Shapes of the service's own namespace keep
    /// their plain name; a clash from another namespace is prefixed with that namespace's last part.
    fn assign_type_names(&mut self, named: &[&ShapeId], home: &str) {
        let mut ordered: Vec<&ShapeId> = named.to_vec();
        // Home namespace first so it wins clashes, then by ID for a stable order.
        ordered.sort_by_key(|id| (id.namespace() != home, id.as_str().to_string()));
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for id in ordered {
            let mut name = naming::pascal(id.name());
            if taken.contains(&name) || naming::is_reserved_type_name(&name) {
                let prefix = naming::pascal(id.namespace().rsplit('.').next().unwrap_or("Other"));
                name = format!("{prefix}{name}");
            }
            let base = name.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
            taken.insert(name.clone());
            self.names.insert(id.clone(), name);
        }
    }

    fn fields(
        &mut self,
        owner: &ShapeId,
        members: &[Member],
        boxed_edges: &BTreeSet<(ShapeId, String)>,
        is_union: bool,
        top_level_input: bool,
    ) -> Result<Vec<Field>, IrError> {
        let mut fields = Vec::with_capacity(members.len());
        for member in members {
            let target = self.shape(&member.target);
            let ty = if is_union && member.target.as_str() == "smithy.api#Unit" {
                Ty {
                    kind: TyKind::Unit,
                    constraints: Constraints::default(),
                    sensitive: false,
                    unenforced_pattern: None,
                }
            } else {
                self.ty(&member.target, &member.traits, &member.json_path)?
            };
            let presence =
                if is_union { Presence::Required } else { self.presence(member, target, &ty, top_level_input)? };
            let service_default = match (&presence, &member.traits.default, &target.traits.default) {
                (Presence::Optional, Some(value), _) | (Presence::Optional, None, Some(value))
                    if top_level_input && !value.is_null() && !member.traits.client_optional =>
                {
                    Some(value.to_string())
                }
                _ => None,
            };
            if member.traits.idempotency_token {
                self.features.idempotency_tokens = true;
            }
            fields.push(Field {
                member_name: member.name.clone(),
                // The awsJson protocols always use member names on the wire: `@jsonName` belongs to
                // restJson1 and is not part of their definition.
                wire_name: member.name.clone(),
                rust_name: String::new(),
                boxed: boxed_edges.contains(&(owner.clone(), member.name.clone())),
                ty,
                presence,
                service_default,
                docs: member.traits.documentation.clone().or_else(|| target.traits.documentation.clone()),
                summary: None,
                deprecated: member.traits.deprecated.clone(),
                idempotency_token: member.traits.idempotency_token,
                host_label: member.traits.host_label,
            });
        }
        let member_names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        let names = if is_union { naming::variant_names(&member_names) } else { naming::field_names(&member_names) };
        for (field, name) in fields.iter_mut().zip(names) {
            field.rust_name = name;
        }
        Ok(fields)
    }

    /// How a member is present: `top_level_input` is set for the members of an operation's input,
    /// where a `@default` the caller did not set is left for the service to apply, unless the member is
    /// also `@required` (such a member is always sent, as Smithy asks).
    fn presence(&self, member: &Member, target: &Shape, ty: &Ty, top_level_input: bool) -> Result<Presence, IrError> {
        // `@clientOptional` makes a client ignore the member's default and its `@required`.
        if member.traits.client_optional {
            return Ok(Presence::Optional);
        }
        // A member's own default wins over its target's, and `null` there removes the target's.
        let default = match &member.traits.default {
            Some(value) => Some(value),
            None => target.traits.default.as_ref(),
        };
        if let Some(value) = default.filter(|value| !value.is_null()) {
            // Point at whichever traits object holds the default: the member's own, else the target's.
            let at = if member.traits.default.is_some() { &member.traits.json_path } else { &target.traits.json_path };
            let default = self.default_value(value, ty, at)?;
            if top_level_input && !member.traits.required {
                return Ok(Presence::Optional);
            }
            return Ok(Presence::Default(default));
        }
        Ok(if member.traits.required { Presence::Required } else { Presence::Optional })
    }

    fn default_value(&self, value: &serde_json::Value, ty: &Ty, path: &str) -> Result<DefaultValue, IrError> {
        use serde_json::Value as V;
        let wrong = |why: &str| {
            self.error(
                format!("{path}.\"smithy.api#default\""),
                format!("default value {value} does not fit the member's type{why}"),
            )
        };
        Ok(match (&ty.kind, value) {
            (TyKind::Bool, V::Bool(b)) => DefaultValue::Bool(*b),
            (TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long | TyKind::IntEnum(_), V::Number(n)) => {
                let int = n.as_i64().ok_or_else(|| wrong(": not a whole number"))?;
                let fits = match ty.kind {
                    TyKind::Byte => i8::try_from(int).is_ok(),
                    TyKind::Short => i16::try_from(int).is_ok(),
                    TyKind::Integer => i32::try_from(int).is_ok(),
                    _ => true,
                };
                if !fits {
                    return Err(wrong(": out of range"));
                }
                DefaultValue::Int(int)
            }
            (TyKind::Float | TyKind::Double, V::Number(n)) => {
                DefaultValue::Float(n.as_f64().ok_or_else(|| wrong(": not a number"))?)
            }
            (TyKind::String | TyKind::Enum(_), V::String(s)) => DefaultValue::String(s.clone()),
            (TyKind::List { .. }, V::Array(a)) if a.is_empty() => DefaultValue::Empty,
            (TyKind::Map { .. }, V::Object(o)) if o.is_empty() => DefaultValue::Empty,
            (TyKind::List { .. } | TyKind::Map { .. }, _) => {
                return Err(wrong(": a list or map default must be empty"))
            }
            (TyKind::Timestamp(_), V::Number(n)) => {
                DefaultValue::Timestamp(n.as_f64().ok_or_else(|| wrong(": not a number"))?)
            }
            (TyKind::Timestamp(_), V::String(s)) => {
                DefaultValue::Timestamp(parse_date_time(s).ok_or_else(|| wrong(": not an RFC 3339 date-time"))?)
            }
            (TyKind::Blob, V::String(s)) => DefaultValue::Blob(decode_base64(s).ok_or_else(|| wrong(": not base64"))?),
            (TyKind::Document, value) => DefaultValue::Document(value.clone()),
            (TyKind::BigInteger, V::Number(n)) if n.is_i64() || n.is_u64() => DefaultValue::BigNumber(n.to_string()),
            (TyKind::BigDecimal, V::Number(n)) => DefaultValue::BigNumber(n.to_string()),
            _ => return Err(wrong("")),
        })
    }

    /// The type of a member targeting `target`, with member traits overriding the target's constraints.
    fn ty(&mut self, target_id: &ShapeId, member_traits: &Traits, path: &str) -> Result<Ty, IrError> {
        if target_id.as_str() == "smithy.api#Unit" {
            return Err(self.error(
                format!("{path}.target"),
                "only a union member can target smithy.api#Unit (a member without a value)",
            ));
        }
        let target = self.shape(target_id);
        let traits = &target.traits;
        let pick_length = member_traits.length.or(traits.length);
        let range = member_traits.range.clone().or_else(|| traits.range.clone());
        let pattern = member_traits.pattern.clone().or_else(|| traits.pattern.clone());
        let kind = match &target.kind {
            ShapeKind::String => TyKind::String,
            ShapeKind::Boolean => TyKind::Bool,
            ShapeKind::Byte => TyKind::Byte,
            ShapeKind::Short => TyKind::Short,
            ShapeKind::Integer => TyKind::Integer,
            ShapeKind::Long => TyKind::Long,
            ShapeKind::Float => TyKind::Float,
            ShapeKind::Double => TyKind::Double,
            ShapeKind::BigInteger => {
                self.features.big_numbers = true;
                TyKind::BigInteger
            }
            ShapeKind::BigDecimal => {
                self.features.big_numbers = true;
                TyKind::BigDecimal
            }
            ShapeKind::Timestamp => {
                self.features.timestamps = true;
                TyKind::Timestamp(
                    member_traits.timestamp_format.or(traits.timestamp_format).unwrap_or(TimestampFormat::EpochSeconds),
                )
            }
            ShapeKind::Blob => {
                self.features.blobs = true;
                TyKind::Blob
            }
            ShapeKind::Document => {
                self.features.documents = true;
                TyKind::Document
            }
            ShapeKind::Enum { .. } => TyKind::Enum(self.names[target_id].clone()),
            ShapeKind::IntEnum { .. } => TyKind::IntEnum(self.names[target_id].clone()),
            ShapeKind::Structure { .. } => TyKind::Structure(self.names[target_id].clone()),
            ShapeKind::Union { .. } => TyKind::Union(self.names[target_id].clone()),
            ShapeKind::List { member } => TyKind::List {
                member: Box::new(self.ty(&member.target, &member.traits, &member.json_path)?),
                sparse: traits.sparse,
            },
            ShapeKind::Map { key, value } => TyKind::Map {
                key: Box::new(self.ty(&key.target, &key.traits, &key.json_path)?),
                value: Box::new(self.ty(&value.target, &value.traits, &value.json_path)?),
                sparse: traits.sparse,
            },
            ShapeKind::Operation { .. } | ShapeKind::Service { .. } | ShapeKind::Resource { .. } => {
                unreachable!("the loader rejects members targeting non-data shapes")
            }
        };
        let sized = matches!(kind, TyKind::String | TyKind::Blob | TyKind::List { .. } | TyKind::Map { .. });
        let numeric = matches!(
            kind,
            TyKind::Byte
                | TyKind::Short
                | TyKind::Integer
                | TyKind::Long
                | TyKind::Float
                | TyKind::Double
                | TyKind::BigInteger
                | TyKind::BigDecimal
        );
        let length = if sized { pick_length } else { None };
        let range = if numeric {
            range.map(|b| Bounds { min: b.min.and_then(|n| n.as_f64()), max: b.max.and_then(|n| n.as_f64()) })
        } else {
            None
        };
        let (pattern, unenforced_pattern) = match (&kind, pattern) {
            (TyKind::String, Some(ecma)) => {
                // Point at whichever traits object holds the pattern: the member's own, else the target's.
                let at =
                    if member_traits.pattern.is_some() { format!("{path}.traits") } else { traits.json_path.clone() };
                match self.pattern_const(&ecma, target_id, &at) {
                    Ok(name) => (Some(name), None),
                    Err(reason) => (None, Some(UnenforcedPattern { pattern: ecma, reason })),
                }
            }
            _ => (None, None),
        };
        Ok(Ty {
            kind,
            constraints: Constraints { length, range, pattern },
            sensitive: traits.sensitive || member_traits.sensitive,
            unenforced_pattern,
        })
    }

    /// The constant that enforces `ecma`, or why it cannot be enforced (recorded as a warning at
    /// `path`, the traits object holding it, and never an error: the service still checks it).
    ///
    /// A constant may still be dropped once every pattern is known, when the crate's engine refuses
    /// it ([`Lowerer::drop_refused_patterns`]).
    fn pattern_const(&mut self, ecma: &str, owner: &ShapeId, path: &str) -> Result<String, String> {
        let location = format!("{path}.\"smithy.api#pattern\"");
        if let Some(known) = self.patterns.get(ecma) {
            let name = known.name.clone();
            self.pattern_uses.entry(ecma.to_string()).or_default().insert(location, owner.clone());
            return Ok(name);
        }
        let translated = match self.unenforced.get(ecma) {
            Some(reason) => Err(reason.clone()),
            None => pattern::translate(ecma).map_err(|e| e.to_string()),
        };
        let translated = match translated {
            Ok(translated) => translated,
            Err(reason) => {
                self.unenforced.insert(ecma.to_string(), reason.clone());
                self.warn_unenforced_pattern(ecma, owner, location, &reason);
                return Err(reason);
            }
        };
        self.pattern_uses.entry(ecma.to_string()).or_default().insert(location, owner.clone());
        let base = format!("{}_PATTERN", naming::screaming(owner.name()));
        let mut name = base.clone();
        let mut n = 2;
        while self.patterns.values().any(|existing| existing.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.patterns.insert(
            ecma.to_string(),
            PatternConst {
                name: name.clone(),
                ecma: ecma.to_string(),
                regex: translated.regex,
                engine: translated.engine,
                unicode: translated.unicode,
            },
        );
        Ok(name)
    }

    fn warn_unenforced_pattern(&mut self, ecma: &str, owner: &ShapeId, location: String, reason: &str) {
        let message = format!("pattern `{ecma}` of `{owner}` is not enforced (the service still checks it): {reason}");
        self.warnings.entry(location.clone()).or_insert(Warning {
            file: self.model.file.clone(),
            shape: owner.to_string(),
            location,
            message,
        });
    }

    /// Forgets the patterns that only members of error structures carry, and those members' links
    /// to their constants. Errors are read from responses, never validated, so such a constant
    /// would be a static nothing checks (an unused item, an error under `-D warnings`) and could
    /// pull in a pattern engine no check runs on.
    fn drop_unchecked_patterns(&mut self, types: &mut [TypeDef]) {
        fn collect(ty: &Ty, used: &mut BTreeSet<String>) {
            used.extend(ty.constraints.pattern.iter().cloned());
            match &ty.kind {
                TyKind::List { member, .. } => collect(member, used),
                TyKind::Map { key, value, .. } => {
                    collect(key, used);
                    collect(value, used);
                }
                _ => {}
            }
        }
        fn forget(ty: &mut Ty) {
            ty.constraints.pattern = None;
            match &mut ty.kind {
                TyKind::List { member, .. } => forget(member),
                TyKind::Map { key, value, .. } => {
                    forget(key);
                    forget(value);
                }
                _ => {}
            }
        }
        let mut used = BTreeSet::new();
        for def in types.iter_mut() {
            match &mut def.kind {
                TypeDefKind::Structure(Structure { fields, error: Some(_), .. }) => {
                    fields.iter_mut().for_each(|field| forget(&mut field.ty));
                }
                TypeDefKind::Structure(Structure { fields, .. }) | TypeDefKind::Union(fields) => {
                    fields.iter().for_each(|field| collect(&field.ty, &mut used));
                }
                TypeDefKind::Enum(_) | TypeDefKind::IntEnum(_) => {}
            }
        }
        self.patterns.retain(|_, constant| used.contains(&constant.name));
        let patterns = &self.patterns;
        self.pattern_uses.retain(|ecma, _| patterns.contains_key(ecma));
    }

    /// Compiles every pattern constant with the engine the crate will run it on, and treats one the
    /// engine refuses (its compiled form is over the engine's size limit) like a pattern no engine
    /// runs: a warning at each trait that uses it, no check, and a note in the docs of the members
    /// in `types`. Then settles the crate's engine and Unicode tables.
    ///
    /// The crate's engine is the most capable one any of its patterns needs, so a pattern is
    /// compiled with that engine rather than its own; when dropping patterns leaves a leaner engine
    /// enough, the rest are compiled again with that one. Each distinct translation is compiled once
    /// per engine.
    fn drop_refused_patterns(&mut self, types: &mut [TypeDef]) {
        let mut verdicts: BTreeMap<(pattern::Engine, String), Result<(), pattern_engine::Refusal>> = BTreeMap::new();
        let mut refused: BTreeMap<String, UnenforcedPattern> = BTreeMap::new();
        while let Some(engine) = self.patterns.values().map(|p| p.engine).max() {
            let mut newly_refused = Vec::new();
            for (ecma, constant) in &self.patterns {
                let verdict = verdicts
                    .entry((engine, constant.regex.clone()))
                    .or_insert_with(|| pattern_engine::compile(engine, &constant.regex));
                if let Err(refusal) = verdict {
                    newly_refused.push((ecma.clone(), constant.engine, refusal.to_string()));
                }
            }
            if newly_refused.is_empty() {
                break;
            }
            // A refused pattern that needs this engine runs on no other, so those go first: without
            // them a leaner engine may be enough, and may build the others.
            if newly_refused.iter().any(|(_, needs, _)| *needs == engine) {
                newly_refused.retain(|(_, needs, _)| *needs == engine);
            }
            for (ecma, _, reason) in newly_refused {
                let Some(constant) = self.patterns.remove(&ecma) else { continue };
                for (location, owner) in self.pattern_uses.remove(&ecma).unwrap_or_default() {
                    self.warn_unenforced_pattern(&ecma, &owner, location, &reason);
                }
                refused.insert(constant.name, UnenforcedPattern { pattern: ecma, reason });
            }
        }
        self.features.pattern_engine = self.patterns.values().map(|p| p.engine).max();
        self.features.pattern_tables =
            self.patterns.values().fold(pattern::UnicodeTables::default(), |tables, p| tables.union(p.unicode));
        if refused.is_empty() {
            return;
        }
        fn unenforce(ty: &mut Ty, refused: &BTreeMap<String, UnenforcedPattern>) {
            if let Some(unenforced) = ty.constraints.pattern.as_ref().and_then(|name| refused.get(name)) {
                ty.unenforced_pattern = Some(unenforced.clone());
                ty.constraints.pattern = None;
            }
            match &mut ty.kind {
                TyKind::List { member, .. } => unenforce(member, refused),
                TyKind::Map { key, value, .. } => {
                    unenforce(key, refused);
                    unenforce(value, refused);
                }
                _ => {}
            }
        }
        for def in types {
            if let TypeDefKind::Structure(Structure { fields, .. }) | TypeDefKind::Union(fields) = &mut def.kind {
                for field in fields {
                    unenforce(&mut field.ty, &refused);
                }
            }
        }
    }

    fn enum_variants(&self, id: &ShapeId, members: &[Member]) -> Result<Vec<EnumVariant>, IrError> {
        let mut variants = Vec::new();
        for member in members {
            let value = match &member.traits.enum_value {
                Some(EnumValue::String(s)) => s.clone(),
                None => member.name.clone(),
                Some(EnumValue::Int(_)) => {
                    return Err(self.error(
                        format!("{}.traits.\"smithy.api#enumValue\"", member.json_path),
                        format!(
                            "enum `{id}` member `{}` has an integer value; string enums need string values",
                            member.name
                        ),
                    ))
                }
            };
            let mut name = naming::pascal(&member.name);
            if name == "Unknown" {
                name = "UnknownValue".to_string();
            }
            variants.push(EnumVariant {
                name,
                value,
                docs: member.traits.documentation.clone(),
                deprecated: member.traits.deprecated.clone(),
            });
        }
        let mut names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
        naming::dedupe_pascal(&mut names);
        for (variant, name) in variants.iter_mut().zip(names) {
            variant.name = name;
        }
        Ok(variants)
    }

    fn int_enum_variants(&self, id: &ShapeId, members: &[Member]) -> Result<Vec<IntEnumVariant>, IrError> {
        let mut variants = Vec::new();
        for member in members {
            let Some(EnumValue::Int(value)) = member.traits.enum_value else {
                let at = match member.traits.enum_value {
                    Some(_) => format!("{}.traits.\"smithy.api#enumValue\"", member.json_path),
                    None => format!("{}.traits", member.json_path),
                };
                return Err(
                    self.error(at, format!("intEnum `{id}` member `{}` needs an integer @enumValue", member.name))
                );
            };
            let mut name = naming::pascal(&member.name);
            if name == "Unknown" {
                name = "UnknownValue".to_string();
            }
            variants.push(IntEnumVariant {
                name,
                value,
                docs: member.traits.documentation.clone(),
                deprecated: member.traits.deprecated.clone(),
            });
        }
        let mut names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
        naming::dedupe_pascal(&mut names);
        for (variant, name) in variants.iter_mut().zip(names) {
            variant.name = name;
        }
        Ok(variants)
    }

    /// Direct containment edges: a structure or union member whose value is stored inline
    /// (not behind a list or map, which already live on the heap).
    fn direct_edges(&self, named: &[&ShapeId]) -> BTreeMap<ShapeId, Vec<(String, ShapeId, bool)>> {
        let mut edges = BTreeMap::new();
        for id in named {
            let shape = self.shape(id);
            let (members, is_union) = match &shape.kind {
                ShapeKind::Structure { members } => (members, false),
                ShapeKind::Union { members } => (members, true),
                _ => continue,
            };
            let mut out = Vec::new();
            for member in members {
                if matches!(self.shape(&member.target).kind, ShapeKind::Structure { .. } | ShapeKind::Union { .. }) {
                    let mandatory = !is_union && member.traits.required && !member.traits.client_optional;
                    out.push((member.name.clone(), member.target.clone(), mandatory));
                }
            }
            edges.insert((*id).clone(), out);
        }
        edges
    }

    /// Members that close a cycle of inline values; boxing them gives the types a finite size.
    fn recursive_edges(&self, named: &[&ShapeId]) -> BTreeSet<(ShapeId, String)> {
        let edges = self.direct_edges(named);
        let mut boxed = BTreeSet::new();
        for (from, out) in &edges {
            for (member, to, _) in out {
                if reaches(&edges, to, from, false) {
                    boxed.insert((from.clone(), member.clone()));
                }
            }
        }
        boxed
    }

    /// A cycle through required structure members has no finite value at all: no boxing helps.
    fn check_required_cycles(&self, named: &[&ShapeId]) -> Result<(), IrError> {
        let edges = self.direct_edges(named);
        for (from, out) in &edges {
            for (member, to, mandatory) in out {
                if *mandatory && reaches(&edges, to, from, true) {
                    return Err(self.error(
                        format!("{}.members.{}", Self::shape_path(from), member),
                        format!(
                            "`{from}` contains itself through required members (via `{member}`), so no value of it can exist; make a member of the cycle optional"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// How the service's endpoint is found: its rule set when the evaluator can run it, else the pattern.
fn endpoint_resolution(service: &Shape) -> EndpointResolution {
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
        tests: service
            .traits
            .endpoint_tests
            .iter()
            .flatten()
            .map(|case| {
                let tables = crate::rules::checked_in_tables();
                let partitions =
                    crate::rules::check_case(rules, tables, &crate::rules::case_params(case), &case.expect)
                        .unwrap_or(CaseTable::Published);
                EndpointTest { case: case.clone(), partitions }
            })
            .collect(),
        client_params: {
            let mut params = service.traits.client_context_params.clone();
            params.sort_by(|a, b| a.name.cmp(&b.name));
            params
        },
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

/// Whether `goal` is reachable from `start` over direct edges (only mandatory ones when asked).
fn reaches(
    edges: &BTreeMap<ShapeId, Vec<(String, ShapeId, bool)>>,
    start: &ShapeId,
    goal: &ShapeId,
    mandatory_only: bool,
) -> bool {
    let mut seen = BTreeSet::new();
    let mut pending = vec![start];
    while let Some(id) = pending.pop() {
        if id == goal {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        if let Some(out) = edges.get(id) {
            pending.extend(out.iter().filter(|(_, _, m)| *m || !mandatory_only).map(|(_, to, _)| to));
        }
    }
    false
}

/// The client-side protocol test cases of the model for `service`'s protocol: request and response
/// cases of each operation, then the response cases of each error structure, made through the first
/// operation (by name) that may return it.
fn protocol_tests(model: &Model, service: &Service) -> Vec<ProtocolTest> {
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

    /// The awsJson content type.
    pub fn content_type(&self) -> &'static str {
        match self.protocol {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// The bytes of a `@default` blob value, which the model writes in standard base64 (padding
/// optional); `None` when it is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.as_bytes().chunks(4) {
        let mut group = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            group |= digit(c)? << (18 - 6 * i);
        }
        let bytes = group.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Seconds since the epoch of an RFC 3339 date-time (`1985-04-12T23:20:50.52Z`, or with an offset),
/// the string form Smithy allows for a timestamp `@default`.
fn parse_date_time(text: &str) -> Option<f64> {
    let number = |part: &str| -> Option<i64> {
        (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok()).flatten()
    };
    let (date, time) = text.split_once(['T', 't'])?;
    let mut date_parts = date.splitn(3, '-');
    let (year, month, day) = (number(date_parts.next()?)?, number(date_parts.next()?)?, number(date_parts.next()?)?);
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (hours, minutes) = time[at + 1..].split_once(':')?;
        let minutes = number(hours)? * 60 + number(minutes)?;
        (&time[..at], if &time[at..at + 1] == "-" { -minutes } else { minutes })
    };
    let (clock, fraction) = match clock.split_once('.') {
        Some((clock, digits)) => (clock, format!("0.{digits}").parse::<f64>().ok()?),
        None => (clock, 0.0),
    };
    let mut clock_parts = clock.splitn(3, ':');
    let (hour, minute, second) =
        (number(clock_parts.next()?)?, number(clock_parts.next()?)?, number(clock_parts.next()?)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from the civil date (proleptic Gregorian), counting from 1970-01-01.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60;
    Some(seconds as f64 + fraction)
}

/// Model documentation (HTML) as rustdoc Markdown, converted once here for every emitter; `None` when
/// there is none or it has no text.
fn markdown(html: Option<&str>) -> Option<String> {
    html.map(crate::docs::html_to_markdown).filter(|text| !text.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_slice;
    use crate::rules::endpoint::{Params, RuleSet};
    use crate::rules::partitions::Partitions;

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
        assert!(
            warning.message.contains("endpoint rules are not used") && warning.message.contains("split"),
            "{warning}"
        );

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
        let message = |shape: &str| {
            format!("pattern `{HUGE}` of `{shape}` is not enforced (the service still checks it): {reason}")
        };
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
            lower_text(&model_text("", r#""smithy.api#endpoint":{"hostPrefix":"{AccountId}.data-"}"#, members))
                .unwrap();
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
        assert_eq!(
            presences(&service, "Out")[0],
            ("topDefault", &Presence::Default(DefaultValue::String("hi".into())))
        );
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
            let model = model_text("", "", &members).replace(
                r#""ex#In":"#,
                r#""ex#List":{"type":"list","member":{"target":"smithy.api#String"}},"ex#In":"#,
            );
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
}
