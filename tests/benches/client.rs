//! Criterion benches of the generated client's per-call cost, for each of its three operations:
//! the whole call in process (validate, serialize, sign, send through an in-memory transport
//! with a canned response, parse) and each of those steps alone through the crate's public API.
//!
//! Run with `cargo bench -p tests --bench client` (append `-- --quick` for a fast look).

use std::hint::black_box;
use std::time::SystemTime;

use codepipeline_jobs::client::{Config, Credentials};
use codepipeline_jobs::runtime::http::{BoxFuture, HttpClient, TransportError, TransportErrorKind};
use codepipeline_jobs::runtime::sigv4::{Signer, SigningParams};
use codepipeline_jobs::types::{
    AcknowledgeThirdPartyJobInput, AcknowledgeThirdPartyJobOutput, CurrentRevision, ExecutionDetails, FailureDetails,
    FailureType, PutThirdPartyJobFailureResultInput, PutThirdPartyJobFailureResultOutput,
    PutThirdPartyJobSuccessResultInput, PutThirdPartyJobSuccessResultOutput,
};
use codepipeline_jobs::{Client, DateTime, Validate};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

const JOB_ID: &str = "11111111-2222-3333-4444-555555555555";
const CLIENT_TOKEN: &str = "a1b2c3d4-client-token";
const ACKNOWLEDGE_RESPONSE: &[u8] = br#"{"status":"InProgress"}"#;
const EMPTY_RESPONSE: &[u8] = b"{}";

/// Answers like CodePipeline answers a successful call: 200, a request id, and the body the
/// operation named in `x-amz-target` returns.
#[derive(Debug)]
struct Canned;

impl HttpClient for Canned {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _max_response_bytes: usize,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        let acknowledge = request
            .headers()
            .get("x-amz-target")
            .is_some_and(|target| target.as_bytes().ends_with(b".AcknowledgeThirdPartyJob"));
        let body = if acknowledge { ACKNOWLEDGE_RESPONSE } else { EMPTY_RESPONSE };
        Box::pin(async move {
            http::Response::builder()
                .status(200)
                .header("content-type", "application/x-amz-json-1.1")
                .header("x-amzn-requestid", "0d3c1f6e-5b1a-4a57-9a8e-2f0c7d1b9e42")
                .body(body.to_vec())
                .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))
        })
    }
}

fn credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None)
}

fn client() -> Client {
    let config = Config::builder().region("us-east-1").credentials_provider(credentials()).http_client(Canned);
    Client::from_conf(config).expect("the bench's client configuration is complete")
}

fn acknowledge_input() -> AcknowledgeThirdPartyJobInput {
    AcknowledgeThirdPartyJobInput::builder()
        .job_id(JOB_ID)
        .nonce("3")
        .client_token(CLIENT_TOKEN)
        .build()
        .expect("the bench's AcknowledgeThirdPartyJob input is complete")
}

fn failure_input() -> PutThirdPartyJobFailureResultInput {
    let details = FailureDetails::builder()
        .r#type(FailureType::JobFailed)
        .message("The deploy step timed out after 15 minutes")
        .external_execution_id("deploy-5678")
        .build()
        .expect("the bench's failure details are complete");
    PutThirdPartyJobFailureResultInput::builder()
        .job_id(JOB_ID)
        .client_token(CLIENT_TOKEN)
        .failure_details(details)
        .build()
        .expect("the bench's PutThirdPartyJobFailureResult input is complete")
}

/// Every optional member set, as in `cargo xtask bench-compare`.
fn success_input() -> PutThirdPartyJobSuccessResultInput {
    let revision = CurrentRevision::builder()
        .revision("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
        .change_identifier("build-1234")
        .created(DateTime::from_secs(1_714_564_800))
        .revision_summary("Fix the flaky deploy step")
        .build()
        .expect("the bench's revision is complete");
    let details = ExecutionDetails::builder()
        .summary("Deployed to 12 hosts")
        .external_execution_id("deploy-5678")
        .percent_complete(100)
        .build()
        .expect("the bench's execution details are complete");
    PutThirdPartyJobSuccessResultInput::builder()
        .job_id(JOB_ID)
        .client_token(CLIENT_TOKEN)
        .current_revision(revision)
        .continuation_token("step-2-of-3")
        .execution_details(details)
        .build()
        .expect("the bench's PutThirdPartyJobSuccessResult input is complete")
}

/// Times signing a request shaped like the client's for `operation` with `body`.
fn bench_sign(c: &mut Criterion, group: &str, operation: &str, body: &str) {
    let uri: http::Uri = "https://codepipeline.us-east-1.amazonaws.com/".parse().expect("a valid endpoint");
    let mut headers = http::HeaderMap::new();
    headers.insert("content-type", http::HeaderValue::from_static("application/x-amz-json-1.1"));
    headers.insert(
        "x-amz-target",
        http::HeaderValue::from_str(&format!("CodePipeline_20150709.{operation}")).expect("a valid header"),
    );
    headers.insert("user-agent", http::HeaderValue::from_static("codepipeline-jobs/0.1.0"));
    headers.insert("content-length", http::HeaderValue::from(body.len()));
    let credentials = credentials();
    // One signer across iterations, as in the client: its signing key is cached per day.
    let signer = Signer::new();
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "codepipeline",
        time: SystemTime::now(),
    };
    c.bench_function(&format!("{group}/sign"), |b| {
        b.iter_batched_ref(
            || headers.clone(),
            |headers| signer.sign(&http::Method::POST, &uri, headers, body.as_bytes(), &params),
            BatchSize::SmallInput,
        )
    });
}

fn acknowledge(c: &mut Criterion) {
    let group = "AcknowledgeThirdPartyJob";
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a tokio runtime");
    let client = client();
    let input = acknowledge_input();
    let output = runtime.block_on(client.call_acknowledge_third_party_job(input.clone()));
    assert!(output.is_ok_and(|o| o.status.is_some()), "the in-process call must succeed and read the status");
    c.bench_function(&format!("{group}/end_to_end"), |b| {
        b.to_async(&runtime).iter_batched(
            || input.clone(),
            |input| client.call_acknowledge_third_party_job(input),
            BatchSize::SmallInput,
        )
    });
    c.bench_function(&format!("{group}/validate"), |b| b.iter(|| black_box(&input).validate()));
    c.bench_function(&format!("{group}/serialize"), |b| b.iter(|| black_box(&input).to_json_body()));
    bench_sign(c, group, "AcknowledgeThirdPartyJob", &input.to_json_body());
    c.bench_function(&format!("{group}/parse"), |b| {
        b.iter(|| AcknowledgeThirdPartyJobOutput::from_json_body(black_box(ACKNOWLEDGE_RESPONSE)))
    });
}

fn failure(c: &mut Criterion) {
    let group = "PutThirdPartyJobFailureResult";
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a tokio runtime");
    let client = client();
    let input = failure_input();
    assert!(runtime.block_on(client.call_put_third_party_job_failure_result(input.clone())).is_ok());
    c.bench_function(&format!("{group}/end_to_end"), |b| {
        b.to_async(&runtime).iter_batched(
            || input.clone(),
            |input| client.call_put_third_party_job_failure_result(input),
            BatchSize::SmallInput,
        )
    });
    c.bench_function(&format!("{group}/validate"), |b| b.iter(|| black_box(&input).validate()));
    c.bench_function(&format!("{group}/serialize"), |b| b.iter(|| black_box(&input).to_json_body()));
    bench_sign(c, group, "PutThirdPartyJobFailureResult", &input.to_json_body());
    c.bench_function(&format!("{group}/parse"), |b| {
        b.iter(|| PutThirdPartyJobFailureResultOutput::from_json_body(black_box(EMPTY_RESPONSE)))
    });
}

fn success(c: &mut Criterion) {
    let group = "PutThirdPartyJobSuccessResult";
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a tokio runtime");
    let client = client();
    let input = success_input();
    assert!(runtime.block_on(client.call_put_third_party_job_success_result(input.clone())).is_ok());
    c.bench_function(&format!("{group}/end_to_end"), |b| {
        b.to_async(&runtime).iter_batched(
            || input.clone(),
            |input| client.call_put_third_party_job_success_result(input),
            BatchSize::SmallInput,
        )
    });
    c.bench_function(&format!("{group}/validate"), |b| b.iter(|| black_box(&input).validate()));
    c.bench_function(&format!("{group}/serialize"), |b| b.iter(|| black_box(&input).to_json_body()));
    bench_sign(c, group, "PutThirdPartyJobSuccessResult", &input.to_json_body());
    c.bench_function(&format!("{group}/parse"), |b| {
        b.iter(|| PutThirdPartyJobSuccessResultOutput::from_json_body(black_box(EMPTY_RESPONSE)))
    });
}

criterion_group!(benches, acknowledge, failure, success);
criterion_main!(benches);
