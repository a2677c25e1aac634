//! Broken models must fail with one clear error naming the file and the JSON path, never a panic
//! and never partial output (issue 5). The corpus lives in `tests/models/broken/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use codegen::Selection;
use tests::{cargo_build_executable, read_tree, workspace_root, CargoEnv};

/// One broken model: the file, where the error must point, and a fragment of the explanation.
struct Case {
    file: &'static str,
    /// The exact JSON path (or `line N, column M` for JSON syntax errors); empty for whole-file faults.
    location: &'static str,
    explanation: &'static str,
}

const fn case(file: &'static str, location: &'static str, explanation: &'static str) -> Case {
    Case { file, location, explanation }
}

const CASES: &[Case] = &[
    // Not JSON at all.
    case("truncated.json", "line 1, column 56", "EOF while parsing a string"),
    case("trailing_comma.json", "line 1, column 32", "trailing comma"),
    case("bare_text.json", "line 1, column 2", "expected ident"),
    case("empty.json", "", "the file is empty"),
    case("whitespace_only.json", "", "the file is empty"),
    case("top_level_array.json", "", "expected an object, found an array"),
    // The document's frame.
    case("smithy_version_3.json", "smithy", "unsupported Smithy version `3.0`"),
    case("shapes_not_object.json", "shapes", "expected an object, found an array"),
    case("shape_id_without_namespace.json", "shapes.Foo", "`Foo` is not an absolute shape ID"),
    case("unknown_shape_type.json", r#"shapes."com.example#Foo".type"#, "unknown shape type `struct`"),
    case("missing_type.json", r#"shapes."com.example#Foo""#, "missing required key `type`"),
    // Targets.
    case(
        "missing_target.json",
        r#"shapes."com.example#In".members.bar.target"#,
        "target `com.example#Nope` is not defined",
    ),
    case("target_is_number.json", r#"shapes."com.example#In".members.bar.target"#, "expected a string, found a number"),
    case(
        "member_targets_operation.json",
        r#"shapes."com.example#In".members.bar.target"#,
        "`com.example#Op` is an operation, which cannot be the target of a member",
    ),
    case(
        "member_targets_service.json",
        r#"shapes."com.example#In".members.bar.target"#,
        "`com.example#Svc` is a service, which cannot be the target of a member",
    ),
    case(
        "map_key_not_string.json",
        r#"shapes."com.example#Counts".key.target"#,
        "a map key must target a string or enum shape",
    ),
    // Smithy: a map key targets a string shape; an enum is one, an intEnum is not.
    case(
        "map_key_int_enum.json",
        r#"shapes."com.example#CountsByTier".key.target"#,
        "a map key must target a string or enum shape, not intEnum `com.example#Tier`",
    ),
    case("list_cycle.json", r#"shapes."com.example#Tree".member.target"#, "contains itself"),
    // Trait values of the wrong type or shape.
    case(
        "length_min_string.json",
        r#"shapes."com.example#Name".traits."smithy.api#length".min"#,
        "expected a non-negative integer",
    ),
    case(
        "required_string.json",
        r#"shapes."com.example#In".members.bar.traits."smithy.api#required""#,
        "expected an empty object",
    ),
    case(
        "documentation_number.json",
        r#"shapes."com.example#Name".traits."smithy.api#documentation""#,
        "expected a string, found a number",
    ),
    case(
        "enum_value_object.json",
        r#"shapes."com.example#Color".members.RED.traits."smithy.api#enumValue""#,
        "expected a string or integer, found an object",
    ),
    case("error_oops.json", r#"shapes."com.example#Oops".traits."smithy.api#error""#, r#"found "oops""#),
    case(
        "length_min_above_max.json",
        r#"shapes."com.example#Name".traits."smithy.api#length""#,
        "length min 10 is greater than max 2",
    ),
    case(
        "range_min_above_max.json",
        r#"shapes."com.example#Count".traits."smithy.api#range""#,
        "range min 5 is greater than max -5",
    ),
    case(
        "default_wrong_type.json",
        r#"shapes."com.example#In".members.count.traits."smithy.api#default""#,
        "does not fit the member's type",
    ),
    case(
        "enum_integer_value.json",
        r#"shapes."com.example#Color".members.RED.traits."smithy.api#enumValue""#,
        "string enums need string values",
    ),
    case(
        "int_enum_string_value.json",
        r#"shapes."com.example#Level".members.LOW.traits."smithy.api#enumValue""#,
        "needs an integer @enumValue",
    ),
    // Operations and services.
    case(
        "operation_input_not_structure.json",
        r#"shapes."com.example#Op".input.target"#,
        "an operation input must be a structure",
    ),
    case(
        "operation_error_not_error.json",
        r#"shapes."com.example#Op".errors[0].target"#,
        "not a structure with the @error trait",
    ),
    case(
        "service_error_not_error.json",
        r#"shapes."com.example#Svc".errors[0].target"#,
        "not a structure with the @error trait",
    ),
    case(
        "service_missing_operation.json",
        r#"shapes."com.example#Svc".operations[0].target"#,
        "target `com.example#Gone` is not defined",
    ),
    case(
        "resource_read_not_operation.json",
        r#"shapes."com.example#Thing".read.target"#,
        "expected an operation, but `com.example#In` is a structure",
    ),
    case("no_service.json", "shapes", "the model defines no service shape"),
    case("two_services.json", "shapes", "several services; choose one of: com.example#Other, com.example#Svc"),
    case("service_without_protocol.json", r#"shapes."com.example#Svc".traits"#, "declares no protocol trait"),
    case("service_rest_xml.json", r#"shapes."com.example#Svc".traits."aws.protocols#restXml""#, "unsupported protocol"),
    case(
        "service_rest_json.json",
        r#"shapes."com.example#Op".traits"#,
        "operation `com.example#Op` has no smithy.api#http trait, which restJson1 requires",
    ),
    case("streaming_member.json", r#"shapes."com.example#Stream".traits."smithy.api#streaming""#, "streaming blob"),
    // Endpoint rules and host prefixes: the path goes inside the trait's value.
    case(
        "endpoint_rule_set_unknown_reference.json",
        r#"shapes."com.example#Svc".traits."smithy.rules#endpointRuleSet".rules[0].conditions[0].argv[0].ref"#,
        "`Regoin` is not a parameter or a variable",
    ),
    case(
        "endpoint_rule_set_not_object.json",
        r#"shapes."com.example#Svc".traits."smithy.rules#endpointRuleSet""#,
        "expected an object, found an array",
    ),
    case(
        "endpoint_rule_set_argument_type.json",
        r#"shapes."com.example#Svc".traits."smithy.rules#endpointRuleSet".rules[0].conditions[0].argv[0]"#,
        "argument 1 of `booleanEquals` must be a boolean, but this is a string",
    ),
    case(
        "endpoint_tests_two_expectations.json",
        r#"shapes."com.example#Svc".traits."smithy.rules#endpointTests".testCases[0].expect"#,
        "expected exactly one of `endpoint` and `error`",
    ),
    case(
        "endpoint_tests_number_param.json",
        r#"shapes."com.example#Svc".traits."smithy.rules#endpointTests".testCases[0].params.Port"#,
        "expected a string, a boolean or a list of strings, found a number",
    ),
    case(
        "host_prefix_bad_character.json",
        r#"shapes."com.example#Op".traits."smithy.api#endpoint".hostPrefix"#,
        "`_` in `data_{Name}.` cannot be part of a host name",
    ),
    case(
        "host_prefix_label_not_host_label.json",
        r#"shapes."com.example#Op".traits."smithy.api#endpoint".hostPrefix"#,
        "needs `com.example#In` member `Name` to be a required string with @hostLabel",
    ),
    // Mixins, flattened on load: a cycle names the reference that closes it.
    case(
        "mixin_cycle.json",
        r#"shapes."com.example#B".mixins[0].target"#,
        "mixins form a cycle: com.example#A -> com.example#B -> com.example#A",
    ),
    case(
        "missing_mixin.json",
        r#"shapes."com.example#In".mixins[1].target"#,
        "mixin `com.example#Gone` is not defined in the model",
    ),
    case(
        "operation_input_mixin.json",
        r#"shapes."com.example#Op".input.target"#,
        "`com.example#In` is a mixin, which cannot be an operation input",
    ),
    // Shapes the generator cannot express.
    case("required_cycle.json", r#"shapes."com.example#A".members.b"#, "contains itself through required members"),
    case("union_no_members.json", r#"shapes."com.example#Choice""#, "has no members"),
    case(
        "structure_member_targets_unit.json",
        r#"shapes."com.example#In".members.nothing.target"#,
        "only a union member can target smithy.api#Unit",
    ),
];

fn broken_dir() -> PathBuf {
    workspace_root().join("tests/models/broken")
}

fn selection() -> Selection {
    Selection { service: None, operations: Vec::new(), crate_name: "broken".into() }
}

/// The error the generator gives for `path`, which must be an error (the test fails on success).
fn generate_error(path: &Path) -> String {
    match codegen::generate(path, &selection()) {
        Ok(files) => panic!("{} generated {} files instead of failing", path.display(), files.len()),
        Err(e) => e.to_string(),
    }
}

/// Checks that `message` names the file and the exact location, and explains the fault.
fn check_message(message: &str, file: &str, location: &str, explanation: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    if !message.contains(file) {
        problems.push(format!("does not name the file `{file}`"));
    }
    if !location.is_empty() && !message.contains(&format!("at {location}: ")) {
        problems.push(format!("does not point at `{location}`"));
    }
    if !message.contains(explanation) {
        problems.push(format!("does not explain `{explanation}`"));
    }
    if message.contains('\n') {
        problems.push("is not a single line".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{file}: message {message:?} {}", problems.join(", ")))
    }
}

#[test]
fn every_broken_model_fails_with_file_path_and_reason() {
    let mut failures = Vec::new();
    for case in CASES {
        let path = broken_dir().join(case.file);
        assert!(path.is_file(), "{} is missing from the corpus", path.display());
        // A panic would abort the whole table, so catch it and report it with the file name.
        let outcome = std::panic::catch_unwind(|| generate_error(&path));
        match outcome {
            Ok(message) => {
                if let Err(problem) = check_message(&message, case.file, case.location, case.explanation) {
                    failures.push(problem);
                }
            }
            Err(_) => failures.push(format!("{}: the generator panicked", case.file)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} broken models are not reported well:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_corpus_file_has_a_case() {
    let listed: Vec<&str> = CASES.iter().map(|c| c.file).collect();
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(broken_dir()).expect("the corpus directory exists") {
        let name = entry.expect("readable corpus entry").file_name().to_string_lossy().into_owned();
        if !listed.contains(&name.as_str()) {
            unlisted.push(name);
        }
    }
    assert!(unlisted.is_empty(), "corpus files without a case in CASES: {unlisted:?}");
    assert!(CASES.len() >= 30, "the corpus should cover at least 30 faults");
}

/// Arrays nested 10,000 deep inside a trait value: made here rather than checked in.
#[test]
fn deeply_nested_trait_value_is_refused_without_overflowing_the_stack() {
    let depth = 10_000;
    let prefix = r#"{"smithy":"2.0","shapes":{"com.example#Foo":{"type":"string","traits":{"com.example#deep":"#;
    let text = format!("{prefix}{}{}}}}}}}}}", "[".repeat(depth), "]".repeat(depth));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("deep_nesting.json");
    std::fs::write(&path, text).expect("write model");
    let message = generate_error(&path);
    // serde_json stops at 128 levels; the model's own objects take the first four.
    let column = format!("line 1, column {}", prefix.len() + 128 - 4);
    check_message(&message, "deep_nesting.json", &column, "recursion limit exceeded").unwrap_or_else(|e| panic!("{e}"));
}

/// The same streaming model is fine when the streaming operation is not selected: the check is
/// about what the crate would contain, not about the whole model.
#[test]
fn streaming_shapes_outside_the_selection_are_not_an_error() {
    let model = std::fs::read(broken_dir().join("streaming_member.json")).expect("read model");
    let mut value: serde_json::Value = serde_json::from_slice(&model).expect("valid JSON");
    value["shapes"]["com.example#Plain"] = serde_json::json!({"type": "operation"});
    value["shapes"]["com.example#Svc"]["operations"] =
        serde_json::json!([{"target": "com.example#Op"}, {"target": "com.example#Plain"}]);
    let bytes = serde_json::to_vec(&value).expect("serialise");
    let plain = Selection { operations: vec!["Plain".into()], ..selection() };
    let files = codegen::generate_from_slice("streaming_member.json", &bytes, &plain);
    assert!(files.is_ok(), "{}", files.err().map(|e| e.to_string()).unwrap_or_default());
    let streaming = Selection { operations: vec!["Op".into()], ..selection() };
    let err =
        codegen::generate_from_slice("streaming_member.json", &bytes, &streaming).expect_err("streaming is refused");
    assert!(err.to_string().contains("smithy.api#streaming"), "{err}");
}

/// A pattern no engine can run is not the end of the service: that one check is left to the
/// service, with one warning naming the shape, and everything else is generated (lookahead included).
#[test]
fn an_unenforceable_pattern_is_a_warning_and_the_rest_generates() {
    let model = workspace_root().join("tests/models/patterns/unenforceable.json");
    let generated = codegen::generate_crate(&model, &selection()).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(generated.warnings.len(), 1, "one warning for the shape, however many members use it: {warnings:?}");
    let warning = &generated.warnings[0];
    assert_eq!(warning.shape, "com.example#Greek");
    assert_eq!(warning.location, r#"shapes."com.example#Greek".traits."smithy.api#pattern""#);
    for needed in ["^\\p{InGreek}+$", "not enforced", "the service still checks it", "blocks are not supported"] {
        assert!(warning.message.contains(needed), "{:?} does not say {needed:?}", warning.message);
    }
    let validate = generated.files.iter().find(|f| f.path == "src/validate.rs").expect("a validate module");
    assert!(validate.contents.contains("^(?=x)[a-z]+$"), "the lookahead pattern is enforced");
    assert!(!validate.contents.contains("InGreek"), "the unenforceable pattern is not compiled");
    // Users of each member that carries it are told, in the rustdoc and in the CLI's help.
    let file = |path: &str| &generated.files.iter().find(|f| f.path == path).expect(path).contents;
    let doc_note = "/// Not checked here: the model's pattern `^\\p{InGreek}+$` (at byte 1: unsupported property class";
    for path in ["src/types.rs", "src/client/fluent.rs"] {
        assert_eq!(
            file(path).matches(doc_note).count(),
            2,
            "{path} does not note the pattern on `greek` and `alsoGreek`"
        );
        assert!(file(path).contains("The service checks it."), "{path}");
    }
    assert!(
        !file("src/types.rs").contains("Not checked here: the model's pattern `^(?=x)"),
        "an enforced pattern gets no note"
    );
    assert_eq!(
        file("src/cli.rs").matches("pattern ^\\\\p{InGreek}+$ checked only by the service (at byte 1:").count(),
        4,
        "the help of both options and their lines in the YAML skeleton"
    );
    // Strict mode turns the warning into an error that names the shape.
    let strict = generated.deny_warnings().expect_err("strict mode refuses the crate").to_string();
    assert!(strict.contains("com.example#Greek") && strict.contains("blocks are not supported"), "{strict}");
}

/// A translation the crate's engine would refuse at run time (its compiled form is over the size
/// limit) is found at generation time and treated like a pattern no engine runs: a warning, no
/// check, docs that say the service checks it, and an error in strict mode. With it gone, the crate
/// needs only the leanest engine.
#[test]
fn a_pattern_the_engine_refuses_is_a_warning_and_the_rest_generates() {
    let model = workspace_root().join("tests/models/patterns/oversized.json");
    let generated = codegen::generate_crate(&model, &selection()).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(generated.warnings.len(), 1, "{warnings:?}");
    let warning = &generated.warnings[0];
    assert_eq!(warning.shape, "com.example#Bio");
    assert_eq!(warning.location, r#"shapes."com.example#Bio".traits."smithy.api#pattern""#);
    let refusal = "the regex engine refuses the translation: compiled size limit exceeded";
    for needed in ["^\\p{L}{1,1000}$", "not enforced", "the service still checks it", refusal] {
        assert!(warning.message.contains(needed), "{:?} does not say {needed:?}", warning.message);
    }
    let file = |path: &str| &generated.files.iter().find(|f| f.path == path).expect(path).contents;
    assert!(file("src/validate.rs").contains("^[a-z]+$"), "the other pattern is enforced");
    assert!(!file("src/validate.rs").contains("1000"), "the refused pattern is not compiled");
    let manifest = file("Cargo.toml");
    assert!(manifest.contains(r#""pattern-regex-lite""#) && !manifest.contains(r#""pattern-regex""#), "{manifest}");
    let doc_note = format!("/// Not checked here: the model's pattern `^\\p{{L}}{{1,1000}}$` ({refusal}). The service");
    assert_eq!(file("src/types.rs").matches(&doc_note).count(), 1, "the note on `bio`");
    let element_note = "/// Not checked here: the model's pattern `^\\p{L}{1,1000}$` for each element (";
    assert_eq!(file("src/types.rs").matches(element_note).count(), 1, "the note on `quotes`");
    let strict = generated.deny_warnings().expect_err("strict mode refuses the crate").to_string();
    let heading = "strict mode: 1 warning, which the generator was told to treat as an error, about com.example#Bio:";
    assert!(strict.starts_with(heading) && strict.contains(refusal), "{strict}");
}

/// Endpoint rules that need a function the evaluator lacks leave the crate on the plain endpoint
/// pattern, with one warning naming the place and the reason, and the crate's docs say so; strict
/// mode refuses the crate.
#[test]
fn unsupported_endpoint_rules_are_a_warning_and_the_crate_uses_the_pattern() {
    let model = workspace_root().join("tests/models/endpoints/unsupported_rules.json");
    let generated = codegen::generate_crate(&model, &selection()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    let warning = &generated.warnings[0];
    assert_eq!(warning.shape, "com.example#Later");
    assert_eq!(
        warning.location,
        r#"shapes."com.example#Later".traits."smithy.rules#endpointRuleSet".rules[0].conditions[0].fn"#
    );
    assert!(warning.message.contains("the function `split` is not supported"), "{}", warning.message);
    assert!(warning.to_string().starts_with(&format!("{}: at ", model.display())), "{warning}");
    let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        !paths.contains(&"src/endpoint_rules.json") && !paths.contains(&"tests/endpoint_rules/main.rs"),
        "{paths:?}"
    );
    let manifest = generated.files.iter().find(|f| f.path == "Cargo.toml").expect("a manifest");
    assert!(!manifest.contents.contains(r#""endpoint-rules""#), "no rules evaluator:\n{}", manifest.contents);
    let lib = generated.files.iter().find(|f| f.path == "src/lib.rs").expect("a crate root");
    assert!(lib.contents.contains("https://later.{region}.{dnsSuffix}"), "the docs name the pattern");
    assert!(lib.contents.contains("the function `split` is not supported"), "the docs say why");
    let strict = generated.deny_warnings().expect_err("strict mode refuses the crate").to_string();
    assert!(strict.contains("com.example#Later") && strict.contains("split"), "{strict}");
}

// ---- The real `cargo xtask codegen` binary, end to end. ----

/// Builds xtask once and returns its executable, so each run's stderr holds only the tool's own output.
fn xtask() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| cargo_build_executable(&["-q", "-p", "xtask"], "xtask", CargoEnv::Inherited))
}

fn run_codegen(model: &Path, out: &Path) -> Output {
    Command::new(xtask())
        .arg("codegen")
        .arg("--model")
        .arg(model)
        .arg("--out")
        .arg(out)
        .current_dir(workspace_root())
        .output()
        .expect("run xtask")
}

/// The run failed with exactly one `error:` line that names the file and location, and no panic.
fn assert_clean_failure(output: &Output, file: &str, location: &str, explanation: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "xtask succeeded on {file}; stderr: {stderr}");
    assert_eq!(output.status.code(), Some(1), "exit status for {file}; stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "xtask panicked on {file}: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr for {file}, got: {stderr}");
    let message = lines[0].strip_prefix("error: ").unwrap_or_else(|| panic!("not an `error:` line: {stderr}"));
    check_message(message, file, location, explanation).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.stdout.is_empty(),
        "xtask printed on stdout for {file}: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn xtask_reports_broken_models_and_leaves_existing_output_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("src")).expect("mkdir");
    std::fs::write(out.join("Cargo.toml"), "[package]\nname = \"keep-me\"\n").expect("write");
    std::fs::write(out.join("src/lib.rs"), "// hand-made, must survive\n").expect("write");
    let before = read_tree(&out);
    for file in ["missing_target.json", "trailing_comma.json", "required_cycle.json", "service_rest_xml.json"] {
        let case = CASES.iter().find(|c| c.file == file).expect("case in the table");
        let output = run_codegen(&broken_dir().join(file), &out);
        assert_clean_failure(&output, case.file, case.location, case.explanation);
        assert_eq!(read_tree(&out), before, "{file} changed the output directory");
    }
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.path()).expect("read").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("out")], "staging directories were left behind");
}

#[test]
fn xtask_creates_no_output_directory_for_a_broken_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let case = CASES.iter().find(|c| c.file == "map_key_not_string.json").expect("case in the table");
    let output = run_codegen(&broken_dir().join(case.file), &out);
    assert_clean_failure(&output, case.file, case.location, case.explanation);
    assert!(std::fs::read_dir(dir.path()).expect("read").next().is_none(), "xtask created files for a broken model");
}

/// The issue's own example: the real model cut off mid-file must leave the generated crate alone.
#[test]
fn truncated_real_model_leaves_the_generated_crate_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let full = std::fs::read(workspace_root().join("model/codepipeline.json")).expect("read the real model");
    let model = dir.path().join("codepipeline.json");
    std::fs::write(&model, &full[..full.len() / 2]).expect("write truncated model");
    // A stand-in for `generated/`: the real crate's files, copied so the test never touches the tree.
    let out = dir.path().join("generated");
    for name in ["Cargo.toml", "src/lib.rs", "src/types.rs"] {
        let from = workspace_root().join("generated").join(name);
        let to = out.join(name);
        std::fs::create_dir_all(to.parent().expect("has parent")).expect("mkdir");
        std::fs::copy(&from, &to).expect("copy generated file");
    }
    let before = read_tree(&out);
    let output = run_codegen(&model, &out);
    // The parser gives up at the cut: the last line of what is left, after its last byte.
    let kept = &full[..full.len() / 2];
    let line = kept.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = kept.len() - kept.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    assert_clean_failure(&output, "codepipeline.json", &format!("line {line}, column {column}"), "EOF while parsing");
    assert_eq!(read_tree(&out), before, "the truncated model changed the output directory");
}

/// `--strict` (or `strict = true` in the settings) refuses the crate and writes nothing; without it
/// the run succeeds and prints the warning.
#[test]
fn xtask_strict_refuses_unenforceable_patterns_and_otherwise_warns() {
    let model = workspace_root().join("tests/models/patterns/unenforceable.json");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let strict = Command::new(xtask())
        .args(["codegen", "--strict", "--model"])
        .arg(&model)
        .arg("--out")
        .arg(&out)
        .current_dir(workspace_root())
        .output()
        .expect("run xtask");
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(strict.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: strict mode: ") && stderr.contains("com.example#Greek"), "{stderr}");
    assert!(!out.exists(), "strict mode wrote output");

    let lenient = run_codegen(&model, &out);
    let stderr = String::from_utf8_lossy(&lenient.stderr);
    assert!(lenient.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("unenforceable.json") && warnings[0].contains("com.example#Greek"), "{stderr}");
    assert!(out.join("src/validate.rs").is_file());
}
