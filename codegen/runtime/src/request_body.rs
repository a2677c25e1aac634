//! The request body an operation hands to the client, and the `Content-Encoding` it was encoded with,
//! if any (the `gzip` module's compressed bodies, in crates whose model compresses requests).
//!
//! Kept apart from the compression settings so that every crate shares one call pipeline: crates
//! without compressing operations only ever send plain bodies and carry no compression code.

/// A serialized request body, and the encoding it was compressed with, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBody {
    bytes: Vec<u8>,
    content_encoding: Option<&'static str>,
}

impl RequestBody {
    /// A body compressed with `encoding` (its `Content-Encoding` name, such as `gzip`).
    pub fn encoded(bytes: Vec<u8>, encoding: &'static str) -> Self {
        RequestBody { bytes, content_encoding: Some(encoding) }
    }

    /// The bytes to send.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The encoding, when the body is compressed.
    pub fn content_encoding(&self) -> Option<&'static str> {
        self.content_encoding
    }
}

impl From<String> for RequestBody {
    fn from(body: String) -> Self {
        RequestBody { bytes: body.into_bytes(), content_encoding: None }
    }
}

impl From<Vec<u8>> for RequestBody {
    /// Bytes sent as they are (a restJson1 payload may be any bytes).
    fn from(bytes: Vec<u8>) -> Self {
        RequestBody { bytes, content_encoding: None }
    }
}

/// Adds `encoding` to the request's `Content-Encoding`: after every encoding already there (they were
/// applied first, in the order of the header's values), as one value, or as its only value.
pub fn append_content_encoding(headers: &mut http::HeaderMap, encoding: &'static str) {
    let mut joined = Vec::new();
    for existing in headers.get_all(http::header::CONTENT_ENCODING) {
        let existing = existing.as_bytes().trim_ascii();
        if !existing.is_empty() {
            joined.extend_from_slice(existing);
            joined.extend_from_slice(b", ");
        }
    }
    joined.extend_from_slice(encoding.as_bytes());
    // Made of valid header values and a token, so it is one too; the fallback is never taken.
    let value = http::HeaderValue::from_bytes(&joined).unwrap_or_else(|_| http::HeaderValue::from_static(encoding));
    headers.insert(http::header::CONTENT_ENCODING, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_encoding_is_appended_to_an_existing_value() {
        let mut headers = http::HeaderMap::new();
        append_content_encoding(&mut headers, "gzip");
        assert_eq!(headers[http::header::CONTENT_ENCODING], "gzip");
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::CONTENT_ENCODING, http::HeaderValue::from_static("br"));
        append_content_encoding(&mut headers, "gzip");
        assert_eq!(headers[http::header::CONTENT_ENCODING], "br, gzip");
        assert_eq!(headers.get_all(http::header::CONTENT_ENCODING).iter().count(), 1);
        // Several values (as endpoint rules may set them) are all kept, in order, and so is a value
        // that is not visible ASCII.
        let mut headers = http::HeaderMap::new();
        headers.append(http::header::CONTENT_ENCODING, http::HeaderValue::from_static("br"));
        headers.append(http::header::CONTENT_ENCODING, http::HeaderValue::from_static(" "));
        headers.append(http::header::CONTENT_ENCODING, http::HeaderValue::from_bytes(b"x-\xE9").unwrap());
        append_content_encoding(&mut headers, "gzip");
        assert_eq!(headers[http::header::CONTENT_ENCODING].as_bytes(), b"br, x-\xE9, gzip");
        assert_eq!(headers.get_all(http::header::CONTENT_ENCODING).iter().count(), 1);
    }

    #[test]
    fn a_plain_body_has_no_encoding() {
        let body = RequestBody::from("{}".to_string());
        assert_eq!((body.bytes(), body.content_encoding()), (&b"{}"[..], None));
        let body = RequestBody::encoded(vec![1, 2], "gzip");
        assert_eq!((body.bytes(), body.content_encoding()), (&[1_u8, 2][..], Some("gzip")));
    }
}
