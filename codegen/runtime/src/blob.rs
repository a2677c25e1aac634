//! Binary values (`blob` shapes): the `Blob` type and its base64 form in awsJson bodies.

use std::fmt;

use serde_json::Value;

use super::json::{DeserializeError, JsonReader, JsonValueWriter};
use base64::Engine as _;

/// Bytes of a `blob` member.
///
/// `Debug` shows only the length: blobs are often large, and often hold data that should not end up in
/// logs.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, without copying.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// How many bytes there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl<const N: usize> From<[u8; N]> for Blob {
    fn from(bytes: [u8; N]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.0
    }
}

/// Writes `value` as a base64 string (standard alphabet, padded), as the awsJson protocols require.
pub fn write(value: &Blob, writer: JsonValueWriter<'_>) {
    writer.string(&base64::engine::general_purpose::STANDARD.encode(&value.0));
}

/// Reads a base64 string from a JSON tree (the CLI's input).
///
/// Padding may be left out: some services trim it, and it carries no information.
pub fn read(value: &Value) -> Result<Blob, DeserializeError> {
    let text = value.as_str().ok_or_else(|| DeserializeError::new("expected a base64 string for a blob"))?;
    decode(text)
}

/// Reads a blob member of a response body, as [`read`] does.
pub fn read_json(reader: &mut JsonReader<'_>) -> Result<Blob, DeserializeError> {
    decode(&reader.str_token("a base64 string for a blob")?)
}

fn decode(text: &str) -> Result<Blob, DeserializeError> {
    base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT
        .decode(text)
        .map(Blob)
        .map_err(|e| DeserializeError::new(format!("invalid base64 in a blob: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::JsonObjectWriter;

    fn written(blob: &Blob) -> String {
        let mut out = String::new();
        let mut object = JsonObjectWriter::new(&mut out);
        write(blob, object.key("b"));
        object.finish();
        out
    }

    #[test]
    fn writes_padded_standard_base64() {
        assert_eq!(written(&Blob::from(*b"hi")), r#"{"b":"aGk="}"#);
        assert_eq!(written(&Blob::from(vec![0xfb, 0xff])), r#"{"b":"+/8="}"#);
        assert_eq!(written(&Blob::default()), r#"{"b":""}"#);
    }

    #[test]
    fn reads_with_or_without_padding() {
        assert_eq!(read(&Value::from("aGk=")).unwrap().as_bytes(), b"hi");
        assert_eq!(read_json(&mut JsonReader::new(r#""aGk=""#)).unwrap().as_bytes(), b"hi");
        assert_eq!(read_json(&mut JsonReader::new(r#""aGk""#)).unwrap().as_bytes(), b"hi");
        assert_eq!(read_json(&mut JsonReader::new(r#""""#)).unwrap().len(), 0);
    }

    #[test]
    fn rejects_what_is_not_base64() {
        let err = read_json(&mut JsonReader::new(r#""not base64!""#)).unwrap_err();
        assert!(err.to_string().contains("invalid base64"), "{err}");
        assert!(read_json(&mut JsonReader::new("12")).is_err());
        assert!(read(&Value::from(12)).is_err());
    }

    #[test]
    fn debug_shows_the_length_only() {
        let secret = Blob::new(b"hunter2".to_vec());
        assert_eq!(format!("{secret:?}"), "Blob(7 bytes)");
    }
}
