//! Sample test for the crate generated from the whole CloudWatch Logs model (awsJson 1.1): long
//! timestamps, defaults, deprecated operations and members, and typed errors. `StartLiveTail`
//! streams, so the generator leaves it out (checked in `tests/tests/real_models.rs`).
//!
//! Copied into the generated crate by `tests/tests/real_models.rs`; not compiled in this workspace.

use cloudwatch_logs as sdk;

mod common;

use std::collections::BTreeMap;

use common::Recorder;
use sdk::error::PutLogEventsError;
use sdk::types::{FilterLogEventsRequest, InputLogEvent, PutLogEventsRequest};
use sdk::Validate;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn put_log_events() -> Result<PutLogEventsRequest, sdk::ValidationError> {
    PutLogEventsRequest::builder()
        .log_group_name("/app/web")
        .log_stream_name("i-0123")
        .log_events(vec![
            InputLogEvent::builder()
                .timestamp(1_700_000_000_000)
                .message("started")
                .build()?,
            InputLogEvent::builder()
                .timestamp(1_700_000_000_250)
                .message("line \"two\"\n")
                .build()?,
        ])
        .build()
}

#[tokio::test]
async fn put_log_events_sends_events_and_reads_rejections() -> TestResult {
    let input = put_log_events()?;
    input.validate()?;
    let reply =
        r#"{"nextSequenceToken":"49590","rejectedLogEventsInfo":{"tooOldLogEventEndIndex":0}}"#;
    let recorder = Recorder::replying(200, reply);
    let output = recorder.client().call_put_log_events(input).await?;
    let request = recorder.only();
    assert_eq!(request.target, "Logs_20140328.PutLogEvents");
    assert_eq!(request.content_type, "application/x-amz-json-1.1");
    let expected = concat!(
        r#"{"logGroupName":"/app/web","logStreamName":"i-0123","logEvents":["#,
        r#"{"timestamp":1700000000000,"message":"started"},"#,
        r#"{"timestamp":1700000000250,"message":"line \"two\"\n"}]}"#,
    );
    assert_eq!(request.body, expected);
    assert_eq!(output.next_sequence_token.as_deref(), Some("49590"));
    let rejected = output.rejected_log_events_info.expect("rejections");
    assert_eq!(
        (
            rejected.too_old_log_event_end_index,
            rejected.too_new_log_event_start_index
        ),
        (Some(0), None)
    );
    Ok(())
}

#[tokio::test]
async fn bad_names_are_refused_before_sending() -> TestResult {
    let input = PutLogEventsRequest::builder()
        .log_group_name("bad group name")
        .log_stream_name("s")
        .log_events(Vec::new())
        .build()?;
    let error = input
        .validate()
        .expect_err("spaces are not allowed in log group names");
    assert_eq!(error.violations()[0].path(), "logGroupName");
    let recorder = Recorder::replying(200, "{}");
    assert!(recorder.client().call_put_log_events(input).await.is_err());
    assert!(recorder.requests().is_empty());
    Ok(())
}

#[tokio::test]
async fn deprecated_operations_and_members_still_work() -> TestResult {
    let recorder = Recorder::replying(
        200,
        r#"{"events":[{"logStreamName":"s","timestamp":1700000000000,"message":"m"}]}"#,
    );
    let client = recorder.client();
    #[allow(deprecated)]
    let filter = FilterLogEventsRequest::builder()
        .log_group_name("/app/web")
        .start_time(1_700_000_000_000)
        .interleaved(true)
        .build()?;
    let output = client.call_filter_log_events(filter).await?;
    let events = output.events.expect("events");
    assert_eq!(
        (events[0].timestamp, events[0].message.as_deref()),
        (Some(1_700_000_000_000), Some("m"))
    );
    #[allow(deprecated)]
    client
        .tag_log_group()
        .log_group_name("/app/web")
        .tags(BTreeMap::from([("team".to_string(), "a".to_string())]))
        .send()
        .await?;
    let bodies: Vec<(String, String)> = recorder
        .requests()
        .into_iter()
        .map(|r| (r.target, r.body))
        .collect();
    assert_eq!(
        bodies,
        [
            (
                "Logs_20140328.FilterLogEvents".to_string(),
                // `unmask` (`@default(false)`) was not set, so it is left out and the service
                // applies its default.
                r#"{"logGroupName":"/app/web","startTime":1700000000000,"interleaved":true}"#
                    .to_string()
            ),
            (
                "Logs_20140328.TagLogGroup".to_string(),
                r#"{"logGroupName":"/app/web","tags":{"team":"a"}}"#.to_string()
            ),
        ]
    );
    Ok(())
}

#[tokio::test]
async fn service_errors_are_typed() -> TestResult {
    let reply = r#"{"__type":"DataAlreadyAcceptedException","message":"already","expectedSequenceToken":"49591"}"#;
    let recorder = Recorder::replying(400, reply);
    let error = recorder
        .client()
        .call_put_log_events(put_log_events()?)
        .await
        .expect_err("the service refused");
    match error.as_service_error() {
        Some(PutLogEventsError::DataAlreadyAcceptedException(e)) => {
            assert_eq!(e.expected_sequence_token.as_deref(), Some("49591"));
        }
        other => panic!("expected DataAlreadyAcceptedException, got {other:?}"),
    }
    Ok(())
}

/// `unmask` has `@default(false)`: set explicitly to `false`, it is sent, as the AWS CLI sends it.
#[tokio::test]
async fn an_input_member_set_to_its_default_is_sent() -> TestResult {
    let recorder = Recorder::replying(200, "{}");
    let client = recorder.client();
    for unmask in [Some(false), Some(true), None] {
        client
            .get_log_events()
            .log_group_name("/app/web")
            .log_stream_name("s")
            .set_unmask(unmask)
            .send()
            .await?;
    }
    let bodies: Vec<String> = recorder.requests().into_iter().map(|r| r.body).collect();
    assert_eq!(
        bodies,
        [
            r#"{"logGroupName":"/app/web","logStreamName":"s","unmask":false}"#,
            r#"{"logGroupName":"/app/web","logStreamName":"s","unmask":true}"#,
            r#"{"logGroupName":"/app/web","logStreamName":"s"}"#,
        ]
    );
    Ok(())
}
