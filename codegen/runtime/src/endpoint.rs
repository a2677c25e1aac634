//! Endpoint resolution from the service's own Smithy endpoint rules (`smithy.rules#endpointRuleSet`):
//! the rule set is parsed once into typed rules, then evaluated with the client's parameters (region,
//! FIPS, dual-stack, a custom endpoint, ...) to the URL, headers and properties of the endpoint, or to
//! the rule set's own error message.
//!
//! The rule set stays data: the generator embeds the model's JSON in the crate and this one small
//! evaluator interprets it, rather than compiling every rule set to Rust. What AWS publishes as data
//! is read as data; one evaluator, checked against the `smithy.rules#endpointTests` cases of every
//! model, serves every service; and a generated crate gains no code per rule and no dependency beyond
//! `serde_json`, which it has anyway. The cost is interpretation, which does not matter: a client
//! resolves its endpoint once, when it is built, not once per call.
//!
//! Parsing checks what can be checked before any parameter is known, so a rule set that parses
//! cannot fail for structural reasons later: every function is known and has the right number and
//! types of arguments, every reference (in `{"ref": ...}` and in `{Name#path}` templates) names a
//! parameter or a variable assigned earlier on the way to it, `getAttr` paths are valid for the value
//! they read, and templates only hold strings. Errors name the JSON path inside the rule set.
//! Evaluation never panics: a value that is missing where the rules need one is an error.
//!
//! Supported: parameters of type string, boolean and string array with built-ins, defaults and
//! `required`; conditions with `assign`; endpoint, error and tree rules; templates; and the functions
//! `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`, `substring`, `uriEncode`, `parseURL`,
//! `isValidHostLabel`, `coalesce`, `aws.partition`, `aws.parseArn` and `aws.isVirtualHostableS3Bucket`.
//! A rule set using any other function is refused with [`RuleSetError::unsupported`] set.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde_json::{Map, Value as Json};

use super::endpoint_functions as functions;
use super::partitions::{OutputValue, Partitions};

/// The built-in parameter sources the AWS SDKs fill from their configuration.
pub mod built_in {
    /// An explicit endpoint URL (configuration, `--endpoint-url`, `AWS_ENDPOINT_URL...`).
    pub const ENDPOINT: &str = "SDK::Endpoint";
    /// The configured region.
    pub const REGION: &str = "AWS::Region";
    /// Whether FIPS endpoints are wanted.
    pub const USE_FIPS: &str = "AWS::UseFIPS";
    /// Whether dual-stack (IPv4 and IPv6) endpoints are wanted.
    pub const USE_DUAL_STACK: &str = "AWS::UseDualStack";
    /// The account ID of the credentials, for account-based endpoints.
    pub const ACCOUNT_ID: &str = "AWS::Auth::AccountId";
    /// Whether account-based endpoints are `preferred`, `required` or `disabled`.
    pub const ACCOUNT_ID_ENDPOINT_MODE: &str = "AWS::Auth::AccountIdEndpointMode";
}

/// The type of an endpoint parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamType::String => "a string",
            ParamType::Boolean => "a boolean",
            ParamType::StringArray => "a list of strings",
        })
    }
}

/// A parameter value given to [`RuleSet::resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// The type of this value.
    pub fn param_type(&self) -> ParamType {
        match self {
            ParamValue::String(_) => ParamType::String,
            ParamValue::Bool(_) => ParamType::Boolean,
            ParamValue::StringArray(_) => ParamType::StringArray,
        }
    }

    fn to_value(&self) -> Value {
        match self {
            ParamValue::String(s) => Value::String(s.clone()),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
        }
    }
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::String(value.to_string())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        ParamValue::String(value)
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        ParamValue::Bool(value)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(value: Vec<String>) -> Self {
        ParamValue::StringArray(value)
    }
}

/// One parameter the rule set declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// Its name (`Region`, `UseFIPS`).
    pub name: String,
    /// Its type.
    pub param_type: ParamType,
    /// The built-in that supplies it (`AWS::Region`), if any; see [`built_in`].
    pub built_in: Option<String>,
    /// Whether resolution fails when it has no value (after the default).
    pub required: bool,
    /// The value it takes when nothing sets it.
    pub default: Option<ParamValue>,
    /// Whether the rule set marks it deprecated.
    pub deprecated: bool,
}

/// The values to resolve with: parameters by name, and built-ins by their source name.
///
/// A parameter takes its value by name first, then from its built-in, then from its default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    by_name: BTreeMap<String, ParamValue>,
    built_ins: BTreeMap<String, ParamValue>,
}

impl Params {
    /// No values at all.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets the parameter `name`.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> &mut Self {
        self.by_name.insert(name.into(), value.into());
        self
    }

    /// Sets the built-in `source` (one of [`built_in`]), for whichever parameter it feeds.
    pub fn set_built_in(&mut self, source: impl Into<String>, value: impl Into<ParamValue>) -> &mut Self {
        self.built_ins.insert(source.into(), value.into());
        self
    }
}

/// A rule set that is not well formed, or uses something this evaluator does not support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetError {
    /// The JSON path inside the rule set (`rules[1].conditions[0].fn`); empty for the whole document.
    pub path: String,
    /// What is wrong there.
    pub message: String,
    /// Set when the rule set may be valid but needs a function this evaluator does not have.
    pub unsupported: bool,
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "endpoint rule set: {}", self.message)
        } else {
            write!(f, "endpoint rule set: at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for RuleSetError {}

/// Why no endpoint came out of the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// An error rule matched; this is its message (`Invalid Configuration: FIPS and custom endpoint
    /// are not supported`).
    Rule(String),
    /// A required parameter has no value.
    MissingParameter(String),
    /// A value was given for a parameter the rule set does not declare.
    UnknownParameter(String),
    /// A parameter was given a value of the wrong type.
    ParameterType {
        /// The parameter.
        name: String,
        /// The type it declares.
        expected: ParamType,
    },
    /// Every rule was tried and none matched (the rule set has no fallback for these values).
    NoRuleMatched,
    /// The rules needed a value that was not there, or of another kind.
    Invalid(String),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Rule(message) | ResolveError::Invalid(message) => f.write_str(message),
            ResolveError::MissingParameter(name) => {
                write!(f, "the endpoint parameter `{name}` is required but not set")
            }
            ResolveError::UnknownParameter(name) => write!(f, "the endpoint rules have no parameter `{name}`"),
            ResolveError::ParameterType { name, expected } => {
                write!(f, "the endpoint parameter `{name}` must be {expected}")
            }
            ResolveError::NoRuleMatched => f.write_str("no endpoint rule matched the configuration"),
        }
    }
}

impl std::error::Error for ResolveError {}

/// A resolved endpoint: where to send requests, extra headers, and properties such as `authSchemes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    url: String,
    headers: BTreeMap<String, Vec<String>>,
    properties: Map<String, Json>,
}

/// How the resolved endpoint wants SigV4 requests signed (its `sigv4` entry of `authSchemes`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sigv4Scheme {
    /// The signing name, when it differs from the service's default.
    pub signing_name: Option<String>,
    /// The signing region, when it differs from the configured region.
    pub signing_region: Option<String>,
    /// Whether the canonical path must not be encoded a second time.
    pub disable_double_encoding: bool,
}

impl Endpoint {
    /// The endpoint URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers to send with every request, by name.
    pub fn headers(&self) -> &BTreeMap<String, Vec<String>> {
        &self.headers
    }

    /// The endpoint's properties, as the rules wrote them.
    pub fn properties(&self) -> &Map<String, Json> {
        &self.properties
    }

    /// The names of the `authSchemes` property's entries, when the endpoint has that property.
    pub fn auth_scheme_names(&self) -> Option<Vec<&str>> {
        let schemes = self.properties.get("authSchemes")?.as_array()?;
        Some(schemes.iter().map(|s| s.get("name").and_then(Json::as_str).unwrap_or("(unnamed)")).collect())
    }

    /// The `sigv4` entry of the `authSchemes` property, if there is one.
    pub fn sigv4_scheme(&self) -> Option<Sigv4Scheme> {
        let schemes = self.properties.get("authSchemes")?.as_array()?;
        let scheme = schemes.iter().find(|s| s.get("name").and_then(Json::as_str) == Some("sigv4"))?;
        let text = |key: &str| scheme.get(key).and_then(Json::as_str).map(str::to_string);
        Some(Sigv4Scheme {
            signing_name: text("signingName"),
            signing_region: text("signingRegion"),
            disable_double_encoding: scheme.get("disableDoubleEncoding").and_then(Json::as_bool).unwrap_or(false),
        })
    }
}

/// A parsed rule set, ready to resolve endpoints.
#[derive(Debug, Clone)]
pub struct RuleSet {
    parameters: Vec<Parameter>,
    rules: Vec<Rule>,
    /// How many value slots evaluation needs: one per parameter, then one per `assign`.
    slot_count: usize,
}

impl RuleSet {
    /// Parses a rule set from its JSON text.
    pub fn parse(json: &str) -> Result<RuleSet, RuleSetError> {
        let document = super::json::from_slice(json.as_bytes()).map_err(|e| RuleSetError {
            path: String::new(),
            message: e.to_string(),
            unsupported: false,
        })?;
        RuleSet::from_json(&document)
    }

    /// Parses a rule set from its JSON document (the value of the `smithy.rules#endpointRuleSet` trait).
    pub fn from_json(document: &Json) -> Result<RuleSet, RuleSetError> {
        Parser::default().rule_set(document)
    }

    /// The parameters the rule set declares: in the rule set's order when serde_json keeps object order
    /// (its `preserve_order` feature), else by name.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// Evaluates the rules with `params`, looking regions up in `partitions`.
    pub fn resolve(&self, params: &Params, partitions: &Partitions) -> Result<Endpoint, ResolveError> {
        for name in params.by_name.keys() {
            if !self.parameters.iter().any(|p| &p.name == name) {
                return Err(ResolveError::UnknownParameter(name.clone()));
            }
        }
        let mut slots: Vec<Option<Value>> = vec![None; self.slot_count];
        for (slot, parameter) in slots.iter_mut().zip(&self.parameters) {
            let given = params
                .by_name
                .get(&parameter.name)
                .or_else(|| parameter.built_in.as_ref().and_then(|source| params.built_ins.get(source)))
                .or(parameter.default.as_ref());
            match given {
                Some(value) if value.param_type() != parameter.param_type => {
                    return Err(ResolveError::ParameterType {
                        name: parameter.name.clone(),
                        expected: parameter.param_type,
                    })
                }
                Some(value) => *slot = Some(value.to_value()),
                None if parameter.required => return Err(ResolveError::MissingParameter(parameter.name.clone())),
                None => {}
            }
        }
        let mut evaluation = Evaluation { slots, partitions };
        match evaluation.rules(&self.rules)? {
            Some(endpoint) => Ok(endpoint),
            None => Err(ResolveError::NoRuleMatched),
        }
    }
}

/// A rule set and partition table embedded in the crate as JSON text, parsed on first use and then
/// shared by every client of the process.
///
/// The generator checked the rule set with this same parser, so parsing cannot fail on the embedded
/// copy; should it fail anyway, every resolution reports why instead of panicking.
#[derive(Debug)]
pub struct EmbeddedRules {
    rules_json: &'static str,
    partitions_json: &'static str,
    parsed: OnceLock<Result<(RuleSet, Partitions), String>>,
}

impl EmbeddedRules {
    /// Rules and partitions from their JSON text (usually `include_str!` of the crate's data files).
    pub const fn new(rules_json: &'static str, partitions_json: &'static str) -> Self {
        EmbeddedRules { rules_json, partitions_json, parsed: OnceLock::new() }
    }

    /// The parsed rule set and partition table.
    pub fn get(&self) -> Result<(&RuleSet, &Partitions), ResolveError> {
        let parsed = self.parsed.get_or_init(|| {
            let rules = RuleSet::parse(self.rules_json).map_err(|e| e.to_string())?;
            let partitions = Partitions::parse(self.partitions_json).map_err(|e| e.to_string())?;
            Ok((rules, partitions))
        });
        match parsed {
            Ok((rules, partitions)) => Ok((rules, partitions)),
            Err(message) => Err(ResolveError::Invalid(format!("the embedded endpoint rules are broken: {message}"))),
        }
    }

    /// Resolves the endpoint for `params`.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, ResolveError> {
        let (rules, partitions) = self.get()?;
        rules.resolve(params, partitions)
    }
}

// The typed form of a rule set. Names are resolved to slots at parse time; each keeps its name for
// error messages.

#[derive(Debug, Clone)]
struct Rule {
    conditions: Vec<Condition>,
    outcome: Outcome,
}

#[derive(Debug, Clone)]
enum Outcome {
    Endpoint(EndpointTemplate),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone)]
struct Condition {
    call: Expr,
    /// The slot the result is assigned to.
    assign: Option<usize>,
}

#[derive(Debug, Clone)]
struct EndpointTemplate {
    url: Expr,
    headers: Vec<(String, Vec<Expr>)>,
    properties: Vec<(String, Property)>,
}

/// A property value: literal JSON whose strings are templates.
#[derive(Debug, Clone)]
enum Property {
    Template(Template),
    Literal(Json),
    Array(Vec<Property>),
    Object(Vec<(String, Property)>),
}

#[derive(Debug, Clone)]
enum Expr {
    Template(Template),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Ref(Reference),
    Call(Function, Vec<Expr>),
    /// `getAttr`, whose path is a literal.
    GetAttr(Box<Expr>, AttrPath),
}

#[derive(Debug, Clone)]
struct Reference {
    name: String,
    slot: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Coalesce,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    fn by_name(name: &str) -> Option<Function> {
        Some(match name {
            "isSet" => Function::IsSet,
            "not" => Function::Not,
            "booleanEquals" => Function::BooleanEquals,
            "stringEquals" => Function::StringEquals,
            "substring" => Function::Substring,
            "uriEncode" => Function::UriEncode,
            "parseURL" => Function::ParseUrl,
            "isValidHostLabel" => Function::IsValidHostLabel,
            "coalesce" => Function::Coalesce,
            "aws.partition" => Function::Partition,
            "aws.parseArn" => Function::ParseArn,
            "aws.isVirtualHostableS3Bucket" => Function::IsVirtualHostableS3Bucket,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::ParseUrl => "parseURL",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::Coalesce => "coalesce",
            Function::Partition => "aws.partition",
            Function::ParseArn => "aws.parseArn",
            Function::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }

    /// Argument types and the result type; `None` for `isSet` and `coalesce`, checked on their own.
    fn signature(self) -> Option<(&'static [Type], Type)> {
        use Type::*;
        Some(match self {
            Function::IsSet | Function::Coalesce => return None,
            Function::Not => (&[Bool], Bool),
            Function::BooleanEquals => (&[Bool, Bool], Bool),
            Function::StringEquals => (&[String, String], Bool),
            Function::Substring => (&[String, Int, Int, Bool], String),
            Function::UriEncode => (&[String], String),
            Function::ParseUrl => (&[String], Url),
            Function::IsValidHostLabel | Function::IsVirtualHostableS3Bucket => (&[String, Bool], Bool),
            Function::Partition => (&[String], Partition),
            Function::ParseArn => (&[String], Arn),
        })
    }
}

/// A string with `{Name}` and `{Name#path}` holes.
#[derive(Debug, Clone)]
struct Template {
    parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone)]
enum TemplatePart {
    Literal(String),
    Value(Reference, AttrPath),
}

/// A `getAttr` path: keys and array indexes (`resourceId[1]`, `a.b`).
#[derive(Debug, Clone, Default)]
struct AttrPath {
    parts: Vec<PathPart>,
}

#[derive(Debug, Clone)]
enum PathPart {
    Key(String),
    Index(usize),
}

impl AttrPath {
    fn parse(text: &str) -> Result<AttrPath, String> {
        let mut parts = Vec::new();
        for segment in text.split('.') {
            let (key, index) = match segment.split_once('[') {
                Some((key, rest)) => {
                    let digits = rest.strip_suffix(']').ok_or_else(|| format!("`{segment}` has an unclosed index"))?;
                    let index = digits.parse::<usize>().map_err(|_| format!("`{digits}` is not an array index"))?;
                    (key, Some(index))
                }
                None => (segment, None),
            };
            if key.is_empty() && index.is_none() {
                return Err(format!("the path `{text}` has an empty part"));
            }
            if !key.is_empty() {
                parts.push(PathPart::Key(key.to_string()));
            }
            parts.extend(index.map(PathPart::Index));
        }
        Ok(AttrPath { parts })
    }
}

/// The static types the parser tracks, so type errors surface when the rule set is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    String,
    Bool,
    Int,
    StringArray,
    Array,
    Partition,
    Url,
    Arn,
    /// Not known before evaluation (an unknown partition output).
    Any,
}

impl Type {
    fn accepts(self, actual: Type) -> bool {
        self == actual
            || self == Type::Any
            || actual == Type::Any
            || (self == Type::Array && actual == Type::StringArray)
    }

    fn describe(self) -> &'static str {
        match self {
            Type::String => "a string",
            Type::Bool => "a boolean",
            Type::Int => "an integer",
            Type::StringArray => "a list of strings",
            Type::Array => "a list",
            Type::Partition => "a partition",
            Type::Url => "a parsed URL",
            Type::Arn => "a parsed ARN",
            Type::Any => "a value",
        }
    }

    /// The type at `path` inside a value of this type.
    fn at(self, path: &AttrPath) -> Result<Type, String> {
        let mut ty = self;
        for part in &path.parts {
            ty = match (ty, part) {
                (Type::Any, _) => Type::Any,
                (Type::StringArray, PathPart::Index(_)) => Type::String,
                (Type::Array, PathPart::Index(_)) => Type::Any,
                (Type::Partition, PathPart::Key(key)) => match key.as_str() {
                    "name" | "dnsSuffix" | "dualStackDnsSuffix" | "implicitGlobalRegion" => Type::String,
                    "supportsFIPS" | "supportsDualStack" => Type::Bool,
                    // The table may gain outputs; an unknown one is read as whatever it holds.
                    _ => Type::Any,
                },
                (Type::Url, PathPart::Key(key)) => match key.as_str() {
                    "scheme" | "authority" | "path" | "normalizedPath" => Type::String,
                    "isIp" => Type::Bool,
                    _ => return Err(format!("a parsed URL has no attribute `{key}`")),
                },
                (Type::Arn, PathPart::Key(key)) => match key.as_str() {
                    "partition" | "service" | "region" | "accountId" => Type::String,
                    "resourceId" => Type::StringArray,
                    _ => return Err(format!("a parsed ARN has no attribute `{key}`")),
                },
                (other, PathPart::Key(key)) => return Err(format!("{} has no attribute `{key}`", other.describe())),
                (other, PathPart::Index(i)) => return Err(format!("{} has no element [{i}]", other.describe())),
            };
        }
        Ok(ty)
    }
}

/// Where the parser is in the rule set, rendered only when an error needs it.
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn render(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(parent, key) => {
                let mut path = parent.render();
                if !path.is_empty() {
                    path.push('.');
                }
                if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    path.push_str(key);
                } else {
                    path.push_str(&format!("{key:?}"));
                }
                path
            }
            At::Index(parent, index) => format!("{}[{index}]", parent.render()),
        }
    }
}

/// One named value the rules can refer to: a parameter or an assigned variable.
#[derive(Debug)]
struct SlotInfo {
    name: String,
    ty: Type,
}

#[derive(Default)]
struct Parser {
    /// Every slot, by index.
    slots: Vec<SlotInfo>,
    /// The slots visible at the current point, innermost last.
    visible: Vec<usize>,
}

type Parsed<T> = Result<T, RuleSetError>;

fn fail<T>(at: &At<'_>, message: impl Into<String>) -> Parsed<T> {
    Err(RuleSetError { path: at.render(), message: message.into(), unsupported: false })
}

fn kind_of(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn object<'v>(value: &'v Json, at: &At<'_>) -> Parsed<&'v Map<String, Json>> {
    value.as_object().map_or_else(|| fail(at, format!("expected an object, found {}", kind_of(value))), Ok)
}

fn array<'v>(value: &'v Json, at: &At<'_>) -> Parsed<&'v [Json]> {
    value
        .as_array()
        .map_or_else(|| fail(at, format!("expected an array, found {}", kind_of(value))), |a| Ok(a.as_slice()))
}

fn required<'v>(body: &'v Map<String, Json>, key: &str, at: &At<'_>) -> Parsed<&'v Json> {
    body.get(key).map_or_else(|| fail(at, format!("missing required key `{key}`")), Ok)
}

/// Names of parameters and variables: what templates can refer to unambiguously.
fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic()) && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Parser {
    fn rule_set(mut self, document: &Json) -> Parsed<RuleSet> {
        let root = At::Root;
        let body = object(document, &root)?;
        if let Some(version) = body.get("version") {
            if !version.is_string() {
                return fail(&At::Key(&root, "version"), format!("expected a string, found {}", kind_of(version)));
            }
        }
        let parameters_at = At::Key(&root, "parameters");
        let mut parameters = Vec::new();
        for (name, value) in object(required(body, "parameters", &root)?, &parameters_at)? {
            let parameter = Parser::parameter(name, value, &At::Key(&parameters_at, name))?;
            let ty = match parameter.param_type {
                ParamType::String => Type::String,
                ParamType::Boolean => Type::Bool,
                ParamType::StringArray => Type::StringArray,
            };
            self.slots.push(SlotInfo { name: name.clone(), ty });
            self.visible.push(self.slots.len() - 1);
            parameters.push(parameter);
        }
        let rules_at = At::Key(&root, "rules");
        let rules = self.rules(required(body, "rules", &root)?, &rules_at)?;
        Ok(RuleSet { parameters, rules, slot_count: self.slots.len() })
    }

    fn parameter(name: &str, value: &Json, at: &At<'_>) -> Parsed<Parameter> {
        if !is_identifier(name) {
            return fail(at, format!("`{name}` is not a valid parameter name (a letter, then letters, digits or `_`)"));
        }
        let body = object(value, at)?;
        let type_at = At::Key(at, "type");
        let param_type = match required(body, "type", at)?.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("string") => ParamType::String,
            Some("boolean") => ParamType::Boolean,
            Some("stringarray") => ParamType::StringArray,
            _ => return fail(&type_at, "expected \"string\", \"boolean\" or \"stringArray\""),
        };
        let built_in = match body.get("builtIn") {
            None => None,
            Some(Json::String(source)) => Some(source.clone()),
            Some(other) => {
                return fail(&At::Key(at, "builtIn"), format!("expected a string, found {}", kind_of(other)))
            }
        };
        let required = match body.get("required") {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                return fail(&At::Key(at, "required"), format!("expected a boolean, found {}", kind_of(other)))
            }
        };
        let default_at = At::Key(at, "default");
        let default = match (body.get("default"), param_type) {
            (None, _) => None,
            (Some(Json::String(s)), ParamType::String) => Some(ParamValue::String(s.clone())),
            (Some(Json::Bool(b)), ParamType::Boolean) => Some(ParamValue::Bool(*b)),
            (Some(Json::Array(items)), ParamType::StringArray) => {
                let strings: Option<Vec<String>> = items.iter().map(|i| i.as_str().map(str::to_string)).collect();
                match strings {
                    Some(strings) => Some(ParamValue::StringArray(strings)),
                    None => return fail(&default_at, "expected a list of strings"),
                }
            }
            (Some(other), ty) => {
                return fail(
                    &default_at,
                    format!("the default must be {ty}, like the parameter, not {}", kind_of(other)),
                )
            }
        };
        Ok(Parameter {
            name: name.to_string(),
            param_type,
            built_in,
            required,
            default,
            deprecated: body.contains_key("deprecated"),
        })
    }

    fn rules(&mut self, value: &Json, at: &At<'_>) -> Parsed<Vec<Rule>> {
        let items = array(value, at)?;
        if items.is_empty() {
            return fail(at, "expected at least one rule");
        }
        items.iter().enumerate().map(|(i, rule)| self.rule(rule, &At::Index(at, i))).collect()
    }

    fn rule(&mut self, value: &Json, at: &At<'_>) -> Parsed<Rule> {
        let body = object(value, at)?;
        let scope = self.visible.len();
        let mut conditions = Vec::new();
        if let Some(list) = body.get("conditions") {
            let list_at = At::Key(at, "conditions");
            for (i, condition) in array(list, &list_at)?.iter().enumerate() {
                conditions.push(self.condition(condition, &At::Index(&list_at, i))?);
            }
        }
        let type_at = At::Key(at, "type");
        let outcome = match required(body, "type", at)?.as_str() {
            Some("endpoint") => {
                let endpoint_at = At::Key(at, "endpoint");
                Outcome::Endpoint(self.endpoint(required(body, "endpoint", at)?, &endpoint_at)?)
            }
            Some("error") => {
                let error_at = At::Key(at, "error");
                let (message, ty) = self.expr(required(body, "error", at)?, &error_at)?;
                self.expect(ty, Type::String, &error_at, "the error message")?;
                Outcome::Error(message)
            }
            Some("tree") => Outcome::Tree(self.rules(required(body, "rules", at)?, &At::Key(at, "rules"))?),
            _ => return fail(&type_at, "expected \"endpoint\", \"error\" or \"tree\""),
        };
        // Variables assigned by this rule's conditions are visible only inside it.
        self.visible.truncate(scope);
        Ok(Rule { conditions, outcome })
    }

    fn condition(&mut self, value: &Json, at: &At<'_>) -> Parsed<Condition> {
        let body = object(value, at)?;
        if !body.contains_key("fn") {
            return fail(at, "missing required key `fn` (a condition is a function call)");
        }
        let (call, ty) = self.call(body, at)?;
        let assign = match body.get("assign") {
            None => None,
            Some(Json::String(name)) => {
                let assign_at = At::Key(at, "assign");
                if !is_identifier(name) {
                    return fail(&assign_at, format!("`{name}` is not a valid variable name"));
                }
                if self.lookup(name).is_some() {
                    return fail(&assign_at, format!("`{name}` is already defined here; variables cannot shadow"));
                }
                // `assign` binds the value that made the condition hold, never an empty one.
                self.slots.push(SlotInfo { name: name.clone(), ty });
                self.visible.push(self.slots.len() - 1);
                Some(self.slots.len() - 1)
            }
            Some(other) => return fail(&At::Key(at, "assign"), format!("expected a string, found {}", kind_of(other))),
        };
        Ok(Condition { call, assign })
    }

    fn endpoint(&mut self, value: &Json, at: &At<'_>) -> Parsed<EndpointTemplate> {
        let body = object(value, at)?;
        let url_at = At::Key(at, "url");
        let (url, ty) = self.expr(required(body, "url", at)?, &url_at)?;
        self.expect(ty, Type::String, &url_at, "the endpoint URL")?;
        let mut headers = Vec::new();
        if let Some(map) = body.get("headers") {
            let headers_at = At::Key(at, "headers");
            for (name, values) in object(map, &headers_at)? {
                let header_at = At::Key(&headers_at, name);
                let mut exprs = Vec::new();
                for (i, item) in array(values, &header_at)?.iter().enumerate() {
                    let item_at = At::Index(&header_at, i);
                    let (expr, ty) = self.expr(item, &item_at)?;
                    self.expect(ty, Type::String, &item_at, "a header value")?;
                    exprs.push(expr);
                }
                headers.push((name.clone(), exprs));
            }
        }
        let mut properties = Vec::new();
        if let Some(map) = body.get("properties") {
            let properties_at = At::Key(at, "properties");
            for (name, value) in object(map, &properties_at)? {
                properties.push((name.clone(), self.property(value, &At::Key(&properties_at, name))?));
            }
        }
        Ok(EndpointTemplate { url, headers, properties })
    }

    fn property(&mut self, value: &Json, at: &At<'_>) -> Parsed<Property> {
        Ok(match value {
            Json::String(text) => {
                let template = self.template(text, at)?;
                match template.parts.as_slice() {
                    [] => Property::Literal(Json::String(String::new())),
                    [TemplatePart::Literal(s)] => Property::Literal(Json::String(s.clone())),
                    _ => Property::Template(template),
                }
            }
            Json::Array(items) => Property::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.property(item, &At::Index(at, i)))
                    .collect::<Parsed<_>>()?,
            ),
            Json::Object(map) => Property::Object(
                map.iter()
                    .map(|(key, item)| Ok((key.clone(), self.property(item, &At::Key(at, key))?)))
                    .collect::<Parsed<_>>()?,
            ),
            literal => Property::Literal(literal.clone()),
        })
    }

    fn expr(&mut self, value: &Json, at: &At<'_>) -> Parsed<(Expr, Type)> {
        match value {
            Json::String(text) => Ok((Expr::Template(self.template(text, at)?), Type::String)),
            Json::Bool(b) => Ok((Expr::Bool(*b), Type::Bool)),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Ok((Expr::Int(i), Type::Int)),
                None => fail(at, format!("`{n}` is not an integer")),
            },
            Json::Array(items) => {
                let mut exprs = Vec::with_capacity(items.len());
                let mut all_strings = true;
                for (i, item) in items.iter().enumerate() {
                    let (expr, ty) = self.expr(item, &At::Index(at, i))?;
                    all_strings &= ty == Type::String;
                    exprs.push(expr);
                }
                Ok((Expr::Array(exprs), if all_strings { Type::StringArray } else { Type::Array }))
            }
            Json::Object(body) if body.contains_key("fn") => self.call(body, at),
            Json::Object(body) if body.contains_key("ref") => {
                let ref_at = At::Key(at, "ref");
                let Some(name) = body.get("ref").and_then(Json::as_str) else {
                    return fail(&ref_at, "expected a string");
                };
                let (reference, ty) = self.reference(name, &ref_at)?;
                Ok((Expr::Ref(reference), ty))
            }
            other => fail(
                at,
                format!(
                    "expected a string, boolean, integer, array, reference or function call, found {}",
                    kind_of(other)
                ),
            ),
        }
    }

    fn call(&mut self, body: &Map<String, Json>, at: &At<'_>) -> Parsed<(Expr, Type)> {
        let fn_at = At::Key(at, "fn");
        let Some(name) = body.get("fn").and_then(Json::as_str) else { return fail(&fn_at, "expected a function name") };
        let argv_at = At::Key(at, "argv");
        let argv = array(required(body, "argv", at)?, &argv_at)?;
        if name == "getAttr" {
            let [target, path] = argv else { return fail(&argv_at, "`getAttr` takes 2 arguments: a value and a path") };
            let (target, ty) = self.expr(target, &At::Index(&argv_at, 0))?;
            let path_at = At::Index(&argv_at, 1);
            let Some(text) = path.as_str() else {
                return fail(&path_at, "the path of `getAttr` must be a literal string");
            };
            let path = AttrPath::parse(text).or_else(|message| fail(&path_at, message))?;
            let result = ty.at(&path).or_else(|message| fail(&path_at, message))?;
            return Ok((Expr::GetAttr(Box::new(target), path), result));
        }
        let Some(function) = Function::by_name(name) else {
            return Err(RuleSetError {
                path: fn_at.render(),
                message: format!("the function `{name}` is not supported"),
                unsupported: true,
            });
        };
        let mut args = Vec::with_capacity(argv.len());
        let mut types = Vec::with_capacity(argv.len());
        for (i, arg) in argv.iter().enumerate() {
            let (expr, ty) = self.expr(arg, &At::Index(&argv_at, i))?;
            args.push(expr);
            types.push(ty);
        }
        let result = match function.signature() {
            Some((expected, result)) => {
                if expected.len() != args.len() {
                    let count = expected.len();
                    let plural = if count == 1 { "" } else { "s" };
                    return fail(&argv_at, format!("`{name}` takes {count} argument{plural}, not {}", args.len()));
                }
                for (i, (&wanted, &actual)) in expected.iter().zip(&types).enumerate() {
                    let what = format!("argument {} of `{name}`", i + 1);
                    self.expect(actual, wanted, &At::Index(&argv_at, i), &what)?;
                }
                result
            }
            None if function == Function::IsSet => {
                if args.len() != 1 {
                    return fail(&argv_at, format!("`isSet` takes 1 argument, not {}", args.len()));
                }
                Type::Bool
            }
            None => {
                if args.len() < 2 {
                    return fail(&argv_at, "`coalesce` takes at least 2 arguments");
                }
                let first = types.iter().copied().find(|&t| t != Type::Any).unwrap_or(Type::Any);
                for (i, &ty) in types.iter().enumerate() {
                    self.expect(ty, first, &At::Index(&argv_at, i), "every argument of `coalesce`")?;
                }
                first
            }
        };
        Ok((Expr::Call(function, args), result))
    }

    fn expect(&self, actual: Type, wanted: Type, at: &At<'_>, what: &str) -> Parsed<()> {
        if wanted.accepts(actual) {
            Ok(())
        } else {
            fail(at, format!("{what} must be {}, but this is {}", wanted.describe(), actual.describe()))
        }
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        self.visible.iter().rev().copied().find(|&slot| self.slots[slot].name == name)
    }

    fn reference(&self, name: &str, at: &At<'_>) -> Parsed<(Reference, Type)> {
        match self.lookup(name) {
            Some(slot) => Ok((Reference { name: name.to_string(), slot }, self.slots[slot].ty)),
            None => fail(at, format!("`{name}` is not a parameter or a variable assigned before this point")),
        }
    }

    /// Parses `{Name}`, `{Name#path}` and the `{{`/`}}` escapes.
    fn template(&self, text: &str, at: &At<'_>) -> Parsed<Template> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            literal.push_str(&rest[..i]);
            let brace = &rest[i..];
            if let Some(after) = brace.strip_prefix("{{").or_else(|| brace.strip_prefix("}}")) {
                literal.push_str(&brace[..1]);
                rest = after;
            } else if let Some(after) = brace.strip_prefix('}') {
                literal.push('}');
                rest = after;
            } else {
                let Some(end) = brace.find('}') else {
                    return fail(at, format!("the template `{text}` has an unclosed `{{`"));
                };
                let inner = &brace[1..end];
                let (name, path) = match inner.split_once('#') {
                    Some((name, path)) => (name, AttrPath::parse(path).or_else(|message| fail(at, message))?),
                    None => (inner, AttrPath::default()),
                };
                let (reference, ty) = self.reference(name, at)?;
                let ty = ty.at(&path).or_else(|message| fail(at, message))?;
                self.expect(ty, Type::String, at, &format!("`{{{inner}}}` in a template"))?;
                if !literal.is_empty() {
                    parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(TemplatePart::Value(reference, path));
                rest = &brace[end + 1..];
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(literal));
        }
        Ok(Template { parts })
    }
}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    fn attr(&self, path: &AttrPath) -> Option<&Value> {
        let mut value = self;
        for part in &path.parts {
            value = match (value, part) {
                (Value::Object(map), PathPart::Key(key)) => map.get(key)?,
                (Value::Array(items), PathPart::Index(i)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(value)
    }

    fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
        Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

struct Evaluation<'a> {
    slots: Vec<Option<Value>>,
    partitions: &'a Partitions,
}

type Evaluated<T> = Result<T, ResolveError>;

impl Evaluation<'_> {
    /// The first rule that matches decides; `None` when none does.
    fn rules(&mut self, rules: &[Rule]) -> Evaluated<Option<Endpoint>> {
        for rule in rules {
            if let Some(endpoint) = self.rule(rule)? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    /// `Ok(None)` when a condition does not hold; a tree whose rules all fail is an error, because
    /// a matching tree is final.
    fn rule(&mut self, rule: &Rule) -> Evaluated<Option<Endpoint>> {
        for condition in &rule.conditions {
            match self.eval(&condition.call)? {
                None | Some(Value::Bool(false)) => return Ok(None),
                Some(value) => {
                    if let Some(slot) = condition.assign {
                        self.slots[slot] = Some(value);
                    }
                }
            }
        }
        match &rule.outcome {
            Outcome::Endpoint(endpoint) => self.endpoint(endpoint).map(Some),
            Outcome::Error(message) => Err(ResolveError::Rule(self.string(message, "the error message")?)),
            Outcome::Tree(rules) => match self.rules(rules)? {
                Some(endpoint) => Ok(Some(endpoint)),
                None => Err(ResolveError::NoRuleMatched),
            },
        }
    }

    fn endpoint(&mut self, endpoint: &EndpointTemplate) -> Evaluated<Endpoint> {
        let url = self.string(&endpoint.url, "the endpoint URL")?;
        let mut headers = BTreeMap::new();
        for (name, exprs) in &endpoint.headers {
            let values = exprs.iter().map(|e| self.string(e, "a header value")).collect::<Evaluated<Vec<_>>>()?;
            headers.insert(name.clone(), values);
        }
        let mut properties = Map::new();
        for (name, property) in &endpoint.properties {
            properties.insert(name.clone(), self.property(property)?);
        }
        Ok(Endpoint { url, headers, properties })
    }

    fn property(&mut self, property: &Property) -> Evaluated<Json> {
        Ok(match property {
            Property::Template(template) => Json::String(self.template(template)?),
            Property::Literal(value) => value.clone(),
            Property::Array(items) => Json::Array(items.iter().map(|p| self.property(p)).collect::<Evaluated<_>>()?),
            Property::Object(entries) => {
                let mut map = Map::new();
                for (key, p) in entries {
                    map.insert(key.clone(), self.property(p)?);
                }
                Json::Object(map)
            }
        })
    }

    fn string(&mut self, expr: &Expr, what: &str) -> Evaluated<String> {
        match self.eval(expr)? {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(ResolveError::Invalid(format!("{what} is not a string"))),
            None => Err(ResolveError::Invalid(format!("{what} has no value"))),
        }
    }

    fn template(&self, template: &Template) -> Evaluated<String> {
        let mut out = String::new();
        for part in &template.parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Value(reference, path) => {
                    match self.slots[reference.slot].as_ref().and_then(|v| v.attr(path)) {
                        Some(Value::String(s)) => out.push_str(s),
                        Some(_) => {
                            return Err(ResolveError::Invalid(format!(
                                "the template value `{}` is not a string",
                                reference.name
                            )))
                        }
                        None => {
                            return Err(ResolveError::Invalid(format!(
                                "the template value `{}` has no value",
                                reference.name
                            )))
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn eval(&mut self, expr: &Expr) -> Evaluated<Option<Value>> {
        Ok(match expr {
            Expr::Template(template) => Some(Value::String(self.template(template)?)),
            Expr::Bool(b) => Some(Value::Bool(*b)),
            Expr::Int(i) => Some(Value::Int(*i)),
            Expr::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.eval(item)?.ok_or_else(|| {
                        ResolveError::Invalid("a list in the endpoint rules holds a value that is not set".to_string())
                    })?);
                }
                Some(Value::Array(values))
            }
            Expr::Ref(reference) => self.slots[reference.slot].clone(),
            Expr::GetAttr(target, path) => self.eval(target)?.and_then(|value| value.attr(path).cloned()),
            Expr::Call(function, args) => self.call(*function, args)?,
        })
    }

    fn call(&mut self, function: Function, args: &[Expr]) -> Evaluated<Option<Value>> {
        match function {
            Function::IsSet => return Ok(Some(Value::Bool(self.eval(&args[0])?.is_some()))),
            Function::Coalesce => {
                for arg in args {
                    if let Some(value) = self.eval(arg)? {
                        return Ok(Some(value));
                    }
                }
                return Ok(None);
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            match self.eval(arg)? {
                Some(value) => values.push(value),
                None => {
                    return Err(ResolveError::Invalid(format!(
                        "argument {} of `{}` in the endpoint rules has no value",
                        i + 1,
                        function.name()
                    )))
                }
            }
        }
        let wrong =
            || ResolveError::Invalid(format!("`{}` was called with arguments of the wrong kind", function.name()));
        Ok(match (function, values.as_slice()) {
            (Function::Not, [Value::Bool(b)]) => Some(Value::Bool(!b)),
            (Function::BooleanEquals, [Value::Bool(a), Value::Bool(b)]) => Some(Value::Bool(a == b)),
            (Function::StringEquals, [Value::String(a), Value::String(b)]) => Some(Value::Bool(a == b)),
            (
                Function::Substring,
                [Value::String(input), Value::Int(start), Value::Int(stop), Value::Bool(reverse)],
            ) => functions::substring(input, *start, *stop, *reverse).map(Value::String),
            (Function::UriEncode, [Value::String(s)]) => Some(Value::String(functions::uri_encode(s))),
            (Function::ParseUrl, [Value::String(s)]) => functions::parse_url(s).map(|url| {
                Value::object([
                    ("scheme", Value::String(url.scheme)),
                    ("authority", Value::String(url.authority)),
                    ("path", Value::String(url.path)),
                    ("normalizedPath", Value::String(url.normalized_path)),
                    ("isIp", Value::Bool(url.is_ip)),
                ])
            }),
            (Function::IsValidHostLabel, [Value::String(s), Value::Bool(subdomains)]) => {
                Some(Value::Bool(functions::is_valid_host_label(s, *subdomains)))
            }
            (Function::IsVirtualHostableS3Bucket, [Value::String(s), Value::Bool(subdomains)]) => {
                Some(Value::Bool(functions::is_virtual_hostable_s3_bucket(s, *subdomains)))
            }
            (Function::Partition, [Value::String(region)]) => {
                let outputs = self.partitions.lookup(region);
                let entries = outputs.values().iter().map(|(key, value)| {
                    let value = match value {
                        OutputValue::String(s) => Value::String(s.clone()),
                        OutputValue::Bool(b) => Value::Bool(*b),
                    };
                    (key.clone(), value)
                });
                Some(Value::Object(entries.collect()))
            }
            (Function::ParseArn, [Value::String(s)]) => functions::parse_arn(s).map(|arn| {
                Value::object([
                    ("partition", Value::String(arn.partition)),
                    ("service", Value::String(arn.service)),
                    ("region", Value::String(arn.region)),
                    ("accountId", Value::String(arn.account_id)),
                    ("resourceId", Value::Array(arn.resource_id.into_iter().map(Value::String).collect())),
                ])
            }),
            _ => return Err(wrong()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTITIONS: &str = r#"{"partitions": [
        {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {"us-east-1": {}},
         "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                     "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"}},
        {"id": "aws-iso", "regionRegex": "^us\\-iso\\-\\w+\\-\\d+$", "regions": {},
         "outputs": {"name": "aws-iso", "dnsSuffix": "c2s.ic.gov", "dualStackDnsSuffix": "api.aws.ic.gov",
                     "supportsFIPS": true, "supportsDualStack": false}}
    ]}"#;

    /// A service-shaped rule set: custom endpoints, FIPS and dual-stack per partition, and an error
    /// fallback. The facts mirror the AWS rule sets; the names are the test's own.
    const RULES: &str = r#"{
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region", "required": false, "documentation": "region"},
            "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            "UseDualStack": {"type": "Boolean", "builtIn": "AWS::UseDualStack", "required": true, "default": false},
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": false}
        },
        "rules": [
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}], "rules": [
                {"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                 "error": "Invalid Configuration: FIPS and custom endpoint are not supported"},
                {"type": "endpoint", "conditions": [], "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}}}
            ]},
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "rules": [
                {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}], "rules": [
                    {"type": "tree", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}], "rules": [
                        {"type": "endpoint",
                         "conditions": [{"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsFIPS"]}]}],
                         "endpoint": {
                            "url": "https://svc-fips.{Region}.{PartitionResult#dnsSuffix}",
                            "properties": {"authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}"}]},
                            "headers": {"x-partition": ["{PartitionResult#name}", "fixed"]}
                         }},
                        {"type": "error", "conditions": [], "error": "FIPS is enabled but {PartitionResult#name} does not support FIPS"}
                    ]},
                    {"type": "tree", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}], "rules": [
                        {"type": "endpoint",
                         "conditions": [{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsDualStack"]}, true]}],
                         "endpoint": {"url": "https://svc.{Region}.{PartitionResult#dualStackDnsSuffix}"}}
                    ]},
                    {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://svc.{Region}.{PartitionResult#dnsSuffix}"}}
                ]}
            ]},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ]
    }"#;

    fn partitions() -> Partitions {
        Partitions::parse(PARTITIONS).unwrap()
    }

    fn resolve(rules: &str, params: &[(&str, ParamValue)]) -> Result<Endpoint, ResolveError> {
        let rules = RuleSet::parse(rules).unwrap_or_else(|e| panic!("{e}"));
        let mut values = Params::new();
        for (name, value) in params {
            values.set(*name, value.clone());
        }
        rules.resolve(&values, &partitions())
    }

    fn url(rules: &str, params: &[(&str, ParamValue)]) -> String {
        resolve(rules, params).unwrap_or_else(|e| panic!("{e}")).url().to_string()
    }

    fn s(value: &str) -> ParamValue {
        ParamValue::from(value)
    }

    #[test]
    fn regional_fips_and_dual_stack_endpoints() {
        assert_eq!(url(RULES, &[("Region", s("us-east-1"))]), "https://svc.us-east-1.amazonaws.com");
        assert_eq!(url(RULES, &[("Region", s("us-iso-east-1"))]), "https://svc.us-iso-east-1.c2s.ic.gov");
        assert_eq!(
            url(RULES, &[("Region", s("eu-west-1")), ("UseDualStack", true.into())]),
            "https://svc.eu-west-1.api.aws"
        );
        let fips = resolve(RULES, &[("Region", s("us-west-2")), ("UseFIPS", true.into())]).unwrap();
        assert_eq!(fips.url(), "https://svc-fips.us-west-2.amazonaws.com");
        assert_eq!(fips.headers()["x-partition"], ["aws", "fixed"]);
        let scheme = fips.sigv4_scheme().unwrap();
        assert_eq!(scheme.signing_region.as_deref(), Some("us-west-2"));
        assert_eq!(scheme.signing_name.as_deref(), Some("svc"));
        assert!(!scheme.disable_double_encoding);
        // A region no partition knows falls back to aws.
        assert_eq!(url(RULES, &[("Region", s("mars-1"))]), "https://svc.mars-1.amazonaws.com");
    }

    #[test]
    fn error_rules_give_their_own_message() {
        let no_dual_stack = resolve(RULES, &[("Region", s("us-iso-east-1")), ("UseDualStack", true.into())]);
        assert_eq!(no_dual_stack, Err(ResolveError::NoRuleMatched), "a matching tree whose rules all fail is final");
        let custom = resolve(RULES, &[("Endpoint", s("https://example.com")), ("UseFIPS", true.into())]).unwrap_err();
        assert_eq!(custom.to_string(), "Invalid Configuration: FIPS and custom endpoint are not supported");
        assert_eq!(
            resolve(RULES, &[]).unwrap_err(),
            ResolveError::Rule("Invalid Configuration: Missing Region".into())
        );
        let templated = r#"{"parameters": {"R": {"type": "string", "required": true}},
            "rules": [{"type": "error", "conditions": [], "error": "bad {R} {{literal}}"}]}"#;
        assert_eq!(resolve(templated, &[("R", s("x"))]).unwrap_err().to_string(), "bad x {literal}");
    }

    #[test]
    fn custom_endpoints_and_parameter_sources() {
        let custom =
            resolve(RULES, &[("Endpoint", s("https://example.com/custom")), ("Region", s("us-east-1"))]).unwrap();
        assert_eq!(custom.url(), "https://example.com/custom");
        assert!(custom.properties().is_empty() && custom.headers().is_empty());
        assert_eq!(custom.sigv4_scheme(), None);

        let rules = RuleSet::parse(RULES).unwrap();
        let mut params = Params::new();
        params.set_built_in(built_in::REGION, "eu-west-1").set_built_in(built_in::USE_DUAL_STACK, true);
        assert_eq!(rules.resolve(&params, &partitions()).unwrap().url(), "https://svc.eu-west-1.api.aws");
        // A value by name wins over the built-in.
        params.set("UseDualStack", false);
        assert_eq!(rules.resolve(&params, &partitions()).unwrap().url(), "https://svc.eu-west-1.amazonaws.com");
        // Built-ins the rule set does not use are ignored; unknown names are not.
        params.set_built_in(built_in::ACCOUNT_ID, "123");
        assert!(rules.resolve(&params, &partitions()).is_ok());
        params.set("Regoin", "us-east-1");
        assert_eq!(rules.resolve(&params, &partitions()), Err(ResolveError::UnknownParameter("Regoin".into())));

        let wrong = resolve(RULES, &[("UseFIPS", s("yes"))]).unwrap_err();
        assert_eq!(wrong.to_string(), "the endpoint parameter `UseFIPS` must be a boolean");
        let needs = r#"{"parameters": {"Id": {"type": "string", "required": true}},
            "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Id}.example.com"}}]}"#;
        assert_eq!(resolve(needs, &[]), Err(ResolveError::MissingParameter("Id".into())));
        assert_eq!(url(needs, &[("Id", s("abc"))]), "https://abc.example.com");

        let parameter = |name: &str| rules.parameters().iter().find(|p| p.name == name).unwrap();
        assert_eq!(rules.parameters().len(), 4);
        assert_eq!(parameter("UseFIPS").default, Some(ParamValue::Bool(false)));
        assert_eq!(parameter("UseFIPS").built_in.as_deref(), Some(built_in::USE_FIPS));
        assert!(parameter("UseFIPS").required && !parameter("Region").required);
        assert_eq!(parameter("Endpoint").param_type, ParamType::String);
    }

    #[test]
    fn embedded_rules_parse_once_and_report_broken_data() {
        static EMBEDDED: EmbeddedRules = EmbeddedRules::new(RULES, PARTITIONS);
        let mut params = Params::new();
        params.set_built_in(built_in::REGION, "us-iso-east-1");
        assert_eq!(EMBEDDED.resolve(&params).unwrap().url(), "https://svc.us-iso-east-1.c2s.ic.gov");
        let (first, _) = EMBEDDED.get().unwrap();
        let (second, _) = EMBEDDED.get().unwrap();
        assert!(std::ptr::eq(first, second), "parsed once");
        static BROKEN: EmbeddedRules = EmbeddedRules::new("{}", PARTITIONS);
        let error = BROKEN.resolve(&params).unwrap_err().to_string();
        assert!(error.starts_with("the embedded endpoint rules are broken: endpoint rule set:"), "{error}");
    }

    /// One rule set per library function: the condition feeds the result into the URL or error.
    fn function_rules(conditions: &str, url: &str) -> String {
        format!(
            r#"{{"parameters": {{"In": {{"type": "string", "required": true}},
                               "List": {{"type": "stringArray", "required": true, "default": ["a", "b"]}}}},
                 "rules": [{{"type": "endpoint", "conditions": {conditions}, "endpoint": {{"url": "{url}"}}}},
                           {{"type": "error", "conditions": [], "error": "no match"}}]}}"#
        )
    }

    fn outcome(rules: &str, input: &str) -> String {
        match resolve(rules, &[("In", s(input))]) {
            Ok(endpoint) => endpoint.url().to_string(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn library_functions_in_rules() {
        let parse_url = function_rules(
            r#"[{"fn": "parseURL", "argv": ["{In}"], "assign": "u"},
                {"fn": "not", "argv": [{"fn": "getAttr", "argv": [{"ref": "u"}, "isIp"]}]}]"#,
            "{u#scheme}://{u#authority}{u#normalizedPath}x?path={u#path}",
        );
        assert_eq!(outcome(&parse_url, "https://example.com/custom"), "https://example.com/custom/x?path=/custom");
        assert_eq!(outcome(&parse_url, "https://example.com"), "https://example.com/x?path=");
        assert_eq!(outcome(&parse_url, "https://10.0.0.1"), "no match");
        assert_eq!(outcome(&parse_url, "https://example.com?q=1"), "no match");

        let arn = function_rules(
            r#"[{"fn": "aws.parseArn", "argv": [{"ref": "In"}], "assign": "arn"},
                {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "name"}]"#,
            "https://{name}.{arn#service}.{arn#region}.example.com",
        );
        assert_eq!(
            outcome(&arn, "arn:aws:dynamodb:us-east-1:123:table/orders"),
            "https://orders.dynamodb.us-east-1.example.com"
        );
        assert_eq!(outcome(&arn, "arn:aws:dynamodb:us-east-1:123:table"), "no match", "a missing index is unset");
        assert_eq!(outcome(&arn, "not-an-arn"), "no match");

        let substring = function_rules(
            r#"[{"fn": "substring", "argv": [{"ref": "In"}, 0, 4, true], "assign": "tail"},
                {"fn": "uriEncode", "argv": ["{tail}"], "assign": "encoded"}]"#,
            "https://example.com/{encoded}",
        );
        assert_eq!(outcome(&substring, "abc/d:e"), "https://example.com/%2Fd%3Ae");
        assert_eq!(outcome(&substring, "abc"), "no match");

        let labels = function_rules(
            r#"[{"fn": "isValidHostLabel", "argv": [{"ref": "In"}, true]},
                {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "In"}, false]},
                {"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "List"}, "[1]"]}, "b"]}]"#,
            "https://{In}.s3.example.com",
        );
        assert_eq!(outcome(&labels, "my-bucket"), "https://my-bucket.s3.example.com");
        assert_eq!(outcome(&labels, "My-Bucket"), "no match");
        assert_eq!(outcome(&labels, "a.b"), "no match");

        let partition = function_rules(
            r#"[{"fn": "aws.partition", "argv": ["{In}"], "assign": "p"},
                {"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "p"}, "supportsDualStack"]}, false]}]"#,
            "https://{p#name}.{p#dualStackDnsSuffix}",
        );
        assert_eq!(outcome(&partition, "us-iso-west-9"), "https://aws-iso.api.aws.ic.gov");
        assert_eq!(outcome(&partition, "us-east-1"), "no match");
    }

    #[test]
    fn coalesce_takes_the_first_set_value() {
        let rules = r#"{"parameters": {"A": {"type": "string"}, "B": {"type": "string"}},
            "rules": [{"type": "endpoint",
                       "conditions": [{"fn": "coalesce", "argv": [{"ref": "A"}, {"ref": "B"}], "assign": "host"}],
                       "endpoint": {"url": "https://{host}"}},
                      {"type": "error", "conditions": [], "error": "neither"}]}"#;
        assert_eq!(url(rules, &[("B", s("b.example"))]), "https://b.example");
        assert_eq!(url(rules, &[("A", s("a.example")), ("B", s("b.example"))]), "https://a.example");
        assert_eq!(resolve(rules, &[]).unwrap_err().to_string(), "neither");
    }

    #[test]
    fn properties_keep_their_shape_with_templates_filled() {
        let rules = r#"{"parameters": {"Region": {"type": "string", "required": true}},
            "rules": [{"type": "endpoint", "conditions": [], "endpoint": {
                "url": "https://example.com",
                "properties": {"authSchemes": [{"name": "sigv4a", "signingRegionSet": ["*"]},
                                               {"name": "sigv4", "signingRegion": "{Region}", "disableDoubleEncoding": true}],
                               "nested": {"count": 3, "flag": false, "none": null, "text": "{{x}}"}}}}]}"#;
        let endpoint = resolve(rules, &[("Region", s("eu-central-1"))]).unwrap();
        let expected = serde_json::json!({
            "authSchemes": [{"name": "sigv4a", "signingRegionSet": ["*"]},
                            {"name": "sigv4", "signingRegion": "eu-central-1", "disableDoubleEncoding": true}],
            "nested": {"count": 3, "flag": false, "none": null, "text": "{x}"}
        });
        assert_eq!(Json::Object(endpoint.properties().clone()), expected);
        let scheme = endpoint.sigv4_scheme().unwrap();
        assert_eq!(
            scheme,
            Sigv4Scheme {
                signing_name: None,
                signing_region: Some("eu-central-1".into()),
                disable_double_encoding: true
            }
        );
    }

    fn parse_error(rules: &str) -> RuleSetError {
        match RuleSet::parse(rules) {
            Ok(_) => panic!("parsed: {rules}"),
            Err(e) => e,
        }
    }

    fn with_rule(rule: &str) -> String {
        format!(
            r#"{{"parameters": {{"Region": {{"type": "string"}}, "Flag": {{"type": "boolean", "required": true, "default": true}}}},
                 "rules": [{rule}]}}"#
        )
    }

    #[test]
    fn malformed_rule_sets_name_the_path() {
        let cases = [
            (r#"{"rules": []}"#.to_string(), "", "missing required key `parameters`"),
            (r#"{"parameters": {}, "rules": []}"#.to_string(), "rules", "at least one rule"),
            (
                r#"{"parameters": {"R": {"type": "int"}}, "rules": []}"#.to_string(),
                "parameters.R.type",
                "expected \"string\"",
            ),
            (
                r#"{"parameters": {"R": {"type": "boolean", "default": "no"}}, "rules": []}"#.to_string(),
                "parameters.R.default",
                "must be a boolean",
            ),
            (
                r#"{"parameters": {"a-b": {"type": "string"}}, "rules": []}"#.to_string(),
                "parameters.\"a-b\"",
                "not a valid parameter name",
            ),
            (with_rule(r#"{"type": "endpoint", "conditions": []}"#), "rules[0]", "missing required key `endpoint`"),
            (with_rule(r#"{"type": "rule", "conditions": []}"#), "rules[0].type", "expected \"endpoint\""),
            (
                with_rule(
                    r#"{"type": "error", "conditions": [{"fn": "not", "argv": [{"ref": "Region"}]}], "error": "x"}"#,
                ),
                "rules[0].conditions[0].argv[0]",
                "argument 1 of `not` must be a boolean, but this is a string",
            ),
            (
                with_rule(r#"{"type": "error", "conditions": [{"fn": "stringEquals", "argv": ["a"]}], "error": "x"}"#),
                "rules[0].conditions[0].argv",
                "takes 2 arguments, not 1",
            ),
            (
                with_rule(
                    r#"{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "error": "x"}"#,
                ),
                "rules[0].conditions[0].argv[0].ref",
                "`Nope` is not a parameter",
            ),
            (
                with_rule(r#"{"type": "error", "conditions": [], "error": "{Flag}"}"#),
                "rules[0].error",
                "`{Flag}` in a template must be a string, but this is a boolean",
            ),
            (with_rule(r#"{"type": "error", "conditions": [], "error": "{Region"}"#), "rules[0].error", "unclosed `{`"),
            (
                with_rule(r#"{"type": "error", "conditions": [], "error": true}"#),
                "rules[0].error",
                "the error message must be a string",
            ),
            (
                with_rule(
                    r#"{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"fn": "parseURL", "argv": ["x"]}, "host"]}], "error": "x"}"#,
                ),
                "rules[0].conditions[0].argv[1]",
                "a parsed URL has no attribute `host`",
            ),
            (
                with_rule(
                    r#"{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "Region"}, "{Region}"]}], "error": "x"}"#,
                ),
                "rules[0].conditions[0].argv[1]",
                "a string has no attribute",
            ),
            (
                with_rule(
                    r#"{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "Region"}, {"ref": "Region"}]}], "error": "x"}"#,
                ),
                "rules[0].conditions[0].argv[1]",
                "must be a literal string",
            ),
            (
                with_rule(
                    r#"{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "Region"}], "error": "x"}"#,
                ),
                "rules[0].conditions[0].assign",
                "cannot shadow",
            ),
            (
                with_rule(r#"{"type": "error", "conditions": [{"ref": "Region"}], "error": "x"}"#),
                "rules[0].conditions[0]",
                "missing required key `fn`",
            ),
            (
                with_rule(
                    r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x", "headers": {"h": "v"}}}"#,
                ),
                "rules[0].endpoint.headers.h",
                "expected an array, found a string",
            ),
            (
                with_rule(
                    r#"{"type": "error", "conditions": [{"fn": "substring", "argv": ["{Region}", 0, 1.5, false]}], "error": "x"}"#,
                ),
                "rules[0].conditions[0].argv[2]",
                "not an integer",
            ),
            (with_rule(r#"{"type": "tree", "conditions": [], "rules": []}"#), "rules[0].rules", "at least one rule"),
        ];
        for (rules, path, message) in cases {
            let error = parse_error(&rules);
            assert_eq!(error.path, path, "{rules}\n{error}");
            assert!(error.message.contains(message), "{rules}\n{error}");
            assert!(!error.unsupported, "{error}");
        }
    }

    #[test]
    fn variables_are_visible_only_inside_their_rule() {
        let leaked = with_rule(
            r#"{"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": ["x"], "assign": "p"}], "endpoint": {"url": "https://a"}},
               {"type": "error", "conditions": [], "error": "{p#name}"}"#,
        );
        let error = parse_error(&leaked);
        assert_eq!(
            (error.path.as_str(), error.message.contains("`p` is not a parameter")),
            ("rules[1].error", true),
            "{error}"
        );
        let nested = with_rule(
            r#"{"type": "tree", "conditions": [{"fn": "aws.partition", "argv": ["x"], "assign": "p"}], "rules": [
                 {"type": "error", "conditions": [], "error": "{p#name}"}]}"#,
        );
        assert!(RuleSet::parse(&nested).is_ok(), "a tree's variables reach its rules");
    }

    #[test]
    fn unknown_functions_are_reported_as_unsupported() {
        let error = parse_error(&with_rule(
            r#"{"type": "error", "conditions": [{"fn": "split", "argv": ["a,b", ",", 0]}], "error": "x"}"#,
        ));
        assert!(error.unsupported);
        assert_eq!(error.path, "rules[0].conditions[0].fn");
        assert_eq!(
            error.to_string(),
            "endpoint rule set: at rules[0].conditions[0].fn: the function `split` is not supported"
        );
    }

    /// Replaces every node of the sample rule set, one at a time, with values of every JSON kind, and
    /// checks that parsing and resolving only ever return errors.
    #[test]
    fn odd_rule_sets_never_panic() {
        fn paths(value: &Json, at: Vec<Json>, out: &mut Vec<Vec<Json>>) {
            out.push(at.clone());
            match value {
                Json::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let mut next = at.clone();
                        next.push(Json::from(i));
                        paths(item, next, out);
                    }
                }
                Json::Object(map) => {
                    for (key, item) in map {
                        let mut next = at.clone();
                        next.push(Json::from(key.as_str()));
                        paths(item, next, out);
                    }
                }
                _ => {}
            }
        }
        fn node<'v>(value: &'v mut Json, path: &[Json]) -> &'v mut Json {
            path.iter().fold(value, |v, step| match step {
                Json::String(key) => &mut v[key.as_str()],
                step => &mut v[step.as_u64().unwrap() as usize],
            })
        }
        let original: Json = serde_json::from_str(RULES).unwrap();
        let mut all = Vec::new();
        paths(&original, Vec::new(), &mut all);
        let replacements = [
            Json::Null,
            Json::Bool(true),
            Json::from(-1),
            Json::from("{Region}"),
            serde_json::json!([]),
            serde_json::json!({}),
        ];
        let params: Vec<Params> = [("us-east-1", true), ("us-iso-east-1", false)]
            .into_iter()
            .map(|(region, fips)| {
                let mut p = Params::new();
                p.set_built_in(built_in::REGION, region).set_built_in(built_in::USE_FIPS, fips);
                p
            })
            .collect();
        let partitions = partitions();
        let mut parsed = 0;
        for path in &all {
            for replacement in &replacements {
                let mut mutated = original.clone();
                *node(&mut mutated, path) = replacement.clone();
                if let Ok(rules) = RuleSet::from_json(&mutated) {
                    parsed += 1;
                    for p in &params {
                        let _ = rules.resolve(p, &partitions);
                    }
                }
            }
        }
        assert!(parsed > 0, "some mutations (such as a new URL) still parse and were resolved");
    }
}
