//! Smithy's protocol compliance suite (`smithy-aws-protocol-tests.json` in
//! `SMITHY_PROTOCOL_TESTS_DIR`) against the crates generated for its awsJson and restJson1 services.
//!
//! Each service's crate carries its client-side cases as `tests/protocol_tests` (the generator writes
//! them, see `codegen/src/emit/protocol_tests.rs`). The crates are generated into one scratch workspace
//! under the target directory, built with warnings as errors, and each crate's cases run. Every case
//! must pass, except those named in `tests/protocol_tests_known_failures.toml` with a reason; a listed
//! case that passes fails the run too ("remove it from the list"), so the list cannot go stale. The
//! cases of an operation the generator leaves out of the crate (a streaming one) cannot run, so they
//! must be listed too, never dropped silently. The run prints, per service, how many cases passed
//! and how many were known failures.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::Selection;
use tests::scratch::{cargo_output, prepare_workspace, run_cargo, tail};
use tests::{protocol_tests_file, workspace_root};

/// The suite's file in `SMITHY_PROTOCOL_TESTS_DIR`.
const SUITE: &str = "smithy-aws-protocol-tests.json";

/// The services generated from the suite: the crate's name and the service shape.
const SERVICES: &[(&str, &str)] = &[
    ("json-protocol", "aws.protocoltests.json#JsonProtocol"),
    ("json-rpc10", "aws.protocoltests.json10#JsonRpc10"),
    ("query-compatible-json-rpc10", "aws.protocoltests.json10#QueryCompatibleJsonRpc10"),
    ("rest-json", "aws.protocoltests.restjson#RestJson"),
];

/// The checked-in list of cases known to fail: per service shape ID, a `request` and a `response`
/// table (a request case and a response case may share an ID) of case IDs and reasons.
const KNOWN_FAILURES: &str = "tests/protocol_tests_known_failures.toml";

/// Service shape ID, then `request` or `response`, then case ID, then the reason.
type KnownFailures = BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>;

/// A crate's cases by test name (`cases::request_aws_json11_enums`): which trait (`request` or
/// `response`) and the case ID.
type CasesByTest = BTreeMap<String, (&'static str, String)>;

fn known_failures() -> KnownFailures {
    let path = workspace_root().join(KNOWN_FAILURES);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{KNOWN_FAILURES}: {e}"))
}

/// How each test of a `cargo test` run ended, by test name (`cases::aws_json11_enums`).
fn outcomes(stdout: &str) -> BTreeMap<String, bool> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test "))
        .filter_map(|rest| {
            let (name, outcome) = rest.rsplit_once(" ... ")?;
            match outcome {
                "ok" => Some((name.to_string(), true)),
                "FAILED" => Some((name.to_string(), false)),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn every_client_case_of_the_test_services_passes_or_is_a_listed_known_failure() {
    let Some(suite) = protocol_tests_file(SUITE) else { return };
    let known = known_failures();
    for service in known.keys() {
        assert!(
            SERVICES.iter().any(|(_, id)| id == service),
            "{KNOWN_FAILURES} names `{service}`, which this test does not generate"
        );
    }
    let model = codegen::model::load_file(&suite).unwrap_or_else(|e| panic!("{e}"));
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("protocol-tests");
    let mut cases: Vec<(&str, &str, CasesByTest, Vec<LeftOut>)> = Vec::new();
    for (crate_name, service) in SERVICES {
        let selection = Selection {
            service: Some(service.to_string()),
            operations: Vec::new(),
            crate_name: crate_name.to_string(),
        };
        let lowered = codegen::ir::lower(&model, &selection).unwrap_or_else(|e| panic!("{service}: {e}"));
        let ids: CasesByTest = lowered
            .protocol_tests
            .iter()
            .map(|t| {
                let name = format!("cases::{}", codegen::emit::protocol_test_name(&t.kind, &t.case.id));
                (name, (codegen::emit::protocol_test_kind(&t.kind), t.case.id.clone()))
            })
            .collect();
        assert_eq!(ids.len(), lowered.protocol_tests.len(), "{service}: two cases share a test name");
        let left_out = left_out_cases(&model, &lowered);
        // The scratch workspace lives under the target directory: the runtime by its absolute path.
        let runtime = codegen::RuntimeDependency::Path(tests::runtime_crate_dir().display().to_string());
        let generated = codegen::generate_crate_with_runtime(&suite, &selection, &runtime)
            .unwrap_or_else(|e| panic!("{service}: {e}"));
        let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
        assert!(warnings.is_empty(), "{service}: {warnings:#?}");
        codegen::write::write(&scratch.join(crate_name), &generated.files).unwrap_or_else(|e| panic!("{e}"));
        cases.push((crate_name, service, ids, left_out));
    }
    let members: Vec<String> = SERVICES.iter().map(|(name, _)| name.to_string()).collect();
    prepare_workspace(&scratch, &members, "tests/tests/protocol_tests.rs");
    run_cargo(&scratch, &["test", "--workspace", "--offline", "--test", "protocol_tests", "--no-run"]);

    let mut problems = Vec::new();
    let mut summary = Vec::new();
    for (crate_name, service, ids, left_out) in &cases {
        let empty = BTreeMap::new();
        let listed = known.get(*service).unwrap_or(&empty);
        for (kind, listed_ids) in listed {
            for id in listed_ids.keys() {
                let generated = ids.values().any(|(k, known)| k == kind && known == id);
                let dropped = left_out.iter().any(|case| case.kind == kind && &case.id == id);
                if !generated && !dropped {
                    problems
                        .push(format!("{service}: {KNOWN_FAILURES} lists {kind} `{id}`, which is not a client case"));
                }
            }
        }
        let reason = |kind: &str, id: &str| listed.get(kind).and_then(|ids| ids.get(id));
        let mut left_out_listed = 0;
        for case in left_out {
            match reason(case.kind, &case.id) {
                Some(_) => left_out_listed += 1,
                None => problems.push(format!(
                    "{service}: {} case `{}` of `{}` cannot run, because the crate leaves the operation out ({}); list it in {KNOWN_FAILURES}",
                    case.kind, case.id, case.operation, case.why
                )),
            }
        }
        if ids.is_empty() {
            problems.push(format!("{service}: the crate has no protocol test cases"));
            continue;
        }
        let output = cargo_output(&scratch, &["test", "--offline", "-p", crate_name, "--test", "protocol_tests"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let ran = outcomes(&stdout);
        if ran.is_empty() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            problems.push(format!("{service}: no case ran:\n{}\n{}", tail(&stderr), tail(&stdout)));
            continue;
        }
        for test in ran.keys().filter(|test| !ids.contains_key(*test)) {
            problems.push(format!("{service}: the crate ran `{test}`, which is no client case of the model"));
        }
        let (mut passed, mut known_failed) = (0, left_out_listed);
        for (test, (kind, id)) in ids {
            match (ran.get(test), reason(kind, id)) {
                (None, _) => problems.push(format!("{service}: {kind} case `{id}` did not run")),
                (Some(true), None) => passed += 1,
                (Some(false), Some(_)) => known_failed += 1,
                (Some(true), Some(_)) => {
                    problems.push(format!("{service}: {kind} case `{id}` passes now; remove it from {KNOWN_FAILURES}"))
                }
                (Some(false), None) => {
                    let detail = failure_detail(&stdout, test);
                    problems.push(format!("{service}: {kind} case `{id}` fails:\n{detail}"));
                }
            }
        }
        summary.push(format!(
            "{service}: {passed} passed, {known_failed} known failures, {} client cases",
            ids.len() + left_out.len()
        ));
    }
    // Straight to the process's stderr, past libtest's capture, so every run shows the counts.
    let report = format!("protocol tests:\n  {}\n", summary.join("\n  "));
    let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n\n"));
}

/// A client case of an operation the crate leaves out, which therefore has no test.
struct LeftOut {
    kind: &'static str,
    id: String,
    operation: String,
    why: String,
}

/// The client cases, for the service's protocol, of the operations `lowered` left out of its crate.
fn left_out_cases(model: &codegen::model::Model, lowered: &codegen::ir::Service) -> Vec<LeftOut> {
    let protocol = lowered.protocol.trait_id();
    let mut left_out = Vec::new();
    for skipped in &lowered.skipped {
        let operation = model.shapes.values().find(|shape| {
            shape.id.name() == skipped.operation && matches!(shape.kind, codegen::model::ShapeKind::Operation { .. })
        });
        let Some(operation) = operation else { continue };
        let traits = &operation.traits;
        let kinds = [("request", &traits.http_request_tests), ("response", &traits.http_response_tests)];
        for (kind, tests) in kinds {
            for case in tests.iter().filter(|c| c.client && c.protocol == protocol) {
                left_out.push(LeftOut {
                    kind,
                    id: case.id.clone(),
                    operation: skipped.operation.clone(),
                    why: format!("it uses `{}`", skipped.shape),
                });
            }
        }
    }
    left_out
}

/// The panic message libtest printed for `test`.
fn failure_detail(stdout: &str, test: &str) -> String {
    let header = format!("---- {test} stdout ----");
    let Some(start) = stdout.find(&header) else { return "(no output captured)".to_string() };
    let rest = &stdout[start + header.len()..];
    let end = ["\n---- ", "\n\nfailures:", "\nstack backtrace:"]
        .iter()
        .filter_map(|marker| rest.find(marker))
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim().to_string()
}
