//! The three-crate figure of `cargo xtask bench-compare`: a clean release build of one workspace
//! holding the whole CodePipeline, DynamoDB and CloudWatch Logs clients, generated two ways: all
//! three depending on the one runtime crate, and each carrying its own copy of the runtime, as the
//! generator wrote crates before the runtime became a crate (the generator of an older commit,
//! built in a temporary git worktree).
//!
//! The models are test data, not part of the repository: they come from `SMITHY_MODELS_DIR`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{cargo, executable_of, niced, remove_dir, run_cargo};

/// The last `main` whose generator copied the runtime into every crate (`src/runtime/`).
pub const COPYING_GENERATOR: &str = "15345ce";

/// The three services: model file in `SMITHY_MODELS_DIR`, and the crate generated from it.
const SERVICES: [(&str, &str); 3] = [
    ("codepipeline-2015-07-09.json", "pipeline"),
    ("dynamodb-2012-08-10.json", "ddb"),
    ("cloudwatch-logs-2014-03-28.json", "logs"),
];

/// Clean release builds of the two workspaces: wall-clock seconds, and the CPU seconds (user and
/// system, of cargo and every compiler it ran) where the platform reports them. On a machine with
/// fewer cores than crates ready to build, the CPU time is the work the build did; the wall-clock
/// time also depends on what can run in parallel.
pub struct Figure {
    pub shared: BuildTime,
    pub copies: BuildTime,
    /// The commit whose generator wrote the copies.
    pub copies_from: String,
}

/// The three model files, when `SMITHY_MODELS_DIR` is set; an error when it is set and one is missing.
pub fn models() -> Result<Option<Vec<PathBuf>>, String> {
    let Some(dir) = std::env::var_os("SMITHY_MODELS_DIR").map(PathBuf::from) else {
        return Ok(None);
    };
    let paths: Vec<PathBuf> = SERVICES.iter().map(|(file, _)| dir.join(file)).collect();
    match paths.iter().find(|path| !path.is_file()) {
        Some(missing) => Err(format!("SMITHY_MODELS_DIR is set but {} is not a file", missing.display())),
        None => Ok(Some(paths)),
    }
}

/// The model files the figure needs, for the message that says it was skipped.
pub fn model_names() -> String {
    SERVICES.iter().map(|(file, _)| *file).collect::<Vec<_>>().join(", ")
}

/// Generates both workspaces under a scratch directory, builds each clean, and removes it all.
pub fn measure(root: &Path, models: &[PathBuf], copies_from: &str) -> Result<Figure, String> {
    let scratch = Scratch(std::env::temp_dir().join(format!("bench-compare-three-crates-{}", std::process::id())));
    remove_dir(&scratch.0)?;
    let shared = scratch.0.join("shared");
    let copies = scratch.0.join("copies");

    eprintln!("bench-compare: generating the three crates with the runtime shared");
    let runtime = codegen::RuntimeDependency::Path(root.join("codegen").join("runtime").display().to_string());
    for ((_, name), model) in SERVICES.iter().zip(models) {
        let selection = codegen::Selection { service: None, operations: Vec::new(), crate_name: (*name).to_string() };
        let generated = codegen::generate_crate_with_runtime(model, &selection, &runtime)
            .map_err(|e| format!("generating {name}: {e}"))?;
        codegen::write::write(&shared.join(name), &generated.files).map_err(|e| format!("writing {name}: {e}"))?;
    }
    write_workspace(&shared, &root.join("Cargo.lock"))?;

    eprintln!(
        "bench-compare: generating the three crates with their own runtime copies (the generator of {copies_from})"
    );
    generate_copies(root, &scratch.0, models, &copies, copies_from)?;

    // Downloads are not build time.
    for dir in [&shared, &copies] {
        run_cargo(
            Command::new(cargo()).args(["fetch", "--manifest-path"]).arg(dir.join("Cargo.toml")),
            "fetching the three crates' dependencies",
            true,
        )?;
    }
    let copies = clean_build(&copies, "the three crates with runtime copies")?;
    let shared = clean_build(&shared, "the three crates sharing the runtime")?;
    Ok(Figure { shared, copies, copies_from: copies_from.to_string() })
}

/// Removes the scratch directory however the measurement ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(message) = remove_dir(&self.0) {
            eprintln!("bench-compare: {message}");
        }
    }
}

/// A git worktree of this repository, removed when dropped.
struct Worktree<'a> {
    root: &'a Path,
    dir: PathBuf,
}

impl Drop for Worktree<'_> {
    fn drop(&mut self) {
        let removed = Command::new("git")
            .arg("-C")
            .arg(self.root)
            .args(["worktree", "remove", "--force"])
            .arg(&self.dir)
            .stdout(Stdio::null())
            .status();
        if !removed.is_ok_and(|status| status.success()) {
            eprintln!("bench-compare: could not remove the worktree {}: run `git worktree prune`", self.dir.display());
        }
    }
}

/// Writes the crates with runtime copies into `out`, with the generator of `commit`, checked out in a
/// temporary worktree and built into this workspace's target directory (so a second run reuses it).
fn generate_copies(root: &Path, scratch: &Path, models: &[PathBuf], out: &Path, commit: &str) -> Result<(), String> {
    let worktree = Worktree { root, dir: scratch.join("generator") };
    let added = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["worktree", "add", "--detach"])
        .arg(&worktree.dir)
        .arg(commit)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !added.success() {
        return Err(format!("`git worktree add` of {commit} failed ({added})"));
    }
    let target = target_directory(root)?.join("bench-compare").join(format!("generator-{commit}"));
    let mut build = Command::new(cargo());
    build
        .args(["build", "-p", "xtask", "--message-format=json-render-diagnostics", "--manifest-path"])
        .arg(worktree.dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target);
    let output = niced(&build)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("building the generator of {commit}: cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("building the generator of {commit} failed ({})", output.status));
    }
    let xtask = executable_of(&String::from_utf8_lossy(&output.stdout), "xtask")
        .ok_or_else(|| format!("cargo built the generator of {commit} but reported no `xtask` executable"))?;
    // An empty settings file: none of the checked-in settings (examples, strict mode) apply here.
    let settings = scratch.join("codegen.toml");
    std::fs::write(&settings, "").map_err(|e| format!("{}: {e}", settings.display()))?;
    for ((_, name), model) in SERVICES.iter().zip(models) {
        let mut codegen = Command::new(&xtask);
        codegen
            .arg("codegen")
            .arg("--config")
            .arg(&settings)
            .arg("--model")
            .arg(model)
            .arg("--out")
            .arg(out.join(name))
            .args(["--operations", "all", "--crate-name", name])
            .current_dir(&worktree.dir)
            // Set by `cargo run` for this workspace's xtask; the old generator must find its own.
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("CARGO_PKG_NAME");
        let output = codegen.output().map_err(|e| format!("cannot run {}: {e}", xtask.display()))?;
        if !output.status.success() {
            return Err(format!(
                "the generator of {commit} failed on {name}:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    write_workspace(out, &worktree.dir.join("Cargo.lock"))
}

/// The target directory cargo uses for this workspace (`CARGO_TARGET_DIR` and cargo configs included).
fn target_directory(root: &Path) -> Result<PathBuf, String> {
    let output = Command::new(cargo())
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata failed ({})", output.status));
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata reported no target_directory".to_string())
}

/// A workspace manifest over the three crates, with `lock` beside it so both builds start from the
/// versions their generator was tested with.
fn write_workspace(dir: &Path, lock: &Path) -> Result<(), String> {
    let members: Vec<String> = SERVICES.iter().map(|(_, name)| format!("{name:?}")).collect();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    let path = dir.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::copy(lock, dir.join("Cargo.lock")).map_err(|e| format!("{}: {e}", lock.display()))?;
    Ok(())
}

/// Seconds of a clean `cargo build --release --workspace` of `dir` in a fresh target directory.
/// How long one clean build took.
pub struct BuildTime {
    pub wall_seconds: f64,
    pub cpu_seconds: Option<f64>,
}

fn clean_build(dir: &Path, what: &str) -> Result<BuildTime, String> {
    let target = dir.join("target");
    remove_dir(&target)?;
    eprintln!("bench-compare: clean release build of {what}");
    let mut command = Command::new(cargo());
    command
        .args(["build", "--release", "--offline", "--workspace", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        // A compiler cache would turn a clean build into a cache lookup.
        .env_remove("RUSTC_WRAPPER");
    let cpu_before = children_cpu_seconds();
    let start = Instant::now();
    run_cargo(&mut command, &format!("building {what}"), false)?;
    let wall_seconds = start.elapsed().as_secs_f64();
    let cpu_seconds = cpu_before.zip(children_cpu_seconds()).map(|(before, after)| after - before);
    remove_dir(&target)?;
    Ok(BuildTime { wall_seconds, cpu_seconds })
}

/// The CPU seconds, user and system, of every child process this one has waited for, and of theirs:
/// cargo waits for each compiler it runs, so the difference across one build is that build's work.
#[cfg(unix)]
fn children_cpu_seconds() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `getrusage` fills the whole struct it points to when it returns 0, and only reads
    // `RUSAGE_CHILDREN`.
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: initialised by the successful call above.
    let usage = unsafe { usage.assume_init() };
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

#[cfg(not(unix))]
fn children_cpu_seconds() -> Option<f64> {
    None
}
