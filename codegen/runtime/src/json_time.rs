//! Timestamps in awsJson bodies, in each of Smithy's three timestamp formats.

use serde_json::Value;

use super::datetime::DateTime;
use super::json::{DeserializeError, JsonValueWriter};

/// Which text form a timestamp member uses on the wire (`@timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Seconds since the Unix epoch as a JSON number (awsJson's default).
    EpochSeconds,
    /// RFC 3339 text.
    DateTime,
    /// IMF-fixdate text.
    HttpDate,
}

/// Writes `value` in `format`.
pub fn write(value: &DateTime, format: Format, writer: JsonValueWriter<'_>) {
    match format {
        Format::EpochSeconds => value.write_epoch_seconds(writer.raw()),
        Format::DateTime => writer.string(&value.fmt_date_time()),
        Format::HttpDate => writer.string(&value.fmt_http_date()),
    }
}

/// Reads a timestamp in `format`. Epoch seconds may come as an integer or a fraction.
pub fn read(value: &Value, format: Format) -> Result<DateTime, DeserializeError> {
    match (format, value) {
        (Format::EpochSeconds, Value::Number(n)) => match n.as_i64() {
            Some(secs) => Ok(DateTime::from_secs(secs)),
            None => {
                let secs = n.as_f64().unwrap_or(f64::NAN);
                DateTime::from_fractional_secs(secs)
                    .map_err(|e| DeserializeError::new(format!("invalid epoch-seconds timestamp {n}: {e}")))
            }
        },
        (Format::DateTime, Value::String(text)) => DateTime::parse_date_time(text)
            .map_err(|e| DeserializeError::new(format!("invalid date-time timestamp: {e}"))),
        (Format::HttpDate, Value::String(text)) => DateTime::parse_http_date(text)
            .map_err(|e| DeserializeError::new(format!("invalid http-date timestamp: {e}"))),
        (Format::EpochSeconds, _) => Err(DeserializeError::new("expected an epoch-seconds number")),
        (_, _) => Err(DeserializeError::new("expected a timestamp string")),
    }
}
