//! The generated crate's documentation: it builds without a single rustdoc warning (broken
//! intra-doc links, bare URLs, unbalanced HTML, ...) and none of the model's HTML is left in it.

use std::process::Command;

use tests::workspace_root;

mod common;

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
    assert!(output.status.success(), "`cargo doc -p codepipeline-jobs --no-deps` failed or warned:\n{stderr}");
    // `-D warnings` turns rustdoc warnings into errors, but cargo's own warnings would pass.
    assert!(!stderr.contains("warning"), "cargo doc printed warnings:\n{stderr}");
}

/// Tags the model's HTML documentation uses; none may survive into the generated rustdoc.
const HTML_TAGS: &[&str] = &[
    "p",
    "code",
    "a",
    "ul",
    "ol",
    "li",
    "b",
    "i",
    "em",
    "strong",
    "br",
    "pre",
    "note",
    "important",
    "dl",
    "dt",
    "dd",
    "fullname",
    "para",
];

#[test]
fn no_html_tags_are_left_in_generated_docs() {
    let settings = common::settings();
    for file in common::generate(&settings).iter() {
        let text = file.contents.to_ascii_lowercase();
        for tag in HTML_TAGS {
            for needle in [format!("<{tag}>"), format!("<{tag} "), format!("</{tag}>"), format!("<{tag}/>")] {
                if let Some(at) = text.find(&needle) {
                    let line = text[..at].lines().count();
                    panic!("{}: line {line} still has the HTML tag `{needle}`", file.path);
                }
            }
        }
    }
}
