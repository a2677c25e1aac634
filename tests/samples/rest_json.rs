//! Sample test for the crate generated from `tests/models/rest_json.json`, a restJson1 service: what
//! the crate's own protocol tests cannot say, as the client sends it and as the caller sees it.
//!
//! Copied into the generated crate by `tests/tests/real_models.rs`; not compiled in this workspace.

use rest_json as sdk;

mod common;

use std::collections::BTreeMap;

use common::Recorder;
use sdk::runtime::byte_stream::Bytes;
use sdk::error::SdkError;

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

#[tokio::test]
async fn an_empty_label_is_a_validation_error_and_nothing_is_sent() -> TestResult {
    let http = Recorder::replying(200, "{}");
    let error = http.client().get_thing().thing_id("").send().await.unwrap_err();
    let SdkError::Validation(error) = &error else { panic!("{error:?}") };
    assert_eq!(error.violations().len(), 1, "{error}");
    assert_eq!(error.violations()[0].path(), "thingId");
    assert!(error.to_string().contains("must not be empty"), "{error}");
    // A greedy label of only slashes would leave empty segments just the same.
    let error = http.client().put_thing().thing_id("t").path("//").send().await.unwrap_err();
    assert!(matches!(&error, SdkError::Validation(e) if e.violations()[0].path() == "path"), "{error:?}");
    assert!(http.requests().is_empty(), "nothing is sent");
    Ok(())
}

#[tokio::test]
async fn a_header_http_cannot_carry_is_a_validation_error_that_does_not_repeat_the_value() -> TestResult {
    let http = Recorder::replying(200, "{}");
    let error = http
        .client()
        .put_thing()
        .thing_id("t")
        .path("p")
        .names(vec!["line\nbreak-secret".to_string()])
        .meta(BTreeMap::from([("Bad Name".to_string(), "v".to_string())]))
        .send()
        .await
        .unwrap_err();
    let SdkError::Validation(error) = &error else { panic!("{error:?}") };
    let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
    assert_eq!(paths, ["names", "meta"], "{error}");
    assert!(!error.to_string().contains("secret"), "{error}");
    assert!(error.to_string().contains("X-Meta-Bad Name"), "the header's name is said: {error}");
    assert!(http.requests().is_empty(), "nothing is sent");
    Ok(())
}

#[tokio::test]
async fn a_call_sends_its_method_path_and_headers_and_reads_json_names() -> TestResult {
    let http = Recorder::replying(200, r#"{"Id":"thing-1","count":7}"#);
    let output = http.client().get_thing().thing_id("a b").send().await?;
    assert_eq!(output.id.as_deref(), Some("thing-1"), "`Id` is the member's @jsonName");
    assert_eq!(output.count, Some(7));
    let sent = http.only();
    assert_eq!(sent.uri.path(), "/things/a%20b");
    assert_eq!(sent.target, "", "restJson1 names the operation by its path, not x-amz-target");
    assert!(sent.headers.get("authorization").is_some(), "the request is signed");
    Ok(())
}

#[tokio::test]
async fn a_member_the_caller_sets_to_the_empty_string_is_still_sent() -> TestResult {
    let http = Recorder::replying(201, "{}");
    http.client().put_thing().thing_id("t").path("p").tags(vec![String::new()]).description("").send().await?;
    let sent = http.only();
    assert_eq!(sent.uri.query(), Some("mode=full&flag&tag="));
    assert_eq!(sent.body, r#"{"Description":""}"#);
    assert_eq!(sent.content_type, "application/json");
    Ok(())
}

#[tokio::test]
async fn a_modeled_error_is_recognised_by_its_type() -> TestResult {
    let http = Recorder::replying(404, r#"{"message":"no such thing"}"#)
        .with_header("X-Amzn-Errortype", "NotFound:http://internal/");
    let error = http.client().get_thing().thing_id("x").send().await.unwrap_err();
    let SdkError::Service(error) = &error else { panic!("{error:?}") };
    let sdk::error::GetThingError::NotFound(not_found) = error.err() else { panic!("{error:?}") };
    assert_eq!(not_found.message.as_deref(), Some("no such thing"));
    Ok(())
}

#[tokio::test]
async fn an_error_that_names_no_type_is_found_by_its_http_error_status() -> TestResult {
    // No `X-Amzn-Errortype`, `__type` or `code`: `NotFound` is the operation's only error with
    // `@httpError(404)`, so the status names it.
    let http = Recorder::replying(404, r#"{"message":"gone"}"#);
    let error = http.client().get_thing().thing_id("x").send().await.unwrap_err();
    let SdkError::Service(error) = &error else { panic!("{error:?}") };
    let sdk::error::GetThingError::NotFound(not_found) = error.err() else { panic!("{error:?}") };
    assert_eq!(not_found.message.as_deref(), Some("gone"));
    // Another status without a type is an error the model does not describe, with its status kept.
    let http = Recorder::replying(409, "");
    let error = http.client().get_thing().thing_id("x").send().await.unwrap_err();
    let SdkError::Service(error) = &error else { panic!("{error:?}") };
    assert!(matches!(error.err(), sdk::error::GetThingError::Unhandled(_)), "{error:?}");
    assert_eq!(error.meta().status(), Some(409));
    Ok(())
}

/// A body whose length is not known up front (a stream handed on from elsewhere).
struct UnknownLength(Option<&'static [u8]>);

impl sdk::runtime::byte_stream::BodySource for UnknownLength {
    fn poll_chunk(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Bytes, sdk::ByteStreamError>>> {
        std::task::Poll::Ready(self.get_mut().0.take().map(|b| Ok(Bytes::from_static(b))))
    }
}

#[tokio::test]
async fn a_streaming_upload_sends_a_file_with_its_length_and_media_type() -> TestResult {
    let dir = std::env::temp_dir().join(format!("rest-json-sample-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("asset.bin");
    // Larger than one read of the file, so the body goes out in several chunks.
    let contents: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &contents)?;
    let http = Recorder::replying(200, "").with_header("X-Asset-Sha256", "abc");
    let output = http
        .client()
        .put_asset()
        .name("a.bin")
        .content(sdk::ByteStream::from_path(&path).await?)
        .send()
        .await?;
    assert_eq!(output.sha256.as_deref(), Some("abc"), "the output's header member is read");
    let sent = http.only();
    assert_eq!(sent.uri.path(), "/assets/a.bin");
    assert_eq!(sent.bytes, contents, "the file is the body, byte for byte");
    assert_eq!(sent.headers["content-length"], "200000");
    assert_eq!(sent.content_type, "application/octet-stream");
    // A body that can be read twice is signed by its hash, not sent unsigned.
    assert!(sent.headers.get("x-amz-content-sha256").is_none());
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test]
async fn a_body_of_unknown_length_is_refused_before_sending_when_the_service_needs_its_length() -> TestResult {
    let http = Recorder::replying(200, "");
    let body = sdk::ByteStream::from_body(UnknownLength(Some(b"data")));
    let error = http.client().put_asset().name("a.bin").content(body).send().await.unwrap_err();
    let SdkError::Validation(error) = &error else { panic!("{error:?}") };
    assert_eq!(error.violations().len(), 1, "{error}");
    assert_eq!(error.violations()[0].path(), "content", "the violation names the member");
    assert!(error.to_string().contains("length"), "{error}");
    assert!(http.requests().is_empty(), "nothing is sent");
    // Bytes in memory have a length: they are sent.
    http.client().put_asset().name("a.bin").content("in memory").send().await?;
    assert_eq!(http.only().body, "in memory");
    Ok(())
}

#[tokio::test]
async fn a_streaming_download_is_collected_or_read_chunk_by_chunk_with_its_headers() -> TestResult {
    let http = Recorder::replying(200, "PK zip bytes").with_header("X-Asset-Version", "3");
    let output = http.client().read_asset().name("a.zip").send().await?;
    assert_eq!(output.version, Some(3), "the header member is read beside the stream");
    assert_eq!(output.archive.collect().await?, b"PK zip bytes");

    let mut output = http.client().read_asset().name("a.zip").send().await?;
    let mut read = Vec::new();
    while let Some(chunk) = output.archive.next().await {
        read.extend_from_slice(&chunk?);
    }
    assert_eq!(read, b"PK zip bytes");
    assert_eq!(http.requests()[0].uri.path(), "/assets/a.zip");
    Ok(())
}

#[tokio::test]
async fn a_download_is_held_to_the_clients_response_size_limit_unless_the_caller_lifts_it() -> TestResult {
    let http = Recorder::replying(200, "0123456789");
    let client = http.client_with(http.config().max_response_bytes(4));
    let output = client.read_asset().name("big").send().await?;
    let error = output.archive.collect().await.unwrap_err();
    assert_eq!(error.kind(), sdk::runtime::byte_stream::ByteStreamErrorKind::TooLarge { limit: 4 });
    let output = client.read_asset().name("big").send().await?;
    assert_eq!(output.archive.with_max_bytes(Some(10)).collect().await?, b"0123456789");
    Ok(())
}

#[tokio::test]
async fn a_checksummed_stream_is_sent_with_its_md5_and_refused_unsent_when_it_can_be_read_only_once() -> TestResult {
    let http = Recorder::replying(200, "");
    http.client().put_note().note("hello").send().await?;
    let sent = http.only();
    // `printf hello | openssl md5 -binary | base64`
    assert_eq!(sent.headers["content-md5"], "XUFAKrxLKna5cZ2REBfFkg==");
    assert_eq!(sent.content_type, "text/plain");

    let http = Recorder::replying(200, "");
    let body = sdk::ByteStream::from_body(UnknownLength(Some(b"data")));
    let error = http.client().put_note().note(body).send().await.unwrap_err();
    let SdkError::Validation(error) = &error else { panic!("{error:?}") };
    assert_eq!(error.violations()[0].path(), "note", "the violation names the member");
    assert!(error.to_string().contains("checksum"), "{error}");
    assert!(http.requests().is_empty(), "nothing is sent");

    // No note: an empty body, with no Content-Type (the checksum is the empty body's).
    let http = Recorder::replying(200, "");
    http.client().put_note().send().await?;
    let sent = http.only();
    assert!(sent.headers.get("content-type").is_none(), "{:?}", sent.headers);
    assert_eq!(sent.headers["content-md5"], "1B2M2Y8AsgTpgAmY7PhCfg==");
    Ok(())
}
