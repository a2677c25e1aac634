//! Timestamps in awsJson bodies, in each of Smithy's three timestamp formats.

use super::datetime::DateTime;
use super::json::{DeserializeError, JsonReader, JsonValueWriter};

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
pub fn read(reader: &mut JsonReader<'_>, format: Format) -> Result<DateTime, DeserializeError> {
    match format {
        Format::EpochSeconds => {
            let (text, integral) = reader.number("an epoch-seconds number")?;
            if let Some(secs) = integral.then(|| text.parse::<i64>().ok()).flatten() {
                return Ok(DateTime::from_secs(secs));
            }
            let secs = text.parse::<f64>().unwrap_or(f64::NAN);
            DateTime::from_fractional_secs(secs)
                .map_err(|e| DeserializeError::new(format!("invalid epoch-seconds timestamp {text}: {e}")))
        }
        Format::DateTime => DateTime::parse_date_time(&reader.str_token("a timestamp string")?)
            .map_err(|e| DeserializeError::new(format!("invalid date-time timestamp: {e}"))),
        Format::HttpDate => DateTime::parse_http_date(&reader.str_token("a timestamp string")?)
            .map_err(|e| DeserializeError::new(format!("invalid http-date timestamp: {e}"))),
    }
}
