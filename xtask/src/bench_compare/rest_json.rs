//! The restJson1 row of `cargo xtask bench-compare`: Customer Profiles' `SearchProfiles` through a
//! client generated at bench time from the shared model (read from `SMITHY_MODELS_DIR`, never kept
//! in the repository) against `aws-sdk-customerprofiles`, timed by the `xtask/bench-compare/rest-json1`
//! harness.
//!
//! No operation of the shared restJson1 models binds labels, query parameters, headers and a JSON
//! body at once; `SearchProfiles` has all but headers (a label, two query parameters, a JSON body
//! with nested lists, and a JSON response).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{cargo, executable_of, harness_value, niced};

/// The model inside `SMITHY_MODELS_DIR`.
pub const MODEL: &str = "rest-json1/customer-profiles-2020-08-15.json";
/// The operation generated and timed.
const OPERATION: &str = "SearchProfiles";
/// The generated crate, as the harness's manifest names it.
const CRATE: &str = "customer-profiles-search";
/// The harness's binary target.
const HARNESS: &str = "bench-compare-rest-json1";

/// Per-call cost of the two clients, in microseconds.
pub struct RestCall {
    pub generated_us: f64,
    pub sdk_us: f64,
}

/// The model file, when `SMITHY_MODELS_DIR` is set; an error when it is set and the file is missing.
pub fn model() -> Result<Option<PathBuf>, String> {
    let Some(dir) = std::env::var_os("SMITHY_MODELS_DIR").map(PathBuf::from) else {
        return Ok(None);
    };
    let path = dir.join(MODEL);
    if path.is_file() {
        Ok(Some(path))
    } else {
        Err(format!("SMITHY_MODELS_DIR is set but {} is not a file", path.display()))
    }
}

/// Generates the crate into the harness's `generated/`, builds the harness and runs it.
pub fn measure(root: &Path, model: &Path) -> Result<RestCall, String> {
    let dir = root.join("xtask").join("bench-compare").join("rest-json1");
    let out = dir.join("generated");
    eprintln!("bench-compare: generating {OPERATION} from {}", model.display());
    let selection = codegen::Selection { service: None, operations: vec![OPERATION.into()], crate_name: CRATE.into() };
    // Relative to `out`, so the generated manifest names the same runtime package as the harness's.
    let runtime = codegen::RuntimeDependency::Path("../../../../codegen/runtime".into());
    let generated = codegen::generate_crate_with_runtime(model, &selection, &runtime)
        .map_err(|e| format!("generating {OPERATION}: {e}"))?;
    codegen::write::write(&out, &generated.files).map_err(|e| format!("writing {}: {e}", out.display()))?;

    eprintln!(
        "bench-compare: building the restJson1 harness (the first run compiles aws-sdk-customerprofiles: minutes)"
    );
    let mut build = Command::new(cargo());
    build
        .args(["build", "--release", "--message-format=json-render-diagnostics", "--manifest-path"])
        .arg(dir.join("Cargo.toml"));
    // Share the main harness's target directory (its tokio, http, ring and aws-smithy crates are
    // these), unless the user moved target directories already.
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        build.arg("--target-dir").arg(root.join("xtask").join("bench-compare").join("target"));
    }
    let output = niced(&build)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("building the restJson1 harness: cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("building the restJson1 harness failed ({})", output.status));
    }
    let harness = executable_of(&String::from_utf8_lossy(&output.stdout), HARNESS)
        .ok_or_else(|| format!("cargo built the restJson1 harness but reported no executable named `{HARNESS}`"))?;

    eprintln!("bench-compare: timing the restJson1 calls");
    let output = Command::new(&harness)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", harness.display()))?;
    if !output.status.success() {
        return Err(format!("the restJson1 harness failed ({})", output.status));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let need =
        |key: &str| harness_value(&stdout, key)?.ok_or_else(|| format!("the restJson1 harness did not report `{key}`"));
    Ok(RestCall { generated_us: need("rest_generated_us")?, sdk_us: need("rest_sdk_us")? })
}
