//! The generated crate's documentation builds without a single rustdoc warning (broken intra-doc
//! links, bare URLs, invalid HTML left over from the model's docs, ...).

use std::process::Command;

use tests::workspace_root;

#[test]
fn generated_crate_docs_are_warning_free() {
    let root = workspace_root();
    // Its own target directory: `cargo test` holds the lock on the shared one while tests run.
    let target = root.join("target/doc-check");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&root)
        .args(["doc", "--package", "codepipeline-jobs", "--no-deps"])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo doc");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`cargo doc -p codepipeline-jobs --no-deps` failed or warned:\n{stderr}"
    );
    // `-D warnings` turns rustdoc warnings into errors, but cargo's own warnings would pass.
    assert!(
        !stderr.contains("warning"),
        "cargo doc printed warnings:\n{stderr}"
    );
}
