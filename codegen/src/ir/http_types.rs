//! The IR's types of restJson1's HTTP bindings: where each operation and member goes in the
//! request and response. `http_bindings` lowers them; the awsJson protocols have none (their members
//! are all [`HttpBinding::Body`] and their operations have no [`HttpOperation`]).

use crate::model::TimestampFormat;

/// How an operation maps onto HTTP (`smithy.api#http`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOperation {
    /// The method, upper case as the model writes it (`GET`).
    pub method: String,
    /// The URI pattern.
    pub uri: UriPattern,
    /// The status code of a success.
    pub code: u16,
}

/// A URI pattern (`/things/{thingId}/{path+}?type=x&flag`), split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriPattern {
    /// The pattern as the model writes it.
    pub template: String,
    /// The path's segments, in order; the path is `/` and the segments joined by `/` (a trailing
    /// `/` is an empty last literal).
    pub segments: Vec<PathSegment>,
    /// The constant query parameters the pattern carries, in order.
    pub query: Vec<ConstantQuery>,
}

/// One segment of a URI pattern's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as written.
    Literal(String),
    /// `{name}` (or `{name+}`, `greedy`): the value of the input member `name` (the model's member
    /// name), percent-encoded; a greedy label keeps its `/`s and may span several segments.
    Label {
        /// The input member's name in the model.
        member_name: String,
        /// Whether the label is greedy (`{name+}`).
        greedy: bool,
    },
}

/// A constant query parameter of a URI pattern: `type=x`, or `flag` alone (`value` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstantQuery {
    /// The parameter's name, as written (already valid in a query string).
    pub name: String,
    /// Its value, as written, if it has one.
    pub value: Option<String>,
}

/// Where a member of an operation's input, output or error structure goes on the wire under
/// restJson1. Bindings only apply to those top-level structures: the same structure nested in
/// another is JSON throughout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpBinding {
    /// A member of the JSON body (every member under awsJson).
    Body,
    /// `@httpLabel`: a label of the URI pattern (which says whether it is greedy).
    Label {
        /// The format of a timestamp: `@timestampFormat` on the member, then on its target, else
        /// `date-time`.
        timestamp_format: TimestampFormat,
    },
    /// `@httpQuery`: a query parameter (a list sends the name once per item).
    Query {
        /// The parameter's name.
        name: String,
        /// The format of a timestamp (or of a list's timestamps), `date-time` unless the model says otherwise.
        timestamp_format: TimestampFormat,
    },
    /// `@httpQueryParams`: a map of further query parameters (string values, or lists of them);
    /// an `@httpQuery` member's parameter wins over an entry of the same name.
    QueryParams,
    /// `@httpHeader`: a header (a list is one comma-joined value, items quoted where needed).
    Header {
        /// The header's name as the model writes it.
        name: String,
        /// The format of a timestamp (or of a list's timestamps), `http-date` unless the model says otherwise.
        timestamp_format: TimestampFormat,
        /// A string with `@mediaType`: sent base64-encoded.
        base64: bool,
    },
    /// `@httpPrefixHeaders`: a map whose entries are headers named the prefix and the key.
    PrefixHeaders {
        /// The prefix (may be empty: every header).
        prefix: String,
    },
    /// `@httpPayload`: the whole body is this member.
    Payload {
        /// What the body is.
        kind: PayloadKind,
        /// The `Content-Type`: the target's `@mediaType`, else the kind's own.
        content_type: String,
    },
    /// `@httpResponseCode`: an output member set from the response's status code.
    ResponseCode,
}

/// What an `@httpPayload` member's body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// A structure or union, as JSON (`application/json`).
    Json,
    /// A document, as JSON (`application/json`).
    Document,
    /// A string (or string enum) as its UTF-8 text (`text/plain`).
    Text,
    /// A blob's bytes (`application/octet-stream`).
    Blob,
    /// A `@streaming` blob: a `ByteStream`.
    StreamingBlob {
        /// `@requiresLength`: a body whose length is not known up front cannot be sent.
        requires_length: bool,
    },
}

impl HttpBinding {
    /// Whether the member belongs to the JSON body.
    pub fn is_body(&self) -> bool {
        matches!(self, HttpBinding::Body)
    }
}
