//! The frame of the generated command-line tool: the options every command shares, configuration
//! from flags and the environment, printing results, and the AWS CLI's exit codes.
//!
//! The generated `cli` module builds one subcommand per operation and hands [`run`] a function that
//! turns a subcommand's matches into an [`Outcome`] or a [`Failure`]; everything model-independent
//! happens here.

use std::ffi::OsString;
use std::fmt;
use std::future::Future;
use std::io::Write;
use std::process::ExitCode;

use clap::{Arg, ArgMatches, Command};
use serde_json::Value;

use super::cli_input::{document, option_list, option_text, option_value, InputError, Source};
use super::client::{Config, ServiceInfo};
use super::error::{ConfigError, SdkError};
use super::validate::ValidationError;

/// The command succeeded.
pub const EXIT_SUCCESS: u8 = 0;
/// The command line or the input was invalid; nothing was sent.
pub const EXIT_USAGE: u8 = 252;
/// The configuration does not allow the call (no region, no credentials, bad endpoint).
pub const EXIT_CONFIG: u8 = 253;
/// The service answered with an error.
pub const EXIT_SERVICE: u8 = 254;
/// Anything else: the request could not be sent, timed out, or the response was unreadable.
pub const EXIT_OTHER: u8 = 255;

/// Option IDs that the frame defines; the generator keeps member options clear of them.
pub const INPUT_OPTIONS: [&str; 3] = ["cli-input-json", "cli-input-yaml", "generate-cli-skeleton"];

/// Why a command failed; each kind has its own exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Invalid command line or input (exit code 252).
    Usage(String),
    /// Missing or invalid configuration (253).
    Config(String),
    /// The service returned an error (254).
    Service {
        /// The operation's wire name.
        operation: &'static str,
        /// The error code the service sent.
        code: String,
        /// The error message the service sent.
        message: String,
    },
    /// Anything else (255).
    Other(String),
    /// A waiter (`wait <waiter-name>`) failed, timed out, or met an error no acceptor expects (255,
    /// as the AWS CLI's `wait` commands exit): `Waiter TableExists failed: Max attempts exceeded`.
    Waiter(String),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => EXIT_USAGE,
            Failure::Config(_) => EXIT_CONFIG,
            Failure::Service { .. } => EXIT_SERVICE,
            Failure::Other(_) | Failure::Waiter(_) => EXIT_OTHER,
        }
    }

    /// An option whose value does not fit the model.
    pub fn option(option: &str, error: InputError) -> Self {
        Failure::Usage(format!("invalid value for --{option}: {error}"))
    }

    /// A client that cannot be built from the configuration.
    pub fn config(error: ConfigError) -> Self {
        Failure::Config(error.to_string())
    }

    /// An input that breaks the model's constraints; `options` maps top-level wire names to option
    /// names, so each problem names both the member and the option that sets it.
    pub fn invalid(error: ValidationError, options: &[(&str, &str)]) -> Self {
        let mut text = String::from("invalid parameters:");
        for violation in error.violations() {
            let top = violation.path().split(['.', '[']).next().unwrap_or_default();
            match options.iter().find(|(wire, _)| *wire == top) {
                Some((_, option)) => text.push_str(&format!("\n  --{option}: {violation}")),
                None => text.push_str(&format!("\n  {violation}")),
            }
        }
        Failure::Usage(text)
    }

    /// A failed call, classified for its exit code.
    pub fn from_sdk<E: fmt::Display>(operation: &'static str, error: SdkError<E>) -> Self {
        match error {
            SdkError::Validation(e) => Failure::Usage(e.to_string()),
            SdkError::Config(e) => Failure::Config(e.to_string()),
            SdkError::Service(e) => {
                let code = e.meta().code().unwrap_or("Unknown").to_string();
                let message = match e.meta().message() {
                    Some(message) => message.to_string(),
                    None => e.err().to_string(),
                };
                Failure::Service { operation, code, message }
            }
            other => Failure::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m) | Failure::Config(m) | Failure::Other(m) | Failure::Waiter(m) => f.write_str(m),
            Failure::Service { operation, code, message } => {
                write!(f, "An error occurred ({code}) when calling the {operation} operation: {message}")
            }
        }
    }
}

/// What a successful command prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An operation's output as compact JSON: printed indented, or not at all when it is `{}`.
    Output(String),
    /// Text printed as it is (a skeleton).
    Text(&'static str),
}

/// What `--generate-cli-skeleton` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skeleton {
    /// A JSON input skeleton for `--cli-input-json` (no value, or `input`).
    Input,
    /// A YAML input skeleton for `--cli-input-yaml` (`yaml-input`).
    YamlInput,
    /// Validate the input, then print a sample output (`output`).
    Output,
}

/// Adds `--region`, `--endpoint-url` and `--profile`, accepted before or after the command.
pub fn with_global_options(command: Command) -> Command {
    command
        .arg(
            Arg::new("region")
                .long("region")
                .value_name("region")
                .global(true)
                .help_heading("Global options")
                .help("The region to call (instead of AWS_REGION / AWS_DEFAULT_REGION, the profile's region or IMDS)"),
        )
        .arg(
            Arg::new("endpoint-url")
                .long("endpoint-url")
                .value_name("url")
                .global(true)
                .help_heading("Global options")
                .help("Send requests to this URL (instead of AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL or the region's endpoint)"),
        )
        .arg(
            Arg::new("profile")
                .long("profile")
                .value_name("profile")
                .global(true)
                .help_heading("Global options")
                .help("Take credentials and region from this profile of ~/.aws/config and ~/.aws/credentials (instead of AWS_PROFILE; credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are then not used)"),
        )
}

/// Adds `--cli-input-json`, `--cli-input-yaml` and `--generate-cli-skeleton` to a command.
pub fn with_input_options(command: Command) -> Command {
    command
        .arg(
            Arg::new("cli-input-json")
                .long("cli-input-json")
                .value_name("json")
                .conflicts_with("cli-input-yaml")
                .help("Read the whole input from this JSON (or file://path); options given on the command line override its members")
                .long_help(
                    "Reads the whole input from this JSON object, or from the file a file://path value names. \
                     Its format is what --generate-cli-skeleton prints. Options given on the command line \
                     replace the members of the same name. Members the input does not have are an error. \
                     Cannot be combined with --cli-input-yaml.",
                ),
        )
        .arg(
            Arg::new("cli-input-yaml")
                .long("cli-input-yaml")
                .value_name("yaml")
                .help("Read the whole input from this YAML (or file://path); options given on the command line override its members")
                .long_help(
                    "Reads the whole input from this YAML mapping, or from the file a file://path value names. \
                     Its format is what --generate-cli-skeleton yaml-input prints. Options given on the command \
                     line replace the members of the same name. Cannot be combined with --cli-input-json.",
                ),
        )
        .arg(
            Arg::new("generate-cli-skeleton")
                .long("generate-cli-skeleton")
                .value_name("input|yaml-input|output")
                .num_args(0..=1)
                .default_missing_value("input")
                .value_parser(["input", "yaml-input", "output"])
                .help("Print an input skeleton (input, the default, or yaml-input), or validate the input and print a sample output (output); nothing is sent")
                .long_help(
                    "Prints a skeleton and sends nothing. With no value or `input`: a JSON input skeleton for \
                     --cli-input-json. With `yaml-input`: a YAML input skeleton for --cli-input-yaml. With \
                     `output`: checks the input given by the other options and, if it is valid, prints a sample \
                     of the command's output.",
                ),
        )
}

/// Which skeleton the command line asks for, if any.
pub fn skeleton(matches: &ArgMatches) -> Option<Skeleton> {
    match text(matches, "generate-cli-skeleton").map(String::as_str) {
        None => None,
        Some("yaml-input") => Some(Skeleton::YamlInput),
        Some("output") => Some(Skeleton::Output),
        Some(_) => Some(Skeleton::Input),
    }
}

/// How an option's command-line text becomes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// The text is the value (strings, numbers, timestamps, enums).
    Text,
    /// JSON, or shorthand syntax (structures, unions, maps, documents).
    Structured,
    /// Several values (`--names a b c`) or one JSON array; `structured` elements are JSON or
    /// shorthand each.
    List {
        /// Whether the elements are structures, unions, maps or lists.
        structured: bool,
    },
}

/// Text an option holds, if given; `None` also for an ID the command does not define.
fn text<'m>(matches: &'m ArgMatches, id: &str) -> Option<&'m String> {
    matches.try_get_one::<String>(id).ok().flatten()
}

/// The value of the member option `name` (for the member `member`), if given, converted by `read`;
/// errors name the option and the member path. A `file://` value reads that file.
pub fn option<T>(
    matches: &ArgMatches,
    name: &str,
    member: &str,
    kind: OptionKind,
    read: impl FnOnce(&Value, Source) -> Result<T, InputError>,
) -> Result<Option<T>, Failure> {
    let given = match kind {
        OptionKind::List { structured } => match matches.try_get_many::<String>(name).ok().flatten() {
            None => return Ok(None),
            Some(raws) => {
                let raws: Vec<&str> = raws.map(String::as_str).collect();
                option_list(&raws, structured)
            }
        },
        OptionKind::Text => match text(matches, name) {
            None => return Ok(None),
            Some(raw) => option_text(raw).map(|text| (Value::String(text), Source::Text)),
        },
        OptionKind::Structured => match text(matches, name) {
            None => return Ok(None),
            Some(raw) => option_value(raw),
        },
    };
    given.and_then(|(value, source)| read(&value, source)).map(Some).map_err(|e| Failure::option(name, e.at(member)))
}

/// A boolean member's option pair: `Some(true)` for `--name`, `Some(false)` for `--no-name`.
pub fn flag(matches: &ArgMatches, name: &str, negated: &str) -> Option<bool> {
    let given = |id: &str| matches.try_get_one::<bool>(id).ok().flatten().copied().unwrap_or(false);
    if given(name) {
        Some(true)
    } else if given(negated) {
        Some(false)
    } else {
        None
    }
}

/// The document given to `--cli-input-json` or `--cli-input-yaml`, with the option's name.
pub fn input_document(matches: &ArgMatches) -> Result<Option<(Value, &'static str)>, Failure> {
    for (option, yaml) in [("cli-input-json", false), ("cli-input-yaml", true)] {
        if let Some(raw) = text(matches, option) {
            let value = document(raw, yaml).map_err(|e| Failure::option(option, e))?;
            return Ok(Some((value, option)));
        }
    }
    Ok(None)
}

/// The client configuration: the environment, as the library reads it, then the global options.
///
/// `--profile` chooses the profile for both the region and the credentials, and credentials in the
/// environment variables are then not used, as in the AWS CLI.
pub fn config(matches: &ArgMatches, service: &ServiceInfo) -> Config {
    let mut config = Config::from_env(service);
    if let Some(region) = text(matches, "region") {
        config = config.region(region.as_str());
    }
    if let Some(url) = text(matches, "endpoint-url") {
        config = config.endpoint_url(url.as_str());
    }
    if let Some(profile) = text(matches, "profile") {
        config = config.profile(profile.as_str());
    }
    config
}

/// Writes a streaming output's body to the file at `path` (the command's `outfile`) as it arrives,
/// with no size limit (it goes to disk, not memory) but within the call's time limit, and returns
/// how many bytes it wrote.
#[cfg(feature = "rest-json")]
pub async fn write_stream(body: super::byte_stream::ByteStream, path: &str) -> Result<u64, Failure> {
    body.with_max_bytes(None)
        .write_to(path)
        .await
        .map_err(|e| Failure::Other(format!("cannot write the response body to `{path}`: {e}")))
}

/// Runs `future` to completion on a single-threaded runtime: one call needs no more.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Other(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}

/// Parses `args` with `command`, runs the chosen subcommand through `dispatch`, prints the outcome
/// (stdout) or the failure (stderr), and returns the exit code.
pub fn run(
    command: Command,
    args: impl IntoIterator<Item = OsString>,
    dispatch: impl FnOnce(&str, &ArgMatches) -> Result<Outcome, Failure>,
) -> ExitCode {
    let matches = match command.try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            // Help and version go to stdout and succeed; every other parse error is a usage error.
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_SUCCESS };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match matches.subcommand() {
        Some((name, sub)) => dispatch(name, sub),
        None => Err(Failure::Usage("no command given; see --help".to_string())),
    };
    let code = match result.and_then(print_outcome) {
        Ok(()) => EXIT_SUCCESS,
        Err(failure) => {
            let text = match &failure {
                Failure::Service { .. } | Failure::Waiter(_) => format!("\n{failure}\n"),
                _ => format!("error: {failure}\n"),
            };
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            failure.exit_code()
        }
    };
    ExitCode::from(code)
}

fn print_outcome(outcome: Outcome) -> Result<(), Failure> {
    let text = match outcome {
        Outcome::Text(text) => text.to_string(),
        Outcome::Output(json) => match pretty_output(&json)? {
            Some(text) => text,
            None => return Ok(()),
        },
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::Other(format!("cannot write the output: {e}")))
}

/// Compact output JSON indented by four spaces, or `None` for an output without members.
///
/// The text is re-indented as it is rather than parsed into a map, so members stay in the order
/// the serializer wrote them (the model's order), as the AWS CLI prints them.
pub fn pretty_output(json: &str) -> Result<Option<String>, Failure> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| Failure::Other(format!("cannot format the output: {e}")))?;
    if value.as_object().is_some_and(|o| o.is_empty()) {
        return Ok(None);
    }
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"    ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // An empty object or array stays on one line.
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out.push('\n');
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Violation;

    #[test]
    fn each_failure_has_its_exit_code() {
        assert_eq!(Failure::Usage(String::new()).exit_code(), 252);
        assert_eq!(Failure::Config(String::new()).exit_code(), 253);
        let service = Failure::Service { operation: "Op", code: "NotFound".into(), message: "gone".into() };
        assert_eq!(service.exit_code(), 254);
        assert_eq!(service.to_string(), "An error occurred (NotFound) when calling the Op operation: gone");
        assert_eq!(Failure::Other(String::new()).exit_code(), 255);
    }

    #[test]
    fn violations_name_the_option_and_the_member() {
        let error = ValidationError::new(vec![Violation::missing("jobId"), Violation::missing("other.x")]);
        let Failure::Usage(text) = Failure::invalid(error, &[("jobId", "job-id")]) else { panic!("not a usage error") };
        assert_eq!(
            text,
            "invalid parameters:\n  --job-id: jobId: required member is missing\n  other.x: required member is missing"
        );
    }

    #[test]
    fn outputs_without_members_print_nothing() {
        assert_eq!(pretty_output("{}"), Ok(None));
        assert_eq!(
            pretty_output(r#"{"status":"InProgress"}"#),
            Ok(Some("{\n    \"status\": \"InProgress\"\n}\n".to_string()))
        );
        // Members keep their order, and punctuation inside strings is left alone.
        let nested = pretty_output(r#"{"z":"x,{\":","a":[1,{"b":[]}],"c":{}}"#).unwrap().unwrap();
        assert_eq!(
            nested,
            "{\n    \"z\": \"x,{\\\":\",\n    \"a\": [\n        1,\n        {\n            \"b\": []\n        }\n    ],\n    \"c\": {}\n}\n"
        );
    }
}
