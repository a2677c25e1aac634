//! The generated client against a real HTTP server on 127.0.0.1: the wire format and signature of
//! every operation, error mapping, retries, timeouts, validation, configuration and secrecy.

mod local_server;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use codepipeline_jobs::client::{Config, Credentials, RetryConfig, ValidationMode, SERVICE};
use codepipeline_jobs::error::{
    AcknowledgeThirdPartyJobError, PutThirdPartyJobFailureResultError, PutThirdPartyJobSuccessResultError, SdkError,
    ViolationKind,
};
use codepipeline_jobs::runtime::credentials::Environment;
use codepipeline_jobs::runtime::http::{BoxFuture, HttpClient, HyperClient, TransportError, TransportErrorKind};
use codepipeline_jobs::types::{
    AcknowledgeThirdPartyJobInput, ExecutionDetails, FailureDetails, FailureType, JobStatus,
    PutThirdPartyJobSuccessResultInput,
};
use codepipeline_jobs::Client;
use local_server::{sigv4, Reply, Request, Server};
use serde_json::json;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FQoGZXIvYXdzEXAMPLE/session+token==";
const REGION: &str = "eu-west-1";

/// A client for `server` with static credentials and near-instant backoff.
fn config(server: &Server) -> Config {
    Config::builder()
        .region(REGION)
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(AKID, SECRET, None))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
}

fn client(config: Config) -> Client {
    Client::from_conf(config).expect("valid configuration")
}

/// The crate version the `user-agent` must name, read from the generated manifest.
fn crate_version() -> String {
    let manifest = std::fs::read_to_string(tests::workspace_root().join("generated/Cargo.toml")).expect("manifest");
    let line = manifest.lines().find(|l| l.starts_with("version = ")).expect("a version line");
    line.trim_start_matches("version = ").trim_matches('"').to_owned()
}

/// Asserts everything an awsJson 1.1 request to `operation` must carry, including a signature
/// that checks out when recomputed independently, and a signing time close to now.
fn assert_wire(request: &Request, server: &Server, operation: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(request.header("content-type"), "application/x-amz-json-1.1");
    assert_eq!(request.header("x-amz-target"), format!("CodePipeline_20150709.{operation}"));
    assert_eq!(request.header("host"), server.host());
    assert_eq!(request.header("user-agent"), format!("codepipeline-jobs/{}", crate_version()));
    assert_eq!(request.header("content-length"), request.body.len().to_string());
    // Same-format timestamps compare correctly as strings.
    let amz_date = request.header("x-amz-date");
    let now = SystemTime::now();
    let (earliest, latest) = (amz_date_of(now - Duration::from_secs(300)), amz_date_of(now));
    assert!(
        (earliest.as_str()..=latest.as_str()).contains(&amz_date),
        "x-amz-date `{amz_date}` is not a YYYYMMDDTHHMMSSZ time of the last minutes ({latest})"
    );
    sigv4::verify(request, AKID, SECRET, REGION, "codepipeline");
}

/// `YYYYMMDDTHHMMSSZ` for a time, computed here from the civil-calendar algorithm so the test does
/// not trust the client's own formatter.
fn amz_date_of(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

fn ack_input() -> AcknowledgeThirdPartyJobInput {
    AcknowledgeThirdPartyJobInput::builder()
        .job_id("job-1")
        .nonce("n-1")
        .client_token("ct-1")
        .build()
        .expect("complete")
}

// ---------------------------------------------------------------------------------------------
// Success, one test per operation

#[tokio::test]
async fn acknowledge_sends_a_signed_awsjson_request_and_reads_the_status() {
    let server = Server::start(vec![Reply::json(200, r#"{"status":"InProgress"}"#)]).await;
    let output = client(config(&server))
        .acknowledge_third_party_job()
        .job_id("job-1")
        .nonce("n-1")
        .client_token("ct-1")
        .send()
        .await
        .expect("success");
    assert_eq!(output.status, Some(JobStatus::InProgress));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_wire(&requests[0], &server, "AcknowledgeThirdPartyJob");
    assert!(!requests[0].has_header("x-amz-security-token"), "no token configured, none must be sent");
    assert_eq!(requests[0].json(), json!({"jobId": "job-1", "nonce": "n-1", "clientToken": "ct-1"}));
}

#[tokio::test]
async fn success_result_sends_continuation_token_and_execution_details() {
    // An empty body is how AWS answers operations with an empty output.
    let server = Server::start(vec![Reply::json(200, "")]).await;
    let details = ExecutionDetails::builder()
        .summary("half done")
        .external_execution_id("run-7")
        .percent_complete(50)
        .build()
        .expect("valid");
    client(config(&server))
        .put_third_party_job_success_result()
        .job_id("job-1")
        .client_token("ct-1")
        .continuation_token("next-step")
        .execution_details(details)
        .send()
        .await
        .expect("success");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_wire(&requests[0], &server, "PutThirdPartyJobSuccessResult");
    assert_eq!(
        requests[0].json(),
        json!({
            "jobId": "job-1",
            "clientToken": "ct-1",
            "continuationToken": "next-step",
            "executionDetails": {"summary": "half done", "externalExecutionId": "run-7", "percentComplete": 50}
        })
    );
}

#[tokio::test]
async fn failure_result_sends_failure_details() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let details = FailureDetails::builder()
        .r#type(FailureType::ConfigurationError)
        .message("bad config")
        .external_execution_id("run-8")
        .build()
        .expect("valid");
    client(config(&server))
        .put_third_party_job_failure_result()
        .job_id("job-1")
        .client_token("ct-1")
        .failure_details(details)
        .send()
        .await
        .expect("success");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_wire(&requests[0], &server, "PutThirdPartyJobFailureResult");
    assert_eq!(
        requests[0].json(),
        json!({
            "jobId": "job-1",
            "clientToken": "ct-1",
            "failureDetails": {"type": "ConfigurationError", "message": "bad config", "externalExecutionId": "run-8"}
        })
    );
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let config = config(&server).credentials_provider(Credentials::new(AKID, SECRET, Some(TOKEN.to_owned())));
    client(config).call_acknowledge_third_party_job(ack_input()).await.expect("success");
    let request = &server.requests()[0];
    assert_eq!(request.header("x-amz-security-token"), TOKEN);
    // `verify` insists the token header is among the signed ones.
    assert_wire(request, &server, "AcknowledgeThirdPartyJob");
}

// ---------------------------------------------------------------------------------------------
// Fixed signature vector

/// Checks the test's own signer against the worked example in the AWS SigV4 documentation
/// (IAM `ListUsers`), so that the fixed vector below is trustworthy.
#[test]
fn independent_signer_reproduces_the_aws_documentation_example() {
    let canonical = "GET\n/\nAction=ListUsers&Version=2010-05-08\n\
        content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n\
        x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n\
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    assert_eq!(
        sigv4::signature(SECRET, "20150830T123600Z", "us-east-1", "iam", canonical),
        "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    );
}

/// Sends requests to the local server whatever their URI says, leaving the signed `host` header
/// alone, so a request signed for the real CodePipeline endpoint can be inspected. The bytes still
/// go through the crate's own hyper transport.
#[derive(Debug)]
struct RedirectTo {
    server: String,
    inner: HyperClient,
}

impl HttpClient for RedirectTo {
    fn send(
        &self,
        mut request: http::Request<Vec<u8>>,
        max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        let path = request.uri().path().to_owned();
        *request.uri_mut() = format!("{}{path}", self.server).parse().expect("valid URI");
        self.inner.send(request, max_response_bytes)
    }
}

#[tokio::test]
async fn signature_at_a_fixed_time_matches_an_independently_computed_vector() {
    let server = Server::start(vec![Reply::json(200, r#"{"status":"InProgress"}"#)]).await;
    // 2015-08-30T12:36:00Z, the time of the AWS documentation's examples.
    let fixed = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new(AKID, SECRET, Some(TOKEN.to_owned())))
        .http_client(RedirectTo { server: server.url(), inner: HyperClient::new() })
        .time_source(move || fixed);
    let input = AcknowledgeThirdPartyJobInput::builder()
        .job_id("f4f4ff82-2d11-EXAMPLE")
        .nonce("3")
        .client_token("ct-EXAMPLE")
        .build()
        .expect("complete");
    client(config).call_acknowledge_third_party_job(input).await.expect("success");

    let request = &server.requests()[0];
    let body = r#"{"jobId":"f4f4ff82-2d11-EXAMPLE","nonce":"3","clientToken":"ct-EXAMPLE"}"#;
    assert_eq!(String::from_utf8_lossy(&request.body), body);
    // Worked out by hand from the SigV4 documentation (and cross-checked with Python's hmac and
    // hashlib), not by running this crate's signer.
    let expected_canonical = "POST\n/\n\n\
        content-length:72\n\
        content-type:application/x-amz-json-1.1\n\
        host:codepipeline.us-east-1.amazonaws.com\n\
        x-amz-date:20150830T123600Z\n\
        x-amz-security-token:FQoGZXIvYXdzEXAMPLE/session+token==\n\
        x-amz-target:CodePipeline_20150709.AcknowledgeThirdPartyJob\n\n\
        content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target\n\
        67c96b8d74827e63c963fe37a77050e7b78e373177f7d0d76215dc971d35e9ec";
    assert_eq!(sigv4::verify(request, AKID, SECRET, "us-east-1", "codepipeline"), expected_canonical);
    assert_eq!(
        request.header("authorization"),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/codepipeline/aws4_request, \
         SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, \
         Signature=34349a5b1c8a80f37f88eb8f125ed00c838bb11682aed2e2499ddb40c964c32a"
    );
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test]
async fn modeled_errors_map_to_their_variants_with_messages_and_are_not_retried() {
    // The code from `__type` (namespaced), from `code`, and from the X-Amzn-ErrorType header;
    // the message from `message` and from `Message`.
    let cases = [
        Reply::error(400, "com.amazonaws.codepipeline#JobNotFoundException", "no such job"),
        Reply::json(400, r#"{"code":"InvalidNonceException","Message":"stale nonce"}"#),
        Reply::json(400, r#"{"message":"token format"}"#)
            .with_header("X-Amzn-ErrorType", "InvalidClientTokenException:http://internal.amazon.com/coral/"),
        Reply::json(400, r#"{"__type":"ValidationException","Message":"jobId too long"}"#),
    ];
    for (i, reply) in cases.into_iter().enumerate() {
        let server = Server::start(vec![reply]).await;
        let error = client(config(&server).retry_config(RetryConfig::standard().with_max_attempts(5)))
            .call_acknowledge_third_party_job(ack_input())
            .await
            .expect_err("an error");
        let (variant, message) = match error.as_service_error() {
            Some(AcknowledgeThirdPartyJobError::JobNotFoundException(e)) => ("JobNotFound", e.message.clone()),
            Some(AcknowledgeThirdPartyJobError::InvalidNonceException(e)) => ("InvalidNonce", e.message.clone()),
            Some(AcknowledgeThirdPartyJobError::InvalidClientTokenException(e)) => {
                ("InvalidClientToken", e.message.clone())
            }
            Some(AcknowledgeThirdPartyJobError::ValidationException(e)) => ("Validation", e.message.clone()),
            _ => panic!("case {i}: not a modeled error: {error:?}"),
        };
        let expected = [
            ("JobNotFound", "no such job"),
            ("InvalidNonce", "stale nonce"),
            ("InvalidClientToken", "token format"),
            ("Validation", "jobId too long"),
        ][i];
        assert_eq!((variant, message.as_deref()), (expected.0, Some(expected.1)), "case {i}");
        assert_eq!(error.meta().and_then(|m| m.status()), Some(400));
        assert_eq!(server.requests().len(), 1, "case {i}: a modeled client error must not be retried");
    }
}

#[tokio::test]
async fn each_operation_maps_its_own_errors() {
    let server = Server::start(vec![Reply::error(400, "InvalidJobStateException", "already done")]).await;
    let error = client(config(&server))
        .put_third_party_job_success_result()
        .job_id("job-1")
        .client_token("ct-1")
        .send()
        .await
        .expect_err("an error");
    match error.as_service_error() {
        Some(PutThirdPartyJobSuccessResultError::InvalidJobStateException(e)) => {
            assert_eq!(e.message.as_deref(), Some("already done"))
        }
        other => panic!("expected InvalidJobStateException, got {other:?}"),
    }
    let server = Server::start(vec![Reply::error(400, "ValidationException", "bad details")]).await;
    let details = FailureDetails::builder().r#type(FailureType::JobFailed).message("m").build().expect("valid");
    let error = client(config(&server))
        .put_third_party_job_failure_result()
        .job_id("job-1")
        .client_token("ct-1")
        .failure_details(details)
        .send()
        .await
        .expect_err("an error");
    assert!(
        matches!(error.as_service_error(), Some(PutThirdPartyJobFailureResultError::ValidationException(_))),
        "{error:?}"
    );
}

#[tokio::test]
async fn unmodeled_error_keeps_code_message_status_and_request_id() {
    let reply = Reply::json(403, r#"{"__type":"AccessDeniedException","Message":"not authorized"}"#)
        .with_header("x-amzn-RequestId", "req-1234");
    let server = Server::start(vec![reply]).await;
    let error = client(config(&server)).call_acknowledge_third_party_job(ack_input()).await.expect_err("an error");
    let Some(AcknowledgeThirdPartyJobError::Unhandled(unhandled)) = error.as_service_error() else {
        panic!("expected an unhandled error, got {error:?}");
    };
    let meta = unhandled.meta();
    assert_eq!(meta.code(), Some("AccessDeniedException"));
    assert_eq!(meta.message(), Some("not authorized"));
    assert_eq!(meta.status(), Some(403));
    assert_eq!(meta.request_id(), Some("req-1234"));
    let shown = error.to_string();
    assert!(shown.contains("AccessDeniedException") && shown.contains("req-1234"), "{shown}");
    assert_eq!(server.requests().len(), 1, "a 403 is not retried");
}

#[tokio::test]
async fn non_json_error_body_keeps_the_status() {
    let server = Server::start(vec![Reply::json(400, "<html>Bad Request</html>")]).await;
    let error = client(config(&server)).call_acknowledge_third_party_job(ack_input()).await.expect_err("an error");
    let meta = error.meta().expect("a service error");
    assert_eq!((meta.code(), meta.status()), (None, Some(400)));
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn throttling_is_retried_and_every_attempt_is_signed_afresh() {
    let server = Server::start(vec![
        Reply::error(400, "ThrottlingException", "slow down"),
        Reply::json(200, r#"{"status":"InProgress"}"#),
    ])
    .await;
    // A clock that moves a second per reading, so a re-signed attempt has a new date and signature.
    let seconds = Arc::new(AtomicU64::new(1_700_000_000));
    let clock = Arc::clone(&seconds);
    let config =
        config(&server).time_source(move || UNIX_EPOCH + Duration::from_secs(clock.fetch_add(1, Ordering::SeqCst)));
    let output = client(config).call_acknowledge_third_party_job(ack_input()).await.expect("success after a retry");
    assert_eq!(output.status, Some(JobStatus::InProgress));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        sigv4::verify(request, AKID, SECRET, REGION, "codepipeline");
        assert_eq!(request.json(), requests[0].json());
    }
    assert_ne!(requests[0].header("x-amz-date"), requests[1].header("x-amz-date"));
    assert_ne!(requests[0].header("authorization"), requests[1].header("authorization"));
}

#[tokio::test]
async fn server_errors_are_retried_until_attempts_run_out() {
    let server = Server::start(vec![Reply::error(500, "InternalFailure", "oops")]).await;
    let retry = RetryConfig::standard().with_max_attempts(4).with_initial_backoff(Duration::from_millis(1));
    let error = client(config(&server).retry_config(retry))
        .call_acknowledge_third_party_job(ack_input())
        .await
        .expect_err("an error");
    assert_eq!(server.requests().len(), 4);
    let meta = error.meta().expect("the last response's error");
    assert_eq!((meta.code(), meta.status()), (Some("InternalFailure"), Some(500)));
    assert!(matches!(error.as_service_error(), Some(AcknowledgeThirdPartyJobError::Unhandled(_))));
}

// ---------------------------------------------------------------------------------------------
// Broken responses

#[tokio::test]
async fn malformed_success_body_is_a_response_error() {
    for body in ["<html>surprise</html>", r#"{"status": 42}"#, "[1, 2]"] {
        let server = Server::start(vec![Reply::json(200, body).with_header("x-amzn-RequestId", "req-9")]).await;
        let error = client(config(&server)).call_acknowledge_third_party_job(ack_input()).await.expect_err(body);
        let SdkError::Response(response) = &error else { panic!("{body}: expected a response error, got {error:?}") };
        assert_eq!((response.status(), response.request_id()), (200, Some("req-9")), "{body}");
        assert_eq!(server.requests().len(), 1, "{body}: not retried");
    }
}

#[tokio::test]
async fn oversized_body_is_refused() {
    let big = format!(r#"{{"status":"InProgress","padding":"{}"}}"#, "x".repeat(1000));
    let replies = [
        Reply::json(200, &big),
        // Without a Content-Length, the limit must hold while reading.
        Reply::UntilClose { status: 200, body: big.clone().into_bytes() },
    ];
    for reply in replies {
        let server = Server::start(vec![reply.clone()]).await;
        let error = client(config(&server).max_response_bytes(64))
            .call_acknowledge_third_party_job(ack_input())
            .await
            .expect_err("too large");
        let SdkError::Transport(source) = &error else { panic!("expected a transport error, got {error:?}") };
        let kind = source.downcast_ref::<TransportError>().map(TransportError::kind);
        assert_eq!(kind, Some(TransportErrorKind::ResponseTooLarge { limit: 64 }), "{reply:?}");
        assert_eq!(server.requests().len(), 1, "a too-large body is not retried");
    }
}

#[tokio::test]
async fn stalled_server_times_out_each_attempt() {
    let server = Server::start(vec![Reply::Stall]).await;
    let retry = RetryConfig::standard().with_max_attempts(2).with_initial_backoff(Duration::from_millis(1));
    let config = config(&server).retry_config(retry).attempt_timeout(Some(Duration::from_millis(150)));
    let started = Instant::now();
    let error = client(config).call_acknowledge_third_party_job(ack_input()).await.expect_err("timeout");
    assert!(matches!(error, SdkError::Timeout(_)), "{error:?}");
    assert!(error.to_string().contains("attempt"), "{error}");
    assert_eq!(server.requests().len(), 2, "each timed-out attempt is retried");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn call_timeout_bounds_the_whole_call_including_retries() {
    let server = Server::start(vec![Reply::Stall]).await;
    let retry = RetryConfig::standard().with_max_attempts(10).with_initial_backoff(Duration::from_millis(1));
    let retrying = config(&server)
        .retry_config(retry)
        .attempt_timeout(Some(Duration::from_millis(100)))
        .call_timeout(Some(Duration::from_millis(250)));
    let started = Instant::now();
    let error = client(retrying).call_acknowledge_third_party_job(ack_input()).await.expect_err("timeout");
    let elapsed = started.elapsed();
    assert!(matches!(error, SdkError::Timeout(_)), "{error:?}");
    assert!(error.to_string().contains("call"), "{error}");
    assert!(elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(2), "{elapsed:?}");
    let sent = server.requests().len();
    assert!((2..=3).contains(&sent), "{sent} attempts fit in 250 ms of 100 ms attempts");

    // With no attempt timeout at all, the call deadline alone ends a stalled call.
    let server = Server::start(vec![Reply::Stall]).await;
    let deadline_only = config(&server).attempt_timeout(None).call_timeout(Some(Duration::from_millis(200)));
    let error = client(deadline_only).call_acknowledge_third_party_job(ack_input()).await.expect_err("timeout");
    assert!(matches!(error, SdkError::Timeout(_)), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn connection_dropped_mid_response_is_a_transport_error_after_retries() {
    let server = Server::start(vec![Reply::Truncate { declared: 100, sent: 10 }]).await;
    let error = client(config(&server)).call_acknowledge_third_party_job(ack_input()).await.expect_err("dropped");
    let SdkError::Transport(source) = &error else { panic!("expected a transport error, got {error:?}") };
    let kind = source.downcast_ref::<TransportError>().map(TransportError::kind);
    assert_eq!(kind, Some(TransportErrorKind::Io));
    assert_eq!(server.requests().len(), 3, "the default 3 attempts");
}

// ---------------------------------------------------------------------------------------------
// Validation

#[tokio::test]
async fn invalid_input_is_rejected_before_anything_is_sent() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let client = client(config(&server));

    let input = AcknowledgeThirdPartyJobInput::builder().job_id("").nonce("n").client_token("ct").build().expect("set");
    let error = client.call_acknowledge_third_party_job(input).await.expect_err("invalid");
    let SdkError::Validation(invalid) = &error else { panic!("expected a validation error, got {error:?}") };
    assert_eq!(invalid.violations().len(), 1);
    assert_eq!(invalid.violations()[0].path(), "jobId");
    assert!(matches!(invalid.violations()[0].kind(), ViolationKind::Length { min: Some(1), actual: 0, .. }));
    assert!(error.to_string().contains("jobId: length must be between 1 and 512"), "{error}");

    let details = ExecutionDetails::builder().percent_complete(101).build().expect("no required members");
    let input = PutThirdPartyJobSuccessResultInput::builder()
        .job_id("job-1")
        .client_token("ct")
        .execution_details(details)
        .build()
        .expect("set");
    let error = client.call_put_third_party_job_success_result(input).await.expect_err("invalid");
    assert!(error.to_string().contains("executionDetails.percentComplete: value must be between 0 and 100"), "{error}");

    // The fluent form reports a missing required member the same way.
    let error = client.acknowledge_third_party_job().nonce("n").client_token("ct").send().await.expect_err("missing");
    let SdkError::Validation(invalid) = &error else { panic!("expected a validation error, got {error:?}") };
    assert_eq!(invalid.violations()[0].path(), "jobId");
    assert_eq!(invalid.violations()[0].kind(), &ViolationKind::Missing);

    // Give a request that slipped through time to arrive before concluding none did.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.requests().len(), 0, "nothing may be sent for an invalid input");
}

#[tokio::test]
async fn required_only_mode_leaves_constraints_to_the_service() {
    let server = Server::start(vec![Reply::json(200, r#"{"status":"InProgress"}"#)]).await;
    let long_nonce = "n".repeat(51);
    let client = client(config(&server).validation(ValidationMode::RequiredOnly));
    client
        .acknowledge_third_party_job()
        .job_id("job-1")
        .nonce(&long_nonce)
        .client_token("ct-1")
        .send()
        .await
        .expect("sent despite the 50-character limit");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].json()["nonce"], json!(long_nonce));
    // Required members are still enforced.
    let error = client.acknowledge_third_party_job().job_id("job-1").send().await.expect_err("missing");
    assert!(matches!(error, SdkError::Validation(_)), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Configuration

#[tokio::test]
async fn missing_region_or_credentials_is_a_clear_configuration_error() {
    let error = Client::from_conf(Config::builder().credentials_provider(Credentials::new(AKID, SECRET, None)))
        .expect_err("no region");
    assert!(error.to_string().contains("no region") && error.to_string().contains("AWS_REGION"), "{error}");
    let error = Client::from_conf(Config::builder().region(REGION)).expect_err("no credentials");
    assert!(error.to_string().contains("no credentials"), "{error}");

    // From an environment without credentials, the client builds but a call fails before sending.
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    // IMDS is turned off so that the chain's last source answers at once instead of being looked for.
    let env = Environment::from_pairs([
        ("AWS_REGION", REGION),
        ("AWS_ENDPOINT_URL", server.url().as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let client = Client::from_conf(Config::from_environment(&SERVICE, env)).expect("region and endpoint are set");
    let error = client.call_acknowledge_third_party_job(ack_input()).await.expect_err("no credentials");
    assert!(matches!(error, SdkError::Config(_)), "{error:?}");
    assert!(error.to_string().contains("AWS_ACCESS_KEY_ID"), "{error}");
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn environment_supplies_region_credentials_and_the_service_endpoint() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let env = Environment::from_pairs([
        ("AWS_DEFAULT_REGION", REGION),
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
        // The service-specific variable wins over the general one, as in the AWS SDKs.
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
        ("AWS_ENDPOINT_URL_CODEPIPELINE", server.url().as_str()),
    ]);
    let client = Client::from_conf(Config::from_environment(&SERVICE, env)).expect("configured");
    client.call_acknowledge_third_party_job(ack_input()).await.expect("success");
    let request = &server.requests()[0];
    assert_wire(request, &server, "AcknowledgeThirdPartyJob");
    assert_eq!(request.header("x-amz-security-token"), TOKEN);
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_error_messages() {
    let server = Server::start(vec![Reply::error(400, "JobNotFoundException", "gone")]).await;
    let credentials = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned()));
    let config = config(&server).credentials_provider(credentials.clone());
    let client = Client::from_conf(config.clone()).expect("configured");
    let service_error = client.call_acknowledge_third_party_job(ack_input()).await.expect_err("an error");
    // Half-configured environment credentials: the error must name the variable, not echo values.
    let env = Environment::from_pairs([
        ("AWS_REGION", REGION),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]);
    let env_config = Config::from_environment(&SERVICE, env).endpoint_url(server.url());
    let config_error = Client::from_conf(env_config.clone())
        .expect("configured")
        .call_acknowledge_third_party_job(ack_input())
        .await
        .expect_err("no access key id");
    assert!(config_error.to_string().contains("AWS_ACCESS_KEY_ID"), "{config_error}");

    let shown = [
        format!("{credentials:?}"),
        format!("{config:?}"),
        format!("{env_config:?}"),
        format!("{client:?}"),
        format!("{service_error:?}"),
        service_error.to_string(),
        format!("{config_error:?}"),
        config_error.to_string(),
    ];
    for text in shown {
        assert!(!text.contains(SECRET), "secret key in: {text}");
        assert!(!text.contains(TOKEN), "session token in: {text}");
        assert!(!text.contains("wJalrXUtnFEMI"), "part of the secret key in: {text}");
    }
}

/// No operation of this crate compresses its requests, so the request compression settings are not
/// its concern: values that make the compressing calls of other crates fail (or that they ignore
/// with a warning), in the environment or in the profile, neither stop the client from being built
/// nor change what it sends.
#[tokio::test]
async fn request_compression_settings_have_no_effect_where_no_operation_compresses() {
    let dir = std::env::temp_dir().join(format!("codepipeline-compression-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let config_file = dir.join("config");
    std::fs::write(
        &config_file,
        "[default]\nrequest_min_compression_size_bytes = 99999999\ndisable_request_compression = maybe\n",
    )
    .expect("write the profile");
    let config_file = config_file.to_str().expect("a UTF-8 path").to_owned();
    let settings: [&[(&str, &str)]; 2] = [
        &[
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761"),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "yes"),
        ],
        &[("AWS_CONFIG_FILE", config_file.as_str())],
    ];
    for compression in settings {
        let server = Server::start(vec![Reply::json(200, r#"{"status":"InProgress"}"#)]).await;
        let url = server.url();
        let mut pairs = vec![
            ("AWS_REGION", REGION),
            ("AWS_ACCESS_KEY_ID", AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_ENDPOINT_URL", url.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ];
        pairs.extend_from_slice(compression);
        let config = Config::from_environment(&SERVICE, Environment::from_pairs(pairs));
        let client = Client::from_conf(config).unwrap_or_else(|e| panic!("{compression:?}: {e}"));
        let output = client.call_acknowledge_third_party_job(ack_input()).await.expect("sent");
        assert_eq!(output.status, Some(JobStatus::InProgress));
        let request = &server.requests()[0];
        assert_wire(request, &server, "AcknowledgeThirdPartyJob");
        assert!(!request.has_header("content-encoding"), "{compression:?}");
        assert_eq!(request.json(), json!({"jobId": "job-1", "nonce": "n-1", "clientToken": "ct-1"}));
    }
    std::fs::remove_dir_all(&dir).expect("remove the scratch directory");
}
