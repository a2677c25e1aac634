//! The endpoint rules evaluator (`codegen/runtime/src/endpoint.rs`, which the generator compiles as
//! `codegen::rules`) against the models' own `smithy.rules#endpointTests`: every case of
//! `model/codepipeline.json` and of every real model in `SMITHY_MODELS_DIR` must give exactly the
//! expected URL, headers and properties, or exactly the expected error message.
//!
//! Each case's `params` are the rule-set parameters by name. Cases with `operationInputs` also say
//! which built-ins and client settings an SDK call would set; those run a second time with the values
//! given as built-ins (so `AWS::Region` reaches `Region` through the rule set's `builtIn` binding),
//! taking only the parameters an operation's input binds (DynamoDB's `ResourceArn`) from `params`.
//!
//! The real models' tests were written against an older partition table than the published one
//! checked in as `codegen/runtime/data/partitions.json`. The facts they assume where the table has since
//! changed are data, in `codegen/data/endpoint-test-partition-overrides.json` (read through
//! `codegen::rules`); a case that fails against the checked-in table is run again with them put
//! back, and counts as passing only if it then gives exactly what it expects. Those cases are
//! reported apart, and the generator makes the same decision for the tests it writes into each
//! crate. The test fails when no case needs the overrides any more, so they go with the next
//! model update.

use std::path::{Path, PathBuf};

use codegen::model::{load_file, Model, ShapeKind};
use codegen::rules::endpoint::{Params, RuleSet};
use codegen::rules::{
    check_case, checked_in_tables, mismatch, CaseTable, EndpointExpectation, EndpointTestCase, TestTables,
};
use tests::{real_model, workspace_root};

/// The real models the suite must find; any other model in the directory runs too.
const REAL_MODELS: &[&str] = &[
    "acm-2015-12-08.json",
    "athena-2017-05-18.json",
    "b2bi-2022-06-23.json",
    "budgets-2016-10-20.json",
    "cloudtrail-2013-11-01.json",
    "cloudwatch-logs-2014-03-28.json",
    "codebuild-2016-10-06.json",
    "codepipeline-2015-07-09.json",
    "cognito-identity-provider-2016-04-18.json",
    "config-service-2014-11-12.json",
    "data-pipeline-2012-10-29.json",
    "dynamodb-2012-08-10.json",
    "dynamodb-streams-2012-08-10.json",
];

/// What running one model's cases gave.
#[derive(Default)]
struct Tally {
    cases: usize,
    endpoints: usize,
    errors: usize,
    /// Runs with the operation inputs' built-ins, beyond the cases themselves.
    operation_runs: usize,
    /// Cases with at least one failure.
    failed_cases: usize,
    /// Cases that give what they expect only with the overrides' partition facts.
    model_era_cases: usize,
    failures: Vec<String>,
}

/// Checks one resolution against the published table, then (for real models) the model-era one.
/// `Ok(true)` when only the model-era table gives the expected outcome.
fn check_with(rules: &RuleSet, tables: &Tables, params: &Params, expect: &EndpointExpectation) -> Result<bool, String> {
    if tables.model_era {
        return check_case(rules, tables.checked_in, params, expect).map(|table| table == CaseTable::ModelEra);
    }
    match mismatch(expect, &rules.resolve(params, &tables.checked_in.published)) {
        None => Ok(false),
        Some(problem) => Err(problem),
    }
}

/// The tables to check with: the checked-in ones, and whether the model-era facts may apply.
struct Tables {
    checked_in: &'static TestTables,
    model_era: bool,
}

fn run_case(rules: &RuleSet, tables: &Tables, case: &EndpointTestCase, tally: &mut Tally) {
    let failures_before = tally.failures.len();
    let mut model_era = false;
    let label = format!("{} ({})", case.documentation.as_deref().unwrap_or("undocumented case"), case.json_path);
    let mut params = Params::new();
    for (name, value) in &case.params {
        params.set(name.clone(), value.clone());
    }
    match check_with(rules, tables, &params, &case.expect) {
        Ok(needed_model_era) => model_era |= needed_model_era,
        Err(problem) => tally.failures.push(format!("{label}: {problem}")),
    }
    for input in &case.operation_inputs {
        tally.operation_runs += 1;
        let mut params = Params::new();
        for (source, value) in &input.built_in_params {
            params.set_built_in(source.clone(), value.clone());
        }
        for (name, value) in &input.client_params {
            params.set(name.clone(), value.clone());
        }
        let from_settings = |name: &str| {
            let parameter = rules.parameters().iter().find(|p| p.name == name);
            let built_in = parameter.and_then(|p| p.built_in.as_deref());
            input.client_params.iter().any(|(n, _)| n == name)
                || built_in.is_some_and(|b| input.built_in_params.iter().any(|(source, _)| source == b))
        };
        for (name, value) in &case.params {
            if !from_settings(name) {
                params.set(name.clone(), value.clone());
            }
        }
        match check_with(rules, tables, &params, &case.expect) {
            Ok(needed_model_era) => model_era |= needed_model_era,
            Err(problem) => tally.failures.push(format!("{label}, as {}: {problem}", input.operation_name)),
        }
    }
    tally.cases += 1;
    if tally.failures.len() > failures_before {
        tally.failed_cases += 1;
    } else if model_era {
        tally.model_era_cases += 1;
    }
    match case.expect {
        EndpointExpectation::Endpoint { .. } => tally.endpoints += 1,
        EndpointExpectation::Error(_) => tally.errors += 1,
    }
}

/// Runs every case of every service of `model`; each service must carry both traits.
fn run_model(model: &Model, tables: &Tables) -> Tally {
    let mut tally = Tally::default();
    let services = model.shapes.values().filter(|s| matches!(s.kind, ShapeKind::Service { .. }));
    for service in services {
        let id = &service.id;
        let rule_set = service.traits.endpoint_rule_set.as_ref().unwrap_or_else(|| panic!("{id} has no rule set"));
        let rules =
            rule_set.parsed.as_ref().unwrap_or_else(|e| panic!("{id}: the evaluator cannot run its rules: {e}"));
        let cases = service.traits.endpoint_tests.as_ref().unwrap_or_else(|| panic!("{id} has no endpoint tests"));
        assert!(!cases.is_empty(), "{id} has an empty endpointTests trait");
        for case in cases {
            run_case(rules, tables, case, &mut tally);
        }
    }
    tally
}

/// Prints the model's tally; the failures, if any, as one message.
fn report(name: &str, tally: &Tally) -> Result<(), String> {
    eprintln!(
        "{name}: {} of {} endpoint test cases pass ({} of them only with the model-era partition facts; {} expect an endpoint, {} an error; {} operation-input runs)",
        tally.cases - tally.failed_cases,
        tally.cases,
        tally.model_era_cases,
        tally.endpoints,
        tally.errors,
        tally.operation_runs,
    );
    if tally.failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}: {} failures:\n{}", tally.failures.len(), tally.failures.join("\n")))
    }
}

/// The checked-in model carries CodePipeline's rules and tests, so this runs without the real models.
#[test]
fn codepipeline_model_endpoint_tests_pass() {
    let path = workspace_root().join("model/codepipeline.json");
    let model = load_file(&path).expect("model/codepipeline.json loads");
    // The checked-in model's cases follow the checked-in table, so no older facts apply.
    let tables = Tables { checked_in: checked_in_tables(), model_era: false };
    let tally = run_model(&model, &tables);
    assert_eq!(tally.cases, 49, "CodePipeline has 49 endpoint test cases");
    report("model/codepipeline.json", &tally).unwrap_or_else(|failures| panic!("{failures}"));
}

fn real_models_dir() -> Option<PathBuf> {
    if std::env::var_os("SMITHY_MODELS_DIR").is_none() {
        eprintln!(
            "SKIPPED: SMITHY_MODELS_DIR is not set, so the endpoint tests of the {} real models did not run",
            REAL_MODELS.len()
        );
        return None;
    }
    // Fails when the variable is set and a model is missing.
    let found: Vec<PathBuf> = REAL_MODELS.iter().map(|file| real_model(file)).collect::<Option<_>>()?;
    found.first().and_then(|p| p.parent()).map(Path::to_path_buf)
}

#[test]
fn every_real_model_endpoint_test_passes() {
    let Some(dir) = real_models_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read SMITHY_MODELS_DIR")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let tables = Tables { checked_in: checked_in_tables(), model_era: true };
    let mut failures = Vec::new();
    let (mut total, mut model_era) = (0, 0);
    for file in &files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let model = load_file(file).unwrap_or_else(|e| panic!("{e}"));
        let tally = run_model(&model, &tables);
        // The generator decides the same for the tests it writes into the crate.
        let selection = codegen::Selection { service: None, operations: Vec::new(), crate_name: "x".into() };
        let service = codegen::ir::lower(&model, &selection).unwrap_or_else(|e| panic!("{e}"));
        let codegen::ir::EndpointResolution::Rules(rules) = &service.endpoint else { panic!("{name}: no rules") };
        let generated_model_era = rules.tests.iter().filter(|t| t.partitions == CaseTable::ModelEra).count();
        assert_eq!(generated_model_era, tally.model_era_cases, "{name}: the generated tests' tables");
        total += tally.cases;
        model_era += tally.model_era_cases;
        if let Err(failed) = report(&name, &tally) {
            failures.push(failed);
        }
    }
    eprintln!(
        "{} models, {total} endpoint test cases, {model_era} of them written for the older partition facts",
        files.len()
    );
    assert!(files.len() >= REAL_MODELS.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        model_era > 0,
        "no case needs the overrides of codegen/data/endpoint-test-partition-overrides.json any more: remove them"
    );
}
