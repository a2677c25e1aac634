//! Runs the generated crate's `job_worker` example against a local server, configured only through
//! its environment and arguments as a real worker would be, and checks every request it sends.

mod local_server;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use local_server::{sigv4, Reply, Request, Server};
use serde_json::json;
use tests::CargoEnv;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FQoGZXIvYXdzEXAMPLE/session+token==";
const REGION: &str = "ap-southeast-2";

/// Builds the example once per test binary and returns the executable's path.
fn example_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        tests::cargo_build_executable(
            &["-p", "codepipeline-jobs", "--example", "job_worker"],
            "job_worker",
            CargoEnv::WithoutPackageVars,
        )
    })
}

/// The worker, configured like a deployed one: credentials and region in the environment, and the
/// endpoint pointed at `server` through `endpoint_variable`. Nothing of this process's own AWS
/// settings leaks in.
fn worker(server: &Server, endpoint_variable: &str) -> Command {
    let mut command = Command::new(example_binary());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", AKID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", TOKEN)
        .env(endpoint_variable, server.url());
    command
}

/// Runs the worker to completion.
async fn run(mut command: Command) -> Output {
    // The server runs on this runtime, so wait for the child off it.
    tokio::task::spawn_blocking(move || command.output().expect("run the example")).await.expect("join")
}

/// Runs the worker with the job on its command line.
async fn run_worker(server: &Server, args: &[&str]) -> Output {
    let mut command = worker(server, "AWS_ENDPOINT_URL");
    command.args(args);
    run(command).await
}

/// The checks every request from the worker must pass; returns the JSON body.
fn check(request: &Request, server: &Server, operation: &str) -> serde_json::Value {
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/"));
    assert_eq!(request.operation(), operation);
    assert_eq!(request.header("content-type"), "application/x-amz-json-1.1");
    assert_eq!(request.header("host"), server.host());
    assert!(request.header("user-agent").starts_with("codepipeline-jobs/"));
    assert_eq!(request.header("x-amz-security-token"), TOKEN);
    sigv4::verify(request, AKID, SECRET, REGION, "codepipeline");
    request.json()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_acknowledges_then_reports_success_with_a_continuation_token() {
    let server = Server::start(vec![Reply::json(200, r#"{"status":"InProgress"}"#), Reply::json(200, "")]).await;
    let output = run_worker(&server, &["job-42", "nonce-7", "token-9", "succeed"]).await;
    assert!(output.status.success(), "stdout:\n{}\nstderr:\n{}", text(&output.stdout), text(&output.stderr));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        check(&requests[0], &server, "AcknowledgeThirdPartyJob"),
        json!({"jobId": "job-42", "nonce": "nonce-7", "clientToken": "token-9"})
    );
    assert_eq!(
        check(&requests[1], &server, "PutThirdPartyJobSuccessResult"),
        json!({
            "jobId": "job-42",
            "clientToken": "token-9",
            "continuationToken": "second-half",
            "executionDetails": {
                "summary": "Deployed the first half of the fleet",
                "externalExecutionId": "run-job-42",
                "percentComplete": 50
            }
        })
    );
    assert!(text(&output.stdout).contains("reported success for job job-42"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_reports_failure_with_failure_details() {
    let server = Server::start(vec![Reply::json(200, r#"{"status":"InProgress"}"#), Reply::json(200, "{}")]).await;
    // The job comes from the environment here, and the endpoint from the service-specific variable.
    let mut command = worker(&server, "AWS_ENDPOINT_URL_CODEPIPELINE");
    command.envs([
        ("JOB_ID", "job-43"),
        ("JOB_NONCE", "nonce-8"),
        ("CLIENT_TOKEN", "token-10"),
        ("JOB_OUTCOME", "fail"),
    ]);
    let output = run(command).await;
    assert!(output.status.success(), "stdout:\n{}\nstderr:\n{}", text(&output.stdout), text(&output.stderr));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        check(&requests[0], &server, "AcknowledgeThirdPartyJob"),
        json!({"jobId": "job-43", "nonce": "nonce-8", "clientToken": "token-10"})
    );
    assert_eq!(
        check(&requests[1], &server, "PutThirdPartyJobFailureResult"),
        json!({
            "jobId": "job-43",
            "clientToken": "token-10",
            "failureDetails": {
                "type": "JobFailed",
                "message": "The deployment's health check failed",
                "externalExecutionId": "run-job-43"
            }
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_stops_quietly_when_the_job_is_gone_and_fails_loudly_on_other_errors() {
    let server = Server::start(vec![Reply::error(400, "JobNotFoundException", "no such job")]).await;
    let output = run_worker(&server, &["job-44", "nonce-9", "token-11", "succeed"]).await;
    assert!(output.status.success(), "stderr:\n{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("no longer exists"), "{}", text(&output.stdout));
    assert_eq!(server.requests().len(), 1, "no result is reported for a job that is gone");

    let server = Server::start(vec![Reply::error(400, "InvalidNonceException", "stale nonce")]).await;
    let output = run_worker(&server, &["job-45", "nonce-10", "token-12"]).await;
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("could not acknowledge job job-45") && stderr.contains("stale nonce"), "{stderr}");
    assert!(!stderr.contains(SECRET) && !stderr.contains(TOKEN), "{stderr}");
    assert_eq!(server.requests().len(), 1);
}
