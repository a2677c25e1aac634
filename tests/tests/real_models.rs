//! The generator on whole services: every real AWS model in `SMITHY_MODELS_DIR` (the awsJson ones at
//! its top, the restJson1 ones listed from its `rest-json1` folder), and the checked-in
//! kitchen-sink model (every shape type, trait and awkward name it supports), patterns fixture
//! (the java.util.regex constructs real models use) and restJson1 fixture (every HTTP binding).
//!
//! Each crate is generated into one scratch workspace under the target directory; models with a
//! sample test (`tests/samples/<model>.rs`) get it as `tests/samples.rs`, which builds, validates and
//! sends inputs through a recording HTTP client and compares the JSON on the wire with literal
//! expectations. Every crate depends on this checkout's runtime crate (`codegen/runtime`), with the
//! features its model needs. Then one `cargo test --workspace` runs every test of every crate (the
//! samples, the model's endpoint tests, which the generator writes into every crate whose model has
//! endpoint rules, and its HTTP protocol tests, which the kitchen sink has), and one `cargo clippy
//! --workspace` lints them, both with warnings as errors and sharing one target directory so
//! dependencies build once. The scratch workspace takes the newest dependency versions the
//! generated manifests allow (`cargo update`), not this repository's lock file, as a crate generated
//! today does. Without `SMITHY_MODELS_DIR` only the checked-in models run and the skipped ones are
//! named on stderr.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::Selection;
use tests::scratch::{prepare_workspace, run_cargo, tail};
use tests::{real_model, workspace_root};

/// One model to generate, and what to expect of it.
struct Case {
    /// The generated package's name.
    crate_name: &'static str,
    /// The model file: in `SMITHY_MODELS_DIR`, or in the repository.
    model: Model,
    /// The sample test in `tests/samples/`, if the model has one.
    sample: Option<&'static str>,
    /// Operations a whole-service generation leaves out (event streams, and streaming blobs outside
    /// restJson1), with the streaming shape.
    skipped: &'static [(&'static str, &'static str)],
    /// botocore's paginators file for the model, in the repository, which the CLI then follows.
    botocore_paginators: Option<&'static str>,
}

#[derive(Clone)]
enum Model {
    Real(&'static str),
    Repo(&'static str),
}

const fn case(crate_name: &'static str, model: Model, sample: Option<&'static str>) -> Case {
    Case { crate_name, model, sample, skipped: &[], botocore_paginators: None }
}

/// The models the suite must find. Any other model in `SMITHY_MODELS_DIR` is generated, built,
/// linted and tested too.
const CASES: &[Case] = &[
    Case {
        skipped: &[("StreamThings", "example.kitchen#StreamingBlob")],
        botocore_paginators: Some("tests/models/botocore/kitchen_sink_paginators.json"),
        ..case("kitchen-sink", Model::Repo("tests/models/kitchen_sink.json"), Some("kitchen_sink.rs"))
    },
    case("patterns", Model::Repo("tests/models/patterns/patterns.json"), Some("patterns.rs")),
    case("rest-json", Model::Repo("tests/models/rest_json.json"), Some("rest_json.rs")),
    case("acm", Model::Real("acm-2015-12-08.json"), None),
    case("athena", Model::Real("athena-2017-05-18.json"), None),
    case("b2bi", Model::Real("b2bi-2022-06-23.json"), None),
    case("budgets", Model::Real("budgets-2016-10-20.json"), None),
    case("cloudtrail", Model::Real("cloudtrail-2013-11-01.json"), None),
    Case {
        skipped: &[("StartLiveTail", "com.amazonaws.cloudwatchlogs#StartLiveTailResponseStream")],
        ..case("cloudwatch-logs", Model::Real("cloudwatch-logs-2014-03-28.json"), Some("cloudwatch_logs.rs"))
    },
    case("codebuild", Model::Real("codebuild-2016-10-06.json"), None),
    case("codepipeline", Model::Real("codepipeline-2015-07-09.json"), Some("codepipeline.rs")),
    case("cognito-identity-provider", Model::Real("cognito-identity-provider-2016-04-18.json"), None),
    case("config-service", Model::Real("config-service-2014-11-12.json"), None),
    case("data-pipeline", Model::Real("data-pipeline-2012-10-29.json"), None),
    case("dynamodb", Model::Real("dynamodb-2012-08-10.json"), Some("dynamodb.rs")),
    case("dynamodb-streams", Model::Real("dynamodb-streams-2012-08-10.json"), None),
    // restJson1 services, in the models directory's `rest-json1` folder.
    case("account", Model::Real("rest-json1/account-2021-02-01.json"), None),
    case("amp", Model::Real("rest-json1/amp-2020-08-01.json"), None),
    case("api-gateway", Model::Real("rest-json1/api-gateway-2015-07-09.json"), None),
    case("appconfig", Model::Real("rest-json1/appconfig-2019-10-09.json"), None),
    Case {
        skipped: &[
            ("ConverseStream", "com.amazonaws.bedrockruntime#ConverseStreamOutput"),
            ("InvokeModelWithResponseStream", "com.amazonaws.bedrockruntime#ResponseStream"),
        ],
        ..case("bedrock-runtime", Model::Real("rest-json1/bedrock-runtime-2023-09-30.json"), None)
    },
    // Its streaming asset payloads (GetPackageVersionAsset, PublishPackageVersion) are generated.
    case("codeartifact", Model::Real("rest-json1/codeartifact-2018-09-22.json"), None),
    case("customer-profiles", Model::Real("rest-json1/customer-profiles-2020-08-15.json"), None),
    case("dataexchange", Model::Real("rest-json1/dataexchange-2017-07-25.json"), None),
    case("dsql", Model::Real("rest-json1/dsql-2018-05-10.json"), None),
];

/// A model to generate: a case of [`CASES`], or a model found in `SMITHY_MODELS_DIR` beyond them.
struct Target {
    crate_name: String,
    path: PathBuf,
    sample: Option<&'static str>,
    /// `None` for a model the table does not know: nothing is expected of its operations.
    skipped: Option<&'static [(&'static str, &'static str)]>,
    botocore_paginators: Option<PathBuf>,
}

/// Every model to generate: the table's (real ones only with `SMITHY_MODELS_DIR`, reported on stderr
/// otherwise; a listed file that is missing fails), then any other model in that directory.
fn targets() -> &'static [Target] {
    static TARGETS: OnceLock<Vec<Target>> = OnceLock::new();
    TARGETS.get_or_init(|| {
        let mut targets = Vec::new();
        for case in CASES {
            let path = match case.model {
                Model::Real(file) => real_model(file),
                Model::Repo(path) => Some(workspace_root().join(path)),
            };
            if let Some(path) = path {
                targets.push(Target {
                    crate_name: case.crate_name.to_string(),
                    path,
                    sample: case.sample,
                    skipped: Some(case.skipped),
                    botocore_paginators: case.botocore_paginators.map(|file| workspace_root().join(file)),
                });
            }
        }
        if let Some(dir) = std::env::var_os("SMITHY_MODELS_DIR") {
            let known: Vec<&str> =
                CASES.iter().filter_map(|c| if let Model::Real(file) = c.model { Some(file) } else { None }).collect();
            let mut extra: Vec<PathBuf> = std::fs::read_dir(&dir)
                .expect("read SMITHY_MODELS_DIR")
                .map(|entry| entry.expect("a directory entry").path())
                .filter(|path| path.extension().is_some_and(|e| e == "json"))
                .filter(|path| !known.iter().any(|file| path.file_name().is_some_and(|name| name == *file)))
                .collect();
            extra.sort();
            for path in extra {
                let stem = path.file_stem().expect("a file name").to_string_lossy();
                // `service-2015-07-09` names the crate `service`.
                let name = stem.rsplitn(4, '-').last().unwrap_or(&stem).to_string();
                targets.push(Target { crate_name: name, path, sample: None, skipped: None, botocore_paginators: None });
            }
        }
        targets
    })
}

fn whole_service(crate_name: &str) -> Selection {
    Selection { service: None, operations: Vec::new(), crate_name: crate_name.to_string() }
}

/// The scratch crates depend on this checkout's runtime crate, by its absolute path (the scratch
/// workspace lives under the target directory, which may be anywhere).
fn runtime() -> codegen::RuntimeDependency {
    codegen::RuntimeDependency::Path(tests::runtime_crate_dir().display().to_string())
}

/// Every target's whole-service crate, generated once for all the tests of this file.
fn generated() -> &'static [(&'static Target, codegen::Generated)] {
    static GENERATED: OnceLock<Vec<(&'static Target, codegen::Generated)>> = OnceLock::new();
    GENERATED.get_or_init(|| {
        targets()
            .iter()
            .map(|target| {
                let options =
                    codegen::Options { runtime: runtime(), botocore_paginators: target.botocore_paginators.clone() };
                let generated =
                    codegen::generate_crate_with_options(&target.path, &whole_service(&target.crate_name), &options)
                        .unwrap_or_else(|e| panic!("{}: {e}", target.crate_name));
                (target, generated)
            })
            .collect()
    })
}

/// Operations that stream are left out of a whole-service crate, each reported with its shape,
/// every other operation is generated, and no check is left out of any shape (no warning).
#[test]
fn whole_service_generation_skips_exactly_the_streaming_operations_and_warns_of_nothing() {
    for (target, generated) in generated() {
        let skipped: Vec<(&str, &str)> =
            generated.skipped.iter().map(|s| (s.operation.as_str(), s.shape.as_str())).collect();
        if let Some(expected) = target.skipped {
            assert_eq!(skipped, expected, "{}", target.crate_name);
        }
        let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
        assert!(warnings.is_empty(), "{}: {warnings:#?}", target.crate_name);
        let client = generated.files.iter().find(|f| f.path == "src/client.rs").expect("a client");
        for (operation, _) in &skipped {
            assert!(!client.contents.contains(&format!("\"{operation}\"")), "{operation} was generated anyway");
        }
    }
}

/// Every `@paginated` operation of every model (the repository's fixtures and, with
/// `SMITHY_MODELS_DIR`, the real ones) gets a paginator, or a warning that names it and says why not.
#[test]
fn every_paginated_operation_gets_a_paginator_or_a_warning() {
    let mut total = 0;
    for (target, generated) in generated() {
        let text = std::fs::read_to_string(&target.path).unwrap_or_else(|e| panic!("{}: {e}", target.path.display()));
        let model: serde_json::Value = serde_json::from_str(&text).expect("a JSON model");
        let skipped: Vec<&str> = generated.skipped.iter().map(|s| s.operation.as_str()).collect();
        let mut paginated: Vec<String> = model["shapes"]
            .as_object()
            .expect("shapes")
            .iter()
            .filter(|(_, shape)| shape["type"] == "operation" && shape["traits"].get("smithy.api#paginated").is_some())
            .map(|(id, _)| id.rsplit('#').next().expect("a shape name").to_string())
            .filter(|name| !skipped.contains(&name.as_str()))
            .collect();
        paginated.sort();
        let module = generated.files.iter().find(|f| f.path == "src/paginators.rs");
        let mut covered: Vec<String> = module
            .map(|file| {
                file.contents
                    .lines()
                    .filter_map(|line| line.strip_prefix("pub struct ")?.strip_suffix("Paginator {"))
                    .map(|name| name.trim_start_matches("r#").to_string())
                    .collect()
            })
            .unwrap_or_default();
        for warning in &generated.warnings {
            if let Some(rest) = warning.message.strip_prefix("operation `") {
                if let Some((id, _)) = rest.split_once("` gets no paginator") {
                    covered.push(id.rsplit('#').next().expect("a shape name").to_string());
                }
            }
        }
        covered.sort();
        assert_eq!(
            covered, paginated,
            "{}: paginators and warnings, against the @paginated operations",
            target.crate_name
        );
        total += paginated.len();
    }
    eprintln!("{total} @paginated operations, each with its paginator or a warning");
    assert!(total >= 3, "the kitchen sink alone has three paginated operations");
}

/// The waiters (`smithy.waiters#waitable`) of a model file, as `(operation, waiter)` names.
fn model_waiters(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let model: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut waiters = Vec::new();
    for (id, shape) in model["shapes"].as_object().expect("shapes") {
        if let Some(waitable) = shape["traits"]["smithy.waiters#waitable"].as_object() {
            let operation = id.rsplit('#').next().unwrap_or(id);
            waiters.extend(waitable.keys().map(|name| (operation.to_string(), name.clone())));
        }
    }
    waiters
}

/// Every waiter of every model (the kitchen sink's too) gets its `Client::wait_until_*` method and
/// `wait` command, or a warning that names it and says why not: restJson1 models (in
/// `SMITHY_MODELS_DIR/rest-json1`) included, once the generator takes their protocol.
#[test]
fn every_waiter_is_generated_or_named_in_a_warning() {
    let mut checked = 0;
    let mut check = |name: &str, path: &Path, generated: &codegen::Generated| {
        let waiters = generated.files.iter().find(|f| f.path == "src/waiters.rs").map(|f| f.contents.as_str());
        let cli = generated.files.iter().find(|f| f.path == "src/cli.rs").map(|f| f.contents.as_str());
        for (operation, waiter) in model_waiters(path) {
            if generated.skipped.iter().any(|s| s.operation == operation) {
                continue;
            }
            let method = format!("pub fn wait_until_{}(", codegen::naming::unraw(&codegen::naming::snake(&waiter)));
            let command = "::clap::Command::new(\"wait\")";
            let made = waiters.is_some_and(|w| w.contains(&method)) && cli.is_some_and(|c| c.contains(command));
            let warned =
                generated.warnings.iter().any(|w| w.message.contains(&format!("waiter `{waiter}` of `{operation}`")));
            assert!(made != warned, "{name}: waiter {waiter} of {operation}: generated {made}, warned {warned}");
            checked += 1;
        }
    };
    for (target, generated) in generated() {
        check(&target.crate_name, &target.path, generated);
    }
    if let Some(dir) = std::env::var_os("SMITHY_MODELS_DIR") {
        let dir = Path::new(&dir).join("rest-json1");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| entries.map(|e| e.expect("a directory entry").path()).collect())
            .unwrap_or_default();
        paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
        paths.sort();
        for path in paths {
            let name = path.file_stem().expect("a file name").to_string_lossy().into_owned();
            match codegen::generate_crate(&path, &whole_service("waiters-check")) {
                Ok(generated) => check(&name, &path, &generated),
                // Until the generator takes restJson1, such models are reported, not hidden.
                Err(e) if e.to_string().contains("unsupported protocol") => {
                    eprintln!("SKIPPED: {name}: {e}");
                }
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
    // The kitchen sink alone has five.
    assert!(checked >= 5, "{checked}");
}

/// Naming a streaming operation is an error that says what is unsupported and where.
#[test]
fn selecting_a_streaming_operation_is_a_clear_error() {
    for target in targets() {
        for (operation, shape) in target.skipped.unwrap_or_default() {
            let selection = Selection { operations: vec![operation.to_string()], ..whole_service(&target.crate_name) };
            let error = codegen::generate(&target.path, &selection).expect_err("streaming is refused").to_string();
            for needed in ["unsupported", operation, shape, "smithy.api#streaming"] {
                assert!(error.contains(needed), "{error:?} does not mention {needed:?}");
            }
            let shape_path = format!("at shapes.{shape:?}.traits.\"smithy.api#streaming\": ");
            assert!(error.contains(&shape_path), "{error:?} does not point at the trait");
        }
    }
}

/// Crates a sample test uses beyond the generated crate's own dependencies, by the path that shows it
/// does: the kitchen sink's sample unzips what the client compressed, and collects a page stream.
const SAMPLE_DEV_DEPENDENCIES: &[(&str, &str)] = &[
    ("flate2::", r#"flate2 = { version = "1", default-features = false, features = ["rust_backend"] }"#),
    // The paginators' streams work with the ecosystem's combinators (`StreamExt::collect`).
    ("futures_util::", r#"futures-util = { version = "0.3", default-features = false, features = ["std"] }"#),
];

/// Adds to the manifest among `files` the dev-dependencies the sample at `sample` needs.
fn add_sample_dev_dependencies(files: &mut [codegen::GeneratedFile], sample: &Path) {
    let source = std::fs::read_to_string(sample).unwrap_or_else(|e| panic!("{}: {e}", sample.display()));
    let manifest = files.iter_mut().find(|f| f.path == "Cargo.toml").expect("a manifest");
    // `[dev-dependencies]` is the manifest's last table, so lines appended land in it.
    assert!(manifest.contents.trim_end().rsplit("\n[").next().is_some_and(|t| t.starts_with("dev-dependencies]")));
    for (used, line) in SAMPLE_DEV_DEPENDENCIES {
        if source.contains(used) {
            manifest.contents.push_str(line);
            manifest.contents.push('\n');
        }
    }
}

#[test]
fn generated_crates_build_lint_and_pass_their_tests_without_warnings() {
    let root = workspace_root();
    // A fixed place rather than a fresh temp dir: unchanged crates are then not rebuilt on the next run.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-models");
    let mut members = Vec::new();
    let mut with_sample = 0;
    // Crates generated with endpoint rules carry the model's endpoint tests (`tests/endpoint_rules`).
    let mut with_endpoint_tests = 0;
    // Crates whose model has HTTP protocol tests (the kitchen sink's) carry them (`tests/protocol_tests`).
    let mut with_protocol_tests = 0;
    for (target, generated) in generated() {
        let mut files = generated.files.clone();
        with_endpoint_tests += usize::from(files.iter().any(|f| f.path == "tests/endpoint_rules/main.rs"));
        with_protocol_tests += usize::from(files.iter().any(|f| f.path == "tests/protocol_tests/main.rs"));
        if let Some(sample) = target.sample {
            let sample_dir = root.join("tests/samples");
            add_sample_dev_dependencies(&mut files, &sample_dir.join(sample));
            for (from, to) in [(sample, "tests/samples.rs"), ("common.rs", "tests/common/mod.rs")] {
                let path = sample_dir.join(from);
                let contents = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                files.push(codegen::GeneratedFile { path: to.to_string(), contents });
            }
            with_sample += 1;
        }
        let dir = scratch.join(&target.crate_name);
        codegen::write::write(&dir, &files).unwrap_or_else(|e| panic!("{e}"));
        members.push(target.crate_name.clone());
    }
    prepare_workspace(&scratch, &members, "tests/tests/real_models.rs");

    // Every crate's unit tests and its sample, if it has one (the runtime crate is not a member: its
    // tests run in this repository's workspace). Naming the targets keeps cargo from building the libraries a second time, outside test mode, for crates
    // whose only test is the unit tests; another kind of test added to the crates is one more
    // `--test NAME` here. Doctests are left out: the only code block in the docs is the client's
    // example, the same for every crate, and `generated/` compiles it already.
    // Without the real models only the fixtures are here, and they have no endpoint rules: cargo
    // refuses a `--test` target that no member has.
    let mut args = vec!["test", "--workspace", "--offline", "--all-features", "--lib", "--test", "samples"];
    if with_endpoint_tests > 0 {
        args.extend(["--test", "endpoint_rules"]);
    }
    if with_protocol_tests > 0 {
        args.extend(["--test", "protocol_tests"]);
    }
    let (_, stderr) = run_cargo(&scratch, &args);
    let ran =
        |target: &str| stderr.lines().filter(|l| l.trim_start().starts_with(&format!("Running {target}"))).count();
    assert_eq!(ran("unittests src/lib.rs"), members.len(), "not every crate's unit tests ran:\n{}", tail(&stderr));
    assert_eq!(ran("tests/samples.rs"), with_sample, "not every sample test ran:\n{}", tail(&stderr));
    assert_eq!(
        ran("tests/endpoint_rules/main.rs"),
        with_endpoint_tests,
        "not every crate's endpoint tests ran:\n{}",
        tail(&stderr)
    );
    assert_eq!(
        ran("tests/protocol_tests/main.rs"),
        with_protocol_tests,
        "not every crate's protocol tests ran:\n{}",
        tail(&stderr)
    );
    // Users lint the code they depend on too: the generated libraries (the CLI included) must be
    // clippy-clean, and so must the samples.
    let mut clippy =
        vec!["clippy", "--workspace", "--offline", "--all-features", "--lib", "--bins", "--test", "samples"];
    if with_endpoint_tests > 0 {
        clippy.extend(["--test", "endpoint_rules"]);
    }
    if with_protocol_tests > 0 {
        clippy.extend(["--test", "protocol_tests"]);
    }
    clippy.extend(["--", "-D", "warnings"]);
    run_cargo(&scratch, &clippy);
}
