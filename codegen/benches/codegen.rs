//! Criterion benches of the generator's in-memory pipeline (load, lower, emit, format; nothing
//! written): the project's model with the operations `model/codegen.toml` selects, every real
//! model in `SMITHY_MODELS_DIR`, generated whole, and the largest restJson1 model there (API Gateway,
//! 124 operations), whose whole-service generation is meant to stay under 300 ms.
//!
//! Run with `cargo bench -p codegen --bench codegen` (append `-- --quick` for a fast look).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use codegen::Selection;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The model path and selection the project's `cargo xtask codegen` uses.
fn project_selection(root: &Path) -> (PathBuf, Selection) {
    let settings_path = root.join("model").join("codegen.toml");
    let text = std::fs::read_to_string(&settings_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", settings_path.display()));
    let settings: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", settings_path.display()));
    let text_of = |key: &str| settings.get(key).and_then(toml::Value::as_str).map(str::to_owned);
    let model = text_of("model").unwrap_or_else(|| panic!("{} has no `model`", settings_path.display()));
    let operations = settings
        .get("operations")
        .and_then(toml::Value::as_array)
        .map(|ops| ops.iter().filter_map(toml::Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    let selection = Selection {
        service: text_of("service"),
        operations,
        crate_name: text_of("crate-name").unwrap_or_else(|| "service".into()),
    };
    (root.join(model), selection)
}

fn project_model(c: &mut Criterion) {
    let (path, selection) = project_selection(&workspace_root());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if let Err(e) = codegen::generate(&path, &selection) {
        panic!("the project's model must generate: {e}");
    }
    let mut group = c.benchmark_group(format!("codegen/{name} ({} operations)", selection.operations.len()));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("from file", |b| b.iter(|| codegen::generate(black_box(&path), &selection)));
    group.bench_function("from bytes", |b| {
        b.iter(|| codegen::generate_from_slice(&name, black_box(&bytes), &selection))
    });
    group.finish();
}

fn real_models(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("SMITHY_MODELS_DIR").map(PathBuf::from) else {
        eprintln!("SKIPPED: SMITHY_MODELS_DIR is not set, so no real model was benchmarked");
        return;
    };
    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("SMITHY_MODELS_DIR={}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    models.sort();
    let mut group = c.benchmark_group("codegen/whole service");
    // A whole service takes tens of milliseconds; ten samples keep a run short and are plenty.
    group.sample_size(10);
    for path in &models {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let crate_name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let selection = Selection { service: None, operations: Vec::new(), crate_name };
        // A model the generator cannot handle yet is a finding of its own tests, not of this bench.
        if let Err(e) = codegen::generate(path, &selection) {
            eprintln!("SKIPPED: {name} does not generate: {e}");
            continue;
        }
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        group.throughput(Throughput::Bytes(size));
        group.bench_function(&name, |b| b.iter(|| codegen::generate(black_box(path), &selection)));
    }
    group.finish();
}

/// API Gateway's model, in the `rest-json1` folder of `SMITHY_MODELS_DIR`: the largest restJson1
/// service the project measures (124 operations), with labels, queries, headers and payloads.
const API_GATEWAY: &str = "rest-json1/api-gateway-2015-07-09.json";

fn api_gateway(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("SMITHY_MODELS_DIR").map(PathBuf::from) else {
        eprintln!("SKIPPED: SMITHY_MODELS_DIR is not set, so API Gateway's model was not benchmarked");
        return;
    };
    let path = dir.join(API_GATEWAY);
    let selection = Selection { service: None, operations: Vec::new(), crate_name: "api-gateway".into() };
    let generated = codegen::generate(&path, &selection)
        .unwrap_or_else(|e| panic!("SMITHY_MODELS_DIR is set, so {} must generate: {e}", path.display()));
    // The group's name says how many operations one iteration generates, so a figure is never read
    // against a smaller crate than the one measured.
    let operations = generated
        .iter()
        .find(|f| f.path == "src/client.rs")
        .map_or(0, |client| client.contents.matches("runtime::client::Call::new(").count());
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mut group = c.benchmark_group(format!("codegen/api-gateway ({operations} operations)"));
    group.sample_size(10);
    group.throughput(Throughput::Bytes(size));
    group.bench_function("whole service", |b| b.iter(|| codegen::generate(black_box(&path), &selection)));
    group.finish();
}

criterion_group!(benches, project_model, real_models, api_gateway);
criterion_main!(benches);
