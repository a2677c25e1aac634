//! `cargo xtask bench-compare`: the generated client side by side with `aws-sdk-codepipeline`.
//!
//! Per-call cost and codegen time come from the `xtask/bench-compare` harness (its own
//! workspace, so ordinary builds never pull the official SDK); build time and binary size come
//! from building the two minimal job workers beside it, each in a fresh target directory. The
//! result is a markdown table with the date and machine, and PASS/MISS per target. With
//! `SMITHY_MODELS_DIR` set, the same run also times the clean build of three whole-service crates
//! sharing the runtime against the same crates carrying copies of it (see [`three_crates`]), and
//! times a restJson1 call generated from a shared model against the SDK's (see [`rest_json`]).

mod rest_json;
mod three_crates;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Options for `cargo xtask bench-compare`.
#[derive(clap::Args)]
pub struct Args {
    /// Measure per-call cost and codegen time only; skip every clean build (the two workers, and the
    /// three-crate workspaces).
    #[arg(long)]
    skip_builds: bool,
    /// Skip the clean builds of the three-crate workspaces (runtime shared against runtime copies).
    #[arg(long, conflicts_with = "only_three_crates")]
    skip_three_crates: bool,
    /// Only the three-crate figure: no harness, no worker builds. Needs `SMITHY_MODELS_DIR`.
    #[arg(long, conflicts_with = "skip_builds")]
    only_three_crates: bool,
    /// How many clean builds of each worker, alternating the SDK's and the generated one; each side's
    /// fastest counts, since load from elsewhere on the machine only ever adds time (1 is quicker and
    /// noisier).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    build_rounds: u32,
    /// The commit whose generator writes the crates that carry their own copy of the runtime.
    #[arg(long, default_value = three_crates::COPYING_GENERATOR)]
    copies_from: String,
}

/// The full CodePipeline model inside `SMITHY_MODELS_DIR`.
const WHOLE_MODEL: &str = "codepipeline-2015-07-09.json";

/// Runs the comparison and prints the table.
pub fn run(args: Args) -> ExitCode {
    match compare(&args) {
        Ok(table) => {
            print!("{table}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// A clean release build of one worker.
struct Build {
    seconds: f64,
    bytes: u64,
}

/// The two workers' clean builds: each side's fastest, and every round's times (generated, SDK).
struct WorkerBuilds {
    generated: Build,
    sdk: Build,
    rounds: Vec<(f64, f64)>,
}

fn compare(args: &Args) -> Result<String, String> {
    let root = super::workspace_root()?;
    // Checked first, so a models directory that is set but incomplete fails before minutes of building.
    let three_crate_models = if args.skip_builds || args.skip_three_crates {
        None
    } else {
        let models = three_crates::models()?;
        if models.is_none() {
            eprintln!(
                "bench-compare: SKIPPED the three-crate build: SMITHY_MODELS_DIR is unset (it must hold {})",
                three_crates::model_names()
            );
        }
        models
    };
    let rest_model = if args.only_three_crates { None } else { rest_json::model()? };
    if rest_model.is_none() && !args.only_three_crates {
        eprintln!(
            "bench-compare: SKIPPED the restJson1 call: SMITHY_MODELS_DIR is unset (it must hold {})",
            rest_json::MODEL
        );
    }
    let calls = if args.only_three_crates { None } else { Some(calls_and_builds(&root, args, rest_model.as_deref())?) };
    let three = match &three_crate_models {
        Some(models) => Some(three_crates::measure(&root, models, &args.copies_from)?),
        None => None,
    };
    if args.only_three_crates && three.is_none() {
        return Err("--only-three-crates needs SMITHY_MODELS_DIR".into());
    }
    Ok(table(calls.as_ref(), three.as_ref()))
}

/// What the harness and the two worker builds measure.
struct Calls {
    generated_us: f64,
    sdk_us: f64,
    /// `None` when `SMITHY_MODELS_DIR` is unset.
    rest: Option<rest_json::RestCall>,
    builds: Option<WorkerBuilds>,
    codegen_whole_ms: Option<f64>,
    codegen_config_ms: f64,
}

fn calls_and_builds(root: &Path, args: &Args, rest_model: Option<&Path>) -> Result<Calls, String> {
    let dir = root.join("xtask").join("bench-compare");
    let manifest = dir.join("Cargo.toml");

    eprintln!("bench-compare: building the harness (the first run compiles aws-sdk-codepipeline: minutes)");
    let harness = build_harness(&manifest)?;

    let whole = whole_model(root);
    if whole.is_none() {
        eprintln!(
            "bench-compare: SKIPPED whole-model codegen: set SMITHY_MODELS_DIR to the directory holding {WHOLE_MODEL}"
        );
    }
    eprintln!("bench-compare: timing calls and codegen");
    let mut measure = Command::new(&harness);
    measure.arg(root.join("model").join("codepipeline.json"));
    if let Some(path) = &whole {
        measure.arg(path);
    }
    let output =
        measure.stderr(Stdio::inherit()).output().map_err(|e| format!("cannot run {}: {e}", harness.display()))?;
    if !output.status.success() {
        return Err(format!("the harness failed ({})", output.status));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value = |key: &str| harness_value(&stdout, key);
    let need = |key: &str| value(key)?.ok_or_else(|| format!("the harness did not report `{key}`"));
    let generated_us = need("generated_us")?;
    let sdk_us = need("sdk_us")?;
    let codegen_config_ms = need("codegen_config_ms")?;
    let codegen_whole_ms = value("codegen_whole_ms")?;
    let rest = match rest_model {
        Some(model) => Some(rest_json::measure(root, model)?),
        None => None,
    };

    let builds = if args.skip_builds {
        None
    } else {
        // Downloads are not build time: fetch everything first so both builds run offline.
        run_cargo(
            Command::new(cargo()).args(["fetch", "--manifest-path"]).arg(&manifest),
            "fetching dependencies",
            true,
        )?;
        let mut fastest: Option<WorkerBuilds> = None;
        for _ in 0..args.build_rounds {
            let sdk = clean_build(&dir, "worker-sdk")?;
            let generated = clean_build(&dir, "worker-generated")?;
            let round = (generated.seconds, sdk.seconds);
            fastest = Some(match fastest {
                None => WorkerBuilds { generated, sdk, rounds: vec![round] },
                Some(mut best) => {
                    // Builds of the same sources give the same binary; a difference would make the
                    // size row meaningless, so it is an error rather than a choice.
                    if (generated.bytes, sdk.bytes) != (best.generated.bytes, best.sdk.bytes) {
                        return Err("two clean builds of the same worker gave binaries of different sizes".into());
                    }
                    best.generated.seconds = best.generated.seconds.min(generated.seconds);
                    best.sdk.seconds = best.sdk.seconds.min(sdk.seconds);
                    best.rounds.push(round);
                    best
                }
            });
        }
        fastest
    };
    Ok(Calls { generated_us, sdk_us, rest, builds, codegen_whole_ms, codegen_config_ms })
}

/// The number a harness printed as `key=NUMBER` on a line of its `stdout`, if it printed the key.
fn harness_value(stdout: &str, key: &str) -> Result<Option<f64>, String> {
    let Some(text) = stdout.lines().find_map(|l| l.strip_prefix(key).and_then(|rest| rest.strip_prefix('='))) else {
        return Ok(None);
    };
    text.trim().parse().map(Some).map_err(|_| format!("the harness printed `{key}={text}`, not a number"))
}

/// Builds the harness and returns its executable, from cargo's own report of what it built:
/// `CARGO_TARGET_DIR`, a `build.target-dir` in a cargo config or a build script's setting all move
/// the target directory, so no path is assumed.
fn build_harness(manifest: &Path) -> Result<PathBuf, String> {
    let mut command = Command::new(cargo());
    command.args(["build", "--release", "--message-format=json-render-diagnostics", "--manifest-path"]).arg(manifest);
    let output = niced(&command)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("building the harness: cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("building the harness failed ({})", output.status));
    }
    executable_of(&String::from_utf8_lossy(&output.stdout), HARNESS)
        .ok_or_else(|| format!("cargo built the harness but reported no executable named `{HARNESS}`"))
}

/// The harness's binary target.
const HARNESS: &str = "bench-compare";

/// The executable of binary target `name` in cargo's `--message-format=json` output (one JSON
/// object a line; other lines are skipped).
fn executable_of(messages: &str, name: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact" && message["target"]["name"] == name)
        .filter(|message| message["target"]["kind"].as_array().is_some_and(|kinds| kinds.iter().any(|k| k == "bin")))
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs a cargo command at lowered priority (the machine may be shared); on failure its output
/// is shown unless it was already streaming to the terminal.
fn run_cargo(command: &mut Command, what: &str, stream: bool) -> Result<(), String> {
    let mut niced = niced(command);
    let status = if stream {
        niced.status().map_err(|e| format!("{what}: cannot run cargo: {e}"))?
    } else {
        let output = niced.output().map_err(|e| format!("{what}: cannot run cargo: {e}"))?;
        if !output.status.success() {
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
        }
        output.status
    };
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// `command` (program, arguments, environment and directory) run through `nice -n 10`.
fn niced(command: &Command) -> Command {
    let mut niced = Command::new("nice");
    niced.args(["-n", "10"]).arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => niced.env(key, value),
            None => niced.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        niced.current_dir(dir);
    }
    niced
}

/// Builds `worker` with `cargo build --release` in a fresh target directory, timing the wall
/// clock, and measures the binary; the target directory is removed afterwards.
fn clean_build(dir: &Path, worker: &str) -> Result<Build, String> {
    let target = std::env::temp_dir().join(format!("bench-compare-{worker}-{}", std::process::id()));
    remove_dir(&target)?;
    eprintln!("bench-compare: clean release build of {worker}");
    let mut command = Command::new(cargo());
    command
        .args(["build", "--release", "--offline", "--manifest-path"])
        .arg(dir.join(worker).join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        // A compiler cache would turn a clean build into a cache lookup.
        .env_remove("RUSTC_WRAPPER");
    let start = Instant::now();
    let built = run_cargo(&mut command, &format!("building {worker}"), false);
    let seconds = start.elapsed().as_secs_f64();
    let binary = target.join("release").join(format!("{worker}{}", std::env::consts::EXE_SUFFIX));
    let bytes = built
        .and_then(|()| std::fs::metadata(&binary).map(|m| m.len()).map_err(|e| format!("{}: {e}", binary.display())));
    remove_dir(&target)?;
    Ok(Build { seconds, bytes: bytes? })
}

fn remove_dir(path: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

/// `SMITHY_MODELS_DIR`, else the `shared/models` directory that sits beside a checkout.
fn whole_model(root: &Path) -> Option<PathBuf> {
    let dir = std::env::var_os("SMITHY_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("..").join("shared").join("models"));
    let path = dir.join(WHOLE_MODEL);
    path.is_file().then_some(path)
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "MISS"
    }
}

/// The targets, as ratios against the official SDK crate of the same service.
const CALL_SPEEDUP_TARGET: f64 = 15.0;
const REST_CALL_SPEEDUP_TARGET: f64 = 10.0;
const BUILD_TIME_TARGET: f64 = 0.25;
const BINARY_SIZE_TARGET: f64 = 0.25;

fn table(calls: Option<&Calls>, three: Option<&three_crates::Figure>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Generated client vs aws-sdk-codepipeline\n");
    let _ = writeln!(out, "Measured {} on {}; `cargo xtask bench-compare` reproduces it.\n", today(), machine());
    if let Some(calls) = calls {
        calls_table(&mut out, calls);
    }
    if let Some(figure) = three {
        let (shared, copies) = (&figure.shared, &figure.copies);
        if calls.is_some() {
            out.push('\n');
        }
        let _ = writeln!(out, "| Three whole-service crates (CodePipeline, DynamoDB, CloudWatch Logs) in one workspace | runtime shared | runtime copied into each (generator of {}) | ratio |", figure.copies_from);
        let _ = writeln!(out, "|---|---:|---:|---:|");
        let _ = writeln!(
            out,
            "| Clean `cargo build --release --workspace`, wall-clock s | {:.0} | {:.0} | {:.2} |",
            shared.wall_seconds,
            copies.wall_seconds,
            shared.wall_seconds / copies.wall_seconds
        );
        if let (Some(shared_cpu), Some(copies_cpu)) = (shared.cpu_seconds, copies.cpu_seconds) {
            let _ = writeln!(
                out,
                "| The same builds, CPU s (user + system, every compiler process) | {shared_cpu:.0} | {copies_cpu:.0} | {:.2} |",
                shared_cpu / copies_cpu
            );
        }
    }
    if let Some(builds) = calls.and_then(|c| c.builds.as_ref()) {
        let rounds: Vec<String> =
            builds.rounds.iter().map(|(generated, sdk)| format!("{generated:.0} s and {sdk:.0} s")).collect();
        let _ = writeln!(
            out,
            "\nThe workers' build row is each side's fastest of {} alternating clean builds (generated and SDK: {}).",
            builds.rounds.len(),
            rounds.join("; ")
        );
    }
    if calls.is_some_and(|c| c.builds.is_some()) || three.is_some() {
        let _ = writeln!(
            out,
            "\nThe clean builds run one after the other at `nice -n 10`, so other load on the machine stretches each."
        );
    }
    out
}

fn calls_table(out: &mut String, calls: &Calls) {
    let Calls { generated_us, sdk_us, rest, builds, codegen_whole_ms, codegen_config_ms } = calls;
    let _ = writeln!(out, "| Measure | generated | aws-sdk-codepipeline | ratio | target | result |");
    let _ = writeln!(out, "|---|---:|---:|---:|---|---|");
    let speedup = sdk_us / generated_us;
    let _ = writeln!(
        out,
        "| PutThirdPartyJobSuccessResult, every member set, in-memory HTTP: µs per call | {generated_us:.1} | {sdk_us:.1} | {speedup:.1}x faster | ≥ {CALL_SPEEDUP_TARGET}x faster | {} |",
        verdict(speedup >= CALL_SPEEDUP_TARGET)
    );
    match rest {
        Some(rest) => {
            let speedup = rest.sdk_us / rest.generated_us;
            let _ = writeln!(
                out,
                "| restJson1: Customer Profiles SearchProfiles (label, query, JSON body and response) vs aws-sdk-customerprofiles, in-memory HTTP: µs per call | {:.1} | {:.1} | {speedup:.1}x faster | ≥ {REST_CALL_SPEEDUP_TARGET}x faster | {} |",
                rest.generated_us,
                rest.sdk_us,
                verdict(speedup >= REST_CALL_SPEEDUP_TARGET)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "| restJson1: Customer Profiles SearchProfiles vs aws-sdk-customerprofiles, µs per call | skipped: SMITHY_MODELS_DIR unset | | | ≥ {REST_CALL_SPEEDUP_TARGET}x faster | |"
            );
        }
    }
    match builds {
        Some(WorkerBuilds { generated, sdk, .. }) => {
            let time_ratio = generated.seconds / sdk.seconds;
            let size_ratio = generated.bytes as f64 / sdk.bytes as f64;
            let _ = writeln!(
                out,
                "| Minimal job worker: clean `cargo build --release`, s | {:.0} | {:.0} | {time_ratio:.2} | ≤ {BUILD_TIME_TARGET} | {} |",
                generated.seconds,
                sdk.seconds,
                verdict(time_ratio <= BUILD_TIME_TARGET)
            );
            let _ = writeln!(
                out,
                "| Minimal job worker: release binary, MB | {:.2} | {:.2} | {size_ratio:.3} | ≤ {BINARY_SIZE_TARGET} | {} |",
                generated.bytes as f64 / 1e6,
                sdk.bytes as f64 / 1e6,
                verdict(size_ratio <= BINARY_SIZE_TARGET)
            );
        }
        None => {
            let _ = writeln!(out, "| Minimal job worker: build time and binary size | skipped | skipped | | | |");
        }
    }
    match codegen_whole_ms {
        Some(ms) => {
            let _ = writeln!(
                out,
                "| Codegen of the whole CodePipeline model (all operations), ms | {ms:.1} | | | ≤ 250 ms | {} |",
                verdict(*ms <= 250.0)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "| Codegen of the whole CodePipeline model, ms | skipped: SMITHY_MODELS_DIR unset | | | ≤ 250 ms | |"
            );
        }
    }
    let _ = writeln!(
        out,
        "| Codegen of model/codepipeline.json (3 operations), ms | {codegen_config_ms:.1} | | | ≤ 25 ms | {} |",
        verdict(*codegen_config_ms <= 25.0)
    );
    let _ = writeln!(out, "\nPer-call figures are medians of alternating samples in one process.");
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm); hand-written because
    // pulling a date crate into xtask for one line of output is not worth it.
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// CPU count, CPU model and compiler, e.g. `2 CPUs (Intel(R) Xeon(R) Processor), rustc 1.95.0`.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map(|n| n.get().to_string()).unwrap_or_else(|_| "?".into());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .and_then(|rest| rest.split_once(':'))
                    .map(|(_, name)| name.trim().to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "rustc ?".into());
    format!("{cpus} CPUs ({model}), {rustc}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cargo's report names the executable wherever the target directory is; build scripts, libraries
    /// and other binaries are not it.
    #[test]
    fn the_harness_is_found_where_cargo_reports_it() {
        let messages = concat!(
            "Compiling bench-compare\n",
            r#"{"reason":"compiler-artifact","target":{"name":"build-script-build","kind":["custom-build"]},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"bench-compare","kind":["lib"]},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"worker-sdk","kind":["bin"]},"executable":"/elsewhere/release/worker-sdk"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"bench-compare","kind":["bin"]},"executable":"/shared/target/release/bench-compare"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
            "\n",
        );
        assert_eq!(
            executable_of(messages, "bench-compare"),
            Some(PathBuf::from("/shared/target/release/bench-compare"))
        );
        assert_eq!(executable_of(messages, "xtask"), None);
    }

    /// A harness's `key=value` lines: a key is not a prefix of another, and a value must be a number.
    #[test]
    fn harness_values_are_read_by_exact_key() {
        let stdout = "rest_generated_us=3.250\ngenerated_us=12.5\nsdk_us=oops\n";
        assert_eq!(harness_value(stdout, "generated_us"), Ok(Some(12.5)));
        assert_eq!(harness_value(stdout, "rest_generated_us"), Ok(Some(3.25)));
        assert_eq!(harness_value(stdout, "rest_sdk_us"), Ok(None));
        assert!(harness_value(stdout, "sdk_us").unwrap_err().contains("`sdk_us=oops`"));
    }
}
