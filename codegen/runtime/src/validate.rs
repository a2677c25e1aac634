//! Constraint checks the generated validators call, and the error that lists every violation.
//!
//! Paths are built lazily as a chain of borrowed segments, so a valid input costs no allocation.

use std::fmt;

/// Where a value sits inside an input, as on the wire (`failureDetails.message`, `tags[2].key`).
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The value being validated itself.
    Root,
    /// A member of a structure or union.
    Member(&'a Path<'a>, &'static str),
    /// An element of a list.
    Index(&'a Path<'a>, usize),
    /// A value of a map.
    Key(&'a Path<'a>, &'a str),
    /// A value of a map whose keys are `@sensitive`: the key is not shown.
    SensitiveKey(&'a Path<'a>),
}

/// What messages show in place of a sensitive value or map key.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

impl<'a> Path<'a> {
    /// The path of member `name` below this one.
    #[inline]
    pub fn member(&'a self, name: &'static str) -> Path<'a> {
        Path::Member(self, name)
    }

    /// The path of list element `index` below this one.
    #[inline]
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The path of the map value under `key` below this one.
    #[inline]
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The path of a map value below this one whose key is `@sensitive`, so never shown.
    pub fn sensitive_key(&'a self) -> Path<'a> {
        Path::SensitiveKey(self)
    }

    fn render(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Member(parent, name) => {
                parent.render(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Path::Index(parent, index) => {
                parent.render(out);
                out.push_str(&format!("[{index}]"));
            }
            Path::Key(parent, key) => {
                parent.render(out);
                out.push_str(&format!("[{key:?}]"));
            }
            Path::SensitiveKey(parent) => {
                parent.render(out);
                out.push_str(&format!("[{REDACTED}]"));
            }
        }
    }

    /// The dotted form used in messages.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.render(&mut out);
        out
    }
}

/// What a length counts, which depends on the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values of a string (not bytes, not UTF-16 units).
    Characters,
    /// Bytes of a blob.
    Bytes,
    /// Elements of a list.
    Elements,
    /// Entries of a map.
    Entries,
}

impl LengthUnit {
    fn noun(self) -> &'static str {
        match self {
            LengthUnit::Characters => "characters",
            LengthUnit::Bytes => "bytes",
            LengthUnit::Elements => "elements",
            LengthUnit::Entries => "entries",
        }
    }
}

/// The constraint a value broke.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A required member was not set.
    Missing,
    /// A `@length` bound was not met.
    Length {
        /// The smallest length allowed.
        min: Option<u64>,
        /// The largest length allowed.
        max: Option<u64>,
        /// The length the value had.
        actual: u64,
        /// What the length counts.
        unit: LengthUnit,
    },
    /// A `@range` bound was not met.
    Range {
        /// The smallest value allowed.
        min: Option<f64>,
        /// The largest value allowed.
        max: Option<f64>,
        /// The value given; `None` for a `@sensitive` member, whose value is never repeated.
        actual: Option<f64>,
    },
    /// A `@pattern` did not match. The value is not repeated here, since it may be secret.
    Pattern {
        /// The pattern as the model wrote it.
        pattern: &'static str,
    },
    /// An enum value the model does not define, or a union member it does not define.
    UnknownValue {
        /// The value given (redacted for sensitive members).
        value: String,
        /// The values the model allows.
        allowed: &'static [&'static str],
    },
    /// A `@hostLabel` member that is not a valid host label, which it must be because it becomes part
    /// of the request's host name. The value is not repeated here.
    HostLabel,
    /// An `@httpLabel` member whose value is empty, which would leave an empty segment in the
    /// request's path (a different resource, or none).
    EmptyLabel,
    /// A member bound to an HTTP header (`@httpHeader`, or a key of `@httpPrefixHeaders`) whose name
    /// or value cannot be sent in a header (a line break, say). The value is not repeated here.
    InvalidHeader {
        /// What is wrong, naming the header.
        reason: String,
    },
    /// A streaming body of a `@requiresLength` member whose length is not known up front (a
    /// response body passed on, say): the service needs its `Content-Length`.
    UnknownLength,
    /// A streaming body, of an operation whose requests carry a checksum of the body
    /// (`@httpChecksumRequired`), that can be read only once (a response body passed on, say): the
    /// checksum is taken before sending, which would use the body up.
    NotReplayable,
}

/// One broken constraint and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    path: String,
    kind: ViolationKind,
}

impl Violation {
    /// A violation at `path` (the wire path, e.g. `failureDetails.message`).
    pub fn new(path: impl Into<String>, kind: ViolationKind) -> Self {
        Violation { path: path.into(), kind }
    }

    /// A required member `path` that was not set.
    pub fn missing(path: impl Into<String>) -> Self {
        Violation::new(path, ViolationKind::Missing)
    }

    /// The wire path of the value.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Which constraint it broke.
    pub fn kind(&self) -> &ViolationKind {
        &self.kind
    }

    fn with_prefix(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.path = if self.path.is_empty() { prefix.to_string() } else { format!("{prefix}.{}", self.path) };
        }
        self
    }
}

fn bounds(min: Option<impl fmt::Display>, max: Option<impl fmt::Display>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "unconstrained".to_string(),
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "(input)" } else { &self.path };
        match &self.kind {
            ViolationKind::Missing => write!(f, "{path}: required member is missing"),
            ViolationKind::Length { min, max, actual, unit } => {
                write!(f, "{path}: length must be {} {}, but is {actual}", bounds(*min, *max), unit.noun())
            }
            ViolationKind::Range { min, max, actual: Some(actual) } => {
                write!(f, "{path}: value must be {}, but is {actual}", bounds(*min, *max))
            }
            ViolationKind::Range { min, max, actual: None } => {
                write!(f, "{path}: value must be {}", bounds(*min, *max))
            }
            ViolationKind::Pattern { pattern } => write!(f, "{path}: value does not match the pattern `{pattern}`"),
            ViolationKind::UnknownValue { value, allowed } => {
                write!(f, "{path}: `{value}` is not one of the allowed values ({})", allowed.join(", "))
            }
            ViolationKind::HostLabel => write!(
                f,
                "{path}: the value goes into the host name, so it must be 1 to 63 letters, digits and hyphens, not starting with a hyphen"
            ),
            ViolationKind::EmptyLabel => {
                write!(f, "{path}: the value goes into the request's path, so it must not be empty")
            }
            ViolationKind::InvalidHeader { reason } => write!(f, "{path}: cannot be sent as a header: {reason}"),
            ViolationKind::UnknownLength => write!(
                f,
                "{path}: the service needs the body's length up front, and this stream's is not known (send bytes or a file)"
            ),
            ViolationKind::NotReplayable => write!(
                f,
                "{path}: the service needs a checksum of the body up front, which a stream that can be read only once cannot give (send bytes or a file)"
            ),
        }
    }
}

/// An input that breaks its model's constraints. It lists every violation, not just the first, and
/// nothing was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// An error made of these violations.
    pub fn new(violations: Vec<Violation>) -> Self {
        ValidationError { violations }
    }

    /// Every violation, in member order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The same violations with `prefix` put before each path (used when a nested builder's error is
    /// reported from the enclosing input).
    pub fn with_prefix(self, prefix: &str) -> Self {
        ValidationError { violations: self.violations.into_iter().map(|v| v.with_prefix(prefix)).collect() }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.violations.as_slice() {
            [one] => write!(f, "invalid input: {one}"),
            many => {
                write!(f, "invalid input ({} problems): ", many.len())?;
                for (i, v) in many.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationError {}

/// Types that check their own constraints (and those of everything they contain).
pub trait Validate {
    /// Appends every violation found in `self`, located below `at`, to `out`.
    fn validate_at(&self, at: &Path<'_>, out: &mut Vec<Violation>);

    /// Checks every constraint, reporting all violations at once.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut out = Vec::new();
        self.validate_at(&Path::Root, &mut out);
        if out.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(out))
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_at(&self, at: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(at, out);
    }
}

/// Checks a length in `unit`s against inclusive bounds.
#[inline]
pub fn length(
    actual: usize,
    min: Option<u64>,
    max: Option<u64>,
    unit: LengthUnit,
    at: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    let actual = actual as u64;
    if min.is_some_and(|min| actual < min) || max.is_some_and(|max| actual > max) {
        out.push(Violation::new(at.to_text(), ViolationKind::Length { min, max, actual, unit }));
    }
}

/// Checks a string's length in Unicode scalar values, as Smithy defines it.
#[inline]
pub fn string_length(value: &str, min: Option<u64>, max: Option<u64>, at: &Path<'_>, out: &mut Vec<Violation>) {
    // Counting characters walks the string; the byte length bounds it cheaply first.
    let bytes = value.len() as u64;
    let surely_ok = min.is_none_or(|min| bytes >= min.saturating_mul(4)) && max.is_none_or(|max| bytes <= max);
    if !surely_ok {
        length(value.chars().count(), min, max, LengthUnit::Characters, at, out);
    }
}

/// Checks a number against inclusive bounds; the violation of a `sensitive` one leaves the value out.
#[inline]
pub fn range(
    actual: f64,
    min: Option<f64>,
    max: Option<f64>,
    sensitive: bool,
    at: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    if min.is_some_and(|min| actual < min)
        || max.is_some_and(|max| actual > max)
        || actual.is_nan() && (min.is_some() || max.is_some())
    {
        let actual = (!sensitive).then_some(actual);
        out.push(Violation::new(at.to_text(), ViolationKind::Range { min, max, actual }));
    }
}

/// Records an enum value or union member the model does not define.
pub fn unknown_value(
    value: &str,
    allowed: &'static [&'static str],
    sensitive: bool,
    at: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    let value = if sensitive { REDACTED.to_string() } else { value.to_string() };
    out.push(Violation::new(at.to_text(), ViolationKind::UnknownValue { value, allowed }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_binding_violations_name_the_member_and_never_the_value() {
        let empty = Violation::new("bucket", ViolationKind::EmptyLabel);
        assert_eq!(empty.to_string(), "bucket: the value goes into the request's path, so it must not be empty");
        let reason = "header `x-token`: the value is not valid in a header".to_string();
        let header = Violation::new("token", ViolationKind::InvalidHeader { reason });
        assert_eq!(
            header.to_string(),
            "token: cannot be sent as a header: header `x-token`: the value is not valid in a header"
        );
    }

    #[test]
    fn paths_render_as_on_the_wire() {
        let root = Path::Root;
        let details = root.member("failureDetails");
        let message = details.member("message");
        assert_eq!(message.to_text(), "failureDetails.message");
        let tags = root.member("tags");
        let second = tags.index(2);
        assert_eq!(second.member("key").to_text(), "tags[2].key");
        let map = root.member("attributes");
        assert_eq!(map.key("a b").to_text(), "attributes[\"a b\"]");
        assert_eq!(map.sensitive_key().member("x").to_text(), "attributes[*** Sensitive Data Redacted ***].x");
    }

    #[test]
    fn a_sensitive_range_violation_leaves_the_value_out() {
        let (root, mut out) = (Path::Root, Vec::new());
        let pin = root.member("pin");
        range(98765.0, Some(0.0), Some(9999.0), true, &pin, &mut out);
        range(98765.0, Some(0.0), Some(9999.0), false, &pin, &mut out);
        range(5.0, Some(0.0), Some(9999.0), true, &pin, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].kind(), &ViolationKind::Range { min: Some(0.0), max: Some(9999.0), actual: None });
        assert_eq!(out[0].to_string(), "pin: value must be between 0 and 9999");
        assert_eq!(out[1].to_string(), "pin: value must be between 0 and 9999, but is 98765");
    }

    #[test]
    fn string_length_counts_characters_not_bytes() {
        let at = Path::Root;
        let mut out = Vec::new();
        // Four characters, twelve bytes.
        string_length("日本語字", Some(1), Some(4), &at, &mut out);
        assert!(out.is_empty());
        string_length("日本語字x", Some(1), Some(4), &at, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].kind(),
            &ViolationKind::Length { min: Some(1), max: Some(4), actual: 5, unit: LengthUnit::Characters }
        );
        out.clear();
        string_length("", Some(1), None, &at, &mut out);
        assert_eq!(out.len(), 1);
        out.clear();
        // Astral characters are one scalar value each (two UTF-16 units, four bytes).
        string_length("😀😀", Some(2), Some(2), &at, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn range_is_inclusive_and_rejects_nan() {
        let at = Path::Root;
        let mut out = Vec::new();
        range(0.0, Some(0.0), Some(100.0), false, &at, &mut out);
        range(100.0, Some(0.0), Some(100.0), false, &at, &mut out);
        assert!(out.is_empty());
        range(-1.0, Some(0.0), Some(100.0), false, &at, &mut out);
        range(101.0, Some(0.0), Some(100.0), false, &at, &mut out);
        range(f64::NAN, Some(0.0), None, false, &at, &mut out);
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn display_names_member_constraint_and_actual() {
        let e = ValidationError::new(vec![
            Violation::new(
                "failureDetails.message",
                ViolationKind::Length { min: Some(1), max: Some(5000), actual: 0, unit: LengthUnit::Characters },
            ),
            Violation::missing("jobId"),
        ]);
        assert_eq!(
            e.to_string(),
            "invalid input (2 problems): failureDetails.message: length must be between 1 and 5000 characters, but is 0; jobId: required member is missing"
        );
    }

    #[test]
    fn sensitive_unknown_values_are_redacted() {
        let mut out = Vec::new();
        unknown_value("hunter2", &["a"], true, &Path::Root.member("secret"), &mut out);
        assert!(!out[0].to_string().contains("hunter2"));
    }

    #[test]
    fn prefixing_nested_errors() {
        let e = ValidationError::new(vec![Violation::missing("message")]).with_prefix("failureDetails");
        assert_eq!(e.violations()[0].path(), "failureDetails.message");
    }
}
