//! Errors every operation shares: the service's error metadata, unmodeled errors, and [`SdkError`].

use std::error::Error;
use std::fmt;

/// What an error response says about itself: its code, message, HTTP status and request ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    status: Option<u16>,
    request_id: Option<String>,
    /// The fault half of `x-amzn-query-error` (`Sender`, `Receiver`), for query-compatible services.
    query_fault: Option<String>,
}

impl ErrorMetadata {
    /// Metadata with the given parts.
    pub fn new(code: Option<String>, message: Option<String>, status: Option<u16>, request_id: Option<String>) -> Self {
        ErrorMetadata { code, message, status, request_id, query_fault: None }
    }

    /// For a service with `aws.protocols#awsQueryCompatible`: takes the code and fault from the
    /// `x-amzn-query-error` header (`Code;Fault`) when it has one, since that code is the one the
    /// service's earlier awsQuery clients knew; without the header, or with one that does not
    /// parse, the metadata stays as it was.
    pub fn with_query_error(mut self, headers: &http::HeaderMap) -> Self {
        let value = headers.get("x-amzn-query-error").and_then(|v| v.to_str().ok());
        if let Some((code, fault)) = value.and_then(|v| v.split_once(';')) {
            let (code, fault) = (code.trim(), fault.trim());
            if !code.is_empty() {
                self.code = Some(code.to_owned());
                self.query_fault = Some(fault.to_owned()).filter(|f| !f.is_empty());
            }
        }
        self
    }

    /// The error code without its namespace (e.g. `ThrottlingException`).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The fault a query-compatible service named with the code (`Sender` for the caller's fault,
    /// `Receiver` for the service's), as its awsQuery errors' `Type` did.
    pub fn query_fault(&self) -> Option<&str> {
        self.query_fault.as_deref()
    }

    /// The `x-amzn-RequestId` the service assigned, for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        let mut extra = Vec::new();
        if let Some(status) = self.status {
            extra.push(format!("HTTP {status}"));
        }
        if let Some(id) = &self.request_id {
            extra.push(format!("request ID {id}"));
        }
        if !extra.is_empty() {
            write!(f, " ({})", extra.join(", "))?;
        }
        Ok(())
    }
}

/// Reduces an awsJson error type to its code: `aws.protocols#FooException:http://...` -> `FooException`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let without_uri = raw.split(':').next().unwrap_or(raw);
    let code = without_uri.rsplit('#').next().unwrap_or(without_uri);
    code.trim()
}

/// Reads the metadata of an error response, for awsJson 1.0/1.1 and restJson1 alike: the code from
/// the `X-Amzn-Errortype` header (see [`header_error_type`]), else the body's top-level `__type`, else
/// its top-level `code`, reduced by [`sanitize_error_code`]; the message from the body's `message`,
/// `Message` or `errorMessage`; the status and the request ID.
///
/// `body` is the parsed body if it was JSON; a body that is not JSON (or not an object) still gives
/// the header's code and the status, so the caller can report it. A type that reduces to nothing is no
/// code, and does not fall back to the body: the service did name a type, just not a usable one.
pub fn error_metadata(status: u16, headers: &http::HeaderMap, body: Option<&serde_json::Value>) -> ErrorMetadata {
    let object = body.and_then(serde_json::Value::as_object);
    let field = |names: &[&str]| names.iter().find_map(|name| object?.get(*name)?.as_str());
    let code = header_error_type(headers)
        .or_else(|| field(&["__type", "code"]))
        .map(sanitize_error_code)
        .filter(|code| !code.is_empty())
        .map(str::to_owned);
    let message = field(&["message", "Message", "errorMessage"]).map(str::to_owned);
    ErrorMetadata { code, message, status: Some(status), request_id: request_id(headers), query_fault: None }
}

/// The `X-Amzn-Errortype` header's error type, up to the first `:` (what follows is a URI
/// [`sanitize_error_code`] would drop anyway), when that part is visible ASCII; else `None`, and the
/// body's `__type` or `code` decides.
///
/// Why ASCII: the type names a Smithy shape, and shape IDs are ASCII, so a name with other bytes can
/// match no modeled error; and HTTP gives a header's bytes beyond ASCII no encoding (RFC 9110 treats
/// them as opaque), so reading them as UTF-8 would only invent a code. Bytes after the `:` are not
/// looked at, so a URI with such bytes does not cost the name before it.
pub fn header_error_type(headers: &http::HeaderMap) -> Option<&str> {
    let bytes = headers.get("x-amzn-errortype")?.as_bytes();
    let name = bytes.split(|&b| b == b':').next().unwrap_or(bytes);
    // Visible ASCII and the spaces `sanitize_error_code` trims, as `HeaderValue::to_str` accepts.
    if !name.iter().all(|&b| b == b' ' || b == b'\t' || b.is_ascii_graphic()) {
        return None;
    }
    std::str::from_utf8(name).ok()
}

/// The request ID a response carries (`x-amzn-requestid`, or S3-style `x-amz-request-id`).
pub(crate) fn request_id(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get("x-amzn-requestid")
        .or_else(|| headers.get("x-amz-request-id"))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// An error the service returned that this crate's model does not describe for the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledError {
    meta: ErrorMetadata,
}

impl UnhandledError {
    /// Wraps the metadata of the response.
    pub fn new(meta: ErrorMetadata) -> Self {
        UnhandledError { meta }
    }

    /// The code, message, status and request ID.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unhandled service error {}", self.meta)
    }
}

impl Error for UnhandledError {}

/// A response that could not be read: not JSON, or not the promised shape.
///
/// (A body over the size limit is refused while it is read, as [`SdkError::Transport`] with a
/// `TransportErrorKind::ResponseTooLarge` source.)
#[derive(Debug)]
pub struct ResponseError {
    status: u16,
    request_id: Option<String>,
    message: String,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl ResponseError {
    /// A response error with a description and an optional cause.
    pub fn new(
        status: u16,
        request_id: Option<String>,
        message: impl Into<String>,
        source: Option<Box<dyn Error + Send + Sync>>,
    ) -> Self {
        ResponseError { status, request_id, message: message.into(), source }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request ID, if the service sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable response (HTTP {}): {}", self.status, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request ID {id})")?;
        }
        Ok(())
    }
}

impl Error for ResponseError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

/// A modeled or unmodeled error the service returned, with the response's metadata.
#[derive(Debug)]
pub struct ServiceError<E> {
    error: E,
    meta: ErrorMetadata,
}

impl<E> ServiceError<E> {
    /// Pairs the operation's error with the response metadata.
    pub fn new(error: E, meta: ErrorMetadata) -> Self {
        ServiceError { error, meta }
    }

    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.error
    }

    /// Takes the operation's error.
    pub fn into_err(self) -> E {
        self.error
    }

    /// The code, message, status and request ID.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl<E: fmt::Display> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        let mut extra = Vec::new();
        if let Some(status) = self.meta.status {
            extra.push(format!("HTTP {status}"));
        }
        if let Some(id) = &self.meta.request_id {
            extra.push(format!("request ID {id}"));
        }
        if !extra.is_empty() {
            write!(f, " ({})", extra.join(", "))?;
        }
        Ok(())
    }
}

impl<E: Error + 'static> Error for ServiceError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}

/// Why a call failed. `E` is the operation's own error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input broke the model's constraints; nothing was sent.
    Validation(super::validate::ValidationError),
    /// The client is not configured to make the call (no region, no credentials, bad endpoint).
    Config(ConfigError),
    /// The request could not be sent, or no complete response arrived, after every attempt.
    Transport(Box<dyn Error + Send + Sync>),
    /// The call did not finish within its deadline.
    Timeout(TimeoutError),
    /// A response arrived but could not be read.
    Response(ResponseError),
    /// The service answered with an error.
    Service(ServiceError<E>),
}

impl<E> SdkError<E> {
    /// The service's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e.err()),
            _ => None,
        }
    }

    /// The service's error metadata, if the service answered with an error.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        match self {
            SdkError::Service(e) => Some(e.meta()),
            _ => None,
        }
    }
}

impl<E> From<ConfigError> for SdkError<E> {
    fn from(error: ConfigError) -> Self {
        SdkError::Config(error)
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => write!(f, "{e}"),
            SdkError::Config(e) => write!(f, "{e}"),
            SdkError::Transport(e) => write!(f, "request failed: {e}"),
            SdkError::Timeout(e) => write!(f, "{e}"),
            SdkError::Response(e) => write!(f, "{e}"),
            SdkError::Service(e) => write!(f, "service error: {e}"),
        }
    }
}

impl<E: Error + 'static> Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Config(e) => Some(e),
            SdkError::Transport(e) => Some(e.as_ref()),
            SdkError::Timeout(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e),
        }
    }
}

/// The client's configuration does not allow the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    /// A configuration error with this explanation (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        ConfigError { message: message.into() }
    }

    /// The explanation, without the `configuration error:` the `Display` form starts with.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration error: {}", self.message)
    }
}

impl Error for ConfigError {}

/// The call ran past a timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    what: &'static str,
    after: std::time::Duration,
}

impl TimeoutError {
    /// `what` timed out (`"attempt"`, `"call"`) after `after`.
    pub fn new(what: &'static str, after: std::time::Duration) -> Self {
        TimeoutError { what, after }
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timed out after {:?}", self.what, self.after)
    }
}

impl Error for TimeoutError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_drop_namespace_and_uri() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(sanitize_error_code("com.amazonaws.codepipeline#JobNotFoundException"), "JobNotFoundException");
        assert_eq!(
            sanitize_error_code(
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError:http://example.com"), "FooError");
    }

    #[test]
    fn header_wins_over_body_and_message_is_found_either_case() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amzn-errortype", "HeaderCode:http://x".parse().unwrap());
        headers.insert("x-amzn-requestid", "req-1".parse().unwrap());
        let body = serde_json::json!({"__type": "ns#BodyCode", "Message": "hi"});
        let meta = error_metadata(400, &headers, Some(&body));
        assert_eq!(meta.code(), Some("HeaderCode"));
        assert_eq!(meta.message(), Some("hi"));
        assert_eq!(meta.request_id(), Some("req-1"));
        let meta = error_metadata(400, &http::HeaderMap::new(), Some(&body));
        assert_eq!(meta.code(), Some("BodyCode"));
        let body = serde_json::json!({"code": "Plain", "message": "lower"});
        let meta = error_metadata(400, &http::HeaderMap::new(), Some(&body));
        assert_eq!((meta.code(), meta.message()), (Some("Plain"), Some("lower")));
    }

    #[test]
    fn the_error_type_header_counts_only_when_its_name_is_visible_ascii() {
        let body = serde_json::json!({"__type": "ns#BodyCode"});
        let with_header = |value: &[u8]| {
            let mut headers = http::HeaderMap::new();
            headers.insert("x-amzn-errortype", http::HeaderValue::from_bytes(value).unwrap());
            error_metadata(400, &headers, Some(&body))
        };
        assert_eq!(with_header(b"ns#HeaderCode").code(), Some("HeaderCode"));
        // A name with bytes beyond ASCII (here UTF-8 for `é`) names no shape: the body's type decides.
        assert_eq!(with_header("Caf\u{e9}Error".as_bytes()).code(), Some("BodyCode"));
        assert_eq!(with_header(b"Caf\xe9Error").code(), Some("BodyCode"), "Latin-1 bytes");
        // What follows the `:` is a URI that is dropped anyway; its bytes do not matter.
        assert_eq!(with_header("HeaderCode:http://example.com/caf\u{e9}".as_bytes()).code(), Some("HeaderCode"));
        assert_eq!(with_header(b" HeaderCode ").code(), Some("HeaderCode"), "spaces are trimmed");
        // A usable header that reduces to nothing is no code, rather than the body's.
        assert_eq!(with_header(b":http://example.com").code(), None);
    }

    #[test]
    fn non_json_body_still_gives_status() {
        let meta = error_metadata(503, &http::HeaderMap::new(), None);
        assert_eq!(meta.code(), None);
        assert_eq!(meta.status(), Some(503));
        assert_eq!(meta.to_string(), "unknown error (HTTP 503)");
    }

    #[test]
    fn a_query_error_header_gives_the_code_and_fault() {
        let body = serde_json::json!({"__type": "ns#CustomCodeError", "message": "Hi"});
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amzn-query-error", "Customized;Sender".parse().unwrap());
        let plain = error_metadata(400, &headers, Some(&body));
        assert_eq!((plain.code(), plain.query_fault()), (Some("CustomCodeError"), None), "only when asked for");
        let meta = plain.with_query_error(&headers);
        assert_eq!((meta.code(), meta.query_fault(), meta.message()), (Some("Customized"), Some("Sender"), Some("Hi")));
        for unusable in ["Customized", ";Sender", ""] {
            let mut headers = http::HeaderMap::new();
            headers.insert("x-amzn-query-error", unusable.parse().unwrap());
            let meta = error_metadata(400, &headers, Some(&body)).with_query_error(&headers);
            assert_eq!((meta.code(), meta.query_fault()), (Some("CustomCodeError"), None), "{unusable:?}");
        }
        let meta = error_metadata(400, &http::HeaderMap::new(), Some(&body)).with_query_error(&http::HeaderMap::new());
        assert_eq!(meta.code(), Some("CustomCodeError"));
    }
}
