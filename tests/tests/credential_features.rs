//! The generated crate built with only some of its credential sources, as a worker that knows where
//! its credentials come from builds it: the example job worker, compiled against `codepipeline-jobs`
//! with `default-features = false` and only the environment (always there), or only the profile
//! source, then run against a local server.
//!
//! A build signs with the sources it has, and a source it left out that the configuration asks for
//! is an error naming that source's Cargo feature, before anything is sent. Both builds live in one
//! scratch workspace and build into the real-model tests' target directory, so the dependencies they
//! share with those tests compile once; each is built on its own (`-p`), since a build of both at
//! once would unify their features.

mod local_server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use local_server::{sigv4, Reply, Server};
use tests::workspace_root;

const REGION: &str = "eu-central-1";
const ENV_AKID: &str = "AKIDFROMENVIRONMENT";
const ENV_SECRET: &str = "environment/secret/EXAMPLEKEY";
const PROFILE_AKID: &str = "AKIDFROMPROFILE";
const PROFILE_SECRET: &str = "profile/secret/EXAMPLEKEY";

/// The two builds: the scratch package's name and the generated crate's features it asks for.
const ENV_ONLY: (&str, &[&str]) = ("env-only-worker", &["default-https-client"]);
const PROFILE_ONLY: (&str, &[&str]) = ("profile-only-worker", &["default-https-client", "credentials-profile"]);

fn scratch() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("credential-features")
}

/// Writes the scratch workspace (once per test binary): one package per build, each the example job
/// worker over the generated crate with only that build's features.
fn prepare_scratch() -> &'static Path {
    static PREPARED: OnceLock<PathBuf> = OnceLock::new();
    PREPARED.get_or_init(|| {
        let scratch = scratch();
        let generated = workspace_root().join("generated");
        let worker =
            std::fs::read_to_string(generated.join("examples/job_worker.rs")).expect("read the example job worker");
        for (package, features) in [ENV_ONLY, PROFILE_ONLY] {
            let dir = scratch.join(package);
            std::fs::create_dir_all(dir.join("src")).expect("mkdir");
            let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
            let manifest = format!(
                "[package]\nname = {package:?}\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\ncodepipeline-jobs = {{ path = {:?}, default-features = false, features = [{}] }}\n\
                 tokio = {{ version = \"1\", default-features = false, features = [\"rt-multi-thread\", \"macros\"] }}\n",
                generated.display().to_string(),
                features.join(", ")
            );
            tests::scratch::write_if_changed(&dir.join("Cargo.toml"), &manifest);
            tests::scratch::write_if_changed(&dir.join("src/main.rs"), &worker);
        }
        tests::scratch::write_locked_workspace(&scratch, &[ENV_ONLY.0, PROFILE_ONLY.0]);
        scratch
    })
}

/// Builds `package` of the scratch workspace on its own and returns its executable.
fn build(package: &str) -> PathBuf {
    // One build at a time: both write the workspace's lock file.
    static BUILDING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = BUILDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let scratch = prepare_scratch();
    let started = std::time::Instant::now();
    let output = tests::scratch::cargo_in_shared_target(scratch, Path::new(env!("CARGO_TARGET_TMPDIR")))
        .args(["build", "--offline", "-p", package, "--message-format=json"])
        .output()
        .expect("run cargo build");
    eprintln!("building {package} took {:.0?}", started.elapsed());
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "building {package} failed:\n{}", tests::scratch::tail(&text(&output.stderr)));
    let warnings = text(&output.stderr).lines().filter(|l| l.trim_start().starts_with("warning")).count();
    assert_eq!(warnings, 0, "building {package} warned:\n{}", text(&output.stderr));
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact" && message["target"]["name"] == package)
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo reported no executable for {package}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Where a worker runs: a home of its own with `config` as its `~/.aws/config`, and no credentials
/// file.
struct Machine {
    home: tempfile::TempDir,
}

impl Machine {
    fn with_config(config: &str) -> Machine {
        let home = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(home.path().join(".aws")).expect("mkdir");
        std::fs::write(home.path().join(".aws/config"), config).expect("write the config file");
        Machine { home }
    }

    /// The worker `binary`, acknowledging a job and reporting success through `server`, configured
    /// only by this machine and `env`; none of this process's AWS settings leak in, and the instance
    /// metadata service is off, so a chain that reached it would not wait for it.
    fn worker(&self, binary: &Path, server: &Server, env: &[(&str, &str)]) -> Command {
        let mut command = Command::new(binary);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("AWS_") {
                command.env_remove(name);
            }
        }
        let aws = self.home.path().join(".aws");
        command
            .env("HOME", self.home.path())
            .env("USERPROFILE", self.home.path())
            .env("AWS_CONFIG_FILE", aws.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", aws.join("credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_REGION", REGION)
            .env("AWS_ENDPOINT_URL", server.url())
            .envs(env.iter().copied())
            .args(["job-1", "nonce-1", "token-1", "succeed"]);
        command
    }
}

/// Runs `command` off the runtime the server answers on.
async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("run the worker")).await.expect("join")
}

/// A server that acknowledges the job and accepts its result.
async fn codepipeline() -> Server {
    Server::start(vec![Reply::json(200, r#"{"status":"InProgress"}"#), Reply::json(200, "{}")]).await
}

/// Checks that the worker succeeded and that both its calls were signed with `akid` and `secret`.
fn assert_signed_calls(output: &Output, server: &Server, akid: &str, secret: &str) {
    assert!(output.status.success(), "stdout:\n{}\nstderr:\n{}", text(&output.stdout), text(&output.stderr));
    let requests = server.requests();
    let operations: Vec<&str> = requests.iter().map(|r| r.operation()).collect();
    assert_eq!(operations, ["AcknowledgeThirdPartyJob", "PutThirdPartyJobSuccessResult"]);
    for request in &requests {
        sigv4::verify(request, akid, secret, REGION, "codepipeline");
    }
}

/// Checks that the worker failed before sending anything, with an error naming `feature`, and
/// without the configuration's secrets.
fn assert_refused_naming(output: &Output, server: &Server, feature: &str, secrets: &[&str]) {
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "the worker succeeded:\n{}", text(&output.stdout));
    assert!(stderr.contains(&format!("`{feature}`")), "the error does not name `{feature}`:\n{stderr}");
    assert!(server.requests().is_empty(), "a request was sent: {:?}", server.requests());
    for secret in secrets {
        assert!(!stderr.contains(secret), "the error shows {secret:?}:\n{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_environment_only_build_signs_with_environment_keys_and_names_the_profile_feature() {
    let binary = tokio::task::spawn_blocking(|| build(ENV_ONLY.0)).await.expect("join");

    let server = codepipeline().await;
    let machine = Machine::with_config("");
    let keys = [("AWS_ACCESS_KEY_ID", ENV_AKID), ("AWS_SECRET_ACCESS_KEY", ENV_SECRET)];
    let output = run(machine.worker(&binary, &server, &keys)).await;
    assert_signed_calls(&output, &server, ENV_AKID, ENV_SECRET);

    // Keys in the profile need the profile source, which this build left out.
    let server = codepipeline().await;
    let machine = Machine::with_config(&format!(
        "[default]\naws_access_key_id = {PROFILE_AKID}\naws_secret_access_key = {PROFILE_SECRET}\n"
    ));
    let output = run(machine.worker(&binary, &server, &[])).await;
    assert_refused_naming(&output, &server, "credentials-profile", &[PROFILE_AKID, PROFILE_SECRET]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_only_build_signs_with_profile_keys_and_names_the_process_feature() {
    let binary = tokio::task::spawn_blocking(|| build(PROFILE_ONLY.0)).await.expect("join");

    let server = codepipeline().await;
    let machine = Machine::with_config(&format!(
        "[default]\naws_access_key_id = {PROFILE_AKID}\naws_secret_access_key = {PROFILE_SECRET}\n"
    ));
    let output = run(machine.worker(&binary, &server, &[])).await;
    assert_signed_calls(&output, &server, PROFILE_AKID, PROFILE_SECRET);

    // `credential_process` needs the process source, which this build left out: nothing is run, and
    // the command line (which may carry a secret) stays out of the error.
    let server = codepipeline().await;
    let marker = tempfile::tempdir().expect("temp dir");
    let ran = marker.path().join("ran");
    let command_line = format!("touch {}", ran.display());
    let machine = Machine::with_config(&format!("[default]\ncredential_process = {command_line}\n"));
    let output = run(machine.worker(&binary, &server, &[])).await;
    assert_refused_naming(&output, &server, "credentials-process", &[&command_line]);
    assert!(!ran.exists(), "the credential process ran");
}
