//! Fuzz target: arbitrary text as every timestamp format the crate reads (RFC 3339 date-time, HTTP
//! date, epoch seconds, the CLI's forms) and as a JSON timestamp value read by the response reader.
//!
//! Text that is not a timestamp is an error; one that is must print in the same format and read
//! back as the same instant. A panic (an overflow in the date arithmetic) or a hang is a bug.
#![no_main]

use codepipeline_jobs::runtime::json::read_body;
use codepipeline_jobs::runtime::json_time::{read, Format};
use codepipeline_jobs::DateTime;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(time) = DateTime::parse_date_time(text) {
        assert_eq!(DateTime::parse_date_time(&time.fmt_date_time()).ok(), Some(time), "{text:?}");
    }
    if let Ok(time) = DateTime::parse_http_date(text) {
        assert_eq!(DateTime::parse_http_date(&time.fmt_http_date()).ok(), Some(time), "{text:?}");
    }
    if let Ok(time) = DateTime::parse_epoch_seconds(text) {
        assert_eq!(DateTime::parse_epoch_seconds(&time.fmt_epoch_seconds()).ok(), Some(time), "{text:?}");
    }
    if let Ok(time) = DateTime::parse_cli(text) {
        let _ = time.fmt_date_time();
    }
    for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
        let _ = read_body(data, |reader| read(reader, format));
    }
});
