//! Shared helpers for the workspace's integration tests (which live in `tests/tests/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// This checkout's runtime crate (`codegen/runtime`), which crates generated into the tests' scratch
/// workspaces depend on by path.
pub fn runtime_crate_dir() -> PathBuf {
    workspace_root().join("codegen/runtime")
}

/// Where the real AWS models live, from `SMITHY_MODELS_DIR`.
///
/// `None` (and a note on stderr) when the variable is unset, so tests that need them skip visibly;
/// a panic when it is set but a named file is missing, so CI cannot pass without them.
pub fn real_model(file: &str) -> Option<PathBuf> {
    match std::env::var_os("SMITHY_MODELS_DIR") {
        None => {
            eprintln!("SKIPPED: SMITHY_MODELS_DIR is not set, so the real-model test for {file} did not run");
            None
        }
        Some(dir) => {
            let path = PathBuf::from(dir).join(file);
            assert!(path.is_file(), "SMITHY_MODELS_DIR is set but {} does not exist", path.display());
            Some(path)
        }
    }
}

/// Where Smithy's protocol compliance suite lives, from `SMITHY_PROTOCOL_TESTS_DIR`: `file` in it.
///
/// Like [`real_model`]: `None` (and a note on stderr) when the variable is unset, a panic when it is
/// set but the file is missing.
pub fn protocol_tests_file(file: &str) -> Option<PathBuf> {
    match std::env::var_os("SMITHY_PROTOCOL_TESTS_DIR") {
        None => {
            eprintln!("SKIPPED: SMITHY_PROTOCOL_TESTS_DIR is not set, so the protocol tests of {file} did not run");
            None
        }
        Some(dir) => {
            let path = PathBuf::from(dir).join(file);
            assert!(path.is_file(), "SMITHY_PROTOCOL_TESTS_DIR is set but {} does not exist", path.display());
            Some(path)
        }
    }
}

/// Scratch workspaces of generated crates under the target directory, built and tested with the
/// cargo that runs the test (`real_models.rs`, `protocol_tests.rs`).
pub mod scratch {
    use std::path::Path;
    use std::process::{Command, Output};

    /// Writes `contents` to `path` unless it already holds exactly that, so cargo sees no change.
    pub fn write_if_changed(path: &Path, contents: &str) {
        if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
            std::fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }

    /// The last lines of cargo's output, which hold the errors.
    pub fn tail(text: &str) -> String {
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(150)..].join("\n")
    }

    /// Makes `scratch` a workspace of `members` (directories already written there): its manifest
    /// (saying which test file `owner` rewrites it), a lock file with the newest versions the
    /// generated manifests allow, and the crates a fresh machine does not have yet.
    pub fn prepare_workspace(scratch: &Path, members: &[String], owner: &str) {
        std::fs::create_dir_all(scratch).expect("create the scratch workspace");
        let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        write_if_changed(
            &scratch.join("Cargo.toml"),
            &format!(
                "# Scratch workspace of {owner}, rewritten by every run.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        );
        // The newest versions the generated manifests allow, as a crate generated today resolves them
        // outside this repository: a dependency release that deprecates an API the runtime calls, or
        // that brings a new warning, fails here rather than at a user's. (`generated/` is built with
        // the repository's lock file, so the locked versions are covered too.) Without a network the
        // versions a previous run locked are used, with a note; in CI (`CI` set) that is a failure.
        let update = cargo_in(scratch).arg("update").output().expect("run cargo update");
        if !update.status.success() {
            let why = String::from_utf8_lossy(&update.stderr);
            assert!(std::env::var_os("CI").is_none(), "cargo update failed in {}:\n{why}", scratch.display());
            eprintln!("cargo update failed; building with the versions locked before:\n{why}");
        }
        // Download what a fresh machine does not have yet; a no-op when everything is cached. A failure
        // (no network) is left for the offline build to report with the missing crate's name.
        let fetch = cargo_in(scratch).arg("fetch").output().expect("run cargo fetch");
        if !fetch.status.success() {
            eprintln!("cargo fetch failed:\n{}", String::from_utf8_lossy(&fetch.stderr));
        }
    }

    /// Makes `dir` a workspace of `members` with this repository's lock file, so an offline build
    /// there uses the versions this workspace already has (`runtime_sharing.rs`,
    /// `credential_features.rs`; `prepare_workspace` resolves the newest versions instead).
    pub fn write_locked_workspace(dir: &Path, members: &[&str]) {
        let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
        std::fs::write(dir.join("Cargo.toml"), manifest).expect("write the workspace manifest");
        std::fs::copy(super::workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
    }

    /// The cargo that runs this test, set up to build in `scratch` with warnings as errors.
    pub fn cargo_in(scratch: &Path) -> Command {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .current_dir(scratch)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            // Nobody debugs these builds: without debug info the crates compile and link faster and the
            // target directory stays a fraction of the size. Incremental state would only pay off when a
            // crate changes a little, but the generated crates change wholesale or not at all.
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        command
    }

    /// [`cargo_in`], building into the target directory of the real-model tests' scratch workspace
    /// under `target_tmpdir` (the calling test's `CARGO_TARGET_TMPDIR`), so the scratch builds of
    /// several test files compile their dependencies once.
    pub fn cargo_in_shared_target(scratch: &Path, target_tmpdir: &Path) -> Command {
        let mut command = cargo_in(scratch);
        command.env("CARGO_TARGET_DIR", target_tmpdir.join("real-models/target"));
        command
    }

    /// Runs a cargo command in `scratch` and returns what it printed, whether or not it succeeded.
    pub fn cargo_output(scratch: &Path, args: &[&str]) -> Output {
        let started = std::time::Instant::now();
        let output = cargo_in(scratch).args(args).output().unwrap_or_else(|e| panic!("run cargo {args:?}: {e}"));
        eprintln!("cargo {} took {:.0?}", args.join(" "), started.elapsed());
        output
    }

    /// Runs a cargo command in `scratch` and returns its stdout and stderr, failing with the tail of
    /// its output when it fails or warns.
    pub fn run_cargo(scratch: &Path, args: &[&str]) -> (String, String) {
        let output = cargo_output(scratch, args);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            output.status.success(),
            "cargo {args:?} failed in {}:\n{}\n{}",
            scratch.display(),
            tail(&stderr),
            tail(&stdout)
        );
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.trim_start().starts_with("warning")).collect();
        assert!(warnings.is_empty(), "cargo {args:?} warned:\n{}", warnings.join("\n"));
        (stdout, stderr)
    }
}

/// Every file under `dir` with its bytes, keyed by its path relative to `dir`: a picture of a directory
/// that tests compare before and after a run that must not touch it.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside dir").to_string_lossy().into_owned();
                files.insert(relative, std::fs::read(&path).expect("read file"));
            }
        }
    }
    files
}

/// Which of the variables cargo gives a test process a build started from that test passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CargoEnv {
    /// All of them.
    Inherited,
    /// All but the `tests` package's own (`CARGO_PKG_*`, `CARGO_MANIFEST_DIR`, ...). Some build scripts
    /// watch one of them (ring watches `CARGO_MANIFEST_DIR`), so passing them on would rebuild the TLS
    /// stack for this build, and again in the next ordinary one.
    WithoutPackageVars,
}

/// Runs `cargo build ARGS` in the workspace and returns the path of `target`'s executable, read from
/// cargo's JSON messages, so any target directory layout works.
pub fn cargo_build_executable(args: &[&str], target: &str, env: CargoEnv) -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    if env == CargoEnv::WithoutPackageVars {
        for (name, _) in std::env::vars_os() {
            let text = name.to_string_lossy();
            let per_package = text.starts_with("CARGO_PKG_")
                || matches!(
                    &*text,
                    "CARGO_MANIFEST_DIR"
                        | "CARGO_MANIFEST_PATH"
                        | "CARGO_CRATE_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                        | "CARGO_TARGET_TMPDIR"
                        | "CARGO_RUSTC_CURRENT_DIR"
                );
            if per_package {
                command.env_remove(&name);
            }
        }
    }
    let output = command
        .current_dir(workspace_root())
        .arg("build")
        .args(args)
        .arg("--message-format=json")
        .output()
        .expect("run cargo");
    assert!(output.status.success(), "building {target} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact" && message["target"]["name"] == target)
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo reported no executable for {target}"))
}
