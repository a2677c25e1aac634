//! End-to-end tests of the generated command-line tool (`codepipeline-jobs --features cli`): the built
//! binary runs against a small HTTP server on 127.0.0.1 that records what it receives, with an
//! environment that names only that server and never the developer's own AWS files.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tests::CargoEnv;

const BIN: &str = "codepipeline-jobs";

/// Builds the binary once per test run and returns its path.
fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        tests::cargo_build_executable(&["-q", "-p", BIN, "--features", "cli", "--bin", BIN], BIN, CargoEnv::Inherited)
    })
}

/// One request as the server received it.
#[derive(Debug, Clone)]
struct Received {
    headers: BTreeMap<String, String>,
    body: Value,
}

/// A one-thread HTTP/1.1 server answering every request with the response `respond` picks.
struct Server {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(respond: fn(&Received) -> (u16, String)) -> Server {
        // Build first, so the server's time limit does not run while cargo works.
        binary();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, done) = (received.clone(), stop.clone());
        thread::spawn(move || {
            // Bounded in time: the server stops when the test drops it, or after two minutes at most.
            let deadline = Instant::now() + Duration::from_secs(120);
            while !done.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        handle(stream, respond, &log);
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { port, received, stop }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads one request, records it, then answers. Recording comes first: the client may exit, and the test
/// read the log, as soon as the answer arrives.
fn handle(stream: TcpStream, respond: fn(&Received) -> (u16, String), log: &Mutex<Vec<Received>>) -> Option<()> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = BTreeMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':')?;
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
    }
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let request = Received { headers, body: serde_json::from_slice(&body).unwrap_or(Value::Null) };
    let (status, reply) = respond(&request);
    log.lock().unwrap().push(request);
    let mut stream = stream;
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
        reply.len()
    );
    stream.write_all(response.as_bytes()).ok()?;
    Some(())
}

/// Answers like CodePipeline: a status for acknowledgements, `{}` for results, and
/// `JobNotFoundException` for the job ID `no-such-job`.
fn codepipeline(request: &Received) -> (u16, String) {
    if request.body["jobId"] == "no-such-job" {
        return (400, r#"{"__type":"JobNotFoundException","message":"The job was not found"}"#.to_string());
    }
    match request.headers.get("x-amz-target").map(String::as_str) {
        Some("CodePipeline_20150709.AcknowledgeThirdPartyJob") => (200, r#"{"status":"InProgress"}"#.to_string()),
        _ => (200, "{}".to_string()),
    }
}

/// A sandbox for one run: a home directory of its own and the variables the tool reads.
struct Env {
    home: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Env {
    /// Credentials, region and endpoint for `server`; no shared files.
    fn for_server(server: &Server) -> Env {
        let mut env = Env::bare();
        env.set("AWS_ENDPOINT_URL", &server.url());
        env.set("AWS_REGION", "us-east-1");
        env.set("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        env.set("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        env
    }

    /// Only a home directory: no credentials, region or endpoint.
    fn bare() -> Env {
        let home = tempfile::tempdir().expect("temp dir");
        let mut env = Env { home, vars: Vec::new() };
        let home_path = env.home.path().display().to_string();
        env.set("HOME", &home_path);
        env.set("AWS_SHARED_CREDENTIALS_FILE", &format!("{home_path}/no-credentials"));
        env.set("AWS_CONFIG_FILE", &format!("{home_path}/no-config"));
        // Never look for the instance metadata service from a test (credential_sources.rs uses fakes).
        env.set("AWS_EC2_METADATA_DISABLED", "true");
        env
    }

    fn set(&mut self, name: &str, value: &str) {
        self.vars.retain(|(n, _)| n != name);
        self.vars.push((name.to_string(), value.to_string()));
    }

    fn remove(&mut self, name: &str) {
        self.vars.retain(|(n, _)| n != name);
    }

    fn file(&self, name: &str, contents: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, contents).expect("write a temp file");
        path.display().to_string()
    }

    fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(binary())
            .args(args)
            .env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .expect("the CLI runs");
        Run(output)
    }
}

struct Run(Output);

impl Run {
    fn code(&self) -> i32 {
        self.0.status.code().expect("exited normally")
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    #[track_caller]
    fn expect(&self, code: i32) -> &Self {
        assert_eq!(self.code(), code, "exit code; stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self
    }
}

const FAILURE: &str = "put-third-party-job-failure-result";
const SUCCESS: &str = "put-third-party-job-success-result";
const ACK: &str = "acknowledge-third-party-job";

#[test]
fn acknowledge_sends_a_signed_request_and_prints_the_status() {
    let server = Server::start(codepipeline);
    let run = Env::for_server(&server).run(&[ACK, "--job-id", "job-1", "--nonce", "n-1", "--client-token", "tok-1"]);
    run.expect(0);
    assert_eq!(serde_json::from_str::<Value>(&run.stdout()).unwrap(), json!({"status": "InProgress"}));
    assert!(run.stdout().starts_with("{\n    \"status\""), "indented like the AWS CLI: {}", run.stdout());
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.body, json!({"jobId": "job-1", "nonce": "n-1", "clientToken": "tok-1"}));
    assert_eq!(request.headers["x-amz-target"], "CodePipeline_20150709.AcknowledgeThirdPartyJob");
    assert_eq!(request.headers["content-type"], "application/x-amz-json-1.1");
    let auth = &request.headers["authorization"];
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), "{auth}");
    assert!(auth.contains("/us-east-1/codepipeline/aws4_request"), "{auth}");
}

#[test]
fn failure_result_from_shorthand_and_from_json_sends_the_same_body_and_prints_nothing() {
    let server = Server::start(codepipeline);
    let env = Env::for_server(&server);
    let shorthand = env.run(&[
        FAILURE,
        "--job-id",
        "job-1",
        "--client-token",
        "tok-1",
        "--failure-details",
        r#"type=JobFailed,message="disk full, aborting",externalExecutionId=run-7"#,
    ]);
    shorthand.expect(0);
    assert_eq!(shorthand.stdout(), "");
    let json = env.run(&[
        FAILURE,
        "--job-id",
        "job-1",
        "--client-token",
        "tok-1",
        "--failure-details",
        r#"{"type": "JobFailed", "message": "disk full, aborting", "externalExecutionId": "run-7"}"#,
    ]);
    json.expect(0);
    assert_eq!(json.stdout(), "");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(
        requests[0].body,
        json!({"jobId": "job-1", "clientToken": "tok-1",
               "failureDetails": {"type": "JobFailed", "message": "disk full, aborting", "externalExecutionId": "run-7"}})
    );
    assert_eq!(requests[0].headers["x-amz-target"], "CodePipeline_20150709.PutThirdPartyJobFailureResult");
}

#[test]
fn success_result_reads_timestamps_and_integers_from_shorthand() {
    let server = Server::start(codepipeline);
    let env = Env::for_server(&server);
    for created in ["2023-11-14T22:13:20Z", "1700000000"] {
        let revision = format!("revision=r-1,changeIdentifier=c-1,created={created}");
        env.run(&[
            SUCCESS,
            "--job-id",
            "job-1",
            "--client-token",
            "tok-1",
            "--current-revision",
            &revision,
            "--continuation-token",
            "deploy-42",
            "--execution-details",
            "summary=done,percentComplete=100",
        ])
        .expect(0);
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(
            request.body,
            json!({"jobId": "job-1", "clientToken": "tok-1",
                   "currentRevision": {"revision": "r-1", "changeIdentifier": "c-1", "created": 1700000000},
                   "continuationToken": "deploy-42",
                   "executionDetails": {"summary": "done", "percentComplete": 100}})
        );
        assert_eq!(request.headers["x-amz-target"], "CodePipeline_20150709.PutThirdPartyJobSuccessResult");
    }
}

#[test]
fn cli_input_json_supplies_the_input_and_options_override_it() {
    let server = Server::start(codepipeline);
    let env = Env::for_server(&server);
    let input = json!({"jobId": "from-file", "clientToken": "file-token",
                       "failureDetails": {"type": "ConfigurationError", "message": "bad config"}});
    let path = env.file("input.json", &input.to_string());
    env.run(&[FAILURE, "--cli-input-json", &format!("file://{path}"), "--client-token", "flag-token"]).expect(0);
    // Given inline too, and the override replaces a whole structure member.
    env.run(&[FAILURE, "--cli-input-json", &input.to_string(), "--failure-details", "type=JobFailed,message=late"])
        .expect(0);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body,
        json!({"jobId": "from-file", "clientToken": "flag-token",
               "failureDetails": {"type": "ConfigurationError", "message": "bad config"}})
    );
    assert_eq!(
        requests[1].body,
        json!({"jobId": "from-file", "clientToken": "file-token", "failureDetails": {"type": "JobFailed", "message": "late"}})
    );
}

#[test]
fn skeletons_describe_the_input_and_a_sample_output_without_sending() {
    let server = Server::start(codepipeline);
    let env = Env::for_server(&server);
    for args in [vec![FAILURE, "--generate-cli-skeleton"], vec![FAILURE, "--generate-cli-skeleton", "input"]] {
        let run = env.run(&args);
        run.expect(0);
        let skeleton: Value = serde_json::from_str(&run.stdout()).expect("the skeleton is JSON");
        assert_eq!(
            skeleton,
            json!({"jobId": "", "clientToken": "", "failureDetails": {"type": "JobFailed", "message": "", "externalExecutionId": ""}})
        );
        let stdout = run.stdout();
        let keys: Vec<&str> = stdout.lines().filter_map(|l| l.trim().split('"').nth(1)).collect();
        assert_eq!(
            keys,
            ["jobId", "clientToken", "failureDetails", "type", "message", "externalExecutionId"],
            "model order"
        );
    }

    let yaml = env.run(&[SUCCESS, "--generate-cli-skeleton", "yaml-input"]);
    yaml.expect(0);
    let text = yaml.stdout();
    assert!(text.contains("jobId: ''  # [REQUIRED]"), "{text}");
    assert!(text.contains("percentComplete: 0  # How much of the action's work is done"), "{text}");
    // Filled in, the YAML skeleton is a valid --cli-input-yaml input.
    let filled = text.replace("''", "'x'").replace("'1970-01-01T00:00:00Z'", "'2023-11-14T22:13:20Z'");
    let path = env.file("input.yaml", &filled);
    env.run(&[SUCCESS, "--cli-input-yaml", &format!("file://{path}")]).expect(0);
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body["currentRevision"]["created"], 1700000000);
    assert_eq!(sent[0].body["executionDetails"]["percentComplete"], 0);

    let output =
        env.run(&[ACK, "--job-id", "j", "--nonce", "n", "--client-token", "t", "--generate-cli-skeleton", "output"]);
    output.expect(0);
    assert_eq!(serde_json::from_str::<Value>(&output.stdout()).unwrap(), json!({"status": "Created"}));
    // `output` validates the input first.
    let invalid =
        env.run(&[ACK, "--job-id", "", "--nonce", "n", "--client-token", "t", "--generate-cli-skeleton", "output"]);
    invalid.expect(252);
    assert!(invalid.stderr().contains("jobId"), "{}", invalid.stderr());
    assert_eq!(server.requests().len(), 1, "skeletons send nothing");
}

#[test]
fn invalid_parameters_exit_252_name_the_member_and_send_nothing() {
    let server = Server::start(codepipeline);
    let env = Env::for_server(&server);
    let base = [FAILURE, "--job-id", "job-1", "--client-token", "tok-1", "--failure-details"];
    let cases: &[(&[&str], &[&str])] = &[
        (
            &[&base[..], &["type=JobFailed,message="]].concat(),
            &["failureDetails.message", "length must be between 1 and 5000"],
        ),
        (
            &[&base[..], &["type=Broken,message=m"]].concat(),
            &["failureDetails.type", "not one of the allowed values", "JobFailed"],
        ),
        (&[&base[..], &["type=JobFailed,messag=m"]].concat(), &["unknown member `messag`", "message"]),
        (&[&base[..], &["type=JobFailed"]].concat(), &["--failure-details", "`message`", "missing"]),
        (
            &[&base[..], &[r#"{"type": "JobFailed", "message": 5}"#]].concat(),
            &["failureDetails.message", "expected a string"],
        ),
        (&[&base[..], &["type=JobFailed,message=a,b"]].concat(), &["failureDetails.message", "quote"]),
        (&[&base[..], &["type=JobFailed,message=\"unclosed"]].concat(), &["shorthand", "never closed"]),
        (&[FAILURE, "--job-id", "job-1", "--client-token", "tok-1"], &["--failure-details"]),
        (
            &[SUCCESS, "--job-id", "j", "--client-token", "t", "--execution-details", "percentComplete=101"],
            &["executionDetails.percentComplete", "between 0 and 100"],
        ),
        (
            &[SUCCESS, "--job-id", "j", "--client-token", "t", "--execution-details", "percentComplete=lots"],
            &["executionDetails.percentComplete", "whole number"],
        ),
        (
            &[
                SUCCESS,
                "--job-id",
                "j",
                "--client-token",
                "t",
                "--current-revision",
                "revision=r,changeIdentifier=c,created=soon",
            ],
            &["currentRevision.created", "timestamp"],
        ),
        (
            &[ACK, "--cli-input-json", r#"{"jobId": "j", "nonce": "n", "clientToken": "t", "extra": 1}"#],
            &["--cli-input-json", "unknown member `extra`"],
        ),
        (&[ACK, "--cli-input-json", r#"{"jobId": "j", "#], &["--cli-input-json", "invalid JSON"]),
        (
            &[ACK, "--job-id", "j", "--nonce", "n", "--client-token", "t", "--no-such-option", "x"],
            &["--no-such-option"],
        ),
        (&["no-such-command"], &["no-such-command"]),
    ];
    for (args, needles) in cases {
        let run = env.run(args);
        run.expect(252);
        let stderr = run.stderr();
        for needle in *needles {
            assert!(stderr.contains(needle), "{args:?}: stderr lacks {needle:?}:\n{stderr}");
        }
        assert_eq!(run.stdout(), "", "{args:?}");
    }
    assert!(server.requests().is_empty(), "invalid input is never sent");
}

#[test]
fn hostile_input_is_an_error_naming_the_limit_not_a_crash_or_a_hang() {
    let server = Server::start(codepipeline);
    let env = Env::for_server(&server);
    let base = [FAILURE, "--job-id", "job-1", "--client-token", "tok-1", "--failure-details"];
    // 100,000 levels on the command line (one argument may hold 128 KiB), and in a `file://` value.
    let deep_argument = format!("type={}", "[".repeat(100_000));
    let deep_file = env.file("deep.txt", &format!("type={}x{}", "{k=".repeat(100_000), "}".repeat(100_000)));
    let deep_file = format!("file://{deep_file}");
    let deep_yaml = env.file("deep.yaml", &format!("jobId: {}j{}", "[".repeat(100_000), "]".repeat(100_000)));
    let deep_yaml = format!("file://{deep_yaml}");
    let cases: &[(&[&str], &[&str])] = &[
        (&[&base[..], &[deep_argument.as_str()]].concat(), &["--failure-details", "nest more than 128 deep"]),
        (&[&base[..], &[deep_file.as_str()]].concat(), &["nest more than 128 deep"]),
        (&[ACK, "--cli-input-yaml", &deep_yaml], &["--cli-input-yaml", "nest more than 128 deep"]),
        (&[&base[..], &["file:///dev/zero"]].concat(), &["/dev/zero", "limit of 16777216 bytes"]),
    ];
    for (args, needles) in cases {
        let run = env.run(args);
        run.expect(252);
        let stderr = run.stderr();
        for needle in *needles {
            assert!(stderr.contains(needle), "stderr lacks {needle:?}:\n{stderr}");
        }
    }
    assert!(server.requests().is_empty(), "invalid input is never sent");
}

#[test]
fn service_errors_exit_254_with_code_and_message() {
    let server = Server::start(codepipeline);
    let run = Env::for_server(&server).run(&[ACK, "--job-id", "no-such-job", "--nonce", "n", "--client-token", "t"]);
    run.expect(254);
    let stderr = run.stderr();
    assert!(stderr.contains("JobNotFoundException"), "{stderr}");
    assert!(stderr.contains("The job was not found"), "{stderr}");
    assert!(stderr.contains("AcknowledgeThirdPartyJob"), "{stderr}");
    assert_eq!(run.stdout(), "");
}

#[test]
fn missing_credentials_or_region_exit_253_and_send_nothing() {
    let server = Server::start(codepipeline);
    let mut env = Env::for_server(&server);
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    let run = env.run(&[ACK, "--job-id", "j", "--nonce", "n", "--client-token", "t"]);
    run.expect(253);
    assert!(run.stderr().contains("credentials"), "{}", run.stderr());
    assert!(!run.stderr().contains("wJalrXUtnFEMI"), "no secrets in errors");

    let mut env = Env::for_server(&server);
    env.remove("AWS_REGION");
    let run = env.run(&[ACK, "--job-id", "j", "--nonce", "n", "--client-token", "t"]);
    run.expect(253);
    assert!(run.stderr().contains("region"), "{}", run.stderr());
    assert!(server.requests().is_empty());
}

#[test]
fn endpoint_settings_the_rules_refuse_exit_253_with_their_message_and_send_nothing() {
    let server = Server::start(codepipeline);
    let args = [ACK, "--job-id", "j", "--nonce", "n", "--client-token", "t"];
    let mut env = Env::for_server(&server);
    env.set("AWS_USE_FIPS_ENDPOINT", "true");
    let run = env.run(&args);
    run.expect(253);
    assert!(run.stderr().contains("FIPS and custom endpoint are not supported"), "{}", run.stderr());

    let mut env = Env::for_server(&server);
    env.set("AWS_USE_DUALSTACK_ENDPOINT", "maybe");
    let run = env.run(&args);
    run.expect(253);
    assert!(run.stderr().contains("AWS_USE_DUALSTACK_ENDPOINT: `maybe` is not true or false"), "{}", run.stderr());

    let env = Env::for_server(&server);
    let run = env.run(&["--region", "us east 1", ACK, "--job-id", "j", "--nonce", "n", "--client-token", "t"]);
    run.expect(253);
    assert!(run.stderr().contains("not a valid region"), "{}", run.stderr());
    assert!(server.requests().is_empty());
}

#[test]
fn the_profile_chosen_with_profile_names_the_endpoint_in_its_services_section() {
    let server = Server::start(codepipeline);
    let mut env = Env::bare();
    env.set("AWS_REGION", "us-east-1");
    let config = env.file(
        "config",
        &format!(
            "[profile worker]\nservices = local\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n\
             [services local]\ncodepipeline =\n  endpoint_url = {}/\n",
            server.url()
        ),
    );
    env.set("AWS_CONFIG_FILE", &config);
    env.run(&["--profile", "worker", ACK, "--job-id", "j", "--nonce", "n", "--client-token", "t"]).expect(0);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn global_options_override_the_environment() {
    let server = Server::start(codepipeline);
    let mut env = Env::bare();
    // The environment points elsewhere; the options win.
    env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    env.set("AWS_REGION", "us-east-1");
    env.set("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
    env.set("AWS_SECRET_ACCESS_KEY", "env-secret");
    let credentials =
        env.file("credentials", "[worker]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n");
    env.set("AWS_SHARED_CREDENTIALS_FILE", &credentials);
    let url = server.url();
    env.run(&[
        "--region",
        "eu-west-1",
        ACK,
        "--endpoint-url",
        &url,
        "--profile",
        "worker",
        "--job-id",
        "j",
        "--nonce",
        "n",
        "--client-token",
        "t",
    ])
    .expect(0);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let auth = &requests[0].headers["authorization"];
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDPROFILE/"), "{auth}");
    assert!(auth.contains("/eu-west-1/codepipeline/"), "{auth}");
}

#[test]
fn help_comes_from_the_model() {
    let env = Env::bare();
    let run = env.run(&[FAILURE, "--help"]);
    run.expect(0);
    let help = run.stdout();
    for needle in [
        "Reports to CodePipeline that a third-party job failed",
        "--job-id <value>",
        "--failure-details <value>",
        "Why and how the job failed.",
        "type=string,message=string,externalExecutionId=string",
        "\"JobFailed\"|\"ConfigurationError\"",
        "--cli-input-yaml",
        "--generate-cli-skeleton",
        "Output:",
    ] {
        assert!(help.contains(needle), "help lacks {needle:?}:\n{help}");
    }
    let top = env.run(&["--help"]);
    top.expect(0);
    for command in [ACK, FAILURE, SUCCESS] {
        assert!(top.stdout().contains(command), "{}", top.stdout());
    }
    assert!(top.stdout().contains("252"), "exit codes are documented");
}
