//! Generated crates share one runtime crate: crates vendored together build from a clean copy with no
//! reference to this checkout, refuse a runtime they were not generated for with a clear message, and
//! (with the real models) three service clients take one credentials provider and one HTTP client,
//! with the runtime compiled once for all of them.
//!
//! The scratch builds share the target directory of `real_models.rs`, so dependencies build once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use tests::{cargo_build_executable, read_tree, real_model, workspace_root, CargoEnv};

fn xtask() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| cargo_build_executable(&["-q", "-p", "xtask"], "xtask", CargoEnv::Inherited))
}

/// The cargo that runs this test, building in `dir` with warnings as errors into the scratch target
/// directory the real-model tests use.
fn cargo_in(dir: &Path) -> Command {
    tests::scratch::cargo_in_shared_target(dir, Path::new(env!("CARGO_TARGET_TMPDIR")))
}

fn run(command: &mut Command) -> Output {
    command.output().unwrap_or_else(|e| panic!("run {command:?}: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in read_tree(from) {
        let path = to.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write a copied file");
    }
}

/// Two crates generated outside the repository with the default runtime mode there (`vendor`) share
/// one vendored runtime beside them; copied elsewhere, away from the original, they build. Then an
/// incompatible runtime is refused: another version by cargo, another generated-code interface by
/// the crate itself, each with a message that says what to do.
#[test]
fn vendored_crates_build_from_a_clean_copy_and_refuse_an_incompatible_runtime() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let made = scratch.path().join("made");
    for (model, name) in [("model/codepipeline.json", "pipeline"), ("tests/models/kitchen_sink.json", "kitchen")] {
        let output = run(Command::new(xtask())
            .args(["codegen", "--model"])
            .arg(workspace_root().join(model))
            .arg("--out")
            .arg(made.join(name))
            .args(["--crate-name", name])
            .current_dir(workspace_root()));
        assert!(output.status.success(), "codegen {model}:\n{}", text(&output.stderr));
    }
    let runtime = made.join("smithy-lite-runtime");
    assert!(runtime.join("Cargo.toml").is_file() && runtime.join("src/lib.rs").is_file(), "no vendored runtime");
    for name in ["pipeline", "kitchen"] {
        let manifest = std::fs::read_to_string(made.join(name).join("Cargo.toml")).expect("read a manifest");
        assert!(manifest.contains(r#"path = "../smithy-lite-runtime""#), "{name} does not use the vendored runtime");
    }
    tests::scratch::write_locked_workspace(&made, &["pipeline", "kitchen"]);

    let clean = scratch.path().join("elsewhere/clean");
    copy_tree(&made, &clean);
    std::fs::remove_dir_all(&made).expect("remove the original");
    let checkout = workspace_root().display().to_string();
    for (path, bytes) in read_tree(&clean) {
        assert!(!text(&bytes).contains(&checkout), "{path} names this checkout");
    }
    let build = run(cargo_in(&clean).args(["build", "--offline", "--workspace", "--all-targets"]));
    assert!(build.status.success(), "the clean copy does not build:\n{}", text(&build.stderr));

    // Another runtime version: cargo refuses it before compiling anything.
    let runtime = clean.join("smithy-lite-runtime");
    let manifest_path = runtime.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).expect("read the runtime's manifest");
    let newer = manifest.replacen("\nversion = \"0.1.0\"\n", "\nversion = \"0.2.0\"\n", 1);
    assert_ne!(newer, manifest, "the runtime's version line");
    std::fs::write(&manifest_path, newer).expect("write");
    let refused = run(cargo_in(&clean).args(["check", "--offline", "-p", "pipeline"]));
    let stderr = text(&refused.stderr);
    assert!(!refused.status.success(), "a runtime of another version was accepted");
    assert!(stderr.contains("smithy-lite-runtime") && stderr.contains("0.2.0"), "{stderr}");
    std::fs::write(&manifest_path, manifest).expect("restore");

    // The same version with another generated-code interface: the crate's own assertion names both.
    let lib_path = runtime.join("src/lib.rs");
    let lib = std::fs::read_to_string(&lib_path).expect("read the runtime's lib.rs");
    let interface = codegen::runtime_crate::GENERATED_CODE_VERSION;
    let other = lib.replacen(
        &format!("GENERATED_CODE_VERSION: u32 = {interface};"),
        &format!("GENERATED_CODE_VERSION: u32 = {};", interface + 1),
        1,
    );
    assert_ne!(other, lib, "the interface version line");
    std::fs::write(&lib_path, other).expect("write");
    let refused = run(cargo_in(&clean).args(["check", "--offline", "-p", "pipeline"]));
    let stderr = text(&refused.stderr);
    assert!(!refused.status.success(), "a runtime with another interface was accepted");
    let message = format!(
        "pipeline was generated for smithy-lite-runtime 0.1.0 (generated-code interface {interface}), and the \
         smithy-lite-runtime it is built with has another interface"
    );
    assert!(stderr.contains(&message), "{stderr}");
}

/// A crate of the scratch workspace that uses three generated clients at once.
const SHARED_TEST: &str = r#"//! One credentials provider and one HTTP client serve three generated clients.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use smithy_lite_runtime::client::Config;
use smithy_lite_runtime::credentials::{Credentials, ProvideCredentials, ProvideCredentialsFuture};
use smithy_lite_runtime::test_util::RecordingHttpClient;

#[derive(Debug, Default)]
struct CountingProvider {
    asked: AtomicUsize,
}

impl ProvideCredentials for CountingProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Credentials::new("AKIDEXAMPLE", "SECRET", None)) })
    }
}

#[tokio::test]
async fn one_provider_and_one_http_client_serve_three_clients() {
    let credentials = Arc::new(CountingProvider::default());
    let http = Arc::new(RecordingHttpClient::default());
    // One function configures all three: their `Config` is the runtime's, one type.
    let config = || {
        Config::builder()
            .region("us-east-1")
            .credentials_provider(credentials.clone())
            .http_client(http.clone())
    };
    let pipeline = pipeline::Client::from_conf(config()).expect("a CodePipeline client");
    let ddb = ddb::Client::from_conf(config()).expect("a DynamoDB client");
    let logs = logs::Client::from_conf(config()).expect("a CloudWatch Logs client");
    pipeline.list_pipelines().send().await.expect("ListPipelines");
    ddb.describe_limits().send().await.expect("DescribeLimits");
    logs.describe_log_groups().send().await.expect("DescribeLogGroups");
    let requests = http.requests();
    let hosts: Vec<&str> = requests.iter().map(|r| r.uri().host().unwrap_or_default()).collect();
    assert_eq!(
        hosts,
        ["codepipeline.us-east-1.amazonaws.com", "dynamodb.us-east-1.amazonaws.com", "logs.us-east-1.amazonaws.com"]
    );
    assert_eq!(credentials.asked.load(Ordering::SeqCst), 3, "each client asked the one provider");
}
"#;

/// CodePipeline, DynamoDB and CloudWatch Logs generated into one workspace: a test crate there gives
/// one credentials provider and one `HttpClient` to all three clients and calls each, and the build
/// compiles the runtime crate once.
#[test]
fn three_service_crates_share_one_runtime_provider_and_http_client() {
    let models = [
        ("codepipeline-2015-07-09.json", "pipeline", "ListPipelines"),
        ("dynamodb-2012-08-10.json", "ddb", "DescribeLimits"),
        ("cloudwatch-logs-2014-03-28.json", "logs", "DescribeLogGroups"),
    ];
    let Some(paths) = models.iter().map(|(file, _, _)| real_model(file)).collect::<Option<Vec<_>>>() else {
        return;
    };
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shared-runtime");
    let runtime = codegen::RuntimeDependency::Path(workspace_root().join("codegen/runtime").display().to_string());
    for ((_, name, operation), path) in models.iter().zip(&paths) {
        let selection =
            codegen::Selection { service: None, operations: vec![operation.to_string()], crate_name: name.to_string() };
        let generated =
            codegen::generate_crate_with_runtime(path, &selection, &runtime).unwrap_or_else(|e| panic!("{name}: {e}"));
        codegen::write::write(&scratch.join(name), &generated.files).unwrap_or_else(|e| panic!("{e}"));
    }
    let shared = scratch.join("shared");
    std::fs::create_dir_all(shared.join("tests")).expect("mkdir");
    std::fs::create_dir_all(shared.join("src")).expect("mkdir");
    let runtime_dir = workspace_root().join("codegen/runtime");
    let manifest = format!(
        "[package]\nname = \"shared\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
         pipeline = {{ path = \"../pipeline\" }}\nddb = {{ path = \"../ddb\" }}\nlogs = {{ path = \"../logs\" }}\n\
         smithy-lite-runtime = {{ path = {:?}, default-features = false, features = [\"test-util\"] }}\n\n[dev-dependencies]\n\
         tokio = {{ version = \"1\", default-features = false, features = [\"rt\", \"macros\"] }}\n",
        runtime_dir.display().to_string()
    );
    std::fs::write(shared.join("Cargo.toml"), manifest).expect("write");
    std::fs::write(shared.join("src/lib.rs"), "//! Only its test matters.\n").expect("write");
    std::fs::write(shared.join("tests/shared.rs"), SHARED_TEST).expect("write");
    tests::scratch::write_locked_workspace(&scratch, &["pipeline", "ddb", "logs", "shared"]);

    let build =
        run(cargo_in(&scratch).args(["build", "--offline", "--workspace", "--all-targets", "--message-format=json"]));
    assert!(build.status.success(), "the workspace does not build:\n{}", text(&build.stderr));
    let runtime_builds = text(&build.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "smithy_lite_runtime")
        .count();
    assert_eq!(runtime_builds, 1, "the runtime crate is one unit of the build, shared by the three clients");

    let test = run(cargo_in(&scratch).args(["test", "--offline", "-p", "shared", "--test", "shared"]));
    assert!(test.status.success(), "{}\n{}", text(&test.stdout), text(&test.stderr));
    assert!(text(&test.stdout).contains("test one_provider_and_one_http_client_serve_three_clients ... ok"));
}
