//! End-to-end tests of the command-line tool's streaming payloads, as the AWS CLI handles them: a
//! streaming input member takes a file path and sends the file, and a streaming output goes to the
//! positional `outfile` argument, with the other output members printed as JSON.
//!
//! The tool is the one generated from the restJson1 fixture (`tests/models/rest_json.json`, whose
//! `PutAsset` uploads and `ReadAsset` downloads a stream), built with `--features cli` in a scratch
//! workspace under the target directory, and run against the scripted server of `local_server`,
//! with an environment that names only that server.

mod local_server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use local_server::{Reply, Server};
use serde_json::{json, Value};
use tests::scratch::{prepare_workspace, run_cargo};

const CRATE: &str = "rest-json";

/// Generates the fixture's crate and builds its tool once per test run.
fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-streaming");
        let model = tests::workspace_root().join("tests/models/rest_json.json");
        let selection = codegen::Selection { crate_name: CRATE.to_string(), ..codegen::Selection::default() };
        let runtime = codegen::RuntimeDependency::Path(tests::runtime_crate_dir().display().to_string());
        let generated = codegen::generate_crate_with_runtime(&model, &selection, &runtime)
            .unwrap_or_else(|e| panic!("generating the fixture: {e}"));
        codegen::write::write(&scratch.join(CRATE), &generated.files).unwrap_or_else(|e| panic!("{e}"));
        prepare_workspace(&scratch, &[CRATE.to_string()], "tests/tests/cli_streaming.rs");
        run_cargo(&scratch, &["build", "--offline", "-q", "-p", CRATE, "--features", "cli", "--bin", CRATE]);
        scratch.join("target").join("debug").join(format!("{CRATE}{}", std::env::consts::EXE_SUFFIX))
    })
}

/// A scratch directory of one test, removed when it ends.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("cli-streaming-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a temp dir");
        Dir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the tool against `server` with fixed credentials and region, and nothing from the
/// developer's own AWS files, on a blocking thread (the server runs on the test's runtime).
async fn run(server: &Server, home: &Dir, args: &[&str]) -> Output {
    let mut command = Command::new(binary());
    command
        .args(args)
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", server.url())
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("HOME", &home.0)
        .env("AWS_CONFIG_FILE", home.path("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    tokio::task::spawn_blocking(move || command.output().expect("the tool runs")).await.expect("join")
}

#[track_caller]
fn expect_code(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code; stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_input_member_takes_a_file_path_and_sends_the_file() {
    let dir = Dir::new("upload");
    // Several reads' worth, so the body goes out in more than one chunk.
    let contents: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let file = dir.path("asset.bin");
    std::fs::write(&file, &contents).expect("write the asset");
    let reply = Reply::json(200, "").with_header("X-Asset-Sha256", "abc123");
    let server = Server::start(vec![reply]).await;
    let output = run(&server, &dir, &["put-asset", "--name", "a.bin", "--content", file.to_str().unwrap()]).await;
    expect_code(&output, 0);
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(printed, json!({"sha256": "abc123"}), "the output's other members are printed");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.path.as_str()), ("PUT", "/assets/a.bin"));
    assert!(request.body == contents, "the file is the body, byte for byte");
    assert_eq!(request.header("content-length"), "300000");
    assert_eq!(request.header("content-type"), "application/octet-stream");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_cannot_be_opened_is_a_usage_error_naming_the_option_and_nothing_is_sent() {
    let dir = Dir::new("missing");
    let server = Server::start(vec![Reply::json(200, "")]).await;
    let missing = dir.path("no-such-file");
    let output = run(&server, &dir, &["put-asset", "--name", "a.bin", "--content", missing.to_str().unwrap()]).await;
    expect_code(&output, 252);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--content") && stderr.contains("no-such-file"), "{stderr}");
    // A directory is no body either.
    let output = run(&server, &dir, &["put-asset", "--name", "a.bin", "--content", dir.0.to_str().unwrap()]).await;
    expect_code(&output, 252);
    assert!(server.requests().is_empty(), "nothing is sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_output_is_written_to_outfile_and_the_other_members_are_printed() {
    let dir = Dir::new("download");
    let contents: Vec<u8> = (0..200_000u32).map(|i| (i % 241) as u8).collect();
    let reply = Reply::Respond {
        status: 200,
        headers: vec![("X-Asset-Version".into(), "3".into()), ("Content-Type".into(), "application/zip".into())],
        body: contents.clone(),
    };
    let server = Server::start(vec![reply]).await;
    let outfile = dir.path("out.zip");
    let output = run(&server, &dir, &["read-asset", "--name", "a.zip", outfile.to_str().unwrap()]).await;
    expect_code(&output, 0);
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(printed, json!({"version": 3}));
    assert!(std::fs::read(&outfile).expect("the outfile") == contents, "the body is in the outfile");
    assert_eq!(server.requests()[0].path, "/assets/a.zip");

    // Without an outfile the command line is incomplete, and nothing is sent.
    let output = run(&server, &dir, &["read-asset", "--name", "a.zip"]).await;
    expect_code(&output, 252);
    assert!(String::from_utf8_lossy(&output.stderr).contains("outfile"));
    assert_eq!(server.requests().len(), 1);
}
