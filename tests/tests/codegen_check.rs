//! The generator end to end, in process: `generated/` matches the model, output does not depend on
//! incidental ordering, a model edit reaches the generated code, and a broken model changes nothing.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::GeneratedFile;

mod common;

#[test]
fn generated_crate_is_up_to_date() {
    let settings = common::settings();
    let files = common::generate_like_xtask(&settings);
    let changes = codegen::write::changes(&settings.out, &files).expect("read generated/");
    if !changes.is_empty() {
        let diff = codegen::write::diff(&settings.out, &files).expect("diff generated/");
        let list: Vec<String> = changes.iter().map(ToString::to_string).collect();
        panic!(
            "generated/ is stale; run `cargo xtask codegen` and review the snapshots.\n{}\n\n{diff}",
            list.join("\n")
        );
    }
}

fn by_path(files: Vec<GeneratedFile>) -> BTreeMap<String, String> {
    files.into_iter().map(|f| (f.path, f.contents)).collect()
}

/// Rewrites every JSON object with its keys in reverse order, and the service's operation list
/// back to front, except where order carries meaning.
///
/// Member order is the order of struct fields and of serialized members, and enum member order is
/// the order of `values()`, so `members` objects keep theirs; everything else (the shapes map,
/// trait maps, keys of a shape, the order operations are listed in) must not matter.
fn reorder(value: &mut serde_json::Value, keep_order: bool) {
    match value {
        serde_json::Value::Object(map) => {
            let taken = std::mem::take(map);
            let mut entries: Vec<(String, serde_json::Value)> = taken.into_iter().collect();
            if !keep_order {
                entries.reverse();
            }
            for (key, mut child) in entries {
                reorder(&mut child, key == "members");
                if key == "operations" {
                    if let Some(items) = child.as_array_mut() {
                        items.reverse();
                    }
                }
                map.insert(key, child);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|item| reorder(item, false)),
        _ => {}
    }
}

#[test]
fn generation_is_deterministic() {
    let settings = common::settings();
    let first = by_path(common::generate(&settings));
    let second = by_path(common::generate(&settings));
    assert!(first == second, "two runs over the same model differ");

    let original = std::fs::read_to_string(&settings.model).expect("read the model");
    let mut json: serde_json::Value = serde_json::from_str(&original).expect("the model is JSON");
    reorder(&mut json, false);
    let shuffled = serde_json::to_string(&json).expect("serialize");
    // The shapes really were reordered, or this test would prove nothing.
    let first_shape = |text: &str| {
        let json: serde_json::Value = serde_json::from_str(text).expect("JSON");
        json["shapes"]
            .as_object()
            .and_then(|m| m.keys().next().cloned())
    };
    assert_ne!(first_shape(&original), first_shape(&shuffled));

    let dir = tempfile::tempdir().expect("temp dir");
    let file_name = settings.model.file_name().expect("model file name");
    let copy = dir.path().join(file_name);
    std::fs::write(&copy, shuffled).expect("write the reordered model");
    let reordered = by_path(
        codegen::generate(&copy, &settings.selection).expect("generate from the reordered model"),
    );
    for (path, contents) in &first {
        assert!(
            reordered.get(path) == Some(contents),
            "{path} changed when only the model's key order changed"
        );
    }
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        reordered.keys().collect::<Vec<_>>()
    );
}

#[test]
fn a_changed_length_bound_reaches_the_validators() {
    let settings = common::settings();
    let original = std::fs::read_to_string(&settings.model).expect("read the model");
    let mut json: serde_json::Value = serde_json::from_str(&original).expect("the model is JSON");
    let length = &mut json["shapes"]["com.amazonaws.codepipeline#ClientToken"]["traits"]
        ["smithy.api#length"];
    assert_eq!(
        length["max"], 256,
        "the test expects ClientToken to allow 256 characters"
    );
    length["max"] = 300.into();

    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir
        .path()
        .join(settings.model.file_name().expect("model file name"));
    std::fs::write(
        &copy,
        serde_json::to_string_pretty(&json).expect("serialize"),
    )
    .expect("write the edited model");
    let before = by_path(common::generate(&settings));
    let after = by_path(
        codegen::generate(&copy, &settings.selection).expect("generate from the edited model"),
    );

    let old = &before["src/validate.rs"];
    let new = &after["src/validate.rs"];
    assert!(
        old.contains("256") && !old.contains("300"),
        "the unedited validators should bound clientToken at 256"
    );
    assert!(
        new.contains("300") && !new.contains("256"),
        "the edited validators should bound clientToken at 300:\n{new}"
    );
    // Exactly the bound moved: every line that changed is the old line with 256 replaced by 300.
    let changed: Vec<(&str, &str)> = old
        .lines()
        .zip(new.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(old.lines().count(), new.lines().count());
    assert!(!changed.is_empty());
    for (a, b) in changed {
        assert_eq!(a.replace("256", "300"), b);
    }
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .expect("inside dir")
                    .to_string_lossy()
                    .into_owned();
                out.insert(relative, std::fs::read(&path).expect("read file"));
            }
        }
    }
    out
}

#[test]
fn a_truncated_model_fails_clearly_and_leaves_the_output_untouched() {
    let settings = common::settings();
    let dir = tempfile::tempdir().expect("temp dir");
    // A pre-filled output directory: the real crate, plus a hand-edited file the generator would remove.
    let out = dir.path().join("generated");
    let changes =
        codegen::write::write(&out, &common::generate(&settings)).expect("pre-fill the output");
    assert!(!changes.is_empty());
    std::fs::write(out.join("src/stray.rs"), "// not generated\n").expect("write a stray file");
    let before = tree(&out);

    let full = std::fs::read(&settings.model).expect("read the model");
    let model = dir.path().join("codepipeline.json");
    std::fs::write(&model, &full[..full.len() * 2 / 3]).expect("write the truncated model");

    // The xtask flow: generate, and only on success write.
    let result = codegen::generate(&model, &settings.selection)
        .map(|files| codegen::write::write(&out, &files));
    let error = match result {
        Err(error) => error.to_string(),
        Ok(_) => panic!("a truncated model generated a crate"),
    };
    assert!(
        error.contains("codepipeline.json"),
        "the error does not name the file: {error}"
    );
    assert!(
        error.contains("EOF"),
        "the error does not say the file ended early: {error}"
    );
    assert!(
        error.contains("line "),
        "the error does not say where: {error}"
    );
    assert_eq!(error.lines().count(), 1, "one error, one line: {error}");
    assert!(
        tree(&out) == before,
        "the failed run changed the output directory"
    );
}
