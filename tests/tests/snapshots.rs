//! Snapshots of everything the generator writes, so every change to the output is reviewed as a diff
//! (`cargo insta review`): the checked-in CodePipeline crate file by file, and a matrix of each
//! fixture model under `tests/models/` against the settings that change what is generated.
//!
//! With `CI` set, insta writes nothing and fails on a missing or changed snapshot.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use codegen::{GeneratedFile, Selection};
use tests::workspace_root;

mod common;

/// Turns `src/types/builders.rs` into `src_types_builders_rs`, a name that is safe on every filesystem.
fn slug(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

/// One snapshot per file plus a listing of every path, so an added or removed file shows up too.
///
/// Every file is checked even after one mismatches, so a single run writes all the `.snap.new`
/// files a reviewer needs; the names of the failed snapshots are returned.
fn check_files(prefix: &str, files: &[GeneratedFile], skip: impl Fn(&str) -> bool) -> Vec<String> {
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.set_prepend_module_to_snapshot(false);
    let mut failed = Vec::new();
    settings.bind(|| {
        let listing: String = files.iter().map(|f| format!("{}\n", f.path)).collect();
        let mut check = |name: String, description: &str, contents: &str| {
            let mut settings = insta::Settings::clone_current();
            settings.set_description(description);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                settings.bind(|| insta::assert_snapshot!(name.clone(), contents));
            }));
            if outcome.is_err() {
                failed.push(name);
            }
        };
        check(format!("{prefix}__files"), "every file the generator writes", &listing);
        for file in files.iter().filter(|f| !skip(&f.path)) {
            check(format!("{prefix}__{}", slug(&file.path)), &file.path, &file.contents);
        }
    });
    failed
}

/// The snapshot names [`check_files`] checks for these files.
fn snapshot_names(prefix: &str, files: &[GeneratedFile], skip: impl Fn(&str) -> bool) -> BTreeSet<String> {
    std::iter::once(format!("{prefix}__files"))
        .chain(files.iter().filter(|f| !skip(&f.path)).map(|file| format!("{prefix}__{}", slug(&file.path))))
        .collect()
}

fn assert_none_failed(failed: &[String]) {
    assert!(failed.is_empty(), "snapshots differ or are missing: {failed:?} (review with `cargo insta review`)");
}

#[test]
fn generated_crate() {
    let settings = common::settings();
    let files = common::generate(&settings);
    let prefix = slug(&settings.selection.crate_name);
    assert_none_failed(&check_files(&prefix, &files, |_| false));
}

/// The checked-in fixture models, found by listing the directory so new ones join the matrix.
fn fixtures() -> Vec<PathBuf> {
    let dir = workspace_root().join("tests/models");
    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("read tests/models").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "json"))
        .collect();
    models.sort();
    models
}

/// The operations a model's single service lists directly, sorted by shape ID.
fn service_operations(model: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(model).unwrap_or_else(|e| panic!("{}: {e}", model.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", model.display()));
    let shapes = json["shapes"].as_object().expect("the model has a shapes object");
    let mut services = shapes.values().filter(|shape| shape["type"] == "service");
    let service = services.next().expect("the fixture defines a service");
    assert!(services.next().is_none(), "{}: the matrix expects one service", model.display());
    let mut operations: Vec<String> = service["operations"]
        .as_array()
        .map(|ops| ops.iter().filter_map(|op| op["target"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    operations.sort();
    operations
}

/// Each fixture model under each setting of the matrix: the snapshot prefix and the files.
fn fixture_cells() -> Vec<(String, Vec<GeneratedFile>)> {
    let fixtures = fixtures();
    if fixtures.is_empty() {
        eprintln!("no fixture models in tests/models/: the matrix is empty");
    }
    let mut cells = Vec::new();
    for model in fixtures {
        let stem = model.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let mut settings = vec![("all", Vec::new())];
        // A single operation: the closure must shrink to what that operation reaches.
        if let Some(first) = service_operations(&model).into_iter().next() {
            settings.push(("one_operation", vec![first]));
        }
        for (setting, operations) in settings {
            let selection = Selection { service: None, operations, crate_name: stem.replace('_', "-") };
            let files = codegen::generate(&model, &selection)
                .unwrap_or_else(|e| panic!("{} with {setting}: codegen failed: {e}", model.display()));
            cells.push((format!("{}__{setting}", slug(&stem)), files));
        }
    }
    cells
}

#[test]
fn fixture_matrix() {
    let mut failed = Vec::new();
    for (prefix, files) in fixture_cells() {
        failed.extend(check_files(&prefix, &files, |_| false));
    }
    assert_none_failed(&failed);
}

/// insta never deletes a snapshot: one left behind by a file the generator no longer writes would
/// keep showing output that is gone, so every `.snap` must belong to a file checked above.
#[test]
fn no_snapshot_is_left_behind() {
    let settings = common::settings();
    let mut expected: BTreeSet<String> =
        snapshot_names(&slug(&settings.selection.crate_name), &common::generate(&settings), |_| false);
    for (prefix, files) in fixture_cells() {
        expected.extend(snapshot_names(&prefix, &files, |_| false));
    }
    let dir = workspace_root().join("tests/tests/snapshots");
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("read the snapshot directory").file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".snap").map(str::to_owned))
        .filter(|name| !expected.contains(name))
        .collect();
    assert!(stale.is_empty(), "snapshots of files the generator no longer writes (delete them): {stale:?}");
}
