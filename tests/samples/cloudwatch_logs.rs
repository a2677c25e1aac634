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

// Paginators. `GetLogEvents` answers with the token it was given once the stream has nothing newer,
// which ends its pages unless the duplicate-token check is turned off.

#[tokio::test]
async fn log_groups_page_through_their_items() -> TestResult {
    let recorder = Recorder::scripted(&[
        (200, r#"{"logGroups":[{"logGroupName":"/a"},{"logGroupName":"/b"}],"nextToken":"t1"}"#),
        (200, r#"{"logGroups":[{"logGroupName":"/c"}]}"#),
    ]);
    let groups = recorder
        .client()
        .describe_log_groups()
        .log_group_name_prefix("/")
        .into_paginator()
        .page_size(2)
        .items()
        .try_collect()
        .await?;
    let names: Vec<&str> = groups.iter().filter_map(|g| g.log_group_name.as_deref()).collect();
    assert_eq!(names, ["/a", "/b", "/c"]);
    let bodies: Vec<String> = recorder.requests().into_iter().map(|r| r.body).collect();
    assert_eq!(
        bodies,
        [
            r#"{"logGroupNamePrefix":"/","limit":2}"#,
            r#"{"logGroupNamePrefix":"/","nextToken":"t1","limit":2}"#,
        ]
    );
    Ok(())
}

#[tokio::test]
async fn log_events_end_at_the_repeated_forward_token_unless_told_to_keep_polling() -> TestResult {
    use futures_util::StreamExt;
    let script: &[(u16, &str)] = &[
        (200, r#"{"events":[{"message":"one"}],"nextForwardToken":"f/1","nextBackwardToken":"b/0"}"#),
        (200, r#"{"events":[],"nextForwardToken":"f/1","nextBackwardToken":"b/1"}"#),
        (200, r#"{"events":[{"message":"two"}],"nextForwardToken":"f/2","nextBackwardToken":"b/1"}"#),
    ];
    let recorder = Recorder::scripted(script);
    let events = recorder
        .client()
        .get_log_events()
        .log_group_name("/app")
        .log_stream_name("s")
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    let messages: Vec<&str> = events.iter().filter_map(|e| e.message.as_deref()).collect();
    assert_eq!(messages, ["one"]);
    assert_eq!(recorder.requests().len(), 2, "the page that repeated `f/1` is the last");

    // Polling on: the stream keeps following the token; the caller decides when to stop.
    let recorder = Recorder::scripted(script);
    let events: Vec<_> = recorder
        .client()
        .get_log_events()
        .log_group_name("/app")
        .log_stream_name("s")
        .into_paginator()
        .stop_on_duplicate_token(false)
        .items()
        .take(2)
        .collect()
        .await;
    let mut messages = Vec::new();
    for event in events {
        messages.push(event?.message);
    }
    assert_eq!(messages, [Some("one".to_owned()), Some("two".to_owned())]);
    assert_eq!(recorder.requests().len(), 3);
    Ok(())
}

const CLI: &str = env!("CARGO_BIN_EXE_cloudwatch-logs");

/// Three pages of log groups, by the token each is requested with.
fn log_group_pages(body: &serde_json::Value) -> (u16, String) {
    let page = match body["nextToken"].as_str() {
        None => r#"{"logGroups":[{"logGroupName":"a","storedBytes":1},{"logGroupName":"b"}],"nextToken":"t1"}"#,
        Some("t1") => r#"{"logGroups":[],"nextToken":"t2"}"#,
        _ => r#"{"logGroups":[{"logGroupName":"c","creationTime":5}]}"#,
    };
    (200, page.to_owned())
}

/// The CLI prints what `aws logs describe-log-groups` (AWS CLI 1.45, botocore 1.43) printed for the
/// same three pages, with each of these options.
#[test]
fn describe_log_groups_prints_what_the_aws_cli_prints() {
    let a = "        {\n            \"logGroupName\": \"a\",\n            \"storedBytes\": 1\n        }";
    let b = "        {\n            \"logGroupName\": \"b\"\n        }";
    let c = "        {\n            \"logGroupName\": \"c\",\n            \"creationTime\": 5\n        }";
    let cases: &[(&[&str], String)] = &[
        (&[], format!("{{\n    \"logGroups\": [\n{a},\n{b},\n{c}\n    ]\n}}\n")),
        (
            &["--max-items", "2"],
            format!("{{\n    \"logGroups\": [\n{a},\n{b}\n    ],\n    \"NextToken\": \"eyJuZXh0VG9rZW4iOiAidDEifQ==\"\n}}\n"),
        ),
        (
            &["--max-items", "1"],
            format!("{{\n    \"logGroups\": [\n{a}\n    ],\n    \"NextToken\": \"eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==\"\n}}\n"),
        ),
        (
            &["--max-items", "1", "--starting-token", "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="],
            format!("{{\n    \"logGroups\": [\n{b}\n    ],\n    \"NextToken\": \"eyJuZXh0VG9rZW4iOiAidDEifQ==\"\n}}\n"),
        ),
        (
            &["--no-paginate"],
            format!("{{\n    \"logGroups\": [\n{a},\n{b}\n    ],\n    \"nextToken\": \"t1\"\n}}\n"),
        ),
    ];
    for (options, expected) in cases {
        let server = common::PageServer::start(log_group_pages);
        let mut args = vec!["describe-log-groups"];
        args.extend_from_slice(options);
        let (code, stdout, stderr) = server.run_cli(CLI, &args);
        assert_eq!(code, 0, "{options:?}: {stderr}");
        assert_eq!(&stdout, expected, "{options:?}");
    }
}
