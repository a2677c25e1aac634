//! Shared helpers for the workspace's integration tests (which live in `tests/tests/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
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
