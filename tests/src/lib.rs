//! Shared helpers for the workspace's integration tests (which live in `tests/tests/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
