//! Turns a Smithy 2.0 JSON AST service model into a small Rust client crate.
//!
//! The pipeline has four visible stages, one module each:
//! [`model`] (load and check the JSON AST) -> [`ir`] (the closure of the chosen operations, named,
//! sorted and analysed) -> [`emit`] (one emitter per concern, building tokens with `quote` that `syn`
//! and `prettyplease` turn into formatted files) -> [`write`](mod@write) (all-or-nothing output, or a check
//! against what is on disk).

pub mod docs;
pub mod emit;
pub mod ir;
pub mod jmespath;
pub mod model;
pub mod naming;
pub mod pattern;
pub mod pattern_engine;
pub mod rules;
pub mod runtime_crate;
pub mod write;

use std::fmt;
use std::path::Path;

pub use emit::GeneratedFile;
pub use ir::Selection;
pub use runtime_crate::RuntimeDependency;

/// Why code generation failed.
#[derive(Debug)]
pub enum Error {
    /// The model file could not be read or is malformed.
    Load(model::LoadError),
    /// The model is well formed but cannot be turned into a crate.
    Model(ir::IrError),
    /// An emitter failed (a bug in the generator).
    Emit(emit::EmitError),
    /// Strict mode: the generator was told to treat its warnings as errors, and had these (see
    /// [`Generated::warnings`]).
    Strict(Vec<ir::Warning>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load(e) => e.fmt(f),
            Error::Model(e) => e.fmt(f),
            Error::Emit(e) => e.fmt(f),
            Error::Strict(warnings) => {
                let shapes: std::collections::BTreeSet<&str> = warnings.iter().map(|w| w.shape.as_str()).collect();
                let shapes: Vec<&str> = shapes.into_iter().collect();
                let count = match warnings.len() {
                    1 => "1 warning, which the generator was told to treat as an error".to_string(),
                    n => format!("{n} warnings, which the generator was told to treat as errors"),
                };
                write!(f, "strict mode: {count}, about {}:", shapes.join(", "))?;
                for warning in warnings {
                    write!(f, "\n  {warning}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

/// A generated crate, and what the generator left out of it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every file of the crate, in path order.
    pub files: Vec<GeneratedFile>,
    /// Operations of a whole-service selection that were left out (they use streaming shapes), by name.
    pub skipped: Vec<ir::SkippedOperation>,
    /// What the generator could not do for single shapes, by location: a `@pattern` it leaves to the
    /// service (no engine runs it, or the crate's engine refuses its translation), a request
    /// compression with no encoding the crate supports (its requests go uncompressed), endpoint rules
    /// the crate cannot run (it uses the plain endpoint pattern), an endpoint built-in the client does
    /// not set or a binding to the rules it cannot follow, and an endpoint test case's operation call
    /// it cannot generate.
    pub warnings: Vec<ir::Warning>,
}

impl Generated {
    /// The crate, unless the generator has warnings (the `strict` setting treats them as errors).
    pub fn deny_warnings(self) -> Result<Generated, Error> {
        if self.warnings.is_empty() {
            Ok(self)
        } else {
            Err(Error::Strict(self.warnings))
        }
    }
}

/// Inputs beside the model that shape the generated crate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where the generated crate finds the runtime crate.
    pub runtime: RuntimeDependency,
    /// botocore's paginators file for the service (`botocore/data/<service>/<version>/paginators-1.json`):
    /// the generated CLI then aggregates what the AWS CLI aggregates (every result key, the
    /// non-aggregate keys), where the model's `@paginated` names only the items.
    pub botocore_paginators: Option<std::path::PathBuf>,
}

/// Generates the crate for `selection` from the model file at `model_path`.
///
/// Operations left out of a whole-service selection are not reported here; use [`generate_crate`]
/// to learn about them.
pub fn generate(model_path: &Path, selection: &Selection) -> Result<Vec<GeneratedFile>, Error> {
    generate_crate(model_path, selection).map(|generated| generated.files)
}

/// Generates the crate for `selection` from the model file at `model_path`, with the operations it
/// left out. Its manifest takes the runtime from a registry ([`RuntimeDependency::default`]).
pub fn generate_crate(model_path: &Path, selection: &Selection) -> Result<Generated, Error> {
    generate_crate_with_runtime(model_path, selection, &RuntimeDependency::default())
}

/// [`generate_crate`], with the manifest finding the runtime crate where `runtime` says.
pub fn generate_crate_with_runtime(
    model_path: &Path,
    selection: &Selection,
    runtime: &RuntimeDependency,
) -> Result<Generated, Error> {
    generate_crate_with_options(model_path, selection, &Options { runtime: runtime.clone(), ..Options::default() })
}

/// [`generate_crate`], with the [`Options`] given.
pub fn generate_crate_with_options(
    model_path: &Path,
    selection: &Selection,
    options: &Options,
) -> Result<Generated, Error> {
    let model = model::load_file(model_path).map_err(Error::Load)?;
    let botocore = match &options.botocore_paginators {
        Some(path) => Some(ir::botocore_paginators::load_file(path).map_err(Error::Load)?),
        None => None,
    };
    generate_from_model_with(&model, selection, &options.runtime, botocore.as_ref())
}

/// Generates the crate from model bytes already in memory; `file` names them in errors.
pub fn generate_from_slice(file: &str, bytes: &[u8], selection: &Selection) -> Result<Vec<GeneratedFile>, Error> {
    let model = model::load_slice(file, bytes).map_err(Error::Load)?;
    generate_from_model(&model, selection, &RuntimeDependency::default()).map(|generated| generated.files)
}

fn generate_from_model(
    model: &model::Model,
    selection: &Selection,
    runtime: &RuntimeDependency,
) -> Result<Generated, Error> {
    generate_from_model_with(model, selection, runtime, None)
}

fn generate_from_model_with(
    model: &model::Model,
    selection: &Selection,
    runtime: &RuntimeDependency,
    botocore_paginators: Option<&ir::botocore_paginators::BotocorePaginators>,
) -> Result<Generated, Error> {
    let mut service = ir::lower(model, selection).map_err(Error::Model)?;
    if let Some(botocore) = botocore_paginators {
        ir::apply_botocore_paginators(model, &mut service, botocore).map_err(Error::Load)?;
    }
    // Generated files name the model by file name only, so output does not depend on where it lives.
    let file_name = Path::new(&model.file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let files = emit::emit(&service, &file_name, runtime).map_err(Error::Emit)?;
    let mut warnings = service.warnings;
    warnings.sort_by(|a, b| a.location.cmp(&b.location));
    Ok(Generated { files, skipped: service.skipped, warnings })
}
