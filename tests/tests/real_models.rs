//! The generator on whole services: three real AWS models (from `SMITHY_MODELS_DIR`) and the
//! checked-in kitchen-sink model, which uses every shape type, trait and awkward name it supports.
//!
//! Each crate is generated into one scratch workspace under the target directory, together with a
//! sample test (`tests/samples/<model>.rs`) that builds, validates and sends inputs through a
//! recording HTTP client and compares the JSON on the wire with literal expectations; crates with
//! endpoint rules also run the model's endpoint tests the generator wrote into them. A single
//! `cargo test --workspace --offline` with `-D warnings` then checks them all, sharing one target
//! directory so dependencies build once. Without `SMITHY_MODELS_DIR` only the kitchen sink runs and
//! the skipped models are named on stderr.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Selection;
use tests::{real_model, workspace_root};

/// One model to generate, and what to check it with.
struct Case {
    /// The generated package's name.
    crate_name: &'static str,
    /// The model file: in `SMITHY_MODELS_DIR`, or (for the kitchen sink) in the repository.
    model: Model,
    /// The sample test in `tests/samples/`.
    sample: &'static str,
    /// Operations a whole-service generation leaves out (they stream), with the streaming shape.
    skipped: &'static [(&'static str, &'static str)],
}

enum Model {
    Real(&'static str),
    Repo(&'static str),
}

const CASES: &[Case] = &[
    Case {
        crate_name: "kitchen-sink",
        model: Model::Repo("tests/models/kitchen_sink.json"),
        sample: "kitchen_sink.rs",
        skipped: &[("StreamThings", "example.kitchen#StreamingBlob")],
    },
    Case {
        crate_name: "dynamodb",
        model: Model::Real("dynamodb-2012-08-10.json"),
        sample: "dynamodb.rs",
        skipped: &[],
    },
    Case {
        crate_name: "cloudwatch-logs",
        model: Model::Real("cloudwatch-logs-2014-03-28.json"),
        sample: "cloudwatch_logs.rs",
        skipped: &[("StartLiveTail", "com.amazonaws.cloudwatchlogs#StartLiveTailResponseStream")],
    },
    Case {
        crate_name: "codepipeline",
        model: Model::Real("codepipeline-2015-07-09.json"),
        sample: "codepipeline.rs",
        skipped: &[],
    },
];

/// The model file of `case`, or `None` (reported on stderr) when it is a real model and
/// `SMITHY_MODELS_DIR` is not set.
fn model_path(case: &Case) -> Option<PathBuf> {
    match case.model {
        Model::Real(file) => real_model(file),
        Model::Repo(path) => Some(workspace_root().join(path)),
    }
}

fn whole_service(crate_name: &str) -> Selection {
    Selection { service: None, operations: Vec::new(), crate_name: crate_name.to_string() }
}

/// Operations that stream are left out of a whole-service crate, each reported with its shape,
/// and every other operation is generated.
#[test]
fn whole_service_generation_skips_exactly_the_streaming_operations() {
    for case in CASES {
        let Some(model) = model_path(case) else {
            continue;
        };
        let generated = codegen::generate_crate(&model, &whole_service(case.crate_name))
            .unwrap_or_else(|e| panic!("{}: {e}", case.crate_name));
        let skipped: Vec<(&str, &str)> =
            generated.skipped.iter().map(|s| (s.operation.as_str(), s.shape.as_str())).collect();
        assert_eq!(skipped, case.skipped, "{}", case.crate_name);
        let client = generated.files.iter().find(|f| f.path == "src/client.rs").expect("a client");
        for (operation, _) in case.skipped {
            assert!(!client.contents.contains(&format!("\"{operation}\"")), "{operation} was generated anyway");
        }
    }
}

/// Naming a streaming operation is an error that says what is unsupported and where.
#[test]
fn selecting_a_streaming_operation_is_a_clear_error() {
    for case in CASES {
        let Some(model) = model_path(case) else {
            continue;
        };
        for (operation, shape) in case.skipped {
            let selection = Selection { operations: vec![operation.to_string()], ..whole_service(case.crate_name) };
            let error = codegen::generate(&model, &selection).expect_err("streaming is refused").to_string();
            for needed in ["unsupported", operation, shape, "smithy.api#streaming"] {
                assert!(error.contains(needed), "{error:?} does not mention {needed:?}");
            }
            let shape_path = format!("at shapes.{shape:?}.traits.\"smithy.api#streaming\": ");
            assert!(error.contains(&shape_path), "{error:?} does not point at the trait");
        }
    }
}

/// Writes `contents` to `path` unless it already holds exactly that, so cargo sees no change.
fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// The last lines of cargo's output, which hold the errors.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(150)..].join("\n")
}

/// The cargo that runs this test, set up to build in `scratch` with warnings as errors.
fn cargo_in(scratch: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    command
}

#[test]
fn generated_crates_build_without_warnings_and_send_the_expected_json() {
    let root = workspace_root();
    // A fixed place rather than a fresh temp dir: unchanged crates are then not rebuilt on the next run.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-models");
    let mut members = Vec::new();
    // Crates generated with endpoint rules carry the model's endpoint tests (`tests/endpoint_rules`).
    let mut with_endpoint_tests = 0;
    for case in CASES {
        let Some(model) = model_path(case) else {
            continue;
        };
        let generated = codegen::generate_crate(&model, &whole_service(case.crate_name))
            .unwrap_or_else(|e| panic!("{}: {e}", case.crate_name));
        let mut files = generated.files;
        with_endpoint_tests += usize::from(files.iter().any(|f| f.path == "tests/endpoint_rules/main.rs"));
        let sample_dir = root.join("tests/samples");
        for (from, to) in [(case.sample, "tests/samples.rs"), ("common.rs", "tests/common/mod.rs")] {
            let path = sample_dir.join(from);
            let contents = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            files.push(codegen::GeneratedFile { path: to.to_string(), contents });
        }
        let dir = scratch.join(case.crate_name);
        codegen::write::write(&dir, &files).unwrap_or_else(|e| panic!("{e}"));
        members.push(format!("{:?}", case.crate_name));
    }
    std::fs::create_dir_all(&scratch).expect("create the scratch workspace");
    write_if_changed(
        &scratch.join("Cargo.toml"),
        &format!(
            "# Scratch workspace of tests/tests/real_models.rs, rewritten by every run.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    // Start from the repository's lock file, so the versions are the ones the workspace already
    // builds with; cargo adds what the generated crates need beyond it (base64, uuid).
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).expect("copy Cargo.lock");
    }
    // Download what a fresh machine does not have yet; a no-op when everything is cached. A failure
    // (no network) is left for the offline build below to report with the missing crate's name.
    let fetch = cargo_in(&scratch).arg("fetch").output().expect("run cargo fetch");
    if !fetch.status.success() {
        eprintln!("cargo fetch failed:\n{}", String::from_utf8_lossy(&fetch.stderr));
    }

    let started = std::time::Instant::now();
    let output = cargo_in(&scratch)
        // Only the samples and the models' endpoint tests: the runtime modules' own tests run in the
        // `generated` crate already, and model documentation is only ever emitted as `text` blocks,
        // so there are no doctests to run.
        .args(["test", "--workspace", "--offline", "--all-features", "--test", "samples", "--test", "endpoint_rules"])
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("cargo test of {} generated crates took {:.0?}", members.len(), started.elapsed());
    assert!(
        output.status.success(),
        "cargo test failed in {}:\n{}\n{}",
        scratch.display(),
        tail(&stderr),
        tail(&stdout)
    );
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.trim_start().starts_with("warning")).collect();
    assert!(warnings.is_empty(), "cargo test warned:\n{}", warnings.join("\n"));
    // Every crate's sample test ran.
    let sample_runs = stderr.lines().filter(|l| l.trim_start().starts_with("Running tests/samples.rs")).count();
    assert_eq!(sample_runs, members.len(), "not every sample test ran:\n{}", tail(&stderr));
    let endpoint_runs =
        stderr.lines().filter(|l| l.trim_start().starts_with("Running tests/endpoint_rules/main.rs")).count();
    assert_eq!(endpoint_runs, with_endpoint_tests, "not every crate's endpoint tests ran:\n{}", tail(&stderr));

    // Users lint the code they depend on too: the generated libraries must be clippy-clean as well.
    let output = cargo_in(&scratch)
        .args(["clippy", "--workspace", "--offline", "--all-features", "--lib", "--", "-D", "warnings"])
        .output()
        .expect("run cargo clippy");
    assert!(
        output.status.success(),
        "clippy found problems in the generated crates:\n{}",
        tail(&String::from_utf8_lossy(&output.stderr))
    );

    // The blob and big-number runtime modules are only copied into crates whose model uses them, so
    // their own tests run here, in the kitchen sink.
    let output = cargo_in(&scratch)
        .args(["test", "--offline", "-p", "kitchen-sink", "--lib", "--", "runtime::blob::", "runtime::big_number::"])
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "runtime tests failed:\n{}\n{}",
        tail(&String::from_utf8_lossy(&output.stderr)),
        tail(&stdout)
    );
    let ran = stdout.lines().filter(|l| l.starts_with("test runtime::")).count();
    assert!(ran >= 9, "expected the blob and big-number tests to run:\n{stdout}");
}
