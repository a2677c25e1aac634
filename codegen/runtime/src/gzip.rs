//! Compresses the request bodies of operations the model marks with `smithy.api#requestCompression`,
//! with gzip, as the AWS SDKs do: when compression is not turned off and the body is at least the
//! minimum size (see `request_compression`). The client then sends `Content-Encoding: gzip` and signs
//! the compressed bytes.
//!
//! Only crates whose model uses the trait carry this module and its dependency, flate2 with its
//! pure-Rust backend (miniz_oxide) and nothing else.

use std::io::Write as _;

use flate2::write::GzEncoder;
use flate2::Compression;

use super::request_body::RequestBody;
use super::request_compression::CompressionSettings;

/// The body to send for `body`: gzip-compressed when `settings` say a body of its size is, else as it is.
pub fn compress_request(settings: CompressionSettings, body: impl Into<Vec<u8>>) -> RequestBody {
    let body: Vec<u8> = body.into();
    if !settings.compresses(body.len()) {
        return RequestBody::from(body);
    }
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 4 + 32), Compression::default());
    // Writing into a `Vec` cannot fail; should the encoder fail anyway, the body goes uncompressed,
    // which the service accepts just as well.
    match encoder.write_all(&body).and_then(|()| encoder.finish()) {
        Ok(compressed) => RequestBody::encoded(compressed, "gzip"),
        Err(_) => RequestBody::from(body),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn gunzip(bytes: &[u8]) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("a gzip stream");
        text
    }

    fn settings(disable: bool, min_size: u32) -> CompressionSettings {
        CompressionSettings::resolve(Some(disable), Some(min_size), None).expect("valid settings")
    }

    #[test]
    fn a_body_at_the_minimum_size_is_compressed_and_reads_back() {
        let body = format!("{{\"data\":\"{}\"}}", "abc".repeat(40));
        let sent = compress_request(settings(false, body.len() as u32), body.clone());
        assert_eq!(sent.content_encoding(), Some("gzip"));
        assert_eq!(&sent.bytes()[..2], [0x1f, 0x8b], "the gzip magic number");
        assert!(sent.bytes().len() < body.len());
        assert_eq!(gunzip(sent.bytes()), body);
    }

    #[test]
    fn a_smaller_body_or_disabled_compression_sends_the_body_as_it_is() {
        let body = "{\"a\":1}".to_string();
        let below = compress_request(settings(false, body.len() as u32 + 1), body.clone());
        assert_eq!((below.bytes(), below.content_encoding()), (body.as_bytes(), None));
        let disabled = compress_request(settings(true, 0), body.clone());
        assert_eq!((disabled.bytes(), disabled.content_encoding()), (body.as_bytes(), None));
        let empty = compress_request(settings(false, 0), String::new());
        assert_eq!(gunzip(empty.bytes()), "", "a minimum of 0 compresses even an empty body");
    }
}
