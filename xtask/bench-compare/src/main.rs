//! Measures, in one process, what `cargo xtask bench-compare` reports besides build weight: the
//! cost of one `PutThirdPartyJobSuccessResult` call (every optional member set) through the
//! generated client and through `aws-sdk-codepipeline`, both answered from memory, and the time
//! to generate code from the CodePipeline model.
//!
//! Usage: `bench-compare CONFIG_MODEL [WHOLE_MODEL]`. CONFIG_MODEL is the project's model (the
//! three job-worker operations are generated); WHOLE_MODEL, when given, is the full CodePipeline
//! model, generated whole. Results go to stdout as `key=value` lines for the xtask to read.

mod measure;

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use measure::{calibrate, compare_async, median, ROUNDS};

/// Identifiers shaped the way CodePipeline issues them, so both clients' validation passes.
const JOB_ID: &str = "11111111-2222-3333-4444-555555555555";
const CLIENT_TOKEN: &str = "a1b2c3d4-client-token";
/// A fixed time for `currentRevision.created` (2024-05-01T12:00:00Z).
const CREATED_EPOCH_SECONDS: i64 = 1_714_564_800;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config_model, whole_model) = match args.as_slice() {
        [config] => (config.as_str(), None),
        [config, whole] => (config.as_str(), Some(whole.as_str())),
        _ => {
            eprintln!("usage: bench-compare CONFIG_MODEL [WHOLE_MODEL]");
            return ExitCode::FAILURE;
        }
    };
    match run(Path::new(config_model), whole_model.map(Path::new)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(config_model: &Path, whole_model: Option<&Path>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    let generated = generated_client()?;
    let sdk = sdk_client();

    // Prove both calls succeed before timing them: a failing call would time the error path.
    runtime.block_on(call_generated(&generated))?;
    runtime.block_on(call_sdk(&sdk))?;

    let [generated_us, sdk_us] = compare_async(&runtime, || call_generated(&generated), || call_sdk(&sdk))?;
    println!("generated_us={:.3}", generated_us.as_secs_f64() * 1e6);
    println!("sdk_us={:.3}", sdk_us.as_secs_f64() * 1e6);

    let jobs = codegen::Selection {
        service: None,
        operations: ["AcknowledgeThirdPartyJob", "PutThirdPartyJobFailureResult", "PutThirdPartyJobSuccessResult"]
            .map(String::from)
            .to_vec(),
        crate_name: "codepipeline-jobs".into(),
    };
    let config_ms = time_codegen(config_model, &jobs)?;
    println!("codegen_config_ms={:.3}", config_ms.as_secs_f64() * 1e3);
    if let Some(whole) = whole_model {
        let all = codegen::Selection { service: None, operations: Vec::new(), crate_name: "codepipeline".into() };
        let whole_ms = time_codegen(whole, &all)?;
        println!("codegen_whole_ms={:.3}", whole_ms.as_secs_f64() * 1e3);
    }
    Ok(())
}

/// Median time of one `codegen::generate` (read, load, lower, emit, format; nothing written).
fn time_codegen(model: &Path, selection: &codegen::Selection) -> Result<Duration, String> {
    let once = || codegen::generate(model, selection).map_err(|e| format!("codegen of {}: {e}", model.display()));
    black_box(once()?);
    let iterations = calibrate(|n| {
        let start = Instant::now();
        for _ in 0..n {
            black_box(once()?);
        }
        Ok(start.elapsed())
    })?;
    let mut samples = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(once()?);
        }
        samples.push(start.elapsed() / iterations);
    }
    Ok(median(samples))
}

mod generated {
    //! The generated client with an in-memory transport.

    use codepipeline_jobs::runtime::http::{BoxFuture, HttpClient, TransportError, TransportErrorKind};

    /// Answers every request the way CodePipeline answers a successful call: 200 and `{}`.
    #[derive(Debug)]
    pub struct Canned;

    impl HttpClient for Canned {
        fn send(
            &self,
            _request: http::Request<Vec<u8>>,
            _max_response_bytes: usize,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            Box::pin(async {
                super::canned_response(b"{}".to_vec())
                    .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))
            })
        }
    }
}

/// The response both in-memory transports return, built afresh per call as a real one would be.
fn canned_response<B>(body: B) -> http::Result<http::Response<B>> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amzn-requestid", "0d3c1f6e-5b1a-4a57-9a8e-2f0c7d1b9e42")
        .body(body)
}

fn generated_client() -> Result<codepipeline_jobs::Client, String> {
    use codepipeline_jobs::client::{Config, Credentials};
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None))
        .http_client(generated::Canned);
    codepipeline_jobs::Client::from_conf(config).map_err(|e| format!("generated client: {e}"))
}

async fn call_generated(client: &codepipeline_jobs::Client) -> Result<(), String> {
    use codepipeline_jobs::types::{CurrentRevision, ExecutionDetails};
    let revision = CurrentRevision::builder()
        .revision("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
        .change_identifier("build-1234")
        .created(codepipeline_jobs::DateTime::from_secs(CREATED_EPOCH_SECONDS))
        .revision_summary("Fix the flaky deploy step")
        .build()
        .map_err(|e| e.to_string())?;
    let details = ExecutionDetails::builder()
        .summary("Deployed to 12 hosts")
        .external_execution_id("deploy-5678")
        .percent_complete(100)
        .build()
        .map_err(|e| e.to_string())?;
    let output = client
        .put_third_party_job_success_result()
        .job_id(JOB_ID)
        .client_token(CLIENT_TOKEN)
        .current_revision(revision)
        .continuation_token("step-2-of-3")
        .execution_details(details)
        .send()
        .await
        .map_err(|e| format!("generated client call failed: {e}"))?;
    black_box(output);
    Ok(())
}

fn sdk_client() -> aws_sdk_codepipeline::Client {
    use aws_sdk_codepipeline::config::{BehaviorVersion, Credentials, Region};
    let http_client = aws_smithy_http_client::test_util::infallible_client_fn(|_request| {
        // The status and headers are constants, so building cannot fail; fall back to a bare 200.
        canned_response("{}").unwrap_or_else(|_| http::Response::new("{}"))
    });
    let config = aws_sdk_codepipeline::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench-compare",
        ))
        .http_client(http_client)
        .build();
    aws_sdk_codepipeline::Client::from_conf(config)
}

async fn call_sdk(client: &aws_sdk_codepipeline::Client) -> Result<(), String> {
    use aws_sdk_codepipeline::types::{CurrentRevision, ExecutionDetails};
    let revision = CurrentRevision::builder()
        .revision("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
        .change_identifier("build-1234")
        .created(aws_sdk_codepipeline::primitives::DateTime::from_secs(CREATED_EPOCH_SECONDS))
        .revision_summary("Fix the flaky deploy step")
        .build()
        .map_err(|e| e.to_string())?;
    let details = ExecutionDetails::builder()
        .summary("Deployed to 12 hosts")
        .external_execution_id("deploy-5678")
        .percent_complete(100)
        .build();
    let output = client
        .put_third_party_job_success_result()
        .job_id(JOB_ID)
        .client_token(CLIENT_TOKEN)
        .current_revision(revision)
        .continuation_token("step-2-of-3")
        .execution_details(details)
        .send()
        .await
        .map_err(|e| format!("SDK call failed: {}", aws_sdk_codepipeline::error::DisplayErrorContext(e)))?;
    black_box(output);
    Ok(())
}
