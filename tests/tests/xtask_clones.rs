//! `cargo xtask codegen` works on the clone it is run in, even when several clones share one
//! `CARGO_TARGET_DIR` and so one xtask binary (which once had the first clone's path built in).
//!
//! Two copies of the workspace's sources sit under the target directory's scratch space with a
//! shared target directory of their own, kept between runs so xtask is compiled once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tests::{read_tree, workspace_root};

/// Copies the workspace's sources (everything but build output and version control) to `to`.
fn copy_sources(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("dir entry");
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let (source, copy) = (entry.path(), to.join(&name));
        if entry.file_type().expect("file type").is_dir() {
            copy_sources(&source, &copy);
        } else {
            std::fs::copy(&source, &copy).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        }
    }
}

/// A fresh copy of the workspace at `dir` (whatever an earlier run left there is replaced).
fn fresh_clone(dir: &Path) -> PathBuf {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    copy_sources(&workspace_root(), dir);
    dir.to_path_buf()
}

/// Cargo in `clone`, building into the shared target directory.
fn cargo(clone: &Path, target: &Path, args: &[&str]) -> Output {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(clone)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo {} failed in {}:\n{}",
        args.join(" "),
        clone.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Sets the maximum length of `ClientToken` in a clone's model.
fn set_client_token_max(clone: &Path, max: u64) {
    let path = clone.join("model/codepipeline.json");
    let text = std::fs::read_to_string(&path).expect("read the model");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("the model is JSON");
    let length = &mut json["shapes"]["com.amazonaws.codepipeline#ClientToken"]["traits"]["smithy.api#length"];
    assert_eq!(length["max"], 256, "the test expects ClientToken to allow 256 characters");
    length["max"] = max.into();
    std::fs::write(&path, serde_json::to_string_pretty(&json).expect("serialize")).expect("write the model");
}

fn validators(clone: &Path) -> String {
    std::fs::read_to_string(clone.join("generated/src/validate.rs")).expect("read validate.rs")
}

/// What must stay untouched in the first clone: its model and its generated crate, by path.
fn picture(clone: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for dir in ["generated", "model"] {
        files.extend(read_tree(&clone.join(dir)).into_iter().map(|(path, bytes)| (format!("{dir}/{path}"), bytes)));
    }
    files
}

#[test]
fn codegen_in_a_second_clone_with_a_shared_target_dir_changes_only_that_clone() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xtask-clones");
    let target = scratch.join("target");
    let first = fresh_clone(&scratch.join("first"));
    let second = fresh_clone(&scratch.join("second"));
    let started = std::time::Instant::now();
    cargo(&first, &target, &["build", "--quiet", "-p", "xtask"]);
    let before = picture(&first);

    // Through cargo, as people run it: the second clone's model edited and one generated file gone.
    set_client_token_max(&second, 300);
    std::fs::remove_file(second.join("generated/src/error.rs")).expect("remove a generated file");
    let run = cargo(&second, &target, &["xtask", "codegen"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("src/validate.rs") && stdout.contains("src/error.rs"), "{stdout}");
    let second_validators = validators(&second);
    assert!(
        second_validators.contains("Some(300)") && !second_validators.contains("Some(256)"),
        "the second clone's validators do not follow its model:\n{second_validators}"
    );
    assert!(
        std::fs::read(second.join("generated/src/error.rs")).ok().as_ref() == before.get("generated/src/error.rs"),
        "the deleted file was not regenerated in the second clone"
    );
    assert!(picture(&first) == before, "running in the second clone changed the first clone");

    // The binary started directly (no `cargo run` to say where it belongs), from a subdirectory of a
    // third clone.
    let third = fresh_clone(&scratch.join("third"));
    set_client_token_max(&third, 301);
    let binary = target.join("debug").join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    let direct = Command::new(&binary)
        .arg("codegen")
        .current_dir(third.join("generated/src"))
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PKG_NAME")
        .output()
        .expect("run xtask");
    assert!(direct.status.success(), "xtask failed: {}", String::from_utf8_lossy(&direct.stderr));
    assert!(validators(&third).contains("Some(301)"), "the directly started binary did not use its own clone");
    assert!(validators(&second).contains("Some(300)"), "the directly started binary changed another clone");
    assert!(picture(&first) == before, "the directly started binary changed the first clone");
    eprintln!("two clones, one target directory: {:.1?}", started.elapsed());
}
