//! Project automation, run as `cargo xtask <command>`: code generation and its check.

mod bench_compare;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Deserialize;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the crate from the model (settings from model/codegen.toml; flags override them).
    Codegen(CodegenArgs),
    /// Compare the generated client with aws-sdk-codepipeline: per-call cost, build time, binary size, codegen time.
    BenchCompare(bench_compare::Args),
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// Don't write: exit non-zero with a diff if the output is not what the model generates.
    #[arg(long)]
    check: bool,
    /// The settings file [default: model/codegen.toml in the workspace].
    #[arg(long)]
    config: Option<PathBuf>,
    /// The Smithy JSON AST model.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The service shape ID or name.
    #[arg(long)]
    service: Option<String>,
    /// Comma-separated operation names; `all` for the whole service.
    #[arg(long, value_delimiter = ',')]
    operations: Option<Vec<String>>,
    /// The output directory.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The generated crate's package name.
    #[arg(long)]
    crate_name: Option<String>,
    /// Treat every generator warning as an error (a `@pattern` no engine runs, a compression encoding or
    /// endpoint rule it does not support): nothing is written and the run fails.
    #[arg(long)]
    strict: bool,
    /// How the crate finds the runtime crate: `workspace` (a path dependency on this checkout's
    /// codegen/runtime), `vendor` or `vendor:DIR` (the runtime written into DIR, by default
    /// `smithy-lite-runtime` beside the output directory), `path:DIR`, or `version:REQ` [default: the
    /// settings file's `runtime`, else `workspace` for output inside the workspace and `vendor` outside].
    #[arg(long)]
    runtime: Option<String>,
    /// botocore's paginators file for the service (`paginators-1.json`): the CLI then aggregates the
    /// result keys and non-aggregate keys it names, as the AWS CLI does.
    #[arg(long)]
    botocore_paginators: Option<PathBuf>,
}

/// The checked-in settings file.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Config {
    model: Option<PathBuf>,
    service: Option<String>,
    operations: Option<Vec<String>>,
    crate_name: Option<String>,
    out: Option<PathBuf>,
    examples: Option<PathBuf>,
    strict: Option<bool>,
    runtime: Option<String>,
    botocore_paginators: Option<PathBuf>,
}

/// Where the generated crate finds the runtime crate, as `--runtime` or the settings' `runtime` say.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RuntimeMode {
    /// A path dependency on this checkout's `codegen/runtime`.
    Workspace,
    /// The runtime written into a directory (default: `smithy-lite-runtime` beside the crate).
    Vendor(Option<PathBuf>),
    /// A path dependency on a directory of the user's choosing.
    Path(PathBuf),
    /// A version requirement, for a runtime from a registry.
    Version(String),
}

impl RuntimeMode {
    fn parse(text: &str) -> Result<RuntimeMode, String> {
        let mode = match text.split_once(':') {
            None if text == "workspace" => RuntimeMode::Workspace,
            None if text == "vendor" => RuntimeMode::Vendor(None),
            Some(("vendor", dir)) if !dir.is_empty() => RuntimeMode::Vendor(Some(PathBuf::from(dir))),
            Some(("path", dir)) if !dir.is_empty() => RuntimeMode::Path(PathBuf::from(dir)),
            Some(("version", requirement)) if !requirement.is_empty() => RuntimeMode::Version(requirement.to_string()),
            _ => {
                return Err(format!(
                    "runtime `{text}`: expected `workspace`, `vendor`, `vendor:DIR`, `path:DIR` or `version:REQ`"
                ))
            }
        };
        Ok(mode)
    }

    /// The mode with its directory made absolute against `base`.
    fn resolved(self, base: &Path) -> RuntimeMode {
        match self {
            RuntimeMode::Vendor(Some(dir)) => RuntimeMode::Vendor(Some(base.join(dir))),
            RuntimeMode::Path(dir) => RuntimeMode::Path(base.join(dir)),
            other => other,
        }
    }
}

/// `path` without `.` and `..` components (which it resolves lexically).
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `to` as a path relative to the directory `from` (both absolute), with `/` separators, for a
/// manifest that must not depend on where the checkout lives; `to` itself when they share no root.
fn relative_path(from: &Path, to: &Path) -> String {
    let (from, to) = (normalized(from), normalized(to));
    let common = from.components().zip(to.components()).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return to.display().to_string();
    }
    let ups = from.components().count() - common;
    let mut parts: Vec<String> = vec!["..".to_string(); ups];
    parts.extend(to.components().skip(common).map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The workspace this run works on, found when it runs.
///
/// Never the path the binary was built from: with a shared `CARGO_TARGET_DIR`, one build of xtask
/// serves every clone of the repository. `cargo xtask` runs through `cargo run`, which sets
/// `CARGO_MANIFEST_DIR` (and `CARGO_PKG_NAME`) for this clone's `xtask/`; a binary started some other
/// way looks up from the current directory for the workspace whose members include `xtask`.
fn workspace_root() -> Result<PathBuf, String> {
    let started_by_cargo = std::env::var_os("CARGO_PKG_NAME").is_some_and(|name| name == env!("CARGO_PKG_NAME"));
    if let (true, Some(manifest_dir)) = (started_by_cargo, std::env::var_os("CARGO_MANIFEST_DIR")) {
        if let Some(root) = Path::new(&manifest_dir).parent() {
            return Ok(root.to_path_buf());
        }
    }
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    cwd.ancestors()
        .find(|dir| is_this_workspace(dir))
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("{} is not inside the workspace: run `cargo xtask` from the repository", cwd.display()))
}

/// Whether `dir` holds a `Cargo.toml` whose `[workspace]` lists `xtask` as a member.
fn is_this_workspace(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else { return false };
    let Ok(manifest) = text.parse::<toml::Table>() else { return false };
    manifest
        .get("workspace")
        .and_then(|workspace| workspace.get("members"))
        .and_then(toml::Value::as_array)
        .is_some_and(|members| members.iter().any(|member| member.as_str() == Some("xtask")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen(args) => match codegen(args) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Command::BenchCompare(args) => bench_compare::run(args),
    }
}

/// Shows a path relative to the workspace root when it is inside it, so messages stay short.
fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

fn codegen(args: CodegenArgs) -> Result<ExitCode, String> {
    let root = workspace_root()?;
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    // Paths on the command line are the caller's, relative to where they ran the command; the default
    // settings file and the paths inside it belong to the workspace.
    let config_path = match &args.config {
        Some(path) => cwd.join(path),
        None => root.join("model").join("codegen.toml"),
    };
    let config: Config = if config_path.exists() {
        let text = std::fs::read_to_string(&config_path).map_err(|e| format!("{}: {e}", config_path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", shown(&config_path, &root)))?
    } else if args.config.is_none() && args.model.is_some() {
        Config::default()
    } else {
        return Err(format!("{}: settings file not found", config_path.display()));
    };
    let from_config = |p: &PathBuf| root.join(p);
    let from_flag = |p: &PathBuf| cwd.join(p);
    let model = args
        .model
        .as_ref()
        .map(from_flag)
        .or(config.model.as_ref().map(from_config))
        .ok_or("no model: pass --model or set `model` in the settings file")?;
    // A model named on the command line starts from a clean slate: the config's service and
    // operation list belong to the config's model.
    let flag_model = args.model.is_some();
    let service = args.service.or(if flag_model { None } else { config.service });
    let operations = match args.operations.or(if flag_model { None } else { config.operations }) {
        Some(ops) if ops.iter().any(|o| o == "all") => Vec::new(),
        Some(ops) => ops,
        None => Vec::new(),
    };
    let out = args
        .out
        .as_ref()
        .map(from_flag)
        .or(config.out.as_ref().map(from_config))
        .ok_or("no output directory: pass --out or set `out`")?;
    let crate_name = args.crate_name.or(config.crate_name).unwrap_or_else(|| {
        model.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "service".into())
    });
    let selection = codegen::Selection { service, operations, crate_name };
    // Errors name a model inside the workspace by its workspace path (`model/codepipeline.json`),
    // whatever directory the command was run from; every other path is absolute by now.
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (model, root) = (canonical(&model), canonical(&root));
    let model_arg = match model.strip_prefix(&root) {
        Ok(relative) if std::env::set_current_dir(&root).is_ok() => relative.to_path_buf(),
        _ => model.clone(),
    };
    // `root` is canonical by now; so is `out`, as far as it exists, so relative paths between them hold.
    let out = match (out.parent().map(canonical), out.file_name()) {
        (Some(parent), Some(name)) if !out.exists() => parent.join(name),
        _ => canonical(&out),
    };
    // The file's `runtime` belongs to the file's output directory.
    let flag_out = args.out.is_some();
    let runtime_mode = match (&args.runtime, &config.runtime) {
        (Some(flag), _) => RuntimeMode::parse(flag)?.resolved(&cwd),
        (None, Some(setting)) if !flag_out => {
            RuntimeMode::parse(setting).map_err(|e| format!("{}: {e}", shown(&config_path, &root)))?.resolved(&root)
        }
        (None, _) if normalized(&out).starts_with(&root) => RuntimeMode::Workspace,
        (None, _) => RuntimeMode::Vendor(None),
    };
    let out = normalized(&out);
    let (runtime, vendor_dir) = match runtime_mode {
        RuntimeMode::Workspace => {
            (codegen::RuntimeDependency::Path(relative_path(&out, &root.join("codegen").join("runtime"))), None)
        }
        RuntimeMode::Path(dir) => (codegen::RuntimeDependency::Path(relative_path(&out, &dir)), None),
        RuntimeMode::Version(requirement) => (codegen::RuntimeDependency::Version(requirement), None),
        RuntimeMode::Vendor(dir) => {
            let dir = match dir {
                Some(dir) => normalized(&dir),
                None => out.parent().unwrap_or(&out).join(codegen::runtime_crate::PACKAGE),
            };
            if dir == out {
                return Err("the vendored runtime's directory cannot be the crate's own output directory".into());
            }
            (codegen::RuntimeDependency::Path(relative_path(&out, &dir)), Some(dir))
        }
    };
    // Like the service and operations, the file's botocore paginators belong to the file's model.
    let botocore_paginators = match (&args.botocore_paginators, &config.botocore_paginators) {
        (Some(flag), _) => Some(from_flag(flag)),
        (None, Some(setting)) if !flag_model => Some(from_config(setting)),
        _ => None,
    };
    // Named as the model is: by its workspace path when it is inside the workspace and the run works there.
    let botocore_paginators = botocore_paginators.map(|path| {
        let path = canonical(&path);
        match (std::env::current_dir(), path.strip_prefix(&root)) {
            (Ok(dir), Ok(relative)) if dir == root => relative.to_path_buf(),
            _ => path,
        }
    });
    let options = codegen::Options { runtime, botocore_paginators };
    let mut generated =
        codegen::generate_crate_with_options(&model_arg, &selection, &options).map_err(|e| e.to_string())?;
    // Like the service and operations, the file's `strict` belongs to the file's model.
    if args.strict || (!flag_model && config.strict.unwrap_or(false)) {
        generated = generated.deny_warnings().map_err(|e| e.to_string())?;
    }
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    for skipped in &generated.skipped {
        eprintln!(
            "warning: skipped operation `{}`: it uses `{}`, a streaming shape, which is not supported",
            skipped.operation, skipped.shape
        );
    }
    let mut files = generated.files;
    if !flag_model {
        if let Some(dir) = &config.examples {
            files.extend(examples(&root.join(dir), &root)?);
            files.sort_by(|a, b| a.path.cmp(&b.path));
        }
    }
    // The vendored runtime is one more generated directory: written, or checked, with the crate.
    let mut outputs = vec![(out.clone(), files)];
    if let Some(dir) = vendor_dir {
        let runtime_files = codegen::runtime_crate::FILES
            .iter()
            .map(|(path, contents)| codegen::GeneratedFile { path: path.to_string(), contents: contents.to_string() })
            .collect();
        outputs.push((dir, runtime_files));
    }
    let mut code = ExitCode::SUCCESS;
    for (dir, files) in outputs {
        if write_or_check(&dir, &files, args.check, &root)? != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}

/// Writes `files` as the directory `out`, or with `check`, compares them with it.
fn write_or_check(out: &Path, files: &[codegen::GeneratedFile], check: bool, root: &Path) -> Result<ExitCode, String> {
    let out_shown = shown(out, root);
    if check {
        let changes = codegen::write::changes(out, files).map_err(|e| e.to_string())?;
        if changes.is_empty() {
            println!("{out_shown} is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        print!("{}", codegen::write::diff(out, files).map_err(|e| e.to_string())?);
        eprintln!("error: {out_shown} is stale ({} files differ): run `cargo xtask codegen`", changes.len());
        return Ok(ExitCode::FAILURE);
    }
    let changes = codegen::write::write(out, files).map_err(|e| e.to_string())?;
    if changes.is_empty() {
        println!("{out_shown} is up to date");
    } else {
        for change in &changes {
            println!("{change}");
        }
        println!("{out_shown}: {} files changed", changes.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// Hand-written examples that ship inside the generated crate, with a header naming their source.
fn examples(dir: &Path, root: &Path) -> Result<Vec<codegen::GeneratedFile>, String> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(files) };
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let header = format!(
                "// @generated by `cargo xtask codegen`: a copy of {}. Do not edit here.\n",
                shown(&path, root)
            );
            files
                .push(codegen::GeneratedFile { path: format!("examples/{name}"), contents: format!("{header}{text}") });
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_modes_parse_and_bad_ones_say_what_is_accepted() {
        assert_eq!(RuntimeMode::parse("workspace"), Ok(RuntimeMode::Workspace));
        assert_eq!(RuntimeMode::parse("vendor"), Ok(RuntimeMode::Vendor(None)));
        assert_eq!(RuntimeMode::parse("vendor:../rt"), Ok(RuntimeMode::Vendor(Some(PathBuf::from("../rt")))));
        assert_eq!(RuntimeMode::parse("path:/opt/rt"), Ok(RuntimeMode::Path(PathBuf::from("/opt/rt"))));
        assert_eq!(RuntimeMode::parse("version:0.1"), Ok(RuntimeMode::Version("0.1".into())));
        for bad in ["", "vendored", "path:", "version:", "registry:x"] {
            let error = RuntimeMode::parse(bad).expect_err(bad);
            assert!(error.contains("`workspace`, `vendor`, `vendor:DIR`, `path:DIR` or `version:REQ`"), "{error}");
        }
    }

    #[test]
    fn the_settings_file_names_botocores_paginators() {
        let config: Config = toml::from_str("botocore-paginators = \"data/paginators-1.json\"\n").expect("parses");
        assert_eq!(config.botocore_paginators, Some(PathBuf::from("data/paginators-1.json")));
        let error = toml::from_str::<Config>("botocore_paginators = \"x\"\n").err().expect("the key is kebab-case");
        assert!(error.to_string().contains("unknown field"), "{error}");
    }

    #[test]
    fn relative_paths_climb_to_the_common_directory() {
        let path = |p: &str| PathBuf::from(p);
        assert_eq!(relative_path(&path("/w/generated"), &path("/w/codegen/runtime")), "../codegen/runtime");
        assert_eq!(relative_path(&path("/t/ws/ddb"), &path("/t/ws/smithy-lite-runtime")), "../smithy-lite-runtime");
        assert_eq!(relative_path(&path("/a/b/./c/../d"), &path("/a/x")), "../../x");
        assert_eq!(relative_path(&path("/a"), &path("/a")), ".");
    }
}
